/* build.h — packet builder: headers are prepended inside-out around a payload, lengths and
 * checksums filled in (RFC 791, 8200, 768, 9293, 792, 4443; link headers per tcpdump.org
 * LINKTYPE_ pages). Tunnels live in tunnel.h, fragmentation in frag.h. */
#ifndef CAPGEN_BUILD_H
#define CAPGEN_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#define BUILD_CAP 16384     /* largest packet plus headroom */
#define BUILD_HEADROOM 2048 /* room for prepended headers (ten nested IP headers fit easily) */
#define BUILD_MAX_TAGS 6    /* VLAN tags one Ethernet header may carry (hostile files use 5) */
#define BUILD_MAX_EXT 4     /* IPv6 extension headers build_ip inserts */

/*
 * One packet under construction: bytes buf[off .. off+len). Start it with the innermost
 * payload (build_start), then prepend each header outwards. Programming errors (headroom or
 * capacity exhausted, bad option length) abort: capgen's inputs are all compiled in.
 */
struct build {
    uint32_t off;
    uint32_t len;
    uint8_t buf[BUILD_CAP];
};

/* An IPv4 (family 4, a[0..3]) or IPv6 (family 6) address. */
struct build_addr {
    uint8_t family;
    uint8_t a[16];
};

/* Ethernet II header with up to BUILD_MAX_TAGS VLAN tags, outermost first. */
struct eth_spec {
    uint8_t dst[6], src[6];
    uint8_t ntags;
    uint16_t tpid[BUILD_MAX_TAGS]; /* 0x8100 (802.1Q), 0x88a8 (802.1ad), 0x9100 */
    uint16_t tci[BUILD_MAX_TAGS];  /* PCP(3) DEI(1) VID(12) */
};

/* IPv6 extension headers build_ip can insert (values are the IPv6 next-header numbers). */
enum build_ext {
    BUILD_EXT_HOPOPT = 0,   /* hop-by-hop options, one PadN: 8 bytes */
    BUILD_EXT_ROUTING = 43, /* segment routing header, segments left 0, one segment: 24 bytes */
    BUILD_EXT_DSTOPT = 60,  /* destination options, one PadN: 8 bytes */
};

/* The IP header to prepend; family comes from src. Zero-initialise, then set what matters. */
struct ip_spec {
    struct build_addr src, dst;
    uint8_t ttl;     /* IPv4 TTL / IPv6 hop limit */
    uint8_t tos;     /* IPv4 DSCP+ECN / IPv6 traffic class */
    uint16_t id;     /* IPv4 identification */
    bool df;         /* IPv4 don't-fragment */
    uint8_t opt_len; /* IPv4 option bytes, a multiple of 4, at most 40 */
    uint8_t opt[40];
    uint32_t flow_label; /* IPv6, 20 bits */
    uint8_t n_ext;       /* IPv6 extension headers, outermost first */
    uint8_t ext[BUILD_MAX_EXT];
};

/* A TCP header; options a multiple of 4 bytes. */
struct tcp_spec {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags; /* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 */
    uint16_t win;
    uint8_t opt_len;
    uint8_t opt[40];
};

/* Big-endian stores and loads. */
static inline void
build_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void
build_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint16_t
build_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* The packet's first byte (valid while b lives and is not modified). */
static inline uint8_t *
build_data(struct build *b)
{
    return b->buf + b->off;
}

/* Parse an address literal ("192.0.2.1", "2001:db8::1"); aborts on a bad literal. */
struct build_addr build_addr(const char *text);

/* Format a as text into buf (≥ 46 bytes), IPv6 in brackets when bracket6; returns buf. */
char *build_addr_text(const struct build_addr *a, char *buf, bool bracket6);

/* Start b with len payload bytes (payload may be NULL when len is 0). */
void build_start(struct build *b, const void *payload, uint32_t len);

/* Make room for n zeroed bytes in front of the packet; returns a pointer to them. */
uint8_t *build_prepend(struct build *b, uint32_t n);

/* Append n bytes (NULL: zeros) at the packet's end. */
void build_append(struct build *b, const void *data, uint32_t n);

/* Append zero bytes until the packet is at least min_len long (Ethernet minimum frame: 60). */
void build_pad(struct build *b, uint32_t min_len);

/* Add data to a ones'-complement sum; every chunk but the last must have even length. */
uint32_t build_sum(uint32_t acc, const void *data, uint32_t len);

/* Fold a sum into the 16-bit Internet checksum (RFC 1071), complemented. */
uint16_t build_fold(uint32_t acc);

/* Checksum of a transport segment including the IPv4/IPv6 pseudo-header. */
uint16_t build_l4_checksum(const struct build_addr *src, const struct build_addr *dst,
                           uint8_t proto, const uint8_t *seg, uint32_t len);

/* Recompute the header checksum of the IPv4 header at ip (IHL taken from ip[0]). */
void build_ipv4_fix_checksum(uint8_t *ip);

/* Link layers: each prepends its header in front of what b holds. */
void build_eth(struct build *b, const struct eth_spec *e, uint16_t ethertype);
void build_sll(struct build *b, uint16_t pkttype, const uint8_t mac[6], uint16_t proto);
void build_sll2(struct build *b, uint16_t proto, uint32_t ifindex, uint8_t pkttype,
                const uint8_t mac[6]);
/* DLT_NULL (af in the writer's byte order: little_endian) or DLT_LOOP (network order). */
void build_null(struct build *b, uint32_t af, bool little_endian);
/* PPP in HDLC-like framing (address 0xff, control 0x03) as DLT_PPP stores it. */
void build_ppp(struct build *b, uint16_t proto);
/* PPPoE session header + PPP protocol (RFC 2516); put Ethernet type 0x8864 in front. */
void build_pppoe(struct build *b, uint16_t session, uint16_t ppp_proto);

/* Prepend the IP header (and IPv6 extension headers) of ip around b, carrying proto. */
void build_ip(struct build *b, const struct ip_spec *ip, uint8_t proto);

/* Prepend a UDP header; checksum over ip's pseudo-header (never 0 on the wire). */
void build_udp(struct build *b, const struct ip_spec *ip, uint16_t sport, uint16_t dport);

/* Prepend a TCP header; checksum over ip's pseudo-header. */
void build_tcp(struct build *b, const struct ip_spec *ip, const struct tcp_spec *t);

/* Prepend an ICMP (IPv4 ip) or ICMPv6 (IPv6 ip) header; rest is the second 32-bit word. */
void build_icmp(struct build *b, const struct ip_spec *ip, uint8_t type, uint8_t code,
                uint32_t rest);

/* Whole UDP datagram in b: payload, UDP header, IP header. */
void build_udp_packet(struct build *b, const struct ip_spec *ip, uint16_t sport, uint16_t dport,
                      const void *payload, uint32_t len);

/*
 * Whole ICMP/ICMPv6 error in b from ip: type/code/rest, quoting the first min(orig_len,
 * quote_max) bytes of the original IP packet orig (RFC 792: header + 8; Linux: up to 576
 * bytes in all; RFC 4443: up to 1280 in all).
 */
void build_icmp_error(struct build *b, const struct ip_spec *ip, uint8_t type, uint8_t code,
                      uint32_t rest, const uint8_t *orig, uint32_t orig_len, uint32_t quote_max);

/* Usual Linux SYN options without timestamps (MSS 1460, SACK permitted, window scale 7). */
void build_tcp_syn_options(struct tcp_spec *t);

#endif
