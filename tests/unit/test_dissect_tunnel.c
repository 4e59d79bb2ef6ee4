/* test_dissect_tunnel.c — GRE, ERSPAN I/II/III, VXLAN, IP-in-IP, nesting, fragments and tunnels. */
#include "test_dissect_harness.h"

enum {
    DLT_EN10MB = 1,
    DLT_RAW = 12,
};

#define GRE(flags, proto) BE16(flags), BE16(proto)
#define ERSPAN2(vlan) BE16(0x1000 | (vlan)), BE16(0x0001), BE32(7)
#define ERSPAN3(bits) BE16(0x2000 | 10), BE16(0x0001), BE32(123456), BE16(0), BE16(bits)
#define VXLAN(flags) (flags), 0, 0, 0, 0, 0, 42, 0
#define OUTER6(plen, nh)                                                                           \
    0x60, 0x00, 0x00, 0x00, BE16(plen), (nh), 64, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  \
        0, 0x09, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a
#define OUTER4_FRAG(total, frag, proto)                                                            \
    0x45, 0x00, BE16(total), BE16(0x0001), BE16(frag), 64, (proto), 0x00, 0x00, 10, 0, 0, 1, 10,   \
        0, 0, 2
#define ARP_BODY                                                                                   \
    BE16(1), BE16(0x0800), 6, 4, BE16(1), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, V4_SRC, 0, 0, 0, 0,  \
        0, 0, V4_DST

#define T4_UDP (LAYER_TUNNEL | LAYER_IPV4 | LAYER_UDP)
#define T6_UDP (LAYER_TUNNEL | LAYER_IPV6 | LAYER_UDP)
#define UDP4_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 4, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define UDP6_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 6, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
/* Stopped at the outer packet (protocol proto) without peeling. */
#define OUTER(st, a, proto) .status = (st), .anomaly = (a), .ip_version = 4, .ip_proto = (proto)

/* The packet describes the innermost datagram, reached through one tunnel of kind k. */
static void
expect_inner(const struct packet *pkt, enum tunnel_kind k, uint8_t depth)
{
    assert_int_equal(pkt->tunnel, k);
    assert_int_equal(pkt->tunnel_depth, depth);
    if (pkt->ip_version == 4) {
        harness_addr(&pkt->src, "192.0.2.1");
        harness_addr(&pkt->dst, "198.51.100.2");
        assert_int_equal(pkt->l3_wire_len, 32);
    } else {
        harness_addr(&pkt->src, "2001:db8::1");
        assert_int_equal(pkt->l3_wire_len, 52);
    }
    assert_int_equal(pkt->l3_len, pkt->l3_wire_len);
    assert_memory_equal(pkt->payload, "abcd", 4);
}

static void
expect_gre(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_GRE, 1);
}

static void
expect_erspan(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_ERSPAN, 1);
}

static void
expect_erspan_vlan(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_ERSPAN, 1);
    assert_int_equal(pkt->vlan_count, 1);
    assert_int_equal(pkt->vlan[0], 20);
}

static void
expect_vxlan(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_VXLAN, 1);
}

static void
expect_vxlan_gre(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_VXLAN, 2);
}

static void
expect_ipip(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_IPIP, 1);
}

static void
expect_ipip_4(const struct packet *pkt)
{
    expect_inner(pkt, TUNNEL_IPIP, 4);
}

/* Nothing peeled: the outer endpoints are described. */
static void
expect_outer(const struct packet *pkt)
{
    assert_int_equal(pkt->tunnel, TUNNEL_NONE);
    assert_int_equal(pkt->tunnel_depth, 0);
    harness_addr(&pkt->src, "10.0.0.1");
    harness_addr(&pkt->dst, "10.0.0.2");
}

static void
expect_too_deep(const struct packet *pkt)
{
    assert_int_equal(pkt->tunnel, TUNNEL_IPIP);
    assert_int_equal(pkt->tunnel_depth, PACKET_MAX_TUNNEL);
    assert_int_equal(pkt->l3_wire_len, 52); /* the fourth inner header, carrying one more */
}

static void
expect_inner_fragment(const struct packet *pkt)
{
    assert_int_equal(pkt->tunnel, TUNNEL_GRE);
    assert_int_equal(pkt->tunnel_depth, 1);
    harness_addr(&pkt->src, "192.0.2.1");
    assert_ptr_equal(pkt->frag.hdr, pkt->l3);
    assert_int_equal(pkt->frag.data_len, 12);
    assert_true(pkt->frag.more);
}

static const struct sample tunnel_rows[] = {
    /* GRE */
    {.name = "gre_ipv4",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(56, 47), GRE(0, 0x0800), V4_UDP),
     .layers = T4_UDP,
     UDP4_OK,
     .extra = expect_gre},
    {.name = "gre_key_seq",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(64, 47), GRE(0x3000, 0x0800), BE32(0xcafe), BE32(1), V4_UDP),
     .layers = T4_UDP,
     UDP4_OK,
     .extra = expect_gre},
    {.name = "gre_checksum_key_seq",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(68, 47), GRE(0xb000, 0x0800), BE32(0), BE32(0xcafe), BE32(1),
           V4_UDP),
     .layers = LAYER_LINK | T4_UDP,
     UDP4_OK,
     .extra = expect_gre},
    {.name = "gre_ipv6_inside",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(76, 47), GRE(0, 0x86dd), V6_UDP),
     .layers = T6_UDP,
     UDP6_OK,
     .extra = expect_gre},
    {.name = "gre_ethernet_bridging",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(74, 47), GRE(0x2000, 0x6558), BE32(5), ETH(0x0800), V4_UDP),
     .layers = LAYER_LINK | T4_UDP,
     UDP4_OK,
     .extra = expect_gre},
    {.name = "gre_pptp_not_followed",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(32, 47), GRE(0x2001, 0x880b), BE16(4), BE16(9), 0xff, 0x03, 0xc0, 0x21),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_OK, ANOM_NONE, 47),
     .cut = true,
     .extra = expect_outer},
    {.name = "gre_mpls_not_followed",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(28, 47), GRE(0, 0x8847), BE32(0x00001140)),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_OK, ANOM_NONE, 47),
     .cut = true,
     .extra = expect_outer},
    {.name = "gre_routing_bit",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(56, 47), GRE(0x4000, 0x0800), V4_UDP),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_MALFORMED, ANOM_GRE_MALFORMED, 47),
     .extra = expect_outer},
    {.name = "gre_version_3",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(56, 47), GRE(0x0003, 0x0800), V4_UDP),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_MALFORMED, ANOM_GRE_MALFORMED, 47)},
    {.name = "gre_header_beyond_ip_length",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(26, 47), GRE(0x2000, 0x0800), 0, 0),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_TRUNCATED, ANOM_GRE_MALFORMED, 47)},
    /* ERSPAN */
    {.name = "erspan_type1",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(70, 47), GRE(0, 0x88be), ETH(0x0800), V4_UDP),
     .layers = LAYER_LINK | T4_UDP,
     UDP4_OK,
     .extra = expect_erspan},
    {.name = "erspan_type2",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(86, 47), GRE(0x1000, 0x88be), BE32(99), ERSPAN2(10), ETH(0x8100),
           VLAN(20, 0x0800), V4_UDP),
     .layers = LAYER_LINK | LAYER_VLAN | T4_UDP,
     UDP4_OK,
     .extra = expect_erspan_vlan},
    {.name = "erspan_type2_bad_version",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(82, 47), GRE(0x1000, 0x88be), BE32(99), BE16(0x2000), BE16(1), BE32(7),
           ETH(0x0800), V4_UDP),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_MALFORMED, ANOM_ERSPAN_MALFORMED, 47)},
    {.name = "erspan_type3_platform_subheader",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(114, 47), GRE(0x1000, 0x22eb), BE32(99), ERSPAN3(0x0001),
           BE32(0x04000000), BE32(0x1234), ETH(0x86dd), V6_UDP),
     .layers = LAYER_LINK | T6_UDP,
     UDP6_OK,
     .extra = expect_erspan},
    {.name = "erspan_type3",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(82, 47), GRE(0, 0x22eb), ERSPAN3(0x0000), ETH(0x0800), V4_UDP),
     .layers = LAYER_LINK | T4_UDP,
     UDP4_OK,
     .extra = expect_erspan},
    {.name = "erspan_type3_bad_version",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(82, 47), GRE(0, 0x22eb), BE16(0x1000 | 10), BE16(1), BE32(0), BE16(0),
           BE16(0), ETH(0x0800), V4_UDP),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_MALFORMED, ANOM_ERSPAN_MALFORMED, 47)},
    {.name = "erspan_type3_ip_frame",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(68, 47), GRE(0, 0x22eb), ERSPAN3(0x0800), V4_UDP),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_OK, ANOM_NONE, 47),
     .cut = true,
     .extra = expect_outer},
    /* VXLAN */
    {.name = "vxlan",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(82, 17), UDP(49152, 4789, 62), VXLAN(0x08), ETH(0x0800), V4_UDP),
     .layers = LAYER_LINK | T4_UDP,
     UDP4_OK,
     .extra = expect_vxlan},
    {.name = "vxlan_without_i_flag",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(82, 17), UDP(49152, 4789, 62), VXLAN(0x00), ETH(0x0800), V4_UDP),
     .layers = LAYER_LINK | LAYER_IPV4 | LAYER_UDP,
     OUTER(DISSECT_MALFORMED, ANOM_VXLAN_MALFORMED, 17),
     .sport = 49152,
     .dport = 4789,
     .payload_len = 54,
     .extra = expect_outer},
    {.name = "vxlan_carrying_arp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(78, 17), UDP(49152, 4789, 58), VXLAN(0x08), ETH(0x0806),
           ARP_BODY),
     .layers = LAYER_LINK | LAYER_IPV4 | LAYER_UDP,
     OUTER(DISSECT_OK, ANOM_NONE, 17),
     .sport = 49152,
     .dport = 4789,
     .payload_len = 50,
     .cut = true,
     .extra = expect_outer},
    {.name = "vxlan_then_gre",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4_OUTER(106, 17), UDP(49152, 4789, 86), VXLAN(0x08), ETH(0x0800),
           IPV4_OUTER(56, 47), GRE(0, 0x0800), V4_UDP),
     .layers = LAYER_LINK | T4_UDP,
     UDP4_OK,
     .extra = expect_vxlan_gre},
    /* IP in IP */
    {.name = "ipv4_in_ipv4",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(52, 4), V4_UDP),
     .layers = T4_UDP,
     UDP4_OK,
     .extra = expect_ipip},
    {.name = "ipv6_in_ipv4",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(72, 41), V6_UDP),
     .layers = T6_UDP,
     UDP6_OK,
     .extra = expect_ipip},
    {.name = "ipv6_in_ipv6",
     .dlt = DLT_RAW,
     BYTES(OUTER6(52, 41), V6_UDP),
     .layers = T6_UDP,
     UDP6_OK,
     .extra = expect_ipip},
    {.name = "ipv4_in_ipv6",
     .dlt = DLT_RAW,
     BYTES(OUTER6(32, 4), V4_UDP),
     .layers = T4_UDP,
     UDP4_OK,
     .extra = expect_ipip},
    {.name = "ipip_four_deep",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(112, 4), IPV4_OUTER(92, 4), IPV4_OUTER(72, 4), IPV4_OUTER(52, 4), V4_UDP),
     .layers = T4_UDP,
     UDP4_OK,
     .extra = expect_ipip_4},
    {.name = "ipip_five_deep",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(132, 4), IPV4_OUTER(112, 4), IPV4_OUTER(92, 4), IPV4_OUTER(72, 4),
           IPV4_OUTER(52, 4), V4_UDP),
     .layers = LAYER_TUNNEL | LAYER_IPV4,
     OUTER(DISSECT_MALFORMED, ANOM_TUNNEL_TOO_DEEP, 4),
     .extra = expect_too_deep},
    /* Fragments and lies around tunnels */
    {.name = "gre_outer_fragment",
     .dlt = DLT_RAW,
     BYTES(OUTER4_FRAG(44, 0x2000, 47), GRE(0, 0x0800), IPV4(32, 17)),
     .layers = LAYER_IPV4 | LAYER_FRAGMENT,
     OUTER(DISSECT_OK, ANOM_NONE, 47),
     .cut = true,
     .extra = expect_outer},
    {.name = "gre_inner_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(56, 47), GRE(0, 0x0800), IPV4F(32, 0x2000, 17), UDP(5060, 5060, 12), DATA4),
     .layers = LAYER_TUNNEL | LAYER_IPV4 | LAYER_FRAGMENT,
     .status = DISSECT_OK,
     .ip_version = 4,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_inner_fragment},
    {.name = "gre_inner_length_lies",
     .dlt = DLT_RAW,
     BYTES(IPV4_OUTER(56, 47), GRE(0, 0x0800), IPV4(100, 17), UDP(5060, 5060, 12), DATA4),
     .layers = LAYER_IPV4,
     OUTER(DISSECT_MALFORMED, ANOM_IP_LENGTH_EXCEEDS, 47),
     .extra = expect_outer},
};

/* The analyzer reassembles an outer GRE fragment, then dissect_ip peels the tunnel. */
static void
test_reassembled_outer_fragment(void **state)
{
    (void)state;
    const uint8_t frame[] = {ETH(0x0800), OUTER4_FRAG(44, 0x2000, 47), GRE(0, 0x0800),
                             IPV4(32, 17)};
    const uint8_t whole[] = {IPV4_OUTER(56, 47), GRE(0, 0x0800), V4_UDP};
    struct packet pkt = {.frame = 5, .caplen = sizeof frame, .wirelen = sizeof frame};

    assert_int_equal(dissect_frame(DLT_EN10MB, frame, sizeof frame, &pkt), DISSECT_OK);
    assert_int_equal(pkt.layers, LAYER_LINK | LAYER_IPV4 | LAYER_FRAGMENT);
    assert_int_equal(pkt.tunnel_depth, 0);
    assert_int_equal(dissect_ip(whole, sizeof whole, &pkt), DISSECT_OK);
    assert_int_equal(pkt.layers, LAYER_LINK | LAYER_TUNNEL | LAYER_IPV4 | LAYER_UDP);
    assert_int_equal(pkt.tunnel, TUNNEL_GRE);
    assert_int_equal(pkt.tunnel_depth, 1);
    assert_int_equal(pkt.dport, 5060);
    harness_addr(&pkt.src, "192.0.2.1");
}

/* A reassembled inner datagram keeps the tunnel its fragments came through. */
static void
test_reassembled_inner_fragment(void **state)
{
    (void)state;
    const uint8_t frame[] = {IPV4_OUTER(56, 47), GRE(0, 0x0800), IPV4F(32, 0x2000, 17),
                             UDP(5060, 5060, 12), DATA4};
    const uint8_t whole[] = {V4_UDP};
    struct packet pkt = {.caplen = sizeof frame, .wirelen = sizeof frame};

    assert_int_equal(dissect_frame(DLT_RAW, frame, sizeof frame, &pkt), DISSECT_OK);
    assert_int_equal(dissect_ip(whole, sizeof whole, &pkt), DISSECT_OK);
    assert_int_equal(pkt.layers, LAYER_TUNNEL | LAYER_IPV4 | LAYER_UDP);
    assert_int_equal(pkt.tunnel, TUNNEL_GRE);
    assert_int_equal(pkt.tunnel_depth, 1);
}

int
main(void)
{
    struct CMUnitTest tests[ARRAY_LEN(tunnel_rows) + 2];
    size_t k = 0;
    harness_add(tests, &k, tunnel_rows, ARRAY_LEN(tunnel_rows));
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_reassembled_outer_fragment);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_reassembled_inner_fragment);
    return cmocka_run_group_tests_name("dissect_tunnel", tests, NULL, NULL);
}
