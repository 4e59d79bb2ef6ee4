/* dpi.h — nDPI behind one adapter: protocol classification of flows (nDPI 4.2 API). */
#ifndef VOIPDIAG_DPI_H
#define VOIPDIAG_DPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DPI_MAX_PACKETS 24 /* packets fed to nDPI before giving up on a flow */

struct dpi; /* one nDPI detection module: one per thread */

/*
 * Per-flow classification state. The nDPI flow struct (688 bytes) lives only while the flow
 * is being classified; once done it is freed and only the verdict stays.
 */
struct dpi_state {
    void *nflow;          /* struct ndpi_flow_struct *, owned; NULL once done */
    uint16_t master;      /* nDPI master protocol id */
    uint16_t app;         /* nDPI app protocol id */
    uint8_t packets;      /* packets fed so far */
    bool done;
    bool guessed;         /* the verdict came from nDPI's port-based guess at give-up */
    char server_name[64]; /* HTTP Host / TLS SNI / … as nDPI saw it, or "" */
};

/* Create the module; NULL and a sentence in err when nDPI cannot be initialised. */
struct dpi *dpi_new(char *err, size_t errlen);
void dpi_free(struct dpi *d);

/*
 * Feed one packet of the flow, l3 pointing at its IP header (len bytes captured).
 * Does nothing once the flow is classified. ts_ns is packet time.
 */
void dpi_process(struct dpi *d, struct dpi_state *st, const uint8_t *l3, uint32_t len,
                 int64_t ts_ns);

/* End of flow: give up (with nDPI's guess) if still undecided, and free the nDPI flow. */
void dpi_finish(struct dpi *d, struct dpi_state *st);

/* Release without a verdict (table teardown on error paths). */
void dpi_release(struct dpi_state *st);

/* "SIP", "RTP", "TLS.Google", "Unknown" into buf; returns buf. */
const char *dpi_name(struct dpi *d, const struct dpi_state *st, char *buf, size_t len);

#endif
