/* bench.h — the RTP-heavy benchmark capture: 500 concurrent SIP calls with G.711 media,
 * plus DNS and HTTPS background, written until the file reaches a given size. */
#ifndef CAPGEN_BENCH_H
#define CAPGEN_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* What bench_rtp_write produced. */
struct bench_stats {
    uint64_t packets;     /* records written */
    uint64_t bytes;       /* file size */
    uint64_t calls;       /* calls started (INVITEs) */
    uint64_t rtp_packets; /* RTP packets written */
    int64_t span_ns;      /* last timestamp − first */
};

/*
 * Write the benchmark capture to path (Ethernet, µs pcap): calls start with INVITE/100/180/
 * 200 (SDP offer/answer)/ACK, carry 20 ms PCMU RTP both ways with fixed-seed loss and jitter,
 * end with BYE/200; new calls replace ended ones. Stops once the file holds size bytes, then
 * sends BYE/200 for every call in progress. Deterministic. Returns 0 with *st filled, or -1
 * with a sentence in err.
 */
int bench_rtp_write(const char *path, uint64_t size, struct bench_stats *st, char *err,
                    size_t errlen);

#endif
