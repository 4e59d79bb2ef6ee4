/* tunnel.h — encapsulations prepended around a built packet: GRE (RFC 2784/2890), ERSPAN
 * type II/III (draft-foschiano-erspan), VXLAN (RFC 7348), IP-in-IP (RFC 2003, RFC 4213). */
#ifndef CAPGEN_TUNNEL_H
#define CAPGEN_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "build.h"

#define TUNNEL_GRE_PROTO_ERSPAN2 0x88be
#define TUNNEL_GRE_PROTO_ERSPAN3 0x22eb
#define TUNNEL_VXLAN_PORT 4789

/* Optional GRE fields; version 0 is GRE, 1 is PPTP, anything else is unknown. */
struct gre_spec {
    uint8_t version;
    bool csum, key, seq;
    uint32_t key_val, seq_val;
};

/* Prepend a GRE header announcing proto (an ethertype) around b. */
void tunnel_gre(struct build *b, const struct gre_spec *g, uint16_t proto);

/* Prepend an ERSPAN type II header (version 1) around the Ethernet frame in b. Put GRE with
 * a sequence number and protocol TUNNEL_GRE_PROTO_ERSPAN2 in front. */
void tunnel_erspan2(struct build *b, uint16_t session, uint16_t vlan, uint32_t index);

/* Prepend an ERSPAN type III header (version 2, no platform subheader, 100 µs granularity
 * timestamp) around the Ethernet frame in b; GRE protocol TUNNEL_GRE_PROTO_ERSPAN3. */
void tunnel_erspan3(struct build *b, uint16_t session, uint16_t vlan, uint32_t timestamp,
                    uint8_t hw_id);

/* Prepend a VXLAN header (I flag, vni) around the Ethernet frame in b; UDP to 4789 next. */
void tunnel_vxlan(struct build *b, uint32_t vni);

/* Prepend outer's IP header around the IP packet in b: protocol 4 or 41 by inner version. */
void tunnel_ipip(struct build *b, const struct ip_spec *outer);

#endif
