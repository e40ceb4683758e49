/* src/server/events: the per-user event log over HTTP.
 *
 *   GET /v1/events?cursor=N&timeout=S
 *
 * answers at once with the events after N, or waits up to S seconds
 * (default 25, at most 60) for the first one.  Without a cursor it answers
 * at once with no events and the current cursor, for a client starting
 * afresh.  Events are kept in the database, so a client that remembers
 * its cursor misses nothing across reconnects and server restarts.
 * Polling is also how a session shows it is still there (presence.c).
 */
#include "server/server.h"
#include "store/server.h"
#include "store/db.h"
#include "common/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_MAX 200		/* per answer */
#define WAIT_DEFAULT 25
#define WAIT_MAX 60

int event_push(struct srv *s, int64_t user, const char *kind, json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = text ? srv_event_add(s->db, user, kind, text, NULL) : -1;

	free(text);
	if (rc == 0)
		hub_notify(s, user);
	return rc;
}

void event_presence(struct srv *s, int64_t user)
{
	struct srv_user u;
	enum srv_state st;
	char *note;
	int64_t since, *w;
	size_t n;

	if (srv_user_get(s->db, user, &u) < 0)
		return;
	srv_presence_get(s->db, user, &st, &note, &since);
	if (srv_monitor_watchers(s->db, user, &w, &n) == 0) {
		json_t *d = json_pack("{s:s,s:s?,s:s,s:s?,s:I}", "user",
				      u.username, "name", u.name, "state",
				      srv_state_name(st), "note", note, "since",
				      (json_int_t)since);
		/* one transaction and one encoding for every watcher: a
		 * commit each cost 20-70 ms for 1000 of them, all under the
		 * lock the watchers' polls wait for */
		char *text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
		db_begin(s->db);
		for (size_t i = 0; text && i < n; i++)
			if (srv_event_add(s->db, w[i], "presence", text,
					  NULL) == 0)
				hub_notify(s, w[i]);
		db_commit(s->db);
		free(text);
		json_decref(d);
		free(w);
	}
	free(note);
	srv_user_clear(&u);
}

static int int_arg(const char *v, long lo, long hi, long *out)
{
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi)
		return -1;
	*out = n;
	return 1;
}

/* An answer to a poll that was suspended (lock held): presence.c counted
 * the session as there until now. */
static void poll_done(struct srv *s, struct events_wait *w, bool resumed)
{
	if (resumed)
		presence_poll_end(s, w->session, w->user, w->inst);
	w->waiting = false;
}

int api_events(struct req *q, struct reply *r, struct events_wait *w)
{
	struct srv *s = q->s;
	struct srv_event *v;
	size_t n;
	bool resumed = w->waiting;

	if (!w->waiting) {	/* a new request */
		long cursor = -1, timeout = WAIT_DEFAULT;
		if (auth_require(q, r) < 0)
			return 0;
		if (int_arg(req_query(q, "cursor"), 0, LONG_MAX / 2,
			    &cursor) < 0 ||
		    int_arg(req_query(q, "timeout"), 0, WAIT_MAX,
			    &timeout) < 0) {
			reply_error(r, 400, "bad_request", "parameters: cursor "
				    "is a number >= 0, timeout 0 to %d seconds",
				    WAIT_MAX);
			return 0;
		}
		w->user = q->user->id;
		w->session = q->session_id;
		w->inst = presence_inst(req_query(q, "instance"));
		w->cursor = cursor;
		w->deadline_ms = hub_now_ms() + timeout * 1000;
	}
	pthread_mutex_lock(&s->lock);
	/* first, so a presence brought back is stored before events are read */
	if (!resumed && !presence_gone(s, w->session, w->inst))
		presence_seen(s, w->session, w->user);
	if (w->cursor < 0) {	/* starting afresh: where the log is now */
		r->json = json_pack("{s:[],s:I}", "events", "cursor",
				    (json_int_t)srv_event_last(s->db, w->user));
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	if (srv_events_since(s->db, w->user, w->cursor, EVENTS_MAX, &v,
			     &n) < 0) {
		poll_done(s, w, resumed);
		pthread_mutex_unlock(&s->lock);
		reply_error(r, 500, "internal", "cannot read events");
		return 0;
	}
	if (n == 0 && hub_now_ms() < w->deadline_ms && !hub_stopping(s)) {
		if (!resumed)
			presence_poll_begin(s, w->session, w->user, w->inst,
					    w->deadline_ms);
		w->waiting = true;
		hub_wait(s, q->conn, w->user, w->deadline_ms);
		pthread_mutex_unlock(&s->lock);
		return 1;
	}
	poll_done(s, w, resumed);
	pthread_mutex_unlock(&s->lock);
	json_t *arr = json_array();
	int64_t last = w->cursor;
	for (size_t i = 0; i < n; i++) {
		json_error_t e;
		json_t *d = json_loads(v[i].data, 0, &e);
		json_array_append_new(arr, json_pack("{s:I,s:s,s:I,s:o}", "id",
			(json_int_t)v[i].id, "kind", v[i].kind, "at",
			(json_int_t)v[i].at, "data", d ? d : json_object()));
		last = v[i].id;
	}
	srv_events_free(v, n);
	r->json = json_pack("{s:o,s:I}", "events", arr, "cursor",
			    (json_int_t)last);
	return 0;
}
