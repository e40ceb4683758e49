/* Unit tests for call/vmail: a voice mail recorded from a WAV file into
 * Ogg Opus holds the speech (decoded and compared), stops at the file's
 * end or the maximum length; playing it back into a WAV file gives the
 * speech again, and pause and seek move the position as asked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call/quality.h"
#include "call/vmail.h"
#include "common/str.h"
#include "audio_helpers.h"

struct files {
	char dir[64], wav[96], ogg[96], out[96];
};

static void files_setup(struct files *f, double secs)
{
	size_t n = (size_t)(secs * 48000);
	int16_t *s = calloc(n, sizeof *s);

	snprintf(f->dir, sizeof f->dir, "/tmp/confab-vmail-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->wav, sizeof f->wav, "%s/in.wav", f->dir);
	snprintf(f->ogg, sizeof f->ogg, "%s/vm.opus", f->dir);
	snprintf(f->out, sizeof f->out, "%s/out.wav", f->dir);
	quality_gen_speech(s, n, 9);
	th_write_wav(f->wav, 48000, 1, s, n);
	free(s);
}

static void files_free(struct files *f)
{
	unlink(f->wav);
	unlink(f->ogg);
	unlink(f->out);
	rmdir(f->dir);
}

static void record(struct files *f, int max_s, double *secs)
{
	struct vmail_rec *r;
	char *err = NULL, *in = xasprintf("file:%s", f->wav);

	assert_int_equal(vmail_rec_start(&r, in, f->ogg, max_s, &err), 0);
	long long t0 = th_now_ms();
	while (!vmail_rec_done(r) && th_now_ms() - t0 < 10000)
		usleep(20000);
	assert_true(vmail_rec_done(r));
	*secs = vmail_rec_stop(r, &err);
	free(in);
}

static void test_vmail__record__whole_file_then_play(void **state)
{
	struct files f;
	struct vmail_play *p;
	char *err = NULL, *out;
	double secs;
	size_t nin, nout;
	struct quality_report q;

	(void)state;
	files_setup(&f, 3);
	record(&f, 0, &secs);
	/* the file's end stops it: paced, so it took about 3 s */
	assert_true(secs > 2.9 && secs <= 3.0);
	assert_true(vmail_length(f.ogg) > 2.9 && vmail_length(f.ogg) < 3.1);
	assert_true(vmail_length(f.wav) < 0);	/* not Ogg Opus */

	out = xasprintf("file:%s", f.out);
	assert_int_equal(vmail_play_start(&p, f.ogg, out, &err), 0);
	assert_true(vmail_play_length(p) > 2.9);
	long long t0 = th_now_ms();
	while (!vmail_play_ended(p) && th_now_ms() - t0 < 10000)
		usleep(20000);
	assert_true(vmail_play_ended(p));
	assert_true(vmail_play_position(p) > 2.9);
	vmail_play_stop(p);
	int16_t *a = th_read_wav(f.wav, &nin, NULL);
	int16_t *b = th_read_wav(f.out, &nout, NULL);
	assert_int_equal(quality_compare(a, nin, b, nout, 4800, &q), 0);
	print_message("voice mail round trip: delay %d, STOI %.3f\n", q.delay,
		      q.stoi);
	assert_true(q.stoi > 0.9);
	free(a);
	free(b);
	free(out);
	files_free(&f);
}

static void test_vmail__record__stops_at_max(void **state)
{
	struct files f;
	double secs;

	(void)state;
	files_setup(&f, 4);
	record(&f, 1, &secs);
	assert_true(secs >= 1.0 && secs < 1.1);
	files_free(&f);
}

static void test_vmail__play__pause_and_seek(void **state)
{
	struct files f;
	struct vmail_play *p;
	char *err = NULL;
	double secs;

	(void)state;
	files_setup(&f, 3);
	record(&f, 0, &secs);
	assert_int_equal(vmail_play_start(&p, f.ogg, "null", &err), 0);
	vmail_play_pause(p, true);
	assert_true(vmail_play_paused(p));
	usleep(300000);
	assert_true(vmail_play_position(p) < 0.1);	/* paused: stays */
	vmail_play_seek(p, 2.0);
	assert_true(vmail_play_position(p) > 1.99 &&
		    vmail_play_position(p) < 2.01);
	vmail_play_pause(p, false);
	usleep(400000);
	assert_true(vmail_play_position(p) > 2.2);
	vmail_play_seek(p, 99);		/* past the end: the end */
	assert_true(vmail_play_ended(p));
	vmail_play_stop(p);
	vmail_play_stop(NULL);
	assert_true(vmail_play_start(&p, f.wav, "null", &err) < 0);
	assert_non_null(strstr(err, "not a voice mail"));
	free(err);
	files_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmail__record__whole_file_then_play),
		cmocka_unit_test(test_vmail__record__stops_at_max),
		cmocka_unit_test(test_vmail__play__pause_and_seek),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
