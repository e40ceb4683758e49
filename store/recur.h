/* store/recur: diary times and recurrence, with libical.
 *
 * A `struct dt` is a wall-clock time (or a date) as written in an
 * appointment, local to its zone: an IANA name, "UTC", or NULL for
 * floating times and all-day dates, which follow the user's own zone
 * (the TZ environment variable, else /etc/localtime).  Recurrence rules
 * are RFC 5545 RRULE values, expanded by libical on wall-clock time, so a
 * weekly 09:00 meeting stays at 09:00 across daylight-saving changes.
 */
#ifndef CONFAB_STORE_RECUR_H
#define CONFAB_STORE_RECUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dt {
	int year, month, day;		/* month 1-12 */
	int hour, min, sec;
	bool date;			/* a date (all-day), no time */
};

#define DT_STRLEN 20	/* "YYYY-MM-DDTHH:MM:SS" + NUL */

/* "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS]", also
 * the iCalendar forms "YYYYMMDD" and "YYYYMMDDTHHMMSS".  False when it is
 * not a real date/time (30 February, 25:00…). */
bool dt_parse(const char *s, struct dt *out);
/* "YYYY-MM-DDTHH:MM:SS", or "YYYY-MM-DD" for a date. */
void dt_format(const struct dt *t, char out[DT_STRLEN]);
/* Is tzid a zone we know ("UTC" or an IANA name in the zone database)? */
bool dt_zone_known(const char *tzid);
/* The user's own zone as an IANA name ($TZ, else /etc/localtime's
 * target), or NULL when it has none we know.  Static storage. */
const char *dt_local_zone(void);
/* Seconds since the epoch of t in tzid (dates: their midnight). */
int64_t dt_to_utc(const struct dt *t, const char *tzid);
/* The wall-clock time in tzid at UTC second `utc` (date false). */
void dt_from_utc(int64_t utc, const char *tzid, struct dt *out);
/* t moved by whole days (the wall-clock time is kept). */
void dt_add_days(struct dt *t, int days);
/* Days from a to b (dates only count). */
int dt_days_between(const struct dt *a, const struct dt *b);
/* Monday = 0 … Sunday = 6 */
int dt_weekday(const struct dt *t);
int dt_days_in_month(int year, int month);

/* Is rrule a rule libical understands?  -EINVAL with a message. */
int recur_check(const char *rrule, char **err);

/* One occurrence: its wall-clock start and its UTC start. */
typedef int (*recur_cb)(void *arg, const struct dt *start, int64_t start_utc);

/* The occurrences of a series starting at dtstart in tzid, lasting `dur`
 * seconds each (for dates: dur is days * 86400), that overlap
 * [from_utc, to_utc), in order.  Stops early when cb returns non-zero
 * (and returns that).  At most `limit` occurrences are visited in all
 * (a guard against rules that never end: pass e.g. 100000). */
int recur_expand(const char *rrule, const struct dt *dtstart,
		 const char *tzid, int64_t dur, int64_t from_utc,
		 int64_t to_utc, size_t limit, recur_cb cb, void *arg);

/* When the series' last occurrence ends (UTC); 0 when it never does. */
int64_t recur_last_end(const char *rrule, const struct dt *dtstart,
		       const char *tzid, int64_t dur);

#endif
