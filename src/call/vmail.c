/* call/vmail: voice mail recording and playback (see vmail.h). */
#include "call/vmail.h"
#include "call/audio.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <opus/opusenc.h>
#include <opus/opusfile.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define VMAIL_FRAME_MS 20
#define VMAIL_BITRATE 24000

/* ---- recording ----------------------------------------------------------------- */

struct vmail_rec {
	struct audio_dev *dev;
	OggOpusEnc *enc;
	pthread_t thread;
	atomic_bool stop, done;
	atomic_long samples;
	long max;		/* samples */
	int err;		/* libopusenc's, from the thread */
};

static void *rec_main(void *arg)
{
	struct vmail_rec *r = arg;
	int16_t pcm[AUDIO_MAX_FRAME];
	size_t n = audio_frame_samples(r->dev);

	while (!atomic_load(&r->stop)) {
		bool ended = audio_input_ended(r->dev);	/* before: the last
							 * frame still counts */
		audio_read(r->dev, pcm);
		if (ended)
			break;
		int rc = ope_encoder_write(r->enc, pcm, (int)n);
		if (rc != OPE_OK) {
			r->err = rc;
			break;
		}
		if (atomic_fetch_add(&r->samples, (long)n) + (long)n >= r->max)
			break;
	}
	atomic_store(&r->done, true);
	return NULL;
}

int vmail_rec_start(struct vmail_rec **rp, const char *input,
		    const char *path, int max_s, char **err)
{
	struct audio_spec spec = {
		.input = input, .output = "null", .frame_ms = VMAIL_FRAME_MS,
		.paced = true,
	};
	struct vmail_rec *r = xcalloc(1, sizeof *r);
	OggOpusComments *com;
	int e = 0;

	*rp = NULL;
	r->max = (long)(max_s > 0 ? max_s : VMAIL_MAX_S) * AUDIO_RATE;
	if (audio_open(&r->dev, &spec, err) < 0) {
		free(r);
		return -1;
	}
	com = ope_comments_create();
	ope_comments_add(com, "ENCODER", "confab");
	r->enc = ope_encoder_create_file(path, com, AUDIO_RATE, 1, 0, &e);
	ope_comments_destroy(com);
	if (!r->enc) {
		*err = xasprintf("cannot write %s: %s", path, ope_strerror(e));
		audio_close(r->dev);
		free(r);
		return -1;
	}
	ope_encoder_ctl(r->enc, OPUS_SET_BITRATE(VMAIL_BITRATE));
	ope_encoder_ctl(r->enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
	if (pthread_create(&r->thread, NULL, rec_main, r) != 0) {
		*err = xstrdup("cannot start the recording thread");
		ope_encoder_destroy(r->enc);
		audio_close(r->dev);
		free(r);
		return -1;
	}
	*rp = r;
	return 0;
}

double vmail_rec_seconds(const struct vmail_rec *r)
{
	return (double)atomic_load(&r->samples) / AUDIO_RATE;
}

float vmail_rec_level(const struct vmail_rec *r)
{
	float in, out;

	audio_levels(r->dev, &in, &out);
	return in;
}

bool vmail_rec_done(const struct vmail_rec *r)
{
	return atomic_load(&r->done);
}

double vmail_rec_stop(struct vmail_rec *r, char **err)
{
	double secs;
	int rc;

	if (!r)
		return 0;
	atomic_store(&r->stop, true);
	pthread_join(r->thread, NULL);
	secs = vmail_rec_seconds(r);
	rc = r->err ? r->err : ope_encoder_drain(r->enc);
	ope_encoder_destroy(r->enc);
	audio_close(r->dev);
	free(r);
	if (rc != OPE_OK) {
		*err = xasprintf("the voice mail could not be written: %s",
				 ope_strerror(rc));
		return -1;
	}
	return secs;
}

/* ---- playing --------------------------------------------------------------------- */

struct vmail_play {
	struct audio_dev *dev;
	OggOpusFile *of;
	pthread_t thread;
	pthread_mutex_t lock;	/* the decoder: seeks from other threads */
	atomic_bool stop, paused, ended;
	atomic_llong pos;	/* samples played */
	long long total;
	int channels;
};

/* One frame of the file into out (mono); false at the end (lock held). */
static bool read_frame(struct vmail_play *p, int16_t *out, size_t n)
{
	int16_t buf[AUDIO_MAX_FRAME * 2];
	size_t got = 0;

	while (got < n) {
		int want = (int)(n - got) * p->channels;
		int k = op_read(p->of, buf, want, NULL);
		if (k <= 0)
			break;
		for (int i = 0; i < k; i++) {
			int v = buf[i * p->channels];
			if (p->channels > 1)
				v = (v + buf[i * p->channels + 1]) / 2;
			out[got++] = (int16_t)v;
		}
	}
	memset(out + got, 0, (n - got) * sizeof *out);
	return got > 0;
}

static void *play_main(void *arg)
{
	struct vmail_play *p = arg;
	int16_t in[AUDIO_MAX_FRAME], out[AUDIO_MAX_FRAME];
	size_t n = audio_frame_samples(p->dev);

	while (!atomic_load(&p->stop)) {
		audio_read(p->dev, in);		/* paced: the clock */
		if (atomic_load(&p->paused) || atomic_load(&p->ended)) {
			memset(out, 0, sizeof out);
		} else {
			pthread_mutex_lock(&p->lock);
			bool more = read_frame(p, out, n);
			long long at = op_pcm_tell(p->of);
			pthread_mutex_unlock(&p->lock);
			atomic_store(&p->pos, at < 0 ? 0 : at);
			if (!more)
				atomic_store(&p->ended, true);
		}
		audio_write(p->dev, out);
	}
	return NULL;
}

int vmail_play_start(struct vmail_play **pp, const char *path,
		     const char *output, char **err)
{
	struct audio_spec spec = {
		.input = "null", .output = output, .frame_ms = VMAIL_FRAME_MS,
		.paced = true,
	};
	struct vmail_play *p = xcalloc(1, sizeof *p);
	int e = 0;

	*pp = NULL;
	if (!(p->of = op_open_file(path, &e))) {
		*err = xasprintf("%s is not a voice mail (Ogg Opus) file", path);
		free(p);
		return -1;
	}
	p->total = op_pcm_total(p->of, -1);
	p->channels = op_channel_count(p->of, -1);
	if (p->channels < 1 || p->channels > 2) {
		*err = xasprintf("%s has %d channels; voice mail has one",
				 path, p->channels);
		op_free(p->of);
		free(p);
		return -1;
	}
	if (audio_open(&p->dev, &spec, err) < 0) {
		op_free(p->of);
		free(p);
		return -1;
	}
	pthread_mutex_init(&p->lock, NULL);
	if (pthread_create(&p->thread, NULL, play_main, p) != 0) {
		*err = xstrdup("cannot start the playback thread");
		pthread_mutex_destroy(&p->lock);
		audio_close(p->dev);
		op_free(p->of);
		free(p);
		return -1;
	}
	*pp = p;
	return 0;
}

void vmail_play_pause(struct vmail_play *p, bool paused)
{
	atomic_store(&p->paused, paused);
}

bool vmail_play_paused(const struct vmail_play *p)
{
	return atomic_load(&p->paused);
}

void vmail_play_seek(struct vmail_play *p, double seconds)
{
	long long to = (long long)(seconds * AUDIO_RATE);

	if (to < 0)
		to = 0;
	if (p->total > 0 && to > p->total)
		to = p->total;
	pthread_mutex_lock(&p->lock);
	if (p->total > 0 && to >= p->total) {	/* the end */
		atomic_store(&p->pos, p->total);
		atomic_store(&p->ended, true);
	} else if (op_pcm_seek(p->of, to) == 0) {
		atomic_store(&p->pos, to);
		atomic_store(&p->ended, false);
	}
	pthread_mutex_unlock(&p->lock);
}

double vmail_play_position(const struct vmail_play *p)
{
	return (double)atomic_load(&p->pos) / AUDIO_RATE;
}

double vmail_play_length(const struct vmail_play *p)
{
	return p->total > 0 ? (double)p->total / AUDIO_RATE : 0;
}

bool vmail_play_ended(const struct vmail_play *p)
{
	return atomic_load(&p->ended);
}

void vmail_play_stop(struct vmail_play *p)
{
	if (!p)
		return;
	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	audio_drain(p->dev, 200);
	audio_close(p->dev);
	op_free(p->of);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

double vmail_length(const char *path)
{
	int e = 0;
	OggOpusFile *of = op_open_file(path, &e);
	double len;

	if (!of)
		return -1;
	len = (double)op_pcm_total(of, -1) / AUDIO_RATE;
	op_free(of);
	return len;
}
