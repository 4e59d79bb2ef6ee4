/* html_esc.h — the one escaping path of the HTML report: every string that reaches the page
 * (captured or not) goes through html_esc, in text and in attribute values alike. */
#ifndef VOIPDIAG_HTML_ESC_H
#define VOIPDIAG_HTML_ESC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../result.h"

/*
 * Write s to f with & < > " ' escaped as character references, C0 controls and DEL as
 * U+FFFD, and invalid UTF-8 bytes as U+FFFD, so the result is inert both as element text
 * and inside a quoted attribute value. NULL writes nothing.
 */
void html_esc(FILE *f, const char *s);

/* printf into a bounded buffer (cut at 1023 bytes), then html_esc the result. */
void html_escf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Escaped evidence reference: "118", "lan.pcap#118" with several inputs, or "-". */
void html_ref(FILE *f, const struct result *r, uint64_t frame, uint16_t file);

/* Escaped "192.0.2.1:5060" / "[2001:db8::1]:5060" (port omitted when 0 and !has_port). */
void html_endpoint(FILE *f, const struct ip_addr *a, uint16_t port);

#endif
