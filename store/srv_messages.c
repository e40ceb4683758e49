/* store/srv_messages: confabd's messages, mailboxes and attachments (see
 * store/server.h; schema v7 in store/server_migrations.c).
 *
 * Every change to a mailbox entry takes the next value of the "mailbox"
 * counter as its rev, so one index range gives a client everything that
 * changed since it last asked.
 */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t next_rev(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE counters SET value = value + 1 "
				   "WHERE name = 'mailbox' RETURNING value");

	if (!st)
		return -1;
	return db_step_int64(st, -1);
}

static int entry_add(struct db *db, int64_t user, int64_t msg, bool out)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO mailbox(user_id, "
				   "message_id, outgoing, folder, read, rev) "
				   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO "
				   "NOTHING");
	int64_t rev = next_rev(db);

	if (!st || rev < 0)
		return -EIO;
	sqlite3_bind_int64(st, 1, user);
	sqlite3_bind_int64(st, 2, msg);
	sqlite3_bind_int(st, 3, out);
	sqlite3_bind_text(st, 4, out ? "sent" : "inbox", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, out);	/* what you sent, you have read */
	sqlite3_bind_int64(st, 6, rev);
	return db_step_done(st);
}

static int64_t find_key(struct db *db, int64_t sender, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM messages WHERE "
				   "sender_id IS ? AND client_key = ?");

	if (!st)
		return -1;
	if (sender)
		sqlite3_bind_int64(st, 1, sender);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	return db_step_int64(st, 0);
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}

int srv_msg_add(struct db *db, const struct srv_msg_new *m, int64_t *id,
		bool *existed)
{
	sqlite3_stmt *st;
	int64_t now = time(NULL);

	*existed = false;
	if (db_begin(db) < 0)
		return -EIO;
	if (m->key && (*id = find_key(db, m->sender_id, m->key)) != 0) {
		if (*id < 0)
			goto fail;
		*existed = true;
		return db_commit(db) < 0 ? -EIO : 0;
	}
	st = db_stmt(db, "INSERT INTO messages(company_id, sender_id, kind, "
		     "recipients, subject, body, reply_to, created, "
		     "deliver_at, expires, delivered, client_key) VALUES "
		     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, m->company_id);
	if (m->sender_id)
		sqlite3_bind_int64(st, 2, m->sender_id);
	sqlite3_bind_text(st, 3, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->recipients, -1, SQLITE_STATIC);
	db_bind_opt(st, 5, m->subject);
	sqlite3_bind_text(st, 6, m->body, -1, SQLITE_STATIC);
	bind_time(st, 7, m->reply_to);
	sqlite3_bind_int64(st, 8, now);
	bind_time(st, 9, m->deliver_at);
	bind_time(st, 10, m->expires);
	sqlite3_bind_int(st, 11, m->deliver_at == 0);
	db_bind_opt(st, 12, m->key);
	if (db_step_done(st) < 0)
		goto fail;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	for (size_t i = 0; i < m->natt; i++) {
		st = db_stmt(db, "INSERT OR IGNORE INTO message_attachments("
			     "message_id, attachment_id, pos) VALUES (?, ?, ?)");
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, m->att[i]);
		sqlite3_bind_int64(st, 3, (int64_t)i);
		if (db_step_done(st) < 0)
			goto fail;
	}
	if (m->sender_id && !m->no_copy &&
	    entry_add(db, m->sender_id, *id, true) < 0)
		goto fail;
	for (size_t i = 0; !m->deliver_at && i < m->nto; i++)
		if (entry_add(db, m->to[i], *id, false) < 0)
			goto fail;
	return db_commit(db) < 0 ? -EIO : 0;
fail:
	db_rollback(db);
	return -EIO;
}

int64_t srv_msg_entry(struct db *db, int64_t user_id, int64_t id,
		      bool outgoing)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM mailbox WHERE user_id "
				   "= ? AND message_id = ? AND outgoing = ?");

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int(st, 3, outgoing);
	return db_step_int64(st, 0);
}

void srv_att_clear(struct srv_att *a)
{
	free(a->name);
	free(a->type);
	free(a->sha256);
	free(a->data);
	memset(a, 0, sizeof *a);
}

void srv_msg_clear(struct srv_msg *m)
{
	free(m->folder);
	free(m->kind);
	free(m->sender);
	free(m->sender_name);
	free(m->recipients);
	free(m->subject);
	free(m->body);
	for (size_t j = 0; j < m->natt; j++)
		srv_att_clear(&m->att[j]);
	free(m->att);
	memset(m, 0, sizeof *m);
}

void srv_msgs_free(struct srv_msg *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		srv_msg_clear(&v[i]);
	free(v);
}

static int load_atts(struct db *db, struct srv_msg *m)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT a.id, a.name, a.type, a.size, "
				   "a.sha256 FROM message_attachments x JOIN "
				   "attachments a ON a.id = x.attachment_id "
				   "WHERE x.message_id = ? ORDER BY x.pos");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, m->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m->att = xrealloc(m->att, (m->natt + 1) * sizeof *m->att);
		struct srv_att *a = &m->att[m->natt++];
		memset(a, 0, sizeof *a);
		a->id = sqlite3_column_int64(st, 0);
		a->name = db_col_dup(st, 1);
		a->type = db_col_dup(st, 2);
		a->size = sqlite3_column_int64(st, 3);
		a->sha256 = db_col_dup(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

#define ENTRY_COLS                                                            \
	"SELECT b.id, b.message_id, b.rev, b.folder, b.read, b.purged, "      \
	"b.outgoing, m.kind, u.username, u.name, m.recipients, m.subject, "   \
	"m.body, m.reply_to, m.created, m.deliver_at, m.expires FROM mailbox "\
	"b JOIN messages m ON m.id = b.message_id LEFT JOIN users u ON u.id " \
	"= m.sender_id "

static void entry_row(sqlite3_stmt *st, struct srv_msg *m)
{
	memset(m, 0, sizeof *m);
	m->entry = sqlite3_column_int64(st, 0);
	m->id = sqlite3_column_int64(st, 1);
	m->rev = sqlite3_column_int64(st, 2);
	m->folder = db_col_dup(st, 3);
	m->read = sqlite3_column_int(st, 4);
	m->purged = sqlite3_column_int(st, 5);
	m->outgoing = sqlite3_column_int(st, 6);
	m->kind = db_col_dup(st, 7);
	if (m->purged)		/* a tombstone: who and what are gone */
		return;
	m->sender = db_col_dup(st, 8);
	m->sender_name = db_col_dup(st, 9);
	m->recipients = db_col_dup(st, 10);
	m->subject = db_col_dup(st, 11);
	m->body = db_col_dup(st, 12);
	m->reply_to = sqlite3_column_int64(st, 13);
	m->created = sqlite3_column_int64(st, 14);
	m->deliver_at = sqlite3_column_int64(st, 15);
	m->expires = sqlite3_column_int64(st, 16);
}

int srv_mailbox_since(struct db *db, int64_t user_id, int64_t rev,
		      size_t limit, struct srv_msg **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, ENTRY_COLS "WHERE b.user_id = ? AND "
				   "b.rev > ? ORDER BY b.rev LIMIT ?");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_int64(st, 3, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		entry_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -EIO;
	for (size_t i = 0; i < *n; i++)
		if (!(*out)[i].purged && load_atts(db, &(*out)[i]) < 0)
			return -EIO;
	return 0;
}

int srv_mailbox_get(struct db *db, int64_t user_id, int64_t entry,
		    struct srv_msg *out)
{
	sqlite3_stmt *st = db_stmt(db, ENTRY_COLS "WHERE b.user_id = ? AND "
				   "b.id = ?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, entry);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		entry_row(st, out);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? -ENOENT : -EIO;
	return out->purged ? 0 : load_atts(db, out);
}

int64_t srv_mailbox_rev(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT max(rev) FROM mailbox WHERE "
				   "user_id = ?");

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	return db_step_int64(st, 0);
}

int srv_mailbox_update(struct db *db, int64_t user_id, int64_t entry,
		       int read, const char *folder, bool purge)
{
	sqlite3_stmt *st;
	int64_t rev;
	int rc;

	if (db_begin(db) < 0)
		return -EIO;
	rev = next_rev(db);
	st = db_stmt(db, "UPDATE mailbox SET read = CASE WHEN ?1 < 0 THEN "
		     "read ELSE ?1 END, folder = coalesce(?2, folder), purged "
		     "= purged OR ?3, rev = ?4 WHERE user_id = ?5 AND id = ?6 "
		     "AND NOT purged");
	if (!st || rev < 0)
		goto fail;
	sqlite3_bind_int(st, 1, read);
	db_bind_opt(st, 2, folder);
	sqlite3_bind_int(st, 3, purge);
	sqlite3_bind_int64(st, 4, rev);
	sqlite3_bind_int64(st, 5, user_id);
	sqlite3_bind_int64(st, 6, entry);
	if (db_step_done(st) < 0)
		goto fail;
	rc = sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? -EIO : 0;
fail:
	db_rollback(db);
	return -EIO;
}

int64_t srv_mailbox_unread(struct db *db, int64_t user_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM mailbox WHERE "
				   "user_id = ? AND folder = 'inbox' AND NOT "
				   "read AND NOT purged");

	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, user_id);
	return db_step_int64(st, 0);
}

static int id_list(sqlite3_stmt *st, int64_t **ids, size_t *n)
{
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int srv_msg_due(struct db *db, int64_t now, int64_t **ids, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM messages WHERE "
				   "delivered = 0 AND deliver_at <= ? ORDER BY "
				   "deliver_at, id");

	*ids = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	return id_list(st, ids, n);
}

int srv_msg_deliver(struct db *db, int64_t id, int64_t **users, size_t *n)
{
	/* recipients are kept as usernames, one a line */
	sqlite3_stmt *st = db_stmt(db, "SELECT u.id FROM messages m JOIN "
				   "users u ON u.company_id = m.company_id AND "
				   "instr(char(10) || m.recipients || char(10), "
				   "char(10) || u.username || char(10)) > 0 "
				   "WHERE m.id = ? AND m.delivered = 0");

	*users = NULL;
	*n = 0;
	if (!st || db_begin(db) < 0)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (id_list(st, users, n) < 0)
		goto fail;
	for (size_t i = 0; i < *n; i++)
		if (entry_add(db, (*users)[i], id, false) < 0)
			goto fail;
	st = db_stmt(db, "UPDATE messages SET delivered = 1 WHERE id = ?");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(st) < 0 || db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	free(*users);
	*users = NULL;
	*n = 0;
	return -EIO;
}

int64_t srv_msg_next_due(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT min(deliver_at) FROM messages "
				   "WHERE delivered = 0");

	if (!st)
		return 0;
	return db_step_int64(st, 0);
}

int srv_announce_audience(struct db *db, int64_t company_id,
			  const char *markets, const char *regions,
			  int64_t **ids, size_t *n)
{
	/* the targets arrive one a line; prefs keep JSON arrays */
	sqlite3_stmt *st = db_stmt(db,
		"WITH RECURSIVE split(kind, item, rest) AS ("
		"  SELECT 'markets', NULL, ?2 || char(10) UNION ALL"
		"  SELECT 'regions', NULL, ?3 || char(10) UNION ALL"
		"  SELECT kind, substr(rest, 1, instr(rest, char(10)) - 1),"
		"    substr(rest, instr(rest, char(10)) + 1) FROM split"
		"  WHERE rest <> ''),"
		" t(kind, item) AS (SELECT kind, item FROM split"
		"  WHERE item IS NOT NULL AND item <> '')"
		"SELECT u.id FROM users u LEFT JOIN user_profiles p ON"
		"  p.user_id = u.id WHERE u.company_id = ?1 AND NOT u.disabled"
		"  AND (NOT EXISTS (SELECT 1 FROM t) OR EXISTS (SELECT 1 FROM t"
		"  JOIN json_each(CASE WHEN json_valid(p.prefs) THEN p.prefs"
		"  ELSE '{}' END, '$.' || t.kind) j ON j.value = t.item"
		"  COLLATE NOCASE)) ORDER BY u.id");

	*ids = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, company_id);
	sqlite3_bind_text(st, 2, markets ? markets : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, regions ? regions : "", -1, SQLITE_STATIC);
	return id_list(st, ids, n);
}

int srv_att_add(struct db *db, int64_t owner, struct srv_att *a,
		const void *data)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO attachments(owner_id, "
				   "name, type, size, sha256, data, created) "
				   "VALUES (?, ?, ?, ?, ?, ?, ?)");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, a->size);
	sqlite3_bind_text(st, 5, a->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 6, data, (sqlite3_uint64)a->size,
			    SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (int64_t)time(NULL));
	if (db_step_done(st) < 0)
		return -EIO;
	a->id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int srv_att_get(struct db *db, int64_t id, bool data, struct srv_att *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT name, type, size, sha256, "
				   "CASE WHEN ?2 THEN data END FROM "
				   "attachments WHERE id = ?1");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, data);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = id;
		out->name = db_col_dup(st, 0);
		out->type = db_col_dup(st, 1);
		out->size = sqlite3_column_int64(st, 2);
		out->sha256 = db_col_dup(st, 3);
		if (data) {
			size_t len = (size_t)sqlite3_column_bytes(st, 4);
			out->data = xmalloc(len + 1);
			if (len)
				memcpy(out->data, sqlite3_column_blob(st, 4),
				       len);
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

bool srv_att_readable(struct db *db, int64_t user_id, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM attachments WHERE id = "
				   "?1 AND owner_id = ?2 UNION ALL SELECT 1 "
				   "FROM message_attachments x JOIN mailbox b "
				   "ON b.message_id = x.message_id WHERE "
				   "x.attachment_id = ?1 AND b.user_id = ?2 "
				   "AND NOT b.purged LIMIT 1");
	bool ok;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return ok;
}
