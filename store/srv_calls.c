/* store/srv_calls: the signalling state of calls (see store/server.h;
 * schema v9 in store/server_migrations.c).
 *
 * A call is one row from its invite to its end.  Changes are UPDATEs
 * conditional on the state the caller expects, so two answers racing
 * cannot both win, whatever the caller's locking.
 */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {
	"ringing", "answered", "rejected", "busy", "cancelled", "missed",
	"ended", "offline", "dnd",
};
#define NSTATES (sizeof state_names / sizeof state_names[0])

const char *srv_call_state_name(enum srv_call_state st)
{
	return (size_t)st < NSTATES ? state_names[st] : "?";
}

static enum srv_call_state state_parse(const char *s)
{
	for (size_t i = 0; s && i < NSTATES; i++)
		if (strcmp(s, state_names[i]) == 0)
			return (enum srv_call_state)i;
	return CALL_ENDED;	/* the CHECK constraint keeps this away */
}

void srv_call_clear(struct srv_call *c)
{
	free(c->id);
	free(c->caller);
	free(c->caller_name);
	free(c->callee);
	free(c->callee_name);
	free(c->offer);
	free(c->answer);
	free(c->end_reason);
	memset(c, 0, sizeof *c);
}

void srv_calls_free(struct srv_call *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		srv_call_clear(&v[i]);
	free(v);
}

int srv_call_add(struct db *db, const struct srv_call *c)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO calls(id, company_id, "
				   "caller_id, callee_id, caller_session, "
				   "video, state, offer, created, ring_until, "
				   "ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
				   "?, ?, ?)");
	bool over = c->state != CALL_RINGING && c->state != CALL_ANSWERED;
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->company_id);
	sqlite3_bind_int64(st, 3, c->caller_id);
	sqlite3_bind_int64(st, 4, c->callee_id);
	sqlite3_bind_int64(st, 5, c->caller_session);
	sqlite3_bind_int(st, 6, c->video);
	sqlite3_bind_text(st, 7, srv_call_state_name(c->state), -1,
			  SQLITE_STATIC);
	/* an offer nobody will answer is not kept */
	if (over)
		sqlite3_bind_null(st, 8);
	else
		db_bind_opt(st, 8, c->offer);
	sqlite3_bind_int64(st, 9, c->created);
	sqlite3_bind_int64(st, 10, c->ring_until);
	db_bind_opt_int64(st, 11, over ? c->created : 0);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

#define CALL_COLS "SELECT c.id, c.company_id, c.caller_id, c.callee_id, " \
	"a.username, a.name, b.username, b.name, c.caller_session, "       \
	"c.answer_session, c.video, c.state, c.offer, c.answer, c.created, " \
	"c.answered_at, c.ended_at, c.ring_until, c.ended_by, c.end_reason " \
	"FROM calls c JOIN users a ON a.id = c.caller_id JOIN users b ON "   \
	"b.id = c.callee_id "

static void read_call(sqlite3_stmt *st, struct srv_call *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_dup(st, 0);
	c->company_id = sqlite3_column_int64(st, 1);
	c->caller_id = sqlite3_column_int64(st, 2);
	c->callee_id = sqlite3_column_int64(st, 3);
	c->caller = db_col_dup(st, 4);
	c->caller_name = db_col_dup(st, 5);
	c->callee = db_col_dup(st, 6);
	c->callee_name = db_col_dup(st, 7);
	c->caller_session = sqlite3_column_int64(st, 8);
	c->answer_session = sqlite3_column_int64(st, 9);
	c->video = sqlite3_column_int(st, 10) != 0;
	c->state = state_parse(COL_TEXT(st, 11));
	c->offer = db_col_dup(st, 12);
	c->answer = db_col_dup(st, 13);
	c->created = sqlite3_column_int64(st, 14);
	c->answered_at = sqlite3_column_int64(st, 15);
	c->ended_at = sqlite3_column_int64(st, 16);
	c->ring_until = sqlite3_column_int64(st, 17);
	c->ended_by = sqlite3_column_int64(st, 18);
	c->end_reason = db_col_dup(st, 19);
}

int srv_call_get(struct db *db, const char *id, struct srv_call *out)
{
	sqlite3_stmt *st = db_stmt(db, CALL_COLS "WHERE c.id = ?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_call(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

/* 0 when the UPDATE changed the row, -EALREADY when it matched none. */
static int changed(struct db *db, sqlite3_stmt *st)
{
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -EALREADY;
}

int srv_call_answer(struct db *db, const char *id, int64_t session,
		    const char *answer, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE calls SET state = 'answered', "
				   "answer_session = ?, answer = ?, "
				   "answered_at = ? WHERE id = ? AND state = "
				   "'ringing'");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, session);
	db_bind_opt(st, 2, answer);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
	return changed(db, st);
}

int srv_call_end(struct db *db, const char *id, enum srv_call_state from,
		 enum srv_call_state to, int64_t by, const char *reason,
		 int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE calls SET state = ?, "
				   "ended_at = ?, ended_by = ?, end_reason = ?,"
				   " offer = NULL, answer = NULL WHERE id = ? "
				   "AND state = ?");

	if (!st || to == CALL_RINGING || to == CALL_ANSWERED)
		return -EIO;
	sqlite3_bind_text(st, 1, srv_call_state_name(to), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	db_bind_opt_int64(st, 3, by);
	db_bind_opt(st, 4, reason);
	sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, srv_call_state_name(from), -1,
			  SQLITE_STATIC);
	return changed(db, st);
}

int srv_calls_ring_due(struct db *db, int64_t now_ms, char ***ids,
		       size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM calls WHERE state = "
				   "'ringing' AND ring_until <= ? ORDER BY "
				   "ring_until");
	int rc;

	*ids = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = db_col_dup(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int64_t srv_calls_ring_next(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT min(ring_until) FROM calls "
				   "WHERE state = 'ringing'");

	return st ? db_step_int64(st, 0) : 0;
}

int srv_calls_live(struct db *db, int64_t user_id, size_t limit,
		   struct srv_call **out, size_t *n)
{
	/* two lookups, each in its partial index of live calls */
	sqlite3_stmt *st = db_stmt(db, CALL_COLS "WHERE c.id IN (SELECT id "
				   "FROM calls WHERE caller_id = ?1 AND state "
				   "IN ('ringing', 'answered') UNION ALL SELECT"
				   " id FROM calls WHERE callee_id = ?1 AND "
				   "state IN ('ringing', 'answered')) ORDER BY "
				   "c.created DESC, c.id LIMIT ?2");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		read_call(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
