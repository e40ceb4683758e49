/* Unit tests for store/diary_io: iCalendar import/export of the diary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "store/diary.h"
#include "store/diary_io.h"
#include "store/formats/ical.h"
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

static int64_t count(struct db *db, const char *where_uid)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	sqlite3_prepare_v2(db_handle(db), where_uid ?
			   "SELECT count(*) FROM appointments WHERE uid = ?" :
			   "SELECT count(*) FROM appointments", -1, &st, NULL);
	if (where_uid)
		sqlite3_bind_text(st, 1, where_uid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static struct appointment *get_uid(struct db *db, const char *uid,
				   const char *rid)
{
	int64_t id = 0;
	struct appointment *a = NULL;

	assert_int_equal(diary_find_uid(db, uid, rid, &id), 0);
	assert_true(id > 0);
	assert_int_equal(diary_get(db, id, &a), 0);
	return a;
}

static void test_diary_io__import__files_and_overrides(void **state)
{
	struct fx *f = *state;
	struct diary_io_report rep;
	char *err = NULL;

	assert_int_equal(diary_import_path(f->db, "tests/data/ical/google.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	assert_int_equal(rep.imported, 4);
	assert_int_equal(rep.skipped, 0);
	diary_io_report_clear(&rep);

	struct appointment *s = get_uid(f->db, "weekly-standup@google.com",
					NULL);
	struct appointment *o = get_uid(f->db, "weekly-standup@google.com",
					"2024-03-11T09:30:00");
	assert_int_equal(o->series_id, s->id);
	assert_string_equal(s->rrule, "FREQ=WEEKLY;BYDAY=MO");
	assert_int_equal(s->nexdates, 1);
	assert_int_equal(s->natt, 2);
	assert_int_equal(s->nrem, 2);
	assert_non_null(strstr(s->extra, "X-GOOGLE-CONFERENCE"));
	appointment_free(s);
	appointment_free(o);

	/* again: updates, or skips with file:line */
	assert_int_equal(diary_import_path(f->db, "tests/data/ical/google.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	assert_int_equal(rep.imported, 0);
	assert_int_equal(rep.updated, 4);
	diary_io_report_clear(&rep);
	assert_int_equal(diary_import_path(f->db, "tests/data/ical/google.ics",
					   DIARY_DUP_SKIP, &rep, &err), 0);
	assert_int_equal(rep.skipped, 4);
	assert_string_equal(rep.skips[0].file, "google.ics");
	assert_int_equal(rep.skips[0].line, 39);
	assert_non_null(strstr(rep.skips[0].reason, "already in the diary"));
	diary_io_report_clear(&rep);
	assert_int_equal(count(f->db, NULL), 4);

	assert_int_equal(diary_import_path(f->db, "tests/data/ical/outlook.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	assert_int_equal(rep.imported, 4);
	diary_io_report_clear(&rep);
	assert_int_equal(diary_import_path(f->db,
					   "tests/data/ical/calcurse.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	assert_int_equal(rep.imported, 3);
	assert_int_equal(rep.skipped, 1);	/* the VTODO */
	assert_int_equal(rep.skips[0].line, 26);
	diary_io_report_clear(&rep);
	assert_int_equal(count(f->db, NULL), 11);
}

static void test_diary_io__import__bad_input_keeps_diary(void **state)
{
	struct fx *f = *state;
	struct diary_io_report rep;
	char *err = NULL;
	static const char partly[] =
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ok-1\r\n"
		"DTSTART:20240101T100000Z\r\nSUMMARY:fine\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:bad-1\r\nDTSTART:20240101T100000Z\r\n"
		"DTEND:20231231T100000Z\r\nSUMMARY:ends first\r\nEND:VEVENT\r\n"
		"END:VCALENDAR\r\n";

	assert_int_equal(diary_import_buffer(f->db, "x.ics", "BEGIN:VCARD\r\n"
					     "END:VCARD\r\n", 24,
					     DIARY_DUP_UPDATE, &rep, &err),
			 -EINVAL);
	assert_non_null(strstr(err, "x.ics: not an iCalendar file"));
	free(err);
	err = NULL;
	diary_io_report_clear(&rep);
	assert_int_equal(diary_import_buffer(f->db, "p.ics", partly,
					     strlen(partly), DIARY_DUP_UPDATE,
					     &rep, &err), 0);
	assert_int_equal(rep.imported, 1);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(rep.skips[0].line, 7);
	assert_non_null(strstr(rep.skips[0].reason, "ends first"));
	assert_non_null(strstr(rep.skips[0].reason, "before it starts"));
	diary_io_report_clear(&rep);
	/* a truncated file: an error, and nothing of it stored */
	assert_int_equal(diary_import_buffer(f->db, "t.ics", partly, 60,
					     DIARY_DUP_UPDATE, &rep, &err),
			 -EINVAL);
	assert_non_null(strstr(err, "incomplete"));
	free(err);
	diary_io_report_clear(&rep);
	assert_int_equal(count(f->db, NULL), 1);
	assert_int_not_equal(diary_import_path(f->db, "/nonexistent/x.ics",
					       DIARY_DUP_UPDATE, &rep, &err), 0);
	free(err);
	diary_io_report_clear(&rep);
}

static void test_diary_io__export__round_trip_and_range(void **state)
{
	struct fx *f = *state;
	struct diary_io_report rep;
	struct sbuf b;
	char *err = NULL;
	size_t n = 0;

	assert_int_equal(diary_import_path(f->db, "tests/data/ical/google.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	diary_io_report_clear(&rep);
	assert_int_equal(diary_import_path(f->db, "tests/data/ical/outlook.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	diary_io_report_clear(&rep);

	sbuf_init(&b);
	struct diary_span all = { 0, 0 };
	assert_int_equal(diary_export_buffer(f->db, &all, &b, &n, &err), 0);
	assert_int_equal(n, 8);
	assert_non_null(strstr(b.s, "PRODID:-//confab//confab//EN"));
	assert_non_null(strstr(b.s, "TZID:Europe/Berlin"));
	assert_non_null(strstr(b.s, "X-MS-OLK-CONFTYPE:0"));
	assert_non_null(strstr(b.s, "RECURRENCE-ID;TZID=Europe/London:"
				    "20240311T093000"));

	/* into a fresh diary: the same appointments */
	struct fx *f2;
	assert_int_equal(setup((void **)&f2), 0);
	assert_int_equal(diary_import_buffer(f2->db, "all.ics", b.s, b.len,
					     DIARY_DUP_UPDATE, &rep, &err), 0);
	assert_int_equal(rep.imported, 8);
	diary_io_report_clear(&rep);
	struct appointment *x = get_uid(f->db, "weekly-standup@google.com",
					NULL);
	struct appointment *y = get_uid(f2->db, "weekly-standup@google.com",
					NULL);
	assert_string_equal(x->extra, y->extra);
	assert_string_equal(x->rrule, y->rrule);
	assert_int_equal(x->start_utc, y->start_utc);
	assert_int_equal(x->natt, y->natt);
	assert_string_equal(x->att[1].params, y->att[1].params);
	assert_string_equal(x->rem[1].extra, y->rem[1].extra);
	appointment_free(x);
	appointment_free(y);
	void *st2 = f2;
	teardown(&st2);

	/* a range: 1 to 2 June 2024 UTC holds none; 5 June the report and
	 * 11 March the standup series (with its override) */
	struct diary_span june = { 1717200000, 1717286400 };
	sbuf_reset(&b);
	assert_int_equal(diary_export_buffer(f->db, &june, &b, &n, &err), 0);
	assert_int_equal(n, 0);
	struct diary_span day = { 1717545600, 1717632000 };	/* 5 June */
	sbuf_reset(&b);
	assert_int_equal(diary_export_buffer(f->db, &day, &b, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_non_null(strstr(b.s, "Quartalsbericht"));
	struct diary_span may = { 1714521600, 1714608000 };	/* 1 May: a
								   Monday */
	sbuf_reset(&b);
	assert_int_equal(diary_export_buffer(f->db, &may, &b, &n, &err), 0);
	assert_int_equal(n, 0);
	struct diary_span mon = { 1714953600, 1715040000 };	/* 6 May */
	sbuf_reset(&b);
	assert_int_equal(diary_export_buffer(f->db, &mon, &b, &n, &err), 0);
	assert_int_equal(n, 2);		/* the series and its override */
	assert_non_null(strstr(b.s, "RRULE:FREQ=WEEKLY;BYDAY=MO"));
	assert_non_null(strstr(b.s, "Standup (moved)"));
	sbuf_free(&b);
}

static void test_diary_io__vdir__export_and_import(void **state)
{
	struct fx *f = *state;
	struct diary_io_report rep;
	char *err = NULL;
	size_t n = 0;

	assert_int_equal(diary_import_path(f->db, "tests/data/ical/google.ics",
					   DIARY_DUP_UPDATE, &rep, &err), 0);
	diary_io_report_clear(&rep);
	char *dir = xasprintf("%s/vdir", f->dir);
	struct diary_span all = { 0, 0 };
	assert_int_equal(diary_export_vdir(f->db, &all, dir, &n, &err), 0);
	assert_int_equal(n, 4);
	char *p = xasprintf("%s/weekly-standup@google.com.ics", dir);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	free(p);
	p = xasprintf("%s/holiday@google.com.ics", dir);
	assert_int_equal(stat(p, &sb), 0);
	free(p);
	/* a stray file in the vdir is reported, the rest imported */
	p = xasprintf("%s/junk.ics", dir);
	FILE *fp = fopen(p, "w");
	fputs("hello\n", fp);
	fclose(fp);
	free(p);

	struct fx *f2;
	assert_int_equal(setup((void **)&f2), 0);
	assert_int_equal(diary_import_path(f2->db, dir, DIARY_DUP_UPDATE,
					   &rep, &err), 0);
	assert_string_equal(rep.format, "vdir");
	assert_int_equal(rep.imported, 4);
	assert_int_equal(rep.skipped, 1);
	assert_string_equal(rep.skips[0].file, "junk.ics");
	assert_int_equal(rep.skips[0].line, 0);
	diary_io_report_clear(&rep);
	struct appointment *o = get_uid(f2->db, "weekly-standup@google.com",
					"2024-03-11T09:30:00");
	assert_true(o->series_id > 0);
	appointment_free(o);
	void *st2 = f2;
	teardown(&st2);
	free(dir);
}

static int teardown_zones(void **state)
{
	icaltimezone_free_builtin_timezones();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_diary_io__import__files_and_overrides, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_diary_io__import__bad_input_keeps_diary, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_diary_io__export__round_trip_and_range, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_diary_io__vdir__export_and_import, setup,
			teardown),
	};
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, teardown_zones);
}
