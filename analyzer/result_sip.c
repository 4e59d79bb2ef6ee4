/* result_sip.c — freeing the SIP part of a result (RFC 3261 objects), and its names. */
#include "result_sip.h"

#include <stdlib.h>

void
sip_call_free(struct sip_call *c)
{
    if (!c)
        return;
    free(c->forks);
    free(c->media);
    free(c->ladder);
    free(c);
}

void
sip_result_free(struct sip_result *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->n_calls; i++)
        sip_call_free(s->calls[i]);
    free(s->calls);
    free(s->regs);
    free(s->bindings);
    free(s);
}

const char *
sip_call_outcome_name(enum sip_call_outcome o)
{
    switch (o) {
    case SIP_CALL_UNANSWERED:
        return "unanswered";
    case SIP_CALL_ANSWERED:
        return "answered";
    case SIP_CALL_REJECTED:
        return "rejected";
    case SIP_CALL_CANCELLED:
        return "cancelled";
    case SIP_CALL_MIDCALL:
        return "in_progress_at_start";
    default:
        return "no_response";
    }
}
