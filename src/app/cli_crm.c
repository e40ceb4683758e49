/* app/cli_crm: `confab crm SUBCOMMAND`.
 *
 * list, search, show, add, note, edit, delete and export.  A CONTACT
 * argument is a contact id, a contact UID, a CRM record UID, or text that
 * finds exactly one contact (a name or email search as `contacts search`
 * does; when several match, one whose whole name or email is the text
 * wins, else the candidates are listed).  Printing goes through struct
 * out, as in cli_contacts.c.  This file: parsing, finding the contact,
 * list, search, show, export; cli_crm_edit.c: add, note, edit, delete.
 */
#include "app/app.h"
#include "app/cli.h"
#include "app/cli_crm.h"
#include "app/contact_fmt.h"
#include "store/books.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLI_CRM_CANDIDATES 20


struct cli_crm_sub {
	const char *name;
	const char *opts;	/* option letters it accepts */
	int minpos, maxpos;	/* positional arguments; -1: no limit */
	const char *line;
	int (*run)(struct app *a, struct cli_crm_args *g, struct out *o);
};

static const struct option cli_crm_lopts[] = {
	{ "status", required_argument, NULL, 's' },
	{ "owner", required_argument, NULL, 'w' },
	{ "tag", required_argument, NULL, 'T' },
	{ "due", no_argument, NULL, 'd' },
	{ "value", required_argument, NULL, 'v' },
	{ "source", required_argument, NULL, 'S' },
	{ "next", required_argument, NULL, 'n' },
	{ "next-date", required_argument, NULL, 'D' },
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

static int cli_crm_usage(struct out *o, const struct cli_crm_sub *s)
{
	out_errorf(o, "usage: confab crm %s (see: confab help crm)", s->line);
	return CLI_CRM_USAGE;
}

static const char *cli_crm_optname(int ch)
{
	for (const struct option *l = cli_crm_lopts; l->name; l++)
		if (l->val == ch)
			return l->name;
	return "?";
}

static int cli_crm_parse(const struct cli_crm_sub *s, int argc, char **argv,
			 struct cli_crm_args *g, struct out *o)
{
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, strchr(s->opts, 'o') ? ":o:" : ":",
				 cli_crm_lopts, NULL)) != -1) {
		const char *arg = optind > 0 && optind <= argc ?
					  argv[optind - 1] : "?";
		if (ch == ':') {
			out_errorf(o, "option '%s' needs a value", arg);
			return cli_crm_usage(o, s);
		}
		if (ch == '?' || !strchr(s->opts, ch)) {
			if (ch != '?')
				out_errorf(o, "option '--%s' does not apply to "
					   "'crm %s'", cli_crm_optname(ch),
					   s->name);
			else if (strncmp(arg, "--", 2) != 0 && optopt)
				out_errorf(o, "unknown option '-%c'", optopt);
			else
				out_errorf(o, "unknown option '%s'", arg);
			return cli_crm_usage(o, s);
		}
		switch (ch) {
		case 's': g->status = optarg; break;
		case 'w': g->owner = optarg; break;
		case 'd': g->due = true; break;
		case 'v': g->value = optarg; break;
		case 'S': g->source = optarg; break;
		case 'n': g->next = optarg; break;
		case 'D': g->next_date = optarg; break;
		case 'j': g->json = true; break;
		case 'o': g->output = optarg; break;
		case 'T':
			g->tag = optarg;
			g->tags_given = true;
			if (*optarg) {
				g->tags = xrealloc(g->tags, (g->ntags + 1) *
						   sizeof *g->tags);
				g->tags[g->ntags++] = optarg;
			}
			break;
		}
	}
	g->pos = argv + optind;
	g->npos = argc - optind;
	if (g->npos < s->minpos || (s->maxpos >= 0 && g->npos > s->maxpos)) {
		if (s->maxpos >= 0 && g->npos > s->maxpos)
			out_errorf(o, "unexpected argument '%s' (quote text "
				   "that has spaces: \"Ada Lovelace\")",
				   g->pos[s->maxpos]);
		return cli_crm_usage(o, s);
	}
	return 0;
}

/* --status S as the configured spelling; reports when unknown. */
int cli_crm_status(struct cli_crm_args *g, const char *s,
		   const char **out, struct out *o)
{
	*out = crm_status_match(g->statuses, g->nstatuses, s);
	if (*out)
		return 0;
	struct sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < g->nstatuses; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "", g->statuses[i]);
	out_errorf(o, "unknown status '%s': use one of %s (set crm_statuses "
		   "in confab.conf to change the list)", s, sbuf_str(&b));
	sbuf_free(&b);
	return CLI_CRM_USAGE;
}

/* ---- finding the contact ------------------------------------------------ */

static int64_t cli_crm_by_uid(struct app *a, const char *uid)
{
	struct book *b;
	size_t n;
	int64_t id = 0;
	struct contact *key = contact_new();

	key->uid = xstrdup(uid);
	if (books_list(a->db, &b, &n) == 0) {
		for (size_t i = 0; i < n && !id; i++)
			if (contacts_find_dup(a->db, b[i].id, key, "", &id) < 0)
				id = 0;
		books_free(b, n);
	}
	contact_free(key);
	return id;
}

/* The one candidate whose whole name or email is `text`, or 0. */
static int64_t cli_crm_exact(struct app *a, const int64_t *ids, size_t n,
			     const char *text)
{
	int64_t found = 0;

	for (size_t i = 0; i < n; i++) {
		struct contact_row r;
		if (contacts_row(a->db, ids[i], &r) < 0)
			continue;
		if (str_ieq(r.fn, text) || str_ieq(r.email, text)) {
			if (found) {
				contact_row_clear(&r);
				return 0;
			}
			found = ids[i];
		}
		contact_row_clear(&r);
	}
	return found;
}

static void cli_crm_candidates(struct app *a, const int64_t *ids, size_t n,
			       bool more, const char *text, struct out *o)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_printf(&b, "'%s' matches %zu%s contacts; give an id:", text, n,
		    more ? "+" : "");
	for (size_t i = 0; i < n; i++) {
		struct contact_row r;
		if (contacts_row(a->db, ids[i], &r) < 0)
			continue;
		sbuf_printf(&b, "\n  %lld\t%s%s%s", (long long)r.id, r.fn,
			    r.email ? "\t" : "", r.email ? r.email : "");
		contact_row_clear(&r);
	}
	out_errorf(o, "%s", sbuf_str(&b));
	sbuf_free(&b);
}

/* CONTACT to a contact id (*contact) and its record (*record, 0: none).
 * A record UID gives the record and its contact (0 when gone). */
int cli_crm_find(struct app *a, const char *arg, int64_t *contact,
		 int64_t *record, struct out *o)
{
	char *end;
	int64_t *ids = NULL;
	size_t n = 0;
	bool more = false;

	*contact = *record = 0;
	errno = 0;
	long long v = strtoll(arg, &end, 10);
	if (*arg >= '0' && *arg <= '9' && *end == '\0' && errno == 0) {
		struct contact_row r;
		if (contacts_row(a->db, v, &r) == 0) {
			*contact = v;
			contact_row_clear(&r);
		}
	} else if (crm_find_uid(a->db, arg, record) == 0 && *record) {
		struct crm_row r;
		if (crm_row(a->db, *record, &r) == 0) {
			*contact = r.contact_id;
			crm_row_clear(&r);
		}
		return 0;
	} else if (!(*contact = cli_crm_by_uid(a, arg))) {
		if (contacts_search(a->db, arg, 0, CLI_CRM_CANDIDATES, &ids,
				    &n, &more) < 0) {
			out_errorf(o, "cannot search the contacts in %s",
				   a->db_path);
			return -EIO;
		}
		if (n == 1)
			*contact = ids[0];
		else if (n > 1 && !(*contact = cli_crm_exact(a, ids, n, arg))) {
			cli_crm_candidates(a, ids, n, more, arg, o);
			free(ids);
			return -EINVAL;
		}
		free(ids);
	}
	if (!*contact) {
		out_errorf(o, "no contact '%s': give a contact id, a UID, or a "
			   "name or email that finds one contact (see: confab "
			   "contacts search)", arg);
		return -ENOENT;
	}
	if (crm_record_for_contact(a->db, *contact, record) < 0) {
		out_errorf(o, "cannot read the CRM records from %s",
			   a->db_path);
		return -EIO;
	}
	return 0;
}

/* A record that must exist for CONTACT. */
int cli_crm_record(struct app *a, const char *arg,
		   struct crm_record **r, struct out *o)
{
	int64_t contact, record;

	*r = NULL;
	if (cli_crm_find(a, arg, &contact, &record, o) < 0)
		return -ENOENT;
	if (!record) {
		out_errorf(o, "'%s' has no CRM record yet (create one with: "
			   "confab crm add %lld)", arg, (long long)contact);
		return -ENOENT;
	}
	if (crm_get(a->db, record, r) < 0) {
		out_errorf(o, "cannot read the CRM record from %s", a->db_path);
		return -EIO;
	}
	return 0;
}

/* ---- output ------------------------------------------------------------- */

static void cli_crm_dump(struct out *o, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	out_printf(o, "%s\n", s ? s : "null");
	free(s);
}

static void cli_crm_jset(json_t *j, const char *key, const char *v)
{
	if (!str_empty(v))
		json_object_set_new(j, key, contact_fmt_jstr(v));
}

static json_t *cli_crm_json(struct app *a, const struct crm_record *r,
			    bool timeline)
{
	json_t *j = json_object();
	char buf[64];

	json_object_set_new(j, "id", json_integer(r->id));
	cli_crm_jset(j, "uid", r->uid);
	if (r->contact_id)
		json_object_set_new(j, "contact_id",
				    json_integer(r->contact_id));
	cli_crm_jset(j, "contact_uid", r->contact_uid);
	cli_crm_jset(j, "name", r->name);
	cli_crm_jset(j, "org", r->org);
	cli_crm_jset(j, "status", r->status);
	cli_crm_jset(j, "owner", r->owner);
	if (r->has_value) {
		json_object_set_new(j, "value_cents",
				    json_integer(r->value_cents));
		cli_crm_jset(j, "currency", r->currency);
	}
	cli_crm_jset(j, "source", r->source);
	json_t *tags = json_array();
	for (size_t i = 0; i < r->ntags; i++)
		json_array_append_new(tags, contact_fmt_jstr(r->tags[i]));
	json_object_set_new(j, "tags", tags);
	cli_crm_jset(j, "next_action", r->next_action);
	cli_crm_jset(j, "next_date", r->next_date);
	if (r->next_appt_id)
		json_object_set_new(j, "next_appointment_id",
				    json_integer(r->next_appt_id));
	contact_fmt_time(buf, sizeof buf, r->created);
	json_object_set_new(j, "created", json_string(buf));
	contact_fmt_time(buf, sizeof buf, r->updated);
	json_object_set_new(j, "updated", json_string(buf));
	struct crm_event *e;
	size_t n;
	if (timeline && crm_events(a->db, r->id, &e, &n) == 0) {
		json_t *tl = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *ev = json_object();
			json_object_set_new(ev, "kind", json_string(e[i].kind));
			contact_fmt_time(buf, sizeof buf, e[i].at);
			json_object_set_new(ev, "at", json_string(buf));
			cli_crm_jset(ev, "text", e[i].text);
			if (e[i].call_id)
				json_object_set_new(ev, "call_id",
						    json_integer(e[i].call_id));
			if (e[i].appt_id)
				json_object_set_new(ev, "appointment_id",
						    json_integer(e[i].appt_id));
			json_array_append_new(tl, ev);
		}
		json_object_set_new(j, "timeline", tl);
		crm_events_free(e, n);
	}
	return j;
}

/* list and search: TSV rows, or one JSON array. */
static int cli_crm_print(struct app *a, const int64_t *ids, size_t n,
			 bool json, struct out *o)
{
	json_t *arr = json_array();
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < n; i++) {
		struct crm_record *r;
		struct crm_row row;
		if (json && crm_get(a->db, ids[i], &r) == 0) {
			json_array_append_new(arr, cli_crm_json(a, r, false));
			crm_record_free(r);
		} else if (!json && crm_row(a->db, ids[i], &row) == 0) {
			char value[48] = "";
			if (row.has_value)
				crm_money_format(value, sizeof value,
						 row.value_cents, row.currency);
			if (row.contact_id)
				sbuf_printf(&b, "%lld\t",
					    (long long)row.contact_id);
			else
				sbuf_add(&b, "-\t");
			contact_fmt_cell(&b, row.name, '\t');
			contact_fmt_cell(&b, row.status, '\t');
			contact_fmt_cell(&b, row.owner, '\t');
			contact_fmt_cell(&b, value, '\t');
			contact_fmt_cell(&b, row.next_date, '\t');
			contact_fmt_cell(&b, row.next_action, '\n');
			crm_row_clear(&row);
		}
		if (b.len > 65536) {
			out_write(o, b.s, b.len);
			sbuf_reset(&b);
		}
	}
	if (b.len)
		out_write(o, b.s, b.len);
	if (json)
		cli_crm_dump(o, arr);
	json_decref(arr);
	sbuf_free(&b);
	return 0;
}

/* ---- list, search, show, export ----------------------------------------- */

static int cli_crm_filter(struct app *a, struct cli_crm_args *g,
			  struct crm_filter *f, struct out *o)
{
	memset(f, 0, sizeof *f);
	if (g->status && cli_crm_status(g, g->status, &f->status, o))
		return CLI_CRM_USAGE;
	f->owner = g->owner;
	f->tag = g->tag;
	f->due = g->due;
	(void)a;
	return 0;
}

static int cli_crm_run_list(struct app *a, struct cli_crm_args *g,
			    const char *text, struct out *o)
{
	struct crm_filter f;
	int64_t *ids;
	size_t n;
	int rc = cli_crm_filter(a, g, &f, o);

	if (rc)
		return rc;
	f.text = text;
	if (crm_list(a->db, &f, (size_t)-1, &ids, &n, NULL) < 0) {
		out_errorf(o, "cannot read the CRM records from %s",
			   a->db_path);
		return 1;
	}
	rc = cli_crm_print(a, ids, n, g->json, o);
	free(ids);
	return rc;
}

static int cli_crm_list(struct app *a, struct cli_crm_args *g, struct out *o)
{
	return cli_crm_run_list(a, g, NULL, o);
}

static int cli_crm_search(struct app *a, struct cli_crm_args *g,
			  struct out *o)
{
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 0; i < g->npos; i++)
		sbuf_printf(&b, "%s%s", i ? " " : "", g->pos[i]);
	char *text = str_trim(sbuf_take(&b));
	int rc;
	if (!*text) {
		out_errorf(o, "what should I search for? usage: confab crm "
			   "search TEXT");
		rc = CLI_CRM_USAGE;
	} else {
		rc = cli_crm_run_list(a, g, text, o);
	}
	free(text);
	return rc;
}

static void cli_crm_text(struct sbuf *b, const struct crm_record *r,
			 const struct crm_event *e, size_t n)
{
	char value[48] = "";
	const char *labels[] = { "name", "organisation", "status", "owner",
				 "value", "source", "tags", "next action",
				 "next date" };
	struct sbuf tags;

	sbuf_init(&tags);
	for (size_t i = 0; i < r->ntags; i++)
		sbuf_printf(&tags, "%s%s", i ? ", " : "", r->tags[i]);
	if (r->has_value)
		crm_money_format(value, sizeof value, r->value_cents,
				 r->currency);
	const char *vals[] = { r->name, r->org, r->status, r->owner, value,
			       r->source, sbuf_str(&tags), r->next_action,
			       r->next_date };
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
		if (!str_empty(vals[i]))
			sbuf_printf(b, "%-13s %s\n", labels[i], vals[i]);
	sbuf_free(&tags);
	if (n)
		sbuf_add(b, "timeline\n");
	for (size_t i = 0; i < n; i++) {
		char at[32];
		time_t t = (time_t)e[i].at;
		struct tm tm;
		localtime_r(&t, &tm);
		if (!strftime(at, sizeof at, "%Y-%m-%d %H:%M", &tm))
			at[0] = '\0';
		sbuf_printf(b, "  %s  %-7s ", at, e[i].kind);
		contact_fmt_cell(b, e[i].text ? e[i].text : "", '\n');
	}
}

static int cli_crm_show(struct app *a, struct cli_crm_args *g, struct out *o)
{
	struct crm_record *r;

	if (cli_crm_record(a, g->pos[0], &r, o) < 0)
		return 1;
	if (g->json) {
		json_t *j = cli_crm_json(a, r, true);
		cli_crm_dump(o, j);
		json_decref(j);
	} else {
		struct crm_event *e = NULL;
		size_t n = 0;
		struct sbuf b;
		crm_events(a->db, r->id, &e, &n);
		sbuf_init(&b);
		cli_crm_text(&b, r, e, n);
		out_write(o, b.s, b.len);
		sbuf_free(&b);
		crm_events_free(e, n);
	}
	crm_record_free(r);
	return 0;
}

static int cli_crm_export(struct app *a, struct cli_crm_args *g,
			  struct out *o)
{
	struct crm_filter f;
	int64_t *ids;
	size_t n, len = 0;
	char *buf = NULL;
	int rc = cli_crm_filter(a, g, &f, o);

	if (rc)
		return rc;
	if (crm_list(a->db, &f, (size_t)-1, &ids, &n, NULL) < 0) {
		out_errorf(o, "cannot read the CRM records from %s",
			   a->db_path);
		return 1;
	}
	FILE *mf = open_memstream(&buf, &len);
	rc = mf ? crm_export_csv(a->db, ids, n, mf) : -ENOMEM;
	if (mf)
		fclose(mf);
	free(ids);
	if (rc < 0) {
		out_errorf(o, "cannot export the CRM records from %s",
			   a->db_path);
		free(buf);
		return 1;
	}
	if (!g->output || strcmp(g->output, "-") == 0) {
		out_write(o, buf, len);
		free(buf);
		return 0;
	}
	/* replace FILE atomically */
	char *tmp = xasprintf("%s.tmp-%ld", g->output, (long)getpid());
	FILE *fp = fopen(tmp, "wb");
	bool ok = fp && fwrite(buf, 1, len, fp) == len;
	if (fp && fclose(fp) != 0)
		ok = false;
	if (ok && rename(tmp, g->output) != 0)
		ok = false;
	if (!ok) {
		out_errorf(o, "cannot write %s: %s", g->output,
			   strerror(errno));
		unlink(tmp);
	} else {
		out_printf(o, "exported %zu CRM record%s to %s\n", n,
			   n == 1 ? "" : "s", g->output);
	}
	free(tmp);
	free(buf);
	return ok ? 0 : 1;
}

/* ---- dispatch ----------------------------------------------------------- */

static const struct cli_crm_sub cli_crm_subs[] = {
	{ "list", "swTdj", 0, 0,
	  "list [--status S] [--owner O] [--tag T] [--due] [--json]",
	  cli_crm_list },
	{ "search", "swTdj", 1, -1,
	  "search TEXT [--status S] [--owner O] [--tag T] [--due] [--json]",
	  cli_crm_search },
	{ "show", "j", 1, 1, "show CONTACT [--json]", cli_crm_show },
	{ "add", "swvSnDT", 1, 1,
	  "add CONTACT [--status S] [--owner O] [--value V] [--source S] "
	  "[--next TEXT] [--next-date DATE] [--tag T]...", cli_crm_add },
	{ "note", "", 2, -1, "note CONTACT TEXT", cli_crm_note },
	{ "edit", "swvSnDT", 1, 1,
	  "edit CONTACT [--status S] [--owner O] [--value V] [--source S] "
	  "[--next TEXT] [--next-date DATE] [--tag T]...", cli_crm_edit },
	{ "delete", "", 1, 1, "delete CONTACT", cli_crm_delete },
	{ "export", "swTdo", 0, 0,
	  "export [--status S] [--owner O] [--tag T] [--due] [-o FILE]",
	  cli_crm_export },
};

static bool cli_crm_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return argc > 1 && strcmp(argv[1], "help") == 0;
}

int cli_crm_run(struct app *a, int argc, char **argv, struct out *o)
{
	const struct cli_crm_sub *s = NULL;
	struct cli_crm_args g = { 0 };
	int rc;

	if (cli_crm_wants_help(argc, argv)) {
		const struct app_cmd *self = app_cmd_find("crm");
		out_printf(o, "%s", self ? self->usage : "");
		return 0;
	}
	if (argc < 2) {		/* `confab crm` alone lists the records */
		s = &cli_crm_subs[0];
	} else {
		argc--, argv++;
		for (size_t i = 0; i < sizeof cli_crm_subs /
				       sizeof *cli_crm_subs; i++)
			if (strcmp(argv[0], cli_crm_subs[i].name) == 0)
				s = &cli_crm_subs[i];
	}
	if (!s) {
		out_errorf(o, "unknown crm command '%s': use list, search, "
			   "show, add, note, edit, delete or export (see: "
			   "confab help crm)", argv[0]);
		return CLI_CRM_USAGE;
	}
	crm_statuses_parse(a->cfg.crm_statuses, &g.statuses, &g.nstatuses);
	if (!g.nstatuses)
		crm_statuses_parse(CRM_DEFAULT_STATUSES, &g.statuses,
				   &g.nstatuses);
	rc = cli_crm_parse(s, argc, argv, &g, o);
	if (rc == 0)
		rc = s->run(a, &g, o);
	free(g.tags);
	crm_strings_free(g.statuses, g.nstatuses);
	return rc;
}
