/* worker.c — the child's side of a batch: pipeline_run on one file, reports, outcome record. */
#include "worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../pipeline.h"
#include "../report/json.h"
#include "../report/text.h"

const char *
batch_status_name(int st)
{
    switch (st) {
    case BATCH_PASS:
        return "PASS";
    case BATCH_CUT_SHORT:
        return "CUT_SHORT";
    case BATCH_WARN:
        return "WARN";
    case BATCH_FAIL:
        return "FAIL";
    case BATCH_INTERNAL:
        return "INTERNAL";
    default:
        return "UNREADABLE";
    }
}

int
batch_status_parse(const char *s)
{
    static const int all[] = {BATCH_PASS, BATCH_CUT_SHORT, BATCH_WARN, BATCH_FAIL, BATCH_INTERNAL};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (!strcmp(s, batch_status_name(all[i])))
            return all[i];
    return BATCH_UNREADABLE;
}

/* Copy s into a record field: tabs and line breaks become spaces. */
static void
put_field(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void
iso_time(int64_t ns, char *out, size_t outlen)
{
    time_t t = (time_t)(ns / 1000000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char base[32];
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, outlen, "%.19s.%06uZ", base,
             (unsigned)((uint64_t)ns % 1000000000u / 1000u) % 1000000u);
}

static int
write_reports(const struct worker_job *job, const struct result *r, char *err, size_t errlen)
{
    static const char *const ext[] = {"json", "txt"};
    for (int i = 0; i < 2; i++) {
        char p[4096 + 160];
        snprintf(p, sizeof(p), "%s/%s.%s", job->out_dir, job->name, ext[i]);
        FILE *f = fopen(p, "w");
        if (!f) {
            snprintf(err, errlen, "cannot write '%.400s': %s", p, strerror(errno));
            return -1;
        }
        struct text_opts to = {.max_flows = 50};
        int rc = i == 0 ? report_json_write(r, f, err, errlen)
                        : report_text_write(r, &to, f, err, errlen);
        if (fclose(f) != 0 && rc == 0) {
            snprintf(err, errlen, "cannot write '%.400s': %s", p, strerror(errno));
            rc = -1;
        }
        if (rc)
            return -1;
    }
    return 0;
}

/* The capture's status: the worst verdict, else cut short, else pass. */
static int
result_status(const struct result *r)
{
    int st = BATCH_PASS;
    for (int i = 0; i < REQ__COUNT; i++) {
        if (r->requirements[i].verdict == VERDICT_FAIL)
            st = BATCH_FAIL;
        else if (r->requirements[i].verdict == VERDICT_WARN && st != BATCH_FAIL)
            st = BATCH_WARN;
    }
    if (st == BATCH_PASS)
        for (size_t i = 0; i < r->n_inputs; i++)
            if (r->inputs[i].error[0] || r->inputs[i].truncated)
                st = BATCH_CUT_SHORT;
    return st;
}

static void
write_record(FILE *f, const struct result *r, int status, const char *error)
{
    fprintf(f, "S\t%d\t", status);
    put_field(f, error);
    fputc('\n', f);
    if (!r)
        return;
    char t0[40] = "", t1[40] = "";
    if (r->packets) {
        iso_time(r->first_ns, t0, sizeof(t0));
        iso_time(r->last_ns, t1, sizeof(t1));
    }
    uint64_t calls = r->sip ? r->sip->calls_total : 0;
    uint64_t phones = r->sip ? r->sip->n_regs + r->sip->regs_unlisted : 0;
    uint64_t total = r->n_findings;
    for (int c = 0; c < FIND__COUNT; c++)
        total += r->suppressed[c];
    fprintf(f, "N\t%llu\t%llu\t%llu\t%llu\t%llu\t%s\t%s\n", (unsigned long long)r->packets,
            (unsigned long long)r->flow_stats.created, (unsigned long long)calls,
            (unsigned long long)phones, (unsigned long long)total, t0, t1);
    for (int i = 0; i < REQ__COUNT; i++)
        fprintf(f, "V\t%s\t%s\n", requirement_name(r->requirements[i].id),
                verdict_name(r->requirements[i].verdict));
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct finding *fd = &r->findings[i];
        const struct finding_kind *k = catalog_get(fd->code);
        fprintf(f, "F\t%s\t%s\t%s\t%llu\t", k->name, severity_name(k->severity),
                k->requirement == REQ_NONE ? "" : requirement_name(k->requirement),
                (unsigned long long)fd->first.frame);
        put_field(f, fd->summary);
        fputc('\n', f);
    }
}

int
worker_run(const struct worker_job *job)
{
    char err[SOURCE_ERRBUF] = "";
    FILE *rec = fopen(job->record, "w");
    if (!rec)
        return -1;
    struct source_opts so = {0};
    const char *paths[1] = {job->path};
    struct source *src = source_open_files(paths, 1, &so, err, sizeof(err));
    if (!src) {
        write_record(rec, NULL, BATCH_UNREADABLE, err);
        return fclose(rec) ? -1 : 0;
    }
    struct pipeline_opts po;
    pipeline_opts_default(&po);
    po.profile = job->profile;
    struct result r;
    result_init(&r, po.max_flow_records);
    int status;
    if (pipeline_run(src, &po, &r, err, sizeof(err)) != 0) {
        status = BATCH_UNREADABLE;
    } else if (write_reports(job, &r, err, sizeof(err)) != 0) {
        status = BATCH_INTERNAL;
    } else {
        status = result_status(&r);
        for (size_t i = 0; i < r.n_inputs && !err[0]; i++)
            snprintf(err, sizeof(err), "%s", r.inputs[i].error);
    }
    write_record(rec, &r, status, err);
    result_free(&r);
    source_close(src);
    return fclose(rec) ? -1 : 0;
}

/* Split line at tabs into at most max fields (in place); returns the count. */
static int
split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\n")] = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = 0;
        line = t + 1;
    }
    return n;
}

static void
fill_summary(struct batch_row *row)
{
    row->failing[0] = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < REQ__COUNT; i++) {
            if (strcmp(row->verdict[i], pass ? "WARN" : "FAIL") != 0)
                continue;
            size_t n = strlen(row->failing);
            snprintf(row->failing + n, sizeof(row->failing) - n, "%s%s%s", n ? "," : "",
                     requirement_name((enum requirement_id)i), pass ? "(warn)" : "");
        }
    }
    static const char *const sev[] = {"fail", "warn", "info"};
    row->top_finding[0] = 0;
    for (int s = 0; s < 3 && !row->top_finding[0]; s++)
        for (size_t i = 0; i < row->n_findings; i++)
            if (!strcmp(row->findings[i].severity, sev[s])) {
                snprintf(row->top_finding, sizeof(row->top_finding), "%s: %s",
                         row->findings[i].name, row->findings[i].summary);
                break;
            }
}

int
worker_read_record(const char *record, struct batch_row *row)
{
    FILE *f = fopen(record, "r");
    if (!f) {
        snprintf(row->error, sizeof(row->error), "the worker left no outcome: %s", strerror(errno));
        return -1;
    }
    char line[1024];
    char *fl[8];
    int seen = 0;
    while (fgets(line, sizeof(line), f)) {
        int n = split(line, fl, 8);
        if (!strcmp(fl[0], "S") && n >= 3) {
            row->status = atoi(fl[1]);
            snprintf(row->error, sizeof(row->error), "%s", fl[2]);
            seen = 1;
        } else if (!strcmp(fl[0], "N") && n >= 8) {
            row->packets = strtoull(fl[1], NULL, 10);
            row->flows = strtoull(fl[2], NULL, 10);
            row->calls = strtoull(fl[3], NULL, 10);
            row->phones = strtoull(fl[4], NULL, 10);
            row->findings_total = strtoull(fl[5], NULL, 10);
            snprintf(row->first_time, sizeof(row->first_time), "%s", fl[6]);
            snprintf(row->last_time, sizeof(row->last_time), "%s", fl[7]);
        } else if (!strcmp(fl[0], "V") && n >= 3) {
            for (int i = 0; i < REQ__COUNT; i++)
                if (!strcmp(fl[1], requirement_name((enum requirement_id)i)))
                    snprintf(row->verdict[i], sizeof(row->verdict[i]), "%s", fl[2]);
        } else if (!strcmp(fl[0], "F") && n >= 6) {
            struct batch_finding *p =
                realloc(row->findings, (row->n_findings + 1) * sizeof(*row->findings));
            if (!p)
                break;
            row->findings = p;
            struct batch_finding *bf = &p[row->n_findings++];
            snprintf(bf->name, sizeof(bf->name), "%s", fl[1]);
            snprintf(bf->severity, sizeof(bf->severity), "%s", fl[2]);
            snprintf(bf->requirement, sizeof(bf->requirement), "%s", fl[3]);
            bf->first_frame = strtoull(fl[4], NULL, 10);
            snprintf(bf->summary, sizeof(bf->summary), "%s", fl[5]);
        }
    }
    fclose(f);
    if (!seen) {
        snprintf(row->error, sizeof(row->error), "the worker's outcome record is empty");
        return -1;
    }
    fill_summary(row);
    return 0;
}
