/* json_sip.h — the "sip" and "rtp" objects of the JSON report (docs/json-contract.md). */
#ifndef VOIPDIAG_REPORT_JSON_SIP_H
#define VOIPDIAG_REPORT_JSON_SIP_H

#include <json-c/json.h>

#include "../result.h"

/* The "sip" object, or NULL when r->sip is NULL. */
struct json_object *report_json_sip(const struct result *r);

#endif
