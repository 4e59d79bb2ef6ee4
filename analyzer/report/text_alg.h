/* text_alg.h — the text report's SIP ALG section: `field: before → after` per rewritten message,
 * one-sided messages, fingerprints (RFC 3261 §18.2.1, RFC 3581). */
#ifndef VOIPDIAG_REPORT_TEXT_ALG_H
#define VOIPDIAG_REPORT_TEXT_ALG_H

#include <stdio.h>

#include "../result.h"
#include "text.h"

/* Write the SIP ALG section of r (nothing when no SIP message was analysed). */
void report_text_alg(const struct result *r, const struct text_opts *o, FILE *out);

#endif
