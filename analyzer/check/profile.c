/* profile.c — the provider profile: the seed document's defaults and the INI loader (libinih).
 * The file format is documented in scripts/profiles/default.ini. */
#include "profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The nine IPv4 blocks of the seed document. */
static const char *const default_blocks[] = {
    "52.67.38.195/32",  "18.231.46.68/32",   "200.219.237.64/27",
    "200.219.251.0/27", "200.198.186.96/27", "200.155.7.160/27",
    "200.201.192.0/18", "187.60.48.0/20",    "177.20.192.0/20",
};

void
profile_default(struct profile *p)
{
    char err[128];
    memset(p, 0, sizeof(*p));
    snprintf(p->name, sizeof(p->name), "default (seed document)");
    p->sip = (struct profile_range){5060, 5080};
    p->rtp = (struct profile_range){10000, 60000};
    p->keepalive_s = 30;
    p->binding_timeout_s = 90;
    p->http_port = 80;
    p->https_port = 443;
    p->ntp_port = 123;
    p->remote_port = 5938;
    p->remote_fallback_port = 443;
    for (size_t i = 0; i < sizeof(default_blocks) / sizeof(default_blocks[0]); i++)
        if (cidr_parse(default_blocks[i], &p->blocks[p->n_blocks], err, sizeof(err)) == 0)
            p->n_blocks++;
}

bool
profile_in_blocks(const struct profile *p, const struct ip_addr *a)
{
    for (size_t i = 0; i < p->n_blocks; i++)
        if (cidr_contains(&p->blocks[i], a))
            return true;
    return false;
}

enum key_kind { KEY_NAME, KEY_RANGE, KEY_SECONDS, KEY_PORT, KEY_BLOCK };

/* Every key a profile may set: section, name, kind, where it goes. */
struct key {
    const char *section, *name;
    enum key_kind kind;
    size_t off;
};

#define OFF(field) offsetof(struct profile, field)
static const struct key keys[] = {
    {"provider", "name", KEY_NAME, OFF(name)},
    {"sip", "ports", KEY_RANGE, OFF(sip)},
    {"sip", "keepalive_interval", KEY_SECONDS, OFF(keepalive_s)},
    {"sip", "binding_timeout", KEY_SECONDS, OFF(binding_timeout_s)},
    {"rtp", "ports", KEY_RANGE, OFF(rtp)},
    {"http", "port", KEY_PORT, OFF(http_port)},
    {"https", "port", KEY_PORT, OFF(https_port)},
    {"ntp", "port", KEY_PORT, OFF(ntp_port)},
    {"remote", "port", KEY_PORT, OFF(remote_port)},
    {"remote", "fallback_port", KEY_PORT, OFF(remote_fallback_port)},
    {"blocks", "block", KEY_BLOCK, OFF(blocks)},
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* The parse: a memory reader that counts lines, and the first error. */
struct parse {
    const char *name;      /* file name for messages */
    const char *pos, *end; /* what the reader has not yet handed out */
    unsigned line;         /* line the reader handed out last (1-based) */
    unsigned section_line; /* line of the last [section] header */
    struct profile p;      /* built here, copied out on success */
    bool set[N_KEYS];
    bool blocks_started;  /* the first block replaces the defaults */
    unsigned blocks_line; /* line of a [blocks] header, 0 if none */
    unsigned err_line;    /* 0: no error yet */
    char err[256];
};

/* Keep the first error (by line) as "FILE:LINE: sentence". */
static void __attribute__((format(printf, 3, 4)))
parse_fail(struct parse *ps, unsigned line, const char *fmt, ...)
{
    if (ps->err_line && ps->err_line <= line)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ps->err_line = line;
    snprintf(ps->err, sizeof(ps->err), "%s:%u: %s", ps->name, line, msg);
}

/* inih reader: the next line into str (num bytes), over-long lines cut and reported. */
static char *
parse_read(char *str, int num, void *stream)
{
    struct parse *ps = stream;
    if (ps->pos >= ps->end)
        return NULL;
    const char *nl = memchr(ps->pos, '\n', (size_t)(ps->end - ps->pos));
    const char *stop = nl ? nl + 1 : ps->end;
    size_t n = (size_t)(stop - ps->pos);
    ps->line++;
    if (memchr(ps->pos, '\0', n))
        parse_fail(ps, ps->line, "the line holds a NUL byte");
    if (n > (size_t)num - 1) {
        parse_fail(ps, ps->line, "the line is longer than %d characters", num - 3);
        n = (size_t)num - 1;
    }
    memcpy(str, ps->pos, n);
    str[n] = '\0';
    ps->pos = stop;
    const char *s = str;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '[') {
        ps->section_line = ps->line;
        if (strncmp(s, "[blocks]", 8) == 0 && !ps->blocks_line)
            ps->blocks_line = ps->line;
    }
    return str;
}

/* A whole decimal number in [lo, hi] from s (digits only); 0, or -1. */
static int
parse_number(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    if (*s < '0' || *s > '9' || strlen(s) > 9)
        return -1;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "MIN-MAX" or "PORT" into r; 0, or -1 with a message. */
static int
parse_range(struct parse *ps, const char *v, struct profile_range *r)
{
    char a[16], b[16];
    const char *dash = strchr(v, '-');
    size_t alen = dash ? (size_t)(dash - v) : strlen(v);
    const char *bs = dash ? dash + 1 : v;
    if (alen >= sizeof(a) || strlen(bs) >= sizeof(b))
        goto bad;
    memcpy(a, v, alen);
    a[alen] = '\0';
    while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
        a[--alen] = '\0';
    while (*bs == ' ' || *bs == '\t')
        bs++;
    snprintf(b, sizeof(b), "%s", bs);
    unsigned long lo, hi;
    if (parse_number(a, 1, 65535, &lo) || parse_number(b, 1, 65535, &hi))
        goto bad;
    if (lo > hi) {
        parse_fail(ps, ps->line, "port range '%s' runs backwards (%lu > %lu)", v, lo, hi);
        return -1;
    }
    r->min = (uint16_t)lo;
    r->max = (uint16_t)hi;
    return 0;
bad:
    parse_fail(ps, ps->line, "'%s' is not a port range MIN-MAX within 1-65535", v);
    return -1;
}

/* One key = value of a known key k into ps->p. */
static void
parse_value(struct parse *ps, const struct key *k, const char *v)
{
    void *dst = (char *)&ps->p + k->off;
    unsigned long n;
    char err[160];
    switch (k->kind) {
    case KEY_NAME:
        if (!*v || strlen(v) >= sizeof(ps->p.name)) {
            parse_fail(ps, ps->line, "name must be 1 to %zu characters", sizeof(ps->p.name) - 1);
            return;
        }
        snprintf(ps->p.name, sizeof(ps->p.name), "%s", v);
        return;
    case KEY_RANGE:
        parse_range(ps, v, dst);
        return;
    case KEY_SECONDS:
        if (parse_number(v, 1, 86400, &n))
            parse_fail(ps, ps->line, "'%s' is not a number of seconds within 1-86400", v);
        else
            *(uint32_t *)dst = (uint32_t)n;
        return;
    case KEY_PORT:
        if (parse_number(v, 1, 65535, &n))
            parse_fail(ps, ps->line, "'%s' is not a port within 1-65535", v);
        else
            *(uint16_t *)dst = (uint16_t)n;
        return;
    case KEY_BLOCK:
        if (!ps->blocks_started) {
            ps->blocks_started = true;
            ps->p.n_blocks = 0;
        }
        if (ps->p.n_blocks == PROFILE_MAX_BLOCKS) {
            parse_fail(ps, ps->line, "more than %d provider blocks", PROFILE_MAX_BLOCKS);
            return;
        }
        if (cidr_parse(v, &ps->p.blocks[ps->p.n_blocks], err, sizeof(err)))
            parse_fail(ps, ps->line, "%s", err);
        else
            ps->p.n_blocks++;
        return;
    }
}

/* inih handler: find the key, refuse unknown and repeated ones. Always continues (returns 1)
 * so that the first error by line wins. */
static int
parse_handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse *ps = user;
    bool section_known = false;
    for (size_t i = 0; i < N_KEYS; i++) {
        if (strcmp(keys[i].section, section) != 0)
            continue;
        section_known = true;
        if (strcmp(keys[i].name, name) != 0)
            continue;
        if (ps->set[i] && keys[i].kind != KEY_BLOCK) {
            parse_fail(ps, ps->line, "'%s' is set twice in [%s]", name, section);
            return 1;
        }
        ps->set[i] = true;
        parse_value(ps, &keys[i], value);
        return 1;
    }
    if (!section_known)
        parse_fail(ps, ps->section_line ? ps->section_line : ps->line,
                   "unknown section [%s] (known: provider, sip, rtp, http, https, ntp, remote, "
                   "blocks)",
                   section);
    else
        parse_fail(ps, ps->line, "unknown key '%s' in [%s]", name, section);
    return 1;
}

int
profile_parse(const char *text, size_t len, const char *name, struct profile *p, char *err,
              size_t errlen)
{
    struct parse *ps = calloc(1, sizeof(*ps));
    if (!ps) {
        snprintf(err, errlen, "%s: out of memory reading the profile", name);
        return -1;
    }
    ps->name = name;
    ps->pos = text;
    ps->end = text + len;
    ps->p = *p;
    int rc = ini_parse_stream(parse_read, ps, parse_handler, ps);
    if (rc > 0 && ps->err_line >= (unsigned)rc)
        ps->err_line = 0; /* the syntax error explains whatever the handler saw on its line */
    if (rc > 0)
        parse_fail(ps, (unsigned)rc, "expected '[section]' or 'key = value'");
    else if (rc < 0)
        parse_fail(ps, 0, "out of memory reading the profile");
    if (!ps->err_line && ps->blocks_line && !ps->blocks_started)
        parse_fail(ps, ps->blocks_line,
                   "[blocks] lists no block: the profile has no provider "
                   "blocks");
    rc = ps->err_line || rc ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "%s", ps->err);
    else
        *p = ps->p;
    free(ps);
    return rc;
}

int
profile_load(const char *path, struct profile *p, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open profile '%s': %s", path, strerror(errno));
        return -1;
    }
    int rc = -1;
    char *buf = malloc(PROFILE_MAX_BYTES + 1);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory reading the profile", path);
        goto out;
    }
    size_t n = fread(buf, 1, PROFILE_MAX_BYTES + 1, f);
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read profile '%s': %s", path, strerror(errno));
        goto out;
    }
    if (n > PROFILE_MAX_BYTES) {
        snprintf(err, errlen, "%s: a profile is at most %d bytes", path, PROFILE_MAX_BYTES);
        goto out;
    }
    rc = profile_parse(buf, n, path, p, err, errlen);
out:
    free(buf);
    fclose(f);
    return rc;
}
