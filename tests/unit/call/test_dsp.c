/* Unit tests for call/dsp: echo cancellation and noise suppression. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "call/audio.h"
#include "call/dsp.h"
#include "call/quality.h"

#define SECONDS 8
#define N (SECONDS * AUDIO_RATE)

static double energy(const int16_t *x, size_t from, size_t to)
{
	double e = 1e-9;

	for (size_t i = from; i < to; i++)
		e += (double)x[i] * x[i];
	return e;
}

static int16_t clip(double v)
{
	return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* Far-end speech comes out of the loudspeaker and back into the
 * microphone 30 ms later, attenuated and smeared (a small room): after
 * the canceller has converged, the echo is at least 15 dB down. */
static void test_dsp__capture__cancels_echo(void **state)
{
	int16_t *far = calloc(N, sizeof *far), *mic = calloc(N, sizeof *mic);
	int16_t *out = calloc(N, sizeof *out);
	struct dsp_cfg cfg = { .frame_ms = 20, .aec = true };
	struct dsp *d;
	const size_t fs = 960, lag = 30 * 48;

	(void)state;
	assert_non_null(far);
	assert_non_null(mic);
	assert_non_null(out);
	quality_gen_speech(far, N, 7);
	for (size_t i = 0; i < N; i++) {
		double e = 0;

		if (i >= lag)
			e += 0.5 * far[i - lag];
		if (i >= lag + 96)
			e += 0.2 * far[i - lag - 96];
		if (i >= lag + 300)
			e -= 0.1 * far[i - lag - 300];
		mic[i] = clip(e);
	}
	assert_int_equal(dsp_alloc(&d, &cfg), 0);
	for (size_t f = 0; f + fs <= N; f += fs) {
		dsp_playback(d, far + f);
		memcpy(out + f, mic + f, fs * sizeof *out);
		dsp_capture(d, out + f);
	}
	/* the last 3 s, converged */
	double erle = 10 * log10(energy(mic, N - 3 * AUDIO_RATE, N) /
				 energy(out, N - 3 * AUDIO_RATE, N));
	print_message("echo return loss enhancement: %.1f dB\n", erle);
	assert_true(erle >= 15);
	struct dsp_stats st;
	dsp_stats(d, &st);
	assert_true(st.aec);
	assert_int_equal(st.frames, N / fs);
	dsp_free(d);
	free(far);
	free(mic);
	free(out);
}

/* Near-end speech with no echo passes the canceller nearly unchanged
 * (no far-end signal at all, as in a call where the peer is silent),
 * 15 ms late at most (16 kHz processing: 10 ms windows, resampling). */
static void test_dsp__capture__keeps_near_speech(void **state)
{
	int16_t *mic = calloc(N, sizeof *mic), *out = calloc(N, sizeof *out);
	int16_t far[960] = { 0 };
	struct dsp_cfg cfg = { .frame_ms = 20, .aec = true };
	struct dsp *d;
	struct quality_report q;

	(void)state;
	quality_gen_speech(mic, N, 3);
	assert_int_equal(dsp_alloc(&d, &cfg), 0);
	for (size_t f = 0; f + 960 <= N; f += 960) {
		dsp_playback(d, far);
		memcpy(out + f, mic + f, 960 * sizeof *out);
		dsp_capture(d, out + f);
	}
	assert_int_equal(quality_compare(mic, N, out, N, 4800, &q), 0);
	print_message("near speech through the canceller: delay %d, "
		      "STOI %.3f\n", q.delay, q.stoi);
	dsp_free(d);
	free(mic);
	free(out);
	assert_true(q.delay >= 0 && q.delay <= 720);
	assert_true(q.stoi > 0.95);
}

/* Steady noise under speech pauses drops by at least 10 dB with noise
 * suppression on (10 ms frames). */
static void test_dsp__capture__suppresses_noise(void **state)
{
	int16_t *mic = calloc(N, sizeof *mic), *out = calloc(N, sizeof *out);
	struct dsp_cfg cfg = { .frame_ms = 10, .ns = true };
	struct dsp *d;
	uint32_t r = 1;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		r = r * 1103515245u + 12345u;
		mic[i] = (int16_t)((int)((r >> 16) & 0x7ff) - 1024);
	}
	assert_int_equal(dsp_alloc(&d, &cfg), 0);
	for (size_t f = 0; f + 480 <= N; f += 480) {
		memcpy(out + f, mic + f, 480 * sizeof *out);
		dsp_capture(d, out + f);
	}
	double att = 10 * log10(energy(mic, N / 2, N) / energy(out, N / 2, N));
	print_message("noise attenuation: %.1f dB\n", att);
	assert_true(att >= 10);
	dsp_free(d);
	free(mic);
	free(out);
}

/* Neither part on: frames pass untouched; bad frame sizes are refused. */
static void test_dsp__alloc__plain_and_bad(void **state)
{
	struct dsp_cfg cfg = { .frame_ms = 20 };
	struct dsp *d;
	int16_t f[960], g[960];

	(void)state;
	for (int i = 0; i < 960; i++)
		f[i] = g[i] = (int16_t)(i * 31);
	assert_int_equal(dsp_alloc(&d, &cfg), 0);
	dsp_playback(d, f);
	dsp_capture(d, f);
	assert_memory_equal(f, g, sizeof f);
	dsp_free(d);
	dsp_free(NULL);
	cfg.frame_ms = 30;
	assert_true(dsp_alloc(&d, &cfg) < 0);
	assert_null(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dsp__capture__cancels_echo),
		cmocka_unit_test(test_dsp__capture__keeps_near_speech),
		cmocka_unit_test(test_dsp__capture__suppresses_noise),
		cmocka_unit_test(test_dsp__alloc__plain_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
