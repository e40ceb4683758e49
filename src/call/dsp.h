/* call/dsp: what the microphone signal goes through before it is encoded.
 *
 * speexdsp's acoustic echo canceller, fed with what the loudspeaker
 * played (the playback reference), takes the far end's voice out of the
 * near end's microphone; its preprocessor then suppresses stationary
 * noise (fans, hum) and the echo the canceller left.  Both run on 48 kHz
 * mono frames of 10 or 20 ms, in the media thread.
 *
 * Echo cancellation only makes sense for a loudspeaker next to a
 * microphone, and noise suppression only for a microphone: the engine
 * turns them on for sound cards and leaves file and null devices alone,
 * so that a file sent arrives as it was.
 *
 * dsp_playback() must be called with each frame given to the output, and
 * dsp_capture() with each frame read from the input, in the order they
 * happen: each captured piece is matched with the oldest reference not
 * yet used (kept for up to 200 ms), so the echo of a frame must reach the
 * microphone after the frame was handed to the output, within the tail.
 * Both work at 16 kHz (the frames are resampled down and up again): the
 * microphone's sound is delayed by about 14 ms (the preprocessor's
 * overlapping 10 ms windows, and the resampling), and loses what lies
 * above 8 kHz, which speech does not need.
 */
#ifndef CONFAB_CALL_DSP_H
#define CONFAB_CALL_DSP_H

#include <stdbool.h>
#include <stdint.h>

struct dsp_cfg {
	int frame_ms;		/* 10 or 20 */
	bool aec;		/* echo cancellation */
	bool ns;		/* noise suppression */
	int tail_ms;		/* echo path the canceller covers; 0: 100 */
	int ns_db;		/* noise attenuation, dB below 0; 0: -25 */
};

struct dsp_stats {
	uint64_t frames;	/* captured frames processed */
	bool aec, ns;
};

struct dsp;

/* NULL-safe: a dsp with neither part on is fine and copies frames.
 * -EINVAL for a bad frame size, -ENOMEM. */
int dsp_alloc(struct dsp **dp, const struct dsp_cfg *cfg);
void dsp_free(struct dsp *d);

/* A frame going to the loudspeaker. */
void dsp_playback(struct dsp *d, const int16_t *frame);
/* A frame from the microphone, cleaned in place. */
void dsp_capture(struct dsp *d, int16_t *frame);
void dsp_stats(const struct dsp *d, struct dsp_stats *st);

#endif
