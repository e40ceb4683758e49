/* Unit tests for store/formats/vcard: reading 2.1, 3.0 and 4.0 (writing
 * and round trips are in test_vcard_write.c). */
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

static void test_vcard__parse__outlook_21_file(void **state)
{
	struct got g;

	assert_int_equal(parse_file("tests/data/outlook-21.vcf", &g), 4);
	assert_int_equal(g.n, 4);
	const struct contact *c = g.c[0];
	assert_non_null(c);
	assert_int_equal(g.line[0], 1);
	assert_string_equal(c->fn, "Dr. René Müller");
	assert_string_equal(c->family, "Müller");
	assert_string_equal(c->given, "René");
	assert_string_equal(c->prefix, "Dr.");
	assert_string_equal(c->org, "Café Zürich AG");
	assert_string_equal(c->department, "Einkauf");
	assert_string_equal(c->title, "Einkaufsleiter für Süßwaren");
	/* QP soft breaks joined, =80 is the euro sign in Windows-1252 */
	assert_string_equal(c->notes,
			    "Preis: 100 € pro Stück, Lieferung frei Haus.\n"
			    "Zweite Zeile: bitte immer vorher anrufen "
			    "(außer freitags).");
	assert_string_equal(field(c, CF_PHONE, "+49 30 1234567")->label,
			    "work");
	assert_string_equal(field(c, CF_PHONE, "+49 30 1234567")->params,
			    "TYPE=WORK,VOICE");
	assert_string_equal(field(c, CF_PHONE, "+49 170 1234567")->label,
			    "mobile");
	const struct cfield *adr = field(c, CF_ADDR,
		"\n\nHauptstraße 5\nBerlin\n\n10115\nDeutschland");
	assert_true(adr->pref);
	assert_true(field(c, CF_EMAIL,
			  "rene.mueller@cafe-zuerich.example")->pref);
	assert_int_equal(c->photo_len, 134);
	assert_string_equal(c->photo_type, "image/jpeg");
	assert_true(has_line(c->extra, "LABEL;WORK;PREF:Hauptstraße 5\\n"
				       "Berlin 10115\\nDeutschland"));
	assert_true(has_line(c->extra, "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2"));
	assert_null(strstr(c->extra, "REV:"));
	assert_null(strstr(c->extra, "VERSION:"));

	c = g.c[1];
	assert_string_equal(c->fn, "Françoise Dupont");
	assert_string_equal(c->bday, "1975-06-22");
	assert_string_equal(c->notes, "Budget € 2000, réunion le lundi.\n"
				      "Préfère le café noir.");
	assert_string_equal(g.c[2]->fn, "Ärzte GmbH");
	assert_null(g.c[3]);
	assert_int_equal(g.line[3], 51);
	assert_string_equal(g.why[3], "no name, email or phone");
	got_free(&g);
}

static void test_vcard__parse__google_30_file(void **state)
{
	struct got g;

	assert_int_equal(parse_file("tests/data/google-30.vcf", &g), 5);
	const struct contact *c = g.c[0];
	assert_string_equal(c->fn, "Alice Example");
	assert_string_equal(c->nickname, "Ali");
	assert_string_equal(c->bday, "1988-07-04");
	assert_string_equal(c->notes,
			    "Met at PyCon, 2019.\nLikes tea; hates coffee.");
	assert_int_equal(c->ntags, 2);
	assert_string_equal(c->tags[1], "Friends");
	assert_string_equal(field(c, CF_EMAIL, "alice@example.com")->label,
			    "home");
	assert_string_equal(field(c, CF_PHONE, "+1 415-555-0100")->label,
			    "mobile");
	assert_string_equal(field(c, CF_ADDR, "\n\nPO Box 42\nOakland\nCA\n"
					      "94601\nUS")->label, "Mailing");
	/* Google escapes the colon of URLs */
	assert_string_equal(field(c, CF_URL, "http://alice.example.com")->label,
			    "homepage");
	assert_null(c->extra);

	c = g.c[1];
	assert_string_equal(c->bday, "--12-25");
	assert_string_equal(field(c, CF_EMAIL, "bob@builder.example")->label,
			    "Site office");
	assert_string_equal(field(c, CF_PHONE, "+44 20 7946 0958")->label,
			    "Foreman hotline");
	assert_true(has_line(c->extra, "item3.X-ABDATE:2010-06-01"));
	assert_true(has_line(c->extra, "item3.X-ABLabel:_$!<Anniversary>!$_"));

	assert_string_equal(g.c[2]->fn, "carol@example.net");
	c = g.c[3];
	assert_string_equal(c->org, "ООО «Пример»");
	assert_string_equal(c->department, "Отдел продаж");
	assert_non_null(strstr(c->notes, "сворачивает на строки"));
	assert_true(has_line(c->extra, "IMPP;X-SERVICE-TYPE=Skype:"
				       "skype:dmitri.ivanov"));
	assert_null(g.c[4]);
	assert_int_equal(g.line[4], 58);
	got_free(&g);
}

static void test_vcard__parse__apple_30_file(void **state)
{
	const struct cfield *f;
	struct got g;

	assert_int_equal(parse_file("tests/data/apple-30.vcf", &g), 4);
	const struct contact *c = g.c[0];
	assert_string_equal(c->fn, "Johnny Appleseed");
	assert_string_equal(c->org, "Apple Inc.");
	assert_null(c->department);
	assert_string_equal(c->bday, "--09-26");	/* X-APPLE-OMIT-YEAR */
	assert_true(field(c, CF_EMAIL, "johnny@example.com")->pref);
	assert_string_equal(field(c, CF_PHONE, "+1 (408) 555-0199")->label,
			    "Assistant");
	f = field(c, CF_URL, "https://www.apple.example");
	assert_string_equal(f->label, "homepage");
	assert_string_equal(field(c, CF_EMAIL, "orchard@example.org")->label,
			    "other");
	assert_int_equal(c->photo_len, 134);
	assert_true(has_line(c->extra, "item4.X-ABRELATEDNAMES;type=pref:"
				       "Jane Appleseed"));
	assert_true(has_line(c->extra, "item4.X-ABLabel:_$!<Spouse>!$_"));
	assert_true(has_line(c->extra, "item2.X-ABADR:us"));
	assert_null(strstr(c->extra, "PRODID"));
	assert_string_equal(g.c[1]->department, "Logistics");
	assert_null(g.c[2]);
	assert_string_equal(g.why[2], "group card (not a person)");
	assert_int_equal(g.line[2], 44);
	c = g.c[3];
	assert_string_equal(c->fn, "Zoë Ångström");
	assert_string_equal(c->notes, "Träffades på Café Örebro. Älskar "
			    "kanelbullar och fika på eftermiddagen — alltid "
			    "med grädde 🍰.");
	got_free(&g);
}

static void test_vcard__parse__v40_file(void **state)
{
	struct got g;

	assert_int_equal(parse_file("tests/data/v40.vcf", &g), 5);
	const struct contact *c = g.c[0];
	assert_string_equal(c->uid,
			    "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
	assert_string_equal(c->suffix, "PhD");
	assert_string_equal(c->nickname, "JQ, Janie");
	assert_string_equal(c->org, "ABC, Inc.");
	assert_string_equal(c->department,
			    "North American Division; Marketing");
	assert_string_equal(c->bday, "--04-15");
	const struct cfield *f = field(c, CF_PHONE, "+1-555-555-5555;ext=5555");
	assert_true(f->pref);
	assert_string_equal(f->label, "home");
	assert_string_equal(f->params, "TYPE=voice,home");
	assert_true(field(c, CF_EMAIL, "jane_doe@example.com")->pref);
	assert_int_equal(c->photo_len, 73);
	assert_string_equal(c->photo_type, "image/png");
	assert_memory_equal(c->photo, "\x89PNG", 4);
	assert_true(has_line(c->extra, "GENDER:F"));
	assert_true(has_line(c->extra, "LANG;PREF=2:fr"));
	assert_true(has_line(c->extra, "KIND:individual"));
	assert_string_equal(g.c[1]->photo_uri, "https://example.de/kai.jpg");
	assert_null(g.c[2]);
	assert_string_equal(g.why[2], "group card (not a person)");
	assert_string_equal(g.c[3]->fn, "ACME Widgets");
	c = g.c[4];
	assert_null(c->bday);
	assert_true(has_line(c->extra, "BDAY:19851340"));
	got_free(&g);
}

/* ---- reading: syntax ---------------------------------------------------- */

static void test_vcard__parse__line_endings(void **state)
{
	static const char *const cards[] = {
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL:1\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nTEL:1\nEND:VCARD\n",
		"BEGIN:VCARD\rVERSION:3.0\rFN:Ann Lee\rTEL:1\rEND:VCARD\r",
		"\xef\xbb\xbf" "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nTEL:1\r\n"
		"END:VCARD",
	};
	struct got g;

	for (size_t i = 0; i < sizeof cards / sizeof *cards; i++) {
		assert_int_equal(parse_str(cards[i], &g), 1);
		assert_string_equal(g.c[0]->fn, "Ann Lee");
		assert_string_equal(g.c[0]->fields[0].value, "1");
		assert_null(g.c[0]->extra);
		got_free(&g);
	}
	/* line numbers count CR-only lines too */
	assert_int_equal(parse_str("x\ry\rBEGIN:VCARD\rFN:A\rEND:VCARD\r", &g),
			 1);
	assert_int_equal(g.line[0], 3);
	got_free(&g);
}

static void test_vcard__unfold__folded_lines(void **state)
{
	/* RFC 6350 lets a fold split a UTF-8 sequence: "ë" is C3 AB */
	struct contact *c = one("BEGIN:VCARD\r\nVERSION:4.0\r\n"
				"FN:Zo\xc3\r\n \xab Lee\r\n"
				"NOTE:one \r\n\ttwo\r\n  three\r\n"
				"end:vcard\r\n");

	assert_string_equal(c->fn, "Zoë Lee");
	assert_string_equal(c->notes, "one two three");
	contact_free(c);
}

static void test_vcard__unfold__qp_soft_breaks(void **state)
{
	struct contact *c = one(
		"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Q P\r\n"
		"NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0Asec=\r\n"
		"ond line =3D ok=\r\n"
		"\r\n"
		"X-QP;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:caf=E9=\r\n"
		"END:VCARD\r\n");

	/* a soft break never swallows END:VCARD */
	assert_string_equal(c->notes, "first\nsecond line = ok");
	assert_true(has_line(c->extra, "X-QP:café"));
	contact_free(c);
}

static void test_vcard__parse__charsets(void **state)
{
	struct contact *c = one(
		"BEGIN:VCARD\r\nVERSION:2.1\r\n"
		"FN;CHARSET=Windows-1252:Ren\xe9 \x80\r\n"
		"NOTE:no charset but caf\xe9\r\n"
		"TITLE;CHARSET=UTF-8:Gr\xc3\xbc\xc3\x9f Gott\r\n"
		"ORG;CHARSET=ISO-8859-1:M\xfcller AG\r\n"
		"END:VCARD\r\n");

	assert_string_equal(c->fn, "René €");
	assert_string_equal(c->notes, "no charset but café");
	assert_string_equal(c->title, "Grüß Gott");
	assert_string_equal(c->org, "Müller AG");
	contact_free(c);
}

static void test_vcard__parse__many_cards(void **state)
{
	struct sbuf b;
	struct got g;

	sbuf_init(&b);
	sbuf_add(&b, "leading junk\r\n");
	for (int i = 0; i < 1000; i++)
		sbuf_printf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\n"
			    "EMAIL:p%d@example.com\r\nEND:VCARD\r\n"
			    "-- garbage between cards --\r\n", i, i);
	assert_int_equal(parse(b.s, b.len, &g), 1000);
	for (int i = 0; i < 1000; i++) {
		char fn[32];
		snprintf(fn, sizeof fn, "Person %d", i);
		assert_string_equal(g.c[i]->fn, fn);
		assert_int_equal(g.line[i], 2 + 6 * i);
	}
	got_free(&g);
	sbuf_free(&b);
}

static void test_vcard__parse__no_vcard(void **state)
{
	char *err = NULL;
	struct got g = { 0 };

	assert_int_equal(vcard_parse("Name,Email\r\nA,a@b.c\r\n", 21, collect,
				     &g, &err), -1);
	assert_string_equal(err, "no vCard found (expected BEGIN:VCARD)");
	free(err);
	assert_int_equal(vcard_parse("", 0, collect, &g, NULL), -1);
	assert_int_equal(g.n, 0);
}

static void test_vcard__parse__missing_end(void **state)
{
	struct got g;

	assert_int_equal(parse_str("BEGIN:VCARD\r\nFN:One\r\n"
				   "BEGIN:VCARD\r\nFN:Two\r\nTEL:2\r\n", &g), 2);
	assert_string_equal(g.c[0]->fn, "One");
	assert_string_equal(g.c[1]->fn, "Two");
	assert_int_equal(g.line[1], 3);
	got_free(&g);
}

static void test_vcard__parse__callback_stops(void **state)
{
	struct got g;
	char *err = NULL;
	static const char two[] = "BEGIN:VCARD\nFN:A\nEND:VCARD\n"
				  "BEGIN:VCARD\nFN:B\nEND:VCARD\n";

	memset(&g, 0, sizeof g);
	g.stop_after = 1;
	assert_int_equal(vcard_parse(two, sizeof two - 1, collect, &g, &err),
			 1);
	assert_null(err);
	assert_int_equal(g.n, 1);
	got_free(&g);
}

static void test_vcard__parse__uid_generated(void **state)
{
	struct got g;

	assert_int_equal(parse_str("BEGIN:VCARD\nFN:A\nEND:VCARD\n"
				   "BEGIN:VCARD\nFN:B\nEND:VCARD\n"
				   "BEGIN:VCARD\nFN:C\nUID:keep-me\nEND:VCARD\n",
				   &g), 3);
	assert_int_equal(strlen(g.c[0]->uid), 36);
	assert_int_equal(g.c[0]->uid[14], '4');
	assert_string_not_equal(g.c[0]->uid, g.c[1]->uid);
	assert_string_equal(g.c[2]->uid, "keep-me");
	got_free(&g);
}

static void test_vcard__parse__skips(void **state)
{
	struct got g;

	assert_int_equal(parse_str(
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Team\r\n"
		"X-ADDRESSBOOKSERVER-KIND:group\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:GROUP\r\nFN:Club\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nN:;;;;\r\n"
		"NOTE:only a note\r\nADR:;;1 Main St;;;;\r\nEND:VCARD\r\n",
		&g), 3);
	assert_null(g.c[0]);
	assert_string_equal(g.why[0], "group card (not a person)");
	assert_null(g.c[1]);
	assert_int_equal(g.line[1], 6);
	assert_null(g.c[2]);
	assert_string_equal(g.why[2], "no name, email or phone");
	assert_int_equal(g.line[2], 11);
	got_free(&g);
}

static void test_vcard__parse__params(void **state)
{
	struct contact *c = one(
		"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jo\r\n"
		"TEL;WORK;VOICE:1\r\n"
		"TEL;CELL:2\r\n"
		"EMAIL;INTERNET;PREF:a@example.com\r\n"
		"tel;type=\"work,voice\":3\r\n"
		"TEL;TYPE=work;TYPE=cell:4\r\n"
		"EMAIL;PREF=1:b@example.com\r\n"
		"EMAIL;type=INTERNET;type=pref:c@example.com\r\n"
		"TEL;TYPE=x-car;X-FOO=\"a:b\":5\r\n"
		"TEL;ENCODING=8BIT;CHARSET=UTF-8;TYPE=FAX:6\r\n"
		"END:VCARD\r\n");
	const struct cfield *f;

	assert_string_equal(c->fn, "Jo Doe");	/* contact_fill_fn */
	f = field(c, CF_PHONE, "1");
	assert_string_equal(f->label, "work");
	assert_string_equal(f->params, "TYPE=WORK,VOICE");
	assert_false(f->pref);
	assert_string_equal(field(c, CF_PHONE, "2")->label, "mobile");
	f = field(c, CF_EMAIL, "a@example.com");
	assert_true(f->pref);
	assert_string_equal(f->params, "TYPE=INTERNET");
	assert_string_equal(field(c, CF_PHONE, "3")->params,
			    "TYPE=work,voice");
	assert_string_equal(field(c, CF_PHONE, "4")->label, "mobile");
	f = field(c, CF_EMAIL, "b@example.com");
	assert_true(f->pref);
	assert_null(f->params);
	assert_null(f->label);
	assert_true(field(c, CF_EMAIL, "c@example.com")->pref);
	f = field(c, CF_PHONE, "5");
	assert_null(f->label);
	assert_string_equal(f->params, "TYPE=x-car;X-FOO=\"a:b\"");
	assert_string_equal(field(c, CF_PHONE, "6")->params, "TYPE=FAX");
	assert_null(c->extra);
	contact_free(c);
}

static void test_vcard__parse__structured_values(void **state)
{
	struct contact *c = one(
		"BEGIN:VCARD\r\nVERSION:3.0\r\n"
		"FN:Ann\\, the First\r\n"
		"N:Lee\\;Smith;Ann;Marie,Jo;Dr.;\r\n"
		"NICKNAME:Annie,A\\,L\r\n"
		"ORG:Acme\\, Inc.;R&D;Lab 2\r\n"
		"ADR;TYPE=WORK:PO 1;Suite 2;1 Main St\\nBack door;Town;ST;"
		"12345;Land;extra\r\n"
		"CATEGORIES:friends,work\\,mates,friends, golf \r\n"
		"CATEGORIES:chess\r\n"
		"NOTE:a\\\\b\\,c\\;d\\ne\\Nf\\x\r\n"
		"END:VCARD\r\n");

	assert_string_equal(c->fn, "Ann, the First");
	assert_string_equal(c->family, "Lee;Smith");
	assert_string_equal(c->additional, "Marie,Jo");
	assert_string_equal(c->prefix, "Dr.");
	assert_null(c->suffix);
	assert_string_equal(c->nickname, "Annie, A,L");
	assert_string_equal(c->org, "Acme, Inc.");
	assert_string_equal(c->department, "R&D; Lab 2");
	field(c, CF_ADDR, "PO 1\nSuite 2\n1 Main St, Back door\nTown\nST\n"
			  "12345\nLand;extra");
	assert_int_equal(c->ntags, 4);
	assert_string_equal(c->tags[0], "friends");
	assert_string_equal(c->tags[1], "work,mates");
	assert_string_equal(c->tags[2], "golf");
	assert_string_equal(c->tags[3], "chess");
	assert_string_equal(c->notes, "a\\b,c;d\ne\nf\\x");
	contact_free(c);
}

static void test_vcard__parse__ablabel_groups(void **state)
{
	struct contact *c = one(
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:L\r\n"
		"item2.X-ABLabel:Before its field\r\n"
		"item1.TEL;type=pref:1\r\n"
		"item1.X-ABLabel:_$!<Mobile>!$_\r\n"
		"ITEM2.EMAIL:e@example.com\r\n"
		"item3.URL:http://x.example\r\n"
		"item3.X-ABLabel:_$!<HomePage>!$_\r\n"
		"item4.X-ABLabel:_$!<Other>!$_\r\n"
		"item5.ADR:;;1 St;;;;\r\n"
		"item5.X-ABLabel:_$!<Other>!$_\r\n"
		"END:VCARD\r\n");
	const struct cfield *f = field(c, CF_PHONE, "1");

	assert_string_equal(f->label, "mobile");
	assert_true(f->pref);
	assert_null(f->params);
	assert_string_equal(field(c, CF_EMAIL, "e@example.com")->label,
			    "Before its field");
	assert_string_equal(field(c, CF_URL, "http://x.example")->label,
			    "homepage");
	assert_string_equal(field(c, CF_ADDR, "\n\n1 St\n\n\n\n")->label,
			    "other");
	/* a label for no field stays */
	assert_string_equal(c->extra, "item4.X-ABLabel:_$!<Other>!$_\r\n");
	roundtrip(c, VCARD_30);
	roundtrip(c, VCARD_40);
	contact_free(c);
}

static void test_vcard__parse__bday_forms(void **state)
{
	static const char *const ok[][2] = {
		{ "19900315", "1990-03-15" },
		{ "1990-03-15", "1990-03-15" },
		{ "--0315", "--03-15" },
		{ "--03-15", "--03-15" },
		{ "1990-03-15T00:00:00Z", "1990-03-15" },
		{ "19960229T120000", "1996-02-29" },
	};
	static const char *const bad[] = { "1990-13-40", "19850230", "--1332",
					   "circa 1800", "1990-03" };
	char card[256];

	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		snprintf(card, sizeof card, "BEGIN:VCARD\r\nFN:B\r\nBDAY:%s\r\n"
			 "END:VCARD\r\n", ok[i][0]);
		struct contact *c = one(card);
		assert_string_equal(c->bday, ok[i][1]);
		assert_null(c->extra);
		contact_free(c);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(card, sizeof card, "BEGIN:VCARD\r\nFN:B\r\nBDAY:%s\r\n"
			 "END:VCARD\r\n", bad[i]);
		struct contact *c = one(card);	/* imported all the same */
		assert_null(c->bday);
		char line[64];
		snprintf(line, sizeof line, "BDAY:%s", bad[i]);
		assert_true(has_line(c->extra, line));
		char *out = write_card(c, VCARD_30);
		assert_non_null(strstr(out, line));
		free(out);
		contact_free(c);
	}
	struct contact *c = one("BEGIN:VCARD\r\nFN:B\r\nBDAY;X-APPLE-OMIT-YEAR"
				"=1604:1604-12-24\r\nEND:VCARD\r\n");
	assert_string_equal(c->bday, "--12-24");
	contact_free(c);
}

static void test_vcard__parse__photos(void **state)
{
	/* 3.0 base64 (folded), 4.0 data: URI, a URI, 2.1 bare params */
	struct contact *c = one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\n"
				"PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAAANSUhE\r\n"
				" UgAAAAEAAAAB\r\nEND:VCARD\r\n");
	assert_int_equal(c->photo_len, 24);
	assert_memory_equal(c->photo, "\x89PNG\r\n\x1a\n", 8);
	assert_string_equal(c->photo_type, "image/png");
	contact_free(c);

	c = one("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\n"
		"PHOTO:data:image/jpeg;base64,/9j/4AAQ\r\nEND:VCARD\r\n");
	assert_int_equal(c->photo_len, 6);
	assert_memory_equal(c->photo, "\xff\xd8\xff\xe0\x00\x10", 6);
	assert_string_equal(c->photo_type, "image/jpeg");
	contact_free(c);

	c = one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\n"
		"PHOTO;VALUE=uri:http://example.com/p.jpg\r\nEND:VCARD\r\n");
	assert_null(c->photo);
	assert_string_equal(c->photo_uri, "http://example.com/p.jpg");
	contact_free(c);

	c = one("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:P\r\nPHOTO;GIF;BASE64:\r\n"
		"    R0lGODlhAQABAAAAACw=\r\n\r\nEND:VCARD\r\n");
	assert_int_equal(c->photo_len, 14);
	assert_string_equal(c->photo_type, "image/gif");
	contact_free(c);

	/* undecodable: kept as it was */
	c = one("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\n"
		"PHOTO:data:image/png;base32,AAAA\r\nEND:VCARD\r\n");
	assert_null(c->photo);
	assert_true(has_line(c->extra, "PHOTO:data:image/png;base32,AAAA"));
	contact_free(c);
}

/* ---- writing ------------------------------------------------------------ */


static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_vcard__parse__huge_lines(void **state)
{
	const size_t big = 4 << 20;
	struct sbuf b;
	struct got g;

	/* one 4 MB line of each shape that could go quadratic */
	static const char *const shapes[] = {
		"NOTE:", "CATEGORIES:", "NOTE;ENCODING=QUOTED-PRINTABLE:",
		"PHOTO;ENCODING=b:", "X-FOLDED:", "TEL;",
	};
	for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
		sbuf_init(&b);
		sbuf_add(&b, "BEGIN:VCARD\r\nFN:Big\r\n");
		sbuf_add(&b, shapes[s]);
		for (size_t i = 0; b.len < big; i++)
			switch (s) {
			case 1: sbuf_printf(&b, "t%zu,", i); break;
			case 2: sbuf_add(&b, "=C3=A9 soft=\r\n"); break;
			case 4: sbuf_add(&b, "abcdefgh\r\n "); break;
			case 5: sbuf_add(&b, "TYPE=a;"); break;
			default: sbuf_add(&b, "abcd\\,efgh "); break;
			}
		sbuf_add(&b, ":x\r\nEND:VCARD\r\n");
		double t0 = now();
		assert_int_equal(parse(b.s, b.len, &g), 1);
		double dt = now() - t0;
		if (dt > 3.0)	/* generous: this runs under ASan */
			fail_msg("shape %zu took %.2fs", s, dt);
		assert_non_null(g.c[0]);
		if (s == 1)
			assert_true(g.c[0]->ntags > 100000);
		got_free(&g);
		sbuf_free(&b);
	}
}

static void test_vcard__parse__hostile_bytes(void **state)
{
	static const char hostile[] =
		"BEGIN:VCARD\r\n\0\0\0:\r\nFN\0:x\r\nFN:Nul\0led\r\n"
		"TEL;TYPE=\"unterminated:123\r\n"
		"EMAIL;;;;:a@b.c\r\n"
		";:\r\n:\r\n=\r\nX-\xff\xfe:\xff\xfe\r\n"
		"PHOTO;ENCODING=b:====\r\n"
		"ADR:\\\r\n"
		"N:\\";
	struct got g;

	assert_int_equal(parse(hostile, sizeof hostile - 1, &g), 1);
	assert_non_null(g.c[0]);
	assert_string_equal(g.c[0]->fn, "Nulled");
	assert_true(utf8_valid(g.c[0]->extra, strlen(g.c[0]->extra)));
	roundtrip(g.c[0], VCARD_30);
	roundtrip(g.c[0], VCARD_40);
	got_free(&g);
}


int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcard__parse__outlook_21_file),
		cmocka_unit_test(test_vcard__parse__google_30_file),
		cmocka_unit_test(test_vcard__parse__apple_30_file),
		cmocka_unit_test(test_vcard__parse__v40_file),
		cmocka_unit_test(test_vcard__parse__line_endings),
		cmocka_unit_test(test_vcard__unfold__folded_lines),
		cmocka_unit_test(test_vcard__unfold__qp_soft_breaks),
		cmocka_unit_test(test_vcard__parse__charsets),
		cmocka_unit_test(test_vcard__parse__many_cards),
		cmocka_unit_test(test_vcard__parse__no_vcard),
		cmocka_unit_test(test_vcard__parse__missing_end),
		cmocka_unit_test(test_vcard__parse__callback_stops),
		cmocka_unit_test(test_vcard__parse__uid_generated),
		cmocka_unit_test(test_vcard__parse__skips),
		cmocka_unit_test(test_vcard__parse__params),
		cmocka_unit_test(test_vcard__parse__structured_values),
		cmocka_unit_test(test_vcard__parse__ablabel_groups),
		cmocka_unit_test(test_vcard__parse__bday_forms),
		cmocka_unit_test(test_vcard__parse__photos),
		cmocka_unit_test(test_vcard__parse__huge_lines),
		cmocka_unit_test(test_vcard__parse__hostile_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
