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
    /* SIP (issue 3) */
    /* RTP (issue 4) */
    /* HTTP, HTTPS, NTP, REMOTE, IPBLOCKS (issue 7) */
};

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
