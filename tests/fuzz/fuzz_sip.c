/* fuzz_sip.c — libFuzzer: any bytes as a SIP datagram (RFC 3261) and its SDP body (RFC 4566). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissectors/sdp.h"
#include "dissectors/sip.h"

/* Abort unless the string is NUL-terminated inside its field. */
static void
fuzz_str(const char *s, size_t cap)
{
    if (memchr(s, '\0', cap) == NULL)
        abort();
}

static void
fuzz_check(const struct sip_message *m, enum sip_parse_status st, const uint8_t *p, size_t n)
{
    if (st != m->status || (st == SIP_OK) != (m->reason[0] == '\0') || m->body_len > n)
        abort();
    if (m->via_count > SIP_MAX_VIA || m->via_count > m->via_total ||
        m->contact_count > SIP_MAX_CONTACT || m->record_route_count > SIP_MAX_ROUTE ||
        m->route_count > SIP_MAX_ROUTE)
        abort();
    if (m->sdp) {
        uintptr_t a = (uintptr_t)m->sdp, b = (uintptr_t)p;
        if (a < b || a - b > n || m->sdp_len > n - (a - b) || m->sdp_len != m->body_len)
            abort();
    }
    if (m->has_content_length && m->cl_mismatch != (m->content_length != m->body_len))
        abort();
    fuzz_str(m->call_id, sizeof m->call_id);
    fuzz_str(m->reason, sizeof m->reason);
    for (uint8_t i = 0; i < m->via_count; i++)
        fuzz_str(m->via[i].branch, sizeof m->via[i].branch);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum sip_payload_kind k = sip_classify(data, size);
    if ((k == SIP_PAYLOAD_EMPTY) != (size == 0))
        abort();
    struct sip_message m;
    enum sip_parse_status st = sip_parse_datagram(data, size, &m);
    fuzz_check(&m, st, data, size);
    struct sdp_summary s;
    if (m.sdp) {
        sdp_summarize((const char *)m.sdp, m.sdp_len, &s);
    } else {
        sdp_summarize((const char *)data, size, &s); /* the SDP parser on raw input too */
    }
    if (s.ok == (s.error[0] != '\0') || s.media_count > SDP_MAX_MEDIA ||
        s.candidate_count > SDP_MAX_CANDIDATES)
        abort();
    for (uint8_t i = 0; i < s.media_count; i++)
        if (s.media[i].codec_count > SDP_MAX_CODECS)
            abort();
    return 0;
}
