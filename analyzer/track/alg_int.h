/* alg_int.h — SIP ALG tracker internals (RFC 3261 §18.2.1, RFC 3581) shared by alg.c and
 * alg_print.c. Not a public API. */
#ifndef VOIPDIAG_ALG_INT_H
#define VOIPDIAG_ALG_INT_H

#include <stddef.h>

#include "../core/table.h"
#include "../result_alg.h"
#include "alg.h"
#include "alg_match.h"

#define ALG_NS 1000000000LL
#define ALG_WINDOW_NS (4 * ALG_NS) /* a copy waits this long for its twin */
#define ALG_EDGE_NS (2 * ALG_NS)   /* one-sided copies this close to a capture's edge: not judged */
#define ALG_PENDING_CAP 2048u
#define ALG_CALL_CAP 4096u
#define ALG_LEARNT_CAP 1024u
#define ALG_MAX_FILES 16
#define ALG_UNMATCHED_MAX 256
#define ALG_PAIR_FINDINGS 64

#define ALG_CALL_SDP 6       /* SDP-carrying copies of one call remembered (their m= address) */
#define ALG_CALL_SDP_PAIRS 4 /* SDP media addresses compared at two points, per call */

/* The first m= line's media address of one SDP-carrying copy. */
struct alg_sdp_copy {
    struct sip_ref at;
    struct ip_addr addr;
    uint16_t port;
};

/*
 * Per-Call-ID facts: did it cross both points, and how did its phone address itself. Only the
 * head (flags and counts) is cleared when a call is created: every other field is written
 * before it is read, as its flag or count says (a call record is about 1 KB, one per Call-ID).
 */
struct alg_call {
    bool crossed;
    bool private_copy; /* a copy from a private source with private Contact/Via */
    bool public_copy;  /* a copy from a public source whose Contact/Via/SDP is that source */
    bool sdp_onepoint; /* c= the NAT's public source address while o= stays private */
    uint8_t n_sdp, n_sdp_pairs;
    /* — end of the head — */
    char call_id[ALG_RES_CALLID_MAX];
    struct sip_ref private_at, public_at;
    struct ip_addr public_ip; /* written as text only when judged (judge_unlearned) */
    char private_addr[48];
    char what[ALG_RES_WHAT_MAX];
    /* media addresses: every SDP copy, the pairs seen at two points, a one-point rewrite */
    struct alg_sdp_copy sdp[ALG_CALL_SDP];
    struct alg_sdp_rewrite sdp_pairs[ALG_CALL_SDP_PAIRS];
    struct alg_sdp_copy onepoint; /* that SDP's c= and m= port */
    char onepoint_o[48];          /* its o= address */
};
#define ALG_CALL_HEAD offsetof(struct alg_call, call_id)

/* A finding of a compared pair, kept until finish (the result is not at hand before). */
struct alg_pair_finding {
    enum finding_code code;
    struct sip_ref first, last;
    char text[320];
};

/*
 * A response to the phone at private ip (the SIP source it answers) echoed that private address
 * in Via received=: a candidate alg.private_received_echoed print (index print) whose confidence
 * is settled at finish, by whether a NAT between phone and server is evidenced.
 */
struct alg_echo {
    uint32_t print;
    struct ip_addr phone;
    char server[64], received[64];
};
#define ALG_ECHO_MAX 64

/* Which sentence a one-point fingerprint's facts are written into (alg_print.c). */
enum alg_fact_rule {
    ALG_FACT_TEXT = 0,   /* written when recorded (end-of-capture rules) */
    ALG_FACT_ECHOED,     /* x server, y phone, s1 received= */
    ALG_FACT_SUSPECTED,  /* x server, y phone, s1 received= */
    ALG_FACT_LENGTH,     /* n1 Content-Length, n2 body bytes, delta */
    ALG_FACT_MIXED_PORT, /* x source, n1 its port, s1 Via host, n2 Via port */
    ALG_FACT_MIXED_VIA,  /* s1 Via host, x source */
    ALG_FACT_MIXED_SDP,  /* s1 o= address, s2 Contact host, x source */
};

/*
 * The binary facts of a one-point fingerprint: deduplicated on these (hash first), written into
 * text only for the fingerprints kept, at the end. Addresses in canonical form (unused bytes 0).
 */
struct alg_fact {
    uint64_t hash;
    uint8_t rule; /* enum alg_fact_rule */
    struct ip_addr x, y;
    uint32_t n1, n2;
    int64_t delta;
    char s1[SIP_HOST_MAX], s2[SIP_HOST_MAX];
};

struct alg_tracker {
    struct alg_matcher mt;
    struct table calls;  /* uint64 Call-ID digest → struct alg_call */
    struct table roles;  /* struct alg_role_key → uint8 role bits */
    struct table learnt; /* struct ip_addr (public) → uint8: a response told the phone */
    struct table nat;    /* struct ip_addr (private phone) → uint8: a NAT is evidenced */
    struct alg_fact facts[ALG_RES_MAX_PRINTS]; /* of res->prints[i] */
    uint64_t fact_hash[ALG_RES_MAX_PRINTS];    /* facts[i].hash, packed for the scan */
    bool written[ALG_RES_MAX_PRINTS];          /* res->prints[i].text written from facts[i] */
    uint32_t n_text_prints;                    /* prints recorded as text (ALG_FACT_TEXT) */
    struct alg_echo echo[ALG_ECHO_MAX];
    uint32_t n_echo;
    struct alg_result *res;
    /* scratch: a matched copy's record, the two views of a pair, and a re-parsed twin */
    struct alg_copy partner;
    struct alg_view view_new, view_old;
    struct sip_message msg;
    struct sdp_summary sdp;
    struct alg_call *got; /* alg_call_get's last answer (NULL: none this message) … */
    uint64_t got_call;    /* … and its Call-ID digest */
    int64_t now_ns;
    bool file_seen[ALG_MAX_FILES];
    int64_t file_first[ALG_MAX_FILES], file_last[ALG_MAX_FILES];
    struct alg_onesided unmatched[ALG_UNMATCHED_MAX];
    uint64_t unmatched_call[ALG_UNMATCHED_MAX]; /* Call-ID digests of unmatched[] */
    uint32_t n_unmatched;
    uint64_t unmatched_over;
    struct alg_pair_finding pf[ALG_PAIR_FINDINGS];
    uint32_t n_pf;
    uint64_t pf_over[FIND__COUNT];
};

/* The call record of Call-ID digest `call` (created when absent; NULL when memory is short). */
struct alg_call *alg_call_get(struct alg_tracker *a, uint64_t call, const char *call_id);

/* Record a fingerprint (deduplicated by code and text, counted); its index in res->prints, or
 * -1 when the list was full. */
int alg_print_add(struct alg_tracker *a, enum finding_code code, enum alg_confidence conf,
                  const struct sip_ref *at, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Write the text of every fingerprint recorded by its facts (idempotent; before reading
 * res->prints[i].text). */
void alg_print_texts(struct alg_tracker *a);

/* The one-point fingerprints of one message (alg_print.c). sdp is NULL without SDP; what is
 * alg_what of m. */
void alg_print_message(struct alg_tracker *a, const struct sip_message *m,
                       const struct sdp_summary *sdp, const struct sip_ref *at,
                       const struct sip_endpoint *src, const struct sip_endpoint *dst,
                       bool unreliable, uint64_t call, const char *what);

/* A NAT is evidenced between the phone at private ip and its servers (alg_print.c, alg.c). */
void alg_nat_mark(struct alg_tracker *a, const struct ip_addr *ip);
bool alg_nat_seen(const struct alg_tracker *a, const struct ip_addr *ip);

/* Settle the echoed-received candidates (alg_print.c): high with NAT evidence, else low. */
void alg_print_settle_echoes(struct alg_tracker *a);

/* The media fingerprint (alg_print.c): an SDP media address rewritten while the RTP of that
 * call flows elsewhere, from the media tracker's finished streams in r. */
void alg_print_media(struct alg_tracker *a, const struct result *r);

/* A response told the phone behind public address ip its mapping (received=, rport=). */
void alg_learnt_mark(struct alg_tracker *a, const struct ip_addr *ip);
bool alg_learnt(const struct alg_tracker *a, const struct ip_addr *ip);

#endif
