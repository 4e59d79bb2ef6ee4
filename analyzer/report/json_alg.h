/* json_alg.h — the JSON report's "alg" object: SIP ALG rewrites proven at two capture points and
 * one-point fingerprints (RFC 3261 §18.2.1, RFC 3581). */
#ifndef VOIPDIAG_REPORT_JSON_ALG_H
#define VOIPDIAG_REPORT_JSON_ALG_H

#include "json_stream.h"

#include "../result.h"

/* Write the "alg" member of the open report object to js; nothing when
 * no SIP message was analysed. */
void report_json_alg(struct json_stream *js, const struct result *r);

#endif
