/* views/ui: drawing helpers measured in terminal cells. */
#include "views/ui.h"
#include "common/str.h"

#include <stdlib.h>
#include <math.h>
#include <string.h>

int ui_puts(WINDOW *w, int y, int x, int width, const char *s, attr_t a)
{
	int used = 0;

	if (width <= 0 || !s)
		return 0;
	wattrset(w, a);
	wmove(w, y, x);
	/* control characters (newlines in notes) would break the layout */
	const char *p = s;
	while (*p && used < width) {
		const char *nl = p;
		while (*nl && (unsigned char)*nl >= 32)
			nl++;
		char *seg = xstrndup(p, (size_t)(nl - p));
		int u;
		size_t k = utf8_fit(seg, width - used, &u);
		waddnstr(w, seg, (int)k);
		used += u;
		free(seg);
		if (k < (size_t)(nl - p) || !*nl)
			break;
		if (used < width) {
			waddch(w, ' ');
			used++;
		}
		p = nl + 1;
	}
	wattrset(w, A_NORMAL);
	return used;
}

void ui_text(WINDOW *w, int y, int x, int width, const char *s, attr_t a)
{
	int used = ui_puts(w, y, x, width, s ? s : "", a);

	wattrset(w, a);
	for (; used < width; used++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}

void ui_hline(struct shell *sh, WINDOW *w, int y, int x, int width)
{
	wattrset(w, ui_attr(sh, UI_BORDER));
	if (ui_ascii(sh))
		mvwhline(w, y, x, '-', width);
	else
		mvwhline(w, y, x, ACS_HLINE, width);
	wattrset(w, A_NORMAL);
}

void ui_box(struct shell *sh, WINDOW *w, int y, int x, int h, int width,
	    const char *title)
{
	attr_t a = ui_attr(sh, UI_BORDER);
	bool asc = ui_ascii(sh);

	for (int r = y + 1; r < y + h - 1; r++) {
		wattrset(w, A_NORMAL);
		mvwhline(w, r, x + 1, ' ', width - 2);
	}
	wattrset(w, a);
	mvwhline(w, y, x + 1, asc ? '-' : ACS_HLINE, width - 2);
	mvwhline(w, y + h - 1, x + 1, asc ? '-' : ACS_HLINE, width - 2);
	mvwvline(w, y + 1, x, asc ? '|' : ACS_VLINE, h - 2);
	mvwvline(w, y + 1, x + width - 1, asc ? '|' : ACS_VLINE, h - 2);
	mvwaddch(w, y, x, asc ? '+' : ACS_ULCORNER);
	mvwaddch(w, y, x + width - 1, asc ? '+' : ACS_URCORNER);
	mvwaddch(w, y + h - 1, x, asc ? '+' : ACS_LLCORNER);
	mvwaddch(w, y + h - 1, x + width - 1, asc ? '+' : ACS_LRCORNER);
	wattrset(w, A_NORMAL);
	if (title && width > 6) {
		char *t = xasprintf(" %s ", title);
		ui_puts(w, y, x + 2, width - 4, t, ui_attr(sh, UI_TITLE));
		free(t);
	}
}

char *ui_key_help(struct shell *sh, enum key_ctx ctx, const enum action *acts)
{
	struct sbuf b;

	sbuf_init(&b);
	for (; *acts != A_NONE; acts++) {
		const char *k = keymap_first_key(shell_keymap(sh), ctx, *acts);
		const struct key_action *ka = keys_info(*acts);
		if (!*k || !ka)
			continue;
		char *key = xstrdup(k);
		sbuf_printf(&b, "%s%s: %s", b.len ? "  " : "", key,
			    ka->hint ? ka->hint : ka->name);
		free(key);
	}
	return sbuf_take(&b);
}

bool ui_close_on(struct view *v, const struct ui_key *k)
{
	if (k->action == A_CLOSE || k->action == A_CANCEL ||
	    (!k->is_text && k->code == 27)) {
		shell_pop(v->sh, v);
		return true;
	}
	return false;
}

void ui_bar(struct shell *sh, int filled, int cells, char *out, size_t cap)
{
	size_t at = 0;

	for (int i = 0; i < cells; i++) {
		const char *c = i < filled ? (ui_ascii(sh) ? "#" : "\u2588") :
				(ui_ascii(sh) ? "." : "\u2591");
		size_t n = strlen(c);
		if (at + n + 1 > cap)
			break;
		memcpy(out + at, c, n);
		at += n;
	}
	if (cap)
		out[at] = 0;
}

int ui_level_cells(float dbfs, int cells)
{
	int n = dbfs <= -60 ? 0 : (int)lrintf((dbfs + 60) / 60 * cells);

	return n < 0 ? 0 : n > cells ? cells : n;
}
