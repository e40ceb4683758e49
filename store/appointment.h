/* store/appointment: the in-memory diary appointment.
 *
 * Shared by the diary store (store/diary.c), recurrence expansion
 * (store/recur.c), iCalendar import/export (store/formats/ical.c) and the
 * views.  It owns every string it points to; appointment_free() releases
 * them.  Strings are UTF-8; NULL means absent.
 *
 * Times are kept as written, in the appointment's own zone:
 *   start/end   "YYYY-MM-DDTHH:MM:SS" local to tzid, or "YYYY-MM-DD" when
 *               all_day (end is then exclusive, as in iCalendar: a one-day
 *               event on 1 Dec ends "YYYY-12-02");
 *   tzid        an IANA zone ("Europe/London"); NULL for floating times
 *               and all-day events, which follow the user's own zone.
 * start_utc/end_utc are computed from them by diary_save().
 */
#ifndef CONFAB_STORE_APPOINTMENT_H
#define CONFAB_STORE_APPOINTMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct appt_attendee {
	char *name, *email;
	int64_t contact_id;	/* 0: not (or no longer) in the address book */
	char *role;		/* iCalendar ROLE, e.g. "REQ-PARTICIPANT" */
	char *partstat;		/* e.g. "ACCEPTED" */
	char *params;		/* other ATTENDEE parameters, verbatim */
};

struct appt_reminder {
	int minutes;		/* before the start; 0 = at the start */
	char *extra;		/* the VALARM's other lines, verbatim */
};

struct appointment {
	int64_t id;		/* 0 until stored */
	int64_t series_id;	/* an override: the series it changes */
	char *uid;
	char *recurrence_id;	/* an override: the original start (local
				   form as `start`); NULL otherwise */
	char *title, *location, *notes, *category;
	char *tzid;
	bool all_day;
	char *start, *end;
	int64_t start_utc, end_utc;
	char *rrule;		/* RFC 5545 RRULE value, NULL if single */
	char **exdates;		/* excluded starts, local form as `start` */
	size_t nexdates;
	int64_t until_utc;	/* end of the last occurrence; 0 = never */
	struct appt_attendee *att;
	size_t natt;
	struct appt_reminder *rem;
	size_t nrem;
	char *extra;		/* iCalendar lines we do not model, verbatim,
				   joined by "\r\n" */
	int64_t created, updated, rev;
};

struct appointment *appointment_new(void);
void appointment_free(struct appointment *a);
struct appointment *appointment_dup(const struct appointment *a);
void appointment_add_exdate(struct appointment *a, const char *local);
struct appt_attendee *appointment_add_attendee(struct appointment *a);
void appointment_add_reminder(struct appointment *a, int minutes,
			      const char *extra);

#endif
