/* app/callmgr: the client's calls (see callmgr.h). */
#include "app/callmgr.h"
#include "app/app.h"
#include "app/loop.h"
#include "app/online.h"
#include "common/log.h"
#include "common/str.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PORT_SPAN 1000
#define CANDS_MAX 64
#define ICE_TIMEOUT_MS 30000	/* answered, and no path found by then */

struct callmgr {
	struct app *app;
	struct online *o;
	struct callmgr_cfg cfg;
	char *in, *out, *ring;	/* copies of the device strings */
	callmgr_changed changed;
	void *arg;
	struct cm_call *calls;
	int64_t session;
	int list_req;
	struct post *posts;	/* fire-and-forget requests in flight */
};

struct post {
	struct callmgr *cm;
	int id;
	struct post *next;
};

static const char *jv(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *const state_names[] = {
	"starting", "calling", "ringing", "incoming", "answering",
	"connecting", "active", "ended",
};

const char *cm_state_name(enum cm_state s)
{
	return (unsigned)s < sizeof state_names / sizeof *state_names ?
	       state_names[s] : "?";
}

int64_t cm_call_seconds(const struct cm_call *c)
{
	int64_t end = c->ended_ms ? c->ended_ms : loop_now_ms();

	return c->answered_ms ? (end - c->answered_ms + 500) / 1000 : 0;
}

struct cm_call *callmgr_calls(struct callmgr *cm)
{
	return cm->calls;
}

int64_t callmgr_session(const struct callmgr *cm)
{
	return cm->session;
}

int callmgr_pending(const struct callmgr *cm)
{
	int n = 0;

	for (struct post *p = cm->posts; p; p = p->next)
		n++;
	return n;
}

void callmgr_hangup_all(struct callmgr *cm)
{
	while (cm->calls)
		callmgr_hangup(cm, cm->calls);
}

void callmgr_cfg_from_app(struct callmgr_cfg *cfg, const struct app *a)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->audio.input = a->cfg.audio_input;
	cfg->audio.output = a->cfg.audio_output;
	cfg->audio.ring = a->cfg.audio_ring;
	cfg->audio.frame_ms = a->cfg.audio_frame_ms;
	cfg->audio.paced = true;
	cfg->aec = a->cfg.echo_cancel;
	cfg->ns = a->cfg.noise_suppress;
	cfg->port_min = (unsigned)a->cfg.media_port;
	cfg->port_max = cfg->port_min + PORT_SPAN - 1;
	cfg->local_addrs = a->cfg.media_address;
}

static struct cm_call *find(struct callmgr *cm, const char *id)
{
	for (struct cm_call *c = cm->calls; c; c = c->next)
		if (c->id && id && strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

static void notify(struct cm_call *c)
{
	c->cm->changed(c->cm->arg, c);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void ignore_reply(void *arg, json_t *reply, const char *err)
{
	struct post *p = arg;

	(void)reply;
	for (struct post **pp = &p->cm->posts; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	free(p);
	if (err)
		log_info("callmgr", "%s", err);
}

static void learn_session(struct callmgr *cm, json_t *reply)
{
	json_t *s = json_object_get(reply, "session");

	if (json_is_integer(s))
		cm->session = json_integer_value(s);
}

/* POST /v1/calls/ID/VERB with body (stolen); the reply is not awaited. */
static void post_verb(struct callmgr *cm, const char *id, const char *verb,
		      json_t *body)
{
	char *path = xasprintf("/v1/calls/%s/%s", id, verb);
	struct post *p = xcalloc(1, sizeof *p);
	int req;

	p->cm = cm;
	p->next = cm->posts;	/* first: a failure answers at once */
	cm->posts = p;
	req = online_call(cm->o, "POST", path, body, ignore_reply, p);
	for (struct post *q = cm->posts; q; q = q->next)
		if (q == p)	/* still waiting for its answer */
			p->id = req;
	json_decref(body);
	free(path);
}

/* ---- the end of a call ----------------------------------------------------------- */

static void write_log(struct cm_call *c)
{
	struct callmgr *cm = c->cm;
	struct call_entry e = {
		.kind = CALL_PC, .dir = c->outgoing ? CALL_OUT : CALL_IN,
		.peer = c->peer, .peer_name = c->peer_name,
		.started = c->started_unix,
		.duration = cm_call_seconds(c), .outcome = c->outcome,
	};
	const struct media_stats *m = &c->stats.m;
	char *err = NULL;

	if (cm->cfg.no_log || !cm->app->db)
		return;
	if (c->stats.media && m->expected > 0) {
		e.has_quality = true;
		e.loss = m->loss;
		e.jitter_ms = m->jitter_ms;
		e.rtt_ms = m->rtt_ms > 0 ? m->rtt_ms : 0;
		e.mos = m->mos;
	}
	if (calls_add(cm->app->db, &e, app_region(cm->app), &err) < 0) {
		log_err("callmgr", "cannot write the call log: %s", err);
		free(err);
	} else {
		c->logged = true;
		c->log_id = e.id;
	}
	free(e.uid);
}

static void call_free(struct cm_call *c)
{
	engine_free(c->eng);
	json_decref(c->remote);
	strv_free(c->cands, c->ncands);
	strv_free(c->mine, c->nmine);
	free(c->id);
	free(c->peer);
	free(c->peer_name);
	free(c->reason);
	free(c);
}

/* End the call here: figures kept, engine stopped, log written, the UI
 * told, then freed.  log: whether this machine logs it. */
static void finish(struct cm_call *c, enum call_outcome outcome, bool log,
		   const char *fmt, ...)
{
	struct callmgr *cm = c->cm;
	va_list ap;

	if (c->state == CM_ENDED)
		return;
	if (c->req)
		online_cancel(cm->o, c->req);
	c->req = 0;
	if (c->ice_timer)
		loop_timer_cancel(cm->o->loop, c->ice_timer);
	c->ice_timer = 0;
	if (c->eng) {
		loop_remove_fd(cm->o->loop, engine_fd(c->eng));
		engine_stop(c->eng);	/* first: the figures are final */
		engine_stats(c->eng, &c->stats);
		engine_free(c->eng);
		c->eng = NULL;
	}
	c->state = CM_ENDED;
	c->ended_ms = loop_now_ms();
	c->outcome = outcome;
	if (outcome == CALL_REJECTED || outcome == CALL_BUSY ||
	    outcome == CALL_MISSED)
		c->unanswered = true;
	va_start(ap, fmt);
	free(c->reason);
	c->reason = xvasprintf(fmt, ap);
	va_end(ap);
	log_info("callmgr", "call %s %s %s: %s", c->id ? c->id : "-",
		 c->outgoing ? "to" : "from", c->peer, c->reason);
	if (log)
		write_log(c);
	for (struct cm_call **p = &cm->calls; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	notify(c);
	call_free(c);
}

static const char *who(const struct cm_call *c)
{
	return c->peer_name && *c->peer_name ? c->peer_name : c->peer;
}

/* ---- candidates -------------------------------------------------------------------- */

static void send_candidate(struct cm_call *c, const char *line)
{
	json_t *body = line ? json_pack("{s:s}", "candidate", line) :
			      json_pack("{s:b}", "end", 1);

	post_verb(c->cm, c->id, "candidate", body);
}

/* Our candidates may go now: the queued ones first. */
static void may_send(struct cm_call *c)
{
	c->can_send = true;
	for (size_t i = 0; i < c->nmine; i++)
		send_candidate(c, c->mine[i]);
	strv_free(c->mine, c->nmine);
	c->mine = NULL;
	c->nmine = 0;
	if (c->mine_done)
		send_candidate(c, NULL);
}

static void peer_candidate(struct cm_call *c, const char *line)
{
	if (c->eng) {
		if (engine_candidate(c->eng, line) < 0)
			log_info("callmgr", "unreadable candidate from %s: %s",
				 c->peer, line);
	} else if (!line) {
		c->cands_done = true;
	} else if (c->ncands < CANDS_MAX) {
		c->cands = xrealloc(c->cands, (c->ncands + 1) *
					       sizeof *c->cands);
		c->cands[c->ncands++] = xstrdup(line);
	}
}

/* ---- the engine's events -------------------------------------------------------------- */

static void on_engine(void *arg, int fd, short revents)
{
	struct cm_call *c = arg;
	struct engine_event ev;

	(void)fd, (void)revents;
	while (c->eng && engine_next(c->eng, &ev)) {
		switch (ev.kind) {
		case ENGINE_EV_CANDIDATE:
		case ENGINE_EV_GATHERED:
			if (c->can_send) {
				send_candidate(c, ev.line);
			} else if (ev.line) {
				c->mine = xrealloc(c->mine, (c->nmine + 1) *
							    sizeof *c->mine);
				c->mine[c->nmine++] = ev.line;
				ev.line = NULL;
			} else {
				c->mine_done = true;
			}
			break;
		case ENGINE_EV_CONNECTED:
			if (c->state == CM_CONNECTING) {
				if (c->ice_timer)
					loop_timer_cancel(c->cm->o->loop,
							  c->ice_timer);
				c->ice_timer = 0;
				c->state = CM_ACTIVE;
				notify(c);
			}
			break;
		case ENGINE_EV_FAILED:
			free(ev.line);
			if (c->id)
				post_verb(c->cm, c->id, c->answered_ms ?
					  "hangup" : "cancel", json_pack(
					  "{s:s}", "reason", "no network path"));
			finish(c, CALL_FAILED, true, "No network path to %s "
			       "was found (firewall?)", who(c));
			return;
		}
		free(ev.line);
	}
}

/* The engine, with the credentials in `turn` (may be NULL). */
static int make_engine(struct cm_call *c, json_t *turn, char **err)
{
	struct callmgr *cm = c->cm;
	json_t *uris = json_object_get(turn, "uris"), *u;
	const char **v = NULL;
	size_t n = 0, i;
	char *cname = xasprintf("%s@confab", cm->o->s.user);
	const char *me = jv(cm->o->me, "name");
	struct engine_cfg ec = {
		.caller = c->outgoing, .audio = cm->cfg.audio, .fec = true,
		.dtx = cm->cfg.dtx, .aec = cm->cfg.aec, .ns = cm->cfg.ns,
		.echo = cm->cfg.echo, .name = me ? me : cm->o->s.user,
		.cname = cname,
		.turn_user = jv(turn, "username"),
		.turn_pass = jv(turn, "password"),
		.port_min = cm->cfg.port_min, .port_max = cm->cfg.port_max,
		.relay_only = cm->cfg.relay_only,
		.peer_via = cm->cfg.peer_via,
		.local_addrs = cm->cfg.local_addrs,
	};
	int rc;

	v = xcalloc(json_array_size(uris) + 1, sizeof *v);
	json_array_foreach(uris, i, u)
		if (json_is_string(u))
			v[n++] = json_string_value(u);
	ec.ice_uris = v;
	ec.nuris = n;
	rc = engine_new(&c->eng, &ec, err);
	free(v);
	free(cname);
	if (rc == 0)
		loop_add_fd(cm->o->loop, engine_fd(c->eng), POLLIN, on_engine,
			    c);
	return rc;
}

static void on_ice_timeout(void *arg)
{
	struct cm_call *c = arg;

	c->ice_timer = 0;
	if (c->state != CM_CONNECTING)
		return;
	if (c->id)
		post_verb(c->cm, c->id, "hangup", json_pack("{s:s}", "reason",
							      "no network path"));
	finish(c, CALL_FAILED, true, "No network path to %s was found "
	       "(firewall?)", who(c));
}

static void connecting(struct cm_call *c)
{
	c->state = CM_CONNECTING;
	c->ice_timer = loop_timer_in(c->cm->o->loop, ICE_TIMEOUT_MS,
				     on_ice_timeout, c);
	notify(c);
}

/* ---- placing a call -------------------------------------------------------------------- */

static void on_invited(void *arg, long status, json_t *reply, const char *err)
{
	struct cm_call *c = arg;
	json_t *call = json_object_get(reply, "call");
	const char *id = jv(call, "id"), *st = jv(call,
								     "state");

	c->req = 0;
	if (err || status >= 400 || !id || !st) {
		finish(c, CALL_FAILED, true, "%s", err ? err :
		       api_error_message(reply, status));
		return;
	}
	learn_session(c->cm, reply);
	c->id = xstrdup(id);
	str_set(&c->peer_name, jv(call, "to_name"));
	if (strcmp(st, "offline") == 0 || strcmp(st, "dnd") == 0)
		c->unanswered = true;
	if (strcmp(st, "offline") == 0) {
		finish(c, CALL_FAILED, true, "%s is offline", who(c));
	} else if (strcmp(st, "dnd") == 0) {
		finish(c, CALL_FAILED, true, "%s does not want to be "
		       "disturbed", who(c));
	} else {
		c->state = CM_CALLING;
		may_send(c);
		notify(c);
	}
}

static void on_turn_out(void *arg, long status, json_t *reply,
			const char *err)
{
	struct cm_call *c = arg;
	char *e = NULL;

	c->req = 0;
	/* no TURN configured (503) or no answer: direct paths only */
	if (make_engine(c, status == 200 ? reply : NULL, &e) < 0) {
		finish(c, CALL_FAILED, false, "%s", e);
		free(e);
		return;
	}
	json_t *body = json_pack("{s:s,s:o}", "to", c->peer, "offer",
				 engine_offer(c->eng));
	c->req = online_call_raw(c->cm->o, "POST", "/v1/calls", body,
				 on_invited, c);
	json_decref(body);
	(void)err;
}

static struct cm_call *call_new(struct callmgr *cm, bool outgoing,
				const char *peer)
{
	struct cm_call *c = xcalloc(1, sizeof *c);

	c->cm = cm;
	c->outgoing = outgoing;
	c->peer = xstrdup(peer);
	c->created_ms = loop_now_ms();
	c->started_unix = time(NULL);
	c->next = cm->calls;
	cm->calls = c;
	return c;
}

struct cm_call *callmgr_dial(struct callmgr *cm, const char *user,
			     char **err)
{
	struct cm_call *c;

	if (!online_signed_in(cm->o)) {
		*err = xstrdup("sign in to a confab server to call");
		return NULL;
	}
	if (str_empty(user) || strcmp(user, cm->o->s.user) == 0) {
		*err = xasprintf("'%s': call someone else", user ? user : "");
		return NULL;
	}
	for (c = cm->calls; c; c = c->next)
		if (c->state != CM_ENDED && !c->held && c->answered_ms)
			callmgr_hold(cm, c, true);
	c = call_new(cm, true, user);
	c->state = CM_STARTING;
	c->req = online_call_raw(cm->o, "GET", "/v1/turn", NULL, on_turn_out,
				 c);
	notify(c);
	return c;
}

/* ---- taking a call ----------------------------------------------------------------------- */

static void on_answered(void *arg, long status, json_t *reply,
			const char *err)
{
	struct cm_call *c = arg;

	c->req = 0;
	if (err || status >= 400) {
		finish(c, status == 409 ? CALL_ANSWERED : CALL_FAILED, false,
		       "%s", err ? err : api_error_message(reply, status));
		return;
	}
	learn_session(c->cm, reply);
	may_send(c);
	connecting(c);
}

static void on_turn_in(void *arg, long status, json_t *reply,
		       const char *err)
{
	struct cm_call *c = arg;
	const char *why = NULL;
	char *e = NULL;

	(void)err;
	c->req = 0;
	if (make_engine(c, status == 200 ? reply : NULL, &e) < 0) {
		post_verb(c->cm, c->id, "reject", json_pack("{s:s}", "reason",
							      "no sound device"));
		finish(c, CALL_FAILED, true, "%s", e);
		free(e);
		return;
	}
	if (engine_remote(c->eng, c->remote, &why) < 0) {
		post_verb(c->cm, c->id, "reject", json_pack("{s:s}", "reason",
							      why));
		finish(c, CALL_FAILED, true, "The call from %s cannot be "
		       "taken: its offer is unusable (%s)", who(c), why);
		return;
	}
	snprintf(c->sas, sizeof c->sas, "%s", engine_sas(c->eng));
	for (size_t i = 0; i < c->ncands; i++)
		engine_candidate(c->eng, c->cands[i]);
	if (c->cands_done)
		engine_candidate(c->eng, NULL);
	strv_free(c->cands, c->ncands);
	c->cands = NULL;
	c->ncands = 0;
	json_t *body = json_pack("{s:o}", "answer", engine_offer(c->eng));
	char *path = xasprintf("/v1/calls/%s/answer", c->id);
	c->req = online_call_raw(c->cm->o, "POST", path, body, on_answered,
				 c);
	free(path);
	json_decref(body);
}

int callmgr_answer(struct callmgr *cm, struct cm_call *c, char **err)
{
	if (c->state != CM_INCOMING) {
		*err = xstrdup("that call is not ringing");
		return -EINVAL;
	}
	for (struct cm_call *o = cm->calls; o; o = o->next)
		if (o != c && o->answered_ms && !o->held)
			callmgr_hold(cm, o, true);
	c->state = CM_ANSWERING;
	c->answered_ms = loop_now_ms();
	c->started_unix = time(NULL);
	c->req = online_call_raw(cm->o, "GET", "/v1/turn", NULL, on_turn_in,
				 c);
	notify(c);
	return 0;
}

/* An invite: a new incoming call (unless stale or known). */
static void invited(struct callmgr *cm, const char *id, json_t *d)
{
	json_t *offer = json_object_get(d, "offer");
	json_t *until = json_object_get(d, "ring_until");
	const char *from = jv(d, "from");
	struct cm_call *c;

	if (find(cm, id) || !from || !json_is_object(offer))
		return;
	if (json_is_integer(until) && json_integer_value(until) < time(NULL))
		return;	/* an old event: that call rang out long ago */
	c = call_new(cm, false, from);
	c->id = xstrdup(id);
	c->peer_name = jv(d, "from_name") ?
		       xstrdup(jv(d, "from_name")) : NULL;
	c->remote = json_incref(offer);
	c->state = CM_INCOMING;
	post_verb(cm, id, "ringing", NULL);
	notify(c);
}

/* ---- confabd's events ------------------------------------------------------------------------ */

static void call_state(struct callmgr *cm, struct cm_call *c, const char *st,
		       json_t *d)
{
	if (strcmp(st, "ringing") == 0) {
		if (c->outgoing && c->state == CM_CALLING) {
			c->state = CM_RINGING;
			notify(c);
		}
	} else if (strcmp(st, "answered") == 0) {
		const char *why = NULL;

		if (!c->outgoing || c->answered_ms || !c->eng)
			return;
		c->answered_ms = loop_now_ms();
		c->started_unix = time(NULL);
		if (engine_remote(c->eng, json_object_get(d, "answer"),
				  &why) < 0) {
			post_verb(cm, c->id, "hangup", json_pack("{s:s}",
				  "reason", why));
			finish(c, CALL_FAILED, true, "%s's answer is unusable "
			       "(%s)", who(c), why);
			return;
		}
		snprintf(c->sas, sizeof c->sas, "%s", engine_sas(c->eng));
		connecting(c);
	} else if (strcmp(st, "answered-elsewhere") == 0) {
		if (!c->outgoing && c->state == CM_INCOMING)
			finish(c, CALL_ANSWERED, false, "Answered on another "
			       "machine");
	} else if (strcmp(st, "rejected") == 0) {
		finish(c, CALL_REJECTED, true, "%s declined the call", who(c));
	} else if (strcmp(st, "busy") == 0) {
		finish(c, CALL_BUSY, true, "%s is busy", who(c));
	} else if (strcmp(st, "missed") == 0) {
		finish(c, CALL_MISSED, true, c->outgoing ? "%s did not answer"
		       : "Missed call from %s", who(c));
	} else if (strcmp(st, "cancelled") == 0) {
		finish(c, c->outgoing ? CALL_CANCELLED : CALL_MISSED, true,
		       "Missed call from %s", who(c));
	} else if (strcmp(st, "ended") == 0) {
		finish(c, CALL_ANSWERED, true, "%s hung up", who(c));
	}
}

static void on_event(void *arg, const char *kind, json_t *d)
{
	struct callmgr *cm = arg;
	const char *id = jv(d, "id");
	json_t *to = json_object_get(d, "to_session");
	struct cm_call *c;

	if (!id)
		return;
	if (json_is_integer(to) && cm->session &&
	    json_integer_value(to) != cm->session)
		return;	/* for another session of ours */
	c = find(cm, id);
	if (strcmp(kind, "call-hold") == 0) {
		bool on = json_is_true(json_object_get(d, "on"));
		if (c && c->state != CM_ENDED && c->peer_held != on) {
			c->peer_held = on;
			notify(c);
		}
		return;
	}
	if (strcmp(kind, "call-candidate") == 0) {
		if (c && c->state != CM_ENDED)
			peer_candidate(c, json_is_true(json_object_get(d,
				"end")) ? NULL : jv(d, "candidate"));
		return;
	}
	const char *st = jv(d, "state");
	if (!st)
		return;
	if (!c) {
		if (strcmp(st, "ringing") == 0 && json_object_get(d, "offer"))
			invited(cm, id, d);
		return;
	}
	call_state(cm, c, st, d);
}

/* GET /v1/calls at start: our session id, and calls ringing already. */
static void on_list(void *arg, long status, json_t *reply, const char *err)
{
	struct callmgr *cm = arg;
	json_t *calls = json_object_get(reply, "calls"), *c;
	size_t i;

	cm->list_req = 0;
	if (err || status != 200)
		return;
	learn_session(cm, reply);
	json_array_foreach(calls, i, c) {
		const char *st = jv(c, "state");
		const char *to = jv(c, "to");

		if (st && strcmp(st, "ringing") == 0 && to &&
		    strcmp(to, cm->o->s.user) == 0)
			invited(cm, jv(c, "id"), c);
	}
}

/* ---- the user's actions --------------------------------------------------------------------- */

void callmgr_hangup(struct callmgr *cm, struct cm_call *c)
{
	if (c->state == CM_ENDED)
		return;
	if (!c->id) {		/* the invite is not out yet */
		finish(c, CALL_CANCELLED, true, "Call cancelled");
	} else if (c->state == CM_INCOMING) {
		post_verb(cm, c->id, "reject", NULL);
		finish(c, CALL_REJECTED, true, "Call from %s declined", who(c));
	} else if (c->outgoing && !c->answered_ms) {
		post_verb(cm, c->id, "cancel", NULL);
		finish(c, CALL_CANCELLED, true, "Call cancelled");
	} else {
		post_verb(cm, c->id, "hangup", NULL);
		finish(c, CALL_ANSWERED, true, "Call with %s ended", who(c));
	}
}

void callmgr_busy(struct callmgr *cm, struct cm_call *c)
{
	if (c->state != CM_INCOMING)
		return;
	post_verb(cm, c->id, "busy", NULL);
	finish(c, CALL_BUSY, true, "Call from %s answered busy", who(c));
}

void callmgr_hold(struct callmgr *cm, struct cm_call *c, bool on)
{
	if (c->state == CM_ENDED || c->held == on)
		return;
	c->held = on;
	if (c->eng)
		engine_hold(c->eng, on);
	if (c->id && c->answered_ms)	/* the other side's screen says so */
		post_verb(cm, c->id, "hold", json_pack("{s:b}", "on", on));
	notify(c);
}

void callmgr_mute(struct callmgr *cm, struct cm_call *c, bool on)
{
	(void)cm;
	if (c->state == CM_ENDED || c->muted == on)
		return;
	c->muted = on;
	if (c->eng)
		engine_mute(c->eng, on);
	notify(c);
}

/* ---- life ------------------------------------------------------------------------------------ */

struct callmgr *callmgr_new(struct app *a, struct online *o,
			    const struct callmgr_cfg *cfg,
			    callmgr_changed changed, void *arg)
{
	struct callmgr *cm = xcalloc(1, sizeof *cm);

	cm->app = a;
	cm->o = o;
	cm->cfg = *cfg;
	cm->in = cfg->audio.input ? xstrdup(cfg->audio.input) : NULL;
	cm->out = cfg->audio.output ? xstrdup(cfg->audio.output) : NULL;
	cm->ring = cfg->audio.ring ? xstrdup(cfg->audio.ring) : NULL;
	cm->cfg.audio.input = cm->in;
	cm->cfg.audio.output = cm->out;
	cm->cfg.audio.ring = cm->ring;
	cm->changed = changed;
	cm->arg = arg;
	o->call_event = on_event;
	o->call_arg = cm;
	if (online_signed_in(o))
		cm->list_req = online_call_raw(o, "GET", "/v1/calls", NULL,
					       on_list, cm);
	return cm;
}

void callmgr_free(struct callmgr *cm)
{
	if (!cm)
		return;
	callmgr_hangup_all(cm);
	while (cm->posts) {	/* their answers would find us gone */
		struct post *p = cm->posts;
		cm->posts = p->next;
		online_cancel(cm->o, p->id);
		free(p);
	}
	if (cm->list_req)
		online_cancel(cm->o, cm->list_req);
	cm->o->call_event = NULL;
	cm->o->call_arg = NULL;
	free(cm->in);
	free(cm->out);
	free(cm->ring);
	free(cm);
}
