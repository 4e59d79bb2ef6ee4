/* pool.h — large zeroed arrays that are filled from their start: mapped lazily, with
 * transparent huge pages asked for. */
#ifndef VOIPDIAG_CORE_POOL_H
#define VOIPDIAG_CORE_POOL_H

#include <stddef.h>

/*
 * n × size zeroed bytes, like calloc; *mapped is set to the mapping's size when the block was
 * mapped here (free it with pool_free), 0 when it came from calloc. NULL when memory is short
 * or n × size overflows.
 */
void *pool_calloc(size_t n, size_t size, size_t *mapped);

/* Free a block of pool_calloc (NULL is fine). */
void pool_free(void *p, size_t mapped);

#endif
