/* json_keepalive.h — the "keepalives" object of the JSON report (RFC 5626 §3.5.1 keep-alives per
 * NAT binding; docs/json-contract.md). */
#ifndef VOIPDIAG_REPORT_JSON_KEEPALIVE_H
#define VOIPDIAG_REPORT_JSON_KEEPALIVE_H

#include <json-c/json.h>

#include "../result.h"

/* The "keepalives" object ({"bindings": [...]}), or NULL when r->keepalive is NULL. */
struct json_object *report_json_keepalives(const struct result *r);

#endif
