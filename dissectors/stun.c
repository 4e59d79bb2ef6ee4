/* stun.c — STUN (RFC 5389 §6, §15.1, §15.2): header, class/method, (XOR-)MAPPED-ADDRESS. */
#include "stun.h"

#include <string.h>

#include "cursor.h"

#define STUN_ATTR_MAPPED 0x0001
#define STUN_ATTR_XOR_MAPPED 0x0020

/* An address attribute value (RFC 5389 §15.1/§15.2) in c; xor undoes XOR-MAPPED-ADDRESS. */
static bool
stun_address(struct cursor c, const uint8_t *txid, bool xor, struct stun_message *out)
{
    cursor_u8(&c);
    uint8_t family = cursor_u8(&c);
    uint16_t port = cursor_be16(&c);
    uint8_t a[16];
    size_t len = family == 1 ? 4 : family == 2 ? 16 : 0;
    if (!len || !cursor_ok(&c) || cursor_left(&c) < len)
        return false;
    cursor_copy(&c, a, len);
    if (xor) {
        uint8_t key[16] = {0x21, 0x12, 0xA4, 0x42};
        memcpy(key + 4, txid, 12);
        port ^= (uint16_t)(STUN_MAGIC >> 16);
        for (size_t i = 0; i < len; i++)
            a[i] ^= key[i];
    }
    memset(&out->mapped, 0, sizeof out->mapped);
    memcpy(out->mapped.a, a, len);
    out->mapped.family = family == 1 ? 4 : 6;
    out->mapped_port = port;
    out->has_mapped = true;
    return true;
}

enum stun_status
stun_parse(const uint8_t *p, size_t n, struct stun_message *out)
{
    memset(out, 0, sizeof *out);
    struct cursor c = cursor_make(p, n);
    uint16_t type = cursor_be16(&c);
    uint16_t len = cursor_be16(&c);
    uint32_t magic = cursor_be32(&c);
    cursor_copy(&c, out->txid, 12);
    /* Ladder: whole header, top two bits zero, the cookie (RFC 5389 §6), length multiple of 4. */
    if (!cursor_ok(&c) || (type & 0xC000) || magic != STUN_MAGIC)
        return STUN_NOT_STUN;
    out->cls = (enum stun_class)(((type >> 4) & 1) | ((type >> 7) & 2));
    out->method = (uint16_t)((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
    if (len & 3)
        return STUN_MALFORMED;
    struct cursor body = cursor_take(&c, len);
    bool cut = cursor_left(&body) < len;
    while (cursor_left(&body) >= 4) {
        uint16_t at = cursor_be16(&body);
        uint16_t alen = cursor_be16(&body);
        struct cursor v = cursor_take(&body, alen);
        if (cursor_left(&v) < alen)
            return cut ? STUN_TRUNCATED : STUN_MALFORMED;
        cursor_skip(&body, (4 - (alen & 3)) & 3);
        if (at == STUN_ATTR_XOR_MAPPED)
            stun_address(v, out->txid, true, out);
        else if (at == STUN_ATTR_MAPPED && !out->has_mapped)
            stun_address(v, out->txid, false, out);
    }
    return cut ? STUN_TRUNCATED : STUN_OK;
}
