/* text_sip.h — the text report's SIP sections: calls, ladders, registrations. */
#ifndef VOIPDIAG_REPORT_TEXT_SIP_H
#define VOIPDIAG_REPORT_TEXT_SIP_H

#include <stdio.h>

#include "../result.h"
#include "text.h"

/* Write the SIP sections of r (nothing when r->sip is NULL). */
void report_text_sip(const struct result *r, const struct text_opts *o, FILE *out);

#endif
