/* icmp.c — ICMP (RFC 792) and ICMPv6 (RFC 4443): type, code, and the packet an error quotes. */
#include "icmp.h"
#include "ipv6.h"

#define ICMP_HDR_LEN 8 /* type, code, checksum and the 4 type-specific bytes */
#define IPV4_OFFSET_MASK 0x1fff
#define IPV6_FRAG_OFFSET_MASK 0xfff8

enum icmp_error_type {
    ICMP_UNREACH = 3,
    ICMP_SOURCE_QUENCH = 4,
    ICMP_REDIRECT = 5,
    ICMP_TIME_EXCEEDED = 11,
    ICMP_PARAM_PROBLEM = 12,
    ICMP6_UNREACH = 1,
    ICMP6_PARAM_PROBLEM = 4, /* 2 packet too big, 3 time exceeded lie between */
};

/* Whether an ICMP (version 4) or ICMPv6 (6) type is an error that quotes the offending packet. */
static bool
icmp_is_error(uint8_t type, uint8_t version)
{
    if (version == 6)
        return type >= ICMP6_UNREACH && type <= ICMP6_PARAM_PROBLEM;
    switch (type) {
    case ICMP_UNREACH:
    case ICMP_SOURCE_QUENCH:
    case ICMP_REDIRECT:
    case ICMP_TIME_EXCEEDED:
    case ICMP_PARAM_PROBLEM:
        return true;
    default:
        return false;
    }
}

/* Read the two ports of a quoted transport that starts with them; true when there or n/a. */
static bool
icmp_quote_ports(struct cursor *c, struct icmp_quote *q)
{
    switch (q->proto) {
    case PROTO_TCP:
    case PROTO_UDP:
    case PROTO_DCCP:
    case PROTO_SCTP:
    case PROTO_UDPLITE:
        q->sport = cursor_be16(c);
        q->dport = cursor_be16(c);
        return cursor_ok(c);
    default:
        return true; /* ICMP, GRE …: the protocol alone identifies it */
    }
}

/* Decode a quoted IPv4 header and the ports after it from c into q; false when it cannot. */
static bool
icmp_quote_v4(struct cursor c, struct icmp_quote *q)
{
    uint8_t ver_ihl = cursor_u8(&c);
    cursor_skip(&c, 5); /* DSCP/ECN, total length, identification */
    uint16_t frag = cursor_be16(&c);
    cursor_skip(&c, 1); /* TTL */
    q->proto = cursor_u8(&c);
    cursor_skip(&c, 2); /* checksum */
    layer_read_addr(&c, 4, &q->src);
    layer_read_addr(&c, 4, &q->dst);
    if (!cursor_ok(&c) || (ver_ihl >> 4) != 4 || (ver_ihl & 0x0f) < 5)
        return false;
    cursor_skip(&c, (size_t)((ver_ihl & 0x0f) - 5) * 4);
    q->ip_version = 4;
    if (frag & IPV4_OFFSET_MASK)
        return cursor_ok(&c); /* a later fragment carries no transport header */
    return cursor_ok(&c) && icmp_quote_ports(&c, q);
}

/*
 * Step c over the quoted extension headers, *nh being the first Next Header; *later_frag is
 * set when a fragment header with a non-zero offset is met. False when the chain is cut or
 * longer than IPV6_MAX_EXT.
 */
static bool
icmp_quote_ext(struct cursor *c, uint8_t *nh, bool *later_frag)
{
    for (unsigned n = 0;; n++) {
        uint32_t len = ipv6_ext_len(*nh, cursor_peek(c, 1));
        if (len == 0)
            return cursor_ok(c);
        if (n == IPV6_MAX_EXT)
            return false;
        if (*nh == PROTO_FRAGMENT) {
            uint16_t off = (uint16_t)(cursor_peek(c, 2) << 8 | cursor_peek(c, 3));
            *later_frag = (off & IPV6_FRAG_OFFSET_MASK) != 0;
        }
        *nh = cursor_peek(c, 0);
        cursor_skip(c, len);
        if (*later_frag)
            return cursor_ok(c);
    }
}

/* Decode a quoted IPv6 header, its extension headers and the ports from c into q. */
static bool
icmp_quote_v6(struct cursor c, struct icmp_quote *q)
{
    uint8_t version = cursor_u8(&c) >> 4;
    cursor_skip(&c, 5); /* traffic class, flow label, payload length */
    uint8_t nh = cursor_u8(&c);
    cursor_skip(&c, 1); /* hop limit */
    layer_read_addr(&c, 6, &q->src);
    layer_read_addr(&c, 6, &q->dst);
    if (!cursor_ok(&c) || version != 6)
        return false;
    q->ip_version = 6;
    bool later_frag = false;
    if (!icmp_quote_ext(&c, &nh, &later_frag))
        return false;
    q->proto = nh;
    return later_frag || icmp_quote_ports(&c, q);
}

/* The 8-byte header; for an error, the quote (a bad quote leaves the status alone). */
enum dissect_status
icmp_dissect(struct span *s, struct packet *pkt)
{
    struct cursor h = span_take(s, ICMP_HDR_LEN).c;
    uint8_t type = cursor_u8(&h);
    uint8_t code = cursor_u8(&h);
    cursor_skip(&h, 6); /* checksum, type-specific word */
    if (!cursor_ok(&h))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_ICMP_TRUNCATED);
    pkt->layers |= LAYER_ICMP;
    pkt->icmp_type = type;
    pkt->icmp_code = code;
    if (!icmp_is_error(type, pkt->ip_version))
        return DISSECT_OK;

    struct icmp_quote q = {0};
    bool ok = pkt->ip_version == 6 ? icmp_quote_v6(s->c, &q) : icmp_quote_v4(s->c, &q);
    if (!ok)
        return layer_mark(pkt, DISSECT_OK, ANOM_ICMP_QUOTE_BAD);
    q.valid = true;
    pkt->quote = q;
    return DISSECT_OK;
}
