/* db.c — the index's schema, versioned migrations and the statements a batch runs on it. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"

/*
 * Migrations, applied in order, each once, recorded in schema_version. Never edit one that
 * has shipped: add the next. "@PK@" is the backend's auto-numbered id column type.
 */
static const char *const migrations[DB_SCHEMA_VERSION] = {
    /* 1: captures, their verdicts and findings */
    "CREATE TABLE captures ("
    " id @PK@,"
    " sha256 TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL,"
    " analysed_at TEXT NOT NULL, tool_version TEXT NOT NULL, profile_hash TEXT NOT NULL,"
    " exit_status INTEGER NOT NULL, status TEXT NOT NULL, error TEXT,"
    " packets BIGINT, flows BIGINT, calls BIGINT, phones BIGINT, findings BIGINT,"
    " first_time TEXT, last_time TEXT, failing TEXT, top_finding TEXT,"
    " UNIQUE (sha256, tool_version, profile_hash));"
    "CREATE INDEX captures_analysed_at ON captures (analysed_at);"
    "CREATE TABLE verdicts ("
    " capture_id BIGINT NOT NULL REFERENCES captures (id) ON DELETE CASCADE,"
    " requirement TEXT NOT NULL, verdict TEXT NOT NULL, PRIMARY KEY (capture_id, requirement));"
    "CREATE TABLE findings ("
    " capture_id BIGINT NOT NULL REFERENCES captures (id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, severity TEXT NOT NULL, requirement TEXT,"
    " first_frame BIGINT, summary TEXT NOT NULL);"
    "CREATE INDEX findings_capture ON findings (capture_id);"
    "CREATE INDEX findings_name ON findings (name);",
};

struct db *
db_open(const char *spec, bool read_only, char *err, size_t errlen)
{
    if (!strncmp(spec, "postgresql://", 13) || !strncmp(spec, "postgres://", 11))
        return db_pg_open(spec, read_only, err, errlen);
    return db_sqlite_open(spec, read_only, err, errlen);
}

void
db_close(struct db *db)
{
    if (!db)
        return;
    db->ops->close(db);
    free(db);
}

static int
exec(struct db *db, const char *sql, const char *const *p, int n, db_row_fn fn, void *ctx,
     char *err, size_t errlen)
{
    return db->ops->exec(db, sql, p, n, fn, ctx, err, errlen);
}

static void
rollback(struct db *db)
{
    char ignored[128];
    exec(db, "ROLLBACK", NULL, 0, NULL, NULL, ignored, sizeof(ignored));
}

static int
first_int(void *ctx, int nc, const char *const *names, const char *const *v)
{
    (void)names;
    if (nc > 0 && v[0])
        *(long *)ctx = atol(v[0]);
    return 1;
}

static void
now_iso(char *out, size_t outlen)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Copy migration sql with @PK@ replaced by pk into a new string (caller frees), or NULL. */
static char *
expand(const char *sql, const char *pk)
{
    size_t n = strlen(sql) + 64;
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    for (const char *s = sql; *s;) {
        if (!strncmp(s, "@PK@", 4)) {
            o += sprintf(o, "%s", pk);
            s += 4;
        } else {
            *o++ = *s++;
        }
    }
    *o = 0;
    return out;
}

int
db_migrate(struct db *db, char *err, size_t errlen)
{
    if (exec(db, db->ops->begin_write, NULL, 0, NULL, NULL, err, errlen))
        return -1;
    long have = 0;
    if (exec(db,
             "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
             " applied_at TEXT NOT NULL)",
             NULL, 0, NULL, NULL, err, errlen) ||
        exec(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL, 0, first_int, &have,
             err, errlen))
        goto fail;
    if (have > DB_SCHEMA_VERSION) {
        snprintf(err, errlen, "the index has schema version %ld, newer than this voipdiag's %d",
                 have, DB_SCHEMA_VERSION);
        goto fail;
    }
    for (long v = have + 1; v <= DB_SCHEMA_VERSION; v++) {
        char *sql = expand(migrations[v - 1], db->ops->pk);
        char vs[24], at[32];
        snprintf(vs, sizeof(vs), "%ld", v);
        now_iso(at, sizeof(at));
        const char *p[2] = {vs, at};
        int rc = !sql || exec(db, sql, NULL, 0, NULL, NULL, err, errlen) ||
                 exec(db, "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)", p, 2,
                      NULL, NULL, err, errlen);
        free(sql);
        if (rc)
            goto fail;
    }
    return exec(db, "COMMIT", NULL, 0, NULL, NULL, err, errlen);
fail:
    rollback(db);
    return -1;
}

static void
copy_col(char *dst, size_t n, const char *v)
{
    snprintf(dst, n, "%s", v ? v : "");
}

static uint64_t
u64(const char *v)
{
    return v ? strtoull(v, NULL, 10) : 0;
}

struct find_ctx {
    struct batch_row *row;
    long id;
};

static int
find_row(void *ctx, int nc, const char *const *names, const char *const *v)
{
    struct find_ctx *fc = ctx;
    struct batch_row *r = fc->row;
    (void)names;
    if (nc < 14)
        return 1;
    fc->id = atol(v[0]);
    r->status = atoi(v[1] ? v[1] : "3");
    copy_col(r->error, sizeof(r->error), v[2]);
    r->packets = u64(v[3]);
    r->flows = u64(v[4]);
    r->calls = u64(v[5]);
    r->phones = u64(v[6]);
    r->findings_total = u64(v[7]);
    copy_col(r->first_time, sizeof(r->first_time), v[8]);
    copy_col(r->last_time, sizeof(r->last_time), v[9]);
    copy_col(r->failing, sizeof(r->failing), v[10]);
    copy_col(r->top_finding, sizeof(r->top_finding), v[11]);
    copy_col(r->analysed_at, sizeof(r->analysed_at), v[12]);
    return 1;
}

static int
find_verdict(void *ctx, int nc, const char *const *names, const char *const *v)
{
    struct batch_row *r = ctx;
    (void)names;
    for (int i = 0; nc >= 2 && v[0] && i < REQ__COUNT; i++)
        if (!strcmp(v[0], requirement_name((enum requirement_id)i)))
            copy_col(r->verdict[i], sizeof(r->verdict[i]), v[1]);
    return 0;
}

int
db_find(struct db *db, const char *sha256, const char *tool_version, const char *profile_hash,
        struct batch_row *row, char *err, size_t errlen)
{
    const char *p[3] = {sha256, tool_version, profile_hash};
    struct find_ctx fc = {row, -1};
    if (exec(db,
             "SELECT id, exit_status, error, packets, flows, calls, phones, findings, first_time,"
             " last_time, failing, top_finding, analysed_at, name FROM captures"
             " WHERE sha256 = $1 AND tool_version = $2 AND profile_hash = $3",
             p, 3, find_row, &fc, err, errlen))
        return -1;
    if (fc.id < 0)
        return 0;
    char id[24];
    snprintf(id, sizeof(id), "%ld", fc.id);
    const char *q[1] = {id};
    if (exec(db, "SELECT requirement, verdict FROM verdicts WHERE capture_id = $1", q, 1,
             find_verdict, row, err, errlen))
        return -1;
    return 1;
}

static int
store_rows(struct db *db, const struct batch_row *r, const char *tool, const char *prof, char *err,
           size_t errlen)
{
    const char *key[3] = {r->sha256, tool, prof};
    if (exec(db,
             "DELETE FROM findings WHERE capture_id IN (SELECT id FROM captures WHERE sha256 = $1"
             " AND tool_version = $2 AND profile_hash = $3)",
             key, 3, NULL, NULL, err, errlen) ||
        exec(db,
             "DELETE FROM verdicts WHERE capture_id IN (SELECT id FROM captures WHERE sha256 = $1"
             " AND tool_version = $2 AND profile_hash = $3)",
             key, 3, NULL, NULL, err, errlen) ||
        exec(db,
             "DELETE FROM captures WHERE sha256 = $1 AND tool_version = $2 AND profile_hash = $3",
             key, 3, NULL, NULL, err, errlen))
        return -1;
    char size[24], st[8], pk[24], fl[24], ca[24], ph[24], fi[24], at[32];
    snprintf(size, sizeof(size), "%llu", (unsigned long long)r->size);
    snprintf(st, sizeof(st), "%d", r->status);
    snprintf(pk, sizeof(pk), "%llu", (unsigned long long)r->packets);
    snprintf(fl, sizeof(fl), "%llu", (unsigned long long)r->flows);
    snprintf(ca, sizeof(ca), "%llu", (unsigned long long)r->calls);
    snprintf(ph, sizeof(ph), "%llu", (unsigned long long)r->phones);
    snprintf(fi, sizeof(fi), "%llu", (unsigned long long)r->findings_total);
    now_iso(at, sizeof(at));
    const char *p[19] = {r->sha256,
                         r->path,
                         r->name,
                         size,
                         at,
                         tool,
                         prof,
                         st,
                         batch_status_name(r->status),
                         r->error,
                         pk,
                         fl,
                         ca,
                         ph,
                         fi,
                         r->first_time,
                         r->last_time,
                         r->failing,
                         r->top_finding};
    long id = -1;
    if (exec(db,
             "INSERT INTO captures (sha256, path, name, size, analysed_at, tool_version,"
             " profile_hash, exit_status, status, error, packets, flows, calls, phones, findings,"
             " first_time, last_time, failing, top_finding) VALUES ($1, $2, $3, $4, $5, $6, $7,"
             " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
             p, 19, first_int, &id, err, errlen))
        return -1;
    char ids[24];
    snprintf(ids, sizeof(ids), "%ld", id);
    for (int i = 0; i < REQ__COUNT; i++) {
        if (!r->verdict[i][0])
            continue;
        const char *v[3] = {ids, requirement_name((enum requirement_id)i), r->verdict[i]};
        if (exec(db, "INSERT INTO verdicts (capture_id, requirement, verdict) VALUES ($1, $2, $3)",
                 v, 3, NULL, NULL, err, errlen))
            return -1;
    }
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct batch_finding *f = &r->findings[i];
        char frame[24];
        snprintf(frame, sizeof(frame), "%llu", (unsigned long long)f->first_frame);
        const char *v[6] = {ids,         f->name,
                            f->severity, f->requirement[0] ? f->requirement : NULL,
                            frame,       f->summary};
        if (exec(db,
                 "INSERT INTO findings (capture_id, name, severity, requirement, first_frame,"
                 " summary) VALUES ($1, $2, $3, $4, $5, $6)",
                 v, 6, NULL, NULL, err, errlen))
            return -1;
    }
    return 0;
}

int
db_store(struct db *db, const struct batch_row *row, const char *tool_version,
         const char *profile_hash, char *err, size_t errlen)
{
    if (exec(db, db->ops->begin_write, NULL, 0, NULL, NULL, err, errlen))
        return -1;
    if (store_rows(db, row, tool_version, profile_hash, err, errlen)) {
        rollback(db);
        return -1;
    }
    return exec(db, "COMMIT", NULL, 0, NULL, NULL, err, errlen);
}

int
db_query(struct db *db, const char *sql, const char *const *params, int n, db_row_fn fn, void *ctx,
         char *err, size_t errlen)
{
    if (!db->read_only) {
        snprintf(err, errlen, "index: queries need a read-only handle");
        return -1;
    }
    return exec(db, sql, params, n, fn, ctx, err, errlen);
}
