/* views/lineedit: a one-line text editor (UTF-8 in and out, edited as
 * wide characters, drawn with horizontal scrolling measured by wcwidth).
 * Used by the command line, search prompts and form fields.
 */
#ifndef CONFAB_VIEWS_LINEEDIT_H
#define CONFAB_VIEWS_LINEEDIT_H

#include <stdbool.h>
#include <curses.h>
#include <wchar.h>

struct lineedit {
	wchar_t *buf;
	size_t len, cap;
	size_t cur;	/* cursor, in characters */
	size_t scroll;	/* first character shown */
	bool secret;	/* a password: drawn as '*', wiped when freed */
};

void lineedit_init(struct lineedit *e, const char *utf8);
/* Frees the buffer (zeroed first when `secret`). */
void lineedit_free(struct lineedit *e);
void lineedit_set(struct lineedit *e, const char *utf8);
/* New UTF-8 string of the contents. */
char *lineedit_text(const struct lineedit *e);
bool lineedit_empty(const struct lineedit *e);
/* Handle an editing key: printable text, Backspace, Delete, Left/Right,
 * Home/End, C-a, C-e, C-u, C-k, C-w.  True when the key was used; *changed
 * is set when the text changed. */
bool lineedit_key(struct lineedit *e, int code, wint_t ch, bool is_text,
		  bool *changed);
/* Draw in `width` cells at (y, x) (a secret as one '*' a character);
 * returns the cursor column. */
int lineedit_draw(struct lineedit *e, WINDOW *w, int y, int x, int width,
		  attr_t a);

#endif
