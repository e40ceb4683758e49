/* fuzz_vcard: vcard_parse on arbitrary bytes; every contact it yields is
 * written back as 3.0 and 4.0 and the output parsed again.  Crashes,
 * sanitizer reports and leaks are the failures looked for.
 *
 *   make build/fuzz/fuzz_vcard
 *   build/fuzz/fuzz_vcard -max_total_time=120 tests/fuzz/corpus/vcard
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/str.h"
#include "store/formats/vcard.h"

static int fuzz_vcard_free(void *arg, struct contact *c, unsigned line,
			   const char *why)
{
	contact_free(c);
	return 0;
}

static int fuzz_vcard_write(void *arg, struct contact *c, unsigned line,
			    const char *why)
{
	struct sbuf *out = arg;

	if (!c) {
		if (!why)	/* a skipped card always says why */
			abort();
		return 0;
	}
	vcard_write(out, c, VCARD_30);
	vcard_write(out, c, VCARD_40);
	contact_free(c);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf out;
	char *err = NULL;

	sbuf_init(&out);
	int n = vcard_parse((const char *)data, size, fuzz_vcard_write, &out,
			    &err);
	if ((n < 0) != (err != NULL))
		abort();
	free(err);
	err = NULL;
	if (out.len && vcard_parse(out.s, out.len, fuzz_vcard_free, NULL,
				   &err) < 1)
		abort();	/* what we wrote must read back as cards */
	free(err);
	sbuf_free(&out);
	return 0;
}
