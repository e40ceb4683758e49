/* views/profile: a user's profile as a layer (GET /v1/users/NAME): who
 * they are, how to reach them, their presence and permissions, and their
 * photo when they have one.
 *
 * Your own profile also lists your preferences, and its keys change your
 * details, password and preferences (views/profile_edit.c has those
 * forms; views/profile.h has what the two files share).  Requests run on
 * the client's loop (app/online), one at a time.
 */
#include "views/art.h"
#include "views/profile.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/online.h"
#include "common/str.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_W 14
#define PHOTO_W 24	/* the photo box, when the profile has one */
#define PHOTO_H 12

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "/v1/users/NAME" with NAME escaped.  New string. */
char *profile_user_path(const char *name)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "/v1/users/");
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		if (isalnum(*s) || strchr("-._~", *s))
			sbuf_addc(&b, (char)*s);
		else
			sbuf_printf(&b, "%%%02X", *s);
	return sbuf_take(&b);
}

/* A phone of the profile: "+44 20 7946 0000" or {"label", "number"}. */
const char *profile_phone_number(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	return jstr(v, "number") ? jstr(v, "number") : jstr(v, "value");
}

const char *profile_phone_label(json_t *v)
{
	return jstr(v, "label") ? jstr(v, "label") : jstr(v, "type");
}

/* ---- requests ------------------------------------------------------------- */

void profile_request_over(struct prof *p)
{
	p->req = 0;
	p->inflight = false;
	p->busy = B_NONE;
	shell_dirty(p->v.sh);
}

void profile_request(struct prof *p, enum pbusy busy, const char *method,
		     const char *path, json_t *body, online_got got)
{
	p->busy = busy;
	p->inflight = true;
	int id = online_call(shell_online(p->v.sh), method, path, body, got,
			     p);
	if (!p->inflight)	/* answered already (not signed in) */
		return;
	if (id < 0)
		got(p, NULL, "cannot start a request to the server");
	else
		p->req = id;
	shell_dirty(p->v.sh);
}

/* The photo: {"type", "data": base64} decoded and turned into art. */
static void on_photo(void *arg, json_t *reply, const char *err)
{
	struct prof *p = arg;
	const char *b64 = jstr(reply, "data");
	size_t blen = b64 ? strlen(b64) : 0, n = 0;
	char *why = NULL;

	p->photo_req = 0;
	if (!err && !b64)
		err = "the server sent no picture";
	if (!err) {
		unsigned char *bin = xcalloc(blen / 4 * 3 + 3, 1);
		if (sodium_base642bin(bin, blen / 4 * 3 + 3, b64, blen, NULL,
				      &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			err = "the picture is not base64";
		else if (!(p->art = art_decode(bin, n, &why)))
			err = why;
		free(bin);
	}
	if (err)
		str_set(&p->photo_err, err);
	free(why);
	shell_dirty(p->v.sh);
}

static void load_photo(struct prof *p)
{
	char *path = profile_user_path(p->username);
	char *ph = xasprintf("%s/photo", path);
	struct online *o = shell_online(p->v.sh);

	art_free(p->art);
	p->art = NULL;
	if (p->photo_req)
		online_cancel(o, p->photo_req);
	p->photo_req = online_call(o, "GET", ph, NULL, on_photo, p);
	if (p->photo_req < 0)
		p->photo_req = 0;
	free(ph);
	free(path);
}

static void on_profile(void *arg, json_t *reply, const char *err)
{
	struct prof *p = arg;

	profile_request_over(p);
	if (err) {
		str_set(&p->error, err);
		return;
	}
	free(p->error);
	p->error = NULL;
	json_decref(p->p);
	p->p = json_incref(reply);
	if (json_is_true(json_object_get(reply, "photo")))
		load_photo(p);
}

void profile_load(struct prof *p)
{
	char *path = profile_user_path(p->username);

	profile_request(p, B_LOADING, "GET", path, NULL, on_profile);
	free(path);
}

/* ---- drawing -------------------------------------------------------------- */

static int field(struct shell *sh, WINDOW *w, int y, int x, int cols,
		 const char *label, const char *value)
{
	if (str_empty(value))
		return y;
	ui_text(w, y, x, LABEL_W, label, ui_attr(sh, UI_DIM));
	ui_text(w, y, x + LABEL_W, cols - LABEL_W, value, A_NORMAL);
	return y + 1;
}

static int presence_row(struct prof *p, WINDOW *w, int y, int x, int cols)
{
	struct shell *sh = p->v.sh;
	json_t *pr = json_object_get(p->p, "presence");
	const char *state = jstr(pr, "state"), *note = jstr(pr, "note");
	attr_t a;

	if (!state)
		return y;
	const char *icon = presence_icon(sh, state, &a);
	ui_text(w, y, x, LABEL_W, "Presence", ui_attr(sh, UI_DIM));
	ui_puts(w, y, x + LABEL_W, 1, icon, a);
	char *t = xasprintf("%s%s%s", state, str_empty(note) ? "" : " \xe2\x80"
			    "\x94 ", str_empty(note) ? "" : note);
	if (ui_ascii(sh) && !str_empty(note)) {
		free(t);
		t = xasprintf("%s - %s", state, note);
	}
	ui_text(w, y, x + LABEL_W + 2, cols - LABEL_W - 2, t, A_NORMAL);
	free(t);
	return y + 1;
}

/* The permissions, wrapped at commas onto as many rows as they need. */
static int perms_rows(struct prof *p, WINDOW *w, int y, int x, int cols,
		      int end)
{
	struct shell *sh = p->v.sh;
	json_t *perms = json_object_get(p->p, "perms"), *e;
	struct sbuf b;
	size_t i;

	ui_text(w, y, x, LABEL_W, "Permissions", ui_attr(sh, UI_DIM));
	sbuf_init(&b);
	json_array_foreach(perms, i, e) {
		const char *name = json_string_value(e);
		bool last = i + 1 == json_array_size(perms);
		if (!name)
			continue;
		if (b.len && utf8_width(sbuf_str(&b)) + utf8_width(name) + 1 >
			     cols - LABEL_W && y + 1 < end) {
			ui_text(w, y++, x + LABEL_W, cols - LABEL_W,
				sbuf_str(&b), A_NORMAL);
			sbuf_reset(&b);
		}
		sbuf_printf(&b, "%s%s", name, last ? "" : ", ");
	}
	ui_text(w, y++, x + LABEL_W, cols - LABEL_W,
		json_array_size(perms) ? sbuf_str(&b) : "none", A_NORMAL);
	sbuf_free(&b);
	return y;
}

static char *scalar_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_true(v))
		return xstrdup("on");
	if (json_is_false(v))
		return xstrdup("off");
	if (json_is_null(v))
		return xstrdup("-");
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	char *t = xstrdup(s ? s : "?");
	free(s);
	return t;
}

/* A preference as the profile shows it: its label (static) and value
 * (new string). */
static char *pref_shown(const char *k, json_t *v, const char **label)
{
	static const char *const names[][2] = {
		{ "notifications", "Notifications" },
		{ "auto_away", "Auto-away" }, { "timezone", "Time zone" },
		{ "country", "Country" }, { "markets", "Markets" },
	};
	json_t *e;
	size_t i;

	*label = k;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (str_eq(k, names[i][0]))
			*label = names[i][1];
	if (str_eq(k, "auto_away") && json_is_integer(v))
		return json_integer_value(v) == 0 ? xstrdup("never") :
		       xasprintf("after %lld idle minutes",
				 (long long)json_integer_value(v));
	if (json_is_array(v)) {
		struct sbuf b;
		sbuf_init(&b);
		json_array_foreach(v, i, e) {
			char *t = scalar_text(e);
			sbuf_printf(&b, "%s%s", i ? ", " : "", t);
			free(t);
		}
		if (!b.len)
			sbuf_add(&b, "none");
		return sbuf_take(&b);
	}
	return scalar_text(v);
}

static void draw_photo(struct prof *p, WINDOW *w, int y, int x)
{
	struct shell *sh = p->v.sh;

	ui_box(sh, w, y, x, PHOTO_H, PHOTO_W, "Photo");
	if (p->art)
		art_draw(sh, w, y + 1, x + 1, PHOTO_H - 2, PHOTO_W - 2, p->art);
	else
		ui_text(w, y + PHOTO_H / 2, x + 2, PHOTO_W - 4,
			p->photo_err ? p->photo_err : p->photo_req ?
			"  (loading)" : "  (no picture)", ui_attr(sh, UI_DIM));
}

static void prof_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct prof *p = (struct prof *)v;
	struct shell *sh = v->sh;
	json_t *pr = p->p, *e;
	int x = 3, cw = cols - 6, y = 2, end = h - 3;
	size_t i;

	ui_box(sh, w, 0, 0, h, cols, p->self ? "Your profile" : "Profile");
	if (pr && json_is_true(json_object_get(pr, "photo")) &&
	    cols >= PHOTO_W + 40 && h >= PHOTO_H + 3) {
		draw_photo(p, w, 1, cols - PHOTO_W - 2);
		cw -= PHOTO_W + 1;
	}
	if (pr && y < end) {
		const char *name = jstr(pr, "name");
		ui_text(w, y++, x, cw, str_empty(name) ? jstr(pr, "username") :
			name, ui_attr(sh, UI_TITLE));
		const char *t = jstr(pr, "title"), *d = jstr(pr, "department");
		char *td = xasprintf("%s%s%s", t ? t : "", !str_empty(t) &&
				     !str_empty(d) ? ", " : "", d ? d : "");
		if (*td)
			ui_text(w, y++, x, cw, td, A_NORMAL);
		free(td);
		y++;
		y = field(sh, w, y, x, cw, "Username", jstr(pr, "username"));
		y = field(sh, w, y, x, cw, "Title", t);
		y = field(sh, w, y, x, cw, "Department", d);
		y = field(sh, w, y, x, cw, "Email", jstr(pr, "email"));
		json_array_foreach(json_object_get(pr, "phones"), i, e) {
			if (y >= end)
				break;
			const char *l = profile_phone_label(e);
			char *lbl = xasprintf("Phone%s%s", l ? " " : "",
					      l ? l : "");
			y = field(sh, w, y, x, cw, lbl,
				  profile_phone_number(e));
			free(lbl);
		}
		if (y < end)
			y = field(sh, w, y, x, cw, "Company", jstr(
				json_object_get(pr, "company"), "name"));
		if (y < end)
			y = presence_row(p, w, y, x, cw);
		if (y < end)
			y = perms_rows(p, w, y, x, cw, end);
		if (y < end && json_is_true(json_object_get(pr, "disabled"))) {
			ui_text(w, y, x, LABEL_W, "Account",
				ui_attr(sh, UI_DIM));
			ui_text(w, y++, x + LABEL_W, cw - LABEL_W, "disabled",
				ui_attr(sh, UI_ERROR));
		}
		json_t *prefs = json_object_get(pr, "prefs");
		const char *k;
		if (p->self && json_object_size(prefs) && y + 2 < end) {
			y++;
			ui_text(w, y++, x, cw, "Preferences",
				ui_attr(sh, UI_HEADER));
			json_object_foreach(prefs, k, e) {
				if (y >= end)
					break;
				const char *label;
				char *val = pref_shown(k, e, &label);
				y = field(sh, w, y, x, cw, label, val);
				free(val);
			}
		}
	}
	char *s = NULL;
	attr_t a = ui_attr(sh, UI_DIM);
	bool asc = ui_ascii(sh);
	if (p->busy != B_NONE) {
		s = xstrdup(p->busy == B_LOADING ?
			    (asc ? "Loading..." : "Loading\xe2\x80\xa6") :
			    (asc ? "Saving..." : "Saving\xe2\x80\xa6"));
		a = ui_attr(sh, UI_MESSAGE);
	} else if (p->error) {
		s = xasprintf("cannot read the profile of %s: %s (C-l tries "
			      "again)", p->username, p->error);
		a = ui_attr(sh, UI_ERROR);
	} else if (p->note) {
		s = xstrdup(p->note);
		a = ui_attr(sh, UI_MESSAGE);
	}
	if (s)
		ui_text(w, h - 2, x, cols - 6, s, a);
	free(s);
}

/* ---- keys and life -------------------------------------------------------- */

static bool prof_key(struct view *v, const struct ui_key *k)
{
	struct prof *p = (struct prof *)v;

	switch (k->action) {
	case A_PROFILE_EDIT:
	case A_PASSWORD:
	case A_PREFS:
		if (!p->self)
			shell_error(v->sh, "you can change only your own "
				    "profile (P)");
		else if (p->inflight)
			;	/* one request at a time: ignore the key */
		else if (k->action == A_PASSWORD)
			profile_password_form(p, NULL);
		else if (p->p && k->action == A_PREFS)
			profile_prefs_form(p, NULL);
		else if (p->p)
			profile_details_form(p, NULL);
		return true;
	default:
		return ui_close_on(v, k);
	}
}

/* C-l: read the profile again. */
static void prof_reload(struct view *v)
{
	struct prof *p = (struct prof *)v;
	struct online *o = shell_online(v->sh);

	if (p->sent)
		return;	/* its answer reloads */
	if (p->req && o)
		online_cancel(o, p->req);
	profile_request_over(p);
	profile_load(p);
}

static void prof_free(struct view *v)
{
	struct prof *p = (struct prof *)v;
	struct online *o = shell_online(v->sh);

	if (p->req && o)	/* o is gone when confab quits */
		online_cancel(o, p->req);
	if (p->photo_req && o)
		online_cancel(o, p->photo_req);
	art_free(p->art);
	free(p->photo_err);
	if (p->open)
		p->open->p = NULL;
	profile_job_free(p->sent);
	json_decref(p->p);
	free(p->username);
	free(p->error);
	free(p->note);
	free(p);
}

static const enum action self_hints[] = { A_PROFILE_EDIT, A_PASSWORD,
					  A_PREFS, A_CLOSE, A_NONE };
static const enum action other_hints[] = { A_CLOSE, A_NONE };
static const struct view_ops self_ops = {
	.name = "profile",
	.ctx = CTX_PROFILE,
	.draw = prof_draw,
	.key = prof_key,
	.reload = prof_reload,
	.free = prof_free,
	.hints = self_hints,
};
static const struct view_ops other_ops = {
	.name = "profile",
	.ctx = CTX_PROFILE,
	.draw = prof_draw,
	.key = prof_key,
	.reload = prof_reload,
	.free = prof_free,
	.hints = other_hints,
};

void profile_open(struct shell *sh, const char *username)
{
	struct online *o = shell_online(sh);

	if (!o || !online_signed_in(o) || !o->s.user) {
		shell_error(sh, "profiles are kept on the confab server: sign "
			    "in first (L in the Online monitor)");
		return;
	}
	struct prof *p = xcalloc(1, sizeof *p);
	p->self = !username || str_eq(username, o->s.user);
	p->v.ops = p->self ? &self_ops : &other_ops;
	p->v.sh = sh;
	p->v.title = "Profile";
	p->v.modal = true;
	p->username = xstrdup(p->self ? o->s.user : username);
	shell_push(sh, &p->v);
	profile_load(p);
}
