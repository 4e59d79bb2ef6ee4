/* packet.h — one decoded frame: every layer voipdiag reads, as values and windows into the frame. */
#ifndef VOIPDIAG_PACKET_H
#define VOIPDIAG_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#define PACKET_MAX_VLAN 4   /* stacked 802.1Q / 802.1ad tags kept; deeper stacks are anomalies */
#define PACKET_MAX_TUNNEL 4 /* IP-in-IP, GRE, ERSPAN, VXLAN layers peeled before giving up */

/* How far dissection got; the layers decoded before a problem are kept. */
enum dissect_status {
    DISSECT_OK = 0,
    DISSECT_NO_MATCH,  /* not this protocol / not IP (ARP, LLDP …): nothing to analyse */
    DISSECT_TRUNCATED, /* the capture ends inside a header (snaplen cut or short record) */
    DISSECT_MALFORMED, /* the bytes contradict the protocol; pkt->anomaly says how */
};

/*
 * Decode anomalies by kind. Names (dissect_anomaly_name) are stable report strings
 * ("packet.ipv4.bad_ihl"). Truncation kinds are kept apart from malformation kinds: a
 * snaplen-cut capture is normal in support work.
 */
enum anomaly {
    ANOM_NONE = 0,
    ANOM_LINK_UNSUPPORTED,   /* link type voipdiag does not decode */
    ANOM_LINK_TRUNCATED,     /* frame shorter than its link header */
    ANOM_LINK_MALFORMED,     /* impossible link header (bad AF, bad SLL2 …) */
    ANOM_VLAN_TOO_DEEP,      /* more than PACKET_MAX_VLAN tags */
    ANOM_IPV4_TRUNCATED,     /* capture ends inside the IPv4 header */
    ANOM_IPV4_BAD_VERSION,   /* version nibble is not 4 where IPv4 was announced */
    ANOM_IPV4_BAD_IHL,       /* header length < 20 or > total length */
    ANOM_IPV4_BAD_TOTAL_LEN, /* total length < header length */
    ANOM_IPV4_BAD_OPTION,    /* option runs past the header */
    ANOM_IPV6_TRUNCATED,     /* capture ends inside the IPv6 header or an extension header */
    ANOM_IPV6_BAD_VERSION,   /* version nibble is not 6 where IPv6 was announced */
    ANOM_IPV6_BAD_EXTHDR,    /* extension header runs past the payload */
    ANOM_IPV6_TOO_MANY_EXT,  /* extension header chain longer than we follow */
    ANOM_IP_PAYLOAD_CUT,     /* IP length promises more bytes than were captured (snaplen) */
    ANOM_IP_LENGTH_EXCEEDS,  /* IP length larger than the frame on the wire: the header lies */
    ANOM_UDP_TRUNCATED,      /* capture ends inside the UDP header */
    ANOM_UDP_BAD_LENGTH,     /* UDP length < 8 or larger than the IP payload */
    ANOM_TCP_TRUNCATED,      /* capture ends inside the TCP header */
    ANOM_TCP_BAD_OFFSET,     /* data offset < 5 words or past the segment */
    ANOM_ICMP_TRUNCATED,     /* capture ends inside the ICMP header */
    ANOM_ICMP_QUOTE_BAD,     /* an ICMP error whose quoted packet cannot be decoded */
    ANOM_GRE_MALFORMED,      /* GRE version/flags we cannot follow, or cut */
    ANOM_ERSPAN_MALFORMED,   /* ERSPAN header cut or of unknown version */
    ANOM_VXLAN_MALFORMED,    /* VXLAN header without the I flag, or cut */
    ANOM_TUNNEL_TOO_DEEP,    /* more than PACKET_MAX_TUNNEL encapsulations */
    ANOM__COUNT
};

/*
 * An IPv4 or IPv6 address; IPv4 lives in a[0..3], the rest zero, so keys compare by memcmp.
 * The bytes come first and are written with one 16-byte store (layer_read_addr), so that
 * copies read them back without store-forwarding stalls on the per-packet path.
 */
struct ip_addr {
    uint8_t a[16];
    uint8_t family; /* 0 none, 4, 6 */
};

/* The original packet an ICMP/ICMPv6 error quotes (RFC 792, RFC 4443 §3). */
struct icmp_quote {
    bool valid;          /* quoted IP header and the two ports (or proto) were decoded */
    uint8_t ip_version;
    uint8_t proto;       /* transport protocol of the quoted packet */
    struct ip_addr src;  /* as sent by the original sender, before the error */
    struct ip_addr dst;
    uint16_t sport, dport;
};

/* What an IP fragment carries, for analyzer/track/ipfrag.c to rebuild the datagram. */
struct ip_fragment {
    uint32_t id;              /* IPv4 identification or IPv6 fragment identification */
    uint32_t offset;          /* byte offset of this fragment's data */
    bool more;                /* MF flag */
    uint8_t next_proto;       /* transport protocol of the whole datagram */
    const uint8_t *hdr;       /* IPv4 header (with options) / IPv6 fixed header: borrowed */
    uint32_t hdr_len;
    const uint8_t *data;      /* this fragment's data: borrowed, captured bytes only */
    uint32_t data_len;
    uint32_t data_wire_len;   /* as the IP length says (> data_len when snaplen cut) */
};

enum tunnel_kind {
    TUNNEL_NONE = 0,
    TUNNEL_IPIP,   /* IPv4/IPv6 in IPv4/IPv6 (protocols 4, 41) */
    TUNNEL_GRE,    /* RFC 2784/2890 */
    TUNNEL_ERSPAN, /* ERSPAN type II / III inside GRE */
    TUNNEL_VXLAN,  /* RFC 7348, UDP 4789 */
};

/* Layers present, ORed into packet.layers. */
enum packet_layer {
    LAYER_LINK = 1u << 0,
    LAYER_VLAN = 1u << 1,
    LAYER_IPV4 = 1u << 2,
    LAYER_IPV6 = 1u << 3,
    LAYER_FRAGMENT = 1u << 4, /* an IP fragment: transport not decoded here */
    LAYER_UDP = 1u << 5,
    LAYER_TCP = 1u << 6,
    LAYER_ICMP = 1u << 7,     /* ICMP or ICMPv6 */
    LAYER_TUNNEL = 1u << 8,
};

enum tcp_flag {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
    TCP_URG = 0x20,
};

/*
 * One decoded frame. Pointers borrow from the frame (or the reassembly buffer the analyzer
 * handed to dissect_ip) and die with the next frame. Values describe the innermost IP packet
 * after tunnels are peeled.
 */
struct packet {
    /* set by the caller before dissecting */
    uint64_t frame;  /* 1-based frame number within its capture file */
    int64_t ts_ns;   /* packet time, ns since the epoch */
    uint32_t caplen; /* captured bytes */
    uint32_t wirelen;
    uint16_t file;   /* index of the capture file in a merged timeline */

    enum dissect_status status;
    enum anomaly anomaly; /* first anomaly met, ANOM_NONE when clean */
    uint32_t layers;      /* enum packet_layer bits */

    /* link */
    int dlt;
    uint16_t ethertype;                 /* innermost link protocol announced */
    uint8_t vlan_count;
    uint16_t vlan[PACKET_MAX_VLAN];     /* VLAN ids, outermost first */
    uint8_t tunnel_depth;
    enum tunnel_kind tunnel;            /* outermost tunnel peeled */

    /* network (innermost) */
    uint8_t ip_version;                 /* 0 when no IP was found */
    struct ip_addr src, dst;
    uint8_t ip_proto;                   /* transport protocol */
    uint8_t ttl;                        /* IPv4 TTL / IPv6 hop limit */
    const uint8_t *l3;                  /* innermost IP header: borrowed */
    uint32_t l3_len;                    /* captured bytes from l3, clamped to the IP length */
    uint32_t l3_wire_len;               /* IP length as the header says */

    /* transport */
    uint16_t sport, dport;
    uint8_t tcp_flags;                  /* enum tcp_flag bits */
    uint32_t tcp_seq, tcp_ack;
    uint16_t tcp_window;
    uint8_t icmp_type, icmp_code;

    /* application payload of UDP / TCP: borrowed, captured bytes only */
    const uint8_t *payload;
    uint32_t payload_len;
    uint32_t payload_wire_len;          /* as the headers say; > payload_len when cut */

    /*
     * Kept last: zeroed when an IP header is entered, not per frame (dissect_reset stops
     * before them). Read frag only with LAYER_FRAGMENT and quote only with LAYER_ICMP.
     */
    struct ip_fragment frag;            /* valid when LAYER_FRAGMENT */
    struct icmp_quote quote;            /* for ICMP destination-unreachable / time-exceeded … */
};

#endif
