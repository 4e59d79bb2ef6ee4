/* table.c — hash index + fixed pool + LRU list (see table.h). */
#include "table.h"

#include <stdlib.h>
#include <string.h>

static uint32_t
round_pow2(uint32_t n)
{
    uint32_t p = 16;
    while (p < n && p < (1u << 30))
        p <<= 1;
    return p;
}

int
table_init(struct table *t, uint32_t capacity, size_t key_size, size_t value_size, uint64_t seed)
{
    memset(t, 0, sizeof(*t));
    if (capacity == 0 || capacity == TABLE_NONE || key_size == 0)
        return -1;
    uint32_t nb = round_pow2(capacity + capacity / 2);
    t->buckets = malloc(sizeof(uint32_t) * nb);
    t->next = malloc(sizeof(uint32_t) * capacity);
    t->prev_lru = malloc(sizeof(uint32_t) * capacity);
    t->next_lru = malloc(sizeof(uint32_t) * capacity);
    t->hashes = malloc(sizeof(uint32_t) * capacity);
    t->keys = calloc(capacity, key_size);
    t->values = value_size ? calloc(capacity, value_size) : NULL;
    if (!t->buckets || !t->next || !t->prev_lru || !t->next_lru || !t->hashes || !t->keys ||
        (value_size && !t->values)) {
        table_free(t);
        return -1;
    }
    memset(t->buckets, 0xff, sizeof(uint32_t) * nb);
    for (uint32_t i = 0; i < capacity; i++)
        t->next[i] = i + 1 < capacity ? i + 1 : TABLE_NONE;
    t->capacity = capacity;
    t->mask = nb - 1;
    t->key_size = key_size;
    t->value_size = value_size;
    t->lru_head = t->lru_tail = TABLE_NONE;
    t->free_head = 0;
    t->seed = seed;
    return 0;
}

void
table_free(struct table *t)
{
    free(t->buckets);
    free(t->next);
    free(t->prev_lru);
    free(t->next_lru);
    free(t->hashes);
    free(t->keys);
    free(t->values);
    memset(t, 0, sizeof(*t));
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

uint32_t
table_hash(const struct table *t, const void *key)
{
    /* Word-at-a-time multiply-mix seeded per table: cheap, and the seed defeats chosen keys. */
    const uint8_t *p = key;
    size_t n = t->key_size;
    uint64_t h = t->seed ^ (n * 0x9e3779b97f4a7c15ull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix64(h ^ w) + 0x9e3779b97f4a7c15ull;
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = mix64(h ^ w);
    }
    return (uint32_t)(h ^ (h >> 29));
}

uint32_t
table_find(const struct table *t, const void *key, uint32_t hash)
{
    if (!t->capacity)
        return TABLE_NONE;
    for (uint32_t s = t->buckets[hash & t->mask]; s != TABLE_NONE; s = t->next[s]) {
        if (t->hashes[s] == hash && memcmp(t->keys + (size_t)s * t->key_size, key, t->key_size) == 0)
            return s;
    }
    return TABLE_NONE;
}

static void
lru_unlink(struct table *t, uint32_t s)
{
    uint32_t p = t->prev_lru[s], n = t->next_lru[s];
    if (p != TABLE_NONE)
        t->next_lru[p] = n;
    else
        t->lru_head = n;
    if (n != TABLE_NONE)
        t->prev_lru[n] = p;
    else
        t->lru_tail = p;
}

static void
lru_append(struct table *t, uint32_t s)
{
    t->prev_lru[s] = t->lru_tail;
    t->next_lru[s] = TABLE_NONE;
    if (t->lru_tail != TABLE_NONE)
        t->next_lru[t->lru_tail] = s;
    else
        t->lru_head = s;
    t->lru_tail = s;
}

uint32_t
table_insert(struct table *t, const void *key, uint32_t hash)
{
    uint32_t s = t->free_head;
    if (s == TABLE_NONE)
        return TABLE_NONE;
    t->free_head = t->next[s];
    memcpy(t->keys + (size_t)s * t->key_size, key, t->key_size);
    if (t->value_size)
        memset(table_value(t, s), 0, t->value_size);
    t->hashes[s] = hash;
    uint32_t b = hash & t->mask;
    t->next[s] = t->buckets[b];
    t->buckets[b] = s;
    lru_append(t, s);
    t->count++;
    return s;
}

void
table_remove(struct table *t, uint32_t s)
{
    uint32_t *link = &t->buckets[t->hashes[s] & t->mask];
    while (*link != TABLE_NONE && *link != s)
        link = &t->next[*link];
    if (*link == s)
        *link = t->next[s];
    lru_unlink(t, s);
    t->next[s] = t->free_head;
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
