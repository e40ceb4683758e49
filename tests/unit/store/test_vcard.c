/* Unit tests for store/formats/vcard: reading 2.1/3.0/4.0, writing 3.0/4.0
 * and the round trip between them. */
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

/* ---- helpers ------------------------------------------------------------- */

#define MAXCARDS 2048

struct got {
	struct contact *c[MAXCARDS];	/* NULL for a skipped card */
	unsigned line[MAXCARDS];
	char *why[MAXCARDS];
	size_t n, stop_after;
};

static int collect(void *arg, struct contact *c, unsigned line,
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

static int parse(const char *data, size_t len, struct got *g)
{
	char *err = NULL;

	memset(g, 0, sizeof *g);
	int n = vcard_parse(data, len, collect, g, &err);
	assert_true((n < 0) == (err != NULL));
	free(err);
	return n;
}

static int parse_str(const char *s, struct got *g)
{
	return parse(s, strlen(s), g);
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		contact_free(g->c[i]);
		free(g->why[i]);
	}
	g->n = 0;
}

/* The single contact of a one-card text (the caller frees it). */
static struct contact *one(const char *s)
{
	struct got g;

	assert_int_equal(parse_str(s, &g), 1);
	assert_int_equal(g.n, 1);
	assert_non_null(g.c[0]);
	struct contact *c = g.c[0];
	free(g.why[0]);
	return c;
}

static char *slurp(const char *path, size_t *len)
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

static int parse_file(const char *path, struct got *g)
{
	size_t len;
	char *data = slurp(path, &len);
	int n = parse(data, len, g);

	free(data);
	return n;
}

static const struct cfield *field(const struct contact *c,
				  enum cfield_kind kind, const char *value)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].kind == kind &&
		    strcmp(c->fields[i].value, value) == 0)
			return &c->fields[i];
	fail_msg("no field %d '%s'", kind, value);
	return NULL;
}

static bool has_line(const char *extra, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = extra; p && (p = strstr(p, line)); p++)
		if ((p == extra || p[-1] == '\n') &&
		    strncmp(p + n, "\r\n", 2) == 0)
			return true;
	return false;
}

/* extra as a set of lines */
static void assert_same_extra(const char *a, const char *b)
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

static void assert_same(const struct contact *a, const struct contact *b)
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

static char *write_card(const struct contact *c, enum vcard_version v)
{
	struct sbuf b;

	sbuf_init(&b);
	vcard_write(&b, c, v);
	return sbuf_take(&b);
}

/* write c as v, read it back: the same contact */
static void roundtrip(const struct contact *c, enum vcard_version v)
{
	char *out = write_card(c, v);
	struct contact *back = one(out);

	assert_same(c, back);
	contact_free(back);
	free(out);
}

/* ---- reading: the sample files ------------------------------------------ */

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
		cmocka_unit_test(test_vcard__write__30),
		cmocka_unit_test(test_vcard__write__40),
		cmocka_unit_test(test_vcard__write__folds_at_75),
		cmocka_unit_test(test_vcard__roundtrip__unknown_props),
		cmocka_unit_test(test_vcard__roundtrip__escaping),
		cmocka_unit_test(test_vcard__roundtrip__data_files),
		cmocka_unit_test(test_vcard__roundtrip__fuzz_regressions),
		cmocka_unit_test(test_vcard__parse__huge_lines),
		cmocka_unit_test(test_vcard__parse__hostile_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
