/* writer.c — pcap files (LINKTYPE_ header, µs magic 0xa1b2c3d4 / ns magic 0xa1b23c4d) written
 * with pcap_dump through a large stdio buffer. */
#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_IOBUF (4u << 20) /* 4 MiB: the benchmark file is written at disk speed */

int
writer_open(struct writer *w, const char *path, int dlt, bool nano, uint32_t snaplen, char *err,
            size_t errlen)
{
    memset(w, 0, sizeof *w);
    w->nano = nano;
    w->snaplen = snaplen;
    w->pcap = pcap_open_dead_with_tstamp_precision(
        dlt, (int)snaplen, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    if (!w->pcap) {
        snprintf(err, errlen, "cannot set up link type %d", dlt);
        return -1;
    }
    w->fp = fopen(path, "wb");
    if (!w->fp) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        goto fail_pcap;
    }
    w->iobuf = malloc(WRITER_IOBUF);
    if (!w->iobuf || setvbuf(w->fp, w->iobuf, _IOFBF, WRITER_IOBUF) != 0) {
        snprintf(err, errlen, "cannot buffer %s", path);
        goto fail_file;
    }
    w->dump = pcap_dump_fopen(w->pcap, w->fp); /* writes the 24-byte file header */
    if (!w->dump) {
        snprintf(err, errlen, "cannot write %s: %s", path, pcap_geterr(w->pcap));
        goto fail_file;
    }
    w->bytes = 24;
    return 0;
fail_file:
    fclose(w->fp);
    free(w->iobuf);
fail_pcap:
    pcap_close(w->pcap);
    memset(w, 0, sizeof *w);
    return -1;
}

void
writer_record(struct writer *w, int64_t ts_ns, const uint8_t *data, uint32_t caplen,
              uint32_t wirelen)
{
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)(ts_ns / 1000000000);
    h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000 / (w->nano ? 1 : 1000));
    h.caplen = caplen;
    h.len = wirelen;
    pcap_dump((u_char *)w->dump, &h, data);
    w->frames++;
    w->bytes += 16u + caplen;
}

void
writer_frame(struct writer *w, int64_t ts_ns, const uint8_t *data, uint32_t len)
{
    writer_record(w, ts_ns, data, len < w->snaplen ? len : w->snaplen, len);
}

int
writer_close(struct writer *w, char *err, size_t errlen)
{
    int rc = 0;
    if (pcap_dump_flush(w->dump) != 0 || ferror(w->fp)) {
        snprintf(err, errlen, "write error: %s", strerror(errno));
        rc = -1;
    }
    pcap_dump_close(w->dump); /* fcloses fp */
    pcap_close(w->pcap);
    free(w->iobuf);
    memset(w, 0, sizeof *w);
    return rc;
}
