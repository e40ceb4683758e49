/* views/callui: calls in the interface (see callui.h): the call manager's
 * owner, the incoming-call pop-up, ringing and the CRM note after a call. */
#include "views/callui.h"
#include "views/shell.h"
#include "views/vmail_ui.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/callmgr.h"
#include "app/loop.h"
#include "app/online.h"
#include "call/ringer.h"
#include "common/log.h"
#include "common/str.h"
#include "store/contact.h"
#include "store/contacts.h"
#include "store/crm.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TICK_MS 250

struct callui {
	struct shell *sh;
	struct callmgr *cm;
	struct view *screen;	/* the call screen while it is up */
	struct view *pop;	/* the incoming-call pop-up */
	struct cm_call *pop_call;
	struct ringer *ring;
	bool ring_warned;
	int tick;
	char status[160];
	/* colleagues' emails learnt from the directory: user, email, ... */
	char **emails;
	size_t nemails;
};

static const char *known_email(struct callui *cu, const char *user)
{
	const struct peer *p = online_peer(shell_online(cu->sh), user);

	if (p && p->email)
		return p->email;
	for (size_t i = 0; i + 1 < cu->nemails; i += 2)
		if (strcmp(cu->emails[i], user) == 0)
			return cu->emails[i + 1];
	return NULL;
}

static void learn_email(struct callui *cu, const char *user,
			const char *email)
{
	if (!user || !email || known_email(cu, user))
		return;
	cu->emails = xrealloc(cu->emails, (cu->nemails + 2) *
					  sizeof *cu->emails);
	cu->emails[cu->nemails++] = xstrdup(user);
	cu->emails[cu->nemails++] = xstrdup(email);
}

static struct callui *cu_of(struct shell *sh)
{
	return shell_calls(sh);
}

struct callmgr *callui_mgr(struct shell *sh)
{
	return cu_of(sh) ? cu_of(sh)->cm : NULL;
}

struct callui_hist *callui_hist(struct cm_call *c)
{
	if (!c->ui)
		c->ui = xcalloc(1, sizeof(struct callui_hist));
	return c->ui;
}

int callui_count(struct shell *sh)
{
	int n = 0;

	if (!callui_mgr(sh))
		return 0;
	for (struct cm_call *c = callmgr_calls(callui_mgr(sh)); c; c = c->next)
		n++;
	return n;
}

static const char *who(const struct cm_call *c)
{
	return c->peer_name && *c->peer_name ? c->peer_name : c->peer;
}

const char *callui_status(struct shell *sh)
{
	struct callui *cu = cu_of(sh);
	struct cm_call *c = cu ? callmgr_calls(cu->cm) : NULL;

	if (!c)
		return NULL;
	if (c->state == CM_INCOMING)
		snprintf(cu->status, sizeof cu->status, "Call from %s", who(c));
	else if (c->answered_ms)
		snprintf(cu->status, sizeof cu->status, "Call: %s %02lld:%02lld%s",
			 who(c), (long long)cm_call_seconds(c) / 60,
			 (long long)cm_call_seconds(c) % 60,
			 c->held ? " (held)" : c->peer_held ?
			 " (held by them)" : "");
	else
		snprintf(cu->status, sizeof cu->status, "Calling %s", who(c));
	return cu->status;
}

/* ---- ringing ----------------------------------------------------------------------- */

static void ring_start(struct callui *cu)
{
	struct app *a = shell_app(cu->sh);
	const char *dev = a->cfg.audio_ring ? a->cfg.audio_ring :
			  a->cfg.audio_output;
	char *err = NULL;

	if (cu->ring)
		return;
	if (ringer_start(&cu->ring, dev, &err) < 0) {
		if (!cu->ring_warned)	/* no sound card: the bell has to do */
			log_info("callui", "cannot ring: %s", err);
		cu->ring_warned = true;
		free(err);
	}
}

static void ring_stop(struct callui *cu)
{
	ringer_stop(cu->ring);
	cu->ring = NULL;
}

static bool any_incoming(struct callui *cu)
{
	for (struct cm_call *c = callmgr_calls(cu->cm); c; c = c->next)
		if (c->state == CM_INCOMING && !c->silenced)
			return true;
	return false;
}

/* ---- the screen's refresh -------------------------------------------------------------- */

static void tick(void *arg)
{
	struct callui *cu = arg;
	int64_t now = loop_now_ms();

	cu->tick = 0;
	if (!callmgr_calls(cu->cm))
		return;
	for (struct cm_call *c = callmgr_calls(cu->cm); c; c = c->next) {
		struct callui_hist *h = callui_hist(c);
		struct engine_stats st;
		int i;

		if (!c->eng || now - h->last_ms < 1000)
			continue;
		engine_stats(c->eng, &st);
		if (!st.media)
			continue;
		h->last_ms = now;
		i = h->n++ % CALLUI_HIST;
		h->loss[i] = (float)(st.m.loss * 100);
		h->jitter[i] = (float)st.m.jitter_ms;
		h->rtt[i] = (float)(st.m.rtt_ms > 0 ? st.m.rtt_ms : 0);
		h->jb[i] = (float)st.m.jb.delay_ms;
	}
	if (cu->screen)
		cu->screen->dirty = true;
	shell_dirty(cu->sh);	/* the status bar's timer */
	cu->tick = loop_timer_in(shell_loop(cu->sh), TICK_MS, tick, cu);
}

static void tick_start(struct callui *cu)
{
	if (!cu->tick)
		cu->tick = loop_timer_in(shell_loop(cu->sh), TICK_MS, tick, cu);
}

/* ---- the incoming-call pop-up ---------------------------------------------------------------- */

struct popup {
	struct view v;
	struct callui *cu;
	struct cm_call *c;
	char *crm;		/* what CRM knows, or NULL */
	char *contact;		/* the matching contact's name, or NULL */
	int req;		/* the caller's profile, for the email */
};

static void popup_facts(struct popup *pp);

static void on_caller(void *arg, json_t *reply, const char *err)
{
	struct popup *pp = arg;

	pp->req = 0;
	if (err)
		return;
	learn_email(pp->cu, pp->c->peer,
		    json_string_value(json_object_get(reply, "email")));
	popup_facts(pp);
	pp->v.dirty = true;
	shell_dirty(pp->v.sh);
}

/* The contact with the peer's email, or 0. */
static int64_t peer_contact(struct shell *sh, const char *username)
{
	const char *email = known_email(shell_calls(sh), username);
	struct db *db = shell_app(sh)->db;

	if (!email || !db)
		return 0;
	return contacts_find_email(db, email);
}

static void popup_facts(struct popup *pp)
{
	struct db *db = shell_app(pp->v.sh)->db;
	int64_t cid = peer_contact(pp->v.sh, pp->c->peer), rid = 0;
	struct crm_record *r = NULL;
	struct contact *ct = NULL;

	if (!cid)
		return;
	if (contacts_get(db, cid, &ct) == 0) {
		free(pp->contact);
		pp->contact = xstrdup(ct->fn);
		contact_free(ct);
	}
	if (crm_record_for_contact(db, cid, &rid) < 0 || !rid ||
	    crm_get(db, rid, &r) < 0)
		return;
	free(pp->crm);
	pp->crm = xasprintf("CRM: %s%s%s%s%s", r->status ? r->status : "",
			    r->next_action ? " - next: " : "",
			    r->next_action ? r->next_action : "",
			    r->next_date ? " on " : "",
			    r->next_date ? r->next_date : "");
	crm_record_free(r);
}

static void pop_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct popup *pp = (struct popup *)v;
	struct shell *sh = v->sh;
	int bw = cols < 64 ? cols : 64, bh = 10;
	int y = h > bh ? (h - bh) / 2 : 0, x = (cols - bw) / 2;
	char line[256];
	static const enum action acts[] = { A_CALL_ANSWER, A_CALL_REJECT,
					    A_CALL_BUSY, A_CALL_SILENCE,
					    A_NONE };

	ui_box(sh, w, y, x, bh, bw, "Incoming call");
	ui_text(w, y + 2, x + 2, bw - 4, who(pp->c),
		ui_attr(sh, UI_TITLE) | A_BOLD);
	snprintf(line, sizeof line, "%s%s%s", pp->c->peer,
		 pp->contact ? "  -  in your address book as " : "",
		 pp->contact ? pp->contact : "");
	ui_text(w, y + 3, x + 2, bw - 4, line, ui_attr(sh, UI_NORMAL));
	ui_text(w, y + 5, x + 2, bw - 4, pp->crm ? pp->crm : "No CRM record",
		ui_attr(sh, pp->crm ? UI_NORMAL : UI_DIM));
	ui_text(w, y + 6, x + 2, bw - 4, pp->c->silenced ? "(silenced)" :
		"ringing...", ui_attr(sh, UI_DIM));
	char *keys = ui_key_help(sh, CTX_INCOMING, acts);
	ui_text(w, y + 8, x + 2, bw - 4, keys, ui_attr(sh, UI_HINT));
	free(keys);
}

static bool pop_key(struct view *v, const struct ui_key *k)
{
	struct popup *pp = (struct popup *)v;
	struct callui *cu = pp->cu;
	struct cm_call *c = pp->c;
	char *err = NULL;

	switch (k->action) {
	case A_CALL_ANSWER:
		if (callmgr_answer(cu->cm, c, &err) < 0) {
			shell_error(v->sh, "%s", err);
			free(err);
		}
		return true;
	case A_CALL_REJECT:
		callmgr_hangup(cu->cm, c);
		return true;
	case A_CALL_BUSY:
		callmgr_busy(cu->cm, c);
		return true;
	case A_CALL_SILENCE:
		c->silenced = true;
		if (!any_incoming(cu))
			ring_stop(cu);
		v->dirty = true;
		return true;
	case A_CLOSE:
	case A_CANCEL:	/* hide: it still rings; `@` shows it */
		c->silenced = true;
		if (!any_incoming(cu))
			ring_stop(cu);
		cu->pop = NULL;
		cu->pop_call = NULL;
		shell_pop(v->sh, v);
		return true;
	default:
		return false;
	}
}

static void pop_free(struct view *v)
{
	struct popup *pp = (struct popup *)v;

	if (pp->cu->pop == v) {
		pp->cu->pop = NULL;
		pp->cu->pop_call = NULL;
	}
	if (pp->req)
		online_cancel(shell_online(v->sh), pp->req);
	free(pp->crm);
	free(pp->contact);
	free(pp);
}

static const enum action pop_hints[] = { A_CALL_ANSWER, A_CALL_REJECT,
					 A_CALL_BUSY, A_CALL_SILENCE, A_CLOSE,
					 A_NONE };
static const struct view_ops pop_ops = {
	.name = "incoming",
	.ctx = CTX_INCOMING,
	.draw = pop_draw,
	.key = pop_key,
	.free = pop_free,
	.hints = pop_hints,
};

static void pop_open(struct callui *cu, struct cm_call *c)
{
	struct popup *pp = xcalloc(1, sizeof *pp);

	if (cu->pop)
		shell_pop(cu->sh, cu->pop);
	pp->v.ops = &pop_ops;
	pp->v.sh = cu->sh;
	pp->v.title = "incoming call";
	pp->v.modal = true;
	pp->cu = cu;
	pp->c = c;
	popup_facts(pp);
	if (!known_email(cu, c->peer)) {	/* ask the directory */
		char *u = curl_easy_escape(NULL, c->peer, 0);
		char *path = xasprintf("/v1/users/%s", u);
		pp->req = online_call(shell_online(cu->sh), "GET", path, NULL,
				      on_caller, pp);
		if (pp->req < 0)
			pp->req = 0;
		curl_free(u);
		free(path);
	}
	cu->pop = &pp->v;
	cu->pop_call = c;
	shell_push(cu->sh, &pp->v);
}

/* ---- after a call: the CRM note ------------------------------------------------------------ */

struct note_offer {
	struct shell *sh;
	int64_t contact_id, log_id;
	char *prefill;
};

static void note_answer(void *arg, bool yes)
{
	struct note_offer *n = arg;

	if (yes)
		crm_note_for_contact(n->sh, n->contact_id, n->log_id, n->prefill);
	free(n->prefill);
	free(n);
}

static void offer_note(struct callui *cu, struct cm_call *c)
{
	struct db *db = shell_app(cu->sh)->db;
	int64_t cid = peer_contact(cu->sh, c->peer), rid = 0;
	struct note_offer *n;
	char q[200];

	if (!cid || crm_record_for_contact(db, cid, &rid) < 0 || !rid)
		return;
	n = xcalloc(1, sizeof *n);
	n->sh = cu->sh;
	n->contact_id = cid;
	n->log_id = c->log_id;
	n->prefill = xasprintf("Call (%lld min %02lld s): ",
			       (long long)cm_call_seconds(c) / 60,
			       (long long)cm_call_seconds(c) % 60);
	snprintf(q, sizeof q, "Add a note about the call to %s's CRM record?",
		 who(c));
	ui_confirm(cu->sh, q, note_answer, n);
}

/* ---- after a call nobody took: voice mail ------------------------------------------- */

struct vm_offer {
	struct shell *sh;
	char *user, *name;
};

static void vm_answer(void *arg, bool yes)
{
	struct vm_offer *o = arg;

	if (yes)
		vmail_record_open(o->sh, o->user, o->name);
	free(o->user);
	free(o->name);
	free(o);
}

static void offer_voicemail(struct callui *cu, struct cm_call *c)
{
	struct vm_offer *o = xcalloc(1, sizeof *o);
	char q[240];

	o->sh = cu->sh;
	o->user = xstrdup(c->peer);
	o->name = xstrdup(who(c));
	snprintf(q, sizeof q, "%s. Leave a voice mail?", c->reason ?
		 c->reason : "No answer");
	ui_confirm(cu->sh, q, vm_answer, o);
}

/* ---- the manager's news ---------------------------------------------------------------------- */

static void on_change(void *arg, struct cm_call *c)
{
	struct callui *cu = arg;
	struct shell *sh = cu->sh;

	if (c->state == CM_INCOMING) {
		if (cu->pop_call != c) {
			char *body = xasprintf("%s is calling", who(c));
			pop_open(cu, c);
			ring_start(cu);
			shell_alert(sh, "Incoming call", body);
			free(body);
		}
	} else if (cu->pop_call == c) {
		shell_pop(sh, cu->pop);
		cu->pop = NULL;
		cu->pop_call = NULL;
	}
	if (!any_incoming(cu))
		ring_stop(cu);
	if (c->state == CM_ENDED) {
		bool talked = c->answered_ms && c->outcome == CALL_ANSWERED &&
			      c->logged;
		if (c->reason)
			(c->outcome == CALL_FAILED ? shell_error :
			 shell_message)(sh, "%s", c->reason);
		free(c->ui);
		c->ui = NULL;
		if (c->logged)		/* the Call logs tab shows it */
			shell_reload(sh);
		if (talked)
			offer_note(cu, c);
		else if (c->outgoing && c->unanswered &&
			 c->outcome != CALL_REJECTED && c->outcome != CALL_BUSY)
			offer_voicemail(cu, c);
		/* the last call: the screen goes once this one is freed */
		if (cu->screen && !callmgr_calls(cu->cm))
			shell_pop(sh, cu->screen);
	} else if (c->state != CM_INCOMING && !cu->screen) {
		callui_show(sh);
	}
	tick_start(cu);
	if (cu->screen)
		cu->screen->dirty = true;
	shell_dirty(sh);
}

/* ---- placing calls --------------------------------------------------------------------------- */

void callui_dial(struct shell *sh, const char *username)
{
	struct callmgr *cm = callui_mgr(sh);
	char *err = NULL;

	if (!cm || !callmgr_dial(cm, username, &err)) {
		shell_error(sh, "%s", err ? err : "calls are not available");
		free(err);
	}
}

struct lookup {
	struct shell *sh;
	char *email, *name;
};

static void on_directory(void *arg, json_t *reply, const char *err)
{
	struct lookup *l = arg;
	json_t *users = json_object_get(reply, "users"), *u;
	const char *found = NULL;
	size_t i;

	json_array_foreach(users, i, u) {
		const char *e = json_string_value(json_object_get(u, "email"));
		if (e && strcasecmp(e, l->email) == 0)
			found = json_string_value(json_object_get(u,
								  "username"));
	}
	if (err)
		shell_error(l->sh, "Cannot look %s up: %s", l->name, err);
	else if (!found)
		shell_error(l->sh, "%s is not a colleague on %s: no user has "
			    "the email %s", l->name,
			    shell_online(l->sh)->s.server, l->email);
	else {
		learn_email(shell_calls(l->sh), found, l->email);
		callui_dial(l->sh, found);
	}
	free(l->email);
	free(l->name);
	free(l);
}

void callui_dial_contact(struct shell *sh, int64_t contact_id)
{
	struct online *o = shell_online(sh);
	struct contact *ct = NULL;
	const char *email = NULL;

	if (contacts_get(shell_app(sh)->db, contact_id, &ct) < 0) {
		shell_error(sh, "No contact selected");
		return;
	}
	for (size_t i = 0; i < ct->nfields; i++) {
		if (ct->fields[i].kind != CF_EMAIL)
			continue;
		if (!email)
			email = ct->fields[i].value;
		for (size_t k = 0; k < o->npeers; k++)
			if (o->peers[k].email && strcasecmp(o->peers[k].email,
					ct->fields[i].value) == 0) {
				callui_dial(sh, o->peers[k].username);
				contact_free(ct);
				return;
			}
	}
	if (!email) {
		shell_error(sh, "%s has no email: calls go to colleagues, found "
			    "by their email", ct->fn);
	} else if (!online_signed_in(o)) {
		shell_error(sh, "Sign in to a confab server to call");
	} else {
		struct lookup *l = xcalloc(1, sizeof *l);
		char *q = curl_easy_escape(NULL, email, 0);
		char *path = xasprintf("/v1/users?q=%s", q);
		l->sh = sh;
		l->email = xstrdup(email);
		l->name = xstrdup(ct->fn);
		online_call(o, "GET", path, NULL, on_directory, l);
		curl_free(q);
		free(path);
	}
	contact_free(ct);
}

void callui_dial_record(struct shell *sh, int64_t record_id)
{
	struct crm_record *r = NULL;

	if (crm_get(shell_app(sh)->db, record_id, &r) < 0) {
		shell_error(sh, "No record selected");
		return;
	}
	if (r->contact_id)
		callui_dial_contact(sh, r->contact_id);
	else
		shell_error(sh, "%s's record has no contact to call", r->name);
	crm_record_free(r);
}

void callui_show(struct shell *sh)
{
	struct callui *cu = cu_of(sh);

	if (!cu || !callmgr_calls(cu->cm)) {
		shell_message(sh, "No calls: c calls the selected colleague "
			      "or contact");
		return;
	}
	if (cu->screen)
		return;
	cu->screen = callscreen_new(sh);
	shell_push(sh, cu->screen);
	tick_start(cu);
}

void callui_screen_gone(struct shell *sh)
{
	if (cu_of(sh))
		cu_of(sh)->screen = NULL;
}

/* ---- life -------------------------------------------------------------------------------------- */

struct callui *callui_new(struct shell *sh)
{
	struct callui *cu = xcalloc(1, sizeof *cu);
	struct callmgr_cfg cfg;

	cu->sh = sh;
	callmgr_cfg_from_app(&cfg, shell_app(sh));
	cu->cm = callmgr_new(shell_app(sh), shell_online(sh), &cfg, on_change,
			     cu);
	return cu;
}

void callui_free(struct callui *cu)
{
	if (!cu)
		return;
	ring_stop(cu);
	if (cu->tick)
		loop_timer_cancel(shell_loop(cu->sh), cu->tick);
	cu->screen = cu->pop = NULL;	/* the shell frees its layers */
	cu->pop_call = NULL;
	callmgr_free(cu->cm);
	for (size_t i = 0; i < cu->nemails; i++)
		free(cu->emails[i]);
	free(cu->emails);
	free(cu);
}
