/* views/monitor: the Online monitor tab, and the company directory.
 *
 * The monitor lists the colleagues the user watches, online first, each
 * with a presence icon and note, then the ones still to answer the
 * user's request; contact requests waiting for the user's answer come at
 * the top.  Everything comes from app/online (kept live by the event
 * stream), so drawing never waits for the network.  `D` switches to the
 * company directory, searched on the server as you type.
 *
 * This file is the view: its rows, drawing and keys; what the keys do to
 * a row (requests, presence, the context menu) is in views/monitor_act.c,
 * and views/monitor.h has what the two share.
 */
#include "views/callui.h"
#include "views/monitor.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "common/str.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct online *monitor_online(struct monitor *m)
{
	return shell_online(m->v.sh);
}

static void rows_clear(struct monitor *m)
{
	for (size_t i = 0; i < m->nrows; i++) {
		struct row *r = &m->rows[i];
		free(r->username);
		free(r->name);
		free(r->state);
		free(r->note);
		free(r->extra);
		free(r->email);
	}
	free(m->rows);
	m->rows = NULL;
	m->nrows = 0;
}

static struct row *add_row(struct monitor *m, enum row_kind kind,
			   const char *username, const char *name)
{
	m->rows = xrealloc(m->rows, (m->nrows + 1) * sizeof *m->rows);
	struct row *r = &m->rows[m->nrows++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->username = xstrdup(username);
	r->name = xstrdup(name && *name ? name : username);
	return r;
}

static int state_rank(const char *st)
{
	static const char *const order[] = { "online", "busy", "dnd", "away",
					     "offline" };

	for (int i = 0; st && i < 5; i++)
		if (strcmp(st, order[i]) == 0)
			return i;
	return 5;
}

static int peer_cmp(const void *a, const void *b)
{
	const struct peer *p = *(const struct peer *const *)a;
	const struct peer *q = *(const struct peer *const *)b;
	int ra = state_rank(p->state), rb = state_rank(q->state);

	if (ra != rb)
		return ra - rb;
	return strcasecmp(p->name ? p->name : p->username,
			  q->name ? q->name : q->username);
}

static void build_monitor(struct monitor *m)
{
	struct online *o = monitor_online(m);
	const struct peer **ps = xcalloc(o->npeers + 1, sizeof *ps);
	size_t n = 0, online = 0;

	for (size_t i = 0; i < o->npeers; i++)
		ps[n++] = &o->peers[i];
	qsort(ps, n, sizeof *ps, peer_cmp);
	if (o->nreqs) {
		struct row *h = add_row(m, ROW_HEADER, NULL, NULL);
		h->name = xasprintf("Asking to add you to their monitor (%zu): "
				    "y accepts, x declines", o->nreqs);
		for (size_t i = 0; i < o->nreqs; i++) {
			struct row *r = add_row(m, ROW_REQUEST,
						o->reqs[i].username,
						o->reqs[i].name);
			r->note = xstrdup(o->reqs[i].message);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(ps[i]->status, "accepted") == 0 &&
		    state_rank(ps[i]->state) < 4)
			online++;
	const char *group = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct peer *p = ps[i];
		bool acc = strcmp(p->status, "accepted") == 0;
		const char *g = acc ? (state_rank(p->state) < 4 ? "Available" :
				       "Offline") : "Waiting for an answer";
		if (!acc)
			continue;	/* after the accepted ones */
		if (!group || strcmp(group, g)) {
			struct row *h = add_row(m, ROW_HEADER, NULL, NULL);
			h->name = strcmp(g, "Available") == 0 ?
				xasprintf("%s (%zu)", g, online) : xstrdup(g);
			group = g;
		}
		struct row *r = add_row(m, ROW_PEER, p->username, p->name);
		r->state = xstrdup(p->state);
		r->note = xstrdup(p->note);
		r->email = xstrdup(p->email);
	}
	group = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct peer *p = ps[i];
		if (strcmp(p->status, "accepted") == 0)
			continue;
		if (!group) {
			struct row *h = add_row(m, ROW_HEADER, NULL, NULL);
			h->name = xstrdup("Your requests");
			group = "x";
		}
		struct row *r = add_row(m, ROW_PEER, p->username, p->name);
		r->extra = xstrdup(p->status);
		r->note = xstrdup(p->message);
		r->email = xstrdup(p->email);
	}
	free(ps);
	snprintf(m->status, sizeof m->status, "%zu of %zu available", online,
		 o->npeers);
}

static void build_directory(struct monitor *m)
{
	json_t *users = json_object_get(m->dir, "users"), *u;
	size_t i;

	json_array_foreach(users, i, u) {
		const char *un = json_string_value(json_object_get(u,
								   "username"));
		if (!un)
			continue;
		struct row *r = add_row(m, ROW_USER, un, json_string_value(
			json_object_get(u, "name")));
		json_t *pr = json_object_get(u, "presence");
		r->state = xstrdup(json_string_value(json_object_get(pr,
								     "state")));
		r->note = xstrdup(json_string_value(json_object_get(pr, "note")));
		r->email = xstrdup(json_string_value(json_object_get(u,
								     "email")));
		const char *t = json_string_value(json_object_get(u, "title"));
		const char *d = json_string_value(json_object_get(u,
								  "department"));
		if (t || d)
			r->extra = xasprintf("%s%s%s", t ? t : "",
					     t && d ? ", " : "", d ? d : "");
	}
	snprintf(m->status, sizeof m->status, "%zu in the directory",
		 json_array_size(users));
}

void monitor_rebuild(struct monitor *m)
{
	char *keep = m->list.sel < m->nrows && m->rows[m->list.sel].username ?
		xstrdup(m->rows[m->list.sel].username) : NULL;

	rows_clear(m);
	m->status[0] = '\0';
	if (online_signed_in(monitor_online(m))) {
		if (m->directory)
			build_directory(m);
		else
			build_monitor(m);
	}
	list_set_count(&m->list, m->nrows);
	size_t sel = 0;
	bool found = false;
	for (size_t i = 0; i < m->nrows; i++)
		if (keep && m->rows[i].username &&
		    strcmp(m->rows[i].username, keep) == 0) {
			sel = i;
			found = true;
			break;
		}
	if (!found)
		for (size_t i = 0; i < m->nrows; i++)
			if (m->rows[i].kind != ROW_HEADER) {
				sel = i;
				break;
			}
	list_select(&m->list, sel);
	free(keep);
	m->v.dirty = true;
}

const struct row *monitor_selected(struct monitor *m)
{
	if (m->list.sel >= m->nrows || m->rows[m->list.sel].kind == ROW_HEADER)
		return NULL;
	return &m->rows[m->list.sel];
}

/* ---- the directory's search -------------------------------------------------- */

static void got_directory(void *arg, json_t *reply, const char *err)
{
	struct monitor *m = arg;

	m->dir_call = 0;
	free(m->dir_error);
	m->dir_error = err ? xstrdup(err) : NULL;
	if (!err) {
		json_decref(m->dir);
		m->dir = json_incref(reply);
	}
	monitor_rebuild(m);
	shell_dirty(m->v.sh);
}

static void fetch_directory(struct monitor *m)
{
	struct online *o = monitor_online(m);
	char *text = lineedit_text(&m->search), *path;

	if (m->dir_call)
		online_cancel(o, m->dir_call);
	m->dir_call = 0;
	if (!online_signed_in(o)) {
		free(text);
		return;
	}
	if (*text) {
		char *q = curl_easy_escape(NULL, text, 0);
		path = xasprintf("/v1/users?q=%s", q);
		curl_free(q);
	} else {
		path = xstrdup("/v1/users");
	}
	m->dir_call = online_call(o, "GET", path, NULL, got_directory, m);
	if (m->dir_call < 0)
		m->dir_call = 0;
	free(path);
	free(text);
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool selected)
{
	struct monitor *m = arg;
	struct shell *sh = m->v.sh;
	const struct row *r = &m->rows[i];
	attr_t base = selected ? ui_attr(sh, UI_SELECTED) : A_NORMAL, ia;

	if (r->kind == ROW_HEADER) {
		ui_text(w, y, x, width, r->name, ui_attr(sh, UI_HEADER));
		return;
	}
	ui_text(w, y, x, width, "", base);
	const char *icon = r->kind == ROW_REQUEST ? "?" :
			   presence_icon(sh, r->state, &ia);
	if (r->kind == ROW_REQUEST)
		ia = ui_attr(sh, UI_MATCH);
	int cx = x + 1;
	cx += ui_puts(w, y, cx, width - (cx - x), icon,
		      selected ? base : ia);
	cx += 1;
	char *who = xasprintf("%-22s %-12s", r->name, r->username);
	cx += ui_puts(w, y, cx, width - (cx - x), who, base);
	free(who);
	char *rest;
	if (r->kind == ROW_REQUEST)
		rest = xasprintf(" asks: %s", r->note && *r->note ? r->note :
				 "(no message)");
	else if (r->extra && !r->state)
		rest = xasprintf(" %s%s%s", r->extra, r->note && *r->note ?
				 "  \xe2\x80\x94 " : "", r->note ? r->note : "");
	else
		rest = xasprintf(" %-8s %s%s%s", r->state ? r->state : "",
				 r->note ? r->note : "",
				 r->extra && r->note && *r->note ? "  " : "",
				 r->extra && m->directory ? r->extra : "");
	ui_puts(w, y, cx, width - (cx - x), rest, base);
	free(rest);
}

static void draw_signed_out(struct monitor *m, WINDOW *w, int h, int cols)
{
	struct shell *sh = m->v.sh;
	const struct app *a = shell_app(sh);
	int y = h / 4;

	ui_text(w, y, 2, cols - 4, "Online monitor", ui_attr(sh, UI_TITLE));
	ui_text(w, y + 2, 2, cols - 4, "See which colleagues are available "
		"now, answer contact requests and find people in the company "
		"directory.", A_NORMAL);
	ui_text(w, y + 3, 2, cols - 4, "You are not signed in to a confab "
		"server.", A_NORMAL);
	char *t = xasprintf("Press L to sign in%s%s%s (or set up a new "
			    "server), or run `confab login` in a shell.",
			    a->cfg.server ? " to " : "",
			    a->cfg.server ? a->cfg.server : "",
			    a->cfg.server ? "" : "");
	ui_text(w, y + 5, 2, cols - 4, t, ui_attr(sh, UI_MESSAGE));
	free(t);
	ui_text(w, y + 6, 2, cols - 4, "Forgotten your password? Press F.",
		A_NORMAL);
	ui_text(w, y + 8, 2, cols - 4, "Everything else (address book, diary, "
		"CRM, call logs) works without a server.",
		ui_attr(sh, UI_DIM));
}

static void mon_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct monitor *m = (struct monitor *)v;
	struct shell *sh = v->sh;
	struct online *o = monitor_online(m);
	attr_t ia;

	if (!online_signed_in(o)) {
		draw_signed_out(m, w, h, cols);
		return;
	}
	/* line 0: who I am and how I appear to others; or the search */
	if (m->directory && (m->searching || !lineedit_empty(&m->search))) {
		int x = ui_puts(w, 0, 0, cols, "Directory search: ",
				ui_attr(sh, UI_TITLE));
		m->curx = lineedit_draw(&m->search, w, 0, x, cols - x - 1,
					m->searching ? ui_attr(sh,
							UI_FIELD_ACTIVE) :
						       A_NORMAL);
	} else {
		const char *icon = presence_icon(sh, o->state, &ia);
		int x = ui_puts(w, 0, 1, cols - 1, icon, ia);
		char *me = xasprintf(" You: %s%s%s   (p: change)", o->state ?
				     o->state : "connecting",
				     o->note && *o->note ? " \xe2\x80\x94 " :
				     "", o->note ? o->note : "");
		ui_puts(w, 0, 1 + x, cols - 1 - x, me, A_NORMAL);
		free(me);
		const char *mode = m->directory ? "Company directory" :
						  "Online monitor";
		int mw = utf8_width(mode);
		if (cols > mw + 40)
			ui_puts(w, 0, cols - mw - 1, mw, mode,
				ui_attr(sh, UI_TITLE));
	}
	int y = 1;
	if (o->link == LINK_DOWN || o->link == LINK_CONNECTING) {
		char *t = o->link == LINK_DOWN ?
			xasprintf("Offline, retrying (C-l: now), what you see "
				  "may be out of date: %s", o->error ? o->error :
				  "no answer") :
			xasprintf("Connecting to %s...", o->s.server);
		ui_text(w, y++, 1, cols - 2, t, ui_attr(sh, o->link ==
							  LINK_DOWN ?
							  UI_ERROR : UI_DIM));
		free(t);
	}
	if (m->directory && m->dir_error)
		ui_text(w, y++, 1, cols - 2, m->dir_error, ui_attr(sh,
								   UI_ERROR));
	m->list.empty = m->directory ?
		(m->dir_call ? "Searching..." : "Nobody matches.") :
		"Nobody in your monitor yet. Press a to ask a colleague, or D "
		"to browse the company directory.";
	list_draw(&m->list, sh, w, y, 0, h - y, cols);
	if (m->searching)
		wmove(w, 0, m->curx);
}

static bool mon_wants_text(struct view *v)
{
	return ((struct monitor *)v)->searching;
}

static const char *mon_status(struct view *v)
{
	struct monitor *m = (struct monitor *)v;

	return m->status[0] ? m->status : NULL;
}

/* ---- keys ---------------------------------------------------------------------- */

/* Headers are not stops: keep moving the way the key went. */
static void skip_header(struct monitor *m, enum action a)
{
	bool up = a == A_UP || a == A_PAGE_UP || a == A_LAST;

	while (m->list.sel < m->nrows && m->rows[m->list.sel].kind ==
	       ROW_HEADER) {
		if (up ? m->list.sel == 0 : m->list.sel + 1 >= m->nrows) {
			up = !up;	/* a header at the end: go back */
			if (m->nrows < 2)
				return;
		}
		list_select(&m->list, up ? m->list.sel - 1 : m->list.sel + 1);
	}
}

static void toggle_directory(struct monitor *m)
{
	m->directory = !m->directory;
	m->searching = false;
	lineedit_set(&m->search, "");
	list_select(&m->list, 0);
	if (m->directory)
		fetch_directory(m);
	monitor_rebuild(m);
}

static bool mon_key(struct view *v, const struct ui_key *k)
{
	struct monitor *m = (struct monitor *)v;
	struct shell *sh = v->sh;

	if (m->searching) {
		switch (list_search_key(&m->list, &m->search, k)) {
		case LIST_SEARCH_CHANGED:
			fetch_directory(m);
			break;
		case LIST_SEARCH_CLEARED:
			m->searching = false;
			fetch_directory(m);
			break;
		case LIST_SEARCH_DONE:
			m->searching = false;
			break;
		default:
			break;
		}
		v->dirty = true;
		return true;
	}
	if (!online_signed_in(monitor_online(m))) {
		if (k->action == A_SIGN_IN || k->action == A_OPEN) {
			signin_open(sh);
			return true;
		}
		if (k->action == A_MON_MENU || k->action == A_MON_ADD ||
		    k->action == A_PRESENCE || k->action == A_DIRECTORY) {
			shell_message(sh, "Sign in first: press L");
			return true;
		}
		return false;
	}
	if (list_move(&m->list, k->action)) {
		skip_header(m, k->action);
		return true;
	}
	switch (k->action) {
	case A_OPEN:
	case A_MON_MENU:
		monitor_open_menu(m);
		return true;
	case A_MON_ADD:
		if (m->directory && monitor_selected(m))
			monitor_request_add(m, monitor_selected(m)->username);
		else
			monitor_request_add(m, NULL);
		return true;
	case A_MON_ACCEPT:
		monitor_answer(m, "accept");
		return true;
	case A_MON_DECLINE:
		monitor_answer(m, "decline");
		return true;
	case A_MON_REMOVE:
		monitor_remove_peer(m);
		return true;
	case A_PRESENCE:
		monitor_choose_presence(m);
		return true;
	case A_DIRECTORY:
		toggle_directory(m);
		return true;
	case A_PROFILE_VIEW:
		if (monitor_selected(m))
			profile_open(sh, monitor_selected(m)->username);
		return true;
	case A_CRM_RECORD:
		if (monitor_selected(m))
			monitor_open_crm(m, monitor_selected(m));
		return true;
	case A_CALL:
		if (monitor_selected(m))
			callui_dial(sh, monitor_selected(m)->username);
		return true;
	case A_SEARCH:
		if (!m->directory)
			toggle_directory(m);
		m->searching = true;
		return true;
	case A_CANCEL:
		if (m->directory) {
			toggle_directory(m);
			return true;
		}
		return false;
	default:
		return false;
	}
}

static void mon_reload(struct view *v)
{
	struct monitor *m = (struct monitor *)v;

	if (!online_signed_in(monitor_online(m))) {
		json_decref(m->dir);
		m->dir = NULL;
		m->directory = false;
	}
	monitor_rebuild(m);
}

static void mon_click(struct view *v, int y, int x, bool dbl)
{
	struct monitor *m = (struct monitor *)v;
	long i = list_row_at(&m->list, y);

	if (i < 0 || m->rows[i].kind == ROW_HEADER)
		return;
	list_select(&m->list, (size_t)i);
	if (dbl)
		monitor_open_menu(m);
}

static void mon_free(struct view *v)
{
	struct monitor *m = (struct monitor *)v;

	if (m->dir_call && shell_online(v->sh))
		online_cancel(shell_online(v->sh), m->dir_call);
	rows_clear(m);
	json_decref(m->dir);
	free(m->dir_error);
	lineedit_free(&m->search);
	free(m);
}

static const enum action mon_hints[] = {
	A_MON_MENU, A_CALL, A_MON_ADD, A_MON_ACCEPT, A_PRESENCE, A_DIRECTORY,
	A_SEARCH, A_PROFILE, A_SIGN_IN, A_NONE
};

static const struct view_ops mon_ops = {
	.name = "monitor",
	.ctx = CTX_MONITOR,
	.list_keys = true,
	.draw = mon_draw,
	.key = mon_key,
	.wants_text = mon_wants_text,
	.click = mon_click,
	.reload = mon_reload,
	.free = mon_free,
	.hints = mon_hints,
	.status = mon_status,
};

struct view *view_monitor_new(struct shell *sh)
{
	struct monitor *m = xcalloc(1, sizeof *m);

	m->v.ops = &mon_ops;
	m->v.sh = sh;
	m->v.title = "Online monitor";
	list_init(&m->list, draw_row, m);
	lineedit_init(&m->search, "");
	monitor_rebuild(m);
	return &m->v;
}
