/* call/codec: libopus set up for calls; see codec.h. */
#include "call/codec.h"

#include <errno.h>
#include <opus.h>
#include <stdlib.h>

struct codec_enc {
	OpusEncoder *st;
	int frame;		/* samples per frame */
	int bitrate;
	bool dtx;
	struct codec_enc_stats stats;
};

struct codec_dec {
	OpusDecoder *st;
	int last;		/* samples in the last frame decoded */
	struct codec_dec_stats stats;
};

/* libopus error codes to the errno-style codes the project uses. */
static int err_from_opus(int rc)
{
	switch (rc) {
	case OPUS_BAD_ARG:
		return -EINVAL;
	case OPUS_BUFFER_TOO_SMALL:
		return -ENOBUFS;
	case OPUS_INVALID_PACKET:
		return -EBADMSG;
	case OPUS_ALLOC_FAIL:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

static bool frame_ms_ok(int ms)
{
	return ms == 10 || ms == 20;
}

static bool bitrate_ok(int bps)
{
	return bps >= 6000 && bps <= 510000;
}

void codec_enc_cfg_default(struct codec_enc_cfg *cfg)
{
	cfg->frame_ms = 20;
	cfg->bitrate = CODEC_BITRATE_DEFAULT;
	cfg->loss_pct = 0;
	cfg->fec = true;
	cfg->dtx = false;
}

/* libopus's effort, 0..10 (its default 10): at 5 a voice at 32 kb/s
 * sounds the same (the codec tests hold) for half the encoder's CPU. */
#define CODEC_COMPLEXITY 5

/* Everything the encoder is told once, at start. */
static int enc_setup(struct codec_enc *e, const struct codec_enc_cfg *cfg)
{
	OpusEncoder *st = e->st;

	if (opus_encoder_ctl(st, OPUS_SET_BITRATE(cfg->bitrate)) != OPUS_OK ||
	    opus_encoder_ctl(st, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) != OPUS_OK ||
	    opus_encoder_ctl(st, OPUS_SET_INBAND_FEC(cfg->fec ? 1 : 0)) != OPUS_OK ||
	    opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC(cfg->loss_pct)) != OPUS_OK ||
	    opus_encoder_ctl(st, OPUS_SET_DTX(cfg->dtx ? 1 : 0)) != OPUS_OK ||
	    opus_encoder_ctl(st, OPUS_SET_COMPLEXITY(CODEC_COMPLEXITY)) !=
	    OPUS_OK)
		return -EIO;
	return 0;
}

int codec_enc_alloc(struct codec_enc **ep, const struct codec_enc_cfg *cfg)
{
	struct codec_enc *e;
	int rc;

	*ep = NULL;
	if (!frame_ms_ok(cfg->frame_ms) || !bitrate_ok(cfg->bitrate) ||
	    cfg->loss_pct < 0 || cfg->loss_pct > 100)
		return -EINVAL;
	e = calloc(1, sizeof *e);
	if (!e)
		return -ENOMEM;
	e->st = opus_encoder_create(CODEC_RATE, 1, OPUS_APPLICATION_VOIP, &rc);
	if (!e->st) {
		free(e);
		return err_from_opus(rc);
	}
	e->frame = CODEC_RATE / 1000 * cfg->frame_ms;
	e->bitrate = cfg->bitrate;
	e->dtx = cfg->dtx;
	rc = enc_setup(e, cfg);
	if (rc < 0) {
		codec_enc_free(e);
		return rc;
	}
	*ep = e;
	return 0;
}

void codec_enc_free(struct codec_enc *e)
{
	if (!e)
		return;
	opus_encoder_destroy(e->st);
	free(e);
}

int codec_encode(struct codec_enc *e, const int16_t *pcm, uint8_t *out,
		 size_t cap)
{
	opus_int32 room = cap > CODEC_PACKET_MAX ? CODEC_PACKET_MAX
						 : (opus_int32)cap;
	int n;

	if (!pcm || !out)
		return -EINVAL;
	n = opus_encode(e->st, pcm, e->frame, out, room);
	if (n < 0)
		return err_from_opus(n);
	e->stats.frames++;
	/* libopus: "a packet of 2 bytes or less need not be transmitted". */
	if (e->dtx && n <= 2) {
		e->stats.dtx++;
		return 0;
	}
	e->stats.bytes += (uint64_t)n;
	return n;
}

int codec_enc_set_loss(struct codec_enc *e, int pct)
{
	if (pct < 0 || pct > 100)
		return -EINVAL;
	return opus_encoder_ctl(e->st, OPUS_SET_PACKET_LOSS_PERC(pct)) ==
	       OPUS_OK ? 0 : -EIO;
}

int codec_enc_set_bitrate(struct codec_enc *e, int bps)
{
	if (!bitrate_ok(bps))
		return -EINVAL;
	if (opus_encoder_ctl(e->st, OPUS_SET_BITRATE(bps)) != OPUS_OK)
		return -EIO;
	e->bitrate = bps;
	return 0;
}

int codec_enc_bitrate(const struct codec_enc *e)
{
	opus_int32 bps = 0;

	/* Ask libopus: it clamps what it was given to what it can do. */
	if (opus_encoder_ctl(e->st, OPUS_GET_BITRATE(&bps)) != OPUS_OK)
		return e->bitrate;
	return (int)bps;
}

int codec_enc_frame_samples(const struct codec_enc *e)
{
	return e->frame;
}

int codec_enc_lookahead(const struct codec_enc *e)
{
	opus_int32 la = 0;

	if (opus_encoder_ctl(e->st, OPUS_GET_LOOKAHEAD(&la)) != OPUS_OK)
		return 0;
	return (int)la;
}

void codec_enc_stats(const struct codec_enc *e, struct codec_enc_stats *st)
{
	*st = e->stats;
	st->bitrate = 0;
	if (e->stats.frames)
		st->bitrate = (int)(e->stats.bytes * 8 * CODEC_RATE /
				    (e->stats.frames * (uint64_t)e->frame));
}

int codec_dec_alloc(struct codec_dec **dp, int frame_ms)
{
	struct codec_dec *d;
	int rc;

	*dp = NULL;
	if (!frame_ms_ok(frame_ms))
		return -EINVAL;
	d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->st = opus_decoder_create(CODEC_RATE, 1, &rc);
	if (!d->st) {
		free(d);
		return err_from_opus(rc);
	}
	d->last = CODEC_RATE / 1000 * frame_ms;
	*dp = d;
	return 0;
}

void codec_dec_free(struct codec_dec *d)
{
	if (!d)
		return;
	opus_decoder_destroy(d->st);
	free(d);
}

/* libopus takes an int frame size; keep what we pass in range. */
static int clamp_cap(size_t cap)
{
	return cap > CODEC_SAMPLES_MAX ? CODEC_SAMPLES_MAX : (int)cap;
}

int codec_decode(struct codec_dec *d, const uint8_t *pkt, size_t len,
		 int16_t *pcm, size_t cap)
{
	int n;

	if (!pkt || !len || len > 0x7fffffff || !pcm)
		return -EINVAL;
	n = opus_decode(d->st, pkt, (opus_int32)len, pcm, clamp_cap(cap), 0);
	if (n < 0) {
		d->stats.errors++;
		return err_from_opus(n);
	}
	d->last = n;
	d->stats.decoded++;
	return n;
}

/* libopus wants exactly the lost duration for FEC and PLC, else its
 * state drifts from the next packet's: that is d->last. */
int codec_decode_fec(struct codec_dec *d, const uint8_t *next, size_t len,
		     int16_t *pcm, size_t cap)
{
	int n;

	if (!next || !len || len > 0x7fffffff || !pcm)
		return -EINVAL;
	if ((size_t)d->last > cap)
		return -ENOBUFS;
	n = opus_decode(d->st, next, (opus_int32)len, pcm, d->last, 1);
	if (n < 0) {
		d->stats.errors++;
		return err_from_opus(n);
	}
	d->stats.fec++;
	return n;
}

int codec_plc(struct codec_dec *d, int16_t *pcm, size_t cap)
{
	int n;

	if (!pcm)
		return -EINVAL;
	if ((size_t)d->last > cap)
		return -ENOBUFS;
	n = opus_decode(d->st, NULL, 0, pcm, d->last, 0);
	if (n < 0) {
		d->stats.errors++;
		return err_from_opus(n);
	}
	d->stats.plc++;
	return n;
}

void codec_dec_stats(const struct codec_dec *d, struct codec_dec_stats *st)
{
	*st = d->stats;
}

int codec_packet_samples(const uint8_t *pkt, size_t len)
{
	int n;

	if (!pkt || !len || len > 0x7fffffff)
		return -EBADMSG;
	n = opus_packet_get_nb_samples(pkt, (opus_int32)len, CODEC_RATE);
	return n < 0 ? -EBADMSG : n;
}

/* RFC 6716 4.2.3-4.2.4: in SILK and hybrid packets the first frame opens
 * with one VAD bit per 20 ms SILK frame and then the LBRR (FEC) flag, all
 * coded at probability 1/2, so they are the top bits of its first byte.
 * (libopus 1.5 has opus_packet_has_lbrr(); Debian 12 ships 1.3.) */
bool codec_packet_has_fec(const uint8_t *pkt, size_t len)
{
	const unsigned char *frames[48];
	opus_int16 size[48];
	int config, ms10, nsilk;

	if (!pkt || !len || len > 0x7fffffff)
		return false;
	config = pkt[0] >> 3;
	if (config >= 16)		/* CELT only: no FEC */
		return false;
	if (opus_packet_parse(pkt, (opus_int32)len, NULL, frames, size,
			      NULL) <= 0 || size[0] < 1)
		return false;
	/* SILK-only configs 0..11 last 10/20/40/60 ms; hybrid 10/20. */
	ms10 = config < 12 ? (int[]){1, 2, 4, 6}[config & 3] : 1 + (config & 1);
	nsilk = ms10 > 2 ? ms10 / 2 : 1;
	/* A stereo packet's side channel has its own flag after these; we
	 * decode mono, so only the first (mid) channel's counts. */
	return (frames[0][0] >> (7 - nsilk)) & 1;
}
