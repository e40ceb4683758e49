/* call/audio_pa: PortAudio devices (sound cards, ALSA, JACK).
 *
 * Each endpoint is one PortAudio stream with a callback.  The callback
 * runs in PortAudio's real-time thread and only moves samples between
 * the card and a lock-free ring (call/ring.h) and bumps atomic counters:
 * no lock, no malloc, no system call, no resampling there.  The media
 * thread does the rest in audio_read / audio_write: it waits for capture
 * (1 ms sleeps), resamples with speexdsp when the card does not run at
 * 48 kHz, and keeps the capture backlog short.
 *
 * The ring holds mono samples at the card's rate; a card that only takes
 * stereo is down-mixed (capture) or fed the same sample on both channels
 * (playback) in the callback, which is plain arithmetic.
 */
#include "call/audio_int.h"
#include "call/ring.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <portaudio.h>
#include <speex/speex_resampler.h>

#define PA_TIMEOUT_MS 500	/* capture silent this long: report it */
#define PA_TRIM_MS 200		/* capture backlog beyond this is cut */
#define PA_CHUNK 256		/* callback scratch for channel mixing */

struct pa_ep {
	struct audio_ep base;
	PaStream *stream;
	bool input;
	int channels;		/* the card's: 1 or 2 */
	int rate;		/* the card's */
	size_t frame;		/* samples per frame at 48 kHz */
	size_t dev_frame;	/* the same at the card's rate, rounded up */
	struct ring ring;	/* card-rate mono samples */
	struct audio_counters *c;
	/* playback, callback only: playing once the ring held prefill
	 * samples; after running dry it waits to hold them again, so that
	 * an underrun gives one gap rather than crackle */
	bool playing;
	size_t prefill;
	atomic_bool draining;	/* play out what is left, however little */
	/* media thread only */
	bool started;
	SpeexResamplerState *rs;	/* NULL when the card runs at 48 kHz */
	int16_t *stage;		/* card-rate samples on the resampler's side */
	size_t stage_len, stage_cap;
	int16_t *fifo;		/* capture: 48 kHz samples resampled */
	size_t fifo_len, fifo_cap;
};

/* PortAudio's set-up and tear-down are not thread-safe and its device
 * list is process-wide, so this one lock serializes them (media thread
 * opening a device, the UI listing them).  It is never taken in the
 * callback. */
static pthread_mutex_t pa_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- keeping PortAudio's probe noise off the terminal ---------------------- */

/* ALSA and JACK print probe messages on stderr while PortAudio starts
 * (and ALSA while it opens a stream); on a terminal they would scribble
 * over the TUI.  fd 2 points at /dev/null meanwhile.  Returns the saved
 * fd, or -1 when nothing was redirected. */
static int pa_quiet_begin(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved < 0 || null < 0 || dup2(null, STDERR_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		saved = -1;
	}
	if (null >= 0)
		close(null);
	return saved;
}

static void pa_quiet_end(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* Pa_Initialize, quietly; call with pa_lock held. */
static int pa_init(char **err)
{
	int saved = pa_quiet_begin();
	PaError e = Pa_Initialize();
	pa_quiet_end(saved);
	if (e != paNoError) {
		*err = xasprintf("audio: cannot start PortAudio: %s",
				 Pa_GetErrorText(e));
		return -EIO;
	}
	return 0;
}

/* ---- the callbacks (PortAudio's thread: rings and atomics only) ----------- */

static void pa_push(struct pa_ep *p, const int16_t *s, size_t n, bool *over)
{
	size_t w = ring_write(&p->ring, s, n);

	if (w < n) {
		atomic_fetch_add_explicit(&p->c->dropped_samples, n - w,
					  memory_order_relaxed);
		*over = true;
	}
}

static int pa_in_cb(const void *in, void *out, unsigned long n,
		    const PaStreamCallbackTimeInfo *ti,
		    PaStreamCallbackFlags flags, void *arg)
{
	struct pa_ep *p = arg;
	const int16_t *s = in;
	bool over = false;

	if (!s)
		return paContinue;
	if (p->channels == 1) {
		pa_push(p, s, n, &over);
	} else {
		int16_t mono[PA_CHUNK];
		while (n > 0) {
			size_t k = n < PA_CHUNK ? n : PA_CHUNK;
			for (size_t i = 0; i < k; i++)
				mono[i] = (int16_t)((s[2 * i] + s[2 * i + 1]) / 2);
			pa_push(p, mono, k, &over);
			s += 2 * k;
			n -= k;
		}
	}
	if (over)
		atomic_fetch_add_explicit(&p->c->overflows, 1,
					  memory_order_relaxed);
	return paContinue;
}

/* Up to n mono samples from the ring into d (channels wide). */
static size_t pa_pull(struct pa_ep *p, int16_t *d, size_t n)
{
	if (p->channels == 1)
		return ring_read(&p->ring, d, n);
	int16_t mono[PA_CHUNK];
	size_t done = 0;
	while (done < n) {
		size_t want = n - done < PA_CHUNK ? n - done : PA_CHUNK;
		size_t k = ring_read(&p->ring, mono, want);
		for (size_t i = 0; i < k; i++)
			d[2 * (done + i)] = d[2 * (done + i) + 1] = mono[i];
		done += k;
		if (k < want)
			break;
	}
	return done;
}

static int pa_out_cb(const void *in, void *out, unsigned long n,
		     const PaStreamCallbackTimeInfo *ti,
		     PaStreamCallbackFlags flags, void *arg)
{
	struct pa_ep *p = arg;
	int16_t *d = out;
	size_t got = 0;

	if (!p->playing &&
	    (ring_avail_read(&p->ring) >= p->prefill ||
	     atomic_load_explicit(&p->draining, memory_order_relaxed)))
		p->playing = true;
	if (p->playing)
		got = pa_pull(p, d, n);
	if (got < n) {
		memset(d + got * (size_t)p->channels, 0,
		       (n - got) * (size_t)p->channels * sizeof *d);
		/* running dry at the end of a drain is no underflow */
		if (p->playing && !atomic_load_explicit(&p->draining,
							memory_order_relaxed))
			atomic_fetch_add_explicit(&p->c->underflows, 1,
						  memory_order_relaxed);
		p->playing = false;
	}
	return paContinue;
}

/* ---- the media thread: capture ---------------------------------------------- */

static void pa_sleep_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long long pa_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Move captured samples through the resampler into the 48 kHz fifo. */
static void pa_resample_in(struct pa_ep *p)
{
	for (;;) {
		p->stage_len += ring_read(&p->ring, p->stage + p->stage_len,
					  p->stage_cap - p->stage_len);
		if (p->stage_len == 0 || p->fifo_len == p->fifo_cap)
			return;
		spx_uint32_t il = (spx_uint32_t)p->stage_len;
		spx_uint32_t ol = (spx_uint32_t)(p->fifo_cap - p->fifo_len);
		speex_resampler_process_int(p->rs, 0, p->stage, &il,
					    p->fifo + p->fifo_len, &ol);
		memmove(p->stage, p->stage + il,
			(p->stage_len - il) * sizeof *p->stage);
		p->stage_len -= il;
		p->fifo_len += ol;
		if (il == 0)
			return;
	}
}

/* Samples ready to hand out (48 kHz). */
static size_t pa_ready(struct pa_ep *p)
{
	if (!p->rs)
		return ring_avail_read(&p->ring);
	pa_resample_in(p);
	return p->fifo_len;
}

/* Cut the capture backlog when the media thread fell behind (a stall),
 * so that latency does not stay up for the rest of the call.  The first
 * read drops what was captured before anyone listened. */
static void pa_trim(struct pa_ep *p)
{
	size_t have = ring_avail_read(&p->ring);
	size_t max = (size_t)p->rate * PA_TRIM_MS / 1000;

	if (!p->started) {
		ring_skip(&p->ring, have);
		p->started = true;
	} else if (have > max + p->dev_frame) {
		ring_skip(&p->ring, have - p->dev_frame);
		atomic_fetch_add_explicit(&p->c->in_trims, 1,
					  memory_order_relaxed);
	}
}

static int pa_read(struct audio_ep *ep, int16_t *frame, size_t n)
{
	struct pa_ep *p = (struct pa_ep *)ep;
	long long deadline = pa_now_ms() + PA_TIMEOUT_MS;

	pa_trim(p);
	while (pa_ready(p) < n) {
		if (pa_now_ms() > deadline) {
			memset(frame, 0, n * sizeof *frame);
			atomic_fetch_add_explicit(&p->c->in_timeouts, 1,
						  memory_order_relaxed);
			return -ETIMEDOUT;
		}
		pa_sleep_ms(1);
	}
	if (!p->rs) {
		ring_read(&p->ring, frame, n);
		return 0;
	}
	memcpy(frame, p->fifo, n * sizeof *frame);
	memmove(p->fifo, p->fifo + n, (p->fifo_len - n) * sizeof *p->fifo);
	p->fifo_len -= n;
	return 0;
}

/* ---- the media thread: playback --------------------------------------------- */

static int pa_write(struct audio_ep *ep, const int16_t *frame, size_t n)
{
	struct pa_ep *p = (struct pa_ep *)ep;
	const int16_t *src = frame;
	size_t m = n;

	if (p->rs) {
		spx_uint32_t il = (spx_uint32_t)n;
		spx_uint32_t ol = (spx_uint32_t)p->stage_cap;
		speex_resampler_process_int(p->rs, 0, frame, &il, p->stage,
					    &ol);
		src = p->stage;
		m = ol;
	}
	/* all or nothing: half a frame would be a click */
	if (ring_avail_write(&p->ring) < m) {
		atomic_fetch_add_explicit(&p->c->out_overflows, 1,
					  memory_order_relaxed);
		return -ENOBUFS;
	}
	ring_write(&p->ring, src, m);
	return 0;
}

static int pa_drain(struct audio_ep *ep, int timeout_ms)
{
	struct pa_ep *p = (struct pa_ep *)ep;
	long long deadline = pa_now_ms() + timeout_ms;

	if (p->input)
		return 0;
	atomic_store(&p->draining, true);
	while (ring_avail_read(&p->ring) > 0) {
		if (pa_now_ms() > deadline) {
			atomic_store(&p->draining, false);
			return -ETIMEDOUT;
		}
		pa_sleep_ms(1);
	}
	atomic_store(&p->draining, false);
	return 0;
}

/* ---- opening and closing ---------------------------------------------------- */

static void pa_free(struct pa_ep *p)
{
	if (p->rs)
		speex_resampler_destroy(p->rs);
	ring_free(&p->ring);
	free(p->stage);
	free(p->fifo);
	free(p);
}

static void pa_close(struct audio_ep *ep)
{
	struct pa_ep *p = (struct pa_ep *)ep;

	pthread_mutex_lock(&pa_lock);
	if (p->stream) {
		/* playback: Stop lets the card play what it was given */
		if (p->input)
			Pa_AbortStream(p->stream);
		else
			Pa_StopStream(p->stream);
		Pa_CloseStream(p->stream);
	}
	Pa_Terminate();
	pthread_mutex_unlock(&pa_lock);
	pa_free(p);
}

static const struct audio_ep_ops pa_ops = {
	.read = pa_read,
	.write = pa_write,
	.drain = pa_drain,
	.close = pa_close,
};

static int pa_channels(const PaDeviceInfo *di, bool input)
{
	return input ? di->maxInputChannels : di->maxOutputChannels;
}

/* The device a name means (see audio.h); pa_lock held. */
static int pa_find(const char *name, bool input, PaDeviceIndex *out,
		   char **err)
{
	const char *what = input ? "capture" : "playback";
	int n = Pa_GetDeviceCount(), hits = 0;

	if (str_empty(name)) {
		*out = input ? Pa_GetDefaultInputDevice()
			     : Pa_GetDefaultOutputDevice();
		if (*out != paNoDevice)
			return 0;
		*err = xasprintf("audio: no default %s device (is there a "
				 "sound card? see: confab audio devices)",
				 what);
		return -ENODEV;
	}
	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
		if (di && pa_channels(di, input) > 0 &&
		    strcmp(di->name, name) == 0) {
			*out = i;
			return 0;
		}
	}
	if (name[strspn(name, "0123456789")] == '\0' && strlen(name) < 6) {
		int i = atoi(name);
		const PaDeviceInfo *di = i < n ? Pa_GetDeviceInfo(i) : NULL;
		if (di && pa_channels(di, input) > 0) {
			*out = i;
			return 0;
		}
	}
	struct sbuf names;
	sbuf_init(&names);
	for (int i = 0; i < n; i++) {
		const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
		if (!di || pa_channels(di, input) <= 0 ||
		    !strcasestr(di->name, name))
			continue;
		sbuf_printf(&names, "%s'%s'", hits ? ", " : "", di->name);
		*out = i;
		hits++;
	}
	if (hits != 1)
		*err = hits ? xasprintf("audio: '%s' matches several %s "
					"devices: %s; give more of the name",
					name, what, sbuf_str(&names))
			    : xasprintf("audio: no %s device named '%s' (see: "
					"confab audio devices)", what, name);
	sbuf_free(&names);
	return hits == 1 ? 0 : -ENODEV;
}

static void pa_params(PaStreamParameters *sp, PaDeviceIndex d, bool input,
		      int channels)
{
	const PaDeviceInfo *di = Pa_GetDeviceInfo(d);

	memset(sp, 0, sizeof *sp);
	sp->device = d;
	sp->channelCount = channels;
	sp->sampleFormat = paInt16;
	sp->suggestedLatency = input ? di->defaultLowInputLatency
				     : di->defaultLowOutputLatency;
}

static bool pa_supported(PaDeviceIndex d, bool input, int channels, int rate)
{
	PaStreamParameters sp;

	pa_params(&sp, d, input, channels);
	return Pa_IsFormatSupported(input ? &sp : NULL, input ? NULL : &sp,
				    rate) == paFormatIsSupported;
}

/* Rate and channels for the stream: 48 kHz mono if the card takes it,
 * else its default rate, else stereo (see struct audio_spec). */
static int pa_pick(struct pa_ep *p, PaDeviceIndex d, int want, char **err)
{
	const PaDeviceInfo *di = Pa_GetDeviceInfo(d);
	int rates[2] = { want > 0 ? want : AUDIO_RATE,
			 want > 0 ? 0 : (int)(di->defaultSampleRate + 0.5) };
	int maxch = pa_channels(di, p->input) < 2 ? 1 : 2;

	for (int r = 0; r < 2; r++)
		for (int ch = 1; ch <= maxch && rates[r] > 0; ch++)
			if (pa_supported(d, p->input, ch, rates[r])) {
				p->rate = rates[r];
				p->channels = ch;
				return 0;
			}
	*err = xasprintf("audio: '%s' takes no 16-bit mono or stereo %s at "
			 "%d Hz%s", di->name, p->input ? "capture" : "playback",
			 rates[0], want > 0 ? "" : " nor at its default rate");
	return -EINVAL;
}

/* Rings and resampler buffers, sized for the rate picked. */
static int pa_buffers(struct pa_ep *p, char **err)
{
	p->dev_frame = (p->frame * (size_t)p->rate + AUDIO_RATE - 1) /
		       AUDIO_RATE;
	p->prefill = p->dev_frame + (size_t)p->rate / 100;
	if (ring_init(&p->ring, (size_t)p->rate / 2) < 0) {
		*err = xstrdup("audio: out of memory");
		return -ENOMEM;
	}
	if (p->rate == AUDIO_RATE)
		return 0;
	int e = 0;
	p->rs = p->input ? speex_resampler_init(1, p->rate, AUDIO_RATE,
						AUDIO_RESAMPLE_QUALITY, &e)
			 : speex_resampler_init(1, AUDIO_RATE, p->rate,
						AUDIO_RESAMPLE_QUALITY, &e);
	if (!p->rs) {
		*err = xasprintf("audio: cannot resample %d Hz: %s", p->rate,
				 speex_resampler_strerror(e));
		return -EINVAL;
	}
	p->stage_cap = 2 * p->dev_frame + 64;
	p->stage = xcalloc(p->stage_cap, sizeof *p->stage);
	p->fifo_cap = 3 * p->frame;
	p->fifo = xcalloc(p->fifo_cap, sizeof *p->fifo);
	return 0;
}

static int pa_start(struct pa_ep *p, PaDeviceIndex d, char **err)
{
	PaStreamParameters sp;
	const PaDeviceInfo *di = Pa_GetDeviceInfo(d);

	pa_params(&sp, d, p->input, p->channels);
	int saved = pa_quiet_begin();
	PaError e = Pa_OpenStream(&p->stream, p->input ? &sp : NULL,
				  p->input ? NULL : &sp, p->rate,
				  (unsigned long)p->rate / 100,
				  paClipOff | paDitherOff,
				  p->input ? pa_in_cb : pa_out_cb, p);
	pa_quiet_end(saved);
	if (e != paNoError)
		p->stream = NULL;
	else
		e = Pa_StartStream(p->stream);
	if (e != paNoError) {
		*err = xasprintf("audio: cannot open '%s' for %s: %s",
				 di->name, p->input ? "capture" : "playback",
				 Pa_GetErrorText(e));
		return -EIO;
	}
	log_info("audio", "%s '%s' (%s) at %d Hz, %d channel(s)",
		 p->input ? "capture from" : "playback to", di->name,
		 Pa_GetHostApiInfo(di->hostApi)->name, p->rate, p->channels);
	return 0;
}

int audio_pa_open(struct audio_ep **out, const char *name,
		  const struct audio_ep_params *prm, char **err)
{
	struct pa_ep *p = xcalloc(1, sizeof *p);
	PaDeviceIndex d = paNoDevice;
	int rc;

	*out = NULL;
	p->base.ops = &pa_ops;
	p->base.clocked = prm->input;
	p->input = prm->input;
	p->frame = prm->frame;
	p->c = prm->c;
	atomic_init(&p->draining, false);
	pthread_mutex_lock(&pa_lock);
	rc = pa_init(err);
	if (rc < 0) {
		pthread_mutex_unlock(&pa_lock);
		pa_free(p);
		return rc;
	}
	rc = pa_find(name, p->input, &d, err);
	if (rc == 0)
		rc = pa_pick(p, d, prm->device_rate, err);
	if (rc == 0)
		rc = pa_buffers(p, err);
	if (rc == 0)
		rc = pa_start(p, d, err);
	pthread_mutex_unlock(&pa_lock);
	if (rc < 0) {
		pa_close(&p->base);
		return rc;
	}
	*out = &p->base;
	return 0;
}

/* ---- listing ---------------------------------------------------------------- */

int audio_list(struct audio_devinfo **v, size_t *n, char **err)
{
	*v = NULL;
	*n = 0;
	pthread_mutex_lock(&pa_lock);
	int rc = pa_init(err);
	if (rc < 0) {
		pthread_mutex_unlock(&pa_lock);
		return rc;
	}
	int count = Pa_GetDeviceCount();
	if (count < 0) {
		*err = xasprintf("audio: cannot list devices: %s",
				 Pa_GetErrorText(count));
		Pa_Terminate();
		pthread_mutex_unlock(&pa_lock);
		return -EIO;
	}
	PaDeviceIndex din = Pa_GetDefaultInputDevice();
	PaDeviceIndex dout = Pa_GetDefaultOutputDevice();
	if (count > 0)
		*v = xcalloc((size_t)count, sizeof **v);
	for (int i = 0; i < count; i++) {
		const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
		const PaHostApiInfo *hi = di ? Pa_GetHostApiInfo(di->hostApi)
					     : NULL;
		if (!di)
			continue;
		struct audio_devinfo *o = &(*v)[(*n)++];
		o->index = i;
		o->name = xstrdup(di->name);
		o->host_api = xstrdup(hi ? hi->name : "?");
		o->max_in = di->maxInputChannels;
		o->max_out = di->maxOutputChannels;
		o->default_rate = di->defaultSampleRate;
		o->default_in = i == din;
		o->default_out = i == dout;
	}
	Pa_Terminate();
	pthread_mutex_unlock(&pa_lock);
	return 0;
}

void audio_list_free(struct audio_devinfo *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].host_api);
	}
	free(v);
}
