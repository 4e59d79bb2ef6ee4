/* scen_tunnel.c — tunnels.pcap: the base flows inside IP-in-IP / 6in4 (RFC 2003, RFC 4213),
 * GRE with key (RFC 2890), ERSPAN type II and III (draft-foschiano-erspan) and VXLAN (RFC 7348). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "scen.h"
#include "tunnel.h"

enum scen_tunnel {
    SCEN_TUN_IPIP,
    SCEN_TUN_GRE,
    SCEN_TUN_ERSPAN2,
    SCEN_TUN_ERSPAN3,
    SCEN_TUN_VXLAN,
    SCEN_TUN_COUNT,
};

static const uint8_t mac_switch[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x20};
static const uint8_t mac_collector[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x21};

/* Put the original Ethernet header (host/gateway MACs for dir) around the IP packet in b. */
static void
scen_inner_eth(struct build *b, int dir, bool pad)
{
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, dir == SCEN_TO_SERVER ? scen_mac_host : scen_mac_gw, 6);
    memcpy(e.dst, dir == SCEN_TO_SERVER ? scen_mac_gw : scen_mac_host, 6);
    build_eth(b, &e, (build_data(b)[0] >> 4) == 6 ? 0x86dd : 0x0800);
    if (pad)
        build_pad(b, 60);
}

/* Mirror traffic: outer IPv4 10.99.0.1 → 10.99.0.2 (either inner direction), switch to
 * collector MACs, written at ts_ns. */
static void
scen_mirror_write(struct writer *w, struct build *b, uint16_t proto, uint32_t seq, int64_t ts_ns)
{
    struct gre_spec g = {.seq = true, .seq_val = seq};
    tunnel_gre(b, &g, proto);
    struct ip_spec outer = scen_ip("10.99.0.1", "10.99.0.2", (uint16_t)(0x2200 + seq));
    outer.df = false;
    build_ip(b, &outer, 47);
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, mac_switch, 6);
    memcpy(e.dst, mac_collector, 6);
    build_eth(b, &e, 0x0800);
    writer_frame(w, ts_ns, build_data(b), b->len);
}

/* Wrap the inner IP packet in b in tunnel kind s->kind and write it. */
static void
scen_tunnel_emit(struct scen_sink *s, struct build *b, int dir, int64_t ts_ns)
{
    bool up = dir == SCEN_TO_SERVER;
    uint32_t n = s->seq++;
    struct ip_spec outer = scen_ip(up ? "192.0.2.1" : "192.0.2.2", up ? "192.0.2.2" : "192.0.2.1",
                                   (uint16_t)(0x5100 + n));
    switch (s->kind) {
    case SCEN_TUN_IPIP:
        tunnel_ipip(b, &outer);
        break;
    case SCEN_TUN_GRE: {
        struct gre_spec g = {.key = true, .key_val = 0x1234};
        tunnel_gre(b, &g, (build_data(b)[0] >> 4) == 6 ? 0x86dd : 0x0800);
        build_ip(b, &outer, 47);
        break;
    }
    case SCEN_TUN_ERSPAN2:
        scen_inner_eth(b, dir, true);
        tunnel_erspan2(b, 100, 0, 3);
        scen_mirror_write(s->w, b, TUNNEL_GRE_PROTO_ERSPAN2, n, ts_ns);
        return;
    case SCEN_TUN_ERSPAN3:
        scen_inner_eth(b, dir, true);
        tunnel_erspan3(b, 101, 0, (uint32_t)((ts_ns - SCEN_T0_NS) / 100000), 1);
        scen_mirror_write(s->w, b, TUNNEL_GRE_PROTO_ERSPAN3, n, ts_ns);
        return;
    case SCEN_TUN_VXLAN:
        scen_inner_eth(b, dir, false);
        tunnel_vxlan(b, 5000);
        outer = scen_ip(up ? "10.99.1.1" : "10.99.1.2", up ? "10.99.1.2" : "10.99.1.1",
                        (uint16_t)(0x6100 + n));
        build_udp(b, &outer, up ? 52417 : 61073, TUNNEL_VXLAN_PORT);
        build_ip(b, &outer, 17);
        break;
    default:
        return;
    }
    scen_eth_write(s->w, b, dir, ts_ns);
}

int
scen_tunnels(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    char client[32];
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    for (int k = 0; k < SCEN_TUN_COUNT; k++) {
        struct scen_sink s = {scen_tunnel_emit, &w, k, 0};
        snprintf(client, sizeof client, "10.0.0.%d", 11 + k);
        struct scen_flows f = scen_flows_default(4, client, SCEN_T0_NS + k * SCEN_S);
        f.tcp_sport = (uint16_t)(49320 + k);
        scen_flows_emit(&s, &f);
        if (k == SCEN_TUN_IPIP) { /* 6in4: the SIP exchange over IPv6 in IPv4 */
            f = scen_flows_default(6, "2001:db8:1::11", SCEN_T0_NS + k * SCEN_S + 700 * SCEN_MS);
            f.which = SCEN_FLOW_SIP;
            scen_flows_emit(&s, &f);
        }
    }
    return writer_close(&w, err, errlen);
}
