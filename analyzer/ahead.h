/* ahead.h — frames read ahead of tracking, by a second thread for capture files. */
#ifndef VOIPDIAG_AHEAD_H
#define VOIPDIAG_AHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/source.h"

/* Consecutive frames of the timeline, and how reading stood after the last of them. */
struct chunk {
    unsigned n;
    struct frame *fr;         /* n of them; fr[i].data points into the chunk */
    uint8_t *arena;           /* their bytes */
    size_t used;
    uint8_t **big;            /* frames too big for the arena, one allocation each */
    unsigned n_big, cap_big;
    enum source_status st;    /* SOURCE_FRAME: more follows; END, IDLE or ERROR after d[n-1] */
    bool nomem;               /* a frame was lost for want of memory (counted by the reader) */
    uint64_t bytes_read;      /* of all inputs when the chunk was filled (progress) */
    uint64_t bytes_total;     /* their sizes, 0 when one is unknown (stdin) */
    char err[SOURCE_ERRBUF];  /* st == SOURCE_ERROR: why */
};

struct ahead;

/*
 * Start reading src ahead. threaded: a reader thread fills chunks while the caller tracks the
 * previous ones (capture files); otherwise chunks of a few frames are filled in the caller's
 * thread at each ahead_next (live: nothing waits for a full chunk). NULL when memory or a
 * thread is short (err says which).
 */
struct ahead *ahead_start(struct source *src, bool threaded, char *err, size_t errlen);

/* The next chunk in timeline order (n may be 0 when st is not SOURCE_FRAME). */
struct chunk *ahead_next(struct ahead *a);

/* Done with the chunk ahead_next returned: its memory may be refilled. */
void ahead_release(struct ahead *a);

/* Stop reading (if still going), wait for the reader thread and free everything. */
void ahead_stop(struct ahead *a);

#endif
