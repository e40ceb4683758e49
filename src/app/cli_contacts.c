/* app/cli_contacts: `confab contacts SUBCOMMAND`.
 *
 * list, search, show, add, edit, delete, import, export and query (mutt's
 * query_command).  Like tmux's cmd entries, each subcommand is a row of a
 * table: the options it takes, how many arguments, its usage line; one
 * parser serves them all.  Everything is printed through struct out, so the
 * TUI's `:` line can run the same code; the one exception is the import
 * progress bar, drawn on stderr only when the out is the CLI's own and
 * stderr is a terminal.
 */
#include "app/app.h"
#include "app/cli.h"
#include "app/contact_fmt.h"
#include "store/books.h"
#include "store/contacts.h"
#include "store/export.h"
#include "store/import.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cli_contacts.h"

struct cli_contacts_sub {
	const char *name;
	const char *opts;	/* option letters it accepts (see lopts) */
	int minpos, maxpos;	/* positional arguments; -1: no limit */
	const char *line;	/* usage line */
	int (*run)(struct app *a, struct cli_contacts_args *g, struct out *o);
};

/* All options of all subcommands; only -o has a short form. */
static const struct option cli_contacts_lopts[] = {
	{ "book", required_argument, NULL, 'b' },
	{ "sort", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "search", required_argument, NULL, 'S' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "on-duplicate", required_argument, NULL, 'd' },
	{ "name", required_argument, NULL, 'n' },
	{ "email", required_argument, NULL, 'e' },
	{ "phone", required_argument, NULL, 'p' },
	{ "org", required_argument, NULL, 'O' },
	{ "title", required_argument, NULL, 't' },
	{ "birthday", required_argument, NULL, 'B' },
	{ "note", required_argument, NULL, 'N' },
	{ "tag", required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 },
};

static int cli_contacts_usage(struct out *o, const struct cli_contacts_sub *s)
{
	out_errorf(o, "usage: confab contacts %s (see: confab help contacts)",
		   s->line);
	return EXIT_USAGE;
}

static void cli_contacts_push(const char ***v, size_t *n, bool *given,
			      const char *s)
{
	*given = true;
	if (str_empty(s))	/* "" clears the list */
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static const char *cli_contacts_optname(int ch)
{
	for (const struct option *l = cli_contacts_lopts; l->name; l++)
		if (l->val == ch)
			return l->name;
	return "?";
}

/* argv[0] is the subcommand.  0, or the exit status after reporting. */
static int cli_contacts_parse(const struct cli_contacts_sub *s, int argc,
			      char **argv, struct cli_contacts_args *g,
			      struct out *o)
{
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, strchr(s->opts, 'o') ? ":o:" : ":",
				 cli_contacts_lopts, NULL)) != -1) {
		const char *arg = optind > 0 && optind <= argc ?
					  argv[optind - 1] : "?";
		if (ch == ':') {
			out_errorf(o, "option '%s' needs a value", arg);
			return cli_contacts_usage(o, s);
		}
		if (ch == '?' || !strchr(s->opts, ch)) {
			if (ch != '?')
				out_errorf(o, "option '--%s' does not apply "
					   "to 'contacts %s'",
					   cli_contacts_optname(ch), s->name);
			else if (strncmp(arg, "--", 2) != 0 && optopt)
				out_errorf(o, "unknown option '-%c'", optopt);
			else
				out_errorf(o, "unknown option '%s'", arg);
			return cli_contacts_usage(o, s);
		}
		switch (ch) {
		case 'b': g->book = optarg; break;
		case 's': g->sort = optarg; break;
		case 'j': g->json = true; break;
		case 'S': g->search = optarg; break;
		case 'f': g->format = optarg; break;
		case 'o': g->output = optarg; break;
		case 'd': g->dup = optarg; break;
		case 'n': g->name = optarg; break;
		case 'O': g->org = optarg; break;
		case 't': g->title = optarg; break;
		case 'B': g->bday = optarg; break;
		case 'N': g->note = optarg; break;
		case 'e':
			cli_contacts_push(&g->emails, &g->nemails,
					  &g->emails_given, optarg);
			break;
		case 'p':
			cli_contacts_push(&g->phones, &g->nphones,
					  &g->phones_given, optarg);
			break;
		case 'T':
			cli_contacts_push(&g->tags, &g->ntags, &g->tags_given,
					  optarg);
			break;
		}
	}
	g->pos = argv + optind;
	g->npos = argc - optind;
	if (g->npos < s->minpos || (s->maxpos >= 0 && g->npos > s->maxpos)) {
		if (g->npos > 0 && s->maxpos >= 0 && g->npos > s->maxpos)
			out_errorf(o, "unexpected argument '%s' (quote a "
				   "value that has spaces: --name \"Ada "
				   "Lovelace\")", g->pos[s->maxpos]);
		return cli_contacts_usage(o, s);
	}
	return 0;
}

/* The positional words joined by spaces (search and query text). */
char *cli_contacts_words(const struct cli_contacts_args *g)
{
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 0; i < g->npos; i++)
		sbuf_printf(&b, "%s%s", i ? " " : "", g->pos[i]);
	return str_trim(sbuf_take(&b));
}

/* --book NAME to an id; NULL name gives 0 ("all books"). */
int cli_contacts_book(struct app *a, const char *name, int64_t *id,
			     struct out *o)
{
	*id = 0;
	if (!name)
		return 0;
	int rc = books_find(a->db, name, id);
	if (rc == -ENOENT) {
		bool q = strpbrk(name, " \t'\"\\$&;|<>()*?") != NULL;
		out_errorf(o, "no address book '%s' (create it with: confab "
			   "books add %s%s%s)", name, q ? "\"" : "", name,
			   q ? "\"" : "");
	} else if (rc < 0) {
		out_errorf(o, "cannot read the address books from %s",
			   a->db_path);
	}
	return rc;
}

/* Where new contacts go: --book, else default_book, else books_default. */
int cli_contacts_target_book(struct app *a, const char *name,
				    int64_t *id, struct out *o)
{
	if (!name && !str_empty(a->cfg.default_book))
		name = a->cfg.default_book;
	if (name)
		return cli_contacts_book(a, name, id, o);
	int rc = books_default(a->db, id);
	if (rc < 0)
		out_errorf(o, "cannot open the default address book in %s",
			   a->db_path);
	return rc;
}

/* A contact named by id or UID. */
static int cli_contacts_lookup(struct app *a, const char *arg,
			       struct contact **c, struct out *o)
{
	char *end;
	int64_t id = 0;

	*c = NULL;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (*arg >= '0' && *arg <= '9' && *end == '\0' && errno == 0) {
		id = v;
	} else {	/* a UID is unique within its book */
		struct book *b;
		size_t n;
		struct contact *key = contact_new();
		key->uid = xstrdup(arg);
		if (books_list(a->db, &b, &n) == 0) {
			for (size_t i = 0; i < n && !id; i++)
				if (contacts_find_dup(a->db, b[i].id, key, "",
						      &id) < 0)
					id = 0;
			books_free(b, n);
		}
		contact_free(key);
	}
	int rc = id ? contacts_get(a->db, id, c) : -ENOENT;
	if (rc == -ENOENT)
		out_errorf(o, "no contact '%s': give an id or UID as shown by "
			   "confab contacts list or show", arg);
	else if (rc < 0)
		out_errorf(o, "cannot read contact '%s' from %s", arg,
			   a->db_path);
	return rc;
}

/* ---- output helpers -------------------------------------------------- */

struct cli_contacts_books {
	struct book *b;
	size_t n;
};

static const char *cli_contacts_book_name(const struct cli_contacts_books *bk,
					  int64_t id)
{
	for (size_t i = 0; i < bk->n; i++)
		if (bk->b[i].id == id)
			return bk->b[i].name;
	return "";
}

static void cli_contacts_dump(struct out *o, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	out_printf(o, "%s\n", s ? s : "null");
	free(s);
}

/* The rows of list and search: TSV, or one JSON array. */
static int cli_contacts_print(struct app *a, const int64_t *ids, size_t n,
			      bool json, struct out *o)
{
	struct cli_contacts_books bk;
	json_t *arr = json_array();
	struct sbuf b;

	if (books_list(a->db, &bk.b, &bk.n) < 0) {
		out_errorf(o, "cannot read the address books from %s",
			   a->db_path);
		json_decref(arr);
		return 1;
	}
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++) {
		struct contact *c;
		struct contact_row r;
		if (json && contacts_get(a->db, ids[i], &c) == 0) {
			json_array_append_new(arr, contact_fmt_json(c,
				cli_contacts_book_name(&bk, c->book_id)));
			contact_free(c);
		} else if (!json && contacts_row(a->db, ids[i], &r) == 0) {
			sbuf_printf(&b, "%lld\t", (long long)r.id);
			contact_fmt_cell(&b, r.fn, '\t');
			contact_fmt_cell(&b, r.email, '\t');
			contact_fmt_cell(&b, r.phone, '\t');
			contact_fmt_cell(&b, r.org, '\t');
			contact_fmt_cell(&b, cli_contacts_book_name(&bk,
							r.book_id), '\n');
			contact_row_clear(&r);
		}
		if (b.len > 65536) {
			out_write(o, b.s, b.len);
			sbuf_reset(&b);
		}
	}
	if (b.len)
		out_write(o, b.s, b.len);
	if (json)
		cli_contacts_dump(o, arr);
	json_decref(arr);
	sbuf_free(&b);
	books_free(bk.b, bk.n);
	return 0;
}

/* ---- list, search, show ---------------------------------------------- */

static int cli_contacts_sort(const char *s, enum contacts_sort *sort)
{
	static const char *const names[] = { "name", "given", "org",
					     "updated" };

	for (size_t i = 0; i < 4; i++)
		if (str_ieq(s, names[i])) {
			*sort = (enum contacts_sort)i;
			return 0;
		}
	return -EINVAL;
}

static int cli_contacts_list(struct app *a, struct cli_contacts_args *g,
			     struct out *o)
{
	enum contacts_sort sort = CONTACTS_SORT_NAME;
	int64_t book_id, *ids;
	size_t n;

	if (a->cfg.sort)
		cli_contacts_sort(a->cfg.sort, &sort);
	if (g->sort && cli_contacts_sort(g->sort, &sort) < 0) {
		out_errorf(o, "unknown sort order '%s': use name, given, org "
			   "or updated", g->sort);
		return EXIT_USAGE;
	}
	if (cli_contacts_book(a, g->book, &book_id, o) < 0)
		return 1;
	if (contacts_ids(a->db, book_id, sort, &ids, &n) < 0) {
		out_errorf(o, "cannot read the contacts from %s", a->db_path);
		return 1;
	}
	int rc = cli_contacts_print(a, ids, n, g->json, o);
	free(ids);
	return rc;
}

static int cli_contacts_search(struct app *a, struct cli_contacts_args *g,
			       struct out *o)
{
	char *text = cli_contacts_words(g);
	int64_t book_id, *ids;
	size_t n;
	int rc = 1;

	if (!*text) {
		out_errorf(o, "what should I search for? usage: confab "
			   "contacts search TEXT");
		rc = EXIT_USAGE;
	} else if (cli_contacts_book(a, g->book, &book_id, o) == 0) {
		if (contacts_search(a->db, text, book_id, CLI_CONTACTS_ALL,
				    &ids, &n, NULL) < 0) {
			out_errorf(o, "cannot search the contacts in %s",
				   a->db_path);
		} else {
			rc = cli_contacts_print(a, ids, n, g->json, o);
			free(ids);
		}
	}
	free(text);
	return rc;
}

static int cli_contacts_show(struct app *a, struct cli_contacts_args *g,
			     struct out *o)
{
	struct contact *c;

	if (cli_contacts_lookup(a, g->pos[0], &c, o) < 0)
		return 1;
	char *book = books_name(a->db, c->book_id);
	if (g->json) {
		json_t *j = contact_fmt_json(c, book);
		cli_contacts_dump(o, j);
		json_decref(j);
	} else {
		struct sbuf b;
		sbuf_init(&b);
		contact_fmt_text(&b, c, book);
		out_write(o, b.s, b.len);
		sbuf_free(&b);
	}
	free(book);
	contact_free(c);
	return 0;
}

/* ---- add, edit, delete ----------------------------------------------- */

/* Check what add/edit were given before touching anything. */
static int cli_contacts_validate(const struct cli_contacts_args *g,
				 struct out *o)
{
	for (size_t i = 0; i < g->nemails; i++)
		if (!contact_email_valid(g->emails[i])) {
			out_errorf(o, "bad email '%s': expected "
				   "name@example.com", g->emails[i]);
			return 1;
		}
	for (size_t i = 0; i < g->nphones; i++)
		if (!strpbrk(g->phones[i], "0123456789")) {
			out_errorf(o, "bad phone number '%s': expected digits, "
				   "e.g. +44 20 7946 0958", g->phones[i]);
			return 1;
		}
	if (!str_empty(g->bday) && !contact_bday_valid(g->bday)) {
		out_errorf(o, "bad birthday '%s': use YYYY-MM-DD or --MM-DD",
			   g->bday);
		return 1;
	}
	return 0;
}

static void cli_contacts_set(char **dst, const char *v)
{
	char *t = str_trim(xstrdup(v ? v : ""));

	str_set(dst, *t ? t : NULL);
	free(t);
}

/* "Ada King Lovelace" -> given "Ada King", family "Lovelace";
 * "Lovelace, Ada" -> the same person; one word is a given name. */
static void cli_contacts_set_name(struct contact *c, const char *name)
{
	char *s = xstrdup(name), *w, *save = NULL;
	struct sbuf b;

	sbuf_init(&b);	/* collapse runs of white space */
	for (w = strtok_r(s, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save))
		sbuf_printf(&b, "%s%s", b.len ? " " : "", w);
	free(s);
	s = sbuf_take(&b);
	char **old[] = { &c->prefix, &c->additional, &c->suffix, &c->given,
			 &c->family, &c->fn };
	for (size_t i = 0; i < sizeof old / sizeof *old; i++)
		str_set(old[i], NULL);
	char *comma = strchr(s, ',');
	if (comma) {
		*comma = '\0';
		cli_contacts_set(&c->family, s);
		cli_contacts_set(&c->given, comma + 1);
	} else if ((w = strrchr(s, ' '))) {
		*w = '\0';
		cli_contacts_set(&c->given, s);
		cli_contacts_set(&c->family, w + 1);
	} else {
		cli_contacts_set(&c->given, s);
	}
	free(s);
	contact_fill_fn(c);	/* "Given Family" */
}

static void cli_contacts_replace(struct contact *c, enum cfield_kind kind,
				 const char *const *v, size_t n)
{
	for (size_t i = c->nfields; i-- > 0;)
		if (c->fields[i].kind == kind)
			contact_remove_field(c, i);
	for (size_t i = 0; i < n; i++)
		contact_add_field(c, kind, NULL, v[i]);
}

static void cli_contacts_apply(struct contact *c,
			       const struct cli_contacts_args *g)
{
	if (g->name)
		cli_contacts_set_name(c, g->name);
	if (g->org)
		cli_contacts_set(&c->org, g->org);
	if (g->title)
		cli_contacts_set(&c->title, g->title);
	if (g->bday)
		cli_contacts_set(&c->bday, g->bday);
	if (g->note)
		str_set(&c->notes, *g->note ? g->note : NULL);
	if (g->emails_given)
		cli_contacts_replace(c, CF_EMAIL, g->emails, g->nemails);
	if (g->phones_given)
		cli_contacts_replace(c, CF_PHONE, g->phones, g->nphones);
	if (g->tags_given) {
		for (size_t i = 0; i < c->ntags; i++)
			free(c->tags[i]);
		c->ntags = 0;
		for (size_t i = 0; i < g->ntags; i++)
			contact_add_tag(c, g->tags[i]);
	}
}

static int cli_contacts_store(struct app *a, struct contact *c,
			      const char *verb, struct out *o)
{
	char *err = NULL;

	if (contacts_save(a->db, c, app_region(a), &err) < 0) {
		out_errorf(o, "%s", err ? err : "cannot save the contact");
		free(err);
		return 1;
	}
	out_printf(o, "%s contact %lld (%s)\n", verb, (long long)c->id, c->fn);
	return 0;
}

static int cli_contacts_add(struct app *a, struct cli_contacts_args *g,
			    struct out *o)
{
	struct contact *c;
	int rc = cli_contacts_validate(g, o);

	if (rc)
		return rc;
	if (str_empty(g->name) && !g->nemails && !g->nphones &&
	    str_empty(g->org)) {
		out_errorf(o, "a contact needs at least one of --name, "
			   "--email, --phone or --org");
		return EXIT_USAGE;
	}
	c = contact_new();
	if (cli_contacts_target_book(a, g->book, &c->book_id, o) < 0) {
		rc = 1;
	} else {
		cli_contacts_apply(c, g);
		rc = cli_contacts_store(a, c, "added", o);
	}
	contact_free(c);
	return rc;
}

static int cli_contacts_edit(struct app *a, struct cli_contacts_args *g,
			     struct out *o)
{
	struct contact *c;
	int rc = cli_contacts_validate(g, o);

	if (rc)
		return rc;
	if (!g->name && !g->org && !g->title && !g->bday && !g->note &&
	    !g->book && !g->emails_given && !g->phones_given &&
	    !g->tags_given) {
		out_errorf(o, "nothing to change: give --name, --email, "
			   "--phone, --org, --title, --birthday, --note, --tag "
			   "or --book");
		return EXIT_USAGE;
	}
	if (cli_contacts_lookup(a, g->pos[0], &c, o) < 0)
		return 1;
	if (g->book && cli_contacts_book(a, g->book, &c->book_id, o) < 0) {
		rc = 1;
	} else {
		cli_contacts_apply(c, g);
		rc = cli_contacts_store(a, c, "updated", o);
	}
	contact_free(c);
	return rc;
}

static int cli_contacts_delete(struct app *a, struct cli_contacts_args *g,
			       struct out *o)
{
	struct contact *c;

	if (cli_contacts_lookup(a, g->pos[0], &c, o) < 0)
		return 1;
	int rc = contacts_delete(a->db, c->id);
	if (rc < 0)
		out_errorf(o, "cannot delete contact %lld from %s",
			   (long long)c->id, a->db_path);
	else
		out_printf(o, "deleted contact %lld (%s)\n", (long long)c->id,
			   c->fn);
	contact_free(c);
	return rc < 0 ? 1 : 0;
}

/* ---- dispatch -------------------------------------------------------- */

static const struct cli_contacts_sub cli_contacts_subs[] = {
	{ "list", "bsj", 0, 0,
	  "list [--book NAME] [--sort name|given|org|updated] [--json]",
	  cli_contacts_list },
	{ "search", "bj", 0, -1, "search TEXT [--book NAME] [--json]",
	  cli_contacts_search },
	{ "show", "j", 1, 1, "show ID|UID [--json]", cli_contacts_show },
	{ "add", "nepOtBNTb", 0, 0,
	  "add [--name NAME] [--email E]... [--phone P]... [--org O] "
	  "[--title T] [--birthday YYYY-MM-DD|--MM-DD] [--note TEXT] "
	  "[--tag T]... [--book NAME]", cli_contacts_add },
	{ "edit", "nepOtBNTb", 1, 1,
	  "edit ID|UID [--name NAME] [--email E]... [--phone P]... [--org O] "
	  "[--title T] [--birthday B] [--note TEXT] [--tag T]... "
	  "[--book NAME]", cli_contacts_edit },
	{ "delete", "", 1, 1, "delete ID|UID", cli_contacts_delete },
	{ "import", "bd", 1, 1,
	  "import FILE|DIR [--book NAME] [--on-duplicate merge|skip]",
	  cli_contacts_import },
	{ "export", "bSfo", 0, 0,
	  "export [--book NAME] [--search TEXT] [--format vcard3|vcard4|csv] "
	  "[-o FILE|DIR]", cli_contacts_export },
	{ "query", "", 0, -1, "query TEXT", cli_contacts_query },
};

static bool cli_contacts_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return argc > 1 && strcmp(argv[1], "help") == 0;
}

int cli_contacts_run(struct app *a, int argc, char **argv, struct out *o)
{
	const struct cli_contacts_sub *s = NULL;
	struct cli_contacts_args g = { 0 };
	int rc;

	if (cli_contacts_wants_help(argc, argv)) {
		const struct app_cmd *self = app_cmd_find("contacts");
		out_printf(o, "%s", self ? self->usage : "");
		return 0;
	}
	if (argc < 2) {		/* `confab contacts` alone lists them */
		s = &cli_contacts_subs[0];
	} else {
		argc--, argv++;
		for (size_t i = 0; i < sizeof cli_contacts_subs /
				       sizeof *cli_contacts_subs; i++)
			if (strcmp(argv[0], cli_contacts_subs[i].name) == 0)
				s = &cli_contacts_subs[i];
	}
	if (!s) {
		out_errorf(o, "unknown contacts command '%s': use list, search, "
			   "show, add, edit, delete, import, export or query "
			   "(see: confab help contacts)", argv[0]);
		return EXIT_USAGE;
	}
	rc = cli_contacts_parse(s, argc, argv, &g, o);
	if (rc == 0)
		rc = s->run(a, &g, o);
	free(g.emails);
	free(g.phones);
	free(g.tags);
	return rc;
}
