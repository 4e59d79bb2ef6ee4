/* text_keepalive.h — the text report's NAT keep-alive section (RFC 5626 §3.5.1): one strip and
 * the figures per phone binding. */
#ifndef VOIPDIAG_REPORT_TEXT_KEEPALIVE_H
#define VOIPDIAG_REPORT_TEXT_KEEPALIVE_H

#include <stdio.h>

#include "../result.h"
#include "text.h"

/* Write the keep-alive section (nothing when r->keepalive is NULL or has no binding). */
void report_text_keepalive(const struct result *r, const struct text_opts *o, FILE *out);

#endif
