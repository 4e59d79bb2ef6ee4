/* pipeline.h — the one loop from capture source to result (read analyzer/pipeline.c first). */
#ifndef VOIPDIAG_PIPELINE_H
#define VOIPDIAG_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/source.h"
#include "result.h"
#include "track/flow.h"
#include "track/ipfrag.h"

struct profile;

struct pipeline_opts {
    const struct profile *profile; /* provider profile (borrowed); NULL = the default one */
    struct flow_limits flow;
    struct ipfrag_limits frag;
    size_t max_flow_records;  /* finished flows listed in the report */
    uint64_t seed;            /* hash seed: fixed for files, random for live */
    uint64_t max_frames;      /* stop after this many frames; 0 = read to the end */
    /* Optional progress hook, called when (frames & progress_mask) == 0 (mask 0: 0xffff) and
     * at every live idle wake-up, with r->flow_stats current (never for output). */
    void (*progress)(void *ctx, const struct source *src, uint64_t frames);
    void *progress_ctx;
    uint64_t progress_mask;
    /* Optional file progress hook, called after every chunk of frames (a few hundred) with
     * the frames analysed and the input bytes read so far (total 0 when unknown); any
     * thread layout. For display only: nothing of it reaches the result. */
    void (*file_progress)(void *ctx, uint64_t frames, uint64_t bytes_read, uint64_t bytes_total);
    void *file_progress_ctx;
};

/* Defaults for every limit (see flow_limits_default; fragments: 4096 datagrams, 16 MiB, 30 s). */
void pipeline_opts_default(struct pipeline_opts *o);

/*
 * Read every frame of src through dissectors → trackers → checks into r (initialised by the
 * caller with result_init). Returns 0 when the source was read to its end (inputs cut short
 * are recorded in r, not errors), or -1 with one sentence in err when the analysis could not
 * run or a live source failed — r then holds what was analysed before the failure.
 */
int pipeline_run(struct source *src, const struct pipeline_opts *o, struct result *r, char *err,
                 size_t errlen);

#endif
