/* store/recur: diary times and recurrence, with libical. */
#include "store/recur.h"
#include "common/str.h"

#include <errno.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- wall-clock times ---------------------------------------------------- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int dt_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && leap(year) ? 29 : days[month - 1];
}

static bool dt_valid(const struct dt *t)
{
	return t->year >= 1 && t->year <= 9999 && t->month >= 1 &&
	       t->month <= 12 && t->day >= 1 &&
	       t->day <= dt_days_in_month(t->year, t->month) &&
	       t->hour >= 0 && t->hour <= 23 && t->min >= 0 &&
	       t->min <= 59 && t->sec >= 0 && t->sec <= 60;
}

bool dt_parse(const char *s, struct dt *out)
{
	struct dt t = { 0 };
	int n = 0, len;

	if (!s)
		return false;
	len = (int)strlen(s);
	if (sscanf(s, "%4d-%2d-%2d%n", &t.year, &t.month, &t.day, &n) == 3 &&
	    n == 10) {
		if (n == len) {
			t.date = true;
		} else if (s[n] == ' ' || s[n] == 'T') {
			int m = 0;
			const char *p = s + n + 1;
			if (sscanf(p, "%2d:%2d%n", &t.hour, &t.min, &m) != 2 ||
			    m != 5)
				return false;
			if (p[m] == ':') {
				int k = 0;
				if (sscanf(p + m + 1, "%2d%n", &t.sec, &k) != 1 ||
				    k != 2)
					return false;
				m += 3;
			}
			if (p[m] != '\0')
				return false;
		} else {
			return false;
		}
	} else if (len == 8 || len == 15) {	/* iCalendar basic form */
		for (int i = 0; i < len; i++)
			if (!(i == 8 ? s[i] == 'T' : s[i] >= '0' && s[i] <= '9'))
				return false;
		if (sscanf(s, "%4d%2d%2d", &t.year, &t.month, &t.day) != 3)
			return false;
		t.date = len == 8;
		if (!t.date && sscanf(s + 9, "%2d%2d%2d", &t.hour, &t.min,
				      &t.sec) != 3)
			return false;
	} else {
		return false;
	}
	if (!dt_valid(&t))
		return false;
	*out = t;
	return true;
}

void dt_format(const struct dt *t, char out[DT_STRLEN])
{
	unsigned y = (unsigned)t->year % 10000u, mo = (unsigned)t->month % 100u,
		 d = (unsigned)t->day % 100u, h = (unsigned)t->hour % 100u,
		 mi = (unsigned)t->min % 100u, s = (unsigned)t->sec % 100u;

	if (t->date)
		snprintf(out, DT_STRLEN, "%04u-%02u-%02u", y, mo, d);
	else
		snprintf(out, DT_STRLEN, "%04u-%02u-%02uT%02u:%02u:%02u", y, mo,
			 d, h, mi, s);
}

static bool is_utc(const char *tzid)
{
	return tzid && (strcmp(tzid, "UTC") == 0 || strcmp(tzid, "Z") == 0 ||
			strcmp(tzid, "Etc/UTC") == 0);
}

/* libical's zone for an IANA name (it loads the system zone data once per
 * zone and keeps it); NULL for floating and unknown names. */
static icaltimezone *zone_of(const char *tzid)
{
	/* libical finds a zone by name with a linear search over some 400
	 * names; a diary uses a handful, so the last few found are kept.
	 * (Zones are immutable once loaded, and libical keeps them for the
	 * life of the process anyway.) */
	static struct { char name[64]; icaltimezone *z; } seen[8];
	static unsigned next;

	if (!tzid || !*tzid)
		return NULL;
	if (is_utc(tzid))
		return icaltimezone_get_utc_timezone();
	for (unsigned i = 0; i < 8; i++)
		if (seen[i].z && strcmp(seen[i].name, tzid) == 0)
			return seen[i].z;
	icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);
	if (z && strlen(tzid) < sizeof seen[0].name) {
		unsigned k = next++ % 8;
		snprintf(seen[k].name, sizeof seen[k].name, "%s", tzid);
		seen[k].z = z;
	}
	return z;
}

bool dt_zone_known(const char *tzid)
{
	return zone_of(tzid) != NULL;
}

const char *dt_local_zone(void)
{
	static char name[128];
	const char *tz = getenv("TZ");
	char link[256];

	if (tz && *tz) {
		if (*tz == ':')
			tz++;
		if (strncmp(tz, "/usr/share/zoneinfo/", 20) == 0)
			tz += 20;
		if (!dt_zone_known(tz))
			return NULL;
		snprintf(name, sizeof name, "%s", tz);
		return name;
	}
	ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
	if (n <= 0)
		return NULL;
	link[n] = '\0';
	const char *p = strstr(link, "zoneinfo/");
	if (!p || !dt_zone_known(p + 9))
		return NULL;
	snprintf(name, sizeof name, "%s", p + 9);
	return name;
}

static struct icaltimetype to_ical(const struct dt *t)
{
	struct icaltimetype it = icaltime_null_time();

	it.year = t->year;
	it.month = t->month;
	it.day = t->day;
	it.is_date = t->date;
	if (!t->date) {
		it.hour = t->hour;
		it.minute = t->min;
		it.second = t->sec;
	}
	return it;
}

static void from_ical(struct icaltimetype it, bool date, struct dt *out)
{
	*out = (struct dt){ it.year, it.month, it.day, it.hour, it.minute,
			    it.second, date };
	if (date)
		out->hour = out->min = out->sec = 0;
}

static void from_tm(const struct tm *tm, struct dt *out)
{
	*out = (struct dt){ tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
			    tm->tm_hour, tm->tm_min, tm->tm_sec, false };
}

int64_t dt_to_utc(const struct dt *t, const char *tzid)
{
	icaltimezone *z = zone_of(tzid);

	if (z) {
		struct icaltimetype it = to_ical(t);
		it.is_date = 0;		/* a date: its midnight */
		return (int64_t)icaltime_as_timet_with_zone(it, z);
	}
	struct tm tm = { .tm_year = t->year - 1900, .tm_mon = t->month - 1,
			 .tm_mday = t->day, .tm_isdst = -1 };
	if (!t->date) {
		tm.tm_hour = t->hour;
		tm.tm_min = t->min;
		tm.tm_sec = t->sec;
	}
	return (int64_t)mktime(&tm);
}

void dt_from_utc(int64_t utc, const char *tzid, struct dt *out)
{
	icaltimezone *z = zone_of(tzid);
	time_t tt = (time_t)utc;
	struct tm tm;

	if (z) {
		from_ical(icaltime_from_timet_with_zone(tt, 0, z), false, out);
		return;
	}
	localtime_r(&tt, &tm);
	from_tm(&tm, out);
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's
 * algorithms, proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, struct dt *t)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	t->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (int)(yoe + era * 400 + (t->month <= 2));
}

void dt_add_days(struct dt *t, int days)
{
	civil_from_days(days_from_civil(t->year, t->month, t->day) + days, t);
}

int dt_days_between(const struct dt *a, const struct dt *b)
{
	return (int)(days_from_civil(b->year, b->month, b->day) -
		     days_from_civil(a->year, a->month, a->day));
}

int dt_weekday(const struct dt *t)
{
	int64_t d = days_from_civil(t->year, t->month, t->day);

	/* 1970-01-01 was a Thursday (3 with Monday = 0) */
	return (int)(((d % 7) + 7 + 3) % 7);
}

/* ---- recurrence ---------------------------------------------------------- */

int recur_check(const char *rrule, char **err)
{
	struct icalrecurrencetype r;

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(rrule);
	if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		if (err)
			*err = xasprintf("not a recurrence rule: %s (e.g. "
					 "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10)",
					 rrule);
		return -EINVAL;
	}
	return 0;
}

/* The start as libical's iterator wants it: wall-clock time, with its
 * zone so that a UTC UNTIL compares right. */
static struct icaltimetype ical_start(const struct dt *dtstart,
				      const char *tzid)
{
	struct icaltimetype it = to_ical(dtstart);
	icaltimezone *z = zone_of(tzid);

	if (z && !dtstart->date)
		it.zone = z;
	return it;
}

int recur_expand(const char *rrule, const struct dt *dtstart,
		 const char *tzid, int64_t dur, int64_t from_utc,
		 int64_t to_utc, size_t limit, recur_cb cb, void *arg)
{
	struct icalrecurrencetype r;
	icalrecur_iterator *it;
	int rc = 0;

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(rrule);
	if (r.freq == ICAL_NO_RECURRENCE) {
		icalerror_clear_errno();
		return -EINVAL;
	}
	struct icaltimetype start = ical_start(dtstart, tzid);
	it = icalrecur_iterator_new(r, start);
	if (!it) {
		icalerror_clear_errno();
		return -EINVAL;
	}
	/* Jump close to the period when no COUNT needs every occurrence
	 * counted: a daily series from 2010 need not walk 16 years. */
	int64_t s0 = dt_to_utc(dtstart, dtstart->date ? NULL : tzid);
	int64_t jump = from_utc - dur - 86400 * 2;
	if (r.count == 0 && jump > s0 + 7 * 86400) {
		struct dt from;
		dt_from_utc(jump, dtstart->date ? NULL : tzid, &from);
		struct icaltimetype f = to_ical(&from);
		f.is_date = start.is_date;
		if (start.is_date)
			f.hour = f.minute = f.second = 0;
		else
			f.zone = start.zone;
		icalrecur_iterator_set_start(it, f);
	}
	for (size_t n = 0; n < limit; n++) {
		struct icaltimetype o = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(o))
			break;
		struct dt t;
		from_ical(o, dtstart->date, &t);
		int64_t s = dt_to_utc(&t, dtstart->date ? NULL : tzid);
		if (s >= to_utc)
			break;
		if (s + (dur > 0 ? dur : 1) <= from_utc)
			continue;
		if ((rc = cb(arg, &t, s)) != 0)
			break;
	}
	icalrecur_iterator_free(it);
	icalerror_clear_errno();
	return rc;
}

struct last {
	int64_t end, dur;
};

static int keep_last(void *arg, const struct dt *start, int64_t start_utc)
{
	struct last *l = arg;

	(void)start;
	l->end = start_utc + l->dur;
	return 0;
}

int64_t recur_last_end(const char *rrule, const struct dt *dtstart,
		       const char *tzid, int64_t dur)
{
	struct icalrecurrencetype r;

	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(rrule);
	icalerror_clear_errno();
	if (r.freq == ICAL_NO_RECURRENCE ||
	    (r.count == 0 && icaltime_is_null_time(r.until)))
		return 0;	/* never ends */
	struct last l = { 0, dur };
	/* COUNT or UNTIL bound it: walk to the end (capped) */
	if (recur_expand(rrule, dtstart, tzid, dur, INT64_MIN / 2,
			 INT64_MAX / 2, 200000, keep_last, &l) < 0)
		return 0;
	return l.end;
}
