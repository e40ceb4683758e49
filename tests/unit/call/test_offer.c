/* Unit tests for call/offer: an offer survives the trip through JSON,
 * and offers with anything wrong are refused with a reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "call/offer.h"

static void sample(struct offer *o)
{
	struct sec_keypair k;

	memset(o, 0, sizeof *o);
	sec_keypair_new(&k);
	memcpy(o->key, k.pk, SEC_PK_LEN);
	strcpy(o->ufrag, "Ab1+");
	strcpy(o->pwd, "abcdefghijklmnopqrstuv/+");
	o->ptime = 10;
	o->fec = true;
	o->ssrc = 0xdeadbeef;
	strcpy(o->name, "Alice Archer");
}

static void test_round_trip(void **state)
{
	struct offer a, b;
	const char *why = NULL;

	(void)state;
	sample(&a);
	json_t *j = offer_to_json(&a);
	assert_non_null(j);
	assert_int_equal(offer_from_json(j, &b, &why), 0);
	assert_memory_equal(a.key, b.key, SEC_PK_LEN);
	assert_string_equal(b.ufrag, "Ab1+");
	assert_string_equal(b.pwd, a.pwd);
	assert_int_equal(b.ptime, 10);
	assert_true(b.fec);
	assert_false(b.dtx);
	assert_false(b.video);
	assert_int_equal(b.ssrc, 0xdeadbeef);
	assert_string_equal(b.name, "Alice Archer");
	json_decref(j);
}

/* Change one field of a good offer; it must be refused. */
static void refused(const char *path, json_t *value)
{
	struct offer a, b;
	const char *why = NULL;

	sample(&a);
	json_t *j = offer_to_json(&a), *at = j;
	char key[32];
	const char *dot = strchr(path, '.');
	if (dot) {
		snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
		at = json_object_get(j, key);
		path = dot + 1;
	}
	if (value)
		json_object_set_new(at, path, value);
	else
		json_object_del(at, path);
	assert_int_equal(offer_from_json(j, &b, &why), -1);
	assert_non_null(why);
	json_decref(j);
}

static void test_refused(void **state)
{
	(void)state;
	refused("v", json_integer(2));
	refused("key", json_string("AAAA"));
	refused("key", NULL);
	refused("key", json_integer(5));
	refused("ice.ufrag", json_string("a b"));
	refused("ice.pwd", json_string("short"));
	refused("audio.codec", json_string("pcmu"));
	refused("audio.rate", json_integer(8000));
	refused("audio.ptime", json_integer(30));
	refused("audio.ssrc", json_integer(-1));
	refused("audio.ssrc", json_integer(0x100000000LL));
	refused("audio", NULL);
	refused("video", json_string("yes"));
	struct offer b;
	const char *why;
	assert_int_equal(offer_from_json(json_null(), &b, &why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
