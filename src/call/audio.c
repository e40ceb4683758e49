/* call/audio: the device the engine sees (see audio.h).
 *
 * Picks a back-end per device string, paces file and null input on
 * CLOCK_MONOTONIC, measures levels, counts frames, and swaps endpoints
 * when the user switches devices mid-call.  The back-ends are in
 * audio_null.c, audio_file.c and audio_pa.c.
 */
#include "call/audio_int.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIO_LEVEL_MS 100
#define AUDIO_LEVEL_SLOTS (AUDIO_LEVEL_MS / 10)
#define AUDIO_BEHIND_NS 1000000000LL	/* paced input this late: re-anchor */

/* RMS over the last AUDIO_LEVEL_MS, kept per frame so that a new frame
 * replaces the oldest. */
struct audio_level {
	double sums[AUDIO_LEVEL_SLOTS];	/* sum of squares per frame */
	size_t next, filled;
	_Atomic float dbfs;		/* read by the UI thread */
};

struct audio_dev {
	struct audio_ep *in, *out, *ring;	/* ring == out when shared */
	char *in_name, *out_name, *ring_name;
	size_t frame;
	int frame_ms, device_rate;
	bool paced;
	/* pacing of file and null input: frame k due at t0 + k frames */
	bool clock_on;
	struct timespec t0;
	long long ticks;
	struct audio_level lin, lout;
	struct audio_counters c;
	atomic_bool ended;	/* the input's, for other threads */
};

/* ---- endpoints ------------------------------------------------------------ */

static int audio_ep_open(struct audio_dev *dev, const char *name, bool input,
			 struct audio_ep **out, char **err)
{
	struct audio_ep_params p = {
		.input = input,
		.frame = dev->frame,
		.device_rate = dev->device_rate,
		.c = &dev->c,
	};
	int rc;

	if (str_eq(name, "null"))
		rc = audio_null_open(out, &p);
	else if (name && strncmp(name, "file:", 5) == 0)
		rc = audio_file_open(out, name + 5, &p, err);
	else if (name && strncmp(name, "pa:", 3) == 0)
		rc = audio_pa_open(out, name + 3, &p, err);
	else
		rc = audio_pa_open(out, name, &p, err);
	if (rc == 0)
		log_info("audio", "%s: %s", input ? "input" : "output",
			 str_empty(name) ? "default device" : name);
	return rc;
}

static void audio_ep_close(struct audio_ep *ep)
{
	if (ep)
		ep->ops->close(ep);
}

/* The ring device is the output when not given or given as the same. */
static bool audio_ring_is_output(const char *ring, const char *output)
{
	return ring == NULL || str_eq(ring, output);
}

/* ---- open and close ------------------------------------------------------- */

void audio_close(struct audio_dev *dev)
{
	if (!dev)
		return;
	audio_ep_close(dev->in);
	if (dev->ring != dev->out)
		audio_ep_close(dev->ring);
	audio_ep_close(dev->out);
	free(dev->in_name);
	free(dev->out_name);
	free(dev->ring_name);
	free(dev);
}

int audio_open(struct audio_dev **out, const struct audio_spec *spec,
	       char **err)
{
	int rc;

	*out = NULL;
	if (spec->frame_ms != 10 && spec->frame_ms != 20) {
		*err = xasprintf("audio: frames of %d ms; 10 or 20 ms are "
				 "supported", spec->frame_ms);
		return -EINVAL;
	}
	if (spec->device_rate < 0 || spec->device_rate > 384000) {
		*err = xasprintf("audio: device rate %d Hz is out of range",
				 spec->device_rate);
		return -EINVAL;
	}
	struct audio_dev *dev = xcalloc(1, sizeof *dev);
	dev->frame_ms = spec->frame_ms;
	dev->frame = (size_t)(AUDIO_RATE / 1000 * spec->frame_ms);
	dev->paced = spec->paced;
	dev->device_rate = spec->device_rate;
	atomic_init(&dev->lin.dbfs, AUDIO_LEVEL_FLOOR);
	atomic_init(&dev->lout.dbfs, AUDIO_LEVEL_FLOOR);
	atomic_init(&dev->ended, false);
	dev->in_name = xstrdup(spec->input);
	dev->out_name = xstrdup(spec->output);
	dev->ring_name = xstrdup(spec->ring);
	rc = audio_ep_open(dev, spec->input, true, &dev->in, err);
	if (rc == 0)
		rc = audio_ep_open(dev, spec->output, false, &dev->out, err);
	if (rc == 0 && audio_ring_is_output(spec->ring, spec->output))
		dev->ring = dev->out;
	else if (rc == 0)
		rc = audio_ep_open(dev, spec->ring, false, &dev->ring, err);
	if (rc < 0) {
		audio_close(dev);
		return rc;
	}
	*out = dev;
	return 0;
}

size_t audio_frame_samples(const struct audio_dev *dev)
{
	return dev->frame;
}

/* ---- levels ------------------------------------------------------------- */

static void audio_level_add(struct audio_level *l, const int16_t *s,
			    size_t n, size_t slots)
{
	double sum = 0, total = 0;

	for (size_t i = 0; i < n; i++)
		sum += (double)s[i] * s[i];
	l->sums[l->next] = sum;
	l->next = (l->next + 1) % slots;
	if (l->filled < slots)
		l->filled++;
	for (size_t i = 0; i < l->filled; i++)
		total += l->sums[i];
	double ms = total / ((double)l->filled * (double)n);
	float db = AUDIO_LEVEL_FLOOR;
	if (ms > 0)
		db = (float)(10.0 * log10(ms / (32768.0 * 32768.0)));
	if (db < AUDIO_LEVEL_FLOOR)
		db = AUDIO_LEVEL_FLOOR;
	atomic_store_explicit(&l->dbfs, db, memory_order_relaxed);
}

static size_t audio_level_slots(const struct audio_dev *dev)
{
	return (size_t)(AUDIO_LEVEL_MS / dev->frame_ms);
}

void audio_levels(const struct audio_dev *dev, float *in_dbfs,
		  float *out_dbfs)
{
	if (in_dbfs)
		*in_dbfs = atomic_load_explicit(&dev->lin.dbfs,
						memory_order_relaxed);
	if (out_dbfs)
		*out_dbfs = atomic_load_explicit(&dev->lout.dbfs,
						 memory_order_relaxed);
}

/* ---- reading and writing -------------------------------------------------- */

static long long ts_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* Sleep until the next frame of a paced input is due.  The schedule is
 * absolute (t0 + ticks frames), so sleeping late now does not push every
 * later frame back; only after a stall of a second or more does it start
 * again from now, rather than rushing out the whole backlog. */
static void audio_pace(struct audio_dev *dev)
{
	struct timespec now, due;
	long long frame_ns = (long long)dev->frame_ms * 1000000LL;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!dev->clock_on) {
		dev->t0 = now;
		dev->ticks = 0;
		dev->clock_on = true;
	}
	dev->ticks++;
	long long due_ns = ts_ns(&dev->t0) + dev->ticks * frame_ns;
	if (ts_ns(&now) - due_ns > AUDIO_BEHIND_NS) {
		log_warn("audio", "input pacing %lld ms behind; starting "
			 "again from now", (ts_ns(&now) - due_ns) / 1000000);
		dev->t0 = now;
		dev->ticks = 0;
		return;
	}
	due.tv_sec = (time_t)(due_ns / 1000000000LL);
	due.tv_nsec = (long)(due_ns % 1000000000LL);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) ==
	       EINTR)
		;
}

int audio_read(struct audio_dev *dev, int16_t *frame)
{
	if (dev->paced && !dev->in->clocked)
		audio_pace(dev);
	int rc = dev->in->ops->read(dev->in, frame, dev->frame);
	audio_level_add(&dev->lin, frame, dev->frame, audio_level_slots(dev));
	if (rc == 0)
		atomic_fetch_add_explicit(&dev->c.frames_read, 1,
					  memory_order_relaxed);
	if (dev->in->ended)
		atomic_store(&dev->ended, true);
	return rc;
}

int audio_write(struct audio_dev *dev, const int16_t *frame)
{
	int rc = dev->out->ops->write(dev->out, frame, dev->frame);

	audio_level_add(&dev->lout, frame, dev->frame, audio_level_slots(dev));
	if (rc == 0)
		atomic_fetch_add_explicit(&dev->c.frames_written, 1,
					  memory_order_relaxed);
	return rc;
}

int audio_ring_write(struct audio_dev *dev, const int16_t *frame)
{
	int rc = dev->ring->ops->write(dev->ring, frame, dev->frame);

	if (dev->ring == dev->out)
		audio_level_add(&dev->lout, frame, dev->frame,
				audio_level_slots(dev));
	if (rc == 0)
		atomic_fetch_add_explicit(&dev->c.ring_frames_written, 1,
					  memory_order_relaxed);
	return rc;
}

bool audio_input_ended(const struct audio_dev *dev)
{
	return atomic_load(&dev->ended);
}

/* ---- stats, drain, switch ------------------------------------------------- */

#define AUDIO_LOAD(f) atomic_load_explicit(&dev->c.f, memory_order_relaxed)

void audio_stats(const struct audio_dev *dev, struct audio_stats *st)
{
	st->frames_read = AUDIO_LOAD(frames_read);
	st->frames_written = AUDIO_LOAD(frames_written);
	st->ring_frames_written = AUDIO_LOAD(ring_frames_written);
	st->underflows = AUDIO_LOAD(underflows);
	st->overflows = AUDIO_LOAD(overflows);
	st->dropped_samples = AUDIO_LOAD(dropped_samples);
	st->out_overflows = AUDIO_LOAD(out_overflows);
	st->in_timeouts = AUDIO_LOAD(in_timeouts);
	st->in_trims = AUDIO_LOAD(in_trims);
}

int audio_drain(struct audio_dev *dev, int timeout_ms)
{
	int rc = 0;

	if (dev->out->ops->drain)
		rc = dev->out->ops->drain(dev->out, timeout_ms);
	if (dev->ring != dev->out && dev->ring->ops->drain &&
	    dev->ring->ops->drain(dev->ring, timeout_ms) < 0)
		rc = -ETIMEDOUT;
	return rc;
}

static int audio_switch_ring(struct audio_dev *dev, const char *name,
			     char **err)
{
	struct audio_ep *ep = dev->out;

	if (!audio_ring_is_output(name, dev->out_name)) {
		int rc = audio_ep_open(dev, name, false, &ep, err);
		if (rc < 0)
			return rc;
	}
	if (dev->ring != dev->out)
		audio_ep_close(dev->ring);
	dev->ring = ep;
	str_set(&dev->ring_name, name);
	return 0;
}

int audio_switch(struct audio_dev *dev, enum audio_which which,
		 const char *name, char **err)
{
	struct audio_ep *ep = NULL;
	int rc;

	if (which == AUDIO_RING)
		return audio_switch_ring(dev, name, err);
	rc = audio_ep_open(dev, name, which == AUDIO_IN, &ep, err);
	if (rc < 0)
		return rc;
	if (which == AUDIO_IN) {
		audio_ep_close(dev->in);
		dev->in = ep;
		str_set(&dev->in_name, name);
		dev->clock_on = false;	/* a new input starts a new clock */
		atomic_store(&dev->ended, false);
		return 0;
	}
	if (dev->ring == dev->out)
		dev->ring = ep;
	audio_ep_close(dev->out);
	dev->out = ep;
	str_set(&dev->out_name, name);
	return 0;
}
