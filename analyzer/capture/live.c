/* live.c — live capture: pcap_create, packed ring (100 ms blocks), kernel BPF, idle ticks. */
#include "live.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "../../dissectors/dissect.h"

#define LIVE_SNAPLEN 262144
#define LIVE_BUFFER_BYTES (16 * 1024 * 1024)
#define LIVE_TIMEOUT_MS 1000
#define LIVE_BLOCK_MS 100 /* longest a captured frame waits in the kernel */

static void live_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
live_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Explain a negative pcap_activate status in the words a user can act on. */
static void
live_activate_failed(pcap_t *p, const char *iface, int rc, char *err, size_t errlen)
{
    const char *perr = pcap_geterr(p);

    switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
        live_err(err, errlen,
                 "permission denied on interface '%s': run as root or give voipdiag CAP_NET_RAW",
                 iface);
        break;
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        live_err(err, errlen,
                 "permission denied for promiscuous mode on interface '%s': run without it or "
                 "as root",
                 iface);
        break;
    case PCAP_ERROR_NO_SUCH_DEVICE:
        live_err(err, errlen, "no such interface '%s'", iface);
        break;
    case PCAP_ERROR_IFACE_NOT_UP:
        live_err(err, errlen, "interface '%s' is down", iface);
        break;
    default:
        if (perr != NULL && *perr != '\0')
            live_err(err, errlen, "cannot capture on interface '%s': %s: %s", iface,
                     pcap_statustostr(rc), perr);
        else
            live_err(err, errlen, "cannot capture on interface '%s': %s", iface,
                     pcap_statustostr(rc));
        break;
    }
}

/* Apply the caller's settings before activation; returns a failing pcap_set_* status or 0. */
static int
live_configure(pcap_t *p, const struct source_opts *o, int timeout_ms)
{
    int snaplen = o != NULL && o->snaplen > 0 ? o->snaplen : LIVE_SNAPLEN;
    int buffer = o != NULL && o->buffer_bytes > 0 ? o->buffer_bytes : LIVE_BUFFER_BYTES;
    int rc;

    /*
     * No immediate mode: on Linux it means TPACKET_V2, whose ring has one slot of the full
     * snaplen per frame when the interface has offloads (GRO/TSO — veths, most NICs), so 16 MiB
     * at 256 KiB held 64 frames and a few milliseconds' stall dropped packets at 20 kpps.
     * TPACKET_V3 packs frames into blocks handed over when full or after LIVE_BLOCK_MS: the
     * same memory holds tens of thousands of frames, for at most that much latency.
     */
    if ((rc = pcap_set_snaplen(p, snaplen)) != 0 ||
        (rc = pcap_set_promisc(p, o != NULL && o->promisc)) != 0 ||
        (rc = pcap_set_timeout(p, timeout_ms < LIVE_BLOCK_MS ? timeout_ms : LIVE_BLOCK_MS)) != 0 ||
        (rc = pcap_set_immediate_mode(p, 0)) != 0 || (rc = pcap_set_buffer_size(p, buffer)) != 0)
        return rc;
    /* Not every platform or driver has nanosecond stamps: microseconds then, silently. */
    (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    return 0;
}

/* Compile and install the filter in the kernel. */
static int
live_filter(struct live_input *in, const char *bpf, char *err, size_t errlen)
{
    struct bpf_program prog;
    int rc;

    if (bpf == NULL || *bpf == '\0')
        return 0;
    if (pcap_compile(in->pcap, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) == PCAP_ERROR) {
        live_err(err, errlen, "invalid BPF filter '%s' for interface '%s' (link type %s): %s", bpf,
                 in->info.name, in->info.link_type, pcap_geterr(in->pcap));
        return -1;
    }
    rc = pcap_setfilter(in->pcap, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        live_err(err, errlen, "cannot set BPF filter '%s' on interface '%s': %s", bpf,
                 in->info.name, pcap_geterr(in->pcap));
        return -1;
    }
    return 0;
}

int
live_input_open(struct live_input *in, const char *iface, const struct source_opts *o, char *err,
                size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    const char *name;
    int rc;

    memset(in, 0, sizeof *in);
    in->wake_fd = -1;
    snprintf(in->info.name, sizeof in->info.name, "%s", iface);
    in->timeout_ms = o != NULL && o->timeout_ms > 0 ? o->timeout_ms : LIVE_TIMEOUT_MS;
    in->pcap = pcap_create(iface, perr);
    if (in->pcap == NULL) {
        live_err(err, errlen, "cannot capture on interface '%s': %s", iface, perr);
        return -1;
    }
    rc = live_configure(in->pcap, o, in->timeout_ms);
    if (rc != 0) {
        live_err(err, errlen, "cannot configure interface '%s': %s", iface, pcap_statustostr(rc));
        goto fail;
    }
    rc = pcap_activate(in->pcap);
    if (rc < 0) {
        live_activate_failed(in->pcap, iface, rc, err, errlen);
        goto fail;
    }
    /* rc > 0: a warning (promiscuous mode unsupported, ...); the capture works. */
    in->info.nanosecond = pcap_get_tstamp_precision(in->pcap) == PCAP_TSTAMP_PRECISION_NANO;
    in->ts_scale = in->info.nanosecond ? 1 : 1000;
    in->info.dlt = pcap_datalink(in->pcap);
    name = pcap_datalink_val_to_name(in->info.dlt);
    if (name != NULL)
        snprintf(in->info.link_type, sizeof in->info.link_type, "%s", name);
    else
        snprintf(in->info.link_type, sizeof in->info.link_type, "%d", in->info.dlt);
    if (!dissect_link_supported(in->info.dlt)) {
        live_err(err, errlen, "interface '%s' has link type %s (%d), which voipdiag cannot decode",
                 iface, in->info.link_type, in->info.dlt);
        goto fail;
    }
    if (live_filter(in, o != NULL ? o->bpf : NULL, err, errlen) != 0)
        goto fail;
    if (pcap_setnonblock(in->pcap, 1, perr) != 0) {
        live_err(err, errlen, "cannot capture on interface '%s': %s", iface, perr);
        goto fail;
    }
    in->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (in->wake_fd < 0) {
        live_err(err, errlen, "cannot capture on interface '%s': eventfd: %s", iface,
                 strerror(errno));
        goto fail;
    }
    return 0;

fail:
    live_input_close(in);
    return -1;
}

static int64_t
live_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait until the interface may have a frame (1), the time-out passed or a signal came (0), or
 * live_input_break was called (-1). Honours libpcap's required time-out (an interface that
 * went down must be polled every millisecond).
 */
static int
live_wait(struct live_input *in, int timeout_ms)
{
    const struct timeval *req = pcap_get_required_select_timeout(in->pcap);
    struct pollfd fds[2] = {
        {.fd = pcap_get_selectable_fd(in->pcap), .events = POLLIN},
        {.fd = in->wake_fd, .events = POLLIN},
    };
    int rc;

    if (req != NULL) {
        int64_t req_ms = (int64_t)req->tv_sec * 1000 + req->tv_usec / 1000;

        if (req_ms < timeout_ms)
            timeout_ms = req_ms > 0 ? (int)req_ms : 1;
    }
    rc = poll(fds, 2, timeout_ms);
    if (rc < 0 && errno == EINTR)
        rc = poll(fds, 2, 0); /* the signal's handler may have called live_input_break */
    if (rc <= 0)
        return 0;
    if (fds[1].revents != 0)
        return -1;
    return 1;
}

enum source_status
live_input_next(struct live_input *in, uint16_t index, struct frame *f, char *err, size_t errlen)
{
    int64_t deadline = live_now_ms() + in->timeout_ms;
    struct pcap_pkthdr *h;
    const u_char *d;
    int rc;

    for (;;) {
        int64_t left;

        rc = pcap_next_ex(in->pcap, &h, &d); /* non-blocking: 0 means nothing yet */
        if (rc != 0)
            break;
        left = deadline - live_now_ms();
        if (left <= 0)
            return SOURCE_IDLE;
        switch (live_wait(in, (int)left)) {
        case -1:
            return SOURCE_END;
        case 0:
            return SOURCE_IDLE;
        default:
            continue; /* readable; the frame may still be one libpcap drops */
        }
    }
    if (rc == PCAP_ERROR_BREAK)
        return SOURCE_END;
    if (rc != 1) {
        live_err(err, errlen, "capture on interface '%s' failed: %s", in->info.name,
                 pcap_geterr(in->pcap));
        snprintf(in->info.error, sizeof in->info.error, "capture on interface '%s' failed: %s",
                 in->info.name, pcap_geterr(in->pcap));
        return SOURCE_ERROR;
    }
    in->info.packets++;
    f->data = d;
    f->caplen = h->caplen;
    f->wirelen = h->len;
    f->ts_ns = (int64_t)h->ts.tv_sec * INT64_C(1000000000) + (int64_t)h->ts.tv_usec * in->ts_scale;
    f->dlt = in->info.dlt;
    f->file = index;
    f->number = in->info.packets;
    return SOURCE_FRAME;
}

void
live_input_break(struct live_input *in)
{
    uint64_t one = 1;

    if (in->wake_fd >= 0)
        (void)!write(in->wake_fd, &one, sizeof one);
    if (in->pcap != NULL)
        pcap_breakloop(in->pcap);
}

void
live_input_stats(struct live_input *in, struct source_live_stats *st)
{
    struct pcap_stat ps;

    memset(st, 0, sizeof *st);
    if (in->pcap == NULL || pcap_stats(in->pcap, &ps) != 0)
        return;
    st->valid = true;
    st->received = ps.ps_recv;
    st->dropped = ps.ps_drop;
    st->if_dropped = ps.ps_ifdrop;
}

void
live_input_close(struct live_input *in)
{
    if (in->pcap != NULL)
        pcap_close(in->pcap);
    in->pcap = NULL;
    if (in->wake_fd >= 0)
        (void)close(in->wake_fd);
    in->wake_fd = -1;
}
