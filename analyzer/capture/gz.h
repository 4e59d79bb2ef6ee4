/* gz.h — a stdio FILE that inflates a gzip stream (or passes plain bytes through) for libpcap. */
#ifndef VOIPDIAG_GZ_H
#define VOIPDIAG_GZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Bytes of the decompressed stream kept for a look at the capture's file header. */
#define GZ_HEAD_MAX 4096

struct gz_stream; /* counters of one wrapped stream; owned by its FILE */

/*
 * Wrap fd in a read-only FILE that inflates gzip data (several members, as gzip -c a b
 * writes them) and passes any other bytes through unchanged, so a pipe needs no look-ahead.
 * fd is taken over in every case: on success the FILE owns it (fclose closes it) and *gs
 * points at the stream's counters, valid until fclose(FILE); on failure it is closed and
 * NULL is returned with one sentence in err.
 */
FILE *gz_fdopen(int fd, struct gz_stream **gs, char *err, size_t errlen);

/* Whether the bytes read so far were gzip-compressed (false for plain and for empty input). */
bool gz_stream_compressed(const struct gz_stream *gs);

/* Compressed bytes consumed so far, or -1 when the descriptor cannot tell (a pipe). */
int64_t gz_stream_offset(const struct gz_stream *gs);

/* Decompressed bytes handed to the FILE's reader so far. */
uint64_t gz_stream_delivered(const struct gz_stream *gs);

/* The first decompressed bytes (up to GZ_HEAD_MAX) in *head; returns how many. */
size_t gz_stream_head(const struct gz_stream *gs, const uint8_t **head);

/* True when the gzip data stopped before its end marker: a cut file, read up to the cut. */
bool gz_stream_cut(const struct gz_stream *gs);

/* The read error that stopped the stream ("corrupt gzip data: incorrect data check"), or "". */
const char *gz_stream_error(const struct gz_stream *gs);

#endif
