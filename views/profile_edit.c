/* views/profile_edit: the changes to your own profile (the layer is
 * views/profile.c; views/profile.h has what they share).
 *
 * Your details (PATCH /v1/users/YOU), your preferences (the same PATCH
 * with {"prefs": {…}}, only the keys that changed; the link then reads
 * your profile again, so a new auto-away takes effect), and your password
 * (POST /v1/password): the server ends every session of yours and answers
 * with a new one, which replaces the saved session before the link to the
 * server restarts.  A form the server refused opens again with what was
 * typed (never a password).
 */
#include "views/form.h"
#include "views/profile.h"
#include "views/ui.h"
#include "app/online.h"
#include "app/session.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const phone_tags[] = { "work", "mobile", "home", "other",
					  NULL };

static void wipe(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void profile_job_free(struct pjob *j)
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

/* ---- saving --------------------------------------------------------------- */

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
	profile_request_over(p);
	if (err) {
		shell_error(p->v.sh, "%s", err);
		if (j->kind == J_PASSWORD)
			profile_password_form(p, j);
		else if (j->kind == J_PREFS)
			profile_prefs_form(p, j);
		else
			profile_details_form(p, j);
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
		profile_load(p);
	}
	profile_job_free(j);
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
			profile_job_free(j);
			return;
		}
		path = profile_user_path(p->username);
		b = json_pack("{s:o}", "prefs", pf);
	} else if (j->kind == J_PASSWORD) {
		path = xstrdup("/v1/password");
		b = json_pack("{s:s,s:s}", "old_password", j->v[E_CUR],
			      "new_password", j->v[E_NEW]);
	} else {
		path = profile_user_path(p->username);
		b = json_pack("{s:s,s:s,s:s,s:s}", "name", j->v[E_NAME],
			      "title", j->v[E_TITLE], "department",
			      j->v[E_DEPT], "email", j->v[E_EMAIL]);
		if (j->phones)
			json_object_set(b, "phones", j->phones);
	}
	p->sent = j;
	profile_request(p, B_SAVING, j->kind == J_PASSWORD ? "POST" : "PATCH",
			path, b, on_saved);
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
		profile_job_free(j);
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

void profile_details_form(struct prof *p, struct pjob *j)
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
			if (profile_phone_number(v))
				form_add_group(f, G_PHONE, "Phone", phone_tags,
					       profile_phone_label(v),
					       profile_phone_number(v), 0);
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

void profile_password_form(struct prof *p, struct pjob *j)
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

void profile_prefs_form(struct prof *p, struct pjob *j)
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
