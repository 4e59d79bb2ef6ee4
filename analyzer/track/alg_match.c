/* alg_match.c — RFC 3261 §8.1.1/§17 message identity across two capture points and the field
 * view whose changes in transit are SIP ALG rewrites (Via received/rport RFC 3581, SDP RFC 4566).
 */
#include "alg_match.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../dissectors/dissect.h"

static void add(struct alg_view *v, bool sdp, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct alg_view *v, bool sdp, const char *name, const char *fmt, ...)
{
    if (v->n >= ALG_VIEW_FIELDS) {
        v->cut = true;
        return;
    }
    struct alg_field *f = &v->f[v->n++];
    snprintf(f->name, sizeof f->name, "%s", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->value, sizeof f->value, fmt, ap);
    va_end(ap);
    f->sdp = sdp;
}

/* "sip:user@host:port;transport=x" of u ("" when empty). */
static void
uri_text(const struct sip_uri *u, char *buf, size_t len)
{
    if (!u->host[0] && !u->user[0]) {
        buf[0] = 0;
        return;
    }
    char port[8] = "";
    if (u->port)
        snprintf(port, sizeof port, ":%u", (unsigned)u->port);
    if (snprintf(buf, len, "%s:%s%s%s%s%s%s", u->scheme[0] ? u->scheme : "sip", u->user,
                 u->user[0] ? "@" : "", u->host, port, u->transport[0] ? ";transport=" : "",
                 u->transport) < 0)
        buf[0] = 0; /* a cut value is still compared as written */
}

static void
party(struct alg_view *v, const char *name, const struct sip_party *p)
{
    if (!p->present)
        return;
    char u[ALG_RES_VALUE_MAX];
    uri_text(&p->uri, u, sizeof u);
    add(v, false, name, "%s", u);
}

static void
view_headers(const struct sip_message *m, struct alg_view *v)
{
    char name[ALG_RES_FIELD_MAX], u[ALG_RES_VALUE_MAX];
    if (m->is_request) {
        uri_text(&m->ruri, u, sizeof u);
        add(v, false, "Request-URI", "%s", u);
    }
    for (unsigned i = 0; i < m->via_count; i++) {
        const struct sip_hop *h = &m->via[i];
        snprintf(name, sizeof name, "Via[%u] sent-by", i + 1);
        add(v, false, name, h->port ? "%s:%u" : "%s", h->host, (unsigned)h->port);
        if (h->received[0]) {
            snprintf(name, sizeof name, "Via[%u] received", i + 1);
            add(v, false, name, "%s", h->received);
        }
        if (h->rport_kind != SIP_RPORT_ABSENT) {
            snprintf(name, sizeof name, "Via[%u] rport", i + 1);
            if (h->rport_kind == SIP_RPORT_VALUE)
                add(v, false, name, "%u", (unsigned)h->rport);
            else
                add(v, false, name, "%s", h->rport_kind == SIP_RPORT_BARE ? "(empty)" : "(bad)");
        }
        snprintf(name, sizeof name, "Via[%u] branch", i + 1);
        add(v, false, name, "%s", h->branch);
    }
    for (unsigned i = 0; i < m->contact_count; i++) {
        snprintf(name, sizeof name, "Contact[%u]", i + 1);
        if (m->contact[i].star) {
            add(v, false, name, "*");
            continue;
        }
        uri_text(&m->contact[i].uri, u, sizeof u);
        add(v, false, name, "%s", u);
    }
    for (unsigned i = 0; i < m->record_route_count; i++) {
        snprintf(name, sizeof name, "Record-Route[%u]", i + 1);
        const struct sip_hostport *h = &m->record_route[i];
        add(v, false, name, h->port ? "%s:%u" : "%s", h->host, (unsigned)h->port);
    }
    for (unsigned i = 0; i < m->route_count; i++) {
        snprintf(name, sizeof name, "Route[%u]", i + 1);
        const struct sip_hostport *h = &m->route[i];
        add(v, false, name, h->port ? "%s:%u" : "%s", h->host, (unsigned)h->port);
    }
    party(v, "From", &m->from);
    party(v, "To", &m->to);
}

static void
view_sdp(const struct sdp_summary *s, struct alg_view *v)
{
    char name[ALG_RES_FIELD_MAX];
    add(v, true, "SDP o=", "%s %llu %llu IN IP%u %s", s->origin.username,
        (unsigned long long)s->origin.id, (unsigned long long)s->origin.version,
        (unsigned)s->origin.addr_family, s->origin.addr.text);
    if (s->conn.text[0])
        add(v, true, "SDP c=", "%s", s->conn.text);
    for (unsigned i = 0; i < s->media_count; i++) {
        const struct sdp_media_info *mi = &s->media[i];
        snprintf(name, sizeof name, "SDP m[%u] %.12s port", i + 1, mi->type);
        add(v, true, name, "%u", (unsigned)mi->port);
        if (!mi->conn_from_session && mi->conn.text[0]) {
            snprintf(name, sizeof name, "SDP m[%u] c=", i + 1);
            add(v, true, name, "%s", mi->conn.text);
        }
        if (mi->has_rtcp) {
            snprintf(name, sizeof name, "SDP m[%u] a=rtcp", i + 1);
            add(v, true, name, mi->rtcp_addr.text[0] ? "%u IN %s" : "%u%s", (unsigned)mi->rtcp_port,
                mi->rtcp_addr.text);
        }
    }
    for (unsigned i = 0; i < s->candidate_count; i++) {
        const struct sdp_candidate *c = &s->candidate[i];
        snprintf(name, sizeof name, "SDP candidate[%u]", i + 1);
        if (c->raddr.text[0])
            add(v, true, name, "%s %u typ %s raddr %s rport %u", c->addr.text, (unsigned)c->port,
                sdp_cand_type_name(c->type), c->raddr.text, (unsigned)c->rport);
        else
            add(v, true, name, "%s %u typ %s", c->addr.text, (unsigned)c->port,
                sdp_cand_type_name(c->type));
    }
}

void
alg_view_build(const struct sip_message *m, const struct sdp_summary *sdp, struct alg_view *v)
{
    memset(v, 0, sizeof *v);
    v->has_content_length = m->has_content_length;
    v->content_length = m->content_length;
    v->body_len = m->body_len;
    v->cl_mismatch = m->cl_mismatch;
    view_headers(m, v);
    if (sdp && sdp->ok)
        view_sdp(sdp, v);
}

static const struct alg_field *
find_field(const struct alg_view *v, const char *name)
{
    for (unsigned i = 0; i < v->n; i++)
        if (strcmp(v->f[i].name, name) == 0)
            return &v->f[i];
    return NULL;
}

unsigned
alg_view_diff(const struct alg_view *before, const struct alg_view *after, alg_diff_fn fn,
              void *ctx)
{
    unsigned n = 0;
    for (unsigned i = 0; i < before->n; i++) {
        const struct alg_field *b = &before->f[i], *a = find_field(after, b->name);
        if (a && strcmp(a->value, b->value) == 0)
            continue;
        n++;
        if (fn)
            fn(ctx, b, a ? a->value : "");
    }
    for (unsigned i = 0; i < after->n; i++) {
        const struct alg_field *a = &after->f[i];
        if (find_field(before, a->name))
            continue;
        n++;
        if (fn) {
            struct alg_field absent = *a;
            absent.value[0] = 0;
            fn(ctx, &absent, a->value);
        }
    }
    return n;
}

static void
mix(uint64_t *a, uint64_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        *a = (*a ^ *p) * 0x100000001b3ull;
        *b = (*b ^ *p) * 0x00000100000001b3ull + 0x9e3779b97f4a7c15ull;
    }
    *a = (*a ^ 0xff) * 0x100000001b3ull;
    *b = (*b ^ 0xfe) * 0x00000100000001b3ull;
}

bool
alg_key_of(const struct sip_message *m, struct alg_key *k)
{
    memset(k, 0, sizeof *k);
    if (!m->call_id[0] || !m->has_cseq)
        return false;
    char num[48];
    k->a = 0xcbf29ce484222325ull;
    k->b = 0x84222325cbf29ce4ull;
    mix(&k->a, &k->b, m->call_id);
    snprintf(num, sizeof num, "%u %s %u", (unsigned)m->cseq, m->cseq_method_name,
             m->is_request ? 0u : (unsigned)m->code);
    mix(&k->a, &k->b, num);
    mix(&k->a, &k->b, m->is_request ? m->method_name : "");
    mix(&k->a, &k->b, m->via_count ? m->via[0].branch : "");
    return true;
}

uint64_t
alg_call_digest(const char *call_id)
{
    uint64_t a = 0x84222325cbf29ce4ull, b = 0xcbf29ce484222325ull;
    mix(&a, &b, call_id);
    return a ^ (b << 1);
}

void
alg_what(const struct sip_message *m, char *buf, size_t len)
{
    if (m->is_request)
        snprintf(buf, len, "%.30s", m->method_name);
    else
        snprintf(buf, len, "%u (%.30s)", (unsigned)m->code, m->cseq_method_name);
}

static bool
ep_equal(const struct sip_endpoint *a, const struct sip_endpoint *b)
{
    return a->port == b->port && a->ip.family == b->ip.family &&
           memcmp(a->ip.a, b->ip.a, a->ip.family == 6 ? 16 : 4) == 0;
}

bool
alg_copies_pairable(const struct alg_copy *a, const struct alg_copy *b)
{
    if (a->at.file != b->at.file)
        return true;
    return !ep_equal(&a->src, &b->src) || !ep_equal(&a->dst, &b->dst);
}

bool
alg_addr_private(const struct ip_addr *a)
{
    const uint8_t *p = a->a;
    if (a->family == 4)
        return p[0] == 10 || (p[0] == 172 && (p[1] & 0xf0) == 16) || (p[0] == 192 && p[1] == 168) ||
               (p[0] == 100 && (p[1] & 0xc0) == 64) || p[0] == 127;
    if (a->family == 6) {
        static const uint8_t loop[16] = {[15] = 1};
        return (p[0] & 0xfe) == 0xfc || memcmp(p, loop, 16) == 0;
    }
    return false;
}

bool
alg_host_ip(const char *host, struct ip_addr *out)
{
    char buf[SIP_HOST_MAX];
    memset(out, 0, sizeof *out);
    size_t n = strlen(host);
    if (n >= sizeof buf)
        return false;
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = 0;
    } else {
        memcpy(buf, host, n + 1);
    }
    if (inet_pton(AF_INET, buf, out->a) == 1) {
        out->family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out->a) == 1) {
        out->family = 6;
        return true;
    }
    return false;
}

bool
alg_copy_is_upstream(const struct alg_copy *a, const struct alg_copy *b)
{
    /* The sender was translated (source differs): upstream is the copy with the private
     * source. A reply translated back (destination differs): upstream is the copy with the
     * public destination. */
    bool src_differs = !ep_equal(&a->src, &b->src), dst_differs = !ep_equal(&a->dst, &b->dst);
    bool ap = alg_addr_private(&a->src.ip), bp = alg_addr_private(&b->src.ip);
    if (src_differs && ap != bp)
        return ap;
    ap = alg_addr_private(&a->dst.ip);
    bp = alg_addr_private(&b->dst.ip);
    if (dst_differs && ap != bp)
        return bp;
    if (a->at.ts_ns != b->at.ts_ns)
        return a->at.ts_ns < b->at.ts_ns;
    return a->at.file != b->at.file ? a->at.file < b->at.file : a->at.frame <= b->at.frame;
}

int
alg_matcher_init(struct alg_matcher *mt, uint32_t cap, int64_t window_ns)
{
    memset(mt, 0, sizeof *mt);
    mt->window_ns = window_ns;
    return table_init(&mt->pending, cap, sizeof(struct alg_key), sizeof(struct alg_copy),
                      0x616c676d61746368ull);
}

void
alg_matcher_free(struct alg_matcher *mt)
{
    table_free(&mt->pending);
}

static void
drop_oldest(struct alg_matcher *mt, void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    uint32_t s = table_oldest(&mt->pending);
    if (s == TABLE_NONE)
        return;
    if (gone)
        gone(ctx, table_value(&mt->pending, s));
    table_remove(&mt->pending, s);
}

bool
alg_matcher_offer(struct alg_matcher *mt, const struct alg_key *k, const struct alg_copy *c,
                  struct alg_copy *partner, void (*gone)(void *, const struct alg_copy *),
                  void *ctx)
{
    struct alg_key key = *k;
    key.zero = 0;
    mt->offered++;
    /* The oldest pending pairable copy wins: retransmissions pair in order. */
    uint32_t best = TABLE_NONE, free_slot = UINT32_MAX;
    for (uint32_t i = 0; i < ALG_COPIES_PER_KEY; i++) {
        key.slot = i;
        uint32_t s = table_find(&mt->pending, &key, table_hash(&mt->pending, &key));
        if (s == TABLE_NONE) {
            if (free_slot == UINT32_MAX)
                free_slot = i;
            continue;
        }
        const struct alg_copy *p = table_value(&mt->pending, s);
        if (alg_copies_pairable(p, c) &&
            (best == TABLE_NONE ||
             p->at.ts_ns < ((const struct alg_copy *)table_value(&mt->pending, best))->at.ts_ns))
            best = s;
    }
    if (best != TABLE_NONE) {
        *partner = *(const struct alg_copy *)table_value(&mt->pending, best);
        table_remove(&mt->pending, best);
        mt->matched++;
        return true;
    }
    if (free_slot == UINT32_MAX) {
        mt->evicted++; /* a fifth copy of one message pending: the message is a storm */
        return false;
    }
    key.slot = free_slot;
    uint32_t h = table_hash(&mt->pending, &key);
    uint32_t s = table_insert(&mt->pending, &key, h);
    if (s == TABLE_NONE) {
        mt->evicted++;
        drop_oldest(mt, gone, ctx);
        s = table_insert(&mt->pending, &key, h);
        if (s == TABLE_NONE)
            return false;
    }
    *(struct alg_copy *)table_value(&mt->pending, s) = *c;
    return false;
}

void
alg_matcher_expire(struct alg_matcher *mt, int64_t now_ns, bool all,
                   void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    for (;;) {
        uint32_t s = table_oldest(&mt->pending);
        if (s == TABLE_NONE)
            return;
        const struct alg_copy *c = table_value(&mt->pending, s);
        if (!all && c->at.ts_ns >= now_ns - mt->window_ns)
            return;
        mt->expired++;
        if (gone)
            gone(ctx, c);
        table_remove(&mt->pending, s);
    }
}
