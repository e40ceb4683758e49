/* store/crm_timeline: a record's timeline and its search index row. */
#include "store/crm.h"
#include "store/db.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static const char *const crm_event_kinds[] = { "note", "call", "meeting",
					       "message" };

bool crm_event_kind_valid(const char *kind)
{
	for (size_t i = 0; i < 4; i++)
		if (str_eq(kind, crm_event_kinds[i]))
			return true;
	return false;
}

static int crm_timeline_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;

	sqlite3_reset(st);
	return rc;
}

/* One row per record: its fields, tags and the text of every event
 * (notes, call and meeting notes) in time order. */
static const char crm_sql_index[] =
	"INSERT INTO crm_fts(rowid, name, org, status, owner, source, tags,"
	" next_action, notes)"
	" SELECT r.id, r.name, r.org, r.status, r.owner, r.source,"
	" (SELECT group_concat(tag, ' ') FROM crm_tags WHERE record_id = r.id),"
	" r.next_action,"
	" (SELECT group_concat(text, ' ') FROM (SELECT text FROM crm_events"
	"  WHERE record_id = r.id AND text IS NOT NULL ORDER BY at, id))"
	" FROM crm_records r WHERE r.id = ?";

int crm_reindex(struct db *db, int64_t id)
{
	sqlite3_stmt *del = db_stmt(db, "DELETE FROM crm_fts WHERE rowid = ?");
	sqlite3_stmt *ins = db_stmt(db, crm_sql_index);

	if (!del || !ins)
		return -EIO;
	sqlite3_bind_int64(del, 1, id);
	if (crm_timeline_done(del) < 0)
		return -EIO;
	sqlite3_bind_int64(ins, 1, id);
	return crm_timeline_done(ins);
}

int crm_add_event(struct db *db, int64_t record_id, const char *kind,
		  const char *text, int64_t call_id, int64_t appt_id,
		  int64_t at, int64_t *event_id)
{
	sqlite3_stmt *ins = db_stmt(db, "INSERT INTO crm_events(uid, "
		"record_id, kind, at, text, call_id, appt_id, created) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *up = db_stmt(db, "UPDATE crm_records SET updated = ? "
				   "WHERE id = ?");
	int64_t now = time(NULL);

	if (event_id)
		*event_id = 0;
	if (!crm_event_kind_valid(kind))
		return -EINVAL;
	if (!ins || !up)
		return -EIO;
	if (db_begin(db) < 0)
		return -EIO;
	sqlite3_bind_int64(up, 1, now);
	sqlite3_bind_int64(up, 2, record_id);
	int rc = crm_timeline_done(up);
	if (rc == 0 && sqlite3_changes(db_handle(db)) == 0)
		rc = -ENOENT;
	char *uid = uid_new();
	if (rc == 0) {
		sqlite3_bind_text(ins, 1, uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, record_id);
		sqlite3_bind_text(ins, 3, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, at ? at : now);
		if (!str_empty(text))
			sqlite3_bind_text(ins, 5, text, -1, SQLITE_STATIC);
		if (call_id)
			sqlite3_bind_int64(ins, 6, call_id);
		if (appt_id)
			sqlite3_bind_int64(ins, 7, appt_id);
		sqlite3_bind_int64(ins, 8, now);
		rc = crm_timeline_done(ins);
	}
	free(uid);
	if (rc == 0 && event_id)
		*event_id = sqlite3_last_insert_rowid(db_handle(db));
	if (rc == 0)
		rc = crm_reindex(db, record_id);
	if (rc < 0) {
		db_rollback(db);
		if (event_id)
			*event_id = 0;
		return rc;
	}
	return db_commit(db);
}

int crm_events(struct db *db, int64_t record_id, struct crm_event **out,
	       size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, uid, kind, at, text, "
		"call_id, appt_id FROM crm_events WHERE record_id = ? "
		"ORDER BY at DESC, id DESC");
	size_t len = 0, cap = 0;
	struct crm_event *v = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, record_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		struct crm_event *e = &v[len++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->record_id = record_id;
		e->uid = xstrdup(COL_TEXT(st, 1));
		snprintf(e->kind, sizeof e->kind, "%s", COL_TEXT(st, 2));
		e->at = sqlite3_column_int64(st, 3);
		e->text = xstrdup(COL_TEXT(st, 4));
		e->call_id = sqlite3_column_int64(st, 5);
		e->appt_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		crm_events_free(v, len);
		return -EIO;
	}
	*out = v;
	*n = len;
	return 0;
}

void crm_events_free(struct crm_event *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].uid);
		free(e[i].text);
	}
	free(e);
}

int crm_delete_event(struct db *db, int64_t event_id)
{
	sqlite3_stmt *sel = db_stmt(db, "SELECT record_id FROM crm_events "
				    "WHERE id = ?");
	sqlite3_stmt *del = db_stmt(db, "DELETE FROM crm_events WHERE id = ?");
	int64_t rec = 0;

	if (!sel || !del)
		return -EIO;
	sqlite3_bind_int64(sel, 1, event_id);
	if (sqlite3_step(sel) == SQLITE_ROW)
		rec = sqlite3_column_int64(sel, 0);
	sqlite3_reset(sel);
	if (!rec)
		return -ENOENT;
	if (db_begin(db) < 0)
		return -EIO;
	sqlite3_bind_int64(del, 1, event_id);
	int rc = crm_timeline_done(del);
	if (rc == 0)
		rc = crm_reindex(db, rec);
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

/* ---- one event as it is (sync) ------------------------------------------ */

int crm_event_get(struct db *db, int64_t id, struct crm_event *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT record_id, uid, kind, at, "
				   "text, call_id, appt_id FROM crm_events "
				   "WHERE id = ?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = id;
		out->record_id = sqlite3_column_int64(st, 0);
		out->uid = db_col_dup(st, 1);
		snprintf(out->kind, sizeof out->kind, "%s", COL_TEXT(st, 2));
		out->at = sqlite3_column_int64(st, 3);
		out->text = db_col_dup(st, 4);
		out->call_id = sqlite3_column_int64(st, 5);
		out->appt_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

void crm_event_clear(struct crm_event *e)
{
	free(e->uid);
	free(e->text);
	memset(e, 0, sizeof *e);
}

int crm_find_event_uid(struct db *db, const char *uid, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM crm_events WHERE "
				   "uid = ?");

	*id = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int crm_event_put(struct db *db, struct crm_event *e)
{
	sqlite3_stmt *ins = db_stmt(db, "INSERT INTO crm_events(uid, "
		"record_id, kind, at, text, call_id, appt_id, created) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	sqlite3_stmt *upd = db_stmt(db, "UPDATE crm_events SET uid = ?1, "
		"record_id = ?2, kind = ?3, at = ?4, text = ?5, call_id = ?6,"
		" appt_id = ?7 WHERE id = ?9");
	sqlite3_stmt *was = db_stmt(db, "SELECT record_id FROM crm_events "
				    "WHERE id = ?");
	int64_t old = 0;
	int rc;

	if (!crm_event_kind_valid(e->kind) || str_empty(e->uid) ||
	    !e->record_id)
		return -EINVAL;
	if (!ins || !upd || !was)
		return -EIO;
	if (!e->id && crm_find_event_uid(db, e->uid, &e->id) < 0)
		return -EIO;
	if (e->id) {
		sqlite3_bind_int64(was, 1, e->id);
		if (sqlite3_step(was) == SQLITE_ROW)
			old = sqlite3_column_int64(was, 0);
		sqlite3_reset(was);
		if (!old)
			e->id = 0;	/* gone meanwhile: a new row */
	}
	sqlite3_stmt *st = e->id ? upd : ins;
	sqlite3_bind_text(st, 1, e->uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, e->record_id);
	sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e->at ? e->at : (int64_t)time(NULL));
	db_bind_opt(st, 5, str_empty(e->text) ? NULL : e->text);
	db_bind_opt_int64(st, 6, e->call_id);
	db_bind_opt_int64(st, 7, e->appt_id);
	if (e->id)
		sqlite3_bind_int64(st, 9, e->id);
	else
		sqlite3_bind_int64(st, 8, (int64_t)time(NULL));
	if (db_begin(db) < 0)
		return -EIO;
	rc = crm_timeline_done(st);
	if (rc == 0 && !e->id)
		e->id = sqlite3_last_insert_rowid(db_handle(db));
	if (rc == 0)
		rc = crm_reindex(db, e->record_id);
	if (rc == 0 && old && old != e->record_id)
		rc = crm_reindex(db, old);
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
