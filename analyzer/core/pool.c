/*
 * pool.c — see pool.h.
 *
 * The trackers' pools (flow and stream tables, the ALG copy store) are reserved for their
 * caps and touched from the front as they fill. With 4 KiB pages every new page is a fault,
 * and a fault is dear (about 11 µs in the VM the benchmarks run in, where the RTP benchmark
 * took 9 000 of them): blocks of at least POOL_HUGE_MIN are mapped here with
 * MADV_HUGEPAGE, so a pool grows 2 MiB per fault. Untouched parts still cost nothing; the
 * cost is at most one partly used 2 MiB page per pool. Where the kernel refuses the advice
 * the block is an ordinary lazy mapping.
 */
#include "pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define POOL_HUGE_MIN (4u << 20)

void *
pool_calloc(size_t n, size_t size, size_t *mapped)
{
    *mapped = 0;
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
#ifdef MADV_HUGEPAGE
    if (bytes >= POOL_HUGE_MIN) {
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            (void)madvise(p, bytes, MADV_HUGEPAGE); /* advice: refused means 4 KiB pages */
            *mapped = bytes;
            return p;
        }
    }
#endif
    return calloc(n ? n : 1, size ? size : 1);
}

void
pool_free(void *p, size_t mapped)
{
    if (p && mapped)
        (void)munmap(p, mapped);
    else
        free(p);
}
