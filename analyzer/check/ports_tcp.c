/* ports_tcp.c — HTTP (TCP 80) and HTTPS (TCP 443): handshake outcomes per destination
 * (RFC 9293 §3.5: SYN without SYN-ACK, RST in answer to a SYN; RFC 792 / RFC 4443 ICMP errors). */
#include <stdio.h>
#include <string.h>

#include "checks_int.h"

/* One of the two rows: its kind, requirement, codes and words. */
struct tcp_row {
    enum check_kind kind;
    enum requirement_id req;
    enum finding_code syn_unanswered, refused, blocked_icmp;
    const char *label; /* "HTTP" */
};

static const struct tcp_row http_row = {
    CK_HTTP, REQ_HTTP, FIND_HTTP_SYN_UNANSWERED, FIND_HTTP_REFUSED, FIND_HTTP_BLOCKED_ICMP, "HTTP"};
static const struct tcp_row https_row = {
    CK_HTTPS, REQ_HTTPS, FIND_HTTPS_SYN_UNANSWERED, FIND_HTTPS_REFUSED, FIND_HTTPS_BLOCKED_ICMP,
    "HTTPS"};

/* The name of an ICMP destination-unreachable code, or "". */
static const char *
icmp_words(uint8_t family, uint8_t type, uint8_t code)
{
    if (family == 4 && type == 3)
        switch (code) {
        case 1:
            return " (host unreachable)";
        case 3:
            return " (port unreachable)";
        case 9:
        case 10:
        case 13:
            return " (administratively prohibited)";
        default:
            return "";
        }
    if (family == 6 && type == 1)
        switch (code) {
        case 1:
            return " (administratively prohibited)";
        case 3:
            return " (address unreachable)";
        case 4:
            return " (port unreachable)";
        default:
            return "";
        }
    return "";
}

struct tcp_visit {
    const struct tcp_row *row;
    struct check_emit *e;
};

/* checks_each visitor: the findings of one destination. */
static void
tcp_dest_findings(void *ctx, const struct check_key *k, const struct check_dest *d)
{
    struct tcp_visit *v = ctx;
    const struct tcp_row *row = v->row;
    struct check_emit *e = v->e;
    char dst[96], a[48], from[48];
    if (k)
        snprintf(dst, sizeof(dst), "%s%s%s:%u", k->addr.family == 6 ? "[" : "",
                 checks_addr(&k->addr, a, sizeof(a)), k->addr.family == 6 ? "]" : "", k->port);
    else
        snprintf(dst, sizeof(dst), "%u other servers (beyond the table)", d->servers);
    const char *name = d->name[0] ? d->name : NULL;
    struct finding *f;
    if (d->n[OUT_SYN_UNANSWERED]) {
        f = check_emit(
            e, CHECK_STREAMED_SYN, row->syn_unanswered, &d->first_fail, &d->last_fail,
            "%u connection%s to %s%s%s%s sent %llu SYN%s without any SYN-ACK: dropped on the way",
            d->n[OUT_SYN_UNANSWERED], checks_plural(d->n[OUT_SYN_UNANSWERED]), dst,
            name ? " (" : "", name ? name : "", name ? ")" : "",
            (unsigned long long)d->syns_unanswered, checks_plural(d->syns_unanswered));
        if (f)
            f->count = d->n[OUT_SYN_UNANSWERED];
    }
    if (d->n[OUT_REFUSED]) {
        f = check_emit(e, CHECK_STREAMED_REFUSED, row->refused, &d->first_fail, &d->last_fail,
                       "%u connection%s to %s refused with a RST from the server's side "
                       "before the handshake completed",
                       d->n[OUT_REFUSED], checks_plural(d->n[OUT_REFUSED]), dst);
        if (f)
            f->count = d->n[OUT_REFUSED];
    }
    if (d->n[OUT_ICMP]) {
        f = check_emit(e, CHECK_STREAMED_ICMP, row->blocked_icmp, &d->first_fail, &d->last_fail,
                       "%u connection%s to %s answered by ICMP%s type %u code %u%s from %s",
                       d->n[OUT_ICMP], checks_plural(d->n[OUT_ICMP]), dst,
                       d->icmp_from.family == 6 ? "v6" : "", d->icmp_type, d->icmp_code,
                       icmp_words(d->icmp_from.family, d->icmp_type, d->icmp_code),
                       checks_addr(&d->icmp_from, from, sizeof(from)));
        if (f)
            f->count = d->n[OUT_ICMP];
    }
}

void
check_tcp_dest(struct check_emit *e, const struct check_key *k, const struct check_dest *d)
{
    struct tcp_visit v = {k->kind == CK_HTTPS ? &https_row : &http_row, e};
    tcp_dest_findings(&v, k, d);
}

/* Findings per destination, then the row: observed when any connection was attempted. */
static void
tcp_row_finish(const struct checks *c, struct result *r, const struct tcp_row *row, uint16_t port)
{
    struct requirement_row *out = &r->requirements[row->req];
    struct check_dest sum;
    struct check_emit e = {.r = r};
    struct tcp_visit v = {row, &e};
    checks_each(c, row->kind, tcp_dest_findings, &v);
    checks_total(c, row->kind, &sum);
    out->checked = true;
    out->observed = sum.flows > 0;
    if (!sum.flows) {
        snprintf(out->evidence, sizeof(out->evidence), "no %s traffic (TCP %u) in the capture",
                 row->label, port);
        return;
    }
    uint32_t failed = sum.n[OUT_SYN_UNANSWERED] + sum.n[OUT_REFUSED] + sum.n[OUT_ICMP];
    char eg[96] = "", frames[64];
    if (sum.name[0])
        snprintf(eg, sizeof(eg), " (e.g. %s)", sum.name);
    if (failed) {
        snprintf(out->evidence, sizeof(out->evidence),
                 "%u of %u connection%s to TCP %u failed (%u SYN unanswered, %u refused, %u "
                 "ICMP-blocked), %u established%s; first failure in %s",
                 failed, sum.flows, checks_plural(sum.flows), port, sum.n[OUT_SYN_UNANSWERED],
                 sum.n[OUT_REFUSED], sum.n[OUT_ICMP], sum.n[OUT_OK], eg,
                 checks_frames(&sum.first_fail, NULL, frames, sizeof(frames)));
    } else if (sum.n[OUT_OK]) {
        snprintf(out->evidence, sizeof(out->evidence),
                 "%u connection%s to %u server%s on TCP %u established%s, first in %s",
                 sum.n[OUT_OK], checks_plural(sum.n[OUT_OK]), sum.servers,
                 checks_plural(sum.servers), port, eg,
                 checks_frames(&sum.first_ok, NULL, frames, sizeof(frames)));
    } else {
        /* only SYNs cut by the end of the capture: seen, but nothing to judge */
        out->observed = false;
        snprintf(out->evidence, sizeof(out->evidence),
                 "%u connection attempt%s to TCP %u still unanswered when the capture ended",
                 sum.n[OUT_PENDING], checks_plural(sum.n[OUT_PENDING]), port);
    }
}

void
check_http_finish(const struct checks *c, struct result *r)
{
    tcp_row_finish(c, r, &http_row, c->profile->http_port);
}

void
check_https_finish(const struct checks *c, struct result *r)
{
    tcp_row_finish(c, r, &https_row, c->profile->https_port);
}
