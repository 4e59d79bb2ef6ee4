/* test_settle.c — findings streamed as they become certain (issue 9, live) by packet time, each
 * once, while the stored report stays what it was; and findings proven by what was seen (an
 * ICMP refusal of media, an error response to REGISTER) keep high confidence under capture loss.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/check/checks.h"
#include "analyzer/check/profile.h"
#include "analyzer/check/settle.h"
#include "analyzer/result.h"
#include "analyzer/track/media.h"
#include "analyzer/track/sip_track.h"

#define MS 1000000LL
#define SEC 1000000000LL
#define T0 (1709629200LL * SEC)

/* What the observer saw: names and copies, in order. */
struct seen {
    struct finding f[64];
    size_t n;
};

static void
on_finding(void *ctx, const struct finding *f)
{
    struct seen *s = ctx;
    if (s->n < 64)
        s->f[s->n++] = *f;
}

static size_t
seen_count(const struct seen *s, enum finding_code c)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->f[i].code == c;
    return n;
}

static const struct finding *
stored(const struct result *r, enum finding_code c)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].code == c)
            return &r->findings[i];
    return NULL;
}

static void
watch(struct result *r, struct seen *s)
{
    memset(s, 0, sizeof(*s));
    r->on_finding = on_finding;
    r->on_finding_ctx = s;
}

/* result.c: a streamed finding is shown once; its stored twin is not shown again; the others
 * are shown when their finder is done with them (a change made after the add is seen). */
static void
test_stream_once(void **state)
{
    (void)state;
    struct result r;
    struct seen s;
    result_init(&r, 16);
    struct finding f;
    struct evidence_ref a = {7, 0, T0}, b = {9, 1, T0 + SEC};
    result_finding_set(&f, FIND_RTP_ONE_WAY, &a, NULL, "early %d", 1);
    assert_false(result_stream_finding(&r, &f)); /* nobody watches: the end shows it */
    watch(&r, &s);
    assert_true(result_stream_finding(&r, &f));
    assert_int_equal(s.n, 1);
    assert_string_equal(s.f[0].summary, "early 1");
    /* the end adds the twin (same code and first evidence, a later summary): not shown again */
    struct finding *x = result_add_finding(&r, FIND_RTP_ONE_WAY, &a, NULL, "at the end");
    x->from_absence = false;
    struct finding *y = result_add_finding(&r, FIND_RTP_ONE_WAY, &b, NULL, "another");
    y->from_absence = false; /* set after the add: the observer must see it */
    assert_int_equal(s.n, 1);
    result_finish(&r);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.f[1].summary, "another");
    assert_false(s.f[1].from_absence);
    assert_int_equal(r.n_findings, 2); /* the report is what the end added */
    /* without a frame, the summary tells findings apart */
    struct finding z;
    result_finding_set(&z, FIND_RTP_PORT_OUTSIDE_PROFILE, NULL, NULL, "call 1");
    assert_true(result_stream_finding(&r, &z));
    result_add_finding(&r, FIND_RTP_PORT_OUTSIDE_PROFILE, NULL, NULL, "call 2");
    result_add_finding(&r, FIND_RTP_PORT_OUTSIDE_PROFILE, NULL, NULL, "call 1");
    result_finish(&r);
    assert_int_equal(seen_count(&s, FIND_RTP_PORT_OUTSIDE_PROFILE), 2);
    result_free(&r);
}

/* --- media --- */

struct world {
    struct media_tracker *m;
    struct flow flows[8];
    int n;
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
    e.n_pt = 1;
    e.pt[0].pt = 0, e.pt[0].clock_rate = 8000;
    e.event_pt = -1;
    e.frame = ++w->frame;
    e.ts_ns = T0;
    media_expect(w->m, &e);
}

/* n RTP packets every 20 ms on one flow (its own struct flow). */
static void
rtp_run(struct world *w, const char *src, uint16_t sp, const char *dst, uint16_t dp, int64_t t,
        unsigned n, uint32_t ssrc)
{
    struct flow *f = &w->flows[w->n++];
    memset(f, 0, sizeof(*f));
    f->id = (uint32_t)w->n;
    uint8_t b[172];
    memset(b, 0xd5, sizeof(b));
    for (unsigned i = 0; i < n; i++) {
        uint16_t seq = (uint16_t)(1 + i);
        uint32_t ts = 160u * i;
        b[0] = 0x80, b[1] = 0;
        b[2] = (uint8_t)(seq >> 8), b[3] = (uint8_t)seq;
        b[4] = (uint8_t)(ts >> 24), b[5] = (uint8_t)(ts >> 16), b[6] = (uint8_t)(ts >> 8);
        b[7] = (uint8_t)ts;
        b[8] = (uint8_t)(ssrc >> 24), b[9] = (uint8_t)(ssrc >> 16), b[10] = (uint8_t)(ssrc >> 8);
        b[11] = (uint8_t)ssrc;
        struct packet p;
        memset(&p, 0, sizeof(p));
        p.frame = ++w->frame;
        p.ts_ns = t + (int64_t)i * 20 * MS;
        p.ip_version = 4;
        p.src = ip4(src), p.dst = ip4(dst);
        p.ip_proto = 17;
        p.layers = LAYER_UDP;
        p.sport = sp, p.dport = dp;
        p.payload = b;
        p.payload_len = p.payload_wire_len = sizeof(b);
        media_tracker_udp(w->m, &p, f, 0, MEDIA_NO_HINT);
    }
}

static void
icmp_refuse(struct world *w, int64_t t, const char *src, uint16_t sp, const char *dst, uint16_t dp)
{
    struct packet ic;
    memset(&ic, 0, sizeof(ic));
    ic.frame = ++w->frame;
    ic.ts_ns = t;
    ic.src = ip4("198.51.100.1");
    ic.icmp_type = 3, ic.icmp_code = 13; /* administratively prohibited */
    ic.quote.valid = true, ic.quote.proto = 17, ic.quote.ip_version = 4;
    ic.quote.src = ip4(src), ic.quote.dst = ip4(dst);
    ic.quote.sport = sp, ic.quote.dport = dp;
    media_tracker_icmp(w->m, &ic);
}

/* Call 1 one-way (nothing to the caller); call 2 one-way by ICMP refusal; both end. */
static void
two_calls(struct world *w)
{
    static const struct media_limits lim = {.streams = 64,
                                            .flows = 64,
                                            .expect = 32,
                                            .calls = 8,
                                            .rtcp = 16,
                                            .icmp = 16,
                                            .records = 64};
    memset(w, 0, sizeof(*w));
    w->m = media_tracker_new_sized(&lim);
    assert_non_null(w->m);
    media_tracker_start(w->m, T0);
    expect(w, 1, true, "192.0.2.10", 10000);
    expect(w, 1, false, "198.51.100.20", 20000);
    expect(w, 2, true, "192.0.2.11", 10002);
    expect(w, 2, false, "198.51.100.21", 20002);
    rtp_run(w, "192.0.2.10", 10000, "198.51.100.20", 20000, T0 + 100 * MS, 100, 0x1111);
    rtp_run(w, "198.51.100.21", 20002, "192.0.2.11", 10002, T0 + 100 * MS, 100, 0x2222);
    for (int i = 0; i < 3; i++)
        icmp_refuse(w, T0 + (200 + 500 * i) * MS, "192.0.2.11", 10002, "198.51.100.21", 20002);
    media_call_ended(w->m, 1, T0 + 2200 * MS);
    media_call_ended(w->m, 2, T0 + 2200 * MS);
}

/* Summaries of r's findings, sorted, one string: reports compare equal when these do. */
static void
summaries(const struct result *r, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n_findings && k < cap; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s|%s\n", catalog_get(r->findings[i].code)->name,
                              r->findings[i].summary);
}

static void
test_media_settle(void **state)
{
    (void)state;
    static char plain[8192], live[8192];
    struct world w;
    struct result r;
    struct seen s;
    /* the file analysis: no observer, nothing streamed, the end stores the verdicts */
    two_calls(&w);
    result_init(&r, 16);
    settle_tick(NULL, w.m, NULL, &r, T0 + 10 * SEC);
    media_tracker_finish(w.m, &r);
    result_finish(&r);
    summaries(&r, plain, sizeof(plain));
    assert_non_null(stored(&r, FIND_RTP_ONE_WAY));
    media_tracker_free(w.m);
    result_free(&r);

    /* live: not yet over 1 s after the BYEs; over at 2 s: streamed then, once */
    two_calls(&w);
    result_init(&r, 16);
    watch(&r, &s);
    settle_tick(NULL, w.m, NULL, &r, T0 + 3200 * MS);
    assert_int_equal(s.n, 0);
    settle_tick(NULL, w.m, NULL, &r, T0 + 3900 * MS); /* within the second: no look */
    assert_int_equal(s.n, 0);
    settle_tick(NULL, w.m, NULL, &r, T0 + 4200 * MS);
    assert_int_equal(seen_count(&s, FIND_RTP_ONE_WAY), 2);
    assert_int_equal(seen_count(&s, FIND_RTP_ICMP_UNREACHABLE), 1);
    size_t early = s.n;
    settle_tick(NULL, w.m, NULL, &r, T0 + 9 * SEC); /* settled calls are not judged again */
    assert_int_equal(s.n, early);
    /* the proof is there when streamed: call 2's one-way (ICMP refusal) is not from absence */
    for (size_t i = 0; i < s.n; i++)
        if (s.f[i].code == FIND_RTP_ONE_WAY)
            assert_int_equal(s.f[i].from_absence, strstr(s.f[i].summary, "call 2:") == NULL);
    media_tracker_finish(w.m, &r);
    result_finish(&r);
    assert_int_equal(s.n, early); /* the end showed nothing twice */
    summaries(&r, live, sizeof(live));
    assert_string_equal(live, plain); /* and stored what the file analysis stores */
    media_tracker_free(w.m);
    result_free(&r);
}

/* Capture loss lowers the one-way of silence, not the one refused by ICMP. */
static void
test_media_proof(void **state)
{
    (void)state;
    struct world w;
    struct result r;
    two_calls(&w);
    result_init(&r, 16);
    r.tcp_acked_unseen = 100;
    media_tracker_finish(w.m, &r);
    result_finish(&r);
    int refused = 0, silent = 0;
    for (size_t i = 0; i < r.n_findings; i++) {
        const struct finding *f = &r.findings[i];
        if (f->code != FIND_RTP_ONE_WAY)
            continue;
        if (strstr(f->summary, "call 2:")) { /* refused by ICMP */
            refused++;
            assert_false(f->from_absence);
            assert_int_equal(f->confidence, CONF_HIGH);
        } else {
            silent++;
            assert_true(f->from_absence);
            assert_int_equal(f->confidence, CONF_MEDIUM);
        }
    }
    assert_int_equal(refused, 1);
    assert_int_equal(silent, 1);
    media_tracker_free(w.m);
    result_free(&r);
}

/* --- SIP registrations --- */

struct rig {
    struct sip_tracker *t;
    struct flow f;
    struct result r;
    uint64_t frame;
};

static void
send_sip(struct rig *g, int side, int64_t ms, const char *text)
{
    struct packet p;
    memset(&p, 0, sizeof p);
    p.frame = ++g->frame;
    p.ts_ns = T0 + ms * MS;
    p.ip_version = 4;
    p.src.family = p.dst.family = 4;
    p.src.a[0] = side ? 198 : 192;
    p.dst.a[0] = side ? 192 : 198;
    p.sport = p.dport = 5060;
    p.layers = LAYER_UDP;
    p.payload = (const uint8_t *)text;
    p.payload_len = p.payload_wire_len = (uint32_t)strlen(text);
    assert_true(sip_tracker_udp(g->t, &p, &g->f, side));
}

static const char *
reg(char *b, const char *start, const char *branch, const char *cseq, const char *extra)
{
    snprintf(b, 1024,
             "%s\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=%s\r\nFrom: <sip:a@x>;tag=f1\r\n"
             "To: <sip:a@x>\r\nCall-ID: r1@x\r\nCSeq: %s\r\nContact: <sip:a@192.0.2.10>\r\n%s"
             "Content-Length: 0\r\n\r\n",
             start, branch, cseq, extra);
    return b;
}

static void
rig_end(struct rig *g)
{
    struct flow_key k;
    memset(&k, 0, sizeof k);
    k.proto = 17;
    sip_tracker_flow_end(g->t, &k, &g->f);
    sip_tracker_finish(g->t, &g->r);
    result_finish(&g->r);
    sip_tracker_free(g->t);
}

/* REGISTER, 401, REGISTER with credentials, 403: streamed at the next look, proof. */
static void
test_register_rejected(void **state)
{
    (void)state;
    struct rig g;
    struct seen s;
    char b[1024];
    memset(&g, 0, sizeof g);
    g.t = sip_tracker_new(NULL);
    assert_non_null(g.t);
    result_init(&g.r, 100);
    watch(&g.r, &s);
    send_sip(&g, 0, 0, reg(b, "REGISTER sip:x SIP/2.0", "z9hG4bKa", "1 REGISTER", ""));
    send_sip(&g, 1, 20, reg(b, "SIP/2.0 401 Unauthorized", "z9hG4bKa", "1 REGISTER", ""));
    settle_tick(g.t, NULL, NULL, &g.r, T0 + 30 * MS);
    assert_int_equal(s.n, 0); /* a challenge is the normal first answer */
    send_sip(&g, 0, 40, reg(b, "REGISTER sip:x SIP/2.0", "z9hG4bKb", "2 REGISTER", ""));
    send_sip(&g, 1, 60, reg(b, "SIP/2.0 403 Forbidden", "z9hG4bKb", "2 REGISTER", ""));
    settle_tick(g.t, NULL, NULL, &g.r, T0 + 2 * SEC);
    assert_int_equal(seen_count(&s, FIND_SIP_REGISTRATION_FAILED), 1);
    assert_false(s.f[0].from_absence);
    assert_non_null(strstr(s.f[0].summary, "403 x1"));
    settle_tick(g.t, NULL, NULL, &g.r, T0 + 4 * SEC);
    assert_int_equal(seen_count(&s, FIND_SIP_REGISTRATION_FAILED), 1);
    g.r.tcp_acked_unseen = 1; /* capture loss: the error response still proves it */
    rig_end(&g);
    assert_int_equal(seen_count(&s, FIND_SIP_REGISTRATION_FAILED), 1);
    const struct finding *f = stored(&g.r, FIND_SIP_REGISTRATION_FAILED);
    assert_non_null(f);
    assert_false(f->from_absence);
    assert_int_equal(f->confidence, CONF_HIGH);
    result_free(&g.r);
}

/* A binding granted for 60 s and never refreshed: failed once 60 s of packet time passed, in
 * the stream and at the end alike; a refreshed one is not. */
static void
test_register_expired(void **state)
{
    (void)state;
    for (int refresh = 0; refresh < 2; refresh++) {
        struct rig g;
        struct seen s;
        char b[1024];
        memset(&g, 0, sizeof g);
        g.t = sip_tracker_new(NULL);
        assert_non_null(g.t);
        result_init(&g.r, 100);
        watch(&g.r, &s);
        send_sip(&g, 0, 0, reg(b, "REGISTER sip:x SIP/2.0", "z9hG4bKa", "1 REGISTER", ""));
        send_sip(&g, 1, 20, reg(b, "SIP/2.0 200 OK", "z9hG4bKa", "1 REGISTER", "Expires: 60\r\n"));
        if (refresh) {
            send_sip(&g, 0, 50000, reg(b, "REGISTER sip:x SIP/2.0", "z9hG4bKb", "2 REGISTER", ""));
            send_sip(&g, 1, 50020,
                     reg(b, "SIP/2.0 200 OK", "z9hG4bKb", "2 REGISTER", "Expires: 60\r\n"));
        }
        settle_tick(g.t, NULL, NULL, &g.r, T0 + 59 * SEC);
        assert_int_equal(s.n, 0);
        settle_tick(g.t, NULL, NULL, &g.r, T0 + 61 * SEC);
        assert_int_equal(seen_count(&s, FIND_SIP_REGISTRATION_FAILED), refresh ? 0 : 1);
        g.r.last_ns = T0 + 61 * SEC; /* the capture's last frame */
        rig_end(&g);
        assert_int_equal(seen_count(&s, FIND_SIP_REGISTRATION_FAILED), refresh ? 0 : 1);
        const struct finding *f = stored(&g.r, FIND_SIP_REGISTRATION_FAILED);
        if (refresh) {
            assert_null(f);
        } else {
            assert_non_null(f);
            assert_true(f->from_absence); /* the refresh may be what the capture lost */
            assert_non_null(strstr(f->summary, "ran out with no refresh"));
        }
        result_free(&g.r);
    }
}

/* --- checks --- */

/* SYNs to the HTTP port retransmitted and timed out: streamed when the flow ended. */
static void
test_checks_settle(void **state)
{
    (void)state;
    struct profile p;
    profile_default(&p);
    struct checks *c = checks_new(&p);
    assert_non_null(c);
    struct result r;
    struct seen s;
    result_init(&r, 16);
    watch(&r, &s);
    struct flow_record f;
    memset(&f, 0, sizeof f);
    f.proto = 6;
    f.ip_version = 4;
    f.src = ip4("192.0.2.10");
    f.dst = ip4("203.0.113.80");
    f.sport = 40000;
    f.dport = p.http_port;
    f.packets_fwd = 3;
    f.first = (struct evidence_ref){5, 0, T0};
    f.last = (struct evidence_ref){9, 0, T0 + 3 * SEC};
    f.end = FLOW_END_IDLE;
    f.tcp_state = FLOW_TCP_SYN;
    f.syn_count = 3;
    settle_tick(NULL, NULL, c, &r, T0);
    assert_int_equal(s.n, 0);
    checks_flow(c, &f);
    settle_tick(NULL, NULL, c, &r, T0 + 40 * SEC);
    assert_int_equal(seen_count(&s, FIND_HTTP_SYN_UNANSWERED), 1);
    assert_non_null(strstr(s.f[0].summary, "sent 3 SYNs"));
    checks_flow(c, &f); /* a second failure to the same server: already shown */
    settle_tick(NULL, NULL, c, &r, T0 + 80 * SEC);
    assert_int_equal(seen_count(&s, FIND_HTTP_SYN_UNANSWERED), 1);
    checks_finish(c, &r);
    result_finish(&r);
    assert_int_equal(seen_count(&s, FIND_HTTP_SYN_UNANSWERED), 1);
    const struct finding *x = stored(&r, FIND_HTTP_SYN_UNANSWERED);
    assert_non_null(x);
    assert_int_equal(x->count, 2);
    checks_free(c);
    result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_once),      cmocka_unit_test(test_media_settle),
        cmocka_unit_test(test_media_proof),      cmocka_unit_test(test_register_rejected),
        cmocka_unit_test(test_register_expired), cmocka_unit_test(test_checks_settle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
