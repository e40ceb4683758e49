/* call/vmail: voice mail: recording to Ogg Opus and playing it back.
 *
 * Recording reads the microphone (any call/audio input: a sound card, a
 * WAV file, null) on a thread of its own, paced as in a call, and
 * encodes it with libopusenc (Opus 48 kHz mono, voice, 24 kb/s) into an
 * .opus file until stopped, until a file input ends, or at the maximum
 * length.  The file is complete once vmail_rec_stop() returns.
 *
 * Playing decodes with opusfile on a thread of its own into an output
 * device, with pause, seek and the position for a progress bar; the
 * other functions may be called from any thread.
 */
#ifndef CONFAB_CALL_VMAIL_H
#define CONFAB_CALL_VMAIL_H

#include <stdbool.h>

#define VMAIL_MAX_S 180		/* the longest voice mail, seconds */

struct vmail_rec;
struct vmail_play;

/* Record from `input` (a call/audio device string; NULL: the default
 * microphone) into path.  0, or < 0 with *err set. */
int vmail_rec_start(struct vmail_rec **rp, const char *input,
		    const char *path, int max_s, char **err);
/* Seconds recorded so far, and the input level (dBFS) for a meter. */
double vmail_rec_seconds(const struct vmail_rec *r);
float vmail_rec_level(const struct vmail_rec *r);
/* Whether recording stopped by itself (end of a file input, maximum). */
bool vmail_rec_done(const struct vmail_rec *r);
/* Stop, finish the file and free; its length in seconds, or < 0 with
 * *err set when the file could not be written.  NULL: 0. */
double vmail_rec_stop(struct vmail_rec *r, char **err);

/* Play path on `output` (NULL: the default device). */
int vmail_play_start(struct vmail_play **pp, const char *path,
		     const char *output, char **err);
void vmail_play_pause(struct vmail_play *p, bool paused);
bool vmail_play_paused(const struct vmail_play *p);
/* Jump to `seconds` from the start (clamped to the length). */
void vmail_play_seek(struct vmail_play *p, double seconds);
double vmail_play_position(const struct vmail_play *p);
double vmail_play_length(const struct vmail_play *p);
bool vmail_play_ended(const struct vmail_play *p);
void vmail_play_stop(struct vmail_play *p);

/* The length of a voice mail file in seconds, or < 0 (not Ogg Opus). */
double vmail_length(const char *path);

#endif
