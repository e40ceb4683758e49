/* Unit tests for store/formats/csv: writing confab CSV and round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"
#include "store/contact.h"
#include "store/formats/csv.h"
#include "tests/unit/store/csv_helpers.h"


/* ---- writing and the round trip ----------------------------------------- */

static void test_csv__write__header(void **state)
{
	struct sbuf out;

	sbuf_init(&out);
	csv_write_header(&out);
	assert_string_equal(out.s,
		"Name,Given Name,Family Name,Additional Names,Prefix,Suffix,"
		"Nickname,Organization,Department,Title,Birthday,Emails,Phones,"
		"Addresses,URLs,Notes,Tags,UID\r\n");
	sbuf_free(&out);
}

static void test_csv__write__quoting(void **state)
{
	struct contact *c = contact_new();
	struct sbuf out;

	c->fn = xstrdup("Smith, \"Jo\"");
	c->given = xstrdup("Jo");
	c->notes = xstrdup("a\r\nb");
	c->uid = xstrdup("u1");
	contact_add_field(c, CF_EMAIL, "work", "jo@example.com")->pref = true;
	contact_add_field(c, CF_EMAIL, NULL, "jo2@example.com");
	contact_add_field(c, CF_URL, NULL, "http://x.example");
	contact_add_tag(c, "Friends");
	contact_add_tag(c, "Golf, Sunday");
	sbuf_init(&out);
	csv_write(&out, c);
	assert_string_equal(out.s,
		"\"Smith, \"\"Jo\"\"\",Jo,,,,,,,,,,"
		"\"*work: jo@example.com\njo2@example.com\",,,"
		": http://x.example,\"a\r\nb\","
		"\"Friends\nGolf, Sunday\",u1\r\n");
	sbuf_free(&out);
	contact_free(c);
}

static struct contact *tricky_contact(void)
{
	struct contact *c = contact_new();

	c->fn = xstrdup("Dr. 王 \"Bo\" Ng, Jr.");
	c->given = xstrdup("Bo");
	c->family = xstrdup("Ng");
	c->additional = xstrdup("Q.");
	c->prefix = xstrdup("Dr.");
	c->suffix = xstrdup("Jr.");
	c->nickname = xstrdup(" Bobo ");
	c->org = xstrdup("Ng; Sons, Ltd");
	c->department = xstrdup("R&D");
	c->title = xstrdup("Chief \\ Engineer");
	c->bday = xstrdup("--02-29");
	c->notes = xstrdup("line 1\r\nline 2\n\n  indented ::: not split\n");
	c->uid = xstrdup("urn:uuid:1234");
	contact_add_tag(c, "Friends");
	contact_add_tag(c, "a\\b\nc");
	contact_add_tag(c, "*star");
	contact_add_field(c, CF_EMAIL, "work", "bo@ng.example")->pref = true;
	contact_add_field(c, CF_EMAIL, "we:ird*label\\", "*odd@ng.example");
	contact_add_field(c, CF_EMAIL, NULL, "plain@ng.example");
	contact_add_field(c, CF_EMAIL, NULL, "*star@ng.example");
	contact_add_field(c, CF_PHONE, "mobile", "+44 7700 900123");
	contact_add_field(c, CF_PHONE, NULL, "tel:+1-555: x")->pref = true;
	contact_add_field(c, CF_PHONE, "*", " leading space");
	char *a = addr("PO 1", "Flat 2; rear", "3 High St\\", "Town",
		       "", "AB1 2CD", "UK: England");
	contact_add_field(c, CF_ADDR, "home", a)->pref = true;
	free(a);
	a = addr("", "", "", "", "", "", "");
	contact_add_field(c, CF_ADDR, NULL, a);
	free(a);
	contact_add_field(c, CF_URL, "blog", "https://ng.example/a,b;c");
	return c;
}

static void assert_same_contact(const struct contact *a,
				const struct contact *b)
{
	const char *const sa[] = { a->fn, a->given, a->family, a->additional,
				   a->prefix, a->suffix, a->nickname, a->org,
				   a->department, a->title, a->bday, a->notes,
				   a->uid };
	const char *const sb[] = { b->fn, b->given, b->family, b->additional,
				   b->prefix, b->suffix, b->nickname, b->org,
				   b->department, b->title, b->bday, b->notes,
				   b->uid };

	for (size_t i = 0; i < sizeof sa / sizeof *sa; i++)
		assert_true(str_eq(sa[i], sb[i]));
	assert_int_equal(a->ntags, b->ntags);
	for (size_t i = 0; i < a->ntags; i++)
		assert_string_equal(a->tags[i], b->tags[i]);
	assert_int_equal(a->nfields, b->nfields);
	/* the layout groups fields by kind: compare kind by kind */
	for (enum cfield_kind k = CF_PHONE; k <= CF_URL; k++) {
		assert_int_equal(count(a, k), count(b, k));
		for (size_t i = 0; i < count(a, k); i++) {
			const struct cfield *fa = nth(a, k, i);
			const struct cfield *fb = nth(b, k, i);
			assert_true(str_eq(fa->label, fb->label));
			assert_string_equal(fa->value, fb->value);
			assert_int_equal(fa->pref, fb->pref);
		}
	}
}

static void test_csv__write__round_trip(void **state)
{
	struct contact *c = tricky_contact();
	struct got g = { 0 };
	enum csv_layout l;
	struct sbuf out;

	sbuf_init(&out);
	csv_write_header(&out);
	csv_write(&out, c);
	csv_write(&out, c);
	assert_int_equal(parse(out.s, out.len, &g, &l), 2);
	assert_int_equal(l, CSV_CONFAB);
	/* row 1 holds 12 line breaks: 3 + 2 + 1 between items, 4 in the
	 * notes, 2 between tags */
	assert_int_equal(g.line[1], 15);
	assert_same_contact(c, g.c[0]);
	assert_same_contact(c, g.c[1]);
	got_free(&g);
	sbuf_free(&out);
	contact_free(c);
}

/* Import each sample, export, import the export: same contacts; exporting
 * again gives the same bytes. */
static void test_csv__write__round_trip_files(void **state)
{
	static const char *const files[] = { "tests/data/google.csv",
					     "tests/data/google-old.csv",
					     "tests/data/outlook.csv" };

	for (size_t f = 0; f < 3; f++) {
		struct got a = { 0 }, b = { 0 };
		struct sbuf w1, w2;
		size_t kept = 0;
		sbuf_init(&w1);
		sbuf_init(&w2);
		parse_file(files[f], &a, NULL);
		csv_write_header(&w1);
		for (size_t i = 0; i < a.n; i++)
			if (a.c[i])
				csv_write(&w1, a.c[i]), kept++;
		assert_int_equal(parse(w1.s, w1.len, &b, NULL), (int)kept);
		csv_write_header(&w2);
		for (size_t i = 0, j = 0; i < a.n; i++) {
			if (!a.c[i])
				continue;
			assert_same_contact(a.c[i], b.c[j]);
			csv_write(&w2, b.c[j++]);
		}
		assert_string_equal(w1.s, w2.s);
		got_free(&a);
		got_free(&b);
		sbuf_free(&w1);
		sbuf_free(&w2);
	}
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv__write__header),
		cmocka_unit_test(test_csv__write__quoting),
		cmocka_unit_test(test_csv__write__round_trip),
		cmocka_unit_test(test_csv__write__round_trip_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
