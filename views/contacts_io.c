/* views/contacts_io: import (with a progress bar and a report) and export
 * from the address book tab. */
#include "views/contacts.h"
#include "views/ui.h"
#include "app/app.h"
#include "store/export.h"
#include "store/import.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wordexp.h>

/* "~/x.vcf" and "$HOME/x" as a shell would read them; no commands run. */
static char *expand_path(const char *in)
{
	wordexp_t we;
	char *out = NULL;

	if (wordexp(in, &we, WRDE_NOCMD) == 0) {
		if (we.we_wordc == 1)
			out = xstrdup(we.we_wordv[0]);
		wordfree(&we);
	}
	return out ? out : xstrdup(in);
}

struct import_job {
	struct shell *sh;
	int64_t book_id;
	char *path;
	int64_t last_draw;
};

static void progress(void *arg, size_t done, size_t total)
{
	struct import_job *j = arg;
	struct shell *sh = j->sh;
	WINDOW *w = stdscr;
	int cols = COLS > 64 ? 60 : COLS - 4;
	int y = LINES / 2 - 2, x = (COLS - cols) / 2;
	int pct = total ? (int)(done * 100 / total) : 0;
	int bar = cols - 12;
	int fill = total ? (int)((long)bar * (long)done / (long)total) : 0;

	ui_box(sh, w, y, x, 5, cols, "Importing");
	ui_text(w, y + 1, x + 2, cols - 4, j->path, A_NORMAL);
	wmove(w, y + 3, x + 2);
	wattrset(w, ui_attr(sh, UI_SELECTED));
	for (int i = 0; i < fill; i++)
		waddch(w, ' ');
	wattrset(w, ui_attr(sh, UI_DIM));
	for (int i = fill; i < bar; i++)
		waddch(w, ui_ascii(sh) ? '.' : ACS_CKBOARD);
	wattrset(w, A_NORMAL);
	char *t = xasprintf(" %3d%%", pct);
	ui_puts(w, y + 3, x + 2 + bar, 6, t, A_BOLD);
	free(t);
	wnoutrefresh(w);
	doupdate();
}

static void report(struct shell *sh, const char *path,
		   const struct import_report *r)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_printf(&b, "%s (%s)\n\n", path, r->format ? r->format : "?");
	sbuf_printf(&b, "Imported  %zu\nMerged    %zu\nSkipped   %zu\n",
		    r->imported, r->merged, r->skipped);
	if (r->nskips)
		sbuf_add(&b, "\nSkipped:\n");
	for (size_t i = 0; i < r->nskips; i++)
		sbuf_printf(&b, "  %s:%u: %s\n", r->skips[i].file,
			    r->skips[i].line, r->skips[i].reason);
	ui_pager(sh, "Import report", sbuf_str(&b));
	sbuf_free(&b);
}

static void run_import(struct import_job *j, enum import_dup dup)
{
	struct app *a = shell_app(j->sh);
	struct import_opts o = { .book_id = j->book_id, .dup = dup,
				 .region = app_region(a), .progress = progress,
				 .arg = j };
	struct import_report r;
	char *err = NULL;

	progress(j, 0, 1);
	int rc = import_path(a->db, j->path, &o, &r, &err);
	if (rc < 0) {
		shell_error(j->sh, "%s", err ? err : "import failed");
	} else {
		report(j->sh, j->path, &r);
		shell_message(j->sh, "Imported %zu, merged %zu, skipped %zu",
			      r.imported, r.merged, r.skipped);
	}
	import_report_clear(&r);
	free(err);
	shell_reload(j->sh);
	clearok(curscr, TRUE);
}

static void free_job(struct import_job *j)
{
	free(j->path);
	free(j);
}

static void dup_chosen(void *arg, int i)
{
	struct import_job *j = arg;

	if (i >= 0)
		run_import(j, i == 0 ? IMPORT_DUP_MERGE : IMPORT_DUP_SKIP);
	free_job(j);
}

static void path_given(void *arg, const char *text)
{
	struct import_job *j = arg;
	static const char *const choices[] = {
		"Merge them into the contact already stored",
		"Skip them (keep what is stored)",
	};
	struct stat sb;

	if (str_empty(text)) {
		free_job(j);
		return;
	}
	j->path = expand_path(text);
	if (stat(j->path, &sb) < 0) {
		shell_error(j->sh, "%s: %s", j->path, strerror(errno));
		free_job(j);
		return;
	}
	ui_menu(j->sh, "Duplicates (same UID, email or phone)", choices, 2, 0,
		dup_chosen, j);
}

void contacts_import_start(struct shell *sh, int64_t book_id)
{
	struct import_job *j = xcalloc(1, sizeof *j);

	j->sh = sh;
	j->book_id = book_id;
	ui_prompt(sh, "Import a vCard or CSV file, or a vdir directory:", "",
		  path_given, j);
}

struct export_job {
	struct shell *sh;
	int64_t *ids;
	size_t n;
	char *path;
	bool dir;
};

static void export_free(struct export_job *j)
{
	free(j->ids);
	free(j->path);
	free(j);
}

static void format_chosen(void *arg, int i)
{
	struct export_job *j = arg;
	static const enum export_format fmts[] = { EXPORT_VCARD3,
						   EXPORT_VCARD4, EXPORT_CSV };
	struct app *a = shell_app(j->sh);
	char *err = NULL;

	if (i < 0) {
		export_free(j);
		return;
	}
	int rc = j->dir ?
		export_vdir(a->db, j->ids, j->n, fmts[i], j->path, &err) :
		export_file(a->db, j->ids, j->n, fmts[i], j->path, &err);
	if (rc < 0)
		shell_error(j->sh, "%s", err ? err : "export failed");
	else
		shell_message(j->sh, "Exported %zu contact%s to %s", j->n,
			      j->n == 1 ? "" : "s", j->path);
	free(err);
	export_free(j);
}

static void export_path(void *arg, const char *text)
{
	struct export_job *j = arg;
	static const char *const fmts[] = { "vCard 3.0", "vCard 4.0", "CSV" };
	struct stat sb;

	if (str_empty(text)) {
		export_free(j);
		return;
	}
	j->path = expand_path(text);
	size_t len = strlen(j->path);
	j->dir = (len && j->path[len - 1] == '/') ||
		 (stat(j->path, &sb) == 0 && S_ISDIR(sb.st_mode));
	int def = len > 4 && str_ieq(j->path + len - 4, ".csv") ? 2 : 0;
	if (j->dir) {
		ui_menu(j->sh, "vdir: one vCard per contact", fmts, 2, 0,
			format_chosen, j);
		return;
	}
	ui_menu(j->sh, "Export format", fmts, 3, def, format_chosen, j);
}

void contacts_export_start(struct shell *sh, const int64_t *ids, size_t n)
{
	if (!n) {
		shell_error(sh, "nothing to export: the list is empty");
		return;
	}
	struct export_job *j = xcalloc(1, sizeof *j);
	j->sh = sh;
	j->ids = xmalloc(n * sizeof *ids);
	memcpy(j->ids, ids, n * sizeof *ids);
	j->n = n;
	char *q = xasprintf("Export %zu contact%s to (file.vcf, file.csv or "
			    "directory/):", n, n == 1 ? "" : "s");
	ui_prompt(sh, q, "~/contacts.vcf", export_path, j);
	free(q);
}
