/* Unit tests for call/codec: the Opus encoder and decoder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "call/codec.h"
#include "call/quality.h"

#define SECONDS 3
#define N (SECONDS * CODEC_RATE)

/* Encode `in` frame by frame and decode it again, losing the frames for
 * which lose[] is set: recovered by FEC from the next packet when fec,
 * else concealed.  Returns the samples written to out (N at most). */
static size_t round_trip(const struct codec_enc_cfg *cfg, const int16_t *in,
			 int16_t *out, const bool *lose, bool fec)
{
	struct codec_enc *e;
	struct codec_dec *d;
	int fs = CODEC_RATE / 1000 * cfg->frame_ms, nf = N / fs;
	uint8_t (*pkt)[CODEC_PACKET_MAX] = calloc((size_t)nf, sizeof *pkt);
	int *len = calloc((size_t)nf, sizeof *len);
	size_t at = 0;

	assert_non_null(pkt);
	assert_non_null(len);
	assert_int_equal(codec_enc_alloc(&e, cfg), 0);
	assert_int_equal(codec_dec_alloc(&d, cfg->frame_ms), 0);
	for (int f = 0; f < nf; f++) {
		len[f] = codec_encode(e, in + f * fs, pkt[f], CODEC_PACKET_MAX);
		assert_true(len[f] > 0);
	}
	for (int f = 0; f < nf; f++) {
		int n;

		if (lose && lose[f] && fec && f + 1 < nf)
			n = codec_decode_fec(d, pkt[f + 1], (size_t)len[f + 1],
					     out + at, (size_t)(N - at));
		else if (lose && lose[f])
			n = codec_plc(d, out + at, (size_t)(N - at));
		else
			n = codec_decode(d, pkt[f], (size_t)len[f], out + at,
					 (size_t)(N - at));
		assert_int_equal(n, fs);
		at += (size_t)n;
	}
	codec_enc_free(e);
	codec_dec_free(d);
	free(pkt);
	free(len);
	return at;
}

/* Sum of squared differences between a and b over [from, to). */
static double err(const int16_t *a, const int16_t *b, size_t from, size_t to)
{
	double s = 0;

	for (size_t i = from; i < to; i++)
		s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
	return s;
}

static void test_codec__round_trip__matches_after_codec_delay(void **state)
{
	int16_t *in = malloc(N * sizeof *in), *out = malloc(N * sizeof *out);
	struct codec_enc_cfg cfg;
	struct codec_enc *e;
	struct quality_report q;
	int la;

	codec_enc_cfg_default(&cfg);
	assert_int_equal(codec_enc_alloc(&e, &cfg), 0);
	la = codec_enc_lookahead(e);
	codec_enc_free(e);
	quality_gen_speech(in, N, 7);
	assert_int_equal(round_trip(&cfg, in, out, NULL, false), N);
	assert_int_equal(quality_compare(in, N, out, N, 4800, &q), 0);
	print_message("codec: delay %d (lookahead %d) corr %.3f stoi %.3f "
		      "segsnr %.1f dB\n", q.delay, la, q.corr, q.stoi,
		      q.segsnr);
	/* The codec's delay is its look-ahead, 6.5 ms in VOIP mode, give
	 * or take the phase its filters leave (a few samples). */
	assert_in_range(q.delay, la - 8, la + 8);
	assert_true(q.corr > 0.9);
	assert_true(q.stoi > 0.9);
	free(in);
	free(out);
}

static void test_codec__round_trip__10ms_frames(void **state)
{
	int16_t *in = malloc(N * sizeof *in), *out = malloc(N * sizeof *out);
	struct codec_enc_cfg cfg;
	struct quality_report q;

	codec_enc_cfg_default(&cfg);
	cfg.frame_ms = 10;
	quality_gen_speech(in, N, 8);
	assert_int_equal(round_trip(&cfg, in, out, NULL, false), N);
	assert_int_equal(quality_compare(in, N, out, N, 4800, &q), 0);
	assert_true(q.corr > 0.85);
	assert_true(q.stoi > 0.9);
	free(in);
	free(out);
}

/* Lose every 7th frame (14 %); rebuild each from the next packet's FEC,
 * or conceal it.  FEC must come much closer to the loss-free decode. */
static void test_codec__fec__beats_plc(void **state)
{
	int16_t *in = malloc(N * sizeof *in), *clean = malloc(N * sizeof *in);
	int16_t *fec = malloc(N * sizeof *in), *plc = malloc(N * sizeof *in);
	bool lose[N / 960] = {false};
	struct codec_enc_cfg cfg;
	double e_fec = 0, e_plc = 0;
	struct quality_report qf, qp;

	codec_enc_cfg_default(&cfg);
	cfg.loss_pct = 15;
	for (int f = 10; f < N / 960 - 1; f += 7)
		lose[f] = true;
	quality_gen_speech(in, N, 9);
	round_trip(&cfg, in, clean, NULL, false);
	round_trip(&cfg, in, fec, lose, true);
	round_trip(&cfg, in, plc, lose, false);
	for (int f = 0; f < N / 960; f++) {
		if (!lose[f])
			continue;
		e_fec += err(clean, fec, (size_t)f * 960, (size_t)(f + 1) * 960);
		e_plc += err(clean, plc, (size_t)f * 960, (size_t)(f + 1) * 960);
	}
	assert_int_equal(quality_compare(in, N, fec, N, 4800, &qf), 0);
	assert_int_equal(quality_compare(in, N, plc, N, 4800, &qp), 0);
	print_message("codec: lost-frame error fec/plc = %.2f; stoi fec %.3f "
		      "plc %.3f\n", e_fec / e_plc, qf.stoi, qp.stoi);
	assert_true(e_fec < 0.5 * e_plc);
	assert_true(qf.stoi > qp.stoi);
	free(in);
	free(clean);
	free(fec);
	free(plc);
}

static void test_codec__fec__flag_seen_in_packets(void **state)
{
	int16_t *in = malloc(N * sizeof *in);
	struct codec_enc_cfg cfg;
	struct codec_enc *e;
	uint8_t pkt[CODEC_PACKET_MAX];
	int with = 0, total = 0;

	codec_enc_cfg_default(&cfg);
	cfg.loss_pct = 20;
	quality_gen_speech(in, N, 10);
	assert_int_equal(codec_enc_alloc(&e, &cfg), 0);
	for (int f = 0; f < N / 960; f++) {
		int n = codec_encode(e, in + f * 960, pkt, sizeof pkt);

		assert_true(n > 0);
		assert_int_equal(codec_packet_samples(pkt, (size_t)n), 960);
		with += codec_packet_has_fec(pkt, (size_t)n);
		total++;
	}
	/* Speech frames carry FEC; silence at the start may not. */
	assert_true(with > total / 2);
	/* Without expected loss, libopus sends none. */
	assert_int_equal(codec_enc_set_loss(e, 0), 0);
	codec_enc_free(e);
	cfg.fec = false;
	assert_int_equal(codec_enc_alloc(&e, &cfg), 0);
	for (int f = 0; f < 50; f++) {
		int n = codec_encode(e, in + f * 960, pkt, sizeof pkt);

		assert_false(codec_packet_has_fec(pkt, (size_t)n));
	}
	codec_enc_free(e);
	free(in);
}

static void test_codec__bitrate__set_and_measured(void **state)
{
	int16_t *in = malloc(N * sizeof *in);
	struct codec_enc_cfg cfg;
	struct codec_enc *e;
	struct codec_enc_stats st;
	uint8_t pkt[CODEC_PACKET_MAX];

	codec_enc_cfg_default(&cfg);
	cfg.bitrate = 24000;
	quality_gen_speech(in, N, 11);
	assert_int_equal(codec_enc_alloc(&e, &cfg), 0);
	assert_int_equal(codec_enc_bitrate(e), 24000);
	assert_int_equal(codec_enc_set_bitrate(e, 16000), 0);
	assert_int_equal(codec_enc_bitrate(e), 16000);
	assert_int_equal(codec_enc_set_bitrate(e, 100), -EINVAL);
	assert_int_equal(codec_enc_bitrate(e), 16000);
	assert_int_equal(codec_enc_set_loss(e, 101), -EINVAL);
	assert_int_equal(codec_enc_set_loss(e, 10), 0);
	for (int f = 0; f < N / 960; f++)
		assert_true(codec_encode(e, in + f * 960, pkt, sizeof pkt) > 0);
	codec_enc_stats(e, &st);
	print_message("codec: 16 kb/s target, %d b/s measured\n", st.bitrate);
	assert_int_equal(st.frames, N / 960);
	assert_true(st.bitrate > 8000 && st.bitrate < 24000);
	codec_enc_free(e);
	free(in);
}

static void test_codec__dtx__silence_sends_nothing(void **state)
{
	int16_t pcm[960] = {0};
	struct codec_enc_cfg cfg;
	struct codec_enc *e;
	struct codec_enc_stats st;
	uint8_t pkt[CODEC_PACKET_MAX];
	int sent = 0;

	codec_enc_cfg_default(&cfg);
	cfg.dtx = true;
	assert_int_equal(codec_enc_alloc(&e, &cfg), 0);
	for (int f = 0; f < 100; f++) {
		int n = codec_encode(e, pcm, pkt, sizeof pkt);

		assert_true(n >= 0);
		sent += n > 0;
	}
	codec_enc_stats(e, &st);
	/* After a few frames to notice the silence, only the occasional
	 * comfort-noise update goes out (one per 400 ms). */
	assert_true(sent < 20);
	assert_int_equal(st.dtx, 100 - sent);
	codec_enc_free(e);
}

static void test_codec__args__refused(void **state)
{
	struct codec_enc_cfg cfg;
	struct codec_enc *e = (void *)1;
	struct codec_dec *d = (void *)1;
	int16_t pcm[CODEC_SAMPLES_MAX];
	uint8_t junk[3] = {0xff, 0xff, 0xff};

	codec_enc_cfg_default(&cfg);
	cfg.frame_ms = 30;
	assert_int_equal(codec_enc_alloc(&e, &cfg), -EINVAL);
	assert_null(e);
	codec_enc_cfg_default(&cfg);
	cfg.bitrate = 1000;
	assert_int_equal(codec_enc_alloc(&e, &cfg), -EINVAL);
	assert_int_equal(codec_dec_alloc(&d, 5), -EINVAL);
	assert_null(d);
	codec_enc_free(NULL);
	codec_dec_free(NULL);

	assert_int_equal(codec_dec_alloc(&d, 10), 0);
	/* Before any packet, a lost frame lasts the configured 10 ms. */
	assert_int_equal(codec_plc(d, pcm, CODEC_SAMPLES_MAX), 480);
	assert_int_equal(codec_plc(d, pcm, 100), -ENOBUFS);
	assert_int_equal(codec_decode(d, junk, sizeof junk, pcm,
				      CODEC_SAMPLES_MAX), -EBADMSG);
	assert_int_equal(codec_decode(d, junk, 0, pcm, CODEC_SAMPLES_MAX),
			 -EINVAL);
	assert_int_equal(codec_packet_samples(junk, sizeof junk), -EBADMSG);
	assert_false(codec_packet_has_fec(junk, sizeof junk));
	assert_false(codec_packet_has_fec(NULL, 0));
	codec_dec_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec__round_trip__matches_after_codec_delay),
		cmocka_unit_test(test_codec__round_trip__10ms_frames),
		cmocka_unit_test(test_codec__fec__beats_plc),
		cmocka_unit_test(test_codec__fec__flag_seen_in_packets),
		cmocka_unit_test(test_codec__bitrate__set_and_measured),
		cmocka_unit_test(test_codec__dtx__silence_sends_nothing),
		cmocka_unit_test(test_codec__args__refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
