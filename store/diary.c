/* store/diary: appointments in SQLite, and the occurrences of a period. */
#include "store/diary.h"
#include "store/db.h"
#include "store/recur.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


/* ---- checking and normalising -------------------------------------------- */

static int fail(char **err, char *msg)
{
	if (err)
		*err = msg;
	else
		free(msg);
	return -EINVAL;
}

/* a->start, a->end, tzid and all_day made consistent; s and e filled. */
static int check_times(struct appointment *a, struct dt *s, struct dt *e,
		       char **err)
{
	char buf[DT_STRLEN];

	if (!dt_parse(a->start, s))
		return fail(err, xasprintf("start: not a date or time: '%s' "
					   "(use YYYY-MM-DD HH:MM or YYYY-MM-DD)",
					   a->start ? a->start : ""));
	if (s->date)
		a->all_day = true;
	if (a->all_day && !s->date) {
		s->date = true;
		s->hour = s->min = s->sec = 0;
	}
	if (str_empty(a->end)) {
		*e = *s;
		if (s->date)
			dt_add_days(e, 1);
		else
			e->hour += 1;	/* past 23: the next day, below */
	} else if (!dt_parse(a->end, e)) {
		return fail(err, xasprintf("end: not a date or time: '%s'",
					   a->end));
	}
	if (e->hour > 23) {
		e->hour -= 24;
		dt_add_days(e, 1);
	}
	if (s->date && !e->date) {		/* a time given for an
						   all-day end: its day */
		e->date = true;
		e->hour = e->min = e->sec = 0;
		dt_add_days(e, 1);
	} else if (!s->date && e->date) {
		return fail(err, xstrdup("end: give a time, as the start has "
					 "one"));
	}
	if (a->all_day) {
		free(a->tzid);
		a->tzid = NULL;
	}
	if (!str_empty(a->tzid) && !dt_zone_known(a->tzid))
		return fail(err, xasprintf("unknown time zone '%s' (use an "
					   "IANA name like Europe/London)",
					   a->tzid));
	if (str_empty(a->tzid)) {
		free(a->tzid);
		a->tzid = NULL;
	}
	dt_format(s, buf);
	str_set(&a->start, buf);
	dt_format(e, buf);
	str_set(&a->end, buf);
	if (s->date ? dt_days_between(s, e) < 1 :
		      dt_to_utc(e, a->tzid) < dt_to_utc(s, a->tzid))
		return fail(err, xasprintf("it ends (%s) before it starts (%s)",
					   a->end, a->start));
	return 0;
}

/* The same form as the start: a date for all-day series, else a time. */
static int norm_local(char **v, const struct dt *s, const char *what,
		      char **err)
{
	struct dt t;
	char buf[DT_STRLEN];

	if (!dt_parse(*v, &t))
		return fail(err, xasprintf("%s: not a date or time: '%s'", what,
					   *v));
	if (s->date && !t.date) {
		t.date = true;
		t.hour = t.min = t.sec = 0;
	} else if (!s->date && t.date) {	/* a date only: at the
						   series' time of day */
		t.date = false;
		t.hour = s->hour, t.min = s->min, t.sec = s->sec;
	}
	dt_format(&t, buf);
	str_set(v, buf);
	return 0;
}

static int check(struct appointment *a, struct dt *s, struct dt *e,
		 char **err)
{
	int rc;

	if (a->title)
		str_trim(a->title);
	if (str_empty(a->title))
		return fail(err, xstrdup("an appointment needs a title"));
	if ((rc = check_times(a, s, e, err)) < 0)
		return rc;
	if (!str_empty(a->rrule)) {
		if (str_istarts(a->rrule, "RRULE:"))
			memmove(a->rrule, a->rrule + 6, strlen(a->rrule + 6) + 1);
		str_trim(a->rrule);
		if ((rc = recur_check(a->rrule, err)) < 0)
			return rc;
	} else {
		free(a->rrule);
		a->rrule = NULL;
	}
	for (size_t i = 0; i < a->nexdates; i++)
		if ((rc = norm_local(&a->exdates[i], s, "excluded date",
				     err)) < 0)
			return rc;
	if (!str_empty(a->recurrence_id) &&
	    (rc = norm_local(&a->recurrence_id, s, "recurrence id", err)) < 0)
		return rc;
	for (size_t i = 0; i < a->nrem; i++)
		if (a->rem[i].minutes < 0 || a->rem[i].minutes > 366 * 1440)
			return fail(err, xasprintf("reminder: %d minutes before "
						   "is out of range",
						   a->rem[i].minutes));
	return 0;
}

/* Seconds an occurrence lasts (all-day: whole days). */
static int64_t duration(const struct dt *s, const struct dt *e,
			const char *tzid)
{
	if (s->date)
		return (int64_t)dt_days_between(s, e) * 86400;
	return dt_to_utc(e, tzid) - dt_to_utc(s, tzid);
}

/* ---- saving -------------------------------------------------------------- */

static char *join_exdates(const struct appointment *a)
{
	struct sbuf b;

	if (!a->nexdates)
		return NULL;
	sbuf_init(&b);
	for (size_t i = 0; i < a->nexdates; i++) {
		if (i)
			sbuf_addc(&b, ',');
		sbuf_add(&b, a->exdates[i]);
	}
	return sbuf_take(&b);
}

static int save_children(struct db *db, const struct appointment *a,
			 bool fresh)
{
	sqlite3_stmt *da = db_stmt(db, "DELETE FROM appointment_attendees "
				   "WHERE appointment_id = ?");
	sqlite3_stmt *dr = db_stmt(db, "DELETE FROM appointment_reminders "
				   "WHERE appointment_id = ?");
	sqlite3_stmt *ia = db_stmt(db, "INSERT INTO appointment_attendees("
				   "appointment_id, pos, name, email, "
				   "contact_id, role, partstat, params) "
				   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *ir = db_stmt(db, "INSERT INTO appointment_reminders("
				   "appointment_id, pos, minutes, extra) "
				   "VALUES (?, ?, ?, ?)");

	if (!da || !dr || !ia || !ir)
		return -EIO;
	if (!fresh) {
		sqlite3_bind_int64(da, 1, a->id);
		sqlite3_bind_int64(dr, 1, a->id);
		if (db_step_done(da) < 0 || db_step_done(dr) < 0)
			return -EIO;
	}
	for (size_t i = 0; i < a->natt; i++) {
		const struct appt_attendee *t = &a->att[i];
		sqlite3_bind_int64(ia, 1, a->id);
		sqlite3_bind_int64(ia, 2, (int64_t)i);
		db_bind_opt(ia, 3, t->name);
		db_bind_opt(ia, 4, t->email);
		if (t->contact_id)
			sqlite3_bind_int64(ia, 5, t->contact_id);
		else
			sqlite3_bind_null(ia, 5);
		db_bind_opt(ia, 6, t->role);
		db_bind_opt(ia, 7, t->partstat);
		db_bind_opt(ia, 8, t->params);
		if (db_step_done(ia) < 0)
			return -EIO;
	}
	for (size_t i = 0; i < a->nrem; i++) {
		sqlite3_bind_int64(ir, 1, a->id);
		sqlite3_bind_int64(ir, 2, (int64_t)i);
		sqlite3_bind_int(ir, 3, a->rem[i].minutes);
		db_bind_opt(ir, 4, a->rem[i].extra);
		if (db_step_done(ir) < 0)
			return -EIO;
	}
	return 0;
}

static const char sql_insert[] =
	"INSERT INTO appointments(uid, series_id, recurrence_id, title,"
	" location, notes, category, tzid, all_day, start_local, end_local,"
	" start_utc, end_utc, rrule, exdates, until_utc, extra, created,"
	" updated, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";
static const char sql_update[] =
	"UPDATE appointments SET uid=?1, series_id=?2, recurrence_id=?3,"
	" title=?4, location=?5, notes=?6, category=?7, tzid=?8, all_day=?9,"
	" start_local=?10, end_local=?11, start_utc=?12, end_utc=?13,"
	" rrule=?14, exdates=?15, until_utc=?16, extra=?17, created=?18,"
	" updated=?19, rev=?20 WHERE id=?21";

static int save_row(struct db *db, struct appointment *a)
{
	bool insert = a->id == 0;
	sqlite3_stmt *st = db_stmt(db, insert ? sql_insert : sql_update);
	char *ex = join_exdates(a);

	if (!st) {
		free(ex);
		return -EIO;
	}
	sqlite3_bind_text(st, 1, a->uid, -1, SQLITE_STATIC);
	if (a->series_id)
		sqlite3_bind_int64(st, 2, a->series_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, a->recurrence_id ? a->recurrence_id : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->title, -1, SQLITE_STATIC);
	db_bind_opt(st, 5, a->location);
	db_bind_opt(st, 6, a->notes);
	db_bind_opt(st, 7, a->category);
	db_bind_opt(st, 8, a->tzid);
	sqlite3_bind_int(st, 9, a->all_day);
	sqlite3_bind_text(st, 10, a->start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, a->end, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, a->start_utc);
	sqlite3_bind_int64(st, 13, a->end_utc);
	db_bind_opt(st, 14, a->rrule);
	db_bind_opt(st, 15, ex);
	if (a->rrule && a->until_utc)
		sqlite3_bind_int64(st, 16, a->until_utc);
	else
		sqlite3_bind_null(st, 16);
	db_bind_opt(st, 17, a->extra);
	sqlite3_bind_int64(st, 18, a->created);
	sqlite3_bind_int64(st, 19, a->updated);
	sqlite3_bind_int64(st, 20, a->rev);
	if (!insert)
		sqlite3_bind_int64(st, 21, a->id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	free(ex);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	if (rc != SQLITE_DONE)
		return -EIO;
	if (insert)
		a->id = sqlite3_last_insert_rowid(db_handle(db));
	else if (sqlite3_changes(db_handle(db)) == 0)
		return -ENOENT;
	return 0;
}

int diary_save(struct db *db, struct appointment *a, char **err)
{
	struct dt s, e;
	int rc = check(a, &s, &e, err);
	bool fresh = a->id == 0;

	if (rc < 0)
		return rc;
	if (str_empty(a->uid)) {
		free(a->uid);
		a->uid = uid_new();
	}
	a->start_utc = dt_to_utc(&s, a->tzid);
	a->end_utc = dt_to_utc(&e, a->tzid);
	a->until_utc = a->rrule ? recur_last_end(a->rrule, &s, a->tzid,
						 duration(&s, &e, a->tzid)) : 0;
	a->updated = (int64_t)time(NULL);
	if (!a->created)
		a->created = a->updated;
	if (db_begin(db) < 0)
		return -EIO;
	rc = save_row(db, a);
	if (rc == 0)
		rc = save_children(db, a, fresh);
	if (rc == 0)	/* this series' (or its series') occurrences */
		rc = diary_cache_update(db, a->series_id ? a->series_id :
							   a->id);
	if (rc == 0 && db_commit(db) < 0)
		rc = -EIO;
	if (rc < 0) {
		db_rollback(db);
		if (fresh)
			a->id = 0;
		if (rc == -EEXIST)
			fail(err, xasprintf("another appointment has UID %s%s%s",
					    a->uid, a->recurrence_id ?
					    " and recurrence id " : "",
					    a->recurrence_id ?
					    a->recurrence_id : ""));
		else if (err && !*err)
			*err = xasprintf("cannot save: %s", db_errmsg(db));
	}
	return rc;
}

/* ---- loading ------------------------------------------------------------- */

static void split_exdates(struct appointment *a, const char *s)
{
	while (s && *s) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		char *one = xstrndup(s, n);
		if (*one)
			appointment_add_exdate(a, one);
		free(one);
		s = c ? c + 1 : NULL;
	}
}

int diary_get(struct db *db, int64_t id, struct appointment **out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT uid, series_id, recurrence_id,"
				   " title, location, notes, category, tzid,"
				   " all_day, start_local, end_local, start_utc,"
				   " end_utc, rrule, exdates, until_utc, extra,"
				   " created, updated, rev FROM appointments "
				   "WHERE id = ?");
	sqlite3_stmt *sa = db_stmt(db, "SELECT name, email, contact_id, role,"
				   " partstat, params FROM appointment_attendees"
				   " WHERE appointment_id = ? ORDER BY pos");
	sqlite3_stmt *sr = db_stmt(db, "SELECT minutes, extra FROM "
				   "appointment_reminders WHERE "
				   "appointment_id = ? ORDER BY pos");
	struct appointment *a;
	int rc;

	*out = NULL;
	if (!st || !sa || !sr)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? -ENOENT : -EIO;
	}
	a = appointment_new();
	a->id = id;
	a->uid = db_col_dup(st, 0);
	a->series_id = sqlite3_column_int64(st, 1);
	a->recurrence_id = db_col_dup(st, 2);
	if (a->recurrence_id && !*a->recurrence_id) {
		free(a->recurrence_id);
		a->recurrence_id = NULL;
	}
	a->title = db_col_dup(st, 3);
	a->location = db_col_dup(st, 4);
	a->notes = db_col_dup(st, 5);
	a->category = db_col_dup(st, 6);
	a->tzid = db_col_dup(st, 7);
	a->all_day = sqlite3_column_int(st, 8) != 0;
	a->start = db_col_dup(st, 9);
	a->end = db_col_dup(st, 10);
	a->start_utc = sqlite3_column_int64(st, 11);
	a->end_utc = sqlite3_column_int64(st, 12);
	a->rrule = db_col_dup(st, 13);
	split_exdates(a, COL_TEXT(st, 14));
	a->until_utc = sqlite3_column_int64(st, 15);
	a->extra = db_col_dup(st, 16);
	a->created = sqlite3_column_int64(st, 17);
	a->updated = sqlite3_column_int64(st, 18);
	a->rev = sqlite3_column_int64(st, 19);
	sqlite3_reset(st);
	sqlite3_bind_int64(sa, 1, id);
	while (sqlite3_step(sa) == SQLITE_ROW) {
		struct appt_attendee *t = appointment_add_attendee(a);
		t->name = db_col_dup(sa, 0);
		t->email = db_col_dup(sa, 1);
		t->contact_id = sqlite3_column_int64(sa, 2);
		t->role = db_col_dup(sa, 3);
		t->partstat = db_col_dup(sa, 4);
		t->params = db_col_dup(sa, 5);
	}
	sqlite3_reset(sa);
	sqlite3_bind_int64(sr, 1, id);
	while (sqlite3_step(sr) == SQLITE_ROW)
		appointment_add_reminder(a, sqlite3_column_int(sr, 0),
					 COL_TEXT(sr, 1));
	sqlite3_reset(sr);
	*out = a;
	return 0;
}

int diary_delete(struct db *db, int64_t id)
{
	sqlite3_stmt *sq = db_stmt(db, "SELECT series_id FROM appointments "
				   "WHERE id = ?");
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM appointments WHERE id = ?");
	int64_t series = 0;
	int rc;

	if (!sq || !st)
		return -EIO;
	sqlite3_bind_int64(sq, 1, id);
	if (sqlite3_step(sq) == SQLITE_ROW)
		series = sqlite3_column_int64(sq, 0);
	sqlite3_reset(sq);
	if (db_begin(db) < 0)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = db_step_done(st);
	if (rc == 0 && !sqlite3_changes(db_handle(db)))
		rc = -ENOENT;
	/* a moved occurrence deleted: the series' own comes back */
	if (rc == 0 && series)
		rc = diary_cache_update(db, series);
	if (rc == 0 && db_commit(db) < 0)
		rc = -EIO;
	if (rc < 0)
		db_rollback(db);
	return rc;
}

int diary_find_uid(struct db *db, const char *uid, const char *recurrence_id,
		   int64_t *id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM appointments WHERE "
				   "uid = ? AND recurrence_id = ?");
	int rc;

	*id = 0;
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, uid ? uid : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, recurrence_id ? recurrence_id : "", -1,
			  SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}
