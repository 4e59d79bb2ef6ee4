/* json_rtp.h — the "rtp" object of the JSON report (docs/json-contract.md). */
#ifndef VOIPDIAG_REPORT_JSON_RTP_H
#define VOIPDIAG_REPORT_JSON_RTP_H

#include <json-c/json.h>

#include "../result.h"

/* The "rtp" object, or NULL when r->media is NULL. */
struct json_object *report_json_rtp(const struct result *r);

#endif
