/* cidr.c — IPv4/IPv6 blocks (RFC 4632 §3.1, RFC 4291 §2.3): parse with inet_pton, match by
 * prefix bits. */
#include "cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Zero the bits of a (alen bytes) below prefix; returns whether any was set. */
static bool
cidr_clear_host_bits(uint8_t *a, size_t alen, unsigned prefix)
{
    bool set = false;
    for (size_t i = 0; i < alen; i++) {
        unsigned keep = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * (unsigned)i : 0;
        uint8_t mask = (uint8_t)(keep ? 0xff << (8 - keep) : 0);
        if (a[i] & ~mask)
            set = true;
        a[i] &= mask;
    }
    return set;
}

int
cidr_parse(const char *text, struct cidr *out, char *err, size_t errlen)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t)(slash - text) : strlen(text);
    if (alen == 0 || alen >= sizeof(addr)) {
        snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 block (ADDRESS/LENGTH)", text);
        return -1;
    }
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    memset(out, 0, sizeof(*out));
    unsigned max;
    if (inet_pton(AF_INET, addr, out->a) == 1) {
        out->family = 4;
        max = 32;
    } else if (inet_pton(AF_INET6, addr, out->a) == 1) {
        out->family = 6;
        max = 128;
    } else {
        snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", addr);
        return -1;
    }
    unsigned long prefix = max;
    if (slash) {
        const char *p = slash + 1;
        char *end;
        /* digits only: strtoul would accept "+8", " 8" and "-0" */
        if (*p < '0' || *p > '9' || strlen(p) > 3) {
            snprintf(err, errlen, "'%s' has no prefix length after '/'", text);
            return -1;
        }
        prefix = strtoul(p, &end, 10);
        if (*end) {
            snprintf(err, errlen, "'%s' has no prefix length after '/'", text);
            return -1;
        }
        if (prefix > max) {
            snprintf(err, errlen, "'%s': prefix length %lu is beyond /%u for IPv%u", text, prefix,
                     max, out->family);
            return -1;
        }
    }
    out->prefix = (uint8_t)prefix;
    if (cidr_clear_host_bits(out->a, out->family == 4 ? 4 : 16, out->prefix)) {
        char meant[CIDR_TEXT_MAX];
        snprintf(err, errlen, "'%s' has host bits set below /%lu (the block is %s)", text, prefix,
                 cidr_format(out, meant, sizeof(meant)));
        return -1;
    }
    return 0;
}

bool
cidr_contains(const struct cidr *c, const struct ip_addr *a)
{
    if (c->family != a->family)
        return false;
    unsigned whole = c->prefix / 8u, rest = c->prefix % 8u;
    if (memcmp(c->a, a->a, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a->a[whole] & mask) == c->a[whole];
}

char *
cidr_format(const struct cidr *c, char *buf, size_t len)
{
    char addr[INET6_ADDRSTRLEN] = "?";
    inet_ntop(c->family == 6 ? AF_INET6 : AF_INET, c->a, addr, sizeof(addr));
    snprintf(buf, len, "%s/%u", addr, c->prefix);
    return buf;
}
