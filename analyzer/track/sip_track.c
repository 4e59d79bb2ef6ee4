/* sip_track.c — SIP (RFC 3261) over UDP and TCP on any port: messages, keep-alives (RFC 5626
 * §3.5.1, STUN RFC 5389), SIP-TLS flows; the counts of the JSON contract and the SIP findings. */
#include "sip_track.h"

#include <ndpi/ndpi_protocol_ids.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../../dissectors/stun.h"
#include "../result.h"
#include "alg.h"
#include "keepalive.h"
#include "sip_internal.h"

#define SIP_TCP_PROBE_CHUNKS 4 /* TCP chunks looked at for a start line before giving up */
#define SIP_TLS_PORT 5061

/*
 * flow.sip of a TCP flow where no SIP start line was seen yet holds a small count instead of a
 * pointer (1..SIP_TCP_PROBE_CHUNKS chunks probed): HTTPS flows cost no allocation.
 */
static uintptr_t
probe_count(const struct flow *f)
{
    uintptr_t v = (uintptr_t)f->sip;
    return v <= SIP_TCP_PROBE_CHUNKS ? v : 0;
}

static struct sip_flow *
flow_state(const struct flow *f)
{
    uintptr_t v = (uintptr_t)f->sip;
    return v <= SIP_TCP_PROBE_CHUNKS ? NULL : (struct sip_flow *)f->sip;
}

/* 64×64→128 multiply folded to 64 bits (wyhash's mixing step). */
static inline uint64_t
key_mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

struct sip_key
sip_key_more(struct sip_key key, const char *const *parts, int n)
{
    /* Eight bytes a step in two independent lanes; each part's length ends it, so part
     * boundaries count ("ab","c" ≠ "a","bc"). Several keys are made per message. */
    uint64_t a = key.a, b = key.b;
    for (int i = 0; i < n; i++) {
        const char *p = parts[i];
        size_t len = strlen(p), k = 0;
        uint64_t w = 0;
        for (; k + 8 <= len; k += 8) {
            memcpy(&w, p + k, 8);
            a = key_mum(a ^ w, 0xa0761d6478bd642full);
            b = key_mum(b ^ w, 0xe7037ed1a0b428dbull);
        }
        w = 0;
        if (k < len && len >= 8) {
            memcpy(&w, p + len - 8, 8); /* the tail, overlapping the last whole step */
        } else {
            for (size_t j = 0; k + j < len; j++)
                w |= (uint64_t)(unsigned char)p[k + j] << (8 * j);
        }
        a = key_mum(a ^ w ^ ((uint64_t)len << 56), 0x8ebc6af09c88c6e3ull);
        b = key_mum(b ^ w ^ len, 0x589965cc75374cc3ull);
    }
    return (struct sip_key){a, b};
}

struct sip_key
sip_key_of(const char *const *parts, int n)
{
    return sip_key_more((struct sip_key){0xcbf29ce484222325ull, 0x84222325cbf29ce4ull}, parts, n);
}

char *
sip_endpoint_text(const struct sip_endpoint *e, char *buf, size_t len)
{
    char ip[64];
    ip_addr_format(&e->ip, ip, sizeof ip);
    snprintf(buf, len, e->ip.family == 6 ? "[%s]:%u" : "%s:%u", ip, (unsigned)e->port);
    return buf;
}

void
sip_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

void
sip_uri_text(const struct sip_uri *u, char *buf, size_t len)
{
    if (!u->host[0] && !u->user[0]) {
        buf[0] = 0;
        return;
    }
    size_t n = 0; /* "scheme:user@host", then ":port" only when it fits whole */
    buf[0] = 0;
    sip_append_str(buf, len, &n, u->scheme[0] ? u->scheme : "sip");
    sip_append_str(buf, len, &n, ":");
    sip_append_str(buf, len, &n, u->user);
    if (u->user[0])
        sip_append_str(buf, len, &n, "@");
    sip_append_str(buf, len, &n, u->host);
    if (u->port) {
        char port[8] = ":";
        size_t k = 1;
        sip_append_u(port, sizeof port, &k, u->port);
        if (n + k < len)
            sip_append_mem(buf, len, &n, port, k);
    }
}

void
sip_pending_add(struct sip_pending *list, uint32_t *n, uint64_t *total, const struct sip_ref *first,
                const struct sip_ref *last, const char *fmt, ...)
{
    (*total)++;
    if (*n >= SIP_PENDING_MAX)
        return;
    struct sip_pending *p = &list[(*n)++];
    p->first = *first;
    p->last = *last;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text, sizeof p->text, fmt, ap);
    va_end(ap);
}

struct sip_tracker *
sip_tracker_new(struct media_tracker *media)
{
    struct sip_tracker *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->media = media;
    t->res = calloc(1, sizeof(*t->res));
    if (!t->res || sip_txn_init(t) || sip_call_init(t) || sip_reg_init(t)) {
        sip_tracker_free(t);
        return NULL;
    }
    return t;
}

void
sip_tracker_free(struct sip_tracker *t)
{
    if (!t)
        return;
    /* Calls and registrations still live own their heap records. */
    for (uint32_t s = t->calls.entries ? table_oldest(&t->calls) : TABLE_NONE; s != TABLE_NONE;
         s = table_newer(&t->calls, s))
        sip_call_free(*(struct sip_call **)table_value(&t->calls, s));
    for (uint32_t s = t->regs.entries ? table_oldest(&t->regs) : TABLE_NONE; s != TABLE_NONE;
         s = table_newer(&t->regs, s))
        free(*(void **)table_value(&t->regs, s));
    table_free(&t->txns);
    table_free(&t->txn_alt);
    table_free(&t->calls);
    table_free(&t->regs);
    sip_result_free(t->res);
    free(t);
}

void
sip_tracker_set_keepalive(struct sip_tracker *t, struct keepalive_tracker *ka)
{
    t->ka = ka;
}

void
sip_tracker_set_alg(struct sip_tracker *t, struct alg_tracker *alg)
{
    t->alg = alg;
}

/* A keep-alive datagram of kind from pkt's source: to the keep-alive tracker (STUN decoded). */
static void
ka_hook_ping(struct sip_tracker *t, const struct packet *pkt, enum sip_payload_kind kind,
             const struct sip_ref *at)
{
    if (!t->ka)
        return;
    struct sip_endpoint src = {pkt->src, pkt->sport}, dst = {pkt->dst, pkt->dport}, mapped;
    enum ka_kind k = kind == SIP_PAYLOAD_KEEPALIVE_CRLF          ? KA_KIND_CRLF
                     : kind == SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF ? KA_KIND_DOUBLE_CRLF
                     : kind == SIP_PAYLOAD_EMPTY                 ? KA_KIND_EMPTY
                                                                 : KA_KIND_SHORT;
    bool has_mapped = false;
    if (kind == SIP_PAYLOAD_STUN) {
        struct stun_message sm;
        stun_parse(pkt->payload, pkt->payload_len, &sm);
        k = sm.cls == STUN_CLASS_REQUEST ? KA_KIND_STUN_REQUEST : KA_KIND_STUN_RESPONSE;
        if (sm.has_mapped && sm.cls == STUN_CLASS_SUCCESS) {
            mapped = (struct sip_endpoint){sm.mapped, sm.mapped_port};
            has_mapped = true;
        }
    }
    keepalive_tracker_ping_payload(t->ka, &src, &dst, false, k, at, has_mapped ? &mapped : NULL,
                                   pkt->payload, pkt->payload_len);
}

/* A tracked SIP message: to the keep-alive tracker, with the public address of a response. */
static void
ka_hook_message(struct sip_tracker *t, const struct sip_ctx *c)
{
    const struct sip_message *m = c->m;
    if (!t->ka)
        return;
    struct keepalive_sip k = {
        .is_request = m->is_request,
        .retransmission = c->retransmission,
        .in_dialog = m->to.tag[0] != 0,
        .tcp = c->tcp,
        .method = (uint8_t)m->method,
        .cseq_method = (uint8_t)m->cseq_method,
        .code = m->code,
    };
    const struct sip_hop *v = m->via_count ? &m->via[0] : NULL;
    if (!m->is_request && v && (v->received[0] || v->rport_kind == SIP_RPORT_VALUE)) {
        const char *host = v->received[0] ? v->received : v->host;
        k.public_addr.port = v->rport_kind == SIP_RPORT_VALUE ? v->rport : v->port;
        k.has_public = ip_addr_parse(host, &k.public_addr.ip); /* "[2001:db8::1]" too */
    }
    keepalive_tracker_sip(t->ka, &c->src, &c->dst, &k, &c->at);
}

static void add_event(struct sip_event *ev, uint32_t *n, const struct sip_ref *at, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

static void
add_event(struct sip_event *ev, uint32_t *n, const struct sip_ref *at, const char *fmt, ...)
{
    if (*n >= SIP_RES_MAX_EVENTS)
        return;
    struct sip_event *e = &ev[(*n)++];
    e->at = *at;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    va_end(ap);
}

static void
count_message(struct sip_result *r, const struct sip_message *m, bool tcp)
{
    r->messages++;
    tcp ? r->tcp_messages++ : r->udp_messages++;
    if (!m->is_request) {
        r->responses_total++;
        if (m->code >= 100 && m->code <= 699)
            r->resp_count[m->code]++;
        return;
    }
    r->requests_total++;
    if (m->method != SIP_REQ_OTHER && m->method != SIP_REQ_NONE && (unsigned)m->method < 16) {
        r->req_count[m->method]++;
        return;
    }
    for (uint8_t i = 0; i < r->n_other; i++)
        if (strcmp(r->other[i].name, m->method_name) == 0) {
            r->other[i].count++;
            return;
        }
    if (r->n_other < SIP_RES_OTHER_METHODS) {
        sip_copy(r->other[r->n_other].name, sizeof r->other[0].name, m->method_name);
        r->other[r->n_other++].count = 1;
    } else {
        r->other_unlisted++;
    }
}

/* One SIP message (from a datagram or a TCP stream): counts, anomalies, reconstruction. */
static void
track_message(struct sip_tracker *t, struct sip_ctx *c, bool cut)
{
    const struct sip_message *m = c->m;
    struct sip_result *r = t->res;
    if (c->at.ts_ns > t->now_ns)
        t->now_ns = c->at.ts_ns;
    sip_txn_expire(t, t->now_ns, false);
    sip_call_expire(t, t->now_ns, false);
    sip_reg_expire(t, t->now_ns, false);
    if (m->status == SIP_NO_MEMORY)
        return;
    if (m->is_request ? !m->method_name[0] : !m->code)
        return;
    count_message(r, m, c->tcp);
    if (m->status == SIP_MALFORMED) {
        r->malformed++;
        add_event(r->malformed_ev, &r->n_malformed_ev, &c->at, "%s", m->reason);
    }
    if (m->cl_mismatch && !cut && !c->tcp) {
        r->cl_mismatch++;
        add_event(r->cl_ev, &r->n_cl_ev, &c->at, "Content-Length %u, %u bytes carried",
                  (unsigned)m->content_length, (unsigned)m->body_len);
    }
    /* Key the transaction and the call first: their entries are fetched from memory while
     * the SDP and the ALG tracker are busy. */
    bool keyed = m->call_id[0] && m->has_cseq;
    if (keyed) {
        const char *cid[] = {m->call_id};
        c->cid = sip_key_of(cid, 1);
        sip_txn_prepare(t, c);
        sip_call_prepare(t, c);
    }
    /* The SDP body is summarised once, for the ALG tracker and the call (sip_call_message). */
    t->sdp_ok = m->sdp && m->sdp_len && sdp_summarize((const char *)m->sdp, m->sdp_len, &t->sdp);
    if (keyed) {
        sip_txn_prefetch(t, c);
        sip_call_prefetch(t, c);
    }
    c->copy = alg_tracker_message_sdp(t->alg, m, t->sdp_ok ? &t->sdp : NULL, c->raw, c->raw_len,
                                      &c->at, &c->src, &c->dst, cut || c->tcp, &c->retransmission);
    if (!keyed)
        return;
    /* A copy of a message just seen at the other capture point (LAN + WAN inputs, or both
     * sides of a NAT in one): the same message, not a retransmission nor a new transaction.
     * It is drawn in its call's ladder and handed on with its twin's retransmission flag. */
    struct sip_txn *x = c->copy ? NULL : sip_txn_message(t, c);
    if (!c->copy)
        alg_tracker_mark(t->alg, c->retransmission);
    sip_call_message(t, c, x);
    sip_reg_message(t, c, x);
    ka_hook_message(t, c);
}

/*
 * sofia rejected the start line (an unbracketed IPv6 Request-URI, say) but sip_classify had
 * verified its shape: keep the method token or the status code it checked, so the message is
 * counted as what it is (and as malformed). Only the classifier's verified bytes are read.
 */
static void
start_line_fallback(struct sip_message *m, enum sip_payload_kind kind, const uint8_t *p, uint32_t n)
{
    if (kind == SIP_PAYLOAD_RESPONSE && n >= 11) {
        m->is_request = false;
        m->code = (uint16_t)((p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0'));
        return;
    }
    size_t len = 0;
    while (len < n && len + 1 < sizeof m->method_name && p[len] != ' ')
        len++;
    if (len == n || p[len] != ' ')
        return;
    m->is_request = true;
    memcpy(m->method_name, p, len);
    m->method_name[len] = 0;
    m->method = SIP_REQ_OTHER;
    for (int q = SIP_REQ_INVITE; q <= SIP_REQ_PUBLISH; q++)
        if (strcmp(sip_req_name((enum sip_req)q), m->method_name) == 0)
            m->method = (enum sip_req)q;
}

static struct sip_flow *
flow_attach(struct flow *f, const struct packet *pkt, int side, bool tcp)
{
    struct sip_flow *sf = flow_state(f);
    if (sf)
        return sf;
    sf = calloc(1, sizeof *sf);
    if (!sf)
        return NULL;
    sf->tcp = tcp;
    sf->ep[side] = (struct sip_endpoint){pkt->src, pkt->sport};
    sf->ep[!side] = (struct sip_endpoint){pkt->dst, pkt->dport};
    f->sip = sf;
    return sf;
}

static void
ka_event(struct sip_flow *sf, int side, enum sip_payload_kind kind, const struct sip_ref *at)
{
    struct sip_ka *k = &sf->ka[side];
    switch (kind) {
    case SIP_PAYLOAD_KEEPALIVE_CRLF:
        k->crlf++;
        break;
    case SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF:
        k->double_crlf++;
        break;
    case SIP_PAYLOAD_EMPTY:
        k->empty++;
        break;
    case SIP_PAYLOAD_STUN:
        k->stun++;
        break;
    default:
        k->short_ping++;
        break;
    }
    if (k->count++ == 0) {
        k->first = k->last = *at;
        return;
    }
    double iv = (double)(at->ts_ns - k->last.ts_ns) / 1e9;
    if (k->count == 2 || iv < k->min_s)
        k->min_s = iv;
    if (k->count == 2 || iv > k->max_s)
        k->max_s = iv;
    if (iv > k->longest_s || k->count == 2) {
        k->longest_s = iv;
        k->gap_from = k->last;
        k->gap_to = *at;
    }
    k->iv[k->pos] = (float)iv;
    k->pos = (uint8_t)((k->pos + 1) % SIP_KA_INTERVALS);
    if (k->n_iv < SIP_KA_INTERVALS)
        k->n_iv++;
    k->last = *at;
}

static bool
port_in_profile(uint16_t p)
{
    return p >= SIP_PROFILE_PORT_MIN && p <= SIP_PROFILE_PORT_MAX;
}

bool
sip_tracker_udp(struct sip_tracker *t, const struct packet *pkt, struct flow *f, int side)
{
    return sip_tracker_udp_parsed(t, pkt, f, side, sip_classify(pkt->payload, pkt->payload_len),
                                  NULL);
}

bool
sip_tracker_udp_parsed(struct sip_tracker *t, const struct packet *pkt, struct flow *f, int side,
                       enum sip_payload_kind kind, struct sip_message *msg)
{
    struct sip_flow *sf = flow_state(f);
    struct sip_ref at = {pkt->frame, pkt->file, pkt->ts_ns};
    switch (kind) {
    case SIP_PAYLOAD_REQUEST:
    case SIP_PAYLOAD_RESPONSE:
        break;
    case SIP_PAYLOAD_KEEPALIVE_CRLF:
    case SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF:
        sf = flow_attach(f, pkt, side, false);
        if (sf)
            ka_event(sf, side, kind, &at);
        ka_hook_ping(t, pkt, kind, &at);
        return true;
    case SIP_PAYLOAD_EMPTY:
    case SIP_PAYLOAD_SHORT_PING:
        if (!(sf && sf->is_sip) && !port_in_profile(pkt->sport) && !port_in_profile(pkt->dport))
            return false;
        sf = flow_attach(f, pkt, side, false);
        if (sf)
            ka_event(sf, side, kind, &at);
        ka_hook_ping(t, pkt, kind, &at);
        return true;
    case SIP_PAYLOAD_STUN:
        if (!sf || !sf->is_sip)
            return false;
        ka_event(sf, side, kind, &at);
        ka_hook_ping(t, pkt, kind, &at);
        return true;
    default:
        return false;
    }
    sf = flow_attach(f, pkt, side, false);
    if (sf && !sf->is_sip) {
        sf->is_sip = true;
        sf->first_sip = at;
    }
    if (!msg) {
        msg = &t->msg;
        sip_parse_datagram(pkt->payload, pkt->payload_len, msg);
    }
    if (msg->status == SIP_MALFORMED && !msg->method_name[0] && !msg->code)
        start_line_fallback(msg, kind, pkt->payload, pkt->payload_len);
    struct sip_ctx c = {
        .m = msg,
        .at = at,
        .src = {pkt->src, pkt->sport},
        .dst = {pkt->dst, pkt->dport},
        .raw = pkt->payload,
        .raw_len = pkt->payload_len,
    };
    track_message(t, &c, pkt->payload_len < pkt->payload_wire_len);
    return true;
}

static void
on_stream_event(void *ctx, const struct sip_stream_event *ev)
{
    struct sip_stream_ctx *sc = ctx;
    struct sip_flow *sf = sc->sf;
    switch (ev->kind) {
    case SIP_STREAM_MESSAGE: {
        if (!sf->is_sip) {
            sf->is_sip = true;
            sf->first_sip = sf->tcp_at;
        }
        struct sip_ctx c = {
            .m = ev->msg,
            .at = sf->tcp_at,
            .src = sf->ep[sc->side],
            .dst = sf->ep[!sc->side],
            .tcp = true,
        };
        track_message(sc->t, &c, false);
        break;
    }
    case SIP_STREAM_KEEPALIVE_CRLF:
        ka_event(sf, sc->side, SIP_PAYLOAD_KEEPALIVE_CRLF, &sf->tcp_at);
        break;
    case SIP_STREAM_KEEPALIVE_DOUBLE_CRLF:
        ka_event(sf, sc->side, SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF, &sf->tcp_at);
        break;
    case SIP_STREAM_DISCARD:
        sc->t->res->tcp_discarded_bytes += ev->bytes;
        break;
    }
}

/* Whether side's bytes of f go to a SIP stream: a start line, nDPI, or the other side's SIP. */
static struct sip_stream *
tcp_stream_for(struct sip_tracker *t, struct flow *f, int side, const uint8_t *data, uint32_t len,
               const struct packet *pkt)
{
    struct sip_flow *sf = flow_state(f);
    if (sf && sf->stream[side])
        return sf->stream[side];
    if (sf && sf->tcp_state[side] == 0xff)
        return NULL;
    enum sip_payload_kind k = sip_classify(data, len);
    bool start = k == SIP_PAYLOAD_REQUEST || k == SIP_PAYLOAD_RESPONSE;
    bool dpi = f->dpi.master == NDPI_PROTOCOL_SIP || f->dpi.app == NDPI_PROTOCOL_SIP;
    if (!start && !dpi && !(sf && sf->is_sip)) {
        if (sf) {
            if (++sf->tcp_state[side] >= SIP_TCP_PROBE_CHUNKS)
                sf->tcp_state[side] = 0xff;
        } else if (probe_count(f) < SIP_TCP_PROBE_CHUNKS) {
            f->sip = (void *)(probe_count(f) + 1);
        }
        return NULL;
    }
    if (!pkt)
        return NULL; /* flushing at the end, endpoints unknown: too late to start */
    if (!sf) {
        f->sip = NULL;
        sf = flow_attach(f, pkt, side, true);
        if (!sf)
            return NULL;
    }
    sf->sctx[side] = (struct sip_stream_ctx){t, sf, (uint8_t)side};
    sf->stream[side] = sip_stream_new(on_stream_event, &sf->sctx[side]);
    return sf->stream[side];
}

void
sip_tracker_tcp(struct sip_tracker *t, struct flow *f, int side, const uint8_t *data, uint32_t len,
                uint32_t gap_before, const struct packet *pkt)
{
    if (!len)
        return;
    if (!flow_state(f) && probe_count(f) >= SIP_TCP_PROBE_CHUNKS)
        return;
    struct sip_stream *s = tcp_stream_for(t, f, side, data, len, pkt);
    if (!s)
        return;
    struct sip_flow *sf = flow_state(f);
    sf->tcp_at = pkt ? (struct sip_ref){pkt->frame, pkt->file, pkt->ts_ns}
                     : (struct sip_ref){f->last_frame, f->last_file, f->last_ns};
    if (gap_before)
        sip_stream_gap(s);
    sip_stream_feed(s, data, len);
}

static double
ka_median(const struct sip_ka *k)
{
    float v[SIP_KA_INTERVALS];
    uint8_t n = k->n_iv;
    memcpy(v, k->iv, n * sizeof v[0]);
    for (uint8_t i = 1; i < n; i++) /* insertion sort: at most 32 values, once per flow */
        for (uint8_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            float x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return n ? (n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) : 0.0;
}

static void
keep_binding(struct sip_tracker *t, const struct sip_flow *sf, int side)
{
    const struct sip_ka *k = &sf->ka[side];
    struct sip_result *r = t->res;
    if (!k->count)
        return;
    if (r->n_bindings >= SIP_RES_MAX_BINDINGS) {
        r->bindings_unlisted++;
        return;
    }
    if (r->n_bindings == t->cap_bindings) {
        uint32_t cap = t->cap_bindings ? t->cap_bindings * 2 : 8;
        void *n = realloc(r->bindings, cap * sizeof(*r->bindings));
        if (!n) {
            r->bindings_unlisted++;
            return;
        }
        r->bindings = n;
        t->cap_bindings = cap;
    }
    struct sip_keepalive_binding *b = &r->bindings[r->n_bindings++];
    memset(b, 0, sizeof *b);
    b->src = sf->ep[side];
    b->dst = sf->ep[!side];
    b->tcp = sf->tcp;
    b->count = k->count;
    b->crlf = k->crlf;
    b->double_crlf = k->double_crlf;
    b->empty = k->empty;
    b->short_ping = k->short_ping;
    b->stun = k->stun;
    b->first = k->first;
    b->last = k->last;
    b->min_s = k->min_s;
    b->max_s = k->max_s;
    b->median_s = ka_median(k);
    b->longest_gap_s = k->longest_s;
    b->gap_from = k->gap_from;
    b->gap_to = k->gap_to;
}

static void
record_tls(struct sip_tracker *t, const struct flow_key *k, const struct flow *f)
{
    struct sip_result *r = t->res;
    r->tls_total++;
    if (r->n_tls >= SIP_RES_MAX_TLS)
        return;
    struct sip_tls_flow *x = &r->tls[r->n_tls++];
    int i = f->init_side;
    x->client.ip.family = x->server.ip.family = k->family;
    memcpy(x->client.ip.a, k->addr[i], 16);
    memcpy(x->server.ip.a, k->addr[!i], 16);
    x->client.port = k->port[i];
    x->server.port = k->port[!i];
    x->first = (struct sip_ref){f->first_frame, f->first_file, f->first_ns};
    x->established = f->was_established;
    x->reset = f->tcp_state == FLOW_TCP_RESET;
    x->packets = f->packets[0] + f->packets[1];
    bool tls = f->dpi.master == NDPI_PROTOCOL_TLS || f->dpi.app == NDPI_PROTOCOL_TLS;
    sip_copy(x->app, sizeof x->app, tls ? "TLS" : "");
}

void
sip_tracker_flow_end(struct sip_tracker *t, const struct flow_key *k, struct flow *f)
{
    struct sip_flow *sf = flow_state(f);
    if (k->proto == 6 && (k->port[0] == SIP_TLS_PORT || k->port[1] == SIP_TLS_PORT) &&
        !(sf && sf->is_sip))
        record_tls(t, k, f);
    f->sip = NULL;
    if (!sf)
        return;
    for (int d = 0; d < 2; d++)
        if (sf->stream[d]) {
            sf->tcp_at = (struct sip_ref){f->last_frame, f->last_file, f->last_ns};
            sip_stream_end(sf->stream[d]);
            const struct sip_stream_stats *st = sip_stream_stats(sf->stream[d]);
            t->res->tcp_resyncs += st->resyncs;
            sip_stream_free(sf->stream[d]);
        }
    char a[64], b[64];
    if (sf->is_sip && !port_in_profile(sf->ep[0].port) && !port_in_profile(sf->ep[1].port))
        sip_pending_add(t->port, &t->n_port, &t->port_total, &sf->first_sip, &sf->first_sip,
                        "SIP between %s and %s: neither port is in %u-%u",
                        sip_endpoint_text(&sf->ep[0], a, sizeof a),
                        sip_endpoint_text(&sf->ep[1], b, sizeof b), SIP_PROFILE_PORT_MIN,
                        SIP_PROFILE_PORT_MAX);
    if (sf->is_sip && f->icmp_errors) {
        struct sip_ref at = {f->icmp_first_frame, f->icmp_first_file, 0};
        char from[64];
        ip_addr_format(&f->icmp_from, from, sizeof from);
        sip_pending_add(t->icmp, &t->n_icmp, &t->icmp_total, &at, &at,
                        "%u ICMP error(s) (type %u code %u from %s) for SIP between %s and %s",
                        (unsigned)f->icmp_errors, (unsigned)f->icmp_type, (unsigned)f->icmp_code,
                        from, sip_endpoint_text(&sf->ep[0], a, sizeof a),
                        sip_endpoint_text(&sf->ep[1], b, sizeof b));
    }
    keep_binding(t, sf, 0);
    keep_binding(t, sf, 1);
    free(sf);
}
