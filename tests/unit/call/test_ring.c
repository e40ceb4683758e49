/* Unit tests for call/ring: the lock-free SPSC sample ring, alone and
 * with a producer and a consumer thread hammering it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "call/ring.h"

static void test_ring__init__rounds_up_to_power_of_two(void **state)
{
	struct ring r;

	assert_int_equal(ring_init(&r, 1000), 0);
	assert_int_equal(r.cap, 1024);
	assert_int_equal(ring_avail_read(&r), 0);
	assert_int_equal(ring_avail_write(&r), 1024);
	ring_free(&r);
	ring_free(&r);		/* twice is harmless */
	assert_int_equal(ring_init(&r, 64), 0);
	assert_int_equal(r.cap, 64);
	ring_free(&r);
	assert_int_equal(ring_init(&r, 1), 0);
	assert_int_equal(r.cap, 1);
	ring_free(&r);
}

static void test_ring__init__refuses_bad_sizes(void **state)
{
	struct ring r;

	assert_int_equal(ring_init(&r, 0), -EINVAL);
	assert_int_equal(ring_init(&r, RING_MAX_CAP + 1), -EINVAL);
	ring_free(&r);
}

static void test_ring__write__stops_when_full(void **state)
{
	struct ring r;
	int16_t in[10], out[10];

	for (int i = 0; i < 10; i++)
		in[i] = (int16_t)(i + 1);
	assert_int_equal(ring_init(&r, 8), 0);
	assert_int_equal(ring_write(&r, in, 5), 5);
	assert_int_equal(ring_write(&r, in + 5, 5), 3);	/* only 3 fit */
	assert_int_equal(ring_avail_read(&r), 8);
	assert_int_equal(ring_avail_write(&r), 0);
	assert_int_equal(ring_write(&r, in, 1), 0);
	assert_int_equal(ring_read(&r, out, 10), 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(out[i], i + 1);
	assert_int_equal(ring_read(&r, out, 1), 0);	/* empty */
	ring_free(&r);
}

static void test_ring__read__wraps_around(void **state)
{
	struct ring r;
	int16_t in[6], out[6];
	int16_t next = 0, want = 0;

	assert_int_equal(ring_init(&r, 8), 0);
	/* 6 in, 6 out, many times: every index of the buffer is crossed */
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 6; i++)
			in[i] = next++;
		assert_int_equal(ring_write(&r, in, 6), 6);
		assert_int_equal(ring_read(&r, out, 6), 6);
		for (int i = 0; i < 6; i++)
			assert_int_equal(out[i], want++);
	}
	ring_free(&r);
}

static void test_ring__skip__drops_oldest(void **state)
{
	struct ring r;
	int16_t in[6] = { 1, 2, 3, 4, 5, 6 }, out[6];

	assert_int_equal(ring_init(&r, 8), 0);
	ring_write(&r, in, 6);
	assert_int_equal(ring_skip(&r, 4), 4);
	assert_int_equal(ring_read(&r, out, 6), 2);
	assert_int_equal(out[0], 5);
	assert_int_equal(out[1], 6);
	assert_int_equal(ring_skip(&r, 3), 0);
	ring_free(&r);
}

/* ---- two threads -------------------------------------------------------- */

#define STRESS_SAMPLES 4000000u

struct stress {
	struct ring r;
	unsigned seed_w, seed_r;
	size_t bad;		/* consumer: samples out of sequence */
};

static void *stress_producer(void *arg)
{
	struct stress *s = arg;
	int16_t buf[97];
	uint32_t next = 0;

	while (next < STRESS_SAMPLES) {
		size_t n = 1 + (size_t)rand_r(&s->seed_w) % 97;
		if (n > STRESS_SAMPLES - next)
			n = STRESS_SAMPLES - next;
		for (size_t i = 0; i < n; i++)
			buf[i] = (int16_t)(next + i);
		size_t w = ring_write(&s->r, buf, n);
		next += (uint32_t)w;
		if (w < n)
			sched_yield();	/* full: let the consumer run */
	}
	return NULL;
}

static void *stress_consumer(void *arg)
{
	struct stress *s = arg;
	int16_t buf[101];
	uint32_t want = 0;

	while (want < STRESS_SAMPLES) {
		size_t n = 1 + (size_t)rand_r(&s->seed_r) % 101;
		size_t got = ring_read(&s->r, buf, n);
		for (size_t i = 0; i < got; i++)
			if (buf[i] != (int16_t)(want + i))
				s->bad++;
		want += (uint32_t)got;
		if (got == 0)
			sched_yield();	/* empty: let the producer run */
	}
	return NULL;
}

/* A small ring (64) so that both threads wrap it constantly and meet at
 * both ends; every sample must come out once, in order. */
static void test_ring__threads__every_sample_in_order(void **state)
{
	struct stress s = { .seed_w = 1, .seed_r = 2 };
	pthread_t tw, tr;

	assert_int_equal(ring_init(&s.r, 64), 0);
	assert_int_equal(pthread_create(&tr, NULL, stress_consumer, &s), 0);
	assert_int_equal(pthread_create(&tw, NULL, stress_producer, &s), 0);
	pthread_join(tw, NULL);
	pthread_join(tr, NULL);
	assert_int_equal(s.bad, 0);
	assert_int_equal(ring_avail_read(&s.r), 0);
	ring_free(&s.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring__init__rounds_up_to_power_of_two),
		cmocka_unit_test(test_ring__init__refuses_bad_sizes),
		cmocka_unit_test(test_ring__write__stops_when_full),
		cmocka_unit_test(test_ring__read__wraps_around),
		cmocka_unit_test(test_ring__skip__drops_oldest),
		cmocka_unit_test(test_ring__threads__every_sample_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
