/* json_rtp.c — the "rtp" object (RFC 3550 streams as Wireshark's rtp,streams; media verdicts). */
#include "json_rtp.h"

#include <stdio.h>

#include "../../dissectors/dissect.h"
#include "format.h"

static void
put(struct json_object *o, const char *k, struct json_object *v)
{
    json_object_object_add(o, k, v);
}

static struct json_object *
jstr(const char *s)
{
    return json_object_new_string(s);
}

static struct json_object *
ju64(uint64_t v)
{
    return json_object_new_uint64(v);
}

static struct json_object *
ji64(int64_t v)
{
    return json_object_new_int64(v);
}

/* A double with a fixed number of decimals (3 for the contract's ms figures, as tshark). */
static struct json_object *
jfixed(double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return json_object_new_double_s(v, buf);
}

static struct json_object *
jep(const struct ip_addr *a, uint16_t port)
{
    char buf[80];
    return jstr(format_endpoint(a, port, 1, buf, sizeof(buf)));
}

/* "<prefix>_frame", "<prefix>_time" (and "<prefix>_file" with several inputs), null when none. */
static void
put_ref(const struct result *r, struct json_object *o, const char *prefix,
        const struct media_ref *e, int with_time)
{
    char key[48], t[48];
    snprintf(key, sizeof(key), "%s_frame", prefix);
    put(o, key, e->frame ? ju64(e->frame) : NULL);
    if (r->n_inputs > 1) {
        snprintf(key, sizeof(key), "%s_file", prefix);
        put(o, key, e->frame ? json_object_new_int(e->file) : NULL);
    }
    if (with_time) {
        snprintf(key, sizeof(key), "%s_time", prefix);
        put(o, key, e->frame ? jstr(format_time_rfc3339(e->ts_ns, t, sizeof(t))) : NULL);
    }
}

static struct json_object *
stream_rtcp(const struct media_stream_record *s)
{
    const struct media_rtcp_view *v = &s->rtcp;
    if (!v->reports && !v->has_xr)
        return NULL;
    struct json_object *o = json_object_new_object();
    put(o, "reports", ju64(v->reports));
    put(o, "fraction_lost_pct", jfixed(100.0 * v->fraction_lost / 256.0, 2));
    put(o, "cumulative_lost", ji64(v->cum_lost));
    put(o, "jitter_ms", v->jitter_ms >= 0 ? jfixed(v->jitter_ms, 3) : NULL);
    put(o, "last_frame", ju64(v->last.frame));
    if (v->has_xr) {
        struct json_object *x = json_object_new_object();
        put(x, "loss_rate_pct", jfixed(100.0 * v->xr_loss_rate / 256.0, 2));
        put(x, "r_factor", v->xr_r_factor == 127 ? NULL : ju64(v->xr_r_factor));
        put(x, "mos_lq", v->xr_mos_lq == 127 ? NULL : jfixed(v->xr_mos_lq / 10.0, 1));
        put(o, "xr_voip_metrics", x);
    }
    return o;
}

static const char *
icmp_name(uint8_t type, uint8_t code)
{
    if (type == 3 && code == 3)
        return "port_unreachable";
    if (type == 3 && code == 13)
        return "admin_prohibited";
    if (type == 1 && code == 4)
        return "port_unreachable"; /* ICMPv6 */
    if (type == 1 && code == 1)
        return "admin_prohibited";
    return "unreachable";
}

static struct json_object *
stream_json(const struct result *r, const struct media_stream_record *s)
{
    const struct rtp_stats_result *st = &s->st;
    const struct media_result *m = r->media;
    struct json_object *o = json_object_new_object();
    char buf[16];
    /* the contract (docs/json-contract.md), in its order */
    put(o, "src", jep(&s->src, s->sport));
    put(o, "dst", jep(&s->dst, s->dport));
    snprintf(buf, sizeof(buf), "0x%08X", s->ssrc);
    put(o, "ssrc", jstr(buf));
    put(o, "payload", jstr(s->payload));
    put(o, "packets", ju64(st->packets));
    put(o, "lost", ji64(st->lost));
    put(o, "min_delta_ms", jfixed(st->min_delta_ms, 3));
    put(o, "mean_delta_ms", jfixed(st->mean_delta_ms, 3));
    put(o, "max_delta_ms", jfixed(st->max_delta_ms, 3));
    put(o, "min_jitter_ms", jfixed(st->min_jitter_ms, 3));
    put(o, "mean_jitter_ms", jfixed(st->mean_jitter_ms, 3));
    put(o, "max_jitter_ms", jfixed(st->max_jitter_ms, 3));
    /* voipdiag's additions */
    put(o, "clock_rate", st->clock_rate ? ju64(st->clock_rate) : NULL);
    put(o, "expected", ju64(st->expected));
    put(o, "lost_pct", jfixed(st->lost_pct, 2));
    put(o, "sequence_errors", ju64(st->seq_errors));
    put(o, "duplicates", ju64(st->duplicates));
    put(o, "out_of_order", ju64(st->reordered));
    put(o, "marker_bits", ju64(st->markers));
    put(o, "problem", json_object_new_boolean(st->problem));
    struct json_object *dtmf = json_object_new_object();
    put(dtmf, "events", ju64(st->dtmf_events));
    put(dtmf, "digits", jstr(st->dtmf_digits));
    put(o, "dtmf", dtmf);
    struct json_object *q = json_object_new_object();
    put(q, "estimate", json_object_new_boolean(1));
    put(q, "r_factor", jfixed(st->r_factor, 1));
    put(q, "mos", jfixed(st->mos, 2));
    put(q, "assumed_delay_ms", jfixed(st->est_delay_ms, 1));
    put(q, "codec_known", json_object_new_boolean(st->codec_known));
    put(o, "quality", q);
    put_ref(r, o, "first", &s->first, 1);
    put_ref(r, o, "last", &s->last, 1);
    put(o, "max_delta_frame", st->max_delta_frame ? ju64(st->max_delta_frame) : NULL);
    put(o, "bound_by", jstr(media_bind_name(s->bind)));
    if (s->call >= 0 && (size_t)s->call < m->n_calls) {
        const struct media_call_record *c = &m->calls[s->call];
        struct json_object *b = json_object_new_object();
        put(b, "call_index", ju64(c->call_index));
        put(b, "call_id", jstr(c->call_id));
        put(b, "direction", jstr(s->from_caller ? "caller->callee" : "callee->caller"));
        put(b, "source_announced", json_object_new_boolean(s->src_announced));
        put(o, "call", b);
    } else {
        put(o, "call", NULL);
    }
    put(o, "rtcp", stream_rtcp(s));
    if (s->icmp_errors) {
        struct json_object *i = json_object_new_object();
        put(i, "count", ju64(s->icmp_errors));
        put(i, "kind", jstr(icmp_name(s->icmp_type, s->icmp_code)));
        put(i, "first_frame", ju64(s->icmp_first.frame));
        put(o, "icmp", i);
    } else {
        put(o, "icmp", NULL);
    }
    return o;
}

static struct json_object *
call_json(const struct result *r, const struct media_call_record *c)
{
    static const char *const dname[2] = {"caller->callee", "callee->caller"};
    struct json_object *o = json_object_new_object();
    put(o, "call_index", ju64(c->call_index));
    put(o, "call_id", jstr(c->call_id));
    put(o, "verdict", jstr(c->verdict));
    struct json_object *dirs = json_object_new_array();
    for (int d = 0; d < 2; d++) {
        const struct media_call_dir *cd = &c->dir[d];
        struct json_object *x = json_object_new_object();
        put(x, "direction", jstr(dname[d]));
        put(x, "verdict", jstr(media_dir_verdict_name(cd->verdict)));
        put(x, "expected", json_object_new_boolean(cd->expected));
        put(x, "sdp_address", cd->addr.family ? jep(&cd->addr, cd->port) : NULL);
        put(x, "sdp_address_private", json_object_new_boolean(cd->addr_private));
        put(x, "sdp_frame", cd->sdp.frame ? ju64(cd->sdp.frame) : NULL);
        put(x, "streams", ju64(cd->streams));
        put(x, "packets", ju64(cd->packets));
        put(x, "lost", ji64(cd->lost));
        put(x, "source", cd->streams ? jep(&cd->seen_src, cd->seen_sport) : NULL);
        put(x, "source_unannounced", json_object_new_boolean(cd->src_unannounced));
        put_ref(r, x, "first", &cd->first, 1);
        put_ref(r, x, "last", &cd->last, 1);
        if (cd->icmp_errors) {
            char from[64];
            struct json_object *i = json_object_new_object();
            put(i, "count", ju64(cd->icmp_errors));
            put(i, "kind", jstr(icmp_name(cd->icmp_type, cd->icmp_code)));
            put(i, "type", ju64(cd->icmp_type));
            put(i, "code", ju64(cd->icmp_code));
            put(i, "from", jstr(ip_addr_format(&cd->icmp_from, from, sizeof(from))));
            put(i, "first_frame", ju64(cd->icmp_first.frame));
            put(x, "icmp", i);
        } else {
            put(x, "icmp", NULL);
        }
        /* two capture points: the input nearest the receiver, where the direction was judged */
        if (cd->judged_at_point && (cd->expected || cd->packets))
            put(x, "judged_at_file", json_object_new_int(cd->judged_file));
        json_object_array_add(dirs, x);
    }
    put(o, "directions", dirs);
    return o;
}

void
report_json_rtp(struct json_stream *js, const struct result *r)
{
    const struct media_result *m = r->media;
    if (!m)
        return;
    json_stream_key(js, "rtp");
    json_stream_open_object(js);
    json_stream_key(js, "streams");
    json_stream_open_array(js);
    for (size_t i = 0; i < m->n_streams; i++)
        json_stream_value(js, stream_json(r, &m->streams[i]));
    json_stream_close(js);
    json_stream_key(js, "calls");
    json_stream_open_array(js);
    for (size_t i = 0; i < m->n_calls; i++)
        json_stream_value(js, call_json(r, &m->calls[i]));
    json_stream_close(js);
    json_stream_member(js, "rtp_packets", ju64(m->rtp_packets));
    json_stream_member(js, "rtcp_packets", ju64(m->rtcp_packets));
    json_stream_member(js, "streams_evicted", ju64(m->streams_evicted));
    json_stream_member(js, "candidates_rejected", ju64(m->candidates_dropped));
    json_stream_close(js);
}
