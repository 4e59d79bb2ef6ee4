/* sdp.h — SDP (RFC 4566) offer/answer summary via sofia-sip; ICE candidates (RFC 8839). */
#ifndef VOIPDIAG_SDP_H
#define VOIPDIAG_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define SDP_MAX_MEDIA 8
#define SDP_MAX_CODECS 12    /* payload types kept per m= line */
#define SDP_MAX_CANDIDATES 8 /* ICE candidates kept per description */
#define SDP_ADDR_MAX 64      /* address text: IPv4, IPv6 or a host name */
#define SDP_WORD_MAX 32      /* media type, proto, codec name, ICE foundation … */
#define SDP_ERROR_MAX 64

/* Media direction (RFC 4566 §6); a description without one means sendrecv. */
enum sdp_dir {
    SDP_DIR_INACTIVE = 0,
    SDP_DIR_SENDONLY = 1,
    SDP_DIR_RECVONLY = 2,
    SDP_DIR_SENDRECV = 3,
};

enum sdp_cand_type {
    SDP_CAND_OTHER = 0,
    SDP_CAND_HOST,
    SDP_CAND_SRFLX,
    SDP_CAND_PRFLX,
    SDP_CAND_RELAY,
};

/* An address as written, and as a value when it is an IP literal (ip.family 0 otherwise). */
struct sdp_addr {
    char text[SDP_ADDR_MAX]; /* "" when absent */
    struct ip_addr ip;
};

struct sdp_codec {
    uint8_t pt;
    char encoding[SDP_WORD_MAX]; /* "PCMU", "opus" …; "" when unknown (dynamic PT, no rtpmap) */
    uint32_t rate;               /* clock rate, 0 when unknown */
    bool predef;                 /* static RFC 3551 payload type without a=rtpmap */
};

struct sdp_media_info {
    char type[SDP_WORD_MAX]; /* "audio", "video", "image", "application" … */
    uint16_t port;
    uint16_t nports;          /* "m=audio 4000/2": 2; 1 when not given */
    char proto[SDP_WORD_MAX]; /* "RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", "udptl" … */
    bool rejected;            /* port 0 */
    struct sdp_addr conn;     /* media-level c=, else the session-level one */
    bool conn_from_session;
    bool zero_conn;   /* c=0.0.0.0 (or ::): RFC 2543 hold, whatever dir says */
    enum sdp_dir dir; /* a=sendonly/recvonly/inactive, media level over session level */
    uint8_t codec_count;
    uint16_t codec_total;
    struct sdp_codec codec[SDP_MAX_CODECS];
    int16_t telephone_event_pt; /* RFC 4733 PT, -1 when none */
    uint32_t ptime;             /* a=ptime in ms, 0 when absent */
    bool has_rtcp;              /* a=rtcp (RFC 3605) */
    uint16_t rtcp_port;
    struct sdp_addr rtcp_addr; /* text "" when a=rtcp gave only a port */
    bool rtcp_mux;             /* a=rtcp-mux (RFC 5761) */
};

struct sdp_candidate {
    uint8_t media; /* index into media[] (or beyond, when media was cut) */
    char foundation[SDP_WORD_MAX];
    uint16_t component; /* 1 RTP, 2 RTCP */
    char transport[8];  /* "UDP", "TCP" as written */
    uint32_t priority;
    struct sdp_addr addr;
    uint16_t port;
    enum sdp_cand_type type;
    struct sdp_addr raddr; /* related address of srflx/relay, "" when absent */
    uint16_t rport;
};

/* What voipdiag reads from one SDP body. Fixed size; nothing points into sofia memory. */
struct sdp_summary {
    bool ok;                   /* false: error says why, the rest is empty */
    char error[SDP_ERROR_MAX]; /* sofia's text: "No o= present" … */
    bool cut;                  /* some text, media, codec or candidate did not fit */
    struct {
        char username[SDP_WORD_MAX];
        uint64_t id, version;
        uint8_t addr_family; /* 4 or 6 from "IN IP4/IP6", 0 when other */
        struct sdp_addr addr;
    } origin;
    struct sdp_addr conn; /* session-level c= */
    uint8_t media_count;
    uint16_t media_total;
    struct sdp_media_info media[SDP_MAX_MEDIA];
    uint8_t candidate_count;
    uint16_t candidate_total;
    struct sdp_candidate candidate[SDP_MAX_CANDIDATES];
};

/*
 * Parse the SDP body[0..len) with sofia-sip and summarise it into out (fully overwritten).
 * Returns out->ok. Allocates only inside sofia and frees it before returning; pure otherwise.
 */
bool sdp_summarize(const char *body, size_t len, struct sdp_summary *out);

/* Stable names: "inactive" … and "host", "srflx" … */
const char *sdp_dir_name(enum sdp_dir d);
const char *sdp_cand_type_name(enum sdp_cand_type t);

#endif
