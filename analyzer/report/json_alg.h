/* json_alg.h — the JSON report's "alg" object: SIP ALG rewrites proven at two capture points and
 * one-point fingerprints (RFC 3261 §18.2.1, RFC 3581). */
#ifndef VOIPDIAG_REPORT_JSON_ALG_H
#define VOIPDIAG_REPORT_JSON_ALG_H

#include <json-c/json.h>

#include "../result.h"

/* The "alg" object of r, or NULL when no SIP message was analysed (the key is then left out). */
struct json_object *report_json_alg(const struct result *r);

#endif
