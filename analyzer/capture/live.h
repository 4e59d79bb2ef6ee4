/* live.h — one network interface captured through libpcap (packed ring, ns timestamps). */
#ifndef VOIPDIAG_CAPTURE_LIVE_H
#define VOIPDIAG_CAPTURE_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "source.h"

/*
 * An activated interface, read in non-blocking mode behind our own poll(): the poll's time-out
 * makes SOURCE_IDLE, whatever libpcap's blocking read would do on the platform.
 */
struct live_input {
    struct source_input info;
    pcap_t *pcap;
    int64_t ts_scale; /* 1 when the kernel gives nanoseconds, 1000 for microseconds */
    int timeout_ms;   /* longest wait in live_input_next */
    int wake_fd;      /* eventfd written by live_input_break; -1 when closed */
};

/*
 * Open and activate iface into *in with o's settings (NULL: all defaults) and the
 * BPF filter o->bpf in the kernel. Returns 0, or -1 with one sentence in err (permission,
 * no such interface, interface down, link type voipdiag cannot decode, bad filter).
 */
int live_input_open(struct live_input *in, const char *iface, const struct source_opts *o,
                    char *err, size_t errlen);

/*
 * Wait for the next frame (up to the read time-out). Returns SOURCE_FRAME with *f filled
 * (data valid until the next call), SOURCE_IDLE on time-out, SOURCE_END after pcap_breakloop,
 * SOURCE_ERROR with one sentence in err when the interface fails.
 */
enum source_status live_input_next(struct live_input *in, uint16_t index, struct frame *f,
                                   char *err, size_t errlen);

/* Make a waiting or later live_input_next return SOURCE_END; async-signal-safe. */
void live_input_break(struct live_input *in);

/* Kernel and interface counters (pcap_stats); st->valid=false when libpcap cannot tell. */
void live_input_stats(struct live_input *in, struct source_live_stats *st);

/* Release the interface; safe again after a close or a failed live_input_open. */
void live_input_close(struct live_input *in);

#endif
