/* json.h — the JSON report (docs/json-contract.md), written with json-c. */
#ifndef VOIPDIAG_REPORT_JSON_H
#define VOIPDIAG_REPORT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "../result.h"

#define REPORT_SCHEMA_VERSION 1

/*
 * Write r as one JSON document (keys in a fixed order, one per line) to out.
 * Returns 0, or -1 with a sentence in err when memory or the write failed.
 */
int report_json_write(const struct result *r, FILE *out, char *err, size_t errlen);

#endif
