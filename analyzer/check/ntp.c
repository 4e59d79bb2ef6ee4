/* ntp.c — NTP (RFC 5905, UDP 123): requests paired with responses per server. */
#include <stdio.h>

#include "checks_int.h"

/* checks_each visitor: ntp.no_response for a server whose requests went unanswered. */
static void
ntp_dest_findings(void *ctx, const struct check_key *k, const struct check_dest *d)
{
    struct check_emit *e = ctx;
    uint32_t silent = d->n[OUT_NO_REPLY] + d->n[OUT_ICMP];
    if (!silent)
        return;
    char a[48], dst[96], from[48], icmp[96] = "";
    if (k)
        snprintf(dst, sizeof(dst), "%s%s%s:%u", k->addr.family == 6 ? "[" : "",
                 checks_addr(&k->addr, a, sizeof(a)), k->addr.family == 6 ? "]" : "", k->port);
    else
        snprintf(dst, sizeof(dst), "%u other servers (beyond the table)", d->servers);
    if (d->n[OUT_ICMP])
        snprintf(icmp, sizeof(icmp), "; ICMP type %u code %u from %s", d->icmp_type, d->icmp_code,
                 checks_addr(&d->icmp_from, from, sizeof(from)));
    struct finding *f = check_emit(e, CHECK_STREAMED_NTP, FIND_NTP_NO_RESPONSE, &d->first_fail,
                                   &d->last_fail, "%u NTP exchange%s with %s got no response%s",
                                   silent, checks_plural(silent), dst, icmp);
    if (f)
        f->count = silent;
}

void
check_ntp_dest(struct check_emit *e, const struct check_key *k, const struct check_dest *d)
{
    ntp_dest_findings(e, k, d);
}

void
check_ntp_finish(const struct checks *c, struct result *r)
{
    struct requirement_row *row = &r->requirements[REQ_NTP];
    struct check_dest sum;
    char frames[64];
    struct check_emit e = {.r = r};
    checks_each(c, CK_NTP, ntp_dest_findings, &e);
    checks_total(c, CK_NTP, &sum);
    row->checked = true;
    row->observed = sum.flows > 0;
    uint16_t port = c->profile->ntp_port;
    uint32_t silent = sum.n[OUT_NO_REPLY] + sum.n[OUT_ICMP];
    if (!sum.flows)
        snprintf(row->evidence, sizeof(row->evidence), "no NTP traffic (UDP %u) in the capture",
                 port);
    else if (silent)
        snprintf(row->evidence, sizeof(row->evidence),
                 "%u of %u NTP exchange%s on UDP %u got no response (%llu request%s, %llu "
                 "response%s); first unanswered in %s",
                 silent, sum.flows, checks_plural(sum.flows), port,
                 (unsigned long long)sum.requests, checks_plural(sum.requests),
                 (unsigned long long)sum.replies, checks_plural(sum.replies),
                 checks_frames(&sum.first_fail, NULL, frames, sizeof(frames)));
    else
        snprintf(row->evidence, sizeof(row->evidence),
                 "%llu NTP request%s to %u server%s on UDP %u answered by %llu response%s, "
                 "first in %s",
                 (unsigned long long)sum.requests, checks_plural(sum.requests), sum.servers,
                 checks_plural(sum.servers), port, (unsigned long long)sum.replies,
                 checks_plural(sum.replies),
                 checks_frames(&sum.first_ok, NULL, frames, sizeof(frames)));
}
