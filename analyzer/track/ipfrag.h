/* ipfrag.h — IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5) fragment reassembly, bounded and timed out. */
#ifndef VOIPDIAG_IPFRAG_H
#define VOIPDIAG_IPFRAG_H

#include <stdint.h>

#include "../../dissectors/packet.h"

struct ipfrag; /* opaque */

/*
 * A zero field takes the default (1024 datagrams, 16 MiB, 30 s, a fixed seed). max_bytes bounds
 * memory: each datagram is charged its buffer, which grows in 4 KiB steps of data plus 1/32 for
 * the block maps (4224 bytes per step), so sparse hostile fragments cannot hide their cost.
 */
struct ipfrag_limits {
    uint32_t max_datagrams; /* datagrams being reassembled at once (LRU evicts beyond) */
    uint32_t max_bytes;     /* total buffered fragment data across all datagrams */
    int64_t timeout_ns;     /* packet-time age after which an incomplete datagram is dropped */
    uint64_t hash_seed;     /* added: table hash seed (random on live capture, fixed in tests) */
};

/*
 * Counters the report prints; every dropped fragment is counted under one of these. The time-out
 * runs from a datagram's latest fragment (RFC 791's timer is raised by each fragment) and the
 * LRU order is that of the latest fragment, so the oldest entry is the first to expire.
 */
struct ipfrag_stats {
    uint64_t fragments;    /* fragments seen */
    uint64_t reassembled;  /* datagrams completed */
    uint64_t timed_out;
    uint64_t unfinished;      /* still incomplete when the capture ended */    /* incomplete datagrams expired on packet time */
    uint64_t evicted;      /* incomplete datagrams dropped for the caps */
    uint64_t overlaps;     /* fragments overlapping held data: datagram dropped (RFC 5722) */
    uint64_t oversize;     /* datagrams that would exceed 65535 bytes */
    uint64_t inconsistent; /* conflicting last fragment / length, datagram dropped */
    uint64_t truncated;    /* fragments cut by snaplen: datagram cannot complete */
    uint64_t duplicates;   /* added: exact copies of a held fragment, ignored */
    uint64_t discarded;    /* added: later fragments of a datagram already dropped above */
    uint64_t malformed;    /* added: fragments no IP stack could send (bad offset/length/header) */
};

/*
 * The completed datagram: a contiguous IP packet (IPv4 header with total length fixed and
 * fragment fields cleared, or an IPv6 fixed header whose next header is the transport) that
 * the caller passes to dissect_ip(). Valid until the next ipfrag_* call.
 * first_frame/last_frame say which frames carried it, for evidence.
 */
struct ipfrag_datagram {
    const uint8_t *data;
    uint32_t len;
    uint64_t first_frame;
    uint64_t last_frame;
    uint32_t fragment_count;
};

/* New reassembler; NULL when memory is short. */
struct ipfrag *ipfrag_new(const struct ipfrag_limits *limits);
void ipfrag_free(struct ipfrag *f);

/*
 * Add the fragment described by pkt (LAYER_FRAGMENT set by the dissector). Returns 1 and fills
 * *out when this fragment completed a datagram, 0 when more are needed or the fragment was
 * dropped (counted in the stats). Expires old datagrams on pkt->ts_ns first.
 */
int ipfrag_add(struct ipfrag *f, const struct packet *pkt, struct ipfrag_datagram *out);

/* Expire incomplete datagrams older than the time-out at packet time now_ns. */
void ipfrag_expire(struct ipfrag *f, int64_t now_ns);

/* End of capture: drop every incomplete datagram, counting it as unfinished. */
void ipfrag_finish(struct ipfrag *f);

const struct ipfrag_stats *ipfrag_stats(const struct ipfrag *f);

#endif
