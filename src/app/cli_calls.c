/* app/cli_calls: `confab calls list|add|seen|delete`.
 *
 * The call log from the command line.  `calls add` exists so that tests and
 * scripts can put calls in the log before the call engine writes them.
 * Prints only through struct out, so the TUI's `:` line runs the same code.
 */
#include "app/app.h"
#include "app/cli.h"
#include "app/contact_fmt.h"
#include "store/calls.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 2

struct cli_calls_args {
	bool json, has_filter, quality[4];
	enum calls_filter filter;
	const char *limit, *peer, *name, *dir, *kind, *outcome, *start;
	const char *duration, *cost, *currency, *contact;
	const char *qual[4];	/* loss %, jitter, rtt, mos */
	char **pos;
	int npos;
};

struct cli_calls_sub {
	const char *name;
	const char *opts;	/* option letters it accepts */
	int npos;		/* positional arguments */
	const char *line;	/* usage line */
	int (*run)(struct app *a, struct cli_calls_args *g, struct out *o);
};

static const struct option cli_calls_lopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "all", no_argument, NULL, 'A' },
	{ "missed", no_argument, NULL, 'M' },
	{ "incoming", no_argument, NULL, 'I' },
	{ "outgoing", no_argument, NULL, 'O' },
	{ "pc", no_argument, NULL, 'P' },
	{ "phone", no_argument, NULL, 'F' },
	{ "limit", required_argument, NULL, 'l' },
	{ "peer", required_argument, NULL, 'p' },
	{ "name", required_argument, NULL, 'n' },
	{ "direction", required_argument, NULL, 'd' },
	{ "kind", required_argument, NULL, 'k' },
	{ "outcome", required_argument, NULL, 'o' },
	{ "start", required_argument, NULL, 's' },
	{ "duration", required_argument, NULL, 'D' },
	{ "cost", required_argument, NULL, 'c' },
	{ "currency", required_argument, NULL, 'C' },
	{ "contact", required_argument, NULL, 'x' },
	{ "loss", required_argument, NULL, '1' },
	{ "jitter", required_argument, NULL, '2' },
	{ "rtt", required_argument, NULL, '3' },
	{ "mos", required_argument, NULL, '4' },
	{ NULL, 0, NULL, 0 },
};

static int cli_calls_usage(struct out *o, const struct cli_calls_sub *s)
{
	out_errorf(o, "usage: confab calls %s (see: confab help calls)",
		   s->line);
	return EXIT_USAGE;
}

static const char *cli_calls_optname(int ch)
{
	for (const struct option *l = cli_calls_lopts; l->name; l++)
		if (l->val == ch)
			return l->name;
	return "?";
}

static int cli_calls_filter(struct cli_calls_args *g, enum calls_filter f,
			    struct out *o)
{
	if (g->has_filter && g->filter != f) {
		out_errorf(o, "choose one of --all, --missed, --incoming, "
			   "--outgoing, --pc and --phone");
		return -1;
	}
	g->has_filter = true;
	g->filter = f;
	return 0;
}

/* argv[0] is the subcommand.  0, or the exit status after reporting. */
static int cli_calls_parse(const struct cli_calls_sub *s, int argc,
			   char **argv, struct cli_calls_args *g,
			   struct out *o)
{
	int ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", cli_calls_lopts, NULL)) !=
	       -1) {
		const char *arg = optind > 0 && optind <= argc ?
					  argv[optind - 1] : "?";
		if (ch == ':') {
			out_errorf(o, "option '%s' needs a value", arg);
			return cli_calls_usage(o, s);
		}
		if (ch == '?') {
			out_errorf(o, "unknown option '%s'", arg);
			return cli_calls_usage(o, s);
		}
		if (!strchr(s->opts, ch)) {
			out_errorf(o, "option '--%s' does not apply to "
				   "'calls %s'", cli_calls_optname(ch),
				   s->name);
			return cli_calls_usage(o, s);
		}
		int bad = 0;
		switch (ch) {
		case 'j': g->json = true; break;
		case 'A': bad = cli_calls_filter(g, CALLS_ALL, o); break;
		case 'M': bad = cli_calls_filter(g, CALLS_MISSED, o); break;
		case 'I': bad = cli_calls_filter(g, CALLS_INCOMING, o); break;
		case 'O': bad = cli_calls_filter(g, CALLS_OUTGOING, o); break;
		case 'P': bad = cli_calls_filter(g, CALLS_PC, o); break;
		case 'F': bad = cli_calls_filter(g, CALLS_PHONE, o); break;
		case 'l': g->limit = optarg; break;
		case 'p': g->peer = optarg; break;
		case 'n': g->name = optarg; break;
		case 'd': g->dir = optarg; break;
		case 'k': g->kind = optarg; break;
		case 'o': g->outcome = optarg; break;
		case 's': g->start = optarg; break;
		case 'D': g->duration = optarg; break;
		case 'c': g->cost = optarg; break;
		case 'C': g->currency = optarg; break;
		case 'x': g->contact = optarg; break;
		case '1': case '2': case '3': case '4':
			g->qual[ch - '1'] = optarg;
			g->quality[ch - '1'] = true;
			break;
		}
		if (bad)
			return cli_calls_usage(o, s);
	}
	g->pos = argv + optind;
	g->npos = argc - optind;
	if (g->npos != s->npos) {
		if (g->npos > s->npos)
			out_errorf(o, "unexpected argument '%s'",
				   g->pos[s->npos]);
		return cli_calls_usage(o, s);
	}
	return 0;
}

/* ---- value parsing ------------------------------------------------------ */

static int cli_calls_int(const char *s, int64_t *v)
{
	char *end;

	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (!*s || *end || errno || x < 0)
		return -EINVAL;
	*v = x;
	return 0;
}

static int cli_calls_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*v) ? -EINVAL : 0;
}

/* "12", "0.5", "1.25" to cents. */
static int cli_calls_cents(const char *s, int64_t *cents)
{
	const char *p = s;
	int64_t whole = 0, frac = 0;
	int nfrac = 0, nwhole = 0;

	for (; *p >= '0' && *p <= '9'; p++, nwhole++) {
		if (whole > INT64_MAX / 1000)
			return -EINVAL;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
			if (nfrac == 2)
				return -EINVAL;	/* no fractions of a cent */
			frac = frac * 10 + (*p - '0');
		}
	}
	if (*p || (nwhole == 0 && nfrac == 0))
		return -EINVAL;
	if (nfrac == 1)
		frac *= 10;
	*cents = whole * 100 + frac;
	return 0;
}

/* "YYYY-MM-DD HH:MM[:SS]" in local time; a real date and time only. */
static int cli_calls_time(const char *s, int64_t *t)
{
	struct tm tm, want;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof tm);
		end = strptime(s, "%Y-%m-%d %H:%M", &tm);
	}
	if (!end || *end)
		return -EINVAL;
	want = tm;
	tm.tm_isdst = -1;
	time_t v = mktime(&tm);
	if (v == (time_t)-1 || tm.tm_mday != want.tm_mday ||
	    tm.tm_mon != want.tm_mon || tm.tm_year != want.tm_year ||
	    v < 0)
		return -EINVAL;
	*t = (int64_t)v;
	return 0;
}

/* ---- list --------------------------------------------------------------- */

static void cli_calls_money(char *buf, size_t len, const struct call_entry *e)
{
	if (!e->has_cost) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%lld.%02lld%s%s", (long long)(e->cost_cents / 100),
		 (long long)(e->cost_cents % 100), e->currency ? " " : "",
		 e->currency ? e->currency : "");
}

static json_t *cli_calls_json(const struct call_entry *e)
{
	char ts[32];
	json_t *j = json_object();

	contact_fmt_time(ts, sizeof ts, e->started);
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "uid", contact_fmt_jstr(e->uid));
	json_object_set_new(j, "kind", json_string(calls_kind_name(e->kind)));
	json_object_set_new(j, "direction",
			    json_string(calls_dir_name(e->dir)));
	json_object_set_new(j, "name", contact_fmt_jstr(calls_display_name(e)));
	json_object_set_new(j, "peer", contact_fmt_jstr(e->peer));
	if (e->peer_name)
		json_object_set_new(j, "peer_name",
				    contact_fmt_jstr(e->peer_name));
	if (e->contact_id)
		json_object_set_new(j, "contact_id",
				    json_integer(e->contact_id));
	json_object_set_new(j, "start", json_string(ts));
	json_object_set_new(j, "duration", json_integer(e->duration));
	json_object_set_new(j, "outcome",
			    json_string(calls_outcome_name(e->outcome)));
	if (e->has_cost) {
		json_object_set_new(j, "cost_cents",
				    json_integer(e->cost_cents));
		if (e->currency)
			json_object_set_new(j, "currency",
					    json_string(e->currency));
	}
	if (e->has_quality) {
		json_object_set_new(j, "loss", json_real(e->loss));
		json_object_set_new(j, "jitter_ms", json_real(e->jitter_ms));
		json_object_set_new(j, "rtt_ms", json_real(e->rtt_ms));
		json_object_set_new(j, "mos", json_real(e->mos));
	}
	json_object_set_new(j, "seen", json_boolean(e->seen));
	return j;
}

static int cli_calls_list(struct app *a, struct cli_calls_args *g,
			  struct out *o)
{
	int64_t limit = INT64_MAX;
	struct call_entry *v;
	size_t n;

	if (g->limit && (cli_calls_int(g->limit, &limit) < 0 || limit == 0)) {
		out_errorf(o, "bad --limit '%s': give a number of calls, 1 or "
			   "more", g->limit);
		return EXIT_USAGE;
	}
	if (calls_list(a->db, g->has_filter ? g->filter : CALLS_ALL,
		       (size_t)limit, &v, &n) < 0) {
		out_errorf(o, "cannot read the call log from %s", a->db_path);
		return 1;
	}
	json_t *arr = g->json ? json_array() : NULL;
	struct sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++) {
		const struct call_entry *e = &v[i];
		if (arr) {
			json_array_append_new(arr, cli_calls_json(e));
			continue;
		}
		char ts[32], cost[48];
		struct tm tm;
		time_t t = (time_t)e->started;
		localtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%d %H:%M", &tm);
		cli_calls_money(cost, sizeof cost, e);
		sbuf_printf(&b, "%lld\t%s\t%s\t%s\t%s\t%lld\t",
			    (long long)e->id, ts, calls_dir_name(e->dir),
			    calls_kind_name(e->kind),
			    calls_outcome_name(e->outcome),
			    (long long)e->duration);
		contact_fmt_cell(&b, calls_display_name(e), '\t');
		contact_fmt_cell(&b, e->peer, '\t');
		contact_fmt_cell(&b, cost, '\n');
	}
	if (arr) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		out_printf(o, "%s\n", s ? s : "[]");
		free(s);
		json_decref(arr);
	} else if (b.len) {
		out_write(o, b.s, b.len);
	}
	sbuf_free(&b);
	calls_entries_free(v, n);
	return 0;
}

/* ---- add ---------------------------------------------------------------- */

static int cli_calls_fill(const struct cli_calls_args *g,
			  struct call_entry *e, struct out *o)
{
	if (!g->peer || !g->dir || !g->kind || !g->outcome) {
		out_errorf(o, "calls add needs --peer, --direction, --kind and "
			   "--outcome");
		return EXIT_USAGE;
	}
	if (calls_dir_parse(g->dir, &e->dir) < 0) {
		out_errorf(o, "bad --direction '%s': use in or out", g->dir);
		return EXIT_USAGE;
	}
	if (calls_kind_parse(g->kind, &e->kind) < 0) {
		out_errorf(o, "bad --kind '%s': use pc or phone", g->kind);
		return EXIT_USAGE;
	}
	if (calls_outcome_parse(g->outcome, &e->outcome) < 0) {
		out_errorf(o, "bad --outcome '%s': use answered, missed, "
			   "rejected, failed, voicemail, busy or cancelled",
			   g->outcome);
		return EXIT_USAGE;
	}
	if (g->start && cli_calls_time(g->start, &e->started) < 0) {
		out_errorf(o, "bad --start '%s': use \"YYYY-MM-DD HH:MM\" "
			   "(local time)", g->start);
		return 1;
	}
	if (g->duration && cli_calls_int(g->duration, &e->duration) < 0) {
		out_errorf(o, "bad --duration '%s': give whole seconds, 0 or "
			   "more", g->duration);
		return 1;
	}
	if (g->cost) {
		if (cli_calls_cents(g->cost, &e->cost_cents) < 0) {
			out_errorf(o, "bad --cost '%s': give an amount such as "
				   "0.25", g->cost);
			return 1;
		}
		e->has_cost = true;
	}
	if (g->contact && (cli_calls_int(g->contact, &e->contact_id) < 0 ||
			   e->contact_id == 0)) {
		out_errorf(o, "bad --contact '%s': give a contact id as shown "
			   "by confab contacts list", g->contact);
		return 1;
	}
	int nq = g->quality[0] + g->quality[1] + g->quality[2] + g->quality[3];
	if (nq && nq != 4) {
		out_errorf(o, "give --loss, --jitter, --rtt and --mos together");
		return EXIT_USAGE;
	}
	if (nq) {
		double *q[] = { &e->loss, &e->jitter_ms, &e->rtt_ms, &e->mos };
		for (int i = 0; i < 4; i++)
			if (cli_calls_double(g->qual[i], q[i]) < 0) {
				out_errorf(o, "bad --%s '%s': give a number",
					   cli_calls_optname('1' + i),
					   g->qual[i]);
				return 1;
			}
		e->loss /= 100;	/* given in percent */
		e->has_quality = true;
	}
	e->peer = xstrdup(g->peer);
	e->peer_name = str_empty(g->name) ? NULL : xstrdup(g->name);
	e->currency = str_empty(g->currency) ? NULL : xstrdup(g->currency);
	return 0;
}

static int cli_calls_add(struct app *a, struct cli_calls_args *g,
			 struct out *o)
{
	struct call_entry e = { 0 };
	char *err = NULL;
	int rc = cli_calls_fill(g, &e, o);

	if (rc == 0 && calls_add(a->db, &e, app_region(a), &err) < 0) {
		out_errorf(o, "%s", err ? err : "cannot save the call");
		rc = 1;
	}
	if (rc == 0)
		out_printf(o, "added call %lld (%s %s call, %s)\n",
			   (long long)e.id, e.dir == CALL_IN ? "incoming" :
			   "outgoing", e.kind == CALL_PC ? "PC" : "phone",
			   calls_outcome_name(e.outcome));
	free(err);
	calls_entry_clear(&e);
	return rc;
}

/* ---- seen, delete ------------------------------------------------------- */

static int cli_calls_seen(struct app *a, struct cli_calls_args *g,
			  struct out *o)
{
	int64_t n = calls_unseen_missed(a->db);

	if (calls_mark_seen(a->db) < 0) {
		out_errorf(o, "cannot update the call log in %s", a->db_path);
		return 1;
	}
	out_printf(o, "%lld missed call%s marked seen\n", (long long)n,
		   n == 1 ? "" : "s");
	return 0;
}

static int cli_calls_delete(struct app *a, struct cli_calls_args *g,
			    struct out *o)
{
	int64_t id;

	if (cli_calls_int(g->pos[0], &id) < 0) {
		out_errorf(o, "bad call id '%s': give the id shown by confab "
			   "calls list", g->pos[0]);
		return EXIT_USAGE;
	}
	int rc = calls_delete(a->db, id);
	if (rc == -ENOENT) {
		out_errorf(o, "no call %lld in the log (see: confab calls "
			   "list)", (long long)id);
		return 1;
	}
	if (rc < 0) {
		out_errorf(o, "cannot delete call %lld: %s", (long long)id,
			   strerror(-rc));
		return 1;
	}
	out_printf(o, "deleted call %lld\n", (long long)id);
	return 0;
}

static const struct cli_calls_sub cli_calls_subs[] = {
	{ "list", "jAMIOPFl", 0,
	  "list [--missed|--incoming|--outgoing|--pc|--phone] [--limit N] "
	  "[--json]", cli_calls_list },
	{ "add", "pndkosDcCx1234", 0,
	  "add --peer P --direction in|out --kind pc|phone --outcome O "
	  "[--start \"YYYY-MM-DD HH:MM\"] [--duration S] [--cost AMOUNT] ...",
	  cli_calls_add },
	{ "seen", "", 0, "seen", cli_calls_seen },
	{ "delete", "", 1, "delete ID", cli_calls_delete },
};

int cli_calls_run(struct app *a, int argc, char **argv, struct out *o)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0 ||
		    (i == 1 && strcmp(argv[i], "help") == 0)) {
			const struct app_cmd *self = app_cmd_find("calls");
			out_printf(o, "%s", self ? self->usage : "");
			return 0;
		}
	const char *name = argc > 1 ? argv[1] : "list";
	for (size_t i = 0; i < sizeof cli_calls_subs / sizeof *cli_calls_subs;
	     i++) {
		const struct cli_calls_sub *s = &cli_calls_subs[i];
		if (strcmp(name, s->name) != 0)
			continue;
		struct cli_calls_args g = { 0 };
		int rc = argc > 1 ? cli_calls_parse(s, argc - 1, argv + 1, &g,
						    o) : 0;
		return rc ? rc : s->run(a, &g, o);
	}
	out_errorf(o, "unknown calls command '%s': use list, add, seen or "
		   "delete (see: confab help calls)", name);
	return EXIT_USAGE;
}
