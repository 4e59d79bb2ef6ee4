/* sip.h — SIP (RFC 3261) via sofia-sip: payload classes (RFC 5626, RFC 5389) and parsing. */
#ifndef VOIPDIAG_SIP_H
#define VOIPDIAG_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIP_TEXT_MAX 256 /* Call-ID, display names, User-Agent, Server, reason phrase */
#define SIP_HOST_MAX 128 /* host names and address literals ("[2001:db8::1]" keeps brackets) */
#define SIP_TOKEN_MAX 64 /* URI user parts, tags, received, maddr, Content-Type */
#define SIP_BRANCH_MAX 128
#define SIP_NAME_MAX 32 /* method names, SIP version, Via protocol, transport */
#define SIP_REASON_MAX 48
#define SIP_MAX_VIA 8
#define SIP_MAX_CONTACT 4
#define SIP_MAX_ROUTE 4
/* Bytes given to a message's sofia home up front: its headers come from one block. */
#define SIP_HOME_PRELOAD 8192

/* What a UDP payload (or a line of a TCP stream) looks like, decided by a few byte compares. */
enum sip_payload_kind {
    SIP_PAYLOAD_OTHER = 0,
    SIP_PAYLOAD_REQUEST,               /* "METHOD SP URI SP SIP/2.0" start line */
    SIP_PAYLOAD_RESPONSE,              /* "SIP/2.0 SP 3DIGIT" start line */
    SIP_PAYLOAD_KEEPALIVE_CRLF,        /* exactly "\r\n": RFC 5626 §3.5.1 pong */
    SIP_PAYLOAD_KEEPALIVE_DOUBLE_CRLF, /* exactly "\r\n\r\n": RFC 5626 §3.5.1 ping */
    SIP_PAYLOAD_EMPTY,                 /* 0 bytes */
    SIP_PAYLOAD_SHORT_PING,            /* 1–4 other bytes: vendor pings, "\0\0\0\0" … */
    SIP_PAYLOAD_STUN,                  /* RFC 5389 header with the magic cookie */
};

/* How far a message is usable. A Content-Length disagreement is flagged apart (cl_mismatch). */
enum sip_parse_status {
    SIP_OK = 0,
    SIP_MALFORMED, /* sip_message.reason says why; the fields decoded are kept */
    SIP_NO_MEMORY, /* sofia could not allocate: nothing decoded */
};

/* Request methods sofia-sip knows; SIP_REQ_OTHER keeps its name in method_name. */
enum sip_req {
    SIP_REQ_NONE = 0, /* a response, or no CSeq */
    SIP_REQ_OTHER,
    SIP_REQ_INVITE,
    SIP_REQ_ACK,
    SIP_REQ_CANCEL,
    SIP_REQ_BYE,
    SIP_REQ_OPTIONS,
    SIP_REQ_REGISTER,
    SIP_REQ_INFO,
    SIP_REQ_PRACK,
    SIP_REQ_UPDATE,
    SIP_REQ_MESSAGE,
    SIP_REQ_SUBSCRIBE,
    SIP_REQ_NOTIFY,
    SIP_REQ_REFER,
    SIP_REQ_PUBLISH,
};

/* Which copies did not fit, ORed into sip_message.cut. */
enum sip_cut {
    SIP_CUT_TEXT = 1u << 0,    /* a string was longer than its field */
    SIP_CUT_VIA = 1u << 1,     /* more than SIP_MAX_VIA Via entries */
    SIP_CUT_CONTACT = 1u << 2, /* more than SIP_MAX_CONTACT Contact entries */
    SIP_CUT_ROUTE = 1u << 3,   /* more than SIP_MAX_ROUTE Route or Record-Route entries */
};

/* Via rport (RFC 3581): the three states matter to NAT analysis. */
enum sip_rport {
    SIP_RPORT_ABSENT = 0,
    SIP_RPORT_BARE,    /* ";rport": the client asks for it */
    SIP_RPORT_VALUE,   /* ";rport=40123": filled in by a server */
    SIP_RPORT_INVALID, /* a value that is not a port number */
};

/* Every string below is NUL-terminated; "" means absent. Ports are 0 when absent or invalid. */
struct sip_uri {
    char scheme[8]; /* "sip", "sips", "tel" … */
    char user[SIP_TOKEN_MAX];
    char host[SIP_HOST_MAX];
    uint16_t port;
    char transport[SIP_NAME_MAX]; /* ";transport=" URI parameter */
};

/* From or To (RFC 3261 §20.20, §20.39). */
struct sip_party {
    bool present;
    char display[SIP_TEXT_MAX]; /* as written, quotes kept */
    struct sip_uri uri;
    char tag[SIP_TOKEN_MAX];
};

/* One Via entry (RFC 3261 §20.42, RFC 3581). */
struct sip_hop {
    char protocol[SIP_NAME_MAX];  /* "SIP/2.0/UDP" */
    char transport[SIP_NAME_MAX]; /* "UDP", the part after the last '/' */
    char host[SIP_HOST_MAX];      /* sent-by */
    uint16_t port;
    char received[SIP_TOKEN_MAX];
    enum sip_rport rport_kind;
    uint16_t rport;
    char branch[SIP_BRANCH_MAX];
    char maddr[SIP_TOKEN_MAX];
};

/* One Contact entry (RFC 3261 §20.10). */
struct sip_contact_info {
    bool star; /* "Contact: *" (de-register all) */
    struct sip_uri uri;
    bool has_expires;
    uint32_t expires; /* ";expires=" header parameter */
};

struct sip_hostport {
    char host[SIP_HOST_MAX];
    uint16_t port;
};

/*
 * One SIP message translated out of sofia-sip. Fixed size; nothing points into sofia memory.
 * sdp/sdp_len is a window into the caller's input bytes (datagram) or into the stream's own
 * copy (sip_stream.h), valid as long as those bytes.
 */
struct sip_message {
    enum sip_parse_status status;
    char reason[SIP_REASON_MAX]; /* why SIP_MALFORMED: "bad CSeq", "missing Call-ID" … */
    uint32_t cut;                /* enum sip_cut bits */

    bool is_request;
    enum sip_req method;
    char method_name[SIP_NAME_MAX]; /* as written, for SIP_REQ_OTHER too */
    struct sip_uri ruri;
    char version[SIP_NAME_MAX]; /* "SIP/2.0" */
    uint16_t code;              /* response status code */
    char phrase[SIP_TEXT_MAX];

    char call_id[SIP_TEXT_MAX];
    bool has_cseq;
    uint32_t cseq;
    enum sip_req cseq_method;
    char cseq_method_name[SIP_NAME_MAX];
    struct sip_party from, to;

    bool via_error;     /* a Via header did not parse: via[0] may not be the top one */
    uint8_t via_count;  /* entries stored in via[], topmost first */
    uint16_t via_total; /* entries in the message */
    struct sip_hop via[SIP_MAX_VIA];
    uint8_t contact_count;
    uint16_t contact_total;
    struct sip_contact_info contact[SIP_MAX_CONTACT];
    uint8_t record_route_count;
    struct sip_hostport record_route[SIP_MAX_ROUTE];
    uint8_t route_count;
    struct sip_hostport route[SIP_MAX_ROUTE];

    bool has_expires;
    uint32_t expires;
    bool has_max_forwards;
    uint32_t max_forwards;
    char user_agent[SIP_TEXT_MAX];
    char server[SIP_TEXT_MAX];
    char content_type[SIP_TOKEN_MAX]; /* type/subtype without parameters */

    bool has_content_length;
    uint32_t content_length; /* as declared */
    uint32_t body_len;       /* body bytes actually carried after the blank line */
    bool cl_mismatch;        /* declared != carried: a classic SIP-ALG symptom */
    bool header_end_seen;    /* the blank line ending the header block was found */
    const uint8_t *sdp;      /* the carried body when Content-Type is application/sdp */
    uint32_t sdp_len;
};

/*
 * Say what payload p[0..n) looks like: a keep-alive class, STUN, a SIP start line, or other.
 * Cheap (a few byte compares, the first line scanned at most); never calls sofia; pure.
 */
enum sip_payload_kind sip_classify(const uint8_t *p, size_t n);

/*
 * Parse one whole datagram p[0..n) into out (fully overwritten). Returns out->status.
 * SIP_MALFORMED keeps every field sofia did decode and names the first problem in out->reason.
 * A Content-Length that disagrees with the carried body sets cl_mismatch with both lengths;
 * alone it does not make the message malformed. When the caller's capture was cut (snaplen),
 * cl_mismatch and header_end_seen describe the cut, not the sender. Allocates only inside
 * sofia and frees everything before returning; out->sdp points into p.
 */
enum sip_parse_status sip_parse_datagram(const uint8_t *p, size_t n, struct sip_message *out);

/* Stable names: "INVITE" … ("" for SIP_REQ_NONE, "OTHER"), and "keepalive.crlf" style kinds. */
const char *sip_req_name(enum sip_req m);
const char *sip_payload_kind_name(enum sip_payload_kind k);

/*
 * Adapter-internal, for sip_stream.c only: translate a sofia message (msg_t) on which
 * msg_extract() returned rc into out (fully overwritten): start line, headers, status and
 * reason. Body fields (body_len, sdp, cl_mismatch, header_end_seen) are left for the caller.
 * Copies every string; does not keep msg.
 */
struct msg_s;
void sip_message_from_sofia(struct msg_s *msg, int rc, struct sip_message *out);

#endif
