/* views/list: the one list widget.
 *
 * A virtual list: it knows only how many rows there are and asks its owner
 * to draw each visible row, so a list of a million contacts costs what one
 * screenful costs.  Serves contacts now; CRM, messages and call logs later.
 */
#ifndef CONFAB_VIEWS_LIST_H
#define CONFAB_VIEWS_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include "views/keys.h"

struct shell;

typedef void (*list_draw_row)(void *arg, WINDOW *w, int y, int x, int width,
			      size_t index, bool selected);

struct list {
	size_t count, sel, top;
	int height;		/* rows shown at the last draw */
	int y0;			/* screen row of the first entry (mouse) */
	list_draw_row draw_row;
	void *arg;
	const char *empty;	/* text when there are no rows */
};

void list_init(struct list *l, list_draw_row draw_row, void *arg);
void list_set_count(struct list *l, size_t n);
void list_select(struct list *l, size_t i);
/* Movement actions (down, up, pages, top, bottom); true when handled. */
bool list_move(struct list *l, enum action a);
void list_draw(struct list *l, struct shell *sh, WINDOW *w, int y, int x,
	       int h, int width);
/* Index of the entry drawn at window row y, or -1. */
long list_row_at(const struct list *l, int y);

#endif
