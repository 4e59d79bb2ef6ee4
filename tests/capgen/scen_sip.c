/* scen_sip.c — SIP call messages (RFC 3261 §13–15: INVITE, 100, 180, 200 with SDP answer,
 * ACK, BYE) and OPTIONS keep-alives (§11), over sip_text. */
#include "scen_sip.h"

#include <stdio.h>
#include <string.h>

#include "scen.h"
#include "sip_text.h"

int
scen_sip_dir(enum scen_sip_kind k)
{
    return k == SCEN_SIP_INVITE || k == SCEN_SIP_ACK || k == SCEN_SIP_BYE ? SCEN_TO_SERVER
                                                                          : SCEN_TO_CLIENT;
}

/* SDP of d's offer (caller media) or answer (peer media) into buf; returns 0 or -1. */
static int
scen_sip_sdp(char *buf, size_t cap, const struct scen_dialog *d, int answer)
{
    char addr[48];
    struct sdp_spec s = {
        .user = answer ? "gw" : d->caller_user,
        .sess_id = d->sdp_id + (answer ? 7 : 0),
        .addr = build_addr_text(answer ? &d->peer_media : &d->ua_media, addr, false),
        .port = answer ? d->peer_rtp : d->ua_rtp,
        .codecs = answer ? "0 101" : "0 8 101",
        .candidates = answer ? 0 : d->invite_candidates,
    };
    return sdp_text_format(buf, cap, &s) < 0 ? -1 : 0;
}

int
scen_sip_format(char *buf, size_t cap, const struct scen_dialog *d, enum scen_sip_kind k)
{
    char uah[48], pxh[48], ruri[96], from[128], to[96], contact[128], branch[80], body[8192];
    int tcp = strcmp(d->transport, "TCP") == 0;
    build_addr_text(&d->ua, uah, true);
    build_addr_text(&d->proxy, pxh, true);
    snprintf(from, sizeof from, "\"%s\" <sip:%s@example.com>", d->caller_user, d->caller_user);
    snprintf(to, sizeof to, "<sip:%s@example.com>", d->callee_user);
    int req = scen_sip_dir(k) == SCEN_TO_SERVER;
    if (req)
        snprintf(contact, sizeof contact, "sip:%s@%s:%u%s", d->caller_user, uah,
                 (unsigned)d->ua_port, tcp ? ";transport=tcp" : "");
    else
        snprintf(contact, sizeof contact, "sip:%s@%s:%u%s", d->callee_user, pxh,
                 (unsigned)d->proxy_port, tcp ? ";transport=tcp" : "");
    /* the dialog's remote target for ACK and BYE is the 200 OK's Contact */
    snprintf(ruri, sizeof ruri, "sip:%s@%s:%u%s", d->callee_user, pxh, (unsigned)d->proxy_port,
             tcp ? ";transport=tcp" : "");
    int txn = k == SCEN_SIP_ACK ? 2 : (k == SCEN_SIP_BYE || k == SCEN_SIP_BYE_200) ? 3 : 1;
    snprintf(branch, sizeof branch, "z9hG4bK%s.%d", d->branch, txn);

    struct sip_msg m = {
        .transport = d->transport,
        .via_host = uah,
        .via_port = d->ua_port,
        .branch = branch,
        .from = from,
        .from_tag = d->from_tag,
        .to = to,
        .to_tag = k == SCEN_SIP_INVITE || k == SCEN_SIP_100 ? NULL : d->to_tag,
        .call_id = d->call_id,
        .cseq = txn == 3 ? 2 : 1,
        .user_agent = req ? "Yealink SIP-T46U 108.86.0.90" : "Asterisk PBX 20.5.0",
    };
    switch (k) {
    case SCEN_SIP_INVITE:
        snprintf(ruri, sizeof ruri, "sip:%s@example.com", d->callee_user);
        m.method = "INVITE";
        m.ruri = ruri;
        m.contact = contact;
        m.extra = "Allow: INVITE, ACK, CANCEL, BYE, REFER, OPTIONS, NOTIFY, INFO, UPDATE\r\n"
                  "Supported: replaces, timer, 100rel\r\nSession-Expires: 1800\r\n"
                  "Min-SE: 90\r\nAllow-Events: talk, hold, conference, refer, check-sync\r\n";
        break;
    case SCEN_SIP_100:
        m.status = 100;
        m.reason = "Trying";
        break;
    case SCEN_SIP_180:
        m.status = 180;
        m.reason = "Ringing";
        m.contact = contact;
        break;
    case SCEN_SIP_200:
        m.status = 200;
        m.reason = "OK";
        m.contact = contact;
        m.extra = "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO\r\n"
                  "Supported: replaces, timer\r\nSession-Expires: 1800;refresher=uac\r\n"
                  "Require: timer\r\n";
        break;
    case SCEN_SIP_ACK:
    case SCEN_SIP_BYE:
        m.method = k == SCEN_SIP_ACK ? "ACK" : "BYE";
        m.ruri = ruri;
        break;
    case SCEN_SIP_BYE_200:
        m.status = 200;
        m.reason = "OK";
        break;
    }
    if (m.status)
        m.cseq_method = k == SCEN_SIP_BYE_200 ? "BYE" : "INVITE";
    if (k == SCEN_SIP_INVITE || k == SCEN_SIP_200) {
        if (scen_sip_sdp(body, sizeof body, d, k == SCEN_SIP_200) != 0)
            return -1;
        m.content_type = "application/sdp";
        m.body = body;
    }
    return sip_text_format(buf, cap, &m);
}

int
scen_sip_big_invite(char *buf, size_t cap, const struct scen_dialog *d, size_t min_len)
{
    struct scen_dialog big = *d;
    for (big.invite_candidates = 0; big.invite_candidates < 120; big.invite_candidates++) {
        int n = scen_sip_format(buf, cap, &big, SCEN_SIP_INVITE);
        if (n < 0 || (size_t)n >= min_len)
            return n;
    }
    return -1;
}

int
scen_sip_options(char *buf, size_t cap, int dir, const struct build_addr *ua,
                 const struct build_addr *srv, const char *call_id)
{
    char uah[48], srvh[48], uaraw[48], ruri[64], contact[80], to[64], extra[96], branch[32];
    uint32_t h = 2166136261u; /* FNV-1a of the Call-ID: one branch per transaction */
    for (const char *p = call_id; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    snprintf(branch, sizeof branch, "z9hG4bK.%08x", (unsigned)h);
    build_addr_text(ua, uah, true);
    build_addr_text(ua, uaraw, false);
    build_addr_text(srv, srvh, true);
    snprintf(ruri, sizeof ruri, "sip:%s", srvh);
    snprintf(contact, sizeof contact, "sip:100@%s:5060", uah);
    snprintf(to, sizeof to, "<sip:%s>", srvh);
    snprintf(extra, sizeof extra, ";received=%s;rport=5060", uaraw);
    int up = dir == SCEN_TO_SERVER;
    struct sip_msg m = {
        .method = up ? "OPTIONS" : NULL,
        .ruri = ruri,
        .status = 200,
        .reason = "OK",
        .transport = "UDP",
        .via_host = uah,
        .via_port = 5060,
        .branch = branch,
        .via_extra = up ? ";rport" : extra,
        .from = "<sip:100@example.com>",
        .from_tag = "a73kszlfl",
        .to = to,
        .to_tag = up ? NULL : "as6f1e2d7c",
        .call_id = call_id,
        .cseq = 1,
        .cseq_method = "OPTIONS",
        .contact = up ? contact : NULL,
        .user_agent = up ? "Linphone/5.2.0 (belle-sip/5.2.0)" : "Asterisk PBX 20.5.0",
        .extra = up ? "Accept: application/sdp\r\n"
                    : "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO\r\n"
                      "Supported: replaces, timer\r\nAccept: application/sdp\r\n",
    };
    return sip_text_format(buf, cap, &m);
}
