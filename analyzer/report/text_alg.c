/* text_alg.c — the SIP ALG section: `field: before → after` lines with both frames, one-sided
 * messages and one-point fingerprints (RFC 3261 §18.2.1, RFC 3581). */
#include "text_alg.h"

#include <string.h>

#include "format.h"

static void
ref_text(const struct result *r, const struct sip_ref *e, char *buf, size_t len)
{
    if (r->n_inputs > 1 && e->file < r->n_inputs) {
        const char *name = r->inputs[e->file].name, *slash = strrchr(name, '/');
        snprintf(buf, len, "frame %llu of %.100s", (unsigned long long)e->frame,
                 slash ? slash + 1 : name);
    } else {
        snprintf(buf, len, "frame %llu", (unsigned long long)e->frame);
    }
}

void
report_text_alg(const struct result *r, const struct text_opts *o, FILE *out)
{
    (void)o;
    const struct alg_result *a = r->alg;
    if (!a || !a->messages || (!a->pairs && !a->n_prints && !a->n_onesided))
        return;
    fprintf(out, "\nSIP ALG (%llu messages; %llu seen at two points, %llu rewritten)\n",
            (unsigned long long)a->messages, (unsigned long long)a->pairs,
            (unsigned long long)a->pairs_rewritten);
    char b[160], c[160];
    const struct alg_diff *prev = NULL;
    for (uint32_t i = 0; i < a->n_diffs; i++) {
        const struct alg_diff *d = &a->diffs[i];
        if (!prev || prev->before_at.frame != d->before_at.frame ||
            prev->before_at.file != d->before_at.file ||
            prev->after_at.frame != d->after_at.frame) {
            ref_text(r, &d->before_at, b, sizeof b);
            ref_text(r, &d->after_at, c, sizeof c);
            fprintf(out, "  %s  Call-ID %s  (%s → %s)\n", d->what, d->call_id, b, c);
        }
        prev = d;
        fprintf(out, "    %s: %s → %s\n", d->field, d->before[0] ? d->before : "(absent)",
                d->after[0] ? d->after : "(absent)");
    }
    if (a->diffs_total > a->n_diffs)
        fprintf(out, "    … %llu more field changes not listed\n",
                (unsigned long long)(a->diffs_total - a->n_diffs));
    for (uint32_t i = 0; i < a->n_onesided; i++) {
        const struct alg_onesided *s = &a->onesided[i];
        char src[80], dst[80];
        ref_text(r, &s->at, b, sizeof b);
        fprintf(out, "  %s %s %s → %s  Call-ID %s  (%s)\n",
                s->generated ? "generated:" : "swallowed:", s->what,
                format_endpoint(&s->src.ip, s->src.port, 1, src, sizeof src),
                format_endpoint(&s->dst.ip, s->dst.port, 1, dst, sizeof dst), s->call_id, b);
    }
    for (uint32_t i = 0; i < a->n_prints; i++) {
        const struct alg_print *p = &a->prints[i];
        ref_text(r, &p->first, b, sizeof b);
        fprintf(out, "  fingerprint %s (%s confidence%s), %s ×%llu from %s: %s\n",
                catalog_get(p->code)->name, alg_confidence_name(p->confidence),
                p->confidence == ALG_CONF_LOW ? ", listed only" : "", p->what,
                (unsigned long long)p->count, b, p->text);
    }
    if (a->unmatched_edge || a->unmatched_local || a->unmatched_unknown)
        fprintf(out,
                "  unmatched, not judged: %llu near a capture edge, %llu in dialogs that never "
                "crossed both points, %llu of unknown direction\n",
                (unsigned long long)a->unmatched_edge, (unsigned long long)a->unmatched_local,
                (unsigned long long)a->unmatched_unknown);
}
