/* catalog.c — every finding voipdiag can report. Names are stable API: never rename one. */
#include "catalog.h"

static const struct finding_kind catalog[FIND__COUNT] = {
    {FIND_CAPTURE_TRUNCATED, "capture.truncated", SEV_WARN, REQ_NONE,
     "a capture file ends inside a packet record; the frames before it were analysed"},
    {FIND_CAPTURE_READ_ERROR, "capture.read_error", SEV_WARN, REQ_NONE,
     "reading a capture file stopped early on an error; the frames before it were analysed"},
    {FIND_CAPTURE_KERNEL_DROPS, "capture.kernel_drops", SEV_WARN, REQ_NONE,
     "the kernel or interface dropped packets during a live capture: gaps may be capture loss"},
    {FIND_CAPTURE_FLOWS_EVICTED, "capture.flows_evicted", SEV_WARN, REQ_NONE,
     "the flow table was full and idle flows were ended early (raise --max-flows)"},
    {FIND_CAPTURE_UNSEEN_TCP_DATA, "capture.unseen_tcp_data", SEV_WARN, REQ_NONE,
     "TCP acknowledged data the capture never saw: the capture itself lost packets"},
    {FIND_CAPTURE_FRAGMENTS_DROPPED, "capture.fragments_dropped", SEV_INFO, REQ_NONE,
     "IP fragments that could not be reassembled (missing, overlapping, timed out, cut)"},
    {FIND_CAPTURE_SNAPLEN_CUT, "capture.snaplen_cut", SEV_INFO, REQ_NONE,
     "frames were captured shorter than they were on the wire (snaplen): payloads are partial"},
    {FIND_PACKET_MALFORMED, "packet.malformed", SEV_INFO, REQ_NONE,
     "frames whose headers contradict their protocol (lengths, offsets, versions)"},
    /* NAT (issue 5) */
    {FIND_NAT_KEEPALIVE_GAP, "nat.keepalive_gap", SEV_FAIL, REQ_NAT,
     "cloud-to-phone keep-alives paused longer than 1.5x their interval while the phone was alive"},
    {FIND_NAT_INBOUND_KEEPALIVES_MISSING, "nat.inbound_keepalives_missing", SEV_FAIL, REQ_NAT,
     "cloud-to-phone keep-alives stopped while phone-to-cloud traffic went on: inbound path lost"},
    {FIND_NAT_KEEPALIVES_ONE_WAY, "nat.keepalives_one_way", SEV_WARN, REQ_NAT,
     "keep-alives from the phone only: none from the cloud reached this capture point"},
    {FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL, "nat.keepalive_dropped_by_firewall", SEV_FAIL,
     REQ_NAT, "keep-alives seen on the WAN side never appeared on the LAN side (two points)"},
    {FIND_NAT_REBINDING, "nat.rebinding", SEV_FAIL, REQ_NAT,
     "the NAT gave the phone a new public address:port after <= the required idle time"},
    {FIND_NAT_BINDING_EXPIRED_IDLE, "nat.binding_expired_idle", SEV_INFO, REQ_NAT,
     "the NAT gave the phone a new public address:port after a silence longer than required"},
    {FIND_NAT_INBOUND_INVITE_LOST, "nat.inbound_invite_lost", SEV_FAIL, REQ_NAT,
     "an INVITE from the cloud was retransmitted and the phone never answered: call lost"},
    /* SIP (issue 3) */
    {FIND_SIP_NO_RESPONSE, "sip.no_response", SEV_FAIL, REQ_SIP,
     "a SIP request (retransmitted) never got any response: dropped on the way or ignored"},
    {FIND_SIP_REGISTRATION_FAILED, "sip.registration_failed", SEV_FAIL, REQ_SIP,
     "a registration never succeeded, or its last attempt failed (error, challenge, silence)"},
    {FIND_SIP_REGISTRATION_FLAPPING, "sip.registration_flapping", SEV_WARN, REQ_SIP,
     "a registration failed and recovered, or the public address the registrar saw kept moving"},
    {FIND_SIP_MALFORMED, "sip.malformed", SEV_INFO, REQ_SIP,
     "a SIP message the parser rejected (sofia-sip's reason and the frame are given)"},
    {FIND_SIP_CONTENT_LENGTH_MISMATCH, "sip.content_length_mismatch", SEV_WARN, REQ_SIP,
     "Content-Length disagrees with the body carried: a classic SIP ALG rewrite symptom"},
    {FIND_SIP_PORT_OUTSIDE_PROFILE, "sip.port_outside_profile", SEV_WARN, REQ_SIP,
     "SIP between ports both outside the profile's SIP range (default 5060-5080)"},
    {FIND_SIP_ICMP_UNREACHABLE, "sip.icmp_unreachable", SEV_FAIL, REQ_SIP,
     "SIP packets drew ICMP destination-unreachable errors (port closed or filtered)"},
    /* RTP (issue 4) */
    {FIND_RTP_ONE_WAY, "rtp.one_way", SEV_FAIL, REQ_RTP,
     "a call's media flowed in one direction only: one party received no audio"},
    {FIND_RTP_NO_MEDIA, "rtp.no_media", SEV_FAIL, REQ_RTP,
     "a call's SDP offer and answer expected media and none flowed in either direction"},
    {FIND_RTP_ICMP_UNREACHABLE, "rtp.icmp_unreachable", SEV_FAIL, REQ_RTP,
     "media packets drew ICMP errors (port unreachable, administratively prohibited)"},
    {FIND_RTP_MEDIA_TO_PRIVATE_ADDRESS, "rtp.media_to_private_address", SEV_WARN, REQ_RTP,
     "an SDP announced a private address to a public peer: NAT without SIP ALG or STUN"},
    {FIND_RTP_SOURCE_NOT_ANNOUNCED, "rtp.source_not_announced", SEV_INFO, REQ_RTP,
     "media came from an address:port its sender's SDP did not announce (NAT, latching)"},
    {FIND_RTP_MEDIA_STOPPED, "rtp.media_stopped", SEV_FAIL, REQ_RTP,
     "media stopped mid-call while the call went on (e.g. a firewall UDP session time-out)"},
    {FIND_RTP_PORT_OUTSIDE_PROFILE, "rtp.port_outside_profile", SEV_WARN, REQ_RTP,
     "a media port (in SDP or on the wire) is outside the provider profile's UDP range"},
    {FIND_RTP_PACKET_LOSS, "rtp.packet_loss", SEV_WARN, REQ_RTP,
     "an RTP stream lost more packets than the limit (sequence numbers never received)"},
    {FIND_RTP_CAPTURE_LOSS_SUSPECTED, "rtp.capture_loss_suspected", SEV_INFO, REQ_RTP,
     "RTP gaps that the capture itself may have caused (drops, unseen TCP data, one-sided)"},
    {FIND_RTP_STREAMS_EVICTED, "rtp.streams_evicted", SEV_INFO, REQ_NONE,
     "the RTP stream table was full: streams were ended early and may appear split"},
    /* HTTP, HTTPS, NTP, REMOTE, IPBLOCKS (issue 7) */
    {FIND_HTTP_SYN_UNANSWERED, "http.syn_unanswered", SEV_FAIL, REQ_HTTP,
     "TCP SYNs to the HTTP port were retransmitted and never answered (silently dropped)"},
    {FIND_HTTP_REFUSED, "http.refused", SEV_FAIL, REQ_HTTP,
     "a TCP connection to the HTTP port was refused with a RST before it was established"},
    {FIND_HTTP_BLOCKED_ICMP, "http.blocked_icmp", SEV_FAIL, REQ_HTTP,
     "a TCP connection to the HTTP port drew an ICMP error (e.g. administratively prohibited)"},
    {FIND_HTTPS_SYN_UNANSWERED, "https.syn_unanswered", SEV_FAIL, REQ_HTTPS,
     "TCP SYNs to the HTTPS port were retransmitted and never answered (silently dropped)"},
    {FIND_HTTPS_REFUSED, "https.refused", SEV_FAIL, REQ_HTTPS,
     "a TCP connection to the HTTPS port was refused with a RST before it was established"},
    {FIND_HTTPS_BLOCKED_ICMP, "https.blocked_icmp", SEV_FAIL, REQ_HTTPS,
     "a TCP connection to the HTTPS port drew an ICMP error (e.g. administratively prohibited)"},
    {FIND_NTP_NO_RESPONSE, "ntp.no_response", SEV_FAIL, REQ_NTP,
     "NTP requests to a server on UDP 123 got no response"},
    {FIND_REMOTE_BLOCKED, "remote.blocked", SEV_FAIL, REQ_REMOTE,
     "remote-support attempts on 5938 failed and no fallback over 443 succeeded"},
    {FIND_REMOTE_DEGRADED, "remote.degraded", SEV_WARN, REQ_REMOTE,
     "remote support works only over the 443 fallback: 5938 is blocked, quality may suffer"},
    {FIND_IPBLOCKS_PROVIDER_UNREACHABLE, "ipblocks.provider_unreachable", SEV_FAIL, REQ_IPBLOCKS,
     "traffic to a host inside the provider's IP blocks failed (unanswered, refused, ICMP)"},
    {FIND_IPBLOCKS_SIP_SERVER_OUTSIDE, "ipblocks.sip_server_outside", SEV_WARN, REQ_IPBLOCKS,
     "a SIP server the phones talk to is outside the provider's IP blocks"},
    /* SIP ALG (issue 6) */
    {FIND_ALG_HEADER_REWRITTEN, "alg.header_rewritten", SEV_FAIL, REQ_ALG,
     "a SIP header (Via, Contact, Request-URI, From/To, routes) changed between two capture "
     "points: proof of a SIP ALG"},
    {FIND_ALG_SDP_REWRITTEN, "alg.sdp_rewritten", SEV_FAIL, REQ_ALG,
     "the SDP (o=, c=, m= ports, a=rtcp, candidates) changed between two capture points"},
    {FIND_ALG_BODY_LENGTH_CHANGED, "alg.body_length_changed", SEV_FAIL, REQ_ALG,
     "the body length changed in transit and Content-Length was not fixed to match"},
    {FIND_ALG_MESSAGE_SWALLOWED, "alg.message_swallowed", SEV_FAIL, REQ_ALG,
     "a SIP message of a dialog that crossed both capture points reached the middlebox and "
     "never left it"},
    {FIND_ALG_MESSAGE_GENERATED, "alg.message_generated", SEV_FAIL, REQ_ALG,
     "a SIP message left the middlebox that never entered it: the middlebox made it up"},
    {FIND_ALG_PRIVATE_RECEIVED_ECHOED, "alg.private_received_echoed", SEV_FAIL, REQ_ALG,
     "a response from a public server names the phone's own private address in Via received=: "
     "rewritten back on the way in"},
    {FIND_ALG_PRIVATE_RECEIVED_SUSPECTED, "alg.private_received_suspected", SEV_WARN, REQ_ALG,
     "a response from a public server carries a private Via received= address (weaker form)"},
    {FIND_ALG_MIXED_ADDRESSING, "alg.mixed_addressing", SEV_WARN, REQ_ALG,
     "one message mixes private and NAT-public addresses (Via, Contact, SDP o=/c=): a partial "
     "rewrite no phone or server makes"},
    {FIND_ALG_PUBLIC_ADDRESS_UNLEARNED, "alg.public_address_unlearned", SEV_WARN, REQ_ALG,
     "the NAT's public address appears in Contact/Via/SDP while the phone's own copies carry "
     "private ones and it never learnt it (STUN, srflx, rport)"},
    {FIND_ALG_CONTENT_LENGTH_MISMATCH, "alg.content_length_mismatch", SEV_WARN, REQ_ALG,
     "an SDP body whose length disagrees with Content-Length by a few bytes: an address "
     "rewritten in the body"},
    {FIND_ALG_MEDIA_ADDRESS_ELSEWHERE, "alg.media_address_elsewhere", SEV_WARN, REQ_ALG,
     "an SDP media address (c=/m=) was rewritten in transit while the call's RTP flows from "
     "another address:port: the rewrite misdirects the peer's media"},
};

/* Findings proven by an absence of traffic (nothing answered, nothing arrived, a gap): the
 * ones a capture that lost packets makes less certain. */
static const bool absence[FIND__COUNT] = {
    [FIND_NAT_KEEPALIVE_GAP] = true,
    [FIND_NAT_INBOUND_KEEPALIVES_MISSING] = true,
    [FIND_NAT_KEEPALIVES_ONE_WAY] = true,
    [FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL] = true,
    [FIND_NAT_INBOUND_INVITE_LOST] = true,
    [FIND_SIP_NO_RESPONSE] = true,
    [FIND_SIP_REGISTRATION_FAILED] = true, /* the success may be what the capture lost; an
                                              error response is proof (sip_finish.c clears it) */
    [FIND_RTP_ONE_WAY] = true, /* proof when ICMP refused the media (media_finish.c clears it) */
    [FIND_RTP_NO_MEDIA] = true,
    [FIND_RTP_MEDIA_STOPPED] = true,
    [FIND_RTP_PACKET_LOSS] = true,
    [FIND_HTTP_SYN_UNANSWERED] = true,
    [FIND_HTTPS_SYN_UNANSWERED] = true,
    [FIND_NTP_NO_RESPONSE] = true,
    [FIND_REMOTE_BLOCKED] = true,
    [FIND_REMOTE_DEGRADED] = true,
    [FIND_IPBLOCKS_PROVIDER_UNREACHABLE] = true,
    [FIND_ALG_MESSAGE_SWALLOWED] = true,
    [FIND_ALG_MESSAGE_GENERATED] = true,
};

bool
catalog_from_absence(enum finding_code code)
{
    return code >= 0 && code < FIND__COUNT && absence[code];
}

static const char *const req_names[REQ__COUNT] = {
    "NAT", "SIP", "RTP", "HTTP", "HTTPS", "NTP", "REMOTE", "IPBLOCKS", "ALG",
};

const struct finding_kind *
catalog_get(enum finding_code code)
{
    return &catalog[code];
}

const char *
requirement_name(enum requirement_id id)
{
    return id >= 0 && id < REQ__COUNT ? req_names[id] : "none";
}

const char *
confidence_name(enum confidence c)
{
    switch (c) {
    case CONF_LOW:
        return "low";
    case CONF_MEDIUM:
        return "medium";
    default:
        return "high";
    }
}

const char *
severity_name(enum severity s)
{
    switch (s) {
    case SEV_FAIL:
        return "fail";
    case SEV_WARN:
        return "warn";
    default:
        return "info";
    }
}
