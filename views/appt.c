/* views/appt: one appointment's layer, the edit and delete flows that ask
 * whether a series' occurrence or the whole series is meant, and the
 * iCalendar import/export prompts of the Diary tab. */
#include "views/diary.h"
#include "views/ui.h"
#include "app/app.h"
#include "store/diary.h"
#include "store/recur.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What an edit or delete is about: a copy of the occurrence's keys. */
struct target {
	struct shell *sh;
	int64_t appt_id, series_id, start_utc;
	char *recurrence_id;
	bool recurring, moved;	/* moved: appt_id is an override row */
	char *title;
	appt_done_cb done;
	void *arg;
};

static struct target *target_new(struct shell *sh, const struct occurrence *o,
				  appt_done_cb done, void *arg)
{
	struct target *t = xcalloc(1, sizeof *t);

	t->sh = sh;
	t->appt_id = o->appt_id;
	t->series_id = o->series_id;
	t->start_utc = o->start_utc;
	t->recurrence_id = xstrdup(o->recurrence_id);
	t->recurring = o->recurring;
	t->moved = o->recurring && o->appt_id != o->series_id;
	t->title = xstrdup(o->title);
	t->done = done;
	t->arg = arg;
	return t;
}

static void target_free(struct target *t)
{
	free(t->recurrence_id);
	free(t->title);
	free(t);
}

static void changed(struct target *t, int64_t id)
{
	if (t->done)
		t->done(t->arg, id);
}

/* ---- edit ------------------------------------------------------------------- */

static void edit_series(struct target *t)
{
	struct appointment *a;

	if (diary_get(shell_app(t->sh)->db, t->series_id, &a) < 0) {
		shell_error(t->sh, "That appointment no longer exists");
		return;
	}
	appt_form_edit(t->sh, a, 0, NULL, t->done, t->arg);
}

/* "This occurrence": the override if there is one, else a copy of the
 * series at this occurrence's time. */
static void edit_occurrence(struct target *t)
{
	struct db *db = shell_app(t->sh)->db;
	struct appointment *a;

	if (diary_get(db, t->appt_id, &a) < 0) {
		shell_error(t->sh, "That appointment no longer exists");
		return;
	}
	if (!t->moved) {
		struct dt s, e, os;
		int64_t dur = a->end_utc - a->start_utc;
		dt_parse(t->recurrence_id, &os);
		if (a->all_day) {
			struct dt as, ae;
			dt_parse(a->start, &as);
			dt_parse(a->end, &ae);
			s = os;
			e = os;
			dt_add_days(&e, dt_days_between(&as, &ae));
		} else {
			s = os;
			dt_from_utc(dt_to_utc(&os, a->tzid) + dur, a->tzid, &e);
		}
		char buf[DT_STRLEN];
		dt_format(&s, buf);
		str_set(&a->start, buf);
		dt_format(&e, buf);
		str_set(&a->end, buf);
		free(a->rrule);
		a->rrule = NULL;
		for (size_t i = 0; i < a->nexdates; i++)
			free(a->exdates[i]);
		free(a->exdates);
		a->exdates = NULL;
		a->nexdates = 0;
		a->id = 0;
	}
	appt_form_edit(t->sh, a, t->series_id, t->recurrence_id, t->done,
		       t->arg);
}

static void which_edit(void *arg, int i)
{
	struct target *t = arg;

	if (i == 0)
		edit_occurrence(t);
	else if (i == 1)
		edit_series(t);
	target_free(t);
}

static const char *const which_items[] = { "This occurrence only",
					   "The whole series" };

void appt_edit(struct shell *sh, const struct occurrence *o,
	       appt_done_cb done, void *arg)
{
	struct target *t = target_new(sh, o, done, arg);

	if (!t->recurring) {
		edit_series(t);
		target_free(t);
		return;
	}
	ui_menu(sh, "Change which?", which_items, 2, 0, which_edit, t);
}

/* ---- delete ------------------------------------------------------------------ */

static void delete_series(struct target *t)
{
	if (diary_delete(shell_app(t->sh)->db, t->series_id) < 0) {
		shell_error(t->sh, "Cannot delete: it no longer exists");
		return;
	}
	shell_message(t->sh, "Deleted \"%s\"%s", t->title,
		      t->recurring ? " and all its occurrences" : "");
	changed(t, 0);
}

static void delete_occurrence(struct target *t)
{
	if (diary_delete_occurrence(shell_app(t->sh)->db, t->series_id,
				    t->recurrence_id) < 0) {
		shell_error(t->sh, "Cannot delete this occurrence");
		return;
	}
	shell_message(t->sh, "Deleted this occurrence of \"%s\"", t->title);
	changed(t, 0);
}

static void which_delete(void *arg, int i)
{
	struct target *t = arg;

	if (i == 0)
		delete_occurrence(t);
	else if (i == 1)
		delete_series(t);
	target_free(t);
}

static void confirm_delete(void *arg, bool yes)
{
	struct target *t = arg;

	if (yes)
		delete_series(t);
	target_free(t);
}

void appt_delete(struct shell *sh, const struct occurrence *o,
		 appt_done_cb done, void *arg)
{
	struct target *t = target_new(sh, o, done, arg);

	if (t->recurring) {
		ui_menu(sh, "Delete which?", which_items, 2, 0, which_delete, t);
		return;
	}
	if (!shell_app(sh)->cfg.confirm_delete) {
		confirm_delete(t, true);
		return;
	}
	char *q = xasprintf("Delete \"%s\"?", t->title);
	ui_confirm(sh, q, confirm_delete, t);
	free(q);
}

/* ---- the layer ----------------------------------------------------------------- */

struct appt_layer {
	struct view v;
	struct target *t;
	struct appointment *a;
};

static int row(struct shell *sh, WINDOW *w, int y, int cols, const char *label,
	       const char *value)
{
	if (str_empty(value))
		return y;
	ui_text(w, y, 3, 12, label, ui_attr(sh, UI_DIM));
	ui_text(w, y, 15, cols - 18, value, A_NORMAL);
	return y + 1;
}

static void when_text(struct shell *sh, const struct target *t,
		      const struct appointment *a, char *buf, size_t n)
{
	time_t s = (time_t)t->start_utc;
	struct tm tm;
	char day[64], tm1[16];

	localtime_r(&s, &tm);
	strftime(day, sizeof day, "%A %e %B %Y", &tm);
	if (a->all_day) {
		snprintf(buf, n, "%s, all day", str_trim(day));
		return;
	}
	strftime(tm1, sizeof tm1, shell_app(sh)->cfg.clock_24h ? "%H:%M" :
				  "%l:%M %p", &tm);
	snprintf(buf, n, "%s, %s (%d min)", str_trim(day), str_trim(tm1),
		 (int)((a->end_utc - a->start_utc) / 60));
}

static void layer_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct appt_layer *l = (struct appt_layer *)v;
	struct shell *sh = v->sh;
	const struct appointment *a = l->a;
	char when[160];
	int y = 2;

	ui_box(sh, w, 0, 0, h, cols, "Appointment");
	if (!a) {
		ui_text(w, 2, 3, cols - 6, "This appointment no longer exists.",
			ui_attr(sh, UI_DIM));
		return;
	}
	ui_text(w, y++, 3, cols - 6, a->title, ui_attr(sh, UI_TITLE));
	y++;
	when_text(sh, l->t, a, when, sizeof when);
	y = row(sh, w, y, cols, "When", when);
	char *wall = a->tzid ? xasprintf("%s %s", a->start, a->tzid) : NULL;
	y = row(sh, w, y, cols, "As written", wall);
	free(wall);
	y = row(sh, w, y, cols, "Repeats", l->t->recurring && !a->rrule ?
					   "(a changed occurrence of a series)"
					   : a->rrule);
	for (size_t i = 0; i < a->nexdates; i++)
		y = row(sh, w, y, cols, i ? "" : "Except", a->exdates[i]);
	y = row(sh, w, y, cols, "Where", a->location);
	y = row(sh, w, y, cols, "Category", a->category);
	for (size_t i = 0; i < a->nrem; i++) {
		int m = a->rem[i].minutes;
		char *r = m % 1440 == 0 && m ? xasprintf("%d day%s before",
						 m / 1440, m == 1440 ? "" : "s") :
			  m % 60 == 0 && m ? xasprintf("%d hour%s before", m / 60,
						       m == 60 ? "" : "s") :
			  xasprintf("%d minute%s before", m, m == 1 ? "" : "s");
		y = row(sh, w, y, cols, i ? "" : "Reminders", r);
		free(r);
	}
	for (size_t i = 0; i < a->natt; i++) {
		const struct appt_attendee *t = &a->att[i];
		char *s = xasprintf("%s%s%s%s%s", t->name ? t->name : "",
				    t->name && t->email ? " <" : "",
				    t->email ? t->email : "",
				    t->name && t->email ? ">" : "",
				    t->partstat ? "" : "");
		y = row(sh, w, y, cols, i ? "" : "Attendees", s);
		free(s);
	}
	if (!str_empty(a->notes) && y + 2 < h) {
		y++;
		const char *p = a->notes;
		while (*p && y < h - 1) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			char *line = xstrndup(p, n);
			ui_text(w, y++, 3, cols - 6, line, A_NORMAL);
			free(line);
			p = nl ? nl + 1 : p + n;
		}
	}
}

static void layer_load(struct appt_layer *l)
{
	appointment_free(l->a);
	l->a = NULL;
	diary_get(shell_app(l->v.sh)->db, l->t->appt_id, &l->a);
}

/* After an edit or delete from the layer: show what is there now (the
 * owner's reload reaches this layer too). */
static void layer_done(void *arg, int64_t id)
{
	struct appt_layer *l = arg;

	if (l->t->done)
		l->t->done(l->t->arg, id);
	else
		layer_load(l);
	l->v.dirty = true;
}

static bool layer_key(struct view *v, const struct ui_key *k)
{
	struct appt_layer *l = (struct appt_layer *)v;
	struct occurrence o = { 0 };

	if (l->a && (k->action == A_APPT_EDIT || k->action == A_APPT_DELETE)) {
		o.appt_id = l->t->appt_id;
		o.series_id = l->t->series_id;
		o.start_utc = l->t->start_utc;
		o.recurrence_id = l->t->recurrence_id;
		o.recurring = l->t->recurring;
		o.title = l->t->title;
		if (k->action == A_APPT_EDIT)
			appt_edit(v->sh, &o, layer_done, l);
		else
			appt_delete(v->sh, &o, layer_done, l);
		return true;
	}
	return ui_close_on(v, k);
}

static void layer_reload(struct view *v)
{
	layer_load((struct appt_layer *)v);
}

static void layer_free(struct view *v)
{
	struct appt_layer *l = (struct appt_layer *)v;

	appointment_free(l->a);
	target_free(l->t);
	free(l);
}

static const enum action layer_hints[] = { A_APPT_EDIT, A_APPT_DELETE,
					   A_CLOSE, A_NONE };
static const struct view_ops layer_ops = {
	.name = "appointment",
	.ctx = CTX_APPT,
	.draw = layer_draw,
	.key = layer_key,
	.reload = layer_reload,
	.free = layer_free,
	.hints = layer_hints,
};

void appt_open(struct shell *sh, const struct occurrence *o,
	       appt_done_cb done, void *arg)
{
	struct appt_layer *l = xcalloc(1, sizeof *l);

	l->v.ops = &layer_ops;
	l->v.sh = sh;
	l->v.title = "appointment";
	l->v.modal = true;
	l->t = target_new(sh, o, done, arg);
	layer_load(l);
	shell_push(sh, &l->v);
}
