/* test_confidence.c — capture loss lowers the confidence of findings proven by absence (issue 9):
 * live drops and TCP data acknowledged but never seen, once, by one level, with a note; other
 * findings and loss-free captures keep "high" (and their JSON stays as it was). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "analyzer/check/profile.h"
#include "analyzer/pipeline.h"
#include "analyzer/report/json.h"
#include "analyzer/result.h"

static const struct finding *
find(const struct result *r, enum finding_code code)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].code == code)
            return &r->findings[i];
    return NULL;
}

/* A result with one finding proven by absence, one proven by what was seen, one capture fact. */
static void
three_findings(struct result *r)
{
    struct evidence_ref a = {3, 0, 1000}, b = {9, 0, 2000}, c = {12, 0, 3000};
    result_init(r, 16);
    assert_non_null(result_add_finding(r, FIND_HTTP_SYN_UNANSWERED, &a, NULL, "5 SYNs"));
    assert_non_null(result_add_finding(r, FIND_ALG_HEADER_REWRITTEN, &b, NULL, "Via rewritten"));
    assert_non_null(result_add_finding(r, FIND_CAPTURE_KERNEL_DROPS, &c, NULL, "drops"));
}

static void
test_table(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        bool live;
        uint64_t dropped, if_dropped, unseen;
        enum confidence want;
        const char *note;
    } t[] = {
        {"no loss", false, 0, 0, 0, CONF_HIGH, ""},
        {"live, no drops", true, 0, 0, 0, CONF_HIGH, ""},
        {"kernel and interface drops", true, 7, 3, 0, CONF_MEDIUM,
         "the capture dropped 10 packets; absence of traffic is less certain"},
        {"drops of a file source are not counted", false, 7, 0, 0, CONF_HIGH, ""},
        {"TCP data acknowledged, never seen", false, 0, 0, 359, CONF_MEDIUM,
         "the capture missed 359 bytes that TCP acknowledged; absence of traffic is less "
         "certain"},
        {"both", true, 2, 0, 40, CONF_MEDIUM,
         "the capture dropped 2 packets and missed 40 bytes that TCP acknowledged; absence of "
         "traffic is less certain"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct result r;
        three_findings(&r);
        r.live.valid = t[i].live;
        r.live.dropped = t[i].dropped;
        r.live.if_dropped = t[i].if_dropped;
        r.tcp_acked_unseen = t[i].unseen;
        result_finish(&r);
        result_finish(&r); /* once only: a second finish lowers nothing more */
        const struct finding *syn = find(&r, FIND_HTTP_SYN_UNANSWERED);
        assert_non_null(syn);
        if (syn->confidence != t[i].want || strcmp(syn->confidence_note, t[i].note))
            fail_msg("%s: got %s \"%s\"", t[i].what, confidence_name(syn->confidence),
                     syn->confidence_note);
        /* what was seen (a rewritten header) and the capture facts stay certain */
        assert_int_equal(find(&r, FIND_ALG_HEADER_REWRITTEN)->confidence, CONF_HIGH);
        assert_string_equal(find(&r, FIND_ALG_HEADER_REWRITTEN)->confidence_note, "");
        assert_int_equal(find(&r, FIND_CAPTURE_KERNEL_DROPS)->confidence, CONF_HIGH);
        result_free(&r);
    }
}

/* One level: medium becomes low, low stays low; a finder that holds proof opts out. */
static void
test_levels(void **state)
{
    (void)state;
    struct result r;
    struct evidence_ref a = {3, 0, 1000};
    result_init(&r, 16);
    struct finding *m = result_add_finding(&r, FIND_SIP_NO_RESPONSE, &a, NULL, "medium already");
    struct finding *l = result_add_finding(&r, FIND_NTP_NO_RESPONSE, &a, NULL, "low already");
    struct finding *p =
        result_add_finding(&r, FIND_IPBLOCKS_PROVIDER_UNREACHABLE, &a, NULL, "refused: proven");
    assert_true(m->from_absence && l->from_absence && p->from_absence);
    m->confidence = CONF_MEDIUM;
    l->confidence = CONF_LOW;
    p->from_absence = false;
    r.tcp_acked_unseen = 1;
    result_finish(&r);
    assert_int_equal(find(&r, FIND_SIP_NO_RESPONSE)->confidence, CONF_LOW);
    assert_int_equal(find(&r, FIND_NTP_NO_RESPONSE)->confidence, CONF_LOW);
    assert_int_equal(find(&r, FIND_IPBLOCKS_PROVIDER_UNREACHABLE)->confidence, CONF_HIGH);
    result_free(&r);
}

/* The names and catalog: absence findings are the ones the issue lists. */
static void
test_catalog(void **state)
{
    (void)state;
    static const enum finding_code absent[] = {
        FIND_NAT_KEEPALIVE_GAP,    FIND_NAT_INBOUND_KEEPALIVES_MISSING,
        FIND_RTP_ONE_WAY,          FIND_RTP_NO_MEDIA,
        FIND_SIP_NO_RESPONSE,      FIND_HTTP_SYN_UNANSWERED,
        FIND_HTTPS_SYN_UNANSWERED, FIND_NTP_NO_RESPONSE,
    };
    static const enum finding_code seen[] = {
        FIND_CAPTURE_KERNEL_DROPS, FIND_CAPTURE_UNSEEN_TCP_DATA, FIND_HTTP_REFUSED,
        FIND_RTP_ICMP_UNREACHABLE, FIND_ALG_SDP_REWRITTEN,       FIND_RTP_CAPTURE_LOSS_SUSPECTED,
    };
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
        assert_true(catalog_from_absence(absent[i]));
    for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
        assert_false(catalog_from_absence(seen[i]));
    assert_string_equal(confidence_name(CONF_HIGH), "high");
    assert_string_equal(confidence_name(CONF_MEDIUM), "medium");
    assert_string_equal(confidence_name(CONF_LOW), "low");
}

/* The findings of one analysis of paths with the lab profile, as the JSON report prints them. */
static struct json_object *
analyse(const char *const *rel, size_t n)
{
    const char *root = getenv("VOIPDIAG_SRC");
    char paths[2][4096], err[SOURCE_ERRBUF];
    const char *pp[2];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", root ? root : ".", rel[i]);
        pp[i] = paths[i];
    }
    struct profile prof;
    char ini[4096];
    snprintf(ini, sizeof(ini), "%s/scripts/profiles/lab.ini", root ? root : ".");
    profile_default(&prof);
    if (profile_load(ini, &prof, err, sizeof(err)))
        fail_msg("%s", err);
    struct source *src = source_open_files(pp, n, NULL, err, sizeof(err));
    if (!src)
        fail_msg("%s", err);
    struct pipeline_opts po;
    pipeline_opts_default(&po);
    po.profile = &prof;
    struct result r;
    result_init(&r, po.max_flow_records);
    if (pipeline_run(src, &po, &r, err, sizeof(err)))
        fail_msg("%s", err);
    struct json_object *j = report_json_build(&r);
    assert_non_null(j);
    result_free(&r);
    source_close(src);
    return j;
}

/* The first finding called name in report j, or NULL. */
static struct json_object *
json_finding(struct json_object *j, const char *name)
{
    struct json_object *a = json_object_object_get(j, "findings");
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        struct json_object *f = json_object_array_get_idx(a, i);
        if (!strcmp(json_object_get_string(json_object_object_get(f, "name")), name))
            return f;
    }
    return NULL;
}

/*
 * Real captures: SYNs never answered (req-http-syn-drop) analysed alone stay certain, with no
 * confidence key; analysed together with a capture whose TCP acknowledged 359 unseen bytes
 * (tcp-reassembly), they become medium with the note.
 */
static void
test_captures(void **state)
{
    (void)state;
    const char *alone[] = {"captures/req-http-syn-drop.pcap"};
    const char *lossy[] = {"captures/tcp-reassembly.pcap", "captures/req-http-syn-drop.pcap"};
    struct json_object *j = analyse(alone, 1);
    struct json_object *f = json_finding(j, "http.syn_unanswered");
    assert_non_null(f);
    assert_false(json_object_object_get_ex(f, "confidence", NULL));
    assert_false(json_object_object_get_ex(f, "confidence_note", NULL));
    json_object_put(j);

    j = analyse(lossy, 2);
    assert_non_null(json_finding(j, "capture.unseen_tcp_data"));
    f = json_finding(j, "http.syn_unanswered");
    assert_non_null(f);
    assert_string_equal(json_object_get_string(json_object_object_get(f, "confidence")), "medium");
    assert_string_equal(json_object_get_string(json_object_object_get(f, "confidence_note")),
                        "the capture missed 359 bytes that TCP acknowledged; absence of traffic "
                        "is less certain");
    f = json_finding(j, "capture.unseen_tcp_data");
    assert_false(json_object_object_get_ex(f, "confidence", NULL));
    json_object_put(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
