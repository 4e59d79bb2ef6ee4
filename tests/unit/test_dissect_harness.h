/* test_dissect_harness.h — the table runner of test_dissect_*.c: a row = a frame + expectations. */
#ifndef VOIPDIAG_TEST_DISSECT_HARNESS_H
#define VOIPDIAG_TEST_DISSECT_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dissectors/dissect.h"

/* Byte builders for the tables: fields in network order. */
#define BE16(v) (uint8_t)(((v) >> 8) & 0xff), (uint8_t)((v)&0xff)
#define BE32(v) BE16(((uint32_t)(v) >> 16) & 0xffff), BE16((v)&0xffff)
#define MACS 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01
#define ETH(type) MACS, BE16(type)
#define VLAN(id, type) BE16(id), BE16(type)
#define V4_SRC 192, 0, 2, 1
#define V4_DST 198, 51, 100, 2
#define V6_SRC 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
#define V6_DST 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02
/* IPv4 header without options: total length, fragment word, protocol. */
#define IPV4F(total, frag, proto)                                                                  \
    0x45, 0x00, BE16(total), BE16(0x1234), BE16(frag), 64, (proto), 0x00, 0x00, V4_SRC, V4_DST
#define IPV4(total, proto) IPV4F(total, 0x0000, proto)
/* An outer (tunnel endpoint) IPv4 header with other addresses. */
#define IPV4_OUTER(total, proto)                                                                   \
    0x45, 0x00, BE16(total), BE16(0x0001), 0x00, 0x00, 64, (proto), 0x00, 0x00, 10, 0, 0, 1, 10,   \
        0, 0, 2
#define IPV6(plen, nh) 0x60, 0x00, 0x00, 0x00, BE16(plen), (nh), 64, V6_SRC, V6_DST
#define UDP(sport, dport, len) BE16(sport), BE16(dport), BE16(len), 0x00, 0x00
#define TCP(sport, dport, words, flags)                                                            \
    BE16(sport), BE16(dport), BE32(1000), BE32(2000), (uint8_t)((words) << 4), (flags),            \
        BE16(65535), 0x00, 0x00, 0x00, 0x00
#define DATA4 'a', 'b', 'c', 'd'
/* IPv4 + UDP 5060→5060 + 4 bytes (32 bytes), and the same over IPv6 (52 bytes). */
#define V4_UDP IPV4(32, 17), UDP(5060, 5060, 12), DATA4
#define V6_UDP IPV6(12, 17), UDP(5060, 5060, 12), DATA4

#define BYTES(...)                                                                                 \
    .bytes = (const uint8_t[]){__VA_ARGS__}, .len = sizeof((const uint8_t[]){__VA_ARGS__})

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One frame and what dissect_frame must make of it. */
struct sample {
    const char *name;
    int dlt;
    const uint8_t *bytes;
    uint32_t len;
    uint32_t wirelen; /* 0: len (nothing cut) */
    enum dissect_status status;
    enum anomaly anomaly;
    uint32_t layers; /* exactly these enum packet_layer bits */
    uint8_t ip_version;
    uint8_t ip_proto;
    uint16_t sport, dport;
    uint32_t payload_len;
    bool cut;         /* a valid frame: every shorter prefix must be TRUNCATED or NO_MATCH */
    uint32_t cut_end; /* prefixes from here on may be OK (link padding); 0: len */
    void (*extra)(const struct packet *pkt); /* further checks, or NULL */
};

/* Fail unless [p, p+n) lies inside [base, base+len). */
static inline void
harness_window(const char *what, const uint8_t *p, uint32_t n, const uint8_t *base, uint32_t len)
{
    if (p == NULL) {
        if (n != 0)
            fail_msg("%s: NULL window of %u bytes", what, n);
        return;
    }
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;
    if (a < b || a - b > len || n > len - (a - b))
        fail_msg("%s: window outside the frame", what);
}

/* The invariants every dissection keeps, whatever the bytes. */
static inline void
harness_invariants(const struct packet *pkt, const uint8_t *base, uint32_t len)
{
    harness_window("l3", pkt->l3, pkt->l3_len, base, len);
    harness_window("payload", pkt->payload, pkt->payload_len, base, len);
    if (pkt->layers & LAYER_FRAGMENT) {
        harness_window("frag.hdr", pkt->frag.hdr, pkt->frag.hdr_len, base, len);
        harness_window("frag.data", pkt->frag.data, pkt->frag.data_len, base, len);
    }
    assert_true(pkt->payload_len <= pkt->payload_wire_len || pkt->payload_wire_len == 0);
    assert_true(pkt->l3_len <= pkt->l3_wire_len);
    assert_true(pkt->vlan_count <= PACKET_MAX_VLAN);
    assert_true(pkt->tunnel_depth <= PACKET_MAX_TUNNEL);
    if (pkt->status == DISSECT_TRUNCATED || pkt->status == DISSECT_MALFORMED)
        assert_int_not_equal(pkt->anomaly, ANOM_NONE);
}

/*
 * Dissect t's bytes cut to n, from a heap copy of exactly n bytes so that ASan sees any
 * over-read. Returns the copy (pkt points into it): the caller frees it.
 */
static inline uint8_t *
harness_dissect(const struct sample *t, uint32_t n, struct packet *pkt)
{
    uint8_t *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, t->bytes, n);
    memset(pkt, 0xa5, sizeof *pkt); /* dissect_frame must reset everything it does not keep */
    pkt->frame = 7;
    pkt->ts_ns = 1000;
    pkt->file = 1;
    pkt->caplen = n;
    pkt->wirelen = t->wirelen ? t->wirelen : t->len;
    enum dissect_status st = dissect_frame(t->dlt, copy, n, pkt);
    assert_int_equal(st, pkt->status);
    harness_invariants(pkt, copy, n);
    assert_int_equal(pkt->frame, 7);
    assert_int_equal(pkt->caplen, n);
    struct packet again = *pkt; /* the same bytes as a bare IP datagram: no crash, same rules */
    dissect_ip(copy, n, &again);
    harness_invariants(&again, copy, n);
    return copy;
}

/* Compare one field; on a mismatch name the sample and the field. */
static inline void
harness_expect(const struct sample *t, const char *field, long long got, long long want)
{
    if (got != want)
        fail_msg("%s: %s is %lld (%#llx), expected %lld (%#llx)", t->name, field, got,
                 (unsigned long long)got, want, (unsigned long long)want);
}

/* The cmocka test of one row: the whole frame, then every prefix when the row is valid. */
static inline void
harness_run(void **state)
{
    const struct sample *t = *state;
    struct packet pkt;

    uint8_t *frame = harness_dissect(t, t->len, &pkt);
    if (pkt.anomaly != t->anomaly)
        fail_msg("%s: anomaly %s, expected %s", t->name, dissect_anomaly_name(pkt.anomaly),
                 dissect_anomaly_name(t->anomaly));
    harness_expect(t, "status", pkt.status, t->status);
    harness_expect(t, "layers", pkt.layers, t->layers);
    harness_expect(t, "ip_version", pkt.ip_version, t->ip_version);
    harness_expect(t, "ip_proto", pkt.ip_proto, t->ip_proto);
    harness_expect(t, "sport", pkt.sport, t->sport);
    harness_expect(t, "dport", pkt.dport, t->dport);
    harness_expect(t, "payload_len", pkt.payload_len, t->payload_len);
    harness_expect(t, "dlt", pkt.dlt, t->dlt);
    if (t->extra)
        t->extra(&pkt);
    free(frame);
    if (!t->cut)
        return;
    uint32_t end = t->cut_end ? t->cut_end : t->len;
    for (uint32_t n = 0; n < end; n++) {
        free(harness_dissect(t, n, &pkt));
        enum dissect_status st = pkt.status;
        if (st != DISSECT_TRUNCATED && st != DISSECT_NO_MATCH)
            fail_msg("%s cut at %u of %u: status %d, anomaly %s", t->name, n, t->len, st,
                     dissect_anomaly_name(pkt.anomaly));
    }
}

/* Add one cmocka test per row of rows[0..n) to tests, starting at *k. */
static inline void
harness_add(struct CMUnitTest *tests, size_t *k, const struct sample *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct CMUnitTest u = {rows[i].name, harness_run, NULL, NULL, (void *)&rows[i]};
        tests[(*k)++] = u;
    }
}

/* Test address a against text. */
static inline void
harness_addr(const struct ip_addr *a, const char *text)
{
    char buf[64];
    assert_string_equal(ip_addr_format(a, buf, sizeof buf), text);
}

#endif
