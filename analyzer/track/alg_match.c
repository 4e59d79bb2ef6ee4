/* alg_match.c — RFC 3261 §8.1.1/§17 message identity across two capture points and the field
 * view whose changes in transit are SIP ALG rewrites (Via received/rport RFC 3581, SDP RFC 4566).
 */
#include "alg_match.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../../dissectors/dissect.h"

/* A text being written: at most cap - 1 characters kept, always NUL-terminated (snprintf's
 * cut, without its cost: a view is built for every SIP message). */
struct vbuf {
    char *p;
    size_t n, cap;
};

static void
vb_mem(struct vbuf *b, const char *s, size_t len)
{
    size_t room = b->cap - 1 - b->n;
    if (len > room)
        len = room;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}

static void
vb_str(struct vbuf *b, const char *s)
{
    vb_mem(b, s, strlen(s));
}

static void
vb_strn(struct vbuf *b, const char *s, size_t max)
{
    vb_mem(b, s, strnlen(s, max));
}

static void
vb_u(struct vbuf *b, unsigned long long v)
{
    char t[24];
    size_t i = sizeof t;
    do
        t[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    vb_mem(b, t + i, sizeof t - i);
}

/* Start the next field of v, its name to be written into *b; false when v is full. */
static bool
field_open(struct alg_view *v, bool sdp, struct vbuf *b)
{
    if (v->n >= ALG_VIEW_FIELDS) {
        v->cut = true;
        return false;
    }
    v->off[v->n] = v->len;
    if (sdp)
        v->sdp_mask |= 1ull << v->n;
    v->n++;
    *b = (struct vbuf){v->text + v->len, 0, ALG_RES_FIELD_MAX};
    b->p[0] = 0;
    return true;
}

/* The name in *b is complete: *b becomes the field's value. */
static void
field_value(struct alg_view *v, struct vbuf *b)
{
    v->len = (uint16_t)(v->len + b->n + 1);
    *b = (struct vbuf){v->text + v->len, 0, ALG_RES_VALUE_MAX};
    b->p[0] = 0;
}

static void
field_close(struct alg_view *v, const struct vbuf *b)
{
    v->len = (uint16_t)(v->len + b->n + 1);
}

/* Open a field named prefix, then idx when not 0, then suffix; false when v is full. */
static bool
field(struct alg_view *v, bool sdp, struct vbuf *b, const char *prefix, unsigned idx,
      const char *suffix)
{
    if (!field_open(v, sdp, b))
        return false;
    vb_str(b, prefix);
    if (idx)
        vb_u(b, idx);
    vb_str(b, suffix);
    field_value(v, b);
    return true;
}

/* A field whose value is one string. */
static void
field_text(struct alg_view *v, bool sdp, const char *prefix, unsigned idx, const char *suffix,
           const char *value)
{
    struct vbuf b;
    if (!field(v, sdp, &b, prefix, idx, suffix))
        return;
    vb_str(&b, value);
    field_close(v, &b);
}

/* "host" or "host:port". */
static void
field_hostport(struct alg_view *v, const char *prefix, unsigned idx, const char *suffix,
               const char *host, uint16_t port)
{
    struct vbuf b;
    if (!field(v, false, &b, prefix, idx, suffix))
        return;
    vb_str(&b, host);
    if (port) {
        vb_str(&b, ":");
        vb_u(&b, port);
    }
    field_close(v, &b);
}

/* "sip:user@host:port;transport=x" of u ("" when empty). */
static void
vb_uri(struct vbuf *b, const struct sip_uri *u)
{
    if (!u->host[0] && !u->user[0])
        return;
    vb_str(b, u->scheme[0] ? u->scheme : "sip");
    vb_str(b, ":");
    vb_str(b, u->user);
    if (u->user[0])
        vb_str(b, "@");
    vb_str(b, u->host);
    if (u->port) {
        vb_str(b, ":");
        vb_u(b, u->port);
    }
    if (u->transport[0]) {
        vb_str(b, ";transport=");
        vb_str(b, u->transport);
    }
}

static void
field_uri(struct alg_view *v, const char *prefix, unsigned idx, const struct sip_uri *u)
{
    struct vbuf b;
    if (!field(v, false, &b, prefix, idx, ""))
        return;
    vb_uri(&b, u);
    field_close(v, &b);
}

static void
view_headers(const struct sip_message *m, struct alg_view *v)
{
    struct vbuf b;
    if (m->is_request)
        field_uri(v, "Request-URI", 0, &m->ruri);
    for (unsigned i = 0; i < m->via_count; i++) {
        const struct sip_hop *h = &m->via[i];
        field_hostport(v, "Via[", i + 1, "] sent-by", h->host, h->port);
        if (h->received[0])
            field_text(v, false, "Via[", i + 1, "] received", h->received);
        if (h->rport_kind != SIP_RPORT_ABSENT && field(v, false, &b, "Via[", i + 1, "] rport")) {
            if (h->rport_kind == SIP_RPORT_VALUE)
                vb_u(&b, h->rport);
            else
                vb_str(&b, h->rport_kind == SIP_RPORT_BARE ? "(empty)" : "(bad)");
            field_close(v, &b);
        }
        field_text(v, false, "Via[", i + 1, "] branch", h->branch);
    }
    for (unsigned i = 0; i < m->contact_count; i++) {
        if (m->contact[i].star)
            field_text(v, false, "Contact[", i + 1, "]", "*");
        else if (field(v, false, &b, "Contact[", i + 1, "]")) {
            vb_uri(&b, &m->contact[i].uri);
            field_close(v, &b);
        }
    }
    for (unsigned i = 0; i < m->record_route_count; i++)
        field_hostport(v, "Record-Route[", i + 1, "]", m->record_route[i].host,
                       m->record_route[i].port);
    for (unsigned i = 0; i < m->route_count; i++)
        field_hostport(v, "Route[", i + 1, "]", m->route[i].host, m->route[i].port);
    if (m->from.present)
        field_uri(v, "From", 0, &m->from.uri);
    if (m->to.present)
        field_uri(v, "To", 0, &m->to.uri);
}

static void
view_sdp(const struct sdp_summary *s, struct alg_view *v)
{
    struct vbuf b;
    if (field(v, true, &b, "SDP o=", 0, "")) {
        vb_str(&b, s->origin.username);
        vb_str(&b, " ");
        vb_u(&b, s->origin.id);
        vb_str(&b, " ");
        vb_u(&b, s->origin.version);
        vb_str(&b, " IN IP");
        vb_u(&b, s->origin.addr_family);
        vb_str(&b, " ");
        vb_str(&b, s->origin.addr.text);
        field_close(v, &b);
    }
    if (s->conn.text[0])
        field_text(v, true, "SDP c=", 0, "", s->conn.text);
    for (unsigned i = 0; i < s->media_count; i++) {
        const struct sdp_media_info *mi = &s->media[i];
        if (field_open(v, true, &b)) {
            vb_str(&b, "SDP m[");
            vb_u(&b, i + 1);
            vb_str(&b, "] ");
            vb_strn(&b, mi->type, 12);
            vb_str(&b, " port");
            field_value(v, &b);
            vb_u(&b, mi->port);
            field_close(v, &b);
        }
        if (!mi->conn_from_session && mi->conn.text[0])
            field_text(v, true, "SDP m[", i + 1, "] c=", mi->conn.text);
        if (mi->has_rtcp && field(v, true, &b, "SDP m[", i + 1, "] a=rtcp")) {
            vb_u(&b, mi->rtcp_port);
            if (mi->rtcp_addr.text[0]) {
                vb_str(&b, " IN ");
                vb_str(&b, mi->rtcp_addr.text);
            }
            field_close(v, &b);
        }
    }
    for (unsigned i = 0; i < s->candidate_count; i++) {
        const struct sdp_candidate *c = &s->candidate[i];
        if (!field(v, true, &b, "SDP candidate[", i + 1, "]"))
            continue;
        vb_str(&b, c->addr.text);
        vb_str(&b, " ");
        vb_u(&b, c->port);
        vb_str(&b, " typ ");
        vb_str(&b, sdp_cand_type_name(c->type));
        if (c->raddr.text[0]) {
            vb_str(&b, " raddr ");
            vb_str(&b, c->raddr.text);
            vb_str(&b, " rport ");
            vb_u(&b, c->rport);
        }
        field_close(v, &b);
    }
}

void
alg_view_build(const struct sip_message *m, const struct sdp_summary *sdp, struct alg_view *v)
{
    /* The header only: text is written as the fields are (a copy moves its used part). */
    v->n = 0;
    v->cut = false;
    v->sdp_mask = 0;
    v->len = 0;
    view_headers(m, v);
    if (sdp && sdp->ok)
        view_sdp(sdp, v);
}

static const char *
field_name(const struct alg_view *v, unsigned i)
{
    return v->text + v->off[i];
}

static const char *
field_val(const struct alg_view *v, unsigned i)
{
    const char *name = field_name(v, i);
    return name + strlen(name) + 1;
}

/* Index of the field called name, or -1. */
static int
find_field(const struct alg_view *v, const char *name)
{
    for (unsigned i = 0; i < v->n; i++)
        if (strcmp(field_name(v, i), name) == 0)
            return (int)i;
    return -1;
}

/* Field i of v as a struct alg_field (zero-padded), value left empty when `absent`. */
static void
field_get(const struct alg_view *v, unsigned i, bool absent, struct alg_field *f)
{
    memset(f, 0, sizeof *f);
    const char *name = field_name(v, i), *value = name + strlen(name) + 1;
    memcpy(f->name, name, strlen(name));
    if (!absent)
        memcpy(f->value, value, strlen(value));
    f->sdp = (v->sdp_mask >> i) & 1;
}

unsigned
alg_view_diff(const struct alg_view *before, const struct alg_view *after, alg_diff_fn fn,
              void *ctx)
{
    unsigned n = 0;
    struct alg_field f;
    for (unsigned i = 0; i < before->n; i++) {
        int a = find_field(after, field_name(before, i));
        if (a >= 0 && strcmp(field_val(after, (unsigned)a), field_val(before, i)) == 0)
            continue;
        n++;
        if (fn) {
            field_get(before, i, false, &f);
            fn(ctx, &f, a >= 0 ? field_val(after, (unsigned)a) : "");
        }
    }
    for (unsigned i = 0; i < after->n; i++) {
        if (find_field(before, field_name(after, i)) >= 0)
            continue;
        n++;
        if (fn) {
            field_get(after, i, true, &f);
            fn(ctx, &f, field_val(after, i));
        }
    }
    return n;
}

static void
mix(uint64_t *a, uint64_t *b, const char *s)
{
    /* Eight bytes a step; the tail with the length closes each string (keys, not output). */
    size_t n = strlen(s);
    uint64_t x = *a, y = *b, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        x = (x ^ w) * 0x9e3779b97f4a7c15ull;
        x ^= x >> 31;
        y = (y + w) * 0xff51afd7ed558ccdull;
        y ^= y >> 33;
    }
    w = 0;
    memcpy(&w, s, n);
    w ^= (uint64_t)(n + 1) << 56;
    x = (x ^ w) * 0x9e3779b97f4a7c15ull;
    *a = x ^ x >> 29;
    y = (y + w) * 0xc4ceb9fe1a85ec53ull;
    *b = y ^ y >> 32;
}

/* Mix a number into a key (the counterpart of mix for what is not text). */
static void
mix_u64(uint64_t *a, uint64_t *b, uint64_t w)
{
    uint64_t x = (*a ^ w) * 0x9e3779b97f4a7c15ull, y = (*b + w) * 0xc4ceb9fe1a85ec53ull;
    *a = x ^ x >> 29;
    *b = y ^ y >> 32;
}

bool
alg_key_of(const struct sip_message *m, struct alg_key *k)
{
    memset(k, 0, sizeof *k);
    if (!m->call_id[0] || !m->has_cseq)
        return false;
    /* Call-ID, CSeq number, CSeq method, status code (0 for a request), method, top branch */
    k->a = 0xcbf29ce484222325ull;
    k->b = 0x84222325cbf29ce4ull;
    mix(&k->a, &k->b, m->call_id);
    mix_u64(&k->a, &k->b, (uint64_t)m->cseq << 16 | (m->is_request ? 0u : m->code));
    mix(&k->a, &k->b, m->cseq_method_name);
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
    if (!len)
        return;
    struct vbuf b = {buf, 0, len};
    buf[0] = 0;
    if (m->is_request) {
        vb_strn(&b, m->method_name, 30);
        return;
    }
    vb_u(&b, m->code); /* "200 (INVITE)" */
    vb_str(&b, " (");
    vb_strn(&b, m->cseq_method_name, 30);
    vb_str(&b, ")");
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
    if (!cap || cap > 8192)
        return -1; /* queue slots must fit the index entries' 16 bits */
    mt->window_ns = window_ns;
    mt->last_slot = ALG_NONE;
    mt->cap = cap;
    uint32_t q = 1;
    while (q < 4 * cap)
        q <<= 1;
    mt->queue_size = q;
    mt->index_mask = 2 * q - 1; /* load ≤ 1/8 of the live copies' index: short probes */
    /* The ring is a lazy mapping (pool.h): a short capture touches only what it wrote. */
    mt->queue = calloc(q, sizeof *mt->queue);
    mt->index = calloc(2 * (size_t)q, sizeof *mt->index);
    mt->ring = pool_calloc(ALG_RING_BYTES, 1, &mt->ring_mapped);
    if (!mt->queue || !mt->index || !mt->ring) {
        alg_matcher_free(mt);
        return -1;
    }
    return 0;
}

void
alg_matcher_free(struct alg_matcher *mt)
{
    free(mt->queue);
    free(mt->index);
    pool_free(mt->ring, mt->ring_mapped);
    mt->queue = NULL;
    mt->index = NULL;
    mt->ring = NULL;
}

void
alg_matcher_reset(struct alg_matcher *mt)
{
    memset(mt->index, 0, ((size_t)mt->index_mask + 1) * sizeof *mt->index);
    mt->head = mt->tail = 0;
    mt->count = 0;
    mt->last_slot = ALG_NONE;
    mt->offered = mt->matched = mt->expired = mt->evicted = 0;
}

/* 16 bits of k's hash: an index entry's tag, and (masked) its home slot. */
static uint32_t
key_tag(const struct alg_key *k)
{
    return (uint32_t)(((k->a ^ (k->b * 0x9e3779b97f4a7c15ull)) >> 48) & 0xffff);
}

static bool
key_eq(const struct alg_key *x, const struct alg_key *y)
{
    return x->a == y->a && x->b == y->b;
}

/* Remove queue slot q's entry from the index (backward-shift deletion: no tombstones). */
static void
index_remove(struct alg_matcher *mt, uint32_t q)
{
    uint32_t i = key_tag(&mt->queue[q].key) & mt->index_mask;
    while ((mt->index[i] & 0xffff) != q + 1)
        i = (i + 1) & mt->index_mask; /* it is there: found before an empty slot */
    for (uint32_t j = i;;) {
        j = (j + 1) & mt->index_mask;
        uint32_t e = mt->index[j];
        if (!e) {
            mt->index[i] = 0;
            return;
        }
        uint32_t home = (e >> 16) & mt->index_mask;
        /* e stays when its home lies cyclically in (i, j] */
        if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
            continue;
        mt->index[i] = e;
        i = j;
    }
}

/* Drop live copy c (queue slot q) from the index and the count, handing it to gone first. */
static void
drop(struct alg_matcher *mt, uint32_t q, void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    struct alg_copy *c = &mt->queue[q];
    if (gone)
        gone(ctx, c);
    index_remove(mt, q);
    c->live = false;
    mt->count--;
}

/* The oldest live copy's queue slot after skipping matched records at the head; ALG_NONE. */
static uint32_t
oldest_live(struct alg_matcher *mt)
{
    for (; mt->head < mt->tail; mt->head++) {
        uint32_t q = (uint32_t)(mt->head & (mt->queue_size - 1));
        if (mt->queue[q].live)
            return q;
    }
    return ALG_NONE;
}

/* Drop the oldest live copy (counted as evicted); false when there is none. */
static bool
evict_oldest(struct alg_matcher *mt, void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    uint32_t q = oldest_live(mt);
    if (q == ALG_NONE)
        return false;
    mt->evicted++;
    drop(mt, q, gone, ctx);
    mt->head++;
    return true;
}

void
alg_matcher_body(const struct alg_matcher *mt, const struct alg_copy *c, struct alg_stored *out)
{
    const uint8_t *p = mt->ring + (c->body_pos & (ALG_RING_BYTES - 1));
    out->what = (const char *)p;
    out->call_id = (const char *)p + c->what_len + 1;
    out->kind = c->body_kind;
    size_t head = (size_t)c->what_len + 1 + c->call_id_len + 1;
    out->data = p + head;
    out->len = c->stored_len - head;
}

void
alg_stored_view(const struct alg_stored *s, struct alg_view *v)
{
    memcpy(v, s->data, s->len); /* the view up to the end of its used text */
}

/*
 * Write the body of copy c (not yet queued) at the ring's head. Bodies are written in arrival
 * order, so the oldest live copies hold the oldest bytes: those the new body would overwrite
 * are handed to gone and dropped first.
 */
static void
ring_put(struct alg_matcher *mt, struct alg_copy *c, const struct alg_body *b,
         void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    size_t wl = strnlen(b->what, ALG_RES_WHAT_MAX - 1);
    size_t cl = strnlen(b->call_id, ALG_RES_CALLID_MAX - 1);
    const uint8_t *data = b->raw;
    size_t len = b->raw_len;
    c->body_kind = ALG_BODY_RAW;
    if (!b->raw || b->raw_len > ALG_RAW_MAX) {
        data = (const uint8_t *)b->view;
        len = b->view ? offsetof(struct alg_view, text) + b->view->len : 0;
        c->body_kind = b->view ? ALG_BODY_VIEW : ALG_BODY_NONE;
    }
    size_t need = wl + 1 + cl + 1 + len; /* < ALG_RING_BYTES / 2 by the bounds above */
    uint64_t pos = mt->ring_head;
    if ((pos & (ALG_RING_BYTES - 1)) + need > ALG_RING_BYTES)
        pos = (pos | (ALG_RING_BYTES - 1)) + 1; /* a body never wraps */
    uint64_t end = pos + need;
    for (uint32_t q; end > ALG_RING_BYTES && (q = oldest_live(mt)) != ALG_NONE &&
                     mt->queue[q].body_pos < end - ALG_RING_BYTES;)
        evict_oldest(mt, gone, ctx);
    uint8_t *p = mt->ring + (pos & (ALG_RING_BYTES - 1));
    memcpy(p, b->what, wl);
    p[wl] = 0;
    memcpy(p + wl + 1, b->call_id, cl);
    p[wl + 1 + cl] = 0;
    if (len)
        memcpy(p + wl + 1 + cl + 1, data, len);
    c->body_pos = pos;
    c->stored_len = (uint32_t)need;
    c->what_len = (uint16_t)wl;
    c->call_id_len = (uint16_t)cl;
    mt->ring_head = end;
}

bool
alg_matcher_offer(struct alg_matcher *mt, const struct alg_key *k, const struct alg_copy *c,
                  const struct alg_body *body, struct alg_copy *partner,
                  void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    mt->offered++;
    mt->last_slot = ALG_NONE;
    /* The oldest pending pairable copy wins: retransmissions pair in order. */
    uint32_t tag = key_tag(k), best = ALG_NONE, same = 0;
    for (uint32_t i = tag & mt->index_mask, e; (e = mt->index[i]) != 0;
         i = (i + 1) & mt->index_mask) {
        if ((e >> 16) != tag)
            continue;
        uint32_t q = (e & 0xffff) - 1;
        const struct alg_copy *p = &mt->queue[q];
        if (!key_eq(&p->key, k))
            continue;
        same++;
        if (alg_copies_pairable(p, c) &&
            (best == ALG_NONE || p->at.ts_ns < mt->queue[best].at.ts_ns ||
             (p->at.ts_ns == mt->queue[best].at.ts_ns && p->seq < mt->queue[best].seq)))
            best = q;
    }
    if (best != ALG_NONE) {
        *partner = mt->queue[best];
        drop(mt, best, NULL, NULL); /* its body stays in the ring until the next offer */
        mt->matched++;
        return true;
    }
    if (same >= ALG_COPIES_PER_KEY) {
        mt->evicted++; /* a fifth copy of one message pending: the message is a storm */
        return false;
    }
    if (mt->count >= mt->cap)
        evict_oldest(mt, gone, ctx);
    /* the queue is full of records (matched ones among them): make room at its head */
    while (mt->tail - mt->head >= mt->queue_size) {
        uint32_t q = (uint32_t)(mt->head & (mt->queue_size - 1));
        if (mt->queue[q].live) {
            mt->evicted++;
            drop(mt, q, gone, ctx);
        }
        mt->head++;
    }
    struct alg_copy n = *c;
    n.key = *k;
    n.seq = mt->tail;
    n.live = true;
    ring_put(mt, &n, body, gone, ctx);
    uint32_t q = (uint32_t)(mt->tail & (mt->queue_size - 1));
    mt->queue[q] = n;
    mt->tail++;
    mt->count++;
    uint32_t i = tag & mt->index_mask;
    while (mt->index[i])
        i = (i + 1) & mt->index_mask;
    mt->index[i] = tag << 16 | (q + 1);
    mt->last_slot = q;
    return false;
}

void
alg_matcher_expire(struct alg_matcher *mt, int64_t now_ns, bool all,
                   void (*gone)(void *, const struct alg_copy *), void *ctx)
{
    for (uint32_t q; (q = oldest_live(mt)) != ALG_NONE; mt->head++) {
        if (!all && mt->queue[q].at.ts_ns >= now_ns - mt->window_ns)
            return;
        mt->expired++;
        drop(mt, q, gone, ctx);
    }
}
