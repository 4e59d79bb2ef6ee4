/* bench_bg.c — background traffic of the benchmark: DNS A/AAAA lookups (RFC 1035, RFC 3596)
 * to the site resolver, and HTTPS connections (TCP RFC 9293, TLS 1.2 RFC 5246) to a web host. */
#include "bench_bg.h"

#include <string.h>

static const uint8_t mac_resolver[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x35};

/* A DNS query (or its answer) for sip.example.com of type qtype (1 A, 28 AAAA) into p;
 * returns its length. */
static uint32_t
bench_dns_msg(uint8_t *p, uint16_t id, uint16_t qtype, bool answer)
{
    static const uint8_t qname[] = "\003sip\007example\003com";
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
    memset(p, 0, 12);
    build_put16(p, id);
    build_put16(p + 2, answer ? 0x8180 : 0x0100); /* RD (+ QR, RA) */
    build_put16(p + 4, 1);
    build_put16(p + 6, answer ? 1 : 0);
    uint32_t n = 12;
    memcpy(p + n, qname, sizeof qname); /* with the root label's zero */
    n += sizeof qname;
    build_put16(p + n, qtype);
    build_put16(p + n + 2, 1);
    n += 4;
    if (!answer)
        return n;
    build_put16(p + n, 0xc00c); /* the name of the question */
    build_put16(p + n + 2, qtype);
    build_put16(p + n + 4, 1);
    build_put32(p + n + 6, 300);
    n += 10;
    if (qtype == 1) {
        static const uint8_t v4[4] = {192, 0, 2, 10};
        build_put16(p + n, 4);
        memcpy(p + n + 2, v4, 4);
        return n + 6;
    }
    build_put16(p + n, 16);
    memcpy(p + n + 2, v6, 16);
    return n + 18;
}

/* One DNS step: a query from a random phone, or the resolver's answer 1–3 ms later. */
static void
bench_dns(struct bench *b, int64_t t)
{
    uint8_t msg[128];
    struct build pkt;
    struct build_addr resolver = build_addr("10.0.0.53");
    struct bench_call *c;
    if (!b->dns_pending) {
        b->dns_phone = rng_below(&b->rng, BENCH_CALLS);
        b->dns_id = (uint16_t)rng_next(&b->rng);
        b->dns_port = (uint16_t)(32768 + rng_below(&b->rng, 28000));
        b->dns_type = rng_below(&b->rng, 2) ? 28 : 1;
        c = &b->calls[b->dns_phone];
        struct ip_spec ip = scen_ip_addr(&c->phone, &resolver, c->ipid++);
        build_udp_packet(&pkt, &ip, b->dns_port, 53, msg,
                         bench_dns_msg(msg, b->dns_id, b->dns_type, false));
        bench_eth_write(b, &pkt, c->mac, mac_resolver, t);
        b->dns_pending = true;
        bench_schedule(b, SRC_DNS, t + SCEN_MS + rng_below(&b->rng, 2000000));
        return;
    }
    c = &b->calls[b->dns_phone];
    struct ip_spec ip = scen_ip_addr(&resolver, &c->phone, b->dns_ipid++);
    build_udp_packet(&pkt, &ip, 53, b->dns_port, msg,
                     bench_dns_msg(msg, b->dns_id, b->dns_type, true));
    bench_eth_write(b, &pkt, mac_resolver, c->mac, t);
    b->dns_pending = false;
    bench_schedule(b, SRC_DNS, t + 10 * SCEN_MS + rng_below(&b->rng, 30000000));
}

/* The steps of one HTTPS connection: sender, TCP flags, what it carries, delay before. */
enum bench_data { DATA_NONE, DATA_CH, DATA_SH, DATA_APP };
static const struct {
    int dir;
    uint8_t flags;
    enum bench_data data;
    uint16_t len; /* application data bytes */
    uint32_t delay_us;
} https_step[] = {
    {0, 0x02, DATA_NONE, 0, 0},      {1, 0x12, DATA_NONE, 0, 15000},
    {0, 0x10, DATA_NONE, 0, 100},    {0, 0x18, DATA_CH, 0, 200},
    {1, 0x18, DATA_SH, 0, 15000},    {1, 0x10, DATA_APP, 1400, 100},
    {1, 0x18, DATA_APP, 900, 100},   {0, 0x10, DATA_NONE, 0, 200},
    {0, 0x18, DATA_APP, 420, 5000},  {1, 0x18, DATA_APP, 1400, 18000},
    {1, 0x18, DATA_APP, 700, 100},   {0, 0x10, DATA_NONE, 0, 200},
    {0, 0x11, DATA_NONE, 0, 100000}, {1, 0x11, DATA_NONE, 0, 15000},
    {0, 0x10, DATA_NONE, 0, 100},
};
#define HTTPS_STEPS (sizeof https_step / sizeof https_step[0])

/* Start a new HTTPS connection from a random phone to 198.51.100.80:443. */
static void
bench_https_new(struct bench *b)
{
    struct bench_https *h = &b->https;
    h->phone = rng_below(&b->rng, BENCH_CALLS);
    struct build_addr web = build_addr("198.51.100.80");
    memset(&h->c, 0, sizeof h->c);
    h->c.ip[0] = scen_ip_addr(&b->calls[h->phone].phone, &web, 0);
    h->c.ip[1] = scen_ip_reply(&h->c.ip[0], 53, (uint16_t)rng_next(&b->rng));
    h->c.port[0] = (uint16_t)(32768 + rng_below(&b->rng, 28000));
    h->c.port[1] = 443;
    h->c.isn[0] = (uint32_t)rng_next(&b->rng);
    h->c.isn[1] = (uint32_t)rng_next(&b->rng);
    h->c.win[0] = 502;
    h->c.win[1] = 501;
    h->next[0] = h->next[1] = 0;
    h->step = 0;
}

/* Send the due step of the HTTPS connection and schedule the next (or the next connection). */
static void
bench_https(struct bench *b, int64_t t)
{
    struct bench_https *h = &b->https;
    struct bench_call *c = &b->calls[h->phone];
    uint8_t data[1500];
    uint32_t n = 0;
    int dir = https_step[h->step].dir;
    switch (https_step[h->step].data) {
    case DATA_NONE:
        break;
    case DATA_CH:
        n = scen_tls_client_hello(data);
        break;
    case DATA_SH:
        n = scen_tls_server_hello(data);
        break;
    case DATA_APP: /* a TLS application data record of random-looking ciphertext */
        n = https_step[h->step].len;
        data[0] = 0x17;
        data[1] = data[2] = 0x03;
        build_put16(data + 3, (uint16_t)(n - 5));
        for (uint32_t i = 5; i < n; i += 8) {
            uint64_t r = rng_next(&b->rng);
            for (uint32_t k = 0; k < 8 && i + k < n; k++)
                data[i + k] = (uint8_t)(r >> (8 * k));
        }
        break;
    }
    uint8_t flags = https_step[h->step].flags;
    h->c.ip[0].id = c->ipid; /* the phone's counter, shared with its other traffic */
    struct build pkt;
    scen_tcp_build(&pkt, &h->c, dir, h->next[dir], h->next[!dir], flags, data, n);
    c->ipid = h->c.ip[0].id;
    bench_eth_write(b, &pkt, dir ? scen_mac_gw : c->mac, dir ? c->mac : scen_mac_gw, t);
    h->next[dir] += n + ((flags & 0x03) ? 1 : 0); /* SYN and FIN take a sequence number */
    if (++h->step < HTTPS_STEPS) {
        bench_schedule(b, SRC_HTTPS, t + https_step[h->step].delay_us * 1000);
        return;
    }
    bench_https_new(b);
    bench_schedule(b, SRC_HTTPS, t + 300 * SCEN_MS + rng_below(&b->rng, 500000000));
}

void
bench_bg_init(struct bench *b)
{
    b->dns_ipid = 0x3500;
    bench_https_new(b);
    bench_schedule(b, SRC_DNS, BENCH_T0_NS + 7 * SCEN_MS);
    bench_schedule(b, SRC_HTTPS, BENCH_T0_NS + 50 * SCEN_MS);
}

void
bench_bg_event(struct bench *b, uint32_t src, int64_t t)
{
    if (src == SRC_DNS)
        bench_dns(b, t);
    else
        bench_https(b, t);
}
