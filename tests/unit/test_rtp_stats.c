/* test_rtp_stats.c — RFC 3550 A.1/A.8 figures, Wireshark 4.0 arithmetic, known sequences. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "analyzer/track/rtp_stats.h"

#define EPOCH 1700000000000000000LL /* a 2023 capture start */
#define MS 1000000LL
#define EPS 1e-9

/* One packet of a hand-made stream: arrival in µs after the epoch. */
struct pk {
    uint16_t seq;
    uint32_t ts;
    int64_t us;
    uint8_t pt;
    bool marker;
    uint8_t event[4]; /* RFC 4733 payload when pt is the event type */
};

/* Feed n packets; clock 0 means "the static table's rate for the PT". */
static void
feed(struct rtp_stats *s, const struct pk *p, size_t n, uint32_t clock, uint32_t *flags)
{
    for (size_t i = 0; i < n; i++) {
        struct rtp_header h;
        memset(&h, 0, sizeof(h));
        h.version = 2;
        h.seq = p[i].seq;
        h.timestamp = p[i].ts;
        h.pt = p[i].pt;
        h.marker = p[i].marker;
        h.ssrc = 0x1234;
        h.payload = p[i].event;
        h.payload_len = 4;
        uint32_t rate = clock ? clock : rtp_pt_clock_rate(p[i].pt);
        uint32_t f = rtp_stats_add(s, EPOCH + p[i].us * 1000, &h, rate, 100 + i);
        if (flags)
            flags[i] = f;
    }
}

static struct rtp_stats_result
run(const struct pk *p, size_t n, uint32_t clock)
{
    struct rtp_stats s;
    rtp_stats_init(&s, EPOCH);
    feed(&s, p, n, clock, NULL);
    struct rtp_stats_result r;
    rtp_stats_finish(&s, &r);
    return r;
}

/* n PCMA packets from seq0, 20 ms and 160 timestamp units apart. */
static size_t
regular(struct pk *p, size_t n, uint16_t seq0, uint32_t ts0)
{
    memset(p, 0, n * sizeof(*p));
    for (size_t i = 0; i < n; i++) {
        p[i].seq = (uint16_t)(seq0 + i);
        p[i].ts = ts0 + 160u * (uint32_t)i;
        p[i].us = 20000 * (int64_t)i;
        p[i].pt = RTP_PT_PCMA;
    }
    return n;
}

static void
test_in_order(void **state)
{
    (void)state;
    struct pk p[50];
    struct rtp_stats_result r = run(p, regular(p, 50, 1000, 5555), 0);
    assert_int_equal(r.packets, 50);
    assert_int_equal(r.expected, 50);
    assert_int_equal(r.lost, 0);
    assert_true(r.lost_pct == 0);
    assert_int_equal(r.seq_errors, 0);
    assert_int_equal(r.duplicates, 0);
    assert_int_equal(r.reordered, 0);
    assert_true(fabs(r.min_delta_ms - 20) < EPS && fabs(r.max_delta_ms - 20) < EPS);
    assert_true(fabs(r.mean_delta_ms - 20) < EPS);
    assert_int_equal(r.max_delta_frame, 101); /* the first 20 ms gap ends at the 2nd packet */
    assert_true(r.min_jitter_ms == 0 && r.mean_jitter_ms == 0 && r.max_jitter_ms == 0);
    assert_false(r.problem);
    assert_int_equal(r.first_frame, 100);
    assert_int_equal(r.last_frame, 149);
    assert_true(r.last_ns - r.first_ns == 49 * 20 * MS);
}

/* One packet: nothing between packets, printed by tshark as -1 / 0 / 0. */
static void
test_single_packet(void **state)
{
    (void)state;
    struct pk p[1];
    struct rtp_stats_result r = run(p, regular(p, 1, 7, 0), 0);
    assert_int_equal(r.packets, 1);
    assert_int_equal(r.lost, 0);
    assert_true(r.min_delta_ms == -1 && r.mean_delta_ms == 0 && r.max_delta_ms == 0);
    assert_true(r.min_jitter_ms == -1 && r.mean_jitter_ms == 0 && r.max_jitter_ms == 0);
}

static void
test_loss_of_two(void **state)
{
    (void)state;
    struct pk all[10], p[8];
    regular(all, 10, 1, 0);
    size_t n = 0;
    for (size_t i = 0; i < 10; i++)
        if (all[i].seq != 4 && all[i].seq != 5)
            p[n++] = all[i];
    struct rtp_stats_result r = run(p, n, 0);
    assert_int_equal(r.packets, 8);
    assert_int_equal(r.expected, 10);
    assert_int_equal(r.lost, 2);
    assert_true(fabs(r.lost_pct - 20.0) < EPS);
    assert_int_equal(r.seq_errors, 1);
    assert_true(r.problem);
    assert_true(fabs(r.max_delta_ms - 60) < EPS); /* the gap over the two lost packets */
    assert_int_equal(r.max_delta_frame, 103);
}

/* A duplicate makes "lost" negative, as tshark prints it: -1 (-25.0%). */
static void
test_duplicate(void **state)
{
    (void)state;
    struct pk p[5];
    regular(p, 4, 1, 0);
    p[4] = p[3];
    p[3] = p[2];
    p[3].us += 1000; /* the copy of seq 3 arrives 1 ms later */
    p[4].us += 1000;
    struct rtp_stats_result r = run(p, 5, 0);
    assert_int_equal(r.packets, 5);
    assert_int_equal(r.expected, 4);
    assert_int_equal(r.lost, -1);
    assert_true(fabs(r.lost_pct + 25.0) < EPS);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(r.seq_errors, 1);
}

/* 1 2 4 3 5: a jump then a late packet, two sequence errors, nothing lost. */
static void
test_reordering(void **state)
{
    (void)state;
    struct pk p[5];
    regular(p, 5, 1, 0);
    struct pk t = p[2];
    p[2] = p[3], p[3] = t;
    p[2].us = 40000, p[3].us = 41000;
    uint32_t flags[5];
    struct rtp_stats s;
    rtp_stats_init(&s, EPOCH);
    feed(&s, p, 5, 0, flags);
    struct rtp_stats_result r;
    rtp_stats_finish(&s, &r);
    assert_int_equal(r.lost, 0);
    assert_int_equal(r.expected, 5);
    assert_int_equal(r.seq_errors, 2);
    assert_int_equal(r.reordered, 1);
    assert_int_equal(r.duplicates, 0);
    assert_true(flags[2] & RTP_FLAG_WRONG_SEQ);
    assert_true(flags[3] & RTP_FLAG_WRONG_SEQ);
    assert_false(flags[4] & RTP_FLAG_WRONG_SEQ);
    /* Wireshark 4.0 judges timestamp order against the first packet only: still in time. */
    assert_false(flags[3] & RTP_FLAG_WRONG_TIMESTAMP);
}

static void
test_seq_wrap(void **state)
{
    (void)state;
    struct pk p[5];
    regular(p, 5, 65534, 0xfffffe00u); /* sequence and timestamp both wrap */
    struct rtp_stats_result r = run(p, 5, 0);
    assert_int_equal(r.expected, 5);
    assert_int_equal(r.lost, 0);
    assert_int_equal(r.seq_errors, 0);
    assert_true(fabs(r.max_delta_ms - 20) < EPS);
    assert_true(r.max_jitter_ms == 0);
    assert_false(r.problem);

    /* a wrap whose packets 0 and 1 were lost: the 0xFF00 rule counts a jump, not a late one */
    struct pk q[6];
    regular(q, 6, 65534, 0);
    q[2] = q[4], q[3] = q[5];
    r = run(q, 4, 0);
    assert_int_equal(r.expected, 6);
    assert_int_equal(r.lost, 2);
    assert_int_equal(r.seq_errors, 1);
}

/*
 * Jitter of a hand-computed arrival pattern (RFC 3550 A.8, in ms): PCMA every 160 units
 * (20 ms), arriving at 0, 20, 45, 60, 80 ms. D = 0, 5, 5, 0 →
 * J = 0, 5/16, (15·5/16 + 5)/16, 15·J3/16 = 0, 0.3125, 0.60546875, 0.567626953125.
 */
static void
test_jitter_by_hand(void **state)
{
    (void)state;
    struct pk p[5];
    regular(p, 5, 10, 1234);
    p[2].us = 45000, p[3].us = 60000, p[4].us = 80000;
    struct rtp_stats_result r = run(p, 5, 0);
    assert_true(fabs(r.min_jitter_ms - 0) < EPS);
    assert_true(fabs(r.max_jitter_ms - 0.60546875) < EPS);
    assert_true(fabs(r.mean_jitter_ms - (0 + 0.3125 + 0.60546875 + 0.567626953125) / 4) < EPS);
    assert_true(fabs(r.min_delta_ms - 15) < EPS);
    assert_true(fabs(r.max_delta_ms - 25) < EPS);
    assert_true(fabs(r.mean_delta_ms - 20) < EPS);
    assert_int_equal(r.max_delta_frame, 102);
}

/*
 * A timestamp jump of one second at the 5th packet, which still arrives 20 ms after the 4th:
 * D = 1000 ms, J = 62.5 there, then 62.5·15/16. With the marker bit on it, the jump packet is left
 * out of the figures but the jitter state still carries it into the next packet.
 */
static void
test_timestamp_jump(void **state)
{
    (void)state;
    struct pk p[6];
    regular(p, 6, 1, 0);
    p[4].ts += 8000, p[5].ts += 8000;
    struct rtp_stats_result r = run(p, 6, 0);
    assert_true(fabs(r.max_jitter_ms - 62.5) < EPS);
    assert_int_equal(r.seq_errors, 0);

    p[4].marker = true;
    r = run(p, 6, 0);
    assert_true(fabs(r.max_jitter_ms - 62.5 * 15 / 16) < EPS);
    assert_int_equal(r.markers, 1);

    /* a timestamp before the first packet's: out of time sequence, left out, a problem */
    struct pk q[4];
    regular(q, 4, 1, 100000);
    q[2].ts = 90000;
    uint32_t flags[4];
    struct rtp_stats s;
    rtp_stats_init(&s, EPOCH);
    feed(&s, q, 4, 0, flags);
    rtp_stats_finish(&s, &r);
    assert_true(flags[2] & RTP_FLAG_WRONG_TIMESTAMP);
    assert_int_equal(r.ts_backwards, 1);
    assert_true(r.problem);
    assert_true(fabs(r.max_delta_ms - 40) < EPS); /* measured from the last in-time packet */
}

/* Unknown clock (dynamic PT without SDP): deltas only, jitter printed as -1 / 0 / 0. */
static void
test_clock_unknown(void **state)
{
    (void)state;
    struct pk p[4];
    regular(p, 4, 1, 0);
    for (int i = 0; i < 4; i++)
        p[i].pt = 111;
    struct rtp_stats_result r = run(p, 4, 0);
    assert_true(fabs(r.mean_delta_ms - 20) < EPS);
    assert_true(r.min_jitter_ms == -1 && r.mean_jitter_ms == 0 && r.max_jitter_ms == 0);
}

/*
 * Wireshark's running mean: regular packets only, divided by the count of all earlier
 * packets. Deltas 10 (regular), 30 (marker, skipped), 40 (regular) give 20, not 25.
 */
static void
test_mean_quirk(void **state)
{
    (void)state;
    struct pk p[4];
    regular(p, 4, 1, 0);
    p[1].us = 10000, p[2].us = 40000, p[3].us = 80000;
    p[2].marker = true;
    struct rtp_stats_result r = run(p, 4, 0);
    assert_true(fabs(r.mean_delta_ms - 20) < EPS);
    assert_true(fabs(r.min_delta_ms - 10) < EPS);
    assert_true(fabs(r.max_delta_ms - 40) < EPS);
}

/*
 * PCMA, then RFC 4733 digit 5 on PT 101 (marker on the first event packet, three end
 * packets), then PCMA again, all 20 ms apart. Events carry no jitter; Wireshark 4.0 moves its
 * arrival reference with them but not its RTP-time reference, so the first audio packet
 * after the event shows D = |140 − (120 + (140 − 40))| = 80 ms: J = 5, then 4.6875.
 */
static void
test_pt_change_to_event(void **state)
{
    (void)state;
    struct pk p[9];
    regular(p, 9, 100, 0);
    for (int i = 3; i < 7; i++) {
        p[i].pt = 101;
        p[i].ts = 480;
        uint16_t dur = (uint16_t)(160 * (i - 2));
        p[i].event[0] = 5;
        p[i].event[1] = (uint8_t)(i >= 5 ? 0x8a : 0x0a);
        p[i].event[2] = (uint8_t)(dur >> 8);
        p[i].event[3] = (uint8_t)dur;
    }
    p[3].marker = true;
    p[7].ts = 1120, p[8].ts = 1280;

    struct rtp_stats s;
    rtp_stats_init(&s, EPOCH);
    rtp_stats_set_event_pt(&s, 101);
    uint32_t flags[9];
    feed(&s, p, 9, 8000, flags);
    struct rtp_stats_result r;
    rtp_stats_finish(&s, &r);
    assert_true(flags[3] & RTP_FLAG_PT_EVENT);
    assert_true(flags[3] & RTP_FLAG_PT_CHANGE);
    assert_true(flags[3] & RTP_FLAG_REG_PT_CHANGE);
    assert_true(flags[7] & RTP_FLAG_REG_PT_CHANGE);
    assert_int_equal(r.pt_changes, 2);
    assert_true(rtp_stats_pt_seen(&s, 8) && rtp_stats_pt_seen(&s, 101));
    assert_false(rtp_stats_pt_seen(&s, 0));
    assert_int_equal(r.dtmf_events, 1);
    assert_int_equal(r.dtmf_ended, 1);
    assert_string_equal(r.dtmf_digits, "5");
    assert_int_equal(r.lost, 0);
    assert_true(fabs(r.mean_delta_ms - 20) < EPS);
    assert_true(fabs(r.max_jitter_ms - 5) < EPS);
    assert_true(fabs(r.min_jitter_ms - 0) < EPS);
    /* running mean over packets 2, 3 (J 0), 8 (J 5, 7 before it), 9 (J 4.6875, 8 before) */
    assert_true(fabs(r.mean_jitter_ms - (5.0 + 4.6875) / 8) < EPS);
    assert_int_equal(r.first_pt, 8);
    assert_int_equal(r.last_pt, 8);
}

/* Two digits: a new event starts with a new RTP timestamp. */
static void
test_dtmf_digits(void **state)
{
    (void)state;
    struct pk p[4];
    regular(p, 4, 1, 0);
    static const uint8_t ev[4][4] = {
        {1, 0x0a, 0, 160}, {1, 0x8a, 1, 64}, {11, 0x0a, 0, 160}, {11, 0x8a, 1, 64}};
    for (int i = 0; i < 4; i++) {
        p[i].pt = 101;
        p[i].ts = i < 2 ? 8000 : 16000;
        memcpy(p[i].event, ev[i], 4);
    }
    struct rtp_stats s;
    rtp_stats_init(&s, EPOCH);
    rtp_stats_set_event_pt(&s, 101);
    feed(&s, p, 4, 8000, NULL);
    struct rtp_stats_result r;
    rtp_stats_finish(&s, &r);
    assert_int_equal(r.dtmf_events, 2);
    assert_int_equal(r.dtmf_ended, 2);
    assert_string_equal(r.dtmf_digits, "1#");
    assert_true(r.min_jitter_ms == -1); /* events never carry jitter */
}

/* The E-model estimate follows the documented formula. */
static void
test_mos_estimate(void **state)
{
    (void)state;
    struct pk p[100];
    struct rtp_stats_result r = run(p, regular(p, 100, 1, 0), 0);
    double d = 20, rf = 93.2 - 0.024 * d;
    assert_true(r.codec_known);
    assert_true(fabs(r.est_delay_ms - d) < EPS);
    assert_true(fabs(r.r_factor - rf) < EPS);
    assert_true(fabs(r.mos - (1 + 0.035 * rf + 7e-6 * rf * (rf - 60) * (100 - rf))) < EPS);

    /* 5 of 100 lost, G.729: Ie_eff = 11 + 84·5/(5 + 19) */
    struct pk q[95];
    regular(p, 100, 1, 0);
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        if (i % 20 != 10)
            q[n] = p[i], q[n++].pt = RTP_PT_G729;
    r = run(q, n, 0);
    assert_int_equal(r.lost, 5);
    double ie = 11 + 84 * 5.0 / 24;
    rf = 93.2 - 0.024 * 20 - ie; /* 64.22: MOS about 3.3 */
    assert_true(fabs(r.r_factor - rf) < EPS);
    assert_true(fabs(r.mos - (1 + 0.035 * rf + 7e-6 * rf * (rf - 60) * (100 - rf))) < EPS);
    assert_true(r.mos > 3.2 && r.mos < 3.4);
}

/*
 * The duplicate window against a model: random runs of next packets, jumps (short, longer
 * than the window, across the 16-bit wrap), late packets and copies; a packet is a duplicate
 * exactly when its extended number was already received and is within the last
 * RTP_STATS_SEQ_WINDOW below the highest, and reordered when it is older but new.
 */
static void
test_duplicate_window_model(void **state)
{
    (void)state;
    static uint8_t got[1u << 20]; /* model: received, by extended sequence number */
    memset(got, 0, sizeof(got));
    struct rtp_stats s;
    rtp_stats_init(&s, EPOCH);
    uint32_t rng = 12345, high = 1u << 17; /* model's extended numbering, base far from 0 */
    uint32_t dups = 0, reord = 0;
    for (int i = 0; i < 200000; i++) {
        rng = rng * 1103515245u + 12345u;
        uint32_t r = (rng >> 8) % 1000, ext;
        if (i == 0)
            ext = high;
        else if (r < 850)
            ext = high + 1;
        else if (r < 900)
            ext = high + 2 + (rng >> 20) % 300; /* a jump, sometimes past the window */
        else if (r < 980)
            ext = high - (rng >> 18) % 400; /* late or copy, sometimes outside the window */
        else
            ext = high; /* a copy of the newest */
        if (ext >= sizeof(got))
            break;
        bool newest = i == 0 || ext > high;
        if (!newest && high - ext < RTP_STATS_SEQ_WINDOW) {
            if (got[ext])
                dups++;
            else
                reord++;
        } else if (!newest) {
            reord++; /* too old to tell: counted as reordered */
        }
        got[ext] = 1;
        if (newest)
            high = ext;
        struct rtp_header h;
        memset(&h, 0, sizeof(h));
        h.version = 2;
        h.seq = (uint16_t)ext;
        h.timestamp = ext * 160u;
        h.pt = 8;
        h.ssrc = 0x1234;
        rtp_stats_add(&s, EPOCH + (int64_t)i * 20 * MS, &h, 8000, 100 + (uint64_t)i);
    }
    struct rtp_stats_result res;
    rtp_stats_finish(&s, &res);
    assert_true(dups > 1000 && reord > 1000); /* the run exercised both */
    assert_int_equal(res.duplicates, dups);
    assert_int_equal(res.reordered, reord);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),           cmocka_unit_test(test_single_packet),
        cmocka_unit_test(test_loss_of_two),        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_reordering),         cmocka_unit_test(test_seq_wrap),
        cmocka_unit_test(test_jitter_by_hand),     cmocka_unit_test(test_timestamp_jump),
        cmocka_unit_test(test_clock_unknown),      cmocka_unit_test(test_mean_quirk),
        cmocka_unit_test(test_pt_change_to_event), cmocka_unit_test(test_dtmf_digits),
        cmocka_unit_test(test_mos_estimate),       cmocka_unit_test(test_duplicate_window_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
