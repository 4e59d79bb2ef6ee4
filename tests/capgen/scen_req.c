/* scen_req.c — req-*.pcap: TCP handshakes answered, dropped (RFC 9293 §3.8.1 retries), reset
 * and ICMP-prohibited (RFC 1812 §5.2.7.1); NTP (RFC 5905) answered or not; TeamViewer on 5938
 * and over 443; SIP inside and outside the lab's provider blocks. Client 10.0.0.10. */
#include <pcap/pcap.h>
#include <string.h>

#include "scen.h"
#include "scen_req.h"

#define CLIENT "10.0.0.10"

/* A whole TCP exchange: handshake, rounds × (request, response), FIN both ways. */
static void
req_tcp_rounds(struct writer *w, const char *dst, uint16_t sport, uint16_t dport, const void *req,
               uint32_t req_len, const void *rsp, uint32_t rsp_len, int rounds, int64_t t)
{
    struct build b;
    struct scen_tcp c = {{scen_ip(CLIENT, dst, 0x1000), scen_ip(dst, CLIENT, 0x7000)},
                         {sport, dport},
                         {0x10000000u + sport, 0x70000000u + dport},
                         {502, 509}};
    c.ip[1].ttl = 55;
    const int64_t ms = SCEN_MS;
    uint32_t cs = 1, ss = 1; /* next relative sequence number of each side */
    scen_tcp_build(&b, &c, SCEN_TO_SERVER, 0, 0, 0x02, NULL, 0);
    scen_eth_write(w, &b, SCEN_TO_SERVER, t);
    scen_tcp_build(&b, &c, SCEN_TO_CLIENT, 0, 1, 0x12, NULL, 0);
    scen_eth_write(w, &b, SCEN_TO_CLIENT, t + 20 * ms);
    scen_tcp_build(&b, &c, SCEN_TO_SERVER, 1, 1, 0x10, NULL, 0);
    scen_eth_write(w, &b, SCEN_TO_SERVER, t + 20 * ms + 100000);
    t += 21 * ms;
    for (int i = 0; i < rounds; i++) {
        scen_tcp_build(&b, &c, SCEN_TO_SERVER, cs, ss, 0x18, req, req_len);
        scen_eth_write(w, &b, SCEN_TO_SERVER, t);
        cs += req_len;
        scen_tcp_build(&b, &c, SCEN_TO_CLIENT, ss, cs, 0x18, rsp, rsp_len);
        scen_eth_write(w, &b, SCEN_TO_CLIENT, t + 24 * ms);
        ss += rsp_len;
        t += 25 * ms;
    }
    scen_tcp_build(&b, &c, SCEN_TO_SERVER, cs, ss, 0x11, NULL, 0);
    scen_eth_write(w, &b, SCEN_TO_SERVER, t);
    scen_tcp_build(&b, &c, SCEN_TO_CLIENT, ss, cs + 1, 0x11, NULL, 0);
    scen_eth_write(w, &b, SCEN_TO_CLIENT, t + 20 * ms);
    scen_tcp_build(&b, &c, SCEN_TO_SERVER, cs + 1, ss + 1, 0x10, NULL, 0);
    scen_eth_write(w, &b, SCEN_TO_SERVER, t + 20 * ms + 100000);
}

/* A connection attempt of n SYNs (Linux: 1 s apart, then doubling). how: 0 nothing comes
 * back, 1 RST/ACK from the server's address, 2 ICMP admin-prohibited from 203.0.113.1. */
static void
req_tcp_fail(struct writer *w, const char *dst, uint16_t sport, uint16_t dport, int n, int how,
             int64_t t)
{
    struct build b, e;
    struct scen_tcp c = {{scen_ip(CLIENT, dst, 0x2000), scen_ip(dst, CLIENT, 0)},
                         {sport, dport},
                         {0x20000000u + sport, 0},
                         {502, 0}};
    struct ip_spec fw = scen_ip("203.0.113.1", CLIENT, 0x9a00);
    fw.ttl = 63;
    fw.df = false;
    int64_t gap = SCEN_S;
    for (int i = 0; i < n; i++) {
        uint8_t copy[128];
        scen_tcp_build(&b, &c, SCEN_TO_SERVER, 0, 0, 0x02, NULL, 0);
        uint32_t n_copy = b.len;
        memcpy(copy, build_data(&b), n_copy); /* the IP packet, before the link header */
        copy[8]--;                            /* one hop on: the firewall quotes it so */
        build_ipv4_fix_checksum(copy);
        scen_eth_write(w, &b, SCEN_TO_SERVER, t);
        if (how == 1) {
            struct tcp_spec r = {
                .sport = dport, .dport = sport, .seq = 0, .ack = c.isn[0] + 1, .flags = 0x14};
            build_start(&e, NULL, 0);
            build_tcp(&e, &c.ip[1], &r);
            build_ip(&e, &c.ip[1], 6);
            scen_eth_write(w, &e, SCEN_TO_CLIENT, t + SCEN_MS);
        } else if (how == 2) {
            build_icmp_error(&e, &fw, 3, 13, 0, copy, n_copy, 28);
            fw.id++;
            scen_eth_write(w, &e, SCEN_TO_CLIENT, t + SCEN_MS);
        }
        t += gap;
        if (i >= 3)
            gap *= 2;
    }
}

/* NTPv4 packets (RFC 5905 §7.3): n requests from CLIENT:sport to dst:123, answered when
 * answer (server mode 4, stratum 2). */
static void
req_ntp(struct writer *w, const char *dst, uint16_t sport, int n, bool answer, int64_t t)
{
    struct build b;
    uint8_t p[48];
    struct ip_spec up = scen_ip(CLIENT, dst, 0x3000), down = scen_ip(dst, CLIENT, 0x3800);
    down.ttl = 57;
    for (int i = 0; i < n; i++) {
        memset(p, 0, sizeof(p));
        p[0] = 0x23;                                    /* LI 0, version 4, mode 3 (client) */
        build_put32(p + 40, 0xe9a1b2c0u + (uint32_t)i); /* transmit timestamp, seconds */
        build_udp_packet(&b, &up, sport, 123, p, sizeof(p));
        up.id++;
        scen_eth_write(w, &b, SCEN_TO_SERVER, t);
        if (answer) {
            uint8_t q[48];
            memcpy(q, p, sizeof(q));
            q[0] = 0x24;               /* mode 4 (server) */
            q[1] = 2;                  /* stratum */
            memcpy(q + 24, p + 40, 8); /* origin = the client's transmit */
            build_put32(q + 32, 0xe9a1b2c0u + (uint32_t)i);
            build_put32(q + 40, 0xe9a1b2c0u + (uint32_t)i);
            build_udp_packet(&b, &down, 123, sport, q, sizeof(q));
            down.id++;
            scen_eth_write(w, &b, SCEN_TO_CLIENT, t + 15 * SCEN_MS);
        }
        t += 2 * SCEN_S;
    }
}

/* A SIP OPTIONS from CLIENT:5060 to dst:5060, answered with 200 OK when answer. */
static void
req_sip(struct writer *w, const char *dst, bool answer, int64_t t)
{
    char msg[512];
    struct build b;
    struct ip_spec up = scen_ip(CLIENT, dst, 0x4000), down = scen_ip(dst, CLIENT, 0x4800);
    down.ttl = 52;
    int n = snprintf(msg, sizeof(msg),
                     "OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP " CLIENT ":5060;branch=z9hG4bK"
                     "req1\r\nMax-Forwards: 70\r\nFrom: <sip:100@" CLIENT ">;tag=r1\r\n"
                     "To: <sip:%s>\r\nCall-ID: req-%s@capgen\r\nCSeq: 1 OPTIONS\r\n"
                     "Content-Length: 0\r\n\r\n",
                     dst, dst, dst);
    build_udp_packet(&b, &up, 5060, 5060, msg, (uint32_t)n);
    scen_eth_write(w, &b, SCEN_TO_SERVER, t);
    if (!answer)
        return;
    n = snprintf(msg, sizeof(msg),
                 "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP " CLIENT ":5060;branch=z9hG4bKreq1\r\n"
                 "From: <sip:100@" CLIENT ">;tag=r1\r\nTo: <sip:%s>;tag=s1\r\n"
                 "Call-ID: req-%s@capgen\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
                 dst, dst);
    build_udp_packet(&b, &down, 5060, 5060, msg, (uint32_t)n);
    scen_eth_write(w, &b, SCEN_TO_CLIENT, t + 12 * SCEN_MS);
}

static const char http_get[] = "GET /cfg/00005e00530a.cfg HTTP/1.1\r\n"
                               "Host: provisioning.example.com\r\nUser-Agent: capgen-phone\r\n"
                               "Accept: */*\r\n\r\n";
static const char http_ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 2\r\n\r\nok";

/* TeamViewer's own framing as nDPI 4.2 recognises it (0x17 0x24 client, 0x11 0x30 server;
 * four such segments off port 5938). */
static void
req_teamviewer(struct writer *w, const char *dst, uint16_t sport, uint16_t dport, int64_t t)
{
    uint8_t req[24] = {0x17, 0x24, 0x0a, 0x20, 0x00, 0x10}, rsp[24] = {0x11, 0x30, 0x0a, 0x20};
    req_tcp_rounds(w, dst, sport, dport, req, sizeof(req), rsp, sizeof(rsp), 3, t);
}

int
scen_req(const char *path, int arg, char *err, size_t errlen)
{
    struct writer w;
    const int64_t t = SCEN_T0_NS;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    switch ((enum scen_req)arg) {
    case SCEN_REQ_HTTP_PASS:
        req_tcp_rounds(&w, "198.51.100.80", 49400, 80, http_get, sizeof(http_get) - 1, http_ok,
                       sizeof(http_ok) - 1, 1, t);
        break;
    case SCEN_REQ_HTTP_SYN_DROP:
        req_tcp_fail(&w, "198.51.100.80", 49401, 80, 5, 0, t);
        break;
    case SCEN_REQ_HTTPS_RST:
        req_tcp_fail(&w, "198.51.100.80", 49402, 443, 1, 1, t);
        req_tcp_fail(&w, "198.51.100.80", 49403, 443, 1, 1, t + SCEN_S);
        break;
    case SCEN_REQ_HTTPS_ICMP_ADMIN:
        req_tcp_fail(&w, "198.51.100.80", 49404, 443, 2, 2, t);
        break;
    case SCEN_REQ_NTP_PASS:
        req_ntp(&w, "203.0.113.123", 123, 2, true, t);
        break;
    case SCEN_REQ_NTP_UNANSWERED:
        req_ntp(&w, "203.0.113.123", 41230, 3, false, t);
        break;
    case SCEN_REQ_REMOTE_PASS:
        req_teamviewer(&w, "198.51.100.59", 49410, 5938, t);
        break;
    case SCEN_REQ_REMOTE_DEGRADED:
        req_tcp_fail(&w, "198.51.100.59", 49411, 5938, 3, 0, t);
        req_teamviewer(&w, "198.51.100.59", 49412, 443, t + 10 * SCEN_S);
        break;
    case SCEN_REQ_REMOTE_BLOCKED:
        req_tcp_fail(&w, "198.51.100.59", 49413, 5938, 3, 2, t);
        break;
    case SCEN_REQ_IPBLOCKS_PASS:
        req_sip(&w, "192.0.2.10", true, t);
        break;
    case SCEN_REQ_IPBLOCKS_UNREACHABLE:
        req_sip(&w, "192.0.2.10", false, t);
        req_tcp_fail(&w, "198.51.100.80", 49420, 443, 1, 1, t + SCEN_S);
        break;
    case SCEN_REQ_IPBLOCKS_SIP_OUTSIDE:
        req_sip(&w, "203.0.113.50", true, t);
        break;
    }
    return writer_close(&w, err, errlen);
}
