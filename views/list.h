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

/* Search-as-you-type above a list, one key at a time: Enter ends typing,
 * Esc empties the text and ends, Up/Down move the selection, and any
 * other key edits `ed`.  Says which of these happened. */
struct lineedit;
struct ui_key;
enum list_search {
	LIST_SEARCH_NONE,	/* moved, or nothing changed */
	LIST_SEARCH_DONE,	/* Enter: stop typing, keep the results */
	LIST_SEARCH_CLEARED,	/* Esc: text emptied, stop typing */
	LIST_SEARCH_CHANGED,	/* the text changed: search again */
};
enum list_search list_search_key(struct list *l, struct lineedit *ed,
				 const struct ui_key *k);

#endif
