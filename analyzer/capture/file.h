/* file.h — one capture file (pcap, pcapng, gzip, stdin) read frame by frame for the merge. */
#ifndef VOIPDIAG_CAPTURE_FILE_H
#define VOIPDIAG_CAPTURE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "source.h"

struct gz_stream;

/* One open capture file and the frame it holds for the merge. */
struct file_input {
    char *iobuf;             /* stdio buffer of a plain file (owned; freed after pcap_close) */
    struct source_input info; /* facts for the report, kept current */
    pcap_t *pcap;
    struct gz_stream *gz;          /* counters of the wrapping FILE, NULL for a plain file */
    struct bpf_program prog;       /* the BPF filter, run here so frame numbers stay real */
    bool filtered;                 /* prog holds a compiled filter */
    bool eof;                      /* nothing more will be read */
    bool pending;                  /* hdr, data, ts_ns and number describe the next frame */
    const struct pcap_pkthdr *hdr; /* valid until the next pcap_next_ex on this pcap */
    const uint8_t *data;
    int64_t ts_ns;
    uint64_t number; /* of the pending frame, counted before the filter */
    uint64_t raw;    /* frames read from the file so far, filtered out or not */
};

/*
 * Open path ("-" = standard input) into a zeroed *in: plain or gzip-compressed pcap or pcapng,
 * nanosecond timestamps kept, bpf (or NULL) compiled for its link type. Returns 0, or -1 with
 * one sentence in err (missing, unreadable, empty, not a capture, link type voipdiag cannot
 * decode, bad filter) and *in left closed.
 */
int file_input_open(struct file_input *in, const char *path, const char *bpf, char *err,
                    size_t errlen);

/*
 * Make in->pending describe the next frame that passes the filter, unless the file is
 * exhausted (in->eof). A cut file or read error ends the file with in->info.truncated /
 * in->info.error set; it is never reported otherwise. Invalidates the previous frame's data.
 */
void file_input_fill(struct file_input *in);

/* Release everything file_input_open acquired; safe on a closed or zeroed input. */
void file_input_close(struct file_input *in);

#endif
