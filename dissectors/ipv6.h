/* ipv6.h — the IPv6 decoder dissect.c calls, and the extension-header rule icmp.c shares. */
#ifndef VOIPDIAG_IPV6_H
#define VOIPDIAG_IPV6_H

#include <stdint.h>

#include "layer.h"

#define IPV6_HDR_LEN 40
#define IPV6_MAX_EXT 8 /* extension headers followed before ANOM_IPV6_TOO_MANY_EXT */

/*
 * Length in bytes of the extension header of type nh whose length byte (its second byte) is
 * len_field: hop-by-hop, routing, destination options, fragment, AH. 0 when nh is not one of
 * those (a transport, ESP, no-next-header …): the chain ends there.
 */
uint32_t ipv6_ext_len(uint8_t nh, uint8_t len_field);

/*
 * Decode the IPv6 fixed header at the front of s, found inside tunnel via (TUNNEL_NONE: not in
 * a tunnel), then its extension-header chain. Once the fixed header is accepted the packet
 * describes it (even when the chain turns out bad) and s is the IP payload. On DISSECT_OK,
 * s starts at the transport header and ip_proto names it; for a non-atomic fragment
 * LAYER_FRAGMENT and pkt->frag are set and the caller stops. A payload cut by snaplen is
 * recorded (ANOM_IP_PAYLOAD_CUT) and still returns DISSECT_OK. Otherwise the anomaly is
 * recorded and the status returned.
 */
enum dissect_status ipv6_dissect(struct span *s, struct packet *pkt, enum tunnel_kind via);

#endif
