/* scen_alg.h — SIP ALG scenarios (RFC 3261 §18.2.1, RFC 3581): a LAN/WAN pair with known
 * rewrites, one-point fingerprints and their look-alikes that must stay silent. */
#ifndef CAPGEN_SCEN_ALG_H
#define CAPGEN_SCEN_ALG_H

#include <stddef.h>

/* Variants of scen_alg (arg). */
enum scen_alg_kind {
    SCEN_ALG_PAIR_LAN,   /* the pair, LAN side: what the phone sent and received */
    SCEN_ALG_PAIR_WAN,   /* the pair, WAN side: after a Linux-style ALG rewrote it */
    SCEN_ALG_ECHOED,     /* LAN: 200 from a public registrar with received= the phone's address */
    SCEN_ALG_CL,         /* WAN: INVITE whose SDP grew while Content-Length did not */
    SCEN_ALG_MIXED_PORT, /* WAN: Contact on the NAT port, Via on the LAN port */
    SCEN_ALG_MIXED_SDP,  /* WAN: SDP c= on the NAT address, o= and Contact private */
    SCEN_ALG_OK_STUN,    /* WAN: STUN-aware phone (srflx candidate), o= private: silent */
    SCEN_ALG_OK_RPORT,   /* WAN: rport-aware phone learns its Contact from received=: silent */
    SCEN_ALG_OK_PUBLIC,  /* phone with a public address, no NAT: silent */
    SCEN_ALG_OK_LANPBX,  /* LAN PBX echoes the phone's private received=: silent */
    SCEN_ALG_MEDIA_LAN,  /* media pair, LAN side: the phone's SDP :16000, its RTP from :16000 */
    SCEN_ALG_MEDIA_WAN,  /* media pair, WAN side: SDP rewritten to :41000, RTP from NAT :16000 */
};

int scen_alg(const char *path, int arg, char *err, size_t errlen);

#endif
