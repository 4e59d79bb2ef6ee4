/* ipv4.c — IPv4 header (RFC 791): the length ladder, options checked, fragments flagged. */
#include "ipv4.h"

#define IPV4_MIN_HDR 20
#define IPV4_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff
#define IPOPT_EOL 0
#define IPOPT_NOP 1

/* The fixed 20 bytes, read before anything is trusted. */
struct ipv4_fixed {
    uint8_t ver_ihl;
    uint16_t total;
    uint16_t id;
    uint16_t frag;
    uint8_t ttl;
    uint8_t proto;
    struct ip_addr src, dst;
};

/* Read the fixed header from the front of s; false when the capture ends inside it. */
static bool
ipv4_read_fixed(struct span *s, struct ipv4_fixed *f)
{
    struct cursor h = span_take(s, IPV4_MIN_HDR).c;
    f->ver_ihl = cursor_u8(&h);
    cursor_skip(&h, 1); /* DSCP/ECN */
    f->total = cursor_be16(&h);
    f->id = cursor_be16(&h);
    f->frag = cursor_be16(&h);
    f->ttl = cursor_u8(&h);
    f->proto = cursor_u8(&h);
    cursor_skip(&h, 2); /* checksum: offloading makes it meaningless in captures */
    layer_read_addr(&h, 4, &f->src);
    layer_read_addr(&h, 4, &f->dst);
    return cursor_ok(&h);
}

/*
 * Field sanity for header length hlen and total length total against the wire bytes from
 * the header on. Returns DISSECT_OK, or records the malformation and returns its status.
 */
static enum dissect_status
ipv4_check_lengths(struct packet *pkt, uint32_t hlen, uint32_t total, uint32_t wire)
{
    if (hlen < IPV4_MIN_HDR)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV4_BAD_IHL);
    if (total < IPV4_MIN_HDR)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV4_BAD_TOTAL_LEN);
    if (hlen > total)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV4_BAD_IHL);
    if (total > wire)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IP_LENGTH_EXCEEDS);
    return DISSECT_OK;
}

/* Whether an options area is well formed: EOL, NOP, or type-length-value inside the area. */
static bool
ipv4_options_ok(struct cursor c)
{
    while (cursor_left(&c) > 0) {
        uint8_t kind = cursor_u8(&c);
        if (kind == IPOPT_EOL)
            return true; /* the rest is padding */
        if (kind == IPOPT_NOP)
            continue;
        uint8_t len = cursor_u8(&c);
        if (!cursor_ok(&c) || len < 2 || (size_t)len - 2 > cursor_left(&c))
            return false;
        cursor_skip(&c, (size_t)len - 2);
    }
    return true;
}

/* Describe the accepted header in pkt: addresses, protocol, the l3 window, the tunnel. */
static void
ipv4_record(struct packet *pkt, const struct ipv4_fixed *f, const uint8_t *l3, uint32_t total,
            uint32_t captured, enum tunnel_kind via)
{
    layer_enter_ip(pkt, LAYER_IPV4, via);
    pkt->ip_version = 4;
    pkt->src = f->src;
    pkt->dst = f->dst;
    pkt->ip_proto = f->proto;
    pkt->ttl = f->ttl;
    pkt->l3 = l3;
    pkt->l3_wire_len = total;
    pkt->l3_len = captured < total ? captured : total;
}

/* Flag a fragment (first or later) and describe it for the reassembler; s is its data. */
static void
ipv4_record_fragment(struct packet *pkt, const struct ipv4_fixed *f, uint32_t hlen,
                     const struct span *s)
{
    struct ip_fragment *fr = &pkt->frag;
    fr->id = f->id;
    fr->offset = (uint32_t)(f->frag & IPV4_OFFSET_MASK) * 8;
    fr->more = (f->frag & IPV4_MF) != 0;
    fr->next_proto = f->proto;
    fr->hdr = pkt->l3;
    fr->hdr_len = hlen;
    fr->data = cursor_ptr(&s->c);
    fr->data_len = span_left(s);
    fr->data_wire_len = s->wire;
    pkt->layers |= LAYER_FRAGMENT;
}

/* The ladder: fixed header, version, IHL/total sanity, total within the wire, options. */
enum dissect_status
ipv4_dissect(struct span *s, struct packet *pkt, enum tunnel_kind via)
{
    const uint8_t *l3 = cursor_ptr(&s->c);
    uint32_t captured = span_left(s);
    uint32_t wire = s->wire;
    struct ipv4_fixed f;

    if (!ipv4_read_fixed(s, &f))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_IPV4_TRUNCATED);
    if ((f.ver_ihl >> 4) != 4)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV4_BAD_VERSION);
    uint32_t hlen = (uint32_t)(f.ver_ihl & 0x0f) * 4;
    /* Total length 0 is what TSO/GSO leaves in captured super-frames: the frame is the packet. */
    uint32_t total = f.total != 0 ? f.total : wire;
    enum dissect_status st = ipv4_check_lengths(pkt, hlen, total, wire);
    if (st != DISSECT_OK)
        return st;

    struct cursor opt = span_take(s, hlen - IPV4_MIN_HDR).c;
    if (cursor_left(&opt) < hlen - IPV4_MIN_HDR)
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_IPV4_TRUNCATED);
    if (!ipv4_options_ok(opt))
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_IPV4_BAD_OPTION);

    ipv4_record(pkt, &f, l3, total, captured, via);
    if (total > captured)
        layer_mark(pkt, DISSECT_TRUNCATED, ANOM_IP_PAYLOAD_CUT);
    struct span payload = span_take(s, total - hlen);
    *s = payload;
    if (f.frag & (IPV4_MF | IPV4_OFFSET_MASK))
        ipv4_record_fragment(pkt, &f, hlen, s);
    return DISSECT_OK;
}
