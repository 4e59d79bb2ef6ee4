/* pipeline.c — capture source → dissectors → trackers → checks → result, in one place. */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dissectors/dissect.h"
#include "../dissectors/sip.h"
#include "ahead.h"
#include "check/capture_facts.h"
#include "check/checks.h"
#include "check/profile.h"
#include "check/requirements.h"
#include "check/settle.h"
#include "track/dpi.h"
#include "track/alg.h"
#include "track/keepalive.h"
#include "track/media.h"
#include "track/sip_track.h"

/*
 * Frames are dissected a few ahead of tracking, into a small ring that stays in the L1 cache:
 * the flow's key and hash are computed then and its table bucket prefetched, its entry
 * prefetched some frames later. Tracking itself goes strictly in frame order.
 */
#define RING 16             /* power of two, > DECODE_AHEAD */
#define DECODE_AHEAD 12     /* dissect + hash + prefetch the bucket */
#define MEDIA_AHEAD 4       /* prefetch the media state of UDP packets (media.h) */
#define ENTRY_AHEAD 6       /* prefetch the flow entry */
_Static_assert(DECODE_AHEAD < 32, "sip_ahead marks its window in 32 bits");

/* One frame dissected, its flow key and hash computed. */
struct decoded {
    struct packet pkt;
    struct flow_lookup fl; /* valid when track */
    bool track;            /* an IP packet whose headers do not lie */
    /* A whole UDP datagram's sip_classify, and for a SIP message its parse into the ring's
     * message of this slot, done ahead (both pure) when sip_ready. */
    bool sip_ready;
    enum sip_payload_kind sip_kind;
};

struct pipeline {
    struct result *r;
    struct decoded ring[RING];
    struct sip_message *msgs; /* RING of them: ring[i]'s parsed SIP message */
    struct dpi *dpi;
    struct flow_table *flows;
    struct ipfrag *frag;
    struct media_tracker *media;
    struct sip_tracker *sip;
    struct keepalive_tracker *ka;
    struct alg_tracker *alg;
    struct checks *checks;
    /* The TCP segment being reassembled, for the stream callback. */
    struct flow *tcp_flow;
    int tcp_side;
    const struct packet *tcp_pkt;
};

void
pipeline_opts_default(struct pipeline_opts *o)
{
    memset(o, 0, sizeof(*o));
    flow_limits_default(&o->flow);
    o->frag.max_datagrams = 4096;
    o->frag.max_bytes = 16u << 20;
    o->frag.timeout_ns = 30LL * 1000000000LL;
    o->max_flow_records = 50000;
    o->seed = 0x766f697064696167ull;
}

static struct evidence_ref
ref_of(const struct packet *pkt)
{
    struct evidence_ref e = {pkt->frame, pkt->file, pkt->ts_ns};
    return e;
}

/* In-order TCP bytes of one direction (of the flow being fed or flushed): SIP over TCP. */
static void
tcp_deliver(void *ctx, const uint8_t *data, uint32_t len, uint32_t gap_before, uint64_t frame)
{
    struct pipeline *p = ctx;
    (void)frame;
    sip_tracker_tcp(p->sip, p->tcp_flow, p->tcp_side, data, len, gap_before, p->tcp_pkt);
}

static void
add_stream_stats(struct tcp_stream_stats *sum, const struct tcp_stream_stats *s)
{
    sum->segments += s->segments;
    sum->bytes += s->bytes;
    sum->retransmissions += s->retransmissions;
    sum->out_of_order += s->out_of_order;
    sum->overlaps += s->overlaps;
    sum->gaps += s->gaps;
    sum->gap_bytes += s->gap_bytes;
    sum->dropped_bytes += s->dropped_bytes;
}

/* A flow ended: flush its streams, settle its protocol, and record it. */
static void
on_flow_end(void *ctx, const struct flow_key *k, struct flow *f, enum flow_end why)
{
    struct pipeline *p = ctx;
    int i = f->init_side, o = !f->init_side;
    struct flow_record rec;
    memset(&rec, 0, sizeof(rec));

    for (int d = 0; d < 2; d++) {
        p->tcp_flow = f;
        p->tcp_side = d;
        p->tcp_pkt = NULL;
        tcp_stream_flush(&f->stream[d], tcp_deliver, p);
        add_stream_stats(&p->r->tcp, &f->stream[d].stats);
        p->r->tcp_acked_unseen += f->stream[d].acked_unseen;
        rec.tcp_retransmissions += f->stream[d].stats.retransmissions;
        rec.tcp_out_of_order += f->stream[d].stats.out_of_order;
        rec.tcp_gaps += f->stream[d].stats.gaps;
        rec.tcp_acked_unseen += f->stream[d].acked_unseen;
    }
    dpi_finish(p->dpi, &f->dpi);

    rec.id = f->id;
    rec.ip_version = k->family;
    rec.proto = k->proto;
    rec.src.family = rec.dst.family = k->family;
    memcpy(rec.src.a, k->addr[i], 16);
    memcpy(rec.dst.a, k->addr[o], 16);
    rec.sport = k->port[i];
    rec.dport = k->port[o];
    rec.packets_fwd = f->packets[i];
    rec.packets_rev = f->packets[o];
    rec.bytes_fwd = f->bytes[i];
    rec.bytes_rev = f->bytes[o];
    rec.first = (struct evidence_ref){f->first_frame, f->first_file, f->first_ns};
    rec.last = (struct evidence_ref){f->last_frame, f->last_file, f->last_ns};
    rec.end = why;
    rec.tcp_state = f->tcp_state;
    rec.tcp_was_established = f->was_established;
    rec.reset_by_initiator = f->tcp_state == FLOW_TCP_RESET && f->reset_side == i;
    rec.syn_count = f->syn[i];
    rec.synack_count = f->synack;
    rec.icmp_errors = f->icmp_errors;
    rec.icmp_type = f->icmp_type;
    rec.icmp_code = f->icmp_code;
    rec.icmp_from = f->icmp_from;
    rec.icmp_first = (struct evidence_ref){f->icmp_first_frame, f->icmp_first_file, 0};
    dpi_name(p->dpi, &f->dpi, rec.app, sizeof(rec.app));
    rec.app_guessed = f->dpi.guessed;
    memcpy(rec.server_name, f->dpi.server_name, sizeof(rec.server_name));
    sip_tracker_flow_end(p->sip, k, f);
    checks_flow(p->checks, &rec);
    result_add_flow(p->r, &rec);
}

static void
count_anomaly(struct result *r, const struct packet *pkt)
{
    struct anomaly_count *a = &r->anomalies[pkt->anomaly];
    if (a->count++ == 0)
        a->first = ref_of(pkt);
}

static void
track_tcp(struct pipeline *p, struct flow *f, int side, const struct packet *pkt)
{
    p->tcp_flow = f;
    p->tcp_side = side;
    p->tcp_pkt = pkt;
    tcp_stream_segment(&f->stream[side], pkt->tcp_seq, pkt->tcp_flags, pkt->payload,
                       pkt->payload_len, pkt->payload_wire_len, pkt->frame, tcp_deliver, p);
    if (pkt->tcp_flags & TCP_ACK) {
        uint64_t before = f->stream[!side].acked_unseen;
        tcp_stream_ack(&f->stream[!side], pkt->tcp_ack);
        if (f->stream[!side].acked_unseen > before && !p->r->first_unseen_tcp.frame)
            p->r->first_unseen_tcp = ref_of(pkt);
        /* Data the other side sent behind a hole this ACK passed goes to SIP now, in the
         * other direction's context; no packet of that direction: evidence is the flow's
         * last frame, this ACK. */
        p->tcp_side = !side;
        p->tcp_pkt = NULL;
        tcp_stream_release(&f->stream[!side], tcp_deliver, p);
    }
}

/*
 * A whole IP packet (maybe rebuilt from fragments): flows, ICMP ties, TCP streams (→ SIP),
 * UDP datagrams (→ SIP, else media), DPI. fl is its prepared flow lookup, or NULL.
 */
static void
track_ip(struct pipeline *p, const struct packet *pkt, const struct flow_lookup *fl,
         struct decoded *d, struct sip_message *msg)
{
    if ((pkt->layers & LAYER_ICMP) && pkt->quote.valid) {
        flow_table_icmp_error(p->flows, pkt);
        media_tracker_icmp(p->media, pkt);
    }
    int side;
    ipfrag_expire(p->frag, pkt->ts_ns);
    struct flow *f = flow_table_update(p->flows, pkt, fl, &side);
    if (!f)
        return;
    if (pkt->layers & LAYER_TCP)
        track_tcp(p, f, side, pkt);
    else if ((pkt->layers & LAYER_UDP) &&
             !(d && d->sip_ready ? sip_tracker_udp_parsed(p->sip, pkt, f, side, d->sip_kind, msg)
                                 : sip_tracker_udp(p->sip, pkt, f, side)))
        media_tracker_udp(p->media, pkt, f, side, fl ? media_hint(fl->hash, fl->side) : MEDIA_NO_HINT);
    if (!f->dpi_done) {
        dpi_process(p->dpi, &f->dpi, pkt->l3, pkt->l3_len, pkt->ts_ns);
        f->dpi_done = f->dpi.done;
    }
}

/* Count a frame (dissected ahead, see ahead.c) into the result. */
static void
frame_count(struct pipeline *p, const struct frame *fr, const struct packet *pkt)
{
    struct result *r = p->r;
    if (r->packets++ == 0 || fr->ts_ns < r->first_ns)
        r->first_ns = fr->ts_ns;
    if (r->packets == 1)
        media_tracker_start(p->media, fr->ts_ns); /* Wireshark's time zero: frame 1 */
    if (fr->ts_ns > r->last_ns || r->packets == 1)
        r->last_ns = fr->ts_ns;
    r->bytes += fr->caplen;
    if (fr->caplen < fr->wirelen && r->snaplen_cut++ == 0)
        r->first_cut = ref_of(pkt);
    if (pkt->anomaly != ANOM_NONE)
        count_anomaly(r, pkt);
    if (!pkt->ip_version && pkt->status == DISSECT_NO_MATCH && pkt->anomaly == ANOM_NONE)
        r->non_ip++;
}

/* An IP fragment: reassemble, and track the datagram it completes. */
static void
track_fragment(struct pipeline *p, const struct packet *pkt)
{
    ipfrag_expire(p->frag, pkt->ts_ns);
    struct ipfrag_datagram dg;
    if (ipfrag_add(p->frag, pkt, &dg) != 1)
        return;
    struct packet whole = *pkt;
    dissect_ip(dg.data, dg.len, &whole);
    if (whole.anomaly != ANOM_NONE)
        count_anomaly(p->r, &whole);
    if (whole.status != DISSECT_MALFORMED)
        track_ip(p, &whole, NULL, NULL, NULL);
}

/* Dissect frame fr into d, and when it is to be tracked, hash its flow and prefetch its bucket. */
static void
decode_into(struct pipeline *p, const struct frame *fr, struct decoded *d)
{
    struct packet *pkt = &d->pkt;
    pkt->frame = fr->number;
    pkt->ts_ns = fr->ts_ns;
    pkt->caplen = fr->caplen;
    pkt->wirelen = fr->wirelen;
    pkt->file = fr->file;
    dissect_frame(fr->dlt, fr->data, fr->caplen, pkt);
    /* Headers that lie are counted, never tracked: their ports and lengths mean nothing. */
    d->track = pkt->ip_version && pkt->status != DISSECT_MALFORMED;
    d->sip_ready = false;
    if (d->track) /* fragments too: only prefetches use theirs */
        flow_table_prepare(p->flows, pkt, &d->fl);
}

/* Whether the frame in d is a whole UDP datagram that goes to the SIP tracker as it is. */
static bool
sip_candidate(const struct decoded *d)
{
    return d->track && (d->pkt.layers & (LAYER_UDP | LAYER_FRAGMENT)) == LAYER_UDP;
}

/*
 * Classify, and parse when SIP, the whole UDP datagrams among frames i .. last of the ring
 * (decoded, not yet done): sofia's parser then runs for several messages in a row, its code
 * and data warm, and the trackers after it for as many. Both steps are pure: the results are
 * those the SIP tracker would get itself.
 */
static void
sip_ahead(struct pipeline *p, unsigned i, unsigned last)
{
    /* First the classes, fetching the messages' bytes (written by the reader thread, on the
     * other core) while the rest are classified; then the parses (bit j - i: to parse). */
    uint32_t parse = 0;
    for (unsigned j = i; j <= last; j++) {
        struct decoded *e = &p->ring[j % RING];
        if (!sip_candidate(e) || e->sip_ready)
            continue;
        e->sip_kind = sip_classify(e->pkt.payload, e->pkt.payload_len);
        e->sip_ready = true;
        if (e->sip_kind != SIP_PAYLOAD_REQUEST && e->sip_kind != SIP_PAYLOAD_RESPONSE)
            continue;
        parse |= 1u << (j - i);
        for (uint32_t k = 64; k < e->pkt.payload_len && k < 64 * 32; k += 64)
            __builtin_prefetch(e->pkt.payload + k);
    }
    for (unsigned j = i; parse; j++, parse >>= 1)
        if (parse & 1)
            sip_parse_datagram(p->ring[j % RING].pkt.payload, p->ring[j % RING].pkt.payload_len,
                               &p->msgs[j % RING]);
}

/* Track the chunk's frames in timeline order; false when max_frames is reached. */
static bool
track_chunk(struct pipeline *p, const struct chunk *c, const struct pipeline_opts *o,
            const struct source *src)
{
    unsigned n = c->n;
    for (unsigned j = 0; j < n && j < DECODE_AHEAD; j++)
        decode_into(p, &c->fr[j], &p->ring[j % RING]);
    for (unsigned i = 0; i < n; i++) {
        if (i + DECODE_AHEAD < n)
            decode_into(p, &c->fr[i + DECODE_AHEAD], &p->ring[(i + DECODE_AHEAD) % RING]);
        const struct decoded *e = &p->ring[(i + ENTRY_AHEAD) % RING];
        if (i + ENTRY_AHEAD < n && e->track)
            flow_table_prefetch(p->flows, &e->fl);
        const struct decoded *h = &p->ring[(i + MEDIA_AHEAD) % RING];
        if (i + MEDIA_AHEAD < n && h->track && (h->pkt.layers & LAYER_UDP))
            media_tracker_prefetch(p->media, media_hint(h->fl.hash, h->fl.side));
        struct decoded *d = &p->ring[i % RING];
        frame_count(p, &c->fr[i], &d->pkt);
        if (d->track) {
            if (d->pkt.layers & LAYER_FRAGMENT) {
                track_fragment(p, &d->pkt);
            } else {
                if (sip_candidate(d) && !d->sip_ready)
                    sip_ahead(p, i, i + DECODE_AHEAD < n ? i + DECODE_AHEAD : n - 1);
                track_ip(p, &d->pkt, &d->fl, d, &p->msgs[i % RING]);
            }
        }
        settle_tick(p->sip, p->media, p->checks, p->r, c->fr[i].ts_ns); /* live: stream */
        if (o->max_frames && p->r->packets >= o->max_frames)
            return false;
        if (o->progress && (p->r->packets & (o->progress_mask ? o->progress_mask : 0xffff)) == 0) {
            p->r->flow_stats = *flow_table_stats(p->flows);
            o->progress(o->progress_ctx, src, p->r->packets);
        }
    }
    return true;
}

int
pipeline_run(struct source *src, const struct pipeline_opts *o, struct result *r, char *err,
             size_t errlen)
{
    struct pipeline p = {.r = r};
    int rc = -1;
    p.msgs = malloc(RING * sizeof *p.msgs);
    if (!p.msgs) {
        snprintf(err, errlen, "out of memory creating the trackers");
        return -1;
    }
    struct profile default_profile;
    const struct profile *prof = o->profile;
    if (!prof) {
        profile_default(&default_profile);
        prof = &default_profile;
    }

    p.dpi = dpi_new(err, errlen);
    if (!p.dpi)
        goto out;
    p.frag = ipfrag_new(&o->frag);
    p.flows = flow_table_new(&o->flow, o->seed, on_flow_end, &p);
    p.media = media_tracker_new();
    if (p.media)
        media_tracker_set_ports(p.media, prof->rtp.min, prof->rtp.max);
    p.sip = p.media ? sip_tracker_new(p.media) : NULL;
    p.ka = keepalive_tracker_new(prof->keepalive_s, prof->binding_timeout_s);
    if (p.sip)
        sip_tracker_set_keepalive(p.sip, p.ka);
    p.alg = alg_tracker_new();
    if (p.sip)
        sip_tracker_set_alg(p.sip, p.alg);
    if (p.media)
        media_tracker_set_alg(p.media, p.alg); /* media verdicts read the two-point SDP copies */
    p.checks = checks_new(prof);
    if (!p.frag || !p.flows || !p.media || !p.sip || !p.ka || !p.alg || !p.checks) {
        snprintf(err, errlen, "out of memory creating the trackers");
        goto out;
    }

    /*
     * Files are read and decoded by a second thread while this one tracks (ahead.c); a live
     * interface, a progress hook (it reads the source) or a frame limit (the reader would
     * read past it) keep everything in this thread.
     */
    bool threaded = !source_is_live(src) && !o->progress && !o->max_frames;
    struct ahead *ahead = ahead_start(src, threaded, err, errlen);
    if (!ahead)
        goto out;
    rc = 0;
    for (;;) {
        struct chunk *c = ahead_next(ahead);
        bool more = track_chunk(&p, c, o, src);
        enum source_status st = c->st;
        if (c->nomem) {
            snprintf(err, errlen, "out of memory holding a frame: the analysis is partial");
            rc = -1;
            more = false;
        } else if (st == SOURCE_ERROR) {
            snprintf(err, errlen, "%s", c->err);
            rc = -1;
        }
        if (o->file_progress && !source_is_live(src))
            o->file_progress(o->file_progress_ctx, r->packets, c->bytes_read, c->bytes_total);
        ahead_release(ahead);
        if (!more || st == SOURCE_END || st == SOURCE_ERROR)
            break;
        if (st == SOURCE_IDLE && o->progress) {
            r->flow_stats = *flow_table_stats(p.flows);
            o->progress(o->progress_ctx, src, r->packets);
        }
    }
    ahead_stop(ahead); /* the reader thread is done with src from here on */

    flow_table_flush(p.flows);
    ipfrag_finish(p.frag);
    sip_tracker_finish(p.sip, r);
    if (keepalive_tracker_finish(p.ka, r)) {
        snprintf(err, errlen, "out of memory finishing the keep-alive analysis");
        rc = -1;
    }
    media_tracker_finish(p.media, r);
    r->flow_stats = *flow_table_stats(p.flows);
    r->frag = *ipfrag_stats(p.frag);
    source_live_stats(src, &r->live);
    if (result_set_inputs(r, src)) {
        snprintf(err, errlen, "out of memory recording the inputs");
        rc = -1;
    }
    alg_tracker_finish(p.alg, r);
    checks_finish(p.checks, r);
    capture_facts_check(r);
    requirements_evaluate(r);
    result_finish(r);
out:
    flow_table_free(p.flows); /* flushes live flows first: needs the trackers below */
    checks_free(p.checks);
    sip_tracker_free(p.sip);
    keepalive_tracker_free(p.ka);
    alg_tracker_free(p.alg);
    media_tracker_free(p.media);
    ipfrag_free(p.frag);
    dpi_free(p.dpi);
    free(p.msgs);
    return rc;
}
