/* profile.h — the provider profile: ports, ranges, intervals, time-outs, IP blocks. */
#ifndef VOIPDIAG_PROFILE_H
#define VOIPDIAG_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

#define PROFILE_MAX_BLOCKS 64
#define PROFILE_MAX_BYTES (64 * 1024) /* a profile file larger than this is refused */

struct profile_range {
    uint16_t min, max; /* 1 ≤ min ≤ max ≤ 65535 */
};

/* What one provider requires (docs/requirements.md); the format is scripts/profiles/NAME.ini. */
struct profile {
    char name[64];
    struct profile_range sip;      /* SIP over UDP: 5060-5080 */
    struct profile_range rtp;      /* internally initiated audio: 10000-60000 */
    uint32_t keepalive_s;          /* cloud → phone NAT keep-alive interval: 30 */
    uint32_t binding_timeout_s;    /* least UDP session time-out the firewall must keep: 90 */
    uint16_t http_port;            /* 80 */
    uint16_t https_port;           /* 443 */
    uint16_t ntp_port;             /* 123 */
    uint16_t remote_port;          /* remote support (TeamViewer): 5938 */
    uint16_t remote_fallback_port; /* where remote support falls back to: 443 */
    size_t n_blocks;
    struct cidr blocks[PROFILE_MAX_BLOCKS]; /* the provider's IPv4/IPv6 blocks */
};

/* The default profile: exactly the seed document (docs/requirements.md). */
void profile_default(struct profile *p);

/*
 * Load an INI profile file over the defaults (keys not given keep their default; a [blocks]
 * section replaces the default blocks). Returns 0, or -1 with a sentence "FILE:LINE: …" in
 * err; p is unchanged on failure.
 */
int profile_load(const char *path, struct profile *p, char *err, size_t errlen);

/*
 * The same from len bytes of memory (need not be NUL-terminated); name labels the messages.
 * Returns 0, or -1 with a sentence in err; p is unchanged on failure.
 */
int profile_parse(const char *text, size_t len, const char *name, struct profile *p, char *err,
                  size_t errlen);

/* Whether address a lies in one of p's provider blocks. */
bool profile_in_blocks(const struct profile *p, const struct ip_addr *a);

#endif
