/* views/card: one contact's details — the detail pane and the card layer. */
#include "views/callui.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/books.h"
#include "store/contacts.h"
#include "common/phone.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int row(struct shell *sh, WINDOW *w, int y, int x, int cols,
	       const char *label, const char *value)
{
	if (str_empty(value))
		return y;
	ui_text(w, y, x, 14, label, ui_attr(sh, UI_DIM));
	ui_text(w, y, x + 14, cols - 14, value, A_NORMAL);
	return y + 1;
}

static const char *kind_name(enum cfield_kind k)
{
	switch (k) {
	case CF_PHONE: return "Phone";
	case CF_EMAIL: return "Email";
	case CF_ADDR: return "Address";
	case CF_URL: return "Web";
	}
	return "?";
}

void card_draw(struct shell *sh, WINDOW *w, int y, int x, int h, int cols,
	       const struct contact *c, const char *book)
{
	int end = y + h;

	if (!c || cols < 20)
		return;
	ui_text(w, y++, x, cols, c->fn, ui_attr(sh, UI_TITLE));
	struct sbuf b;
	sbuf_init(&b);
	if (!str_empty(c->title))
		sbuf_add(&b, c->title);
	if (!str_empty(c->org))
		sbuf_printf(&b, "%s%s", b.len ? ", " : "", c->org);
	if (!str_empty(c->department))
		sbuf_printf(&b, " (%s)", c->department);
	if (b.len)
		ui_text(w, y++, x, cols, sbuf_str(&b), A_NORMAL);
	sbuf_free(&b);
	y++;
	for (size_t i = 0; i < c->nfields && y < end; i++) {
		const struct cfield *f = &c->fields[i];
		char *label = xasprintf("%s%s%s", kind_name(f->kind),
					f->label ? " " : "",
					f->label ? f->label : "");
		char *val;
		if (f->kind == CF_ADDR)
			val = contact_addr_display(f->value);
		else if (f->kind == CF_PHONE && f->norm &&
			 strcmp(f->norm, f->value) != 0)
			val = xasprintf("%s  (%s)", f->value, f->norm);
		else
			val = xstrdup(f->value);
		y = row(sh, w, y, x, cols, label, val);
		free(label);
		free(val);
	}
	if (y < end)
		y = row(sh, w, y, x, cols, "Nickname", c->nickname);
	if (y < end)
		y = row(sh, w, y, x, cols, "Birthday", c->bday);
	if (c->ntags && y < end) {
		struct sbuf t;
		sbuf_init(&t);
		for (size_t i = 0; i < c->ntags; i++)
			sbuf_printf(&t, "%s%s", i ? ", " : "", c->tags[i]);
		y = row(sh, w, y, x, cols, "Tags", sbuf_str(&t));
		sbuf_free(&t);
	}
	if (y < end)
		y = row(sh, w, y, x, cols, "Book", book);
	if (c->photo_len && y < end) {
		char *p = xasprintf("%s, %zu bytes", c->photo_type ?
				    c->photo_type : "image", c->photo_len);
		y = row(sh, w, y, x, cols, "Photo", p);
		free(p);
	}
	if (!str_empty(c->notes) && y + 1 < end) {
		y++;
		ui_text(w, y++, x, cols, "Notes", ui_attr(sh, UI_DIM));
		const char *p = c->notes;
		while (*p && y < end) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char *line = xstrndup(p, len);
			ui_text(w, y++, x, cols, line, A_NORMAL);
			free(line);
			p += len + (nl ? 1 : 0);
		}
	}
	if (c->updated && y + 1 < end) {
		char ts[64];
		time_t t = (time_t)c->updated;
		struct tm tm;
		const char *df = shell_app(sh)->cfg.date_format;
		char *fmt = xasprintf("%s %s", str_empty(df) ? "%Y-%m-%d" : df,
				      shell_app(sh)->cfg.clock_24h ? "%H:%M" :
								     "%I:%M %p");
		localtime_r(&t, &tm);
		if (!strftime(ts, sizeof ts, fmt, &tm))
			ts[0] = '\0';
		free(fmt);
		y++;
		row(sh, w, y, x, cols, "Changed", ts);
	}
}

struct card {
	struct view v;
	int64_t id;
	struct contact *c;
	char *book;
	struct card_owner owner;
};

static void card_load(struct card *k)
{
	contact_free(k->c);
	k->c = NULL;
	free(k->book);
	k->book = NULL;
	struct app *a = shell_app(k->v.sh);
	if (contacts_get(a->db, k->id, &k->c) == 0)
		k->book = books_name(a->db, k->c->book_id);
}

static void card_view_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct card *k = (struct card *)v;

	ui_box(v->sh, w, 0, 0, h, cols, "Contact");
	if (!k->c) {
		ui_text(w, 2, 3, cols - 6, "This contact no longer exists.",
			ui_attr(v->sh, UI_DIM));
		return;
	}
	card_draw(v->sh, w, 2, 3, h - 3, cols - 6, k->c, k->book);
}

static bool card_key(struct view *v, const struct ui_key *k)
{
	struct card *c = (struct card *)v;

	switch (k->action) {
	case A_CONTACT_EDIT:
		if (c->c && c->owner.edit)
			c->owner.edit(c->owner.arg, c->id);
		return true;
	case A_CONTACT_DELETE:
		if (c->c && c->owner.delete)
			c->owner.delete(c->owner.arg, c->id);
		return true;
	case A_CRM_RECORD:
		if (c->c)
			crm_open_for_contact(v->sh, c->id);
		return true;
	case A_CALL:
		if (c->c)
			callui_dial_contact(v->sh, c->id);
		return true;
	case A_CRM_NOTE:
		if (c->c)
			crm_note_for_contact(v->sh, c->id, 0, NULL);
		return true;
	default:
		return ui_close_on(v, k);
	}
}

static void card_reload(struct view *v)
{
	card_load((struct card *)v);
}

static void card_free(struct view *v)
{
	struct card *k = (struct card *)v;

	contact_free(k->c);
	free(k->book);
	free(k);
}

static const enum action card_hints[] = { A_CALL, A_CONTACT_EDIT, A_CONTACT_DELETE,
					  A_CRM_RECORD, A_CRM_NOTE,
					  A_CLOSE, A_NONE };
static const struct view_ops card_ops = {
	.name = "card",
	.ctx = CTX_CARD,
	.draw = card_view_draw,
	.key = card_key,
	.reload = card_reload,
	.free = card_free,
	.hints = card_hints,
};

void card_open(struct shell *sh, int64_t id, const struct card_owner *o)
{
	struct card *k = xcalloc(1, sizeof *k);

	k->v.ops = &card_ops;
	k->v.sh = sh;
	k->v.title = "card";
	k->v.modal = true;
	k->id = id;
	k->owner = *o;
	card_load(k);
	shell_push(sh, &k->v);
}
