/* text_sip.c — SIP (RFC 3261) text sections: call list and ladders (as sngrep's call list and flow
 * view), registrations, pings, keep-alives, SIP-TLS flows. */
#include "text_sip.h"

#include <string.h>

#include "../../dissectors/sip.h"
#include "format.h"

#define LADDER_COL 30   /* characters between two endpoint columns */
#define LADDER_MAX_EP 4 /* endpoint columns drawn; arrows to others go to the last */

static char *
ep_text(const struct sip_endpoint *e, char *buf, size_t len)
{
    return format_endpoint(&e->ip, e->port, 1, buf, len);
}

static void
text_counts(const struct sip_result *s, FILE *out)
{
    fprintf(out, "\nSIP (%llu messages: %llu requests, %llu responses; %llu UDP, %llu TCP)\n",
            (unsigned long long)s->messages, (unsigned long long)s->requests_total,
            (unsigned long long)s->responses_total, (unsigned long long)s->udp_messages,
            (unsigned long long)s->tcp_messages);
    fprintf(out, "  requests: ");
    const char *sep = "";
    for (int m = SIP_REQ_INVITE; m <= SIP_REQ_PUBLISH; m++)
        if (s->req_count[m]) {
            fprintf(out, "%s%s %llu", sep, sip_req_name((enum sip_req)m),
                    (unsigned long long)s->req_count[m]);
            sep = ", ";
        }
    for (uint8_t i = 0; i < s->n_other; i++) {
        fprintf(out, "%s%s %llu", sep, s->other[i].name, (unsigned long long)s->other[i].count);
        sep = ", ";
    }
    fprintf(out, "%s\n  responses: ", *sep ? "" : "none");
    sep = "";
    for (int c = 100; c < 700; c++)
        if (s->resp_count[c]) {
            fprintf(out, "%s%d %llu", sep, c, (unsigned long long)s->resp_count[c]);
            sep = ", ";
        }
    fprintf(out, "%s\n", *sep ? "" : "none");
    fprintf(out,
            "  transactions %llu: %llu answered, %llu without any response, %llu pending at the "
            "end; %llu request and %llu response retransmissions\n",
            (unsigned long long)s->transactions, (unsigned long long)s->answered,
            (unsigned long long)s->unanswered_count, (unsigned long long)s->pending_at_end,
            (unsigned long long)s->request_retransmissions,
            (unsigned long long)s->response_retransmissions);
    for (uint32_t i = 0; i < s->n_unanswered; i++) {
        const struct sip_unanswered *u = &s->unanswered[i];
        char a[64], b[64];
        fprintf(out, "    no response: %s %s -> %s, frames %llu-%llu, %u retransmission(s)\n",
                u->method, ep_text(&u->src, a, sizeof a), ep_text(&u->dst, b, sizeof b),
                (unsigned long long)u->first.frame, (unsigned long long)u->last.frame,
                u->retransmissions);
    }
    if (s->options || s->notify)
        fprintf(out, "  pings: OPTIONS %llu (%llu answered), NOTIFY %llu (%llu answered)\n",
                (unsigned long long)s->options, (unsigned long long)s->options_answered,
                (unsigned long long)s->notify, (unsigned long long)s->notify_answered);
    if (s->malformed || s->cl_mismatch)
        fprintf(out, "  malformed %llu, Content-Length mismatches %llu\n",
                (unsigned long long)s->malformed, (unsigned long long)s->cl_mismatch);
}

static void
text_calls(const struct result *r, const struct sip_result *s, FILE *out)
{
    if (!s->n_calls)
        return;
    fprintf(out, "\nCalls (%llu)\n", (unsigned long long)s->calls_total);
    fprintf(out, "  %3s  %-28s %-28s %-15s %-21s %9s %5s\n", "#", "From", "To", "Start", "State",
            "Duration", "Msgs");
    for (uint32_t i = 0; i < s->n_calls; i++) {
        const struct sip_call *c = s->calls[i];
        const struct sip_ref *start =
            c->invite.frame || !c->n_ladder ? &c->invite : &c->ladder[0].at;
        char state[32], dur[16] = "-";
        double t = (double)(start->ts_ns - r->first_ns) / 1e9;
        if (c->final_code && c->outcome != SIP_CALL_ANSWERED)
            snprintf(state, sizeof state, "%s %u", sip_call_outcome_name(c->outcome),
                     (unsigned)c->final_code);
        else
            snprintf(state, sizeof state, "%s", sip_call_outcome_name(c->outcome));
        if (c->answer.frame)
            snprintf(dur, sizeof dur, "%.3f",
                     (double)((c->bye.frame ? c->bye.ts_ns : c->last.ts_ns) - c->answer.ts_ns) /
                         1e9);
        fprintf(out, "  %3u  %-28.28s %-28.28s %15.6f %-21s %9s %5u\n", c->index, c->from_uri,
                c->to_uri, t, state, dur, c->messages);
    }
    if (s->calls_unlisted)
        fprintf(out, "  … %llu more calls not listed\n", (unsigned long long)s->calls_unlisted);
}

static int
ep_column(struct sip_endpoint *cols, int *n, const struct sip_endpoint *e)
{
    for (int i = 0; i < *n; i++)
        if (memcmp(&cols[i].ip, &e->ip, sizeof e->ip) == 0 && cols[i].port == e->port)
            return i;
    if (*n < LADDER_MAX_EP) {
        cols[*n] = *e;
        return (*n)++;
    }
    return LADDER_MAX_EP - 1;
}

static void
text_ladder(const struct sip_call *c, FILE *out)
{
    struct sip_endpoint cols[LADDER_MAX_EP];
    int n = 0;
    for (uint16_t i = 0; i < c->n_ladder; i++) {
        ep_column(cols, &n, &c->ladder[i].src);
        ep_column(cols, &n, &c->ladder[i].dst);
    }
    char a[64];
    fprintf(out, "\n  Call %u  %s\n  %12s", c->index, c->call_id, "");
    for (int i = 0; i < n; i++)
        fprintf(out, "%-*s", LADDER_COL, ep_text(&cols[i], a, sizeof a));
    fputc('\n', out);
    int64_t t0 = c->n_ladder ? c->ladder[0].at.ts_ns : 0;
    for (uint16_t i = 0; i < c->n_ladder; i++) {
        const struct sip_ladder_entry *e = &c->ladder[i];
        int from = ep_column(cols, &n, &e->src), to = ep_column(cols, &n, &e->dst);
        int lo = from < to ? from : to, hi = from < to ? to : from;
        char line[LADDER_COL * LADDER_MAX_EP + 1];
        int width = (hi - lo) * LADDER_COL;
        if (width < LADDER_COL)
            width = LADDER_COL;
        memset(line, '-', (size_t)width);
        line[width] = 0;
        char label[40];
        snprintf(label, sizeof label, " %s%s ", e->label, e->retransmission ? " (re)" : "");
        size_t ll = strlen(label);
        if ((int)ll < width - 2)
            memcpy(line + (width - (int)ll) / 2, label, ll);
        if (from <= to)
            line[width - 1] = '>';
        else
            line[0] = '<';
        fprintf(out, "  %+11.3f %*s%s  frame %llu\n", (double)(e->at.ts_ns - t0) / 1e9,
                lo * LADDER_COL, "", line, (unsigned long long)e->at.frame);
    }
    if (c->ladder_unlisted)
        fprintf(out, "  … %u more messages not drawn\n", c->ladder_unlisted);
}

static void
text_regs(const struct sip_result *s, FILE *out)
{
    if (!s->n_regs)
        return;
    fprintf(out, "\nRegistrations (%u)\n", s->n_regs);
    for (uint32_t i = 0; i < s->n_regs; i++) {
        const struct sip_registration *g = &s->regs[i];
        char a[64], b[64];
        fprintf(out, "  %s contact %s  %s -> %s\n", g->aor, g->contact[0] ? g->contact : "-",
                ep_text(&g->client, a, sizeof a), ep_text(&g->registrar, b, sizeof b));
        fprintf(out,
                "    %u attempt(s), %u retransmission(s), %u challenge(s), %u success(es), %u "
                "failure(s), %u unanswered",
                g->attempts, g->retransmissions, g->challenges, g->successes, g->failures,
                g->unanswered);
        for (uint8_t k = 0; k < g->n_failcodes; k++)
            fprintf(out, "%s%u x%u", k ? ", " : "; codes ", g->failcodes[k].code,
                    g->failcodes[k].count);
        fputc('\n', out);
        if (g->has_expires || g->refreshes)
            fprintf(out, "    expires granted %s%u s; refreshed %u time(s), every %.1f-%.1f s\n",
                    g->has_expires ? "" : "? ", g->expires, g->refreshes, g->refresh_min_s,
                    g->refresh_max_s);
        for (uint8_t k = 0; k < g->n_public; k++)
            fprintf(out, "    public address %s (frame %llu)\n", g->public_addr[k].addr,
                    (unsigned long long)g->public_addr[k].at.frame);
    }
}

static void
text_keepalives(const struct sip_result *s, FILE *out)
{
    if (!s->n_bindings && !s->n_tls)
        return;
    char a[64], b[64];
    for (uint32_t i = 0; i < s->n_bindings; i++) {
        const struct sip_keepalive_binding *k = &s->bindings[i];
        fprintf(out,
                "  keep-alives %s -> %s (%s): %llu, intervals %.1f/%.1f/%.1f s "
                "(min/median/max)\n",
                ep_text(&k->src, a, sizeof a), ep_text(&k->dst, b, sizeof b),
                k->tcp ? "TCP" : "UDP", (unsigned long long)k->count, k->min_s, k->median_s,
                k->max_s);
    }
    for (uint32_t i = 0; i < s->n_tls; i++) {
        const struct sip_tls_flow *x = &s->tls[i];
        fprintf(out, "  SIP-TLS %s -> %s: %s, %llu packets\n", ep_text(&x->client, a, sizeof a),
                ep_text(&x->server, b, sizeof b),
                x->established ? (x->reset ? "connected, reset" : "connected")
                               : (x->reset ? "refused (reset)" : "no handshake"),
                (unsigned long long)x->packets);
    }
}

void
report_text_sip(const struct result *r, const struct text_opts *o, FILE *out)
{
    const struct sip_result *s = r->sip;
    if (!s || (!s->messages && !s->n_bindings && !s->n_tls))
        return;
    text_counts(s, out);
    text_keepalives(s, out);
    text_calls(r, s, out);
    if (o->ladder)
        for (uint32_t i = 0; i < s->n_calls; i++)
            text_ladder(s->calls[i], out);
    text_regs(s, out);
}
