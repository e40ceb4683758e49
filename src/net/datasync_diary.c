/* net/datasync_diary: diary appointments, CRM records and their
 * timelines as sync records (see net/datasync_int.h).
 *
 * An appointment travels as {"ical": VCALENDAR}: a series (or single
 * appointment) with its changed occurrences, as an export writes it, so
 * every iCalendar property is kept.  A CRM record travels as its fields
 * with its contact's uid (a link that holds only where that contact is,
 * since contacts are a user's own while CRM is the company's); a
 * timeline event ("crm_note") as {"record": CRM_UID, "kind", "at",
 * "text", "call": CALL_UID, "appt": APPOINTMENT_UID}.  The all-day
 * appointment a CRM record keeps for its next action is made by each
 * machine from the record, not synced.
 */
#include "net/datasync_int.h"
#include "store/crm.h"
#include "store/db.h"
#include "store/diary.h"
#include "store/diary_io.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- appointments ------------------------------------------------------------------ */

static char *appointment_text(struct db *db, int64_t id)
{
	struct sbuf b;
	char *t = NULL;

	sbuf_init(&b);
	if (diary_series_write(db, id, &b) == 0)
		t = ds_dump(json_pack("{s:s}", "ical", sbuf_str(&b)));
	sbuf_free(&b);
	return t;
}

static int put_series(struct db *db, const char *uid, json_t *j,
		      int64_t local, const char *as_uid, int64_t *id,
		      char **err)
{
	const char *ics = json_string_value(json_object_get(j, "ical"));
	char *why = NULL;

	if (!ics) {
		*err = xstrdup("an appointment without its iCalendar text");
		return -1;
	}
	if (diary_series_put(db, uid, ics, strlen(ics), local, as_uid, id,
			     &why) < 0) {
		*err = xasprintf("an appointment that cannot be stored: %s",
				 why ? why : "database error");
		free(why);
		return -1;
	}
	return 0;
}

static int apply_appointment(struct ds_apply *a, json_t *j)
{
	return put_series(a->db, a->uid, j, a->local, NULL, &a->id, &a->err);
}

static int remove_appointment(struct db *db, int64_t id)
{
	int rc = diary_delete(db, id);

	return rc == -ENOENT ? 0 : rc;
}

static int copy_appointment(struct db *db, const char *uid, json_t *mine,
			    const char *region, char **err)
{
	char *nu = uid_new();
	int64_t id;

	(void)region;
	int rc = put_series(db, uid, mine, 0, nu, &id, err);
	free(nu);
	return rc;
}

/* A CRM record's next action, made here from the record. */
static bool appointment_local_only(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM crm_records WHERE "
				   "next_appt_id = ?");

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, id);
	return db_step_int64(st, 0) == 1;
}

const struct ds_kind ds_appointment = {
	.name = "appointment",
	.holds_sql = "SELECT 1 FROM appointments WHERE id = ? AND uid = ? AND"
		     " series_id IS NULL",
	.text = appointment_text,
	.apply = apply_appointment,
	.remove = remove_appointment,
	.copy = copy_appointment,
	.local_only = appointment_local_only,
	.partial = true,	/* a series, then its overrides */
};

/* ---- CRM records ------------------------------------------------------------------- */

static void put_str(json_t *j, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(j, key, json_string(v));
}

static char *crm_text(struct db *db, int64_t id)
{
	struct crm_record *r;

	if (crm_get(db, id, &r) < 0)
		return NULL;
	json_t *j = json_pack("{s:s,s:s,s:I}", "name", r->name ? r->name : "",
			      "status", r->status ? r->status : "", "created",
			      (json_int_t)r->created);
	json_t *tags = json_array();

	put_str(j, "org", r->org);
	put_str(j, "owner", r->owner);
	put_str(j, "source", r->source);
	if (r->has_value)
		json_object_set_new(j, "value_cents",
				    json_integer(r->value_cents));
	put_str(j, "currency", r->currency);
	put_str(j, "next_action", r->next_action);
	put_str(j, "next_date", r->next_date);
	put_str(j, "contact_uid", r->contact_uid);
	for (size_t i = 0; i < r->ntags; i++)
		json_array_append_new(tags, json_string(r->tags[i]));
	json_object_set_new(j, "tags", tags);
	crm_record_free(r);
	return ds_dump(j);
}

static const char contact_by_uid_sql[] =
	"SELECT id FROM contacts WHERE uid = ? ORDER BY id LIMIT 1";

static int apply_crm(struct ds_apply *a, json_t *j)
{
	const char *name = NULL, *status = NULL, *org = NULL, *owner = NULL,
		   *source = NULL, *cur = NULL, *action = NULL, *date = NULL,
		   *cuid = NULL;
	json_int_t value = 0, created = 0;
	json_t *v;
	json_t *tags = NULL, *t;
	struct crm_record *r = NULL;
	int64_t id = a->local;
	json_error_t je;
	size_t i;

	ds_strip_nulls(j);
	if (json_unpack_ex(j, &je, 0, "{s:s,s:s,s?s,s?s,s?s,s?I,s?s,s?s,s?s,"
			   "s?s,s?o,s?I}", "name", &name, "status", &status,
			   "org", &org, "owner", &owner, "source", &source,
			   "value_cents", &value, "currency", &cur,
			   "next_action", &action, "next_date", &date,
			   "contact_uid", &cuid, "tags", &tags, "created",
			   &created) < 0 ||
	    (tags && !json_is_array(tags))) {
		a->err = xasprintf("a CRM record that cannot be read: %s",
				   tags ? "'tags' is not a list" : je.text);
		return -1;
	}
	if (!id && crm_find_uid(a->db, a->uid, &id) < 0)
		return -1;
	if (!id || crm_get(a->db, id, &r) < 0) {
		r = crm_record_new();	/* new here */
		r->created = created;
	}
	str_set(&r->uid, a->uid);
	str_set(&r->name, name);
	str_set(&r->status, status);
	str_set(&r->org, org);
	str_set(&r->owner, owner);
	str_set(&r->source, source);
	v = json_object_get(j, "value_cents");
	r->has_value = v != NULL;
	r->value_cents = v ? value : 0;
	str_set(&r->currency, cur);
	str_set(&r->next_action, action);
	str_set(&r->next_date, date);
	str_set(&r->contact_uid, cuid);
	r->contact_id = 0;
	if (cuid) {
		sqlite3_stmt *st = db_stmt(a->db, contact_by_uid_sql);
		if (st) {
			sqlite3_bind_text(st, 1, cuid, -1, SQLITE_STATIC);
			r->contact_id = db_step_int64(st, 0);
		}
	}
	crm_record_clear_tags(r);
	json_array_foreach(tags, i, t)
		if (json_is_string(t))
			crm_record_add_tag(r, json_string_value(t));
	int rc = crm_save(a->db, r, &a->err);
	a->id = r->id;
	crm_record_free(r);
	if (rc < 0 && !a->err)
		a->err = xstrdup("cannot store a CRM record");
	return rc < 0 ? -1 : 0;
}

static int remove_crm(struct db *db, int64_t id)
{
	int rc = crm_delete(db, id);

	return rc == -ENOENT ? 0 : rc;
}

const struct ds_kind ds_crm = {
	.name = "crm",
	.holds_sql = "SELECT 1 FROM crm_records WHERE id = ? AND uid = ?",
	.text = crm_text,
	.apply = apply_crm,
	.remove = remove_crm,
	.partial = true,	/* the record, then its diary entry */
};

/* ---- CRM timelines --------------------------------------------------------------------- */

static char *uid_of(struct db *db, const char *sql, int64_t id)
{
	sqlite3_stmt *st = id ? db_stmt(db, sql) : NULL;
	char *u = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		u = db_col_dup(st, 0);
	sqlite3_reset(st);
	return u;
}

static char *note_text(struct db *db, int64_t id)
{
	struct crm_event e;

	if (crm_event_get(db, id, &e) < 0)
		return NULL;
	char *rec = uid_of(db, "SELECT uid FROM crm_records WHERE id = ?",
			   e.record_id);
	char *call = uid_of(db, "SELECT uid FROM calls WHERE id = ?",
			    e.call_id);
	char *appt = uid_of(db, "SELECT uid FROM appointments WHERE id = ?",
			    e.appt_id);
	char *t = rec ? ds_dump(json_pack("{s:s,s:s,s:I,s:s*,s:s*,s:s*}",
					  "record", rec, "kind", e.kind, "at",
					  (json_int_t)e.at, "text", e.text,
					  "call", call, "appt", appt)) : NULL;

	free(rec);
	free(call);
	free(appt);
	crm_event_clear(&e);
	return t;
}

static int apply_note(struct ds_apply *a, json_t *j)
{
	const char *rec = NULL, *kind = NULL, *text = NULL, *call = NULL,
		   *appt = NULL;
	json_int_t at = 0;
	struct crm_event e = { 0 };
	json_error_t je;

	ds_strip_nulls(j);
	if (json_unpack_ex(j, &je, 0, "{s:s,s:s,s:I,s?s,s?s,s?s}", "record",
			   &rec, "kind", &kind, "at", &at, "text", &text,
			   "call", &call, "appt", &appt) < 0 ||
	    !crm_event_kind_valid(kind)) {
		a->err = xasprintf("a CRM note that cannot be read: %s",
				   kind ? "unknown kind" : je.text);
		return -1;
	}
	if (crm_find_uid(a->db, rec, &e.record_id) < 0)
		return -1;
	if (!e.record_id) {
		if (a->force)
			return 0;	/* its record is gone: so is it */
		a->needs_kind = "crm";
		a->needs_uid = xstrdup(rec);
		return DS_PARK;
	}
	e.id = a->local;
	e.uid = (char *)a->uid;
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	e.at = at;
	e.text = (char *)text;
	if (call) {
		sqlite3_stmt *st = db_stmt(a->db, "SELECT id FROM calls WHERE "
					   "uid = ?");
		if (st) {
			sqlite3_bind_text(st, 1, call, -1, SQLITE_STATIC);
			e.call_id = db_step_int64(st, 0);
		}
	}
	if (appt && diary_find_uid(a->db, appt, NULL, &e.appt_id) < 0)
		e.appt_id = 0;
	int rc = crm_event_put(a->db, &e);
	a->id = e.id;
	if (rc < 0) {
		a->err = xstrdup("cannot store a CRM note");
		return -1;
	}
	return 0;
}

static int remove_note(struct db *db, int64_t id)
{
	int rc = crm_delete_event(db, id);

	return rc == -ENOENT ? 0 : rc;
}

const struct ds_kind ds_crm_note = {
	.name = "crm_note",
	.holds_sql = "SELECT 1 FROM crm_events WHERE id = ? AND uid = ?",
	.text = note_text,
	.apply = apply_note,
	.remove = remove_note,
};
