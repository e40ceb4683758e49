/* views/books: choosing, adding, renaming and removing address books. */
#include "views/list.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/books.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct chooser {
	struct view v;
	struct list list;
	struct book *books;
	size_t n;
	int64_t total;
	books_chose_cb cb;
	void *arg;
};

static void load(struct chooser *c)
{
	struct app *a = shell_app(c->v.sh);

	books_free(c->books, c->n);
	books_list(a->db, &c->books, &c->n);
	c->total = 0;
	for (size_t i = 0; i < c->n; i++)
		c->total += c->books[i].ncontacts;
	list_set_count(&c->list, c->n + 1);
}

static void draw_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool sel)
{
	struct chooser *c = arg;
	char *t = i == 0 ?
		xasprintf("All address books  (%lld)", (long long)c->total) :
		xasprintf("%s  (%lld)", c->books[i - 1].name,
			  (long long)c->books[i - 1].ncontacts);
	ui_text(w, y, x, width, t, sel ? ui_attr(c->v.sh, UI_SELECTED) :
					 A_NORMAL);
	free(t);
}

static void ch_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct chooser *c = (struct chooser *)v;
	int bw = cols > 60 ? 56 : cols - 2;
	int bh = (int)c->n + 6 < h - 2 ? (int)c->n + 6 : h - 2;
	int y = (h - bh) / 2, x = (cols - bw) / 2;

	ui_box(v->sh, w, y, x, bh, bw, "Address books");
	list_draw(&c->list, v->sh, w, y + 1, x + 2, bh - 4, bw - 4);
	static const enum action acts[] = { A_BOOK_ADD, A_BOOK_RENAME,
					    A_BOOK_REMOVE, A_NONE };
	char *help = ui_key_help(v->sh, CTX_BOOKS, acts);
	char *line = xasprintf("Enter: Open  %s  q: Close", help);
	ui_text(w, y + bh - 2, x + 2, bw - 4, line, ui_attr(v->sh, UI_DIM));
	free(line);
	free(help);
}

static const char *selected_name(struct chooser *c)
{
	return c->list.sel == 0 ? NULL : c->books[c->list.sel - 1].name;
}

static void added(void *arg, const char *name)
{
	struct chooser *c = arg;
	struct app *a = shell_app(c->v.sh);
	int64_t id;

	if (!name)
		return;
	int rc = books_add(a->db, name, &id);
	if (rc == -EEXIST)
		shell_error(c->v.sh, "an address book named '%s' already exists",
			    name);
	else if (rc == -EINVAL)
		shell_error(c->v.sh, "'%s' is not a usable book name", name);
	else if (rc < 0)
		shell_error(c->v.sh, "cannot add the address book");
	else
		shell_message(c->v.sh, "Added address book %s", name);
	shell_reload(c->v.sh);
}

static void renamed(void *arg, const char *name)
{
	struct chooser *c = arg;
	struct app *a = shell_app(c->v.sh);
	const char *old = selected_name(c);

	if (!name || !old)
		return;
	char *from = xstrdup(old);
	int rc = books_rename(a->db, from, name);
	if (rc == -EEXIST)
		shell_error(c->v.sh, "an address book named '%s' already exists",
			    name);
	else if (rc == -EINVAL)
		shell_error(c->v.sh, "'%s' is not a usable book name", name);
	else if (rc < 0)
		shell_error(c->v.sh, "cannot rename '%s'", from);
	else
		shell_message(c->v.sh, "Renamed %s to %s", from, name);
	free(from);
	shell_reload(c->v.sh);
}

static void removed(void *arg, bool yes)
{
	struct chooser *c = arg;
	struct app *a = shell_app(c->v.sh);
	const char *name = selected_name(c);

	if (!yes || !name)
		return;
	char *n = xstrdup(name);
	if (books_remove(a->db, n) < 0)
		shell_error(c->v.sh, "cannot remove '%s'", n);
	else
		shell_message(c->v.sh, "Removed address book %s", n);
	free(n);
	c->cb(c->arg, 0);
	shell_reload(c->v.sh);
}

static bool ch_key(struct view *v, const struct ui_key *k)
{
	struct chooser *c = (struct chooser *)v;

	if (list_move(&c->list, k->action))
		return true;
	switch (k->action) {
	case A_OPEN: {
		int64_t id = c->list.sel ? c->books[c->list.sel - 1].id : 0;
		books_chose_cb cb = c->cb;
		void *arg = c->arg;
		shell_pop(v->sh, v);
		cb(arg, id);
		return true;
	}
	case A_BOOK_ADD:
		ui_prompt(v->sh, "Name of the new address book:", "", added, c);
		return true;
	case A_BOOK_RENAME:
		if (!selected_name(c))
			shell_error(v->sh, "choose a book to rename");
		else
			ui_prompt(v->sh, "New name:", selected_name(c), renamed,
				  c);
		return true;
	case A_BOOK_REMOVE: {
		if (!selected_name(c)) {
			shell_error(v->sh, "choose a book to remove");
			return true;
		}
		const struct book *b = &c->books[c->list.sel - 1];
		char *q = xasprintf("Remove address book %s and its %lld "
				    "contacts?", b->name,
				    (long long)b->ncontacts);
		ui_confirm(v->sh, q, removed, c);
		free(q);
		return true;
	}
	default:
		return ui_close_on(v, k);
	}
}

static void ch_click(struct view *v, int y, int x, bool dbl)
{
	struct chooser *c = (struct chooser *)v;
	long i = list_row_at(&c->list, y);

	if (i >= 0) {
		list_select(&c->list, (size_t)i);
		if (dbl)
			ch_key(v, &(struct ui_key){ .action = A_OPEN });
	}
}

static void ch_reload(struct view *v)
{
	load((struct chooser *)v);
}

static void ch_free(struct view *v)
{
	struct chooser *c = (struct chooser *)v;

	books_free(c->books, c->n);
	free(c);
}

static const enum action ch_hints[] = { A_OPEN, A_BOOK_ADD, A_BOOK_RENAME,
					A_BOOK_REMOVE, A_CLOSE, A_NONE };
static const struct view_ops ch_ops = {
	.name = "books",
	.ctx = CTX_BOOKS,
	.list_keys = true,
	.draw = ch_draw,
	.key = ch_key,
	.click = ch_click,
	.reload = ch_reload,
	.free = ch_free,
	.hints = ch_hints,
};

void books_open(struct shell *sh, int64_t current, books_chose_cb cb,
		void *arg)
{
	struct chooser *c = xcalloc(1, sizeof *c);

	c->v.ops = &ch_ops;
	c->v.sh = sh;
	c->v.title = "books";
	c->v.modal = true;
	c->cb = cb;
	c->arg = arg;
	list_init(&c->list, draw_row, c);
	load(c);
	for (size_t i = 0; i < c->n; i++)
		if (c->books[i].id == current)
			list_select(&c->list, i + 1);
	shell_push(sh, &c->v);
}
