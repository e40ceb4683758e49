/* store/outbox: the queue of changes for confabd (see store/outbox.h). */
#include "store/outbox.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void outbox_items_free(struct outbox_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].kind);
		free(v[i].payload);
		free(v[i].error);
	}
	free(v);
}

int outbox_add(struct db *db, const char *account, const char *kind,
	       const char *payload, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO outbox(account, key, kind, "
				   "payload, created) VALUES (?, ?, ?, ?, ?)");
	char *key = uid_new();
	int rc;

	if (!st || !key) {
		free(key);
		return -EIO;
	}
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)time(NULL));
	rc = db_step_done(st);
	free(key);
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return rc;
}

static int read_items(sqlite3_stmt *st, struct outbox_item **out, size_t *n)
{
	size_t cap = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct outbox_item *it = &(*out)[(*n)++];
		it->id = sqlite3_column_int64(st, 0);
		it->key = db_col_dup(st, 1);
		it->kind = db_col_dup(st, 2);
		it->payload = db_col_dup(st, 3);
		it->created = sqlite3_column_int64(st, 4);
		it->attempts = sqlite3_column_int(st, 5);
		it->error = db_col_dup(st, 6);
		it->failed = sqlite3_column_int(st, 7);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

#define ITEM_COLS "SELECT id, key, kind, payload, created, attempts, error, " \
		  "failed FROM outbox "

int outbox_next(struct db *db, const char *account, size_t limit,
		struct outbox_item **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, ITEM_COLS "WHERE account = ? AND NOT "
				   "failed ORDER BY id LIMIT ?");

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	return read_items(st, out, n);
}

int outbox_list(struct db *db, const char *account,
		struct outbox_item **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, ITEM_COLS "WHERE account = ? ORDER BY "
				   "id");

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	return read_items(st, out, n);
}

static int change(struct db *db, sqlite3_stmt *st, int64_t id,
		  const char *why)
{
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (why)
		sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int outbox_done(struct db *db, int64_t id)
{
	return change(db, db_stmt(db, "DELETE FROM outbox WHERE id = ?"), id,
		      NULL);
}

int outbox_retry_later(struct db *db, int64_t id, const char *why)
{
	return change(db, db_stmt(db, "UPDATE outbox SET attempts = attempts "
				  "+ 1, error = ?2 WHERE id = ?1"), id, why);
}

int outbox_fail(struct db *db, int64_t id, const char *why)
{
	return change(db, db_stmt(db, "UPDATE outbox SET attempts = attempts "
				  "+ 1, error = ?2, failed = 1 WHERE id = ?1"),
		      id, why);
}

int outbox_revive(struct db *db, int64_t id)
{
	return change(db, db_stmt(db, "UPDATE outbox SET failed = 0, error = "
				  "NULL WHERE id = ? AND failed"), id, NULL);
}

int outbox_drop(struct db *db, int64_t id)
{
	return outbox_done(db, id);
}

int64_t outbox_count(struct db *db, const char *account, int64_t *failed)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*), total(failed) FROM "
				   "outbox WHERE account = ?");
	int64_t n = 0;

	if (failed)
		*failed = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		if (failed)
			*failed = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return n;
}
