/* scen.c — shared scenario parts: Ethernet sink, IP specs, TCP segments, and the base flows
 * (SIP OPTIONS RFC 3261 §11, TLS 1.2 hellos RFC 5246 §7.4.1, NTPv4 RFC 5905). */
#include "scen.h"

#include <stdio.h>
#include <string.h>

#include "audio.h"
#include "scen_sip.h"

const uint8_t scen_mac_host[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x0a};
const uint8_t scen_mac_gw[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x01};

void
scen_eth_write(struct writer *w, struct build *b, int dir, int64_t ts_ns)
{
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, dir == SCEN_TO_SERVER ? scen_mac_host : scen_mac_gw, 6);
    memcpy(e.dst, dir == SCEN_TO_SERVER ? scen_mac_gw : scen_mac_host, 6);
    build_eth(b, &e, (build_data(b)[0] >> 4) == 6 ? 0x86dd : 0x0800);
    build_pad(b, 60);
    writer_frame(w, ts_ns, build_data(b), b->len);
}

void
scen_eth_emit(struct scen_sink *s, struct build *b, int dir, int64_t ts_ns)
{
    scen_eth_write(s->w, b, dir, ts_ns);
}

struct ip_spec
scen_ip(const char *src, const char *dst, uint16_t id)
{
    struct build_addr s = build_addr(src), d = build_addr(dst);
    return scen_ip_addr(&s, &d, id);
}

struct ip_spec
scen_ip_addr(const struct build_addr *src, const struct build_addr *dst, uint16_t id)
{
    struct ip_spec ip;
    memset(&ip, 0, sizeof ip);
    ip.src = *src;
    ip.dst = *dst;
    ip.ttl = 64;
    ip.id = id;
    ip.df = ip.src.family == 4;
    return ip;
}

struct ip_spec
scen_ip_reply(const struct ip_spec *fwd, uint8_t ttl, uint16_t id)
{
    struct ip_spec ip = *fwd;
    ip.src = fwd->dst;
    ip.dst = fwd->src;
    ip.ttl = ttl;
    ip.id = id;
    return ip;
}

void
scen_tcp_build(struct build *b, struct scen_tcp *c, int dir, uint32_t rel_seq, uint32_t rel_ack,
               uint8_t flags, const void *data, uint32_t len)
{
    struct tcp_spec t;
    memset(&t, 0, sizeof t);
    t.sport = c->port[dir];
    t.dport = c->port[!dir];
    t.seq = c->isn[dir] + rel_seq;
    t.ack = (flags & 0x10) ? c->isn[!dir] + rel_ack : 0;
    t.flags = flags;
    t.win = c->win[dir];
    if (flags & 0x02) {
        t.win = 64240;
        build_tcp_syn_options(&t);
    }
    build_start(b, data, len);
    build_tcp(b, &c->ip[dir], &t);
    build_ip(b, &c->ip[dir], 6);
    c->ip[dir].id++;
}

struct scen_flows
scen_flows_default(int family, const char *client, int64_t t0)
{
    struct scen_flows f;
    memset(&f, 0, sizeof f);
    f.client = build_addr(client);
    f.sip = build_addr(family == 4 ? "192.0.2.10" : "2001:db8:2::10");
    f.web = build_addr(family == 4 ? "198.51.100.80" : "2001:db8:2::80");
    f.ntp = build_addr(family == 4 ? "203.0.113.123" : "2001:db8:2::123");
    f.tcp_sport = 49320;
    f.t0 = t0;
    f.which = SCEN_FLOW_ALL;
    return f;
}

uint32_t
scen_rtp(uint8_t *p, bool marker, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
    p[0] = 0x80; /* version 2, no padding, extension or CSRC */
    p[1] = (uint8_t)(marker ? 0x80 : 0x00);
    build_put16(p + 2, seq);
    build_put32(p + 4, ts);
    build_put32(p + 8, ssrc);
    audio_ulaw(p + 12, SCEN_RTP_LEN - 12, ts);
    return SCEN_RTP_LEN;
}

uint32_t
scen_tls_client_hello(uint8_t *p)
{
    static const char host[] = "www.example.com";
    uint32_t hl = sizeof host - 1, n = 0;
    static const uint8_t head[] = {0x16, 0x03, 0x01, 0, 0, 0x01, 0, 0, 0, 0x03, 0x03};
    memcpy(p, head, sizeof head);
    n = sizeof head;
    for (unsigned i = 0; i < 32; i++) /* client random: fixed bytes */
        p[n++] = (uint8_t)(0x5a ^ (i * 37));
    static const uint8_t mid[] = {0x00, 0x00, 0x06, 0x13, 0x01, 0xc0, 0x2f, 0xc0, 0x2b, 0x01, 0x00};
    memcpy(p + n, mid, sizeof mid); /* no session id, 3 suites, null compression */
    n += sizeof mid;
    build_put16(p + n, (uint16_t)(hl + 9)); /* extensions: server_name only */
    build_put16(p + n + 2, 0);
    build_put16(p + n + 4, (uint16_t)(hl + 5));
    build_put16(p + n + 6, (uint16_t)(hl + 3));
    p[n + 8] = 0;
    build_put16(p + n + 9, (uint16_t)hl);
    memcpy(p + n + 11, host, hl);
    n += 11 + hl;
    build_put16(p + 3, (uint16_t)(n - 5));
    p[6] = 0;
    build_put16(p + 7, (uint16_t)(n - 9));
    return n;
}

uint32_t
scen_tls_server_hello(uint8_t *p)
{
    static const uint8_t head[] = {0x16, 0x03, 0x03, 0x00, 0x2a, 0x02,
                                   0x00, 0x00, 0x26, 0x03, 0x03};
    memcpy(p, head, sizeof head);
    for (unsigned i = 0; i < 32; i++)
        p[11 + i] = (uint8_t)(0xa5 ^ (i * 53));
    p[43] = 0;    /* session id length */
    p[44] = 0xc0; /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
    p[45] = 0x2f;
    p[46] = 0; /* null compression */
    return 47;
}

/* An NTPv4 packet (mode 3 client or 4 server) with the given timestamps (ns since the Unix
 * epoch; 0 leaves a timestamp zero) into p; returns 48. */
static uint32_t
scen_ntp(uint8_t *p, int mode, const int64_t ts[4])
{
    memset(p, 0, 48);
    p[0] = (uint8_t)(4 << 3 | mode);
    p[2] = 6; /* poll 64 s */
    if (mode == 4) {
        p[1] = 2;                        /* stratum 2 */
        p[3] = 0xe9;                     /* precision 2^-23 */
        build_put32(p + 4, 0x00000120);  /* root delay 4.4 ms */
        build_put32(p + 8, 0x00000350);  /* root dispersion 13 ms */
        build_put32(p + 12, 0xc0000201); /* reference: 192.0.2.1 */
    } else {
        p[3] = 0xec; /* precision 2^-20 */
    }
    for (unsigned i = 0; i < 4; i++) {
        if (!ts[i])
            continue;
        uint64_t sec = (uint64_t)(ts[i] / SCEN_S) + 2208988800u; /* 1900 era */
        uint64_t frac = ((uint64_t)(ts[i] % SCEN_S) << 32) / 1000000000u;
        build_put32(p + 16 + 8 * i, (uint32_t)sec);
        build_put32(p + 20 + 8 * i, (uint32_t)frac);
    }
    return 48;
}

/* The TLS flow: handshake, hellos, FIN both ways (9 segments, client side capture). */
static unsigned
scen_flow_tls(struct scen_sink *s, const struct scen_flows *f, struct build *b, int64_t t)
{
    uint8_t ch[128], sh[64];
    uint32_t chl = scen_tls_client_hello(ch), shl = scen_tls_server_hello(sh);
    struct scen_tcp c;
    memset(&c, 0, sizeof c);
    c.ip[0] = scen_ip_addr(&f->client, &f->web, 0x3b00);
    c.ip[1] = scen_ip_reply(&c.ip[0], 52, 0);
    c.port[0] = f->tcp_sport;
    c.port[1] = 443;
    c.isn[0] = 0x1f2e3d4c;
    c.isn[1] = 0x90817263;
    c.win[0] = 502;
    c.win[1] = 509;
    /* dir, rel seq, rel ack, flags, data?, offset from t in µs */
    const struct {
        int dir;
        uint32_t seq, ack;
        uint8_t flags;
        int data;
        int64_t us;
    } seg[] = {
        {0, 0, 0, 0x02, 0, 0},
        {1, 0, 1, 0x12, 0, 20000},
        {0, 1, 1, 0x10, 0, 20100},
        {0, 1, 1, 0x18, 1, 20300},
        {1, 1, 1 + chl, 0x18, 2, 40500},
        {0, 1 + chl, 1 + shl, 0x10, 0, 40600},
        {0, 1 + chl, 1 + shl, 0x11, 0, 60000},
        {1, 1 + shl, 2 + chl, 0x11, 0, 80000},
        {0, 2 + chl, 2 + shl, 0x10, 0, 80100},
    };
    for (unsigned i = 0; i < sizeof seg / sizeof seg[0]; i++) {
        const uint8_t *d = seg[i].data == 1 ? ch : seg[i].data == 2 ? sh : NULL;
        uint32_t n = seg[i].data == 1 ? chl : seg[i].data == 2 ? shl : 0;
        scen_tcp_build(b, &c, seg[i].dir, seg[i].seq, seg[i].ack, seg[i].flags, d, n);
        s->emit(s, b, seg[i].dir, t + seg[i].us * 1000);
    }
    return sizeof seg / sizeof seg[0];
}

unsigned
scen_flows_emit(struct scen_sink *s, const struct scen_flows *f)
{
    struct build b;
    char text[1500];
    uint8_t ntp[48];
    unsigned n = 0;
    struct ip_spec up = scen_ip_addr(&f->client, &f->sip, 0x3a10);
    if (f->which & SCEN_FLOW_SIP) {
        struct ip_spec down = scen_ip_reply(&up, 55, 0x7c20);
        down.df = false;
        char cid[80], host[48];
        snprintf(cid, sizeof cid, "3f8e1c2a-%s@capgen", build_addr_text(&f->client, host, false));
        int len = scen_sip_options(text, sizeof text, 0, &f->client, &f->sip, cid);
        build_udp_packet(&b, &up, 5060, 5060, text, (uint32_t)len);
        s->emit(s, &b, SCEN_TO_SERVER, f->t0);
        len = scen_sip_options(text, sizeof text, 1, &f->client, &f->sip, cid);
        build_udp_packet(&b, &down, 5060, 5060, text, (uint32_t)len);
        s->emit(s, &b, SCEN_TO_CLIENT, f->t0 + 12 * SCEN_MS);
        up.id++;
        n += 2;
    }
    if (f->which & SCEN_FLOW_TLS)
        n += scen_flow_tls(s, f, &b, f->t0 + 100 * SCEN_MS);
    if (f->which & SCEN_FLOW_NTP) {
        int64_t t = f->t0 + 500 * SCEN_MS;
        up.dst = f->ntp;
        up.df = false;
        struct ip_spec down = scen_ip_reply(&up, 57, 0x0e41);
        int64_t req[4] = {0, 0, 0, t};
        build_udp_packet(&b, &up, 123, 123, ntp, scen_ntp(ntp, 3, req));
        s->emit(s, &b, SCEN_TO_SERVER, t);
        int64_t rsp[4] = {t - 1234 * SCEN_S / 10, t, t + 7 * SCEN_MS, t + 7 * SCEN_MS + 40000};
        build_udp_packet(&b, &down, 123, 123, ntp, scen_ntp(ntp, 4, rsp));
        s->emit(s, &b, SCEN_TO_CLIENT, t + 15 * SCEN_MS);
        n += 2;
    }
    return n;
}
