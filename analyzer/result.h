/* result.h — what an analysis found: the immutable input of every report writer. */
#ifndef VOIPDIAG_RESULT_H
#define VOIPDIAG_RESULT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../dissectors/packet.h"
#include "capture/source.h"
#include "result_alg.h"
#include "result_keepalive.h"
#include "result_media.h"
#include "result_sip.h"
#include "check/catalog.h"
#include "track/flow.h"
#include "track/ipfrag.h"

#define RESULT_EVIDENCE_PER_CODE 20 /* findings kept per code; the rest are counted */
#define RESULT_STREAMED_MAX 4096    /* findings streamed early awaiting their end-of-run twin */

/* Where a piece of evidence is: a frame of an input, at packet time. */
struct evidence_ref {
    uint64_t frame; /* 1-based within its file, 0 = none */
    uint16_t file;
    int64_t ts_ns;
};

struct finding {
    enum finding_code code;
    struct evidence_ref first, last;
    double measured;            /* e.g. 41.2 (s) — NAN when not applicable */
    double limit;
    uint64_t count;             /* how many occurrences the finding sums up */
    char summary[320];          /* one sentence, every figure traceable to frames */
    bool from_absence;          /* rests only on traffic not seen: catalog_from_absence(code)
                                   unless the finder cleared it (it also holds a RST, an ICMP
                                   error or a response that proves the failure) */
    enum confidence confidence; /* CONF_HIGH unless lowered by result_finish */
    char confidence_note[160];  /* why it was lowered, or "" */
};

enum verdict {
    VERDICT_NOT_OBSERVED = 0,
    VERDICT_PASS,
    VERDICT_WARN,
    VERDICT_FAIL,
};

struct requirement_row {
    enum requirement_id id;
    enum verdict verdict;
    bool checked;               /* some analysis in this version evaluates this requirement */
    bool observed;              /* traffic the requirement is about was seen */
    char evidence[320];
    const char *remedy;         /* what to change on the firewall, for FAIL/WARN; static */
};

/* A finished flow, initiator first (the SYN sender, or the first sender). */
struct flow_record {
    uint32_t id;
    uint8_t ip_version;
    uint8_t proto;
    struct ip_addr src, dst;
    uint16_t sport, dport;
    uint64_t packets_fwd, packets_rev;
    uint64_t bytes_fwd, bytes_rev;
    struct evidence_ref first, last;
    enum flow_end end;
    /* TCP */
    enum flow_tcp_state tcp_state;
    bool tcp_was_established;
    bool reset_by_initiator;
    uint16_t syn_count, synack_count;
    uint64_t tcp_retransmissions, tcp_out_of_order, tcp_gaps, tcp_acked_unseen;
    /* ICMP errors quoting this flow */
    uint32_t icmp_errors;
    uint8_t icmp_type, icmp_code;
    struct ip_addr icmp_from;
    struct evidence_ref icmp_first;
    /* nDPI */
    char app[48];
    bool app_guessed;
    char server_name[64];
};

struct anomaly_count {
    uint64_t count;
    struct evidence_ref first;
};

struct result {
    struct source_input *inputs;    /* owned copy */
    size_t n_inputs;
    struct source_live_stats live;

    uint64_t packets;               /* frames read, all inputs */
    uint64_t bytes;                 /* captured bytes */
    int64_t first_ns, last_ns;
    uint64_t non_ip;                /* frames without IP (ARP, LLDP …) */
    uint64_t snaplen_cut;           /* frames with caplen < wirelen */
    struct evidence_ref first_cut;
    struct anomaly_count anomalies[ANOM__COUNT];

    struct ipfrag_stats frag;
    struct tcp_stream_stats tcp;    /* summed over all directions */
    uint64_t tcp_acked_unseen;
    struct evidence_ref first_unseen_tcp;
    struct flow_stats flow_stats;

    struct flow_record *flows;      /* sorted by first packet by result_finish */
    size_t n_flows, cap_flows;
    size_t max_flow_records;
    uint64_t flows_unlisted;        /* finished flows beyond max_flow_records */

    struct finding *findings;       /* sorted by (first frame, code) by result_finish */
    size_t n_findings, cap_findings;
    uint32_t per_code[FIND__COUNT];
    uint64_t suppressed[FIND__COUNT]; /* beyond RESULT_EVIDENCE_PER_CODE */

    struct requirement_row requirements[REQ__COUNT];

    struct sip_result *sip;         /* owned; NULL when no SIP analysis ran */
    struct media_result *media;     /* owned; NULL when no media analysis ran */
    struct keepalive_result *keepalive; /* owned; NULL when no keep-alive analysis ran */
    struct alg_result *alg;         /* owned; NULL when no SIP ALG analysis ran */

    /*
     * Optional observer (live): sees every finding once — a stored one when its finder is done
     * with it (at the next result_add_finding, result_stream_finding or result_finish), or one
     * streamed early by result_stream_finding, whose stored twin is then not shown again.
     */
    void (*on_finding)(void *ctx, const struct finding *f);
    void *on_finding_ctx;
    size_t notified;                /* findings[0..notified) were handed to on_finding */
    struct result_streamed {        /* keys of findings streamed early, not yet stored */
        int64_t ts_ns;
        uint64_t frame;
        uint32_t summary_hash;      /* only when frame is 0 (no evidence frame to tell apart) */
        uint16_t file;
        uint16_t code;
    } *streamed;
    size_t n_streamed;
    uint64_t streamed_total;        /* findings streamed early over the run */
    int64_t settle_next_ns;         /* packet time of the next settle look (check/settle.h) */
};

/* Empty result keeping at most max_flow_records flow records. */
void result_init(struct result *r, size_t max_flow_records);
void result_free(struct result *r);

/* Copy the inputs' facts of src (names, link types, counts, truncation). 0, or -1 (memory). */
int result_set_inputs(struct result *r, const struct source *src);

/*
 * Add a finding (summary printf-style). Beyond RESULT_EVIDENCE_PER_CODE of one code the
 * finding is only counted in suppressed[]. Returns the stored finding or NULL.
 */
struct finding *result_add_finding(struct result *r, enum finding_code code,
                                   const struct evidence_ref *first,
                                   const struct evidence_ref *last, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* result_add_finding with a va_list. */
struct finding *result_add_findingv(struct result *r, enum finding_code code,
                                    const struct evidence_ref *first,
                                    const struct evidence_ref *last, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/*
 * Fill *f as result_add_finding would store it (defaults, summary from fmt), without storing
 * it: the form a finder hands to result_stream_finding.
 */
void result_finding_set(struct finding *f, enum finding_code code, const struct evidence_ref *first,
                        const struct evidence_ref *last, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void result_finding_setv(struct finding *f, enum finding_code code,
                         const struct evidence_ref *first, const struct evidence_ref *last,
                         const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Whether anyone watches findings as they come (live): early streaming is worth its cost. */
static inline bool
result_streaming(const struct result *r)
{
    return r->on_finding != NULL;
}

/*
 * A finding that became certain during the run (packet time), shown to the observer now
 * instead of at the end; not stored: the finder's end-of-run pass still adds it as always, and
 * that stored twin — the same code and first evidence (and summary, when it has no frame) — is
 * then not shown again, so the report is what it would have been and nothing is shown twice.
 * Returns false (nothing shown: the end will show it) without an observer or when
 * RESULT_STREAMED_MAX keys await their twins.
 */
bool result_stream_finding(struct result *r, const struct finding *f);

/* Append a flow record (copied); beyond the cap it is only counted. */
void result_add_flow(struct result *r, const struct flow_record *rec);

/*
 * Whether the capture itself lost packets: live kernel/interface drops in live (may be NULL),
 * or data TCP acknowledged that r never saw. When it did, and note is not NULL, the sentence
 * findings carry then ("the capture dropped N packets; absence of traffic is less certain").
 */
bool result_capture_loss(const struct result *r, const struct source_live_stats *live,
                         char *note, size_t len);

/*
 * Finish r for the reports, once, after every analysis: when the capture lost packets, lower
 * by one level the confidence of each finding whose evidence is an absence of traffic
 * (from_absence) and give it the note; then sort flows and findings into report order. The
 * observer sees the findings not yet shown first.
 */
void result_finish(struct result *r);

const char *verdict_name(enum verdict v);

#endif
