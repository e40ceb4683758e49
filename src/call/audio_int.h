/* call/audio_int: what audio.c shares with its back-ends.
 *
 * audio.c owns the device (struct audio_dev): pacing, levels, counters,
 * switching.  Each side of it (input, output, ring) is an endpoint made
 * by one back-end:
 *   audio_null.c  silence in, nothing out
 *   audio_file.c  WAV files (call/wav.h), resampled to 48 kHz on input
 *   audio_pa.c    PortAudio streams behind lock-free rings (call/ring.h)
 * Not a public header: only src/call/audio*.c include it.
 */
#ifndef CONFAB_CALL_AUDIO_INT_H
#define CONFAB_CALL_AUDIO_INT_H

#include "call/audio.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Counters the PortAudio callback bumps: atomics, lock-free (no lock may
 * be taken in the callback), alive as long as the device. */
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2, "lock-free counters needed");
struct audio_counters {
	atomic_ulong frames_read, frames_written, ring_frames_written;
	atomic_ulong underflows, overflows, dropped_samples;
	atomic_ulong out_overflows, in_timeouts, in_trims;
};

struct audio_ep;

struct audio_ep_ops {
	/* input: exactly n samples of 48 kHz mono into frame */
	int (*read)(struct audio_ep *ep, int16_t *frame, size_t n);
	/* output: n samples of 48 kHz mono */
	int (*write)(struct audio_ep *ep, const int16_t *frame, size_t n);
	/* wait for queued playback to be played (NULL: nothing queued) */
	int (*drain)(struct audio_ep *ep, int timeout_ms);
	void (*close)(struct audio_ep *ep);
};

struct audio_ep {
	const struct audio_ep_ops *ops;
	/* read blocks on the device's own clock (PortAudio); else audio.c
	 * paces reads itself when the spec asks for it */
	bool clocked;
	bool ended;	/* input: no more samples, reads give silence */
};

/* What a back-end needs to know to open an endpoint. */
struct audio_ep_params {
	bool input;
	size_t frame;		/* samples per frame at 48 kHz */
	int device_rate;	/* PortAudio; see struct audio_spec */
	struct audio_counters *c;
};

int audio_null_open(struct audio_ep **out, const struct audio_ep_params *p);
int audio_file_open(struct audio_ep **out, const char *path,
		    const struct audio_ep_params *p, char **err);
int audio_pa_open(struct audio_ep **out, const char *name,
		  const struct audio_ep_params *p, char **err);

/* Resampler quality (speexdsp 0..10): 5 is transparent for speech and
 * cheap enough to run per frame in the media thread. */
#define AUDIO_RESAMPLE_QUALITY 5

#endif
