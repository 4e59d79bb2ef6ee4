/* scen_rtp_calls.h — SIP/SDP calls with RTP media (RFC 3550) for the media tracker's captures. */
#ifndef CAPGEN_SCEN_RTP_CALLS_H
#define CAPGEN_SCEN_RTP_CALLS_H

#include <stddef.h>

/* Variants of scen_rtp_call (arg); captures/README.md states each one's expected figures. */
enum scen_rtp_variant {
    SCEN_RTP_HEALTHY, /* 200 packets each way, BYE */
    SCEN_RTP_ONE_WAY, /* the caller sends, receives nothing */
    SCEN_RTP_ICMP,    /* the caller's media draws ICMP port unreachable from the firewall */
    SCEN_RTP_NAT,     /* WAN side of a NAT without ALG: SDP says 192.168.1.10, media latched */
    SCEN_RTP_STOPPED, /* peer → caller stops at 3 s of a 10 s call (UDP session time-out) */
    SCEN_RTP_SSRC,    /* the caller's SSRC changes halfway (new stream) */
    SCEN_RTP_LOSS,    /* caller → peer: 6 lost, 2 swapped, 1 duplicated */
};

/* One call of variant arg into path; 0, or -1 with a sentence in err. */
int scen_rtp_call(const char *path, int arg, char *err, size_t errlen);

#endif
