/* text.c — the text report a support engineer reads first. */
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "format.h"
#include "text_alg.h"
#include "text_keepalive.h"
#include "text_rtp.h"
#include "text_sip.h"

static const char *
verdict_color(enum verdict v, bool color)
{
    if (!color)
        return "";
    switch (v) {
    case VERDICT_PASS:
        return "\033[32m";
    case VERDICT_WARN:
        return "\033[33m";
    case VERDICT_FAIL:
        return "\033[31;1m";
    default:
        return "\033[2m";
    }
}

static void
text_requirements(const struct result *r, const struct text_opts *o, FILE *out)
{
    fprintf(out, "Requirements\n");
    for (int i = 0; i < REQ__COUNT; i++) {
        const struct requirement_row *row = &r->requirements[i];
        const char *name = row->verdict == VERDICT_NOT_OBSERVED ? "NOT OBSERVED"
                                                                 : verdict_name(row->verdict);
        fprintf(out, "  %-9s %s%-12s%s  %s\n", requirement_name(row->id),
                verdict_color(row->verdict, o->color), name, o->color ? "\033[0m" : "",
                row->evidence);
        if (row->remedy)
            fprintf(out, "  %-9s %-12s  fix: %s\n", "", "", row->remedy);
    }
}

static void
text_ref(const struct result *r, const struct evidence_ref *e, char *buf, size_t len)
{
    if (!e->frame) {
        snprintf(buf, len, "-");
        return;
    }
    if (r->n_inputs > 1)
        snprintf(buf, len, "%s#%llu", r->inputs[e->file].name, (unsigned long long)e->frame);
    else
        snprintf(buf, len, "%llu", (unsigned long long)e->frame);
}

static void
text_findings(const struct result *r, FILE *out)
{
    fprintf(out, "\nFindings (%zu)\n", r->n_findings);
    if (!r->n_findings)
        fprintf(out, "  none\n");
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct finding *f = &r->findings[i];
        const struct finding_kind *k = catalog_get(f->code);
        char a[300], b[300], t[48];
        fprintf(out, "  %-4s  %-8s %s  %s\n", severity_name(k->severity),
                k->requirement == REQ_NONE ? "-" : requirement_name(k->requirement), k->name,
                f->summary);
        if (f->first.frame) {
            text_ref(r, &f->first, a, sizeof(a));
            text_ref(r, &f->last, b, sizeof(b));
            fprintf(out, "        frames %s → %s, %s\n", a, b,
                    format_time_text(f->first.ts_ns, t, sizeof(t)));
        }
        if (f->confidence != CONF_HIGH)
            fprintf(out, "        %s confidence: %s\n", confidence_name(f->confidence),
                    f->confidence_note);
    }
    for (int c = 0; c < FIND__COUNT; c++)
        if (r->suppressed[c])
            fprintf(out, "  … and %llu more %s\n", (unsigned long long)r->suppressed[c],
                    catalog_get((enum finding_code)c)->name);
}

static void
text_captures(const struct result *r, FILE *out)
{
    char t1[48], t2[48];
    fprintf(out, "\nCapture\n");
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct source_input *in = &r->inputs[i];
        fprintf(out, "  %s  %s%s  %llu frames%s\n", in->name, in->link_type,
                in->gzip ? " (gzip)" : "", (unsigned long long)in->packets,
                in->truncated ? "  TRUNCATED" : "");
    }
    if (r->packets)
        fprintf(out, "  %llu frames, %llu bytes, %s → %s (%.6f s)\n",
                (unsigned long long)r->packets, (unsigned long long)r->bytes,
                format_time_text(r->first_ns, t1, sizeof(t1)),
                format_time_text(r->last_ns, t2, sizeof(t2)),
                (double)(r->last_ns - r->first_ns) / 1e9);
    else
        fprintf(out, "  no frames\n");
    if (r->live.valid)
        fprintf(out, "  live: %llu received, %llu dropped by the kernel, %llu by the interface\n",
                (unsigned long long)r->live.received, (unsigned long long)r->live.dropped,
                (unsigned long long)r->live.if_dropped);
}

static void
text_flow(const struct result *r, const struct flow_record *f, FILE *out)
{
    char s[96], d[96], p[16], a[300], app[80];
    int ports = f->proto == 6 || f->proto == 17;
    text_ref(r, &f->first, a, sizeof(a));
    snprintf(app, sizeof(app), "%s%s", f->app, f->app_guessed ? "?" : "");
    fprintf(out, "  %-8s %-6s %-24s → %-24s %-14s %6llu/%-6llu %9llu/%-9llu", a,
            format_proto(f->proto, p, sizeof(p)),
            format_endpoint(&f->src, f->sport, ports, s, sizeof(s)),
            format_endpoint(&f->dst, f->dport, ports, d, sizeof(d)), app,
            (unsigned long long)f->packets_fwd, (unsigned long long)f->packets_rev,
            (unsigned long long)f->bytes_fwd, (unsigned long long)f->bytes_rev);
    if (f->proto == 6)
        fprintf(out, " %s", format_tcp_outcome(f));
    if (f->server_name[0])
        fprintf(out, " [%s]", f->server_name);
    if (f->icmp_errors)
        fprintf(out, " icmp %u/%u ×%u", f->icmp_type, f->icmp_code, f->icmp_errors);
    fputc('\n', out);
}

static void
text_flows(const struct result *r, const struct text_opts *o, FILE *out)
{
    fprintf(out, "\nFlows (%llu", (unsigned long long)r->flow_stats.created);
    if (r->flow_stats.evicted)
        fprintf(out, ", %llu evicted early", (unsigned long long)r->flow_stats.evicted);
    fprintf(out, ")\n");
    if (!r->n_flows)
        return;
    fprintf(out, "  %-8s %-6s %-24s   %-24s %-14s %13s %19s\n", "frame", "proto", "initiator",
            "responder", "app", "packets →/←", "bytes →/←");
    size_t n = r->n_flows < o->max_flows ? r->n_flows : o->max_flows;
    for (size_t i = 0; i < n; i++)
        text_flow(r, &r->flows[i], out);
    uint64_t more = r->n_flows - n + r->flows_unlisted;
    if (more)
        fprintf(out, "  … %llu more flows (--json lists them all)\n", (unsigned long long)more);
}

static void
text_decode(const struct result *r, FILE *out)
{
    fprintf(out, "\nDecoding\n");
    fprintf(out, "  non-IP frames %llu, snaplen-cut frames %llu\n",
            (unsigned long long)r->non_ip, (unsigned long long)r->snaplen_cut);
    for (int a = 1; a < ANOM__COUNT; a++) {
        const struct anomaly_count *c = &r->anomalies[a];
        if (c->count)
            fprintf(out, "  %-28s %6llu  first frame %llu\n",
                    dissect_anomaly_name((enum anomaly)a), (unsigned long long)c->count,
                    (unsigned long long)c->first.frame);
    }
    if (r->frag.fragments)
        fprintf(out, "  IP fragments %llu → %llu datagrams rebuilt\n",
                (unsigned long long)r->frag.fragments, (unsigned long long)r->frag.reassembled);
    if (r->tcp.segments)
        fprintf(out,
                "  TCP %llu segments, %llu retransmitted, %llu out of order, %llu gaps "
                "(%llu bytes), %llu bytes ACKed but never captured\n",
                (unsigned long long)r->tcp.segments, (unsigned long long)r->tcp.retransmissions,
                (unsigned long long)r->tcp.out_of_order, (unsigned long long)r->tcp.gaps,
                (unsigned long long)r->tcp.gap_bytes, (unsigned long long)r->tcp_acked_unseen);
}

int
report_text_write(const struct result *r, const struct text_opts *o, FILE *out, char *err,
                  size_t errlen)
{
    text_requirements(r, o, out);
    if (!o->quiet) {
        text_findings(r, out);
        report_text_sip(r, o, out);
        report_text_alg(r, o, out);
        report_text_keepalive(r, o, out);
        report_text_rtp(r, o, out);
        text_captures(r, out);
        text_flows(r, o, out);
        text_decode(r, out);
    }
    if (fflush(out) == EOF || ferror(out)) {
        snprintf(err, errlen, "cannot write the report: %s", strerror(errno));
        return -1;
    }
    return 0;
}
