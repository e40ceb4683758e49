/* Unit tests for call/ringer: the ring cadence reaches the ring device
 * (a WAV file here) in real time, and stops when told. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call/ringer.h"
#include "common/str.h"
#include "audio_helpers.h"

static double rms(const int16_t *x, size_t from, size_t to)
{
	double s = 0;

	for (size_t i = from; i < to; i++)
		s += (double)x[i] * x[i];
	return sqrt(s / (double)(to - from));
}

static void test_ringer__start__rings_in_cadence(void **state)
{
	char dir[] = "/tmp/confab-ring-XXXXXX", path[64];
	struct ringer *r;
	char *err = NULL, *dev;
	long long t0;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ring.wav", dir);
	dev = xasprintf("file:%s", path);
	t0 = th_now_ms();
	assert_int_equal(ringer_start(&r, dev, &err), 0);
	usleep(1300 * 1000);
	ringer_stop(r);
	long long took = th_now_ms() - t0;
	int16_t *s = th_read_wav(path, &n, NULL);
	/* paced: about as much sound as time went by */
	assert_true(n >= 48000 && n <= (size_t)(took + 100) * 48);
	/* on 0-0.4 s, off 0.4-0.6 s, on 0.6-1.0 s, off after */
	assert_true(rms(s, 480, 18000) > 1000);
	assert_true(rms(s, 20000, 28000) < 10);
	assert_true(rms(s, 30000, 47000) > 1000);
	assert_true(th_tone_fraction(s + 480, 4800, 400, 48000) > 0.3);
	if (n > 55000)
		assert_true(rms(s, 50000, n) < 10);
	ringer_stop(NULL);
	/* a device that is not there */
	assert_true(ringer_start(&r, "file:/nonexistent/dir/x.wav", &err) < 0);
	assert_non_null(err);
	free(err);
	free(s);
	free(dev);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ringer__start__rings_in_cadence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
