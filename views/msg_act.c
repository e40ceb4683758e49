/* views/msg_act: what the message keys do, from the list or the reader,
 * and the formatting both share.
 *
 * Every change goes through app/online (online_msg_change), which shows
 * it in the local mailbox at once and carries it to confabd through the
 * outbox; so nothing here waits.  An action works on a copy of the entry
 * read again from the store, never on a row the list may rebuild while
 * the action runs.
 */
#include "views/messages.h"
#include "views/ui.h"
#include "app/app.h"
#include "app/online.h"
#include "store/messages.h"
#include "store/outbox.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- formatting ------------------------------------------------------------ */

void msg_when(struct shell *sh, char *buf, size_t len, int64_t t,
	      bool always_date)
{
	time_t now = time(NULL), tt = (time_t)t;
	struct tm tn, tm;
	const char *clock = shell_app(sh)->cfg.clock_24h ? "%H:%M" :
							  "%I:%M %p";
	char fmt[40];

	localtime_r(&now, &tn);
	localtime_r(&tt, &tm);
	if (always_date)
		snprintf(fmt, sizeof fmt, "%%a %%e %%b %%Y %s", clock);
	else if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		snprintf(fmt, sizeof fmt, "%s", clock);
	else if (tm.tm_year == tn.tm_year)
		snprintf(fmt, sizeof fmt, "%%e %%b %s", clock);
	else
		snprintf(fmt, sizeof fmt, "%%e %%b %%Y");
	if (!strftime(buf, len, fmt, &tm))
		buf[0] = '\0';
}

int64_t msg_time(const struct message *m)
{
	if (m->deliver_at && str_eq(m->kind, "reminder") && !m->outgoing)
		return m->deliver_at;
	return m->created;
}

const char *msg_from(const struct message *m)
{
	if (!str_empty(m->sender_name))
		return m->sender_name;
	return !str_empty(m->sender) ? m->sender : "confab";
}

static char *first_line(const char *s)
{
	while (s && (*s == '\n' || *s == ' '))
		s++;
	if (str_empty(s))
		return xstrdup("");
	return str_trim(xstrndup(s, strcspn(s, "\n")));
}

char *msg_subject(const struct message *m)
{
	bool body = str_eq(m->kind, "reminder") ||
		    str_eq(m->kind, "contact_request") || str_empty(m->subject);
	char *s = body ? first_line(m->body) : xstrdup(m->subject);

	if (!*s) {
		free(s);
		s = xstrdup(str_empty(m->subject) ? "(no subject)" :
			    m->subject);
	}
	return s;
}

static const struct {
	const char *kind, *tag, *label;
} kinds[] = {
	{ "announcement", "[Announcement] ", "Announcement" },
	{ "reminder", "[Reminder] ", "Reminder" },
	{ "contact_request", "[Contact request] ", "Contact request" },
	{ "voicemail", "[Voice mail] ", "Voice mail" },
	{ "videomail", "[Video mail] ", "Video mail" },
};

const char *msg_kind_tag(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (str_eq(kind, kinds[i].kind))
			return kinds[i].tag;
	return "";
}

const char *msg_kind_label(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (str_eq(kind, kinds[i].kind))
			return kinds[i].label;
	return "Message";
}

int msg_att_count(const char *attachments)
{
	json_t *a;
	int n;

	if (str_empty(attachments) || !(a = json_loads(attachments, 0, NULL)))
		return 0;
	n = json_is_array(a) ? (int)json_array_size(a) : 0;
	json_decref(a);
	return n;
}

bool msg_refused(struct shell *sh, int64_t id)
{
	struct online *o = shell_online(sh);
	struct outbox_item *v;
	size_t n;
	bool failed = false;

	if (id >= 0 || !o || !o->account ||
	    outbox_list(shell_app(sh)->db, o->account, &v, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == -id)
			failed = v[i].failed;
	outbox_items_free(v, n);
	return failed;
}

const char *msg_no_account(const struct online *o)
{
	if (!o || !online_signed_in(o))
		return "Not signed in: sign in (L) to send and change messages";
	return "confab has not reached the server since it started: try again "
	       "once it has (C-l retries now)";
}

/* ---- replies and forwards ----------------------------------------------------- */

static bool is_me(struct shell *sh, const char *user)
{
	struct online *o = shell_online(sh);

	return o && o->s.user && str_ieq(o->s.user, user);
}

/* Add the names of list "a, b" to b (", " between), skipping me, the
 * announcement targets ("market:X", "everyone") and repeats. */
static void add_names(struct shell *sh, struct sbuf *b, const char *list)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",\n");
		char *one = str_trim(xstrndup(p, n));
		char *seen = xasprintf(", %s, ", one);
		char *have = xasprintf(", %s, ", sbuf_str(b));
		if (*one && !strchr(one, ':') && strcmp(one, "everyone") &&
		    !is_me(sh, one) && !strstr(have, seen))
			sbuf_printf(b, "%s%s", b->len ? ", " : "", one);
		free(one);
		free(seen);
		free(have);
		p += n + (p[n] != '\0');
	}
}

static char *prefixed(const char *prefix, const struct message *m)
{
	char *s = msg_subject(m);
	char *r = str_istarts(s, prefix) ? xstrdup(s) :
		  xasprintf("%s %s", prefix, s);

	free(s);
	return r;
}

static void reply(struct shell *sh, const struct message *m, bool all)
{
	struct sbuf to, body;
	char when[64];

	sbuf_init(&to);
	sbuf_init(&body);
	if (m->outgoing)	/* a reply to what I sent goes to them again */
		add_names(sh, &to, m->recipients);
	else if (m->sender)
		add_names(sh, &to, m->sender);
	if (all && !str_eq(m->kind, "announcement")) {
		add_names(sh, &to, m->sender);
		add_names(sh, &to, m->recipients);
	}
	if (!to.len && m->sender && is_me(sh, m->sender))
		sbuf_add(&to, m->sender);	/* a note to self */
	if (!to.len) {
		shell_message(sh, "There is nobody to reply to: this came from "
			      "the server");
		sbuf_free(&to);
		sbuf_free(&body);
		return;
	}
	msg_when(sh, when, sizeof when, msg_time(m), true);
	sbuf_printf(&body, "On %s, %s wrote:\n", str_trim(when), msg_from(m));
	for (const char *p = m->body; p && *p;) {
		size_t n = strcspn(p, "\n");
		sbuf_printf(&body, ">%s%.*s\n", n && p[0] != '>' ? " " : "",
			    (int)n, p);
		p += n + (p[n] != '\0');
	}
	sbuf_add(&body, "\n");
	char *subject = prefixed("Re:", m);
	struct msg_draft d = { .to = sbuf_str(&to), .subject = subject,
			       .body = sbuf_str(&body),
			       .reply_to = m->message_id };
	msg_compose_open(sh, MK_MESSAGE, &d);
	free(subject);
	sbuf_free(&to);
	sbuf_free(&body);
}

/* The ids of the attachments (to send them on), or NULL. */
static json_t *att_ids(const struct message *m)
{
	json_t *a = str_empty(m->attachments) ? NULL :
		    json_loads(m->attachments, 0, NULL), *v, *ids = NULL;
	size_t i;

	json_array_foreach(a, i, v) {
		json_t *id = json_object_get(v, "id");
		if (!json_is_integer(id))
			continue;
		if (!ids)
			ids = json_array();
		json_array_append(ids, id);
	}
	json_decref(a);
	return ids;
}

static void forward(struct shell *sh, const struct message *m)
{
	struct sbuf body;
	char when[64];
	char *subject = prefixed("Fwd:", m), *orig = msg_subject(m);

	sbuf_init(&body);
	msg_when(sh, when, sizeof when, msg_time(m), true);
	sbuf_printf(&body, "\n\n---------- Forwarded message ----------\n"
		    "From: %s%s%s%s\nDate: %s\nSubject: %s\n", msg_from(m),
		    m->sender ? " <" : "", m->sender ? m->sender : "",
		    m->sender ? ">" : "", str_trim(when), orig);
	if (!str_empty(m->recipients))
		sbuf_printf(&body, "To: %s\n", m->recipients);
	sbuf_printf(&body, "\n%s", m->body ? m->body : "");
	json_t *att = att_ids(m);
	struct msg_draft d = { .subject = subject, .body = sbuf_str(&body),
			       .attachments = att, .body_top = true };
	msg_compose_open(sh, MK_MESSAGE, &d);
	json_decref(att);
	free(subject);
	free(orig);
	sbuf_free(&body);
}

/* e: a message still in the outbox is edited in place (sending the new
 * one drops the old); any other is sent again as a new one. */
static void edit(struct shell *sh, const struct message *m)
{
	bool pending = m->id < 0;
	struct msg_draft d = {
		.subject = m->subject, .body = m->body,
		.reply_to = m->reply_to, .replaces = pending ? m->id : 0,
	};
	json_t *att = att_ids(m);

	d.attachments = att;
	if (str_eq(m->kind, "announcement")) {
		d.markets = pending ? m->recipients : NULL;
		msg_compose_open(sh, MK_ANNOUNCE, &d);
	} else if (str_eq(m->kind, "reminder")) {
		d.to = m->outgoing ? m->recipients : NULL;
		d.at = m->deliver_at;
		msg_compose_open(sh, MK_REMIND, &d);
	} else {
		d.to = m->outgoing ? m->recipients : NULL;
		msg_compose_open(sh, MK_MESSAGE, &d);
	}
	json_decref(att);
}

/* ---- changes ------------------------------------------------------------------- */

struct msg_ask {
	struct shell *sh;
	int64_t id;
	char *who;
};

static struct msg_ask *ask_new(struct shell *sh, int64_t id, const char *who)
{
	struct msg_ask *a = xcalloc(1, sizeof *a);

	a->sh = sh;
	a->id = id;
	a->who = xstrdup(who);
	return a;
}

static void ask_free(struct msg_ask *a)
{
	free(a->who);
	free(a);
}

/* online_msg_change, with what the user needs to hear when it fails. */
static bool change(struct shell *sh, int64_t id, int read,
		   const char *folder, bool purge)
{
	struct online *o = shell_online(sh);

	if (!o || !o->account) {
		shell_error(sh, "%s", msg_no_account(o));
		return false;
	}
	if (online_msg_change(o, id, read, folder, purge) < 0) {
		shell_error(sh, "Cannot change the message in %s",
			    shell_app(sh)->db_path);
		return false;
	}
	shell_reload(sh);
	return true;
}

static void cancel_answer(void *arg, bool yes)
{
	struct msg_ask *a = arg;

	if (yes && change(a->sh, a->id, -1, NULL, false))
		shell_message(a->sh, "Not sent: removed from the outbox");
	ask_free(a);
}

static void purge_answer(void *arg, bool yes)
{
	struct msg_ask *a = arg;

	if (yes && change(a->sh, a->id, -1, NULL, true))
		shell_message(a->sh, "Deleted for good");
	ask_free(a);
}

static void answered(void *arg, const char *err)
{
	struct msg_ask *a = arg;

	if (err)
		shell_error(a->sh, "%s", err);
	else
		shell_message(a->sh, "%s", a->who);
	ask_free(a);
}

static void request_answer(struct shell *sh, const struct message *m,
			   bool yes)
{
	struct online *o = shell_online(sh);

	if (!str_eq(m->kind, "contact_request") || !m->sender) {
		shell_message(sh, "This is not a contact request");
		return;
	}
	if (!online_signed_in(o)) {
		shell_error(sh, "Not signed in: sign in (L) to answer");
		return;
	}
	char *done = xasprintf(yes ? "%s can now see your presence" :
			       "Declined %s's request", msg_from(m));
	online_monitor_answer(o, yes ? "accept" : "decline", m->sender,
			      answered, ask_new(sh, m->id, done));
	free(done);
	if (!m->read && m->id > 0)
		change(sh, m->id, 1, NULL, false);
}

static void delete(struct shell *sh, const struct message *m)
{
	char *s = msg_subject(m), *q;

	if (m->id < 0) {
		q = xasprintf("Cancel \"%s\"? It is not sent yet.", s);
		ui_confirm(sh, q, cancel_answer, ask_new(sh, m->id, NULL));
		free(q);
	} else if (str_eq(m->folder, "trash")) {
		shell_message(sh, "Already in the trash: D deletes it for "
			      "good, u restores it");
	} else if (change(sh, m->id, -1, "trash", false)) {
		shell_message(sh, "Moved to the trash (t shows it; u there "
			      "restores it)");
	}
	free(s);
}

static void purge(struct shell *sh, const struct message *m)
{
	char *s, *q;

	if (m->id < 0) {
		delete(sh, m);
		return;
	}
	if (!str_eq(m->folder, "trash")) {
		shell_message(sh, "Only messages in the trash are deleted for "
			      "good: d moves it there first");
		return;
	}
	s = msg_subject(m);
	q = xasprintf("Delete \"%s\" for good? This cannot be undone.", s);
	ui_confirm(sh, q, purge_answer, ask_new(sh, m->id, NULL));
	free(q);
	free(s);
}

void msg_mark_read(struct shell *sh, int64_t id)
{
	struct online *o = shell_online(sh);
	struct message m;

	if (id <= 0 || !o || !o->account ||
	    messages_get(shell_app(sh)->db, id, &m) < 0)
		return;
	if (!m.read && online_msg_change(o, id, 1, NULL, false) == 0)
		shell_reload(sh);
	message_clear(&m);
}

bool msg_act(struct shell *sh, int64_t id, enum action a)
{
	struct message m;

	switch (a) {
	case A_MSG_COMPOSE:
		msg_compose_open(sh, MK_MESSAGE, NULL);
		return true;
	case A_MSG_REPLY: case A_MSG_REPLY_ALL: case A_MSG_FORWARD:
	case A_MSG_EDIT: case A_MSG_TOGGLE_READ: case A_MSG_DELETE:
	case A_MSG_PURGE: case A_MSG_RESTORE: case A_MSG_ACCEPT:
	case A_MSG_DECLINE:
		break;
	default:
		return false;
	}
	if (!id) {
		shell_message(sh, "No message selected");
		return true;
	}
	if (messages_get(shell_app(sh)->db, id, &m) < 0) {
		shell_error(sh, "That message is no longer here");
		return true;
	}
	switch (a) {
	case A_MSG_REPLY:
	case A_MSG_REPLY_ALL:
		reply(sh, &m, a == A_MSG_REPLY_ALL);
		break;
	case A_MSG_FORWARD:
		forward(sh, &m);
		break;
	case A_MSG_EDIT:
		edit(sh, &m);
		break;
	case A_MSG_TOGGLE_READ:
		if (m.id < 0)
			shell_message(sh, "Not sent yet: there is nothing to "
				      "mark");
		else if (change(sh, m.id, !m.read, NULL, false))
			shell_message(sh, m.read ? "Marked unread" :
				      "Marked read");
		break;
	case A_MSG_DELETE:
		delete(sh, &m);
		break;
	case A_MSG_PURGE:
		purge(sh, &m);
		break;
	case A_MSG_RESTORE:
		if (!str_eq(m.folder, "trash"))
			shell_message(sh, "Not in the trash: nothing to "
				      "restore");
		else if (change(sh, m.id, -1, m.outgoing ? "sent" : "inbox",
				false))
			shell_message(sh, "Restored to %s", m.outgoing ?
				      "Sent" : "the inbox");
		break;
	case A_MSG_ACCEPT:
	case A_MSG_DECLINE:
		request_answer(sh, &m, a == A_MSG_ACCEPT);
		break;
	default:
		break;
	}
	message_clear(&m);
	return true;
}
