/* live.h — what `voipdiag live` adds around the pipeline: finding stream, status, metrics,
 * privilege drop. The pipeline itself is the same as for files. */
#ifndef VOIPDIAG_LIVE_H
#define VOIPDIAG_LIVE_H

#include <stddef.h>

#include "../pipeline.h"

struct live_opts {
    const char *jsonl;    /* findings as JSON lines: a file, "-" for stdout, or NULL */
    unsigned status_secs; /* status line on stderr every N wall seconds; 0 = never */
    const char *metrics;  /* "ADDR:PORT" for Prometheus text exposition, or NULL */
    const char *iface;
};

struct live;

/*
 * Open what needs privileges or must exist before the capture starts (the JSON lines file,
 * the metrics listener bound to ADDR:PORT), for src. Returns NULL with one sentence in err.
 */
struct live *live_new(const struct live_opts *o, struct source *src, char *err, size_t errlen);

/*
 * Hook l into an analysis: r's finding observer (JSON line + human line per finding) and
 * po's progress hook (status line, metrics, SIGHUP reopen). Call after result_init.
 */
void live_attach(struct live *l, struct result *r, struct pipeline_opts *po);

/* Publish the final counters (after pipeline_run) so the last scrape sees them. */
void live_finish(struct live *l, const struct result *r);

/* Ask for the JSON lines file to be reopened at the next wake-up (async-signal-safe). */
void live_request_reopen(void);

/* Stop the metrics thread, close the stream. NULL is fine. */
void live_free(struct live *l);

/*
 * Drop root for user (setgroups, setgid, setuid; verified by trying to regain root), or,
 * when not root, drop every capability left (e.g. CAP_NET_RAW from setcap). Returns 0, or
 * -1 with err when the user does not exist or a step failed.
 */
int live_drop_privileges(const char *user, char *err, size_t errlen);

#endif
