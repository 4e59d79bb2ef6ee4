/* tcp_stream.h — per-direction in-order TCP byte stream reassembly (RFC 9293), bounded buffers. */
#ifndef VOIPDIAG_TCP_STREAM_H
#define VOIPDIAG_TCP_STREAM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Receives in-order bytes of one direction. gap_before is the number of bytes skipped
 * (never captured) just before data; 0 for a continuous stream. The consumer (SIP framing,
 * later) resynchronises after a gap. frame is the frame that delivered the last byte.
 * len is never 0; data is borrowed for the call. The callback must not call back into the
 * same stream. A gap with no data after it stays in pending_gap (and in the stats).
 */
typedef void (*tcp_deliver_fn)(void *ctx, const uint8_t *data, uint32_t len, uint32_t gap_before,
                               uint64_t frame);

struct tcp_stream_stats {
    uint64_t segments;        /* segments with data or SYN/FIN */
    uint64_t bytes;           /* payload bytes delivered in order */
    uint64_t retransmissions; /* segments wholly inside already-delivered (or held) data */
    uint64_t out_of_order;    /* segments that arrived ahead of the next expected byte */
    uint64_t overlaps;        /* segments partly overlapping delivered/buffered data */
    uint64_t gaps;            /* holes skipped (bytes never captured) */
    uint64_t gap_bytes;       /* bytes in those holes */
    uint64_t dropped_bytes;   /* discarded: no memory, > 2^30 ahead, > 16 MiB segment */
    uint64_t acked_gaps;      /* of gaps: holes the peer ACKed past (lost by the capture) */
};

/* A held-back out-of-order segment (owned by the stream). */
struct tcp_segment;

/* One direction of a TCP connection. Zero-initialise, then tcp_stream_init. */
struct tcp_stream {
    bool have_isn;           /* next_seq is known (SYN seen or first data taken as start) */
    bool fin_seen;           /* a FIN came in this direction */
    uint32_t next_seq;       /* next byte expected in order */
    uint32_t buffered;       /* bytes held out of order */
    uint32_t max_buffer;     /* cap for held-back bytes */
    uint32_t highest_ack;    /* highest ACK sent by the *other* side for this direction's data */
    bool ack_seen;           /* highest_ack is valid */
    uint64_t acked_unseen;   /* bytes the peer ACKed that this capture never saw: capture loss */
    struct tcp_segment *ooo; /* out-of-order list sorted by sequence */
    struct tcp_stream_stats stats; /* counters for the report */
    /* added: implementation state, read-only for callers */
    bool have_high;       /* high_seq is valid */
    uint32_t high_seq;    /* one past the highest sequence seen (SYN and FIN count one) */
    uint32_t held;        /* held segments; capped at 64 + max_buffer / 256 */
    uint64_t pending_gap; /* bytes skipped since the last delivery: the next gap_before */
};

/* Prepare a direction with a buffer cap (bytes). */
void tcp_stream_init(struct tcp_stream *s, uint32_t max_buffer);

/*
 * Feed one segment of this direction: its sequence number, TCP flags, and captured payload
 * (len may be smaller than the segment when snaplen cut it: the rest counts as a gap later).
 * In-order bytes, including held segments that became in order, go to deliver.
 * Gap policy: when an out-of-order segment does not fit max_buffer (or the held-segment cap),
 * the hole before the held data is skipped (gaps, gap_bytes), the held data delivered and the
 * segment placed again; captured bytes are not thrown away for the cap. A hole the other side
 * has ACKed past (tcp_stream_ack) is skipped the same way (acked_gaps) at this direction's next
 * segment — a bare ACK is enough — or as soon as data behind it arrives: the peer has those
 * bytes, only the capture lost them, and no retransmission will come. deliver may be NULL.
 * Returns 0, or -1 when memory for a held segment could not be had (bytes counted dropped).
 */
int tcp_stream_segment(struct tcp_stream *s, uint32_t seq, uint8_t flags, const uint8_t *data,
                       uint32_t len, uint32_t wire_len, uint64_t frame, tcp_deliver_fn deliver,
                       void *ctx);

/*
 * Note an ACK sent by the other side covering this direction's data up to ack; bytes acked
 * that were never captured — beyond anything seen, or inside a hole before held data — are
 * counted once in acked_unseen (a sign of capture loss). Holes it passes are released by the
 * next tcp_stream_segment of this direction (the deliver callback belongs to that side).
 */
void tcp_stream_ack(struct tcp_stream *s, uint32_t ack);

/*
 * Release now the holes tcp_stream_ack let go of (instead of at this direction's next
 * segment): deliver gets this direction's data held behind them. The caller's deliver context
 * must be this direction's.
 */
void tcp_stream_release(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx);

/*
 * Deliver everything still held (in sequence order, each hole reported as a gap) and release
 * the buffers; call when the connection closes or expires.
 */
void tcp_stream_flush(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx);

/* Release buffers without delivering. */
void tcp_stream_free(struct tcp_stream *s);

#endif
