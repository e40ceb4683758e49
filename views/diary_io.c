/* views/diary_io: the Diary tab's iCalendar import (`i`) and export (`x`)
 * prompts, over store/diary_io.c. */
#include "views/diary.h"
#include "views/ui.h"
#include "app/app.h"
#include "store/diary_io.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct io_req {
	struct shell *sh;
	appt_done_cb done;
	void *arg;
	int64_t from, to;
};

static char *expand_home(const char *p)
{
	const char *home = getenv("HOME");

	if (p[0] == '~' && (p[1] == '/' || !p[1]) && home)
		return xasprintf("%s%s", home, p + 1);
	return xstrdup(p);
}

static void import_cb(void *arg, const char *text)
{
	struct io_req *q = arg;
	struct diary_io_report rep;
	char *err = NULL;

	if (text && *text) {
		char *path = expand_home(text);
		if (diary_import_path(shell_app(q->sh)->db, path,
				      DIARY_DUP_UPDATE, &rep, &err) < 0) {
			shell_error(q->sh, "%s", err ? err : "import failed");
		} else {
			struct sbuf b;
			sbuf_init(&b);
			sbuf_printf(&b, "Imported %zu, updated %zu, skipped %zu "
				    "(%s)\n", rep.imported, rep.updated,
				    rep.skipped, rep.format ? rep.format : "");
			for (size_t i = 0; i < rep.nskips; i++)
				sbuf_printf(&b, "\n%s:%u: %s", rep.skips[i].file,
					    rep.skips[i].line,
					    rep.skips[i].reason);
			if (rep.nskips)
				ui_pager(q->sh, "Import report", sbuf_str(&b));
			else
				shell_message(q->sh, "%s", sbuf_str(&b));
			sbuf_free(&b);
			if (q->done)
				q->done(q->arg, 0);
		}
		diary_io_report_clear(&rep);
		free(path);
		free(err);
	}
	free(q);
}

void diary_import_prompt(struct shell *sh, appt_done_cb done, void *arg)
{
	struct io_req *q = xcalloc(1, sizeof *q);

	q->sh = sh;
	q->done = done;
	q->arg = arg;
	ui_prompt(sh, "Import iCalendar file or vdir:", NULL, import_cb, q);
}

/* A path ending in '/' or naming a directory is a vdir. */
static void export_cb(void *arg, const char *text)
{
	struct io_req *q = arg;
	struct diary_span span = { q->from, q->to };
	char *err = NULL;
	size_t n = 0;
	struct stat st;

	if (text && *text) {
		char *path = expand_home(text);
		size_t len = strlen(path);
		bool dir = path[len - 1] == '/' ||
			   (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
		int rc = dir ? diary_export_vdir(shell_app(q->sh)->db, &span,
						 path, &n, &err) :
			       diary_export_file(shell_app(q->sh)->db, &span,
						 path, &n, &err);
		if (rc < 0)
			shell_error(q->sh, "%s", err ? err : "export failed");
		else
			shell_message(q->sh, "Exported %zu appointment%s to %s",
				      n, n == 1 ? "" : "s", path);
		free(path);
		free(err);
	}
	free(q);
}

void diary_export_prompt(struct shell *sh, int64_t from_utc, int64_t to_utc)
{
	struct io_req *q = xcalloc(1, sizeof *q);

	q->sh = sh;
	q->from = from_utc;
	q->to = to_utc;
	ui_prompt(sh, "Export the shown period to (file.ics, or dir/ for a "
		  "vdir):", "diary.ics", export_cb, q);
}
