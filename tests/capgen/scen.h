/* scen.h — what every scenario shares: the clock, the hosts, frame sinks, the base flows
 * (SIP over UDP, TLS over TCP, NTP), and the scenario writers capgen.c lists. */
#ifndef CAPGEN_SCEN_H
#define CAPGEN_SCEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "writer.h"

#define SCEN_T0_NS (1709629200LL * 1000000000LL) /* 2024-03-05T09:00:00Z */
#define SCEN_MS 1000000LL
#define SCEN_S 1000000000LL

#define SCEN_TO_SERVER 0 /* direction: from the client (the capture point's side) */
#define SCEN_TO_CLIENT 1

/* MAC addresses from the documentation block 00-00-5E-00-53-xx (RFC 7042 §2.1.2). */
extern const uint8_t scen_mac_host[6];
extern const uint8_t scen_mac_gw[6];

/*
 * Where built IP packets go. emit wraps the packet in b (it may modify b) for direction dir
 * and writes it to w at ts_ns. scen_sink_eth gives plain Ethernet with the host/gateway MACs.
 */
struct scen_sink {
    void (*emit)(struct scen_sink *s, struct build *b, int dir, int64_t ts_ns);
    struct writer *w;
    int kind;     /* emitter-specific: link or tunnel kind */
    uint32_t seq; /* emitter-specific running counter */
};

/* Ethernet II, padded to the 60-byte minimum, host MAC on the client side. */
void scen_eth_emit(struct scen_sink *s, struct build *b, int dir, int64_t ts_ns);

/* Wrap the IP packet in b in Ethernet for dir and write it to w at ts_ns. */
void scen_eth_write(struct writer *w, struct build *b, int dir, int64_t ts_ns);

/* IPv4 (ttl 64, DF) or IPv6 (hop limit 64) spec from src to dst; literals as build_addr. */
struct ip_spec scen_ip(const char *src, const char *dst, uint16_t id);
struct ip_spec scen_ip_addr(const struct build_addr *src, const struct build_addr *dst,
                            uint16_t id);

/* The same spec seen from the other end (addresses swapped, ttl, id given). */
struct ip_spec scen_ip_reply(const struct ip_spec *fwd, uint8_t ttl, uint16_t id);

/*
 * A TCP connection between ip[0] (client) and ip[1] (server spec of the replies). Sequence
 * numbers passed to scen_tcp_build are relative to the direction's ISN (the SYN is 0); each
 * built segment takes the next IPv4 id of its direction.
 */
struct scen_tcp {
    struct ip_spec ip[2];
    uint16_t port[2];
    uint32_t isn[2];
    uint16_t win[2];
};

/* Build one segment of c in direction dir into b (ready for a sink). SYN segments carry the
 * usual options. */
void scen_tcp_build(struct build *b, struct scen_tcp *c, int dir, uint32_t rel_seq,
                    uint32_t rel_ack, uint8_t flags, const void *data, uint32_t len);

/* The flows every link type and tunnel carries; which is an OR of these. */
enum scen_flow {
    SCEN_FLOW_SIP = 1, /* SIP OPTIONS and 200 OK over UDP 5060 */
    SCEN_FLOW_TLS = 2, /* TCP handshake, TLS ClientHello / ServerHello, FIN both ways, to 443 */
    SCEN_FLOW_NTP = 4, /* NTPv4 client request / server response on UDP 123 */
    SCEN_FLOW_ALL = 7,
};

/* Hosts and start time of the base flows; all addresses of one family. */
struct scen_flows {
    struct build_addr client, sip, web, ntp;
    uint16_t tcp_sport;
    int64_t t0;
    unsigned which;
};

/* The usual base-flow hosts: client client4/6 text, servers 192.0.2.10, 198.51.100.80,
 * 203.0.113.123 (IPv6: 2001:db8:2::10, ::80, ::123). */
struct scen_flows scen_flows_default(int family, const char *client, int64_t t0);

/* Emit the chosen base flows through s: SIP 2 packets from t0, TLS 9 packets from t0+100 ms,
 * NTP 2 packets from t0+500 ms; all over by t0+600 ms. Returns the packet count. */
unsigned scen_flows_emit(struct scen_sink *s, const struct scen_flows *f);

/* A TLS 1.2 ClientHello record with SNI www.example.com (RFC 6066 §3) into p (≥ 128 bytes);
 * returns its length. */
uint32_t scen_tls_client_hello(uint8_t *p);

/* A TLS 1.2 ServerHello record (no extensions) into p (≥ 64 bytes); returns its length. */
uint32_t scen_tls_server_hello(uint8_t *p);

#define SCEN_RTP_LEN 172 /* RTP header 12 + 20 ms of G.711 (160 bytes) */

/* An RTP packet (RFC 3550 §5.1; PT 0 PCMU, 20 ms of tone from sample ts) into p
 * (SCEN_RTP_LEN bytes); returns SCEN_RTP_LEN. */
uint32_t scen_rtp(uint8_t *p, bool marker, uint16_t seq, uint32_t ts, uint32_t ssrc);

/* Scenario writers: create path, return 0 or -1 with a sentence in err. arg selects a variant
 * (link kind, merge side). */
typedef int (*scen_fn)(const char *path, int arg, char *err, size_t errlen);

int scen_link_types(const char *path, int arg, char *err, size_t errlen);
int scen_tunnels(const char *path, int arg, char *err, size_t errlen);
int scen_ipfrag(const char *path, int arg, char *err, size_t errlen);
int scen_tcp_reassembly(const char *path, int arg, char *err, size_t errlen);
int scen_icmp_unreachable(const char *path, int arg, char *err, size_t errlen);
int scen_snaplen(const char *path, int arg, char *err, size_t errlen);
int scen_truncated(const char *path, int arg, char *err, size_t errlen);
int scen_hostile(const char *path, int arg, char *err, size_t errlen);
int scen_merge(const char *path, int arg, char *err, size_t errlen);
int scen_nanosecond(const char *path, int arg, char *err, size_t errlen);
int scen_sip_register(const char *path, int arg, char *err, size_t errlen);
int scen_sip_calls(const char *path, int arg, char *err, size_t errlen);
int scen_sip_tcp_framing(const char *path, int arg, char *err, size_t errlen);

/* Link kinds of scen_link_types (arg). */
enum scen_link {
    SCEN_LINK_EN10MB,
    SCEN_LINK_VLAN,
    SCEN_LINK_QINQ,
    SCEN_LINK_SLL,
    SCEN_LINK_SLL2,
    SCEN_LINK_RAW,
    SCEN_LINK_IPV4,
    SCEN_LINK_IPV6,
    SCEN_LINK_NULL,
    SCEN_LINK_LOOP,
    SCEN_LINK_PPP,
    SCEN_LINK_PPPOE,
};

/* Sides of scen_merge (arg). */
enum scen_side {
    SCEN_SIDE_LAN,
    SCEN_SIDE_WAN,
};

#endif
