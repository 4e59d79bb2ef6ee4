/* alg_print.c — one-point SIP ALG fingerprints (RFC 3261 §18.2.1 received, RFC 3581 rport,
 * RFC 4566 SDP): what a rewriting middlebox leaves in a single copy of a message, each with a
 * confidence and the reason it implicates an ALG, and the look-alikes that must stay silent. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "alg_int.h"

void
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
        struct alg_print *p = &r->prints[i];
        if (p->code == code && strcmp(p->text, text) == 0) {
            p->count++;
            p->last = *at;
            return;
        }
    }
    if (r->n_prints >= ALG_RES_MAX_PRINTS) {
        r->prints_unlisted++;
        return;
    }
    struct alg_print *p = &r->prints[r->n_prints++];
    p->code = code;
    p->confidence = conf;
    p->first = p->last = *at;
    p->count = 1;
    snprintf(p->what, sizeof p->what, "%s", what);
    memcpy(p->text, text, sizeof p->text);
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
    alg_host_ip(host, &ip);
    return ip;
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

/* A response at the phone whose top Via received= is private while it came from a public
 * server: the server saw the NAT's address, so received= was rewritten on the way back. */
static void
print_received(struct alg_tracker *a, const struct sip_message *m, const struct sip_ref *at,
               const struct sip_endpoint *src, const struct sip_endpoint *dst, const char *what)
{
    if (m->is_request || !m->via_count || !m->via[0].received[0])
        return;
    struct ip_addr rcv = host_ip(m->via[0].received);
    char s[64], d[64];
    if (rcv.family && !alg_addr_private(&rcv))
        alg_learnt_mark(a, &rcv); /* the phone behind rcv was told its public address */
    if (!rcv.family || !alg_addr_private(&rcv) || alg_addr_private(&src->ip) ||
        !alg_addr_private(&dst->ip))
        return;
    ip_addr_format(&src->ip, s, sizeof s);
    ip_addr_format(&dst->ip, d, sizeof d);
    if (same_ip(&rcv, &dst->ip))
        alg_print_add(a, FIND_ALG_PRIVATE_RECEIVED_ECHOED, ALG_CONF_HIGH, at, what,
                      "a response from public %s to the phone %s names the phone's own private "
                      "address in Via received=%s; the server can only have seen the NAT's public "
                      "address (RFC 3261 §18.2.1, RFC 3581), so a middlebox rewrote it on the "
                      "way back",
                      s, d, m->via[0].received);
    else
        alg_print_add(a, FIND_ALG_PRIVATE_RECEIVED_SUSPECTED, ALG_CONF_MEDIUM, at, what,
                      "a response from public %s to %s carries the private Via received=%s, an "
                      "address a public server cannot have seen (unless reached over a VPN)",
                      s, d, m->via[0].received);
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
    alg_print_add(a, FIND_ALG_CONTENT_LENGTH_MISMATCH, ALG_CONF_MEDIUM, at, what,
                  "Content-Length %u but %u SDP bytes carried (%+ld): the length change of an "
                  "address rewritten inside the SDP, Content-Length left as the phone wrote it",
                  (unsigned)m->content_length, (unsigned)m->body_len, delta);
}

/* Mixed addressing inside one message, seen where the NAT's public address is the source. */
static void
print_mixed(struct alg_tracker *a, const struct sip_message *m, const struct sdp_summary *sdp,
            const struct sip_ref *at, const struct sip_endpoint *src, const char *what)
{
    if (alg_addr_private(&src->ip) || !src->ip.family || !m->via_count)
        return;
    bool learnt = alg_learnt(a, &src->ip) || has_srflx(sdp);
    struct ip_addr via = host_ip(m->via[0].host), ct = {0};
    uint16_t ct_port = 0;
    if (m->contact_count && !m->contact[0].star) {
        ct = host_ip(m->contact[0].uri.host);
        ct_port = m->contact[0].uri.port ? m->contact[0].uri.port : 5060;
    }
    char s[64];
    ip_addr_format(&src->ip, s, sizeof s);
    uint16_t via_port = m->via[0].port ? m->via[0].port : 5060;
    /* Contact moved to the NAT's address and port while Via kept the LAN port. Via is the
     * sender's own only in a request (a response carries the requester's). */
    if (!m->is_request) {
        /* only the SDP rule below applies */
    } else if (via.family && same_ip(&via, &src->ip) && via_port != src->port && ct.family &&
               same_ip(&ct, &src->ip) && ct_port == src->port && via_port != ct_port && !learnt)
        alg_print_add(a, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_MEDIUM, at, what,
                      "Contact carries the NAT's address and port %s:%u while Via keeps %s:%u: "
                      "the host was rewritten in both, the port in Contact only",
                      s, (unsigned)src->port, m->via[0].host, (unsigned)via_port);
    /* Via private but Contact the NAT's public address, nothing told the phone. */
    else if (via.family && alg_addr_private(&via) && ct.family && same_ip(&ct, &src->ip) && !learnt)
        alg_print_add(a, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_LOW, at, what,
                      "Via keeps the private %s while Contact carries the NAT's address %s and "
                      "no answer told the phone that address (a STUN-aware phone could do this)",
                      m->via[0].host, s);
    if (!sdp || !sdp->origin.addr.ip.family)
        return;
    struct ip_addr c = sdp_conn(sdp);
    if (alg_addr_private(&sdp->origin.addr.ip) && c.family && same_ip(&c, &src->ip) && ct.family &&
        alg_addr_private(&ct) && !learnt)
        alg_print_add(a, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_MEDIUM, at, what,
                      "SDP o= keeps the private %s and Contact the private %s while c= carries "
                      "the NAT's address %s: only the media address was rewritten",
                      sdp->origin.addr.text, m->contact[0].uri.host, s);
}

/* The per-call facts judge_unlearned reads at the end: private self-addressing from a private
 * source, and the NAT's address as self-addressing from that public source. */
static void
note_call(struct alg_tracker *a, const struct sip_message *m, const struct sdp_summary *sdp,
          const struct sip_ref *at, const struct sip_endpoint *src, uint64_t call, const char *what)
{
    if (!call || !m->via_count || !m->is_request)
        return;
    struct ip_addr via = host_ip(m->via[0].host), ct = {0};
    if (m->contact_count && !m->contact[0].star)
        ct = host_ip(m->contact[0].uri.host);
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
        snprintf(k->private_addr, sizeof k->private_addr, "%.47s",
                 via_private ? m->via[0].host : m->contact[0].uri.host);
    } else if (self_public && !k->public_copy) {
        k->public_copy = true;
        k->public_at = *at;
        ip_addr_format(&src->ip, k->public_addr, sizeof k->public_addr);
        snprintf(k->what, sizeof k->what, "%s", what);
    }
}

void
alg_print_message(struct alg_tracker *a, const struct sip_message *m, const struct sdp_summary *sdp,
                  const struct sip_ref *at, const struct sip_endpoint *src,
                  const struct sip_endpoint *dst, bool unreliable, uint64_t call)
{
    char what[ALG_RES_WHAT_MAX];
    alg_what(m, what, sizeof what);
    print_received(a, m, at, src, dst, what);
    print_length(a, m, at, unreliable, what);
    print_mixed(a, m, sdp, at, src, what);
    note_call(a, m, sdp, at, src, call, what);
    /* Media: an SDP address rewritten while the RTP flows elsewhere needs the media tracker's
     * latched sources; that fingerprint is left to a later hook (alg_media_*). */
}
