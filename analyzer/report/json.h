/* json.h — the JSON report (docs/json-contract.md), written with json-c. */
#ifndef VOIPDIAG_REPORT_JSON_H
#define VOIPDIAG_REPORT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "../result.h"

#define REPORT_SCHEMA_VERSION 1

/*
 * Write r as one JSON document (keys in a fixed order, one per line, json-c's pretty layout)
 * to out, streamed: memory holds one list element at a time. Returns 0, or -1 with a sentence
 * in err when memory or the write failed (out may then hold a partial document).
 */
int report_json_write(const struct result *r, FILE *out, char *err, size_t errlen);

/*
 * The same document as a json-c tree (the caller puts it), or NULL when memory failed.
 * json_object_to_json_string_ext(tree, JSON_STREAM_FLAGS) plus a newline is byte for byte what
 * report_json_write writes; the tests hold the two together.
 */
struct json_object *report_json_build(const struct result *r);

#endif
