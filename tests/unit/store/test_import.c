/* Unit tests for store/import and store/export. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/books.h"
#include "store/contacts.h"
#include "store/db.h"
#include "store/export.h"
#include "store/import.h"
#include "common/str.h"

struct fx {
	char dir[64];
	struct db *db;
	int64_t book;
	struct import_opts o;
	size_t progress_calls, last_done, last_total;
};

static void on_progress(void *arg, size_t done, size_t total)
{
	struct fx *f = arg;

	f->progress_calls++;
	assert_true(done <= total);
	f->last_done = done;
	f->last_total = total;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *err = NULL;

	strcpy(f->dir, "/tmp/confab-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char *path = xasprintf("%s/confab.db", f->dir);
	assert_int_equal(db_open(&f->db, path, db_client_migrations,
				 db_client_nmigrations, &err), 0);
	free(path);
	assert_int_equal(books_default(f->db, &f->book), 0);
	f->o = (struct import_opts){ .book_id = f->book, .dup = IMPORT_DUP_MERGE,
				     .region = "GB", .progress = on_progress,
				     .arg = f };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	db_close(f->db);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

static const char cards[] =
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-1\r\nFN:Ada Lovelace\r\n"
	"N:Lovelace;Ada;;;\r\nEMAIL;TYPE=work:ada@example.com\r\n"
	"X-SKYPE:ada.l\r\nitem1.X-CUSTOM:custom value\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nX-ADDRESSBOOKSERVER-KIND:"
	"group\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name here\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\n"
	"TEL;TYPE=cell:+1 202 555 0100\r\nEND:VCARD\r\n";

static void test_import__buffer__reports_imported_and_skipped(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;

	assert_int_equal(import_buffer(f->db, "cards.vcf", cards,
				       strlen(cards), &f->o, &r, &err), 0);
	assert_int_equal(r.imported, 2);
	assert_int_equal(r.skipped, 2);
	assert_int_equal(r.nskips, 2);
	assert_string_equal(r.skips[0].file, "cards.vcf");
	assert_int_equal(r.skips[0].line, 10);
	assert_non_null(strstr(r.skips[0].reason, "group"));
	assert_int_equal(r.skips[1].line, 15);
	assert_string_equal(r.format, "vCard");
	assert_int_equal(f->last_done, 4);
	assert_int_equal(contacts_count(f->db, 0), 2);
	import_report_clear(&r);
}

static void test_import__buffer__duplicates_merge_or_skip(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;
	static const char again[] =
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A. Lovelace\r\n"
		"EMAIL:ADA@example.com\r\nTEL:020 7946 0958\r\nEND:VCARD\r\n";

	assert_int_equal(import_buffer(f->db, "a", cards, strlen(cards), &f->o,
				       &r, &err), 0);
	import_report_clear(&r);
	f->o.dup = IMPORT_DUP_SKIP;
	assert_int_equal(import_buffer(f->db, "b", again, strlen(again), &f->o,
				       &r, &err), 0);
	assert_int_equal(r.imported, 0);
	assert_int_equal(r.skipped, 1);
	assert_non_null(strstr(r.skips[0].reason, "duplicate"));
	import_report_clear(&r);
	f->o.dup = IMPORT_DUP_MERGE;
	assert_int_equal(import_buffer(f->db, "c", again, strlen(again), &f->o,
				       &r, &err), 0);
	assert_int_equal(r.merged, 1);
	import_report_clear(&r);
	assert_int_equal(contacts_count(f->db, 0), 2);
	int64_t *ids;
	size_t n;
	assert_int_equal(contacts_search(f->db, "lovelace", 0, 10, &ids, &n,
					 NULL), 0);
	assert_int_equal(n, 1);
	struct contact *c;
	assert_int_equal(contacts_get(f->db, ids[0], &c), 0);
	assert_string_equal(c->fn, "Ada Lovelace");	/* kept */
	assert_int_equal(c->nfields, 2);		/* phone added */
	contact_free(c);
	free(ids);
	/* the merged phone is in the search index too */
	assert_int_equal(contacts_search(f->db, "020 7946", 0, 10, &ids, &n,
					 NULL), 0);
	assert_int_equal(n, 1);
	free(ids);
	/* the same UID again merges instead of failing the unique index */
	f->o.dup = IMPORT_DUP_MERGE;
	assert_int_equal(import_buffer(f->db, "d", cards, strlen(cards), &f->o,
				       &r, &err), 0);
	assert_int_equal(r.merged, 2);
	import_report_clear(&r);
	assert_int_equal(contacts_count(f->db, 0), 2);
}

static void test_import__buffer__bad_file_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;
	static const char bad[] = "colour,flavour\nred,sweet\n";

	assert_int_equal(import_buffer(f->db, "ok", cards, strlen(cards), &f->o,
				       &r, &err), 0);
	import_report_clear(&r);
	assert_int_not_equal(import_buffer(f->db, "bad.csv", bad, strlen(bad),
					   &f->o, &r, &err), 0);
	assert_non_null(err);
	assert_non_null(strstr(err, "bad.csv"));
	free(err);
	import_report_clear(&r);
	assert_int_equal(contacts_count(f->db, 0), 2);
}

static void test_import__path__missing_file_message(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;

	assert_int_not_equal(import_path(f->db, "/nonexistent/x.vcf", &f->o, &r,
					 &err), 0);
	assert_non_null(strstr(err, "No such file"));
	free(err);
	import_report_clear(&r);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct sbuf b;
	char buf[4096];
	size_t k;

	assert_non_null(fp);
	sbuf_init(&b);
	while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
		sbuf_addn(&b, buf, k);
	fclose(fp);
	return sbuf_take(&b);
}

static void round_trip(struct fx *f, enum export_format fmt, const char *ext)
{
	struct import_report r;
	char *err = NULL;
	int64_t *ids, other;
	size_t n;

	assert_int_equal(import_buffer(f->db, "a", cards, strlen(cards), &f->o,
				       &r, &err), 0);
	import_report_clear(&r);
	assert_int_equal(contacts_ids(f->db, f->book, CONTACTS_SORT_NAME, &ids,
				      &n), 0);
	char *out = xasprintf("%s/out.%s", f->dir, ext);
	assert_int_equal(export_file(f->db, ids, n, fmt, out, &err), 0);
	free(ids);
	assert_int_equal(books_add(f->db, "Copy", &other), 0);
	struct import_opts o = f->o;
	o.book_id = other;
	assert_int_equal(import_path(f->db, out, &o, &r, &err), 0);
	assert_int_equal(r.imported, 2);
	import_report_clear(&r);
	assert_int_equal(contacts_count(f->db, other), 2);
	if (fmt != EXPORT_CSV) {
		char *text = slurp(out);
		assert_non_null(strstr(text, "X-SKYPE:ada.l"));
		assert_non_null(strstr(text, "item1.X-CUSTOM:custom value"));
		assert_non_null(strstr(text, "UID:u-1"));
		free(text);
	}
	free(out);
}

static void test_export__file__vcard3_round_trip(void **state)
{
	round_trip(*state, EXPORT_VCARD3, "vcf");
}

static void test_export__file__vcard4_round_trip(void **state)
{
	round_trip(*state, EXPORT_VCARD4, "vcf");
}

static void test_export__file__csv_round_trip(void **state)
{
	round_trip(*state, EXPORT_CSV, "csv");
}

static void test_export__vdir__one_file_each_and_reimport(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;
	int64_t *ids, other;
	size_t n;

	assert_int_equal(import_buffer(f->db, "a", cards, strlen(cards), &f->o,
				       &r, &err), 0);
	import_report_clear(&r);
	assert_int_equal(contacts_ids(f->db, 0, CONTACTS_SORT_NAME, &ids, &n), 0);
	char *dir = xasprintf("%s/vdir", f->dir);
	assert_int_equal(export_vdir(f->db, ids, n, EXPORT_VCARD3, dir, &err), 0);
	free(ids);
	char *one = xasprintf("%s/u-1.vcf", dir);
	assert_int_equal(access(one, R_OK), 0);
	free(one);
	char *cmd = xasprintf("test $(ls '%s' | wc -l) -eq 2", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(books_add(f->db, "From vdir", &other), 0);
	struct import_opts o = f->o;
	o.book_id = other;
	f->last_done = 0;
	assert_int_equal(import_path(f->db, dir, &o, &r, &err), 0);
	assert_int_equal(r.imported, 2);
	assert_string_equal(r.format, "vdir");
	assert_int_equal(f->last_total, 2);
	import_report_clear(&r);
	assert_int_equal(export_vdir(f->db, NULL, 0, EXPORT_CSV, dir, &err),
			 -22);
	free(err);
	free(dir);
}

/* Files are read a chunk at a time: cards across chunk boundaries, a card
 * bigger than a chunk, and line numbers after many chunks stay right. */
static void test_import__path__large_file_in_chunks(void **state)
{
	struct fx *f = *state;
	char *path = xasprintf("%s/big.vcf", f->dir);
	FILE *fp = fopen(path, "wb");
	unsigned line = 1, bad_line = 0;
	struct import_report r;
	char *err = NULL;

	assert_non_null(fp);
	for (int i = 0; i < 12000; i++) {
		if (i == 11000) {
			bad_line = line;
			fputs("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nameless\r\n"
			      "END:VCARD\r\n", fp);
			line += 4;
			continue;
		}
		fprintf(fp, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-%d\r\n"
			"FN:Person %d\r\nEMAIL:p%d@example.com\r\n"
			"NOTE:%s\r\nEND:VCARD\r\n", i, i, i,
			"some padding text to make the file span chunks");
		line += 7;
		if (i == 5000) {	/* one card larger than a chunk */
			fputs("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge Note\r\n"
			      "NOTE:", fp);
			for (int k = 0; k < (3 << 20) / 64; k++)
				fputs("0123456789012345678901234567890123456789"
				      "012345678901234567890123", fp);
			fputs("\r\nEND:VCARD\r\n", fp);
			line += 5;
		}
	}
	fclose(fp);
	assert_int_equal(import_path(f->db, path, &f->o, &r, &err), 0);
	assert_int_equal(r.imported, 12000);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.skips[0].line, bad_line);
	assert_true(f->last_done == f->last_total);
	import_report_clear(&r);
	int64_t *ids;
	size_t n;
	assert_int_equal(contacts_search(f->db, "huge", 0, 10, &ids, &n, NULL), 0);
	assert_int_equal(n, 1);
	struct contact *c;
	assert_int_equal(contacts_get(f->db, ids[0], &c), 0);
	assert_int_equal(strlen(c->notes), (size_t)(3 << 20));
	contact_free(c);
	free(ids);
	free(path);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_import__buffer__reports_imported_and_skipped),
		T(test_import__buffer__duplicates_merge_or_skip),
		T(test_import__buffer__bad_file_changes_nothing),
		T(test_import__path__missing_file_message),
		T(test_import__path__large_file_in_chunks),
		T(test_export__file__vcard3_round_trip),
		T(test_export__file__vcard4_round_trip),
		T(test_export__file__csv_round_trip),
		T(test_export__vdir__one_file_each_and_reimport),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
