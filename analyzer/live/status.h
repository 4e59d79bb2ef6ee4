/* status.h — live's human lines on stderr: one per finding, and the periodic status line. */
#ifndef VOIPDIAG_LIVE_STATUS_H
#define VOIPDIAG_LIVE_STATUS_H

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

#endif
