/* fuzz_ipfrag.c — libFuzzer target: IPv4 (RFC 791) / IPv6 (RFC 8200 §4.5) fragment reassembly. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/track/ipfrag.h"

/*
 * Input: one limits byte, then records of 7 header bytes followed by the fragment's data:
 *   0 flags: bit0 IPv6, bit1 MF, bit2 snaplen cut, bits3-4 id, bit5 protocol, bit6 source
 *   1-2 offset in 8-byte units (13 bits); bit15 adds a misaligned 1..3 bytes
 *   3-4 data length (taken from the input as far as it goes)
 *   5 time step in 1/4 s (255: a jump backwards)
 *   6 IPv4 header length selector
 * Small limits make eviction, byte caps and time-outs happen within short inputs.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
    if (n < 1)
        return 0;
    struct ipfrag_limits lim = {1 + in[0] % 8, (uint32_t)(in[0] >> 3) * 4224, 10 * 1000000000LL, 1};
    struct ipfrag *f = ipfrag_new(&lim);
    if (!f)
        return 0;
    uint8_t hdr[60];
    memset(hdr, 0, sizeof(hdr));
    hdr[0] = 0x45;
    size_t i = 1;
    int64_t ts = 0;
    uint64_t frame = 0, sum = 0;
    while (i + 7 <= n) {
        const uint8_t *h = in + i;
        i += 7;
        uint32_t off = ((uint32_t)h[1] << 8 | h[2]);
        uint32_t len = (uint32_t)h[3] << 8 | h[4];
        uint32_t avail = n - i < len ? (uint32_t)(n - i) : len;
        struct packet p;
        memset(&p, 0, sizeof(p));
        p.frame = ++frame;
        ts = h[5] == 255 ? ts - 5000000000LL : ts + (int64_t)h[5] * 250000000LL;
        p.ts_ns = ts;
        p.layers = LAYER_FRAGMENT;
        p.ip_version = h[0] & 1 ? 6 : 4;
        p.src.family = p.dst.family = p.ip_version;
        p.src.a[0] = h[0] >> 6 & 1;
        p.dst.a[0] = 9;
        p.frag.id = h[0] >> 3 & 3;
        p.frag.offset = (off & 0x1fff) * 8 + (off & 0x8000 ? 1 + (off >> 13 & 1) : 0);
        p.frag.more = h[0] & 2;
        p.frag.next_proto = h[0] & 0x20 ? 6 : 17;
        p.frag.hdr = hdr;
        p.frag.hdr_len = p.ip_version == 6 ? 40 : 20 + 4 * (h[6] % 12); /* 64 is refused */
        p.frag.data = in + i;
        p.frag.data_len = avail;
        p.frag.data_wire_len = len + (h[0] & 4 ? 1 : 0);
        i += avail;
        struct ipfrag_datagram out;
        if (ipfrag_add(f, &p, &out) == 1) {
            if (out.len > 65535 + 60 || out.fragment_count == 0)
                abort();
            for (uint32_t k = 0; k < out.len; k++)
                sum += out.data[k];
        }
    }
    ipfrag_expire(f, ts + (int64_t)(sum & 1));
    ipfrag_free(f);
    return 0;
}
