/* app/cli_contacts_io: `confab contacts import|export|query`. */
#include "app/app.h"
#include "app/cli_contacts.h"
#include "app/contact_fmt.h"
#include "store/books.h"
#include "store/contacts.h"
#include "store/export.h"
#include "store/import.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- import, export, query ------------------------------------------- */

struct cli_contacts_bar {
	int last;
	bool shown;
};

static void cli_contacts_progress(void *arg, size_t done, size_t total)
{
	struct cli_contacts_bar *bar = arg;
	int pct = total ? (int)(done * 100 / total) : 100;

	if (pct == bar->last)
		return;
	bar->last = pct;
	bar->shown = true;
	fprintf(stderr, "\rimporting\xe2\x80\xa6 %3d%%", pct);
	fflush(stderr);
}

/* The progress bar goes straight to the terminal, so only when this out
 * is the CLI's own (in the TUI, the `:` line owns the screen). */
static bool cli_contacts_tty(struct out *o)
{
	struct out cli;

	out_stdio(&cli);
	return o->write == cli.write && o->arg == cli.arg &&
	       isatty(STDERR_FILENO);
}

int cli_contacts_import(struct app *a, struct cli_contacts_args *g,
			       struct out *o)
{
	struct cli_contacts_bar bar = { .last = -1 };
	struct import_opts opts = { .dup = IMPORT_DUP_MERGE,
				    .region = app_region(a) };
	struct import_report rep;
	char *err = NULL;

	if (g->dup && str_ieq(g->dup, "skip")) {
		opts.dup = IMPORT_DUP_SKIP;
	} else if (g->dup && !str_ieq(g->dup, "merge")) {
		out_errorf(o, "unknown --on-duplicate '%s': use merge or skip",
			   g->dup);
		return EXIT_USAGE;
	}
	if (cli_contacts_target_book(a, g->book, &opts.book_id, o) < 0)
		return 1;
	if (cli_contacts_tty(o)) {
		opts.progress = cli_contacts_progress;
		opts.arg = &bar;
	}
	int rc = import_path(a->db, g->pos[0], &opts, &rep, &err);
	if (bar.shown)
		fputs("\r                    \r", stderr);
	if (rc < 0) {
		const char *e = err ? err : "import failed";
		out_errorf(o, "%s%s", e, strstr(e, "nothing was imported") ?
				 "" : "; nothing was imported");
		free(err);
		import_report_clear(&rep);
		return 1;
	}
	out_printf(o, "imported %zu, merged %zu, skipped %zu (%s)\n",
		   rep.imported, rep.merged, rep.skipped,
		   rep.format ? rep.format : "unknown format");
	for (size_t i = 0; i < rep.nskips; i++) {
		const struct import_skip *s = &rep.skips[i];
		if (s->line)
			out_printf(o, "  %s:%u: %s\n", s->file, s->line,
				   s->reason);
		else
			out_printf(o, "  %s: %s\n", s->file, s->reason);
	}
	import_report_clear(&rep);
	return 0;
}

int cli_contacts_export(struct app *a, struct cli_contacts_args *g,
			       struct out *o)
{
	enum export_format fmt = EXPORT_VCARD3;
	const char *path = g->output;
	int64_t book_id, *ids;
	size_t n;
	char *err = NULL;
	struct stat sb;
	int rc;

	if (g->format && export_parse_format(g->format, &fmt) < 0) {
		out_errorf(o, "unknown format '%s': use vcard3, vcard4 or csv",
			   g->format);
		return EXIT_USAGE;
	}
	if (path && !*path) {
		out_errorf(o, "-o needs a file or directory name");
		return EXIT_USAGE;
	}
	if (cli_contacts_book(a, g->book, &book_id, o) < 0)
		return 1;
	if (g->search)
		rc = contacts_search(a->db, g->search, book_id,
				     CLI_CONTACTS_ALL, &ids, &n, NULL);
	else
		rc = contacts_ids(a->db, book_id, CONTACTS_SORT_NAME, &ids, &n);
	if (rc < 0) {
		out_errorf(o, "cannot read the contacts from %s", a->db_path);
		return 1;
	}
	if (!path) {
		/* through memory, so the text goes out through struct out */
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		rc = fp ? export_stream(a->db, ids, n, fmt, fp, &err) : -ENOMEM;
		if (fp)
			fclose(fp);
		if (rc == 0)
			out_write(o, buf, len);
		free(buf);
	} else if (path[strlen(path) - 1] == '/' ||
		   (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))) {
		rc = export_vdir(a->db, ids, n, fmt, path, &err);
	} else {
		rc = export_file(a->db, ids, n, fmt, path, &err);
	}
	free(ids);
	if (rc < 0) {
		out_errorf(o, "export failed: %s", err ? err :
			   "cannot write the contacts");
		free(err);
		return 1;
	}
	if (path)
		out_errorf(o, "exported %zu contact%s to %s", n,
			   n == 1 ? "" : "s", path);
	return 0;
}

/* mutt's query_command protocol: a status line, then
 * "address<TAB>name<TAB>other info" lines; exit 1 when none. */
int cli_contacts_query(struct app *a, struct cli_contacts_args *g,
			      struct out *o)
{
	char *text = cli_contacts_words(g);
	int64_t *ids;
	size_t n, matches = 0;
	struct sbuf b;
	int rc;

	if (!*text)	/* mutt's empty query: everyone */
		rc = contacts_ids(a->db, 0, CONTACTS_SORT_NAME, &ids, &n);
	else
		rc = contacts_search(a->db, text, 0, CLI_CONTACTS_ALL, &ids,
				     &n, NULL);
	free(text);
	if (rc < 0) {
		out_printf(o, "confab: cannot search %s\n", a->db_path);
		return 1;
	}
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++) {
		struct contact *c;
		if (contacts_get(a->db, ids[i], &c) < 0)
			continue;
		for (size_t k = 0; k < c->nfields; k++) {
			if (c->fields[k].kind != CF_EMAIL ||
			    str_empty(c->fields[k].value))
				continue;
			contact_fmt_cell(&b, c->fields[k].value, '\t');
			contact_fmt_cell(&b, c->fn, '\t');
			contact_fmt_cell(&b, c->org, '\n');
			matches++;
		}
		contact_free(c);
	}
	free(ids);
	if (matches)
		out_printf(o, "confab: %zu match%s\n", matches,
			   matches == 1 ? "" : "es");
	else
		out_printf(o, "confab: no matches\n");
	if (b.len)
		out_write(o, b.s, b.len);
	sbuf_free(&b);
	return matches ? 0 : 1;
}

