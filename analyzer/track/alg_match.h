/* alg_match.h — RFC 3261 §8.1.1/§17 message identity across two capture points (Call-ID, CSeq,
 * top Via branch) and the field view whose changes in transit are SIP ALG rewrites (RFC 3581,
 * RFC 4566). Internal to alg.c, its unit test and its fuzz target. */
#ifndef VOIPDIAG_ALG_MATCH_H
#define VOIPDIAG_ALG_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "../../dissectors/sdp.h"
#include "../../dissectors/sip.h"
#include "../core/table.h"
#include "../result_alg.h"

#define ALG_VIEW_FIELDS 48
#define ALG_COPIES_PER_KEY 4 /* copies of one message pending at once (retransmissions) */

struct alg_field {
    char name[ALG_RES_FIELD_MAX];
    char value[ALG_RES_VALUE_MAX];
    bool sdp;
};

/*
 * The fields of one message an ALG may rewrite, as text, in a fixed order. Packed: field i is
 * its name then its value, both NUL-terminated, at text + off[i]; bit i of sdp_mask marks an
 * SDP field. Only the first len bytes of text are meaningful (copies move just those).
 */
struct alg_view {
    uint8_t n;
    bool cut; /* more fields than ALG_VIEW_FIELDS: the rest were not compared */
    uint64_t sdp_mask;
    uint16_t len;
    uint16_t off[ALG_VIEW_FIELDS];
    char text[ALG_VIEW_FIELDS * (ALG_RES_FIELD_MAX + ALG_RES_VALUE_MAX)];
};

/* Identity of one message: a digest of Call-ID, CSeq, top Via branch and method/status. */
struct alg_key {
    uint64_t a, b;
};

/*
 * One copy of a message at one capture point: what pairing and judging read. The copy's label,
 * Call-ID and the fields an ALG may rewrite are its body, kept in the matcher's byte ring: the
 * datagram it was parsed from (a view is built only when its twin differs), or its built view.
 */
struct alg_copy {
    struct sip_ref at;
    struct sip_endpoint src, dst;
    struct alg_key key; /* set by the matcher */
    uint64_t seq;       /* its place in arrival order (the matcher's) */
    uint64_t call;      /* digest of the Call-ID */
    bool mark;          /* the caller's flag, handed back with the twin (alg_tracker_mark) */
    bool is_request;    /* as the caller saw it (a start line sofia rejected may still be one) */
    bool has_content_length;
    bool cl_mismatch; /* Content-Length ≠ body bytes, and the capture says so reliably */
    uint32_t content_length, body_len;
    uint64_t body_pos;   /* where the body starts in the ring (a position that only grows) */
    uint32_t stored_len; /* bytes of the body in the ring (label and Call-ID included) */
    uint16_t what_len, call_id_len;
    uint8_t body_kind; /* enum alg_body_kind */
    bool live;         /* pending (false: matched, its place in the queue left to expire) */
};

enum alg_body_kind {
    ALG_BODY_NONE = 0, /* only the label and Call-ID */
    ALG_BODY_RAW,      /* the datagram sip_parse_datagram parsed */
    ALG_BODY_VIEW,     /* a built view: struct alg_view up to its used text */
};

/* The body of a copy being offered. */
struct alg_body {
    const char *what, *call_id; /* NUL-terminated; cut at ALG_RES_WHAT_MAX / _CALLID_MAX - 1 */
    const uint8_t *raw;         /* the datagram (at most ALG_RAW_MAX bytes), or NULL … */
    size_t raw_len;
    const struct alg_view *view; /* … then the view, or NULL (no fields kept) */
};

/* A pending copy's body read back: pointers into the ring, valid until the next offer. */
struct alg_stored {
    const char *what, *call_id;
    uint8_t kind;        /* enum alg_body_kind */
    const uint8_t *data; /* RAW: the datagram; VIEW: the packed view (alg_stored_view) */
    size_t len;
};

#define ALG_RAW_MAX 65535u
#define ALG_RING_BYTES (4u << 20) /* bodies of the pending copies; a power of two */
#define ALG_NONE UINT32_MAX

/*
 * The copies waiting for their twin, in arrival order: a queue of records (live ones at most
 * cap; a matched one leaves a dead record behind that its turn skips), indexed by identity in
 * an open-addressing table (linear probing, entries: 16 bits of the key's hash and the queue
 * slot + 1; 0 empty), and their bodies in a byte ring written in the same order.
 */
struct alg_matcher {
    struct alg_copy *queue; /* queue_size records, slot = seq & (queue_size - 1) */
    uint32_t queue_size;    /* a power of two, four times cap */
    uint64_t head, tail;    /* seqs of the oldest record kept and of the next one */
    uint32_t cap, count;    /* live copies at most / now */
    uint32_t *index;
    uint32_t index_mask; /* index size - 1: a power of two, at least twice cap */
    uint8_t *ring;       /* ALG_RING_BYTES of bodies, written in order (pages touched on use) */
    size_t ring_mapped;  /* pool_calloc's mapping size of ring */
    uint64_t ring_head;  /* position of the next body */
    uint32_t last_slot;  /* queue slot where the last offer stored its copy; ALG_NONE */
    int64_t window_ns;
    uint64_t offered, matched, expired, evicted;
};

/*
 * Build v (fully overwritten) from m and, when the message carries SDP, its summary sdp
 * (NULL otherwise). Pure; every value is cut to fit.
 */
void alg_view_build(const struct sip_message *m, const struct sdp_summary *sdp, struct alg_view *v);

/* Called once per changed field: "" stands for absent. */
typedef void (*alg_diff_fn)(void *ctx, const struct alg_field *before, const char *after);

/* The body of pending (or just matched) copy c: valid until the matcher's next offer. */
void alg_matcher_body(const struct alg_matcher *mt, const struct alg_copy *c,
                      struct alg_stored *out);

/* The view of a VIEW body into v. */
void alg_stored_view(const struct alg_stored *s, struct alg_view *v);

/* Compare two views of one message; call fn for every field that differs (fn may be NULL).
 * Returns the number of differing fields. Body and Content-Length are left to the caller. */
unsigned alg_view_diff(const struct alg_view *before, const struct alg_view *after, alg_diff_fn fn,
                       void *ctx);

/* The identity of m into k. Returns false when m has no Call-ID or CSeq. */
bool alg_key_of(const struct sip_message *m, struct alg_key *k);

/* A digest of a Call-ID (fixed seed: digests are never exposed). */
uint64_t alg_call_digest(const char *call_id);

/* "INVITE", "200 (INVITE)": what m is, into buf. */
void alg_what(const struct sip_message *m, char *buf, size_t len);

/*
 * Whether copies a and b of one message can be the same message at two capture points: in
 * different inputs, or in one input (`tcpdump -i any`) with different addresses or ports.
 */
bool alg_copies_pairable(const struct alg_copy *a, const struct alg_copy *b);

/*
 * Whether a is the upstream copy (before the middlebox) of the pair (a, b): the copy whose
 * translated address (source when the sender was NATed, destination on the way back) is the
 * private one; time order (then input order) when the addresses do not tell.
 */
bool alg_copy_is_upstream(const struct alg_copy *a, const struct alg_copy *b);

/* Whether an address is private: RFC 1918, RFC 6598 shared, RFC 4193 ULA, or loopback. */
bool alg_addr_private(const struct ip_addr *a);

/* Allocate a matcher of cap (1 .. 8192) pending copies, expiring window_ns after a copy.
 * 0 or -1. */
int alg_matcher_init(struct alg_matcher *mt, uint32_t cap, int64_t window_ns);
void alg_matcher_free(struct alg_matcher *mt);

/* Forget every pending copy and the counters (the bounds stay). */
void alg_matcher_reset(struct alg_matcher *mt);

/*
 * Offer copy c of the message of identity k with its body. When a pending
 * pairable copy of the same message exists its record is moved to *partner, it is removed
 * (its body stays readable with alg_matcher_body until the next offer), and true is returned.
 * Otherwise c and its body are stored and false is returned; older copies are handed to gone
 * and dropped first when the queue or the ring is full (counted as evicted). mt->last_slot
 * names where c went (ALG_NONE: nowhere, a storm of one message).
 */
bool alg_matcher_offer(struct alg_matcher *mt, const struct alg_key *k, const struct alg_copy *c,
                       const struct alg_body *body, struct alg_copy *partner,
                       void (*gone)(void *ctx, const struct alg_copy *c), void *ctx);

/* Hand every copy pending since before now_ns - window (all when `all`) to gone and drop it. */
void alg_matcher_expire(struct alg_matcher *mt, int64_t now_ns, bool all,
                        void (*gone)(void *ctx, const struct alg_copy *c), void *ctx);

#endif
