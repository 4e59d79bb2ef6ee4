/* test_dissect_link.c — every link type, VLAN stacks, PPPoE, padding, names and address text. */
#include "test_dissect_harness.h"

#include <stdio.h>

enum {
    DLT_NULL = 0,
    DLT_EN10MB = 1,
    DLT_PPP = 9,
    DLT_RAW = 12,
    DLT_RAW_OPENBSD = 14,
    DLT_PPP_SERIAL = 50,
    DLT_RAW_LINKTYPE = 101,
    DLT_LOOP = 108,
    DLT_LINUX_SLL = 113,
    DLT_IEEE802_11_RADIO = 127,
    DLT_USER0 = 147,
    DLT_IPV4 = 228,
    DLT_IPV6 = 229,
    DLT_LINUX_SLL2 = 276,
};

#define L_IP4_UDP (LAYER_LINK | LAYER_IPV4 | LAYER_UDP)
#define L_IP6_UDP (LAYER_LINK | LAYER_IPV6 | LAYER_UDP)
#define UDP4_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 4, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define UDP6_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 6, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define SLL_HDR(proto)                                                                             \
    BE16(0), BE16(1), BE16(6), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0, BE16(proto)
#define SLL2_HDR(proto, mbz)                                                                       \
    BE16(proto), BE16(mbz), BE32(2), BE16(1), 0, 6, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0
#define PPPOE(len, proto) 0x11, 0x00, BE16(0x0042), BE16(len), BE16(proto)
#define ARP_BODY                                                                                   \
    BE16(1), BE16(0x0800), 6, 4, BE16(1), 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, V4_SRC, 0, 0, 0, 0,  \
        0, 0, V4_DST

/* The frame keeps its VLAN id and names IPv4 as the innermost link protocol. */
static void
expect_vlan_100(const struct packet *pkt)
{
    assert_int_equal(pkt->vlan_count, 1);
    assert_int_equal(pkt->vlan[0], 100);
    assert_int_equal(pkt->ethertype, 0x0800);
}

static void
expect_qinq(const struct packet *pkt)
{
    assert_int_equal(pkt->vlan_count, 2);
    assert_int_equal(pkt->vlan[0], 200); /* PCP bits are not part of the id */
    assert_int_equal(pkt->vlan[1], 100);
}

static void
expect_three_tags(const struct packet *pkt)
{
    assert_int_equal(pkt->vlan_count, 3);
    assert_int_equal(pkt->vlan[0], 300);
    assert_int_equal(pkt->vlan[2], 302);
    assert_int_equal(pkt->ethertype, 0x86dd);
}

static void
expect_four_tags(const struct packet *pkt)
{
    assert_int_equal(pkt->vlan_count, PACKET_MAX_VLAN);
}

/* Padding is not payload and not l3. */
static void
expect_unpadded(const struct packet *pkt)
{
    assert_int_equal(pkt->l3_len, 32);
    assert_int_equal(pkt->l3_wire_len, 32);
    assert_int_equal(pkt->payload_wire_len, 4);
    assert_memory_equal(pkt->payload, "abcd", 4);
}

static void
expect_arp(const struct packet *pkt)
{
    assert_int_equal(pkt->ethertype, 0x0806);
}

static void
expect_8023(const struct packet *pkt)
{
    assert_int_equal(pkt->ethertype, 0);
}

static void
expect_addresses_v4(const struct packet *pkt)
{
    harness_addr(&pkt->src, "192.0.2.1");
    harness_addr(&pkt->dst, "198.51.100.2");
    assert_int_equal(pkt->ttl, 64);
}

static void
expect_addresses_v6(const struct packet *pkt)
{
    harness_addr(&pkt->src, "2001:db8::1");
    harness_addr(&pkt->dst, "2001:db8::2");
}

static void
expect_pppoe(const struct packet *pkt)
{
    assert_int_equal(pkt->ethertype, 0x0800);
    assert_int_equal(pkt->l3_len, 32);
}

static const struct sample link_rows[] = {
    {.name = "ethernet_ipv4_udp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK,
     .extra = expect_addresses_v4},
    {.name = "ethernet_ipv6_udp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x86dd), V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK,
     .extra = expect_addresses_v6},
    {.name = "ethernet_vlan",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8100), VLAN(100, 0x0800), V4_UDP),
     .layers = L_IP4_UDP | LAYER_VLAN,
     UDP4_OK,
     .extra = expect_vlan_100},
    {.name = "ethernet_qinq_88a8",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x88a8), VLAN(0xa000 | 200, 0x8100), VLAN(100, 0x0800), V4_UDP),
     .layers = L_IP4_UDP | LAYER_VLAN,
     UDP4_OK,
     .extra = expect_qinq},
    {.name = "ethernet_9100_three_tags",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x9100), VLAN(300, 0x9100), VLAN(301, 0x8100), VLAN(302, 0x86dd), V6_UDP),
     .layers = L_IP6_UDP | LAYER_VLAN,
     UDP6_OK,
     .extra = expect_three_tags},
    {.name = "ethernet_vlan_too_deep",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8100), VLAN(1, 0x8100), VLAN(2, 0x8100), VLAN(3, 0x8100), VLAN(4, 0x8100),
           VLAN(5, 0x0800), V4_UDP),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_VLAN_TOO_DEEP,
     .layers = LAYER_LINK | LAYER_VLAN,
     .extra = expect_four_tags},
    {.name = "ethernet_padding",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), V4_UDP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef),
     .layers = L_IP4_UDP,
     UDP4_OK,
     .cut_end = 46,
     .extra = expect_unpadded},
    {.name = "ethernet_arp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0806), ARP_BODY),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true,
     .extra = expect_arp},
    {.name = "ethernet_8023_llc",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0026), 0x42, 0x42, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true,
     .extra = expect_8023},
    {.name = "ethernet_lldp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x88cc), 0x02, 0x07, 0x04, 0, 0, 0),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true},
    {.name = "ethernet_runt",
     .dlt = DLT_EN10MB,
     BYTES(MACS, 0x08),
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_LINK_TRUNCATED},
    {.name = "sll_ipv4",
     .dlt = DLT_LINUX_SLL,
     BYTES(SLL_HDR(0x0800), V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK},
    {.name = "sll_vlan",
     .dlt = DLT_LINUX_SLL,
     BYTES(SLL_HDR(0x8100), VLAN(100, 0x0800), V4_UDP),
     .layers = L_IP4_UDP | LAYER_VLAN,
     UDP4_OK,
     .extra = expect_vlan_100},
    {.name = "sll_8022",
     .dlt = DLT_LINUX_SLL,
     BYTES(SLL_HDR(0x0004), 0x42, 0x42, 0x03),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true},
    {.name = "sll2_ipv6",
     .dlt = DLT_LINUX_SLL2,
     BYTES(SLL2_HDR(0x86dd, 0), V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "sll2_reserved_set",
     .dlt = DLT_LINUX_SLL2,
     BYTES(SLL2_HDR(0x0800, 1), V4_UDP),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_LINK_MALFORMED},
    {.name = "raw12_ipv4",
     .dlt = DLT_RAW,
     BYTES(V4_UDP),
     .layers = LAYER_IPV4 | LAYER_UDP,
     UDP4_OK},
    {.name = "raw14_ipv6",
     .dlt = DLT_RAW_OPENBSD,
     BYTES(V6_UDP),
     .layers = LAYER_IPV6 | LAYER_UDP,
     UDP6_OK},
    {.name = "raw101_ipv6",
     .dlt = DLT_RAW_LINKTYPE,
     BYTES(V6_UDP),
     .layers = LAYER_IPV6 | LAYER_UDP,
     UDP6_OK},
    {.name = "raw12_bad_version",
     .dlt = DLT_RAW,
     BYTES(0x55, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, V4_SRC, V4_DST),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IPV4_BAD_VERSION},
    {.name = "dlt228_ipv4",
     .dlt = DLT_IPV4,
     BYTES(V4_UDP),
     .layers = LAYER_IPV4 | LAYER_UDP,
     UDP4_OK},
    {.name = "dlt229_ipv6",
     .dlt = DLT_IPV6,
     BYTES(V6_UDP),
     .layers = LAYER_IPV6 | LAYER_UDP,
     UDP6_OK},
    {.name = "dlt228_carrying_ipv6",
     .dlt = DLT_IPV4,
     BYTES(V6_UDP),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IPV4_BAD_VERSION},
    {.name = "null_le_inet",
     .dlt = DLT_NULL,
     BYTES(2, 0, 0, 0, V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK},
    {.name = "null_be_inet6_darwin",
     .dlt = DLT_NULL,
     BYTES(0, 0, 0, 30, V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "null_le_inet6_bsd",
     .dlt = DLT_NULL,
     BYTES(24, 0, 0, 0, V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "null_le_inet6_freebsd",
     .dlt = DLT_NULL,
     BYTES(28, 0, 0, 0, V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "null_le_inet6_linux",
     .dlt = DLT_NULL,
     BYTES(10, 0, 0, 0, V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "null_other_family",
     .dlt = DLT_NULL,
     BYTES(7, 0, 0, 0, 0x81, 0x00),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true},
    {.name = "null_impossible_family",
     .dlt = DLT_NULL,
     BYTES(0x12, 0x34, 0x56, 0x78, V4_UDP),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_LINK_MALFORMED},
    {.name = "loop_inet", .dlt = DLT_LOOP, BYTES(0, 0, 0, 2, V4_UDP), .layers = L_IP4_UDP, UDP4_OK},
    {.name = "loop_inet6",
     .dlt = DLT_LOOP,
     BYTES(0, 0, 0, 24, V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "ppp_hdlc_ipv4",
     .dlt = DLT_PPP,
     BYTES(0xff, 0x03, BE16(0x0021), V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK},
    {.name = "ppp_bare_ipv6",
     .dlt = DLT_PPP,
     BYTES(BE16(0x0057), V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "ppp_compressed_protocol",
     .dlt = DLT_PPP,
     BYTES(0x21, V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK},
    {.name = "ppp_lcp",
     .dlt = DLT_PPP,
     BYTES(0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true},
    {.name = "ppp_serial_ipv4",
     .dlt = DLT_PPP_SERIAL,
     BYTES(0xff, 0x03, 0x00, 0x21, V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK},
    {.name = "ppp_serial_cisco_hdlc",
     .dlt = DLT_PPP_SERIAL,
     BYTES(0x0f, 0x00, BE16(0x0800), V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK},
    {.name = "pppoe_ipv4",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8864), PPPOE(34, 0x0021), V4_UDP),
     .layers = L_IP4_UDP,
     UDP4_OK,
     .extra = expect_pppoe},
    {.name = "pppoe_padding",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8864), PPPOE(34, 0x0021), V4_UDP, 0, 0, 0, 0, 0, 0, 0, 0),
     .layers = L_IP4_UDP,
     UDP4_OK,
     .cut_end = 14 + 8 + 32,
     .extra = expect_pppoe},
    {.name = "pppoe_ipv6",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8864), PPPOE(54, 0x0057), V6_UDP),
     .layers = L_IP6_UDP,
     UDP6_OK},
    {.name = "pppoe_in_vlan",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8100), VLAN(100, 0x8864), PPPOE(34, 0x0021), V4_UDP),
     .layers = L_IP4_UDP | LAYER_VLAN,
     UDP4_OK,
     .extra = expect_vlan_100},
    {.name = "pppoe_length_lies",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8864), PPPOE(200, 0x0021), V4_UDP),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_LINK_MALFORMED,
     .layers = LAYER_LINK},
    {.name = "pppoe_bad_version",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8864), 0x21, 0x00, BE16(1), BE16(34), BE16(0x0021), V4_UDP),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_LINK_MALFORMED,
     .layers = LAYER_LINK},
    {.name = "pppoe_lcp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8864), PPPOE(6, 0xc021), 9, 1, 0, 4),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true},
    {.name = "pppoe_discovery",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x8863), 0x11, 0x09, 0, 0, 0, 0),
     .status = DISSECT_NO_MATCH,
     .layers = LAYER_LINK,
     .cut = true},
    {.name = "unsupported_dlt",
     .dlt = DLT_USER0,
     BYTES(V4_UDP),
     .status = DISSECT_NO_MATCH,
     .anomaly = ANOM_LINK_UNSUPPORTED},
};

static void
test_link_supported(void **state)
{
    (void)state;
    const int yes[] = {DLT_NULL,        DLT_EN10MB,     DLT_PPP,          DLT_RAW,
                       DLT_RAW_OPENBSD, DLT_PPP_SERIAL, DLT_RAW_LINKTYPE, DLT_LOOP,
                       DLT_LINUX_SLL,   DLT_IPV4,       DLT_IPV6,         DLT_LINUX_SLL2};
    for (size_t i = 0; i < ARRAY_LEN(yes); i++)
        assert_true(dissect_link_supported(yes[i]));
    assert_false(dissect_link_supported(DLT_IEEE802_11_RADIO));
    assert_false(dissect_link_supported(DLT_USER0));
    assert_false(dissect_link_supported(-1));
}

/* Every anomaly has a distinct dotted name; only the cut kinds count as truncation. */
static void
test_anomaly_names(void **state)
{
    (void)state;
    assert_string_equal(dissect_anomaly_name(ANOM_NONE), "none");
    assert_string_equal(dissect_anomaly_name(ANOM_IPV4_BAD_IHL), "packet.ipv4.bad_ihl");
    assert_string_equal(dissect_anomaly_name(ANOM_UDP_BAD_LENGTH), "packet.udp.bad_length");
    assert_string_equal(dissect_anomaly_name(ANOM_LINK_UNSUPPORTED), "packet.link.unsupported");
    for (int a = 1; a < ANOM__COUNT; a++) {
        const char *n = dissect_anomaly_name((enum anomaly)a);
        assert_non_null(n);
        assert_int_equal(strncmp(n, "packet.", 7), 0);
        for (int b = 0; b < a; b++)
            assert_string_not_equal(n, dissect_anomaly_name((enum anomaly)b));
    }
    assert_non_null(dissect_anomaly_name(ANOM__COUNT));
    assert_non_null(dissect_anomaly_name((enum anomaly) - 1));
}

static void
test_truncation_kinds(void **state)
{
    (void)state;
    const enum anomaly cut[] = {ANOM_LINK_TRUNCATED, ANOM_IPV4_TRUNCATED, ANOM_IPV6_TRUNCATED,
                                ANOM_IP_PAYLOAD_CUT, ANOM_UDP_TRUNCATED,  ANOM_TCP_TRUNCATED,
                                ANOM_ICMP_TRUNCATED};
    int count = 0;
    for (int a = 0; a < ANOM__COUNT; a++)
        count += dissect_anomaly_is_truncation((enum anomaly)a) != 0;
    assert_int_equal(count, ARRAY_LEN(cut));
    for (size_t i = 0; i < ARRAY_LEN(cut); i++)
        assert_true(dissect_anomaly_is_truncation(cut[i]));
    assert_false(dissect_anomaly_is_truncation(ANOM_IP_LENGTH_EXCEEDS));
    assert_false(dissect_anomaly_is_truncation(ANOM__COUNT));
}

static void
test_addr_format(void **state)
{
    (void)state;
    struct ip_addr v4 = {.family = 4, .a = {10, 1, 2, 3}};
    struct ip_addr v6 = {.family = 6, .a = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}};
    struct ip_addr mapped = {.family = 6, .a = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}};
    struct ip_addr none = {.family = 0};
    harness_addr(&v4, "10.1.2.3");
    harness_addr(&v6, "2001:db8::1:0:0:1"); /* RFC 5952: the first longest zero run */
    harness_addr(&mapped, "::ffff:192.0.2.1");
    harness_addr(&none, "");
    char small[4];
    assert_string_equal(ip_addr_format(&v4, small, sizeof small), "");
}

/* A reused struct packet is reset: nothing of the last frame survives but the caller's fields. */
static void
test_reset_between_frames(void **state)
{
    (void)state;
    const uint8_t vlan[] = {ETH(0x8100), VLAN(100, 0x0800), V4_UDP};
    const uint8_t arp[] = {ETH(0x0806), ARP_BODY};
    struct packet pkt = {.frame = 3, .caplen = sizeof vlan, .wirelen = sizeof vlan};
    assert_int_equal(dissect_frame(DLT_EN10MB, vlan, sizeof vlan, &pkt), DISSECT_OK);
    pkt.frame = 4;
    pkt.caplen = pkt.wirelen = sizeof arp;
    assert_int_equal(dissect_frame(DLT_EN10MB, arp, sizeof arp, &pkt), DISSECT_NO_MATCH);
    assert_int_equal(pkt.frame, 4);
    assert_int_equal(pkt.vlan_count, 0);
    assert_int_equal(pkt.ip_version, 0);
    assert_null(pkt.payload);
    assert_int_equal(pkt.sport, 0);
    pkt.caplen = pkt.wirelen = 0;
    assert_int_equal(dissect_frame(DLT_EN10MB, NULL, 0, &pkt), DISSECT_TRUNCATED);
    assert_int_equal(pkt.anomaly, ANOM_LINK_TRUNCATED);
}

int
main(void)
{
    struct CMUnitTest tests[ARRAY_LEN(link_rows) + 5];
    size_t k = 0;
    harness_add(tests, &k, link_rows, ARRAY_LEN(link_rows));
    struct CMUnitTest more[] = {
        cmocka_unit_test(test_link_supported),       cmocka_unit_test(test_anomaly_names),
        cmocka_unit_test(test_truncation_kinds),     cmocka_unit_test(test_addr_format),
        cmocka_unit_test(test_reset_between_frames),
    };
    for (size_t i = 0; i < ARRAY_LEN(more); i++)
        tests[k++] = more[i];
    return cmocka_run_group_tests_name("dissect_link", tests, NULL, NULL);
}
