/* frag.c — IPv4 fragmentation (RFC 791 §3.2, option copying per the copied flag) and IPv6
 * fragmentation (RFC 8200 §4.5: unfragmentable part, fragment header). */
#include "frag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A programming error in a scenario: say what and stop. */
static void
frag_fatal(const char *what)
{
    fprintf(stderr, "capgen: frag: %s\n", what);
    abort();
}

/* Length of dg's unfragmentable part; *nh_at receives the offset of the next-header byte that
 * announces the fragmentable part. */
static uint32_t
frag_unfragmentable(const uint8_t *dg, uint32_t len, uint32_t *nh_at)
{
    if (len < 20)
        frag_fatal("datagram too short");
    if (dg[0] >> 4 == 4) {
        *nh_at = 9;
        return (uint32_t)(dg[0] & 0x0f) * 4;
    }
    uint32_t pos = 40, at = 6;
    while (dg[at] == 0 || dg[at] == 43) { /* hop-by-hop and routing stay in front */
        if (pos + 8 > len)
            frag_fatal("IPv6 extension header past the datagram");
        at = pos;
        pos += ((uint32_t)dg[pos + 1] + 1) * 8;
    }
    *nh_at = at;
    return pos;
}

uint32_t
frag_payload_len(const uint8_t *dg, uint32_t len)
{
    uint32_t nh_at;
    return len - frag_unfragmentable(dg, len, &nh_at);
}

/* IPv4 options of a non-first fragment: those with the copied flag, padded with EOL. */
static uint32_t
frag_copied_options(const uint8_t *opt, uint32_t n, uint8_t *out)
{
    uint32_t i = 0, o = 0;
    while (i < n && opt[i] != 0) {
        uint32_t l = opt[i] == 1 ? 1 : (i + 1 < n ? opt[i + 1] : 0);
        if (l == 0 || i + l > n)
            frag_fatal("bad IPv4 option");
        if (opt[i] & 0x80) {
            memcpy(out + o, opt + i, l);
            o += l;
        }
        i += l;
    }
    while (o % 4)
        out[o++] = 0;
    return o;
}

void
frag_piece(const uint8_t *dg, uint32_t len, uint32_t off, uint32_t n, bool more, const uint8_t *alt,
           uint32_t ident, struct build *out)
{
    uint32_t nh_at;
    uint32_t hl = frag_unfragmentable(dg, len, &nh_at);
    if (off % 8 || (!alt && off + n > len - hl) || off / 8 > 0x1fff)
        frag_fatal("fragment outside the datagram");
    build_start(out, alt ? alt : dg + hl + off, n);
    if (dg[0] >> 4 == 4) {
        uint8_t opt[40];
        uint32_t ol = off == 0 ? hl - 20 : frag_copied_options(dg + 20, hl - 20, opt);
        uint8_t *h = build_prepend(out, 20 + ol);
        memcpy(h, dg, 20);
        memcpy(h + 20, off == 0 ? dg + 20 : opt, ol);
        h[0] = (uint8_t)(0x40 | (20 + ol) / 4);
        build_put16(h + 2, (uint16_t)out->len);
        build_put16(h + 6, (uint16_t)((more ? 0x2000 : 0) | off / 8));
        build_ipv4_fix_checksum(h);
        return;
    }
    uint8_t *f = build_prepend(out, 8);
    f[0] = dg[nh_at];
    build_put16(f + 2, (uint16_t)(off | (more ? 1 : 0)));
    build_put32(f + 4, ident);
    uint8_t *h = build_prepend(out, hl);
    memcpy(h, dg, hl);
    h[nh_at] = 44;
    build_put16(h + 4, (uint16_t)(out->len - 40));
}

int
frag_split(const uint8_t *dg, uint32_t len, uint32_t size, uint32_t ident, struct build *out,
           int max)
{
    if (size == 0 || size % 8)
        frag_fatal("fragment size must be a positive multiple of 8");
    uint32_t total = frag_payload_len(dg, len);
    int count = 0;
    for (uint32_t off = 0; off < total; off += size) {
        if (count == max)
            return -1;
        uint32_t n = total - off < size ? total - off : size;
        frag_piece(dg, len, off, n, off + n < total, NULL, ident, &out[count++]);
    }
    return count;
}
