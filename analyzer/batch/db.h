/* db.h — the batch index: SQLite file or shared PostgreSQL, same schema and migrations. */
#ifndef VOIPDIAG_BATCH_DB_H
#define VOIPDIAG_BATCH_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "row.h"

#define DB_SCHEMA_VERSION 1 /* the newest migration this build knows */

struct db;

/* One result row: names and values of its columns (a SQL NULL is NULL). Return 0 to go on. */
typedef int (*db_row_fn)(void *ctx, int ncols, const char *const *names, const char *const *values);

/*
 * Open the index: "postgresql://…" or "postgres://…" through libpq, anything else as a
 * SQLite file path (created if missing unless read_only). read_only refuses every statement
 * that writes. Returns NULL with one sentence in err.
 */
struct db *db_open(const char *spec, bool read_only, char *err, size_t errlen);

/* Apply the missing migrations in order, under a writer lock. 0, or -1 with err. */
int db_migrate(struct db *db, char *err, size_t errlen);

/*
 * Look up a capture by content and analysis version. Returns 1 and fills row's counts,
 * status, verdicts, summary columns and analysed_at when found; 0 when not; -1 with err.
 */
int db_find(struct db *db, const char *sha256, const char *tool_version, const char *profile_hash,
            struct batch_row *row, char *err, size_t errlen);

/* Store (or replace) row with its verdicts and findings in one transaction. 0 or -1 with err. */
int db_store(struct db *db, const struct batch_row *row, const char *tool_version,
             const char *profile_hash, char *err, size_t errlen);

/*
 * Run one read-only statement with text parameters $1…$n, calling fn for each row.
 * Returns 0, or -1 with err (a statement that would write is refused).
 */
int db_query(struct db *db, const char *sql, const char *const *params, int n, db_row_fn fn,
             void *ctx, char *err, size_t errlen);

void db_close(struct db *db);

#endif
