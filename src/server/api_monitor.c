/* src/server/api_monitor: the online monitor and contact requests.
 *
 * To watch a colleague's presence you ask them (POST /v1/monitor); they
 * accept or decline (POST /v1/monitor/accept|decline); only accepted
 * watchers see presence, and get "presence" events when it changes.  Each
 * step is an event to the other side: contact_request, contact_accepted,
 * contact_declined.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static json_t *watch_json(struct srv *s, const struct srv_watch_entry *w,
			  bool incoming)
{
	static const char *const names[] = { "none", "pending", "accepted",
					      "declined" };
	json_t *j = json_pack("{s:s,s:s?,s:s?,s:s?}", "username",
			      w->e.u.username, "name", w->e.u.name, "email",
			      w->e.u.email, "message", w->message);

	(void)s;
	if (!incoming)
		json_object_set_new(j, "status",
				    json_string(names[w->status]));
	if (w->status == W_ACCEPTED)
		json_object_set_new(j, "presence", json_pack("{s:s,s:s?,s:I}",
			"state", srv_state_name(w->e.state), "note", w->e.note,
			"since", (json_int_t)w->e.since));
	return j;
}

void api_monitor_list(struct req *q, struct reply *r)
{
	struct srv_watch_entry *out = NULL, *in = NULL;
	size_t nout = 0, nin = 0;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_monitor_list(q->s->db, q->user->id, false, &out, &nout);
	if (rc == 0)
		rc = srv_monitor_list(q->s->db, q->user->id, true, &in, &nin);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, 500, "internal", "cannot read the monitor");
	} else {
		json_t *a = json_array(), *b = json_array();
		for (size_t i = 0; i < nout; i++)
			json_array_append_new(a, watch_json(q->s, &out[i],
							    false));
		for (size_t i = 0; i < nin; i++)
			json_array_append_new(b, watch_json(q->s, &in[i], true));
		r->json = json_pack("{s:o,s:o}", "watching", a, "requests", b);
	}
	srv_watch_entries_free(out, nout);
	srv_watch_entries_free(in, nin);
}

/* Signed in, and a body with "user" (and "message"): unlocked part. */
static json_t *parse(struct req *q, struct reply *r, const char **name,
		     const char **message)
{
	json_t *j;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return NULL;
	if (json_field(j, "user", true, 254, name, r) < 0 ||
	    (message && json_field(j, "message", false, 500, message, r) < 0)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* `name` of the caller's company, not the caller (database locked). */
static int target(struct req *q, struct reply *r, const char *name,
		  struct srv_user *u)
{
	if (srv_user_find(q->s->db, name, u) < 0 ||
	    u->company_id != q->user->company_id || u->disabled) {
		srv_user_clear(u);
		reply_error(r, 404, "not_found", "no user '%s'", name);
		return -1;
	}
	if (u->id == q->user->id) {
		srv_user_clear(u);
		reply_error(r, 400, "bad_request", "field 'user': that is you");
		return -1;
	}
	return 0;
}

void api_monitor_request(struct req *q, struct reply *r)
{
	struct srv_user u = { 0 };
	const char *name, *msg = NULL;
	enum srv_watch w;
	json_t *j = parse(q, r, &name, &msg);

	if (!j)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (target(q, r, name, &u) < 0)
		goto out;
	srv_monitor_get(q->s->db, q->user->id, u.id, &w);
	if (w == W_ACCEPTED) {
		r->json = json_pack("{s:s}", "status", "accepted");
	} else if (srv_monitor_set(q->s->db, q->user->id, u.id, W_PENDING,
				   msg) < 0) {
		reply_error(r, 500, "internal", "cannot store the request");
	} else {
		json_t *d = json_pack("{s:s,s:s?,s:s?}", "from",
				      q->user->username, "name", q->user->name,
				      "message", msg);
		event_push(q->s, u.id, "contact_request", d);
		json_decref(d);
		/* and in their inbox, where they look for what is new */
		char *text = xasprintf("%s asks to add you to their online "
				       "monitor.%s%s", q->user->name ?
				       q->user->name : q->user->username,
				       msg && *msg ? "\n\n" : "",
				       msg ? msg : "");
		msg_system(q->s, q->user->company_id, q->user->id, u.id,
			   "contact_request", "Contact request", text);
		free(text);
		r->status = 202;
		r->json = json_pack("{s:s}", "status", "pending");
	}
out:
	pthread_mutex_unlock(&q->s->lock);
	srv_user_clear(&u);
	json_decref(j);
}

/* The caller answers `user`'s request to watch them. */
static void answer(struct req *q, struct reply *r, bool yes)
{
	struct srv_user u = { 0 };
	const char *name;
	enum srv_watch w;
	json_t *j = parse(q, r, &name, NULL);

	if (!j)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (target(q, r, name, &u) < 0)
		goto out;
	srv_monitor_get(q->s->db, u.id, q->user->id, &w);
	if (w != W_PENDING && !(yes && w == W_ACCEPTED)) {
		reply_error(r, 404, "not_found", "%s has not asked to add you",
			    u.username);
	} else if (srv_monitor_set(q->s->db, u.id, q->user->id,
				   yes ? W_ACCEPTED : W_DECLINED, NULL) < 0) {
		reply_error(r, 500, "internal", "cannot store the answer");
	} else {
		enum srv_state st;
		char *note;
		int64_t since;
		srv_presence_get(q->s->db, q->user->id, &st, &note, &since);
		json_t *d = yes ?
			json_pack("{s:s,s:s?,s:s,s:s?}", "user",
				  q->user->username, "name", q->user->name,
				  "state", srv_state_name(st), "note", note) :
			json_pack("{s:s}", "user", q->user->username);
		event_push(q->s, u.id, yes ? "contact_accepted" :
					    "contact_declined", d);
		json_decref(d);
		free(note);
		r->json = json_pack("{s:s}", "status", yes ? "accepted" :
							      "declined");
	}
out:
	pthread_mutex_unlock(&q->s->lock);
	srv_user_clear(&u);
	json_decref(j);
}

void api_monitor_accept(struct req *q, struct reply *r)
{
	answer(q, r, true);
}

void api_monitor_decline(struct req *q, struct reply *r)
{
	answer(q, r, false);
}

void api_monitor_remove(struct req *q, struct reply *r)
{
	struct srv_user u;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (srv_user_find(q->s->db, q->rest, &u) < 0 ||
	    u.company_id != q->user->company_id ||
	    srv_monitor_remove(q->s->db, q->user->id, u.id) < 0)
		reply_error(r, 404, "not_found", "'%s' is not in your monitor",
			    q->rest);
	else
		r->json = json_pack("{s:s}", "status", "removed");
	srv_user_clear(&u);
	pthread_mutex_unlock(&q->s->lock);
}
