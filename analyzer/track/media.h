/* media.h — RTP/RTCP media (RFC 3550, RFC 3264): SDP expectations, stream binding, statistics. */
#ifndef VOIPDIAG_MEDIA_H
#define VOIPDIAG_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "../../dissectors/packet.h"
#include "flow.h"

struct result;

#define MEDIA_CALL_ID_MAX 128
#define MEDIA_MAX_PT 12

/* Media direction announced in SDP (RFC 3264 §5.1), from the announcing party's view. */
enum media_dir {
    MEDIA_SENDRECV = 0,
    MEDIA_SENDONLY,
    MEDIA_RECVONLY,
    MEDIA_INACTIVE,
};

/*
 * One SDP m= line: the party that sent the SDP expects to RECEIVE media at addr:port
 * (RFC 3264). The SIP tracker hands every offer/answer here; the media tracker binds
 * streams to it and judges each direction of each call.
 */
struct media_expectation {
    char call_id[MEDIA_CALL_ID_MAX];
    uint32_t call_index; /* the SIP tracker's call number, stable in reports */
    bool from_caller;    /* the SDP came from the caller (INVITE side) */
    bool is_offer;
    uint8_t mline;       /* index of the m= line in its SDP: answers keep the offer's order */
    struct ip_addr addr; /* c= of the m= line (media-level or session-level) */
    uint16_t port;       /* m= port; 0 = rejected stream */
    uint16_t rtcp_port;  /* a=rtcp, else port + 1 (0 with rtcp-mux) */
    enum media_dir dir;
    bool hold; /* sendonly/inactive or c=0.0.0.0 */
    uint8_t n_pt;
    struct {
        uint8_t pt;
        uint32_t clock_rate; /* 0 unknown */
        char encoding[16];
    } pt[MEDIA_MAX_PT];
    int16_t event_pt;       /* telephone-event PT, -1 none */
    struct ip_addr sig_src; /* IP source of the SIP message carrying the SDP */
    int64_t ts_ns;          /* when the SDP was seen */
    uint64_t frame;
    uint16_t file;
};

struct media_tracker;

/* Capacities of a tracker's bounded state; 0 in a field means its default. */
struct media_limits {
    uint32_t streams; /* live streams and unsignalled candidates (default 32768) */
    uint32_t flows;   /* per-flow caches (65536) */
    uint32_t expect;  /* SDP address:port expectations (16384) */
    uint32_t calls;   /* calls with SDP (16384) */
    uint32_t rtcp;    /* (reported SSRC, reporter) RTCP views (8192) */
    uint32_t icmp;    /* destinations of media that drew ICMP errors (4096) */
    uint32_t records; /* finished streams listed in the result; more are counted (200000) */
};

/* New tracker with the default capacities (the pipeline's); NULL when memory is short. */
struct media_tracker *media_tracker_new(void);

/*
 * New tracker with the capacities of lim (NULL: defaults). Small ones suit unit tests and the
 * fuzzer: memory is reserved (not touched) per capacity, so a run costs what it uses either
 * way, but a small table also reaches its eviction paths. NULL when memory is short.
 */
struct media_tracker *media_tracker_new_sized(const struct media_limits *lim);
void media_tracker_free(struct media_tracker *m);

/*
 * The capture's first frame time: the zero of every stream's millisecond clock, as
 * Wireshark's RTP analysis takes it (its times are relative to frame 1), so the figures agree
 * to the last printed digit. Call once before any packet; without it the first datagram the
 * tracker sees is taken.
 */
void media_tracker_start(struct media_tracker *m, int64_t first_ns);

/* The provider profile's UDP media range (default 10000–60000, the seed document's). */
void media_tracker_set_ports(struct media_tracker *m, uint16_t min, uint16_t max);

/* Record an SDP expectation (copied). */
void media_expect(struct media_tracker *m, const struct media_expectation *e);

/* A call's end as signalled (BYE / CANCEL / final failure): media after it is not expected. */
void media_call_ended(struct media_tracker *m, uint32_t call_index, int64_t ts_ns);

/*
 * A UDP datagram that is not SIP: decide whether it is RTP/RTCP (SDP expectation, learned
 * source, or heuristics) and account it to its stream. f/side as from flow_table_update; hint
 * from media_hint (or MEDIA_NO_HINT) remembers where the packet went for media_tracker_prefetch.
 */
void media_tracker_udp(struct media_tracker *m, const struct packet *pkt, struct flow *f, int side,
                       uint32_t hint);

#define MEDIA_NO_HINT UINT32_MAX

/* The prefetch hint of a flow's side: its flow hash (flow_table_prepare) and key side. */
static inline uint32_t
media_hint(uint32_t flow_hash, int side)
{
    return (flow_hash ^ (side ? 0x9e3779b9u : 0u)) & 0x7fffffffu;
}

/*
 * Start fetching the memory the next RTP packet of hint's flow side will touch (the flow's
 * media cache and its last stream), a few packets before it is tracked: RTP streams
 * interleave, so each packet's state is otherwise a cache miss.
 */
void media_tracker_prefetch(const struct media_tracker *m, uint32_t hint);

/* An ICMP/ICMPv6 error quoting a UDP packet: tie it to the stream or expectation it hits. */
void media_tracker_icmp(struct media_tracker *m, const struct packet *icmp);

/*
 * Let the verdicts consult the SIP ALG analysis (borrowed; NULL: none): an SDP copy seen at
 * two capture points names the media address on each side of the middlebox, so media from
 * either is announced, and a proven SDP rewrite is named instead of plain NAT. Its SDP facts
 * must still be there at media_tracker_finish (finish the ALG tracker after).
 */
struct alg_tracker;
void media_tracker_set_alg(struct media_tracker *m, const struct alg_tracker *alg);

/*
 * During the run, at packet time now_ns (check/settle.h calls it once a second of packets): judge
 * the media of each call that is over — ended (BYE, CANCEL, final failure) 2 s ago, or silent
 * (no SDP, no media) for 60 s — as media_tracker_finish will, and stream its findings to r's
 * observer (result_stream_finding). Nothing is stored: the end-of-run pass still writes the
 * report. Does nothing when r has no observer (file analyses).
 */
void media_tracker_settle(struct media_tracker *m, struct result *r, int64_t now_ns);

/* End of capture: finish every stream, judge every call's media, add findings to r. */
void media_tracker_finish(struct media_tracker *m, struct result *r);

#endif
