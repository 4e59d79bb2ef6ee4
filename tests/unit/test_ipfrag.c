/* test_ipfrag.c — IPv4 (RFC 791) / IPv6 (RFC 8200 §4.5, RFC 5722) fragment reassembly tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/track/ipfrag.h"

#define SEC 1000000000LL
#define CHARGE 4224u /* bytes charged per 4 KiB buffer step (ipfrag.h) */

/* A datagram to cut into fragments: first fragment's header, addresses and the data. */
struct dgram {
    uint8_t ver;
    uint32_t id;
    uint8_t proto;
    uint8_t hdr[60];
    uint32_t hdr_len;
    uint8_t src[16], dst[16];
    uint32_t len;
    uint8_t data[65536 + 64];
};

static uint64_t rng_state;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Datagrams of the running test; the teardown frees them, also after a failed assertion. */
static struct dgram *pool[8];
static unsigned pool_len;

static int
pool_free(void **state)
{
    (void)state;
    while (pool_len)
        free(pool[--pool_len]);
    return 0;
}

static struct dgram *
dgram_new(uint8_t ver, uint32_t id, uint8_t proto, uint32_t len, uint32_t hdr_len)
{
    assert_true(pool_len < 8);
    struct dgram *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    pool[pool_len++] = d;
    d->ver = ver;
    d->id = id;
    d->proto = proto;
    d->len = len;
    for (uint32_t i = 0; i < len; i++)
        d->data[i] = (uint8_t)(i * 7 + id * 13 + (i >> 8));
    if (ver == 4) {
        uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
        memcpy(d->src, a, 4);
        memcpy(d->dst, b, 4);
        d->hdr_len = hdr_len;
        d->hdr[0] = (uint8_t)(0x40 | hdr_len / 4);
        d->hdr[2] = 0x05; /* this fragment's total length: the rebuilt one is fixed */
        d->hdr[3] = 0xdc;
        d->hdr[4] = (uint8_t)(id >> 8);
        d->hdr[5] = (uint8_t)id;
        d->hdr[6] = 0x20; /* MF */
        d->hdr[8] = 64;
        d->hdr[9] = proto;
        d->hdr[10] = 0xde; /* a stale checksum */
        d->hdr[11] = 0xad;
        memcpy(d->hdr + 12, a, 4);
        memcpy(d->hdr + 16, b, 4);
        memset(d->hdr + 20, 0x01, hdr_len - 20); /* NOP options, kept as they were */
    } else {
        uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
        uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
        memcpy(d->src, a, 16);
        memcpy(d->dst, b, 16);
        d->hdr_len = 40;
        uint8_t h[8] = {0x60, 0, 0, 0, 0x05, 0xb8, 44, 64};
        memcpy(d->hdr, h, 8);
        memcpy(d->hdr + 8, a, 16);
        memcpy(d->hdr + 24, b, 16);
    }
    return d;
}

/* Feed one fragment with explicit data and captured/wire lengths. */
static int
feed_raw(struct ipfrag *f, const struct dgram *d, uint32_t off, const uint8_t *data, uint32_t len,
         uint32_t wire_len, bool more, int64_t ts, uint64_t frame, struct ipfrag_datagram *out)
{
    struct packet p;
    memset(&p, 0, sizeof(p));
    p.frame = frame;
    p.ts_ns = ts;
    p.layers = LAYER_FRAGMENT | (d->ver == 4 ? LAYER_IPV4 : LAYER_IPV6);
    p.ip_version = d->ver;
    p.src.family = p.dst.family = d->ver;
    memcpy(p.src.a, d->src, 16);
    memcpy(p.dst.a, d->dst, 16);
    p.ip_proto = d->ver == 4 ? d->proto : 44;
    p.frag.id = d->id;
    p.frag.offset = off;
    p.frag.more = more;
    p.frag.next_proto = d->proto;
    p.frag.hdr = d->hdr;
    p.frag.hdr_len = d->hdr_len;
    p.frag.data = data;
    p.frag.data_len = len;
    p.frag.data_wire_len = wire_len;
    return ipfrag_add(f, &p, out);
}

static int
feed(struct ipfrag *f, const struct dgram *d, uint32_t off, uint32_t len, bool more, int64_t ts,
     uint64_t frame, struct ipfrag_datagram *out)
{
    return feed_raw(f, d, off, d->data + off, len, len, more, ts, frame, out);
}

static uint32_t
get16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

/* The rebuilt datagram must be the header with fixed length fields, then exactly the data. */
static void
check_datagram(const struct ipfrag_datagram *out, const struct dgram *d)
{
    assert_int_equal(out->len, d->hdr_len + d->len);
    if (d->ver == 4) {
        assert_int_equal(get16(out->data + 2), d->hdr_len + d->len);
        assert_int_equal(out->data[6] & 0x3f, 0); /* MF and offset cleared */
        assert_int_equal(out->data[7], 0);
        assert_int_equal(out->data[9], d->proto);
        uint32_t sum = 0;
        for (uint32_t i = 0; i < d->hdr_len; i += 2)
            sum += get16(out->data + i);
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        assert_int_equal(sum, 0xffff);
        assert_memory_equal(out->data + 12, d->hdr + 12, d->hdr_len - 12); /* addrs + options */
    } else {
        assert_int_equal(get16(out->data + 4), d->len);
        assert_int_equal(out->data[6], d->proto);
        assert_memory_equal(out->data + 8, d->hdr + 8, 32);
    }
    assert_memory_equal(out->data + d->hdr_len, d->data, d->len);
}

static void
assert_no_drops(const struct ipfrag_stats *st)
{
    assert_int_equal(st->timed_out + st->evicted + st->overlaps + st->oversize + st->inconsistent +
                         st->truncated + st->discarded + st->malformed,
                     0);
}

static const struct ipfrag_limits lim_default = {64, 1u << 22, 30 * SEC, 1};

static void
test_in_order_v4(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct dgram *d = dgram_new(4, 0x1234, 17, 3000, 20);
    struct ipfrag_datagram out;
    assert_int_equal(feed(f, d, 0, 1480, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, d, 1480, 1480, true, 1, 2, &out), 0);
    assert_int_equal(feed(f, d, 2960, 40, false, 2, 3, &out), 1);
    check_datagram(&out, d);
    assert_int_equal(out.first_frame, 1);
    assert_int_equal(out.last_frame, 3);
    assert_int_equal(out.fragment_count, 3);
    const struct ipfrag_stats *st = ipfrag_stats(f);
    assert_int_equal(st->fragments, 3);
    assert_int_equal(st->reassembled, 1);
    assert_no_drops(st);
    ipfrag_free(f);
}

static void
test_reverse_with_options(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct dgram *d = dgram_new(4, 7, 6, 4001, 28);
    d->hdr[6] = 0x60; /* DF (kept) with MF */
    struct ipfrag_datagram out;
    assert_int_equal(feed(f, d, 3200, 801, false, 0, 10, &out), 0);
    assert_int_equal(feed(f, d, 1600, 1600, true, 0, 11, &out), 0);
    assert_int_equal(feed(f, d, 0, 1600, true, 0, 12, &out), 1);
    check_datagram(&out, d);
    assert_int_equal(out.data[6], 0x40);
    assert_int_equal(out.first_frame, 10);
    assert_int_equal(out.last_frame, 12);
    assert_no_drops(ipfrag_stats(f));
    ipfrag_free(f);
}

static void
test_interleaved(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(NULL); /* the defaults */
    struct dgram *a = dgram_new(4, 100, 17, 2000, 20);
    struct dgram *b = dgram_new(4, 100, 6, 2000, 20); /* same id, other protocol: other datagram */
    struct dgram *c = dgram_new(4, 101, 17, 1000, 20);
    struct ipfrag_datagram out;
    assert_int_equal(feed(f, a, 0, 1000, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, b, 1000, 1000, false, 0, 2, &out), 0);
    assert_int_equal(feed(f, c, 512, 488, false, 0, 3, &out), 0);
    assert_int_equal(feed(f, b, 0, 1000, true, 0, 4, &out), 1);
    check_datagram(&out, b);
    assert_int_equal(feed(f, c, 0, 512, true, 0, 5, &out), 1);
    check_datagram(&out, c);
    assert_int_equal(feed(f, a, 1000, 1000, false, 0, 6, &out), 1);
    check_datagram(&out, a);
    assert_int_equal(out.first_frame, 1);
    assert_int_equal(ipfrag_stats(f)->reassembled, 3);
    assert_no_drops(ipfrag_stats(f));
    ipfrag_free(f);
}

static void
test_duplicates(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct dgram *d = dgram_new(4, 9, 17, 2500, 20);
    struct ipfrag_datagram out;
    assert_int_equal(feed(f, d, 1000, 1000, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, d, 1000, 1000, true, 0, 2, &out), 0);
    assert_int_equal(feed(f, d, 2000, 500, false, 0, 3, &out), 0);
    assert_int_equal(feed(f, d, 2000, 500, false, 0, 4, &out), 0);
    assert_int_equal(feed(f, d, 0, 1000, true, 0, 5, &out), 1);
    check_datagram(&out, d);
    assert_int_equal(out.fragment_count, 3);
    assert_int_equal(ipfrag_stats(f)->duplicates, 2);
    assert_no_drops(ipfrag_stats(f));
    ipfrag_free(f);
}

/* Teardrop and RFC 5722 evasion: any overlap drops the datagram and swallows its remains. */
static void
test_overlap_attacks(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    uint8_t evil[64];
    memset(evil, 0xee, sizeof(evil));

    struct dgram *t = dgram_new(4, 1, 17, 64, 20); /* partial overlap, other bytes */
    assert_int_equal(feed(f, t, 0, 24, true, 0, 1, &out), 0);
    assert_int_equal(feed_raw(f, t, 8, evil, 24, 24, true, 0, 2, &out), 0);
    assert_int_equal(feed(f, t, 24, 40, false, 0, 3, &out), 0);
    assert_int_equal(ipfrag_stats(f)->overlaps, 1);
    assert_int_equal(ipfrag_stats(f)->discarded, 1);

    struct dgram *c = dgram_new(4, 2, 17, 64, 20); /* classic teardrop: last ends inside */
    assert_int_equal(feed(f, c, 0, 24, true, 0, 4, &out), 0);
    assert_int_equal(feed(f, c, 16, 4, false, 0, 5, &out), 0);
    assert_int_equal(ipfrag_stats(f)->inconsistent, 1);

    struct dgram *s = dgram_new(4, 3, 17, 64, 20); /* same bytes, but straddles two fragments */
    assert_int_equal(feed(f, s, 0, 16, true, 0, 6, &out), 0);
    assert_int_equal(feed(f, s, 16, 16, true, 0, 7, &out), 0);
    assert_int_equal(feed(f, s, 8, 16, true, 0, 8, &out), 0);
    assert_int_equal(ipfrag_stats(f)->overlaps, 2);

    struct dgram *v = dgram_new(6, 4, 17, 64, 40); /* same offset and length, other bytes */
    assert_int_equal(feed(f, v, 0, 32, true, 0, 9, &out), 0);
    assert_int_equal(feed_raw(f, v, 0, evil, 32, 32, true, 0, 10, &out), 0);
    assert_int_equal(feed(f, v, 32, 32, false, 0, 11, &out), 0);
    assert_int_equal(ipfrag_stats(f)->overlaps, 3);
    assert_int_equal(ipfrag_stats(f)->discarded, 2);
    assert_int_equal(ipfrag_stats(f)->reassembled, 0);

    /* Dead entries expire silently: the drop was counted once. */
    ipfrag_expire(f, 100 * SEC);
    assert_int_equal(ipfrag_stats(f)->timed_out, 0);
    ipfrag_free(f);
}

static void
test_inconsistent_ends(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    struct dgram *a = dgram_new(4, 1, 17, 2000, 20);
    assert_int_equal(feed(f, a, 1480, 520, false, 0, 1, &out), 0);
    assert_int_equal(feed(f, a, 1480, 512, false, 0, 2, &out), 0); /* a second, other end */
    struct dgram *b = dgram_new(4, 2, 17, 4000, 20);
    assert_int_equal(feed(f, b, 1480, 520, false, 0, 3, &out), 0);
    assert_int_equal(feed(f, b, 2000, 1480, true, 0, 4, &out), 0); /* beyond the known end */
    struct dgram *c = dgram_new(6, 3, 17, 4000, 40);
    assert_int_equal(feed(f, c, 1480, 1480, true, 0, 5, &out), 0);
    assert_int_equal(feed(f, c, 8, 992, false, 0, 6, &out), 0); /* data past this end */
    assert_int_equal(ipfrag_stats(f)->inconsistent, 3);
    assert_int_equal(ipfrag_stats(f)->overlaps, 0);
    ipfrag_free(f);
}

/* 8-byte fragments in shuffled order complete; impossible ones are refused alone. */
static void
test_tiny_and_malformed(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    struct dgram *d = dgram_new(4, 5, 17, 203, 20);
    uint32_t order[26];
    for (uint32_t i = 0; i < 26; i++)
        order[i] = i;
    rng_state = 42;
    for (uint32_t i = 25; i > 0; i--) {
        uint32_t j = rng() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    assert_int_equal(feed(f, d, 8, 0, true, 0, 100, &out), 0);  /* zero-length, not last */
    assert_int_equal(feed(f, d, 8, 12, true, 0, 101, &out), 0); /* not a multiple of 8 */
    assert_int_equal(feed(f, d, 4, 8, true, 0, 102, &out), 0);  /* misaligned offset */
    assert_int_equal(ipfrag_stats(f)->malformed, 3);
    int done = 0;
    for (uint32_t i = 0; i < 26; i++) {
        uint32_t off = order[i] * 8, len = order[i] == 25 ? 3 : 8;
        int r = feed(f, d, off, len, order[i] != 25, 0, i + 1, &out);
        if (r)
            check_datagram(&out, d);
        done += r;
    }
    assert_int_equal(done, 1);
    assert_int_equal(out.fragment_count, 26);
    ipfrag_free(f);
}

static void
test_oversize(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    struct dgram *d = dgram_new(4, 1, 1, 65536, 20);
    assert_int_equal(feed(f, d, 0, 1480, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, d, 65528, 8, false, 0, 2, &out), 0); /* Ping of Death */
    assert_int_equal(ipfrag_stats(f)->oversize, 1);
    struct dgram *o = dgram_new(4, 2, 1, 65536, 60);
    assert_int_equal(feed(f, o, 64000, 1480, false, 0, 3, &out), 0); /* fits a 20-byte header */
    assert_int_equal(feed(f, o, 0, 1480, true, 0, 4, &out), 0);      /* its 60 bytes do not */
    assert_int_equal(ipfrag_stats(f)->oversize, 2);
    struct dgram *v = dgram_new(6, 3, 17, 65536, 40);
    assert_int_equal(feed(f, v, 65528, 8, false, 0, 5, &out), 0);
    assert_int_equal(feed(f, v, 65520, 8, true, 0, 6, &out), 0);
    assert_int_equal(ipfrag_stats(f)->oversize, 3);
    assert_int_equal(ipfrag_stats(f)->discarded, 1);
    /* The largest legal IPv6 payload rebuilds. */
    struct dgram *m = dgram_new(6, 4, 17, 65535, 40);
    int r = 0;
    for (uint32_t off = 0; off < 65535; off += 1448) {
        uint32_t len = 65535 - off > 1448 ? 1448 : 65535 - off;
        r = feed(f, m, off, len, off + len < 65535, 0, 7, &out);
    }
    assert_int_equal(r, 1);
    check_datagram(&out, m);
    ipfrag_free(f);
}

static void
test_timeout_packet_time(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    struct dgram *d = dgram_new(4, 1, 17, 3000, 20);
    /* Each fragment restarts the clock (RFC 791): 29 s apart still completes. */
    assert_int_equal(feed(f, d, 0, 1480, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, d, 1480, 1480, true, 29 * SEC, 2, &out), 0);
    assert_int_equal(feed(f, d, 2960, 40, false, 58 * SEC, 3, &out), 1);
    check_datagram(&out, d);
    /* 31 s of silence expires it on the next fragment's time, oldest first. */
    struct dgram *e = dgram_new(4, 2, 17, 3000, 20);
    struct dgram *g = dgram_new(4, 3, 17, 3000, 20);
    assert_int_equal(feed(f, e, 0, 1480, true, 100 * SEC, 4, &out), 0);
    assert_int_equal(feed(f, g, 0, 1480, true, 120 * SEC, 5, &out), 0);
    assert_int_equal(feed(f, g, 1480, 1480, true, 131 * SEC, 6, &out), 0);
    assert_int_equal(ipfrag_stats(f)->timed_out, 1);
    assert_int_equal(feed(f, e, 1480, 1480, true, 131 * SEC, 7, &out), 0);
    assert_int_equal(feed(f, e, 2960, 40, false, 131 * SEC, 8, &out), 0); /* no first part */
    assert_int_equal(feed(f, g, 2960, 40, false, 132 * SEC, 9, &out), 1);
    check_datagram(&out, g);
    ipfrag_expire(f, 150 * SEC);
    assert_int_equal(ipfrag_stats(f)->timed_out, 1);
    ipfrag_expire(f, 162 * SEC);
    assert_int_equal(ipfrag_stats(f)->timed_out, 2);
    ipfrag_expire(f, INT64_MIN); /* time going backwards expires nothing, breaks nothing */
    ipfrag_free(f);
}

static void
test_datagram_cap_lru(void **state)
{
    (void)state;
    struct ipfrag_limits lim = {2, 1u << 22, 30 * SEC, 1};
    struct ipfrag *f = ipfrag_new(&lim);
    struct ipfrag_datagram out;
    struct dgram *a = dgram_new(4, 1, 17, 3000, 20);
    struct dgram *b = dgram_new(4, 2, 17, 3000, 20);
    struct dgram *c = dgram_new(4, 3, 17, 3000, 20);
    assert_int_equal(feed(f, a, 0, 1480, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, b, 0, 1480, true, 0, 2, &out), 0);
    assert_int_equal(feed(f, a, 1480, 1480, true, 0, 3, &out), 0); /* a is now the newest */
    assert_int_equal(feed(f, c, 0, 1480, true, 0, 4, &out), 0);    /* evicts b */
    assert_int_equal(ipfrag_stats(f)->evicted, 1);
    assert_int_equal(feed(f, a, 2960, 40, false, 0, 5, &out), 1);
    check_datagram(&out, a);
    assert_int_equal(feed(f, b, 1480, 1480, true, 0, 6, &out), 0); /* b starts over, no head */
    assert_int_equal(feed(f, c, 1480, 1520, false, 0, 7, &out), 1);
    check_datagram(&out, c);
    ipfrag_free(f); /* b still in flight: freed here (ASan checks) */
}

static void
test_byte_cap(void **state)
{
    (void)state;
    struct ipfrag_limits lim = {64, 2 * CHARGE, 30 * SEC, 1};
    struct ipfrag *f = ipfrag_new(&lim);
    struct ipfrag_datagram out;
    struct dgram *a = dgram_new(4, 1, 17, 3000, 20);
    struct dgram *b = dgram_new(4, 2, 17, 3000, 20);
    struct dgram *c = dgram_new(4, 3, 17, 3000, 20);
    struct dgram *h = dgram_new(4, 4, 17, 9000, 20);
    assert_int_equal(feed(f, a, 0, 1480, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, b, 0, 1480, true, 0, 2, &out), 0);
    assert_int_equal(feed(f, c, 0, 1480, true, 0, 3, &out), 0); /* evicts a, the oldest */
    assert_int_equal(ipfrag_stats(f)->evicted, 1);
    assert_int_equal(feed(f, b, 1480, 1520, false, 0, 4, &out), 1);
    check_datagram(&out, b);
    /* A datagram needing more than the whole cap is dropped alone; c survives. */
    assert_int_equal(feed(f, h, 8000, 1000, false, 0, 5, &out), 0);
    assert_int_equal(ipfrag_stats(f)->evicted, 2);
    assert_int_equal(feed(f, c, 1480, 1520, false, 0, 6, &out), 1);
    check_datagram(&out, c);
    ipfrag_free(f);
}

static void
test_v6_and_atomic(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    struct dgram *d = dgram_new(6, 0xdeadbeef, 17, 5000, 40);
    assert_int_equal(feed(f, d, 2896, 1448, true, 0, 1, &out), 0);
    assert_int_equal(feed(f, d, 4344, 656, false, 0, 2, &out), 0);
    assert_int_equal(feed(f, d, 1448, 1448, true, 0, 3, &out), 0);
    assert_int_equal(feed(f, d, 0, 1448, true, 0, 4, &out), 1);
    check_datagram(&out, d);
    assert_int_equal(out.fragment_count, 4);
    /* Atomic fragment (RFC 6946): rebuilt at once, never mixed with the same id. */
    struct dgram *a = dgram_new(6, 77, 58, 100, 40);
    assert_int_equal(feed(f, a, 200, 8, true, 0, 5, &out), 0);
    assert_int_equal(feed(f, a, 0, 100, false, 0, 6, &out), 1);
    check_datagram(&out, a);
    assert_int_equal(out.fragment_count, 1);
    assert_no_drops(ipfrag_stats(f));
    ipfrag_free(f);
}

static void
test_snaplen_cut(void **state)
{
    (void)state;
    struct ipfrag *f = ipfrag_new(&lim_default);
    struct ipfrag_datagram out;
    struct dgram *d = dgram_new(4, 1, 17, 3000, 20);
    assert_int_equal(feed(f, d, 0, 1480, true, 0, 1, &out), 0);
    assert_int_equal(feed_raw(f, d, 1480, d->data + 1480, 96, 1480, true, 0, 2, &out), 0);
    assert_int_equal(feed(f, d, 1480, 1480, true, 0, 3, &out), 0);
    assert_int_equal(feed(f, d, 2960, 40, false, 0, 4, &out), 0);
    assert_int_equal(ipfrag_stats(f)->truncated, 1);
    assert_int_equal(ipfrag_stats(f)->discarded, 2);
    assert_int_equal(ipfrag_stats(f)->reassembled, 0);
    /* A cut atomic fragment is not delivered either. */
    struct dgram *a = dgram_new(6, 2, 17, 100, 40);
    assert_int_equal(feed_raw(f, a, 0, a->data, 50, 100, false, 0, 5, &out), 0);
    assert_int_equal(ipfrag_stats(f)->truncated, 2);
    ipfrag_free(f);
}

/* Random datagrams cut at random 8-byte multiples, interleaved, duplicated and shuffled. */
static void
test_property_shuffle(void **state)
{
    (void)state;
    rng_state = 0x9e3779b97f4a7c15ull;
    struct frag {
        uint32_t dg, off, len;
        bool more;
    };
    struct frag *fr = malloc(sizeof(*fr) * 4 * 2400);
    assert_non_null(fr);
    uint32_t next_id = 1;
    for (int round = 0; round < 300; round++) {
        struct ipfrag *f = ipfrag_new(&lim_default);
        struct dgram *d[4];
        uint32_t k = 1 + rng() % 4, n = 0;
        for (uint32_t i = 0; i < k; i++) {
            uint32_t len = rng() % 8 == 0 ? 9 + rng() % 65000 : 9 + rng() % 9000;
            d[i] = dgram_new(rng() % 2 ? 4 : 6, next_id++, 17, len, 20 + 4 * (rng() % 11));
            if (d[i]->ver == 4 && d[i]->hdr_len + len > 65535)
                d[i]->len = len = 65535 - d[i]->hdr_len;
            uint32_t step = 8 * (1 + rng() % 185);
            if (len > 9100 && step < 512)
                step = 1480;
            if (step >= len)
                step = (len - 1) / 8 * 8; /* two fragments at least: one alone is atomic */
            for (uint32_t off = 0; off < len; off += step) {
                uint32_t l = len - off > step ? step : len - off;
                fr[n++] = (struct frag){i, off, l, off + l < len};
                /* Copies of middle fragments only, so a late copy cannot complete twice. */
                if (fr[n - 1].more && rng() % 10 == 0) {
                    fr[n] = fr[n - 1];
                    n++;
                }
            }
        }
        for (uint32_t i = n - 1; i > 0; i--) {
            uint32_t j = rng() % (i + 1);
            struct frag t = fr[i];
            fr[i] = fr[j];
            fr[j] = t;
        }
        uint32_t done = 0;
        for (uint32_t i = 0; i < n; i++) {
            struct ipfrag_datagram out;
            const struct dgram *g = d[fr[i].dg];
            if (feed(f, g, fr[i].off, fr[i].len, fr[i].more, i, fr[i].dg, &out)) {
                assert_int_equal(out.first_frame, fr[i].dg);
                check_datagram(&out, g);
                done++;
            }
        }
        assert_int_equal(done, k);
        const struct ipfrag_stats *st = ipfrag_stats(f);
        assert_int_equal(st->overlaps + st->inconsistent + st->oversize + st->malformed, 0);
        pool_free(NULL);
        ipfrag_free(f);
    }
    free(fr);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_in_order_v4, pool_free),
        cmocka_unit_test_teardown(test_reverse_with_options, pool_free),
        cmocka_unit_test_teardown(test_interleaved, pool_free),
        cmocka_unit_test_teardown(test_duplicates, pool_free),
        cmocka_unit_test_teardown(test_overlap_attacks, pool_free),
        cmocka_unit_test_teardown(test_inconsistent_ends, pool_free),
        cmocka_unit_test_teardown(test_tiny_and_malformed, pool_free),
        cmocka_unit_test_teardown(test_oversize, pool_free),
        cmocka_unit_test_teardown(test_timeout_packet_time, pool_free),
        cmocka_unit_test_teardown(test_datagram_cap_lru, pool_free),
        cmocka_unit_test_teardown(test_byte_cap, pool_free),
        cmocka_unit_test_teardown(test_v6_and_atomic, pool_free),
        cmocka_unit_test_teardown(test_snaplen_cut, pool_free),
        cmocka_unit_test_teardown(test_property_shuffle, pool_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
