/* test_sip_track.c — the SIP tracker (RFC 3261 transactions, calls, registrations) from datagrams.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/result.h"
#include "dissectors/sip.h"
#include "analyzer/track/alg.h"
#include "analyzer/track/sip_track.h"

struct rig {
    struct sip_tracker *t;
    struct flow f;
    struct result r;
    uint64_t frame;
};

static void
rig_send(struct rig *g, int side, int64_t ms, const char *text)
{
    struct packet p;
    memset(&p, 0, sizeof p);
    p.frame = ++g->frame;
    p.ts_ns = 1700000000LL * 1000000000LL + ms * 1000000LL;
    p.ip_version = 4;
    p.src.family = p.dst.family = 4;
    p.src.a[0] = side ? 198 : 192;
    p.dst.a[0] = side ? 192 : 198;
    p.sport = p.dport = 5060;
    p.layers = LAYER_UDP;
    p.payload = (const uint8_t *)text;
    p.payload_len = p.payload_wire_len = (uint32_t)strlen(text);
    assert_true(sip_tracker_udp(g->t, &p, &g->f, side));
}

static char *
msg(char *buf, const char *start, const char *branch, const char *to_tag, const char *cseq)
{
    snprintf(buf, 1024,
             "%s\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=%s\r\nFrom: <sip:a@x>;tag=f1\r\n"
             "To: <sip:b@x>%s%s\r\nCall-ID: c1@x\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n",
             start, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "", cseq);
    return buf;
}

static void
rig_init(struct rig *g)
{
    memset(g, 0, sizeof *g);
    g->t = sip_tracker_new(NULL);
    assert_non_null(g->t);
    result_init(&g->r, 100);
}

static void
rig_done(struct rig *g)
{
    struct flow_key k;
    memset(&k, 0, sizeof k);
    k.proto = 17;
    sip_tracker_flow_end(g->t, &k, &g->f);
    sip_tracker_finish(g->t, &g->r);
    sip_tracker_free(g->t);
}

/* A call's ladder grows on demand through every doubling up to SIP_CALL_MAX_LADDER arrows; the
 * rest are counted, every arrow kept in order. */
static void
test_ladder_growth(void **state)
{
    (void)state;
    struct rig g;
    char b[1024], br[32], cseq[32];
    rig_init(&g);
    rig_send(&g, 0, 0, msg(b, "INVITE sip:b@x SIP/2.0", "z9hG4bK1", NULL, "1 INVITE"));
    rig_send(&g, 1, 10, msg(b, "SIP/2.0 200 OK", "z9hG4bK1", "t1", "1 INVITE"));
    for (int i = 0; i < SIP_CALL_MAX_LADDER + 10; i++) {
        snprintf(br, sizeof br, "z9hG4bKi%d", i);
        snprintf(cseq, sizeof cseq, "%d INFO", i + 2);
        rig_send(&g, 0, 20 + i, msg(b, "INFO sip:b@x SIP/2.0", br, "t1", cseq));
    }
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->n_calls, 1);
    const struct sip_call *c = s->calls[0];
    assert_int_equal(c->messages, SIP_CALL_MAX_LADDER + 12);
    assert_int_equal(c->n_ladder, SIP_CALL_MAX_LADDER);
    assert_int_equal(c->ladder_unlisted, 12);
    assert_string_equal(c->ladder[0].label, "INVITE");
    assert_string_equal(c->ladder[1].label, "200 OK");
    for (int i = 2; i < SIP_CALL_MAX_LADDER; i++) {
        assert_string_equal(c->ladder[i].label, "INFO");
        assert_int_equal(c->ladder[i].at.frame, (uint64_t)i + 1);
    }
    assert_int_equal(c->n_forks, 1);
    assert_string_equal(c->forks[0], "t1");
    result_free(&g.r);
}

static void
test_retransmission_fork_answer(void **state)
{
    (void)state;
    struct rig g;
    char b[1024];
    rig_init(&g);
    rig_send(&g, 0, 0, msg(b, "INVITE sip:b@x SIP/2.0", "z9hG4bK1", NULL, "1 INVITE"));
    rig_send(&g, 0, 500, msg(b, "INVITE sip:b@x SIP/2.0", "z9hG4bK1", NULL, "1 INVITE"));
    rig_send(&g, 1, 600, msg(b, "SIP/2.0 180 Ringing", "z9hG4bK1", "t1", "1 INVITE"));
    rig_send(&g, 1, 610, msg(b, "SIP/2.0 180 Ringing", "z9hG4bK1", "t2", "1 INVITE"));
    rig_send(&g, 1, 620, msg(b, "SIP/2.0 180 Ringing", "z9hG4bK1", "t2", "1 INVITE"));
    rig_send(&g, 1, 2000, msg(b, "SIP/2.0 200 OK", "z9hG4bK1", "t1", "1 INVITE"));
    rig_send(&g, 0, 9000, msg(b, "BYE sip:b@x SIP/2.0", "z9hG4bK2", "t1", "2 BYE"));
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->messages, 7);
    assert_int_equal(s->req_count[SIP_REQ_INVITE], 2);
    assert_int_equal(s->resp_count[180], 3);
    assert_int_equal(s->request_retransmissions, 1);
    assert_int_equal(s->response_retransmissions, 1);
    assert_int_equal(s->n_calls, 1);
    assert_int_equal(s->calls[0]->outcome, SIP_CALL_ANSWERED);
    assert_int_equal(s->calls[0]->n_forks, 2);
    assert_int_equal(s->calls[0]->hung_up_by, SIP_SIDE_CALLER);
    assert_int_equal(s->calls[0]->invite_retransmissions, 1);
    result_free(&g.r);
}

static void
test_register_unanswered(void **state)
{
    (void)state;
    struct rig g;
    char b[1024];
    rig_init(&g);
    for (int i = 0; i < 4; i++)
        rig_send(&g, 0, i * 1000, msg(b, "REGISTER sip:x SIP/2.0", "z9hG4bKr", NULL, "1 REGISTER"));
    rig_send(&g, 0, 40000, "\r\n\r\n");
    rig_done(&g);
    assert_int_equal(g.r.sip->unanswered_count, 1);
    assert_int_equal(g.r.sip->n_regs, 1);
    assert_int_equal(g.r.sip->regs[0].unanswered, 1);
    assert_int_equal(g.r.per_code[FIND_SIP_NO_RESPONSE], 1);
    assert_int_equal(g.r.per_code[FIND_SIP_REGISTRATION_FAILED], 1);
    assert_int_equal(g.r.sip->n_bindings, 1);
    result_free(&g.r);
}

/* Every prefix of a valid INVITE, and byte noise, must neither crash nor leak. */
static void
test_hostile_cuts(void **state)
{
    (void)state;
    struct rig g;
    char b[1024], cut[1024];
    rig_init(&g);
    msg(b, "INVITE sip:b@x SIP/2.0", "z9hG4bK1", NULL, "1 INVITE");
    size_t n = strlen(b);
    for (size_t i = 0; i < n; i++) {
        memcpy(cut, b, i);
        cut[i] = 0;
        struct packet p;
        memset(&p, 0, sizeof p);
        p.frame = ++g.frame;
        p.payload = (const uint8_t *)cut;
        p.payload_len = p.payload_wire_len = (uint32_t)i;
        sip_tracker_udp(g.t, &p, &g.f, (int)(i & 1));
    }
    rig_done(&g);
    result_free(&g.r);
}

/* A message of call cid with an optional Via suffix (";received=…"), extra headers and SDP. */
static char *
msg_full(char *buf, size_t cap, const char *start, const char *branch, const char *cid,
         const char *to_tag, const char *cseq, const char *via_extra, const char *extra,
         const char *sdp)
{
    snprintf(buf, cap,
             "%s\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=%s%s\r\nFrom: <sip:a@x>;tag=f1\r\n"
             "To: <sip:b@x>%s%s\r\nCall-ID: %s\r\nCSeq: %s\r\nContact: <sip:a@192.0.2.10>\r\n"
             "%s%sContent-Length: %zu\r\n\r\n%s",
             start, branch, via_extra ? via_extra : "", to_tag ? ";tag=" : "", to_tag ? to_tag : "",
             cid, cseq, extra ? extra : "", sdp ? "Content-Type: application/sdp\r\n" : "",
             sdp ? strlen(sdp) : 0, sdp ? sdp : "");
    return buf;
}

static char *
sdp_of(char *buf, size_t cap, const char *addr, unsigned port, const char *dir)
{
    snprintf(buf, cap,
             "v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
             "m=audio %u RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=%s\r\n",
             addr, addr, port, dir);
    return buf;
}

/* INVITE/200/ACK, re-INVITE sendonly (hold) and its 200, re-INVITE sendrecv (resume), BYE. */
static void
test_hold_resume(void **state)
{
    (void)state;
    struct rig g;
    char b[2048], sdp[512];
    const char *I = "INVITE sip:b@x SIP/2.0", *OK = "SIP/2.0 200 OK";
    rig_init(&g);
    rig_send(&g, 0, 0,
             msg_full(b, sizeof b, I, "z9hG4bKh1", "h@x", NULL, "1 INVITE", NULL, NULL,
                      sdp_of(sdp, sizeof sdp, "192.0.2.10", 16384, "sendrecv")));
    rig_send(&g, 1, 900,
             msg_full(b, sizeof b, OK, "z9hG4bKh1", "h@x", "t1", "1 INVITE", NULL, NULL,
                      sdp_of(sdp, sizeof sdp, "198.51.100.10", 20000, "sendrecv")));
    rig_send(&g, 0, 910,
             msg_full(b, sizeof b, "ACK sip:b@x SIP/2.0", "z9hG4bKh2", "h@x", "t1", "1 ACK", NULL,
                      NULL, NULL));
    rig_send(&g, 0, 5000,
             msg_full(b, sizeof b, I, "z9hG4bKh3", "h@x", "t1", "2 INVITE", NULL, NULL,
                      sdp_of(sdp, sizeof sdp, "192.0.2.10", 16384, "sendonly")));
    rig_send(&g, 1, 5050,
             msg_full(b, sizeof b, OK, "z9hG4bKh3", "h@x", "t1", "2 INVITE", NULL, NULL,
                      sdp_of(sdp, sizeof sdp, "198.51.100.10", 20000, "recvonly")));
    rig_send(&g, 0, 9000,
             msg_full(b, sizeof b, I, "z9hG4bKh4", "h@x", "t1", "3 INVITE", NULL, NULL,
                      sdp_of(sdp, sizeof sdp, "192.0.2.10", 16384, "sendrecv")));
    rig_send(&g, 1, 9050,
             msg_full(b, sizeof b, OK, "z9hG4bKh4", "h@x", "t1", "3 INVITE", NULL, NULL,
                      sdp_of(sdp, sizeof sdp, "198.51.100.10", 20000, "sendrecv")));
    rig_send(&g, 1, 20000,
             msg_full(b, sizeof b, "BYE sip:a@x SIP/2.0", "z9hG4bKh5", "h@x", "t1", "4 BYE", NULL,
                      NULL, NULL));
    rig_done(&g);
    const struct sip_call *c = g.r.sip->calls[0];
    assert_int_equal(g.r.sip->n_calls, 1);
    assert_int_equal(c->outcome, SIP_CALL_ANSWERED);
    assert_false(c->answer_inferred);
    assert_int_equal(c->reinvites, 2);
    assert_int_equal(c->n_holds, 2);
    assert_true(c->holds[0].hold);
    assert_true(c->holds[0].by_caller);
    assert_false(c->holds[1].hold);
    assert_int_equal(c->holds[1].at.frame, 6);
    assert_int_equal(c->n_media, 6); /* three offers, three answers */
    result_free(&g.r);
}

/* INVITE/100/180, CANCEL/200, 487/ACK: cancelled, not rejected; the ACK answers nothing. */
static void
test_cancel(void **state)
{
    (void)state;
    struct rig g;
    char b[2048];
    rig_init(&g);
    rig_send(&g, 0, 0, msg(b, "INVITE sip:b@x SIP/2.0", "z9hG4bKc", NULL, "1 INVITE"));
    rig_send(&g, 1, 10, msg(b, "SIP/2.0 100 Trying", "z9hG4bKc", NULL, "1 INVITE"));
    rig_send(&g, 1, 500, msg(b, "SIP/2.0 180 Ringing", "z9hG4bKc", "t9", "1 INVITE"));
    rig_send(&g, 0, 4000, msg(b, "CANCEL sip:b@x SIP/2.0", "z9hG4bKc", NULL, "1 CANCEL"));
    rig_send(&g, 1, 4010, msg(b, "SIP/2.0 200 OK", "z9hG4bKc", "t9", "1 CANCEL"));
    rig_send(&g, 1, 4020, msg(b, "SIP/2.0 487 Request Terminated", "z9hG4bKc", "t9", "1 INVITE"));
    rig_send(&g, 0, 4030, msg(b, "ACK sip:b@x SIP/2.0", "z9hG4bKc", "t9", "1 ACK"));
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->n_calls, 1);
    assert_int_equal(s->calls[0]->outcome, SIP_CALL_CANCELLED);
    assert_int_equal(s->calls[0]->final_code, 487);
    assert_int_equal(s->calls[0]->cancel.frame, 4);
    assert_false(s->calls[0]->answer_inferred);
    assert_int_equal(s->transactions, 2); /* INVITE and CANCEL share a branch, not a key */
    assert_int_equal(s->unanswered_count, 0);
    result_free(&g.r);
}

/* The 2xx was never captured: the ACK (new branch) and BYE still say the call was answered;
 * a 100 alone is "unanswered" (provisional), not "no response". */
static void
test_answer_inferred(void **state)
{
    (void)state;
    struct rig g;
    char b[2048];
    rig_init(&g);
    rig_send(&g, 0, 0,
             msg_full(b, sizeof b, "INVITE sip:b@x SIP/2.0", "z9hG4bKa1", "a1@x", NULL, "1 INVITE",
                      NULL, NULL, NULL));
    rig_send(&g, 1, 10,
             msg_full(b, sizeof b, "SIP/2.0 100 Trying", "z9hG4bKa1", "a1@x", NULL, "1 INVITE",
                      NULL, NULL, NULL));
    rig_send(&g, 0, 2000,
             msg_full(b, sizeof b, "ACK sip:b@x SIP/2.0", "z9hG4bKa2", "a1@x", "t1", "1 ACK", NULL,
                      NULL, NULL));
    rig_send(&g, 0, 9000,
             msg_full(b, sizeof b, "BYE sip:b@x SIP/2.0", "z9hG4bKa3", "a1@x", "t1", "2 BYE", NULL,
                      NULL, NULL));
    rig_send(&g, 0, 9500,
             msg_full(b, sizeof b, "INVITE sip:b@x SIP/2.0", "z9hG4bKa4", "a2@x", NULL, "1 INVITE",
                      NULL, NULL, NULL));
    rig_send(&g, 1, 9510,
             msg_full(b, sizeof b, "SIP/2.0 100 Trying", "z9hG4bKa4", "a2@x", NULL, "1 INVITE",
                      NULL, NULL, NULL));
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->n_calls, 2);
    assert_int_equal(s->calls[0]->outcome, SIP_CALL_ANSWERED);
    assert_true(s->calls[0]->answer_inferred);
    assert_int_equal(s->calls[0]->answer.frame, 3);
    assert_int_equal(s->calls[1]->outcome, SIP_CALL_UNANSWERED);
    result_free(&g.r);
}

/* More calls than the table holds: the oldest are closed early and counted, none leak. */
static void
test_call_eviction(void **state)
{
    (void)state;
    struct rig g;
    char b[1024], cid[32];
    rig_init(&g);
    const unsigned n = 8192 + 10; /* SIP_CALL_CAP + 10, all alive (1 ms apart) */
    for (unsigned i = 0; i < n; i++) {
        snprintf(cid, sizeof cid, "ev%u@x", i);
        rig_send(&g, 0, i,
                 msg_full(b, sizeof b, "INVITE sip:b@x SIP/2.0", cid, cid, NULL, "1 INVITE", NULL,
                          NULL, NULL));
    }
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->calls_total, n);
    assert_int_equal(s->evicted_calls, 10);
    assert_int_equal(s->n_calls + s->calls_unlisted, n);
    assert_int_equal(s->calls[0]->index, 1); /* sorted by index after early closes */
    result_free(&g.r);
}

/*
 * Calls beginning once the call list is full are never listed: they are tracked as briefly as
 * their outcome allows, the listed ones keep everything (ladder, SDP media lines, forks).
 */
static void
test_call_list_full(void **state)
{
    (void)state;
    struct rig g;
    char b[2048], cid[32], sdp[512];
    rig_init(&g);
    const unsigned n = SIP_RES_MAX_CALLS + 5;
    sdp_of(sdp, sizeof sdp, "192.0.2.10", 40000, "sendrecv");
    for (unsigned i = 0; i < n; i++) { /* each rejected, and over before the next begins */
        int64_t ms = (int64_t)i * 40000;
        snprintf(cid, sizeof cid, "full%u@x", i);
        rig_send(&g, 0, ms,
                 msg_full(b, sizeof b, "INVITE sip:b@x SIP/2.0", cid, cid, NULL, "1 INVITE", NULL,
                          NULL, sdp));
        rig_send(&g, 1, ms + 10,
                 msg_full(b, sizeof b, "SIP/2.0 486 Busy Here", cid, cid, "t1", "1 INVITE", NULL,
                          NULL, NULL));
    }
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->calls_total, n);
    assert_int_equal(s->n_calls, SIP_RES_MAX_CALLS);
    assert_int_equal(s->calls_unlisted, 5);
    for (uint32_t i = 0; i < s->n_calls; i++) {
        const struct sip_call *c = s->calls[i];
        assert_int_equal(c->index, i + 1);
        assert_int_equal(c->outcome, SIP_CALL_REJECTED);
        assert_int_equal(c->n_ladder, 2);
        assert_int_equal(c->n_media, 1);
        assert_int_equal(c->n_forks, 1);
    }
    result_free(&g.r);
}

/* A refresh whose 200 shows another public rport (a NAT rebinding): one change, both kept. */
static void
test_register_rebinding(void **state)
{
    (void)state;
    struct rig g;
    char b[1024];
    const char *R = "REGISTER sip:x SIP/2.0", *OK = "SIP/2.0 200 OK";
    rig_init(&g);
    rig_send(&g, 0, 0,
             msg_full(b, sizeof b, R, "z9hG4bKr1", "r@x", NULL, "1 REGISTER", ";rport",
                      "Expires: 60\r\n", NULL));
    rig_send(&g, 1, 20,
             msg_full(b, sizeof b, "SIP/2.0 401 Unauthorized", "z9hG4bKr1", "r@x", "s1",
                      "1 REGISTER", ";received=203.0.113.7;rport=40001", NULL, NULL));
    rig_send(&g, 0, 40,
             msg_full(b, sizeof b, R, "z9hG4bKr2", "r@x", NULL, "2 REGISTER", ";rport",
                      "Authorization: Digest username=\"a\"\r\n", NULL));
    rig_send(&g, 1, 60,
             msg_full(b, sizeof b, OK, "z9hG4bKr2", "r@x", "s2", "2 REGISTER",
                      ";received=203.0.113.7;rport=40001", "Expires: 60\r\n", NULL));
    rig_send(
        &g, 0, 60040,
        msg_full(b, sizeof b, R, "z9hG4bKr3", "r@x", NULL, "3 REGISTER", ";rport", NULL, NULL));
    rig_send(&g, 1, 60060,
             msg_full(b, sizeof b, OK, "z9hG4bKr3", "r@x", "s3", "3 REGISTER",
                      ";received=203.0.113.7;rport=40777", "Expires: 60\r\n", NULL));
    rig_done(&g);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->n_regs, 1);
    const struct sip_registration *r = &s->regs[0];
    assert_int_equal(r->attempts, 3);
    assert_int_equal(r->challenges, 1);
    assert_int_equal(r->successes, 2);
    assert_int_equal(r->refreshes, 1);
    assert_true(r->refresh_last_s > 59.9 && r->refresh_last_s < 60.1);
    assert_int_equal(r->n_public, 2);
    assert_string_equal(r->public_addr[0].addr, "203.0.113.7:40001");
    assert_string_equal(r->public_addr[1].addr, "203.0.113.7:40777");
    assert_int_equal(r->public_addr[1].at.frame, 6);
    assert_int_equal(r->public_changes, 1);
    assert_true(r->has_expires);
    assert_int_equal(r->expires, 60);
    result_free(&g.r);
}

/* One datagram of input `file` (0 LAN, 1 WAN) from src:sport to dst:dport ("a.b.c.d"). */
static void
rig_send_at(struct rig *g, struct flow *f, uint16_t file, int64_t ms, const char *src,
            uint16_t sport, const char *dst, uint16_t dport, const char *text)
{
    struct packet p;
    memset(&p, 0, sizeof p);
    p.frame = ++g->frame;
    p.file = file;
    p.ts_ns = 1700000000LL * 1000000000LL + ms * 1000000LL;
    p.ip_version = 4;
    p.src.family = p.dst.family = 4;
    unsigned a[4], b[4];
    assert_int_equal(sscanf(src, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]), 4);
    assert_int_equal(sscanf(dst, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]), 4);
    for (int i = 0; i < 4; i++) {
        p.src.a[i] = (uint8_t)a[i];
        p.dst.a[i] = (uint8_t)b[i];
    }
    p.sport = sport;
    p.dport = dport;
    p.layers = LAYER_UDP;
    p.payload = (const uint8_t *)text;
    p.payload_len = p.payload_wire_len = (uint32_t)strlen(text);
    assert_true(sip_tracker_udp(g->t, &p, f, 0));
}

/* A message of the two-point test: Via and Contact name `host` (the NAT rewrites them). */
static char *
nat_msg(char *buf, const char *start, const char *host, const char *branch, const char *to_tag,
        const char *cseq, const char *cid)
{
    snprintf(buf, 1024,
             "%s\r\nVia: SIP/2.0/UDP %s;branch=%s\r\nFrom: <sip:100@x>;tag=f1\r\n"
             "To: <sip:100@x>%s%s\r\nCall-ID: %s\r\nCSeq: %s\r\nContact: <sip:100@%s>\r\n"
             "Content-Length: 0\r\n\r\n",
             start, host, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "", cid, cseq, host);
    return buf;
}

/*
 * LAN + WAN captures of one phone behind a rewriting NAT: every message is seen twice, with
 * other addresses and a rewritten Via/Contact. The copy at the second point is the same
 * message: no retransmission, no second registration, transaction or call. A real INVITE
 * retransmission (seen at both points too) still counts once.
 */
static void
test_two_point_copies(void **state)
{
    (void)state;
    struct rig g;
    struct flow lan, wan;
    char b[1024];
    rig_init(&g);
    memset(&lan, 0, sizeof lan);
    memset(&wan, 0, sizeof wan);
    struct alg_tracker *alg = alg_tracker_new();
    assert_non_null(alg);
    sip_tracker_set_alg(g.t, alg);
    const char *ph = "192.168.1.10", *nat = "198.51.100.2", *srv = "203.0.113.5";
    const char *in = "192.168.1.10:5060", *out = "198.51.100.2:40001";
    /* REGISTER and its 200 at both points (the WAN copy of the 200 first, as on the wire) */
    const char *reg = "REGISTER sip:x SIP/2.0", *ok = "SIP/2.0 200 OK";
    rig_send_at(&g, &lan, 0, 0, ph, 5060, srv, 5060,
                nat_msg(b, reg, in, "z9hG4bKr1", NULL, "1 REGISTER", "r1"));
    rig_send_at(&g, &wan, 1, 1, nat, 40001, srv, 5060,
                nat_msg(b, reg, out, "z9hG4bKr1", NULL, "1 REGISTER", "r1"));
    rig_send_at(&g, &wan, 1, 40, srv, 5060, nat, 40001,
                nat_msg(b, ok, out, "z9hG4bKr1", "s1", "1 REGISTER", "r1"));
    rig_send_at(&g, &lan, 0, 41, srv, 5060, ph, 5060,
                nat_msg(b, ok, in, "z9hG4bKr1", "s1", "1 REGISTER", "r1"));
    /* INVITE, its retransmission 500 ms later, each seen at both points, then 200 and ACK */
    const char *inv = "INVITE sip:200@x SIP/2.0", *ack = "ACK sip:200@x SIP/2.0";
    for (int k = 0; k < 2; k++) {
        rig_send_at(&g, &lan, 0, 1000 + 500 * k, ph, 5060, srv, 5060,
                    nat_msg(b, inv, in, "z9hG4bKi1", NULL, "1 INVITE", "c1"));
        rig_send_at(&g, &wan, 1, 1001 + 500 * k, nat, 40001, srv, 5060,
                    nat_msg(b, inv, out, "z9hG4bKi1", NULL, "1 INVITE", "c1"));
    }
    rig_send_at(&g, &wan, 1, 2000, srv, 5060, nat, 40001,
                nat_msg(b, ok, out, "z9hG4bKi1", "t1", "1 INVITE", "c1"));
    rig_send_at(&g, &lan, 0, 2001, srv, 5060, ph, 5060,
                nat_msg(b, ok, in, "z9hG4bKi1", "t1", "1 INVITE", "c1"));
    rig_send_at(&g, &lan, 0, 2010, ph, 5060, srv, 5060,
                nat_msg(b, ack, in, "z9hG4bKa1", "t1", "1 ACK", "c1"));
    rig_send_at(&g, &wan, 1, 2011, nat, 40001, srv, 5060,
                nat_msg(b, ack, out, "z9hG4bKa1", "t1", "1 ACK", "c1"));

    struct flow_key k;
    memset(&k, 0, sizeof k);
    k.proto = 17;
    sip_tracker_flow_end(g.t, &k, &lan);
    sip_tracker_flow_end(g.t, &k, &wan);
    sip_tracker_finish(g.t, &g.r);
    sip_tracker_free(g.t);
    const struct sip_result *s = g.r.sip;
    assert_int_equal(s->messages, 12); /* every observation is still a message seen */
    assert_int_equal(s->transactions, 2);
    assert_int_equal(s->request_retransmissions, 1); /* the INVITE's, once */
    assert_int_equal(s->response_retransmissions, 0);
    assert_int_equal(s->answered, 2);
    assert_int_equal(s->n_regs, 1);
    assert_int_equal(s->regs[0].attempts, 1);
    assert_int_equal(s->regs[0].retransmissions, 0);
    assert_int_equal(s->regs[0].successes, 1);
    assert_int_equal(s->calls_total, 1);
    assert_int_equal(s->calls[0]->invite_retransmissions, 1);
    assert_int_equal(s->calls[0]->outcome, SIP_CALL_ANSWERED);
    /* the ladder draws both copies; the WAN copy of the retransmission is one too */
    assert_int_equal(s->calls[0]->n_ladder, 8);
    assert_false(s->calls[0]->ladder[1].retransmission);
    assert_true(s->calls[0]->ladder[2].retransmission);
    assert_true(s->calls[0]->ladder[3].retransmission);
    alg_tracker_free(alg);
    result_free(&g.r);
}

/*
 * A response whose top Via does not parse keeps its transaction: matched by Call-ID, CSeq
 * number and method, not by the branch of whatever Via sofia kept (here a lower hop's). The
 * malformed-message finding stays.
 */
static void
test_response_bad_via(void **state)
{
    (void)state;
    static const struct {
        const char *via; /* the response's Via header lines */
    } t[] = {
        {"Via: SIP/2.0/UDP [::1:5060;branch=z9hG4bK1\r\n"
         "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKlower\r\n"},
        {"Via: SIP/2.0/UDP ;;;branch=z9hG4bK1\r\n"},
        {"Via: garbage @@ \"\r\n"},
        {""}, /* no Via at all */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct rig g;
        char b[1024], r[1024];
        rig_init(&g);
        rig_send(&g, 0, 0, msg(b, "INVITE sip:b@x SIP/2.0", "z9hG4bK1", NULL, "1 INVITE"));
        snprintf(r, sizeof r,
                 "SIP/2.0 486 Busy Here\r\n%sFrom: <sip:a@x>;tag=f1\r\nTo: <sip:b@x>;tag=t1\r\n"
                 "Call-ID: c1@x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
                 t[i].via);
        rig_send(&g, 1, 100, r);
        rig_send(&g, 0, 200, msg(b, "ACK sip:b@x SIP/2.0", "z9hG4bK1", "t1", "1 ACK"));
        rig_done(&g);
        const struct sip_result *s = g.r.sip;
        assert_int_equal(s->transactions, 1);
        assert_int_equal(s->answered, 1);
        assert_int_equal(s->unanswered_count, 0);
        assert_int_equal(s->malformed, 1);
        assert_int_equal(g.r.per_code[FIND_SIP_MALFORMED], 1);
        assert_int_equal(s->n_calls, 1);
        assert_int_equal(s->calls[0]->outcome, SIP_CALL_REJECTED);
        assert_int_equal(s->calls[0]->final_code, 486);
        result_free(&g.r);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retransmission_fork_answer),
        cmocka_unit_test(test_ladder_growth),
        cmocka_unit_test(test_register_unanswered),
        cmocka_unit_test(test_hostile_cuts),
        cmocka_unit_test(test_hold_resume),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_answer_inferred),
        cmocka_unit_test(test_call_eviction),
        cmocka_unit_test(test_call_list_full),
        cmocka_unit_test(test_register_rebinding),
        cmocka_unit_test(test_two_point_copies),
        cmocka_unit_test(test_response_bad_via),
    };
    return cmocka_run_group_tests_name("sip_track", tests, NULL, NULL);
}
