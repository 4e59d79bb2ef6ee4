/* sip_stream.h — SIP over TCP (RFC 3261 §18.3): sofia-sip framing, CRLF keep-alives (RFC 5626). */
#ifndef VOIPDIAG_SIP_STREAM_H
#define VOIPDIAG_SIP_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "sip.h"

#define SIP_STREAM_MAX_MSG 65536u /* header block and whole message; more is resynchronised */
#define SIP_STREAM_LINE_MAX 1024u /* a start line longer than this is not believed */

enum sip_stream_event_kind {
    SIP_STREAM_MESSAGE,               /* ev->msg: a framed message (its status may be MALFORMED) */
    SIP_STREAM_KEEPALIVE_CRLF,        /* "\r\n" between messages: RFC 5626 §3.5.1 pong */
    SIP_STREAM_KEEPALIVE_DOUBLE_CRLF, /* "\r\n\r\n" between messages: RFC 5626 §3.5.1 ping */
    SIP_STREAM_DISCARD,               /* ev->bytes dropped while resynchronising, ev->reason why */
};

struct sip_stream_event {
    enum sip_stream_event_kind kind;
    const struct sip_message *msg; /* MESSAGE only; msg->sdp points into the stream's copy */
    uint64_t bytes;                /* DISCARD: bytes that never became a message */
    const char *reason;            /* DISCARD: "gap", "bad start line", "NUL byte in headers" … */
};

/*
 * Receives events in stream order. Everything ev points to is valid during the call only.
 * The callback must not call back into the same stream.
 */
typedef void (*sip_stream_fn)(void *ctx, const struct sip_stream_event *ev);

struct sip_stream_stats {
    uint64_t messages;        /* MESSAGE events */
    uint64_t malformed;       /* of which status != SIP_OK */
    uint64_t keepalives;      /* KEEPALIVE_* events */
    uint64_t resyncs;         /* times the stream lost its framing (gap, parse error, limit) */
    uint64_t discarded_bytes; /* bytes dropped while resynchronising */
};

/* One direction of one TCP connection. Opaque: sofia state lives inside. */
struct sip_stream;

/* A new stream at a message boundary delivering to fn(ctx, …); NULL when out of memory. */
struct sip_stream *sip_stream_new(sip_stream_fn fn, void *ctx);

/*
 * Feed the next len in-order bytes (borrowed for the call). Complete messages and
 * keep-alives are delivered before it returns; a partial message is kept (at most
 * SIP_STREAM_MAX_MSG bytes, then resynchronised). A CRLF run that ends the call is reported
 * then, so a ping split over two calls counts as two pongs. Returns 0, or -1 when memory ran
 * out (the bytes concerned are counted as discarded; the stream stays usable).
 */
int sip_stream_feed(struct sip_stream *s, const uint8_t *data, size_t len);

/*
 * Bytes were lost before the next feed: the partial message is dropped and the stream skips
 * to the next line that looks like a SIP start line (the first line after the gap counts).
 */
void sip_stream_gap(struct sip_stream *s);

/* The connection ended (FIN/RST/expiry): report a partial message as discarded and reset. */
void sip_stream_end(struct sip_stream *s);

const struct sip_stream_stats *sip_stream_stats(const struct sip_stream *s);

/* Release the stream and everything sofia held for it; NULL is allowed. No events. */
void sip_stream_free(struct sip_stream *s);

#endif
