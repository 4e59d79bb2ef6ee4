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

struct finding *
result_add_finding(struct result *r, enum finding_code code, const struct evidence_ref *first,
                   const struct evidence_ref *last, const char *fmt, ...)
{
    if (r->per_code[code] >= RESULT_EVIDENCE_PER_CODE) {
        r->suppressed[code]++;
        return NULL;
    }
    if (grow((void **)&r->findings, &r->cap_findings, r->n_findings, sizeof(*r->findings))) {
        r->suppressed[code]++;
        return NULL;
    }
    struct finding *f = &r->findings[r->n_findings++];
    memset(f, 0, sizeof(*f));
    r->per_code[code]++;
    f->code = code;
    if (first)
        f->first = *first;
    f->last = last ? *last : f->first;
    f->measured = NAN;
    f->limit = NAN;
    f->count = 1;
    f->from_absence = catalog_from_absence(code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
    va_end(ap);
    if (r->on_finding)
        r->on_finding(r->on_finding_ctx, f);
    return f;
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
