/* cidr.h — IPv4 and IPv6 address blocks (RFC 4632 §3.1, RFC 4291 §2.3): parse and match. */
#ifndef VOIPDIAG_CIDR_H
#define VOIPDIAG_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../dissectors/packet.h"

/* One block: family 4 (a[0..3]) or 6 (a[0..15]), prefix length 0–32 / 0–128; host bits zero. */
struct cidr {
    uint8_t family;
    uint8_t prefix;
    uint8_t a[16];
};

#define CIDR_TEXT_MAX 52 /* "ffff:…:ffff/128" and the terminator */

/*
 * Parse "ADDR/LEN" or a bare address (a host block: /32 or /128). Host bits below the prefix
 * must be zero: "200.219.237.70/27" is an error naming the block meant (…64/27), since a typo
 * there silently widens or moves the provider's range. Returns 0, or -1 with a sentence in err.
 */
int cidr_parse(const char *text, struct cidr *out, char *err, size_t errlen);

/* Whether address a lies inside block c; false across families (no IPv4-mapped matching). */
bool cidr_contains(const struct cidr *c, const struct ip_addr *a);

/* "200.219.237.64/27" or "2001:db8::/32" into buf (≥ CIDR_TEXT_MAX bytes); returns buf. */
char *cidr_format(const struct cidr *c, char *buf, size_t len);

#endif
