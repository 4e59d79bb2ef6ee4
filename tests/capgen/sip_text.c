/* sip_text.c — SIP (RFC 3261 §7, §20) and SDP (RFC 4566, ICE candidates RFC 8839) text. */
#include "sip_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* An append cursor over a caller's buffer; ok drops to 0 once something did not fit. */
struct text {
    char *buf;
    size_t cap, len;
    int ok;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append printf-style text; on overflow mark t failed and keep the old length. */
static void
text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    if (!t->ok)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= t->cap - t->len)
        t->ok = 0;
    else
        t->len += (size_t)n;
}

int
sip_text_format(char *buf, size_t cap, const struct sip_msg *m)
{
    struct text t = {buf, cap, 0, cap > 0};
    if (m->method)
        text_add(&t, "%s %s SIP/2.0\r\n", m->method, m->ruri);
    else
        text_add(&t, "SIP/2.0 %d %s\r\n", m->status, m->reason);
    text_add(&t, "Via: SIP/2.0/%s %s:%u;branch=%s%s\r\n", m->transport, m->via_host,
             (unsigned)m->via_port, m->branch, m->via_extra ? m->via_extra : "");
    if (m->method)
        text_add(&t, "Max-Forwards: 70\r\n");
    text_add(&t, "From: %s;tag=%s\r\n", m->from, m->from_tag);
    if (m->to_tag)
        text_add(&t, "To: %s;tag=%s\r\n", m->to, m->to_tag);
    else
        text_add(&t, "To: %s\r\n", m->to);
    text_add(&t, "Call-ID: %s\r\n", m->call_id);
    text_add(&t, "CSeq: %u %s\r\n", (unsigned)m->cseq, m->cseq_method ? m->cseq_method : m->method);
    if (m->contact)
        text_add(&t, "Contact: <%s>\r\n", m->contact);
    if (m->user_agent)
        text_add(&t, "%s: %s\r\n", m->method ? "User-Agent" : "Server", m->user_agent);
    if (m->extra)
        text_add(&t, "%s", m->extra);
    if (m->body) {
        text_add(&t, "Content-Type: %s\r\n", m->content_type);
        text_add(&t, "Content-Length: %zu\r\n\r\n%s", strlen(m->body), m->body);
    } else {
        text_add(&t, "Content-Length: 0\r\n\r\n");
    }
    return t.ok ? (int)t.len : -1;
}

/* The rtpmap (and fmtp) lines of one payload type, as common phones write them. */
static void
sdp_codec(struct text *t, int pt)
{
    switch (pt) {
    case 0:
        text_add(t, "a=rtpmap:0 PCMU/8000\r\n");
        break;
    case 8:
        text_add(t, "a=rtpmap:8 PCMA/8000\r\n");
        break;
    case 9:
        text_add(t, "a=rtpmap:9 G722/8000\r\n");
        break;
    case 18:
        text_add(t, "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n");
        break;
    case 101:
        text_add(t, "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n");
        break;
    default:
        break;
    }
}

int
sdp_text_format(char *buf, size_t cap, const struct sdp_spec *s)
{
    struct text t = {buf, cap, 0, cap > 0};
    const char *fam = strchr(s->addr, ':') ? "IP6" : "IP4";
    text_add(&t, "v=0\r\n");
    text_add(&t, "o=%s %llu %llu IN %s %s\r\n", s->user, (unsigned long long)s->sess_id,
             (unsigned long long)s->sess_id, fam, s->addr);
    text_add(&t, "s=-\r\nc=IN %s %s\r\nt=0 0\r\n", fam, s->addr);
    text_add(&t, "m=audio %u RTP/AVP %s\r\n", (unsigned)s->port, s->codecs);
    for (const char *p = s->codecs; *p;) {
        int pt, n;
        if (sscanf(p, "%d%n", &pt, &n) != 1)
            break;
        sdp_codec(&t, pt);
        p += n;
    }
    text_add(&t, "a=ptime:20\r\na=maxptime:150\r\na=sendrecv\r\n");
    for (unsigned i = 0; i < s->candidates; i++) {
        /* host, then server-reflexive candidates in documentation space, RTP and RTCP */
        unsigned comp = 1 + i % 2, k = i / 2;
        unsigned prio = (k == 0 ? 2130706431u : 1694498815u) - comp + 1 - k * 256u;
        if (k == 0)
            text_add(&t, "a=candidate:%u %u udp %u %s %u typ host\r\n", 1u, comp, prio, s->addr,
                     (unsigned)s->port + comp - 1);
        else
            text_add(&t, "a=candidate:%u %u udp %u 203.0.113.%u %u typ srflx raddr %s rport %u\r\n",
                     k + 1, comp, prio, 100 + k % 100, 40000 + k * 2 + comp - 1, s->addr,
                     (unsigned)s->port + comp - 1);
    }
    return t.ok ? (int)t.len : -1;
}
