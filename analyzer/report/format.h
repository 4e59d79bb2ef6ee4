/* format.h — the few text forms every report shares: times, endpoints, protocol names. */
#ifndef VOIPDIAG_FORMAT_H
#define VOIPDIAG_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "../../dissectors/packet.h"
#include "../result.h"

/* RFC 3339 UTC with nanoseconds: "2024-03-05T09:00:00.123456789Z". Returns buf. */
char *format_time_rfc3339(int64_t ts_ns, char *buf, size_t len);

/* "2024-03-05 09:00:00.123456 UTC" (microseconds) for text reports. Returns buf. */
char *format_time_text(int64_t ts_ns, char *buf, size_t len);

/* "192.0.2.1:5060" or "[2001:db8::1]:5060"; port omitted when has_port is 0. Returns buf. */
char *format_endpoint(const struct ip_addr *a, uint16_t port, int has_port, char *buf, size_t len);

/* "UDP", "TCP", "ICMP", "ICMPv6", or the number. Returns a static string or buf. */
const char *format_proto(uint8_t proto, char *buf, size_t len);

/* "syn_unanswered", "refused", "established" … the TCP outcome of a flow record. */
const char *format_tcp_outcome(const struct flow_record *f);

/* "idle" / "evicted" / "capture_end". */
const char *format_flow_end(enum flow_end e);

#endif
