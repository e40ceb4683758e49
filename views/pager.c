/* views/pager: a scrolling text layer (help, import reports, command
 * output) with / search and n/N. */
#include "views/ui.h"
#include "views/lineedit.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

struct pager {
	struct view v;
	char *title;
	char **lines;
	size_t n, top;
	int height;
	bool searching;
	struct lineedit ed;
	char *pattern;
};

static bool line_has(const char *line, const char *pat)
{
	char *a = str_fold(line), *b = str_fold(pat);
	bool r = strstr(a, b) != NULL;

	free(a);
	free(b);
	return r;
}

static void find(struct pager *p, int dir)
{
	if (str_empty(p->pattern) || !p->n)
		return;
	for (size_t k = 1; k <= p->n; k++) {
		size_t i = (p->top + p->n + (size_t)dir * k) % p->n;
		if (line_has(p->lines[i], p->pattern)) {
			p->top = i;
			return;
		}
	}
	shell_error(p->v.sh, "not found: %s", p->pattern);
}

static void pager_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct pager *p = (struct pager *)v;
	struct shell *sh = v->sh;

	p->height = h - 2;
	ui_box(sh, w, 0, 0, h, cols, p->title);
	if (p->n > (size_t)p->height && p->top > p->n - (size_t)p->height)
		p->top = p->n - (size_t)p->height;
	for (int r = 0; r < p->height; r++) {
		size_t i = p->top + (size_t)r;
		if (i >= p->n)
			break;
		attr_t a = p->pattern && line_has(p->lines[i], p->pattern) ?
				   ui_attr(sh, UI_MATCH) : A_NORMAL;
		ui_text(w, 1 + r, 2, cols - 4, p->lines[i], a);
	}
	char *pos = xasprintf(" %zu-%zu of %zu  q:close ", p->n ? p->top + 1 : 0,
			      p->top + (size_t)p->height < p->n ?
				      p->top + (size_t)p->height : p->n, p->n);
	int pw = utf8_width(pos);
	if (cols > pw + 4)
		ui_puts(w, h - 1, cols - pw - 2, pw, pos, ui_attr(sh, UI_BORDER));
	free(pos);
	if (p->searching) {
		mvwaddstr(w, h - 1, 2, "/");
		lineedit_draw(&p->ed, w, h - 1, 3, cols / 2, A_NORMAL);
	}
}

static bool pager_key(struct view *v, const struct ui_key *k)
{
	struct pager *p = (struct pager *)v;
	size_t page = p->height > 1 ? (size_t)p->height - 1 : 1;
	bool changed;

	if (p->searching) {
		if (!k->is_text && (k->code == '\n' || k->code == 27)) {
			p->searching = false;
			if (k->code == '\n') {
				free(p->pattern);
				p->pattern = lineedit_text(&p->ed);
				find(p, 1);
			}
			return true;
		}
		lineedit_key(&p->ed, k->code, k->ch, k->is_text, &changed);
		return true;
	}
	switch (k->action) {
	case A_DOWN: if (p->top + 1 < p->n) p->top++; return true;
	case A_UP: if (p->top) p->top--; return true;
	case A_PAGE_DOWN: p->top += page; if (p->top >= p->n) p->top = p->n ? p->n - 1 : 0; return true;
	case A_PAGE_UP: p->top = p->top > page ? p->top - page : 0; return true;
	case A_FIRST: p->top = 0; return true;
	case A_LAST: p->top = p->n ? p->n - 1 : 0; return true;
	case A_SEARCH:
		p->searching = true;
		lineedit_set(&p->ed, "");
		return true;
	case A_SEARCH_NEXT: find(p, 1); return true;
	case A_SEARCH_PREV: find(p, -1); return true;
	default:
		return ui_close_on(v, k);
	}
}

static bool pager_wants_text(struct view *v)
{
	return ((struct pager *)v)->searching;
}

static void pager_free(struct view *v)
{
	struct pager *p = (struct pager *)v;

	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->title);
	free(p->pattern);
	lineedit_free(&p->ed);
	free(p);
}

static const enum action pager_hints[] = { A_DOWN, A_UP, A_SEARCH, A_CLOSE,
					   A_NONE };
static const struct view_ops pager_ops = {
	.name = "pager",
	.ctx = CTX_PAGER,
	.draw = pager_draw,
	.key = pager_key,
	.wants_text = pager_wants_text,
	.free = pager_free,
	.hints = pager_hints,
};

void ui_pager(struct shell *sh, const char *title, const char *text)
{
	struct pager *p = xcalloc(1, sizeof *p);

	p->v.ops = &pager_ops;
	p->v.title = "pager";
	p->v.modal = true;
	p->title = xstrdup(title);
	lineedit_init(&p->ed, "");
	for (const char *s = text; *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		p->lines = xrealloc(p->lines, (p->n + 1) * sizeof *p->lines);
		p->lines[p->n++] = xstrndup(s, len);
		s += len + (e ? 1 : 0);
	}
	shell_push(sh, &p->v);
}
