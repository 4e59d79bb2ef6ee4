/* dissect.h — the one entry point from frame bytes to struct packet (link → tunnels → IP → L4). */
#ifndef VOIPDIAG_DISSECT_H
#define VOIPDIAG_DISSECT_H

#include <stdint.h>

#include "packet.h"

/*
 * Decode one captured frame of link type dlt (a pcap DLT_ value) into pkt. The caller sets
 * pkt->frame, ts_ns, caplen, wirelen and file first; everything else is reset here.
 * Tunnels (IP-in-IP, GRE, ERSPAN II/III, VXLAN on UDP 4789) are peeled and the inner packet
 * described. An IP fragment stops at LAYER_FRAGMENT with pkt->frag filled in.
 * Returns pkt->status. Pure: no allocation, no state, no output. Never reads past caplen.
 */
enum dissect_status dissect_frame(int dlt, const uint8_t *data, uint32_t caplen, struct packet *pkt);

/*
 * Decode a bare IP datagram (for instance one rebuilt by the fragment reassembler) into pkt,
 * keeping pkt's frame fields and link fields. Same contract as dissect_frame.
 */
enum dissect_status dissect_ip(const uint8_t *data, uint32_t len, struct packet *pkt);

/* Whether dissect_frame knows link type dlt. */
int dissect_link_supported(int dlt);

/* Stable report name of an anomaly ("packet.udp.bad_length"); never NULL. */
const char *dissect_anomaly_name(enum anomaly a);

/* True when the anomaly only says the capture was cut (snaplen), not that bytes lie. */
int dissect_anomaly_is_truncation(enum anomaly a);

/* "1.2.3.4" or "2001:db8::1" into buf (≥ 46 bytes); returns buf. */
char *ip_addr_format(const struct ip_addr *a, char *buf, unsigned buflen);

#define IP_ADDR_TEXT_MAX 128 /* longest host text ip_addr_parse reads */

/*
 * An address literal ("192.0.2.1", "2001:db8::1" or "[2001:db8::1]", as inet_pton reads
 * them) into out (fully overwritten, unused bytes 0). False for anything else (names, text of
 * IP_ADDR_TEXT_MAX bytes or more): out is then all 0.
 */
bool ip_addr_parse(const char *text, struct ip_addr *out);

#endif
