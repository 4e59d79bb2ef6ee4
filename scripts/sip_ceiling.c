/* sip_ceiling.c — the SIP parser ceiling (RFC 3261 via sofia-sip): how fast the adapter alone
 * parses the SIP messages of a capture, SDP bodies (RFC 4566) summarised, nothing tracked.
 *
 * usage: sip_ceiling FILE [RUNS]
 * Reads FILE once (untimed): UDP payloads that sip_classify calls a request or response are
 * kept whole; TCP payloads are kept as chunks per direction. Then, RUNS times (default 3), it
 * parses every datagram with sip_parse_datagram and feeds every direction's chunks to a fresh
 * sip_stream, summarising each SDP body with sdp_summarize. Prints the best run:
 * "messages N seconds S msg/s R". Exit 0, 1 when the file cannot be read, 2 on usage. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dissect.h"
#include "sdp.h"
#include "sip.h"
#include "sip_stream.h"

#define DIR_SLOTS 65536u /* TCP directions kept (open addressing) */

/* A growing byte store with the offsets of its records. */
struct store {
    uint8_t *buf;
    size_t len, cap;
    size_t *off; /* record i is buf[off[i] .. off[i+1]) */
    size_t n, ncap;
};

/* One TCP direction: its 4-tuple and its chunks (records in a store of its own). */
struct tcp_dir {
    bool used;
    struct ip_addr src, dst;
    uint16_t sport, dport;
    struct store chunks;
};

static int
store_add(struct store *s, const uint8_t *p, size_t n)
{
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1u << 16;
        while (cap < s->len + n)
            cap *= 2;
        uint8_t *b = realloc(s->buf, cap);
        if (!b)
            return -1;
        s->buf = b;
        s->cap = cap;
    }
    if (s->n + 2 > s->ncap) {
        size_t cap = s->ncap ? s->ncap * 2 : 1024;
        size_t *o = realloc(s->off, cap * sizeof *o);
        if (!o)
            return -1;
        s->off = o;
        s->ncap = cap;
    }
    if (s->n == 0)
        s->off[0] = 0;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->off[++s->n] = s->len;
    return 0;
}

static uint32_t
dir_hash(const struct packet *p)
{
    uint32_t h = 2166136261u;
    const uint8_t *parts[2] = {p->src.a, p->dst.a};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 16; i++)
            h = (h ^ parts[k][i]) * 16777619u;
    h = (h ^ p->sport) * 16777619u;
    return (h ^ p->dport) * 16777619u;
}

/* The direction of p, created on first sight; NULL when the table is full. */
static struct tcp_dir *
dir_of(struct tcp_dir *t, const struct packet *p)
{
    for (uint32_t i = dir_hash(p) % DIR_SLOTS, k = 0; k < DIR_SLOTS; k++, i = (i + 1) % DIR_SLOTS) {
        struct tcp_dir *d = &t[i];
        if (!d->used) {
            d->used = true;
            d->src = p->src, d->dst = p->dst;
            d->sport = p->sport, d->dport = p->dport;
            return d;
        }
        if (d->sport == p->sport && d->dport == p->dport &&
            !memcmp(&d->src, &p->src, sizeof d->src) && !memcmp(&d->dst, &p->dst, sizeof d->dst))
            return d;
    }
    return NULL;
}

struct tally {
    uint64_t messages, sdp_ok;
    struct sdp_summary sdp;
};

static void
on_event(void *ctx, const struct sip_stream_event *ev)
{
    struct tally *t = ctx;
    if (ev->kind != SIP_STREAM_MESSAGE)
        return;
    t->messages++;
    if (ev->msg->sdp_len && sdp_summarize((const char *)ev->msg->sdp, ev->msg->sdp_len, &t->sdp))
        t->sdp_ok++;
}

/* One timed pass over everything read; returns the wall seconds. */
static double
run(const struct store *udp, struct tcp_dir *dirs, struct tally *t, struct sip_message *m)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < udp->n; i++) {
        sip_parse_datagram(udp->buf + udp->off[i], udp->off[i + 1] - udp->off[i], m);
        t->messages++;
        if (m->sdp_len && sdp_summarize((const char *)m->sdp, m->sdp_len, &t->sdp))
            t->sdp_ok++;
    }
    for (uint32_t k = 0; k < DIR_SLOTS; k++) {
        const struct store *c = &dirs[k].chunks;
        if (!dirs[k].used || !c->n)
            continue;
        struct sip_stream *s = sip_stream_new(on_event, t);
        if (!s)
            continue;
        for (size_t i = 0; i < c->n; i++)
            sip_stream_feed(s, c->buf + c->off[i], c->off[i + 1] - c->off[i]);
        sip_stream_end(s);
        sip_stream_free(s);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

int
main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    int runs = argc == 3 ? atoi(argv[2]) : 3;
    if (argc < 2 || argc > 3 || runs < 1) {
        fprintf(stderr, "usage: sip_ceiling FILE [RUNS]\n");
        return 2;
    }
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
    if (!pc) {
        fprintf(stderr, "sip_ceiling: %s\n", err);
        return 1;
    }
    struct store udp = {0};
    struct tcp_dir *dirs = calloc(DIR_SLOTS, sizeof *dirs);
    struct sip_message *m = malloc(sizeof *m);
    struct tally *t = calloc(1, sizeof *t);
    if (!dirs || !m || !t) {
        fprintf(stderr, "sip_ceiling: out of memory\n");
        return 1;
    }
    int dlt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t frame = 0;
    while (pcap_next_ex(pc, &h, &d) == 1) {
        struct packet p;
        memset(&p, 0, sizeof p);
        p.frame = ++frame;
        p.caplen = h->caplen;
        p.wirelen = h->len;
        dissect_frame(dlt, d, h->caplen, &p);
        if (!p.payload || !p.payload_len)
            continue;
        if (p.layers & LAYER_UDP) {
            enum sip_payload_kind k = sip_classify(p.payload, p.payload_len);
            if ((k == SIP_PAYLOAD_REQUEST || k == SIP_PAYLOAD_RESPONSE) &&
                store_add(&udp, p.payload, p.payload_len) != 0)
                break;
        } else if (p.layers & LAYER_TCP) {
            struct tcp_dir *dir = dir_of(dirs, &p);
            if (dir && store_add(&dir->chunks, p.payload, p.payload_len) != 0)
                break;
        }
    }
    pcap_close(pc);
    double best = 0;
    uint64_t msgs = 0, sdp = 0;
    for (int r = 0; r < runs; r++) {
        memset(t, 0, sizeof *t);
        double s = run(&udp, dirs, t, m);
        if (r == 0 || s < best)
            best = s;
        msgs = t->messages;
        sdp = t->sdp_ok;
    }
    printf("messages %llu sdp %llu seconds %.3f msg/s %.0f\n", (unsigned long long)msgs,
           (unsigned long long)sdp, best, best > 0 ? (double)msgs / best : 0.0);
    for (uint32_t k = 0; k < DIR_SLOTS; k++) {
        free(dirs[k].chunks.buf);
        free(dirs[k].chunks.off);
    }
    free(dirs);
    free(udp.buf);
    free(udp.off);
    free(m);
    free(t);
    return 0;
}
