/* views/msg_read: one message in a reader layer, and the pop-up of a
 * reminder that came due.
 *
 * The reader shows the headers (from, to, date, subject, kind, what
 * became of a message not sent yet, the attachments with their type and
 * size) over the body, wrapped to the window; it scrolls like the pager
 * and takes the message keys (reply, forward, trash, ...) through
 * msg_act.  It reads its entry from the store at each draw, so a change
 * made anywhere (the server, another key) shows at once.
 */
#include "views/vmail_ui.h"
#include "views/messages.h"
#include "views/textarea.h"
#include "views/ui.h"
#include "app/app.h"
#include "app/online.h"
#include "store/messages.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEAD_W 10

enum line_kind { L_HEAD, L_WARN, L_RULE, L_BODY, L_QUOTE };

struct rline {
	enum line_kind kind;
	char *label, *text;
};

struct reader {
	struct view v;
	int64_t id;
	bool have;
	struct message m;
	struct rline *lines;
	size_t n, top;
	int height;
	char *find;
	msg_next_cb next;
	void *arg;
	struct vm_player *vm;	/* a voice mail's player, or NULL */
	int64_t vm_for;		/* the message it was made for */
};

static void lines_clear(struct reader *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->lines[i].label);
		free(r->lines[i].text);
	}
	free(r->lines);
	r->lines = NULL;
	r->n = 0;
}

static void add(struct reader *r, enum line_kind k, const char *label,
		const char *text)
{
	r->lines = xrealloc(r->lines, (r->n + 1) * sizeof *r->lines);
	r->lines[r->n++] = (struct rline){ k, xstrdup(label), xstrdup(text) };
}

/* A header whose value may be long: wrapped under its label. */
static void add_head(struct reader *r, const char *label, const char *text,
		     int width, enum line_kind k)
{
	char **v = NULL;
	size_t n = 0;

	if (str_empty(text))
		return;
	text_wrap(text, width - HEAD_W > 10 ? width - HEAD_W : 10, &v, &n);
	for (size_t i = 0; i < n; i++) {
		add(r, k, i ? "" : label, v[i]);
		free(v[i]);
	}
	free(v);
}

static void fmt_size(char *buf, size_t len, json_int_t size)
{
	if (size < 1024)
		snprintf(buf, len, "%lld bytes", (long long)size);
	else if (size < 1024 * 1024)
		snprintf(buf, len, "%.1f KB", size / 1024.0);
	else
		snprintf(buf, len, "%.1f MB", size / (1024.0 * 1024.0));
}

static void add_attachments(struct reader *r, int width)
{
	json_t *a = str_empty(r->m.attachments) ? NULL :
		    json_loads(r->m.attachments, 0, NULL), *v;
	size_t i;

	json_array_foreach(a, i, v) {
		char size[32], *t;
		const char *name = json_string_value(json_object_get(v,
								     "name"));
		const char *type = json_string_value(json_object_get(v,
								     "type"));
		fmt_size(size, sizeof size, json_integer_value(
				 json_object_get(v, "size")));
		t = xasprintf("%s (%s, %s)", name ? name : "attachment",
			      type ? type : "unknown type", size);
		add_head(r, i ? "" : "Attached", t, width, L_HEAD);
		free(t);
	}
	json_decref(a);
}

/* The lines for `width` cells, from the entry as stored now. */
static void build(struct reader *r, int width)
{
	struct shell *sh = r->v.sh;
	struct message *m = &r->m;
	char when[64], *t;

	lines_clear(r);
	message_clear(m);
	r->have = messages_get(shell_app(sh)->db, r->id, m) == 0;
	if (!r->have)
		return;
	t = !str_empty(m->sender_name) && m->sender ?
	    xasprintf("%s <%s>", m->sender_name, m->sender) :
	    xstrdup(msg_from(m));
	add_head(r, "From", m->outgoing && m->id < 0 ? "you" : t, width,
		 L_HEAD);
	free(t);
	add_head(r, "To", m->recipients, width, L_HEAD);
	msg_when(sh, when, sizeof when, m->created, true);
	add_head(r, "Date", str_trim(when), width, L_HEAD);
	if (!str_eq(m->kind, "reminder"))
		add_head(r, "Subject", m->subject ? m->subject : "(none)",
			 width, L_HEAD);
	if (!str_eq(m->kind, "text") && !str_empty(m->kind))
		add_head(r, "Kind", msg_kind_label(m->kind), width, L_HEAD);
	if (m->deliver_at) {
		msg_when(sh, when, sizeof when, m->deliver_at, true);
		add_head(r, m->deliver_at > time(NULL) ? "Due" : "Came due",
			 str_trim(when), width, L_HEAD);
	}
	if (m->expires) {
		msg_when(sh, when, sizeof when, m->expires, true);
		add_head(r, m->expires > time(NULL) ? "Expires" : "Expired",
			 str_trim(when), width, L_HEAD);
	}
	add_attachments(r, width);
	if (m->id < 0) {
		bool refused = msg_refused(sh, m->id);
		t = refused ? xasprintf("Refused by the server: %s (e edits "
					"it, d drops it)", m->error) :
		    str_eq(m->error, "waiting to be sent") ?
		    xstrdup("Waiting to be sent") :
		    xasprintf("Waiting to be sent: %s", m->error);
		add_head(r, "Status", t, width, L_WARN);
		free(t);
	}
	if (str_eq(m->folder, "trash"))
		add_head(r, "Folder", "Trash (u restores it, D deletes it for "
			 "good)", width, L_WARN);
	if (str_eq(m->kind, "contact_request") && m->sender) {
		bool open = false;
		struct online *o = shell_online(sh);
		for (size_t i = 0; o && i < o->nreqs; i++)
			open |= str_eq(o->reqs[i].username, m->sender);
		add_head(r, "Answer", open ? "y accepts (they see your "
			 "presence), x declines" : "answered already (y or x "
			 "answers again)", width, L_WARN);
	}
	add(r, L_RULE, NULL, NULL);
	for (const char *p = m->body; p && *p;) {	/* a paragraph a line */
		size_t len = strcspn(p, "\n"), n = 0;
		char *para = xstrndup(p, len), **v = NULL;
		text_wrap(para, width, &v, &n);
		for (size_t i = 0; i < n; i++) {
			add(r, para[0] == '>' ? L_QUOTE : L_BODY, NULL, v[i]);
			free(v[i]);
		}
		free(v);
		free(para);
		p += len + (p[len] != '\0');
	}
}

static bool line_has(const struct rline *l, const char *pat)
{
	char *a = str_fold(l->text ? l->text : ""), *b = str_fold(pat);
	bool hit = *b && strstr(a, b);

	free(a);
	free(b);
	return hit;
}

static void rd_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct reader *r = (struct reader *)v;
	struct shell *sh = v->sh;
	int width = cols - 4;

	build(r, width);
	ui_box(sh, w, 0, 0, h, cols, r->have ? msg_kind_label(r->m.kind) :
	       "Message");
	if (r->have && !r->vm && r->vm_for != r->id) {
		r->vm_for = r->id;
		r->vm = vm_player_new(sh, v, r->m.kind, r->m.attachments);
	}
	r->height = h - 2 - (r->vm ? 2 : 0);
	if (!r->have) {
		ui_text(w, 2, 2, width, "This message is no longer here "
			"(deleted for good, or sent and moved). q closes.",
			ui_attr(sh, UI_DIM));
		return;
	}
	if (r->n > (size_t)r->height && r->top > r->n - (size_t)r->height)
		r->top = r->n - (size_t)r->height;
	if (r->n <= (size_t)r->height)
		r->top = 0;
	for (int y = 0; y < r->height && r->top + (size_t)y < r->n; y++) {
		const struct rline *l = &r->lines[r->top + (size_t)y];
		attr_t a = r->find && line_has(l, r->find) ?
			   ui_attr(sh, UI_MATCH) : A_NORMAL;
		switch (l->kind) {
		case L_HEAD:
		case L_WARN:
			ui_text(w, 1 + y, 2, HEAD_W, l->label, ui_attr(sh,
								      UI_DIM));
			ui_text(w, 1 + y, 2 + HEAD_W, width - HEAD_W, l->text,
				l->kind == L_WARN ? ui_attr(sh, UI_ERROR) :
				!strcmp(l->label, "Subject") ?
				ui_attr(sh, UI_TITLE) | a : a);
			break;
		case L_RULE:
			ui_hline(sh, w, 1 + y, 1, cols - 2);
			break;
		case L_QUOTE:
			ui_text(w, 1 + y, 2, width, l->text, a ? a :
				ui_attr(sh, UI_DIM));
			break;
		case L_BODY:
			ui_text(w, 1 + y, 2, width, l->text, a);
			break;
		}
	}
	if (r->vm && h > 3)
		vm_player_draw(r->vm, w, h - 2, 2, width);
	char *pos = xasprintf(" %zu-%zu of %zu  q:close ", r->top + 1,
			      r->top + (size_t)r->height < r->n ?
			      r->top + (size_t)r->height : r->n, r->n);
	int pw = utf8_width(pos);
	if (cols > pw + 4)
		ui_puts(w, h - 1, cols - pw - 2, pw, pos, ui_attr(sh, UI_BORDER));
	free(pos);
}

static void find(struct reader *r, int dir)
{
	if (str_empty(r->find) || !r->n)
		return;
	for (size_t k = 1; k <= r->n; k++) {
		size_t i = (r->top + r->n + (size_t)dir * k) % r->n;
		if (line_has(&r->lines[i], r->find)) {
			r->top = i;
			return;
		}
	}
	shell_error(r->v.sh, "not found: %s", r->find);
}

static void found(void *arg, const char *text)
{
	struct reader *r = arg;

	if (!text)
		return;
	str_set(&r->find, *text ? text : NULL);
	find(r, 1);
}

static void show(struct reader *r, int64_t id)
{
	r->id = id;
	r->top = 0;
	vm_player_free(r->vm);
	r->vm = NULL;
	r->vm_for = 0;
	msg_mark_read(r->v.sh, id);
}

static bool in_trash(struct reader *r)
{
	struct message m;
	bool yes = false;

	if (messages_get(shell_app(r->v.sh)->db, r->id, &m) == 0) {
		yes = str_eq(m.folder, "trash");
		message_clear(&m);
	}
	return yes;
}

static bool rd_key(struct view *v, const struct ui_key *k)
{
	struct reader *r = (struct reader *)v;
	size_t page = r->height > 1 ? (size_t)r->height - 1 : 1;
	int64_t next;

	if (vm_player_key(r->vm, k->action))
		return true;
	switch (k->action) {
	case A_DOWN: case A_OPEN:
		if (r->top + (size_t)r->height < r->n)
			r->top++;
		return true;
	case A_UP:
		if (r->top)
			r->top--;
		return true;
	case A_PAGE_DOWN:
		if (r->top + (size_t)r->height < r->n)
			r->top += page;
		return true;
	case A_PAGE_UP:
		r->top = r->top > page ? r->top - page : 0;
		return true;
	case A_FIRST:
		r->top = 0;
		return true;
	case A_LAST:
		r->top = r->n;
		return true;
	case A_SEARCH:
		ui_prompt(v->sh, "Find in this message:", r->find, found, r);
		return true;
	case A_SEARCH_NEXT:
	case A_SEARCH_PREV:
		find(r, k->action == A_SEARCH_NEXT ? 1 : -1);
		return true;
	case A_MSG_NEXT:
	case A_MSG_PREV:
		next = r->next ? r->next(r->arg, r->id, k->action ==
					 A_MSG_NEXT ? 1 : -1) : 0;
		if (next)
			show(r, next);
		else
			shell_message(v->sh, "No %s message in the list",
				      k->action == A_MSG_NEXT ? "next" :
				      "previous");
		return true;
	case A_MSG_DELETE:
		if (r->id < 0 || !r->have || str_eq(r->m.folder, "trash"))
			break;
		/* as in mutt: on to the next one */
		next = r->next ? r->next(r->arg, r->id, 1) : 0;
		msg_act(v->sh, r->id, k->action);
		if (!in_trash(r))
			return true;	/* it did not move: said why */
		if (next)
			show(r, next);
		else
			shell_pop(v->sh, v);
		return true;
	default:
		break;
	}
	if (msg_act(v->sh, r->id, k->action))
		return true;
	return ui_close_on(v, k);
}

static void rd_free(struct view *v)
{
	struct reader *r = (struct reader *)v;

	lines_clear(r);
	message_clear(&r->m);
	vm_player_free(r->vm);
	free(r->find);
	free(r);
}

static const enum action rd_hints[] = { A_MSG_REPLY, A_MSG_REPLY_ALL,
	A_MSG_FORWARD, A_MSG_DELETE, A_MSG_TOGGLE_READ, A_MSG_NEXT,
	A_MSG_ACCEPT, A_CLOSE, A_NONE };
static const struct view_ops rd_ops = {
	.name = "message",
	.ctx = CTX_MESSAGE,
	.list_keys = true,
	.draw = rd_draw,
	.key = rd_key,
	.free = rd_free,
	.hints = rd_hints,
};

void msg_read_open(struct shell *sh, int64_t id, msg_next_cb next,
		   void *arg)
{
	struct reader *r = xcalloc(1, sizeof *r);

	r->v.ops = &rd_ops;
	r->v.sh = sh;
	r->v.title = "message";
	r->v.modal = true;
	r->next = next;
	r->arg = arg;
	shell_push(sh, &r->v);
	show(r, id);
}

/* ---- the reminder pop-up ------------------------------------------------------ */

struct popup {
	struct view v;
	int64_t id;
	char *title, *text, *when;
};

static void pop_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct popup *p = (struct popup *)v;
	struct shell *sh = v->sh;
	int bw = cols - 8 > 72 ? 72 : cols - 8;
	char **lines = NULL;
	size_t n = 0;

	if (bw < 20)
		bw = cols;
	text_wrap(p->text, bw - 6, &lines, &n);
	int bh = (int)n + 6;
	if (bh > h)
		bh = h;
	int y = (h - bh) / 2, x = (cols - bw) / 2;
	ui_box(sh, w, y, x, bh, bw, p->title);
	ui_text(w, y + 1, x + 3, bw - 6, p->when, ui_attr(sh, UI_DIM));
	for (size_t i = 0; i < n; i++) {
		if ((int)i + 3 < bh - 2)
			ui_text(w, y + 3 + (int)i, x + 3, bw - 6, lines[i],
				ui_attr(sh, UI_TITLE));
		free(lines[i]);
	}
	free(lines);
	ui_text(w, y + bh - 2, x + 3, bw - 6, "Enter: done (marks it read)",
		ui_attr(sh, UI_DIM));
}

static bool pop_key(struct view *v, const struct ui_key *k)
{
	struct popup *p = (struct popup *)v;
	struct shell *sh = v->sh;
	int64_t id = p->id;

	if (!k->is_text && (k->code == '\n' || k->code == '\r' ||
			    k->code == KEY_ENTER || k->code == 27 ||
			    k->action == A_CLOSE || k->action == A_CANCEL)) {
		shell_pop(sh, v);
		msg_mark_read(sh, id);
		return true;
	}
	/* a reminder waits to be seen: other keys do nothing */
	return k->action != A_QUIT && k->action != A_HELP &&
	       k->action != A_REDRAW;
}

static void pop_free(struct view *v)
{
	struct popup *p = (struct popup *)v;

	free(p->title);
	free(p->text);
	free(p->when);
	free(p);
}

static const enum action pop_hints[] = { A_CLOSE, A_NONE };
static const struct view_ops pop_ops = {
	.name = "reminder",
	.ctx = CTX_GLOBAL,
	.draw = pop_draw,
	.key = pop_key,
	.free = pop_free,
	.hints = pop_hints,
};

void msg_reminder_popup(struct shell *sh, const struct message *m)
{
	struct popup *p = xcalloc(1, sizeof *p);
	char when[64];
	struct online *o = shell_online(sh);
	bool self = m->sender && o && o->s.user && str_ieq(m->sender,
							   o->s.user);

	p->v.ops = &pop_ops;
	p->v.sh = sh;
	p->v.title = "reminder";
	p->v.modal = true;
	p->id = m->id;
	p->title = self ? xstrdup("Reminder") :
		   xasprintf("Reminder from %s", msg_from(m));
	msg_when(sh, when, sizeof when, msg_time(m), true);
	p->when = xasprintf("Due %s", str_trim(when));
	p->text = xstrdup(m->body);
	shell_push(sh, &p->v);
}
