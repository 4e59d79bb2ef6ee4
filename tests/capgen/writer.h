/* writer.h — capture files written through libpcap's dumper: pcap at µs or ns precision. */
#ifndef CAPGEN_WRITER_H
#define CAPGEN_WRITER_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* An open capture file. Fields are read-only for callers. */
struct writer {
    pcap_t *pcap;
    pcap_dumper_t *dump;
    FILE *fp;
    char *iobuf; /* the big stdio buffer behind fp */
    bool nano;   /* nanosecond file (magic 0xa1b23c4d) */
    uint32_t snaplen;
    uint64_t frames; /* records written */
    uint64_t bytes;  /* file size so far, headers included */
};

/*
 * Create path (truncating it) as a pcap file of link type dlt (a DLT_ value; libpcap maps it
 * to the LINKTYPE_ stored in the file), nanosecond precision when nano, header snaplen snaplen
 * (frames longer than it are cut). Returns 0, or -1 with a sentence in err; nothing to close
 * then.
 */
int writer_open(struct writer *w, const char *path, int dlt, bool nano, uint32_t snaplen, char *err,
                size_t errlen);

/* Write one frame of len bytes at ts_ns (ns since the epoch, ≥ 0; µs files drop the ns
 * digits), captured length min(len, snaplen). I/O errors surface in writer_close. */
void writer_frame(struct writer *w, int64_t ts_ns, const uint8_t *data, uint32_t len);

/* Write one record with explicit captured and wire lengths (caplen ≤ wirelen, caplen may be
 * 0): for records no real capture would cut that way. */
void writer_record(struct writer *w, int64_t ts_ns, const uint8_t *data, uint32_t caplen,
                   uint32_t wirelen);

/* Flush and close; frees everything. Returns 0, or -1 with a sentence in err (write error). */
int writer_close(struct writer *w, char *err, size_t errlen);

#endif
