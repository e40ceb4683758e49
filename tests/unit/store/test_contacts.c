/* Unit tests for store/db, store/books and store/contacts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/books.h"
#include "store/contacts.h"
#include "store/db.h"
#include "common/str.h"

struct fx {
	char dir[64];
	char *path;
	struct db *db;
	int64_t book;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *err = NULL;

	strcpy(f->dir, "/tmp/confab-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = xasprintf("%s/confab.db", f->dir);
	assert_int_equal(db_open(&f->db, f->path, db_client_migrations,
				 db_client_nmigrations, &err), 0);
	assert_int_equal(books_default(f->db, &f->book), 0);
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
	free(f->path);
	free(f);
	return 0;
}

static struct contact *person(const char *given, const char *family,
			      const char *email, const char *phone)
{
	struct contact *c = contact_new();

	c->given = xstrdup(given);
	c->family = xstrdup(family);
	if (email)
		contact_add_field(c, CF_EMAIL, "work", email);
	if (phone)
		contact_add_field(c, CF_PHONE, "mobile", phone);
	return c;
}

static int64_t add(struct fx *f, struct contact *c)
{
	char *err = NULL;

	c->book_id = f->book;
	assert_int_equal(contacts_save(f->db, c, "GB", &err), 0);
	assert_null(err);
	int64_t id = c->id;
	contact_free(c);
	return id;
}

static void test_db__open__migrates_and_sets_wal(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *st;

	/* the newest schema: the last migration's number */
	assert_int_equal(db_schema_version(f->db),
			 db_client_migrations[db_client_nmigrations - 1].version);
	sqlite3_prepare_v2(db_handle(f->db), "PRAGMA journal_mode", -1, &st,
			   NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db_handle(f->db), "PRAGMA foreign_keys", -1, &st,
			   NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
}

static void test_db__open__reopen_keeps_data(void **state)
{
	struct fx *f = *state;
	char *err = NULL;

	add(f, person("Ada", "Lovelace", "ada@example.com", NULL));
	db_close(f->db);
	assert_int_equal(db_open(&f->db, f->path, db_client_migrations,
				 db_client_nmigrations, &err), 0);
	assert_int_equal(contacts_count(f->db, 0), 1);
	assert_int_equal(db_schema_version(f->db),
			 db_client_migrations[db_client_nmigrations - 1].version);
}

static void test_db__open__refuses_newer_schema(void **state)
{
	struct fx *f = *state;
	struct db *db2;
	char *err = NULL;

	db_exec(f->db, "INSERT INTO schema_version VALUES (99, 0)");
	assert_int_equal(db_open(&db2, f->path, db_client_migrations,
				 db_client_nmigrations, &err), -EPROTO);
	assert_non_null(err);
	assert_non_null(strstr(err, "newer"));
	free(err);
}

static void test_db__open__failed_migration_rolls_back(void **state)
{
	struct fx *f = *state;
	static const struct db_migration bad[] = {
		{ 1, "CREATE TABLE a(x);" },
		{ 2, "CREATE TABLE b(x); THIS IS NOT SQL;" },
	};
	char *path = xasprintf("%s/other.db", f->dir);
	struct db *db2;
	char *err = NULL;

	assert_int_not_equal(db_open(&db2, path, bad, 2, &err), 0);
	assert_non_null(strstr(err, "migration 2"));
	free(err);
	err = NULL;
	/* version 1 and 2 were one transaction: neither table exists */
	assert_int_equal(db_open(&db2, path, bad, 1, &err), 0);
	assert_int_equal(db_schema_version(db2), 1);
	db_close(db2);
	free(path);
}

static void test_db__transaction__nested_rollback_undoes_all(void **state)
{
	struct fx *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	add(f, person("A", "One", NULL, "07700 900001"));
	assert_int_equal(db_begin(f->db), 0);
	add(f, person("B", "Two", NULL, "07700 900002"));
	db_rollback(f->db);
	assert_int_not_equal(db_commit(f->db), 0);
	assert_int_equal(contacts_count(f->db, 0), 0);
}

static void test_books__add__rename_remove(void **state)
{
	struct fx *f = *state;
	int64_t id, id2;
	struct book *b;
	size_t n;

	assert_int_equal(books_add(f->db, "Work", &id), 0);
	assert_int_equal(books_add(f->db, "work", &id2), -EEXIST);
	assert_int_equal(books_add(f->db, "", &id2), -EINVAL);
	assert_int_equal(books_add(f->db, " padded", &id2), -EINVAL);
	assert_int_equal(books_rename(f->db, "Work", "Clients"), 0);
	assert_int_equal(books_rename(f->db, "Nope", "X"), -ENOENT);
	assert_int_equal(books_rename(f->db, "Clients", "Personal"), -EEXIST);
	assert_int_equal(books_find(f->db, "clients", &id2), 0);
	assert_int_equal(id, id2);
	struct contact *c = person("C", "Lient", "c@example.com", NULL);
	c->book_id = id;
	char *err = NULL;
	assert_int_equal(contacts_save(f->db, c, "GB", &err), 0);
	contact_free(c);
	assert_int_equal(books_list(f->db, &b, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(b[0].name, "Clients");
	assert_int_equal(b[0].ncontacts, 1);
	books_free(b, n);
	assert_int_equal(books_remove(f->db, "Clients"), 0);
	assert_int_equal(contacts_count(f->db, 0), 0);
	assert_int_equal(books_remove(f->db, "Clients"), -ENOENT);
}

static void test_contacts__save__normalises_and_round_trips(void **state)
{
	struct fx *f = *state;
	struct contact *c = person("Ada", "Lovelace", "Ada@Example.COM",
				   "020 7946 0958");

	c->org = xstrdup("Analytical Engines");
	c->bday = xstrdup("--12-10");
	c->notes = xstrdup("line one\nline two");
	contact_add_tag(c, "math");
	contact_add_tag(c, "vip");
	c->extra = xstrdup("X-SKYPE:ada\r\n");
	int64_t id = add(f, c);
	struct contact *g;
	assert_int_equal(contacts_get(f->db, id, &g), 0);
	assert_string_equal(g->fn, "Ada Lovelace");
	assert_non_null(g->uid);
	assert_int_equal(g->nfields, 2);
	assert_string_equal(g->fields[0].value, "Ada@Example.COM");
	assert_string_equal(g->fields[0].norm, "ada@example.com");
	assert_string_equal(g->fields[1].value, "020 7946 0958");
	assert_string_equal(g->fields[1].norm, "+442079460958");
	assert_string_equal(g->bday, "--12-10");
	assert_string_equal(g->notes, "line one\nline two");
	assert_int_equal(g->ntags, 2);
	assert_string_equal(g->tags[1], "vip");
	assert_string_equal(g->extra, "X-SKYPE:ada\r\n");
	assert_true(g->created > 0);
	contact_free(g);
}

static void test_contacts__save__rejects_bad_birthday_and_empty(void **state)
{
	struct fx *f = *state;
	struct contact *c = person("Bad", "Date", NULL, NULL);
	char *err = NULL;

	c->book_id = f->book;
	c->bday = xstrdup("1990-13-40");
	assert_int_equal(contacts_save(f->db, c, "GB", &err), -EINVAL);
	assert_non_null(strstr(err, "1990-13-40"));
	free(err);
	err = NULL;
	contact_free(c);
	c = contact_new();
	c->book_id = f->book;
	assert_int_equal(contacts_save(f->db, c, "GB", &err), -EINVAL);
	free(err);
	contact_free(c);
	assert_int_equal(contacts_count(f->db, 0), 0);
}

static void test_contacts__save__update_replaces_fields(void **state)
{
	struct fx *f = *state;
	int64_t id = add(f, person("Al", "Pha", "a@x.org", "01632 960001"));
	struct contact *c;
	char *err = NULL;

	assert_int_equal(contacts_get(f->db, id, &c), 0);
	contact_remove_field(c, 0);
	contact_add_field(c, CF_EMAIL, "home", "al@home.org");
	assert_int_equal(contacts_save(f->db, c, "GB", &err), 0);
	contact_free(c);
	assert_int_equal(contacts_get(f->db, id, &c), 0);
	assert_int_equal(c->nfields, 2);
	contact_free(c);
	int64_t *ids;
	size_t n;
	assert_int_equal(contacts_search(f->db, "a@x", 0, 10, &ids, &n, NULL), 0);
	assert_int_equal(n, 0);	/* the index forgot the old email */
	free(ids);
	assert_int_equal(contacts_search(f->db, "al@home", 0, 10, &ids, &n,
					 NULL), 0);
	assert_int_equal(n, 1);
	free(ids);
}

static void test_contacts__search__prefix_name_org_email_phone(void **state)
{
	struct fx *f = *state;
	struct contact *c = person("Grace", "Hopper", "grace@navy.mil",
				   "+1 202 555 0100");
	c->org = xstrdup("US Navy");
	contact_add_tag(c, "pioneer");
	int64_t grace = add(f, c);
	int64_t ada = add(f, person("Ada", "Lovelace", "ada@example.com",
				    "020 7946 0958"));
	add(f, person("王", "小明", "wang@example.cn", NULL));
	int64_t *ids;
	size_t n;
	bool more;

	static const struct { const char *q; int n; } cases[] = {
		{ "gr", 1 }, { "hop", 1 }, { "grace hop", 1 }, { "navy", 1 },
		{ "grace@navy", 1 }, { "example", 2 }, { "020 7946", 1 },
		{ "2079460958", 1 }, { "+1 202", 1 }, { "pione", 1 },
		{ "zzz", 0 }, { "", 0 }, { "\"", 0 }, { "小明", 1 },
		{ "lovelace ada", 1 }, { "a", 1 }, { "ex", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(contacts_search(f->db, cases[i].q, 0, 10, &ids,
						 &n, &more), 0);
		if ((int)n != cases[i].n)
			fail_msg("search '%s': %zu results, expected %d",
				 cases[i].q, n, cases[i].n);
		free(ids);
	}
	assert_int_equal(contacts_search(f->db, "ex", 0, 1, &ids, &n, &more), 0);
	assert_int_equal(n, 1);
	assert_true(more);
	free(ids);
	/* results come ordered by family name: Hopper before Lovelace */
	assert_int_equal(contacts_search(f->db, "2", 0, 10, &ids, &n, &more), 0);
	free(ids);
	assert_int_equal(contacts_search(f->db, "+", 0, 10, &ids, &n, &more), 0);
	assert_int_equal(n, 0);
	free(ids);
	struct contact *g = person("Gary", "Lovelace", "gary@navy.mil", NULL);
	add(f, g);
	assert_int_equal(contacts_search(f->db, "navy", 0, 10, &ids, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], grace);
	free(ids);
	assert_int_equal(contacts_search(f->db, "lovelace", 0, 10, &ids, &n,
					 &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], ada);	/* Ada before Gary */
	free(ids);
}

static void test_contacts__ids__sorted_by_each_order(void **state)
{
	struct fx *f = *state;
	struct contact *a = person("Zed", "Adams", "z@a.org", NULL);
	a->org = xstrdup("Beta");
	int64_t ia = add(f, a);
	struct contact *b = person("Amy", "Young", "a@y.org", NULL);
	b->org = xstrdup("Alpha");
	int64_t ib = add(f, b);
	int64_t *ids;
	size_t n;

	assert_int_equal(contacts_ids(f->db, 0, CONTACTS_SORT_NAME, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], ia);	/* Adams < Young */
	free(ids);
	assert_int_equal(contacts_ids(f->db, 0, CONTACTS_SORT_GIVEN, &ids, &n), 0);
	assert_int_equal(ids[0], ib);	/* "Amy Young" < "Zed Adams" */
	free(ids);
	assert_int_equal(contacts_ids(f->db, 0, CONTACTS_SORT_ORG, &ids, &n), 0);
	assert_int_equal(ids[0], ib);	/* Alpha < Beta */
	free(ids);
	assert_int_equal(contacts_ids(f->db, f->book, CONTACTS_SORT_NAME, &ids,
				      &n), 0);
	assert_int_equal(n, 2);
	free(ids);
}

static void test_contacts__find_dup__by_uid_email_phone(void **state)
{
	struct fx *f = *state;
	struct contact *c = person("Dup", "Licate", "dup@example.com",
				   "07700 900123");
	c->uid = xstrdup("uid-1");
	int64_t id = add(f, c), got;

	struct contact *q = contact_new();
	q->uid = xstrdup("uid-1");
	assert_int_equal(contacts_find_dup(f->db, f->book, q, "GB", &got), 0);
	assert_int_equal(got, id);
	contact_free(q);
	q = person("Other", "Name", "DUP@example.com", NULL);
	assert_int_equal(contacts_find_dup(f->db, f->book, q, "GB", &got), 0);
	assert_int_equal(got, id);
	contact_free(q);
	q = person("Other", "Name", NULL, "+44 7700 900123");
	assert_int_equal(contacts_find_dup(f->db, f->book, q, "GB", &got), 0);
	assert_int_equal(got, id);
	contact_free(q);
	q = person("New", "Person", "new@example.com", "+44 7700 900999");
	assert_int_equal(contacts_find_dup(f->db, f->book, q, "GB", &got), 0);
	assert_int_equal(got, 0);
	contact_free(q);
}

static void test_contacts__delete__removes_from_index(void **state)
{
	struct fx *f = *state;
	int64_t id = add(f, person("Gone", "Soon", "gone@example.com", NULL));
	int64_t *ids;
	size_t n;

	assert_int_equal(contacts_delete(f->db, id), 0);
	assert_int_equal(contacts_delete(f->db, id), -ENOENT);
	assert_int_equal(contacts_search(f->db, "gone", 0, 10, &ids, &n, NULL), 0);
	assert_int_equal(n, 0);
	free(ids);
	struct contact_row r;
	assert_int_equal(contacts_row(f->db, id, &r), -ENOENT);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_db__open__migrates_and_sets_wal),
		T(test_db__open__reopen_keeps_data),
		T(test_db__open__refuses_newer_schema),
		T(test_db__open__failed_migration_rolls_back),
		T(test_db__transaction__nested_rollback_undoes_all),
		T(test_books__add__rename_remove),
		T(test_contacts__save__normalises_and_round_trips),
		T(test_contacts__save__rejects_bad_birthday_and_empty),
		T(test_contacts__save__update_replaces_fields),
		T(test_contacts__search__prefix_name_org_email_phone),
		T(test_contacts__ids__sorted_by_each_order),
		T(test_contacts__find_dup__by_uid_email_phone),
		T(test_contacts__delete__removes_from_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
