/* tests/bench/bench_diary: the diary's agenda for a month, over 10k
 * appointments of which 3k are recurring series.
 *
 *   bench_diary [N] [--data DIR]
 *
 * Generates N appointments (default 10000) spread over a year around
 * June 2026, a third of them series (weekly with BYDAY, daily with COUNT,
 * monthly by day and by weekday, yearly, weekly with UNTIL; some with
 * EXDATEs and moved occurrences), stored through diary_save() in
 * DIR/confab.db.  Then, on a fresh connection, times what the agenda does
 * to draw a month: diary_range() over the month (expanding every series),
 * plus formatting each line as views/diary.c does.  Target: <= 20 ms.
 */
#include "store/db.h"
#include "store/diary.h"
#include "store/recur.h"
#include "common/str.h"
#include "bench_common.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#define T_AGENDA_MS 20.0
#define RUNS 60

static uint64_t rs = 0x2545f4914f6cdd1dull;

static unsigned rn(unsigned n)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (unsigned)((rs * 0x2545f4914f6cdd1dull) % n);
}

static const char *const titles[] = {
	"Stand-up", "1:1 with Sam", "Budget review", "Customer call",
	"Dentist", "Board meeting", "Sprint planning", "Lunch with Ana",
	"Quarterly review", "Supplier visit", "Training", "Interview",
};
static const char *const days[] = { "MO", "TU", "WE", "TH", "FR" };

static void gen_one(struct appointment *a, unsigned i)
{
	struct dt s = { 2025, 12, 1, 0, 0, 0, false };

	dt_add_days(&s, (int)rn(365));
	s.hour = 8 + (int)rn(10);
	s.min = (int)rn(4) * 15;
	char buf[DT_STRLEN];
	dt_format(&s, buf);
	a->title = xasprintf("%s %u", titles[rn(12)], i);
	a->start = xstrdup(buf);
	a->tzid = xstrdup(rn(10) ? "Europe/London" : "America/New_York");
	if (rn(5) == 0)
		a->location = xstrdup("Room 4");
	if (rn(3) == 0)
		appointment_add_reminder(a, 15, NULL);
	if (i % 3)
		return;		/* two thirds are single */
	switch (rn(10)) {
	case 0: case 1: case 2: case 3:
		a->rrule = xasprintf("FREQ=WEEKLY;BYDAY=%s", days[rn(5)]);
		break;
	case 4: case 5:
		a->rrule = xstrdup("FREQ=DAILY;COUNT=30");
		break;
	case 6:
		a->rrule = xasprintf("FREQ=MONTHLY;BYMONTHDAY=%d", s.day);
		break;
	case 7:
		a->rrule = xasprintf("FREQ=MONTHLY;BYDAY=%d%s", 1 + (int)rn(4),
				     days[rn(5)]);
		break;
	case 8:
		a->rrule = xstrdup("FREQ=YEARLY");
		break;
	default:
		a->rrule = xstrdup("FREQ=WEEKLY;UNTIL=20261231T235959Z");
		break;
	}
	if (rn(4) == 0) {	/* an exception a week on */
		struct dt x = s;
		dt_add_days(&x, 7);
		dt_format(&x, buf);
		appointment_add_exdate(a, buf);
	}
}

int main(int argc, char **argv)
{
	unsigned n = 10000;
	const char *dir = NULL;
	char *err = NULL, tmpl[] = "/tmp/confab-bench-diary.XXXXXX";

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else
			n = (unsigned)strtoul(argv[i], NULL, 10);
	}
	setenv("TZ", "Europe/London", 1);
	tzset();
	if (!dir && !(dir = mkdtemp(tmpl))) {
		perror("mkdtemp");
		return 2;
	}
	mkdir(dir, 0700);
	char *path = xasprintf("%s/confab.db", dir);
	unlink(path);
	struct db *db;
	if (db_open(&db, path, db_client_migrations, db_client_nmigrations,
		    &err) < 0) {
		fprintf(stderr, "bench_diary: %s\n", err);
		return 2;
	}
	double t0 = bench_now();
	size_t series = 0, moved = 0;
	db_begin(db);
	for (unsigned i = 0; i < n; i++) {
		struct appointment *a = appointment_new();
		gen_one(a, i);
		series += a->rrule != NULL;
		if (diary_save(db, a, &err) < 0) {
			fprintf(stderr, "bench_diary: %s\n", err);
			return 2;
		}
		/* every 15th series has one occurrence moved by two hours */
		if (a->rrule && series % 15 == 0) {
			struct occurrence *o;
			size_t no;
			diary_range(db, a->start_utc, a->start_utc + 40 * 86400,
				    &o, &no);
			for (size_t k = 0; k < no; k++)
				if (o[k].series_id == a->id && k > 0) {
					struct appointment *m = appointment_dup(a);
					struct dt t;
					dt_parse(o[k].recurrence_id, &t);
					t.hour = (t.hour + 2) % 24;
					char b[DT_STRLEN];
					dt_format(&t, b);
					str_set(&m->start, b);
					free(m->end);
					m->end = NULL;
					if (diary_save_occurrence(db, a->id,
							o[k].recurrence_id, m,
							&err) == 0)
						moved++;
					appointment_free(m);
					break;
				}
			occurrences_free(o, no);
		}
		appointment_free(a);
	}
	db_commit(db);
	db_close(db);
	printf("bench_diary: %u appointments (%zu series, %zu moved "
	       "occurrences) stored in %.2f s\n", n, series, moved,
	       bench_now() - t0);

	if (db_open(&db, path, db_client_migrations, db_client_nmigrations,
		    &err) < 0)
		return 2;
	struct dt m1 = { 2026, 6, 1, 0, 0, 0, true }, m2 = { 2026, 7, 1, 0, 0,
							      0, true };
	int64_t from = dt_to_utc(&m1, NULL), to = dt_to_utc(&m2, NULL);
	double v[RUNS];
	size_t shown = 0;
	for (int r = 0; r < RUNS; r++) {
		double a0 = bench_now();
		struct occurrence *o;
		size_t no;
		if (diary_range(db, from, to, &o, &no) < 0)
			return 2;
		/* the agenda's lines, formatted as views/diary.c draws them */
		size_t bytes = 0;
		for (size_t k = 0; k < no; k++) {
			char t1[16], t2[16];
			time_t s = (time_t)o[k].start_utc, e = (time_t)o[k].end_utc;
			struct tm tm;
			localtime_r(&s, &tm);
			strftime(t1, sizeof t1, "%H:%M", &tm);
			localtime_r(&e, &tm);
			strftime(t2, sizeof t2, "%H:%M", &tm);
			char *line = xasprintf("%s-%s  %s%s%s", t1, t2,
					       o[k].title, *o[k].location ?
					       "  @ " : "", o[k].location);
			bytes += strlen(line);
			free(line);
		}
		v[r] = (bench_now() - a0) * 1000;
		shown = no;
		occurrences_free(o, no);
		(void)bytes;
	}
	qsort(v, RUNS, sizeof v[0], bench_cmp_double);
	printf("  a month (June 2026) holds %zu occurrences\n", shown);
	bench_figure("diary 10k: agenda month p50", bench_pct(v, RUNS, 50), "ms",
		     0);
	bench_figure("diary 10k: agenda month p95", bench_pct(v, RUNS, 95), "ms",
		     T_AGENDA_MS);
	db_close(db);
	free(path);
	if (strncmp(dir, "/tmp/confab-bench-diary.", 24) == 0) {
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_diary: cannot remove %s\n", dir);
		free(cmd);
	}
	return 0;
}
