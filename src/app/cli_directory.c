/* app/cli_directory: `confab directory`, `presence`, `profile` (show,
 * and set: your details, phones and preferences), `monitor` and `events`
 * — the signed-in commands on the company. */
#include "app/app.h"
#include "app/cli.h"
#include "app/session.h"
#include "net/api.h"
#include "common/str.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static const char *str_of(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}


static bool want_json(int argc, char **argv, int *npos, char **pos)
{
	bool json = false;

	*npos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else
			pos[(*npos)++] = argv[i];
	}
	return json;
}

/* directory search TEXT [--json] */
static int directory(struct app *a, int argc, char **argv, struct out *o)
{
	char *pos[8];
	int npos;
	json_t *reply;

	if (argc < 2 || strcmp(argv[1], "search") != 0 || argc > 9) {
		out_errorf(o, "usage: confab directory search [TEXT] [--json]");
		return EXIT_USAGE;
	}
	bool json = want_json(argc - 1, argv + 1, &npos, pos);
	char *esc = npos ? curl_easy_escape(NULL, pos[0], 0) : NULL;
	char *path = esc ? xasprintf("/v1/users?q=%s", esc) :
			   xstrdup("/v1/users");
	curl_free(esc);
	int rc = cli_api_call(a, "GET", path, NULL, &reply, o);
	free(path);
	if (rc)
		return rc;
	json_t *users = json_object_get(reply, "users"), *u;
	size_t i;
	if (json) {
		cli_print_json(o, users);
	} else {
		json_array_foreach(users, i, u) {
			json_t *p = json_object_get(u, "presence");
			out_printf(o, "%s\t%s\t%s\t%s\t%s%s%s\n", str_of(u,
				   "username"), str_of(u, "name"),
				   str_of(u, "email"), str_of(u, "department"),
				   str_of(p, "state"), *str_of(p, "note") ?
				   "\t" : "", str_of(p, "note"));
		}
	}
	json_decref(reply);
	return 0;
}

/* presence set online|away|busy|dnd|offline [NOTE] */
static int presence(struct app *a, int argc, char **argv, struct out *o)
{
	json_t *reply, *body;

	if (argc < 3 || argc > 4 || strcmp(argv[1], "set") != 0) {
		out_errorf(o, "usage: confab presence set "
			   "online|away|busy|dnd|offline [NOTE]");
		return EXIT_USAGE;
	}
	body = json_pack("{s:s,s:s?}", "state", argv[2], "note",
			 argc > 3 ? argv[3] : NULL);
	int rc = cli_api_call(a, "POST", "/v1/presence", body, &reply, o);
	json_decref(body);
	if (rc == 0)
		out_printf(o, "%s%s%s\n", str_of(reply, "state"),
			   *str_of(reply, "note") ? ": " : "",
			   str_of(reply, "note"));
	json_decref(reply);
	return rc;
}

/* A profile as `profile show` and `profile set` print it. */
static void print_profile(struct out *o, json_t *reply)
{
	json_t *p = json_object_get(reply, "presence"), *v, *e;
	json_t *prefs = json_object_get(reply, "prefs");
	size_t i, k;

	out_printf(o, "Username:    %s\n", str_of(reply, "username"));
	if (*str_of(reply, "name"))
		out_printf(o, "Name:        %s\n", str_of(reply, "name"));
	if (*str_of(reply, "title"))
		out_printf(o, "Title:       %s\n", str_of(reply, "title"));
	if (*str_of(reply, "department"))
		out_printf(o, "Department:  %s\n", str_of(reply, "department"));
	out_printf(o, "Email:       %s\n", str_of(reply, "email"));
	json_array_foreach(json_object_get(reply, "phones"), i, v)
		out_printf(o, "Phone:       %s %s%s%s%s\n", str_of(v, "label"),
			   str_of(v, "number"), *str_of(v, "e164") ? " (" : "",
			   str_of(v, "e164"), *str_of(v, "e164") ? ")" : "");
	if (json_object_get(reply, "company"))
		out_printf(o, "Company:     %s\n", str_of(json_object_get(
				   reply, "company"), "name"));
	if (p)
		out_printf(o, "Presence:    %s%s%s\n", str_of(p, "state"),
			   *str_of(p, "note") ? " — " : "", str_of(p, "note"));
	out_printf(o, "Permissions:");
	json_array_foreach(json_object_get(reply, "perms"), i, v)
		out_printf(o, " %s", json_string_value(v));
	out_printf(o, "\n");
	if (json_is_boolean(json_object_get(reply, "photo")))
		out_printf(o, "Photo:       %s\n", json_is_true(
			   json_object_get(reply, "photo")) ? "yes" : "no");
	/* preferences: only in your own profile */
	if ((v = json_object_get(prefs, "notifications")))
		out_printf(o, "Notifications: %s\n", json_is_true(v) ? "yes" :
			   "no");
	if ((v = json_object_get(prefs, "auto_away")))
		out_printf(o, "Auto-away:   %lld minutes\n",
			   (long long)json_integer_value(v));
	if ((v = json_object_get(prefs, "timezone")))
		out_printf(o, "Time zone:   %s\n", json_string_value(v));
	if ((v = json_object_get(prefs, "country")))
		out_printf(o, "Country:     %s\n", json_string_value(v));
	if ((v = json_object_get(prefs, "markets"))) {
		out_printf(o, "Markets:    ");
		json_array_foreach(v, k, e)
			out_printf(o, "%s%s", k ? ", " : " ",
				   json_string_value(e));
		out_printf(o, "%s\n", json_array_size(v) ? "" : " none");
	}
	if ((v = json_object_get(prefs, "regions"))) {
		out_printf(o, "Regions:    ");
		json_array_foreach(v, k, e)
			out_printf(o, "%s%s", k ? ", " : " ",
				   json_string_value(e));
		out_printf(o, "%s\n", json_array_size(v) ? "" : " none");
	}
}

/* The signed-in user's profile path, "/v1/users/NAME", or NULL (error
 * printed).  New string. */
static char *own_path(struct app *a, struct out *o)
{
	struct session s;

	if (session_load(a, &s) < 0) {
		out_errorf(o, "not signed in (confab login --server URL --user "
			   "USER)");
		return NULL;
	}
	char *esc = curl_easy_escape(NULL, s.user, 0);
	char *path = xasprintf("/v1/users/%s", esc);
	curl_free(esc);
	session_free(&s);
	return path;
}

/* Append v to the array `key` of obj (made on first use); "" makes it
 * an empty list. */
static void list_add(json_t *obj, const char *key, json_t *v, bool empty)
{
	json_t *arr = json_object_get(obj, key);

	if (!arr) {
		arr = json_array();
		json_object_set_new(obj, key, arr);
	}
	if (!empty)
		json_array_append_new(arr, v);
	else
		json_decref(v);
}

static const char profile_set_usage[] =
	"usage: confab profile set [--name N] [--title T] [--department D] "
	"[--email E] [--phone LABEL=NUMBER]... [--notifications yes|no] "
	"[--auto-away MIN] [--timezone TZ] [--country CC] [--market M]... "
	"[--region R]...";

/* profile set OPTION VALUE...: PATCH /v1/users/YOU with what is given. */
static int profile_set(struct app *a, int argc, char **argv, struct out *o)
{
	static const char *const plain[][2] = {
		{ "--name", "name" }, { "--title", "title" },
		{ "--department", "department" }, { "--email", "email" },
	};
	json_t *body = json_object(), *prefs = json_object(), *reply = NULL;
	int rc = 0;

	for (int i = 2; i < argc && !rc; i += 2) {
		const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] :
							       NULL;
		size_t k = 0;
		while (k < 4 && strcmp(opt, plain[k][0]) != 0)
			k++;
		if (!v) {
			rc = EXIT_USAGE;
		} else if (k < 4) {
			json_object_set_new(body, plain[k][1], json_string(v));
		} else if (strcmp(opt, "--phone") == 0) {
			const char *eq = strchr(v, '=');
			char *label = eq ? xstrndup(v, (size_t)(eq - v)) : NULL;
			list_add(body, "phones", json_pack("{s:s?,s:s}",
				 "label", label && *label ? label : NULL,
				 "number", eq ? eq + 1 : v), !*v);
			free(label);
		} else if (strcmp(opt, "--notifications") == 0) {
			bool yes = str_ieq(v, "yes") || str_ieq(v, "on") ||
				   str_ieq(v, "true");
			if (!yes && !str_ieq(v, "no") && !str_ieq(v, "off") &&
			    !str_ieq(v, "false")) {
				out_errorf(o, "--notifications: yes or no");
				rc = EXIT_USAGE;
			}
			json_object_set_new(prefs, "notifications",
					    json_boolean(yes));
		} else if (strcmp(opt, "--auto-away") == 0) {
			char *end;
			errno = 0;
			long long m = strtoll(v, &end, 10);
			if (!*v || *end || errno) {
				out_errorf(o, "--auto-away: a number of minutes "
					   "(0: never)");
				rc = EXIT_USAGE;
			}
			json_object_set_new(prefs, "auto_away",
					    json_integer(m));
		} else if (strcmp(opt, "--timezone") == 0) {
			json_object_set_new(prefs, "timezone", json_string(v));
		} else if (strcmp(opt, "--country") == 0) {
			json_object_set_new(prefs, "country", json_string(v));
		} else if (strcmp(opt, "--market") == 0) {
			list_add(prefs, "markets", json_string(v), !*v);
		} else if (strcmp(opt, "--region") == 0) {
			list_add(prefs, "regions", json_string(v), !*v);
		} else {
			rc = EXIT_USAGE;
		}
	}
	if (json_object_size(prefs))
		json_object_set(body, "prefs", prefs);
	char *path = NULL;
	if (rc || !json_object_size(body)) {
		out_errorf(o, "%s", profile_set_usage);
		rc = EXIT_USAGE;
	} else if (!(path = own_path(a, o))) {
		rc = 1;
	} else if ((rc = cli_api_call(a, "PATCH", path, body, &reply, o)) ==
		   0) {
		print_profile(o, reply);
	}
	free(path);
	json_decref(reply);
	json_decref(prefs);
	json_decref(body);
	return rc;
}

/* profile show [USER] [--json] | set … | photo … */
static int profile(struct app *a, int argc, char **argv, struct out *o)
{
	char *pos[4];
	int npos;
	json_t *reply;

	if (argc >= 2 && strcmp(argv[1], "photo") == 0)
		return cli_profile_photo(a, argc - 1, argv + 1, o);
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return profile_set(a, argc, argv, o);
	if (argc < 2 || strcmp(argv[1], "show") != 0 || argc > 5) {
		out_errorf(o, "usage: confab profile show [USER] [--json] | "
			   "set OPTIONS | photo FILE|--remove|--show [USER]");
		return EXIT_USAGE;
	}
	bool json = want_json(argc - 1, argv + 1, &npos, pos);
	char *path;
	if (npos) {
		char *esc = curl_easy_escape(NULL, pos[0], 0);
		path = xasprintf("/v1/users/%s", esc);
		curl_free(esc);
	} else if (!(path = own_path(a, o))) {	/* with phones and prefs */
		return 1;
	}
	int rc = cli_api_call(a, "GET", path, NULL, &reply, o);
	free(path);
	if (rc)
		return rc;
	if (json)
		cli_print_json(o, reply);
	else
		print_profile(o, reply);
	json_decref(reply);
	return 0;
}

/* monitor list [--json] | request USER [MESSAGE] | accept USER |
 * decline USER | remove USER */
static int monitor(struct app *a, int argc, char **argv, struct out *o)
{
	const char *sub = argc > 1 ? argv[1] : "list";
	json_t *reply = NULL, *body = NULL;
	int rc;

	if (strcmp(sub, "list") == 0) {
		bool json = argc > 2 && strcmp(argv[2], "--json") == 0;
		if ((rc = cli_api_call(a, "GET", "/v1/monitor", NULL, &reply, o)))
			return rc;
		if (json) {
			cli_print_json(o, reply);
		} else {
			json_t *v;
			size_t i;
			json_array_foreach(json_object_get(reply, "watching"),
					   i, v) {
				json_t *p = json_object_get(v, "presence");
				out_printf(o, "%s\t%s\t%s%s%s\n",
					   str_of(v, "username"), str_of(v,
					   "name"), p ? str_of(p, "state") :
					   str_of(v, "status"), p && *str_of(p,
					   "note") ? "\t" : "", p ? str_of(p,
					   "note") : "");
			}
			json_array_foreach(json_object_get(reply, "requests"),
					   i, v)
				out_printf(o, "%s\t%s\tasks to add you%s%s\n",
					   str_of(v, "username"), str_of(v,
					   "name"), *str_of(v, "message") ?
					   ": " : "", str_of(v, "message"));
		}
		json_decref(reply);
		return 0;
	}
	if (argc < 3 || (strcmp(sub, "request") && argc != 3) || argc > 4) {
		out_errorf(o, "usage: confab monitor list [--json] | request "
			   "USER [MESSAGE] | accept USER | decline USER | "
			   "remove USER");
		return EXIT_USAGE;
	}
	if (strcmp(sub, "remove") == 0) {
		char *esc = curl_easy_escape(NULL, argv[2], 0);
		char *path = xasprintf("/v1/monitor/%s", esc);
		curl_free(esc);
		rc = cli_api_call(a, "DELETE", path, NULL, &reply, o);
		free(path);
	} else if (!strcmp(sub, "request") || !strcmp(sub, "accept") ||
		   !strcmp(sub, "decline")) {
		body = json_pack("{s:s,s:s?}", "user", argv[2], "message",
				 argc > 3 ? argv[3] : NULL);
		rc = cli_api_call(a, "POST", strcmp(sub, "request") == 0 ?
			  "/v1/monitor" : strcmp(sub, "accept") == 0 ?
			  "/v1/monitor/accept" : "/v1/monitor/decline", body,
			  &reply, o);
	} else {
		out_errorf(o, "unknown monitor command '%s'", sub);
		return EXIT_USAGE;
	}
	if (rc == 0)
		out_printf(o, "%s: %s\n", argv[2], str_of(reply, "status"));
	json_decref(body);
	json_decref(reply);
	return rc;
}

/* events [--cursor N] [--wait SECONDS] [--json]: what the server has for
 * you after N (without --cursor: the current cursor only). */
static int events(struct app *a, int argc, char **argv, struct out *o)
{
	const char *cursor = NULL, *wait = "0";
	bool json = false;
	json_t *reply;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cursor") == 0 && i + 1 < argc)
			cursor = argv[++i];
		else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc)
			wait = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else {
			out_errorf(o, "usage: confab events [--cursor N] "
				   "[--wait SECONDS] [--json]");
			return EXIT_USAGE;
		}
	}
	char *path = cursor ? xasprintf("/v1/events?cursor=%s&timeout=%s",
					cursor, wait) : xstrdup("/v1/events");
	int rc = cli_api_call(a, "GET", path, NULL, &reply, o);
	free(path);
	if (rc)
		return rc;
	if (json) {
		cli_print_json(o, reply);
	} else {
		json_t *v;
		size_t i;
		json_array_foreach(json_object_get(reply, "events"), i, v) {
			char *d = json_dumps(json_object_get(v, "data"),
					     JSON_COMPACT | JSON_PRESERVE_ORDER);
			out_printf(o, "%lld\t%s\t%s\n", (long long)
				   json_integer_value(json_object_get(v, "id")),
				   str_of(v, "kind"), d ? d : "{}");
			free(d);
		}
		out_printf(o, "cursor %lld\n", (long long)json_integer_value(
				   json_object_get(reply, "cursor")));
	}
	json_decref(reply);
	return 0;
}

int cli_directory_run(struct app *a, int argc, char **argv, struct out *o)
{
	if (strcmp(argv[0], "monitor") == 0)
		return monitor(a, argc, argv, o);
	if (strcmp(argv[0], "events") == 0)
		return events(a, argc, argv, o);
	if (strcmp(argv[0], "presence") == 0)
		return presence(a, argc, argv, o);
	if (strcmp(argv[0], "profile") == 0)
		return profile(a, argc, argv, o);
	return directory(a, argc, argv, o);
}
