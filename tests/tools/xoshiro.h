/* tests/tools/xoshiro.h: the test tools' random numbers: xoshiro256**
 * seeded by splitmix64 (public domain algorithms by Blackman and Vigna),
 * so that a seed repeats a run exactly on any machine. */
#ifndef CONFAB_TESTS_TOOLS_XOSHIRO_H
#define CONFAB_TESTS_TOOLS_XOSHIRO_H

#include <stdint.h>

/* The next seed word from a splitmix64 state (for filling s[4]). */
static inline uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t xo_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t next64(uint64_t s[4])
{
	uint64_t r = xo_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = xo_rotl(s[3], 45);
	return r;
}

/* Uniform in [0, 1). */
static inline double xo_unit(uint64_t s[4])
{
	return (double)(next64(s) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
