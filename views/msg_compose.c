/* views/msg_compose: writing a message, an announcement or a reminder.
 *
 * One editor layer for the three: a few one-line header fields (To and
 * Subject; or Subject, Markets, Regions and Expires; or To, Date and
 * Time) over a multi-line body (views/textarea).  Tab completes the name
 * being typed in To, Markets and Regions (views/msg_complete.c); pressed
 * again it goes through the choices.  C-o hands the body to $VISUAL or
 * $EDITOR, as mutt does; the screen waits for the editor to exit.  Sending
 * queues the request in the outbox (online_msg_send) and closes: the
 * list shows it pending until confabd has it.
 */
#include "views/messages.h"
#include "views/textarea.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "common/str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_W 10
#define MAX_FIELDS 5
#define BODY_MAX TEXTAREA_EDIT_MAX

enum role { R_BODY, R_TO, R_SUBJECT, R_MARKETS, R_REGIONS, R_EXPIRES,
	    R_DATE, R_TIME };

struct cfield {
	enum role role;
	const char *label;
	struct lineedit ed;
	char *orig;
};

struct compose {
	struct view v;
	enum msg_kind kind;
	char *title;
	struct cfield f[MAX_FIELDS];
	size_t nf;
	struct textarea body;
	char *body_orig;
	size_t cur;		/* a field, or nf: the body */
	char *error;
	struct msg_complete mc;	/* names in To, Markets, Regions */
	int64_t reply_to, replaces;
	json_t *attachments;
	int cy, cx;
};

static struct online *co_online(struct compose *c)
{
	return shell_online(c->v.sh);
}

static struct cfield *field(struct compose *c)
{
	return c->cur < c->nf ? &c->f[c->cur] : NULL;
}

/* What Tab completes in the current field. */
static enum mc_source source(struct compose *c)
{
	struct cfield *f = field(c);

	if (!f)
		return MC_NONE;
	switch (f->role) {
	case R_TO: return c->kind == MK_REMIND ? MC_USERS_SELF : MC_USERS;
	case R_MARKETS: return MC_MARKETS;
	case R_REGIONS: return MC_REGIONS;
	default: return MC_NONE;
	}
}

static void add_field(struct compose *c, enum role role, const char *label,
		      const char *value)
{
	struct cfield *f = &c->f[c->nf++];

	f->role = role;
	f->label = label;
	lineedit_init(&f->ed, value ? value : "");
	f->orig = xstrdup(value ? value : "");
}

/* The current field's editor (NULL: the body). */
static struct lineedit *f_ed(struct compose *c)
{
	return c->cur < c->nf ? &c->f[c->cur].ed : NULL;
}

static size_t find_role(const struct compose *c, enum role r)
{
	for (size_t i = 0; i < c->nf; i++)
		if (c->f[i].role == r)
			return i;
	return c->nf;
}

static char *text_of(const struct compose *c, enum role r)
{
	size_t i = find_role(c, r);

	return i < c->nf ? str_trim(lineedit_text(&c->f[i].ed)) : xstrdup("");
}

static bool changed(const struct compose *c)
{
	bool ch = false;

	for (size_t i = 0; i < c->nf && !ch; i++) {
		char *t = lineedit_text(&c->f[i].ed);
		ch = strcmp(t, c->f[i].orig) != 0;
		free(t);
	}
	if (!ch) {
		char *b = textarea_text(&c->body);
		ch = strcmp(b, c->body_orig) != 0;
		free(b);
	}
	return ch;
}

/* ---- times -------------------------------------------------------------------- */

/* "+10m", "10m", "2h", "1d", "1w", "30s", "+10" (minutes): seconds;
 * -1 when not that. */
static int64_t relative(const char *s)
{
	bool plus = *s == '+';
	char *end;
	long long n;

	s += plus;
	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtoll(s, &end, 10);
	if ((end[0] && end[1]) || n > 5LL * 366 * 86400)
		return -1;
	switch (*end) {
	case '\0': return plus ? n * 60 : -1;	/* "10" is a clock time */
	case 's': return n;
	case 'm': return n * 60;
	case 'h': return n * 3600;
	case 'd': return n * 86400;
	case 'w': return n * 7 * 86400;
	default: return -1;
	}
}

/* "YYYY-MM-DD" (or today, tomorrow) and "HH:MM[:SS]" as local time; a
 * missing time is `dflt` seconds after midnight.  -1 when unreadable. */
static int64_t local_time(const char *date, const char *clock, int dflt)
{
	time_t now = time(NULL);
	struct tm tm, chk;
	int h = dflt / 3600, mi = dflt / 60 % 60, se = dflt % 60, k;

	localtime_r(&now, &tm);
	if (str_ieq(date, "tomorrow")) {
		tm.tm_mday++;
	} else if (*date && !str_ieq(date, "today")) {
		char extra;
		if (sscanf(date, "%d-%d-%d%c", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday, &extra) != 3)
			return -1;
		tm.tm_year -= 1900;
		tm.tm_mon--;
	}
	if (*clock) {
		char extra;
		se = 0;
		k = sscanf(clock, "%d:%d:%d%c", &h, &mi, &se, &extra);
		if ((k != 2 && k != 3) || h < 0 || h > 23 || mi < 0 ||
		    mi > 59 || se < 0 || se > 59)
			return -1;
	}
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tm.tm_isdst = -1;
	chk = tm;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != chk.tm_mday)
		return -1;	/* 30 February and the like */
	return (int64_t)t;
}

/* ---- sending ---------------------------------------------------------------------- */

static json_t *name_list(const char *text)
{
	json_t *a = json_array();

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, ", ;");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
		p += strspn(p, ", ;");
	}
	return a;
}

static int fail(struct compose *c, enum role r, const char *msg)
{
	free(c->error);
	c->error = xstrdup(msg);
	c->cur = find_role(c, r);	/* R_BODY: nf, the body */
	return -1;
}

/* The request for the outbox, checked; NULL with c->error set. */
static json_t *payload(struct compose *c, const char **kind)
{
	struct online *o = co_online(c);
	char *body = textarea_text(&c->body);
	json_t *p = NULL;

	str_trim(body);
	if (strlen(body) > BODY_MAX) {
		fail(c, R_BODY, "The text is too long (at most 64 KiB)");
		goto out;
	}
	if (c->kind == MK_MESSAGE) {
		char *to = text_of(c, R_TO), *subj = text_of(c, R_SUBJECT);
		json_t *names = name_list(to);
		*kind = "message";
		if (!json_array_size(names))
			fail(c, R_TO, "Who is it for? Type a username in To "
			     "(Tab completes)");
		else if (!*body && !json_array_size(c->attachments))
			fail(c, R_BODY, "The message is empty: write "
			     "something below the line");
		else
			p = json_pack("{s:O,s:s}", "to", names, "body", body);
		if (p && *subj)
			json_object_set_new(p, "subject", json_string(subj));
		if (p && c->reply_to > 0)
			json_object_set_new(p, "reply_to",
					    json_integer(c->reply_to));
		if (p && json_array_size(c->attachments))
			json_object_set(p, "attachments", c->attachments);
		json_decref(names);
		free(to);
		free(subj);
	} else if (c->kind == MK_ANNOUNCE) {
		char *subj = text_of(c, R_SUBJECT), *mk = text_of(c, R_MARKETS);
		char *rg = text_of(c, R_REGIONS), *ex = text_of(c, R_EXPIRES);
		int64_t exp = 0, rel = relative(ex);
		*kind = "announcement";
		if (*ex) {
			char *sp = strchr(ex, ' ');
			if (sp)
				*sp++ = '\0';
			exp = rel >= 0 ? time(NULL) + rel :
			      local_time(ex, sp ? sp : "", 86399);
		}
		if (!*subj)
			fail(c, R_SUBJECT, "An announcement needs a subject");
		else if (exp < 0 || (*ex && exp <= time(NULL)))
			fail(c, R_EXPIRES, "Expires: a date to come "
			     "(YYYY-MM-DD [HH:MM]) or a time from now (+7d), "
			     "or empty for never");
		else
			p = json_pack("{s:s,s:s,s:o,s:o}", "subject", subj,
				      "body", body, "markets", name_list(mk),
				      "regions", name_list(rg));
		if (p && exp)
			json_object_set_new(p, "expires", json_integer(exp));
		free(subj);
		free(mk);
		free(rg);
		free(ex);
	} else {
		char *to = text_of(c, R_TO), *date = text_of(c, R_DATE);
		char *clock = text_of(c, R_TIME);
		int64_t rel = relative(clock), at;
		*kind = "reminder";
		for (size_t n = strlen(to); n && (to[n - 1] == ',' ||
						  to[n - 1] == ' ');)
			to[--n] = '\0';
		at = rel >= 0 && *clock ? time(NULL) + rel :
		     local_time(date, clock, 9 * 3600);
		if (strchr(to, ',') || strchr(to, ' '))
			fail(c, R_TO, "A reminder is for one person: a "
			     "username, or empty for yourself");
		else if (at < 0 && rel < 0 && *clock)
			fail(c, R_TIME, "Time: HH:MM (or HH:MM:SS), or from "
			     "now: +10m, +2h, +1d");
		else if (at < 0)
			fail(c, R_DATE, "Date: YYYY-MM-DD, today or tomorrow");
		else if (at < time(NULL) - 60)
			fail(c, R_TIME, "That time has passed: when should it "
			     "remind?");
		else if (!*body)
			fail(c, R_BODY, "What should it say? Write it "
			     "below the line");
		else
			p = json_pack("{s:I,s:s}", "at", (json_int_t)at,
				      "text", body);
		if (p && *to && !(o->s.user && str_ieq(to, o->s.user)))
			json_object_set_new(p, "to", json_string(to));
		free(to);
		free(date);
		free(clock);
	}
out:
	free(body);
	return p;
}

static void compose_send(struct compose *c)
{
	struct shell *sh = c->v.sh;
	struct online *o = co_online(c);
	const char *kind = "message";
	json_t *p;

	if (!o->account) {
		free(c->error);
		c->error = xasprintf("%s. Nothing was sent; Esc leaves",
				     msg_no_account(o));
		return;
	}
	if (!(p = payload(c, &kind)))
		return;
	if (online_msg_send(o, kind, p) < 0) {
		json_decref(p);
		fail(c, R_BODY, "Cannot write to the outbox in the "
		     "local database: nothing was sent");
		return;
	}
	json_decref(p);
	if (c->replaces < 0)	/* the edited one leaves the outbox */
		online_msg_change(o, c->replaces, -1, NULL, false);
	char *to = text_of(c, R_TO);
	size_t tl = strlen(to);
	while (tl && (to[tl - 1] == ',' || to[tl - 1] == ' '))
		to[--tl] = '\0';
	if (c->kind == MK_ANNOUNCE)
		shell_message(sh, "Announcement on its way (s: Sent)");
	else if (c->kind == MK_REMIND)
		shell_message(sh, "Reminder set%s%s (s: Sent)", *to ? " for " :
			      "", to);
	else
		shell_message(sh, "Message to %s on its way (s: Sent)", to);
	free(to);
	shell_pop(sh, &c->v);
	shell_reload(sh);
}

/* ---- $EDITOR -------------------------------------------------------------------- */

static void run_editor(struct compose *c)
{
	const char *ed = getenv("VISUAL");
	char *err = NULL;

	if (str_empty(ed))
		ed = getenv("EDITOR");
	if (str_empty(ed))
		ed = "vi";
	if (textarea_external(&c->body, ed, &err) < 0) {
		shell_error(c->v.sh, "%s", err);
		free(err);
	} else {
		c->cur = c->nf;
	}
	clearok(curscr, TRUE);
	shell_dirty(c->v.sh);
}

/* ---- the layer ---------------------------------------------------------------------- */

static void discard(void *arg, bool yes)
{
	struct compose *c = arg;

	if (yes)
		shell_pop(c->v.sh, &c->v);
}

static void co_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct compose *c = (struct compose *)v;
	struct shell *sh = v->sh;
	int fw = cols - LABEL_W - 6, y = 1;

	ui_box(sh, w, 0, 0, h, cols, c->title);
	if (h < 8 || cols < LABEL_W + 10)
		return;
	for (size_t i = 0; i < c->nf; i++, y++) {
		bool cur = i == c->cur;
		ui_text(w, y, 2, LABEL_W, c->f[i].label, cur ?
			ui_attr(sh, UI_TITLE) : A_NORMAL);
		int cx = lineedit_draw(&c->f[i].ed, w, y, 2 + LABEL_W, fw,
				       ui_attr(sh, cur ? UI_FIELD_ACTIVE :
						       UI_FIELD));
		if (cur)
			c->cy = y, c->cx = cx;
	}
	msg_complete_draw(&c->mc, w, y++, 2 + LABEL_W, fw);
	if (json_array_size(c->attachments)) {
		size_t n = json_array_size(c->attachments);
		char *t = xasprintf("%zu attachment%s go%s with it", n,
				    n == 1 ? "" : "s", n == 1 ? "es" : "");
		ui_text(w, y++, 2, cols - 4, t, ui_attr(sh, UI_DIM));
		free(t);
	}
	ui_hline(sh, w, y, 1, cols - 2);
	ui_puts(w, y++, 3, cols - 6, c->kind == MK_REMIND ? " Text " :
		" Message ", c->cur == c->nf ? ui_attr(sh, UI_TITLE) :
		ui_attr(sh, UI_BORDER));
	int bh = h - 2 - y;
	int by, bx;
	textarea_draw(&c->body, w, y, 2, bh, cols - 4, A_NORMAL, &by, &bx);
	if (c->cur == c->nf)
		c->cy = by, c->cx = bx;
	if (c->error) {
		ui_text(w, h - 2, 2, cols - 4, c->error, ui_attr(sh, UI_ERROR));
	} else {
		static const enum action acts[] = { A_MSG_COMPLETE, A_FORM_PREV,
			A_MSG_SEND, A_MSG_EDITOR, A_CANCEL, A_NONE };
		char *help = ui_key_help(sh, CTX_COMPOSE, acts);
		ui_text(w, h - 2, 2, cols - 4, help, ui_attr(sh, UI_DIM));
		free(help);
	}
	wmove(w, c->cy, c->cx);
}

static void go(struct compose *c, size_t to)
{
	c->cur = to;
	msg_complete_focus(&c->mc, source(c), f_ed(c));
}

static bool co_key(struct view *v, const struct ui_key *k)
{
	struct compose *c = (struct compose *)v;
	struct cfield *f = field(c);
	bool ch = false;
	int leave = 0;

	if (k->is_text || k->action == A_NONE || k->code == '\n') {
		bool enter = !k->is_text && (k->code == '\n' ||
					     k->code == '\r' ||
					     k->code == KEY_ENTER);
		bool up = !k->is_text && k->code == KEY_UP;
		bool down = !k->is_text && k->code == KEY_DOWN;
		if (f && (enter || down)) {
			go(c, c->cur + 1);
			return true;
		}
		if (f && up) {
			if (c->cur)
				go(c, c->cur - 1);
			return true;
		}
		bool used = f ? lineedit_key(&f->ed, k->code, k->ch, k->is_text,
					     &ch) :
			textarea_key(&c->body, k->code, k->ch, k->is_text, &ch,
				     &leave);
		if (leave < 0 && c->nf)
			go(c, c->nf - 1);
		if (ch) {
			free(c->error);
			c->error = NULL;
			if (f)
				msg_complete_typed(&c->mc, source(c), &f->ed);
		}
		if (used || leave)
			return true;
	}
	switch (k->action) {
	case A_MSG_COMPLETE:
		if (!f || !msg_complete_tab(&c->mc, source(c), &f->ed))
			go(c, (c->cur + 1) % (c->nf + 1));
		return true;
	case A_FORM_PREV:
		go(c, (c->cur + c->nf) % (c->nf + 1));
		return true;
	case A_MSG_SEND:
		compose_send(c);
		return true;
	case A_MSG_EDITOR:
		run_editor(c);
		return true;
	case A_CANCEL:
		if (changed(c))
			ui_confirm(v->sh, "Leave without sending? What you "
				   "typed is lost.", discard, c);
		else
			discard(c, true);
		return true;
	default:
		break;
	}
	/* keep every other key (tabs, digits) out of the shell */
	return k->action != A_QUIT && k->action != A_HELP &&
	       k->action != A_REDRAW && k->action != A_COMMAND;
}

static bool co_wants_text(struct view *v)
{
	return true;
}

static bool co_unsaved(struct view *v)
{
	return changed((struct compose *)v);
}

static void co_click(struct view *v, int y, int x, bool dbl)
{
	struct compose *c = (struct compose *)v;

	if (y >= 1 && (size_t)(y - 1) < c->nf)
		go(c, (size_t)(y - 1));
	else if ((size_t)y > c->nf + 2)
		go(c, c->nf);
}

static void co_free(struct view *v)
{
	struct compose *c = (struct compose *)v;

	msg_complete_free(&c->mc);
	for (size_t i = 0; i < c->nf; i++) {
		lineedit_free(&c->f[i].ed);
		free(c->f[i].orig);
	}
	textarea_free(&c->body);
	json_decref(c->attachments);
	free(c->body_orig);
	free(c->title);
	free(c->error);
	free(c);
}

static const enum action co_hints[] = { A_MSG_SEND, A_MSG_COMPLETE,
	A_MSG_EDITOR, A_CANCEL, A_NONE };
static const struct view_ops co_ops = {
	.name = "compose",
	.ctx = CTX_COMPOSE,
	.draw = co_draw,
	.key = co_key,
	.wants_text = co_wants_text,
	.click = co_click,
	.unsaved = co_unsaved,
	.free = co_free,
	.hints = co_hints,
};

static void fill(struct compose *c, const struct msg_draft *d)
{
	struct online *o = co_online(c);
	char date[16] = "", clock[16] = "";

	if (c->kind == MK_MESSAGE) {
		add_field(c, R_TO, "To", d->to);
		add_field(c, R_SUBJECT, "Subject", d->subject);
		c->title = xstrdup(d->replaces ? "Edit message (not sent yet)" :
				   d->reply_to ? "Reply" :
				   d->subject && str_istarts(d->subject, "Fwd:") ?
				   "Forward" :
				   "New message");
		return;
	}
	if (c->kind == MK_ANNOUNCE) {
		add_field(c, R_SUBJECT, "Subject", d->subject);
		add_field(c, R_MARKETS, "Markets", d->markets);
		add_field(c, R_REGIONS, "Regions", NULL);
		add_field(c, R_EXPIRES, "Expires", NULL);
		c->title = xstrdup("New announcement: to everyone, or to those "
				   "who follow the markets or regions named");
		return;
	}
	time_t t = d->at ? (time_t)d->at : time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	if (d->at)
		strftime(clock, sizeof clock, "%H:%M", &tm);
	add_field(c, R_TO, "To", d->to ? d->to : o->s.user);
	add_field(c, R_DATE, "Date", date);
	add_field(c, R_TIME, "Time", clock);
	c->title = xstrdup("New reminder: Time is HH:MM, or from now: +10m, "
			   "+2h");
}

void msg_compose_open(struct shell *sh, enum msg_kind kind,
		      const struct msg_draft *draft)
{
	struct compose *c = xcalloc(1, sizeof *c);
	struct msg_draft none = { 0 };
	const struct msg_draft *d = draft ? draft : &none;

	c->v.ops = &co_ops;
	c->v.sh = sh;
	c->v.title = "compose";
	c->v.modal = true;
	c->kind = kind;
	c->reply_to = d->reply_to;
	c->replaces = d->replaces;
	c->attachments = json_incref(d->attachments);
	msg_complete_init(&c->mc, sh, kind == MK_ANNOUNCE);
	fill(c, d);
	textarea_init(&c->body, d->body);
	c->body_orig = textarea_text(&c->body);
	if (d->body_top)
		textarea_home(&c->body);
	/* start where there is something to type */
	size_t at = c->nf;
	for (size_t i = 0; i < c->nf && at == c->nf; i++)
		if (lineedit_empty(&c->f[i].ed) && c->f[i].role != R_REGIONS &&
		    c->f[i].role != R_EXPIRES && c->f[i].role != R_MARKETS)
			at = i;
	go(c, at);
	shell_push(sh, &c->v);
}

void msg_compose_to(struct shell *sh, const char *to)
{
	struct msg_draft d = { .to = to };

	if (!online_signed_in(shell_online(sh))) {
		shell_message(sh, "Sign in first (L on tab 2) to send messages");
		return;
	}
	msg_compose_open(sh, MK_MESSAGE, &d);
}
