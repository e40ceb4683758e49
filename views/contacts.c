/* views/contacts: the Address book tab — list, detail pane, search as you
 * type across all books, sort, and the add/edit/delete/import/export
 * actions. */
#include "views/callui.h"
#include "views/contacts.h"
#include "views/lineedit.h"
#include "views/list.h"
#include "views/ui.h"
#include "app/online.h"
#include "views/view.h"
#include "app/app.h"
#include "store/books.h"
#include "store/contacts.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

#define SEARCH_LIMIT 1000
#define DETAIL_MIN_COLS 100

static const char *const sort_names[] = { "name", "given", "org", "updated" };
static const char *const sort_labels[] = {
	"Family name", "Name as written", "Organisation", "Recently changed",
};

struct cview {
	struct view v;
	struct list list;
	int64_t *ids;
	size_t nids;
	int64_t book_id;	/* 0: all books */
	char *book_name;
	enum contacts_sort sort;
	bool searching;		/* typing in the search line */
	struct lineedit search;
	char *query;		/* active search, NULL when none */
	bool more;		/* search hit its limit */
	bool detail;		/* detail pane on (when wide enough) */
	int64_t detail_id;
	struct contact *detail_c;
	char *detail_book;
	char status[96];
	int64_t total;		/* contacts in all books, counted at load */
	int curx;		/* search cursor column */
};

static struct app *app_of(struct cview *cv)
{
	return shell_app(cv->v.sh);
}

static void keep_selection(struct cview *cv, int64_t id)
{
	for (size_t i = 0; id && i < cv->nids; i++) {
		if (cv->ids[i] == id) {
			list_select(&cv->list, i);
			return;
		}
	}
}

static int64_t selected_id(struct cview *cv)
{
	return cv->nids && cv->list.sel < cv->nids ? cv->ids[cv->list.sel] : 0;
}

static void load(struct cview *cv)
{
	struct app *a = app_of(cv);
	int64_t keep = selected_id(cv);

	free(cv->ids);
	cv->ids = NULL;
	cv->nids = 0;
	cv->more = false;
	if (cv->query)
		contacts_search(a->db, cv->query, 0, SEARCH_LIMIT, &cv->ids,
				&cv->nids, &cv->more);
	else
		contacts_ids(a->db, cv->book_id, cv->sort, &cv->ids, &cv->nids);
	list_set_count(&cv->list, cv->nids);
	keep_selection(cv, keep);
	cv->total = !cv->query && !cv->book_id ? (int64_t)cv->nids :
						contacts_count(a->db, 0);
	free(cv->book_name);
	cv->book_name = cv->book_id ? books_name(a->db, cv->book_id) : NULL;
	if (cv->book_id && !cv->book_name)	/* the book went away */
		cv->book_id = 0;
	cv->list.empty = cv->query ? "No contact matches. Esc clears the search." :
			 "No contacts yet. Press a to add one, or i to import "
			 "a vCard or CSV file.";
}

static void run_search(struct cview *cv)
{
	char *q = lineedit_text(&cv->search);

	free(cv->query);
	cv->query = *q ? q : NULL;
	if (!*q)
		free(q);
	load(cv);
	list_select(&cv->list, 0);
}

static void draw_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool sel)
{
	struct cview *cv = arg;
	struct contact_row r;
	attr_t a = sel ? ui_attr(cv->v.sh, UI_SELECTED) : A_NORMAL;

	if (contacts_row(app_of(cv)->db, cv->ids[i], &r) < 0) {
		ui_text(w, y, x, width, "", a);
		return;
	}
	int nw = width * 30 / 100, ew = width * 30 / 100;
	int pw = width * 18 / 100, ow = width - nw - ew - pw;
	/* each column keeps one blank cell before the next */
	ui_text(w, y, x, nw, "", a);
	/* colleagues in the online monitor: their presence before the name */
	const struct online *o = shell_online(cv->v.sh);
	int ix = 0;
	if (o && o->npeers) {
		attr_t ia;
		const char *st = online_state_by_email(o, r.email);
		if (st)
			ui_puts(w, y, x, 2, presence_icon(cv->v.sh, st, &ia),
				sel ? a : ia);
		ix = 2;
	}
	ui_puts(w, y, x + ix, nw - 1 - ix, r.fn, a);
	ui_text(w, y, x + nw, ew, "", a);
	ui_puts(w, y, x + nw, ew - 1, r.email, a);
	ui_text(w, y, x + nw + ew, pw, "", a);
	ui_puts(w, y, x + nw + ew, pw - 1, r.phone, a);
	ui_text(w, y, x + nw + ew + pw, ow, r.org, a);
	contact_row_clear(&r);
}

static void load_detail(struct cview *cv)
{
	int64_t id = selected_id(cv);

	if (id == cv->detail_id && cv->detail_c)
		return;
	contact_free(cv->detail_c);
	cv->detail_c = NULL;
	free(cv->detail_book);
	cv->detail_book = NULL;
	cv->detail_id = id;
	if (id && contacts_get(app_of(cv)->db, id, &cv->detail_c) == 0)
		cv->detail_book = books_name(app_of(cv)->db,
					     cv->detail_c->book_id);
}

static void draw_header(struct cview *cv, WINDOW *w, int cols)
{
	struct shell *sh = cv->v.sh;
	char *t;

	if (cv->searching || cv->query) {
		ui_text(w, 0, 0, cols, "", A_NORMAL);
		int x = ui_puts(w, 0, 1, cols, "Search all books: ",
				ui_attr(sh, UI_TITLE));
		char *m = xasprintf("  %zu%s match%s", cv->nids,
				    cv->more ? "+" : "",
				    cv->nids == 1 ? "" : "es");
		int mw = utf8_width(m);
		if (cv->searching) {
			cv->curx = lineedit_draw(&cv->search, w, 0, 1 + x,
						 cols - x - mw - 2,
						 ui_attr(sh, UI_FIELD));
		} else {
			ui_puts(w, 0, 1 + x, cols - x - mw - 2, cv->query,
				ui_attr(sh, UI_MATCH));
		}
		ui_puts(w, 0, cols - mw - 1, mw, m, ui_attr(sh, UI_DIM));
		free(m);
		return;
	}
	t = xasprintf(" %s  %s %zu contact%s  %s sorted by %s",
		      cv->book_name ? cv->book_name : "All address books",
		      ui_ascii(sh) ? "-" : "\xc2\xb7", cv->nids,
		      cv->nids == 1 ? "" : "s", ui_ascii(sh) ? "-" : "\xc2\xb7",
		      sort_labels[cv->sort]);
	ui_text(w, 0, 0, cols, t, ui_attr(sh, UI_TITLE));
	free(t);
}

static void cv_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct cview *cv = (struct cview *)v;
	struct shell *sh = v->sh;
	bool pane = cv->detail && cols >= DETAIL_MIN_COLS && cv->nids > 0;
	int lw = pane ? cols * 55 / 100 : cols;

	draw_header(cv, w, cols);
	int nw = (lw - 1) * 30 / 100, ew = (lw - 1) * 30 / 100;
	int pw = (lw - 1) * 18 / 100;
	attr_t ha = ui_attr(sh, UI_HEADER);
	ui_text(w, 1, 0, lw, "", A_NORMAL);
	ui_text(w, 1, 1, nw, "Name", ha);
	ui_text(w, 1, 1 + nw, ew, "Email", ha);
	ui_text(w, 1, 1 + nw + ew, pw, "Phone", ha);
	ui_text(w, 1, 1 + nw + ew + pw, lw - 1 - nw - ew - pw, "Organisation",
		ha);
	list_draw(&cv->list, sh, w, 2, 1, h - 2, lw - 1);
	if (pane) {
		wattrset(w, ui_attr(sh, UI_BORDER));
		mvwvline(w, 1, lw, ui_ascii(sh) ? '|' : ACS_VLINE, h - 1);
		wattrset(w, A_NORMAL);
		load_detail(cv);
		if (cv->detail_c)
			card_draw(sh, w, 1, lw + 2, h - 1, cols - lw - 3,
				  cv->detail_c, cv->detail_book);
	}
	if (cv->searching)	/* the cursor belongs in the search line */
		wmove(w, 0, cv->curx);
}

static void search_key(struct cview *cv, const struct ui_key *k)
{
	switch (list_search_key(&cv->list, &cv->search, k)) {
	case LIST_SEARCH_DONE:
		cv->searching = false;
		if (!cv->query)
			shell_message(cv->v.sh, "Search cleared");
		break;
	case LIST_SEARCH_CLEARED:
		cv->searching = false;
		run_search(cv);
		break;
	case LIST_SEARCH_CHANGED:
		run_search(cv);
		break;
	case LIST_SEARCH_NONE:
		break;
	}
}

static void after_save(void *arg, int64_t id)
{
	struct cview *cv = arg;

	load(cv);
	keep_selection(cv, id);
	cv->detail_id = 0;
}

static void edit_id(void *arg, int64_t id)
{
	struct cview *cv = arg;
	struct contact *c;

	if (contacts_get(app_of(cv)->db, id, &c) < 0) {
		shell_error(cv->v.sh, "that contact no longer exists");
		return;
	}
	contact_form_open(cv->v.sh, c, c->book_id, after_save, cv);
	contact_free(c);
}

struct pending_delete {
	struct cview *cv;
	int64_t id;
	char *name;
};

static void delete_answer(void *arg, bool yes)
{
	struct pending_delete *pd = arg;
	struct cview *cv = pd->cv;

	if (yes) {
		if (contacts_delete(app_of(cv)->db, pd->id) == 0)
			shell_message(cv->v.sh, "Deleted %s", pd->name);
		else
			shell_error(cv->v.sh, "cannot delete %s", pd->name);
		shell_reload(cv->v.sh);
	}
	free(pd->name);
	free(pd);
}

static void delete_id(void *arg, int64_t id)
{
	struct cview *cv = arg;
	struct contact_row r;

	if (contacts_row(app_of(cv)->db, id, &r) < 0)
		return;
	struct pending_delete *pd = xcalloc(1, sizeof *pd);
	pd->cv = cv;
	pd->id = id;
	pd->name = xstrdup(r.fn);
	contact_row_clear(&r);
	if (!app_of(cv)->cfg.confirm_delete) {
		delete_answer(pd, true);
		return;
	}
	char *q = xasprintf("Delete %s?", pd->name);
	ui_confirm(cv->v.sh, q, delete_answer, pd);
	free(q);
}

static void chose_book(void *arg, int64_t id)
{
	struct cview *cv = arg;

	cv->book_id = id;
	free(cv->query);
	cv->query = NULL;
	lineedit_set(&cv->search, "");
	load(cv);
	list_select(&cv->list, 0);
}

static void chose_sort(void *arg, int i)
{
	struct cview *cv = arg;

	if (i < 0)
		return;
	cv->sort = (enum contacts_sort)i;
	str_set(&app_of(cv)->cfg.sort, sort_names[i]);
	load(cv);
}

static int64_t book_for_new(struct cview *cv)
{
	struct app *a = app_of(cv);
	int64_t id = cv->book_id;

	if (!id && !str_empty(a->cfg.default_book))
		books_find(a->db, a->cfg.default_book, &id);
	if (!id)
		books_default(a->db, &id);
	return id;
}

static void move_match(struct cview *cv, int dir)
{
	if (!cv->query) {
		shell_message(cv->v.sh, "No search: press / to search");
		return;
	}
	if (!cv->nids)
		return;
	cv->list.sel = (cv->list.sel + cv->nids + (size_t)dir) % cv->nids;
	shell_message(cv->v.sh, "Match %zu of %zu", cv->list.sel + 1, cv->nids);
}

static bool cv_key(struct view *v, const struct ui_key *k)
{
	struct cview *cv = (struct cview *)v;
	int64_t id = selected_id(cv);

	if (cv->searching) {
		search_key(cv, k);
		return true;
	}
	if (list_move(&cv->list, k->action))
		return true;
	switch (k->action) {
	case A_OPEN:
		if (id) {
			struct card_owner o = { edit_id, delete_id, cv };
			card_open(v->sh, id, &o);
		}
		return true;
	case A_SEARCH:
		cv->searching = true;
		lineedit_set(&cv->search, cv->query ? cv->query : "");
		return true;
	case A_SEARCH_NEXT: move_match(cv, 1); return true;
	case A_SEARCH_PREV: move_match(cv, -1); return true;
	case A_CANCEL: case A_CLOSE:
		if (!cv->query)
			return k->action == A_CANCEL;
		lineedit_set(&cv->search, "");
		run_search(cv);
		return true;
	case A_CONTACT_ADD:
		contact_form_open(v->sh, NULL, book_for_new(cv), after_save, cv);
		return true;
	case A_CONTACT_EDIT:
		if (id)
			edit_id(cv, id);
		return true;
	case A_CONTACT_DELETE:
		if (id)
			delete_id(cv, id);
		return true;
	case A_BOOK_CHOOSE:
		books_open(v->sh, cv->book_id, chose_book, cv);
		return true;
	case A_SORT:
		ui_menu(v->sh, "Sort contacts by", sort_labels, 4, (int)cv->sort,
			chose_sort, cv);
		return true;
	case A_IMPORT:
		contacts_import_start(v->sh, cv->book_id ? cv->book_id :
					       book_for_new(cv));
		return true;
	case A_EXPORT:
		contacts_export_start(v->sh, cv->ids, cv->nids);
		return true;
	case A_DETAIL_TOGGLE:
		cv->detail = !cv->detail;
		return true;
	case A_CRM_RECORD:
		if (id)
			crm_open_for_contact(v->sh, id);
		return true;
	case A_CALL:
		if (id)
			callui_dial_contact(v->sh, id);
		return true;
	case A_CRM_NOTE:
		if (id)
			crm_note_for_contact(v->sh, id, 0, NULL);
		return true;
	default:
		return false;
	}
}

static bool cv_wants_text(struct view *v)
{
	return ((struct cview *)v)->searching;
}

static void cv_click(struct view *v, int y, int x, bool dbl)
{
	struct cview *cv = (struct cview *)v;
	long i = list_row_at(&cv->list, y);

	if (i < 0)
		return;
	list_select(&cv->list, (size_t)i);
	if (dbl)
		cv_key(v, &(struct ui_key){ .action = A_OPEN });
}

static const char *cv_status(struct view *v)
{
	struct cview *cv = (struct cview *)v;
	int64_t total = cv->total;

	snprintf(cv->status, sizeof cv->status, "%lld contact%s",
		 (long long)total, total == 1 ? "" : "s");
	return cv->status;
}

static void cv_free(struct view *v)
{
	struct cview *cv = (struct cview *)v;

	free(cv->ids);
	free(cv->book_name);
	free(cv->query);
	lineedit_free(&cv->search);
	contact_free(cv->detail_c);
	free(cv->detail_book);
	free(cv);
}

static void sort_from_config(struct cview *cv)
{
	for (int i = 0; i < 4; i++)
		if (str_ieq(app_of(cv)->cfg.sort, sort_names[i]))
			cv->sort = (enum contacts_sort)i;
}

static void cv_reload(struct view *v)
{
	struct cview *cv = (struct cview *)v;

	cv->detail_id = 0;
	sort_from_config(cv);	/* `:set sort = …` takes effect here */
	load(cv);
}

static const enum action cv_hints[] = { A_CALL, A_CONTACT_ADD, A_CONTACT_EDIT,
	A_CONTACT_DELETE, A_SEARCH, A_BOOK_CHOOSE, A_SORT, A_IMPORT, A_EXPORT,
	A_CRM_RECORD, A_CRM_NOTE, A_NONE };
static const struct view_ops cv_ops = {
	.name = "contacts",
	.ctx = CTX_CONTACTS,
	.list_keys = true,
	.draw = cv_draw,
	.key = cv_key,
	.wants_text = cv_wants_text,
	.click = cv_click,
	.reload = cv_reload,
	.free = cv_free,
	.hints = cv_hints,
	.status = cv_status,
};

struct view *view_contacts_new(struct shell *sh)
{
	struct cview *cv = xcalloc(1, sizeof *cv);
	struct app *a = shell_app(sh);

	cv->v.ops = &cv_ops;
	cv->v.sh = sh;
	cv->v.title = "Address book";
	cv->detail = true;
	(void)a;
	sort_from_config(cv);
	lineedit_init(&cv->search, "");
	list_init(&cv->list, draw_row, cv);
	load(cv);
	return &cv->v;
}
