/* query.c — the index's history: named queries and read-only SQL (`voipdiag batch --query`). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"

struct named {
    const char *name;
    const char *sql; /* $1: the --since lower bound of analysed_at */
};

static const struct named named[] = {
    {"failing-nat",
     "SELECT c.analysed_at, c.name, c.path, v.verdict, c.top_finding FROM captures c"
     " JOIN verdicts v ON v.capture_id = c.id WHERE v.requirement = 'NAT' AND v.verdict = 'FAIL'"
     " AND c.analysed_at >= $1 ORDER BY c.analysed_at, c.name"},
    {"failing", "SELECT v.requirement, COUNT(*) AS captures FROM verdicts v JOIN captures c ON"
                " c.id = v.capture_id WHERE v.verdict = 'FAIL' AND c.analysed_at >= $1"
                " GROUP BY v.requirement ORDER BY captures DESC, v.requirement"},
    {"top-findings",
     "SELECT f.name, f.severity, COUNT(DISTINCT f.capture_id) AS captures FROM findings f"
     " JOIN captures c ON c.id = f.capture_id WHERE c.analysed_at >= $1"
     " GROUP BY f.name, f.severity ORDER BY captures DESC, f.name"},
    {"recent", "SELECT analysed_at, status, name, packets, failing, top_finding FROM captures"
               " WHERE analysed_at >= $1 ORDER BY analysed_at DESC, name"},
    {"unreadable", "SELECT analysed_at, name, path, error FROM captures WHERE status = 'UNREADABLE'"
                   " AND analysed_at >= $1 ORDER BY analysed_at, name"},
};

const char *const batch_query_names[] = {
    "failing-nat   captures whose NAT requirement FAILed",
    "failing       FAIL verdicts counted by requirement",
    "top-findings  findings counted by the captures showing them",
    "recent        every capture, newest first",
    "unreadable    files that were not captures or could not be read",
    NULL,
};

/* Turn "7d", "12h", "30m" into an ISO time that far back, or keep an ISO date as it is. */
static int
since_bound(const char *since, char *out, size_t outlen, char *err, size_t errlen)
{
    if (!since) {
        snprintf(out, outlen, "0000");
        return 0;
    }
    char *end;
    long v = strtol(since, &end, 10);
    long mult = !strcmp(end, "d") ? 86400 : !strcmp(end, "h") ? 3600 : !strcmp(end, "m") ? 60 : 0;
    if (end != since && v >= 0 && mult) {
        time_t t = time(NULL) - (time_t)(v * mult);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return 0;
    }
    if (strlen(since) >= 4 && isdigit((unsigned char)since[0])) {
        snprintf(out, outlen, "%s", since);
        return 0;
    }
    snprintf(err, errlen, "--since takes 7d, 12h, 30m or an ISO date, not '%s'", since);
    return -1;
}

int
batch_query(const char *dbspec, const char *sql_or_name, const char *since, db_row_fn fn, void *ctx,
            char *err, size_t errlen)
{
    char bound[40];
    if (since_bound(since, bound, sizeof(bound), err, errlen))
        return -1;
    const char *sql = sql_or_name;
    int np = 0;
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (!strcmp(sql_or_name, named[i].name)) {
            sql = named[i].sql;
            np = 1;
        }
    if (!np && since) {
        snprintf(err, errlen, "--since applies to named queries only");
        return -1;
    }
    if (!np && !strchr(sql, ' ')) {
        snprintf(err, errlen, "unknown named query '%s' (see voipdiag --help)", sql);
        return -1;
    }
    struct db *db = db_open(dbspec, true, err, errlen);
    if (!db)
        return -1;
    const char *p[1] = {bound};
    int rc = db_query(db, sql, p, np, fn, ctx, err, errlen);
    db_close(db);
    return rc;
}
