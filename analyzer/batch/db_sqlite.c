/* db_sqlite.c — the index in an embedded SQLite file (libsqlite3). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "db_int.h"

static int
sq_exec(struct db *db, const char *sql, const char *const *params, int n, db_row_fn fn, void *ctx,
        char *err, size_t errlen)
{
    sqlite3 *h = db->h;
    const char *tail = sql;
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(h, tail, -1, &st, &tail) != SQLITE_OK) {
            snprintf(err, errlen, "index: %s", sqlite3_errmsg(h));
            return -1;
        }
        if (!st)
            continue; /* white space or a comment */
        if (db->read_only && !sqlite3_stmt_readonly(st)) {
            sqlite3_finalize(st);
            snprintf(err, errlen, "index: only read-only statements are allowed here");
            return -1;
        }
        for (int i = 0; i < n && i < sqlite3_bind_parameter_count(st); i++)
            sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
        int rc, stop = 0;
        while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (!fn)
                continue;
            int nc = sqlite3_column_count(st);
            const char *names[64], *vals[64];
            nc = nc > 64 ? 64 : nc;
            for (int c = 0; c < nc; c++) {
                names[c] = sqlite3_column_name(st, c);
                vals[c] = (const char *)sqlite3_column_text(st, c);
            }
            stop = fn(ctx, nc, names, vals);
        }
        if (!stop && rc != SQLITE_DONE) {
            snprintf(err, errlen, "index: %s", sqlite3_errmsg(h));
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
    }
    return 0;
}

static void
sq_close(struct db *db)
{
    sqlite3_close(db->h);
}

static const struct db_ops sqlite_ops = {
    .exec = sq_exec,
    .close = sq_close,
    .pk = "INTEGER PRIMARY KEY",
    .begin_write = "BEGIN IMMEDIATE",
};

struct db *
db_sqlite_open(const char *path, bool read_only, char *err, size_t errlen)
{
    struct db *db = calloc(1, sizeof(*db));
    sqlite3 *h = NULL;
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (!db) {
        snprintf(err, errlen, "out of memory opening the index");
        return NULL;
    }
    if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open index '%s': %s", path, h ? sqlite3_errmsg(h) : "?");
        sqlite3_close(h);
        free(db);
        return NULL;
    }
    sqlite3_busy_timeout(h, 30000); /* another batch writing the same file waits, not fails */
    db->ops = &sqlite_ops;
    db->h = h;
    db->read_only = read_only;
    if (!read_only && sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON", NULL, 0, NULL,
                              NULL, err, errlen)) {
        db_close(db);
        return NULL;
    }
    return db;
}
