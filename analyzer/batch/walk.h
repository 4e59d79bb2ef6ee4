/* walk.h — from command-line arguments to the sorted list of files a batch looks at. */
#ifndef VOIPDIAG_BATCH_WALK_H
#define VOIPDIAG_BATCH_WALK_H

#include <stddef.h>

enum walk_kind {
    WALK_PCAP,
    WALK_PCAPNG,
    WALK_GZIP,
    WALK_NOT_CAPTURE, /* readable, but no capture magic */
    WALK_UNREADABLE,  /* cannot be opened or read */
};

struct walk_entry {
    char *path;     /* owned */
    char name[128]; /* safe, unique output base name */
    enum walk_kind kind;
    char error[256]; /* for WALK_NOT_CAPTURE / WALK_UNREADABLE */
};

/*
 * Expand paths (files, and directories walked recursively, hidden entries skipped) into a
 * list sorted by path, each file sniffed by content (pcap, pcapng and gzip magic — never by
 * name) and given a safe output name: the base name with every byte outside [A-Za-z0-9._-]
 * replaced by '_', no leading '.', at most 100 bytes, and "-2", "-3" … appended in list
 * order on collisions. Files under skip_dir (the output directory) are left out.
 * Returns 0 with *out (caller frees with walk_free) or -1 with one sentence in err when an
 * argument does not exist or memory ran out.
 */
int walk_paths(char *const *paths, size_t n, const char *skip_dir, struct walk_entry **out,
               size_t *n_out, char *err, size_t errlen);

void walk_free(struct walk_entry *e, size_t n);

/* Make a safe base name from path into out (outlen ≥ 2); exposed for tests. */
void walk_safe_name(const char *path, char *out, size_t outlen);

#endif
