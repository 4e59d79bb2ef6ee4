/* fuzz_sip_stream.c — libFuzzer: SIP over TCP (RFC 3261 §18.3) cut into chunks, with gaps. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dissectors/sip_stream.h"

struct fuzz_tally {
    uint64_t messages, keepalives, discarded;
    unsigned sum; /* of body bytes read, so ASan sees the window is live */
};

static void
fuzz_event(void *ctx, const struct sip_stream_event *ev)
{
    struct fuzz_tally *t = ctx;
    switch (ev->kind) {
    case SIP_STREAM_MESSAGE:
        if (!ev->msg || (ev->msg->sdp && ev->msg->sdp_len != ev->msg->body_len))
            abort();
        if (ev->msg->sdp_len > 0)
            t->sum += ev->msg->sdp[0] + ev->msg->sdp[ev->msg->sdp_len - 1];
        t->messages++;
        break;
    case SIP_STREAM_KEEPALIVE_CRLF:
    case SIP_STREAM_KEEPALIVE_DOUBLE_CRLF:
        t->keepalives++;
        break;
    case SIP_STREAM_DISCARD:
        if (!ev->reason || ev->bytes == 0)
            abort();
        t->discarded += ev->bytes;
        break;
    }
}

/*
 * The first byte seeds the chunking: each chunk length comes from the next control byte
 * (1..64, or a long run when the byte's top bit is set); a control byte of 0xff means a gap
 * before the chunk. The rest of the input is the stream.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t ctl_len = 1 + data[0] % 16;
    if (ctl_len >= size)
        return 0;
    const uint8_t *ctl = data + 1;
    const uint8_t *p = data + 1 + ctl_len;
    size_t n = size - 1 - ctl_len;
    struct fuzz_tally t = {0};
    struct sip_stream *s = sip_stream_new(fuzz_event, &t);
    if (!s)
        return 0;
    size_t off = 0;
    for (size_t i = 0; off < n; i++) {
        uint8_t c = ctl[i % ctl_len];
        if (c == 0xff)
            sip_stream_gap(s);
        size_t len = c & 0x80 ? (size_t)(c & 0x7f) * 97 + 1 : (size_t)(c % 64) + 1;
        if (len > n - off)
            len = n - off;
        sip_stream_feed(s, p + off, len);
        off += len;
    }
    sip_stream_end(s);
    const struct sip_stream_stats *st = sip_stream_stats(s);
    if (st->messages != t.messages || st->discarded_bytes != t.discarded ||
        st->keepalives != t.keepalives)
        abort();
    sip_stream_free(s);
    return 0;
}
