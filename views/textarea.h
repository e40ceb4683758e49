/* views/textarea: a multi-line text editor for a region of a layer (the
 * body of a message).
 *
 * The text is kept as logical lines, each a lineedit (so a line edits as
 * every field does: C-a, C-e, C-k, C-u, C-w, Home, End); they are drawn
 * wrapped at word boundaries to the width given, measured with wcwidth.
 * Enter splits a line, Backspace at a line's start and Delete at its end
 * join two, Left and Right cross line ends, Up and Down move a line.
 */
#ifndef CONFAB_VIEWS_TEXTAREA_H
#define CONFAB_VIEWS_TEXTAREA_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include <wchar.h>
#include "views/lineedit.h"

struct textarea {
	struct lineedit *lines;
	size_t n;		/* at least 1 */
	size_t cur;		/* the line with the cursor */
	size_t top;		/* first screen row shown (wrapped rows) */
	int height, width;	/* at the last draw: pages, Up and Down */
};

void textarea_init(struct textarea *t, const char *utf8);
void textarea_free(struct textarea *t);
/* Replace the text; the cursor goes to its end. */
void textarea_set(struct textarea *t, const char *utf8);
/* The text, lines joined with '\n' (new string). */
char *textarea_text(const struct textarea *t);
bool textarea_empty(const struct textarea *t);
/* Put the cursor at the very start. */
void textarea_home(struct textarea *t);

/* Handle an editing key; true when it was one.  *changed says the text
 * changed; *leave is -1 for Up on the first line, +1 for Down on the
 * last (the owner moves to another field), else 0. */
bool textarea_key(struct textarea *t, int code, wint_t ch, bool is_text,
		  bool *changed, int *leave);
/* Draw h rows of `width` cells at (y, x); *cy, *cx get the cursor. */
void textarea_draw(struct textarea *t, WINDOW *w, int y, int x, int h,
		   int width, attr_t a, int *cy, int *cx);

/* Hand the text to `editor` (a shell command; the file's name is added
 * as its last argument) with curses suspended, wait for it, and take
 * back what it saved (at most TEXTAREA_EDIT_MAX bytes are read).  0, or
 * -1 with *err (new string) and the text as it was. */
#define TEXTAREA_EDIT_MAX (64 * 1024)
int textarea_external(struct textarea *t, const char *editor, char **err);

/* Word-wrap UTF-8 `text` to `width` cells: the lines, as new strings,
 * appended to *lines (*n grows).  Also serves read-only views. */
void text_wrap(const char *text, int width, char ***lines, size_t *n);

#endif
