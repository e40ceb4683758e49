/* store/crm_next: a record's next action as an all-day diary appointment.
 *
 * When a record has a next_date, the diary holds an all-day appointment
 * on that day titled "CRM: <next action> — <name>" with a reminder at its
 * start; its id is kept in crm_records.next_appt_id.  Moving the date or
 * renaming the action updates it; clearing the date deletes it.  An
 * appointment the user deleted from the diary is made again.
 */
#include "store/crm.h"
#include "store/diary.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "YYYY-MM-DD" of the day after `date` (valid). */
static void crm_next_day(const char *date, char out[11])
{
	struct tm tm = { 0 };

	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8) + 1;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	if (!strftime(out, 11, "%Y-%m-%d", &tm))
		out[0] = '\0';
}

static char *crm_next_title(const struct crm_record *r)
{
	return xasprintf("CRM: %s \xe2\x80\x94 %s",
			 str_empty(r->next_action) ? "follow up" :
						     r->next_action,
			 r->name ? r->name : "");
}

int crm_sync_appointment(struct db *db, struct crm_record *r, char **err)
{
	struct appointment *a = NULL;
	int rc;

	if (str_empty(r->next_date)) {
		if (!r->next_appt_id)
			return 0;
		rc = diary_delete(db, r->next_appt_id);
		if (rc < 0 && rc != -ENOENT) {
			if (err)
				*err = xstrdup("cannot remove the next "
					       "action's diary reminder");
			return rc;
		}
		r->next_appt_id = 0;
		return 0;
	}
	if (r->next_appt_id && diary_get(db, r->next_appt_id, &a) < 0)
		a = NULL;	/* deleted in the diary: make it again */
	char end[11], *title = crm_next_title(r);
	crm_next_day(r->next_date, end);
	if (a && a->all_day && str_eq(a->start, r->next_date) &&
	    str_eq(a->title, title)) {
		free(title);
		appointment_free(a);
		return 0;	/* nothing to change */
	}
	if (!a) {
		a = appointment_new();
		appointment_add_reminder(a, 0, NULL);
		str_set(&a->category, "CRM");
	}
	free(a->title);
	a->title = title;
	a->all_day = true;
	str_set(&a->tzid, NULL);
	str_set(&a->start, r->next_date);
	str_set(&a->end, end);
	char *msg = NULL;
	rc = diary_save(db, a, &msg);
	if (rc == 0) {
		r->next_appt_id = a->id;
	} else if (err) {
		*err = xasprintf("cannot put the next action in the diary: %s",
				 msg ? msg : "database error");
	}
	free(msg);
	appointment_free(a);
	return rc;
}
