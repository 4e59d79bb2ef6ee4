/* json_sip.h — the "sip" and "rtp" objects of the JSON report (docs/json-contract.md). */
#ifndef VOIPDIAG_REPORT_JSON_SIP_H
#define VOIPDIAG_REPORT_JSON_SIP_H

#include "json_stream.h"

#include "../result.h"

/* Write the "sip" member of the open report object to js; nothing when r->sip is NULL. */
void report_json_sip(struct json_stream *js, const struct result *r);

#endif
