/* text_sip.c — placeholder: the SIP text report of issue 3 replaces this file. */
#include "text_sip.h"

void
report_text_sip(const struct result *r, const struct text_opts *o, FILE *out)
{
    (void)r, (void)o, (void)out;
}
