/* scen_inject.c — a well-formed SIP call (RFC 3261) with SDP (RFC 4566) whose User-Agent,
 * Call-ID, display names, reason phrase, SDP o= user name and s= line carry HTML/JS injection
 * attempts: the HTML report must show them as inert text (tests/html.sh). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "scen.h"
#include "scen_inject.h"

#define INJ_UA "192.0.2.10"
#define INJ_PEER "198.51.100.1"

struct inj {
    struct writer *w;
    uint16_t id;
};

/* One datagram at SCEN_T0_NS + ms: from the phone when up, else to it. */
static void
inj_send(struct inj *s, int up, int64_t ms, const char *text)
{
    struct build b;
    struct ip_spec ip = up ? scen_ip(INJ_UA, INJ_PEER, s->id) : scen_ip(INJ_PEER, INJ_UA, s->id);
    s->id++;
    build_udp_packet(&b, &ip, 5060, 5060, text, (uint32_t)strlen(text));
    scen_eth_write(s->w, &b, up ? SCEN_TO_SERVER : SCEN_TO_CLIENT, SCEN_T0_NS + ms * SCEN_MS);
}

static const char inj_from[] = "\"<script>alert(1)</script>\" <sip:100@example.com>;tag=f1";
static const char inj_to[] = "\"\\\"><img src=x onerror=alert(1)>\" <sip:200@example.com>";
static const char inj_cid[] = "<script>alert(1)</script>\"'</style>@javascript:alert(1)";
static const char inj_ua[] = "User-Agent: <script>alert(document.domain)</script>"
                             "\"><img src=x onerror=alert(1)></style><svg onload=alert(1)>\r\n";

/* A message: start line, the shared headers, cseq, extra headers, optional SDP. */
static const char *
inj_text(char *buf, size_t cap, const char *start, const char *to_tag, const char *cseq,
         const char *extra, const char *sdp)
{
    snprintf(buf, cap,
             "%s\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinj%c\r\nFrom: %s\r\n"
             "To: %s%s\r\nCall-ID: %s\r\nCSeq: %s\r\nMax-Forwards: 70\r\n%s%s"
             "Content-Length: %zu\r\n\r\n%s",
             start, cseq[0], inj_from, inj_to, to_tag, inj_cid, cseq, extra ? extra : "",
             sdp ? "Content-Type: application/sdp\r\n" : "", sdp ? strlen(sdp) : (size_t)0,
             sdp ? sdp : "");
    return buf;
}

/* SDP whose o= user name and s= line are injection attempts. */
static const char *
inj_sdp(char *buf, size_t cap, const char *addr, unsigned port)
{
    snprintf(buf, cap,
             "v=0\r\no=<script>alert(1)</script> 7 7 IN IP4 %s\r\n"
             "s=\"><img src=x onerror=alert(1)></style>javascript:alert(1)\r\n"
             "c=IN IP4 %s\r\nt=0 0\r\nm=audio %u RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
             "a=sendrecv\r\n",
             addr, addr, port);
    return buf;
}

int
scen_inject(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    char t[4096], sdp[1024];
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    struct inj s = {&w, 0x6000};
    const char *ct = "Contact: <sip:100@192.0.2.10:5060>\r\n";
    char ua_ct[512];
    snprintf(ua_ct, sizeof ua_ct, "%s%s", inj_ua, ct);
    inj_send(&s, 1, 0,
             inj_text(t, sizeof t, "INVITE sip:200@example.com SIP/2.0", "", "1 INVITE", ua_ct,
                      inj_sdp(sdp, sizeof sdp, INJ_UA, 16384)));
    inj_send(&s, 0, 10, inj_text(t, sizeof t, "SIP/2.0 100 Trying", "", "1 INVITE", NULL, NULL));
    inj_send(&s, 0, 500,
             inj_text(t, sizeof t, "SIP/2.0 180 <script>alert(1)</script>", ";tag=t9", "1 INVITE",
                      NULL, NULL));
    inj_send(&s, 0, 2000,
             inj_text(t, sizeof t, "SIP/2.0 200 \"><img src=x onerror=alert(1)>", ";tag=t9",
                      "1 INVITE", "Server: </style><script>alert(2)</script>\r\n",
                      inj_sdp(sdp, sizeof sdp, INJ_PEER, 40000)));
    inj_send(&s, 1, 2010,
             inj_text(t, sizeof t, "ACK sip:200@198.51.100.1 SIP/2.0", ";tag=t9", "1 ACK", inj_ua,
                      NULL));
    inj_send(&s, 1, 5000,
             inj_text(t, sizeof t, "BYE sip:200@198.51.100.1 SIP/2.0", ";tag=t9", "2 BYE", inj_ua,
                      NULL));
    inj_send(&s, 0, 5010, inj_text(t, sizeof t, "SIP/2.0 200 OK", ";tag=t9", "2 BYE", NULL, NULL));
    return writer_close(&w, err, errlen);
}
