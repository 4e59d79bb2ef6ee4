/* source.h — where frames come from: capture files (pcap, pcapng, .gz, stdin) or a live interface. */
#ifndef VOIPDIAG_SOURCE_H
#define VOIPDIAG_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOURCE_ERRBUF 512

/* One frame handed out by source_next; data is borrowed until the next source_next call. */
struct frame {
    const uint8_t *data;
    uint32_t caplen;
    uint32_t wirelen;
    int64_t ts_ns;     /* packet time, ns since the epoch (nanosecond precision kept) */
    int dlt;           /* pcap DLT_ link type of the file/interface it came from */
    uint16_t file;     /* index of the input it came from */
    uint64_t number;   /* 1-based frame number within that input */
};

struct source_opts {
    const char *bpf;      /* BPF filter applied to files and interfaces, or NULL */
    /* live only */
    int snaplen;          /* 0: 262144 */
    int buffer_bytes;     /* 0: 16 MiB */
    bool promisc;
    int timeout_ms;       /* read time-out for the periodic wake-up; 0: 1000 */
};

/* Facts about one input, for the report ("captures" of the JSON contract). */
struct source_input {
    char name[256];        /* file name as given, "-" for stdin, or interface name */
    int dlt;
    char link_type[32];    /* pcap_datalink_val_to_name, e.g. "EN10MB" */
    bool gzip;
    bool nanosecond;       /* timestamps finer than 1 us (ns pcap magic, pcapng if_tsresol > 6) */
    uint64_t packets;      /* frames handed out (after BPF) */
    uint64_t bytes_read;   /* file bytes consumed so far (progress; compressed bytes for gzip) */
    uint64_t bytes_total;  /* file size (compressed for gzip), 0 when unknown (stdin, live) */
    bool truncated;        /* file ended inside a record: what was read is analysed */
    char error[SOURCE_ERRBUF]; /* why reading stopped early, or "" */
};

/* Live capture counters (pcap_stats). */
struct source_live_stats {
    bool valid;
    uint64_t received;
    uint64_t dropped;      /* by the kernel: buffer full */
    uint64_t if_dropped;   /* by the interface / driver */
};

enum source_status {
    SOURCE_FRAME = 1,  /* *f holds a frame */
    SOURCE_END = 0,    /* every input is exhausted (or source_break was called) */
    SOURCE_IDLE = 2,   /* live: the read time-out passed with no frame */
    SOURCE_ERROR = -1, /* a live interface failed; errbuf says why */
};

struct source; /* opaque */

/* Whether src is a live interface (not files). */
bool source_is_live(const struct source *s);

/*
 * Open capture files (pcap or pcapng, optionally gzip-compressed; "-" = stdin) to be read as
 * one timeline merged by timestamp. Returns NULL and one sentence in err when a file is
 * missing, unreadable, not a capture, of an unsupported link type, or the filter is bad.
 */
struct source *source_open_files(const char *const *paths, size_t n, const struct source_opts *o,
                                 char *err, size_t errlen);

/*
 * Open a live interface (pcap_create, frames within 100 ms, nanosecond timestamps). Returns
 * NULL and one sentence in err (permission denied names CAP_NET_RAW; no such device …).
 */
struct source *source_open_live(const char *iface, const struct source_opts *o, char *err,
                                size_t errlen);

/*
 * Next frame in timestamp order across inputs. A file that ends inside a record is marked
 * truncated (source_input) and reading goes on with the other inputs: never an error.
 */
enum source_status source_next(struct source *s, struct frame *f, char *err, size_t errlen);

size_t source_input_count(const struct source *s);
const struct source_input *source_input_get(const struct source *s, size_t i);

/* Live drop counters; valid=false for files. */
void source_live_stats(struct source *s, struct source_live_stats *st);

/* Make source_next return SOURCE_END soon (safe from a signal handler). */
void source_break(struct source *s);

/* The pcap file descriptor of a live source for poll(), or -1. */
int source_fd(const struct source *s);

void source_close(struct source *s);

#endif
