/* sip_register.c — registrations (RFC 3261 §10): challenges, grants, refreshes, and the public
 * address the registrar saw (top Via received/rport, RFC 3581) over time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_internal.h"

#define SIP_REG_EXPIRE_STEP 16

/* The registration table's value: the report record (heap, one per binding) and live state. */
struct reg_state {
    struct sip_registration *r;
    int64_t last_ns;
    int64_t last_ok_ns;
    bool ok_before, failed_since_ok;
    bool streamed; /* its failure was streamed early (sip_reg_settle) */
};

int
sip_reg_init(struct sip_tracker *t)
{
    return table_init(&t->regs, SIP_REG_CAP, sizeof(struct sip_key), sizeof(struct reg_state),
                      0x7369702d72656700ull);
}

/* Registration in slot s is over (idle, evicted, end): copy its record into the result. */
static void
reg_close(struct sip_tracker *t, uint32_t s)
{
    struct reg_state *rs = table_value(&t->regs, s);
    struct sip_result *res = t->res;
    if (res->n_regs < SIP_RES_MAX_REGS) {
        if (!res->regs)
            res->regs = calloc(SIP_RES_MAX_REGS, sizeof(*res->regs));
        if (res->regs)
            res->regs[res->n_regs++] = *rs->r;
        else
            res->regs_unlisted++;
    } else {
        res->regs_unlisted++;
    }
    free(rs->r);
    table_remove(&t->regs, s);
}

/* Whether r's last granted binding ran out by now with no refresh since (RFC 3261 §10.2.4:
 * the client refreshes before Expires; the registrar drops the binding at it). */
static void
reg_check_expired(struct sip_registration *r, int64_t now_ns)
{
    if (!r->expired_ns && r->last_ok && r->has_expires && r->expires &&
        r->last.ts_ns <= r->last_success.ts_ns &&
        now_ns > r->last_success.ts_ns + (int64_t)r->expires * SIP_NS)
        r->expired_ns = r->last_success.ts_ns + (int64_t)r->expires * SIP_NS;
}

void
sip_reg_expire(struct sip_tracker *t, int64_t now_ns, bool all)
{
    for (int step = 0; all || step < SIP_REG_EXPIRE_STEP; step++) {
        uint32_t s = table_oldest(&t->regs);
        if (s == TABLE_NONE)
            return;
        struct reg_state *rs = table_value(&t->regs, s);
        if (!all && rs->last_ns + SIP_REG_IDLE_NS > now_ns)
            return;
        reg_check_expired(rs->r, now_ns);
        reg_close(t, s);
    }
}

bool
sip_reg_failed(const struct sip_registration *g)
{
    if (!g->attempts)
        return false;
    if (g->expired_ns)
        return true;
    if (!g->successes)
        return g->failures || g->challenges || g->unanswered;
    return !g->last_ok && g->last_failure.ts_ns > g->last_success.ts_ns;
}

/* Whether g's failure can no longer change into something else by itself: an error response
 * or a request whose transaction timed out is the last word, or the binding ran out. A
 * challenge alone is not: the retry with credentials normally follows. */
static bool
reg_failure_settled(const struct sip_registration *g)
{
    if (!sip_reg_failed(g))
        return false;
    if (g->expired_ns)
        return true;
    return !g->last_ok && g->last_failure.frame && (g->failures || g->unanswered);
}

void
sip_reg_settle(struct sip_tracker *t, struct result *r, int64_t now_ns)
{
    for (uint32_t s = table_oldest(&t->regs); s != TABLE_NONE; s = table_newer(&t->regs, s)) {
        struct reg_state *rs = table_value(&t->regs, s);
        const struct sip_registration *x = rs->r;
        bool maybe = x->last_ok ? x->has_expires && x->expires &&
                                      now_ns > x->last_success.ts_ns + (int64_t)x->expires * SIP_NS
                                : x->failures || x->unanswered;
        if (rs->streamed || !maybe)
            continue;
        struct sip_registration g = *x; /* the live record stays as the end expects it */
        reg_check_expired(&g, now_ns);
        if (reg_failure_settled(&g))
            rs->streamed = sip_reg_stream_failure(r, &g);
    }
}

static void
contact_text(const struct sip_message *m, char *buf, size_t len)
{
    if (!m->contact_count)
        buf[0] = 0;
    else if (m->contact[0].star)
        sip_copy(buf, len, "*");
    else
        sip_uri_text(&m->contact[0].uri, buf, len);
}

static struct reg_state *
reg_find(struct sip_tracker *t, const struct sip_key *k, const struct sip_ctx *c, bool create)
{
    uint32_t h = table_hash(&t->regs, k);
    uint32_t s = table_find(&t->regs, k, h);
    if (s != TABLE_NONE) {
        table_touch(&t->regs, s);
        return table_value(&t->regs, s);
    }
    if (!create)
        return NULL;
    struct sip_registration *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    s = table_insert(&t->regs, k, h);
    if (s == TABLE_NONE) {
        reg_close(t, table_oldest(&t->regs));
        t->res->evicted_regs++;
        s = table_insert(&t->regs, k, h);
    }
    if (s == TABLE_NONE) {
        free(r);
        return NULL;
    }
    struct reg_state *rs = table_value(&t->regs, s);
    rs->r = r;
    sip_uri_text(&c->m->to.uri, r->aor, sizeof r->aor);
    contact_text(c->m, r->contact, sizeof r->contact);
    r->client = c->src;
    r->registrar = c->dst;
    r->first = c->at;
    return rs;
}

/* The Expires the registrar granted this binding: its Contact's parameter, else the header. */
static void
reg_granted(struct sip_registration *r, const struct sip_message *m)
{
    char uri[SIP_RES_URI_MAX];
    for (uint8_t i = 0; i < m->contact_count; i++) {
        sip_uri_text(&m->contact[i].uri, uri, sizeof uri);
        if (m->contact[i].has_expires && (strcmp(uri, r->contact) == 0 || m->contact_count == 1)) {
            r->has_expires = true;
            r->expires = m->contact[i].expires;
            return;
        }
    }
    if (m->has_expires) {
        r->has_expires = true;
        r->expires = m->expires;
    }
}

static void
reg_public(struct sip_registration *r, const struct sip_ctx *c)
{
    const struct sip_message *m = c->m;
    if (!m->via_count)
        return;
    const struct sip_hop *v = &m->via[0];
    if (!v->received[0] && v->rport_kind != SIP_RPORT_VALUE)
        return;
    char addr[SIP_RES_URI_MAX];
    unsigned port = v->rport_kind == SIP_RPORT_VALUE ? v->rport : v->port;
    const char *host = v->received[0] ? v->received : v->host;
    bool v6 = strchr(host, ':') && host[0] != '[';
    size_t n_addr = 0; /* "%s%.80s%s:%u" or "%.95s", without printf: every REGISTER answer */
    addr[0] = 0;
    if (port) {
        sip_append(addr, sizeof addr, &n_addr, v6 ? "[" : "", 1);
        sip_append(addr, sizeof addr, &n_addr, host, 80);
        sip_append(addr, sizeof addr, &n_addr, v6 ? "]:" : ":", 2);
        sip_append_u(addr, sizeof addr, &n_addr, port);
    } else {
        sip_append(addr, sizeof addr, &n_addr, host, 95);
    }
    uint8_t n = r->n_public;
    if (n && strcmp(r->public_addr[n - 1].addr, addr) == 0)
        return;
    if (n)
        r->public_changes++;
    if (n < SIP_REG_MAX_PUBLIC) {
        r->public_addr[n].at = c->at;
        sip_copy(r->public_addr[n].addr, sizeof r->public_addr[n].addr, addr);
        r->n_public++;
    }
}

static void
reg_failure(struct reg_state *rs, const struct sip_ref *at, bool response)
{
    rs->r->last_ok = false;
    rs->r->last_failure = *at;
    rs->r->last_failure_response = response;
    rs->r->expired_ns = 0; /* a new attempt came: the binding did not just run out */
    if (rs->ok_before)
        rs->failed_since_ok = true;
}

static void
reg_response(struct reg_state *rs, const struct sip_ctx *c)
{
    const struct sip_message *m = c->m;
    struct sip_registration *r = rs->r;
    reg_public(r, c);
    if (m->code < 200)
        return;
    if (m->code == 401 || m->code == 407) {
        r->challenges++;
        return;
    }
    if (m->code < 300) {
        r->successes++;
        r->last_ok = true;
        r->last_success = c->at;
        reg_granted(r, m);
        if (rs->ok_before) {
            double iv = (double)(c->at.ts_ns - rs->last_ok_ns) / 1e9;
            if (!r->refreshes || iv < r->refresh_min_s)
                r->refresh_min_s = iv;
            if (!r->refreshes || iv > r->refresh_max_s)
                r->refresh_max_s = iv;
            r->refresh_last_s = iv;
            r->refreshes++;
        }
        if (rs->failed_since_ok)
            r->flaps++;
        rs->ok_before = true;
        rs->failed_since_ok = false;
        rs->last_ok_ns = c->at.ts_ns;
        return;
    }
    r->failures++;
    uint8_t i = 0;
    while (i < r->n_failcodes && r->failcodes[i].code != m->code)
        i++;
    if (i == r->n_failcodes && i < SIP_REG_MAX_FAILCODES) {
        r->failcodes[i].code = m->code;
        r->failcodes[i].first = c->at;
        r->n_failcodes++;
    }
    if (i < r->n_failcodes)
        r->failcodes[i].count++;
    reg_failure(rs, &c->at, true);
}

void
sip_reg_message(struct sip_tracker *t, struct sip_ctx *c, struct sip_txn *x)
{
    const struct sip_message *m = c->m;
    struct reg_state *rs;
    if (m->is_request) {
        if (m->method != SIP_REQ_REGISTER)
            return;
        char aor[SIP_RES_URI_MAX], contact[SIP_RES_URI_MAX];
        sip_uri_text(&m->to.uri, aor, sizeof aor);
        contact_text(m, contact, sizeof contact);
        const char *parts[] = {"reg", aor, contact};
        struct sip_key k = sip_key_of(parts, 3);
        rs = reg_find(t, &k, c, !c->copy);
        if (!rs)
            return;
        if (x && x->owner == SIP_OWNER_NONE) {
            x->owner = SIP_OWNER_REG;
            x->owner_key = k;
        }
        if (!c->copy) /* a copy from the other capture point is neither */
            c->retransmission ? rs->r->retransmissions++ : rs->r->attempts++;
    } else {
        if (m->cseq_method != SIP_REQ_REGISTER || !x || x->owner != SIP_OWNER_REG)
            return; /* a copy (x NULL) included: its twin was accounted */
        rs = reg_find(t, &x->owner_key, c, false);
        if (!rs || c->retransmission)
            return;
        reg_response(rs, c);
    }
    rs->last_ns = c->at.ts_ns;
    rs->r->last = c->at;
}

void
sip_reg_txn_closed(struct sip_tracker *t, const struct sip_txn *x)
{
    if (x->n_codes)
        return;
    uint32_t s = table_find(&t->regs, &x->owner_key, table_hash(&t->regs, &x->owner_key));
    if (s == TABLE_NONE)
        return;
    struct reg_state *rs = table_value(&t->regs, s);
    rs->r->unanswered++;
    reg_failure(rs, &x->last, false);
}
