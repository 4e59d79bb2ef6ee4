/* fuzz_tcp_stream.c — libFuzzer target: TCP byte stream reassembly (RFC 9293 §3.4). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/track/tcp_stream.h"

struct sink {
    uint64_t bytes;
    uint64_t sum;
};

static void
sink_fn(void *ctx, const uint8_t *data, uint32_t len, uint32_t gap_before, uint64_t frame)
{
    struct sink *k = ctx;
    (void)gap_before;
    (void)frame;
    if (len == 0)
        abort();
    for (uint32_t i = 0; i < len; i++)
        k->sum += data[i];
    k->bytes += len;
}

/*
 * Input: two cap bytes, then records of 8 header bytes followed by the segment's data:
 *   0 TCP flags   1 bit0 direction, bit1 also ACK the other direction, bit2 absolute seq
 *   2-3 sequence step (signed 16-bit) or with bit2 the high half of an absolute seq
 *   4-5 data length (taken from the input as far as it goes)   6-7 extra wire bytes (cut)
 * Both directions run with the cap from the first bytes; one of them is flushed at the end.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
    if (n < 2)
        return 0;
    struct tcp_stream s[2];
    struct sink k[2];
    memset(k, 0, sizeof(k));
    uint32_t cap = (uint32_t)in[0] << 8 | in[1];
    tcp_stream_init(&s[0], cap);
    tcp_stream_init(&s[1], cap / 2);
    uint32_t seq[2] = {0xfffff000u, 1000};
    size_t i = 2;
    uint64_t frame = 0;
    while (i + 8 <= n) {
        const uint8_t *h = in + i;
        i += 8;
        int d = h[1] & 1;
        uint16_t step = (uint16_t)(h[2] << 8 | h[3]);
        if (h[1] & 4)
            seq[d] = (uint32_t)step << 16;
        else
            seq[d] += (uint32_t)(int32_t)(int16_t)step;
        uint32_t len = (uint32_t)h[4] << 8 | h[5];
        uint32_t avail = n - i < len ? (uint32_t)(n - i) : len;
        uint32_t wire = len + ((uint32_t)h[6] << 8 | h[7]);
        tcp_stream_segment(&s[d], seq[d], h[0], in + i, avail, wire, ++frame, sink_fn, &k[d]);
        if (h[1] & 2)
            tcp_stream_ack(&s[!d], seq[!d] + step);
        i += avail;
        if (s[d].buffered > s[d].max_buffer || k[d].bytes != s[d].stats.bytes)
            abort();
    }
    tcp_stream_flush(&s[0], sink_fn, &k[0]);
    if (s[0].ooo || s[0].buffered)
        abort();
    tcp_stream_free(&s[0]);
    tcp_stream_free(&s[1]);
    return 0;
}
