/* app/online: session, monitor, presence and the event stream. */
#include "app/online.h"
#include "app/online_int.h"
#include "app/app.h"
#include "app/loop.h"
#include "common/log.h"
#include "common/str.h"
#include "store/db.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#define POLL_WAIT_S 50		/* the server holds a poll this long */
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000

/* ---- requests ------------------------------------------------------------- */

struct call {
	struct online *o;
	int id;
	online_got got;
	online_raw raw;		/* instead of got */
	void *arg;
	struct call *next;
};

static struct call *calls;	/* in flight, for online_cancel() */

static void session_ended(struct online *o);

static void call_unlink(struct call *c)
{
	for (struct call **p = &calls; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			return;
		}
}

static void call_done(void *arg, long status, json_t *reply, const char *err)
{
	struct call *c = arg;
	struct online *o = c->o;

	call_unlink(c);
	if (status == 401 && o->s.token && o->link != LINK_SIGNED_OUT) {
		char *e = xstrdup(api_error_message(reply, status));
		session_ended(o);	/* first, so `got` sees the new state */
		if (c->raw)
			c->raw(c->arg, 0, NULL, e);
		else
			c->got(c->arg, NULL, e);
		free(e);
		free(c);
		return;
	}
	if (c->raw) {
		c->raw(c->arg, status, reply, err);
		free(c);
		return;
	}
	if (!err && status >= 400)
		err = api_error_message(reply, status);
	c->got(c->arg, err ? NULL : reply, err);
	free(c);
}

struct api online_api(const struct online *o)
{
	return (struct api){ .base = o->s.server, .token = o->s.token,
			     .proxy = o->app->cfg.proxy };
}

/* got, or raw when it is not NULL */
static int call_with(struct online *o, const struct api *a, long timeout_ms,
		     const char *method, const char *path, json_t *body,
		     online_got got, online_raw raw, void *arg)
{
	struct call *c = xcalloc(1, sizeof *c);
	struct api t = *a;

	t.timeout_ms = timeout_ms;
	c->o = o;
	c->got = got;
	c->raw = raw;
	c->arg = arg;
	c->id = anet_request(o->net, &t, method, path, body, call_done, c);
	if (c->id < 0) {
		free(c);
		return -1;
	}
	c->next = calls;
	calls = c;
	return c->id;
}

int online_call(struct online *o, const char *method, const char *path,
		json_t *body, online_got got, void *arg)
{
	struct api a = online_api(o);

	if (!o->s.server) {
		got(arg, NULL, "not signed in");
		return -1;
	}
	return call_with(o, &a, 0, method, path, body, got, NULL, arg);
}

int online_call_raw(struct online *o, const char *method, const char *path,
		    json_t *body, online_raw got, void *arg)
{
	struct api a = online_api(o);

	if (!o->s.server) {
		got(arg, 0, NULL, "not signed in");
		return -1;
	}
	return call_with(o, &a, 60000, method, path, body, NULL, got, arg);
}

int online_bye(struct online *o, online_got done, void *arg)
{
	if (o->poll_id)		/* no more events: we are going */
		online_cancel(o, o->poll_id);
	o->poll_id = 0;
	json_t *body = json_pack("{s:s}", "instance", o->instance);
	int id = online_call(o, "POST", "/v1/bye", body, done, arg);

	json_decref(body);
	return id;
}

void online_cancel(struct online *o, int id)
{
	for (struct call *c = calls; c; c = c->next)
		if (c->id == id && c->o == o) {
			anet_cancel(o->net, id);
			call_unlink(c);
			free(c);
			return;
		}
}

static void cancel_all(struct online *o)
{
	for (struct call **p = &calls; *p;) {
		struct call *c = *p;
		if (c->o == o) {
			anet_cancel(o->net, c->id);
			*p = c->next;
			free(c);
		} else {
			p = &c->next;
		}
	}
}

/* ---- state ---------------------------------------------------------------- */

void online_say(struct online *o, bool alert, const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;

	if (!fmt) {
		o->notify(o->arg, NULL, false);
		return;
	}
	sbuf_init(&b);
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	o->notify(o->arg, b.s, alert);
	sbuf_free(&b);
}

static void peer_clear(struct peer *p)
{
	free(p->username);
	free(p->name);
	free(p->email);
	free(p->status);
	free(p->state);
	free(p->note);
	free(p->message);
}

static void req_clear(struct online_request *r)
{
	free(r->username);
	free(r->name);
	free(r->message);
}

static void clear_monitor(struct online *o)
{
	for (size_t i = 0; i < o->npeers; i++)
		peer_clear(&o->peers[i]);
	for (size_t i = 0; i < o->nreqs; i++)
		req_clear(&o->reqs[i]);
	free(o->peers);
	free(o->reqs);
	o->peers = NULL;
	o->reqs = NULL;
	o->npeers = o->nreqs = 0;
}

static char *jstr(json_t *o, const char *k)
{
	return xstrdup(json_string_value(json_object_get(o, k)));
}

const char *online_jval(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

const struct peer *online_peer(const struct online *o, const char *username)
{
	for (size_t i = 0; i < o->npeers; i++)
		if (strcmp(o->peers[i].username, username) == 0)
			return &o->peers[i];
	return NULL;
}

const char *online_state_by_email(const struct online *o, const char *email)
{
	if (!email || !*email)
		return NULL;
	for (size_t i = 0; i < o->npeers; i++)
		if (o->peers[i].state && o->peers[i].email &&
		    strcasecmp(o->peers[i].email, email) == 0)
			return o->peers[i].state;
	return NULL;
}

static void set_peer_presence(struct peer *p, json_t *pr)
{
	str_set(&p->state, online_jval(pr, "state"));
	str_set(&p->note, online_jval(pr, "note"));
	p->since = json_integer_value(json_object_get(pr, "since"));
}

static void load_monitor(struct online *o, json_t *reply)
{
	json_t *w = json_object_get(reply, "watching");
	json_t *rq = json_object_get(reply, "requests"), *v;
	size_t i;

	clear_monitor(o);
	o->peers = xcalloc(json_array_size(w) + 1, sizeof *o->peers);
	json_array_foreach(w, i, v) {
		struct peer *p = &o->peers[o->npeers];
		if (!online_jval(v, "username"))
			continue;
		p->username = jstr(v, "username");
		p->name = jstr(v, "name");
		p->email = jstr(v, "email");
		p->status = jstr(v, "status");
		p->message = jstr(v, "message");
		json_t *pr = json_object_get(v, "presence");
		if (pr)
			set_peer_presence(p, pr);
		o->npeers++;
	}
	o->reqs = xcalloc(json_array_size(rq) + 1, sizeof *o->reqs);
	json_array_foreach(rq, i, v) {
		if (!online_jval(v, "username"))
			continue;
		struct online_request *r = &o->reqs[o->nreqs++];
		r->username = jstr(v, "username");
		r->name = jstr(v, "name");
		r->message = jstr(v, "message");
	}
}


static void set_me(struct online *o, json_t *me)
{
	json_decref(o->me);
	o->me = json_incref(me);
	json_t *pr = json_object_get(me, "presence");
	str_set(&o->state, online_jval(pr, "state"));
	str_set(&o->note, online_jval(pr, "note"));
	/* the auto-away preference may have changed: time it afresh */
	if (o->idle_timer) {
		loop_timer_cancel(o->loop, o->idle_timer);
		o->idle_timer = 0;
	}
	online_arm_idle(o);
}

/* ---- the cursor ----------------------------------------------------------- */

static char *cursor_key(const struct online *o)
{
	return xasprintf("events.cursor %s %s", o->s.server, o->s.user);
}

static void cursor_load(struct online *o)
{
	char *k = cursor_key(o), *v = db_setting_get(o->app->db, k);

	o->cursor = v ? strtoll(v, NULL, 10) : -1;
	free(v);
	free(k);
}

static void cursor_save(struct online *o)
{
	char *k = cursor_key(o), v[24];

	snprintf(v, sizeof v, "%lld", (long long)o->cursor);
	db_setting_set(o->app->db, k, v);
	free(k);
}

/* ---- the link ------------------------------------------------------------- */

static void start_link(struct online *o);
static void poll_events(struct online *o);

static void on_retry(void *arg)
{
	struct online *o = arg;

	o->retry_timer = 0;
	start_link(o);
}

static void link_down(struct online *o, const char *err)
{
	bool was_up = o->link == LINK_UP;

	o->poll_id = 0;
	o->link = LINK_DOWN;
	str_set(&o->error, err);
	o->backoff_ms = o->backoff_ms ? o->backoff_ms * 2 : BACKOFF_MIN_MS;
	if (o->backoff_ms > BACKOFF_MAX_MS)
		o->backoff_ms = BACKOFF_MAX_MS;
	if (o->retry_timer)
		loop_timer_cancel(o->loop, o->retry_timer);
	o->retry_timer = loop_timer_in(o->loop, o->backoff_ms, on_retry, o);
	log_info("online", "link down (%s); retry in %d ms", err,
		 o->backoff_ms);
	if (was_up)
		online_say(o, true, "Lost the connection to the server: %s", err);
	else
		online_say(o, false, NULL);
}

static void session_ended(struct online *o)
{
	char *server = xstrdup(o->s.server);

	cancel_all(o);
	session_clear(o->app);
	online_restart(o);
	online_say(o, true, "Your session on %s has ended: sign in again", server);
	free(server);
}

/* A step of the link answered: false (and the link down) on an error. */
static bool link_step(struct online *o, const char *err)
{
	o->poll_id = 0;
	if (err) {
		if (o->s.token)	/* else signed out meanwhile */
			link_down(o, err);
		return false;
	}
	return true;
}

/* One event, in order; returns true when the screen should change. */
static void handle_event(struct online *o, json_t *ev)
{
	const char *kind = online_jval(ev, "kind");
	json_t *d = json_object_get(ev, "data");
	const char *user = online_jval(d, "user") ? online_jval(d, "user") : online_jval(d, "from");
	struct peer *p = NULL;

	if (kind && (strcmp(kind, "call") == 0 ||
		     strcmp(kind, "call-candidate") == 0 ||
		     strcmp(kind, "call-hold") == 0)) {
		if (o->call_event)
			o->call_event(o->call_arg, kind, d);
		return;
	}
	if (kind && online_msg_event(o, kind, d))
		return;
	if (!kind || !user)
		return;
	for (size_t i = 0; i < o->npeers; i++)
		if (strcmp(o->peers[i].username, user) == 0)
			p = &o->peers[i];
	const char *name = online_jval(d, "name") ? online_jval(d, "name") : user;
	if (strcmp(kind, "presence") == 0 && p) {
		int64_t since = json_integer_value(json_object_get(d,
								   "since"));
		if (since < p->since)	/* older than what we hold */
			return;
		bool changed = !p->state || strcmp(p->state,
						   online_jval(d, "state") ?
						   online_jval(d, "state") : "");
		set_peer_presence(p, d);
		if (changed)
			online_say(o, false, "%s is %s", name, p->state);
		else
			online_say(o, false, NULL);
	} else if (strcmp(kind, "contact_request") == 0) {
		for (size_t i = 0; i < o->nreqs; i++)
			if (strcmp(o->reqs[i].username, user) == 0)
				return;
		o->reqs = xrealloc(o->reqs, (o->nreqs + 1) * sizeof *o->reqs);
		o->reqs[o->nreqs++] = (struct online_request){
			xstrdup(user), jstr(d, "name"), jstr(d, "message") };
		online_say(o, true, "%s asks to add you to their online monitor "
		       "(answer in tab 2)", name);
	} else if (strcmp(kind, "contact_accepted") == 0 ||
		   strcmp(kind, "contact_declined") == 0) {
		bool yes = kind[8] == 'a';
		if (p) {
			str_set(&p->status, yes ? "accepted" : "declined");
			if (yes)
				set_peer_presence(p, d);
		} else {
			online_refresh(o);
		}
		online_say(o, true, "%s %s your monitor request", name,
		       yes ? "accepted" : "declined");
	}
}

static void on_events(void *arg, json_t *reply, const char *err)
{
	struct online *o = arg;
	json_t *evs = json_object_get(reply, "events"), *ev;
	size_t i;

	if (!link_step(o, err))
		return;
	json_t *c = json_object_get(reply, "cursor");
	if (!json_is_integer(c)) {
		link_down(o, "the server's event reply has no cursor");
		return;
	}
	json_array_foreach(evs, i, ev) {
		int64_t id = json_integer_value(json_object_get(ev, "id"));
		if (o->cursor >= 0 && id <= o->cursor)
			continue;	/* delivered already */
		handle_event(o, ev);
		o->cursor = id;
	}
	if (json_integer_value(c) > o->cursor || o->cursor < 0)
		o->cursor = json_integer_value(c);
	cursor_save(o);
	o->backoff_ms = 0;
	poll_events(o);
}

static void poll_events(struct online *o)
{
	struct api a = online_api(o);
	char path[128];

	if (o->cursor < 0)
		snprintf(path, sizeof path, "/v1/events");
	else
		snprintf(path, sizeof path, "/v1/events?cursor=%lld&timeout=%d"
			 "&instance=%s", (long long)o->cursor, POLL_WAIT_S,
			 o->instance);
	o->poll_id = call_with(o, &a, (POLL_WAIT_S + 20) * 1000L, "GET", path,
			       NULL, on_events, NULL, o);
}

static void on_monitor(void *arg, json_t *reply, const char *err)
{
	struct online *o = arg;

	if (!link_step(o, err))
		return;
	load_monitor(o, reply);
	bool again = o->link == LINK_DOWN;
	o->link = LINK_UP;
	free(o->error);
	o->error = NULL;
	if (again)
		online_say(o, false, "Connected to %s again", o->s.server);
	else
		online_say(o, false, NULL);
	poll_events(o);
	if (!o->headless)
		online_msg_start(o);
}

static void on_me(void *arg, json_t *reply, const char *err)
{
	struct online *o = arg;

	if (!link_step(o, err))
		return;
	set_me(o, reply);
	o->poll_id = online_call(o, "GET", "/v1/monitor", NULL, on_monitor, o);
}

/* me, then the monitor, then the event stream */
static void start_link(struct online *o)
{
	char *path, *u = curl_easy_escape(NULL, o->s.user, 0);

	if (o->link != LINK_DOWN)
		o->link = LINK_CONNECTING;
	path = xasprintf("/v1/users/%s", u);
	o->poll_id = online_call(o, "GET", path, NULL, on_me, o);
	curl_free(u);
	free(path);
}

/* ---- life ----------------------------------------------------------------- */

struct online *online_new(struct app *a, struct loop *l, online_notify cb,
			  void *arg)
{
	struct online *o = xcalloc(1, sizeof *o);

	if (sodium_init() < 0)
		log_err("online", "libsodium did not start");
	o->app = a;
	o->loop = l;
	o->net = anet_new(l);
	o->notify = cb;
	o->arg = arg;
	o->link = LINK_SIGNED_OUT;
	o->last_input = loop_now_ms();
	snprintf(o->instance, sizeof o->instance, "%08x%08x",
		 randombytes_random(), randombytes_random());
	return o;
}

static void stop(struct online *o)
{
	online_msg_stop(o);
	cancel_all(o);
	o->poll_id = 0;
	if (o->retry_timer)
		loop_timer_cancel(o->loop, o->retry_timer);
	if (o->idle_timer)
		loop_timer_cancel(o->loop, o->idle_timer);
	o->retry_timer = o->idle_timer = 0;
	o->backoff_ms = 0;
	o->auto_away = false;
	clear_monitor(o);
	json_decref(o->me);
	o->me = NULL;
	free(o->state);
	free(o->note);
	free(o->error);
	o->state = o->note = o->error = NULL;
	session_free(&o->s);
}

void online_free(struct online *o)
{
	if (!o)
		return;
	stop(o);
	anet_free(o->net);
	free(o);
}

void online_restart(struct online *o)
{
	stop(o);
	if (session_load(o->app, &o->s) < 0) {
		o->link = LINK_SIGNED_OUT;
		online_say(o, false, NULL);
		return;
	}
	o->link = LINK_CONNECTING;
	online_msg_init(o);
	cursor_load(o);
	start_link(o);
	online_arm_idle(o);
	online_say(o, false, NULL);
}

bool online_signed_in(const struct online *o)
{
	return o->link != LINK_SIGNED_OUT;
}

static void on_monitor_only(void *arg, json_t *reply, const char *err)
{
	struct online *o = arg;

	if (err) {
		log_warn("online", "monitor: %s", err);
		return;
	}
	load_monitor(o, reply);
	online_say(o, false, NULL);
}

static void on_me_only(void *arg, json_t *reply, const char *err)
{
	struct online *o = arg;

	if (!err)
		set_me(o, reply);
	online_say(o, false, NULL);
}

void online_refresh(struct online *o)
{
	char *path, *u;

	if (o->link == LINK_DOWN) {	/* the user asks: retry now */
		if (o->retry_timer)
			loop_timer_cancel(o->loop, o->retry_timer);
		o->retry_timer = 0;
		o->backoff_ms = 0;
		if (!o->poll_id)
			start_link(o);
		return;
	}
	if (o->link != LINK_UP)
		return;
	online_call(o, "GET", "/v1/monitor", NULL, on_monitor_only, o);
	u = curl_easy_escape(NULL, o->s.user, 0);
	path = xasprintf("/v1/users/%s", u);
	online_call(o, "GET", path, NULL, on_me_only, o);
	curl_free(u);
	free(path);
}

/* ---- actions -------------------------------------------------------------- */

struct act {
	struct online *o;
	online_done done;
	void *arg;
	char *server;		/* sign-in */
	bool refresh;		/* reload the monitor after */
};

static struct act *act_new(struct online *o, online_done done, void *arg)
{
	struct act *t = xcalloc(1, sizeof *t);

	t->o = o;
	t->done = done;
	t->arg = arg;
	return t;
}

static void act_end(struct act *t, const char *err)
{
	if (t->done)
		t->done(t->arg, err);
	if (!err && t->refresh)
		online_refresh(t->o);
	free(t->server);
	free(t);
}

static void act_got(void *arg, json_t *reply, const char *err)
{
	(void)reply;
	act_end(arg, err);
}

static void signed_in(void *arg, json_t *reply, const char *err)
{
	struct act *t = arg;
	struct session s;
	char *serr = NULL;

	if (!err && session_from_login(&s, t->server, reply) < 0)
		err = "the server answered without a token";
	else if (!err) {
		if (session_save(t->o->app, &s, &serr) == 0)
			online_restart(t->o);
		session_free(&s);
		err = serr;
	}
	act_end(t, err);
	free(serr);
}

void online_sign_in(struct online *o, const char *server, const char *user,
		    const char *password, online_done done, void *arg)
{
	struct act *t = act_new(o, done, arg);
	struct api a = { .base = server, .proxy = o->app->cfg.proxy };
	json_t *b = json_pack("{s:s,s:s}", "username", user, "password",
			      password);

	stop(o);
	o->link = LINK_SIGNED_OUT;
	t->server = xstrdup(server);
	if (call_with(o, &a, 0, "POST", "/v1/login", b, signed_in, NULL,
		      t) < 0)
		act_end(t, "cannot start a request to that server");
	json_decref(b);
}

static void signed_out(void *arg, json_t *reply, const char *err)
{
	struct act *t = arg;
	struct online *o = t->o;

	(void)reply;
	session_clear(o->app);
	online_restart(o);
	act_end(t, err && !strstr(err, "session") ? err : NULL);
}

void online_sign_out(struct online *o, online_done done, void *arg)
{
	struct act *t = act_new(o, done, arg);
	struct api a = online_api(o);

	if (!o->s.token) {
		act_end(t, "not signed in");
		return;
	}
	cancel_all(o);
	/* no 401 handling: a session that ended already is fine here */
	a.token = o->s.token;
	if (call_with(o, &a, 0, "POST", "/v1/logout", NULL, signed_out, NULL,
		      t) < 0)
		signed_out(t, NULL, NULL);
}

static void presence_set(void *arg, json_t *reply, const char *err)
{
	struct act *t = arg;

	if (!err) {
		str_set(&t->o->state, online_jval(reply, "state"));
		str_set(&t->o->note, online_jval(reply, "note"));
		t->o->auto_away = false;
		online_say(t->o, false, NULL);
	}
	act_end(t, err);
}

void online_set_presence(struct online *o, const char *state,
			 const char *note, online_done done, void *arg)
{
	online_put_presence(o, state, note, presence_set, act_new(o, done, arg));
}

void online_monitor_request(struct online *o, const char *user,
			    const char *message, online_done done, void *arg)
{
	struct act *t = act_new(o, done, arg);
	json_t *b = json_pack("{s:s,s:s?}", "user", user, "message", message);

	t->refresh = true;
	online_call(o, "POST", "/v1/monitor", b, act_got, t);
	json_decref(b);
}

void online_monitor_answer(struct online *o, const char *verb,
			   const char *user, online_done done, void *arg)
{
	struct act *t = act_new(o, done, arg);

	t->refresh = true;
	if (strcmp(verb, "remove") == 0) {
		char *u = curl_easy_escape(NULL, user, 0);
		char *path = xasprintf("/v1/monitor/%s", u);
		online_call(o, "DELETE", path, NULL, act_got, t);
		curl_free(u);
		free(path);
		return;
	}
	char *path = xasprintf("/v1/monitor/%s", verb);
	json_t *b = json_pack("{s:s}", "user", user);
	online_call(o, "POST", path, b, act_got, t);
	json_decref(b);
	free(path);
	/* the answered request leaves the list at once */
	for (size_t i = 0; i < o->nreqs; i++)
		if (strcmp(o->reqs[i].username, user) == 0) {
			req_clear(&o->reqs[i]);
			o->reqs[i] = o->reqs[--o->nreqs];
			break;
		}
}
