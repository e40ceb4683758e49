/* store/books: address books. */
#include "store/books.h"
#include "store/db.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int books_list(struct db *db, struct book **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT b.id, b.name, (SELECT count(*) FROM contacts c"
		" WHERE c.book_id = b.id) FROM books b ORDER BY b.name");
	struct book *v = NULL;
	size_t len = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	while (sqlite3_step(st) == SQLITE_ROW) {
		v = xrealloc(v, (len + 1) * sizeof *v);
		v[len].id = sqlite3_column_int64(st, 0);
		v[len].name = xstrdup((const char *)sqlite3_column_text(st, 1));
		v[len].ncontacts = sqlite3_column_int64(st, 2);
		len++;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return 0;
}

void books_free(struct book *b, size_t n)
{
	for (size_t i = 0; b && i < n; i++)
		free(b[i].name);
	free(b);
}

int books_find(struct db *db, const char *name, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM books WHERE name = ?");
	int rc = -ENOENT;

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

char *books_name(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT name FROM books WHERE id = ?");
	char *name = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		name = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return name;
}

static bool name_ok(const char *name)
{
	if (str_empty(name))
		return false;
	char *t = str_trim(xstrdup(name));
	bool ok = *t != '\0' && strlen(t) == strlen(name) &&
		  utf8_valid(name, strlen(name)) && !strpbrk(name, "\n\r\t");
	free(t);
	return ok;
}

int books_add(struct db *db, const char *name, int64_t *id)
{
	int64_t dummy;

	if (!name_ok(name))
		return -EINVAL;
	if (books_find(db, name, &dummy) == 0)
		return -EEXIST;
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO books(name, created, "
				   "updated) VALUES (?, ?, ?)");
	if (!st)
		return -EIO;
	int64_t now = time(NULL);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_reset(st);
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return rc;
}

int books_rename(struct db *db, const char *from, const char *to)
{
	int64_t id, other;

	if (!name_ok(to))
		return -EINVAL;
	if (books_find(db, from, &id) < 0)
		return -ENOENT;
	if (books_find(db, to, &other) == 0 && other != id)
		return -EEXIST;
	sqlite3_stmt *st = db_stmt(db, "UPDATE books SET name = ?, updated = ?"
				   " WHERE id = ?");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, time(NULL));
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_reset(st);
	return rc;
}

int books_remove(struct db *db, const char *name)
{
	int64_t id;

	if (books_find(db, name, &id) < 0)
		return -ENOENT;
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM books WHERE id = ?");
	if (!st)
		return -EIO;
	if (db_begin(db) < 0)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_reset(st);
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int books_default(struct db *db, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM books ORDER BY "
				   "name <> 'Personal', id LIMIT 1");
	int rc = -ENOENT;

	if (!st)
		return -EIO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_reset(st);
	if (rc == -ENOENT)
		rc = books_add(db, BOOKS_DEFAULT_NAME, id);
	return rc;
}
