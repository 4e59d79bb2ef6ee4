/* text.h — the human-readable report: verdicts first, then findings, captures, flows, decoding. */
#ifndef VOIPDIAG_REPORT_TEXT_H
#define VOIPDIAG_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../result.h"

struct text_opts {
    bool color;        /* ANSI colours (only on a terminal, never with NO_COLOR) */
    bool quiet;        /* verdict lines only */
    size_t max_flows;  /* flow lines printed; the rest are counted */
    bool ladder;       /* print each call's SIP ladder */
};

/* Write r as text to out. Returns 0, or -1 with a sentence in err when the write failed. */
int report_text_write(const struct result *r, const struct text_opts *o, FILE *out, char *err,
                      size_t errlen);

#endif
