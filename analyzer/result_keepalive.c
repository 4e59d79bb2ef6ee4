/* result_keepalive.c — NAT keep-alive results (RFC 5626 §3.5.1): names and release. */
#include "result_keepalive.h"

#include <stdlib.h>

void
keepalive_result_free(struct keepalive_result *k)
{
    if (!k)
        return;
    free(k->bindings);
    free(k);
}

const char *
ka_kind_name(enum ka_kind k)
{
    static const char *const names[KA_KIND__COUNT] = {
        "crlfcrlf",      "crlf",    "empty",          "short_ping", "stun_request",
        "stun_response", "options", "options_answer", "notify",     "notify_answer",
    };
    return (unsigned)k < KA_KIND__COUNT ? names[k] : "unknown";
}

const char *
ka_verdict_name(enum ka_verdict v)
{
    switch (v) {
    case KA_VERDICT_PASS:
        return "PASS";
    case KA_VERDICT_WARN:
        return "WARN";
    case KA_VERDICT_FAIL:
        return "FAIL";
    default:
        return "NOT_OBSERVED";
    }
}
