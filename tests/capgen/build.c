/* build.c — packet builder: link, IP (RFC 791 / RFC 8200), UDP (RFC 768), TCP (RFC 9293),
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) headers with their lengths and checksums. */
#include "build.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A programming error in a scenario: say what and stop (all inputs are compiled in). */
static void
build_fatal(const char *what)
{
    fprintf(stderr, "capgen: build: %s\n", what);
    abort();
}

struct build_addr
build_addr(const char *text)
{
    struct build_addr a;
    memset(&a, 0, sizeof a);
    if (inet_pton(AF_INET, text, a.a) == 1) {
        a.family = 4;
    } else if (inet_pton(AF_INET6, text, a.a) == 1) {
        a.family = 6;
    } else {
        build_fatal("bad address literal");
    }
    return a;
}

char *
build_addr_text(const struct build_addr *a, char *buf, bool bracket6)
{
    char tmp[INET6_ADDRSTRLEN];
    if (a->family == 4) {
        inet_ntop(AF_INET, a->a, buf, 46);
        return buf;
    }
    inet_ntop(AF_INET6, a->a, tmp, sizeof tmp);
    snprintf(buf, 46, bracket6 ? "[%s]" : "%s", tmp);
    return buf;
}

void
build_start(struct build *b, const void *payload, uint32_t len)
{
    if (len > BUILD_CAP - BUILD_HEADROOM)
        build_fatal("payload too large");
    b->off = BUILD_HEADROOM;
    b->len = len;
    if (len)
        memcpy(b->buf + b->off, payload, len);
}

uint8_t *
build_prepend(struct build *b, uint32_t n)
{
    if (n > b->off)
        build_fatal("headroom exhausted");
    b->off -= n;
    b->len += n;
    memset(b->buf + b->off, 0, n);
    return b->buf + b->off;
}

void
build_append(struct build *b, const void *data, uint32_t n)
{
    if (n > BUILD_CAP - b->off - b->len)
        build_fatal("capacity exhausted");
    if (data)
        memcpy(b->buf + b->off + b->len, data, n);
    else
        memset(b->buf + b->off + b->len, 0, n);
    b->len += n;
}

void
build_pad(struct build *b, uint32_t min_len)
{
    if (b->len < min_len)
        build_append(b, NULL, min_len - b->len);
}

uint32_t
build_sum(uint32_t acc, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    uint64_t s = acc;
    while (len > 1) {
        s += (uint32_t)(p[0] << 8 | p[1]);
        p += 2;
        len -= 2;
    }
    if (len)
        s += (uint32_t)p[0] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t
build_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

uint16_t
build_l4_checksum(const struct build_addr *src, const struct build_addr *dst, uint8_t proto,
                  const uint8_t *seg, uint32_t len)
{
    uint8_t ph[8];
    uint32_t acc;
    if (src->family == 4) {
        acc = build_sum(0, src->a, 4);
        acc = build_sum(acc, dst->a, 4);
        ph[0] = 0;
        ph[1] = proto;
        build_put16(ph + 2, (uint16_t)len);
        acc = build_sum(acc, ph, 4);
    } else {
        acc = build_sum(0, src->a, 16);
        acc = build_sum(acc, dst->a, 16);
        build_put32(ph, len);
        ph[4] = ph[5] = ph[6] = 0;
        ph[7] = proto;
        acc = build_sum(acc, ph, 8);
    }
    return build_fold(build_sum(acc, seg, len));
}

void
build_ipv4_fix_checksum(uint8_t *ip)
{
    uint32_t hl = (uint32_t)(ip[0] & 0x0f) * 4;
    ip[10] = ip[11] = 0;
    build_put16(ip + 10, build_fold(build_sum(0, ip, hl)));
}

void
build_eth(struct build *b, const struct eth_spec *e, uint16_t ethertype)
{
    if (e->ntags > BUILD_MAX_TAGS)
        build_fatal("too many VLAN tags");
    uint8_t *h = build_prepend(b, 14u + 4u * e->ntags);
    memcpy(h, e->dst, 6);
    memcpy(h + 6, e->src, 6);
    uint8_t *p = h + 12;
    for (unsigned i = 0; i < e->ntags; i++, p += 4) {
        build_put16(p, e->tpid[i]);
        build_put16(p + 2, e->tci[i]);
    }
    build_put16(p, ethertype);
}

void
build_sll(struct build *b, uint16_t pkttype, const uint8_t mac[6], uint16_t proto)
{
    uint8_t *h = build_prepend(b, 16);
    build_put16(h, pkttype);
    build_put16(h + 2, 1); /* ARPHRD_ETHER */
    build_put16(h + 4, 6);
    memcpy(h + 6, mac, 6); /* 8-byte address field, last two bytes zero */
    build_put16(h + 14, proto);
}

void
build_sll2(struct build *b, uint16_t proto, uint32_t ifindex, uint8_t pkttype, const uint8_t mac[6])
{
    uint8_t *h = build_prepend(b, 20);
    build_put16(h, proto);
    build_put32(h + 4, ifindex); /* h[2..3] reserved, zero */
    build_put16(h + 8, 1);       /* ARPHRD_ETHER */
    h[10] = pkttype;
    h[11] = 6;
    memcpy(h + 12, mac, 6);
}

void
build_null(struct build *b, uint32_t af, bool little_endian)
{
    uint8_t *h = build_prepend(b, 4);
    if (little_endian) {
        h[0] = (uint8_t)af;
        h[1] = (uint8_t)(af >> 8);
        h[2] = (uint8_t)(af >> 16);
        h[3] = (uint8_t)(af >> 24);
    } else {
        build_put32(h, af);
    }
}

void
build_ppp(struct build *b, uint16_t proto)
{
    uint8_t *h = build_prepend(b, 4);
    h[0] = 0xff;
    h[1] = 0x03;
    build_put16(h + 2, proto);
}

void
build_pppoe(struct build *b, uint16_t session, uint16_t ppp_proto)
{
    build_put16(build_prepend(b, 2), ppp_proto);
    uint16_t len = (uint16_t)b->len; /* the PPPoE length covers the PPP protocol field */
    uint8_t *h = build_prepend(b, 6);
    h[0] = 0x11; /* version 1, type 1 */
    h[1] = 0x00; /* code: session data */
    build_put16(h + 2, session);
    build_put16(h + 4, len);
}

/* Prepend one IPv6 extension header of kind type whose next header is nh. */
static void
build_ext(struct build *b, const struct ip_spec *ip, uint8_t type, uint8_t nh)
{
    uint8_t *h;
    switch (type) {
    case BUILD_EXT_HOPOPT:
    case BUILD_EXT_DSTOPT:
        h = build_prepend(b, 8);
        h[0] = nh;
        h[1] = 0;
        h[2] = 1; /* PadN */
        h[3] = 4;
        break;
    case BUILD_EXT_ROUTING:
        h = build_prepend(b, 24);
        h[0] = nh;
        h[1] = 2; /* 2 × 8 bytes after the first 8 */
        h[2] = 4; /* segment routing header (RFC 8754) */
        h[3] = 0; /* segments left: the destination is final */
        memcpy(h + 8, ip->dst.a, 16);
        break;
    default:
        build_fatal("unknown IPv6 extension header");
    }
}

void
build_ip(struct build *b, const struct ip_spec *ip, uint8_t proto)
{
    if (ip->src.family == 4) {
        if (ip->opt_len % 4 || ip->opt_len > 40)
            build_fatal("IPv4 options must be a multiple of 4, at most 40");
        uint32_t hl = 20u + ip->opt_len;
        if (b->len + hl > 65535)
            build_fatal("IPv4 datagram too large");
        uint8_t *h = build_prepend(b, hl);
        h[0] = (uint8_t)(0x40 | hl / 4);
        h[1] = ip->tos;
        build_put16(h + 2, (uint16_t)b->len);
        build_put16(h + 4, ip->id);
        build_put16(h + 6, ip->df ? 0x4000 : 0);
        h[8] = ip->ttl;
        h[9] = proto;
        memcpy(h + 12, ip->src.a, 4);
        memcpy(h + 16, ip->dst.a, 4);
        memcpy(h + 20, ip->opt, ip->opt_len);
        build_ipv4_fix_checksum(h);
        return;
    }
    if (ip->n_ext > BUILD_MAX_EXT)
        build_fatal("too many IPv6 extension headers");
    uint8_t nh = proto;
    for (unsigned i = ip->n_ext; i-- > 0;) {
        build_ext(b, ip, ip->ext[i], nh);
        nh = ip->ext[i];
    }
    if (b->len > 65535)
        build_fatal("IPv6 payload too large");
    uint16_t plen = (uint16_t)b->len;
    uint8_t *h = build_prepend(b, 40);
    h[0] = (uint8_t)(0x60 | ip->tos >> 4);
    h[1] = (uint8_t)((ip->tos & 0x0f) << 4 | ((ip->flow_label >> 16) & 0x0f));
    build_put16(h + 2, (uint16_t)ip->flow_label);
    build_put16(h + 4, plen);
    h[6] = nh;
    h[7] = ip->ttl;
    memcpy(h + 8, ip->src.a, 16);
    memcpy(h + 24, ip->dst.a, 16);
}

void
build_udp(struct build *b, const struct ip_spec *ip, uint16_t sport, uint16_t dport)
{
    if (b->len + 8 > 65535)
        build_fatal("UDP datagram too large");
    uint8_t *h = build_prepend(b, 8);
    build_put16(h, sport);
    build_put16(h + 2, dport);
    build_put16(h + 4, (uint16_t)b->len);
    uint16_t c = build_l4_checksum(&ip->src, &ip->dst, 17, h, b->len);
    build_put16(h + 6, c ? c : 0xffff);
}

void
build_tcp(struct build *b, const struct ip_spec *ip, const struct tcp_spec *t)
{
    if (t->opt_len % 4 || t->opt_len > 40)
        build_fatal("TCP options must be a multiple of 4, at most 40");
    uint32_t hl = 20u + t->opt_len;
    uint8_t *h = build_prepend(b, hl);
    build_put16(h, t->sport);
    build_put16(h + 2, t->dport);
    build_put32(h + 4, t->seq);
    build_put32(h + 8, t->ack);
    h[12] = (uint8_t)(hl / 4 << 4);
    h[13] = t->flags;
    build_put16(h + 14, t->win);
    memcpy(h + 20, t->opt, t->opt_len);
    build_put16(h + 16, build_l4_checksum(&ip->src, &ip->dst, 6, h, b->len));
}

void
build_icmp(struct build *b, const struct ip_spec *ip, uint8_t type, uint8_t code, uint32_t rest)
{
    uint8_t *h = build_prepend(b, 8);
    h[0] = type;
    h[1] = code;
    build_put32(h + 4, rest);
    if (ip->src.family == 4)
        build_put16(h + 2, build_fold(build_sum(0, h, b->len)));
    else
        build_put16(h + 2, build_l4_checksum(&ip->src, &ip->dst, 58, h, b->len));
}

void
build_udp_packet(struct build *b, const struct ip_spec *ip, uint16_t sport, uint16_t dport,
                 const void *payload, uint32_t len)
{
    build_start(b, payload, len);
    build_udp(b, ip, sport, dport);
    build_ip(b, ip, 17);
}

void
build_icmp_error(struct build *b, const struct ip_spec *ip, uint8_t type, uint8_t code,
                 uint32_t rest, const uint8_t *orig, uint32_t orig_len, uint32_t quote_max)
{
    build_start(b, orig, orig_len < quote_max ? orig_len : quote_max);
    build_icmp(b, ip, type, code, rest);
    build_ip(b, ip, ip->src.family == 4 ? 1 : 58);
}

void
build_tcp_syn_options(struct tcp_spec *t)
{
    static const uint8_t opt[12] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7};
    memcpy(t->opt, opt, sizeof opt);
    t->opt_len = sizeof opt;
}
