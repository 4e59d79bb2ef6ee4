/* json_rtp.c — the "rtp" object (RFC 3550 streams as Wireshark's rtp,streams; media verdicts). */
#include "json_rtp.h"

#include <stdio.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "format.h"

/* A double with a fixed number of decimals (3 for the contract's ms figures, as tshark). */
static void
m_fixed(struct json_stream *js, const char *key, double v, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    json_stream_member_double_s(js, key, v, buf);
}

static void
m_ep(struct json_stream *js, const char *key, const struct ip_addr *a, uint16_t port)
{
    char buf[80];
    json_stream_member_string(js, key, format_endpoint(a, port, 1, buf, sizeof(buf)));
}

/* prefix + suffix into key (48 bytes), cut to fit. */
static const char *
key_of(char *key, const char *prefix, const char *suffix)
{
    size_t n = strnlen(prefix, 47), k = strnlen(suffix, 47 - n);
    memcpy(key, prefix, n);
    memcpy(key + n, suffix, k);
    key[n + k] = 0;
    return key;
}

/* "<prefix>_frame", "<prefix>_time" (and "<prefix>_file" with several inputs), null when none. */
static void
put_ref(struct json_stream *js, const struct result *r, const char *prefix,
        const struct media_ref *e, int with_time)
{
    char key[48], t[48];
    if (e->frame)
        json_stream_member_uint(js, key_of(key, prefix, "_frame"), e->frame);
    else
        json_stream_member_null(js, key_of(key, prefix, "_frame"));
    if (r->n_inputs > 1) {
        if (e->frame)
            json_stream_member_int(js, key_of(key, prefix, "_file"), e->file);
        else
            json_stream_member_null(js, key_of(key, prefix, "_file"));
    }
    if (with_time)
        json_stream_member_string(js, key_of(key, prefix, "_time"),
                                  e->frame ? format_time_rfc3339(e->ts_ns, t, sizeof(t)) : NULL);
}

static void
stream_rtcp(struct json_stream *js, const struct media_stream_record *s)
{
    const struct media_rtcp_view *v = &s->rtcp;
    if (!v->reports && !v->has_xr) {
        json_stream_member_null(js, "rtcp");
        return;
    }
    json_stream_key(js, "rtcp");
    json_stream_open_object(js);
    json_stream_member_uint(js, "reports", v->reports);
    m_fixed(js, "fraction_lost_pct", 100.0 * v->fraction_lost / 256.0, 2);
    json_stream_member_int(js, "cumulative_lost", v->cum_lost);
    if (v->jitter_ms >= 0)
        m_fixed(js, "jitter_ms", v->jitter_ms, 3);
    else
        json_stream_member_null(js, "jitter_ms");
    json_stream_member_uint(js, "last_frame", v->last.frame);
    if (v->has_xr) {
        json_stream_key(js, "xr_voip_metrics");
        json_stream_open_object(js);
        m_fixed(js, "loss_rate_pct", 100.0 * v->xr_loss_rate / 256.0, 2);
        if (v->xr_r_factor == 127)
            json_stream_member_null(js, "r_factor");
        else
            json_stream_member_uint(js, "r_factor", v->xr_r_factor);
        if (v->xr_mos_lq == 127)
            json_stream_member_null(js, "mos_lq");
        else
            m_fixed(js, "mos_lq", v->xr_mos_lq / 10.0, 1);
        json_stream_close(js);
    }
    json_stream_close(js);
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

/* One stream, member by member (the list is long: no tree per element). */
static void
stream_write(struct json_stream *js, const struct result *r, const struct media_stream_record *s)
{
    const struct rtp_stats_result *st = &s->st;
    const struct media_result *m = r->media;
    char buf[16];
    json_stream_open_object(js);
    /* the contract (docs/json-contract.md), in its order */
    m_ep(js, "src", &s->src, s->sport);
    m_ep(js, "dst", &s->dst, s->dport);
    snprintf(buf, sizeof(buf), "0x%08X", s->ssrc);
    json_stream_member_string(js, "ssrc", buf);
    json_stream_member_string(js, "payload", s->payload);
    json_stream_member_uint(js, "packets", st->packets);
    json_stream_member_int(js, "lost", st->lost);
    m_fixed(js, "min_delta_ms", st->min_delta_ms, 3);
    m_fixed(js, "mean_delta_ms", st->mean_delta_ms, 3);
    m_fixed(js, "max_delta_ms", st->max_delta_ms, 3);
    m_fixed(js, "min_jitter_ms", st->min_jitter_ms, 3);
    m_fixed(js, "mean_jitter_ms", st->mean_jitter_ms, 3);
    m_fixed(js, "max_jitter_ms", st->max_jitter_ms, 3);
    /* voipdiag's additions */
    if (st->clock_rate)
        json_stream_member_uint(js, "clock_rate", st->clock_rate);
    else
        json_stream_member_null(js, "clock_rate");
    json_stream_member_uint(js, "expected", st->expected);
    m_fixed(js, "lost_pct", st->lost_pct, 2);
    json_stream_member_uint(js, "sequence_errors", st->seq_errors);
    json_stream_member_uint(js, "duplicates", st->duplicates);
    json_stream_member_uint(js, "out_of_order", st->reordered);
    json_stream_member_uint(js, "marker_bits", st->markers);
    json_stream_member_bool(js, "problem", st->problem);
    json_stream_key(js, "dtmf");
    json_stream_open_object(js);
    json_stream_member_uint(js, "events", st->dtmf_events);
    json_stream_member_string(js, "digits", st->dtmf_digits);
    json_stream_close(js);
    json_stream_key(js, "quality");
    json_stream_open_object(js);
    json_stream_member_bool(js, "estimate", true);
    m_fixed(js, "r_factor", st->r_factor, 1);
    m_fixed(js, "mos", st->mos, 2);
    m_fixed(js, "assumed_delay_ms", st->est_delay_ms, 1);
    json_stream_member_bool(js, "codec_known", st->codec_known);
    json_stream_close(js);
    put_ref(js, r, "first", &s->first, 1);
    put_ref(js, r, "last", &s->last, 1);
    if (st->max_delta_frame)
        json_stream_member_uint(js, "max_delta_frame", st->max_delta_frame);
    else
        json_stream_member_null(js, "max_delta_frame");
    json_stream_member_string(js, "bound_by", media_bind_name(s->bind));
    if (s->call >= 0 && (size_t)s->call < m->n_calls) {
        const struct media_call_record *c = &m->calls[s->call];
        json_stream_key(js, "call");
        json_stream_open_object(js);
        json_stream_member_uint(js, "call_index", c->call_index);
        json_stream_member_string(js, "call_id", c->call_id);
        json_stream_member_string(js, "direction",
                                  s->from_caller ? "caller->callee" : "callee->caller");
        json_stream_member_bool(js, "source_announced", s->src_announced);
        json_stream_close(js);
    } else {
        json_stream_member_null(js, "call");
    }
    stream_rtcp(js, s);
    if (s->icmp_errors) {
        json_stream_key(js, "icmp");
        json_stream_open_object(js);
        json_stream_member_uint(js, "count", s->icmp_errors);
        json_stream_member_string(js, "kind", icmp_name(s->icmp_type, s->icmp_code));
        json_stream_member_uint(js, "first_frame", s->icmp_first.frame);
        json_stream_close(js);
    } else {
        json_stream_member_null(js, "icmp");
    }
    json_stream_close(js);
}

/* One call's media verdict, member by member. */
static void
call_write(struct json_stream *js, const struct result *r, const struct media_call_record *c)
{
    static const char *const dname[2] = {"caller->callee", "callee->caller"};
    json_stream_open_object(js);
    json_stream_member_uint(js, "call_index", c->call_index);
    json_stream_member_string(js, "call_id", c->call_id);
    json_stream_member_string(js, "verdict", c->verdict);
    json_stream_key(js, "directions");
    json_stream_open_array(js);
    for (int d = 0; d < 2; d++) {
        const struct media_call_dir *cd = &c->dir[d];
        json_stream_open_object(js);
        json_stream_member_string(js, "direction", dname[d]);
        json_stream_member_string(js, "verdict", media_dir_verdict_name(cd->verdict));
        json_stream_member_bool(js, "expected", cd->expected);
        if (cd->addr.family)
            m_ep(js, "sdp_address", &cd->addr, cd->port);
        else
            json_stream_member_null(js, "sdp_address");
        json_stream_member_bool(js, "sdp_address_private", cd->addr_private);
        if (cd->sdp.frame)
            json_stream_member_uint(js, "sdp_frame", cd->sdp.frame);
        else
            json_stream_member_null(js, "sdp_frame");
        json_stream_member_uint(js, "streams", cd->streams);
        json_stream_member_uint(js, "packets", cd->packets);
        json_stream_member_int(js, "lost", cd->lost);
        if (cd->streams)
            m_ep(js, "source", &cd->seen_src, cd->seen_sport);
        else
            json_stream_member_null(js, "source");
        json_stream_member_bool(js, "source_unannounced", cd->src_unannounced);
        put_ref(js, r, "first", &cd->first, 1);
        put_ref(js, r, "last", &cd->last, 1);
        if (cd->icmp_errors) {
            char from[64];
            json_stream_key(js, "icmp");
            json_stream_open_object(js);
            json_stream_member_uint(js, "count", cd->icmp_errors);
            json_stream_member_string(js, "kind", icmp_name(cd->icmp_type, cd->icmp_code));
            json_stream_member_uint(js, "type", cd->icmp_type);
            json_stream_member_uint(js, "code", cd->icmp_code);
            json_stream_member_string(js, "from",
                                      ip_addr_format(&cd->icmp_from, from, sizeof(from)));
            json_stream_member_uint(js, "first_frame", cd->icmp_first.frame);
            json_stream_close(js);
        } else {
            json_stream_member_null(js, "icmp");
        }
        /* two capture points: the input nearest the receiver, where the direction was judged */
        if (cd->judged_at_point && (cd->expected || cd->packets))
            json_stream_member_int(js, "judged_at_file", cd->judged_file);
        json_stream_close(js);
    }
    json_stream_close(js);
    json_stream_close(js);
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
        stream_write(js, r, &m->streams[i]);
    json_stream_close(js);
    json_stream_key(js, "calls");
    json_stream_open_array(js);
    for (size_t i = 0; i < m->n_calls; i++)
        call_write(js, r, &m->calls[i]);
    json_stream_close(js);
    json_stream_member_uint(js, "rtp_packets", m->rtp_packets);
    json_stream_member_uint(js, "rtcp_packets", m->rtcp_packets);
    json_stream_member_uint(js, "streams_evicted", m->streams_evicted);
    json_stream_member_uint(js, "candidates_rejected", m->candidates_dropped);
    json_stream_close(js);
}
