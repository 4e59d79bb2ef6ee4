/* catalog.h — every finding voipdiag can report, and the provider requirements they bear on. */
#ifndef VOIPDIAG_CATALOG_H
#define VOIPDIAG_CATALOG_H

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
    /* SIP (issue 3): add sip.* codes here */
    /* RTP (issue 4): add rtp.* codes here */
    /* HTTP, HTTPS, NTP, REMOTE, IPBLOCKS (issue 7): add their codes here */
    FIND__COUNT,
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

/* "NAT", "SIP" … as in the JSON contract. */
const char *requirement_name(enum requirement_id id);

/* "fail" / "warn" / "info". */
const char *severity_name(enum severity s);

#endif
