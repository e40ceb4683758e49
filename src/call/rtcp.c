/* call/rtcp: RTCP build, parse and RTT; see rtcp.h. */
#include "call/rtcp.h"

#include <errno.h>
#include <string.h>

#define HDR 4			/* V/P/count, type, length */
#define BLOCK_LEN 24
#define SR_LEN 24		/* SSRC + sender info */
#define SDES_CNAME 1
#define PSFB_PLI 1
/* Seconds from 1900 (NTP's epoch) to 1970 (Unix's). */
#define NTP_UNIX_OFFSET 2208988800u

const char *rtcp_strerror(int err)
{
	switch (err) {
	case RTCP_OK:
		return "ok";
	case RTCP_ERR_SHORT:
		return "truncated packet";
	case RTCP_ERR_VERSION:
		return "not RTCP version 2";
	case RTCP_ERR_LENGTH:
		return "packet too short for its contents";
	case RTCP_ERR_PADDING:
		return "bad padding";
	case RTCP_ERR_SDES:
		return "malformed SDES chunk";
	case RTCP_ERR_EMPTY:
		return "empty packet";
	case RTCP_ERR_ROOM:
		return "buffer too small";
	case RTCP_ERR_ARG:
		return "bad argument";
	default:
		return "unknown RTCP error";
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* ---- building ----------------------------------------------------------- */

/* The common header of a packet of `len` bytes (a multiple of 4). */
static void put_hdr(uint8_t *out, unsigned count, uint8_t type, size_t len)
{
	out[0] = (uint8_t)(2 << 6 | (count & 0x1f));
	out[1] = type;
	put16(out + 2, (uint16_t)(len / 4 - 1));
}

static void put_block(uint8_t *p, const struct rtcp_block *b)
{
	put32(p, b->ssrc);
	/* fraction, then the cumulative loss as 24-bit two's complement */
	put32(p + 4, (uint32_t)b->fraction << 24 |
		     ((uint32_t)b->lost & 0xffffff));
	put32(p + 8, b->ext_max_seq);
	put32(p + 12, b->jitter);
	put32(p + 16, b->lsr);
	put32(p + 20, b->dlsr);
}

int rtcp_build_sr(uint32_t ssrc, const struct rtcp_sender *sr,
		  const struct rtcp_block *b, uint8_t *out, size_t cap)
{
	size_t len = HDR + SR_LEN + (b ? BLOCK_LEN : 0);

	if (!sr)
		return RTCP_ERR_ARG;
	if (cap < len)
		return RTCP_ERR_ROOM;
	put_hdr(out, b ? 1 : 0, RTCP_SR, len);
	put32(out + 4, ssrc);
	put32(out + 8, (uint32_t)(sr->ntp >> 32));
	put32(out + 12, (uint32_t)sr->ntp);
	put32(out + 16, sr->rtp_ts);
	put32(out + 20, sr->packets);
	put32(out + 24, sr->octets);
	if (b)
		put_block(out + HDR + SR_LEN, b);
	return (int)len;
}

int rtcp_build_rr(uint32_t ssrc, const struct rtcp_block *b, uint8_t *out,
		  size_t cap)
{
	size_t len = HDR + 4 + (b ? BLOCK_LEN : 0);

	if (cap < len)
		return RTCP_ERR_ROOM;
	put_hdr(out, b ? 1 : 0, RTCP_RR, len);
	put32(out + 4, ssrc);
	if (b)
		put_block(out + 8, b);
	return (int)len;
}

int rtcp_build_sdes(uint32_t ssrc, const char *cname, uint8_t *out,
		    size_t cap)
{
	size_t n = cname ? strlen(cname) : 0, len;

	if (!cname || n > RTCP_CNAME_MAX)
		return RTCP_ERR_ARG;
	/* SSRC, CNAME item (type, length, text), then at least one zero
	 * byte ending the item list, padded to a 32-bit boundary. */
	len = (HDR + 4 + 2 + n + 1 + 3) & ~(size_t)3;
	if (cap < len)
		return RTCP_ERR_ROOM;
	memset(out, 0, len);
	put_hdr(out, 1, RTCP_SDES, len);
	put32(out + 4, ssrc);
	out[8] = SDES_CNAME;
	out[9] = (uint8_t)n;
	memcpy(out + 10, cname, n);
	return (int)len;
}

int rtcp_build_bye(uint32_t ssrc, uint8_t *out, size_t cap)
{
	if (cap < 8)
		return RTCP_ERR_ROOM;
	put_hdr(out, 1, RTCP_BYE, 8);
	put32(out + 4, ssrc);
	return 8;
}

int rtcp_build_pli(uint32_t ssrc, uint32_t media_ssrc, uint8_t *out,
		   size_t cap)
{
	if (cap < 12)
		return RTCP_ERR_ROOM;
	put_hdr(out, PSFB_PLI, RTCP_PSFB, 12);
	put32(out + 4, ssrc);
	put32(out + 8, media_ssrc);
	return 12;
}

int rtcp_build_report(uint32_t ssrc, const struct rtcp_sender *sr,
		      const struct rtcp_block *b, const char *cname,
		      uint8_t *out, size_t cap)
{
	int n = sr ? rtcp_build_sr(ssrc, sr, b, out, cap)
		   : rtcp_build_rr(ssrc, b, out, cap);
	int m;

	if (n < 0 || !cname)
		return n;
	m = rtcp_build_sdes(ssrc, cname, out + n, cap - (size_t)n);
	return m < 0 ? m : n + m;
}

/* ---- parsing ------------------------------------------------------------ */

static void get_block(const uint8_t *p, struct rtcp_block *b)
{
	uint32_t w = get32(p + 4);

	b->ssrc = get32(p);
	b->fraction = (uint8_t)(w >> 24);
	/* Sign-extend the 24-bit count without shifting into the sign. */
	b->lost = (int32_t)(w & 0xffffff) - ((w & 0x800000) ? 0x1000000 : 0);
	b->ext_max_seq = get32(p + 8);
	b->jitter = get32(p + 12);
	b->lsr = get32(p + 16);
	b->dlsr = get32(p + 20);
}

/* Report blocks of an SR or RR: `count` of them at p, n bytes there. */
static int get_blocks(const uint8_t *p, size_t n, unsigned count,
		      struct rtcp_info *out)
{
	if (n < (size_t)count * BLOCK_LEN)
		return RTCP_ERR_LENGTH;
	/* Anything after the blocks is a profile extension: ignored. */
	for (unsigned i = 0; i < count; i++)
		if (out->nblocks < RTCP_MAX_BLOCKS)
			get_block(p + i * BLOCK_LEN,
				  &out->blocks[out->nblocks++]);
	return RTCP_OK;
}

static bool first_report(struct rtcp_info *out)
{
	return !out->has_sr && !out->has_rr;
}

static int parse_sr(const uint8_t *p, size_t n, unsigned count,
		    struct rtcp_info *out)
{
	if (n < SR_LEN)
		return RTCP_ERR_LENGTH;
	if (first_report(out)) {
		out->has_sr = true;
		out->ssrc = get32(p);
		out->sr.ntp = (uint64_t)get32(p + 4) << 32 | get32(p + 8);
		out->sr.rtp_ts = get32(p + 12);
		out->sr.packets = get32(p + 16);
		out->sr.octets = get32(p + 20);
	}
	return get_blocks(p + SR_LEN, n - SR_LEN, count, out);
}

static int parse_rr(const uint8_t *p, size_t n, unsigned count,
		    struct rtcp_info *out)
{
	if (n < 4)
		return RTCP_ERR_LENGTH;
	if (first_report(out)) {
		out->has_rr = true;
		out->ssrc = get32(p);
	}
	return get_blocks(p + 4, n - 4, count, out);
}

/* One SDES chunk at p (n bytes left): its length, or an error.  Keeps
 * the first CNAME seen. */
static int sdes_chunk(const uint8_t *p, size_t n, struct rtcp_info *out)
{
	size_t i = 4;

	if (n < 4)
		return RTCP_ERR_SDES;
	for (;;) {
		if (i >= n)
			return RTCP_ERR_SDES;
		if (p[i] == 0) {
			/* End of items: null octets up to the next word. */
			size_t end = (i + 4) & ~(size_t)3;

			return end <= n ? (int)end : RTCP_ERR_SDES;
		}
		if (i + 2 > n || i + 2 + p[i + 1] > n)
			return RTCP_ERR_SDES;
		if (p[i] == SDES_CNAME && !out->has_cname) {
			memcpy(out->cname, p + i + 2, p[i + 1]);
			out->cname[p[i + 1]] = '\0';
			out->has_cname = true;
		}
		i += 2 + (size_t)p[i + 1];
	}
}

static int parse_sdes(const uint8_t *p, size_t n, unsigned count,
		      struct rtcp_info *out)
{
	for (unsigned c = 0; c < count; c++) {
		int k = sdes_chunk(p, n, out);

		if (k < 0)
			return k;
		p += k;
		n -= (size_t)k;
	}
	return RTCP_OK;
}

static int parse_one(uint8_t type, unsigned count, const uint8_t *p, size_t n,
		     struct rtcp_info *out)
{
	switch (type) {
	case RTCP_SR:
		return parse_sr(p, n, count, out);
	case RTCP_RR:
		return parse_rr(p, n, count, out);
	case RTCP_SDES:
		return parse_sdes(p, n, count, out);
	case RTCP_BYE:
		if (n < 4u * count)
			return RTCP_ERR_LENGTH;
		out->bye = true;
		return RTCP_OK;
	case RTCP_PSFB:
		if (count == PSFB_PLI) {
			if (n < 8)
				return RTCP_ERR_LENGTH;
			out->pli = true;
			out->pli_ssrc = get32(p + 4);
			return RTCP_OK;
		}
		break;
	}
	out->unknown++;
	return RTCP_OK;
}

int rtcp_parse(const uint8_t *buf, size_t len, struct rtcp_info *out)
{
	size_t off = 0;

	memset(out, 0, sizeof *out);
	if (len == 0)
		return RTCP_ERR_EMPTY;
	while (off < len) {
		const uint8_t *p = buf + off;
		size_t plen, body, pad = 0;
		int rc;

		if (len - off < HDR)
			return RTCP_ERR_SHORT;
		if (p[0] >> 6 != 2)
			return RTCP_ERR_VERSION;
		plen = ((size_t)get16(p + 2) + 1) * 4;
		if (plen > len - off)
			return RTCP_ERR_SHORT;
		body = plen - HDR;
		if (p[0] & 0x20) {
			/* RFC 3550 6.4.1: only the last packet is padded. */
			pad = p[plen - 1];
			if (off + plen != len || pad == 0 || pad > body)
				return RTCP_ERR_PADDING;
		}
		rc = parse_one(p[1], p[0] & 0x1f, p + HDR, body - pad, out);
		if (rc < 0)
			return rc;
		out->packets++;
		off += plen;
	}
	return RTCP_OK;
}

/* ---- time --------------------------------------------------------------- */

uint64_t rtcp_ntp_from_us(uint64_t us)
{
	uint64_t sec = us / 1000000u + NTP_UNIX_OFFSET;
	uint64_t frac = ((us % 1000000u) << 32) / 1000000u;

	return sec << 32 | frac;
}

uint32_t rtcp_ntp_mid(uint64_t ntp)
{
	return (uint32_t)(ntp >> 16);
}

int rtcp_rtt_ms(uint32_t arrival_mid, const struct rtcp_block *b,
		double *rtt_ms)
{
	int32_t rtt;

	if (b->lsr == 0)
		return -EAGAIN;
	/* Modulo 2^32 like the fields themselves (they wrap every 18 h). */
	rtt = (int32_t)(arrival_mid - b->lsr - b->dlsr);
	if (rtt < 0)
		return -ERANGE;
	*rtt_ms = rtt * 1000.0 / 65536.0;
	return 0;
}

void rtcp_lsr_note(struct rtcp_lsr *l, const struct rtcp_info *in,
		   uint64_t now_us)
{
	if (!in->has_sr)
		return;
	l->valid = true;
	l->lsr = rtcp_ntp_mid(in->sr.ntp);
	l->arrival_us = now_us;
}

void rtcp_block_fill(struct rtcp_block *b, uint32_t ssrc,
		     const struct rtp_loss *loss, const struct rtcp_lsr *l,
		     uint64_t now_us)
{
	memset(b, 0, sizeof *b);
	b->ssrc = ssrc;
	b->fraction = loss->fraction;
	b->lost = loss->lost;
	b->ext_max_seq = loss->ext_max_seq;
	b->jitter = loss->jitter;
	if (l && l->valid && now_us >= l->arrival_us) {
		uint64_t d = (now_us - l->arrival_us) * 65536u / 1000000u;

		b->lsr = l->lsr;
		b->dlsr = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	}
}

double rtcp_fraction(uint8_t fraction)
{
	return fraction / 256.0;
}

double rtcp_jitter_ms(uint32_t jitter, uint32_t clock)
{
	return clock ? jitter * 1000.0 / clock : 0;
}
