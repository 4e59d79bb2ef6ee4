/* rtp_stats.h — per-stream RTP figures (RFC 3550 A.1, A.8) computed as Wireshark 4.0 does. */
#ifndef VOIPDIAG_RTP_STATS_H
#define VOIPDIAG_RTP_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "../../dissectors/rtp.h"

#define RTP_STATS_MAX_DIGITS 32  /* DTMF keys kept per stream */
#define RTP_STATS_SEQ_WINDOW 256 /* sequence numbers remembered for duplicate detection */

/* What one packet was, as rtp_stats_add classifies it (Wireshark's STAT_FLAG_* meanings). */
enum rtp_stats_flag {
    RTP_FLAG_FIRST = 1u << 0,           /* first packet of the stream */
    RTP_FLAG_MARKER = 1u << 1,          /* M bit set */
    RTP_FLAG_WRONG_SEQ = 1u << 2,       /* sequence jump, duplicate or late packet */
    RTP_FLAG_WRONG_TIMESTAMP = 1u << 3, /* timestamp not within 2^31 after the first one */
    RTP_FLAG_PT_CN = 1u << 4,           /* comfort noise (PT 13 or 19) */
    RTP_FLAG_FOLLOW_PT_CN = 1u << 5,    /* the packet before was comfort noise */
    RTP_FLAG_PT_CHANGE = 1u << 6,       /* PT differs from the previous packet's */
    RTP_FLAG_REG_PT_CHANGE = 1u << 7,   /* the regular (non-CN) PT changed */
    RTP_FLAG_PT_EVENT = 1u << 8,        /* RFC 4733 telephone-event packet */
    RTP_FLAG_DUPLICATE = 1u << 9,       /* sequence number already seen (voipdiag's own test) */
};

/*
 * One stream's accumulator (one SSRC on one 5-tuple direction). Plain value: zero malloc;
 * fields are private to rtp_stats.c, read the figures through rtp_stats_finish().
 */
struct rtp_stats {
    int64_t epoch_ns; /* time zero of the ms clock (Wireshark: the capture's first frame) */
    int16_t event_pt; /* RFC 4733 payload type of this stream, −1 when unknown */

    /* Wireshark's per-stream state (ui/tap-rtp-analysis.c, rtppacket_analyse) */
    uint32_t total; /* packets added */
    uint32_t flags; /* enum rtp_stats_flag of the last packet */
    uint16_t start_seq, stop_seq, seq_num;
    bool under;          /* between a sequence wrap and the return above start_seq */
    int32_t cycles;      /* sequence wraps counted */
    uint32_t seq_errors; /* packets flagged RTP_FLAG_WRONG_SEQ */
    uint32_t first_ts;   /* RTP timestamp of the first packet: time order is judged on it */
    double last_nominal; /* ms of RTP time since first_ts at the last timed packet */
    double time_ms;      /* arrival of the last packet in time sequence */
    uint8_t pt;          /* payload type of the last packet */
    int16_t reg_pt;      /* last regular (non-CN) payload type */
    double delta, jitter;
    double min_delta, mean_delta, max_delta;
    double min_jitter, mean_jitter, max_jitter;
    uint64_t max_delta_frame;
    uint32_t clock_rate; /* last non-zero clock rate used */
    bool problem;        /* a sequence or timestamp error was seen */

    /* voipdiag's additions */
    uint32_t high_ext_seq; /* RFC 3550 A.1 style extended highest sequence number */
    uint64_t seen[RTP_STATS_SEQ_WINDOW / 64]; /* ring: bit e % window, e was received */
    uint32_t duplicates, reordered, markers, pt_changes, ts_backwards;
    int64_t first_ns, last_ns;
    uint64_t first_frame, last_frame;
    uint8_t first_pt;
    uint32_t pt_seen[4]; /* bitmap of payload types 0–127 */
    uint32_t dtmf_events, dtmf_ended;
    bool dtmf_active, dtmf_end_seen;
    uint32_t dtmf_ts; /* RTP timestamp of the current event */
    uint8_t n_digits;
    char digits[RTP_STATS_MAX_DIGITS + 1];
};

/* The finished figures of one stream; times in ms as Wireshark prints them. */
struct rtp_stats_result {
    uint32_t packets;
    uint32_t expected;   /* Wireshark: last seq + 65536·wraps − first seq + 1 */
    int32_t lost;        /* expected − packets: negative with duplicates */
    double lost_pct;     /* 100·lost/expected, 0 when expected is 0 */
    uint32_t seq_errors; /* Wireshark's "sequence errors" */
    uint32_t duplicates, reordered, markers, pt_changes, ts_backwards;
    double min_delta_ms; /* −1 when no regular packet followed the first */
    double mean_delta_ms;
    double max_delta_ms;
    uint64_t max_delta_frame; /* frame ending the longest gap, 0 when none */
    double min_jitter_ms;     /* −1 when no jitter could be computed (clock rate unknown) */
    double mean_jitter_ms;
    double max_jitter_ms;
    int64_t first_ns, last_ns;
    uint64_t first_frame, last_frame;
    uint8_t first_pt, last_pt;
    uint32_t clock_rate;  /* last non-zero clock rate used for jitter, 0 when none */
    bool problem;         /* Wireshark's "Problems?" column */
    uint32_t dtmf_events; /* distinct RFC 4733 events (by RTP timestamp) */
    uint32_t dtmf_ended;  /* events whose E bit was seen */
    char dtmf_digits[RTP_STATS_MAX_DIGITS + 1];
    /* Estimate, not a measurement: see rtp_stats_finish(). */
    double est_delay_ms; /* assumed one-way delay: 2·max jitter + 20 ms packetisation */
    double r_factor;
    double mos;
    bool codec_known; /* false: G.711 impairment figures were assumed */
};

/*
 * Start an empty accumulator. epoch_ns is the zero of the millisecond clock the arithmetic
 * runs on: pass the capture's first frame time to get Wireshark's numbers bit for bit (its
 * times are relative to that frame); 0 is allowed but loses precision on epoch times.
 */
void rtp_stats_init(struct rtp_stats *s, int64_t epoch_ns);

/* Declare the stream's RFC 4733 telephone-event payload type (from SDP). */
void rtp_stats_set_event_pt(struct rtp_stats *s, uint8_t pt);

/*
 * Add one RTP packet of the stream that arrived at arrival_ns (frame number frame).
 * clock_rate is the packet's payload clock in Hz (rtp_pt_clock_rate, or SDP's rate for a
 * dynamic type); 0 means unknown and then no jitter is computed for the packet — as for
 * telephone-event packets, whatever clock_rate says. Timestamp order is judged against the
 * stream's first timestamp (within half the 32-bit range), as Wireshark 4.0 does. A
 * telephone-event payload is decoded for the DTMF figures. Returns the packet's
 * enum rtp_stats_flag bits. No allocation.
 */
uint32_t rtp_stats_add(struct rtp_stats *s, int64_t arrival_ns, const struct rtp_header *h,
                       uint32_t clock_rate, uint64_t frame);

/*
 * Compute the stream's figures into r. Packets, lost, deltas and jitter follow Wireshark
 * 4.0's definitions (including its running "mean" over regular packets only, divided by the
 * count of all earlier packets). The MOS is an ESTIMATE from a simplified ITU-T G.107
 * E-model: R = 93.2 − Id − Ie_eff with d = 2·max jitter + 20 ms,
 * Id = 0.024·d + 0.11·(d − 177.3)·[d > 177.3], Ie_eff = Ie + (95 − Ie)·Ppl/(Ppl + Bpl)
 * (random loss, Ppl = lost % ≥ 0), codec Ie/Bpl from ITU-T G.113 Appendix I for the last
 * regular payload type (G.711 with PLC: 0/25.1 when unknown), MOS from R per G.107 Annex B.
 */
void rtp_stats_finish(const struct rtp_stats *s, struct rtp_stats_result *r);

/* True when payload type pt was seen in the stream. */
bool rtp_stats_pt_seen(const struct rtp_stats *s, uint8_t pt);

#endif
