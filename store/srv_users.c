/* store/srv_users: confabd's companies, users, sessions, reset codes,
 * login throttling and audit log (see store/server.h). */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const perm_names[] = {
	"admin", "user-admin", "phone", "intl-phone", "announcements",
	"crm-view", "crm-edit", "video", "recording",
};
#define NPERMS (sizeof perm_names / sizeof perm_names[0])

int srv_perm_parse(const char *name)
{
	for (size_t i = 0; i < NPERMS; i++)
		if (str_ieq(name, perm_names[i]))
			return 1 << i;
	return 0;
}

const char *srv_perm_name(int bit)
{
	for (size_t i = 0; i < NPERMS; i++)
		if (bit == 1 << i)
			return perm_names[i];
	return "?";
}

char *srv_perms_str(int perms)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < NPERMS; i++)
		if (perms & (1 << i))
			sbuf_printf(&b, "%s%s", b.len ? "," : "", perm_names[i]);
	return sbuf_take(&b);
}

void srv_user_clear(struct srv_user *u)
{
	free(u->username);
	free(u->email);
	free(u->name);
	free(u->title);
	free(u->department);
	free(u->pw_hash);
	memset(u, 0, sizeof *u);
}

/* ---- companies --------------------------------------------------------------- */

int srv_company_create(struct db *db, const char *name, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO companies(name, created, "
				   "updated) VALUES (?, ?, ?)");
	int64_t now = (int64_t)time(NULL);

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	if (db_step_done(st) < 0)
		return -EIO;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int64_t srv_company_first(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT min(id) FROM companies");
	int64_t id = 0;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return id;
}

char *srv_company_name(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT name FROM companies WHERE id=?");
	char *name = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		name = db_col_dup(st, 0);
	sqlite3_reset(st);
	return name;
}

/* ---- users -------------------------------------------------------------------- */

int srv_user_add(struct db *db, struct srv_user *u, char **err)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO users(company_id, "
				   "username, email, name, title, department,"
				   " pw_hash, perms, disabled, created, "
				   "updated, pw_changed) VALUES (?, ?, ?, ?, "
				   "?, ?, ?, ?, ?, ?, ?, ?)");
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, u->company_id);
	sqlite3_bind_text(st, 2, u->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, u->email, -1, SQLITE_STATIC);
	db_bind_opt(st, 4, u->name);
	db_bind_opt(st, 5, u->title);
	db_bind_opt(st, 6, u->department);
	db_bind_opt(st, 7, u->pw_hash);
	sqlite3_bind_int(st, 8, u->perms);
	sqlite3_bind_int(st, 9, u->disabled);
	sqlite3_bind_int64(st, 10, now);
	sqlite3_bind_int64(st, 11, now);
	sqlite3_bind_int64(st, 12, u->pw_hash ? now : 0);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT) {
		if (err)
			*err = xasprintf("the username '%s' or the email '%s' "
					 "is taken", u->username, u->email);
		return -EEXIST;
	}
	if (rc != SQLITE_DONE)
		return -EIO;
	u->id = sqlite3_last_insert_rowid(db_handle(db));
	u->created = u->updated = now;
	return 0;
}

#define USER_COLS "SELECT id, company_id, username, email, name, title, " \
	"department, pw_hash, perms, disabled, created, updated, pw_changed " \
	"FROM users "

static int read_user(sqlite3_stmt *st, struct srv_user *u)
{
	int rc = sqlite3_step(st);

	memset(u, 0, sizeof *u);
	if (rc == SQLITE_ROW) {
		u->id = sqlite3_column_int64(st, 0);
		u->company_id = sqlite3_column_int64(st, 1);
		u->username = db_col_dup(st, 2);
		u->email = db_col_dup(st, 3);
		u->name = db_col_dup(st, 4);
		u->title = db_col_dup(st, 5);
		u->department = db_col_dup(st, 6);
		u->pw_hash = db_col_dup(st, 7);
		u->perms = sqlite3_column_int(st, 8);
		u->disabled = sqlite3_column_int(st, 9) != 0;
		u->created = sqlite3_column_int64(st, 10);
		u->updated = sqlite3_column_int64(st, 11);
		u->pw_changed = sqlite3_column_int64(st, 12);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int srv_user_find(struct db *db, const char *name_or_email,
		  struct srv_user *out)
{
	sqlite3_stmt *st = db_stmt(db, USER_COLS "WHERE username = ?1 OR "
				   "email = ?1");

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, name_or_email, -1, SQLITE_STATIC);
	return read_user(st, out);
}

int srv_user_get(struct db *db, int64_t id, struct srv_user *out)
{
	sqlite3_stmt *st = db_stmt(db, USER_COLS "WHERE id = ?");

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	return read_user(st, out);
}

int srv_user_set_password(struct db *db, int64_t id, const char *pw_hash)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE users SET pw_hash = ?, "
				   "pw_changed = ?, updated = ? WHERE id = ?");
	int64_t now = (int64_t)time(NULL);

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, pw_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, id);
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int64_t srv_user_count(struct db *db, int64_t company_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM users WHERE "
				   "company_id = ?");
	int64_t n = 0;

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, company_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* ---- sessions ------------------------------------------------------------------- */

int srv_session_add(struct db *db, int64_t user_id, const uint8_t hash[32],
		    int64_t expires, const char *addr, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO sessions(user_id, "
				   "token_hash, created, expires, addr) VALUES"
				   " (?, ?, ?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 4, expires);
	db_bind_opt(st, 5, addr);
	if (db_step_done(st) < 0)
		return -EIO;
	if (id)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int srv_session_find(struct db *db, const uint8_t hash[32], int64_t now,
		     int64_t *session_id, int64_t *user_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT s.id, s.user_id FROM sessions s"
				   " JOIN users u ON u.id = s.user_id WHERE "
				   "s.token_hash = ? AND s.revoked = 0 AND "
				   "s.expires > ? AND u.disabled = 0");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*session_id = sqlite3_column_int64(st, 0);
		*user_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int srv_session_revoke(struct db *db, int64_t session_id)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE sessions SET revoked = 1 "
				   "WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, session_id);
	return db_step_done(st);
}

int srv_session_revoke_user(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE sessions SET revoked = 1 "
				   "WHERE user_id = ? AND revoked = 0");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	return db_step_done(st);
}

/* ---- login throttling --------------------------------------------------------------- */

int srv_throttle_get(struct db *db, const char *key, int *failures,
		     int64_t *last)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT failures, last FROM "
				   "login_throttle WHERE key = ?");

	*failures = 0;
	*last = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*failures = sqlite3_column_int(st, 0);
		*last = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return 0;
}

int srv_throttle_fail(struct db *db, const char *key, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO login_throttle(key, "
				   "failures, last) VALUES (?1, 1, ?2) ON "
				   "CONFLICT(key) DO UPDATE SET failures = "
				   "failures + 1, last = ?2");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return db_step_done(st);
}

int srv_throttle_clear(struct db *db, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_throttle WHERE "
				   "key = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	return db_step_done(st);
}

/* ---- reset codes ------------------------------------------------------------------ */

int srv_reset_add(struct db *db, int64_t user_id, const uint8_t hash[32],
		  int64_t expires)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO reset_codes(code_hash, "
				   "user_id, expires) VALUES (?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, expires);
	return db_step_done(st);
}

int srv_reset_take(struct db *db, const uint8_t hash[32], int64_t now,
		   int64_t *user_id)
{
	*user_id = 0;
	sqlite3_stmt *st = db_stmt(db, "UPDATE reset_codes SET used = 1 WHERE"
				   " code_hash = ? AND used = 0 AND expires > ?"
				   " RETURNING user_id");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*user_id = sqlite3_column_int64(st, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc != SQLITE_DONE ? -EIO : *user_id ? 0 : -ENOENT;
}

int srv_reset_drop_user(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE reset_codes SET used = 1 WHERE"
				   " user_id = ? AND used = 0");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	return db_step_done(st);
}

/* ---- audit ---------------------------------------------------------------------------- */

int srv_audit(struct db *db, int64_t company_id, int64_t actor_id,
	      const char *action, const char *target, const char *detail)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO audit(at, company_id, "
				   "actor_id, action, target, detail) VALUES "
				   "(?, ?, ?, ?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	if (company_id)
		sqlite3_bind_int64(st, 2, company_id);
	else
		sqlite3_bind_null(st, 2);
	if (actor_id)
		sqlite3_bind_int64(st, 3, actor_id);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	db_bind_opt(st, 5, target);
	db_bind_opt(st, 6, detail);
	return db_step_done(st);
}
