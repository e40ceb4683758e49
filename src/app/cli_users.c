/* app/cli_users: `confab users …`, user admin on the command line (the
 * same API and rules as the TUI's user admin screen). */
#include "app/app.h"
#include "app/cli.h"
#include "common/str.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static const char usage[] =
	"usage: confab users list|add|edit|perms|disable|enable|password ...\n"
	"(confab help users)\n";

struct uopts {
	const char *email, *name, *title, *dept, *pwfile;
	bool invite, all, json;
	json_t *perms;
	char **pos;
	int npos;
};

static int parse(int argc, char **argv, struct uopts *u, struct out *o)
{
	static const struct option lo[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "title", required_argument, NULL, 't' },
		{ "department", required_argument, NULL, 'd' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "perm", required_argument, NULL, 'P' },
		{ "invite", no_argument, NULL, 'i' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		switch (ch) {
		case 'e': u->email = optarg; break;
		case 'n': u->name = optarg; break;
		case 't': u->title = optarg; break;
		case 'd': u->dept = optarg; break;
		case 'p': u->pwfile = optarg; break;
		case 'i': u->invite = true; break;
		case 'a': u->all = true; break;
		case 'j': u->json = true; break;
		case 'P':
			if (!u->perms)
				u->perms = json_array();
			json_array_append_new(u->perms, json_string(optarg));
			break;
		default:
			out_errorf(o, "%s", usage);
			return EXIT_USAGE;
		}
	}
	u->pos = argv + optind;
	u->npos = argc - optind;
	return 0;
}

static char *user_path(const char *user)
{
	char *e = curl_easy_escape(NULL, user, 0);
	char *p = xasprintf("/v1/users/%s", e);

	curl_free(e);
	return p;
}

static const char *s_of(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static int list(struct app *a, struct uopts *u, struct out *o)
{
	json_t *reply, *v, *p;
	size_t i, k;
	int rc = cli_api_call(a, "GET", u->all ? "/v1/users?all=1" :
			      "/v1/users", NULL, &reply, o);

	if (rc)
		return rc;
	json_t *users = json_object_get(reply, "users");
	if (u->json) {
		cli_print_json(o, users);
	} else {
		json_array_foreach(users, i, v) {
			struct sbuf b;
			sbuf_init(&b);
			json_array_foreach(json_object_get(v, "perms"), k, p)
				sbuf_printf(&b, "%s%s", k ? "," : "",
					    json_string_value(p));
			out_printf(o, "%s\t%s\t%s\t%s%s\n", s_of(v, "username"),
				   s_of(v, "name"), s_of(v, "email"),
				   sbuf_str(&b), json_is_true(json_object_get(
					   v, "disabled")) ? "\tdisabled" : "");
			sbuf_free(&b);
		}
	}
	json_decref(reply);
	return 0;
}

static void set_opt(json_t *b, const char *k, const char *v)
{
	if (v)
		json_object_set_new(b, k, json_string(v));
}

static int add(struct app *a, struct uopts *u, struct out *o)
{
	json_t *reply, *b;
	char *pw = NULL;
	int rc;

	if (u->npos != 1 || !u->email || (u->invite && u->pwfile)) {
		out_errorf(o, "users add takes USER and --email, and either "
			   "--password-file or --invite\n%s", usage);
		return EXIT_USAGE;
	}
	if (!u->invite && !(pw = cli_read_password(u->pwfile, o)))
		return 1;
	b = json_pack("{s:s,s:s}", "username", u->pos[0], "email", u->email);
	set_opt(b, "name", u->name);
	set_opt(b, "title", u->title);
	set_opt(b, "department", u->dept);
	set_opt(b, "password", pw);
	if (u->invite)
		json_object_set_new(b, "invite", json_true());
	if (u->perms)
		json_object_set(b, "perms", u->perms);
	rc = cli_api_call(a, "POST", "/v1/users", b, &reply, o);
	if (rc == 0) {
		const char *code = s_of(reply, "invite_code");
		const char *to = s_of(reply, "invite_mailed_to");
		out_printf(o, "user %s added\n", u->pos[0]);
		if (*code)
			out_printf(o, "invite code: %s (give it to %s: confab, "
				   "tab 2, F)\n", code, u->pos[0]);
		else if (*to)
			out_printf(o, "invite code mailed to %s\n", to);
	}
	if (pw) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	json_decref(b);
	json_decref(reply);
	return rc;
}

/* PATCH /v1/users/USER with body b; prints `done` when it worked. */
static int patch(struct app *a, const char *user, json_t *b, const char *done,
		 struct out *o)
{
	char *path = user_path(user);
	json_t *reply;
	int rc = cli_api_call(a, "PATCH", path, b, &reply, o);

	if (rc == 0)
		out_printf(o, "%s %s\n", user, done);
	json_decref(reply);
	json_decref(b);
	free(path);
	return rc;
}

static int edit(struct app *a, struct uopts *u, const char *sub,
		struct out *o)
{
	json_t *b = json_object();

	if (u->npos != 1) {
		json_decref(b);
		out_errorf(o, "users %s takes one USER\n%s", sub, usage);
		return EXIT_USAGE;
	}
	if (strcmp(sub, "edit") == 0) {
		set_opt(b, "name", u->name);
		set_opt(b, "email", u->email);
		set_opt(b, "title", u->title);
		set_opt(b, "department", u->dept);
		if (!json_object_size(b)) {
			json_decref(b);
			out_errorf(o, "users edit: nothing to change\n%s",
				   usage);
			return EXIT_USAGE;
		}
		return patch(a, u->pos[0], b, "changed", o);
	}
	if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) {
		json_object_set_new(b, "disabled", json_boolean(sub[0] == 'd'));
		return patch(a, u->pos[0], b, sub[0] == 'd' ? "disabled" :
			     "enabled", o);
	}
	/* password */
	char *pw = cli_read_password(u->pwfile, o);
	if (!pw) {
		json_decref(b);
		return 1;
	}
	json_object_set_new(b, "password", json_string(pw));
	explicit_bzero(pw, strlen(pw));
	free(pw);
	return patch(a, u->pos[0], b, "has a new password (their sessions "
		     "ended)", o);
}

/* perms USER [P,P...]: set exactly these (none given: none) */
static int perms(struct app *a, struct uopts *u, struct out *o)
{
	json_t *arr = json_array();

	if (u->npos < 1 || u->npos > 2) {
		json_decref(arr);
		out_errorf(o, "users perms takes USER and a comma-separated "
			   "list\n%s", usage);
		return EXIT_USAGE;
	}
	if (u->npos == 2) {
		char *list = xstrdup(u->pos[1]), *save, *t;
		for (t = strtok_r(list, ", ", &save); t;
		     t = strtok_r(NULL, ", ", &save))
			json_array_append_new(arr, json_string(t));
		free(list);
	}
	return patch(a, u->pos[0], json_pack("{s:o}", "perms", arr),
		     "has new permissions", o);
}

int cli_users_run(struct app *a, int argc, char **argv, struct out *o)
{
	struct uopts u = { 0 };
	int rc;

	if (argc < 2) {
		out_errorf(o, "%s", usage);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	if ((rc = parse(argc - 1, argv + 1, &u, o)) != 0)
		return rc;
	if (strcmp(sub, "list") == 0)
		rc = list(a, &u, o);
	else if (strcmp(sub, "add") == 0)
		rc = add(a, &u, o);
	else if (strcmp(sub, "perms") == 0)
		rc = perms(a, &u, o);
	else if (strcmp(sub, "edit") == 0 || strcmp(sub, "disable") == 0 ||
		 strcmp(sub, "enable") == 0 || strcmp(sub, "password") == 0)
		rc = edit(a, &u, sub, o);
	else {
		out_errorf(o, "unknown users command '%s'\n%s", sub, usage);
		rc = EXIT_USAGE;
	}
	json_decref(u.perms);
	return rc;
}
