/* html_svg.h — the inline SVG drawings of the HTML report: SIP ladders, keep-alive timelines,
 * RTP bars. Pure writers of a const result; every string goes through html_esc. */
#ifndef VOIPDIAG_HTML_SVG_H
#define VOIPDIAG_HTML_SVG_H

#include <stdio.h>

#include "../result.h"

/* One call's ladder (sngrep flow): a lane per endpoint, an arrow per message, ALG-rewritten
 * messages (result->alg diffs of the call) highlighted, then the diffs listed. */
void html_svg_ladder(FILE *f, const struct result *r, const struct sip_call *c);

/* One keep-alive binding: per direction the expected cadence, the observed span, late gaps in
 * red, and rebinding events. */
void html_svg_keepalive(FILE *f, const struct result *r, const struct ka_binding *b);

/* A horizontal bar of value against max (0 < max), width w, the label written beside it. */
void html_svg_bar(FILE *f, double value, double max, int w, const char *color, const char *label);

#endif
