/* json_keepalive.c — the "keepalives" object: NAT keep-alives (RFC 5626 §3.5.1, RFC 5389 STUN,
 * SIP OPTIONS pings) per phone binding, with intervals, late gaps, rebindings and a verdict. */
#include "json_keepalive.h"

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

static struct json_object *
jfixed(double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return json_object_new_double_s(v, buf);
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
json_direction(const struct result *r, const struct ka_direction *d)
{
    struct json_object *o = json_object_new_object();
    put(o, "count", ju64(d->count));
    struct json_object *k = json_object_new_object();
    for (int i = 0; i < KA_KIND__COUNT; i++)
        if (d->kinds[i])
            put(k, ka_kind_name((enum ka_kind)i), ju64(d->kinds[i]));
    put(o, "kinds", k);
    put(o, "packets", ju64(d->packets));
    put_ref(r, o, "first", &d->first);
    put_ref(r, o, "last", &d->last);
    bool iv = d->count >= 2;
    put(o, "interval_min_s", iv ? jfixed(d->min_s, 3) : NULL);
    put(o, "interval_median_s", iv ? jfixed(d->median_s, 3) : NULL);
    put(o, "interval_max_s", iv ? jfixed(d->max_s, 3) : NULL);
    put(o, "expected_interval_s", jfixed(d->expected_s, 3));
    put(o, "expected_inferred", json_object_new_boolean(d->expected_inferred));
    put(o, "late_beyond_s", jfixed(1.5 * d->expected_s, 3));
    struct json_object *gaps = json_object_new_array();
    for (uint32_t i = 0; i < d->n_gaps; i++) {
        const struct ka_gap *g = &d->gaps[i];
        struct json_object *x = json_object_new_object();
        put(x, "seconds", jfixed(g->seconds, 3));
        put_ref(r, x, "from", &g->from);
        put_ref(r, x, "to", &g->to);
        put(x, "peer_alive", json_object_new_boolean(g->peer_alive));
        json_object_array_add(gaps, x);
    }
    put(o, "gaps", gaps);
    put(o, "gaps_more", ju64(d->gaps_more));
    return o;
}

static struct json_object *
json_binding(const struct result *r, const struct ka_binding *b)
{
    struct json_object *o = json_object_new_object();
    put(o, "phone", jendpoint(&b->phone));
    put(o, "cloud", jendpoint(&b->cloud));
    put(o, "transport", json_object_new_string(b->tcp ? "tcp" : "udp"));
    if (r->n_inputs > 1)
        put(o, "file", json_object_new_int(b->file));
    put(o, "phone_by", json_object_new_string(b->phone_by ? b->phone_by : ""));
    put(o, "cloud_to_phone", json_direction(r, &b->dir[KA_DIR_CLOUD_TO_PHONE]));
    put(o, "phone_to_cloud", json_direction(r, &b->dir[KA_DIR_PHONE_TO_CLOUD]));
    put(o, "registers", ju64(b->registers));
    put(o, "register_interval_s", b->registers >= 2 ? jfixed(b->register_interval_s, 3) : NULL);
    put(o, "public_address", b->public_addr[0] ? json_object_new_string(b->public_addr) : NULL);
    struct json_object *rb = json_object_new_array();
    for (uint32_t i = 0; i < b->n_rebinds; i++) {
        const struct ka_rebind *e = &b->rebinds[i];
        struct json_object *x = json_object_new_object();
        put(x, "from", json_object_new_string(e->from));
        put(x, "to", json_object_new_string(e->to));
        put(x, "by", json_object_new_string(e->stun ? "stun" : "via"));
        put_ref(r, x, "at", &e->at);
        put_ref(r, x, "idle_from", &e->idle_from);
        put(x, "idle_s", jfixed(e->idle_s, 3));
        json_object_array_add(rb, x);
    }
    put(o, "rebindings", rb);
    put(o, "rebindings_more", ju64(b->rebinds_more));
    put(o, "binding_lifetime_max_s",
        b->binding_lifetime_s > 0 ? jfixed(b->binding_lifetime_s, 3) : NULL);
    put(o, "inbound_invites", ju64(b->inbound_invites));
    put(o, "inbound_invites_lost", ju64(b->inbound_invites_lost));
    put(o, "dropped_by_firewall", ju64(b->dropped_by_firewall));
    put(o, "verdict", json_object_new_string(ka_verdict_name(b->verdict)));
    put(o, "reason", json_object_new_string(b->verdict_reason));
    return o;
}

void
report_json_keepalives(struct json_stream *js, const struct result *r)
{
    const struct keepalive_result *k = r->keepalive;
    if (!k)
        return;
    json_stream_key(js, "keepalives");
    json_stream_open_object(js);
    json_stream_member(js, "expected_interval_s", jfixed(k->profile_interval_s, 3));
    json_stream_member(js, "binding_timeout_min_s", jfixed(k->profile_timeout_s, 3));
    json_stream_member(js, "events", ju64(k->events));
    json_stream_key(js, "bindings");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < k->n_bindings; i++)
        json_stream_value(js, json_binding(r, &k->bindings[i]));
    json_stream_close(js);
    json_stream_member(js, "bindings_unlisted", ju64(k->bindings_unlisted));
    json_stream_close(js);
}
