/* format.c — shared text forms for the report writers. */
#include "format.h"

#include <stdbool.h>
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

/* gmtime_r of s, from a one-entry cache per thread: a report's times fall in few seconds. */
static void
utc_of(time_t s, struct tm *tm)
{
    static _Thread_local time_t last_s;
    static _Thread_local struct tm last_tm;
    static _Thread_local bool have;
    if (!have || s != last_s) {
        gmtime_r(&s, &last_tm);
        last_s = s;
        have = true;
    }
    *tm = last_tm;
}

/* v as exactly `width` decimal digits, zero-padded (v < 10^width). */
static char *
put_digits(char *p, long v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

char *
format_time_rfc3339(int64_t ts_ns, char *buf, size_t len)
{
    time_t s;
    long ns;
    struct tm tm;
    split_ns(ts_ns, &s, &ns);
    utc_of(s, &tm);
    int year = tm.tm_year + 1900;
    if (len < 31 || year < 0 || year > 9999) { /* what the digits below cannot write */
        snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", year, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
        return buf;
    }
    /* "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ" without printf: reports print thousands */
    char *p = put_digits(buf, year, 4);
    *p++ = '-';
    p = put_digits(p, tm.tm_mon + 1, 2);
    *p++ = '-';
    p = put_digits(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = put_digits(p, tm.tm_hour, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_min, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_sec, 2);
    *p++ = '.';
    p = put_digits(p, ns, 9);
    *p++ = 'Z';
    *p = '\0';
    return buf;
}

char *
format_time_text(int64_t ts_ns, char *buf, size_t len)
{
    time_t s;
    long ns;
    struct tm tm;
    split_ns(ts_ns, &s, &ns);
    utc_of(s, &tm);
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
