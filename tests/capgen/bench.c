/* bench.c — the RTP benchmark capture: SIP calls (RFC 3261) with SDP offer/answer (RFC 3264)
 * and 20 ms PCMU RTP (RFC 3550, RFC 3551), events merged in time order by a binary heap. */
#include "bench.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "bench_bg.h"
#include "scen_sip.h"

#define BENCH_PTIME_NS (20 * SCEN_MS)
#define BENCH_FRAME (14 + 20 + 8 + SCEN_RTP_LEN) /* 214 bytes on the wire */
#define BENCH_AUDIO_PERIOD 40                    /* the test tone repeats every 40 samples */

/* The call steps; each sends one SIP message then schedules the next. */
enum bench_step {
    STEP_INVITE,
    STEP_100,
    STEP_180,
    STEP_200,
    STEP_ACK,
    STEP_BYE,
    STEP_BYE_200,
};

static const enum scen_sip_kind step_kind[] = {SCEN_SIP_INVITE, SCEN_SIP_100, SCEN_SIP_180,
                                               SCEN_SIP_200,    SCEN_SIP_ACK, SCEN_SIP_BYE,
                                               SCEN_SIP_BYE_200};

/* Precomputed payload: the tone's 40-sample period followed by one packet's worth more. */
static uint8_t bench_audio[BENCH_AUDIO_PERIOD + SCEN_RTP_LEN];

/* Heap of event sources keyed by (time, source id): ties resolve the same way every run. */
static bool
heap_less(const struct bench *b, uint32_t x, uint32_t y)
{
    return b->key[x] < b->key[y] || (b->key[x] == b->key[y] && x < y);
}

/* Swap heap slots i and j, keeping pos[] in step. */
static void
heap_swap(struct bench *b, uint32_t i, uint32_t j)
{
    uint32_t x = b->heap[i], y = b->heap[j];
    b->heap[i] = y;
    b->heap[j] = x;
    b->pos[y] = i;
    b->pos[x] = j;
}

void
bench_schedule(struct bench *b, uint32_t src, int64_t t)
{
    b->key[src] = t;
    uint32_t i = b->pos[src];
    while (i > 0 && heap_less(b, b->heap[i], b->heap[(i - 1) / 2])) {
        heap_swap(b, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        uint32_t l = 2 * i + 1, m = i;
        if (l < SRC_COUNT && heap_less(b, b->heap[l], b->heap[m]))
            m = l;
        if (l + 1 < SRC_COUNT && heap_less(b, b->heap[l + 1], b->heap[m]))
            m = l + 1;
        if (m == i)
            break;
        heap_swap(b, i, m);
        i = m;
    }
}

/* Put Ethernet src → dst (IPv4) in front of pkt. */
static void
bench_eth(struct build *pkt, const uint8_t src[6], const uint8_t dst[6])
{
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, src, 6);
    memcpy(e.dst, dst, 6);
    build_eth(pkt, &e, 0x0800);
}

void
bench_eth_write(struct bench *b, struct build *pkt, const uint8_t src[6], const uint8_t dst[6],
                int64_t t)
{
    bench_eth(pkt, src, dst);
    build_pad(pkt, 60);
    writer_frame(&b->w, t, build_data(pkt), pkt->len);
    b->st.packets++;
}

/* Phone number slot's address 10.1.x.y and its locally administered MAC 02:00:0a:01:x:y. */
static void
bench_phone(unsigned slot, struct build_addr *ip, uint8_t mac[6])
{
    char text[32];
    snprintf(text, sizeof text, "10.1.%u.%u", slot / 250, slot % 250 + 1);
    *ip = build_addr(text);
    static const uint8_t prefix[2] = {0x02, 0x00};
    memcpy(mac, prefix, 2);
    memcpy(mac + 2, ip->a, 4);
}

/* Set up the next call of c's slot: fresh identifiers, ports and media peer. */
static void
bench_call_new(struct bench *b, struct bench_call *c, unsigned slot)
{
    uint32_t serial = (uint32_t)b->st.calls++;
    c->count++;
    snprintf(c->caller, sizeof c->caller, "%u", 2000 + slot);
    snprintf(c->callee, sizeof c->callee, "+1202555%04u", 100 + serial % 100);
    snprintf(c->call_id, sizeof c->call_id, "%08x-%04x@%s", (unsigned)rng_next(&b->rng),
             (unsigned)serial & 0xffff, c->phone_text);
    snprintf(c->from_tag, sizeof c->from_tag, "%08x", (unsigned)rng_next(&b->rng));
    snprintf(c->to_tag, sizeof c->to_tag, "as%08x", (unsigned)rng_next(&b->rng));
    snprintf(c->branch, sizeof c->branch, "%010llx",
             (unsigned long long)(rng_next(&b->rng) & 0xffffffffffULL));
    snprintf(c->gw_text, sizeof c->gw_text, "203.0.113.%u", 20 + slot % 40);
    struct scen_dialog d = {
        .transport = "UDP",
        .ua = c->phone,
        .ua_port = 5060,
        .proxy = b->proxy,
        .proxy_port = 5060,
        .caller_user = c->caller,
        .callee_user = c->callee,
        .call_id = c->call_id,
        .from_tag = c->from_tag,
        .to_tag = c->to_tag,
        .branch = c->branch,
        .ua_media = c->phone,
        .peer_media = build_addr(c->gw_text),
        .ua_rtp = (uint16_t)(16384 + 2 * (c->count % 4096)),
        .peer_rtp = (uint16_t)(20000 + 2 * (serial % 20000)),
        .sdp_id = 100000 + serial,
    };
    c->d = d;
    c->step = STEP_INVITE;
}

/* Send SIP message kind of call c at t. */
static void
bench_sip(struct bench *b, struct bench_call *c, enum scen_sip_kind kind, int64_t t)
{
    char text[2048];
    struct build pkt;
    int n = scen_sip_format(text, sizeof text, &c->d, kind);
    int up = scen_sip_dir(kind) == SCEN_TO_SERVER;
    struct ip_spec ip = up ? scen_ip_addr(&c->phone, &b->proxy, c->ipid++)
                           : scen_ip_addr(&b->proxy, &c->phone, b->proxy_ipid++);
    ip.ttl = up ? 64 : 56;
    ip.df = up;
    build_udp_packet(&pkt, &ip, 5060, 5060, text, (uint32_t)(n < 0 ? 0 : n));
    bench_eth_write(b, &pkt, up ? c->mac : scen_mac_gw, up ? scen_mac_gw : c->mac, t);
}

/* Start media direction dir of call c: template frame, SSRC, jitter, loss; first packet
 * leaves at t. */
static void
bench_stream_start(struct bench *b, struct bench_call *c, unsigned slot, int dir, int64_t t)
{
    struct bench_stream *s = &c->s[dir];
    struct build pkt;
    int up = dir == 0;
    struct ip_spec ip = up ? scen_ip_addr(&c->d.ua_media, &c->d.peer_media, 0)
                           : scen_ip_addr(&c->d.peer_media, &c->d.ua_media, 0);
    ip.ttl = up ? 64 : 57;
    ip.df = up;
    build_udp_packet(&pkt, &ip, up ? c->d.ua_rtp : c->d.peer_rtp, up ? c->d.peer_rtp : c->d.ua_rtp,
                     bench_audio, SCEN_RTP_LEN);
    bench_eth(&pkt, up ? c->mac : scen_mac_gw, up ? scen_mac_gw : c->mac);
    memcpy(s->frame, build_data(&pkt), BENCH_FRAME);
    s->frame[14 + 20 + 8] = 0x80; /* RTP version 2; the rest is patched per packet */
    uint8_t ph[4] = {0, 17, 0, 0};
    build_put16(ph + 2, 8 + SCEN_RTP_LEN);
    s->pseudo = build_sum(build_sum(build_sum(0, ip.src.a, 4), ip.dst.a, 4), ph, 4);
    s->ssrc = (uint32_t)rng_next(&b->rng);
    s->seq = (uint16_t)rng_next(&b->rng);
    s->ts = (uint32_t)rng_next(&b->rng);
    s->ipid = (uint16_t)rng_next(&b->rng);
    s->marker = true;
    s->nominal = t;
    /* the LAN side is clean; the far side has jitter and, on some calls, loss */
    s->jitter_ns = up ? 100000 + rng_below(&b->rng, 700000) : 500000 + rng_below(&b->rng, 3500000);
    uint32_t r = rng_below(&b->rng, 100);
    s->loss_ppm = up || r < 70 ? 0 : r < 90 ? 2000 : 15000;
    bench_schedule(b, SRC_ID(slot, 1 + dir), t + rng_below(&b->rng, s->jitter_ns));
}

/* Write the next RTP packet of direction dir of call c (unless lost) and schedule the one
 * after, or park the stream once the call's media has ended. */
static void
bench_stream_packet(struct bench *b, struct bench_call *c, unsigned slot, int dir, int64_t t)
{
    struct bench_stream *s = &c->s[dir];
    if (!rng_chance(&b->rng, s->loss_ppm)) {
        uint8_t *ip = s->frame + 14, *udp = ip + 20, *rtp = udp + 8;
        build_put16(ip + 4, s->ipid);
        ip[10] = ip[11] = 0;
        build_put16(ip + 10, build_fold(build_sum(0, ip, 20)));
        rtp[1] = s->marker ? 0x80 : 0x00;
        build_put16(rtp + 2, s->seq);
        build_put32(rtp + 4, s->ts);
        build_put32(rtp + 8, s->ssrc);
        memcpy(rtp + 12, bench_audio + s->ts % BENCH_AUDIO_PERIOD, SCEN_RTP_LEN - 12);
        udp[6] = udp[7] = 0;
        uint16_t sum = build_fold(build_sum(s->pseudo, udp, 8 + SCEN_RTP_LEN));
        build_put16(udp + 6, sum ? sum : 0xffff);
        writer_frame(&b->w, t, s->frame, BENCH_FRAME);
        b->st.packets++;
        b->st.rtp_packets++;
        s->marker = false;
    }
    s->ipid++;
    s->seq++;
    s->ts += 160;
    s->nominal += BENCH_PTIME_NS;
    if (s->nominal >= c->media_end)
        bench_schedule(b, SRC_ID(slot, 1 + dir), BENCH_NEVER);
    else
        bench_schedule(b, SRC_ID(slot, 1 + dir), s->nominal + rng_below(&b->rng, s->jitter_ns));
}

/* Run the due SIP step of slot's call at t and schedule what follows. */
static void
bench_call_step(struct bench *b, unsigned slot, int64_t t)
{
    struct bench_call *c = &b->calls[slot];
    uint32_t src = SRC_ID(slot, 0);
    if (c->step == STEP_INVITE && c->count == 0)
        bench_call_new(b, c, slot);
    bench_sip(b, c, step_kind[c->step], t);
    switch (c->step) {
    case STEP_INVITE:
        bench_schedule(b, src, t + 3 * SCEN_MS + rng_below(&b->rng, 2000000));
        break;
    case STEP_100:
        bench_schedule(b, src, t + 200 * SCEN_MS + rng_below(&b->rng, 1300000000u));
        break;
    case STEP_180:
        bench_schedule(b, src, t + SCEN_S + rng_below(&b->rng, 3000000000u));
        break;
    case STEP_200:
        bench_schedule(b, src, t + 5 * SCEN_MS + rng_below(&b->rng, 20000000));
        break;
    case STEP_ACK: /* media flows; the caller hangs up after 30–180 s */
        c->media_end = t + 30 * SCEN_S + (int64_t)rng_below(&b->rng, 150000) * SCEN_MS;
        bench_stream_start(b, c, slot, 0, t + 5 * SCEN_MS);
        bench_stream_start(b, c, slot, 1, t + 12 * SCEN_MS);
        bench_schedule(b, src, c->media_end + 5 * SCEN_MS);
        break;
    case STEP_BYE:
        bench_schedule(b, src, t + 18 * SCEN_MS + rng_below(&b->rng, 10000000));
        break;
    case STEP_BYE_200: /* the phone rests, then the slot's next call */
        bench_call_new(b, c, slot);
        bench_schedule(b, src, t + 200 * SCEN_MS + rng_below(&b->rng, 2800000000u));
        return;
    }
    c->step++;
}

/* After the size is reached: hang up every call whose media runs, in slot order. */
static void
bench_hangup_all(struct bench *b, int64_t t)
{
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < BENCH_CALLS; i++) {
            struct bench_call *c = &b->calls[i];
            if (c->step != STEP_BYE)
                continue;
            int64_t at = t + (pass ? 25 : 1) * SCEN_MS + (int64_t)i * 20000;
            bench_sip(b, c, pass ? SCEN_SIP_BYE_200 : SCEN_SIP_BYE, at);
            b->last_ts = at;
        }
    }
}

int
bench_rtp_write(const char *path, uint64_t size, struct bench_stats *st, char *err, size_t errlen)
{
    struct bench *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    audio_ulaw(bench_audio, sizeof bench_audio, 0);
    b->rng.s = 0x766f69706469616bULL; /* "voipdiak": any fixed value */
    b->proxy = build_addr("192.0.2.10");
    b->proxy_ipid = 0x4e20;
    for (uint32_t i = 0; i < SRC_COUNT; i++) {
        b->heap[i] = i;
        b->pos[i] = i;
        b->key[i] = BENCH_NEVER;
    }
    for (unsigned i = 0; i < BENCH_CALLS; i++) {
        struct bench_call *c = &b->calls[i];
        bench_phone(i, &c->phone, c->mac);
        build_addr_text(&c->phone, c->phone_text, false);
        c->ipid = (uint16_t)(0x1000 + i * 97);
        bench_schedule(b, SRC_ID(i, 0),
                       BENCH_T0_NS + i * 4 * SCEN_MS + rng_below(&b->rng, 4000000));
    }
    bench_bg_init(b);
    if (writer_open(&b->w, path, DLT_EN10MB, false, 262144, err, errlen) != 0) {
        free(b);
        return -1;
    }
    while (b->w.bytes < size) {
        uint32_t src = b->heap[0];
        int64_t t = b->key[src];
        b->last_ts = t;
        if (src >= SRC_BG)
            bench_bg_event(b, src, t);
        else if (src % 3 == 0)
            bench_call_step(b, src / 3, t);
        else
            bench_stream_packet(b, &b->calls[src / 3], src / 3, (int)(src % 3) - 1, t);
    }
    bench_hangup_all(b, b->last_ts);
    b->st.bytes = b->w.bytes;
    b->st.span_ns = b->last_ts - BENCH_T0_NS;
    int rc = writer_close(&b->w, err, errlen);
    *st = b->st;
    free(b);
    return rc;
}
