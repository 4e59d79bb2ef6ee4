/* test_json_stream.c — the streamed JSON report is byte for byte json-c's printing of the same
 * tree (analyzer/report/json_stream.c), parses back with json_tokener, and equals the tree: for
 * hand-made documents (empty and nested containers, nulls, escapes, odd keys), for a result
 * with thousands of flows and findings, and for the reports of real captures. */
#include <errno.h>
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

#include "analyzer/pipeline.h"
#include "analyzer/report/json.h"
#include "analyzer/report/json_stream.h"
#include "analyzer/result.h"

/* What json-c prints for the whole tree, with the report's final newline. Caller frees. */
static char *
tree_text(struct json_object *tree)
{
    const char *t = json_object_to_json_string_ext(tree, JSON_STREAM_FLAGS);
    assert_non_null(t);
    size_t n = strlen(t);
    char *s = malloc(n + 2);
    assert_non_null(s);
    memcpy(s, t, n);
    s[n] = '\n';
    s[n + 1] = '\0';
    return s;
}

/*
 * The streamed text parses back (json_tokener, whole input) to a value equal to the tree's
 * own text parsed (numbers printed with fixed decimals are compared as printed, not as the
 * unrounded doubles the tree holds).
 */
static void
assert_parses_to(const char *text, size_t len, const char *tree_txt)
{
    struct json_tokener *tok = json_tokener_new();
    assert_non_null(tok);
    struct json_object *back = json_tokener_parse_ex(tok, text, (int)len);
    if (json_tokener_get_error(tok) != json_tokener_success)
        fail_msg("streamed text does not parse: %s at offset %zu",
                 json_tokener_error_desc(json_tokener_get_error(tok)),
                 json_tokener_get_parse_end(tok));
    /* nothing after the document but the final newline */
    for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
        assert_int_equal(text[i], '\n');
    struct json_object *want = json_tokener_parse(tree_txt);
    assert_non_null(want);
    assert_true(json_object_equal(back, want));
    json_object_put(want);
    json_object_put(back);
    json_tokener_free(tok);
}

/* Compare streamed bytes with the tree's text; on a mismatch, say where. */
static void
assert_same_text(const char *want, const char *got, size_t got_len)
{
    size_t wl = strlen(want), i = 0;
    while (i < wl && i < got_len && want[i] == got[i])
        i++;
    if (i == wl && wl == got_len)
        return;
    size_t from = i > 60 ? i - 60 : 0;
    fail_msg("streamed text differs from json-c's at byte %zu:\n"
             "json-c: ...%.120s\nstream: ...%.120s",
             i, want + from, got + from);
}

/* A document written through the stream API, the same way in both modes. */
typedef void (*doc_fn)(struct json_stream *s);

static void
check_doc(doc_fn fn)
{
    struct json_stream tree_s, file_s;
    json_stream_init_tree(&tree_s);
    fn(&tree_s);
    assert_int_equal(json_stream_finish(&tree_s), 0);
    struct json_object *tree = json_stream_take_tree(&tree_s);
    assert_non_null(tree);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    json_stream_init_file(&file_s, f);
    fn(&file_s);
    assert_int_equal(json_stream_finish(&file_s), 0);
    fclose(f);

    char *want = tree_text(tree);
    assert_same_text(want, buf, len);
    assert_parses_to(buf, len, want);
    free(want);
    free(buf);
    json_object_put(tree);
}

static void
doc_shapes(struct json_stream *s)
{
    json_stream_open_object(s);
    json_stream_member(s, "n", NULL);
    json_stream_member(s, "i", json_object_new_int(-3));
    json_stream_member(s, "d", json_object_new_double_s(1.5, "1.500"));
    json_stream_member(s, "s", json_object_new_string("a/b \"q\" \\ tab\there\nnew line \x01"));
    json_stream_member(s, "k\"ey/\n", json_object_new_string("odd key"));
    json_stream_key(s, "empty_array");
    json_stream_open_array(s);
    json_stream_close(s);
    json_stream_key(s, "empty_object");
    json_stream_open_object(s);
    json_stream_close(s);
    json_stream_member(s, "empty_tree_array", json_object_new_array());
    json_stream_member(s, "empty_tree_object", json_object_new_object());
    json_stream_key(s, "list");
    json_stream_open_array(s);
    json_stream_value(s, NULL);
    json_stream_value(s, json_object_new_boolean(1));
    struct json_object *e = json_object_new_object();
    struct json_object *inner = json_object_new_array();
    json_object_array_add(inner, json_object_new_object());
    json_object_array_add(inner, json_object_new_array());
    json_object_array_add(inner, json_object_new_string("x\ny"));
    json_object_object_add(e, "inner", inner);
    json_object_object_add(e, "none", NULL);
    json_stream_value(s, e);
    json_stream_open_object(s); /* streamed containers inside streamed ones */
    json_stream_key(s, "deeper");
    json_stream_open_array(s);
    json_stream_open_array(s);
    json_stream_value(s, json_object_new_uint64(UINT64_MAX));
    json_stream_close(s);
    json_stream_close(s);
    json_stream_close(s);
    json_stream_close(s);
    json_stream_close(s);
}

static void
doc_empty_object(struct json_stream *s)
{
    json_stream_open_object(s);
    json_stream_close(s);
}

static void
doc_top_array(struct json_stream *s)
{
    json_stream_open_array(s);
    for (int i = 0; i < 3; i++) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "i", json_object_new_int(i));
        json_stream_value(s, o);
    }
    json_stream_close(s);
}

/* The scalar members written without json-c values, at several depths, escapes included. */
static void
doc_scalars(struct json_stream *s)
{
    json_stream_open_object(s);
    json_stream_member_string(s, "plain", "sip:100@192.0.2.1");
    json_stream_member_string(s, "escaped", "a/b \"q\" \\ tab\there\nnew line \x01\x7f");
    json_stream_member_string(s, "empty", "");
    json_stream_member_string(s, "null_string", NULL);
    json_stream_member_int(s, "negative", INT64_MIN);
    json_stream_member_int(s, "zero", 0);
    json_stream_member_int(s, "positive", INT64_MAX);
    json_stream_member_uint(s, "huge", UINT64_MAX);
    json_stream_member_bool(s, "yes", true);
    json_stream_member_bool(s, "no", false);
    json_stream_member_null(s, "nothing");
    json_stream_member_double_s(s, "fixed", 20.0, "20.000");
    json_stream_member_string(s, "k\"ey/\n", "odd key");
    json_stream_key(s, "list");
    json_stream_open_array(s);
    json_stream_open_object(s);
    json_stream_member_uint(s, "deep", 7);
    json_stream_key(s, "deeper");
    json_stream_open_object(s);
    json_stream_member_string(s, "x", "y");
    json_stream_close(s);
    json_stream_close(s);
    json_stream_close(s);
    json_stream_close(s);
}

static void
test_shapes(void **state)
{
    (void)state;
    check_doc(doc_shapes);
    check_doc(doc_empty_object);
    check_doc(doc_top_array);
    check_doc(doc_scalars);
}

/* Unbalanced or out-of-place calls fail at finish instead of writing a broken document. */
static void
test_misuse(void **state)
{
    (void)state;
    struct json_stream s;
    json_stream_init_tree(&s);
    json_stream_open_object(&s);
    json_stream_value(&s, json_object_new_int(1)); /* a member without a key */
    json_stream_close(&s);
    assert_int_equal(json_stream_finish(&s), -1);
    assert_int_equal(errno, EINVAL);
    assert_null(json_stream_take_tree(&s));

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_stream_init_file(&s, f);
    json_stream_open_array(&s);
    json_stream_key(&s, "no keys in arrays");
    assert_int_equal(json_stream_finish(&s), -1); /* and still open */
    fclose(f);
    free(buf);
}

/* A result as the pipeline leaves it, with n_flows flows and findings of every code. */
static void
fill_result(struct result *r, size_t n_flows)
{
    result_init(r, n_flows);
    static struct source_input in[2];
    memset(in, 0, sizeof(in));
    snprintf(in[0].name, sizeof(in[0].name), "lan \"side\".pcap");
    snprintf(in[0].link_type, sizeof(in[0].link_type), "EN10MB");
    snprintf(in[1].name, sizeof(in[1].name), "wan.pcap");
    snprintf(in[1].link_type, sizeof(in[1].link_type), "RAW");
    in[1].truncated = true;
    snprintf(in[1].error, sizeof(in[1].error), "cut short\nin the middle");
    r->inputs = malloc(sizeof(in));
    assert_non_null(r->inputs);
    memcpy(r->inputs, in, sizeof(in));
    r->n_inputs = 2;
    r->packets = 2 * n_flows;
    r->first_ns = 1700000000000000000LL;
    r->last_ns = r->first_ns + (int64_t)n_flows * 1000000;
    for (size_t i = 0; i < n_flows; i++) {
        struct flow_record f;
        memset(&f, 0, sizeof(f));
        f.id = (uint32_t)i;
        f.ip_version = 4;
        f.proto = i % 3 == 0 ? 6 : i % 3 == 1 ? 17 : 1;
        f.src.family = 4;
        f.dst.family = 4;
        memcpy(f.src.a, (uint8_t[]){10, 0, (uint8_t)(i >> 8), (uint8_t)i}, 4);
        memcpy(f.dst.a, (uint8_t[]){192, 0, 2, (uint8_t)(i % 200)}, 4);
        f.sport = (uint16_t)(1024 + i);
        f.dport = 5060;
        f.packets_fwd = i;
        f.first = (struct evidence_ref){i + 1, (uint16_t)(i & 1), r->first_ns + (int64_t)i};
        f.last = f.first;
        snprintf(f.app, sizeof(f.app), "%s", i % 2 ? "SIP" : "Unknown");
        if (i % 7 == 0)
            snprintf(f.server_name, sizeof(f.server_name), "host-%zu.example", i);
        if (i % 11 == 0) {
            f.icmp_errors = 2;
            f.icmp_type = 3;
            f.icmp_code = 13;
            f.icmp_from = f.dst;
            f.icmp_first = f.first;
        }
        result_add_flow(r, &f);
    }
    for (int c = 0; c < FIND__COUNT; c++)
        for (int k = 0; k < RESULT_EVIDENCE_PER_CODE + 2; k++) {
            struct evidence_ref e = {(uint64_t)(k + 1), 0, r->first_ns + k};
            struct finding *f = result_add_finding(r, (enum finding_code)c, k ? &e : NULL, NULL,
                                                   "finding %d of code %d: \"quoted\"", k, c);
            if (f && k % 2)
                f->measured = 41.25, f->limit = 30;
        }
    result_finish(r);
}

/* report_json_write's bytes equal json-c's printing of report_json_build's tree, parse back
 * to it, and come with a sentence when the output cannot be written. */
static void
check_report(const struct result *r)
{
    struct json_object *tree = report_json_build(r);
    assert_non_null(tree);
    char *buf = NULL, err[256] = "";
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    if (report_json_write(r, f, err, sizeof(err)))
        fail_msg("%s", err);
    fclose(f);
    char *want = tree_text(tree);
    assert_same_text(want, buf, len);
    assert_parses_to(buf, len, want);
    free(want);
    free(buf);
    json_object_put(tree);
}

static void
test_many_elements(void **state)
{
    (void)state;
    struct result r;
    fill_result(&r, 5000);
    assert_int_equal(r.n_flows, 5000);
    assert_true(r.n_findings >= (size_t)FIND__COUNT * RESULT_EVIDENCE_PER_CODE);
    check_report(&r);

    FILE *full = fopen("/dev/full", "w");
    if (full) {
        char err[256] = "";
        assert_int_equal(report_json_write(&r, full, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "cannot write the JSON report"));
        fclose(full);
    }
    result_free(&r);
}

/* The reports of real captures: SIP calls, RTP, keep-alives, ALG pairs, several inputs. */
static void
test_captures(void **state)
{
    (void)state;
    static const char *const sets[][2] = {
        {"captures/sip-calls.pcap", NULL},
        {"captures/sip-register.pcap", NULL},
        {"captures/rtp-healthy.pcap", NULL},
        {"captures/nat-gap.pcap", NULL},
        {"captures/tcp-reassembly.pcap", NULL},
        {"captures/alg-pair-lan.pcap", "captures/alg-pair-wan.pcap"},
        {"captures/nat-lab-real-lan.pcap", "captures/nat-lab-real-wan.pcap"},
    };
    const char *root = getenv("VOIPDIAG_SRC");
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        char p0[4096], p1[4096], err[SOURCE_ERRBUF];
        snprintf(p0, sizeof(p0), "%s/%s", root ? root : ".", sets[i][0]);
        snprintf(p1, sizeof(p1), "%s/%s", root ? root : ".", sets[i][1] ? sets[i][1] : "");
        const char *paths[2] = {p0, p1};
        struct source *src = source_open_files(paths, sets[i][1] ? 2 : 1, NULL, err, sizeof(err));
        if (!src)
            fail_msg("%s", err);
        struct pipeline_opts po;
        pipeline_opts_default(&po);
        struct result r;
        result_init(&r, po.max_flow_records);
        if (pipeline_run(src, &po, &r, err, sizeof(err)))
            fail_msg("%s: %s", p0, err);
        check_report(&r);
        result_free(&r);
        source_close(src);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_many_elements),
        cmocka_unit_test(test_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
