/* scen_sip_tcp.c — sip-tcp-framing.pcap: SIP over TCP framing (RFC 3261 §18.3, Content-Length):
 * one message split over three in-order segments, two messages in one segment, and a CRLF
 * keep-alive ping/pong (RFC 5626 §3.5.1) between messages; and the same with a capture gap. */
#include <pcap/pcap.h>
#include <string.h>

#include "scen.h"
#include "scen_sip.h"

#define ACK 0x10
#define PSHACK 0x18

/* A segment of c from dir at relative sequence seq carrying data[0..len) (may be 0). */
static void
framing_seg(struct writer *w, struct scen_tcp *c, int dir, uint32_t seq, uint32_t ack,
            uint8_t flags, const void *data, uint32_t len, int64_t t)
{
    struct build b;
    scen_tcp_build(&b, c, dir, seq, ack, flags, data, len);
    scen_eth_write(w, &b, dir, t);
}

/* arg 0: sip-tcp-framing.pcap; 1: sip-tcp-gap.pcap, the same call with a segment of the 200
 * lost by the capture (ACKed by the phone) and the connection still open at the end. */
int
scen_sip_tcp_framing(const char *path, int arg, char *err, size_t errlen)
{
    char inv[4096], pair[2048], ok[2048], ack[1024], bye[1024], bye_ok[1024];
    struct scen_dialog d = {
        .transport = "TCP",
        .ua = build_addr("10.0.0.10"),
        .ua_port = 50010,
        .proxy = build_addr("192.0.2.10"),
        .proxy_port = 5060,
        .caller_user = "100",
        .callee_user = "200",
        .call_id = "tcpf-51d0c2e4@10.0.0.10",
        .from_tag = "f8e1d2",
        .to_tag = "as90b3c4d5",
        .branch = "tf3k",
        .ua_media = build_addr("10.0.0.10"),
        .peer_media = build_addr("198.51.100.20"),
        .ua_rtp = 16388,
        .peer_rtp = 40010,
        .sdp_id = 9321,
    };
    uint32_t li = (uint32_t)scen_sip_big_invite(inv, sizeof inv, &d, 1200);
    uint32_t lt = (uint32_t)scen_sip_format(pair, sizeof pair, &d, SCEN_SIP_100);
    uint32_t lr = (uint32_t)scen_sip_format(pair + lt, sizeof pair - lt, &d, SCEN_SIP_180);
    uint32_t lo = (uint32_t)scen_sip_format(ok, sizeof ok, &d, SCEN_SIP_200);
    uint32_t la = (uint32_t)scen_sip_format(ack, sizeof ack, &d, SCEN_SIP_ACK);
    uint32_t lb = (uint32_t)scen_sip_format(bye, sizeof bye, &d, SCEN_SIP_BYE);
    uint32_t lbo = (uint32_t)scen_sip_format(bye_ok, sizeof bye_ok, &d, SCEN_SIP_BYE_200);

    struct scen_tcp c;
    memset(&c, 0, sizeof c);
    c.ip[0] = scen_ip("10.0.0.10", "192.0.2.10", 0x5100);
    c.ip[1] = scen_ip_reply(&c.ip[0], 54, 0x7200);
    c.port[0] = 50010;
    c.port[1] = 5060;
    c.isn[0] = 0x1e5f0000u;
    c.isn[1] = 0x9b270000u;
    c.win[0] = 502;
    c.win[1] = 1024;

    struct writer w;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    const int64_t t = SCEN_T0_NS, ms = SCEN_MS, us = 1000;
    uint32_t cs = 1, ss = 1; /* next relative sequence number of each side */
    framing_seg(&w, &c, 0, 0, 0, 0x02, NULL, 0, t);
    framing_seg(&w, &c, 1, 0, 1, 0x12, NULL, 0, t + 20 * ms);
    framing_seg(&w, &c, 0, 1, 1, ACK, NULL, 0, t + 20 * ms + 100 * us);
    /* the INVITE in three segments: cut inside a header line, then inside the SDP body */
    uint32_t cut1 = 300, cut2 = li - 200;
    framing_seg(&w, &c, 0, cs, ss, PSHACK, inv, cut1, t + 21 * ms);
    framing_seg(&w, &c, 0, cs + cut1, ss, PSHACK, inv + cut1, cut2 - cut1, t + 21 * ms + 50 * us);
    framing_seg(&w, &c, 0, cs + cut2, ss, PSHACK, inv + cut2, li - cut2, t + 21 * ms + 100 * us);
    cs += li;
    framing_seg(&w, &c, 1, ss, cs, ACK, NULL, 0, t + 41 * ms);
    /* 100 Trying and 180 Ringing in one segment */
    framing_seg(&w, &c, 1, ss, cs, PSHACK, pair, lt + lr, t + 60 * ms);
    ss += lt + lr;
    framing_seg(&w, &c, 0, cs, ss, ACK, NULL, 0, t + 60 * ms + 100 * us);
    if (arg == 1) {
        /* The 200 in three segments; the middle one (bytes 200-399) never reaches the capture,
         * the phone ACKs past it: lost by the capture, never retransmitted. */
        framing_seg(&w, &c, 1, ss, cs, PSHACK, ok, 200, t + 2060 * ms);
        framing_seg(&w, &c, 1, ss + 400, cs, PSHACK, ok + 400, lo - 400, t + 2060 * ms + 60 * us);
        ss += lo;
        framing_seg(&w, &c, 0, cs, ss, ACK, NULL, 0, t + 2060 * ms + 200 * us);
    } else {
        framing_seg(&w, &c, 1, ss, cs, PSHACK, ok, lo, t + 2060 * ms);
        ss += lo;
    }
    framing_seg(&w, &c, 0, cs, ss, PSHACK, ack, la, t + 2061 * ms);
    cs += la;
    framing_seg(&w, &c, 1, ss, cs, ACK, NULL, 0, t + 2081 * ms);
    /* a CRLFCRLF ping from the phone and the proxy's CRLF pong, between messages */
    framing_seg(&w, &c, 0, cs, ss, PSHACK, "\r\n\r\n", 4, t + 4061 * ms);
    cs += 4;
    framing_seg(&w, &c, 1, ss, cs, PSHACK, "\r\n", 2, t + 4081 * ms);
    ss += 2;
    framing_seg(&w, &c, 0, cs, ss, PSHACK, bye, lb, t + 8000 * ms);
    cs += lb;
    framing_seg(&w, &c, 1, ss, cs, PSHACK, bye_ok, lbo, t + 8020 * ms);
    ss += lbo;
    framing_seg(&w, &c, 0, cs, ss, ACK, NULL, 0, t + 8020 * ms + 100 * us);
    if (arg == 1) {
        /* the connection stays open: a last ping/pong 30 s later, no FIN */
        framing_seg(&w, &c, 0, cs, ss, PSHACK, "\r\n\r\n", 4, t + 38000 * ms);
        cs += 4;
        framing_seg(&w, &c, 1, ss, cs, PSHACK, "\r\n", 2, t + 38020 * ms);
        return writer_close(&w, err, errlen);
    }
    framing_seg(&w, &c, 0, cs, ss, 0x11, NULL, 0, t + 8100 * ms);
    framing_seg(&w, &c, 1, ss, cs + 1, 0x11, NULL, 0, t + 8120 * ms);
    framing_seg(&w, &c, 0, cs + 1, ss + 1, ACK, NULL, 0, t + 8120 * ms + 100 * us);
    return writer_close(&w, err, errlen);
}
