/* rtp.h — RTP/RTCP (RFC 3550), mux (RFC 5761), RTCP XR (RFC 3611), telephone events (RFC 4733). */
#ifndef VOIPDIAG_RTP_H
#define VOIPDIAG_RTP_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define RTP_VERSION 2
#define RTP_HDR_LEN 12        /* fixed header, without CSRCs */
#define RTP_PT_DYNAMIC_MIN 96 /* RFC 3551 §6: 96–127 are bound by signalling (SDP) */

/* Static payload types voipdiag names specially (RFC 3551 table 4/5, RFC 3389). */
enum rtp_pt {
    RTP_PT_PCMU = 0,
    RTP_PT_GSM = 3,
    RTP_PT_G723 = 4,
    RTP_PT_PCMA = 8,
    RTP_PT_G722 = 9,
    RTP_PT_CN = 13,
    RTP_PT_G729 = 18,
    RTP_PT_CN_OLD = 19,
};

/*
 * The RTP fixed header of one datagram and its payload window. Pointers borrow from the
 * datagram and die with it.
 */
struct rtp_header {
    uint8_t version;
    bool padding;       /* P bit */
    bool extension;     /* X bit */
    bool marker;        /* M bit */
    uint8_t csrc_count; /* CC: CSRCs skipped */
    uint8_t pt;         /* payload type, 0–127 */
    uint16_t seq;
    uint32_t timestamp;
    uint32_t ssrc;
    uint16_t ext_profile;   /* "defined by profile" word of the header extension (X set) */
    uint16_t ext_words;     /* header extension length in 32-bit words (X set) */
    uint8_t pad_len;        /* padding octets including the count octet (P set, count seen) */
    bool pad_unknown;       /* P set but the last octet was not captured: padding not removed */
    uint32_t header_len;    /* 12 + 4·CC + extension */
    const uint8_t *payload; /* payload: borrowed, captured bytes, padding removed */
    uint32_t payload_len;
};

/*
 * Decode the RTP header of a whole datagram p[0..len). Same as rtp_dissect_wire(p, len, len).
 */
enum dissect_status rtp_dissect(const uint8_t *p, uint32_t len, struct rtp_header *out);

/*
 * Decode the RTP header of a datagram of which caplen bytes were captured out of wirelen
 * (the UDP length). Returns DISSECT_NO_MATCH when the bytes are not RTP-shaped (empty,
 * version ≠ 2, datagram shorter than the fixed header); DISSECT_TRUNCATED when the capture
 * ends inside the header (fields read so far are kept); DISSECT_MALFORMED when the CSRC list
 * or the extension runs past the datagram or the padding count is 0 or larger than the
 * payload; DISSECT_OK otherwise. When the datagram is cut (caplen < wirelen) the padding
 * cannot be checked: pad_unknown is set and the payload is what was captured. *out is always
 * written. Pure.
 */
enum dissect_status rtp_dissect_wire(const uint8_t *p, uint32_t caplen, uint32_t wirelen,
                                     struct rtp_header *out);

/* What a datagram on an RTP port is, per RFC 5761 §4 (RTP and RTCP on one port). */
enum rtp_demux {
    RTP_DEMUX_NONE = 0, /* not version 2 (or empty): STUN, DTLS, ZRTP, keep-alive … */
    RTP_DEMUX_RTP,
    RTP_DEMUX_RTCP, /* second octet 192–223, i.e. M set and PT 64–95 (SR … XR at 72–79) */
};

/* Classify the datagram p[0..len) by its first two octets (RFC 5761 §4, RFC 7983 §7). Pure. */
enum rtp_demux rtp_demux(const uint8_t *p, uint32_t len);

/*
 * Payload type name as Wireshark 4.0 prints it in "rtp,streams" ("g711U", "g711A", "CN",
 * "Unassigned", "RTPType-96" …); never NULL. Names bound by SDP replace the RTPType-N forms.
 */
const char *rtp_pt_name(uint8_t pt);

/*
 * The name Wireshark 4.0 prints for a payload type that no SDP describes (a stream found by
 * its RTP heuristic): as rtp_pt_name, except its default preferences bind 99 to
 * "rtp.rfc2198" and 100–101 to "rtpevent". A stream set up by SDP that omits a type
 * prints rtp_pt_name instead.
 */
const char *rtp_pt_name_unsignalled(uint8_t pt);

/*
 * Clock rate (Hz) of a static payload type as Wireshark's RTP analysis uses it (RFC 3551 plus
 * Wireshark's table, e.g. G.722 at 8000, L16 at 44100); 0 for unassigned and dynamic types.
 */
uint32_t rtp_pt_clock_rate(uint8_t pt);

/*
 * Clock rate Wireshark assumes for a dynamic payload type known only by its encoding name
 * (IANA media subtype table, case-insensitive prefix match, "AMR-WB" before "AMR"); 0 when
 * the name is unknown, NULL, or a telephone-event (whose timestamps do not advance). Used
 * only when SDP gave no rate.
 */
uint32_t rtp_encoding_clock_rate(const char *name);

/* True when an encoding name is RFC 4733 "telephone-event" (case-insensitive prefix). */
bool rtp_encoding_is_event(const char *name);

/* ---------------------------------------------------------------- RTCP (RFC 3550 §6) */

#define RTCP_MAX_PACKETS 16 /* packets walked in one compound before giving up */
#define RTCP_MAX_REPORTS 4  /* SR/RR report blocks kept per compound; more are counted */
#define RTCP_MAX_VOIP 2     /* XR VoIP metrics blocks kept per compound */
#define RTCP_CNAME_MAX 64   /* CNAME bytes kept (NUL-terminated) */

enum rtcp_type {
    RTCP_SR = 200,
    RTCP_RR = 201,
    RTCP_SDES = 202,
    RTCP_BYE = 203,
    RTCP_APP = 204,
    RTCP_RTPFB = 205, /* RFC 4585 */
    RTCP_PSFB = 206,  /* RFC 4585 */
    RTCP_XR = 207,    /* RFC 3611 */
};

/* One SR/RR reception report block (RFC 3550 §6.4.1). */
struct rtcp_report {
    uint32_t reporter;     /* SSRC of the SR/RR sender */
    uint32_t ssrc;         /* source reported on */
    uint8_t fraction_lost; /* /256 since the previous report */
    int32_t cum_lost;      /* cumulative lost, signed 24-bit: duplicates make it negative */
    uint32_t ext_high_seq; /* extended highest sequence number received */
    uint32_t jitter;       /* interarrival jitter in timestamp units */
    uint32_t lsr;          /* middle 32 bits of the last SR's NTP time */
    uint32_t dlsr;         /* delay since the last SR, 1/65536 s */
};

/* XR VoIP Metrics report block, BT=7 (RFC 3611 §4.7); 127 / 0 mean "unavailable" per field. */
struct rtcp_voip_metrics {
    uint32_t reporter;         /* SSRC of the XR sender */
    uint32_t ssrc;             /* source reported on */
    uint8_t loss_rate;         /* /256 */
    uint8_t discard_rate;      /* /256 */
    uint8_t burst_density;     /* /256 */
    uint8_t gap_density;       /* /256 */
    uint16_t burst_duration;   /* ms */
    uint16_t gap_duration;     /* ms */
    uint16_t round_trip_delay; /* ms */
    uint16_t end_system_delay; /* ms */
    int8_t signal_level;       /* dBm0, 127 unavailable */
    int8_t noise_level;        /* dBm0, 127 unavailable */
    uint8_t rerl;              /* residual echo return loss, dB */
    uint8_t gmin;
    uint8_t r_factor; /* 0–100, 127 unavailable */
    uint8_t ext_r_factor;
    uint8_t mos_lq; /* MOS ×10, 127 unavailable */
    uint8_t mos_cq; /* MOS ×10, 127 unavailable */
    uint8_t rx_config;
    uint16_t jb_nominal, jb_maximum, jb_abs_max; /* ms */
};

/* What one compound RTCP datagram carries; counts go on past what the arrays keep. */
struct rtcp_compound {
    uint8_t packets; /* RTCP packets walked */
    uint32_t types;  /* bit (pt − 192) for each packet type seen (192–223) */
    bool has_sr;
    uint32_t sr_ssrc;
    uint64_t sr_ntp; /* NTP timestamp, 32.32 fixed point */
    uint32_t sr_rtp_ts;
    uint32_t sr_packets;   /* sender's packet count */
    uint32_t sr_octets;    /* sender's octet count */
    uint8_t n_reports;     /* report blocks kept in reports[] */
    uint16_t reports_seen; /* report blocks present (≥ n_reports) */
    struct rtcp_report reports[RTCP_MAX_REPORTS];
    bool has_cname;
    uint32_t cname_ssrc;
    char cname[RTCP_CNAME_MAX]; /* first CNAME, NUL-terminated, bytes kept as sent */
    uint8_t bye_count;          /* SSRCs leaving (BYE source counts summed) */
    uint32_t bye_ssrc;          /* first SSRC of the first BYE */
    uint8_t n_voip;
    struct rtcp_voip_metrics voip[RTCP_MAX_VOIP];
};

/*
 * Walk the compound RTCP datagram p[0..caplen) of wirelen bytes on the wire. Returns
 * DISSECT_NO_MATCH when the first packet is not version 2 with a type in 192–223; otherwise
 * decodes SR sender info, SR/RR report blocks, the first SDES CNAME, BYE sources and XR VoIP
 * metrics (other packet types are skipped by their length). DISSECT_MALFORMED when a length
 * field runs past the datagram, a report count does not fit its packet, a later packet is
 * not version 2 or the padding is impossible; DISSECT_TRUNCATED when the capture ends before
 * the datagram does (what was decoded before the cut is kept). Bounded: at most
 * RTCP_MAX_PACKETS packets. *out is always written. Pure.
 */
enum dissect_status rtcp_dissect(const uint8_t *p, uint32_t caplen, uint32_t wirelen,
                                 struct rtcp_compound *out);

/* ---------------------------------------------------------------- RFC 4733 events */

/* One named telephone event (RFC 4733 §2.3). */
struct rtp_event {
    uint8_t event;     /* 0–9 digits, 10 '*', 11 '#', 12–15 A–D, 16 flash */
    bool end;          /* E bit: the last packets of the event */
    uint8_t volume;    /* −dBm0, 0–63 */
    uint16_t duration; /* timestamp units since the event's timestamp */
};

/*
 * Decode the first event block of an RTP payload (padding already removed). Returns
 * DISSECT_NO_MATCH for an empty payload, DISSECT_TRUNCATED for 1–3 bytes (a cut capture or a
 * short packet: the caller knows which), DISSECT_OK otherwise. *out is always written. Pure.
 */
enum dissect_status rtp_event_dissect(const uint8_t *p, uint32_t len, struct rtp_event *out);

/* The key an event code stands for ('0'–'9', '*', '#', 'A'–'D', '!' for flash), else '?'. */
char rtp_event_key(uint8_t event);

#endif
