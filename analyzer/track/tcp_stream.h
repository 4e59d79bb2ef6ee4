/* tcp_stream.h — per-direction in-order TCP byte stream reassembly (RFC 9293), bounded buffers. */
#ifndef VOIPDIAG_TCP_STREAM_H
#define VOIPDIAG_TCP_STREAM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Receives in-order bytes of one direction. gap_before is the number of bytes skipped
 * (never captured) just before data; 0 for a continuous stream. The consumer (SIP framing,
 * later) resynchronises after a gap. frame is the frame that delivered the last byte.
 */
typedef void (*tcp_deliver_fn)(void *ctx, const uint8_t *data, uint32_t len, uint32_t gap_before,
                               uint64_t frame);

struct tcp_stream_stats {
    uint64_t segments;        /* segments with data or SYN/FIN */
    uint64_t bytes;           /* payload bytes delivered in order */
    uint64_t retransmissions; /* segments wholly inside already-delivered data */
    uint64_t out_of_order;    /* segments that arrived ahead of the next expected byte */
    uint64_t overlaps;        /* segments partly overlapping delivered/buffered data */
    uint64_t gaps;            /* holes skipped (bytes never captured) */
    uint64_t gap_bytes;
    uint64_t dropped_bytes;   /* out-of-order bytes discarded because the buffer cap was hit */
};

/* A held-back out-of-order segment (owned by the stream). */
struct tcp_segment;

/* One direction of a TCP connection. Zero-initialise, then tcp_stream_init. */
struct tcp_stream {
    bool have_isn;          /* next_seq is known (SYN seen or first data taken as start) */
    bool fin_seen;
    uint32_t next_seq;      /* next byte expected in order */
    uint32_t buffered;      /* bytes held out of order */
    uint32_t max_buffer;    /* cap for held-back bytes */
    uint32_t highest_ack;   /* highest ACK sent by the *other* side for this direction's data */
    bool ack_seen;
    uint64_t acked_unseen;  /* bytes the peer ACKed that this capture never saw: capture loss */
    struct tcp_segment *ooo; /* out-of-order list sorted by sequence */
    struct tcp_stream_stats stats;
};

/* Prepare a direction with a buffer cap (bytes). */
void tcp_stream_init(struct tcp_stream *s, uint32_t max_buffer);

/*
 * Feed one segment of this direction: its sequence number, TCP flags, and captured payload
 * (len may be smaller than the segment when snaplen cut it: the rest counts as a gap later).
 * In-order bytes, including held segments that became in order, go to deliver.
 * Returns 0, or -1 when memory for a held segment could not be had (bytes counted dropped).
 */
int tcp_stream_segment(struct tcp_stream *s, uint32_t seq, uint8_t flags, const uint8_t *data,
                       uint32_t len, uint32_t wire_len, uint64_t frame, tcp_deliver_fn deliver,
                       void *ctx);

/*
 * Note an ACK sent by the other side covering this direction's data up to ack; bytes acked
 * beyond anything captured are counted in acked_unseen (a sign of capture loss).
 */
void tcp_stream_ack(struct tcp_stream *s, uint32_t ack);

/*
 * Deliver everything still held (in sequence order, each hole reported as a gap) and release
 * the buffers; call when the connection closes or expires.
 */
void tcp_stream_flush(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx);

/* Release buffers without delivering. */
void tcp_stream_free(struct tcp_stream *s);

#endif
