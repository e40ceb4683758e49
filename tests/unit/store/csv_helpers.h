/* Helpers shared by the CSV unit tests (test_csv.c: reading;
 * test_csv_write.c: writing and round trips).  Included, not linked. */
#ifndef CONFAB_TESTS_UNIT_STORE_CSV_HELPERS_H
#define CONFAB_TESTS_UNIT_STORE_CSV_HELPERS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/str.h"
#include "store/contact.h"
#include "store/formats/csv.h"
/* ---- helpers ------------------------------------------------------------ */

#define MAXROWS 64

struct got {
	struct contact *c[MAXROWS];	/* NULL for a skipped row */
	unsigned line[MAXROWS];
	char *why[MAXROWS];
	size_t n;
	size_t stop_after;		/* 0: never stop */
};

static inline int collect(void *arg, struct contact *c, unsigned line,
		   const char *why)
{
	struct got *g = arg;

	if (g->n == MAXROWS) {
		contact_free(c);
		return 1;
	}
	g->c[g->n] = c;
	g->line[g->n] = line;
	g->why[g->n] = xstrdup(why);
	g->n++;
	return g->stop_after && g->n >= g->stop_after;
}

static inline void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		contact_free(g->c[i]);
		free(g->why[i]);
	}
	memset(g, 0, sizeof *g);
}

static inline int parse(const char *s, size_t len, struct got *g,
		 enum csv_layout *layout)
{
	char *err = NULL;
	enum csv_layout l;
	int n = csv_parse(s, len, collect, g, layout ? layout : &l, &err);

	if (n >= 0)
		assert_null(err);
	free(err);
	return n;
}

static inline int parse_str(const char *s, struct got *g, enum csv_layout *layout)
{
	return parse(s, strlen(s), g, layout);
}

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		fail_msg("cannot open %s (run the tests from the top "
			 "directory)", path);
	struct sbuf b;
	char buf[4096];
	size_t n;
	sbuf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&b, buf, n);
	fclose(f);
	*len = b.len;
	return sbuf_take(&b);
}

static inline int parse_file(const char *path, struct got *g, enum csv_layout *l)
{
	size_t len;
	char *s = slurp(path, &len);
	int n = parse(s, len, g, l);

	free(s);
	return n;
}

/* The i-th field of a kind (0-based), or fail. */
static const struct cfield *nth(const struct contact *c,
				enum cfield_kind kind, size_t i)
{
	for (size_t k = 0; k < c->nfields; k++)
		if (c->fields[k].kind == kind && i-- == 0)
			return &c->fields[k];
	fail_msg("no field %zu of kind %d", i, kind);
	return NULL;
}

static inline size_t count(const struct contact *c, enum cfield_kind kind)
{
	size_t n = 0;

	for (size_t k = 0; k < c->nfields; k++)
		n += c->fields[k].kind == kind;
	return n;
}

static inline void assert_field(const struct contact *c, enum cfield_kind kind,
			 size_t i, const char *label, const char *value,
			 bool pref)
{
	const struct cfield *f = nth(c, kind, i);

	assert_true(str_eq(f->label, label));
	assert_string_equal(f->value, value);
	assert_int_equal(f->pref, pref);
}

static inline void assert_tags(const struct contact *c, size_t n, ...)
{
	va_list ap;

	assert_int_equal(c->ntags, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(c->tags[i], va_arg(ap, const char *));
	va_end(ap);
}

static inline char *addr(const char *pobox, const char *ext, const char *street,
		  const char *city, const char *region, const char *code,
		  const char *country)
{
	const char *p[CONTACT_ADDR_PARTS] = { pobox, ext, street, city,
					      region, code, country };
	return contact_addr_join(p);
}

static inline void assert_addr(const struct cfield *f, const char *label,
			const char *pobox, const char *ext, const char *street,
			const char *city, const char *region, const char *code,
			const char *country)
{
	char *want = addr(pobox, ext, street, city, region, code, country);

	assert_int_equal(f->kind, CF_ADDR);
	assert_true(str_eq(f->label, label));
	assert_string_equal(f->value, want);
	free(want);
}

/* UTF-8 -> UTF-16LE with a BOM (BMP only, enough for the tests). */
static inline char *utf16le(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	struct sbuf b;

	sbuf_init(&b);
	sbuf_addn(&b, "\xff\xfe", 2);
	while (*u) {
		unsigned cp = *u++;
		if (cp >= 0xe0) {
			cp = (cp & 0x0f) << 12 | (u[0] & 0x3fu) << 6 |
			     (u[1] & 0x3fu);
			u += 2;
		} else if (cp >= 0xc0) {
			cp = (cp & 0x1f) << 6 | (u[0] & 0x3fu);
			u++;
		}
		char pair[2] = { (char)(cp & 0xff), (char)(cp >> 8) };
		sbuf_addn(&b, pair, 2);
	}
	*len = b.len;
	return sbuf_take(&b);
}

#endif
