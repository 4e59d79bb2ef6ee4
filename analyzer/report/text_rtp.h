/* text_rtp.h — the text report's media sections: stream tables and media verdicts per call. */
#ifndef VOIPDIAG_REPORT_TEXT_RTP_H
#define VOIPDIAG_REPORT_TEXT_RTP_H

#include <stdio.h>

#include "../result.h"
#include "text.h"

/* Write the media sections of r (nothing when r->media is NULL). */
void report_text_rtp(const struct result *r, const struct text_opts *o, FILE *out);

#endif
