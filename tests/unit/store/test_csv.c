/* Unit tests for store/formats/csv: reading Google, Outlook, generic and
 * confab CSV (writing and round trips are in test_csv_write.c). */
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


/* ---- Google ------------------------------------------------------------- */

static const char google_hdr[] =
	"First Name,Middle Name,Last Name,Phonetic First Name,Name Prefix,"
	"Name Suffix,Nickname,File As,Organization Name,Organization Title,"
	"Organization Department,Birthday,Notes,Photo,Labels,"
	"E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
	"Phone 1 - Label,Phone 1 - Value,"
	"Address 1 - Label,Address 1 - Formatted,Address 1 - Street,"
	"Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
	"Address 1 - Postal Code,Address 1 - Country,"
	"Address 1 - Extended Address,Website 1 - Label,Website 1 - Value\n";

static void test_csv__parse__google_multi_values(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;
	struct sbuf in;

	sbuf_init(&in);
	sbuf_add(&in, google_hdr);
	sbuf_add(&in, "Ann,,Lee,,,,,,Acme,CTO,R&D,1985-04-12,hi,"
		 "https://photo.example/a.jpg,"
		 "* myContacts ::: * starred ::: Friends ::: Work Mates,"
		 "* Work,ann@acme.example ::: ann.lee@acme.example,"
		 "Custom Thing,ann@home.example,"
		 "* Mobile ::: Home,+1 555 0100 ::: +1 555 0101 ::: 555 0102,"
		 "Home ::: Work,,1 Main St ::: 9 Side Rd,"
		 "Springfield ::: Shelby,"
		 ",IL,62701,US ::: CA,Apt 4,Homepage,https://ann.example\n");
	assert_int_equal(parse(in.s, in.len, &g, &l), 1);
	assert_int_equal(l, CSV_GOOGLE);
	struct contact *c = g.c[0];
	assert_non_null(c);
	assert_string_equal(c->fn, "Ann Lee");
	assert_string_equal(c->org, "Acme");
	assert_string_equal(c->title, "CTO");
	assert_string_equal(c->department, "R&D");
	assert_string_equal(c->bday, "1985-04-12");
	assert_string_equal(c->photo_uri, "https://photo.example/a.jpg");
	assert_non_null(c->uid);
	assert_int_equal(strlen(c->uid), 36);
	assert_tags(c, 3, "starred", "Friends", "Work Mates");
	assert_int_equal(count(c, CF_EMAIL), 3);
	assert_field(c, CF_EMAIL, 0, "work", "ann@acme.example", true);
	assert_field(c, CF_EMAIL, 1, "work", "ann.lee@acme.example", false);
	assert_field(c, CF_EMAIL, 2, "Custom Thing", "ann@home.example",
		     false);
	assert_int_equal(count(c, CF_PHONE), 3);
	assert_field(c, CF_PHONE, 0, "mobile", "+1 555 0100", true);
	assert_field(c, CF_PHONE, 1, "home", "+1 555 0101", false);
	assert_field(c, CF_PHONE, 2, "home", "555 0102", false);
	assert_field(c, CF_URL, 0, "homepage", "https://ann.example", false);
	assert_int_equal(count(c, CF_ADDR), 2);
	assert_addr(nth(c, CF_ADDR, 0), "home", "", "Apt 4", "1 Main St",
		    "Springfield", "IL", "62701", "US");
	assert_addr(nth(c, CF_ADDR, 1), "work", "", "", "9 Side Rd", "Shelby",
		    "", "", "CA");
	got_free(&g);
	sbuf_free(&in);
}

static void test_csv__parse__google_birthdays(void **state)
{
	struct got g = { 0 };
	const char *in =
		"First Name,Last Name,Birthday,E-mail 1 - Label,"
		"E-mail 1 - Value\n"
		"A,,1985-04-12,,\n"
		"B,,--04-12,,\n"
		"C,, --04-12,,\n"
		"D,,2001-02-29,,\n";

	assert_int_equal(parse_str(in, &g, NULL), 4);
	assert_string_equal(g.c[0]->bday, "1985-04-12");
	assert_string_equal(g.c[1]->bday, "--04-12");
	assert_string_equal(g.c[2]->bday, "--04-12");
	assert_null(g.c[3]->bday);	/* no 29 February in 2001 */
	assert_string_equal(g.c[3]->notes, "Birthday: 2001-02-29");
	got_free(&g);
}

static void test_csv__parse__google_formatted_address_only(void **state)
{
	struct got g = { 0 };
	const char *in =
		"First Name,Address 1 - Label,Address 1 - Formatted\n"
		"Zed,Home,\"1 Main St\nSpringfield\r\nUS\"\n";

	assert_int_equal(parse_str(in, &g, NULL), 1);
	assert_addr(nth(g.c[0], CF_ADDR, 0), "home", "", "",
		    "1 Main St, Springfield, US", "", "", "", "");
	got_free(&g);
}

static void test_csv__parse__google_file(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;

	assert_int_equal(parse_file("tests/data/google.csv", &g, &l), 5);
	assert_int_equal(l, CSV_GOOGLE);
	assert_int_equal(g.n, 5);
	/* Alice: notes and formatted address hold 4 line breaks */
	assert_int_equal(g.line[0], 2);
	assert_string_equal(g.c[0]->fn, "Alice Marie Johnson");
	assert_int_equal(count(g.c[0], CF_EMAIL), 3);
	assert_int_equal(count(g.c[0], CF_PHONE), 3);
	assert_tags(g.c[0], 2, "starred", "Clients");
	assert_addr(nth(g.c[0], CF_ADDR, 0), "work", "", "Suite 200",
		    "1 Infinite Loop", "Springfield", "IL", "62701", "US");
	assert_int_equal(g.line[1], 7);
	assert_string_equal(g.c[1]->fn, "王小明");
	assert_string_equal(g.c[1]->bday, "--08-15");
	assert_int_equal(g.line[2], 8);
	assert_string_equal(g.c[2]->fn, "Dr. Robert O'Neil Jr.");
	assert_string_equal(g.c[2]->notes, "Met at \"DevConf\", Berlin, 2019");
	assert_string_equal(g.c[2]->bday, "--11-03");
	assert_null(g.c[3]);
	assert_int_equal(g.line[3], 9);
	assert_string_equal(g.why[3], "no name, email or phone");
	assert_string_equal(g.c[4]->fn, "Globex Support");
	assert_int_equal(g.line[4], 10);
	got_free(&g);
}

static void test_csv__parse__google_old(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;

	assert_int_equal(parse_file("tests/data/google-old.csv", &g, &l), 4);
	assert_int_equal(l, CSV_GOOGLE_OLD);
	struct contact *c = g.c[0];
	assert_string_equal(c->fn, "Carol Smith");
	assert_string_equal(c->org, "Initech");
	assert_string_equal(c->title, "Analyst");
	assert_string_equal(c->department, "Finance");
	assert_tags(c, 1, "Friends");
	assert_field(c, CF_EMAIL, 0, "home", "carol@example.org", true);
	assert_field(c, CF_EMAIL, 1, "home", "carol.smith@example.net",
		     false);
	assert_field(c, CF_EMAIL, 2, "work", "csmith@initech.example", false);
	assert_field(c, CF_PHONE, 1, "home fax", "(555) 010-2001", false);
	assert_addr(nth(c, CF_ADDR, 0), "home", "", "", "42 Elm Street",
		    "Shelbyville", "IL", "62565", "United States");
	assert_int_equal(g.line[1], 4);
	assert_string_equal(g.c[1]->family, "Weiß");
	assert_string_equal(g.c[1]->org, "Weiß & Söhne GmbH");
	assert_string_equal(g.c[1]->bday, "--02-29");
	assert_null(g.c[2]);
	assert_int_equal(g.line[2], 5);
	assert_string_equal(g.c[3]->notes, "Birthday: sometime in May");
	assert_null(g.c[3]->bday);
	assert_tags(g.c[3], 1, "starred");
	got_free(&g);
}

/* ---- Outlook ------------------------------------------------------------ */

static void test_csv__parse__outlook_windows1252(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;

	assert_int_equal(parse_file("tests/data/outlook.csv", &g, &l), 5);
	assert_int_equal(l, CSV_OUTLOOK);
	struct contact *c = g.c[0];
	assert_string_equal(c->prefix, "Herr");
	assert_string_equal(c->given, "Hans");
	assert_string_equal(c->family, "Müller");
	assert_string_equal(c->org, "Müller & Co. KG");
	assert_string_equal(c->title, "Geschäftsführer");
	assert_string_equal(c->bday, "1985-04-12");
	assert_string_equal(c->notes, "Budget 2024: 5.000 €\r\n"
			    "Ansprechpartner für Süddeutschland");
	assert_tags(c, 2, "Kunden", "VIP");
	assert_field(c, CF_EMAIL, 0, NULL, "hans.mueller@mueller-co.example",
		     false);
	assert_field(c, CF_PHONE, 0, "work fax", "+49 711 123457", false);
	assert_field(c, CF_PHONE, 1, "work", "+49 711 123456", false);
	assert_field(c, CF_PHONE, 2, "mobile", "+49 170 1234567", false);
	assert_field(c, CF_URL, 0, NULL, "https://mueller-co.example/", false);
	assert_addr(nth(c, CF_ADDR, 0), "work", "", "",
		    "Königstraße 12, Hinterhaus", "Stuttgart", "", "70173",
		    "Deutschland");
	/* Notes spanned two lines */
	assert_int_equal(g.line[1], 4);
	assert_string_equal(g.c[1]->given, "François");
	assert_null(g.c[1]->bday);	/* 0/0/00: none, quietly */
	assert_null(g.c[1]->notes);
	assert_int_equal(count(g.c[1], CF_EMAIL), 2);
	assert_string_equal(g.c[2]->fn, "Zoë Brontë");
	assert_string_equal(g.c[2]->bday, "1818-07-30");	/* D/M/YYYY */
	assert_field(g.c[2], CF_PHONE, 1, "primary", "+44 1535 640000", true);
	assert_null(g.c[3]);
	assert_int_equal(g.line[3], 6);
	assert_string_equal(g.c[4]->fn, "Café Olé");
	assert_string_equal(g.c[4]->notes, "Birthday: 13/13/2000");
	got_free(&g);
}

static const char outlook_small[] =
	"\"Title\",\"First Name\",\"Last Name\",\"Company\",\"Job Title\","
	"\"Business Phone\",\"Home Phone\",\"Birthday\",\"Categories\","
	"\"E-mail Address\"\r\n"
	"\"Mr.\",\"Jürgen\",\"Groß\",\"王氏\",\"Boss\",\"+49 1\",\"+49 2\","
	"\"12/31/1970\",\"A; B\",\"j@g.example\"\r\n";

static void test_csv__parse__outlook_utf16le(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;
	size_t len;
	char *in = utf16le(outlook_small, &len);

	assert_int_equal(parse(in, len, &g, &l), 1);
	assert_int_equal(l, CSV_OUTLOOK);
	struct contact *c = g.c[0];
	assert_string_equal(c->prefix, "Mr.");
	assert_string_equal(c->given, "Jürgen");
	assert_string_equal(c->family, "Groß");
	assert_string_equal(c->org, "王氏");
	assert_string_equal(c->title, "Boss");
	assert_string_equal(c->bday, "1970-12-31");
	assert_tags(c, 2, "A", "B");
	assert_field(c, CF_PHONE, 0, "work", "+49 1", false);
	assert_field(c, CF_PHONE, 1, "home", "+49 2", false);
	assert_field(c, CF_EMAIL, 0, NULL, "j@g.example", false);
	got_free(&g);
	free(in);
}

static void test_csv__parse__utf8_bom(void **state)
{
	struct got g = { 0 };
	struct sbuf in;

	sbuf_init(&in);
	sbuf_add(&in, "\xef\xbb\xbf");
	sbuf_add(&in, outlook_small);
	assert_int_equal(parse(in.s, in.len, &g, NULL), 1);
	assert_string_equal(g.c[0]->given, "Jürgen");
	got_free(&g);
	sbuf_free(&in);
}

/* ---- RFC 4180 details --------------------------------------------------- */

static void test_csv__parse__quoted_fields(void **state)
{
	struct got g = { 0 };
	const char *in =
		"Name,Email,Notes\r\n"
		"\"Smith, John\",john@example.com,\"He said \"\"hi\"\"\"\r\n"
		"\"Multi\",m@example.com,"
		"\"line one\r\nline two\nline three\"\r\n"
		"Plain,p@example.com,  \"spaced\" \r\n"
		"Last,\"l@example.com\",\"\"\r\n";

	assert_int_equal(parse_str(in, &g, NULL), 4);
	assert_string_equal(g.c[0]->fn, "Smith, John");
	assert_string_equal(g.c[0]->notes, "He said \"hi\"");
	assert_int_equal(g.line[0], 2);
	assert_string_equal(g.c[1]->notes,
			    "line one\r\nline two\nline three");
	assert_int_equal(g.line[1], 3);
	assert_string_equal(g.c[2]->notes, "spaced");
	assert_int_equal(g.line[2], 6);
	assert_string_equal(g.c[3]->fn, "Last");
	assert_null(g.c[3]->notes);
	assert_int_equal(g.line[3], 7);
	got_free(&g);
}

static void test_csv__parse__semicolon_separated(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;
	const char *in =
		"\"First Name\";\"Last Name\";\"E-mail Address\";"
		"\"Business Phone\";\"Notes\"\n"
		"Anna;Schmidt;anna@example.de;+49 30 1234;Hallo, Welt\n"
		"Bernd;\"Kai; Kurz\";b@example.de;;\n";

	assert_int_equal(parse_str(in, &g, &l), 2);
	assert_int_equal(l, CSV_OUTLOOK);
	assert_string_equal(g.c[0]->family, "Schmidt");
	assert_string_equal(g.c[0]->notes, "Hallo, Welt");
	assert_field(g.c[0], CF_PHONE, 0, "work", "+49 30 1234", false);
	assert_string_equal(g.c[1]->family, "Kai; Kurz");
	got_free(&g);
}

static void test_csv__parse__tab_separated(void **state)
{
	struct got g = { 0 };
	const char *in = "Name\tEmail\tPhone\nTab Person\tt@example.com\t"
			 "555, ext 2\n";

	assert_int_equal(parse_str(in, &g, NULL), 1);
	assert_string_equal(g.c[0]->fn, "Tab Person");
	assert_field(g.c[0], CF_PHONE, 0, NULL, "555, ext 2", false);
	got_free(&g);
}

static void test_csv__parse__line_ends_and_blank_rows(void **state)
{
	struct got g = { 0 };
	const char *in = "\r\nName,Email\r"
			 "A,a@example.com\r"
			 "\r"
			 ",\r\n"
			 "   \n"
			 "B,b@example.com\n\n"
			 "C,c@example.com";

	assert_int_equal(parse_str(in, &g, NULL), 3);
	assert_int_equal(g.line[0], 3);
	assert_int_equal(g.line[1], 7);
	assert_int_equal(g.line[2], 9);
	assert_string_equal(g.c[2]->fn, "C");
	got_free(&g);
}

static void test_csv__parse__ragged_rows(void **state)
{
	struct got g = { 0 };
	const char *in = "Name,Email,Phone\n"
			 "Short\n"
			 "Long,l@example.com,555,extra,more,\"x,y\"\n";

	assert_int_equal(parse_str(in, &g, NULL), 2);
	assert_string_equal(g.c[0]->fn, "Short");
	assert_int_equal(g.c[0]->nfields, 0);
	assert_int_equal(g.c[1]->nfields, 2);
	got_free(&g);
}

static void test_csv__parse__unterminated_quote(void **state)
{
	struct got g = { 0 };
	const char *in = "Name,Notes\nA,\"never closed\nB,x\n";

	assert_int_equal(parse_str(in, &g, NULL), 1);
	assert_string_equal(g.c[0]->notes, "never closed\nB,x");
	got_free(&g);
}

static void test_csv__parse__skipped_row_has_reason_and_line(void **state)
{
	struct got g = { 0 };
	const char *in = "Name,Email,Notes\n"
			 "A,a@example.com,\"two\nlines\"\n"
			 ",,only a note\n"
			 "B,,\n";

	assert_int_equal(parse_str(in, &g, NULL), 3);
	assert_null(g.c[1]);
	assert_int_equal(g.line[1], 4);
	assert_string_equal(g.why[1], "no name, email or phone");
	assert_int_equal(g.line[2], 5);
	got_free(&g);
}

static void test_csv__parse__tags_deduplicated(void **state)
{
	struct got g = { 0 };
	struct sbuf in;

	sbuf_init(&in);
	sbuf_add(&in, "\"First Name\",\"Last Name\",\"Categories\"\r\n"
		 "A,B,\" b ; a;b;;c ;a\"\r\nC,D,");
	for (int i = 0; i < 20000; i++)
		sbuf_add(&in, i % 3 ? "x;" : "y;");
	sbuf_add(&in, "\r\n");
	assert_int_equal(parse(in.s, in.len, &g, NULL), 2);
	assert_tags(g.c[0], 3, "b", "a", "c");
	assert_tags(g.c[1], 2, "y", "x");
	got_free(&g);
	sbuf_free(&in);
}

static void test_csv__parse__callback_stops(void **state)
{
	struct got g = { .stop_after = 2 };
	const char *in = "Name\nA\nB\nC\nD\n";

	assert_int_equal(parse_str(in, &g, NULL), 2);
	assert_int_equal(g.n, 2);
	got_free(&g);
}

/* ---- headers ------------------------------------------------------------ */

static void test_csv__parse__unknown_header_rejected(void **state)
{
	char *err = NULL;
	enum csv_layout l = CSV_GOOGLE;
	const char *in = "foo,bar\n1,2\n";

	assert_int_equal(csv_parse(in, strlen(in), collect, NULL, &l, &err),
			 -1);
	assert_int_equal(l, CSV_UNKNOWN);
	assert_non_null(err);
	assert_non_null(strstr(err, "CSV header not recognised"));
	assert_non_null(strstr(err, "Google Contacts, Outlook or confab"));
	assert_non_null(strstr(err, "(found \"foo\",\"bar\")"));
	free(err);
}

static void test_csv__parse__empty_input_rejected(void **state)
{
	char *err = NULL;

	assert_int_equal(csv_parse("", 0, collect, NULL, NULL, &err), -1);
	assert_non_null(err);
	free(err);
	assert_int_equal(csv_parse("\r\n\n", 3, collect, NULL, NULL, NULL),
			 -1);
}

static void test_csv__parse__generic_header(void **state)
{
	struct got g = { 0 };
	enum csv_layout l;
	const char *in = "Full Name,Email Address,Mobile,Company,Title,UID\n"
			 "Gina Generic,g@example.com,+1 555 1,Gen Inc,Boss,"
			 "  uid-1  \n";

	assert_int_equal(parse_str(in, &g, &l), 1);
	assert_int_equal(l, CSV_UNKNOWN);
	assert_string_equal(g.c[0]->fn, "Gina Generic");
	assert_string_equal(g.c[0]->org, "Gen Inc");
	assert_string_equal(g.c[0]->title, "Boss");
	assert_string_equal(g.c[0]->uid, "uid-1");
	assert_field(g.c[0], CF_PHONE, 0, "mobile", "+1 555 1", false);
	got_free(&g);
}

static void test_csv__parse__birthday_formats(void **state)
{
	static const struct {
		const char *in, *bday;
	} t[] = {
		{ "4/12/1985", "1985-04-12" }, { "04/02/1990", "1990-04-02" },
		{ "25/12/1990", "1990-12-25" }, { "24.12.1990", "1990-12-24" },
		{ "1990/12/24", "1990-12-24" }, { "19901224", "1990-12-24" },
		{ "4/12/85", "1985-04-12" }, { "1990-4-2", "1990-04-02" },
		{ "0/0/00", NULL }, { "0/0/0000", NULL }, { "", NULL },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct got g = { 0 };
		char *in = xasprintf("Name,Birthday\nX,%s\n", t[i].in);
		assert_int_equal(parse_str(in, &g, NULL), 1);
		if (t[i].bday)
			assert_string_equal(g.c[0]->bday, t[i].bday);
		else
			assert_null(g.c[0]->bday);
		assert_null(g.c[0]->notes);
		got_free(&g);
		free(in);
	}
}

static void test_csv__parse__bad_birthday_kept_in_notes(void **state)
{
	struct got g = { 0 };
	const char *in = "Name,Birthday,Notes\n"
			 "A,1990-13-40,met once\n"
			 "B,  next Tuesday  ,\n";

	assert_int_equal(parse_str(in, &g, NULL), 2);
	assert_null(g.c[0]->bday);
	assert_string_equal(g.c[0]->notes, "met once\nBirthday: 1990-13-40");
	assert_string_equal(g.c[1]->notes, "Birthday: next Tuesday");
	got_free(&g);
}

static void test_csv__parse__huge_field(void **state)
{
	struct got g = { 0 };
	struct sbuf in;
	size_t big = 10u << 20;

	sbuf_init(&in);
	sbuf_add(&in, "Name,Notes\nHuge,\"");
	char *fill = xmalloc(big);
	memset(fill, 'x', big);
	fill[big / 2] = '\n';
	sbuf_addn(&in, fill, big);
	sbuf_add(&in, "\"\nAfter,y\n");
	free(fill);
	assert_int_equal(parse(in.s, in.len, &g, NULL), 2);
	assert_int_equal(strlen(g.c[0]->notes), big);
	assert_int_equal(g.line[1], 4);
	got_free(&g);
	sbuf_free(&in);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv__parse__google_multi_values),
		cmocka_unit_test(test_csv__parse__google_birthdays),
		cmocka_unit_test(test_csv__parse__google_formatted_address_only),
		cmocka_unit_test(test_csv__parse__google_file),
		cmocka_unit_test(test_csv__parse__google_old),
		cmocka_unit_test(test_csv__parse__outlook_windows1252),
		cmocka_unit_test(test_csv__parse__outlook_utf16le),
		cmocka_unit_test(test_csv__parse__utf8_bom),
		cmocka_unit_test(test_csv__parse__quoted_fields),
		cmocka_unit_test(test_csv__parse__semicolon_separated),
		cmocka_unit_test(test_csv__parse__tab_separated),
		cmocka_unit_test(test_csv__parse__line_ends_and_blank_rows),
		cmocka_unit_test(test_csv__parse__ragged_rows),
		cmocka_unit_test(test_csv__parse__unterminated_quote),
		cmocka_unit_test(test_csv__parse__skipped_row_has_reason_and_line),
		cmocka_unit_test(test_csv__parse__tags_deduplicated),
		cmocka_unit_test(test_csv__parse__callback_stops),
		cmocka_unit_test(test_csv__parse__unknown_header_rejected),
		cmocka_unit_test(test_csv__parse__empty_input_rejected),
		cmocka_unit_test(test_csv__parse__generic_header),
		cmocka_unit_test(test_csv__parse__birthday_formats),
		cmocka_unit_test(test_csv__parse__bad_birthday_kept_in_notes),
		cmocka_unit_test(test_csv__parse__huge_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
