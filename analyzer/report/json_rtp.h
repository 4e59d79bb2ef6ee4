/* json_rtp.h — the "rtp" object of the JSON report (docs/json-contract.md). */
#ifndef VOIPDIAG_REPORT_JSON_RTP_H
#define VOIPDIAG_REPORT_JSON_RTP_H

#include "json_stream.h"

#include "../result.h"

/* Write the "rtp" member of the open report object to js; nothing when r->media is NULL. */
void report_json_rtp(struct json_stream *js, const struct result *r);

#endif
