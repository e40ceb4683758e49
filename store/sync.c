/* store/sync: sync bookkeeping (see store/sync.h). */
#include "store/sync.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void sync_entry_clear(struct sync_entry *e)
{
	free(e->kind);
	free(e->uid);
	memset(e, 0, sizeof *e);
}

void sync_entries_free(struct sync_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sync_entry_clear(&v[i]);
	free(v);
}

#define ENTRY_COLS "SELECT kind, uid, coalesce(local_id, 0), rev, dirty, " \
		   "queued FROM sync_map "

static void entry_row(sqlite3_stmt *st, struct sync_entry *e)
{
	e->kind = db_col_dup(st, 0);
	e->uid = db_col_dup(st, 1);
	e->local_id = sqlite3_column_int64(st, 2);
	e->rev = sqlite3_column_int64(st, 3);
	e->dirty = sqlite3_column_int(st, 4);
	e->queued = sqlite3_column_int(st, 5);
}

int sync_dirty(struct db *db, size_t limit, struct sync_entry **out,
	       size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, ENTRY_COLS "WHERE dirty AND NOT queued "
				   "ORDER BY CASE kind WHEN 'book' THEN 0 WHEN "
				   "'contact' THEN 1 WHEN 'crm' THEN 2 WHEN "
				   "'crm_note' THEN 3 ELSE 4 END LIMIT ?");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		entry_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static int one(sqlite3_stmt *st, struct sync_entry *out)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		entry_row(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int sync_get(struct db *db, const char *kind, const char *uid,
	     struct sync_entry *out)
{
	sqlite3_stmt *st = db_stmt(db, ENTRY_COLS "WHERE kind = ? AND uid = ?");

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	return one(st, out);
}

int sync_find_local(struct db *db, const char *kind, int64_t local_id,
		    struct sync_entry *out)
{
	sqlite3_stmt *st = db_stmt(db, ENTRY_COLS "WHERE kind = ? AND "
				   "local_id = ?");

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, local_id);
	return one(st, out);
}

int sync_set(struct db *db, const char *kind, const char *uid,
	     int64_t local_id, int64_t rev, bool dirty, bool queued)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO sync_map(kind, "
				   "uid, local_id, rev, dirty, queued) VALUES "
				   "(?, ?, ?, ?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	if (local_id)
		sqlite3_bind_int64(st, 3, local_id);
	sqlite3_bind_int64(st, 4, rev);
	sqlite3_bind_int(st, 5, dirty);
	sqlite3_bind_int(st, 6, queued);
	return db_step_done(st);
}

static int update(struct db *db, sqlite3_stmt *st, const char *kind,
		  const char *uid, int64_t v)
{
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, v);
	return db_step_done(st);
}

int sync_set_queued(struct db *db, const char *kind, const char *uid,
		    bool queued)
{
	return update(db, db_stmt(db, "UPDATE sync_map SET queued = ?3, dirty "
				  "= CASE WHEN ?3 THEN 0 ELSE dirty END WHERE "
				  "kind = ?1 AND uid = ?2"), kind, uid, queued);
}

int sync_acked(struct db *db, const char *kind, const char *uid,
	       int64_t rev)
{
	return update(db, db_stmt(db, "UPDATE sync_map SET queued = 0, rev = "
				  "max(rev, ?3) WHERE kind = ?1 AND uid = ?2"),
		      kind, uid, rev);
}

int sync_applying(struct db *db, bool on)
{
	return db_exec(db, on ? "UPDATE sync_ctl SET applying = 1" :
				"UPDATE sync_ctl SET applying = 0");
}

int64_t sync_pending(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM sync_map WHERE "
				   "dirty OR queued");

	if (!st)
		return 0;
	return db_step_int64(st, 0);
}

int sync_reset(struct db *db)
{
	return db_exec(db, "DELETE FROM sync_map WHERE local_id IS NULL") < 0 ||
	       db_exec(db, "UPDATE sync_map SET rev = 0, dirty = 1, queued = "
		       "0") < 0 ||
	       db_exec(db, "DELETE FROM sync_conflicts") < 0 ||
	       db_exec(db, "DELETE FROM sync_parked") < 0 ||
	       db_exec(db, "DELETE FROM settings WHERE key = 'sync.rev'") < 0 ?
	       -EIO : 0;
}

void sync_conflicts_free(struct sync_conflict *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].uid);
		free(v[i].mine);
		free(v[i].theirs);
	}
	free(v);
}

int sync_conflict_add(struct db *db, const char *kind, const char *uid,
		      const char *mine, const char *theirs, int64_t rev)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO sync_conflicts(kind, uid, "
				   "mine, theirs, rev, created) VALUES (?1, ?2, "
				   "?3, ?4, ?5, ?6) ON CONFLICT(kind, uid) DO "
				   "UPDATE SET mine = ?3, theirs = ?4, rev = ?5");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	db_bind_opt(st, 3, mine);
	db_bind_opt(st, 4, theirs);
	sqlite3_bind_int64(st, 5, rev);
	sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
	return db_step_done(st);
}

#define CONFLICT_COLS "SELECT id, rev, created, kind, uid, mine, theirs " \
		      "FROM sync_conflicts "

static void conflict_row(sqlite3_stmt *st, struct sync_conflict *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->rev = sqlite3_column_int64(st, 1);
	c->created = sqlite3_column_int64(st, 2);
	c->kind = db_col_dup(st, 3);
	c->uid = db_col_dup(st, 4);
	c->mine = db_col_dup(st, 5);
	c->theirs = db_col_dup(st, 6);
}

int sync_conflicts(struct db *db, struct sync_conflict **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, CONFLICT_COLS "ORDER BY id");
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		conflict_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int sync_conflict_get(struct db *db, int64_t id, struct sync_conflict *out)
{
	sqlite3_stmt *st = db_stmt(db, CONFLICT_COLS "WHERE id = ?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		conflict_row(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int sync_conflict_theirs(struct db *db, const char *kind, const char *uid,
			 const char *theirs, int64_t rev)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE sync_conflicts SET theirs = ?3,"
				   " rev = ?4 WHERE kind = ?1 AND uid = ?2 AND "
				   "rev < ?4");
	sqlite3_stmt *has = db_stmt(db, "SELECT 1 FROM sync_conflicts WHERE "
				    "kind = ? AND uid = ?");

	if (!st || !has)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	db_bind_opt(st, 3, theirs);
	sqlite3_bind_int64(st, 4, rev);
	if (db_step_done(st) < 0)
		return -EIO;
	sqlite3_bind_text(has, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(has, 2, uid, -1, SQLITE_STATIC);
	return (int)db_step_int64(has, 0);
}

int sync_conflict_drop(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM sync_conflicts WHERE id = "
				   "?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(st);
}

int64_t sync_conflict_count(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM sync_conflicts");

	if (!st)
		return 0;
	return db_step_int64(st, 0);
}

int sync_triggers_off(struct db *db, char ***sql, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT name, sql FROM sqlite_master "
				   "WHERE type = 'trigger' AND name LIKE "
				   "'sync\\_%' ESCAPE '\\'");
	char **names = NULL;
	int rc;

	*sql = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*sql = xrealloc(*sql, (*n + 1) * sizeof **sql);
		names = xrealloc(names, (*n + 1) * sizeof *names);
		names[*n] = db_col_dup(st, 0);
		(*sql)[(*n)++] = db_col_dup(st, 1);
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < *n; i++) {
		char *drop = xasprintf("DROP TRIGGER \"%s\"", names[i]);
		if (rc == SQLITE_DONE && db_exec(db, drop) < 0)
			rc = SQLITE_ERROR;
		free(drop);
		free(names[i]);
	}
	free(names);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int sync_triggers_on(struct db *db, char **sql, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && sqlite3_exec(db_handle(db), sql[i], NULL, NULL,
					    NULL) != SQLITE_OK)
			rc = -EIO;
		free(sql[i]);
	}
	free(sql);
	return rc;
}

/* ---- records waiting for another ------------------------------------------ */

void sync_parked_free(struct sync_parked *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].uid);
		free(v[i].data);
	}
	free(v);
}

int sync_park(struct db *db, const char *kind, const char *uid, int64_t rev,
	      const char *data, const char *needs_kind, const char *needs_uid)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO sync_parked("
				   "kind, uid, rev, data, needs_kind, "
				   "needs_uid) VALUES (?, ?, ?, ?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rev);
	sqlite3_bind_text(st, 4, data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, needs_kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, needs_uid, -1, SQLITE_STATIC);
	return db_step_done(st);
}

int sync_unpark(struct db *db, const char *kind, const char *uid)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM sync_parked WHERE kind = ? "
				   "AND uid = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	return db_step_done(st);
}

int sync_parked_take(struct db *db, const char *needs_kind,
		     const char *needs_uid, struct sync_parked **out,
		     size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, needs_kind ?
		"SELECT kind, uid, rev, data FROM sync_parked WHERE "
		"needs_kind = ?1 AND needs_uid = ?2 ORDER BY rev" :
		"SELECT kind, uid, rev, data FROM sync_parked ORDER BY rev");
	sqlite3_stmt *del = db_stmt(db, needs_kind ?
		"DELETE FROM sync_parked WHERE needs_kind = ?1 AND "
		"needs_uid = ?2" : "DELETE FROM sync_parked");
	int rc;

	*out = NULL;
	*n = 0;
	if (!st || !del)
		return -EIO;
	if (needs_kind) {
		sqlite3_bind_text(st, 1, needs_kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, needs_uid, -1, SQLITE_STATIC);
		sqlite3_bind_text(del, 1, needs_kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(del, 2, needs_uid, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		struct sync_parked *p = &(*out)[(*n)++];
		p->kind = db_col_dup(st, 0);
		p->uid = db_col_dup(st, 1);
		p->rev = sqlite3_column_int64(st, 2);
		p->data = db_col_dup(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || db_step_done(del) < 0) {
		sync_parked_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -EIO;
	}
	return 0;
}

bool sync_parked_any(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT EXISTS (SELECT 1 FROM "
				   "sync_parked)");

	return !st || db_step_int64(st, 1) != 0;
}
