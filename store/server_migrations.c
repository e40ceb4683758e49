/* store/server_migrations: confabd's database schema, numbered forward
 * steps (see store/migrations.c for the client's).  Never edit a step that
 * has shipped; add a new one. */
#include "store/server.h"

static const char v1[] =
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE companies("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL, address TEXT, regions TEXT, markets TEXT,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE TABLE users("
	"  id INTEGER PRIMARY KEY,"
	"  company_id INTEGER NOT NULL REFERENCES companies(id),"
	"  username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  name TEXT, title TEXT, department TEXT,"
	"  pw_hash TEXT,"			/* argon2id string */
	"  perms INTEGER NOT NULL DEFAULT 0,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  pw_changed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE sessions("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  token_hash BLOB NOT NULL UNIQUE,"	/* BLAKE2b of the token */
	"  created INTEGER NOT NULL, expires INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0, addr TEXT);"
	"CREATE INDEX sessions_by_user ON sessions(user_id);"
	"CREATE TABLE reset_codes("
	"  code_hash BLOB PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  expires INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0)"
	"  WITHOUT ROWID;"
	"CREATE TABLE login_throttle("
	"  key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
	"  last INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	"  company_id INTEGER, actor_id INTEGER,"
	"  action TEXT NOT NULL, target TEXT, detail TEXT);";

/* Presence: what each user says they are; no row means offline. */
static const char v2[] =
	"CREATE TABLE presence("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL CHECK(state IN ('online', 'away', 'busy',"
	"    'dnd', 'offline')),"
	"  note TEXT, updated INTEGER NOT NULL);"
	"CREATE INDEX users_by_company ON users(company_id, username);";

/* The durable per-user event log (clients read it from a cursor) and
 * the online monitor: who watches whom, once the watched one accepts. */
static const char v3[] =
	"CREATE TABLE events("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL, data TEXT NOT NULL, created INTEGER NOT NULL);"
	"CREATE INDEX events_by_user ON events(user_id, id);"
	"CREATE TABLE monitor("
	"  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  target_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL CHECK(status IN ('pending', 'accepted',"
	"    'declined')),"
	"  message TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  PRIMARY KEY(owner_id, target_id)) WITHOUT ROWID;"
	"CREATE INDEX monitor_by_target ON monitor(target_id, status);";

/* Presence that lapses: when none of a user's sessions has been heard
 * from for presence_timeout, `state` becomes offline and what they had
 * chosen waits in `chosen`/`chosen_note` until a session is back.  NULL
 * `chosen`: `state` is what they chose (or signed out to). */
static const char v4[] =
	"ALTER TABLE presence ADD COLUMN chosen TEXT CHECK(chosen IS NULL OR"
	"  chosen IN ('online', 'away', 'busy', 'dnd'));"
	"ALTER TABLE presence ADD COLUMN chosen_note TEXT;";

/* Pictures: users' profile photos and companies' logos, PNG or JPEG as
 * confabd checked them (common/image.c), with their size and SHA-256. */
static const char v5[] =
	"CREATE TABLE user_photos("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  type TEXT NOT NULL CHECK(type IN ('image/png', 'image/jpeg')),"
	"  data BLOB NOT NULL, sha256 TEXT NOT NULL,"
	"  width INTEGER NOT NULL, height INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"CREATE TABLE company_logos("
	"  company_id INTEGER PRIMARY KEY"
	"    REFERENCES companies(id) ON DELETE CASCADE,"
	"  type TEXT NOT NULL CHECK(type IN ('image/png', 'image/jpeg')),"
	"  data BLOB NOT NULL, sha256 TEXT NOT NULL,"
	"  width INTEGER NOT NULL, height INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);";

/* What users keep in their own profile: phones and preferences, JSON
 * texts checked by src/server/api_profile.c. */
static const char v6[] =
	"CREATE TABLE user_profiles("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  phones TEXT, prefs TEXT);";

/* Messages.  A message is stored once; each user who has it (sender and
 * recipients) has a mailbox entry of their own, with its folder and read
 * mark, numbered by `rev` from one counter so that a client pulls what
 * changed since the last rev it saw.  A purged entry stays as a
 * tombstone so that every machine of its owner learns of it.  Reminders
 * wait with delivered = 0 until deliver_at.  A sender's idempotency key
 * (client_key) makes a retried send return the first one. */
static const char v7[] =
	"CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
	"  WITHOUT ROWID;"
	"INSERT INTO counters VALUES ('mailbox', 0);"
	"CREATE TABLE messages("
	"  id INTEGER PRIMARY KEY,"
	"  company_id INTEGER NOT NULL REFERENCES companies(id),"
	"  sender_id INTEGER REFERENCES users(id),"
	"  kind TEXT NOT NULL CHECK(kind IN ('text', 'announcement',"
	"    'reminder', 'contact_request', 'voicemail', 'videomail')),"
	"  recipients TEXT NOT NULL,"	/* usernames, or targets; one a line */
	"  subject TEXT, body TEXT NOT NULL,"
	"  reply_to INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
	"  created INTEGER NOT NULL, deliver_at INTEGER, expires INTEGER,"
	"  delivered INTEGER NOT NULL DEFAULT 1,"
	"  client_key TEXT,"
	"  UNIQUE(sender_id, client_key));"
	"CREATE INDEX messages_due ON messages(deliver_at) WHERE delivered = 0;"
	"CREATE TABLE mailbox("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  outgoing INTEGER NOT NULL,"
	"  folder TEXT NOT NULL CHECK(folder IN ('inbox', 'sent', 'trash')),"
	"  read INTEGER NOT NULL DEFAULT 0,"
	"  purged INTEGER NOT NULL DEFAULT 0,"
	"  rev INTEGER NOT NULL,"
	"  UNIQUE(user_id, message_id, outgoing));"
	"CREATE INDEX mailbox_by_rev ON mailbox(user_id, rev);"
	"CREATE INDEX mailbox_unread ON mailbox(user_id)"
	"  WHERE folder = 'inbox' AND NOT read AND NOT purged;"
	"CREATE TABLE attachments("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL, data BLOB NOT NULL, created INTEGER NOT NULL);"
	"CREATE TABLE message_attachments("
	"  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  attachment_id INTEGER NOT NULL REFERENCES attachments(id),"
	"  pos INTEGER NOT NULL,"
	"  PRIMARY KEY(message_id, attachment_id)) WITHOUT ROWID;"
	"CREATE INDEX message_attachments_by_att ON"
	"  message_attachments(attachment_id);";

/* Synced data: each record a user keeps on every machine (address
 * books, contacts, diary, call log: owner_id is the user) or that the
 * company shares (CRM: owner_id 0), as the client's text of it, numbered
 * by `rev` from the "sync" counter.  A deleted record stays as a
 * tombstone.  sync_keys remembers the answer to each change a client
 * sent, by its idempotency key, so a retry gets the same answer. */
static const char v8[] =
	"INSERT INTO counters VALUES ('sync', 0);"
	"CREATE TABLE sync_items("
	"  id INTEGER PRIMARY KEY,"
	"  company_id INTEGER NOT NULL REFERENCES companies(id),"
	"  owner_id INTEGER NOT NULL,"	/* 0: the company's */
	"  kind TEXT NOT NULL, uid TEXT NOT NULL,"
	"  rev INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	"  data TEXT,"
	"  updated_by INTEGER, updated INTEGER NOT NULL,"
	"  UNIQUE(company_id, owner_id, kind, uid));"
	"CREATE INDEX sync_items_by_rev ON sync_items(company_id, owner_id, rev);"
	"CREATE TABLE sync_keys("
	"  user_id INTEGER NOT NULL, key TEXT NOT NULL,"
	"  result TEXT NOT NULL, created INTEGER NOT NULL,"
	"  PRIMARY KEY(user_id, key)) WITHOUT ROWID;";

/* Calls: the signalling state of each call confabd carried (see
 * src/server/api_calls.c).  The id is random text; the offer and answer
 * (opaque JSON texts the clients exchange) are kept only while the call
 * is ringing or answered, for a client that reconnects.  ring_until is
 * when a call still ringing becomes missed, in unix milliseconds. */
static const char v9[] =
	"CREATE TABLE calls("
	"  id TEXT PRIMARY KEY,"
	"  company_id INTEGER NOT NULL REFERENCES companies(id),"
	"  caller_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  callee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  caller_session INTEGER NOT NULL,"
	"  answer_session INTEGER,"
	"  video INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK(state IN ('ringing', 'answered',"
	"    'rejected', 'busy', 'cancelled', 'missed', 'ended', 'offline',"
	"    'dnd')),"
	"  offer TEXT, answer TEXT,"
	"  created INTEGER NOT NULL, ring_until INTEGER NOT NULL,"
	"  answered_at INTEGER, ended_at INTEGER,"
	"  ended_by INTEGER, end_reason TEXT) WITHOUT ROWID;"
	"CREATE INDEX calls_ringing ON calls(ring_until)"
	"  WHERE state = 'ringing';"
	"CREATE INDEX calls_by_caller ON calls(caller_id, created);"
	"CREATE INDEX calls_by_callee ON calls(callee_id, created);"
	"CREATE INDEX calls_live_caller ON calls(caller_id)"
	"  WHERE state IN ('ringing', 'answered');"
	"CREATE INDEX calls_live_callee ON calls(callee_id)"
	"  WHERE state IN ('ringing', 'answered');";

const struct db_migration db_server_migrations[] = {
	{ 1, v1 },
	{ 2, v2 },
	{ 3, v3 },
	{ 4, v4 },
	{ 5, v5 },
	{ 6, v6 },
	{ 7, v7 },
	{ 8, v8 },
	{ 9, v9 },
};
const size_t db_server_nmigrations =
	sizeof db_server_migrations / sizeof db_server_migrations[0];
