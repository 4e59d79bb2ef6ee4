/* media.c — RTP/RTCP (RFC 3550, RFC 5761) stream discovery by SDP (RFC 3264), latching, heuristics.
 */
#include "media.h"

#include <stdlib.h>
#include <string.h>

#include <ndpi/ndpi_protocol_ids.h> /* protocol ids only: the verdicts come from dpi.c */

#include "../../dissectors/rtp.h"
#include "../core/pool.h"
#include "media_int.h"

#define MEDIA_TOUCH_NS 1000000000LL /* LRU refresh at most once a second per stream */

struct media_tracker *
media_tracker_new(void)
{
    return media_tracker_new_sized(NULL);
}

static uint32_t
limit_or(uint32_t v, uint32_t dflt)
{
    return v ? v : dflt;
}

struct media_tracker *
media_tracker_new_sized(const struct media_limits *lim)
{
    struct media_tracker *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    struct media_limits l = lim ? *lim : (struct media_limits){0};
    l.streams = limit_or(l.streams, MEDIA_MAX_STREAMS);
    l.flows = limit_or(l.flows, MEDIA_MAX_FLOWS);
    l.expect = limit_or(l.expect, MEDIA_MAX_EXPECT);
    l.calls = limit_or(l.calls, MEDIA_MAX_CALLS);
    l.rtcp = limit_or(l.rtcp, MEDIA_MAX_RTCP);
    l.icmp = limit_or(l.icmp, MEDIA_MAX_ICMP);
    l.records = limit_or(l.records, MEDIA_MAX_RECORDS);
    m->lim = l;
    m->port_min = 10000; /* seed document's RTP range until media_tracker_set_ports */
    m->port_max = 60000;
    m->res = calloc(1, sizeof(*m->res));
    m->hints = calloc(MEDIA_HINTS, sizeof(*m->hints));
    /* Reserved for the cap, touched as calls come (pool.h): no copies of a growing array. */
    m->calls = pool_calloc(l.calls, sizeof(*m->calls), &m->calls_mapped);
    m->sides =
        pool_calloc((size_t)l.calls * 2 * MEDIA_MAX_MLINES, sizeof(*m->sides), &m->sides_mapped);
    uint64_t seed = 0x6d65646961ull;
    /* table_init reserves each pool with calloc and starts its index small: only the slots
     * and buckets that live streams use are ever touched. */
    if (!m->res || !m->hints || !m->calls || !m->sides ||
        table_init(&m->streams, l.streams, sizeof(struct media_skey), sizeof(struct media_stream),
                   seed) ||
        table_init(&m->flows, l.flows, sizeof(uint32_t), sizeof(struct media_flow), seed) ||
        table_init(&m->expect, l.expect, sizeof(struct media_ekey), sizeof(struct media_eval),
                   seed) ||
        table_init(&m->rtcp, l.rtcp, sizeof(struct media_rkey), sizeof(struct media_rtcp_view),
                   seed) ||
        table_init(&m->icmp, l.icmp, sizeof(media_ikey), sizeof(struct media_icmp), seed) ||
        table_init(&m->call_ix, l.calls, sizeof(uint32_t), sizeof(uint32_t), seed)) {
        media_tracker_free(m);
        return NULL;
    }
    return m;
}

void
media_tracker_free(struct media_tracker *m)
{
    if (!m)
        return;
    table_free(&m->streams);
    table_free(&m->flows);
    table_free(&m->expect);
    table_free(&m->rtcp);
    table_free(&m->icmp);
    table_free(&m->call_ix);
    pool_free(m->calls, m->calls_mapped);
    pool_free(m->sides, m->sides_mapped);
    free(m->call_last);
    free(m->early_sink);
    free(m->hints);
    media_result_free(m->res);
    free(m);
}

void
media_tracker_start(struct media_tracker *m, int64_t first_ns)
{
    m->epoch_ns = first_ns;
    m->epoch_set = true;
}

void
media_tracker_set_ports(struct media_tracker *m, uint16_t min, uint16_t max)
{
    m->port_min = min;
    m->port_max = max;
}

bool
media_addr_private(const struct ip_addr *a)
{
    const uint8_t *b = a->a;
    if (a->family == 4)
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64) || (b[0] == 169 && b[1] == 254);
    if (a->family == 6)
        return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
    return false;
}

/* ---------------------------------------------------------------- SDP expectations */

static struct media_ekey
ekey_make(const struct ip_addr *a, uint16_t port)
{
    struct media_ekey k;
    memset(&k, 0, sizeof(k));
    k.family = a->family;
    k.port = port;
    memcpy(k.addr, a->a, 16);
    return k;
}

/* Index of call_index in calls[], or −1. */
static int32_t
call_find(const struct media_tracker *m, uint32_t call_index)
{
    uint32_t slot = table_find(&m->call_ix, &call_index, table_hash(&m->call_ix, &call_index));
    return slot == TABLE_NONE ? -1 : (int32_t) * (const uint32_t *)table_value(&m->call_ix, slot);
}

/* Index of call_index in calls[], created when new; −1 when the cap is reached. */
static int32_t
call_get(struct media_tracker *m, uint32_t call_index)
{
    int32_t ci = call_find(m, call_index);
    if (ci >= 0)
        return ci;
    if (m->n_calls >= m->lim.calls) {
        m->calls_dropped++;
        return -1;
    }
    uint32_t slot = table_insert(&m->call_ix, &call_index, table_hash(&m->call_ix, &call_index));
    if (slot == TABLE_NONE) { /* cannot happen: the index holds lim.calls like calls[] */
        m->calls_dropped++;
        return -1;
    }
    *(uint32_t *)table_value(&m->call_ix, slot) = (uint32_t)m->n_calls;
    struct media_call *c = &m->calls[m->n_calls];
    memset(c, 0, sizeof(*c));
    c->call_index = call_index;
    return (int32_t)m->n_calls++;
}

void
media_expect(struct media_tracker *m, const struct media_expectation *e)
{
    m->res->expectations++;
    int32_t ci = call_get(m, e->call_index);
    if (ci < 0 || e->mline >= MEDIA_MAX_MLINES)
        return;
    uint32_t *ix = &m->calls[ci].line[e->from_caller ? 0 : 1][e->mline];
    if (!*ix)
        *ix = (uint32_t)++m->n_sides; /* the pool holds every line of every call */
    struct media_sdp_side *sd = &m->sides[*ix - 1];
    sd->seen = true;
    sd->e = *e;
    sd->e.call_id[MEDIA_CALL_ID_MAX - 1] = '\0';
    if (e->port == 0 || !e->addr.family)
        return;
    struct media_ekey k = ekey_make(&e->addr, e->port);
    uint32_t h = table_hash(&m->expect, &k);
    uint32_t slot = table_find(&m->expect, &k, h);
    if (slot == TABLE_NONE) {
        slot = table_insert(&m->expect, &k, h);
        if (slot == TABLE_NONE) {
            table_remove(&m->expect, table_oldest(&m->expect));
            slot = table_insert(&m->expect, &k, h);
        }
    } else {
        table_touch(&m->expect, slot);
    }
    *(struct media_eval *)table_value(&m->expect, slot) = (struct media_eval){ci, e->mline};
}

void
media_call_ended(struct media_tracker *m, uint32_t call_index, int64_t ts_ns)
{
    int32_t ci = call_find(m, call_index);
    if (ci >= 0 && !m->calls[ci].ended_ns)
        m->calls[ci].ended_ns = ts_ns;
}

/* The call and m= line whose SDP announced a:port; call −1 when none. */
static struct media_eval
expect_find(const struct media_tracker *m, const struct ip_addr *a, uint16_t port)
{
    struct media_ekey k = ekey_make(a, port);
    uint32_t slot = table_find(&m->expect, &k, table_hash(&m->expect, &k));
    return slot == TABLE_NONE ? (struct media_eval){-1, 0}
                              : *(const struct media_eval *)table_value(&m->expect, slot);
}

/* Which party's SDP (0 caller, 1 callee) still announces a:port on m= line ml; −1 none. */
static int
call_party(const struct media_tracker *m, struct media_eval ev, const struct ip_addr *a,
           uint16_t port)
{
    for (int p = 0; p < 2; p++) {
        const struct media_sdp_side *sd = media_call_line(m, (size_t)ev.call, p, ev.mline);
        if (sd->seen && sd->e.port == port && sd->e.addr.family == a->family &&
            memcmp(sd->e.addr.a, a->a, 16) == 0)
            return p;
    }
    return -1;
}

const struct media_sdp_side *
media_stream_sdp(const struct media_tracker *m, const struct media_stream *s)
{
    const struct media_sdp_side *sd = media_call_line(m, (size_t)s->call, s->dir == 0, s->mline);
    return sd->seen ? sd : media_call_line(m, (size_t)s->call, s->dir, s->mline);
}

/*
 * Tie a stream to a call: sent to an SDP address:port (sdp), sent from one (learned: the
 * destination is a NAT's), or the reverse of a bound flow side (learned: symmetric RTP).
 */
static void
stream_bind(struct media_tracker *m, struct media_stream *s, const struct media_skey *k,
            const struct media_flow *mf, int side)
{
    struct ip_addr src = {.family = k->family}, dst = {.family = k->family};
    memcpy(src.a, k->src, 16);
    memcpy(dst.a, k->dst, 16);
    struct media_eval ev = expect_find(m, &dst, k->dport);
    int p;
    if (ev.call >= 0 && (p = call_party(m, ev, &dst, k->dport)) >= 0) {
        s->bind = MEDIA_BIND_SDP, s->call = ev.call, s->dir = p == 0 ? 1 : 0;
        s->mline = ev.mline;
        return;
    }
    ev = expect_find(m, &src, k->sport);
    if (ev.call >= 0 && (p = call_party(m, ev, &src, k->sport)) >= 0) {
        s->bind = MEDIA_BIND_LEARNED, s->call = ev.call, s->dir = (uint8_t)p;
        s->mline = ev.mline;
        return;
    }
    if (mf && mf->call[!side] >= 0) {
        s->bind = MEDIA_BIND_LEARNED, s->call = mf->call[!side], s->dir = !mf->dir[!side];
        s->mline = mf->mline[!side];
        return;
    }
    s->bind = MEDIA_BIND_HEURISTIC, s->call = -1;
}

uint32_t
media_stream_clock(const struct media_tracker *m, const struct media_stream *s, uint8_t pt)
{
    if (pt < RTP_PT_DYNAMIC_MIN || s->call < 0 || s->bind == MEDIA_BIND_HEURISTIC)
        return rtp_pt_clock_rate(pt);
    /* The receiver's SDP names the payload types it accepts (RFC 3264 §5.1). */
    const struct media_sdp_side *sd = media_stream_sdp(m, s);
    for (unsigned i = 0; sd->seen && i < sd->e.n_pt && i < MEDIA_MAX_PT; i++) {
        if (sd->e.pt[i].pt != pt)
            continue;
        if (rtp_encoding_is_event(sd->e.pt[i].encoding))
            return 0;
        return sd->e.pt[i].clock_rate ? sd->e.pt[i].clock_rate
                                      : rtp_encoding_clock_rate(sd->e.pt[i].encoding);
    }
    return 0;
}

/* ---------------------------------------------------------------- streams */

static struct media_skey
skey_make(const struct packet *pkt, uint32_t ssrc)
{
    struct media_skey k;
    memset(&k, 0, sizeof(k));
    k.family = pkt->src.family;
    k.ssrc = ssrc;
    k.sport = pkt->sport;
    k.dport = pkt->dport;
    memcpy(k.src, pkt->src.a, 16);
    memcpy(k.dst, pkt->dst.a, 16);
    return k;
}

static void
stream_start_stats(struct media_tracker *m, struct media_stream *s)
{
    rtp_stats_init(&s->st, m->epoch_ns);
    if (s->call < 0 || s->bind == MEDIA_BIND_HEURISTIC)
        return;
    const struct media_sdp_side *sd = media_stream_sdp(m, s);
    if (sd->seen && sd->e.event_pt >= 0)
        rtp_stats_set_event_pt(&s->st, (uint8_t)sd->e.event_pt);
}

/* Account one RTP packet to a live stream. */
static inline void
stream_add(struct media_tracker *m, struct media_stream *s, int64_t ns, const struct rtp_header *h,
           uint64_t frame, uint16_t file)
{
    if (!s->have_last_pt || s->last_pt != h->pt) {
        s->last_pt = h->pt;
        s->last_rate = media_stream_clock(m, s, h->pt);
        s->have_last_pt = true;
    }
    if (s->st.total == 0)
        s->first_file = file;
    s->last_file = file;
    rtp_stats_add(&s->st, ns, h, s->last_rate, frame);
}

/* Replay a confirmed candidate's held packets into its statistics. */
static void
stream_replay(struct media_tracker *m, struct media_stream *s, uint32_t ssrc)
{
    stream_start_stats(m, s);
    for (unsigned i = 0; i < s->n_pend; i++) {
        const struct media_pend *p = &s->pend[i];
        struct rtp_header h;
        memset(&h, 0, sizeof(h));
        h.version = RTP_VERSION;
        h.pt = p->pt;
        h.marker = p->marker;
        h.seq = p->seq;
        h.timestamp = p->ts;
        h.ssrc = ssrc;
        h.payload = p->head;
        h.payload_len = p->head_len;
        stream_add(m, s, p->ns, &h, p->frame, p->file);
    }
    s->n_pend = 0;
    s->state = MEDIA_S_LIVE;
}

/*
 * nDPI's verdict as a veto only: its RTP heuristic is loose (libraries.md §4), but a flow it
 * names as a well-known non-media protocol is not RTP whatever its first octet says.
 */
static bool
dpi_vetoes(const struct flow *f)
{
    if (!f || !f->dpi.done)
        return false;
    switch (f->dpi.master ? f->dpi.master : f->dpi.app) {
    case NDPI_PROTOCOL_DNS:
    case NDPI_PROTOCOL_MDNS:
    case NDPI_PROTOCOL_LLMNR:
    case NDPI_PROTOCOL_NTP:
    case NDPI_PROTOCOL_DHCP:
    case NDPI_PROTOCOL_DHCPV6:
    case NDPI_PROTOCOL_SNMP:
    case NDPI_PROTOCOL_SSDP:
    case NDPI_PROTOCOL_NETBIOS:
    case NDPI_PROTOCOL_SYSLOG:
    case NDPI_PROTOCOL_QUIC:
    case NDPI_PROTOCOL_SIP:
    case NDPI_PROTOCOL_TFTP:
    case NDPI_PROTOCOL_OPENVPN:
    case NDPI_PROTOCOL_WIREGUARD:
    case NDPI_PROTOCOL_IP_IPSEC:
    case NDPI_PROTOCOL_DTLS:
        return true;
    default:
        return false;
    }
}

/*
 * Whether the held packets of a candidate show RTP continuity: at least `need` packets in
 * sequence order (steps of 1–8, duplicates neutral) with timestamps moving forward by less
 * than 2^19 units, ending at the newest packet.
 */
static bool
pend_continuous(const struct media_stream *s, unsigned need)
{
    unsigned run = 1;
    for (unsigned i = 1; i < s->n_pend; i++) {
        uint16_t dseq = (uint16_t)(s->pend[i].seq - s->pend[i - 1].seq);
        uint32_t dts = s->pend[i].ts - s->pend[i - 1].ts;
        if (dseq == 0 && dts == 0)
            continue;
        if (dseq >= 1 && dseq <= 8 && dts < (1u << 19))
            run++;
        else
            run = 1;
    }
    return run >= need;
}

static void
pend_push(struct media_stream *s, const struct packet *pkt, const struct rtp_header *h)
{
    struct media_pend *p = &s->pend[s->n_pend++];
    p->ns = pkt->ts_ns;
    p->frame = pkt->frame;
    p->file = pkt->file;
    p->seq = h->seq;
    p->ts = h->timestamp;
    p->pt = h->pt;
    p->marker = h->marker;
    p->head_len = (uint8_t)(h->payload_len < 4 ? h->payload_len : 4);
    memcpy(p->head, h->payload, p->head_len);
}

/* A new stream for key k; evicts the least recently used one when full. NULL on failure. */
static struct media_stream *
stream_create(struct media_tracker *m, const struct media_skey *k, uint32_t h, uint32_t *slot_out)
{
    uint32_t slot = table_insert(&m->streams, k, h);
    if (slot == TABLE_NONE) {
        uint32_t old = table_oldest(&m->streams);
        if (old == TABLE_NONE)
            return NULL;
        struct media_stream *o = table_value(&m->streams, old);
        if (o->state == MEDIA_S_LIVE) {
            media_stream_emit(m, table_key(&m->streams, old), o);
            m->res->streams_evicted++;
        } else if (o->state == MEDIA_S_PENDING) {
            m->res->candidates_dropped++;
        }
        table_remove(&m->streams, old);
        slot = table_insert(&m->streams, k, h);
        if (slot == TABLE_NONE)
            return NULL;
    }
    struct media_stream *s = table_value(&m->streams, slot);
    s->uid = ++m->next_uid;
    *slot_out = slot;
    return s;
}

/* The per-flow cache of f, created on the flow's first RTP/RTCP datagram. */
static struct media_flow *
flow_cache(struct media_tracker *m, struct flow *f)
{
    struct media_flow *mf = f->media;
    if (mf && mf->flow_id == f->id)
        return mf;
    uint32_t key = f->id, h = table_hash(&m->flows, &key);
    uint32_t slot = table_find(&m->flows, &key, h);
    if (slot == TABLE_NONE) {
        slot = table_insert(&m->flows, &key, h);
        if (slot == TABLE_NONE) {
            table_remove(&m->flows, table_oldest(&m->flows));
            slot = table_insert(&m->flows, &key, h);
        }
        mf = table_value(&m->flows, slot);
        mf->flow_id = f->id;
        mf->slot[0] = mf->slot[1] = TABLE_NONE;
        mf->call[0] = mf->call[1] = -1;
    }
    mf = table_value(&m->flows, slot);
    f->media = mf;
    return mf;
}

/* Find or create the stream of (pkt's direction, ssrc); NULL when it cannot be tracked. */
static struct media_stream *
stream_lookup(struct media_tracker *m, const struct packet *pkt, struct media_flow *mf, int side,
              uint32_t ssrc)
{
    struct media_skey k = skey_make(pkt, ssrc);
    uint32_t h = table_hash(&m->streams, &k);
    uint32_t slot = table_find(&m->streams, &k, h);
    struct media_stream *s;
    if (slot != TABLE_NONE) {
        s = table_value(&m->streams, slot);
    } else {
        s = stream_create(m, &k, h, &slot);
        if (!s)
            return NULL;
        s->flow_id = mf->flow_id;
        stream_bind(m, s, &k, mf, side);
        if (s->bind != MEDIA_BIND_HEURISTIC || mf->live[side] || mf->live[!side]) {
            /* signalled, or a new SSRC on a flow already proven to carry RTP */
            stream_start_stats(m, s);
            s->state = MEDIA_S_LIVE;
        } else {
            s->state = MEDIA_S_PENDING;
        }
    }
    mf->slot[side] = slot;
    mf->uid[side] = s->uid;
    return s;
}

static void
rtcp_track(struct media_tracker *m, const struct packet *pkt)
{
    struct rtcp_compound c;
    if (rtcp_dissect(pkt->payload, pkt->payload_len, pkt->payload_wire_len, &c) == DISSECT_NO_MATCH)
        return;
    m->res->rtcp_packets++;
    struct media_rkey k;
    memset(&k, 0, sizeof(k));
    k.family = pkt->src.family;
    memcpy(k.addr, pkt->src.a, 16);
    for (unsigned i = 0; i < c.n_reports + c.n_voip; i++) {
        bool xr = i >= c.n_reports;
        k.ssrc = xr ? c.voip[i - c.n_reports].ssrc : c.reports[i].ssrc;
        uint32_t h = table_hash(&m->rtcp, &k), slot = table_find(&m->rtcp, &k, h);
        if (slot == TABLE_NONE) {
            slot = table_insert(&m->rtcp, &k, h);
            if (slot == TABLE_NONE) {
                table_remove(&m->rtcp, table_oldest(&m->rtcp));
                slot = table_insert(&m->rtcp, &k, h);
            }
        }
        struct media_rtcp_view *v = table_value(&m->rtcp, slot);
        v->last = (struct media_ref){pkt->frame, pkt->file, pkt->ts_ns};
        if (xr) {
            const struct rtcp_voip_metrics *x = &c.voip[i - c.n_reports];
            v->has_xr = true;
            v->xr_loss_rate = x->loss_rate;
            v->xr_r_factor = x->r_factor;
            v->xr_mos_lq = x->mos_lq;
        } else {
            v->reports++;
            v->fraction_lost = c.reports[i].fraction_lost;
            v->cum_lost = c.reports[i].cum_lost;
            v->jitter = c.reports[i].jitter;
        }
    }
}

void
media_tracker_prefetch(const struct media_tracker *m, uint32_t hint)
{
    const struct media_hint_slot *h = &m->hints[hint & (MEDIA_HINTS - 1)];
    if (!h->s)
        return;
    /* the flow's media cache, then the stream's key and the lines rtp_stats_add writes */
    const uint8_t *s = h->s;
    __builtin_prefetch(h->mf, 1);
    __builtin_prefetch(s - 64, 1);
    __builtin_prefetch(s, 1);
    __builtin_prefetch(s + 64, 1);
    __builtin_prefetch(s + 128, 1);
    __builtin_prefetch(s + 192, 1);
    __builtin_prefetch(s + 256, 1);
}

void
media_tracker_udp(struct media_tracker *m, const struct packet *pkt, struct flow *f, int side,
                  uint32_t hint)
{
    if (pkt->payload_len < RTP_HDR_LEN)
        return;
    enum rtp_demux d = rtp_demux(pkt->payload, pkt->payload_len);
    if (d == RTP_DEMUX_NONE)
        return;
    if (!m->epoch_set)
        media_tracker_start(m, pkt->ts_ns);
    if (d == RTP_DEMUX_RTCP) {
        rtcp_track(m, pkt);
        return;
    }
    uint8_t pt = pkt->payload[1] & 0x7f;
    struct rtp_header h;
    /* PT 72–76 collide with RTCP (RFC 3551 §3; Wireshark's heuristic refuses them too) */
    if ((pt >= 72 && pt <= 76) ||
        rtp_dissect_wire(pkt->payload, pkt->payload_len, pkt->payload_wire_len, &h) != DISSECT_OK)
        return;

    struct media_flow *mf = flow_cache(m, f);
    struct media_stream *s = NULL;
    /* Hot path: the side's last stream, still in its slot, same SSRC. */
    if (mf->slot[side] != TABLE_NONE) {
        s = table_value(&m->streams, mf->slot[side]);
        if (s->uid != mf->uid[side] ||
            ((const struct media_skey *)table_key(&m->streams, mf->slot[side]))->ssrc != h.ssrc)
            s = NULL;
    }
    if (!s && !(s = stream_lookup(m, pkt, mf, side, h.ssrc)))
        return;
    if (hint != MEDIA_NO_HINT)
        m->hints[hint & (MEDIA_HINTS - 1)] = (struct media_hint_slot){mf, s};
    if (pkt->ts_ns - s->touched_ns > MEDIA_TOUCH_NS) {
        s->touched_ns = pkt->ts_ns;
        table_touch(&m->streams, mf->slot[side]);
    }
    switch (s->state) {
    case MEDIA_S_LIVE:
        stream_add(m, s, pkt->ts_ns, &h, pkt->frame, pkt->file);
        break;
    case MEDIA_S_PENDING:
        pend_push(s, pkt, &h);
        if (pend_continuous(s, MEDIA_HEUR_CONFIRM) && !dpi_vetoes(f)) {
            m->res->rtp_packets += s->n_pend - 1u; /* the newest one is counted below */
            stream_replay(m, s, h.ssrc);
        } else if (s->n_pend == MEDIA_HEUR_BUF) {
            s->state = MEDIA_S_REJECTED;
            s->n_pend = 0;
            m->res->candidates_dropped++;
        }
        break;
    case MEDIA_S_REJECTED:
        return;
    }
    if (s->state == MEDIA_S_LIVE) {
        m->res->rtp_packets++;
        if (!mf->live[side]) {
            mf->live[side] = true;
            mf->call[side] = s->call;
            mf->dir[side] = s->dir;
            mf->mline[side] = s->mline;
        }
    }
}

void
media_tracker_icmp(struct media_tracker *m, const struct packet *icmp)
{
    if (icmp->quote.proto != 17 || !icmp->quote.valid)
        return;
    media_ikey k = ekey_make(&icmp->quote.dst, icmp->quote.dport);
    uint32_t h = table_hash(&m->icmp, &k), slot = table_find(&m->icmp, &k, h);
    if (slot == TABLE_NONE) {
        slot = table_insert(&m->icmp, &k, h);
        if (slot == TABLE_NONE)
            return; /* bounded: the first lim.icmp destinations are enough evidence */
        struct media_icmp *v = table_value(&m->icmp, slot);
        v->type = icmp->icmp_type;
        v->code = icmp->icmp_code;
        v->from = icmp->src;
        v->first = (struct media_ref){icmp->frame, icmp->file, icmp->ts_ns};
    }
    struct media_icmp *v = table_value(&m->icmp, slot);
    v->count++;
    v->last = (struct media_ref){icmp->frame, icmp->file, icmp->ts_ns};
}
