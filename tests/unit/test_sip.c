/* test_sip.c — SIP (RFC 3261, RFC 4475 torture style), keep-alives (RFC 5626), SIP over TCP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissectors/sip.h"
#include "dissectors/sip_stream.h"

/* ---------------------------------------------------------------- messages */

#define VIA1 "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
#define DIALOG                                                                                     \
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"                               \
    "To: Bob <sip:bob@biloxi.example.com>\r\n"                                                     \
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"

static const char sdp_offer[] = "v=0\r\n"
                                "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\n"
                                "s=-\r\n"
                                "c=IN IP4 192.0.2.101\r\n"
                                "t=0 0\r\n"
                                "m=audio 49172 RTP/AVP 0 8 101\r\n"
                                "a=rtpmap:101 telephone-event/8000\r\n";

static const char invite_head[] =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com:5062;branch=z9hG4bK776asdhds;rport\r\n"
    "Via: SIP/2.0/TCP proxy.atlanta.example.com;branch=z9hG4bKnashds8;received=198.51.100.7\r\n"
    "Max-Forwards: 70\r\n" DIALOG "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@192.0.2.101:5062;transport=udp>\r\n"
    "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com:5070;lr>\r\n"
    "User-Agent: SoftPhone/1.2\r\n"
    "Content-Type: application/sdp\r\n";

/* head + "Content-Length: <len of body or cl>" + blank line + body into buf; returns the length. */
static size_t
build(char *buf, size_t cap, const char *head, const char *body, int cl)
{
    size_t blen = body ? strlen(body) : 0;
    int n = snprintf(buf, cap, "%sContent-Length: %d\r\n\r\n%s", head, cl >= 0 ? cl : (int)blen,
                     body ? body : "");
    assert_true(n > 0 && (size_t)n < cap);
    return (size_t)n;
}

/* ---------------------------------------------------------------- classify table */

struct class_case {
    const char *name;
    const char *bytes;
    size_t len;
    enum sip_payload_kind want;
};

#define B(s) s, sizeof(s) - 1

static const uint8_t stun_binding[20] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1,  2,
                                         3,    4,    5,    6,    7,    8,    9,    10,   11, 12};

static const struct class_case class_cases[] = {
    {"empty", "", 0, SIP_PAYLOAD_EMPTY},
    {"CRLF pong", B("\r\n"), SIP_PAYLOAD_KEEPALIVE_CRLF},
    {"double CRLF ping", B("\r\n\r\n"), SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF},
    {"four NULs", "\0\0\0\0", 4, SIP_PAYLOAD_SHORT_PING},
    {"one byte", B("x"), SIP_PAYLOAD_SHORT_PING},
    {"LF LF", B("\n\n"), SIP_PAYLOAD_SHORT_PING},
    {"three CRLF", B("\r\n\r\n\r\n"), SIP_PAYLOAD_OTHER},
    {"request", B("INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n"), SIP_PAYLOAD_REQUEST},
    {"request LF only", B("OPTIONS sip:h SIP/2.0\n"), SIP_PAYLOAD_REQUEST},
    {"request lower-case version", B("BYE sip:h sip/2.0\r\n"), SIP_PAYLOAD_REQUEST},
    {"request, data ends with version", B("NOTIFY sip:h SIP/2.0"), SIP_PAYLOAD_REQUEST},
    {"request after leading CRLF", B("\r\nREGISTER sip:h SIP/2.0\r\n"), SIP_PAYLOAD_REQUEST},
    {"extension method", B("X-PING.1 sip:h SIP/2.0\r\n"), SIP_PAYLOAD_REQUEST},
    {"response", B("SIP/2.0 200 OK\r\n"), SIP_PAYLOAD_RESPONSE},
    {"response without phrase", B("SIP/2.0 180\r\n"), SIP_PAYLOAD_RESPONSE},
    {"response two digits", B("SIP/2.0 20 OK\r\n"), SIP_PAYLOAD_OTHER},
    {"response four digits", B("SIP/2.0 2000 OK\r\n"), SIP_PAYLOAD_OTHER},
    {"HTTP request", B("GET / HTTP/1.1\r\n"), SIP_PAYLOAD_OTHER},
    {"HTTP response", B("HTTP/1.1 200 OK\r\n"), SIP_PAYLOAD_OTHER},
    {"SIP/3.0", B("INVITE sip:h SIP/3.0\r\n"), SIP_PAYLOAD_OTHER},
    {"two spaces", B("INVITE  sip:h SIP/2.0\r\n"), SIP_PAYLOAD_OTHER},
    {"header line", B("Via: SIP/2.0/UDP h\r\n"), SIP_PAYLOAD_OTHER},
    {"RTP", "\x80\x00\x12\x34\x00\x00\x00\xa0\x11\x22\x33\x44\xff\xff", 14, SIP_PAYLOAD_OTHER},
    {"STUN binding", (const char *)stun_binding, 20, SIP_PAYLOAD_STUN},
    {"STUN cookie wrong",
     "\x00\x01\x00\x00\x21\x12\xa4\x43"
     "123456789012",
     20, SIP_PAYLOAD_OTHER},
    {"STUN length not /4",
     "\x00\x01\x00\x02\x21\x12\xa4\x42"
     "123456789012",
     20, SIP_PAYLOAD_OTHER},
    {"STUN top bits set",
     "\x80\x01\x00\x00\x21\x12\xa4\x42"
     "123456789012",
     20, SIP_PAYLOAD_OTHER},
};

static void
test_classify_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof class_cases / sizeof class_cases[0]; i++) {
        const struct class_case *c = &class_cases[i];
        enum sip_payload_kind k = sip_classify((const uint8_t *)c->bytes, c->len);
        if (k != c->want)
            fail_msg("%s: got %s want %s", c->name, sip_payload_kind_name(k),
                     sip_payload_kind_name(c->want));
    }
}

/* ---------------------------------------------------------------- datagram table */

struct parse_case {
    const char *name;
    const char *head; /* NULL: raw is the whole datagram */
    const char *body;
    int cl; /* -1: the body's length */
    const char *raw;
    size_t raw_len;
    enum sip_parse_status want;
    const char *reason;
    bool is_request;
    enum sip_req method;
    uint16_t code;
    const char *call_id;
    uint32_t cseq;
    uint8_t vias;
    bool cl_mismatch;
    uint32_t body_len;
    bool sdp;
};

#define REG_HEAD                                                                                   \
    "REGISTER sip:registrar.biloxi.example.com SIP/2.0\r\n"                                        \
    "Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7\r\n"                    \
    "Max-Forwards: 70\r\n"                                                                         \
    "To: Bob <sip:bob@biloxi.example.com>\r\n"                                                     \
    "From: Bob <sip:bob@biloxi.example.com>;tag=456248\r\n"                                        \
    "Call-ID: 843817637684230@998sdasdh09\r\n"                                                     \
    "CSeq: 1826 REGISTER\r\n"                                                                      \
    "Contact: <sip:bob@192.0.2.4>;expires=7200\r\n"                                                \
    "Authorization: Digest username=\"bob\", realm=\"atlanta.example.com\", "                      \
    "nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\", "                                    \
    "uri=\"sip:ss2.biloxi.example.com\", response=\"dfe56131d1958046689d83306477ecc\"\r\n"         \
    "Expires: 3600\r\n"

#define R401_HEAD                                                                                  \
    "SIP/2.0 401 Unauthorized\r\n"                                                                 \
    "Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7;received=192.0.2.4\r\n" \
    "To: Bob <sip:bob@biloxi.example.com>;tag=2493k59kd\r\n"                                       \
    "From: Bob <sip:bob@biloxi.example.com>;tag=456248\r\n"                                        \
    "Call-ID: 843817637684230@998sdasdh09\r\n"                                                     \
    "CSeq: 1826 REGISTER\r\n"                                                                      \
    "WWW-Authenticate: Digest realm=\"atlanta.example.com\", qop=\"auth\", "                       \
    "nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\", stale=FALSE, algorithm=MD5\r\n"

#define OK200_HEAD                                                                                 \
    "SIP/2.0 200 OK\r\n"                                                                           \
    "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK74bf9;received=203.0.113.9;rport=40123\r\n"      \
    "From: <sip:alice@a.example.com>;tag=9fxced76sl\r\n"                                           \
    "To: <sip:bob@b.example.com>;tag=314159\r\n"                                                   \
    "Call-ID: 3848276298220188511@a.example.com\r\n"                                               \
    "CSeq: 1 OPTIONS\r\n"                                                                          \
    "Server: Proxy/9\r\n"

#define COMPACT_HEAD                                                                               \
    "INVITE sip:bob@b.example.com SIP/2.0\r\n"                                                     \
    "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc1\r\n"                                                \
    "f: <sip:alice@a.example.com>;tag=7\r\n"                                                       \
    "t: <sip:bob@b.example.com>\r\n"                                                               \
    "i: compact-1@a\r\n"                                                                           \
    "m: <sip:alice@192.0.2.1>\r\n"                                                                 \
    "CSeq: 8 INVITE\r\n"                                                                           \
    "c: application/sdp\r\n"

#define LF_ONLY                                                                                    \
    "BYE sip:bob@b.example.com SIP/2.0\n"                                                          \
    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKlf\n"                                                \
    "From: <sip:alice@a.example.com>;tag=1\n"                                                      \
    "To: <sip:bob@b.example.com>;tag=2\n"                                                          \
    "Call-ID: lf@a\n"                                                                              \
    "CSeq: 2 BYE\n"                                                                                \
    "Content-Length: 0\n\n"

#define V6_HEAD                                                                                    \
    "OPTIONS sip:[2001:db8::10]:5070 SIP/2.0\r\n"                                                  \
    "Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3;received=[2001:db8::9:255]\r\n"            \
    "From: <sip:alice@[2001:db8::9:1]>;tag=81x2\r\n"                                               \
    "To: <sip:bob@[2001:db8::10]>\r\n"                                                             \
    "Call-ID: SSG9559905523997077@hlau_4100\r\n"                                                   \
    "CSeq: 1 OPTIONS\r\n"                                                                          \
    "Contact: \"Caller\" <sip:alice@[2001:db8::9:1]:5080>\r\n"

#define MULTI_VIA_HEAD                                                                             \
    "ACK sip:bob@b.example.com SIP/2.0\r\n"                                                        \
    "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKa, SIP/2.0/TCP p2.example.com:5070;branch="     \
    "z9hG4bKb,SIP/2.0/TLS p3.example.com;branch=z9hG4bKc\r\n"                                      \
    "Via: SIP/2.0/UDP uac.example.com;branch=z9hG4bKd\r\n" DIALOG "CSeq: 9 ACK\r\n"

static const struct parse_case parse_cases[] = {
    {"INVITE with SDP", invite_head, sdp_offer, -1, NULL, 0, SIP_OK, "", true, SIP_REQ_INVITE, 0,
     "a84b4c76e66710@pc33.atlanta.example.com", 314159, 2, false, sizeof sdp_offer - 1, true},
    {"REGISTER with Authorization", REG_HEAD, NULL, -1, NULL, 0, SIP_OK, "", true, SIP_REQ_REGISTER,
     0, "843817637684230@998sdasdh09", 1826, 1, false, 0, false},
    {"401 with WWW-Authenticate", R401_HEAD, NULL, -1, NULL, 0, SIP_OK, "", false, SIP_REQ_NONE,
     401, "843817637684230@998sdasdh09", 1826, 1, false, 0, false},
    {"200 OK with received/rport", OK200_HEAD, NULL, -1, NULL, 0, SIP_OK, "", false, SIP_REQ_NONE,
     200, "3848276298220188511@a.example.com", 1, 1, false, 0, false},
    {"compact forms", COMPACT_HEAD, sdp_offer, -1, NULL, 0, SIP_OK, "", true, SIP_REQ_INVITE, 0,
     "compact-1@a", 8, 1, false, sizeof sdp_offer - 1, true},
    {"leading CRLFs (RFC 3261 §7.5)", "\r\n\r\n" COMPACT_HEAD, sdp_offer, -1, NULL, 0, SIP_OK, "",
     true, SIP_REQ_INVITE, 0, "compact-1@a", 8, 1, false, sizeof sdp_offer - 1, true},
    {"LF-only lines", NULL, NULL, 0, B(LF_ONLY), SIP_OK, "", true, SIP_REQ_BYE, 0, "lf@a", 2, 1,
     false, 0, false},
    {"LF-only with a body", NULL, NULL, 0,
     B("INVITE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@h>;tag=1\n"
       "To: <sip:b@h>\nCall-ID: lfb@a\nCSeq: 1 INVITE\nContent-Type: application/sdp\n"
       "Content-Length: 4\n\nv=0\n"),
     SIP_OK, "", true, SIP_REQ_INVITE, 0, "lfb@a", 1, 1, false, 4, true},
    {"IPv6 in brackets", V6_HEAD, NULL, -1, NULL, 0, SIP_OK, "", true, SIP_REQ_OPTIONS, 0,
     "SSG9559905523997077@hlau_4100", 1, 1, false, 0, false},
    {"several Vias in one line", MULTI_VIA_HEAD, NULL, -1, NULL, 0, SIP_OK, "", true, SIP_REQ_ACK,
     0, "a84b4c76e66710@pc33.atlanta.example.com", 9, 4, false, 0, false},
    {"bad CSeq", "OPTIONS sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: abc OPTIONS\r\n", NULL, -1, NULL, 0,
     SIP_MALFORMED, "bad CSeq", true, SIP_REQ_OPTIONS, 0, "a84b4c76e66710@pc33.atlanta.example.com",
     0, 1, false, 0, false},
    {"missing Call-ID",
     "OPTIONS sip:h SIP/2.0\r\n" VIA1 "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
     "CSeq: 1 OPTIONS\r\n",
     NULL, -1, NULL, 0, SIP_MALFORMED, "missing Call-ID", true, SIP_REQ_OPTIONS, 0, "", 1, 1, false,
     0, false},
    {"Via unparsable",
     "OPTIONS sip:h SIP/2.0\r\nVia: garbage here\r\n" DIALOG "CSeq: 1 OPTIONS\r\n", NULL, -1, NULL,
     0, SIP_MALFORMED, "bad Via", true, SIP_REQ_OPTIONS, 0,
     "a84b4c76e66710@pc33.atlanta.example.com", 1, 0, false, 0, false},
    {"Contact unparsable keeps the rest",
     "INVITE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 5 INVITE\r\nContact: <sip:a@h\r\n", NULL, -1,
     NULL, 0, SIP_MALFORMED, "bad Contact", true, SIP_REQ_INVITE, 0,
     "a84b4c76e66710@pc33.atlanta.example.com", 5, 1, false, 0, false},
    {"duplicate Call-ID", "BYE sip:h SIP/2.0\r\n" VIA1 DIALOG "Call-ID: other\r\nCSeq: 3 BYE\r\n",
     NULL, -1, NULL, 0, SIP_MALFORMED, "duplicate Call-ID", true, SIP_REQ_BYE, 0,
     "a84b4c76e66710@pc33.atlanta.example.com", 3, 1, false, 0, false},
    {"CSeq method mismatch", "BYE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 3 INVITE\r\n", NULL, -1,
     NULL, 0, SIP_MALFORMED, "CSeq method mismatch", true, SIP_REQ_BYE, 0,
     "a84b4c76e66710@pc33.atlanta.example.com", 3, 1, false, 0, false},
    {"extension method", "FOO-BAR sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 3 FOO-BAR\r\n", NULL, -1,
     NULL, 0, SIP_OK, "", true, SIP_REQ_OTHER, 0, "a84b4c76e66710@pc33.atlanta.example.com", 3, 1,
     false, 0, false},
    /* sofia-sip 1.12.11 quirk: an unknown method sharing a first letter with a known one but
     * not its length ("PING" vs PRACK/PUBLISH) fails sip_method_d(). Pinned to notice a fix. */
    {"sofia rejects PING", "PING sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 3 PING\r\n", NULL, -1, NULL,
     0, SIP_MALFORMED, "bad start line", false, SIP_REQ_NONE, 0, "", 0, 0, false, 0, false},
    {"bad start line", NULL, NULL, 0, B("HELLO WORLD\r\n" VIA1 DIALOG "CSeq: 1 BYE\r\n\r\n"),
     SIP_MALFORMED, "bad start line", false, SIP_REQ_NONE, 0, "", 0, 0, false, 0, false},
    {"HTTP/1.1 start line", "HTTP/1.1 200 OK\r\n" VIA1 DIALOG "CSeq: 1 BYE\r\n", NULL, -1, NULL, 0,
     SIP_MALFORMED, "not SIP/2.0", false, SIP_REQ_NONE, 200,
     "a84b4c76e66710@pc33.atlanta.example.com", 1, 1, false, 0, false},
    {"status code 2000", "SIP/2.0 2000 OK\r\n" VIA1 DIALOG "CSeq: 1 BYE\r\n", NULL, -1, NULL, 0,
     SIP_MALFORMED, "bad status code", false, SIP_REQ_NONE, 2000,
     "a84b4c76e66710@pc33.atlanta.example.com", 1, 1, false, 0, false},
    {"CL longer than body", invite_head, sdp_offer, 400, NULL, 0, SIP_OK, "", true, SIP_REQ_INVITE,
     0, "a84b4c76e66710@pc33.atlanta.example.com", 314159, 2, true, sizeof sdp_offer - 1, true},
    {"CL shorter than body", invite_head, sdp_offer, 100, NULL, 0, SIP_OK, "", true, SIP_REQ_INVITE,
     0, "a84b4c76e66710@pc33.atlanta.example.com", 314159, 2, true, sizeof sdp_offer - 1, true},
    {"CL 0 with trailing bytes", OK200_HEAD, "junk", 0, NULL, 0, SIP_OK, "", false, SIP_REQ_NONE,
     200, "3848276298220188511@a.example.com", 1, 1, true, 4, false},
    {"bad Content-Length", NULL, NULL, 0,
     B("BYE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 1 BYE\r\nContent-Length: x\r\n\r\n"),
     SIP_MALFORMED, "bad Content-Length", true, SIP_REQ_BYE, 0,
     "a84b4c76e66710@pc33.atlanta.example.com", 1, 1, false, 0, false},
    {"NUL byte in headers", NULL, NULL, 0,
     "BYE sip:h SIP/2.0\r\n" VIA1 "X-A: a\0b\r\n" DIALOG "CSeq: 1 BYE\r\n\r\n",
     sizeof("BYE sip:h SIP/2.0\r\n" VIA1 "X-A: a\0b\r\n" DIALOG "CSeq: 1 BYE\r\n\r\n") - 1,
     SIP_MALFORMED, "NUL byte in headers", true, SIP_REQ_BYE, 0, "", 0, 1, false, 0, false},
    {"binary junk", NULL, NULL, 0, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xaa\xbb", 13,
     SIP_MALFORMED, "bad start line", false, SIP_REQ_NONE, 0, "", 0, 0, false, 0, false},
    {"empty", NULL, NULL, 0, "", 0, SIP_MALFORMED, "empty", false, SIP_REQ_NONE, 0, "", 0, 0, false,
     0, false},
};

static void
test_parse_table(void **state)
{
    (void)state;
    static char buf[4096];
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *c = &parse_cases[i];
        const char *p = c->raw;
        size_t n = c->raw_len;
        if (c->head) {
            n = build(buf, sizeof buf, c->head, c->body, c->cl);
            p = buf;
        }
        struct sip_message m;
        enum sip_parse_status st = sip_parse_datagram((const uint8_t *)p, n, &m);
        if (st != c->want || strcmp(m.reason, c->reason) != 0)
            fail_msg("%s: status %d reason \"%s\"", c->name, st, m.reason);
        if (m.is_request != c->is_request || m.method != c->method || m.code != c->code ||
            strcmp(m.call_id, c->call_id) != 0 || m.cseq != c->cseq || m.via_count != c->vias)
            fail_msg("%s: request %d method %d code %u call-id %s cseq %u vias %u", c->name,
                     m.is_request, m.method, m.code, m.call_id, m.cseq, m.via_count);
        if (m.cl_mismatch != c->cl_mismatch || m.body_len != c->body_len ||
            (m.sdp != NULL) != c->sdp)
            fail_msg("%s: cl_mismatch %d body %u sdp %p", c->name, m.cl_mismatch, m.body_len,
                     (const void *)m.sdp);
        if (m.sdp) /* the window is into our bytes, exactly the body */
            assert_true(m.sdp >= (const uint8_t *)p && m.sdp + m.sdp_len == (const uint8_t *)p + n);
    }
}

static void
test_invite_fields(void **state)
{
    (void)state;
    char buf[2048];
    size_t n = build(buf, sizeof buf, invite_head, sdp_offer, -1);
    struct sip_message m;
    assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
    assert_string_equal(m.method_name, "INVITE");
    assert_string_equal(m.ruri.scheme, "sip");
    assert_string_equal(m.ruri.user, "bob");
    assert_string_equal(m.ruri.host, "biloxi.example.com");
    assert_int_equal(m.ruri.port, 0);
    assert_string_equal(m.version, "SIP/2.0");
    assert_string_equal(m.from.display, "Alice");
    assert_string_equal(m.from.uri.user, "alice");
    assert_string_equal(m.from.tag, "1928301774");
    assert_true(m.to.present);
    assert_string_equal(m.to.tag, "");
    assert_int_equal(m.cseq_method, SIP_REQ_INVITE);
    assert_string_equal(m.via[0].protocol, "SIP/2.0/UDP");
    assert_string_equal(m.via[0].transport, "UDP");
    assert_string_equal(m.via[0].host, "pc33.atlanta.example.com");
    assert_int_equal(m.via[0].port, 5062);
    assert_int_equal(m.via[0].rport_kind, SIP_RPORT_BARE);
    assert_string_equal(m.via[0].branch, "z9hG4bK776asdhds");
    assert_string_equal(m.via[1].transport, "TCP");
    assert_int_equal(m.via[1].rport_kind, SIP_RPORT_ABSENT);
    assert_string_equal(m.via[1].received, "198.51.100.7");
    assert_int_equal(m.contact_count, 1);
    assert_string_equal(m.contact[0].uri.host, "192.0.2.101");
    assert_int_equal(m.contact[0].uri.port, 5062);
    assert_string_equal(m.contact[0].uri.transport, "udp");
    assert_int_equal(m.record_route_count, 2);
    assert_string_equal(m.record_route[1].host, "p2.example.com");
    assert_int_equal(m.record_route[1].port, 5070);
    assert_true(m.has_max_forwards);
    assert_int_equal(m.max_forwards, 70);
    assert_string_equal(m.user_agent, "SoftPhone/1.2");
    assert_string_equal(m.content_type, "application/sdp");
    assert_true(m.header_end_seen);
    assert_int_equal(m.content_length, sizeof sdp_offer - 1);
    assert_memory_equal(m.sdp, sdp_offer, sizeof sdp_offer - 1);
    assert_int_equal(m.cut, 0);
}

static void
test_register_and_responses(void **state)
{
    (void)state;
    char buf[2048];
    struct sip_message m;
    size_t n = build(buf, sizeof buf, REG_HEAD, NULL, -1);
    assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
    assert_true(m.has_expires);
    assert_int_equal(m.expires, 3600);
    assert_true(m.contact[0].has_expires);
    assert_int_equal(m.contact[0].expires, 7200);
    assert_false(m.contact[0].star);

    n = build(buf, sizeof buf, OK200_HEAD, NULL, -1);
    assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
    assert_string_equal(m.phrase, "OK");
    assert_string_equal(m.via[0].received, "203.0.113.9");
    assert_int_equal(m.via[0].rport_kind, SIP_RPORT_VALUE);
    assert_int_equal(m.via[0].rport, 40123);
    assert_string_equal(m.server, "Proxy/9");
    assert_string_equal(m.to.tag, "314159");

    n = build(buf, sizeof buf, V6_HEAD, NULL, -1);
    assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
    assert_string_equal(m.ruri.host, "[2001:db8::10]");
    assert_int_equal(m.ruri.port, 5070);
    assert_string_equal(m.via[0].host, "[2001:db8::9:1]");
    assert_string_equal(m.via[0].received, "[2001:db8::9:255]");
    assert_string_equal(m.contact[0].uri.host, "[2001:db8::9:1]");
    assert_int_equal(m.contact[0].uri.port, 5080);
    assert_string_equal(m.from.uri.host, "[2001:db8::9:1]");

    n = build(buf, sizeof buf,
              "REGISTER sip:r SIP/2.0\r\n" VIA1 DIALOG "CSeq: 2 REGISTER\r\nContact: *\r\n"
              "Expires: 0\r\n",
              NULL, -1);
    assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
    assert_true(m.contact[0].star);
    assert_true(m.has_expires);
    assert_int_equal(m.expires, 0);
}

/* Each method sofia knows maps to our enum and back to the same name. */
static void
test_method_mapping(void **state)
{
    (void)state;
    for (enum sip_req r = SIP_REQ_INVITE; r <= SIP_REQ_PUBLISH; r++) {
        char head[512], buf[1024];
        const char *name = sip_req_name(r);
        snprintf(head, sizeof head, "%s sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 4 %s\r\n", name,
                 name);
        size_t n = build(buf, sizeof buf, head, NULL, -1);
        struct sip_message m;
        assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
        assert_int_equal(m.method, r);
        assert_int_equal(m.cseq_method, r);
        assert_string_equal(m.method_name, name);
    }
    assert_string_equal(sip_req_name(SIP_REQ_NONE), "");
    assert_string_equal(sip_req_name((enum sip_req)99), "OTHER");
    assert_string_equal(sip_payload_kind_name(SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF),
                        "keepalive.double_crlf");
}

static void
test_limits_are_flagged(void **state)
{
    (void)state;
    char head[4096], buf[8192];
    int k = snprintf(head, sizeof head, "OPTIONS sip:h SIP/2.0\r\n");
    for (int i = 0; i < 10; i++)
        k += snprintf(head + k, sizeof head - (size_t)k,
                      "Via: SIP/2.0/UDP p%d.example.com;branch=z9hG4bK%d;rport=bad\r\n", i, i);
    k += snprintf(head + k, sizeof head - (size_t)k, "Contact: <sip:c@h;transport=%040d>\r\n",
                  7); /* too long: dropped, flagged */
    for (int i = 1; i < 6; i++)
        k += snprintf(head + k, sizeof head - (size_t)k, "Contact: <sip:c%d@h>\r\n", i);
    k += snprintf(head + k, sizeof head - (size_t)k,
                  "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\n"
                  "CSeq: 1 OPTIONS\r\nCall-ID: ");
    for (int i = 0; i < 300; i++)
        head[k++] = 'x';
    k += snprintf(head + k, sizeof head - (size_t)k, "\r\n");
    size_t n = build(buf, sizeof buf, head, NULL, -1);
    struct sip_message m;
    assert_int_equal(sip_parse_datagram((const uint8_t *)buf, n, &m), SIP_OK);
    assert_int_equal(m.via_count, SIP_MAX_VIA);
    assert_int_equal(m.via_total, 10);
    assert_int_equal(m.via[7].rport_kind, SIP_RPORT_INVALID);
    assert_int_equal(m.contact_count, SIP_MAX_CONTACT);
    assert_int_equal(m.contact_total, 6);
    assert_string_equal(m.contact[0].uri.transport, "");
    assert_int_equal(m.cut, SIP_CUT_TEXT | SIP_CUT_VIA | SIP_CUT_CONTACT);
    assert_int_equal(strlen(m.call_id), SIP_TEXT_MAX - 1);
}

/* Every prefix of a valid INVITE: no crash, no read past the end (ASan), a definite verdict. */
static void
test_cut_everywhere(void **state)
{
    (void)state;
    char buf[2048];
    size_t n = build(buf, sizeof buf, invite_head, sdp_offer, -1);
    for (size_t len = 0; len <= n; len++) {
        uint8_t *copy = malloc(len ? len : 1); /* exact size so ASan sees any overread */
        memcpy(copy, buf, len);
        struct sip_message m;
        enum sip_parse_status st = sip_parse_datagram(copy, len, &m);
        assert_true(st == SIP_OK || st == SIP_MALFORMED);
        assert_true(m.body_len <= len);
        if (m.sdp)
            assert_true(m.sdp >= copy && m.sdp + m.sdp_len <= copy + len);
        if (len == n)
            assert_int_equal(st, SIP_OK);
        (void)sip_classify(copy, len);
        free(copy);
    }
}

/* ---------------------------------------------------------------- SIP over TCP */

#define MAX_EVENTS 64

struct seen {
    enum sip_stream_event_kind kind;
    enum sip_parse_status status;
    char call_id[SIP_TEXT_MAX];
    uint32_t body_len;
    bool sdp_matches;
    uint64_t bytes;
    char reason[SIP_REASON_MAX];
};

struct recorder {
    size_t n;
    struct seen ev[MAX_EVENTS];
};

static void
record(void *ctx, const struct sip_stream_event *ev)
{
    struct recorder *r = ctx;
    assert_true(r->n < MAX_EVENTS);
    struct seen *e = &r->ev[r->n++];
    memset(e, 0, sizeof *e);
    e->kind = ev->kind;
    e->bytes = ev->bytes;
    if (ev->reason)
        snprintf(e->reason, sizeof e->reason, "%s", ev->reason);
    if (ev->msg) {
        e->status = ev->msg->status;
        snprintf(e->call_id, sizeof e->call_id, "%s", ev->msg->call_id);
        e->body_len = ev->msg->body_len;
        e->sdp_matches = ev->msg->sdp && ev->msg->sdp_len == sizeof sdp_offer - 1 &&
                         memcmp(ev->msg->sdp, sdp_offer, ev->msg->sdp_len) == 0;
    }
}

/* The three-message conversation the stream tests cut up: INVITE+SDP, ping, 200, pong, BYE. */
static size_t
conversation(char *buf, size_t cap)
{
    size_t n = build(buf, cap, invite_head, sdp_offer, -1);
    memcpy(buf + n, "\r\n\r\n", 4);
    n += 4;
    n += build(buf + n, cap - n, OK200_HEAD, NULL, -1);
    memcpy(buf + n, "\r\n", 2);
    n += 2;
    n += build(buf + n, cap - n, "BYE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 2 BYE\r\n", NULL, -1);
    return n;
}

/* The messages of a recording, in order, and the keep-alive line ends between them. */
static void
expect_conversation(const struct recorder *r)
{
    static const char *const ids[] = {"a84b4c76e66710@pc33.atlanta.example.com",
                                      "3848276298220188511@a.example.com",
                                      "a84b4c76e66710@pc33.atlanta.example.com"};
    size_t msgs = 0, line_ends = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct seen *e = &r->ev[i];
        if (e->kind == SIP_STREAM_MESSAGE) {
            assert_true(msgs < 3);
            assert_string_equal(e->call_id, ids[msgs]);
            assert_int_equal(e->status, SIP_OK);
            assert_int_equal(e->sdp_matches, msgs == 0);
            msgs++;
        } else if (e->kind == SIP_STREAM_KEEPALIVE_DOUBLE_CRLF) {
            line_ends += 2;
        } else {
            assert_int_equal(e->kind, SIP_STREAM_KEEPALIVE_CRLF);
            line_ends += 1;
        }
    }
    assert_int_equal(msgs, 3);
    assert_int_equal(line_ends, 3);
}

static void
feed(struct sip_stream *s, const char *p, size_t n)
{
    assert_int_equal(sip_stream_feed(s, (const uint8_t *)p, n), 0);
}

static void
test_stream_one_segment(void **state)
{
    (void)state;
    char buf[4096];
    size_t n = conversation(buf, sizeof buf);
    struct recorder r = {0};
    struct sip_stream *s = sip_stream_new(record, &r);
    assert_non_null(s);
    feed(s, buf, n);
    expect_conversation(&r);
    /* exactly: message, ping, message, pong, message */
    assert_int_equal(r.n, 5);
    assert_int_equal(r.ev[1].kind, SIP_STREAM_KEEPALIVE_DOUBLE_CRLF);
    assert_int_equal(r.ev[3].kind, SIP_STREAM_KEEPALIVE_CRLF);
    const struct sip_stream_stats *st = sip_stream_stats(s);
    assert_int_equal(st->messages, 3);
    assert_int_equal(st->keepalives, 2);
    assert_int_equal(st->resyncs, 0);
    sip_stream_free(s);
}

static void
test_stream_split_everywhere(void **state)
{
    (void)state;
    char buf[4096];
    size_t n = conversation(buf, sizeof buf);
    for (size_t i = 1; i < n; i++) { /* two segments, cut at every byte */
        struct recorder r = {0};
        struct sip_stream *s = sip_stream_new(record, &r);
        feed(s, buf, i);
        feed(s, buf + i, n - i);
        expect_conversation(&r);
        assert_int_equal(sip_stream_stats(s)->resyncs, 0);
        sip_stream_free(s);
    }
    for (size_t i = 1; i < n; i += 5) { /* three segments */
        for (size_t j = i + 1; j < n; j += 11) {
            struct recorder r = {0};
            struct sip_stream *s = sip_stream_new(record, &r);
            feed(s, buf, i);
            feed(s, buf + i, j - i);
            feed(s, buf + j, n - j);
            expect_conversation(&r);
            sip_stream_free(s);
        }
    }
    struct recorder r = {0}; /* one byte at a time */
    struct sip_stream *s = sip_stream_new(record, &r);
    for (size_t i = 0; i < n; i++)
        feed(s, buf + i, 1);
    expect_conversation(&r);
    sip_stream_free(s);
}

static void
test_stream_keepalive_alone(void **state)
{
    (void)state;
    struct recorder r = {0};
    struct sip_stream *s = sip_stream_new(record, &r);
    feed(s, "\r\n\r\n", 4);
    feed(s, "\r\n", 2);
    feed(s, "\r\n\r\n\r\n", 6);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.ev[0].kind, SIP_STREAM_KEEPALIVE_DOUBLE_CRLF);
    assert_int_equal(r.ev[1].kind, SIP_STREAM_KEEPALIVE_CRLF);
    assert_int_equal(r.ev[2].kind, SIP_STREAM_KEEPALIVE_DOUBLE_CRLF);
    assert_int_equal(r.ev[3].kind, SIP_STREAM_KEEPALIVE_CRLF);
    sip_stream_end(s);
    assert_int_equal(r.n, 4);
    sip_stream_free(s);
}

/* Run one stream over the given pieces (gap before each piece flagged), return the recording. */
static void
run_pieces(struct recorder *r, const char *const *piece, const size_t *len, const bool *gap,
           size_t count)
{
    memset(r, 0, sizeof *r);
    struct sip_stream *s = sip_stream_new(record, r);
    for (size_t i = 0; i < count; i++) {
        if (gap[i])
            sip_stream_gap(s);
        feed(s, piece[i], len[i]);
    }
    sip_stream_end(s);
    sip_stream_free(s);
}

static void
test_stream_gap_resync(void **state)
{
    (void)state;
    char a[2048], b[1024];
    size_t na = build(a, sizeof a, invite_head, sdp_offer, -1);
    size_t nb = build(b, sizeof b, OK200_HEAD, NULL, -1);
    for (size_t cut = 1; cut < na; cut += 3) {
        /* A's head, a gap that loses nothing we need, A's tail, then B: A is dropped whole */
        const char *piece[] = {a, a + cut, b};
        size_t len[] = {cut, na - cut, nb};
        bool gap[] = {false, true, false};
        struct recorder r;
        run_pieces(&r, piece, len, gap, 3);
        /* A's tail never passes for a start line, even "NVITE sip:…" or "ITE sip:…" */
        assert_int_equal(r.n, 2);
        assert_int_equal(r.ev[0].kind, SIP_STREAM_DISCARD);
        assert_string_equal(r.ev[0].reason, "gap");
        assert_int_equal(r.ev[0].bytes, na);
        assert_int_equal(r.ev[1].kind, SIP_STREAM_MESSAGE);
        assert_string_equal(r.ev[1].call_id, "3848276298220188511@a.example.com");
    }
    /* A gap at a message boundary loses nothing. */
    const char *piece[] = {a, b};
    size_t len[] = {na, nb};
    bool gap[] = {false, true};
    struct recorder r;
    run_pieces(&r, piece, len, gap, 2);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.ev[0].kind, SIP_STREAM_MESSAGE);
    assert_int_equal(r.ev[1].kind, SIP_STREAM_MESSAGE);
}

/* After a gap, a body without a final line end runs into the next start line. */
static void
test_stream_resync_inside_line(void **state)
{
    (void)state;
    char a[1024], b[1024];
    size_t na = build(a, sizeof a, "INFO sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 7 INFO\r\n",
                      "Signal=5\r\nDuration=160", -1);
    size_t nb = build(b, sizeof b, OK200_HEAD, NULL, -1);
    char ab[2048];
    memcpy(ab, a, na);
    memcpy(ab + na, b, nb);
    const char *piece[] = {ab, ab + 30};
    size_t len[] = {30, na + nb - 30};
    bool gap[] = {false, true};
    struct recorder r;
    run_pieces(&r, piece, len, gap, 2);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.ev[0].kind, SIP_STREAM_DISCARD);
    assert_int_equal(r.ev[0].bytes, na);
    assert_int_equal(r.ev[1].kind, SIP_STREAM_MESSAGE);
    assert_string_equal(r.ev[1].call_id, "3848276298220188511@a.example.com");
}

struct bad_case {
    const char *name;
    const char *bad;
    size_t bad_len;
    const char *reason;
};

static void
test_stream_bad_then_good(void **state)
{
    (void)state;
    static char big_cl[512], big_head[80000];
    snprintf(big_cl, sizeof big_cl,
             "INVITE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 1 INVITE\r\n"
             "Content-Length: 99999999\r\n\r\nv=0\r\n");
    size_t k = (size_t)snprintf(big_head, sizeof big_head, "OPTIONS sip:h SIP/2.0\r\n");
    while (k < 70000)
        k += (size_t)snprintf(big_head + k, sizeof big_head - k, "X-Pad: %060d\r\n", 0);
    static const char nul[] = "BYE sip:h SIP/2.0\r\n" VIA1 "X-A: a\0b\r\n" DIALOG
                              "CSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n";
    static const char http[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    static const char junk[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\xaa\xbb";
    static const char bad_cl[] =
        "BYE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 1 BYE\r\nContent-Length: x\r\n\r\n";
    static const char no_cl[] = "BYE sip:h SIP/2.0\r\n" VIA1 DIALOG "CSeq: 1 BYE\r\n\r\n";
    const struct bad_case cases[] = {
        {"NUL byte in headers", nul, sizeof nul - 1, "NUL byte in headers"},
        {"oversize Content-Length", big_cl, strlen(big_cl), "message over 64 KiB"},
        {"header block over 64 KiB", big_head, k, NULL},
        {"HTTP", http, sizeof http - 1, "no SIP start line"},
        {"TLS-like junk", junk, sizeof junk - 1, "no SIP start line"},
        {"bad Content-Length", bad_cl, sizeof bad_cl - 1, "bad Content-Length"},
        {"no Content-Length", no_cl, sizeof no_cl - 1, "missing Content-Length"},
    };
    char good[1024];
    size_t ng = build(good, sizeof good, OK200_HEAD, NULL, -1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_case *c = &cases[i];
        for (int split = 0; split < 2; split++) { /* in one segment, and in two */
            char *both = malloc(c->bad_len + ng);
            memcpy(both, c->bad, c->bad_len);
            memcpy(both + c->bad_len, good, ng);
            const char *piece[] = {both, both + c->bad_len};
            size_t len[] = {split ? c->bad_len : c->bad_len + ng, split ? ng : 0};
            bool gap[] = {false, false};
            struct recorder r;
            run_pieces(&r, piece, len, gap, 2);
            free(both);
            size_t last = r.n - 1;
            if (r.n < 2 || r.ev[0].kind != SIP_STREAM_DISCARD ||
                r.ev[last].kind != SIP_STREAM_MESSAGE ||
                strcmp(r.ev[last].call_id, "3848276298220188511@a.example.com") != 0)
                fail_msg("%s/%d: %zu events, first %d \"%s\"", c->name, split, r.n, r.ev[0].kind,
                         r.ev[0].reason);
            if (c->reason && strcmp(r.ev[0].reason, c->reason) != 0)
                fail_msg("%s: reason \"%s\"", c->name, r.ev[0].reason);
            uint64_t lost = 0;
            for (size_t e = 0; e < last; e++)
                lost += r.ev[e].kind == SIP_STREAM_DISCARD ? r.ev[e].bytes : 0;
            if (lost != c->bad_len)
                fail_msg("%s/%d: lost %llu of %zu", c->name, split, (unsigned long long)lost,
                         c->bad_len);
        }
    }
}

static void
test_stream_framed_but_malformed(void **state)
{
    (void)state;
    char buf[1024];
    size_t n = build(buf, sizeof buf,
                     "OPTIONS sip:h SIP/2.0\r\n" VIA1
                     "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCSeq: 1 OPTIONS\r\n",
                     NULL, -1);
    struct recorder r = {0};
    struct sip_stream *s = sip_stream_new(record, &r);
    feed(s, buf, n);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.ev[0].kind, SIP_STREAM_MESSAGE);
    assert_int_equal(r.ev[0].status, SIP_MALFORMED);
    assert_int_equal(sip_stream_stats(s)->malformed, 1);
    /* A message cut by the end of the connection is reported, not delivered. */
    n = build(buf, sizeof buf, invite_head, sdp_offer, -1);
    feed(s, buf, n - 10);
    sip_stream_end(s);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.ev[1].kind, SIP_STREAM_DISCARD);
    assert_string_equal(r.ev[1].reason, "stream ended inside a message");
    assert_int_equal(r.ev[1].bytes, n - 10);
    sip_stream_free(s);
    sip_stream_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_invite_fields),
        cmocka_unit_test(test_register_and_responses),
        cmocka_unit_test(test_method_mapping),
        cmocka_unit_test(test_limits_are_flagged),
        cmocka_unit_test(test_cut_everywhere),
        cmocka_unit_test(test_stream_one_segment),
        cmocka_unit_test(test_stream_split_everywhere),
        cmocka_unit_test(test_stream_keepalive_alone),
        cmocka_unit_test(test_stream_gap_resync),
        cmocka_unit_test(test_stream_resync_inside_line),
        cmocka_unit_test(test_stream_bad_then_good),
        cmocka_unit_test(test_stream_framed_but_malformed),
    };
    return cmocka_run_group_tests_name("sip", tests, NULL, NULL);
}
