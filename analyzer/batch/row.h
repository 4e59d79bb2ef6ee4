/* row.h — one capture's line in the batch: what the summary, the index and the exit status use. */
#ifndef VOIPDIAG_BATCH_ROW_H
#define VOIPDIAG_BATCH_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../check/catalog.h"
#include "sha256.h"

/* Per-capture and whole-batch exit statuses (ranked by batch_status_rank). */
enum batch_status {
    BATCH_PASS = 0,     /* analysed; every requirement PASS or NOT_OBSERVED */
    BATCH_INTERNAL = 1, /* the batch itself failed (out dir, index); never a capture's */
    BATCH_USAGE = 2,
    BATCH_UNREADABLE = 3, /* not a capture, unreadable, corrupt header, worker died */
    BATCH_CUT_SHORT = 4,  /* analysed, but the file ended inside a record (and no WARN/FAIL) */
    BATCH_WARN = 5,       /* some requirement WARN, none FAIL */
    BATCH_FAIL = 6,       /* some requirement FAIL */
};

struct batch_finding {
    char name[48];
    char severity[8];
    char requirement[12]; /* "" when none */
    uint64_t first_frame;
    char summary[320];
};

struct batch_row {
    char path[4096]; /* as found by the walk */
    char name[128];  /* safe output base name: <out>/<name>.json */
    char sha256[SHA256_HEX];
    uint64_t size;
    int status;      /* enum batch_status of this capture */
    bool skipped;    /* already in the index: not analysed again */
    char error[512]; /* why it could not be analysed (or was cut short), or "" */
    uint64_t packets, flows, calls, phones, findings_total;
    char first_time[40], last_time[40]; /* ISO 8601 UTC, "" when no packet */
    char verdict[REQ__COUNT][16];       /* PASS, FAIL, WARN, NOT_OBSERVED; "" when unknown */
    char failing[128];                  /* requirements FAIL then WARN: "NAT,RTP(warn)" */
    char top_finding[400];              /* most severe finding: "name: summary", or "" */
    char analysed_at[32];               /* wall clock of the index entry */
    struct batch_finding *findings;     /* owned */
    size_t n_findings;
};

/* How bad a status is, for the worst-of and the sort: higher is worse. */
static inline int
batch_status_rank(int st)
{
    switch (st) {
    case BATCH_INTERNAL:
        return 6;
    case BATCH_UNREADABLE:
        return 5;
    case BATCH_FAIL:
        return 4;
    case BATCH_WARN:
        return 3;
    case BATCH_CUT_SHORT:
        return 2;
    case BATCH_USAGE:
        return 1;
    default:
        return 0;
    }
}

/* "PASS", "FAIL", "WARN", "CUT_SHORT", "UNREADABLE" — the summary's verdict column. */
const char *batch_status_name(int st);

/* Parse a name of batch_status_name back; unknown names give BATCH_UNREADABLE. */
int batch_status_parse(const char *s);

#endif
