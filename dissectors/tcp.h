/* tcp.h — the TCP header decoder dissect.c calls. */
#ifndef VOIPDIAG_TCP_H
#define VOIPDIAG_TCP_H

#include "layer.h"

/*
 * Decode the TCP header at the front of s (the IP payload): ports, flags, seq, ack, window,
 * LAYER_TCP, then the payload window after the options. When only the options are cut by
 * snaplen the fixed fields are kept and DISSECT_TRUNCATED returned with no payload.
 * Otherwise records the anomaly and returns the status.
 */
enum dissect_status tcp_dissect(struct span *s, struct packet *pkt);

#endif
