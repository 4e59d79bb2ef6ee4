/* json_alg.c — the "alg" object: SIP/SDP fields rewritten between two capture points (before,
 * after, both frames), one-sided messages and one-point fingerprints (RFC 3261 §18.2.1, RFC 3581).
 */
#include "json_alg.h"

#include <stdio.h>

#include "format.h"

static void
put(struct json_object *o, const char *k, struct json_object *v)
{
    json_object_object_add(o, k, v);
}

static struct json_object *
ju64(uint64_t v)
{
    return json_object_new_uint64(v);
}

/* A string, or null when empty (an absent field). */
static struct json_object *
jstr_or_null(const char *s)
{
    return s[0] ? json_object_new_string(s) : NULL;
}

static struct json_object *
jendpoint(const struct sip_endpoint *e)
{
    char buf[80];
    return json_object_new_string(format_endpoint(&e->ip, e->port, 1, buf, sizeof buf));
}

/* "<prefix>_frame", "<prefix>_file" (several inputs), "<prefix>_time" (RFC 3339). */
static void
put_ref(const struct result *r, struct json_object *o, const char *prefix, const struct sip_ref *e)
{
    char key[48], t[48];
    snprintf(key, sizeof key, "%s_frame", prefix);
    put(o, key, e->frame ? ju64(e->frame) : NULL);
    if (r->n_inputs > 1) {
        snprintf(key, sizeof key, "%s_file", prefix);
        put(o, key, json_object_new_int(e->file));
    }
    snprintf(key, sizeof key, "%s_time", prefix);
    put(o, key,
        e->frame ? json_object_new_string(format_time_rfc3339(e->ts_ns, t, sizeof t)) : NULL);
}

static struct json_object *
diff_json(const struct result *r, const struct alg_diff *d)
{
    struct json_object *o = json_object_new_object();
    put(o, "message", json_object_new_string(d->what));
    put(o, "call_id", json_object_new_string(d->call_id));
    put(o, "field", json_object_new_string(d->field));
    put(o, "in_sdp", json_object_new_boolean(d->sdp));
    put(o, "before", jstr_or_null(d->before));
    put(o, "after", jstr_or_null(d->after));
    put_ref(r, o, "before", &d->before_at);
    put_ref(r, o, "after", &d->after_at);
    return o;
}

static struct json_object *
onesided_json(const struct result *r, const struct alg_onesided *s)
{
    struct json_object *o = json_object_new_object();
    put(o, "kind", json_object_new_string(s->generated ? "generated" : "swallowed"));
    put(o, "message", json_object_new_string(s->what));
    put(o, "call_id", json_object_new_string(s->call_id));
    put(o, "src", jendpoint(&s->src));
    put(o, "dst", jendpoint(&s->dst));
    put_ref(r, o, "at", &s->at);
    return o;
}

static struct json_object *
print_json(const struct result *r, const struct alg_print *p)
{
    struct json_object *o = json_object_new_object();
    put(o, "code", json_object_new_string(catalog_get(p->code)->name));
    put(o, "confidence", json_object_new_string(alg_confidence_name(p->confidence)));
    put(o, "finding", json_object_new_boolean(p->confidence != ALG_CONF_LOW));
    put(o, "message", json_object_new_string(p->what));
    put(o, "explanation", json_object_new_string(p->text));
    put(o, "count", ju64(p->count));
    put_ref(r, o, "first", &p->first);
    put_ref(r, o, "last", &p->last);
    return o;
}

void
report_json_alg(struct json_stream *js, const struct result *r)
{
    const struct alg_result *a = r->alg;
    if (!a || !a->messages)
        return;
    json_stream_key(js, "alg");
    json_stream_open_object(js);
    json_stream_member(js, "messages", ju64(a->messages));
    json_stream_member(js, "two_point", json_object_new_boolean(a->pairs > 0));
    json_stream_member(js, "pairs", ju64(a->pairs));
    json_stream_member(js, "pairs_rewritten", ju64(a->pairs_rewritten));
    json_stream_member(js, "field_changes", ju64(a->diffs_total));
    json_stream_member(js, "field_changes_unlisted", ju64(a->diffs_total - a->n_diffs));
    json_stream_member(js, "body_length_changed", ju64(a->body_changed));
    json_stream_key(js, "diffs");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < a->n_diffs; i++)
        json_stream_value(js, diff_json(r, &a->diffs[i]));
    json_stream_close(js);
    json_stream_key(js, "one_sided");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < a->n_onesided; i++)
        json_stream_value(js, onesided_json(r, &a->onesided[i]));
    json_stream_close(js);
    json_stream_member(js, "one_sided_unlisted", ju64(a->onesided_unlisted));
    struct json_object *u = json_object_new_object();
    put(u, "near_capture_edge", ju64(a->unmatched_edge));
    put(u, "dialog_never_crossed", ju64(a->unmatched_local));
    put(u, "direction_unknown", ju64(a->unmatched_unknown));
    put(u, "pending_expired", ju64(a->pending_expired));
    put(u, "pending_evicted", ju64(a->pending_evicted));
    json_stream_member(js, "unmatched_not_judged", u);
    json_stream_key(js, "fingerprints");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < a->n_prints; i++)
        json_stream_value(js, print_json(r, &a->prints[i]));
    json_stream_close(js);
    json_stream_member(js, "fingerprints_unlisted", ju64(a->prints_unlisted));
    json_stream_close(js);
}
