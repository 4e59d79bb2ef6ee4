/* summary.h — the batch's one table, sorted by severity: text, CSV and JSON (pure writers). */
#ifndef VOIPDIAG_BATCH_SUMMARY_H
#define VOIPDIAG_BATCH_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "row.h"

/* Sort rows worst first (batch_status_rank), then by output name. */
void summary_sort(struct batch_row *rows, size_t n);

/* Worst status of all rows (BATCH_PASS for none). */
int summary_worst(const struct batch_row *rows, size_t n);

/* The table for a terminal. Returns 0, or -1 when the write failed. */
int summary_write_text(const struct batch_row *rows, size_t n, FILE *out);

/* RFC 4180 CSV with a header line. 0 or -1. */
int summary_write_csv(const struct batch_row *rows, size_t n, FILE *out);

/* One JSON document {schema_version, tool_version, exit_status, captures:[…]}. 0 or -1. */
int summary_write_json(const struct batch_row *rows, size_t n, const char *tool_version, FILE *out);

#endif
