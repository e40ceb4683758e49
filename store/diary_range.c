/* store/diary_range: the occurrences of a period, and "this occurrence"
 * edits of a series. */
#include "store/diary.h"
#include "store/db.h"
#include "store/recur.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPAND_LIMIT 100000	/* occurrences visited per series and query */

struct occ_list {
	struct occurrence *v;
	size_t n, cap;
};

static struct occurrence *occ_push(struct occ_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	memset(&l->v[l->n], 0, sizeof *l->v);
	return &l->v[l->n++];
}

static void occ_text(struct occurrence *o, sqlite3_stmt *st, int title,
		     int loc, int cat)
{
	const char *l = COL_TEXT(st, loc), *c = COL_TEXT(st, cat);

	o->title = xstrdup(COL_TEXT(st, title));
	o->location = xstrdup(l ? l : "");
	o->category = xstrdup(c ? c : "");
}

/* Single appointments and moved occurrences: stored as they are. */
static int singles(struct db *db, int64_t from, int64_t to,
		   struct occ_list *l)
{
	sqlite3_stmt *st = db_stmt(db,
		"SELECT a.id, a.series_id, a.recurrence_id, a.title,"
		" a.location, a.category, a.all_day, a.start_local,"
		" a.end_local, a.start_utc, a.end_utc, (SELECT count(*) FROM"
		" appointment_reminders r WHERE r.appointment_id = a.id)"
		" FROM appointments a WHERE a.rrule IS NULL AND"
		" a.start_utc >= ?3 AND a.start_utc < ?2 AND a.end_utc > ?1");
	sqlite3_stmt *mx = db_stmt(db, "SELECT max(end_utc - start_utc) FROM "
				   "appointments WHERE rrule IS NULL");
	int64_t longest = 0;
	int rc;

	if (!st || !mx)
		return -EIO;
	if (sqlite3_step(mx) == SQLITE_ROW)
		longest = sqlite3_column_int64(mx, 0);
	sqlite3_reset(mx);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, from - longest);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct occurrence *o = occ_push(l);
		o->appt_id = sqlite3_column_int64(st, 0);
		o->series_id = sqlite3_column_int64(st, 1);
		if (!o->series_id)
			o->series_id = o->appt_id;
		else {
			o->recurring = true;
			o->recurrence_id = xstrdup(COL_TEXT(st, 2));
		}
		occ_text(o, st, 3, 4, 5);
		o->all_day = sqlite3_column_int(st, 6) != 0;
		snprintf(o->start, sizeof o->start, "%s", COL_TEXT(st, 7));
		snprintf(o->end, sizeof o->end, "%s", COL_TEXT(st, 8));
		o->start_utc = sqlite3_column_int64(st, 9);
		o->end_utc = sqlite3_column_int64(st, 10);
		o->nrem = sqlite3_column_int(st, 11);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* One series being expanded; emit() gets each occurrence that is not
 * excluded or moved. */
struct series {
	struct occ_list *l;
	sqlite3_stmt *row;	/* its row in the series query (live path) */
	int64_t id;
	const char *tzid;
	bool all_day;
	struct dt start, end;
	int64_t dur;
	char **skip;		/* EXDATEs and overridden occurrences */
	size_t nskip;
	int nrem;
	struct db *db;
	int (*emit)(struct series *s, const char *start, int64_t start_utc,
		    const char *end, int64_t end_utc);
};

static bool skipped(const struct series *s, const char *local)
{
	for (size_t i = 0; i < s->nskip; i++)
		if (strcmp(s->skip[i], local) == 0)
			return true;
	return false;
}

static int on_occurrence(void *arg, const struct dt *start, int64_t start_utc)
{
	struct series *s = arg;
	char local[DT_STRLEN], elocal[DT_STRLEN];
	int64_t end_utc;

	dt_format(start, local);
	if (skipped(s, local))
		return 0;
	struct dt end = *start;
	if (s->all_day) {
		dt_add_days(&end, dt_days_between(&s->start, &s->end));
		end_utc = dt_to_utc(&end, NULL);
	} else {
		end_utc = start_utc + s->dur;
		dt_from_utc(end_utc, s->tzid, &end);
	}
	dt_format(&end, elocal);
	return s->emit(s, local, start_utc, elocal, end_utc);
}

/* live path: straight into the list */
static int emit_list(struct series *s, const char *start, int64_t start_utc,
		     const char *end, int64_t end_utc)
{
	struct occurrence *o = occ_push(s->l);

	o->appt_id = o->series_id = s->id;
	o->recurring = true;
	o->recurrence_id = xstrdup(start);
	o->all_day = s->all_day;
	snprintf(o->start, sizeof o->start, "%s", start);
	snprintf(o->end, sizeof o->end, "%s", end);
	o->start_utc = start_utc;
	o->end_utc = end_utc;
	occ_text(o, s->row, 1, 2, 3);
	o->nrem = s->nrem;
	return 0;
}

/* cache path: into the occurrences table */
static int emit_cache(struct series *s, const char *start, int64_t start_utc,
		      const char *end, int64_t end_utc)
{
	sqlite3_stmt *st = db_stmt(s->db, "INSERT OR REPLACE INTO occurrences("
				   "series_id, start_utc, end_utc, start_local,"
				   " end_local, title, location, category, "
				   "all_day, nrem) VALUES (?, ?, ?, ?, ?, ?, ?,"
				   " ?, ?, ?)");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, start_utc);
	sqlite3_bind_int64(st, 3, end_utc);
	sqlite3_bind_text(st, 4, start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, end, -1, SQLITE_STATIC);
	for (int i = 0; i < 3; i++)	/* title, location, category */
		sqlite3_bind_value(st, 6 + i,
				   sqlite3_column_value(s->row, 1 + i));
	sqlite3_bind_int(st, 9, s->all_day);
	sqlite3_bind_int(st, 10, s->nrem);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_reset(st);
	return rc;
}

static void add_skip(struct series *s, const char *local)
{
	s->skip = xrealloc(s->skip, (s->nskip + 1) * sizeof *s->skip);
	s->skip[s->nskip++] = xstrdup(local);
}

static int overridden(struct db *db, struct series *s)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT recurrence_id FROM appointments"
				   " WHERE series_id = ?");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, s->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_skip(s, COL_TEXT(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* The series in row `st` (columns as in the queries below) expanded over
 * [from, to) into s->emit. */
static int expand_row(struct db *db, sqlite3_stmt *st, struct series *s,
		      int64_t from, int64_t to)
{
	int rc = 0;

	s->db = db;
	s->row = st;
	s->id = sqlite3_column_int64(st, 0);
	s->all_day = sqlite3_column_int(st, 4) != 0;
	s->tzid = COL_TEXT(st, 7);
	if (!dt_parse(COL_TEXT(st, 5), &s->start) ||
	    !dt_parse(COL_TEXT(st, 6), &s->end))
		return 0;	/* diary_save never stores such */
	s->dur = s->all_day ? (int64_t)dt_days_between(&s->start, &s->end) *
				      86400 :
			      dt_to_utc(&s->end, s->tzid) -
				      dt_to_utc(&s->start, s->tzid);
	s->nrem = sqlite3_column_int(st, 10);
	const char *ex = COL_TEXT(st, 9);
	while (ex && *ex) {
		const char *c = strchr(ex, ',');
		char *one = xstrndup(ex, c ? (size_t)(c - ex) : strlen(ex));
		add_skip(s, one);
		free(one);
		ex = c ? c + 1 : NULL;
	}
	if (sqlite3_column_int(st, 11))
		rc = overridden(db, s);
	if (rc == 0)
		rc = recur_expand(COL_TEXT(st, 8), &s->start,
				  s->all_day ? NULL : s->tzid, s->dur, from, to,
				  EXPAND_LIMIT, on_occurrence, s);
	for (size_t i = 0; i < s->nskip; i++)
		free(s->skip[i]);
	free(s->skip);
	s->skip = NULL;
	s->nskip = 0;
	return rc == -EINVAL ? 0 : rc;	/* an unreadable rule: nothing */
}

#define SERIES_COLS \
	"SELECT a.id, a.title, a.location, a.category, a.all_day," \
	" a.start_local, a.end_local, a.tzid, a.rrule, a.exdates," \
	" (SELECT count(*) FROM appointment_reminders r WHERE" \
	" r.appointment_id = a.id), EXISTS (SELECT 1 FROM appointments" \
	" o WHERE o.series_id = a.id) FROM appointments a "

/* Live: every series with a chance of an occurrence in [from, to). */
static int series_live(struct db *db, int64_t from, int64_t to,
		       struct occ_list *l)
{
	sqlite3_stmt *st = db_stmt(db, SERIES_COLS
		"WHERE a.rrule IS NOT NULL AND a.series_id IS NULL AND"
		" a.start_utc < ?2 AND (a.until_utc IS NULL OR"
		" a.until_utc > ?1)");
	int rc = 0, step;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct series s = { .l = l, .emit = emit_list };
		rc = expand_row(db, st, &s, from, to);
	}
	sqlite3_reset(st);
	return rc;
}

/* ---- the occurrence cache ----------------------------------------------------- */

#define WINDOW_BACK (366 * 86400LL)		/* a year back */
#define WINDOW_AHEAD (2 * 366 * 86400LL)	/* two years ahead */
#define WINDOW_SLACK (366 * 86400LL)	/* moved on when less is left */

static bool window(struct db *db, int64_t *from, int64_t *to)
{
	char *w = db_setting_get(db, "diary.window");
	long long a, b;
	bool ok = w && sscanf(w, "%lld %lld", &a, &b) == 2 && a < b;

	free(w);
	if (ok) {
		*from = a;
		*to = b;
	}
	return ok;
}

/* (Re)expand one series into the cache, if there is a window. */
static int cache_series(struct db *db, int64_t series_id)
{
	sqlite3_stmt *del = db_stmt(db, "DELETE FROM occurrences WHERE "
				    "series_id = ?");
	sqlite3_stmt *st = db_stmt(db, SERIES_COLS "WHERE a.id = ? AND "
				   "a.rrule IS NOT NULL AND a.series_id IS NULL");
	int64_t from, to;
	int rc = 0;

	if (!del || !st)
		return -EIO;
	sqlite3_bind_int64(del, 1, series_id);
	if (sqlite3_step(del) != SQLITE_DONE)
		rc = -EIO;
	sqlite3_reset(del);
	if (rc < 0 || !window(db, &from, &to))
		return rc;
	sqlite3_bind_int64(st, 1, series_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		struct series s = { .emit = emit_cache };
		rc = expand_row(db, st, &s, from, to);
	}
	sqlite3_reset(st);
	return rc;
}

/* A window around now over every series, when there is none or it is
 * running out. */
static int cache_refresh(struct db *db, int64_t now, bool force)
{
	int64_t from, to;

	if (!force && window(db, &from, &to) && now - from >= 0 &&
	    to - now >= WINDOW_SLACK)
		return 0;
	char *w = xasprintf("%lld %lld", (long long)(now - WINDOW_BACK),
			    (long long)(now + WINDOW_AHEAD));
	sqlite3_stmt *ids = db_stmt(db, "SELECT id FROM appointments WHERE "
				    "rrule IS NOT NULL AND series_id IS NULL");
	int64_t *v = NULL;
	size_t n = 0;
	int rc = db_begin(db) < 0 ? -EIO : 0;

	if (rc == 0 && (db_setting_set(db, "diary.window", w) < 0 ||
			db_exec(db, "DELETE FROM occurrences") < 0 || !ids))
		rc = -EIO;
	free(w);
	while (rc == 0 && sqlite3_step(ids) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n++] = sqlite3_column_int64(ids, 0);
	}
	if (ids)
		sqlite3_reset(ids);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = cache_series(db, v[i]);
	free(v);
	if (rc == 0 && db_commit(db) < 0)
		rc = -EIO;
	if (rc < 0)
		db_rollback(db);
	return rc;
}

int diary_cache_update(struct db *db, int64_t series_id)
{
	int rc = cache_refresh(db, (int64_t)time(NULL), false);

	return rc == 0 && series_id ? cache_series(db, series_id) : rc;
}

int diary_cache_rebuild(struct db *db)
{
	return cache_refresh(db, (int64_t)time(NULL), true);
}

/* From the cache: [from, to) must lie inside the window. */
static int series_cached(struct db *db, int64_t from, int64_t to,
			 struct occ_list *l)
{
	sqlite3_stmt *mx = db_stmt(db, "SELECT max(end_utc - start_utc) FROM "
				   "appointments WHERE rrule IS NOT NULL AND "
				   "series_id IS NULL");
	sqlite3_stmt *st = db_stmt(db,
		"SELECT series_id, title, location, category, all_day,"
		" start_local, end_local, start_utc, end_utc, nrem"
		" FROM occurrences"
		" WHERE start_utc >= ?1 AND start_utc < ?2 AND end_utc > ?3");
	int64_t longest = 0;
	int rc;

	if (!mx || !st)
		return -EIO;
	if (sqlite3_step(mx) == SQLITE_ROW)
		longest = sqlite3_column_int64(mx, 0);
	sqlite3_reset(mx);
	sqlite3_bind_int64(st, 1, from - longest);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, from);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct occurrence *o = occ_push(l);
		o->appt_id = o->series_id = sqlite3_column_int64(st, 0);
		o->recurring = true;
		occ_text(o, st, 1, 2, 3);
		o->all_day = sqlite3_column_int(st, 4) != 0;
		snprintf(o->start, sizeof o->start, "%s", COL_TEXT(st, 5));
		snprintf(o->end, sizeof o->end, "%s", COL_TEXT(st, 6));
		o->recurrence_id = xstrdup(o->start);
		o->start_utc = sqlite3_column_int64(st, 7);
		o->end_utc = sqlite3_column_int64(st, 8);
		o->nrem = sqlite3_column_int(st, 9);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static int series(struct db *db, int64_t from, int64_t to, struct occ_list *l)
{
	int64_t wf, wt;

	if (window(db, &wf, &wt) && from >= wf && to <= wt)
		return series_cached(db, from, to, l);
	return series_live(db, from, to, l);
}

static int occ_cmp(const void *pa, const void *pb)
{
	const struct occurrence *a = pa, *b = pb;

	if (a->start_utc != b->start_utc)
		return a->start_utc < b->start_utc ? -1 : 1;
	if (a->all_day != b->all_day)
		return a->all_day ? -1 : 1;
	int c = strcmp(a->title, b->title);
	if (c)
		return c;
	return a->appt_id < b->appt_id ? -1 : a->appt_id > b->appt_id;
}

int diary_range(struct db *db, int64_t from_utc, int64_t to_utc,
		struct occurrence **out, size_t *n)
{
	struct occ_list l = { 0 };
	int rc = singles(db, from_utc, to_utc, &l);

	if (rc == 0)
		rc = series(db, from_utc, to_utc, &l);
	if (rc < 0) {
		occurrences_free(l.v, l.n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, occ_cmp);
	*out = l.v;
	*n = l.n;
	return 0;
}

void occurrences_free(struct occurrence *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(o[i].recurrence_id);
		free(o[i].title);
		free(o[i].location);
		free(o[i].category);
	}
	free(o);
}

/* ---- "this occurrence" ---------------------------------------------------- */

int diary_delete_occurrence(struct db *db, int64_t series_id,
			    const char *recurrence_id)
{
	struct appointment *a;
	int64_t over = 0;
	char *err = NULL;
	int rc = diary_get(db, series_id, &a);

	if (rc < 0)
		return rc;
	if (!a->rrule) {
		appointment_free(a);
		return -EINVAL;
	}
	if (db_begin(db) < 0) {
		appointment_free(a);
		return -EIO;
	}
	rc = diary_find_uid(db, a->uid, recurrence_id, &over);
	if (rc == 0 && over)
		rc = diary_delete(db, over);
	if (rc == 0) {
		appointment_add_exdate(a, recurrence_id);
		rc = diary_save(db, a, &err);
	}
	free(err);
	appointment_free(a);
	if (rc == 0 && db_commit(db) < 0)
		rc = -EIO;
	if (rc < 0)
		db_rollback(db);
	return rc;
}

int diary_save_occurrence(struct db *db, int64_t series_id,
			  const char *recurrence_id, struct appointment *changed,
			  char **err)
{
	struct appointment *s;
	int64_t over = 0;
	int rc = diary_get(db, series_id, &s);

	if (rc < 0)
		return rc;
	if (!s->rrule) {
		appointment_free(s);
		*err = xstrdup("not a recurring appointment");
		return -EINVAL;
	}
	rc = diary_find_uid(db, s->uid, recurrence_id, &over);
	if (rc == 0) {
		changed->id = over;
		changed->series_id = series_id;
		str_set(&changed->uid, s->uid);
		str_set(&changed->recurrence_id, recurrence_id);
		free(changed->rrule);
		changed->rrule = NULL;
		for (size_t i = 0; i < changed->nexdates; i++)
			free(changed->exdates[i]);
		free(changed->exdates);
		changed->exdates = NULL;
		changed->nexdates = 0;
		rc = diary_save(db, changed, err);
	}
	appointment_free(s);
	return rc;
}
