/* Unit tests for call/audio with the file and null back-ends: pacing,
 * bit-exact file round trips, the end of an input file, resampling,
 * levels, switching devices, the ring device, and bad device strings.
 * (The PortAudio back-end is tested by test_audio_pa.c, which
 * tests/it/test_audio_alsa.sh runs against an ALSA file device.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call/audio.h"
#include "common/str.h"
#include "tests/unit/call/audio_helpers.h"

static char tmpdir[] = "/tmp/confab-test-audio-XXXXXX";

/* "file:DIR/name" (or the bare path with file: false), malloc'd */
static char *tfile(const char *name, bool file)
{
	return xasprintf("%s%s/%s", file ? "file:" : "", tmpdir, name);
}

static struct audio_dev *open_dev(const char *in, const char *out,
				  const char *ring, int frame_ms, bool paced)
{
	struct audio_spec spec = {
		.input = in, .output = out, .ring = ring,
		.frame_ms = frame_ms, .paced = paced,
	};
	struct audio_dev *dev = NULL;
	char *err = NULL;

	if (audio_open(&dev, &spec, &err) < 0)
		fail_msg("audio_open: %s", err);
	return dev;
}

/* Open must fail with a message holding want. */
static void expect_open_fails(const char *in, const char *out, int frame_ms,
			      const char *want)
{
	struct audio_spec spec = { .input = in, .output = out,
				   .frame_ms = frame_ms };
	struct audio_dev *dev = (void *)1;
	char *err = NULL;

	assert_true(audio_open(&dev, &spec, &err) < 0);
	assert_null(dev);
	assert_non_null(err);
	if (!strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
	free(err);
}

/* ---- opening ------------------------------------------------------------ */

static void test_audio__open__refuses_bad_specs(void **state)
{
	char *out = tfile("x.wav", true);

	expect_open_fails("null", "null", 15, "10 or 20 ms");
	expect_open_fails("file:", "null", 20, "file: needs a path");
	expect_open_fails("file:/nonexistent/in.wav", "null", 20,
			  "/nonexistent/in.wav: No such file");
	expect_open_fails("null", "file:/nonexistent/dir/out.wav", 20,
			  "/nonexistent/dir/out.wav");
	expect_open_fails(out, "null", 20, "No such file");	/* not yet */
	free(out);
	audio_close(NULL);
}

/* ---- pacing ------------------------------------------------------------- */

/* 10 frames of 20 ms take 200 ms: never less (the schedule is absolute),
 * and the upper bound leaves room for a loaded 2-core machine. */
static void test_audio__read__paced_null_takes_real_time(void **state)
{
	struct audio_dev *dev = open_dev("null", "null", NULL, 20, true);
	int16_t frame[AUDIO_MAX_FRAME];

	assert_int_equal(audio_frame_samples(dev), 960);
	long long t0 = th_now_ms();
	for (int i = 0; i < 10; i++)
		assert_int_equal(audio_read(dev, frame), 0);
	long long dt = th_now_ms() - t0;
	if (dt < 195 || dt > 700)
		fail_msg("10 paced 20 ms frames took %lld ms", dt);
	assert_false(audio_input_ended(dev));
	audio_close(dev);

	dev = open_dev("null", "null", NULL, 10, true);
	assert_int_equal(audio_frame_samples(dev), 480);
	t0 = th_now_ms();
	for (int i = 0; i < 20; i++)
		assert_int_equal(audio_read(dev, frame), 0);
	dt = th_now_ms() - t0;
	if (dt < 195 || dt > 700)
		fail_msg("20 paced 10 ms frames took %lld ms", dt);
	audio_close(dev);
}

static void test_audio__read__paced_file_takes_real_time(void **state)
{
	char *path = tfile("pace.wav", false), *in = tfile("pace.wav", true);
	static int16_t s[48000];
	int16_t frame[AUDIO_MAX_FRAME];

	th_write_wav(path, 48000, 1, s, 48000);
	struct audio_dev *dev = open_dev(in, "null", NULL, 20, true);
	long long t0 = th_now_ms();
	for (int i = 0; i < 10; i++)
		assert_int_equal(audio_read(dev, frame), 0);
	long long dt = th_now_ms() - t0;
	if (dt < 195 || dt > 700)
		fail_msg("10 paced frames from a file took %lld ms", dt);
	audio_close(dev);
	free(path);
	free(in);
}

static void test_audio__read__unpaced_is_fast(void **state)
{
	struct audio_dev *dev = open_dev("null", "null", NULL, 20, false);
	int16_t frame[AUDIO_MAX_FRAME];

	long long t0 = th_now_ms();
	for (int i = 0; i < 500; i++)	/* 10 s of audio */
		assert_int_equal(audio_read(dev, frame), 0);
	long long dt = th_now_ms() - t0;
	if (dt > 1000)
		fail_msg("500 unpaced frames took %lld ms", dt);
	audio_close(dev);
}

/* ---- files -------------------------------------------------------------- */

/* 49500 samples (51.6 frames) through input and output files: the same
 * samples come out, then zeros to the end of the last frame; the input
 * says it has ended with the read that took its last samples. */
static void test_audio__file__round_trip_bit_exact(void **state)
{
	char *ip = tfile("rt-in.wav", false), *op = tfile("rt-out.wav", false);
	char *in = tfile("rt-in.wav", true), *out = tfile("rt-out.wav", true);
	static int16_t s[49500];
	int16_t frame[AUDIO_MAX_FRAME];
	unsigned seed = 3, rate = 0;
	int frames = 0;

	for (size_t i = 0; i < 49500; i++)
		s[i] = (int16_t)(rand_r(&seed) & 0xffff);
	th_write_wav(ip, 48000, 1, s, 49500);
	struct audio_dev *dev = open_dev(in, out, NULL, 20, false);
	while (!audio_input_ended(dev)) {
		assert_int_equal(audio_read(dev, frame), 0);
		assert_int_equal(audio_write(dev, frame), 0);
		frames++;
		assert_true(frames <= 52);
	}
	assert_int_equal(frames, 52);
	/* after the end: silence, still ended */
	assert_int_equal(audio_read(dev, frame), 0);
	for (int i = 0; i < 960; i++)
		assert_int_equal(frame[i], 0);
	assert_true(audio_input_ended(dev));
	struct audio_stats st;
	audio_stats(dev, &st);
	assert_int_equal(st.frames_read, 53);
	assert_int_equal(st.frames_written, 52);
	assert_int_equal(audio_drain(dev, 100), 0);
	audio_close(dev);

	size_t n;
	int16_t *got = th_read_wav(op, &n, &rate);
	assert_int_equal(rate, 48000);
	assert_int_equal(n, 52 * 960);
	assert_memory_equal(got, s, sizeof s);
	for (size_t i = 49500; i < n; i++)
		assert_int_equal(got[i], 0);
	free(got);
	free(ip);
	free(op);
	free(in);
	free(out);
}

/* A 1 kHz tone at another rate (and stereo) comes out at 48 kHz, as
 * long as it went in, still a 1 kHz tone. */
static void resample_case(unsigned rate, unsigned channels)
{
	char *ip = tfile("rs.wav", false), *in = tfile("rs.wav", true);
	int16_t *s = calloc(rate * channels, sizeof *s);
	static int16_t got[60 * 960];
	size_t n = 0;

	for (unsigned i = 0; i < rate; i++)
		for (unsigned c = 0; c < channels; c++)
			s[i * channels + c] = th_tone(i, 1000, rate, 16000);
	th_write_wav(ip, rate, channels, s, rate);
	struct audio_dev *dev = open_dev(in, "null", NULL, 20, false);
	while (!audio_input_ended(dev) && n < 60 * 960) {
		assert_int_equal(audio_read(dev, got + n), 0);
		n += 960;
	}
	audio_close(dev);
	/* one second, give or take the filter's tail and the last frame */
	if (n < 48000 || n > 48000 + 2 * 960)
		fail_msg("%u Hz x%u: %zu samples out", rate, channels, n);
	double f = th_tone_fraction(got + 4800, 38400, 1000, 48000);
	if (f < 0.99)
		fail_msg("%u Hz x%u: 1 kHz holds %.3f of the energy", rate,
			 channels, f);
	free(s);
	free(ip);
	free(in);
}

static void test_audio__file__resamples_other_rates(void **state)
{
	resample_case(44100, 2);
	resample_case(8000, 1);
	resample_case(96000, 1);
}

static void test_audio__file__refuses_odd_rates(void **state)
{
	char *ip = tfile("slow.wav", false), *in = tfile("slow.wav", true);
	int16_t s[100] = { 0 };

	th_write_wav(ip, 4000, 1, s, 100);
	expect_open_fails(in, "null", 20, "4000 Hz; calls take WAV files of "
			  "8000 to 192000 Hz");
	free(ip);
	free(in);
}

/* ---- levels ------------------------------------------------------------- */

static void test_audio__levels__rms_in_dbfs(void **state)
{
	char *ip = tfile("lvl.wav", false), *in = tfile("lvl.wav", true);
	char *out = tfile("lvl-out.wav", true);
	static int16_t s[9600];
	int16_t frame[AUDIO_MAX_FRAME] = { 0 };
	float lin, lout;

	for (int i = 0; i < 4800; i++)	/* 100 ms of a full-scale sine */
		s[i] = th_tone(i, 1000, 48000, 32767);
	th_write_wav(ip, 48000, 1, s, 9600);
	struct audio_dev *dev = open_dev(in, out, NULL, 20, false);
	audio_levels(dev, &lin, &lout);
	assert_true(lin == AUDIO_LEVEL_FLOOR && lout == AUDIO_LEVEL_FLOOR);
	for (int i = 0; i < 5; i++)
		audio_read(dev, frame);
	audio_write(dev, frame);
	audio_levels(dev, &lin, &lout);
	if (fabsf(lin + 3.01f) > 0.1f || fabsf(lout + 3.01f) > 0.2f)
		fail_msg("a full-scale sine measured %.2f / %.2f dBFS", lin,
			 lout);
	for (int i = 0; i < 5; i++)	/* the next 100 ms are silent */
		audio_read(dev, frame);
	audio_levels(dev, &lin, NULL);
	assert_true(lin == AUDIO_LEVEL_FLOOR);
	audio_close(dev);
	free(ip);
	free(in);
	free(out);
}

/* ---- switching and ringing ---------------------------------------------- */

static void fill(int16_t *frame, int16_t v)
{
	for (int i = 0; i < 960; i++)
		frame[i] = v;
}

static void test_audio__switch__output_and_input_mid_call(void **state)
{
	char *a = tfile("a.wav", true), *b = tfile("b.wav", true);
	char *ap = tfile("a.wav", false), *bp = tfile("b.wav", false);
	char *ip = tfile("sw-in.wav", false), *in = tfile("sw-in.wav", true);
	int16_t frame[AUDIO_MAX_FRAME], one[960];
	char *err = NULL;
	size_t n;

	struct audio_dev *dev = open_dev("null", a, NULL, 20, false);
	fill(frame, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(audio_write(dev, frame), 0);
	/* a device that cannot be opened leaves the old one in place */
	assert_true(audio_switch(dev, AUDIO_OUT, "file:/nonexistent/x.wav",
				 &err) < 0);
	assert_non_null(strstr(err, "/nonexistent/x.wav"));
	free(err);
	assert_int_equal(audio_write(dev, frame), 0);
	assert_int_equal(audio_switch(dev, AUDIO_OUT, b, &err), 0);
	fill(frame, 2);
	for (int i = 0; i < 5; i++)
		assert_int_equal(audio_write(dev, frame), 0);

	fill(one, 7);
	th_write_wav(ip, 48000, 1, one, 960);
	assert_int_equal(audio_switch(dev, AUDIO_IN, in, &err), 0);
	assert_int_equal(audio_read(dev, frame), 0);
	assert_int_equal(frame[0], 7);
	assert_true(audio_input_ended(dev));
	assert_int_equal(audio_switch(dev, AUDIO_IN, "null", &err), 0);
	assert_false(audio_input_ended(dev));
	audio_close(dev);

	int16_t *got = th_read_wav(ap, &n, NULL);
	assert_int_equal(n, 4 * 960);
	assert_int_equal(got[n - 1], 1);
	free(got);
	got = th_read_wav(bp, &n, NULL);
	assert_int_equal(n, 5 * 960);
	assert_int_equal(got[0], 2);
	free(got);
	free(a);
	free(b);
	free(ap);
	free(bp);
	free(ip);
	free(in);
}

static void test_audio__ring__shared_or_own_device(void **state)
{
	char *out = tfile("o.wav", true), *op = tfile("o.wav", false);
	char *ring = tfile("r.wav", true), *rp = tfile("r.wav", false);
	int16_t frame[AUDIO_MAX_FRAME];
	char *err = NULL;
	size_t n;

	/* no ring device: ringing goes to the output */
	struct audio_dev *dev = open_dev("null", out, NULL, 20, false);
	fill(frame, 3);
	assert_int_equal(audio_ring_write(dev, frame), 0);
	assert_int_equal(audio_write(dev, frame), 0);
	/* its own device, then back to the output */
	assert_int_equal(audio_switch(dev, AUDIO_RING, ring, &err), 0);
	fill(frame, 4);
	assert_int_equal(audio_ring_write(dev, frame), 0);
	assert_int_equal(audio_ring_write(dev, frame), 0);
	assert_int_equal(audio_switch(dev, AUDIO_RING, NULL, &err), 0);
	assert_int_equal(audio_ring_write(dev, frame), 0);
	struct audio_stats st;
	audio_stats(dev, &st);
	assert_int_equal(st.ring_frames_written, 4);
	assert_int_equal(st.frames_written, 1);
	audio_close(dev);

	int16_t *got = th_read_wav(op, &n, NULL);
	assert_int_equal(n, 3 * 960);
	assert_int_equal(got[2 * 960], 4);
	free(got);
	got = th_read_wav(rp, &n, NULL);
	assert_int_equal(n, 2 * 960);
	free(got);

	/* named at open, the same as the output: shared, not opened twice */
	dev = open_dev("null", out, out, 20, false);
	assert_int_equal(audio_ring_write(dev, frame), 0);
	audio_close(dev);
	got = th_read_wav(op, &n, NULL);
	assert_int_equal(n, 960);
	free(got);
	free(out);
	free(op);
	free(ring);
	free(rp);
}

static int group_setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audio__open__refuses_bad_specs),
		cmocka_unit_test(test_audio__read__paced_null_takes_real_time),
		cmocka_unit_test(test_audio__read__paced_file_takes_real_time),
		cmocka_unit_test(test_audio__read__unpaced_is_fast),
		cmocka_unit_test(test_audio__file__round_trip_bit_exact),
		cmocka_unit_test(test_audio__file__resamples_other_rates),
		cmocka_unit_test(test_audio__file__refuses_odd_rates),
		cmocka_unit_test(test_audio__levels__rms_in_dbfs),
		cmocka_unit_test(test_audio__switch__output_and_input_mid_call),
		cmocka_unit_test(test_audio__ring__shared_or_own_device),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
