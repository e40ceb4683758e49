/* Unit tests for store/diary, store/diary_range and store/recur. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/diary.h"
#include "store/recur.h"
#include "store/reminders.h"
#include "common/str.h"

struct fx {
	char dir[64];
	struct db *db;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *err = NULL;

	strcpy(f->dir, "/tmp/confab-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char *path = xasprintf("%s/confab.db", f->dir);
	assert_int_equal(db_open(&f->db, path, db_client_migrations,
				 db_client_nmigrations, &err), 0);
	free(path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	db_close(f->db);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

/* UTC seconds of "YYYY-MM-DDTHH:MM:SS" in zone tz */
static int64_t at(const char *local, const char *tz)
{
	struct dt t;

	assert_true(dt_parse(local, &t));
	return dt_to_utc(&t, tz);
}

static int64_t add(struct fx *f, const char *title, const char *start,
		   const char *end, const char *tz, const char *rrule)
{
	struct appointment *a = appointment_new();
	char *err = NULL;
	int64_t id;

	a->title = xstrdup(title);
	a->start = xstrdup(start);
	a->end = end ? xstrdup(end) : NULL;
	a->tzid = tz ? xstrdup(tz) : NULL;
	a->rrule = rrule ? xstrdup(rrule) : NULL;
	if (diary_save(f->db, a, &err) != 0)
		fail_msg("diary_save: %s", err ? err : "?");
	id = a->id;
	appointment_free(a);
	return id;
}

/* The starts (local to the appointment) of [from, to) as one string. */
static char *starts(struct fx *f, const char *from, const char *to,
		    const char *tz)
{
	struct occurrence *o;
	size_t n;
	struct sbuf b;

	assert_int_equal(diary_range(f->db, at(from, tz), at(to, tz), &o, &n),
			 0);
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		sbuf_printf(&b, "%s%s", i ? " " : "", o[i].start);
	occurrences_free(o, n);
	return sbuf_take(&b);
}

#define assert_starts(f, from, to, tz, want)                 \
	do {                                                 \
		char *got_ = starts(f, from, to, tz);        \
		assert_string_equal(got_, want);             \
		free(got_);                                  \
	} while (0)

static void test_dt__parse__forms_and_impossible_dates(void **state)
{
	struct dt t;
	char s[DT_STRLEN];

	assert_true(dt_parse("2026-12-01 10:00", &t));
	dt_format(&t, s);
	assert_string_equal(s, "2026-12-01T10:00:00");
	assert_true(dt_parse("20261201T101502", &t));
	dt_format(&t, s);
	assert_string_equal(s, "2026-12-01T10:15:02");
	assert_true(dt_parse("2028-02-29", &t));
	assert_true(t.date);
	assert_false(dt_parse("2026-02-29", &t));	/* not a leap year */
	assert_false(dt_parse("2026-04-31", &t));
	assert_false(dt_parse("2026-12-01 24:00", &t));
	assert_false(dt_parse("2026-12-01 10", &t));
	assert_false(dt_parse("tomorrow", &t));
	assert_false(dt_parse("", &t));
	struct dt d = { 2024, 2, 28, 0, 0, 0, true };
	dt_add_days(&d, 1);
	assert_int_equal(d.day, 29);
	dt_add_days(&d, 1);
	assert_int_equal(d.month, 3);
	assert_int_equal(dt_weekday(&d), 4);	/* 1 Mar 2024: a Friday */
}

static void test_diary__weekly__keeps_wall_clock_across_dst(void **state)
{
	struct fx *f = *state;

	add(f, "Stand-up", "2026-10-12 09:00", "2026-10-12 09:15",
	    "Europe/London", "FREQ=WEEKLY;BYDAY=MO");
	struct occurrence *o;
	size_t n;
	assert_int_equal(diary_range(f->db, at("2026-10-18T00:00:00", "UTC"),
				     at("2026-11-03T00:00:00", "UTC"), &o, &n),
			 0);
	assert_int_equal(n, 3);
	/* 19 Oct is BST (UTC+1), 26 Oct and 2 Nov are GMT */
	assert_string_equal(o[0].start, "2026-10-19T09:00:00");
	assert_int_equal(o[0].start_utc, at("2026-10-19T08:00:00", "UTC"));
	assert_string_equal(o[1].start, "2026-10-26T09:00:00");
	assert_int_equal(o[1].start_utc, at("2026-10-26T09:00:00", "UTC"));
	assert_int_equal(o[1].end_utc - o[1].start_utc, 15 * 60);
	assert_true(o[2].recurring);
	assert_string_equal(o[2].recurrence_id, "2026-11-02T09:00:00");
	occurrences_free(o, n);
	/* New York moves on another day: 1 Nov 2026 */
	add(f, "NY call", "2026-10-29 10:00", NULL, "America/New_York",
	    "FREQ=DAILY;COUNT=4");
	assert_int_equal(diary_range(f->db, at("2026-11-01T00:00:00", "UTC"),
				     at("2026-11-02T00:00:00", "UTC"), &o, &n),
			 0);
	bool seen = false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].title, "NY call") == 0) {
			seen = true;
			assert_int_equal(o[i].start_utc,
					 at("2026-11-01T15:00:00", "UTC"));
		}
	occurrences_free(o, n);
	assert_true(seen);
}

static void test_diary__monthly__month_ends_and_weekdays(void **state)
{
	struct fx *f = *state;

	add(f, "Invoice", "2026-01-31 12:00", NULL, "Europe/Berlin",
	    "FREQ=MONTHLY;BYMONTHDAY=31");
	/* months without a 31st have no occurrence */
	assert_starts(f, "2026-01-01T00:00:00", "2026-08-01T00:00:00",
		      "Europe/Berlin", "2026-01-31T12:00:00 2026-03-31T12:00:00 "
		      "2026-05-31T12:00:00 2026-07-31T12:00:00");
	teardown(state);
	setup(state);
	f = *state;
	add(f, "Review", "2026-01-30 15:00", NULL, "Europe/Berlin",
	    "FREQ=MONTHLY;BYDAY=-1FR");	/* last Friday */
	assert_starts(f, "2026-01-01T00:00:00", "2026-04-01T00:00:00",
		      "Europe/Berlin", "2026-01-30T15:00:00 2026-02-27T15:00:00 "
		      "2026-03-27T15:00:00");
}

static void test_diary__yearly__leap_day(void **state)
{
	struct fx *f = *state;

	add(f, "Leap birthday", "2024-02-29", NULL, NULL, "FREQ=YEARLY");
	assert_starts(f, "2024-01-01T00:00:00", "2033-01-01T00:00:00", NULL,
		      "2024-02-29 2028-02-29 2032-02-29");
}

static void test_diary__count_and_until__bound_the_series(void **state)
{
	struct fx *f = *state;
	struct appointment *a;

	int64_t id = add(f, "Course", "2026-12-01 09:00", "2026-12-01 10:00",
			 "UTC", "FREQ=DAILY;COUNT=3");
	assert_int_equal(diary_get(f->db, id, &a), 0);
	assert_int_equal(a->until_utc, at("2026-12-03T10:00:00", "UTC"));
	appointment_free(a);
	add(f, "Sprint", "2026-12-01 14:00", NULL, "UTC",
	    "FREQ=DAILY;UNTIL=20261203T140000Z");
	assert_starts(f, "2026-11-01T00:00:00", "2027-01-01T00:00:00", "UTC",
		      "2026-12-01T09:00:00 2026-12-01T14:00:00 "
		      "2026-12-02T09:00:00 2026-12-02T14:00:00 "
		      "2026-12-03T09:00:00 2026-12-03T14:00:00");
	/* a series that never ends is found far in the future */
	add(f, "Forever", "2020-01-06 08:00", NULL, "UTC",
	    "FREQ=WEEKLY;BYDAY=MO");
	assert_starts(f, "2035-01-01T00:00:00", "2035-01-09T00:00:00", "UTC",
		      "2035-01-01T08:00:00 2035-01-08T08:00:00");
}

static void test_diary__exceptions__exdate_and_moved(void **state)
{
	struct fx *f = *state;
	char *err = NULL;

	int64_t id = add(f, "Team", "2026-12-01 10:00", "2026-12-01 11:00",
			 "Europe/London", "FREQ=DAILY;COUNT=5");
	/* drop the 2nd, move the 4th to the afternoon */
	assert_int_equal(diary_delete_occurrence(f->db, id,
						 "2026-12-02T10:00:00"), 0);
	struct appointment *m = appointment_new();
	m->title = xstrdup("Team (moved)");
	m->start = xstrdup("2026-12-04 15:00");
	m->end = xstrdup("2026-12-04 16:00");
	m->tzid = xstrdup("Europe/London");
	assert_int_equal(diary_save_occurrence(f->db, id, "2026-12-04T10:00:00",
					       m, &err), 0);
	appointment_free(m);
	struct occurrence *o;
	size_t n;
	assert_int_equal(diary_range(f->db, at("2026-12-01T00:00:00", "UTC"),
				     at("2026-12-08T00:00:00", "UTC"), &o, &n),
			 0);
	assert_int_equal(n, 4);
	assert_string_equal(o[0].start, "2026-12-01T10:00:00");
	assert_string_equal(o[1].start, "2026-12-03T10:00:00");
	assert_string_equal(o[2].start, "2026-12-04T15:00:00");
	assert_string_equal(o[2].title, "Team (moved)");
	assert_int_equal(o[2].series_id, id);
	assert_true(o[2].appt_id != id);
	assert_string_equal(o[2].recurrence_id, "2026-12-04T10:00:00");
	occurrences_free(o, n);
	/* the series keeps its EXDATE; deleting it takes the moved one too */
	struct appointment *a;
	assert_int_equal(diary_get(f->db, id, &a), 0);
	assert_int_equal(a->nexdates, 1);
	assert_string_equal(a->exdates[0], "2026-12-02T10:00:00");
	appointment_free(a);
	assert_int_equal(diary_delete(f->db, id), 0);
	assert_starts(f, "2026-12-01T00:00:00", "2026-12-08T00:00:00", "UTC", "");
}

static void test_diary__all_day__spans_days(void **state)
{
	struct fx *f = *state;
	struct occurrence *o;
	size_t n;

	add(f, "Conference", "2026-12-07", "2026-12-10", NULL, NULL);
	add(f, "Bin day", "2026-12-01", NULL, NULL, "FREQ=WEEKLY");
	/* a day in the middle of the conference */
	assert_int_equal(diary_range(f->db, at("2026-12-08", NULL),
				     at("2026-12-09", NULL), &o, &n), 0);
	assert_int_equal(n, 2);
	/* the conference began first */
	assert_string_equal(o[0].title, "Conference");
	assert_true(o[0].all_day);
	assert_string_equal(o[0].end, "2026-12-10");
	assert_string_equal(o[1].title, "Bin day");
	assert_string_equal(o[1].start, "2026-12-08");
	assert_string_equal(o[1].end, "2026-12-09");
	occurrences_free(o, n);
}

static void test_diary__save__bad_fields_rejected_with_reason(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *title, *start, *end, *tz, *rrule, *want;
	} cases[] = {
		{ "  ", "2026-12-01 10:00", NULL, NULL, NULL, "title" },
		{ "x", "2026-13-01 10:00", NULL, NULL, NULL, "start" },
		{ "x", "2026-12-01 10:00", "2026-12-01 09:00", NULL, NULL,
		  "before it starts" },
		{ "x", "2026-12-01 10:00", NULL, "Mars/Olympus", NULL,
		  "time zone" },
		{ "x", "2026-12-01 10:00", NULL, NULL, "FREQ=SOMETIMES",
		  "recurrence rule" },
		{ "x", "2026-12-01 10:00", "2026-12-02", NULL, NULL, "end" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct appointment *a = appointment_new();
		char *err = NULL;
		a->title = xstrdup(cases[i].title);
		a->start = xstrdup(cases[i].start);
		a->end = cases[i].end ? xstrdup(cases[i].end) : NULL;
		a->tzid = cases[i].tz ? xstrdup(cases[i].tz) : NULL;
		a->rrule = cases[i].rrule ? xstrdup(cases[i].rrule) : NULL;
		assert_int_equal(diary_save(f->db, a, &err), -EINVAL);
		assert_non_null(err);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err,
				 cases[i].want);
		free(err);
		appointment_free(a);
	}
	assert_starts(f, "2000-01-01T00:00:00", "2100-01-01T00:00:00", "UTC",
		      "");
}

static void test_diary__get__round_trips_children(void **state)
{
	struct fx *f = *state;
	struct appointment *a = appointment_new(), *b;
	char *err = NULL;

	a->title = xstrdup("Board meeting");
	a->start = xstrdup("2026-12-01T10:00");
	a->tzid = xstrdup("Europe/Paris");
	a->location = xstrdup("Room 4");
	a->category = xstrdup("Work");
	appointment_add_reminder(a, 15, NULL);
	appointment_add_reminder(a, 1440, "DESCRIPTION:Tomorrow");
	struct appt_attendee *t = appointment_add_attendee(a);
	t->name = xstrdup("Ada Lovelace");
	t->email = xstrdup("ada@example.com");
	t->partstat = xstrdup("ACCEPTED");
	assert_int_equal(diary_save(f->db, a, &err), 0);
	assert_int_equal(diary_get(f->db, a->id, &b), 0);
	assert_string_equal(b->start, "2026-12-01T10:00:00");
	assert_string_equal(b->end, "2026-12-01T11:00:00");	/* 1 h */
	assert_string_equal(b->tzid, "Europe/Paris");
	assert_int_equal(b->nrem, 2);
	assert_int_equal(b->rem[1].minutes, 1440);
	assert_string_equal(b->rem[1].extra, "DESCRIPTION:Tomorrow");
	assert_int_equal(b->natt, 1);
	assert_string_equal(b->att[0].email, "ada@example.com");
	int64_t found;
	assert_int_equal(diary_find_uid(f->db, a->uid, NULL, &found), 0);
	assert_int_equal(found, a->id);
	appointment_free(a);
	appointment_free(b);
}

static void test_reminders__due_once_per_occurrence(void **state)
{
	struct fx *f = *state;
	struct appointment *a = appointment_new();
	char *err = NULL;
	struct reminder_due *v;
	size_t n;

	a->title = xstrdup("Dentist");
	a->start = xstrdup("2026-12-01 10:00");
	a->tzid = xstrdup("UTC");
	a->rrule = xstrdup("FREQ=DAILY;COUNT=2");
	appointment_add_reminder(a, 15, NULL);
	appointment_add_reminder(a, 1440, NULL);
	assert_int_equal(diary_save(f->db, a, &err), 0);
	int64_t t10 = at("2026-12-01T10:00:00", "UTC");
	/* the day before at 10:00, then 09:45 */
	assert_int_equal(reminders_next(f->db, t10 - 2 * 86400, 8 * 86400),
			 t10 - 86400);
	assert_int_equal(reminders_due(f->db, t10 - 3600, t10 - 1, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].fire_utc, t10 - 15 * 60);
	assert_int_equal(v[0].minutes, 15);
	assert_string_equal(v[0].title, "Dentist");
	assert_int_equal(reminders_mark_done(f->db, &v[0], t10 - 800), 0);
	reminders_free(v, n);
	/* shown: not again; the second occurrence's are still to come */
	assert_int_equal(reminders_due(f->db, t10 - 3600, t10 - 1, &v, &n), 0);
	assert_int_equal(n, 0);
	reminders_free(v, n);
	assert_int_equal(reminders_due(f->db, t10 - 86400 * 2, t10 + 86400,
				       &v, &n), 0);
	assert_int_equal(n, 3);	/* day-before of both, 09:45 of the 2nd */
	assert_int_equal(v[2].fire_utc, t10 + 86400 - 15 * 60);
	reminders_free(v, n);
	appointment_free(a);
}

/* The occurrence cache answers exactly as expanding the series does. */
static void test_diary__cache__matches_live_expansion(void **state)
{
	struct fx *f = *state;
	char *err = NULL;

	add(f, "Weekly", "2026-11-02 09:00", NULL, "Europe/London",
	    "FREQ=WEEKLY;BYDAY=MO,TH");
	add(f, "Monthly", "2026-01-30", NULL, NULL, "FREQ=MONTHLY;BYDAY=-1FR");
	int64_t id = add(f, "Daily", "2026-12-01 08:00", "2026-12-01 08:30",
			 "America/New_York", "FREQ=DAILY;COUNT=40");
	assert_int_equal(diary_delete_occurrence(f->db, id,
						 "2026-12-05T08:00:00"), 0);
	struct appointment *m = appointment_new();
	m->title = xstrdup("Daily (late)");
	m->start = xstrdup("2026-12-07 11:00");
	m->tzid = xstrdup("America/New_York");
	assert_int_equal(diary_save_occurrence(f->db, id, "2026-12-07T08:00:00",
					       m, &err), 0);
	appointment_free(m);
	char *cached = starts(f, "2026-11-01T00:00:00", "2027-03-01T00:00:00",
			      "UTC");
	/* no window: the same period expanded as it is read */
	assert_int_equal(db_setting_set(f->db, "diary.window", "none"), 0);
	char *live = starts(f, "2026-11-01T00:00:00", "2027-03-01T00:00:00",
			    "UTC");
	assert_string_equal(cached, live);
	assert_non_null(strstr(cached, "2026-12-07T11:00:00"));
	assert_null(strstr(cached, "2026-12-05T08:00:00"));
	/* and rebuilt from nothing */
	assert_int_equal(diary_cache_rebuild(f->db), 0);
	char *again = starts(f, "2026-11-01T00:00:00", "2027-03-01T00:00:00",
			     "UTC");
	assert_string_equal(again, live);
	free(cached);
	free(live);
	free(again);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "Europe/London", 1);
	tzset();
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		cmocka_unit_test(test_dt__parse__forms_and_impossible_dates),
		T(test_diary__weekly__keeps_wall_clock_across_dst),
		T(test_diary__monthly__month_ends_and_weekdays),
		T(test_diary__yearly__leap_day),
		T(test_diary__count_and_until__bound_the_series),
		T(test_diary__exceptions__exdate_and_moved),
		T(test_diary__all_day__spans_days),
		T(test_diary__save__bad_fields_rejected_with_reason),
		T(test_diary__get__round_trips_children),
		T(test_reminders__due_once_per_occurrence),
		T(test_diary__cache__matches_live_expansion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
