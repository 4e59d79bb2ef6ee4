/* link.c — Ethernet, 802.1Q/ad, Linux SLL/SLL2, BSD NULL/LOOP, PPP (RFC 1661), PPPoE (RFC 2516). */
#include "link.h"

#define ETH_HDR_LEN 14
#define ETH_MIN_TYPE 0x0600 /* below: an 802.3 length field, LLC follows */
#define SLL_HDR_LEN 16
#define SLL2_HDR_LEN 20
#define NULL_HDR_LEN 4
#define VLAN_TAG_LEN 4
#define VLAN_ID_MASK 0x0fff
#define PPPOE_HDR_LEN 6
#define PPPOE_VER_TYPE 0x11 /* version 1, type 1 */
#define PPPOE_SESSION 0x00  /* code of session-stage frames */
#define HDLC_ALL_STATIONS 0xff
#define HDLC_UI 0x03
#define CHDLC_UNICAST 0x0f
#define CHDLC_MULTICAST 0x8f

enum ppp_proto {
    PPP_IPV4 = 0x0021,
    PPP_IPV6 = 0x0057,
};

/* BSD address families meaning IPv4 / IPv6 (INET6 differs per OS: Linux, *BSD, FreeBSD, Darwin). */
enum bsd_af {
    BSD_AF_INET = 2,
    BSD_AF_INET6_LINUX = 10,
    BSD_AF_INET6_BSD = 24,
    BSD_AF_INET6_FREEBSD = 28,
    BSD_AF_INET6_DARWIN = 30,
};

/* Record that the frame ends inside its link header; returns DISSECT_TRUNCATED. */
static enum dissect_status
link_cut(struct packet *pkt)
{
    return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_LINK_TRUNCATED);
}

/* Record an impossible link header; returns DISSECT_MALFORMED. */
static enum dissect_status
link_bad(struct packet *pkt)
{
    return layer_mark(pkt, DISSECT_MALFORMED, ANOM_LINK_MALFORMED);
}

/* The ethertype a link header names, or 0 for an 802.3 length / non-Ethernet value. */
static uint16_t
link_type_value(uint16_t t)
{
    return t >= ETH_MIN_TYPE ? t : 0;
}

/* The ethertype of a PPP protocol number; 0 for anything but IPv4/IPv6 (LCP, IPCP …). */
static uint16_t
ppp_ethertype(uint16_t proto)
{
    switch (proto) {
    case PPP_IPV4:
        return ETH_IPV4;
    case PPP_IPV6:
        return ETH_IPV6;
    default:
        return 0;
    }
}

/* Ethernet II: two MACs and the ethertype; an 802.3 length names nothing (LLC follows). */
enum dissect_status
link_ether(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, ETH_HDR_LEN).c;
    cursor_skip(&h, 12); /* destination and source MAC */
    uint16_t t = cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    pkt->layers |= LAYER_LINK;
    *type = link_type_value(t);
    return DISSECT_OK;
}

/* Linux cooked v1: 16 bytes, the protocol (an ethertype for IP) last. */
enum dissect_status
link_sll(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, SLL_HDR_LEN).c;
    cursor_skip(&h, 14); /* packet type, ARPHRD type, address length, 8 address bytes */
    uint16_t proto = cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    pkt->layers |= LAYER_LINK;
    *type = link_type_value(proto); /* 1, 4, 0xc …: 802.3, 802.2, CAN frames */
    return DISSECT_OK;
}

/* Linux cooked v2: 20 bytes, the protocol first, then a reserved field that must be 0. */
enum dissect_status
link_sll2(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, SLL2_HDR_LEN).c;
    uint16_t proto = cursor_be16(&h);
    uint16_t mbz = cursor_be16(&h);
    cursor_skip(&h, 16); /* ifindex, ARPHRD type, packet type, address length, address */
    if (!cursor_ok(&h))
        return link_cut(pkt);
    if (mbz != 0) /* the reserved field is written as zero by every libpcap */
        return link_bad(pkt);
    pkt->layers |= LAYER_LINK;
    *type = link_type_value(proto);
    return DISSECT_OK;
}

/*
 * Map a BSD address family to the ethertype that follows: IPv4/IPv6, 0 for another small
 * family value (OSI, AppleTalk …). A value that is no family at all is malformed.
 */
static enum dissect_status
link_family(uint32_t af, struct packet *pkt, uint16_t *type)
{
    switch (af) {
    case BSD_AF_INET:
        *type = ETH_IPV4;
        break;
    case BSD_AF_INET6_LINUX:
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN:
        *type = ETH_IPV6;
        break;
    default:
        if (af > 0xff)
            return link_bad(pkt);
        *type = 0;
        break;
    }
    pkt->layers |= LAYER_LINK;
    return DISSECT_OK;
}

/* BSD NULL: a 4-byte address family in the byte order of the host that wrote the file. */
enum dissect_status
link_null(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, NULL_HDR_LEN).c;
    uint32_t af = cursor_le32(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    /* Written in the writer's byte order: a family is small, so high bits mean swapped. */
    if (af & 0xffff0000u)
        af = __builtin_bswap32(af);
    return link_family(af, pkt, type);
}

/* OpenBSD LOOP: a 4-byte address family in network order. */
enum dissect_status
link_loop(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, NULL_HDR_LEN).c;
    uint32_t af = cursor_be32(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    return link_family(af, pkt, type);
}

/* Cisco HDLC (address 0x0f/0x8f, control, ethertype), met on DLT_PPP_SERIAL links. */
static enum dissect_status
link_chdlc(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, 4).c;
    cursor_skip(&h, 2);
    uint16_t t = cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    pkt->layers |= LAYER_LINK;
    *type = link_type_value(t);
    return DISSECT_OK;
}

/* PPP (DLT_PPP, DLT_PPP_SERIAL): optional 0xff03, a 1- or 2-byte protocol; or Cisco HDLC. */
enum dissect_status
link_ppp(struct span *s, struct packet *pkt, uint16_t *type)
{
    uint8_t b0 = cursor_peek(&s->c, 0);
    if (span_left(s) < 2)
        return link_cut(pkt); /* no PPP frame carrying IP is shorter than 2 + a header */
    if (b0 == CHDLC_UNICAST || b0 == CHDLC_MULTICAST)
        return link_chdlc(s, pkt, type);

    /* Address/control may be omitted (RFC 1662 §3.2); a protocol byte with its low bit set is
     * a compressed one-byte protocol (RFC 1661 §6.5). */
    uint32_t ac = (b0 == HDLC_ALL_STATIONS && cursor_peek(&s->c, 1) == HDLC_UI) ? 2 : 0;
    uint32_t plen = (cursor_peek(&s->c, ac) & 1) ? 1 : 2;
    struct cursor h = span_take(s, ac + plen).c;
    cursor_skip(&h, ac);
    uint16_t proto = plen == 1 ? cursor_u8(&h) : cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    pkt->layers |= LAYER_LINK;
    *type = ppp_ethertype(proto);
    return DISSECT_OK;
}

/* Raw IP: no header; the version nibble chooses. */
enum dissect_status
link_raw(struct span *s, struct packet *pkt, uint16_t *type)
{
    (void)pkt;
    /* No link header: the version nibble says which IP. Anything but 6 goes to IPv4, which
     * reports a wrong version as packet.ipv4.bad_version. */
    *type = (cursor_peek(&s->c, 0) >> 4) == 6 ? ETH_IPV6 : ETH_IPV4;
    return DISSECT_OK;
}

/* DLT_IPV4: no header, IPv4 announced. */
enum dissect_status
link_raw_ipv4(struct span *s, struct packet *pkt, uint16_t *type)
{
    (void)s;
    (void)pkt;
    *type = ETH_IPV4;
    return DISSECT_OK;
}

/* DLT_IPV6: no header, IPv6 announced. */
enum dissect_status
link_raw_ipv6(struct span *s, struct packet *pkt, uint16_t *type)
{
    (void)s;
    (void)pkt;
    *type = ETH_IPV6;
    return DISSECT_OK;
}

/* One 4-byte tag (TCI, ethertype); more than PACKET_MAX_VLAN tags is an anomaly. */
enum dissect_status
link_vlan(struct span *s, struct packet *pkt, uint16_t *type)
{
    if (pkt->vlan_count >= PACKET_MAX_VLAN)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_VLAN_TOO_DEEP);
    struct cursor h = span_take(s, VLAN_TAG_LEN).c;
    uint16_t tci = cursor_be16(&h);
    uint16_t t = cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    pkt->vlan[pkt->vlan_count++] = tci & VLAN_ID_MASK;
    pkt->layers |= LAYER_VLAN;
    *type = link_type_value(t);
    return DISSECT_OK;
}

/* PPPoE session: version/type 0x11, code 0, a length within the frame, then PPP. */
enum dissect_status
link_pppoe(struct span *s, struct packet *pkt, uint16_t *type)
{
    struct cursor h = span_take(s, PPPOE_HDR_LEN).c;
    uint8_t ver_type = cursor_u8(&h);
    uint8_t code = cursor_u8(&h);
    cursor_skip(&h, 2); /* session id */
    uint16_t len = cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    /* The length covers the PPP protocol field and what follows it. */
    if (ver_type != PPPOE_VER_TYPE || code != PPPOE_SESSION || len < 2 || len > s->wire)
        return link_bad(pkt);
    struct span ppp = span_take(s, len); /* Ethernet padding after the PPP frame is dropped */
    *s = ppp;
    h = span_take(s, 2).c;
    uint16_t proto = cursor_be16(&h);
    if (!cursor_ok(&h))
        return link_cut(pkt);
    *type = ppp_ethertype(proto);
    return DISSECT_OK;
}
