/* format.c — shared text forms for the report writers. */
#include "format.h"

#include <stdio.h>
#include <time.h>

#include "../../dissectors/dissect.h"

static void
split_ns(int64_t ts_ns, time_t *sec, long *ns)
{
    int64_t s = ts_ns / 1000000000LL, r = ts_ns % 1000000000LL;
    if (r < 0) {
        r += 1000000000LL;
        s -= 1;
    }
    *sec = (time_t)s;
    *ns = (long)r;
}

char *
format_time_rfc3339(int64_t ts_ns, char *buf, size_t len)
{
    time_t s;
    long ns;
    struct tm tm;
    split_ns(ts_ns, &s, &ns);
    gmtime_r(&s, &tm);
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
    return buf;
}

char *
format_time_text(int64_t ts_ns, char *buf, size_t len)
{
    time_t s;
    long ns;
    struct tm tm;
    split_ns(ts_ns, &s, &ns);
    gmtime_r(&s, &tm);
    snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%06ld UTC", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns / 1000);
    return buf;
}

char *
format_endpoint(const struct ip_addr *a, uint16_t port, int has_port, char *buf, size_t len)
{
    char ip[64];
    ip_addr_format(a, ip, sizeof(ip));
    if (!has_port)
        snprintf(buf, len, "%s", ip);
    else if (a->family == 6)
        snprintf(buf, len, "[%s]:%u", ip, port);
    else
        snprintf(buf, len, "%s:%u", ip, port);
    return buf;
}

const char *
format_proto(uint8_t proto, char *buf, size_t len)
{
    switch (proto) {
    case 1:
        return "ICMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 58:
        return "ICMPv6";
    case 132:
        return "SCTP";
    default:
        snprintf(buf, len, "IP/%u", proto);
        return buf;
    }
}

const char *
format_tcp_outcome(const struct flow_record *f)
{
    switch (f->tcp_state) {
    case FLOW_TCP_SYN:
        /* An ICMP error (admin-prohibited, unreachable) answered the SYN instead of the peer. */
        return f->icmp_errors ? "icmp_rejected" : "syn_unanswered";
    case FLOW_TCP_SYNACK:
        return "handshake_incomplete";
    case FLOW_TCP_ESTABLISHED:
        return "established";
    case FLOW_TCP_MIDSTREAM:
        return "midstream";
    case FLOW_TCP_CLOSED:
        return "closed";
    case FLOW_TCP_RESET:
        if (!f->tcp_was_established)
            return f->reset_by_initiator ? "aborted" : "refused";
        return f->reset_by_initiator ? "reset_by_initiator" : "reset_by_responder";
    default:
        return "none";
    }
}

const char *
format_flow_end(enum flow_end e)
{
    switch (e) {
    case FLOW_END_IDLE:
        return "idle";
    case FLOW_END_EVICTED:
        return "evicted";
    default:
        return "capture_end";
    }
}
