/* test_cidr.c — IPv4/IPv6 block parsing and matching: tables of texts, edges, host bits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/check/cidr.h"

static struct ip_addr
addr(const char *text)
{
    struct ip_addr a;
    memset(&a, 0, sizeof(a));
    if (inet_pton(AF_INET, text, a.a) == 1)
        a.family = 4;
    else if (inet_pton(AF_INET6, text, a.a) == 1)
        a.family = 6;
    return a;
}

/* Good blocks: text, its canonical form, an address inside, one outside. */
static const struct {
    const char *text, *canon, *in, *out;
} good[] = {
    {"52.67.38.195/32", "52.67.38.195/32", "52.67.38.195", "52.67.38.194"},
    {"52.67.38.195", "52.67.38.195/32", "52.67.38.195", "52.67.38.196"},
    {"200.219.237.64/27", "200.219.237.64/27", "200.219.237.95", "200.219.237.96"},
    {"200.219.237.64/27", "200.219.237.64/27", "200.219.237.64", "200.219.237.63"},
    {"200.201.192.0/18", "200.201.192.0/18", "200.201.255.255", "200.202.0.0"},
    {"187.60.48.0/20", "187.60.48.0/20", "187.60.63.1", "187.60.64.1"},
    {"192.0.2.6/31", "192.0.2.6/31", "192.0.2.7", "192.0.2.8"},
    {"0.0.0.0/0", "0.0.0.0/0", "255.255.255.255", "::"},
    {"10.0.0.0/8", "10.0.0.0/8", "10.255.0.1", "11.0.0.0"},
    {"2001:db8::/32", "2001:db8::/32", "2001:db8:ffff::1", "2001:db9::"},
    {"2001:db8:2::/48", "2001:db8:2::/48", "2001:db8:2:ffff::1", "2001:db8:3::1"},
    {"2001:db8::1/128", "2001:db8::1/128", "2001:db8::1", "2001:db8::2"},
    {"2001:db8::1", "2001:db8::1/128", "2001:db8::1", "2001:db8::"},
    {"::/0", "::/0", "ffff::1", "10.0.0.1"},
    {"2001:db8::/33", "2001:db8::/33", "2001:db8:7fff::", "2001:db8:8000::"},
    {"2001:db8::/127", "2001:db8::/127", "2001:db8::1", "2001:db8::2"},
};

static void
test_good(void **state)
{
    (void)state;
    char err[160], buf[CIDR_TEXT_MAX];
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct cidr c;
        assert_int_equal(cidr_parse(good[i].text, &c, err, sizeof(err)), 0);
        assert_string_equal(cidr_format(&c, buf, sizeof(buf)), good[i].canon);
        struct ip_addr in = addr(good[i].in), out = addr(good[i].out);
        assert_true(cidr_contains(&c, &in));
        assert_false(cidr_contains(&c, &out));
    }
}

/* Bad blocks and a word the message must contain. */
static const struct {
    const char *text, *says;
} bad[] = {
    {"", "not an IPv4 or IPv6 block"},
    {"/24", "not an IPv4 or IPv6 block"},
    {"200.219.237.64/33", "beyond /32"},
    {"2001:db8::/129", "beyond /128"},
    {"200.219.237.70/27", "(the block is 200.219.237.64/27)"},
    {"2001:db8::1/64", "(the block is 2001:db8::/64)"},
    {"10.0.0.1/0", "(the block is 0.0.0.0/0)"},
    {"200.219.237.64/", "no prefix length"},
    {"200.219.237.64/+8", "no prefix length"},
    {"200.219.237.64/-1", "no prefix length"},
    {"200.219.237.64/2x", "no prefix length"},
    {"200.219.237.64/0024", "no prefix length"},
    {"200.219.237/24", "not an IPv4 or IPv6 address"},
    {"256.0.0.0/8", "not an IPv4 or IPv6 address"},
    {"example.com/24", "not an IPv4 or IPv6 address"},
    {"2001:db8:::/48", "not an IPv4 or IPv6 address"},
    {" 10.0.0.0/8", "not an IPv4 or IPv6 address"},
};

static void
test_bad(void **state)
{
    (void)state;
    char err[160];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cidr c;
        err[0] = '\0';
        assert_int_equal(cidr_parse(bad[i].text, &c, err, sizeof(err)), -1);
        if (!strstr(err, bad[i].says))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].text, err, bad[i].says);
    }
}

/* Families never match each other; an address of family 0 matches nothing. */
static void
test_families(void **state)
{
    (void)state;
    char err[160];
    struct cidr v4, v6;
    assert_int_equal(cidr_parse("0.0.0.0/0", &v4, err, sizeof(err)), 0);
    assert_int_equal(cidr_parse("::/0", &v6, err, sizeof(err)), 0);
    struct ip_addr a4 = addr("192.0.2.1"), a6 = addr("::ffff:192.0.2.1"), none;
    memset(&none, 0, sizeof(none));
    assert_true(cidr_contains(&v4, &a4));
    assert_false(cidr_contains(&v4, &a6));
    assert_true(cidr_contains(&v6, &a6));
    assert_false(cidr_contains(&v6, &a4));
    assert_false(cidr_contains(&v4, &none));
}

/* Every prefix length of a v6 block: the address just below the boundary is in, the flip of
 * the last network bit is out. */
static void
test_every_prefix(void **state)
{
    (void)state;
    char err[160], text[64];
    for (unsigned len = 1; len <= 128; len++) {
        snprintf(text, sizeof(text), "::/%u", len);
        struct cidr c;
        assert_int_equal(cidr_parse(text, &c, err, sizeof(err)), 0);
        struct ip_addr a;
        memset(&a, 0, sizeof(a));
        a.family = 6;
        if (len < 128)
            a.a[len / 8] |= (uint8_t)(0x80 >> (len % 8)); /* first host bit */
        assert_true(cidr_contains(&c, &a));
        memset(a.a, 0, 16);
        a.a[(len - 1) / 8] |= (uint8_t)(0x80 >> ((len - 1) % 8)); /* last network bit */
        assert_false(cidr_contains(&c, &a));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_families),
        cmocka_unit_test(test_every_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
