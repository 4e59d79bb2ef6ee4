/* test_tcp_stream.c — per-direction TCP stream reassembly (RFC 9293 §3.4) tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/track/tcp_stream.h"
#include "dissectors/packet.h"

#define STREAM_MAX 200000u

/*
 * Collects deliveries at their stream position: each gap_before advances the position, so
 * buf[p] is what the stream said byte p is. calls/gap_calls/frames record the shape.
 */
struct sink {
    uint8_t buf[STREAM_MAX];
    uint8_t set[STREAM_MAX];
    uint64_t pos;
    uint64_t bytes;
    uint64_t gaps;
    uint32_t calls;
    uint32_t gap_calls;
    uint32_t gap[16];
    uint64_t frame[16];
};

static void
sink_fn(void *ctx, const uint8_t *data, uint32_t len, uint32_t gap_before, uint64_t frame)
{
    struct sink *k = ctx;
    assert_true(len > 0);
    if (gap_before)
        k->gap_calls++;
    if (k->calls < 16) {
        k->gap[k->calls] = gap_before;
        k->frame[k->calls] = frame;
    }
    k->calls++;
    k->pos += gap_before;
    k->gaps += gap_before;
    for (uint32_t i = 0; i < len; i++, k->pos++) {
        if (k->pos < STREAM_MAX) {
            k->buf[k->pos] = data[i];
            k->set[k->pos] = 1;
        }
    }
    k->bytes += len;
}

static struct sink *
sink_new(void)
{
    struct sink *k = calloc(1, sizeof(*k));
    assert_non_null(k);
    return k;
}

static uint8_t orig[STREAM_MAX];

static void
fill_orig(uint32_t seed)
{
    for (uint32_t i = 0; i < STREAM_MAX; i++)
        orig[i] = (uint8_t)(i * 31 + seed + (i >> 9));
}

static uint64_t rng_state;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Feed stream bytes [off, off + len) of orig, whose byte 0 has sequence number base. */
static int
seg(struct tcp_stream *s, struct sink *k, uint32_t base, uint32_t off, uint32_t len, uint64_t frame)
{
    return tcp_stream_segment(s, base + off, TCP_ACK, orig + off, len, len, frame, sink_fn, k);
}

/* The delivered bytes sit at their true positions [from, to). */
static void
assert_delivered(const struct sink *k, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        assert_true(k->set[i]);
    assert_memory_equal(k->buf + from, orig + from, to - from);
}

static void
test_in_order(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(1);
    tcp_stream_init(&s, 65536);
    uint32_t isn = 1000;
    assert_int_equal(tcp_stream_segment(&s, isn, TCP_SYN, NULL, 0, 0, 1, sink_fn, k), 0);
    assert_true(s.have_isn);
    assert_int_equal(s.next_seq, isn + 1);
    seg(&s, k, isn + 1, 0, 100, 2);
    seg(&s, k, isn + 1, 100, 200, 3);
    seg(&s, k, isn + 1, 300, 50, 4);
    assert_int_equal(k->calls, 3);
    assert_int_equal(k->gaps, 0);
    assert_int_equal(k->frame[2], 4);
    assert_delivered(k, 0, 350);
    assert_int_equal(s.stats.bytes, 350);
    assert_int_equal(s.stats.segments, 4);
    tcp_stream_segment(&s, isn + 351, TCP_FIN | TCP_ACK, NULL, 0, 0, 5, sink_fn, k);
    assert_true(s.fin_seen);
    assert_int_equal(s.high_seq, isn + 352);
    tcp_stream_free(&s);
    free(k);
}

static void
test_retransmit(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(2);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    seg(&s, k, 1, 0, 100, 2);
    seg(&s, k, 1, 0, 100, 3);
    seg(&s, k, 1, 20, 50, 4);
    assert_int_equal(k->calls, 1);
    assert_int_equal(s.stats.retransmissions, 2);
    assert_int_equal(s.stats.bytes, 100);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 5, sink_fn, k); /* SYN again: no reset */
    assert_int_equal(s.next_seq, 101);
    tcp_stream_free(&s);
    free(k);
}

static void
test_reverse_three(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(3);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 5000, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    seg(&s, k, 5001, 200, 100, 2);
    seg(&s, k, 5001, 100, 100, 3);
    assert_int_equal(k->calls, 0);
    assert_int_equal(s.buffered, 200);
    seg(&s, k, 5001, 0, 100, 4);
    assert_int_equal(k->calls, 3);
    assert_int_equal(k->frame[0], 4);
    assert_int_equal(k->frame[1], 3);
    assert_int_equal(k->frame[2], 2);
    assert_delivered(k, 0, 300);
    assert_int_equal(s.stats.out_of_order, 2);
    assert_int_equal(s.buffered, 0);
    assert_null(s.ooo);
    tcp_stream_free(&s);
    free(k);
}

static void
test_overlap(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(4);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    seg(&s, k, 1, 0, 100, 2);
    seg(&s, k, 1, 50, 100, 3); /* delivers only [100, 150) */
    assert_int_equal(k->calls, 2);
    assert_int_equal(s.stats.bytes, 150);
    assert_int_equal(s.stats.overlaps, 1);
    /* Held data overlapped by a later held segment, then by the in-order one. */
    seg(&s, k, 1, 300, 100, 4);
    seg(&s, k, 1, 250, 200, 5); /* holds [250, 300) and [400, 450) only */
    assert_int_equal(s.buffered, 200);
    assert_int_equal(s.stats.overlaps, 2);
    seg(&s, k, 1, 300, 50, 6); /* wholly inside held data */
    assert_int_equal(s.stats.retransmissions, 1);
    seg(&s, k, 1, 150, 120, 7); /* overlaps the held [250, 300) */
    assert_int_equal(s.stats.overlaps, 3);
    assert_int_equal(s.stats.bytes, 450);
    assert_int_equal(k->gaps, 0);
    assert_delivered(k, 0, 450);
    assert_int_equal(s.buffered, 0);
    tcp_stream_free(&s);
    free(k);
}

static void
test_wraparound(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(5);
    tcp_stream_init(&s, 65536);
    uint32_t isn = 0xffffff00u;
    tcp_stream_segment(&s, isn, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    seg(&s, k, isn + 1, 0, 200, 2);
    seg(&s, k, isn + 1, 400, 200, 3); /* held across the wrap */
    seg(&s, k, isn + 1, 200, 200, 4); /* crosses 2^32 */
    seg(&s, k, isn + 1, 100, 50, 5);  /* old data before the wrap */
    assert_int_equal(s.stats.retransmissions, 1);
    assert_int_equal(s.next_seq, isn + 1 + 600);
    assert_true(s.next_seq < isn);
    assert_delivered(k, 0, 600);
    tcp_stream_ack(&s, isn + 601);
    assert_int_equal(s.acked_unseen, 0);
    tcp_stream_free(&s);
    free(k);
}

static void
test_mid_stream(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(6);
    tcp_stream_init(&s, 65536);
    uint32_t base = 123456789;
    tcp_stream_segment(&s, base, TCP_ACK, NULL, 0, 0, 1, sink_fn, k); /* bare ACK: nothing */
    assert_false(s.have_isn);
    assert_int_equal(s.stats.segments, 0);
    seg(&s, k, base, 1000, 100, 2);
    assert_true(s.have_isn);
    assert_int_equal(s.next_seq, base + 1100);
    seg(&s, k, base, 900, 100, 3); /* before the start we took: not deliverable */
    seg(&s, k, base, 1100, 100, 4);
    assert_int_equal(k->calls, 2);
    assert_int_equal(k->gaps, 0);
    assert_int_equal(s.stats.retransmissions, 1);
    assert_memory_equal(k->buf, orig + 1000, 200);
    tcp_stream_free(&s);
    free(k);
}

static void
test_cap_forces_gap(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(7);
    tcp_stream_init(&s, 300);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    /* [0, 100) never captured; three segments fill the cap. */
    seg(&s, k, 1, 100, 100, 2);
    seg(&s, k, 1, 200, 100, 3);
    seg(&s, k, 1, 300, 100, 4);
    assert_int_equal(s.buffered, 300);
    assert_int_equal(k->calls, 0);
    seg(&s, k, 1, 400, 100, 5); /* no room: the hole goes, everything flows */
    assert_int_equal(s.stats.gaps, 1);
    assert_int_equal(s.stats.gap_bytes, 100);
    assert_int_equal(k->gap[0], 100);
    assert_int_equal(k->calls, 4);
    assert_delivered(k, 100, 500);
    assert_int_equal(s.buffered, 0);
    assert_int_equal(s.stats.dropped_bytes, 0);
    /* A segment larger than the whole cap: skip to it and deliver it in place. */
    seg(&s, k, 1, 1000, 400, 6);
    assert_int_equal(s.stats.gaps, 2);
    assert_int_equal(k->gap[4], 500);
    assert_delivered(k, 1000, 1400);
    assert_int_equal(s.next_seq, 1401);
    /* The segment count is capped too (64 + 300 / 256 = 65): 1-byte pieces cannot pile up. */
    for (uint32_t i = 0; i < 80; i++)
        seg(&s, k, 1, 1402 + 2 * i, 1, 7 + i);
    assert_true(s.held <= 65);
    assert_true(s.stats.gaps > 2);
    tcp_stream_flush(&s, sink_fn, k);
    assert_int_equal(s.held, 0);
    assert_int_equal(k->pos, 1402 + 2 * 79 + 1);
    tcp_stream_free(&s);
    free(k);
}

static void
test_snaplen_cut(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(8);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    /* In order, cut at 60 of 100: deliver 60, the next delivery says 40 are missing. */
    tcp_stream_segment(&s, 1, TCP_ACK, orig, 60, 100, 2, sink_fn, k);
    assert_int_equal(k->calls, 1);
    assert_int_equal(s.next_seq, 101);
    assert_int_equal(s.pending_gap, 40);
    seg(&s, k, 1, 100, 100, 3);
    assert_int_equal(k->gap[1], 40);
    /* Cut again: [200, 250) of [200, 300), then [300, 400) arrives after the 50 lost. */
    tcp_stream_segment(&s, 201, TCP_ACK, orig + 200, 50, 100, 4, sink_fn, k);
    assert_int_equal(k->calls, 3);
    seg(&s, k, 1, 300, 100, 5);
    assert_int_equal(k->calls, 4);
    assert_int_equal(k->gap[2], 0);
    assert_int_equal(k->gap[3], 50);
    assert_delivered(k, 200, 250);
    assert_delivered(k, 300, 400);
    assert_int_equal(s.stats.gaps, 2);
    tcp_stream_free(&s);
    /* In order but cut to 50 while a held segment sits inside its lost tail. */
    struct sink *m = sink_new();
    struct tcp_stream t;
    tcp_stream_init(&t, 65536);
    tcp_stream_segment(&t, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, m);
    seg(&t, m, 1, 100, 100, 2);
    tcp_stream_segment(&t, 1, TCP_ACK, orig, 50, 200, 3, sink_fn, m);
    assert_int_equal(m->calls, 2);
    assert_int_equal(m->gap[1], 50);
    assert_delivered(m, 0, 50);
    assert_delivered(m, 100, 200);
    assert_int_equal(t.next_seq, 201);
    assert_int_equal(t.stats.gap_bytes, 50);
    tcp_stream_free(&t);
    free(k);
    free(m);
}

static void
test_cut_then_held(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(9);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    tcp_stream_segment(&s, 201, TCP_ACK, orig + 200, 50, 100, 2, sink_fn, k); /* held, cut */
    seg(&s, k, 1, 300, 100, 3);
    seg(&s, k, 1, 0, 200, 4);
    assert_int_equal(k->calls, 3);
    assert_int_equal(k->gap[2], 50);
    assert_delivered(k, 0, 250);
    assert_delivered(k, 300, 400);
    assert_int_equal(s.stats.gaps, 1);
    assert_int_equal(s.held, 0);
    tcp_stream_free(&s);
    free(k);
}

static void
test_flush_with_holes(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(10);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    seg(&s, k, 1, 0, 100, 2);
    seg(&s, k, 1, 200, 100, 3);
    seg(&s, k, 1, 400, 100, 4);
    tcp_stream_flush(&s, sink_fn, k);
    assert_int_equal(k->calls, 3);
    assert_int_equal(k->gap[1], 100);
    assert_int_equal(k->gap[2], 100);
    assert_int_equal(s.stats.gaps, 2);
    assert_int_equal(s.stats.gap_bytes, 200);
    assert_int_equal(s.buffered, 0);
    assert_null(s.ooo);
    assert_delivered(k, 400, 500);
    tcp_stream_free(&s);
    free(k);
}

static void
test_acked_unseen(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(11);
    tcp_stream_init(&s, 65536);
    tcp_stream_ack(&s, 1001); /* nothing of this direction seen yet: no judgement */
    assert_int_equal(s.acked_unseen, 0);
    tcp_stream_segment(&s, 1000, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    tcp_stream_ack(&s, 1001);
    seg(&s, k, 1001, 0, 100, 2);
    tcp_stream_ack(&s, 1101);
    assert_int_equal(s.acked_unseen, 0);
    tcp_stream_ack(&s, 1301); /* 200 bytes the capture never saw */
    tcp_stream_ack(&s, 1301);
    tcp_stream_ack(&s, 1201);
    assert_int_equal(s.acked_unseen, 200);
    tcp_stream_ack(&s, 1401);
    assert_int_equal(s.acked_unseen, 300);
    assert_int_equal(s.highest_ack, 1401);
    seg(&s, k, 1001, 400, 100, 3); /* [1401, 1501) seen, then FIN */
    tcp_stream_segment(&s, 1501, TCP_FIN | TCP_ACK, NULL, 0, 0, 4, sink_fn, k);
    tcp_stream_ack(&s, 1502); /* ACK of the FIN: seen */
    assert_int_equal(s.acked_unseen, 300);
    tcp_stream_ack(&s, 1502 + (1u << 31)); /* absurd: ignored */
    assert_int_equal(s.acked_unseen, 300);
    assert_int_equal(s.highest_ack, 1502);
    tcp_stream_free(&s);
    free(k);
}

/*
 * A hole the peer ACKed past was lost by the capture: the data held behind it goes out at this
 * direction's next segment (a bare ACK will do), not at the FIN; the hole is counted once.
 */
static void
test_acked_hole_released(void **state)
{
    (void)state;
    struct tcp_stream s;
    struct sink *k = sink_new();
    fill_orig(12);
    tcp_stream_init(&s, 65536);
    tcp_stream_segment(&s, 0, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
    seg(&s, k, 1, 0, 100, 2);
    seg(&s, k, 1, 200, 100, 3); /* [100, 200) never captured */
    seg(&s, k, 1, 300, 100, 4);
    assert_int_equal(k->calls, 1);
    tcp_stream_ack(&s, 1 + 150); /* inside the hole: it may still come */
    tcp_stream_segment(&s, 1 + 400, TCP_ACK, NULL, 0, 0, 5, sink_fn, k);
    assert_int_equal(k->calls, 1);
    assert_int_equal(s.acked_unseen, 50);
    tcp_stream_ack(&s, 1 + 400); /* past the hole: the peer has it all */
    assert_int_equal(s.acked_unseen, 100);
    assert_int_equal(k->calls, 1); /* this side's callback is not at hand in an ACK */
    tcp_stream_segment(&s, 1 + 400, TCP_ACK, NULL, 0, 0, 6, sink_fn, k); /* bare ACK */
    assert_int_equal(k->calls, 3);
    assert_int_equal(k->gap[1], 100);
    assert_int_equal(s.stats.gaps, 1);
    assert_int_equal(s.stats.acked_gaps, 1);
    assert_int_equal(s.stats.gap_bytes, 100);
    assert_delivered(k, 200, 400);
    assert_null(s.ooo);
    tcp_stream_ack(&s, 1 + 400);
    tcp_stream_ack(&s, 1 + 350);
    assert_int_equal(s.acked_unseen, 100);
    /* The late copy of the hole is a retransmission now. */
    seg(&s, k, 1, 100, 100, 7);
    assert_int_equal(s.stats.retransmissions, 1);
    /* ACK first, data behind the hole after: delivered at once, with its gap. */
    tcp_stream_ack(&s, 1 + 700); /* beyond all seen: 300 unseen */
    assert_int_equal(s.acked_unseen, 400);
    seg(&s, k, 1, 600, 100, 8);
    assert_int_equal(k->calls, 4);
    assert_int_equal(k->gap[3], 200);
    assert_int_equal(s.stats.acked_gaps, 2);
    assert_int_equal(s.acked_unseen, 400);
    /* Two holes, one ACK past both: both go at the next segment. */
    seg(&s, k, 1, 800, 100, 9);
    seg(&s, k, 1, 1000, 100, 10);
    tcp_stream_ack(&s, 1 + 1100);
    assert_int_equal(s.acked_unseen, 600);
    seg(&s, k, 1, 1100, 10, 11);
    assert_int_equal(s.stats.acked_gaps, 4);
    assert_int_equal(s.next_seq, 1 + 1110);
    assert_delivered(k, 1000, 1110);
    /* An ACK absurdly far ahead releases nothing. */
    seg(&s, k, 1, 1200, 10, 12);
    tcp_stream_ack(&s, 1 + 1110 + (1u << 29));
    tcp_stream_segment(&s, 1 + 1210, TCP_ACK, NULL, 0, 0, 13, sink_fn, k);
    assert_non_null(s.ooo);
    tcp_stream_free(&s);
    free(k);
}

/*
 * Random segments of one true stream (overlapping, repeated, reordered, some cut by snaplen),
 * then the whole stream once more in order: every delivered byte must sit at its true
 * position, the positions must reach the end, and no memory may leak.
 */
static void
test_fuzz_consistent(void **state)
{
    (void)state;
    rng_state = 0x2545f4914f6cdd1dull;
    for (int round = 0; round < 200; round++) {
        struct tcp_stream s;
        struct sink *k = sink_new();
        fill_orig((uint32_t)round);
        uint32_t n = 1000 + rng() % 60000;
        uint32_t isn = round % 3 ? rng() : 0xffffffffu - rng() % 30000;
        uint32_t cap = 1 + rng() % 20000;
        tcp_stream_init(&s, cap);
        bool syn = round % 4 != 0;
        if (syn)
            tcp_stream_segment(&s, isn, TCP_SYN, NULL, 0, 0, 1, sink_fn, k);
        else
            seg(&s, k, isn + 1, 0, 1 + rng() % 1000, 1);
        for (uint32_t i = 0; i < 300; i++) {
            uint32_t off = rng() % n, len = 1 + rng() % 3000;
            if (off + len > n)
                len = n - off;
            uint32_t cut = rng() % 5 == 0 ? rng() % len : len;
            tcp_stream_segment(&s, isn + 1 + off, TCP_ACK, orig + off, cut, len, i + 2, sink_fn, k);
            tcp_stream_ack(&s, isn + 1 + rng() % (n + 1));
            assert_true(s.buffered <= cap);
            assert_true(s.held <= 64 + cap / 256);
        }
        for (uint32_t off = 0; off < n; off += 1460)
            seg(&s, k, isn + 1, off, n - off > 1460 ? 1460 : n - off, 9999);
        tcp_stream_flush(&s, sink_fn, k);
        assert_int_equal(s.next_seq, isn + 1 + n);
        assert_int_equal(k->pos + s.pending_gap, n);
        assert_int_equal(k->bytes, s.stats.bytes);
        assert_int_equal(k->gaps + s.pending_gap, s.stats.gap_bytes);
        for (uint32_t i = 0; i < n; i++) {
            if (k->set[i])
                assert_int_equal(k->buf[i], orig[i]);
        }
        assert_null(s.ooo);
        tcp_stream_free(&s);
        free(k);
    }
}

/* Hostile segments with random flags, lengths and sequence numbers: invariants and no leaks. */
static void
test_fuzz_hostile(void **state)
{
    (void)state;
    rng_state = 0xdeadbeefcafef00dull;
    fill_orig(99);
    for (int round = 0; round < 100; round++) {
        struct tcp_stream s;
        struct sink *k = sink_new();
        uint32_t cap = rng() % 8192;
        uint32_t base = rng();
        tcp_stream_init(&s, cap);
        for (uint32_t i = 0; i < 500; i++) {
            uint32_t r = rng();
            uint32_t seq = r % 4 == 0 ? rng() : base + rng() % 20000 - 5000;
            uint32_t len = rng() % 2000, wire = len + (rng() % 3 == 0 ? rng() % 3000 : 0);
            if (rng() % 50 == 0)
                wire = rng();
            tcp_stream_segment(&s, seq, (uint8_t)rng(), orig + rng() % 1000, len, wire, i, sink_fn,
                               k);
            if (r % 7 == 0)
                tcp_stream_ack(&s, rng());
            assert_true(s.buffered <= cap);
            assert_true(s.held <= 64 + cap / 256);
            if (r % 97 == 0)
                tcp_stream_flush(&s, sink_fn, k);
        }
        if (round % 2)
            tcp_stream_flush(&s, sink_fn, k);
        tcp_stream_free(&s);
        assert_int_equal(s.buffered, 0);
        assert_int_equal(k->bytes, s.stats.bytes);
        free(k);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),        cmocka_unit_test(test_retransmit),
        cmocka_unit_test(test_reverse_three),   cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_wraparound),      cmocka_unit_test(test_mid_stream),
        cmocka_unit_test(test_cap_forces_gap),  cmocka_unit_test(test_snaplen_cut),
        cmocka_unit_test(test_cut_then_held),   cmocka_unit_test(test_flush_with_holes),
        cmocka_unit_test(test_acked_unseen),    cmocka_unit_test(test_acked_hole_released),
        cmocka_unit_test(test_fuzz_consistent), cmocka_unit_test(test_fuzz_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
