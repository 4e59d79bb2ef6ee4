/* test_alg.c — SIP ALG matcher, diff and fingerprints (RFC 3261 §18.2.1, RFC 3581): table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/result.h"
#include "dissectors/dissect.h"
#include "analyzer/track/alg.h"
#include "analyzer/track/alg_match.h"

static const char *reg_lan = "REGISTER sip:example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-1;rport\r\n"
                             "From: <sip:100@example.com>;tag=a\r\nTo: <sip:100@example.com>\r\n"
                             "Call-ID: c1\r\nCSeq: 1 REGISTER\r\n"
                             "Contact: <sip:100@192.168.1.10:5060>\r\nContent-Length: 0\r\n\r\n";
static const char *reg_wan = "REGISTER sip:example.com SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-1;rport\r\n"
                             "From: <sip:100@example.com>;tag=a\r\nTo: <sip:100@example.com>\r\n"
                             "Call-ID: c1\r\nCSeq: 1 REGISTER\r\n"
                             "Contact: <sip:100@198.51.100.20:5060>\r\nContent-Length: 0\r\n\r\n";
static const char *ok_200 =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-1;rport=5060;"
    "received=%s\r\n"
    "From: <sip:100@example.com>;tag=a\r\nTo: <sip:100@example.com>;tag=b\r\n"
    "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";

static struct sip_message ma, mb;

/* Whether copies keep their datagram (as from UDP) or their built view (as from a TCP
 * stream): every test runs both ways, and both must judge alike. */
static bool keep_raw;

static const uint8_t *
raw_of(const char *text)
{
    return keep_raw ? (const uint8_t *)text : NULL;
}

static void
parse(const char *t, struct sip_message *m)
{
    assert_int_equal(sip_parse_datagram((const uint8_t *)t, strlen(t), m), SIP_OK);
}

static struct sip_endpoint
ep(const char *ip, uint16_t port)
{
    struct sip_endpoint e = {.port = port};
    assert_true(ip_addr_parse(ip, &e.ip));
    return e;
}

static void
test_key_and_diff(void **state)
{
    (void)state;
    parse(reg_lan, &ma);
    parse(reg_wan, &mb);
    struct alg_key ka, kb;
    assert_true(alg_key_of(&ma, &ka));
    assert_true(alg_key_of(&mb, &kb));
    assert_memory_equal(&ka, &kb, sizeof ka); /* same message at both points */
    static struct alg_view va, vb;
    alg_view_build(&ma, NULL, &va);
    alg_view_build(&mb, NULL, &vb);
    assert_int_equal(alg_view_diff(&va, &vb, NULL, NULL), 2); /* Via sent-by, Contact */
    assert_int_equal(alg_view_diff(&va, &va, NULL, NULL), 0);
}

static void
test_private(void **state)
{
    (void)state;
    static const struct {
        const char *ip;
        bool priv;
    } t[] = {{"10.1.2.3", true},      {"172.16.0.1", true}, {"172.32.0.1", false},
             {"192.168.1.1", true},   {"100.64.0.1", true}, {"100.128.0.1", false},
             {"198.51.100.1", false}, {"[fd00::1]", true},  {"2001:db8::1", false}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct ip_addr a;
        assert_true(ip_addr_parse(t[i].ip, &a));
        assert_int_equal(alg_addr_private(&a), t[i].priv);
    }
    struct ip_addr a;
    assert_false(ip_addr_parse("example.com", &a));
}

static void
test_matcher(void **state)
{
    (void)state;
    static struct alg_matcher mt;
    static struct alg_copy a, b, p;
    assert_int_equal(alg_matcher_init(&mt, 16, 4000000000LL), 0);
    parse(reg_lan, &ma);
    struct alg_key k;
    alg_key_of(&ma, &k);
    a.at = (struct sip_ref){1, 0, 1000};
    a.src = ep("192.168.1.10", 5060);
    a.dst = ep("203.0.113.5", 5060);
    b = a;
    b.at = (struct sip_ref){1, 1, 2000};
    b.src = ep("198.51.100.20", 5060);
    struct alg_body body = {"REGISTER", "c1", (const uint8_t *)reg_lan, strlen(reg_lan), NULL};
    assert_false(alg_matcher_offer(&mt, &k, &a, &body, &p, NULL, NULL));
    /* an identical copy in the same file is a retransmission, not the twin */
    struct alg_copy same = a;
    same.at.frame = 2;
    assert_false(alg_matcher_offer(&mt, &k, &same, &body, &p, NULL, NULL));
    struct alg_body wan = {"REGISTER", "c1", (const uint8_t *)reg_wan, strlen(reg_wan), NULL};
    assert_true(alg_matcher_offer(&mt, &k, &b, &wan, &p, NULL, NULL));
    assert_true(alg_copy_is_upstream(&p, &b)); /* the private source is upstream */
    struct alg_stored got;
    alg_matcher_body(&mt, &p, &got); /* the twin's body: readable until the next offer */
    assert_int_equal(got.kind, ALG_BODY_RAW);
    assert_string_equal(got.what, "REGISTER");
    assert_string_equal(got.call_id, "c1");
    assert_int_equal(got.len, strlen(reg_lan));
    assert_memory_equal(got.data, reg_lan, got.len);
    alg_matcher_expire(&mt, 10000000000LL, false, NULL, NULL);
    assert_int_equal(mt.count, 0);
    alg_matcher_free(&mt);
}

/* Copies whose bodies no longer fit the ring are dropped oldest first, handed over intact. */
static uint32_t gone_count, gone_bad;
static void
on_gone(void *ctx, const struct alg_copy *c)
{
    struct alg_matcher *mt = ctx;
    struct alg_stored s;
    alg_matcher_body(mt, c, &s);
    char want[16];
    snprintf(want, sizeof want, "c%u", (unsigned)c->at.frame);
    if (strcmp(s.call_id, want) != 0 || s.len != ALG_RAW_MAX || s.data[0] != (uint8_t)c->at.frame ||
        s.data[s.len - 1] != (uint8_t)c->at.frame)
        gone_bad++;
    gone_count++;
}

static void
test_matcher_ring(void **state)
{
    (void)state;
    static struct alg_matcher mt;
    static uint8_t big[ALG_RAW_MAX];
    enum { N = 200 }; /* 200 × 64 KiB: three times the ring */
    assert_int_equal(alg_matcher_init(&mt, 256, 4000000000LL), 0);
    gone_count = gone_bad = 0;
    for (uint32_t i = 1; i <= N; i++) {
        struct alg_key k = {i, i * 0x9e3779b97f4a7c15ull};
        struct alg_copy c = {.at = {i, 0, 1000 + i},
                             .src = ep("192.168.1.10", 5060),
                             .dst = ep("203.0.113.5", 5060)};
        char cid[16];
        snprintf(cid, sizeof cid, "c%u", (unsigned)i);
        memset(big, (int)(uint8_t)i, sizeof big);
        struct alg_body body = {"INVITE", cid, big, sizeof big, NULL};
        static struct alg_copy p;
        assert_false(alg_matcher_offer(&mt, &k, &c, &body, &p, on_gone, &mt));
    }
    assert_true(gone_count > N / 2);
    assert_int_equal(gone_bad, 0);
    assert_int_equal(mt.evicted, gone_count);
    assert_int_equal(mt.count, N - gone_count);
    gone_count = 0;
    alg_matcher_expire(&mt, 0, true, on_gone, &mt); /* the survivors' bodies are intact too */
    assert_int_equal(gone_bad, 0);
    assert_int_equal(mt.count, 0);
    for (uint32_t i = 0; i <= mt.index_mask; i++) /* every copy left the index */
        assert_int_equal(mt.index[i], 0);
    alg_matcher_free(&mt);
}

/*
 * The matcher against a model of its rules (keys from a small set so that probe chains collide
 * and copies pile up, matches removing copies from the middle, a cap, expiry): the same copy
 * matched, stored, evicted or refused at every step.
 */
struct model_copy {
    uint64_t seq;
    uint32_t key;
    uint16_t file;
    int64_t ts;
    bool live;
};

static void
test_matcher_model(void **state)
{
    (void)state;
    enum { CAP = 8, STEPS = 20000, KEYS = 6 };
    static struct alg_matcher mt;
    static struct model_copy rec[STEPS];
    assert_int_equal(alg_matcher_init(&mt, CAP, 50), 0);
    uint64_t head = 0, n = 0, rng = 12345, evicted = 0;
    uint32_t qsize = mt.queue_size, count = 0;
    for (uint32_t step = 0; step < STEPS; step++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t key = (uint32_t)(rng >> 33) % KEYS;
        uint16_t file = (uint16_t)((rng >> 40) & 1);
        int64_t ts = step; /* time goes on: expiry after 50 */
        /* expire in the model and the matcher */
        for (; head < n; head++) {
            if (!rec[head].live)
                continue;
            if (rec[head].ts >= ts - 50)
                break;
            rec[head].live = false;
            count--;
        }
        alg_matcher_expire(&mt, ts, false, NULL, NULL);
        /* offer */
        struct alg_key k = {key * 0x10001ull, 7}; /* every key has the same tag: one chain */
        struct alg_copy c = {.at = {step + 1, file, ts},
                             .src = ep("192.168.1.10", 5060),
                             .dst = ep("203.0.113.5", 5060)};
        static struct alg_copy p;
        struct alg_body body = {"OPTIONS", "x", NULL, 0, NULL};
        int64_t best = -1;
        uint32_t same = 0;
        for (uint64_t i = head; i < n; i++) {
            if (!rec[i].live || rec[i].key != key)
                continue;
            same++;
            if (rec[i].file != file && (best < 0 || rec[i].ts < rec[best].ts))
                best = (int64_t)i;
        }
        bool got = alg_matcher_offer(&mt, &k, &c, &body, &p, NULL, NULL);
        if (best >= 0) {
            assert_true(got);
            assert_int_equal(p.at.frame, rec[best].seq + 1);
            rec[best].live = false;
            count--;
            continue;
        }
        assert_false(got);
        if (same >= ALG_COPIES_PER_KEY) {
            evicted++;
            continue;
        }
        if (count >= CAP) {
            for (; head < n && !rec[head].live; head++)
                ;
            rec[head++].live = false;
            count--;
            evicted++;
        }
        for (; n - head >= qsize; head++)
            if (rec[head].live) {
                rec[head].live = false;
                count--;
                evicted++;
            }
        rec[n] = (struct model_copy){step, key, file, ts, true};
        n++;
        count++;
        assert_int_equal(mt.count, count);
        assert_int_equal(mt.evicted, evicted);
    }
    alg_matcher_free(&mt);
}

/* Run one message through a tracker; return the ALG row verdict inputs. */
static const struct alg_result *
run_at(struct result *r, const char *text, const char *src, uint16_t sport, const char *dst,
       bool unreliable)
{
    struct alg_tracker *t = alg_tracker_new_sized(8, 8);
    assert_non_null(t);
    static struct sip_message m;
    parse(text, &m);
    struct sip_endpoint s = ep(src, sport), d = ep(dst, 5060);
    struct sip_ref at = {1, 0, 1000000000};
    alg_tracker_message(t, &m, raw_of(text), strlen(text), &at, &s, &d, unreliable);
    result_init(r, 10);
    alg_tracker_finish(t, r);
    alg_tracker_free(t);
    return r->alg;
}

static const struct alg_result *
run(struct result *r, const char *text, const char *src, const char *dst)
{
    return run_at(r, text, src, 5060, dst, false);
}

static void
test_received_fingerprint(void **state)
{
    (void)state;
    static const struct {
        const char *received, *src;
        int code; /* -1: none */
    } t[] = {
        {"192.168.1.10", "203.0.113.5", FIND_ALG_PRIVATE_RECEIVED_ECHOED},
        {"10.9.9.9", "203.0.113.5", FIND_ALG_PRIVATE_RECEIVED_SUSPECTED},
        {"198.51.100.20", "203.0.113.5", -1}, /* the NAT's address: normal */
        {"192.168.1.10", "192.168.1.5", -1},  /* a LAN PBX really saw it */
    };
    char text[1024];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        snprintf(text, sizeof text, ok_200, t[i].received);
        struct result r;
        const struct alg_result *a = run(&r, text, t[i].src, "192.168.1.10");
        if (t[i].code < 0) {
            assert_int_equal(a->n_prints, 0);
        } else {
            assert_int_equal(a->n_prints, 1);
            assert_int_equal(a->prints[0].code, t[i].code);
        }
        result_free(&r);
    }
}

/* One response src → dst whose top Via carries received=rcv, at frame `frame`. */
static void
respond(struct alg_tracker *t, const char *rcv, const char *src, const char *dst, uint32_t frame)
{
    static struct sip_message m;
    char text[1024];
    snprintf(text, sizeof text, ok_200, rcv);
    parse(text, &m);
    struct sip_endpoint s = ep(src, 5060), d = ep(dst, 5060);
    struct sip_ref at = {frame, 0, 1000000000LL + frame};
    alg_tracker_message(t, &m, raw_of(text), strlen(text), &at, &s, &d, false);
}

/*
 * Fingerprints are deduplicated on their facts and written as text at the end: the same
 * (code, text) pairs and counts as comparing every text. Texts long enough to be cut (IPv6)
 * are compared as text; a full list counts the rest as unlisted.
 */
static void
test_print_dedupe(void **state)
{
    (void)state;
    static const char *srv6 = "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
                      *ph6 = "fd00:1111:2222:3333:4444:5555:6666:7777",
                      *rcv6[2] = {"fd00:1111:2222:3333:4444:5555:6666:7777",
                                  "FD00:1111:2222:3333:4444:5555:6666:7777"};
    struct alg_tracker *t = alg_tracker_new_sized(8, 8);
    assert_non_null(t);
    uint32_t frame = 1;
    respond(t, "198.51.100.20", srv6, ph6, frame++); /* NAT evidence: the echoes stay high */
    for (int k = 0; k < 3; k++) {
        respond(t, rcv6[0], srv6, ph6, frame++);
        respond(t, "192.168.1.10", "203.0.113.5", "192.168.1.10", frame++);
        respond(t, rcv6[1], srv6, ph6, frame++);
        respond(t, "10.9.9.9", "203.0.113.5", "192.168.1.10", frame++); /* suspected */
    }
    struct result r;
    result_init(&r, 10);
    alg_tracker_finish(t, &r);
    const struct alg_result *a = r.alg;
    assert_int_equal(a->n_prints, 4);
    static const int code[4] = {FIND_ALG_PRIVATE_RECEIVED_ECHOED, FIND_ALG_PRIVATE_RECEIVED_ECHOED,
                                FIND_ALG_PRIVATE_RECEIVED_ECHOED,
                                FIND_ALG_PRIVATE_RECEIVED_SUSPECTED};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(a->prints[i].code, code[i]);
        assert_int_equal(a->prints[i].count, 3);
    }
    char want[ALG_RES_TEXT_MAX];
    for (int i = 0; i < 2; i++) {
        const struct alg_print *p = &a->prints[i == 0 ? 0 : 2];
        snprintf(want, sizeof want,
                 "a response from public %s to the phone %s names the phone's own private "
                 "address in Via received=%s; the server can only have seen the NAT's public "
                 "address (RFC 3261 §18.2.1, RFC 3581), so a middlebox rewrote it on the way back",
                 srv6, ph6, rcv6[i]);
        assert_int_equal(strlen(want), ALG_RES_TEXT_MAX - 1); /* cut */
        assert_string_equal(p->text, want);
        assert_int_equal(p->confidence, ALG_CONF_HIGH);
        assert_int_equal(p->first.frame, 2 + 2 * i);
    }
    assert_string_equal(a->prints[3].text,
                        "a response from public 203.0.113.5 to 192.168.1.10 carries the private "
                        "Via received=10.9.9.9, an address a public server cannot have seen "
                        "(unless reached over a VPN)");
    assert_int_equal(a->prints[3].last.frame, 13);
    result_free(&r);
    alg_tracker_free(t);

    /* 70 phones twice: the first 64 listed (twice each), the rest counted */
    t = alg_tracker_new_sized(8, 8);
    assert_non_null(t);
    char ip[32];
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 70; i++) {
            snprintf(ip, sizeof ip, "10.0.0.%d", i + 1);
            respond(t, ip, "203.0.113.5", ip, frame++);
        }
    result_init(&r, 10);
    alg_tracker_finish(t, &r);
    a = r.alg;
    assert_int_equal(a->n_prints, ALG_RES_MAX_PRINTS);
    assert_int_equal(a->prints_unlisted, 2 * (70 - ALG_RES_MAX_PRINTS));
    for (uint32_t i = 0; i < a->n_prints; i++) {
        /* " to the phone …" or, settled, " to …" (identical copies from several addresses
         * pair up as two capture points: some phones get NAT evidence) */
        snprintf(ip, sizeof ip, " 10.0.0.%u names", i + 1);
        assert_int_equal(a->prints[i].count, 2);
        assert_non_null(strstr(a->prints[i].text, ip));
    }
    result_free(&r);
    alg_tracker_free(t);
}

/* An INVITE from the NAT's side: Via/Contact hosts and ports, SDP o=/c=, an optional srflx
 * candidate, and Content-Length off by cl_delta from the body actually carried. */
static void
invite(char *buf, size_t len, const char *via, const char *contact, const char *o, const char *c,
       bool srflx, int cl_delta)
{
    char body[512];
    int n = snprintf(body, sizeof body,
                     "v=0\r\no=100 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                     "m=audio 16384 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n%s",
                     o, c,
                     srflx ? "a=candidate:1 1 UDP 1694498815 198.51.100.20 16384 typ srflx "
                             "raddr 192.168.1.10 rport 16384\r\n"
                           : "");
    snprintf(buf, len,
             "INVITE sip:200@203.0.113.5 SIP/2.0\r\n"
             "Via: SIP/2.0/UDP %s;branch=z9hG4bK-7;rport\r\n"
             "From: <sip:100@example.com>;tag=a\r\nTo: <sip:200@example.com>\r\n"
             "Call-ID: c7\r\nCSeq: 1 INVITE\r\nContact: <sip:100@%s>\r\n"
             "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
             via, contact, n + cl_delta, body);
}

/* A REGISTER from the NAT's side with Via and Contact as given. */
static void
registration(char *buf, size_t len, const char *via, const char *contact)
{
    snprintf(buf, len,
             "REGISTER sip:example.com SIP/2.0\r\n"
             "Via: SIP/2.0/UDP %s;branch=z9hG4bK-8;rport\r\n"
             "From: <sip:100@example.com>;tag=a\r\nTo: <sip:100@example.com>\r\n"
             "Call-ID: c8\r\nCSeq: 1 REGISTER\r\nContact: <sip:100@%s>\r\n"
             "Content-Length: 0\r\n\r\n",
             via, contact);
}

/* Messages fed to one tracker in order (file, seconds, text, source, destination). */
struct feed {
    uint16_t file;
    double s;
    const char *text, *src, *dst;
    uint16_t sport;
};

static struct alg_tracker *
feed_all(const struct feed *f, size_t n)
{
    struct alg_tracker *t = alg_tracker_new_sized(16, 16);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++) {
        static struct sip_message m;
        parse(f[i].text, &m);
        struct sip_endpoint s = ep(f[i].src, f[i].sport ? f[i].sport : 5060),
                            d = ep(f[i].dst, 5060);
        struct sip_ref at = {i + 1, f[i].file, (int64_t)(1e9 + f[i].s * 1e9)};
        alg_tracker_message(t, &m, raw_of(f[i].text), strlen(f[i].text), &at, &s, &d, false);
    }
    return t;
}

static uint32_t
findings_of(const struct result *r, enum finding_code code)
{
    uint32_t n = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        n += r->findings[i].code == code;
    return n;
}

/*
 * alg.private_received_echoed is high only with a NAT evidenced between the phone and the
 * server; without one (VPN, tunnel, routed private network) it is listed low, never a finding.
 */
static void
test_echoed_needs_nat(void **state)
{
    (void)state;
    static char echo[1024], echo_rport[1024], pub_rcv[1024], learnt_reg[1024];
    snprintf(echo, sizeof echo, ok_200, "192.168.1.10");
    strcpy(echo_rport, echo);
    char *r5060 = strstr(echo_rport, "rport=5060");
    assert_non_null(r5060);
    memcpy(r5060, "rport=4001", 10); /* the NAT's port survived the rewrite */
    snprintf(pub_rcv, sizeof pub_rcv, ok_200, "198.51.100.20");
    registration(learnt_reg, sizeof learnt_reg, "192.168.1.10:5060", "198.51.100.20:40001");
    const struct feed no_nat[] = {{0, 0, echo, "203.0.113.5", "192.168.1.10", 0}};
    const struct feed rport[] = {{0, 0, echo_rport, "203.0.113.5", "192.168.1.10", 0}};
    const struct feed later_public[] = {{0, 0, echo, "203.0.113.5", "192.168.1.10", 0},
                                        {0, 9, pub_rcv, "203.0.113.5", "192.168.1.10", 0}};
    const struct feed learnt[] = {{0, 0, learnt_reg, "192.168.1.10", "203.0.113.5", 0},
                                  {0, 1, echo, "203.0.113.5", "192.168.1.10", 0}};
    const struct feed two_points[] = {{0, 0, reg_lan, "192.168.1.10", "203.0.113.5", 0},
                                      {1, 0.001, reg_wan, "198.51.100.20", "203.0.113.5", 0},
                                      {0, 0.05, echo, "203.0.113.5", "192.168.1.10", 0}};
    const struct {
        const struct feed *f;
        size_t n;
        enum alg_confidence conf;
        uint32_t findings;
    } t[] = {
        {no_nat, 1, ALG_CONF_LOW, 0},        {rport, 1, ALG_CONF_HIGH, 1},
        {later_public, 2, ALG_CONF_HIGH, 1}, {learnt, 2, ALG_CONF_HIGH, 1},
        {two_points, 3, ALG_CONF_HIGH, 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        print_message("row %zu\n", i);
        struct alg_tracker *a = feed_all(t[i].f, t[i].n);
        struct result r;
        result_init(&r, 10);
        alg_tracker_finish(a, &r);
        const struct alg_result *res = r.alg;
        const struct alg_print *p = NULL;
        for (uint32_t k = 0; k < res->n_prints; k++)
            if (res->prints[k].code == FIND_ALG_PRIVATE_RECEIVED_ECHOED)
                p = &res->prints[k];
        assert_non_null(p);
        assert_int_equal(p ? (int)p->confidence : -1, (int)t[i].conf);
        assert_int_equal(findings_of(&r, FIND_ALG_PRIVATE_RECEIVED_ECHOED), t[i].findings);
        if (t[i].conf == ALG_CONF_LOW)
            assert_non_null(strstr(p ? p->text : "", "nothing shows a NAT"));
        alg_tracker_free(a);
        result_free(&r);
    }
}

/* The SDP media address of one INVITE seen at two points is handed to the media verdicts. */
static void
test_sdp_pairs(void **state)
{
    (void)state;
    static char lan[2048], wan[2048];
    invite(lan, sizeof lan, "192.168.1.10:5060", "192.168.1.10:5060", "192.168.1.10",
           "192.168.1.10", false, 0);
    invite(wan, sizeof wan, "198.51.100.20:5060", "198.51.100.20:5060", "192.168.1.10",
           "198.51.100.20", false, 0);
    const struct feed f[] = {{0, 0, lan, "192.168.1.10", "203.0.113.5", 0},
                             {1, 0.001, wan, "198.51.100.20", "203.0.113.5", 0}};
    struct alg_tracker *a = feed_all(f, 2);
    struct alg_sdp_rewrite out[4];
    struct ip_addr lan_ip, wan_ip, other;
    assert_true(ip_addr_parse("192.168.1.10", &lan_ip));
    assert_true(ip_addr_parse("198.51.100.20", &wan_ip));
    assert_true(ip_addr_parse("203.0.113.9", &other));
    assert_int_equal(alg_tracker_sdp_pairs(a, "c7", &lan_ip, 16384, out, 4), 1);
    assert_true(out[0].before.a[0] == 192 && out[0].after.a[0] == 198);
    assert_int_equal(out[0].before_port, 16384);
    assert_int_equal(out[0].after_port, 16384);
    assert_int_equal(out[0].before_at.file, 0);
    assert_int_equal(out[0].after_at.file, 1);
    assert_int_equal(alg_tracker_sdp_pairs(a, "c7", &wan_ip, 16384, out, 4), 1);
    assert_int_equal(alg_tracker_sdp_pairs(a, "c7", &other, 16384, out, 4), 0);
    assert_int_equal(alg_tracker_sdp_pairs(a, "c7", &lan_ip, 16000, out, 4), 0);
    assert_int_equal(alg_tracker_sdp_pairs(a, "nope", &lan_ip, 16384, out, 4), 0);
    assert_int_equal(alg_tracker_sdp_pairs(NULL, "c7", &lan_ip, 16384, out, 4), 0);
    alg_tracker_free(a);
}

/* One-point fingerprints seen on the WAN side (source 198.51.100.20, the NAT) and their
 * look-alikes that must stay silent. */
static void
test_wan_fingerprints(void **state)
{
    (void)state;
    enum { INV, REG };
    static const struct {
        const char *name;
        int kind;
        const char *via, *contact, *o, *c;
        bool srflx;
        int cl_delta;
        uint16_t sport;
        bool unreliable;
        int code; /* -1: none */
        enum alg_confidence conf;
    } t[] = {
        /* Content-Length: an ALG grew the SDP by 2 bytes and left the header */
        {"cl-short-by-2", INV, "198.51.100.20:5060", "198.51.100.20:5060", "198.51.100.20",
         "198.51.100.20", false, -2, 5060, false, FIND_ALG_CONTENT_LENGTH_MISMATCH,
         ALG_CONF_MEDIUM},
        {"cl-long-by-3", INV, "198.51.100.20:5060", "198.51.100.20:5060", "198.51.100.20",
         "198.51.100.20", false, 3, 5060, false, FIND_ALG_CONTENT_LENGTH_MISMATCH, ALG_CONF_MEDIUM},
        {"cl-right", INV, "198.51.100.20:5060", "198.51.100.20:5060", "198.51.100.20",
         "198.51.100.20", false, 0, 5060, false, -1, 0},
        {"cl-over-tcp", INV, "198.51.100.20:5060", "198.51.100.20:5060", "198.51.100.20",
         "198.51.100.20", false, -2, 5060, true, -1, 0}, /* unreliable: says nothing */
        {"cl-far-off", INV, "198.51.100.20:5060", "198.51.100.20:5060", "198.51.100.20",
         "198.51.100.20", false, 100, 5060, false, -1, 0}, /* not an address's few bytes */
        /* mixed port: Contact on the NAT's port, Via on the LAN port */
        {"port-contact-only", REG, "198.51.100.20:5060", "198.51.100.20:40001", NULL, NULL, false,
         0, 40001, false, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_MEDIUM},
        {"port-both-learnt", REG, "198.51.100.20:40001", "198.51.100.20:40001", NULL, NULL, false,
         0, 40001, false, -1, 0}, /* rport-aware phone: consistent */
        {"port-none-rewritten", REG, "192.168.1.10:5060", "192.168.1.10:5060", NULL, NULL, false, 0,
         40001, false, -1, 0}, /* plain NAT, no ALG */
        {"port-same-as-nat", REG, "198.51.100.20:5060", "198.51.100.20:5060", NULL, NULL, false, 0,
         5060, false, -1, 0}, /* port-preserving NAT, phone with a public address */
        /* mixed SDP: o= and Contact private, only c= rewritten to the NAT's address */
        {"sdp-c-only", INV, "192.168.1.10:5060", "192.168.1.10:5060", "192.168.1.10",
         "198.51.100.20", false, 0, 5060, false, FIND_ALG_MIXED_ADDRESSING, ALG_CONF_MEDIUM},
        {"sdp-stun-aware", INV, "192.168.1.10:5060", "192.168.1.10:5060", "192.168.1.10",
         "198.51.100.20", true, 0, 5060, false, -1, 0}, /* srflx candidate: learnt by STUN */
        {"sdp-all-private", INV, "192.168.1.10:5060", "192.168.1.10:5060", "192.168.1.10",
         "192.168.1.10", false, 0, 5060, false, -1, 0}, /* plain NAT, no ALG */
        {"sdp-all-public", INV, "198.51.100.20:5060", "198.51.100.20:5060", "198.51.100.20",
         "198.51.100.20", false, 0, 5060, false, -1, 0}, /* a full rewrite is one-point silent */
    };
    static char text[2048];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (t[i].kind == INV)
            invite(text, sizeof text, t[i].via, t[i].contact, t[i].o, t[i].c, t[i].srflx,
                   t[i].cl_delta);
        else
            registration(text, sizeof text, t[i].via, t[i].contact);
        struct result r;
        const struct alg_result *a =
            run_at(&r, text, "198.51.100.20", t[i].sport, "203.0.113.5", t[i].unreliable);
        print_message("row %s\n", t[i].name);
        if (t[i].code < 0) {
            assert_int_equal(a->n_prints, 0);
            assert_int_equal(r.n_findings, 0);
        } else {
            assert_int_equal(a->n_prints, 1);
            assert_int_equal(a->prints[0].code, t[i].code);
            assert_int_equal(a->prints[0].confidence, t[i].conf);
            assert_int_equal(r.n_findings, 1); /* medium and high become findings */
        }
        result_free(&r);
    }
}

/* Reset makes a used tracker behave as a new one, before and after finish. */
static void
test_reset(void **state)
{
    (void)state;
    struct alg_tracker *t = alg_tracker_new_sized(2, 2);
    assert_non_null(t);
    static struct sip_message m;
    struct sip_endpoint s = ep("198.51.100.20", 40001), d = ep("203.0.113.5", 5060);
    static char text[2048];
    registration(text, sizeof text, "198.51.100.20:5060", "198.51.100.20:40001");
    parse(text, &m);
    for (int round = 0; round < 3; round++) {
        struct sip_ref at = {1, 0, 1000000000};
        alg_tracker_message(t, &m, raw_of(text), strlen(text), &at, &s, &d, false);
        struct result r;
        result_init(&r, 10);
        alg_tracker_finish(t, &r);
        assert_int_equal(r.alg->messages, 1);
        assert_int_equal(r.alg->n_prints, 1);
        result_free(&r);
        assert_int_equal(alg_tracker_reset(t), 0);
    }
    alg_tracker_message(t, &m, raw_of(text), strlen(text), &(struct sip_ref){1, 0, 1}, &s, &d,
                        false);
    assert_int_equal(alg_tracker_reset(t), 0); /* before finish: the result is cleared */
    alg_tracker_free(t);
    assert_null(alg_tracker_new_sized(0, 4));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_and_diff),  cmocka_unit_test(test_private),
        cmocka_unit_test(test_matcher),       cmocka_unit_test(test_received_fingerprint),
        cmocka_unit_test(test_print_dedupe),  cmocka_unit_test(test_wan_fingerprints),
        cmocka_unit_test(test_reset),         cmocka_unit_test(test_echoed_needs_nat),
        cmocka_unit_test(test_sdp_pairs),     cmocka_unit_test(test_matcher_ring),
        cmocka_unit_test(test_matcher_model),
    };
    keep_raw = true;
    int failed = cmocka_run_group_tests_name("alg (datagrams kept)", tests, NULL, NULL);
    keep_raw = false;
    return failed + cmocka_run_group_tests_name("alg (views kept)", tests, NULL, NULL);
}
