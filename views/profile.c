/* views/profile: a user's profile as a layer (GET /v1/users/NAME): who
 * they are, how to reach them, their presence and permissions.
 *
 * Your own profile also edits your details (PATCH /v1/users/YOU), shows
 * and edits your preferences (the same PATCH with {"prefs": {…}}, only
 * the keys that changed; the link then reads your profile again, so a
 * new auto-away takes effect), and changes your password (POST
 * /v1/password): the server ends every session of yours and answers
 * with a new one, which replaces the saved session before the link to
 * the server restarts.
 * Requests run on the client's loop (app/online); a form the server
 * refused opens again with what was typed (never a password).
 */
#include "views/art.h"
#include "views/form.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/online.h"
#include "app/session.h"
#include "common/str.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_W 14
#define PHOTO_W 24	/* the photo box, when the profile has one */
#define PHOTO_H 12

/* form rows, found by their cookie (phone rows are group G_PHONE) */
enum { E_NAME = 1, E_TITLE, E_DEPT, E_EMAIL, E_CUR, E_NEW, E_AGAIN,
       P_NOTIFY, P_AWAY, P_TZ, P_COUNTRY, P_MARKETS, E_N };
enum { G_PHONE = 1 };

static const char *const phone_tags[] = { "work", "mobile", "home", "other",
					  NULL };

enum pbusy { B_NONE, B_LOADING, B_SAVING };
enum pkind { J_DETAILS, J_PASSWORD, J_PREFS };

/* A change typed into a form, then sent. */
struct pjob {
	struct prof *p;		/* NULL once the layer is gone */
	enum pkind kind;
	char *v[E_N];
	char *orig[E_N];	/* preferences as they were: what changed */
	json_t *phones;		/* [{"label", "number"}], or NULL */
};

struct prof {
	struct view v;
	char *username;
	bool self;
	json_t *p;		/* the server's profile */
	char *error;		/* why it could not be read */
	char *note;		/* the outcome of the last change */
	int req;		/* request under way, 0 none */
	bool inflight;
	enum pbusy busy;
	struct pjob *open;	/* a form on screen */
	struct pjob *sent;	/* the change under way */
	struct art *art;	/* the photo, once fetched */
	int photo_req;		/* its request, 0 none */
	char *photo_err;
};

static void load(struct prof *p);
static void details_form(struct prof *p, struct pjob *j);
static void password_form(struct prof *p, struct pjob *j);
static void prefs_form(struct prof *p, struct pjob *j);

static void wipe(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void job_free(struct pjob *j)
{
	if (!j)
		return;
	for (int i = 0; i < E_N; i++) {
		wipe(j->v[i]);
		free(j->orig[i]);
	}
	json_decref(j->phones);
	free(j);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* "/v1/users/NAME" with NAME escaped.  New string. */
static char *user_path(const char *name)
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
static const char *phone_number(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	return jstr(v, "number") ? jstr(v, "number") : jstr(v, "value");
}

static const char *phone_label(json_t *v)
{
	return jstr(v, "label") ? jstr(v, "label") : jstr(v, "type");
}

/* ---- requests ------------------------------------------------------------- */

static void request_over(struct prof *p)
{
	p->req = 0;
	p->inflight = false;
	p->busy = B_NONE;
	shell_dirty(p->v.sh);
}

static void request(struct prof *p, enum pbusy busy, const char *method,
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
	char *path = user_path(p->username), *ph = xasprintf("%s/photo", path);
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

	request_over(p);
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

static void load(struct prof *p)
{
	char *path = user_path(p->username);

	request(p, B_LOADING, "GET", path, NULL, on_profile);
	free(path);
}

/* The new session the server sent with the password change replaces the
 * saved one; the link restarts with it. */
static void take_session(struct prof *p, json_t *reply)
{
	struct online *o = shell_online(p->v.sh);
	struct session s;
	char *err = NULL;

	if (session_from_login(&s, o->s.server, reply) < 0) {
		shell_error(p->v.sh, "your password is changed, but the server "
			    "sent no new session: sign in again");
		session_clear(shell_app(p->v.sh));
	} else if (session_save(shell_app(p->v.sh), &s, &err) < 0) {
		shell_error(p->v.sh, "your password is changed, but the new "
			    "session was not saved: %s", err);
	} else {
		str_set(&p->note, "Password changed; your other sessions "
			"have ended.");
		shell_message(p->v.sh, "Password changed; your other sessions "
			      "have ended");
	}
	session_free(&s);
	free(err);
	online_restart(o);
}

static void on_saved(void *arg, json_t *reply, const char *err)
{
	struct prof *p = arg;
	struct pjob *j = p->sent;

	p->sent = NULL;
	request_over(p);
	if (err) {
		shell_error(p->v.sh, "%s", err);
		if (j->kind == J_PASSWORD)
			password_form(p, j);
		else if (j->kind == J_PREFS)
			prefs_form(p, j);
		else
			details_form(p, j);
		return;
	}
	if (j->kind == J_PASSWORD) {
		take_session(p, reply);
	} else {
		bool prefs = j->kind == J_PREFS;
		char at[16];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(at, sizeof at, "%H:%M", &tm);
		char *n = xasprintf("%s saved at %s.", prefs ? "Preferences" :
				    "Profile", at);
		free(p->note);
		p->note = n;
		shell_message(p->v.sh, prefs ? "Saved your preferences" :
			      "Saved your profile");
		/* the link reads your profile again: a new auto-away, a new
		 * name in the status bar */
		online_refresh(shell_online(p->v.sh));
		load(p);
	}
	job_free(j);
}

/* ",Retail , Banking" as ["Retail", "Banking"]. */
static json_t *split_list(const char *text)
{
	json_t *a = json_array();
	char *t = xstrdup(text), *save = NULL;

	for (char *s = strtok_r(t, ",", &save); s;
	     s = strtok_r(NULL, ",", &save)) {
		char *item = str_trim(s);
		if (*item)
			json_array_append_new(a, json_string(item));
	}
	free(t);
	return a;
}

/* {"notifications": …, …} with the preferences that changed (checked by
 * prefs_save). */
static json_t *prefs_body(const struct pjob *j)
{
	json_t *b = json_object();

	for (int id = P_NOTIFY; id <= P_MARKETS; id++) {
		const char *v = j->v[id];
		if (str_eq(v, j->orig[id]))
			continue;
		switch (id) {
		case P_NOTIFY:
			json_object_set_new(b, "notifications", json_boolean(
				str_ieq(v, "yes") || str_ieq(v, "y") ||
				str_ieq(v, "on") || str_ieq(v, "true")));
			break;
		case P_AWAY:
			json_object_set_new(b, "auto_away", json_integer(
				strtoll(v, NULL, 10)));
			break;
		case P_TZ:
			json_object_set_new(b, "timezone", json_string(v));
			break;
		case P_COUNTRY: {
			char *cc = xstrdup(v);
			for (char *s = cc; *s; s++)
				if (*s >= 'a' && *s <= 'z')
					*s = (char)(*s - 'a' + 'A');
			json_object_set_new(b, "country", json_string(cc));
			free(cc);
			break;
		}
		case P_MARKETS:
			json_object_set_new(b, "markets", split_list(v));
			break;
		}
	}
	return b;
}

static void submit(struct prof *p, struct pjob *j)
{
	json_t *b;
	char *path;

	if (j->kind == J_PREFS) {
		json_t *pf = prefs_body(j);
		if (!json_object_size(pf)) {
			json_decref(pf);
			shell_message(p->v.sh, "Nothing changed");
			job_free(j);
			return;
		}
		path = user_path(p->username);
		b = json_pack("{s:o}", "prefs", pf);
	} else if (j->kind == J_PASSWORD) {
		path = xstrdup("/v1/password");
		b = json_pack("{s:s,s:s}", "old_password", j->v[E_CUR],
			      "new_password", j->v[E_NEW]);
	} else {
		path = user_path(p->username);
		b = json_pack("{s:s,s:s,s:s,s:s}", "name", j->v[E_NAME],
			      "title", j->v[E_TITLE], "department",
			      j->v[E_DEPT], "email", j->v[E_EMAIL]);
		if (j->phones)
			json_object_set(b, "phones", j->phones);
	}
	p->sent = j;
	request(p, B_SAVING, j->kind == J_PASSWORD ? "POST" : "PATCH", path, b,
		on_saved);
	json_decref(b);
	free(path);
}

static void job_done(void *arg, bool saved)
{
	struct pjob *j = arg;
	struct prof *p = j->p;

	if (p)
		p->open = NULL;
	if (!p || !saved)
		job_free(j);
	else
		submit(p, j);
}

/* ---- forms ---------------------------------------------------------------- */

static int fail(struct form *f, char **err, size_t *bad, int id,
		const char *msg)
{
	*err = xstrdup(msg);
	*bad = form_find(f, id);
	return -1;
}

/* Text of the row with cookie `id` (passwords untrimmed). */
static void take(struct form *f, struct pjob *j, int id)
{
	size_t r = form_find(f, id);

	wipe(j->v[id]);
	if (r == form_count(f))
		j->v[id] = xstrdup("");
	else if (id >= E_CUR && id <= E_AGAIN)
		j->v[id] = lineedit_text(&form_field(f, r)->ed);
	else
		j->v[id] = form_text(f, r);
}

static int details_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct pjob *j = arg;

	for (int id = E_NAME; id <= E_EMAIL; id++)
		take(f, j, id);
	if (!strchr(j->v[E_EMAIL], '@'))
		return fail(f, err, bad, E_EMAIL, "email: an address such as "
			    "name@example.com");
	if (!j->phones)
		return 0;
	json_array_clear(j->phones);
	for (size_t i = 0; i < form_count(f); i++) {
		const struct form_field *ff = form_field(f, i);
		if (ff->group != G_PHONE)
			continue;
		char *t = form_text(f, i);
		if (*t)
			json_array_append_new(j->phones, json_pack(
				"{s:s?,s:s}", "label", ff->tag, "number", t));
		free(t);
	}
	return 0;
}

static void details_form(struct prof *p, struct pjob *j)
{
	json_t *pr = p->p, *v;
	size_t i;

	if (!j) {
		j = xcalloc(1, sizeof *j);
		j->p = p;
		j->v[E_NAME] = xstrdup(jstr(pr, "name"));
		j->v[E_TITLE] = xstrdup(jstr(pr, "title"));
		j->v[E_DEPT] = xstrdup(jstr(pr, "department"));
		j->v[E_EMAIL] = xstrdup(jstr(pr, "email"));
		/* phones only when the server keeps them */
		if (json_is_array(json_object_get(pr, "phones")))
			j->phones = json_deep_copy(json_object_get(pr,
								   "phones"));
	}
	struct form *f = form_new(p->v.sh, "Edit your profile", details_save,
				  job_done, j);
	form_add_user(f, "Display name", j->v[E_NAME], E_NAME);
	form_add_user(f, "Title", j->v[E_TITLE], E_TITLE);
	form_add_user(f, "Department", j->v[E_DEPT], E_DEPT);
	form_add_user(f, "Email", j->v[E_EMAIL], E_EMAIL);
	if (j->phones) {
		json_array_foreach(j->phones, i, v)
			if (phone_number(v))
				form_add_group(f, G_PHONE, "Phone", phone_tags,
					       phone_label(v), phone_number(v),
					       0);
		form_add_group(f, G_PHONE, "Phone", phone_tags, NULL, "", 0);
	}
	p->open = j;
	form_open(f);
}

static int password_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct pjob *j = arg;

	for (int id = E_CUR; id <= E_AGAIN; id++)
		take(f, j, id);
	if (!*j->v[E_CUR])
		return fail(f, err, bad, E_CUR, "type your current password");
	if (!*j->v[E_NEW])
		return fail(f, err, bad, E_NEW, "type the new password");
	if (strcmp(j->v[E_NEW], j->v[E_AGAIN]) != 0)
		return fail(f, err, bad, E_AGAIN, "the new passwords differ: "
			    "type it again");
	return 0;
}

static void password_form(struct prof *p, struct pjob *j)
{
	if (!j) {
		j = xcalloc(1, sizeof *j);
		j->p = p;
		j->kind = J_PASSWORD;
	}
	struct form *f = form_new(p->v.sh, "Change your password (your other "
				  "sessions end)", password_save, job_done, j);
	form_set_secret(f, form_add_user(f, "Current password", NULL, E_CUR));
	form_set_secret(f, form_add_user(f, "New password", NULL, E_NEW));
	form_set_secret(f, form_add_user(f, "New again", NULL, E_AGAIN));
	p->open = j;
	form_open(f);
}

/* yes/no, as a preference is typed */
static bool yes_no(const char *s)
{
	static const char *const words[] = { "yes", "no", "y", "n", "on",
					     "off", "true", "false" };

	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (str_ieq(s, words[i]))
			return true;
	return false;
}

static int prefs_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct pjob *j = arg;

	for (int id = P_NOTIFY; id <= P_MARKETS; id++)
		take(f, j, id);
	const char *n = j->v[P_NOTIFY], *a = j->v[P_AWAY];
	if (!str_eq(n, j->orig[P_NOTIFY]) && !yes_no(n))
		return fail(f, err, bad, P_NOTIFY, "notifications: yes or no");
	if (!str_eq(a, j->orig[P_AWAY]) &&
	    (!*a || strspn(a, "0123456789") != strlen(a) || strlen(a) > 9))
		return fail(f, err, bad, P_AWAY, "auto-away: the idle minutes "
			    "before you are shown away, 0 to 1440 (0: never)");
	return 0;
}

/* A stored preference as the form shows it.  New string. */
static char *pref_text(json_t *prefs, int id)
{
	static const char *const keys[] = { [P_NOTIFY] = "notifications",
		[P_AWAY] = "auto_away", [P_TZ] = "timezone",
		[P_COUNTRY] = "country", [P_MARKETS] = "markets" };
	json_t *v = json_object_get(prefs, keys[id]), *e;
	struct sbuf b;
	size_t i;

	if (json_is_boolean(v))
		return xstrdup(json_is_true(v) ? "yes" : "no");
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	sbuf_init(&b);
	json_array_foreach(v, i, e)
		if (json_string_value(e))
			sbuf_printf(&b, "%s%s", b.len ? ", " : "",
				    json_string_value(e));
	return sbuf_take(&b);
}

static void prefs_form(struct prof *p, struct pjob *j)
{
	static const char *const labels[] = { [P_NOTIFY] = "Notifications",
		[P_AWAY] = "Auto-away (min)", [P_TZ] = "Time zone",
		[P_COUNTRY] = "Country", [P_MARKETS] = "Markets followed" };

	if (!j) {
		json_t *prefs = json_object_get(p->p, "prefs");
		j = xcalloc(1, sizeof *j);
		j->p = p;
		j->kind = J_PREFS;
		for (int id = P_NOTIFY; id <= P_MARKETS; id++) {
			j->orig[id] = pref_text(prefs, id);
			j->v[id] = xstrdup(j->orig[id]);
		}
	}
	struct form *f = form_new(p->v.sh, "Your preferences (notifications: "
				  "yes or no; auto-away: minutes, 0 never; "
				  "markets: comma-separated)", prefs_save,
				  job_done, j);
	for (int id = P_NOTIFY; id <= P_MARKETS; id++)
		form_add_user(f, labels[id], j->v[id], id);
	p->open = j;
	form_open(f);
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
			const char *l = phone_label(e);
			char *lbl = xasprintf("Phone%s%s", l ? " " : "",
					      l ? l : "");
			y = field(sh, w, y, x, cw, lbl, phone_number(e));
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
			password_form(p, NULL);
		else if (p->p && k->action == A_PREFS)
			prefs_form(p, NULL);
		else if (p->p)
			details_form(p, NULL);
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
	request_over(p);
	load(p);
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
	job_free(p->sent);
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
	load(p);
}
