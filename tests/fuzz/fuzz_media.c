/* fuzz_media.c — libFuzzer: bytes → SDP expectations, UDP datagrams (RTP/RTCP, RFC 3550) with
 * arrival times and ICMP quotes → media tracker, judging ended calls early as live does (every
 * op) → finish. No crash, no leak, no UB. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyzer/result.h"
#include "analyzer/track/media.h"

/* A byte reader that yields zeros past the end. */
struct rd {
    const uint8_t *p;
    size_t n, i;
};

static uint8_t
u8(struct rd *r)
{
    return r->i < r->n ? r->p[r->i++] : 0;
}

static uint16_t
u16(struct rd *r)
{
    return (uint16_t)(u8(r) << 8 | u8(r));
}

/* One of 4 hosts, so expectations, streams and ICMP quotes collide often. */
static struct ip_addr
host(uint8_t sel)
{
    struct ip_addr a;
    memset(&a, 0, sizeof(a));
    a.family = (sel & 4) ? 6 : 4;
    a.a[0] = (sel & 8) ? 192 : 10;
    a.a[a.family == 4 ? 3 : 15] = (uint8_t)(sel & 3);
    return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The live observer's stand-in: reads what it is shown. */
static void
watch(void *ctx, const struct finding *f)
{
    *(size_t *)ctx += strlen(f->summary) + (f->from_absence ? 1 : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rd r = {data, size, 0};
    /* small tables: full-size ones cost a calloc/free of ~35 MB of address space per input,
     * and small ones reach the eviction paths */
    static const struct media_limits lim = {
        .streams = 8, .flows = 8, .expect = 8, .calls = 4, .rtcp = 4, .icmp = 4, .records = 32};
    struct media_tracker *m = media_tracker_new_sized(&lim);
    if (!m)
        return 0;
    static struct flow flows[8];
    memset(flows, 0, sizeof(flows));
    for (uint32_t i = 0; i < 8; i++)
        flows[i].id = i + 1;
    struct result res;
    result_init(&res, 16);
    size_t shown = 0;
    res.on_finding = watch;
    res.on_finding_ctx = &shown;
    int64_t now = 1700000000LL * 1000000000LL;
    media_tracker_start(m, now);
    uint8_t buf[256];
    while (r.i < r.n) {
        uint8_t op = u8(&r);
        now += (int64_t)u16(&r) * 100000; /* time only moves forward, by up to 6.5 s */
        if (op < 24) {
            struct media_expectation e;
            memset(&e, 0, sizeof(e));
            e.call_index = op & 3;
            e.from_caller = op & 4;
            e.addr = host(u8(&r));
            e.port = u16(&r) & 0x0f0f;
            e.dir = (enum media_dir)(u8(&r) & 3);
            e.hold = op & 8;
            e.n_pt = u8(&r) % (MEDIA_MAX_PT + 1);
            for (unsigned i = 0; i < e.n_pt; i++) {
                e.pt[i].pt = u8(&r) & 0x7f;
                e.pt[i].clock_rate = u8(&r) * 1000u;
                e.pt[i].encoding[0] = (char)('A' + (u8(&r) & 7));
            }
            e.event_pt = (int16_t)((int8_t)u8(&r));
            e.mline = u8(&r) % 6; /* lines beyond the tracker's 4 are ignored */
            e.ts_ns = now;
            media_expect(m, &e);
        } else if (op < 32) {
            media_call_ended(m, op & 3, now);
        } else if (op < 40) {
            struct packet p;
            memset(&p, 0, sizeof(p));
            p.ts_ns = now;
            p.layers = LAYER_ICMP;
            p.icmp_type = 3, p.icmp_code = u8(&r) & 15;
            p.quote.valid = true;
            p.quote.proto = 17;
            p.quote.src = host(u8(&r));
            p.quote.dst = host(u8(&r));
            p.quote.sport = u16(&r) & 0x0f0f;
            p.quote.dport = u16(&r) & 0x0f0f;
            media_tracker_icmp(m, &p);
        } else {
            struct packet p;
            memset(&p, 0, sizeof(p));
            p.frame++;
            p.ts_ns = now;
            p.layers = LAYER_UDP;
            p.ip_proto = 17;
            uint8_t sel = u8(&r);
            p.src = host(sel);
            p.dst = host((uint8_t)(sel >> 4));
            p.dst.family = p.src.family;
            p.sport = u16(&r) & 0x0f0f;
            p.dport = u16(&r) & 0x0f0f;
            uint32_t len = u8(&r);
            for (uint32_t i = 0; i < len; i++)
                buf[i] = u8(&r);
            if (len >= 2 && (op & 1)) /* bias towards RTP version 2 */
                buf[0] = (uint8_t)(0x80 | (buf[0] & 0x3f));
            p.payload = buf;
            p.payload_len = len;
            p.payload_wire_len = len + (op & 2 ? u8(&r) : 0);
            media_tracker_udp(m, &p, &flows[op & 7], (op >> 3) & 1, (uint32_t)op * 2654435761u & 0x7fffffffu);
        }
        media_tracker_settle(m, &res, now);
    }
    media_tracker_finish(m, &res);
    result_finish(&res);
    media_tracker_free(m);
    result_free(&res);
    return 0;
}
