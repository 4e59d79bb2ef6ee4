/* file.c — capture files through libpcap: open checks, own BPF run, cut and unreadable ends. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../dissectors/dissect.h"
#include "gz.h"

/* Refresh info.bytes_read every this many frames: ftello and gzoffset are not free. */
#define FILE_PROGRESS_EVERY 4096u
#define FILE_STDIO_BUFFER (1u << 20) /* see setvbuf below */

static void file_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
file_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static uint32_t
head_u32(const uint8_t *p, bool big)
{
    if (big)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t
head_u16(const uint8_t *p, bool big)
{
    return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

/* Whether an if_tsresol option value means ticks finer than a microsecond. */
static bool
tsresol_finer_than_us(uint8_t v)
{
    if (v & 0x80)
        return (v & 0x7f) >= 20; /* 2^-20 s is 0.95 us */
    return v > 6;                /* 10^-v s */
}

/* if_tsresol of the first interface description block in a pcapng head; false if unseen. */
static bool
head_pcapng_nanosecond(const uint8_t *h, size_t n)
{
    bool big;
    size_t off = 0;

    if (n < 12)
        return false;
    if (head_u32(h + 8, false) == 0x1a2b3c4d)
        big = false;
    else if (head_u32(h + 8, true) == 0x1a2b3c4d)
        big = true;
    else
        return false;
    while (n - off >= 12) {
        uint32_t type = head_u32(h + off, big);
        uint32_t len = head_u32(h + off + 4, big);
        size_t opt, end;

        if (len < 12 || len % 4 != 0 || len > n - off)
            return false; /* the interface block lies beyond the head: assume microseconds */
        if (type != 1) {
            off += len;
            continue;
        }
        opt = off + 16; /* link type, reserved, snaplen */
        end = off + len - 4;
        while (opt + 4 <= end) {
            uint16_t code = head_u16(h + opt, big);
            uint16_t olen = head_u16(h + opt + 2, big);

            if (code == 0 || olen > end - opt - 4)
                break;
            if (code == 9 && olen >= 1)
                return tsresol_finer_than_us(h[opt + 4]);
            opt += 4 + (((size_t)olen + 3) & ~(size_t)3);
        }
        return false; /* no if_tsresol: microseconds */
    }
    return false;
}

/* Whether the capture whose first bytes are h keeps timestamps finer than a microsecond. */
static bool
head_nanosecond(const uint8_t *h, size_t n)
{
    uint32_t magic;

    if (n < 4)
        return false;
    magic = head_u32(h, false);
    if (magic == 0xa1b23c4d || magic == 0x4d3cb2a1)
        return true;
    if (magic == 0x0a0d0d0a)
        return head_pcapng_nanosecond(h, n);
    return false;
}

static bool
head_known_magic(const uint8_t *h, size_t n)
{
    static const uint32_t magic[] = {0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1,
                                     0xa1b2cd34, 0x34cdb2a1, 0x0a0d0d0a};

    if (n < 4)
        return false;
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (head_u32(h, false) == magic[i])
            return true;
    return false;
}

/* Turn libpcap's refusal to open a file into the sentence a user can act on. */
static void
file_open_failed(const char *path, const char *perr, const uint8_t *head, size_t headlen,
                 uint64_t size, char *err, size_t errlen)
{
    if (size == 0)
        file_err(err, errlen, "capture '%s' is empty", path);
    else if (strstr(perr, "unknown file format") != NULL || !head_known_magic(head, headlen))
        file_err(err, errlen, "'%s' is not a pcap or pcapng capture", path);
    else if (strncmp(perr, "truncated", 9) == 0)
        file_err(err, errlen, "capture '%s' ends inside its file header", path);
    else
        file_err(err, errlen, "cannot read capture '%s': %s", path, perr);
}

/*
 * Open fd as a pcap_t: a regular uncompressed file straight through stdio, anything else
 * (gzip, pipe) through the gzip reader. Consumes fd. Returns NULL with err set.
 */
static pcap_t *
file_pcap_open(struct file_input *in, const char *path, int fd, const struct stat *st, char *err,
               size_t errlen)
{
    uint8_t head[GZ_HEAD_MAX];
    size_t headlen = 0;
    uint64_t size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : UINT64_MAX;
    char perr[PCAP_ERRBUF_SIZE] = "";
    const uint8_t *gzhead;
    pcap_t *p = NULL;
    FILE *fp = NULL;

    if (S_ISREG(st->st_mode)) {
        ssize_t got = pread(fd, head, sizeof head, 0);

        headlen = got > 0 ? (size_t)got : 0;
    }
    if (S_ISREG(st->st_mode) && !(headlen >= 2 && head[0] == 0x1f && head[1] == 0x8b)) {
        fp = fdopen(fd, "rb");
        if (fp == NULL) {
            file_err(err, errlen, "cannot open capture '%s': %s", path, strerror(errno));
            (void)close(fd);
            return NULL;
        }
        /* libpcap reads each record with two small freads: a 1 MiB stdio buffer turns the
         * default 4 KiB read(2) per few packets into one per thousands. */
        in->iobuf = malloc(FILE_STDIO_BUFFER);
        if (in->iobuf != NULL)
            (void)setvbuf(fp, in->iobuf, _IOFBF, FILE_STDIO_BUFFER); /* glibc ignores the size
                                                                       * without a buffer */
    } else {
        fp = gz_fdopen(fd, &in->gz, err, errlen);
        if (fp == NULL)
            return NULL;
    }
    p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (in->gz != NULL) {
        headlen = gz_stream_head(in->gz, &gzhead);
        memcpy(head, gzhead, headlen);
        if (size == UINT64_MAX || gz_stream_compressed(in->gz))
            size = gz_stream_delivered(in->gz);
        in->info.gzip = gz_stream_compressed(in->gz);
    }
    if (p == NULL && in->gz != NULL && *gz_stream_error(in->gz) != '\0') {
        file_err(err, errlen, "cannot read capture '%s': %s", path, gz_stream_error(in->gz));
    } else if (p == NULL) {
        file_open_failed(path, perr, head, headlen, size, err, errlen);
    }
    if (p == NULL) {
        (void)fclose(fp); /* libpcap leaves a FILE it refused to its caller */
        in->gz = NULL;
        free(in->iobuf);
        in->iobuf = NULL;
        return NULL;
    }
    in->info.nanosecond = head_nanosecond(head, headlen);
    return p;
}

/*
 * libpcap's name of dlt ("EN10MB") into buf, or USERn for the private-use types it leaves
 * unnamed; the number when there is no name. Returns whether a name was found.
 */
static bool
file_link_name(int dlt, char *buf, size_t len)
{
    const char *name = pcap_datalink_val_to_name(dlt);

    if (name != NULL)
        snprintf(buf, len, "%s", name);
    else if (dlt >= DLT_USER0 && dlt <= DLT_USER15)
        snprintf(buf, len, "USER%d", dlt - DLT_USER0);
    else
        snprintf(buf, len, "%d", dlt);
    return name != NULL || (dlt >= DLT_USER0 && dlt <= DLT_USER15);
}

/* Compile bpf for in's link type; the program runs in file_input_fill. */
static int
file_compile(struct file_input *in, const char *path, const char *bpf, char *err, size_t errlen)
{
    if (bpf == NULL || *bpf == '\0')
        return 0;
    if (pcap_compile(in->pcap, &in->prog, bpf, 1, PCAP_NETMASK_UNKNOWN) == PCAP_ERROR) {
        file_err(err, errlen, "invalid BPF filter '%s' for capture '%s' (link type %s): %s", bpf,
                 path, in->info.link_type, pcap_geterr(in->pcap));
        return -1;
    }
    in->filtered = true;
    return 0;
}

int
file_input_open(struct file_input *in, const char *path, const char *bpf, char *err, size_t errlen)
{
    bool is_stdin;
    bool named;
    struct stat st;
    int fd;

    snprintf(in->info.name, sizeof in->info.name, "%s", path);
    is_stdin = strcmp(path, "-") == 0;
    fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (is_stdin)
            file_err(err, errlen, "cannot read standard input: %s", strerror(errno));
        else
            file_err(err, errlen, "cannot open capture '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (fstat(fd, &st) != 0) {
        file_err(err, errlen, "cannot open capture '%s': %s", path, strerror(errno));
        goto fail_fd;
    }
    if (S_ISDIR(st.st_mode)) {
        file_err(err, errlen, "cannot open capture '%s': %s", path, strerror(EISDIR));
        goto fail_fd;
    }
    if (is_stdin && isatty(fd)) {
        file_err(err, errlen, "standard input is a terminal; pipe a capture into it");
        goto fail_fd;
    }
    if (is_stdin)
        st.st_mode = S_IFIFO; /* read as a stream whatever it is: no size, no look-ahead */
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        file_err(err, errlen, "capture '%s' is empty", path);
        goto fail_fd;
    }
    in->info.bytes_total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    in->pcap = file_pcap_open(in, path, fd, &st, err, errlen);
    if (in->pcap == NULL)
        goto fail;

    in->info.dlt = pcap_datalink(in->pcap);
    named = file_link_name(in->info.dlt, in->info.link_type, sizeof in->info.link_type);
    if (!dissect_link_supported(in->info.dlt)) {
        if (named)
            file_err(err, errlen, "'%s' has link type %s (%d), which voipdiag cannot decode", path,
                     in->info.link_type, in->info.dlt);
        else
            file_err(err, errlen, "'%s' has link type %d, which voipdiag cannot decode", path,
                     in->info.dlt);
        goto fail_pcap;
    }
    if (file_compile(in, path, bpf, err, errlen) != 0)
        goto fail_pcap;
    return 0;

fail_fd:
    (void)close(fd);
    goto fail;
fail_pcap:
    file_input_close(in);
fail:
    in->eof = true;
    return -1;
}

static void
file_progress(struct file_input *in)
{
    int64_t off;

    if (in->gz != NULL) {
        off = gz_stream_offset(in->gz);
        in->info.bytes_read = off >= 0 ? (uint64_t)off : gz_stream_delivered(in->gz);
    } else {
        off = ftello(pcap_file(in->pcap));
        if (off >= 0)
            in->info.bytes_read = (uint64_t)off;
    }
}

/* ns since the epoch, saturated: a crafted pcapng can carry any 64-bit time. */
static int64_t
file_ts_ns(const struct pcap_pkthdr *h)
{
    int64_t ns;

    if (__builtin_mul_overflow((int64_t)h->ts.tv_sec, INT64_C(1000000000), &ns) ||
        __builtin_add_overflow(ns, (int64_t)h->ts.tv_usec, &ns))
        return h->ts.tv_sec < 0 ? INT64_MIN : INT64_MAX;
    return ns;
}

enum file_stop {
    FILE_CUT_RECORD, /* libpcap: the file ends inside a record */
    FILE_CUT_GZIP,   /* zlib: the gzip data ends before its trailer */
    FILE_READ_ERROR, /* anything else */
};

/* Write the sentence for a file that stopped early, after in->raw complete frames. */
static void
file_stopped(struct file_input *in, enum file_stop why, const char *detail)
{
    struct source_input *i = &in->info;
    uint64_t n = in->raw;
    char before[64];

    if (n == 0)
        snprintf(before, sizeof before, "there is no complete frame before it");
    else if (n == 1)
        snprintf(before, sizeof before, "analysed the 1 frame before it");
    else
        snprintf(before, sizeof before, "analysed the %" PRIu64 " frames before it", n);

    switch (why) {
    case FILE_CUT_RECORD:
        snprintf(i->error, sizeof i->error, "capture '%s' ends inside frame %" PRIu64 "; %s",
                 i->name, n + 1, before);
        break;
    case FILE_CUT_GZIP:
        snprintf(i->error, sizeof i->error,
                 "capture '%s' is cut short inside its gzip data before frame %" PRIu64 "; %s",
                 i->name, n + 1, before);
        break;
    case FILE_READ_ERROR:
        snprintf(i->error, sizeof i->error,
                 "cannot read frame %" PRIu64 " of capture '%s' (%s); %s", n + 1, i->name, detail,
                 before);
        break;
    }
}

/* pcap_next_ex gave PCAP_ERROR_BREAK (the end) or PCAP_ERROR: record how the file ended. */
static void
file_end(struct file_input *in, int rc)
{
    const char *perr = pcap_geterr(in->pcap);
    const char *gzerr = in->gz != NULL ? gz_stream_error(in->gz) : "";
    bool gzcut = in->gz != NULL && gz_stream_cut(in->gz);

    in->eof = true;
    if (rc == PCAP_ERROR && strncmp(perr, "truncated", 9) == 0) {
        in->info.truncated = true;
        file_stopped(in, FILE_CUT_RECORD, NULL);
    } else if (rc == PCAP_ERROR) {
        file_stopped(in, FILE_READ_ERROR, *gzerr != '\0' ? gzerr : perr);
    } else if (gzcut) {
        /* The inflated data ended on a record boundary, yet the gzip stream was cut. */
        in->info.truncated = true;
        file_stopped(in, FILE_CUT_GZIP, NULL);
    }
    file_progress(in);
}

void
file_input_fill(struct file_input *in)
{
    struct pcap_pkthdr *h;
    const u_char *d;
    int rc;

    in->pending = false;
    while (!in->eof) {
        rc = pcap_next_ex(in->pcap, &h, &d);
        if (rc != 1) {
            file_end(in, rc);
            return;
        }
        in->raw++;
        if (in->raw % FILE_PROGRESS_EVERY == 0)
            file_progress(in);
        if (in->filtered && pcap_offline_filter(&in->prog, h, d) == 0)
            continue;
        in->hdr = h;
        in->data = d;
        in->ts_ns = file_ts_ns(h);
        in->number = in->raw;
        in->pending = true;
        return;
    }
}

void
file_input_close(struct file_input *in)
{
    if (in->filtered)
        pcap_freecode(&in->prog);
    in->filtered = false;
    if (in->pcap != NULL)
        pcap_close(in->pcap); /* closes the FILE, which frees in->gz */
    in->pcap = NULL;
    free(in->iobuf); /* only after the FILE using it is closed */
    in->iobuf = NULL;
    in->gz = NULL;
    in->pending = false;
    in->eof = true;
}
