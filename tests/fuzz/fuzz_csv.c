/* fuzz_csv: libFuzzer target for store/formats/csv.
 *
 * Parses the input, writes every contact back as confab CSV, parses that,
 * and writes it again.  Beyond the sanitizers it checks that the confab
 * layout is an exact round trip: the second export must equal the first
 * byte for byte, with no row skipped, and line numbers never go backwards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"
#include "store/formats/csv.h"

struct fuzz_csv {
	struct sbuf out;
	size_t rows, kept;
	unsigned line;
};

static int fuzz_csv_row(void *arg, struct contact *c, unsigned line,
			const char *why)
{
	struct fuzz_csv *f = arg;

	if (line == 0 || line < f->line || (!c && !why) || (c && why))
		__builtin_trap();
	f->line = line;
	f->rows++;
	if (c) {
		if (str_empty(c->uid) || str_empty(c->fn))
			__builtin_trap();
		csv_write(&f->out, c);
		f->kept++;
		contact_free(c);
	}
	return 0;
}

static int fuzz_csv_parse(const char *data, size_t len, struct fuzz_csv *f,
			  enum csv_layout *layout)
{
	char *err = NULL;
	int n;

	memset(f, 0, sizeof *f);
	sbuf_init(&f->out);
	csv_write_header(&f->out);
	n = csv_parse(data, len, fuzz_csv_row, f, layout, &err);
	if ((n < 0) != (err != NULL) || (n >= 0 && (size_t)n != f->rows))
		__builtin_trap();
	free(err);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_csv a, b;
	enum csv_layout layout;

	if (fuzz_csv_parse((const char *)data, size, &a, &layout) >= 0) {
		int n = fuzz_csv_parse(a.out.s, a.out.len, &b, &layout);
		if (n < 0 || (size_t)n != a.kept || b.kept != a.kept ||
		    layout != CSV_CONFAB || b.out.len != a.out.len ||
		    memcmp(a.out.s, b.out.s, a.out.len) != 0)
			__builtin_trap();
		sbuf_free(&b.out);
	}
	sbuf_free(&a.out);
	return 0;
}
