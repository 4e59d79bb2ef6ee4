/* tunnel.c — GRE (RFC 2784, RFC 2890), ERSPAN II/III (draft-foschiano-erspan), VXLAN (RFC 7348). */
#include "tunnel.h"

#define GRE_HDR_LEN 4
#define GRE_C 0x8000          /* checksum + reserved1 present */
#define GRE_K 0x2000          /* key present (RFC 2890) */
#define GRE_S 0x1000          /* sequence number present (RFC 2890) */
#define GRE_UNFOLLOWED 0x4c00 /* RFC 1701 routing, strict route, recursion: RFC 2784 discards */
#define GRE_VERSION 0x0007
#define GRE_VERSION_PPTP 1 /* enhanced GRE (RFC 2637): PPP inside, not followed */
#define GRE_PROTO_ERSPAN2 0x88be
#define GRE_PROTO_ERSPAN3 0x22eb
#define ERSPAN2_HDR_LEN 8
#define ERSPAN2_VERSION 1
#define ERSPAN3_HDR_LEN 12
#define ERSPAN3_VERSION 2
#define ERSPAN3_SUBHDR_LEN 8 /* platform-specific sub-header, when O is set */
#define ERSPAN3_FT_ETHERNET 0
#define VXLAN_HDR_LEN 8
#define VXLAN_FLAG_I 0x08 /* VNI valid: required */

/*
 * The ERSPAN type II header, present only when GRE carried a sequence number (type I has
 * none and the mirrored frame follows the GRE header at once).
 */
static enum dissect_status
tunnel_erspan2(struct span *s, struct packet *pkt, bool has_seq, uint16_t *type,
               enum tunnel_kind *via)
{
    if (has_seq) {
        struct cursor h = span_take(s, ERSPAN2_HDR_LEN).c;
        uint16_t ver_vlan = cursor_be16(&h);
        cursor_skip(&h, 6); /* COS, encapsulation, T, session id, reserved, index */
        if (!cursor_ok(&h))
            return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_ERSPAN_MALFORMED);
        if ((ver_vlan >> 12) != ERSPAN2_VERSION)
            return layer_mark(pkt, DISSECT_MALFORMED, ANOM_ERSPAN_MALFORMED);
    }
    *type = ETH_TEB;
    *via = TUNNEL_ERSPAN;
    return DISSECT_OK;
}

/* The ERSPAN type III header and, when its O flag is set, the platform sub-header. */
static enum dissect_status
tunnel_erspan3(struct span *s, struct packet *pkt, uint16_t *type, enum tunnel_kind *via)
{
    struct cursor h = span_take(s, ERSPAN3_HDR_LEN).c;
    uint16_t ver_vlan = cursor_be16(&h);
    cursor_skip(&h, 8);              /* COS, BSO, T, session id, timestamp, SGT */
    uint16_t bits = cursor_be16(&h); /* P, FT(5), HW id(6), D, Gra(2), O */
    if (!cursor_ok(&h))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_ERSPAN_MALFORMED);
    if ((ver_vlan >> 12) != ERSPAN3_VERSION)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_ERSPAN_MALFORMED);
    if (bits & 0x0001) {
        struct cursor sub = span_take(s, ERSPAN3_SUBHDR_LEN).c;
        if (cursor_left(&sub) < ERSPAN3_SUBHDR_LEN)
            return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_ERSPAN_MALFORMED);
    }
    if (((bits >> 10) & 0x1f) != ERSPAN3_FT_ETHERNET)
        return DISSECT_OK; /* a mirrored IP frame without Ethernet: not followed */
    *type = ETH_TEB;
    *via = TUNNEL_ERSPAN;
    return DISSECT_OK;
}

/* GRE version 0 with optional checksum, key, sequence; what it carries by protocol type. */
enum dissect_status
tunnel_gre(struct span *s, struct packet *pkt, uint16_t *type, enum tunnel_kind *via)
{
    struct cursor h = span_take(s, GRE_HDR_LEN).c;
    uint16_t flags = cursor_be16(&h);
    uint16_t proto = cursor_be16(&h);
    if (!cursor_ok(&h))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_GRE_MALFORMED);
    uint16_t version = flags & GRE_VERSION;
    if (version == GRE_VERSION_PPTP)
        return DISSECT_OK;
    if (version != 0 || (flags & GRE_UNFOLLOWED))
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_GRE_MALFORMED);

    /* Checksum+reserved, key and sequence number: 4 bytes each, in that order, when flagged. */
    uint32_t opt = 4u * (((flags & GRE_C) != 0) + ((flags & GRE_K) != 0) + ((flags & GRE_S) != 0));
    struct cursor o = span_take(s, opt).c;
    if (cursor_left(&o) < opt)
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_GRE_MALFORMED);

    switch (proto) {
    case ETH_IPV4:
    case ETH_IPV6:
    case ETH_TEB:
        *type = proto;
        *via = TUNNEL_GRE;
        return DISSECT_OK;
    case GRE_PROTO_ERSPAN2:
        return tunnel_erspan2(s, pkt, (flags & GRE_S) != 0, type, via);
    case GRE_PROTO_ERSPAN3:
        return tunnel_erspan3(s, pkt, type, via);
    default:
        return DISSECT_OK; /* PPP, MPLS, keep-alives …: the GRE packet is what we describe */
    }
}

/* The 8-byte VXLAN header: the I flag must be set; an Ethernet frame follows. */
enum dissect_status
tunnel_vxlan(struct span *s, struct packet *pkt, uint16_t *type, enum tunnel_kind *via)
{
    struct cursor h = span_take(s, VXLAN_HDR_LEN).c;
    uint8_t flags = cursor_u8(&h);
    cursor_skip(&h, 7); /* reserved, VNI, reserved */
    if (!cursor_ok(&h))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_VXLAN_MALFORMED);
    if (!(flags & VXLAN_FLAG_I))
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_VXLAN_MALFORMED);
    *type = ETH_TEB;
    *via = TUNNEL_VXLAN;
    return DISSECT_OK;
}
