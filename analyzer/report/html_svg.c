/* html_svg.c — inline SVG for the HTML report (SVG 1.1): ladders, keep-alive strips, bars.
 * No scripts, no external references: plain shapes and text only. */
#include "html_svg.h"

#include <math.h>
#include <string.h>

#include "html_esc.h"

#define LADDER_MAX_LANES 8
#define LADDER_LANE_W 190
#define LADDER_LEFT 96
#define LADDER_ROW_H 30
#define LADDER_TOP 46

static int
endpoint_eq(const struct sip_endpoint *a, const struct sip_endpoint *b)
{
    return a->port == b->port && a->ip.family == b->ip.family &&
           !memcmp(a->ip.a, b->ip.a, a->ip.family == 6 ? 16 : 4);
}

/* Lane of e, added when new and room is left; -1 when the lanes are full. */
static int
lane_of(struct sip_endpoint *lanes, int *n, const struct sip_endpoint *e)
{
    for (int i = 0; i < *n; i++)
        if (endpoint_eq(&lanes[i], e))
            return i;
    if (*n == LADDER_MAX_LANES)
        return -1;
    lanes[*n] = *e;
    return (*n)++;
}

/* Whether the ALG diff d belongs to call c (the ALG result cuts Call-IDs shorter). */
static int
diff_of_call(const struct alg_diff *d, const struct sip_call *c)
{
    size_t n = strlen(d->call_id);
    return n && !strncmp(d->call_id, c->call_id, n) &&
           (n == strlen(c->call_id) || n == ALG_RES_CALLID_MAX - 1);
}

/* Whether ladder entry l is one of the two copies of an ALG diff of call c. */
static int
entry_rewritten(const struct result *r, const struct sip_call *c, const struct sip_ladder_entry *l)
{
    if (!r->alg)
        return 0;
    for (uint32_t i = 0; i < r->alg->n_diffs; i++) {
        const struct alg_diff *d = &r->alg->diffs[i];
        if (!diff_of_call(d, c))
            continue;
        if ((d->before_at.frame == l->at.frame && d->before_at.file == l->at.file) ||
            (d->after_at.frame == l->at.frame && d->after_at.file == l->at.file))
            return 1;
    }
    return 0;
}

static void
ladder_diffs(FILE *f, const struct result *r, const struct sip_call *c)
{
    int any = 0;
    for (uint32_t i = 0; r->alg && i < r->alg->n_diffs; i++) {
        const struct alg_diff *d = &r->alg->diffs[i];
        if (!diff_of_call(d, c))
            continue;
        if (!any)
            fputs("<table class=\"alg\"><tr><th>message</th><th>field</th><th>before (frame)</th>"
                  "<th>after (frame)</th></tr>\n",
                  f);
        any = 1;
        fputs("<tr><td>", f);
        html_esc(f, d->what);
        fputs("</td><td>", f);
        html_esc(f, d->field);
        fputs("</td><td><code>", f);
        html_esc(f, d->before[0] ? d->before : "(absent)");
        fputs("</code> (", f);
        html_ref(f, r, d->before_at.frame, d->before_at.file);
        fputs(")</td><td class=\"rew\"><code>", f);
        html_esc(f, d->after[0] ? d->after : "(absent)");
        fputs("</code> (", f);
        html_ref(f, r, d->after_at.frame, d->after_at.file);
        fputs(")</td></tr>\n", f);
    }
    if (any)
        fputs("</table>\n", f);
}

void
html_svg_ladder(FILE *f, const struct result *r, const struct sip_call *c)
{
    struct sip_endpoint lanes[LADDER_MAX_LANES];
    int n = 0;
    for (uint16_t i = 0; i < c->n_ladder; i++) {
        lane_of(lanes, &n, &c->ladder[i].src);
        lane_of(lanes, &n, &c->ladder[i].dst);
    }
    if (!c->n_ladder || n == 0) {
        fputs("<p class=\"dim\">no messages kept for this call</p>\n", f);
        return;
    }
    int w = LADDER_LEFT + n * LADDER_LANE_W;
    int h = LADDER_TOP + c->n_ladder * LADDER_ROW_H + 12;
    fprintf(f,
            "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
            w, h, w, h);
    for (int i = 0; i < n; i++) {
        int x = LADDER_LEFT + i * LADDER_LANE_W + LADDER_LANE_W / 2;
        fprintf(f, "<text x=\"%d\" y=\"18\" class=\"lane\">", x);
        html_endpoint(f, &lanes[i].ip, lanes[i].port);
        fprintf(f, "</text><line x1=\"%d\" y1=\"28\" x2=\"%d\" y2=\"%d\" class=\"life\"/>\n", x, x,
                h - 4);
    }
    int64_t t0 = c->ladder[0].at.ts_ns;
    for (uint16_t i = 0; i < c->n_ladder; i++) {
        const struct sip_ladder_entry *l = &c->ladder[i];
        int a = lane_of(lanes, &n, &l->src), b = lane_of(lanes, &n, &l->dst);
        int y = LADDER_TOP + i * LADDER_ROW_H + 14;
        int xa = LADDER_LEFT + a * LADDER_LANE_W + LADDER_LANE_W / 2;
        int xb = LADDER_LEFT + b * LADDER_LANE_W + LADDER_LANE_W / 2;
        int rew = entry_rewritten(r, c, l);
        const char *cls = rew ? "msg rew" : l->retransmission ? "msg rtx" : "msg";
        if (rew)
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"hl\"/>",
                    LADDER_LEFT, y - 20, n * LADDER_LANE_W, LADDER_ROW_H - 4);
        fprintf(f, "<text x=\"4\" y=\"%d\" class=\"t\">+", y + 4);
        html_escf(f, "%.3f s", (double)(l->at.ts_ns - t0) / 1e9);
        fprintf(f, "</text><text x=\"4\" y=\"%d\" class=\"fr\">#", y - 8);
        html_ref(f, r, l->at.frame, l->at.file);
        fputs("</text>", f);
        if (a == b) { /* a message to itself: a small loop */
            fprintf(f, "<path d=\"M%d %d h30 v10 h-30\" class=\"%s\" fill=\"none\"/>", xa, y - 6,
                    cls);
        } else {
            int dir = xb > xa ? 1 : -1;
            fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"%s\"/>", xa, y,
                    xb - dir * 2, y, cls);
            fprintf(f, "<polygon points=\"%d,%d %d,%d %d,%d\" class=\"%s head\"/>", xb, y,
                    xb - dir * 9, y - 4, xb - dir * 9, y + 4, cls);
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lbl%s\">", (xa + xb) / 2 + (a == b ? 40 : 0),
                y - 5, rew ? " rewl" : "");
        html_esc(f, l->label);
        if (l->retransmission)
            html_esc(f, " (retransmission)");
        if (rew)
            html_esc(f, " \xe2\x9a\xa0 ALG");
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
    if (c->ladder_unlisted)
        html_escf(f, "%u more messages not drawn.", c->ladder_unlisted);
    ladder_diffs(f, r, c);
}

/* x of time t on a strip of width w spanning [t0, t1]. */
static double
strip_x(int64_t t, int64_t t0, int64_t t1, int left, int w)
{
    if (t1 <= t0)
        return left;
    double x = left + (double)(t - t0) / (double)(t1 - t0) * w;
    return x < left ? left : x > left + w ? left + w : x;
}

void
html_svg_keepalive(FILE *f, const struct result *r, const struct ka_binding *b)
{
    static const char *const names[2] = {"cloud \xe2\x86\x92 phone", "phone \xe2\x86\x92 cloud"};
    int64_t t0 = INT64_MAX, t1 = INT64_MIN;
    for (int d = 0; d < 2; d++) {
        const struct ka_direction *k = &b->dir[d];
        if (k->first_any.frame && k->first_any.ts_ns < t0)
            t0 = k->first_any.ts_ns;
        if (k->last_any.frame && k->last_any.ts_ns > t1)
            t1 = k->last_any.ts_ns;
    }
    if (t0 == INT64_MAX) {
        fputs("<p class=\"dim\">no traffic on this binding</p>\n", f);
        return;
    }
    const int left = 130, w = 760, row = 34, top = 24;
    int h = top + 2 * row + 30;
    fprintf(f,
            "<svg class=\"ka\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\">\n",
            left + w + 20, h, left + w + 20, h);
    fprintf(f,
            "<text x=\"%d\" y=\"14\" class=\"t\">0 s</text><text x=\"%d\" y=\"14\" class=\"t\" "
            "text-anchor=\"end\">",
            left, left + w);
    html_escf(f, "%.1f s", (double)(t1 - t0) / 1e9);
    fputs("</text>\n", f);
    for (int d = 0; d < 2; d++) {
        const struct ka_direction *k = &b->dir[d];
        int y = top + d * row;
        fprintf(f, "<text x=\"4\" y=\"%d\" class=\"t\">", y + 16);
        html_esc(f, names[d]);
        fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" class=\"track\"/>",
                left, y + 2, w);
        if (k->count && k->first.frame) {
            double xa = strip_x(k->first.ts_ns, t0, t1, left, w);
            double xb = strip_x(k->last.ts_ns, t0, t1, left, w);
            fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"22\" class=\"obs\"/>", xa,
                    y + 2, xb - xa < 2 ? 2 : xb - xa);
            /* Expected cadence: a tick every expected interval from the first keep-alive. */
            if (k->expected_s > 0 && (double)(t1 - k->first.ts_ns) / 1e9 / k->expected_s < 400)
                for (double s = 0; k->first.ts_ns + (int64_t)(s * 1e9) <= t1; s += k->expected_s)
                    fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"tick\"/>",
                            strip_x(k->first.ts_ns + (int64_t)(s * 1e9), t0, t1, left, w), y + 2,
                            strip_x(k->first.ts_ns + (int64_t)(s * 1e9), t0, t1, left, w), y + 24);
        }
        for (uint32_t g = 0; g < k->n_gaps; g++) {
            const struct ka_gap *gp = &k->gaps[g];
            double xa = strip_x(gp->from.ts_ns, t0, t1, left, w);
            double xb = strip_x(gp->to.ts_ns, t0, t1, left, w);
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"22\" class=\"gap\">"
                    "<title>",
                    xa, y + 2, xb - xa < 2 ? 2 : xb - xa);
            html_escf(f, "gap %.1f s, frames ", gp->seconds);
            html_ref(f, r, gp->from.frame, gp->from.file);
            html_esc(f, " \xe2\x86\x92 ");
            html_ref(f, r, gp->to.frame, gp->to.file);
            fputs("</title></rect>", f);
        }
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < b->n_rebinds; i++) {
        const struct ka_rebind *rb = &b->rebinds[i];
        double x = strip_x(rb->at.ts_ns, t0, t1, left, w);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"rebind\"/>", x, top,
                x, top + 2 * row);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"t rebl\">", x, top + 2 * row + 14);
        html_escf(f, "rebind %s \xe2\x86\x92 %s", rb->from, rb->to);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

void
html_svg_bar(FILE *f, double value, double max, int w, const char *color, const char *label)
{
    double frac = max > 0 && value > 0 ? value / max : 0;
    if (frac > 1 || isnan(frac))
        frac = 1;
    fprintf(f,
            "<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"14\" "
            "viewBox=\"0 0 %d 14\"><rect x=\"0\" y=\"2\" width=\"%d\" height=\"10\" "
            "class=\"track\"/><rect x=\"0\" y=\"2\" width=\"%.1f\" height=\"10\" fill=\"",
            w, w, w, frac * w);
    html_esc(f, color);
    fputs("\"/></svg> ", f);
    html_esc(f, label);
}
