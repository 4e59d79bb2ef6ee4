/* flow.h — bidirectional 5-tuple flows: counters, TCP handshake outcome, ICMP errors, nDPI state. */
#ifndef VOIPDIAG_FLOW_H
#define VOIPDIAG_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "../../dissectors/packet.h"
#include "dpi.h"
#include "tcp_stream.h"

/*
 * Canonical key: the two endpoints sorted so both directions share it; padding zeroed.
 * 40 bytes in five aligned words, written whole so hashing reads them back without stalls.
 */
struct flow_key {
    uint8_t family; /* 4 or 6 */
    uint8_t proto;
    uint8_t pad[2];
    uint16_t port[2];
    uint8_t addr[2][16];
};

enum flow_tcp_state {
    FLOW_TCP_NONE = 0,
    FLOW_TCP_SYN,         /* SYN seen, no answer yet */
    FLOW_TCP_SYNACK,      /* SYN-ACK seen, no final ACK or data yet */
    FLOW_TCP_ESTABLISHED, /* three-way handshake completed (or data after SYN-ACK) */
    FLOW_TCP_MIDSTREAM,   /* the capture started after the handshake */
    FLOW_TCP_CLOSED,      /* FIN from both sides */
    FLOW_TCP_RESET,       /* RST seen; see reset_side and was_established */
};

enum flow_end {
    FLOW_END_IDLE,     /* idle longer than its time-out (packet time) */
    FLOW_END_EVICTED,  /* pushed out early because the table was full */
    FLOW_END_CAPTURE,  /* still alive when the capture ended */
};

/*
 * One flow. Sides are key sides (0/1); init_side is the side that opened it (SYN sender, or
 * the first sender). Counters are indexed by the sending side.
 */
struct flow {
    /* Touched by every packet: kept together in the entry's first three cache lines (the ones
     * flow_table_prefetch fetches: the table entry's meta and key come first). */
    uint64_t packets[2];
    uint64_t bytes[2];        /* IP bytes on the wire per side */
    int64_t last_ns;
    int64_t lru_ns;           /* packet time of the last move to the LRU tail */
    uint64_t last_frame;
    uint16_t last_file;
    bool dpi_done;            /* mirror of dpi.done, read without touching dpi */
    uint8_t init_side;

    uint32_t id;              /* creation order: deterministic, used to sort reports */
    void *sip;                /* per-flow SIP state, owned by the SIP tracker (sip_track.c) */
    void *media;              /* per-flow media state cache, owned by the media tracker (media.c) */

    int64_t first_ns;
    uint64_t first_frame;
    uint16_t first_file;

    /* TCP */
    enum flow_tcp_state tcp_state;
    bool was_established;
    bool fin[2];
    uint8_t reset_side;       /* side that sent the first RST */
    uint16_t syn[2];          /* SYNs (with retransmissions) sent by each side */
    uint16_t synack;
    struct tcp_stream stream[2]; /* data sent by each side, in order */

    /* ICMP errors that quote a packet of this flow */
    uint32_t icmp_errors;
    uint8_t icmp_type, icmp_code;
    struct ip_addr icmp_from; /* who sent the first one (host, router or firewall) */
    uint64_t icmp_first_frame;
    uint16_t icmp_first_file;

    struct dpi_state dpi;
};

struct flow_limits {
    uint32_t max_flows;
    int64_t udp_ns;           /* idle time-outs on packet time */
    int64_t tcp_open_ns;
    int64_t tcp_handshake_ns;
    int64_t tcp_closed_ns;
    int64_t other_ns;
    uint32_t tcp_buffer;      /* out-of-order bytes held per TCP direction */
};

/* Defaults: 200 000 flows; UDP 300 s (well over the 90 s binding requirement), TCP open 300 s,
 * handshake 120 s, closed 10 s, other 60 s; 64 KiB per TCP direction. */
void flow_limits_default(struct flow_limits *l);

struct flow_stats {
    uint64_t created;
    uint64_t expired;
    uint64_t evicted;         /* ended early for the cap: reported, never silent */
    uint32_t active;
    uint32_t peak_active;
};

/*
 * Called for every flow that ends, before its memory is reused; the callee may read and
 * mutate (flush streams, finish DPI). The key is canonical.
 */
typedef void (*flow_end_fn)(void *ctx, const struct flow_key *key, struct flow *f,
                            enum flow_end why);

struct flow_table;

/* New table; NULL when memory is short. seed keys the hash (fixed in tests). */
struct flow_table *flow_table_new(const struct flow_limits *l, uint64_t seed, flow_end_fn on_end,
                                  void *ctx);

/* End every live flow (FLOW_END_CAPTURE), oldest first, through the end callback. */
void flow_table_flush(struct flow_table *t);

/* Flush, then free the table. */
void flow_table_free(struct flow_table *t);

/* A packet's flow lookup computed ahead of time, so that its memory can be prefetched. */
struct flow_lookup {
    struct flow_key key;
    uint32_t hash;
    int side;        /* key side of the sender */
};

/* Compute pkt's key and hash into *l and prefetch its bucket; pkt must have an IP layer. */
void flow_table_prepare(struct flow_table *t, const struct packet *pkt, struct flow_lookup *l);

/* Prefetch the first entry of l's chain (call some packets after flow_table_prepare). */
void flow_table_prefetch(const struct flow_table *t, const struct flow_lookup *l);

/*
 * Account pkt (an IP packet with its transport decoded) to its flow, creating it when new,
 * expiring idle flows first. *side receives the key side of the sender. Returns NULL when the
 * packet has no IP layer. l is pkt's prepared lookup, or NULL to compute it here.
 */
struct flow *flow_table_update(struct flow_table *t, const struct packet *pkt,
                               const struct flow_lookup *l, int *side);

/*
 * The flow of the packet an ICMP error quotes, or NULL; does not create. On success the error
 * is recorded in the flow.
 */
struct flow *flow_table_icmp_error(struct flow_table *t, const struct packet *icmp);

/* Expire flows idle at packet time now_ns. */
void flow_table_expire(struct flow_table *t, int64_t now_ns);

const struct flow_stats *flow_table_stats(const struct flow_table *t);

/* Build the canonical key of src:sport → dst:dport; returns the side of src. */
int flow_key_make(struct flow_key *k, uint8_t proto, const struct ip_addr *src, uint16_t sport,
                  const struct ip_addr *dst, uint16_t dport);

#endif
