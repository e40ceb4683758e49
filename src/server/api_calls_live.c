/* src/server/api_calls_live: signalling within a call that is under way
 * (see api_calls.c for the whole list):
 *
 *   POST /v1/calls/ID/candidate     {"candidate","mid","index"} or
 *                                   {"end":true}: trickle ICE
 *   POST /v1/calls/ID/hold          {"on": true|false}: either party puts
 *                                   the answered call on hold, or back
 */
#include "server/calls_int.h"
#include "common/str.h"

#include <pthread.h>
#include <string.h>

#define CANDIDATE_MAX 1024

/* {"candidate": "...", "mid"?, "index"?} or {"end": true}, checked into
 * a new event body; NULL with r filled. */
static json_t *candidate_data(json_t *j, struct reply *r)
{
	const char *cand, *mid;
	json_t *end = json_object_get(j, "end"), *idx;

	if (json_is_true(end))
		return json_pack("{s:b}", "end", 1);
	if (end && !json_is_false(end)) {
		reply_error(r, 400, "bad_request", "field 'end' must be true "
			    "or false");
		return NULL;
	}
	if (json_field(j, "candidate", true, CANDIDATE_MAX, &cand, r) < 0 ||
	    json_field(j, "mid", false, 64, &mid, r) < 0)
		return NULL;
	if (!*cand) {
		reply_error(r, 400, "bad_request", "field 'candidate' is empty "
			    "(the end of candidates is {\"end\": true})");
		return NULL;
	}
	idx = json_object_get(j, "index");
	if (idx && !json_is_null(idx) &&
	    (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
	     json_integer_value(idx) > 255)) {
		reply_error(r, 400, "bad_request", "field 'index' must be a "
			    "number from 0 to 255");
		return NULL;
	}
	json_t *d = json_pack("{s:s}", "candidate", cand);
	if (mid)
		json_object_set_new(d, "mid", json_string(mid));
	if (json_is_integer(idx))
		json_object_set(d, "index", idx);
	return d;
}

void api_call_candidate(struct req *q, struct reply *r)
{
	struct srv *s = q->s;
	struct srv_call c;
	enum side side;
	json_t *j, *d = NULL;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	if (!(d = candidate_data(j, r)))
		goto out;
	pthread_mutex_lock(&s->lock);
	if (calls_load(q, r, &c, &side) < 0) {
		pthread_mutex_unlock(&s->lock);
		goto out;
	}
	if (!calls_live(c.state)) {
		reply_error(r, 409, "conflict", "call %s is %s: no more "
			    "candidates", c.id, srv_call_state_name(c.state));
	} else if (side == CALLER && q->session_id != c.caller_session) {
		reply_error(r, 409, "conflict", "call %s was placed from "
			    "another session", c.id);
	} else if (side == CALLEE && c.state != CALL_ANSWERED) {
		reply_error(r, 409, "conflict", "answer call %s before "
			    "sending candidates", c.id);
	} else if (side == CALLEE && q->session_id != c.answer_session) {
		reply_error(r, 409, "conflict", "call %s was answered "
			    "elsewhere", c.id);
	} else {
		json_object_set_new(d, "id", json_string(c.id));
		json_object_set_new(d, "from", json_string(q->user->username));
		json_object_set_new(d, "session", json_integer(q->session_id));
		if (side == CALLER)	/* ringing: to every callee session */
			calls_push_callee(s, &c, "call-candidate", d, false);
		else
			calls_push_caller(s, &c, "call-candidate", d);
		r->json = json_pack("{s:s,s:s,s:I}", "id", c.id, "status",
				    "sent", "session",
				    (json_int_t)q->session_id);
	}
	srv_call_clear(&c);
	pthread_mutex_unlock(&s->lock);
out:
	json_decref(d);
	json_decref(j);
}

/* {"on": true|false}: the party's session that holds the answered call
 * puts it on hold or takes it back; the other hears a "call-hold" event
 * {"id", "from", "on"}, so its screen can say so.  (The media stop on the
 * holding side, between the clients.) */
void api_call_hold(struct req *q, struct reply *r)
{
	struct srv *s = q->s;
	struct srv_call c;
	enum side side;
	json_t *j, *on;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	on = json_object_get(j, "on");
	if (!json_is_boolean(on)) {
		reply_error(r, 400, "bad_request", "field 'on' must be true "
			    "or false");
		goto out;
	}
	pthread_mutex_lock(&s->lock);
	if (calls_load(q, r, &c, &side) < 0) {
		pthread_mutex_unlock(&s->lock);
		goto out;
	}
	if (c.state != CALL_ANSWERED) {
		reply_error(r, 409, "conflict", "call %s is %s: only an "
			    "answered call can be held", c.id,
			    srv_call_state_name(c.state));
	} else if (q->session_id != (side == CALLER ? c.caller_session :
						      c.answer_session)) {
		reply_error(r, 409, "conflict", "call %s is taken on another "
			    "session", c.id);
	} else {
		json_t *d = json_pack("{s:s,s:s,s:b}", "id", c.id, "from",
				      q->user->username, "on",
				      json_is_true(on));
		if (side == CALLER)
			calls_push_callee(s, &c, "call-hold", d, false);
		else
			calls_push_caller(s, &c, "call-hold", d);
		json_decref(d);
		r->json = json_pack("{s:s,s:b,s:I}", "id", c.id, "on",
				    json_is_true(on), "session",
				    (json_int_t)q->session_id);
	}
	srv_call_clear(&c);
	pthread_mutex_unlock(&s->lock);
out:
	json_decref(j);
}
