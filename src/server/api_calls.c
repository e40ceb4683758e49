/* src/server/api_calls: call signalling.
 *
 *   POST /v1/calls                  {"to","offer"}: invite (caller)
 *   GET  /v1/calls                  my live calls (ringing or answered)
 *   GET  /v1/calls/ID               one call (its parties only)
 *   POST /v1/calls/ID/ringing       the callee's client rings
 *   POST /v1/calls/ID/answer        {"answer"}: the first answer wins
 *   POST /v1/calls/ID/reject|busy   the callee declines
 *   POST /v1/calls/ID/cancel        the caller gives up before an answer
 *   POST /v1/calls/ID/hangup        either party ends an answered call
 *   POST /v1/calls/ID/candidate     {"candidate","mid","index"} or
 *                                   {"end":true}: trickle ICE
 *   POST /v1/calls/ID/hold          {"on": true|false}: either party puts
 *                                   the answered call on hold, or back
 *   (the last two in api_calls_live.c)
 *
 * confabd only relays: offers, answers and candidates are opaque JSON to
 * it (the media keys are derived by the clients and never pass here).
 * Each step is a "call" event (candidates: "call-candidate", hold:
 * "call-hold") in the other party's event log.  The log is per user, so
 * events meant for one session carry "to_session": the caller's events go to the session that
 * placed the call; the callee's go to every session until one answers
 * (the invite "forks"), then to the answering one only.  Every reply
 * says which session asked ("session"), so a client knows its own id.
 * A call still ringing after call_ring_timeout seconds is missed: a
 * thread (ring_*) ends it, like deliver.c delivers reminders.
 */
#include "server/server.h"
#include "server/calls_int.h"
#include "store/server.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALL_ID_MAX 64
#define REASON_MAX 200
#define LIVE_MAX 20		/* GET /v1/calls */


static int64_t unix_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool calls_live(enum srv_call_state st)
{
	return st == CALL_RINGING || st == CALL_ANSWERED;
}

/* An offer or answer asks for video with "video": true or an object of
 * video parameters. */
static bool wants_video(json_t *sdp)
{
	json_t *v = json_object_get(sdp, "video");

	return json_is_true(v) || json_is_object(v);
}

static json_t *text_json(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;

	return j ? j : json_null();
}

/* The call as its parties see it. */
static json_t *call_json(const struct srv_call *c)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s?,s:s,s:s?,s:b,s:I}", "id",
			      c->id, "state", srv_call_state_name(c->state),
			      "from", c->caller, "from_name", c->caller_name,
			      "to", c->callee, "to_name", c->callee_name,
			      "video", c->video, "created",
			      (json_int_t)c->created);

	if (c->state == CALL_RINGING)
		json_object_set_new(j, "ring_until",
				    json_integer((c->ring_until + 999) / 1000));
	if (c->answered_at)
		json_object_set_new(j, "answered_at",
				    json_integer(c->answered_at));
	if (c->answer_session)
		json_object_set_new(j, "answer_session",
				    json_integer(c->answer_session));
	if (c->ended_at)
		json_object_set_new(j, "ended_at", json_integer(c->ended_at));
	if (c->ended_by)
		json_object_set_new(j, "ended_by", json_string(
			c->ended_by == c->caller_id ? c->caller : c->callee));
	if (c->end_reason)
		json_object_set_new(j, "end_reason",
				    json_string(c->end_reason));
	if (calls_live(c->state) && c->offer)
		json_object_set_new(j, "offer", text_json(c->offer));
	if (calls_live(c->state) && c->answer)
		json_object_set_new(j, "answer", text_json(c->answer));
	return j;
}

static void reply_call(struct req *q, struct reply *r,
		       const struct srv_call *c)
{
	r->json = json_pack("{s:o,s:I}", "call", call_json(c), "session",
			    (json_int_t)q->session_id);
}

/* A "call" event's data: who calls whom, and the state. */
static json_t *event_data(const struct srv_call *c, const char *state)
{
	return json_pack("{s:s,s:s,s:s,s:s?,s:s,s:s?,s:b}", "id", c->id,
			 "state", state, "from", c->caller, "from_name",
			 c->caller_name, "to", c->callee, "to_name",
			 c->callee_name, "video", c->video);
}

/* To the session that placed the call (lock held). */
void calls_push_caller(struct srv *s, const struct srv_call *c,
			const char *kind, json_t *d)
{
	json_object_set_new(d, "to_session",
			    json_integer(c->caller_session));
	event_push(s, c->caller_id, kind, d);
	json_object_del(d, "to_session");
}

/* To the callee: the answering session once there is one (unless
 * `all`), else every session (lock held). */
void calls_push_callee(struct srv *s, const struct srv_call *c,
			const char *kind, json_t *d, bool all)
{
	if (c->answer_session && !all)
		json_object_set_new(d, "to_session",
				    json_integer(c->answer_session));
	event_push(s, c->callee_id, kind, d);
	json_object_del(d, "to_session");
}

/* ---- the ring timeout -------------------------------------------------------- */

struct calls {
	pthread_t thread;
	pthread_mutex_t lock;	/* stop, poke and the sleep */
	pthread_cond_t wake;
	bool stop, poke;
};

/* The call is over (lock held, the state stored): both parties hear. */
static void push_end(struct srv *s, const struct srv_call *c,
		     const struct srv_user *by, int64_t session)
{
	json_t *d = event_data(c, srv_call_state_name(c->state));

	if (by)
		json_object_set_new(d, "by", json_string(by->username));
	if (session)
		json_object_set_new(d, "session", json_integer(session));
	if (c->end_reason)
		json_object_set_new(d, "reason", json_string(c->end_reason));
	db_begin(s->db);
	calls_push_caller(s, c, "call", d);
	calls_push_callee(s, c, "call", d, false);
	db_commit(s->db);
	json_decref(d);
	log_info("calls", "%s: %s -> %s %s%s%s", c->id, c->caller, c->callee,
		 srv_call_state_name(c->state), by ? " by " : "",
		 by ? by->username : "");
}

/* End the calls whose ringing time is up (lock held); when the next one
 * is due (unix ms), 0 when none is ringing. */
static int64_t ring_due(struct srv *s)
{
	char **ids;
	size_t n;

	if (srv_calls_ring_due(s->db, unix_ms(), &ids, &n) < 0) {
		log_err("calls", "cannot read the calls ringing");
		return unix_ms() + 5000;
	}
	for (size_t i = 0; i < n; i++) {
		struct srv_call c;
		if (srv_call_get(s->db, ids[i], &c) == 0 &&
		    srv_call_end(s->db, c.id, CALL_RINGING, CALL_MISSED, 0,
				 NULL, time(NULL)) == 0) {
			c.state = CALL_MISSED;
			push_end(s, &c, NULL, 0);
		}
		srv_call_clear(&c);
		free(ids[i]);
	}
	free(ids);
	return srv_calls_ring_next(s->db);
}

static void *ring_run(void *arg)
{
	struct srv *s = arg;
	struct calls *k = s->calls;

	pthread_mutex_lock(&k->lock);
	while (!k->stop) {
		k->poke = false;
		pthread_mutex_unlock(&k->lock);
		pthread_mutex_lock(&s->lock);
		int64_t next = ring_due(s);
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_lock(&k->lock);
		/* until then, a minute at most (clocks get set) */
		int64_t now = unix_ms(), wait = next ? next - now : 60000;
		if (wait > 60000)
			wait = 60000;
		if (wait < 20)	/* a call that would not end: no spinning */
			wait = 20;
		int64_t at = now + wait;
		struct timespec until = { (time_t)(at / 1000),
					  (long)(at % 1000) * 1000000 };
		while (!k->stop && !k->poke)
			if (pthread_cond_timedwait(&k->wake, &k->lock,
						   &until) == ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

int calls_start(struct srv *s)
{
	struct calls *k = xcalloc(1, sizeof *k);

	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->wake, NULL);	/* CLOCK_REALTIME, as ms */
	s->calls = k;
	if (pthread_create(&k->thread, NULL, ring_run, s) != 0) {
		log_err("calls", "cannot start the ring timeout thread");
		s->calls = NULL;
		pthread_cond_destroy(&k->wake);
		pthread_mutex_destroy(&k->lock);
		free(k);
		return -1;
	}
	return 0;
}

/* A call started ringing: look again at when the next one is due. */
static void ring_wake(struct srv *s)
{
	struct calls *k = s->calls;

	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	k->poke = true;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
}

void calls_stop(struct srv *s)
{
	struct calls *k = s->calls;

	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	k->stop = true;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
	pthread_join(k->thread, NULL);
	pthread_cond_destroy(&k->wake);
	pthread_mutex_destroy(&k->lock);
	free(k);
	s->calls = NULL;
}

/* ---- placing a call ------------------------------------------------------------ */

static char *new_call_id(void)
{
	uint8_t raw[16];
	char b64[sodium_base64_ENCODED_LEN(sizeof raw,
			sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return xstrdup(b64);
}

/* j's `name` as an object of at most CALL_SDP_MAX bytes, encoded into
 * *text (new); -1 with r filled (400). */
static int sdp_field(json_t *j, const char *name, char **text,
		     struct reply *r)
{
	json_t *v = json_object_get(j, name);

	*text = NULL;
	if (!json_is_object(v)) {
		reply_error(r, 400, "bad_request", "field '%s' must be an "
			    "object (the session description)", name);
		return -1;
	}
	*text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!*text || strlen(*text) > CALL_SDP_MAX) {
		free(*text);
		*text = NULL;
		reply_error(r, 400, "bad_request", "field '%s' is larger than "
			    "%d bytes", name, CALL_SDP_MAX);
		return -1;
	}
	return 0;
}

/* Whether the callee can take a call now (lock held). */
static enum srv_call_state reachable(struct srv *s, int64_t callee)
{
	enum srv_state st;
	char *note = NULL;
	int64_t since;

	/* no session there: offline, as the directory shows them */
	if (!presence_user_there(s, callee))
		return CALL_OFFLINE;
	srv_presence_get(s->db, callee, &st, &note, &since);
	free(note);
	if (st == ST_OFFLINE)	/* chose to appear offline */
		return CALL_OFFLINE;
	return st == ST_DND ? CALL_DND : CALL_RINGING;
}

void api_calls_post(struct req *q, struct reply *r)
{
	struct srv *s = q->s;
	struct srv_user u = { 0 };
	struct srv_call c = { 0 };
	const char *to;
	char *offer = NULL;
	json_t *j;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	if (json_field(j, "to", true, 254, &to, r) < 0 ||
	    sdp_field(j, "offer", &offer, r) < 0)
		goto out;
	c.video = wants_video(json_object_get(j, "offer"));
	pthread_mutex_lock(&s->lock);
	presence_seen(s, q->session_id, q->user->id);
	if (srv_user_find(s->db, to, &u) < 0 ||
	    u.company_id != q->user->company_id || u.disabled) {
		reply_error(r, 404, "not_found", "no user '%s'", to);
	} else if (u.id == q->user->id) {
		reply_error(r, 400, "bad_request", "field 'to': that is you");
	} else if (q->user->disabled) {
		reply_error(r, 403, "forbidden", "your account is disabled");
	} else if (c.video && !(q->user->perms & PERM_VIDEO)) {
		reply_error(r, 403, "forbidden", "video calls need the video "
			    "permission: call without video, or ask an "
			    "admin for it");
	} else {
		c.id = new_call_id();
		c.company_id = q->user->company_id;
		c.caller_id = q->user->id;
		c.callee_id = u.id;
		c.caller_session = q->session_id;
		c.state = reachable(s, u.id);
		c.offer = offer;
		offer = NULL;
		c.created = time(NULL);
		c.ring_until = unix_ms() +
			       (int64_t)s->conf.call_ring_timeout * 1000;
		c.caller = xstrdup(q->user->username);
		c.caller_name = xstrdup(q->user->name);
		c.callee = xstrdup(u.username);
		c.callee_name = xstrdup(u.name);
		if (c.state != CALL_RINGING)
			c.ended_at = c.created;
		db_begin(s->db);
		if (srv_call_add(s->db, &c) < 0) {
			db_rollback(s->db);
			reply_error(r, 500, "internal", "cannot store the call");
		} else {
			/* the invite; offline and dnd: a missed call notice */
			json_t *d = event_data(&c, srv_call_state_name(c.state));
			if (c.state == CALL_RINGING) {
				json_object_set(d, "offer",
						json_object_get(j, "offer"));
				json_object_set_new(d, "ring_until",
					json_integer((c.ring_until + 999) /
						     1000));
			}
			calls_push_callee(s, &c, "call", d, true);
			json_decref(d);
			db_commit(s->db);
			if (c.state == CALL_RINGING)
				ring_wake(s);
			log_info("calls", "%s: %s calls %s%s: %s", c.id,
				 c.caller, c.callee, c.video ? " (video)" : "",
				 srv_call_state_name(c.state));
			reply_call(q, r, &c);
			r->status = 201;
		}
	}
	pthread_mutex_unlock(&s->lock);
out:
	free(offer);
	srv_call_clear(&c);
	srv_user_clear(&u);
	json_decref(j);
}

void api_calls_list(struct req *q, struct reply *r)
{
	struct srv_call *v;
	size_t n;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	presence_seen(q->s, q->session_id, q->user->id);
	int rc = srv_calls_live(q->s->db, q->user->id, LIVE_MAX, &v, &n);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, 500, "internal", "cannot read the calls");
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, call_json(&v[i]));
	srv_calls_free(v, n);
	r->json = json_pack("{s:o,s:I}", "calls", a, "session",
			    (json_int_t)q->session_id);
}

/* ---- one call ---------------------------------------------------------------------- */

/* The call named by q's path ("ID" or "ID/verb"), of which the signed-in
 * user is a party; *side: which (lock held).  -1 with r filled (404:
 * nobody else learns whether it exists). */
int calls_load(struct req *q, struct reply *r, struct srv_call *c,
		enum side *side)
{
	char id[CALL_ID_MAX + 1];
	size_t n = strcspn(q->rest, "/");
	bool ok = n > 0 && n <= CALL_ID_MAX;

	for (size_t i = 0; ok && i < n; i++) {
		char ch = q->rest[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		     (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
	}
	if (ok) {
		memcpy(id, q->rest, n);
		id[n] = '\0';
	}
	if (!ok || srv_call_get(q->s->db, id, c) < 0 ||
	    (c->caller_id != q->user->id && c->callee_id != q->user->id)) {
		srv_call_clear(c);
		reply_error(r, 404, "not_found", "no call '%.*s'",
			    (int)(n > CALL_ID_MAX ? CALL_ID_MAX : n), q->rest);
		return -1;
	}
	*side = c->caller_id == q->user->id ? CALLER : CALLEE;
	presence_seen(q->s, q->session_id, q->user->id);
	return 0;
}

/* An optional JSON body: NULL with nothing sent; -1 with r filled. */
static int opt_body(struct req *q, struct reply *r, json_t **j)
{
	*j = NULL;
	if (!q->len)
		return 0;
	return (*j = req_json(q, r)) ? 0 : -1;
}

void api_call_get(struct req *q, struct reply *r)
{
	struct srv_call c;
	enum side side;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (calls_load(q, r, &c, &side) == 0) {
		reply_call(q, r, &c);
		srv_call_clear(&c);
	}
	pthread_mutex_unlock(&q->s->lock);
}

/* 409 for a step the call's state does not allow. */
static void conflict(struct reply *r, const struct srv_call *c,
		     const char *verb)
{
	const char *hint = c->state == CALL_RINGING ?
		" (it is not answered yet: the caller cancels, the callee "
		"rejects)" : c->state == CALL_ANSWERED ?
		" (it is answered: hang up instead)" : "";

	reply_error(r, 409, "conflict", "cannot %s call %s: it is %s%s", verb,
		    c->id, srv_call_state_name(c->state), hint);
}

void api_call_ringing(struct req *q, struct reply *r)
{
	struct srv_call c;
	enum side side;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (calls_load(q, r, &c, &side) < 0)
		goto out;
	if (side != CALLEE) {
		reply_error(r, 403, "forbidden", "only %s's clients ring for "
			    "this call", c.callee);
	} else if (c.state != CALL_RINGING) {
		conflict(r, &c, "ring for");
	} else {
		json_t *d = event_data(&c, "ringing");
		json_object_set_new(d, "session", json_integer(q->session_id));
		calls_push_caller(q->s, &c, "call", d);
		json_decref(d);
		reply_call(q, r, &c);
	}
	srv_call_clear(&c);
out:
	pthread_mutex_unlock(&q->s->lock);
}

void api_call_answer(struct req *q, struct reply *r)
{
	struct srv *s = q->s;
	struct srv_call c = { 0 };
	enum side side;
	char *answer = NULL;
	json_t *j;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	if (sdp_field(j, "answer", &answer, r) < 0)
		goto out;
	bool video = wants_video(json_object_get(j, "answer"));
	pthread_mutex_lock(&s->lock);
	if (calls_load(q, r, &c, &side) < 0) {
		pthread_mutex_unlock(&s->lock);
		goto out;
	}
	int rc = -EALREADY;
	if (side != CALLEE)
		reply_error(r, 403, "forbidden", "only %s answers this call",
			    c.callee);
	else if (video && !(q->user->perms & PERM_VIDEO))
		reply_error(r, 403, "forbidden", "answering with video needs "
			    "the video permission: answer without video");
	else if (c.state == CALL_ANSWERED)
		reply_error(r, 409, "conflict", "call %s was answered "
			    "already%s", c.id, c.answer_session ==
			    q->session_id ? "" : " (elsewhere)");
	else if (c.state != CALL_RINGING)
		conflict(r, &c, "answer");
	else if ((rc = srv_call_answer(s->db, c.id, q->session_id, answer,
				       time(NULL))) == -EALREADY)
		reply_error(r, 409, "conflict", "call %s was answered or ended "
			    "meanwhile", c.id);
	else if (rc < 0)
		reply_error(r, 500, "internal", "cannot store the answer");
	if (rc == 0) {
		c.state = CALL_ANSWERED;
		c.answer_session = q->session_id;
		c.answered_at = time(NULL);
		free(c.answer);
		c.answer = answer;
		answer = NULL;
		json_t *d = event_data(&c, "answered");
		json_object_set_new(d, "session", json_integer(q->session_id));
		db_begin(s->db);
		/* the others stop ringing; the answering one sees its id */
		json_object_set_new(d, "state",
				    json_string("answered-elsewhere"));
		calls_push_callee(s, &c, "call", d, true);
		json_object_set_new(d, "state", json_string("answered"));
		json_object_set(d, "answer", json_object_get(j, "answer"));
		calls_push_caller(s, &c, "call", d);
		db_commit(s->db);
		json_decref(d);
		log_info("calls", "%s: answered by %s (session %lld)", c.id,
			 c.callee, (long long)q->session_id);
		reply_call(q, r, &c);
	}
	srv_call_clear(&c);
	pthread_mutex_unlock(&s->lock);
out:
	free(answer);
	json_decref(j);
}

/* The steps that end a call. */
static const struct end_step {
	const char *verb;
	enum side who;		/* may take it */
	enum srv_call_state from, to;
} steps[] = {
	{ "reject", CALLEE, CALL_RINGING, CALL_REJECTED },
	{ "answer busy to", CALLEE, CALL_RINGING, CALL_BUSY },
	{ "cancel", CALLER, CALL_RINGING, CALL_CANCELLED },
	{ "hang up", CALLER | CALLEE, CALL_ANSWERED, CALL_ENDED },
};

static void end_call(struct req *q, struct reply *r,
		     const struct end_step *e)
{
	struct srv *s = q->s;
	struct srv_call c;
	enum side side;
	const char *reason = NULL;
	json_t *j;
	int rc;

	if (auth_require(q, r) < 0 || opt_body(q, r, &j) < 0)
		return;
	if (j && json_field(j, "reason", false, REASON_MAX, &reason, r) < 0)
		goto out;
	pthread_mutex_lock(&s->lock);
	if (calls_load(q, r, &c, &side) < 0) {
		pthread_mutex_unlock(&s->lock);
		goto out;
	}
	if (!(side & e->who)) {
		reply_error(r, 403, "forbidden", "only %s can %s this call",
			    e->who == CALLER ? c.caller : c.callee, e->verb);
	} else if (c.state != e->from) {
		conflict(r, &c, e->verb);
	} else if ((rc = srv_call_end(s->db, c.id, e->from, e->to,
				      q->user->id, reason, time(NULL))) < 0) {
		if (rc == -EALREADY)
			reply_error(r, 409, "conflict", "call %s changed "
				    "meanwhile: ask for it again", c.id);
		else
			reply_error(r, 500, "internal", "cannot store the "
				    "call's end");
	} else {
		c.state = e->to;
		c.ended_at = time(NULL);
		c.ended_by = q->user->id;
		str_set(&c.end_reason, reason);
		push_end(s, &c, q->user, q->session_id);
		reply_call(q, r, &c);
	}
	srv_call_clear(&c);
	pthread_mutex_unlock(&s->lock);
out:
	json_decref(j);
}

void api_call_reject(struct req *q, struct reply *r)
{
	end_call(q, r, &steps[0]);
}

void api_call_busy(struct req *q, struct reply *r)
{
	end_call(q, r, &steps[1]);
}

void api_call_cancel(struct req *q, struct reply *r)
{
	end_call(q, r, &steps[2]);
}

void api_call_hangup(struct req *q, struct reply *r)
{
	end_call(q, r, &steps[3]);
}
