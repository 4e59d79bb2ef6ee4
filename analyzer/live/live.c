/* live.c — the glue of `voipdiag live`: finding observer, progress hook, SIGHUP reopen. */
#include "live.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"
#include "status.h"

static volatile sig_atomic_t reopen_wanted;

struct live {
    struct live_opts o;
    struct source *src;
    const struct result *r;
    FILE *jsonl; /* NULL when not asked for */
    struct metrics_counters counters;
    struct metrics *metrics;
    double last_status; /* wall clock (monotonic) of the last status line */
    uint64_t last_packets;
};

static FILE *
open_jsonl(const char *path, char *err, size_t errlen)
{
    if (!strcmp(path, "-"))
        return stdout;
    FILE *f = fopen(path, "a");
    if (!f)
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
    return f;
}

struct live *
live_new(const struct live_opts *o, struct source *src, char *err, size_t errlen)
{
    struct live *l = calloc(1, sizeof(*l));
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->o = *o;
    l->src = src;
    l->last_status = status_clock();
    if (o->jsonl && !(l->jsonl = open_jsonl(o->jsonl, err, errlen)))
        goto fail;
    if (o->metrics && !(l->metrics = metrics_start(o->metrics, &l->counters, err, errlen)))
        goto fail;
    return l;
fail:
    live_free(l);
    return NULL;
}

void
live_request_reopen(void)
{
    reopen_wanted = 1;
}

static void
reopen(struct live *l)
{
    reopen_wanted = 0;
    if (!l->jsonl || l->jsonl == stdout)
        return;
    char err[256];
    FILE *f = open_jsonl(l->o.jsonl, err, sizeof(err));
    if (!f) {
        fprintf(stderr, "voipdiag: SIGHUP: %s; still writing to the old file\n", err);
        return;
    }
    fclose(l->jsonl);
    l->jsonl = f;
}

static void
write_jsonl(FILE *out, const struct finding *f)
{
    const struct finding_kind *k = catalog_get(f->code);
    json_object *o = json_object_new_object();
    if (!o)
        return;
    time_t t = (time_t)(f->first.ts_ns / 1000000000);
    struct tm tm;
    char base[32], when[48];
    gmtime_r(&t, &tm);
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when, sizeof(when), "%s.%09lldZ", base, (long long)(f->first.ts_ns % 1000000000));
    json_object_object_add(o, "time", json_object_new_string(when));
    json_object_object_add(o, "name", json_object_new_string(k->name));
    json_object_object_add(o, "severity", json_object_new_string(severity_name(k->severity)));
    json_object_object_add(o, "requirement",
                           k->requirement == REQ_NONE
                               ? NULL
                               : json_object_new_string(requirement_name(k->requirement)));
    json_object_object_add(o, "first_frame", json_object_new_int64((int64_t)f->first.frame));
    json_object_object_add(o, "summary", json_object_new_string(f->summary));
    if (f->confidence != CONF_HIGH) {
        json_object_object_add(o, "confidence",
                               json_object_new_string(confidence_name(f->confidence)));
        json_object_object_add(o, "confidence_note", json_object_new_string(f->confidence_note));
    }
    fprintf(
        out, "%s\n",
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    fflush(out);
    json_object_put(o);
}

/*
 * A finding as the analysis stores it, out at once. One proven by absence is weighed as
 * result_finish will weigh it, with the drops the capture reported so far.
 */
static void
on_finding(void *ctx, const struct finding *f)
{
    struct live *l = ctx;
    struct finding w = *f;
    if (w.from_absence && w.confidence == CONF_HIGH) {
        struct source_live_stats st;
        source_live_stats(l->src, &st);
        if (result_capture_loss(l->r, &st, w.confidence_note, sizeof(w.confidence_note)))
            w.confidence = CONF_MEDIUM;
    }
    if (l->jsonl)
        write_jsonl(l->jsonl, &w);
    status_print_finding(stderr, &w);
}

static void
publish(struct live *l, const struct result *r, const struct source_live_stats *st)
{
    struct metrics_counters *c = &l->counters;
    atomic_store_explicit(&c->packets, r->packets, memory_order_relaxed);
    atomic_store_explicit(&c->bytes, r->bytes, memory_order_relaxed);
    atomic_store_explicit(&c->flows_active, r->flow_stats.active, memory_order_relaxed);
    atomic_store_explicit(&c->flows_total, r->flow_stats.created, memory_order_relaxed);
    for (int f = 0; f < FIND__COUNT; f++)
        atomic_store_explicit(&c->findings[f], r->per_code[f] + r->suppressed[f],
                              memory_order_relaxed);
    if (r->sip)
        atomic_store_explicit(&c->calls, r->sip->calls_total, memory_order_relaxed);
    if (st->valid) {
        atomic_store_explicit(&c->kernel_drops, st->dropped, memory_order_relaxed);
        atomic_store_explicit(&c->if_drops, st->if_dropped, memory_order_relaxed);
    }
}

/* The pipeline's progress hook: every few hundred frames and at every idle wake-up. */
static void
on_progress(void *ctx, const struct source *src, uint64_t frames)
{
    struct live *l = ctx;
    (void)src;
    (void)frames;
    if (reopen_wanted)
        reopen(l);
    double now = status_clock();
    int status_due = l->o.status_secs && now - l->last_status >= l->o.status_secs;
    if (!status_due && !l->metrics)
        return;
    struct source_live_stats st;
    source_live_stats(l->src, &st);
    publish(l, l->r, &st);
    if (status_due) {
        status_print_line(stderr, l->r, &st, l->r->packets - l->last_packets, now - l->last_status);
        l->last_status = now;
        l->last_packets = l->r->packets;
    }
}

void
live_attach(struct live *l, struct result *r, struct pipeline_opts *po)
{
    l->r = r;
    r->on_finding = on_finding;
    r->on_finding_ctx = l;
    po->progress = on_progress;
    po->progress_ctx = l;
    po->progress_mask = 0xff; /* cheap: the hook reads the clock, rarely more */
}

void
live_finish(struct live *l, const struct result *r)
{
    publish(l, r, &r->live);
}

void
live_free(struct live *l)
{
    if (!l)
        return;
    metrics_stop(l->metrics);
    if (l->jsonl && l->jsonl != stdout)
        fclose(l->jsonl);
    free(l);
}
