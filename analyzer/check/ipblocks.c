/* ipblocks.c — IPBLOCKS: provider-bound flows failing while the peer is inside the provider's
 * blocks, and SIP servers outside them. */
#include <stdio.h>

#include "checks_int.h"

struct ipb_visit {
    const struct profile *p;
    struct result *r;
};

/* "in 198.51.100.0/24" for the first block holding a, into buf. */
static const char *
ipb_block_of(const struct profile *p, const struct ip_addr *a, char *buf, size_t len)
{
    char c[CIDR_TEXT_MAX];
    for (size_t i = 0; i < p->n_blocks; i++)
        if (cidr_contains(&p->blocks[i], a)) {
            snprintf(buf, len, "in %s", cidr_format(&p->blocks[i], c, sizeof(c)));
            return buf;
        }
    snprintf(buf, len, "in the provider blocks");
    return buf;
}

/* checks_each visitor: ipblocks.provider_unreachable for a provider host with failed flows. */
static void
ipb_provider_findings(void *ctx, const struct check_key *k, const struct check_dest *d)
{
    struct ipb_visit *v = ctx;
    uint32_t failed =
        d->n[OUT_SYN_UNANSWERED] + d->n[OUT_REFUSED] + d->n[OUT_ICMP] + d->n[OUT_NO_REPLY];
    if (!failed)
        return;
    char a[48], blk[80], who[160];
    if (k)
        snprintf(who, sizeof(who), "provider host %s (%s)", checks_addr(&k->addr, a, sizeof(a)),
                 ipb_block_of(v->p, &k->addr, blk, sizeof(blk)));
    else
        snprintf(who, sizeof(who), "%u other provider hosts (beyond the table)", d->servers);
    struct finding *f = result_add_finding(
        v->r, FIND_IPBLOCKS_PROVIDER_UNREACHABLE, &d->first_fail, &d->last_fail,
        "%u of %u flow%s to %s failed: %u TCP SYN unanswered, %u refused, %u ICMP error, %u "
        "UDP unanswered",
        failed, d->flows, checks_plural(d->flows), who, d->n[OUT_SYN_UNANSWERED], d->n[OUT_REFUSED],
        d->n[OUT_ICMP], d->n[OUT_NO_REPLY]);
    if (f) {
        f->count = failed;
        /* a refusal or an ICMP error proves it whatever the capture lost */
        f->from_absence = !d->n[OUT_REFUSED] && !d->n[OUT_ICMP];
    }
}

/* checks_each visitor: ipblocks.sip_server_outside for a SIP server outside the blocks. */
static void
ipb_sip_findings(void *ctx, const struct check_key *k, const struct check_dest *d)
{
    struct ipb_visit *v = ctx;
    char a[48], who[96];
    if (k)
        snprintf(who, sizeof(who), "%s%s%s:%u", k->addr.family == 6 ? "[" : "",
                 checks_addr(&k->addr, a, sizeof(a)), k->addr.family == 6 ? "]" : "", k->port);
    else
        snprintf(who, sizeof(who), "%u other servers (beyond the table)", d->servers);
    const struct evidence_ref *at = d->first_ok.frame ? &d->first_ok : &d->first_fail;
    struct finding *f = result_add_finding(
        v->r, FIND_IPBLOCKS_SIP_SERVER_OUTSIDE, at, NULL,
        "SIP server %s (%u flow%s) is outside the provider's %zu IP block%s", who, d->flows,
        checks_plural(d->flows), v->p->n_blocks, checks_plural(v->p->n_blocks));
    if (f)
        f->count = d->flows;
}

void
check_ipblocks_finish(const struct checks *c, struct result *r)
{
    struct requirement_row *row = &r->requirements[REQ_IPBLOCKS];
    struct ipb_visit v = {c->profile, r};
    struct check_dest prov, sip;
    char frames[64];
    checks_each(c, CK_PROVIDER, ipb_provider_findings, &v);
    checks_each(c, CK_SIP_SERVER, ipb_sip_findings, &v);
    checks_total(c, CK_PROVIDER, &prov);
    checks_total(c, CK_SIP_SERVER, &sip);
    size_t nb = c->profile->n_blocks;
    uint32_t failed =
        prov.n[OUT_SYN_UNANSWERED] + prov.n[OUT_REFUSED] + prov.n[OUT_ICMP] + prov.n[OUT_NO_REPLY];
    row->checked = true;
    row->observed = prov.flows > 0 || sip.flows > 0;
    if (failed)
        snprintf(row->evidence, sizeof(row->evidence),
                 "%u of %u flow%s to %u host%s inside the provider's %zu block%s failed; first "
                 "failure in %s",
                 failed, prov.flows, checks_plural(prov.flows), prov.servers,
                 checks_plural(prov.servers), nb, checks_plural(nb),
                 checks_frames(&prov.first_fail, NULL, frames, sizeof(frames)));
    else if (prov.flows)
        snprintf(row->evidence, sizeof(row->evidence),
                 "%u flow%s with %u host%s inside the provider's %zu block%s, none failed%s",
                 prov.flows, checks_plural(prov.flows), prov.servers, checks_plural(prov.servers),
                 nb, checks_plural(nb),
                 sip.flows ? "; some SIP servers are outside the blocks" : "");
    else if (sip.flows)
        snprintf(row->evidence, sizeof(row->evidence),
                 "no traffic with the provider's %zu block%s; %u SIP server%s outside them", nb,
                 checks_plural(nb), sip.servers, checks_plural(sip.servers));
    else
        snprintf(row->evidence, sizeof(row->evidence),
                 "no traffic with the provider's %zu IP block%s in the capture", nb,
                 checks_plural(nb));
}
