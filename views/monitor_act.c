/* views/monitor_act: what the Online monitor's keys do to a row (the
 * view is views/monitor.c; views/monitor.h has what they share).
 *
 * Contact requests: ask a colleague to add you (with an optional
 * message), accept or decline theirs (accepting offers the same the other
 * way), remove someone from your monitor.  Also the CRM record of a
 * colleague, the chooser of your own presence and note, and the context
 * menu of a row.  Everything goes through app/online; the outcome shows
 * in the status line when the server has answered.
 */
#include "views/callui.h"
#include "views/vmail_ui.h"
#include "views/monitor.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "common/str.h"
#include "store/contacts.h"

#include <stdlib.h>
#include <string.h>

/* ---- contact requests ------------------------------------------------------ */

/* After a request: a message, or the server's error. */
struct done_msg {
	struct shell *sh;
	char *ok;
};

static void said(void *arg, const char *err)
{
	struct done_msg *d = arg;

	if (err)
		shell_error(d->sh, "%s", err);
	else if (d->ok)
		shell_message(d->sh, "%s", d->ok);
	free(d->ok);
	free(d);
}

static struct done_msg *say(struct shell *sh, const char *fmt, const char *a)
{
	struct done_msg *d = xcalloc(1, sizeof *d);

	d->sh = sh;
	d->ok = xasprintf(fmt, a);
	return d;
}

struct ask {
	struct shell *sh;
	char *user;
};

static void ask_message(void *arg, const char *text)
{
	struct ask *a = arg;

	if (text)
		online_monitor_request(shell_online(a->sh), a->user, text, said,
				       say(a->sh, "Request sent to %s", a->user));
	free(a->user);
	free(a);
}

static void ask_user(void *arg, const char *text)
{
	struct ask *a = arg;

	if (text && *text) {
		str_set(&a->user, str_trim((char *)text));
		char *q = xasprintf("A short message for %s (optional):",
				    a->user);
		ui_prompt(a->sh, q, "", ask_message, a);
		free(q);
		return;
	}
	free(a);
}

void monitor_request_add(struct monitor *m, const char *user)
{
	struct ask *a = xcalloc(1, sizeof *a);

	a->sh = m->v.sh;
	if (user) {
		ask_user(a, user);
		return;
	}
	ui_prompt(m->v.sh, "Add to your monitor: which colleague "
		  "(username)? D browses the directory.", "", ask_user, a);
}

static void add_back(void *arg, bool yes)
{
	struct ask *a = arg;

	if (yes)
		online_monitor_request(shell_online(a->sh), a->user, NULL, said,
				       say(a->sh, "Request sent to %s", a->user));
	free(a->user);
	free(a);
}

/* Accepted: offer the same the other way, as people expect. */
static void accepted(void *arg, const char *err)
{
	struct ask *a = arg;

	if (err || online_peer(shell_online(a->sh), a->user)) {
		if (err)
			shell_error(a->sh, "%s", err);
		else
			shell_message(a->sh, "%s can now see your presence",
				      a->user);
		free(a->user);
		free(a);
		return;
	}
	char *q = xasprintf("%s can now see your presence. Add %s to your "
			    "monitor too?", a->user, a->user);
	ui_confirm(a->sh, q, add_back, a);
	free(q);
}

static void answer_user(struct monitor *m, const char *verb,
			const char *user, const char *name)
{
	if (strcmp(verb, "accept") == 0) {
		struct ask *a = xcalloc(1, sizeof *a);
		a->sh = m->v.sh;
		a->user = xstrdup(user);
		online_monitor_answer(monitor_online(m), verb, user, accepted,
				      a);
	} else {
		online_monitor_answer(monitor_online(m), verb, user, said,
				      say(m->v.sh, "Declined %s's request",
					  name));
	}
	monitor_rebuild(m);
}

void monitor_answer(struct monitor *m, const char *verb)
{
	const struct row *r = monitor_selected(m);

	if (!r || r->kind != ROW_REQUEST) {
		shell_message(m->v.sh, "Select a contact request first (at the "
			      "top of the list)");
		return;
	}
	answer_user(m, verb, r->username, r->name);
}

static void remove_answer(void *arg, bool yes)
{
	struct ask *a = arg;

	if (yes)
		online_monitor_answer(shell_online(a->sh), "remove", a->user,
				      said, say(a->sh, "%s removed from your "
						"monitor", a->user));
	free(a->user);
	free(a);
}

void monitor_remove_peer(struct monitor *m)
{
	const struct row *r = monitor_selected(m);

	if (!r || r->kind != ROW_PEER) {
		shell_message(m->v.sh, "Select a colleague in your monitor "
			      "first");
		return;
	}
	struct ask *a = xcalloc(1, sizeof *a);
	a->sh = m->v.sh;
	a->user = xstrdup(r->username);
	char *q = xasprintf("Remove %s from your online monitor?", r->name);
	ui_confirm(m->v.sh, q, remove_answer, a);
	free(q);
}

/* The CRM record of a colleague: through the address book entry with
 * their email. */
void monitor_open_crm(struct monitor *m, const struct row *r)
{
	struct shell *sh = m->v.sh;
	int64_t id = r->email ? contacts_find_email(shell_app(sh)->db,
						    r->email) : 0;

	if (!id) {
		shell_message(sh, "No contact in your address book has %s's "
			      "email (%s): add one to keep a CRM record",
			      r->name, r->email ? r->email : "none known");
		return;
	}
	crm_open_for_contact(sh, id);
}

/* ---- presence ------------------------------------------------------------------ */

static const char *const states[] = { "online", "away", "busy", "dnd",
				      "offline" };
static const char *const state_labels[] = {
	"Online", "Away", "Busy", "Do not disturb", "Appear offline",
};

struct pres {
	struct shell *sh;
	const char *state;
};

static void pres_note(void *arg, const char *text)
{
	struct pres *p = arg;

	if (text)
		online_set_presence(shell_online(p->sh), p->state, *text ? text :
				    NULL, said, say(p->sh, "You are now %s",
						    p->state));
	free(p);
}

static void pres_chosen(void *arg, int i)
{
	struct pres *p = arg;
	struct online *o;

	if (i < 0) {
		free(p);
		return;
	}
	o = shell_online(p->sh);
	p->state = states[i];
	ui_prompt(p->sh, "Status note (optional, e.g. \"back at 3\"):",
		  o->note ? o->note : "", pres_note, p);
}

void monitor_choose_presence(struct monitor *m)
{
	struct pres *p = xcalloc(1, sizeof *p);
	struct online *o = monitor_online(m);
	int cur = 0;

	for (int i = 0; i < 5; i++)
		if (o->state && strcmp(o->state, states[i]) == 0)
			cur = i;
	p->sh = m->v.sh;
	ui_menu(m->v.sh, "Your presence", state_labels, 5, cur, pres_chosen, p);
}

/* ---- the context menu ---------------------------------------------------------- */

enum item { IT_CALL, IT_VIDEO, IT_MESSAGE, IT_VOICEMAIL, IT_PROFILE, IT_CRM,
	    IT_REMOVE, IT_ASK, IT_ACCEPT, IT_DECLINE };

struct menu {
	struct monitor *m;
	struct row r;		/* copy: the list may change meanwhile */
	enum item items[12];
	int n;
};

static void menu_free(struct menu *mn)
{
	free(mn->r.username);
	free(mn->r.name);
	free(mn->r.email);
	free(mn);
}

static void menu_chosen(void *arg, int i)
{
	struct menu *mn = arg;
	struct monitor *m = mn->m;
	struct shell *sh = m->v.sh;

	if (i >= 0) {
		switch (mn->items[i]) {
		case IT_PROFILE:
			profile_open(sh, mn->r.username);
			break;
		case IT_CRM:
			monitor_open_crm(m, &mn->r);
			break;
		case IT_MESSAGE:
			msg_compose_to(sh, mn->r.username);
			break;
		case IT_CALL:
			callui_dial(sh, mn->r.username);
			break;
		case IT_VOICEMAIL:
			vmail_record_open(sh, mn->r.username, mn->r.name);
			break;
		case IT_REMOVE: {
			struct ask *a = xcalloc(1, sizeof *a);
			a->sh = sh;
			a->user = xstrdup(mn->r.username);
			remove_answer(a, true);
			break;
		}
		case IT_ASK:
			monitor_request_add(m, mn->r.username);
			break;
		case IT_ACCEPT:
		case IT_DECLINE:
			answer_user(m, mn->items[i] == IT_ACCEPT ? "accept" :
				    "decline", mn->r.username, mn->r.name);
			break;
		default:
			break;
		}
	}
	menu_free(mn);
}

void monitor_open_menu(struct monitor *m)
{
	static const char *const labels[] = {
		[IT_CALL] = "Call",
		[IT_VIDEO] = "Video call  (comes with video calls)",
		[IT_MESSAGE] = "Send a message",
		[IT_VOICEMAIL] = "Leave a voice mail",
		[IT_PROFILE] = "View profile",
		[IT_CRM] = "CRM record",
		[IT_REMOVE] = "Remove from my monitor",
		[IT_ASK] = "Ask to add to my monitor",
		[IT_ACCEPT] = "Accept: let them see my presence",
		[IT_DECLINE] = "Decline",
	};
	const struct row *r = monitor_selected(m);
	struct menu *mn;
	const char *txt[12];
	bool off[12];

	if (!r)
		return;
	mn = xcalloc(1, sizeof *mn);
	mn->m = m;
	mn->r.username = xstrdup(r->username);
	mn->r.name = xstrdup(r->name);
	mn->r.email = xstrdup(r->email);
	if (r->kind == ROW_REQUEST) {
		mn->items[mn->n++] = IT_ACCEPT;
		mn->items[mn->n++] = IT_DECLINE;
		mn->items[mn->n++] = IT_PROFILE;
	} else {
		mn->items[mn->n++] = IT_CALL;
		mn->items[mn->n++] = IT_VIDEO;
		mn->items[mn->n++] = IT_MESSAGE;
		mn->items[mn->n++] = IT_VOICEMAIL;
		mn->items[mn->n++] = IT_PROFILE;
		mn->items[mn->n++] = IT_CRM;
		if (r->kind == ROW_PEER)
			mn->items[mn->n++] = IT_REMOVE;
		else if (!online_peer(monitor_online(m), r->username))
			mn->items[mn->n++] = IT_ASK;
	}
	for (int i = 0; i < mn->n; i++) {
		txt[i] = labels[mn->items[i]];
		off[i] = mn->items[i] == IT_VIDEO;
	}
	ui_menu_ex(m->v.sh, r->name, txt, off, mn->n, 0, menu_chosen, mn);
}
