/* call/ring: a lock-free single-producer single-consumer ring of int16
 * samples.
 *
 * The one structure the PortAudio callback and the media thread share
 * (audio_pa.c).  One thread writes, one other thread reads; ring_write and
 * ring_read take no lock, allocate nothing and make no system call, so
 * the audio callback may use them.  Everything is static inline, so the
 * callback never calls out of this header.
 *
 * head and tail count samples written and read since ring_init and wrap
 * around in size_t arithmetic; the capacity is a power of two so that
 * "count & mask" is the index and "head - tail" the fill level even after
 * the counters wrap.  The producer publishes samples with a release store
 * of head that the consumer's acquire load pairs with (and the other way
 * round for tail, which hands free space back).
 */
#ifndef CONFAB_CALL_RING_H
#define CONFAB_CALL_RING_H

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A lock in the callback would defeat the point. */
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2,
	       "call/ring needs lock-free size_t atomics");

#define RING_MAX_CAP ((size_t)1 << 28)	/* 512 MiB of samples: plenty */

struct ring {
	int16_t *buf;
	size_t cap, mask;
	/* head (the producer's) and tail (the consumer's) sit 64 bytes
	 * apart so that the two threads do not share a cache line.  No
	 * alignas: a struct ring lives inside malloc'd structs, which are
	 * only 16-byte aligned. */
	char pad0[64];
	_Atomic size_t head;
	char pad1[64 - sizeof(size_t)];
	_Atomic size_t tail;
	char pad2[64 - sizeof(size_t)];
};

/* Room for at least cap samples (rounded up to a power of two).
 * 0, -EINVAL for a cap of 0 or above RING_MAX_CAP, -ENOMEM. */
static inline int ring_init(struct ring *r, size_t cap)
{
	size_t c = 1;

	memset(r, 0, sizeof *r);
	if (cap == 0 || cap > RING_MAX_CAP)
		return -EINVAL;
	while (c < cap)
		c <<= 1;
	r->buf = calloc(c, sizeof *r->buf);
	if (!r->buf)
		return -ENOMEM;
	r->cap = c;
	r->mask = c - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return 0;
}

/* Neither thread may use the ring any more.  A zeroed or freed ring may
 * be freed again. */
static inline void ring_free(struct ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = r->mask = 0;
}

/* Samples the consumer can read now (exact for the consumer, a lower
 * bound for anyone else). */
static inline size_t ring_avail_read(const struct ring *r)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	return head - tail;
}

/* Samples the producer can write now (exact for the producer). */
static inline size_t ring_avail_write(const struct ring *r)
{
	return r->cap - ring_avail_read(r);
}

/* Producer: copy up to n samples in; returns how many fitted. */
static inline size_t ring_write(struct ring *r, const int16_t *src, size_t n)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	size_t space = r->cap - (head - tail);

	if (n > space)
		n = space;
	if (n == 0)
		return 0;
	size_t off = head & r->mask;
	size_t first = r->cap - off < n ? r->cap - off : n;
	memcpy(r->buf + off, src, first * sizeof *src);
	if (n > first)
		memcpy(r->buf, src + first, (n - first) * sizeof *src);
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	return n;
}

/* Consumer: copy up to n samples out (dst NULL: drop them); returns how
 * many there were. */
static inline size_t ring_read(struct ring *r, int16_t *dst, size_t n)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	size_t have = head - tail;

	if (n > have)
		n = have;
	if (n == 0)
		return 0;
	if (dst) {
		size_t off = tail & r->mask;
		size_t first = r->cap - off < n ? r->cap - off : n;
		memcpy(dst, r->buf + off, first * sizeof *dst);
		if (n > first)
			memcpy(dst + first, r->buf, (n - first) * sizeof *dst);
	}
	/* release: the producer may reuse the space only after the copy */
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

/* Consumer: drop up to n samples unread; returns how many went. */
static inline size_t ring_skip(struct ring *r, size_t n)
{
	return ring_read(r, NULL, n);
}

#endif
