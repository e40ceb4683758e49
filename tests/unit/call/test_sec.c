/* Unit tests for call/sec: both sides derive the same keys and short
 * authentication string from each other's public key, and only those;
 * SRTP round trips, and forged and replayed packets are dropped and
 * counted, never decrypted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "call/sec.h"

struct pair {
	struct sec_keypair a, b;
	struct sec_keys ka, kb;
};

static void make_pair(struct pair *p)
{
	sec_keypair_new(&p->a);
	sec_keypair_new(&p->b);
	assert_int_equal(sec_derive(&p->a, p->b.pk, true, &p->ka), 0);
	assert_int_equal(sec_derive(&p->b, p->a.pk, false, &p->kb), 0);
}

static void test_same_keys(void **state)
{
	struct pair p;

	(void)state;
	make_pair(&p);
	assert_memory_equal(p.ka.tx, p.kb.rx, SEC_MASTER_LEN);
	assert_memory_equal(p.ka.rx, p.kb.tx, SEC_MASTER_LEN);
	assert_memory_not_equal(p.ka.tx, p.ka.rx, SEC_MASTER_LEN);
	assert_string_equal(p.ka.sas, p.kb.sas);
	assert_int_equal(strlen(p.ka.sas), SEC_SAS_LEN);
}

static void test_middle_changes_sas(void **state)
{
	struct pair p;
	struct sec_keypair m;
	struct sec_keys am, mb;

	(void)state;
	make_pair(&p);
	sec_keypair_new(&m);
	/* someone in the middle swaps keys: each side talks to m */
	assert_int_equal(sec_derive(&p.a, m.pk, true, &am), 0);
	assert_int_equal(sec_derive(&p.b, m.pk, false, &mb), 0);
	assert_memory_not_equal(am.tx, mb.rx, SEC_MASTER_LEN);
	/* 20 bits: equal by chance in one run of a million */
	assert_string_not_equal(am.sas, p.ka.sas);
}

static void test_bad_peer_key(void **state)
{
	struct sec_keypair a;
	struct sec_keys k;
	uint8_t zero[SEC_PK_LEN] = { 0 };

	(void)state;
	sec_keypair_new(&a);
	assert_int_equal(sec_derive(&a, zero, true, &k), -1);
}

static void test_b64(void **state)
{
	struct sec_keypair a;
	uint8_t back[SEC_PK_LEN];
	char b64[64];

	(void)state;
	sec_keypair_new(&a);
	sec_pk_to_b64(a.pk, b64);
	assert_int_equal(sec_pk_from_b64(b64, back), 0);
	assert_memory_equal(a.pk, back, SEC_PK_LEN);
	assert_int_equal(sec_pk_from_b64("not base64!", back), -1);
	assert_int_equal(sec_pk_from_b64("AAAA", back), -1);
	assert_int_equal(sec_pk_from_b64(NULL, back), -1);
}

/* A minimal RTP packet: seq, ts, ssrc, then payload bytes. */
static size_t rtp(uint8_t *buf, uint16_t seq, const char *payload)
{
	size_t n = strlen(payload);

	memset(buf, 0, 12);
	buf[0] = 0x80;
	buf[1] = 111;
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	buf[8] = 0x12, buf[9] = 0x34, buf[10] = 0x56, buf[11] = 0x78;
	memcpy(buf + 12, payload, n);
	return 12 + n;
}

static void test_srtp(void **state)
{
	struct pair p;
	uint8_t buf[256 + SEC_TRAILER_MAX], copy[sizeof buf];
	struct sec_stats st;
	size_t n, cn;

	(void)state;
	make_pair(&p);
	struct sec_srtp *a = sec_srtp_new(&p.ka), *b = sec_srtp_new(&p.kb);
	assert_non_null(a);
	assert_non_null(b);

	n = rtp(buf, 1, "hello over srtp");
	assert_int_equal(sec_protect(a, buf, &n), 0);
	assert_true(n > 12 + 15);
	assert_memory_not_equal(buf + 12, "hello over srtp", 15);
	memcpy(copy, buf, n);
	cn = n;
	assert_int_equal(sec_unprotect(b, buf, &n), 0);
	assert_int_equal(n, 12 + 15);
	assert_memory_equal(buf + 12, "hello over srtp", 15);

	/* the same packet again: a replay */
	assert_int_equal(sec_unprotect(b, copy, &cn), -1);

	/* a forged one: one bit flipped in the payload */
	n = rtp(buf, 2, "second packet");
	assert_int_equal(sec_protect(a, buf, &n), 0);
	buf[14] ^= 1;
	assert_int_equal(sec_unprotect(b, buf, &n), -1);

	/* one made with another key */
	struct pair q;
	make_pair(&q);
	struct sec_srtp *m = sec_srtp_new(&q.ka);
	n = rtp(buf, 3, "from elsewhere");
	assert_int_equal(sec_protect(m, buf, &n), 0);
	assert_int_equal(sec_unprotect(b, buf, &n), -1);

	/* too short to be anything */
	n = 5;
	assert_int_equal(sec_unprotect(b, buf, &n), -1);

	/* and the stream goes on */
	n = rtp(buf, 4, "still fine");
	assert_int_equal(sec_protect(a, buf, &n), 0);
	assert_int_equal(sec_unprotect(b, buf, &n), 0);

	sec_srtp_stats(b, &st);
	assert_int_equal(st.unprotected_rtp, 2);
	assert_int_equal(st.replayed, 1);
	assert_int_equal(st.forged, 2);
	assert_int_equal(st.bad, 1);

	/* the other direction, and RTCP */
	uint8_t sr[64 + SEC_TRAILER_MAX] = { 0x80, 201, 0, 1, 0x9, 0x9, 0x9,
					      0x9 };
	n = 8;
	assert_int_equal(sec_protect_rtcp(b, sr, &n), 0);
	assert_int_equal(sec_unprotect_rtcp(a, sr, &n), 0);
	assert_int_equal(n, 8);
	sec_srtp_free(a);
	sec_srtp_free(b);
	sec_srtp_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_keys),
		cmocka_unit_test(test_middle_changes_sas),
		cmocka_unit_test(test_bad_peer_key),
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_srtp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
