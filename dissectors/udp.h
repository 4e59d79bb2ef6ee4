/* udp.h — the UDP header decoder dissect.c calls. */
#ifndef VOIPDIAG_UDP_H
#define VOIPDIAG_UDP_H

#include "layer.h"

#define UDP_PORT_VXLAN 4789

/*
 * Decode the UDP header at the front of s (the IP payload). On DISSECT_OK ports, LAYER_UDP
 * and the payload window (captured part, and the length the header promises) are set and s
 * is narrowed to the UDP payload. Otherwise records the anomaly and returns the status.
 */
enum dissect_status udp_dissect(struct span *s, struct packet *pkt);

#endif
