/* views/messages: the Messages tab — inbox, sent and trash from the
 * local mailbox, newest first, with the unread announcements pinned at
 * the top of the inbox until they are read; search as you type over
 * every folder (FTS, store/messages.h); the reader, compose, announce
 * and remind layers; and the pop-up of each reminder that comes due.
 *
 * Messages waiting in the outbox are listed in Sent as "pending", or
 * "refused: REASON" when the server said no; `e` edits such a one and
 * `d` drops it.  The tab's title carries the unread count.  Signed out,
 * whatever is stored here is still shown, and the tab says how to sign
 * in to send and receive.
 */
#include "views/vmail_ui.h"
#include "views/messages.h"
#include "views/lineedit.h"
#include "views/list.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "store/messages.h"
#include "store/outbox.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIST_LIMIT 5000	/* newest entries of a folder loaded */
#define REMIND_LIMIT 50

struct mrow {
	struct message m;
	bool pinned, refused;
	int natt;
};

struct msgview {
	struct view v;
	struct list list;
	const char *folder;	/* inbox, sent, trash */
	struct mrow *rows;
	size_t n, npinned;
	bool searching;
	struct lineedit search;
	char *query;		/* NULL: the folder */
	int64_t *popped;	/* reminders shown as pop-ups */
	size_t npopped;
	int64_t unread;
	int curx;
	char title[40];
	char status[64];
};

static const struct {
	const char *folder, *label;
} folders[] = { { "inbox", "Inbox" }, { "sent", "Sent" },
		{ "trash", "Trash" } };

static struct app *app_of(struct msgview *mv)
{
	return shell_app(mv->v.sh);
}

static void rows_clear(struct msgview *mv)
{
	for (size_t i = 0; i < mv->n; i++)
		message_clear(&mv->rows[i].m);
	free(mv->rows);
	mv->rows = NULL;
	mv->n = mv->npinned = 0;
}

static int64_t selected_id(struct msgview *mv)
{
	return mv->list.sel < mv->n ? mv->rows[mv->list.sel].m.id : 0;
}

/* Take the messages of v (their strings move into the rows). */
static void take(struct msgview *mv, struct message *v, size_t n,
		 bool pinned)
{
	mv->rows = xrealloc(mv->rows, (mv->n + n + 1) * sizeof *mv->rows);
	for (size_t i = 0; i < n; i++) {
		bool dup = false;	/* a pinned one, listed again */
		for (size_t k = 0; k < mv->npinned && !dup; k++)
			dup = mv->rows[k].m.id == v[i].id;
		if (dup) {
			message_clear(&v[i]);
			continue;
		}
		struct mrow *r = &mv->rows[mv->n++];
		memset(r, 0, sizeof *r);
		r->m = v[i];
		r->pinned = pinned;
		r->natt = msg_att_count(r->m.attachments);
		mv->npinned += pinned;
	}
	free(v);
}

/* Which pending rows the server refused. */
static void mark_refused(struct msgview *mv)
{
	struct online *o = shell_online(mv->v.sh);
	struct outbox_item *v;
	size_t n;

	if (!o || !o->account ||
	    outbox_list(app_of(mv)->db, o->account, &v, &n) < 0)
		return;
	for (size_t i = 0; i < mv->n; i++)
		for (size_t k = 0; mv->rows[i].m.id < 0 && k < n; k++)
			if (v[k].id == -mv->rows[i].m.id)
				mv->rows[i].refused = v[k].failed;
	outbox_items_free(v, n);
}

static void update_title(struct msgview *mv)
{
	mv->unread = messages_unread(app_of(mv)->db, "inbox");
	if (mv->unread)
		snprintf(mv->title, sizeof mv->title, "Messages (%lld)",
			 (long long)mv->unread);
	else
		snprintf(mv->title, sizeof mv->title, "Messages");
}

static bool popped(struct msgview *mv, int64_t id)
{
	for (size_t i = 0; i < mv->npopped; i++)
		if (mv->popped[i] == id)
			return true;
	return false;
}

/* Reminders that came due and were not seen: each pops up once. */
static void check_reminders(struct msgview *mv)
{
	struct message *v;
	size_t n;
	int64_t now = time(NULL);

	if (messages_list(app_of(mv)->db, "inbox", true, REMIND_LIMIT, &v,
			  &n) < 0)
		return;
	for (size_t i = n; i-- > 0;) {	/* oldest first: newest on top */
		if (!str_eq(v[i].kind, "reminder") || popped(mv, v[i].id) ||
		    msg_time(&v[i]) > now + 60)
			continue;
		mv->popped = xrealloc(mv->popped, (mv->npopped + 1) *
				      sizeof *mv->popped);
		mv->popped[mv->npopped++] = v[i].id;
		msg_reminder_popup(mv->v.sh, &v[i]);
	}
	messages_free(v, n);
}

static void load(struct msgview *mv)
{
	struct db *db = app_of(mv)->db;
	int64_t keep = selected_id(mv);
	struct message *v = NULL;
	size_t n = 0;
	int rc = 0;

	rows_clear(mv);
	if (mv->query) {
		rc = messages_search(db, mv->query, LIST_LIMIT, &v, &n);
	} else {
		if (strcmp(mv->folder, "inbox") == 0) {
			rc = messages_announcements(db, time(NULL), &v, &n);
			if (rc == 0)
				take(mv, v, n, true);	/* v is taken */
			else
				messages_free(v, n);
			v = NULL;
			n = 0;
		}
		if (rc == 0)
			rc = messages_list(db, mv->folder, false, LIST_LIMIT,
					   &v, &n);
	}
	if (rc == 0)
		take(mv, v, n, false);
	else
		messages_free(v, n);
	if (rc < 0)
		shell_error(mv->v.sh, "cannot read the messages from %s",
			    app_of(mv)->db_path);
	mark_refused(mv);
	list_set_count(&mv->list, mv->n);
	for (size_t i = 0; keep && i < mv->n; i++)
		if (mv->rows[i].m.id == keep)
			list_select(&mv->list, i);
	update_title(mv);
	mv->v.dirty = true;
	check_reminders(mv);
}

/* ---- drawing ------------------------------------------------------------------ */

struct cols {
	int mark, date, who, subj, att;
};

static struct cols columns(int width)
{
	struct cols c = { 2, 14, 24, 0, 5 };

	if (width < 70)
		c.who = 14;
	c.subj = width - c.mark - c.date - c.who - c.att;
	if (c.subj < 10)
		c.subj = 10;
	return c;
}

static void draw_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool sel)
{
	struct msgview *mv = arg;
	struct shell *sh = mv->v.sh;
	const struct mrow *r = &mv->rows[i];
	const struct message *m = &r->m;
	struct cols c = columns(width);
	char when[48], att[16] = "";
	attr_t base = sel ? ui_attr(sh, UI_SELECTED) :
		      r->pinned ? ui_attr(sh, UI_MATCH) :
		      r->refused ? ui_attr(sh, UI_ERROR) :
		      m->id < 0 ? ui_attr(sh, UI_DIM) : A_NORMAL;

	if (!m->read && m->id > 0)
		base |= A_BOLD;
	msg_when(sh, when, sizeof when, msg_time(m), false);
	bool sent = !mv->query && strcmp(mv->folder, "sent") == 0;
	char *who = m->outgoing ? xasprintf("%s%s", sent ? "" : "To: ",
					     m->recipients ? m->recipients :
					     "") :
				  xstrdup(msg_from(m));
	char *s = msg_subject(m);
	char *state = m->id >= 0 ? xstrdup("") : r->refused ?
		xasprintf("[refused: %s] ", m->error ? m->error : "?") :
		xstrdup("[pending] ");
	bool trash = mv->query && str_eq(m->folder, "trash");
	char *subj = xasprintf("%s%s%s%s", state, trash ? "(trash) " : "",
			       msg_kind_tag(m->kind), s);
	if (r->natt)
		snprintf(att, sizeof att, "%s%d", ui_ascii(sh) ? "@" :
			 "\xf0\x9f\x93\x8e", r->natt);
	ui_text(w, y, x, width, "", base);
	ui_puts(w, y, x, c.mark, !m->read && m->id > 0 ? "N" : "", base);
	ui_puts(w, y, x + c.mark, c.date - 1, str_trim(when), base);
	ui_puts(w, y, x + c.mark + c.date, c.who - 1, who, base);
	ui_puts(w, y, x + c.mark + c.date + c.who, c.subj - 1, subj, base);
	ui_puts(w, y, x + width - c.att, c.att, att, base);
	free(who);
	free(s);
	free(state);
	free(subj);
}

static void draw_header(struct msgview *mv, WINDOW *w, int cols)
{
	struct shell *sh = mv->v.sh;
	int x = 1;

	ui_text(w, 0, 0, cols, "", A_NORMAL);
	if (mv->searching || mv->query) {
		x += ui_puts(w, 0, x, cols, "Search all messages: ",
			     ui_attr(sh, UI_TITLE));
		char *m = xasprintf("  %zu match%s  (Esc clears)", mv->n,
				    mv->n == 1 ? "" : "es");
		int mw = utf8_width(m);
		if (mv->searching) {
			mv->curx = lineedit_draw(&mv->search, w, 0, x,
						 cols - x - mw - 2,
						 ui_attr(sh, UI_FIELD));
		} else {
			char *t = lineedit_text(&mv->search);
			ui_puts(w, 0, x, cols - x - mw - 2, t,
				ui_attr(sh, UI_MATCH));
			free(t);
		}
		ui_puts(w, 0, cols - mw - 1, mw, m, ui_attr(sh, UI_DIM));
		free(m);
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		bool on = strcmp(mv->folder, folders[i].folder) == 0;
		char *t = i == 0 && mv->unread ?
			xasprintf(" %s (%lld) ", folders[i].label,
				  (long long)mv->unread) :
			xasprintf(" %s ", folders[i].label);
		x += ui_puts(w, 0, x, cols - x, t, on ?
			     ui_attr(sh, UI_SELECTED) | A_BOLD :
			     ui_attr(sh, UI_DIM));
		x += ui_puts(w, 0, x, cols - x, " ", A_NORMAL);
		free(t);
	}
	int64_t failed = 0;
	int64_t pending = online_msg_pending(shell_online(sh), &failed);
	char *t = xasprintf(" %s %zu message%s%s", ui_ascii(sh) ? "-" :
			    "\xc2\xb7", mv->n, mv->n == 1 ? "" : "s",
			    pending ? "" : "   (i s t: folders)");
	x += ui_puts(w, 0, x, cols - x, t, A_NORMAL);
	free(t);
	if (pending) {
		t = !failed ? xasprintf("  %lld waiting to be sent",
					(long long)pending) :
		    pending > failed ? xasprintf("  %lld waiting to be sent, "
						 "%lld refused (see Sent)",
						 (long long)(pending - failed),
						 (long long)failed) :
		    xasprintf("  %lld refused (see Sent)", (long long)failed);
		ui_puts(w, 0, x, cols - x, t, ui_attr(sh, failed ? UI_ERROR :
						      UI_DIM));
		free(t);
	}
}

/* A line on the state of the link, when there is something to say. */
static char *link_note(struct msgview *mv, enum ui_color *color)
{
	struct online *o = shell_online(mv->v.sh);

	*color = UI_DIM;
	if (!online_signed_in(o))
		return mv->n ? xstrdup("Not signed in: these are the messages "
				       "kept on this machine. Sign in (L) to "
				       "send and receive.") : NULL;
	if (o->link == LINK_DOWN) {
		*color = UI_ERROR;
		return xasprintf("Offline, retrying (C-l: now): %s %s",
				 o->account ? "what you send waits in the "
				 "outbox." : "you can send once confab has "
				 "reached the server.", o->error ? o->error :
				 "");
	}
	if (o->link == LINK_CONNECTING)
		return xasprintf("Connecting to %s...", o->s.server);
	if (o->msg_error) {
		*color = UI_ERROR;
		return xasprintf("The outbox waits: %s", o->msg_error);
	}
	return NULL;
}

static void draw_signed_out(struct msgview *mv, WINDOW *w, int h, int cols)
{
	struct shell *sh = mv->v.sh;
	int y = h / 4;

	ui_text(w, y, 2, cols - 4, "Messages", ui_attr(sh, UI_TITLE));
	ui_text(w, y + 2, 2, cols - 4, "Messages, announcements, reminders "
		"and contact requests from your colleagues.", A_NORMAL);
	ui_text(w, y + 4, 2, cols - 4, "Sign in (L on tab 2, or L here) to "
		"send and receive messages.", ui_attr(sh, UI_MESSAGE));
	ui_text(w, y + 6, 2, cols - 4, "Nothing is stored on this machine "
		"yet.", ui_attr(sh, UI_DIM));
}

static void mv_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct msgview *mv = (struct msgview *)v;
	struct shell *sh = v->sh;
	enum ui_color color;
	int y = 1;

	update_title(mv);
	if (!online_signed_in(shell_online(sh)) && !mv->n && !mv->query &&
	    !mv->searching && strcmp(mv->folder, "inbox") == 0) {
		draw_signed_out(mv, w, h, cols);
		return;
	}
	draw_header(mv, w, cols);
	char *note = link_note(mv, &color);
	if (note) {
		ui_text(w, y++, 1, cols - 2, note, ui_attr(sh, color));
		free(note);
	}
	struct cols c = columns(cols - 1);
	bool sent = !mv->query && strcmp(mv->folder, "sent") == 0;
	ui_text(w, y, 0, cols, "", A_NORMAL);
	ui_puts(w, y, 1 + c.mark, c.date, "Date", ui_attr(sh, UI_HEADER));
	ui_puts(w, y, 1 + c.mark + c.date, c.who, sent ? "To" : "From",
		ui_attr(sh, UI_HEADER));
	ui_puts(w, y++, 1 + c.mark + c.date + c.who, c.subj, "Subject",
		ui_attr(sh, UI_HEADER));
	mv->list.empty = mv->query ? "No message matches. Esc clears the "
		"search." : strcmp(mv->folder, "trash") == 0 ?
		"The trash is empty." : strcmp(mv->folder, "sent") == 0 ?
		"Nothing sent yet. c writes a message." :
		"No messages. c writes one; s shows what you sent.";
	list_draw(&mv->list, sh, w, y, 1, h - y, cols - 1);
	if (mv->searching)
		wmove(w, 0, mv->curx);
}

/* ---- keys ------------------------------------------------------------------------- */

static const struct view_ops mv_ops, mv_trash_ops;

static int64_t next_of(void *arg, int64_t id, int dir)
{
	struct msgview *mv = arg;

	for (size_t i = 0; i < mv->n; i++) {
		if (mv->rows[i].m.id != id)
			continue;
		if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= mv->n))
			return 0;
		list_select(&mv->list, dir < 0 ? i - 1 : i + 1);
		return mv->rows[mv->list.sel].m.id;
	}
	return 0;
}

static void run_search(struct msgview *mv)
{
	char *t = str_trim(lineedit_text(&mv->search));

	free(mv->query);
	mv->query = *t ? t : NULL;
	if (!*t)
		free(t);
	list_select(&mv->list, 0);
	load(mv);
	list_select(&mv->list, 0);
}

static void search_key(struct msgview *mv, const struct ui_key *k)
{
	switch (list_search_key(&mv->list, &mv->search, k)) {
	case LIST_SEARCH_DONE:
		mv->searching = false;
		break;
	case LIST_SEARCH_CLEARED:
		mv->searching = false;
		run_search(mv);
		break;
	case LIST_SEARCH_CHANGED:
		run_search(mv);
		break;
	case LIST_SEARCH_NONE:
		break;
	}
}

static void set_folder(struct msgview *mv, const char *folder)
{
	mv->folder = folder;
	mv->v.ops = strcmp(folder, "trash") == 0 ? &mv_trash_ops : &mv_ops;
	free(mv->query);
	mv->query = NULL;
	lineedit_set(&mv->search, "");
	list_select(&mv->list, 0);
	mv->list.top = 0;
	load(mv);
	list_select(&mv->list, 0);
}

static void vm_to_chosen(void *arg, const char *text)
{
	char *u = text ? str_trim(xstrdup(text)) : NULL;

	if (u && *u)
		vmail_record_open(arg, u, u);
	free(u);
}

static bool mv_key(struct view *v, const struct ui_key *k)
{
	struct msgview *mv = (struct msgview *)v;
	struct shell *sh = v->sh;

	if (mv->searching) {
		search_key(mv, k);
		return true;
	}
	if (list_move(&mv->list, k->action))
		return true;
	switch (k->action) {
	case A_OPEN:
		if (mv->n)
			msg_read_open(sh, selected_id(mv), next_of, mv);
		return true;
	case A_MSG_INBOX: set_folder(mv, "inbox"); return true;
	case A_MSG_SENT: set_folder(mv, "sent"); return true;
	case A_MSG_TRASH: set_folder(mv, "trash"); return true;
	case A_SEARCH:
		mv->searching = true;
		return true;
	case A_SEARCH_NEXT:
	case A_SEARCH_PREV:
		if (!mv->query) {
			shell_message(sh, "No search: press / to search");
		} else if (mv->n) {
			size_t d = k->action == A_SEARCH_NEXT ? 1 : mv->n - 1;
			list_select(&mv->list, (mv->list.sel + d) % mv->n);
			shell_message(sh, "Match %zu of %zu", mv->list.sel + 1,
				      mv->n);
		}
		return true;
	case A_CANCEL:
	case A_CLOSE:
		if (!mv->query)
			return k->action == A_CANCEL;
		lineedit_set(&mv->search, "");
		run_search(mv);
		return true;
	case A_VM_NEW:
		if (!online_signed_in(shell_online(sh)))
			shell_message(sh, "Sign in first (L): voice mail goes "
				      "through the server");
		else
			ui_prompt(sh, "Voice mail for (user name):", "",
				  vm_to_chosen, sh);
		return true;
	case A_MSG_ANNOUNCE:
	case A_MSG_REMIND:
		if (!online_signed_in(shell_online(sh)))
			shell_message(sh, "Sign in first (L): %s go through "
				      "the server", k->action == A_MSG_REMIND ?
				      "reminders" : "announcements");
		else
			msg_compose_open(sh, k->action == A_MSG_REMIND ?
					 MK_REMIND : MK_ANNOUNCE, NULL);
		return true;
	default:
		return msg_act(sh, selected_id(mv), k->action);
	}
}

static bool mv_wants_text(struct view *v)
{
	return ((struct msgview *)v)->searching;
}

static void mv_click(struct view *v, int y, int x, bool dbl)
{
	struct msgview *mv = (struct msgview *)v;
	long i = list_row_at(&mv->list, y);

	if (y == 0 && !mv->query) {	/* the folder names */
		int fx = 1;
		for (size_t f = 0; f < 3; f++) {
			int fw = utf8_width(folders[f].label) + 3 +
				 (f == 0 && mv->unread ? 5 : 0);
			if (x >= fx && x < fx + fw) {
				set_folder(mv, folders[f].folder);
				return;
			}
			fx += fw;
		}
		return;
	}
	if (i < 0)
		return;
	list_select(&mv->list, (size_t)i);
	if (dbl)
		mv_key(v, &(struct ui_key){ .action = A_OPEN });
}

static void mv_reload(struct view *v)
{
	load((struct msgview *)v);
}

static const char *mv_status(struct view *v)
{
	struct msgview *mv = (struct msgview *)v;

	if (mv->query)
		snprintf(mv->status, sizeof mv->status, "%zu match%s", mv->n,
			 mv->n == 1 ? "" : "es");
	else
		snprintf(mv->status, sizeof mv->status, "%s: %zu",
			 strcmp(mv->folder, "inbox") == 0 ? "Inbox" :
			 strcmp(mv->folder, "sent") == 0 ? "Sent" : "Trash",
			 mv->n);
	return mv->status;
}

static void mv_free(struct view *v)
{
	struct msgview *mv = (struct msgview *)v;

	rows_clear(mv);
	lineedit_free(&mv->search);
	free(mv->query);
	free(mv->popped);
	free(mv);
}

static const enum action mv_hints[] = { A_MSG_COMPOSE, A_MSG_REPLY,
	A_MSG_FORWARD, A_MSG_DELETE, A_MSG_INBOX, A_MSG_SENT, A_MSG_TRASH,
	A_SEARCH, A_MSG_REMIND, A_MSG_ANNOUNCE, A_VM_NEW, A_NONE };
static const enum action mv_trash_hints[] = { A_OPEN, A_MSG_RESTORE,
	A_MSG_PURGE, A_MSG_INBOX, A_MSG_SENT, A_SEARCH, A_NONE };
#define MV_OPS(hint_list) {						\
	.name = "messages",						\
	.ctx = CTX_MESSAGES,						\
	.list_keys = true,						\
	.draw = mv_draw,						\
	.key = mv_key,							\
	.wants_text = mv_wants_text,					\
	.click = mv_click,						\
	.reload = mv_reload,						\
	.free = mv_free,						\
	.hints = hint_list,						\
	.status = mv_status,						\
}
/* the trash has its own hints: the same view otherwise */
static const struct view_ops mv_ops = MV_OPS(mv_hints);
static const struct view_ops mv_trash_ops = MV_OPS(mv_trash_hints);

struct view *view_messages_new(struct shell *sh)
{
	struct msgview *mv = xcalloc(1, sizeof *mv);

	mv->v.ops = &mv_ops;
	mv->v.sh = sh;
	mv->v.title = mv->title;
	mv->folder = "inbox";
	lineedit_init(&mv->search, "");
	list_init(&mv->list, draw_row, mv);
	load(mv);
	return &mv->v;
}
