/* views/users: user admin, a layer for admins and user admins.
 *
 * Lists the company's accounts, disabled ones too (GET /v1/users?all=1),
 * with search; a, e, p, d and r change the selected one (users_edit.c,
 * users_perms.c) and Enter shows their profile.  Requests run on the
 * client's loop (app/online), one at a time: while one is under way the
 * layer says so and takes no other change, and the list is read again
 * after every change.  See views/users.h for how the files share out.
 */
#include "views/users.h"
#include "views/view.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static void uent_clear(struct uent *e)
{
	free(e->username);
	free(e->name);
	free(e->email);
	free(e->title);
	free(e->dept);
	free(e->state);
}

static void entries_clear(struct users *u)
{
	for (size_t i = 0; i < u->nall; i++)
		uent_clear(&u->all[i]);
	free(u->all);
	free(u->shown);
	u->all = NULL;
	u->shown = NULL;
	u->nall = u->nshown = 0;
}

const struct uent *users_find(const struct users *u, const char *name)
{
	for (size_t i = 0; i < u->nall; i++)
		if (str_eq(u->all[i].username, name))
			return &u->all[i];
	return NULL;
}

static struct uent *selected(struct users *u)
{
	if (!u->nshown || u->list.sel >= u->nshown)
		return NULL;
	return &u->all[u->shown[u->list.sel]];
}

static bool matches(const struct uent *e, const char *folded)
{
	const char *f[] = { e->username, e->name, e->email, e->title,
			    e->dept };

	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		if (!f[i])
			continue;
		char *t = str_fold(f[i]);
		bool hit = strstr(t, folded) != NULL;
		free(t);
		if (hit)
			return true;
	}
	return false;
}

/* Apply the search text; keep the selected user when still shown. */
static void refilter(struct users *u, const char *keep)
{
	char *text = lineedit_text(&u->search);
	char *folded = str_fold(str_trim(text));

	free(u->shown);
	u->shown = xcalloc(u->nall + 1, sizeof *u->shown);
	u->nshown = 0;
	size_t sel = 0;
	for (size_t i = 0; i < u->nall; i++) {
		if (*folded && !matches(&u->all[i], folded))
			continue;
		if (keep && str_eq(u->all[i].username, keep))
			sel = u->nshown;
		u->shown[u->nshown++] = i;
	}
	list_set_count(&u->list, u->nshown);
	list_select(&u->list, sel);
	free(folded);
	free(text);
}

/* ---- requests ---------------------------------------------------------- */

void users_request_over(struct users *u)
{
	u->req = 0;
	u->inflight = false;
	u->busy = B_NONE;
	shell_dirty(u->v.sh);
}

void users_request(struct users *u, enum ubusy busy, const char *method,
		   const char *path, json_t *body, online_got got)
{
	struct online *o = shell_online(u->v.sh);

	u->busy = busy;
	u->inflight = true;
	int id = online_call(o, method, path, body, got, u);
	if (!u->inflight)	/* answered already (not signed in) */
		return;
	if (id < 0)
		got(u, NULL, "cannot start a request to the server");
	else
		u->req = id;
	shell_dirty(u->v.sh);
}

static void on_list(void *arg, json_t *reply, const char *err)
{
	struct users *u = arg;
	json_t *arr = json_object_get(reply, "users"), *v;
	size_t i;

	users_request_over(u);
	if (err) {
		str_set(&u->error, err);
		shell_error(u->v.sh, "cannot read the users: %s", err);
		return;
	}
	struct uent *cur = selected(u);
	char *keep = xstrdup(u->select ? u->select :
			     cur ? cur->username : NULL);
	free(u->select);
	u->select = NULL;
	free(u->error);
	u->error = NULL;
	entries_clear(u);
	u->all = xcalloc(json_array_size(arr) + 1, sizeof *u->all);
	json_array_foreach(arr, i, v) {
		const char *name = json_string_value(json_object_get(v,
							"username"));
		if (!name)
			continue;
		struct uent *e = &u->all[u->nall++];
		e->username = xstrdup(name);
		e->name = xstrdup(json_string_value(json_object_get(v, "name")));
		e->email = xstrdup(json_string_value(json_object_get(v,
							"email")));
		e->title = xstrdup(json_string_value(json_object_get(v,
							"title")));
		e->dept = xstrdup(json_string_value(json_object_get(v,
							"department")));
		e->state = xstrdup(json_string_value(json_object_get(
			json_object_get(v, "presence"), "state")));
		e->perms = users_perms_from(json_object_get(v, "perms"));
		e->disabled = json_is_true(json_object_get(v, "disabled"));
		if (!u->company)
			u->company = xstrdup(json_string_value(json_object_get(
				json_object_get(v, "company"), "name")));
	}
	refilter(u, keep);
	free(keep);
}

void users_load(struct users *u)
{
	users_request(u, B_LOADING, "GET", "/v1/users?all=1", NULL, on_list);
}

/* ---- the list ----------------------------------------------------------- */

struct cols {
	int user, name, email, perms, acct;
};

/* Column widths for `width` cells: the usernames' own width, "Account"
 * only when someone is disabled, the rest shared out. */
static struct cols columns(const struct users *u, int width)
{
	struct cols c = { .user = 8 };
	int gaps = 3;

	for (size_t i = 0; i < u->nall; i++) {
		int w = utf8_width(u->all[i].username);
		if (w > c.user)
			c.user = w < 16 ? w : 16;
		if (u->all[i].disabled)
			c.acct = 8;
	}
	if (c.acct)
		gaps++;
	int rest = width - 2 - c.user - c.acct - gaps;
	if (rest < 12)
		rest = 12;
	c.name = rest / 4;
	c.email = rest / 3;
	c.perms = rest - c.name - c.email;
	return c;
}

static void user_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool sel)
{
	struct users *u = arg;
	struct shell *sh = u->v.sh;
	const struct uent *e = &u->all[u->shown[i]];
	struct cols c = columns(u, width);
	attr_t a = sel ? ui_attr(sh, UI_SELECTED) :
		   e->disabled ? ui_attr(sh, UI_DIM) : A_NORMAL, ia;
	const char *icon = presence_icon(sh, e->disabled ? NULL : e->state,
					 &ia);
	char *perms = users_perms_text(e->perms, false, c.perms);

	ui_text(w, y, x, width, "", a);
	ui_puts(w, y, x, 1, icon, sel ? a : ia);
	x += 2;
	ui_puts(w, y, x, c.user, e->username, a);
	x += c.user + 1;
	ui_puts(w, y, x, c.name, e->name, a);
	x += c.name + 1;
	ui_puts(w, y, x, c.email, e->email, a);
	x += c.email + 1;
	ui_puts(w, y, x, c.perms, *perms ? perms : "-", a);
	x += c.perms + 1;
	if (e->disabled)
		ui_puts(w, y, x, c.acct, "disabled",
			sel ? a : ui_attr(sh, UI_ERROR));
	free(perms);
}

static void users_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct users *u = (struct users *)v;
	struct shell *sh = v->sh;
	int x = 2, iw = cols - 4;
	bool asc = ui_ascii(sh);

	char *title = u->company ? xasprintf("User admin %s %s",
					     asc ? "-" : "\xc2\xb7",
					     u->company) :
				   xstrdup("User admin");
	ui_box(sh, w, 0, 0, h, cols, title);
	free(title);
	if (h < 6 || iw < 20)
		return;
	struct cols c = columns(u, iw);
	struct sbuf hd;
	sbuf_init(&hd);
	sbuf_printf(&hd, "  %-*s %-*s %-*s %-*s %s", c.user, "Username",
		    c.name, "Name", c.email, "Email", c.perms, "Permissions",
		    c.acct ? "Account" : "");
	ui_text(w, 1, x, iw, sbuf_str(&hd), ui_attr(sh, UI_HEADER));
	sbuf_free(&hd);
	list_draw(&u->list, sh, w, 2, x, h - 4, iw);
	/* the bottom line: what is going on, the count, the search */
	char *s;
	attr_t a = ui_attr(sh, UI_DIM);
	if (u->busy != B_NONE) {
		s = xstrdup(u->busy == B_LOADING ?
			    (asc ? "Loading..." : "Loading\xe2\x80\xa6") :
			    (asc ? "Saving..." : "Saving\xe2\x80\xa6"));
		a = ui_attr(sh, UI_MESSAGE);
	} else if (u->error) {
		s = xasprintf("cannot read the users: %s (C-l tries again)",
			      u->error);
		a = ui_attr(sh, UI_ERROR);
	} else {
		size_t off = 0;
		for (size_t i = 0; i < u->nall; i++)
			off += u->all[i].disabled;
		s = off ? xasprintf("%zu users, %zu disabled", u->nall, off) :
			  xasprintf("%zu user%s", u->nall,
				    u->nall == 1 ? "" : "s");
	}
	char *text = lineedit_text(&u->search);
	if (u->searching || *text) {
		char *t = xasprintf("%s  |  /%s", s, text);
		free(s);
		s = t;
	}
	ui_text(w, h - 2, x, iw, s, a);
	if (u->searching)	/* the cursor goes after the search text */
		wmove(w, h - 2, x + utf8_width(s));
	free(text);
	free(s);
}

static bool users_wants_text(struct view *v)
{
	return ((struct users *)v)->searching;
}

/* A change to the selected user (and the user to change, or NULL). */
static const struct uent *change_target(struct users *u)
{
	if (u->inflight)	/* one request at a time: ignore the key */
		return NULL;
	const struct uent *e = selected(u);
	if (!e)
		shell_error(u->v.sh, "no user selected");
	return e;
}

static bool users_key(struct view *v, const struct ui_key *k)
{
	struct users *u = (struct users *)v;
	struct shell *sh = v->sh;
	const struct uent *e;

	if (u->searching) {
		struct uent *cur = selected(u);
		char *keep = xstrdup(cur ? cur->username : NULL);
		switch (list_search_key(&u->list, &u->search, k)) {
		case LIST_SEARCH_DONE:
			u->searching = false;
			break;
		case LIST_SEARCH_CLEARED:
			u->searching = false;
			refilter(u, keep);
			break;
		case LIST_SEARCH_CHANGED:
			refilter(u, keep);
			break;
		default:
			break;
		}
		free(keep);
		return true;
	}
	if (list_move(&u->list, k->action))
		return true;
	switch (k->action) {
	case A_SEARCH:
		u->searching = true;
		return true;
	case A_CANCEL:
		if (!lineedit_empty(&u->search)) {
			struct uent *cur = selected(u);
			char *keep = xstrdup(cur ? cur->username : NULL);
			lineedit_set(&u->search, "");
			refilter(u, keep);
			free(keep);
			return true;
		}
		break;
	case A_OPEN:
		if ((e = selected(u)))
			profile_open(sh, e->username);
		return true;
	case A_USER_ADD:
		if (!u->inflight)	/* one request at a time */
			users_add(u);
		return true;
	case A_USER_EDIT:
		if ((e = change_target(u)))
			users_edit(u, e);
		return true;
	case A_USER_PERMS:
		if ((e = change_target(u)))
			users_perms(u, e);
		return true;
	case A_USER_DISABLE:
		if ((e = change_target(u)))
			users_disable(u, e);
		return true;
	case A_USER_RESET:
		if ((e = change_target(u)))
			users_reset(u, e);
		return true;
	default:
		break;
	}
	return ui_close_on(v, k);
}

static void users_click(struct view *v, int y, int x, bool dbl)
{
	struct users *u = (struct users *)v;
	long i = list_row_at(&u->list, y);

	if (i < 0)
		return;
	list_select(&u->list, (size_t)i);
	if (dbl)
		profile_open(v->sh, u->all[u->shown[i]].username);
}

/* C-l: read the list again (also the way out of a request that the
 * link dropped when it restarted). */
static void users_reload(struct view *v)
{
	struct users *u = (struct users *)v;
	struct online *o = shell_online(v->sh);

	if (u->sent)
		return;	/* a change is under way: its answer reloads */
	if (u->req && o)
		online_cancel(o, u->req);
	users_request_over(u);
	users_load(u);
}

static void users_free(struct view *v)
{
	struct users *u = (struct users *)v;
	struct online *o = shell_online(v->sh);

	if (u->req && o)	/* o is gone when confab quits */
		online_cancel(o, u->req);
	if (u->open)
		u->open->u = NULL;
	users_job_free(u->sent);
	entries_clear(u);
	lineedit_free(&u->search);
	free(u->company);
	free(u->error);
	free(u->me);
	free(u->select);
	free(u->ask_user);
	free(u);
}

static const enum action users_hints[] = { A_USER_ADD, A_USER_EDIT,
	A_USER_PERMS, A_USER_DISABLE, A_USER_RESET, A_SEARCH, A_CLOSE,
	A_NONE };
static const struct view_ops users_ops = {
	.name = "users",
	.ctx = CTX_USERS,
	.list_keys = true,
	.draw = users_draw,
	.key = users_key,
	.wants_text = users_wants_text,
	.click = users_click,
	.reload = users_reload,
	.free = users_free,
	.hints = users_hints,
};

static bool has_perm(json_t *me, const char *perm)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(me, "perms"), i, v)
		if (str_eq(json_string_value(v), perm))
			return true;
	return false;
}

void users_open(struct shell *sh)
{
	struct online *o = shell_online(sh);

	if (!o || !online_signed_in(o)) {
		shell_error(sh, "user admin needs a confab server: sign in "
			    "first (L in the Online monitor)");
		return;
	}
	if (!o->me) {
		shell_error(sh, "not connected to %s yet: try again in a "
			    "moment", o->s.server);
		return;
	}
	bool admin = has_perm(o->me, "admin");
	if (!admin && !has_perm(o->me, "user-admin")) {
		shell_error(sh, "user admin needs the admin or user-admin "
			    "permission");
		return;
	}
	struct users *u = xcalloc(1, sizeof *u);
	u->v.ops = &users_ops;
	u->v.sh = sh;
	u->v.title = "User admin";
	u->v.modal = true;
	u->is_admin = admin;
	u->me = xstrdup(o->s.user);
	lineedit_init(&u->search, "");
	list_init(&u->list, user_row, u);
	u->list.empty = "No users to show.";
	shell_push(sh, &u->v);
	users_load(u);
}
