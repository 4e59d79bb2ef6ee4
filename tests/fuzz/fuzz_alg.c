/* fuzz_alg.c — the SIP ALG two-point matcher (RFC 3261 §18.2.1, RFC 3581) fed arbitrary pairs of
 * SIP messages: input = 2-byte length of the first message, the first, then the second. One
 * small tracker lives for the whole run and is reset per input (a production-sized one costs
 * milliseconds to create; the small bounds also exercise eviction). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/result.h"
#include "analyzer/track/alg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct alg_tracker *tracker;

static void
tracker_free(void)
{
    alg_tracker_free(tracker);
    tracker = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tracker = alg_tracker_new_sized(4, 4);
    if (!tracker)
        abort();
    atexit(tracker_free);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sip_message m;
    if (size < 3)
        return 0;
    if (alg_tracker_reset(tracker))
        abort();
    size_t n1 = (size_t)data[0] << 8 | data[1];
    if (n1 > size - 2)
        n1 = size - 2;
    const uint8_t *p[2] = {data + 2, data + 2 + n1};
    size_t n[2] = {n1, size - 2 - n1};
    struct sip_endpoint lan = {.ip = {.a = {192, 168, 1, 10}, .family = 4}, .port = 5060};
    struct sip_endpoint wan = {.ip = {.a = {198, 51, 100, 20}, .family = 4}, .port = 5060};
    struct sip_endpoint srv = {.ip = {.a = {203, 0, 113, 5}, .family = 4}, .port = 5060};
    for (int i = 0; i < 2; i++) {
        if (sip_parse_datagram(p[i], n[i], &m) == SIP_NO_MEMORY)
            continue;
        struct sip_ref at = {1, (uint16_t)i, 1000000000LL + i * 1000};
        bool out = (data[size - 1] & (1 << i)) != 0;
        const struct sip_endpoint *me = i ? &wan : &lan;
        /* the last byte's bit 2+i: this copy keeps its fields (as from TCP), not its bytes */
        bool view = (data[size - 1] & (4 << i)) != 0;
        alg_tracker_message(tracker, &m, view ? NULL : p[i], n[i], &at, out ? me : &srv,
                            out ? &srv : me, i && (data[0] & 1));
    }
    struct result r;
    result_init(&r, 4);
    alg_tracker_finish(tracker, &r); /* hands the tracker's result to r: reset makes a new one */
    result_free(&r);
    return 0;
}
