/* table.c — hash index + fixed pool + LRU list (see table.h). */
#include "table.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

static uint32_t
round_pow2(uint32_t n)
{
    uint32_t p = 16;
    while (p < n && p < (1u << 30))
        p <<= 1;
    return p;
}

static inline uint64_t
mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    return x;
}

/* 64×64→128 multiply folded to 64 bits: the keyed mixing step of wyhash. */
static inline uint64_t
mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
load64(const uint8_t *p, size_t n)
{
    uint64_t w = 0;
    memcpy(&w, p, n < 8 ? n : 8);
    return w;
}

int
table_init(struct table *t, uint32_t capacity, size_t key_size, size_t value_size, uint64_t seed)
{
    memset(t, 0, sizeof(*t));
    if (capacity == 0 || capacity == TABLE_NONE || key_size == 0)
        return -1;
    /* The index starts small and doubles with the live count (see grow_index): a sparse
     * index sized for the capacity would miss the cache on every lookup. */
    uint32_t nb = round_pow2(capacity < 1024 ? capacity + capacity / 2 : 1024);
    size_t value_off = (sizeof(struct table_meta) + key_size + 7) & ~(size_t)7;
    size_t stride = (value_off + value_size + 7) & ~(size_t)7;
    if (stride > 64) /* whole cache lines: an entry's first line holds meta, key and hot fields */
        stride = (stride + 63) & ~(size_t)63;
    t->buckets = malloc(sizeof(uint32_t) * nb);
    /* Zero pages mapped lazily, 2 MiB at a time for big pools: untouched slots cost nothing. */
    t->entries = pool_calloc(capacity, stride, &t->entries_mapped);
    if (!t->buckets || !t->entries) {
        table_free(t);
        return -1;
    }
    memset(t->buckets, 0xff, sizeof(uint32_t) * nb);
    t->capacity = capacity;
    t->mask = nb - 1;
    t->stride = stride;
    t->key_size = key_size;
    t->value_size = value_size;
    t->value_off = value_off;
    t->lru_head = t->lru_tail = TABLE_NONE;
    /* The free list is implicit past free_next: slots are taken in order, then recycled. */
    t->free_head = TABLE_NONE;
    t->free_next = 0;
    t->seed = seed;
    for (int i = 0; i < 4; i++)
        t->secret[i] = mix64(seed + 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1)) | 1;
    return 0;
}

void
table_free(struct table *t)
{
    free(t->buckets);
    pool_free(t->entries, t->entries_mapped);
    memset(t, 0, sizeof(*t));
}

uint32_t
table_hash(const struct table *t, const void *key)
{
    /*
     * Keyed 128-bit multiplies (wyhash's mixing step) over 16-byte chunks, the chunks mixed
     * independently so the multiplies overlap, then folded once: a 40-byte flow key costs
     * four multiplies, and without the per-table secrets nobody can choose colliding keys.
     */
    const uint8_t *p = key;
    size_t n = t->key_size;
    if (n == 40) {
        /* The flow key: the same mixing with the loop unrolled for a fixed size. */
        uint64_t k2 = t->secret[1] + 0x9e3779b97f4a7c15ull, k3 = k2 + 0x9e3779b97f4a7c15ull;
        uint64_t h = (t->secret[0] ^ 40) ^ mum(load64(p, 8) ^ t->secret[1],
                                              load64(p + 8, 8) ^ t->secret[2]) ^
                     mum(load64(p + 16, 8) ^ k2, load64(p + 24, 8) ^ t->secret[2]) ^
                     mum(load64(p + 32, 8) ^ k3, t->secret[3]);
        h = mum(h ^ t->secret[1], t->secret[2]);
        return (uint32_t)(h ^ (h >> 32));
    }
    uint64_t h = t->secret[0] ^ n;
    uint64_t k = t->secret[1];
    while (n > 16) {
        h ^= mum(load64(p, 8) ^ k, load64(p + 8, 8) ^ t->secret[2]);
        k += 0x9e3779b97f4a7c15ull;
        p += 16;
        n -= 16;
    }
    uint64_t a = load64(p, n), b = n > 8 ? load64(p + 8, n - 8) : 0;
    h ^= mum(a ^ k, b ^ t->secret[3]);
    h = mum(h ^ t->secret[1], t->secret[2]);
    return (uint32_t)(h ^ (h >> 32));
}

/* Key equality; 8-byte words when the size allows (the flow key is 40 bytes). */
static inline bool
key_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (n % 8)
        return memcmp(a, b, n) == 0;
    uint64_t diff = 0;
    for (size_t i = 0; i < n; i += 8)
        diff |= load64(a + i, 8) ^ load64(b + i, 8);
    return diff == 0;
}

uint32_t
table_find(const struct table *t, const void *key, uint32_t hash)
{
    if (!t->capacity)
        return TABLE_NONE;
    for (uint32_t s = t->buckets[hash & t->mask]; s != TABLE_NONE;) {
        const struct table_meta *m = table_meta(t, s);
        if (m->hash == hash && key_equal(table_key(t, s), key, t->key_size))
            return s;
        s = m->next;
    }
    return TABLE_NONE;
}

static void
lru_unlink(struct table *t, uint32_t s)
{
    struct table_meta *m = table_meta(t, s);
    if (m->prev_lru != TABLE_NONE)
        table_meta(t, m->prev_lru)->next_lru = m->next_lru;
    else
        t->lru_head = m->next_lru;
    if (m->next_lru != TABLE_NONE)
        table_meta(t, m->next_lru)->prev_lru = m->prev_lru;
    else
        t->lru_tail = m->prev_lru;
}

static void
lru_append(struct table *t, uint32_t s)
{
    struct table_meta *m = table_meta(t, s);
    m->prev_lru = t->lru_tail;
    m->next_lru = TABLE_NONE;
    if (t->lru_tail != TABLE_NONE)
        table_meta(t, t->lru_tail)->next_lru = s;
    else
        t->lru_head = s;
    t->lru_tail = s;
}

/* Double the bucket index when the live count reaches it; keeps the old one on failure. */
static void
grow_index(struct table *t)
{
    uint32_t nb = (t->mask + 1) * 2;
    uint32_t *b = malloc(sizeof(uint32_t) * nb);
    if (!b)
        return;
    memset(b, 0xff, sizeof(uint32_t) * nb);
    for (uint32_t s = t->lru_head; s != TABLE_NONE;) {
        struct table_meta *m = table_meta(t, s);
        m->next = b[m->hash & (nb - 1)];
        b[m->hash & (nb - 1)] = s;
        s = m->next_lru;
    }
    free(t->buckets);
    t->buckets = b;
    t->mask = nb - 1;
}

uint32_t
table_insert(struct table *t, const void *key, uint32_t hash)
{
    return table_insert_head(t, key, hash, t->value_size);
}

uint32_t
table_insert_head(struct table *t, const void *key, uint32_t hash, size_t head)
{
    /* Load factor ≤ 1/2: a hit reads about 1.25 entries, each a cache miss on big tables. */
    if (t->count >= (t->mask + 1) / 2 && t->mask + 1 < (1u << 30))
        grow_index(t);
    uint32_t s = t->free_head;
    if (s != TABLE_NONE)
        t->free_head = table_meta(t, s)->next;
    else if (t->free_next < t->capacity)
        s = t->free_next++;
    else
        return TABLE_NONE;
    struct table_meta *m = table_meta(t, s);
    memcpy((uint8_t *)m + sizeof(*m), key, t->key_size);
    if (head)
        memset(table_value(t, s), 0, head < t->value_size ? head : t->value_size);
    m->hash = hash;
    uint32_t b = hash & t->mask;
    m->next = t->buckets[b];
    t->buckets[b] = s;
    lru_append(t, s);
    t->count++;
    return s;
}

void
table_remove(struct table *t, uint32_t s)
{
    struct table_meta *m = table_meta(t, s);
    uint32_t *link = &t->buckets[m->hash & t->mask];
    while (*link != TABLE_NONE && *link != s)
        link = &table_meta(t, *link)->next;
    if (*link == s)
        *link = m->next;
    lru_unlink(t, s);
    m->next = t->free_head;
    t->free_head = s;
    t->count--;
}

void
table_touch(struct table *t, uint32_t s)
{
    if (t->lru_tail == s)
        return;
    lru_unlink(t, s);
    lru_append(t, s);
}
