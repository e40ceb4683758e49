/* store/srv_sync: confabd's copy of synced records (see store/server.h;
 * schema v8). */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void srv_items_free(struct srv_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].uid);
		free(v[i].data);
	}
	free(v);
}

static void item_row(sqlite3_stmt *st, struct srv_item *it)
{
	it->kind = db_col_dup(st, 0);
	it->uid = db_col_dup(st, 1);
	it->rev = sqlite3_column_int64(st, 2);
	it->deleted = sqlite3_column_int(st, 3);
	it->data = db_col_dup(st, 4);
	it->owner = sqlite3_column_int64(st, 5);
}

int srv_item_get(struct db *db, int64_t company, int64_t owner,
		 const char *kind, const char *uid, struct srv_item *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT kind, uid, rev, deleted, data, "
				   "owner_id FROM sync_items WHERE company_id "
				   "= ? AND owner_id = ? AND kind = ? AND uid = "
				   "?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, company);
	sqlite3_bind_int64(st, 2, owner);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, uid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		item_row(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int srv_item_put(struct db *db, int64_t company, int64_t owner,
		 const char *kind, const char *uid, const char *data,
		 int64_t by, int64_t *rev)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE counters SET value = value + 1 "
				   "WHERE name = 'sync' RETURNING value");

	if (!st)
		return -EIO;
	*rev = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		*rev = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (*rev < 0)
		return -EIO;
	st = db_stmt(db, "INSERT INTO sync_items(company_id, owner_id, kind, "
		     "uid, rev, deleted, data, updated_by, updated) VALUES (?1, "
		     "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(company_id, "
		     "owner_id, kind, uid) DO UPDATE SET rev = ?5, deleted = ?6, "
		     "data = ?7, updated_by = ?8, updated = ?9");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, company);
	sqlite3_bind_int64(st, 2, owner);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, *rev);
	sqlite3_bind_int(st, 6, data == NULL);
	if (data)
		sqlite3_bind_text(st, 7, data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, by);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	return db_step_done(st);
}

int srv_items_since(struct db *db, int64_t company, int64_t owner,
		    bool shared, int64_t rev, size_t limit,
		    struct srv_item **out, size_t *n)
{
	/* two index ranges (own, shared) merged by rev */
	sqlite3_stmt *st = db_stmt(db, "SELECT kind, uid, rev, deleted, data, "
				   "owner_id FROM sync_items WHERE company_id "
				   "= ?1 AND owner_id IN (?2, CASE WHEN ?3 THEN "
				   "0 ELSE ?2 END) AND rev > ?4 ORDER BY rev "
				   "LIMIT ?5");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, company);
	sqlite3_bind_int64(st, 2, owner);
	sqlite3_bind_int(st, 3, shared);
	sqlite3_bind_int64(st, 4, rev);
	sqlite3_bind_int64(st, 5, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		item_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int64_t srv_sync_rev(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT value FROM counters WHERE name "
				   "= 'sync'");

	if (!st)
		return 0;
	return db_step_int64(st, 0);
}

char *srv_sync_key_get(struct db *db, int64_t user, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT result FROM sync_keys WHERE "
				   "user_id = ? AND key = ?");
	char *r = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, user);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = db_col_dup(st, 0);
	sqlite3_reset(st);
	return r;
}

int srv_sync_key_put(struct db *db, int64_t user, const char *key,
		     const char *result)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO sync_keys("
				   "user_id, key, result, created) VALUES (?, ?, "
				   "?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	return db_step_done(st);
}
