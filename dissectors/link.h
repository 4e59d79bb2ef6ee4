/* link.h — link-layer decoders: each consumes its header and names the protocol that follows. */
#ifndef VOIPDIAG_LINK_H
#define VOIPDIAG_LINK_H

#include <stdint.h>

#include "layer.h"

/* pcap link types decoded (LINKTYPE_ values; named apart from <pcap.h>'s DLT_ macros). */
enum link_dlt {
    LINK_DLT_NULL = 0,           /* BSD loopback, AF in the writer's byte order */
    LINK_DLT_EN10MB = 1,         /* Ethernet II */
    LINK_DLT_PPP = 9,            /* PPP, optional 0xff03 address/control */
    LINK_DLT_RAW = 12,           /* raw IP (Linux value) */
    LINK_DLT_RAW_OPENBSD = 14,   /* raw IP (OpenBSD value) */
    LINK_DLT_PPP_SERIAL = 50,    /* PPP in HDLC-like framing, or Cisco HDLC */
    LINK_DLT_RAW_LINKTYPE = 101, /* LINKTYPE_RAW as written in files */
    LINK_DLT_LOOP = 108,         /* OpenBSD loopback, AF in network order */
    LINK_DLT_LINUX_SLL = 113,    /* Linux cooked capture v1 */
    LINK_DLT_IPV4 = 228,
    LINK_DLT_IPV6 = 229,
    LINK_DLT_LINUX_SLL2 = 276, /* Linux cooked capture v2 */
};

/*
 * Every decoder below has one contract: it consumes its header from the front of s and, on
 * DISSECT_OK, sets *type to the ethertype of what follows (0 when that is not a protocol we
 * can name, which the caller treats as not IP). On failure it records the anomaly in pkt
 * (layer_mark) and returns the status. Reads only through s; keeps no pointer.
 */
enum dissect_status link_ether(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_sll(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_sll2(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_null(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_loop(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_ppp(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_raw(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_raw_ipv4(struct span *s, struct packet *pkt, uint16_t *type);
enum dissect_status link_raw_ipv6(struct span *s, struct packet *pkt, uint16_t *type);

/* An 802.1Q / 802.1ad tag (after its ethertype): appends the VLAN id to pkt->vlan. */
enum dissect_status link_vlan(struct span *s, struct packet *pkt, uint16_t *type);

/* A PPPoE session header and the PPP protocol inside; narrows s to the PPPoE length. */
enum dissect_status link_pppoe(struct span *s, struct packet *pkt, uint16_t *type);

#endif
