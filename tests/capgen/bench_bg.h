/* bench_bg.h — the benchmark's shared state (bench.c owns it) and its background traffic:
 * DNS lookups (RFC 1035) and short HTTPS connections (TLS 1.2 over TCP). */
#ifndef CAPGEN_BENCH_BG_H
#define CAPGEN_BENCH_BG_H

#include <stdbool.h>
#include <stdint.h>

#include "bench.h"
#include "build.h"
#include "rng.h"
#include "scen.h"
#include "scen_sip.h"
#include "writer.h"

#define BENCH_CALLS 500                             /* concurrent call slots */
#define BENCH_T0_NS (1709632800LL * 1000000000LL)   /* 2024-03-05T10:00:00Z */
#define BENCH_NEVER INT64_MAX                       /* key of a parked event source */
#define SRC_ID(slot, k) ((uint32_t)(slot)*3u + (k)) /* k: 0 SIP, 1 RTP up, 2 RTP down */
#define SRC_BG (BENCH_CALLS * 3u)
#define SRC_DNS SRC_BG
#define SRC_HTTPS (SRC_BG + 1u)
#define SRC_COUNT (SRC_BG + 2u)

/* One RTP direction: a ready frame patched per packet. */
struct bench_stream {
    uint8_t frame[14 + 20 + 8 + SCEN_RTP_LEN];
    uint32_t pseudo; /* ones'-complement sum of the UDP pseudo-header */
    uint16_t seq, ipid;
    uint32_t ts, ssrc;
    int64_t nominal; /* when the next packet leaves its sender */
    uint32_t jitter_ns, loss_ppm;
    bool marker;
};

/* One call slot: a phone and its current call. */
struct bench_call {
    int step;       /* next SIP step */
    uint32_t count; /* calls this slot has started */
    int64_t media_end;
    struct scen_dialog d;
    struct build_addr phone;
    uint8_t mac[6];
    uint16_t ipid; /* the phone's IPv4 identification counter */
    char phone_text[48], caller[16], callee[24], call_id[64], from_tag[16], to_tag[16];
    char branch[16], gw_text[24];
    struct bench_stream s[2]; /* [0] phone → gateway, [1] gateway → phone */
};

/* The HTTPS connection in progress. */
struct bench_https {
    struct scen_tcp c;
    uint32_t next[2]; /* next relative sequence number per direction */
    unsigned step;
    unsigned phone;
};

/* Everything the generator keeps; one heap entry per event source. */
struct bench {
    struct writer w;
    struct rng rng;
    struct bench_stats st;
    struct build_addr proxy;
    uint16_t proxy_ipid;
    int64_t last_ts;
    uint32_t heap[SRC_COUNT], pos[SRC_COUNT];
    int64_t key[SRC_COUNT];
    struct bench_call calls[BENCH_CALLS];
    bool dns_pending;
    uint16_t dns_id, dns_port, dns_type, dns_ipid;
    unsigned dns_phone;
    struct bench_https https;
};

/* (bench.c) Set the time of event source src's next event (BENCH_NEVER parks it). */
void bench_schedule(struct bench *b, uint32_t src, int64_t t);

/* (bench.c) Wrap the IP packet in pkt in Ethernet src → dst, pad to 60, write it at t. */
void bench_eth_write(struct bench *b, struct build *pkt, const uint8_t src[6], const uint8_t dst[6],
                     int64_t t);

/* Schedule the first background events. */
void bench_bg_init(struct bench *b);

/* Run background source src's event due at t and schedule its next one. */
void bench_bg_event(struct bench *b, uint32_t src, int64_t t);

#endif
