/* store/crm: CRM records and their tags (the timeline, index and diary
 * link are in crm_timeline.c and crm_next.c). */
#include "store/crm.h"
#include "store/contacts.h"
#include "store/db.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


struct crm_record *crm_record_new(void)
{
	return xcalloc(1, sizeof(struct crm_record));
}

void crm_record_clear_tags(struct crm_record *r)
{
	for (size_t i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	free(r->tags);
	r->tags = NULL;
	r->ntags = 0;
}

void crm_record_free(struct crm_record *r)
{
	if (!r)
		return;
	char *s[] = { r->uid, r->contact_uid, r->name, r->org, r->status,
		      r->owner, r->source, r->currency, r->next_action,
		      r->next_date };
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		free(s[i]);
	crm_record_clear_tags(r);
	free(r);
}

void crm_record_add_tag(struct crm_record *r, const char *tag)
{
	char *t = str_trim(xstrdup(tag ? tag : ""));

	for (size_t i = 0; *t && i < r->ntags; i++)
		if (strcmp(r->tags[i], t) == 0)
			*t = '\0';
	if (!*t) {
		free(t);
		return;
	}
	r->tags = xrealloc(r->tags, (r->ntags + 1) * sizeof *r->tags);
	r->tags[r->ntags++] = t;
}

static void crm_bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (str_empty(s))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static char *crm_col_dup(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ?
		       NULL : xstrdup(COL_TEXT(st, i));
}

static int crm_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;

	sqlite3_reset(st);
	return rc;
}

static const char crm_sql_insert[] =
	"INSERT INTO crm_records(uid, contact_id, contact_uid, name, org,"
	" status, owner, value_cents, currency, source, next_action,"
	" next_date, next_appt_id, created, updated) VALUES (?1, ?2, ?3, ?4,"
	" ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char crm_sql_update[] =
	"UPDATE crm_records SET uid=?1, contact_id=?2, contact_uid=?3,"
	" name=?4, org=?5, status=?6, owner=?7, value_cents=?8, currency=?9,"
	" source=?10, next_action=?11, next_date=?12, next_appt_id=?13,"
	" created=?14, updated=?15 WHERE id=?16";

static int crm_save_row(struct db *db, struct crm_record *r)
{
	bool insert = r->id == 0;
	sqlite3_stmt *st = db_stmt(db, insert ? crm_sql_insert :
						crm_sql_update);

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, r->uid, -1, SQLITE_STATIC);
	if (r->contact_id)
		sqlite3_bind_int64(st, 2, r->contact_id);
	crm_bind_opt(st, 3, r->contact_uid);
	sqlite3_bind_text(st, 4, r->name, -1, SQLITE_STATIC);
	crm_bind_opt(st, 5, r->org);
	sqlite3_bind_text(st, 6, r->status, -1, SQLITE_STATIC);
	crm_bind_opt(st, 7, r->owner);
	if (r->has_value)
		sqlite3_bind_int64(st, 8, r->value_cents);
	crm_bind_opt(st, 9, r->has_value ? r->currency : NULL);
	crm_bind_opt(st, 10, r->source);
	crm_bind_opt(st, 11, r->next_action);
	crm_bind_opt(st, 12, r->next_date);
	if (r->next_appt_id)
		sqlite3_bind_int64(st, 13, r->next_appt_id);
	sqlite3_bind_int64(st, 14, r->created);
	sqlite3_bind_int64(st, 15, r->updated);
	if (!insert)
		sqlite3_bind_int64(st, 16, r->id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	if (rc != SQLITE_DONE)
		return -EIO;
	if (insert)
		r->id = sqlite3_last_insert_rowid(db_handle(db));
	else if (sqlite3_changes(db_handle(db)) == 0)
		return -ENOENT;
	return 0;
}

static int crm_save_tags(struct db *db, const struct crm_record *r)
{
	sqlite3_stmt *del = db_stmt(db, "DELETE FROM crm_tags WHERE "
				    "record_id = ?");
	sqlite3_stmt *ins = db_stmt(db, "INSERT OR IGNORE INTO crm_tags("
				    "record_id, tag, pos) VALUES (?, ?, ?)");

	if (!del || !ins)
		return -EIO;
	sqlite3_bind_int64(del, 1, r->id);
	if (crm_step_done(del) < 0)
		return -EIO;
	for (size_t i = 0; i < r->ntags; i++) {
		sqlite3_bind_int64(ins, 1, r->id);
		sqlite3_bind_text(ins, 2, r->tags[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, (int64_t)i);
		if (crm_step_done(ins) < 0)
			return -EIO;
	}
	return 0;
}

static int crm_check(const struct crm_record *r, char **err)
{
	const char *msg = NULL;

	if (str_empty(r->name))
		msg = "a CRM record needs a name";
	else if (str_empty(r->status))
		msg = "a CRM record needs a status";
	else if (r->has_value && str_empty(r->currency))
		msg = "a value needs a currency, e.g. 1200 EUR";
	if (msg) {
		if (err)
			*err = xstrdup(msg);
		return -EINVAL;
	}
	if (!str_empty(r->next_date) && !crm_date_valid(r->next_date)) {
		if (err)
			*err = xasprintf("bad next-action date '%s': use "
					 "YYYY-MM-DD", r->next_date);
		return -EINVAL;
	}
	return 0;
}

/* A linked contact's current name and organisation. */
static void crm_follow_contact(struct db *db, struct crm_record *r)
{
	struct contact_row row;

	if (!r->contact_id || contacts_row(db, r->contact_id, &row) < 0)
		return;
	str_set(&r->name, row.fn);
	str_set(&r->org, row.org);
	contact_row_clear(&row);
}

int crm_save(struct db *db, struct crm_record *r, char **err)
{
	crm_follow_contact(db, r);
	if (crm_check(r, err) < 0)
		return -EINVAL;
	if (str_empty(r->next_date))
		str_set(&r->next_date, NULL);
	if (str_empty(r->uid))
		str_set(&r->uid, NULL), r->uid = uid_new();
	int64_t now = time(NULL);
	bool fresh = r->id == 0;
	if (!r->created)	/* kept when given: a record synced here */
		r->created = now;
	r->updated = now;
	if (db_begin(db) < 0)
		return -EIO;
	char *msg = NULL;
	int rc = crm_save_row(db, r);
	if (rc == 0)
		rc = crm_save_tags(db, r);
	if (rc == 0 && (rc = crm_sync_appointment(db, r, &msg)) == 0)
		rc = crm_save_row(db, r);	/* with next_appt_id */
	if (rc == 0)
		rc = crm_reindex(db, r->id);
	if (rc < 0) {
		db_rollback(db);
		if (fresh)
			r->id = 0;
		if (err && msg)
			*err = msg, msg = NULL;
		else if (err && rc == -EEXIST)
			*err = xasprintf("another CRM record has UID %s",
					 r->uid);
		else if (err)
			*err = xasprintf("cannot save the CRM record: %s",
					 db_errmsg(db));
		free(msg);
		return rc;
	}
	return db_commit(db);
}

static const char crm_sql_get[] =
	"SELECT id, uid, contact_id, contact_uid, name, org, status, owner,"
	" source, value_cents, currency, next_action, next_date,"
	" next_appt_id, created, updated FROM crm_records WHERE id = ?";

int crm_get(struct db *db, int64_t id, struct crm_record **out)
{
	sqlite3_stmt *st = db_stmt(db, crm_sql_get);
	sqlite3_stmt *tg = db_stmt(db, "SELECT tag FROM crm_tags WHERE "
				   "record_id = ? ORDER BY pos");

	*out = NULL;
	if (!st || !tg)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -ENOENT;
	}
	struct crm_record *r = crm_record_new();
	r->id = sqlite3_column_int64(st, 0);
	r->uid = crm_col_dup(st, 1);
	r->contact_id = sqlite3_column_int64(st, 2);
	r->contact_uid = crm_col_dup(st, 3);
	r->name = crm_col_dup(st, 4);
	r->org = crm_col_dup(st, 5);
	r->status = crm_col_dup(st, 6);
	r->owner = crm_col_dup(st, 7);
	r->source = crm_col_dup(st, 8);
	r->has_value = sqlite3_column_type(st, 9) != SQLITE_NULL;
	r->value_cents = sqlite3_column_int64(st, 9);
	r->currency = crm_col_dup(st, 10);
	r->next_action = crm_col_dup(st, 11);
	r->next_date = crm_col_dup(st, 12);
	r->next_appt_id = sqlite3_column_int64(st, 13);
	r->created = sqlite3_column_int64(st, 14);
	r->updated = sqlite3_column_int64(st, 15);
	sqlite3_reset(st);
	sqlite3_bind_int64(tg, 1, id);
	while (sqlite3_step(tg) == SQLITE_ROW)
		crm_record_add_tag(r, COL_TEXT(tg, 0));
	sqlite3_reset(tg);
	*out = r;
	return 0;
}

int crm_delete(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM crm_records WHERE id = ?");
	struct crm_record *r;
	int rc;

	if (!st)
		return -EIO;
	if ((rc = crm_get(db, id, &r)) < 0)
		return rc;
	if (db_begin(db) < 0) {
		crm_record_free(r);
		return -EIO;
	}
	str_set(&r->next_date, NULL);	/* drops the diary reminder */
	rc = crm_sync_appointment(db, r, NULL);
	crm_record_free(r);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, id);
		rc = crm_step_done(st);
	}
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int64_t crm_count(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM crm_records");
	int64_t n = 0;

	if (!st)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static int crm_first_id(sqlite3_stmt *st, int64_t *id)
{
	int rc = sqlite3_step(st);

	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int crm_record_for_contact(struct db *db, int64_t contact_id, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM crm_records WHERE "
				   "contact_id = ? ORDER BY id LIMIT 1");

	*id = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, contact_id);
	return crm_first_id(st, id);
}

int crm_find_uid(struct db *db, const char *uid, int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM crm_records WHERE "
				   "uid = ?");

	*id = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	return crm_first_id(st, id);
}

int crm_create_for_contact(struct db *db, int64_t contact_id,
			   const char *status, int64_t *id, char **err)
{
	struct contact *c;
	int rc = crm_record_for_contact(db, contact_id, id);

	if (rc < 0)
		return rc;
	if (*id) {
		if (err)
			*err = xstrdup("this contact already has a CRM record");
		return -EEXIST;
	}
	if ((rc = contacts_get(db, contact_id, &c)) < 0) {
		if (err)
			*err = xstrdup("no such contact");
		return rc;
	}
	struct crm_record *r = crm_record_new();
	r->contact_id = c->id;
	r->contact_uid = xstrdup(c->uid);
	r->name = xstrdup(c->fn);
	r->org = xstrdup(c->org);
	r->status = xstrdup(status);
	contact_free(c);
	rc = crm_save(db, r, err);
	*id = r->id;
	crm_record_free(r);
	return rc;
}
