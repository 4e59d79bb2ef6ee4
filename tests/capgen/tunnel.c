/* tunnel.c — GRE (RFC 2784, key and sequence RFC 2890), ERSPAN II/III (draft-foschiano-erspan-03),
 * VXLAN (RFC 7348) and IP-in-IP (RFC 2003, 6in4 RFC 4213) headers. */
#include "tunnel.h"

void
tunnel_gre(struct build *b, const struct gre_spec *g, uint16_t proto)
{
    uint32_t n = 4u + (g->csum ? 4u : 0u) + (g->key ? 4u : 0u) + (g->seq ? 4u : 0u);
    uint8_t *h = build_prepend(b, n);
    uint16_t flags = (uint16_t)((g->csum ? 0x8000 : 0) | (g->key ? 0x2000 : 0) |
                                (g->seq ? 0x1000 : 0) | (g->version & 7));
    build_put16(h, flags);
    build_put16(h + 2, proto);
    uint8_t *p = h + 4 + (g->csum ? 4 : 0);
    if (g->key) {
        build_put32(p, g->key_val);
        p += 4;
    }
    if (g->seq)
        build_put32(p, g->seq_val);
    if (g->csum) /* over the GRE header and payload, checksum field zero (RFC 2784 §2.5) */
        build_put16(h + 4, build_fold(build_sum(0, h, b->len)));
}

void
tunnel_erspan2(struct build *b, uint16_t session, uint16_t vlan, uint32_t index)
{
    uint8_t *h = build_prepend(b, 8);
    build_put16(h, (uint16_t)(1u << 12 | (vlan & 0x0fff)));       /* Ver 1, VLAN */
    build_put16(h + 2, (uint16_t)(3u << 11 | (session & 0x3ff))); /* COS 0, En 3 (trunk), T 0 */
    build_put32(h + 4, index & 0xfffff);                          /* reserved 12, index 20 */
}

void
tunnel_erspan3(struct build *b, uint16_t session, uint16_t vlan, uint32_t timestamp, uint8_t hw_id)
{
    uint8_t *h = build_prepend(b, 12);
    build_put16(h, (uint16_t)(2u << 12 | (vlan & 0x0fff))); /* Ver 2, VLAN */
    build_put16(h + 2, (uint16_t)(session & 0x3ff));        /* COS 0, BSO 0, T 0 */
    build_put32(h + 4, timestamp);
    /* SGT 0 | P 0, FT 0 (Ethernet), HW ID, D 0, Gra 0 (100 µs units), O 0 (no subheader) */
    build_put16(h + 8, 0);
    build_put16(h + 10, (uint16_t)((hw_id & 0x3f) << 4));
}

void
tunnel_vxlan(struct build *b, uint32_t vni)
{
    uint8_t *h = build_prepend(b, 8);
    h[0] = 0x08; /* I flag: the VNI is valid */
    build_put32(h + 4, (vni & 0xffffff) << 8);
}

void
tunnel_ipip(struct build *b, const struct ip_spec *outer)
{
    build_ip(b, outer, (build_data(b)[0] >> 4) == 6 ? 41 : 4);
}
