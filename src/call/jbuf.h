/* call/jbuf: the adaptive jitter buffer for one incoming Opus stream.
 *
 * The network thread puts each packet in as it arrives (jbuf_put); the
 * audio path takes one frame's worth out each time it needs audio
 * (jbuf_get): a packet to decode, a lost frame to conceal (with the next
 * packet when it is at hand, whose in-band FEC rebuilds the lost one), a
 * frame to conceal with nothing lost (a DTX pause, or the buffer growing),
 * or nothing yet (before the first packet is due).  Once playing, every
 * get yields exactly one frame of audio, so the output never stops.
 *
 * Delay.  For each packet, o = arrival - timestamp (both in ms).  The
 * fastest packet of the last few seconds sets o_min; the target delay is
 * the 95th percentile of (o - o_min) over the same window, at least one
 * frame, at most the cap less a frame.  The buffer's delay is how long
 * after its fastest possible arrival a frame is played.  Playout starts,
 * and restarts after each DTX pause, at the target (within half a frame:
 * frames are taken a frame apart).  The delay grows only
 * when needed: when the next packet is not there, a concealed frame is
 * played in its place (the playout point held) for up to max(target, two
 * frames) before time moves on without it.  It shrinks at a talkspurt's
 * start, or by dropping a packet while it is half a frame above the
 * target on a clean path (the target at its floor), 1.5 frames with
 * jitter: at once when the decoder says the audio is quiet
 * (jbuf_quiet) or the packet is a DTX one, else at most once per shrink
 * interval.  Buffered audio never exceeds the cap: the oldest goes first.
 * After an outage the backlog, behind playout by then, is discarded as
 * late (and kept out of the statistics); if packets keep coming behind
 * playout for 200 ms, the path got slower and playout restarts.
 *
 * Sequence numbers and timestamps are extended across their wraps; late
 * packets and duplicates are counted and discarded; a sequence jump that
 * persists (the peer restarted) starts a new stream; a timestamp that
 * jumps while sequence numbers continue is mapped back onto the playout
 * timeline.  Each packet's duration is read from its Opus TOC byte, so a
 * peer may switch between 10 and 20 ms frames.
 *
 * The buffer is preallocated: put and get neither allocate, lock nor log.
 * The caller serialises calls (the engine holds its own lock or queue).
 */
#ifndef CONFAB_CALL_JBUF_H
#define CONFAB_CALL_JBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JBUF_PAYLOAD_MAX 1500
#define JBUF_SLOTS 64		/* packets held at most */

struct jbuf;

struct jbuf_cfg {
	int frame_ms;		/* expected packet duration (10 or 20) */
	int min_ms;		/* lowest target delay; default one frame */
	int max_ms;		/* cap on buffered audio; default 400 */
	int window_ms;		/* span of the delay statistics; 5000 */
	int shrink_ms;		/* at most one drop per this much playout
				 * while not quiet; default 500 */
};

enum jbuf_kind {
	JBUF_NONE,		/* nothing yet: play silence */
	JBUF_PACKET,		/* decode data */
	JBUF_LOST,		/* a packet is missing: codec_decode_fec(fec)
				 * when fec is set, else codec_plc() */
	JBUF_CONCEAL,		/* nothing missing (DTX pause, underrun, the
				 * buffer growing): codec_plc() */
};

struct jbuf_frame {
	enum jbuf_kind kind;
	const uint8_t *data;	/* PACKET; valid until the next jbuf call */
	size_t len;
	const uint8_t *fec;	/* LOST: the next packet, or NULL */
	size_t fec_len;
	uint16_t seq;		/* PACKET and LOST: of the frame */
};

enum jbuf_put_result {
	JBUF_PUT_OK = 0,	/* stored */
	JBUF_PUT_LATE = 1,	/* its turn has passed: discarded */
	JBUF_PUT_DUP = 2,	/* a duplicate: discarded */
	JBUF_PUT_STRAY = 3,	/* far off the sequence: discarded, unless
				 * the next packet follows it (a restart) */
};

struct jbuf_stats {
	uint64_t put;		/* packets given to jbuf_put() */
	uint64_t gets;		/* calls to jbuf_get() */
	uint64_t idle;		/* JBUF_NONE handed out */
	uint64_t played;	/* JBUF_PACKET handed out */
	uint64_t concealed;	/* JBUF_LOST + JBUF_CONCEAL handed out */
	uint64_t lost;		/* sequence numbers missing at their turn */
	uint64_t fec;		/* lost frames handed out with an FEC packet */
	uint64_t grown;		/* concealed holding the playout point */
	uint64_t late;		/* arrived after their turn */
	uint64_t dup;		/* duplicates */
	uint64_t stray;		/* far off the sequence */
	uint64_t dropped;	/* discarded to shrink, or on overflow */
	uint64_t resets;	/* restarts and timestamp jumps followed */
	int buffered;		/* packets held now */
	int delay_ms;		/* the buffer's delay at the last get */
	int target_ms;		/* what it aims for */
};
/* Invariants: gets = idle + played + concealed; put = late + dup +
 * stray + played + dropped + buffered (each packet put is exactly one of
 * these); between the first and the last sequence number handed out,
 * each one was played, lost or dropped exactly once (late ones are among
 * the lost). */

/* Defaults for `frame_ms` frames. */
void jbuf_cfg_default(struct jbuf_cfg *cfg, int frame_ms);

/* -EINVAL for a bad configuration, -ENOMEM.  jbuf_free(NULL) is a no-op. */
int jbuf_alloc(struct jbuf **jp, const struct jbuf_cfg *cfg);
void jbuf_free(struct jbuf *jb);

/* A packet's RTP sequence number and timestamp (48 kHz), payload and
 * arrival time (any monotonic ms clock, the same one jbuf_get gets).
 * Returns an enum jbuf_put_result, or -EINVAL (empty, or a clock value
 * beyond +-2^45) / -EMSGSIZE. */
int jbuf_put(struct jbuf *jb, uint16_t seq, uint32_t ts,
	     const uint8_t *payload, size_t len, int64_t arrival_ms);

/* The next frame, for playout at now_ms. */
void jbuf_get(struct jbuf *jb, int64_t now_ms, struct jbuf_frame *out);

/* The decoder's word on the last frame: quiet audio (low energy, comfort
 * noise) is where dropping a frame goes unheard. */
void jbuf_quiet(struct jbuf *jb, bool quiet);

/* Forget the stream (a new SSRC): packets go, counters stay. */
void jbuf_reset(struct jbuf *jb);

void jbuf_stats(const struct jbuf *jb, struct jbuf_stats *st);

#endif
