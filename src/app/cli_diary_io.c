/* app/cli_diary_io: `confab diary import FILE.ics|DIR [--on-duplicate
 * update|skip]` and `confab diary export [-o FILE|DIR] [--from DATE]
 * [--to DATE]`. */
#include "app/app.h"
#include "app/cli_diary.h"
#include "store/diary_io.h"
#include "store/recur.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CLI_DIARY_USAGE 2

struct cli_diary_io_args {
	const char *dup, *output, *from, *to;
	char **pos;
	int npos;
};

static int cli_diary_io_parse(int argc, char **argv,
			      struct cli_diary_io_args *g, struct out *o)
{
	static const struct option lopts[] = {
		{ "on-duplicate", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(g, 0, sizeof *g);
	optind = 0;	/* 0: glibc starts afresh (argument permutation too) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'd': g->dup = optarg; break;
		case 'o': g->output = optarg; break;
		case 'f': g->from = optarg; break;
		case 't': g->to = optarg; break;
		case ':':
			out_errorf(o, "%s needs a value", argv[optind - 1]);
			return CLI_DIARY_USAGE;
		default:
			out_errorf(o, "unknown option '%s' (see: confab help "
				   "diary)", argv[optind - 1]);
			return CLI_DIARY_USAGE;
		}
	}
	g->pos = argv + optind;
	g->npos = argc - optind;
	return 0;
}

int cli_diary_import(struct app *a, int argc, char **argv, struct out *o)
{
	struct cli_diary_io_args g;
	enum diary_dup dup = DIARY_DUP_UPDATE;
	struct diary_io_report rep;
	char *err = NULL;
	int rc = cli_diary_io_parse(argc, argv, &g, o);

	if (rc)
		return rc;
	if (g.dup && str_ieq(g.dup, "skip")) {
		dup = DIARY_DUP_SKIP;
	} else if (g.dup && !str_ieq(g.dup, "update")) {
		out_errorf(o, "unknown --on-duplicate '%s': use update or skip",
			   g.dup);
		return CLI_DIARY_USAGE;
	}
	if (g.npos != 1 || g.output || g.from || g.to) {
		out_errorf(o, "usage: confab diary import FILE.ics|DIR "
			   "[--on-duplicate update|skip]");
		return CLI_DIARY_USAGE;
	}
	rc = diary_import_path(a->db, g.pos[0], dup, &rep, &err);
	if (rc < 0) {
		const char *e = err ? err : "import failed";
		out_errorf(o, "%s%s", e, strstr(e, "nothing was imported") ?
				 "" : "; nothing was imported");
		free(err);
		diary_io_report_clear(&rep);
		return 1;
	}
	out_printf(o, "imported %zu, updated %zu, skipped %zu (%s)\n",
		   rep.imported, rep.updated, rep.skipped,
		   rep.format ? rep.format : "iCalendar");
	for (size_t i = 0; i < rep.nskips; i++) {
		const struct diary_io_skip *s = &rep.skips[i];
		if (s->line)
			out_printf(o, "  %s:%u: %s\n", s->file, s->line,
				   s->reason);
		else
			out_printf(o, "  %s: %s\n", s->file, s->reason);
	}
	diary_io_report_clear(&rep);
	return 0;
}

/* A --from/--to value in the user's zone: a date alone is its midnight,
 * or for --to the midnight after (so --to is inclusive). */
static int cli_diary_io_when(const char *s, bool end_of_day, int64_t *out,
			     struct out *o)
{
	struct dt t;

	if (strcmp(s, "today") == 0) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		t = (struct dt){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				 0, 0, 0, true };
	} else if (!dt_parse(s, &t)) {
		out_errorf(o, "not a date: '%s' (use YYYY-MM-DD or "
			   "\"YYYY-MM-DD HH:MM\")", s);
		return -EINVAL;
	}
	if (t.date && end_of_day)
		dt_add_days(&t, 1);
	*out = dt_to_utc(&t, NULL);
	return 0;
}

int cli_diary_export(struct app *a, int argc, char **argv, struct out *o)
{
	struct cli_diary_io_args g;
	struct diary_span span = { 0, 0 };
	const char *path;
	char *err = NULL;
	size_t n = 0;
	struct stat sb;
	int rc = cli_diary_io_parse(argc, argv, &g, o);

	if (rc)
		return rc;
	path = g.output;
	if (g.npos != 0 || g.dup || (path && !*path)) {
		out_errorf(o, "usage: confab diary export [-o FILE|DIR] "
			   "[--from DATE] [--to DATE]");
		return CLI_DIARY_USAGE;
	}
	if (g.from || g.to) {
		/* year 1 to year 10000 when one end is open */
		span.from_utc = -62135596800LL;
		span.to_utc = 253402300800LL;
		if ((g.from && cli_diary_io_when(g.from, false, &span.from_utc,
						 o) < 0) ||
		    (g.to && cli_diary_io_when(g.to, true, &span.to_utc, o) < 0))
			return CLI_DIARY_USAGE;
		if (span.to_utc <= span.from_utc) {
			out_errorf(o, "--to is before --from");
			return CLI_DIARY_USAGE;
		}
	}
	if (!path) {
		struct sbuf b;
		sbuf_init(&b);
		rc = diary_export_buffer(a->db, &span, &b, &n, &err);
		if (rc == 0)
			out_write(o, sbuf_str(&b), b.len);
		sbuf_free(&b);
	} else if (path[strlen(path) - 1] == '/' ||
		   (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))) {
		rc = diary_export_vdir(a->db, &span, path, &n, &err);
	} else {
		rc = diary_export_file(a->db, &span, path, &n, &err);
	}
	if (rc < 0) {
		out_errorf(o, "export failed: %s", err ? err :
			   "cannot write the diary");
		free(err);
		return 1;
	}
	if (path)
		out_errorf(o, "exported %zu appointment%s to %s", n,
			   n == 1 ? "" : "s", path);
	return 0;
}
