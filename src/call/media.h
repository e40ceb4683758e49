/* call/media: one call's audio, both ways, on a thread of its own.
 *
 * Sending, once per frame period (paced by the input device):
 *   capture -> DSP (echo cancellation, noise suppression) -> Opus ->
 *   RTP -> SRTP -> the transport's send (ICE).
 * Receiving, as datagrams arrive on the transport's thread (media_recv):
 *   RTP/RTCP demux -> SRTP check -> RTP -> jitter buffer; and per frame
 *   period on the media thread: jitter buffer -> Opus decode, FEC or
 *   concealment -> output device (and the DSP's playback reference).
 * Every few seconds an RTCP report (SR or RR with a block about the
 * peer's stream) goes out; the peer's reports give the round-trip time
 * and the loss of our stream, which sizes the encoder's FEC.
 *
 * The media thread owns the devices, encoder, decoder and DSP; the jitter
 * buffer and the receive statistics are shared under one lock, held for
 * a packet's put or a frame's get and decode.  media_stats() may be
 * called from any thread.
 *
 * Times for delay measurements: in_t0_us is when input sample 0 was
 * captured and out_t0_us when output sample 0 went to the device, both
 * on CLOCK_MONOTONIC (which all processes share), so that the delay of a
 * sound through two engines is the lag between the input and output
 * signals plus out_t0_us - in_t0_us.
 */
#ifndef CONFAB_CALL_MEDIA_H
#define CONFAB_CALL_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "call/audio.h"
#include "call/codec.h"
#include "call/dsp.h"
#include "call/jbuf.h"
#include "call/sec.h"

struct media_cfg {
	struct audio_dev *audio;	/* borrowed: the thread reads and
					 * writes it while running */
	int frame_ms;			/* ours: 10 or 20 */
	int peer_frame_ms;		/* the peer's ptime */
	int bitrate;			/* 0: CODEC_BITRATE_DEFAULT */
	bool fec, dtx;
	bool aec, ns;			/* DSP parts on */
	bool echo;		/* send back what arrives, not the input */
	uint32_t ssrc, peer_ssrc;
	const char *cname;		/* RTCP SDES */
	struct sec_keys keys;
	/* one datagram to the peer; called on the media thread */
	int (*send)(void *arg, const uint8_t *buf, size_t len);
	void *arg;
};

struct media_stats {
	int64_t in_t0_us, out_t0_us;	/* 0 until known */
	int64_t started_us;		/* monotonic, when the thread began */
	int frame_ms, peer_frame_ms;
	bool muted, held;
	/* sent */
	uint64_t packets_sent, bytes_sent, rtcp_sent;
	/* received (after SRTP and RTP checks) */
	uint64_t packets_recv, bytes_recv, rtcp_recv;
	uint64_t rtp_bad;	/* passed SRTP but not a packet we take */
	uint64_t ssrc_changes;
	/* our view of the peer's stream (RFC 3550) */
	uint32_t expected;	/* packets the peer sent, by sequence */
	int32_t lost;		/* cumulative */
	double loss;		/* lost / expected */
	double jitter_ms;
	/* the peer's view of ours, from its last report; < 0: none yet */
	double peer_loss;	/* fraction lost in its last interval */
	double peer_jitter_ms;
	double rtt_ms;
	int fec_loss_pct;	/* what the encoder's FEC is sized for */
	struct jbuf_stats jb;
	struct sec_stats sec;
	struct codec_enc_stats enc;
	struct codec_dec_stats dec;
	struct dsp_stats dsp;
	float in_dbfs, out_dbfs;
	double delay_ms;	/* estimated one-way mouth-to-ear */
	double mos;		/* E-model estimate from delay and loss */
};

struct media;

/* Set up (nothing runs yet).  0, or < 0 with *err a new message. */
int media_new(struct media **mp, const struct media_cfg *cfg, char **err);
/* Start the thread.  0, or -errno. */
int media_start(struct media *m);
/* A datagram from the peer; any thread, not re-entered (one transport
 * thread). */
void media_recv(struct media *m, const uint8_t *buf, size_t len);
/* Mute: silence is sent.  Hold: nothing is sent or played. */
void media_set_mute(struct media *m, bool on);
void media_set_hold(struct media *m, bool on);
bool media_input_ended(const struct media *m);
void media_stats(struct media *m, struct media_stats *st);
/* Reopen a device (see audio_switch), done by the media thread between
 * two frames while it runs; waits for the result. */
int media_switch(struct media *m, enum audio_which which, const char *name,
		 char **err);
/* Stop the thread; an RTCP BYE goes out.  Idempotent. */
void media_stop(struct media *m);
/* Stop and free everything; the audio device stays with its owner.
 * NULL: nothing. */
void media_free(struct media *m);

/* Microseconds on CLOCK_MONOTONIC. */
int64_t media_now_us(void);

#endif
