/* scen_sip_calls.c — SIP (RFC 3261) scenarios: REGISTER with digest challenge, refresh and
 * rebinding, OPTIONS pings answered and not, an unanswered REGISTER (sip-register.pcap); calls
 * with hold/resume (RFC 3264 §8.4), CANCEL, 486, forking (§16.7), IPv6, compact headers (§7.3.3),
 * a malformed message and a Content-Length mismatch (sip-calls.pcap). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "scen.h"

struct sipc {
    struct writer *w;
    int64_t t0;
    uint16_t id;
};

/* One datagram src:sp → dst:dp at t0 + ms carrying text. */
static void
sipc_send(struct sipc *s, const char *src, uint16_t sp, const char *dst, uint16_t dp, int64_t ms,
          const char *text)
{
    struct build b;
    struct ip_spec ip = scen_ip(src, dst, s->id++);
    build_udp_packet(&b, &ip, sp, dp, text, (uint32_t)strlen(text));
    scen_eth_write(s->w, &b, sp == 5060 && dp != 5060 ? SCEN_TO_CLIENT : SCEN_TO_SERVER,
                   s->t0 + ms * SCEN_MS);
}

/* SIP text: start line, Via, From, To, Call-ID, CSeq, extra headers, optional SDP body. */
static const char *
sipc_text(char *buf, size_t cap, const char *start, const char *via, const char *from,
          const char *to, const char *cid, const char *cseq, const char *extra, const char *sdp)
{
    snprintf(buf, cap,
             "%s\r\nVia: SIP/2.0/UDP %s\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s\r\n"
             "Max-Forwards: 70\r\n%s%sContent-Length: %zu\r\n\r\n%s",
             start, via, from, to, cid, cseq, extra ? extra : "",
             sdp ? "Content-Type: application/sdp\r\n" : "", sdp ? strlen(sdp) : (size_t)0,
             sdp ? sdp : "");
    return buf;
}

static const char *
sipc_sdp(char *buf, size_t cap, const char *addr, unsigned port, const char *dir)
{
    snprintf(buf, cap,
             "v=0\r\no=- 4000 4000 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
             "m=audio %u RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
             "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=%s\r\n",
             addr, addr, port, dir);
    return buf;
}

int
scen_sip_register(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    char t[2048];
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    struct sipc s = {&w, SCEN_T0_NS, 0x2000};
    const char *ph = "192.0.2.10", *rg = "198.51.100.1";
    const char *from = "<sip:100@example.com>;tag=r1a", *to = "<sip:100@example.com>";
    const char *cid = "reg-1@192.0.2.10";
    const char *ct = "Contact: <sip:100@192.0.2.10:5060>\r\nExpires: 120\r\n";
    const char *auth = "Authorization: Digest username=\"100\", realm=\"example.com\", "
                       "nonce=\"ab12\", uri=\"sip:example.com\", response=\"00ff\"\r\n";
    char ctauth[512];
    snprintf(ctauth, sizeof ctauth, "%s%s", ct, auth);
    /* 1-4: challenge, then success seen from 203.0.113.7:40001 */
    sipc_send(&s, ph, 5060, rg, 5060, 0,
              sipc_text(t, sizeof t, "REGISTER sip:example.com SIP/2.0",
                        "192.0.2.10:5060;branch=z9hG4bKr1;rport", from, to, cid, "1 REGISTER", ct,
                        NULL));
    sipc_send(&s, rg, 5060, ph, 5060, 20,
              sipc_text(t, sizeof t, "SIP/2.0 401 Unauthorized",
                        "192.0.2.10:5060;branch=z9hG4bKr1;rport=40001;received=203.0.113.7", from,
                        "<sip:100@example.com>;tag=s1", cid, "1 REGISTER",
                        "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"ab12\"\r\n",
                        NULL));
    sipc_send(&s, ph, 5060, rg, 5060, 25,
              sipc_text(t, sizeof t, "REGISTER sip:example.com SIP/2.0",
                        "192.0.2.10:5060;branch=z9hG4bKr2;rport", from, to, cid, "2 REGISTER",
                        ctauth, NULL));
    sipc_send(&s, rg, 5060, ph, 5060, 45,
              sipc_text(t, sizeof t, "SIP/2.0 200 OK",
                        "192.0.2.10:5060;branch=z9hG4bKr2;rport=40001;received=203.0.113.7", from,
                        "<sip:100@example.com>;tag=s2", cid, "2 REGISTER",
                        "Contact: <sip:100@192.0.2.10:5060>;expires=120\r\n", NULL));
    /* 5-8: keep-alives, an OPTIONS ping from the registrar answered */
    sipc_send(&s, ph, 5060, rg, 5060, 15000, "\r\n\r\n");
    sipc_send(&s, rg, 5060, ph, 5060, 15001, "\r\n");
    sipc_send(&s, rg, 5060, ph, 5060, 30000,
              sipc_text(t, sizeof t, "OPTIONS sip:100@192.0.2.10:5060 SIP/2.0",
                        "198.51.100.1:5060;branch=z9hG4bKo1", "<sip:ping@example.com>;tag=o1",
                        "<sip:100@example.com>", "opt-1@198.51.100.1", "1 OPTIONS", NULL, NULL));
    sipc_send(&s, ph, 5060, rg, 5060, 30002,
              sipc_text(t, sizeof t, "SIP/2.0 200 OK", "198.51.100.1:5060;branch=z9hG4bKo1",
                        "<sip:ping@example.com>;tag=o1", "<sip:100@example.com>;tag=p1",
                        "opt-1@198.51.100.1", "1 OPTIONS", NULL, NULL));
    sipc_send(&s, ph, 5060, rg, 5060, 45000, "\r\n\r\n");
    /* 10-11: refresh after 60 s, now seen from 203.0.113.7:40777 (NAT rebinding) */
    sipc_send(&s, ph, 5060, rg, 5060, 60000,
              sipc_text(t, sizeof t, "REGISTER sip:example.com SIP/2.0",
                        "192.0.2.10:5060;branch=z9hG4bKr3;rport", from, to, cid, "3 REGISTER",
                        ctauth, NULL));
    sipc_send(&s, rg, 5060, ph, 5060, 60020,
              sipc_text(t, sizeof t, "SIP/2.0 200 OK",
                        "192.0.2.10:5060;branch=z9hG4bKr3;rport=40777;received=203.0.113.7", from,
                        "<sip:100@example.com>;tag=s3", cid, "3 REGISTER",
                        "Contact: <sip:100@192.0.2.10:5060>;expires=120\r\n", NULL));
    /* 12-13: an OPTIONS ping to the phone never answered, retransmitted once */
    for (int i = 0; i < 2; i++)
        sipc_send(&s, rg, 5060, ph, 5060, 70000 + 500 * i,
                  sipc_text(t, sizeof t, "OPTIONS sip:100@192.0.2.10:5060 SIP/2.0",
                            "198.51.100.1:5060;branch=z9hG4bKo2", "<sip:ping@example.com>;tag=o2",
                            "<sip:100@example.com>", "opt-2@198.51.100.1", "1 OPTIONS", NULL,
                            NULL));
    /* 14-17: REGISTER of 101 to a second registrar, retransmitted (T1 doubling), never answered:
     * a firewall dropping it */
    static const int64_t rt[] = {80000, 80500, 81500, 83500};
    for (int i = 0; i < 4; i++)
        sipc_send(&s, ph, 5062, "198.51.100.2", 5060, rt[i],
                  sipc_text(t, sizeof t, "REGISTER sip:example.net SIP/2.0",
                            "192.0.2.10:5062;branch=z9hG4bKx1;rport",
                            "<sip:101@example.net>;tag=x1", "<sip:101@example.net>",
                            "reg-2@192.0.2.10", "1 REGISTER",
                            "Contact: <sip:101@192.0.2.10:5062>\r\nExpires: 300\r\n", NULL));
    return writer_close(&w, err, errlen);
}

/* One whole INVITE exchange between a (caller) and b, per the shape of variant. */
enum sipc_call {
    SIPC_HOLD,   /* answered, re-INVITE hold and resume, BYE by the callee */
    SIPC_CANCEL, /* ringing, then CANCEL, 487 */
    SIPC_BUSY,   /* 486 Busy Here */
    SIPC_FORK,   /* two 180 with different To-tags, one 200, BYE by the caller */
};

static void
sipc_call(struct sipc *s, enum sipc_call kind, const char *a, const char *b, int n)
{
    char t[4096], sdp[1024], cid[64], from[80], via[80], br[40], to2[80], to3[80];
    snprintf(cid, sizeof cid, "call-%d@192.0.2.10", n);
    snprintf(from, sizeof from, "\"Alice\" <sip:100@example.com>;tag=fa%d", n);
    const char *to = "<sip:200@example.com>";
    snprintf(to2, sizeof to2, "<sip:200@example.com>;tag=tb%d", n);
    snprintf(to3, sizeof to3, "<sip:200@example.com>;tag=tc%d", n);
    const char *ct = "Contact: <sip:100@192.0.2.10:5060>\r\n";
    const char *cb = "Contact: <sip:200@198.51.100.1:5060>\r\n";
    snprintf(br, sizeof br, "z9hG4bKi%d", n);
    snprintf(via, sizeof via, "192.0.2.10:5060;branch=%s", br);
    char bvia[80];
    snprintf(bvia, sizeof bvia, "198.51.100.1:5060;branch=z9hG4bKb%d", n);
    int64_t m = 0;
    sipc_send(s, a, 5060, b, 5060, m,
              sipc_text(t, sizeof t, "INVITE sip:200@example.com SIP/2.0", via, from, to, cid,
                        "1 INVITE", ct,
                        sipc_sdp(sdp, sizeof sdp, "192.0.2.10", 16384, "sendrecv")));
    sipc_send(
        s, b, 5060, a, 5060, m += 10,
        sipc_text(t, sizeof t, "SIP/2.0 100 Trying", via, from, to, cid, "1 INVITE", NULL, NULL));
    sipc_send(
        s, b, 5060, a, 5060, m += 500,
        sipc_text(t, sizeof t, "SIP/2.0 180 Ringing", via, from, to2, cid, "1 INVITE", cb, NULL));
    if (kind == SIPC_FORK)
        sipc_send(s, b, 5060, a, 5060, m += 30,
                  sipc_text(t, sizeof t, "SIP/2.0 180 Ringing", via, from, to3, cid, "1 INVITE", cb,
                            NULL));
    if (kind == SIPC_BUSY) {
        sipc_send(s, b, 5060, a, 5060, m += 1000,
                  sipc_text(t, sizeof t, "SIP/2.0 486 Busy Here", via, from, to2, cid, "1 INVITE",
                            NULL, NULL));
        sipc_send(s, a, 5060, b, 5060, m += 5,
                  sipc_text(t, sizeof t, "ACK sip:200@example.com SIP/2.0", via, from, to2, cid,
                            "1 ACK", NULL, NULL));
        return;
    }
    if (kind == SIPC_CANCEL) {
        sipc_send(s, a, 5060, b, 5060, m += 4000,
                  sipc_text(t, sizeof t, "CANCEL sip:200@example.com SIP/2.0", via, from, to, cid,
                            "1 CANCEL", NULL, NULL));
        sipc_send(
            s, b, 5060, a, 5060, m += 10,
            sipc_text(t, sizeof t, "SIP/2.0 200 OK", via, from, to2, cid, "1 CANCEL", NULL, NULL));
        sipc_send(s, b, 5060, a, 5060, m += 5,
                  sipc_text(t, sizeof t, "SIP/2.0 487 Request Terminated", via, from, to2, cid,
                            "1 INVITE", NULL, NULL));
        sipc_send(s, a, 5060, b, 5060, m += 5,
                  sipc_text(t, sizeof t, "ACK sip:200@example.com SIP/2.0", via, from, to2, cid,
                            "1 ACK", NULL, NULL));
        return;
    }
    sipc_send(s, b, 5060, a, 5060, m += 3000,
              sipc_text(t, sizeof t, "SIP/2.0 200 OK", via, from, to2, cid, "1 INVITE", cb,
                        sipc_sdp(sdp, sizeof sdp, "198.51.100.1", 40000, "sendrecv")));
    char avia[80];
    snprintf(avia, sizeof avia, "192.0.2.10:5060;branch=z9hG4bKa%d", n);
    sipc_send(s, a, 5060, b, 5060, m += 20,
              sipc_text(t, sizeof t, "ACK sip:200@198.51.100.1:5060 SIP/2.0", avia, from, to2, cid,
                        "1 ACK", NULL, NULL));
    if (kind == SIPC_HOLD) {
        const char *dirs[2] = {"sendonly", "sendrecv"};
        for (int k = 0; k < 2; k++) {
            char rv[80], cseq[24];
            snprintf(rv, sizeof rv, "192.0.2.10:5060;branch=z9hG4bKh%d%d", n, k);
            snprintf(cseq, sizeof cseq, "%d INVITE", 2 + k);
            sipc_send(s, a, 5060, b, 5060, m += 10000,
                      sipc_text(t, sizeof t, "INVITE sip:200@198.51.100.1:5060 SIP/2.0", rv, from,
                                to2, cid, cseq, ct,
                                sipc_sdp(sdp, sizeof sdp, "192.0.2.10", 16384, dirs[k])));
            sipc_send(s, b, 5060, a, 5060, m += 30,
                      sipc_text(t, sizeof t, "SIP/2.0 200 OK", rv, from, to2, cid, cseq, cb,
                                sipc_sdp(sdp, sizeof sdp, "198.51.100.1", 40000,
                                         k ? "sendrecv" : "recvonly")));
            snprintf(rv, sizeof rv, "192.0.2.10:5060;branch=z9hG4bKk%d%d", n, k);
            snprintf(cseq, sizeof cseq, "%d ACK", 2 + k);
            sipc_send(s, a, 5060, b, 5060, m += 10,
                      sipc_text(t, sizeof t, "ACK sip:200@198.51.100.1:5060 SIP/2.0", rv, from, to2,
                                cid, cseq, NULL, NULL));
        }
        /* the callee hangs up: its own From/To */
        char bf[80], bt[80];
        snprintf(bf, sizeof bf, "<sip:200@example.com>;tag=tb%d", n);
        snprintf(bt, sizeof bt, "\"Alice\" <sip:100@example.com>;tag=fa%d", n);
        sipc_send(s, b, 5060, a, 5060, m += 20000,
                  sipc_text(t, sizeof t, "BYE sip:100@192.0.2.10:5060 SIP/2.0", bvia, bf, bt, cid,
                            "1 BYE", NULL, NULL));
        sipc_send(s, a, 5060, b, 5060, m += 10,
                  sipc_text(t, sizeof t, "SIP/2.0 200 OK", bvia, bf, bt, cid, "1 BYE", NULL, NULL));
        return;
    }
    char yv[80];
    snprintf(yv, sizeof yv, "192.0.2.10:5060;branch=z9hG4bKy%d", n);
    sipc_send(s, a, 5060, b, 5060, m += 15000,
              sipc_text(t, sizeof t, "BYE sip:200@198.51.100.1:5060 SIP/2.0", yv, from, to2, cid,
                        "2 BYE", NULL, NULL));
    sipc_send(s, b, 5060, a, 5060, m += 10,
              sipc_text(t, sizeof t, "SIP/2.0 200 OK", yv, from, to2, cid, "2 BYE", NULL, NULL));
}

int
scen_sip_calls(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    char t[2048];
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    struct sipc s = {&w, SCEN_T0_NS, 0x3000};
    const char *a = "192.0.2.10", *b = "198.51.100.1";
    sipc_call(&s, SIPC_HOLD, a, b, 1);
    s.t0 += 60 * SCEN_S;
    sipc_call(&s, SIPC_CANCEL, a, b, 2);
    s.t0 += 10 * SCEN_S;
    sipc_call(&s, SIPC_BUSY, a, b, 3);
    s.t0 += 10 * SCEN_S;
    sipc_call(&s, SIPC_FORK, a, b, 4);
    s.t0 += 30 * SCEN_S;
    /* IPv6 with compact header forms (RFC 3261 §7.3.3): an OPTIONS and its answer */
    sipc_send(&s, "2001:db8::10", 5060, "2001:db8::1", 5060, 0,
              "OPTIONS sip:[2001:db8::1] SIP/2.0\r\n"
              "v: SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bK6a\r\n"
              "f: <sip:100@example.com>;tag=6f\r\nt: <sip:[2001:db8::1]>\r\n"
              "i: v6-1@2001:db8::10\r\nCSeq: 1 OPTIONS\r\nm: <sip:100@[2001:db8::10]:5060>\r\n"
              "Max-Forwards: 70\r\nl: 0\r\n\r\n");
    sipc_send(&s, "2001:db8::1", 5060, "2001:db8::10", 5060, 15,
              "SIP/2.0 200 OK\r\n"
              "v: SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bK6a;received=2001:db8::10\r\n"
              "f: <sip:100@example.com>;tag=6f\r\nt: <sip:[2001:db8::1]>;tag=6t\r\n"
              "i: v6-1@2001:db8::10\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n");
    /* a malformed request (CSeq without a number) and a MESSAGE whose Content-Length says 40
     * while 20 bytes are carried (an ALG that rewrote the body) */
    sipc_send(&s, a, 5060, b, 5060, 1000,
              "INFO sip:200@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;"
              "branch=z9hG4bKm1\r\nFrom: <sip:100@example.com>;tag=m1\r\n"
              "To: <sip:200@example.com>\r\nCall-ID: bad-1@192.0.2.10\r\nCSeq: INFO\r\n"
              "Content-Length: 0\r\n\r\n");
    snprintf(t, sizeof t,
             "MESSAGE sip:200@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;"
             "branch=z9hG4bKc1\r\nFrom: <sip:100@example.com>;tag=c1\r\n"
             "To: <sip:200@example.com>\r\nCall-ID: cl-1@192.0.2.10\r\nCSeq: 1 MESSAGE\r\n"
             "Content-Type: text/plain\r\nContent-Length: 40\r\n\r\nhello from behind NAT");
    sipc_send(&s, a, 5060, b, 5060, 2000, t);
    sipc_send(&s, b, 5060, a, 5060, 2010,
              sipc_text(t, sizeof t, "SIP/2.0 200 OK", "192.0.2.10:5060;branch=z9hG4bKc1",
                        "<sip:100@example.com>;tag=c1", "<sip:200@example.com>;tag=c2",
                        "cl-1@192.0.2.10", "1 MESSAGE", NULL, NULL));
    return writer_close(&w, err, errlen);
}
