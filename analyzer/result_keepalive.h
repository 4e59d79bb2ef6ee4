/* result_keepalive.h — NAT keep-alives per phone binding (RFC 5626 §3.5.1, RFC 5389, RFC 3581):
 * the report input the keep-alive tracker writes once, at the end of the capture. */
#ifndef VOIPDIAG_RESULT_KEEPALIVE_H
#define VOIPDIAG_RESULT_KEEPALIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "result_sip.h"

#define KA_RES_MAX_BINDINGS 256 /* bindings listed; the rest are counted */
#define KA_RES_MAX_GAPS 8       /* late gaps listed per direction; the rest are counted */
#define KA_RES_MAX_REBINDS 8    /* public-address changes listed per binding */

/* What a keep-alive was (the kinds of docs/requirements.md's NAT row). */
enum ka_kind {
    KA_KIND_DOUBLE_CRLF = 0, /* RFC 5626 ping */
    KA_KIND_CRLF,            /* RFC 5626 pong, or a bare CRLF keep-alive */
    KA_KIND_EMPTY,           /* 0-byte datagram */
    KA_KIND_SHORT,           /* 1-4 byte vendor ping */
    KA_KIND_STUN_REQUEST,    /* STUN Binding request on the SIP 5-tuple */
    KA_KIND_STUN_RESPONSE,   /* STUN Binding success (XOR-MAPPED-ADDRESS) */
    KA_KIND_OPTIONS,         /* out-of-dialog SIP OPTIONS used as a ping */
    KA_KIND_OPTIONS_ANSWER,  /* a response to one */
    KA_KIND_NOTIFY,          /* out-of-dialog NOTIFY (keep-alive event) */
    KA_KIND_NOTIFY_ANSWER,
    KA_KIND__COUNT,
};

/* Directions of a binding. */
enum ka_dir {
    KA_DIR_CLOUD_TO_PHONE = 0, /* inbound: what keeps the NAT's inbound path open */
    KA_DIR_PHONE_TO_CLOUD,
};

/* One late interval: no keep-alive between `from` and `to` (the frames around the gap). */
struct ka_gap {
    struct sip_ref from, to;
    double seconds;
    bool peer_alive; /* the other direction had traffic inside the gap or after it */
};

/* One direction of one binding. */
struct ka_direction {
    uint64_t count;
    uint64_t kinds[KA_KIND__COUNT];
    uint64_t packets;           /* every datagram/message of this direction, keep-alive or not */
    struct sip_ref first, last; /* keep-alives */
    struct sip_ref first_any, last_any; /* any traffic */
    double min_s, median_s, max_s;      /* intervals between keep-alives (count ≥ 2) */
    double expected_s;                  /* profile value, or inferred from the median */
    bool expected_inferred;
    uint32_t n_gaps;
    uint64_t gaps_more;                  /* late intervals beyond the listed ones */
    struct ka_gap gaps[KA_RES_MAX_GAPS]; /* the longest late intervals, in time order */
};

/* The public address the registrar (Via received/rport) or STUN reported changed. */
struct ka_rebind {
    struct sip_ref at;        /* the response that reported the new address */
    struct sip_ref idle_from; /* last traffic of the binding before the request that revealed it */
    double idle_s;            /* upper bound of the NAT's UDP time-out */
    char from[64], to[64];    /* "198.51.100.2:40000" → "198.51.100.2:40007" */
    bool stun;                /* reported by STUN rather than by the registrar */
    /* two-point: the same rebinding seen on the phone's public flow at the other capture point */
    struct sip_ref other_at; /* its frame there (on the LAN binding's copy), 0 = none */
    bool duplicate;          /* this is that other copy: reported once, on the LAN binding */
};

enum ka_verdict {
    KA_VERDICT_NOT_OBSERVED = 0,
    KA_VERDICT_PASS,
    KA_VERDICT_WARN,
    KA_VERDICT_FAIL,
};

struct ka_binding {
    struct sip_endpoint phone, cloud;
    uint16_t file;        /* input the binding was seen in (two-point captures) */
    const char *phone_by; /* "register", "private", "port", "first" */
    bool tcp;
    struct ka_direction dir[2]; /* by enum ka_dir */
    /* registrations over this binding */
    uint32_t registers;         /* REGISTER requests (retransmissions excluded) */
    double register_interval_s; /* median interval between them, 0 when < 2 */
    char public_addr[64];       /* last public address reported */
    uint32_t n_rebinds;
    uint64_t rebinds_more;
    struct ka_rebind rebinds[KA_RES_MAX_REBINDS];
    double binding_lifetime_s; /* the least idle_s of its rebinds, 0 when none */
    /* incoming calls */
    uint32_t inbound_invites, inbound_invites_lost;
    struct sip_ref lost_invite_first, lost_invite_last;
    uint32_t lost_invite_retransmissions;
    /* two-point: cloud keep-alives of the other capture point that never reached this side,
     * each WAN copy matched one to one to its LAN copy: exact for the span both points saw */
    uint32_t dropped_by_firewall;
    struct sip_ref dropped_first, dropped_last;
    enum ka_verdict verdict;
    char verdict_reason[160];
};

struct keepalive_result {
    double profile_interval_s, profile_timeout_s;
    struct ka_binding *bindings;
    uint32_t n_bindings;
    uint64_t bindings_unlisted;
    uint64_t events; /* keep-alive events handed to the tracker */
};

void keepalive_result_free(struct keepalive_result *k);

const char *ka_kind_name(enum ka_kind k);
const char *ka_verdict_name(enum ka_verdict v);

#endif
