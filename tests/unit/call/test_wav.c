/* Unit tests for call/wav: round trips, a writer killed mid-file, and
 * malformed or unsupported headers (each refused with a message saying
 * what is wrong, never a crash). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call/wav.h"
#include "common/str.h"

static char tmpdir[] = "/tmp/confab-test-wav-XXXXXX";

static char *tpath(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* ---- building files byte by byte ---------------------------------------- */

struct bytes {
	unsigned char b[4096];
	size_t n;
};

static void b_raw(struct bytes *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->b);
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void b_u16(struct bytes *b, unsigned v)
{
	unsigned char p[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	b_raw(b, p, 2);
}

static void b_u32(struct bytes *b, uint32_t v)
{
	b_u16(b, v & 0xffff);
	b_u16(b, v >> 16);
}

/* "RIFF" size "WAVE" (the RIFF size is not checked by the reader) */
static void b_riff(struct bytes *b)
{
	b_raw(b, "RIFF", 4);
	b_u32(b, 0);
	b_raw(b, "WAVE", 4);
}

static void b_fmt(struct bytes *b, unsigned tag, unsigned ch, uint32_t rate,
		  unsigned bits, unsigned align)
{
	b_raw(b, "fmt ", 4);
	b_u32(b, 16);
	b_u16(b, tag);
	b_u16(b, ch);
	b_u32(b, rate);
	b_u32(b, rate * align);
	b_u16(b, align);
	b_u16(b, bits);
}

/* a data chunk declaring `declared` bytes and holding `n` samples 0..n-1
 * times 7 (not ASCII-looking) */
static void b_data(struct bytes *b, uint32_t declared, size_t n)
{
	b_raw(b, "data", 4);
	b_u32(b, declared);
	for (size_t i = 0; i < n; i++)
		b_u16(b, (unsigned)(uint16_t)(int16_t)(i * 7 + 1000));
}

static char *b_save(const struct bytes *b, const char *name)
{
	char *p = tpath(name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b->b, 1, b->n, f), b->n);
	fclose(f);
	return p;
}

/* Open must fail with a message holding `want`. */
static void expect_refused(const struct bytes *b, const char *want)
{
	char *p = b_save(b, "bad.wav"), *err = NULL;
	struct wav_reader *r = (void *)1;

	assert_int_equal(wav_reader_open(&r, p, &err), -1);
	assert_null(r);
	assert_non_null(err);
	if (!strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
	assert_non_null(strstr(err, p));	/* names the file */
	free(err);
	free(p);
}

/* Open must work; returns the reader. */
static struct wav_reader *expect_open(const struct bytes *b)
{
	char *p = b_save(b, "ok.wav"), *err = NULL;
	struct wav_reader *r = NULL;

	if (wav_reader_open(&r, p, &err) < 0)
		fail_msg("refused: %s", err);
	free(p);
	return r;
}

/* ---- round trips -------------------------------------------------------- */

static void test_wav__write__mono_round_trip(void **state)
{
	char *p = tpath("mono.wav"), *err = NULL;
	struct wav_writer *w;
	struct wav_reader *r;
	int16_t in[3000], out[4000];

	for (int i = 0; i < 3000; i++)
		in[i] = (int16_t)(i * 37 - 30000);
	assert_int_equal(wav_writer_open(&w, p, 48000, 1, &err), 0);
	assert_int_equal(wav_write(w, in, 1000, &err), 0);
	assert_int_equal(wav_write(w, in + 1000, 2000, &err), 0);
	assert_int_equal(wav_writer_frames(w), 3000);
	assert_int_equal(wav_writer_close(w, &err), 0);

	assert_int_equal(wav_reader_open(&r, p, &err), 0);
	const struct wav_info *wi = wav_reader_info(r);
	assert_int_equal(wi->rate, 48000);
	assert_int_equal(wi->channels, 1);
	assert_int_equal(wi->frames, 3000);
	assert_false(wi->truncated);
	assert_false(wi->open_ended);
	assert_int_equal(wav_read_mono(r, out, 4000, &err), 3000);
	assert_memory_equal(in, out, sizeof in);
	assert_int_equal(wav_read_mono(r, out, 10, &err), 0);
	wav_reader_free(r);
	free(p);
}

static void test_wav__read__stereo_is_averaged(void **state)
{
	char *p = tpath("stereo.wav"), *err = NULL;
	struct wav_writer *w;
	struct wav_reader *r;
	int16_t in[8] = { 100, 300, -32768, -32768, 32767, 32767, 5, -6 };
	int16_t out[4];

	assert_int_equal(wav_writer_open(&w, p, 44100, 2, &err), 0);
	assert_int_equal(wav_write(w, in, 4, &err), 0);
	assert_int_equal(wav_writer_close(w, NULL), 0);
	assert_int_equal(wav_reader_open(&r, p, &err), 0);
	assert_int_equal(wav_reader_info(r)->rate, 44100);
	assert_int_equal(wav_reader_info(r)->channels, 2);
	assert_int_equal(wav_reader_info(r)->frames, 4);
	assert_int_equal(wav_read_mono(r, out, 4, &err), 4);
	assert_int_equal(out[0], 200);
	assert_int_equal(out[1], -32768);
	assert_int_equal(out[2], 32767);
	assert_int_equal(out[3], 0);
	wav_reader_free(r);
	free(p);
}

/* The writer dies after 2.5 s at 8 kHz: the header was last patched at
 * 2 s, and the reader still finds all 2.5 s. */
static void test_wav__write__killed_writer_leaves_readable_file(void **state)
{
	char *p = tpath("killed.wav"), *err = NULL;
	struct wav_writer *w;
	struct wav_reader *r;
	static int16_t in[20000], out[20001];

	for (int i = 0; i < 20000; i++)
		in[i] = (int16_t)(i * 13 + 5);
	assert_int_equal(wav_writer_open(&w, p, 8000, 1, &err), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(wav_write(w, in + i * 1000, 1000, &err), 0);
	/* as a killed process would leave it: not closed */
	assert_int_equal(wav_reader_open(&r, p, &err), 0);
	assert_int_equal(wav_reader_info(r)->frames, 20000);
	assert_true(wav_reader_info(r)->open_ended);
	assert_int_equal(wav_read_mono(r, out, 20001, &err), 20000);
	assert_memory_equal(in, out, sizeof in);
	wav_reader_free(r);

	assert_int_equal(wav_writer_close(w, &err), 0);
	assert_int_equal(wav_reader_open(&r, p, &err), 0);
	assert_int_equal(wav_reader_info(r)->frames, 20000);
	assert_false(wav_reader_info(r)->open_ended);
	wav_reader_free(r);
	free(p);
}

static void test_wav__writer__refuses_bad_path_and_format(void **state)
{
	struct wav_writer *w = (void *)1;
	char *err = NULL;

	assert_int_equal(wav_writer_open(&w, "/nonexistent/dir/x.wav", 48000,
					 1, &err), -1);
	assert_null(w);
	assert_non_null(strstr(err, "/nonexistent/dir/x.wav"));
	assert_non_null(strstr(err, "No such file"));
	free(err);
	err = NULL;
	assert_int_equal(wav_writer_open(&w, "/tmp/x.wav", 48000, 3, &err),
			 -1);
	assert_non_null(err);
	free(err);
	assert_int_equal(wav_writer_close(NULL, NULL), 0);
}

/* ---- headers the reader takes ------------------------------------------- */

static void test_wav__read__open_ended_sizes(void **state)
{
	struct bytes b = { .n = 0 };
	int16_t out[64];
	char *err = NULL;

	b_riff(&b);
	b_fmt(&b, 1, 1, 16000, 16, 2);
	b_data(&b, 0xFFFFFFFFu, 50);	/* a streaming writer's header */
	struct wav_reader *r = expect_open(&b);
	assert_int_equal(wav_reader_info(r)->frames, 50);
	assert_true(wav_reader_info(r)->open_ended);
	assert_int_equal(wav_read_mono(r, out, 64, &err), 50);
	assert_int_equal(out[49], 49 * 7 + 1000);
	wav_reader_free(r);
}

/* arecord's 0x7FFFFFFF; and a declared size followed by more than 2 s
 * of something that is not a chunk: that is not taken as samples. */
static void test_wav__read__streaming_sizes_and_long_tails(void **state)
{
	struct bytes b = { .n = 0 };

	b_riff(&b);
	b_fmt(&b, 1, 1, 8000, 16, 2);
	b_data(&b, 0x7FFFFFFFu, 30);
	struct wav_reader *r = expect_open(&b);
	assert_int_equal(wav_reader_info(r)->frames, 30);
	assert_true(wav_reader_info(r)->open_ended);
	assert_false(wav_reader_info(r)->truncated);
	wav_reader_free(r);

	b.n = 0;
	b_riff(&b);
	b_fmt(&b, 1, 1, 400, 16, 2);	/* 2 s at 400 Hz: 1600 bytes */
	b_data(&b, 20, 10 + 900);
	r = expect_open(&b);
	assert_int_equal(wav_reader_info(r)->frames, 10);
	assert_false(wav_reader_info(r)->open_ended);
	wav_reader_free(r);

	b.n = 0;
	b_riff(&b);
	b_fmt(&b, 1, 1, 400, 16, 2);
	b_data(&b, 20, 10 + 700);	/* within 2 s: the writer's tail */
	r = expect_open(&b);
	assert_int_equal(wav_reader_info(r)->frames, 710);
	assert_true(wav_reader_info(r)->open_ended);
	wav_reader_free(r);
}

static void test_wav__read__cut_short(void **state)
{
	struct bytes b = { .n = 0 };
	int16_t out[64];
	char *err = NULL;

	b_riff(&b);
	b_fmt(&b, 1, 1, 8000, 16, 2);
	b_data(&b, 10000, 20);
	b.n--;			/* and half a sample */
	struct wav_reader *r = expect_open(&b);
	assert_true(wav_reader_info(r)->truncated);
	assert_int_equal(wav_reader_info(r)->frames, 19);
	assert_int_equal(wav_read_mono(r, out, 64, &err), 19);
	wav_reader_free(r);
}

/* Chunks before fmt (odd-sized, so padded), a LIST after data: the data
 * chunk's size is believed, because a chunk header follows it. */
static void test_wav__read__skips_other_chunks(void **state)
{
	struct bytes b = { .n = 0 };
	int16_t out[64];
	char *err = NULL;

	b_riff(&b);
	b_raw(&b, "junk", 4);
	b_u32(&b, 3);
	b_raw(&b, "abc\0", 4);	/* 3 bytes and the pad byte */
	b_fmt(&b, 1, 1, 22050, 16, 2);
	b_data(&b, 20, 10);
	b_raw(&b, "LIST", 4);
	b_u32(&b, 4);
	b_raw(&b, "INFO", 4);
	struct wav_reader *r = expect_open(&b);
	assert_int_equal(wav_reader_info(r)->rate, 22050);
	assert_int_equal(wav_reader_info(r)->frames, 10);
	assert_false(wav_reader_info(r)->open_ended);
	assert_int_equal(wav_read_mono(r, out, 64, &err), 10);
	assert_int_equal(out[0], 1000);
	wav_reader_free(r);
}

static void test_wav__read__extensible_pcm(void **state)
{
	struct bytes b = { .n = 0 };

	b_riff(&b);
	b_raw(&b, "fmt ", 4);
	b_u32(&b, 40);
	b_u16(&b, 0xFFFE);
	b_u16(&b, 2);
	b_u32(&b, 48000);
	b_u32(&b, 48000 * 4);
	b_u16(&b, 4);
	b_u16(&b, 16);
	b_u16(&b, 22);		/* cbSize */
	b_u16(&b, 16);		/* valid bits */
	b_u32(&b, 3);		/* channel mask */
	b_raw(&b, "\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38"
		  "\x9b\x71", 16);	/* KSDATAFORMAT_SUBTYPE_PCM */
	b_data(&b, 8, 4);
	struct wav_reader *r = expect_open(&b);
	assert_int_equal(wav_reader_info(r)->channels, 2);
	assert_int_equal(wav_reader_info(r)->frames, 2);
	wav_reader_free(r);
}

/* ---- headers the reader refuses ----------------------------------------- */

static void test_wav__read__refuses_malformed(void **state)
{
	struct bytes b = { .n = 0 };

	expect_refused(&b, "too short for a header");
	b_raw(&b, "hello, world", 12);
	expect_refused(&b, "not a WAV file");
	b.n = 0;
	b_raw(&b, "RIFF\0\0\0\0AVI ", 12);
	expect_refused(&b, "no RIFF/WAVE header");
	b.n = 0;
	b_raw(&b, "RIFX\0\0\0\0WAVE", 12);
	expect_refused(&b, "RIFX files are not supported");
	b.n = 0;
	b_riff(&b);
	expect_refused(&b, "no fmt chunk");
	b_data(&b, 4, 2);
	expect_refused(&b, "data chunk before the fmt chunk");

	b.n = 0;
	b_riff(&b);
	b_raw(&b, "fmt ", 4);
	b_u32(&b, 12);
	b_raw(&b, "\1\0\1\0\x80\xbb\0\0\0\0\0\0", 12);
	expect_refused(&b, "fmt chunk of 12 bytes is too short");

	b.n = 0;
	b_riff(&b);
	b_fmt(&b, 1, 1, 48000, 16, 2);
	expect_refused(&b, "no data chunk");

	b.n = 0;
	b_riff(&b);
	b_raw(&b, "fmt ", 4);
	b_u32(&b, 16);
	b_u16(&b, 1);		/* and then the file ends */
	expect_refused(&b, "fmt chunk cut short");

	b.n = 0;
	b_riff(&b);
	b_fmt(&b, 1, 2, 48000, 16, 2);	/* stereo needs 4 */
	b_data(&b, 4, 2);
	expect_refused(&b, "block align 2 does not match 2 channel(s)");
}

static void test_wav__read__refuses_unsupported(void **state)
{
	static const struct {
		unsigned tag, ch, bits, align;
		uint32_t rate;
		const char *want;
	} cases[] = {
		{ 3, 1, 32, 4, 48000, "WAV format 3 (32-bit float) is not "
				      "supported; convert it" },
		{ 7, 1, 8, 1, 8000, "WAV format 7 (mu-law)" },
		{ 0x55, 2, 0, 1, 44100, "(MP3)" },
		{ 1, 1, 24, 3, 48000, "24-bit samples; only 16-bit PCM" },
		{ 1, 1, 8, 1, 8000, "8-bit samples" },
		{ 1, 0, 16, 0, 48000, "0 channels; only mono and stereo" },
		{ 1, 6, 16, 12, 48000, "6 channels" },
		{ 1, 1, 16, 2, 0, "sample rate 0 Hz is out of range" },
		{ 1, 1, 16, 2, 500000, "sample rate 500000 Hz" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct bytes b = { .n = 0 };
		b_riff(&b);
		b_fmt(&b, cases[i].tag, cases[i].ch, cases[i].rate,
		      cases[i].bits, cases[i].align);
		b_data(&b, 8, 4);
		expect_refused(&b, cases[i].want);
	}
}

static void test_wav__read__refuses_missing_and_directories(void **state)
{
	struct wav_reader *r;
	char *err = NULL;

	assert_int_equal(wav_reader_open(&r, "/nonexistent.wav", &err), -1);
	assert_non_null(strstr(err, "/nonexistent.wav: No such file"));
	free(err);
	err = NULL;
	assert_int_equal(wav_reader_open(&r, tmpdir, &err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	free(err);
}

/* Every prefix of a good file, and random bytes behind a good magic:
 * refused or read, never a crash (ASan watches). */
static void test_wav__read__survives_garbage(void **state)
{
	struct bytes good = { .n = 0 }, b;
	int16_t out[256];
	unsigned seed = 7;

	b_riff(&good);
	b_fmt(&good, 1, 2, 44100, 16, 4);
	b_data(&good, 40, 20);
	for (size_t len = 0; len <= good.n; len++) {
		b = good;
		b.n = len;
		char *p = b_save(&b, "prefix.wav"), *err = NULL;
		struct wav_reader *r;
		if (wav_reader_open(&r, p, &err) == 0) {
			assert_true(wav_read_mono(r, out, 256, &err) >= 0);
			wav_reader_free(r);
		} else {
			assert_non_null(err);
			free(err);
		}
		free(p);
	}
	for (int round = 0; round < 500; round++) {
		b.n = 0;
		b_riff(&b);
		size_t n = (size_t)rand_r(&seed) % 200;
		for (size_t i = 0; i < n; i++) {
			/* mostly chunk-like bytes, so parsing gets far */
			static const char ids[] = "fmt data\x01\x02\x10\xff ";
			unsigned char c = rand_r(&seed) % 3
				? (unsigned char)ids[rand_r(&seed) % 13]
				: (unsigned char)rand_r(&seed);
			b_raw(&b, &c, 1);
		}
		char *p = b_save(&b, "garbage.wav"), *err = NULL;
		struct wav_reader *r;
		if (wav_reader_open(&r, p, &err) == 0) {
			assert_true(wav_read_mono(r, out, 256, &err) >= 0);
			wav_reader_free(r);
		} else {
			free(err);
		}
		free(p);
	}
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
		cmocka_unit_test(test_wav__write__mono_round_trip),
		cmocka_unit_test(test_wav__read__stereo_is_averaged),
		cmocka_unit_test(test_wav__write__killed_writer_leaves_readable_file),
		cmocka_unit_test(test_wav__writer__refuses_bad_path_and_format),
		cmocka_unit_test(test_wav__read__open_ended_sizes),
		cmocka_unit_test(test_wav__read__streaming_sizes_and_long_tails),
		cmocka_unit_test(test_wav__read__cut_short),
		cmocka_unit_test(test_wav__read__skips_other_chunks),
		cmocka_unit_test(test_wav__read__extensible_pcm),
		cmocka_unit_test(test_wav__read__refuses_malformed),
		cmocka_unit_test(test_wav__read__refuses_unsupported),
		cmocka_unit_test(test_wav__read__refuses_missing_and_directories),
		cmocka_unit_test(test_wav__read__survives_garbage),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
