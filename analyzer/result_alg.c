/* result_alg.c — the SIP ALG part of a result (RFC 3261 §18.2.1, RFC 3581): names, lifetime. */
#include "result_alg.h"

#include <stdlib.h>

const char *
alg_confidence_name(enum alg_confidence c)
{
    switch (c) {
    case ALG_CONF_HIGH:
        return "high";
    case ALG_CONF_MEDIUM:
        return "medium";
    default:
        return "low";
    }
}

void
alg_result_free(struct alg_result *a)
{
    free(a);
}
