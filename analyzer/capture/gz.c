/* gz.c — gzip-transparent FILE for libpcap: zlib's gzdopen behind glibc's fopencookie. */
#define _GNU_SOURCE
#include "gz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

/*
 * zlib's input buffer (its output buffer is twice that). On corrupt data gzread drops what the
 * failing call had inflated, so this also bounds the frames lost before a corruption.
 */
#define GZ_ZLIB_BUFFER (64u * 1024u)
/* stdio's buffer in front of the cookie; libpcap reads record by record from it. */
#define GZ_STDIO_BUFFER (64u * 1024u)

struct gz_stream {
    gzFile gz;
    uint64_t delivered;
    bool compressed;
    bool cut;
    char error[128];
    size_t headlen;
    uint8_t head[GZ_HEAD_MAX];
};

static void
gz_stream_note_head(struct gz_stream *gs, const char *buf, size_t n)
{
    size_t room = sizeof gs->head - gs->headlen;

    if (n > room)
        n = room;
    memcpy(gs->head + gs->headlen, buf, n);
    gs->headlen += n;
}

/* fopencookie read: bytes read, 0 at the end (a cut gzip stream ends here too), -1 on error. */
static ssize_t
gz_cookie_read(void *cookie, char *buf, size_t size)
{
    struct gz_stream *gs = cookie;
    int errnum = Z_OK;
    int n;

    if (size > (1u << 30))
        size = 1u << 30;
    errno = 0;
    n = gzread(gs->gz, buf, (unsigned)size);
    if (n < 0) {
        int saved = errno;
        const char *msg = gzerror(gs->gz, &errnum);
        const char *colon = msg != NULL ? strstr(msg, ">: ") : NULL;

        if (msg != NULL && strncmp(msg, "<fd:", 4) == 0 && colon != NULL)
            msg = colon + 3; /* zlib prefixes the "<fd:N>" it was opened with */
        if (errnum == Z_ERRNO)
            snprintf(gs->error, sizeof gs->error, "%s", strerror(saved));
        else
            snprintf(gs->error, sizeof gs->error, "corrupt gzip data: %s",
                     msg != NULL && *msg != '\0' ? msg : "unknown error");
        errno = EIO; /* libpcap turns ferror() into "error reading dump file: ..." */
        return -1;
    }
    gs->compressed = gzdirect(gs->gz) == 0;
    if (n == 0) {
        /* zlib reports a stream cut before its trailer as a plain end with Z_BUF_ERROR. */
        (void)gzerror(gs->gz, &errnum);
        gs->cut = errnum == Z_BUF_ERROR;
        return 0;
    }
    if (gs->headlen < sizeof gs->head)
        gz_stream_note_head(gs, buf, (size_t)n);
    gs->delivered += (uint64_t)n;
    return n;
}

/* fopencookie close: closes the descriptor and frees the counters. */
static int
gz_cookie_close(void *cookie)
{
    struct gz_stream *gs = cookie;
    int rc = gzclose_r(gs->gz) == Z_OK ? 0 : -1;

    free(gs);
    return rc;
}

FILE *
gz_fdopen(int fd, struct gz_stream **gs, char *err, size_t errlen)
{
    static const cookie_io_functions_t io = {
        .read = gz_cookie_read,
        .close = gz_cookie_close,
    };
    struct gz_stream *s;
    FILE *fp;

    s = calloc(1, sizeof *s);
    if (s == NULL)
        goto fail_alloc;
    s->gz = gzdopen(fd, "rb");
    if (s->gz == NULL)
        goto fail_gz;
    (void)gzbuffer(s->gz, GZ_ZLIB_BUFFER); /* must precede the first read */
    fp = fopencookie(s, "r", io);
    if (fp == NULL)
        goto fail_cookie;
    (void)setvbuf(fp, NULL, _IOFBF, GZ_STDIO_BUFFER);
    *gs = s;
    return fp;

fail_cookie:
    (void)gzclose_r(s->gz); /* closes fd */
    fd = -1;
fail_gz:
    free(s);
fail_alloc:
    if (fd >= 0)
        (void)close(fd);
    snprintf(err, errlen, "cannot set up the gzip reader: %s", strerror(ENOMEM));
    return NULL;
}

bool
gz_stream_compressed(const struct gz_stream *gs)
{
    return gs->compressed;
}

int64_t
gz_stream_offset(const struct gz_stream *gs)
{
    return (int64_t)gzoffset(gs->gz);
}

uint64_t
gz_stream_delivered(const struct gz_stream *gs)
{
    return gs->delivered;
}

size_t
gz_stream_head(const struct gz_stream *gs, const uint8_t **head)
{
    *head = gs->head;
    return gs->headlen;
}

bool
gz_stream_cut(const struct gz_stream *gs)
{
    return gs->cut;
}

const char *
gz_stream_error(const struct gz_stream *gs)
{
    return gs->error;
}
