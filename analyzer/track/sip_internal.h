/* sip_internal.h — RFC 3261 tracker internals shared by sip_track.c, sip_txn.c, sip_dialog.c and
 * sip_register.c. Not a public API: only the sip_*.c files of analyzer/track include it. */
#ifndef VOIPDIAG_SIP_INTERNAL_H
#define VOIPDIAG_SIP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../dissectors/sdp.h"
#include "../../dissectors/sip.h"
#include "../../dissectors/sip_stream.h"
#include "../core/table.h"
#include "../result_sip.h"
#include "media.h"

#define SIP_NS 1000000000LL
#define SIP_TXN_TIMEOUT_NS (32 * SIP_NS)  /* 64*T1 (RFC 3261 §17.1.1.2 Timer B/F) */
#define SIP_TXN_RINGING_NS (180 * SIP_NS) /* Timer C (§16.6 step 11): a ringing INVITE */
#define SIP_CALL_ENDED_NS (32 * SIP_NS)   /* after BYE, CANCEL or a final failure */
#define SIP_CALL_SETUP_NS (180 * SIP_NS)  /* INVITE without final answer */
#define SIP_CALL_IDLE_NS (3600 * SIP_NS)  /* confirmed call without BYE */
#define SIP_REG_IDLE_NS (7200 * SIP_NS)   /* no REGISTER of a binding for 2 h */
#define SIP_TXN_CAP 32768u
#define SIP_CALL_CAP 8192u
#define SIP_REG_CAP 4096u
#define SIP_PENDING_MAX 20 /* findings buffered per kind until finish */

/* Profile defaults for the SIP port range (docs/requirements.md, the seed document): the
 * tracker has no profile handle, so it uses the document's values. */
#define SIP_PROFILE_PORT_MIN 5060
#define SIP_PROFILE_PORT_MAX 5080

/* A 128-bit digest of strings: table keys without storing the text. */
struct sip_key {
    uint64_t a, b;
};

/* One message being tracked: the parsed fields and where it travelled. */
struct sip_ctx {
    const struct sip_message *m;
    struct sip_ref at;
    struct sip_endpoint src, dst;
    const uint8_t *raw; /* the datagram m was parsed from; NULL for a message of a stream */
    uint32_t raw_len;
    bool tcp;
    bool retransmission; /* set by sip_txn_message (for a copy: its twin's) */
    bool copy;           /* the twin of a message seen at another capture point (alg.h) */
    struct sip_key cid;  /* digest of the Call-ID: the base of the transaction and call keys */
    /* The transaction and call keys with their table hashes, made by sip_txn_prepare and
     * sip_call_prepare before the ALG work so the entries can be fetched meanwhile: the tables
     * are far bigger than the caches, and a message of a long capture finds its state cold. */
    bool txn_keyed; /* false: no transaction (an ACK, or nothing to key on) */
    struct sip_key txn_k, call_k;
    uint32_t txn_h, call_h;
};

enum sip_owner {
    SIP_OWNER_NONE = 0,
    SIP_OWNER_CALL,
    SIP_OWNER_REG,
};

/* A transaction (RFC 3261 §17): the table value. */
struct sip_txn {
    struct sip_ref first, last;
    struct sip_ref first_resp;
    int64_t last_ns;
    struct sip_endpoint src, dst;
    enum sip_req method;
    char method_name[24];
    uint16_t final_code;
    uint8_t n_codes;
    uint16_t codes[6]; /* response codes seen (for response retransmissions) … */
    uint32_t tags[6];  /* … with a digest of their To tag: forks are not retransmissions */
    uint32_t retransmissions;
    bool in_dialog;
    enum sip_owner owner;
    struct sip_key owner_key;
    char call_id[SIP_RES_CALLID_MAX];
};

/* Keep-alive statistics of one direction of one flow. */
struct sip_ka {
    uint64_t crlf, double_crlf, empty, short_ping, stun;
    uint64_t count;
    struct sip_ref first, last;
    double min_s, max_s, longest_s;
    struct sip_ref gap_from, gap_to;
    float iv[SIP_KA_INTERVALS];
    uint8_t n_iv, pos;
};

struct sip_tracker;
struct sip_flow;

/* What a TCP stream's callback needs: its tracker, flow and direction. */
struct sip_stream_ctx {
    struct sip_tracker *t;
    struct sip_flow *sf;
    uint8_t side;
};

/* Per-flow state (flow.sip) of a flow where SIP or a keep-alive was seen. */
struct sip_flow {
    bool is_sip;
    bool tcp;
    struct sip_endpoint ep[2]; /* by key side */
    struct sip_ka ka[2];
    struct sip_stream *stream[2];
    uint8_t tcp_state[2]; /* chunks looked at without a start line; 0xff: given up */
    struct sip_stream_ctx sctx[2];
    struct sip_ref first_sip;
    /* time and frame of the segment delivering TCP bytes (the flow's last when flushing) */
    struct sip_ref tcp_at;
};

struct sip_pending {
    struct sip_ref first, last;
    char text[200];
};

struct sip_tracker {
    struct media_tracker *media;
    struct sip_result *res;
    struct table txns, calls, regs;
    struct table txn_alt; /* Call-ID + CSeq + method → txns key: responses with a bad Via */
    uint32_t next_call_index;
    int64_t now_ns;         /* latest packet time */
    struct sip_message msg; /* datagram scratch: one, reused */
    struct sdp_summary sdp; /* the SDP of the message being tracked, when sdp_ok */
    bool sdp_ok;
    /* findings kept until finish (the result is not at hand before) */
    uint32_t n_icmp, n_port, n_noresp;
    uint64_t icmp_total, port_total, noresp_total;
    struct sip_pending icmp[SIP_PENDING_MAX], port[SIP_PENDING_MAX], noresp[SIP_PENDING_MAX];
    uint32_t cap_bindings;
    uint32_t cap_calls;
    struct keepalive_tracker *ka; /* NAT keep-alive tracker fed with events, or NULL */
    struct alg_tracker *alg;      /* SIP ALG tracker fed every parsed message, or NULL */
};

/* The digest of n strings (each one's length counts); a fixed seed: keys are never exposed. */
struct sip_key sip_key_of(const char *const *parts, int n);
/* The digest of key followed by n more strings. */
struct sip_key sip_key_more(struct sip_key key, const char *const *parts, int n);

/* "addr:port" ("[v6]:port") of e into buf; returns buf. */
char *sip_endpoint_text(const struct sip_endpoint *e, char *buf, size_t len);

/* Copy src into dst (cap bytes), cut and always NUL-terminated. */
void sip_copy(char *dst, size_t cap, const char *src);

/* Append the len bytes at s to buf (cap bytes, *n used): cut to fit, NUL-terminated, the
 * result snprintf would give (labels are built for every message: no printf). */
static inline void
sip_append_mem(char *buf, size_t cap, size_t *n, const char *s, size_t len)
{
    size_t room = cap - 1 - *n;
    if (len > room)
        len = room;
    memcpy(buf + *n, s, len);
    *n += len;
    buf[*n] = 0;
}

/* Append string s, or at most max bytes of it (snprintf's "%.*s"), as sip_append_mem does. */
static inline void
sip_append_str(char *buf, size_t cap, size_t *n, const char *s)
{
    sip_append_mem(buf, cap, n, s, strlen(s));
}

static inline void
sip_append(char *buf, size_t cap, size_t *n, const char *s, size_t max)
{
    sip_append_mem(buf, cap, n, s, strnlen(s, max));
}

/* Append the decimal text of v to buf as sip_append does. */
static inline void
sip_append_u(char *buf, size_t cap, size_t *n, unsigned v)
{
    char t[12];
    size_t i = sizeof t - 1;
    t[i] = 0;
    do
        t[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    sip_append(buf, cap, n, t + i, sizeof t);
}

/* "user@host[:port]" of a URI, "" when absent. */
void sip_uri_text(const struct sip_uri *u, char *buf, size_t len);

/* Transactions (sip_txn.c). */
int sip_txn_init(struct sip_tracker *t);
/* Key c's transaction (c->cid set) and start fetching its bucket. */
void sip_txn_prepare(struct sip_tracker *t, struct sip_ctx *c);
/* Start fetching the first entry of its chain (after sip_txn_prepare, some work later). */
void sip_txn_prefetch(const struct sip_tracker *t, const struct sip_ctx *c);
/* Account c's message (sip_txn_prepare'd) to its transaction; sets c->retransmission. Returns
 * the transaction (valid
 * until the next table change) or NULL (ACK to a 2xx, or no usable key). */
struct sip_txn *sip_txn_message(struct sip_tracker *t, struct sip_ctx *c);
/* Close transactions idle past their timer at packet time now (all of them when now < 0). */
void sip_txn_expire(struct sip_tracker *t, int64_t now_ns, bool all);

/* Calls (sip_dialog.c). */
int sip_call_init(struct sip_tracker *t);
/* As sip_txn_prepare and sip_txn_prefetch, for the call of c's Call-ID. */
void sip_call_prepare(struct sip_tracker *t, struct sip_ctx *c);
void sip_call_prefetch(const struct sip_tracker *t, const struct sip_ctx *c);
void sip_call_message(struct sip_tracker *t, struct sip_ctx *c, struct sip_txn *x);
void sip_call_txn_closed(struct sip_tracker *t, const struct sip_txn *x);
void sip_call_expire(struct sip_tracker *t, int64_t now_ns, bool all);
/* The owner key of the call of c's Call-ID. */
struct sip_key sip_call_key(const struct sip_ctx *c);

/* Registrations (sip_register.c). */
int sip_reg_init(struct sip_tracker *t);
void sip_reg_message(struct sip_tracker *t, struct sip_ctx *c, struct sip_txn *x);
void sip_reg_txn_closed(struct sip_tracker *t, const struct sip_txn *x);
void sip_reg_expire(struct sip_tracker *t, int64_t now_ns, bool all);
/* Registrations (sip_register.c, sip_finish.c): failed by the end's rule; stream settled ones. */
struct result;
bool sip_reg_failed(const struct sip_registration *g);
void sip_reg_settle(struct sip_tracker *t, struct result *r, int64_t now_ns);
bool sip_reg_stream_failure(struct result *r, const struct sip_registration *g);

/* Buffer a pending finding in list/n (total counts all). */
void sip_pending_add(struct sip_pending *list, uint32_t *n, uint64_t *total,
                     const struct sip_ref *first, const struct sip_ref *last, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
