/* store/diary: appointments in SQLite, and the occurrences of a period.
 *
 * Owns the appointments, appointment_attendees, appointment_reminders and
 * reminders_done tables (schema v2).  Recurring series are stored once and
 * expanded on demand with libical (store/recur.c); an edited or moved
 * occurrence is an override row pointing at its series.
 */
#ifndef CONFAB_STORE_DIARY_H
#define CONFAB_STORE_DIARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/appointment.h"

struct db;

/* Insert (a->id == 0) or update.  Checks the fields (title, dates, zone,
 * RRULE) and fills uid, start_utc/end_utc, until_utc and the timestamps.
 * -EINVAL with a message in *err when a field is wrong. */
int diary_save(struct db *db, struct appointment *a, char **err);
int diary_get(struct db *db, int64_t id, struct appointment **out);
/* Deletes a series with its overrides. */
int diary_delete(struct db *db, int64_t id);
/* The appointment with this UID (and recurrence id, NULL for the series
 * or a single appointment); *id = 0 when none. */
int diary_find_uid(struct db *db, const char *uid, const char *recurrence_id,
		   int64_t *id);

/* One occurrence of an appointment in a period. */
struct occurrence {
	int64_t appt_id;	/* the row to open: the override if moved */
	int64_t series_id;	/* the series' id, or appt_id */
	int64_t start_utc, end_utc;
	char start[20], end[20];	/* local to the appointment's zone */
	char *recurrence_id;	/* a series' occurrence: its original start
				   (for "this occurrence" edits); else NULL */
	bool all_day, recurring;
	char *title, *location, *category;	/* "" when none */
	int nrem;		/* reminders */
};

/* Occurrences overlapping [from_utc, to_utc), sorted by start then title. */
int diary_range(struct db *db, int64_t from_utc, int64_t to_utc,
		struct occurrence **out, size_t *n);
void occurrences_free(struct occurrence *o, size_t n);

/* "This occurrence" edits of a series: drop one occurrence (an EXDATE), or
 * store a changed copy of it (an override with RECURRENCE-ID). */
int diary_delete_occurrence(struct db *db, int64_t series_id,
			    const char *recurrence_id);
int diary_save_occurrence(struct db *db, int64_t series_id,
			  const char *recurrence_id, struct appointment *changed,
			  char **err);

/* The occurrence cache (schema v2's occurrences table): a window from a
 * year back to two years ahead in which every series' occurrences are
 * stored, so that diary_range() is a query there.  diary_save() and the
 * occurrence edits keep it in step; diary_cache_update() moves the window
 * on when less than a year of it is left (call it at start) and then
 * re-expands series_id (0: none); diary_cache_rebuild() starts afresh. */
int diary_cache_update(struct db *db, int64_t series_id);
int diary_cache_rebuild(struct db *db);

#endif
