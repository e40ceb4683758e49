/* views/form: labelled fields, groups with tags, validation on save. */
#include "views/form.h"
#include "views/ui.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

#define LABEL_W 16

struct form {
	struct view v;
	char *title;
	struct form_field *f;
	size_t n, cur, top;
	char *error;
	form_save_cb save;
	form_done_cb done;
	void *arg;
	int edit_y, edit_x;	/* where the cursor goes */
	bool finished;		/* done() has run */
};

size_t form_count(const struct form *f)
{
	return f->n;
}

const struct form_field *form_field(const struct form *f, size_t i)
{
	return i < f->n ? &f->f[i] : NULL;
}

char *form_text(const struct form *f, size_t i)
{
	return i < f->n ? str_trim(lineedit_text(&f->f[i].ed)) : xstrdup("");
}

static struct form_field *add_row(struct form *f, size_t at)
{
	f->f = xrealloc(f->f, (f->n + 1) * sizeof *f->f);
	memmove(&f->f[at + 1], &f->f[at], (f->n - at) * sizeof *f->f);
	f->n++;
	struct form_field *r = &f->f[at];
	memset(r, 0, sizeof *r);
	return r;
}

size_t form_add(struct form *f, const char *label, const char *value)
{
	struct form_field *r = add_row(f, f->n);

	r->label = xstrdup(label);
	lineedit_init(&r->ed, value ? value : "");
	r->orig = xstrdup(value ? value : "");
	return f->n - 1;
}

size_t form_add_user(struct form *f, const char *label, const char *value,
		     long user)
{
	size_t i = form_add(f, label, value);

	f->f[i].user = user;
	return i;
}

void form_set_secret(struct form *f, size_t i)
{
	if (i < f->n)
		f->f[i].ed.secret = true;
}

size_t form_find(const struct form *f, long user)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->f[i].group && f->f[i].user == user)
			return i;
	return f->n;
}

size_t form_add_group(struct form *f, int group, const char *label,
		      const char *const *tags, const char *tag,
		      const char *value, long user)
{
	size_t i = form_add(f, label, value);

	f->f[i].group = group;
	f->f[i].tags = tags;
	f->f[i].tag = xstrdup(tag ? tag : (tags ? tags[0] : NULL));
	f->f[i].orig_tag = xstrdup(f->f[i].tag);
	f->f[i].user = user;
	return i;
}

bool form_changed(const struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		char *t = lineedit_text(&f->f[i].ed);
		bool ch = strcmp(t, f->f[i].orig) != 0 ||
			  (!str_empty(t) && !str_eq(f->f[i].tag, f->f[i].orig_tag));
		free(t);
		if (ch)
			return true;
	}
	return false;
}

/* Typing into a group's last row opens a fresh blank one below it. */
static void grow_group(struct form *f)
{
	struct form_field *r = &f->f[f->cur];

	if (!r->group || lineedit_empty(&r->ed))
		return;
	if (f->cur + 1 < f->n && f->f[f->cur + 1].group == r->group)
		return;
	const char *const *tags = r->tags;
	int g = r->group;
	char *label = xstrdup(r->label);
	struct form_field *n = add_row(f, f->cur + 1);
	n->label = label;
	lineedit_init(&n->ed, "");
	n->orig = xstrdup("");
	n->group = g;
	n->tags = tags;
	n->tag = xstrdup(tags ? tags[0] : NULL);
	n->orig_tag = xstrdup(n->tag);
}

static void cycle_tag(struct form_field *r)
{
	if (!r->tags)
		return;
	size_t i = 0;
	while (r->tags[i] && !str_eq(r->tags[i], r->tag))
		i++;
	i = r->tags[i] && r->tags[i + 1] ? i + 1 : 0;
	str_set(&r->tag, r->tags[i]);
}

static void form_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct form *f = (struct form *)v;
	struct shell *sh = v->sh;
	int rows = h - 4;

	ui_box(sh, w, 0, 0, h, cols, f->title);
	if (rows < 1)
		return;
	if (f->cur < f->top)
		f->top = f->cur;
	if (f->cur >= f->top + (size_t)rows)
		f->top = f->cur - (size_t)rows + 1;
	int fw = cols - LABEL_W - 16;
	for (int r = 0; r < rows && f->top + (size_t)r < f->n; r++) {
		size_t i = f->top + (size_t)r;
		struct form_field *fld = &f->f[i];
		bool cur = i == f->cur;
		ui_text(w, 1 + r, 2, LABEL_W, fld->label,
			cur ? ui_attr(sh, UI_TITLE) : A_NORMAL);
		int x = 2 + LABEL_W;
		char *tag = fld->tags ? xasprintf("[%s]", fld->tag) :
					xstrdup("");
		ui_text(w, 1 + r, x, 11, tag, ui_attr(sh, UI_DIM));
		free(tag);
		x += 11;
		int cx = lineedit_draw(&fld->ed, w, 1 + r, x, fw,
				       ui_attr(sh, cur ? UI_FIELD_ACTIVE :
							 UI_FIELD));
		if (cur)
			f->edit_y = 1 + r, f->edit_x = cx;
	}
	if (f->top > 0)
		ui_puts(w, 1, cols - 3, 1, "^", ui_attr(sh, UI_BORDER));
	if (f->top + (size_t)rows < f->n)
		ui_puts(w, rows, cols - 3, 1, "v", ui_attr(sh, UI_BORDER));
	if (f->error)
		ui_text(w, h - 2, 2, cols - 4, f->error, ui_attr(sh, UI_ERROR));
	else {
		static const enum action acts[] = { A_FORM_NEXT, A_FORM_PREV,
			A_FORM_LABEL, A_FORM_SAVE, A_CANCEL, A_NONE };
		char *help = ui_key_help(sh, CTX_FORM, acts);
		ui_text(w, h - 2, 2, cols - 4, help, ui_attr(sh, UI_DIM));
		free(help);
	}
	wmove(w, f->edit_y, f->edit_x);
}

static void try_save(struct form *f)
{
	char *err = NULL;
	size_t bad = f->cur;

	free(f->error);
	f->error = NULL;
	if (f->save(f, f->arg, &err, &bad) == 0) {
		free(err);
		form_done_cb done = f->done;
		void *arg = f->arg;
		f->finished = true;
		shell_pop(f->v.sh, &f->v);
		if (done)
			done(arg, true);
		return;
	}
	f->error = err ? err : xstrdup("cannot save");
	if (bad < f->n)
		f->cur = bad;
}

static void discard(void *arg, bool yes)
{
	struct form *f = arg;

	if (!yes)
		return;
	form_done_cb done = f->done;
	void *a = f->arg;
	f->finished = true;
	shell_pop(f->v.sh, &f->v);
	if (done)
		done(a, false);
}

static bool form_key(struct view *v, const struct ui_key *k)
{
	struct form *f = (struct form *)v;
	bool changed;

	if (k->is_text) {
		lineedit_key(&f->f[f->cur].ed, k->code, k->ch, true, &changed);
		grow_group(f);
		return true;
	}
	switch (k->action) {
	case A_FORM_NEXT:
		if (f->cur + 1 < f->n)
			f->cur++;
		return true;
	case A_FORM_PREV:
		if (f->cur)
			f->cur--;
		return true;
	case A_FORM_SAVE:
		try_save(f);
		return true;
	case A_FORM_LABEL:
		cycle_tag(&f->f[f->cur]);
		return true;
	case A_CANCEL:
		if (form_changed(f))
			ui_confirm(v->sh, "Discard your changes?", discard, f);
		else
			discard(f, true);
		return true;
	default:
		break;
	}
	if (k->code == '\n' || k->code == '\r' || k->code == KEY_ENTER) {
		if (f->cur + 1 < f->n)
			f->cur++;
		else
			try_save(f);
		return true;
	}
	if (lineedit_key(&f->f[f->cur].ed, k->code, k->ch, false, &changed)) {
		grow_group(f);
		return true;
	}
	/* keep every other key (tabs, q, digits) out of the shell */
	return k->action != A_QUIT && k->action != A_HELP &&
	       k->action != A_REDRAW && k->action != A_COMMAND;
}

static bool form_wants_text(struct view *v)
{
	return true;
}

static bool form_unsaved(struct view *v)
{
	return form_changed((struct form *)v);
}

static void form_click(struct view *v, int y, int x, bool dbl)
{
	struct form *f = (struct form *)v;
	size_t i = f->top + (size_t)(y - 1);

	if (y >= 1 && i < f->n)
		f->cur = i;
}

static void form_free(struct view *v)
{
	struct form *f = (struct form *)v;

	if (!f->finished && f->done)	/* closed by quitting */
		f->done(f->arg, false);
	for (size_t i = 0; i < f->n; i++) {
		free(f->f[i].label);
		free(f->f[i].orig);
		free(f->f[i].tag);
		free(f->f[i].orig_tag);
		lineedit_free(&f->f[i].ed);
	}
	free(f->f);
	free(f->title);
	free(f->error);
	free(f);
}

static const enum action form_hints[] = { A_FORM_NEXT, A_FORM_SAVE,
					  A_FORM_LABEL, A_CANCEL, A_NONE };
static const struct view_ops form_ops = {
	.name = "form",
	.ctx = CTX_FORM,
	.draw = form_draw,
	.key = form_key,
	.wants_text = form_wants_text,
	.click = form_click,
	.unsaved = form_unsaved,
	.free = form_free,
	.hints = form_hints,
};

struct form *form_new(struct shell *sh, const char *title, form_save_cb save,
		      form_done_cb done, void *arg)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->v.ops = &form_ops;
	f->v.sh = sh;
	f->v.title = "form";
	f->v.modal = true;
	f->title = xstrdup(title);
	f->save = save;
	f->done = done;
	f->arg = arg;
	return f;
}

void form_open(struct form *f)
{
	shell_push(f->v.sh, &f->v);
}
