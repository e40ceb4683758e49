/* call/audio_file: the "file:PATH.wav" device.
 *
 * Input plays a WAV file (call/wav.h: 16-bit PCM, mono or stereo, any
 * rate from 8 to 192 kHz) into the call, resampled to 48 kHz with
 * speexdsp when it is not; when the file ends, reads give silence and
 * the endpoint says it has ended.  Output records 48 kHz mono.  Neither
 * has a clock: audio.c paces reads when asked to.
 */
#include "call/audio_int.h"
#include "call/wav.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <speex/speex_resampler.h>

#define FILE_MIN_RATE 8000
#define FILE_MAX_RATE 192000
#define FILE_IN_CAP 1024			/* file-rate samples staged */
#define FILE_OUT_CAP (2 * AUDIO_MAX_FRAME)	/* 48 kHz samples staged */

struct file_ep {
	struct audio_ep base;
	char *path;
	struct wav_reader *rd;
	struct wav_writer *wr;
	bool failed;		/* output: a write failed, stop trying */
	/* input through the resampler (rs NULL: the file is at 48 kHz) */
	SpeexResamplerState *rs;
	bool eof, tail_done;
	uint64_t consumed;	/* file samples read so far */
	int16_t in[FILE_IN_CAP];
	size_t in_len;
	int16_t out[FILE_OUT_CAP];
	size_t out_len;
};

static void file_close(struct audio_ep *ep)
{
	struct file_ep *f = (struct file_ep *)ep;
	char *err = NULL;

	wav_reader_free(f->rd);
	if (f->wr && wav_writer_close(f->wr, &err) < 0) {
		log_err("audio", "%s", err);
		free(err);
	}
	if (f->rs)
		speex_resampler_destroy(f->rs);
	free(f->path);
	free(f);
}

/* Read straight from a 48 kHz file. */
static size_t file_read_direct(struct file_ep *f, int16_t *frame, size_t n)
{
	char *err = NULL;
	long k = wav_read_mono(f->rd, frame, n, &err);

	if (k < 0) {
		log_err("audio", "%s; the input ends here", err);
		free(err);
		k = 0;
	}
	f->consumed += (uint64_t)k;
	if ((size_t)k < n || f->consumed >= wav_reader_info(f->rd)->frames)
		f->eof = true;
	return (size_t)k;
}

/* Stage more file-rate samples: false when there are none left.  At the
 * end of the file the resampler gets its latency's worth of zeros, so
 * that the last real samples come out of its filter. */
static bool file_refill(struct file_ep *f)
{
	char *err = NULL;

	if (!f->eof) {
		long k = wav_read_mono(f->rd, f->in, FILE_IN_CAP, &err);
		if (k > 0) {
			f->in_len = (size_t)k;
			f->consumed += (uint64_t)k;
			if (f->consumed >= wav_reader_info(f->rd)->frames)
				f->eof = true;
			return true;
		}
		if (k < 0) {
			log_err("audio", "%s; the input ends here", err);
			free(err);
		}
		f->eof = true;
	}
	if (f->tail_done)
		return false;
	f->tail_done = true;
	int lat = speex_resampler_get_input_latency(f->rs);
	f->in_len = lat > 0 && lat < FILE_IN_CAP ? (size_t)lat : 0;
	memset(f->in, 0, f->in_len * sizeof *f->in);
	return f->in_len > 0;
}

/* Resample until n samples are staged or the file is done. */
static void file_fill(struct file_ep *f, size_t n)
{
	while (f->out_len < n) {
		if (f->in_len == 0 && !file_refill(f))
			return;
		spx_uint32_t il = (spx_uint32_t)f->in_len;
		spx_uint32_t ol = (spx_uint32_t)(FILE_OUT_CAP - f->out_len);
		speex_resampler_process_int(f->rs, 0, f->in, &il,
					    f->out + f->out_len, &ol);
		if (il == 0 && ol == 0)
			return;	/* cannot happen with room left; never spin */
		memmove(f->in, f->in + il, (f->in_len - il) * sizeof *f->in);
		f->in_len -= il;
		f->out_len += ol;
	}
}

static size_t file_read_resampled(struct file_ep *f, int16_t *frame, size_t n)
{
	file_fill(f, n);
	size_t k = f->out_len < n ? f->out_len : n;
	memcpy(frame, f->out, k * sizeof *frame);
	memmove(f->out, f->out + k, (f->out_len - k) * sizeof *f->out);
	f->out_len -= k;
	return k;
}

static int file_read(struct audio_ep *ep, int16_t *frame, size_t n)
{
	struct file_ep *f = (struct file_ep *)ep;
	size_t k = 0;

	if (!ep->ended)
		k = f->rs ? file_read_resampled(f, frame, n)
			  : file_read_direct(f, frame, n);
	memset(frame + k, 0, (n - k) * sizeof *frame);
	/* ended as soon as nothing is left, so that a caller stopping at
	 * the end does not wait a frame of silence for it */
	if (f->eof && f->in_len == 0 && f->out_len == 0 &&
	    (!f->rs || f->tail_done))
		ep->ended = true;
	return 0;
}

static int file_write(struct audio_ep *ep, const int16_t *frame, size_t n)
{
	struct file_ep *f = (struct file_ep *)ep;
	char *err = NULL;

	if (f->failed)
		return -EIO;
	if (wav_write(f->wr, frame, n, &err) < 0) {
		log_err("audio", "%s", err);
		free(err);
		f->failed = true;
		return -EIO;
	}
	return 0;
}

static const struct audio_ep_ops file_ops = {
	.read = file_read,
	.write = file_write,
	.close = file_close,
};

static int file_open_input(struct file_ep *f, char **err)
{
	if (wav_reader_open(&f->rd, f->path, err) < 0)
		return -EINVAL;
	const struct wav_info *wi = wav_reader_info(f->rd);
	if (wi->rate < FILE_MIN_RATE || wi->rate > FILE_MAX_RATE) {
		*err = xasprintf("%s: %u Hz; calls take WAV files of %d to %d "
				 "Hz", f->path, wi->rate, FILE_MIN_RATE,
				 FILE_MAX_RATE);
		return -EINVAL;
	}
	if (wi->truncated)
		log_warn("audio", "%s: cut short, playing what is there",
			 f->path);
	if (wi->rate == AUDIO_RATE)
		return 0;
	int e = 0;
	f->rs = speex_resampler_init(1, wi->rate, AUDIO_RATE,
				     AUDIO_RESAMPLE_QUALITY, &e);
	if (!f->rs) {
		*err = xasprintf("%s: cannot resample %u Hz to %d Hz: %s",
				 f->path, wi->rate, AUDIO_RATE,
				 speex_resampler_strerror(e));
		return -EINVAL;
	}
	/* the file's first sample is the first one out, not the filter's
	 * leading zeros */
	speex_resampler_skip_zeros(f->rs);
	return 0;
}

int audio_file_open(struct audio_ep **out, const char *path,
		    const struct audio_ep_params *p, char **err)
{
	struct file_ep *f;
	int rc;

	*out = NULL;
	if (str_empty(path)) {
		*err = xstrdup("file: needs a path, as in file:/tmp/in.wav");
		return -EINVAL;
	}
	f = xcalloc(1, sizeof *f);
	f->base.ops = &file_ops;
	f->path = xstrdup(path);
	if (p->input)
		rc = file_open_input(f, err);
	else
		rc = wav_writer_open(&f->wr, path, AUDIO_RATE, 1, err) < 0
			     ? -EIO : 0;
	if (rc < 0) {
		file_close(&f->base);
		return rc;
	}
	*out = &f->base;
	return 0;
}
