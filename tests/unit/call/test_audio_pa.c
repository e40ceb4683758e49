/* Tests of call/audio's PortAudio back-end against ALSA's `file` plugin:
 * no sound card needed.  tests/it/test_audio_alsa.sh sets them up (an
 * ALSA configuration in ALSA_CONFIG_PATH, its files in
 * CONFAB_TEST_AUDIO_DIR) and runs this program; run alone, as the unit
 * test suite does, every test is skipped.
 *
 * The configuration (see the script) makes ALSA's default device:
 *   playback  a `file` plugin writing raw S16_LE to DIR/out.fifo, a FIFO
 *             this program reads at the device's real-time byte rate --
 *             the FIFO's back-pressure is the card's clock, since ALSA's
 *             `null` slave has none;
 *   capture   a `file` plugin reading DIR/in.raw, a ramp (sample i is
 *             i mod 65536).
 * and a capture device "tone44" reading DIR/tone44.raw, 1 kHz at 44.1 kHz.
 * Capture from a regular file has no clock at all: PortAudio's thread
 * reads it as fast as it can, so the capture ring overflows and drops,
 * as it would behind a stalled media thread; the checks allow for that.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call/audio.h"
#include "common/str.h"
#include "tests/unit/call/audio_helpers.h"

static const char *dir;		/* CONFAB_TEST_AUDIO_DIR */

static bool set_up(void)
{
	dir = getenv("CONFAB_TEST_AUDIO_DIR");
	if (getenv("ALSA_CONFIG_PATH") && dir)
		return true;
	print_message("skipped: needs the ALSA file device that "
		      "tests/it/test_audio_alsa.sh sets up "
		      "(ALSA_CONFIG_PATH and CONFAB_TEST_AUDIO_DIR)\n");
	return false;
}

/* ---- the FIFO behind the playback device -------------------------------- */

#define SINK_MAX_SECONDS 30

struct sink {
	int fd;
	int rate;		/* bytes per second = rate * 2 */
	unsigned char *buf;
	size_t cap, n;
	pthread_t thread;
};

/* Read the FIFO no faster than the device's rate, until the device
 * closes it. */
static void *sink_main(void *arg)
{
	struct sink *s = arg;
	unsigned char tmp[4096];
	long long t0 = th_now_ms();
	size_t total = 0;

	for (;;) {
		ssize_t k = read(s->fd, tmp, sizeof tmp);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		size_t keep = s->cap - s->n < (size_t)k ? s->cap - s->n
							: (size_t)k;
		memcpy(s->buf + s->n, tmp, keep);
		s->n += keep;
		total += (size_t)k;
		long long due = t0 + (long long)total * 1000 / (s->rate * 2);
		long long wait = due - th_now_ms();
		if (wait > 0)
			usleep((useconds_t)wait * 1000);
	}
	return NULL;
}

/* Open the FIFO before PortAudio does: ALSA's open for writing would wait
 * for a reader.  Non-blocking, so this open does not wait either. */
static void sink_open(struct sink *s, int rate)
{
	char *path = xasprintf("%s/out.fifo", dir);

	memset(s, 0, sizeof *s);
	s->rate = rate;
	s->cap = (size_t)rate * 2 * SINK_MAX_SECONDS;
	s->buf = malloc(s->cap);
	s->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	/* the smallest pipe buffer: the device runs at most 1 page ahead */
	fcntl(s->fd, F_SETPIPE_SZ, 4096);
	free(path);
}

/* The device has the FIFO open for writing now: read it in a thread. */
static void sink_start(struct sink *s)
{
	fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) & ~O_NONBLOCK);
	assert_int_equal(pthread_create(&s->thread, NULL, sink_main, s), 0);
}

/* After audio_close: the device closed the FIFO, the thread ends. */
static void sink_finish(struct sink *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

/* The samples that are not silence, in order (malloc'd). */
static int16_t *sink_sound(const struct sink *s, size_t *n)
{
	size_t all = s->n / 2;
	int16_t *v = malloc((all + 1) * sizeof *v);

	*n = 0;
	for (size_t i = 0; i < all; i++) {
		int16_t x = (int16_t)(s->buf[2 * i] | s->buf[2 * i + 1] << 8);
		if (x != 0)
			v[(*n)++] = x;
	}
	return v;
}

/* Play 1 s of a 1 kHz tone to the default device at device_rate (0: the
 * device's choice, 48 kHz here), paced by a null input as a call would
 * be; returns what reached the FIFO, silence taken out. */
static int16_t *play_tone(int device_rate, int fifo_rate, size_t *n,
			  struct audio_stats *st)
{
	struct audio_spec spec = { .input = "null", .output = NULL,
				   .frame_ms = 20, .paced = true,
				   .device_rate = device_rate };
	struct audio_dev *dev;
	struct sink s;
	int16_t frame[AUDIO_MAX_FRAME];
	char *err = NULL;

	sink_open(&s, fifo_rate);
	if (audio_open(&dev, &spec, &err) < 0)
		fail_msg("audio_open: %s", err);
	sink_start(&s);
	for (long f = 0; f < 50; f++) {
		assert_int_equal(audio_read(dev, frame), 0);
		for (long i = 0; i < 960; i++)
			frame[i] = th_tone(f * 960 + i, 1000, 48000, 12000);
		audio_write(dev, frame);
	}
	assert_int_equal(audio_drain(dev, 2000), 0);
	audio_stats(dev, st);
	audio_close(dev);
	sink_finish(&s);
	int16_t *v = sink_sound(&s, n);
	print_message("played at %d Hz: %zu bytes reached the device, %zu "
		      "samples of sound; %llu underflows, %llu frames "
		      "dropped\n", fifo_rate, s.n, *n,
		      (unsigned long long)st->underflows,
		      (unsigned long long)st->out_overflows);
	free(s.buf);
	return v;
}

/* ---- tests -------------------------------------------------------------- */

static void test_audio_pa__list__sees_the_file_devices(void **state)
{
	struct audio_devinfo *v;
	size_t n;
	char *err = NULL;
	bool def = false, tone = false;

	if (!set_up())
		skip();
	if (audio_list(&v, &n, &err) < 0)
		fail_msg("audio_list: %s", err);
	for (size_t i = 0; i < n; i++) {
		print_message("%d\t%s\t%s\t%d\t%d\t%.0f%s%s\n", v[i].index,
			      v[i].name, v[i].host_api, v[i].max_in,
			      v[i].max_out, v[i].default_rate,
			      v[i].default_in ? "\tdefault-in" : "",
			      v[i].default_out ? "\tdefault-out" : "");
		if (strcmp(v[i].name, "default") == 0)
			def = v[i].max_in > 0 && v[i].max_out > 0 &&
			      v[i].default_in && v[i].default_out &&
			      strcmp(v[i].host_api, "ALSA") == 0;
		if (strcmp(v[i].name, "tone44") == 0)
			tone = v[i].max_in > 0;
	}
	audio_list_free(v, n);
	assert_true(def);
	assert_true(tone);
}

/* At 48 kHz nothing is resampled: the sound that reaches the device is
 * the tone, sample for sample (underflows only add silence). */
static void test_audio_pa__play__tone_reaches_the_device(void **state)
{
	struct audio_stats st;
	size_t n;

	if (!set_up())
		skip();
	int16_t *v = play_tone(0, 48000, &n, &st);
	assert_int_equal(st.frames_written, 50);
	assert_int_equal(st.out_overflows, 0);
	assert_int_equal(n, 48000);
	for (size_t i = 0; i < n; i++)
		if (v[i] != th_tone((long)i, 1000, 48000, 12000))
			fail_msg("sample %zu is %d, not %d", i, v[i],
				 th_tone((long)i, 1000, 48000, 12000));
	free(v);
}

/* A device at 44.1 kHz gets the tone resampled: a second of 1 kHz. */
static void test_audio_pa__play__resampled_for_a_44k_device(void **state)
{
	struct audio_stats st;
	size_t n;

	if (!set_up())
		skip();
	int16_t *v = play_tone(44100, 44100, &n, &st);
	assert_int_equal(st.out_overflows, 0);
	if (n < 44100 - 200 || n > 44100 + 200)
		fail_msg("%zu samples of sound, not about 44100", n);
	double f = th_tone_fraction(v + 4410, 35280, 1000, 44100);
	print_message("1 kHz holds %.4f of the energy\n", f);
	assert_true(f > 0.99);
	free(v);
}

/* Frames read from the ramp file hold runs of consecutive samples:
 * every sample arrives as it was in the file (no byte swap, no mixing),
 * with a jump only where the unclocked device overran the ring. */
static void test_audio_pa__capture__reads_the_infile(void **state)
{
	struct audio_spec spec = { .input = NULL, .output = "null",
				   .frame_ms = 20 };
	struct audio_dev *dev;
	struct audio_stats st;
	int16_t frame[AUDIO_MAX_FRAME], prev = 0;
	size_t jumps = 0, samples = 0;
	char *err = NULL;

	if (!set_up())
		skip();
	if (audio_open(&dev, &spec, &err) < 0)
		fail_msg("audio_open: %s", err);
	for (int f = 0; f < 50; f++) {
		assert_int_equal(audio_read(dev, frame), 0);
		for (int i = 0; i < 960; i++, samples++) {
			if (samples > 0 && frame[i] != (int16_t)(prev + 1))
				jumps++;
			prev = frame[i];
		}
	}
	audio_stats(dev, &st);
	audio_close(dev);
	print_message("%zu samples, %zu jumps; %llu overflows (%llu "
		      "samples dropped), %llu trims\n", samples, jumps,
		      (unsigned long long)st.overflows,
		      (unsigned long long)st.dropped_samples,
		      (unsigned long long)st.in_trims);
	assert_int_equal(st.frames_read, 50);
	assert_true(jumps * 100 < samples);
	assert_true(jumps <= st.overflows + st.in_trims + 1);
}

/* "tone" names the 44.1 kHz capture device "tone44" (the only name
 * holding it); what comes out is 1 kHz at 48 kHz.  The device's overruns
 * cut the tone into pieces, so each 20 ms frame is judged alone. */
static void test_audio_pa__capture__resampled_from_a_44k_device(void **state)
{
	struct audio_spec spec = { .input = "tone", .output = "null",
				   .frame_ms = 20, .device_rate = 44100 };
	struct audio_dev *dev;
	int16_t frame[AUDIO_MAX_FRAME];
	double sum = 0;
	char *err = NULL;

	if (!set_up())
		skip();
	if (audio_open(&dev, &spec, &err) < 0)
		fail_msg("audio_open: %s", err);
	for (int f = 0; f < 50; f++) {
		assert_int_equal(audio_read(dev, frame), 0);
		sum += th_tone_fraction(frame, 960, 1000, 48000);
	}
	audio_close(dev);
	print_message("1 kHz holds %.3f of each frame's energy on average\n",
		      sum / 50);
	assert_true(sum / 50 > 0.8);
}

static void test_audio_pa__open__names_a_missing_device(void **state)
{
	struct audio_spec spec = { .input = "no-such-card", .output = "null",
				   .frame_ms = 20 };
	struct audio_dev *dev;
	char *err = NULL;

	if (!set_up())
		skip();
	assert_true(audio_open(&dev, &spec, &err) < 0);
	assert_non_null(strstr(err, "no capture device named 'no-such-card'"));
	free(err);
	err = NULL;
	spec.input = "null";
	spec.output = "default";
	spec.device_rate = 1;	/* ALSA takes no such rate */
	assert_true(audio_open(&dev, &spec, &err) < 0);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "'default' takes no 16-bit"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audio_pa__list__sees_the_file_devices),
		cmocka_unit_test(test_audio_pa__play__tone_reaches_the_device),
		cmocka_unit_test(test_audio_pa__play__resampled_for_a_44k_device),
		cmocka_unit_test(test_audio_pa__capture__reads_the_infile),
		cmocka_unit_test(test_audio_pa__capture__resampled_from_a_44k_device),
		cmocka_unit_test(test_audio_pa__open__names_a_missing_device),
	};

	/* a device closing its end early must fail a check, not kill us */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
