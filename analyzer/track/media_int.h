/* media_int.h — RFC 3550 media tracker internals shared by media.c (packets) and media_finish.c. */
#ifndef VOIPDIAG_MEDIA_INT_H
#define VOIPDIAG_MEDIA_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/table.h"
#include "../result_media.h"
#include "media.h"
#include "rtp_stats.h"

struct alg_tracker;

#define MEDIA_MAX_STREAMS 32768  /* live streams (and unsignalled candidates) */
#define MEDIA_MAX_FLOWS 65536    /* per-flow caches */
#define MEDIA_MAX_EXPECT 16384   /* SDP address:port expectations */
#define MEDIA_MAX_CALLS 16384    /* calls with SDP */
#define MEDIA_MAX_RTCP 8192      /* (reported SSRC, reporter address) RTCP views */
#define MEDIA_MAX_ICMP 4096      /* (destination, port) of media that drew ICMP errors */
#define MEDIA_MAX_RECORDS 200000 /* finished streams listed in the result; more are counted */
#define MEDIA_MAX_MLINES 4   /* m= lines per SDP tracked (audio, video, …); more are ignored */
#define MEDIA_HEUR_CONFIRM 4 /* in-order packets, one SSRC, that make unsignalled RTP */
#define MEDIA_HEUR_BUF 8     /* packets held while an unsignalled candidate is judged */

/* Stream key: one direction of a UDP 5-tuple plus the SSRC; padding zeroed. */
struct media_skey {
    uint8_t family;
    uint8_t pad[3];
    uint32_t ssrc;
    uint16_t sport, dport;
    uint8_t src[16], dst[16];
};

/* Expectation key: an address:port that an SDP announced. */
struct media_ekey {
    uint8_t family;
    uint8_t pad;
    uint16_t port;
    uint8_t addr[16];
};

/* Expectation value: the call and the m= line that announced the address:port. */
struct media_eval {
    int32_t call; /* index into tracker calls */
    uint8_t mline;
};

/* Endpoint key of ICMP errors: the quoted media packet's destination. */
typedef struct media_ekey media_ikey;

/* RTCP view key: SSRC reported on and the reporter's IP address. */
struct media_rkey {
    uint32_t ssrc;
    uint8_t family;
    uint8_t pad[3];
    uint8_t addr[16];
};

enum media_sstate {
    MEDIA_S_LIVE = 0, /* a stream: every packet goes to stats */
    MEDIA_S_PENDING,  /* unsignalled candidate: packets held in pend[] */
    MEDIA_S_REJECTED, /* unsignalled, not continuous: ignored */
};

/* A held packet of a candidate: what rtp_stats_add needs, payload head copied. */
struct media_pend {
    int64_t ns;
    uint64_t frame;
    uint16_t file;
    uint16_t seq;
    uint32_t ts;
    uint8_t pt;
    bool marker;
    uint8_t head_len;
    uint8_t head[4];
};

/* One stream (table value). */
struct media_stream {
    uint64_t uid;     /* never reused: validates cached pointers */
    uint32_t flow_id; /* flow it was first seen on */
    enum media_sstate state;
    enum media_bind bind;
    int32_t call;    /* index into tracker calls, −1 unbound */
    uint8_t dir;     /* 0 caller → callee, 1 callee → caller */
    uint8_t mline;   /* with call ≥ 0: the SDP m= line it belongs to */
    uint8_t last_pt; /* PT whose clock rate is cached */
    bool have_last_pt;
    uint32_t last_rate;
    int64_t touched_ns;
    uint16_t first_file, last_file;
    uint8_t n_pend;
    struct rtp_stats st; /* right after the header: its hot fields share the uid's cache lines */
    struct media_pend pend[MEDIA_HEUR_BUF]; /* candidates only: kept out of the hot lines */
};

/* Per-flow cache behind struct flow's media pointer (table value keyed by flow id). */
struct media_flow {
    uint32_t flow_id;
    uint32_t slot[2]; /* last stream per sending side, TABLE_NONE when none */
    uint64_t uid[2];
    int32_t call[2]; /* call a stream of that side is bound to, −1 none */
    uint8_t dir[2];
    uint8_t mline[2];
    bool live[2]; /* a side has a live (confirmed or bound) stream */
};

/* The last SDP one party of a call sent. */
struct media_sdp_side {
    bool seen;
    struct media_expectation e;
};

/*
 * One call as the SDPs describe it: per party ([0] the caller, [1] the callee) the last SDP's
 * m= lines by position. Every line binds streams (and gives their clock rates); line 0 — the
 * voice line in practice — is the one whose directions are judged. A line's SDP is kept in the
 * tracker's side pool once seen (most calls have one m= line a party: two sides, not eight):
 * read it with media_call_line.
 */
struct media_call {
    uint32_t call_index;
    int64_t ended_ns;
    bool settled; /* its verdict's findings were streamed early (media_tracker_settle) */
    uint32_t line[2][MEDIA_MAX_MLINES]; /* 1 + index in sides[], 0: not seen */
};

struct media_tracker {
    int64_t epoch_ns;
    bool epoch_set;
    uint16_t port_min, port_max; /* the provider profile's RTP range */
    uint64_t next_uid;
    struct table streams;     /* media_skey → media_stream */
    struct table flows;       /* uint32 flow id → media_flow */
    struct table expect;      /* media_ekey → media_eval */
    struct table rtcp;        /* media_rkey → media_rtcp_view */
    struct table icmp;        /* media_ikey → media_icmp */
    struct table call_ix;     /* uint32 call_index → uint32 position in calls[] */
    struct media_call *calls; /* lim.calls of them reserved (pool_calloc), n_calls used */
    size_t calls_mapped;
    size_t n_calls;
    struct media_sdp_side *sides; /* the calls' lines: reserved for every line, n_sides used */
    size_t sides_mapped;
    size_t n_sides;
    struct media_limits lim; /* capacities, defaults filled in */
    uint64_t calls_dropped;
    struct media_result *res; /* finished streams accumulate here */
    size_t cap_records;
    uint64_t records_unlisted;
    const struct alg_tracker *alg; /* SDP copies at two capture points (verdicts), or NULL */
    /* Judging ended calls early (media_tracker_settle): the result streamed to while judging
     * (NULL otherwise), the finding being built. */
    struct result *early;
    struct finding *early_sink; /* heap: result.h stays out of this header */
    bool early_pending;
    int64_t *call_last; /* scratch: latest media packet per call */
    size_t cap_call_last;
    /* Where each (flow, side)'s last RTP packet went, by media_hint (media_tracker_prefetch):
     * prefetch addresses only, never dereferenced, so a stale or colliding entry costs a
     * wasted prefetch and nothing else. */
    struct media_hint_slot {
        const void *mf, *s;
    } *hints;
};

#define MEDIA_HINTS 4096u /* power of two */

/* ICMP errors that quoted media sent to one destination. */
struct media_icmp {
    uint32_t count;
    uint8_t type, code;
    struct ip_addr from;
    struct media_ref first, last;
};

/* The SDP of line ml of party p (0 caller, 1 callee) of calls[ci]; an unseen side (seen
 * false, all zero) when that party sent none for it. */
static inline const struct media_sdp_side *
media_call_line(const struct media_tracker *m, size_t ci, int p, unsigned ml)
{
    static const struct media_sdp_side unseen;
    uint32_t i = m->calls[ci].line[p][ml];
    return i ? &m->sides[i - 1] : &unseen;
}

/* Move a live stream's figures into the result list (eviction or end). */
void media_stream_emit(struct media_tracker *m, const struct media_skey *k, struct media_stream *s);

/* Clock rate of pt for stream s (SDP map, else static table) and whether it is an event. */
uint32_t media_stream_clock(const struct media_tracker *m, const struct media_stream *s,
                            uint8_t pt);

/* The SDP m= line naming bound stream s's payload types: the receiver's, else the sender's. */
const struct media_sdp_side *media_stream_sdp(const struct media_tracker *m,
                                              const struct media_stream *s);

/* Whether an address is private (RFC 1918, RFC 6598, RFC 4193, link-local). */
bool media_addr_private(const struct ip_addr *a);

#endif
