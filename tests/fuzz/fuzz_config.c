/* libFuzzer target: the confab.conf parser and key names. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "common/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct config c;

	config_defaults(&c);
	config_parse(&c, "fuzz.conf", text);
	config_clear(&c);
	free(text);
	return 0;
}
