/* call/rtp: RTP packets (RFC 3550) and what a receiver learns from them.
 *
 * rtp_build() writes the fixed 12-byte header before a payload; we send
 * no CSRCs and no header extension.  rtp_parse() reads any RTP packet off
 * the network: it skips CSRCs and a header extension, strips padding, and
 * refuses malformed packets with a reason (enum rtp_err, rtp_strerror()).
 *
 * struct rtp_source is the receiver's view of one sender (one SSRC):
 * sequence numbers extended to 64 bits across wraps with the validation
 * of RFC 3550 A.1 (probation, restarts), the loss accounting of A.3 and
 * the interarrival jitter estimator of A.8.  Its numbers feed our RTCP
 * receiver reports (call/rtcp).  Opus uses dynamic payload type 111 and a
 * 48 kHz RTP clock (RFC 7587).
 *
 * Nothing here allocates, locks or logs.
 */
#ifndef CONFAB_CALL_RTP_H
#define CONFAB_CALL_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_LEN 12
#define RTP_PT_OPUS 111
#define RTP_CLOCK_OPUS 48000

/* Why a packet was refused (negative, so they pass as int results). */
enum rtp_err {
	RTP_OK = 0,
	RTP_ERR_SHORT = -1,	/* shorter than its header says */
	RTP_ERR_VERSION = -2,	/* version is not 2 */
	RTP_ERR_PADDING = -3,	/* padding count 0 or past the header */
	RTP_ERR_RTCP = -4,	/* payload type 72..76: RTCP, not RTP */
	RTP_ERR_ROOM = -5,	/* building: output buffer too small */
	RTP_ERR_ARG = -6,	/* building: bad field (pt > 127) */
};

struct rtp_hdr {
	bool marker;		/* first packet of a talkspurt, for audio */
	uint8_t pt;		/* payload type, 0..127 */
	uint16_t seq;
	uint32_t ts;		/* media clock, 48 kHz for Opus */
	uint32_t ssrc;
	/* Set by rtp_parse() only (rtp_build() writes neither): */
	uint8_t cc;		/* CSRCs skipped */
	bool ext;		/* a header extension was skipped */
	uint16_t ext_profile;	/* its "defined by profile" field */
	size_t pad;		/* padding bytes stripped */
};

const char *rtp_strerror(int err);

/* Header then payload into out.  Returns the packet's length, or
 * RTP_ERR_ROOM / RTP_ERR_ARG. */
int rtp_build(const struct rtp_hdr *h, const uint8_t *payload, size_t len,
	      uint8_t *out, size_t cap);

/* Parse pkt.  On RTP_OK, *payload points into pkt and *plen is its
 * length (0 is allowed).  On an error the outputs are undefined. */
int rtp_parse(const uint8_t *pkt, size_t len, struct rtp_hdr *h,
	      const uint8_t **payload, size_t *plen);

/* RFC 5761 demultiplexing: whether a packet on a muxed port is RTCP. */
bool rtp_is_rtcp(const uint8_t *pkt, size_t len);

/* The 64-bit value of `seq` nearest to `ref` (an earlier extended
 * number): how sequence numbers stay ordered across the 16-bit wrap.
 * Start extended numbers at 65536 or more so that a packet just before
 * the first one has somewhere to go (below 0 it would count as ahead). */
uint64_t rtp_seq_extend(uint64_t ref, uint16_t seq);

/* What a receiver tracks for one sender. */
struct rtp_source {
	uint32_t ssrc;
	uint32_t clock;		/* media clock rate, Hz */
	/* RFC 3550 A.1 */
	uint16_t max_seq;
	uint32_t cycles;	/* shifted count of wraps */
	uint32_t base_seq;
	uint32_t bad_seq;
	uint32_t probation;
	uint32_t received;
	uint32_t expected_prior, received_prior;
	/* RFC 3550 A.8 */
	bool have_transit;
	int32_t transit;
	uint32_t jitter;	/* times 16, in clock units */
	uint64_t behind;	/* arrived behind the highest: reordered or
				 * duplicated (A.1 counts them as received) */
};

/* Result of rtp_source_update(). */
enum rtp_seq_result {
	RTP_SEQ_OK = 0,		/* in order or slightly reordered: play it */
	RTP_SEQ_PROBATION = 1,	/* new source not yet trusted */
	RTP_SEQ_BAD = -1,	/* a jump too large: ignore, unless repeated */
	RTP_SEQ_RESTART = 2,	/* the source restarted: state was reset */
};

/* Start tracking a sender from its first packet. */
void rtp_source_init(struct rtp_source *s, uint32_t ssrc, uint16_t seq,
		     uint32_t clock);
/* RFC 3550 A.1 update_seq(): account for one arriving packet. */
enum rtp_seq_result rtp_source_update(struct rtp_source *s, uint16_t seq);
/* RFC 3550 A.8: one arrival at arrival_us (any monotonic microsecond
 * clock) of a packet stamped ts. */
void rtp_source_jitter(struct rtp_source *s, uint32_t ts, uint64_t arrival_us);
/* Both of the above, for a parsed packet; returns rtp_source_update's
 * result (the jitter is updated only for packets that count). */
enum rtp_seq_result rtp_source_recv(struct rtp_source *s,
				    const struct rtp_hdr *h,
				    uint64_t arrival_us);

/* RFC 3550 A.3, what a receiver report says about the sender. */
struct rtp_loss {
	uint32_t ext_max_seq;	/* cycles + highest sequence number */
	uint32_t expected;	/* packets since the first one */
	int32_t lost;		/* cumulative, clamped to 24 bits signed */
	uint8_t fraction;	/* lost since the last report, /256 */
	uint32_t jitter;	/* in clock units */
	double jitter_ms;
};

/* Fill out the loss numbers.  A report starts a new interval for the
 * fraction lost, so call this once per RTCP report sent. */
void rtp_source_report(struct rtp_source *s, struct rtp_loss *out);
/* Same, without starting a new interval (for display). */
void rtp_source_peek(const struct rtp_source *s, struct rtp_loss *out);

#endif
