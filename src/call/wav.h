/* call/wav: RIFF WAVE files of 16-bit PCM, read and written.
 *
 * The file audio device (audio_file.c) plays WAV files into calls and
 * records calls into them; tests feed and check audio through it.
 *
 * Reading takes 16-bit PCM, mono or stereo (WAVE_FORMAT_PCM, or
 * WAVE_FORMAT_EXTENSIBLE with the PCM sub-format), at any rate, and hands
 * out mono samples (stereo is averaged).  Anything else is refused with a
 * message saying what the file holds and what would do.  Bad input never
 * crashes: every size in the file is checked against the file's length.
 *
 * Writing keeps the file readable if the writer dies: samples go to the
 * file as they come (no user-space buffer) and the two size fields of the
 * header are patched after every second of audio and at close.  A killed
 * writer leaves a file whose header counts all but the last second; the
 * reader takes the samples after a data chunk's declared end too, to the
 * end of the file, when they are not a chunk header and at most 2 s long,
 * so that last second is not lost either.  Sizes that streaming writers
 * leave (0, or 0x7FFF0000 and more) also mean "to the end of the file".
 * (The alternative, a header with 0xFFFFFFFF sizes until close, leaves
 * files that other programs reject or misread.)
 */
#ifndef CONFAB_CALL_WAV_H
#define CONFAB_CALL_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WAV_MAX_RATE 384000

struct wav_info {
	unsigned rate;		/* samples per second */
	unsigned channels;	/* in the file: 1 or 2 */
	uint64_t frames;	/* sample frames the data chunk holds */
	bool truncated;		/* the data chunk was cut short */
	bool open_ended;	/* its size was patched in from the file length */
};

struct wav_reader;

/* Open a WAV file and check its header: 0, or -1 with *err a new message
 * ("x.wav: 24-bit samples; only 16-bit PCM is supported ..."). */
int wav_reader_open(struct wav_reader **out, const char *path, char **err);
const struct wav_info *wav_reader_info(const struct wav_reader *r);
/* Up to n mono samples into buf: how many (0 at the end), or -1 with
 * *err set on a read error. */
long wav_read_mono(struct wav_reader *r, int16_t *buf, size_t n, char **err);
void wav_reader_free(struct wav_reader *r);

struct wav_writer;

/* Create (or truncate) path as a 16-bit PCM WAV file, mode 0600 (calls
 * are private).  0, or -1 with *err set. */
int wav_writer_open(struct wav_writer **out, const char *path,
		    unsigned rate, unsigned channels, char **err);
/* Append frames (interleaved when stereo).  0, or -1 with *err set (disk
 * full, or the 4 GiB a WAV file can hold). */
int wav_write(struct wav_writer *w, const int16_t *samples, size_t frames,
	      char **err);
/* Frames written so far. */
uint64_t wav_writer_frames(const struct wav_writer *w);
/* Patch the header, close and free (NULL: nothing).  0, or -1 with *err
 * set (*err may be NULL when the caller does not want the message). */
int wav_writer_close(struct wav_writer *w, char **err);

#endif
