/* media_finish.c — RFC 3550 stream figures into the result, and media verdicts per call (RFC 3264).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../dissectors/dissect.h"
#include "../core/pool.h"
#include "../result.h"
#include "alg.h"
#include "media_int.h"

#define MEDIA_LOSS_LIMIT_PCT 1.0         /* rtp.packet_loss above this (ITU-T G.114-ish budget) */
#define MEDIA_STOP_NS (5LL * 1000000000) /* silence before the call's end that means "stopped" */
/* ICMP errors until this close to a direction's last packet: refused to the end. The kernel
 * sends about one error a second per destination once its burst is spent (lab-facts.md). */
#define MEDIA_ICMP_TAIL_NS (2LL * 1000000000)

static struct evidence_ref
eref(const struct media_ref *r)
{
    struct evidence_ref e = {r->frame, r->file, r->ts_ns};
    return e;
}

static char *
ep(const struct ip_addr *a, uint16_t port, char *buf, size_t len)
{
    char ip[64];
    ip_addr_format(a, ip, sizeof(ip));
    if (a->family == 6)
        snprintf(buf, len, "[%s]:%u", ip, port);
    else
        snprintf(buf, len, "%s:%u", ip, port);
    return buf;
}

/*
 * A finding of a call's verdict: stored in r at the end of the run; while judging early
 * (media_tracker_settle) held in m->early_sink and streamed once its finder is done with it
 * (the next media_add or early_flush), so the fields set after this returns are shown too.
 */
static struct finding *media_add(struct media_tracker *m, struct result *r, enum finding_code code,
                                 const struct evidence_ref *first, const struct evidence_ref *last,
                                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
early_flush(struct media_tracker *m)
{
    if (m->early && m->early_pending)
        result_stream_finding(m->early, m->early_sink);
    m->early_pending = false;
}

static struct finding *
media_add(struct media_tracker *m, struct result *r, enum finding_code code,
          const struct evidence_ref *first, const struct evidence_ref *last, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct finding *f;
    if (m->early) {
        early_flush(m);
        result_finding_setv(m->early_sink, code, first, last, fmt, ap);
        m->early_pending = true;
        f = m->early_sink;
    } else {
        f = result_add_findingv(r, code, first, last, fmt, ap);
    }
    va_end(ap);
    return f;
}

/* Whether an ICMP error refuses the port outright: port unreachable or administratively
 * prohibited (ICMP type 3 codes 3, 9, 10, 13; ICMPv6 type 1 codes 1, 4). */
static bool
icmp_refuses(uint8_t type, uint8_t code)
{
    if (type == 3)
        return code == 3 || code == 9 || code == 10 || code == 13;
    return type == 1 && (code == 1 || code == 4);
}

/* The payload column: one name per payload type seen, in ascending order (as tshark). */
static void
payload_names(const struct media_tracker *m, const struct media_stream *s,
              struct media_stream_record *o)
{
    size_t k = 0;
    o->payload[0] = '\0';
    for (unsigned pt = 0; pt < 128 && k < sizeof(o->payload); pt++) {
        if (!rtp_stats_pt_seen(&s->st, (uint8_t)pt))
            continue;
        const char *name = rtp_pt_name((uint8_t)pt);
        if (s->bind == MEDIA_BIND_HEURISTIC || s->call < 0) {
            name = rtp_pt_name_unsignalled((uint8_t)pt);
        } else if (pt >= RTP_PT_DYNAMIC_MIN) {
            const struct media_sdp_side *sd = media_stream_sdp(m, s);
            for (unsigned i = 0; sd->seen && i < sd->e.n_pt && i < MEDIA_MAX_PT; i++)
                if (sd->e.pt[i].pt == pt && sd->e.pt[i].encoding[0])
                    name = sd->e.pt[i].encoding;
        }
        k += (size_t)snprintf(o->payload + k, sizeof(o->payload) - k, "%s%s", k ? ", " : "", name);
    }
}

void
media_stream_emit(struct media_tracker *m, const struct media_skey *k, struct media_stream *s)
{
    struct media_result *res = m->res;
    if (res->n_streams >= m->lim.records) {
        m->records_unlisted++;
        return;
    }
    if (res->n_streams == m->cap_records) {
        size_t cap = m->cap_records ? 2 * m->cap_records : 64;
        struct media_stream_record *n = realloc(res->streams, cap * sizeof(*n));
        if (!n) {
            m->records_unlisted++;
            return;
        }
        res->streams = n;
        m->cap_records = cap;
    }
    struct media_stream_record *o = &res->streams[res->n_streams++];
    memset(o, 0, sizeof(*o));
    o->src.family = o->dst.family = k->family;
    memcpy(o->src.a, k->src, 16);
    memcpy(o->dst.a, k->dst, 16);
    o->sport = k->sport;
    o->dport = k->dport;
    o->ssrc = k->ssrc;
    rtp_stats_finish(&s->st, &o->st);
    o->clock_rate = o->st.clock_rate;
    o->first = (struct media_ref){o->st.first_frame, s->first_file, o->st.first_ns};
    o->last = (struct media_ref){o->st.last_frame, s->last_file, o->st.last_ns};
    o->max_delta = (struct media_ref){o->st.max_delta_frame, s->last_file, 0};
    o->bind = s->bind;
    o->call = s->call;
    o->from_caller = s->call >= 0 && s->dir == 0;
    o->mline = s->call >= 0 ? s->mline : 0;
    payload_names(m, s, o);
    /* Was the source the one the sender announced? (NAT rewrites it when there is no ALG.) */
    o->src_announced = false;
    if (s->call >= 0) {
        const struct media_sdp_side *snd = media_call_line(m, (size_t)s->call, s->dir, s->mline);
        o->src_announced = snd->seen && snd->e.addr.family == k->family &&
                           memcmp(snd->e.addr.a, k->src, 16) == 0 && snd->e.port == k->sport;
    }
    media_ikey ik;
    memset(&ik, 0, sizeof(ik));
    ik.family = k->family;
    ik.port = k->dport;
    memcpy(ik.addr, k->dst, 16);
    uint32_t is = table_find(&m->icmp, &ik, table_hash(&m->icmp, &ik));
    if (is != TABLE_NONE) {
        const struct media_icmp *ic = table_value(&m->icmp, is);
        o->icmp_errors = ic->count;
        o->icmp_type = ic->type;
        o->icmp_code = ic->code;
        o->icmp_from = ic->from;
        o->icmp_first = ic->first;
        o->icmp_last = ic->last;
    }
    /* What the receiver reported about this SSRC in RTCP. */
    struct media_rkey rk;
    memset(&rk, 0, sizeof(rk));
    rk.ssrc = k->ssrc;
    rk.family = k->family;
    memcpy(rk.addr, k->dst, 16);
    uint32_t slot = table_find(&m->rtcp, &rk, table_hash(&m->rtcp, &rk));
    if (slot != TABLE_NONE) {
        o->rtcp = *(const struct media_rtcp_view *)table_value(&m->rtcp, slot);
        o->rtcp.jitter_ms = o->clock_rate ? 1000.0 * o->rtcp.jitter / o->clock_rate : -1;
    }
}

/* Whether a held candidate is accepted at the end: short but continuous, or on an RTP flow. */
static bool
candidate_accept(const struct media_tracker *m, const struct media_stream *s)
{
    if (s->n_pend == 0)
        return false;
    uint32_t key = s->flow_id;
    uint32_t slot = table_find(&m->flows, &key, table_hash(&m->flows, &key));
    if (slot != TABLE_NONE) {
        const struct media_flow *mf = table_value(&m->flows, slot);
        if (mf->live[0] || mf->live[1])
            return true;
    }
    if (s->n_pend < 2)
        return false;
    unsigned run = 1;
    for (unsigned i = 1; i < s->n_pend; i++) {
        uint16_t dseq = (uint16_t)(s->pend[i].seq - s->pend[i - 1].seq);
        uint32_t dts = s->pend[i].ts - s->pend[i - 1].ts;
        if (dseq == 0 && dts == 0)
            continue;
        if (!(dseq >= 1 && dseq <= 8 && dts < (1u << 19)))
            return false;
        run++;
    }
    return run >= 2;
}

static int
stream_cmp(const void *a, const void *b)
{
    const struct media_stream_record *x = a, *y = b;
    if (x->first.file != y->first.file)
        return x->first.file < y->first.file ? -1 : 1;
    if (x->first.frame != y->first.frame)
        return x->first.frame < y->first.frame ? -1 : 1;
    return x->ssrc < y->ssrc ? -1 : x->ssrc > y->ssrc;
}

/* Re-bind heuristic streams that an SDP seen later (or the reverse stream) explains. */
static void
late_bind(struct media_tracker *m, struct media_stream_record *o)
{
    if (o->bind != MEDIA_BIND_HEURISTIC)
        return;
    for (size_t i = 0; i < m->n_calls; i++)
        for (int p = 0; p < 2; p++)
            for (uint8_t ml = 0; ml < MEDIA_MAX_MLINES; ml++) {
                const struct media_sdp_side *sd = media_call_line(m, i, p, (unsigned)ml);
                if (!sd->seen || !sd->e.port || sd->e.addr.family != o->dst.family)
                    continue;
                if (sd->e.port == o->dport && memcmp(sd->e.addr.a, o->dst.a, 16) == 0) {
                    o->bind = MEDIA_BIND_SDP, o->call = (int32_t)i, o->from_caller = p == 1;
                    o->mline = ml;
                    return;
                }
                if (sd->e.port == o->sport && memcmp(sd->e.addr.a, o->src.a, 16) == 0) {
                    o->bind = MEDIA_BIND_LEARNED, o->call = (int32_t)i, o->from_caller = p == 0;
                    o->mline = ml;
                    return;
                }
            }
}

static void
collect_streams(struct media_tracker *m)
{
    for (uint32_t s = table_oldest(&m->streams); s != TABLE_NONE; s = table_newer(&m->streams, s)) {
        struct media_stream *st = table_value(&m->streams, s);
        const struct media_skey *k = table_key(&m->streams, s);
        if (st->state == MEDIA_S_PENDING) {
            if (!candidate_accept(m, st)) {
                m->res->candidates_dropped++;
                continue;
            }
            m->res->rtp_packets += st->n_pend;
            /* replay: same code path as a confirmed candidate */
            rtp_stats_init(&st->st, m->epoch_ns);
            for (unsigned i = 0; i < st->n_pend; i++) {
                const struct media_pend *p = &st->pend[i];
                struct rtp_header h;
                memset(&h, 0, sizeof(h));
                h.version = RTP_VERSION, h.pt = p->pt, h.marker = p->marker, h.seq = p->seq;
                h.timestamp = p->ts, h.ssrc = k->ssrc, h.payload = p->head;
                h.payload_len = p->head_len;
                if (i == 0)
                    st->first_file = p->file;
                st->last_file = p->file;
                rtp_stats_add(&st->st, p->ns, &h, media_stream_clock(m, st, p->pt), p->frame);
            }
            st->state = MEDIA_S_LIVE;
        }
        if (st->state == MEDIA_S_LIVE && st->st.total)
            media_stream_emit(m, k, st);
    }
    for (size_t i = 0; i < m->res->n_streams; i++)
        late_bind(m, &m->res->streams[i]);
    if (m->res->n_streams)
        qsort(m->res->streams, m->res->n_streams, sizeof(*m->res->streams), stream_cmp);
}

static const struct media_icmp *
icmp_find(const struct media_tracker *m, const struct ip_addr *a, uint16_t port)
{
    media_ikey k;
    memset(&k, 0, sizeof(k));
    k.family = a->family;
    k.port = port;
    memcpy(k.addr, a->a, 16);
    uint32_t slot = table_find(&m->icmp, &k, table_hash(&m->icmp, &k));
    return slot == TABLE_NONE ? NULL : table_value(&m->icmp, slot);
}

static bool
sdp_sends(enum media_dir d)
{
    return d == MEDIA_SENDRECV || d == MEDIA_SENDONLY;
}

static bool
sdp_receives(enum media_dir d)
{
    return d == MEDIA_SENDRECV || d == MEDIA_RECVONLY;
}

void
media_tracker_set_alg(struct media_tracker *m, const struct alg_tracker *alg)
{
    m->alg = alg;
}

#define MEDIA_SDP_PAIRS 4

static bool
ip_same(const struct ip_addr *x, const struct ip_addr *y)
{
    return x->family == y->family && memcmp(x->a, y->a, 16) == 0;
}

/* Whether src:sport is what a copy of an SDP at either capture point announced. */
static bool
announced_somewhere(const struct alg_sdp_rewrite *p, size_t n, const struct ip_addr *src,
                    uint16_t sport)
{
    for (size_t i = 0; i < n; i++)
        if ((ip_same(&p[i].before, src) && p[i].before_port == sport) ||
            (ip_same(&p[i].after, src) && p[i].after_port == sport))
            return true;
    return false;
}

static struct media_ref
mref(const struct sip_ref *r)
{
    return (struct media_ref){r->frame, r->file, r->ts_ns};
}

static const char *const dir_name[2] = {"caller->callee", "callee->caller"};
static const char *const party_name[2] = {"caller", "callee"};

/* Build one call's record from its SDPs and the streams bound to it; add its findings. */
static void
judge_call(struct media_tracker *m, struct result *r, size_t ci, struct media_call_record *c,
           bool capture_lossy)
{
    const struct media_call *mc = &m->calls[ci];
    /* the judged m= line of each party: line 0 (voice); streams of other lines are listed only */
    const struct media_sdp_side *side[2] = {media_call_line(m, ci, 0, 0),
                                            media_call_line(m, ci, 1, 0)};
    struct media_result *res = m->res;
    char a[80], b[80];
    c->call_index = mc->call_index;
    for (int p = 0; p < 2 && !c->call_id[0]; p++)
        for (unsigned ml = 0; ml < MEDIA_MAX_MLINES && !c->call_id[0]; ml++) {
            const struct media_sdp_side *sd = media_call_line(m, ci, p, ml);
            if (sd->seen)
                snprintf(c->call_id, sizeof(c->call_id), "%s", sd->e.call_id);
        }
    c->ended_ns = mc->ended_ns;
    bool both = side[0]->seen && side[1]->seen;
    for (int d = 0; d < 2; d++) {
        struct media_call_dir *cd = &c->dir[d];
        const struct media_sdp_side *rcv = side[d == 0 ? 1 : 0], *snd = side[d];
        if (rcv->seen) {
            cd->addr = rcv->e.addr;
            cd->port = rcv->e.port;
            cd->addr_private = media_addr_private(&rcv->e.addr);
            cd->sdp = (struct media_ref){rcv->e.frame, rcv->e.file, rcv->e.ts_ns};
        }
        cd->expected = both && rcv->e.port && !rcv->e.hold && !snd->e.hold &&
                       sdp_receives(rcv->e.dir) && sdp_sends(snd->e.dir) && snd->e.port;
        /* The sender's SDP as the other capture point saw it (two points, ALG analysis). */
        struct alg_sdp_rewrite sp[MEDIA_SDP_PAIRS];
        size_t nsp = snd->seen ? alg_tracker_sdp_pairs(m->alg, c->call_id, &snd->e.addr,
                                                       snd->e.port, sp, MEDIA_SDP_PAIRS)
                               : 0;
        for (size_t i = 0; i < nsp && !cd->sender_sdp_rewritten; i++) {
            if (ip_same(&sp[i].before, &sp[i].after) && sp[i].before_port == sp[i].after_port)
                continue;
            cd->sender_sdp_rewritten = true;
            cd->sender_sdp_before = sp[i].before;
            cd->sender_sdp_after = sp[i].after;
            cd->sender_sdp_before_port = sp[i].before_port;
            cd->sender_sdp_after_port = sp[i].after_port;
            cd->sender_sdp_before_at = mref(&sp[i].before_at);
            cd->sender_sdp_after_at = mref(&sp[i].after_at);
        }
        struct alg_sdp_rewrite rp[MEDIA_SDP_PAIRS];
        size_t nrp = rcv->seen ? alg_tracker_sdp_pairs(m->alg, c->call_id, &rcv->e.addr,
                                                       rcv->e.port, rp, MEDIA_SDP_PAIRS)
                               : 0;
        for (size_t i = 0; i < nrp; i++)
            if (ip_same(&rp[i].before, &rcv->e.addr) && !media_addr_private(&rp[i].after))
                cd->receiver_sdp_rewritten = true;
        /* Two capture points (the receiver's SDP seen in two inputs): judge the direction at
         * the point nearest its receiver — the input of the SDP copy upstream, where the
         * receiver sent it — so media that crossed one point and never reached the receiver
         * is not counted as arrived (issue 4: pooled LAN+WAN media hid a one-way call). */
        for (size_t i = 0; i < nrp && !cd->judged_at_point; i++)
            if (rp[i].before_at.file != rp[i].after_at.file) {
                cd->judged_at_point = true;
                cd->judged_file = rp[i].before_at.file;
            }
        for (size_t i = 0; i < res->n_streams; i++) {
            const struct media_stream_record *s = &res->streams[i];
            if (s->call != (int32_t)ci || s->from_caller != (d == 0) || s->mline != 0)
                continue;
            if (cd->judged_at_point && s->first.file != cd->judged_file)
                continue;
            if (cd->streams++ == 0 || s->first.ts_ns < cd->first.ts_ns)
                cd->first = s->first;
            bool unannounced = !s->src_announced && snd->seen && s->bind != MEDIA_BIND_HEURISTIC &&
                               !announced_somewhere(sp, nsp, &s->src, s->sport);
            if (cd->streams == 1 || (unannounced && !cd->src_unannounced)) {
                cd->seen_src = s->src; /* the source a mismatch names is that stream's own */
                cd->seen_sport = s->sport;
            }
            if (s->last.ts_ns > cd->last.ts_ns)
                cd->last = s->last;
            cd->packets += s->st.packets;
            cd->lost += s->st.lost;
            if (unannounced)
                cd->src_unannounced = true;
            /* ICMP quoting a stream's own destination (a NAT's address on the WAN side) */
            if (s->icmp_errors && !cd->icmp_errors) {
                cd->icmp_errors = s->icmp_errors;
                cd->icmp_type = s->icmp_type;
                cd->icmp_code = s->icmp_code;
                cd->icmp_from = s->icmp_from;
                cd->icmp_dst = s->dst;
                cd->icmp_dport = s->dport;
                cd->icmp_first = s->icmp_first;
                cd->icmp_last = s->icmp_last;
            }
        }
        const struct media_icmp *ic = rcv->seen ? icmp_find(m, &cd->addr, cd->port) : NULL;
        if (ic && !cd->icmp_errors) {
            cd->icmp_errors = ic->count;
            cd->icmp_type = ic->type;
            cd->icmp_code = ic->code;
            cd->icmp_from = ic->from;
            cd->icmp_dst = cd->addr;
            cd->icmp_dport = cd->port;
            cd->icmp_first = ic->first;
            cd->icmp_last = ic->last;
        }
        if (!cd->expected)
            cd->verdict = cd->packets ? MEDIA_DIR_OK : MEDIA_DIR_NOT_EXPECTED;
        else if (!cd->packets)
            cd->verdict = cd->icmp_errors ? MEDIA_DIR_BLOCKED : MEDIA_DIR_MISSING;
        else if (cd->icmp_errors && cd->icmp_last.ts_ns >= cd->last.ts_ns - MEDIA_ICMP_TAIL_NS)
            cd->verdict = MEDIA_DIR_BLOCKED; /* on the wire, but refused until it ended */
        else
            cd->verdict = MEDIA_DIR_OK;
        if (rcv->seen && rcv->e.port && (rcv->e.port < m->port_min || rcv->e.port > m->port_max))
            media_add(m, r, FIND_RTP_PORT_OUTSIDE_PROFILE, &(struct evidence_ref){0}, NULL,
                      "call %u: the %s's SDP announces media port %u, outside the "
                      "profile's UDP %u-%u",
                      c->call_index, party_name[d == 0 ? 1 : 0], rcv->e.port, m->port_min,
                      m->port_max);
    }
    /* Stopped: one direction went quiet ≥ 5 s before the call (or the other direction) ended. */
    for (int d = 0; d < 2; d++) {
        struct media_call_dir *cd = &c->dir[d];
        if (cd->verdict != MEDIA_DIR_OK || !cd->packets)
            continue;
        int64_t end = mc->ended_ns ? mc->ended_ns : c->dir[!d].last.ts_ns;
        if (end && end - cd->last.ts_ns >= MEDIA_STOP_NS) {
            cd->verdict = MEDIA_DIR_STOPPED;
            struct evidence_ref f = eref(&cd->last);
            struct finding *fi = media_add(
                m, r, FIND_RTP_MEDIA_STOPPED, &f, NULL,
                "call %u: %s media stopped at frame %llu (%.3f s into the capture), %.1f s "
                "before the %s (limit %.0f s)",
                c->call_index, dir_name[d], (unsigned long long)cd->last.frame,
                (double)(cd->last.ts_ns - m->epoch_ns) / 1e9, (double)(end - cd->last.ts_ns) / 1e9,
                mc->ended_ns ? "call ended" : "other direction's last packet",
                (double)MEDIA_STOP_NS / 1e9);
            if (fi) {
                fi->measured = (double)(end - cd->last.ts_ns) / 1e9;
                fi->limit = (double)MEDIA_STOP_NS / 1e9;
            }
        }
    }
    int missing = 0, flowing = 0;
    for (int d = 0; d < 2; d++) {
        const struct media_call_dir *cd = &c->dir[d];
        missing += cd->verdict == MEDIA_DIR_MISSING || cd->verdict == MEDIA_DIR_BLOCKED;
        flowing += cd->packets > 0;
    }
    if (!c->dir[0].expected && !c->dir[1].expected && !flowing)
        c->verdict = "not_expected";
    else if (missing == 2 || (missing && !flowing))
        c->verdict = "no_media";
    else if (missing)
        c->verdict = "one_way";
    else
        c->verdict = "two_way";

    for (int d = 0; d < 2; d++) {
        const struct media_call_dir *cd = &c->dir[d];
        struct evidence_ref sdp = eref(&cd->sdp);
        int rp = d == 0 ? 1 : 0; /* the receiving party */
        if (cd->verdict == MEDIA_DIR_BLOCKED) {
            struct evidence_ref f = eref(&cd->icmp_first);
            char from[64];
            ip_addr_format(&cd->icmp_from, from, sizeof(from));
            struct finding *fi = media_add(
                m, r, FIND_RTP_ICMP_UNREACHABLE, &f, NULL,
                "call %u: %u ICMP error(s) type %u code %u (%s) from %s for %s media to %s: "
                "the firewall or host refuses the media port",
                c->call_index, cd->icmp_errors, cd->icmp_type, cd->icmp_code,
                cd->icmp_code == 3 || cd->icmp_code == 4    ? "port unreachable"
                : cd->icmp_code == 13 || cd->icmp_code == 1 ? "administratively prohibited"
                                                            : "unreachable",
                from, dir_name[d], ep(&cd->icmp_dst, cd->icmp_dport, a, sizeof(a)));
            if (fi)
                fi->measured = cd->icmp_errors, fi->limit = 0;
        }
        if (cd->verdict == MEDIA_DIR_BLOCKED && cd->packets && !strcmp(c->verdict, "one_way")) {
            struct evidence_ref f = eref(&c->dir[!d].first), l = eref(&c->dir[!d].last);
            struct finding *fi = media_add(
                m, r, FIND_RTP_ONE_WAY, &f, &l,
                "call %u: one-way audio: %llu packets to the %s (SDP %s) were refused at %s "
                "by ICMP errors until they ended, while %llu packets flowed %s",
                c->call_index, (unsigned long long)cd->packets, party_name[rp],
                ep(&cd->addr, cd->port, a, sizeof(a)),
                ep(&cd->icmp_dst, cd->icmp_dport, b, sizeof(b)),
                (unsigned long long)c->dir[!d].packets, dir_name[!d]);
            if (fi) {
                fi->measured = 0, fi->limit = 1;
                /* the ICMP refusal is seen: proof, not an absence capture loss could explain */
                fi->from_absence = !icmp_refuses(cd->icmp_type, cd->icmp_code);
            }
        } else if (cd->verdict == MEDIA_DIR_MISSING || cd->verdict == MEDIA_DIR_BLOCKED) {
            if (!strcmp(c->verdict, "one_way")) {
                struct evidence_ref f = eref(&c->dir[!d].first), l = eref(&c->dir[!d].last);
                char at[96] = "";
                if (cd->judged_at_point)
                    snprintf(at, sizeof(at), " at the capture point nearest it (input %u)",
                             cd->judged_file + 1u);
                struct finding *fi = media_add(
                    m, r, FIND_RTP_ONE_WAY, &f, &l,
                    "call %u: one-way audio: the %s receives nothing at %s (SDP frame %llu)%s "
                    "while %llu packets flowed %s",
                    c->call_index, party_name[rp], ep(&cd->addr, cd->port, a, sizeof(a)),
                    (unsigned long long)cd->sdp.frame, at, (unsigned long long)c->dir[!d].packets,
                    dir_name[!d]);
                if (fi) {
                    fi->measured = 0, fi->limit = 1;
                    fi->from_absence = !(cd->verdict == MEDIA_DIR_BLOCKED &&
                                         icmp_refuses(cd->icmp_type, cd->icmp_code));
                }
            }
        }
        /* A private SDP address that an ALG rewrote to a public one on the way never reached
         * the peer: the ALG findings say what happened to it, not this one. */
        if (cd->addr_private && side[d]->seen && !media_addr_private(&side[d]->e.addr) &&
            !cd->receiver_sdp_rewritten) {
            media_add(m, r, FIND_RTP_MEDIA_TO_PRIVATE_ADDRESS, &sdp, NULL,
                      "call %u: the %s's SDP announces private %s to a peer at public "
                      "%s; %s: NAT without SIP ALG or STUN",
                      c->call_index, party_name[rp], ep(&cd->addr, cd->port, a, sizeof(a)),
                      ep(&side[d]->e.addr, side[d]->e.port, b, sizeof(b)),
                      cd->packets ? "media still reached it (latching)" : "no media reached it");
        }
        if (cd->src_unannounced && cd->sender_sdp_rewritten) {
            struct evidence_ref f = eref(&cd->first);
            char x[80];
            media_add(
                m, r, FIND_RTP_SOURCE_NOT_ANNOUNCED, &f, NULL,
                "call %u: %s media comes from %s, which neither copy of the %s's SDP announced: "
                "%s before the middlebox, rewritten to %s by its SIP ALG (see "
                "alg.sdp_rewritten, alg.media_address_elsewhere)",
                c->call_index, dir_name[d], ep(&cd->seen_src, cd->seen_sport, a, sizeof(a)),
                party_name[d], ep(&cd->sender_sdp_before, cd->sender_sdp_before_port, b, sizeof(b)),
                ep(&cd->sender_sdp_after, cd->sender_sdp_after_port, x, sizeof(x)));
        } else if (cd->src_unannounced) {
            struct evidence_ref f = eref(&cd->first);
            media_add(m, r, FIND_RTP_SOURCE_NOT_ANNOUNCED, &f, NULL,
                      "call %u: %s media comes from %s, not from %s its SDP announced "
                      "(NAT in between)",
                      c->call_index, dir_name[d], ep(&cd->seen_src, cd->seen_sport, a, sizeof(a)),
                      side[d]->seen ? ep(&side[d]->e.addr, side[d]->e.port, b, sizeof(b)) : "?");
        }
    }
    if (!strcmp(c->verdict, "no_media")) {
        struct evidence_ref f = eref(&c->dir[0].sdp), l = eref(&c->dir[1].sdp);
        /* proof when every direction that carried nothing was refused by ICMP */
        bool refused = true;
        for (int d = 0; d < 2; d++) {
            const struct media_call_dir *cd = &c->dir[d];
            if (cd->verdict == MEDIA_DIR_MISSING ||
                (cd->verdict == MEDIA_DIR_BLOCKED && !icmp_refuses(cd->icmp_type, cd->icmp_code)))
                refused = false;
        }
        struct finding *fi =
            media_add(m, r, FIND_RTP_NO_MEDIA, &f, &l,
                      "call %u: offer and answer expected media (%s and %s) and none "
                      "flowed%s",
                      c->call_index, ep(&c->dir[0].addr, c->dir[0].port, a, sizeof(a)),
                      ep(&c->dir[1].addr, c->dir[1].port, b, sizeof(b)),
                      capture_lossy ? " (the capture itself dropped packets)" : "");
        if (fi)
            fi->from_absence = !refused;
    }
}

#define MEDIA_SETTLE_GRACE_NS (2LL * 1000000000)  /* media still in flight after a BYE */
#define MEDIA_SETTLE_QUIET_NS (60LL * 1000000000) /* no SDP, no media: the call is over */

/* Latest packet time of anything of call ci: its SDPs and the streams bound to it. */
static void
call_last_sdp(const struct media_tracker *m, size_t ci, int64_t *last)
{
    for (int p = 0; p < 2; p++)
        for (unsigned ml = 0; ml < MEDIA_MAX_MLINES; ml++) {
            const struct media_sdp_side *sd = media_call_line(m, ci, p, ml);
            if (sd->seen && sd->e.ts_ns > *last)
                *last = sd->e.ts_ns;
        }
}

/* Whether call ci's media is over at now: ended a grace ago, or quiet long enough. */
static bool
call_due(const struct media_tracker *m, size_t ci, int64_t now_ns)
{
    const struct media_call *mc = &m->calls[ci];
    if (mc->settled || !mc->line[0][0] || !mc->line[1][0])
        return false;
    if (mc->ended_ns)
        return now_ns - mc->ended_ns >= MEDIA_SETTLE_GRACE_NS;
    return now_ns - m->call_last[ci] >= MEDIA_SETTLE_QUIET_NS;
}

/* Append a copy of live stream s (key k) to the scratch list *sc (cap *cap); false on memory. */
static bool
scratch_emit(struct media_tracker *m, struct media_result *sc, size_t *cap,
             const struct media_skey *k, struct media_stream *s)
{
    struct media_result *keep = m->res;
    size_t keep_cap = m->cap_records;
    uint64_t keep_unlisted = m->records_unlisted;
    m->res = sc, m->cap_records = *cap;
    size_t before = sc->n_streams;
    media_stream_emit(m, k, s); /* reads s, writes only the list it is given */
    *cap = m->cap_records;
    m->res = keep, m->cap_records = keep_cap, m->records_unlisted = keep_unlisted;
    return sc->n_streams > before;
}

void
media_tracker_settle(struct media_tracker *m, struct result *r, int64_t now_ns)
{
    if (!result_streaming(r) || !m->n_calls)
        return;
    if (!m->early_sink && !(m->early_sink = calloc(1, sizeof(*m->early_sink))))
        return;
    if (m->cap_call_last < m->n_calls) {
        int64_t *n = realloc(m->call_last, m->n_calls * sizeof(*n));
        if (!n)
            return;
        m->call_last = n;
        m->cap_call_last = m->n_calls;
    }
    /* Latest activity per call; only calls whose SDPs are both in are worth the stream scan. */
    bool any = false;
    for (size_t i = 0; i < m->n_calls; i++) {
        m->call_last[i] = 0;
        call_last_sdp(m, i, &m->call_last[i]);
        any |= !m->calls[i].settled && m->calls[i].line[0][0] && m->calls[i].line[1][0];
    }
    if (!any)
        return;
    for (uint32_t s = table_oldest(&m->streams); s != TABLE_NONE; s = table_newer(&m->streams, s)) {
        const struct media_stream *st = table_value(&m->streams, s);
        if (st->call >= 0 && (size_t)st->call < m->n_calls &&
            st->touched_ns > m->call_last[st->call])
            m->call_last[st->call] = st->touched_ns;
    }
    any = false;
    for (size_t i = 0; i < m->n_calls; i++)
        any |= call_due(m, i, now_ns);
    if (!any)
        return;
    /* The due calls' streams as the end will list them: finished ones, then live ones. */
    struct media_result sc;
    memset(&sc, 0, sizeof(sc));
    size_t cap = 0;
    for (size_t i = 0; i < m->res->n_streams; i++) {
        const struct media_stream_record *o = &m->res->streams[i];
        if (o->call >= 0 && (size_t)o->call < m->n_calls && !call_due(m, (size_t)o->call, now_ns))
            continue;
        if (sc.n_streams == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            struct media_stream_record *n = realloc(sc.streams, ncap * sizeof(*n));
            if (!n)
                goto out;
            sc.streams = n, cap = ncap;
        }
        sc.streams[sc.n_streams++] = *o;
    }
    for (uint32_t s = table_oldest(&m->streams); s != TABLE_NONE; s = table_newer(&m->streams, s)) {
        struct media_stream *st = table_value(&m->streams, s);
        if (st->state != MEDIA_S_LIVE || !st->st.total)
            continue; /* held candidates are judged at the end */
        if (st->call >= 0 && !call_due(m, (size_t)st->call, now_ns))
            continue;
        if (!scratch_emit(m, &sc, &cap, table_key(&m->streams, s), st))
            goto out;
    }
    for (size_t i = 0; i < sc.n_streams; i++)
        late_bind(m, &sc.streams[i]);
    if (sc.n_streams)
        qsort(sc.streams, sc.n_streams, sizeof(*sc.streams), stream_cmp);
    bool capture_lossy = r->tcp_acked_unseen > 0;
    struct media_result *keep = m->res;
    m->res = &sc;
    m->early = r;
    for (size_t i = 0; i < m->n_calls; i++) {
        if (!call_due(m, i, now_ns))
            continue;
        struct media_call_record c;
        memset(&c, 0, sizeof(c));
        judge_call(m, r, i, &c, capture_lossy);
        early_flush(m);
        m->calls[i].settled = true;
    }
    m->early = NULL;
    m->res = keep;
out:
    free(sc.streams);
}

/* Loss, port range and capture-confidence findings of each stream. */
static void
judge_streams(struct media_tracker *m, struct result *r, bool capture_lossy)
{
    struct media_result *res = m->res;
    char a[80], b[80];
    for (size_t i = 0; i < res->n_streams; i++) {
        const struct media_stream_record *s = &res->streams[i];
        struct evidence_ref f = eref(&s->first), l = eref(&s->last);
        if (s->bind != MEDIA_BIND_HEURISTIC && (s->sport < m->port_min || s->sport > m->port_max ||
                                                s->dport < m->port_min || s->dport > m->port_max))
            result_add_finding(r, FIND_RTP_PORT_OUTSIDE_PROFILE, &f, &l,
                               "RTP %s -> %s (SSRC 0x%08X) uses a port outside the profile's "
                               "UDP %u-%u",
                               ep(&s->src, s->sport, a, sizeof(a)),
                               ep(&s->dst, s->dport, b, sizeof(b)), s->ssrc, m->port_min,
                               m->port_max);
        if (s->icmp_errors && s->call < 0) {
            /* no call explains it (no SDP seen): the stream itself carries the evidence */
            struct evidence_ref ie = eref(&s->icmp_first);
            struct finding *fi = result_add_finding(
                r, FIND_RTP_ICMP_UNREACHABLE, &ie, &l,
                "RTP %s -> %s (SSRC 0x%08X, %u packets) drew %u ICMP error(s) type %u code %u",
                ep(&s->src, s->sport, a, sizeof(a)), ep(&s->dst, s->dport, b, sizeof(b)), s->ssrc,
                s->st.packets, s->icmp_errors, s->icmp_type, s->icmp_code);
            if (fi)
                fi->measured = s->icmp_errors, fi->limit = 0;
        }
        if (s->st.lost <= 0 || s->st.lost_pct < MEDIA_LOSS_LIMIT_PCT)
            continue;
        /* The reverse direction of the same 5-tuple, complete: loss on one side only. */
        bool reverse_complete = false;
        for (size_t k = 0; k < res->n_streams; k++) {
            const struct media_stream_record *o = &res->streams[k];
            if (o->sport == s->dport && o->dport == s->sport && !memcmp(o->src.a, s->dst.a, 16) &&
                !memcmp(o->dst.a, s->src.a, 16) && o->st.lost == 0 && o->st.packets > 50)
                reverse_complete = true;
        }
        if (capture_lossy || reverse_complete) {
            struct finding *fi = result_add_finding(
                r, FIND_RTP_CAPTURE_LOSS_SUSPECTED, &f, &l,
                "RTP %s -> %s (SSRC 0x%08X): %d of %u packets missing (%.2f%%), but %s: may be "
                "capture loss, not the network or firewall",
                ep(&s->src, s->sport, a, sizeof(a)), ep(&s->dst, s->dport, b, sizeof(b)), s->ssrc,
                s->st.lost, s->st.expected, s->st.lost_pct,
                capture_lossy ? "the capture itself dropped packets"
                              : "the reverse direction is complete");
            if (fi)
                fi->measured = s->st.lost_pct, fi->limit = MEDIA_LOSS_LIMIT_PCT;
            if (capture_lossy)
                continue;
        }
        struct finding *fi = result_add_finding(
            r, FIND_RTP_PACKET_LOSS, &f, &l,
            "RTP %s -> %s (SSRC 0x%08X): %d of %u packets lost (%.2f%%, limit %.1f%%)",
            ep(&s->src, s->sport, a, sizeof(a)), ep(&s->dst, s->dport, b, sizeof(b)), s->ssrc,
            s->st.lost, s->st.expected, s->st.lost_pct, MEDIA_LOSS_LIMIT_PCT);
        if (fi)
            fi->measured = s->st.lost_pct, fi->limit = MEDIA_LOSS_LIMIT_PCT;
    }
}

void
media_tracker_finish(struct media_tracker *m, struct result *r)
{
    collect_streams(m);
    struct media_result *res = m->res;
    bool capture_lossy =
        (r->live.valid && (r->live.dropped || r->live.if_dropped)) || r->tcp_acked_unseen;
    if (m->n_calls) {
        res->calls = pool_calloc(m->n_calls, sizeof(*res->calls), &res->calls_mapped);
        if (res->calls)
            res->n_calls = m->n_calls;
    }
    for (size_t i = 0; i < res->n_calls; i++)
        judge_call(m, r, i, &res->calls[i], capture_lossy);
    judge_streams(m, r, capture_lossy);
    if (res->streams_evicted)
        result_add_finding(r, FIND_RTP_STREAMS_EVICTED, NULL, NULL,
                           "%llu RTP streams were ended early: the stream table (%u) was full",
                           (unsigned long long)res->streams_evicted, m->lim.streams);

    struct requirement_row *row = &r->requirements[REQ_RTP];
    row->checked = true;
    row->observed = res->n_streams > 0 || res->n_calls > 0;
    unsigned two_way = 0;
    for (size_t i = 0; i < res->n_calls; i++)
        two_way += !strcmp(res->calls[i].verdict, "two_way");
    if (row->observed)
        snprintf(row->evidence, sizeof(row->evidence),
                 "%zu RTP stream(s) (%llu packets); %zu call(s) with SDP, %u with media both "
                 "ways",
                 res->n_streams, (unsigned long long)res->rtp_packets, res->n_calls, two_way);
    r->media = res;
    m->res = NULL;
}
