/* scen_rtp_calls.c — SIP calls with SDP (RFC 3264) and RTP (RFC 3550) media: healthy, one-way,
 * ICMP-blocked, NAT-latched, stopped mid-call, SSRC change, loss and reordering. */
#include <string.h>

#include "scen_rtp_calls.h"

#include "scen.h"
#include "scen_sip.h"

#define CALLER "10.0.0.10"
#define PROXY "192.0.2.10"
#define PEER "198.51.100.20"
#define NAT_PUBLIC "203.0.113.5"
#define FIREWALL "203.0.113.1"
#define UA_RTP 16384
#define PEER_RTP 40000

struct call_out {
    struct writer w;
    struct build b;
    struct ip_spec up, down; /* caller → peer, peer → caller (media) */
    uint16_t up_sport, up_dport;
    uint8_t last_ip[2048]; /* the last media IP packet, before its Ethernet header */
    uint32_t last_len;
};

/* One media packet of direction dir (SCEN_TO_SERVER: caller → peer). */
static void
media(struct call_out *o, int dir, uint16_t seq, uint32_t ts, uint32_t ssrc, bool marker, int64_t t)
{
    uint8_t rtp[SCEN_RTP_LEN];
    struct ip_spec *ip = dir == SCEN_TO_SERVER ? &o->up : &o->down;
    uint16_t sp = dir == SCEN_TO_SERVER ? o->up_sport : o->up_dport;
    uint16_t dp = dir == SCEN_TO_SERVER ? o->up_dport : o->up_sport;
    build_udp_packet(&o->b, ip, sp, dp, rtp, scen_rtp(rtp, marker, seq, ts, ssrc));
    ip->id++;
    o->last_len = o->b.len;
    memcpy(o->last_ip, o->b.buf + o->b.off, o->b.len);
    scen_eth_write(&o->w, &o->b, dir, t);
}

/* The SIP messages of d: INVITE, 100, 200 (answer), ACK at t0…t0+330 ms; BYE at bye_t. */
static void
signalling(struct call_out *o, const struct scen_dialog *d, const char *ua_ip, int64_t bye_t)
{
    static const enum scen_sip_kind k[] = {SCEN_SIP_INVITE, SCEN_SIP_100, SCEN_SIP_200,
                                           SCEN_SIP_ACK,    SCEN_SIP_BYE, SCEN_SIP_BYE_200};
    static const int64_t at_ms[] = {0, 30, 300, 330, 0, 30};
    char text[4096];
    struct ip_spec up = scen_ip(ua_ip, PROXY, 0x0a00), down = scen_ip_reply(&up, 55, 0x0b00);
    for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        int dir = scen_sip_dir(k[i]);
        int n = scen_sip_format(text, sizeof text, d, k[i]);
        struct ip_spec *ip = dir == SCEN_TO_SERVER ? &up : &down;
        build_udp_packet(&o->b, ip, 5060, 5060, text, (uint32_t)n);
        ip->id++;
        scen_eth_write(&o->w, &o->b, dir, (i < 4 ? SCEN_T0_NS : bye_t) + at_ms[i] * SCEN_MS);
    }
}

/* A small deterministic arrival wobble (µs) so jitter is not zero. */
static int64_t
wobble(unsigned i)
{
    return (int64_t)((i * 37u) % 11u) * 50000;
}

int
scen_rtp_call(const char *path, int arg, char *err, size_t errlen)
{
    static struct call_out o;
    memset(&o, 0, sizeof(o));
    if (writer_open(&o.w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    bool nat = arg == SCEN_RTP_NAT;
    const char *ua_ip = nat ? NAT_PUBLIC : CALLER;
    struct scen_dialog d = {
        .transport = "UDP",
        .ua = build_addr(ua_ip),
        .ua_port = 5060,
        .proxy = build_addr(PROXY),
        .proxy_port = 5060,
        .caller_user = "100",
        .callee_user = "200",
        .call_id = "rtp-call-4a1f@10.0.0.10",
        .from_tag = "rc1",
        .to_tag = "rc2",
        .branch = "rtpc1",
        /* behind a NAT without ALG the phone still announces its private address */
        .ua_media = build_addr(nat ? "192.168.1.10" : CALLER),
        .peer_media = build_addr(PEER),
        .ua_rtp = UA_RTP,
        .peer_rtp = PEER_RTP,
        .sdp_id = 4004,
    };
    int64_t t0 = SCEN_T0_NS + 400 * SCEN_MS, ms = SCEN_MS;
    unsigned n = 200; /* 4 s of 20 ms packets */
    int64_t bye = t0 + (int64_t)n * 20 * ms + 200 * ms;
    if (arg == SCEN_RTP_STOPPED)
        n = 500, bye = t0 + 10200 * ms;
    o.up = scen_ip(ua_ip, PEER, 0x3a00);
    o.down = scen_ip_reply(&o.up, 52, 0x5c00);
    o.up_sport = nat ? 40000 : UA_RTP; /* the NAT's public port for the phone's 16384 */
    o.up_dport = PEER_RTP;
    signalling(&o, &d, ua_ip, bye);

    struct ip_spec icmp = scen_ip(FIREWALL, ua_ip, 0x0310);
    icmp.ttl = 64;
    icmp.df = false;
    uint8_t copy[2048];
    uint32_t up_ssrc = 0x0c0ffee1, down_ssrc = 0x0beef002;
    unsigned icmp_sent = 0;
    int64_t icmp_last = 0;
    for (unsigned i = 0; i < n; i++) {
        int64_t t = t0 + (int64_t)i * 20 * ms;
        uint16_t seq = (uint16_t)(1000 + i);
        uint32_t ts = 8000u + 160u * i;
        /* caller → peer */
        if (arg == SCEN_RTP_SSRC && i == n / 2)
            up_ssrc = 0x0c0ffee2; /* the phone restarts its RTP session (e.g. after a transfer) */
        uint16_t up_seq = arg == SCEN_RTP_SSRC && i >= n / 2 ? (uint16_t)(30000 + i - n / 2) : seq;
        bool send_up = true, dup = false;
        if (arg == SCEN_RTP_LOSS)
            send_up = i != 100 && !(i >= 150 && i <= 154), dup = i == 170;
        if (send_up && arg == SCEN_RTP_LOSS && (i == 120 || i == 121)) {
            /* 120 and 121 arrive swapped */
            unsigned j = i == 120 ? 121 : 120;
            media(&o, SCEN_TO_SERVER, (uint16_t)(1000 + j), 8000u + 160u * j, up_ssrc, false,
                  t + wobble(i));
        } else if (send_up) {
            bool marker = i == 0 || (arg == SCEN_RTP_SSRC && i == n / 2);
            media(&o, SCEN_TO_SERVER, up_seq, ts, up_ssrc, marker, t + wobble(i));
            if (dup)
                media(&o, SCEN_TO_SERVER, up_seq, ts, up_ssrc, false, t + wobble(i) + 300000);
        }
        if (arg == SCEN_RTP_ICMP && (icmp_sent < 6 || t - icmp_last >= 1000 * ms)) {
            /* the firewall rejects the media with port unreachable, rate-limited as Linux */
            uint32_t len = o.last_len;
            memcpy(copy, o.last_ip, len);
            struct build e;
            build_icmp_error(&e, &icmp, 3, 3, 0, copy, len, 548);
            icmp.id++;
            scen_eth_write(&o.w, &e, SCEN_TO_CLIENT, t + 200000);
            icmp_sent++;
            icmp_last = t;
        }
        /* peer → caller */
        bool send_down = arg != SCEN_RTP_ONE_WAY;
        if (arg == SCEN_RTP_STOPPED && i >= 150)
            send_down = false; /* the firewall's UDP session timed out at 3 s */
        if (send_down)
            media(&o, SCEN_TO_CLIENT, (uint16_t)(5000 + i), 160u * i, down_ssrc, i == 0,
                  t + 7 * ms + wobble(i * 3));
    }
    return writer_close(&o.w, err, errlen);
}
