/* test_dissect_transport.c — UDP, TCP, ICMP and ICMPv6 (with quoted packets), hostile lengths. */
#include "test_dissect_harness.h"

enum {
    DLT_RAW = 12,
};

#define ICMP_ERR(type, code) (type), (code), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define OUTER_V6(plen, nh)                                                                         \
    0x60, 0x00, 0x00, 0x00, BE16(plen), (nh), 64, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  \
        0, 0x09, V6_SRC

#define ZERO8 0, 0, 0, 0, 0, 0, 0, 0
#define L4(x) (LAYER_IPV4 | (x))
#define L6(x) (LAYER_IPV6 | (x))
#define UDP4_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 4, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define UDP6_OK                                                                                    \
    .status = DISSECT_OK, .ip_version = 6, .ip_proto = 17, .sport = 5060, .dport = 5060,           \
    .payload_len = 4, .cut = true
#define ICMP4_OK .status = DISSECT_OK, .ip_version = 4, .ip_proto = 1, .cut = true
#define ICMP6_OK .status = DISSECT_OK, .ip_version = 6, .ip_proto = 58, .cut = true

static void
expect_udp_cut(const struct packet *pkt)
{
    assert_int_equal(pkt->payload_wire_len, 1004);
    assert_int_equal(pkt->payload_len, 4);
}

static void
expect_syn(const struct packet *pkt)
{
    assert_int_equal(pkt->tcp_flags, TCP_SYN);
    assert_int_equal(pkt->tcp_seq, 1000);
    assert_int_equal(pkt->tcp_ack, 2000);
    assert_int_equal(pkt->tcp_window, 65535);
    assert_int_equal(pkt->payload_wire_len, 0);
}

static void
expect_tcp_data(const struct packet *pkt)
{
    assert_int_equal(pkt->tcp_flags, TCP_ACK | TCP_PSH);
    assert_memory_equal(pkt->payload, "abcd", 4);
}

static void
expect_options_cut(const struct packet *pkt)
{
    assert_int_equal(pkt->tcp_flags, TCP_SYN);
    assert_null(pkt->payload);
    assert_int_equal(pkt->payload_wire_len, 0);
}

static void
expect_ecn_masked(const struct packet *pkt)
{
    assert_int_equal(pkt->tcp_flags, TCP_SYN);
}

static void
expect_echo(const struct packet *pkt)
{
    assert_int_equal(pkt->icmp_type, 8);
    assert_int_equal(pkt->icmp_code, 0);
    assert_false(pkt->quote.valid);
}

/* The quoted datagram was sent 10.0.0.1:5060 → 10.0.0.2:5080 (UDP). */
static void
expect_port_unreachable(const struct packet *pkt)
{
    assert_int_equal(pkt->icmp_type, 3);
    assert_int_equal(pkt->icmp_code, 3);
    assert_true(pkt->quote.valid);
    assert_int_equal(pkt->quote.ip_version, 4);
    assert_int_equal(pkt->quote.proto, 17);
    harness_addr(&pkt->quote.src, "10.0.0.1");
    harness_addr(&pkt->quote.dst, "10.0.0.2");
    assert_int_equal(pkt->quote.sport, 5060);
    assert_int_equal(pkt->quote.dport, 5080);
    assert_int_equal(pkt->sport, 0);
    assert_null(pkt->payload);
}

static void
expect_time_exceeded(const struct packet *pkt)
{
    assert_int_equal(pkt->icmp_type, 11);
    assert_true(pkt->quote.valid);
    assert_int_equal(pkt->quote.proto, 6);
    assert_int_equal(pkt->quote.sport, 40000);
    assert_int_equal(pkt->quote.dport, 5061);
}

static void
expect_quote_invalid(const struct packet *pkt)
{
    assert_false(pkt->quote.valid);
    assert_int_equal(pkt->quote.proto, 0);
}

static void
expect_quote_icmp(const struct packet *pkt)
{
    assert_true(pkt->quote.valid);
    assert_int_equal(pkt->quote.proto, 1);
    assert_int_equal(pkt->quote.sport, 0);
    assert_int_equal(pkt->quote.dport, 0);
}

static void
expect_quote_fragment(const struct packet *pkt)
{
    assert_true(pkt->quote.valid);
    assert_int_equal(pkt->quote.proto, 17);
    assert_int_equal(pkt->quote.sport, 0);
}

static void
expect_v6_admin_prohibited(const struct packet *pkt)
{
    assert_int_equal(pkt->icmp_type, 1);
    assert_int_equal(pkt->icmp_code, 1);
    assert_true(pkt->quote.valid);
    assert_int_equal(pkt->quote.ip_version, 6);
    assert_int_equal(pkt->quote.proto, 17);
    harness_addr(&pkt->quote.src, "2001:db8::1");
    harness_addr(&pkt->quote.dst, "2001:db8::2");
    assert_int_equal(pkt->quote.sport, 5060);
    assert_int_equal(pkt->quote.dport, 5070);
    harness_addr(&pkt->src, "fe80::9");
}

static void
expect_v6_too_big(const struct packet *pkt)
{
    assert_int_equal(pkt->icmp_type, 2);
    assert_true(pkt->quote.valid);
    assert_int_equal(pkt->quote.proto, 6);
    assert_int_equal(pkt->quote.sport, 40000);
}

static const struct sample transport_rows[] = {
    /* UDP */
    {.name = "udp_basic", .dlt = DLT_RAW, BYTES(V4_UDP), .layers = L4(LAYER_UDP), UDP4_OK},
    {.name = "udp_ipv6", .dlt = DLT_RAW, BYTES(V6_UDP), .layers = L6(LAYER_UDP), UDP6_OK},
    {.name = "udp_length_3",
     .dlt = DLT_RAW,
     BYTES(IPV4(32, 17), UDP(5060, 5060, 3), DATA4),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_UDP_BAD_LENGTH,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 17},
    {.name = "udp_length_beyond_ip",
     .dlt = DLT_RAW,
     BYTES(IPV4(32, 17), UDP(5060, 5060, 100), DATA4),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_UDP_BAD_LENGTH,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 17},
    {.name = "udp_shorter_than_ip",
     .dlt = DLT_RAW,
     BYTES(IPV4(36, 17), UDP(5060, 5060, 12), DATA4, 0xee, 0xee, 0xee, 0xee),
     .layers = L4(LAYER_UDP),
     UDP4_OK},
    {.name = "udp_header_beyond_ip_length",
     .dlt = DLT_RAW,
     BYTES(IPV4(24, 17), BE16(5060), 0, 0),
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_UDP_TRUNCATED,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 17},
    {.name = "udp_snaplen_cut",
     .dlt = DLT_RAW,
     BYTES(IPV4(1032, 17), UDP(5060, 5062, 1012), DATA4),
     .wirelen = 1032,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = L4(LAYER_UDP),
     .ip_version = 4,
     .ip_proto = 17,
     .sport = 5060,
     .dport = 5062,
     .payload_len = 4,
     .cut = true,
     .extra = expect_udp_cut},
    /* Cut and lying: the first anomaly is the cut, the status the worst (the lie). */
    {.name = "udp_snaplen_cut_and_lying",
     .dlt = DLT_RAW,
     BYTES(IPV4(1032, 17), UDP(5060, 5062, 2000), DATA4),
     .wirelen = 1032,
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 17},
    /* TCP */
    {.name = "tcp_syn_mss",
     .dlt = DLT_RAW,
     BYTES(IPV4(44, 6), TCP(40000, 5060, 6, TCP_SYN), 2, 4, 0x05, 0xb4),
     .layers = L4(LAYER_TCP),
     .status = DISSECT_OK,
     .ip_version = 4,
     .ip_proto = 6,
     .sport = 40000,
     .dport = 5060,
     .cut = true,
     .extra = expect_syn},
    {.name = "tcp_data",
     .dlt = DLT_RAW,
     BYTES(IPV4(44, 6), TCP(5060, 40000, 5, TCP_ACK | TCP_PSH), DATA4),
     .layers = L4(LAYER_TCP),
     .status = DISSECT_OK,
     .ip_version = 4,
     .ip_proto = 6,
     .sport = 5060,
     .dport = 40000,
     .payload_len = 4,
     .cut = true,
     .extra = expect_tcp_data},
    {.name = "tcp_ipv6",
     .dlt = DLT_RAW,
     BYTES(IPV6(24, 6), TCP(5061, 40000, 5, TCP_ACK), DATA4),
     .layers = L6(LAYER_TCP),
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 6,
     .sport = 5061,
     .dport = 40000,
     .payload_len = 4,
     .cut = true},
    {.name = "tcp_offset_15",
     .dlt = DLT_RAW,
     BYTES(IPV4(40, 6), TCP(5060, 40000, 15, TCP_ACK)),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_TCP_BAD_OFFSET,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 6},
    {.name = "tcp_offset_4",
     .dlt = DLT_RAW,
     BYTES(IPV4(40, 6), TCP(5060, 40000, 4, TCP_ACK)),
     .status = DISSECT_MALFORMED,
     .anomaly = ANOM_TCP_BAD_OFFSET,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 6},
    {.name = "tcp_options_cut",
     .dlt = DLT_RAW,
     BYTES(IPV4(60, 6), TCP(40000, 5060, 10, TCP_SYN), 2, 4, 0x05, 0xb4),
     .wirelen = 60,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = L4(LAYER_TCP),
     .ip_version = 4,
     .ip_proto = 6,
     .sport = 40000,
     .dport = 5060,
     .cut = true,
     .extra = expect_options_cut},
    {.name = "tcp_header_cut",
     .dlt = DLT_RAW,
     BYTES(IPV4(60, 6), BE16(40000), BE16(5060), 0, 0),
     .wirelen = 60,
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_IP_PAYLOAD_CUT,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 6,
     .cut = true},
    {.name = "tcp_ecn_flags_masked",
     .dlt = DLT_RAW,
     BYTES(IPV4(40, 6), TCP(40000, 5060, 5, 0xc2)),
     .layers = L4(LAYER_TCP),
     .status = DISSECT_OK,
     .ip_version = 4,
     .ip_proto = 6,
     .sport = 40000,
     .dport = 5060,
     .cut = true,
     .extra = expect_ecn_masked},
    /* ICMP */
    {.name = "icmp_echo",
     .dlt = DLT_RAW,
     BYTES(IPV4(28, 1), 8, 0, 0, 0, BE16(7), BE16(1)),
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_echo},
    {.name = "icmp_port_unreachable_udp",
     .dlt = DLT_RAW,
     BYTES(IPV4(56, 1), ICMP_ERR(3, 3), IPV4_OUTER(40, 17), UDP(5060, 5080, 20)),
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_port_unreachable},
    {.name = "icmp_time_exceeded_tcp",
     .dlt = DLT_RAW,
     BYTES(IPV4(56, 1), ICMP_ERR(11, 0), IPV4_OUTER(60, 6), BE16(40000), BE16(5061), BE32(1)),
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_time_exceeded},
    {.name = "icmp_quote_with_options",
     .dlt = DLT_RAW,
     BYTES(IPV4(60, 1), ICMP_ERR(3, 3), 0x46, 0, BE16(44), BE16(1), 0, 0, 64, 17, 0, 0, 10, 0, 0, 1,
           10, 0, 0, 2, 1, 1, 1, 0, UDP(5060, 5080, 20)),
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_port_unreachable},
    {.name = "icmp_quote_later_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV4(56, 1), ICMP_ERR(3, 4), 0x45, 0, BE16(40), BE16(1), BE16(0x0010), 64, 17, 0, 0, 10,
           0, 0, 1, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_quote_fragment},
    {.name = "icmp_quote_of_icmp_echo",
     .dlt = DLT_RAW,
     BYTES(IPV4(56, 1), ICMP_ERR(11, 0), IPV4_OUTER(28, 1), 8, 0, 0, 0, BE16(7), BE16(1)),
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_quote_icmp},
    {.name = "icmp_quote_cut_short",
     .dlt = DLT_RAW,
     BYTES(IPV4(48, 1), ICMP_ERR(3, 3), IPV4_OUTER(40, 17)),
     .anomaly = ANOM_ICMP_QUOTE_BAD,
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_quote_invalid},
    {.name = "icmp_quote_not_ipv4",
     .dlt = DLT_RAW,
     BYTES(IPV4(56, 1), ICMP_ERR(3, 3), 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0, 0, 0, 0),
     .anomaly = ANOM_ICMP_QUOTE_BAD,
     .layers = L4(LAYER_ICMP),
     ICMP4_OK,
     .extra = expect_quote_invalid},
    {.name = "icmp_header_beyond_ip_length",
     .dlt = DLT_RAW,
     BYTES(IPV4(24, 1), 3, 3, 0, 0),
     .status = DISSECT_TRUNCATED,
     .anomaly = ANOM_ICMP_TRUNCATED,
     .layers = LAYER_IPV4,
     .ip_version = 4,
     .ip_proto = 1},
    {.name = "icmp_proto_in_ipv6",
     .dlt = DLT_RAW,
     BYTES(IPV6(8, 1), 8, 0, 0, 0, 0, 0, 0, 0),
     .layers = LAYER_IPV6,
     .status = DISSECT_OK,
     .ip_version = 6,
     .ip_proto = 1,
     .cut = true},
    /* ICMPv6 */
    {.name = "icmpv6_echo",
     .dlt = DLT_RAW,
     BYTES(IPV6(8, 58), 128, 0, 0, 0, BE16(7), BE16(1)),
     .layers = L6(LAYER_ICMP),
     ICMP6_OK},
    {.name = "icmpv6_neighbor_solicitation",
     .dlt = DLT_RAW,
     BYTES(IPV6(24, 58), 135, 0, 0, 0, 0, 0, 0, 0, V6_DST),
     .layers = L6(LAYER_ICMP),
     ICMP6_OK},
    {.name = "icmpv6_admin_prohibited_udp",
     .dlt = DLT_RAW,
     BYTES(OUTER_V6(56, 58), ICMP_ERR(1, 1), IPV6(100, 17), UDP(5060, 5070, 100)),
     .layers = L6(LAYER_ICMP),
     ICMP6_OK,
     .extra = expect_v6_admin_prohibited},
    {.name = "icmpv6_too_big_hbh_tcp",
     .dlt = DLT_RAW,
     BYTES(IPV6(64, 58), 2, 0, 0, 0, BE32(1280), IPV6(1400, 0), 6, 0, 1, 4, 0, 0, 0, 0, BE16(40000),
           BE16(5061), BE32(1)),
     .layers = L6(LAYER_ICMP),
     ICMP6_OK,
     .extra = expect_v6_too_big},
    {.name = "icmpv6_quote_later_fragment",
     .dlt = DLT_RAW,
     BYTES(IPV6(64, 58), ICMP_ERR(3, 1), IPV6(1000, 44), 17, 0, BE16(1480), BE32(5), ZERO8),
     .layers = L6(LAYER_ICMP),
     ICMP6_OK,
     .extra = expect_quote_fragment},
    {.name = "icmpv6_quote_cut_short",
     .dlt = DLT_RAW,
     BYTES(IPV6(28, 58), ICMP_ERR(3, 0), 0x60, 0, 0, 0, 0, 100, 17, 64, 0x20, 0x01, 0x0d, 0xb8, 0,
           0, 0, 0, 0, 0, 0, 0),
     .anomaly = ANOM_ICMP_QUOTE_BAD,
     .layers = L6(LAYER_ICMP),
     ICMP6_OK,
     .extra = expect_quote_invalid},
};

int
main(void)
{
    struct CMUnitTest tests[ARRAY_LEN(transport_rows)];
    size_t k = 0;
    harness_add(tests, &k, transport_rows, ARRAY_LEN(transport_rows));
    return cmocka_run_group_tests_name("dissect_transport", tests, NULL, NULL);
}
