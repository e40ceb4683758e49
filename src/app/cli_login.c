/* app/cli_login: `confab login`, `confab logout`, `confab whoami`. */
#include "app/app.h"
#include "app/cli.h"
#include "app/session.h"
#include "net/api.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define EXIT_USAGE 2

static int login(struct app *a, int argc, char **argv, struct out *o)
{
	static const struct option lo[] = {
		{ "server", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *server = NULL, *user = NULL, *pwfile = NULL;
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		switch (ch) {
		case 's': server = optarg; break;
		case 'u': user = optarg; break;
		case 'p': pwfile = optarg; break;
		default:
			out_errorf(o, "usage: confab login --server URL --user "
				   "USER [--password-file FILE]");
			return EXIT_USAGE;
		}
	}
	if (!server || !user || optind < argc) {
		out_errorf(o, "usage: confab login --server URL --user USER "
			   "[--password-file FILE]");
		return EXIT_USAGE;
	}
	if (strncmp(server, "http://", 7) && strncmp(server, "https://", 8)) {
		out_errorf(o, "--server takes a URL: http://HOST:PORT or "
			   "https://HOST");
		return EXIT_USAGE;
	}
	char *pw = cli_read_password(pwfile, o), *err = NULL;
	if (!pw)
		return 1;
	struct api api = { .base = server, .proxy = a->cfg.proxy };
	json_t *body = json_pack("{s:s,s:s}", "username", user, "password",
				 pw), *reply = NULL;
	long status;
	int rc = 1;
	memset(pw, 0, strlen(pw));
	free(pw);
	if (api_call(&api, "POST", "/v1/login", body, &status, &reply,
		     &err) < 0) {
		out_errorf(o, "%s", err);
	} else if (status != 200) {
		out_errorf(o, "%s", api_error_message(reply, status));
	} else {
		struct session s;
		if (session_from_login(&s, server, reply) < 0) {
			out_errorf(o, "%s answered without a token", server);
		} else if (session_save(a, &s, &err) < 0) {
			out_errorf(o, "%s", err);
		} else {
			out_printf(o, "signed in to %s as %s%s%s%s\n", server,
				   s.user, s.company ? " (" : "",
				   s.company ? s.company : "",
				   s.company ? ")" : "");
			rc = 0;
		}
		session_free(&s);
	}
	json_decref(body);
	json_decref(reply);
	free(err);
	return rc;
}

static int logout(struct app *a, struct out *o)
{
	struct session s;
	json_t *reply = NULL;
	char *err = NULL;
	long status = 0;
	int rc = session_load(a, &s);

	if (rc == -ENOENT) {
		out_printf(o, "not signed in\n");
		return 0;
	}
	if (rc < 0) {
		out_errorf(o, "the session file is unreadable; removing it");
		session_clear(a);
		return 1;
	}
	struct api api = { .base = s.server, .token = s.token,
			   .proxy = a->cfg.proxy };
	rc = api_call(&api, "POST", "/v1/logout", NULL, &status, &reply, &err);
	session_clear(a);
	if (rc < 0) {
		out_errorf(o, "signed out here, but %s; the session ends there "
			   "when it expires", err);
		rc = 1;
	} else {
		out_printf(o, "signed out of %s\n", s.server);
		rc = 0;	/* a 401: it had ended already */
	}
	json_decref(reply);
	free(err);
	session_free(&s);
	return rc;
}

static int whoami(struct app *a, int argc, char **argv, struct out *o)
{
	struct session s;
	json_t *reply = NULL;
	char *err = NULL;
	long status = 0;
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;

	if (session_load(a, &s) < 0) {
		out_errorf(o, "not signed in (confab login --server URL --user "
			   "USER)");
		return 1;
	}
	struct api api = { .base = s.server, .token = s.token,
			   .proxy = a->cfg.proxy };
	int rc = api_call(&api, "GET", "/v1/me", NULL, &status, &reply, &err);
	if (rc < 0) {
		out_errorf(o, "%s", err);
		rc = 1;
	} else if (status != 200) {
		out_errorf(o, "%s", api_error_message(reply, status));
		rc = 1;
	} else if (json) {
		char *t = json_dumps(reply, JSON_INDENT(2) |
					    JSON_PRESERVE_ORDER);
		out_printf(o, "%s\n", t);
		free(t);
	} else {
		json_t *p = json_object_get(reply, "perms");
		size_t i;
		json_t *v;
		out_printf(o, "%s on %s (%s)\npermissions:",
			   json_string_value(json_object_get(reply,
							     "username")),
			   s.server, json_string_value(json_object_get(
				   json_object_get(reply, "company"), "name")));
		json_array_foreach(p, i, v)
			out_printf(o, " %s", json_string_value(v));
		out_printf(o, "\n");
	}
	json_decref(reply);
	free(err);
	session_free(&s);
	return rc;
}

int cli_login_run(struct app *a, int argc, char **argv, struct out *o)
{
	if (strcmp(argv[0], "logout") == 0)
		return logout(a, o);
	if (strcmp(argv[0], "whoami") == 0)
		return whoami(a, argc, argv, o);
	return login(a, argc, argv, o);
}
