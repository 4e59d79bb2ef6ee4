/* scen_misc.c — capture-file properties: snaplen-cut records, a truncated last record,
 * two sides of a NAT firewall (RFC 3022) for merging, and nanosecond timestamps. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scen.h"
#include "scen_sip.h"
#include "sip_text.h"

/* One RTP packet of a fixed stream (dir 0: 10.0.0.10:16384 → 198.51.100.20:40000) into b. */
static void
scen_rtp_packet(struct build *b, int dir, int i)
{
    uint8_t rtp[SCEN_RTP_LEN];
    struct ip_spec ip = dir == SCEN_TO_SERVER
                            ? scen_ip("10.0.0.10", "198.51.100.20", (uint16_t)(0x2a00 + i))
                            : scen_ip("198.51.100.20", "10.0.0.10", (uint16_t)(0x9100 + i));
    if (dir == SCEN_TO_CLIENT)
        ip.ttl = 55;
    uint16_t seq = (uint16_t)(dir == SCEN_TO_SERVER ? 4711 + i : 20001 + i);
    uint32_t ts = (dir == SCEN_TO_SERVER ? 160000u : 3200000u) + 160u * (uint32_t)i;
    uint32_t ssrc = dir == SCEN_TO_SERVER ? 0x1badcafe : 0x5eed5eed;
    build_udp_packet(b, &ip, dir == SCEN_TO_SERVER ? 16384 : 40000,
                     dir == SCEN_TO_SERVER ? 40000 : 16384, rtp,
                     scen_rtp(rtp, i == 0, seq, ts, ssrc));
}

int
scen_snaplen(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    struct build b;
    char text[4096];
    if (writer_open(&w, path, DLT_EN10MB, false, 96, err, errlen) != 0)
        return -1;
    struct scen_dialog d = {
        .transport = "UDP",
        .ua = build_addr("10.0.0.10"),
        .ua_port = 5060,
        .proxy = build_addr("192.0.2.10"),
        .proxy_port = 5060,
        .caller_user = "100",
        .callee_user = "200",
        .call_id = "snap-2b7d@10.0.0.10",
        .from_tag = "s1",
        .to_tag = "s2",
        .branch = "sn1",
        .ua_media = build_addr("10.0.0.10"),
        .peer_media = build_addr("198.51.100.20"),
        .ua_rtp = 16384,
        .peer_rtp = 40000,
        .sdp_id = 96,
    };
    static const enum scen_sip_kind call[] = {SCEN_SIP_INVITE, SCEN_SIP_100, SCEN_SIP_200,
                                              SCEN_SIP_ACK};
    struct ip_spec up = scen_ip("10.0.0.10", "192.0.2.10", 0x0a00);
    struct ip_spec down = scen_ip_reply(&up, 55, 0x0b00);
    for (int i = 0; i < 4; i++) {
        int dir = scen_sip_dir(call[i]);
        int n = scen_sip_format(text, sizeof text, &d, call[i]);
        build_udp_packet(&b, dir == SCEN_TO_SERVER ? &up : &down, 5060, 5060, text, (uint32_t)n);
        (dir == SCEN_TO_SERVER ? &up : &down)->id++;
        scen_eth_write(&w, &b, dir, SCEN_T0_NS + i * 30 * SCEN_MS);
    }
    for (int i = 0; i < 10; i++) {
        scen_rtp_packet(&b, i % 2, i / 2);
        scen_eth_write(&w, &b, i % 2, SCEN_T0_NS + SCEN_S + i * 10 * SCEN_MS);
    }
    /* TLS over TCP (data cut) and NTP (90-byte frames: whole) */
    struct scen_flows f = scen_flows_default(4, "10.0.0.10", SCEN_T0_NS + 2 * SCEN_S);
    f.which = SCEN_FLOW_TLS | SCEN_FLOW_NTP;
    struct scen_sink s = {scen_eth_emit, &w, 0, 0};
    scen_flows_emit(&s, &f);
    return writer_close(&w, err, errlen);
}

int
scen_truncated(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    struct build b;
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    struct scen_flows f = scen_flows_default(4, "10.0.0.10", SCEN_T0_NS);
    struct scen_sink s = {scen_eth_emit, &w, 0, 0};
    scen_flows_emit(&s, &f);
    for (int i = 0; i < 6; i++) {
        scen_rtp_packet(&b, i % 2, i / 2);
        scen_eth_write(&w, &b, i % 2, SCEN_T0_NS + SCEN_S + i * 10 * SCEN_MS);
    }
    uint64_t size = w.bytes;
    if (writer_close(&w, err, errlen) != 0)
        return -1;
    if (truncate(path, (off_t)(size - 30)) != 0) { /* cut inside the last 214-byte frame */
        snprintf(err, errlen, "cannot truncate: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* MACs of the firewall's WAN port and of the provider's router. */
static const uint8_t mac_fw_wan[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xfe};
static const uint8_t mac_isp[6] = {0x00, 0x00, 0x5e, 0x00, 0x53, 0xff};

/* One SIP message of the merge exchange; i-th step, as seen on side. dir is the direction
 * relative to the phone. Written on the LAN side at ts, on the WAN side 0.3 ms after the
 * copy that passed the firewall first (outbound: LAN first; inbound: WAN first). */
static void
scen_merge_msg(struct writer *w, int side, int dir, const char *text, uint16_t id, int64_t ts)
{
    struct build b;
    bool lan = side == SCEN_SIDE_LAN;
    struct ip_spec ip = scen_ip(lan ? "192.168.1.10" : "198.51.100.2", "203.0.113.5", id);
    uint16_t port = lan ? 5060 : 40001;
    ip.ttl = lan ? 64 : 63; /* the firewall routed it */
    if (dir == SCEN_TO_CLIENT) {
        ip = scen_ip_reply(&ip, lan ? 51 : 52, id);
        ip.df = false;
    }
    int64_t delay = (dir == SCEN_TO_SERVER) == lan ? 0 : 300000;
    build_udp_packet(&b, &ip, dir == SCEN_TO_SERVER ? port : 5060,
                     dir == SCEN_TO_SERVER ? 5060 : port, text, (uint32_t)strlen(text));
    if (lan) {
        scen_eth_write(w, &b, dir, ts + delay);
        return;
    }
    struct eth_spec e;
    memset(&e, 0, sizeof e);
    memcpy(e.src, dir == SCEN_TO_SERVER ? mac_fw_wan : mac_isp, 6);
    memcpy(e.dst, dir == SCEN_TO_SERVER ? mac_isp : mac_fw_wan, 6);
    build_eth(&b, &e, 0x0800);
    writer_frame(w, ts + delay, build_data(&b), b.len);
}

int
scen_merge(const char *path, int arg, char *err, size_t errlen)
{
    struct writer w;
    char text[2048], branch[32], cid[64];
    if (writer_open(&w, path, DLT_EN10MB, false, 262144, err, errlen) != 0)
        return -1;
    /* REGISTER, 401, REGISTER with credentials, 200 OK; then the registrar's OPTIONS through
     * the pinhole 25 s later and its 200 OK. No SIP ALG: Via/Contact keep 192.168.1.10. */
    static const char *auth = "Authorization: Digest username=\"100\", realm=\"example.com\", "
                              "nonce=\"6a1c9e0f\", uri=\"sip:example.com\", "
                              "response=\"3b1f0c5a77d2e4f1a9c08b6e2d4f7a11\", algorithm=MD5\r\n"
                              "Expires: 300\r\n";
    static const char *chal = "WWW-Authenticate: Digest realm=\"example.com\", "
                              "nonce=\"6a1c9e0f\", algorithm=MD5\r\n";
    const struct {
        int dir;
        const char *method; /* NULL: a response */
        int status;
        uint32_t cseq;
        const char *extra;
        int64_t ms;
    } step[] = {
        {SCEN_TO_SERVER, "REGISTER", 0, 1, "Expires: 300\r\n", 0},
        {SCEN_TO_CLIENT, NULL, 401, 1, chal, 18},
        {SCEN_TO_SERVER, "REGISTER", 0, 2, auth, 20},
        {SCEN_TO_CLIENT, NULL, 200, 2, "Expires: 300\r\n", 39},
        {SCEN_TO_CLIENT, "OPTIONS", 0, 7001, NULL, 25039},
        {SCEN_TO_SERVER, NULL, 200, 7001, NULL, 25040},
    };
    for (unsigned i = 0; i < sizeof step / sizeof step[0]; i++) {
        bool options = i >= 4, req = step[i].method != NULL;
        bool phone = step[i].dir == SCEN_TO_SERVER;
        snprintf(branch, sizeof branch, "z9hG4bK.mg%u", (unsigned)step[i].cseq);
        snprintf(cid, sizeof cid, options ? "opt-4d1e@203.0.113.5" : "reg-81c3a5@192.168.1.10");
        struct sip_msg m = {
            .method = step[i].method,
            .ruri = options ? "sip:100@192.168.1.10:5060" : "sip:example.com",
            .status = step[i].status,
            .reason = step[i].status == 401 ? "Unauthorized" : "OK",
            .transport = "UDP",
            .via_host = options ? "203.0.113.5" : "192.168.1.10",
            .via_port = 5060,
            .branch = branch,
            .via_extra = options ? NULL
                         : req   ? ";rport"
                                 : ";rport=40001;received=198.51.100.2",
            .from = options ? "<sip:registrar@example.com>" : "<sip:100@example.com>",
            .from_tag = options ? "r0a8" : "m71c2",
            .to = "<sip:100@example.com>",
            .to_tag = req       ? NULL
                      : options ? "gx9a1"
                                : "as3e9d",
            .call_id = cid,
            .cseq = step[i].cseq,
            .cseq_method = options ? "OPTIONS" : "REGISTER",
            .contact = options ? NULL : "sip:100@192.168.1.10:5060",
            .user_agent = phone ? "Grandstream GXP2170 1.0.11.64" : "Asterisk PBX 20.5.0",
            .extra = step[i].extra,
        };
        sip_text_format(text, sizeof text, &m);
        uint16_t id = (uint16_t)(phone ? 0x1200 + i : 0x8800 + i);
        scen_merge_msg(&w, arg, step[i].dir, text, id, SCEN_T0_NS + step[i].ms * SCEN_MS);
    }
    return writer_close(&w, err, errlen);
}

int
scen_nanosecond(const char *path, int arg, char *err, size_t errlen)
{
    (void)arg;
    struct writer w;
    struct build b;
    /* offsets from 09:00:00 that differ only below the microsecond (packets 4/5 and 8/9
     * share one µs value) and straddle a second (7/8) */
    static const int64_t off_ns[] = {1,        20000137,  40000999,   60000100,  60000900,
                                     80000001, 999999999, 1000000000, 1000000001};
    if (writer_open(&w, path, DLT_EN10MB, true, 262144, err, errlen) != 0)
        return -1;
    for (unsigned i = 0; i < sizeof off_ns / sizeof off_ns[0]; i++) {
        scen_rtp_packet(&b, (int)(i % 2), (int)(i / 2));
        scen_eth_write(&w, &b, (int)(i % 2), SCEN_T0_NS + off_ns[i]);
    }
    return writer_close(&w, err, errlen);
}
