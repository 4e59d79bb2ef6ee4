/* settle.c — the packet-time tick that streams settled findings during a run (issue 9). */
#include "settle.h"

#include "../track/media.h"
#include "../track/sip_track.h"
#include "checks.h"

void
settle_run(struct sip_tracker *sip, struct media_tracker *media, struct checks *checks,
           struct result *r, int64_t now_ns)
{
    r->settle_next_ns = now_ns + SETTLE_STEP_NS;
    if (checks)
        checks_settle(checks, r);
    if (sip)
        sip_tracker_settle(sip, r, now_ns);
    if (media)
        media_tracker_settle(media, r, now_ns);
}
