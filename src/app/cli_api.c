/* app/cli_api: what the signed-in CLI commands share: a call to the
 * server with the session, passwords from a file or the terminal, JSON
 * output. */
#include "app/app.h"
#include "app/cli.h"
#include "app/session.h"
#include "net/api.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* GET/POST on the signed-in server; prints the error and returns the
 * exit status when it fails (0 with *reply set when it worked). */
int cli_api_call(struct app *a, const char *method, const char *path,
		 json_t *body, json_t **reply, struct out *o)
{
	struct session s;
	char *err = NULL;
	long status = 0;

	*reply = NULL;
	if (session_load(a, &s) < 0) {
		out_errorf(o, "not signed in (confab login --server URL --user "
			   "USER)");
		return 1;
	}
	/* long enough for a photo upload on a slow link */
	struct api api = { .base = s.server, .token = s.token,
			   .proxy = a->cfg.proxy,
			   .timeout_ms = 60000 };
	int rc = api_call(&api, method, path, body, &status, reply, &err);
	if (rc < 0) {
		out_errorf(o, "%s", err);
		rc = 1;
	} else if (status >= 300) {
		out_errorf(o, "%s", api_error_message(*reply, status));
		json_decref(*reply);
		*reply = NULL;
		rc = 1;
	}
	free(err);
	session_free(&s);
	return rc;
}

void cli_print_json(struct out *o, json_t *j)
{
	char *t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	out_printf(o, "%s\n", t ? t : "null");
	free(t);
}

/* The first line of `path` ("-": stdin); with no path, asked on the
 * terminal without echo. */
char *cli_read_password(const char *path, struct out *o)
{
	char line[1100];
	FILE *f;

	if (!path && !isatty(0)) {
		out_errorf(o, "give --password-file (no terminal to ask on)");
		return NULL;
	}
	if (!path) {
		struct termios t, quiet;
		fprintf(stderr, "Password: ");
		fflush(stderr);
		tcgetattr(0, &t);
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
		bool got = fgets(line, sizeof line, stdin) != NULL;
		tcsetattr(0, TCSAFLUSH, &t);
		fputc('\n', stderr);
		if (!got)
			return NULL;
	} else {
		f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
		if (!f) {
			out_errorf(o, "%s: %s", path, strerror(errno));
			return NULL;
		}
		bool got = fgets(line, sizeof line, f) != NULL;
		if (f != stdin)
			fclose(f);
		if (!got) {
			out_errorf(o, "%s: no password in it", path);
			return NULL;
		}
	}
	line[strcspn(line, "\r\n")] = '\0';
	return xstrdup(line);
}
