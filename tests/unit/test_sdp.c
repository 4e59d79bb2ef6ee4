/* test_sdp.c — SDP (RFC 4566) summaries: hold (RFC 3264 §8.4), a=rtcp (RFC 3605), ICE (RFC 8839).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissectors/sdp.h"

#define SESSION(c) "v=0\r\no=- 20518 0 IN IP4 203.0.113.1\r\ns=-\r\n" c "t=0 0\r\n"

static const char offer[] = "v=0\r\n"
                            "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com\r\n"
                            "s=-\r\n"
                            "c=IN IP4 192.0.2.101\r\n"
                            "t=0 0\r\n"
                            "m=audio 49172 RTP/AVP 0 8 97 101\r\n"
                            "a=rtpmap:97 iLBC/8000\r\n"
                            "a=rtpmap:101 telephone-event/8000\r\n"
                            "a=fmtp:101 0-15\r\n"
                            "a=ptime:20\r\n"
                            "a=rtcp:53020 IN IP4 126.16.64.4\r\n"
                            "m=video 51372 RTP/AVP 31\r\n"
                            "c=IN IP4 192.0.2.102\r\n"
                            "a=rtcp:51999\r\n";

static bool
summarize(const char *text, struct sdp_summary *s)
{
    return sdp_summarize(text, strlen(text), s);
}

static void
test_offer_fields(void **state)
{
    (void)state;
    struct sdp_summary s;
    assert_true(summarize(offer, &s));
    assert_string_equal(s.error, "");
    assert_string_equal(s.origin.username, "alice");
    assert_int_equal(s.origin.id, 2890844526ULL);
    assert_int_equal(s.origin.version, 2890844527ULL);
    assert_int_equal(s.origin.addr_family, 4);
    assert_string_equal(s.origin.addr.text, "host.atlanta.example.com");
    assert_int_equal(s.origin.addr.ip.family, 0); /* a host name, not an address */
    assert_string_equal(s.conn.text, "192.0.2.101");
    assert_int_equal(s.conn.ip.family, 4);
    assert_memory_equal(s.conn.ip.a, "\xc0\x00\x02\x65", 4);
    assert_int_equal(s.media_count, 2);

    const struct sdp_media_info *a = &s.media[0];
    assert_string_equal(a->type, "audio");
    assert_int_equal(a->port, 49172);
    assert_int_equal(a->nports, 1);
    assert_string_equal(a->proto, "RTP/AVP");
    assert_false(a->rejected);
    assert_true(a->conn_from_session);
    assert_string_equal(a->conn.text, "192.0.2.101");
    assert_int_equal(a->dir, SDP_DIR_SENDRECV);
    assert_int_equal(a->codec_count, 4);
    assert_int_equal(a->codec[0].pt, 0);
    assert_string_equal(a->codec[0].encoding, "PCMU");
    assert_int_equal(a->codec[0].rate, 8000);
    assert_true(a->codec[0].predef);
    assert_string_equal(a->codec[2].encoding, "iLBC");
    assert_false(a->codec[2].predef);
    assert_int_equal(a->telephone_event_pt, 101);
    assert_int_equal(a->ptime, 20);
    assert_true(a->has_rtcp);
    assert_int_equal(a->rtcp_port, 53020);
    assert_string_equal(a->rtcp_addr.text, "126.16.64.4");
    assert_int_equal(a->rtcp_addr.ip.family, 4);
    assert_false(a->rtcp_mux);

    const struct sdp_media_info *v = &s.media[1];
    assert_string_equal(v->type, "video");
    assert_false(v->conn_from_session);
    assert_string_equal(v->conn.text, "192.0.2.102");
    assert_string_equal(v->codec[0].encoding, "H261");
    assert_int_equal(v->codec[0].rate, 90000);
    assert_int_equal(v->telephone_event_pt, -1);
    assert_true(v->has_rtcp);
    assert_int_equal(v->rtcp_port, 51999);
    assert_string_equal(v->rtcp_addr.text, "");
    assert_false(s.cut);
}

struct hold_case {
    const char *name;
    const char *sdp;
    enum sdp_dir dir;
    bool zero_conn;
    bool rejected;
};

static const struct hold_case hold_cases[] = {
    {"sendonly hold",
     SESSION("c=IN IP4 198.51.100.1\r\n") "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n",
     SDP_DIR_SENDONLY, false, false},
    {"RFC 2543 hold c=0.0.0.0", SESSION("c=IN IP4 0.0.0.0\r\n") "m=audio 4000 RTP/AVP 0\r\n",
     SDP_DIR_SENDRECV, true, false},
    {"media-level c=0.0.0.0",
     SESSION("c=IN IP4 198.51.100.1\r\n") "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 "
                                          "0.0.0.0\r\na=sendonly\r\n",
     SDP_DIR_SENDONLY, true, false},
    {"inactive", SESSION("c=IN IP4 198.51.100.1\r\n") "m=audio 4000 RTP/AVP 0\r\na=inactive\r\n",
     SDP_DIR_INACTIVE, false, false},
    {"session-level recvonly",
     SESSION("c=IN IP4 198.51.100.1\r\n") "a=recvonly\r\nm=audio 4000 RTP/AVP 0\r\n",
     SDP_DIR_RECVONLY, false, false},
    {"rejected stream", SESSION("c=IN IP4 198.51.100.1\r\n") "m=audio 0 RTP/AVP 0\r\n",
     SDP_DIR_INACTIVE, false, true},
    {"IPv6 unspecified", SESSION("c=IN IP6 ::\r\n") "m=audio 4000 RTP/AVP 0\r\n", SDP_DIR_SENDRECV,
     true, false},
};

static void
test_hold_and_direction(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hold_cases / sizeof hold_cases[0]; i++) {
        const struct hold_case *c = &hold_cases[i];
        struct sdp_summary s;
        if (!summarize(c->sdp, &s))
            fail_msg("%s: %s", c->name, s.error);
        const struct sdp_media_info *m = &s.media[0];
        if (m->dir != c->dir || m->zero_conn != c->zero_conn || m->rejected != c->rejected)
            fail_msg("%s: dir %s zero %d rejected %d", c->name, sdp_dir_name(m->dir), m->zero_conn,
                     m->rejected);
    }
}

static const char webrtc[] =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP6 2001:db8::1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=ice-lite\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 126\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=rtpmap:126 telephone-event/8000\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=candidate:1 1 UDP 2130706431 10.0.0.1 8998 typ host\r\n"
    "a=candidate:2 1 udp 1694498815 203.0.113.7 45664 typ srflx raddr 10.0.0.1 rport 8998\r\n"
    "a=candidate:3 1 udp 16777215 198.51.100.9 3478 typ relay raddr 203.0.113.7 rport 45664\r\n"
    "a=candidate:4 1 tcp 1518280447 10.0.0.1 9 typ host tcptype active\r\n"
    "a=candidate:bad\r\n"
    "m=application 5000 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "c=IN IP6 2001:db8::5\r\n"
    "a=candidate:5 1 UDP 2130706431 2001:db8::5 5000 typ host\r\n";

static void
test_ice_and_webrtc(void **state)
{
    (void)state;
    struct sdp_summary s;
    assert_true(summarize(webrtc, &s));
    assert_int_equal(s.origin.addr_family, 6);
    assert_int_equal(s.origin.addr.ip.family, 6);
    assert_int_equal(s.origin.id, 4611731400430051336ULL);
    const struct sdp_media_info *a = &s.media[0];
    assert_string_equal(a->proto, "UDP/TLS/RTP/SAVPF");
    assert_true(a->rtcp_mux);
    assert_true(a->zero_conn); /* ICE's dummy c=, not a hold: dir still says sendrecv */
    assert_int_equal(a->dir, SDP_DIR_SENDRECV);
    /* sofia does not map this proto as RTP: PTs come from the format list plus a=rtpmap */
    assert_int_equal(a->codec_count, 3);
    assert_string_equal(a->codec[0].encoding, "opus");
    assert_int_equal(a->codec[0].rate, 48000);
    assert_string_equal(a->codec[1].encoding, "PCMU");
    assert_true(a->codec[1].predef);
    assert_int_equal(a->telephone_event_pt, 126);
    assert_int_equal(s.media[1].codec_count, 0);
    assert_string_equal(s.media[1].conn.text, "2001:db8::5");

    assert_int_equal(s.candidate_count, 5);
    assert_int_equal(s.candidate_total, 5);
    const struct sdp_candidate *c = &s.candidate[1];
    assert_int_equal(c->media, 0);
    assert_string_equal(c->foundation, "2");
    assert_int_equal(c->component, 1);
    assert_string_equal(c->transport, "udp");
    assert_int_equal(c->priority, 1694498815u);
    assert_string_equal(c->addr.text, "203.0.113.7");
    assert_int_equal(c->port, 45664);
    assert_int_equal(c->type, SDP_CAND_SRFLX);
    assert_string_equal(c->raddr.text, "10.0.0.1");
    assert_int_equal(c->rport, 8998);
    assert_int_equal(s.candidate[0].type, SDP_CAND_HOST);
    assert_int_equal(s.candidate[2].type, SDP_CAND_RELAY);
    assert_string_equal(s.candidate[3].transport, "tcp");
    assert_int_equal(s.candidate[4].media, 1);
    assert_int_equal(s.candidate[4].addr.ip.family, 6);
    assert_string_equal(sdp_cand_type_name(c->type), "srflx");
}

struct error_case {
    const char *name;
    const char *sdp;
    const char *error;
};

static const struct error_case error_cases[] = {
    {"missing o=", "v=0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
     "No o= present"},
    {"missing c=", "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
     "No c= on either session level or all mediums"},
    {"bad m= port", SESSION("c=IN IP4 1.2.3.4\r\n") "m=audio xx RTP/AVP 0\r\n",
     "m= invalid port number"},
    {"empty", "", "bad SDP message"},
    /* sofia-sip 1.12.11 would loop allocating until memory ran out on these (fuzz_sip) */
    {"non-token format", SESSION("c=IN IP4 1.2.3.4\r\n") "m=audio 4 RT\xae\xd0P 0 8\r\n",
     "m= invalid format list"},
    {"format starting with '/'", SESSION("c=IN IP4 1.2.3.4\r\n") "m=audio 4 X 0 /x\r\n",
     "m= invalid format list"},
    {"blanks after proto", SESSION("c=IN IP4 1.2.3.4\r\n") "m=audio 4 X \t\r\n",
     "m= invalid format list"},
    {"control byte after proto", SESSION("c=IN IP4 1.2.3.4\r\n") "m=audio 4 X\x01\x02\r\n",
     "m= invalid format list"},
};

static void
test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        const struct error_case *c = &error_cases[i];
        struct sdp_summary s;
        if (summarize(c->sdp, &s) || strcmp(s.error, c->error) != 0)
            fail_msg("%s: ok %d error \"%s\"", c->name, s.ok, s.error);
        assert_int_equal(s.media_count, 0);
    }
    struct sdp_summary s;
    assert_false(sdp_summarize(NULL, 0, &s));
}

/* Non-RTP media keep their formats out of the codec list and parse through the guard. */
static void
test_non_rtp_media(void **state)
{
    (void)state;
    struct sdp_summary s;
    assert_true(summarize(SESSION("c=IN IP4 192.0.2.7\r\n") "m=image 4000 udptl t38\r\n"
                                                            "m=message 7394 TCP/MSRP *\r\n",
                          &s));
    assert_int_equal(s.media_count, 2);
    assert_string_equal(s.media[0].type, "image");
    assert_string_equal(s.media[0].proto, "udptl");
    assert_int_equal(s.media[0].codec_count, 0);
    assert_string_equal(s.media[1].proto, "TCP/MSRP");
}

static void
test_limits(void **state)
{
    (void)state;
    char buf[8192];
    int k = snprintf(buf, sizeof buf, SESSION("c=IN IP4 192.0.2.1\r\n"));
    for (int i = 0; i < 10; i++)
        k += snprintf(buf + k, sizeof buf - (size_t)k,
                      "m=audio %d RTP/AVP 0 8 9 18 3 4 5 6 7 10 11 12 13 14 15\r\n"
                      "a=candidate:%d 1 UDP 1 10.0.0.%d 9 typ host\r\n",
                      4000 + 2 * i, i, i);
    struct sdp_summary s;
    assert_true(summarize(buf, &s));
    assert_true(s.cut);
    assert_int_equal(s.media_count, SDP_MAX_MEDIA);
    assert_int_equal(s.media_total, 10);
    assert_int_equal(s.media[0].codec_count, SDP_MAX_CODECS);
    assert_int_equal(s.media[0].codec_total, 15);
    assert_int_equal(s.candidate_count, SDP_MAX_CANDIDATES);
    assert_int_equal(s.candidate_total, 10);
    assert_int_equal(s.media[7].port, 4014);
}

/* Every prefix of the offers: no crash, no overread (ASan), no leak (valgrind). */
static void
test_cut_everywhere(void **state)
{
    (void)state;
    const char *texts[] = {offer, webrtc};
    for (size_t t = 0; t < 2; t++) {
        size_t n = strlen(texts[t]);
        for (size_t len = 0; len <= n; len++) {
            char *copy = malloc(len ? len : 1);
            memcpy(copy, texts[t], len);
            struct sdp_summary s;
            bool ok = sdp_summarize(copy, len, &s);
            assert_true(ok || s.error[0] != '\0');
            free(copy);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offer_fields),   cmocka_unit_test(test_hold_and_direction),
        cmocka_unit_test(test_ice_and_webrtc), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_non_rtp_media),  cmocka_unit_test(test_limits),
        cmocka_unit_test(test_cut_everywhere),
    };
    return cmocka_run_group_tests_name("sdp", tests, NULL, NULL);
}
