/* sip_finish.c — end of a SIP (RFC 3261) analysis: close live state, findings, requirement row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../result.h"
#include "sip_internal.h"
#include "sip_track.h"

static struct evidence_ref
ev_of(const struct sip_ref *s)
{
    return (struct evidence_ref){s->frame, s->file, s->ts_ns};
}

static void
emit_pending(struct result *r, enum finding_code code, const struct sip_pending *list, uint32_t n,
             uint64_t total)
{
    for (uint32_t i = 0; i < n; i++) {
        struct evidence_ref a = ev_of(&list[i].first), b = ev_of(&list[i].last);
        result_add_finding(r, code, &a, &b, "%s", list[i].text);
    }
    r->suppressed[code] += total - n;
}

static void
emit_events(struct result *r, enum finding_code code, const struct sip_event *ev, uint32_t n,
            uint64_t total, const char *what)
{
    for (uint32_t i = 0; i < n; i++) {
        struct evidence_ref a = ev_of(&ev[i].at);
        result_add_finding(r, code, &a, &a, "%s in frame %llu: %s", what,
                           (unsigned long long)ev[i].at.frame, ev[i].reason);
    }
    r->suppressed[code] += total - n;
}

/* The sip.registration_failed finding of g into *f (not stored). */
static void
reg_failure_finding(const struct sip_registration *g, struct finding *f)
{
    char cl[64], rg[64], codes[96] = "", expired[96] = "";
    struct evidence_ref a = ev_of(&g->first), b = ev_of(&g->last);
    sip_endpoint_text(&g->client, cl, sizeof cl);
    sip_endpoint_text(&g->registrar, rg, sizeof rg);
    size_t off = 0;
    for (uint8_t k = 0; k < g->n_failcodes && off < sizeof codes; k++) {
        int n = snprintf(codes + off, sizeof codes - off, "%s%u x%u", k ? ", " : "; ",
                         (unsigned)g->failcodes[k].code, (unsigned)g->failcodes[k].count);
        if (n < 0)
            break;
        off += (size_t)n;
    }
    if (g->expired_ns)
        snprintf(expired, sizeof expired,
                 "; the binding granted in frame %llu for %u s ran out with no refresh",
                 (unsigned long long)g->last_success.frame, g->expires);
    result_finding_set(f, FIND_SIP_REGISTRATION_FAILED, &a, &b,
                       "REGISTER of %s from %s to %s: %u attempt(s), %u success(es), "
                       "%u challenge(s), %u failure(s), %u unanswered%s%s",
                       g->aor, cl, rg, g->attempts, g->successes, g->challenges, g->failures,
                       g->unanswered, codes, expired);
    /* an error response is proof; silence, a lone challenge or a missing refresh is absence */
    f->from_absence = !(g->failures && !g->last_ok && g->last_failure_response && !g->expired_ns);
}

bool
sip_reg_stream_failure(struct result *r, const struct sip_registration *g)
{
    struct finding f;
    reg_failure_finding(g, &f);
    return result_stream_finding(r, &f);
}

void
sip_tracker_settle(struct sip_tracker *t, struct result *r, int64_t now_ns)
{
    if (result_streaming(r))
        sip_reg_settle(t, r, now_ns);
}

static void
emit_registrations(struct result *r, const struct sip_result *s)
{
    char cl[64];
    for (uint32_t i = 0; i < s->n_regs; i++) {
        const struct sip_registration *g = &s->regs[i];
        struct evidence_ref a = ev_of(&g->first), b = ev_of(&g->last);
        sip_endpoint_text(&g->client, cl, sizeof cl);
        if (sip_reg_failed(g)) {
            struct finding want;
            reg_failure_finding(g, &want);
            struct finding *f =
                result_add_finding(r, want.code, &want.first, &want.last, "%s", want.summary);
            if (f)
                f->from_absence = want.from_absence;
        }
        if (g->flaps || g->public_changes >= 2)
            result_add_finding(r, FIND_SIP_REGISTRATION_FLAPPING, &a, &b,
                               "registration of %s from %s: %u recovery(ies) after failure, "
                               "public address changed %u time(s)",
                               g->aor, cl, g->flaps, g->public_changes);
    }
}

static int
call_cmp(const void *pa, const void *pb)
{
    const struct sip_call *a = *(struct sip_call *const *)pa, *b = *(struct sip_call *const *)pb;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int
reg_cmp(const void *pa, const void *pb)
{
    const struct sip_registration *a = pa, *b = pb;
    if (a->first.ts_ns != b->first.ts_ns)
        return a->first.ts_ns < b->first.ts_ns ? -1 : 1;
    return a->first.frame < b->first.frame ? -1 : a->first.frame > b->first.frame;
}

static void
requirement_row(struct result *r, const struct sip_result *s)
{
    struct requirement_row *row = &r->requirements[REQ_SIP];
    row->checked = true;
    row->observed = s->messages > 0 || s->tls_total > 0;
    if (!row->observed)
        return;
    uint32_t answered = 0, reg_ok = 0;
    for (uint32_t i = 0; i < s->n_calls; i++)
        answered += s->calls[i]->outcome == SIP_CALL_ANSWERED;
    for (uint32_t i = 0; i < s->n_regs; i++)
        reg_ok += s->regs[i].successes > 0;
    snprintf(row->evidence, sizeof row->evidence,
             "%llu SIP message(s) (%llu UDP, %llu TCP); %llu call(s), %u answered; %u "
             "registration(s), %u successful; %llu of %llu transaction(s) without any response; "
             "%llu SIP-TLS flow(s)",
             (unsigned long long)s->messages, (unsigned long long)s->udp_messages,
             (unsigned long long)s->tcp_messages, (unsigned long long)s->calls_total, answered,
             s->n_regs, reg_ok, (unsigned long long)s->unanswered_count,
             (unsigned long long)s->transactions, (unsigned long long)s->tls_total);
}

void
sip_tracker_finish(struct sip_tracker *t, struct result *r)
{
    sip_txn_expire(t, t->now_ns, true);
    sip_call_expire(t, t->now_ns, true);
    /* the bindings' Expires are judged at the capture's end, as live judges them by now */
    sip_reg_expire(t, r->last_ns > t->now_ns ? r->last_ns : t->now_ns, true);
    struct sip_result *s = t->res;
    if (s->n_calls)
        qsort(s->calls, s->n_calls, sizeof(*s->calls), call_cmp);
    if (s->n_regs)
        qsort(s->regs, s->n_regs, sizeof(*s->regs), reg_cmp);
    emit_pending(r, FIND_SIP_NO_RESPONSE, t->noresp, t->n_noresp, t->noresp_total);
    emit_registrations(r, s);
    emit_events(r, FIND_SIP_MALFORMED, s->malformed_ev, s->n_malformed_ev, s->malformed,
                "malformed SIP message");
    emit_events(r, FIND_SIP_CONTENT_LENGTH_MISMATCH, s->cl_ev, s->n_cl_ev, s->cl_mismatch,
                "SIP message");
    emit_pending(r, FIND_SIP_PORT_OUTSIDE_PROFILE, t->port, t->n_port, t->port_total);
    emit_pending(r, FIND_SIP_ICMP_UNREACHABLE, t->icmp, t->n_icmp, t->icmp_total);
    requirement_row(r, s);
    sip_result_free(r->sip);
    r->sip = s;
    t->res = NULL;
}
