/* walk.c — expand directories, sniff capture magic, derive safe and unique output names. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct list {
    struct walk_entry *e;
    size_t n, cap;
};

static int
list_push(struct list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        struct walk_entry *p = realloc(l->e, ncap * sizeof(*p));
        if (!p)
            return -1;
        l->e = p;
        l->cap = ncap;
    }
    struct walk_entry *w = &l->e[l->n];
    memset(w, 0, sizeof(*w));
    w->path = strdup(path);
    if (!w->path)
        return -1;
    l->n++;
    return 0;
}

/* Whether path lies inside dir (both resolved); dir may be NULL. */
static int
under(const char *path, const char *dir)
{
    if (!dir)
        return 0;
    char rp[PATH_MAX];
    if (!realpath(path, rp))
        return 0;
    size_t n = strlen(dir);
    return strncmp(rp, dir, n) == 0 && (rp[n] == '/' || rp[n] == 0);
}

static int
walk_dir(struct list *l, const char *dir, const char *skip, int depth, char *err, size_t errlen)
{
    if (depth > 32)
        return 0; /* symlink loops end here */
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "cannot read directory '%s': %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char p[PATH_MAX];
        if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= (int)sizeof(p))
            continue;
        struct stat st;
        if (stat(p, &st) != 0) {
            if (list_push(l, p)) /* dangling link: reported as unreadable */
                rc = -1;
            continue;
        }
        if (under(p, skip))
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (walk_dir(l, p, skip, depth + 1, err, errlen)) {
                rc = -1;
                break;
            }
        } else if (S_ISREG(st.st_mode) && list_push(l, p)) {
            snprintf(err, errlen, "out of memory listing '%s'", dir);
            rc = -1;
            break;
        }
    }
    closedir(d);
    return rc;
}

static void
sniff(struct walk_entry *w)
{
    FILE *f = fopen(w->path, "rb");
    if (!f) {
        w->kind = WALK_UNREADABLE;
        snprintf(w->error, sizeof(w->error), "cannot open '%s': %s", w->path, strerror(errno));
        return;
    }
    uint8_t m[4] = {0};
    size_t n = fread(m, 1, 4, f);
    int bad = ferror(f);
    fclose(f);
    uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    if (bad) {
        w->kind = WALK_UNREADABLE;
        snprintf(w->error, sizeof(w->error), "cannot read '%s'", w->path);
    } else if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        w->kind = WALK_GZIP;
    } else if (n == 4 && be == 0x0a0d0d0a) {
        w->kind = WALK_PCAPNG;
    } else if (n == 4 &&
               (be == 0xa1b2c3d4 || be == 0xd4c3b2a1 || be == 0xa1b23c4d || be == 0x4d3cb2a1)) {
        w->kind = WALK_PCAP;
    } else {
        w->kind = WALK_NOT_CAPTURE;
        snprintf(w->error, sizeof(w->error),
                 "'%s' is not a capture (no pcap, pcapng or gzip magic)", w->path);
    }
}

void
walk_safe_name(const char *path, char *out, size_t outlen)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t cap = outlen - 1 < 100 ? outlen - 1 : 100, j = 0;
    for (size_t i = 0; base[i] && j < cap; i++) {
        unsigned char c = (unsigned char)base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        out[j++] = ok ? (char)c : '_';
    }
    out[j] = 0;
    if (j == 0 || out[0] == '.') { /* "", ".", ".." and hidden names */
        if (j == 0)
            snprintf(out, outlen, "capture");
        else
            out[0] = '_';
    }
}

static int
entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct walk_entry *)a)->path, ((const struct walk_entry *)b)->path);
}

/* Give every entry a unique name, first come first served in sorted order. O(n²) in names
 * sharing a base, which is fine for the thousands of files a batch holds. */
static void
unique_names(struct walk_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char base[128];
        walk_safe_name(e[i].path, base, sizeof(base));
        snprintf(e[i].name, sizeof(e[i].name), "%s", base);
        for (unsigned k = 2;; k++) {
            size_t j = 0;
            while (j < i && strcmp(e[j].name, e[i].name) != 0)
                j++;
            if (j == i)
                break;
            snprintf(e[i].name, sizeof(e[i].name), "%.100s-%u", base, k);
        }
    }
}

int
walk_paths(char *const *paths, size_t n, const char *skip_dir, struct walk_entry **out,
           size_t *n_out, char *err, size_t errlen)
{
    struct list l = {0};
    char skip[PATH_MAX];
    const char *skipr = skip_dir && realpath(skip_dir, skip) ? skip : NULL;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            snprintf(err, errlen, "cannot open '%s': %s", paths[i], strerror(errno));
            goto fail;
        }
        if (S_ISDIR(st.st_mode)) {
            if (walk_dir(&l, paths[i], skipr, 0, err, errlen))
                goto fail;
        } else if (list_push(&l, paths[i])) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
    }
    if (l.n)
        qsort(l.e, l.n, sizeof(*l.e), entry_cmp);
    /* The same file named twice (a directory and a file in it) is analysed once. */
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (k && strcmp(l.e[k - 1].path, l.e[i].path) == 0) {
            free(l.e[i].path);
            continue;
        }
        l.e[k++] = l.e[i];
    }
    l.n = k;
    for (size_t i = 0; i < l.n; i++)
        sniff(&l.e[i]);
    unique_names(l.e, l.n);
    *out = l.e;
    *n_out = l.n;
    return 0;
fail:
    walk_free(l.e, l.n);
    return -1;
}

void
walk_free(struct walk_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].path);
    free(e);
}
