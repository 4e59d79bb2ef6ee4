/* test_source.c — capture source: pcap/pcapng/gzip/stdin files, merge, BPF, errors, live lo. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <zlib.h>

#include "analyzer/capture/source.h"

#define FRAME_LEN 50 /* Ethernet 14 + IPv4 20 + UDP 8 + tag 8 */
#define TAG_OFF 42

static char dir[64];

struct tframe {
    int64_t sec;
    int64_t frac; /* ns or us, as the file's precision */
    uint16_t dport;
    uint8_t tag;
};

/* Ethernet/IPv4/UDP to 10.0.0.2:dport whose first payload byte is tag. */
static void
build_frame(uint8_t *b, uint16_t dport, uint8_t tag)
{
    static const uint8_t head[TAG_OFF] = {
        2,    0,    0, 0,  0, 2,  2, 0, 0,  0,  0, 1, 0x08, 0x00,                    /* Ethernet */
        0x45, 0,    0, 36, 0, 0,  0, 0, 64, 17, 0, 0, 10,   0,    0, 1, 10, 0, 0, 2, /* IPv4 */
        0x04, 0xd2, 0, 0,  0, 16, 0, 0,                                              /* UDP */
    };
    memcpy(b, head, sizeof head);
    b[36] = (uint8_t)(dport >> 8);
    b[37] = (uint8_t)dport;
    memset(b + TAG_OFF, tag, FRAME_LEN - TAG_OFF);
}

static const char *
tpath(const char *name)
{
    static char buf[8][256];
    static int next;
    char *p = buf[next++ % 8];

    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void
write_capture(const char *path, int dlt, unsigned prec, const struct tframe *fr, size_t n)
{
    pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, 65535, prec);
    pcap_dumper_t *d;
    uint8_t b[FRAME_LEN];

    assert_non_null(p);
    d = pcap_dump_open(p, path);
    assert_non_null(d);
    for (size_t i = 0; i < n; i++) {
        struct pcap_pkthdr h = {.caplen = FRAME_LEN, .len = FRAME_LEN};

        h.ts.tv_sec = fr[i].sec;
        h.ts.tv_usec = fr[i].frac;
        if (fr[i].tag == 0xee)
            h.len = FRAME_LEN + 100; /* cut by snaplen */
        build_frame(b, fr[i].dport, fr[i].tag);
        pcap_dump((u_char *)d, &h, b);
    }
    pcap_dump_close(d);
    pcap_close(p);
}

static void
write_text(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static long
file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

static void
gzip_file(const char *from, const char *to)
{
    char buf[4096];
    FILE *in = fopen(from, "rb");
    gzFile out = gzopen(to, "wb");
    size_t n;

    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(gzwrite(out, buf, (unsigned)n), (int)n);
    fclose(in);
    assert_int_equal(gzclose(out), Z_OK);
}

static int
have_editcap(void)
{
    return access("/usr/bin/editcap", X_OK) == 0;
}

static void
editcap_pcapng(const char *from, const char *to)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "/usr/bin/editcap -F pcapng '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static struct source *
open1(const char *path, const char *bpf, char *err)
{
    struct source_opts o = {.bpf = bpf};
    const char *paths[1] = {path};

    return source_open_files(paths, 1, &o, err, SOURCE_ERRBUF);
}

/* Read up to max frames; returns how many came before SOURCE_END. */
static size_t
read_all(struct source *s, struct frame *out, uint8_t *tags, size_t max)
{
    char err[SOURCE_ERRBUF];
    struct frame f;
    size_t n = 0;
    enum source_status st;

    while ((st = source_next(s, &f, err, sizeof err)) == SOURCE_FRAME) {
        assert_true(n < max);
        assert_true(f.caplen >= TAG_OFF + 1);
        tags[n] = f.data[TAG_OFF];
        out[n++] = f;
    }
    assert_int_equal(st, SOURCE_END);
    return n;
}

static const struct tframe three[] = {
    {1700000000, 123456789, 5060, 1},
    {1700000000, 999999999, 5060, 0xee},
    {1700000001, 1, 5060, 3},
};

static void
check_three(const char *path, bool nanosecond, bool gzip)
{
    char err[SOURCE_ERRBUF] = "";
    struct source *s = open1(path, NULL, err);
    const struct source_input *in;
    struct frame f[8];
    uint8_t tag[8];

    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 8), 3);
    assert_int_equal(f[0].ts_ns, 1700000000123456789LL);
    assert_int_equal(f[1].ts_ns, 1700000000999999999LL);
    assert_int_equal(f[2].ts_ns, 1700000001000000001LL);
    assert_int_equal(f[1].caplen, FRAME_LEN);
    assert_int_equal(f[1].wirelen, FRAME_LEN + 100);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(f[i].number, i + 1);
        assert_int_equal(f[i].file, 0);
        assert_int_equal(f[i].dlt, DLT_EN10MB);
        assert_int_equal(tag[i], three[i].tag);
    }
    assert_int_equal(source_input_count(s), 1);
    in = source_input_get(s, 0);
    assert_null(source_input_get(s, 1));
    assert_string_equal(in->name, path);
    assert_string_equal(in->link_type, "EN10MB");
    assert_int_equal(in->dlt, DLT_EN10MB);
    assert_int_equal(in->nanosecond, nanosecond);
    assert_int_equal(in->gzip, gzip);
    assert_int_equal(in->packets, 3);
    assert_false(in->truncated);
    assert_string_equal(in->error, "");
    if (strcmp(path, "-") != 0) {
        assert_int_equal(in->bytes_total, file_size(path));
        assert_int_equal(in->bytes_read, in->bytes_total);
    }
    assert_int_equal(source_fd(s), -1);
    source_close(s);
}

static void
test_pcap_nanosecond(void **state)
{
    (void)state;
    write_capture(tpath("ns.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    check_three(tpath("ns.pcap"), true, false);
}

static void
test_pcap_microsecond(void **state)
{
    struct tframe us[3];
    char err[SOURCE_ERRBUF] = "";
    struct source *s;
    struct frame f[4];
    uint8_t tag[4];

    (void)state;
    memcpy(us, three, sizeof us);
    us[0].frac = 123456;
    us[1].frac = 999999;
    us[2].frac = 1;
    write_capture(tpath("us.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, us, 3);
    s = open1(tpath("us.pcap"), NULL, err);
    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 4), 3);
    assert_int_equal(f[0].ts_ns, 1700000000123456000LL);
    assert_int_equal(f[1].ts_ns, 1700000000999999000LL);
    assert_int_equal(f[2].ts_ns, 1700000001000001000LL);
    assert_false(source_input_get(s, 0)->nanosecond);
    source_close(s);
}

static void
test_pcapng(void **state)
{
    struct tframe us[3];
    char err[SOURCE_ERRBUF] = "";
    struct source *s;

    (void)state;
    if (!have_editcap())
        skip();
    write_capture(tpath("ng.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    editcap_pcapng(tpath("ng.pcap"), tpath("ng.pcapng"));
    check_three(tpath("ng.pcapng"), true, false);

    memcpy(us, three, sizeof us);
    write_capture(tpath("ngus.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_MICRO, us, 1);
    editcap_pcapng(tpath("ngus.pcap"), tpath("ngus.pcapng"));
    s = open1(tpath("ngus.pcapng"), NULL, err);
    assert_non_null(s);
    assert_false(source_input_get(s, 0)->nanosecond);
    source_close(s);
}

static void
test_gzip(void **state)
{
    (void)state;
    write_capture(tpath("z.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    gzip_file(tpath("z.pcap"), tpath("z.pcap.gz"));
    check_three(tpath("z.pcap.gz"), true, true);
    gzip_file(tpath("z.pcap"), tpath("z-no-suffix.cap")); /* found by its 1f 8b magic */
    check_three(tpath("z-no-suffix.cap"), true, true);
    if (!have_editcap())
        return;
    editcap_pcapng(tpath("z.pcap"), tpath("z.pcapng"));
    gzip_file(tpath("z.pcapng"), tpath("z.pcapng.gz"));
    check_three(tpath("z.pcapng.gz"), true, true);
}

/* Pipe file into a child's standard input; the child reads "-" and exits 0 on success. */
static void
stdin_case(const char *file, bool gzip)
{
    int fds[2];
    pid_t pid;
    int status;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[SOURCE_ERRBUF] = "";
        struct source *s;
        struct frame f;
        int n = 0;

        close(fds[1]);
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        s = open1("-", NULL, err);
        if (s == NULL)
            _exit(10);
        while (source_next(s, &f, err, sizeof err) == SOURCE_FRAME)
            if (f.ts_ns == three[n].sec * 1000000000LL + three[n].frac &&
                f.number == (unsigned)n + 1)
                n++;
        if (n != 3 || source_input_get(s, 0)->gzip != gzip || !source_input_get(s, 0)->nanosecond ||
            source_input_get(s, 0)->bytes_total != 0 ||
            strcmp(source_input_get(s, 0)->name, "-") != 0)
            _exit(11);
        source_close(s);
        _exit(0);
    }
    close(fds[0]);
    {
        FILE *in = fopen(file, "rb");
        char buf[512];
        size_t n;

        assert_non_null(in);
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            assert_int_equal(write(fds[1], buf, n), (ssize_t)n);
        fclose(in);
    }
    close(fds[1]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_stdin(void **state)
{
    (void)state;
    write_capture(tpath("in.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    gzip_file(tpath("in.pcap"), tpath("in.pcap.gz"));
    stdin_case(tpath("in.pcap"), false);
    stdin_case(tpath("in.pcap.gz"), true);
}

static void
test_merge(void **state)
{
    static const struct tframe a[] = {{10, 1, 1, 0x11}, {10, 3, 1, 0x12}, {10, 5, 1, 0x13}};
    static const struct tframe b[] = {
        {10, 2, 1, 0x21}, {10, 3, 1, 0x22}, {10, 4, 1, 0x23}, {10, 6, 1, 0x24}};
    static const uint8_t want_tag[] = {0x11, 0x21, 0x12, 0x22, 0x23, 0x13, 0x24};
    static const int want_file[] = {0, 1, 0, 1, 1, 0, 1};
    static const uint64_t want_num[] = {1, 1, 2, 2, 3, 3, 4};
    const char *paths[2];
    char err[SOURCE_ERRBUF] = "";
    struct source *s;
    struct frame f[8];
    uint8_t tag[8];

    (void)state;
    write_capture(tpath("a.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, a, 3);
    write_capture(tpath("b.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, b, 4);
    paths[0] = tpath("a.pcap");
    paths[1] = tpath("b.pcap");
    s = source_open_files(paths, 2, NULL, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 8), 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(tag[i], want_tag[i]);
        assert_int_equal(f[i].file, want_file[i]);
        assert_int_equal(f[i].number, want_num[i]);
        if (i > 0)
            assert_true(f[i].ts_ns >= f[i - 1].ts_ns);
    }
    assert_int_equal(source_input_count(s), 2);
    assert_int_equal(source_input_get(s, 0)->packets, 3);
    assert_int_equal(source_input_get(s, 1)->packets, 4);
    source_close(s);
}

static void
test_bpf_keeps_frame_numbers(void **state)
{
    static const struct tframe fr[] = {
        {1, 1, 5060, 1}, {1, 2, 5000, 2}, {1, 3, 5060, 3}, {1, 4, 7000, 4}, {1, 5, 5060, 5}};
    char err[SOURCE_ERRBUF] = "";
    struct source *s;
    struct frame f[8];
    uint8_t tag[8];

    (void)state;
    write_capture(tpath("bpf.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, fr, 5);
    s = open1(tpath("bpf.pcap"), "udp port 5060", err);
    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 8), 3);
    assert_int_equal(f[0].number, 1);
    assert_int_equal(f[1].number, 3);
    assert_int_equal(f[2].number, 5);
    assert_int_equal(tag[2], 5);
    assert_int_equal(source_input_get(s, 0)->packets, 3);
    source_close(s);
}

static void
test_bad_filter(void **state)
{
    char err[SOURCE_ERRBUF] = "";
    char want[SOURCE_ERRBUF];

    (void)state;
    write_capture(tpath("f.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    assert_null(open1(tpath("f.pcap"), "udp prot 5", err));
    snprintf(
        want, sizeof want,
        "invalid BPF filter 'udp prot 5' for capture '%s' (link type EN10MB): ", tpath("f.pcap"));
    assert_memory_equal(err, want, strlen(want));
    assert_non_null(strstr(err, "syntax error"));
}

/* Expect opening path to fail with exactly the sentence fmt (one %s: the path). */
static void
expect_open_error(const char *path, const char *fmt)
{
    char err[SOURCE_ERRBUF] = "";
    char want[SOURCE_ERRBUF];

    assert_null(open1(path, NULL, err));
    snprintf(want, sizeof want, fmt, path);
    assert_string_equal(err, want);
}

static void
test_open_errors(void **state)
{
    static const char pcap_head_only[10] = {(char)0xd4, (char)0xc3, (char)0xb2, (char)0xa1, 2};
    char err[SOURCE_ERRBUF] = "";
    const char *two[2] = {"-", "-"};
    struct frame f;
    struct source *s;

    (void)state;
    expect_open_error(tpath("nope.pcap"), "cannot open capture '%s': No such file or directory");
    mkdir(tpath("subdir"), 0700);
    expect_open_error(tpath("subdir"), "cannot open capture '%s': Is a directory");
    write_text(tpath("notes.txt"), "hello, this is not a capture\n", 29);
    expect_open_error(tpath("notes.txt"), "'%s' is not a pcap or pcapng capture");
    write_text(tpath("tiny"), "ab", 2);
    expect_open_error(tpath("tiny"), "'%s' is not a pcap or pcapng capture");
    write_text(tpath("cut-header.pcap"), pcap_head_only, sizeof pcap_head_only);
    expect_open_error(tpath("cut-header.pcap"), "capture '%s' ends inside its file header");
    write_text(tpath("empty.pcap"), "", 0);
    expect_open_error(tpath("empty.pcap"), "capture '%s' is empty");
    write_text(tpath("empty"), "", 0);
    gzip_file(tpath("empty"), tpath("empty.pcap.gz"));
    expect_open_error(tpath("empty.pcap.gz"), "capture '%s' is empty");
    gzip_file(tpath("notes.txt"), tpath("notes.txt.gz"));
    expect_open_error(tpath("notes.txt.gz"), "'%s' is not a pcap or pcapng capture");
    write_capture(tpath("user0.pcap"), 147, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    expect_open_error(tpath("user0.pcap"),
                      "'%s' has link type USER0 (147), which voipdiag cannot decode");
    write_capture(tpath("wifi.pcap"), DLT_IEEE802_11, PCAP_TSTAMP_PRECISION_NANO, three, 1);
    expect_open_error(tpath("wifi.pcap"),
                      "'%s' has link type IEEE802_11 (105), which voipdiag cannot decode");

    assert_null(source_open_files(two, 2, NULL, err, sizeof err));
    assert_string_equal(err, "standard input ('-') can be read only once");
    assert_null(source_open_files(two, 0, NULL, err, sizeof err));
    assert_string_equal(err, "no capture file given");

    /* A header and no frame is a valid, empty capture. */
    write_capture(tpath("noframes.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 0);
    s = open1(tpath("noframes.pcap"), NULL, err);
    assert_non_null(s);
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_END);
    source_close(s);
    source_close(NULL);
}

static void
test_permission(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root reads any file */
    write_capture(tpath("secret.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    chmod(tpath("secret.pcap"), 0);
    expect_open_error(tpath("secret.pcap"), "cannot open capture '%s': Permission denied");
}

/* Copy the first len bytes of from into to (a cut capture). */
static void
write_prefix(const char *from, const char *to, long len)
{
    FILE *in = fopen(from, "rb");
    char *buf = malloc((size_t)len + 1);

    assert_non_null(in);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, in), (size_t)len);
    fclose(in);
    write_text(to, buf, (size_t)len);
    free(buf);
}

/* Read path cut to len bytes: want frames, truncated, and the sentence fmt (%s: the path). */
static void
expect_cut(const char *path, size_t want, const char *fmt)
{
    char err[SOURCE_ERRBUF] = "";
    char sentence[SOURCE_ERRBUF];
    struct source *s = open1(path, NULL, err);
    struct frame f[8];
    uint8_t tag[8];

    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 8), want);
    for (size_t i = 0; i < want; i++) {
        assert_int_equal(f[i].number, i + 1);
        assert_int_equal(tag[i], i + 1);
    }
    assert_true(source_input_get(s, 0)->truncated);
    snprintf(sentence, sizeof sentence, fmt, path);
    assert_string_equal(source_input_get(s, 0)->error, sentence);
    source_close(s);
}

static const struct tframe five[] = {
    {2, 1, 5060, 1}, {2, 2, 5060, 2}, {2, 3, 5060, 3}, {2, 4, 5060, 4}, {2, 5, 5060, 5}};

static void
test_truncated(void **state)
{
    const long rec = 16 + FRAME_LEN;
    const char *paths[2];
    char err[SOURCE_ERRBUF] = "";
    struct source *s;
    struct frame f[16];
    uint8_t tag[16];
    long size;

    (void)state;
    write_capture(tpath("full.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, five, 5);
    size = file_size(tpath("full.pcap"));
    write_prefix(tpath("full.pcap"), tpath("cut-data.pcap"), size - FRAME_LEN / 2);
    expect_cut(tpath("cut-data.pcap"), 4,
               "capture '%s' ends inside frame 5; analysed the 4 frames before it");
    write_prefix(tpath("full.pcap"), tpath("cut-hdr.pcap"), size - rec + 6);
    expect_cut(tpath("cut-hdr.pcap"), 4,
               "capture '%s' ends inside frame 5; analysed the 4 frames before it");
    write_prefix(tpath("full.pcap"), tpath("cut-first.pcap"), 24 + 20);
    expect_cut(tpath("cut-first.pcap"), 0,
               "capture '%s' ends inside frame 1; there is no complete frame before it");
    write_prefix(tpath("full.pcap"), tpath("cut-second.pcap"), 24 + rec + 3);
    expect_cut(tpath("cut-second.pcap"), 1,
               "capture '%s' ends inside frame 2; analysed the 1 frame before it");

    /* The other input of a merge is read to its end. */
    write_capture(tpath("other.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    paths[0] = tpath("cut-data.pcap");
    paths[1] = tpath("other.pcap");
    s = source_open_files(paths, 2, NULL, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 16), 7);
    assert_true(source_input_get(s, 0)->truncated);
    assert_false(source_input_get(s, 1)->truncated);
    assert_int_equal(source_input_get(s, 1)->packets, 3);
    source_close(s);

    if (!have_editcap())
        return;
    editcap_pcapng(tpath("full.pcap"), tpath("full.pcapng"));
    size = file_size(tpath("full.pcapng"));
    write_prefix(tpath("full.pcapng"), tpath("cut.pcapng"), size - 20);
    expect_cut(tpath("cut.pcapng"), 4,
               "capture '%s' ends inside frame 5; analysed the 4 frames before it");
}

static void
test_truncated_gzip(void **state)
{
    struct tframe many[300];
    char err[SOURCE_ERRBUF] = "";
    struct source *s;
    struct frame f;
    uint64_t n = 0;
    const struct source_input *in;

    (void)state;
    for (int i = 0; i < 300; i++)
        many[i] = (struct tframe){3, i, (uint16_t)(1000 + i * 7919), (uint8_t)(i * 37)};
    write_capture(tpath("many.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, many, 300);
    gzip_file(tpath("many.pcap"), tpath("many.pcap.gz"));
    write_prefix(tpath("many.pcap.gz"), tpath("cut.pcap.gz"), file_size(tpath("many.pcap.gz")) / 2);
    s = open1(tpath("cut.pcap.gz"), NULL, err);
    assert_non_null(s);
    while (source_next(s, &f, err, sizeof err) == SOURCE_FRAME)
        assert_int_equal(f.number, ++n);
    in = source_input_get(s, 0);
    assert_true(n > 0 && n < 300);
    assert_true(in->gzip);
    assert_true(in->truncated);
    assert_non_null(strstr(in->error, tpath("cut.pcap.gz")));
    assert_true(strstr(in->error, "ends inside frame") != NULL ||
                strstr(in->error, "gzip data is cut short") != NULL);
    source_close(s);
}

/* A record that lies about its length, corrupt gzip, gzip cut between records. */
static void
test_read_errors(void **state)
{
    char err[SOURCE_ERRBUF] = "";
    char want[SOURCE_ERRBUF];
    const struct source_input *in;
    struct source *s;
    struct frame f[8];
    uint8_t tag[8];
    gzFile gz;
    long flushed;
    FILE *fp;

    (void)state;
    write_capture(tpath("lie.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, five, 5);
    fp = fopen(tpath("lie.pcap"), "r+b");
    assert_non_null(fp);
    fseek(fp, 24 + 2 * (16 + FRAME_LEN) + 8, SEEK_SET);
    fwrite("\xf0\xff\xff\xff", 1, 4, fp); /* caplen of frame 3 */
    fclose(fp);
    s = open1(tpath("lie.pcap"), NULL, err);
    assert_non_null(s);
    assert_int_equal(read_all(s, f, tag, 8), 2);
    in = source_input_get(s, 0);
    assert_false(in->truncated);
    snprintf(want, sizeof want, "cannot read frame 3 of capture '%s' (", tpath("lie.pcap"));
    assert_memory_equal(in->error, want, strlen(want));
    assert_non_null(strstr(in->error, "); analysed the 2 frames before it"));
    source_close(s);

    write_capture(tpath("crc.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, five, 5);
    gzip_file(tpath("crc.pcap"), tpath("crc.pcap.gz"));
    fp = fopen(tpath("crc.pcap.gz"), "r+b");
    assert_non_null(fp);
    fseek(fp, -8, SEEK_END);
    fputc(0x5a, fp); /* the CRC-32 trailer */
    fclose(fp);
    expect_open_error(tpath("crc.pcap.gz"),
                      "cannot read capture '%s': corrupt gzip data: incorrect data check");

    /* Every record inflates, but the gzip trailer is missing. */
    gz = gzopen(tpath("sync.pcap.gz"), "wb");
    assert_non_null(gz);
    fp = fopen(tpath("crc.pcap"), "rb");
    assert_non_null(fp);
    {
        char buf[1024];
        size_t n = fread(buf, 1, sizeof buf, fp);

        assert_int_equal(gzwrite(gz, buf, (unsigned)n), (int)n);
    }
    fclose(fp);
    assert_int_equal(gzflush(gz, Z_SYNC_FLUSH), Z_OK);
    flushed = file_size(tpath("sync.pcap.gz"));
    gzclose(gz);
    write_prefix(tpath("sync.pcap.gz"), tpath("notrailer.pcap.gz"), flushed);
    expect_cut(tpath("notrailer.pcap.gz"), 5,
               "capture '%s' is cut short inside its gzip data before frame 6; "
               "analysed the 5 frames before it");
}

static void
put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4); /* little-endian host: the section's byte order */
}

/* A hand-made pcapng whose interface ticks are 2^-30 s (if_tsresol 0x9e). */
static void
test_pcapng_binary_resolution(void **state)
{
    uint8_t b[28 + 32 + 32 + FRAME_LEN + 2];
    uint64_t ticks = (5ull << 30) + (1ull << 29); /* 5.5 s */
    char err[SOURCE_ERRBUF] = "";
    struct source *s;
    struct frame f;
    uint8_t *p = b;

    (void)state;
    memset(b, 0, sizeof b);
    put32(p, 0x0a0d0d0a), put32(p + 4, 28), put32(p + 8, 0x1a2b3c4d), put32(p + 12, 1);
    memset(p + 16, 0xff, 8), put32(p + 24, 28);
    p += 28;
    put32(p, 1), put32(p + 4, 32), put32(p + 8, DLT_EN10MB), put32(p + 12, 65535);
    put32(p + 16, 9 | 1 << 16), p[20] = 0x9e, put32(p + 24, 0), put32(p + 28, 32);
    p += 32;
    put32(p, 6), put32(p + 4, 32 + FRAME_LEN + 2), put32(p + 8, 0);
    put32(p + 12, (uint32_t)(ticks >> 32)), put32(p + 16, (uint32_t)ticks);
    put32(p + 20, FRAME_LEN), put32(p + 24, FRAME_LEN);
    build_frame(p + 28, 5060, 7);
    put32(p + 28 + FRAME_LEN + 2, 32 + FRAME_LEN + 2);
    write_text(tpath("bin.pcapng"), b, sizeof b);

    s = open1(tpath("bin.pcapng"), NULL, err);
    assert_non_null(s);
    assert_true(source_input_get(s, 0)->nanosecond);
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_FRAME);
    assert_int_equal(f.ts_ns, 5500000000LL);
    assert_int_equal(f.data[TAG_OFF], 7);
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_END);
    assert_false(source_input_get(s, 0)->truncated);
    source_close(s);
}

static void
test_break_files(void **state)
{
    char err[SOURCE_ERRBUF] = "";
    struct source_live_stats st = {.valid = true};
    struct source *s;
    struct frame f;

    (void)state;
    write_capture(tpath("brk.pcap"), DLT_EN10MB, PCAP_TSTAMP_PRECISION_NANO, three, 3);
    s = open1(tpath("brk.pcap"), NULL, err);
    assert_non_null(s);
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_FRAME);
    source_live_stats(s, &st);
    assert_false(st.valid);
    source_break(s);
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_END);
    source_close(s);
}

static int64_t
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
send_probe(void)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(47999)};
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    assert_true(fd >= 0);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(sendto(fd, "voipdiag-probe", 14, 0, (struct sockaddr *)&to, sizeof to), 14);
    close(fd);
}

static void
test_live_lo(void **state)
{
    struct source_opts o = {.bpf = "udp port 47999", .timeout_ms = 100};
    char err[SOURCE_ERRBUF] = "";
    struct source_live_stats st;
    struct source *s;
    struct frame f;
    int64_t deadline;
    bool got = false;

    (void)state;
    s = source_open_live("lo", &o, err, sizeof err);
    if (s == NULL && strstr(err, "permission denied") != NULL)
        skip();
    if (s == NULL)
        fail_msg("%s", err);
    assert_string_equal(source_input_get(s, 0)->name, "lo");
    assert_string_equal(source_input_get(s, 0)->link_type, "EN10MB");
    assert_true(source_fd(s) >= 0);
    deadline = now_ns();
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_IDLE);
    assert_true(now_ns() - deadline < 1000000000LL); /* the 100 ms read time-out */
    send_probe();
    deadline = now_ns() + 5000000000LL;
    while (!got && now_ns() < deadline) {
        enum source_status rc = source_next(s, &f, err, sizeof err);

        if (rc == SOURCE_IDLE) {
            send_probe();
            continue;
        }
        assert_int_equal(rc, SOURCE_FRAME);
        assert_int_equal(f.caplen, 14 + 20 + 8 + 14);
        assert_memory_equal(f.data + 42, "voipdiag-probe", 14);
        assert_true(f.ts_ns > now_ns() - 10000000000LL && f.ts_ns <= now_ns());
        assert_int_equal(f.number, 1);
        assert_int_equal(f.file, 0);
        got = true;
    }
    assert_true(got);
    source_live_stats(s, &st);
    assert_true(st.valid);
    assert_true(st.received >= 1);
    source_break(s);
    assert_int_equal(source_next(s, &f, err, sizeof err), SOURCE_END);
    source_close(s);
}

static struct source *alarm_source;

static void
on_alarm(int sig)
{
    (void)sig;
    source_break(alarm_source);
}

/* source_break from a signal handler ends a long wait at once. */
static void
test_live_break_from_signal(void **state)
{
    struct source_opts o = {.bpf = "udp port 47998", .timeout_ms = 5000};
    struct itimerval it = {.it_value = {.tv_usec = 200000}};
    struct sigaction sa = {.sa_handler = on_alarm};
    char err[SOURCE_ERRBUF] = "";
    struct frame f;
    int64_t t0;

    (void)state;
    alarm_source = source_open_live("lo", &o, err, sizeof err);
    if (alarm_source == NULL && strstr(err, "permission denied") != NULL)
        skip();
    if (alarm_source == NULL)
        fail_msg("%s", err);
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
    t0 = now_ns();
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
    assert_int_equal(source_next(alarm_source, &f, err, sizeof err), SOURCE_END);
    assert_true(now_ns() - t0 < 2000000000LL);
    assert_int_equal(source_next(alarm_source, &f, err, sizeof err), SOURCE_END);
    signal(SIGALRM, SIG_DFL);
    source_close(alarm_source);
    alarm_source = NULL;
}

static void
test_live_no_such_interface(void **state)
{
    char err[SOURCE_ERRBUF] = "";

    (void)state;
    assert_null(source_open_live("vdnope0", NULL, err, sizeof err));
    if (strstr(err, "permission denied") != NULL)
        skip();
    assert_string_equal(err, "no such interface 'vdnope0'");
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_source.XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcap_nanosecond),
        cmocka_unit_test(test_pcap_microsecond),
        cmocka_unit_test(test_pcapng),
        cmocka_unit_test(test_pcapng_binary_resolution),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_bpf_keeps_frame_numbers),
        cmocka_unit_test(test_bad_filter),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_permission),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_break_files),
        cmocka_unit_test(test_live_lo),
        cmocka_unit_test(test_live_break_from_signal),
        cmocka_unit_test(test_live_no_such_interface),
    };

    return cmocka_run_group_tests_name("source", tests, setup, teardown);
}
