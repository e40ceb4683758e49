/* views/signin: signing in and out, the first start of a new server, and
 * "forgotten your password?".
 *
 * Forms check what they can locally (a URL, a username, matching new
 * passwords), then close and send the request on the loop; an answer that
 * refuses reopens the form with what was typed (never the password) and
 * the server's reason.
 */
#include "views/form.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

enum { S_SERVER, S_USER, S_PASSWORD };
enum { N_COMPANY, N_USER, N_NAME, N_EMAIL, N_PASSWORD, N_AGAIN };
enum { R_CODE, R_PASSWORD, R_AGAIN };

/* What was typed, kept to reopen a refused form. */
struct typed {
	struct shell *sh;
	char *server;
	char *v[6];
	char *password;		/* wiped when done */
	char *error;
};

static void typed_free(struct typed *t)
{
	if (!t)
		return;
	free(t->server);
	for (int i = 0; i < 6; i++)
		free(t->v[i]);
	if (t->password) {
		memset(t->password, 0, strlen(t->password));
		free(t->password);
	}
	free(t->error);
	free(t);
}

static int fail(char **err, size_t *bad, size_t row, const char *msg)
{
	*err = xstrdup(msg);
	*bad = row;
	return -1;
}

static bool url_ok(const char *s)
{
	return (strncmp(s, "http://", 7) == 0 && s[7]) ||
	       (strncmp(s, "https://", 8) == 0 && s[8]);
}

/* The server to offer: the session's, the configured one, or a guess. */
static const char *default_server(struct shell *sh)
{
	struct online *o = shell_online(sh);
	const struct app *a = shell_app(sh);

	if (o->s.server)
		return o->s.server;
	if (a->cfg.server)
		return a->cfg.server;
	return "http://127.0.0.1:8740";
}

/* ---- sign in ------------------------------------------------------------------ */

static void open_form(struct shell *sh, const struct typed *t);
static void setup_offer(struct shell *sh, const char *server);

static void signed_in(void *arg, const char *err)
{
	struct typed *t = arg;

	if (err) {
		str_set(&t->error, err);
		open_form(t->sh, t);
		shell_error(t->sh, "%s", err);
	} else {
		struct online *o = shell_online(t->sh);
		shell_message(t->sh, "Signed in to %s as %s%s%s%s", t->server,
			      o->s.user, o->s.company ? " (" : "",
			      o->s.company ? o->s.company : "",
			      o->s.company ? ")" : "");
	}
	typed_free(t);
}

static int signin_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct typed *t = arg;
	char *server = str_trim(form_text(f, S_SERVER));
	char *user = str_trim(form_text(f, S_USER));
	char *pw = form_text(f, S_PASSWORD);
	int rc = 0;

	if (!url_ok(server))
		rc = fail(err, bad, S_SERVER, "the server is a URL: "
			  "http://HOST:PORT or https://HOST");
	else if (!*user)
		rc = fail(err, bad, S_USER, "give your username");
	else if (!*pw)
		rc = fail(err, bad, S_PASSWORD, "give your password");
	if (rc == 0) {
		struct typed *go = xcalloc(1, sizeof *go);
		size_t n = strlen(server);
		while (n > 8 && server[n - 1] == '/')
			server[--n] = '\0';
		go->sh = t->sh;
		go->server = xstrdup(server);
		go->v[S_USER] = xstrdup(user);
		shell_message(t->sh, "Signing in to %s...", server);
		online_sign_in(shell_online(t->sh), server, user, pw, signed_in,
			       go);
	}
	explicit_bzero(pw, strlen(pw));
	free(pw);
	free(server);
	free(user);
	return rc;
}

static void form_closed(void *arg, bool saved)
{
	typed_free(arg);
}

static void open_form(struct shell *sh, const struct typed *prev)
{
	struct typed *t = xcalloc(1, sizeof *t);
	struct form *f;

	t->sh = sh;
	f = form_new(sh, "Sign in to a confab server", signin_save,
		     form_closed, t);
	form_add(f, "Server", prev && prev->server ? prev->server :
		 default_server(sh));
	form_add(f, "Username", prev ? prev->v[S_USER] :
		 shell_online(sh)->s.user);
	form_add(f, "Password", "");
	form_set_secret(f, S_PASSWORD);
	form_open(f);
}

/* GET /v1/setup first: a server without a company is offered for setup
 * instead of a sign-in that cannot work. */
struct probe {
	struct shell *sh;
	char *server;
	bool quiet;	/* at start: only speak when there is news */
};

static void probed(void *arg, json_t *reply, const char *err)
{
	struct probe *p = arg;

	if (!err && json_is_true(json_object_get(reply, "needed")) &&
	    json_is_true(json_object_get(reply, "here")))
		setup_offer(p->sh, p->server);
	else if (!p->quiet)
		open_form(p->sh, NULL);
	free(p->server);
	free(p);
}

static void probe_done(void *arg, long status, json_t *reply,
		       const char *err)
{
	if (!err && status >= 400)
		err = "no setup here";
	probed(arg, reply, err);
}

static void probe(struct shell *sh, const char *server, bool quiet)
{
	struct probe *p = xcalloc(1, sizeof *p);
	struct api a = { .base = server, .timeout_ms = 3000,
			 .proxy = shell_app(sh)->cfg.proxy };

	p->sh = sh;
	p->server = xstrdup(server);
	p->quiet = quiet;
	if (anet_request(shell_online(sh)->net, &a, "GET", "/v1/setup", NULL,
			 probe_done, p) < 0)
		probed(p, NULL, "cannot start a request");
}

void signin_open(struct shell *sh)
{
	probe(sh, default_server(sh), false);
}

void signin_first_start(struct shell *sh)
{
	const struct app *a = shell_app(sh);

	if (!online_signed_in(shell_online(sh)) && a->cfg.server)
		probe(sh, a->cfg.server, true);
}

/* ---- sign out ----------------------------------------------------------------- */

static void signed_out(void *arg, const char *err)
{
	struct shell *sh = arg;

	if (err)
		shell_error(sh, "Signed out here, but the server did not hear "
			    "it (%s); the session ends there when it expires",
			    err);
	else
		shell_message(sh, "Signed out");
}

static void signout_answer(void *arg, bool yes)
{
	struct shell *sh = arg;

	if (yes)
		online_sign_out(shell_online(sh), signed_out, sh);
}

void signout_ask(struct shell *sh)
{
	struct online *o = shell_online(sh);

	if (!online_signed_in(o)) {
		shell_message(sh, "Not signed in");
		return;
	}
	char *q = xasprintf("Sign out of %s? Your local data stays here.",
			    o->s.server);
	ui_confirm(sh, q, signout_answer, sh);
	free(q);
}

/* ---- first start: the company and its first admin ------------------------------- */

static void open_setup(struct shell *sh, const struct typed *prev);

static void set_up(void *arg, long status, json_t *reply, const char *err)
{
	struct typed *t = arg;
	struct session s;
	char *serr = NULL;

	if (!err && status >= 400)
		err = api_error_message(reply, status);
	if (!err && session_from_login(&s, t->server, reply) < 0)
		err = "the server answered without a session";
	else if (!err) {
		if (session_save(shell_app(t->sh), &s, &serr) == 0)
			online_restart(shell_online(t->sh));
		session_free(&s);
		err = serr;
	}
	if (err) {
		open_setup(t->sh, t);
		shell_error(t->sh, "%s", err);
	} else {
		shell_message(t->sh, "%s is ready, and you are its admin. Press "
			      "U to add your colleagues.", t->v[N_COMPANY]);
	}
	free(serr);
	typed_free(t);
}

static int setup_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct typed *t = arg;
	char *v[6];
	int rc = 0;

	for (int i = 0; i < 6; i++)
		v[i] = i >= N_PASSWORD ? form_text(f, (size_t)i) :
					 str_trim(form_text(f, (size_t)i));
	if (!*v[N_COMPANY])
		rc = fail(err, bad, N_COMPANY, "give the company's name");
	else if (!*v[N_USER] || strchr(v[N_USER], ' '))
		rc = fail(err, bad, N_USER, "a username: letters, digits, "
			  "'.', '-' or '_', no spaces");
	else if (!strchr(v[N_EMAIL], '@'))
		rc = fail(err, bad, N_EMAIL, "give your email address");
	else if (strlen(v[N_PASSWORD]) < 8)
		rc = fail(err, bad, N_PASSWORD, "a password has at least 8 "
			  "characters");
	else if (strcmp(v[N_PASSWORD], v[N_AGAIN]))
		rc = fail(err, bad, N_AGAIN, "the two passwords differ");
	if (rc == 0) {
		struct typed *go = xcalloc(1, sizeof *go);
		struct api a = { .base = t->server,
				 .proxy = shell_app(t->sh)->cfg.proxy };
		go->sh = t->sh;
		go->server = xstrdup(t->server);
		for (int i = 0; i < N_PASSWORD; i++)
			go->v[i] = xstrdup(v[i]);
		json_t *b = json_pack("{s:s,s:s,s:s,s:s,s:s}", "company",
				      v[N_COMPANY], "username", v[N_USER],
				      "name", v[N_NAME], "email", v[N_EMAIL],
				      "password", v[N_PASSWORD]);
		shell_message(t->sh, "Creating %s...", v[N_COMPANY]);
		if (anet_request(shell_online(t->sh)->net, &a, "POST",
				 "/v1/setup", b, set_up, go) < 0)
			set_up(go, 0, NULL, "cannot start a request");
		json_decref(b);
	}
	for (int i = 0; i < 6; i++) {
		if (i >= N_PASSWORD)
			explicit_bzero(v[i], strlen(v[i]));
		free(v[i]);
	}
	return rc;
}

static void open_setup(struct shell *sh, const struct typed *prev)
{
	static const char *const labels[] = {
		"Company name", "Your username", "Your full name", "Your email",
		"Password", "Password again",
	};
	struct typed *t = xcalloc(1, sizeof *t);
	struct form *f;

	t->sh = sh;
	t->server = xstrdup(prev->server);
	char *title = xasprintf("New confab server at %s: create the company "
				"and its first admin", prev->server);
	f = form_new(sh, title, setup_save, form_closed, t);
	free(title);
	for (int i = 0; i < 6; i++)
		form_add(f, labels[i], i < N_PASSWORD ? prev->v[i] : "");
	form_set_secret(f, N_PASSWORD);
	form_set_secret(f, N_AGAIN);
	form_open(f);
}

static void setup_answer(void *arg, bool yes)
{
	struct typed *t = arg;

	if (yes)
		open_setup(t->sh, t);
	else
		shell_message(t->sh, "You can set it up later: press L in the "
			      "Online monitor (tab 2)");
	typed_free(t);
}

static void setup_offer(struct shell *sh, const char *server)
{
	struct typed *t = xcalloc(1, sizeof *t);

	t->sh = sh;
	t->server = xstrdup(server);
	char *q = xasprintf("The confab server at %s is new. Create your "
			    "company and its first admin now?", server);
	ui_confirm(sh, q, setup_answer, t);
	free(q);
}

/* ---- forgotten password --------------------------------------------------------- */

static void reset_confirmed(void *arg, long status, json_t *reply,
			    const char *err);

static void open_code_form(struct shell *sh, const char *server,
			   const char *code);

static int code_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct typed *t = arg;
	char *code = str_trim(form_text(f, R_CODE));
	char *pw = form_text(f, R_PASSWORD), *again = form_text(f, R_AGAIN);
	int rc = 0;

	if (!*code)
		rc = fail(err, bad, R_CODE, "give the code from the mail (or "
			  "from your admin)");
	else if (strlen(pw) < 8)
		rc = fail(err, bad, R_PASSWORD, "a password has at least 8 "
			  "characters");
	else if (strcmp(pw, again))
		rc = fail(err, bad, R_AGAIN, "the two passwords differ");
	if (rc == 0) {
		struct typed *go = xcalloc(1, sizeof *go);
		struct api a = { .base = t->server,
				 .proxy = shell_app(t->sh)->cfg.proxy };
		go->sh = t->sh;
		go->server = xstrdup(t->server);
		go->v[R_CODE] = xstrdup(code);
		json_t *b = json_pack("{s:s,s:s}", "code", code, "new_password",
				      pw);
		if (anet_request(shell_online(t->sh)->net, &a, "POST",
				 "/v1/password/reset/confirm", b,
				 reset_confirmed, go) < 0)
			reset_confirmed(go, 0, NULL, "cannot start a request");
		json_decref(b);
	}
	explicit_bzero(pw, strlen(pw));
	explicit_bzero(again, strlen(again));
	free(pw);
	free(again);
	free(code);
	return rc;
}

static void reset_confirmed(void *arg, long status, json_t *reply,
			    const char *err)
{
	struct typed *t = arg;

	if (!err && status >= 400)
		err = api_error_message(reply, status);
	if (err) {
		open_code_form(t->sh, t->server, t->v[R_CODE]);
		shell_error(t->sh, "%s", err);
	} else {
		shell_message(t->sh, "Your password is changed: sign in with it "
			      "now");
		struct typed prev = { .server = t->server };
		open_form(t->sh, &prev);
	}
	typed_free(t);
}

static void open_code_form(struct shell *sh, const char *server,
			   const char *code)
{
	struct typed *t = xcalloc(1, sizeof *t);
	struct form *f;

	t->sh = sh;
	t->server = xstrdup(server);
	f = form_new(sh, "Reset your password: the code you were sent, and a "
		     "new password", code_save, form_closed, t);
	form_add(f, "Code", code);
	form_add(f, "New password", "");
	form_add(f, "New password again", "");
	form_set_secret(f, R_PASSWORD);
	form_set_secret(f, R_AGAIN);
	form_open(f);
}

static void reset_requested(void *arg, long status, json_t *reply,
			    const char *err)
{
	struct typed *t = arg;

	if (!err && status >= 400)
		err = api_error_message(reply, status);
	if (err) {
		shell_error(t->sh, "%s", err);
	} else {
		open_code_form(t->sh, t->server, "");
		shell_message(t->sh, "If that account exists, a code is on its "
			      "way by mail (or ask your admin for one)");
	}
	typed_free(t);
}

static void reset_who(void *arg, const char *text)
{
	struct typed *t = arg;

	if (!text || !*text) {
		typed_free(t);
		return;
	}
	struct api a = { .base = t->server,
			 .proxy = shell_app(t->sh)->cfg.proxy };
	json_t *b = json_pack("{s:s}", "user", text);
	if (anet_request(shell_online(t->sh)->net, &a, "POST",
			 "/v1/password/reset", b, reset_requested, t) < 0)
		reset_requested(t, 0, NULL, "cannot start a request");
	json_decref(b);
}

void password_reset_open(struct shell *sh, const char *server)
{
	struct typed *t = xcalloc(1, sizeof *t);

	t->sh = sh;
	t->server = xstrdup(server ? server : default_server(sh));
	ui_prompt(sh, "Forgotten your password? Your username or email:", "",
		  reset_who, t);
}
