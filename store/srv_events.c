/* store/srv_events: confabd's per-user event log and the online monitor
 * (see store/server.h). */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int srv_event_add(struct db *db, int64_t user_id, const char *kind,
		  const char *data, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO events(user_id, kind, "
				   "data, created) VALUES (?, ?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)time(NULL));
	if (db_step_done(st) < 0)
		return -EIO;
	if (id)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int srv_events_since(struct db *db, int64_t user_id, int64_t cursor,
		     size_t limit, struct srv_event **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, created, kind, data FROM "
				   "events WHERE user_id = ? AND id > ? ORDER "
				   "BY id LIMIT ?");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, cursor);
	sqlite3_bind_int64(st, 3, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct srv_event *e = &(*out)[(*n)++];
		e->id = sqlite3_column_int64(st, 0);
		e->at = sqlite3_column_int64(st, 1);
		e->kind = db_col_dup(st, 2);
		e->data = db_col_dup(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

void srv_events_free(struct srv_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].data);
	}
	free(v);
}

int64_t srv_event_last(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT max(id) FROM events WHERE "
				   "user_id = ?");
	int64_t id = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static const char *const watch_names[] = { "none", "pending", "accepted",
					   "declined" };

static enum srv_watch watch_parse(const char *s)
{
	for (int i = 1; i < 4; i++)
		if (s && strcmp(s, watch_names[i]) == 0)
			return (enum srv_watch)i;
	return W_NONE;
}

int srv_monitor_get(struct db *db, int64_t owner, int64_t target,
		    enum srv_watch *w)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT status FROM monitor WHERE "
				   "owner_id = ? AND target_id = ?");

	*w = W_NONE;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, target);
	if (sqlite3_step(st) == SQLITE_ROW)
		*w = watch_parse(COL_TEXT(st, 0));
	sqlite3_reset(st);
	return 0;
}

int srv_monitor_set(struct db *db, int64_t owner, int64_t target,
		    enum srv_watch w, const char *message)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO monitor(owner_id, "
				   "target_id, status, message, created, "
				   "updated) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON"
				   " CONFLICT(owner_id, target_id) DO UPDATE "
				   "SET status = ?3, message = coalesce(?4, "
				   "message), updated = ?5");

	if (!st || w == W_NONE)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, target);
	sqlite3_bind_text(st, 3, watch_names[w], -1, SQLITE_STATIC);
	db_bind_opt(st, 4, message);
	sqlite3_bind_int64(st, 5, (int64_t)time(NULL));
	return db_step_done(st);
}

int srv_monitor_remove(struct db *db, int64_t owner, int64_t target)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM monitor WHERE owner_id = ?"
				   " AND target_id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, target);
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int srv_monitor_list(struct db *db, int64_t owner, bool incoming,
		     struct srv_watch_entry **out, size_t *n)
{
	sqlite3_stmt *st = incoming ?
		db_stmt(db, "SELECT u.id, u.username, u.email, u.name, u.title,"
			" u.department, m.status, m.message, NULL, NULL, 0,"
			" u.company_id FROM monitor m JOIN users u ON u.id ="
			" m.owner_id WHERE m.target_id = ? AND m.status ="
			" 'pending' AND u.disabled = 0 ORDER BY u.username") :
		db_stmt(db, "SELECT u.id, u.username, u.email, u.name, u.title,"
			" u.department, m.status, m.message, p.state, p.note,"
			" p.updated, u.company_id FROM monitor m JOIN users u"
			" ON u.id = m.target_id LEFT JOIN presence p ON"
			" p.user_id = u.id WHERE m.owner_id = ? AND"
			" u.disabled = 0 ORDER BY u.username");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct srv_watch_entry *w = &(*out)[(*n)++];
		memset(w, 0, sizeof *w);
		w->e.u.id = sqlite3_column_int64(st, 0);
		w->e.u.username = db_col_dup(st, 1);
		w->e.u.email = db_col_dup(st, 2);
		w->e.u.name = db_col_dup(st, 3);
		w->e.u.title = db_col_dup(st, 4);
		w->e.u.department = db_col_dup(st, 5);
		w->status = watch_parse(COL_TEXT(st, 6));
		w->message = db_col_dup(st, 7);
		/* presence only once the other one accepted */
		int s = w->status == W_ACCEPTED ?
			srv_state_parse(COL_TEXT(st, 8)) : -1;
		w->e.state = s < 0 ? ST_OFFLINE : (enum srv_state)s;
		w->e.note = w->status == W_ACCEPTED ? db_col_dup(st, 9) : NULL;
		w->e.since = w->status == W_ACCEPTED ?
			sqlite3_column_int64(st, 10) : 0;
		w->e.u.company_id = sqlite3_column_int64(st, 11);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

void srv_watch_entries_free(struct srv_watch_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		srv_user_clear(&v[i].e.u);
		free(v[i].e.note);
		free(v[i].message);
	}
	free(v);
}

int srv_monitor_watchers(struct db *db, int64_t target, int64_t **ids,
			 size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT owner_id FROM monitor WHERE "
				   "target_id = ? AND status = 'accepted'");
	int rc;

	*ids = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, target);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
