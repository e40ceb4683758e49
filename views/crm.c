/* views/crm: the CRM tab — records in a list filtered by status, owner,
 * tag or due next actions (overdue ones highlighted), search as you type
 * over records and their notes, and the add/edit/delete/note/export
 * actions. */
#include "views/callui.h"
#include "views/crm.h"
#include "views/lineedit.h"
#include "views/list.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CRM_SEARCH_LIMIT 1000
#define CRM_PICK_LIMIT 20

struct crmv {
	struct view v;
	struct list list;
	int64_t *ids;
	size_t nids;
	bool more;
	char *status, *owner, *tag;	/* filters, NULL: any */
	bool due;
	bool searching;
	struct lineedit search;
	char *query;
	char today[11];
	char line[96];
	int curx;
	char **menu;		/* the filter menu's choices */
	size_t nmenu;
	int64_t *pick;		/* contacts offered by add */
	size_t npick;
};

static struct app *crmv_app(struct crmv *cv)
{
	return shell_app(cv->v.sh);
}

static int64_t crmv_selected(struct crmv *cv)
{
	return cv->nids && cv->list.sel < cv->nids ? cv->ids[cv->list.sel] : 0;
}

static void crmv_load(struct crmv *cv)
{
	int64_t keep = crmv_selected(cv);
	struct crm_filter f = { .status = cv->status, .owner = cv->owner,
				.tag = cv->tag, .due = cv->due,
				.text = cv->query };

	free(cv->ids);
	cv->ids = NULL;
	cv->nids = 0;
	crm_today(cv->today);
	if (crm_list(crmv_app(cv)->db, &f, cv->query ? CRM_SEARCH_LIMIT :
		     (size_t)-1, &cv->ids, &cv->nids, &cv->more) < 0)
		shell_error(cv->v.sh, "cannot read the CRM records");
	list_set_count(&cv->list, cv->nids);
	for (size_t i = 0; keep && i < cv->nids; i++)
		if (cv->ids[i] == keep)
			list_select(&cv->list, i);
	bool filtered = cv->status || cv->owner || cv->tag || cv->due;
	cv->list.empty = cv->query ? "No record matches. Esc clears the search." :
			 filtered ? "No record matches the filter. Press f to "
				    "change it." :
			 "No CRM records yet. Press a to add one, or + on a "
			 "contact in the address book to add a note.";
}

static void crmv_draw_row(void *arg, WINDOW *w, int y, int x, int width,
			  size_t i, bool sel)
{
	struct crmv *cv = arg;
	struct shell *sh = cv->v.sh;
	struct crm_row r;
	attr_t a = sel ? ui_attr(sh, UI_SELECTED) : A_NORMAL;

	if (crm_row(crmv_app(cv)->db, cv->ids[i], &r) < 0) {
		ui_text(w, y, x, width, "", a);
		return;
	}
	int nw = width * 30 / 100, sw = width * 12 / 100;
	int ow = width * 12 / 100, vw = width * 16 / 100;
	int xw = width - nw - sw - ow - vw;
	char value[48] = "";
	if (r.has_value)
		crm_money_format(value, sizeof value, r.value_cents, r.currency);
	char *next = xasprintf("%s%s%s", r.next_date ? r.next_date : "",
			       r.next_date && r.next_action ? " " : "",
			       r.next_action ? r.next_action : "");
	attr_t na = a;
	if (!sel && r.next_date && strcmp(r.next_date, cv->today) < 0)
		na = ui_attr(sh, UI_ERROR);	/* overdue */
	else if (!sel && r.next_date && strcmp(r.next_date, cv->today) == 0)
		na = ui_attr(sh, UI_MATCH);	/* due today */
	ui_text(w, y, x, width, "", a);
	ui_puts(w, y, x, nw - 1, r.name, a);
	ui_puts(w, y, x + nw, sw - 1, r.status, a);
	ui_puts(w, y, x + nw + sw, ow - 1, r.owner, a);
	ui_puts(w, y, x + nw + sw + ow, vw - 1, value, a);
	ui_text(w, y, x + nw + sw + ow + vw, xw, next, na);
	free(next);
	crm_row_clear(&r);
}

static void crmv_header(struct crmv *cv, WINDOW *w, int cols)
{
	struct shell *sh = cv->v.sh;
	const char *dot = ui_ascii(sh) ? "-" : "\xc2\xb7";

	if (cv->searching || cv->query) {
		ui_text(w, 0, 0, cols, "", A_NORMAL);
		int x = ui_puts(w, 0, 1, cols, "Search CRM: ",
				ui_attr(sh, UI_TITLE));
		char *m = xasprintf("  %zu%s match%s", cv->nids,
				    cv->more ? "+" : "",
				    cv->nids == 1 ? "" : "es");
		int mw = utf8_width(m);
		if (cv->searching)
			cv->curx = lineedit_draw(&cv->search, w, 0, 1 + x,
						 cols - x - mw - 2,
						 ui_attr(sh, UI_FIELD));
		else
			ui_puts(w, 0, 1 + x, cols - x - mw - 2, cv->query,
				ui_attr(sh, UI_MATCH));
		ui_puts(w, 0, cols - mw - 1, mw, m, ui_attr(sh, UI_DIM));
		free(m);
		return;
	}
	struct sbuf b;
	sbuf_init(&b);
	sbuf_printf(&b, " CRM %s %zu record%s", dot, cv->nids,
		    cv->nids == 1 ? "" : "s");
	if (cv->status)
		sbuf_printf(&b, " %s status: %s", dot, cv->status);
	if (cv->owner)
		sbuf_printf(&b, " %s owner: %s", dot, cv->owner);
	if (cv->tag)
		sbuf_printf(&b, " %s tag: %s", dot, cv->tag);
	if (cv->due)
		sbuf_printf(&b, " %s next action due", dot);
	ui_text(w, 0, 0, cols, sbuf_str(&b), ui_attr(sh, UI_TITLE));
	sbuf_free(&b);
}

static void crmv_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct crmv *cv = (struct crmv *)v;
	int width = cols - 1;
	int nw = width * 30 / 100, sw = width * 12 / 100;
	int ow = width * 12 / 100, vw = width * 16 / 100;
	attr_t ha = ui_attr(v->sh, UI_HEADER);

	crmv_header(cv, w, cols);
	ui_text(w, 1, 0, cols, "", A_NORMAL);
	ui_text(w, 1, 1, nw, "Name", ha);
	ui_text(w, 1, 1 + nw, sw, "Status", ha);
	ui_text(w, 1, 1 + nw + sw, ow, "Owner", ha);
	ui_text(w, 1, 1 + nw + sw + ow, vw, "Value", ha);
	ui_text(w, 1, 1 + nw + sw + ow + vw, width - nw - sw - ow - vw,
		"Next action", ha);
	list_draw(&cv->list, v->sh, w, 2, 1, h - 2, width);
	if (cv->searching)
		wmove(w, 0, cv->curx);
}

static void crmv_run_search(struct crmv *cv)
{
	char *q = lineedit_text(&cv->search);

	free(cv->query);
	cv->query = *q ? q : NULL;
	if (!*q)
		free(q);
	crmv_load(cv);
	list_select(&cv->list, 0);
}

static void crmv_search_key(struct crmv *cv, const struct ui_key *k)
{
	switch (list_search_key(&cv->list, &cv->search, k)) {
	case LIST_SEARCH_DONE:
		cv->searching = false;
		break;
	case LIST_SEARCH_CLEARED:
		cv->searching = false;
		crmv_run_search(cv);
		break;
	case LIST_SEARCH_CHANGED:
		crmv_run_search(cv);
		break;
	case LIST_SEARCH_NONE:
		break;
	}
}

/* ---- filters ---------------------------------------------------------------- */

enum { F_ALL, F_DUE, F_OWNER, F_TAG, F_STATUS0 };

static void crmv_menu_free(struct crmv *cv)
{
	crm_strings_free(cv->menu, cv->nmenu);
	cv->menu = NULL;
	cv->nmenu = 0;
}

static void crmv_chose_owner(void *arg, int i)
{
	struct crmv *cv = arg;

	if (i >= 0 && (size_t)i < cv->nmenu)
		str_set(&cv->owner, i == 0 ? NULL : cv->menu[i]);
	crmv_menu_free(cv);
	crmv_load(cv);
	list_select(&cv->list, 0);
}

static void crmv_chose_tag(void *arg, int i)
{
	struct crmv *cv = arg;

	if (i >= 0 && (size_t)i < cv->nmenu)
		str_set(&cv->tag, i == 0 ? NULL : cv->menu[i]);
	crmv_menu_free(cv);
	crmv_load(cv);
	list_select(&cv->list, 0);
}

/* A menu of "(any)" and the owners or tags in use. */
static void crmv_submenu(struct crmv *cv, bool owners)
{
	char **v;
	size_t n;
	int rc = owners ? crm_owners(crmv_app(cv)->db, &v, &n) :
			  crm_tags(crmv_app(cv)->db, &v, &n);

	if (rc < 0 || !n) {
		shell_message(cv->v.sh, "No record has %s yet",
			      owners ? "an owner" : "a tag");
		if (rc == 0)
			crm_strings_free(v, n);
		return;
	}
	crmv_menu_free(cv);
	cv->menu = xmalloc((n + 1) * sizeof *cv->menu);
	cv->menu[0] = xstrdup(owners ? "(any owner)" : "(any tag)");
	memcpy(cv->menu + 1, v, n * sizeof *v);
	free(v);
	cv->nmenu = n + 1;
	ui_menu(cv->v.sh, owners ? "Owner" : "Tag",
		(const char *const *)cv->menu, (int)cv->nmenu, 0,
		owners ? crmv_chose_owner : crmv_chose_tag, cv);
}

static void crmv_chose_filter(void *arg, int i)
{
	struct crmv *cv = arg;
	char **st;
	size_t n;

	if (i < 0)
		return;
	crm_statuses_parse(crmv_app(cv)->cfg.crm_statuses, &st, &n);
	if (i == F_ALL) {
		str_set(&cv->status, NULL);
		str_set(&cv->owner, NULL);
		str_set(&cv->tag, NULL);
		cv->due = false;
	} else if (i == F_DUE) {
		cv->due = !cv->due;
	} else if (i == F_OWNER || i == F_TAG) {
		crm_strings_free(st, n);
		crmv_submenu(cv, i == F_OWNER);
		return;
	} else if ((size_t)(i - F_STATUS0) < n) {
		str_set(&cv->status, st[i - F_STATUS0]);
	}
	crm_strings_free(st, n);
	crmv_load(cv);
	list_select(&cv->list, 0);
}

static void crmv_filter_menu(struct crmv *cv)
{
	char **st;
	size_t n;

	crm_statuses_parse(crmv_app(cv)->cfg.crm_statuses, &st, &n);
	const char **items = xmalloc((n + F_STATUS0) * sizeof *items);
	char **own = xmalloc((n + F_STATUS0) * sizeof *own);
	items[F_ALL] = "All records (clear filters)";
	items[F_DUE] = cv->due ? "Any next action (stop showing due only)" :
				 "Next action due (today or overdue)";
	items[F_OWNER] = "Owner...";
	items[F_TAG] = "Tag...";
	for (size_t i = 0; i < n; i++)
		items[F_STATUS0 + i] = own[i] = xasprintf("Status: %s", st[i]);
	ui_menu(cv->v.sh, "Filter CRM records", items, (int)(n + F_STATUS0),
		0, crmv_chose_filter, cv);
	for (size_t i = 0; i < n; i++)
		free(own[i]);
	free(own);
	free(items);
	crm_strings_free(st, n);
}

/* ---- add and export ------------------------------------------------------- */

static void crmv_create(struct crmv *cv, int64_t contact_id)
{
	struct app *a = crmv_app(cv);
	char **st, *err = NULL;
	size_t n;
	int64_t id = 0;

	crm_statuses_parse(a->cfg.crm_statuses, &st, &n);
	int rc = crm_create_for_contact(a->db, contact_id, n ? st[0] : "lead",
					&id, &err);
	crm_strings_free(st, n);
	if (rc == -EEXIST) {
		shell_message(cv->v.sh, "That contact already has a record");
	} else if (rc < 0) {
		shell_error(cv->v.sh, "cannot create the record: %s",
			    err ? err : "database error");
	} else {
		shell_message(cv->v.sh, "Added a CRM record");
		shell_reload(cv->v.sh);
	}
	free(err);
	if (id) {
		for (size_t i = 0; i < cv->nids; i++)
			if (cv->ids[i] == id)
				list_select(&cv->list, i);
		crm_record_open(cv->v.sh, id);
	}
}

static void crmv_picked(void *arg, int i)
{
	struct crmv *cv = arg;

	if (i >= 0 && (size_t)i < cv->npick)
		crmv_create(cv, cv->pick[i]);
	free(cv->pick);
	cv->pick = NULL;
	cv->npick = 0;
}

static void crmv_add_text(void *arg, const char *text)
{
	struct crmv *cv = arg;
	struct db *db = crmv_app(cv)->db;
	bool more;

	if (str_empty(text))
		return;
	free(cv->pick);
	cv->pick = NULL;
	if (contacts_search(db, text, 0, CRM_PICK_LIMIT, &cv->pick,
			    &cv->npick, &more) < 0 || !cv->npick) {
		shell_error(cv->v.sh, "No contact matches '%s'", text);
		return;
	}
	if (cv->npick == 1) {
		crmv_picked(cv, 0);
		return;
	}
	char **items = xmalloc(cv->npick * sizeof *items);
	for (size_t i = 0; i < cv->npick; i++) {
		struct contact_row r;
		if (contacts_row(db, cv->pick[i], &r) < 0) {
			items[i] = xstrdup("?");
			continue;
		}
		items[i] = xasprintf("%s%s%s", r.fn, r.email ? "  " : "",
				     r.email ? r.email : "");
		contact_row_clear(&r);
	}
	ui_menu(cv->v.sh, "Which contact?", (const char *const *)items,
		(int)cv->npick, 0, crmv_picked, cv);
	crm_strings_free(items, cv->npick);
}

static void crmv_export_to(void *arg, const char *path)
{
	struct crmv *cv = arg;

	if (str_empty(path))
		return;
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	int rc = f ? crm_export_csv(crmv_app(cv)->db, cv->ids, cv->nids, f) :
		     -EIO;
	if (f && fclose(f) != 0)
		rc = -EIO;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -EIO;
	if (rc < 0) {
		unlink(tmp);
		shell_error(cv->v.sh, "cannot write %s", path);
	} else {
		shell_message(cv->v.sh, "Exported %zu record%s to %s", cv->nids,
			      cv->nids == 1 ? "" : "s", path);
	}
	free(tmp);
}

/* ---- keys ------------------------------------------------------------------ */

static bool crmv_key(struct view *v, const struct ui_key *k)
{
	struct crmv *cv = (struct crmv *)v;
	int64_t id = crmv_selected(cv);

	if (cv->searching) {
		crmv_search_key(cv, k);
		return true;
	}
	if (list_move(&cv->list, k->action))
		return true;
	switch (k->action) {
	case A_OPEN:
		if (id)
			crm_record_open(v->sh, id);
		return true;
	case A_SEARCH:
		cv->searching = true;
		lineedit_set(&cv->search, cv->query ? cv->query : "");
		return true;
	case A_CANCEL: case A_CLOSE:
		if (!cv->query)
			return k->action == A_CANCEL;
		lineedit_set(&cv->search, "");
		crmv_run_search(cv);
		return true;
	case A_CRM_ADD:
		ui_prompt(v->sh, "Add a CRM record for (name or email):", "",
			  crmv_add_text, cv);
		return true;
	case A_CRM_EDIT:
		if (id)
			crm_form_open(v->sh, id, NULL, NULL);
		return true;
	case A_CRM_DELETE:
		if (id)
			crm_record_delete(v->sh, id, NULL);
		return true;
	case A_CRM_NOTE:
		if (id)
			crm_record_note(v->sh, id);
		return true;
	case A_CRM_CONTACT:
		if (id)
			crm_record_contact(v->sh, id);
		return true;
	case A_CALL:
		if (id)
			callui_dial_record(v->sh, id);
		return true;
	case A_CRM_FILTER:
		crmv_filter_menu(cv);
		return true;
	case A_CRM_EXPORT:
		ui_prompt(v->sh, "Export the records shown as CSV to:",
			  "crm.csv", crmv_export_to, cv);
		return true;
	default:
		return false;
	}
}

static bool crmv_wants_text(struct view *v)
{
	return ((struct crmv *)v)->searching;
}

static void crmv_click(struct view *v, int y, int x, bool dbl)
{
	struct crmv *cv = (struct crmv *)v;
	long i = list_row_at(&cv->list, y);

	if (i < 0)
		return;
	list_select(&cv->list, (size_t)i);
	if (dbl)
		crmv_key(v, &(struct ui_key){ .action = A_OPEN });
}

static void crmv_reload(struct view *v)
{
	crmv_load((struct crmv *)v);
}

static const char *crmv_status(struct view *v)
{
	struct crmv *cv = (struct crmv *)v;

	snprintf(cv->line, sizeof cv->line, "%zu CRM record%s", cv->nids,
		 cv->nids == 1 ? "" : "s");
	return cv->line;
}

static void crmv_free(struct view *v)
{
	struct crmv *cv = (struct crmv *)v;

	free(cv->ids);
	free(cv->status);
	free(cv->owner);
	free(cv->tag);
	free(cv->query);
	free(cv->pick);
	crmv_menu_free(cv);
	lineedit_free(&cv->search);
	free(cv);
}

static const enum action crmv_hints[] = { A_CALL, A_CRM_ADD, A_CRM_EDIT, A_CRM_NOTE,
	A_CRM_FILTER, A_SEARCH, A_CRM_CONTACT, A_CRM_EXPORT, A_NONE };
static const struct view_ops crmv_ops = {
	.name = "crm",
	.ctx = CTX_CRM,
	.list_keys = true,
	.draw = crmv_draw,
	.key = crmv_key,
	.wants_text = crmv_wants_text,
	.click = crmv_click,
	.reload = crmv_reload,
	.free = crmv_free,
	.hints = crmv_hints,
	.status = crmv_status,
};

struct view *view_crm_new(struct shell *sh)
{
	struct crmv *cv = xcalloc(1, sizeof *cv);

	cv->v.ops = &crmv_ops;
	cv->v.sh = sh;
	cv->v.title = "CRM";
	lineedit_init(&cv->search, "");
	list_init(&cv->list, crmv_draw_row, cv);
	crmv_load(cv);
	return &cv->v;
}
