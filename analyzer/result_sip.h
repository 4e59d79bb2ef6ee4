/* result_sip.h — the SIP part of a result (RFC 3261): counts, calls, registrations (report input).
 */
#ifndef VOIPDIAG_RESULT_SIP_H
#define VOIPDIAG_RESULT_SIP_H

#include <stdbool.h>
#include <stdint.h>

#include "../dissectors/packet.h"

#define SIP_RES_URI_MAX 96
#define SIP_RES_CALLID_MAX 128
#define SIP_RES_REASON_MAX 48
#define SIP_RES_LABEL_MAX 24
#define SIP_RES_OTHER_METHODS 16 /* distinct unknown method names counted by name */
#define SIP_RES_MAX_CALLS 1000   /* calls listed; the rest are counted in calls_unlisted */
#define SIP_RES_MAX_REGS 256
#define SIP_RES_MAX_UNANSWERED 50
#define SIP_RES_MAX_BINDINGS 256 /* keep-alive flow directions listed */
#define SIP_RES_MAX_TLS 64
#define SIP_RES_MAX_EVENTS 20   /* malformed / Content-Length mismatch frames listed */
#define SIP_CALL_MAX_LADDER 128 /* messages drawn per call */
#define SIP_CALL_MAX_FORKS 4
#define SIP_CALL_MAX_HOLDS 8
#define SIP_CALL_MAX_MEDIA 16 /* SDP m= lines kept per call */
#define SIP_REG_MAX_PUBLIC 8  /* public-address changes kept per registration */
#define SIP_REG_MAX_FAILCODES 4
#define SIP_KA_INTERVALS 32 /* last intervals kept for the median */

/* Where a message was: 1-based frame of input `file`, packet time (0 frame = none). */
struct sip_ref {
    uint64_t frame;
    uint16_t file;
    int64_t ts_ns;
};

struct sip_endpoint {
    struct ip_addr ip;
    uint16_t port;
};

enum sip_call_outcome {
    SIP_CALL_NO_RESPONSE = 0, /* INVITE never answered at all */
    SIP_CALL_UNANSWERED, /* provisional responses only: ringing until time-out or capture end */
    SIP_CALL_ANSWERED,   /* 2xx (or, when it was not captured, an ACK or BYE in the dialog) */
    SIP_CALL_REJECTED,   /* final 3xx–6xx (not 487 after CANCEL) */
    SIP_CALL_CANCELLED,  /* CANCEL by the caller */
    SIP_CALL_MIDCALL,    /* the INVITE was before the capture: in-dialog requests only */
};

enum sip_party_side {
    SIP_SIDE_NONE = 0,
    SIP_SIDE_CALLER,
    SIP_SIDE_CALLEE,
};

/* One arrow of a call's ladder (sngrep flow view). */
struct sip_ladder_entry {
    struct sip_ref at;
    struct sip_endpoint src, dst;
    char label[SIP_RES_LABEL_MAX]; /* "INVITE (SDP)", "180 Ringing" */
    bool retransmission;
};

/* One SDP m= line of one offer or answer. */
struct sip_media_line {
    struct sip_ref at;
    bool from_caller, is_offer;
    char what[SIP_RES_LABEL_MAX]; /* "INVITE", "200", "re-INVITE" … */
    char media[12];               /* "audio" */
    char addr[48];                /* c= address as written */
    uint16_t port;
    char dir[12]; /* "sendrecv" … */
    bool hold;
    char codecs[64]; /* "PCMU/8000 PCMA/8000 telephone-event/8000" (cut) */
};

struct sip_hold_event {
    struct sip_ref at;
    bool hold; /* false: resume */
    bool by_caller;
};

struct sip_call {
    uint32_t index; /* 1-based, order of the first message */
    char call_id[SIP_RES_CALLID_MAX];
    char from_uri[SIP_RES_URI_MAX], to_uri[SIP_RES_URI_MAX];
    char from_tag[64];
    struct sip_endpoint caller, callee; /* IP source / destination of the initial INVITE */
    enum sip_call_outcome outcome;
    uint16_t final_code;
    char reason[SIP_RES_REASON_MAX];
    struct sip_ref invite, ringing, answer, bye, cancel, final, last;
    bool answer_inferred; /* the 2xx was not captured: answer is the ACK (or unknown) */
    enum sip_party_side hung_up_by;
    uint32_t messages;
    uint32_t invite_retransmissions;
    uint16_t reinvites, updates;
    uint8_t n_holds;
    struct sip_hold_event holds[SIP_CALL_MAX_HOLDS];
    /* The lists below are heap arrays (owned, freed by sip_call_free) grown on demand up to
     * their SIP_CALL_MAX_* bound: most calls draw a few arrows, and live calls are many. */
    uint8_t n_forks; /* distinct To-tags of responses to the initial INVITE */
    char (*forks)[64];
    uint8_t n_media;
    uint32_t media_unlisted;
    struct sip_media_line *media;
    uint16_t n_ladder;
    uint32_t ladder_unlisted;
    struct sip_ladder_entry *ladder;
};

struct sip_public_addr {
    struct sip_ref at;
    char addr[SIP_RES_URI_MAX]; /* "203.0.113.5:40123" as the registrar wrote it */
};

struct sip_registration {
    char aor[SIP_RES_URI_MAX];
    char contact[SIP_RES_URI_MAX];
    struct sip_endpoint client, registrar;
    struct sip_ref first, last, last_success, last_failure;
    uint32_t attempts; /* REGISTER transactions (retransmissions excluded) */
    uint32_t retransmissions;
    uint32_t challenges; /* 401 / 407 */
    uint32_t successes;
    uint32_t failures; /* final ≥ 300 other than 401/407 */
    uint32_t unanswered;
    uint8_t n_failcodes;
    struct {
        uint16_t code;
        uint32_t count;
        struct sip_ref first;
    } failcodes[SIP_REG_MAX_FAILCODES];
    uint32_t flaps; /* success after a failure after a success */
    bool last_ok;   /* the last final response was a success */
    /* the last failure was an error response (proof), not a request left unanswered */
    bool last_failure_response;
    /* packet time the last granted binding ran out with no refresh (Expires passed), or 0 */
    int64_t expired_ns;
    bool has_expires;
    uint32_t expires;   /* last granted */
    uint32_t refreshes; /* intervals between successful REGISTERs measured */
    double refresh_min_s, refresh_max_s, refresh_last_s;
    uint8_t n_public;
    uint32_t public_changes;
    struct sip_public_addr public_addr[SIP_REG_MAX_PUBLIC];
};

/* Keep-alives of one direction of one flow (RFC 5626 §3.5.1 and vendor pings). */
struct sip_keepalive_binding {
    struct sip_endpoint src, dst;
    bool tcp;
    uint64_t count;
    uint64_t crlf, double_crlf, empty, short_ping, stun;
    struct sip_ref first, last;
    double min_s, median_s, max_s; /* intervals; median of the last SIP_KA_INTERVALS */
    double longest_gap_s;
    struct sip_ref gap_from, gap_to;
};

struct sip_unanswered {
    char method[32];
    struct sip_endpoint src, dst;
    struct sip_ref first, last;
    uint32_t retransmissions;
    char call_id[SIP_RES_CALLID_MAX];
};

struct sip_tls_flow {
    struct sip_endpoint client, server;
    struct sip_ref first;
    bool established; /* TCP handshake completed */
    bool reset;
    uint64_t packets;
    char app[48]; /* nDPI's name */
};

struct sip_event {
    struct sip_ref at;
    char reason[SIP_RES_REASON_MAX];
};

struct sip_result {
    uint64_t messages; /* every SIP message, retransmissions included (contract) */
    uint64_t requests_total, responses_total;
    uint64_t req_count[16]; /* by enum sip_req (dissectors/sip.h) */
    uint8_t n_other;
    struct {
        char name[32];
        uint64_t count;
    } other[SIP_RES_OTHER_METHODS];
    uint64_t other_unlisted;
    uint64_t resp_count[700]; /* by status code 100–699 */
    uint64_t udp_messages, tcp_messages;

    /* transactions */
    uint64_t transactions, request_retransmissions, response_retransmissions;
    uint64_t answered, unanswered_count, pending_at_end;
    double ttfr_min_ms, ttfr_sum_ms, ttfr_max_ms; /* time to first response */
    uint64_t ttfr_n;
    uint32_t n_unanswered;
    struct sip_unanswered unanswered[SIP_RES_MAX_UNANSWERED];

    /* calls */
    struct sip_call **calls;
    uint32_t n_calls;
    uint64_t calls_total, calls_unlisted;

    struct sip_registration *regs;
    uint32_t n_regs;
    uint64_t regs_unlisted;

    /* pings: out-of-dialog OPTIONS and NOTIFY */
    uint64_t options, options_answered, options_unanswered;
    uint64_t notify, notify_answered, notify_unanswered;

    struct sip_keepalive_binding *bindings;
    uint32_t n_bindings;
    uint64_t bindings_unlisted;

    struct sip_tls_flow tls[SIP_RES_MAX_TLS];
    uint32_t n_tls;
    uint64_t tls_total;

    uint64_t malformed, cl_mismatch;
    uint32_t n_malformed_ev, n_cl_ev;
    struct sip_event malformed_ev[SIP_RES_MAX_EVENTS], cl_ev[SIP_RES_MAX_EVENTS];
    uint64_t tcp_discarded_bytes, tcp_resyncs;

    uint64_t evicted_transactions, evicted_calls, evicted_regs;
};

void sip_result_free(struct sip_result *s);

/* Free one call record and its lists (c may be NULL). */
void sip_call_free(struct sip_call *c);

const char *sip_call_outcome_name(enum sip_call_outcome o);

#endif
