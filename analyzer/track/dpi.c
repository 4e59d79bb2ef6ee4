/* dpi.c — nDPI 4.2 adapter (kept in its own translation unit: nDPI headers define bare macros). */
#include "dpi.h"

#include <stdio.h>
#include <string.h>

#include <ndpi/ndpi_api.h>

struct dpi {
    struct ndpi_detection_module_struct *mod;
};

struct dpi *
dpi_new(char *err, size_t errlen)
{
    struct dpi *d = ndpi_calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory creating the nDPI module");
        return NULL;
    }
    d->mod = ndpi_init_detection_module(ndpi_no_prefs);
    if (!d->mod) {
        snprintf(err, errlen, "nDPI could not initialise its detection module");
        ndpi_free(d);
        return NULL;
    }
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(d->mod, &all);
    ndpi_finalize_initialization(d->mod);
    return d;
}

void
dpi_free(struct dpi *d)
{
    if (!d)
        return;
    ndpi_exit_detection_module(d->mod);
    ndpi_free(d);
}

static void
dpi_take_verdict(struct dpi_state *st, ndpi_protocol p, struct ndpi_flow_struct *f)
{
    st->master = p.master_protocol;
    st->app = p.app_protocol;
    if (f->host_server_name[0]) {
        size_t n = strnlen(f->host_server_name, sizeof(f->host_server_name));
        if (n >= sizeof(st->server_name))
            n = sizeof(st->server_name) - 1;
        memcpy(st->server_name, f->host_server_name, n);
        st->server_name[n] = '\0';
    }
}

void
dpi_process(struct dpi *d, struct dpi_state *st, const uint8_t *l3, uint32_t len, int64_t ts_ns)
{
    if (st->done || !l3 || len == 0)
        return;
    if (!st->nflow) {
        st->nflow = ndpi_flow_malloc(SIZEOF_FLOW_STRUCT);
        if (!st->nflow) {
            st->done = true;
            return;
        }
        memset(st->nflow, 0, SIZEOF_FLOW_STRUCT);
    }
    struct ndpi_flow_struct *f = st->nflow;
    /* nDPI takes an unsigned short length: GRO/TSO super-frames are clamped. */
    unsigned short n = len > 65535 ? 65535 : (unsigned short)len;
    ndpi_protocol p = ndpi_detection_process_packet(d->mod, f, l3, n, (u_int64_t)(ts_ns / 1000000));
    st->packets++;
    if (p.app_protocol != NDPI_PROTOCOL_UNKNOWN && !ndpi_extra_dissection_possible(d->mod, f)) {
        dpi_take_verdict(st, p, f);
        ndpi_free_flow(f);
        st->nflow = NULL;
        st->done = true;
    } else if (st->packets >= DPI_MAX_PACKETS) {
        dpi_finish(d, st);
    }
}

void
dpi_finish(struct dpi *d, struct dpi_state *st)
{
    if (st->done)
        return;
    st->done = true;
    struct ndpi_flow_struct *f = st->nflow;
    if (!f)
        return;
    u_int8_t guessed = 0;
    ndpi_protocol p = ndpi_detection_giveup(d->mod, f, 1, &guessed);
    dpi_take_verdict(st, p, f);
    st->guessed = guessed != 0;
    ndpi_free_flow(f);
    st->nflow = NULL;
}

void
dpi_release(struct dpi_state *st)
{
    if (st->nflow)
        ndpi_free_flow(st->nflow);
    st->nflow = NULL;
    st->done = true;
}

const char *
dpi_name(struct dpi *d, const struct dpi_state *st, char *buf, size_t len)
{
    ndpi_protocol p = {st->master, st->app, NDPI_PROTOCOL_CATEGORY_UNSPECIFIED};
    ndpi_protocol2name(d->mod, p, buf, (u_int)len);
    return buf;
}
