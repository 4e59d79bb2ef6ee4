/* ipfrag.c — IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5, RFC 5722, RFC 6946) fragment reassembly. */
#include "ipfrag.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/table.h"

#define IPFRAG_MAX_LEN 65535u /* IPv4 total length / IPv6 payload length ceiling */
#define IPFRAG_STEP 4096u     /* buffer growth step in data bytes (a multiple of 64) */
#define IPFRAG_MAX_CAP 65536u /* largest data buffer: no datagram's data passes 65535 */
#define IPFRAG_V4_HDR_MAX 60u /* IHL 15 */
#define IPFRAG_V6_HDR 40u     /* fixed header */
#define IPFRAG_DEF_DATAGRAMS 1024u
#define IPFRAG_DEF_BYTES (16u << 20)
#define IPFRAG_DEF_TIMEOUT (30 * 1000000000LL) /* 30 s, within RFC 791's 15 s..2 min */
#define IPFRAG_DEF_SEED 0x6970667261670001ull

/* A datagram is (version, src, dst, id) and for IPv4 the protocol too (RFC 791 §3.2). */
struct frag_key {
    uint8_t version;
    uint8_t proto; /* IPv4 protocol; 0 for IPv6, whose identification alone names it */
    uint8_t zero[2];
    uint32_t id;
    uint8_t src[16];
    uint8_t dst[16];
};

/*
 * One datagram being rebuilt. Accepted fragments never overlap, so `received` equals the bytes
 * covered and the datagram is whole once it reaches `total`. buf holds the data [0, cap) then
 * two maps of 8-byte blocks: `have` (block received) and `start` (a fragment began there); the
 * second tells an exact retransmission from a fragment that straddles earlier ones.
 */
struct frag_entry {
    int64_t last_ts;      /* packet time of the latest fragment: the time-out runs from here */
    uint64_t first_frame; /* frame of the first fragment to arrive */
    uint64_t last_frame;  /* frame of the latest one */
    uint8_t *buf;         /* data, then the two maps; NULL when dead or empty */
    uint32_t cap;         /* data bytes buf can hold; 0 when no buffer */
    uint32_t received;    /* data bytes held */
    uint32_t total;       /* data length, valid when have_total */
    uint32_t max_end;     /* highest end of a held fragment */
    uint32_t count;       /* fragments held */
    uint8_t hdr_len;      /* header of the offset-0 fragment; 0 until it came */
    uint8_t next_proto;   /* IPv6: Next Header of the offset-0 fragment (RFC 8200 §4.5) */
    bool have_total;      /* the last fragment (MF clear) came */
    bool dead;            /* dropped (RFC 5722): swallow its fragments until the time-out */
    uint8_t hdr[IPFRAG_V4_HDR_MAX]; /* IPv4 header with options, or the IPv6 fixed header */
};

struct ipfrag {
    struct table table;
    struct ipfrag_limits lim;
    struct ipfrag_stats stats;
    uint64_t bytes; /* buffer bytes charged across datagrams */
    uint8_t *out;   /* the last completed datagram */
};

/* Bytes charged for a data buffer of cap bytes: data plus the two block maps. */
static inline uint32_t
buf_charge(uint32_t cap)
{
    return cap + cap / 32;
}

static inline bool
bit_get(const uint8_t *map, uint32_t i)
{
    return map[i / 8] & (1u << (i % 8));
}

static inline void
bit_set(uint8_t *map, uint32_t i)
{
    map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static inline uint8_t *
map_have(const struct frag_entry *e)
{
    return e->buf + e->cap;
}

static inline uint8_t *
map_start(const struct frag_entry *e)
{
    return e->buf + e->cap + e->cap / 64;
}

static inline void
put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* RFC 1071 ones' complement sum of an IPv4 header whose checksum field is zero. */
static uint16_t
ipv4_checksum(const uint8_t *h, uint32_t len)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)h[i] << 8 | h[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Release a datagram's buffer and its charge; the entry stays in the table. */
static void
entry_release(struct ipfrag *f, struct frag_entry *e)
{
    if (e->buf) {
        f->bytes -= buf_charge(e->cap);
        free(e->buf);
    }
    e->buf = NULL;
    e->cap = 0;
}

/* Drop a datagram but keep its key, so later fragments are swallowed (RFC 5722 §4). */
static void
entry_kill(struct ipfrag *f, struct frag_entry *e)
{
    entry_release(f, e);
    e->dead = true;
}

static void
entry_remove(struct ipfrag *f, uint32_t slot)
{
    entry_release(f, table_value(&f->table, slot));
    table_remove(&f->table, slot);
}

/*
 * Remove the least recently used datagram other than `keep`, counting it as evicted when it
 * was still live. Returns false when there is nothing else to remove.
 */
static bool
evict_oldest(struct ipfrag *f, uint32_t keep)
{
    uint32_t s = table_oldest(&f->table);
    if (s == keep)
        s = table_newer(&f->table, s);
    if (s == TABLE_NONE)
        return false;
    if (!((struct frag_entry *)table_value(&f->table, s))->dead)
        f->stats.evicted++;
    entry_remove(f, s);
    return true;
}

/*
 * Make e's buffer hold data up to end, evicting older datagrams to stay within max_bytes.
 * Returns 0, or -1 when the bytes cannot be had (the caller drops the datagram).
 */
static int
entry_grow(struct ipfrag *f, uint32_t slot, struct frag_entry *e, uint32_t end)
{
    uint32_t want = e->have_total && e->total > end ? e->total : end;
    uint32_t cap = (want + IPFRAG_STEP - 1) / IPFRAG_STEP * IPFRAG_STEP;
    if (cap > IPFRAG_MAX_CAP)
        cap = IPFRAG_MAX_CAP;
    if (buf_charge(cap) > f->lim.max_bytes)
        return -1; /* would not fit even alone: spare the other datagrams */
    uint32_t extra = buf_charge(cap) - buf_charge(e->cap);
    while (f->bytes + extra > f->lim.max_bytes) {
        if (!evict_oldest(f, slot))
            return -1;
    }
    uint8_t *nb = calloc(1, buf_charge(cap));
    if (!nb)
        return -1;
    if (e->buf) {
        /* Data first, then each map: both maps start at cap, so they move apart. */
        memcpy(nb, e->buf, e->cap);
        memcpy(nb + cap, map_have(e), e->cap / 64);
        memcpy(nb + cap + cap / 64, map_start(e), e->cap / 64);
        entry_release(f, e);
    }
    e->buf = nb;
    e->cap = cap;
    f->bytes += buf_charge(cap);
    return 0;
}

/* Whether [off, end) repeats a held fragment exactly: same start, same end, same bytes. */
static bool
is_duplicate(const struct frag_entry *e, uint32_t off, uint32_t end, const uint8_t *data)
{
    uint32_t b0 = off / 8, b1 = (end + 7) / 8, nblk = e->cap / 8;
    if (b1 > nblk || !bit_get(map_start(e), b0))
        return false;
    for (uint32_t b = b0; b < b1; b++) {
        if (!bit_get(map_have(e), b) || (b > b0 && bit_get(map_start(e), b)))
            return false;
    }
    /* The held fragment must end where this one ends: the next block is free or a new start. */
    if (b1 < nblk && bit_get(map_have(e), b1) && !bit_get(map_start(e), b1))
        return false;
    return memcmp(e->buf + off, data, end - off) == 0;
}

/* Whether any 8-byte block of [off, end) is already held. */
static bool
is_overlap(const struct frag_entry *e, uint32_t off, uint32_t end)
{
    uint32_t b1 = (end + 7) / 8, nblk = e->cap / 8;
    for (uint32_t b = off / 8; b < b1 && b < nblk; b++) {
        if (bit_get(map_have(e), b))
            return true;
    }
    return false;
}

/*
 * Write the contiguous datagram into f->out: the saved header with its length fields set and
 * fragment fields cleared (IPv4 keeps DF and the reserved bit; checksum recomputed), or the IPv6
 * fixed header with payload length and next header set, then data. Returns the length.
 */
static uint32_t
build(struct ipfrag *f, uint8_t version, const uint8_t *hdr, uint32_t hdr_len, uint8_t next_proto,
      const uint8_t *data, uint32_t len)
{
    uint8_t *o = f->out;
    memcpy(o, hdr, hdr_len);
    if (version == 4) {
        put16(o + 2, hdr_len + len);
        o[6] &= 0xc0;
        o[7] = 0;
        o[10] = o[11] = 0;
        put16(o + 10, ipv4_checksum(o, hdr_len));
    } else {
        put16(o + 4, len);
        o[6] = next_proto;
    }
    if (len)
        memcpy(o + hdr_len, data, len);
    return hdr_len + len;
}

/* Whether the fragment's own fields are possible at all (RFC 791 §3.2, RFC 8200 §4.5). */
static bool
frag_sane(const struct packet *pkt)
{
    const struct ip_fragment *fr = &pkt->frag;
    if (pkt->ip_version != 4 && pkt->ip_version != 6)
        return false;
    if (fr->offset % 8 || fr->data_len > fr->data_wire_len || (fr->data_len && !fr->data))
        return false;
    /* Every fragment but the last carries a non-zero multiple of 8 bytes. */
    if (fr->more && (fr->data_wire_len == 0 || fr->data_wire_len % 8))
        return false;
    if (fr->offset == 0) {
        if (!fr->hdr)
            return false;
        if (pkt->ip_version == 4 && (fr->hdr_len < 20 || fr->hdr_len > IPFRAG_V4_HDR_MAX))
            return false;
        if (pkt->ip_version == 6 && fr->hdr_len != IPFRAG_V6_HDR)
            return false;
    }
    return true;
}

/*
 * Check the fragment against what the datagram already holds. Returns 0 to accept, 1 when it
 * is an exact retransmission (ignored), -1 when the datagram was dropped (counted).
 */
static int
entry_check(struct ipfrag *f, struct frag_entry *e, const struct packet *pkt, uint64_t end)
{
    const struct ip_fragment *fr = &pkt->frag;
    uint32_t hl = 0;
    if (pkt->ip_version == 4)
        hl = e->hdr_len ? e->hdr_len : fr->offset == 0 ? fr->hdr_len : 20;
    uint64_t high = end > e->max_end ? end : e->max_end;
    if (fr->data_len < fr->data_wire_len) {
        f->stats.truncated++;
    } else if (high + hl > IPFRAG_MAX_LEN) {
        f->stats.oversize++;
    } else if (!fr->more && ((e->have_total && end != e->total) || end < e->max_end)) {
        f->stats.inconsistent++; /* a second, different end, or data past this end */
    } else if (fr->more && e->have_total && end >= e->total) {
        f->stats.inconsistent++; /* a non-last fragment reaching the known end */
    } else if (!is_overlap(e, fr->offset, (uint32_t)end)) {
        return 0;
    } else if (!is_duplicate(e, fr->offset, (uint32_t)end, fr->data)) {
        f->stats.overlaps++;
    } else if (fr->more || e->have_total) {
        f->stats.duplicates++;
        return 1;
    } else {
        f->stats.inconsistent++; /* a copy of a middle fragment that claims to be the last */
    }
    entry_kill(f, e);
    return -1;
}

/* Find or create the entry of pkt's datagram; TABLE_NONE only when the pool has no slot. */
static uint32_t
entry_lookup(struct ipfrag *f, const struct packet *pkt)
{
    struct frag_key k;
    memset(&k, 0, sizeof(k));
    k.version = pkt->ip_version;
    k.proto = pkt->ip_version == 4 ? pkt->frag.next_proto : 0;
    k.id = pkt->frag.id;
    memcpy(k.src, pkt->src.a, sizeof(k.src));
    memcpy(k.dst, pkt->dst.a, sizeof(k.dst));
    uint32_t h = table_hash(&f->table, &k);
    uint32_t slot = table_find(&f->table, &k, h);
    if (slot != TABLE_NONE) {
        table_touch(&f->table, slot);
        return slot;
    }
    if (f->table.count == f->table.capacity)
        evict_oldest(f, TABLE_NONE);
    slot = table_insert(&f->table, &k, h);
    if (slot != TABLE_NONE)
        ((struct frag_entry *)table_value(&f->table, slot))->first_frame = pkt->frame;
    return slot;
}

struct ipfrag *
ipfrag_new(const struct ipfrag_limits *limits)
{
    struct ipfrag *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    if (limits)
        f->lim = *limits;
    if (!f->lim.max_datagrams)
        f->lim.max_datagrams = IPFRAG_DEF_DATAGRAMS;
    if (!f->lim.max_bytes)
        f->lim.max_bytes = IPFRAG_DEF_BYTES;
    if (f->lim.timeout_ns <= 0)
        f->lim.timeout_ns = IPFRAG_DEF_TIMEOUT;
    if (!f->lim.hash_seed)
        f->lim.hash_seed = IPFRAG_DEF_SEED;
    f->out = malloc(IPFRAG_V4_HDR_MAX + IPFRAG_MAX_LEN);
    if (!f->out || table_init(&f->table, f->lim.max_datagrams, sizeof(struct frag_key),
                              sizeof(struct frag_entry), f->lim.hash_seed) != 0) {
        free(f->out);
        free(f);
        return NULL;
    }
    return f;
}

void
ipfrag_free(struct ipfrag *f)
{
    if (!f)
        return;
    for (uint32_t s = table_oldest(&f->table); s != TABLE_NONE; s = table_newer(&f->table, s))
        entry_release(f, table_value(&f->table, s));
    table_free(&f->table);
    free(f->out);
    free(f);
}

void
ipfrag_expire(struct ipfrag *f, int64_t now_ns)
{
    uint32_t s;
    while ((s = table_oldest(&f->table)) != TABLE_NONE) {
        const struct frag_entry *e = table_value(&f->table, s);
        /* Unsigned difference: hostile time stamps must not overflow a signed subtraction. */
        if (now_ns <= e->last_ts ||
            (uint64_t)now_ns - (uint64_t)e->last_ts <= (uint64_t)f->lim.timeout_ns)
            break;
        if (!e->dead)
            f->stats.timed_out++;
        entry_remove(f, s);
    }
}

void
ipfrag_finish(struct ipfrag *f)
{
    uint32_t s;
    while ((s = table_oldest(&f->table)) != TABLE_NONE) {
        const struct frag_entry *e = table_value(&f->table, s);
        if (!e->dead)
            f->stats.unfinished++;
        entry_remove(f, s);
    }
}

/* Store an accepted fragment; returns 1 and fills *out when the datagram is complete. */
static int
entry_accept(struct ipfrag *f, uint32_t slot, struct frag_entry *e, const struct packet *pkt,
             uint32_t end, struct ipfrag_datagram *out)
{
    const struct ip_fragment *fr = &pkt->frag;
    if (end > e->cap && entry_grow(f, slot, e, end) != 0) {
        f->stats.evicted++;
        entry_kill(f, e);
        return 0;
    }
    if (fr->data_len) {
        memcpy(e->buf + fr->offset, fr->data, fr->data_len);
        for (uint32_t b = fr->offset / 8; b < (end + 7) / 8; b++)
            bit_set(map_have(e), b);
        bit_set(map_start(e), fr->offset / 8);
    }
    e->received += fr->data_len;
    e->count++;
    e->last_frame = pkt->frame;
    if (end > e->max_end)
        e->max_end = end;
    if (!fr->more) {
        e->have_total = true;
        e->total = end;
    }
    if (fr->offset == 0) {
        memcpy(e->hdr, fr->hdr, fr->hdr_len);
        e->hdr_len = (uint8_t)fr->hdr_len;
        e->next_proto = fr->next_proto;
    }
    if (!e->have_total || e->received != e->total || !e->hdr_len)
        return 0;
    out->len = build(f, pkt->ip_version, e->hdr, e->hdr_len, e->next_proto, e->buf, e->total);
    out->data = f->out;
    out->first_frame = e->first_frame;
    out->last_frame = e->last_frame;
    out->fragment_count = e->count;
    f->stats.reassembled++;
    entry_remove(f, slot);
    return 1;
}

int
ipfrag_add(struct ipfrag *f, const struct packet *pkt, struct ipfrag_datagram *out)
{
    const struct ip_fragment *fr = &pkt->frag;
    if (!(pkt->layers & LAYER_FRAGMENT))
        return 0;
    ipfrag_expire(f, pkt->ts_ns);
    f->stats.fragments++;
    if (!frag_sane(pkt)) {
        f->stats.malformed++;
        return 0;
    }
    uint64_t end = (uint64_t)fr->offset + fr->data_wire_len;
    if (fr->offset == 0 && !fr->more) {
        /* An atomic fragment stands alone, never mixed with others (RFC 6946 §4). */
        uint32_t hl = pkt->ip_version == 4 ? fr->hdr_len : 0;
        if (fr->data_len < fr->data_wire_len) {
            f->stats.truncated++;
            return 0;
        }
        if (end + hl > IPFRAG_MAX_LEN) {
            f->stats.oversize++;
            return 0;
        }
        out->len =
            build(f, pkt->ip_version, fr->hdr, fr->hdr_len, fr->next_proto, fr->data, fr->data_len);
        out->data = f->out;
        out->first_frame = out->last_frame = pkt->frame;
        out->fragment_count = 1;
        f->stats.reassembled++;
        return 1;
    }
    uint32_t slot = entry_lookup(f, pkt);
    if (slot == TABLE_NONE) {
        f->stats.evicted++; /* unreachable with capacity ≥ 1; counted rather than lost */
        return 0;
    }
    struct frag_entry *e = table_value(&f->table, slot);
    e->last_ts = pkt->ts_ns;
    if (e->dead) {
        f->stats.discarded++;
        return 0;
    }
    if (entry_check(f, e, pkt, end) != 0)
        return 0;
    return entry_accept(f, slot, e, pkt, (uint32_t)end, out);
}

const struct ipfrag_stats *
ipfrag_stats(const struct ipfrag *f)
{
    return &f->stats;
}
