/* sip_stream.c — SIP over TCP (RFC 3261 §18.3) framed by sofia-sip; keep-alives (RFC 5626). */
#include "sip_stream.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_buffer.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#define STREAM_CHUNK 16384u /* bytes handed to sofia per msg_recv_iovec */
#define STREAM_IOV 4
/* Bytes sofia can hand back after a failure: one message's worth, as fed. */
#define STREAM_REDO_MAX (SIP_STREAM_MAX_MSG + STREAM_CHUNK + SIP_STREAM_LINE_MAX)

/*
 * LINE: at a line start, collecting a line that must look like a SIP start line before
 * sofia sees it (CRLF runs here count as keep-alives when `boundary`). SKIP: dropping the
 * rest of a line. MSG: sofia holds a message under way.
 */
enum stream_mode { MODE_LINE, MODE_SKIP, MODE_MSG };

struct sip_stream {
    sip_stream_fn fn;
    void *ctx;
    enum stream_mode mode;
    bool boundary;    /* LINE mode right after a message or at the stream start */
    bool nomem;       /* an allocation failed during this call */
    msg_t *msg;       /* MODE_MSG: the message sofia is framing */
    size_t fed;       /* bytes handed to msg */
    uint8_t crlf;     /* line ends seen in the keep-alive run at a boundary */
    const char *lost; /* reason of the resync under way, NULL when in sync */
    uint64_t lost_bytes;
    char lost_text[SIP_REASON_MAX];
    char why_text[SIP_REASON_MAX]; /* failure_reason() words sofia's complaint here */
    size_t line_len;
    uint8_t line[SIP_STREAM_LINE_MAX];
    uint8_t *body; /* copy of the last message body, for ev->msg->sdp */
    size_t body_cap;
    uint8_t *redo, *work; /* bytes sofia handed back after a failure, to scan again */
    size_t redo_len;
    struct sip_stream_stats stats;
};

static void
emit(struct sip_stream *s, enum sip_stream_event_kind kind)
{
    struct sip_stream_event ev = {kind, NULL, 0, NULL};
    if (kind != SIP_STREAM_MESSAGE && kind != SIP_STREAM_DISCARD)
        s->stats.keepalives++;
    s->fn(s->ctx, &ev);
}

/* A keep-alive run is over (other bytes follow, or the feed ended): report a lone CRLF. */
static void
keepalive_flush(struct sip_stream *s)
{
    if (s->crlf == 1)
        emit(s, SIP_STREAM_KEEPALIVE_CRLF);
    s->crlf = 0;
}

/* One byte of a CR/LF run at a boundary; every second line end makes a double-CRLF ping. */
static void
keepalive_byte(struct sip_stream *s, uint8_t b)
{
    if (b != '\n')
        return; /* CR: the LF decides (LF-only peers are counted too) */
    if (++s->crlf == 2) {
        emit(s, SIP_STREAM_KEEPALIVE_DOUBLE_CRLF);
        s->crlf = 0;
    }
}

/* Start (or continue) losing bytes; the first reason of an episode is the one reported. */
static void
lose(struct sip_stream *s, const char *why, uint64_t bytes)
{
    if (!s->lost) {
        snprintf(s->lost_text, sizeof s->lost_text, "%s", why);
        s->lost = s->lost_text;
        s->stats.resyncs++;
    }
    s->lost_bytes += bytes;
    s->stats.discarded_bytes += bytes;
}

/* Back in sync: report what the episode dropped. */
static void
regained(struct sip_stream *s)
{
    if (s->lost && s->lost_bytes > 0) {
        struct sip_stream_event ev = {SIP_STREAM_DISCARD, NULL, s->lost_bytes, s->lost};
        s->fn(s->ctx, &ev);
    }
    s->lost = NULL;
    s->lost_bytes = 0;
}

static msg_t *
new_msg(struct sip_stream *s)
{
    msg_t *m = msg_create(sip_default_mclass(), 0);
    if (!m) {
        s->nomem = true;
    } else {
        su_home_preload(msg_home(m), 1, SIP_HOME_PRELOAD); /* the headers: one malloc */
        msg_maxsize(m, SIP_STREAM_MAX_MSG);
    }
    return m;
}

/* Hand n bytes to sofia through its receive vectors (never msg_buf_alloc: see libraries.md). */
static bool
msg_put(struct sip_stream *s, const uint8_t *p, size_t n)
{
    msg_iovec_t vec[STREAM_IOV];
    issize_t k = msg_recv_iovec(s->msg, vec, STREAM_IOV, (usize_t)n, 0);
    if (k < 0)
        return false;
    size_t off = 0;
    for (issize_t i = 0; i < k && off < n; i++) {
        size_t l = vec[i].mv_len < n - off ? vec[i].mv_len : n - off;
        memcpy(vec[i].mv_base, p + off, l);
        off += l;
    }
    if (off < n)
        return false;
    msg_recv_commit(s->msg, (usize_t)n, 0);
    s->fed += n;
    return true;
}

/* Keep bytes to scan again; beyond STREAM_REDO_MAX the oldest are dropped. */
static void
redo_add(struct sip_stream *s, const uint8_t *p, size_t n)
{
    if (!s->redo && !(s->redo = malloc(STREAM_REDO_MAX))) {
        s->nomem = true;
        lose(s, "out of memory", n);
        return;
    }
    if (s->redo_len + n > STREAM_REDO_MAX) {
        size_t drop = s->redo_len + n - STREAM_REDO_MAX;
        lose(s, "resync backlog", drop);
        if (drop >= n)
            return;
        p += drop, n -= drop; /* the front of p is what no longer fits */
    }
    memcpy(s->redo + s->redo_len, p, n);
    s->redo_len += n;
}

/*
 * sofia gave up on the message (or we did): the bytes it consumed are lost, the bytes it had
 * not parsed yet are scanned again for a start line. When it consumed nothing, the first line
 * is skipped so that the same bytes cannot fail twice.
 */
static void
msg_fail(struct sip_stream *s, const char *why)
{
    msg_t *next = msg_next(s->msg);
    msg_t *src = next ? next : s->msg;
    size_t left = msg_buf_committed(src);
    const uint8_t *rest = msg_buf_committed_data(src);
    if (left > s->fed || !rest)
        left = 0;
    lose(s, why, s->fed - left);
    if (left)
        redo_add(s, rest, left);
    s->mode = left < s->fed ? MODE_LINE : MODE_SKIP;
    s->boundary = false;
    s->line_len = 0;
    msg_destroy(next);
    msg_destroy(s->msg);
    s->msg = NULL;
    s->fed = 0;
}

/* Why a message sofia stopped on cannot be delivered. */
static const char *
failure_reason(struct sip_stream *s)
{
    if (msg_get_flags(s->msg, MSG_FLG_TOOLARGE))
        return "message over 64 KiB";
    if (msg_get_flags(s->msg, MSG_FLG_TRUNC))
        return "truncated message";
    const sip_t *sip = sip_object(s->msg);
    if (sip && sip->sip_separator && !sip->sip_content_length && !sip->sip_error)
        return "missing Content-Length";       /* mandatory on streams (RFC 3261 §18.3) */
    struct sip_message *m = malloc(sizeof *m); /* rare path: keep 8 KiB off the stack */
    if (!m)
        return "unparsable message";
    sip_message_from_sofia(s->msg, -1, m);
    snprintf(s->why_text, sizeof s->why_text, "%s", m->reason[0] ? m->reason : "unparsable");
    free(m);
    return s->why_text;
}

/* sofia says 0 (need more): decide whether it can ever finish. */
static const char *
stall_reason(struct sip_stream *s)
{
    const sip_t *sip = sip_object(s->msg);
    if (sip && !sip->sip_separator) { /* still in the header block */
        const uint8_t *d = msg_buf_committed_data(s->msg);
        size_t k = msg_buf_committed(s->msg);
        if (d && memchr(d, 0, k)) /* sofia would wait forever on it */
            return "NUL byte in headers";
    }
    if (s->fed > SIP_STREAM_MAX_MSG)
        return "no message end within 64 KiB";
    return NULL;
}

static void
deliver(struct sip_stream *s)
{
    struct sip_message m;
    sip_message_from_sofia(s->msg, 1, &m);
    const sip_t *sip = sip_object(s->msg);
    size_t len = 0;
    for (const msg_payload_t *pl = sip->sip_payload; pl; pl = pl->pl_next)
        len += pl->pl_len;
    if (len > s->body_cap) {
        uint8_t *b = realloc(s->body, len);
        if (!b) {
            s->nomem = true;
            len = 0;
        } else {
            s->body = b;
            s->body_cap = len;
        }
    }
    size_t off = 0;
    for (const msg_payload_t *pl = sip->sip_payload; pl && off < len; pl = pl->pl_next) {
        memcpy(s->body + off, pl->pl_data, pl->pl_len);
        off += pl->pl_len;
    }
    m.body_len = (uint32_t)len;
    m.header_end_seen = sip->sip_separator != NULL;
    m.cl_mismatch = m.has_content_length && m.content_length != m.body_len;
    if (len > 0 && strcasecmp(m.content_type, "application/sdp") == 0) {
        m.sdp = s->body;
        m.sdp_len = m.body_len;
    }
    s->stats.messages++;
    if (m.status != SIP_OK)
        s->stats.malformed++;
    struct sip_stream_event ev = {SIP_STREAM_MESSAGE, &m, 0, NULL};
    s->fn(s->ctx, &ev);
}

/*
 * The message after a delivered one: sofia's leftover bytes (msg_next). Leading CRLFs there
 * are keep-alives; when nothing else is left the stream is back at a boundary.
 */
static bool
take_next(struct sip_stream *s, msg_t *next)
{
    msg_destroy(s->msg);
    s->msg = next;
    s->fed = next ? msg_buf_committed(next) : 0;
    const uint8_t *d = next ? msg_buf_committed_data(next) : NULL;
    size_t k = 0;
    while (d && k < s->fed && (d[k] == '\r' || d[k] == '\n'))
        keepalive_byte(s, d[k++]);
    if (!next || k == s->fed) {
        msg_destroy(next);
        s->msg = NULL;
        s->fed = 0;
        s->mode = MODE_LINE;
        s->boundary = true;
        return false;
    }
    keepalive_flush(s);
    su_home_preload(msg_home(next), 1, SIP_HOME_PRELOAD);
    msg_maxsize(next, SIP_STREAM_MAX_MSG);
    return true;
}

/* Run sofia's framing on what it holds: deliver complete messages, spot dead ends. */
static void
extract(struct sip_stream *s)
{
    for (;;) {
        int rc = msg_extract(s->msg);
        if (rc == 0) {
            const char *why = stall_reason(s);
            if (why)
                msg_fail(s, why);
            return;
        }
        if (rc < 0 || msg_get_flags(s->msg, MSG_FLG_TRUNC | MSG_FLG_TOOLARGE)) {
            msg_fail(s, failure_reason(s));
            return;
        }
        msg_t *next = msg_next(s->msg);
        deliver(s);
        if (!take_next(s, next))
            return;
    }
}

static bool
starts_with(const uint8_t *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

/* Length of a known method name (followed by SP) at p, 0 when none. */
static size_t
known_method_at(const uint8_t *p, size_t n)
{
    for (enum sip_req m = SIP_REQ_INVITE; m <= SIP_REQ_PUBLISH; m++) {
        const char *name = sip_req_name(m);
        size_t k = strlen(name);
        if (n > k && memcmp(p, name, k) == 0 && p[k] == ' ')
            return k;
    }
    return 0;
}

/*
 * Where a SIP start line begins in the complete line[0..n), or n when it holds none. In sync
 * the whole line is judged (any method). While resynchronising only a status line or a
 * request with a method sofia knows is believed — the tail of a cut line ("ITE sip:b …")
 * must not pass — and it may follow the tail of a body that had no line end
 * ("a=ptime:20SIP/2.0 200 OK"), so it is looked for anywhere in the line.
 */
static size_t
start_line_at(const uint8_t *line, size_t n, bool resyncing)
{
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = line + i;
        if (resyncing && !starts_with(p, n - i, "SIP/2.0 ") && !known_method_at(p, n - i))
            continue;
        enum sip_payload_kind k = sip_classify(p, n - i);
        if (k == SIP_PAYLOAD_REQUEST || k == SIP_PAYLOAD_RESPONSE)
            return i;
        if (!resyncing)
            return n;
    }
    return n;
}

/* LINE mode: collect one line; a SIP start line opens a message, anything else is dropped. */
static size_t
step_line(struct sip_stream *s, const uint8_t *p, size_t n)
{
    size_t used = 0;
    if (s->boundary && s->line_len == 0) {
        while (used < n && (p[used] == '\r' || p[used] == '\n'))
            keepalive_byte(s, p[used++]);
        if (used == n)
            return used;
        keepalive_flush(s);
    }
    const uint8_t *lf = memchr(p + used, '\n', n - used);
    size_t take = lf ? (size_t)(lf - (p + used)) + 1 : n - used;
    if (s->line_len + take > SIP_STREAM_LINE_MAX) {
        lose(s, "no SIP start line", s->line_len);
        s->line_len = 0;
        s->boundary = false;
        s->mode = MODE_SKIP;
        return used;
    }
    memcpy(s->line + s->line_len, p + used, take);
    s->line_len += take;
    used += take;
    if (!lf)
        return used;
    size_t at = start_line_at(s->line, s->line_len, s->lost != NULL);
    if (at > 0)
        lose(s, "no SIP start line", at);
    if (at == s->line_len) {
        s->line_len = 0;
        s->boundary = false;
        return used;
    }
    regained(s);
    s->boundary = false;
    if (!(s->msg = new_msg(s))) {
        lose(s, "out of memory", s->line_len);
        s->line_len = 0;
        return used;
    }
    s->mode = MODE_MSG;
    s->fed = 0;
    bool ok = msg_put(s, s->line + at, s->line_len - at);
    s->line_len = 0;
    if (!ok)
        msg_fail(s, "out of memory");
    return used;
}

/* Consume some of p[0..n) in the current mode; returns the bytes used (> 0 when n > 0). */
static size_t
step(struct sip_stream *s, const uint8_t *p, size_t n)
{
    switch (s->mode) {
    case MODE_LINE:
        return step_line(s, p, n);
    case MODE_SKIP: {
        const uint8_t *lf = memchr(p, '\n', n);
        size_t take = lf ? (size_t)(lf - p) + 1 : n;
        lose(s, "no SIP start line", take);
        if (lf)
            s->mode = MODE_LINE;
        return take;
    }
    case MODE_MSG:
        break;
    }
    size_t take = n < STREAM_CHUNK ? n : STREAM_CHUNK;
    if (!msg_put(s, p, take)) {
        lose(s, "message over 64 KiB", take);
        msg_fail(s, "message over 64 KiB");
        return take;
    }
    extract(s);
    return take;
}

/* Scan again what sofia handed back; a failure inside puts its bytes in front of the rest. */
static void
drain(struct sip_stream *s)
{
    while (s->redo_len > 0) {
        if (!s->work && !(s->work = malloc(STREAM_REDO_MAX))) {
            s->nomem = true;
            lose(s, "out of memory", s->redo_len);
            s->redo_len = 0;
            return;
        }
        uint8_t *w = s->redo;
        size_t wn = s->redo_len, off = 0;
        s->redo = s->work;
        s->work = w;
        s->redo_len = 0;
        while (off < wn && s->redo_len == 0)
            off += step(s, w + off, wn - off);
        if (off < wn)
            redo_add(s, w + off, wn - off);
    }
}

struct sip_stream *
sip_stream_new(sip_stream_fn fn, void *ctx)
{
    struct sip_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->fn = fn;
    s->ctx = ctx;
    s->mode = MODE_LINE;
    s->boundary = true;
    return s;
}

int
sip_stream_feed(struct sip_stream *s, const uint8_t *data, size_t len)
{
    s->nomem = false;
    while (len > 0) {
        size_t used = step(s, data, len);
        data += used;
        len -= used;
        drain(s);
    }
    if (s->mode == MODE_LINE && s->boundary && s->line_len == 0)
        keepalive_flush(s);
    free(s->redo); /* only failures need them: a quiet stream holds no 160 KiB */
    free(s->work);
    s->redo = s->work = NULL;
    return s->nomem ? -1 : 0;
}

/* Drop whatever is under way and wait for a start line; reason names the cause. */
static void
resync(struct sip_stream *s, const char *reason)
{
    keepalive_flush(s);
    uint64_t bytes = s->line_len;
    if (s->msg) {
        bytes += s->fed;
        msg_destroy(s->msg);
        s->msg = NULL;
        s->fed = 0;
    }
    if (bytes > 0)
        lose(s, reason, bytes);
    s->line_len = 0;
    s->mode = MODE_LINE;
}

void
sip_stream_gap(struct sip_stream *s)
{
    resync(s, "gap");
    if (!s->lost)
        lose(s, "gap", 0); /* in sync or not, the next bytes need a start line */
    s->boundary = false;
}

void
sip_stream_end(struct sip_stream *s)
{
    resync(s, "stream ended inside a message");
    regained(s);
    s->boundary = true;
}

const struct sip_stream_stats *
sip_stream_stats(const struct sip_stream *s)
{
    return &s->stats;
}

void
sip_stream_free(struct sip_stream *s)
{
    if (!s)
        return;
    msg_destroy(s->msg);
    free(s->body);
    free(s->redo);
    free(s->work);
    free(s);
}
