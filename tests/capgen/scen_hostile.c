/* scen_hostile.c — hostile.pcap: frames whose headers lie (RFC 791/8200/768/9293/2784/7348
 * field rules broken one at a time), between a clean first and last frame. Checksums are
 * made valid wherever the broken field leaves them computable, so each frame has one fault. */
#include <pcap/pcap.h>
#include <string.h>

#include "scen.h"
#include "tunnel.h"

/* A clean UDP datagram 10.0.0.10:5060 → 192.0.2.10:5060 with n payload bytes into b. */
static void
scen_udp(struct build *b, uint16_t id, uint32_t n)
{
    static const char text[] = "OPTIONS sip:192.0.2.10 SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    uint8_t p[256];
    for (uint32_t i = 0; i < n && i < sizeof p; i++)
        p[i] = (uint8_t)text[i % (sizeof text - 1)];
    struct ip_spec ip = scen_ip("10.0.0.10", "192.0.2.10", id);
    build_udp_packet(b, &ip, 5060, 5060, p, n);
}

/* Put the host → gateway Ethernet header in front of the IP packet in b (no padding). */
static void
scen_host_eth(struct build *b, uint16_t ethertype)
{
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, scen_mac_host, 6);
    memcpy(e.dst, scen_mac_gw, 6);
    build_eth(b, &e, ethertype);
}

/* Write the IP packet in b as an unpadded Ethernet frame, so lengths stay exact. */
static void
scen_put(struct writer *w, struct build *b, uint16_t ethertype, int64_t t)
{
    scen_host_eth(b, ethertype);
    writer_frame(w, t, build_data(b), b->len);
}

/* Frames 2–10: IPv4, UDP, TCP, IPv6 header faults. */
static void
scen_hostile_l3(struct writer *w, int64_t t)
{
    struct build b;
    uint8_t *h;
    /* 2: IHL 15 (60 bytes) in a 34-byte frame; total length 20. Checksum over the 20 there. */
    scen_udp(&b, 0x0002, 0);
    b.len = 20;
    h = build_data(&b);
    h[0] = 0x4f;
    build_put16(h + 2, 20);
    h[10] = h[11] = 0;
    build_put16(h + 10, build_fold(build_sum(0, h, 20)));
    scen_put(w, &b, 0x0800, t + 1 * SCEN_MS);
    /* 3: UDP length 3 */
    scen_udp(&b, 0x0003, 20);
    build_put16(build_data(&b) + 24, 3);
    scen_put(w, &b, 0x0800, t + 2 * SCEN_MS);
    /* 4: UDP length 500 in a 38-byte UDP datagram */
    scen_udp(&b, 0x0004, 30);
    build_put16(build_data(&b) + 24, 500);
    scen_put(w, &b, 0x0800, t + 3 * SCEN_MS);
    /* 5: TCP data offset 15 (60 bytes) in a 30-byte segment */
    struct ip_spec ip = scen_ip("10.0.0.10", "198.51.100.80", 0x0005);
    struct tcp_spec tcp = {.sport = 49400, .dport = 443, .seq = 1000, .ack = 2000, .flags = 0x18};
    build_start(&b, "0123456789", 10);
    build_tcp(&b, &ip, &tcp);
    h = build_data(&b);
    h[12] = 0xf0;
    h[16] = h[17] = 0;
    build_put16(h + 16, build_l4_checksum(&ip.src, &ip.dst, 6, h, b.len));
    build_ip(&b, &ip, 6);
    scen_put(w, &b, 0x0800, t + 4 * SCEN_MS);
    /* 6: IPv6 hop-by-hop header of 2048 bytes (length 255) in a 16-byte payload */
    struct ip_spec ip6 = scen_ip("2001:db8:1::10", "2001:db8:2::10", 0);
    ip6.n_ext = 1;
    ip6.ext[0] = BUILD_EXT_HOPOPT;
    build_udp_packet(&b, &ip6, 5060, 5060, NULL, 0);
    build_data(&b)[41] = 255;
    scen_put(w, &b, 0x86dd, t + 5 * SCEN_MS);
    /* 7: IPv4 total length 12, smaller than its own header */
    scen_udp(&b, 0x0007, 20);
    build_put16(build_data(&b) + 2, 12);
    build_ipv4_fix_checksum(build_data(&b));
    scen_put(w, &b, 0x0800, t + 6 * SCEN_MS);
    /* 8: an IPv4 option (timestamp, length 40) running past a 24-byte header */
    scen_udp(&b, 0x0008, 8);
    h = build_prepend(&b, 4);
    memmove(h, h + 4, 20);
    memset(h + 20, 0, 4);
    h[0] = 0x46;
    build_put16(h + 2, (uint16_t)b.len);
    h[20] = 0x44;
    h[21] = 40;
    h[22] = 5;
    build_ipv4_fix_checksum(h);
    scen_put(w, &b, 0x0800, t + 7 * SCEN_MS);
    /* 9: IPv4 total length 1500 in a 62-byte frame (caplen = len): the header lies */
    scen_udp(&b, 0x0009, 20);
    build_put16(build_data(&b) + 2, 1500);
    build_ipv4_fix_checksum(build_data(&b));
    scen_put(w, &b, 0x0800, t + 8 * SCEN_MS);
    /* 10: ethertype IPv6, but the version nibble says 4 */
    scen_udp(&b, 0x000a, 20);
    scen_put(w, &b, 0x86dd, t + 9 * SCEN_MS);
}

/* Frames 11–18: tunnel, link and ICMP faults. */
static void
scen_hostile_outer(struct writer *w, int64_t t)
{
    struct build b;
    struct ip_spec outer = scen_ip("192.0.2.1", "192.0.2.2", 0x0b00);
    /* 11: GRE version 7 */
    scen_udp(&b, 0x000b, 20);
    struct gre_spec g = {.version = 7};
    tunnel_gre(&b, &g, 0x0800);
    build_ip(&b, &outer, 47);
    scen_put(w, &b, 0x0800, t + 10 * SCEN_MS);
    /* 12: ten IPv4-in-IPv4 headers around a UDP datagram */
    scen_udp(&b, 0x000c, 20);
    for (int i = 0; i < 10; i++) {
        outer.id++;
        tunnel_ipip(&b, &outer);
    }
    scen_put(w, &b, 0x0800, t + 11 * SCEN_MS);
    /* 13: an Ethernet frame of 5 bytes */
    static const uint8_t five[5] = {0x00, 0x00, 0x5e, 0x00, 0x53};
    writer_frame(w, t + 12 * SCEN_MS, five, sizeof five);
    /* 14: a record of zero bytes */
    writer_record(w, t + 13 * SCEN_MS, five, 0, 0);
    /* 15: five stacked VLAN tags */
    scen_udp(&b, 0x000f, 20);
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, scen_mac_host, 6);
    memcpy(e.dst, scen_mac_gw, 6);
    e.ntags = 5;
    for (int i = 0; i < 5; i++) {
        e.tpid[i] = i == 0 ? 0x88a8 : 0x8100;
        e.tci[i] = (uint16_t)(100 + i);
    }
    build_eth(&b, &e, 0x0800);
    writer_frame(w, t + 14 * SCEN_MS, build_data(&b), b.len);
    /* 16: VXLAN without the I flag */
    scen_udp(&b, 0x0010, 20);
    scen_host_eth(&b, 0x0800);
    tunnel_vxlan(&b, 5000);
    build_data(&b)[0] = 0;
    outer = scen_ip("10.99.1.1", "10.99.1.2", 0x0c00);
    build_udp(&b, &outer, 52417, TUNNEL_VXLAN_PORT);
    build_ip(&b, &outer, 17);
    scen_put(w, &b, 0x0800, t + 15 * SCEN_MS);
    /* 17: ERSPAN (GRE 0x88be with a sequence number) of version 7 */
    scen_udp(&b, 0x0011, 20);
    scen_host_eth(&b, 0x0800);
    tunnel_erspan2(&b, 100, 0, 3);
    build_data(&b)[0] = (uint8_t)(0x70 | (build_data(&b)[0] & 0x0f));
    struct gre_spec gs = {.seq = true, .seq_val = 17};
    tunnel_gre(&b, &gs, TUNNEL_GRE_PROTO_ERSPAN2);
    outer = scen_ip("10.99.0.1", "10.99.0.2", 0x0d00);
    build_ip(&b, &outer, 47);
    scen_put(w, &b, 0x0800, t + 16 * SCEN_MS);
    /* 18: ICMP port unreachable quoting 6 bytes that are no IP header */
    static const uint8_t junk[6] = {0x45, 0x00, 0x00, 0x1c, 0xde, 0xad};
    struct ip_spec icmp = scen_ip("198.51.100.20", "10.0.0.10", 0x0e00);
    build_icmp_error(&b, &icmp, 3, 3, 0, junk, sizeof junk, sizeof junk);
    scen_put(w, &b, 0x0800, t + 17 * SCEN_MS);
}

int
scen_hostile(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    struct build b;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    scen_udp(&b, 0x0001, 52); /* 1: clean */
    scen_put(&w, &b, 0x0800, SCEN_T0_NS);
    scen_hostile_l3(&w, SCEN_T0_NS);
    scen_hostile_outer(&w, SCEN_T0_NS);
    scen_udp(&b, 0x0013, 52); /* 19: clean again: the run goes on */
    scen_put(&w, &b, 0x0800, SCEN_T0_NS + 18 * SCEN_MS);
    return writer_close(&w, err, errlen);
}
