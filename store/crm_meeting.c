/* store/crm_meeting: appointments with customers on their CRM timelines. */
#include "store/crm.h"
#include "store/db.h"
#include "store/diary.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

static char *meeting_text(const struct appointment *a)
{
	time_t t = (time_t)a->start_utc;
	struct tm tm;
	char when[40];

	localtime_r(&t, &tm);
	strftime(when, sizeof when, a->all_day ? "%a %e %b %Y" :
			"%a %e %b %Y %H:%M", &tm);
	return xasprintf("%s, %s%s%s%s", a->title, str_trim(when),
			 a->rrule ? " (repeating)" : "",
			 str_empty(a->location) ? "" : " at ",
			 str_empty(a->location) ? "" : a->location);
}

int crm_link_meeting(struct db *db, const struct appointment *a)
{
	sqlite3_stmt *find = db_stmt(db, "SELECT id FROM crm_events WHERE "
				     "record_id = ? AND appt_id = ? AND "
				     "kind = 'meeting'");
	sqlite3_stmt *upd = db_stmt(db, "UPDATE crm_events SET text = ?, "
				    "at = ? WHERE id = ?");
	int linked = 0, rc = 0;

	if (!find || !upd)
		return -EIO;
	if (!a->id)
		return 0;
	char *text = meeting_text(a);
	for (size_t i = 0; i < a->natt && rc == 0; i++) {
		int64_t rec = 0, ev = 0;
		if (!a->att[i].contact_id ||
		    crm_record_for_contact(db, a->att[i].contact_id, &rec) < 0 ||
		    !rec)
			continue;
		sqlite3_bind_int64(find, 1, rec);
		sqlite3_bind_int64(find, 2, a->id);
		if (sqlite3_step(find) == SQLITE_ROW)
			ev = sqlite3_column_int64(find, 0);
		sqlite3_reset(find);
		if (ev) {
			sqlite3_bind_text(upd, 1, text, -1, SQLITE_STATIC);
			sqlite3_bind_int64(upd, 2, a->start_utc);
			sqlite3_bind_int64(upd, 3, ev);
			rc = sqlite3_step(upd) == SQLITE_DONE ? 0 : -EIO;
			sqlite3_reset(upd);
			if (rc == 0)
				rc = crm_reindex(db, rec);
		} else {
			rc = crm_add_event(db, rec, "meeting", text, 0, a->id,
					   a->start_utc, NULL);
		}
		if (rc == 0)
			linked++;
	}
	free(text);
	return rc < 0 ? rc : linked;
}
