/* views/dialog: small modal layers — yes/no, a line of text, a menu. */
#include "views/ui.h"
#include "views/lineedit.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

enum dlg_kind { DLG_CONFIRM, DLG_PROMPT, DLG_MENU };

struct dialog {
	struct view v;
	enum dlg_kind kind;
	char *question;
	struct lineedit ed;
	char **items;
	bool *off;		/* menu items shown but not available */
	int nitems, sel;
	ui_confirm_cb confirm_cb;
	ui_prompt_cb prompt_cb;
	ui_menu_cb menu_cb;
	void *arg;
};

static void dlg_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct dialog *d = (struct dialog *)v;
	struct shell *sh = v->sh;
	int qw = utf8_width(d->question);
	int bw = qw + 6;
	int bh = 5;

	if (d->kind == DLG_PROMPT && bw < 60)
		bw = 60;
	if (d->kind == DLG_MENU) {
		for (int i = 0; i < d->nitems; i++)
			if (utf8_width(d->items[i]) + 8 > bw)
				bw = utf8_width(d->items[i]) + 8;
		bh = d->nitems + 4;
	}
	if (bw > cols - 2)
		bw = cols - 2;
	if (bh > h)
		bh = h;
	int y = (h - bh) / 2, x = (cols - bw) / 2;
	ui_box(sh, w, y, x, bh, bw, d->kind == DLG_MENU ? d->question : NULL);
	switch (d->kind) {
	case DLG_CONFIRM:
		ui_puts(w, y + 1, x + 3, bw - 6, d->question, A_BOLD);
		ui_puts(w, y + 3, x + 3, bw - 6, "y: yes   n: no", A_NORMAL);
		break;
	case DLG_PROMPT:
		ui_puts(w, y + 1, x + 3, bw - 6, d->question, A_BOLD);
		lineedit_draw(&d->ed, w, y + 3, x + 3, bw - 6,
			      ui_attr(sh, UI_FIELD_ACTIVE));
		break;
	case DLG_MENU:
		for (int i = 0; i < d->nitems && 2 + i < bh - 1; i++)
			ui_text(w, y + 2 + i, x + 2, bw - 4, d->items[i],
				i == d->sel ? ui_attr(sh, UI_SELECTED) :
				d->off[i] ? ui_attr(sh, UI_DIM) : A_NORMAL);
		break;
	}
}

static void finish(struct dialog *d, bool ok)
{
	struct shell *sh = d->v.sh;
	char *text = NULL;

	/* take the callback out first: it may push another dialog */
	shell_pop(sh, &d->v);
	switch (d->kind) {
	case DLG_CONFIRM:
		d->confirm_cb(d->arg, ok);
		break;
	case DLG_PROMPT:
		text = ok ? lineedit_text(&d->ed) : NULL;
		d->prompt_cb(d->arg, text);
		free(text);
		break;
	case DLG_MENU:
		d->menu_cb(d->arg, ok ? d->sel : -1);
		break;
	}
}

static bool dlg_key(struct view *v, const struct ui_key *k)
{
	struct dialog *d = (struct dialog *)v;
	bool changed;
	bool enter = !k->is_text && (k->code == '\n' || k->code == '\r' ||
				     k->code == KEY_ENTER);
	bool esc = !k->is_text && (k->code == 27 || k->code == 7);

	if (esc || (!k->is_text && k->action == A_CLOSE && d->kind != DLG_PROMPT)) {
		finish(d, false);
		return true;
	}
	switch (d->kind) {
	case DLG_CONFIRM:
		if (k->code == 'y' || k->code == 'Y')
			finish(d, true);
		else if (k->code == 'n' || k->code == 'N' || enter)
			finish(d, false);
		return true;
	case DLG_PROMPT:
		if (enter)
			finish(d, true);
		else if (k->is_text || k->code != '\t')
			lineedit_key(&d->ed, k->code, k->ch, k->is_text,
				     &changed);
		return true;
	case DLG_MENU:
		if ((enter || k->action == A_OPEN) && d->off[d->sel]) {
			shell_message(v->sh, "Not available yet");
		} else if (enter || k->action == A_OPEN) {
			finish(d, true);
		} else if (k->action == A_DOWN || k->code == KEY_DOWN ||
			   k->code == 'j') {
			if (d->sel + 1 < d->nitems)
				d->sel++;
		} else if (k->action == A_UP || k->code == KEY_UP ||
			   k->code == 'k') {
			if (d->sel > 0)
				d->sel--;
		} else if (k->code >= '1' && k->code <= '9' &&
			   k->code - '1' < d->nitems) {
			d->sel = k->code - '1';
			if (d->off[d->sel])
				shell_message(v->sh, "Not available yet");
			else
				finish(d, true);
		}
		return true;
	}
	return false;
}

static bool dlg_wants_text(struct view *v)
{
	return ((struct dialog *)v)->kind == DLG_PROMPT;
}

static void dlg_free(struct view *v)
{
	struct dialog *d = (struct dialog *)v;

	free(d->question);
	lineedit_free(&d->ed);
	for (int i = 0; i < d->nitems; i++)
		free(d->items[i]);
	free(d->items);
	free(d->off);
	free(d);
}

static const enum action dlg_hints[] = { A_NONE };
static const struct view_ops dlg_ops = {
	.name = "dialog",
	.ctx = CTX_GLOBAL,
	.draw = dlg_draw,
	.key = dlg_key,
	.wants_text = dlg_wants_text,
	.free = dlg_free,
	.hints = dlg_hints,
};

static struct dialog *dlg_new(enum dlg_kind kind, const char *q)
{
	struct dialog *d = xcalloc(1, sizeof *d);

	d->v.ops = &dlg_ops;
	d->v.title = "dialog";
	d->v.modal = true;
	d->kind = kind;
	d->question = xstrdup(q);
	lineedit_init(&d->ed, "");
	return d;
}

void ui_confirm(struct shell *sh, const char *question, ui_confirm_cb cb,
		void *arg)
{
	struct dialog *d = dlg_new(DLG_CONFIRM, question);

	d->confirm_cb = cb;
	d->arg = arg;
	shell_push(sh, &d->v);
}

void ui_prompt(struct shell *sh, const char *question, const char *initial,
	       ui_prompt_cb cb, void *arg)
{
	struct dialog *d = dlg_new(DLG_PROMPT, question);

	lineedit_set(&d->ed, initial ? initial : "");
	d->prompt_cb = cb;
	d->arg = arg;
	shell_push(sh, &d->v);
}

void ui_menu(struct shell *sh, const char *title, const char *const *items,
	     int n, int selected, ui_menu_cb cb, void *arg)
{
	ui_menu_ex(sh, title, items, NULL, n, selected, cb, arg);
}

void ui_menu_ex(struct shell *sh, const char *title,
		const char *const *items, const bool *off, int n, int selected,
		ui_menu_cb cb, void *arg)
{
	struct dialog *d = dlg_new(DLG_MENU, title);

	d->items = xcalloc((size_t)n + 1, sizeof *d->items);
	d->off = xcalloc((size_t)n + 1, sizeof *d->off);
	for (int i = 0; i < n; i++) {
		d->items[i] = xasprintf("%d %s", i + 1, items[i]);
		d->off[i] = off && off[i];
	}
	d->nitems = n;
	d->sel = selected >= 0 && selected < n ? selected : 0;
	d->menu_cb = cb;
	d->arg = arg;
	shell_push(sh, &d->v);
}
