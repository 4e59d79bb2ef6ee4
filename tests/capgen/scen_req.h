/* scen_req.h — the requirement scenarios (issue 7): one capture per row and state of the
 * HTTP, HTTPS, NTP, REMOTE and IPBLOCKS checks, read with scripts/profiles/lab.ini. */
#ifndef CAPGEN_SCEN_REQ_H
#define CAPGEN_SCEN_REQ_H

#include <stddef.h>

/* Variants of scen_req (arg). */
enum scen_req {
    SCEN_REQ_HTTP_PASS,
    SCEN_REQ_HTTP_SYN_DROP,
    SCEN_REQ_HTTPS_RST,
    SCEN_REQ_HTTPS_ICMP_ADMIN,
    SCEN_REQ_NTP_PASS,
    SCEN_REQ_NTP_UNANSWERED,
    SCEN_REQ_REMOTE_PASS,
    SCEN_REQ_REMOTE_DEGRADED,
    SCEN_REQ_REMOTE_BLOCKED,
    SCEN_REQ_IPBLOCKS_PASS,
    SCEN_REQ_IPBLOCKS_UNREACHABLE,
    SCEN_REQ_IPBLOCKS_SIP_OUTSIDE,
};

/* Write variant arg to path; 0, or -1 with a sentence in err. */
int scen_req(const char *path, int arg, char *err, size_t errlen);

#endif
