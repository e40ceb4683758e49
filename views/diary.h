/* views/diary: the Diary tab and the pieces it is made of.
 *
 *   diary.c       the tab: month, week, day and agenda
 *   appt.c        one appointment's layer; edit/delete flows that ask
 *                 "this occurrence or the whole series"; iCalendar
 *                 import/export prompts
 *   appt_form.c   the appointment form
 *   reminders.c   reminders firing while confab runs, the missed ones at
 *                 start, and the status bar's "next appointment"
 */
#ifndef CONFAB_VIEWS_DIARY_H
#define CONFAB_VIEWS_DIARY_H

#include <stdint.h>

struct shell;
struct view;
struct occurrence;
struct dt;
struct appointment;

struct view *view_diary_new(struct shell *sh);

/* done(arg, id) runs after a change was saved. */
typedef void (*appt_done_cb)(void *arg, int64_t id);
void appt_open(struct shell *sh, const struct occurrence *o,
	       appt_done_cb done, void *arg);
void appt_edit(struct shell *sh, const struct occurrence *o,
	       appt_done_cb done, void *arg);
void appt_delete(struct shell *sh, const struct occurrence *o,
		 appt_done_cb done, void *arg);
void diary_import_prompt(struct shell *sh, appt_done_cb done, void *arg);
void diary_export_prompt(struct shell *sh, int64_t from_utc, int64_t to_utc);

/* The form: a new appointment on `day`, or edit `a` (owned by the
 * form); for "this occurrence" edits series_id and recurrence_id say
 * which. */
void appt_form_new(struct shell *sh, const struct dt *day, appt_done_cb done,
		   void *arg);
void appt_form_edit(struct shell *sh, struct appointment *a,
		    int64_t series_id, const char *recurrence_id,
		    appt_done_cb done, void *arg);

/* Reminders (one per shell). */
struct reminders_ui;
struct reminders_ui *reminders_ui_start(struct shell *sh);
void reminders_ui_reload(struct reminders_ui *r);
/* "Now: Stand-up" / "Next: Stand-up in 25m"; NULL when nothing soon. */
const char *reminders_ui_status(struct reminders_ui *r);
void reminders_ui_stop(struct reminders_ui *r);
/* A pager of the reminders shown this session and missed ones. */
void reminders_ui_show(struct shell *sh);

#endif
