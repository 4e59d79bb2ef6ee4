/* sdp.c — SDP (RFC 4566) via sofia-sip; PTs (RFC 3551), a=rtcp (RFC 3605), ICE (RFC 8839). */
#include "sdp.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/sdp.h>

#define SDP_ATTR_COPY_MAX 256 /* bytes of an attribute value tokenised */
#define SDP_MAX_TOKENS 16
#define SDP_PT_MAX 127

/* Static RTP/AVP payload types (RFC 3551 tables 4 and 5), for protos sofia does not map. */
static const struct {
    uint8_t pt;
    const char *name;
    uint32_t rate;
} static_pts[] = {
    {0, "PCMU", 8000},   {3, "GSM", 8000},    {4, "G723", 8000},   {5, "DVI4", 8000},
    {6, "DVI4", 16000},  {7, "LPC", 8000},    {8, "PCMA", 8000},   {9, "G722", 8000},
    {10, "L16", 44100},  {11, "L16", 44100},  {12, "QCELP", 8000}, {13, "CN", 8000},
    {14, "MPA", 90000},  {15, "G728", 8000},  {16, "DVI4", 11025}, {17, "DVI4", 22050},
    {18, "G729", 8000},  {25, "CelB", 90000}, {26, "JPEG", 90000}, {28, "nv", 90000},
    {31, "H261", 90000}, {32, "MPV", 90000},  {33, "MP2T", 90000}, {34, "H263", 90000},
};

const char *
sdp_dir_name(enum sdp_dir d)
{
    switch (d) {
    case SDP_DIR_INACTIVE:
        return "inactive";
    case SDP_DIR_SENDONLY:
        return "sendonly";
    case SDP_DIR_RECVONLY:
        return "recvonly";
    case SDP_DIR_SENDRECV:
        break;
    }
    return "sendrecv";
}

const char *
sdp_cand_type_name(enum sdp_cand_type t)
{
    switch (t) {
    case SDP_CAND_HOST:
        return "host";
    case SDP_CAND_SRFLX:
        return "srflx";
    case SDP_CAND_PRFLX:
        return "prflx";
    case SDP_CAND_RELAY:
        return "relay";
    case SDP_CAND_OTHER:
        break;
    }
    return "other";
}

/* Copy a sofia string (NULL allowed) into dst[cap], noting a cut in s->cut. */
static void
copy_text(struct sdp_summary *s, char *dst, size_t cap, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (len >= cap) {
        len = cap - 1;
        s->cut = true;
    }
    memcpy(dst, src ? src : "", len);
    dst[len] = '\0';
}

/* A decimal number of at most 10 digits up to max, ending at '\0' or '/'. */
static bool
parse_uint(const char *t, uint32_t max, uint32_t *v)
{
    uint64_t x = 0;
    size_t i = 0;
    for (; t && t[i] >= '0' && t[i] <= '9' && i < 10; i++)
        x = x * 10 + (uint64_t)(t[i] - '0');
    if (!t || i == 0 || (t[i] != '\0' && t[i] != '/') || x > max)
        return false;
    *v = (uint32_t)x;
    return true;
}

static uint16_t
parse_port(const char *t)
{
    uint32_t v = 0;
    return parse_uint(t, 65535, &v) ? (uint16_t)v : 0;
}

/* Fill an address from its text; ip stays family 0 unless the text is an IP literal. */
static void
set_addr(struct sdp_summary *s, struct sdp_addr *a, const char *text)
{
    copy_text(s, a->text, sizeof a->text, text);
    memset(&a->ip, 0, sizeof a->ip);
    if (inet_pton(AF_INET, a->text, a->ip.a) == 1)
        a->ip.family = 4;
    else if (inet_pton(AF_INET6, a->text, a->ip.a) == 1)
        a->ip.family = 6;
}

static bool
addr_is_zero(const struct sdp_addr *a)
{
    static const uint8_t zero[16];
    return a->ip.family != 0 && memcmp(a->ip.a, zero, sizeof zero) == 0;
}

/*
 * Split value into blank-separated tokens inside buf (a bounded copy); returns the count.
 * Values longer than SDP_ATTR_COPY_MAX are cut, which only ever drops trailing extensions.
 */
static size_t
tokenize(const char *value, char buf[SDP_ATTR_COPY_MAX], char *tok[SDP_MAX_TOKENS])
{
    snprintf(buf, SDP_ATTR_COPY_MAX, "%s", value ? value : "");
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t", &save); t && n < SDP_MAX_TOKENS;
         t = strtok_r(NULL, " \t", &save))
        tok[n++] = t;
    return n;
}

static struct sdp_codec *
add_codec(struct sdp_summary *s, struct sdp_media_info *mi)
{
    mi->codec_total++;
    if (mi->codec_count == SDP_MAX_CODECS) {
        s->cut = true;
        return NULL;
    }
    return &mi->codec[mi->codec_count++];
}

/* "opus/48000/2" → encoding and clock rate. */
static void
set_encoding(struct sdp_summary *s, struct sdp_codec *c, const char *value)
{
    char buf[SDP_ATTR_COPY_MAX], *tok[SDP_MAX_TOKENS];
    if (tokenize(value, buf, tok) < 2)
        return;
    char *slash = strchr(tok[1], '/');
    if (slash)
        *slash = '\0';
    copy_text(s, c->encoding, sizeof c->encoding, tok[1]);
    if (slash)
        parse_uint(slash + 1, UINT32_MAX, &c->rate);
}

/* Payload types sofia mapped (RTP/AVP, RTP/SAVP): m_rtpmaps, static ones marked rm_predef. */
static void
codecs_from_rtpmaps(struct sdp_summary *s, struct sdp_media_info *mi, const sdp_media_t *m)
{
    for (const sdp_rtpmap_t *rm = m->m_rtpmaps; rm; rm = rm->rm_next) {
        struct sdp_codec *c = add_codec(s, mi);
        if (!c)
            continue;
        c->pt = (uint8_t)rm->rm_pt;
        copy_text(s, c->encoding, sizeof c->encoding, rm->rm_encoding);
        c->rate = rm->rm_rate > UINT32_MAX ? UINT32_MAX : (uint32_t)rm->rm_rate;
        c->predef = rm->rm_predef;
    }
}

/* Fill c from the static payload type table; false when pt is not a static one. */
static bool
static_pt(uint8_t pt, struct sdp_summary *s, struct sdp_codec *c)
{
    for (size_t i = 0; i < sizeof static_pts / sizeof static_pts[0]; i++) {
        if (static_pts[i].pt == pt) {
            copy_text(s, c->encoding, sizeof c->encoding, static_pts[i].name);
            c->rate = static_pts[i].rate;
            return true;
        }
    }
    return false;
}

/* Protos sofia does not map as RTP (UDP/TLS/RTP/SAVPF …): numeric formats plus a=rtpmap. */
static void
codecs_from_formats(struct sdp_summary *s, struct sdp_media_info *mi, const sdp_media_t *m)
{
    for (const sdp_list_t *l = m->m_format; l; l = l->l_next) {
        uint32_t pt;
        if (!parse_uint(l->l_text, SDP_PT_MAX, &pt))
            continue; /* not RTP: "t38", "webrtc-datachannel" */
        struct sdp_codec *c = add_codec(s, mi);
        if (!c)
            continue;
        c->pt = (uint8_t)pt;
        bool mapped = false;
        for (const sdp_attribute_t *a = m->m_attributes; a && !mapped; a = a->a_next) {
            char buf[SDP_ATTR_COPY_MAX], *tok[SDP_MAX_TOKENS];
            uint32_t apt;
            if (!a->a_name || strcasecmp(a->a_name, "rtpmap") != 0 ||
                tokenize(a->a_value, buf, tok) < 2 || !parse_uint(tok[0], SDP_PT_MAX, &apt) ||
                apt != pt)
                continue;
            set_encoding(s, c, a->a_value);
            mapped = true;
        }
        if (!mapped)
            c->predef = static_pt(c->pt, s, c);
    }
}

static enum sdp_cand_type
cand_type(const char *t)
{
    if (strcasecmp(t, "host") == 0)
        return SDP_CAND_HOST;
    if (strcasecmp(t, "srflx") == 0)
        return SDP_CAND_SRFLX;
    if (strcasecmp(t, "prflx") == 0)
        return SDP_CAND_PRFLX;
    if (strcasecmp(t, "relay") == 0)
        return SDP_CAND_RELAY;
    return SDP_CAND_OTHER;
}

/*
 * a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <address>] [rport <port>] … (RFC 8839 §5.1); a line with fewer fields is skipped.
 */
static void
add_candidate(struct sdp_summary *s, uint8_t media, const char *value)
{
    char buf[SDP_ATTR_COPY_MAX], *tok[SDP_MAX_TOKENS];
    size_t n = tokenize(value, buf, tok);
    uint32_t component, priority;
    if (n < 8 || strcasecmp(tok[6], "typ") != 0 || !parse_uint(tok[1], 65535, &component) ||
        !parse_uint(tok[3], UINT32_MAX, &priority))
        return;
    s->candidate_total++;
    if (s->candidate_count == SDP_MAX_CANDIDATES) {
        s->cut = true;
        return;
    }
    struct sdp_candidate *c = &s->candidate[s->candidate_count++];
    memset(c, 0, sizeof *c);
    c->media = media;
    copy_text(s, c->foundation, sizeof c->foundation, tok[0]);
    c->component = (uint16_t)component;
    copy_text(s, c->transport, sizeof c->transport, tok[2]);
    c->priority = priority;
    set_addr(s, &c->addr, tok[4]);
    c->port = parse_port(tok[5]);
    c->type = cand_type(tok[7]);
    for (size_t i = 8; i + 1 < n; i += 2) {
        if (strcasecmp(tok[i], "raddr") == 0)
            set_addr(s, &c->raddr, tok[i + 1]);
        else if (strcasecmp(tok[i], "rport") == 0)
            c->rport = parse_port(tok[i + 1]);
    }
}

/* a=rtcp:<port> [IN IP4|IP6 <address>] (RFC 3605). */
static void
set_rtcp(struct sdp_summary *s, struct sdp_media_info *mi, const char *value)
{
    char buf[SDP_ATTR_COPY_MAX], *tok[SDP_MAX_TOKENS];
    size_t n = tokenize(value, buf, tok);
    if (n < 1)
        return;
    mi->has_rtcp = true;
    mi->rtcp_port = parse_port(tok[0]);
    if (n >= 4)
        set_addr(s, &mi->rtcp_addr, tok[3]);
}

static void
read_attributes(struct sdp_summary *s, struct sdp_media_info *mi, uint8_t index,
                const sdp_attribute_t *a)
{
    for (; a; a = a->a_next) {
        const char *name = a->a_name ? a->a_name : "";
        if (strcasecmp(name, "ptime") == 0)
            parse_uint(a->a_value, UINT32_MAX, &mi->ptime);
        else if (strcasecmp(name, "rtcp") == 0)
            set_rtcp(s, mi, a->a_value);
        else if (strcasecmp(name, "rtcp-mux") == 0)
            mi->rtcp_mux = true;
        else if (strcasecmp(name, "candidate") == 0)
            add_candidate(s, index, a->a_value);
    }
}

static void
read_media(struct sdp_summary *s, const sdp_session_t *ss, const sdp_media_t *m, uint8_t index)
{
    struct sdp_media_info scratch, *mi = &scratch;
    if (s->media_count < SDP_MAX_MEDIA)
        mi = &s->media[s->media_count++];
    else
        s->cut = true; /* still read its ICE candidates */
    memset(mi, 0, sizeof *mi);
    copy_text(s, mi->type, sizeof mi->type, m->m_type_name);
    mi->port = m->m_port > 65535 ? 0 : (uint16_t)m->m_port;
    mi->nports = m->m_number_of_ports > 1 && m->m_number_of_ports <= 65535
                     ? (uint16_t)m->m_number_of_ports
                     : 1;
    copy_text(s, mi->proto, sizeof mi->proto, m->m_proto_name);
    mi->rejected = m->m_rejected;
    const sdp_connection_t *c = m->m_connections;
    if (!c) {
        c = ss->sdp_connection;
        mi->conn_from_session = c != NULL;
    }
    if (c)
        set_addr(s, &mi->conn, c->c_address);
    mi->zero_conn = addr_is_zero(&mi->conn);
    mi->dir = (enum sdp_dir)m->m_mode;
    if (m->m_rtpmaps)
        codecs_from_rtpmaps(s, mi, m);
    else
        codecs_from_formats(s, mi, m);
    mi->telephone_event_pt = -1;
    for (uint8_t i = 0; i < mi->codec_count && mi->telephone_event_pt < 0; i++)
        if (strcasecmp(mi->codec[i].encoding, "telephone-event") == 0)
            mi->telephone_event_pt = mi->codec[i].pt;
    read_attributes(s, mi, index, m->m_attributes);
}

/*
 * sofia-sip 1.12.11 (Debian 12) loops on an m= line whose format list has a word starting
 * with a non-token byte, or only blanks after the proto: parse_media() allocates a list
 * entry per turn until memory runs out (gigabytes; fixed upstream later by a NULL check).
 * The guard below replays sofia's own scanning of every m= line (token(), parse_ul() with
 * its character sets) on a copy, so that such a line is refused before sofia sees it.
 */
#define SDP_SP_TAB " \t"
#define SDP_TOKEN_CHARS                                                                            \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^_`{|}~"
#define SDP_MLINE_MAX 4096

/* sofia's token(): false where it returns NULL without moving. */
static bool
replay_token(char **r, const char *sep, const char *legal, const char *strip)
{
    char *t = *r + (strip ? strspn(*r, strip) : 0);
    size_t n = strspn(t, legal);
    if (n == 0)
        return false;
    if (t[n])
        n += 1 + strspn(t + n + 1, sep);
    *r = t + n;
    return true;
}

/* sofia's parse_ul(): blanks, then what strtoul() takes (space, sign, digits). */
static bool
replay_ul(char **r)
{
    char *t = *r + strspn(*r, SDP_SP_TAB);
    while (*t == ' ' || (*t >= '\t' && *t <= '\r'))
        t++;
    if (*t == '+' || *t == '-')
        t++;
    size_t digits = strspn(t, "0123456789");
    if (digits == 0)
        return false;
    t += digits;
    *r = t + strspn(t, SDP_SP_TAB);
    return true;
}

/* True unless the m= line value r (NUL-terminated, writable) would make sofia loop. */
static bool
media_line_safe(char *r)
{
    if (!replay_token(&r, " ", SDP_TOKEN_CHARS, NULL) || !replay_ul(&r))
        return true; /* sofia stops with an error */
    if (*r == '/') {
        r++;
        if (!replay_ul(&r))
            return true;
    }
    if (!replay_token(&r, " ", "/" SDP_TOKEN_CHARS, " "))
        return true;
    while (*r)
        if (!replay_token(&r, SDP_SP_TAB, SDP_TOKEN_CHARS, SDP_SP_TAB))
            return false;
    return true;
}

/* Every m= line of body[0..len) (as sofia splits it: CR/LF, leading blanks, NUL ends). */
static bool
media_lines_safe(const char *body, size_t len)
{
    char line[SDP_MLINE_MAX];
    size_t i = 0;
    while (i < len && body[i] != '\0') {
        size_t start = i;
        while (i < len && body[i] != '\0' && body[i] != '\r' && body[i] != '\n')
            i++;
        size_t end = i;
        while (i < len && (body[i] == '\r' || body[i] == '\n'))
            i++;
        while (start < end && (body[start] == ' ' || body[start] == '\t'))
            start++;
        if (end - start < 2 || body[start] != 'm' || body[start + 1] != '=')
            continue;
        start += 2;
        if (end - start >= sizeof line)
            return false;
        memcpy(line, body + start, end - start);
        line[end - start] = '\0';
        char *value = line + strspn(line, SDP_SP_TAB);
        if (!media_line_safe(value))
            return false;
    }
    return true;
}

/*
 * Empty out for a new body without clearing all of it (8 KB, every SDP): the media and
 * candidate entries are cleared as they are filled; the first of each is zeroed for readers
 * that look at media[0] or candidate[0] unguarded.
 */
static void
summary_clear(struct sdp_summary *out)
{
    memset(out, 0, offsetof(struct sdp_summary, media));
    memset(&out->media[0], 0, sizeof out->media[0]);
    out->candidate_count = 0;
    out->candidate_total = 0;
    memset(&out->candidate[0], 0, sizeof out->candidate[0]);
}

bool
sdp_summarize(const char *body, size_t len, struct sdp_summary *out)
{
    summary_clear(out);
    if (len > (size_t)INT32_MAX) {
        snprintf(out->error, sizeof out->error, "SDP too long");
        return false;
    }
    if (body && !media_lines_safe(body, len)) {
        snprintf(out->error, sizeof out->error, "m= invalid format list");
        return false;
    }
    sdp_parser_t *p = sdp_parse(NULL, body ? body : "", (issize_t)len, 0);
    const sdp_session_t *ss = sdp_session(p);
    if (!ss) {
        const char *e = p ? sdp_parsing_error(p) : NULL;
        snprintf(out->error, sizeof out->error, "%s", e && *e ? e : "bad SDP message");
        sdp_parser_free(p);
        return false;
    }
    const sdp_origin_t *o = ss->sdp_origin;
    if (o) {
        copy_text(out, out->origin.username, sizeof out->origin.username, o->o_username);
        out->origin.id = o->o_id;
        out->origin.version = o->o_version;
        if (o->o_address) {
            sdp_addrtype_e t = o->o_address->c_addrtype;
            out->origin.addr_family = t == sdp_addr_ip4 ? 4 : t == sdp_addr_ip6 ? 6 : 0;
            set_addr(out, &out->origin.addr, o->o_address->c_address);
        }
    }
    if (ss->sdp_connection)
        set_addr(out, &out->conn, ss->sdp_connection->c_address);
    uint8_t index = 0;
    for (const sdp_media_t *m = ss->sdp_media; m; m = m->m_next) {
        out->media_total++;
        read_media(out, ss, m, index);
        if (index < UINT8_MAX)
            index++;
    }
    sdp_parser_free(p);
    out->ok = true;
    return true;
}
