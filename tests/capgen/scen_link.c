/* scen_link.c — link-types-*.pcap: the base flows over every link type voipdiag reads
 * (tcpdump.org link-layer header types: EN10MB, LINUX_SLL/SLL2, RAW, IPV4/6, NULL, LOOP, PPP,
 * and PPPoE sessions RFC 2516 inside Ethernet). */
#include <pcap/pcap.h>
#include <string.h>

#include "scen.h"

/* How each link kind is written: its DLT and which address families it carries. */
static const struct {
    int dlt;
    bool v4, v6;
} scen_links[] = {
    [SCEN_LINK_EN10MB] = {DLT_EN10MB, true, true},   /* LINKTYPE_ETHERNET 1 */
    [SCEN_LINK_VLAN] = {DLT_EN10MB, true, true},     /* 802.1Q tag */
    [SCEN_LINK_QINQ] = {DLT_EN10MB, true, true},     /* 802.1ad + 802.1Q tags */
    [SCEN_LINK_SLL] = {DLT_LINUX_SLL, true, true},   /* LINKTYPE_LINUX_SLL 113 */
    [SCEN_LINK_SLL2] = {DLT_LINUX_SLL2, true, true}, /* LINKTYPE_LINUX_SLL2 276 */
    [SCEN_LINK_RAW] = {DLT_RAW, true, true},         /* DLT 12, stored as LINKTYPE_RAW 101 */
    [SCEN_LINK_IPV4] = {DLT_IPV4, true, false},      /* LINKTYPE_IPV4 228 */
    [SCEN_LINK_IPV6] = {DLT_IPV6, false, true},      /* LINKTYPE_IPV6 229 */
    [SCEN_LINK_NULL] = {DLT_NULL, true, true},       /* LINKTYPE_NULL 0 */
    [SCEN_LINK_LOOP] = {DLT_LOOP, true, true},       /* LINKTYPE_LOOP 108 */
    [SCEN_LINK_PPP] = {DLT_PPP, true, true},         /* LINKTYPE_PPP 9 */
    [SCEN_LINK_PPPOE] = {DLT_EN10MB, true, true},    /* ethertype 0x8864 */
};

/* Put the link header of kind s->kind in front of the IP packet in b and write it. */
static void
scen_link_emit(struct scen_sink *s, struct build *b, int dir, int64_t ts_ns)
{
    bool v6 = (build_data(b)[0] >> 4) == 6;
    uint16_t ethertype = v6 ? 0x86dd : 0x0800;
    const uint8_t *sender = dir == SCEN_TO_SERVER ? scen_mac_host : scen_mac_gw;
    uint8_t pkttype = dir == SCEN_TO_SERVER ? 4 : 0; /* PACKET_OUTGOING / PACKET_HOST */
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, sender, 6);
    memcpy(e.dst, dir == SCEN_TO_SERVER ? scen_mac_gw : scen_mac_host, 6);
    switch (s->kind) {
    case SCEN_LINK_EN10MB:
        break;
    case SCEN_LINK_VLAN: /* voice VLAN 100, priority 5 */
        e.ntags = 1;
        e.tpid[0] = 0x8100;
        e.tci[0] = 5 << 13 | 100;
        break;
    case SCEN_LINK_QINQ: /* provider S-tag 200 around customer C-tag 100 */
        e.ntags = 2;
        e.tpid[0] = 0x88a8;
        e.tci[0] = 200;
        e.tpid[1] = 0x8100;
        e.tci[1] = 5 << 13 | 100;
        break;
    case SCEN_LINK_SLL:
        build_sll(b, pkttype, sender, ethertype);
        goto write;
    case SCEN_LINK_SLL2:
        build_sll2(b, ethertype, 2, pkttype, sender);
        goto write;
    case SCEN_LINK_NULL: /* the writer's byte order (this file: little endian); BSD AF_INET6 24 */
        build_null(b, v6 ? 24 : 2, true);
        goto write;
    case SCEN_LINK_LOOP: /* network byte order */
        build_null(b, v6 ? 24 : 2, false);
        goto write;
    case SCEN_LINK_PPP:
        build_ppp(b, v6 ? 0x0057 : 0x0021);
        goto write;
    case SCEN_LINK_PPPOE:
        build_pppoe(b, 0x1a2b, v6 ? 0x0057 : 0x0021);
        ethertype = 0x8864;
        break;
    default: /* RAW, IPV4, IPV6: the IP packet is the frame */
        goto write;
    }
    build_eth(b, &e, ethertype);
    build_pad(b, 60);
write:
    writer_frame(s->w, ts_ns, build_data(b), b->len);
}

int
scen_link_types(const char *path, int arg, char *err, size_t errlen)
{
    struct writer w;
    if (writer_open(&w, path, scen_links[arg].dlt, false, 262144, err, errlen) != 0)
        return -1;
    struct scen_sink s = {scen_link_emit, &w, arg, 0};
    if (scen_links[arg].v4) {
        struct scen_flows f = scen_flows_default(4, "10.0.0.10", SCEN_T0_NS);
        scen_flows_emit(&s, &f);
    }
    if (scen_links[arg].v6) {
        struct scen_flows f = scen_flows_default(6, "2001:db8:1::10", SCEN_T0_NS + SCEN_S);
        if (scen_links[arg].v4)
            f.which = SCEN_FLOW_SIP; /* both families: IPv6 carries the SIP exchange only */
        scen_flows_emit(&s, &f);
    }
    return writer_close(&w, err, errlen);
}
