/* table.h — hash index + fixed pool + LRU list: the one container every tracker keys state in. */
#ifndef VOIPDIAG_TABLE_H
#define VOIPDIAG_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define TABLE_NONE UINT32_MAX

/*
 * Entries live in a pool of `capacity` slots addressed by uint32 index; each holds a fixed-size
 * key (compared with memcmp, so callers zero key padding) and a fixed-size value. Every entry
 * is on an LRU list ordered by last touch: table_oldest() is the first to expire or evict.
 * The hash is seeded (a fixed seed in tests, a random one on live interfaces).
 * Memory is reserved once at init: capacity × (16 + key + value) bytes plus the index; the
 * pages of slots never used are never touched.
 */
/* Per-entry bookkeeping, stored just before the key and value of each slot. */
struct table_meta {
    uint32_t hash;     /* cached hash */
    uint32_t next;     /* chain link (or free-list link) */
    uint32_t prev_lru; /* LRU links */
    uint32_t next_lru;
};

struct table {
    uint32_t capacity;
    uint32_t count;
    uint32_t mask;       /* bucket count - 1 */
    uint32_t *buckets;   /* head slot of each chain */
    uint8_t *entries;    /* capacity × stride: meta, key, value — one or two cache lines */
    size_t entries_mapped; /* pool_calloc's mapping size, 0 when calloc'd */
    size_t stride;
    size_t key_size;
    size_t value_size;
    size_t value_off;    /* offset of the value inside an entry (8-aligned) */
    uint32_t lru_head;   /* oldest */
    uint32_t lru_tail;   /* newest */
    uint32_t free_head;  /* recycled slots */
    uint32_t free_next;  /* first never-used slot */
    uint64_t seed;
    uint64_t secret[4];  /* derived from seed: keys the hash */
};

/* Allocate a table. Returns 0, or -1 when memory is short (t is then left empty). */
int table_init(struct table *t, uint32_t capacity, size_t key_size, size_t value_size,
               uint64_t seed);

/* Free everything; values are not visited (the owner finishes them first). */
void table_free(struct table *t);

/* Seeded hash of a key of t->key_size bytes. */
uint32_t table_hash(const struct table *t, const void *key);

/* Slot of key, or TABLE_NONE. hash must be table_hash(t, key). */
uint32_t table_find(const struct table *t, const void *key, uint32_t hash);

/*
 * Insert key (which must not be present) as the newest entry; its value is zeroed.
 * Returns the slot, or TABLE_NONE when the pool is full (evict table_oldest() first).
 */
uint32_t table_insert(struct table *t, const void *key, uint32_t hash);

/*
 * table_insert that zeroes only the first head bytes of the value: the rest holds whatever the
 * slot held before, for values whose owner writes each part before reading it (a big value
 * cleared whole is that many cache lines written per insert).
 */
uint32_t table_insert_head(struct table *t, const void *key, uint32_t hash, size_t head);

/* Remove the entry in slot; the slot returns to the pool. */
void table_remove(struct table *t, uint32_t slot);

/* Mark slot as the most recently used. */
void table_touch(struct table *t, uint32_t slot);

/* Least recently used slot, or TABLE_NONE when empty. */
static inline uint32_t
table_oldest(const struct table *t)
{
    return t->lru_head;
}

/* Next newer slot after slot on the LRU list, or TABLE_NONE. */
static inline struct table_meta *
table_meta(const struct table *t, uint32_t slot)
{
    return (struct table_meta *)(void *)(t->entries + (size_t)slot * t->stride);
}

/* Hint the CPU to fetch the bucket of hash (a lookup a few packets from now). */
static inline void
table_prefetch_bucket(const struct table *t, uint32_t hash)
{
    __builtin_prefetch(&t->buckets[hash & t->mask]);
}

/*
 * Hint the CPU to fetch the first `lines` cache lines (at most the entry) of the first entry
 * of hash's chain; its bucket should be cached.
 */
static inline void
table_prefetch_entry(const struct table *t, uint32_t hash, unsigned lines)
{
    uint32_t s = t->buckets[hash & t->mask];
    if (s == TABLE_NONE)
        return;
    const uint8_t *e = t->entries + (size_t)s * t->stride;
    for (size_t off = 0; off < (size_t)lines * 64 && off < t->stride; off += 64)
        __builtin_prefetch(e + off);
}

static inline uint32_t
table_newer(const struct table *t, uint32_t slot)
{
    return table_meta(t, slot)->next_lru;
}

static inline void *
table_value(const struct table *t, uint32_t slot)
{
    return t->entries + (size_t)slot * t->stride + t->value_off;
}

static inline const void *
table_key(const struct table *t, uint32_t slot)
{
    return t->entries + (size_t)slot * t->stride + sizeof(struct table_meta);
}

#endif
