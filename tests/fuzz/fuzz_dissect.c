/* fuzz_dissect.c — libFuzzer: any bytes through dissect_frame and dissect_ip; invariants hold. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dissectors/dissect.h"

/* Link types dissect_frame knows, and one it does not. */
static const int fuzz_dlts[] = {1, 113, 276, 12, 14, 101, 228, 229, 0, 108, 9, 50, 147};

/* Abort unless [p, p+n) lies inside [base, base+len). */
static void
fuzz_window(const uint8_t *p, uint32_t n, const uint8_t *base, size_t len)
{
    if (p == NULL) {
        if (n != 0)
            abort();
        return;
    }
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;
    if (a < b || a - b > len || n > len - (a - b))
        abort();
}

/* The invariants every dissection keeps, whatever the bytes. */
static void
fuzz_check(const struct packet *pkt, enum dissect_status st, const uint8_t *base, size_t len)
{
    char text[64];

    if (st != pkt->status || (unsigned)st > DISSECT_MALFORMED)
        abort();
    if ((unsigned)pkt->anomaly >= ANOM__COUNT || dissect_anomaly_name(pkt->anomaly) == NULL)
        abort();
    if (st >= DISSECT_TRUNCATED && pkt->anomaly == ANOM_NONE)
        abort();
    if (st == DISSECT_OK && pkt->anomaly != ANOM_NONE && pkt->anomaly != ANOM_ICMP_QUOTE_BAD)
        abort();
    fuzz_window(pkt->l3, pkt->l3_len, base, len);
    fuzz_window(pkt->payload, pkt->payload_len, base, len);
    if (pkt->l3_len > len || pkt->l3_len > pkt->l3_wire_len)
        abort();
    if (pkt->payload_len > pkt->payload_wire_len && pkt->payload_wire_len != 0)
        abort();
    if (pkt->layers & LAYER_FRAGMENT) {
        fuzz_window(pkt->frag.hdr, pkt->frag.hdr_len, base, len);
        fuzz_window(pkt->frag.data, pkt->frag.data_len, base, len);
        if (pkt->frag.data_len > pkt->frag.data_wire_len)
            abort();
    }
    if (pkt->vlan_count > PACKET_MAX_VLAN || pkt->tunnel_depth > PACKET_MAX_TUNNEL)
        abort();
    ip_addr_format(&pkt->src, text, sizeof text);
    ip_addr_format(&pkt->quote.dst, text, sizeof text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > UINT32_MAX)
        return 0;
    /* Low bits choose the link type; the top bit says "snaplen-cut": bytes existed beyond. */
    int dlt = fuzz_dlts[(data[0] & 0x7f) % (sizeof fuzz_dlts / sizeof fuzz_dlts[0])];
    const uint8_t *frame = data + 1;
    uint32_t n = (uint32_t)(size - 1);
    struct packet pkt = {.frame = 1, .caplen = n, .wirelen = (data[0] & 0x80) ? n + 1500 : n};

    enum dissect_status st = dissect_frame(dlt, frame, n, &pkt);
    fuzz_check(&pkt, st, frame, n);
    st = dissect_ip(frame, n, &pkt);
    fuzz_check(&pkt, st, frame, n);
    return 0;
}
