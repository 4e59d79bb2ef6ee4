/* stun.h — STUN (RFC 5389) message header and XOR-MAPPED-ADDRESS, as NAT keep-alives use them. */
#ifndef VOIPDIAG_STUN_H
#define VOIPDIAG_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define STUN_MAGIC 0x2112A442u
#define STUN_METHOD_BINDING 0x001

enum stun_class {
    STUN_CLASS_REQUEST = 0,
    STUN_CLASS_INDICATION = 1,
    STUN_CLASS_SUCCESS = 2,
    STUN_CLASS_ERROR = 3,
};

enum stun_status {
    STUN_OK = 0,
    STUN_NOT_STUN,  /* no 20-byte header with the magic cookie and zero top bits */
    STUN_TRUNCATED, /* header fine, attributes cut short (kept what was whole) */
    STUN_MALFORMED, /* a length that is not a multiple of 4 or an attribute overrun */
};

struct stun_message {
    enum stun_class cls;
    uint16_t method;
    uint8_t txid[12];
    bool has_mapped; /* XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS) decoded */
    struct ip_addr mapped;
    uint16_t mapped_port;
};

/*
 * Decode the STUN message in p[0..n) into out (fully overwritten). Pure: no allocation, no
 * state. Returns the status; on STUN_TRUNCATED/STUN_MALFORMED the header fields and any
 * attribute decoded before the problem are kept.
 */
enum stun_status stun_parse(const uint8_t *p, size_t n, struct stun_message *out);

#endif
