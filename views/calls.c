/* views/calls: the Call logs tab — the list of calls (filter, search as
 * you type), a detail layer per call, and the actions on a call's peer:
 * call back and message (honest about what does not exist yet), open the
 * contact, open the CRM record, add a CRM note about the call.
 *
 * Looking at the tab marks missed calls seen, which clears the status
 * bar's missed-call counter (store/calls.h: calls_unseen_missed).
 */
#include "views/callui.h"
#include "views/lineedit.h"
#include "views/list.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/calls.h"
#include "store/contacts.h"
#include "common/phone.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALLS_VIEW_LIMIT 5000	/* newest calls loaded into the tab */

static const char *const filter_labels[CALLS_FILTER_COUNT] = {
	"all calls", "missed calls", "incoming calls", "outgoing calls",
	"PC-to-PC calls", "phone calls",
};
static const char *const outcome_labels[CALL_OUTCOME_COUNT] = {
	"Answered", "Missed", "Rejected", "Failed", "Voicemail", "Busy",
	"Cancelled",
};

/* ---- formatting shared by the list and the detail layer ------------------ */

static bool is_missed(const struct call_entry *e)
{
	return e->dir == CALL_IN && e->outcome == CALL_MISSED;
}

/* today: "14:02"; this year: "21 Nov 14:02"; else "21 Nov 2023 14:02" */
static void fmt_start(struct shell *sh, char *buf, size_t len, int64_t t,
		      bool always_date)
{
	time_t now = time(NULL), tt = (time_t)t;
	struct tm tn, tm;
	const char *clock = shell_app(sh)->cfg.clock_24h ? "%H:%M" :
							  "%I:%M %p";
	char fmt[32];

	localtime_r(&now, &tn);
	localtime_r(&tt, &tm);
	if (!always_date && tm.tm_year == tn.tm_year &&
	    tm.tm_yday == tn.tm_yday)
		snprintf(fmt, sizeof fmt, "%s", clock);
	else if (tm.tm_year == tn.tm_year)
		snprintf(fmt, sizeof fmt, "%%d %%b %s", clock);
	else
		snprintf(fmt, sizeof fmt, "%%d %%b %%Y %s", clock);
	if (!strftime(buf, len, fmt, &tm))
		buf[0] = '\0';
}

/* "3m 12s", "45s", "1h 02m"; "" for a call nobody talked on */
static void fmt_duration(char *buf, size_t len, const struct call_entry *e)
{
	int64_t d = e->duration;

	if (d == 0 && e->outcome != CALL_ANSWERED)
		buf[0] = '\0';
	else if (d < 60)
		snprintf(buf, len, "%llds", (long long)d);
	else if (d < 3600)
		snprintf(buf, len, "%lldm %02llds", (long long)(d / 60),
			 (long long)(d % 60));
	else
		snprintf(buf, len, "%lldh %02lldm", (long long)(d / 3600),
			 (long long)(d % 3600 / 60));
}

static void fmt_cost(char *buf, size_t len, const struct call_entry *e)
{
	if (!e->has_cost)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%lld.%02lld%s%s",
			 (long long)(e->cost_cents / 100),
			 (long long)(e->cost_cents % 100),
			 e->currency ? " " : "",
			 e->currency ? e->currency : "");
}

/* The number as people write it ("+44 20 7946 0958"), or the user name. */
static char *fmt_peer(const struct call_entry *e)
{
	char *f = e->kind == CALL_PHONE ? phone_format(e->peer) : NULL;

	return f ? f : xstrdup(e->peer ? e->peer : "");
}

/* Direction arrow, then what happened: ' ' answered, '!' missed,
 * 'v' voicemail, 'x' anything else that did not connect. */
static void fmt_icon(struct shell *sh, char *buf, size_t len,
		     const struct call_entry *e)
{
	static const char marks[CALL_OUTCOME_COUNT] = {
		' ', '!', 'x', 'x', 'v', 'x', 'x',
	};
	const char *arrow = ui_ascii(sh) ? (e->dir == CALL_IN ? "<" : ">") :
			    (e->dir == CALL_IN ? "\xe2\x86\x90" : "\xe2\x86\x92");

	snprintf(buf, len, "%s%c", arrow,
		 (unsigned)e->outcome < CALL_OUTCOME_COUNT ?
			 marks[e->outcome] : '?');
}

/* ---- actions on a call ----------------------------------------------------- */

static void contact_saved(void *arg, int64_t id)
{
	shell_reload(arg);
}

static void contact_edit(void *arg, int64_t id)
{
	struct shell *sh = arg;
	struct contact *c;

	if (contacts_get(shell_app(sh)->db, id, &c) < 0) {
		shell_error(sh, "that contact no longer exists");
		return;
	}
	contact_form_open(sh, c, c->book_id, contact_saved, sh);
	contact_free(c);
}

struct calls_pending_delete {
	struct shell *sh;
	int64_t id;
	char *name;
};

static void contact_delete_answer(void *arg, bool yes)
{
	struct calls_pending_delete *pd = arg;

	if (yes) {
		if (contacts_delete(shell_app(pd->sh)->db, pd->id) == 0)
			shell_message(pd->sh, "Deleted %s", pd->name);
		else
			shell_error(pd->sh, "cannot delete %s", pd->name);
		shell_reload(pd->sh);
	}
	free(pd->name);
	free(pd);
}

static void contact_delete(void *arg, int64_t id)
{
	struct shell *sh = arg;
	struct contact_row r;

	if (contacts_row(shell_app(sh)->db, id, &r) < 0)
		return;
	struct calls_pending_delete *pd = xcalloc(1, sizeof *pd);
	pd->sh = sh;
	pd->id = id;
	pd->name = xstrdup(r.fn);
	contact_row_clear(&r);
	char *q = xasprintf("Delete %s?", pd->name);
	ui_confirm(sh, q, contact_delete_answer, pd);
	free(q);
}

static void note_prefill(struct shell *sh, char *buf, size_t len,
			 const struct call_entry *e)
{
	char when[48], dur[24];

	fmt_start(sh, when, sizeof when, e->started, true);
	fmt_duration(dur, sizeof dur, e);
	if (e->outcome == CALL_ANSWERED)
		snprintf(buf, len, "Call on %s (%s): ", when, dur);
	else
		snprintf(buf, len, "%s call on %s: ",
			 outcome_labels[e->outcome], when);
}

/* The call actions, from the list or the detail layer.  True when k was
 * one of them. */
static bool calls_act(struct shell *sh, const struct call_entry *e,
		      enum action a)
{
	const char *who;

	switch (a) {
	case A_CALL_BACK: case A_CALL_MESSAGE: case A_CALL_CONTACT:
	case A_CRM_RECORD: case A_CRM_NOTE:
		break;
	default:
		return false;
	}
	if (!e) {
		shell_message(sh, "No call selected");
		return true;
	}
	who = calls_display_name(e);
	if (a == A_CALL_BACK) {
		if (e->kind == CALL_PC && e->peer)
			callui_dial(sh, e->peer);
		else
			shell_error(sh, "%s is a phone number: phone calls need "
				    "a phone gateway, which this server does "
				    "not have", who);
		return true;
	}
	if (a == A_CALL_MESSAGE) {
		if (e->kind == CALL_PC && e->peer)
			msg_compose_to(sh, e->peer);
		else
			shell_message(sh, "%s is a phone number: confab messages "
				      "go to colleagues (users)", who);
		return true;
	}
	if (!e->contact_id) {
		shell_message(sh, "%s is not in your address book%s", who,
			      a == A_CALL_CONTACT ? "" :
			      ": CRM records belong to contacts");
		return true;
	}
	if (a == A_CALL_CONTACT) {
		struct card_owner o = { contact_edit, contact_delete, sh };
		card_open(sh, e->contact_id, &o);
	} else if (a == A_CRM_RECORD) {
		crm_open_for_contact(sh, e->contact_id);
	} else {
		char pre[128];
		note_prefill(sh, pre, sizeof pre, e);
		crm_note_for_contact(sh, e->contact_id, e->id, pre);
	}
	return true;
}

/* ---- the detail layer -------------------------------------------------------- */

struct call_detail {
	struct view v;
	int64_t id;
	struct call_entry *e;
};

static int detail_row(struct shell *sh, WINDOW *w, int y, int x, int cols,
		      const char *label, const char *value, attr_t a)
{
	if (str_empty(value))
		return y;
	ui_text(w, y, x, 16, label, ui_attr(sh, UI_DIM));
	ui_text(w, y, x + 16, cols - 16, value, a);
	return y + 1;
}

static void detail_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct call_detail *d = (struct call_detail *)v;
	struct shell *sh = v->sh;
	const struct call_entry *e = d->e;
	char buf[96], *peer;
	int y = 2, x = 3, cw = cols - 6;

	ui_box(sh, w, 0, 0, h, cols, "Call");
	if (!e) {
		ui_text(w, 2, 3, cw, "This call is no longer in the log.",
			ui_attr(sh, UI_DIM));
		return;
	}
	ui_text(w, y++, x, cw, calls_display_name(e), ui_attr(sh, UI_TITLE));
	y++;
	peer = fmt_peer(e);
	y = detail_row(sh, w, y, x, cw, e->kind == CALL_PHONE ? "Number" :
		       "User", peer, A_NORMAL);
	free(peer);
	y = detail_row(sh, w, y, x, cw, "Announced as", e->peer_name,
		       A_NORMAL);
	y = detail_row(sh, w, y, x, cw, "Contact", e->contact_name ?
		       e->contact_name : "not in your address book",
		       e->contact_name ? A_NORMAL : ui_attr(sh, UI_DIM));
	snprintf(buf, sizeof buf, "%s, %s", e->kind == CALL_PHONE ?
		 "Phone call" : "PC-to-PC call", e->dir == CALL_IN ?
		 "incoming" : "outgoing");
	y = detail_row(sh, w, y, x, cw, "Call", buf, A_NORMAL);
	fmt_start(sh, buf, sizeof buf, e->started, true);
	y = detail_row(sh, w, y, x, cw, "Started", buf, A_NORMAL);
	fmt_duration(buf, sizeof buf, e);
	y = detail_row(sh, w, y, x, cw, "Duration", *buf ? buf : "-",
		       A_NORMAL);
	y = detail_row(sh, w, y, x, cw, "Outcome",
		       outcome_labels[e->outcome], is_missed(e) ?
		       ui_attr(sh, UI_ERROR) : A_NORMAL);
	fmt_cost(buf, sizeof buf, e);
	y = detail_row(sh, w, y, x, cw, "Cost", buf, A_NORMAL);
	if (e->has_quality && y + 5 < h) {
		y++;
		ui_text(w, y++, x, cw, "Line quality", ui_attr(sh, UI_HEADER));
		snprintf(buf, sizeof buf, "%.1f %%", e->loss * 100);
		y = detail_row(sh, w, y, x, cw, "Packet loss", buf, A_NORMAL);
		snprintf(buf, sizeof buf, "%.0f ms", e->jitter_ms);
		y = detail_row(sh, w, y, x, cw, "Jitter", buf, A_NORMAL);
		snprintf(buf, sizeof buf, "%.0f ms", e->rtt_ms);
		y = detail_row(sh, w, y, x, cw, "Round trip", buf, A_NORMAL);
		snprintf(buf, sizeof buf, "%.1f of 5", e->mos);
		y = detail_row(sh, w, y, x, cw, "MOS", buf, A_NORMAL);
	}
}

static bool detail_key(struct view *v, const struct ui_key *k)
{
	struct call_detail *d = (struct call_detail *)v;

	if (k->action == A_CALL_FILTER) {
		shell_message(v->sh, "Close the call (q) to change the filter");
		return true;
	}
	if (calls_act(v->sh, d->e, k->action))
		return true;
	return ui_close_on(v, k);
}

static void detail_reload(struct view *v)
{
	struct call_detail *d = (struct call_detail *)v;

	calls_entry_free(d->e);
	d->e = NULL;
	calls_get(shell_app(v->sh)->db, d->id, &d->e);
}

static void detail_free(struct view *v)
{
	struct call_detail *d = (struct call_detail *)v;

	calls_entry_free(d->e);
	free(d);
}

static const enum action detail_hints[] = { A_CALL_BACK, A_CALL_MESSAGE,
	A_CALL_CONTACT, A_CRM_RECORD, A_CRM_NOTE, A_CLOSE, A_NONE };
static const struct view_ops detail_ops = {
	.name = "call",
	.ctx = CTX_CALLS,
	.draw = detail_draw,
	.key = detail_key,
	.reload = detail_reload,
	.free = detail_free,
	.hints = detail_hints,
};

static void detail_open(struct shell *sh, int64_t id)
{
	struct call_detail *d = xcalloc(1, sizeof *d);

	d->v.ops = &detail_ops;
	d->v.sh = sh;
	d->v.title = "call";
	d->v.modal = true;
	d->id = id;
	detail_reload(&d->v);
	shell_push(sh, &d->v);
}

/* ---- the list ------------------------------------------------------------------ */

struct callsview {
	struct view v;
	struct list list;
	struct call_entry *calls;	/* as loaded, newest first */
	size_t ncalls;
	size_t *shown;			/* indexes into calls that match */
	size_t nshown;
	enum calls_filter filter;
	bool searching;
	struct lineedit search;
	char *query;			/* folded search text, NULL: none */
	int curx;
	char status[96];
};

static struct app *app_of(struct callsview *cv)
{
	return shell_app(cv->v.sh);
}

static const struct call_entry *selected(struct callsview *cv)
{
	return cv->nshown && cv->list.sel < cv->nshown ?
		       &cv->calls[cv->shown[cv->list.sel]] : NULL;
}

static bool matches(const struct call_entry *e, const char *q)
{
	const char *s[] = { calls_display_name(e), e->peer, e->peer_name };
	bool hit = false;

	for (size_t i = 0; i < 3 && !hit; i++) {
		if (str_empty(s[i]))
			continue;
		char *f = str_fold(s[i]);
		hit = strstr(f, q) != NULL;
		free(f);
	}
	return hit;
}

static void apply_search(struct callsview *cv)
{
	free(cv->shown);
	cv->shown = xmalloc((cv->ncalls + 1) * sizeof *cv->shown);
	cv->nshown = 0;
	for (size_t i = 0; i < cv->ncalls; i++)
		if (!cv->query || matches(&cv->calls[i], cv->query))
			cv->shown[cv->nshown++] = i;
	list_set_count(&cv->list, cv->nshown);
	cv->list.empty = cv->query ? "No call matches. Esc clears the search." :
			 cv->filter != CALLS_ALL ?
			 "No calls of this kind. Press f to change the filter." :
			 "No calls yet. Calls you place or take are logged "
			 "here; c calls a colleague from the Online monitor "
			 "or the address book.";
}

static void load(struct callsview *cv)
{
	const struct call_entry *sel = selected(cv);
	int64_t keep = sel ? sel->id : 0;

	calls_entries_free(cv->calls, cv->ncalls);
	cv->calls = NULL;
	cv->ncalls = 0;
	if (calls_list(app_of(cv)->db, cv->filter, CALLS_VIEW_LIMIT,
		       &cv->calls, &cv->ncalls) < 0)
		shell_error(cv->v.sh, "cannot read the call log from %s",
			    app_of(cv)->db_path);
	apply_search(cv);
	for (size_t i = 0; keep && i < cv->nshown; i++)
		if (cv->calls[cv->shown[i]].id == keep)
			list_select(&cv->list, i);
}

/* Column widths for `width` cells: icon, name, peer, type, start,
 * duration, outcome, cost. */
struct calls_cols {
	int w[8];
};

static struct calls_cols columns(int width)
{
	struct calls_cols c = { { 3, 0, 0, 6, 18, 9, 10, 0 } };
	int rest = width - 3 - 6 - 18 - 9 - 10;

	if (rest < 12)
		rest = 12;
	c.w[1] = rest * 55 / 100;
	c.w[2] = rest * 30 / 100;
	c.w[7] = rest - c.w[1] - c.w[2];
	return c;
}

static void draw_cells(WINDOW *w, int y, int x, const struct calls_cols *c,
		       const char *const *text, const attr_t *a)
{
	for (int i = 0; i < 8; i++) {
		ui_text(w, y, x, c->w[i], "", a[i]);
		ui_puts(w, y, x, c->w[i] - (i < 7), text[i], a[i]);
		x += c->w[i];
	}
}

static void draw_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool sel)
{
	struct callsview *cv = arg;
	struct shell *sh = cv->v.sh;
	const struct call_entry *e = &cv->calls[cv->shown[i]];
	char icon[16], start[48], dur[24], cost[48];
	char *peer = fmt_peer(e);
	struct calls_cols c = columns(width);
	attr_t base = sel ? ui_attr(sh, UI_SELECTED) :
		      is_missed(e) ? ui_attr(sh, UI_ERROR) : A_NORMAL;
	attr_t a[8];

	fmt_icon(sh, icon, sizeof icon, e);
	fmt_start(sh, start, sizeof start, e->started, false);
	fmt_duration(dur, sizeof dur, e);
	fmt_cost(cost, sizeof cost, e);
	const char *name = e->contact_name || e->peer_name ?
			   calls_display_name(e) : peer;
	const char *text[8] = { icon, name, peer,
		e->kind == CALL_PHONE ? "Phone" : "PC", start, dur,
		outcome_labels[e->outcome], cost };
	for (int k = 0; k < 8; k++)	/* new missed calls stand out */
		a[k] = base | (!e->seen && k < 2 ? A_BOLD : 0);
	draw_cells(w, y, x, &c, text, a);
	free(peer);
}

static void draw_header(struct callsview *cv, WINDOW *w, int cols)
{
	struct shell *sh = cv->v.sh;

	ui_text(w, 0, 0, cols, "", A_NORMAL);
	if (cv->searching || cv->query) {
		int x = ui_puts(w, 0, 1, cols, "Search calls: ",
				ui_attr(sh, UI_TITLE));
		char *m = xasprintf("  %zu match%s", cv->nshown,
				    cv->nshown == 1 ? "" : "es");
		int mw = utf8_width(m);
		if (cv->searching)
			cv->curx = lineedit_draw(&cv->search, w, 0, 1 + x,
						 cols - x - mw - 2,
						 ui_attr(sh, UI_FIELD));
		else {
			char *t = lineedit_text(&cv->search);
			ui_puts(w, 0, 1 + x, cols - x - mw - 2, t,
				ui_attr(sh, UI_MATCH));
			free(t);
		}
		ui_puts(w, 0, cols - mw - 1, mw, m, ui_attr(sh, UI_DIM));
		free(m);
		return;
	}
	const char *dot = ui_ascii(sh) ? "-" : "\xc2\xb7";
	char *t = xasprintf(" Call log  %s Showing %s %s %zu  (f: filter)",
			    dot, filter_labels[cv->filter], dot, cv->nshown);
	ui_text(w, 0, 0, cols, t, ui_attr(sh, UI_TITLE));
	free(t);
}

static void cv_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct callsview *cv = (struct callsview *)v;
	struct shell *sh = v->sh;
	struct db *db = app_of(cv)->db;
	static const char *const heads[8] = { "", "Name", "Number / user",
		"Type", "Start", "Duration", "Outcome", "Cost" };
	struct calls_cols c = columns(cols - 1);
	attr_t ha[8];

	/* The tab is on screen: its missed calls have been seen.  Rows loaded
	 * as unseen stay bold until the next reload. */
	if (calls_unseen_missed(db) > 0 && calls_mark_seen(db) < 0)
		shell_error(sh, "cannot update the call log");
	draw_header(cv, w, cols);
	for (int i = 0; i < 8; i++)
		ha[i] = ui_attr(sh, UI_HEADER);
	ui_text(w, 1, 0, cols, "", A_NORMAL);
	draw_cells(w, 1, 1, &c, heads, ha);
	list_draw(&cv->list, sh, w, 2, 1, h - 2, cols - 1);
	if (cv->searching)
		wmove(w, 0, cv->curx);
}

static void run_search(struct callsview *cv)
{
	char *t = lineedit_text(&cv->search);
	char *q = str_trim(str_fold(t));

	free(t);
	free(cv->query);
	cv->query = *q ? q : NULL;
	if (!*q)
		free(q);
	apply_search(cv);
	list_select(&cv->list, 0);
}

static void search_key(struct callsview *cv, const struct ui_key *k)
{
	switch (list_search_key(&cv->list, &cv->search, k)) {
	case LIST_SEARCH_DONE:
		cv->searching = false;
		break;
	case LIST_SEARCH_CLEARED:
		cv->searching = false;
		run_search(cv);
		break;
	case LIST_SEARCH_CHANGED:
		run_search(cv);
		break;
	case LIST_SEARCH_NONE:
		break;
	}
}

static void move_match(struct callsview *cv, int dir)
{
	if (!cv->query) {
		shell_message(cv->v.sh, "No search: press / to search");
		return;
	}
	if (!cv->nshown)
		return;
	cv->list.sel = (cv->list.sel + cv->nshown + (size_t)dir) % cv->nshown;
	shell_message(cv->v.sh, "Match %zu of %zu", cv->list.sel + 1,
		      cv->nshown);
}

static bool cv_key(struct view *v, const struct ui_key *k)
{
	struct callsview *cv = (struct callsview *)v;
	const struct call_entry *e = selected(cv);

	if (cv->searching) {
		search_key(cv, k);
		return true;
	}
	if (list_move(&cv->list, k->action))
		return true;
	switch (k->action) {
	case A_OPEN:
		if (e)
			detail_open(v->sh, e->id);
		return true;
	case A_CALL_FILTER:
		cv->filter = (cv->filter + 1) % CALLS_FILTER_COUNT;
		load(cv);
		list_select(&cv->list, 0);
		shell_message(v->sh, "Showing %s", filter_labels[cv->filter]);
		return true;
	case A_SEARCH:
		cv->searching = true;
		return true;
	case A_SEARCH_NEXT: move_match(cv, 1); return true;
	case A_SEARCH_PREV: move_match(cv, -1); return true;
	case A_CANCEL: case A_CLOSE:
		if (!cv->query)
			return k->action == A_CANCEL;
		lineedit_set(&cv->search, "");
		run_search(cv);
		return true;
	default:
		return calls_act(v->sh, e, k->action);
	}
}

static bool cv_wants_text(struct view *v)
{
	return ((struct callsview *)v)->searching;
}

static void cv_click(struct view *v, int y, int x, bool dbl)
{
	struct callsview *cv = (struct callsview *)v;
	long i = list_row_at(&cv->list, y);

	if (i < 0)
		return;
	list_select(&cv->list, (size_t)i);
	if (dbl)
		cv_key(v, &(struct ui_key){ .action = A_OPEN });
}

static void cv_reload(struct view *v)
{
	load((struct callsview *)v);
}

static const char *cv_status(struct view *v)
{
	struct callsview *cv = (struct callsview *)v;

	if (cv->filter == CALLS_ALL)
		snprintf(cv->status, sizeof cv->status, "%zu call%s",
			 cv->nshown, cv->nshown == 1 ? "" : "s");
	else
		snprintf(cv->status, sizeof cv->status, "%s: %zu",
			 filter_labels[cv->filter], cv->nshown);
	return cv->status;
}

static void cv_free(struct view *v)
{
	struct callsview *cv = (struct callsview *)v;

	calls_entries_free(cv->calls, cv->ncalls);
	free(cv->shown);
	free(cv->query);
	lineedit_free(&cv->search);
	free(cv);
}

static const enum action cv_hints[] = { A_CALL_FILTER, A_CALL_BACK,
	A_CALL_MESSAGE, A_CALL_CONTACT, A_CRM_RECORD, A_CRM_NOTE, A_SEARCH,
	A_NONE };
static const struct view_ops cv_ops = {
	.name = "calls",
	.ctx = CTX_CALLS,
	.list_keys = true,
	.draw = cv_draw,
	.key = cv_key,
	.wants_text = cv_wants_text,
	.click = cv_click,
	.reload = cv_reload,
	.free = cv_free,
	.hints = cv_hints,
	.status = cv_status,
};

struct view *view_calls_new(struct shell *sh)
{
	struct callsview *cv = xcalloc(1, sizeof *cv);

	cv->v.ops = &cv_ops;
	cv->v.sh = sh;
	cv->v.title = "Call logs";
	lineedit_init(&cv->search, "");
	list_init(&cv->list, draw_row, cv);
	load(cv);
	return &cv->v;
}
