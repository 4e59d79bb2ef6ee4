/* tcp.c — TCP header (RFC 9293): fixed fields, data offset checked, payload window. */
#include "tcp.h"

#define TCP_MIN_HDR 20
#define TCP_FLAG_MASK 0x3f /* FIN … URG: the enum tcp_flag bits */

/* Fixed header, data offset within [20, segment], options, payload. */
enum dissect_status
tcp_dissect(struct span *s, struct packet *pkt)
{
    struct cursor h = span_take(s, TCP_MIN_HDR).c;
    uint16_t sport = cursor_be16(&h);
    uint16_t dport = cursor_be16(&h);
    uint32_t seq = cursor_be32(&h);
    uint32_t ack = cursor_be32(&h);
    uint16_t off_flags = cursor_be16(&h);
    uint16_t window = cursor_be16(&h);
    if (!cursor_ok(&h))
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_TCP_TRUNCATED);
    uint32_t hlen = (uint32_t)(off_flags >> 12) * 4;
    if (hlen < TCP_MIN_HDR || hlen - TCP_MIN_HDR > s->wire)
        return layer_mark(pkt, DISSECT_MALFORMED, ANOM_TCP_BAD_OFFSET);

    pkt->layers |= LAYER_TCP;
    pkt->sport = sport;
    pkt->dport = dport;
    pkt->tcp_seq = seq;
    pkt->tcp_ack = ack;
    pkt->tcp_flags = (uint8_t)(off_flags & TCP_FLAG_MASK);
    pkt->tcp_window = window;

    struct cursor opt = span_take(s, hlen - TCP_MIN_HDR).c;
    pkt->payload_wire_len = s->wire;
    if (cursor_left(&opt) < hlen - TCP_MIN_HDR)
        return layer_mark(pkt, DISSECT_TRUNCATED, ANOM_TCP_TRUNCATED);
    pkt->payload = cursor_ptr(&s->c);
    pkt->payload_len = span_left(s);
    return DISSECT_OK;
}
