/* capture_facts.h — findings about the capture itself (capture.*, packet.*). */
#ifndef VOIPDIAG_CAPTURE_FACTS_H
#define VOIPDIAG_CAPTURE_FACTS_H

struct result;

/*
 * Turn the counters of a finished analysis into findings: inputs cut short, kernel drops,
 * evicted flows, TCP data the capture missed, dropped fragments, snaplen cuts, malformed
 * frames. Call once, after the source is exhausted and the flows flushed.
 */
void capture_facts_check(struct result *r);

#endif
