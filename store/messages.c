/* store/messages: the local mailbox (see store/messages.h). */
#include "store/messages.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void message_clear(struct message *m)
{
	free(m->kind);
	free(m->folder);
	free(m->sender);
	free(m->sender_name);
	free(m->recipients);
	free(m->subject);
	free(m->body);
	free(m->attachments);
	free(m->error);
	memset(m, 0, sizeof *m);
}

void messages_free(struct message *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		message_clear(&v[i]);
	free(v);
}

int messages_put(struct db *db, const struct message *m)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO messages(id, message_id, "
		"kind, folder, read, outgoing, sender, sender_name, recipients, "
		"subject, body, created, reply_to, deliver_at, expires, "
		"attachments, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) ON CONFLICT(id) DO "
		"UPDATE SET folder = ?4, read = ?5, rev = ?17");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_int64(st, 2, m->message_id);
	sqlite3_bind_text(st, 3, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->folder, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, m->read);
	sqlite3_bind_int(st, 6, m->outgoing);
	db_bind_opt(st, 7, m->sender);
	db_bind_opt(st, 8, m->sender_name);
	db_bind_opt(st, 9, m->recipients);
	db_bind_opt(st, 10, m->subject);
	sqlite3_bind_text(st, 11, m->body ? m->body : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, m->created);
	db_bind_opt_int64(st, 13, m->reply_to);
	db_bind_opt_int64(st, 14, m->deliver_at);
	db_bind_opt_int64(st, 15, m->expires);
	db_bind_opt(st, 16, m->attachments);
	sqlite3_bind_int64(st, 17, m->rev);
	return db_step_done(st);
}

int messages_drop(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM messages WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(st);
}

#define MSG_COLS                                                              \
	"SELECT id, message_id, rev, reply_to, created, deliver_at, expires, " \
	"kind, folder, read, outgoing, sender, sender_name, recipients, "     \
	"subject, body, attachments, NULL, 0 FROM messages "

/* The pending ones: the outbox items that make messages, shaped like
 * rows of messages (their JSON read with SQLite's JSON functions). */
#define PENDING_COLS                                                          \
	"SELECT -o.id, 0, 0, json_extract(o.payload, '$.reply_to'), "         \
	"o.created, json_extract(o.payload, '$.at'), json_extract(o.payload, "\
	"'$.expires'), CASE o.kind WHEN 'message' THEN coalesce("             \
	"json_extract(o.payload, '$.kind'), 'text') ELSE o.kind END, 'sent', "\
	"1, 1, NULL, NULL, CASE json_type(o.payload, '$.to') WHEN 'array' "   \
	"THEN (SELECT group_concat(value, ', ') FROM json_each(o.payload, "   \
	"'$.to')) ELSE coalesce(json_extract(o.payload, '$.to'), (SELECT "    \
	"group_concat(value, ', ') FROM json_each(o.payload, '$.markets'))) " \
	"END, coalesce(json_extract(o.payload, '$.subject'), CASE o.kind "    \
	"WHEN 'reminder' THEN 'Reminder' END), coalesce(json_extract("        \
	"o.payload, '$.body'), json_extract(o.payload, '$.text'), ''), NULL, "\
	"coalesce(o.error, 'waiting to be sent'), o.failed FROM outbox o "    \
	"WHERE o.kind "                                                       \
	"IN ('message', 'announcement', 'reminder') AND o.account = (SELECT " \
	"value FROM settings WHERE key = 'messages.account') AND "            \
	"json_valid(o.payload) "

static void read_row(sqlite3_stmt *st, struct message *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->message_id = sqlite3_column_int64(st, 1);
	m->rev = sqlite3_column_int64(st, 2);
	m->reply_to = sqlite3_column_int64(st, 3);
	m->created = sqlite3_column_int64(st, 4);
	m->deliver_at = sqlite3_column_int64(st, 5);
	m->expires = sqlite3_column_int64(st, 6);
	m->kind = db_col_dup(st, 7);
	m->folder = db_col_dup(st, 8);
	m->read = sqlite3_column_int(st, 9);
	m->outgoing = sqlite3_column_int(st, 10);
	m->sender = db_col_dup(st, 11);
	m->sender_name = db_col_dup(st, 12);
	m->recipients = db_col_dup(st, 13);
	m->subject = db_col_dup(st, 14);
	m->body = db_col_dup(st, 15);
	m->attachments = db_col_dup(st, 16);
	m->error = db_col_dup(st, 17);
	m->refused = sqlite3_column_int(st, 18);
	if (!m->body)
		m->body = xstrdup("");
}

static int read_rows(sqlite3_stmt *st, struct message **out, size_t *n)
{
	size_t cap = *n;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		read_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int messages_get(struct db *db, int64_t id, struct message *out)
{
	sqlite3_stmt *st = id < 0 ?
		db_stmt(db, PENDING_COLS "AND o.id = -?") :
		db_stmt(db, MSG_COLS "WHERE id = ?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int messages_list(struct db *db, const char *folder, bool unread_only,
		  size_t limit, struct message **out, size_t *n)
{
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	if (strcmp(folder, "sent") == 0 && !unread_only) {
		st = db_stmt(db, PENDING_COLS "ORDER BY o.id DESC");
		if (!st || read_rows(st, out, n) < 0)
			return -EIO;
	}
	st = db_stmt(db, MSG_COLS "WHERE folder = ?1 AND (NOT ?2 OR read = 0) "
		     "ORDER BY created DESC, id DESC LIMIT ?3");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, folder, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, unread_only);
	sqlite3_bind_int64(st, 3, (int64_t)limit);
	return read_rows(st, out, n);
}

int messages_search(struct db *db, const char *text, size_t limit,
		    struct message **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, MSG_COLS "WHERE id IN (SELECT rowid "
				   "FROM messages_fts WHERE messages_fts MATCH "
				   "?1 ORDER BY rowid DESC LIMIT ?2) ORDER BY "
				   "created DESC, id DESC");
	struct sbuf q;
	int rc;

	*out = NULL;
	*n = 0;
	sbuf_init(&q);
	db_fts_prefix_terms(&q, text);
	if (!q.len) {
		sbuf_free(&q);
		return 0;
	}
	if (!st) {
		sbuf_free(&q);
		return -EIO;
	}
	sqlite3_bind_text(st, 1, sbuf_str(&q), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	rc = read_rows(st, out, n);
	sbuf_free(&q);
	return rc;
}

int64_t messages_unread(struct db *db, const char *folder)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM messages WHERE "
				   "folder = ? AND read = 0");

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, folder ? folder : "inbox", -1, SQLITE_STATIC);
	return db_step_int64(st, 0);
}

int messages_announcements(struct db *db, int64_t now, struct message **out,
			   size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, MSG_COLS "WHERE folder = 'inbox' AND "
				   "read = 0 AND kind = 'announcement' AND "
				   "coalesce(expires, ?1 + 1) > ?1 ORDER BY "
				   "created DESC, id DESC");

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, now);
	return read_rows(st, out, n);
}

int messages_set(struct db *db, int64_t id, int read, const char *folder)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE messages SET read = CASE WHEN "
				   "?1 < 0 THEN read ELSE ?1 END, folder = "
				   "coalesce(?2, folder) WHERE id = ?3");

	if (!st)
		return -EIO;
	sqlite3_bind_int(st, 1, read);
	db_bind_opt(st, 2, folder);
	sqlite3_bind_int64(st, 3, id);
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int messages_reset(struct db *db)
{
	return db_exec(db, "DELETE FROM messages") < 0 ||
	       db_exec(db, "DELETE FROM settings WHERE key = 'messages.rev'") <
	       0 ? -EIO : 0;
}
