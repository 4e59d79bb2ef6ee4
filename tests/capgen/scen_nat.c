/* scen_nat.c — NAT keep-alive edge cases (RFC 5626 §3.5.1 CRLF pings, RFC 5389 STUN, SIP
 * OPTIONS pings): a phone 192.168.1.10:5060 behind a NAT and its cloud 203.0.113.10:5060, seen
 * on the LAN side. Ground truth of each variant in captures/README.md. */
#include <stdio.h>
#include <string.h>

#include "scen.h"
#include "scen_nat.h"

#define PH "192.168.1.10"
#define CL "203.0.113.10"

struct natc {
    struct writer *w;
    uint16_t id;
};

/* One datagram at ms after SCEN_T0 carrying len bytes of p, phone→cloud when up. */
static void
natc_send(struct natc *s, bool up, int64_t ms, const void *p, uint32_t len)
{
    struct build b;
    struct ip_spec ip = up ? scen_ip(PH, CL, s->id++) : scen_ip(CL, PH, s->id++);
    build_udp_packet(&b, &ip, 5060, 5060, p, len);
    scen_eth_write(s->w, &b, up ? SCEN_TO_SERVER : SCEN_TO_CLIENT, SCEN_T0_NS + ms * SCEN_MS);
}

static void
natc_text(struct natc *s, bool up, int64_t ms, const char *text)
{
    natc_send(s, up, ms, text, (uint32_t)strlen(text));
}

/* REGISTER (seq n) and its 200 OK reporting public port rport of 198.51.100.2. */
static void
natc_register(struct natc *s, int64_t ms, int n, unsigned rport)
{
    char t[1024];
    snprintf(t, sizeof t,
             "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP " PH
             ":5060;branch=z9hG4bKn%d;rport\r\nFrom: <sip:200@example.com>;tag=n1\r\n"
             "To: <sip:200@example.com>\r\nCall-ID: nat-reg@" PH "\r\nCSeq: %d REGISTER\r\n"
             "Contact: <sip:200@" PH ":5060>\r\nExpires: 300\r\nMax-Forwards: 70\r\n"
             "Content-Length: 0\r\n\r\n",
             n, n);
    natc_text(s, true, ms, t);
    snprintf(t, sizeof t,
             "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP " PH
             ":5060;branch=z9hG4bKn%d;rport=%u;received=198.51.100.2\r\n"
             "From: <sip:200@example.com>;tag=n1\r\nTo: <sip:200@example.com>;tag=c%d\r\n"
             "Call-ID: nat-reg@" PH "\r\nCSeq: %d REGISTER\r\n"
             "Contact: <sip:200@" PH ":5060>;expires=300\r\nContent-Length: 0\r\n\r\n",
             n, rport, n, n);
    natc_text(s, false, ms + 30, t);
}

/* An OPTIONS ping from the cloud (seq n) and the phone's 200 OK. */
static void
natc_options(struct natc *s, int64_t ms, int n)
{
    char t[1024];
    snprintf(t, sizeof t,
             "OPTIONS sip:200@" PH ":5060 SIP/2.0\r\nVia: SIP/2.0/UDP " CL
             ":5060;branch=z9hG4bKo%d\r\nFrom: <sip:ping@example.com>;tag=o%d\r\n"
             "To: <sip:200@example.com>\r\nCall-ID: nat-opt-%d@" CL "\r\nCSeq: 1 OPTIONS\r\n"
             "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
             n, n, n);
    natc_text(s, false, ms, t);
    snprintf(t, sizeof t,
             "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP " CL ":5060;branch=z9hG4bKo%d\r\n"
             "From: <sip:ping@example.com>;tag=o%d\r\nTo: <sip:200@example.com>;tag=p%d\r\n"
             "Call-ID: nat-opt-%d@" CL "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
             n, n, n, n);
    natc_text(s, true, ms + 2, t);
}

/* A STUN Binding request (phone) and success response (cloud) mapping 198.51.100.2:port. */
static void
natc_stun(struct natc *s, int64_t ms, int n, uint16_t port)
{
    uint8_t m[32] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42};
    for (int i = 0; i < 12; i++)
        m[8 + i] = (uint8_t)(n * 16 + i);
    natc_send(s, true, ms, m, 20);
    m[0] = 0x01;
    m[1] = 0x01;
    m[3] = 12;
    uint8_t a[12] = {0x00, 0x20, 0x00, 0x08, 0x00, 0x01};
    build_put16(a + 6, (uint16_t)(port ^ 0x2112));
    const uint8_t ip[4] = {198, 51, 100, 2}, key[4] = {0x21, 0x12, 0xA4, 0x42};
    for (int i = 0; i < 4; i++)
        a[8 + i] = ip[i] ^ key[i];
    memcpy(m + 20, a, 12);
    natc_send(s, false, ms + 20, m, 32);
}

int
scen_nat(const char *path, int arg, char *err, size_t errlen)
{
    struct writer w;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    struct natc s = {&w, 0x5000};
    switch (arg) {
    case SCEN_NAT_SHORT: /* 20 s: shorter than one 30 s interval */
        natc_register(&s, 0, 1, 40000);
        natc_text(&s, true, 10000, "\r\n\r\n");
        natc_text(&s, false, 10001, "\r\n");
        natc_text(&s, false, 20000, "\r\n\r\n");
        break;
    case SCEN_NAT_ONE_WAY: /* the phone pings every 30 s for 150 s, nothing comes back */
        natc_register(&s, 0, 1, 40000);
        for (int i = 1; i <= 5; i++)
            natc_text(&s, true, i * 30000, "\r\n\r\n");
        break;
    case SCEN_NAT_JITTER: { /* cloud pings 28-33 s apart, the phone answers: in limits */
        static const int iv[] = {28000, 33000, 30500, 29000, 32900, 28100, 31000};
        int64_t t = 1000;
        natc_register(&s, 0, 1, 40000);
        for (int i = 0; i < 7; i++) {
            t += iv[i];
            natc_text(&s, false, t, "\r\n\r\n");
            natc_text(&s, true, t + 15, "\r\n");
        }
        break;
    }
    case SCEN_NAT_STUN: /* STUN every 30 s on the SIP flow; the mapped port changes at the 5th */
        natc_register(&s, 0, 1, 40000);
        for (int i = 0; i < 6; i++)
            natc_stun(&s, 1000 + i * 30000, i, i < 4 ? 40000 : 40123);
        break;
    case SCEN_NAT_OPTIONS: /* OPTIONS from the cloud every 30 s, answered */
        natc_register(&s, 0, 1, 40000);
        for (int i = 0; i < 6; i++)
            natc_options(&s, 2000 + i * 30000, i);
        break;
    default: /* SCEN_NAT_GAP: cloud pings stop for 95 s while the phone pings on */
        natc_register(&s, 0, 1, 40000);
        for (int i = 1; i <= 8; i++) {
            if (i < 3 || i > 5)
                natc_text(&s, false, i * 30000, "\r\n\r\n");
            natc_text(&s, true, i * 30000 + 5000, "\r\n\r\n");
        }
        break;
    }
    return writer_close(&w, err, errlen);
}
