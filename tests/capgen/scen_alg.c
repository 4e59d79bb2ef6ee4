/* scen_alg.c — SIP ALG scenarios (RFC 3261 §18.2.1 received, RFC 3581 rport, RFC 4566 SDP): a
 * LAN/WAN pair where every rewritten field is known, one-point fingerprints and look-alikes. */
#include "scen_alg.h"

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scen.h"

#define PHONE "192.168.1.10"
#define NAT "198.51.100.20"
#define CLOUD "203.0.113.5"

/* One message: start line, Via value, Contact URI (NULL: none), CSeq, To tag, SDP body (NULL:
 * none); Content-Length is the body's length plus cl_delta (a lying header). */
struct amsg {
    const char *start, *via, *contact, *cseq, *to_tag, *body;
    int cl_delta;
};

static int
amsg_text(char *buf, size_t cap, const struct amsg *m, const char *cid)
{
    size_t blen = m->body ? strlen(m->body) : 0;
    char contact[128] = "", totag[48] = "";
    if (m->contact)
        snprintf(contact, sizeof contact, "Contact: <%s>\r\n", m->contact);
    if (m->to_tag)
        snprintf(totag, sizeof totag, ";tag=%s", m->to_tag);
    return snprintf(buf, cap,
                    "%s\r\nVia: SIP/2.0/UDP %s\r\nFrom: <sip:100@example.com>;tag=f100\r\n"
                    "To: <sip:200@example.com>%s\r\nCall-ID: %s\r\nCSeq: %s\r\n%s"
                    "Max-Forwards: 70\r\n%sContent-Length: %d\r\n\r\n%s",
                    m->start, m->via, totag, cid, m->cseq, contact,
                    m->body ? "Content-Type: application/sdp\r\n" : "", (int)blen + m->cl_delta,
                    m->body ? m->body : "");
}

static void
sdp_body(char *buf, size_t cap, const char *o, const char *c, unsigned port, const char *extra)
{
    snprintf(buf, cap,
             "v=0\r\no=- 4711 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
             "m=audio %u RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 "
             "telephone-event/8000\r\na=rtcp:%u\r\n%s",
             o, c, port, port + 1, extra ? extra : "");
}

/* Write text from src:sport to dst:dport at ts (ms after T0) on w. */
static void
put(struct writer *w, const char *src, uint16_t sport, const char *dst, uint16_t dport,
    const char *text, int64_t ms, uint16_t id)
{
    struct build b;
    struct ip_spec ip = scen_ip(src, dst, id);
    build_udp_packet(&b, &ip, sport, dport, text, (uint32_t)strlen(text));
    scen_eth_write(w, &b, SCEN_TO_SERVER, SCEN_T0_NS + ms * SCEN_MS + (id & 7) * 1000);
}

/* One step of the pair: the LAN and the WAN version of one message, outbound or inbound. */
struct step {
    int64_t ms;
    bool out; /* phone → cloud */
    bool lan_only, wan_only;
    struct amsg lan, wan;
};

static int
write_pair(struct writer *w, bool lan)
{
    static char sl[4][600], sw[4][600];
    sdp_body(sl[0], sizeof sl[0], PHONE, PHONE, 4000, NULL);
    sdp_body(sw[0], sizeof sw[0], NAT, NAT, 41000, NULL);
    sdp_body(sl[1], sizeof sl[1], CLOUD, CLOUD, 30000, NULL);
    sdp_body(sl[2], sizeof sl[2], PHONE, PHONE, 4000, "a=sendonly\r\n");
    sdp_body(sw[2], sizeof sw[2], NAT, NAT, 41000, "a=sendonly\r\n");
    const struct step steps[] = {
        {0,
         true,
         false,
         false,
         {"REGISTER sip:example.com SIP/2.0", PHONE ":5060;branch=z9hG4bK-r1;rport",
          "sip:100@" PHONE ":5060", "1 REGISTER", NULL, NULL, 0},
         {"REGISTER sip:example.com SIP/2.0", NAT ":5060;branch=z9hG4bK-r1;rport",
          "sip:100@" NAT ":5060", "1 REGISTER", NULL, NULL, 0}},
        {40,
         false,
         false,
         false,
         {"SIP/2.0 200 OK", PHONE ":5060;branch=z9hG4bK-r1;rport=5060;received=" PHONE,
          "sip:100@" PHONE ":5060", "1 REGISTER", "t1", NULL, 0},
         {"SIP/2.0 200 OK", NAT ":5060;branch=z9hG4bK-r1;rport=5060;received=" NAT,
          "sip:100@" NAT ":5060", "1 REGISTER", "t1", NULL, 0}},
        {1000,
         true,
         false,
         false,
         {"INVITE sip:200@" CLOUD " SIP/2.0", PHONE ":5060;branch=z9hG4bK-i1;rport",
          "sip:100@" PHONE ":5060", "1 INVITE", NULL, sl[0], 0},
         {"INVITE sip:200@" CLOUD " SIP/2.0", NAT ":5060;branch=z9hG4bK-i1;rport",
          "sip:100@" NAT ":5060", "1 INVITE", NULL, sw[0], 0}},
        {1500,
         false,
         false,
         false,
         {"SIP/2.0 200 OK", PHONE ":5060;branch=z9hG4bK-i1;rport=5060;received=" PHONE,
          "sip:200@" CLOUD ":5060", "1 INVITE", "t2", sl[1], 0},
         {"SIP/2.0 200 OK", NAT ":5060;branch=z9hG4bK-i1;rport=5060;received=" NAT,
          "sip:200@" CLOUD ":5060", "1 INVITE", "t2", sl[1], 0}},
        {1520,
         true,
         false,
         false,
         {"ACK sip:200@" CLOUD ":5060 SIP/2.0", PHONE ":5060;branch=z9hG4bK-a1;rport",
          "sip:100@" PHONE ":5060", "1 ACK", "t2", NULL, 0},
         {"ACK sip:200@" CLOUD ":5060 SIP/2.0", NAT ":5060;branch=z9hG4bK-a1;rport",
          "sip:100@" NAT ":5060", "1 ACK", "t2", NULL, 0}},
        /* hold: this ALG rewrites the body but forgets Content-Length */
        {4000,
         true,
         false,
         false,
         {"INVITE sip:200@" CLOUD ":5060 SIP/2.0", PHONE ":5060;branch=z9hG4bK-i2;rport",
          "sip:100@" PHONE ":5060", "2 INVITE", "t2", sl[2], 0},
         {"INVITE sip:200@" CLOUD ":5060 SIP/2.0", NAT ":5060;branch=z9hG4bK-i2;rport",
          "sip:100@" NAT ":5060", "2 INVITE", "t2", sw[2], -4}},
        {4040,
         false,
         false,
         false,
         {"SIP/2.0 200 OK", PHONE ":5060;branch=z9hG4bK-i2;rport=5060;received=" PHONE,
          "sip:200@" CLOUD ":5060", "2 INVITE", "t2", NULL, 0},
         {"SIP/2.0 200 OK", NAT ":5060;branch=z9hG4bK-i2;rport=5060;received=" NAT,
          "sip:200@" CLOUD ":5060", "2 INVITE", "t2", NULL, 0}},
        /* the ALG swallows the phone's INFO */
        {6000,
         true,
         true,
         false,
         {"INFO sip:200@" CLOUD ":5060 SIP/2.0", PHONE ":5060;branch=z9hG4bK-n1;rport",
          "sip:100@" PHONE ":5060", "3 INFO", "t2", NULL, 0},
         {0}},
        {10000,
         true,
         false,
         false,
         {"BYE sip:200@" CLOUD ":5060 SIP/2.0", PHONE ":5060;branch=z9hG4bK-b1;rport", NULL,
          "4 BYE", "t2", NULL, 0},
         {"BYE sip:200@" CLOUD ":5060 SIP/2.0", NAT ":5060;branch=z9hG4bK-b1;rport", NULL, "4 BYE",
          "t2", NULL, 0}},
        {10040,
         false,
         false,
         false,
         {"SIP/2.0 200 OK", PHONE ":5060;branch=z9hG4bK-b1;rport=5060;received=" PHONE, NULL,
          "4 BYE", "t2", NULL, 0},
         {"SIP/2.0 200 OK", NAT ":5060;branch=z9hG4bK-b1;rport=5060;received=" NAT, NULL, "4 BYE",
          "t2", NULL, 0}},
    };
    char text[2048];
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const struct step *s = &steps[i];
        if ((lan && s->wan_only) || (!lan && s->lan_only))
            continue;
        const char *cid = i < 2 ? "reg-7a1@" PHONE : "call-9c2@" PHONE;
        amsg_text(text, sizeof text, lan ? &s->lan : &s->wan, cid);
        /* outbound: LAN first, WAN 0.3 ms later; inbound the other way round */
        int64_t ms = s->ms;
        uint16_t id = (uint16_t)(0x2000 + i * 8 + ((s->out == lan) ? 0 : 3));
        const char *me = lan ? PHONE : NAT;
        if (s->out)
            put(w, me, 5060, CLOUD, 5060, text, ms, id);
        else
            put(w, CLOUD, 5060, me, 5060, text, ms, id);
    }
    return 0;
}

/*
 * The media pair: an ALG rewrites the INVITE's Via/Contact and its SDP c=/m= to the NAT's
 * address and a port of its own (41000) but leaves o= private, while the NAT keeps the RTP's
 * source port (16000): the phone's RTP leaves the NAT from 198.51.100.20:16000, the cloud sends
 * its RTP to :41000 as told, and none of that reaches the phone.
 */
static int
write_media_pair(struct writer *w, bool lan)
{
    char sl[600], sw[600], sc[600], text[2048];
    sdp_body(sl, sizeof sl, PHONE, PHONE, 16000, NULL);
    sdp_body(sw, sizeof sw, PHONE, NAT, 41000, NULL);
    sdp_body(sc, sizeof sc, CLOUD, CLOUD, 30000, NULL);
    const char *cid = "media-3e8@" PHONE;
    const struct step steps[] = {
        {0,
         true,
         false,
         false,
         {"INVITE sip:200@" CLOUD " SIP/2.0", PHONE ":5060;branch=z9hG4bK-v1;rport",
          "sip:100@" PHONE ":5060", "1 INVITE", NULL, sl, 0},
         {"INVITE sip:200@" CLOUD " SIP/2.0", NAT ":5060;branch=z9hG4bK-v1;rport",
          "sip:100@" NAT ":5060", "1 INVITE", NULL, sw, 0}},
        {100,
         false,
         false,
         false,
         {"SIP/2.0 200 OK", PHONE ":5060;branch=z9hG4bK-v1;rport=5060;received=" PHONE,
          "sip:200@" CLOUD ":5060", "1 INVITE", "t7", sc, 0},
         {"SIP/2.0 200 OK", NAT ":5060;branch=z9hG4bK-v1;rport=5060;received=" NAT,
          "sip:200@" CLOUD ":5060", "1 INVITE", "t7", sc, 0}},
        {120,
         true,
         false,
         false,
         {"ACK sip:200@" CLOUD ":5060 SIP/2.0", PHONE ":5060;branch=z9hG4bK-v2;rport",
          "sip:100@" PHONE ":5060", "1 ACK", "t7", NULL, 0},
         {"ACK sip:200@" CLOUD ":5060 SIP/2.0", NAT ":5060;branch=z9hG4bK-v2;rport",
          "sip:100@" NAT ":5060", "1 ACK", "t7", NULL, 0}},
        {1500,
         true,
         false,
         false,
         {"BYE sip:200@" CLOUD ":5060 SIP/2.0", PHONE ":5060;branch=z9hG4bK-v3;rport", NULL,
          "2 BYE", "t7", NULL, 0},
         {"BYE sip:200@" CLOUD ":5060 SIP/2.0", NAT ":5060;branch=z9hG4bK-v3;rport", NULL, "2 BYE",
          "t7", NULL, 0}},
        {1540,
         false,
         false,
         false,
         {"SIP/2.0 200 OK", PHONE ":5060;branch=z9hG4bK-v3;rport=5060;received=" PHONE, NULL,
          "2 BYE", "t7", NULL, 0},
         {"SIP/2.0 200 OK", NAT ":5060;branch=z9hG4bK-v3;rport=5060;received=" NAT, NULL, "2 BYE",
          "t7", NULL, 0}},
    };
    const char *me = lan ? PHONE : NAT;
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const struct step *st = &steps[i];
        amsg_text(text, sizeof text, lan ? &st->lan : &st->wan, cid);
        uint16_t id = (uint16_t)(0x3800 + i * 8 + ((st->out == lan) ? 0 : 3));
        if (st->out)
            put(w, me, 5060, CLOUD, 5060, text, st->ms, id);
        else
            put(w, CLOUD, 5060, me, 5060, text, st->ms, id);
        if (i != 2)
            continue;
        /* 60 RTP packets each way, 20 ms apart, from 200 ms */
        for (uint16_t k = 0; k < 60; k++) {
            uint8_t rtp[SCEN_RTP_LEN];
            struct build b;
            int64_t t = SCEN_T0_NS + (200 + 20 * (int64_t)k) * SCEN_MS;
            struct ip_spec ip = scen_ip(me, CLOUD, (uint16_t)(0x4000 + k));
            scen_rtp(rtp, k == 0, (uint16_t)(1000 + k), 160u * k, 0x5eed0001u);
            build_udp_packet(&b, &ip, 16000, 30000, rtp, SCEN_RTP_LEN);
            scen_eth_write(w, &b, SCEN_TO_SERVER, t + (lan ? 0 : 300000));
            if (lan)
                continue; /* the cloud's RTP goes to :41000, where the NAT has no binding */
            ip = scen_ip(CLOUD, NAT, (uint16_t)(0x5000 + k));
            scen_rtp(rtp, k == 0, (uint16_t)(7000 + k), 160u * k, 0xc10d0002u);
            build_udp_packet(&b, &ip, 30000, 41000, rtp, SCEN_RTP_LEN);
            scen_eth_write(w, &b, SCEN_TO_CLIENT, t + 5 * SCEN_MS);
        }
    }
    return 0;
}

/* One-point captures: a few messages each. */
static void
write_one(struct writer *w, int kind)
{
    char text[2048], body[700];
    const char *cid = "one-5b3@" PHONE;
    struct amsg m;
    switch (kind) {
    case SCEN_ALG_ECHOED:
    case SCEN_ALG_OK_LANPBX: {
        const char *srv = kind == SCEN_ALG_ECHOED ? CLOUD : "192.168.1.5";
        m = (struct amsg){"REGISTER sip:example.com SIP/2.0",
                          PHONE ":5060;branch=z9hG4bK-e1;rport",
                          "sip:100@" PHONE ":5060",
                          "1 REGISTER",
                          NULL,
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, PHONE, 5060, srv, 5060, text, 0, 0x3001);
        /* the registrar saw the NAT's 198.51.100.20:40001; the ALG put the phone's address
         * back into received= and left the NAT's port in rport= (NAT evidence). The LAN PBX
         * really saw the phone: rport=5060. */
        m = (struct amsg){"SIP/2.0 200 OK",
                          kind == SCEN_ALG_ECHOED
                              ? PHONE ":5060;branch=z9hG4bK-e1;rport=40001;received=" PHONE
                              : PHONE ":5060;branch=z9hG4bK-e1;rport=5060;received=" PHONE,
                          "sip:100@" PHONE ":5060",
                          "1 REGISTER",
                          "t9",
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, srv, 5060, PHONE, 5060, text, 30, 0x3002);
        return;
    }
    case SCEN_ALG_CL:
        sdp_body(body, sizeof body, NAT, NAT, 41000, NULL);
        m = (struct amsg){"INVITE sip:200@" CLOUD " SIP/2.0",
                          NAT ":5060;branch=z9hG4bK-c1;rport",
                          "sip:100@" NAT ":5060",
                          "1 INVITE",
                          NULL,
                          body,
                          -2};
        amsg_text(text, sizeof text, &m, cid);
        put(w, NAT, 5060, CLOUD, 5060, text, 0, 0x3101);
        return;
    case SCEN_ALG_MIXED_PORT:
        m = (struct amsg){"REGISTER sip:example.com SIP/2.0",
                          NAT ":5060;branch=z9hG4bK-m1;rport",
                          "sip:100@" NAT ":40001",
                          "1 REGISTER",
                          NULL,
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, NAT, 40001, CLOUD, 5060, text, 0, 0x3201);
        return;
    case SCEN_ALG_MIXED_SDP:
        sdp_body(body, sizeof body, PHONE, NAT, 4000, NULL);
        m = (struct amsg){"INVITE sip:200@" CLOUD " SIP/2.0",
                          PHONE ":5060;branch=z9hG4bK-s1;rport",
                          "sip:100@" PHONE ":5060",
                          "1 INVITE",
                          NULL,
                          body,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, NAT, 40002, CLOUD, 5060, text, 0, 0x3301);
        return;
    case SCEN_ALG_OK_STUN:
        sdp_body(body, sizeof body, PHONE, NAT, 41000,
                 "a=candidate:1 1 UDP 2130706431 " PHONE " 4000 typ host\r\n"
                 "a=candidate:2 1 UDP 1694498815 " NAT " 41000 typ srflx raddr " PHONE
                 " rport 4000\r\n");
        m = (struct amsg){"INVITE sip:200@" CLOUD " SIP/2.0",
                          PHONE ":5060;branch=z9hG4bK-u1;rport",
                          "sip:100@" NAT ":40003",
                          "1 INVITE",
                          NULL,
                          body,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, NAT, 40003, CLOUD, 5060, text, 0, 0x3401);
        return;
    case SCEN_ALG_OK_RPORT:
        m = (struct amsg){"REGISTER sip:example.com SIP/2.0",
                          PHONE ":5060;branch=z9hG4bK-p1;rport",
                          "sip:100@" PHONE ":5060",
                          "1 REGISTER",
                          NULL,
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, NAT, 40004, CLOUD, 5060, text, 0, 0x3501);
        m = (struct amsg){"SIP/2.0 200 OK",
                          PHONE ":5060;branch=z9hG4bK-p1;rport=40004;received=" NAT,
                          "sip:100@" PHONE ":5060",
                          "1 REGISTER",
                          "t5",
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, CLOUD, 5060, NAT, 40004, text, 30, 0x3502);
        m = (struct amsg){"REGISTER sip:example.com SIP/2.0",
                          PHONE ":5060;branch=z9hG4bK-p2;rport",
                          "sip:100@" NAT ":40004",
                          "2 REGISTER",
                          NULL,
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, NAT, 40004, CLOUD, 5060, text, 60, 0x3503);
        return;
    default: /* SCEN_ALG_OK_PUBLIC */
        m = (struct amsg){"REGISTER sip:example.com SIP/2.0",
                          "203.0.113.77:5060;branch=z9hG4bK-q1;rport",
                          "sip:100@203.0.113.77:5060",
                          "1 REGISTER",
                          NULL,
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, "203.0.113.77", 5060, CLOUD, 5060, text, 0, 0x3601);
        m = (struct amsg){"SIP/2.0 200 OK",
                          "203.0.113.77:5060;branch=z9hG4bK-q1;rport=5060;received=203.0.113.77",
                          "sip:100@203.0.113.77:5060",
                          "1 REGISTER",
                          "t6",
                          NULL,
                          0};
        amsg_text(text, sizeof text, &m, cid);
        put(w, CLOUD, 5060, "203.0.113.77", 5060, text, 30, 0x3602);
        sdp_body(body, sizeof body, "203.0.113.77", "203.0.113.77", 4000, NULL);
        m = (struct amsg){"INVITE sip:200@" CLOUD " SIP/2.0",
                          "203.0.113.77:5060;branch=z9hG4bK-q2;rport",
                          "sip:100@203.0.113.77:5060",
                          "2 INVITE",
                          NULL,
                          body,
                          0};
        amsg_text(text, sizeof text, &m, "call-pub@203.0.113.77");
        put(w, "203.0.113.77", 5060, CLOUD, 5060, text, 1000, 0x3603);
        return;
    }
}

int
scen_alg(const char *path, int arg, char *err, size_t errlen)
{
    struct writer w;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    if (arg == SCEN_ALG_PAIR_LAN || arg == SCEN_ALG_PAIR_WAN)
        write_pair(&w, arg == SCEN_ALG_PAIR_LAN);
    else if (arg == SCEN_ALG_MEDIA_LAN || arg == SCEN_ALG_MEDIA_WAN)
        write_media_pair(&w, arg == SCEN_ALG_MEDIA_LAN);
    else
        write_one(&w, arg);
    return writer_close(&w, err, errlen);
}
