/* test_dissect_ip.c — IPv4 options, lengths, TSO, fragments; IPv6 extension headers, fragments. */
#include "test_dissect_harness.h"

enum {
    DLT_EN10MB = 1,
    DLT_RAW = 12,
    DLT_IPV6 = 229,
};

/* IPv4 header of ihl 32-bit words (options follow it in the table). */
#define IPV4H(ihl, total, proto)                                                                   \
    (uint8_t)(0x40 | (ihl)), 0x00, BE16(total), BE16(0x1234), 0x00, 0x00, 64, (proto), 0x00, 0x00, \
        V4_SRC, V4_DST
#define UDP12 UDP(5060, 5060, 12), DATA4
#define HBH(nh) (nh), 0, 1, 4, 0, 0, 0, 0 /* 8 bytes: PadN */
#define DSTOPT(nh) (nh), 0, 1, 4, 0, 0, 0, 0
#define FRAG6(nh, off_m, id) (nh), 0, BE16(off_m), BE32(id)
#define ZERO8 0, 0, 0, 0, 0, 0, 0, 0
#define ZERO16 ZERO8, ZERO8

#define L4_UDP (LAYER_IPV4 | LAYER_UDP)
#define L6_UDP (LAYER_IPV6 | LAYER_UDP)
#define UDP4_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 4, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define UDP6_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 6, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define BAD4(a) .status = DISSECT_MALFORMED, .anomaly = (a)

static void
expect_cut_udp(const struct packet *pkt)
{
    assert_int_equal(pkt->l3_len, 32);
    assert_int_equal(pkt->l3_wire_len, 532);
    assert_int_equal(pkt->payload_wire_len, 504);
    assert_memory_equal(pkt->payload, "abcd", 4);
}

static void
expect_tso_udp(const struct packet *pkt)
{
    assert_int_equal(pkt->l3_len, 32);
    assert_int_equal(pkt->l3_wire_len, 32);
    assert_int_equal(pkt->payload_wire_len, 4);
}

static void
expect_tso_tcp(const struct packet *pkt)
{
    assert_int_equal(pkt->l3_wire_len, 44);
    assert_int_equal(pkt->payload_len, 4);
    assert_int_equal(pkt->tcp_flags, TCP_ACK | TCP_PSH);
}

static void
expect_v4_first_fragment(const struct packet *pkt)
{
    assert_int_equal(pkt->frag.id, 0x1234);
    assert_int_equal(pkt->frag.offset, 0);
    assert_true(pkt->frag.more);
    assert_int_equal(pkt->frag.next_proto, 17);
    assert_ptr_equal(pkt->frag.hdr, pkt->l3);
    assert_int_equal(pkt->frag.hdr_len, 20);
    assert_int_equal(pkt->frag.data_len, 16);
    assert_int_equal(pkt->frag.data_wire_len, 16);
    assert_int_equal(pkt->frag.data[0], 0x13); /* UDP source port 5060 = 0x13c4 */
    assert_int_equal(pkt->sport, 0);
}

static void
expect_v4_middle_fragment(const struct packet *pkt)
{
    assert_int_equal(pkt->frag.offset, 16);
    assert_true(pkt->frag.more);
    assert_int_equal(pkt->frag.data_len, 16);
}

static void
expect_v4_last_fragment(const struct packet *pkt)
{
    assert_int_equal(pkt->frag.offset, 24);
    assert_false(pkt->frag.more);
    assert_int_equal(pkt->frag.data_len, 8);
}

static void
expect_v4_fragment_cut(const struct packet *pkt)
{
    assert_int_equal(pkt->frag.data_len, 28);
    assert_int_equal(pkt->frag.data_wire_len, 1480);
}

static void
expect_v6_first_fragment(const struct packet *pkt)
{
    assert_int_equal(pkt->frag.id, 0xdeadbeef);
    assert_int_equal(pkt->frag.offset, 0);
    assert_true(pkt->frag.more);
    assert_int_equal(pkt->frag.next_proto, 17);
    assert_ptr_equal(pkt->frag.hdr, pkt->l3);
    assert_int_equal(pkt->frag.hdr_len, 40);
    assert_int_equal(pkt->frag.data_len, 16);
    assert_int_equal(pkt->frag.data_wire_len, 16);
    harness_addr(&pkt->src, "2001:db8::1");
}

static void
expect_v6_later_fragment(const struct packet *pkt)
{
    assert_int_equal(pkt->frag.offset, 1480);
    assert_false(pkt->frag.more);
    assert_int_equal(pkt->frag.data_len, 8);
}

static void
expect_v6_l3_40(const struct packet *pkt)
{
    assert_int_equal(pkt->l3_len, 40);
    assert_int_equal(pkt->l3_wire_len, 40);
}

static void
expect_v6_gso(const struct packet *pkt)
{
    assert_int_equal(pkt->l3_wire_len, 64);
    assert_int_equal(pkt->payload_len, 4);
}

static const struct sample ip_rows[] = {
    /* IPv4 options */
    {.name = "ipv4_router_alert",
     .dlt = DLT_RAW,
     BYTES(IPV4H(6, 36, 17), 0x94, 0x04, 0x00, 0x00, UDP12),
     .layers = L4_UDP,
     UDP4_OK},
    {.name = "ipv4_nop_record_route",
     .dlt = DLT_RAW,
     BYTES(IPV4H(7, 40, 17), 0x01, 0x07, 0x07, 0x04, 0, 0, 0, 0, UDP12),
     .layers = L4_UDP,
     UDP4_OK},
    {.name = "ipv4_eol_then_padding",
     .dlt = DLT_RAW,
     BYTES(IPV4H(6, 36, 17), 0x00, 0xff, 0xff, 0xff, UDP12),
     .layers = L4_UDP,
     UDP4_OK},
    {.name = "ipv4_option_past_header",
     .dlt = DLT_RAW,
     BYTES(IPV4H(6, 36, 17), 0x07, 0x08, 0x04, 0x00, UDP12),
     BAD4(ANOM_IPV4_BAD_OPTION)},
    {.name = "ipv4_option_length_1",
     .dlt = DLT_RAW,
     BYTES(IPV4H(6, 36, 17), 0x44, 0x01, 0x00, 0x00, UDP12),
     BAD4(ANOM_IPV4_BAD_OPTION)},
    {.name = "ipv4_option_without_length",
     .dlt = DLT_RAW,
     BYTES(IPV4H(6, 36, 17), 0x01, 0x01, 0x01, 0x44, UDP12),
     BAD4(ANOM_IPV4_BAD_OPTION)},
    /* IPv4 lengths */
    {.name = "ipv4_ihl15_total20",
     .dlt = DLT_RAW,
     BYTES(IPV4H(15, 20, 17)),
     BAD4(ANOM_IPV4_BAD_IHL)},
    {.name = "ipv4_ihl15_cut_at_20",
     .dlt = DLT_RAW,
     BYTES(IPV4H(15, 60, 17)),
     .wirelen = 60,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IPV4_TRUNCATED},
    {.name = "ipv4_ihl15_frame_of_20",
     .dlt = DLT_RAW,
     BYTES(IPV4H(15, 60, 17)),
     BAD4(ANOM_IP_LENGTH_EXCEEDS)},
    {.name = "ipv4_ihl4", .dlt = DLT_RAW, BYTES(IPV4H(4, 32, 17), UDP12), BAD4(ANOM_IPV4_BAD_IHL)},
    {.name = "ipv4_total_10",
     .dlt = DLT_RAW,
     BYTES(IPV4H(5, 10, 17), UDP12),
     BAD4(ANOM_IPV4_BAD_TOTAL_LEN)},
    {.name = "ipv4_total_exceeds_frame",
     .dlt = DLT_RAW,
     BYTES(IPV4(100, 17), UDP12),
     BAD4(ANOM_IP_LENGTH_EXCEEDS)},
    {.name = "ipv4_snaplen_cut",
     .dlt = DLT_RAW,
     BYTES(IPV4(532, 17), UDP(5060, 5060, 512), DATA4),
     .wirelen = 532,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = L4_UDP,
     .ip_version = 4,
     .ip_proto = 17,
     .sport = 5060,
     .dport = 5060,
     .payload_len = 4,
     .cut = true,
     .extra = expect_cut_udp},
    {.name = "ipv4_tso_total_zero_udp",
     .dlt = DLT_RAW,
     BYTES(IPV4(0, 17), UDP12),
     .layers = L4_UDP,
     UDP4_OK,
     .extra = expect_tso_udp},
    {.name = "ipv4_tso_total_zero_tcp",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), IPV4(0, 6), TCP(40000, 5061, 5, TCP_ACK | TCP_PSH), DATA4),
     .layers = LAYER_LINK | LAYER_IPV4 | LAYER_TCP,
     .status = DISSECT_OK,
     .ip_version = 4,
     .ip_proto = 6,
     .sport = 40000,
     .dport = 5061,
     .payload_len = 4,
     .cut = true,
     .extra = expect_tso_tcp},
    {.name = "ipv4_padding_after_total",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x0800), V4_UDP, ZERO8, ZERO8),
     .layers = LAYER_LINK | L4_UDP,
     UDP4_OK,
     .cut_end = 46,
     .extra = expect_tso_udp},
    /* IPv4 fragments */
    {.name = "ipv4_first_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV4F(36, 0x2000, 17), UDP(5060, 5060, 200), ZERO8),
     .layers = LAYER_IPV4 | LAYER_FRAGMENT,
     .ip_version = 4,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v4_first_fragment},
    {.name = "ipv4_middle_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV4F(36, 0x2002, 17), ZERO16),
     .layers = LAYER_IPV4 | LAYER_FRAGMENT,
     .ip_version = 4,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v4_middle_fragment},
    {.name = "ipv4_last_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV4F(28, 0x0003, 17), ZERO8),
     .layers = LAYER_IPV4 | LAYER_FRAGMENT,
     .ip_version = 4,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v4_last_fragment},
    {.name = "ipv4_fragment_snaplen_cut",
     .dlt = DLT_RAW,
     BYTES(IPV4F(1500, 0x2000, 17), UDP(5060, 5060, 3000), ZERO16, 1, 2, 3, 4),
     .wirelen = 1500,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = LAYER_IPV4 | LAYER_FRAGMENT,
     .ip_version = 4,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v4_fragment_cut},
    {.name = "ipv4_dont_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV4F(32, 0x4000, 17), UDP12),
     .layers = L4_UDP,
     UDP4_OK},
    /* IPv6 extension headers */
    {.name = "ipv6_hbh_dstopts_udp",
     .dlt = DLT_RAW,
     BYTES(IPV6(28, 0), HBH(60), DSTOPT(17), UDP12),
     .layers = L6_UDP,
     UDP6_OK},
    {.name = "ipv6_routing_tcp",
     .dlt = DLT_RAW,
     BYTES(IPV6(44, 43), 6, 2, 4, 0, 0, 0, 0, 0, ZERO16, TCP(5060, 5061, 5, TCP_SYN)),
     .layers = LAYER_IPV6 | LAYER_TCP,
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 6,
     .sport = 5060,
     .dport = 5061,
     .cut = true},
    {.name = "ipv6_ah_udp",
     .dlt = DLT_RAW,
     BYTES(IPV6(36, 51), 17, 4, 0, 0, BE32(0x100), BE32(1), 0, 0, 0, 0, ZERO8, UDP12),
     .layers = L6_UDP,
     UDP6_OK},
    {.name = "ipv6_esp",
     .dlt = DLT_RAW,
     BYTES(IPV6(16, 50), BE32(0x100), BE32(1), ZERO8),
     .layers = LAYER_IPV6,
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 50,
     .cut = true},
    {.name = "ipv6_no_next_header",
     .dlt = DLT_RAW,
     BYTES(IPV6(0, 59)),
     .layers = LAYER_IPV6,
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 59,
     .cut = true,
     .extra = expect_v6_l3_40},
    {.name = "ipv6_no_next_padded",
     .dlt = DLT_EN10MB,
     BYTES(ETH(0x86dd), IPV6(0, 59), 0, 0, 0, 0),
     .layers = LAYER_LINK | LAYER_IPV6,
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 59,
     .cut = true,
     .cut_end = 54,
     .extra = expect_v6_l3_40},
    {.name = "ipv6_eight_ext_headers",
     .dlt = DLT_RAW,
     BYTES(IPV6(76, 60), DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
           DSTOPT(60), DSTOPT(17), UDP12),
     .layers = L6_UDP,
     UDP6_OK},
    {.name = "ipv6_nine_ext_headers",
     .dlt = DLT_RAW,
     BYTES(IPV6(84, 60), DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
           DSTOPT(60), DSTOPT(60), DSTOPT(17), UDP12),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IPV6_TOO_MANY_EXT,
     .layers = LAYER_IPV6,
     .ip_version = 6,
     .ip_proto = 60},
    {.name = "ipv6_exthdr_past_end",
     .dlt = DLT_RAW,
     BYTES(IPV6(8, 0), 17, 4, 1, 2, 0, 0, 0, 0),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IPV6_BAD_EXTHDR,
     .layers = LAYER_IPV6,
     .ip_version = 6,
     .ip_proto = 0},
    {.name = "ipv6_ah_past_end",
     .dlt = DLT_RAW,
     BYTES(IPV6(12, 51), 17, 9, 0, 0, ZERO8),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IPV6_BAD_EXTHDR,
     .layers = LAYER_IPV6,
     .ip_version = 6,
     .ip_proto = 51},
    {.name = "ipv6_bad_version",
     .dlt = DLT_IPV6,
     BYTES(V4_UDP, ZERO8),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IPV6_BAD_VERSION},
    {.name = "ipv6_payload_exceeds_frame",
     .dlt = DLT_RAW,
     BYTES(IPV6(100, 17), UDP12),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IP_LENGTH_EXCEEDS},
    {.name = "ipv6_gso_zero_length",
     .dlt = DLT_RAW,
     BYTES(IPV6(0, 6), TCP(5061, 40000, 5, TCP_ACK), DATA4),
     .layers = LAYER_IPV6 | LAYER_TCP,
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 6,
     .sport = 5061,
     .dport = 40000,
     .payload_len = 4,
     .cut = true,
     .extra = expect_v6_gso},
    {.name = "ipv6_snaplen_cut",
     .dlt = DLT_RAW,
     BYTES(IPV6(1000, 17), UDP(5060, 5060, 1000), DATA4),
     .wirelen = 1040,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = L6_UDP,
     .ip_version = 6,
     .ip_proto = 17,
     .sport = 5060,
     .dport = 5060,
     .payload_len = 4,
     .cut = true},
    /* IPv6 fragments */
    {.name = "ipv6_first_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV6(24, 44), FRAG6(17, 0x0001, 0xdeadbeef), UDP(5060, 5060, 2000), ZERO8),
     .layers = LAYER_IPV6 | LAYER_FRAGMENT,
     .ip_version = 6,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v6_first_fragment},
    {.name = "ipv6_later_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV6(16, 44), FRAG6(17, 1480, 0xdeadbeef), ZERO8),
     .layers = LAYER_IPV6 | LAYER_FRAGMENT,
     .ip_version = 6,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v6_later_fragment},
    {.name = "ipv6_hbh_then_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV6(32, 0), HBH(44), FRAG6(17, 0x0001, 0xdeadbeef), UDP(5060, 5060, 2000), ZERO8),
     .layers = LAYER_IPV6 | LAYER_FRAGMENT,
     .ip_version = 6,
     .ip_proto = 17,
     .cut = true,
     .extra = expect_v6_first_fragment},
    {.name = "ipv6_atomic_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV6(20, 44), FRAG6(17, 0x0000, 7), UDP12),
     .layers = L6_UDP,
     UDP6_OK},
};

/* The analyzer rebuilds a datagram and hands it to dissect_ip: link fields survive. */
static void
test_dissect_ip_keeps_link(void **state)
{
    (void)state;
    const uint8_t frame[] = {ETH(0x8100), VLAN(42, 0x0800), IPV4F(36, 0x2000, 17),
                             UDP(5060, 5060, 12), ZERO8};
    const uint8_t whole[] = {V4_UDP};
    struct packet pkt = {.frame = 9, .caplen = sizeof frame, .wirelen = sizeof frame};

    assert_int_equal(dissect_frame(DLT_EN10MB, frame, sizeof frame, &pkt), DISSECT_OK);
    assert_true(pkt.layers & LAYER_FRAGMENT);
    assert_int_equal(dissect_ip(whole, sizeof whole, &pkt), DISSECT_OK);
    assert_int_equal(pkt.layers, LAYER_LINK | LAYER_VLAN | LAYER_IPV4 | LAYER_UDP);
    assert_int_equal(pkt.frame, 9);
    assert_int_equal(pkt.dlt, DLT_EN10MB);
    assert_int_equal(pkt.vlan_count, 1);
    assert_int_equal(pkt.vlan[0], 42);
    assert_int_equal(pkt.sport, 5060);
    assert_ptr_equal(pkt.l3, whole);
    assert_ptr_equal(pkt.payload, whole + 28);
    assert_int_equal(pkt.frag.hdr_len, 0);
}

static void
test_dissect_ip_v6_and_empty(void **state)
{
    (void)state;
    const uint8_t v6[] = {V6_UDP};
    struct packet pkt = {0};

    assert_int_equal(dissect_ip(v6, sizeof v6, &pkt), DISSECT_OK);
    assert_int_equal(pkt.ip_version, 6);
    assert_int_equal(pkt.layers, LAYER_IPV6 | LAYER_UDP);
    assert_int_equal(dissect_ip(NULL, 0, &pkt), DISSECT_TRUNCATED);
    assert_int_equal(pkt.anomaly, ANOM_IPV4_TRUNCATED);
    /* A rebuilt datagram is whole: a length past its end is a lie, not a cut. */
    const uint8_t lying[] = {IPV4(40, 17), UDP12};
    assert_int_equal(dissect_ip(lying, sizeof lying, &pkt), DISSECT_MALFORMED);
    assert_int_equal(pkt.anomaly, ANOM_IP_LENGTH_EXCEEDS);
}

/* Address literals as inet_pton reads them, bracketed IPv6 too; everything else refused. */
static void
test_ip_addr_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int family;
        uint8_t first, last;
    } rows[] = {
        {"192.0.2.1", 4, 192, 1},
        {"0.0.0.0", 4, 0, 0},
        {"255.255.255.255", 4, 255, 255},
        {"[2001:db8::1]", 6, 0x20, 1},
        {"2001:db8::2", 6, 0x20, 2},
        {"::ffff:192.0.2.9", 6, 0, 9},
        {"192.0.2.01", 0, 0, 0},
        {"256.1.1.1", 0, 0, 0},
        {"1.2.3", 0, 0, 0},
        {"1.2.3.4.5", 0, 0, 0},
        {"1.2.3.4 ", 0, 0, 0},
        {"example.com", 0, 0, 0},
        {"", 0, 0, 0},
        {"[]", 0, 0, 0},
        {"[192.0.2.1", 0, 0, 0},
        {"[192.0.2.1]", 4, 192, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        struct ip_addr a;
        memset(&a, 0xee, sizeof a);
        assert_int_equal(ip_addr_parse(rows[i].text, &a), rows[i].family != 0);
        assert_int_equal(a.family, rows[i].family);
        int last = rows[i].family == 6 ? 15 : 3;
        if (rows[i].family) {
            assert_int_equal(a.a[0], rows[i].first);
            assert_int_equal(a.a[last], rows[i].last);
        }
        for (int k = rows[i].family == 6 ? 16 : rows[i].family == 4 ? 4 : 0; k < 16; k++)
            assert_int_equal(a.a[k], 0); /* unused bytes (all of them when refused) are 0 */
    }
    char long_text[IP_ADDR_TEXT_MAX + 8];
    memset(long_text, '1', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = 0;
    struct ip_addr a;
    assert_false(ip_addr_parse(long_text, &a));
}

int
main(void)
{
    struct CMUnitTest tests[ARRAY_LEN(ip_rows) + 3];
    size_t k = 0;
    harness_add(tests, &k, ip_rows, ARRAY_LEN(ip_rows));
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_dissect_ip_keeps_link);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_dissect_ip_v6_and_empty);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_ip_addr_parse);
    return cmocka_run_group_tests_name("dissect_ip", tests, NULL, NULL);
}
