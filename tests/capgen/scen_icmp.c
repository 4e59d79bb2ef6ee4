/* scen_icmp.c — icmp-unreachable.pcap: RTP answered by ICMP port unreachable (RFC 792, type 3
 * code 3), a TCP SYN refused by a firewall with administratively prohibited (RFC 1812 §5.2.7.1,
 * code 13), and IPv6 RTP answered by ICMPv6 port unreachable (RFC 4443 §3.1, type 1 code 4). */
#include <pcap/pcap.h>
#include <string.h>

#include "scen.h"

/* The quoted copy of orig as it reached the far end: TTL lowered by hops, IPv4 checksum
 * fixed. Returns the length (IPv6: hop limit lowered). */
static uint32_t
scen_arrived(uint8_t *copy, const struct build *orig, uint8_t hops)
{
    memcpy(copy, orig->buf + orig->off, orig->len);
    if (copy[0] >> 4 == 4) {
        copy[8] = (uint8_t)(copy[8] - hops);
        build_ipv4_fix_checksum(copy);
    } else {
        copy[7] = (uint8_t)(copy[7] - hops);
    }
    return orig->len;
}

int
scen_icmp_unreachable(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    struct build b, err_pkt;
    uint8_t rtp[SCEN_RTP_LEN], copy[2048];
    const int64_t t = SCEN_T0_NS, ms = SCEN_MS;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;

    /* RTP to a closed port: the host answers each packet; Linux quotes the whole datagram,
     * the third answer quotes only header + 8 bytes as RFC 792 requires at least */
    struct ip_spec up = scen_ip("10.0.0.10", "198.51.100.20", 0x2a00);
    struct ip_spec icmp = scen_ip("198.51.100.20", "10.0.0.10", 0x0310);
    icmp.ttl = 55;
    icmp.df = false;
    for (int i = 0; i < 3; i++) {
        uint16_t seq = (uint16_t)(4711 + i);
        build_udp_packet(&b, &up, 16384, 40000, rtp,
                         scen_rtp(rtp, i == 0, seq, 160000u + 160u * (uint32_t)i, 0x1badcafe));
        up.id++;
        uint32_t n = scen_arrived(copy, &b, 9);
        build_icmp_error(&err_pkt, &icmp, 3, 3, 0, copy, n, i < 2 ? 548 : 28);
        icmp.id++;
        scen_eth_write(&w, &b, SCEN_TO_SERVER, t + 20 * i * ms);
        scen_eth_write(&w, &err_pkt, SCEN_TO_CLIENT, t + (20 * i + 18) * ms);
    }

    /* a TCP SYN to 443, refused by the firewall 203.0.113.1 (header + 8 quoted), retried */
    struct ip_spec syn = scen_ip("10.0.0.10", "198.51.100.30", 0x2b00);
    struct ip_spec fw = scen_ip("203.0.113.1", "10.0.0.10", 0x9a00);
    fw.ttl = 62;
    fw.df = false;
    struct tcp_spec ts = {.sport = 50010, .dport = 443, .seq = 0x51c0ffee, .flags = 0x02};
    build_tcp_syn_options(&ts);
    ts.win = 64240;
    for (int i = 0; i < 2; i++) {
        build_start(&b, NULL, 0);
        build_tcp(&b, &syn, &ts);
        build_ip(&b, &syn, 6);
        syn.id++;
        uint32_t n = scen_arrived(copy, &b, 1);
        build_icmp_error(&err_pkt, &fw, 3, 13, 0, copy, n, 28);
        fw.id++;
        scen_eth_write(&w, &b, SCEN_TO_SERVER, t + (1000 + 1000 * i) * ms);
        scen_eth_write(&w, &err_pkt, SCEN_TO_CLIENT, t + (1000 + 1000 * i) * ms + 3 * ms);
    }

    /* IPv6 RTP to a closed port: ICMPv6 quotes as much as fits in 1280 bytes */
    struct ip_spec up6 = scen_ip("2001:db8:1::10", "2001:db8:2::20", 0);
    struct ip_spec icmp6 = scen_ip("2001:db8:2::20", "2001:db8:1::10", 0);
    icmp6.ttl = 55;
    for (int i = 0; i < 2; i++) {
        build_udp_packet(
            &b, &up6, 16386, 40002, rtp,
            scen_rtp(rtp, i == 0, (uint16_t)(902 + i), 8000u + 160u * (uint32_t)i, 0x2c0ffee5));
        uint32_t n = scen_arrived(copy, &b, 9);
        build_icmp_error(&err_pkt, &icmp6, 1, 4, 0, copy, n, 1280 - 48);
        scen_eth_write(&w, &b, SCEN_TO_SERVER, t + (3000 + 20 * i) * ms);
        scen_eth_write(&w, &err_pkt, SCEN_TO_CLIENT, t + (3000 + 20 * i + 18) * ms);
    }
    return writer_close(&w, err, errlen);
}
