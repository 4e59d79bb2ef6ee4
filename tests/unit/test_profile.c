/* test_profile.c — the provider profile: defaults, the shipped default file, good and bad files
 * (each bad case names its line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/check/profile.h"

/* A profile whose every field differs from the default. */
static void
other_profile(struct profile *p)
{
    char err[160];
    profile_default(p);
    snprintf(p->name, sizeof(p->name), "other");
    p->sip = (struct profile_range){1, 2};
    p->rtp = (struct profile_range){3, 4};
    p->keepalive_s = 5;
    p->binding_timeout_s = 6;
    p->http_port = 7;
    p->https_port = 8;
    p->ntp_port = 9;
    p->remote_port = 10;
    p->remote_fallback_port = 11;
    p->n_blocks = 1;
    assert_int_equal(cidr_parse("10.0.0.0/8", &p->blocks[0], err, sizeof(err)), 0);
}

static void
test_default_values(void **state)
{
    (void)state;
    struct profile p;
    char b[CIDR_TEXT_MAX];
    profile_default(&p);
    assert_int_equal(p.sip.min, 5060);
    assert_int_equal(p.sip.max, 5080);
    assert_int_equal(p.rtp.min, 10000);
    assert_int_equal(p.rtp.max, 60000);
    assert_int_equal(p.keepalive_s, 30);
    assert_int_equal(p.binding_timeout_s, 90);
    assert_int_equal(p.http_port, 80);
    assert_int_equal(p.https_port, 443);
    assert_int_equal(p.ntp_port, 123);
    assert_int_equal(p.remote_port, 5938);
    assert_int_equal(p.remote_fallback_port, 443);
    assert_int_equal(p.n_blocks, 9);
    assert_string_equal(cidr_format(&p.blocks[0], b, sizeof(b)), "52.67.38.195/32");
    assert_string_equal(cidr_format(&p.blocks[8], b, sizeof(b)), "177.20.192.0/20");
}

/* scripts/profiles/default.ini, loaded over a profile that differs everywhere, is exactly the
 * built-in default. */
static void
test_default_file(void **state)
{
    (void)state;
    struct profile want, got;
    char err[300], path[4096];
    const char *src = getenv("VOIPDIAG_SRC");
    snprintf(path, sizeof(path), "%s/scripts/profiles/default.ini", src ? src : ".");
    profile_default(&want);
    other_profile(&got);
    if (profile_load(path, &got, err, sizeof(err)))
        fail_msg("%s", err);
    assert_memory_equal(&got, &want, sizeof(want));

    snprintf(path, sizeof(path), "%s/scripts/profiles/lab.ini", src ? src : ".");
    if (profile_load(path, &got, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(got.n_blocks, 3);
    assert_int_equal(got.remote_port, 5938);
}

static void
test_good_text(void **state)
{
    (void)state;
    static const char text[] = "; a provider\n"
                               "[provider]\nname = Acme Voice\n"
                               "[sip]\nports = 5060 - 5062 ; inline comment\n"
                               "keepalive_interval=20\n\n"
                               "# another comment\n"
                               "[remote]\nport = 5939\nfallback_port = 8443\n"
                               "[blocks]\nblock = 2001:db8:2::/48\nblock=198.51.100.7\n";
    struct profile p;
    char err[300], b[CIDR_TEXT_MAX];
    profile_default(&p);
    if (profile_parse(text, strlen(text), "acme.ini", &p, err, sizeof(err)))
        fail_msg("%s", err);
    assert_string_equal(p.name, "Acme Voice");
    assert_int_equal(p.sip.min, 5060);
    assert_int_equal(p.sip.max, 5062);
    assert_int_equal(p.keepalive_s, 20);
    assert_int_equal(p.binding_timeout_s, 90); /* kept */
    assert_int_equal(p.remote_port, 5939);
    assert_int_equal(p.remote_fallback_port, 8443);
    assert_int_equal(p.n_blocks, 2); /* replaced, not appended */
    assert_string_equal(cidr_format(&p.blocks[0], b, sizeof(b)), "2001:db8:2::/48");
    assert_string_equal(cidr_format(&p.blocks[1], b, sizeof(b)), "198.51.100.7/32");
}

/* Bad files: the text and the start of the message ("bad.ini:LINE: …") plus a word. */
static const struct {
    const char *text, *where, *says;
} bad[] = {
    {"[sip]\nports = 5060-5080\n[colour]\nred = 1\n", "bad.ini:3:", "unknown section [colour]"},
    {"[sip]\nport = 5060\n", "bad.ini:2:", "unknown key 'port' in [sip]"},
    {"[http]\nport = eighty\n", "bad.ini:2:", "not a port"},
    {"[http]\nport = 0\n", "bad.ini:2:", "not a port"},
    {"[http]\nport = 65536\n", "bad.ini:2:", "not a port"},
    {"[http]\nport = -80\n", "bad.ini:2:", "not a port"},
    {"[http]\nport = 80\nport = 81\n", "bad.ini:3:", "set twice"},
    {"[sip]\n\nports = 5080-5060\n", "bad.ini:3:", "runs backwards"},
    {"[rtp]\nports = 10000-70000\n", "bad.ini:2:", "within 1-65535"},
    {"[rtp]\nports = 10000-\n", "bad.ini:2:", "not a port range"},
    {"[sip]\nkeepalive_interval = 0\n", "bad.ini:2:", "seconds"},
    {"[sip]\nbinding_timeout = 90s\n", "bad.ini:2:", "seconds"},
    {"[blocks]\nblock = 200.219.237.70/27\n", "bad.ini:2:", "host bits"},
    {"[blocks]\nblock = 2001:db8::/129\n", "bad.ini:2:", "beyond /128"},
    {"[blocks]\nblock = 10.0.0.0/33\n", "bad.ini:2:", "beyond /32"},
    {"[blocks]\nblock = 10.0.0.300/32\n", "bad.ini:2:", "not an IPv4 or IPv6 address"},
    {"[blocks]\n\n\nblock\n", "bad.ini:4:", "expected '[section]'"},
    {"[sip\nports = 5060\n", "bad.ini:1:", "expected '[section]'"},
    {"[provider]\nname = \n", "bad.ini:2:", "name must be"},
    {"[blocks]\n", "bad.ini:1:", "no provider blocks"},
};

static void
test_bad_text(void **state)
{
    (void)state;
    char err[300];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct profile p, before;
        profile_default(&p);
        before = p;
        err[0] = '\0';
        if (profile_parse(bad[i].text, strlen(bad[i].text), "bad.ini", &p, err, sizeof(err)) != -1)
            fail_msg("case %zu accepted", i);
        if (strncmp(err, bad[i].where, strlen(bad[i].where)) != 0 || !strstr(err, bad[i].says))
            fail_msg("case %zu: '%s' wants '%s' … '%s'", i, err, bad[i].where, bad[i].says);
        assert_memory_equal(&p, &before, sizeof(p)); /* unchanged on failure */
    }
}

/* 65 blocks: the 65th line is refused; a long line, a NUL byte, a missing file. */
static void
test_limits(void **state)
{
    (void)state;
    char text[8192], err[300];
    size_t n = (size_t)snprintf(text, sizeof(text), "[blocks]\n");
    for (int i = 0; i <= PROFILE_MAX_BLOCKS; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "block = 10.%d.0.0/16\n", i);
    struct profile p;
    profile_default(&p);
    assert_int_equal(profile_parse(text, n, "many.ini", &p, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "many.ini:66: more than 64 provider blocks"));

    memset(text, 'x', 400);
    memcpy(text, "[provider]\nname = ", 18);
    text[400] = '\n';
    assert_int_equal(profile_parse(text, 401, "long.ini", &p, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "long.ini:2: the line is longer than"));

    static const char nul[] = "[http]\nport = 8\0"
                              "0\n";
    assert_int_equal(profile_parse(nul, sizeof(nul) - 1, "nul.ini", &p, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "nul.ini:2: the line holds a NUL byte"));

    assert_int_equal(profile_load("/nonexistent/x.ini", &p, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot open profile '/nonexistent/x.ini'"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_values), cmocka_unit_test(test_default_file),
        cmocka_unit_test(test_good_text),      cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
