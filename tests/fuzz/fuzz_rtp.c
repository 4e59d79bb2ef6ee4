/* fuzz_rtp.c — libFuzzer entry for RTP/RTCP (RFC 3550), XR (RFC 3611), events (RFC 4733), stats. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyzer/track/rtp_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The whole input is first one datagram for every decoder, at every captured length up to a
 * few hundred bytes (as a snaplen cut of the full datagram). Then it is read as a sequence of
 * records [u8 len][u32 arrival µs delta][u8 clock selector][len bytes of datagram]; each
 * RTP-shaped one goes into a stream accumulator (payload type 101 as its event type), so
 * sequence, timestamp, clock and time patterns come from the fuzzer. Every result is read so
 * that uninitialised fields would be seen.
 */
static volatile uint64_t sink;

static void
one_datagram(const uint8_t *p, uint32_t caplen, uint32_t wirelen)
{
    struct rtp_header h;
    enum dissect_status st = rtp_dissect_wire(p, caplen, wirelen, &h);
    sink += st + h.pt + h.seq + h.payload_len + h.header_len;
    if (st == DISSECT_OK && h.payload_len)
        sink += h.payload[h.payload_len - 1];

    struct rtcp_compound c;
    st = rtcp_dissect(p, caplen, wirelen, &c);
    sink += st + c.packets + c.n_reports + c.n_voip + c.bye_count + strlen(c.cname);
    for (unsigned i = 0; i < c.n_reports; i++)
        sink += (uint32_t)c.reports[i].cum_lost + c.reports[i].jitter;
    for (unsigned i = 0; i < c.n_voip; i++)
        sink += c.voip[i].mos_lq + c.voip[i].jb_abs_max;

    struct rtp_event e;
    st = rtp_event_dissect(p, caplen, &e);
    sink += st + (uint8_t)rtp_event_key(e.event) + e.duration;
    sink += rtp_demux(p, caplen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t n = size > 65535 ? 65535 : (uint32_t)size;
    for (uint32_t cut = 0; cut <= n && cut <= 300; cut++)
        one_datagram(data, cut, n);
    one_datagram(data, n, n);
    if (n > 0)
        sink += rtp_pt_clock_rate(data[0] & 0x7f) + strlen(rtp_pt_name(data[0] & 0x7f)) +
                strlen(rtp_pt_name_unsignalled(data[0] & 0x7f));

    static const uint32_t clocks[] = {0, 8000, 16000, 44100, 90000, 48000, 999, 1000};
    struct rtp_stats s;
    rtp_stats_init(&s, 1700000000000000000LL);
    rtp_stats_set_event_pt(&s, 101);
    int64_t t = 1700000000000000000LL;
    size_t off = 0;
    uint64_t frame = 0;
    while (off + 6 <= size) {
        uint32_t len = data[off];
        uint32_t dt = (uint32_t)data[off + 1] << 24 | (uint32_t)data[off + 2] << 16 |
                      (uint32_t)data[off + 3] << 8 | data[off + 4];
        uint32_t clock = clocks[data[off + 5] & 7];
        off += 6;
        if (len > size - off)
            len = (uint32_t)(size - off);
        t += (int32_t)dt; /* signed: capture time may step back */
        struct rtp_header h;
        if (rtp_dissect(data + off, len, &h) == DISSECT_OK)
            sink += rtp_stats_add(&s, t, &h, clock, ++frame);
        off += len;
    }
    struct rtp_stats_result r;
    rtp_stats_finish(&s, &r);
    sink += r.packets + (uint64_t)r.lost + (uint64_t)(r.mean_jitter_ms * 1000) +
            (uint64_t)(r.mos * 100) + strlen(r.dtmf_digits) + rtp_stats_pt_seen(&s, 101);
    return 0;
}
