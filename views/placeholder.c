/* views/placeholder: the tabs whose features land in later releases.
 * They say plainly what will be there and what it needs. */
#include "views/ui.h"
#include "views/view.h"
#include "common/str.h"

#include <stdlib.h>

struct placeholder {
	struct view v;
	char *title, *what, *when;
};

static void ph_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct placeholder *p = (struct placeholder *)v;
	int y = h / 3;

	ui_text(w, y, 2, cols - 4, p->title, ui_attr(v->sh, UI_TITLE));
	ui_text(w, y + 2, 2, cols - 4, p->what, A_NORMAL);
	ui_text(w, y + 3, 2, cols - 4, p->when, ui_attr(v->sh, UI_DIM));
	ui_text(w, y + 5, 2, cols - 4,
		"Nothing here yet. Press 1 for the Address book.",
		ui_attr(v->sh, UI_DIM));
}

static bool ph_key(struct view *v, const struct ui_key *k)
{
	return false;
}

static void ph_free(struct view *v)
{
	struct placeholder *p = (struct placeholder *)v;

	free(p->title);
	free(p->what);
	free(p->when);
	free(p);
}

static const enum action ph_hints[] = { A_TAB1, A_NEXT_TAB, A_NONE };
static const struct view_ops ph_ops = {
	.name = "placeholder",
	.ctx = CTX_GLOBAL,
	.draw = ph_draw,
	.key = ph_key,
	.free = ph_free,
	.hints = ph_hints,
};

struct view *view_placeholder_new(struct shell *sh, const char *title,
				  const char *what, const char *when)
{
	struct placeholder *p = xcalloc(1, sizeof *p);

	p->v.ops = &ph_ops;
	p->v.sh = sh;
	p->v.title = title;
	p->title = xstrdup(title);
	p->what = xstrdup(what);
	p->when = xstrdup(when);
	return &p->v;
}
