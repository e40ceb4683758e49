/* app/cli_books: `confab books list|add|rename|remove`.
 *
 * Address-book management from the command line.  Prints only through
 * struct out, so the TUI's `:` line can run the same code.
 */
#include "app/app.h"
#include "app/cli.h"
#include "store/books.h"
#include "store/contacts.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>


#define EXIT_USAGE 2

static int cli_books_usage(struct out *o, const char *line)
{
	out_errorf(o, "usage: confab books %s (see: confab help books)", line);
	return EXIT_USAGE;
}

/* getopt_long with our own messages; returns '?' after reporting. */
static int cli_books_getopt(int argc, char **argv, const char *sopts,
			    const struct option *lopts, struct out *o,
			    const char *line)
{
	int ch = getopt_long(argc, argv, sopts, lopts, NULL);

	if (ch == '?' || ch == ':') {
		const char *arg = optind > 0 && optind <= argc ?
					  argv[optind - 1] : "?";
		if (ch == ':')
			out_errorf(o, "option '%s' needs a value", arg);
		else if (strncmp(arg, "--", 2) != 0 && optopt &&
			 optopt != '?')
			out_errorf(o, "unknown option '-%c'", optopt);
		else
			out_errorf(o, "unknown option '%s'", arg);
		cli_books_usage(o, line);
		return '?';
	}
	return ch;
}

/* Report a books_* error as the user should read it. */
static int cli_books_fail(struct out *o, int rc, const char *name,
			  const char *other)
{
	switch (rc) {
	case -EEXIST:
		out_errorf(o, "an address book named '%s' already exists",
			   other ? other : name);
		break;
	case -ENOENT:
		out_errorf(o, "no address book '%s' (see: confab books list)",
			   name);
		break;
	case -EINVAL:
		out_errorf(o, "'%s' is not a usable book name: it must not be "
			   "empty, hold tabs or newlines, or start or end "
			   "with a space", other ? other : name);
		break;
	default:
		out_errorf(o, "cannot change address book '%s': %s", name,
			   strerror(rc < 0 ? -rc : EIO));
		break;
	}
	return 1;
}

static int cli_books_list(struct app *a, int argc, char **argv,
			  struct out *o)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const char line[] = "list [--json]";
	bool json = false;
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = cli_books_getopt(argc, argv, ":j", lopts, o, line)) != -1) {
		if (ch != 'j')
			return EXIT_USAGE;
		json = true;
	}
	if (optind < argc)
		return cli_books_usage(o, line);

	struct book *b;
	size_t n;
	if (books_list(a->db, &b, &n) < 0) {
		out_errorf(o, "cannot read the address books from %s",
			   a->db_path);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:I}",
				"name", b[i].name,
				"contacts", (json_int_t)b[i].ncontacts));
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		out_printf(o, "%s\n", s ? s : "[]");
		free(s);
		json_decref(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			out_printf(o, "%s\t%lld\n", b[i].name,
				   (long long)b[i].ncontacts);
	}
	books_free(b, n);
	return 0;
}

static int cli_books_add(struct app *a, int argc, char **argv, struct out *o)
{
	static const struct option lopts[] = { { NULL, 0, NULL, 0 } };
	static const char line[] = "add NAME";
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = cli_books_getopt(argc, argv, ":", lopts, o, line)) != -1)
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_books_usage(o, line);
	const char *name = argv[optind];
	int rc = books_add(a->db, name, NULL);
	if (rc < 0)
		return cli_books_fail(o, rc, name, NULL);
	out_printf(o, "added address book '%s'\n", name);
	return 0;
}

static int cli_books_rename(struct app *a, int argc, char **argv,
			    struct out *o)
{
	static const struct option lopts[] = { { NULL, 0, NULL, 0 } };
	static const char line[] = "rename OLD NEW";
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = cli_books_getopt(argc, argv, ":", lopts, o, line)) != -1)
		return EXIT_USAGE;
	if (argc - optind != 2)
		return cli_books_usage(o, line);
	const char *from = argv[optind], *to = argv[optind + 1];
	int rc = books_rename(a->db, from, to);
	if (rc < 0)
		return cli_books_fail(o, rc, from, to);
	out_printf(o, "renamed address book '%s' to '%s'\n", from, to);
	return 0;
}

static int cli_books_remove(struct app *a, int argc, char **argv,
			    struct out *o)
{
	static const struct option lopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	static const char line[] = "remove NAME [--yes]";
	bool yes = false;
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = cli_books_getopt(argc, argv, ":y", lopts, o, line)) != -1) {
		if (ch != 'y')
			return EXIT_USAGE;
		yes = true;
	}
	if (argc - optind != 1)
		return cli_books_usage(o, line);
	const char *name = argv[optind];
	int64_t id;
	int rc = books_find(a->db, name, &id);
	if (rc < 0)
		return cli_books_fail(o, rc, name, NULL);
	int64_t n = contacts_count(a->db, id);
	if (n > 0 && !yes) {
		out_errorf(o, "address book '%s' holds %lld contact%s; add --yes "
			   "to remove it and %s", name, (long long)n,
			   n == 1 ? "" : "s", n == 1 ? "its contact" : "them");
		return 1;
	}
	rc = books_remove(a->db, name);
	if (rc < 0)
		return cli_books_fail(o, rc, name, NULL);
	if (n > 0)
		out_printf(o, "removed address book '%s' and its %lld "
			   "contact%s\n", name, (long long)n, n == 1 ? "" : "s");
	else
		out_printf(o, "removed address book '%s'\n", name);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct app *, int, char **, struct out *);
} cli_books_subs[] = {
	{ "list", cli_books_list },
	{ "add", cli_books_add },
	{ "rename", cli_books_rename },
	{ "remove", cli_books_remove },
};

static bool cli_books_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return argc > 1 && strcmp(argv[1], "help") == 0;
}

int cli_books_run(struct app *a, int argc, char **argv, struct out *o)
{
	if (cli_books_wants_help(argc, argv)) {
		const struct app_cmd *self = app_cmd_find("books");
		out_printf(o, "%s", self ? self->usage : "");
		return 0;
	}
	if (argc < 2)	/* `confab books` alone lists them */
		return cli_books_list(a, argc, argv, o);
	for (size_t i = 0; i < sizeof cli_books_subs / sizeof *cli_books_subs;
	     i++)
		if (strcmp(argv[1], cli_books_subs[i].name) == 0)
			return cli_books_subs[i].run(a, argc - 1, argv + 1, o);
	out_errorf(o, "unknown books command '%s': use list, add, rename or "
		   "remove (see: confab help books)", argv[1]);
	return EXIT_USAGE;
}
