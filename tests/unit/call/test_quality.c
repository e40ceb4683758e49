/* Unit tests for call/quality: delay, STOI, segmental SNR, test signal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call/quality.h"

#define RATE QUALITY_RATE
#define N (4 * RATE)

static uint32_t rng = 99;

/* Gaussian-ish noise (sum of four uniforms), unit variance. */
static double noise(void)
{
	double s = 0;

	for (int i = 0; i < 4; i++) {
		rng = rng * 1664525u + 1013904223u;
		s += (rng >> 8) / 16777216.0 - 0.5;
	}
	return s * sqrt(3.0);
}

static double rms(const int16_t *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += (double)x[i] * x[i];
	return sqrt(s / (double)n);
}

/* x plus white noise `snr` dB below x's average level. */
static int16_t *noisy(const int16_t *x, size_t n, double snr)
{
	int16_t *y = malloc(n * sizeof *y);
	double sd = rms(x, n) / pow(10, snr / 20);

	for (size_t i = 0; i < n; i++)
		y[i] = (int16_t)lrint(fmax(-32768, fmin(32767,
					x[i] + sd * noise())));
	return y;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_quality__gen__speech_like(void **state)
{
	int16_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
	int quiet = 0, loud = 0, peak = 0;

	quality_gen_speech(a, N, 1);
	quality_gen_speech(b, N, 1);
	assert_memory_equal(a, b, N * sizeof *a);
	quality_gen_speech(b, N, 2);
	assert_memory_not_equal(a, b, N * sizeof *a);
	/* pauses and talk, in 20 ms frames */
	for (size_t f = 0; f < N / 960; f++) {
		double r = rms(a + f * 960, 960);

		quiet += r < 10;
		loud += r > 1000;
	}
	for (size_t i = 0; i < N; i++)
		peak = abs(a[i]) > peak ? abs(a[i]) : peak;
	print_message("quality: %d quiet, %d loud of %d frames; rms %.0f, "
		      "peak %d\n", quiet, loud, N / 960, rms(a, N), peak);
	assert_true(quiet > N / 960 / 5);
	assert_true(loud > N / 960 / 3);
	assert_true(peak < 32767);
	/* about -26 dBFS over all, pauses included */
	assert_true(rms(a, N) > 1000 && rms(a, N) < 6000);
	free(a);
	free(b);
}

static void test_quality__identical__scores_top(void **state)
{
	int16_t *a = malloc(N * sizeof *a);
	struct quality_report r;

	quality_gen_speech(a, N, 3);
	assert_int_equal(quality_compare(a, N, a, N, RATE / 2, &r), 0);
	assert_int_equal(r.delay, 0);
	assert_true(r.corr > 0.9999);
	assert_int_equal(r.compared, N);
	assert_true(r.stoi > 0.999);
	assert_true(fabs(r.segsnr - 35) < 1e-9);
	free(a);
}

/* More noise, lower scores, in order. */
static void test_quality__noise__lowers_scores(void **state)
{
	int16_t *a = malloc(N * sizeof *a);
	double snrs[] = {30, 10, 0}, last_stoi = 1.01, last_seg = 100;

	quality_gen_speech(a, N, 4);
	for (int i = 0; i < 3; i++) {
		int16_t *b = noisy(a, N, snrs[i]);
		struct quality_report r;

		assert_int_equal(quality_compare(a, N, b, N, RATE / 2, &r), 0);
		print_message("quality: noise at %2.0f dB: stoi %.3f segsnr "
			      "%5.1f dB delay %d\n", snrs[i], r.stoi, r.segsnr,
			      r.delay);
		assert_int_equal(r.delay, 0);
		assert_true(r.stoi < last_stoi);
		assert_true(r.segsnr < last_seg);
		last_stoi = r.stoi;
		last_seg = r.segsnr;
		free(b);
	}
	/* white noise at the speech's own level is clearly degraded */
	assert_true(last_stoi < 0.85);
	assert_true(last_seg < 5);
	free(a);
}

/* A delayed copy (with a gain change and faint noise) is found to the
 * sample, either way round, quickly. */
static void test_quality__delay__exact_for_shifted_copy(void **state)
{
	static const int shifts[] = {0, 1, 31, 1234, 9601, -777, -RATE / 3};
	int16_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);

	quality_gen_speech(a, N, 5);
	for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++) {
		int d = shifts[k], lag;
		double corr, t0 = now_s(), dt;

		for (long i = 0; i < N; i++) {
			long j = i - d;

			b[i] = j >= 0 && j < N ?
			       (int16_t)(0.5 * a[j] + 20 * noise()) : 0;
		}
		assert_int_equal(quality_delay(a, N, b, N, RATE, &lag, &corr),
				 0);
		dt = now_s() - t0;
		print_message("quality: shift %6d found %6d corr %.3f in "
			      "%.0f ms\n", d, lag, corr, dt * 1000);
		assert_int_equal(lag, d);
		assert_true(corr > 0.95);
		assert_true(dt < 2.0);	/* ASan build; ~10x faster at -O2 */
	}
	free(a);
	free(b);
}

/* A shorter received signal that starts late, as a call recording is. */
static void test_quality__compare__different_lengths(void **state)
{
	int16_t *a = malloc(N * sizeof *a), *b = calloc(N, sizeof *b);
	struct quality_report r;
	int d = 2400;

	quality_gen_speech(a, N, 6);
	memcpy(b + d, a, (N / 2) * sizeof *a);
	assert_int_equal(quality_compare(a, N, b, N / 2 + d, RATE, &r), 0);
	assert_int_equal(r.delay, d);
	assert_int_equal(r.compared, N / 2);
	assert_true(r.stoi > 0.999);
	free(a);
	free(b);
}

static void test_quality__args__refused(void **state)
{
	int16_t a[4800] = {0}, b[4800] = {0};
	int lag;
	double corr, s;
	struct quality_report r;

	/* silent */
	assert_int_equal(quality_delay(a, 4800, b, 4800, 100, &lag, &corr),
			 -EINVAL);
	assert_int_equal(quality_segsnr(a, b, 4800, &s), -EINVAL);
	/* too short for one STOI window (384 ms of speech) */
	quality_gen_speech(a, 4800, 1);
	assert_int_equal(quality_stoi(a, a, 4800, &s), -EINVAL);
	assert_int_equal(quality_compare(a, 4800, a, 4800, 100, &r), -EINVAL);
	assert_int_equal(quality_delay(a, 10, a, 10, 0, &lag, &corr), -EINVAL);
	assert_int_equal(quality_delay(a, 4800, a, 4800, -1, &lag, &corr),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quality__gen__speech_like),
		cmocka_unit_test(test_quality__identical__scores_top),
		cmocka_unit_test(test_quality__noise__lowers_scores),
		cmocka_unit_test(test_quality__delay__exact_for_shifted_copy),
		cmocka_unit_test(test_quality__compare__different_lengths),
		cmocka_unit_test(test_quality__args__refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
