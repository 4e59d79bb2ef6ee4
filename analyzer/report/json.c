/* json.c — the JSON report: contract fields first (docs/json-contract.md), then the detail.
 * Streamed (json_stream.c): the top level key by key, the long lists element by element, so
 * memory holds one flow, stream, call or finding of the report at a time, not the report. */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "../../dissectors/dissect.h"
#include "format.h"
#include "json_alg.h"
#include "json_keepalive.h"
#include "json_rtp.h"
#include "json_sip.h"
#include "json_stream.h"

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

/* A double printed with a fixed number of decimals, so outputs are stable and readable. */
static struct json_object *
jfixed(double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return json_object_new_double_s(v, buf);
}

static struct json_object *
jtime(int64_t ts_ns)
{
    char buf[48];
    return jstr(format_time_rfc3339(ts_ns, buf, sizeof(buf)));
}

/* Frame reference fields: "<prefix>_frame", and "<prefix>_file" when several inputs. */
static void
put_ref(const struct result *r, struct json_object *o, const char *prefix,
        const struct evidence_ref *e, int with_time)
{
    char key[48];
    snprintf(key, sizeof(key), "%s_frame", prefix);
    put(o, key, e->frame ? ju64(e->frame) : NULL);
    if (r->n_inputs > 1) {
        snprintf(key, sizeof(key), "%s_file", prefix);
        put(o, key, json_object_new_int(e->file));
    }
    if (with_time) {
        snprintf(key, sizeof(key), "%s_time", prefix);
        put(o, key, e->frame ? jtime(e->ts_ns) : NULL);
    }
}

static struct json_object *
json_capture(const struct source_input *in)
{
    struct json_object *c = json_object_new_object();
    put(c, "file", jstr(in->name));
    put(c, "link_type", jstr(in->link_type));
    put(c, "packets", ju64(in->packets));
    put(c, "truncated", json_object_new_boolean(in->truncated));
    put(c, "gzip", json_object_new_boolean(in->gzip));
    put(c, "error", in->error[0] ? jstr(in->error) : NULL);
    return c;
}

static struct json_object *
json_finding(const struct result *r, const struct finding *f)
{
    const struct finding_kind *k = catalog_get(f->code);
    struct json_object *o = json_object_new_object();
    put(o, "name", jstr(k->name));
    put(o, "severity", jstr(severity_name(k->severity)));
    put(o, "requirement",
        k->requirement == REQ_NONE ? NULL : jstr(requirement_name(k->requirement)));
    put_ref(r, o, "first", &f->first, 1);
    put_ref(r, o, "last", &f->last, 1);
    put(o, "count", ju64(f->count));
    put(o, "measured", isnan(f->measured) ? NULL : jfixed(f->measured, 3));
    put(o, "limit", isnan(f->limit) ? NULL : jfixed(f->limit, 3));
    put(o, "summary", jstr(f->summary));
    if (f->confidence != CONF_HIGH) { /* only then: other findings print as before */
        put(o, "confidence", jstr(confidence_name(f->confidence)));
        put(o, "confidence_note", jstr(f->confidence_note));
    }
    return o;
}

static struct json_object *
json_requirement(const struct result *r, const struct requirement_row *row)
{
    struct json_object *o = json_object_new_object();
    put(o, "id", jstr(requirement_name(row->id)));
    put(o, "verdict", jstr(verdict_name(row->verdict)));
    struct json_object *names = json_object_new_array();
    for (int c = 0; c < FIND__COUNT; c++) {
        const struct finding_kind *k = catalog_get((enum finding_code)c);
        if (k->requirement == row->id && (r->per_code[c] || r->suppressed[c]))
            json_object_array_add(names, jstr(k->name));
    }
    put(o, "findings", names);
    put(o, "evidence", jstr(row->evidence));
    put(o, "remedy", row->remedy ? jstr(row->remedy) : NULL);
    return o;
}

/* put_ref's members written straight to the stream (the long lists). */
static void
ref_write(struct json_stream *s, const struct result *r, const char *prefix,
          const struct evidence_ref *e, int with_time)
{
    char key[48], t[48];
    snprintf(key, sizeof(key), "%s_frame", prefix);
    if (e->frame)
        json_stream_member_uint(s, key, e->frame);
    else
        json_stream_member_null(s, key);
    if (r->n_inputs > 1) {
        snprintf(key, sizeof(key), "%s_file", prefix);
        json_stream_member_int(s, key, e->file);
    }
    if (with_time) {
        snprintf(key, sizeof(key), "%s_time", prefix);
        json_stream_member_string(s, key,
                                  e->frame ? format_time_rfc3339(e->ts_ns, t, sizeof(t)) : NULL);
    }
}

/* One flow, member by member: a capture lists tens of thousands (no tree per flow). */
static void
flow_write(struct json_stream *s, const struct result *r, const struct flow_record *f)
{
    char buf[96], pbuf[16];
    int ports = f->proto == 6 || f->proto == 17;
    json_stream_open_object(s);
    json_stream_member_string(s, "proto", format_proto(f->proto, pbuf, sizeof(pbuf)));
    json_stream_member_string(s, "src",
                              format_endpoint(&f->src, f->sport, ports, buf, sizeof(buf)));
    json_stream_member_string(s, "dst",
                              format_endpoint(&f->dst, f->dport, ports, buf, sizeof(buf)));
    json_stream_member_string(s, "app", f->app);
    json_stream_member_bool(s, "app_guessed", f->app_guessed);
    json_stream_member_string(s, "server_name", f->server_name[0] ? f->server_name : NULL);
    json_stream_member_uint(s, "packets_fwd", f->packets_fwd);
    json_stream_member_uint(s, "packets_rev", f->packets_rev);
    json_stream_member_uint(s, "bytes_fwd", f->bytes_fwd);
    json_stream_member_uint(s, "bytes_rev", f->bytes_rev);
    ref_write(s, r, "first", &f->first, 1);
    ref_write(s, r, "last", &f->last, 1);
    json_stream_member_string(s, "end", format_flow_end(f->end));
    if (f->proto == 6) {
        json_stream_key(s, "tcp");
        json_stream_open_object(s);
        json_stream_member_string(s, "outcome", format_tcp_outcome(f));
        json_stream_member_int(s, "syn", f->syn_count);
        json_stream_member_int(s, "synack", f->synack_count);
        json_stream_member_uint(s, "retransmissions", f->tcp_retransmissions);
        json_stream_member_uint(s, "out_of_order", f->tcp_out_of_order);
        json_stream_member_uint(s, "gaps", f->tcp_gaps);
        json_stream_member_uint(s, "acked_unseen_bytes", f->tcp_acked_unseen);
        json_stream_close(s);
    }
    if (f->icmp_errors) {
        json_stream_key(s, "icmp_errors");
        json_stream_open_object(s);
        json_stream_member_int(s, "count", (int64_t)f->icmp_errors);
        json_stream_member_int(s, "type", f->icmp_type);
        json_stream_member_int(s, "code", f->icmp_code);
        json_stream_member_string(s, "from",
                                  format_endpoint(&f->icmp_from, 0, 0, buf, sizeof(buf)));
        ref_write(s, r, "first", &f->icmp_first, 0);
        json_stream_close(s);
    }
    json_stream_close(s);
}

static void
write_flows(struct json_stream *s, const struct result *r)
{
    json_stream_key(s, "flows");
    json_stream_open_object(s);
    json_stream_member(s, "total", ju64(r->flow_stats.created));
    json_stream_member(s, "listed", ju64(r->n_flows));
    json_stream_member(s, "unlisted", ju64(r->flows_unlisted));
    json_stream_member(s, "evicted", ju64(r->flow_stats.evicted));
    json_stream_member(s, "peak_active", ju64(r->flow_stats.peak_active));
    json_stream_key(s, "list");
    json_stream_open_array(s);
    for (size_t i = 0; i < r->n_flows; i++)
        flow_write(s, r, &r->flows[i]);
    json_stream_close(s);
    json_stream_close(s);
}

static struct json_object *
json_decode(const struct result *r)
{
    struct json_object *o = json_object_new_object();
    put(o, "non_ip", ju64(r->non_ip));
    put(o, "snaplen_cut", ju64(r->snaplen_cut));
    struct json_object *an = json_object_new_array();
    for (int a = 1; a < ANOM__COUNT; a++) {
        const struct anomaly_count *c = &r->anomalies[a];
        if (!c->count)
            continue;
        struct json_object *e = json_object_new_object();
        put(e, "name", jstr(dissect_anomaly_name((enum anomaly)a)));
        put(e, "truncation",
            json_object_new_boolean(dissect_anomaly_is_truncation((enum anomaly)a)));
        put(e, "count", ju64(c->count));
        put_ref(r, e, "first", &c->first, 0);
        json_object_array_add(an, e);
    }
    put(o, "anomalies", an);
    struct json_object *fr = json_object_new_object();
    put(fr, "fragments", ju64(r->frag.fragments));
    put(fr, "reassembled", ju64(r->frag.reassembled));
    put(fr, "timed_out", ju64(r->frag.timed_out));
    put(fr, "unfinished", ju64(r->frag.unfinished));
    put(fr, "evicted", ju64(r->frag.evicted));
    put(fr, "overlaps", ju64(r->frag.overlaps));
    put(fr, "oversize", ju64(r->frag.oversize));
    put(fr, "inconsistent", ju64(r->frag.inconsistent));
    put(fr, "truncated", ju64(r->frag.truncated));
    put(fr, "duplicates", ju64(r->frag.duplicates));
    put(fr, "malformed", ju64(r->frag.malformed));
    put(o, "ip_fragments", fr);
    struct json_object *t = json_object_new_object();
    put(t, "segments", ju64(r->tcp.segments));
    put(t, "bytes", ju64(r->tcp.bytes));
    put(t, "retransmissions", ju64(r->tcp.retransmissions));
    put(t, "out_of_order", ju64(r->tcp.out_of_order));
    put(t, "overlaps", ju64(r->tcp.overlaps));
    put(t, "gaps", ju64(r->tcp.gaps));
    put(t, "gap_bytes", ju64(r->tcp.gap_bytes));
    put(t, "dropped_bytes", ju64(r->tcp.dropped_bytes));
    put(t, "acked_unseen_bytes", ju64(r->tcp_acked_unseen));
    put(o, "tcp_streams", t);
    return o;
}

/* The whole document, in contract order; each large list one element at a time. */
static void
write_document(struct json_stream *s, const struct result *r)
{
    json_stream_open_object(s);
    json_stream_member(s, "schema_version", json_object_new_int(REPORT_SCHEMA_VERSION));
    json_stream_key(s, "captures");
    json_stream_open_array(s);
    for (size_t i = 0; i < r->n_inputs; i++)
        json_stream_value(s, json_capture(&r->inputs[i]));
    json_stream_close(s);
    json_stream_member(s, "packets", ju64(r->packets));
    json_stream_member(s, "bytes", ju64(r->bytes));
    json_stream_member(s, "first_time", r->packets ? jtime(r->first_ns) : NULL);
    json_stream_member(s, "last_time", r->packets ? jtime(r->last_ns) : NULL);
    json_stream_member(s, "duration_s",
                       jfixed(r->packets ? (double)(r->last_ns - r->first_ns) / 1e9 : 0, 6));
    report_json_sip(s, r);
    report_json_rtp(s, r);
    report_json_keepalives(s, r);
    report_json_alg(s, r);
    json_stream_key(s, "findings");
    json_stream_open_array(s);
    for (size_t i = 0; i < r->n_findings; i++)
        json_stream_value(s, json_finding(r, &r->findings[i]));
    json_stream_close(s);
    json_stream_key(s, "requirements");
    json_stream_open_array(s);
    for (int i = 0; i < REQ__COUNT; i++)
        json_stream_value(s, json_requirement(r, &r->requirements[i]));
    json_stream_close(s);
    write_flows(s, r);
    json_stream_member(s, "decode", json_decode(r));
    if (r->live.valid) {
        struct json_object *l = json_object_new_object();
        put(l, "received", ju64(r->live.received));
        put(l, "dropped", ju64(r->live.dropped));
        put(l, "if_dropped", ju64(r->live.if_dropped));
        json_stream_member(s, "live", l);
    }
    json_stream_close(s);
}

int
report_json_write(const struct result *r, FILE *out, char *err, size_t errlen)
{
    struct json_stream s;
    json_stream_init_file(&s, out);
    write_document(&s, r);
    if (json_stream_finish(&s) != 0) {
        snprintf(err, errlen, "cannot write the JSON report: %s", strerror(errno));
        return -1;
    }
    return 0;
}

struct json_object *
report_json_build(const struct result *r)
{
    struct json_stream s;
    json_stream_init_tree(&s);
    write_document(&s, r);
    if (json_stream_finish(&s) != 0)
        return NULL;
    return json_stream_take_tree(&s);
}
