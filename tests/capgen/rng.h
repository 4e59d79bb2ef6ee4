/* rng.h — capgen's only source of variety: a fixed-seed splitmix64 generator (deterministic). */
#ifndef CAPGEN_RNG_H
#define CAPGEN_RNG_H

#include <stdint.h>

/* Generator state; seed it by assigning s. The same seed gives the same stream everywhere. */
struct rng {
    uint64_t s;
};

/* Next 64 pseudo-random bits (splitmix64, Steele et al. 2014). */
static inline uint64_t
rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A value in [0, n); n == 0 gives 0. Multiply-shift, so no modulo bias worth mentioning. */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability per_million / 1e6. */
static inline int
rng_chance(struct rng *r, uint32_t per_million)
{
    return rng_below(r, 1000000u) < per_million;
}

#endif
