/* Helpers for the audio tests (test_audio.c, test_audio_pa.c): tones,
 * a Goertzel tone detector, WAV files in and out, a monotonic clock.
 * Static functions in a header, as the other tests' helpers are. */
#ifndef CONFAB_TESTS_CALL_AUDIO_HELPERS_H
#define CONFAB_TESTS_CALL_AUDIO_HELPERS_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "call/wav.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static inline long long th_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sample i of a sine of freq Hz at rate, amplitude amp; the phase offset
 * keeps it from ever being exactly 0 at 1 kHz and 48 or 44.1 kHz, so a
 * run of zeros is always silence, never the tone. */
static inline int16_t th_tone(long i, double freq, double rate, double amp)
{
	return (int16_t)lrint(amp * sin(2 * M_PI * freq * (double)i / rate +
					 0.3));
}

/* How much of x's energy is at freq: 1 for a pure tone spanning whole
 * periods, near 0 for noise or silence (Goertzel). */
static inline double th_tone_fraction(const int16_t *x, size_t n,
				      double freq, double rate)
{
	double w = 2 * M_PI * freq / rate, c = 2 * cos(w);
	double s1 = 0, s2 = 0, energy = 0;

	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + c * s1 - s2;
		s2 = s1;
		s1 = s0;
		energy += (double)x[i] * x[i];
	}
	double power = s1 * s1 + s2 * s2 - c * s1 * s2;
	return energy > 0 ? 2 * power / ((double)n * energy) : 0;
}

/* Write n frames (interleaved when stereo) to a new WAV file. */
static inline void th_write_wav(const char *path, unsigned rate,
				unsigned channels, const int16_t *s, size_t n)
{
	struct wav_writer *w;
	char *err = NULL;

	assert_int_equal(wav_writer_open(&w, path, rate, channels, &err), 0);
	assert_int_equal(wav_write(w, s, n, &err), 0);
	assert_int_equal(wav_writer_close(w, &err), 0);
}

/* A WAV file's samples (mono), malloc'd; *n set. */
static inline int16_t *th_read_wav(const char *path, size_t *n,
				   unsigned *rate)
{
	struct wav_reader *r;
	char *err = NULL;

	if (wav_reader_open(&r, path, &err) < 0)
		fail_msg("%s", err);
	const struct wav_info *wi = wav_reader_info(r);
	int16_t *s = calloc(wi->frames + 1, sizeof *s);
	long k = wav_read_mono(r, s, wi->frames + 1, &err);
	assert_true(k >= 0);
	*n = (size_t)k;
	if (rate)
		*rate = wi->rate;
	wav_reader_free(r);
	return s;
}

#endif
