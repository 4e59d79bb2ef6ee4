/* pipeline.c — capture source → dissectors → trackers → checks → result, in one place. */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dissectors/dissect.h"
#include "check/capture_facts.h"
#include "check/checks.h"
#include "check/profile.h"
#include "check/requirements.h"
#include "track/dpi.h"
#include "track/alg.h"
#include "track/keepalive.h"
#include "track/media.h"
#include "track/sip_track.h"

/*
 * Frames are decoded a batch ahead of tracking: each frame is copied into a slot and dissected
 * (pure), its flow's hash computed and the flow's memory prefetched, so that when the batch is
 * tracked — in order, one frame at a time, exactly as without the batch — the flow entries are
 * already in cache. Fragments and oversized frames flush the batch and go through directly.
 */
#define BATCH_FRAMES 16
#define SLOT_BYTES 2048

struct slot {
    struct packet pkt;
    struct flow_lookup fl;
    bool track;                 /* an IP packet to track (not malformed, not a fragment) */
    uint8_t data[SLOT_BYTES];   /* the frame's bytes: pkt points in here */
};

struct pipeline {
    struct result *r;
    struct slot *batch;         /* BATCH_FRAMES slots */
    unsigned n_batch;
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
    }
}

/*
 * A whole IP packet (maybe rebuilt from fragments): flows, ICMP ties, TCP streams (→ SIP),
 * UDP datagrams (→ SIP, else media), DPI. fl is its prepared flow lookup, or NULL.
 */
static void
track_ip(struct pipeline *p, const struct packet *pkt, const struct flow_lookup *fl)
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
    else if ((pkt->layers & LAYER_UDP) && !sip_tracker_udp(p->sip, pkt, f, side))
        media_tracker_udp(p->media, pkt, f, side);
    if (!f->dpi_done) {
        dpi_process(p->dpi, &f->dpi, pkt->l3, pkt->l3_len, pkt->ts_ns);
        f->dpi_done = f->dpi.done;
    }
}

/* Count the frame and dissect it into pkt (frame fields set from fr, bytes at data). */
static void
frame_decode(struct pipeline *p, const struct frame *fr, const uint8_t *data, struct packet *pkt)
{
    struct result *r = p->r;
    pkt->frame = fr->number;
    pkt->ts_ns = fr->ts_ns;
    pkt->caplen = fr->caplen;
    pkt->wirelen = fr->wirelen;
    pkt->file = fr->file;

    if (r->packets++ == 0 || fr->ts_ns < r->first_ns)
        r->first_ns = fr->ts_ns;
    if (r->packets == 1)
        media_tracker_start(p->media, fr->ts_ns); /* Wireshark's time zero: frame 1 */
    if (fr->ts_ns > r->last_ns || r->packets == 1)
        r->last_ns = fr->ts_ns;
    r->bytes += fr->caplen;
    if (fr->caplen < fr->wirelen && r->snaplen_cut++ == 0)
        r->first_cut = ref_of(pkt);

    dissect_frame(fr->dlt, data, fr->caplen, pkt);
    if (pkt->anomaly != ANOM_NONE)
        count_anomaly(r, pkt);
    if (!pkt->ip_version && pkt->status == DISSECT_NO_MATCH && pkt->anomaly == ANOM_NONE)
        r->non_ip++;
}

/* Whether a decoded packet is tracked at all: IP, and no header that lies. */
static bool
frame_trackable(const struct packet *pkt)
{
    /* Headers that lie are counted, never tracked: their ports and lengths mean nothing. */
    return pkt->ip_version && pkt->status != DISSECT_MALFORMED;
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
        track_ip(p, &whole, NULL);
}

/* Track every frame of the batch in order, and empty it. */
static void
batch_flush(struct pipeline *p)
{
    unsigned n = p->n_batch;
    for (unsigned i = n > BATCH_FRAMES / 2 ? n - BATCH_FRAMES / 2 : 0; i < n; i++)
        if (p->batch[i].track)
            flow_table_prefetch(p->flows, &p->batch[i].fl);
    for (unsigned i = 0; i < n; i++)
        if (p->batch[i].track)
            track_ip(p, &p->batch[i].pkt, &p->batch[i].fl);
    p->n_batch = 0;
}

static void
pipeline_frame(struct pipeline *p, const struct frame *fr)
{
    if (fr->caplen > SLOT_BYTES) {
        /* Too big for a slot: decode in place, after everything before it. */
        batch_flush(p);
        struct packet pkt;
        frame_decode(p, fr, fr->data, &pkt);
        if (frame_trackable(&pkt))
            (pkt.layers & LAYER_FRAGMENT) ? track_fragment(p, &pkt) : track_ip(p, &pkt, NULL);
        return;
    }
    struct slot *sl = &p->batch[p->n_batch];
    /* Hide the length's bound from the compiler, which would inline a `rep movs` that starts
     * slower than libc's vector copy for the ~200-byte frames of media traffic. */
    size_t n = fr->caplen;
    __asm__("" : "+r"(n));
    memcpy(sl->data, fr->data, n);
    frame_decode(p, fr, sl->data, &sl->pkt);
    sl->track = frame_trackable(&sl->pkt);
    if (sl->track && (sl->pkt.layers & LAYER_FRAGMENT)) {
        /* The reassembler's output lives until its next call: handle it now, in order. */
        batch_flush(p);
        track_fragment(p, &sl->pkt);
        return;
    }
    if (sl->track)
        flow_table_prepare(p->flows, &sl->pkt, &sl->fl);
    p->n_batch++;
    if (p->n_batch >= BATCH_FRAMES / 2 && p->batch[p->n_batch - BATCH_FRAMES / 2].track)
        flow_table_prefetch(p->flows, &p->batch[p->n_batch - BATCH_FRAMES / 2].fl);
    if (p->n_batch == BATCH_FRAMES)
        batch_flush(p);
}

int
pipeline_run(struct source *src, const struct pipeline_opts *o, struct result *r, char *err,
             size_t errlen)
{
    struct pipeline p = {.r = r};
    int rc = -1;
    struct profile default_profile;
    const struct profile *prof = o->profile;
    if (!prof) {
        profile_default(&default_profile);
        prof = &default_profile;
    }

    p.dpi = dpi_new(err, errlen);
    if (!p.dpi)
        goto out;
    p.batch = malloc(sizeof(*p.batch) * BATCH_FRAMES);
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
    p.checks = checks_new(prof);
    if (!p.batch || !p.frag || !p.flows || !p.media || !p.sip || !p.ka || !p.alg || !p.checks) {
        snprintf(err, errlen, "out of memory creating the trackers");
        goto out;
    }

    struct frame fr;
    enum source_status st;
    rc = 0;
    while ((st = source_next(src, &fr, err, errlen)) != SOURCE_END) {
        if (st == SOURCE_ERROR) {
            rc = -1;
            break;
        }
        if (st == SOURCE_IDLE) {
            batch_flush(&p); /* live: nothing waits for a full batch */
            if (o->progress) {
                r->flow_stats = *flow_table_stats(p.flows);
                o->progress(o->progress_ctx, src, r->packets);
            }
            continue;
        }
        pipeline_frame(&p, &fr);
        if (o->max_frames && r->packets >= o->max_frames)
            break;
        if (o->progress && (r->packets & (o->progress_mask ? o->progress_mask : 0xffff)) == 0) {
            r->flow_stats = *flow_table_stats(p.flows);
            o->progress(o->progress_ctx, src, r->packets);
        }
    }

    batch_flush(&p);
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
    free(p.batch);
    return rc;
}
