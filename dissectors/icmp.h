/* icmp.h — the ICMP / ICMPv6 decoder dissect.c calls. */
#ifndef VOIPDIAG_ICMP_H
#define VOIPDIAG_ICMP_H

#include "layer.h"

/*
 * Decode the ICMP (pkt->ip_version 4) or ICMPv6 (6) message at the front of s: type, code,
 * LAYER_ICMP and, for an error message, the quoted packet into pkt->quote. A quote that
 * cannot be decoded is recorded as ANOM_ICMP_QUOTE_BAD without changing the status: the
 * ICMP message itself is fine. Returns DISSECT_OK, or DISSECT_TRUNCATED (ANOM_ICMP_TRUNCATED)
 * when the capture ends inside the 8-byte header.
 */
enum dissect_status icmp_dissect(struct span *s, struct packet *pkt);

#endif
