/* result_sip.h — the SIP part of a result: counts, dialogs/calls, registrations (report input). */
#ifndef VOIPDIAG_RESULT_SIP_H
#define VOIPDIAG_RESULT_SIP_H

#include <stdint.h>

/* Placeholder until the SIP tracker fills it (issue 3). */
struct sip_result {
    uint64_t messages;
};

void sip_result_free(struct sip_result *s);

#endif
