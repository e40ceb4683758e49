/* store/reminders: which diary reminders are due, and which were shown.
 *
 * A reminder fires `minutes` before an occurrence starts (an all-day
 * event starts at its local midnight).  Each one shown is recorded in
 * reminders_done per occurrence, so none fires twice, across restarts, and
 * those that came due while confab was closed can be listed as missed.
 */
#ifndef CONFAB_STORE_REMINDERS_H
#define CONFAB_STORE_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

struct reminder_due {
	int64_t appt_id;	/* the row (an override's own for a moved one) */
	int64_t start_utc;	/* the occurrence's start */
	int minutes;
	int64_t fire_utc;
	bool all_day;
	char *title, *location;
};

/* Reminders not yet shown whose fire time is in [from, to], in order. */
int reminders_due(struct db *db, int64_t from, int64_t to,
		  struct reminder_due **out, size_t *n);
/* The first fire time after `after` of a reminder not yet shown, looking
 * `horizon` seconds ahead; 0 when none. */
int64_t reminders_next(struct db *db, int64_t after, int64_t horizon);
/* Record r as shown (or dismissed) at `when`. */
int reminders_mark_done(struct db *db, const struct reminder_due *r,
			int64_t when);
void reminders_free(struct reminder_due *v, size_t n);

#endif
