/* metrics.h — Prometheus text exposition of live counters (libmicrohttpd, own thread). */
#ifndef VOIPDIAG_LIVE_METRICS_H
#define VOIPDIAG_LIVE_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../check/catalog.h"

/* Written by the pipeline thread only, read by the HTTP thread: relaxed atomics, no locks. */
struct metrics_counters {
    _Atomic uint64_t packets, bytes, kernel_drops, if_drops, flows_active, flows_total;
    _Atomic uint64_t calls; /* SIP calls (dialogs); the SIP tracker hands them over at its end */
    _Atomic uint64_t findings[FIND__COUNT];
};

struct metrics;

/*
 * Serve c (borrowed, must outlive the server) at http://ADDR:PORT/metrics from a thread of
 * libmicrohttpd's. addr_port is "127.0.0.1:9465" or "[::1]:9465". Returns NULL with err.
 */
struct metrics *metrics_start(const char *addr_port, struct metrics_counters *c, char *err,
                              size_t errlen);

void metrics_stop(struct metrics *m);

#endif
