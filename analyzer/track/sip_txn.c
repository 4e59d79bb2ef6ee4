/* sip_txn.c — SIP transactions (RFC 3261 §17, §17.2.3 matching; RFC 2543 fallback without branch).
 */
#include <stdio.h>
#include <string.h>

#include "sip_internal.h"

#define SIP_MAGIC_COOKIE "z9hG4bK"
#define SIP_TXN_EXPIRE_STEP 64 /* entries examined per packet: bounded work on the hot path */

int
sip_txn_init(struct sip_tracker *t)
{
    return table_init(&t->txns, SIP_TXN_CAP, sizeof(struct sip_key), sizeof(struct sip_txn),
                      0x7369702d74786e00ull) ||
           table_init(&t->txn_alt, SIP_TXN_CAP, sizeof(struct sip_key), sizeof(struct sip_key),
                      0x7369702d616c7400ull);
}

/*
 * The transaction key of message m: top Via branch with the RFC 3261 magic cookie plus the
 * CSeq method (a CANCEL shares the INVITE's branch), Call-ID and CSeq number for robustness
 * against user agents that reuse branches; else the RFC 2543 tuple Call-ID + CSeq + From tag.
 * Returns false when m has nothing to key on.
 */
/* Decimal text of v into buf (≥ 11 bytes); returns buf. No printf: once per message. */
static char *
txn_u32(uint32_t v, char *buf)
{
    char tmp[10];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

static bool
txn_key(const struct sip_ctx *c, struct sip_key *k)
{
    const struct sip_message *m = c->m;
    char num[16];
    if (!m->has_cseq || !m->call_id[0])
        return false;
    txn_u32(m->cseq, num);
    const char *branch = m->via_count ? m->via[0].branch : "";
    if (strncmp(branch, SIP_MAGIC_COOKIE, sizeof(SIP_MAGIC_COOKIE) - 1) == 0) {
        const char *parts[] = {"3261", branch, m->cseq_method_name, num};
        *k = sip_key_more(c->cid, parts, 4);
    } else {
        const char *parts[] = {"2543", num, m->cseq_method_name, m->from.tag};
        *k = sip_key_more(c->cid, parts, 4);
    }
    return true;
}

/* The key of m's transaction without its Via: Call-ID, CSeq number and CSeq method. */
static struct sip_key
txn_alt_key(const struct sip_ctx *c)
{
    char num[16];
    const char *parts[] = {"alt", txn_u32(c->m->cseq, num), c->m->cseq_method_name};
    return sip_key_more(c->cid, parts, 3);
}

/* Remember that Call-ID + CSeq + method of m name the transaction of key k (the newest wins;
 * entries outliving their transaction are found stale by the lookup and age out). */
static void
txn_alt_note(struct sip_tracker *t, const struct sip_ctx *c, const struct sip_key *k)
{
    struct sip_key a = txn_alt_key(c);
    uint32_t h = table_hash(&t->txn_alt, &a);
    uint32_t s = table_find(&t->txn_alt, &a, h);
    if (s == TABLE_NONE) {
        if (t->txn_alt.count >= t->txn_alt.capacity)
            table_remove(&t->txn_alt, table_oldest(&t->txn_alt));
        s = table_insert(&t->txn_alt, &a, h);
        if (s == TABLE_NONE)
            return;
    } else {
        table_touch(&t->txn_alt, s);
    }
    *(struct sip_key *)table_value(&t->txn_alt, s) = *k;
}

/*
 * A response whose top Via cannot be read (it did not parse, or there is none): the branch
 * is unknown, so its transaction is the latest one of its Call-ID, CSeq number and method.
 * Returns the slot in t->txns, or TABLE_NONE.
 */
static uint32_t
txn_alt_find(struct sip_tracker *t, const struct sip_ctx *c, struct sip_key *k)
{
    struct sip_key a = txn_alt_key(c);
    uint32_t s = table_find(&t->txn_alt, &a, table_hash(&t->txn_alt, &a));
    if (s == TABLE_NONE)
        return TABLE_NONE;
    *k = *(const struct sip_key *)table_value(&t->txn_alt, s);
    return table_find(&t->txns, k, table_hash(&t->txns, k));
}

static int64_t
txn_timeout(const struct sip_txn *x)
{
    if (!x->final_code && x->n_codes && x->method == SIP_REQ_INVITE)
        return SIP_TXN_RINGING_NS;
    return SIP_TXN_TIMEOUT_NS;
}

static void
count_ping(struct sip_tracker *t, const struct sip_txn *x)
{
    struct sip_result *r = t->res;
    bool answered = x->final_code != 0;
    if (x->method == SIP_REQ_OPTIONS && !x->in_dialog) {
        r->options++;
        answered ? r->options_answered++ : r->options_unanswered++;
    } else if (x->method == SIP_REQ_NOTIFY) {
        r->notify++;
        answered ? r->notify_answered++ : r->notify_unanswered++;
    }
}

/* A request that never got any response: listed, and a sip.no_response candidate. */
static void
txn_unanswered(struct sip_tracker *t, const struct sip_txn *x, bool at_end)
{
    struct sip_result *r = t->res;
    /* At the end of the capture a young transaction may still be answered: not a finding. */
    if (at_end && t->now_ns - x->first.ts_ns < SIP_TXN_TIMEOUT_NS && x->retransmissions < 2) {
        r->pending_at_end++;
        return;
    }
    r->unanswered_count++;
    if (r->n_unanswered < SIP_RES_MAX_UNANSWERED) {
        struct sip_unanswered *u = &r->unanswered[r->n_unanswered++];
        sip_copy(u->method, sizeof u->method, x->method_name);
        u->src = x->src;
        u->dst = x->dst;
        u->first = x->first;
        u->last = x->last;
        u->retransmissions = x->retransmissions;
        sip_copy(u->call_id, sizeof u->call_id, x->call_id);
    }
    char s[64], d[64];
    sip_pending_add(t->noresp, &t->n_noresp, &t->noresp_total, &x->first, &x->last,
                    "%s from %s to %s sent %u time(s) over %.1f s and never answered",
                    x->method_name, sip_endpoint_text(&x->src, s, sizeof s),
                    sip_endpoint_text(&x->dst, d, sizeof d), x->retransmissions + 1,
                    (double)(x->last.ts_ns - x->first.ts_ns) / 1e9);
}

/* Transaction x ends (timer, eviction, end of capture): settle its counters and owner. */
static void
txn_close(struct sip_tracker *t, struct sip_txn *x, bool at_end)
{
    struct sip_result *r = t->res;
    count_ping(t, x);
    if (x->final_code)
        r->answered++;
    else if (!x->n_codes && x->method != SIP_REQ_ACK)
        txn_unanswered(t, x, at_end);
    if (x->owner == SIP_OWNER_CALL)
        sip_call_txn_closed(t, x);
    else if (x->owner == SIP_OWNER_REG)
        sip_reg_txn_closed(t, x);
}

void
sip_txn_expire(struct sip_tracker *t, int64_t now_ns, bool all)
{
    for (int step = 0; all || step < SIP_TXN_EXPIRE_STEP; step++) {
        uint32_t s = table_oldest(&t->txns);
        if (s == TABLE_NONE)
            return;
        struct sip_txn *x = table_value(&t->txns, s);
        if (!all && x->last_ns + txn_timeout(x) > now_ns) {
            /* A ringing INVITE holds a longer timer: requeue it so others behind expire. */
            if (x->last_ns + SIP_TXN_TIMEOUT_NS <= now_ns) {
                table_touch(&t->txns, s);
                continue;
            }
            return;
        }
        txn_close(t, x, all);
        table_remove(&t->txns, s);
    }
}

static struct sip_txn *
txn_new(struct sip_tracker *t, const struct sip_key *k, uint32_t h, const struct sip_ctx *c)
{
    uint32_t s = table_insert(&t->txns, k, h);
    if (s == TABLE_NONE) {
        uint32_t old = table_oldest(&t->txns);
        txn_close(t, table_value(&t->txns, old), false);
        table_remove(&t->txns, old);
        t->res->evicted_transactions++;
        s = table_insert(&t->txns, k, h);
        if (s == TABLE_NONE)
            return NULL;
    }
    const struct sip_message *m = c->m;
    struct sip_txn *x = table_value(&t->txns, s);
    x->first = x->last = c->at;
    x->last_ns = c->at.ts_ns;
    x->method = m->is_request ? m->method : m->cseq_method;
    sip_copy(x->method_name, sizeof x->method_name,
             m->is_request ? m->method_name : m->cseq_method_name);
    x->in_dialog = m->to.tag[0] != 0;
    sip_copy(x->call_id, sizeof x->call_id, m->call_id);
    if (m->is_request) {
        x->src = c->src;
        x->dst = c->dst;
    } else {
        x->src = c->dst;
        x->dst = c->src;
    }
    t->res->transactions++;
    return x;
}

static void
txn_response(struct sip_tracker *t, struct sip_txn *x, struct sip_ctx *c)
{
    struct sip_result *r = t->res;
    uint16_t code = c->m->code;
    const char *tag[] = {c->m->to.tag};
    uint32_t th = (uint32_t)sip_key_of(tag, 1).a;
    for (uint8_t i = 0; i < x->n_codes; i++)
        if (x->codes[i] == code && x->tags[i] == th) {
            c->retransmission = true;
            r->response_retransmissions++;
            return;
        }
    if (x->n_codes < sizeof(x->codes) / sizeof(x->codes[0])) {
        x->tags[x->n_codes] = th;
        x->codes[x->n_codes++] = code;
    }
    if (!x->first_resp.frame) {
        x->first_resp = c->at;
        if (x->first.frame) {
            double ms = (double)(c->at.ts_ns - x->first.ts_ns) / 1e6;
            if (!r->ttfr_n || ms < r->ttfr_min_ms)
                r->ttfr_min_ms = ms;
            if (!r->ttfr_n || ms > r->ttfr_max_ms)
                r->ttfr_max_ms = ms;
            r->ttfr_sum_ms += ms;
            r->ttfr_n++;
        }
    }
    if (code >= 200 && !x->final_code)
        x->final_code = code;
}

void
sip_txn_prepare(struct sip_tracker *t, struct sip_ctx *c)
{
    const struct sip_message *m = c->m;
    c->txn_keyed = !(m->is_request && m->method == SIP_REQ_ACK) && txn_key(c, &c->txn_k);
    if (!c->txn_keyed)
        return;
    c->txn_h = table_hash(&t->txns, &c->txn_k);
    table_prefetch_bucket(&t->txns, c->txn_h);
}

void
sip_txn_prefetch(const struct sip_tracker *t, const struct sip_ctx *c)
{
    if (c->txn_keyed)
        table_prefetch_entry(&t->txns, c->txn_h, 2);
}

struct sip_txn *
sip_txn_message(struct sip_tracker *t, struct sip_ctx *c)
{
    const struct sip_message *m = c->m;
    if (!c->txn_keyed)
        return NULL;
    struct sip_key k = c->txn_k;
    uint32_t h = c->txn_h;
    uint32_t s = TABLE_NONE;
    if (!m->is_request && (m->via_error || !m->via_count)) {
        struct sip_key alt;
        if ((s = txn_alt_find(t, c, &alt)) != TABLE_NONE) {
            k = alt;
            h = table_hash(&t->txns, &k);
        }
    }
    if (s == TABLE_NONE)
        s = table_find(&t->txns, &k, h);
    struct sip_txn *x;
    if (s == TABLE_NONE) {
        x = txn_new(t, &k, h, c);
        if (!x)
            return NULL;
        txn_alt_note(t, c, &k);
        if (!m->is_request) {
            /* The request was before the capture (or on another path): keyed all the same. */
            x->first.frame = 0;
            txn_response(t, x, c);
        }
        return x;
    }
    table_touch(&t->txns, s);
    x = table_value(&t->txns, s);
    x->last_ns = c->at.ts_ns;
    if (m->is_request) {
        x->last = c->at;
        x->retransmissions++;
        t->res->request_retransmissions++;
        c->retransmission = true;
    } else {
        txn_response(t, x, c);
    }
    return x;
}
