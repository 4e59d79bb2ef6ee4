/* scen_tcp.c — tcp-reassembly.pcap: SIP over TCP (RFC 3261 §18.3) with out-of-order,
 * retransmitted, overlapping and missing segments (RFC 9293 §3.10.7.4 sequence rules); an
 * unanswered SYN retried after 1, 2 and 4 s (RFC 6298 §5); a SYN refused by RST. */
#include <pcap/pcap.h>
#include <string.h>

#include "scen.h"
#include "scen_sip.h"

#define ACK 0x10
#define PSHACK 0x18

/* Segment bytes [from, to) of message msg, which starts at relative sequence base, from
 * direction dir of c, written at t. */
static void
scen_tcp_part(struct writer *w, struct scen_tcp *c, int dir, uint32_t base, uint32_t ack,
              const char *msg, uint32_t from, uint32_t to, int64_t t)
{
    struct build b;
    scen_tcp_build(&b, c, dir, base + from, ack, PSHACK, msg + from, to - from);
    scen_eth_write(w, &b, dir, t);
}

/* A segment without data (SYN, ACK, FIN, RST …) from direction dir of c at t. */
static void
scen_tcp_ctl(struct writer *w, struct scen_tcp *c, int dir, uint32_t seq, uint32_t ack,
             uint8_t flags, int64_t t)
{
    struct build b;
    scen_tcp_build(&b, c, dir, seq, ack, flags, NULL, 0);
    scen_eth_write(w, &b, dir, t);
}

/* A TCP connection from 10.0.0.10:sport to dst:dport with fixed ISNs. */
static struct scen_tcp
scen_tcp_conn(uint16_t sport, const char *dst, uint16_t dport)
{
    struct scen_tcp c;
    memset(&c, 0, sizeof c);
    c.ip[0] = scen_ip("10.0.0.10", dst, (uint16_t)(0x4000 + sport % 1000 * 16));
    c.ip[1] = scen_ip_reply(&c.ip[0], 54, 0x6e00);
    c.port[0] = sport;
    c.port[1] = dport;
    c.isn[0] = 0x6a1f0000u + sport;
    c.isn[1] = 0xc3b20000u + dport;
    c.win[0] = 502;
    c.win[1] = 1024;
    return c;
}

/* Connection 1: the SIP call over TCP with every reassembly trouble. */
static void
scen_tcp_call(struct writer *w, int64_t t)
{
    char inv[4096], trying[1024], ok[2048], ack[1024], bye[1024], bye_ok[1024];
    struct scen_dialog d = {
        .transport = "TCP",
        .ua = build_addr("10.0.0.10"),
        .ua_port = 50000,
        .proxy = build_addr("192.0.2.10"),
        .proxy_port = 5060,
        .caller_user = "100",
        .callee_user = "200",
        .call_id = "tcp-7f3a9e21@10.0.0.10",
        .from_tag = "t1a2b3",
        .to_tag = "as7c81d0e2",
        .branch = "tc9q",
        .ua_media = build_addr("10.0.0.10"),
        .peer_media = build_addr("198.51.100.20"),
        .ua_rtp = 16384,
        .peer_rtp = 40000,
        .sdp_id = 8123,
    };
    uint32_t li = (uint32_t)scen_sip_big_invite(inv, sizeof inv, &d, 1200);
    uint32_t lt = (uint32_t)scen_sip_format(trying, sizeof trying, &d, SCEN_SIP_100);
    uint32_t lo = (uint32_t)scen_sip_format(ok, sizeof ok, &d, SCEN_SIP_200);
    uint32_t la = (uint32_t)scen_sip_format(ack, sizeof ack, &d, SCEN_SIP_ACK);
    uint32_t lb = (uint32_t)scen_sip_format(bye, sizeof bye, &d, SCEN_SIP_BYE);
    uint32_t lbo = (uint32_t)scen_sip_format(bye_ok, sizeof bye_ok, &d, SCEN_SIP_BYE_200);
    struct scen_tcp c = scen_tcp_conn(50000, "192.0.2.10", 5060);
    const int64_t ms = SCEN_MS, us = 1000;
    uint32_t cs = 1, ss = 1; /* next relative sequence number of each side */

    scen_tcp_ctl(w, &c, 0, 0, 0, 0x02, t);
    scen_tcp_ctl(w, &c, 1, 0, 1, 0x12, t + 20 * ms);
    scen_tcp_ctl(w, &c, 0, 1, 1, ACK, t + 20 * ms + 100 * us);
    /* INVITE in three segments, seen A, C, B; then C retransmitted */
    scen_tcp_part(w, &c, 0, cs, ss, inv, 0, 500, t + 21 * ms);
    scen_tcp_part(w, &c, 0, cs, ss, inv, 1000, li, t + 21 * ms + 100 * us);
    scen_tcp_part(w, &c, 0, cs, ss, inv, 500, 1000, t + 21 * ms + 300 * us);
    scen_tcp_part(w, &c, 0, cs, ss, inv, 1000, li, t + 25 * ms);
    cs += li;
    scen_tcp_ctl(w, &c, 1, ss, cs, ACK, t + 41 * ms);
    scen_tcp_part(w, &c, 1, ss, cs, trying, 0, lt, t + 45 * ms);
    ss += lt;
    scen_tcp_ctl(w, &c, 0, cs, ss, ACK, t + 45 * ms + 100 * us);
    /* 200 OK in two segments; the second is never captured but the client ACKs it */
    scen_tcp_part(w, &c, 1, ss, cs, ok, 0, lo / 2, t + 1045 * ms);
    c.ip[1].id++;
    ss += lo;
    scen_tcp_ctl(w, &c, 0, cs, ss, ACK, t + 1045 * ms + 300 * us);
    /* SIP ACK in two segments overlapping by 100 bytes (same bytes) */
    scen_tcp_part(w, &c, 0, cs, ss, ack, 0, la - 100, t + 1046 * ms);
    scen_tcp_part(w, &c, 0, cs, ss, ack, la - 200, la, t + 1046 * ms + 100 * us);
    cs += la;
    scen_tcp_ctl(w, &c, 1, ss, cs, ACK, t + 1066 * ms);
    /* BYE, 200 OK, FIN both ways */
    scen_tcp_part(w, &c, 0, cs, ss, bye, 0, lb, t + 5000 * ms);
    cs += lb;
    scen_tcp_part(w, &c, 1, ss, cs, bye_ok, 0, lbo, t + 5020 * ms);
    ss += lbo;
    scen_tcp_ctl(w, &c, 0, cs, ss, ACK, t + 5020 * ms + 100 * us);
    scen_tcp_ctl(w, &c, 0, cs, ss, 0x11, t + 5100 * ms);
    scen_tcp_ctl(w, &c, 1, ss, cs + 1, 0x11, t + 5120 * ms);
    scen_tcp_ctl(w, &c, 0, cs + 1, ss + 1, ACK, t + 5120 * ms + 100 * us);
}

int
scen_tcp_reassembly(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    scen_tcp_call(&w, SCEN_T0_NS);

    /* connection 2: SYN unanswered, retried after 1, 2, 4 s (same ISN) */
    struct scen_tcp c = scen_tcp_conn(50001, "192.0.2.11", 5060);
    static const int64_t retry_s[4] = {0, 1, 3, 7};
    for (int i = 0; i < 4; i++)
        scen_tcp_ctl(&w, &c, 0, 0, 0, 0x02, SCEN_T0_NS + (10 + retry_s[i]) * SCEN_S);

    /* connection 3: SYN refused (RST/ACK, nobody listens on 5061) */
    c = scen_tcp_conn(50002, "192.0.2.12", 5061);
    scen_tcp_ctl(&w, &c, 0, 0, 0, 0x02, SCEN_T0_NS + 20 * SCEN_S);
    c.isn[1] = 0; /* a RST answering a SYN carries sequence 0 */
    scen_tcp_ctl(&w, &c, 1, 0, 1, 0x14, SCEN_T0_NS + 20 * SCEN_S + 21 * SCEN_MS);
    return writer_close(&w, err, errlen);
}
