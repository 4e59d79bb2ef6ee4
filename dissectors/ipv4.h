/* ipv4.h — the IPv4 header decoder dissect.c calls. */
#ifndef VOIPDIAG_IPV4_H
#define VOIPDIAG_IPV4_H

#include "layer.h"

/*
 * Decode the IPv4 header at the front of s, found inside tunnel via (TUNNEL_NONE: not in a
 * tunnel). On DISSECT_OK the packet describes this header (src, dst, ttl, ip_proto, l3,
 * the tunnel counted), s is narrowed to the IP payload (link padding dropped) and,
 * for a fragment, LAYER_FRAGMENT and pkt->frag are set: the caller stops there. A payload cut
 * by snaplen is recorded (ANOM_IP_PAYLOAD_CUT, status TRUNCATED) and still returns DISSECT_OK
 * so the transport header can be read. Otherwise the anomaly is recorded, the status returned
 * and pkt's network fields are left as they were.
 */
enum dissect_status ipv4_dissect(struct span *s, struct packet *pkt, enum tunnel_kind via);

#endif
