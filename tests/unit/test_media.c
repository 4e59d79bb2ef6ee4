/* test_media.c — RFC 3550/3264 media tracker: SDP binding, latching, heuristics, verdicts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/result.h"
#include "analyzer/track/alg.h"
#include "analyzer/track/media.h"

#define MS 1000000LL
#define T0 (1709629200LL * 1000000000LL)

/* A tiny world: hosts, flows (one per 5-tuple pair), frame numbers. */
struct world {
    struct media_tracker *m;
    struct result r;
    struct flow flows[16];
    struct {
        struct ip_addr a, b;
        uint16_t pa, pb;
    } keys[16];
    int n_flows;
    uint64_t frame;
};

static struct ip_addr
ip4(const char *s)
{
    struct ip_addr a;
    memset(&a, 0, sizeof(a));
    a.family = 4;
    inet_pton(AF_INET, s, a.a);
    return a;
}

static struct flow *
flow_of(struct world *w, const struct ip_addr *s, uint16_t sp, const struct ip_addr *d, uint16_t dp,
        int *side)
{
    for (int i = 0; i < w->n_flows; i++) {
        if (!memcmp(&w->keys[i].a, s, sizeof(*s)) && w->keys[i].pa == sp &&
            !memcmp(&w->keys[i].b, d, sizeof(*d)) && w->keys[i].pb == dp) {
            *side = 0;
            return &w->flows[i];
        }
        if (!memcmp(&w->keys[i].a, d, sizeof(*d)) && w->keys[i].pa == dp &&
            !memcmp(&w->keys[i].b, s, sizeof(*s)) && w->keys[i].pb == sp) {
            *side = 1;
            return &w->flows[i];
        }
    }
    int i = w->n_flows++;
    w->keys[i].a = *s, w->keys[i].b = *d, w->keys[i].pa = sp, w->keys[i].pb = dp;
    memset(&w->flows[i], 0, sizeof(w->flows[i]));
    w->flows[i].id = (uint32_t)i + 1;
    *side = 0;
    return &w->flows[i];
}

/* Send one UDP datagram through the tracker. */
static void
udp(struct world *w, const char *src, uint16_t sp, const char *dst, uint16_t dp, int64_t ns,
    const uint8_t *pl, uint32_t len)
{
    struct packet p;
    memset(&p, 0, sizeof(p));
    p.frame = ++w->frame;
    p.ts_ns = ns;
    p.ip_version = 4;
    p.src = ip4(src);
    p.dst = ip4(dst);
    p.ip_proto = 17;
    p.layers = LAYER_UDP;
    p.sport = sp;
    p.dport = dp;
    p.payload = pl;
    p.payload_len = p.payload_wire_len = len;
    int side;
    struct flow *f = flow_of(w, &p.src, sp, &p.dst, dp, &side);
    media_tracker_udp(w->m, &p, f, side, MEDIA_NO_HINT);
}

/* n G.711 RTP packets every 20 ms from t, sequence from seq0, skipping listed offsets. */
static void
rtp_run(struct world *w, const char *src, uint16_t sp, const char *dst, uint16_t dp, int64_t t,
        unsigned n, uint32_t ssrc, uint8_t pt, uint16_t seq0, int skip_every)
{
    uint8_t b[172];
    memset(b, 0xd5, sizeof(b));
    for (unsigned i = 0; i < n; i++) {
        if (skip_every && i % (unsigned)skip_every == (unsigned)skip_every - 1)
            continue;
        uint16_t seq = (uint16_t)(seq0 + i);
        uint32_t ts = 160u * i;
        b[0] = 0x80;
        b[1] = pt;
        b[2] = (uint8_t)(seq >> 8), b[3] = (uint8_t)seq;
        b[4] = (uint8_t)(ts >> 24), b[5] = (uint8_t)(ts >> 16), b[6] = (uint8_t)(ts >> 8);
        b[7] = (uint8_t)ts;
        b[8] = (uint8_t)(ssrc >> 24), b[9] = (uint8_t)(ssrc >> 16), b[10] = (uint8_t)(ssrc >> 8);
        b[11] = (uint8_t)ssrc;
        udp(w, src, sp, dst, dp, t + (int64_t)i * 20 * MS, b, sizeof(b));
    }
}

static void
expect(struct world *w, uint32_t call, bool from_caller, const char *addr, uint16_t port)
{
    struct media_expectation e;
    memset(&e, 0, sizeof(e));
    snprintf(e.call_id, sizeof(e.call_id), "call-%u@test", call);
    e.call_index = call;
    e.from_caller = from_caller;
    e.is_offer = from_caller;
    e.addr = ip4(addr);
    e.port = port;
    e.rtcp_port = (uint16_t)(port + 1);
    e.dir = MEDIA_SENDRECV;
    e.n_pt = 2;
    e.pt[0].pt = 0, e.pt[0].clock_rate = 8000;
    snprintf(e.pt[0].encoding, sizeof(e.pt[0].encoding), "PCMU");
    e.pt[1].pt = 101, e.pt[1].clock_rate = 8000;
    snprintf(e.pt[1].encoding, sizeof(e.pt[1].encoding), "telephone-event");
    e.event_pt = 101;
    e.frame = ++w->frame;
    e.ts_ns = T0;
    media_expect(w->m, &e);
}

static int
setup(void **state)
{
    static struct world w;
    memset(&w, 0, sizeof(w));
    /* small tables: the tests need a handful of streams and must not pay for 32768 */
    static const struct media_limits lim = {.streams = 64,
                                            .flows = 64,
                                            .expect = 32,
                                            .calls = 8,
                                            .rtcp = 16,
                                            .icmp = 16,
                                            .records = 64};
    w.m = media_tracker_new_sized(&lim);
    assert_non_null(w.m);
    media_tracker_start(w.m, T0);
    result_init(&w.r, 100);
    *state = &w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;
    media_tracker_free(w->m);
    result_free(&w->r);
    return 0;
}

static void
finish(struct world *w)
{
    media_tracker_finish(w->m, &w->r);
    result_finish(&w->r);
    assert_non_null(w->r.media);
}

static int
has_finding(const struct result *r, enum finding_code c)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].code == c)
            return 1;
    return 0;
}

static void
test_two_way(void **state)
{
    struct world *w = *state;
    expect(w, 1, true, "192.0.2.10", 10000);
    expect(w, 1, false, "198.51.100.20", 20000);
    rtp_run(w, "192.0.2.10", 10000, "198.51.100.20", 20000, T0 + 100 * MS, 100, 0x11111111, 0, 1,
            0);
    rtp_run(w, "198.51.100.20", 20000, "192.0.2.10", 10000, T0 + 110 * MS, 100, 0x22222222, 0, 1,
            0);
    media_call_ended(w->m, 1, T0 + 2200 * MS);
    finish(w);
    const struct media_result *m = w->r.media;
    assert_int_equal(m->n_streams, 2);
    assert_int_equal(m->n_calls, 1);
    assert_string_equal(m->calls[0].verdict, "two_way");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(m->streams[i].bind, MEDIA_BIND_SDP);
        assert_int_equal(m->streams[i].st.packets, 100);
        assert_int_equal(m->streams[i].st.lost, 0);
        assert_true(m->streams[i].src_announced);
        assert_string_equal(m->streams[i].payload, "g711U");
    }
    assert_true(m->streams[0].from_caller);
    assert_false(m->streams[1].from_caller);
    assert_int_equal(m->calls[0].dir[0].packets, 100);
    assert_false(has_finding(&w->r, FIND_RTP_ONE_WAY));
    assert_int_equal(w->r.requirements[REQ_RTP].observed, 1);
}

static void
test_one_way(void **state)
{
    struct world *w = *state;
    expect(w, 2, true, "192.0.2.10", 10002);
    expect(w, 2, false, "198.51.100.20", 20002);
    rtp_run(w, "192.0.2.10", 10002, "198.51.100.20", 20002, T0, 50, 0x44444444, 0, 7, 0);
    finish(w);
    const struct media_call_record *c = &w->r.media->calls[0];
    assert_string_equal(c->verdict, "one_way");
    assert_int_equal(c->dir[0].verdict, MEDIA_DIR_OK);
    assert_int_equal(c->dir[1].verdict, MEDIA_DIR_MISSING);
    assert_true(has_finding(&w->r, FIND_RTP_ONE_WAY));
    assert_false(has_finding(&w->r, FIND_RTP_ICMP_UNREACHABLE));
}

static void
test_blocked(void **state)
{
    struct world *w = *state;
    expect(w, 3, true, "192.0.2.10", 10004);
    expect(w, 3, false, "198.51.100.20", 20004);
    /* callee → caller flows; caller → callee draws ICMP port unreachable and never arrives */
    rtp_run(w, "198.51.100.20", 20004, "192.0.2.10", 10004, T0, 100, 0x55555555, 0, 1, 0);
    struct packet ic;
    memset(&ic, 0, sizeof(ic));
    ic.frame = ++w->frame;
    ic.ts_ns = T0 + 30 * MS;
    ic.src = ip4("198.51.100.1");
    ic.icmp_type = 3, ic.icmp_code = 3;
    ic.quote.valid = true, ic.quote.proto = 17, ic.quote.ip_version = 4;
    ic.quote.src = ip4("192.0.2.10"), ic.quote.dst = ip4("198.51.100.20");
    ic.quote.sport = 10004, ic.quote.dport = 20004;
    media_tracker_icmp(w->m, &ic);
    media_tracker_icmp(w->m, &ic);
    finish(w);
    const struct media_call_record *c = &w->r.media->calls[0];
    assert_string_equal(c->verdict, "one_way");
    assert_int_equal(c->dir[0].verdict, MEDIA_DIR_BLOCKED);
    assert_int_equal(c->dir[0].icmp_errors, 2);
    assert_int_equal(c->dir[1].verdict, MEDIA_DIR_OK);
    assert_true(has_finding(&w->r, FIND_RTP_ONE_WAY));
    assert_true(has_finding(&w->r, FIND_RTP_ICMP_UNREACHABLE));
    assert_int_equal(w->r.requirements[REQ_RTP].checked, 1);
}

static void
test_nat_learned(void **state)
{
    struct world *w = *state;
    /* the caller sits behind a NAT without ALG: its SDP gives its private address */
    expect(w, 4, true, "192.168.1.10", 4000);
    expect(w, 4, false, "198.51.100.20", 20006);
    rtp_run(w, "203.0.113.5", 34567, "198.51.100.20", 20006, T0, 60, 0x66666666, 0, 1, 0);
    /* the callee latches: it answers to where the media came from */
    rtp_run(w, "198.51.100.20", 20006, "203.0.113.5", 34567, T0 + 5 * MS, 60, 0x77777777, 0, 1, 0);
    finish(w);
    const struct media_result *m = w->r.media;
    assert_int_equal(m->n_streams, 2);
    assert_int_equal(m->streams[0].bind, MEDIA_BIND_SDP);
    assert_false(m->streams[0].src_announced);
    assert_int_equal(m->streams[1].bind, MEDIA_BIND_LEARNED);
    assert_false(m->streams[1].from_caller);
    assert_string_equal(m->calls[0].verdict, "two_way");
    assert_true(has_finding(&w->r, FIND_RTP_SOURCE_NOT_ANNOUNCED));
    assert_true(has_finding(&w->r, FIND_RTP_MEDIA_TO_PRIVATE_ADDRESS));
    assert_true(has_finding(&w->r, FIND_RTP_PORT_OUTSIDE_PROFILE)); /* SDP port 4000 */
}

/* The caller's INVITE as one capture point saw it: SDP c= and m= port as given. */
static void
alg_invite(struct alg_tracker *a, uint16_t file, const char *src, const char *c, uint16_t port)
{
    char body[256], text[1024];
    int n = snprintf(body, sizeof body,
                     "v=0\r\no=- 1 1 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                     "m=audio %u RTP/AVP 0\r\n",
                     c, (unsigned)port);
    snprintf(text, sizeof text,
             "INVITE sip:200@203.0.113.5 SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-m\r\n"
             "From: <sip:100@example.com>;tag=a\r\nTo: <sip:200@example.com>\r\n"
             "Call-ID: call-9@test\r\nCSeq: 1 INVITE\r\nContact: <sip:100@%s:5060>\r\n"
             "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
             src, src, n, body);
    static struct sip_message m;
    assert_int_equal(sip_parse_datagram((const uint8_t *)text, strlen(text), &m), SIP_OK);
    struct sip_endpoint s = {ip4(src), 5060}, d = {ip4("203.0.113.5"), 5060};
    struct sip_ref at = {file + 1, file, T0 - 100 * MS + file * MS};
    alg_tracker_message(a, &m, (const uint8_t *)text, strlen(text), &at, &s, &d, false);
}

/*
 * LAN + WAN merged: the caller's RTP seen at both points (private source on the LAN, the NAT's
 * on the WAN). The mismatch names the stream that is unannounced; with the ALG analysis the
 * WAN copy of the SDP announces the WAN source (no mismatch), and a rewrite to another port is
 * blamed on the ALG, not on NAT.
 */
static void
test_two_points_alg(void **state)
{
    struct world *w0 = *state;
    static const struct {
        bool alg;
        uint16_t wan_port; /* m= port of the WAN copy */
        bool mismatch, rewritten;
        const char *words;
    } t[] = {
        {false, 0, true, false, "comes from 198.51.100.20:16000, not from 192.168.1.10:16000"},
        {true, 16000, false, true, NULL},
        {true, 41000, true, true, "rewritten to 198.51.100.20:41000 by its SIP ALG"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct world *w = w0;
        if (i) { /* a fresh world per row */
            teardown(state);
            setup(state);
            w = *state;
        }
        struct alg_tracker *a = t[i].alg ? alg_tracker_new_sized(16, 16) : NULL;
        if (a) {
            alg_invite(a, 0, "192.168.1.10", "192.168.1.10", 16000);
            alg_invite(a, 1, "198.51.100.20", "198.51.100.20", t[i].wan_port);
            media_tracker_set_alg(w->m, a);
        }
        expect(w, 9, true, "192.168.1.10", 16000);
        expect(w, 9, false, "203.0.113.5", 30000);
        rtp_run(w, "192.168.1.10", 16000, "203.0.113.5", 30000, T0, 50, 0x1111, 0, 1, 0);
        rtp_run(w, "198.51.100.20", 16000, "203.0.113.5", 30000, T0 + MS, 50, 0x1111, 0, 1, 0);
        rtp_run(w, "203.0.113.5", 30000, "192.168.1.10", 16000, T0 + 2 * MS, 50, 0x2222, 0, 1, 0);
        finish(w);
        const struct media_call_dir *cd = &w->r.media->calls[0].dir[0];
        assert_int_equal(cd->src_unannounced, t[i].mismatch);
        assert_int_equal(cd->sender_sdp_rewritten, t[i].rewritten);
        assert_int_equal(has_finding(&w->r, FIND_RTP_SOURCE_NOT_ANNOUNCED), t[i].mismatch);
        for (size_t k = 0; t[i].words && k < w->r.n_findings; k++)
            if (w->r.findings[k].code == FIND_RTP_SOURCE_NOT_ANNOUNCED)
                assert_non_null(strstr(w->r.findings[k].summary, t[i].words));
        if (t[i].mismatch) {
            char src[64];
            inet_ntop(AF_INET, cd->seen_src.a, src, sizeof src);
            assert_string_equal(src, "198.51.100.20"); /* the unannounced stream's own source */
        }
        alg_tracker_free(a);
    }
}

static void
test_stopped_and_loss(void **state)
{
    struct world *w = *state;
    expect(w, 5, true, "192.0.2.10", 10008);
    expect(w, 5, false, "198.51.100.20", 20008);
    /* caller → callee: 1000 packets, every 10th lost (100 lost, 10 %) */
    rtp_run(w, "192.0.2.10", 10008, "198.51.100.20", 20008, T0, 1000, 0x88888888, 0, 1, 10);
    /* callee → caller stops after 100 packets (2 s) while the call runs 20 s */
    rtp_run(w, "198.51.100.20", 20008, "192.0.2.10", 10008, T0, 100, 0x99999999, 0, 1, 0);
    media_call_ended(w->m, 5, T0 + 21000 * MS);
    finish(w);
    const struct media_call_record *c = &w->r.media->calls[0];
    assert_int_equal(c->dir[1].verdict, MEDIA_DIR_STOPPED);
    assert_true(has_finding(&w->r, FIND_RTP_MEDIA_STOPPED));
    assert_true(has_finding(&w->r, FIND_RTP_PACKET_LOSS));
    const struct media_stream_record *s = &w->r.media->streams[0];
    assert_int_equal(s->st.packets, 900);
    assert_int_equal(s->st.lost, 99); /* the last packet (index 999) is missing too: not counted */
}

static void
test_heuristic(void **state)
{
    struct world *w = *state;
    /* random UDP whose first octet happens to say version 2: no continuity, no stream */
    uint8_t junk[40];
    for (int i = 0; i < 20; i++) {
        for (unsigned k = 0; k < sizeof(junk); k++)
            junk[k] = (uint8_t)(i * 37 + k * 11);
        junk[0] = 0x80;
        junk[1] = (uint8_t)(i * 13 % 60);
        udp(w, "10.0.0.1", 5000, "10.0.0.2", 6000, T0 + i * MS, junk, sizeof(junk));
    }
    /* unsignalled but continuous RTP: a stream after 4 packets, all packets counted */
    rtp_run(w, "10.0.0.3", 40000, "10.0.0.4", 40002, T0, 30, 0xABCDEF01, 8, 100, 0);
    /* an SSRC change on the same 5-tuple: a second stream */
    rtp_run(w, "10.0.0.3", 40000, "10.0.0.4", 40002, T0 + 1000 * MS, 10, 0xABCDEF02, 8, 5000, 0);
    finish(w);
    const struct media_result *m = w->r.media;
    assert_int_equal(m->n_streams, 2);
    assert_int_equal(m->streams[0].bind, MEDIA_BIND_HEURISTIC);
    assert_int_equal(m->streams[0].st.packets, 30);
    assert_int_equal(m->streams[1].st.packets, 10);
    assert_string_equal(m->streams[0].payload, "g711A");
    assert_int_equal(m->n_calls, 0);
}

/* An audio and a video m= line in each SDP (Eyebeam): the video line must not replace the
 * audio one, and each stream takes its own line's clock rate (BV32/16000, H264/90000). */
static void
test_two_mlines(void **state)
{
    struct world *w = *state;
    static const struct {
        uint8_t mline;
        uint16_t port;
        uint8_t pt;
        uint32_t rate;
        const char *enc;
    } line[2] = {{0, 5062, 107, 16000, "BV32"}, {1, 5064, 126, 90000, "H264"}};
    for (int p = 0; p < 2; p++)
        for (int l = 0; l < 2; l++) {
            struct media_expectation e;
            memset(&e, 0, sizeof(e));
            snprintf(e.call_id, sizeof(e.call_id), "call-av@test");
            e.call_index = 9;
            e.from_caller = p == 0;
            e.mline = line[l].mline;
            e.addr = ip4(p == 0 ? "192.168.1.87" : "192.168.1.36");
            e.port = line[l].port;
            e.n_pt = 1;
            e.pt[0].pt = line[l].pt, e.pt[0].clock_rate = line[l].rate;
            snprintf(e.pt[0].encoding, sizeof(e.pt[0].encoding), "%s", line[l].enc);
            e.event_pt = -1;
            e.frame = ++w->frame;
            e.ts_ns = T0;
            media_expect(w->m, &e);
        }
    rtp_run(w, "192.168.1.87", 5062, "192.168.1.36", 5062, T0, 50, 0x7021616E, 107, 1, 0);
    rtp_run(w, "192.168.1.36", 5064, "192.168.1.87", 5064, T0, 50, 0xFB40582C, 126, 1, 0);
    finish(w);
    const struct media_result *m = w->r.media;
    assert_int_equal(m->n_streams, 2);
    for (size_t i = 0; i < 2; i++) {
        const struct media_stream_record *s = &m->streams[i];
        assert_int_equal(s->bind, MEDIA_BIND_SDP);
        assert_int_equal(s->call, 0);
        bool audio = s->sport == 5062;
        assert_int_equal(s->mline, audio ? 0 : 1);
        assert_int_equal(s->clock_rate, audio ? 16000 : 90000);
        assert_string_equal(s->payload, audio ? "BV32" : "H264");
        assert_true(s->st.max_jitter_ms >= 0);
    }
    /* line 0 (audio) is judged: caller → callee flowed, callee → caller did not */
    assert_int_equal(m->calls[0].dir[0].port, 5062);
    assert_int_equal(m->calls[0].dir[0].packets, 50);
    assert_int_equal(m->calls[0].dir[1].packets, 0);
    assert_string_equal(m->calls[0].verdict, "one_way");
}

/* Media seen leaving (a WAN capture) but refused by ICMP until it ends: blocked, one way. */
static void
test_blocked_on_the_wire(void **state)
{
    struct world *w = *state;
    expect(w, 3, true, "192.168.1.10", 16000);
    expect(w, 3, false, "203.0.113.10", 20000);
    rtp_run(w, "198.51.100.1", 16000, "203.0.113.10", 20000, T0, 100, 0x0A0A0A0A, 0, 1, 0);
    rtp_run(w, "203.0.113.10", 20000, "198.51.100.1", 16000, T0 + 5 * MS, 100, 0x0B0B0B0B, 0, 1, 0);
    struct packet ic;
    memset(&ic, 0, sizeof(ic));
    ic.src = ip4("198.51.100.1");
    ic.icmp_type = 3, ic.icmp_code = 3;
    ic.quote.valid = true, ic.quote.proto = 17;
    ic.quote.dst = ip4("198.51.100.1");
    ic.quote.dport = 16000;
    for (int i = 0; i < 8; i++) { /* a burst of 6, then one a second (the kernel's limit) */
        ic.ts_ns = T0 + (i < 6 ? i * 20 : (i - 5) * 1000) * MS;
        ic.frame = 1000 + (uint64_t)i;
        media_tracker_icmp(w->m, &ic);
    }
    media_call_ended(w->m, 3, T0 + 2500 * MS);
    finish(w);
    const struct media_call_record *c = &w->r.media->calls[0];
    assert_int_equal(c->dir[0].verdict, MEDIA_DIR_OK);
    assert_int_equal(c->dir[1].verdict, MEDIA_DIR_BLOCKED);
    assert_int_equal(c->dir[1].icmp_errors, 8);
    assert_int_equal(c->dir[1].icmp_dport, 16000);
    assert_string_equal(c->verdict, "one_way");
    assert_true(has_finding(&w->r, FIND_RTP_ICMP_UNREACHABLE));
    assert_true(has_finding(&w->r, FIND_RTP_ONE_WAY));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nat_learned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stopped_and_loss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heuristic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_mlines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocked_on_the_wire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_points_alg, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
