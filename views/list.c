/* views/list: a virtual, scrolling list. */
#include "views/list.h"
#include "views/lineedit.h"
#include "views/ui.h"

void list_init(struct list *l, list_draw_row draw_row, void *arg)
{
	*l = (struct list){ .draw_row = draw_row, .arg = arg, .height = 10,
			    .empty = "(empty)" };
}

void list_set_count(struct list *l, size_t n)
{
	l->count = n;
	if (l->sel >= n)
		l->sel = n ? n - 1 : 0;
	if (l->top > l->sel)
		l->top = l->sel;
}

void list_select(struct list *l, size_t i)
{
	l->sel = l->count ? (i < l->count ? i : l->count - 1) : 0;
}

bool list_move(struct list *l, enum action a)
{
	size_t page = l->height > 1 ? (size_t)l->height - 1 : 1;

	if (!l->count)
		return a == A_DOWN || a == A_UP || a == A_PAGE_DOWN ||
		       a == A_PAGE_UP || a == A_FIRST || a == A_LAST;
	switch (a) {
	case A_DOWN:
		if (l->sel + 1 < l->count)
			l->sel++;
		return true;
	case A_UP:
		if (l->sel)
			l->sel--;
		return true;
	case A_PAGE_DOWN:
		l->sel = l->sel + page < l->count ? l->sel + page :
						    l->count - 1;
		l->top += page;
		return true;
	case A_PAGE_UP:
		l->sel = l->sel > page ? l->sel - page : 0;
		l->top = l->top > page ? l->top - page : 0;
		return true;
	case A_FIRST:
		l->sel = 0;
		return true;
	case A_LAST:
		l->sel = l->count - 1;
		return true;
	default:
		return false;
	}
}

void list_draw(struct list *l, struct shell *sh, WINDOW *w, int y, int x,
	       int h, int width)
{
	l->height = h;
	l->y0 = y;
	if (h <= 0)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)h)
		l->top = l->sel - (size_t)h + 1;
	if (l->top + (size_t)h > l->count)
		l->top = l->count > (size_t)h ? l->count - (size_t)h : 0;
	for (int r = 0; r < h; r++) {
		size_t i = l->top + (size_t)r;
		if (i < l->count) {
			l->draw_row(l->arg, w, y + r, x, width, i, i == l->sel);
		} else if (r == 0 && l->count == 0) {
			ui_text(w, y, x, width, l->empty, ui_attr(sh, UI_DIM));
		} else {
			ui_text(w, y + r, x, width, "", A_NORMAL);
		}
	}
}

long list_row_at(const struct list *l, int y)
{
	if (y < l->y0 || y >= l->y0 + l->height)
		return -1;
	size_t i = l->top + (size_t)(y - l->y0);
	return i < l->count ? (long)i : -1;
}

enum list_search list_search_key(struct list *l, struct lineedit *ed,
				 const struct ui_key *k)
{
	bool changed = false;

	if (!k->is_text && (k->code == '\n' || k->code == '\r' ||
			    k->code == KEY_ENTER))
		return LIST_SEARCH_DONE;
	if (!k->is_text && k->code == 27) {
		lineedit_set(ed, "");
		return LIST_SEARCH_CLEARED;
	}
	if (!k->is_text && (k->code == KEY_DOWN || k->code == KEY_UP)) {
		list_move(l, k->code == KEY_DOWN ? A_DOWN : A_UP);
		return LIST_SEARCH_NONE;
	}
	lineedit_key(ed, k->code, k->ch, k->is_text, &changed);
	return changed ? LIST_SEARCH_CHANGED : LIST_SEARCH_NONE;
}
