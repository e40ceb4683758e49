/* libFuzzer target: phone number normalisation and formatting.  Checks
 * that whatever comes out is E.164: '+' then 8-15 digits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/phone.h"
#include "common/str.h"

static const char *const regions[] = { "GB", "US", "DE", "IT", "RU", "FR",
				       "AU", "JP", "CN", "IN", "", "ZZ" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *region = regions[data[0] % (sizeof regions / sizeof *regions)];
	char *text = xstrndup((const char *)data + 1, size - 1);
	char *e = phone_e164(text, region);

	if (e) {
		size_t n = strlen(e);
		if (e[0] != '+' || n < 8 || n > 16)
			abort();
		for (size_t i = 1; i < n; i++)
			if (e[i] < '0' || e[i] > '9')
				abort();
		char *f = phone_format(e);
		free(f);
	}
	phone_looks_like(text);
	free(e);
	free(text);
	return 0;
}
