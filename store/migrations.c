/* store/migrations: the client database schema, as numbered forward steps.
 *
 * Never edit a step that has shipped; add a new one.  Version 1 holds the
 * address books; later steps add the diary, CRM, messages and call logs.
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

const struct db_migration db_client_migrations[] = {
	{ 1, v1 },
};
const size_t db_client_nmigrations =
	sizeof db_client_migrations / sizeof db_client_migrations[0];
