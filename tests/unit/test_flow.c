/* test_flow.c — flow table: canonical keys, counters, TCP outcomes, ICMP ties, expiry, eviction. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analyzer/track/flow.h"

#define S 1000000000LL

struct ended {
    int n;
    enum flow_end why[16];
    struct flow last;
};

static void
on_end(void *ctx, const struct flow_key *k, struct flow *f, enum flow_end why)
{
    (void)k;
    struct ended *e = ctx;
    if (e->n < 16)
        e->why[e->n] = why;
    e->n++;
    e->last = *f;
}

static struct ip_addr
v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct ip_addr x;
    memset(&x, 0, sizeof(x));
    x.family = 4;
    x.a[0] = a, x.a[1] = b, x.a[2] = c, x.a[3] = d;
    return x;
}

static struct packet
pkt_make(uint8_t proto, struct ip_addr s, uint16_t sp, struct ip_addr d, uint16_t dp, int64_t ts,
         uint8_t flags)
{
    struct packet p;
    memset(&p, 0, sizeof(p));
    p.ip_version = 4;
    p.ip_proto = proto;
    p.src = s, p.dst = d, p.sport = sp, p.dport = dp;
    p.layers = LAYER_IPV4 | (proto == 6 ? LAYER_TCP : proto == 17 ? LAYER_UDP : 0);
    p.ts_ns = ts;
    p.tcp_flags = flags;
    p.l3_len = p.l3_wire_len = 60;
    static uint64_t frame;
    p.frame = ++frame;
    return p;
}

static void
test_both_directions_share_a_flow(void **state)
{
    (void)state;
    struct flow_limits l;
    flow_limits_default(&l);
    struct ended e = {0};
    struct flow_table *t = flow_table_new(&l, 7, on_end, &e);
    struct ip_addr a = v4(10, 0, 0, 1), b = v4(192, 0, 2, 9);
    int s1, s2;
    struct packet p1 = pkt_make(17, a, 5060, b, 5060, 1 * S, 0);
    struct packet p2 = pkt_make(17, b, 5060, a, 5060, 2 * S, 0);
    struct flow *f1 = flow_table_update(t, &p1, NULL, &s1);
    struct flow *f2 = flow_table_update(t, &p2, NULL, &s2);
    assert_ptr_equal(f1, f2);
    assert_int_not_equal(s1, s2);
    assert_int_equal(f1->init_side, s1);
    assert_int_equal(f1->packets[s1], 1);
    assert_int_equal(f1->packets[s2], 1);
    assert_int_equal(flow_table_stats(t)->created, 1);
    flow_table_free(t);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.why[0], FLOW_END_CAPTURE);
}

static void
test_tcp_outcomes(void **state)
{
    (void)state;
    struct flow_limits l;
    flow_limits_default(&l);
    struct ended e = {0};
    struct flow_table *t = flow_table_new(&l, 7, on_end, &e);
    struct ip_addr c = v4(10, 0, 0, 1), srv = v4(198, 51, 100, 7);
    int sd;
    /* SYN retransmitted three times, never answered. */
    for (int i = 0; i < 3; i++) {
        struct packet p = pkt_make(6, c, 40000, srv, 443, (1 + i) * S, TCP_SYN);
        flow_table_update(t, &p, NULL, &sd);
    }
    /* Handshake from the server's SYN-ACK first seen (capture started late): initiator flips. */
    struct packet sa = pkt_make(6, srv, 80, c, 40001, 5 * S, TCP_SYN | TCP_ACK);
    struct flow *f = flow_table_update(t, &sa, NULL, &sd);
    assert_int_equal(f->tcp_state, FLOW_TCP_SYNACK);
    assert_int_equal(f->init_side, !sd);
    struct packet ack = pkt_make(6, c, 40001, srv, 80, 5 * S + 1000, TCP_ACK);
    f = flow_table_update(t, &ack, NULL, &sd);
    assert_int_equal(f->tcp_state, FLOW_TCP_ESTABLISHED);
    /* Refused: SYN answered by RST. */
    struct packet syn = pkt_make(6, c, 40002, srv, 5938, 6 * S, TCP_SYN);
    flow_table_update(t, &syn, NULL, &sd);
    struct packet rst = pkt_make(6, srv, 5938, c, 40002, 6 * S + 500, TCP_RST | TCP_ACK);
    f = flow_table_update(t, &rst, NULL, &sd);
    assert_int_equal(f->tcp_state, FLOW_TCP_RESET);
    assert_false(f->was_established);
    assert_int_equal(f->reset_side, sd);
    flow_table_free(t);
    assert_int_equal(e.n, 3);
}

static void
test_port_reuse_after_close_is_a_new_flow(void **state)
{
    (void)state;
    struct flow_limits l;
    flow_limits_default(&l);
    struct ended e = {0};
    struct flow_table *t = flow_table_new(&l, 7, on_end, &e);
    struct ip_addr c = v4(10, 0, 0, 1), srv = v4(198, 51, 100, 7);
    int sd;
    struct packet p = pkt_make(6, c, 40000, srv, 443, 1 * S, TCP_SYN);
    flow_table_update(t, &p, NULL, &sd);
    p = pkt_make(6, srv, 443, c, 40000, 1 * S + 10, TCP_RST | TCP_ACK);
    flow_table_update(t, &p, NULL, &sd);
    p = pkt_make(6, c, 40000, srv, 443, 2 * S, TCP_SYN);
    flow_table_update(t, &p, NULL, &sd);
    assert_int_equal(flow_table_stats(t)->created, 2);
    assert_int_equal(e.n, 1);
    flow_table_free(t);
}

static void
test_idle_expiry_on_packet_time(void **state)
{
    (void)state;
    struct flow_limits l;
    flow_limits_default(&l);
    l.udp_ns = 10 * S;
    struct ended e = {0};
    struct flow_table *t = flow_table_new(&l, 7, on_end, &e);
    struct ip_addr a = v4(10, 0, 0, 1), b = v4(192, 0, 2, 9);
    int sd;
    struct packet p = pkt_make(17, a, 1000, b, 2000, 1 * S, 0);
    flow_table_update(t, &p, NULL, &sd);
    flow_table_expire(t, 11 * S); /* exactly at the time-out: still alive */
    assert_int_equal(e.n, 0);
    flow_table_expire(t, 11 * S + 1);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.why[0], FLOW_END_IDLE);
    assert_int_equal(flow_table_stats(t)->expired, 1);
    /* The same tuple seen again after a long silence is a new flow. */
    p = pkt_make(17, a, 1000, b, 2000, 30 * S, 0);
    flow_table_update(t, &p, NULL, &sd);
    assert_int_equal(flow_table_stats(t)->created, 2);
    flow_table_free(t);
}

static void
test_eviction_when_full_is_counted(void **state)
{
    (void)state;
    struct flow_limits l;
    flow_limits_default(&l);
    l.max_flows = 16;
    struct ended e = {0};
    struct flow_table *t = flow_table_new(&l, 7, on_end, &e);
    struct ip_addr a = v4(10, 0, 0, 1), b = v4(192, 0, 2, 9);
    int sd;
    for (uint16_t i = 0; i < 40; i++) {
        struct packet p = pkt_make(17, a, (uint16_t)(1000 + i), b, 53, 1 * S + i, 0);
        assert_non_null(flow_table_update(t, &p, NULL, &sd));
    }
    assert_int_equal(flow_table_stats(t)->evicted, 24);
    assert_int_equal(flow_table_stats(t)->active, 16);
    assert_int_equal(e.why[0], FLOW_END_EVICTED);
    flow_table_free(t);
    assert_int_equal(e.n, 40);
}

static void
test_icmp_error_tied_to_quoted_flow(void **state)
{
    (void)state;
    struct flow_limits l;
    flow_limits_default(&l);
    struct flow_table *t = flow_table_new(&l, 7, NULL, NULL);
    struct ip_addr phone = v4(10, 0, 0, 10), peer = v4(198, 51, 100, 20), fw = v4(203, 0, 113, 1);
    int sd;
    struct packet rtp = pkt_make(17, phone, 16384, peer, 40000, 1 * S, 0);
    flow_table_update(t, &rtp, NULL, &sd);
    struct packet icmp = pkt_make(1, fw, 0, phone, 0, 1 * S + 100, 0);
    icmp.layers = LAYER_IPV4 | LAYER_ICMP;
    icmp.icmp_type = 3, icmp.icmp_code = 3;
    icmp.quote = (struct icmp_quote){true, 4, 17, phone, peer, 16384, 40000};
    struct flow *f = flow_table_icmp_error(t, &icmp);
    assert_non_null(f);
    assert_int_equal(f->icmp_errors, 1);
    assert_int_equal(f->icmp_code, 3);
    assert_memory_equal(f->icmp_from.a, fw.a, 16);
    icmp.quote.dport = 40001; /* quotes a packet of no known flow */
    assert_null(flow_table_icmp_error(t, &icmp));
    flow_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_directions_share_a_flow),
        cmocka_unit_test(test_tcp_outcomes),
        cmocka_unit_test(test_port_reuse_after_close_is_a_new_flow),
        cmocka_unit_test(test_idle_expiry_on_packet_time),
        cmocka_unit_test(test_eviction_when_full_is_counted),
        cmocka_unit_test(test_icmp_error_tied_to_quoted_flow),
    };
    return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
