/* alg_print.c — one-point SIP ALG fingerprints (RFC 3261 §18.2.1 received, RFC 3581 rport,
 * RFC 4566 SDP): what a rewriting middlebox leaves in a single copy of a message, each with a
 * confidence and the reason it implicates an ALG, and the look-alikes that must stay silent. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../result.h"
#include "alg_int.h"

/* The sentences of the fingerprints recorded by their facts (enum alg_fact_rule). */
#define FMT_ECHOED                                                                                 \
    "a response from public %s to the phone %s names the phone's own private address in "          \
    "Via received=%s; the server can only have seen the NAT's public address (RFC 3261 "           \
    "§18.2.1, RFC 3581), so a middlebox rewrote it on the way back"
#define FMT_SUSPECTED                                                                              \
    "a response from public %s to %s carries the private Via received=%s, an "                     \
    "address a public server cannot have seen (unless reached over a VPN)"
#define FMT_LENGTH                                                                                 \
    "Content-Length %u but %u SDP bytes carried (%+ld): the length change of an "                  \
    "address rewritten inside the SDP, Content-Length left as the phone wrote it"
#define FMT_MIXED_PORT                                                                             \
    "Contact carries the NAT's address and port %s:%u while Via keeps %s:%u: "                     \
    "the host was rewritten in both, the port in Contact only"
#define FMT_MIXED_VIA                                                                              \
    "Via keeps the private %s while Contact carries the NAT's address %s and "                     \
    "no answer told the phone that address (a STUN-aware phone could do this)"
#define FMT_MIXED_SDP                                                                              \
    "SDP o= keeps the private %s and Contact the private %s while c= carries "                     \
    "the NAT's address %s: only the media address was rewritten"

/* snprintf whose cut is intended (a long address triple is cut at the text's size). */
static void __attribute__((format(printf, 3, 4)))
text_printf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* The text of facts f into buf (len bytes), cut at len as alg_print_add cuts. */
static void
fact_text(const struct alg_fact *f, char *buf, size_t len)
{
    char x[64], y[64];
    ip_addr_format(&f->x, x, sizeof x);
    ip_addr_format(&f->y, y, sizeof y);
    switch ((enum alg_fact_rule)f->rule) {
    case ALG_FACT_ECHOED:
        text_printf(buf, len, FMT_ECHOED, x, y, f->s1);
        break;
    case ALG_FACT_SUSPECTED:
        text_printf(buf, len, FMT_SUSPECTED, x, y, f->s1);
        break;
    case ALG_FACT_LENGTH:
        text_printf(buf, len, FMT_LENGTH, (unsigned)f->n1, (unsigned)f->n2, (long)f->delta);
        break;
    case ALG_FACT_MIXED_PORT:
        text_printf(buf, len, FMT_MIXED_PORT, x, (unsigned)f->n1, f->s1, (unsigned)f->n2);
        break;
    case ALG_FACT_MIXED_VIA:
        text_printf(buf, len, FMT_MIXED_VIA, f->s1, x);
        break;
    case ALG_FACT_MIXED_SDP:
        text_printf(buf, len, FMT_MIXED_SDP, f->s1, f->s2, x);
        break;
    case ALG_FACT_TEXT:
        break; /* written when recorded */
    }
}

/* The most characters an address of ip's family takes as text. */
static size_t
ip_text_max(const struct ip_addr *ip)
{
    return ip->family == 6 ? 45 : 15;
}

/*
 * At least the length of f's text (the sentence's own characters, its conversions at their
 * longest). Below ALG_RES_TEXT_MAX - 1 the text is never cut and no cut text has its length;
 * the sentences are one-to-one with their facts: then two texts are equal exactly when the
 * facts are. Longer ones may be cut into another's text, so those are compared as text.
 */
static size_t
fact_bound(const struct alg_fact *f)
{
    size_t x = ip_text_max(&f->x), y = ip_text_max(&f->y);
    switch ((enum alg_fact_rule)f->rule) {
    case ALG_FACT_ECHOED:
        return sizeof FMT_ECHOED + x + y + strlen(f->s1);
    case ALG_FACT_SUSPECTED:
        return sizeof FMT_SUSPECTED + x + y + strlen(f->s1);
    case ALG_FACT_LENGTH:
        return sizeof FMT_LENGTH + 10 + 10 + 21;
    case ALG_FACT_MIXED_PORT:
        return sizeof FMT_MIXED_PORT + x + 5 + strlen(f->s1) + 5;
    case ALG_FACT_MIXED_VIA:
        return sizeof FMT_MIXED_VIA + strlen(f->s1) + x;
    case ALG_FACT_MIXED_SDP:
        return sizeof FMT_MIXED_SDP + strlen(f->s1) + strlen(f->s2) + x;
    case ALG_FACT_TEXT:
        break;
    }
    return SIZE_MAX;
}

static uint64_t
fact_mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* Fill f's hash from its facts (strings up to their NUL). */
static void
fact_seal(struct alg_fact *f)
{
    uint64_t w[4];
    memcpy(w, f->x.a, 16);
    memcpy(w + 2, f->y.a, 16);
    uint64_t h = 0xcbf29ce484222325ull ^ f->rule ^ (uint64_t)f->x.family << 8 ^
                 (uint64_t)f->y.family << 16 ^ (uint64_t)f->n2 << 32;
    for (int i = 0; i < 4; i++)
        h = (h ^ w[i]) * 0x9e3779b97f4a7c15ull;
    h = (h ^ f->n1 ^ (uint64_t)f->delta << 32) * 0x9e3779b97f4a7c15ull;
    h = fact_mix(h, f->s1, strlen(f->s1) + 1);
    h = fact_mix(h, f->s2, strlen(f->s2) + 1);
    f->hash = h;
}

static bool
fact_eq(const struct alg_fact *f, const struct alg_fact *g)
{
    return f->hash == g->hash && f->rule == g->rule && f->n1 == g->n1 && f->n2 == g->n2 &&
           f->delta == g->delta && memcmp(&f->x, &g->x, sizeof f->x) == 0 &&
           memcmp(&f->y, &g->y, sizeof f->y) == 0 && strcmp(f->s1, g->s1) == 0 &&
           strcmp(f->s2, g->s2) == 0;
}

/* A canonical copy of ip: the bytes its family does not use are 0. */
static struct ip_addr
canon_ip(const struct ip_addr *ip)
{
    struct ip_addr k = {.family = ip->family};
    if (ip->family == 4 || ip->family == 6)
        memcpy(k.a, ip->a, ip->family == 6 ? 16 : 4);
    return k;
}

static void
fact_str(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n > cap - 1)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
}

/* Write fingerprint i's text from its facts unless written. */
static void
print_write(struct alg_tracker *a, uint32_t i)
{
    if (a->facts[i].rule == ALG_FACT_TEXT || a->written[i])
        return;
    fact_text(&a->facts[i], a->res->prints[i].text, sizeof a->res->prints[i].text);
    a->written[i] = true;
}

void
alg_print_texts(struct alg_tracker *a)
{
    for (uint32_t i = 0; i < a->res->n_prints; i++)
        print_write(a, i);
}

/* The fingerprint i seen once more at `at`. */
static int
print_again(struct alg_result *r, uint32_t i, const struct sip_ref *at)
{
    r->prints[i].count++;
    r->prints[i].last = *at;
    return (int)i;
}

/* A new fingerprint of facts f (rule ALG_FACT_TEXT: text), or -1 when the list is full. */
static int
print_new(struct alg_tracker *a, enum finding_code code, enum alg_confidence conf,
          const struct sip_ref *at, const char *what, const struct alg_fact *f, const char *text)
{
    struct alg_result *r = a->res;
    if (r->n_prints >= ALG_RES_MAX_PRINTS) {
        r->prints_unlisted++;
        return -1;
    }
    uint32_t i = r->n_prints++;
    struct alg_print *p = &r->prints[i];
    p->code = code;
    p->confidence = conf;
    p->first = p->last = *at;
    p->count = 1;
    snprintf(p->what, sizeof p->what, "%s", what);
    if (f) {
        a->facts[i] = *f;
        a->fact_hash[i] = f->hash;
        a->written[i] = false;
        p->text[0] = 0;
    } else {
        a->facts[i].rule = ALG_FACT_TEXT;
        a->fact_hash[i] = 0;
        a->n_text_prints++;
        memcpy(p->text, text, sizeof p->text);
    }
    return (int)i;
}

int
alg_print_add(struct alg_tracker *a, enum finding_code code, enum alg_confidence conf,
              const struct sip_ref *at, const char *what, const char *fmt, ...)
{
    struct alg_result *r = a->res;
    char text[ALG_RES_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    for (uint32_t i = 0; i < r->n_prints; i++) {
        if (r->prints[i].code != code)
            continue;
        print_write(a, i);
        if (strcmp(r->prints[i].text, text) == 0)
            return print_again(r, i, at);
    }
    return print_new(a, code, conf, at, what, NULL, text);
}

/*
 * Record the fingerprint of facts f (its hash filled here), deduplicated by code and the text
 * the facts make, as alg_print_add does with its text, but without writing that text: it is
 * written at the end, for the fingerprints kept. Returns its index in res->prints, or -1 when
 * the list was full; *created: it is new.
 */
static int
print_fact(struct alg_tracker *a, enum finding_code code, enum alg_confidence conf,
           const struct sip_ref *at, const char *what, struct alg_fact *f, bool *created)
{
    struct alg_result *r = a->res;
    char text[ALG_RES_TEXT_MAX];
    bool cut = fact_bound(f) >= ALG_RES_TEXT_MAX - 1, texted = false;
    *created = false;
    fact_seal(f);
    if (!cut) {
        /* Neither text cut, or only the other (then they differ in length): the facts say. */
        for (uint32_t i = 0; i < r->n_prints; i++)
            if (a->fact_hash[i] == f->hash && a->facts[i].rule != ALG_FACT_TEXT &&
                r->prints[i].code == code && fact_eq(&a->facts[i], f))
                return print_again(r, i, at);
    }
    for (uint32_t i = 0; i < r->n_prints && (cut || a->n_text_prints); i++) {
        if (r->prints[i].code != code || (!cut && a->facts[i].rule != ALG_FACT_TEXT))
            continue;
        /* this text may be cut, or that one was recorded as text: compare as text */
        if (!texted) {
            fact_text(f, text, sizeof text);
            texted = true;
        }
        print_write(a, i);
        if (strcmp(r->prints[i].text, text) == 0)
            return print_again(r, i, at);
    }
    int i = print_new(a, code, conf, at, what, f, NULL);
    *created = i >= 0;
    return i;
}

static bool
same_ip(const struct ip_addr *x, const struct ip_addr *y)
{
    return x->family == y->family && memcmp(x->a, y->a, x->family == 6 ? 16 : 4) == 0;
}

/* The address of a host text when it is an IP literal; family 0 otherwise. */
static struct ip_addr
host_ip(const char *host)
{
    struct ip_addr ip;
    ip_addr_parse(host, &ip);
    return ip;
}

/* The top Via's and first Contact's addresses of one message, read once when asked. */
struct msg_ips {
    const struct sip_message *m;
    bool via_read, ct_read;
    struct ip_addr via, ct;
};

/* The top Via sent-by as an address (family 0: none, or not an IP literal). */
static const struct ip_addr *
msg_via(struct msg_ips *x)
{
    if (!x->via_read) {
        x->via_read = true;
        if (x->m->via_count)
            x->via = host_ip(x->m->via[0].host);
    }
    return &x->via;
}

/* The first Contact's host as an address (family 0: none, "*", or not an IP literal). */
static const struct ip_addr *
msg_ct(struct msg_ips *x)
{
    if (!x->ct_read) {
        x->ct_read = true;
        if (x->m->contact_count && !x->m->contact[0].star)
            x->ct = host_ip(x->m->contact[0].uri.host);
    }
    return &x->ct;
}

static bool
has_srflx(const struct sdp_summary *sdp)
{
    for (unsigned i = 0; sdp && i < sdp->candidate_count; i++)
        if (sdp->candidate[i].type == SDP_CAND_SRFLX || sdp->candidate[i].type == SDP_CAND_RELAY)
            return true;
    return false;
}

/* The first media connection address of an SDP (media level, else session level). */
static struct ip_addr
sdp_conn(const struct sdp_summary *sdp)
{
    if (sdp->media_count && sdp->media[0].conn.ip.family)
        return sdp->media[0].conn.ip;
    return sdp->conn.ip;
}

/*
 * A response at the phone whose top Via received= is private while it came from a public
 * server: if the server really saw the NAT's address, received= was rewritten on the way back.
 * A private server address is no proof of that by itself — over a VPN, a tunnel or a routed
 * private network the server does see the phone's own address — so the print's confidence waits
 * for the end: high when a NAT between them is evidenced (alg_nat_seen), else low (listed only).
 * The responses are also the NAT evidence: a public received= or an rport other than the Via
 * port told the phone at dst that a NAT translated it.
 */
static void
print_received(struct alg_tracker *a, const struct sip_message *m, const struct sip_ref *at,
               const struct sip_endpoint *src, const struct sip_endpoint *dst, const char *what)
{
    if (m->is_request || !m->via_count)
        return;
    const struct sip_hop *v = &m->via[0];
    uint16_t sent_port = v->port ? v->port : 5060;
    if (v->rport_kind == SIP_RPORT_VALUE && v->rport != sent_port)
        alg_nat_mark(a, &dst->ip); /* the server saw another source port than the phone's */
    if (!v->received[0])
        return;
    struct ip_addr rcv = host_ip(v->received);
    if (rcv.family && !alg_addr_private(&rcv)) {
        alg_learnt_mark(a, &rcv); /* the phone behind rcv was told its public address */
        alg_nat_mark(a, &dst->ip);
    }
    if (!rcv.family || !alg_addr_private(&rcv) || alg_addr_private(&src->ip) ||
        !alg_addr_private(&dst->ip))
        return;
    struct alg_fact f = {.x = canon_ip(&src->ip), .y = canon_ip(&dst->ip)};
    fact_str(f.s1, sizeof f.s1, v->received);
    bool created;
    if (same_ip(&rcv, &dst->ip)) {
        f.rule = ALG_FACT_ECHOED;
        int i =
            print_fact(a, FIND_ALG_PRIVATE_RECEIVED_ECHOED, ALG_CONF_HIGH, at, what, &f, &created);
        /* every echoed fingerprint has its candidate from its creation on (ALG_ECHO_MAX is the
         * fingerprint list's bound) */
        if (created && a->n_echo < ALG_ECHO_MAX) {
            struct alg_echo *e = &a->echo[a->n_echo++];
            e->print = (uint32_t)i;
            e->phone = dst->ip;
            ip_addr_format(&src->ip, e->server, sizeof e->server);
            snprintf(e->received, sizeof e->received, "%s", v->received);
        }
    } else {
        f.rule = ALG_FACT_SUSPECTED;
        print_fact(a, FIND_ALG_PRIVATE_RECEIVED_SUSPECTED, ALG_CONF_MEDIUM, at, what, &f, &created);
    }
}

void
alg_print_settle_echoes(struct alg_tracker *a)
{
    struct alg_result *r = a->res;
    char d[64];
    for (uint32_t k = 0; k < a->n_echo; k++) {
        const struct alg_echo *e = &a->echo[k];
        if (e->print >= r->n_prints || alg_nat_seen(a, &e->phone))
            continue;
        struct alg_print *p = &r->prints[e->print];
        ip_addr_format(&e->phone, d, sizeof d);
        p->confidence = ALG_CONF_LOW;
        int n = snprintf(p->text, sizeof p->text,
                         "a response from public %.45s to %.45s names its own private address in "
                         "Via received=%.45s, but nothing shows a NAT between them (no public "
                         "received=, no translated rport, no second capture point): the server "
                         "may really see it (VPN, tunnel, routed network)",
                         e->server, d, e->received);
        if (n >= (int)sizeof p->text)
            p->text[sizeof p->text - 1] = '\0'; /* cut at the buffer: a long IPv6 triple */
    }
}
/* Content-Length that disagrees with the SDP carried, by the few bytes an address rewrite
 * makes: the ALG changed the body and not the header (the SIP tracker counts the bare fact). */
static void
print_length(struct alg_tracker *a, const struct sip_message *m, const struct sip_ref *at,
             bool unreliable, const char *what)
{
    if (!m->cl_mismatch || unreliable || !m->has_content_length || !m->sdp || !m->body_len)
        return;
    long delta = (long)m->body_len - (long)m->content_length;
    if (delta < -64 || delta > 64)
        return;
    struct alg_fact f = {.rule = ALG_FACT_LENGTH,
                         .n1 = (unsigned)m->content_length,
                         .n2 = (unsigned)m->body_len,
                         .delta = delta};
    bool created;
    print_fact(a, FIND_ALG_CONTENT_LENGTH_MISMATCH, ALG_CONF_MEDIUM, at, what, &f, &created);
}

/* Mixed addressing inside one message, seen where the NAT's public address is the source. */
static void
print_mixed(struct alg_tracker *a, const struct sip_message *m, struct msg_ips *ips,
            const struct sdp_summary *sdp, const struct sip_ref *at, const struct sip_endpoint *src,
            const char *what)
{
    if (alg_addr_private(&src->ip) || !src->ip.family || !m->via_count)
        return;
    bool learnt = alg_learnt(a, &src->ip) || has_srflx(sdp);
    struct ip_addr via = *msg_via(ips), ct = *msg_ct(ips);
    uint16_t ct_port = 0;
    if (m->contact_count && !m->contact[0].star)
        ct_port = m->contact[0].uri.port ? m->contact[0].uri.port : 5060;
    uint16_t via_port = m->via[0].port ? m->via[0].port : 5060;
    struct alg_fact f = {.x = canon_ip(&src->ip)};
    bool created;
    /* Contact moved to the NAT's address and port while Via kept the LAN port. Via is the
     * sender's own only in a request (a response carries the requester's). */
    if (!m->is_request) {
        /* only the SDP rule below applies */
    } else if (via.family && same_ip(&via, &src->ip) && via_port != src->port && ct.family &&
               same_ip(&ct, &src->ip) && ct_port == src->port && via_port != ct_port && !learnt) {
        f.rule = ALG_FACT_MIXED_PORT;
        f.n1 = src->port;
        f.n2 = via_port;
        fact_str(f.s1, sizeof f.s1, m->via[0].host);
        print_fact(a, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_MEDIUM, at, what, &f, &created);
    }
    /* Via private but Contact the NAT's public address, nothing told the phone. */
    else if (via.family && alg_addr_private(&via) && ct.family && same_ip(&ct, &src->ip) &&
             !learnt) {
        f.rule = ALG_FACT_MIXED_VIA;
        fact_str(f.s1, sizeof f.s1, m->via[0].host);
        print_fact(a, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_LOW, at, what, &f, &created);
    }
    if (!sdp || !sdp->origin.addr.ip.family)
        return;
    struct ip_addr c = sdp_conn(sdp);
    if (alg_addr_private(&sdp->origin.addr.ip) && c.family && same_ip(&c, &src->ip) && ct.family &&
        alg_addr_private(&ct) && !learnt) {
        struct alg_fact g = {.rule = ALG_FACT_MIXED_SDP, .x = canon_ip(&src->ip)};
        fact_str(g.s1, sizeof g.s1, sdp->origin.addr.text);
        fact_str(g.s2, sizeof g.s2, m->contact[0].uri.host);
        print_fact(a, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_MEDIUM, at, what, &g, &created);
    }
}

/* A phone at a private source that addresses itself with a public address (Contact, Via, an
 * ICE srflx candidate) has learnt it from a NAT in between: NAT evidence for that phone. */
static void
note_public_self(struct alg_tracker *a, const struct sip_message *m, struct msg_ips *ips,
                 const struct sdp_summary *sdp, const struct sip_endpoint *src)
{
    if (!m->is_request || !alg_addr_private(&src->ip))
        return;
    struct ip_addr via = *msg_via(ips), ct = *msg_ct(ips);
    if ((via.family && !alg_addr_private(&via)) || (ct.family && !alg_addr_private(&ct)) ||
        has_srflx(sdp))
        alg_nat_mark(a, &src->ip);
}

/* Seen where the NAT's public address is the source: an SDP whose c= is that address while
 * o= keeps a private one (the media address rewritten, the origin not), for alg_print_media. */
static void
note_sdp_onepoint(struct alg_tracker *a, const struct sip_message *m, const struct sdp_summary *sdp,
                  const struct sip_ref *at, const struct sip_endpoint *src, uint64_t call)
{
    if (!call || !sdp || !sdp->media_count || !src->ip.family || alg_addr_private(&src->ip) ||
        !sdp->origin.addr.ip.family || !alg_addr_private(&sdp->origin.addr.ip) ||
        alg_learnt(a, &src->ip) || has_srflx(sdp))
        return;
    struct ip_addr c = sdp_conn(sdp);
    if (!c.family || !same_ip(&c, &src->ip))
        return;
    struct alg_call *k = alg_call_get(a, call, m->call_id);
    if (!k || k->sdp_onepoint)
        return;
    k->sdp_onepoint = true;
    k->onepoint = (struct alg_sdp_copy){*at, c, sdp->media[0].port};
    snprintf(k->onepoint_o, sizeof k->onepoint_o, "%.47s", sdp->origin.addr.text);
}

/* The per-call facts judge_unlearned reads at the end: private self-addressing from a private
 * source, and the NAT's address as self-addressing from that public source. */
static void
note_call(struct alg_tracker *a, const struct sip_message *m, struct msg_ips *ips,
          const struct sdp_summary *sdp, const struct sip_ref *at, const struct sip_endpoint *src,
          uint64_t call, const char *what)
{
    if (!call || !m->via_count || !m->is_request)
        return;
    struct ip_addr via = *msg_via(ips), ct = *msg_ct(ips);
    struct ip_addr c = sdp ? sdp_conn(sdp) : (struct ip_addr){0};
    bool from_private = alg_addr_private(&src->ip);
    bool via_private = via.family && alg_addr_private(&via) && same_ip(&via, &src->ip);
    bool self_private =
        via_private || (ct.family && alg_addr_private(&ct) && same_ip(&ct, &src->ip));
    bool self_public =
        !from_private && src->ip.family &&
        ((via.family && same_ip(&via, &src->ip)) || (ct.family && same_ip(&ct, &src->ip)) ||
         (c.family && same_ip(&c, &src->ip)));
    if (!(from_private && self_private) && !self_public)
        return;
    if (self_public && (alg_learnt(a, &src->ip) || has_srflx(sdp)))
        return;
    struct alg_call *k = alg_call_get(a, call, m->call_id);
    if (!k)
        return;
    if (from_private && self_private && !k->private_copy) {
        k->private_copy = true;
        k->private_at = *at;
        const char *own = via_private ? m->via[0].host : m->contact[0].uri.host;
        size_t n = strnlen(own, sizeof k->private_addr - 1); /* "%.47s", once per call */
        memcpy(k->private_addr, own, n);
        k->private_addr[n] = 0;
    } else if (self_public && !k->public_copy) {
        k->public_copy = true;
        k->public_at = *at;
        k->public_ip = src->ip;
        snprintf(k->what, sizeof k->what, "%s", what);
    }
}

void
alg_print_message(struct alg_tracker *a, const struct sip_message *m, const struct sdp_summary *sdp,
                  const struct sip_ref *at, const struct sip_endpoint *src,
                  const struct sip_endpoint *dst, bool unreliable, uint64_t call, const char *what)
{
    print_received(a, m, at, src, dst, what);
    print_length(a, m, at, unreliable, what);
    struct msg_ips ips = {.m = m};
    print_mixed(a, m, &ips, sdp, at, src, what);
    note_call(a, m, &ips, sdp, at, src, call, what);
    note_public_self(a, m, &ips, sdp, src);
    note_sdp_onepoint(a, m, sdp, at, src, call);
}

/* Streams of media call index ci whose sender sits at ip: the first whose port is not port. */
static const struct media_stream_record *
stream_elsewhere(const struct media_result *mr, size_t ci, const struct ip_addr *ip, uint16_t port)
{
    for (size_t i = 0; i < mr->n_streams; i++) {
        const struct media_stream_record *s = &mr->streams[i];
        if (s->call == (int32_t)ci && s->mline == 0 && same_ip(&s->src, ip) && s->sport != port)
            return s;
    }
    return NULL;
}

static char *
ep_text(const struct ip_addr *ip, uint16_t port, char *buf, size_t len)
{
    char t[64];
    ip_addr_format(ip, t, sizeof t);
    snprintf(buf, len, ip->family == 6 ? "[%s]:%u" : "%s:%u", t, (unsigned)port);
    return buf;
}

void
alg_print_media(struct alg_tracker *a, const struct result *r)
{
    const struct media_result *mr = r->media;
    static const char *const party[2] = {"caller", "callee"};
    char x[80], y[80], z[80], what[ALG_RES_WHAT_MAX];
    for (size_t ci = 0; mr && ci < mr->n_calls; ci++) {
        const struct media_call_record *c = &mr->calls[ci];
        snprintf(what, sizeof what, "SDP of call %u", c->call_index);
        bool told = false;
        for (int d = 0; d < 2; d++) {
            const struct media_call_dir *cd = &c->dir[d];
            if (!cd->sender_sdp_rewritten || !cd->src_unannounced)
                continue;
            struct sip_ref at = {cd->sender_sdp_after_at.frame, cd->sender_sdp_after_at.file,
                                 cd->sender_sdp_after_at.ts_ns};
            alg_print_add(
                a, FIND_ALG_MEDIA_ADDRESS_ELSEWHERE, ALG_CONF_HIGH, &at, what,
                "the %s's SDP media address %s was rewritten in transit to %s, but its "
                "RTP flows from %s: the rewrite sends the peer's media to an address:port "
                "this call's media does not use",
                party[d], ep_text(&cd->sender_sdp_before, cd->sender_sdp_before_port, x, sizeof x),
                ep_text(&cd->sender_sdp_after, cd->sender_sdp_after_port, y, sizeof y),
                ep_text(&cd->seen_src, cd->seen_sport, z, sizeof z));
            told = true;
        }
        if (told || !c->call_id[0])
            continue;
        uint64_t call = alg_call_digest(c->call_id);
        uint32_t slot = table_find(&a->calls, &call, table_hash(&a->calls, &call));
        if (slot == TABLE_NONE)
            continue;
        const struct alg_call *k = table_value(&a->calls, slot);
        if (!k->sdp_onepoint || k->crossed)
            continue;
        const struct media_stream_record *s =
            stream_elsewhere(mr, ci, &k->onepoint.addr, k->onepoint.port);
        if (!s)
            continue;
        /* Low: a phone that learnt c=/m= by STUN behind a NAT that maps each port anew looks
         * the same from here; the two-point proof above is the finding. */
        alg_print_add(a, FIND_ALG_MEDIA_ADDRESS_ELSEWHERE, ALG_CONF_LOW, &k->onepoint.at, what,
                      "SDP c=/m= says %s, the NAT's public address, while o= keeps the private %s "
                      "(a rewrite, or STUN), but the RTP of this call flows from %s: the media "
                      "address written into the SDP is not the one the NAT gave the media",
                      ep_text(&k->onepoint.addr, k->onepoint.port, x, sizeof x), k->onepoint_o,
                      ep_text(&s->src, s->sport, z, sizeof z));
    }
}
