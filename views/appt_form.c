/* views/appt_form: the appointment form.
 *
 * Dates and times are typed as text (YYYY-MM-DD, HH:MM); an empty start
 * time makes an all-day event.  "Repeats" takes a word (daily, weekdays,
 * weekly, fortnightly, monthly, monthly-weekday, yearly) or an iCalendar
 * RRULE; "Ends" a date or a number of times.  Reminders and attendees are
 * rows that grow as they are filled; an attendee is a contact (any text
 * that finds exactly one) or an email address.
 */
#include "views/diary.h"
#include "views/form.h"
#include "views/ui.h"
#include "app/app.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "store/diary.h"
#include "store/recur.h"
#include "common/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { U_TITLE = 1, U_DATE, U_TIME, U_END_DATE, U_END_TIME, U_TZ, U_REPEAT,
       U_ENDS, U_LOCATION, U_CATEGORY, U_NOTES, U_REMIND = 100,
       U_ATTENDEE = 200 };
enum { G_REMIND = 1, G_ATTENDEE = 2 };

struct aform {
	struct shell *sh;
	struct form *f;
	struct appointment *a;		/* being edited (owned) */
	int64_t series_id;		/* "this occurrence" of a series */
	char *recurrence_id;
	int64_t saved_id;
	appt_done_cb done;
	void *arg;
};

static const char *const wd_codes[] = { "MO", "TU", "WE", "TH", "FR", "SA",
					"SU" };

/* ---- from the appointment to rows --------------------------------------------- */

static char *lead_text(int m)
{
	if (m && m % 10080 == 0)
		return xasprintf("%dw", m / 10080);
	if (m && m % 1440 == 0)
		return xasprintf("%dd", m / 1440);
	if (m && m % 60 == 0)
		return xasprintf("%dh", m / 60);
	return xasprintf("%dm", m);
}

static void build(struct aform *af, const struct dt *day)
{
	struct form *f = af->f;
	const struct appointment *a = af->a;
	struct dt s = { 0 }, e = { 0 };
	char date[16] = "", tm[8] = "", edate[16] = "", etm[8] = "";

	if (a && dt_parse(a->start, &s) && dt_parse(a->end, &e)) {
		snprintf(date, sizeof date, "%04d-%02d-%02d", s.year % 10000,
			 s.month % 100, s.day % 100);
		if (s.date) {	/* the last day, not the exclusive end */
			dt_add_days(&e, -1);
		} else {
			snprintf(tm, sizeof tm, "%02d:%02d", s.hour % 100,
				 s.min % 100);
			snprintf(etm, sizeof etm, "%02d:%02d", e.hour % 100,
				 e.min % 100);
		}
		if (!(e.year == s.year && e.month == s.month && e.day == s.day))
			snprintf(edate, sizeof edate, "%04d-%02d-%02d",
				 e.year % 10000, e.month % 100, e.day % 100);
	} else if (day) {
		snprintf(date, sizeof date, "%04d-%02d-%02d", day->year % 10000,
			 day->month % 100, day->day % 100);
		snprintf(tm, sizeof tm, "09:00");
	}
	form_add_user(f, "Title", a ? a->title : "", U_TITLE);
	form_add_user(f, "Date", date, U_DATE);
	form_add_user(f, "Start time", tm, U_TIME);
	form_add_user(f, "End date", edate, U_END_DATE);
	form_add_user(f, "End time", etm, U_END_TIME);
	form_add_user(f, "Time zone", a ? (a->tzid ? a->tzid : "") :
				      (dt_local_zone() ? dt_local_zone() : ""),
		      U_TZ);
	if (!af->series_id) {
		form_add_user(f, "Repeats", a && a->rrule ? a->rrule : "",
			      U_REPEAT);
		form_add_user(f, "Until or times", "", U_ENDS);
	}
	form_add_user(f, "Location", a ? a->location : "", U_LOCATION);
	form_add_user(f, "Category", a ? a->category : "", U_CATEGORY);
	for (size_t i = 0; a && i < a->nrem; i++) {
		char *t = lead_text(a->rem[i].minutes);
		form_add_group(f, G_REMIND, "Reminder", NULL, NULL, t,
			       U_REMIND + (long)i);
		free(t);
	}
	form_add_group(f, G_REMIND, "Reminder", NULL, NULL,
		       a ? "" : "15m", U_REMIND - 1);
	for (size_t i = 0; a && i < a->natt; i++) {
		const struct appt_attendee *t = &a->att[i];
		char *v = t->name && t->email ? xasprintf("%s <%s>", t->name,
							  t->email) :
			  xstrdup(t->email ? t->email : t->name ? t->name : "");
		form_add_group(f, G_ATTENDEE, "Attendee", NULL, NULL, v,
			       U_ATTENDEE + (long)i);
		free(v);
	}
	form_add_group(f, G_ATTENDEE, "Attendee", NULL, NULL, "",
		       U_ATTENDEE - 1);
	form_add_user(f, "Notes", a ? a->notes : "", U_NOTES);
}

/* ---- from the rows back ------------------------------------------------------- */

static char *text(struct aform *af, long user)
{
	size_t i = form_find(af->f, user);
	char *t = i < form_count(af->f) ? form_text(af->f, i) : xstrdup("");

	str_trim(t);
	return t;
}

static int bad_row(struct aform *af, long user, size_t *bad, char **err,
		   char *msg)
{
	*bad = form_find(af->f, user);
	*err = msg;
	return -1;
}

/* "15m", "2h", "1d", "1w", "90": minutes; -1 when not a lead time */
static int lead_minutes(const char *s)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	switch (*end) {
	case '\0': case 'm': break;
	case 'h': n *= 60; break;
	case 'd': n *= 1440; break;
	case 'w': n *= 10080; break;
	default: return -1;
	}
	if (*end && end[1] && !isalpha((unsigned char)end[1]))
		return -1;
	return n < 0 || n > 366L * 1440 ? -1 : (int)n;
}

/* A word, or an RRULE as it is; NULL for none; *ok false when neither. */
static char *repeat_rule(const char *w, const struct dt *s, bool *ok)
{
	int wd = dt_weekday(s);
	int nth = (s->day - 1) / 7 + 1;

	*ok = true;
	if (!*w || str_ieq(w, "none") || str_ieq(w, "no"))
		return NULL;
	if (str_istarts(w, "FREQ=") || str_istarts(w, "RRULE:"))
		return xstrdup(w);
	if (str_ieq(w, "daily"))
		return xstrdup("FREQ=DAILY");
	if (str_ieq(w, "weekdays"))
		return xstrdup("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
	if (str_ieq(w, "weekly"))
		return xasprintf("FREQ=WEEKLY;BYDAY=%s", wd_codes[wd]);
	if (str_ieq(w, "fortnightly"))
		return xasprintf("FREQ=WEEKLY;INTERVAL=2;BYDAY=%s", wd_codes[wd]);
	if (str_ieq(w, "monthly"))
		return xasprintf("FREQ=MONTHLY;BYMONTHDAY=%d", s->day);
	if (str_ieq(w, "monthly-weekday") || str_ieq(w, "monthly by weekday"))
		return xasprintf("FREQ=MONTHLY;BYDAY=%d%s",
				 s->day + 7 > dt_days_in_month(s->year, s->month)
					 ? -1 : nth, wd_codes[wd]);
	if (str_ieq(w, "yearly") || str_ieq(w, "annually"))
		return xstrdup("FREQ=YEARLY");
	*ok = false;
	return NULL;
}

/* "Name <email>", an email, or a contact search. */
static int attendee(struct aform *af, struct appointment *a, char *v,
		    char **err)
{
	struct db *db = shell_app(af->sh)->db;
	char *lt = strchr(v, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	struct contact *c = NULL;

	if (lt && gt) {
		*gt = '\0';
		*lt = '\0';
		struct appt_attendee *t = appointment_add_attendee(a);
		t->name = *str_trim(v) ? xstrdup(v) : NULL;
		t->email = xstrdup(str_trim(lt + 1));
	} else if (contacts_search(db, v, 0, 2, &ids, &n, NULL) == 0 &&
		   n == 1 && contacts_get(db, ids[0], &c) == 0) {
		const struct cfield *em = contact_first(c, CF_EMAIL);
		struct appt_attendee *t = appointment_add_attendee(a);
		t->name = xstrdup(c->fn);
		t->email = em ? xstrdup(em->value) : NULL;
		t->contact_id = c->id;
		contact_free(c);
	} else if (strchr(v, '@')) {
		appointment_add_attendee(a)->email = xstrdup(v);
	} else {
		*err = xasprintf("Attendee '%s': %s", v, n ? "more than one "
				 "contact matches; type more of the name" :
				 "no contact matches; give an email");
		free(ids);
		return -1;
	}
	free(ids);
	return 0;
}

static int collect(struct aform *af, struct appointment *a, char **err,
		   size_t *bad)
{
	char *title = text(af, U_TITLE), *date = text(af, U_DATE);
	char *tm = text(af, U_TIME), *edate = text(af, U_END_DATE);
	char *etm = text(af, U_END_TIME), *tz = text(af, U_TZ);
	int rc = 0;
	struct dt s;

	str_set(&a->title, title);
	if (!dt_parse(date, &s) || !s.date) {
		rc = bad_row(af, U_DATE, bad, err,
			     xasprintf("Date: '%s' is not a date (YYYY-MM-DD)",
				       date));
		goto out;
	}
	a->all_day = !*tm;
	free(a->start);
	free(a->end);
	a->start = *tm ? xasprintf("%s %s", date, tm) : xstrdup(date);
	a->end = NULL;
	if (a->all_day) {
		struct dt e = s;
		if (*edate && (!dt_parse(edate, &e) || !e.date)) {
			rc = bad_row(af, U_END_DATE, bad, err, xasprintf(
				"End date: '%s' is not a date", edate));
			goto out;
		}
		dt_add_days(&e, 1);	/* the day after the last */
		char buf[DT_STRLEN];
		dt_format(&e, buf);
		a->end = xstrdup(buf);
	} else if (*etm || *edate) {
		a->end = xasprintf("%s %s", *edate ? edate : date,
				   *etm ? etm : tm);
	}
	str_set(&a->tzid, a->all_day || !*tz ? NULL : tz);
	if (!af->series_id) {
		char *rep = text(af, U_REPEAT), *ends = text(af, U_ENDS);
		bool ok;
		char *rule = repeat_rule(rep, &s, &ok);
		if (!ok) {
			rc = bad_row(af, U_REPEAT, bad, err, xstrdup(
				"Repeats: use daily, weekdays, weekly, "
				"fortnightly, monthly, monthly-weekday, yearly "
				"or an RRULE"));
		} else if (*ends && !rule) {
			rc = bad_row(af, U_ENDS, bad, err, xstrdup(
				"Ends: only a repeating appointment ends"));
		} else if (*ends) {
			struct dt u;
			char *r2 = NULL;
			if (strspn(ends, "0123456789") == strlen(ends))
				r2 = xasprintf("%s;COUNT=%s", rule, ends);
			else if (dt_parse(ends, &u) && u.date)
				r2 = xasprintf("%s;UNTIL=%04d%02d%02d%s", rule,
					       u.year % 10000, u.month % 100,
					       u.day % 100,
					       a->all_day ? "" : "T235959Z");
			else
				rc = bad_row(af, U_ENDS, bad, err, xasprintf(
					"Ends: '%s' is neither a date nor a "
					"number of times", ends));
			free(rule);
			rule = r2;
		}
		free(a->rrule);
		a->rrule = rule;
		free(rep);
		free(ends);
		if (rc)
			goto out;
	}
	char *loc = text(af, U_LOCATION), *cat = text(af, U_CATEGORY);
	char *notes = text(af, U_NOTES);
	str_set(&a->location, *loc ? loc : NULL);
	str_set(&a->category, *cat ? cat : NULL);
	str_set(&a->notes, *notes ? notes : NULL);
	free(loc);
	free(cat);
	free(notes);
	for (size_t i = 0; i < a->nrem; i++)
		free(a->rem[i].extra);
	a->nrem = 0;
	for (size_t i = 0; i < a->natt; i++) {
		free(a->att[i].name);
		free(a->att[i].email);
		free(a->att[i].role);
		free(a->att[i].partstat);
		free(a->att[i].params);
	}
	a->natt = 0;
	for (size_t i = 0; i < form_count(af->f) && rc == 0; i++) {
		const struct form_field *fl = form_field(af->f, i);
		char *v = form_text(af->f, i);
		str_trim(v);
		if (*v && fl->group == G_REMIND) {
			int m = lead_minutes(v);
			if (m < 0) {
				*bad = i;
				*err = xasprintf("Reminder: '%s' is not a lead "
						 "time (15m, 2h, 1d, 1w)", v);
				rc = -1;
			} else {
				appointment_add_reminder(a, m, NULL);
			}
		} else if (*v && fl->group == G_ATTENDEE &&
			   attendee(af, a, v, err) < 0) {
			*bad = i;
			rc = -1;
		}
		free(v);
	}
out:
	free(title);
	free(date);
	free(tm);
	free(edate);
	free(etm);
	free(tz);
	return rc;
}

static long row_for(const char *err)
{
	if (str_istarts(err, "start"))
		return U_TIME;
	if (str_istarts(err, "end") || strstr(err, "before it starts"))
		return U_END_TIME;
	if (strstr(err, "time zone"))
		return U_TZ;
	if (strstr(err, "recurrence") || strstr(err, "excluded"))
		return U_REPEAT;
	return U_TITLE;
}

static int save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct aform *af = arg;
	struct db *db = shell_app(af->sh)->db;
	struct appointment *a = af->a ? appointment_dup(af->a) :
					appointment_new();
	int rc;

	(void)f;
	if (collect(af, a, err, bad) < 0) {
		appointment_free(a);
		return -1;
	}
	rc = af->series_id ? diary_save_occurrence(db, af->series_id,
						   af->recurrence_id, a, err) :
			     diary_save(db, a, err);
	if (rc < 0) {
		if (!*err)
			*err = xstrdup("cannot save the appointment");
		*bad = form_find(af->f, row_for(*err));
		if (*bad >= form_count(af->f))
			*bad = 0;
		appointment_free(a);
		return -1;
	}
	af->saved_id = a->id;
	int crm = crm_link_meeting(db, a);	/* customers' timelines */
	shell_message(af->sh, "%s \"%s\"%s%s", af->a ? "Saved" : "Added",
		      a->title, af->series_id ? " (this occurrence)" : "",
		      crm > 0 ? "; on the attendees' CRM timelines" : "");
	appointment_free(a);
	return 0;
}

static void done(void *arg, bool saved)
{
	struct aform *af = arg;

	if (saved) {
		shell_reload(af->sh);
		if (af->done)
			af->done(af->arg, af->saved_id);
	}
	appointment_free(af->a);
	free(af->recurrence_id);
	free(af);
}

static void open_form(struct shell *sh, struct appointment *a,
		      const struct dt *day, int64_t series_id,
		      const char *recurrence_id, appt_done_cb cb, void *arg)
{
	struct aform *af = xcalloc(1, sizeof *af);

	af->sh = sh;
	af->a = a;
	af->series_id = series_id;
	af->recurrence_id = xstrdup(recurrence_id);
	af->done = cb;
	af->arg = arg;
	char *title = !a ? xstrdup("New appointment") :
		      series_id ? xasprintf("Edit this occurrence of %s",
					    a->title) :
				  xasprintf("Edit %s", a->title);
	af->f = form_new(sh, title, save, done, af);
	free(title);
	build(af, day);
	form_open(af->f);
}

void appt_form_new(struct shell *sh, const struct dt *day, appt_done_cb cb,
		   void *arg)
{
	open_form(sh, NULL, day, 0, NULL, cb, arg);
}

void appt_form_edit(struct shell *sh, struct appointment *a,
		    int64_t series_id, const char *recurrence_id,
		    appt_done_cb cb, void *arg)
{
	open_form(sh, a, NULL, series_id, recurrence_id, cb, arg);
}
