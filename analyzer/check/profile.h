/* profile.h — the provider profile: ports, ranges, intervals, time-outs, IP blocks. */
#ifndef VOIPDIAG_PROFILE_H
#define VOIPDIAG_PROFILE_H

#include <stddef.h>

/* Placeholder until the profile work (issue 7) fills it. */
struct profile {
    int sip_port_min, sip_port_max;
};

/* The default profile: exactly the seed document (docs/requirements.md). */
void profile_default(struct profile *p);

/* Load an INI profile file over the defaults; 0, or -1 with a sentence naming the line. */
int profile_load(const char *path, struct profile *p, char *err, size_t errlen);

#endif
