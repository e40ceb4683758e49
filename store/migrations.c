/* store/migrations: the client database schema, as numbered forward steps.
 *
 * Never edit a step that has shipped; add a new one.  Version 1 holds the
 * address books, 2 the diary, 3 the call log, 4 CRM, 5 messages and the
 * outbox, 6 what sync keeps, 7 sync of the diary and CRM.
 *
 * Every record that syncs with confabd carries a `uid` (the same on
 * every machine); sync_map (v6) keeps its server revision.
 */
#include "store/db.h"

static const char v1[] =
	"CREATE TABLE settings("
	"  key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE books("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE TABLE contacts("
	"  id INTEGER PRIMARY KEY,"
	"  book_id INTEGER NOT NULL REFERENCES books(id) ON DELETE CASCADE,"
	"  uid TEXT NOT NULL,"
	"  fn TEXT NOT NULL,"
	"  family TEXT, given TEXT, additional TEXT, prefix TEXT, suffix TEXT,"
	"  nickname TEXT, org TEXT, department TEXT, title TEXT,"
	"  bday TEXT, notes TEXT, extra TEXT,"
	"  email1 TEXT, phone1 TEXT,"		/* list-row shortcuts */
	"  sort_name TEXT NOT NULL, sort_given TEXT NOT NULL,"
	"  sort_org TEXT NOT NULL,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  UNIQUE(book_id, uid));"
	"CREATE INDEX contacts_by_name ON contacts(sort_name);"
	"CREATE INDEX contacts_by_book_name ON contacts(book_id, sort_name);"
	"CREATE INDEX contacts_by_given ON contacts(sort_given);"
	"CREATE INDEX contacts_by_org ON contacts(sort_org, sort_name);"
	"CREATE INDEX contacts_by_updated ON contacts(updated);"
	"CREATE TABLE contact_fields("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
	"  kind INTEGER NOT NULL,"		/* enum cfield_kind */
	"  label TEXT, value TEXT NOT NULL, norm TEXT, params TEXT,"
	"  pref INTEGER NOT NULL DEFAULT 0, pos INTEGER NOT NULL);"
	"CREATE INDEX contact_fields_by_contact ON contact_fields(contact_id);"
	"CREATE INDEX contact_fields_by_norm ON contact_fields(kind, norm)"
	"  WHERE norm IS NOT NULL;"
	"CREATE TABLE contact_tags("
	"  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL, pos INTEGER NOT NULL,"
	"  PRIMARY KEY(contact_id, tag)) WITHOUT ROWID;"
	"CREATE TABLE contact_photos("
	"  contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,"
	"  type TEXT, data BLOB, uri TEXT);"
	"CREATE VIRTUAL TABLE contacts_fts USING fts5("
	"  name, org, email, phone, notes, tags,"
	"  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = column);"
	/* Deleting a contact (directly or with its book) drops its index row. */
	"CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN"
	"  DELETE FROM contacts_fts WHERE rowid = old.id;"
	"END;"
	"INSERT INTO books(name, created, updated)"
	"  VALUES ('Personal', strftime('%s','now'), strftime('%s','now'));";

/* The diary.  Times are kept as written (start_local/end_local in tzid,
 * "YYYY-MM-DDTHH:MM:SS", or "YYYY-MM-DD" for all-day events) and as UTC
 * seconds for range queries; until_utc is when the last occurrence of a
 * series ends (NULL: it never does).  A moved or changed occurrence of a
 * series (RECURRENCE-ID) is a row of its own with series_id and
 * recurrence_id set. */
static const char v2[] =
	"CREATE TABLE appointments("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL,"
	"  series_id INTEGER REFERENCES appointments(id) ON DELETE CASCADE,"
	"  recurrence_id TEXT NOT NULL DEFAULT '',"
	"  title TEXT NOT NULL, location TEXT, notes TEXT, category TEXT,"
	"  tzid TEXT, all_day INTEGER NOT NULL DEFAULT 0,"
	"  start_local TEXT NOT NULL, end_local TEXT NOT NULL,"
	"  start_utc INTEGER NOT NULL, end_utc INTEGER NOT NULL,"
	"  rrule TEXT, exdates TEXT, until_utc INTEGER,"
	"  extra TEXT,"			/* iCalendar lines kept verbatim */
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  rev INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE(uid, recurrence_id));"
	"CREATE INDEX appointments_by_start ON appointments(start_utc)"
	"  WHERE rrule IS NULL;"
	/* the longest single appointment and the longest series' one bound
	 * how far before a period an overlapping one can start */
	"CREATE INDEX appointments_single_len ON appointments("
	"  end_utc - start_utc) WHERE rrule IS NULL;"
	"CREATE INDEX appointments_series_len ON appointments("
	"  end_utc - start_utc) WHERE rrule IS NOT NULL AND series_id IS NULL;"
	"CREATE INDEX appointments_series ON appointments(series_id)"
	"  WHERE series_id IS NOT NULL;"
	"CREATE INDEX appointments_recurring ON appointments(until_utc)"
	"  WHERE rrule IS NOT NULL;"
	"CREATE TABLE appointment_attendees("
	"  appointment_id INTEGER NOT NULL REFERENCES appointments(id)"
	"    ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL, name TEXT, email TEXT,"
	"  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	"  role TEXT, partstat TEXT, params TEXT,"
	"  PRIMARY KEY(appointment_id, pos)) WITHOUT ROWID;"
	"CREATE TABLE appointment_reminders("
	"  appointment_id INTEGER NOT NULL REFERENCES appointments(id)"
	"    ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL, minutes INTEGER NOT NULL,"	/* before start */
	"  extra TEXT,"			/* the VALARM's other lines */
	"  PRIMARY KEY(appointment_id, pos)) WITHOUT ROWID;"
	/* The occurrences of every series inside a window of time (kept in
	 * the `diary.window` setting), expanded when a series is saved, so
	 * that showing a period is a query, not a recurrence expansion.
	 * Outside the window the diary expands series as it reads. */
	/* Keyed by start, so a period is one range of the table; what a
	 * list shows of the series is copied in, so no join is needed. */
	"CREATE TABLE occurrences("
	"  start_utc INTEGER NOT NULL,"
	"  series_id INTEGER NOT NULL REFERENCES appointments(id)"
	"    ON DELETE CASCADE,"
	"  end_utc INTEGER NOT NULL,"
	"  start_local TEXT NOT NULL, end_local TEXT NOT NULL,"
	"  title TEXT NOT NULL, location TEXT, category TEXT,"
	"  all_day INTEGER NOT NULL, nrem INTEGER NOT NULL,"
	"  PRIMARY KEY(start_utc, series_id)) WITHOUT ROWID;"
	"CREATE INDEX occurrences_by_series ON occurrences(series_id);"
	/* reminders shown (or dismissed) per occurrence, so that none fires
	 * twice and missed ones can be listed at the next start */
	"CREATE TABLE reminders_done("
	"  appointment_id INTEGER NOT NULL REFERENCES appointments(id)"
	"    ON DELETE CASCADE,"
	"  occurrence_utc INTEGER NOT NULL, minutes INTEGER NOT NULL,"
	"  done INTEGER NOT NULL,"
	"  PRIMARY KEY(appointment_id, occurrence_utc, minutes)) WITHOUT ROWID;";

/* The call log: written by the call engine, one row per call. */
static const char v3[] =
	"CREATE TABLE calls("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('pc', 'phone')),"
	"  direction TEXT NOT NULL CHECK(direction IN ('in', 'out')),"
	"  peer TEXT NOT NULL,"		/* user name, or E.164 number */
	"  peer_name TEXT,"		/* as the peer announced it */
	"  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	"  started INTEGER NOT NULL, duration INTEGER NOT NULL DEFAULT 0,"
	"  outcome TEXT NOT NULL CHECK(outcome IN ('answered', 'missed',"
	"    'rejected', 'failed', 'voicemail', 'busy', 'cancelled')),"
	"  cost_cents INTEGER, currency TEXT,"
	"  loss REAL, jitter_ms REAL, rtt_ms REAL, mos REAL,"
	"  seen INTEGER NOT NULL DEFAULT 1,"
	"  created INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX calls_by_started ON calls(started);"
	"CREATE INDEX calls_unseen ON calls(id) WHERE seen = 0;";

/* CRM: a record per customer contact, and its timeline. */
static const char v4[] =
	"CREATE TABLE crm_records("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	"  contact_uid TEXT,"		/* survives the contact's re-import */
	"  directory_user TEXT,"	/* a company directory user (later) */
	"  name TEXT NOT NULL,"		/* the contact's name when linked */
	"  org TEXT,"
	"  status TEXT NOT NULL, owner TEXT,"
	"  value_cents INTEGER, currency TEXT, source TEXT,"
	"  next_action TEXT, next_date TEXT,"	/* "YYYY-MM-DD" */
	"  next_appt_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  rev INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX crm_records_by_contact ON crm_records(contact_id);"
	"CREATE INDEX crm_records_by_status ON crm_records(status, name);"
	"CREATE INDEX crm_records_by_name ON crm_records(name COLLATE NOCASE);"
	"CREATE INDEX crm_records_by_next ON crm_records(next_date)"
	"  WHERE next_date IS NOT NULL;"
	"CREATE TABLE crm_tags("
	"  record_id INTEGER NOT NULL REFERENCES crm_records(id)"
	"    ON DELETE CASCADE,"
	"  tag TEXT NOT NULL, pos INTEGER NOT NULL,"
	"  PRIMARY KEY(record_id, tag)) WITHOUT ROWID;"
	"CREATE INDEX crm_tags_by_tag ON crm_tags(tag);"
	"CREATE TABLE crm_events("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  record_id INTEGER NOT NULL REFERENCES crm_records(id)"
	"    ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('note', 'call', 'meeting',"
	"    'message')),"
	"  at INTEGER NOT NULL, text TEXT,"
	"  call_id INTEGER REFERENCES calls(id) ON DELETE SET NULL,"
	"  appt_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL,"
	"  message_ref TEXT, author TEXT,"
	"  created INTEGER NOT NULL, rev INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX crm_events_by_record ON crm_events(record_id, at);"
	/* one row per record: its fields and all its notes */
	"CREATE VIRTUAL TABLE crm_fts USING fts5("
	"  name, org, status, owner, source, tags, next_action, notes,"
	"  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3',"
	"  detail = column);"
	"CREATE TRIGGER crm_fts_delete AFTER DELETE ON crm_records BEGIN"
	"  DELETE FROM crm_fts WHERE rowid = old.id;"
	"END;";

/* Messages: a copy of the signed-in user's mailbox on the server (id is
 * the server's entry id), searched with FTS5; and the outbox, what this
 * machine has still to tell the server, in order, each with the
 * idempotency key it is sent with every time it is tried. */
static const char v5[] =
	"CREATE TABLE messages("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL,"
	"  kind TEXT NOT NULL, folder TEXT NOT NULL,"
	"  read INTEGER NOT NULL, outgoing INTEGER NOT NULL,"
	"  sender TEXT, sender_name TEXT, recipients TEXT,"
	"  subject TEXT, body TEXT NOT NULL, created INTEGER NOT NULL,"
	"  reply_to INTEGER, deliver_at INTEGER, expires INTEGER,"
	"  attachments TEXT,"		/* JSON, as the server sent it */
	"  rev INTEGER NOT NULL);"
	"CREATE INDEX messages_by_folder ON messages(folder, created);"
	"CREATE INDEX messages_unread ON messages(folder) WHERE read = 0;"
	"CREATE VIRTUAL TABLE messages_fts USING fts5("
	"  sender, recipients, subject, body,"
	"  content = 'messages', content_rowid = 'id',"
	"  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
	"CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
	"  INSERT INTO messages_fts(rowid, sender, recipients, subject, body)"
	"  VALUES (new.id, coalesce(new.sender_name, '') || ' ' ||"
	"    coalesce(new.sender, ''), new.recipients, new.subject, new.body);"
	"END;"
	"CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
	"  INSERT INTO messages_fts(messages_fts, rowid, sender, recipients,"
	"    subject, body) VALUES ('delete', old.id, coalesce(old.sender_name,"
	"    '') || ' ' || coalesce(old.sender, ''), old.recipients,"
	"    old.subject, old.body);"
	"END;"
	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  account TEXT NOT NULL,"	/* "USER SERVER" it belongs to */
	"  key TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  payload TEXT NOT NULL,"	/* the JSON to send */
	"  created INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  error TEXT,"			/* why it was last refused or not sent */
	"  failed INTEGER NOT NULL DEFAULT 0);"	/* refused: not retried */
	"CREATE INDEX outbox_by_account ON outbox(account, id);";

/* Sync with confabd.  sync_map has a row per synced record (kind, uid:
 * the same on every machine): the local row it is (NULL once deleted
 * here), the server revision this copy is based on, and whether it
 * changed here since (dirty) or is on its way (queued, in the outbox).
 * Triggers keep it: any insert, update or delete of a book, a contact
 * or a call marks its record dirty, so every path that changes data
 * (TUI, CLI, import) is caught.  While
 * changes from the server are applied, sync_ctl.applying is 1 and the
 * triggers stay quiet.  sync_conflicts keeps both versions of a record
 * changed on two machines until the user decides.  The default address
 * book has the same uid everywhere ("personal"), so that two machines'
 * "Personal" books are one. */
#define SYNC_QUIET " WHEN (SELECT applying FROM sync_ctl) = 0 "
#define SYNC_TRIGGERS(kind, table, uid, update, pre)                         \
	"CREATE TRIGGER sync_" table "_insert AFTER INSERT ON " table         \
	SYNC_QUIET "BEGIN " pre                                               \
	"INSERT INTO sync_map(kind, uid, local_id) SELECT '"                  \
	kind "', " uid ", new.id WHERE true ON CONFLICT(kind, uid) DO UPDATE" \
	" SET local_id = excluded.local_id, dirty = 1; END;"                  \
	"CREATE TRIGGER sync_" table "_update AFTER " update " ON " table     \
	SYNC_QUIET "BEGIN UPDATE sync_map SET dirty = 1 WHERE kind = '" kind  \
	"' AND local_id = new.id; END;"                                       \
	"CREATE TRIGGER sync_" table "_delete AFTER DELETE ON " table         \
	SYNC_QUIET "BEGIN UPDATE sync_map SET dirty = 1, local_id = NULL "    \
	"WHERE kind = '" kind "' AND local_id = old.id; END;"
static const char v6[] =
	"ALTER TABLE books ADD COLUMN uid TEXT;"
	"UPDATE books SET uid = CASE WHEN id = (SELECT min(id) FROM books) AND"
	"  name = 'Personal' THEN 'personal' ELSE lower(hex(randomblob(16)))"
	"  END;"
	"CREATE UNIQUE INDEX books_by_uid ON books(uid);"
	"CREATE TABLE sync_ctl(applying INTEGER NOT NULL);"
	"INSERT INTO sync_ctl VALUES (0);"
	"CREATE TABLE sync_map("
	"  kind TEXT NOT NULL, uid TEXT NOT NULL,"
	"  local_id INTEGER,"
	"  rev INTEGER NOT NULL DEFAULT 0,"
	"  dirty INTEGER NOT NULL DEFAULT 1,"
	"  queued INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(kind, uid)) WITHOUT ROWID;"
	"CREATE INDEX sync_map_by_local ON sync_map(kind, local_id);"
	"CREATE INDEX sync_map_dirty ON sync_map(kind) WHERE dirty AND NOT queued;"
	"CREATE TABLE sync_conflicts("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL, uid TEXT NOT NULL,"
	"  mine TEXT,"			/* NULL: deleted here */
	"  theirs TEXT,"		/* NULL: deleted there */
	"  rev INTEGER NOT NULL,"	/* the server's revision of theirs */
	"  created INTEGER NOT NULL,"
	"  UNIQUE(kind, uid));"
	"INSERT INTO sync_map(kind, uid, local_id) SELECT 'book', uid, id"
	"  FROM books;"
	"INSERT OR IGNORE INTO sync_map(kind, uid, local_id) SELECT 'contact',"
	"  uid, id FROM contacts;"
	"INSERT OR IGNORE INTO sync_map(kind, uid, local_id) SELECT 'call',"
	"  uid, id FROM calls;"
	/* a new book gets its uid even while applying */
	"CREATE TRIGGER books_uid AFTER INSERT ON books WHEN new.uid IS NULL"
	"  BEGIN UPDATE books SET uid = lower(hex(randomblob(16)))"
	"  WHERE id = new.id AND uid IS NULL; END;"
	SYNC_TRIGGERS("book", "books", "(SELECT uid FROM books WHERE id ="
		      " new.id)", "UPDATE OF name, uid", "UPDATE books SET uid ="
		      " lower(hex(randomblob(16))) WHERE id = new.id AND uid IS"
		      " NULL;")
	/* contacts: their fields, tags and photo are only ever written
	 * with the contact's row (store/contacts.c), so its row tells */
	SYNC_TRIGGERS("contact", "contacts", "new.uid", "UPDATE", "")
	SYNC_TRIGGERS("call", "calls", "new.uid", "UPDATE", "");

/* Sync of the diary and CRM.  An appointment record is a whole series
 * (or single appointment) with its changed occurrences: a change to an
 * override marks its series.  A CRM record changes with its fields and
 * tags (crm_save() writes the row with them), not when only its
 * `updated` time or a link to a local row moves; its timeline events are
 * records of their own ("crm_note").  A record that arrives before the
 * one it belongs to (a contact before its book, a note before its CRM
 * record: the server lists records by their latest revision) waits in
 * sync_parked until that one comes. */
static const char v7[] =
	"CREATE TABLE sync_parked("
	"  kind TEXT NOT NULL, uid TEXT NOT NULL,"
	"  rev INTEGER NOT NULL, data TEXT NOT NULL,"
	"  needs_kind TEXT NOT NULL, needs_uid TEXT NOT NULL,"
	"  PRIMARY KEY(kind, uid)) WITHOUT ROWID;"
	"CREATE INDEX sync_parked_needs ON sync_parked(needs_kind, needs_uid);"
	"INSERT OR IGNORE INTO sync_map(kind, uid, local_id) SELECT"
	"  'appointment', uid, id FROM appointments WHERE series_id IS NULL"
	"  AND id NOT IN (SELECT next_appt_id FROM crm_records WHERE"
	"  next_appt_id IS NOT NULL);"
	"INSERT OR IGNORE INTO sync_map(kind, uid, local_id) SELECT 'crm',"
	"  uid, id FROM crm_records;"
	"INSERT OR IGNORE INTO sync_map(kind, uid, local_id) SELECT"
	"  'crm_note', uid, id FROM crm_events;"
	"CREATE TRIGGER sync_appointments_insert AFTER INSERT ON appointments"
	SYNC_QUIET "BEGIN "
	"INSERT INTO sync_map(kind, uid, local_id) SELECT 'appointment',"
	" new.uid, new.id WHERE new.series_id IS NULL ON CONFLICT(kind, uid)"
	" DO UPDATE SET local_id = excluded.local_id, dirty = 1;"
	"UPDATE sync_map SET dirty = 1 WHERE kind = 'appointment' AND"
	" local_id = new.series_id; END;"
	"CREATE TRIGGER sync_appointments_update AFTER UPDATE ON appointments"
	SYNC_QUIET "BEGIN UPDATE sync_map SET dirty = 1 WHERE kind ="
	" 'appointment' AND local_id = coalesce(new.series_id, new.id); END;"
	"CREATE TRIGGER sync_appointments_delete AFTER DELETE ON appointments"
	SYNC_QUIET "BEGIN UPDATE sync_map SET dirty = 1, local_id = CASE WHEN"
	" old.series_id IS NULL THEN NULL ELSE local_id END WHERE kind ="
	" 'appointment' AND local_id = coalesce(old.series_id, old.id); END;"
	SYNC_TRIGGERS("crm", "crm_records", "new.uid", "UPDATE OF uid,"
		      " contact_uid, name, org, status, owner, value_cents,"
		      " currency, source, next_action, next_date", "")
	SYNC_TRIGGERS("crm_note", "crm_events", "new.uid", "UPDATE", "");
#undef SYNC_QUIET

const struct db_migration db_client_migrations[] = {
	{ 1, v1 },
	{ 2, v2 },
	{ 3, v3 },
	{ 4, v4 },
	{ 5, v5 },
	{ 6, v6 },
	{ 7, v7 },
};
const size_t db_client_nmigrations =
	sizeof db_client_migrations / sizeof db_client_migrations[0];
