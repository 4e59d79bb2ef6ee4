/* dissect.c — the dispatch from frame bytes to struct packet: link type, ethertype, IP protocol. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "dissect.h"
#include "icmp.h"
#include "ipv4.h"
#include "ipv6.h"
#include "layer.h"
#include "link.h"
#include "tcp.h"
#include "tunnel.h"
#include "udp.h"

/*
 * How outcomes are judged, everywhere below: a header the capture ends inside is TRUNCATED
 * (that layer's truncation anomaly, or the tunnel's one anomaly); a length field promising
 * more than the enclosing length (or the frame's wire length) says is MALFORMED; a length
 * field promising bytes that existed on the wire but were not captured is a snaplen cut
 * (ANOM_IP_PAYLOAD_CUT, TRUNCATED) and decoding goes on over the captured part.
 */

/* A link-layer decoder (contract in link.h). */
typedef enum dissect_status (*link_fn)(struct span *s, struct packet *pkt, uint16_t *type);

/* Report name and kind of one anomaly. */
struct anomaly_row {
    const char *name;
    bool truncation; /* the capture was cut; the bytes do not lie */
};

/* Every anomaly's report name: stable API, never rename one. */
static const struct anomaly_row anomaly_rows[] = {
    [ANOM_NONE] = {"none", false},
    [ANOM_LINK_UNSUPPORTED] = {"packet.link.unsupported", false},
    [ANOM_LINK_TRUNCATED] = {"packet.link.truncated", true},
    [ANOM_LINK_MALFORMED] = {"packet.link.malformed", false},
    [ANOM_VLAN_TOO_DEEP] = {"packet.vlan.too_deep", false},
    [ANOM_IPV4_TRUNCATED] = {"packet.ipv4.truncated", true},
    [ANOM_IPV4_BAD_VERSION] = {"packet.ipv4.bad_version", false},
    [ANOM_IPV4_BAD_IHL] = {"packet.ipv4.bad_ihl", false},
    [ANOM_IPV4_BAD_TOTAL_LEN] = {"packet.ipv4.bad_total_len", false},
    [ANOM_IPV4_BAD_OPTION] = {"packet.ipv4.bad_option", false},
    [ANOM_IPV6_TRUNCATED] = {"packet.ipv6.truncated", true},
    [ANOM_IPV6_BAD_VERSION] = {"packet.ipv6.bad_version", false},
    [ANOM_IPV6_BAD_EXTHDR] = {"packet.ipv6.bad_exthdr", false},
    [ANOM_IPV6_TOO_MANY_EXT] = {"packet.ipv6.too_many_ext", false},
    [ANOM_IP_PAYLOAD_CUT] = {"packet.ip.payload_cut", true},
    [ANOM_IP_LENGTH_EXCEEDS] = {"packet.ip.length_exceeds", false},
    [ANOM_UDP_TRUNCATED] = {"packet.udp.truncated", true},
    [ANOM_UDP_BAD_LENGTH] = {"packet.udp.bad_length", false},
    [ANOM_TCP_TRUNCATED] = {"packet.tcp.truncated", true},
    [ANOM_TCP_BAD_OFFSET] = {"packet.tcp.bad_offset", false},
    [ANOM_ICMP_TRUNCATED] = {"packet.icmp.truncated", true},
    [ANOM_ICMP_QUOTE_BAD] = {"packet.icmp.quote_bad", false},
    [ANOM_GRE_MALFORMED] = {"packet.gre.malformed", false},
    [ANOM_ERSPAN_MALFORMED] = {"packet.erspan.malformed", false},
    [ANOM_VXLAN_MALFORMED] = {"packet.vxlan.malformed", false},
    [ANOM_TUNNEL_TOO_DEEP] = {"packet.tunnel.too_deep", false},
};
_Static_assert(sizeof anomaly_rows / sizeof anomaly_rows[0] == ANOM__COUNT,
               "every enum anomaly needs a row in anomaly_rows");

/* The decoder of link type dlt, or NULL when voipdiag does not know it. */
static link_fn
dissect_link_fn(int dlt)
{
    switch (dlt) {
    case LINK_DLT_EN10MB:
        return link_ether;
    case LINK_DLT_LINUX_SLL:
        return link_sll;
    case LINK_DLT_LINUX_SLL2:
        return link_sll2;
    case LINK_DLT_RAW:
    case LINK_DLT_RAW_OPENBSD:
    case LINK_DLT_RAW_LINKTYPE:
        return link_raw;
    case LINK_DLT_IPV4:
        return link_raw_ipv4;
    case LINK_DLT_IPV6:
        return link_raw_ipv6;
    case LINK_DLT_NULL:
        return link_null;
    case LINK_DLT_LOOP:
        return link_loop;
    case LINK_DLT_PPP:
    case LINK_DLT_PPP_SERIAL:
        return link_ppp;
    default:
        return NULL;
    }
}

/*
 * Follow link-level ethertypes (VLAN tags, PPPoE) from *type until it names something else:
 * a network protocol, or one we do not decode. Returns DISSECT_OK or the recorded failure.
 * Ends: tags are capped at PACKET_MAX_VLAN and PPPoE only ever names IPv4, IPv6 or nothing.
 */
static enum dissect_status
dissect_ethertype(uint16_t *type, struct span *s, struct packet *pkt)
{
    for (;;) {
        enum dissect_status st;
        switch (*type) {
        case ETH_VLAN:
        case ETH_QINQ:
        case ETH_QINQ_OLD:
            st = link_vlan(s, pkt, type);
            break;
        case ETH_PPPOE:
            st = link_pppoe(s, pkt, type);
            break;
        default:
            return DISSECT_OK;
        }
        if (st != DISSECT_OK)
            return st;
        pkt->ethertype = *type;
    }
}

/*
 * Decode the transport at the front of s (the IP payload) chosen by pkt->ip_proto. When it is
 * a tunnel to follow, sets *type (what comes next) and *via (the tunnel kind). Returns
 * DISSECT_OK or the recorded failure.
 */
static enum dissect_status
dissect_transport(struct span *s, struct packet *pkt, uint16_t *type, enum tunnel_kind *via)
{
    enum dissect_status st;

    switch (pkt->ip_proto) {
    case PROTO_UDP:
        st = udp_dissect(s, pkt);
        if (st != DISSECT_OK || pkt->dport != UDP_PORT_VXLAN)
            return st;
        return tunnel_vxlan(s, pkt, type, via);
    case PROTO_TCP:
        return tcp_dissect(s, pkt);
    case PROTO_ICMP:
        return pkt->ip_version == 4 ? icmp_dissect(s, pkt) : DISSECT_OK;
    case PROTO_ICMPV6:
        return pkt->ip_version == 6 ? icmp_dissect(s, pkt) : DISSECT_OK;
    case PROTO_IPIP:
        *type = ETH_IPV4;
        *via = TUNNEL_IPIP;
        return DISSECT_OK;
    case PROTO_IPV6:
        *type = ETH_IPV6;
        *via = TUNNEL_IPIP;
        return DISSECT_OK;
    case PROTO_GRE:
        return tunnel_gre(s, pkt, type, via);
    default:
        return DISSECT_OK; /* ESP, no-next-header, OSPF …: the IP packet is all there is */
    }
}

/*
 * From a link-level ethertype onwards: VLAN/PPPoE, IP, transport, and through up to
 * PACKET_MAX_TUNNEL tunnels, each inner IP packet replacing the outer one in pkt once its
 * header is accepted. Something not IP inside a tunnel leaves the outer packet described.
 * An inner Ethernet frame's VLAN ids are appended to pkt->vlan and its ethertype replaces
 * pkt->ethertype. Stops at a fragment. Returns pkt->status.
 */
static enum dissect_status
dissect_walk(uint16_t type, struct span *sp, struct packet *pkt)
{
    enum tunnel_kind via = TUNNEL_NONE;

    for (;;) {
        if (via != TUNNEL_NONE && type == ETH_TEB) {
            if (link_ether(sp, pkt, &type) != DISSECT_OK)
                return pkt->status;
            pkt->ethertype = type;
        }
        if (dissect_ethertype(&type, sp, pkt) != DISSECT_OK)
            return pkt->status;
        if (type != ETH_IPV4 && type != ETH_IPV6) {
            if (via == TUNNEL_NONE) /* ARP, LLDP, 802.3 …: nothing to analyse */
                layer_mark(pkt, DISSECT_NO_MATCH, ANOM_NONE);
            return pkt->status;
        }
        enum dissect_status st =
            type == ETH_IPV4 ? ipv4_dissect(sp, pkt, via) : ipv6_dissect(sp, pkt, via);
        if (st != DISSECT_OK || (pkt->layers & LAYER_FRAGMENT))
            return pkt->status;
        via = TUNNEL_NONE;
        if (dissect_transport(sp, pkt, &type, &via) != DISSECT_OK || via == TUNNEL_NONE)
            return pkt->status;
        if (pkt->tunnel_depth >= PACKET_MAX_TUNNEL) {
            layer_mark(pkt, DISSECT_MALFORMED, ANOM_TUNNEL_TOO_DEEP);
            return pkt->status;
        }
    }
}

/*
 * The bytes to read: a NULL frame reads as an empty one from a real address, since the
 * cursor's pointer steps (even by 0) must not start from NULL.
 */
static const uint8_t *
dissect_bytes(const uint8_t *data, uint32_t *len)
{
    static const uint8_t empty[1];

    if (data != NULL)
        return data;
    *len = 0;
    return empty;
}

/* Zero pkt but the caller's frame fields and, when keep_link, the link and tunnel fields. */
static void
dissect_reset(struct packet *pkt, bool keep_link)
{
    if (!keep_link) {
        /* The per-frame path: keep five fields, without copying the whole struct first. */
        uint64_t frame = pkt->frame;
        int64_t ts_ns = pkt->ts_ns;
        uint32_t caplen = pkt->caplen, wirelen = pkt->wirelen;
        uint16_t file = pkt->file;
        /* Two halves: gcc inlines each as a few vector stores instead of `rep stos`, whose
         * start-up cost was a third of the whole dissection of a UDP frame. */
        char *bytes = (char *)pkt;
        memset(bytes, 0, offsetof(struct packet, frag) / 2);
        memset(bytes + offsetof(struct packet, frag) / 2, 0,
               offsetof(struct packet, frag) - offsetof(struct packet, frag) / 2);
        pkt->quote.valid = false;
        pkt->frame = frame;
        pkt->ts_ns = ts_ns;
        pkt->caplen = caplen;
        pkt->wirelen = wirelen;
        pkt->file = file;
        return;
    }
    struct packet old = *pkt;

    memset(pkt, 0, sizeof *pkt);
    pkt->frame = old.frame;
    pkt->ts_ns = old.ts_ns;
    pkt->caplen = old.caplen;
    pkt->wirelen = old.wirelen;
    pkt->file = old.file;
    if (!keep_link)
        return;
    pkt->layers = old.layers & (LAYER_LINK | LAYER_VLAN | LAYER_TUNNEL);
    pkt->dlt = old.dlt;
    pkt->ethertype = old.ethertype;
    pkt->vlan_count = old.vlan_count;
    memcpy(pkt->vlan, old.vlan, sizeof pkt->vlan);
    pkt->tunnel_depth = old.tunnel_depth;
    pkt->tunnel = old.tunnel;
}

enum dissect_status
dissect_frame(int dlt, const uint8_t *data, uint32_t caplen, struct packet *pkt)
{
    dissect_reset(pkt, false);
    pkt->dlt = dlt;
    link_fn decode = dissect_link_fn(dlt);
    if (decode == NULL)
        return layer_mark(pkt, DISSECT_NO_MATCH, ANOM_LINK_UNSUPPORTED);

    /* The record's wire length bounds every length field; below caplen it is taken as caplen. */
    data = dissect_bytes(data, &caplen);
    struct span s = span_make(data, caplen, pkt->wirelen);
    uint16_t type = 0;
    if (decode(&s, pkt, &type) != DISSECT_OK)
        return pkt->status;
    pkt->ethertype = type;
    return dissect_walk(type, &s, pkt);
}

enum dissect_status
dissect_ip(const uint8_t *data, uint32_t len, struct packet *pkt)
{
    dissect_reset(pkt, true);
    data = dissect_bytes(data, &len);
    struct span s = span_make(data, len, len);
    uint16_t type = (cursor_peek(&s.c, 0) >> 4) == 6 ? ETH_IPV6 : ETH_IPV4;
    return dissect_walk(type, &s, pkt);
}

int
dissect_link_supported(int dlt)
{
    return dissect_link_fn(dlt) != NULL;
}

const char *
dissect_anomaly_name(enum anomaly a)
{
    if ((unsigned)a >= ANOM__COUNT || anomaly_rows[a].name == NULL)
        return "packet.unknown";
    return anomaly_rows[a].name;
}

int
dissect_anomaly_is_truncation(enum anomaly a)
{
    return (unsigned)a < ANOM__COUNT && anomaly_rows[a].truncation;
}

char *
ip_addr_format(const struct ip_addr *a, char *buf, unsigned buflen)
{
    if (buf == NULL || buflen == 0)
        return buf;
    buf[0] = '\0';
    int af = a->family == 4 ? AF_INET : a->family == 6 ? AF_INET6 : AF_UNSPEC;
    if (af != AF_UNSPEC && inet_ntop(af, a->a, buf, buflen) == NULL)
        buf[0] = '\0'; /* buffer too small */
    return buf;
}

/*
 * The strict dotted quad inet_pton(AF_INET) reads (four decimal parts of at most 255, no
 * leading zero) into out, without its locale-free loop; false for anything else, which then
 * goes to inet_pton itself.
 */
static bool
quad_fast(const char *s, uint8_t out[4])
{
    for (int part = 0; part < 4; part++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned v = (unsigned)(*s++ - '0');
        for (int d = 1; *s >= '0' && *s <= '9'; d++) {
            if (d == 3 || v == 0)
                return false; /* a fourth digit, or a leading zero */
            v = v * 10 + (unsigned)(*s++ - '0');
        }
        if (v > 255)
            return false;
        out[part] = (uint8_t)v;
        if (part < 3 && *s++ != '.')
            return false;
    }
    return *s == 0;
}

bool
ip_addr_parse(const char *host, struct ip_addr *out)
{
    char buf[IP_ADDR_TEXT_MAX];
    memset(out, 0, sizeof *out);
    uint8_t quad[4];
    if (quad_fast(host, quad)) {
        memcpy(out->a, quad, 4);
        out->family = 4;
        return true;
    }
    size_t n = strlen(host);
    if (n >= sizeof buf)
        return false;
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = 0;
    } else {
        memcpy(buf, host, n + 1);
    }
    if (inet_pton(AF_INET, buf, out->a) == 1) {
        out->family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out->a) == 1) {
        out->family = 6;
        return true;
    }
    return false;
}
