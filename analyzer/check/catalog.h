/* catalog.h — every finding voipdiag can report, and the provider requirements they bear on. */
#ifndef VOIPDIAG_CATALOG_H
#define VOIPDIAG_CATALOG_H

#include <stdbool.h>

enum severity {
    SEV_INFO = 0,
    SEV_WARN,
    SEV_FAIL,
};

/* The rows of the requirements table (docs/requirements.md), in report order. */
enum requirement_id {
    REQ_NAT = 0,
    REQ_SIP,
    REQ_RTP,
    REQ_HTTP,
    REQ_HTTPS,
    REQ_NTP,
    REQ_REMOTE,
    REQ_IPBLOCKS,
    REQ_ALG,
    REQ__COUNT,
    REQ_NONE = -1, /* a fact about the capture itself */
};

/* Finding codes. Their names (catalog_name) are stable API: never rename one. */
enum finding_code {
    FIND_CAPTURE_TRUNCATED = 0,
    FIND_CAPTURE_READ_ERROR,
    FIND_CAPTURE_KERNEL_DROPS,
    FIND_CAPTURE_FLOWS_EVICTED,
    FIND_CAPTURE_UNSEEN_TCP_DATA,
    FIND_CAPTURE_FRAGMENTS_DROPPED,
    FIND_CAPTURE_SNAPLEN_CUT,
    FIND_PACKET_MALFORMED,
    /* NAT keep-alives and bindings (issue 5) */
    FIND_NAT_KEEPALIVE_GAP,
    FIND_NAT_INBOUND_KEEPALIVES_MISSING,
    FIND_NAT_KEEPALIVES_ONE_WAY,
    FIND_NAT_KEEPALIVE_DROPPED_BY_FIREWALL,
    FIND_NAT_REBINDING,
    FIND_NAT_BINDING_EXPIRED_IDLE,
    FIND_NAT_INBOUND_INVITE_LOST,
    /* SIP (issue 3): add sip.* codes here */
    FIND_SIP_NO_RESPONSE,
    FIND_SIP_REGISTRATION_FAILED,
    FIND_SIP_REGISTRATION_FLAPPING,
    FIND_SIP_MALFORMED,
    FIND_SIP_CONTENT_LENGTH_MISMATCH,
    FIND_SIP_PORT_OUTSIDE_PROFILE,
    FIND_SIP_ICMP_UNREACHABLE,
    /* RTP (issue 4): add rtp.* codes here */
    FIND_RTP_ONE_WAY,
    FIND_RTP_NO_MEDIA,
    FIND_RTP_ICMP_UNREACHABLE,
    FIND_RTP_MEDIA_TO_PRIVATE_ADDRESS,
    FIND_RTP_SOURCE_NOT_ANNOUNCED,
    FIND_RTP_MEDIA_STOPPED,
    FIND_RTP_PORT_OUTSIDE_PROFILE,
    FIND_RTP_PACKET_LOSS,
    FIND_RTP_CAPTURE_LOSS_SUSPECTED,
    FIND_RTP_STREAMS_EVICTED,
    /* HTTP, HTTPS, NTP, REMOTE, IPBLOCKS (issue 7): add their codes here */
    FIND_HTTP_SYN_UNANSWERED,
    FIND_HTTP_REFUSED,
    FIND_HTTP_BLOCKED_ICMP,
    FIND_HTTPS_SYN_UNANSWERED,
    FIND_HTTPS_REFUSED,
    FIND_HTTPS_BLOCKED_ICMP,
    FIND_NTP_NO_RESPONSE,
    FIND_REMOTE_BLOCKED,
    FIND_REMOTE_DEGRADED,
    FIND_IPBLOCKS_PROVIDER_UNREACHABLE,
    FIND_IPBLOCKS_SIP_SERVER_OUTSIDE,
    /* SIP ALG (issue 6): add alg.* codes here */
    FIND_ALG_HEADER_REWRITTEN,
    FIND_ALG_SDP_REWRITTEN,
    FIND_ALG_BODY_LENGTH_CHANGED,
    FIND_ALG_MESSAGE_SWALLOWED,
    FIND_ALG_MESSAGE_GENERATED,
    FIND_ALG_PRIVATE_RECEIVED_ECHOED,
    FIND_ALG_PRIVATE_RECEIVED_SUSPECTED,
    FIND_ALG_MIXED_ADDRESSING,
    FIND_ALG_PUBLIC_ADDRESS_UNLEARNED,
    FIND_ALG_CONTENT_LENGTH_MISMATCH,
    FIND_ALG_MEDIA_ADDRESS_ELSEWHERE,
    FIND__COUNT,
};

/* How sure a finding is: high unless its evidence is an absence of traffic and the capture
 * itself lost packets (result_finish lowers it one level then). */
enum confidence {
    CONF_HIGH = 0,
    CONF_MEDIUM,
    CONF_LOW,
};

struct finding_kind {
    enum finding_code code;
    const char *name;          /* "capture.truncated" */
    enum severity severity;
    enum requirement_id requirement;
    const char *meaning;       /* one line for the catalog listing */
};

/* The catalog row of a code; never NULL for a valid code. */
const struct finding_kind *catalog_get(enum finding_code code);

/*
 * Whether findings of code are proven by traffic that was not seen (no response, no keep-alive,
 * no media): the ones a capture that lost packets makes less certain.
 */
bool catalog_from_absence(enum finding_code code);

/* "NAT", "SIP" … as in the JSON contract. */
const char *requirement_name(enum requirement_id id);

/* "fail" / "warn" / "info". */
const char *severity_name(enum severity s);

/* "high" / "medium" / "low". */
const char *confidence_name(enum confidence c);

#endif
