/* fuzz_offer: the offer or answer a peer sends through confabd, and the
 * media packets that follow the keys it carries.
 *
 * The input is JSON text; when it parses, offer_from_json() either
 * refuses it with a reason or fills an offer whose every field is within
 * what offer.h promises (ICE credentials of ice-chars, ptime 10 or 20, a
 * terminated name), and which writes back (offer_to_json) and reads
 * again to the same offer.  A usable key then goes through sec_derive()
 * as the engine would, and the derived SRTP context must refuse the
 * input's bytes as a packet (they carry no valid tag) without crashing.
 *
 *   make build/fuzz/fuzz_offer
 *   build/fuzz/fuzz_offer -max_total_time=120 tests/fuzz/corpus/offer
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call/offer.h"
#include "call/sec.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_offer: broken promise: %s\n", what);
		abort();
	}
}

static int ice_chars_ok(const char *s, size_t min, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n < min || n > max)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '+' || *s == '/'))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL), *back;
	struct offer o, o2;
	const char *why = NULL;

	if (!j)
		return 0;
	if (offer_from_json(j, &o, &why) < 0) {
		check(why && *why, "a refusal says why");
		json_decref(j);
		return 0;
	}
	check(o.ptime == 10 || o.ptime == 20, "ptime is 10 or 20");
	check(ice_chars_ok(o.ufrag, 4, 256), "ufrag is ice-chars, 4..256");
	check(ice_chars_ok(o.pwd, 22, 256), "pwd is ice-chars, 22..256");
	check(memchr(o.name, 0, sizeof o.name) != NULL, "name terminated");
	back = offer_to_json(&o);
	check(back != NULL, "an offer writes back");
	check(offer_from_json(back, &o2, &why) == 0, "and reads again");
	check(memcmp(o.key, o2.key, sizeof o.key) == 0 &&
	      strcmp(o.ufrag, o2.ufrag) == 0 && strcmp(o.pwd, o2.pwd) == 0 &&
	      o.ptime == o2.ptime && o.fec == o2.fec && o.dtx == o2.dtx &&
	      o.ssrc == o2.ssrc && strcmp(o.name, o2.name) == 0,
	      "the same offer");
	json_decref(back);

	struct sec_keypair mine;
	struct sec_keys k;
	sec_keypair_new(&mine);
	if (sec_derive(&mine, o.key, true, &k) == 0) {
		struct sec_srtp *s = sec_srtp_new(&k);
		uint8_t buf[2048];
		size_t n = size < sizeof buf ? size : sizeof buf;

		check(s != NULL, "SRTP starts with derived keys");
		memcpy(buf, data, n);
		check(sec_unprotect(s, buf, &n) < 0, "random bytes are refused");
		sec_srtp_free(s);
	}
	json_decref(j);
	return 0;
}
