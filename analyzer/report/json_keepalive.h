/* json_keepalive.h — the "keepalives" object of the JSON report (RFC 5626 §3.5.1 keep-alives per
 * NAT binding; docs/json-contract.md). */
#ifndef VOIPDIAG_REPORT_JSON_KEEPALIVE_H
#define VOIPDIAG_REPORT_JSON_KEEPALIVE_H

#include "json_stream.h"

#include "../result.h"

/* Write the "keepalives" member of the open report object to js; nothing when
 * r->keepalive is NULL. */
void report_json_keepalives(struct json_stream *js, const struct result *r);

#endif
