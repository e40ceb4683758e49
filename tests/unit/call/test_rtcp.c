/* Unit tests for call/rtcp: reports, compound packets and RTT. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "call/rtcp.h"

static const struct rtcp_block blk = {
	.ssrc = 0x11223344u, .fraction = 25, .lost = -5,
	.ext_max_seq = 0x00012345u, .jitter = 480,
	.lsr = 0xabcd1234u, .dlsr = 0x00018000u,
};

static void same_block(const struct rtcp_block *a, const struct rtcp_block *b)
{
	assert_int_equal(a->ssrc, b->ssrc);
	assert_int_equal(a->fraction, b->fraction);
	assert_int_equal(a->lost, b->lost);
	assert_int_equal(a->ext_max_seq, b->ext_max_seq);
	assert_int_equal(a->jitter, b->jitter);
	assert_int_equal(a->lsr, b->lsr);
	assert_int_equal(a->dlsr, b->dlsr);
}

static void test_rtcp__sr__round_trip(void **state)
{
	struct rtcp_sender sr = {.ntp = 0xe1234567890abcdeull,
				 .rtp_ts = 0xfffffff0u, .packets = 1234,
				 .octets = 98765};
	struct rtcp_info in;
	uint8_t buf[128];
	int n = rtcp_build_sr(0xcafe, &sr, &blk, buf, sizeof buf);

	assert_int_equal(n, 52);
	assert_int_equal(buf[0], 0x81);
	assert_int_equal(buf[1], RTCP_SR);
	assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
	assert_int_equal(in.packets, 1);
	assert_true(in.has_sr);
	assert_false(in.has_rr);
	assert_int_equal(in.ssrc, 0xcafe);
	assert_true(in.sr.ntp == sr.ntp);
	assert_int_equal(in.sr.rtp_ts, sr.rtp_ts);
	assert_int_equal(in.sr.packets, 1234);
	assert_int_equal(in.sr.octets, 98765);
	assert_int_equal(in.nblocks, 1);
	same_block(&in.blocks[0], &blk);
	/* without a block */
	n = rtcp_build_sr(1, &sr, NULL, buf, sizeof buf);
	assert_int_equal(n, 28);
	assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
	assert_int_equal(in.nblocks, 0);
	assert_int_equal(rtcp_build_sr(1, &sr, &blk, buf, 51), RTCP_ERR_ROOM);
	assert_int_equal(rtcp_build_sr(1, NULL, &blk, buf, 64), RTCP_ERR_ARG);
}

/* The 24-bit signed cumulative loss, at its ends. */
static void test_rtcp__rr__lost_sign_extends(void **state)
{
	static const int32_t vals[] = {0, 1, -1, 0x7fffff, -0x800000, -5};
	struct rtcp_block b = blk;
	struct rtcp_info in;
	uint8_t buf[64];

	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		int n;

		b.lost = vals[i];
		n = rtcp_build_rr(7, &b, buf, sizeof buf);
		assert_int_equal(n, 32);
		assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
		assert_true(in.has_rr);
		assert_int_equal(in.ssrc, 7);
		same_block(&in.blocks[0], &b);
	}
	assert_int_equal(rtcp_build_rr(7, NULL, buf, sizeof buf), 8);
}

static void test_rtcp__compound__report_sdes_bye_pli(void **state)
{
	struct rtcp_sender sr = {.ntp = 1ull << 40, .rtp_ts = 9};
	struct rtcp_info in;
	uint8_t buf[512];
	int n = rtcp_build_report(0x55, &sr, &blk, "alice@host", buf,
				  sizeof buf);
	int m;

	/* SR with block 52, SDES 4+4+2+10+1 -> 24 */
	assert_int_equal(n, 52 + 24);
	m = rtcp_build_bye(0x55, buf + n, sizeof buf - (size_t)n);
	assert_int_equal(m, 8);
	n += m;
	m = rtcp_build_pli(0x55, 0x66, buf + n, sizeof buf - (size_t)n);
	assert_int_equal(m, 12);
	n += m;
	assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
	assert_int_equal(in.packets, 4);
	assert_true(in.has_sr);
	assert_int_equal(in.nblocks, 1);
	assert_true(in.has_cname);
	assert_string_equal(in.cname, "alice@host");
	assert_true(in.bye);
	assert_true(in.pli);
	assert_int_equal(in.pli_ssrc, 0x66);
	assert_int_equal(in.unknown, 0);
	/* An RR report; a CNAME exactly filling its word gets a full word
	 * of zeros after it. */
	n = rtcp_build_report(0x55, NULL, NULL, "ab", buf, sizeof buf);
	assert_int_equal(n, 8 + 16);
	assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
	assert_true(in.has_rr);
	assert_string_equal(in.cname, "ab");
	n = rtcp_build_sdes(1, "abcdef", buf, sizeof buf);
	assert_int_equal(n, 20);
	assert_int_equal(buf[n - 1], 0);
	assert_int_equal(buf[n - 4], 0);
}

static void test_rtcp__compound__skips_unknown_and_caps_blocks(void **state)
{
	uint8_t buf[2048];
	struct rtcp_info in;
	size_t n = 0;

	/* 40 RRs of one block each: 31 blocks are kept */
	for (int i = 0; i < 40; i++) {
		struct rtcp_block b = blk;

		b.ssrc = (uint32_t)i;
		n += (size_t)rtcp_build_rr(100 + (uint32_t)i, &b, buf + n,
					   sizeof buf - n);
	}
	/* an APP packet: name and 4 bytes of data */
	memcpy(buf + n, "\x80\xcc\x00\x03" "\0\0\0\1" "NAME" "data", 16);
	n += 16;
	assert_int_equal(rtcp_parse(buf, n, &in), RTCP_OK);
	assert_int_equal(in.packets, 41);
	assert_int_equal(in.unknown, 1);
	assert_int_equal(in.nblocks, RTCP_MAX_BLOCKS);
	assert_int_equal(in.ssrc, 100);	/* the first report's sender */
	assert_int_equal(in.blocks[30].ssrc, 30);
}

static void test_rtcp__parse__padding(void **state)
{
	uint8_t buf[64];
	struct rtcp_info in;
	int n = rtcp_build_rr(1, &blk, buf, sizeof buf);

	/* pad the last packet by 4 */
	buf[0] |= 0x20;
	memcpy(buf + n, "\0\0\0\4", 4);
	buf[3] = (uint8_t)((n + 4) / 4 - 1);
	assert_int_equal(rtcp_parse(buf, (size_t)n + 4, &in), RTCP_OK);
	same_block(&in.blocks[0], &blk);
	/* then something after it: padding was not last */
	assert_int_equal(rtcp_build_bye(1, buf + n + 4, 8), 8);
	assert_int_equal(rtcp_parse(buf, (size_t)n + 12, &in),
			 RTCP_ERR_PADDING);
	/* padding eating the block: too short for its count */
	buf[n + 3] = 28;
	assert_int_equal(rtcp_parse(buf, (size_t)n + 4, &in), RTCP_ERR_LENGTH);
	buf[n + 3] = 0;
	assert_int_equal(rtcp_parse(buf, (size_t)n + 4, &in), RTCP_ERR_PADDING);
	buf[n + 3] = 37;
	assert_int_equal(rtcp_parse(buf, (size_t)n + 4, &in), RTCP_ERR_PADDING);
}

static void check_bad(const uint8_t *buf, size_t len, int want)
{
	struct rtcp_info in;
	int rc = rtcp_parse(buf, len, &in);

	if (rc != want)
		print_error("rtcp_parse: %d (%s), want %d\n", rc,
			    rtcp_strerror(rc), want);
	assert_int_equal(rc, want);
}

static void test_rtcp__parse__refuses_malformed(void **state)
{
	uint8_t buf[128];
	int n = rtcp_build_rr(1, &blk, buf, sizeof buf);

	check_bad(buf, 0, RTCP_ERR_EMPTY);
	check_bad(buf, 3, RTCP_ERR_SHORT);
	check_bad(buf, (size_t)n - 1, RTCP_ERR_SHORT);
	check_bad(buf, (size_t)n + 2, RTCP_ERR_SHORT);
	buf[0] = (buf[0] & 0x3f) | 0x40;
	check_bad(buf, (size_t)n, RTCP_ERR_VERSION);
	buf[0] = 0x82;			/* two blocks claimed, one there */
	check_bad(buf, (size_t)n, RTCP_ERR_LENGTH);
	buf[0] = 0x81;
	buf[3] = 0;			/* RR of one word: no SSRC */
	check_bad(buf, 4, RTCP_ERR_LENGTH);
	/* SR body shorter than the sender info */
	memcpy(buf, "\x80\xc8\x00\x01" "\0\0\0\1", 8);
	check_bad(buf, 8, RTCP_ERR_LENGTH);
	/* SDES: item runs past the packet; no terminating zero */
	memcpy(buf, "\x81\xca\x00\x02" "\0\0\0\1" "\x01\x09" "ab", 12);
	check_bad(buf, 12, RTCP_ERR_SDES);
	memcpy(buf, "\x81\xca\x00\x02" "\0\0\0\1" "\x01\x02" "ab", 12);
	check_bad(buf, 12, RTCP_ERR_SDES);
	/* SDES claiming two chunks, holding one */
	memcpy(buf, "\x82\xca\x00\x02" "\0\0\0\1" "\x01\x01" "a\0", 12);
	check_bad(buf, 12, RTCP_ERR_SDES);
	/* BYE claiming 3 sources, holding 1; PLI with no media SSRC */
	memcpy(buf, "\x83\xcb\x00\x01" "\0\0\0\1", 8);
	check_bad(buf, 8, RTCP_ERR_LENGTH);
	memcpy(buf, "\x81\xce\x00\x01" "\0\0\0\1", 8);
	check_bad(buf, 8, RTCP_ERR_LENGTH);
	assert_string_equal(rtcp_strerror(RTCP_ERR_SDES),
			    "malformed SDES chunk");
	assert_int_equal(rtcp_build_sdes(1, NULL, buf, sizeof buf),
			 RTCP_ERR_ARG);
}

static void test_rtcp__ntp__conversions(void **state)
{
	uint64_t ntp = rtcp_ntp_from_us(0);

	assert_true(ntp >> 32 == 2208988800ull);
	assert_true((uint32_t)ntp == 0);
	ntp = rtcp_ntp_from_us(1500000);
	assert_true(ntp >> 32 == 2208988801ull);
	assert_true((uint32_t)ntp == 0x80000000u);
	assert_int_equal(rtcp_ntp_mid(0x0001234567890000ull), 0x23456789u);
	assert_true(fabs(rtcp_jitter_ms(480, 48000) - 10) < 1e-9);
	assert_true(fabs(rtcp_fraction(64) - 0.25) < 1e-9);
}

/* The full RFC 3550 6.4.1 loop: we send an SR at t0; it takes 31 ms to
 * reach the peer, who holds it 700 ms before its RR, which takes 47 ms
 * back.  RTT = 78 ms. */
static void test_rtcp__rtt__from_lsr_dlsr(void **state)
{
	uint64_t t0 = 1700000000ull * 1000000 + 123456, peer_off = 5000000;
	struct rtcp_sender sr = {.ntp = rtcp_ntp_from_us(t0)};
	struct rtp_loss loss = {.fraction = 3, .lost = 9, .ext_max_seq = 77,
				.jitter = 96};
	struct rtcp_lsr l = {0};
	struct rtcp_info in;
	struct rtcp_block b;
	uint8_t buf[128];
	double rtt;
	int n;

	n = rtcp_build_sr(1, &sr, NULL, buf, sizeof buf);
	assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
	/* the peer's clock is elsewhere: only its own differences count */
	rtcp_lsr_note(&l, &in, peer_off + 31000);
	assert_true(l.valid);
	rtcp_block_fill(&b, 1, &loss, &l, peer_off + 31000 + 700000);
	assert_int_equal(b.fraction, 3);
	assert_int_equal(b.lost, 9);
	assert_int_equal(b.jitter, 96);
	assert_int_equal(b.lsr, rtcp_ntp_mid(sr.ntp));
	n = rtcp_build_rr(2, &b, buf, sizeof buf);
	assert_int_equal(rtcp_parse(buf, (size_t)n, &in), RTCP_OK);
	assert_int_equal(rtcp_rtt_ms(rtcp_ntp_mid(rtcp_ntp_from_us(
				t0 + 31000 + 700000 + 47000)),
				&in.blocks[0], &rtt), 0);
	print_message("rtcp: rtt %.3f ms (want 78)\n", rtt);
	assert_true(fabs(rtt - 78) < 0.1);
	/* no SR seen yet: no LSR, no RTT */
	memset(&l, 0, sizeof l);
	rtcp_block_fill(&b, 1, &loss, &l, 0);
	assert_int_equal(b.lsr, 0);
	assert_int_equal(b.dlsr, 0);
	assert_int_equal(rtcp_rtt_ms(12345, &b, &rtt), -EAGAIN);
	/* an RR claiming it held our SR longer than it has existed */
	b.lsr = 1000;
	b.dlsr = 2000;
	assert_int_equal(rtcp_rtt_ms(2500, &b, &rtt), -ERANGE);
	/* across the wrap of the 32-bit middle */
	b.lsr = 0xffffff00u;
	b.dlsr = 0x100;
	assert_int_equal(rtcp_rtt_ms(0x00000100u, &b, &rtt), 0);
	assert_true(fabs(rtt - 256 * 1000.0 / 65536) < 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtcp__sr__round_trip),
		cmocka_unit_test(test_rtcp__rr__lost_sign_extends),
		cmocka_unit_test(test_rtcp__compound__report_sdes_bye_pli),
		cmocka_unit_test(test_rtcp__compound__skips_unknown_and_caps_blocks),
		cmocka_unit_test(test_rtcp__parse__padding),
		cmocka_unit_test(test_rtcp__parse__refuses_malformed),
		cmocka_unit_test(test_rtcp__ntp__conversions),
		cmocka_unit_test(test_rtcp__rtt__from_lsr_dlsr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
