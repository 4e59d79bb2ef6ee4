/* status.c — the human side of live: finding lines and the periodic status line on stderr.
 * A reporting concern, like report/text.c, but written while the pipeline runs. */
#include "status.h"

#include <time.h>

void
status_print_finding(FILE *out, const struct finding *f)
{
    const struct finding_kind *k = catalog_get(f->code);
    time_t t = (time_t)(f->first.ts_ns / 1000000000);
    struct tm tm;
    char when[32];
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(out, "voipdiag: %s %-4s %s (frame %llu): %s\n", when, severity_name(k->severity),
            k->name, (unsigned long long)f->first.frame, f->summary);
    if (f->confidence != CONF_HIGH)
        fprintf(out, "voipdiag:   %s confidence: %s\n", confidence_name(f->confidence),
                f->confidence_note);
    fflush(out);
}

void
status_print_line(FILE *out, const struct result *r, const struct source_live_stats *st,
                  uint64_t packets_delta, double wall_s)
{
    uint64_t findings = r->n_findings;
    for (int c = 0; c < FIND__COUNT; c++)
        findings += r->suppressed[c];
    fprintf(out,
            "voipdiag: status: %llu packets (%.0f/s), %u flows active (%llu seen), kernel drops "
            "%llu, interface drops %llu, %llu findings\n",
            (unsigned long long)r->packets, wall_s > 0 ? (double)packets_delta / wall_s : 0.0,
            r->flow_stats.active, (unsigned long long)r->flow_stats.created,
            (unsigned long long)(st->valid ? st->dropped : 0),
            (unsigned long long)(st->valid ? st->if_dropped : 0), (unsigned long long)findings);
    fflush(out);
}

double
status_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
status_progress_start(struct status_progress *pg, FILE *out)
{
    pg->out = out;
    pg->start = status_clock();
    pg->last = 0;
    pg->shown = false;
}

void
status_progress_hook(void *ctx, uint64_t frames, uint64_t bytes_read, uint64_t bytes_total)
{
    struct status_progress *pg = ctx;
    double now = status_clock(), run = now - pg->start;
    if (now - pg->last < 0.5 || run < 1.0)
        return;
    pg->last = now;
    pg->shown = true;
    double rate = (double)frames / run;
    if (bytes_total && bytes_read && bytes_read <= bytes_total) {
        double frac = (double)bytes_read / (double)bytes_total;
        long left = (long)(run * (1.0 - frac) / frac);
        fprintf(pg->out, "\r\033[K%5.1f%% of %.1f MB, %.0f packets/s, %ld:%02ld left",
                100.0 * frac, (double)bytes_total / 1e6, rate, left / 60, left % 60);
    } else {
        fprintf(pg->out, "\r\033[K%.1f MB read, %.0f packets/s", (double)bytes_read / 1e6, rate);
    }
    fflush(pg->out);
}

void
status_progress_end(struct status_progress *pg)
{
    if (pg->shown)
        fputs("\r\033[K", pg->out);
}
