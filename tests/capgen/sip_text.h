/* sip_text.h — SIP message (RFC 3261) and SDP (RFC 4566) text as real user agents write it. */
#ifndef CAPGEN_SIP_TEXT_H
#define CAPGEN_SIP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * One SIP message. A request has method and ruri; a response has status and reason (and
 * method NULL). Header values are given whole; NULL optional fields are left out. Hosts of
 * IPv6 addresses carry their brackets.
 */
struct sip_msg {
    const char *method;    /* "INVITE" …, or NULL for a response */
    const char *ruri;      /* request URI */
    int status;            /* response code */
    const char *reason;    /* response reason phrase */
    const char *transport; /* Via transport: "UDP", "TCP" */
    const char *via_host;  /* sent-by host and port */
    uint16_t via_port;
    const char *branch;    /* Via branch, with its z9hG4bK prefix */
    const char *via_extra; /* more Via parameters (";received=…;rport=…"), or NULL */
    const char *from;      /* name-addr ("\"Alice\" <sip:100@example.com>") */
    const char *from_tag;
    const char *to;
    const char *to_tag; /* NULL before the dialog exists */
    const char *call_id;
    uint32_t cseq;
    const char *cseq_method; /* NULL: the request's method */
    const char *contact;     /* URI without brackets, or NULL */
    const char *user_agent;  /* User-Agent (requests) / Server (responses), or NULL */
    const char *extra;       /* more header lines, each ending in CRLF, or NULL */
    const char *content_type;
    const char *body; /* NULL: Content-Length: 0 */
};

/* Format m into buf (cap bytes). Returns the length written (no NUL counted), or -1 when the
 * message does not fit. */
int sip_text_format(char *buf, size_t cap, const struct sip_msg *m);

/* Media one SDP body offers or answers: one audio stream. */
struct sdp_spec {
    const char *user;    /* o= user name */
    uint64_t sess_id;    /* o= session id and version */
    const char *addr;    /* c= address, no brackets */
    uint16_t port;       /* m=audio port (RTCP on port+1) */
    const char *codecs;  /* "0 8 101": PT list in preference order; 0, 8, 9, 18, 101 known */
    unsigned candidates; /* extra ICE candidate lines, to make a big realistic body */
};

/* Format the SDP body of s into buf. Returns its length, or -1 when it does not fit. */
int sdp_text_format(char *buf, size_t cap, const struct sdp_spec *s);

#endif
