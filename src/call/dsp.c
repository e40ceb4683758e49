/* call/dsp: echo cancellation and noise suppression (see dsp.h). */
#include "call/dsp.h"
#include "call/audio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

/* speexdsp's preprocessor delays its output by its frame (it overlaps
 * windows of twice the frame), so both parts run on 5 ms pieces of each
 * frame: 5 ms of delay, not 20. */
#define DSP_PIECE (AUDIO_RATE / 200)
/* Reference kept at most: 200 ms; older playback is dropped. */
#define DSP_REF_MAX (AUDIO_RATE / 5)

struct dsp {
	SpeexEchoState *echo;
	SpeexPreprocessState *pp;
	int n;			/* samples per frame */
	int16_t out[DSP_PIECE];
	/* the playback reference, oldest first, waiting for its capture */
	int16_t ref[DSP_REF_MAX];
	int nref;
	struct dsp_stats st;
};

int dsp_alloc(struct dsp **dp, const struct dsp_cfg *cfg)
{
	struct dsp *d;
	int rate = AUDIO_RATE;

	*dp = NULL;
	if (cfg->frame_ms != 10 && cfg->frame_ms != 20)
		return -EINVAL;
	if (!(d = calloc(1, sizeof *d)))
		return -ENOMEM;
	d->n = AUDIO_RATE / 1000 * cfg->frame_ms;
	if (cfg->aec) {
		int tail = (cfg->tail_ms > 0 ? cfg->tail_ms : 100) *
			   (AUDIO_RATE / 1000);

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
	free(d);
}

void dsp_playback(struct dsp *d, const int16_t *frame)
{
	if (!d || !d->echo)
		return;
	if (d->nref + d->n > DSP_REF_MAX) {
		int drop = d->nref + d->n - DSP_REF_MAX;

		memmove(d->ref, d->ref + drop,
			(size_t)(d->nref - drop) * sizeof *d->ref);
		d->nref -= drop;
	}
	memcpy(d->ref + d->nref, frame, (size_t)d->n * sizeof *frame);
	d->nref += d->n;
}

void dsp_capture(struct dsp *d, int16_t *frame)
{
	if (!d)
		return;
	d->st.frames++;
	for (int i = 0; i < d->n; i += DSP_PIECE) {
		if (d->echo) {
			static const int16_t silence[DSP_PIECE];
			const int16_t *play = d->nref >= DSP_PIECE ? d->ref :
					      silence;

			speex_echo_cancellation(d->echo, frame + i, play,
						d->out);
			memcpy(frame + i, d->out, sizeof d->out);
			if (play == d->ref) {
				d->nref -= DSP_PIECE;
				memmove(d->ref, d->ref + DSP_PIECE,
					(size_t)d->nref * sizeof *d->ref);
			}
		}
		if (d->pp)
			speex_preprocess_run(d->pp, frame + i);
	}
}

void dsp_stats(const struct dsp *d, struct dsp_stats *st)
{
	if (d)
		*st = d->st;
	else
		memset(st, 0, sizeof *st);
}
