/* checks.h — the per-requirement checks that read finished flows (HTTP, HTTPS, NTP, REMOTE …). */
#ifndef VOIPDIAG_CHECKS_H
#define VOIPDIAG_CHECKS_H

struct profile;
struct flow_record;
struct result;
struct checks;

/* New check state for profile p (borrowed for the run); NULL when memory is short. */
struct checks *checks_new(const struct profile *p);
void checks_free(struct checks *c);

/* A flow ended (every flow, also those beyond the report's list cap). */
void checks_flow(struct checks *c, const struct flow_record *rec);

/*
 * During the run: stream to r's observer the findings of destinations whose flows ended failing
 * since the last call (an unanswered SYN after its retransmissions or its time-out, a refusal,
 * an ICMP error, an NTP request unanswered until its flow timed out), as checks_finish will
 * report them (once per destination and finding). Nothing is stored; nothing is done when r
 * has no observer.
 */
void checks_settle(struct checks *c, struct result *r);

/* End of capture, after the SIP and media trackers finished: findings and rows into r. */
void checks_finish(struct checks *c, struct result *r);

#endif
