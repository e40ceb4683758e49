/* call/quality: objective measures of received audio against what was
 * sent, for tests and benchmarks (never on the audio path).
 *
 * Both signals are 48 kHz mono int16.  The measures:
 *
 *  - Delay: the lag at which the received signal best matches the sent
 *    one.  A coarse search correlates the two envelopes (mean |x| over
 *    blocks of 32 samples) over every lag allowed; a fine search then
 *    correlates the samples themselves within three blocks of the coarse
 *    peak, over the loudest two seconds.  Exact to the sample for a
 *    delayed copy; a few seconds of audio take milliseconds.
 *
 *  - STOI (short-time objective intelligibility, Taal et al., IEEE TASLP
 *    19(7), 2011), as published: both signals resampled to 10 kHz
 *    (speexdsp); frames of 256 samples, hop 128, Hann window, 512-point
 *    FFT; frames more than 40 dB below the loudest sent frame removed;
 *    energies in 15 one-third-octave bands from 150 Hz (centres up to
 *    about 3.8 kHz); in each 30-frame (384 ms) window and band, the
 *    received envelope is scaled to the sent one's energy, clipped to at
 *    most the sent envelope times (1 + 10^(15/20)) (a signal-to-distortion
 *    floor of -15 dB), and correlated with the sent envelope; the score is
 *    the mean correlation, in 0..1 for any sensible signal (about 1 for
 *    identical signals, falling with noise, loss and distortion; for
 *    speech 0.9 and up is near-perfect, below 0.7 is hard to follow).
 *    Clean-speech frames must span at least 384 ms.
 *
 *  - Segmental SNR: over 20 ms frames of the sent signal that are within
 *    40 dB of its loudest frame, the mean of each frame's SNR clamped to
 *    -10..35 dB.  A waveform measure: a codec that keeps the sound but
 *    not the waveform scores low here and well on STOI.
 *
 * quality_gen_speech() makes a speech-like test signal so that tests need
 * no recordings: syllables of a gliding harmonic voice shaped by three
 * formants, some noise-like fricatives, and pauses between syllables and
 * longer ones between "words" (sound about half the time, at about
 * -22 dBFS RMS while sounding, peaks below -6 dBFS).
 */
#ifndef CONFAB_CALL_QUALITY_H
#define CONFAB_CALL_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#define QUALITY_RATE 48000

struct quality_report {
	int delay;		/* samples the received signal lags by */
	double corr;		/* normalised correlation at that lag */
	size_t compared;	/* samples compared after alignment */
	double stoi;		/* 0..1 */
	double segsnr;		/* dB */
};

/* The lag in -max_lag..max_lag (samples) for which deg[n + lag] best
 * matches ref[n], and the normalised correlation there.  -EINVAL when
 * the signals are too short or silent, -ENOMEM. */
int quality_delay(const int16_t *ref, size_t nref, const int16_t *deg,
		  size_t ndeg, int max_lag, int *lag, double *corr);

/* STOI of deg against ref, both n samples and already aligned.
 * -EINVAL when fewer than 384 ms of ref are active, -ENOMEM. */
int quality_stoi(const int16_t *ref, const int16_t *deg, size_t n,
		 double *score);

/* Segmental SNR of deg against ref, aligned.  -EINVAL if ref is silent. */
int quality_segsnr(const int16_t *ref, const int16_t *deg, size_t n,
		   double *db);

/* All three: find the delay (within max_lag), align, then score the
 * overlap.  Errors as above. */
int quality_compare(const int16_t *ref, size_t nref, const int16_t *deg,
		    size_t ndeg, int max_lag, struct quality_report *r);

/* n samples of speech-like sound; the same seed, the same sound. */
void quality_gen_speech(int16_t *out, size_t n, uint32_t seed);

#endif
