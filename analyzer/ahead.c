/*
 * ahead.c — frames read ahead of tracking.
 *
 * Reading a capture file costs as much as a bare libpcap loop (the physical limit), tracking
 * costs about as much again; on two cores the two overlap. A reader thread takes frames from
 * the source in timeline order and copies each into a chunk; the tracking thread takes whole
 * chunks in the same order and does everything else, so every result is exactly what one
 * thread would produce. Only the frames cross between the cores — the dissected form of a
 * frame is bigger than the frame, and cheaper to make again than to move. Hand-over is per chunk (hundreds of
 * frames), under one mutex: the threads share no other state while a chunk is in flight.
 * Memory is fixed: AHEAD_CHUNKS chunks, refilled in turn. A thread that waits is woken only
 * when it can work for a while: the reader once half the ring is free again, the tracker at
 * the first filled chunk; a wake-up of a thread that is not waiting is never sent (each one
 * is a system call and a context switch, 9 000 of them per GB with a wake per chunk).
 */
#include "ahead.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define AHEAD_CHUNKS 8
#define REFILL_AT (AHEAD_CHUNKS / 2) /* a waiting reader resumes when this many are free */
#define CHUNK_FRAMES 512
#define CHUNK_ARENA (256u * 1024u)
#define ARENA_FRAME_MAX (16u * 1024u) /* bigger frames get an allocation of their own */
#define DIRECT_FRAMES 16              /* live: frames per chunk filled in the caller's thread */

struct ahead {
    struct source *src;
    bool threaded;
    struct chunk chunk[AHEAD_CHUNKS];
    /* threaded only: chunk[head] is the next to track, chunk[(head+filled) % N] the next to fill */
    pthread_t reader;
    pthread_mutex_t mu;
    pthread_cond_t space; /* the reader waits here for free chunks */
    pthread_cond_t ready; /* the tracker waits here for a filled chunk */
    unsigned head, filled;
    bool reader_waits, tracker_waits;
    bool stop;     /* the tracker wants no more */
};

static void
chunk_clear(struct chunk *c)
{
    for (unsigned i = 0; i < c->n_big; i++)
        free(c->big[i]);
    c->n_big = 0;
    c->n = 0;
    c->used = 0;
    c->nomem = false;
    c->st = SOURCE_FRAME;
    c->err[0] = '\0';
}

static void
chunk_free(struct chunk *c)
{
    chunk_clear(c);
    free(c->big);
    free(c->fr);
    free(c->arena);
}

/* Room for a frame of len bytes: in the arena, or an allocation of its own; NULL if none. */
static uint8_t *
chunk_room(struct chunk *c, uint32_t len)
{
    if (len <= ARENA_FRAME_MAX) { /* fits: chunk_fill stops ARENA_FRAME_MAX before the end */
        uint8_t *at = c->arena + c->used;
        c->used += ((size_t)len + 15u) & ~(size_t)15u; /* each frame 16-aligned */
        return at;
    }
    if (c->n_big == c->cap_big) {
        unsigned cap = c->cap_big ? 2 * c->cap_big : 8;
        uint8_t **big = realloc(c->big, cap * sizeof(*big));
        if (!big)
            return NULL;
        c->big = big;
        c->cap_big = cap;
    }
    uint8_t *b = malloc(len ? len : 1);
    if (b)
        c->big[c->n_big++] = b;
    return b;
}

/* How far the reader got through the inputs, into c (the reader's own view of the source). */
static void
chunk_progress(const struct ahead *a, struct chunk *c)
{
    c->bytes_read = c->bytes_total = 0;
    bool known = true;
    for (size_t i = 0; i < source_input_count(a->src); i++) {
        const struct source_input *in = source_input_get(a->src, i);
        c->bytes_read += in->bytes_read;
        c->bytes_total += in->bytes_total;
        known = known && in->bytes_total;
    }
    if (!known)
        c->bytes_total = 0;
}

/* Read and copy up to max frames into c (emptied first). */
static void
chunk_fill(struct ahead *a, struct chunk *c, unsigned max)
{
    chunk_clear(c);
    /* Stop while the arena still holds a frame of the usual size, so none is refused. */
    while (c->n < max && c->used <= CHUNK_ARENA - ARENA_FRAME_MAX) {
        struct frame fr;
        enum source_status st = source_next(a->src, &fr, c->err, sizeof(c->err));
        if (st != SOURCE_FRAME) {
            c->st = st;
            break;
        }
        uint8_t *copy = chunk_room(c, fr.caplen);
        if (!copy) {
            c->nomem = true; /* the frame is lost, and the report says the analysis is partial */
            continue;
        }
        memcpy(copy, fr.data, fr.caplen);
        fr.data = copy;
        c->fr[c->n++] = fr;
    }
    chunk_progress(a, c);
}

static void *
reader_main(void *arg)
{
    struct ahead *a = arg;
    unsigned tail = 0;
    for (;;) {
        pthread_mutex_lock(&a->mu);
        if (a->filled == AHEAD_CHUNKS) {
            a->reader_waits = true;
            while (a->reader_waits && !a->stop)
                pthread_cond_wait(&a->space, &a->mu);
            a->reader_waits = false;
        }
        bool stop = a->stop;
        pthread_mutex_unlock(&a->mu);
        if (stop)
            break;
        struct chunk *c = &a->chunk[tail];
        chunk_fill(a, c, CHUNK_FRAMES);
        bool last = c->st != SOURCE_FRAME;
        pthread_mutex_lock(&a->mu);
        a->filled++;
        if (a->tracker_waits) {
            a->tracker_waits = false;
            pthread_cond_signal(&a->ready);
        }
        pthread_mutex_unlock(&a->mu);
        if (last)
            break;
        tail = (tail + 1) % AHEAD_CHUNKS;
    }
    return NULL;
}

struct ahead *
ahead_start(struct source *src, bool threaded, char *err, size_t errlen)
{
    struct ahead *a = calloc(1, sizeof(*a));
    if (!a) {
        snprintf(err, errlen, "out of memory for the frame buffers");
        return NULL;
    }
    a->src = src;
    unsigned chunks = threaded ? AHEAD_CHUNKS : 1;
    for (unsigned i = 0; i < chunks; i++) {
        struct chunk *c = &a->chunk[i];
        c->fr = malloc(sizeof(*c->fr) * (threaded ? CHUNK_FRAMES : DIRECT_FRAMES));
        c->arena = malloc(CHUNK_ARENA);
        if (!c->fr || !c->arena) {
            ahead_stop(a);
            snprintf(err, errlen, "out of memory for the frame buffers");
            return NULL;
        }
    }
    if (threaded) {
        pthread_mutex_init(&a->mu, NULL);
        pthread_cond_init(&a->space, NULL);
        pthread_cond_init(&a->ready, NULL);
        a->threaded = true;
        int rc = pthread_create(&a->reader, NULL, reader_main, a);
        if (rc != 0) {
            a->threaded = false; /* nothing to join */
            pthread_cond_destroy(&a->space);
            pthread_cond_destroy(&a->ready);
            pthread_mutex_destroy(&a->mu);
            ahead_stop(a);
            snprintf(err, errlen, "cannot start the reader thread: %s", strerror(rc));
            return NULL;
        }
    }
    return a;
}

struct chunk *
ahead_next(struct ahead *a)
{
    if (!a->threaded) {
        chunk_fill(a, &a->chunk[0], DIRECT_FRAMES);
        return &a->chunk[0];
    }
    pthread_mutex_lock(&a->mu);
    while (a->filled == 0) {
        a->tracker_waits = true;
        pthread_cond_wait(&a->ready, &a->mu);
    }
    struct chunk *c = &a->chunk[a->head];
    pthread_mutex_unlock(&a->mu);
    return c;
}

void
ahead_release(struct ahead *a)
{
    if (!a->threaded)
        return;
    pthread_mutex_lock(&a->mu);
    a->head = (a->head + 1) % AHEAD_CHUNKS;
    a->filled--;
    if (a->reader_waits && AHEAD_CHUNKS - a->filled >= REFILL_AT) {
        a->reader_waits = false;
        pthread_cond_signal(&a->space);
    }
    pthread_mutex_unlock(&a->mu);
}

void
ahead_stop(struct ahead *a)
{
    if (!a)
        return;
    if (a->threaded) {
        pthread_mutex_lock(&a->mu);
        a->stop = true;
        pthread_cond_signal(&a->space);
        pthread_mutex_unlock(&a->mu);
        pthread_join(a->reader, NULL);
        pthread_cond_destroy(&a->space);
        pthread_cond_destroy(&a->ready);
        pthread_mutex_destroy(&a->mu);
    }
    for (unsigned i = 0; i < AHEAD_CHUNKS; i++)
        chunk_free(&a->chunk[i]);
    free(a);
}
