/* checks_int.h — what the per-requirement check files share: the bounded per-destination
 * table that checks.c fills from finished flows, and each file's finish function. */
#ifndef VOIPDIAG_CHECKS_INT_H
#define VOIPDIAG_CHECKS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/table.h"
#include "../result.h"
#include "profile.h"

#define CHECKS_MAX_DESTS 4096 /* destinations kept apart; beyond, the oldest are folded */

/* What a destination entry aggregates for. */
enum check_kind {
    CK_HTTP = 0,        /* TCP to the HTTP port */
    CK_HTTPS,           /* TCP to the HTTPS port */
    CK_NTP,             /* UDP to the NTP port */
    CK_REMOTE,          /* TCP/UDP to the remote-support port */
    CK_REMOTE_FALLBACK, /* nDPI TeamViewer to the fallback port */
    CK_PROVIDER,        /* initiated towards a host inside the provider blocks */
    CK_SIP_SERVER,      /* SIP server (responder of a SIP flow) outside the blocks */
    CK__COUNT,
};

/* How one flow went. */
enum check_outcome {
    OUT_OK = 0,         /* established / answered */
    OUT_SYN_UNANSWERED, /* SYNs retransmitted, no SYN-ACK (or the flow timed out) */
    OUT_REFUSED,        /* RST from the responder's side before establishment */
    OUT_ICMP,           /* an ICMP error quoting the flow, before any success */
    OUT_NO_REPLY,       /* UDP: nothing came back */
    OUT_PENDING,        /* one SYN at the very end of the capture: no verdict */
    OUT__COUNT,
};

struct check_key {
    uint8_t kind;
    uint8_t proto;
    uint16_t port;
    struct ip_addr addr; /* the destination (server) */
    uint8_t pad[3];      /* zeroed: keys compare with memcmp */
};

struct check_dest {
    uint32_t flows;
    uint32_t n[OUT__COUNT];
    uint64_t syns_unanswered;   /* SYNs sent by OUT_SYN_UNANSWERED flows */
    uint64_t requests, replies; /* packets initiator → server and back */
    struct evidence_ref first_ok, first_fail, last_fail;
    uint8_t icmp_type, icmp_code;
    struct ip_addr icmp_from;
    uint32_t servers; /* 1, or the count folded into an overflow entry */
    uint8_t streamed; /* CHECK_STREAMED_* findings of it streamed early (checks_settle) */
    char name[64];    /* HTTP Host / TLS SNI seen, or "" */
    char app[48];     /* nDPI name of the first flow */
};

struct checks {
    const struct profile *profile;
    bool settle_due; /* a flow failed since checks_settle last looked */
    struct table dests;
    uint64_t evicted;                   /* destinations folded into other[] */
    struct check_dest other[CK__COUNT]; /* folded destinations, per kind */
};

/* Visit every destination of kind (the folded overflow last, key NULL). */
typedef void (*checks_visit_fn)(void *ctx, const struct check_key *key, const struct check_dest *d);
void checks_each(const struct checks *c, enum check_kind kind, checks_visit_fn fn, void *ctx);

/* Sum of every destination of kind into *sum (servers counts the destinations). */
void checks_total(const struct checks *c, enum check_kind kind, struct check_dest *sum);

/* "198.51.100.80" / "2001:db8::1" (no brackets) into buf (≥ 46 bytes); returns buf. */
char *checks_addr(const struct ip_addr *a, char *buf, size_t len);

/* "frame 12" or "frames 12-40" for first..last into buf; returns buf. */
char *checks_frames(const struct evidence_ref *first, const struct evidence_ref *last, char *buf,
                    size_t len);

/* "s" when n != 1: for counted nouns. */
static inline const char *
checks_plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* Which findings of a destination were streamed early (one bit each). */
enum {
    CHECK_STREAMED_SYN = 1,
    CHECK_STREAMED_REFUSED = 2,
    CHECK_STREAMED_ICMP = 4,
    CHECK_STREAMED_NTP = 8,
};

/* Where a destination's findings go: stored in r at the end, or streamed during the run. */
struct check_emit {
    struct result *r;
    uint8_t *streamed; /* during the run: the destination's CHECK_STREAMED_* bits; NULL: end */
    struct finding scratch;
};

/*
 * A finding of a destination (bit: its CHECK_STREAMED_* bit). At the end: result_add_finding.
 * During the run: streamed once (result_stream_finding) unless its bit is set, then NULL.
 * Returns the finding to complete (count …), NULL when none.
 */
struct finding *check_emit(struct check_emit *e, unsigned bit, enum finding_code code,
                           const struct evidence_ref *first, const struct evidence_ref *last,
                           const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The findings of one destination of CK_HTTP/CK_HTTPS (ports_tcp.c), CK_NTP (ntp.c). */
void check_tcp_dest(struct check_emit *e, const struct check_key *k, const struct check_dest *d);
void check_ntp_dest(struct check_emit *e, const struct check_key *k, const struct check_dest *d);

/* The per-requirement checks: findings and the row of their requirement into r. */
void check_http_finish(const struct checks *c, struct result *r);     /* ports_tcp.c */
void check_https_finish(const struct checks *c, struct result *r);    /* ports_tcp.c */
void check_ntp_finish(const struct checks *c, struct result *r);      /* ntp.c */
void check_remote_finish(const struct checks *c, struct result *r);   /* remote.c */
void check_ipblocks_finish(const struct checks *c, struct result *r); /* ipblocks.c */

#endif
