/* views/users_edit: the changes user admin makes — add a user (with an
 * initial password, or an invite code when it is left empty), edit the
 * details, disable or enable, set a new password — their forms, and
 * sending them to the server. */
#include "views/form.h"
#include "views/users.h"
#include "common/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void add_form(struct users *u, struct ujob *j);
static void edit_form(struct users *u, struct ujob *j);

static struct ujob *job_new(struct users *u, enum ujob_kind kind,
			    const char *target)
{
	struct ujob *j = xcalloc(1, sizeof *j);

	j->u = u;
	j->kind = kind;
	j->target = xstrdup(target);
	return j;
}

static void wipe(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void users_job_free(struct ujob *j)
{
	if (!j)
		return;
	for (int i = 0; i < F_N; i++)
		wipe(j->v[i]);
	free(j->target);
	free(j);
}

/* "/v1/users/NAME" with NAME escaped.  New string. */
static char *user_path(const char *name)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "/v1/users/");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (isalnum(*p) || strchr("-._~", *p))
			sbuf_addc(&b, (char)*p);
		else
			sbuf_printf(&b, "%%%02X", *p);
	return sbuf_take(&b);
}

/* ---- answers -------------------------------------------------------------- */

/* The server refused a change: say why, and give the form back. */
static void refused(struct users *u, struct ujob *j, const char *err)
{
	struct shell *sh = u->v.sh;

	if (j->kind == J_ADD && str_empty(j->v[F_PW]) &&
	    strstr(err, "'password'"))
		shell_error(sh, "%s: this server cannot send invites yet, "
			    "give an initial password", err);
	else
		shell_error(sh, "%s", err);
	switch (j->kind) {
	case J_ADD:
		add_form(u, j);
		break;
	case J_EDIT:
		edit_form(u, j);
		break;
	case J_PERMS:
		users_perms_open(u, j);
		break;
	default:
		users_job_free(j);
		break;
	}
}

static void invite_show(struct shell *sh, const struct ujob *j,
			const char *code, json_int_t expires)
{
	char until[40] = "";
	time_t t = (time_t)expires;
	struct tm tm;

	if (expires > 0 && localtime_r(&t, &tm))
		strftime(until, sizeof until, "  (valid until %Y-%m-%d %H:%M)",
			 &tm);
	const char *who = str_empty(j->v[F_NAME]) ? j->v[F_USER] :
						   j->v[F_NAME];
	/* "ABCDEFGHJK" reads out better as "ABCDE-FGHJK" (the server
	 * ignores the dash, as in its invite mails) */
	char shown[16];
	if (strlen(code) == 10 && !strchr(code, '-'))
		snprintf(shown, sizeof shown, "%.5s-%.5s", code, code + 5);
	else
		snprintf(shown, sizeof shown, "%.15s", code);
	char *text = xasprintf(
		"%s's account is ready; it has no password yet.\n\n"
		"    Username:     %s\n"
		"    Invite code:  %s%s\n\n"
		"The server did not mail it, so give %s this code yourself\n"
		"(in person or by phone rather than by plain mail). They\n"
		"enter it in confab together with the password they choose\n"
		"(Online monitor, F: \"Forgotten your password?\").\n"
		"The code works once.\n",
		who, j->v[F_USER], shown, until, who);
	char *title = xasprintf("Invite code for %s", j->v[F_USER]);

	ui_pager(sh, title, text);
	free(title);
	explicit_bzero(text, strlen(text));
	explicit_bzero(shown, sizeof shown);
	free(text);
}

static void say_added(struct shell *sh, const struct ujob *j, json_t *reply)
{
	const char *code = json_string_value(json_object_get(reply,
						"invite_code"));
	const char *to = json_string_value(json_object_get(reply,
						"invite_mailed_to"));

	if (code)
		invite_show(sh, j, code, json_integer_value(
			json_object_get(reply, "invite_expires")));
	else if (str_empty(j->v[F_PW]))
		shell_message(sh, "Added %s: the invite code is on its way to "
			      "%s", j->target, to ? to : j->v[F_EMAIL]);
	else
		shell_message(sh, "Added %s; press p to give permissions",
			      j->target);
}

static void on_saved(void *arg, json_t *reply, const char *err)
{
	struct users *u = arg;
	struct shell *sh = u->v.sh;
	struct ujob *j = u->sent;
	const char *t = j->target;

	u->sent = NULL;
	users_request_over(u);
	if (err) {
		refused(u, j, err);
		return;
	}
	switch (j->kind) {
	case J_ADD:
		say_added(sh, j, reply);
		break;
	case J_EDIT:
		shell_message(sh, "Saved %s", t);
		break;
	case J_PERMS: {
		char *p = users_perms_text(j->perms, true, 0);
		shell_message(sh, "Permissions of %s: %s", t,
			      *p ? p : "none");
		free(p);
		break;
	}
	case J_RESET:
		shell_message(sh, "New password set for %s; their sessions "
			      "have ended", t);
		break;
	case J_DISABLE:
		shell_message(sh, j->disable ? "Disabled %s: signed out "
			      "everywhere, and cannot sign in" :
			      "Enabled %s: they can sign in again", t);
		break;
	}
	if (str_eq(t, u->me))	/* our own permissions, name… */
		online_refresh(shell_online(sh));
	str_set(&u->select, t);
	users_job_free(j);
	users_load(u);
}

void users_submit(struct users *u, struct ujob *j)
{
	json_t *b;
	char *path;
	const char *method = "PATCH";

	switch (j->kind) {
	case J_ADD:
		b = json_pack("{s:s,s:s,s:s,s:s,s:s}", "username",
			      j->v[F_USER], "email", j->v[F_EMAIL], "name",
			      j->v[F_NAME], "title", j->v[F_TITLE],
			      "department", j->v[F_DEPT]);
		if (str_empty(j->v[F_PW]))
			json_object_set_new(b, "invite", json_true());
		else
			json_object_set_new(b, "password",
					    json_string(j->v[F_PW]));
		method = "POST";
		break;
	case J_EDIT:
		b = json_pack("{s:s,s:s,s:s,s:s}", "name", j->v[F_NAME],
			      "email", j->v[F_EMAIL], "title", j->v[F_TITLE],
			      "department", j->v[F_DEPT]);
		break;
	case J_PERMS:
		b = json_pack("{s:o}", "perms", users_perms_json(j->perms));
		break;
	case J_RESET:
		b = json_pack("{s:s}", "password", j->v[F_PW]);
		break;
	default:
		b = json_pack("{s:b}", "disabled", j->disable);
		break;
	}
	path = j->kind == J_ADD ? xstrdup("/v1/users") : user_path(j->target);
	u->sent = j;
	users_request(u, B_SAVING, method, path, b, on_saved);
	json_decref(b);
	free(path);
}

void users_job_done(void *arg, bool saved)
{
	struct ujob *j = arg;
	struct users *u = j->u;

	if (u)
		u->open = NULL;
	if (!u || !saved)
		users_job_free(j);
	else
		users_submit(u, j);
}

/* ---- forms ---------------------------------------------------------------- */

static bool username_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".-_", *s))
			return false;
	return true;
}

/* Text of the row with cookie `id` into j->v[id] (passwords untrimmed:
 * spaces at either end are part of them). */
static void take(struct form *f, struct ujob *j, int id)
{
	size_t r = form_find(f, id);

	wipe(j->v[id]);
	if (r == form_count(f))
		j->v[id] = xstrdup("");
	else if (id == F_PW || id == F_PW2)
		j->v[id] = lineedit_text(&form_field(f, r)->ed);
	else
		j->v[id] = form_text(f, r);
}

static int fail(struct form *f, char **err, size_t *bad, int id,
		const char *msg)
{
	*err = xstrdup(msg);
	*bad = form_find(f, id);
	return -1;
}

/* The password typed twice agrees; empty is fine when `may_be_empty`. */
static int check_passwords(struct form *f, struct ujob *j, bool may_be_empty,
			   char **err, size_t *bad)
{
	take(f, j, F_PW);
	take(f, j, F_PW2);
	if (!may_be_empty && !*j->v[F_PW])
		return fail(f, err, bad, F_PW, "type the new password");
	if (strcmp(j->v[F_PW], j->v[F_PW2]) != 0)
		return fail(f, err, bad, F_PW2, "the two passwords differ: "
			    "type it again");
	return 0;
}

static int details_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct ujob *j = arg;

	for (int id = F_USER; id <= F_DEPT; id++)
		take(f, j, id);
	if (j->kind == J_ADD) {
		if (!username_ok(j->v[F_USER]))
			return fail(f, err, bad, F_USER, "username: 2 to 64 "
				    "letters, digits, '.', '-' or '_'");
		str_set(&j->target, j->v[F_USER]);
	}
	if (!strchr(j->v[F_EMAIL], '@'))
		return fail(f, err, bad, F_EMAIL, "email: an address such as "
			    "name@example.com");
	if (j->kind == J_ADD)
		return check_passwords(f, j, true, err, bad);
	return 0;
}

static void add_form(struct users *u, struct ujob *j)
{
	struct form *f = form_new(u->v.sh, "Add a user (an empty password "
				  "sends an invite code)", details_save,
				  users_job_done, j);

	form_add_user(f, "Username", j->v[F_USER], F_USER);
	form_add_user(f, "Name", j->v[F_NAME], F_NAME);
	form_add_user(f, "Email", j->v[F_EMAIL], F_EMAIL);
	form_add_user(f, "Title", j->v[F_TITLE], F_TITLE);
	form_add_user(f, "Department", j->v[F_DEPT], F_DEPT);
	form_set_secret(f, form_add_user(f, "Password", NULL, F_PW));
	form_set_secret(f, form_add_user(f, "Password again", NULL, F_PW2));
	u->open = j;
	form_open(f);
}

static void edit_form(struct users *u, struct ujob *j)
{
	char *title = xasprintf("Edit %s", j->target);
	struct form *f = form_new(u->v.sh, title, details_save,
				  users_job_done, j);

	free(title);
	form_add_user(f, "Name", j->v[F_NAME], F_NAME);
	form_add_user(f, "Email", j->v[F_EMAIL], F_EMAIL);
	form_add_user(f, "Title", j->v[F_TITLE], F_TITLE);
	form_add_user(f, "Department", j->v[F_DEPT], F_DEPT);
	u->open = j;
	form_open(f);
}

static int reset_save(struct form *f, void *arg, char **err, size_t *bad)
{
	return check_passwords(f, arg, false, err, bad);
}

void users_add(struct users *u)
{
	add_form(u, job_new(u, J_ADD, NULL));
}

void users_edit(struct users *u, const struct uent *e)
{
	struct ujob *j = job_new(u, J_EDIT, e->username);

	j->v[F_NAME] = xstrdup(e->name ? e->name : "");
	j->v[F_EMAIL] = xstrdup(e->email ? e->email : "");
	j->v[F_TITLE] = xstrdup(e->title ? e->title : "");
	j->v[F_DEPT] = xstrdup(e->dept ? e->dept : "");
	edit_form(u, j);
}

void users_reset(struct users *u, const struct uent *e)
{
	if (str_eq(e->username, u->me)) {
		shell_error(u->v.sh, "your own password: press w in your "
			    "profile (P in the Online monitor)");
		return;
	}
	struct ujob *j = job_new(u, J_RESET, e->username);
	char *title = xasprintf("New password for %s (their sessions end)",
				j->target);
	struct form *f = form_new(u->v.sh, title, reset_save, users_job_done,
				  j);

	free(title);
	form_set_secret(f, form_add_user(f, "New password", NULL, F_PW));
	form_set_secret(f, form_add_user(f, "Again", NULL, F_PW2));
	u->open = j;
	form_open(f);
}

/* ---- disable / enable ----------------------------------------------------- */

/* The question's arg is the layer: a dialog that confab's quitting
 * closes does not answer, so nothing else would be left to free. */
static void disable_answer(void *arg, bool yes)
{
	struct users *u = arg;

	if (yes && !u->inflight) {
		struct ujob *j = job_new(u, J_DISABLE, u->ask_user);
		j->disable = u->ask_disable;
		users_submit(u, j);
	}
	free(u->ask_user);
	u->ask_user = NULL;
}

void users_disable(struct users *u, const struct uent *e)
{
	if (str_eq(e->username, u->me)) {
		shell_error(u->v.sh, "you cannot disable your own account");
		return;
	}
	str_set(&u->ask_user, e->username);
	u->ask_disable = !e->disabled;
	char *q = e->disabled ?
		xasprintf("Enable %s again? They can sign in again.",
			  e->username) :
		xasprintf("Disable %s? They are signed out everywhere and "
			  "cannot sign in.", e->username);
	ui_confirm(u->v.sh, q, disable_answer, u);
	free(q);
}
