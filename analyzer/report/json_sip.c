/* json_sip.c — the "sip" object (RFC 3261 calls, transactions, registrations; RFC 4566 media). */
#include "json_sip.h"

#include <stdio.h>

#include "../../dissectors/sip.h"
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
jstr_or_null(const char *s)
{
    return s[0] ? json_object_new_string(s) : NULL;
}

static struct json_object *
ju64(uint64_t v)
{
    return json_object_new_uint64(v);
}

static struct json_object *
jbool(bool b)
{
    return json_object_new_boolean(b);
}

static struct json_object *
jfixed(double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return json_object_new_double_s(v, buf);
}

static struct json_object *
jep(const struct sip_endpoint *e)
{
    char buf[80];
    return jstr(format_endpoint(&e->ip, e->port, 1, buf, sizeof(buf)));
}

/* "<prefix>_frame", "<prefix>_time" (and "<prefix>_file" with several inputs), null when none. */
static void
put_ref(const struct result *r, struct json_object *o, const char *prefix, const struct sip_ref *e)
{
    char key[48], t[48];
    snprintf(key, sizeof(key), "%s_frame", prefix);
    put(o, key, e->frame ? ju64(e->frame) : NULL);
    if (r->n_inputs > 1) {
        snprintf(key, sizeof(key), "%s_file", prefix);
        put(o, key, e->frame ? json_object_new_int(e->file) : NULL);
    }
    snprintf(key, sizeof(key), "%s_time", prefix);
    put(o, key, e->frame ? jstr(format_time_rfc3339(e->ts_ns, t, sizeof t)) : NULL);
}

static struct json_object *
jseconds(const struct sip_ref *from, const struct sip_ref *to)
{
    if (!from->frame || !to->frame)
        return NULL;
    return jfixed((double)(to->ts_ns - from->ts_ns) / 1e9, 3);
}

static struct json_object *
json_requests(const struct sip_result *s)
{
    struct json_object *o = json_object_new_object();
    for (int m = SIP_REQ_INVITE; m <= SIP_REQ_PUBLISH; m++)
        if (s->req_count[m])
            put(o, sip_req_name((enum sip_req)m), ju64(s->req_count[m]));
    for (uint8_t i = 0; i < s->n_other; i++)
        put(o, s->other[i].name, ju64(s->other[i].count));
    return o;
}

static struct json_object *
json_responses(const struct sip_result *s)
{
    struct json_object *o = json_object_new_object();
    char k[8];
    for (int c = 100; c < 700; c++)
        if (s->resp_count[c]) {
            snprintf(k, sizeof k, "%d", c);
            put(o, k, ju64(s->resp_count[c]));
        }
    return o;
}

static const char *
side_name(enum sip_party_side p)
{
    return p == SIP_SIDE_CALLER ? "caller" : p == SIP_SIDE_CALLEE ? "callee" : NULL;
}

static struct json_object *
json_media(const struct result *r, const struct sip_call *c)
{
    struct json_object *a = json_object_new_array();
    for (uint8_t i = 0; i < c->n_media; i++) {
        const struct sip_media_line *l = &c->media[i];
        struct json_object *o = json_object_new_object();
        put(o, "from", jstr(l->from_caller ? "caller" : "callee"));
        put(o, "sdp", jstr(l->is_offer ? "offer" : "answer"));
        put(o, "in", jstr(l->what));
        put_ref(r, o, "sdp", &l->at);
        put(o, "media", jstr(l->media));
        put(o, "addr", jstr(l->addr));
        put(o, "port", json_object_new_int(l->port));
        put(o, "direction", jstr(l->dir));
        put(o, "hold", jbool(l->hold));
        put(o, "codecs", jstr(l->codecs));
        json_object_array_add(a, o);
    }
    return a;
}

static struct json_object *
json_call(const struct result *r, const struct sip_call *c)
{
    struct json_object *o = json_object_new_object();
    put(o, "index", ju64(c->index));
    put(o, "call_id", jstr(c->call_id));
    put(o, "from", jstr(c->from_uri));
    put(o, "to", jstr(c->to_uri));
    put(o, "caller", jep(&c->caller));
    put(o, "callee", jep(&c->callee));
    put(o, "outcome", jstr(sip_call_outcome_name(c->outcome)));
    put(o, "final_code", c->final_code ? json_object_new_int(c->final_code) : NULL);
    put(o, "reason", jstr_or_null(c->reason));
    put_ref(r, o, "invite", &c->invite);
    put_ref(r, o, "ringing", &c->ringing);
    put_ref(r, o, "answer", &c->answer);
    put_ref(r, o, "cancel", &c->cancel);
    put_ref(r, o, "bye", &c->bye);
    put(o, "ringing_s", jseconds(&c->invite, &c->ringing));
    put(o, "answer_s", jseconds(&c->invite, &c->answer));
    if (c->answer_inferred) /* only then: the other calls' output stays as it was */
        put(o, "answer_inferred", json_object_new_boolean(1));
    put(o, "duration_s", jseconds(&c->answer, &c->bye));
    put(o, "hung_up_by", side_name(c->hung_up_by) ? jstr(side_name(c->hung_up_by)) : NULL);
    put(o, "messages", ju64(c->messages));
    put(o, "invite_retransmissions", ju64(c->invite_retransmissions));
    put(o, "reinvites", ju64(c->reinvites));
    put(o, "updates", ju64(c->updates));
    struct json_object *h = json_object_new_array();
    for (uint8_t i = 0; i < c->n_holds; i++) {
        struct json_object *e = json_object_new_object();
        put(e, "event", jstr(c->holds[i].hold ? "hold" : "resume"));
        put(e, "by", jstr(c->holds[i].by_caller ? "caller" : "callee"));
        put_ref(r, e, "at", &c->holds[i].at);
        json_object_array_add(h, e);
    }
    put(o, "hold_events", h);
    struct json_object *f = json_object_new_array();
    for (uint8_t i = 0; i < c->n_forks; i++)
        json_object_array_add(f, jstr(c->forks[i]));
    put(o, "to_tags", f);
    put(o, "media", json_media(r, c));
    put(o, "media_unlisted", ju64(c->media_unlisted));
    return o;
}

static struct json_object *
json_registration(const struct result *r, const struct sip_registration *g)
{
    struct json_object *o = json_object_new_object();
    put(o, "aor", jstr(g->aor));
    put(o, "contact", jstr(g->contact));
    put(o, "client", jep(&g->client));
    put(o, "registrar", jep(&g->registrar));
    put_ref(r, o, "first", &g->first);
    put_ref(r, o, "last", &g->last);
    put(o, "attempts", ju64(g->attempts));
    put(o, "retransmissions", ju64(g->retransmissions));
    put(o, "challenges", ju64(g->challenges));
    put(o, "successes", ju64(g->successes));
    put(o, "failures", ju64(g->failures));
    put(o, "unanswered", ju64(g->unanswered));
    struct json_object *fc = json_object_new_array();
    for (uint8_t i = 0; i < g->n_failcodes; i++) {
        struct json_object *e = json_object_new_object();
        put(e, "code", json_object_new_int(g->failcodes[i].code));
        put(e, "count", ju64(g->failcodes[i].count));
        put_ref(r, e, "first", &g->failcodes[i].first);
        json_object_array_add(fc, e);
    }
    put(o, "failure_codes", fc);
    put(o, "expires_granted", g->has_expires ? ju64(g->expires) : NULL);
    put(o, "refreshes", ju64(g->refreshes));
    put(o, "refresh_min_s", g->refreshes ? jfixed(g->refresh_min_s, 3) : NULL);
    put(o, "refresh_max_s", g->refreshes ? jfixed(g->refresh_max_s, 3) : NULL);
    put(o, "refresh_last_s", g->refreshes ? jfixed(g->refresh_last_s, 3) : NULL);
    put(o, "flaps", ju64(g->flaps));
    struct json_object *pa = json_object_new_array();
    for (uint8_t i = 0; i < g->n_public; i++) {
        struct json_object *e = json_object_new_object();
        put(e, "addr", jstr(g->public_addr[i].addr));
        put_ref(r, e, "seen", &g->public_addr[i].at);
        json_object_array_add(pa, e);
    }
    put(o, "public_address", pa);
    put(o, "public_address_changes", ju64(g->public_changes));
    return o;
}

/* One request that never got a response. */
static struct json_object *
json_unanswered(const struct result *r, const struct sip_unanswered *u)
{
    struct json_object *e = json_object_new_object();
    put(e, "method", jstr(u->method));
    put(e, "src", jep(&u->src));
    put(e, "dst", jep(&u->dst));
    put(e, "call_id", jstr(u->call_id));
    put(e, "retransmissions", ju64(u->retransmissions));
    put_ref(r, e, "first", &u->first);
    put_ref(r, e, "last", &u->last);
    return e;
}

static void
write_transactions(struct json_stream *js, const struct result *r, const struct sip_result *s)
{
    json_stream_key(js, "transactions");
    json_stream_open_object(js);
    json_stream_member(js, "count", ju64(s->transactions));
    json_stream_member(js, "answered", ju64(s->answered));
    json_stream_member(js, "request_retransmissions", ju64(s->request_retransmissions));
    json_stream_member(js, "response_retransmissions", ju64(s->response_retransmissions));
    json_stream_member(js, "without_response", ju64(s->unanswered_count));
    json_stream_member(js, "pending_at_end", ju64(s->pending_at_end));
    json_stream_member(js, "first_response_min_ms", s->ttfr_n ? jfixed(s->ttfr_min_ms, 3) : NULL);
    json_stream_member(js, "first_response_mean_ms",
                       s->ttfr_n ? jfixed(s->ttfr_sum_ms / (double)s->ttfr_n, 3) : NULL);
    json_stream_member(js, "first_response_max_ms", s->ttfr_n ? jfixed(s->ttfr_max_ms, 3) : NULL);
    json_stream_key(js, "unanswered");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < s->n_unanswered; i++)
        json_stream_value(js, json_unanswered(r, &s->unanswered[i]));
    json_stream_close(js);
    json_stream_member(js, "unanswered_unlisted", ju64(s->unanswered_count - s->n_unanswered));
    json_stream_close(js);
}

static struct json_object *
json_pings(const struct sip_result *s)
{
    struct json_object *o = json_object_new_object();
    put(o, "options", ju64(s->options));
    put(o, "options_answered", ju64(s->options_answered));
    put(o, "options_unanswered", ju64(s->options_unanswered));
    put(o, "notify", ju64(s->notify));
    put(o, "notify_answered", ju64(s->notify_answered));
    put(o, "notify_unanswered", ju64(s->notify_unanswered));
    return o;
}

static struct json_object *
json_keepalive(const struct result *r, const struct sip_keepalive_binding *b)
{
    struct json_object *o = json_object_new_object();
    put(o, "src", jep(&b->src));
    put(o, "dst", jep(&b->dst));
    put(o, "transport", jstr(b->tcp ? "TCP" : "UDP"));
    put(o, "count", ju64(b->count));
    put(o, "crlf", ju64(b->crlf));
    put(o, "double_crlf", ju64(b->double_crlf));
    put(o, "empty", ju64(b->empty));
    put(o, "short", ju64(b->short_ping));
    put(o, "stun", ju64(b->stun));
    put_ref(r, o, "first", &b->first);
    put_ref(r, o, "last", &b->last);
    bool iv = b->count > 1;
    put(o, "min_interval_s", iv ? jfixed(b->min_s, 3) : NULL);
    put(o, "median_interval_s", iv ? jfixed(b->median_s, 3) : NULL);
    put(o, "max_interval_s", iv ? jfixed(b->max_s, 3) : NULL);
    put(o, "longest_gap_s", iv ? jfixed(b->longest_gap_s, 3) : NULL);
    put_ref(r, o, "gap_from", &b->gap_from);
    put_ref(r, o, "gap_to", &b->gap_to);
    return o;
}

static struct json_object *
json_events(const struct result *r, const struct sip_event *ev, uint32_t n)
{
    struct json_object *a = json_object_new_array();
    for (uint32_t i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();
        put_ref(r, o, "at", &ev[i].at);
        put(o, "reason", jstr(ev[i].reason));
        json_object_array_add(a, o);
    }
    return a;
}

static struct json_object *
json_tls(const struct result *r, const struct sip_tls_flow *x)
{
    struct json_object *e = json_object_new_object();
    put(e, "client", jep(&x->client));
    put(e, "server", jep(&x->server));
    put_ref(r, e, "first", &x->first);
    put(e, "tcp_established", jbool(x->established));
    put(e, "reset", jbool(x->reset));
    put(e, "packets", ju64(x->packets));
    put(e, "tls_seen", jbool(x->app[0] != 0));
    return e;
}

void
report_json_sip(struct json_stream *js, const struct result *r)
{
    const struct sip_result *s = r->sip;
    if (!s)
        return;
    json_stream_key(js, "sip");
    json_stream_open_object(js);
    json_stream_member(js, "messages", ju64(s->messages));
    json_stream_member(js, "requests", json_requests(s));
    json_stream_member(js, "responses", json_responses(s));
    json_stream_key(js, "dialogs");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < s->n_calls; i++)
        json_stream_value(js, json_call(r, s->calls[i]));
    json_stream_close(js);
    json_stream_key(js, "registrations");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < s->n_regs; i++)
        json_stream_value(js, json_registration(r, &s->regs[i]));
    json_stream_close(js);
    json_stream_member(js, "udp_messages", ju64(s->udp_messages));
    json_stream_member(js, "tcp_messages", ju64(s->tcp_messages));
    json_stream_member(js, "calls", ju64(s->calls_total));
    json_stream_member(js, "calls_unlisted", ju64(s->calls_unlisted));
    json_stream_member(js, "registrations_unlisted", ju64(s->regs_unlisted));
    write_transactions(js, r, s);
    json_stream_member(js, "pings", json_pings(s));
    json_stream_key(js, "keepalives");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < s->n_bindings; i++)
        json_stream_value(js, json_keepalive(r, &s->bindings[i]));
    json_stream_close(js);
    json_stream_member(js, "keepalives_unlisted", ju64(s->bindings_unlisted));
    json_stream_key(js, "tls_flows");
    json_stream_open_array(js);
    for (uint32_t i = 0; i < s->n_tls; i++)
        json_stream_value(js, json_tls(r, &s->tls[i]));
    json_stream_close(js);
    json_stream_member(js, "tls_flows_total", ju64(s->tls_total));
    json_stream_member(js, "malformed", ju64(s->malformed));
    json_stream_member(js, "malformed_frames", json_events(r, s->malformed_ev, s->n_malformed_ev));
    json_stream_member(js, "content_length_mismatch", ju64(s->cl_mismatch));
    json_stream_member(js, "content_length_mismatch_frames", json_events(r, s->cl_ev, s->n_cl_ev));
    json_stream_member(js, "tcp_discarded_bytes", ju64(s->tcp_discarded_bytes));
    json_stream_member(js, "tcp_resyncs", ju64(s->tcp_resyncs));
    struct json_object *ev = json_object_new_object();
    put(ev, "transactions", ju64(s->evicted_transactions));
    put(ev, "calls", ju64(s->evicted_calls));
    put(ev, "registrations", ju64(s->evicted_regs));
    json_stream_member(js, "evicted", ev);
    json_stream_close(js);
}
