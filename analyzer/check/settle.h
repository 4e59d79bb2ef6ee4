/* settle.h — findings that become certain during a run, shown as they do (issue 9, live): the
 * pipeline's packet-time tick into the trackers and checks that can tell. */
#ifndef VOIPDIAG_SETTLE_H
#define VOIPDIAG_SETTLE_H

#include <stdint.h>

#include "../result.h"

#define SETTLE_STEP_NS 1000000000LL /* a look per second of packet time */

struct sip_tracker;
struct media_tracker;
struct checks;

/* The look settle_tick takes when it is due. */
void settle_run(struct sip_tracker *sip, struct media_tracker *media, struct checks *checks,
                struct result *r, int64_t now_ns);

/*
 * Call with every frame's time (packet time, never the wall clock): once per second of packet
 * time, stream to r's observer the findings that are settled — failed registrations, media
 * verdicts of calls that are over, failed connections of the checks — while the end of the run
 * still stores them all as before (result_stream_finding). Costs a compare when r has no
 * observer (file analyses) or the second is not over. Any tracker may be NULL.
 */
static inline void
settle_tick(struct sip_tracker *sip, struct media_tracker *media, struct checks *checks,
            struct result *r, int64_t now_ns)
{
    if (r->on_finding && now_ns >= r->settle_next_ns)
        settle_run(sip, media, checks, r, now_ns);
}

#endif
