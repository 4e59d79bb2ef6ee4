/* tcp_stream.c — one direction's in-order TCP byte stream (RFC 9293 §3.4, §3.10.7.4), bounded. */
#include "tcp_stream.h"

#include <stdlib.h>
#include <string.h>

#include "../../dissectors/packet.h"

#define TCP_STREAM_WINDOW (1u << 30)    /* farthest a segment may start ahead (RFC 7323 §2.3) */
#define TCP_STREAM_MAX_SPAN (1u << 24)  /* largest segment taken; GRO/TSO captures reach 64 KiB+ */
#define TCP_STREAM_ACK_AHEAD (1u << 24) /* an ACK this far past the highest byte seen is believed  \
                                         */

/*
 * A held segment. Captured ranges [seq, seq + len) of held segments never overlap; span > len
 * marks a tail cut by snaplen (len may be 0: a marker that only carries the cut).
 */
struct tcp_segment {
    struct tcp_segment *next;
    uint64_t frame;
    uint32_t seq;
    uint32_t len;  /* captured bytes in data */
    uint32_t span; /* sequence space the segment covered on the wire */
    uint8_t data[];
};

/* The end of a snaplen-cut region being walked: bytes below it will not come, skip them. */
struct tcp_cut {
    bool on;
    uint32_t end;
};

enum hold_result { HOLD_OK, HOLD_DUP, HOLD_FULL, HOLD_NOMEM };

/* a - b in sequence space (RFC 9293 §3.4): negative when a is before b. */
static inline int32_t
seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

static inline uint32_t
max_held(const struct tcp_stream *s)
{
    return 64 + s->max_buffer / 256;
}

void
tcp_stream_init(struct tcp_stream *s, uint32_t max_buffer)
{
    memset(s, 0, sizeof(*s));
    s->max_buffer = max_buffer;
}

/* Hand len > 0 in-order bytes to the consumer with the gap pending before them. */
static void
emit(struct tcp_stream *s, const uint8_t *data, uint32_t len, uint64_t frame,
     tcp_deliver_fn deliver, void *ctx)
{
    uint32_t gap = s->pending_gap > UINT32_MAX ? UINT32_MAX : (uint32_t)s->pending_gap;
    s->pending_gap = 0;
    s->stats.bytes += len;
    if (deliver)
        deliver(ctx, data, len, gap, frame);
}

/* Skip n bytes that will never be delivered; the next delivery reports them as gap_before. */
static void
skip(struct tcp_stream *s, uint32_t n)
{
    if (!n)
        return;
    s->next_seq += n;
    s->pending_gap += n;
    s->stats.gaps++;
    s->stats.gap_bytes += n;
}

/*
 * Deliver the part of a piece at or after next_seq (the piece must start at or before it) and
 * note its cut tail in *cut for advance() to skip.
 */
static void
take_piece(struct tcp_stream *s, uint32_t seq, const uint8_t *data, uint32_t len, uint32_t span,
           uint64_t frame, struct tcp_cut *cut, tcp_deliver_fn deliver, void *ctx)
{
    uint32_t done = s->next_seq - seq;
    if (done < len) {
        s->next_seq = seq + len;
        emit(s, data + done, len - done, frame, deliver, ctx);
    }
    uint32_t end = seq + span;
    if (span > len && seq_diff(end, s->next_seq) > 0 && (!cut->on || seq_diff(end, cut->end) > 0)) {
        cut->on = true;
        cut->end = end;
    }
}

static void
unlink_head(struct tcp_stream *s)
{
    struct tcp_segment *h = s->ooo;
    s->ooo = h->next;
    s->buffered -= h->len;
    s->held--;
    free(h);
}

/*
 * Deliver held segments that became in order, skipping snaplen-cut bytes as gaps up to the
 * next held segment. On return the list head, if any, lies ahead of next_seq.
 */
static void
advance(struct tcp_stream *s, struct tcp_cut *cut, tcp_deliver_fn deliver, void *ctx)
{
    for (;;) {
        struct tcp_segment *h = s->ooo;
        if (h && seq_diff(h->seq, s->next_seq) <= 0) {
            take_piece(s, h->seq, h->data, h->len, h->span, h->frame, cut, deliver, ctx);
            unlink_head(s);
            continue;
        }
        if (cut->on && seq_diff(cut->end, s->next_seq) > 0) {
            uint32_t stop = cut->end;
            if (h && seq_diff(h->seq, stop) < 0)
                stop = h->seq;
            skip(s, stop - s->next_seq);
            continue;
        }
        cut->on = false;
        return;
    }
}

/* Gap policy: give up on the hole before the first held segment and deliver what follows. */
static void
skip_hole(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx)
{
    struct tcp_cut cut = {false, 0};
    if (seq_diff(s->ooo->seq, s->next_seq) > 0)
        skip(s, s->ooo->seq - s->next_seq);
    advance(s, &cut, deliver, ctx);
}

/*
 * Whether the peer's ACK covers every byte before seq: a hole ending at seq was received by the
 * peer, so the capture (not the network) lost it and no retransmission will fill it. An ACK far
 * beyond anything this direction sent is not believed.
 */
static bool
acked_past(const struct tcp_stream *s, uint32_t seq)
{
    return s->ack_seen && seq_diff(s->highest_ack, seq) >= 0 &&
           (!s->have_high ||
            seq_diff(s->highest_ack, s->high_seq) <= (int32_t)TCP_STREAM_ACK_AHEAD);
}

/* Give up on every hole the peer has ACKed past and deliver the data held after each. */
static void
release_acked(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx)
{
    while (s->ooo && acked_past(s, s->ooo->seq)) {
        if (seq_diff(s->ooo->seq, s->next_seq) > 0)
            s->stats.acked_gaps++;
        skip_hole(s, deliver, ctx);
    }
}

/* Insert a held piece before *pp; false when memory is short. */
static bool
insert_piece(struct tcp_stream *s, struct tcp_segment **pp, uint32_t seq, const uint8_t *data,
             uint32_t len, uint32_t span, uint64_t frame)
{
    struct tcp_segment *n = malloc(sizeof(*n) + len);
    if (!n)
        return false;
    n->seq = seq;
    n->len = len;
    n->span = span;
    n->frame = frame;
    if (len)
        memcpy(n->data, data, len);
    n->next = *pp;
    *pp = n;
    s->buffered += len;
    s->held++;
    return true;
}

/*
 * Walk the held list for the captured bytes [seq, seq + len) and the cut marker after them:
 * count (commit false) or insert (commit true) the pieces that fill holes between held data.
 * Returns false only when an insertion ran out of memory.
 */
static bool
hold_walk(struct tcp_stream *s, uint32_t seq, const uint8_t *data, uint32_t len, uint32_t span,
          uint64_t frame, bool commit, uint32_t *bytes, uint32_t *pieces)
{
    struct tcp_segment **pp = &s->ooo;
    uint32_t cur = seq, end = seq + len;
    *bytes = *pieces = 0;
    while (seq_diff(end, cur) > 0) {
        struct tcp_segment *p = *pp;
        if (p && seq_diff(p->seq, cur) <= 0) {
            if (seq_diff(p->seq + p->len, cur) > 0)
                cur = seq_diff(p->seq + p->len, end) < 0 ? p->seq + p->len : end;
            pp = &p->next;
            continue;
        }
        uint32_t stop = p && seq_diff(p->seq, end) < 0 ? p->seq : end;
        *bytes += stop - cur;
        (*pieces)++;
        if (commit) {
            if (!insert_piece(s, pp, cur, data + (cur - seq), stop - cur, stop - cur, frame))
                return false;
            pp = &(*pp)->next;
        }
        cur = stop;
    }
    if (span == len)
        return true;
    /* The cut tail rides on a zero-length marker, unless an equal one is held already. */
    pp = &s->ooo;
    while (*pp && seq_diff((*pp)->seq, end) <= 0) {
        if ((*pp)->seq == end && (*pp)->len == 0 && (*pp)->span >= span - len)
            return true;
        pp = &(*pp)->next;
    }
    (*pieces)++;
    return !commit || insert_piece(s, pp, end, NULL, 0, span - len, frame);
}

/* Hold an out-of-order segment if it fits the caps. */
static enum hold_result
hold(struct tcp_stream *s, uint32_t seq, const uint8_t *data, uint32_t len, uint32_t span,
     uint64_t frame)
{
    uint32_t bytes, pieces;
    hold_walk(s, seq, data, len, span, frame, false, &bytes, &pieces);
    if (pieces == 0)
        return HOLD_DUP;
    if ((uint64_t)s->buffered + bytes > s->max_buffer || s->held + pieces > max_held(s))
        return HOLD_FULL;
    if (bytes < len)
        s->stats.overlaps++;
    if (!hold_walk(s, seq, data, len, span, frame, true, &bytes, &pieces))
        return HOLD_NOMEM;
    return HOLD_OK;
}

/*
 * Place the data of one segment (seq is the first data byte, span its wire length): deliver,
 * count as a retransmission, or hold. When the hold is full, the gap policy skips the hole
 * before the held data (delivering it) and retries, so captured bytes are never thrown away
 * for the cap and a stream never stalls. Returns -1 only when memory ran out.
 */
static int
take_data(struct tcp_stream *s, uint32_t seq, const uint8_t *data, uint32_t len, uint32_t span,
          uint64_t frame, tcp_deliver_fn deliver, void *ctx)
{
    bool counted = false;
    for (;;) {
        int32_t d = seq_diff(seq, s->next_seq);
        if (seq_diff(seq + span, s->next_seq) <= 0) {
            s->stats.retransmissions++;
            return 0;
        }
        if (d <= 0) {
            const struct tcp_segment *h = s->ooo;
            if (d < 0 || (h && h->len && seq_diff(seq + len, h->seq) > 0))
                s->stats.overlaps++;
            struct tcp_cut cut = {false, 0};
            take_piece(s, seq, data, len, span, frame, &cut, deliver, ctx);
            advance(s, &cut, deliver, ctx);
            return 0;
        }
        if ((uint32_t)d > TCP_STREAM_WINDOW) {
            s->stats.dropped_bytes += len; /* far outside any window: not this stream's data */
            return 0;
        }
        if (!counted)
            s->stats.out_of_order++;
        counted = true;
        switch (hold(s, seq, data, len, span, frame)) {
        case HOLD_OK:
            release_acked(s, deliver, ctx); /* the hole before it may be ACKed already */
            return 0;
        case HOLD_DUP:
            s->stats.retransmissions++;
            return 0;
        case HOLD_NOMEM:
            s->stats.dropped_bytes += len;
            return -1;
        case HOLD_FULL:
            break;
        }
        if (s->ooo)
            skip_hole(s, deliver, ctx);
        else
            skip(s, (uint32_t)d); /* larger than the whole cap: skip to it, deliver it */
    }
}

int
tcp_stream_segment(struct tcp_stream *s, uint32_t seq, uint8_t flags, const uint8_t *data,
                   uint32_t len, uint32_t wire_len, uint64_t frame, tcp_deliver_fn deliver,
                   void *ctx)
{
    uint32_t span = wire_len > len ? wire_len : len;
    uint32_t dseq = seq;
    if (!data)
        len = 0;
    /* Holes the peer ACKed since this side's last segment: deliver what waits behind them now
     * (any segment of this side will do, a bare ACK too), not at the FIN. */
    if (s->ooo)
        release_acked(s, deliver, ctx);
    if (!span && !(flags & (TCP_SYN | TCP_FIN)))
        return 0; /* a bare ACK carries nothing for this direction */
    s->stats.segments++;
    if (flags & TCP_SYN) {
        dseq = seq + 1; /* the SYN takes one sequence number; data follows it */
        if (!s->have_isn) {
            s->next_seq = dseq;
            s->have_isn = true;
        }
    }
    if (flags & TCP_FIN)
        s->fin_seen = true;
    if (span > TCP_STREAM_MAX_SPAN) {
        s->stats.dropped_bytes += len;
        return 0;
    }
    uint32_t seen = dseq + span + ((flags & TCP_FIN) ? 1 : 0);
    if (!s->have_high || seq_diff(seen, s->high_seq) > 0) {
        s->high_seq = seen;
        s->have_high = true;
    }
    if (!span)
        return 0;
    if (!s->have_isn) {
        /* Capture began mid-connection: the first data seen starts the stream. */
        s->next_seq = dseq;
        s->have_isn = true;
    }
    return take_data(s, dseq, data, len, span, frame, deliver, ctx);
}

/*
 * Bytes in [lo, hi) that lie in holes: not covered by any held segment (or its snaplen-cut
 * tail) and before the end of the last one. Bytes after the last held segment are counted, if
 * ever, as ACKed beyond everything seen.
 */
static uint64_t
hole_bytes(const struct tcp_stream *s, uint32_t lo, uint32_t hi)
{
    uint64_t n = 0;
    uint32_t cur = lo;
    for (const struct tcp_segment *p = s->ooo; p && seq_diff(hi, cur) > 0; p = p->next) {
        uint32_t end = p->seq + (p->span > p->len ? p->span : p->len);
        if (seq_diff(p->seq, cur) > 0)
            n += (uint32_t)(seq_diff(p->seq, hi) < 0 ? p->seq - cur : hi - cur);
        if (seq_diff(end, cur) > 0)
            cur = end;
    }
    return n;
}

void
tcp_stream_release(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx)
{
    release_acked(s, deliver, ctx);
}

void
tcp_stream_ack(struct tcp_stream *s, uint32_t ack)
{
    int32_t up = seq_diff(ack, s->highest_ack);
    bool advances = !s->ack_seen || (up > 0 && (uint32_t)up <= TCP_STREAM_WINDOW);
    if (advances && s->have_isn && s->ooo) {
        /* Newly ACKed bytes inside holes: received by the peer, never captured. */
        uint32_t lo = s->next_seq;
        if (s->ack_seen && seq_diff(s->highest_ack, lo) > 0)
            lo = s->highest_ack;
        int32_t d = seq_diff(ack, lo);
        if (d > 0 && (uint32_t)d <= TCP_STREAM_WINDOW)
            s->acked_unseen += hole_bytes(s, lo, ack);
    }
    if (s->have_high) {
        /* Count only past what was seen and past earlier ACKs, so each byte counts once. */
        uint32_t base = s->high_seq;
        if (s->ack_seen && seq_diff(s->highest_ack, base) > 0)
            base = s->highest_ack;
        int32_t d = seq_diff(ack, base);
        if (d > 0 && (uint32_t)d <= TCP_STREAM_WINDOW)
            s->acked_unseen += (uint32_t)d;
    }
    if (advances) {
        s->highest_ack = ack;
        s->ack_seen = true;
    }
}

void
tcp_stream_flush(struct tcp_stream *s, tcp_deliver_fn deliver, void *ctx)
{
    while (s->ooo)
        skip_hole(s, deliver, ctx);
}

void
tcp_stream_free(struct tcp_stream *s)
{
    while (s->ooo)
        unlink_head(s);
}
