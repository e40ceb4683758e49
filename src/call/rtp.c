/* call/rtp: RTP header and per-source receive statistics; see rtp.h. */
#include "call/rtp.h"

#include <string.h>

#define SEQ_MOD (1u << 16)
/* RFC 3550 A.1's constants: how far a sequence number may jump ahead
 * (a loss burst) or fall behind (reordering) and still belong to the
 * stream, and how many in a row make a new source trusted. */
#define MAX_DROPOUT 3000
#define MAX_MISORDER 100
#define MIN_SEQUENTIAL 2

const char *rtp_strerror(int err)
{
	switch (err) {
	case RTP_OK:
		return "ok";
	case RTP_ERR_SHORT:
		return "truncated packet";
	case RTP_ERR_VERSION:
		return "not RTP version 2";
	case RTP_ERR_PADDING:
		return "bad padding";
	case RTP_ERR_RTCP:
		return "payload type 72-76 belongs to RTCP";
	case RTP_ERR_ROOM:
		return "buffer too small";
	case RTP_ERR_ARG:
		return "bad header field";
	default:
		return "unknown RTP error";
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int rtp_build(const struct rtp_hdr *h, const uint8_t *payload, size_t len,
	      uint8_t *out, size_t cap)
{
	if (h->pt > 127 || (len && !payload))
		return RTP_ERR_ARG;
	if (cap < RTP_HDR_LEN || len > cap - RTP_HDR_LEN ||
	    len > 0x7fffffff - RTP_HDR_LEN)
		return RTP_ERR_ROOM;
	out[0] = 2 << 6;	/* V=2, no padding, no extension, CC=0 */
	out[1] = (uint8_t)((h->marker ? 0x80 : 0) | h->pt);
	put16(out + 2, h->seq);
	put32(out + 4, h->ts);
	put32(out + 8, h->ssrc);
	if (len)
		memmove(out + RTP_HDR_LEN, payload, len);
	return (int)(RTP_HDR_LEN + len);
}

int rtp_parse(const uint8_t *pkt, size_t len, struct rtp_hdr *h,
	      const uint8_t **payload, size_t *plen)
{
	size_t hdr;

	if (len < RTP_HDR_LEN)
		return RTP_ERR_SHORT;
	if (pkt[0] >> 6 != 2)
		return RTP_ERR_VERSION;
	memset(h, 0, sizeof *h);
	h->cc = pkt[0] & 0x0f;
	h->marker = pkt[1] & 0x80;
	h->pt = pkt[1] & 0x7f;
	if (h->pt >= 72 && h->pt <= 76)
		return RTP_ERR_RTCP;
	h->seq = get16(pkt + 2);
	h->ts = get32(pkt + 4);
	h->ssrc = get32(pkt + 8);
	hdr = RTP_HDR_LEN + 4u * h->cc;
	if (pkt[0] & 0x10) {
		/* RFC 3550 5.3.1: 16-bit profile, 16-bit length in words. */
		if (len < hdr + 4)
			return RTP_ERR_SHORT;
		h->ext = true;
		h->ext_profile = get16(pkt + hdr);
		hdr += 4 + 4u * get16(pkt + hdr + 2);
	}
	if (len < hdr)
		return RTP_ERR_SHORT;
	if (pkt[0] & 0x20) {
		/* The last byte counts the padding, itself included. */
		h->pad = pkt[len - 1];
		if (h->pad == 0 || h->pad > len - hdr)
			return RTP_ERR_PADDING;
	}
	*payload = pkt + hdr;
	*plen = len - hdr - h->pad;
	return RTP_OK;
}

/* RFC 5761 4: RTCP packet types 192..223 sit where an RTP packet with
 * the marker set and payload type 64..95 would. */
bool rtp_is_rtcp(const uint8_t *pkt, size_t len)
{
	return len >= 2 && pkt[1] >= 192 && pkt[1] <= 223;
}

uint64_t rtp_seq_extend(uint64_t ref, uint16_t seq)
{
	/* Signed distance from ref's low 16 bits, taken the short way. */
	int16_t d = (int16_t)(uint16_t)(seq - (uint16_t)ref);

	/* Below 0 there is no earlier cycle: such a number counts as
	 * ahead instead (ref + d + 65536, which is seq itself). */
	if (d < 0 && ref < (uint64_t)-d)
		return seq;
	return ref + (uint64_t)(int64_t)d;
}

/* RFC 3550 A.1 init_seq(). */
static void seq_init(struct rtp_source *s, uint16_t seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = SEQ_MOD + 1;	/* matches no sequence number */
	s->cycles = 0;
	s->received = 0;
	s->received_prior = 0;
	s->expected_prior = 0;
}

void rtp_source_init(struct rtp_source *s, uint32_t ssrc, uint16_t seq,
		     uint32_t clock)
{
	memset(s, 0, sizeof *s);
	s->ssrc = ssrc;
	s->clock = clock ? clock : RTP_CLOCK_OPUS;
	seq_init(s, seq);
	s->max_seq = (uint16_t)(seq - 1);
	s->probation = MIN_SEQUENTIAL;
}

/* A new source must send MIN_SEQUENTIAL packets in a row to be trusted
 * (so that stray packets do not create one). */
static enum rtp_seq_result seq_probation(struct rtp_source *s, uint16_t seq)
{
	/* The RFC writes max_seq + 1, which is 65536, never 0, at the
	 * wrap: compare in 16 bits. */
	if (seq == (uint16_t)(s->max_seq + 1)) {
		s->probation--;
		s->max_seq = seq;
		if (s->probation == 0) {
			seq_init(s, seq);
			s->received++;
			return RTP_SEQ_OK;
		}
	} else {
		s->probation = MIN_SEQUENTIAL - 1;
		s->max_seq = seq;
	}
	return RTP_SEQ_PROBATION;
}

enum rtp_seq_result rtp_source_update(struct rtp_source *s, uint16_t seq)
{
	uint16_t udelta = (uint16_t)(seq - s->max_seq);
	enum rtp_seq_result res = RTP_SEQ_OK;

	if (s->probation)
		return seq_probation(s, seq);
	if (udelta < MAX_DROPOUT) {
		if (seq < s->max_seq)
			s->cycles += SEQ_MOD;	/* wrapped */
		s->max_seq = seq;
	} else if (udelta <= SEQ_MOD - MAX_MISORDER) {
		/* A big jump: the sender restarted if the next packet
		 * follows on from this one, else it was a stray. */
		if (seq != s->bad_seq) {
			s->bad_seq = (seq + 1) & (SEQ_MOD - 1);
			return RTP_SEQ_BAD;
		}
		seq_init(s, seq);
		s->have_transit = false;
		res = RTP_SEQ_RESTART;
	} else {
		s->behind++;	/* duplicate or reordered */
	}
	s->received++;
	return res;
}

void rtp_source_jitter(struct rtp_source *s, uint32_t ts, uint64_t arrival_us)
{
	/* Arrival in media clock units; only differences matter, so the
	 * truncation to 32 bits wraps harmlessly, like ts does. */
	uint32_t arrival = (uint32_t)(arrival_us * s->clock / 1000000u);
	int32_t transit = (int32_t)(arrival - ts);
	int64_t d;

	if (!s->have_transit) {
		s->have_transit = true;
		s->transit = transit;
		return;
	}
	d = (int64_t)transit - s->transit;
	s->transit = transit;
	if (d < 0)
		d = -d;
	/* A jump of hours is a broken clock, not jitter: keep J finite. */
	if (d > (1 << 26))
		d = 1 << 26;
	/* J += (|D| - J) / 16, with J kept times 16 (A.8's integer form). */
	s->jitter += (uint32_t)d - ((s->jitter + 8) >> 4);
}

enum rtp_seq_result rtp_source_recv(struct rtp_source *s,
				    const struct rtp_hdr *h,
				    uint64_t arrival_us)
{
	enum rtp_seq_result r = rtp_source_update(s, h->seq);

	if (r == RTP_SEQ_OK || r == RTP_SEQ_RESTART)
		rtp_source_jitter(s, h->ts, arrival_us);
	return r;
}

/* Numbers of A.3 that do not start a new interval. */
static void loss_totals(const struct rtp_source *s, struct rtp_loss *out)
{
	int64_t lost;

	memset(out, 0, sizeof *out);
	out->jitter = s->jitter >> 4;
	out->jitter_ms = (double)out->jitter * 1000.0 / s->clock;
	if (s->probation)
		return;
	out->ext_max_seq = s->cycles + s->max_seq;
	out->expected = out->ext_max_seq - s->base_seq + 1;
	lost = (int64_t)out->expected - s->received;
	/* The report's field is 24 bits, signed (duplicates can make the
	 * count negative). */
	if (lost > 0x7fffff)
		lost = 0x7fffff;
	if (lost < -0x800000)
		lost = -0x800000;
	out->lost = (int32_t)lost;
}

static uint8_t loss_fraction(uint32_t expected_int, uint32_t received_int)
{
	int64_t lost_int = (int64_t)expected_int - received_int;
	uint64_t f;

	if (expected_int == 0 || lost_int <= 0)
		return 0;
	f = ((uint64_t)lost_int << 8) / expected_int;
	return f > 255 ? 255 : (uint8_t)f;	/* all lost is 256/256 */
}

void rtp_source_peek(const struct rtp_source *s, struct rtp_loss *out)
{
	loss_totals(s, out);
	if (!s->probation)
		out->fraction = loss_fraction(out->expected - s->expected_prior,
					      s->received - s->received_prior);
}

void rtp_source_report(struct rtp_source *s, struct rtp_loss *out)
{
	rtp_source_peek(s, out);
	if (s->probation)
		return;
	s->expected_prior = out->expected;
	s->received_prior = s->received;
}
