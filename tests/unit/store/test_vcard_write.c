/* Unit tests for store/formats/vcard: writing 3.0 and 4.0, and round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/str.h"
#include "store/contact.h"
#include "store/formats/vcard.h"
#include "tests/unit/store/vcard_helpers.h"

static struct contact *sample(void)
{
	struct contact *c = contact_new();
	struct cfield *f;

	c->uid = xstrdup("3b241101-e2bb-4255-8caf-4136c566a962");
	c->fn = xstrdup("Ada Lovelace");
	c->family = xstrdup("Lovelace");
	c->given = xstrdup("Ada");
	c->org = xstrdup("Analytical Engines");
	c->department = xstrdup("Notes");
	c->bday = xstrdup("--12-10");
	c->notes = xstrdup("Notes, with; all\\sorts\nof things");
	contact_add_tag(c, "math");
	contact_add_tag(c, "a,b");
	contact_add_field(c, CF_PHONE, "mobile", "+44 20 7946 0000")->pref =
		true;
	contact_add_field(c, CF_PHONE, "Assistant", "+44 20 7946 0001");
	f = contact_add_field(c, CF_EMAIL, "work", "ada@example.org");
	f->params = xstrdup("TYPE=INTERNET,WORK");
	contact_add_field(c, CF_URL, "homepage", "https://ada.example");
	contact_add_field(c, CF_ADDR, "home",
			  "\n\n12 St James's Sq\nLondon\n\nSW1Y 4JH\nUK");
	c->extra = xstrdup("X-SKYPE:ada.l\r\nitem1.X-ABRELATEDNAMES:Byron\r\n"
			   "item1.X-ABLabel:_$!<Father>!$_\r\n");
	c->updated = 1700000000;
	return c;
}

static void test_vcard__write__30(void **state)
{
	struct contact *c = sample();
	char *out = write_card(c, VCARD_30);

	assert_string_equal(out,
		"BEGIN:VCARD\r\n"
		"VERSION:3.0\r\n"
		"PRODID:-//confab//confab//EN\r\n"
		"UID:3b241101-e2bb-4255-8caf-4136c566a962\r\n"
		"FN:Ada Lovelace\r\n"
		"N:Lovelace;Ada;;;\r\n"
		"ORG:Analytical Engines;Notes\r\n"
		"BDAY:--12-10\r\n"
		"TEL;TYPE=CELL;TYPE=pref:+44 20 7946 0000\r\n"
		"item2.TEL:+44 20 7946 0001\r\n"
		"item2.X-ABLabel:Assistant\r\n"
		"EMAIL;TYPE=INTERNET,WORK:ada@example.org\r\n"
		"item3.URL:https://ada.example\r\n"
		"item3.X-ABLabel:_$!<HomePage>!$_\r\n"
		"ADR;TYPE=HOME:;;12 St James's Sq;London;;SW1Y 4JH;UK\r\n"
		"NOTE:Notes\\, with\\; all\\\\sorts\\nof things\r\n"
		"CATEGORIES:math,a\\,b\r\n"
		"REV:20231114T221320Z\r\n"
		"X-SKYPE:ada.l\r\n"
		"item1.X-ABRELATEDNAMES:Byron\r\n"
		"item1.X-ABLabel:_$!<Father>!$_\r\n"
		"END:VCARD\r\n");
	free(out);
	roundtrip(c, VCARD_30);
	contact_free(c);
}

static void test_vcard__write__40(void **state)
{
	struct contact *c = sample();
	char *out;

	free(c->bday);
	c->bday = xstrdup("1815-12-10");
	c->photo = xmalloc(3);
	memcpy(c->photo, "\xff\xd8\xff", 3);
	c->photo_len = 3;
	c->photo_type = xstrdup("image/jpeg");
	out = write_card(c, VCARD_40);
	assert_non_null(strstr(out, "\r\nVERSION:4.0\r\n"));
	assert_non_null(strstr(out, "\r\nBDAY:18151210\r\n"));
	assert_non_null(strstr(out, "\r\nTEL;TYPE=cell;PREF=1:+44 20 7946 0000"
				    "\r\n"));
	assert_non_null(strstr(out, "\r\nADR;TYPE=home:"));
	assert_non_null(strstr(out,
			       "\r\nPHOTO:data:image/jpeg;base64,/9j/\r\n"));
	free(out);
	roundtrip(c, VCARD_40);

	free(c->bday);
	c->bday = xstrdup("--02-29");
	out = write_card(c, VCARD_40);
	assert_non_null(strstr(out, "\r\nBDAY:--0229\r\n"));
	free(out);
	out = write_card(c, VCARD_30);
	assert_non_null(strstr(out, "\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/\r\n"));
	free(out);
	roundtrip(c, VCARD_30);
	roundtrip(c, VCARD_40);

	free(c->photo);
	c->photo = NULL;
	c->photo_len = 0;
	c->photo_uri = xstrdup("https://example.org/ada.jpg");
	out = write_card(c, VCARD_30);
	assert_non_null(strstr(out, "\r\nPHOTO;VALUE=uri:https://example.org/"
				    "ada.jpg\r\n"));
	free(out);
	roundtrip(c, VCARD_30);
	roundtrip(c, VCARD_40);
	contact_free(c);
}

static void test_vcard__write__folds_at_75(void **state)
{
	struct contact *c = sample();
	struct sbuf note;

	sbuf_init(&note);
	for (int i = 0; i < 40; i++)
		sbuf_add(&note, "ÄÖÜ € 日本語 🍰 ");	/* 1- to 4-byte sequences */
	free(c->notes);
	c->notes = sbuf_take(&note);
	for (int v = VCARD_30; v <= VCARD_40; v += VCARD_40 - VCARD_30) {
		char *out = write_card(c, (enum vcard_version)v);
		size_t folds = 0;
		for (char *p = out; *p;) {
			char *e = strstr(p, "\r\n");
			assert_non_null(e);
			assert_true(e - p <= 75);
			if (*p == ' ') {
				folds++;
				p++;
			}
			/* no UTF-8 sequence is cut */
			assert_true(utf8_valid(p, (size_t)(e - p)));
			p = e + 2;
		}
		assert_true(folds > 10);
		free(out);
		roundtrip(c, (enum vcard_version)v);
	}
	contact_free(c);
}

/* ---- round trips ------------------------------------------------------ */

static void test_vcard__roundtrip__unknown_props(void **state)
{
	static const char card[] =
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Odd Props\r\n"
		"X-SKYPE:odd.props\r\n"
		"GEO:37.386013;-122.082932\r\n"
		"item9.X-ABRELATEDNAMES;type=pref:Mum\r\n"
		"item9.X-ABLabel:_$!<Mother>!$_\r\n"
		"IMPP;X-SERVICE-TYPE=Jabber;type=HOME:xmpp:odd@example.com\r\n"
		"X-FOO;LABEL=\"a:b;c\":value:with:colons\r\n"
		"ROLE:Chief\\, of things\r\n"
		"FN:second FN goes to extra\r\n"
		"X-LONG:" "0123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789\r\n"
		"END:VCARD\r\n";
	struct contact *c = one(card);

	assert_true(has_line(c->extra,
			     "X-FOO;LABEL=\"a:b;c\":value:with:colons"));
	assert_true(has_line(c->extra, "FN:second FN goes to extra"));
	assert_string_equal(c->fn, "Odd Props");
	for (int v = VCARD_30; v <= VCARD_40; v += VCARD_40 - VCARD_30) {
		char *out = write_card(c, (enum vcard_version)v);
		assert_non_null(strstr(out, "\r\nGEO:37.386013;-122.082932"
					    "\r\n"));
		assert_non_null(strstr(out, "\r\nitem9.X-ABLabel:"
					    "_$!<Mother>!$_\r\n"));
		free(out);
		roundtrip(c, (enum vcard_version)v);
	}
	contact_free(c);

	/* 2.1 QUOTED-PRINTABLE ones come back as plain lines */
	c = one("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:L\r\n"
		"LABEL;HOME;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:"
		"Stra=DFe 1=0D=0ABerlin\r\nEND:VCARD\r\n");
	assert_string_equal(c->extra, "LABEL;HOME:Straße 1\\nBerlin\r\n");
	roundtrip(c, VCARD_30);
	roundtrip(c, VCARD_40);
	contact_free(c);
}

static void test_vcard__roundtrip__escaping(void **state)
{
	struct contact *c = one("BEGIN:VCARD\r\nVERSION:3.0\r\n"
				"FN:A\\,B\\;C\\\\D\r\n"
				"NOTE:line 1\\nline 2\\, with\\; specials \\\\ "
				"and a trailing backslash\\\\\r\n"
				"END:VCARD\r\n");

	assert_string_equal(c->fn, "A,B;C\\D");
	assert_string_equal(c->notes, "line 1\nline 2, with; specials \\ and "
				      "a trailing backslash\\");
	char *out = write_card(c, VCARD_30);
	assert_non_null(strstr(out, "\r\nNOTE:line 1\\nline 2\\, with\\; "
				    "specials \\\\ and a trailing backslash"
				    "\\\\\r\n"));
	free(out);
	roundtrip(c, VCARD_30);
	roundtrip(c, VCARD_40);
	contact_free(c);
}

static void test_vcard__roundtrip__data_files(void **state)
{
	static const char *const files[] = {
		"tests/data/outlook-21.vcf", "tests/data/google-30.vcf",
		"tests/data/apple-30.vcf", "tests/data/v40.vcf",
	};
	struct got g;

	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		assert_true(parse_file(files[i], &g) > 0);
		for (size_t k = 0; k < g.n; k++) {
			if (!g.c[k])
				continue;
			roundtrip(g.c[k], VCARD_30);
			roundtrip(g.c[k], VCARD_40);
		}
		got_free(&g);
	}
}

/* Inputs the round-trip fuzzer once broke: each must read back the same
 * after being written in both versions. */
static void test_vcard__roundtrip__fuzz_regressions(void **state)
{
	static const char card[] =
		"BEGIN:VCARD\r\nFN:R\r\n"
		"TEL;TYPE\xcd\"voice,home\":1\r\n"		/* quoted bare token */
		"END:\0\0VCARD\r\n"				/* not an END */
		"TEL;VALUE=uri:tel:tel:2\r\n"			/* one tel: only */
		"item1.EMAIL:a@example.com\r\n"
		"item1.X-ABLabel:_$!<HomePage >!$_\r\n"	/* inner space */
		"PHOTO:data:image/;base64,iVBORw0KGgo=\r\n"	/* empty subtype */
		"PHOTO;VALUE=uri:http://x.example/a\0b.jpg\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\nFN:S\r\n"
		"PHOTO;ENCODING=b;TYPE=image/age/png:iVBORw0KGgo=\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\nFN:T\r\n"
		"PHOTO:data:image/pref;base64,iVBORw0KGgo=\r\n"
		"END:VCARD\r\n";
	struct got g;

	assert_int_equal(parse(card, sizeof card - 1, &g), 3);
	const struct contact *c = g.c[0];
	assert_null(field(c, CF_PHONE, "1")->label);
	assert_string_equal(field(c, CF_PHONE, "tel:2")->value, "tel:2");
	assert_string_equal(field(c, CF_EMAIL, "a@example.com")->label,
			    "homepage");
	assert_string_equal(c->photo_type, "image/png");	/* sniffed */
	assert_true(has_line(c->extra, "PHOTO;VALUE=uri:http://x.example/"
				       "ab.jpg"));
	assert_string_equal(g.c[1]->photo_type, "image/age/png");
	assert_string_equal(g.c[2]->photo_type, "image/pref");
	for (size_t i = 0; i < g.n; i++) {
		roundtrip(g.c[i], VCARD_30);
		roundtrip(g.c[i], VCARD_40);
	}
	got_free(&g);
}

/* ---- robustness -------------------------------------------------------- */


int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcard__write__30),
		cmocka_unit_test(test_vcard__write__40),
		cmocka_unit_test(test_vcard__write__folds_at_75),
		cmocka_unit_test(test_vcard__roundtrip__unknown_props),
		cmocka_unit_test(test_vcard__roundtrip__escaping),
		cmocka_unit_test(test_vcard__roundtrip__data_files),
		cmocka_unit_test(test_vcard__roundtrip__fuzz_regressions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
