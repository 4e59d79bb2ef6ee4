/* status.h — human lines on stderr while the pipeline runs: live's finding and status lines,
 * and the progress line of a long file analysis. */
#ifndef VOIPDIAG_LIVE_STATUS_H
#define VOIPDIAG_LIVE_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../result.h"

/* "… FAIL nat.keepalive_gap (frame 118): summary" for a finding just added. */
void status_print_finding(FILE *out, const struct finding *f);

/*
 * "status: 1234 packets (+812/s), 37 flows active (210 seen), kernel drops 0, interface
 * drops 0, 5 findings" — rate over wall_s seconds since the previous line.
 */
void status_print_line(FILE *out, const struct result *r, const struct source_live_stats *st,
                       uint64_t packets_delta, double wall_s);

/* Monotonic wall-clock seconds, for these displays only (analysis time is packet time). */
double status_clock(void);

/*
 * Progress of a long file analysis, meant for a terminal: percentage of the input bytes read,
 * packets/s and the time left, redrawn at most twice a second on one line (none in the first
 * second: short files finish without one); status_progress_end clears the line if drawn.
 */
struct status_progress {
    FILE *out;
    double start, last;
    bool shown;
};
void status_progress_start(struct status_progress *pg, FILE *out);
/* The pipeline's file_progress hook; ctx is a struct status_progress. */
void status_progress_hook(void *ctx, uint64_t frames, uint64_t bytes_read, uint64_t bytes_total);
void status_progress_end(struct status_progress *pg);

#endif
