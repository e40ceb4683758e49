/* views/diary: the Diary tab — month grid, week, day and agenda.
 *
 * One selected day drives every mode: h/l (and j/k in the month) move it,
 * [ and ] move a whole period, t comes back to today and g asks for a
 * date.  The occurrences of the visible period are loaded once per move
 * (store/diary_range.c expands the series); in the week, day and agenda
 * the cursor walks appointments, which Enter opens.  Whatever is on now
 * is marked, in every mode.
 */
#include "views/diary.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/diary.h"
#include "store/recur.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum dmode { M_MONTH, M_WEEK, M_DAY, M_AGENDA, M_COUNT };
static const char *const mode_names[M_COUNT] = { "month", "week", "day",
						  "agenda" };

#define AGENDA_DAYS 31

struct diary_view {
	struct view v;
	enum dmode mode;
	struct dt sel;			/* the selected day */
	struct occurrence *occ;		/* the visible period's */
	size_t nocc;
	int64_t from, to;
	size_t *pick;			/* occurrences the cursor walks */
	size_t npick, cur;
	int top;			/* agenda scroll, in lines */
	char status[64];
};

static const enum action hints[] = {
	A_APPT_ADD, A_OPEN, A_APPT_EDIT, A_APPT_DELETE, A_DIARY_VIEW,
	A_DIARY_TODAY, A_DIARY_GOTO, A_NONE
};

/* ---- days ------------------------------------------------------------------ */

static struct dt today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return (struct dt){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0,
			    0, true };
}

static int64_t day_start(struct dt d)
{
	d.date = true;
	return dt_to_utc(&d, NULL);
}

static int64_t day_end(struct dt d)
{
	d.date = true;
	dt_add_days(&d, 1);
	return dt_to_utc(&d, NULL);
}

static bool same_day(const struct dt *a, const struct dt *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

static struct dt week_start(struct dt d)
{
	dt_add_days(&d, -dt_weekday(&d));
	return d;
}

static bool on_day(const struct occurrence *o, struct dt d)
{
	return o->start_utc < day_end(d) && o->end_utc > day_start(d);
}

static bool is_now(const struct occurrence *o)
{
	int64_t now = (int64_t)time(NULL);

	return o->start_utc <= now && now < o->end_utc;
}

/* "10:00" in the user's zone, or "all day" */
static void hhmm(struct shell *sh, int64_t utc, char *buf, size_t n)
{
	time_t t = (time_t)utc;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, n, shell_app(sh)->cfg.clock_24h ? "%H:%M" : "%l:%M%p",
		 &tm);
}

static const char *month_name(int m)
{
	static const char *const names[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December" };

	return m >= 1 && m <= 12 ? names[m - 1] : "?";
}

static const char *day_name(int wd)
{
	static const char *const names[] = { "Monday", "Tuesday", "Wednesday",
		"Thursday", "Friday", "Saturday", "Sunday" };

	return wd >= 0 && wd < 7 ? names[wd] : "?";
}

/* ---- loading ----------------------------------------------------------------- */

static void period(struct diary_view *d, struct dt *first, int *days)
{
	switch (d->mode) {
	case M_MONTH:
		*first = d->sel;
		first->day = 1;
		*first = week_start(*first);
		*days = 42;
		break;
	case M_WEEK:
		*first = week_start(d->sel);
		*days = 7;
		break;
	case M_DAY:
		*first = d->sel;
		*days = 1;
		break;
	default:
		*first = d->sel;
		*days = AGENDA_DAYS;
		break;
	}
}

static void pick(struct diary_view *d)
{
	int64_t keep = d->npick ? (int64_t)d->pick[d->cur] : -1;
	int64_t keep_id = keep >= 0 && (size_t)keep < d->nocc ?
				  d->occ[keep].appt_id : 0;

	d->npick = 0;
	d->pick = xrealloc(d->pick, (d->nocc + 1) * sizeof *d->pick);
	for (size_t i = 0; i < d->nocc; i++)
		if (d->mode == M_AGENDA ? d->occ[i].end_utc > day_start(d->sel)
					: on_day(&d->occ[i], d->sel))
			d->pick[d->npick++] = i;
	d->cur = 0;
	for (size_t i = 0; i < d->npick && keep_id; i++)
		if (d->occ[d->pick[i]].appt_id == keep_id)
			d->cur = i;
}

static void load(struct diary_view *d)
{
	struct dt first;
	int days;

	period(d, &first, &days);
	struct dt last = first;
	dt_add_days(&last, days);
	occurrences_free(d->occ, d->nocc);
	d->occ = NULL;
	d->nocc = 0;
	d->from = day_start(first);
	d->to = day_start(last);
	if (diary_range(shell_app(d->v.sh)->db, d->from, d->to, &d->occ,
			&d->nocc) < 0)
		shell_error(d->v.sh, "cannot read the diary");
	d->npick = 0;
	pick(d);
	d->top = 0;
	d->v.dirty = true;
}

/* Select day `n`: reload only when it leaves the loaded period. */
static void select_day(struct diary_view *d, struct dt n)
{
	struct dt first;
	int days;

	d->sel = n;
	period(d, &first, &days);
	if (day_start(first) != d->from || d->mode == M_AGENDA) {
		load(d);
	} else {
		d->npick = 0;
		pick(d);
	}
	d->v.dirty = true;
}

static const struct occurrence *current(struct diary_view *d)
{
	return d->npick ? &d->occ[d->pick[d->cur]] : NULL;
}

/* ---- drawing --------------------------------------------------------------- */

/* "10:00 Title" for one occurrence, clipped to width. */
static void occ_line(struct diary_view *d, WINDOW *w, int y, int x, int width,
		     const struct occurrence *o, bool selected, bool long_form)
{
	struct shell *sh = d->v.sh;
	char t1[16], t2[16];
	char *s;
	attr_t a = selected ? ui_attr(sh, UI_SELECTED) :
		   is_now(o) ? ui_attr(sh, UI_MATCH) : ui_attr(sh, UI_NORMAL);
	const char *mark = is_now(o) ? (ui_ascii(sh) ? ">" : "\xe2\x96\xb6") :
				       " ";

	hhmm(sh, o->start_utc, t1, sizeof t1);
	hhmm(sh, o->end_utc, t2, sizeof t2);
	if (long_form)
		s = xasprintf("%s%-13s %s%s%s%s%s", mark,
			      o->all_day ? "all day" : str_trim(t1), o->title,
			      *o->location ? "  @ " : "", o->location,
			      o->recurring ? (ui_ascii(sh) ? "  (repeats)" :
						"  \xe2\x86\xbb") : "",
			      o->nrem ? (ui_ascii(sh) ? "  (reminder)" :
					 "  \xe2\x8f\xb0") : "");
	else
		s = xasprintf("%s%s %s", mark, o->all_day ? "*" : str_trim(t1),
			      o->title);
	if (long_form && !o->all_day) {	/* "10:00-11:00" */
		char *r = xasprintf("%s-%s", str_trim(t1), str_trim(t2));
		char *t = xasprintf("%s%-13s %s%s%s%s%s", mark, r, o->title,
				    *o->location ? "  @ " : "", o->location,
				    o->recurring ? (ui_ascii(sh) ? "  (repeats)"
						    : "  \xe2\x86\xbb") : "",
				    o->nrem ? (ui_ascii(sh) ? "  (reminder)" :
					       "  \xe2\x8f\xb0") : "");
		free(r);
		free(s);
		s = t;
	}
	ui_text(w, y, x, width, s, a);
	free(s);
}

static void draw_month(struct diary_view *d, WINDOW *w, int h, int cols)
{
	struct shell *sh = d->v.sh;
	struct dt first, t = today();
	int days, panel = h >= 20 ? 7 : h >= 14 ? 4 : 0;
	int cw = cols / 7, rows = (h - 2 - panel) / 6;

	period(d, &first, &days);
	for (int i = 0; i < 7; i++) {
		char wd[16];
		snprintf(wd, sizeof wd, " %.3s", day_name(i));
		ui_text(w, 1, i * cw, cw, wd, ui_attr(sh, UI_HEADER));
	}
	if (rows < 1)
		rows = 1;
	struct dt day = first;
	for (int r = 0; r < 6; r++) {
		for (int c = 0; c < 7; c++, dt_add_days(&day, 1)) {
			int y = 2 + r * rows, x = c * cw;
			if (y >= h - panel)
				continue;
			char num[8];
			snprintf(num, sizeof num, "%2d", day.day);
			attr_t a = same_day(&day, &d->sel) ?
					   ui_attr(sh, UI_SELECTED) :
				   same_day(&day, &t) ? ui_attr(sh, UI_TAB_ACTIVE) :
				   day.month != d->sel.month ?
					   ui_attr(sh, UI_DIM) :
					   ui_attr(sh, UI_NORMAL);
			ui_text(w, y, x, cw - 1, num, a);
			int line = 1, shown = 0, total = 0;
			for (size_t i = 0; i < d->nocc; i++)
				if (on_day(&d->occ[i], day))
					total++;
			for (size_t i = 0; i < d->nocc && line < rows; i++) {
				if (!on_day(&d->occ[i], day))
					continue;
				if (line == rows - 1 && total - shown > 1) {
					char more[32];
					snprintf(more, sizeof more, " +%d more",
						 total - shown);
					ui_text(w, y + line, x, cw - 1, more,
						ui_attr(sh, UI_DIM));
					break;
				}
				occ_line(d, w, y + line++, x, cw - 1, &d->occ[i],
					 false, false);
				shown++;
			}
		}
	}
	if (!panel)
		return;
	int py = h - panel;
	ui_hline(sh, w, py, 0, cols);
	char *head = xasprintf(" %s %d %s", day_name(dt_weekday(&d->sel)),
			       d->sel.day, month_name(d->sel.month));
	ui_puts(w, py, 1, cols - 2, head, ui_attr(sh, UI_TITLE));
	free(head);
	if (!d->npick)
		ui_text(w, py + 1, 2, cols - 2, "Nothing on this day; a adds "
			"an appointment.", ui_attr(sh, UI_DIM));
	for (size_t i = 0; i < d->npick && (int)i < panel - 1; i++)
		occ_line(d, w, py + 1 + (int)i, 1, cols - 1, &d->occ[d->pick[i]],
			 false, true);
}

static void draw_week(struct diary_view *d, WINDOW *w, int h, int cols)
{
	struct shell *sh = d->v.sh;
	struct dt day = week_start(d->sel), t = today();
	int cw = cols / 7;

	for (int c = 0; c < 7; c++, dt_add_days(&day, 1)) {
		char head[24];
		snprintf(head, sizeof head, " %.3s %d", day_name(c), day.day);
		attr_t a = same_day(&day, &d->sel) ? ui_attr(sh, UI_SELECTED) :
			   same_day(&day, &t) ? ui_attr(sh, UI_TAB_ACTIVE) :
						ui_attr(sh, UI_HEADER);
		ui_text(w, 1, c * cw, cw - 1, head, a);
		int y = 2;
		for (size_t i = 0; i < d->nocc && y < h; i++) {
			if (!on_day(&d->occ[i], day))
				continue;
			bool sel = same_day(&day, &d->sel) && d->npick &&
				   d->pick[d->cur] == i;
			occ_line(d, w, y++, c * cw, cw - 1, &d->occ[i], sel,
				 false);
		}
	}
}

/* The day and agenda lists: day headings (agenda), one line each. */
static void draw_list(struct diary_view *d, WINDOW *w, int h, int cols)
{
	struct shell *sh = d->v.sh;
	int y = 1, line = 0, cur_line = 0;
	struct dt last = { 0 };

	if (!d->npick) {
		ui_text(w, 2, 2, cols - 2, d->mode == M_DAY ?
			"Nothing on this day; a adds an appointment." :
			"Nothing in the coming month; a adds an appointment.",
			ui_attr(sh, UI_DIM));
		return;
	}
	/* where the cursor's line falls, to scroll it into view */
	for (size_t i = 0; i <= d->cur && i < d->npick; i++) {
		struct dt s;
		dt_from_utc(d->occ[d->pick[i]].start_utc, NULL, &s);
		if (d->mode == M_AGENDA && (i == 0 || !same_day(&s, &last)))
			line++;
		last = s;
		cur_line = line++;
	}
	if (cur_line < d->top)
		d->top = cur_line > 0 && d->mode == M_AGENDA ? cur_line - 1 :
							       cur_line;
	if (cur_line >= d->top + h - 1)
		d->top = cur_line - (h - 2);
	line = 0;
	memset(&last, 0, sizeof last);
	for (size_t i = 0; i < d->npick && y < h; i++) {
		const struct occurrence *o = &d->occ[d->pick[i]];
		struct dt s;
		int64_t st = o->start_utc < day_start(d->sel) ?
				     day_start(d->sel) : o->start_utc;
		dt_from_utc(st, NULL, &s);
		if (d->mode == M_AGENDA && (i == 0 || !same_day(&s, &last))) {
			if (line++ >= d->top && y < h) {
				char *hd = xasprintf("%s %d %s %d",
						     day_name(dt_weekday(&s)),
						     s.day, month_name(s.month),
						     s.year);
				ui_text(w, y++, 0, cols, hd,
					ui_attr(sh, UI_HEADER));
				free(hd);
			}
		}
		last = s;
		if (line++ < d->top || y >= h)
			continue;
		occ_line(d, w, y++, 2, cols - 2, o, i == d->cur, true);
	}
}

static void draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct diary_view *d = (struct diary_view *)v;
	struct shell *sh = v->sh;
	char *title;

	werase(w);
	if (d->mode == M_MONTH) {
		title = xasprintf("%s %d", month_name(d->sel.month), d->sel.year);
	} else if (d->mode == M_WEEK) {
		struct dt a = week_start(d->sel), b = a;
		dt_add_days(&b, 6);
		title = xasprintf("Week of %d %s %d", a.day,
				  month_name(a.month), a.year);
	} else if (d->mode == M_DAY) {
		title = xasprintf("%s %d %s %d", day_name(dt_weekday(&d->sel)),
				  d->sel.day, month_name(d->sel.month),
				  d->sel.year);
	} else {
		title = xasprintf("Agenda from %d %s %d", d->sel.day,
				  month_name(d->sel.month), d->sel.year);
	}
	ui_text(w, 0, 0, cols, "", ui_attr(sh, UI_NORMAL));
	ui_puts(w, 0, 1, cols - 1, title, ui_attr(sh, UI_TITLE));
	char *m = xasprintf("[%s]", mode_names[d->mode]);
	int mw = utf8_width(m);
	if (cols > mw + utf8_width(title) + 4)
		ui_puts(w, 0, cols - mw - 1, mw, m, ui_attr(sh, UI_DIM));
	free(m);
	free(title);
	switch (d->mode) {
	case M_MONTH: draw_month(d, w, h, cols); break;
	case M_WEEK: draw_week(d, w, h, cols); break;
	default: draw_list(d, w, h, cols); break;
	}
}

/* ---- keys -------------------------------------------------------------------- */

static void set_mode(struct diary_view *d, enum dmode m)
{
	d->mode = m;
	load(d);
}

static void goto_cb(void *arg, const char *text)
{
	struct diary_view *d = arg;
	struct dt t;

	if (!text)
		return;
	if (!dt_parse(text, &t)) {
		shell_error(d->v.sh, "not a date: '%s' (use YYYY-MM-DD)", text);
		return;
	}
	t.date = true;
	t.hour = t.min = t.sec = 0;
	select_day(d, t);
}

static void move_period(struct diary_view *d, int dir)
{
	struct dt n = d->sel;

	switch (d->mode) {
	case M_MONTH:
		n.month += dir;
		if (n.month < 1)
			n.month = 12, n.year--;
		if (n.month > 12)
			n.month = 1, n.year++;
		if (n.day > dt_days_in_month(n.year, n.month))
			n.day = dt_days_in_month(n.year, n.month);
		break;
	case M_WEEK: dt_add_days(&n, 7 * dir); break;
	case M_DAY: dt_add_days(&n, dir); break;
	default: dt_add_days(&n, AGENDA_DAYS * dir); break;
	}
	select_day(d, n);
}

static void move_day(struct diary_view *d, int days)
{
	struct dt n = d->sel;

	dt_add_days(&n, days);
	select_day(d, n);
}

static void edited(void *arg, int64_t id)
{
	struct diary_view *d = arg;

	(void)id;
	shell_reload(d->v.sh);
}

static bool key(struct view *v, const struct ui_key *k)
{
	struct diary_view *d = (struct diary_view *)v;
	const struct occurrence *o = current(d);
	bool list = d->mode != M_MONTH;

	switch (k->action) {
	case A_DIARY_MONTH: set_mode(d, M_MONTH); return true;
	case A_DIARY_WEEK: set_mode(d, M_WEEK); return true;
	case A_DIARY_DAY: set_mode(d, M_DAY); return true;
	case A_DIARY_AGENDA: set_mode(d, M_AGENDA); return true;
	case A_DIARY_VIEW: set_mode(d, (d->mode + 1) % M_COUNT); return true;
	case A_DIARY_TODAY: select_day(d, today()); return true;
	case A_DIARY_GOTO:
		ui_prompt(v->sh, "Go to date (YYYY-MM-DD):", NULL, goto_cb, d);
		return true;
	case A_DIARY_NEXT: move_period(d, 1); return true;
	case A_DIARY_PREV: move_period(d, -1); return true;
	case A_DAY_LEFT: move_day(d, -1); return true;
	case A_DAY_RIGHT: move_day(d, 1); return true;
	case A_DAY_UP:
	case A_DAY_DOWN:
		if (!list) {
			move_day(d, k->action == A_DAY_UP ? -7 : 7);
		} else if (d->npick) {
			if (k->action == A_DAY_UP && d->cur > 0)
				d->cur--;
			else if (k->action == A_DAY_DOWN &&
				 d->cur + 1 < d->npick)
				d->cur++;
			v->dirty = true;
		}
		return true;
	case A_OPEN:
		if (d->mode == M_MONTH)
			set_mode(d, M_DAY);
		else if (o)
			appt_open(v->sh, o, edited, d);
		return true;
	case A_APPT_ADD:
		appt_form_new(v->sh, &d->sel, edited, d);
		return true;
	case A_APPT_EDIT:
		if (o)
			appt_edit(v->sh, o, edited, d);
		else
			shell_message(v->sh, "No appointment selected");
		return true;
	case A_APPT_DELETE:
		if (o)
			appt_delete(v->sh, o, edited, d);
		else
			shell_message(v->sh, "No appointment selected");
		return true;
	case A_DIARY_IMPORT:
		diary_import_prompt(v->sh, edited, d);
		return true;
	case A_DIARY_EXPORT:
		diary_export_prompt(v->sh, d->from, d->to);
		return true;
	case A_REMINDERS:
		reminders_ui_show(v->sh);
		return true;
	default:
		return false;
	}
}

static void reload(struct view *v)
{
	load((struct diary_view *)v);
}

static const char *status(struct view *v)
{
	struct diary_view *d = (struct diary_view *)v;

	snprintf(d->status, sizeof d->status, "%zu appointment%s shown",
		 d->nocc, d->nocc == 1 ? "" : "s");
	return d->status;
}

static void free_view(struct view *v)
{
	struct diary_view *d = (struct diary_view *)v;

	occurrences_free(d->occ, d->nocc);
	free(d->pick);
	free(d);
}

static const struct view_ops ops = {
	.name = "diary",
	.ctx = CTX_DIARY,
	.draw = draw,
	.key = key,
	.reload = reload,
	.free = free_view,
	.hints = hints,
	.status = status,
};

struct view *view_diary_new(struct shell *sh)
{
	struct diary_view *d = xcalloc(1, sizeof *d);

	d->v.ops = &ops;
	d->v.sh = sh;
	d->v.title = "Diary";
	d->mode = M_MONTH;
	d->sel = today();
	load(d);
	return &d->v;
}
