/* scen_frag.c — ipfrag.pcap: a 3000-byte SIP INVITE over UDP fragmented (RFC 791 §3.2,
 * RFC 8200 §4.5) in order, out of order with options, with an overlapping piece (RFC 5722 /
 * teardrop style), with its last piece missing, and over IPv6. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "frag.h"
#include "scen.h"
#include "scen_sip.h"

#define FRAG_GAP_NS 100000 /* 0.1 ms between the fragments of one datagram */

/* The UDP datagram of a big INVITE (call number n) from src to dst into dg; returns its
 * length. */
static uint32_t
scen_frag_datagram(struct build *dg, const struct ip_spec *ip, int n)
{
    char text[4096], call_id[64], branch[32], tag[16];
    snprintf(call_id, sizeof call_id, "frag-%d-5c1e0a77@example.com", n);
    snprintf(branch, sizeof branch, "fr%d4a1", n);
    snprintf(tag, sizeof tag, "9fa%d2c", n);
    struct scen_dialog d = {
        .transport = "UDP",
        .ua = ip->src,
        .ua_port = 5060,
        .proxy = ip->dst,
        .proxy_port = 5060,
        .caller_user = "100",
        .callee_user = "200",
        .call_id = call_id,
        .from_tag = tag,
        .to_tag = "a1",
        .branch = branch,
        .ua_media = ip->src,
        .peer_media = ip->dst,
        .ua_rtp = (uint16_t)(16384 + 2 * n),
        .peer_rtp = 40000,
        .sdp_id = 3001 + (uint64_t)n,
    };
    int len = scen_sip_big_invite(text, sizeof text, &d, 3000);
    build_udp_packet(dg, ip, 5060, 5060, text, (uint32_t)(len < 0 ? 0 : len));
    return dg->len;
}

int
scen_ipfrag(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    struct build dg, fr[4];
    uint8_t xs[200];
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    int64_t t = SCEN_T0_NS;

    /* 1: in order, 3 × 1480 bytes (Ethernet MTU) */
    struct ip_spec ip = scen_ip("10.0.0.10", "192.0.2.10", 0x1001);
    ip.df = false;
    scen_frag_datagram(&dg, &ip, 1);
    int n = frag_split(build_data(&dg), dg.len, 1480, 0, fr, 4);
    for (int i = 0; i < n; i++)
        scen_eth_write(&w, &fr[i], SCEN_TO_SERVER, t + i * FRAG_GAP_NS);

    /* 2: record route (not copied) + router alert (copied) options; order 3, 1, 2 */
    static const uint8_t opt[12] = {7, 7, 4, 0, 0, 0, 0, 0x94, 4, 0, 0, 0};
    ip.id = 0x1002;
    ip.opt_len = sizeof opt;
    memcpy(ip.opt, opt, sizeof opt);
    scen_frag_datagram(&dg, &ip, 2);
    n = frag_split(build_data(&dg), dg.len, 1464, 0, fr, 4);
    static const int order[3] = {2, 0, 1};
    for (int i = 0; i < n && i < 3; i++)
        scen_eth_write(&w, &fr[order[i]], SCEN_TO_SERVER, t + SCEN_S + i * FRAG_GAP_NS);
    ip.opt_len = 0;

    /* 3: an extra piece at offset 1400 (200 bytes of 'X') overlaps pieces 1 and 2 */
    ip.id = 0x1003;
    scen_frag_datagram(&dg, &ip, 3);
    n = frag_split(build_data(&dg), dg.len, 1480, 0, fr, 3);
    memset(xs, 'X', sizeof xs);
    scen_eth_write(&w, &fr[0], SCEN_TO_SERVER, t + 2 * SCEN_S);
    frag_piece(build_data(&dg), dg.len, 1400, sizeof xs, true, xs, 0, &fr[3]);
    scen_eth_write(&w, &fr[3], SCEN_TO_SERVER, t + 2 * SCEN_S + FRAG_GAP_NS);
    for (int i = 1; i < n; i++)
        scen_eth_write(&w, &fr[i], SCEN_TO_SERVER, t + 2 * SCEN_S + (i + 1) * FRAG_GAP_NS);

    /* 4: the last piece never arrives */
    ip.id = 0x1004;
    scen_frag_datagram(&dg, &ip, 4);
    n = frag_split(build_data(&dg), dg.len, 1480, 0, fr, 4);
    for (int i = 0; i < n - 1; i++)
        scen_eth_write(&w, &fr[i], SCEN_TO_SERVER, t + 3 * SCEN_S + i * FRAG_GAP_NS);

    /* 5: IPv6, hop-by-hop (unfragmentable) + destination options (fragmentable), 1440-byte
     * pieces (1500 − 40 − 8 hop-by-hop − 8 fragment header = 1444, rounded down to 8) */
    struct ip_spec ip6 = scen_ip("2001:db8:1::10", "2001:db8:2::10", 0);
    ip6.n_ext = 2;
    ip6.ext[0] = BUILD_EXT_HOPOPT;
    ip6.ext[1] = BUILD_EXT_DSTOPT;
    scen_frag_datagram(&dg, &ip6, 5);
    n = frag_split(build_data(&dg), dg.len, 1440, 0x2001, fr, 4);
    for (int i = 0; i < n; i++)
        scen_eth_write(&w, &fr[i], SCEN_TO_SERVER, t + 4 * SCEN_S + i * FRAG_GAP_NS);

    /* 70 s later an unfragmented OPTIONS: packet time passes every reassembly timeout */
    char text[1500];
    int len = scen_sip_options(text, sizeof text, SCEN_TO_SERVER, &ip.src, &ip.dst,
                               "frag-late@example.com");
    ip.id = 0x1005;
    ip.df = true;
    build_udp_packet(&dg, &ip, 5060, 5060, text, (uint32_t)len);
    scen_eth_write(&w, &dg, SCEN_TO_SERVER, t + 74 * SCEN_S);
    return writer_close(&w, err, errlen);
}
