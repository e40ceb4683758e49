/* store/srv_directory: the company directory, presence, company lookups
 * and user edits (see store/server.h). */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const state_names[] = { "offline", "online", "away",
					   "busy", "dnd" };

const char *srv_state_name(enum srv_state s)
{
	return (unsigned)s < 5 ? state_names[s] : "offline";
}

int srv_state_parse(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (name && strcmp(name, state_names[i]) == 0)
			return i;
	return -1;
}

int64_t srv_company_find(struct db *db, const char *name)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM companies WHERE "
				   "name = ? COLLATE NOCASE");
	int64_t id = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

int64_t srv_company_count(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM companies");
	int64_t n = 0;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

int srv_user_update(struct db *db, const struct srv_user *u, char **err)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE users SET name = ?, title = ?,"
				   " department = ?, email = ?, perms = ?, "
				   "disabled = ?, updated = ? WHERE id = ?");
	int rc;

	if (!st)
		return -EIO;
	db_bind_opt(st, 1, u->name);
	db_bind_opt(st, 2, u->title);
	db_bind_opt(st, 3, u->department);
	sqlite3_bind_text(st, 4, u->email, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, u->perms);
	sqlite3_bind_int(st, 6, u->disabled);
	sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 8, u->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT) {
		if (err)
			*err = xasprintf("the email '%s' is taken", u->email);
		return -EEXIST;
	}
	if (rc != SQLITE_DONE)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int srv_directory(struct db *db, int64_t company_id, const char *q,
		  bool all, size_t limit, struct srv_entry **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT u.id, u.username, u.email, u.name, u.title,"
		" u.department, u.perms, u.disabled, p.state, p.note,"
		" p.updated FROM users u LEFT JOIN presence p ON"
		" p.user_id = u.id WHERE u.company_id = ?1 AND"
		" (?2 OR u.disabled = 0) AND (?3 IS NULL OR"
		" instr(lower(u.username), ?3) OR instr(lower(u.email), ?3)"
		" OR instr(lower(coalesce(u.name, '')), ?3) OR"
		" instr(lower(coalesce(u.title, '')), ?3) OR"
		" instr(lower(coalesce(u.department, '')), ?3))"
		" ORDER BY u.username LIMIT ?4");
	char *lq = q && *q ? str_fold(q) : NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st) {
		free(lq);
		return -EIO;
	}
	sqlite3_bind_int64(st, 1, company_id);
	sqlite3_bind_int(st, 2, all);
	if (lq)
		sqlite3_bind_text(st, 3, lq, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct srv_entry *e = &(*out)[(*n)++];
		memset(e, 0, sizeof *e);
		e->u.id = sqlite3_column_int64(st, 0);
		e->u.company_id = company_id;
		e->u.username = db_col_dup(st, 1);
		e->u.email = db_col_dup(st, 2);
		e->u.name = db_col_dup(st, 3);
		e->u.title = db_col_dup(st, 4);
		e->u.department = db_col_dup(st, 5);
		e->u.perms = sqlite3_column_int(st, 6);
		e->u.disabled = sqlite3_column_int(st, 7) != 0;
		int s = srv_state_parse(COL_TEXT(st, 8));
		e->state = s < 0 ? ST_OFFLINE : (enum srv_state)s;
		e->note = db_col_dup(st, 9);
		e->since = sqlite3_column_int64(st, 10);
	}
	sqlite3_reset(st);
	free(lq);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

void srv_entries_free(struct srv_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		srv_user_clear(&v[i].u);
		free(v[i].note);
	}
	free(v);
}

int srv_presence_set(struct db *db, int64_t user_id, enum srv_state st,
		     const char *note)
{
	/* a choice made now replaces one kept while offline */
	sqlite3_stmt *s = db_stmt(db, "INSERT INTO presence(user_id, state, "
				  "note, updated) VALUES (?1, ?2, ?3, ?4) ON "
				  "CONFLICT(user_id) DO UPDATE SET state = ?2,"
				  " note = ?3, updated = ?4, chosen = NULL, "
				  "chosen_note = NULL");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_text(s, 2, srv_state_name(st), -1, SQLITE_STATIC);
	db_bind_opt(s, 3, note);
	sqlite3_bind_int64(s, 4, (int64_t)time(NULL));
	return db_step_done(s);
}

int srv_presence_get(struct db *db, int64_t user_id, enum srv_state *st,
		     char **note, int64_t *since)
{
	sqlite3_stmt *s = db_stmt(db, "SELECT state, note, updated FROM "
				  "presence WHERE user_id = ?");

	*st = ST_OFFLINE;
	*note = NULL;
	*since = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, user_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		int v = srv_state_parse(COL_TEXT(s, 0));
		*st = v < 0 ? ST_OFFLINE : (enum srv_state)v;
		*note = db_col_dup(s, 1);
		*since = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return 0;
}

int64_t srv_sessions_live(struct db *db, int64_t user_id, int64_t now)
{
	sqlite3_stmt *s = db_stmt(db, "SELECT count(*) FROM sessions WHERE "
				  "user_id = ? AND revoked = 0 AND expires > ?");
	int64_t n = 0;

	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

/* Changes made by the last statement: 1 or 0, or -EIO. */
static int step_changed(struct db *db, sqlite3_stmt *st)
{
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) > 0;
}

int srv_presence_lapse(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE presence SET chosen = state, "
				   "chosen_note = note, state = 'offline', "
				   "note = NULL, updated = ? WHERE user_id = ? "
				   "AND state != 'offline'");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 2, user_id);
	return step_changed(db, st);
}

int srv_presence_resume(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE presence SET state = chosen, "
				   "note = chosen_note, chosen = NULL, "
				   "chosen_note = NULL, updated = ? WHERE "
				   "user_id = ? AND chosen IS NOT NULL");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 2, user_id);
	return step_changed(db, st);
}

int srv_presence_shown(struct db *db, int64_t **ids, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT user_id FROM presence WHERE "
				   "state != 'offline' ORDER BY user_id");
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -EIO;
	}
	return 0;
}
