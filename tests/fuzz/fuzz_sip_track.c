/* fuzz_sip_track.c — libFuzzer: the SIP tracker (RFC 3261 transactions, dialogs, registrations)
 * fed datagrams and TCP chunks between fixed endpoints, then finished into a result. A small
 * ALG tracker is attached: one message sent on two flows is a two-point copy (twin). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/result.h"
#include "analyzer/track/alg.h"
#include "analyzer/track/media.h"
#include "analyzer/track/sip_track.h"

#define FUZZ_SEP 0xff /* separates records; SIP text never holds it */
#define FUZZ_FLOWS 3  /* 0, 1: UDP; 2: TCP */

/* Packet-time steps a record's control byte may advance the clock by (ms): the last ones pass
 * Timer F, the call set-up and ended timers, and the registration idle time. */
static const int64_t fuzz_step_ms[16] = {0,    0,    1,     10,    100,   500,    1000,    2000,
                                         5000, 9000, 31000, 33000, 40000, 181000, 3601000, 7201000};

struct fuzz_rig {
    struct sip_tracker *t;
    struct media_tracker *media;
    struct alg_tracker *alg;
    struct flow f[FUZZ_FLOWS];
    struct flow_key k[FUZZ_FLOWS];
    struct packet proto[FUZZ_FLOWS]; /* side-0 template of each flow */
    uint64_t frame;
    int64_t now_ns;
};

static void
fuzz_v4(struct ip_addr *a, uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->a[0] = x, a->a[1] = y, a->a[2] = z, a->a[3] = w;
}

static void
fuzz_v6(struct ip_addr *a, uint8_t last)
{
    memset(a, 0, sizeof *a);
    a->family = 6;
    a->a[0] = 0x20, a->a[1] = 0x01, a->a[2] = 0x0d, a->a[3] = 0xb8, a->a[15] = last;
}

/* Flow i's template packet (side 0) and canonical key. */
static void
fuzz_flow_init(struct fuzz_rig *g, int i)
{
    struct packet *p = &g->proto[i];
    memset(p, 0, sizeof *p);
    memset(&g->f[i], 0, sizeof g->f[i]);
    memset(&g->k[i], 0, sizeof g->k[i]);
    switch (i) {
    case 0: /* phone ↔ registrar, UDP 5060 */
        fuzz_v4(&p->src, 192, 0, 2, 10);
        fuzz_v4(&p->dst, 198, 51, 100, 10);
        p->sport = 5060, p->dport = 5060;
        break;
    case 1: /* IPv6, a port outside the profile on one side */
        fuzz_v6(&p->src, 0x10);
        fuzz_v6(&p->dst, 0x20);
        p->sport = 40000, p->dport = 5062;
        break;
    default: /* TCP to 5061: SIP-TLS unless SIP text turns up */
        fuzz_v4(&p->src, 192, 0, 2, 20);
        fuzz_v4(&p->dst, 198, 51, 100, 10);
        p->sport = 50000, p->dport = 5061;
        break;
    }
    p->ip_version = p->src.family;
    p->ip_proto = i == 2 ? 6 : 17;
    p->layers = i == 2 ? LAYER_TCP : LAYER_UDP;
    struct flow_key *k = &g->k[i];
    k->family = p->src.family;
    k->proto = p->ip_proto;
    memcpy(k->addr[0], p->src.a, 16);
    memcpy(k->addr[1], p->dst.a, 16);
    k->port[0] = p->sport;
    k->port[1] = p->dport;
}

/* End flow i the way the flow table does, and start it afresh. */
static void
fuzz_flow_end(struct fuzz_rig *g, int i)
{
    sip_tracker_flow_end(g->t, &g->k[i], &g->f[i]);
    fuzz_flow_init(g, i);
}

/*
 * One record: control byte c then the payload. c bits 0–1: flow (3 = end the flow chosen by
 * bit 2 and 3); bit 2: side; bit 3: a TCP gap before the chunk, or a UDP datagram cut by
 * snaplen; bits 4–7: the clock step.
 */
static void
fuzz_record(struct fuzz_rig *g, const uint8_t *r, size_t n)
{
    uint8_t c = r[0];
    int i = c & 3, side = (c >> 2) & 1;
    bool flag = (c >> 3) & 1;
    g->now_ns += fuzz_step_ms[c >> 4] * 1000000LL;
    if (i == 3) {
        fuzz_flow_end(g, ((c >> 2) & 3) % FUZZ_FLOWS);
        return;
    }
    struct flow *f = &g->f[i];
    struct packet p = g->proto[i];
    if (side) {
        p.src = g->proto[i].dst, p.dst = g->proto[i].src;
        p.sport = g->proto[i].dport, p.dport = g->proto[i].sport;
    }
    p.frame = ++g->frame;
    p.ts_ns = g->now_ns;
    p.payload = r + 1;
    p.payload_len = (uint32_t)(n - 1);
    p.payload_wire_len = p.payload_len + (flag && i != 2 ? 100 : 0);
    p.caplen = p.wirelen = p.payload_len + 42;
    if (!f->packets[0] && !f->packets[1]) {
        f->first_ns = p.ts_ns;
        f->first_frame = p.frame;
        f->init_side = (uint8_t)side;
    }
    f->packets[side]++;
    f->last_ns = p.ts_ns;
    f->last_frame = p.frame;
    if (i == 2)
        sip_tracker_tcp(g->t, f, side, p.payload, p.payload_len, flag ? 359 : 0, &p);
    else
        sip_tracker_udp(g->t, &p, f, side);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_rig g;
    memset(&g, 0, sizeof g);
    g.now_ns = 1700000000LL * 1000000000LL;
    g.media = media_tracker_new();
    g.t = sip_tracker_new(g.media);
    g.alg = alg_tracker_new_sized(16, 16);
    if (!g.media || !g.t || !g.alg) {
        sip_tracker_free(g.t);
        media_tracker_free(g.media);
        alg_tracker_free(g.alg);
        return 0;
    }
    sip_tracker_set_alg(g.t, g.alg);
    media_tracker_start(g.media, g.now_ns);
    for (int i = 0; i < FUZZ_FLOWS; i++)
        fuzz_flow_init(&g, i);
    size_t start = 0;
    for (size_t pos = 0; pos <= size; pos++) {
        if (pos < size && data[pos] != FUZZ_SEP)
            continue;
        if (pos > start)
            fuzz_record(&g, data + start, pos - start);
        start = pos + 1;
    }
    for (int i = 0; i < FUZZ_FLOWS; i++)
        sip_tracker_flow_end(g.t, &g.k[i], &g.f[i]);
    struct result r;
    result_init(&r, 16);
    sip_tracker_finish(g.t, &r);
    media_tracker_finish(g.media, &r);
    alg_tracker_finish(g.alg, &r);
    sip_tracker_free(g.t);
    media_tracker_free(g.media);
    alg_tracker_free(g.alg);
    result_free(&r);
    return 0;
}
