/* worker.h — one capture analysed in a child process: reports written, outcome recorded. */
#ifndef VOIPDIAG_BATCH_WORKER_H
#define VOIPDIAG_BATCH_WORKER_H

#include <stddef.h>

#include "row.h"

struct profile;

struct worker_job {
    const char *path;    /* capture to analyse */
    const char *out_dir; /* reports go to <out_dir>/<name>.json and .txt */
    const char *name;    /* safe base name */
    const struct profile *profile;
    const char *record; /* where the outcome is written for the parent */
};

/*
 * Analyse job->path with the same pipeline as `voipdiag analyze`, write the JSON and text
 * reports, and write the outcome (status, error, counts, verdicts, findings) to job->record.
 * Meant for a forked child; returns 0 when the record was written (whatever the capture's
 * status), -1 when even that failed.
 */
int worker_run(const struct worker_job *job);

/*
 * Read a record written by worker_run into row (path, name, sha256 and size are left as
 * they are). Returns 0, or -1 with one sentence in row->error when it is missing or bad.
 */
int worker_read_record(const char *record, struct batch_row *row);

#endif
