/* alg.c — SIP ALG detection (RFC 3261 §18.2.1 received, RFC 3581 rport, RFC 4566 SDP): the same
 * message matched at two capture points and diffed field by field; one-sided messages; findings
 * and the ALG requirement row. */
#include "alg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../result.h"
#include "alg_int.h"

/* Where a copy was, for the direction of one-sided copies: input and both endpoints. */
struct alg_role_key {
    uint16_t file;
    uint16_t sport, dport;
    uint8_t family, zero;
    uint8_t src[16], dst[16];
};

enum { ROLE_UPSTREAM = 1, ROLE_DOWNSTREAM = 2 };

struct alg_tracker *
alg_tracker_new(void)
{
    return alg_tracker_new_sized(ALG_PENDING_CAP, ALG_CALL_CAP);
}

struct alg_tracker *
alg_tracker_new_sized(uint32_t pending_cap, uint32_t call_cap)
{
    if (!pending_cap || !call_cap)
        return NULL;
    uint32_t learnt_cap = call_cap < ALG_LEARNT_CAP ? call_cap : ALG_LEARNT_CAP;
    struct alg_tracker *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->res = calloc(1, sizeof *a->res);
    if (!a->res || alg_matcher_init(&a->mt, pending_cap, ALG_WINDOW_NS) ||
        table_init(&a->calls, call_cap, sizeof(uint64_t), sizeof(struct alg_call),
                   0x616c6763616c6c73ull) ||
        table_init(&a->roles, call_cap, sizeof(struct alg_role_key), 1, 0x616c67726f6c65ull) ||
        table_init(&a->learnt, learnt_cap, sizeof(struct ip_addr), 1, 0x616c676c726e74ull) ||
        table_init(&a->nat, learnt_cap, sizeof(struct ip_addr), 1, 0x616c676e6174ull)) {
        alg_tracker_free(a);
        return NULL;
    }
    return a;
}

/* Remove every entry of t, oldest first (O(count): the tables themselves are kept). */
static void
table_drain(struct table *t)
{
    for (uint32_t s = t->count ? table_oldest(t) : TABLE_NONE; s != TABLE_NONE;
         s = t->count ? table_oldest(t) : TABLE_NONE)
        table_remove(t, s);
}

int
alg_tracker_reset(struct alg_tracker *a)
{
    alg_matcher_reset(&a->mt);
    table_drain(&a->calls);
    a->got = NULL;
    table_drain(&a->roles);
    table_drain(&a->learnt);
    table_drain(&a->nat);
    a->n_echo = 0;
    a->n_text_prints = 0;
    a->now_ns = 0;
    memset(a->file_seen, 0, sizeof a->file_seen);
    a->n_unmatched = 0;
    a->unmatched_over = 0;
    a->n_pf = 0;
    memset(a->pf_over, 0, sizeof a->pf_over);
    if (a->res) {
        memset(a->res, 0, sizeof *a->res);
        return 0;
    }
    a->res = calloc(1, sizeof *a->res); /* finish handed the last one to its result */
    return a->res ? 0 : -1;
}

void
alg_tracker_free(struct alg_tracker *a)
{
    if (!a)
        return;
    alg_matcher_free(&a->mt);
    table_free(&a->calls);
    table_free(&a->roles);
    table_free(&a->learnt);
    table_free(&a->nat);
    alg_result_free(a->res);
    free(a);
}

struct alg_call *
alg_call_get(struct alg_tracker *a, uint64_t call, const char *call_id)
{
    /* One message asks for its call up to four times: the last answer is still the newest
     * entry (only this function changes the table), so touching it again would change nothing. */
    if (a->got && a->got_call == call)
        return a->got;
    uint32_t h = table_hash(&a->calls, &call);
    uint32_t s = table_find(&a->calls, &call, h);
    if (s != TABLE_NONE) {
        table_touch(&a->calls, s);
        a->got_call = call;
        return a->got = table_value(&a->calls, s);
    }
    a->got = NULL;
    if (a->calls.count >= a->calls.capacity)
        table_remove(&a->calls, table_oldest(&a->calls)); /* the oldest call is long over */
    s = table_insert_head(&a->calls, &call, h, ALG_CALL_HEAD);
    if (s == TABLE_NONE)
        return NULL;
    struct alg_call *c = table_value(&a->calls, s);
    size_t n = strnlen(call_id, sizeof c->call_id - 1); /* once per call: no printf */
    memcpy(c->call_id, call_id, n);
    c->call_id[n] = 0;
    a->got_call = call;
    return a->got = c;
}

static void
ip_key(const struct ip_addr *ip, struct ip_addr *k)
{
    memset(k, 0, sizeof *k);
    k->family = ip->family;
    memcpy(k->a, ip->a, ip->family == 6 ? 16 : 4);
}

/* An address set (a bounded table keyed by address, oldest dropped when full). */
static void
addr_set_add(struct table *t, const struct ip_addr *ip)
{
    struct ip_addr k;
    ip_key(ip, &k);
    uint32_t h = table_hash(t, &k);
    if (table_find(t, &k, h) != TABLE_NONE)
        return;
    if (t->count >= t->capacity)
        table_remove(t, table_oldest(t));
    table_insert(t, &k, h);
}

static bool
addr_set_has(const struct table *t, const struct ip_addr *ip)
{
    struct ip_addr k;
    ip_key(ip, &k);
    return table_find(t, &k, table_hash(t, &k)) != TABLE_NONE;
}

void
alg_learnt_mark(struct alg_tracker *a, const struct ip_addr *ip)
{
    addr_set_add(&a->learnt, ip);
}

bool
alg_learnt(const struct alg_tracker *a, const struct ip_addr *ip)
{
    return addr_set_has(&a->learnt, ip);
}

void
alg_nat_mark(struct alg_tracker *a, const struct ip_addr *ip)
{
    if (ip->family && alg_addr_private(ip))
        addr_set_add(&a->nat, ip);
}

bool
alg_nat_seen(const struct alg_tracker *a, const struct ip_addr *ip)
{
    return addr_set_has(&a->nat, ip);
}

static bool
ip_eq(const struct ip_addr *x, const struct ip_addr *y)
{
    return x->family == y->family && memcmp(x->a, y->a, x->family == 6 ? 16 : 4) == 0;
}

/* Remember the media address of an SDP-carrying copy of call (first m= line). */
static void
sdp_note(struct alg_tracker *a, uint64_t call, const char *call_id, const struct sip_ref *at,
         const struct sdp_summary *sdp)
{
    if (!sdp || !sdp->media_count || !sdp->media[0].conn.ip.family)
        return;
    struct alg_call *c = alg_call_get(a, call, call_id);
    if (!c)
        return;
    struct alg_sdp_copy *x = &c->sdp[c->n_sdp < ALG_CALL_SDP ? c->n_sdp++ : ALG_CALL_SDP - 1];
    x->at = *at;
    x->addr = sdp->media[0].conn.ip;
    x->port = sdp->media[0].port;
}

static const struct alg_sdp_copy *
sdp_copy_at(const struct alg_call *c, const struct sip_ref *at)
{
    for (uint8_t i = 0; i < c->n_sdp; i++)
        if (c->sdp[i].at.frame == at->frame && c->sdp[i].at.file == at->file &&
            c->sdp[i].at.ts_ns == at->ts_ns)
            return &c->sdp[i];
    return NULL;
}

/* A compared pair of c: keep the media address on each side of the middlebox. */
static void
sdp_pair(struct alg_call *c, const struct alg_copy *up, const struct alg_copy *down)
{
    const struct alg_sdp_copy *u = sdp_copy_at(c, &up->at), *d = sdp_copy_at(c, &down->at);
    if (!u || !d)
        return;
    for (uint8_t i = 0; i < c->n_sdp_pairs; i++) {
        const struct alg_sdp_rewrite *p = &c->sdp_pairs[i];
        if (ip_eq(&p->before, &u->addr) && ip_eq(&p->after, &d->addr) &&
            p->before_port == u->port && p->after_port == d->port)
            return;
    }
    if (c->n_sdp_pairs >= ALG_CALL_SDP_PAIRS)
        return;
    c->sdp_pairs[c->n_sdp_pairs++] = (struct alg_sdp_rewrite){
        u->addr, d->addr, u->port, d->port, up->at, down->at,
    };
}

size_t
alg_tracker_sdp_pairs(const struct alg_tracker *a, const char *call_id, const struct ip_addr *addr,
                      uint16_t port, struct alg_sdp_rewrite *out, size_t cap)
{
    if (!a || !call_id[0])
        return 0;
    uint64_t call = alg_call_digest(call_id);
    uint32_t s = table_find(&a->calls, &call, table_hash(&a->calls, &call));
    if (s == TABLE_NONE)
        return 0;
    const struct alg_call *c = table_value(&a->calls, s);
    size_t n = 0;
    for (uint8_t i = 0; i < c->n_sdp_pairs && n < cap; i++) {
        const struct alg_sdp_rewrite *p = &c->sdp_pairs[i];
        if ((ip_eq(&p->before, addr) && p->before_port == port) ||
            (ip_eq(&p->after, addr) && p->after_port == port))
            out[n++] = *p;
    }
    return n;
}

static void
role_key(const struct alg_copy *c, struct alg_role_key *k)
{
    memset(k, 0, sizeof *k);
    k->file = c->at.file;
    k->sport = c->src.port;
    k->dport = c->dst.port;
    k->family = c->src.ip.family;
    memcpy(k->src, c->src.ip.a, 16);
    memcpy(k->dst, c->dst.ip.a, 16);
}

static void
role_mark(struct alg_tracker *a, const struct alg_copy *c, uint8_t role)
{
    struct alg_role_key k;
    role_key(c, &k);
    uint32_t h = table_hash(&a->roles, &k);
    uint32_t s = table_find(&a->roles, &k, h);
    if (s == TABLE_NONE) {
        if (a->roles.count >= a->roles.capacity)
            table_remove(&a->roles, table_oldest(&a->roles));
        s = table_insert(&a->roles, &k, h);
        if (s == TABLE_NONE)
            return;
    }
    *(uint8_t *)table_value(&a->roles, s) |= role;
}

static uint8_t
role_of(const struct alg_tracker *a, const struct alg_copy *c)
{
    struct alg_role_key k;
    role_key(c, &k);
    uint32_t s = table_find(&a->roles, &k, table_hash(&a->roles, &k));
    return s == TABLE_NONE ? 0 : *(const uint8_t *)table_value(&a->roles, s);
}

/* "addr:port" ("[v6]:port") of e into buf; returns buf. */
static char *
endpoint_text(const struct sip_endpoint *e, char *buf, size_t len)
{
    char ip[64];
    ip_addr_format(&e->ip, ip, sizeof ip);
    snprintf(buf, len, e->ip.family == 6 ? "[%s]:%u" : "%s:%u", ip, (unsigned)e->port);
    return buf;
}

/* A pending copy expired (or was evicted) without its twin: keep it for judging at finish. */
static void
copy_gone(void *ctx, const struct alg_copy *c)
{
    struct alg_tracker *a = ctx;
    if (a->n_unmatched >= ALG_UNMATCHED_MAX) {
        a->unmatched_over++;
        return;
    }
    struct alg_stored b;
    alg_matcher_body(&a->mt, c, &b);
    struct alg_onesided *o = &a->unmatched[a->n_unmatched++];
    o->at = c->at;
    o->src = c->src;
    o->dst = c->dst;
    memcpy(o->what, b.what, (size_t)c->what_len + 1);
    memcpy(o->call_id, b.call_id, (size_t)c->call_id_len + 1);
    o->generated = false;
    a->unmatched_call[a->n_unmatched - 1] = c->call;
}

static void pair_finding(struct alg_tracker *a, enum finding_code code, const struct alg_copy *up,
                         const struct alg_copy *down, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
pair_finding(struct alg_tracker *a, enum finding_code code, const struct alg_copy *up,
             const struct alg_copy *down, const char *fmt, ...)
{
    if (a->n_pf >= ALG_PAIR_FINDINGS) {
        a->pf_over[code]++;
        return;
    }
    struct alg_pair_finding *p = &a->pf[a->n_pf++];
    p->code = code;
    p->first = up->at;
    p->last = down->at;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text, sizeof p->text, fmt, ap);
    va_end(ap);
}

/* What one compared pair changed: kept in the result and summed up for its findings. */
struct pair_diff {
    struct alg_tracker *a;
    const struct alg_copy *up, *down;
    const char *what, *call_id; /* of the pair (the upstream copy's: the same message) */
    unsigned n_hdr, n_sdp;
    char hdr[220], sdp[220];
};

static void
append(char *buf, size_t cap, const struct alg_field *f, const char *after)
{
    size_t n = strlen(buf);
    char one[400];
    int k = snprintf(one, sizeof one, "%s%s: %s → %s", n ? "; " : "", f->name,
                     f->value[0] ? f->value : "(absent)", after[0] ? after : "(absent)");
    if (k > 0 && n + (size_t)k < cap - 6)
        memcpy(buf + n, one, (size_t)k + 1);
    else if (n + 6 < cap && !strstr(buf, "; …"))
        memcpy(buf + n, "; …", sizeof "; …"); /* the JSON "alg" object lists them all */
}

static void
on_diff(void *ctx, const struct alg_field *before, const char *after)
{
    struct pair_diff *d = ctx;
    struct alg_result *r = d->a->res;
    r->diffs_total++;
    before->sdp ? d->n_sdp++ : d->n_hdr++;
    append(before->sdp ? d->sdp : d->hdr, sizeof d->hdr, before, after);
    if (r->n_diffs >= ALG_RES_MAX_DIFFS)
        return;
    struct alg_diff *x = &r->diffs[r->n_diffs++];
    memcpy(x->field, before->name, sizeof x->field);
    memcpy(x->before, before->value, sizeof x->before);
    snprintf(x->after, sizeof x->after, "%s", after);
    x->sdp = before->sdp;
    x->before_at = d->up->at;
    x->after_at = d->down->at;
    snprintf(x->what, sizeof x->what, "%s", d->what);
    snprintf(x->call_id, sizeof x->call_id, "%s", d->call_id);
}

/*
 * The view of the pending copy whose body is b (its record c): a stored view, or one built
 * from the datagram parsed again — as the caller parsed it (its SDP summarised the same way,
 * its start line read as it was). NULL when the copy kept no fields.
 */
static const struct alg_view *
old_view(struct alg_tracker *a, const struct alg_copy *c, const struct alg_stored *b)
{
    if (b->kind == ALG_BODY_VIEW) {
        alg_stored_view(b, &a->view_old);
        return &a->view_old;
    }
    if (b->kind != ALG_BODY_RAW || sip_parse_datagram(b->data, b->len, &a->msg) == SIP_NO_MEMORY)
        return NULL;
    a->msg.is_request = c->is_request;
    const struct sdp_summary *sdp = NULL;
    if (a->msg.sdp && a->msg.sdp_len &&
        sdp_summarize((const char *)a->msg.sdp, a->msg.sdp_len, &a->sdp))
        sdp = &a->sdp;
    alg_view_build(&a->msg, sdp, &a->view_old);
    return &a->view_old;
}

/*
 * The same message at two points: record who is upstream, and diff the two copies. old is
 * the pending copy (its body still in the ring), cur the message at hand: m, its SDP summary
 * sdp (NULL without), and its body (a built view, or the datagram).
 */
static void
compare_pair(struct alg_tracker *a, const struct alg_copy *old, const struct alg_copy *cur,
             const struct sip_message *m, const struct sdp_summary *sdp,
             const struct alg_body *body)
{
    bool old_up = alg_copy_is_upstream(old, cur);
    const struct alg_copy *up = old_up ? old : cur, *down = old_up ? cur : old;
    struct alg_stored ob;
    alg_matcher_body(&a->mt, old, &ob);
    struct alg_result *r = a->res;
    r->pairs++;
    role_mark(a, up, ROLE_UPSTREAM);
    role_mark(a, down, ROLE_DOWNSTREAM);
    const char *call_id = old_up ? ob.call_id : body->call_id;
    struct alg_call *c = alg_call_get(a, up->call, call_id);
    if (c) {
        c->crossed = true;
        sdp_pair(c, up, down);
    }
    /* Addresses translated between the two points: a NAT stands between the phone and the
     * server, whatever the SIP text says. */
    if (!ip_eq(&up->src.ip, &down->src.ip) || !ip_eq(&up->dst.ip, &down->dst.ip)) {
        alg_nat_mark(a, &up->src.ip);
        alg_nat_mark(a, &up->dst.ip);
    }

    struct pair_diff d = {
        .a = a, .up = up, .down = down, .call_id = call_id, .what = old_up ? ob.what : body->what};
    /* The same bytes at both points: the same fields, nothing to diff. */
    bool same = ob.kind == ALG_BODY_RAW && body->raw && ob.len == body->raw_len &&
                memcmp(ob.data, body->raw, ob.len) == 0;
    if (!same) {
        const struct alg_view *ov = old_view(a, old, &ob), *nv = body->view;
        if (!nv) {
            alg_view_build(m, sdp, &a->view_new);
            nv = &a->view_new;
        }
        if (ov)
            alg_view_diff(old_up ? ov : nv, old_up ? nv : ov, on_diff, &d);
    }
    if (up->has_content_length != down->has_content_length ||
        up->content_length != down->content_length) {
        struct alg_field f = {.name = "Content-Length", .sdp = true};
        char after[16];
        snprintf(f.value, sizeof f.value, "%u", (unsigned)up->content_length);
        snprintf(after, sizeof after, "%u", (unsigned)down->content_length);
        on_diff(&d, &f, after);
    }
    if (up->body_len != down->body_len && down->cl_mismatch && !up->cl_mismatch) {
        r->body_changed++;
        pair_finding(a, FIND_ALG_BODY_LENGTH_CHANGED, up, down,
                     "%s (Call-ID %.60s): the body grew from %u to %u bytes in transit while "
                     "Content-Length stayed %u: the receiver reads a cut or padded body",
                     d.what, call_id, (unsigned)up->body_len, (unsigned)down->body_len,
                     (unsigned)down->content_length);
    }
    if (!d.n_hdr && !d.n_sdp)
        return;
    r->pairs_rewritten++;
    if (d.n_hdr)
        pair_finding(a, FIND_ALG_HEADER_REWRITTEN, up, down,
                     "%s (Call-ID %.60s) changed in transit, %u header field(s): %s", d.what,
                     call_id, d.n_hdr, d.hdr);
    if (d.n_sdp)
        pair_finding(a, FIND_ALG_SDP_REWRITTEN, up, down,
                     "%s (Call-ID %.60s) SDP changed in transit, %u field(s): %s", d.what, call_id,
                     d.n_sdp, d.sdp);
}

void
alg_tracker_message(struct alg_tracker *a, const struct sip_message *m, const uint8_t *raw,
                    size_t raw_len, const struct sip_ref *at, const struct sip_endpoint *src,
                    const struct sip_endpoint *dst, bool unreliable)
{
    if (!a)
        return;
    const struct sdp_summary *sdp = NULL;
    if (m->sdp && m->sdp_len && sdp_summarize((const char *)m->sdp, m->sdp_len, &a->sdp))
        sdp = &a->sdp;
    alg_tracker_message_sdp(a, m, sdp, raw, raw_len, at, src, dst, unreliable, NULL);
}

bool
alg_tracker_message_sdp(struct alg_tracker *a, const struct sip_message *m,
                        const struct sdp_summary *sdp, const uint8_t *raw, size_t raw_len,
                        const struct sip_ref *at, const struct sip_endpoint *src,
                        const struct sip_endpoint *dst, bool unreliable, bool *twin_mark)
{
    if (!a)
        return false;
    a->mt.last_slot = ALG_NONE;
    a->got = NULL;
    a->res->messages++;
    if (at->ts_ns > a->now_ns)
        a->now_ns = at->ts_ns;
    if (at->file < ALG_MAX_FILES) {
        if (!a->file_seen[at->file] || at->ts_ns < a->file_first[at->file])
            a->file_first[at->file] = at->ts_ns;
        if (!a->file_seen[at->file] || at->ts_ns > a->file_last[at->file])
            a->file_last[at->file] = at->ts_ns;
        a->file_seen[at->file] = true;
    }
    alg_matcher_expire(&a->mt, a->now_ns, false, copy_gone, a);

    if (sdp && !sdp->ok)
        sdp = NULL;
    struct alg_key k;
    bool keyed = alg_key_of(m, &k);
    uint64_t call = keyed ? alg_call_digest(m->call_id) : 0;
    char what[ALG_RES_WHAT_MAX];
    alg_what(m, what, sizeof what);
    alg_print_message(a, m, sdp, at, src, dst, unreliable, keyed ? call : 0, what);
    if (!keyed)
        return false;
    sdp_note(a, call, m->call_id, at, sdp);

    struct alg_copy c = {
        .at = *at,
        .src = *src,
        .dst = *dst,
        .call = call,
        .is_request = m->is_request,
        .has_content_length = m->has_content_length,
        .cl_mismatch = m->cl_mismatch && !unreliable, /* a cut capture's body length says nothing */
        .content_length = m->content_length,
        .body_len = m->body_len,
    };
    /* A datagram keeps its bytes: the fields are written out only if its twin differs. */
    struct alg_body body = {.what = what, .call_id = m->call_id};
    if (raw && raw_len <= ALG_RAW_MAX) {
        body.raw = raw;
        body.raw_len = raw_len;
    } else {
        alg_view_build(m, sdp, &a->view_new);
        body.view = &a->view_new;
    }
    if (!alg_matcher_offer(&a->mt, &k, &c, &body, &a->partner, copy_gone, a))
        return false;
    if (twin_mark)
        *twin_mark = a->partner.mark;
    compare_pair(a, &a->partner, &c, m, sdp, &body);
    return true;
}

void
alg_tracker_mark(struct alg_tracker *a, bool mark)
{
    if (a && a->mt.last_slot != ALG_NONE)
        a->mt.queue[a->mt.last_slot].mark = mark;
}

/* The span where every input that took part in a pair was capturing (edges excluded). */
static void
common_span(const struct alg_tracker *a, int64_t *from, int64_t *to)
{
    *from = INT64_MIN;
    *to = INT64_MAX;
    for (int i = 0; i < ALG_MAX_FILES; i++) {
        if (!a->file_seen[i])
            continue;
        if (a->file_first[i] + ALG_EDGE_NS > *from)
            *from = a->file_first[i] + ALG_EDGE_NS;
        if (a->file_last[i] - ALG_EDGE_NS < *to)
            *to = a->file_last[i] - ALG_EDGE_NS;
    }
}

static const struct alg_call *
call_find(const struct alg_tracker *a, uint64_t call)
{
    uint32_t s = table_find(&a->calls, &call, table_hash(&a->calls, &call));
    return s == TABLE_NONE ? NULL : table_value(&a->calls, s);
}

static struct evidence_ref
ev(const struct sip_ref *s)
{
    return (struct evidence_ref){s->frame, s->file, s->ts_ns};
}

/* Judge the copies that never met their twin: only those of dialogs that crossed both points,
 * inside the common span, in a direction learnt from matched pairs. */
static void
judge_unmatched(struct alg_tracker *a, struct result *r)
{
    struct alg_result *res = a->res;
    int64_t from, to;
    common_span(a, &from, &to);
    char s[64], d[64];
    for (uint32_t i = 0; i < a->n_unmatched; i++) {
        struct alg_onesided *o = &a->unmatched[i];
        const struct alg_call *c = call_find(a, a->unmatched_call[i]);
        if (!c || !c->crossed) {
            res->unmatched_local++;
            continue;
        }
        if (o->at.ts_ns < from || o->at.ts_ns > to) {
            res->unmatched_edge++;
            continue;
        }
        struct alg_copy probe = {.at = o->at, .src = o->src, .dst = o->dst};
        uint8_t role = role_of(a, &probe);
        if (role != ROLE_UPSTREAM && role != ROLE_DOWNSTREAM) {
            res->unmatched_unknown++;
            continue;
        }
        o->generated = role == ROLE_DOWNSTREAM;
        res->onesided_total++;
        if (res->n_onesided < ALG_RES_MAX_ONESIDED)
            res->onesided[res->n_onesided++] = *o;
        else
            res->onesided_unlisted++;
        endpoint_text(&o->src, s, sizeof s);
        endpoint_text(&o->dst, d, sizeof d);
        struct evidence_ref e = ev(&o->at);
        if (o->generated)
            result_add_finding(r, FIND_ALG_MESSAGE_GENERATED, &e, &e,
                               "%s %s → %s (Call-ID %.60s) left the middlebox but never entered "
                               "it within %d s: the middlebox generated it",
                               o->what, s, d, o->call_id, (int)(ALG_WINDOW_NS / ALG_NS));
        else
            result_add_finding(r, FIND_ALG_MESSAGE_SWALLOWED, &e, &e,
                               "%s %s → %s (Call-ID %.60s) reached the middlebox but did not "
                               "leave it within %d s while its dialog crossed: swallowed",
                               o->what, s, d, o->call_id, (int)(ALG_WINDOW_NS / ALG_NS));
    }
    res->unmatched_unknown += a->unmatched_over;
}

/* One call whose phone's copies are private at one point and the NAT's address at another,
 * with no copy matched (otherwise the pair's diff says it better). Low confidence (listed, no
 * finding): the two copies are not proven to come from the same user agent — on the public
 * corpus a B2BUA's two legs sharing a Call-ID looked exactly like this. */
static void
judge_unlearned(struct alg_tracker *a)
{
    char pub[48];
    for (uint32_t s = a->calls.count ? table_oldest(&a->calls) : TABLE_NONE; s != TABLE_NONE;
         s = table_newer(&a->calls, s)) {
        const struct alg_call *c = table_value(&a->calls, s);
        if (c->crossed || !c->private_copy || !c->public_copy)
            continue;
        ip_addr_format(&c->public_ip, pub, sizeof pub);
        alg_print_add(a, FIND_ALG_PUBLIC_ADDRESS_UNLEARNED, ALG_CONF_LOW, &c->public_at, c->what,
                      "the phone addresses itself as %s where it sends (private source) but the "
                      "same dialog carries the NAT's address %s further on, and the phone was "
                      "never told it (no received=/rport answer, no srflx candidate): something "
                      "rewrote it",
                      c->private_addr, pub);
    }
}

/* The ALG row's evidence when it fails without a rewritten pair: the kinds of proof present. */
/* Append s to the NUL-terminated text in buf (len bytes), cutting it to fit. */
static void
text_append(char *buf, size_t len, const char *s)
{
    size_t used = strlen(buf), n = strlen(s);
    if (used + n >= len)
        n = len - 1 - used;
    memcpy(buf + used, s, n);
    buf[used + n] = '\0';
}

static void
alg_fail_evidence(const struct alg_tracker *a, const struct result *r, char *buf, size_t len)
{
    const struct alg_result *res = a->res;
    uint64_t echoed = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].code == FIND_ALG_PRIVATE_RECEIVED_ECHOED)
            echoed += r->findings[i].count ? r->findings[i].count : 1;
    char one[3][120];
    int k = 0;
    if (res->onesided_total)
        snprintf(one[k++], sizeof one[0], "%llu message(s) swallowed or generated in transit",
                 (unsigned long long)res->onesided_total);
    if (res->body_changed)
        snprintf(one[k++], sizeof one[0], "%llu body length change(s) without Content-Length",
                 (unsigned long long)res->body_changed);
    if (echoed)
        snprintf(one[k++], sizeof one[0],
                 "the phone's private address echoed in Via received= of %llu response(s)",
                 (unsigned long long)echoed);
    if (!k)
        snprintf(one[k++], sizeof one[0], "fail-severity fingerprints");
    /* Joined piece by piece: a sentence cut at the row's buffer size is acceptable. */
    if (!len)
        return;
    buf[0] = '\0';
    text_append(buf, len, "SIP ALG evidence: ");
    for (int i = 0; i < k; i++) {
        if (i)
            text_append(buf, len, "; ");
        text_append(buf, len, one[i]);
    }
    text_append(buf, len, " (see alg.* findings)");
}

static void
alg_row(struct alg_tracker *a, struct result *r)
{
    struct requirement_row *row = &r->requirements[REQ_ALG];
    const struct alg_result *res = a->res;
    bool fail = false, warn = false;
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct finding_kind *k = catalog_get(r->findings[i].code);
        if (k->requirement != REQ_ALG)
            continue;
        fail |= k->severity == SEV_FAIL;
        warn |= k->severity == SEV_WARN;
    }
    for (int c = 0; c < FIND__COUNT; c++)
        if (r->suppressed[c] && catalog_get((enum finding_code)c)->requirement == REQ_ALG)
            catalog_get((enum finding_code)c)->severity == SEV_FAIL ? (fail = true) : (warn = true);
    row->checked = true;
    row->observed = res->pairs > 0 || fail || warn;
    if (fail && res->pairs_rewritten)
        snprintf(row->evidence, sizeof row->evidence,
                 "SIP ALG proven: %llu of %llu messages seen at both capture points were "
                 "rewritten in transit (%llu field changes)",
                 (unsigned long long)res->pairs_rewritten, (unsigned long long)res->pairs,
                 (unsigned long long)res->diffs_total);
    else if (fail)
        alg_fail_evidence(a, r, row->evidence, sizeof row->evidence);
    else if (warn)
        snprintf(row->evidence, sizeof row->evidence,
                 "SIP ALG suspected from one-point fingerprints only (see alg.* findings); a "
                 "LAN+WAN capture pair would prove or clear it");
    else if (res->pairs)
        snprintf(row->evidence, sizeof row->evidence,
                 "%llu SIP messages were seen at both capture points and none was changed in "
                 "transit: no SIP ALG on this path",
                 (unsigned long long)res->pairs);
    else if (res->messages)
        snprintf(row->evidence, sizeof row->evidence,
                 "one capture point shows no ALG fingerprint in %llu SIP messages; a LAN+WAN "
                 "pair (or tcpdump -i any on the firewall) would prove it",
                 (unsigned long long)res->messages);
}

void
alg_tracker_finish(struct alg_tracker *a, struct result *r)
{
    if (!a)
        return;
    alg_matcher_expire(&a->mt, 0, true, copy_gone, a);
    struct alg_result *res = a->res;
    res->pending_expired = a->mt.expired;
    res->pending_evicted = a->mt.evicted;
    judge_unmatched(a, r);
    alg_print_texts(a); /* the fingerprints so far: their facts become text */
    judge_unlearned(a);
    alg_print_settle_echoes(a);
    alg_print_media(a, r);
    for (uint32_t i = 0; i < a->n_pf; i++) {
        struct evidence_ref f = ev(&a->pf[i].first), l = ev(&a->pf[i].last);
        result_add_finding(r, a->pf[i].code, &f, &l, "%s", a->pf[i].text);
    }
    for (int c = 0; c < FIND__COUNT; c++)
        r->suppressed[c] += a->pf_over[c];
    for (uint32_t i = 0; i < res->n_prints; i++) {
        const struct alg_print *p = &res->prints[i];
        if (p->confidence == ALG_CONF_LOW)
            continue; /* listed in the report, never a finding: silence beats a false alarm */
        struct evidence_ref f = ev(&p->first), l = ev(&p->last);
        struct finding *fd =
            result_add_finding(r, p->code, &f, &l, "%s: %s (%s confidence)", p->what, p->text,
                               alg_confidence_name(p->confidence));
        if (fd)
            fd->count = p->count;
    }
    alg_row(a, r);
    r->alg = res;
    a->res = NULL;
}
