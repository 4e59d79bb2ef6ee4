/* fuzz_profile.c — bytes → the provider profile parser (inih + our keys, ranges and CIDRs). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyzer/check/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct profile p;
    char err[256];
    profile_default(&p);
    if (profile_parse((const char *)data, size, "fuzz.ini", &p, err, sizeof(err)) == 0) {
        /* a profile that loads is usable: every block matches its own address */
        for (size_t i = 0; i < p.n_blocks; i++) {
            struct ip_addr a = {.family = p.blocks[i].family};
            memcpy(a.a, p.blocks[i].a, 16);
            if (!profile_in_blocks(&p, &a))
                __builtin_trap();
        }
        if (p.sip.min > p.sip.max || p.rtp.min > p.rtp.max || p.n_blocks > PROFILE_MAX_BLOCKS)
            __builtin_trap();
    } else if (!strchr(err, ':')) {
        __builtin_trap(); /* every refusal names the place */
    }
    return 0;
}
