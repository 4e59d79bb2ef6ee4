/* test_rtp_oracle.c — RFC 3550 stream figures against tshark 4.0's "rtp,streams" on the corpus. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/track/rtp_stats.h"
#include "dissectors/cursor.h"
#include "dissectors/dissect.h"

/*
 * For every capture whose oracle lists RTP streams found with tshark's RTP heuristics, the
 * packets of each listed stream (5-tuple and SSRC) are read with libpcap at nanosecond
 * precision, fed to rtp_stats and compared with the printed Pkts, Lost and the six
 * delta/jitter columns at their printed precision. tests/rtp-oracle-exceptions.tsv names
 * the streams where tshark is shown to be wrong; any other difference fails.
 */

#define MAX_STREAMS 64
#define MAX_RTPMAP 64
#define LINE_MAX_LEN 1024

struct oracle_stream {
    char src[64], dst[64];
    unsigned sport, dport;
    uint32_t ssrc;
    char payload[128];
    char pkts[16], lost[16];
    char col[6][24]; /* min/mean/max delta, min/mean/max jitter as printed */
};

struct pkt_rec {
    int64_t ns;
    uint64_t frame;
    struct rtp_header h;
    uint8_t head[4]; /* first payload bytes (RFC 4733 event), h.payload points here */
};

struct stream_run {
    struct oracle_stream o;
    struct pkt_rec *pk;
    size_t n, cap;
};

struct rtpmap {
    unsigned pt;
    char enc[32];
    uint32_t rate;
};

struct capture {
    int64_t epoch_ns; /* first frame: tshark's relative times start there */
    struct stream_run st[MAX_STREAMS];
    size_t n_st;
    struct rtpmap map[MAX_RTPMAP];
    size_t n_map;
};

/* ---------------------------------------------------------------- frames */

#define GTPU_PORT 2152 /* 3GPP TS 29.281 */
#define GTPU_GPDU 0xff

/* One frame's transport, as this test needs it: addresses as tshark prints them. */
struct l4 {
    char src[64], dst[64];
    uint8_t proto;
    uint16_t sport, dport;
    const uint8_t *pl;
    uint32_t caplen, wirelen;
};

/*
 * Decode with the project's dissect_frame; a GTP-U G-PDU (VoLTE captures) is opened to its
 * inner IP packet with dissect_ip, as tshark does. 0 when there is no UDP/TCP payload.
 */
static int
decode_frame(int dlt, const uint8_t *data, const struct pcap_pkthdr *ph, struct l4 *o)
{
    static struct packet pkt;
    memset(&pkt, 0, sizeof(pkt));
    pkt.caplen = ph->caplen;
    pkt.wirelen = ph->len;
    dissect_frame(dlt, data, ph->caplen, &pkt);
    if ((pkt.layers & LAYER_UDP) && (pkt.sport == GTPU_PORT || pkt.dport == GTPU_PORT)) {
        struct cursor c = cursor_make(pkt.payload, pkt.payload_len);
        uint8_t flags = cursor_u8(&c), type = cursor_u8(&c);
        /* version 1, no extension header chain to walk; S or PN add a 4-byte word */
        cursor_skip(&c, (flags & 0x03) ? 10 : 6);
        if (cursor_ok(&c) && flags >> 5 == 1 && !(flags & 0x04) && type == GTPU_GPDU)
            dissect_ip(cursor_ptr(&c), (uint32_t)cursor_left(&c), &pkt);
    }
    if (!(pkt.layers & (LAYER_UDP | LAYER_TCP)) || pkt.payload == NULL)
        return 0;
    ip_addr_format(&pkt.src, o->src, sizeof(o->src));
    ip_addr_format(&pkt.dst, o->dst, sizeof(o->dst));
    o->proto = pkt.ip_proto;
    o->sport = pkt.sport;
    o->dport = pkt.dport;
    o->pl = pkt.payload;
    o->caplen = pkt.payload_len;
    o->wirelen = pkt.payload_wire_len;
    return 1;
}

/* ---------------------------------------------------------------- oracle file */

static int
parse_stream_line(char *line, struct oracle_stream *s)
{
    char *tok[64];
    int nt = 0;
    for (char *t = strtok(line, " \t\n"); t && nt < 64; t = strtok(NULL, " \t\n"))
        tok[nt++] = t;
    int end = nt;
    if (end > 0 && strcmp(tok[end - 1], "X") == 0)
        end--;
    if (end < 17)
        return 0;
    memset(s, 0, sizeof(*s));
    snprintf(s->src, sizeof(s->src), "%s", tok[2]);
    s->sport = (unsigned)atoi(tok[3]);
    snprintf(s->dst, sizeof(s->dst), "%s", tok[4]);
    s->dport = (unsigned)atoi(tok[5]);
    s->ssrc = (uint32_t)strtoul(tok[6], NULL, 16);
    for (int i = 0; i < 6; i++)
        snprintf(s->col[i], sizeof(s->col[i]), "%s", tok[end - 6 + i]);
    snprintf(s->lost, sizeof(s->lost), "%s", tok[end - 8]);
    snprintf(s->pkts, sizeof(s->pkts), "%s", tok[end - 9]);
    for (int i = 7; i < end - 9; i++) {
        if (i > 7)
            strncat(s->payload, " ", sizeof(s->payload) - strlen(s->payload) - 1);
        strncat(s->payload, tok[i], sizeof(s->payload) - strlen(s->payload) - 1);
    }
    return 1;
}

/* The streams of the heuristic "rtp,streams" section; returns how many. */
static size_t
read_oracle(const char *path, struct capture *cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[LINE_MAX_LEN];
    int in = 0;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "## ", 3) == 0) {
            in = strstr(line, "--enable-heuristic rtp_udp") != NULL;
            continue;
        }
        if (!in || line[0] == '=' || strstr(line, "Src IP addr") || cap->n_st >= MAX_STREAMS)
            continue;
        struct stream_run *r = &cap->st[cap->n_st];
        if (parse_stream_line(line, &r->o))
            cap->n_st++;
    }
    fclose(f);
    return cap->n_st;
}

/* ---------------------------------------------------------------- SDP rtpmap lines */

/* Remember every "a=rtpmap:<pt> <encoding>/<rate>" seen in a SIP/SDP payload. */
static void
scan_rtpmap(const uint8_t *p, uint32_t n, struct capture *cap)
{
    static const char key[] = "a=rtpmap:";
    for (uint32_t i = 0; i + sizeof(key) < n; i++) {
        if (memcmp(p + i, key, sizeof(key) - 1) != 0)
            continue;
        char buf[96];
        uint32_t k = 0, j = i + sizeof(key) - 1;
        while (j < n && k < sizeof(buf) - 1 && p[j] != '\r' && p[j] != '\n')
            buf[k++] = (char)p[j++];
        buf[k] = '\0';
        struct rtpmap m;
        memset(&m, 0, sizeof(m));
        if (sscanf(buf, "%u %31[^/]/%u", &m.pt, m.enc, &m.rate) != 3 || cap->n_map >= MAX_RTPMAP)
            continue;
        int dup = 0;
        for (size_t e = 0; e < cap->n_map; e++)
            dup |= cap->map[e].pt == m.pt && strcmp(cap->map[e].enc, m.enc) == 0;
        if (!dup)
            cap->map[cap->n_map++] = m;
    }
}

/* ---------------------------------------------------------------- the comparison */

static int
stream_match(const struct oracle_stream *o, const struct l4 *l, uint32_t ssrc)
{
    return o->ssrc == ssrc && o->sport == l->sport && o->dport == l->dport &&
           strcmp(o->src, l->src) == 0 && strcmp(o->dst, l->dst) == 0;
}

static void
stream_push(struct stream_run *r, int64_t ns, uint64_t frame, const struct rtp_header *h)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 256;
        r->pk = realloc(r->pk, r->cap * sizeof(*r->pk));
        assert_non_null(r->pk);
    }
    struct pkt_rec *k = &r->pk[r->n++];
    k->ns = ns;
    k->frame = frame;
    k->h = *h;
    memset(k->head, 0, sizeof(k->head));
    k->h.payload_len = h->payload_len < 4 ? h->payload_len : 4;
    memcpy(k->head, h->payload, k->h.payload_len);
}

/*
 * What tshark's RTP heuristic takes: version 2, not RTCP by RFC 5761 (marker with PT 64–95),
 * not PT 72–76 (RFC 3551's RTCP conflict range), and a header that fits the datagram.
 */
static int
rtp_candidate(const struct l4 *l, struct rtp_header *h)
{
    if (l->proto != 17 || rtp_demux(l->pl, l->caplen) != RTP_DEMUX_RTP)
        return 0;
    uint8_t pt = l->pl[1] & 0x7f;
    if (pt >= 72 && pt <= 76)
        return 0;
    return rtp_dissect_wire(l->pl, l->caplen, l->wirelen, h) == DISSECT_OK;
}

/* Read the capture: SDP rtpmaps and the packets of every oracle stream. 0 when unreadable. */
static int
read_capture(const char *path, struct capture *cap)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!pc)
        return 0;
    int dlt = pcap_datalink(pc);
    struct pcap_pkthdr *ph;
    const u_char *data;
    uint64_t frame = 0;
    while (pcap_next_ex(pc, &ph, &data) == 1) {
        frame++;
        int64_t ns = (int64_t)ph->ts.tv_sec * 1000000000 + ph->ts.tv_usec;
        if (frame == 1)
            cap->epoch_ns = ns;
        struct l4 l;
        if (!decode_frame(dlt, data, ph, &l))
            continue;
        scan_rtpmap(l.pl, l.caplen, cap);
        struct rtp_header h;
        if (!rtp_candidate(&l, &h))
            continue;
        for (size_t i = 0; i < cap->n_st; i++)
            if (stream_match(&cap->st[i].o, &l, h.ssrc))
                stream_push(&cap->st[i], ns, frame, &h);
    }
    pcap_close(pc);
    return 1;
}

/*
 * The clock rate Wireshark used for payload type pt of a stream whose printed payload
 * column gave it the name name: static table below 96; above, SDP's rate for an SDP-bound
 * name, nothing for an unbound ("RTPType-N", preference-bound) type or a telephone-event.
 */
static uint32_t
clock_for(const struct capture *cap, uint8_t pt, const char *name, bool *event)
{
    *event = false;
    if (pt < RTP_PT_DYNAMIC_MIN)
        return rtp_pt_clock_rate(pt);
    if (strcmp(name, rtp_pt_name(pt)) == 0)
        return 0;
    if (rtp_encoding_is_event(name)) {
        *event = true;
        return 0;
    }
    for (size_t i = 0; i < cap->n_map; i++)
        if (cap->map[i].pt == pt && strcmp(cap->map[i].enc, name) == 0 && cap->map[i].rate)
            return cap->map[i].rate;
    return rtp_encoding_clock_rate(name);
}

/* Split the printed payload column into one name per payload type (ascending PT order). */
static int
names_for(const struct stream_run *r, uint32_t rate[128], int *event_pt, const struct capture *cap)
{
    bool seen[128] = {false};
    for (size_t i = 0; i < r->n; i++)
        seen[r->pk[i].h.pt] = true;
    const char *s = r->o.payload;
    for (unsigned pt = 0; pt < 128; pt++) {
        if (!seen[pt])
            continue;
        char name[64];
        size_t len;
        if (pt < RTP_PT_DYNAMIC_MIN) {
            len = strlen(rtp_pt_name((uint8_t)pt));
            if (strncmp(s, rtp_pt_name((uint8_t)pt), len) != 0)
                return 0;
        } else {
            const char *comma = strstr(s, ", ");
            len = comma ? (size_t)(comma - s) : strlen(s);
        }
        snprintf(name, sizeof(name), "%.*s", (int)len, s);
        bool ev;
        rate[pt] = clock_for(cap, (uint8_t)pt, name, &ev);
        if (ev)
            *event_pt = (int)pt;
        s += len;
        if (strncmp(s, ", ", 2) == 0)
            s += 2;
    }
    return *s == '\0';
}

/* Compare one stream; writes a one-line difference into why (empty when equal). */
static void
compare_stream(const struct capture *cap, const struct stream_run *r, char *why, size_t n)
{
    uint32_t rate[128] = {0};
    int event_pt = -1;
    why[0] = '\0';
    if (!names_for(r, rate, &event_pt, cap)) {
        snprintf(why, n, "payload column \"%s\" does not fit the PTs seen", r->o.payload);
        return;
    }
    struct rtp_stats s;
    rtp_stats_init(&s, cap->epoch_ns);
    if (event_pt >= 0)
        rtp_stats_set_event_pt(&s, (uint8_t)event_pt);
    for (size_t i = 0; i < r->n; i++) {
        struct rtp_header h = r->pk[i].h;
        h.payload = r->pk[i].head;
        rtp_stats_add(&s, r->pk[i].ns, &h, rate[h.pt], r->pk[i].frame);
    }
    struct rtp_stats_result res;
    rtp_stats_finish(&s, &res);
    char got[6][24];
    double v[6] = {res.min_delta_ms,  res.mean_delta_ms,  res.max_delta_ms,
                   res.min_jitter_ms, res.mean_jitter_ms, res.max_jitter_ms};
    static const char *const label[6] = {"min delta",  "mean delta",  "max delta",
                                         "min jitter", "mean jitter", "max jitter"};
    for (int i = 0; i < 6; i++)
        snprintf(got[i], sizeof(got[i]), "%.3f", v[i]);
    size_t k = 0;
    if ((uint32_t)atol(r->o.pkts) != res.packets)
        k += (size_t)snprintf(why + k, n - k, " pkts %u≠%s", res.packets, r->o.pkts);
    if (k < n && atol(r->o.lost) != res.lost)
        k += (size_t)snprintf(why + k, n - k, " lost %d≠%s", res.lost, r->o.lost);
    for (int i = 0; i < 6 && k < n; i++)
        if (strcmp(got[i], r->o.col[i]) != 0)
            k += (size_t)snprintf(why + k, n - k, " %s %s≠%s", label[i], got[i], r->o.col[i]);
}

/* ---------------------------------------------------------------- exceptions and driver */

struct exception {
    char capture[256], src[64], dst[64];
    unsigned sport, dport;
    uint32_t ssrc;
    int used;
};

static size_t
read_exceptions(const char *path, struct exception *ex, size_t max)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    char line[LINE_MAX_LEN];
    while (f && n < max && fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        struct exception *e = &ex[n];
        memset(e, 0, sizeof(*e));
        if (sscanf(line, "%255[^\t]\t%63[^\t]\t%u\t%63[^\t]\t%u\t%x", e->capture, e->src, &e->sport,
                   e->dst, &e->dport, &e->ssrc) == 6)
            n++;
    }
    if (f)
        fclose(f);
    return n;
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "<dir>/<file>" names of every *.tshark.txt one level below corpus. */
static size_t
list_oracles(const char *corpus, char **out, size_t max)
{
    size_t n = 0;
    DIR *top = opendir(corpus);
    struct dirent *d;
    while (top && (d = readdir(top)) != NULL) {
        if (d->d_name[0] == '.' || d->d_name[0] == '_')
            continue;
        char sub[1536];
        snprintf(sub, sizeof(sub), "%s/%s", corpus, d->d_name);
        DIR *in = opendir(sub);
        struct dirent *e;
        while (in && (e = readdir(in)) != NULL) {
            size_t l = strlen(e->d_name);
            if (l > 11 && strcmp(e->d_name + l - 11, ".tshark.txt") == 0 && n < max) {
                out[n] = malloc(strlen(d->d_name) + l + 2);
                assert_non_null(out[n]);
                sprintf(out[n++], "%s/%s", d->d_name, e->d_name);
            }
        }
        if (in)
            closedir(in);
    }
    if (top)
        closedir(top);
    qsort(out, n, sizeof(*out), name_cmp);
    return n;
}

static void
test_corpus_streams(void **state)
{
    (void)state;
    const char *src = getenv("VOIPDIAG_SRC");
    char corpus[1024], exf[1024];
    snprintf(corpus, sizeof(corpus), "%s/../shared/corpus", src ? src : ".");
    snprintf(exf, sizeof(exf), "%s/tests/rtp-oracle-exceptions.tsv", src ? src : ".");
    DIR *probe = opendir(corpus);
    if (!probe)
        skip();
    closedir(probe);

    static struct exception ex[64];
    size_t n_ex = read_exceptions(exf, ex, 64);
    static char *names[512];
    size_t n_names = list_oracles(corpus, names, 512);
    unsigned total = 0, equal = 0, excused = 0, failed = 0;
    for (size_t i = 0; i < n_names; i++) {
        static struct capture cap;
        memset(&cap, 0, sizeof(cap));
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", corpus, names[i]);
        if (read_oracle(path, &cap) == 0)
            goto next;
        path[strlen(path) - strlen(".tshark.txt")] = '\0';
        assert_true(read_capture(path, &cap));
        unsigned cap_equal = 0;
        for (size_t k = 0; k < cap.n_st; k++) {
            struct stream_run *r = &cap.st[k];
            char why[512];
            compare_stream(&cap, r, why, sizeof(why));
            total++;
            if (why[0] == '\0') {
                equal++, cap_equal++;
                continue;
            }
            int ok = 0;
            for (size_t e = 0; e < n_ex; e++) {
                if (strncmp(names[i], ex[e].capture, strlen(ex[e].capture)) == 0 &&
                    strcmp(ex[e].src, r->o.src) == 0 && ex[e].sport == r->o.sport &&
                    strcmp(ex[e].dst, r->o.dst) == 0 && ex[e].dport == r->o.dport &&
                    ex[e].ssrc == r->o.ssrc)
                    ok = ex[e].used = 1;
            }
            excused += ok, failed += !ok;
            print_message("%s %s:%u > %s:%u 0x%08X%s:%s\n", names[i], r->o.src, r->o.sport,
                          r->o.dst, r->o.dport, r->o.ssrc, ok ? " (exception)" : "", why);
        }
        print_message("%-90s %u/%zu\n", names[i], cap_equal, cap.n_st);
        for (size_t k = 0; k < cap.n_st; k++)
            free(cap.st[k].pk);
    next:
        free(names[i]);
    }
    for (size_t e = 0; e < n_ex; e++)
        if (!ex[e].used)
            print_message("exception no longer needed: %s 0x%08X\n", ex[e].capture, ex[e].ssrc);
    print_message("rtp oracle: %u/%u streams equal, %u excepted, %u differ\n", equal, total,
                  excused, failed);
    assert_true(total > 0);
    assert_int_equal(failed, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
