/* result_media.h — the RTP part of a result (RFC 3550): streams with statistics, media verdicts. */
#ifndef VOIPDIAG_RESULT_MEDIA_H
#define VOIPDIAG_RESULT_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../dissectors/packet.h"
#include "track/rtp_stats.h"

#define MEDIA_RESULT_CALL_ID_MAX 128
#define MEDIA_PAYLOAD_NAME_MAX 96

/* How a stream was tied to its call. */
enum media_bind {
    MEDIA_BIND_HEURISTIC = 0, /* no SDP names it: RTP shape and continuity alone */
    MEDIA_BIND_SDP,           /* sent to an address:port an SDP announced */
    MEDIA_BIND_LEARNED,       /* symmetric RTP: the reverse of, or sent from, an SDP endpoint */
};

/* A frame reference (same meaning as struct evidence_ref, kept here to stay header-light). */
struct media_ref {
    uint64_t frame; /* 1-based, 0 = none */
    uint16_t file;
    int64_t ts_ns;
};

/* What the far end said about a stream in RTCP (RFC 3550 §6.4, RFC 3611 §4.7). */
struct media_rtcp_view {
    uint32_t reports;      /* SR/RR report blocks about this SSRC */
    uint8_t fraction_lost; /* of the last block, /256 */
    int32_t cum_lost;      /* of the last block */
    uint32_t jitter;       /* of the last block, timestamp units */
    double jitter_ms;      /* jitter / clock rate; −1 when the rate is unknown */
    struct media_ref last; /* frame of the last block */
    bool has_xr;
    uint8_t xr_loss_rate; /* /256 */
    uint8_t xr_r_factor;  /* 127 unavailable */
    uint8_t xr_mos_lq;    /* ×10, 127 unavailable */
};

/* One RTP stream: one SSRC in one direction of one 5-tuple. */
struct media_stream_record {
    struct ip_addr src, dst;
    uint16_t sport, dport;
    uint32_t ssrc;
    char payload[MEDIA_PAYLOAD_NAME_MAX]; /* Wireshark's names, ", "-joined in PT order */
    uint32_t clock_rate;                  /* of the last regular PT, 0 unknown */
    struct rtp_stats_result st;
    struct media_ref first, last, max_delta;
    enum media_bind bind;
    int32_t call;       /* index into media_result.calls, −1 when unbound */
    bool from_caller;   /* with call ≥ 0: caller → callee */
    uint8_t mline;      /* with call ≥ 0: the SDP m= line (0 is the judged one) */
    bool src_announced; /* the source address is the one the sender's SDP announced */
    struct media_rtcp_view rtcp;
    uint32_t icmp_errors; /* ICMP errors quoting media sent to dst:dport */
    uint8_t icmp_type, icmp_code;
    struct ip_addr icmp_from;
    struct media_ref icmp_first, icmp_last;
};

/* Verdict of one direction of a call's media. */
enum media_dir_verdict {
    MEDIA_DIR_OK = 0,
    MEDIA_DIR_NOT_EXPECTED, /* no SDP for it, on hold, inactive or rejected */
    MEDIA_DIR_MISSING,      /* expected, nothing arrived */
    MEDIA_DIR_BLOCKED,      /* expected, and nothing arrived or ICMP errors refused it to the end */
    MEDIA_DIR_STOPPED,      /* flowed, then stopped well before the call ended */
    MEDIA_DIR_LOSSY,        /* arrived with loss over the limit */
};

/* One direction of a call: media sent by one party to the address the other announced. */
struct media_call_dir {
    bool expected;        /* the receiver's SDP asked for media here */
    struct ip_addr addr;  /* the receiver's SDP address (c=) */
    uint16_t port;        /* the receiver's SDP port (m=) */
    bool addr_private;    /* addr is RFC 1918 / RFC 4193 / RFC 6598 */
    struct media_ref sdp; /* frame of the SDP that announced addr:port */
    uint32_t streams;     /* streams bound to this direction */
    uint64_t packets;
    int64_t lost;
    struct media_ref first, last;
    bool src_unannounced;    /* media came from an address no copy of the sender's SDP gave */
    struct ip_addr seen_src; /* source of the first unannounced stream, else of the first */
    uint16_t seen_sport;
    /* two-point: the sender's SDP media address as before and after a middlebox that rewrote
     * it (a SIP ALG, proven by the ALG analysis); media from either is announced */
    bool sender_sdp_rewritten;
    struct ip_addr sender_sdp_before, sender_sdp_after;
    uint16_t sender_sdp_before_port, sender_sdp_after_port;
    struct media_ref sender_sdp_before_at, sender_sdp_after_at;
    /* two-point: the receiver's private SDP address reached the peer rewritten (SIP ALG) */
    bool receiver_sdp_rewritten;
    uint32_t icmp_errors; /* ICMP errors quoting media of this direction */
    uint8_t icmp_type, icmp_code;
    struct ip_addr icmp_from;
    struct ip_addr icmp_dst; /* the refused destination (the SDP's, or a NAT's) */
    uint16_t icmp_dport;
    struct media_ref icmp_first, icmp_last;
    enum media_dir_verdict verdict;
    /* two capture points: the direction was judged at input judged_file alone, the one
     * nearest its receiver (streams seen at the other point are listed, not counted) */
    bool judged_at_point;
    uint16_t judged_file;
};

/* Media of one call, per direction: [0] caller → callee, [1] callee → caller. */
struct media_call_record {
    uint32_t call_index; /* the SIP tracker's number */
    char call_id[MEDIA_RESULT_CALL_ID_MAX];
    int64_t ended_ns; /* BYE/CANCEL/failure, 0 when not seen */
    struct media_call_dir dir[2];
    const char *verdict; /* "two_way", "one_way", "no_media", "not_expected" (static) */
};

struct media_result {
    struct media_stream_record *streams; /* sorted by first frame */
    size_t n_streams;
    struct media_call_record *calls; /* by call_index order of first SDP */
    size_t n_calls;
    size_t calls_mapped; /* pool_calloc's mapping size of calls (core/pool.h) */
    uint64_t rtp_packets;        /* datagrams accounted to streams */
    uint64_t rtcp_packets;       /* RTCP compounds read */
    uint64_t streams_evicted;    /* streams ended early because the table was full */
    uint64_t candidates_dropped; /* unsignalled RTP-shaped flows that never proved continuous */
    uint64_t expectations;       /* SDP m= lines handed over */
};

/* Free m and everything it owns; NULL is fine. */
void media_result_free(struct media_result *m);

/* Names for reports: "sdp" / "learned" / "heuristic"; "ok" / "missing" / … */
const char *media_bind_name(enum media_bind b);
const char *media_dir_verdict_name(enum media_dir_verdict v);

#endif
