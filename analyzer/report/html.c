/* html.c — the HTML report a support engineer hands over: one file, no scripts, no fetches. */
#include "html.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "format.h"
#include "html_esc.h"
#include "html_svg.h"

#define HTML_CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

static const char html_css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1d2330;background:#f6f7f9;margin:0;padding:24px 32px;max-width:1240px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;"
    "border-bottom:2px solid #d9dde4}h3{font-size:14px;margin:18px 0 6px}"
    "table{border-collapse:collapse;background:#fff;margin:6px 0 10px;width:100%}"
    "th,td{border:1px solid #dde1e8;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#eef1f5;font-weight:600}td.num{text-align:right;font-variant-numeric:"
    "tabular-nums}code{font:12px/1.3 ui-monospace,'DejaVu Sans Mono',monospace;"
    "overflow-wrap:anywhere}.sub{color:#5b6475;margin:0 0 12px}.dim{color:#7a8394}"
    ".v{font-weight:700;white-space:nowrap;border-radius:3px;padding:1px 6px}"
    ".PASS{background:#dff3e4;color:#17692e}.FAIL{background:#fde2e1;color:#a4161a}"
    ".WARN{background:#fff1cc;color:#8a5a00}.NOT_OBSERVED{background:#eceef2;color:#5b6475}"
    ".fail{color:#a4161a;font-weight:600}.warn{color:#8a5a00;font-weight:600}"
    ".info{color:#5b6475}.card{background:#fff;border:1px solid #dde1e8;border-radius:4px;"
    "padding:8px 12px;margin:10px 0;overflow-x:auto}svg text{font:11px 'DejaVu Sans',sans-serif;"
    "fill:#1d2330}svg .lane{font-weight:600;text-anchor:middle}svg .life{stroke:#9aa3b2;"
    "stroke-dasharray:4 3}svg .msg{stroke:#2b5fad;stroke-width:1.6;fill:#2b5fad}"
    "svg .rtx{stroke:#9aa3b2;fill:#9aa3b2;stroke-dasharray:5 3}svg .rew{stroke:#c2410c;"
    "fill:#c2410c;stroke-width:2}svg .hl{fill:#ffedd5}svg .lbl{text-anchor:middle}"
    "svg .rewl{fill:#c2410c;font-weight:600}svg .t{fill:#5b6475}svg .fr{fill:#9aa3b2;"
    "font-size:9px}svg .track{fill:#eef1f5}svg .obs{fill:#86c79a}svg .gap{fill:#dc2626}"
    "svg .tick{stroke:#1d2330;stroke-opacity:.35}svg .rebind{stroke:#7c3aed;stroke-width:2}"
    "svg .rebl{fill:#7c3aed}svg.bar{vertical-align:middle}td.rew code{color:#c2410c;"
    "font-weight:600}.legend span{margin-right:14px}.sw{display:inline-block;width:12px;"
    "height:12px;vertical-align:middle;margin-right:4px}";

static void
td(FILE *f, const char *cls, const char *s)
{
    fputs(cls ? "<td class=\"" : "<td", f);
    if (cls) {
        html_esc(f, cls);
        fputc('"', f);
    }
    fputc('>', f);
    html_esc(f, s);
    fputs("</td>", f);
}

static void
td_u64(FILE *f, uint64_t v)
{
    fputs("<td class=\"num\">", f);
    html_escf(f, "%llu", (unsigned long long)v);
    fputs("</td>", f);
}

static void
html_head(FILE *f, const struct result *r)
{
    char a[48], b[48];
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"",
          f);
    html_esc(f, HTML_CSP);
    fputs("\">\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>voipdiag: ", f);
    html_esc(f, r->n_inputs ? r->inputs[0].name : "report");
    fprintf(f,
            "</title>\n<style>%s</style>\n</head><body>\n<h1>voipdiag report</h1>\n"
            "<p class=\"sub\">",
            html_css);
    for (size_t i = 0; i < r->n_inputs; i++) {
        fputs(i ? ", <code>" : "<code>", f);
        html_esc(f, r->inputs[i].name);
        fputs("</code>", f);
    }
    html_escf(f, " \xe2\x80\x94 %llu packets", (unsigned long long)r->packets);
    if (r->packets)
        html_escf(f, ", %s \xe2\x86\x92 %s", format_time_text(r->first_ns, a, sizeof(a)),
                  format_time_text(r->last_ns, b, sizeof(b)));
    fputs("</p>\n", f);
}

static void
html_verdicts(FILE *f, const struct result *r)
{
    fputs("<h2>Verdict</h2>\n<table id=\"verdicts\"><tr><th>requirement</th><th>verdict</th>"
          "<th>evidence</th><th>remedy</th></tr>\n",
          f);
    for (int i = 0; i < REQ__COUNT; i++) {
        const struct requirement_row *row = &r->requirements[i];
        fputs("<tr>", f);
        td(f, NULL, requirement_name(row->id));
        fputs("<td><span class=\"v ", f);
        html_esc(f, verdict_name(row->verdict));
        fputs("\">", f);
        html_esc(f, row->verdict == VERDICT_NOT_OBSERVED ? "NOT OBSERVED"
                                                         : verdict_name(row->verdict));
        fputs("</span></td>", f);
        td(f, NULL, row->evidence);
        td(f, NULL, row->remedy ? row->remedy : "");
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void
html_findings(FILE *f, const struct result *r)
{
    char t[48];
    fputs("<h2 id=\"findings\">", f);
    html_escf(f, "Findings (%zu)", r->n_findings);
    fputs("</h2>\n", f);
    if (!r->n_findings) {
        fputs("<p class=\"dim\">none</p>\n", f);
        return;
    }
    fputs("<table><tr><th>severity</th><th>requirement</th><th>finding</th><th>summary</th>"
          "<th>evidence frames</th><th>first seen</th></tr>\n",
          f);
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct finding *fd = &r->findings[i];
        const struct finding_kind *k = catalog_get(fd->code);
        fputs("<tr>", f);
        td(f, severity_name(k->severity), severity_name(k->severity));
        td(f, NULL, k->requirement == REQ_NONE ? "-" : requirement_name(k->requirement));
        fputs("<td><code>", f);
        html_esc(f, k->name);
        fputs("</code></td>", f);
        fputs("<td>", f);
        html_esc(f, fd->summary);
        if (fd->confidence != CONF_HIGH) {
            /* lowered by capture loss (result_finish): say so beside the claim */
            fputs("<br><span class=\"dim\">", f);
            html_escf(f, "%s confidence: %s", confidence_name(fd->confidence),
                      fd->confidence_note);
            fputs("</span>", f);
        }
        fputs("</td><td>", f);
        html_ref(f, r, fd->first.frame, fd->first.file);
        if (fd->last.frame &&
            (fd->last.frame != fd->first.frame || fd->last.file != fd->first.file)) {
            html_esc(f, " \xe2\x86\x92 ");
            html_ref(f, r, fd->last.frame, fd->last.file);
        }
        fputs("</td>", f);
        td(f, NULL, fd->first.frame ? format_time_text(fd->first.ts_ns, t, sizeof(t)) : "-");
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    for (int c = 0; c < FIND__COUNT; c++)
        if (r->suppressed[c]) {
            fputs("<p class=\"dim\">", f);
            html_escf(f, "%s: %llu more not listed", catalog_get((enum finding_code)c)->name,
                      (unsigned long long)r->suppressed[c]);
            fputs("</p>\n", f);
        }
}

static void
html_calls(FILE *f, const struct result *r)
{
    const struct sip_result *s = r->sip;
    fputs("<h2 id=\"calls\">SIP calls</h2>\n", f);
    if (!s || !s->n_calls) {
        fputs("<p class=\"dim\">no calls</p>\n", f);
        return;
    }
    fputs("<p class=\"legend\"><span><i class=\"sw\" style=\"background:#2b5fad\"></i>message"
          "</span><span><i class=\"sw\" style=\"background:#9aa3b2\"></i>retransmission</span>"
          "<span><i class=\"sw\" style=\"background:#c2410c\"></i>rewritten by a SIP ALG</span>"
          "</p>\n",
          f);
    for (uint32_t i = 0; i < s->n_calls; i++) {
        const struct sip_call *c = s->calls[i];
        fputs("<div class=\"card\"><h3>", f);
        html_escf(f, "Call %u: %s \xe2\x86\x92 %s", c->index, c->from_uri, c->to_uri);
        fputs("</h3><p class=\"sub\">Call-ID <code>", f);
        html_esc(f, c->call_id);
        fputs("</code> \xc2\xb7 ", f);
        html_esc(f, sip_call_outcome_name(c->outcome));
        if (c->final_code)
            html_escf(f, " (%u %s)", c->final_code, c->reason);
        html_escf(f, " \xc2\xb7 %u messages", c->messages);
        fputs("</p>\n", f);
        html_svg_ladder(f, r, c);
        fputs("</div>\n", f);
    }
    if (s->calls_unlisted)
        html_escf(f, "%llu more calls not listed.", (unsigned long long)s->calls_unlisted);
}

static void
html_keepalives(FILE *f, const struct result *r)
{
    const struct keepalive_result *k = r->keepalive;
    fputs("<h2 id=\"keepalives\">NAT keep-alives</h2>\n", f);
    if (!k || !k->n_bindings) {
        fputs("<p class=\"dim\">no keep-alive bindings</p>\n", f);
        return;
    }
    fputs("<p class=\"legend\"><span><i class=\"sw\" style=\"background:#86c79a\"></i>keep-alives "
          "observed</span><span><i class=\"sw\" style=\"background:#dc2626\"></i>late gap</span>"
          "<span>| expected cadence</span><span><i class=\"sw\" style=\"background:#7c3aed\"></i>"
          "rebinding</span></p>\n",
          f);
    for (uint32_t i = 0; i < k->n_bindings; i++) {
        const struct ka_binding *b = &k->bindings[i];
        fputs("<div class=\"card\"><h3>", f);
        html_endpoint(f, &b->phone.ip, b->phone.port);
        html_esc(f, b->tcp ? " \xe2\x87\x84 (TCP) " : " \xe2\x87\x84 ");
        html_endpoint(f, &b->cloud.ip, b->cloud.port);
        fputs(" <span class=\"v ", f);
        html_esc(f, ka_verdict_name(b->verdict));
        fputs("\">", f);
        html_esc(f, ka_verdict_name(b->verdict));
        fputs("</span></h3><p class=\"sub\">", f);
        html_esc(f, b->verdict_reason);
        for (int d = 0; d < 2; d++)
            html_escf(f, "%s %s: %llu keep-alives, expected every %.0f s%s, median %.1f s",
                      d ? ";" : " \xe2\x80\x94",
                      d ? "phone\xe2\x86\x92"
                          "cloud"
                        : "cloud\xe2\x86\x92phone",
                      (unsigned long long)b->dir[d].count, b->dir[d].expected_s,
                      b->dir[d].expected_inferred ? " (inferred)" : "", b->dir[d].median_s);
        fputs("</p>\n", f);
        html_svg_keepalive(f, r, b);
        fputs("</div>\n", f);
    }
}

static void
html_rtp(FILE *f, const struct result *r)
{
    const struct media_result *m = r->media;
    fputs("<h2 id=\"rtp\">RTP streams</h2>\n", f);
    if (!m || !m->n_streams) {
        fputs("<p class=\"dim\">no RTP streams</p>\n", f);
        return;
    }
    /* The result carries whole-stream figures only: a bar per stream, not a chart over time. */
    double max_jit = 0;
    for (size_t i = 0; i < m->n_streams; i++)
        if (m->streams[i].st.max_jitter_ms > max_jit)
            max_jit = m->streams[i].st.max_jitter_ms;
    fputs("<table><tr><th>source</th><th>destination</th><th>SSRC</th><th>payload</th>"
          "<th>packets</th><th>lost</th><th>loss</th><th>max jitter</th><th>max delta</th>"
          "<th>call</th><th>frames</th></tr>\n",
          f);
    for (size_t i = 0; i < m->n_streams; i++) {
        const struct media_stream_record *s = &m->streams[i];
        char lbl[64];
        fputs("<tr><td><code>", f);
        html_endpoint(f, &s->src, s->sport);
        fputs("</code></td><td><code>", f);
        html_endpoint(f, &s->dst, s->dport);
        fputs("</code></td>", f);
        snprintf(lbl, sizeof(lbl), "0x%08X", s->ssrc);
        td(f, NULL, lbl);
        td(f, NULL, s->payload);
        td_u64(f, s->st.packets);
        fputs("<td class=\"num\">", f);
        html_escf(f, "%d", s->st.lost);
        fputs("</td><td>", f);
        snprintf(lbl, sizeof(lbl), "%.1f %%", s->st.lost_pct);
        html_svg_bar(f, s->st.lost_pct, 5.0, 80, s->st.lost_pct >= 1 ? "#dc2626" : "#86c79a", lbl);
        fputs("</td><td>", f);
        if (s->st.max_jitter_ms >= 0) {
            snprintf(lbl, sizeof(lbl), "%.2f ms", s->st.max_jitter_ms);
            html_svg_bar(f, s->st.max_jitter_ms, max_jit > 30 ? max_jit : 30, 80,
                         s->st.max_jitter_ms > 30 ? "#dc2626" : "#2b5fad", lbl);
        } else {
            html_esc(f, "-");
        }
        fputs("</td>", f);
        snprintf(lbl, sizeof(lbl), "%.1f ms", s->st.max_delta_ms);
        td(f, "num", s->st.max_delta_ms >= 0 ? lbl : "-");
        fputs("<td>", f);
        if (s->call >= 0 && (size_t)s->call < m->n_calls)
            html_escf(f, "%u %s (%s)", m->calls[s->call].call_index,
                      s->from_caller ? "caller\xe2\x86\x92"
                                       "callee"
                                     : "callee\xe2\x86\x92"
                                       "caller",
                      media_bind_name(s->bind));
        else
            html_esc(f, media_bind_name(s->bind));
        fputs("</td><td>", f);
        html_ref(f, r, s->first.frame, s->first.file);
        html_esc(f, " \xe2\x86\x92 ");
        html_ref(f, r, s->last.frame, s->last.file);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void
fact(FILE *f, const char *name, const char *value)
{
    fputs("<tr>", f);
    td(f, NULL, name);
    td(f, NULL, value);
    fputs("</tr>\n", f);
}

static void
html_facts(FILE *f, const struct result *r)
{
    char v[160], a[48], b[48];
    fputs("<h2 id=\"capture\">Capture facts</h2>\n<table><tr><th>file</th><th>link type</th>"
          "<th>packets</th><th>state</th></tr>\n",
          f);
    for (size_t i = 0; i < r->n_inputs; i++) {
        const struct source_input *in = &r->inputs[i];
        fputs("<tr><td><code>", f);
        html_esc(f, in->name);
        fputs("</code></td>", f);
        td(f, NULL, in->link_type);
        td_u64(f, in->packets);
        td(f, NULL, in->error[0] ? in->error : in->truncated ? "truncated" : "complete");
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<table>\n", f);
    snprintf(v, sizeof(v), "%llu (%llu bytes captured)", (unsigned long long)r->packets,
             (unsigned long long)r->bytes);
    fact(f, "packets", v);
    if (r->packets) {
        snprintf(v, sizeof(v), "%s \xe2\x86\x92 %s (%.3f s)",
                 format_time_text(r->first_ns, a, sizeof(a)),
                 format_time_text(r->last_ns, b, sizeof(b)),
                 (double)(r->last_ns - r->first_ns) / 1e9);
        fact(f, "span", v);
    }
    if (r->live.valid) {
        snprintf(v, sizeof(v), "%llu kernel, %llu interface", (unsigned long long)r->live.dropped,
                 (unsigned long long)r->live.if_dropped);
        fact(f, "drops", v);
    }
    snprintf(v, sizeof(v), "%llu", (unsigned long long)r->non_ip);
    fact(f, "frames without IP", v);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)r->snaplen_cut);
    fact(f, "frames cut by the snap length", v);
    for (int i = 1; i < ANOM__COUNT; i++)
        if (r->anomalies[i].count) {
            snprintf(v, sizeof(v), "%llu (first frame %llu)",
                     (unsigned long long)r->anomalies[i].count,
                     (unsigned long long)r->anomalies[i].first.frame);
            fact(f, dissect_anomaly_name((enum anomaly)i), v);
        }
    snprintf(v, sizeof(v), "%llu fragments, %llu reassembled, %llu timed out, %llu evicted",
             (unsigned long long)r->frag.fragments, (unsigned long long)r->frag.reassembled,
             (unsigned long long)r->frag.timed_out, (unsigned long long)r->frag.evicted);
    fact(f, "IP fragments", v);
    snprintf(v, sizeof(v), "%llu segments, %llu retransmissions, %llu gaps",
             (unsigned long long)r->tcp.segments, (unsigned long long)r->tcp.retransmissions,
             (unsigned long long)r->tcp.gaps);
    fact(f, "TCP streams", v);
    snprintf(v, sizeof(v), "%llu, %llu evicted early, peak %llu at once",
             (unsigned long long)r->flow_stats.created, (unsigned long long)r->flow_stats.evicted,
             (unsigned long long)r->flow_stats.peak_active);
    fact(f, "flows", v);
    fputs("</table>\n", f);
}

int
report_html_write(const struct result *r, FILE *out, char *err, size_t errlen)
{
    errno = 0;
    html_head(out, r);
    html_verdicts(out, r);
    html_findings(out, r);
    html_calls(out, r);
    html_keepalives(out, r);
    html_rtp(out, r);
    html_facts(out, r);
    fputs("<p class=\"dim\">voipdiag " VOIPDIAG_VERSION
          " \xe2\x80\x94 a self-contained report: no scripts, nothing fetched.</p>\n"
          "</body></html>\n",
          out);
    if (fflush(out) == EOF || ferror(out)) {
        snprintf(err, errlen, "cannot write the HTML report: %s", strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}
