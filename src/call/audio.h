/* call/audio: the call engine's audio devices.
 *
 * One small interface in front of three back-ends: PortAudio (real sound
 * cards, audio_pa.c), WAV files (audio_file.c) and null (audio_null.c).
 * The engine sees 48 kHz mono int16 frames of 10 or 20 ms and nothing of
 * the device behind them; devices at other rates are resampled here
 * (speexdsp), in the media thread.
 *
 * A device string names the back-end:
 *   "null"            silence in, output discarded
 *   "file:PATH.wav"   a WAV file: read (16-bit PCM, any rate, mono or
 *                     stereo) for input, written (48 kHz mono) for output
 *   anything else     a PortAudio device: its exact name, its index in
 *                     audio_list(), or a part of its name that only one
 *                     device has; NULL or "" for the default device
 *   "pa:NAME"         the same, for a card whose name is "null" or
 *                     starts with "file:"
 *
 * Threads: audio_read, audio_write, audio_ring_write, audio_switch,
 * audio_drain and audio_close belong to the one media thread.
 * audio_levels, audio_stats and audio_input_ended may be called from any
 * thread (the level meters).  PortAudio's callback touches only lock-free
 * rings and atomic counters.
 */
#ifndef CONFAB_CALL_AUDIO_H
#define CONFAB_CALL_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIO_RATE 48000
#define AUDIO_MAX_FRAME (AUDIO_RATE / 50)	/* samples in 20 ms */
#define AUDIO_LEVEL_FLOOR (-100.0f)		/* dBFS reported for silence */

enum audio_which { AUDIO_IN, AUDIO_OUT, AUDIO_RING };

struct audio_spec {
	const char *input;	/* device strings, see above */
	const char *output;
	const char *ring;	/* where ringing plays; NULL: the output */
	int frame_ms;		/* 10 or 20 */
	/* file and null input: deliver frames in real time (true) or as
	 * fast as they are asked for (false) */
	bool paced;
	/* PortAudio: run the device at this rate; 0 picks 48000 when the
	 * device takes it, else its default rate */
	int device_rate;
};

struct audio_stats {
	uint64_t frames_read;		/* frames audio_read handed out */
	uint64_t frames_written;	/* frames audio_write took */
	uint64_t ring_frames_written;	/* frames audio_ring_write took */
	uint64_t underflows;	/* playback ran dry and played silence */
	uint64_t overflows;	/* capture found its ring full and dropped */
	uint64_t dropped_samples;	/* capture samples lost that way */
	uint64_t out_overflows;	/* frames audio_write dropped: playback full */
	uint64_t in_timeouts;	/* audio_read gave silence: no capture */
	uint64_t in_trims;	/* capture backlog cut to keep latency low */
};

struct audio_devinfo {
	int index;		/* PortAudio's device index */
	char *name;
	char *host_api;		/* "ALSA", "JACK Audio Connection Kit" */
	int max_in, max_out;	/* channels */
	double default_rate;
	bool default_in, default_out;
};

struct audio_dev;

/* Open the input, output and ring devices of spec.  0, or < 0 with *err
 * a new message naming the device and what to do. */
int audio_open(struct audio_dev **out, const struct audio_spec *spec,
	       char **err);
/* Stop and close everything (NULL: nothing). */
void audio_close(struct audio_dev *dev);

/* Samples in one frame: 480 or 960. */
size_t audio_frame_samples(const struct audio_dev *dev);

/* One frame of capture into frame.  A paced file or null input blocks
 * until the frame's time has come (frame k is due k+1 frame lengths after
 * the first read, on CLOCK_MONOTONIC, so there is no drift); PortAudio
 * blocks until the card has delivered it.  0, or < 0 with silence in
 * frame: -ETIMEDOUT when the card delivered nothing for a while. */
int audio_read(struct audio_dev *dev, int16_t *frame);
/* One frame of playback.  0, or < 0: -ENOBUFS when the playback ring
 * was full (the frame is dropped and counted), -EIO when a file could
 * not be written (the message is logged). */
int audio_write(struct audio_dev *dev, const int16_t *frame);
/* One frame to the ring device (the output when they are the same: then
 * do not also audio_write in that frame period). */
int audio_ring_write(struct audio_dev *dev, const int16_t *frame);
/* Whether a file input has no more samples (reads give silence). */
bool audio_input_ended(const struct audio_dev *dev);

/* Levels of the last 100 ms of capture and playback, RMS in dBFS
 * (0 for a full-scale square wave, AUDIO_LEVEL_FLOOR for silence). */
void audio_levels(const struct audio_dev *dev, float *in_dbfs,
		  float *out_dbfs);
void audio_stats(const struct audio_dev *dev, struct audio_stats *st);

/* Reopen one side on another device string (name as in audio_spec; for
 * AUDIO_RING NULL means "the output").  On failure the old device stays
 * in use.  0, or < 0 with *err set. */
int audio_switch(struct audio_dev *dev, enum audio_which which,
		 const char *name, char **err);
/* Wait up to timeout_ms for queued playback to reach the card, e.g.
 * before closing after a last prompt.  0, or -ETIMEDOUT. */
int audio_drain(struct audio_dev *dev, int timeout_ms);

/* PortAudio's devices.  0, or < 0 with *err set; free with
 * audio_list_free. */
int audio_list(struct audio_devinfo **v, size_t *n, char **err);
void audio_list_free(struct audio_devinfo *v, size_t n);

#endif
