/* views/crm_record: one CRM record as a layer — its fields and timeline —
 * and the ways in from elsewhere: a contact's record (`r`) and a note in
 * two keystrokes (`+`, type, Enter) from a contact, a card, the CRM list
 * or a call. */
#include "views/callui.h"
#include "views/crm.h"
#include "views/list.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct crec {
	struct view v;
	int64_t id;
	struct crm_record *r;
	struct crm_event *ev;
	size_t nev;
	struct list list;	/* the timeline */
	char today[11];
};

static struct db *crec_db(struct shell *sh)
{
	return shell_app(sh)->db;
}

/* The first configured status (a new record's). New string. */
static char *crec_first_status(struct shell *sh)
{
	char **st;
	size_t n;

	crm_statuses_parse(shell_app(sh)->cfg.crm_statuses, &st, &n);
	char *s = xstrdup(n ? st[0] : "lead");
	crm_strings_free(st, n);
	return s;
}

static void crec_load(struct crec *c)
{
	crm_record_free(c->r);
	c->r = NULL;
	crm_events_free(c->ev, c->nev);
	c->ev = NULL;
	c->nev = 0;
	if (crm_get(crec_db(c->v.sh), c->id, &c->r) == 0)
		crm_events(crec_db(c->v.sh), c->id, &c->ev, &c->nev);
	list_set_count(&c->list, c->nev);
	crm_today(c->today);
}

static void crec_event_row(void *arg, WINDOW *w, int y, int x, int width,
			   size_t i, bool sel)
{
	struct crec *c = arg;
	const struct crm_event *e = &c->ev[i];
	attr_t a = sel ? ui_attr(c->v.sh, UI_SELECTED) : A_NORMAL;
	char at[32];
	time_t t = (time_t)e->at;
	struct tm tm;
	const char *df = shell_app(c->v.sh)->cfg.date_format;
	char *fmt = xasprintf("%s %%H:%%M", str_empty(df) ? "%Y-%m-%d" : df);

	localtime_r(&t, &tm);
	if (!strftime(at, sizeof at, fmt, &tm))
		at[0] = '\0';
	free(fmt);
	/* one line: newlines of a long note show as spaces */
	char *text = xstrdup(e->text ? e->text : "");
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	ui_text(w, y, x, width, "", a);
	int used = ui_puts(w, y, x, width, at, sel ? a : ui_attr(c->v.sh,
								 UI_DIM));
	ui_text(w, y, x + used + 2, 9, e->kind, sel ? a :
		ui_attr(c->v.sh, UI_HEADER));
	if (width > used + 11)
		ui_puts(w, y, x + used + 11, width - used - 11, text, a);
	free(text);
}

static int crec_field(struct shell *sh, WINDOW *w, int y, int x, int cols,
		      const char *label, const char *value, attr_t a)
{
	if (str_empty(value))
		return y;
	ui_text(w, y, x, 14, label, ui_attr(sh, UI_DIM));
	ui_text(w, y, x + 14, cols - 14, value, a);
	return y + 1;
}

static void crec_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct crec *c = (struct crec *)v;
	struct shell *sh = v->sh;
	const struct crm_record *r = c->r;
	int y = 2, x = 3, cw = cols - 6;

	ui_box(sh, w, 0, 0, h, cols, "CRM record");
	if (!r) {
		ui_text(w, 2, 3, cw, "This CRM record no longer exists.",
			ui_attr(sh, UI_DIM));
		return;
	}
	ui_text(w, y++, x, cw, r->name, ui_attr(sh, UI_TITLE));
	if (!str_empty(r->org))
		ui_text(w, y++, x, cw, r->org, A_NORMAL);
	y++;
	char value[48] = "", *next = NULL;
	if (r->has_value)
		crm_money_format(value, sizeof value, r->value_cents,
				 r->currency);
	struct sbuf tags;
	sbuf_init(&tags);
	for (size_t i = 0; i < r->ntags; i++)
		sbuf_printf(&tags, "%s%s", i ? ", " : "", r->tags[i]);
	if (!str_empty(r->next_action) || !str_empty(r->next_date))
		next = xasprintf("%s%s%s%s",
			r->next_action ? r->next_action : "",
			r->next_action && r->next_date ? "  " : "",
			r->next_date ? r->next_date : "",
			r->next_date && strcmp(r->next_date, c->today) < 0 ?
				"  (overdue)" : "");
	y = crec_field(sh, w, y, x, cw, "Status", r->status, A_BOLD);
	y = crec_field(sh, w, y, x, cw, "Owner", r->owner, A_NORMAL);
	y = crec_field(sh, w, y, x, cw, "Value", value, A_NORMAL);
	y = crec_field(sh, w, y, x, cw, "Source", r->source, A_NORMAL);
	y = crec_field(sh, w, y, x, cw, "Tags", sbuf_str(&tags), A_NORMAL);
	y = crec_field(sh, w, y, x, cw, "Next action", next,
		       r->next_date && strcmp(r->next_date, c->today) < 0 ?
		       ui_attr(sh, UI_ERROR) : A_NORMAL);
	sbuf_free(&tags);
	free(next);
	if (!r->contact_id)
		y = crec_field(sh, w, y, x, cw, "Contact", "(deleted)",
			       ui_attr(sh, UI_DIM));
	y++;
	char *head = xasprintf("Timeline (%zu)", c->nev);
	ui_text(w, y++, x, cw, head, ui_attr(sh, UI_HEADER));
	free(head);
	if (h - 1 - y > 0)
		list_draw(&c->list, sh, w, y, x, h - 1 - y, cw);
}

/* ---- notes ---------------------------------------------------------------- */

struct crec_note {
	struct shell *sh;
	int64_t contact_id, record_id, call_id;
};

static void crec_note_text(void *arg, const char *text)
{
	struct crec_note *n = arg;
	struct shell *sh = n->sh;
	struct db *db = crec_db(sh);
	char *t = str_trim(xstrdup(text ? text : "")), *err = NULL;
	bool created = false;

	if (!*t) {
		if (text)
			shell_message(sh, "Empty note: nothing added");
		goto out;
	}
	if (!n->record_id && crm_record_for_contact(db, n->contact_id,
						    &n->record_id) < 0) {
		shell_error(sh, "cannot read the CRM records");
		goto out;
	}
	if (!n->record_id) {
		char *st = crec_first_status(sh);
		int rc = crm_create_for_contact(db, n->contact_id, st,
						&n->record_id, &err);
		free(st);
		if (rc < 0) {
			shell_error(sh, "cannot create a CRM record: %s",
				    err ? err : "database error");
			goto out;
		}
		created = true;
	}
	if (crm_add_event(db, n->record_id, n->call_id ? "call" : "note", t,
			  n->call_id, 0, 0, NULL) < 0) {
		shell_error(sh, "cannot add the note");
		goto out;
	}
	struct crm_row row;
	if (crm_row(db, n->record_id, &row) == 0) {
		if (created)
			shell_message(sh, "Created a CRM record for %s (%s) "
				      "and added the note", row.name,
				      row.status);
		else
			shell_message(sh, "Note added to %s's CRM record",
				      row.name);
		crm_row_clear(&row);
	}
	shell_reload(sh);
out:
	free(err);
	free(t);
	free(n);
}

static void crec_note_prompt(struct shell *sh, struct crec_note *n,
			     const char *name, const char *prefill)
{
	char *q = xasprintf("Note for %s:", name ? name : "this record");

	ui_prompt(sh, q, prefill ? prefill : "", crec_note_text, n);
	free(q);
}

void crm_note_for_contact(struct shell *sh, int64_t contact_id,
			  int64_t call_id, const char *prefill)
{
	struct contact_row row;

	if (!contact_id || contacts_row(crec_db(sh), contact_id, &row) < 0) {
		shell_error(sh, "no contact to add a CRM note to");
		return;
	}
	struct crec_note *n = xcalloc(1, sizeof *n);
	n->sh = sh;
	n->contact_id = contact_id;
	n->call_id = call_id;
	crec_note_prompt(sh, n, row.fn, prefill);
	contact_row_clear(&row);
}

/* A note on a record (the CRM list and the record layer). */
static void crec_note_for_record(struct shell *sh, int64_t record_id)
{
	struct crm_row row;

	if (crm_row(crec_db(sh), record_id, &row) < 0)
		return;
	struct crec_note *n = xcalloc(1, sizeof *n);
	n->sh = sh;
	n->record_id = record_id;
	crec_note_prompt(sh, n, row.name, NULL);
	crm_row_clear(&row);
}

/* ---- the layer ------------------------------------------------------------ */

static void crec_contact_edit(void *arg, int64_t id)
{
	struct shell *sh = arg;
	struct contact *c;

	if (contacts_get(crec_db(sh), id, &c) < 0) {
		shell_error(sh, "that contact no longer exists");
		return;
	}
	contact_form_open(sh, c, c->book_id, NULL, NULL);
	contact_free(c);
}

struct crec_del {
	struct shell *sh;
	struct view *layer;	/* to close, or NULL */
	int64_t id;
	char *name;
};

static void crec_delete_answer(void *arg, bool yes)
{
	struct crec_del *d = arg;

	if (yes) {
		if (crm_delete(crec_db(d->sh), d->id) == 0) {
			shell_message(d->sh, "Deleted the CRM record of %s",
				      d->name);
			if (d->layer)
				shell_pop(d->sh, d->layer);
		} else {
			shell_error(d->sh, "cannot delete the CRM record of %s",
				    d->name);
		}
		shell_reload(d->sh);
	}
	free(d->name);
	free(d);
}

/* Ask, then delete a record (and close `layer` when given). */
void crm_record_delete(struct shell *sh, int64_t id, struct view *layer)
{
	struct crm_row row;

	if (crm_row(crec_db(sh), id, &row) < 0)
		return;
	struct crec_del *d = xcalloc(1, sizeof *d);
	d->sh = sh;
	d->layer = layer;
	d->id = id;
	d->name = xstrdup(row.name);
	crm_row_clear(&row);
	if (!shell_app(sh)->cfg.confirm_delete) {
		crec_delete_answer(d, true);
		return;
	}
	char *q = xasprintf("Delete the CRM record of %s and its timeline?",
			    d->name);
	ui_confirm(sh, q, crec_delete_answer, d);
	free(q);
}

/* Open a record's contact as a card. */
void crm_record_contact(struct shell *sh, int64_t record_id)
{
	struct crm_row row;
	struct contact_row cr;

	if (crm_row(crec_db(sh), record_id, &row) < 0)
		return;
	if (!row.contact_id || contacts_row(crec_db(sh), row.contact_id,
					    &cr) < 0) {
		shell_error(sh, "the contact of this record was deleted");
	} else {
		contact_row_clear(&cr);
		struct card_owner o = { crec_contact_edit, NULL, sh };
		card_open(sh, row.contact_id, &o);
	}
	crm_row_clear(&row);
}

/* Also used by the CRM list (views/crm.c). */
void crm_record_note(struct shell *sh, int64_t record_id)
{
	crec_note_for_record(sh, record_id);
}

static bool crec_key(struct view *v, const struct ui_key *k)
{
	struct crec *c = (struct crec *)v;

	if (c->r && list_move(&c->list, k->action))
		return true;
	switch (k->action) {
	case A_CRM_NOTE:
		if (c->r)
			crec_note_for_record(v->sh, c->id);
		return true;
	case A_CRM_EDIT:
		if (c->r)
			crm_form_open(v->sh, c->id, NULL, NULL);
		return true;
	case A_CRM_CONTACT:
		if (c->r)
			crm_record_contact(v->sh, c->id);
		return true;
	case A_CALL:
		if (c->r)
			callui_dial_record(v->sh, c->id);
		return true;
	case A_CRM_DELETE:
		if (c->r)
			crm_record_delete(v->sh, c->id, v);
		return true;
	default:
		return ui_close_on(v, k);
	}
}

static void crec_reload(struct view *v)
{
	crec_load((struct crec *)v);
}

static void crec_free(struct view *v)
{
	struct crec *c = (struct crec *)v;

	crm_record_free(c->r);
	crm_events_free(c->ev, c->nev);
	free(c);
}

static const enum action crec_hints[] = { A_CALL, A_CRM_NOTE, A_CRM_EDIT,
	A_CRM_CONTACT, A_CRM_DELETE, A_CLOSE, A_NONE };
static const struct view_ops crec_ops = {
	.name = "crm-record",
	.ctx = CTX_CRM_RECORD,
	.list_keys = true,
	.draw = crec_draw,
	.key = crec_key,
	.reload = crec_reload,
	.free = crec_free,
	.hints = crec_hints,
};

void crm_record_open(struct shell *sh, int64_t record_id)
{
	struct crec *c = xcalloc(1, sizeof *c);

	c->v.ops = &crec_ops;
	c->v.sh = sh;
	c->v.title = "CRM record";
	c->v.modal = true;
	c->id = record_id;
	list_init(&c->list, crec_event_row, c);
	c->list.empty = "No notes yet. Press + to add one.";
	crec_load(c);
	shell_push(sh, &c->v);
}

struct crec_create {
	struct shell *sh;
	int64_t contact_id;
};

static void crec_create_answer(void *arg, bool yes)
{
	struct crec_create *cc = arg;
	char *st = crec_first_status(cc->sh), *err = NULL;
	int64_t id = 0;

	if (yes) {
		if (crm_create_for_contact(crec_db(cc->sh), cc->contact_id, st,
					   &id, &err) < 0) {
			shell_error(cc->sh, "cannot create a CRM record: %s",
				    err ? err : "database error");
		} else {
			shell_message(cc->sh, "Created a CRM record (%s)", st);
			shell_reload(cc->sh);
			crm_record_open(cc->sh, id);
		}
	}
	free(err);
	free(st);
	free(cc);
}

void crm_open_for_contact(struct shell *sh, int64_t contact_id)
{
	struct contact_row row;
	int64_t id = 0;

	if (!contact_id || contacts_row(crec_db(sh), contact_id, &row) < 0) {
		shell_error(sh, "no contact to open a CRM record for");
		return;
	}
	if (crm_record_for_contact(crec_db(sh), contact_id, &id) < 0) {
		shell_error(sh, "cannot read the CRM records");
	} else if (id) {
		crm_record_open(sh, id);
	} else {
		struct crec_create *cc = xcalloc(1, sizeof *cc);
		char *st = crec_first_status(sh);
		char *q = xasprintf("%s has no CRM record. Create one (%s)?",
				    row.fn, st);
		cc->sh = sh;
		cc->contact_id = contact_id;
		ui_confirm(sh, q, crec_create_answer, cc);
		free(q);
		free(st);
	}
	contact_row_clear(&row);
}
