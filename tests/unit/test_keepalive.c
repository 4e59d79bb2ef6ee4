/* test_keepalive.c — NAT keep-alive tracker (RFC 5626 §3.5.1, RFC 3581 received/rport): interval
 * statistics, late gaps, jitter tolerance, rebinding, one-way, two-point capture, bounded memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/result.h"
#include "analyzer/track/keepalive.h"
#include "dissectors/sip.h"

#define NS 1000000000LL
#define T0 (1709629200LL * NS)

/* A tiny world: one tracker, one result, a frame counter per input file. */
struct world {
    struct keepalive_tracker *t;
    struct result r;
    uint64_t frame[4];
};

static struct sip_endpoint
ep(const char *ip, uint16_t port)
{
    struct sip_endpoint e;
    memset(&e, 0, sizeof e);
    e.ip.family = 4;
    assert_int_equal(inet_pton(AF_INET, ip, e.ip.a), 1);
    e.port = port;
    return e;
}

static struct sip_ref
at(struct world *w, uint16_t file, double s)
{
    return (struct sip_ref){++w->frame[file], file, T0 + (int64_t)llround(s * 1e9)};
}

static void
world_init(struct world *w)
{
    memset(w, 0, sizeof *w);
    w->t = keepalive_tracker_new(30, 90);
    assert_non_null(w->t);
    result_init(&w->r, 16);
}

static void
world_finish(struct world *w)
{
    assert_int_equal(keepalive_tracker_finish(w->t, &w->r), 0);
    assert_non_null(w->r.keepalive);
}

static void
world_free(struct world *w)
{
    keepalive_tracker_free(w->t);
    result_free(&w->r);
}

static const char *PHONE = "192.168.1.10", *CLOUD = "203.0.113.10";

/* A CRLFCRLF ping at s seconds: from the cloud (inbound) or from the phone. */
static void
ping(struct world *w, uint16_t file, const char *phone_ip, uint16_t phone_port, bool inbound,
     double s)
{
    struct sip_endpoint p = ep(phone_ip, phone_port), c = ep(CLOUD, 5060);
    struct sip_ref r = at(w, file, s);
    keepalive_tracker_ping(w->t, inbound ? &c : &p, inbound ? &p : &c, false, KA_KIND_DOUBLE_CRLF,
                           &r, NULL);
}

/* REGISTER from the phone at s, answered 200 at s + 0.01 reporting public pub:pub_port. */
static void
reg(struct world *w, uint16_t file, const char *phone_ip, uint16_t phone_port, double s,
    const char *pub, uint16_t pub_port, bool retransmission)
{
    struct sip_endpoint p = ep(phone_ip, phone_port), c = ep(CLOUD, 5060);
    struct keepalive_sip q = {
        .is_request = true, .method = SIP_REQ_REGISTER, .retransmission = retransmission};
    struct sip_ref r = at(w, file, s);
    keepalive_tracker_sip(w->t, &p, &c, &q, &r);
    struct keepalive_sip a = {
        .cseq_method = SIP_REQ_REGISTER, .code = 200, .retransmission = retransmission};
    if (pub) {
        a.has_public = true;
        a.public_addr = ep(pub, pub_port);
    }
    r = at(w, file, s + 0.01);
    keepalive_tracker_sip(w->t, &c, &p, &a, &r);
}

/* An initial INVITE from the cloud to the phone (retransmission flag as the SIP tracker says). */
static void
invite(struct world *w, uint16_t file, const char *phone_ip, uint16_t phone_port, double s,
       bool retransmission)
{
    struct sip_endpoint p = ep(phone_ip, phone_port), c = ep(CLOUD, 5060);
    struct keepalive_sip q = {
        .is_request = true, .method = SIP_REQ_INVITE, .retransmission = retransmission};
    struct sip_ref r = at(w, file, s);
    keepalive_tracker_sip(w->t, &c, &p, &q, &r);
}

static uint32_t
count_code(const struct result *r, enum finding_code code)
{
    uint32_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        n += r->findings[i].code == code;
    return n;
}

static const struct finding *
find_code(const struct result *r, enum finding_code code)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].code == code)
            return &r->findings[i];
    return NULL;
}

static uint32_t
nat_fails(const struct result *r)
{
    return count_code(r, FIND_NAT_KEEPALIVE_GAP) +
           count_code(r, FIND_NAT_INBOUND_KEEPALIVES_MISSING) +
           count_code(r, FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL) +
           count_code(r, FIND_NAT_REBINDING) + count_code(r, FIND_NAT_INBOUND_INVITE_LOST);
}

/* Cloud pings at `times`, the phone's own ping 5 s after each (keeps the peer alive). */
static void
cloud_series(struct world *w, const double *times, size_t n)
{
    reg(w, 0, PHONE, 5060, 0, "198.51.100.2", 40000, false);
    for (size_t i = 0; i < n; i++) {
        ping(w, 0, PHONE, 5060, true, times[i]);
        ping(w, 0, PHONE, 5060, false, times[i] + 5);
    }
}

static void
test_interval_stats(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    static const double t[] = {10, 40, 70, 110, 140};
    cloud_series(&w, t, 5);
    world_finish(&w);
    assert_int_equal(w.r.keepalive->n_bindings, 1);
    const struct ka_binding *b = &w.r.keepalive->bindings[0];
    const struct ka_direction *d = &b->dir[KA_DIR_CLOUD_TO_PHONE];
    assert_int_equal(d->count, 5);
    assert_int_equal(d->kinds[KA_KIND_DOUBLE_CRLF], 5);
    assert_float_equal(d->min_s, 30, 1e-6);
    assert_float_equal(d->median_s, 30, 1e-6); /* 30, 30, 30, 40 */
    assert_float_equal(d->max_s, 40, 1e-6);
    assert_float_equal(d->expected_s, 30, 1e-9);
    assert_false(d->expected_inferred);
    assert_int_equal(d->n_gaps, 0);
    assert_int_equal(b->registers, 1);
    assert_string_equal(b->public_addr, "198.51.100.2:40000");
    assert_string_equal(b->phone_by, "register");
    assert_int_equal(b->verdict, KA_VERDICT_PASS);
    assert_int_equal(nat_fails(&w.r), 0);
    assert_true(w.r.requirements[REQ_NAT].observed);
    world_free(&w);
}

/* Late beyond 1.5x the expected interval: 45.0 s is not late, 45.5 s is. */
static void
test_gap_threshold(void **state)
{
    (void)state;
    static const struct {
        double iv;
        uint32_t gaps;
        enum ka_verdict v;
    } cases[] = {
        {30.0, 0, KA_VERDICT_PASS}, {44.9, 0, KA_VERDICT_PASS},  {45.0, 0, KA_VERDICT_PASS},
        {45.5, 1, KA_VERDICT_FAIL}, {120.0, 1, KA_VERDICT_FAIL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct world w;
        world_init(&w);
        double t[] = {10, 40, 70, 70 + cases[i].iv, 100 + cases[i].iv, 130 + cases[i].iv};
        cloud_series(&w, t, 6);
        world_finish(&w);
        const struct ka_binding *b = &w.r.keepalive->bindings[0];
        const struct ka_direction *d = &b->dir[KA_DIR_CLOUD_TO_PHONE];
        assert_int_equal(d->n_gaps, cases[i].gaps);
        assert_int_equal(b->verdict, cases[i].v);
        assert_int_equal(count_code(&w.r, FIND_NAT_KEEPALIVE_GAP), cases[i].gaps);
        assert_float_equal(d->max_s, cases[i].iv, 1e-6);
        if (cases[i].gaps) {
            assert_float_equal(d->gaps[0].seconds, cases[i].iv, 1e-6);
            assert_true(d->gaps[0].peer_alive);
            assert_true(d->gaps[0].from.frame < d->gaps[0].to.frame);
            const struct finding *f = find_code(&w.r, FIND_NAT_KEEPALIVE_GAP);
            assert_float_equal(f->measured, cases[i].iv, 1e-6);
            assert_float_equal(f->limit, 45, 1e-9);
            assert_int_equal(f->first.frame, d->gaps[0].from.frame);
            assert_int_equal(f->last.frame, d->gaps[0].to.frame);
        }
        world_free(&w);
    }
}

/* 28-33 s intervals against a 30 s profile are jitter, never a finding. */
static void
test_jitter_tolerated(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    static const double iv[] = {28, 33, 30.5, 29, 32.9, 28.1, 31};
    double t[8] = {10};
    for (size_t i = 0; i < 7; i++)
        t[i + 1] = t[i] + iv[i];
    cloud_series(&w, t, 8);
    world_finish(&w);
    const struct ka_binding *b = &w.r.keepalive->bindings[0];
    const struct ka_direction *d = &b->dir[KA_DIR_CLOUD_TO_PHONE];
    assert_int_equal(d->count, 8);
    assert_float_equal(d->min_s, 28, 1e-6);
    assert_float_equal(d->max_s, 33, 1e-6);
    assert_float_equal(d->median_s, 30.5, 1e-6);
    assert_false(d->expected_inferred);
    assert_int_equal(d->n_gaps, 0);
    assert_int_equal(d->gaps_more, 0);
    assert_int_equal(b->verdict, KA_VERDICT_PASS);
    assert_int_equal(nat_fails(&w.r), 0);
    world_free(&w);
}

/* A scaled-down rhythm (2 s) is inferred from the median, and 3 s late beyond it. */
static void
test_inferred_interval(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    reg(&w, 0, PHONE, 5060, 0, "198.51.100.2", 40000, false);
    for (int i = 0; i < 15; i++)
        ping(&w, 0, PHONE, 5060, true, 1 + 2 * i + (i >= 10 ? 2.0 : 0)); /* one 4 s gap */
    reg(&w, 0, PHONE, 5060, 40, "198.51.100.2", 40000, false);
    world_finish(&w);
    const struct ka_direction *d = &w.r.keepalive->bindings[0].dir[KA_DIR_CLOUD_TO_PHONE];
    assert_true(d->expected_inferred);
    assert_float_equal(d->expected_s, 2, 1e-6);
    assert_int_equal(d->n_gaps, 1);
    assert_float_equal(d->gaps[0].seconds, 4, 1e-6);
    world_free(&w);
}

/* The registrar's received/rport changes: rebinding, bounded by the phone's idle time. */
static void
test_rebinding_bound(void **state)
{
    (void)state;
    static const struct {
        double last_traffic, refresh; /* the phone's last ping, the refresh that reveals it */
        enum finding_code code;
        enum ka_verdict v;
    } cases[] = {
        {10, 50, FIND_NAT_REBINDING, KA_VERDICT_FAIL},  /* <= 40 s idle */
        {10, 100, FIND_NAT_REBINDING, KA_VERDICT_FAIL}, /* <= 90 s: still short */
        {10, 130, FIND_NAT_BINDING_EXPIRED_IDLE, KA_VERDICT_NOT_OBSERVED}, /* 120 s: allowed */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct world w;
        world_init(&w);
        reg(&w, 0, PHONE, 5060, 0, "198.51.100.2", 40000, false);
        ping(&w, 0, PHONE, 5060, false, cases[i].last_traffic);
        reg(&w, 0, PHONE, 5060, cases[i].refresh, "198.51.100.2", 40007, false);
        world_finish(&w);
        const struct ka_binding *b = &w.r.keepalive->bindings[0];
        assert_int_equal(b->n_rebinds, 1);
        assert_string_equal(b->rebinds[0].from, "198.51.100.2:40000");
        assert_string_equal(b->rebinds[0].to, "198.51.100.2:40007");
        assert_false(b->rebinds[0].stun);
        double idle = cases[i].refresh - cases[i].last_traffic;
        assert_float_equal(b->rebinds[0].idle_s, idle, 1e-6);
        assert_float_equal(b->binding_lifetime_s, idle, 1e-6);
        assert_string_equal(b->public_addr, "198.51.100.2:40007");
        assert_int_equal(count_code(&w.r, cases[i].code), 1);
        const struct finding *f = find_code(&w.r, cases[i].code);
        assert_float_equal(f->measured, idle, 1e-6);
        assert_float_equal(f->limit, 90, 1e-9);
        assert_int_equal(b->verdict, cases[i].v);
        assert_int_equal(b->registers, 2);
        assert_float_equal(b->register_interval_s, cases[i].refresh, 1e-3);
        world_free(&w);
    }
}

/* WAN side: the refresh comes from a new NAT port; the old flow's public address is the "from". */
static void
test_rebinding_new_flow(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    reg(&w, 0, "198.51.100.2", 40000, 0, "198.51.100.2", 40000, false);
    reg(&w, 0, "198.51.100.2", 40123, 10, "198.51.100.2", 40123, false);
    world_finish(&w);
    assert_int_equal(w.r.keepalive->n_bindings, 2);
    const struct ka_binding *b = &w.r.keepalive->bindings[1];
    assert_int_equal(b->n_rebinds, 1);
    assert_string_equal(b->rebinds[0].from, "198.51.100.2:40000");
    assert_string_equal(b->rebinds[0].to, "198.51.100.2:40123");
    assert_float_equal(b->rebinds[0].idle_s, 10, 1e-6);
    assert_int_equal(count_code(&w.r, FIND_NAT_REBINDING), 1);
    world_free(&w);
}

static void
test_one_way(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    reg(&w, 0, PHONE, 5060, 0, "198.51.100.2", 40000, false);
    for (int i = 0; i < 6; i++)
        ping(&w, 0, PHONE, 5060, false, 30.0 * i);
    world_finish(&w);
    const struct ka_binding *b = &w.r.keepalive->bindings[0];
    assert_int_equal(b->dir[KA_DIR_PHONE_TO_CLOUD].count, 6);
    assert_int_equal(b->dir[KA_DIR_CLOUD_TO_PHONE].count, 0);
    assert_int_equal(b->verdict, KA_VERDICT_WARN);
    assert_int_equal(count_code(&w.r, FIND_NAT_KEEPALIVES_ONE_WAY), 1);
    assert_int_equal(nat_fails(&w.r), 0);
    world_free(&w);
}

/* Shorter than two intervals: nothing to judge. */
static void
test_short_capture(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    reg(&w, 0, PHONE, 5060, 0, "198.51.100.2", 40000, false);
    ping(&w, 0, PHONE, 5060, true, 10);
    ping(&w, 0, PHONE, 5060, true, 20);
    world_finish(&w);
    assert_int_equal(w.r.keepalive->bindings[0].verdict, KA_VERDICT_NOT_OBSERVED);
    assert_false(w.r.requirements[REQ_NAT].observed);
    assert_int_equal(nat_fails(&w.r), 0);
    world_free(&w);
}

/*
 * LAN (file 0) + WAN (file 1) merged: the cloud's pings reach the WAN every 2 s but only the
 * first three reach the LAN; the INVITE the LAN sees is, to the SIP tracker, a retransmission of
 * the WAN copy — still the binding's first; a second INVITE retransmitted and never answered.
 */
static void
test_two_points(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    const char *pub = "198.51.100.2";
    reg(&w, 0, PHONE, 5060, 0, pub, 40000, false);
    reg(&w, 1, pub, 40000, 0.001, pub, 40000, true);
    for (int i = 0; i < 10; i++) {
        double s = 1 + 2.0 * i;
        ping(&w, 1, pub, 40000, true, s);
        if (i < 3)
            ping(&w, 0, PHONE, 5060, true, s + 0.0002);
    }
    invite(&w, 1, pub, 40000, 5.5, false);
    invite(&w, 0, PHONE, 5060, 5.5002, true); /* reached the phone; answered below */
    struct sip_endpoint p = ep(PHONE, 5060), c = ep(CLOUD, 5060);
    struct keepalive_sip busy = {.cseq_method = SIP_REQ_INVITE, .code = 486};
    struct sip_ref r = at(&w, 0, 5.6);
    keepalive_tracker_sip(w.t, &p, &c, &busy, &r);
    invite(&w, 1, pub, 40000, 12, false); /* lost: 3 retransmissions on the WAN only */
    invite(&w, 1, pub, 40000, 12.5, true);
    invite(&w, 1, pub, 40000, 13.5, true);
    invite(&w, 1, pub, 40000, 15.5, true);
    reg(&w, 0, PHONE, 5060, 20.5, pub, 40000, false);
    reg(&w, 1, pub, 40000, 20.501, pub, 40000, true);
    world_finish(&w);
    const struct keepalive_result *k = w.r.keepalive;
    assert_int_equal(k->n_bindings, 2);
    const struct ka_binding *lan = &k->bindings[0], *wan = &k->bindings[1];
    assert_int_equal(lan->file, 0);
    assert_int_equal(lan->registers, 2);
    assert_int_equal(wan->registers, 2); /* the WAN copies count on their own binding */
    assert_string_equal(lan->public_addr, "198.51.100.2:40000");
    assert_int_equal(lan->dropped_by_firewall, 7);
    assert_float_equal((double)(lan->dropped_first.ts_ns - T0) / 1e9, 7, 1e-6);
    assert_int_equal(lan->inbound_invites, 1);
    assert_int_equal(lan->inbound_invites_lost, 0);
    assert_int_equal(wan->inbound_invites, 2);
    assert_int_equal(wan->inbound_invites_lost, 1);
    assert_int_equal(wan->lost_invite_retransmissions, 3);
    assert_int_equal(wan->dropped_by_firewall, 0);
    assert_int_equal(count_code(&w.r, FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL), 1);
    assert_int_equal(count_code(&w.r, FIND_NAT_INBOUND_INVITE_LOST), 1);
    assert_int_equal(lan->verdict, KA_VERDICT_FAIL);
    assert_int_equal(wan->verdict, KA_VERDICT_FAIL);
    world_free(&w);
}

/*
 * The dropped count is exact: every WAN keep-alive is matched one to one (far beyond any ring of
 * recent ones), two WAN copies never share one LAN copy, and a known payload must agree.
 */
static void
test_two_points_exact(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    const char *pub = "198.51.100.2";
    reg(&w, 0, PHONE, 5060, 0, pub, 40000, false);
    reg(&w, 1, pub, 40000, 0.001, pub, 40000, true);
    uint32_t missing = 0;
    for (int i = 0; i < 400; i++) {
        double s = 1 + 2.0 * i;
        ping(&w, 1, pub, 40000, true, s);
        if (i % 10 == 3)
            missing++;
        else
            ping(&w, 0, PHONE, 5060, true, s + 0.0003);
    }
    /* a WAN keep-alive and its quick repeat, one LAN copy: one of them was dropped */
    ping(&w, 1, pub, 40000, true, 801.0);
    ping(&w, 1, pub, 40000, true, 801.4);
    ping(&w, 0, PHONE, 5060, true, 801.0003);
    missing++;
    /* a short ping whose bytes differ on the LAN side is not its copy */
    struct sip_endpoint p = ep(PHONE, 5060), c = ep(CLOUD, 5060), q = ep(pub, 40000);
    struct sip_ref r = at(&w, 1, 803);
    keepalive_tracker_ping_payload(w.t, &c, &q, false, KA_KIND_SHORT, &r, NULL,
                                   (const uint8_t *)"ABCD", 4);
    r = at(&w, 0, 803.0003);
    keepalive_tracker_ping_payload(w.t, &c, &p, false, KA_KIND_SHORT, &r, NULL,
                                   (const uint8_t *)"WXYZ", 4);
    missing++;
    r = at(&w, 1, 805);
    keepalive_tracker_ping_payload(w.t, &c, &q, false, KA_KIND_SHORT, &r, NULL,
                                   (const uint8_t *)"ABCD", 4);
    r = at(&w, 0, 805.0003);
    keepalive_tracker_ping_payload(w.t, &c, &p, false, KA_KIND_SHORT, &r, NULL,
                                   (const uint8_t *)"ABCD", 4);
    reg(&w, 0, PHONE, 5060, 806, pub, 40000, false);
    reg(&w, 1, pub, 40000, 806.001, pub, 40000, true);
    world_finish(&w);
    const struct ka_binding *lan = &w.r.keepalive->bindings[0];
    assert_int_equal(lan->file, 0);
    assert_int_equal(lan->dropped_by_firewall, missing);
    assert_float_equal((double)(lan->dropped_first.ts_ns - T0) / 1e9, 7, 1e-6);
    const struct finding *f = find_code(&w.r, FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL);
    assert_non_null(f);
    const char *sum = f ? f->summary : "";
    assert_int_equal(f ? f->count : 0, missing);
    assert_non_null(strstr(sum, "exact for the 806.0 s both captures overlap"));
    assert_non_null(strstr(sum, "of 404 keep-alive(s)"));
    world_free(&w);
}

/* Two phones behind one NAT, no public address reported: which WAN flow is whose is unknown, so
 * no keep-alive is called dropped. */
static void
test_two_points_ambiguous(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    for (int i = 0; i < 10; i++) {
        ping(&w, 1, "198.51.100.2", 40000, true, 1 + 2.0 * i);
        ping(&w, 1, "198.51.100.2", 40001, true, 1.5 + 2.0 * i);
        ping(&w, 0, PHONE, 5060, true, 1.5003 + 2.0 * i);
        ping(&w, 0, "192.168.1.11", 5060, true, 1.0003 + 2.0 * i);
    }
    world_finish(&w);
    assert_int_equal(count_code(&w.r, FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL), 0);
    world_free(&w);
}

/* One rebinding seen at the LAN and at the WAN point is reported once, with both frames. */
static void
test_rebinding_two_points_once(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    const char *pub = "198.51.100.2";
    reg(&w, 0, PHONE, 5060, 0, pub, 40000, false);
    reg(&w, 1, pub, 40000, 0.001, pub, 40000, true);
    reg(&w, 0, PHONE, 5060, 30, pub, 40007, false);
    reg(&w, 1, pub, 40007, 30.001, pub, 40007, true);
    world_finish(&w);
    assert_int_equal(w.r.keepalive->n_bindings, 3);
    assert_int_equal(count_code(&w.r, FIND_NAT_REBINDING), 1);
    const struct ka_binding *lan = &w.r.keepalive->bindings[0];
    assert_int_equal(lan->n_rebinds, 1);
    assert_false(lan->rebinds[0].duplicate);
    assert_int_not_equal(lan->rebinds[0].other_at.frame, 0);
    assert_int_equal(lan->rebinds[0].other_at.file, 1);
    const struct ka_binding *wan = &w.r.keepalive->bindings[2];
    assert_int_equal(wan->n_rebinds, 1);
    assert_true(wan->rebinds[0].duplicate);
    assert_int_equal(wan->verdict, KA_VERDICT_FAIL); /* its own view still fails */
    const struct finding *f = find_code(&w.r, FIND_NAT_REBINDING);
    assert_non_null(f);
    const char *sum = f ? f->summary : "";
    assert_non_null(strstr(sum, "192.168.1.10:5060's public address changed "
                                "198.51.100.2:40000 -> 198.51.100.2:40007"));
    assert_non_null(strstr(sum, "seen at both capture points"));
    assert_int_equal(f ? f->last.file : 0, 1); /* the WAN copy came last */
    world_free(&w);
}

/* Bounded memory: beyond the tracked-binding cap new bindings are refused and counted, and the
 * report lists at most KA_RES_MAX_BINDINGS. */
static void
test_binding_cap(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    const uint32_t n = 5000;
    for (uint32_t i = 0; i < n; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        ping(&w, 0, ip, 5060, false, i * 0.001);
    }
    uint32_t tracked = keepalive_tracker_bindings(w.t);
    uint64_t refused = keepalive_tracker_refused(w.t);
    assert_true(tracked < n);
    assert_int_equal(tracked + refused, n);
    world_finish(&w);
    const struct keepalive_result *k = w.r.keepalive;
    assert_int_equal(k->n_bindings, KA_RES_MAX_BINDINGS);
    assert_int_equal(k->n_bindings + k->bindings_unlisted, n);
    world_free(&w);
}

/* Robustness: events out of time order and unknown kinds neither crash nor go negative. */
static void
test_out_of_order(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    ping(&w, 0, PHONE, 5060, true, 60);
    ping(&w, 0, PHONE, 5060, true, 30);
    ping(&w, 0, PHONE, 5060, true, 90);
    struct sip_endpoint p = ep(PHONE, 5060), c = ep(CLOUD, 5060);
    struct sip_ref r = at(&w, 0, 100);
    keepalive_tracker_ping(w.t, &c, &p, false, (enum ka_kind)KA_KIND__COUNT, &r, NULL);
    keepalive_tracker_ping(NULL, &c, &p, false, KA_KIND_CRLF, &r, NULL);
    world_finish(&w);
    const struct ka_direction *d = &w.r.keepalive->bindings[0].dir[KA_DIR_CLOUD_TO_PHONE];
    assert_int_equal(d->count, 3);
    assert_true(d->min_s >= 0);
    world_free(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_stats),
        cmocka_unit_test(test_gap_threshold),
        cmocka_unit_test(test_jitter_tolerated),
        cmocka_unit_test(test_inferred_interval),
        cmocka_unit_test(test_rebinding_bound),
        cmocka_unit_test(test_rebinding_new_flow),
        cmocka_unit_test(test_one_way),
        cmocka_unit_test(test_short_capture),
        cmocka_unit_test(test_two_points),
        cmocka_unit_test(test_binding_cap),
        cmocka_unit_test(test_two_points_exact),
        cmocka_unit_test(test_two_points_ambiguous),
        cmocka_unit_test(test_rebinding_two_points_once),
        cmocka_unit_test(test_out_of_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
