/* store/srv_media: pictures confabd keeps — users' profile photos and
 * companies' logos — as blobs with their type, size and checksum (see
 * store/server.h).  The caller checks the bytes and computes the
 * checksum; this module stores and finds. */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* db_stmt caches by the literal's address: one literal per table. */
static const char *const sql_set[] = {
	[SRV_PHOTO] = "INSERT INTO user_photos(user_id, type, data, sha256, "
		      "width, height, updated) VALUES (?, ?, ?, ?, ?, ?, ?) "
		      "ON CONFLICT(user_id) DO UPDATE SET type = excluded.type,"
		      " data = excluded.data, sha256 = excluded.sha256, width ="
		      " excluded.width, height = excluded.height, updated = "
		      "excluded.updated",
	[SRV_LOGO] = "INSERT INTO company_logos(company_id, type, data, sha256,"
		     " width, height, updated) VALUES (?, ?, ?, ?, ?, ?, ?) "
		     "ON CONFLICT(company_id) DO UPDATE SET type = excluded.type,"
		     " data = excluded.data, sha256 = excluded.sha256, width = "
		     "excluded.width, height = excluded.height, updated = "
		     "excluded.updated",
};
static const char *const sql_get[] = {
	[SRV_PHOTO] = "SELECT type, data, sha256, width, height, updated FROM "
		      "user_photos WHERE user_id = ?",
	[SRV_LOGO] = "SELECT type, data, sha256, width, height, updated FROM "
		     "company_logos WHERE company_id = ?",
};
static const char *const sql_del[] = {
	[SRV_PHOTO] = "DELETE FROM user_photos WHERE user_id = ?",
	[SRV_LOGO] = "DELETE FROM company_logos WHERE company_id = ?",
};
static const char *const sql_has[] = {
	[SRV_PHOTO] = "SELECT 1 FROM user_photos WHERE user_id = ?",
	[SRV_LOGO] = "SELECT 1 FROM company_logos WHERE company_id = ?",
};

void srv_media_clear(struct srv_media *m)
{
	if (!m)
		return;
	free(m->type);
	free(m->data);
	free(m->sha256);
	memset(m, 0, sizeof *m);
}

int srv_media_set(struct db *db, enum srv_media_kind k, int64_t owner,
		  const struct srv_media *m)
{
	sqlite3_stmt *st = db_stmt(db, sql_set[k]);

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, m->type, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, m->data, m->len, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, m->width);
	sqlite3_bind_int(st, 6, m->height);
	sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
	return db_step_done(st);
}

int srv_media_get(struct db *db, enum srv_media_kind k, int64_t owner,
		  struct srv_media *out)
{
	sqlite3_stmt *st = db_stmt(db, sql_get[k]);
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(st, 1);
		out->len = (size_t)sqlite3_column_bytes(st, 1);
		out->data = xmalloc(out->len ? out->len : 1);
		if (out->len)
			memcpy(out->data, b, out->len);
		out->type = db_col_dup(st, 0);
		out->sha256 = db_col_dup(st, 2);
		out->width = sqlite3_column_int(st, 3);
		out->height = sqlite3_column_int(st, 4);
		out->updated = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int srv_media_delete(struct db *db, enum srv_media_kind k, int64_t owner)
{
	sqlite3_stmt *st = db_stmt(db, sql_del[k]);

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

bool srv_media_exists(struct db *db, enum srv_media_kind k, int64_t owner)
{
	sqlite3_stmt *st = db_stmt(db, sql_has[k]);
	bool yes;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, owner);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

bool srv_user_has_photo(struct db *db, int64_t user_id)
{
	return srv_media_exists(db, SRV_PHOTO, user_id);
}
