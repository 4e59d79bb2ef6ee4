/* html.h — the self-contained HTML report (--html FILE): inline CSS and SVG, no scripts. */
#ifndef VOIPDIAG_REPORT_HTML_H
#define VOIPDIAG_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "../result.h"

/*
 * Write r as one HTML document to out: a Content-Security-Policy that forbids scripts and
 * every fetch, then the verdict table (id "verdicts"), findings with their evidence frames,
 * per-call SIP ladders, keep-alive timelines, RTP streams and capture facts. Every string is
 * escaped (html_esc). Returns 0, or -1 with a sentence in err when writing failed.
 */
int report_html_write(const struct result *r, FILE *out, char *err, size_t errlen);

#endif
