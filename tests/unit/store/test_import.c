/* Unit tests for store/import and store/export. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
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

/* ---- large imports (the bulk path of store/contacts_bulk.c) -------------- */

/* The contact tables' indexes as "name:sql" lines, to compare. */
static char *index_list(struct db *db)
{
	sqlite3_stmt *st;
	struct sbuf b;

	sbuf_init(&b);
	assert_int_equal(sqlite3_prepare_v2(db_handle(db),
		"SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
		"AND tbl_name LIKE 'contact%' ORDER BY name", -1, &st, NULL),
		SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sbuf_printf(&b, "%s:%s\n", sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1) ?
				    (const char *)sqlite3_column_text(st, 1) : "");
	sqlite3_finalize(st);
	return sbuf_take(&b);
}

/* n cards; card i has UID b-i, email e<i>@example.org and a GB mobile.
 * Cards at i % 50 == 7 repeat the UID of card i-1; at i % 50 == 20 they
 * share card i-2's phone written another way. */
static char *bulk_cards(int n)
{
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 0; i < n; i++) {
		int uid = i % 50 == 7 ? i - 1 : i;
		int tel = i % 50 == 20 ? i - 2 : i;
		sbuf_printf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b-%d\r\n"
			    "FN:Bulk Person %d\r\nEMAIL:e%d@example.org\r\n"
			    "TEL:%s%06d\r\nEND:VCARD\r\n", uid, i, i,
			    i % 50 == 20 ? "+44 7700 " : "07700 ", tel);
	}
	return sbuf_take(&b);
}

static void test_import__bulk__duplicates_and_indexes(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL, *before = index_list(f->db);
	/* already stored: the owner of e3000@example.org, and one of
	 * +447700000100 */
	static const char stored[] =
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Old Friend\r\n"
		"EMAIL:E3000@Example.org\r\nNOTE:kept\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Old Caller\r\n"
		"TEL:+44 7700 000100\r\nEND:VCARD\r\n";

	assert_int_equal(import_buffer(f->db, "old", stored, strlen(stored),
				       &f->o, &r, &err), 0);
	import_report_clear(&r);
	char *big = bulk_cards(5000);
	assert_int_equal(import_buffer(f->db, "big", big, strlen(big), &f->o,
				       &r, &err), 0);
	/* 100 repeated UIDs and 100 repeated phones, plus the two stored */
	assert_int_equal(r.merged, 202);
	assert_int_equal(r.imported, 5000 - 202);
	import_report_clear(&r);
	assert_int_equal(contacts_count(f->db, 0), 2 + 5000 - 202);

	/* every index is back, as it was */
	char *after = index_list(f->db);
	assert_string_equal(before, after);
	free(after);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
		"PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);

	/* the stored contact got the card's phone; search finds it by both */
	int64_t *ids;
	size_t n;
	assert_int_equal(contacts_search(f->db, "old friend", 0, 10, &ids, &n,
					 NULL), 0);
	assert_int_equal(n, 1);
	struct contact *c;
	assert_int_equal(contacts_get(f->db, ids[0], &c), 0);
	assert_string_equal(c->notes, "kept");
	assert_non_null(contact_first(c, CF_PHONE));
	contact_free(c);
	free(ids);
	assert_int_equal(contacts_search(f->db, "07700 003000", 0, 10, &ids,
					 &n, NULL), 0);
	assert_int_equal(n, 1);
	free(ids);
	/* sorted listing works off the rebuilt index */
	assert_int_equal(contacts_ids(f->db, 0, CONTACTS_SORT_NAME, &ids, &n),
			 0);
	assert_int_equal(n, 2 + 5000 - 202);
	free(ids);

	/* again, skipping: every card is now a duplicate */
	f->o.dup = IMPORT_DUP_SKIP;
	assert_int_equal(import_buffer(f->db, "big", big, strlen(big), &f->o,
				       &r, &err), 0);
	assert_int_equal(r.imported, 0);
	assert_int_equal(r.skipped, 5000);
	import_report_clear(&r);
	free(big);
	free(before);
}

static void test_import__bulk__failure_restores_everything(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL, *before;

	assert_int_equal(import_buffer(f->db, "a", cards, strlen(cards), &f->o,
				       &r, &err), 0);
	import_report_clear(&r);
	before = index_list(f->db);
	/* the 4000th card cannot be written */
	assert_int_equal(sqlite3_exec(db_handle(f->db),
		"CREATE TEMP TRIGGER boom BEFORE INSERT ON contacts "
		"WHEN NEW.fn = 'Bulk Person 3999' BEGIN "
		"SELECT RAISE(ABORT, 'disk on fire'); END", NULL, NULL, NULL),
		SQLITE_OK);
	char *big = bulk_cards(5000);
	assert_int_not_equal(import_buffer(f->db, "big.vcf", big, strlen(big),
					   &f->o, &r, &err), 0);
	assert_non_null(err);
	assert_non_null(strstr(err, "nothing was imported"));
	free(err);
	import_report_clear(&r);
	free(big);
	assert_int_equal(contacts_count(f->db, 0), 2);
	char *after = index_list(f->db);
	assert_string_equal(before, after);
	free(after);
	free(before);
}

static char *write_file(struct fx *f, const char *name, const char *data)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, strlen(data), fp), strlen(data));
	fclose(fp);
	return path;
}

static void fts_check(struct db *db)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_exec(db_handle(db), "INSERT INTO contacts_fts("
				      "contacts_fts) VALUES ('integrity-check')",
				      NULL, NULL, NULL), SQLITE_OK);
	/* merging as it goes again, once the import is in */
	assert_int_equal(sqlite3_prepare_v2(db_handle(db), "SELECT v FROM "
		"contacts_fts_config WHERE k = 'automerge'", -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 4);
	sqlite3_finalize(st);
}

/* A large file: read and parsed on the feed's thread, stored on this one,
 * duplicates found in the key table; the search index is whole. */
static void test_import__bulk_file__feed_and_key_table(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	/* (the size of 10000 cards in the file says "bulk") */
	char *err = NULL, *big = bulk_cards(10000);
	char *path = write_file(f, "big.vcf", big);
	int64_t *ids;
	size_t n;

	assert_int_equal(import_path(f->db, path, &f->o, &r, &err), 0);
	assert_int_equal(r.merged, 400);
	assert_int_equal(r.imported, 9600);
	assert_true(f->last_done == f->last_total);
	import_report_clear(&r);
	fts_check(f->db);
	/* card 20 (+44 7700 000018) merged into card 18, which search
	 * finds by card 20's email */
	assert_int_equal(contacts_search(f->db, "e20 example org", 0, 10, &ids,
					 &n, NULL), 0);
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		struct contact *c;
		assert_int_equal(contacts_get(f->db, ids[i], &c), 0);
		for (size_t k = 0; k < c->nfields; k++)
			if (strcmp(c->fields[k].value, "e20@example.org") == 0) {
				assert_string_equal(c->fn, "Bulk Person 18");
				found = true;
			}
		contact_free(c);
	}
	assert_true(found);
	free(ids);

	/* a failure part-way stops the reader and keeps nothing */
	assert_int_equal(sqlite3_exec(db_handle(f->db),
		"CREATE TEMP TRIGGER boom BEFORE INSERT ON contacts "
		"WHEN NEW.fn = 'Bulk Person 3999' BEGIN "
		"SELECT RAISE(ABORT, 'disk on fire'); END", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_exec(db_handle(f->db), "DELETE FROM contacts",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(import_path(f->db, path, &f->o, &r, &err), 0);
	assert_non_null(strstr(err, "nothing was imported"));
	free(err);
	import_report_clear(&r);
	assert_int_equal(contacts_count(f->db, 0), 0);
	free(path);
	free(big);
}

/* Cards with many keys each outgrow the key table's first size; the
 * duplicates are still all found, by their last email too. */
static void test_import__bulk__key_table_grows(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 0; i < 3000; i++) {
		sbuf_printf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many %d\r\n",
			    i);
		for (int k = 0; k < 9; k++)
			sbuf_printf(&b, "EMAIL:m%d.%d@example.org\r\n",
				    i % 100 == 55 && k == 8 ? i - 50 : i, k);
		sbuf_add(&b, "END:VCARD\r\n");
	}
	assert_int_equal(import_buffer(f->db, "many", b.s, b.len, &f->o, &r,
				       &err), 0);
	assert_int_equal(r.merged, 30);
	assert_int_equal(r.imported, 2970);
	import_report_clear(&r);
	sbuf_free(&b);
	fts_check(f->db);
}

/* Two different emails whose keys share the table's 32-bit fingerprint
 * (found by search): the second card is not taken for a duplicate. */
static void test_import__bulk__fingerprint_clash_not_a_duplicate(void **state)
{
	struct fx *f = *state;
	struct import_report r;
	char *err = NULL;
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 0; i < 2500; i++)
		sbuf_printf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Clash %d\r\n"
			    "EMAIL:%s\r\nEND:VCARD\r\n", i,
			    i == 10 ? "c3667@example.org" :
			    i == 2000 ? "C54909@example.org" : "x@y.org");
	assert_int_equal(import_buffer(f->db, "clash", b.s, b.len, &f->o, &r,
				       &err), 0);
	/* all but the first x@y.org merge; the clashing two stay apart */
	assert_int_equal(r.imported, 3);
	assert_int_equal(r.merged, 2497);
	import_report_clear(&r);
	sbuf_free(&b);
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
		T(test_import__bulk__duplicates_and_indexes),
		T(test_import__bulk__failure_restores_everything),
		T(test_import__bulk_file__feed_and_key_table),
		T(test_import__bulk__key_table_grows),
		T(test_import__bulk__fingerprint_clash_not_a_duplicate),
		T(test_export__file__vcard3_round_trip),
		T(test_export__file__vcard4_round_trip),
		T(test_export__file__csv_round_trip),
		T(test_export__vdir__one_file_each_and_reimport),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
