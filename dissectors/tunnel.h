/* tunnel.h — the tunnel-header decoders dissect.c calls (GRE, ERSPAN, VXLAN). */
#ifndef VOIPDIAG_TUNNEL_H
#define VOIPDIAG_TUNNEL_H

#include <stdint.h>

#include "layer.h"

/*
 * Both decoders consume their header from the front of s (the IP or UDP payload). When it
 * carries something dissect.c can follow they set *type to its ethertype (ETH_TEB: an
 * Ethernet frame follows) and *via to the tunnel kind, and return DISSECT_OK. A payload they
 * do not follow (GRE version 1, an unknown protocol type, a non-Ethernet ERSPAN III frame)
 * returns DISSECT_OK with *via left at TUNNEL_NONE. A header cut by the capture returns
 * DISSECT_TRUNCATED, one that breaks the rules DISSECT_MALFORMED, both recorded in pkt.
 */
enum dissect_status tunnel_gre(struct span *s, struct packet *pkt, uint16_t *type,
                               enum tunnel_kind *via);
enum dissect_status tunnel_vxlan(struct span *s, struct packet *pkt, uint16_t *type,
                                 enum tunnel_kind *via);

#endif
