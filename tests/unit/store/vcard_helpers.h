/* Helpers shared by the vCard unit tests (test_vcard.c: reading;
 * test_vcard_write.c: writing and round trips).  Included, not linked. */
#ifndef CONFAB_TESTS_UNIT_STORE_VCARD_HELPERS_H
#define CONFAB_TESTS_UNIT_STORE_VCARD_HELPERS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"
#include "store/contact.h"
#include "store/formats/vcard.h"

/* ---- helpers ------------------------------------------------------------- */

#define MAXCARDS 2048

struct got {
	struct contact *c[MAXCARDS];	/* NULL for a skipped card */
	unsigned line[MAXCARDS];
	char *why[MAXCARDS];
	size_t n, stop_after;
};

static inline int collect(void *arg, struct contact *c, unsigned line,
		   const char *why)
{
	struct got *g = arg;

	assert_true(g->n < MAXCARDS);
	assert_true((c == NULL) == (why != NULL));
	g->c[g->n] = c;
	g->line[g->n] = line;
	g->why[g->n] = xstrdup(why);
	g->n++;
	return g->stop_after && g->n >= g->stop_after;
}

static inline int parse(const char *data, size_t len, struct got *g)
{
	char *err = NULL;

	memset(g, 0, sizeof *g);
	int n = vcard_parse(data, len, collect, g, &err);
	assert_true((n < 0) == (err != NULL));
	free(err);
	return n;
}

static inline int parse_str(const char *s, struct got *g)
{
	return parse(s, strlen(s), g);
}

static inline void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		contact_free(g->c[i]);
		free(g->why[i]);
	}
	g->n = 0;
}

/* The single contact of a one-card text (the caller frees it). */
static inline struct contact *one(const char *s)
{
	struct got g;

	assert_int_equal(parse_str(s, &g), 1);
	assert_int_equal(g.n, 1);
	assert_non_null(g.c[0]);
	struct contact *c = g.c[0];
	free(g.why[0]);
	return c;
}

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sbuf b;
	char buf[4096];
	size_t k;

	if (!f)
		fail_msg("cannot open %s (run from the top directory)", path);
	sbuf_init(&b);
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&b, buf, k);
	fclose(f);
	*len = b.len;
	return sbuf_take(&b);
}

static inline int parse_file(const char *path, struct got *g)
{
	size_t len;
	char *data = slurp(path, &len);
	int n = parse(data, len, g);

	free(data);
	return n;
}

static inline const struct cfield *field(const struct contact *c,
				  enum cfield_kind kind, const char *value)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].kind == kind &&
		    strcmp(c->fields[i].value, value) == 0)
			return &c->fields[i];
	fail_msg("no field %d '%s'", kind, value);
	return NULL;
}

static inline bool has_line(const char *extra, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = extra; p && (p = strstr(p, line)); p++)
		if ((p == extra || p[-1] == '\n') &&
		    strncmp(p + n, "\r\n", 2) == 0)
			return true;
	return false;
}

/* extra as a set of lines */
static inline void assert_same_extra(const char *a, const char *b)
{
	size_t na = 0, nb = 0;

	for (const char *p = a; p && *p; na++) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		char *line = xstrndup(p, (size_t)(e - p));
		if (!has_line(b, line))
			fail_msg("extra line lost: %s", line);
		free(line);
		p = e + 2;
	}
	for (const char *p = b; p && (p = strstr(p, "\r\n")); p += 2)
		nb++;
	assert_int_equal(na, nb);
}

static inline void assert_same(const struct contact *a, const struct contact *b)
{
#define S(f) do { if (!str_eq(a->f, b->f)) \
	fail_msg(#f ": '%s' != '%s'", a->f ? a->f : "", b->f ? b->f : ""); \
	} while (0)
	S(uid); S(fn); S(family); S(given); S(additional); S(prefix);
	S(suffix); S(nickname); S(org); S(department); S(title); S(bday);
	S(notes); S(photo_uri);
#undef S
	assert_int_equal(a->ntags, b->ntags);
	for (size_t i = 0; i < a->ntags; i++)
		assert_string_equal(a->tags[i], b->tags[i]);
	assert_int_equal(a->nfields, b->nfields);
	for (size_t i = 0; i < a->nfields; i++) {
		const struct cfield *f = &a->fields[i], *g = &b->fields[i];
		assert_int_equal(f->kind, g->kind);
		assert_true(str_eq(f->label, g->label));
		assert_string_equal(f->value, g->value);
		assert_int_equal(f->pref, g->pref);
	}
	assert_int_equal(a->photo_len, b->photo_len);
	if (a->photo_len) {
		assert_memory_equal(a->photo, b->photo, a->photo_len);
		assert_string_equal(a->photo_type, b->photo_type);
	}
	assert_same_extra(a->extra, b->extra);
}

static inline char *write_card(const struct contact *c, enum vcard_version v)
{
	struct sbuf b;

	sbuf_init(&b);
	vcard_write(&b, c, v);
	return sbuf_take(&b);
}

/* write c as v, read it back: the same contact */
static inline void roundtrip(const struct contact *c, enum vcard_version v)
{
	char *out = write_card(c, v);
	struct contact *back = one(out);

	assert_same(c, back);
	contact_free(back);
	free(out);
}

/* ---- reading: the sample files ------------------------------------------ */

#endif
