/* result.c — building the result: bounded lists, report order. */
#include "result.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
result_init(struct result *r, size_t max_flow_records)
{
    memset(r, 0, sizeof(*r));
    r->max_flow_records = max_flow_records;
    for (int i = 0; i < REQ__COUNT; i++)
        r->requirements[i].id = (enum requirement_id)i;
}

void
result_free(struct result *r)
{
    free(r->inputs);
    free(r->flows);
    free(r->findings);
    free(r->streamed);
    sip_result_free(r->sip);
    media_result_free(r->media);
    keepalive_result_free(r->keepalive);
    alg_result_free(r->alg);
    memset(r, 0, sizeof(*r));
}

int
result_set_inputs(struct result *r, const struct source *src)
{
    size_t n = source_input_count(src);
    struct source_input *copy = calloc(n ? n : 1, sizeof(*copy));
    if (!copy)
        return -1;
    for (size_t i = 0; i < n; i++)
        copy[i] = *source_input_get(src, i);
    free(r->inputs);
    r->inputs = copy;
    r->n_inputs = n;
    return 0;
}

/* Grow *arr (of *cap elements of size sz) to hold one more; 0 or -1. */
static int
grow(void **arr, size_t *cap, size_t used, size_t sz)
{
    if (used < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, ncap * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* FNV-1a of a summary: tells apart streamed findings that carry no evidence frame. */
static uint32_t
summary_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static struct result_streamed
streamed_key(const struct finding *f)
{
    struct result_streamed k;
    memset(&k, 0, sizeof(k));
    k.code = (uint16_t)f->code;
    k.file = f->first.file;
    k.frame = f->first.frame;
    k.ts_ns = f->first.ts_ns;
    k.summary_hash = f->first.frame ? 0 : summary_hash(f->summary);
    return k;
}

/* Whether f was streamed early: its key is then matched off (a second twin would be shown). */
static bool
streamed_take(struct result *r, const struct finding *f)
{
    if (!r->n_streamed)
        return false;
    struct result_streamed k = streamed_key(f);
    for (size_t i = 0; i < r->n_streamed; i++) {
        const struct result_streamed *s = &r->streamed[i];
        if (s->code == k.code && s->frame == k.frame && s->file == k.file && s->ts_ns == k.ts_ns &&
            s->summary_hash == k.summary_hash) {
            r->streamed[i] = r->streamed[--r->n_streamed];
            return true;
        }
    }
    return false;
}

/* Show the observer every stored finding it has not seen (their finders are done with them). */
static void
notify_stored(struct result *r)
{
    for (; r->notified < r->n_findings; r->notified++) {
        const struct finding *f = &r->findings[r->notified];
        if (r->on_finding && !streamed_take(r, f))
            r->on_finding(r->on_finding_ctx, f);
    }
}

void
result_finding_setv(struct finding *f, enum finding_code code, const struct evidence_ref *first,
                    const struct evidence_ref *last, const char *fmt, va_list ap)
{
    memset(f, 0, sizeof(*f));
    f->code = code;
    if (first)
        f->first = *first;
    f->last = last ? *last : f->first;
    f->measured = NAN;
    f->limit = NAN;
    f->count = 1;
    f->from_absence = catalog_from_absence(code);
    vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
}

void
result_finding_set(struct finding *f, enum finding_code code, const struct evidence_ref *first,
                   const struct evidence_ref *last, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    result_finding_setv(f, code, first, last, fmt, ap);
    va_end(ap);
}

struct finding *
result_add_findingv(struct result *r, enum finding_code code, const struct evidence_ref *first,
                    const struct evidence_ref *last, const char *fmt, va_list ap)
{
    notify_stored(r); /* the previous finding is complete: its finder has moved on */
    if (r->per_code[code] >= RESULT_EVIDENCE_PER_CODE) {
        r->suppressed[code]++;
        return NULL;
    }
    if (grow((void **)&r->findings, &r->cap_findings, r->n_findings, sizeof(*r->findings))) {
        r->suppressed[code]++;
        return NULL;
    }
    struct finding *f = &r->findings[r->n_findings++];
    r->per_code[code]++;
    result_finding_setv(f, code, first, last, fmt, ap);
    return f;
}

struct finding *
result_add_finding(struct result *r, enum finding_code code, const struct evidence_ref *first,
                   const struct evidence_ref *last, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *f = result_add_findingv(r, code, first, last, fmt, ap);
    va_end(ap);
    return f;
}

bool
result_stream_finding(struct result *r, const struct finding *f)
{
    if (!r->on_finding || r->n_streamed >= RESULT_STREAMED_MAX)
        return false;
    if (!r->streamed) {
        r->streamed = calloc(RESULT_STREAMED_MAX, sizeof(*r->streamed));
        if (!r->streamed)
            return false;
    }
    notify_stored(r);
    r->streamed[r->n_streamed++] = streamed_key(f);
    r->streamed_total++;
    r->on_finding(r->on_finding_ctx, f);
    return true;
}

void
result_add_flow(struct result *r, const struct flow_record *rec)
{
    if (r->n_flows >= r->max_flow_records ||
        grow((void **)&r->flows, &r->cap_flows, r->n_flows, sizeof(*r->flows))) {
        r->flows_unlisted++;
        return;
    }
    r->flows[r->n_flows++] = *rec;
}

static int
ref_cmp(const struct evidence_ref *a, const struct evidence_ref *b)
{
    if (a->ts_ns != b->ts_ns)
        return a->ts_ns < b->ts_ns ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->frame != b->frame)
        return a->frame < b->frame ? -1 : 1;
    return 0;
}

static int
flow_cmp(const void *pa, const void *pb)
{
    const struct flow_record *a = pa, *b = pb;
    int c = ref_cmp(&a->first, &b->first);
    if (c)
        return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int
finding_cmp(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c = ref_cmp(&a->first, &b->first);
    if (c)
        return c;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    return strcmp(a->summary, b->summary);
}

bool
result_capture_loss(const struct result *r, const struct source_live_stats *live, char *note,
                    size_t len)
{
    uint64_t drops = live && live->valid ? live->dropped + live->if_dropped : 0;
    uint64_t unseen = r->tcp_acked_unseen;
    if (!drops && !unseen)
        return false;
    if (!note || !len)
        return true;
    if (drops && unseen)
        snprintf(note, len,
                 "the capture dropped %llu packets and missed %llu bytes that TCP acknowledged; "
                 "absence of traffic is less certain",
                 (unsigned long long)drops, (unsigned long long)unseen);
    else if (drops)
        snprintf(note, len, "the capture dropped %llu packets; absence of traffic is less certain",
                 (unsigned long long)drops);
    else
        snprintf(note, len,
                 "the capture missed %llu bytes that TCP acknowledged; absence of traffic is less "
                 "certain",
                 (unsigned long long)unseen);
    return true;
}

/* Capture loss weakens every finding proven by absence: one confidence level down. */
static void
weigh_capture_loss(struct result *r)
{
    char note[sizeof(r->findings[0].confidence_note)];
    if (!result_capture_loss(r, &r->live, note, sizeof(note)))
        return;
    for (size_t i = 0; i < r->n_findings; i++) {
        struct finding *f = &r->findings[i];
        if (!f->from_absence || f->confidence_note[0])
            continue; /* not from absence, or already weighed */
        f->confidence = f->confidence == CONF_HIGH ? CONF_MEDIUM : CONF_LOW;
        memcpy(f->confidence_note, note, sizeof(note));
    }
}

void
result_finish(struct result *r)
{
    notify_stored(r);
    weigh_capture_loss(r);
    if (r->n_flows)
        qsort(r->flows, r->n_flows, sizeof(*r->flows), flow_cmp);
    if (r->n_findings)
        qsort(r->findings, r->n_findings, sizeof(*r->findings), finding_cmp);
}

const char *
verdict_name(enum verdict v)
{
    switch (v) {
    case VERDICT_PASS:
        return "PASS";
    case VERDICT_WARN:
        return "WARN";
    case VERDICT_FAIL:
        return "FAIL";
    default:
        return "NOT_OBSERVED";
    }
}
