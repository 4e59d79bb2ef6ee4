/* layer.h — what the protocol files share: the window being decoded, verdicts, number names. */
#ifndef VOIPDIAG_LAYER_H
#define VOIPDIAG_LAYER_H

#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "packet.h"

/* Ethertypes dispatched on (IEEE registry); ETH_TEB also means "an Ethernet frame follows". */
enum eth_type {
    ETH_IPV4 = 0x0800,
    ETH_IPV6 = 0x86dd,
    ETH_VLAN = 0x8100,     /* 802.1Q C-tag */
    ETH_QINQ = 0x88a8,     /* 802.1ad S-tag */
    ETH_QINQ_OLD = 0x9100, /* pre-standard stacked tag */
    ETH_PPPOE = 0x8864,    /* PPPoE session stage (RFC 2516) */
    ETH_TEB = 0x6558,      /* transparent Ethernet bridging */
};

/* IP protocol numbers dispatched on (IANA); named apart from <netinet/in.h>'s IPPROTO_*. */
enum proto_num {
    PROTO_HOPOPT = 0,
    PROTO_ICMP = 1,
    PROTO_IPIP = 4,
    PROTO_TCP = 6,
    PROTO_UDP = 17,
    PROTO_DCCP = 33,
    PROTO_IPV6 = 41,
    PROTO_ROUTING = 43,
    PROTO_FRAGMENT = 44,
    PROTO_GRE = 47,
    PROTO_ESP = 50,
    PROTO_AH = 51,
    PROTO_ICMPV6 = 58,
    PROTO_NONE = 59,
    PROTO_DSTOPTS = 60,
    PROTO_SCTP = 132,
    PROTO_UDPLITE = 136,
};

/*
 * The window a layer decodes: the captured bytes (c) and how many bytes the enclosing length
 * said exist from the same position (wire). Invariant: wire >= cursor_left(&c). A length field
 * beyond wire lies (malformed); beyond the captured bytes only, the capture was cut.
 */
struct span {
    struct cursor c;
    uint32_t wire;
};

/* A window over n captured bytes of which wire existed; wire below n is raised to n. */
static inline struct span
span_make(const uint8_t *p, uint32_t n, uint32_t wire)
{
    struct span s = {cursor_make(p, n), wire};
    if (s.wire < cursor_left(&s.c))
        s.wire = (uint32_t)cursor_left(&s.c);
    return s;
}

/* Captured bytes left in the window. */
static inline uint32_t
span_left(const struct span *s)
{
    return (uint32_t)cursor_left(&s->c);
}

/*
 * Split off the next n bytes as a window and advance s past them, for headers and for length
 * fields. The result is clamped to what is captured and to what exists; callers compare.
 */
static inline struct span
span_take(struct span *s, uint32_t n)
{
    struct span sub;
    sub.c = cursor_take(&s->c, n);
    sub.wire = n <= s->wire ? n : s->wire;
    s->wire -= sub.wire;
    return sub;
}

/* Read a 4- or 16-byte address of family 4 or 6 from c (sticky short read as usual). */
static inline void
layer_read_addr(struct cursor *c, uint8_t family, struct ip_addr *a)
{
    /* Assemble the 16 bytes in a vector register and store them at once (see packet.h). */
    typedef uint32_t v4u __attribute__((vector_size(16)));
    v4u v = {0, 0, 0, 0};
    if (family == 4)
        v[0] = cursor_raw32(c);
    else
        cursor_copy(c, &v, sizeof v);
    memcpy(a->a, &v, sizeof v);
    a->family = family;
}

/*
 * Record an outcome: the first anomaly is kept, the status only gets worse (OK < NO_MATCH <
 * TRUNCATED < MALFORMED). Returns st, so a dissector can `return layer_mark(...)` to stop.
 */
static inline enum dissect_status
layer_mark(struct packet *pkt, enum dissect_status st, enum anomaly a)
{
    if (pkt->anomaly == ANOM_NONE)
        pkt->anomaly = a;
    if (st > pkt->status)
        pkt->status = st;
    return st;
}

/*
 * An IP header was accepted: from here the packet describes it. Forget what an outer packet
 * said above the network layer (transport, ports, payload) and mark layer (LAYER_IPV4/6).
 * via is the tunnel the header was found in (TUNNEL_NONE for the outermost): it is counted
 * in tunnel_depth, and the first one is kept as pkt->tunnel.
 */
static inline void
layer_enter_ip(struct packet *pkt, uint32_t layer, enum tunnel_kind via)
{
    pkt->layers &= LAYER_LINK | LAYER_VLAN | LAYER_TUNNEL;
    pkt->layers |= layer;
    if (via != TUNNEL_NONE) {
        pkt->layers |= LAYER_TUNNEL;
        pkt->tunnel_depth++;
        if (pkt->tunnel == TUNNEL_NONE)
            pkt->tunnel = via;
    }
    memset(&pkt->frag, 0, sizeof pkt->frag);
    pkt->sport = pkt->dport = 0;
    pkt->tcp_flags = 0;
    pkt->tcp_seq = pkt->tcp_ack = 0;
    pkt->tcp_window = 0;
    pkt->icmp_type = pkt->icmp_code = 0;
    memset(&pkt->quote, 0, sizeof pkt->quote);
    pkt->payload = NULL;
    pkt->payload_len = pkt->payload_wire_len = 0;
}

#endif
