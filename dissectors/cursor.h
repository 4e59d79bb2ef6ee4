/* cursor.h — the bounds-checked reader every packet byte goes through (STYLE.md habit 1). */
#ifndef VOIPDIAG_CURSOR_H
#define VOIPDIAG_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A cursor is a value: copy it to look ahead, narrow it with cursor_take() to the window a
 * length field promises. A read past the end returns 0 and sets the sticky short_read flag;
 * read a whole fixed header, then test cursor_ok() once. No other file does pointer
 * arithmetic on packet bytes.
 */
struct cursor {
    const uint8_t *p;   /* next unread byte (borrowed from the frame) */
    size_t left;        /* captured bytes from p to the end of the window */
    bool short_read;    /* sticky: set by the first read past the end */
};

static inline struct cursor
cursor_make(const uint8_t *p, size_t n)
{
    struct cursor c = {p, p ? n : 0, false};
    return c;
}

static inline bool
cursor_ok(const struct cursor *c)
{
    return !c->short_read;
}

static inline size_t
cursor_left(const struct cursor *c)
{
    return c->left;
}

/* Pointer to the next unread byte; only for handing a window to a library (nDPI, sofia). */
static inline const uint8_t *
cursor_ptr(const struct cursor *c)
{
    return c->p;
}

static inline bool
cursor_need(struct cursor *c, size_t n)
{
    if (n > c->left) {
        c->short_read = true;
        return false;
    }
    return true;
}

static inline void
cursor_skip(struct cursor *c, size_t n)
{
    if (n == 0)
        return; /* also keeps a NULL window from pointer arithmetic (UB even by 0) */
    if (!cursor_need(c, n)) {
        c->p += c->left;
        c->left = 0;
        return;
    }
    c->p += n;
    c->left -= n;
}

static inline uint8_t
cursor_u8(struct cursor *c)
{
    if (!cursor_need(c, 1))
        return 0;
    uint8_t v = c->p[0];
    c->p += 1;
    c->left -= 1;
    return v;
}

static inline uint16_t
cursor_be16(struct cursor *c)
{
    if (!cursor_need(c, 2))
        return 0;
    uint16_t v = (uint16_t)((c->p[0] << 8) | c->p[1]);
    c->p += 2;
    c->left -= 2;
    return v;
}

static inline uint16_t
cursor_le16(struct cursor *c)
{
    if (!cursor_need(c, 2))
        return 0;
    uint16_t v = (uint16_t)((c->p[1] << 8) | c->p[0]);
    c->p += 2;
    c->left -= 2;
    return v;
}

static inline uint32_t
cursor_be32(struct cursor *c)
{
    if (!cursor_need(c, 4))
        return 0;
    uint32_t v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) |
                 ((uint32_t)c->p[2] << 8) | (uint32_t)c->p[3];
    c->p += 4;
    c->left -= 4;
    return v;
}

static inline uint32_t
cursor_le32(struct cursor *c)
{
    if (!cursor_need(c, 4))
        return 0;
    uint32_t v = ((uint32_t)c->p[3] << 24) | ((uint32_t)c->p[2] << 16) |
                 ((uint32_t)c->p[1] << 8) | (uint32_t)c->p[0];
    c->p += 4;
    c->left -= 4;
    return v;
}

/* Four bytes in memory (network) order, e.g. an IPv4 address; 0 after a short read. */
static inline uint32_t
cursor_raw32(struct cursor *c)
{
    if (!cursor_need(c, 4))
        return 0;
    uint32_t v;
    memcpy(&v, c->p, 4);
    c->p += 4;
    c->left -= 4;
    return v;
}

/* Copy n bytes out; on a short read the destination is zeroed. */
static inline void
cursor_copy(struct cursor *c, void *dst, size_t n)
{
    if (!cursor_need(c, n)) {
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, c->p, n);
    c->p += n;
    c->left -= n;
}

/* Peek at byte i ahead without consuming; 0 (and no error) when it is not there. */
static inline uint8_t
cursor_peek(const struct cursor *c, size_t i)
{
    return i < c->left ? c->p[i] : 0;
}

/*
 * Split off the next n bytes as a sub-window and advance past them. When fewer than n bytes
 * are captured the window is clamped to what is there (a snaplen cut) and the parent is
 * left empty; the caller compares cursor_left() of the result with n to know it was cut.
 */
static inline struct cursor
cursor_take(struct cursor *c, size_t n)
{
    size_t k = n <= c->left ? n : c->left;
    struct cursor sub = {c->p, k, false};
    if (k == 0)
        return sub;
    c->p += k;
    c->left -= k;
    return sub;
}

#endif
