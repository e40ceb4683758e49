/* Unit tests for what confabd's TURN credentials rest on (the code is in
 * common/sha1, part of libcore; src/server/turn.c only formats): SHA-1
 * against RFC 3174's test cases, HMAC-SHA1 against RFC 2202's, and one
 * coturn REST credential, password = base64(HMAC-SHA1(secret, username)),
 * against a value from Python's hmac module.  The real turnserver
 * accepting confabd's credentials is tests/it/test_call_signal.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sha1.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void assert_sha1(const void *data, size_t n, const char *want)
{
	uint8_t d[SHA1_LEN];
	char h[2 * SHA1_LEN + 1];

	sha1(data, n, d);
	hex(d, sizeof d, h);
	assert_string_equal(h, want);
}

static void assert_hmac(const void *key, size_t klen, const void *msg,
			size_t n, const char *want)
{
	uint8_t d[SHA1_LEN];
	char h[2 * SHA1_LEN + 1];

	sha1_hmac(key, klen, msg, n, d);
	hex(d, sizeof d, h);
	assert_string_equal(h, want);
}

static void test_sha1__digest__rfc3174_cases(void **state)
{
	const char *t2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop"
			 "nopq";
	const char *t4 = "01234567012345670123456701234567"
			 "01234567012345670123456701234567";
	char *a = malloc(1000000), *rep = malloc(640);

	assert_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	assert_sha1(t2, strlen(t2), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(a, 'a', 1000000);
	assert_sha1(a, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	for (int i = 0; i < 10; i++)
		memcpy(rep + 64 * i, t4, 64);
	assert_sha1(rep, 640, "dea356a2cddd90c7a7ecedc5ebb563934f460452");
	assert_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	free(a);
	free(rep);
}

/* Fed in pieces of every size the result is the same. */
static void test_sha1__update__in_pieces(void **state)
{
	uint8_t msg[300], one[SHA1_LEN], many[SHA1_LEN];

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	sha1(msg, sizeof msg, one);
	for (size_t step = 1; step <= 130; step++) {
		struct sha1_ctx c;
		sha1_init(&c);
		for (size_t off = 0; off < sizeof msg; off += step)
			sha1_update(&c, msg + off, off + step > sizeof msg ?
				    sizeof msg - off : step);
		sha1_final(&c, many);
		assert_memory_equal(one, many, SHA1_LEN);
	}
	/* the lengths around the padding's boundary (55, 56, 63, 64) */
	assert_sha1(msg, 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	memset(msg, 'a', 64);
	assert_sha1(msg, 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	assert_sha1(msg, 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
	assert_sha1(msg, 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5");
	assert_sha1(msg, 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

static void test_sha1__hmac__rfc2202_cases(void **state)
{
	uint8_t k[80];

	memset(k, 0x0b, 20);
	assert_hmac(k, 20, "Hi There", 8,
		    "b617318655057264e28bc0b6fb378c8ef146be00");
	assert_hmac("Jefe", 4, "what do ya want for nothing?", 28,
		    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	uint8_t dd[50];
	memset(k, 0xaa, 20);
	memset(dd, 0xdd, sizeof dd);
	assert_hmac(k, 20, dd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
	for (int i = 0; i < 25; i++)
		k[i] = (uint8_t)(i + 1);
	memset(dd, 0xcd, sizeof dd);
	assert_hmac(k, 25, dd, 50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
	memset(k, 0x0c, 20);
	assert_hmac(k, 20, "Test With Truncation", 20,
		    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
	/* keys longer than a block are hashed first */
	memset(k, 0xaa, 80);
	const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key "
			 "First";
	const char *m7 = "Test Using Larger Than Block-Size Key and Larger "
			 "Than One Block-Size Data";
	assert_hmac(k, 80, m6, strlen(m6),
		    "aa4ae5e15272d00e95705637ce8a3b55ed402112");
	assert_hmac(k, 80, m7, strlen(m7),
		    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

/* coturn's --use-auth-secret: username "EXPIRY:USER", password
 * base64(HMAC-SHA1(static-auth-secret, username)), padded base64 as in
 * coturn's own turnutils and the TURN REST API draft. */
static void test_turn__credential__coturn_scheme(void **state)
{
	const char *user = "1600000000:alice", *secret = "north";
	uint8_t d[SHA1_LEN];
	char b64[sodium_base64_ENCODED_LEN(SHA1_LEN,
					   sodium_base64_VARIANT_ORIGINAL)];

	sha1_hmac(secret, strlen(secret), user, strlen(user), d);
	sodium_bin2base64(b64, sizeof b64, d, sizeof d,
			  sodium_base64_VARIANT_ORIGINAL);
	assert_string_equal(b64, "gq98pTOhhHaAu0we9aV79kOVVv0=");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1__digest__rfc3174_cases),
		cmocka_unit_test(test_sha1__update__in_pieces),
		cmocka_unit_test(test_sha1__hmac__rfc2202_cases),
		cmocka_unit_test(test_turn__credential__coturn_scheme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
