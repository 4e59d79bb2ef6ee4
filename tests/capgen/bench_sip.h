/* bench_sip.h — the SIP-heavy benchmark capture: phones registering, pinged, calling. */
#ifndef CAPGEN_BENCH_SIP_H
#define CAPGEN_BENCH_SIP_H

#include <stddef.h>
#include <stdint.h>

/* What bench_sip_write produced. */
struct bench_sip_stats {
    uint64_t packets, bytes;
    uint64_t messages, tcp_messages;
    uint64_t registrations, options, calls, cancels, busy;
    int64_t span_ns; /* last timestamp − first */
};

/*
 * Write the SIP benchmark capture to path (Ethernet, µs pcap): BENCH_SIP_PHONES phones behind one
 * proxy (192.0.2.10:5060), each in turn registering (REGISTER/401/REGISTER/200 with
 * received/rport), answering OPTIONS pings, or calling (INVITE/100/180/200 with SDP, ACK,
 * BYE/200; some CANCEL/200/487/ACK, some 486/ACK). One phone in ten speaks SIP over a TCP
 * connection of its own. Stops at the first idle moment after the file holds size bytes.
 * Deterministic. Returns 0 with *st filled, or -1 with a sentence in err.
 */
int bench_sip_write(const char *path, uint64_t size, struct bench_sip_stats *st, char *err,
                    size_t errlen);

#endif
