/* flow.c — bidirectional flow table on the shared hash/pool/LRU container (see flow.h). */
#include "flow.h"

#include <stdlib.h>
#include <string.h>

#include "../core/table.h"

#define NS_PER_S 1000000000LL
#define LRU_GRAIN_NS (NS_PER_S / 2)
#define EXPIRE_GRAIN_NS (NS_PER_S / 4)

struct flow_table {
    struct table tab;
    int64_t next_expire_ns;   /* packet time of the next idle sweep */
    struct flow_limits lim;
    struct flow_stats stats;
    flow_end_fn on_end;
    void *ctx;
};

void
flow_limits_default(struct flow_limits *l)
{
    l->max_flows = 200000;
    l->udp_ns = 300 * NS_PER_S;
    l->tcp_open_ns = 300 * NS_PER_S;
    l->tcp_handshake_ns = 120 * NS_PER_S;
    l->tcp_closed_ns = 10 * NS_PER_S;
    l->other_ns = 60 * NS_PER_S;
    l->tcp_buffer = 65536;
}

struct flow_table *
flow_table_new(const struct flow_limits *l, uint64_t seed, flow_end_fn on_end, void *ctx)
{
    struct flow_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    if (table_init(&t->tab, l->max_flows, sizeof(struct flow_key), sizeof(struct flow), seed)) {
        free(t);
        return NULL;
    }
    t->lim = *l;
    t->on_end = on_end;
    t->ctx = ctx;
    return t;
}

/* Order of two addresses as big-endian numbers (any total order would do; this one is cheap). */
static inline int
addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
    for (int i = 0; i < 16; i += 8) {
        uint64_t x, y;
        memcpy(&x, a->a + i, 8);
        memcpy(&y, b->a + i, 8);
        if (x != y)
            return __builtin_bswap64(x) < __builtin_bswap64(y) ? -1 : 1;
    }
    return 0;
}

int
flow_key_make(struct flow_key *k, uint8_t proto, const struct ip_addr *src, uint16_t sport,
              const struct ip_addr *dst, uint16_t dport)
{
    int c = addr_cmp(src, dst);
    int src_side = (c > 0 || (c == 0 && sport > dport)) ? 1 : 0;
    const struct ip_addr *lo = src_side ? dst : src, *hi = src_side ? src : dst;
    k->family = src->family;
    k->proto = proto;
    k->pad[0] = k->pad[1] = 0;
    k->port[src_side] = sport;
    k->port[!src_side] = dport;
    memcpy(k->addr[0], lo->a, 16);
    memcpy(k->addr[1], hi->a, 16);
    return src_side;
}

/* Idle time-out of a flow in its present state. */
static int64_t
flow_timeout(const struct flow_table *t, const struct flow_key *k, const struct flow *f)
{
    switch (k->proto) {
    case 17:
        return t->lim.udp_ns;
    case 6:
        switch (f->tcp_state) {
        case FLOW_TCP_CLOSED:
        case FLOW_TCP_RESET:
            return t->lim.tcp_closed_ns;
        case FLOW_TCP_NONE:
        case FLOW_TCP_SYN:
        case FLOW_TCP_SYNACK:
            return t->lim.tcp_handshake_ns;
        default:
            return t->lim.tcp_open_ns;
        }
    default:
        return t->lim.other_ns;
    }
}

static void
flow_end(struct flow_table *t, uint32_t slot, enum flow_end why)
{
    struct flow *f = table_value(&t->tab, slot);
    if (t->on_end)
        t->on_end(t->ctx, table_key(&t->tab, slot), f, why);
    tcp_stream_free(&f->stream[0]);
    tcp_stream_free(&f->stream[1]);
    dpi_release(&f->dpi);
    if (why == FLOW_END_EVICTED)
        t->stats.evicted++;
    else if (why == FLOW_END_IDLE)
        t->stats.expired++;
    table_remove(&t->tab, slot);
    t->stats.active--;
}

void
flow_table_expire(struct flow_table *t, int64_t now_ns)
{
    /*
     * The LRU head is the flow idle longest. Flows behind it with shorter time-outs wait
     * until it goes; a lookup that finds a stale flow ends it first, so results stay exact.
     */
    for (;;) {
        uint32_t s = table_oldest(&t->tab);
        if (s == TABLE_NONE)
            return;
        const struct flow *f = table_value(&t->tab, s);
        if (now_ns - f->last_ns <= flow_timeout(t, table_key(&t->tab, s), f))
            return;
        flow_end(t, s, FLOW_END_IDLE);
    }
}

static uint32_t
flow_create(struct flow_table *t, const struct flow_key *k, uint32_t hash, int side,
            const struct packet *pkt)
{
    uint32_t s = table_insert(&t->tab, k, hash);
    if (s == TABLE_NONE) {
        flow_end(t, table_oldest(&t->tab), FLOW_END_EVICTED);
        s = table_insert(&t->tab, k, hash);
    }
    struct flow *f = table_value(&t->tab, s);
    f->id = (uint32_t)t->stats.created++;
    f->init_side = (uint8_t)side;
    f->first_ns = pkt->ts_ns;
    f->lru_ns = pkt->ts_ns;
    f->first_frame = pkt->frame;
    f->first_file = pkt->file;
    tcp_stream_init(&f->stream[0], t->lim.tcp_buffer);
    tcp_stream_init(&f->stream[1], t->lim.tcp_buffer);
    if (++t->stats.active > t->stats.peak_active)
        t->stats.peak_active = t->stats.active;
    return s;
}

/* Follow the three-way handshake, FIN and RST (RFC 9293 §3.5) from one side's flags. */
static void
flow_tcp_track(struct flow *f, int side, uint8_t flags, uint32_t payload_len)
{
    bool syn = flags & TCP_SYN, ack = flags & TCP_ACK;
    if (syn && !ack) {
        f->syn[side]++;
        if (f->tcp_state == FLOW_TCP_NONE) {
            f->tcp_state = FLOW_TCP_SYN;
            f->init_side = (uint8_t)side;
        }
    } else if (syn && ack) {
        f->synack++;
        if (f->tcp_state == FLOW_TCP_NONE) {
            f->init_side = (uint8_t)!side;
            f->tcp_state = FLOW_TCP_SYNACK;
        } else if (f->tcp_state == FLOW_TCP_SYN) {
            f->tcp_state = FLOW_TCP_SYNACK;
        }
    } else if (f->tcp_state == FLOW_TCP_SYNACK && (payload_len || (ack && side == f->init_side))) {
        f->tcp_state = FLOW_TCP_ESTABLISHED;
        f->was_established = true;
    } else if (f->tcp_state == FLOW_TCP_NONE) {
        f->tcp_state = FLOW_TCP_MIDSTREAM;
        f->was_established = true;
    }
    if ((flags & TCP_RST) && f->tcp_state != FLOW_TCP_RESET) {
        f->tcp_state = FLOW_TCP_RESET;
        f->reset_side = (uint8_t)side;
    }
    if (flags & TCP_FIN) {
        f->fin[side] = true;
        if (f->fin[!side] && f->tcp_state != FLOW_TCP_RESET)
            f->tcp_state = FLOW_TCP_CLOSED;
    }
}

void
flow_table_prepare(struct flow_table *t, const struct packet *pkt, struct flow_lookup *l)
{
    bool ports = pkt->layers & (LAYER_UDP | LAYER_TCP);
    l->side = flow_key_make(&l->key, pkt->ip_proto, &pkt->src, ports ? pkt->sport : 0, &pkt->dst,
                            ports ? pkt->dport : 0);
    l->hash = table_hash(&t->tab, &l->key);
    table_prefetch_bucket(&t->tab, l->hash);
}

void
flow_table_prefetch(const struct flow_table *t, const struct flow_lookup *l)
{
    table_prefetch_entry(&t->tab, l->hash, 3); /* struct flow's hot fields end in line 2 */
}

struct flow *
flow_table_update(struct flow_table *t, const struct packet *pkt, const struct flow_lookup *l,
                  int *side)
{
    if (!pkt->ip_version)
        return NULL;
    struct flow_lookup own;
    if (!l) {
        flow_table_prepare(t, pkt, &own);
        l = &own;
    }
    /* Sweep at most every EXPIRE_GRAIN of packet time; lookups check staleness exactly. */
    if (pkt->ts_ns >= t->next_expire_ns) {
        flow_table_expire(t, pkt->ts_ns);
        t->next_expire_ns = pkt->ts_ns + EXPIRE_GRAIN_NS;
    }

    const struct flow_key *k = &l->key;
    uint32_t hash = l->hash;
    int sd = l->side;
    uint32_t s = table_find(&t->tab, k, hash);
    if (s != TABLE_NONE) {
        const struct flow *old = table_value(&t->tab, s);
        if (pkt->ts_ns - old->last_ns > flow_timeout(t, k, old)) {
            flow_end(t, s, FLOW_END_IDLE);
            s = TABLE_NONE;
        } else if (k->proto == 6 && (pkt->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
                   (old->tcp_state == FLOW_TCP_CLOSED || old->tcp_state == FLOW_TCP_RESET)) {
            /* A fresh SYN on a finished connection's tuple is a new connection (port reuse). */
            flow_end(t, s, FLOW_END_IDLE);
            s = TABLE_NONE;
        }
    }
    if (s == TABLE_NONE)
        s = flow_create(t, k, hash, sd, pkt);

    struct flow *f = table_value(&t->tab, s);
    /*
     * Moving an entry to the LRU tail touches its neighbours' memory; doing it at most once
     * per LRU_GRAIN of packet time keeps the order within that grain of exact at a fraction
     * of the cost (an RTP flow sends 50 packets a second).
     */
    if (pkt->ts_ns - f->lru_ns > LRU_GRAIN_NS) {
        table_touch(&t->tab, s);
        f->lru_ns = pkt->ts_ns;
    }
    f->packets[sd]++;
    f->bytes[sd] += pkt->l3_wire_len ? pkt->l3_wire_len : pkt->l3_len;
    f->last_ns = pkt->ts_ns;
    f->last_frame = pkt->frame;
    f->last_file = pkt->file;
    if (pkt->layers & LAYER_TCP)
        flow_tcp_track(f, sd, pkt->tcp_flags, pkt->payload_wire_len);
    *side = sd;
    return f;
}

struct flow *
flow_table_icmp_error(struct flow_table *t, const struct packet *icmp)
{
    const struct icmp_quote *q = &icmp->quote;
    if (!q->valid)
        return NULL;
    bool ports = q->proto == 6 || q->proto == 17;
    struct flow_key k;
    flow_key_make(&k, q->proto, &q->src, ports ? q->sport : 0, &q->dst, ports ? q->dport : 0);
    uint32_t s = table_find(&t->tab, &k, table_hash(&t->tab, &k));
    if (s == TABLE_NONE)
        return NULL;
    struct flow *f = table_value(&t->tab, s);
    if (f->icmp_errors++ == 0) {
        f->icmp_type = icmp->icmp_type;
        f->icmp_code = icmp->icmp_code;
        f->icmp_from = icmp->src;
        f->icmp_first_frame = icmp->frame;
        f->icmp_first_file = icmp->file;
    }
    return f;
}

const struct flow_stats *
flow_table_stats(const struct flow_table *t)
{
    return &t->stats;
}

void
flow_table_flush(struct flow_table *t)
{
    uint32_t s;
    while ((s = table_oldest(&t->tab)) != TABLE_NONE)
        flow_end(t, s, FLOW_END_CAPTURE);
}

void
flow_table_free(struct flow_table *t)
{
    if (!t)
        return;
    flow_table_flush(t);
    table_free(&t->tab);
    free(t);
}
