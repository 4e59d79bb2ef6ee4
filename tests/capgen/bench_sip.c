/* bench_sip.c — the SIP benchmark capture: registrations with digest challenges (RFC 3261 §10,
 * §22), OPTIONS pings (§11), calls with SDP offer/answer (RFC 3264), CANCEL (§9) and 486, over
 * UDP and a share over TCP (§18.3); phone state machines merged in time order by a binary heap. */
#include "bench_sip.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "scen.h"
#include "sip_text.h"

#define BENCH_SIP_PHONES 4000
#define BENCH_SIP_T0_NS (1709636400LL * 1000000000LL) /* 2024-03-05T11:00:00Z */
#define BENCH_SIP_TCP_EVERY 10                        /* one phone in ten uses TCP */

enum act {
    ACT_IDLE,
    ACT_REGISTER,
    ACT_OPTIONS,
    ACT_CALL,
    ACT_CANCEL,
    ACT_BUSY,
};

/* One phone: its identity, transport and the exchange in progress. */
struct phone {
    struct build_addr ip;
    char ip_text[24], user[8];
    uint8_t mac[6];
    bool tcp, connected;
    struct scen_tcp conn;
    uint32_t seq[2]; /* next relative sequence number per direction */
    uint16_t ipid;
    uint32_t reg_cseq, serial;
    enum act act;
    int step;
    char call_id[48], from_tag[16], to_tag[16], branch[24], peer[16];
    uint16_t rtp;
};

struct bench_sip {
    struct writer w;
    struct rng rng;
    struct build_addr proxy;
    uint16_t proxy_ipid;
    struct bench_sip_stats st;
    int64_t last_ts;
    struct phone phone[BENCH_SIP_PHONES];
    uint32_t heap[BENCH_SIP_PHONES], pos[BENCH_SIP_PHONES];
    int64_t key[BENCH_SIP_PHONES];
};

static bool
sheap_less(const struct bench_sip *b, uint32_t x, uint32_t y)
{
    return b->key[x] < b->key[y] || (b->key[x] == b->key[y] && x < y);
}

static void
sheap_swap(struct bench_sip *b, uint32_t i, uint32_t j)
{
    uint32_t x = b->heap[i], y = b->heap[j];
    b->heap[i] = y;
    b->heap[j] = x;
    b->pos[y] = i;
    b->pos[x] = j;
}

/* Phone p's next event is at t. */
static void
sheap_set(struct bench_sip *b, uint32_t p, int64_t t)
{
    b->key[p] = t;
    uint32_t i = b->pos[p];
    while (i > 0 && sheap_less(b, b->heap[i], b->heap[(i - 1) / 2])) {
        sheap_swap(b, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        uint32_t l = 2 * i + 1, m = i;
        if (l < BENCH_SIP_PHONES && sheap_less(b, b->heap[l], b->heap[m]))
            m = l;
        if (l + 1 < BENCH_SIP_PHONES && sheap_less(b, b->heap[l + 1], b->heap[m]))
            m = l + 1;
        if (m == i)
            break;
        sheap_swap(b, i, m);
        i = m;
    }
}

/* Write one frame of p's traffic (up: from the phone) with Ethernet around pkt. */
static void
frame_out(struct bench_sip *b, struct phone *p, struct build *pkt, bool up, int64_t t)
{
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, up ? p->mac : scen_mac_gw, 6);
    memcpy(e.dst, up ? scen_mac_gw : p->mac, 6);
    build_eth(pkt, &e, 0x0800);
    build_pad(pkt, 60);
    writer_frame(&b->w, t, build_data(pkt), pkt->len);
    b->st.packets++;
    b->last_ts = t;
}

/* The TCP handshake of p's connection to the proxy, ending just before t. */
static void
tcp_open(struct bench_sip *b, struct phone *p, int64_t t)
{
    struct build pkt;
    scen_tcp_build(&pkt, &p->conn, 0, 0, 0, 0x02, NULL, 0);
    frame_out(b, p, &pkt, true, t - 3 * SCEN_MS);
    scen_tcp_build(&pkt, &p->conn, 1, 0, 1, 0x12, NULL, 0);
    frame_out(b, p, &pkt, false, t - 2 * SCEN_MS);
    scen_tcp_build(&pkt, &p->conn, 0, 1, 1, 0x10, NULL, 0);
    frame_out(b, p, &pkt, true, t - 1 * SCEN_MS);
    p->seq[0] = p->seq[1] = 1;
    p->connected = true;
}

/* Send SIP text m of length n between p and the proxy (up: from the phone) at t. */
static void
send_text(struct bench_sip *b, struct phone *p, const char *m, int n, bool up, int64_t t)
{
    struct build pkt;
    if (n <= 0)
        return;
    if (p->tcp) {
        if (!p->connected)
            tcp_open(b, p, t);
        int d = up ? 0 : 1;
        scen_tcp_build(&pkt, &p->conn, d, p->seq[d], p->seq[!d], 0x18, m, (uint32_t)n);
        p->seq[d] += (uint32_t)n;
        b->st.tcp_messages++;
    } else {
        struct ip_spec ip = up ? scen_ip_addr(&p->ip, &b->proxy, p->ipid++)
                               : scen_ip_addr(&b->proxy, &p->ip, b->proxy_ipid++);
        ip.ttl = up ? 64 : 58;
        ip.df = up;
        build_udp_packet(&pkt, &ip, 5060, 5060, m, (uint32_t)n);
    }
    frame_out(b, p, &pkt, up, t);
    b->st.messages++;
}

/* A message of p's current exchange: request method (NULL: a response code/reason), CSeq. */
static void
sip_out(struct bench_sip *b, struct phone *p, bool up, const char *method, int code,
        const char *reason, uint32_t cseq, const char *cseq_method, const char *branch_sfx,
        bool to_tag, const char *extra, const char *sdp_addr, int64_t t)
{
    char text[4096], body[2048], via_host[32], from[64], to[64], contact[96], ruri[96], branch[48],
        via_extra[64];
    const char *tr = p->tcp ? "TCP" : "UDP";
    bool from_phone_dialog = p->act != ACT_OPTIONS; /* OPTIONS are sent by the proxy */
    snprintf(via_host, sizeof via_host, "%s", from_phone_dialog ? p->ip_text : "192.0.2.10");
    snprintf(branch, sizeof branch, "z9hG4bK%s%s", p->branch, branch_sfx);
    if (p->act == ACT_REGISTER || p->act == ACT_OPTIONS) {
        snprintf(from, sizeof from, "<sip:%s@example.com>",
                 p->act == ACT_OPTIONS ? "proxy" : p->user);
        snprintf(to, sizeof to, "<sip:%s@example.com>", p->user);
    } else {
        snprintf(from, sizeof from, "\"%s\" <sip:%s@example.com>", p->user, p->user);
        snprintf(to, sizeof to, "<sip:%s@example.com>", p->peer);
    }
    snprintf(contact, sizeof contact, "sip:%s@%s:5060%s", up ? p->user : p->peer,
             up ? p->ip_text : "192.0.2.10", p->tcp ? ";transport=tcp" : "");
    if (p->act == ACT_REGISTER)
        snprintf(ruri, sizeof ruri, "sip:example.com");
    else if (p->act == ACT_OPTIONS)
        snprintf(ruri, sizeof ruri, "sip:%s@%s:5060", p->user, p->ip_text);
    else
        snprintf(ruri, sizeof ruri, "sip:%s@example.com", p->peer);
    snprintf(via_extra, sizeof via_extra, ";received=%s;rport=5060", p->ip_text);
    struct sip_msg m = {
        .method = method,
        .ruri = ruri,
        .status = code,
        .reason = reason,
        .transport = tr,
        .via_host = via_host,
        .via_port = 5060,
        .branch = branch,
        .via_extra = method                  ? ";rport"
                     : p->act == ACT_OPTIONS ? NULL
                                             : via_extra,
        .from = from,
        .from_tag = p->from_tag,
        .to = to,
        .to_tag = to_tag ? p->to_tag : NULL,
        .call_id = p->call_id,
        .cseq = cseq,
        .cseq_method = cseq_method,
        .contact = (method && strcmp(method, "INVITE") == 0) || code == 200 || code == 180 ||
                           (method && strcmp(method, "REGISTER") == 0)
                       ? contact
                       : NULL,
        .user_agent = up ? "Yealink SIP-T46U 108.86.0.90" : "Asterisk PBX 20.5.0",
        .extra = extra,
    };
    if (sdp_addr) {
        struct sdp_spec s = {
            .user = up ? p->user : "gw",
            .sess_id = 100000 + p->serial,
            .addr = sdp_addr,
            .port = up ? p->rtp : (uint16_t)(20000 + 2 * (p->serial % 20000)),
            .codecs = up ? "0 8 9 18 101" : "0 101",
        };
        if (sdp_text_format(body, sizeof body, &s) > 0) {
            m.content_type = "application/sdp";
            m.body = body;
        }
    }
    send_text(b, p, text, sip_text_format(text, sizeof text, &m), up, t);
}

/* Fresh identifiers for p's next exchange. */
static void
exchange_new(struct bench_sip *b, struct phone *p, enum act a)
{
    p->act = a;
    p->step = 0;
    p->serial++;
    snprintf(p->call_id, sizeof p->call_id, "%08x-%u@%s", (unsigned)rng_next(&b->rng),
             (unsigned)p->serial, p->ip_text);
    snprintf(p->from_tag, sizeof p->from_tag, "%08x", (unsigned)rng_next(&b->rng));
    snprintf(p->to_tag, sizeof p->to_tag, "as%08x", (unsigned)rng_next(&b->rng));
    snprintf(p->branch, sizeof p->branch, "%010llx",
             (unsigned long long)(rng_next(&b->rng) & 0xffffffffffULL));
    snprintf(p->peer, sizeof p->peer, "%u", 1000 + rng_below(&b->rng, 9000));
    p->rtp = (uint16_t)(16384 + 2 * (p->serial % 4096));
}

static const char *const allow = "Allow: INVITE, ACK, CANCEL, BYE, REFER, OPTIONS, NOTIFY, INFO\r\n"
                                 "Supported: replaces, timer\r\n";
static const char *const auth =
    "Authorization: Digest username=\"%s\", realm=\"example.com\", nonce=\"5f2a9c1b7d3e\", "
    "uri=\"sip:example.com\", response=\"0e7f1c5a2b9d4e6f8a1c3b5d7e9f1a2c\", algorithm=MD5\r\n"
    "Expires: 300\r\n";

/* Run p's next step at t; returns the delay to the step after, or -1 when the exchange is over. */
static int64_t
step(struct bench_sip *b, struct phone *p, int64_t t)
{
    char hdr[512];
    const char *gw = "203.0.113.40";
    int s = p->step++;
    switch (p->act) {
    case ACT_REGISTER:
        switch (s) {
        case 0:
            sip_out(b, p, true, "REGISTER", 0, NULL, ++p->reg_cseq, NULL, ".1", false,
                    "Expires: 300\r\n", NULL, t);
            return 2 * SCEN_MS + rng_below(&b->rng, 3000000);
        case 1:
            sip_out(b, p, false, NULL, 401, "Unauthorized", p->reg_cseq, "REGISTER", ".1", true,
                    "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"5f2a9c1b7d3e\", "
                    "algorithm=MD5, qop=\"auth\"\r\n",
                    NULL, t);
            return 5 * SCEN_MS + rng_below(&b->rng, 20000000);
        case 2:
            snprintf(hdr, sizeof hdr, auth, p->user);
            sip_out(b, p, true, "REGISTER", 0, NULL, ++p->reg_cseq, NULL, ".2", false, hdr, NULL,
                    t);
            return 2 * SCEN_MS + rng_below(&b->rng, 3000000);
        default:
            sip_out(b, p, false, NULL, 200, "OK", p->reg_cseq, "REGISTER", ".2", true,
                    "Expires: 300\r\n", NULL, t);
            b->st.registrations++;
            return -1;
        }
    case ACT_OPTIONS:
        if (s == 0) {
            sip_out(b, p, false, "OPTIONS", 0, NULL, 1, NULL, ".o", false, NULL, NULL, t);
            return 1 * SCEN_MS + rng_below(&b->rng, 5000000);
        }
        sip_out(b, p, true, NULL, 200, "OK", 1, "OPTIONS", ".o", true, allow, NULL, t);
        b->st.options++;
        return -1;
    case ACT_CALL:
    case ACT_CANCEL:
    case ACT_BUSY:
        break;
    default:
        return -1;
    }
    bool cancel = p->act == ACT_CANCEL, busy = p->act == ACT_BUSY;
    switch (s) {
    case 0:
        sip_out(b, p, true, "INVITE", 0, NULL, 1, NULL, ".1", false, allow, p->ip_text, t);
        return 2 * SCEN_MS + rng_below(&b->rng, 3000000);
    case 1:
        sip_out(b, p, false, NULL, 100, "Trying", 1, "INVITE", ".1", false, NULL, NULL, t);
        return 100 * SCEN_MS + rng_below(&b->rng, 900000000);
    case 2:
        if (busy) {
            sip_out(b, p, false, NULL, 486, "Busy Here", 1, "INVITE", ".1", true, NULL, NULL, t);
            p->step = 10; /* the ACK to the failure */
            return 2 * SCEN_MS;
        }
        sip_out(b, p, false, NULL, 180, "Ringing", 1, "INVITE", ".1", true, NULL, NULL, t);
        return SCEN_S + rng_below(&b->rng, 4000000000u);
    case 3:
        if (cancel) {
            sip_out(b, p, true, "CANCEL", 0, NULL, 1, NULL, ".1", false, NULL, NULL, t);
            p->step = 20;
            return 2 * SCEN_MS;
        }
        sip_out(b, p, false, NULL, 200, "OK", 1, "INVITE", ".1", true, allow, gw, t);
        return 3 * SCEN_MS + rng_below(&b->rng, 10000000);
    case 4:
        sip_out(b, p, true, "ACK", 0, NULL, 1, NULL, ".2", true, NULL, NULL, t);
        return 20 * SCEN_S + (int64_t)rng_below(&b->rng, 100000) * SCEN_MS;
    case 5:
        sip_out(b, p, true, "BYE", 0, NULL, 2, NULL, ".3", true, NULL, NULL, t);
        return 10 * SCEN_MS + rng_below(&b->rng, 20000000);
    case 6:
        sip_out(b, p, false, NULL, 200, "OK", 2, "BYE", ".3", true, NULL, NULL, t);
        b->st.calls++;
        return -1;
    case 10: /* ACK of 486 (same branch as the INVITE, §17.1.1.3) */
        sip_out(b, p, true, "ACK", 0, NULL, 1, NULL, ".1", true, NULL, NULL, t);
        b->st.busy++;
        return -1;
    case 20:
        sip_out(b, p, false, NULL, 200, "OK", 1, "CANCEL", ".1", true, NULL, NULL, t);
        return 1 * SCEN_MS;
    case 21:
        sip_out(b, p, false, NULL, 487, "Request Terminated", 1, "INVITE", ".1", true, NULL, NULL,
                t);
        return 2 * SCEN_MS;
    default:
        sip_out(b, p, true, "ACK", 0, NULL, 1, NULL, ".1", true, NULL, NULL, t);
        b->st.cancels++;
        return -1;
    }
}

/* The next exchange of an idle phone: 30 % register, 30 % pinged, 30 % call, 5 % cancel, 5 %
 * busy, after a pause. */
static int64_t
pick(struct bench_sip *b, struct phone *p)
{
    uint32_t r = rng_below(&b->rng, 100);
    exchange_new(b, p,
                 r < 30   ? ACT_REGISTER
                 : r < 60 ? ACT_OPTIONS
                 : r < 90 ? ACT_CALL
                 : r < 95 ? ACT_CANCEL
                          : ACT_BUSY);
    return SCEN_S + (int64_t)rng_below(&b->rng, 20000) * SCEN_MS;
}

int
bench_sip_write(const char *path, uint64_t size, struct bench_sip_stats *st, char *err,
                size_t errlen)
{
    struct bench_sip *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    b->rng.s = 0x7369702d62656e63ULL; /* "sip-benc" */
    b->proxy = build_addr("192.0.2.10");
    b->proxy_ipid = 0x2000;
    for (uint32_t i = 0; i < BENCH_SIP_PHONES; i++) {
        struct phone *p = &b->phone[i];
        snprintf(p->ip_text, sizeof p->ip_text, "10.2.%u.%u", i / 250, i % 250 + 1);
        p->ip = build_addr(p->ip_text);
        snprintf(p->user, sizeof p->user, "%u", 3000 + i);
        p->mac[0] = 0x02;
        memcpy(p->mac + 2, p->ip.a, 4);
        p->ipid = (uint16_t)(i * 131);
        p->tcp = i % BENCH_SIP_TCP_EVERY == BENCH_SIP_TCP_EVERY - 1;
        if (p->tcp) {
            p->conn.ip[0] = scen_ip_addr(&p->ip, &b->proxy, p->ipid);
            p->conn.ip[1] = scen_ip_addr(&b->proxy, &p->ip, (uint16_t)(i * 17));
            p->conn.ip[1].ttl = 58;
            p->conn.ip[1].df = false;
            p->conn.port[0] = (uint16_t)(40000 + i);
            p->conn.port[1] = 5060;
            p->conn.isn[0] = (uint32_t)rng_next(&b->rng);
            p->conn.isn[1] = (uint32_t)rng_next(&b->rng);
            p->conn.win[0] = 502;
            p->conn.win[1] = 1024;
        }
        /* everyone registers first, spread over the first 20 s */
        exchange_new(b, p, ACT_REGISTER);
        b->heap[i] = b->pos[i] = i;
        b->key[i] = INT64_MAX;
    }
    for (uint32_t i = 0; i < BENCH_SIP_PHONES; i++)
        sheap_set(b, i, BENCH_SIP_T0_NS + (int64_t)rng_below(&b->rng, 20000) * SCEN_MS);
    if (writer_open(&b->w, path, DLT_EN10MB, false, 262144, err, errlen) != 0) {
        free(b);
        return -1;
    }
    uint32_t busy = BENCH_SIP_PHONES; /* phones in an exchange */
    while (busy > 0) {
        uint32_t i = b->heap[0];
        int64_t t = b->key[i];
        struct phone *p = &b->phone[i];
        if (p->act == ACT_IDLE) {
            if (b->w.bytes >= size) { /* full: let this phone rest for good */
                sheap_set(b, i, INT64_MAX);
                busy--;
                continue;
            }
            sheap_set(b, i, t + pick(b, p));
            continue;
        }
        int64_t d = step(b, p, t);
        if (d < 0) {
            p->act = ACT_IDLE;
            if (b->w.bytes >= size) {
                sheap_set(b, i, INT64_MAX);
                busy--;
                continue;
            }
            d = 0;
        }
        sheap_set(b, i, t + d);
    }
    b->st.bytes = b->w.bytes;
    b->st.span_ns = b->last_ts - BENCH_SIP_T0_NS;
    int rc = writer_close(&b->w, err, errlen);
    *st = b->st;
    free(b);
    return rc;
}
