/* rtp.c — RTP/RTCP (RFC 3550), mux (RFC 5761), RTCP XR (RFC 3611), telephone events (RFC 4733). */
#include "rtp.h"

#include <string.h>

#include "cursor.h"

#define RTCP_HDR_LEN 4
#define RTCP_SENDER_INFO_LEN 20 /* NTP (8), RTP timestamp, packet count, octet count */
#define RTCP_REPORT_LEN 24
#define RTCP_XR_BLOCK_HDR_LEN 4
#define RTCP_XR_VOIP_BT 7
#define RTCP_XR_VOIP_LEN 32 /* VoIP metrics block body (block length 8 words) */
#define RTCP_SDES_CNAME 1
#define RTCP_PT_FIRST 192 /* RFC 5761 §4: 192–223 never start an RTP packet's second octet */
#define RTCP_PT_LAST 223

/* ---------------------------------------------------------------- RTP */

enum dissect_status
rtp_dissect(const uint8_t *p, uint32_t len, struct rtp_header *out)
{
    return rtp_dissect_wire(p, len, len, out);
}

enum dissect_status
rtp_dissect_wire(const uint8_t *p, uint32_t caplen, uint32_t wirelen, struct rtp_header *out)
{
    memset(out, 0, sizeof(*out));
    if (wirelen < caplen)
        wirelen = caplen;
    struct cursor c = cursor_make(p, caplen);
    if (cursor_left(&c) == 0)
        return DISSECT_NO_MATCH;
    uint8_t b0 = cursor_peek(&c, 0);
    out->version = b0 >> 6;
    if (out->version != RTP_VERSION || wirelen < RTP_HDR_LEN)
        return DISSECT_NO_MATCH;

    /* Ladder: fixed header, then CSRC list and extension, each against capture and wire. */
    b0 = cursor_u8(&c);
    uint8_t b1 = cursor_u8(&c);
    out->padding = (b0 & 0x20) != 0;
    out->extension = (b0 & 0x10) != 0;
    out->csrc_count = b0 & 0x0f;
    out->marker = (b1 & 0x80) != 0;
    out->pt = b1 & 0x7f;
    out->seq = cursor_be16(&c);
    out->timestamp = cursor_be32(&c);
    out->ssrc = cursor_be32(&c);
    if (!cursor_ok(&c))
        return DISSECT_TRUNCATED;

    uint32_t hdr = RTP_HDR_LEN + 4u * out->csrc_count;
    if (hdr > wirelen)
        return DISSECT_MALFORMED;
    cursor_skip(&c, 4u * out->csrc_count);
    if (!cursor_ok(&c))
        return DISSECT_TRUNCATED;
    if (out->extension) {
        if (hdr + 4 > wirelen)
            return DISSECT_MALFORMED;
        out->ext_profile = cursor_be16(&c);
        out->ext_words = cursor_be16(&c);
        if (!cursor_ok(&c))
            return DISSECT_TRUNCATED;
        hdr += 4 + 4u * out->ext_words;
        if (hdr > wirelen)
            return DISSECT_MALFORMED;
        cursor_skip(&c, 4u * out->ext_words);
        if (!cursor_ok(&c))
            return DISSECT_TRUNCATED;
    }
    out->header_len = hdr;

    uint32_t body = (uint32_t)cursor_left(&c); /* captured bytes after the header */
    if (out->padding) {
        if (caplen < wirelen) {
            out->pad_unknown = true; /* the count is in the last octet, which was not captured */
        } else {
            uint8_t count = cursor_peek(&c, body - 1); /* 0 when there is no body */
            if (count == 0 || count > wirelen - hdr)
                return DISSECT_MALFORMED;
            out->pad_len = count;
            body -= count;
        }
    }
    out->payload = cursor_ptr(&c);
    out->payload_len = body;
    return DISSECT_OK;
}

enum rtp_demux
rtp_demux(const uint8_t *p, uint32_t len)
{
    struct cursor c = cursor_make(p, len);
    uint8_t b0 = cursor_u8(&c);
    uint8_t b1 = cursor_u8(&c);
    if (!cursor_ok(&c) || (b0 >> 6) != RTP_VERSION)
        return RTP_DEMUX_NONE;
    if (b1 >= RTCP_PT_FIRST && b1 <= RTCP_PT_LAST)
        return RTP_DEMUX_RTCP;
    return RTP_DEMUX_RTP;
}

/* ---------------------------------------------------------------- payload-type tables */

/* Wireshark 4.0's short names and analysis clock rates of payload types 0–34 (RFC 3551). */
static const struct {
    const char *name;
    uint32_t rate;
} rtp_static_pt[] = {
    [0] = {"g711U", 8000},
    [1] = {"fs-1016", 8000},
    [2] = {"g721", 8000},
    [3] = {"GSM", 8000},
    [4] = {"g723", 8000},
    [5] = {"DVI4 8k", 8000},
    [6] = {"DVI4 16k", 16000},
    [7] = {"Exp. from Xerox PARC", 8000},
    [8] = {"g711A", 8000},
    [9] = {"g722", 8000}, /* RFC 3551 §4.5.2: the clock stays 8000 for G.722 */
    [10] = {"16-bit audio, stereo", 44100},
    [11] = {"16-bit audio, monaural", 44100},
    [12] = {"Qualcomm", 8000},
    [13] = {"CN", 8000},
    [14] = {"MPEG-I/II Audio", 90000},
    [15] = {"g728", 8000},
    [16] = {"DVI4 11k", 11025},
    [17] = {"DVI4 22k", 22050},
    [18] = {"g729", 8000},
    [19] = {"CN(old)", 8000},
    [25] = {"CellB", 90000},
    [26] = {"JPEG", 90000},
    [28] = {"NV", 90000},
    [31] = {"h261", 90000},
    [32] = {"MPEG-I/II Video", 90000},
    [33] = {"MPEG-II streams", 90000},
    [34] = {"h263", 90000},
};

static const char *const rtp_dynamic_names[32] = {
    "RTPType-96",  "RTPType-97",  "RTPType-98",  "RTPType-99",  "RTPType-100", "RTPType-101",
    "RTPType-102", "RTPType-103", "RTPType-104", "RTPType-105", "RTPType-106", "RTPType-107",
    "RTPType-108", "RTPType-109", "RTPType-110", "RTPType-111", "RTPType-112", "RTPType-113",
    "RTPType-114", "RTPType-115", "RTPType-116", "RTPType-117", "RTPType-118", "RTPType-119",
    "RTPType-120", "RTPType-121", "RTPType-122", "RTPType-123", "RTPType-124", "RTPType-125",
    "RTPType-126", "RTPType-127",
};

const char *
rtp_pt_name(uint8_t pt)
{
    if (pt < sizeof(rtp_static_pt) / sizeof(rtp_static_pt[0]) && rtp_static_pt[pt].name)
        return rtp_static_pt[pt].name;
    if (pt >= 72 && pt <= 76)
        return "Reserved for RTCP conflict avoidance";
    if (pt >= RTP_PT_DYNAMIC_MIN && pt <= 127)
        return rtp_dynamic_names[pt - RTP_PT_DYNAMIC_MIN];
    return "Unassigned";
}

const char *
rtp_pt_name_unsignalled(uint8_t pt)
{
    if (pt == 99)
        return "rtp.rfc2198";
    if (pt == 100 || pt == 101)
        return "rtpevent";
    return rtp_pt_name(pt);
}

uint32_t
rtp_pt_clock_rate(uint8_t pt)
{
    if (pt < sizeof(rtp_static_pt) / sizeof(rtp_static_pt[0]))
        return rtp_static_pt[pt].rate;
    return 0;
}

/* Media subtypes with a fixed clock (IANA RTP parameters), in case-insensitive order. */
static const struct {
    const char *name;
    uint32_t rate;
} rtp_subtype_rate[] = {
    {"AMR", 8000},        {"AMR-WB", 16000},
    {"BMPEG", 90000},     {"BT656", 90000},
    {"DV", 90000},        {"EVRC", 8000},
    {"EVRC0", 8000},      {"EVRC1", 8000},
    {"EVRCB", 8000},      {"EVRCB0", 8000},
    {"EVRCB1", 8000},     {"EVRCWB", 16000},
    {"EVRCWB0", 16000},   {"EVRCWB1", 16000},
    {"EVS", 16000},       {"G7221", 16000},
    {"G726-16", 8000},    {"G726-24", 8000},
    {"G726-32", 8000},    {"G726-40", 8000},
    {"G729D", 8000},      {"G729E", 8000},
    {"GSM-EFR", 8000},    {"H263-1998", 90000},
    {"H263-2000", 90000}, {"H264", 90000},
    {"MP1S", 90000},      {"MP2P", 90000},
    {"MP4V-ES", 90000},   {"mpa-robust", 90000},
    {"opus", 48000},      {"pointer", 90000},
    {"raw", 90000},       {"red", 1000},
    {"SMV", 8000},        {"SMV0", 8000},
    {"t140", 1000},       {"telephone-event", 8000},
};

/* ASCII case-insensitive "s starts with prefix". */
static bool
rtp_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char a = *s, b = *prefix;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b) /* also stops at the end of s */
            return false;
    }
    return true;
}

bool
rtp_encoding_is_event(const char *name)
{
    return name && rtp_prefix_ci(name, "telephone-event");
}

uint32_t
rtp_encoding_clock_rate(const char *name)
{
    if (!name || rtp_encoding_is_event(name))
        return 0;
    /* Backwards, so that the longer of two names sharing a prefix wins. */
    for (size_t i = sizeof(rtp_subtype_rate) / sizeof(rtp_subtype_rate[0]); i-- > 0;)
        if (rtp_prefix_ci(name, rtp_subtype_rate[i].name))
            return rtp_subtype_rate[i].rate;
    return 0;
}

/* ---------------------------------------------------------------- RTCP */

/* Sign-extend the 24-bit cumulative-lost field (RFC 3550 §6.4.1 makes it signed). */
static int32_t
rtcp_s24(uint32_t v)
{
    return (v & 0x800000u) ? (int32_t)(v | 0xff000000u) : (int32_t)v;
}

/* Read rc report blocks of reporter from c into out (bounded by RTCP_MAX_REPORTS). */
static void
rtcp_reports(struct cursor *c, unsigned rc, uint32_t reporter, struct rtcp_compound *out)
{
    for (unsigned i = 0; i < rc; i++) {
        struct rtcp_report r;
        r.reporter = reporter;
        r.ssrc = cursor_be32(c);
        uint32_t w = cursor_be32(c);
        r.fraction_lost = (uint8_t)(w >> 24);
        r.cum_lost = rtcp_s24(w & 0xffffffu);
        r.ext_high_seq = cursor_be32(c);
        r.jitter = cursor_be32(c);
        r.lsr = cursor_be32(c);
        r.dlsr = cursor_be32(c);
        if (!cursor_ok(c))
            return;
        out->reports_seen++;
        if (out->n_reports < RTCP_MAX_REPORTS)
            out->reports[out->n_reports++] = r;
    }
}

/* First CNAME of an SDES packet body (RFC 3550 §6.5); stops quietly at anything odd. */
static void
rtcp_sdes(struct cursor *c, unsigned sc, struct rtcp_compound *out)
{
    for (unsigned i = 0; i < sc && !out->has_cname; i++) {
        uint32_t ssrc = cursor_be32(c);
        for (;;) {
            uint8_t type = cursor_u8(c);
            if (!cursor_ok(c) || type == 0)
                return; /* end of this chunk's items; the first chunk is enough */
            uint8_t len = cursor_u8(c);
            struct cursor text = cursor_take(c, len);
            if (cursor_left(&text) < len)
                return;
            if (type == RTCP_SDES_CNAME) {
                size_t n = len < RTCP_CNAME_MAX - 1 ? len : RTCP_CNAME_MAX - 1;
                cursor_copy(&text, out->cname, n);
                out->cname[n] = '\0';
                out->cname_ssrc = ssrc;
                out->has_cname = true;
                return;
            }
        }
    }
}

/* XR report blocks (RFC 3611 §3): keep VoIP metrics, skip the rest by their length. */
static enum dissect_status
rtcp_xr(struct cursor *c, struct rtcp_compound *out)
{
    uint32_t reporter = cursor_be32(c);
    if (!cursor_ok(c))
        return DISSECT_MALFORMED;
    while (cursor_left(c) >= RTCP_XR_BLOCK_HDR_LEN) {
        uint8_t bt = cursor_u8(c);
        cursor_u8(c); /* type-specific */
        uint32_t blen = 4u * cursor_be16(c);
        struct cursor b = cursor_take(c, blen);
        if (cursor_left(&b) < blen)
            return DISSECT_MALFORMED; /* the packet window is already bounded by its length */
        if (bt != RTCP_XR_VOIP_BT || blen < RTCP_XR_VOIP_LEN || out->n_voip >= RTCP_MAX_VOIP)
            continue;
        struct rtcp_voip_metrics *m = &out->voip[out->n_voip++];
        m->reporter = reporter;
        m->ssrc = cursor_be32(&b);
        m->loss_rate = cursor_u8(&b);
        m->discard_rate = cursor_u8(&b);
        m->burst_density = cursor_u8(&b);
        m->gap_density = cursor_u8(&b);
        m->burst_duration = cursor_be16(&b);
        m->gap_duration = cursor_be16(&b);
        m->round_trip_delay = cursor_be16(&b);
        m->end_system_delay = cursor_be16(&b);
        m->signal_level = (int8_t)cursor_u8(&b);
        m->noise_level = (int8_t)cursor_u8(&b);
        m->rerl = cursor_u8(&b);
        m->gmin = cursor_u8(&b);
        m->r_factor = cursor_u8(&b);
        m->ext_r_factor = cursor_u8(&b);
        m->mos_lq = cursor_u8(&b);
        m->mos_cq = cursor_u8(&b);
        m->rx_config = cursor_u8(&b);
        cursor_u8(&b); /* reserved */
        m->jb_nominal = cursor_be16(&b);
        m->jb_maximum = cursor_be16(&b);
        m->jb_abs_max = cursor_be16(&b);
    }
    return DISSECT_OK;
}

/* Decode the body of one RTCP packet of type pt and count rc inside its own window. */
static enum dissect_status
rtcp_packet(struct cursor *body, uint8_t pt, unsigned rc, struct rtcp_compound *out)
{
    uint32_t ssrc;
    switch (pt) {
    case RTCP_SR:
        if (cursor_left(body) < 4 + RTCP_SENDER_INFO_LEN + (size_t)rc * RTCP_REPORT_LEN)
            return DISSECT_MALFORMED;
        ssrc = cursor_be32(body);
        if (!out->has_sr) {
            out->has_sr = true;
            out->sr_ssrc = ssrc;
            uint64_t hi = cursor_be32(body);
            out->sr_ntp = hi << 32 | cursor_be32(body);
            out->sr_rtp_ts = cursor_be32(body);
            out->sr_packets = cursor_be32(body);
            out->sr_octets = cursor_be32(body);
        } else {
            cursor_skip(body, RTCP_SENDER_INFO_LEN);
        }
        rtcp_reports(body, rc, ssrc, out);
        return DISSECT_OK;
    case RTCP_RR:
        if (cursor_left(body) < 4 + (size_t)rc * RTCP_REPORT_LEN)
            return DISSECT_MALFORMED;
        ssrc = cursor_be32(body);
        rtcp_reports(body, rc, ssrc, out);
        return DISSECT_OK;
    case RTCP_SDES:
        rtcp_sdes(body, rc, out);
        return DISSECT_OK;
    case RTCP_BYE:
        if (cursor_left(body) < 4u * rc)
            return DISSECT_MALFORMED;
        if (rc > 0 && out->bye_count == 0)
            out->bye_ssrc = cursor_be32(body);
        out->bye_count = (uint8_t)(out->bye_count + rc > 255 ? 255 : out->bye_count + rc);
        return DISSECT_OK;
    case RTCP_XR:
        return rtcp_xr(body, out);
    default:
        return DISSECT_OK; /* APP, feedback and the rest: skipped by their length */
    }
}

enum dissect_status
rtcp_dissect(const uint8_t *p, uint32_t caplen, uint32_t wirelen, struct rtcp_compound *out)
{
    memset(out, 0, sizeof(*out));
    if (wirelen < caplen)
        wirelen = caplen;
    if (rtp_demux(p, caplen) != RTP_DEMUX_RTCP)
        return DISSECT_NO_MATCH;

    struct cursor c = cursor_make(p, caplen);
    uint32_t wire_left = wirelen;
    while (wire_left > 0 && out->packets < RTCP_MAX_PACKETS) {
        if (wire_left < RTCP_HDR_LEN)
            return DISSECT_MALFORMED; /* trailing bytes that cannot be a packet */
        uint8_t b0 = cursor_u8(&c);
        uint8_t pt = cursor_u8(&c);
        uint32_t len = 4u * ((uint32_t)cursor_be16(&c) + 1);
        if (!cursor_ok(&c))
            return DISSECT_TRUNCATED;
        if ((b0 >> 6) != RTP_VERSION || pt < RTCP_PT_FIRST || pt > RTCP_PT_LAST || len > wire_left)
            return DISSECT_MALFORMED;
        out->packets++;
        out->types |= 1u << (pt - RTCP_PT_FIRST);

        uint32_t body_len = len - RTCP_HDR_LEN;
        bool last = len == wire_left;
        if (b0 & 0x20) { /* padding: only the last packet of a compound may carry it */
            if (!last)
                return DISSECT_MALFORMED;
            if (caplen == wirelen) {
                struct cursor whole = cursor_make(p, caplen);
                uint8_t count = cursor_peek(&whole, caplen - 1);
                if (count == 0 || count > body_len)
                    return DISSECT_MALFORMED;
                body_len -= count;
            }
        }
        struct cursor body = cursor_take(&c, body_len);
        bool cut = cursor_left(&body) < body_len;
        enum dissect_status st = rtcp_packet(&body, pt, b0 & 0x1f, out);
        if (st != DISSECT_OK)
            return cut ? DISSECT_TRUNCATED : st;
        if (cut)
            return DISSECT_TRUNCATED;
        cursor_skip(&c, len - RTCP_HDR_LEN - body_len); /* the padding */
        wire_left -= len;
    }
    return DISSECT_OK;
}

/* ---------------------------------------------------------------- RFC 4733 events */

enum dissect_status
rtp_event_dissect(const uint8_t *p, uint32_t len, struct rtp_event *out)
{
    memset(out, 0, sizeof(*out));
    struct cursor c = cursor_make(p, len);
    if (cursor_left(&c) == 0)
        return DISSECT_NO_MATCH;
    out->event = cursor_u8(&c);
    uint8_t b1 = cursor_u8(&c);
    out->end = (b1 & 0x80) != 0;
    out->volume = b1 & 0x3f;
    out->duration = cursor_be16(&c);
    if (!cursor_ok(&c)) {
        out->duration = 0;
        return DISSECT_TRUNCATED;
    }
    return DISSECT_OK;
}

char
rtp_event_key(uint8_t event)
{
    static const char keys[] = "0123456789*#ABCD!";
    return event < sizeof(keys) - 1 ? keys[event] : '?';
}
