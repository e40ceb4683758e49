/* call/codec: the Opus encoder and decoder of one audio stream.
 *
 * Audio is 48 kHz mono int16 in frames of 10 or 20 ms (480 or 960
 * samples).  The encoder is libopus in its VOIP application with in-band
 * FEC on: each packet also carries a coarse copy of the frame before it,
 * sized by the expected packet loss, which the engine updates at run time
 * from the peer's RTCP receiver reports (codec_enc_set_loss).  DTX is
 * optional: in silence the encoder then asks for nothing to be sent.
 *
 * The decoder turns each step of the jitter buffer into one frame:
 * codec_decode() for a packet that arrived, codec_decode_fec() for a lost
 * one whose successor is at hand (its FEC copy rebuilds the lost frame),
 * codec_plc() for a lost one with nothing to rebuild it from (also the
 * comfort noise of a DTX pause).  Lost frames are assumed to last as long
 * as the last frame decoded, which libopus needs to keep its state right.
 *
 * This module owns the two libopus states and nothing else; it neither
 * allocates nor locks per frame, so it may run on the audio thread.
 */
#ifndef CONFAB_CALL_CODEC_H
#define CONFAB_CALL_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CODEC_RATE 48000
#define CODEC_FRAME_MAX 960	/* samples in the longest frame we encode */
#define CODEC_SAMPLES_MAX 5760	/* 120 ms: the longest Opus packet decodes to */
#define CODEC_PACKET_MAX 1275	/* bytes: Opus's bound for one frame */
#define CODEC_BITRATE_DEFAULT 32000

struct codec_enc;
struct codec_dec;

struct codec_enc_cfg {
	int frame_ms;		/* 10 or 20 */
	int bitrate;		/* bits/s, 6000..510000 */
	int loss_pct;		/* expected packet loss, 0..100: sizes the FEC */
	bool fec;		/* in-band FEC (on by default) */
	bool dtx;		/* discontinuous transmission in silence */
};

struct codec_enc_stats {
	uint64_t frames;	/* frames encoded */
	uint64_t dtx;		/* of which needed nothing sent */
	uint64_t bytes;		/* payload bytes produced */
	int bitrate;		/* measured bits/s over all frames, DTX ones too */
};

struct codec_dec_stats {
	uint64_t decoded, fec, plc, errors;
};

/* 20 ms, CODEC_BITRATE_DEFAULT, 0 % loss, FEC on, DTX off. */
void codec_enc_cfg_default(struct codec_enc_cfg *cfg);

/* A new encoder; -EINVAL for a frame size or bitrate out of range,
 * -ENOMEM.  codec_enc_free(NULL) is a no-op. */
int codec_enc_alloc(struct codec_enc **ep, const struct codec_enc_cfg *cfg);
void codec_enc_free(struct codec_enc *e);

/* Encode one frame (codec_enc_frame_samples() samples) into out.
 * Returns the packet's length, 0 when DTX says nothing need be sent,
 * or -EINVAL / -ENOBUFS (cap too small) / -EIO. */
int codec_encode(struct codec_enc *e, const int16_t *pcm, uint8_t *out,
		 size_t cap);

/* Run-time settings; -EINVAL when out of range (the old value stays). */
int codec_enc_set_loss(struct codec_enc *e, int pct);
int codec_enc_set_bitrate(struct codec_enc *e, int bps);

/* The target bitrate libopus is working to, bits/s. */
int codec_enc_bitrate(const struct codec_enc *e);
int codec_enc_frame_samples(const struct codec_enc *e);
/* Samples of look-ahead: the codec's own delay, encoder to decoder. */
int codec_enc_lookahead(const struct codec_enc *e);
void codec_enc_stats(const struct codec_enc *e, struct codec_enc_stats *st);

/* A new decoder; frame_ms (10 or 20) is the size of a lost frame until
 * the first packet shows the peer's.  -EINVAL, -ENOMEM. */
int codec_dec_alloc(struct codec_dec **dp, int frame_ms);
void codec_dec_free(struct codec_dec *d);

/* Each returns the samples written to pcm (cap samples of room; a 20 ms
 * packet needs 960) or -EINVAL, -ENOBUFS, -EBADMSG (a corrupt packet:
 * call codec_plc() instead so that the output stays continuous). */
int codec_decode(struct codec_dec *d, const uint8_t *pkt, size_t len,
		 int16_t *pcm, size_t cap);
/* Rebuild the lost frame before `next` from next's FEC data (libopus
 * falls back to concealment when next carries none). */
int codec_decode_fec(struct codec_dec *d, const uint8_t *next, size_t len,
		     int16_t *pcm, size_t cap);
int codec_plc(struct codec_dec *d, int16_t *pcm, size_t cap);
void codec_dec_stats(const struct codec_dec *d, struct codec_dec_stats *st);

/* Samples at 48 kHz that an Opus packet holds, or -EBADMSG. */
int codec_packet_samples(const uint8_t *pkt, size_t len);
/* Whether a packet carries FEC data for the frame before it. */
bool codec_packet_has_fec(const uint8_t *pkt, size_t len);

#endif
