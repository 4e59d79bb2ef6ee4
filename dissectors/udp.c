/* udp.c — UDP header (RFC 768). */
#include "udp.h"

#define UDP_HDR_LEN 8

/* Header, then the length ladder: at least 8, within the IP payload; payload clamped. */
enum dissect_status
udp_dissect(struct span *s, struct packet *pkt)
{
    struct cursor h = span_take(s, UDP_HDR_LEN).c;
    uint16_t sport = cursor_be16(&h);
    uint16_t dport = cursor_be16(&h);
    uint32_t len = cursor_be16(&h);
    if (!cursor_ok(&h))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_UDP_TRUNCATED);
    /* Compared with what IP says (wire), not with what was captured: a snaplen cut is no lie. */
    if (len < UDP_HDR_LEN || len - UDP_HDR_LEN > s->wire)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_UDP_BAD_LENGTH);

    pkt->layers |= LAYER_UDP;
    pkt->sport = sport;
    pkt->dport = dport;
    struct span payload = span_take(s, len - UDP_HDR_LEN);
    *s = payload;
    pkt->payload = cursor_ptr(&s->c);
    pkt->payload_len = span_left(s);
    pkt->payload_wire_len = len - UDP_HDR_LEN;
    return DISSECT_OK;
}
