/* call/ringer: ringing on the ring device (see ringer.h). */
#include "call/ringer.h"
#include "call/audio.h"
#include "common/str.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define RING_FRAME_MS 20
#define RING_PERIOD_MS 3000
#define RING_AMP 6000.0

struct ringer {
	struct audio_dev *dev;
	pthread_t thread;
	atomic_bool stop;
};

/* Whether the ring sounds at ms into its period (0.4 on, 0.2 off, 0.4 on). */
static int ring_on(long ms)
{
	ms %= RING_PERIOD_MS;
	return ms < 400 || (ms >= 600 && ms < 1000);
}

static void *ring_main(void *arg)
{
	struct ringer *r = arg;
	int16_t in[AUDIO_MAX_FRAME], out[AUDIO_MAX_FRAME];
	size_t n = audio_frame_samples(r->dev);
	long i = 0;

	while (!atomic_load(&r->stop)) {
		audio_read(r->dev, in);		/* paced silence: the clock */
		for (size_t k = 0; k < n; k++, i++) {
			long ms = i / (AUDIO_RATE / 1000);
			double t = (double)i / AUDIO_RATE;
			out[k] = ring_on(ms) ? (int16_t)(RING_AMP * 0.5 *
				(sin(2 * M_PI * 400 * t) +
				 sin(2 * M_PI * 450 * t))) : 0;
		}
		audio_write(r->dev, out);
	}
	audio_drain(r->dev, 200);
	return NULL;
}

int ringer_start(struct ringer **rp, const char *device, char **err)
{
	struct audio_spec spec = {
		.input = "null", .output = device, .frame_ms = RING_FRAME_MS,
		.paced = true,
	};
	struct ringer *r = xcalloc(1, sizeof *r);

	*rp = NULL;
	if (audio_open(&r->dev, &spec, err) < 0) {
		free(r);
		return -1;
	}
	if (pthread_create(&r->thread, NULL, ring_main, r) != 0) {
		*err = xstrdup("cannot start the ringing thread");
		audio_close(r->dev);
		free(r);
		return -1;
	}
	*rp = r;
	return 0;
}

void ringer_stop(struct ringer *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, true);
	pthread_join(r->thread, NULL);
	audio_close(r->dev);
	free(r);
}
