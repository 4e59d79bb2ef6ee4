/* ipv6.c — IPv6 header and extension-header chain (RFC 8200), fragments flagged (§4.5). */
#include "ipv6.h"

#define IPV6_FRAG_OFFSET_MASK 0xfff8
#define IPV6_FRAG_MORE 0x0001

/* The fixed 40 bytes, read before anything is trusted. */
struct ipv6_fixed {
    uint32_t ver_class_flow;
    uint16_t payload_len;
    uint8_t next;
    uint8_t hop_limit;
    struct ip_addr src, dst;
};

/* RFC 8200 §4 lengths; AH counts 4-byte units (RFC 4302). Contract in ipv6.h. */
uint32_t
ipv6_ext_len(uint8_t nh, uint8_t len_field)
{
    switch (nh) {
    case PROTO_HOPOPT:
    case PROTO_ROUTING:
    case PROTO_DSTOPTS:
        return ((uint32_t)len_field + 1) * 8; /* in 8-byte units, not counting the first 8 */
    case PROTO_FRAGMENT:
        return 8;
    case PROTO_AH:
        return ((uint32_t)len_field + 2) * 4; /* in 4-byte units, minus 2 (RFC 4302 §2.2) */
    default:
        return 0;
    }
}

/* Read the fixed header from the front of s; false when the capture ends inside it. */
static bool
ipv6_read_fixed(struct span *s, struct ipv6_fixed *f)
{
    struct cursor h = span_take(s, IPV6_HDR_LEN).c;
    f->ver_class_flow = cursor_be32(&h);
    f->payload_len = cursor_be16(&h);
    f->next = cursor_u8(&h);
    f->hop_limit = cursor_u8(&h);
    layer_read_addr(&h, 6, &f->src);
    layer_read_addr(&h, 6, &f->dst);
    return cursor_ok(&h);
}

/* Describe the accepted fixed header in pkt: addresses, hop limit, the l3 window, the tunnel. */
static void
ipv6_record(struct packet *pkt, const struct ipv6_fixed *f, const uint8_t *l3, uint32_t total,
            uint32_t captured, enum tunnel_kind via)
{
    layer_enter_ip(pkt, LAYER_IPV6, via);
    pkt->ip_version = 6;
    pkt->src = f->src;
    pkt->dst = f->dst;
    pkt->ip_proto = f->next;
    pkt->ttl = f->hop_limit;
    pkt->l3 = l3;
    pkt->l3_wire_len = total;
    pkt->l3_len = captured < total ? captured : total;
}

/*
 * The rest of a fragment header (h after its Next Header byte, next = that byte; s = the data
 * after it). Flags the fragment and returns true, or returns false for an atomic fragment
 * (offset 0, M clear), which RFC 6946 says to process as a whole datagram.
 */
static bool
ipv6_fragment(struct packet *pkt, struct cursor *h, uint8_t next, const struct span *s)
{
    cursor_skip(h, 1); /* reserved */
    uint16_t off_m = cursor_be16(h);
    uint32_t id = cursor_be32(h);
    if ((off_m & (IPV6_FRAG_OFFSET_MASK | IPV6_FRAG_MORE)) == 0)
        return false;
    struct ip_fragment *fr = &pkt->frag;
    fr->id = id;
    fr->offset = off_m & IPV6_FRAG_OFFSET_MASK; /* 8-byte units in the top 13 bits */
    fr->more = (off_m & IPV6_FRAG_MORE) != 0;
    fr->next_proto = next;
    fr->hdr = pkt->l3;
    fr->hdr_len = IPV6_HDR_LEN;
    fr->data = cursor_ptr(&s->c);
    fr->data_len = span_left(s);
    fr->data_wire_len = s->wire;
    pkt->layers |= LAYER_FRAGMENT;
    return true;
}

/*
 * Follow the extension-header chain at the front of s, *nh being the first Next Header.
 * Returns DISSECT_OK with s at the header *nh names (or after a fragment header, flagged);
 * otherwise records why it stopped and returns the status.
 */
static enum dissect_status
ipv6_walk(struct span *s, struct packet *pkt, uint8_t *nh)
{
    for (unsigned n = 0; ipv6_ext_len(*nh, 0) != 0; n++) {
        if (n == IPV6_MAX_EXT)
            return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV6_TOO_MANY_EXT);
        /* Unknown when not captured: then the minimum, and the header is cut anyway. */
        uint32_t len = ipv6_ext_len(*nh, cursor_peek(&s->c, 1));
        if (len > s->wire)
            return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV6_BAD_EXTHDR);
        struct cursor h = span_take(s, len).c;
        if (cursor_left(&h) < len)
            return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_IPV6_TRUNCATED);
        uint8_t type = *nh;
        *nh = cursor_u8(&h);
        if (type == PROTO_FRAGMENT && ipv6_fragment(pkt, &h, *nh, s))
            return DISSECT_OK;
    }
    return DISSECT_OK;
}

/* Fixed header, version, payload length within the wire, then the extension headers. */
enum dissect_status
ipv6_dissect(struct span *s, struct packet *pkt, enum tunnel_kind via)
{
    const uint8_t *l3 = cursor_ptr(&s->c);
    uint32_t captured = span_left(s);
    struct ipv6_fixed f;

    if (!ipv6_read_fixed(s, &f))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_IPV6_TRUNCATED);
    if ((f.ver_class_flow >> 28) != 6)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV6_BAD_VERSION);
    uint32_t plen = f.payload_len;
    /* Payload length 0 with something next: a jumbogram (RFC 2675) or a GSO super-frame. */
    if (plen == 0 && f.next != PROTO_NONE)
        plen = s->wire;
    if (plen > s->wire)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IP_LENGTH_EXCEEDS);

    ipv6_record(pkt, &f, l3, IPV6_HDR_LEN + plen, captured, via);
    if (IPV6_HDR_LEN + plen > captured)
        layer_mark(pkt, DISSECT_TRUNCATED, ANOM_IP_PAYLOAD_CUT);
    struct span payload = span_take(s, plen);
    *s = payload;
    uint8_t nh = f.next;
    enum dissect_status st = ipv6_walk(s, pkt, &nh);
    pkt->ip_proto = nh;
    return st;
}
