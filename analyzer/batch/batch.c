/* batch.c — the batch driver: walk, look up, fork workers (≤ N at once), collect, index. */
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "summary.h"
#include "walk.h"
#include "worker.h"

struct run {
    const struct batch_opts *o;
    struct batch_result *res;
    struct db *db;
    char profile_hash[SHA256_HEX];
    pid_t *pids; /* pid of the worker of row i, 0 when none */
    char store_err[512];
};

static int
mkdir_p(const char *dir, char *err, size_t errlen)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            goto fail;
        *s = '/';
    }
    if (mkdir(p, 0755) == 0 || errno == EEXIST)
        return 0;
fail:
    snprintf(err, errlen, "cannot create output directory '%s': %s", p, strerror(errno));
    return -1;
}

static void
record_path(const struct run *ru, size_t i, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/.%s.outcome", ru->o->out_dir, ru->res->rows[i].name);
}

static void
store(struct run *ru, struct batch_row *row)
{
    char err[512];
    if (db_store(ru->db, row, ru->o->tool_version, ru->profile_hash, err, sizeof(err)) &&
        !ru->store_err[0])
        snprintf(ru->store_err, sizeof(ru->store_err), "%s", err);
}

/* A worker ended with wait status ws: read its outcome into row i and index it. */
static void
collect(struct run *ru, size_t i, int ws)
{
    struct batch_row *row = &ru->res->rows[i];
    char rec[4200];
    record_path(ru, i, rec, sizeof(rec));
    if (WIFSIGNALED(ws)) {
        row->status = BATCH_UNREADABLE;
        snprintf(row->error, sizeof(row->error), "the analysis of '%.400s' died of signal %d",
                 row->path, WTERMSIG(ws));
    } else if (worker_read_record(rec, row) != 0) {
        row->status = BATCH_UNREADABLE;
    }
    unlink(rec);
    ru->res->analysed++;
    store(ru, row);
}

/* Wait for one worker and collect it. Returns 0, or -1 when there was none. */
static int
reap_one(struct run *ru)
{
    int ws;
    pid_t pid;
    while ((pid = waitpid(-1, &ws, 0)) < 0 && errno == EINTR)
        ;
    if (pid < 0)
        return -1;
    for (size_t i = 0; i < ru->res->n; i++) {
        if (ru->pids[i] == pid) {
            ru->pids[i] = 0;
            collect(ru, i, ws);
            return 0;
        }
    }
    return 0; /* not one of ours */
}

static int
spawn(struct run *ru, size_t i)
{
    struct batch_row *row = &ru->res->rows[i];
    char rec[4200];
    record_path(ru, i, rec, sizeof(rec));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct worker_job job = {row->path, ru->o->out_dir, row->name, ru->o->profile, rec};
        _exit(worker_run(&job) == 0 ? 0 : 1);
    }
    ru->pids[i] = pid;
    return 0;
}

/* Sniff, hash and look up every entry; fill the rows; 0 or -1 (index failure). */
static int
prepare(struct run *ru, const struct walk_entry *w, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        struct batch_row *row = &ru->res->rows[i];
        snprintf(row->path, sizeof(row->path), "%s", w[i].path);
        snprintf(row->name, sizeof(row->name), "%s", w[i].name);
        if (w[i].kind == WALK_UNREADABLE ||
            sha256_file(row->path, row->sha256, &row->size, row->error, sizeof(row->error))) {
            row->status = BATCH_UNREADABLE;
            if (w[i].kind == WALK_UNREADABLE)
                snprintf(row->error, sizeof(row->error), "%s", w[i].error);
            row->sha256[0] = 0;
            continue;
        }
        if (!ru->o->force) {
            int f = db_find(ru->db, row->sha256, ru->o->tool_version, ru->profile_hash, row, err,
                            errlen);
            if (f < 0)
                return -1;
            if (f == 1) {
                row->skipped = true;
                ru->res->skipped++;
                continue;
            }
        }
        if (w[i].kind == WALK_NOT_CAPTURE) {
            row->status = BATCH_UNREADABLE;
            snprintf(row->error, sizeof(row->error), "%s", w[i].error);
            store(ru, row); /* indexed too: the next run reports it without reading it */
            continue;
        }
        row->status = -1; /* to analyse */
    }
    return 0;
}

int
batch_run(const struct batch_opts *o, struct batch_result *res, char *err, size_t errlen)
{
    struct run ru = {.o = o, .res = res};
    struct walk_entry *w = NULL;
    size_t n = 0;
    int rc = -1;
    memset(res, 0, sizeof(*res));
    if (mkdir_p(o->out_dir, err, errlen))
        return -1;
    char dbpath[4200];
    snprintf(dbpath, sizeof(dbpath), "%s/voipdiag.db", o->out_dir);
    ru.db = db_open(o->db ? o->db : dbpath, false, err, errlen);
    if (!ru.db || db_migrate(ru.db, err, errlen))
        goto out;
    snprintf(ru.profile_hash, sizeof(ru.profile_hash), "builtin");
    uint64_t psize;
    if (o->profile_path && sha256_file(o->profile_path, ru.profile_hash, &psize, err, errlen))
        goto out;
    if (walk_paths(o->paths, o->n_paths, o->out_dir, &w, &n, err, errlen))
        goto out;
    res->rows = calloc(n ? n : 1, sizeof(*res->rows));
    ru.pids = calloc(n ? n : 1, sizeof(*ru.pids));
    if (!res->rows || !ru.pids) {
        snprintf(err, errlen, "out of memory for %zu captures", n);
        goto out;
    }
    res->n = n;
    if (prepare(&ru, w, n, err, errlen))
        goto out;

    unsigned running = 0;
    for (size_t i = 0; i < n; i++) {
        if (res->rows[i].status != -1)
            continue;
        if (running >= o->jobs && reap_one(&ru) == 0)
            running--;
        if (spawn(&ru, i)) {
            res->rows[i].status = BATCH_UNREADABLE;
            snprintf(res->rows[i].error, sizeof(res->rows[i].error), "cannot start a worker: %s",
                     strerror(errno));
            continue;
        }
        running++;
    }
    while (running && reap_one(&ru) == 0)
        running--;

    summary_sort(res->rows, res->n);
    res->status = summary_worst(res->rows, res->n);
    static const char *const names[] = {"summary.csv", "summary.json"};
    for (int k = 0; k < 2; k++) {
        char p[4200];
        snprintf(p, sizeof(p), "%s/%s", o->out_dir, names[k]);
        FILE *f = fopen(p, "w");
        int wrc = !f || (k == 0 ? summary_write_csv(res->rows, res->n, f)
                                : summary_write_json(res->rows, res->n, o->tool_version, f));
        if ((f && fclose(f) != 0) || wrc) {
            snprintf(err, errlen, "cannot write '%.400s': %s", p, strerror(errno));
            goto out;
        }
    }
    if (ru.store_err[0]) {
        snprintf(err, errlen, "%s", ru.store_err);
        goto out;
    }
    rc = 0;
out:
    walk_free(w, n);
    free(ru.pids);
    db_close(ru.db);
    return rc;
}

void
batch_result_free(struct batch_result *res)
{
    for (size_t i = 0; i < res->n; i++)
        free(res->rows[i].findings);
    free(res->rows);
    memset(res, 0, sizeof(*res));
}
