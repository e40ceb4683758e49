/* store/reminders: which diary reminders are due, and which were shown. */
#include "store/reminders.h"
#include "store/db.h"
#include "store/diary.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int64_t max_lead(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT max(minutes) FROM "
				   "appointment_reminders");
	int64_t m = -1;

	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		m = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return m;
}

static bool done(struct db *db, int64_t appt, int64_t start, int minutes)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM reminders_done WHERE "
				   "appointment_id = ? AND occurrence_utc = ? "
				   "AND minutes = ?");
	bool yes;

	if (!st)
		return true;	/* unreadable: stay quiet rather than nag */
	sqlite3_bind_int64(st, 1, appt);
	sqlite3_bind_int64(st, 2, start);
	sqlite3_bind_int(st, 3, minutes);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

static int due_cmp(const void *pa, const void *pb)
{
	const struct reminder_due *a = pa, *b = pb;

	if (a->fire_utc != b->fire_utc)
		return a->fire_utc < b->fire_utc ? -1 : 1;
	return a->start_utc < b->start_utc ? -1 : a->start_utc > b->start_utc;
}

int reminders_due(struct db *db, int64_t from, int64_t to,
		  struct reminder_due **out, size_t *n)
{
	sqlite3_stmt *sm = db_stmt(db, "SELECT minutes FROM "
				   "appointment_reminders WHERE "
				   "appointment_id = ?");
	int64_t lead = max_lead(db);
	struct occurrence *o;
	size_t no, cap = 0;
	struct reminder_due *v = NULL;

	*out = NULL;
	*n = 0;
	if (!sm)
		return -EIO;
	if (lead < 0)
		return 0;	/* no reminders at all */
	if (diary_range(db, from, to + lead * 60 + 1, &o, &no) < 0)
		return -EIO;
	for (size_t i = 0; i < no; i++) {
		if (!o[i].nrem)
			continue;
		sqlite3_bind_int64(sm, 1, o[i].appt_id);
		while (sqlite3_step(sm) == SQLITE_ROW) {
			int m = sqlite3_column_int(sm, 0);
			int64_t fire = o[i].start_utc - (int64_t)m * 60;
			if (fire < from || fire > to ||
			    done(db, o[i].appt_id, o[i].start_utc, m))
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[(*n)++] = (struct reminder_due){
				o[i].appt_id, o[i].start_utc, m, fire,
				o[i].all_day, xstrdup(o[i].title),
				xstrdup(o[i].location) };
		}
		sqlite3_reset(sm);
	}
	occurrences_free(o, no);
	if (*n > 1)
		qsort(v, *n, sizeof *v, due_cmp);
	*out = v;
	return 0;
}

int64_t reminders_next(struct db *db, int64_t after, int64_t horizon)
{
	struct reminder_due *v;
	size_t n;
	int64_t when = 0;

	if (reminders_due(db, after + 1, after + horizon, &v, &n) < 0)
		return 0;
	if (n)
		when = v[0].fire_utc;
	reminders_free(v, n);
	return when;
}

int reminders_mark_done(struct db *db, const struct reminder_due *r,
			int64_t when)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO reminders_done("
				   "appointment_id, occurrence_utc, minutes, "
				   "done) VALUES (?, ?, ?, ?)");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, r->appt_id);
	sqlite3_bind_int64(st, 2, r->start_utc);
	sqlite3_bind_int(st, 3, r->minutes);
	sqlite3_bind_int64(st, 4, when);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_reset(st);
	return rc;
}

void reminders_free(struct reminder_due *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].location);
	}
	free(v);
}
