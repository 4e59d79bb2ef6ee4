/* source.c — the capture source: files merged into one timeline by timestamp, or one interface. */
#include "source.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "live.h"

/* frame.file is a uint16_t. */
#define SOURCE_MAX_FILES 65536u

struct source {
    volatile sig_atomic_t stop; /* set by source_break, maybe from a signal handler */
    bool is_live;
    size_t n;                 /* inputs: files, or 1 interface */
    struct file_input *files; /* n of them for files, NULL for live */
    struct live_input live;
};

static void source_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
source_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Refuse argument lists that cannot work before any file is touched. */
static int
source_check_paths(const char *const *paths, size_t n, char *err, size_t errlen)
{
    size_t stdin_count = 0;

    if (n == 0) {
        source_err(err, errlen, "no capture file given");
        return -1;
    }
    if (n > SOURCE_MAX_FILES) {
        source_err(err, errlen, "too many capture files (%zu); at most %u can be merged", n,
                   SOURCE_MAX_FILES);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(paths[i], "-") == 0)
            stdin_count++;
    if (stdin_count > 1) {
        source_err(err, errlen, "standard input ('-') can be read only once");
        return -1;
    }
    return 0;
}

struct source *
source_open_files(const char *const *paths, size_t n, const struct source_opts *o, char *err,
                  size_t errlen)
{
    struct source *s;
    size_t opened = 0;

    if (source_check_paths(paths, n, err, errlen) != 0)
        return NULL;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        goto fail_alloc;
    s->files = calloc(n, sizeof *s->files);
    if (s->files == NULL)
        goto fail_alloc;
    s->n = n;
    for (; opened < n; opened++)
        if (file_input_open(&s->files[opened], paths[opened], o != NULL ? o->bpf : NULL, err,
                            errlen) != 0)
            goto fail_open;
    return s;

fail_open:
    for (size_t i = 0; i < opened; i++)
        file_input_close(&s->files[i]);
    free(s->files);
    free(s);
    return NULL;
fail_alloc:
    if (s != NULL)
        free(s->files);
    free(s);
    source_err(err, errlen, "cannot allocate the capture source for %zu files", n);
    return NULL;
}

struct source *
source_open_live(const char *iface, const struct source_opts *o, char *err, size_t errlen)
{
    struct source *s = calloc(1, sizeof *s);

    if (s == NULL) {
        source_err(err, errlen, "cannot allocate the capture source for interface '%s'", iface);
        return NULL;
    }
    s->is_live = true;
    s->n = 1;
    if (live_input_open(&s->live, iface, o, err, errlen) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

/* The earliest pending frame across files; ties go to the lower file index. */
static enum source_status
source_next_file(struct source *s, struct frame *f)
{
    struct file_input *best = NULL;
    size_t best_i = 0;

    for (size_t i = 0; i < s->n; i++) {
        struct file_input *in = &s->files[i];

        /* Only the input whose frame went out last needs a read: the others still hold theirs. */
        if (!in->pending && !in->eof)
            file_input_fill(in);
        if (in->pending && (best == NULL || in->ts_ns < best->ts_ns)) {
            best = in;
            best_i = i;
        }
    }
    if (best == NULL)
        return SOURCE_END;
    best->pending = false; /* its data stays valid until this input is filled again */
    best->info.packets++;
    f->data = best->data;
    f->caplen = best->hdr->caplen;
    f->wirelen = best->hdr->len;
    f->ts_ns = best->ts_ns;
    f->dlt = best->info.dlt;
    f->file = (uint16_t)best_i;
    f->number = best->number;
    return SOURCE_FRAME;
}

enum source_status
source_next(struct source *s, struct frame *f, char *err, size_t errlen)
{
    if (s->stop)
        return SOURCE_END;
    if (s->is_live) {
        enum source_status st = live_input_next(&s->live, 0, f, err, errlen);

        return st == SOURCE_IDLE && s->stop ? SOURCE_END : st;
    }
    return source_next_file(s, f);
}

size_t
source_input_count(const struct source *s)
{
    return s->n;
}

const struct source_input *
source_input_get(const struct source *s, size_t i)
{
    if (i >= s->n)
        return NULL;
    return s->is_live ? &s->live.info : &s->files[i].info;
}

void
source_live_stats(struct source *s, struct source_live_stats *st)
{
    if (!s->is_live) {
        memset(st, 0, sizeof *st);
        return;
    }
    live_input_stats(&s->live, st);
}

bool
source_is_live(const struct source *s)
{
    return s->is_live;
}

void
source_break(struct source *s)
{
    s->stop = 1;
    if (s->is_live)
        live_input_break(&s->live); /* wakes a waiting source_next */
}

int
source_fd(const struct source *s)
{
    if (!s->is_live || s->live.pcap == NULL)
        return -1;
    return pcap_get_selectable_fd(s->live.pcap);
}

void
source_close(struct source *s)
{
    if (s == NULL)
        return;
    if (s->is_live)
        live_input_close(&s->live);
    for (size_t i = 0; s->files != NULL && i < s->n; i++)
        file_input_close(&s->files[i]);
    free(s->files);
    free(s);
}
