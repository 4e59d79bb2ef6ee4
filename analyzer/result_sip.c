/* result_sip.c — freeing the SIP part of a result. */
#include "result_sip.h"

#include <stdlib.h>

void
sip_result_free(struct sip_result *s)
{
    free(s);
}
