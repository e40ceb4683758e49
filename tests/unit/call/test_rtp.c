/* Unit tests for call/rtp: headers, sequence numbers, loss and jitter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "call/rtp.h"

static void test_rtp__build__parses_back(void **state)
{
	struct rtp_hdr h = {.marker = true, .pt = RTP_PT_OPUS, .seq = 65535,
			    .ts = 0xfffffff0u, .ssrc = 0xdeadbeefu};
	struct rtp_hdr g;
	const uint8_t pay[5] = {1, 2, 3, 4, 5}, *p;
	uint8_t buf[64];
	size_t plen;
	int n = rtp_build(&h, pay, sizeof pay, buf, sizeof buf);

	assert_int_equal(n, RTP_HDR_LEN + 5);
	assert_int_equal(buf[0], 0x80);
	assert_int_equal(buf[1], 0x80 | 111);
	assert_int_equal(rtp_parse(buf, (size_t)n, &g, &p, &plen), RTP_OK);
	assert_true(g.marker);
	assert_int_equal(g.pt, 111);
	assert_int_equal(g.seq, 65535);
	assert_int_equal(g.ts, 0xfffffff0u);
	assert_int_equal(g.ssrc, 0xdeadbeefu);
	assert_int_equal(g.cc, 0);
	assert_false(g.ext);
	assert_int_equal(plen, 5);
	assert_memory_equal(p, pay, 5);
	assert_ptr_equal(p, buf + RTP_HDR_LEN);
	/* An empty payload is allowed both ways. */
	h.marker = false;
	assert_int_equal(rtp_build(&h, NULL, 0, buf, sizeof buf), RTP_HDR_LEN);
	assert_int_equal(rtp_parse(buf, RTP_HDR_LEN, &g, &p, &plen), RTP_OK);
	assert_false(g.marker);
	assert_int_equal(plen, 0);
}

static void test_rtp__build__refuses(void **state)
{
	struct rtp_hdr h = {.pt = 128};
	uint8_t buf[16], pay[8] = {0};

	assert_int_equal(rtp_build(&h, pay, 4, buf, sizeof buf), RTP_ERR_ARG);
	h.pt = 111;
	assert_int_equal(rtp_build(&h, pay, 5, buf, sizeof buf), RTP_ERR_ROOM);
	assert_int_equal(rtp_build(&h, pay, 4, buf, sizeof buf), 16);
	assert_int_equal(rtp_build(&h, pay, 0, buf, 11), RTP_ERR_ROOM);
	assert_int_equal(rtp_build(&h, NULL, 3, buf, sizeof buf), RTP_ERR_ARG);
}

/* Two CSRCs, a 2-word extension, 3 payload bytes and 4 of padding. */
static const uint8_t full[] = {
	0xb2, 0x6f, 0x12, 0x34,	/* V=2 P X CC=2; PT 111; seq 0x1234 */
	0, 0, 0x03, 0xe8,	/* ts 1000 */
	0xca, 0xfe, 0xba, 0xbe,	/* ssrc */
	0, 0, 0, 1, 0, 0, 0, 2,	/* CSRCs */
	0xbe, 0xde, 0, 2,	/* extension: profile 0xbede, 2 words */
	1, 2, 3, 4, 5, 6, 7, 8,
	0xaa, 0xbb, 0xcc,	/* payload */
	0, 0, 0, 4,		/* padding, counting itself */
};

static void test_rtp__parse__skips_csrc_extension_padding(void **state)
{
	struct rtp_hdr h;
	const uint8_t *p;
	size_t plen;

	assert_int_equal(rtp_parse(full, sizeof full, &h, &p, &plen), RTP_OK);
	assert_int_equal(h.cc, 2);
	assert_true(h.ext);
	assert_int_equal(h.ext_profile, 0xbede);
	assert_int_equal(h.pad, 4);
	assert_int_equal(h.seq, 0x1234);
	assert_int_equal(h.ts, 1000);
	assert_int_equal(h.ssrc, 0xcafebabeu);
	assert_int_equal(plen, 3);
	assert_int_equal(p[0], 0xaa);
	assert_int_equal(p[2], 0xcc);
}

static void check_bad(const uint8_t *pkt, size_t len, int want)
{
	struct rtp_hdr h;
	const uint8_t *p;
	size_t plen;
	int rc = rtp_parse(pkt, len, &h, &p, &plen);

	if (rc != want)
		print_error("rtp_parse: %d (%s), want %d\n", rc,
			    rtp_strerror(rc), want);
	assert_int_equal(rc, want);
}

static void test_rtp__parse__refuses_malformed(void **state)
{
	uint8_t b[sizeof full];

	check_bad(full, 11, RTP_ERR_SHORT);
	check_bad(full, 0, RTP_ERR_SHORT);
	/* CSRC list cut short, extension header cut, extension body cut */
	check_bad(full, 16, RTP_ERR_SHORT);
	check_bad(full, 22, RTP_ERR_SHORT);
	check_bad(full, 30, RTP_ERR_SHORT);
	memcpy(b, full, sizeof b);
	b[0] = (b[0] & 0x3f) | 0x40;	/* version 1 */
	check_bad(b, sizeof b, RTP_ERR_VERSION);
	memcpy(b, full, sizeof b);
	b[sizeof b - 1] = 0;		/* padding of 0 */
	check_bad(b, sizeof b, RTP_ERR_PADDING);
	b[sizeof b - 1] = 8;		/* more padding than payload */
	check_bad(b, sizeof b, RTP_ERR_PADDING);
	b[sizeof b - 1] = 7;		/* exactly all of the payload */
	check_bad(b, sizeof b, RTP_OK);
	memcpy(b, full, sizeof b);
	b[1] = 0x80 | 72;		/* an SR on a muxed port */
	check_bad(b, sizeof b, RTP_ERR_RTCP);
	assert_true(rtp_is_rtcp(b, sizeof b));
	assert_false(rtp_is_rtcp(full, sizeof full));
	assert_false(rtp_is_rtcp(full, 1));
	assert_string_equal(rtp_strerror(RTP_ERR_PADDING), "bad padding");
}

static void test_rtp__seq_extend__wraps_both_ways(void **state)
{
	uint64_t base = 1ull << 20;	/* some cycles in */

	assert_int_equal(rtp_seq_extend(base + 65535, 0), base + 65536);
	assert_int_equal(rtp_seq_extend(base + 65536, 65535), base + 65535);
	/* 39900 ahead is further than 25636 behind: behind it is. */
	assert_int_equal(rtp_seq_extend(base + 100, 40000),
			 base + 40000 - 65536);
	assert_int_equal(rtp_seq_extend(base + 10, 10), base + 10);
	assert_int_equal(rtp_seq_extend(base, 32767), base + 32767);
	assert_int_equal(rtp_seq_extend(base, 32768), base - 32768);
	/* Below zero there is no earlier cycle. */
	assert_int_equal(rtp_seq_extend(5, 65535), 65535);
	assert_int_equal(rtp_seq_extend(65540, 65535), 65535);
}

/* A new source is trusted after two packets in sequence; it then counts
 * through the 16-bit wrap. */
static void test_rtp__source__probation_and_wrap(void **state)
{
	struct rtp_source s;
	struct rtp_loss l;
	uint16_t seq = 65000;

	rtp_source_init(&s, 42, seq, RTP_CLOCK_OPUS);
	assert_int_equal(rtp_source_update(&s, seq++), RTP_SEQ_PROBATION);
	assert_int_equal(rtp_source_update(&s, seq++), RTP_SEQ_OK);
	for (int i = 0; i < 70000; i++)
		assert_int_equal(rtp_source_update(&s, seq++), RTP_SEQ_OK);
	rtp_source_peek(&s, &l);
	assert_int_equal(l.expected, 70001);
	assert_int_equal(l.lost, 0);
	assert_int_equal(l.fraction, 0);
	assert_int_equal(l.ext_max_seq, (2u << 16) + (uint16_t)(seq - 1));
}

/* The RFC's probation compared max_seq + 1 in int: at 65535 it never
 * matched 0. */
static void test_rtp__source__probation_across_wrap(void **state)
{
	struct rtp_source s;

	rtp_source_init(&s, 1, 65535, RTP_CLOCK_OPUS);
	assert_int_equal(rtp_source_update(&s, 65535), RTP_SEQ_PROBATION);
	assert_int_equal(rtp_source_update(&s, 0), RTP_SEQ_OK);
}

static void test_rtp__source__loss_fraction_per_report(void **state)
{
	struct rtp_source s;
	struct rtp_loss l;
	uint16_t seq = 100;

	rtp_source_init(&s, 1, seq, RTP_CLOCK_OPUS);
	rtp_source_update(&s, seq++);
	rtp_source_update(&s, seq++);
	/* 1000 more, every 10th lost (not the last: that one would not
	 * count as lost until something after it came) */
	for (int i = 0; i < 1000; i++, seq++)
		if (i % 10 != 0)
			rtp_source_update(&s, seq);
	rtp_source_report(&s, &l);
	assert_int_equal(l.expected, 1001);
	assert_int_equal(l.lost, 100);
	assert_int_equal(l.fraction, 100 * 256 / 1001);
	/* Next interval: nothing lost. */
	for (int i = 0; i < 100; i++)
		rtp_source_update(&s, seq++);
	rtp_source_report(&s, &l);
	assert_int_equal(l.fraction, 0);
	assert_int_equal(l.lost, 100);
	/* Then half lost. */
	for (int i = 0; i < 100; i++, seq++)
		if (i % 2)
			rtp_source_update(&s, seq);
	rtp_source_report(&s, &l);
	assert_int_equal(l.fraction, 128);
	assert_int_equal(l.lost, 150);
	/* Duplicates make received exceed expected: negative, fraction 0. */
	for (int i = 0; i < 400; i++)
		rtp_source_update(&s, (uint16_t)(seq - 3));
	rtp_source_report(&s, &l);
	assert_int_equal(l.lost, -250);
	assert_int_equal(l.fraction, 0);
	assert_int_equal(s.behind, 400);
}

static void test_rtp__source__restart_after_two_in_a_row(void **state)
{
	struct rtp_source s;
	uint16_t seq = 10;

	rtp_source_init(&s, 1, seq, RTP_CLOCK_OPUS);
	rtp_source_update(&s, seq++);
	rtp_source_update(&s, seq++);
	for (int i = 0; i < 50; i++)
		rtp_source_update(&s, seq++);
	/* a stray far ahead is ignored ... */
	assert_int_equal(rtp_source_update(&s, 40000), RTP_SEQ_BAD);
	assert_int_equal(rtp_source_update(&s, seq++), RTP_SEQ_OK);
	/* ... but two in a row are a restart */
	assert_int_equal(rtp_source_update(&s, 30000), RTP_SEQ_BAD);
	assert_int_equal(rtp_source_update(&s, 30001), RTP_SEQ_RESTART);
	assert_int_equal(rtp_source_update(&s, 30002), RTP_SEQ_OK);
	assert_int_equal(s.base_seq, 30001);
	assert_int_equal(s.received, 2);
}

/* Deterministic uniform numbers for the jitter tests. */
static uint32_t rng = 12345;
static double uniform(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) / 16777216.0;
}

static void test_rtp__jitter__steady_stream_has_none(void **state)
{
	struct rtp_source s;
	struct rtp_hdr h = {.pt = 111, .seq = 1, .ts = 5000};
	struct rtp_loss l;

	rtp_source_init(&s, 1, h.seq, RTP_CLOCK_OPUS);
	for (int i = 0; i < 500; i++) {
		/* 20 ms apart, 37 ms in transit, the clock wrapping */
		rtp_source_recv(&s, &h, 1000000000ull + i * 20000ull + 37000);
		h.seq++;
		h.ts += 960;
	}
	rtp_source_peek(&s, &l);
	assert_int_equal(l.jitter, 0);
}

/* Transit uniform in 0..30 ms: E|D| for the difference of two such
 * delays is 30/3 = 10 ms, which the estimator must approach. */
static void test_rtp__jitter__uniform_delay(void **state)
{
	struct rtp_source s;
	struct rtp_hdr h = {.pt = 111, .seq = 1, .ts = 0xffff0000u};
	struct rtp_loss l;
	double sum = 0;
	int n = 0;

	rtp_source_init(&s, 1, h.seq, RTP_CLOCK_OPUS);
	for (int i = 0; i < 5000; i++) {
		uint64_t at = 7000000ull + i * 20000ull +
			      (uint64_t)(uniform() * 30000);

		rtp_source_recv(&s, &h, at);
		h.seq++;
		h.ts += 960;
		if (i > 500) {
			rtp_source_peek(&s, &l);
			sum += l.jitter_ms;
			n++;
		}
	}
	print_message("rtp: jitter %.2f ms (expect 10)\n", sum / n);
	assert_true(fabs(sum / n - 10) < 1.5);
	assert_int_equal(l.jitter, s.jitter >> 4);
}

/* A step of 40 ms in transit every other packet: |D| = 40 ms each time,
 * so J converges on 40 ms (1920 clock units). */
static void test_rtp__jitter__alternating_delay(void **state)
{
	struct rtp_source s;
	struct rtp_loss l;

	rtp_source_init(&s, 1, 0, RTP_CLOCK_OPUS);
	for (int i = 0; i < 400; i++)
		rtp_source_jitter(&s, (uint32_t)(i * 960),
				  (uint64_t)i * 20000 + (i % 2) * 40000);
	rtp_source_peek(&s, &l);
	assert_in_range(l.jitter, 1900, 1920);
	assert_true(fabs(l.jitter_ms - 40) < 0.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtp__build__parses_back),
		cmocka_unit_test(test_rtp__build__refuses),
		cmocka_unit_test(test_rtp__parse__skips_csrc_extension_padding),
		cmocka_unit_test(test_rtp__parse__refuses_malformed),
		cmocka_unit_test(test_rtp__seq_extend__wraps_both_ways),
		cmocka_unit_test(test_rtp__source__probation_and_wrap),
		cmocka_unit_test(test_rtp__source__probation_across_wrap),
		cmocka_unit_test(test_rtp__source__loss_fraction_per_report),
		cmocka_unit_test(test_rtp__source__restart_after_two_in_a_row),
		cmocka_unit_test(test_rtp__jitter__steady_stream_has_none),
		cmocka_unit_test(test_rtp__jitter__uniform_delay),
		cmocka_unit_test(test_rtp__jitter__alternating_delay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
