/* db_pg.c — the index in a shared PostgreSQL database (libpq), for batches on many machines. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

static int
pg_exec(struct db *db, const char *sql, const char *const *params, int n, db_row_fn fn, void *ctx,
        char *err, size_t errlen)
{
    PGconn *c = db->h;
    /* PQexecParams runs exactly one statement: what read-only queries need. */
    PGresult *res = n == 0 && !db->read_only ? PQexec(c, sql)
                                             : PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *m = PQresultErrorMessage(res);
        snprintf(err, errlen, "index: %.*s", (int)strcspn(m, "\n"), m);
        PQclear(res);
        return -1;
    }
    if (fn && st == PGRES_TUPLES_OK) {
        int nc = PQnfields(res) > 64 ? 64 : PQnfields(res);
        const char *names[64], *vals[64];
        for (int c2 = 0; c2 < nc; c2++)
            names[c2] = PQfname(res, c2);
        for (int r = 0; r < PQntuples(res); r++) {
            for (int c2 = 0; c2 < nc; c2++)
                vals[c2] = PQgetisnull(res, r, c2) ? NULL : PQgetvalue(res, r, c2);
            if (fn(ctx, nc, names, vals))
                break;
        }
    }
    PQclear(res);
    return 0;
}

static void
pg_close(struct db *db)
{
    PQfinish(db->h);
}

static const struct db_ops pg_ops = {
    .exec = pg_exec,
    .close = pg_close,
    .pk = "BIGSERIAL PRIMARY KEY",
    /* One writer at a time across every batch sharing the database (migrations, stores). */
    .begin_write = "BEGIN; SELECT pg_advisory_xact_lock(7663709)",
};

struct db *
db_pg_open(const char *conninfo, bool read_only, char *err, size_t errlen)
{
    struct db *db = calloc(1, sizeof(*db));
    if (!db) {
        snprintf(err, errlen, "out of memory opening the index");
        return NULL;
    }
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        const char *m = PQerrorMessage(c);
        snprintf(err, errlen, "cannot connect to the index: %.*s", (int)strcspn(m, "\n"), m);
        PQfinish(c);
        free(db);
        return NULL;
    }
    db->ops = &pg_ops;
    db->h = c;
    db->read_only = false;
    if (pg_exec(db, "SET client_min_messages = warning", NULL, 0, NULL, NULL, err, errlen) ||
        (read_only && pg_exec(db, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", NULL, 0,
                              NULL, NULL, err, errlen))) {
        db_close(db);
        return NULL;
    }
    db->read_only = read_only;
    return db;
}
