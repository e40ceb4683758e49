/* call/rtcp: RTCP reports (RFC 3550 section 6) and round-trip time.
 *
 * We send, every few seconds, a compound packet: a sender report (SR,
 * when we sent media since the last one) or a receiver report (RR), with
 * one report block about the peer's stream, then an SDES CNAME; plus BYE
 * at hang-up and PLI (RFC 4585) to ask for a video key frame.
 *
 * rtcp_parse() reads any compound packet off the network: every length is
 * checked against the bytes at hand, unknown packet types are skipped, and
 * a malformed packet is refused with a reason (enum rtcp_err).  Reduced-
 * size RTCP (RFC 5506: a lone PLI, say) is accepted.
 *
 * Round-trip time (RFC 3550 6.4.1): our SR carries our clock as an NTP
 * timestamp; the peer echoes its middle 32 bits (LSR) with the time it
 * held it (DLSR); RTT = arrival - LSR - DLSR.  struct rtcp_lsr keeps the
 * peer's last SR so that our blocks can do the same for the peer.
 *
 * Nothing here allocates, locks or logs.
 */
#ifndef CONFAB_CALL_RTCP_H
#define CONFAB_CALL_RTCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "call/rtp.h"

#define RTCP_SR 200
#define RTCP_RR 201
#define RTCP_SDES 202
#define RTCP_BYE 203
#define RTCP_APP 204
#define RTCP_RTPFB 205
#define RTCP_PSFB 206
#define RTCP_MAX_BLOCKS 31	/* the 5-bit report count */
#define RTCP_CNAME_MAX 255

enum rtcp_err {
	RTCP_OK = 0,
	RTCP_ERR_SHORT = -1,	/* a packet runs past the bytes at hand */
	RTCP_ERR_VERSION = -2,	/* version is not 2 */
	RTCP_ERR_LENGTH = -3,	/* a body too short for what it claims */
	RTCP_ERR_PADDING = -4,	/* padding not last, 0 or past the body */
	RTCP_ERR_SDES = -5,	/* an SDES chunk runs past its packet */
	RTCP_ERR_EMPTY = -6,	/* no packet at all */
	RTCP_ERR_ROOM = -7,	/* building: output buffer too small */
	RTCP_ERR_ARG = -8,	/* building: bad argument */
};

/* One report block: what a receiver says about one sender's stream. */
struct rtcp_block {
	uint32_t ssrc;		/* the stream reported on */
	uint8_t fraction;	/* lost since the last report, /256 */
	int32_t lost;		/* cumulative, 24 bits signed */
	uint32_t ext_max_seq;
	uint32_t jitter;	/* in RTP clock units */
	uint32_t lsr;		/* middle of the last SR's NTP time, or 0 */
	uint32_t dlsr;		/* since that SR, in 1/65536 s */
};

struct rtcp_sender {
	uint64_t ntp;		/* NTP timestamp: 32.32 seconds since 1900 */
	uint32_t rtp_ts;	/* the same instant on the RTP clock */
	uint32_t packets, octets;
};

/* What a compound packet said. */
struct rtcp_info {
	unsigned packets;	/* RTCP packets in it */
	unsigned unknown;	/* of which types we skipped (APP, RTPFB...) */
	bool has_sr, has_rr;	/* the first SR or RR sets ssrc (and sr) */
	uint32_t ssrc;
	struct rtcp_sender sr;
	unsigned nblocks;	/* report blocks kept; more are dropped */
	struct rtcp_block blocks[RTCP_MAX_BLOCKS];
	bool has_cname;		/* the first SDES CNAME, NUL-terminated */
	char cname[RTCP_CNAME_MAX + 1];
	bool bye;
	bool pli;		/* picture loss indication for pli_ssrc */
	uint32_t pli_ssrc;
};

const char *rtcp_strerror(int err);

/* Parse a compound packet.  On RTCP_OK *out says what it held; on an
 * error its contents are undefined and the packet is to be dropped. */
int rtcp_parse(const uint8_t *buf, size_t len, struct rtcp_info *out);

/* Builders: each appends one RTCP packet at out and returns its length
 * (a multiple of 4), or RTCP_ERR_ROOM / RTCP_ERR_ARG.  A block may be
 * NULL (a report with no block).  Concatenate for a compound packet. */
int rtcp_build_sr(uint32_t ssrc, const struct rtcp_sender *sr,
		  const struct rtcp_block *b, uint8_t *out, size_t cap);
int rtcp_build_rr(uint32_t ssrc, const struct rtcp_block *b, uint8_t *out,
		  size_t cap);
int rtcp_build_sdes(uint32_t ssrc, const char *cname, uint8_t *out,
		    size_t cap);
int rtcp_build_bye(uint32_t ssrc, uint8_t *out, size_t cap);
int rtcp_build_pli(uint32_t ssrc, uint32_t media_ssrc, uint8_t *out,
		   size_t cap);

/* The usual compound: SR (sr not NULL) or RR, with block b if not NULL,
 * then SDES CNAME.  Returns the total length or an error. */
int rtcp_build_report(uint32_t ssrc, const struct rtcp_sender *sr,
		      const struct rtcp_block *b, const char *cname,
		      uint8_t *out, size_t cap);

/* NTP timestamps from a microsecond clock.  Only our own timestamps are
 * ever compared with each other, so any clock works for RTT; the wall
 * clock (microseconds since 1970) gives real NTP time. */
uint64_t rtcp_ntp_from_us(uint64_t us);
/* The middle 32 bits (16.16 seconds), as LSR and RTT use them. */
uint32_t rtcp_ntp_mid(uint64_t ntp);

/* The RTT a report block tells, given the block's arrival (our clock,
 * as rtcp_ntp_mid(rtcp_ntp_from_us(now))).  -EAGAIN when the peer had no
 * SR of ours yet (LSR 0), -ERANGE when the numbers do not add up
 * (arrival before LSR + DLSR). */
int rtcp_rtt_ms(uint32_t arrival_mid, const struct rtcp_block *b,
		double *rtt_ms);

/* The peer's last SR, for the LSR and DLSR of our blocks. */
struct rtcp_lsr {
	bool valid;
	uint32_t lsr;
	uint64_t arrival_us;	/* on the clock now_us is given on below */
};

/* Remember the SR in `in`, if any, that arrived at now_us. */
void rtcp_lsr_note(struct rtcp_lsr *l, const struct rtcp_info *in,
		   uint64_t now_us);
/* A block about `ssrc` from its loss numbers and our last SR from it. */
void rtcp_block_fill(struct rtcp_block *b, uint32_t ssrc,
		     const struct rtp_loss *loss, const struct rtcp_lsr *l,
		     uint64_t now_us);

/* Human units: fraction lost 0..1, jitter in ms at the given clock. */
double rtcp_fraction(uint8_t fraction);
double rtcp_jitter_ms(uint32_t jitter, uint32_t clock);

#endif
