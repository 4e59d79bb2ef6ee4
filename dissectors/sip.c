/* sip.c — SIP (RFC 3261) adapter over sofia-sip; keep-alives (RFC 5626 §3.5.1), STUN (RFC 5389). */
#include "sip.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/msg_buffer.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_util.h>

#include "cursor.h"

#define STUN_HDR_LEN 20
#define STUN_MAGIC_COOKIE 0x2112a442u
#define SIP_START_LINE_SCAN 1024 /* bytes of a first line looked at before giving up */
#define SIP_DATAGRAM_MAX 65535u  /* largest UDP payload; sofia's sizes are 32-bit */
#define SIP_VERSION_LEN 7        /* "SIP/2.0" */

/* RFC 3261 §25.1 token characters (a method name is a token). */
static bool
is_token_char(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) { /* not strchr: this runs on the first byte of every UDP payload */
    case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'':
    case '~':
        return true;
    default:
        return false;
    }
}

static bool
at_line_end(const struct cursor *c)
{
    uint8_t b = cursor_peek(c, 0);
    return cursor_left(c) == 0 || b == '\r' || b == '\n';
}

/* Consume "SIP/2.0"; the version string is case-insensitive (RFC 3261 §7.1). */
static bool
take_sip_version(struct cursor *c)
{
    static const char want[SIP_VERSION_LEN + 1] = "SIP/2.0";
    for (size_t i = 0; i < SIP_VERSION_LEN; i++) {
        uint8_t b = cursor_u8(c);
        if (b >= 'a' && b <= 'z')
            b = (uint8_t)(b - 'a' + 'A');
        if (!cursor_ok(c) || b != (uint8_t)want[i])
            return false;
    }
    return true;
}

/* "SIP/2.0" SP 3DIGIT, then SP or the end of the line. */
static bool
looks_like_status_line(struct cursor c)
{
    if (!take_sip_version(&c) || cursor_u8(&c) != ' ')
        return false;
    for (int i = 0; i < 3; i++) {
        uint8_t d = cursor_u8(&c);
        if (!cursor_ok(&c) || d < '0' || d > '9')
            return false;
    }
    return cursor_peek(&c, 0) == ' ' || at_line_end(&c);
}

/* token SP Request-URI SP "SIP/2.0", then the end of the line. */
static bool
looks_like_request_line(struct cursor c)
{
    size_t len = 0;
    while (is_token_char(cursor_peek(&c, 0)) && cursor_left(&c) > 0) {
        cursor_skip(&c, 1);
        len++;
    }
    if (len == 0 || cursor_u8(&c) != ' ')
        return false;
    len = 0;
    for (uint8_t b = cursor_peek(&c, 0); b > ' ' && b != 0x7f; b = cursor_peek(&c, 0)) {
        cursor_skip(&c, 1);
        len++;
    }
    if (len == 0 || cursor_u8(&c) != ' ' || !take_sip_version(&c))
        return false;
    return at_line_end(&c);
}

/* RFC 5389 §6: top two bits zero, length a multiple of 4, the magic cookie at offset 4. */
static bool
looks_like_stun(const uint8_t *p, size_t n)
{
    struct cursor c = cursor_make(p, n);
    uint16_t type = cursor_be16(&c);
    uint16_t len = cursor_be16(&c);
    uint32_t cookie = cursor_be32(&c);
    return cursor_ok(&c) && n >= STUN_HDR_LEN && (type & 0xc000) == 0 && len % 4 == 0 &&
           cookie == STUN_MAGIC_COOKIE;
}

enum sip_payload_kind
sip_classify(const uint8_t *p, size_t n)
{
    if (n == 0)
        return SIP_PAYLOAD_EMPTY;
    if (n == 2 && memcmp(p, "\r\n", 2) == 0)
        return SIP_PAYLOAD_KEEPALIVE_CRLF;
    if (n == 4 && memcmp(p, "\r\n\r\n", 4) == 0)
        return SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF;
    if (n <= 4)
        return SIP_PAYLOAD_SHORT_PING;
    /* Fast exit for RTP/RTCP (version 2: 0x80–0xbf) and other binary payloads: a start line
     * begins with a token character or CR/LF, STUN with 0x00/0x01, all below 0x80. */
    if (p[0] >= 0x80)
        return SIP_PAYLOAD_OTHER;
    if (looks_like_stun(p, n))
        return SIP_PAYLOAD_STUN;
    struct cursor c = cursor_make(p, n < SIP_START_LINE_SCAN ? n : SIP_START_LINE_SCAN);
    while (cursor_left(&c) > 0 && (cursor_peek(&c, 0) == '\r' || cursor_peek(&c, 0) == '\n'))
        cursor_skip(&c, 1); /* RFC 3261 §7.5: CRLFs before the start line are ignored */
    if (looks_like_status_line(c))
        return SIP_PAYLOAD_RESPONSE;
    if (looks_like_request_line(c))
        return SIP_PAYLOAD_REQUEST;
    return SIP_PAYLOAD_OTHER;
}

const char *
sip_payload_kind_name(enum sip_payload_kind k)
{
    switch (k) {
    case SIP_PAYLOAD_REQUEST:
        return "request";
    case SIP_PAYLOAD_RESPONSE:
        return "response";
    case SIP_PAYLOAD_KEEPALIVE_CRLF:
        return "keepalive.crlf";
    case SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF:
        return "keepalive.double_crlf";
    case SIP_PAYLOAD_EMPTY:
        return "keepalive.empty";
    case SIP_PAYLOAD_SHORT_PING:
        return "keepalive.short";
    case SIP_PAYLOAD_STUN:
        return "stun";
    case SIP_PAYLOAD_OTHER:
        break;
    }
    return "other";
}

const char *
sip_req_name(enum sip_req m)
{
    static const char *const names[] = {
        "",     "OTHER", "INVITE", "ACK",     "CANCEL",    "BYE",    "OPTIONS", "REGISTER",
        "INFO", "PRACK", "UPDATE", "MESSAGE", "SUBSCRIBE", "NOTIFY", "REFER",   "PUBLISH"};
    _Static_assert(sizeof names / sizeof names[0] == SIP_REQ_PUBLISH + 1, "one name per method");
    return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : "OTHER";
}

/* sofia's sip_method_t runs INVITE … PUBLISH in the same order as enum sip_req. */
static enum sip_req
req_from_sofia(sip_method_t m)
{
    _Static_assert(sip_method_publish - sip_method_invite == SIP_REQ_PUBLISH - SIP_REQ_INVITE,
                   "sofia's method order");
    if (m >= sip_method_invite && m <= sip_method_publish)
        return (enum sip_req)(SIP_REQ_INVITE + (m - sip_method_invite));
    return SIP_REQ_OTHER;
}

/* Copy a sofia string (NULL allowed) into dst[cap], noting a cut in m->cut. */
static void
copy_text(struct sip_message *m, char *dst, size_t cap, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (len >= cap) {
        len = cap - 1;
        m->cut |= SIP_CUT_TEXT;
    }
    memcpy(dst, src ? src : "", len);
    dst[len] = '\0';
}

/* A decimal number of at most 10 digits up to max; false for anything else. */
static bool
parse_uint(const char *s, uint32_t max, uint32_t *v)
{
    uint64_t x = 0;
    size_t i = 0;
    for (; s && s[i] >= '0' && s[i] <= '9' && i < 10; i++)
        x = x * 10 + (uint64_t)(s[i] - '0');
    if (!s || i == 0 || s[i] != '\0' || x > max)
        return false;
    *v = (uint32_t)x;
    return true;
}

/* A port number 1..65535, or 0 for absent or invalid text. */
static uint16_t
parse_port(const char *s)
{
    uint32_t v;
    return parse_uint(s, 65535, &v) ? (uint16_t)v : 0;
}

static void
copy_uri(struct sip_message *m, struct sip_uri *dst, const url_t *u)
{
    copy_text(m, dst->scheme, sizeof dst->scheme, u->url_scheme);
    copy_text(m, dst->user, sizeof dst->user, u->url_user);
    copy_text(m, dst->host, sizeof dst->host, u->url_host);
    dst->port = parse_port(u->url_port);
    dst->transport[0] = '\0';
    char tp[SIP_NAME_MAX];
    isize_t k = u->url_params ? url_param(u->url_params, "transport", tp, sizeof tp) : 0;
    if (k > (isize_t)sizeof tp) /* url_param() copies nothing then, and says so by k */
        m->cut |= SIP_CUT_TEXT;
    else if (k > 0)
        copy_text(m, dst->transport, sizeof dst->transport, tp);
}

static void
copy_party(struct sip_message *m, struct sip_party *dst, const sip_addr_t *a)
{
    if (!a)
        return;
    dst->present = true;
    copy_text(m, dst->display, sizeof dst->display, a->a_display);
    copy_uri(m, &dst->uri, a->a_url);
    copy_text(m, dst->tag, sizeof dst->tag, a->a_tag);
}

static void
copy_via(struct sip_message *m, const sip_via_t *v)
{
    for (; v; v = v->v_next) {
        m->via_total++;
        if (m->via_count == SIP_MAX_VIA) {
            m->cut |= SIP_CUT_VIA;
            continue;
        }
        struct sip_hop *h = &m->via[m->via_count++];
        h->rport = 0;
        copy_text(m, h->protocol, sizeof h->protocol, v->v_protocol);
        const char *slash = v->v_protocol ? strrchr(v->v_protocol, '/') : NULL;
        copy_text(m, h->transport, sizeof h->transport, slash ? slash + 1 : v->v_protocol);
        copy_text(m, h->host, sizeof h->host, v->v_host);
        h->port = parse_port(v->v_port);
        copy_text(m, h->received, sizeof h->received, v->v_received);
        copy_text(m, h->branch, sizeof h->branch, v->v_branch);
        copy_text(m, h->maddr, sizeof h->maddr, v->v_maddr);
        if (!v->v_rport)
            h->rport_kind = SIP_RPORT_ABSENT;
        else if (v->v_rport[0] == '\0')
            h->rport_kind = SIP_RPORT_BARE;
        else if ((h->rport = parse_port(v->v_rport)) != 0)
            h->rport_kind = SIP_RPORT_VALUE;
        else
            h->rport_kind = SIP_RPORT_INVALID;
    }
}

static void
copy_contacts(struct sip_message *m, const sip_contact_t *c)
{
    for (; c; c = c->m_next) {
        m->contact_total++;
        if (m->contact_count == SIP_MAX_CONTACT) {
            m->cut |= SIP_CUT_CONTACT;
            continue;
        }
        struct sip_contact_info *ci = &m->contact[m->contact_count++];
        ci->expires = 0;
        ci->star = c->m_url->url_type == url_any;
        copy_uri(m, &ci->uri, c->m_url);
        ci->has_expires = parse_uint(c->m_expires, UINT32_MAX, &ci->expires);
    }
}

static uint8_t
copy_routes(struct sip_message *m, struct sip_hostport *dst, const sip_route_t *r)
{
    uint8_t count = 0;
    for (; r; r = r->r_next) {
        if (count == SIP_MAX_ROUTE) {
            m->cut |= SIP_CUT_ROUTE;
            break;
        }
        copy_text(m, dst[count].host, sizeof dst[count].host, r->r_url->url_host);
        dst[count].port = parse_port(r->r_url->url_port);
        count++;
    }
    return count;
}

static void
copy_start_line(struct sip_message *m, const sip_t *sip)
{
    if (sip->sip_request) {
        const sip_request_t *rq = sip->sip_request;
        m->is_request = true;
        m->method = req_from_sofia(rq->rq_method);
        copy_text(m, m->method_name, sizeof m->method_name, rq->rq_method_name);
        copy_uri(m, &m->ruri, rq->rq_url);
        copy_text(m, m->version, sizeof m->version, rq->rq_version);
    } else if (sip->sip_status) {
        const sip_status_t *st = sip->sip_status;
        m->code = st->st_status >= 0 && st->st_status <= 65535 ? (uint16_t)st->st_status : 0;
        copy_text(m, m->phrase, sizeof m->phrase, st->st_phrase);
        copy_text(m, m->version, sizeof m->version, st->st_version);
    }
}

static void
copy_headers(struct sip_message *m, const sip_t *sip)
{
    if (sip->sip_call_id)
        copy_text(m, m->call_id, sizeof m->call_id, sip->sip_call_id->i_id);
    if (sip->sip_cseq) {
        m->has_cseq = true;
        m->cseq = sip->sip_cseq->cs_seq;
        m->cseq_method = req_from_sofia(sip->sip_cseq->cs_method);
        copy_text(m, m->cseq_method_name, sizeof m->cseq_method_name,
                  sip->sip_cseq->cs_method_name);
    }
    copy_party(m, &m->from, sip->sip_from);
    copy_party(m, &m->to, sip->sip_to);
    copy_via(m, sip->sip_via);
    copy_contacts(m, sip->sip_contact);
    m->record_route_count = copy_routes(m, m->record_route, sip->sip_record_route);
    m->route_count = copy_routes(m, m->route, sip->sip_route);
    if (sip->sip_expires) {
        m->has_expires = true;
        m->expires = sip->sip_expires->ex_delta;
    }
    if (sip->sip_max_forwards) {
        m->has_max_forwards = true;
        m->max_forwards = sip->sip_max_forwards->mf_count > UINT32_MAX
                              ? UINT32_MAX
                              : (uint32_t)sip->sip_max_forwards->mf_count;
    }
    if (sip->sip_user_agent)
        copy_text(m, m->user_agent, sizeof m->user_agent, sip->sip_user_agent->g_string);
    if (sip->sip_server)
        copy_text(m, m->server, sizeof m->server, sip->sip_server->g_string);
    if (sip->sip_content_type)
        copy_text(m, m->content_type, sizeof m->content_type, sip->sip_content_type->c_type);
    if (sip->sip_content_length) {
        m->has_content_length = true;
        m->content_length = sip->sip_content_length->l_length;
    }
}

/* Whether a Via header ("Via" or compact "v") is among those sofia could not parse: it leaves
 * them out of sip_via, so the first entry left may be a lower hop's. */
static bool
via_failed(const sip_error_t *e)
{
    for (; e; e = e->er_next)
        if (e->er_common->h_class == sip_error_class && e->er_name &&
            (strcasecmp(e->er_name, "Via") == 0 || strcasecmp(e->er_name, "v") == 0))
            return true;
    return false;
}

/* The first problem with a header sofia kept aside: a parse failure or a repeated header. */
static void
header_error_reason(struct sip_message *m, const sip_error_t *e)
{
    const msg_hclass_t *hc = e->er_common->h_class;
    if (hc == sip_error_class)
        snprintf(m->reason, sizeof m->reason, "bad %s", e->er_name ? e->er_name : "header");
    else
        snprintf(m->reason, sizeof m->reason, "duplicate %s",
                 hc && hc->hc_name ? hc->hc_name : "header");
}

/* Name the first reason the message is not usable, in the order a reader would fix them. */
static const char *
judge(msg_t *msg, const sip_t *sip, int rc)
{
    const sip_request_t *rq = sip->sip_request;
    if (!rq && !sip->sip_status)
        return "bad start line";
    const char *version = rq ? rq->rq_version : sip->sip_status->st_version;
    if (!version || strcasecmp(version, "SIP/2.0") != 0)
        return "not SIP/2.0";
    if (!rq && (sip->sip_status->st_status < 100 || sip->sip_status->st_status > 699))
        return "bad status code";
    if (sip->sip_error)
        return NULL; /* header_error_reason() words it */
    if (!sip->sip_via)
        return "missing Via";
    if (!sip->sip_from)
        return "missing From";
    if (!sip->sip_to)
        return "missing To";
    if (!sip->sip_call_id)
        return "missing Call-ID";
    if (!sip->sip_cseq)
        return "missing CSeq";
    if (rq) {
        int t = rq->rq_url->url_type;
        if (t == url_invalid || ((t == url_sip || t == url_sips) && !rq->rq_url->url_host))
            return "bad Request-URI";
        if (rq->rq_method != sip->sip_cseq->cs_method ||
            (rq->rq_method == sip_method_unknown &&
             (!rq->rq_method_name || !sip->sip_cseq->cs_method_name ||
              strcasecmp(rq->rq_method_name, sip->sip_cseq->cs_method_name) != 0)))
            return "CSeq method mismatch";
    }
    bool trunc = msg_get_flags(msg, MSG_FLG_TRUNC) != 0; /* Content-Length: cl_mismatch */
    if (rc == 0)
        return "incomplete message";
    if (rc < 0 && !trunc)
        return "unparsable message";
    if (!trunc && sip_sanity_check(sip) != 0)
        return "failed sanity check";
    return "";
}

/*
 * Empty out for a new message without clearing all of it (8 KB, every message): everything but
 * the Via, Contact and route arrays is zeroed; of those, the first entries are (readers may look
 * at via[0] and contact[0] unguarded) and the copies below write every field of the others.
 */
static void
message_clear(struct sip_message *out)
{
    memset(out, 0, offsetof(struct sip_message, via));
    memset(&out->via[0], 0, sizeof out->via[0]);
    memset(&out->contact_count, 0,
           offsetof(struct sip_message, contact) - offsetof(struct sip_message, contact_count));
    memset(&out->contact[0], 0, sizeof out->contact[0]);
    out->record_route_count = 0;
    out->route_count = 0;
    memset(&out->has_expires, 0, sizeof *out - offsetof(struct sip_message, has_expires));
}

void
sip_message_from_sofia(struct msg_s *msg, int rc, struct sip_message *out)
{
    message_clear(out);
    const sip_t *sip = sip_object(msg);
    if (!sip) {
        out->status = SIP_MALFORMED;
        snprintf(out->reason, sizeof out->reason, "bad start line");
        return;
    }
    copy_start_line(out, sip);
    copy_headers(out, sip);
    out->via_error = via_failed(sip->sip_error);
    const char *why = judge(msg, sip, rc);
    if (!why) {
        header_error_reason(out, sip->sip_error);
    } else { /* usually "": no printf for it */
        size_t n = strlen(why);
        if (n >= sizeof out->reason)
            n = sizeof out->reason - 1;
        memcpy(out->reason, why, n);
        out->reason[n] = '\0';
    }
    out->status = out->reason[0] ? SIP_MALFORMED : SIP_OK;
}

/* Whether p has an empty line after its start line; *off is just past it (n when none). */
static bool
find_blank_line(const uint8_t *p, size_t n, size_t *off)
{
    struct cursor c = cursor_make(p, n);
    while (cursor_left(&c) > 0 && (cursor_peek(&c, 0) == '\r' || cursor_peek(&c, 0) == '\n'))
        cursor_skip(&c, 1);
    while (cursor_left(&c) > 0) {
        if (cursor_u8(&c) != '\n')
            continue;
        size_t k = cursor_peek(&c, 0) == '\r' ? 1 : 0;
        if (cursor_left(&c) > k && cursor_peek(&c, k) == '\n') {
            *off = n - cursor_left(&c) + k + 1;
            return true;
        }
    }
    *off = n;
    return false;
}

/*
 * Offset just past the blank line ending the header block of the n bytes committed to msg.
 * sofia moves its buffer while parsing (a shrinking realloc), so the pointer msg_buf_alloc
 * gave is stale: the buffer start is found again from the committed (unparsed) tail, which
 * sits n - committed bytes into it. When sofia found no separator, our own scan decides.
 */
static size_t
body_offset(msg_t *msg, const uint8_t *p, size_t n, bool *seen)
{
    const sip_t *sip = sip_object(msg);
    const char *tail = msg_buf_committed_data(msg);
    size_t left = msg_buf_committed(msg), off;
    if (sip && sip->sip_separator && tail && left <= n) {
        const msg_common_t *h = sip->sip_separator->sep_common;
        uintptr_t at = (uintptr_t)h->h_data, base = (uintptr_t)tail - (n - left);
        if (at >= base && at - base <= n && h->h_len <= n - (at - base)) {
            *seen = true;
            return (size_t)(at - base) + h->h_len;
        }
    }
    *seen = find_blank_line(p, n, &off);
    return off;
}

static bool
is_sdp_type(const char *ct)
{
    return strcasecmp(ct, "application/sdp") == 0;
}

enum sip_parse_status
sip_parse_datagram(const uint8_t *p, size_t n, struct sip_message *out)
{
    msg_t *msg = NULL;
    char *buf = NULL;
    if (n > 0 && n <= SIP_DATAGRAM_MAX && (msg = msg_create(sip_default_mclass(), 0))) {
        su_home_preload(msg_home(msg), 1, SIP_HOME_PRELOAD); /* the headers: one malloc */
        buf = msg_buf_alloc(msg, (usize_t)n + 1); /* +1: sofia writes a NUL after the data */
    }
    if (!buf) {
        msg_destroy(msg);
        memset(out, 0, sizeof *out);
        out->status = n == 0 || n > SIP_DATAGRAM_MAX ? SIP_MALFORMED : SIP_NO_MEMORY;
        snprintf(out->reason, sizeof out->reason, "%s",
                 n == 0                 ? "empty"
                 : n > SIP_DATAGRAM_MAX ? "datagram too long"
                                        : "out of memory");
        return out->status;
    }
    memcpy(buf, p, n);
    msg_buf_commit(msg, (usize_t)n, 1);
    int rc = msg_extract(msg);
    sip_message_from_sofia(msg, rc, out);

    size_t off = body_offset(msg, p, n, &out->header_end_seen);
    msg_destroy(msg);
    if (out->version[0] && memchr(p, 0, off)) { /* sofia stops at a NUL: the rest seems absent */
        out->status = SIP_MALFORMED;
        snprintf(out->reason, sizeof out->reason, "NUL byte in headers");
    }
    out->body_len = (uint32_t)(n - off);
    out->cl_mismatch = out->has_content_length && out->content_length != out->body_len;
    if (out->body_len > 0 && is_sdp_type(out->content_type)) {
        out->sdp = p + off;
        out->sdp_len = out->body_len;
    }
    return out->status;
}
