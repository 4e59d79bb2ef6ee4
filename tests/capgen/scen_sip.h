/* scen_sip.h — the SIP messages of one call (RFC 3261 §13–15 with SDP offer/answer, RFC 3264)
 * and of OPTIONS / REGISTER exchanges, as scenarios and the benchmark send them. */
#ifndef CAPGEN_SCEN_SIP_H
#define CAPGEN_SCEN_SIP_H

#include <stddef.h>
#include <stdint.h>

#include "build.h"

/* One call from a user agent (caller) through a proxy to callee_user; all text fields are
 * the caller's to keep alive while messages are formatted. */
struct scen_dialog {
    const char *transport; /* "UDP" or "TCP" */
    struct build_addr ua;  /* caller's signalling address */
    uint16_t ua_port;
    struct build_addr proxy; /* where requests go, and responses come from */
    uint16_t proxy_port;
    const char *caller_user, *callee_user;
    const char *call_id, *from_tag, *to_tag, *branch; /* branch: unique per call, no prefix */
    struct build_addr ua_media, peer_media;           /* SDP offer / answer addresses */
    uint16_t ua_rtp, peer_rtp;                        /* SDP offer / answer ports */
    uint64_t sdp_id;
    unsigned invite_candidates; /* ICE candidate lines in the offer (makes a big INVITE) */
};

enum scen_sip_kind {
    SCEN_SIP_INVITE,  /* caller → proxy, SDP offer */
    SCEN_SIP_100,     /* proxy → caller, Trying */
    SCEN_SIP_180,     /* Ringing, To tag */
    SCEN_SIP_200,     /* OK to the INVITE, SDP answer */
    SCEN_SIP_ACK,     /* caller → proxy */
    SCEN_SIP_BYE,     /* caller → proxy */
    SCEN_SIP_BYE_200, /* OK to the BYE */
};

/* Whether messages of kind k travel from the caller (SCEN_TO_SERVER) or to it. */
int scen_sip_dir(enum scen_sip_kind k);

/* Format message k of dialog d into buf. Returns its length, or -1 when it does not fit. */
int scen_sip_format(char *buf, size_t cap, const struct scen_dialog *d, enum scen_sip_kind k);

/* An INVITE of d whose ICE candidate list is grown until the message is at least min_len
 * bytes (for fragmentation tests). Returns its length, or -1 when it does not fit in cap. */
int scen_sip_big_invite(char *buf, size_t cap, const struct scen_dialog *d, size_t min_len);

/* SIP text of an OPTIONS keep-alive (dir 0) or its 200 OK (dir 1) between user agent ua and
 * server srv (both on port 5060) into buf. Returns the length, or -1. */
int scen_sip_options(char *buf, size_t cap, int dir, const struct build_addr *ua,
                     const struct build_addr *srv, const char *call_id);

#endif
