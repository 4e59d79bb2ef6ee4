/* text_rtp.c — placeholder: the media text report of issue 4 replaces this file. */
#include "text_rtp.h"

void
report_text_rtp(const struct result *r, const struct text_opts *o, FILE *out)
{
    (void)r, (void)o, (void)out;
}
