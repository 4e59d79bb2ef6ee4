/* checks.c — finished flows → per-destination outcomes (bounded table) → the per-requirement
 * checks of HTTP, HTTPS, NTP, REMOTE and IPBLOCKS (ports_tcp.c, ntp.c, remote.c, ipblocks.c). */
#include "checks.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks_int.h"

struct checks *
checks_new(const struct profile *p)
{
    struct checks *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->profile = p;
    if (table_init(&c->dests, CHECKS_MAX_DESTS, sizeof(struct check_key), sizeof(struct check_dest),
                   0x636865636b73ull) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void
checks_free(struct checks *c)
{
    if (!c)
        return;
    table_free(&c->dests);
    free(c);
}

char *
checks_addr(const struct ip_addr *a, char *buf, size_t len)
{
    if (!inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->a, buf, (socklen_t)len))
        snprintf(buf, len, "?");
    return buf;
}

char *
checks_frames(const struct evidence_ref *first, const struct evidence_ref *last, char *buf,
              size_t len)
{
    if (!last || !last->frame || last->frame == first->frame)
        snprintf(buf, len, "frame %llu", (unsigned long long)first->frame);
    else
        snprintf(buf, len, "frames %llu-%llu", (unsigned long long)first->frame,
                 (unsigned long long)last->frame);
    return buf;
}

/* Whether ref a comes before b (file, then frame); an empty b loses. */
static bool
ref_before(const struct evidence_ref *a, const struct evidence_ref *b)
{
    if (!b->frame)
        return a->frame != 0;
    if (!a->frame)
        return false;
    return a->file != b->file ? a->file < b->file : a->frame < b->frame;
}

/* Fold destination s into the sum d (counts add, earliest/latest refs kept). */
static void
dest_fold(struct check_dest *d, const struct check_dest *s)
{
    if (!s->flows)
        return;
    d->flows += s->flows;
    for (int i = 0; i < OUT__COUNT; i++)
        d->n[i] += s->n[i];
    d->syns_unanswered += s->syns_unanswered;
    d->requests += s->requests;
    d->replies += s->replies;
    if (ref_before(&s->first_ok, &d->first_ok)) {
        d->first_ok = s->first_ok;
        if (s->name[0])
            memcpy(d->name, s->name, sizeof(d->name));
    }
    if (ref_before(&s->first_fail, &d->first_fail)) {
        d->first_fail = s->first_fail;
        d->icmp_type = s->icmp_type;
        d->icmp_code = s->icmp_code;
        d->icmp_from = s->icmp_from;
    }
    /* ref_before() lets an empty ref lose: a destination without failures keeps d's */
    if (s->last_fail.frame && (!d->last_fail.frame || ref_before(&d->last_fail, &s->last_fail)))
        d->last_fail = s->last_fail;
    if (!d->name[0])
        memcpy(d->name, s->name, sizeof(d->name));
    if (!d->app[0])
        memcpy(d->app, s->app, sizeof(d->app));
    d->servers += s->servers;
}

/* The TCP outcome of a flow record (see enum check_outcome). */
static enum check_outcome
tcp_outcome(const struct flow_record *f)
{
    switch (f->tcp_state) {
    case FLOW_TCP_ESTABLISHED:
    case FLOW_TCP_MIDSTREAM:
    case FLOW_TCP_CLOSED:
    case FLOW_TCP_SYNACK: /* the server answered: the path is open */
        return OUT_OK;
    default:
        break;
    }
    if (f->tcp_was_established)
        return OUT_OK;
    if (f->icmp_errors)
        return OUT_ICMP;
    if (f->tcp_state == FLOW_TCP_RESET)
        return f->reset_by_initiator && f->synack_count ? OUT_OK
               : f->reset_by_initiator                  ? OUT_SYN_UNANSWERED
                                                        : OUT_REFUSED;
    if (f->tcp_state == FLOW_TCP_SYN)
        /* one SYN cut by the end of the capture proves nothing; a retry or a time-out does */
        return f->syn_count >= 2 || f->end != FLOW_END_CAPTURE ? OUT_SYN_UNANSWERED : OUT_PENDING;
    return f->packets_rev ? OUT_OK : OUT_SYN_UNANSWERED;
}

/* The UDP (or other) outcome: answered, ICMP error, or nothing back. */
static enum check_outcome
udp_outcome(const struct flow_record *f)
{
    if (f->packets_rev)
        return OUT_OK;
    return f->icmp_errors ? OUT_ICMP : OUT_NO_REPLY;
}

/* The entry of (kind, proto, addr, port), created (folding the oldest when full); NULL only
 * when the table cannot hold a single entry. */
static struct check_dest *
dest_get(struct checks *c, enum check_kind kind, uint8_t proto, const struct ip_addr *addr,
         uint16_t port)
{
    struct check_key k;
    memset(&k, 0, sizeof(k));
    k.kind = (uint8_t)kind;
    k.proto = proto;
    k.port = port;
    k.addr = *addr;
    uint32_t h = table_hash(&c->dests, &k);
    uint32_t slot = table_find(&c->dests, &k, h);
    if (slot != TABLE_NONE) {
        table_touch(&c->dests, slot);
        return table_value(&c->dests, slot);
    }
    slot = table_insert(&c->dests, &k, h);
    if (slot == TABLE_NONE) {
        uint32_t old = table_oldest(&c->dests);
        if (old == TABLE_NONE)
            return NULL;
        const struct check_key *ok = table_key(&c->dests, old);
        dest_fold(&c->other[ok->kind], table_value(&c->dests, old));
        c->evicted++;
        table_remove(&c->dests, old);
        slot = table_insert(&c->dests, &k, h);
        if (slot == TABLE_NONE)
            return NULL;
    }
    struct check_dest *d = table_value(&c->dests, slot);
    d->servers = 1;
    return d;
}

/* Count flow f with outcome o towards (kind, server addr, port). */
static void
dest_count(struct checks *c, enum check_kind kind, const struct flow_record *f,
           const struct ip_addr *addr, uint16_t port, enum check_outcome o)
{
    struct check_dest *d = dest_get(c, kind, f->proto, addr, port);
    if (!d)
        return;
    if (!d->flows)
        snprintf(d->app, sizeof(d->app), "%s", f->app);
    d->flows++;
    d->n[o]++;
    d->requests += f->packets_fwd;
    d->replies += f->packets_rev;
    if (f->server_name[0] && !d->name[0])
        memcpy(d->name, f->server_name,
               sizeof(d->name) < sizeof(f->server_name) ? sizeof(d->name) : sizeof(f->server_name));
    d->name[sizeof(d->name) - 1] = '\0';
    if (o == OUT_OK) {
        if (ref_before(&f->first, &d->first_ok))
            d->first_ok = f->first;
        return;
    }
    if (o == OUT_PENDING)
        return;
    if (o == OUT_SYN_UNANSWERED)
        d->syns_unanswered += f->syn_count;
    if (ref_before(&f->first, &d->first_fail)) {
        d->first_fail = f->first;
        d->icmp_type = f->icmp_type;
        d->icmp_code = f->icmp_code;
        d->icmp_from = f->icmp_from;
    }
    if (!d->last_fail.frame || ref_before(&d->last_fail, &f->last))
        d->last_fail = f->last;
}

/* Whether a is a private, loopback or link-local address (RFC 1918, 6598, 4193, 4291). */
static bool
addr_private(const struct ip_addr *a)
{
    const uint8_t *b = a->a;
    if (a->family == 4)
        return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
               (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64);
    return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
           (memcmp(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0);
}

void
checks_flow(struct checks *c, const struct flow_record *f)
{
    const struct profile *p = c->profile;
    bool tcp = f->proto == 6, udp = f->proto == 17;
    if (!tcp && !udp)
        return;
    enum check_outcome o = tcp ? tcp_outcome(f) : udp_outcome(f);
    if (o != OUT_OK && o != OUT_PENDING)
        c->settle_due = true;
    bool teamviewer = strstr(f->app, "TeamViewer") != NULL;

    if (tcp && f->dport == p->http_port)
        dest_count(c, CK_HTTP, f, &f->dst, f->dport, o);
    if (tcp && f->dport == p->https_port)
        dest_count(c, CK_HTTPS, f, &f->dst, f->dport, o);
    if (udp && f->dport == p->ntp_port)
        dest_count(c, CK_NTP, f, &f->dst, f->dport, o);
    if (f->dport == p->remote_port)
        dest_count(c, CK_REMOTE, f, &f->dst, f->dport, o);
    else if (teamviewer && f->dport == p->remote_fallback_port)
        dest_count(c, CK_REMOTE_FALLBACK, f, &f->dst, f->dport, o);

    /* provider-bound: initiated towards the blocks (replies from the cloud's side to a phone
     * are the phone's business, not the firewall's path to the provider) */
    if (profile_in_blocks(p, &f->dst))
        dest_count(c, CK_PROVIDER, f, &f->dst, 0, o);
    else if (profile_in_blocks(p, &f->src))
        dest_count(c, CK_PROVIDER, f, &f->src, 0, OUT_OK);

    bool sip = strcmp(f->app, "SIP") == 0 || (f->dport >= p->sip.min && f->dport <= p->sip.max);
    if (sip && !addr_private(&f->dst) && !profile_in_blocks(p, &f->dst))
        dest_count(c, CK_SIP_SERVER, f, &f->dst, f->dport, o);
}

void
checks_each(const struct checks *c, enum check_kind kind, checks_visit_fn fn, void *ctx)
{
    for (uint32_t s = table_oldest(&c->dests); s != TABLE_NONE; s = table_newer(&c->dests, s)) {
        const struct check_key *k = table_key(&c->dests, s);
        if (k->kind == kind)
            fn(ctx, k, table_value(&c->dests, s));
    }
    if (c->other[kind].flows)
        fn(ctx, NULL, &c->other[kind]);
}

/* checks_each visitor: fold into the sum. */
static void
total_visit(void *ctx, const struct check_key *key, const struct check_dest *d)
{
    (void)key;
    dest_fold(ctx, d);
}

void
checks_total(const struct checks *c, enum check_kind kind, struct check_dest *sum)
{
    memset(sum, 0, sizeof(*sum));
    checks_each(c, kind, total_visit, sum);
}

struct finding *
check_emit(struct check_emit *e, unsigned bit, enum finding_code code,
           const struct evidence_ref *first, const struct evidence_ref *last, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *f = NULL;
    if (!e->streamed) {
        f = result_add_findingv(e->r, code, first, last, fmt, ap);
    } else if (!(*e->streamed & bit)) {
        result_finding_setv(&e->scratch, code, first, last, fmt, ap);
        if (result_stream_finding(e->r, &e->scratch))
            *e->streamed |= (uint8_t)bit;
    }
    va_end(ap);
    return f;
}

void
checks_settle(struct checks *c, struct result *r)
{
    if (!c->settle_due || !result_streaming(r))
        return;
    c->settle_due = false;
    struct check_emit e = {.r = r};
    for (uint32_t s = table_oldest(&c->dests); s != TABLE_NONE; s = table_newer(&c->dests, s)) {
        const struct check_key *k = table_key(&c->dests, s);
        struct check_dest *d = table_value(&c->dests, s);
        e.streamed = &d->streamed;
        if (k->kind == CK_HTTP || k->kind == CK_HTTPS)
            check_tcp_dest(&e, k, d);
        else if (k->kind == CK_NTP)
            check_ntp_dest(&e, k, d);
    }
}

void
checks_finish(struct checks *c, struct result *r)
{
    check_http_finish(c, r);
    check_https_finish(c, r);
    check_ntp_finish(c, r);
    check_remote_finish(c, r);
    check_ipblocks_finish(c, r);
}
