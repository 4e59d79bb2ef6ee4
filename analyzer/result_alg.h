/* result_alg.h — the SIP ALG part of a result (RFC 3261 §18.2.1, RFC 3581): two-point diffs,
 * one-sided messages and one-point fingerprints (report input). */
#ifndef VOIPDIAG_RESULT_ALG_H
#define VOIPDIAG_RESULT_ALG_H

#include <stdbool.h>
#include <stdint.h>

#include "check/catalog.h"
#include "result_sip.h"

#define ALG_RES_MAX_DIFFS 256   /* field diffs listed; the rest are counted */
#define ALG_RES_MAX_ONESIDED 64 /* one-sided messages listed */
#define ALG_RES_MAX_PRINTS 64   /* distinct fingerprints listed */
#define ALG_RES_FIELD_MAX 40
#define ALG_RES_VALUE_MAX 112
#define ALG_RES_WHAT_MAX 40
#define ALG_RES_CALLID_MAX 80
#define ALG_RES_TEXT_MAX 320

enum alg_confidence {
    ALG_CONF_LOW = 0,
    ALG_CONF_MEDIUM,
    ALG_CONF_HIGH,
};

/* One field of one message that changed between the two capture points. */
struct alg_diff {
    char field[ALG_RES_FIELD_MAX];  /* "Via[1] sent-by", "Contact[1]", "SDP c=" … */
    char before[ALG_RES_VALUE_MAX]; /* "" = absent */
    char after[ALG_RES_VALUE_MAX];
    bool sdp;                           /* inside the SDP body */
    struct sip_ref before_at, after_at; /* the copy upstream, the copy downstream */
    char what[ALG_RES_WHAT_MAX];        /* "INVITE", "200 (REGISTER)" */
    char call_id[ALG_RES_CALLID_MAX];
};

/* A message seen at one capture point only, while its dialog crossed both. */
struct alg_onesided {
    struct sip_ref at;
    bool generated; /* seen only downstream; false: swallowed (only upstream) */
    struct sip_endpoint src, dst;
    char what[ALG_RES_WHAT_MAX];
    char call_id[ALG_RES_CALLID_MAX];
};

/* A one-point fingerprint: distinct (code, explanation) pairs, counted. */
struct alg_print {
    enum finding_code code;
    enum alg_confidence confidence;
    struct sip_ref first, last;
    uint64_t count;
    char what[ALG_RES_WHAT_MAX];
    char text[ALG_RES_TEXT_MAX]; /* what was seen and why it implicates an ALG */
};

struct alg_result {
    uint64_t messages;          /* SIP messages looked at */
    uint64_t pairs;             /* messages matched at two capture points */
    uint64_t pairs_rewritten;   /* … of which some SIP/SDP text changed */
    uint64_t diffs_total;       /* field changes (diffs[] holds the first ones) */
    uint64_t body_changed;      /* body length changed without Content-Length following */
    uint64_t onesided_total;    /* swallowed + generated */
    uint64_t unmatched_edge;    /* unmatched near a capture's start/end: not judged */
    uint64_t unmatched_local;   /* unmatched, dialog never crossed both points: not judged */
    uint64_t unmatched_unknown; /* unmatched, direction unknown: not judged */
    uint64_t pending_expired;   /* pending copies expired on packet time */
    uint64_t pending_evicted;   /* pending copies pushed out by the bound */
    uint64_t onesided_unlisted;
    uint64_t prints_unlisted;
    struct alg_diff diffs[ALG_RES_MAX_DIFFS];
    uint32_t n_diffs;
    struct alg_onesided onesided[ALG_RES_MAX_ONESIDED];
    uint32_t n_onesided;
    struct alg_print prints[ALG_RES_MAX_PRINTS];
    uint32_t n_prints;
};

/* "low" / "medium" / "high". */
const char *alg_confidence_name(enum alg_confidence c);

/* Free an ALG result (NULL is fine). */
void alg_result_free(struct alg_result *a);

#endif
