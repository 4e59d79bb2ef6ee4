/* fuzz_keepalive.c — libFuzzer: bytes → NAT keep-alive events (RFC 5626 §3.5.1 pings, STUN
 * mapped addresses, SIP REGISTER/INVITE/OPTIONS with Via received/rport, RFC 3581) over a few
 * endpoints and input files → keep-alive tracker → finish → free. No crash, no leak, no UB. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyzer/result.h"
#include "analyzer/track/keepalive.h"
#include "dissectors/sip.h"

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

/* One of 16 endpoints — private and public, v4 and v6, SIP and NAT ports — so bindings,
 * phones, clouds and two-point pairs collide often. */
static struct sip_endpoint
endpoint(uint8_t sel)
{
    struct sip_endpoint e;
    memset(&e, 0, sizeof e);
    e.ip.family = (sel & 8) ? 6 : 4;
    e.ip.a[0] = (sel & 4) ? 203 : 192;
    e.ip.a[1] = (sel & 4) ? 0 : 168;
    e.ip.a[e.ip.family == 4 ? 3 : 15] = (uint8_t)(sel & 1);
    e.port = (sel & 2) ? 5060 : (uint16_t)(40000 + (sel & 1));
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rd r = {data, size, 0};
    uint8_t cfg = u8(&r);
    struct keepalive_tracker *t = keepalive_tracker_new(cfg & 1 ? 2.0 : 30.0, cfg & 2 ? 6.0 : 90.0);
    if (!t)
        return 0;
    int64_t ts = 1709629200LL * 1000000000LL;
    uint64_t frame[4] = {0};
    while (r.i < r.n) {
        uint8_t op = u8(&r), sel = u8(&r), flags = u8(&r);
        /* time steps from 0 to ~65 s in 1 ms units; bit 7 of flags steps back (merged inputs) */
        int64_t step = (int64_t)u16(&r) * 1000000LL;
        ts += (flags & 0x80) ? -step / 8 : step;
        uint16_t file = (uint16_t)((flags >> 5) & 3);
        struct sip_ref at = {++frame[file], file, ts};
        struct sip_endpoint a = endpoint(sel & 15), b = endpoint(sel >> 4);
        if (op & 1) {
            struct sip_endpoint mapped = endpoint(u8(&r));
            mapped.port = (uint16_t)(mapped.port + (flags & 7));
            /* the payload (when bit 4 of flags is set): the next bytes of the input, up to 24 */
            uint32_t plen = (flags & 0x10) ? (uint32_t)(sel % 25) : 0;
            if (plen > r.n - r.i)
                plen = (uint32_t)(r.n - r.i);
            keepalive_tracker_ping_payload(t, &a, &b, flags & 8, (enum ka_kind)((op >> 1) % 11),
                                           &at, (op & 0x80) ? &mapped : NULL,
                                           (flags & 0x10) ? r.p + r.i : NULL, plen);
            r.i += plen;
        } else {
            struct keepalive_sip m;
            memset(&m, 0, sizeof m);
            m.is_request = op & 2;
            m.retransmission = op & 4;
            m.in_dialog = op & 8;
            m.tcp = flags & 8;
            static const uint8_t methods[] = {SIP_REQ_REGISTER, SIP_REQ_INVITE, SIP_REQ_OPTIONS,
                                              SIP_REQ_NOTIFY};
            m.method = methods[(op >> 4) & 3];
            m.cseq_method = methods[(op >> 6) & 3];
            static const uint16_t codes[] = {100, 180, 200, 401, 486, 0, 503, 302};
            m.code = codes[flags & 7];
            if (flags & 0x10) {
                m.has_public = true;
                m.public_addr = endpoint(u8(&r));
                m.public_addr.port = (uint16_t)(m.public_addr.port ^ u8(&r));
            }
            keepalive_tracker_sip(t, &a, &b, &m, &at);
        }
    }
    struct result res;
    result_init(&res, 8);
    (void)keepalive_tracker_finish(t, &res);
    keepalive_tracker_free(t);
    result_free(&res);
    return 0;
}
