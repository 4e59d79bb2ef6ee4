/* batch.h — triage of many captures: walk, analyse N in parallel, index, summarise. */
#ifndef VOIPDIAG_BATCH_H
#define VOIPDIAG_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "row.h"

struct profile;

struct batch_opts {
    char *const *paths; /* files and directories */
    size_t n_paths;
    unsigned jobs;            /* captures analysed at once (worker processes); ≥ 1 */
    const char *out_dir;      /* created if missing */
    const char *db;           /* SQLite path or postgresql:// URL; NULL: <out_dir>/voipdiag.db */
    const char *profile_path; /* NULL: the built-in profile */
    const struct profile *profile;
    bool force; /* analyse again what the index already holds */
    const char *tool_version;
};

struct batch_result {
    struct batch_row *rows; /* sorted worst first */
    size_t n;
    int status; /* worst enum batch_status of the rows */
    size_t analysed, skipped;
};

/*
 * Run a batch: every file found is sniffed, hashed, looked up in the index (skipped when the
 * same content was analysed by the same tool and profile version, unless force), analysed
 * by a forked worker (at most jobs at once) that writes <out>/<name>.json and .txt, and
 * stored in the index; <out>/summary.csv and summary.json are written. A capture that cannot
 * be analysed is a row with its error, never a failure of the batch. Returns 0 with *res
 * filled (free with batch_result_free), or -1 with one sentence in err when the output
 * directory, the index or memory failed (*res then holds the rows done so far).
 */
int batch_run(const struct batch_opts *o, struct batch_result *res, char *err, size_t errlen);

void batch_result_free(struct batch_result *res);

/*
 * Run a read-only query on the index at db: sql_or_name is a named query (batch_query_names)
 * or one SQL statement; since ("7d", "12h", "30m" or an ISO date; NULL = all time) is the
 * named queries' $1. fn sees each row. 0, or -1 with err.
 */
int batch_query(const char *db, const char *sql_or_name, const char *since, db_row_fn fn, void *ctx,
                char *err, size_t errlen);

/* "name  description" lines of the named queries, NULL-terminated. */
extern const char *const batch_query_names[];

#endif
