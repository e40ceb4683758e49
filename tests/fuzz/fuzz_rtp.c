/* fuzz_rtp: what the call engine does with bytes off the network.
 *
 * Each input is read three ways:
 *
 *   1. as one RTP packet (rtp_parse): on success the payload lies within
 *      the input and a plain packet (no CSRC, extension or padding)
 *      rebuilds to the same bytes;
 *   2. as one RTCP compound packet (rtcp_parse): on success the counts
 *      are within bounds, the CNAME is a terminated string, and a sender
 *      or receiver report rebuilds and parses back to the same fields;
 *   3. as a stream of records for a receiver: each record is a control
 *      byte (low 6 bits: milliseconds that pass; bit 6: take a frame out
 *      of the jitter buffer first; bit 7: flip the decoder's "quiet"
 *      hint), a length byte and that many bytes of packet.  Packets that
 *      parse as RTP go to an rtp_source and a jitter buffer (a fresh one
 *      per input, so that a crash replays from its input alone), whose
 *      counters must keep the promises jbuf.h makes after every call.
 *
 *   make build/fuzz/fuzz_rtp
 *   build/fuzz/fuzz_rtp -max_total_time=120 tests/fuzz/corpus/rtp
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call/codec.h"
#include "call/jbuf.h"
#include "call/rtcp.h"
#include "call/rtp.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_rtp: invariant broken: %s\n", what);
		abort();
	}
}

static void fuzz_rtp(const uint8_t *data, size_t size)
{
	struct rtp_hdr h;
	const uint8_t *pay;
	size_t plen;
	uint8_t again[2048];
	int rc = rtp_parse(data, size, &h, &pay, &plen);

	check(rtp_strerror(rc) != NULL, "rtp_strerror");
	if (rc != RTP_OK)
		return;
	check(pay >= data && pay + plen <= data + size, "payload in bounds");
	check(plen + RTP_HDR_LEN + 4u * h.cc + h.pad <= size, "lengths add up");
	check(h.pt < 128 && (h.pt < 72 || h.pt > 76), "payload type");
	if (h.cc || h.ext || h.pad || size > sizeof again)
		return;
	rc = rtp_build(&h, pay, plen, again, sizeof again);
	check(rc == (int)size && !memcmp(again, data, size), "RTP rebuilds");
}

static void same_block(const struct rtcp_block *a, const struct rtcp_block *b)
{
	check(a->ssrc == b->ssrc && a->fraction == b->fraction &&
	      a->lost == b->lost && a->ext_max_seq == b->ext_max_seq &&
	      a->jitter == b->jitter && a->lsr == b->lsr &&
	      a->dlsr == b->dlsr, "report block rebuilds");
}

/* Rebuild the first SR or RR with its first block and parse it back. */
static void rtcp_again(const struct rtcp_info *in)
{
	const struct rtcp_block *b = in->nblocks ? &in->blocks[0] : NULL;
	struct rtcp_info out;
	uint8_t buf[128];
	int n;

	if (in->has_sr)
		n = rtcp_build_sr(in->ssrc, &in->sr, b, buf, sizeof buf);
	else if (in->has_rr)
		n = rtcp_build_rr(in->ssrc, b, buf, sizeof buf);
	else
		return;
	check(n > 0, "RTCP builds");
	check(rtcp_parse(buf, (size_t)n, &out) == RTCP_OK, "RTCP parses back");
	check(out.has_sr == in->has_sr && out.has_rr == in->has_rr &&
	      out.ssrc == in->ssrc && out.nblocks == (b ? 1u : 0u),
	      "RTCP report rebuilds");
	if (in->has_sr)
		check(out.sr.ntp == in->sr.ntp &&
		      out.sr.rtp_ts == in->sr.rtp_ts &&
		      out.sr.packets == in->sr.packets &&
		      out.sr.octets == in->sr.octets, "SR rebuilds");
	if (b)
		same_block(&out.blocks[0], b);
}

static void fuzz_rtcp(const uint8_t *data, size_t size)
{
	struct rtcp_info in;
	int rc = rtcp_parse(data, size, &in);
	double rtt;

	check(rtcp_strerror(rc) != NULL, "rtcp_strerror");
	if (rc != RTCP_OK)
		return;
	check(in.packets >= 1 && in.packets <= size / 4, "packet count");
	check(in.unknown <= in.packets, "unknown count");
	check(in.nblocks <= RTCP_MAX_BLOCKS, "block count");
	check(memchr(in.cname, '\0', sizeof in.cname) != NULL,
	      "CNAME terminated");
	check(in.has_cname || in.cname[0] == '\0', "no CNAME, empty");
	for (unsigned i = 0; i < in.nblocks; i++) {
		check(in.blocks[i].lost >= -0x800000 &&
		      in.blocks[i].lost <= 0x7fffff, "24-bit loss");
		if (rtcp_rtt_ms(0x12345678u, &in.blocks[i], &rtt) == 0)
			check(rtt >= 0 && rtt < 65536.0 * 1000, "RTT range");
	}
	rtcp_again(&in);
}

static void check_jbuf(const struct jbuf *jb)
{
	struct jbuf_stats st;

	jbuf_stats(jb, &st);
	check(st.gets == st.idle + st.played + st.concealed, "gets add up");
	check(st.put == st.late + st.dup + st.stray + st.played + st.dropped +
			(uint64_t)st.buffered, "packets add up");
	check(st.buffered >= 0 && st.buffered <= JBUF_SLOTS, "buffered");
	check(st.fec <= st.lost, "fec <= lost");
	check(st.target_ms >= 0 && st.target_ms <= 400, "target");
}

static void take(struct jbuf *jb, int64_t now)
{
	struct jbuf_frame f;

	jbuf_get(jb, now, &f);
	switch (f.kind) {
	case JBUF_PACKET:
		check(f.data && f.len && f.len <= JBUF_PAYLOAD_MAX, "packet");
		break;
	case JBUF_LOST:
		check(!f.fec || (f.fec_len && f.fec_len <= JBUF_PAYLOAD_MAX),
		      "fec packet");
		break;
	case JBUF_NONE:
	case JBUF_CONCEAL:
		check(!f.data && !f.fec, "nothing handed out");
		break;
	default:
		check(0, "frame kind");
	}
}

static void fuzz_receiver(const uint8_t *data, size_t size)
{
	struct jbuf_cfg cfg;
	struct jbuf *jb;
	struct rtp_source src;
	bool have_src = false, quiet = false;
	int64_t now = 1000;
	size_t at = 0;

	jbuf_cfg_default(&cfg, size && (data[0] & 1) ? 10 : 20);
	if (jbuf_alloc(&jb, &cfg) < 0)
		abort();
	while (at + 2 <= size) {
		uint8_t ctl = data[at], len = data[at + 1];
		const uint8_t *pkt = data + at + 2, *pay;
		size_t n = size - at - 2 < len ? size - at - 2 : len;
		struct rtp_hdr h;
		size_t plen;

		at += 2 + n;
		now += ctl & 0x3f;
		if (ctl & 0x80)
			jbuf_quiet(jb, quiet = !quiet);
		if (ctl & 0x40)
			take(jb, now);
		if (rtp_parse(pkt, n, &h, &pay, &plen) != RTP_OK)
			continue;
		if (!have_src) {
			rtp_source_init(&src, h.ssrc, h.seq, RTP_CLOCK_OPUS);
			have_src = true;
		}
		rtp_source_recv(&src, &h, (uint64_t)now * 1000);
		if (plen)
			check(jbuf_put(jb, h.seq, h.ts, pay, plen, now) >= 0,
			      "jbuf_put");
		check_jbuf(jb);
		(void)codec_packet_has_fec(pay, plen);
	}
	for (int i = 0; i < 30; i++) {
		now += 20;
		take(jb, now);
	}
	check_jbuf(jb);
	if (have_src) {
		struct rtp_loss l;

		rtp_source_report(&src, &l);
		check(l.lost >= -0x800000 && l.lost <= 0x7fffff, "A.3 loss");
	}
	jbuf_free(jb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_rtp(data, size);
	fuzz_rtcp(data, size);
	fuzz_receiver(data, size);
	(void)codec_packet_samples(data, size);
	(void)codec_packet_has_fec(data, size);
	return 0;
}
