/* db_int.h — what each index backend (db_sqlite.c, db_pg.c) provides to db.c. */
#ifndef VOIPDIAG_BATCH_DB_INT_H
#define VOIPDIAG_BATCH_DB_INT_H

#include "db.h"

struct db_ops {
    /*
     * Run sql (several statements allowed when n == 0 and the handle may write) with text
     * parameters $1…$n; fn (may be NULL) sees each row. 0, or -1 with err.
     */
    int (*exec)(struct db *db, const char *sql, const char *const *params, int n, db_row_fn fn,
                void *ctx, char *err, size_t errlen);
    void (*close)(struct db *db);
    const char *pk; /* the id column's type: "INTEGER PRIMARY KEY" / "BIGSERIAL PRIMARY KEY" */
    const char *begin_write; /* start a transaction that excludes other writers */
};

struct db {
    const struct db_ops *ops;
    void *h;
    bool read_only;
};

struct db *db_sqlite_open(const char *path, bool read_only, char *err, size_t errlen);
struct db *db_pg_open(const char *conninfo, bool read_only, char *err, size_t errlen);

#endif
