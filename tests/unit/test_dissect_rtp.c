/* test_rtp.c — RTP/RTCP (RFC 3550), mux (RFC 5761), XR VoIP metrics (RFC 3611), RFC 4733. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dissectors/rtp.h"

/* ---------------------------------------------------------------- RTP header table */

/* What rtp_dissect should say; the SSRC is always 0x11223344. */
struct rtp_want {
    enum dissect_status st;
    uint8_t pt;
    bool marker;
    uint8_t cc;
    uint16_t seq;
    uint32_t ts;
    uint32_t header_len, payload_len;
    uint8_t pad_len;
};

struct rtp_case {
    const char *name;
    uint8_t bytes[32];
    uint32_t len;
    struct rtp_want want;
};

#define SSRC_BYTES 0x11, 0x22, 0x33, 0x44
#define NO_RTP                                                                                     \
    {                                                                                              \
        DISSECT_NO_MATCH, 0, false, 0, 0, 0, 0, 0, 0                                               \
    }

static const struct rtp_case rtp_cases[] = {
    {"plain PCMU with marker",
     {0x80, 0x80, 0x12, 0x34, 0x00, 0x00, 0x01, 0x40, SSRC_BYTES, 0xff, 0xfe, 0xfd, 0xfc},
     16,
     {DISSECT_OK, 0, true, 0, 0x1234, 0x140, 12, 4, 0}},
    {"header only",
     {0x80, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa0, SSRC_BYTES},
     12,
     {DISSECT_OK, 8, false, 0, 1, 0xa0, 12, 0, 0}},
    {"two CSRCs skipped",
     {0x82, 0x12, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, SSRC_BYTES, 1, 2, 3, 4, 5, 6, 7, 8, 0xaa,
      0xbb},
     22,
     {DISSECT_OK, 18, false, 2, 2, 1, 20, 2, 0}},
    {"one-word extension skipped",
     {0x90, 0x60, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, SSRC_BYTES, 0xbe, 0xde, 0x00, 0x01, 0x10,
      0xaa, 0x00, 0x00, 0x99},
     21,
     {DISSECT_OK, 96, false, 0, 3, 2, 20, 1, 0}},
    {"CSRC and two-word extension",
     {0x91, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, SSRC_BYTES, 9, 9, 9, 9,
      0x10, 0x00, 0x00, 0x02, 1,    2,    3,    4,    5,          6, 7, 8, 0x77},
     29,
     {DISSECT_OK, 0, false, 1, 4, 3, 28, 1, 0}},
    {"padding removed",
     {0xa0, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04, SSRC_BYTES, 0x55, 0x55, 0x00, 0x00, 0x03},
     17,
     {DISSECT_OK, 0, false, 0, 5, 4, 12, 2, 3}},
    {"padding is the whole payload",
     {0xa0, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x05, SSRC_BYTES, 0x00, 0x00, 0x03},
     15,
     {DISSECT_OK, 0, false, 0, 6, 5, 12, 0, 3}},
    {"padding count zero",
     {0xa0, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x06, SSRC_BYTES, 0x55, 0x00},
     14,
     {DISSECT_MALFORMED, 0, false, 0, 7, 6, 0, 0, 0}},
    {"padding count past the payload",
     {0xa0, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07, SSRC_BYTES, 0x55, 0x09},
     14,
     {DISSECT_MALFORMED, 0, false, 0, 8, 7, 0, 0, 0}},
    {"padding bit without a payload",
     {0xa0, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07, SSRC_BYTES},
     12,
     {DISSECT_MALFORMED, 0, false, 0, 8, 7, 0, 0, 0}},
    {"CSRC list past the datagram",
     {0x8f, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x08, SSRC_BYTES, 1, 2, 3, 4},
     16,
     {DISSECT_MALFORMED, 0, false, 15, 9, 8, 0, 0, 0}},
    {"extension header past the datagram",
     {0x90, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x09, SSRC_BYTES, 0xbe, 0xde},
     14,
     {DISSECT_MALFORMED, 0, false, 0, 10, 9, 0, 0, 0}},
    {"extension length past the datagram",
     {0x90, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x0a, SSRC_BYTES, 0xbe, 0xde, 0x00, 0x04, 1, 2, 3,
      4},
     20,
     {DISSECT_MALFORMED, 0, false, 0, 11, 10, 0, 0, 0}},
    {"version 1", {0x40, 0x00, 0x00, 0x01, 0, 0, 0, 0, SSRC_BYTES}, 12, NO_RTP},
    {"STUN binding request",
     {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4},
     12,
     NO_RTP},
    {"shorter than the fixed header", {0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0}, 8, NO_RTP},
    {"empty", {0}, 0, NO_RTP},
};

static void
test_rtp_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rtp_cases) / sizeof(rtp_cases[0]); i++) {
        const struct rtp_case *c = &rtp_cases[i];
        const struct rtp_want *w = &c->want;
        struct rtp_header h;
        enum dissect_status st = rtp_dissect(c->bytes, c->len, &h);
        if (st != w->st)
            fail_msg("%s: status %d, want %d", c->name, st, w->st);
        if (w->st == DISSECT_NO_MATCH)
            continue;
        assert_int_equal(h.version, 2);
        assert_int_equal(h.pt, w->pt);
        assert_int_equal(h.marker, w->marker);
        assert_int_equal(h.csrc_count, w->cc);
        assert_int_equal(h.seq, w->seq);
        assert_int_equal(h.timestamp, w->ts);
        assert_int_equal(h.ssrc, 0x11223344);
        if (w->st != DISSECT_OK)
            continue;
        assert_int_equal(h.header_len, w->header_len);
        assert_int_equal(h.payload_len, w->payload_len);
        assert_int_equal(h.pad_len, w->pad_len);
        assert_false(h.pad_unknown);
        assert_ptr_equal(h.payload, c->bytes + w->header_len);
    }
}

static void
test_rtp_extension_fields(void **state)
{
    (void)state;
    const struct rtp_case *c = &rtp_cases[3];
    struct rtp_header h;
    assert_int_equal(rtp_dissect(c->bytes, c->len, &h), DISSECT_OK);
    assert_true(h.extension);
    assert_int_equal(h.ext_profile, 0xbede);
    assert_int_equal(h.ext_words, 1);
    assert_int_equal(h.payload[0], 0x99);
}

/*
 * Cut a packet with CSRC, extension and padding at every length, in an allocation of exactly
 * that size (ASan sees any overread): inside the header it is TRUNCATED, after it OK with
 * the padding unknown; as a whole datagram of that length it is never OK before the end.
 */
static void
test_rtp_cut_everywhere(void **state)
{
    (void)state;
    static const uint8_t full[] = {0xb1, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, SSRC_BYTES,
                                   9,    9,    9,    9,    0x10, 0x00, 0x00, 0x01, 1,
                                   2,    3,    4,    0x77, 0x66, 0x00, 0x03};
    const uint32_t n = sizeof(full), hdr = 24;
    for (uint32_t cut = 0; cut <= n; cut++) {
        uint8_t *p = malloc(cut ? cut : 1);
        assert_non_null(p);
        memcpy(p, full, cut);
        struct rtp_header h;
        enum dissect_status st = rtp_dissect_wire(p, cut, n, &h);
        if (cut == 0)
            assert_int_equal(st, DISSECT_NO_MATCH);
        else if (cut < hdr)
            assert_int_equal(st, DISSECT_TRUNCATED);
        else {
            assert_int_equal(st, DISSECT_OK);
            assert_int_equal(h.header_len, hdr);
            assert_int_equal(h.pad_unknown, cut < n);
            assert_int_equal(h.payload_len, cut < n ? cut - hdr : 1);
        }
        st = rtp_dissect(p, cut, &h);
        if (cut < n)
            assert_int_not_equal(st, DISSECT_OK);
        else
            assert_int_equal(st, DISSECT_OK);
        free(p);
    }
}

static void
test_rtp_demux(void **state)
{
    (void)state;
    static const uint8_t sr[] = {0x80, 200}, rr[] = {0x81, 201}, xr[] = {0x80, 207};
    static const uint8_t pcmu[] = {0x80, 0x00}, mark96[] = {0x80, 0xe0}, mark63[] = {0x80, 0xbf};
    static const uint8_t stun[] = {0x00, 0x01}, dtls[] = {0x16, 0xfe}, one[] = {0x80};
    assert_int_equal(rtp_demux(sr, 2), RTP_DEMUX_RTCP);
    assert_int_equal(rtp_demux(rr, 2), RTP_DEMUX_RTCP);
    assert_int_equal(rtp_demux(xr, 2), RTP_DEMUX_RTCP);
    assert_int_equal(rtp_demux(pcmu, 2), RTP_DEMUX_RTP);
    assert_int_equal(rtp_demux(mark96, 2), RTP_DEMUX_RTP);
    assert_int_equal(rtp_demux(mark63, 2), RTP_DEMUX_RTP);
    assert_int_equal(rtp_demux(stun, 2), RTP_DEMUX_NONE);
    assert_int_equal(rtp_demux(dtls, 2), RTP_DEMUX_NONE);
    assert_int_equal(rtp_demux(one, 1), RTP_DEMUX_NONE);
    assert_int_equal(rtp_demux(NULL, 0), RTP_DEMUX_NONE);
}

/* Names as tshark 4.0.17 prints them (checked with a capture of every payload type). */
static void
test_rtp_pt_tables(void **state)
{
    (void)state;
    static const struct {
        uint8_t pt;
        const char *name;
        uint32_t rate;
    } t[] = {
        {0, "g711U", 8000},
        {1, "fs-1016", 8000},
        {3, "GSM", 8000},
        {4, "g723", 8000},
        {8, "g711A", 8000},
        {9, "g722", 8000},
        {10, "16-bit audio, stereo", 44100},
        {13, "CN", 8000},
        {14, "MPEG-I/II Audio", 90000},
        {18, "g729", 8000},
        {19, "CN(old)", 8000},
        {20, "Unassigned", 0},
        {25, "CellB", 90000},
        {31, "h261", 90000},
        {34, "h263", 90000},
        {35, "Unassigned", 0},
        {72, "Reserved for RTCP conflict avoidance", 0},
        {77, "Unassigned", 0},
        {96, "RTPType-96", 0},
        {101, "RTPType-101", 0},
        {127, "RTPType-127", 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        assert_string_equal(rtp_pt_name(t[i].pt), t[i].name);
        assert_int_equal(rtp_pt_clock_rate(t[i].pt), t[i].rate);
    }
    assert_string_equal(rtp_pt_name_unsignalled(99), "rtp.rfc2198");
    assert_string_equal(rtp_pt_name_unsignalled(100), "rtpevent");
    assert_string_equal(rtp_pt_name_unsignalled(101), "rtpevent");
    assert_string_equal(rtp_pt_name_unsignalled(102), "RTPType-102");
    assert_string_equal(rtp_pt_name_unsignalled(8), "g711A");

    assert_int_equal(rtp_encoding_clock_rate("AMR"), 8000);
    assert_int_equal(rtp_encoding_clock_rate("AMR-WB"), 16000);
    assert_int_equal(rtp_encoding_clock_rate("amr-wb"), 16000);
    assert_int_equal(rtp_encoding_clock_rate("H264"), 90000);
    assert_int_equal(rtp_encoding_clock_rate("opus"), 48000);
    assert_int_equal(rtp_encoding_clock_rate("BV32"), 0);
    assert_int_equal(rtp_encoding_clock_rate("RTPType-100"), 0);
    assert_int_equal(rtp_encoding_clock_rate("rtpevent"), 0);
    assert_int_equal(rtp_encoding_clock_rate("telephone-event"), 0);
    assert_int_equal(rtp_encoding_clock_rate(""), 0);
    assert_int_equal(rtp_encoding_clock_rate(NULL), 0);
    assert_true(rtp_encoding_is_event("Telephone-Event"));
    assert_false(rtp_encoding_is_event("telephone"));
    assert_false(rtp_encoding_is_event(NULL));
}

/* ---------------------------------------------------------------- RTCP */

/* SR (1 block) + RR (1 block) + SDES CNAME + BYE: a typical compound. */
static const uint8_t compound[] = {
    /* SR, RC=1, length 12 words */
    0x81, 200, 0x00, 0x0c, 0xaa, 0xaa, 0xaa, 0xaa, 0xe5, 0x4c, 0x2a, 0x10, 0x80, 0x00, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x3e, 0x80,
    /* report block on 0xbbbbbbbb: 5/256 lost, cumulative −2 */
    0xbb, 0xbb, 0xbb, 0xbb, 0x05, 0xff, 0xff, 0xfe, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20,
    0x2a, 0x10, 0x80, 0x00, 0x00, 0x01, 0x00, 0x00,
    /* RR, RC=1, length 7 words, from 0xcccccccc on 0xdddddddd, cumulative 300 */
    0x81, 201, 0x00, 0x07, 0xcc, 0xcc, 0xcc, 0xcc, 0xdd, 0xdd, 0xdd, 0xdd, 0x00, 0x00, 0x01, 0x2c,
    0x00, 0x00, 0x12, 0x34, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* SDES, SC=1, length 4 words: CNAME "bob@host" */
    0x81, 202, 0x00, 0x04, 0xaa, 0xaa, 0xaa, 0xaa, 0x01, 0x08, 'b', 'o', 'b', '@', 'h', 'o', 's',
    't', 0x00, 0x00,
    /* BYE, SC=1 */
    0x81, 203, 0x00, 0x01, 0xaa, 0xaa, 0xaa, 0xaa};

static void
test_rtcp_compound(void **state)
{
    (void)state;
    struct rtcp_compound c;
    assert_int_equal(rtcp_dissect(compound, sizeof(compound), sizeof(compound), &c), DISSECT_OK);
    assert_int_equal(c.packets, 4);
    assert_int_equal(c.types, (1u << 8) | (1u << 9) | (1u << 10) | (1u << 11));
    assert_true(c.has_sr);
    assert_int_equal(c.sr_ssrc, 0xaaaaaaaa);
    assert_true(c.sr_ntp == 0xe54c2a1080000000ull);
    assert_int_equal(c.sr_rtp_ts, 0x10000);
    assert_int_equal(c.sr_packets, 100);
    assert_int_equal(c.sr_octets, 16000);
    assert_int_equal(c.n_reports, 2);
    assert_int_equal(c.reports_seen, 2);
    assert_int_equal(c.reports[0].reporter, 0xaaaaaaaa);
    assert_int_equal(c.reports[0].ssrc, 0xbbbbbbbb);
    assert_int_equal(c.reports[0].fraction_lost, 5);
    assert_int_equal(c.reports[0].cum_lost, -2);
    assert_int_equal(c.reports[0].ext_high_seq, 0x10010);
    assert_int_equal(c.reports[0].jitter, 32);
    assert_int_equal(c.reports[0].lsr, 0x2a108000);
    assert_int_equal(c.reports[0].dlsr, 0x10000);
    assert_int_equal(c.reports[1].reporter, 0xcccccccc);
    assert_int_equal(c.reports[1].cum_lost, 300);
    assert_int_equal(c.reports[1].jitter, 7);
    assert_true(c.has_cname);
    assert_string_equal(c.cname, "bob@host");
    assert_int_equal(c.cname_ssrc, 0xaaaaaaaa);
    assert_int_equal(c.bye_count, 1);
    assert_int_equal(c.bye_ssrc, 0xaaaaaaaa);
}

/*
 * Cut the compound at every length: a capture cut is TRUNCATED, a datagram that short is
 * OK only where it ends on a packet boundary; never an overread.
 */
static void
test_rtcp_cut_everywhere(void **state)
{
    (void)state;
    for (uint32_t cut = 0; cut < sizeof(compound); cut++) {
        uint8_t *p = malloc(cut ? cut : 1);
        assert_non_null(p);
        memcpy(p, compound, cut);
        struct rtcp_compound c;
        enum dissect_status st = rtcp_dissect(p, cut, sizeof(compound), &c);
        assert_int_equal(st, cut < 2 ? DISSECT_NO_MATCH : DISSECT_TRUNCATED);
        st = rtcp_dissect(p, cut, cut, &c);
        bool boundary = cut == 52 || cut == 84 || cut == 104;
        assert_int_equal(st == DISSECT_OK, boundary);
        free(p);
    }
}

static void
test_rtcp_malformed(void **state)
{
    (void)state;
    struct rtcp_compound c;
    /* length field promises more than the datagram */
    static const uint8_t too_long[] = {0x80, 201, 0x00, 0x05, 1, 2, 3, 4};
    assert_int_equal(rtcp_dissect(too_long, 8, 8, &c), DISSECT_MALFORMED);
    /* RR claiming 2 report blocks in room for none */
    static const uint8_t rc_big[] = {0x82, 201, 0x00, 0x01, 1, 2, 3, 4};
    assert_int_equal(rtcp_dissect(rc_big, 8, 8, &c), DISSECT_MALFORMED);
    /* second packet of version 1 */
    static const uint8_t v1[] = {0x80, 201, 0x00, 0x01, 1, 2, 3, 4, 0x40, 202, 0x00, 0x00};
    assert_int_equal(rtcp_dissect(v1, 12, 12, &c), DISSECT_MALFORMED);
    /* three stray bytes after a packet */
    static const uint8_t stray[] = {0x80, 201, 0x00, 0x01, 1, 2, 3, 4, 0x80, 202, 0x00};
    assert_int_equal(rtcp_dissect(stray, 11, 11, &c), DISSECT_MALFORMED);
    /* padding on a packet that is not the last */
    static const uint8_t pad_mid[] = {0xa0, 201, 0x00, 0x01, 1, 2, 3, 4, 0x80, 203, 0x00, 0x00};
    assert_int_equal(rtcp_dissect(pad_mid, 12, 12, &c), DISSECT_MALFORMED);
    /* RTP, not RTCP */
    static const uint8_t rtp[] = {0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 1, 2, 3, 4};
    assert_int_equal(rtcp_dissect(rtp, 12, 12, &c), DISSECT_NO_MATCH);
    /* valid padding on the last packet: RR with 4 padding octets */
    static const uint8_t padded[] = {0xa0, 201, 0x00, 0x02, 1, 2, 3, 4, 0, 0, 0, 4};
    assert_int_equal(rtcp_dissect(padded, 12, 12, &c), DISSECT_OK);
    static const uint8_t pad_zero[] = {0xa0, 201, 0x00, 0x02, 1, 2, 3, 4, 0, 0, 0, 0};
    assert_int_equal(rtcp_dissect(pad_zero, 12, 12, &c), DISSECT_MALFORMED);
}

/* More report blocks than kept: the rest are counted. */
static void
test_rtcp_reports_bounded(void **state)
{
    (void)state;
    uint8_t rr[8 + 6 * 24];
    memset(rr, 0, sizeof(rr));
    rr[0] = 0x86, rr[1] = 201, rr[3] = (uint8_t)(sizeof(rr) / 4 - 1);
    for (int i = 0; i < 6; i++)
        rr[8 + 24 * i + 3] = (uint8_t)(i + 1);
    struct rtcp_compound c;
    assert_int_equal(rtcp_dissect(rr, sizeof(rr), sizeof(rr), &c), DISSECT_OK);
    assert_int_equal(c.n_reports, RTCP_MAX_REPORTS);
    assert_int_equal(c.reports_seen, 6);
    assert_int_equal(c.reports[3].ssrc, 4);
}

/* RR + XR with a VoIP metrics block (BT=7) and an unknown block skipped before it. */
static void
test_rtcp_xr_voip(void **state)
{
    (void)state;
    static const uint8_t p[] = {
        0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78,
        /* XR: header, reporter, block BT=42 (1 word), block BT=7 (8 words) */
        0x80, 207, 0x00, 0x0c, 0x12, 0x34, 0x56, 0x78, 42, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef,
        7, 0x00, 0x00, 0x08, 0x9a, 0xbc, 0xde, 0xf0, 0x0d, 0x02, 0x40, 0x10, 0x00, 0x78, 0x01, 0xf4,
        0x00, 0x32, 0x00, 0x28, 0xe2, 0xb5, 0x7f, 0x14, 0x5d, 0x7f, 0x29, 0x28, 0x0b, 0x00, 0x00,
        0x3c, 0x00, 0x78, 0x00, 0xc8};
    struct rtcp_compound c;
    assert_int_equal(rtcp_dissect(p, sizeof(p), sizeof(p), &c), DISSECT_OK);
    assert_int_equal(c.packets, 2);
    assert_int_equal(c.n_voip, 1);
    const struct rtcp_voip_metrics *m = &c.voip[0];
    assert_int_equal(m->reporter, 0x12345678);
    assert_int_equal(m->ssrc, 0x9abcdef0);
    assert_int_equal(m->loss_rate, 13);
    assert_int_equal(m->discard_rate, 2);
    assert_int_equal(m->burst_density, 64);
    assert_int_equal(m->gap_density, 16);
    assert_int_equal(m->burst_duration, 120);
    assert_int_equal(m->gap_duration, 500);
    assert_int_equal(m->round_trip_delay, 50);
    assert_int_equal(m->end_system_delay, 40);
    assert_int_equal(m->signal_level, -30);
    assert_int_equal(m->noise_level, -75);
    assert_int_equal(m->rerl, 127);
    assert_int_equal(m->gmin, 20);
    assert_int_equal(m->r_factor, 93);
    assert_int_equal(m->ext_r_factor, 127);
    assert_int_equal(m->mos_lq, 41);
    assert_int_equal(m->mos_cq, 40);
    assert_int_equal(m->rx_config, 0x0b);
    assert_int_equal(m->jb_nominal, 60);
    assert_int_equal(m->jb_maximum, 120);
    assert_int_equal(m->jb_abs_max, 200);

    /* an XR block whose length runs past its packet */
    uint8_t bad[sizeof(p)];
    memcpy(bad, p, sizeof(p));
    bad[8 + 8 + 4 + 4 + 3] = 0x20;
    assert_int_equal(rtcp_dissect(bad, sizeof(bad), sizeof(bad), &c), DISSECT_MALFORMED);
}

/* ---------------------------------------------------------------- RFC 4733 */

static void
test_rtp_event(void **state)
{
    (void)state;
    struct rtp_event e;
    static const uint8_t five_end[] = {0x05, 0x8a, 0x03, 0x20};
    assert_int_equal(rtp_event_dissect(five_end, 4, &e), DISSECT_OK);
    assert_int_equal(e.event, 5);
    assert_true(e.end);
    assert_int_equal(e.volume, 10);
    assert_int_equal(e.duration, 800);
    static const uint8_t pound[] = {0x0b, 0x0a, 0x00, 0xa0, 0xff, 0xff};
    assert_int_equal(rtp_event_dissect(pound, 6, &e), DISSECT_OK);
    assert_false(e.end);
    assert_int_equal(rtp_event_key(e.event), '#');
    assert_int_equal(rtp_event_dissect(pound, 3, &e), DISSECT_TRUNCATED);
    assert_int_equal(rtp_event_dissect(pound, 0, &e), DISSECT_NO_MATCH);
    assert_int_equal(rtp_event_key(0), '0');
    assert_int_equal(rtp_event_key(10), '*');
    assert_int_equal(rtp_event_key(12), 'A');
    assert_int_equal(rtp_event_key(15), 'D');
    assert_int_equal(rtp_event_key(16), '!');
    assert_int_equal(rtp_event_key(17), '?');
    assert_int_equal(rtp_event_key(255), '?');
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rtp_table),
        cmocka_unit_test(test_rtp_extension_fields),
        cmocka_unit_test(test_rtp_cut_everywhere),
        cmocka_unit_test(test_rtp_demux),
        cmocka_unit_test(test_rtp_pt_tables),
        cmocka_unit_test(test_rtcp_compound),
        cmocka_unit_test(test_rtcp_cut_everywhere),
        cmocka_unit_test(test_rtcp_malformed),
        cmocka_unit_test(test_rtcp_reports_bounded),
        cmocka_unit_test(test_rtcp_xr_voip),
        cmocka_unit_test(test_rtp_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
