/* call/dsp: echo cancellation and noise suppression (see dsp.h). */
#include "call/dsp.h"
#include "call/audio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>
#include <speex/speex_resampler.h>

/* Both parts run at 16 kHz, a third of the work at 48 kHz, on the
 * frames resampled down and back up (about 1 ms of delay each way; the
 * sound above 8 kHz of a microphone with these on goes, which speech
 * does not miss).  speexdsp's preprocessor delays its output by its
 * frame (it overlaps windows of twice the frame), so both work on 10 ms
 * pieces of each frame: 10 ms of delay, not 20. */
#define DSP_RATE 16000
#define DSP_PIECE (DSP_RATE / 100)
#define DSP_FRAME_MAX (DSP_RATE / 50)
/* Reference kept at most: 200 ms; older playback is dropped. */
#define DSP_REF_MAX (DSP_RATE / 5)
#define DSP_RS_QUALITY 4

struct dsp {
	SpeexEchoState *echo;
	SpeexPreprocessState *pp;
	SpeexResamplerState *down, *ref_down, *up;
	int n;			/* samples per frame at 48 kHz */
	int m;			/* and at 16 kHz */
	int16_t low[DSP_FRAME_MAX], ref_low[DSP_FRAME_MAX];
	int16_t out[DSP_PIECE];
	/* the playback reference, oldest first, waiting for its capture */
	int16_t ref[DSP_REF_MAX];
	int nref;
	struct dsp_stats st;
};

int dsp_alloc(struct dsp **dp, const struct dsp_cfg *cfg)
{
	struct dsp *d;
	int rate = DSP_RATE, e = 0;

	*dp = NULL;
	if (cfg->frame_ms != 10 && cfg->frame_ms != 20)
		return -EINVAL;
	if (!(d = calloc(1, sizeof *d)))
		return -ENOMEM;
	d->n = AUDIO_RATE / 1000 * cfg->frame_ms;
	d->m = DSP_RATE / 1000 * cfg->frame_ms;
	if (cfg->aec || cfg->ns) {
		d->down = speex_resampler_init(1, AUDIO_RATE, DSP_RATE,
					       DSP_RS_QUALITY, &e);
		d->up = speex_resampler_init(1, DSP_RATE, AUDIO_RATE,
					     DSP_RS_QUALITY, &e);
		if (!d->down || !d->up)
			goto fail;
	}
	if (cfg->aec) {
		int tail = (cfg->tail_ms > 0 ? cfg->tail_ms : 100) *
			   (DSP_RATE / 1000);

		d->ref_down = speex_resampler_init(1, AUDIO_RATE, DSP_RATE,
						   DSP_RS_QUALITY, &e);
		if (!d->ref_down)
			goto fail;
		if (!(d->echo = speex_echo_state_init(DSP_PIECE, tail)))
			goto fail;
		speex_echo_ctl(d->echo, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
	}
	if (cfg->aec || cfg->ns) {
		int on = 1, off = 0, db = cfg->ns_db < 0 ? cfg->ns_db : -25;

		if (!(d->pp = speex_preprocess_state_init(DSP_PIECE, rate)))
			goto fail;
		speex_preprocess_ctl(d->pp, SPEEX_PREPROCESS_SET_DENOISE,
				     cfg->ns ? &on : &off);
		speex_preprocess_ctl(d->pp, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS,
				     &db);
		speex_preprocess_ctl(d->pp, SPEEX_PREPROCESS_SET_AGC, &off);
		speex_preprocess_ctl(d->pp, SPEEX_PREPROCESS_SET_VAD, &off);
		speex_preprocess_ctl(d->pp, SPEEX_PREPROCESS_SET_DEREVERB,
				     &off);
		if (d->echo)
			speex_preprocess_ctl(d->pp,
					     SPEEX_PREPROCESS_SET_ECHO_STATE,
					     d->echo);
	}
	d->st.aec = cfg->aec;
	d->st.ns = cfg->ns;
	*dp = d;
	return 0;
fail:
	dsp_free(d);
	return -ENOMEM;
}

void dsp_free(struct dsp *d)
{
	if (!d)
		return;
	if (d->pp)
		speex_preprocess_state_destroy(d->pp);
	if (d->echo)
		speex_echo_state_destroy(d->echo);
	if (d->down)
		speex_resampler_destroy(d->down);
	if (d->ref_down)
		speex_resampler_destroy(d->ref_down);
	if (d->up)
		speex_resampler_destroy(d->up);
	free(d);
}

void dsp_playback(struct dsp *d, const int16_t *frame)
{
	spx_uint32_t in, out;

	if (!d || !d->echo)
		return;
	in = (spx_uint32_t)d->n;
	out = (spx_uint32_t)d->m;
	speex_resampler_process_int(d->ref_down, 0, frame, &in, d->ref_low,
				    &out);
	if (d->nref + (int)out > DSP_REF_MAX) {
		int drop = d->nref + (int)out - DSP_REF_MAX;

		memmove(d->ref, d->ref + drop,
			(size_t)(d->nref - drop) * sizeof *d->ref);
		d->nref -= drop;
	}
	memcpy(d->ref + d->nref, d->ref_low, out * sizeof *d->ref_low);
	d->nref += (int)out;
}

void dsp_capture(struct dsp *d, int16_t *frame)
{
	spx_uint32_t in, out;

	if (!d)
		return;
	d->st.frames++;
	if (!d->pp)
		return;
	in = (spx_uint32_t)d->n;
	out = (spx_uint32_t)d->m;
	speex_resampler_process_int(d->down, 0, frame, &in, d->low, &out);
	for (int i = 0; i + DSP_PIECE <= (int)out; i += DSP_PIECE) {
		if (d->echo) {
			static const int16_t silence[DSP_PIECE];
			const int16_t *play = d->nref >= DSP_PIECE ? d->ref :
					      silence;

			speex_echo_cancellation(d->echo, d->low + i, play,
						d->out);
			memcpy(d->low + i, d->out, sizeof d->out);
			if (play == d->ref) {
				d->nref -= DSP_PIECE;
				memmove(d->ref, d->ref + DSP_PIECE,
					(size_t)d->nref * sizeof *d->ref);
			}
		}
		speex_preprocess_run(d->pp, d->low + i);
	}
	in = out;
	out = (spx_uint32_t)d->n;
	speex_resampler_process_int(d->up, 0, d->low, &in, frame, &out);
}

void dsp_stats(const struct dsp *d, struct dsp_stats *st)
{
	if (d)
		*st = d->st;
	else
		memset(st, 0, sizeof *st);
}
