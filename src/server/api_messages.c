/* src/server/api_messages: messages between users of a company.
 *
 *   POST   /v1/messages          {"to":["bob"],"subject","body","key",
 *                                 "reply_to":ID,"attachments":[ID],"kind"}
 *                                 or {"messages":[...]} (up to 500, one
 *                                 transaction; a result per item)
 *   GET    /v1/messages?since=REV&limit=N   entries changed after REV
 *   GET    /v1/messages/ID
 *   PATCH  /v1/messages/ID       {"read":true,"folder":"inbox"}
 *   DELETE /v1/messages/ID       to the trash; ?purge=1 for good
 *   POST   /v1/announcements     {"subject","body","markets":[],
 *                                 "regions":[],"expires":T,"key"}
 *   POST   /v1/reminders         {"to","at":T,"text","key"}
 *   (attachments: api_attach.c)
 *
 * IDs in /v1/messages/ID are mailbox entries: each user has their own
 * entry (folder, read mark) for each message they sent or received.  A
 * "key" is the sender's idempotency key: sending again with the same key
 * answers with the message stored the first time (200 instead of 201),
 * so a client that lost the answer retries without sending twice.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BATCH_MAX 500
#define TO_MAX 500
#define ATT_PER_MSG 10
#define KEY_MAX 128
#define PAGE_DEFAULT 500
#define PAGE_MAX 5000
#define REMIND_AHEAD (5 * 366 * 24 * 3600)	/* at most five years */

json_t *msg_json(const struct srv_msg *m)
{
	json_t *j = json_pack("{s:I,s:I,s:I,s:s,s:s}", "id",
			      (json_int_t)m->entry, "message",
			      (json_int_t)m->id, "rev", (json_int_t)m->rev,
			      "kind", m->kind, "folder", m->folder);

	if (m->purged) {
		json_object_set_new(j, "purged", json_true());
		return j;
	}
	json_object_set_new(j, "read", json_boolean(m->read));
	json_object_set_new(j, "outgoing", json_boolean(m->outgoing));
	if (m->sender)
		json_object_set_new(j, "from", json_string(m->sender));
	if (m->sender_name)
		json_object_set_new(j, "from_name",
				    json_string(m->sender_name));
	json_t *to = json_array();
	for (const char *p = m->recipients; p && *p;) {
		size_t n = strcspn(p, "\n");
		if (n)
			json_array_append_new(to, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	json_object_set_new(j, "to", to);
	if (m->subject)
		json_object_set_new(j, "subject", json_string(m->subject));
	json_object_set_new(j, "body", json_string(m->body ? m->body : ""));
	json_object_set_new(j, "created", json_integer(m->created));
	if (m->reply_to)
		json_object_set_new(j, "reply_to", json_integer(m->reply_to));
	if (m->deliver_at)
		json_object_set_new(j, "deliver_at",
				    json_integer(m->deliver_at));
	if (m->expires)
		json_object_set_new(j, "expires", json_integer(m->expires));
	json_t *att = json_array();
	for (size_t i = 0; i < m->natt; i++)
		json_array_append_new(att, json_pack("{s:I,s:s,s:s,s:I,s:s}",
			"id", (json_int_t)m->att[i].id, "name", m->att[i].name,
			"type", m->att[i].type, "size",
			(json_int_t)m->att[i].size, "sha256",
			m->att[i].sha256));
	json_object_set_new(j, "attachments", att);
	return j;
}

void msg_notify(struct srv *s, int64_t user, int64_t entry)
{
	struct srv_msg m;
	json_t *d;

	if (entry && srv_mailbox_get(s->db, user, entry, &m) == 0) {
		d = msg_json(&m);
		srv_msg_clear(&m);
		json_object_set_new(d, "unread", json_integer(
			srv_mailbox_unread(s->db, user)));
		event_push(s, user, "message", d);
	} else {
		d = json_pack("{s:I,s:I}", "rev",
			      (json_int_t)srv_mailbox_rev(s->db, user),
			      "unread",
			      (json_int_t)srv_mailbox_unread(s->db, user));
		event_push(s, user, "mailbox", d);
	}
	json_decref(d);
}

/* The inbox entries of a message just stored, each announced. */
static void notify_all(struct srv *s, int64_t id, const int64_t *to,
		       size_t n, int64_t sender)
{
	for (size_t i = 0; i < n; i++)
		msg_notify(s, to[i], srv_msg_entry(s->db, to[i], id, false));
	if (sender)
		msg_notify(s, sender, 0);
}

int msg_system(struct srv *s, int64_t company, int64_t from, int64_t to,
	       const char *kind, const char *subject, const char *body)
{
	struct srv_user u;
	struct srv_msg_new m = { .company_id = company, .sender_id = from,
				 .kind = kind, .subject = subject,
				 .body = body, .to = &to, .nto = 1,
				 .no_copy = true };
	int64_t id;
	bool existed;
	int rc;

	if (srv_user_get(s->db, to, &u) < 0)
		return -1;
	m.recipients = u.username;
	rc = srv_msg_add(s->db, &m, &id, &existed);
	if (rc == 0)
		notify_all(s, id, &to, 1, 0);
	srv_user_clear(&u);
	return rc;
}

/* ---- checking what clients send ------------------------------------------------- */

/* An entry id from q->rest ("123"); -1 with r filled. */
static int64_t rest_id(struct req *q, struct reply *r, const char *what)
{
	char *end;
	long long v = strtoll(q->rest ? q->rest : "", &end, 10);

	if (!q->rest || end == q->rest || *end || v <= 0) {
		reply_error(r, 404, "not_found", "no such %s: %s", what,
			    q->rest ? q->rest : "");
		return -1;
	}
	return v;
}

static int opt_int(json_t *o, const char *name, int64_t lo, int64_t hi,
		   int64_t *out, struct reply *r)
{
	json_t *v = json_object_get(o, name);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		reply_error(r, 400, "bad_request", "field '%s' must be a "
			    "number from %lld to %lld", name, (long long)lo,
			    (long long)hi);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* A colleague by username or email: their id, or 0 with r filled. */
static int64_t colleague(struct req *q, struct reply *r, const char *name,
			 const char *field)
{
	struct srv_user u = { 0 };
	int64_t id = 0;

	if (srv_user_find(q->s->db, name, &u) < 0 ||
	    u.company_id != q->user->company_id)
		reply_error(r, 400, "unknown_user", "field '%s': no user %s "
			    "in your company", field, name);
	else if (u.disabled)
		reply_error(r, 400, "disabled", "field '%s': %s's account is "
			    "disabled", field, u.username);
	else
		id = u.id;
	srv_user_clear(&u);
	return id;
}

/* The "to" list: an array of names, or one string of names separated
 * by commas.  Fills ids (deduplicated) and the usernames, one a line. */
static int recipients(struct req *q, struct reply *r, json_t *to,
		      int64_t **ids, size_t *n, struct sbuf *names)
{
	json_t *list = NULL, *v;
	size_t i;
	int rc = -1;

	*ids = NULL;
	*n = 0;
	if (json_is_string(to)) {
		list = json_array();
		for (const char *p = json_string_value(to); *p;) {
			size_t len = strcspn(p, ",");
			char *one = xstrndup(p, len);
			str_trim(one);
			if (*one)
				json_array_append_new(list, json_string(one));
			free(one);
			p += len + (p[len] == ',');
		}
	} else if (json_is_array(to)) {
		list = json_incref(to);
	}
	if (!list || !json_array_size(list) || json_array_size(list) > TO_MAX) {
		reply_error(r, 400, "bad_request", "field 'to' must name 1 to "
			    "%d users", TO_MAX);
		goto out;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v) || json_string_length(v) > 254) {
			reply_error(r, 400, "bad_request", "field 'to' must be "
				    "a list of user names");
			goto out;
		}
		int64_t id = colleague(q, r, json_string_value(v), "to");
		if (!id)
			goto out;
		bool dup = false;
		for (size_t k = 0; k < *n; k++)
			dup |= (*ids)[k] == id;
		if (dup)
			continue;
		struct srv_user u;
		srv_user_get(q->s->db, id, &u);
		sbuf_printf(names, "%s%s", *n ? "\n" : "", u.username);
		srv_user_clear(&u);
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = id;
	}
	rc = 0;
out:
	json_decref(list);
	return rc;
}

static int attachments(struct req *q, struct reply *r, json_t *a,
		       int64_t **ids, size_t *n)
{
	json_t *v;
	size_t i;

	*ids = NULL;
	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > ATT_PER_MSG) {
		reply_error(r, 400, "bad_request", "field 'attachments' must "
			    "list at most %d attachment ids", ATT_PER_MSG);
		return -1;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || !srv_att_readable(q->s->db,
				q->user->id, json_integer_value(v))) {
			reply_error(r, 400, "bad_request", "field 'attachments':"
				    " no attachment %lld of yours",
				    json_is_integer(v) ? (long long)
				    json_integer_value(v) : -1LL);
			free(*ids);
			*ids = NULL;
			*n = 0;
			return -1;
		}
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = json_integer_value(v);
	}
	return 0;
}

/* The sender's entry of message id as the reply (lock held). */
static void sent_reply(struct req *q, struct reply *r, int64_t id,
		       bool existed)
{
	struct srv_msg m;
	int64_t e = srv_msg_entry(q->s->db, q->user->id, id, true);

	if (!e || srv_mailbox_get(q->s->db, q->user->id, e, &m) < 0) {
		/* stored, but the sender kept no copy (purged already) */
		r->status = existed ? 200 : 201;
		r->json = json_pack("{s:{s:I}}", "message", "message",
				    (json_int_t)id);
		return;
	}
	r->status = existed ? 200 : 201;
	r->json = json_pack("{s:o}", "message", msg_json(&m));
	srv_msg_clear(&m);
}

/* One message of a POST (lock held): fills r.  In a batch the sender's
 * other sessions hear of their sent entries once, after it. */
static void post_one(struct req *q, struct reply *r, json_t *j, bool batch)
{
	const char *subject, *body, *key, *kind;
	int64_t reply_to, *to = NULL, *att = NULL, id;
	size_t nto = 0, natt = 0;
	struct sbuf names;
	bool existed;

	sbuf_init(&names);
	if (!json_is_object(j)) {
		reply_error(r, 400, "bad_request", "a message must be a JSON "
			    "object");
		goto out;
	}
	if (json_field(j, "subject", false, MSG_SUBJECT_MAX, &subject, r) < 0 ||
	    json_field(j, "body", false, MSG_BODY_MAX, &body, r) < 0 ||
	    json_field(j, "key", false, KEY_MAX, &key, r) < 0 ||
	    json_field(j, "kind", false, 16, &kind, r) < 0 ||
	    opt_int(j, "reply_to", 1, INT64_MAX, &reply_to, r) < 0)
		goto out;
	if (!kind)
		kind = "text";
	if (strcmp(kind, "text") && strcmp(kind, "voicemail") &&
	    strcmp(kind, "videomail")) {
		reply_error(r, 400, "bad_request", "field 'kind' must be text, "
			    "voicemail or videomail");
		goto out;
	}
	if (key && !*key)
		key = NULL;
	if (recipients(q, r, json_object_get(j, "to"), &to, &nto, &names) < 0 ||
	    attachments(q, r, json_object_get(j, "attachments"), &att,
			&natt) < 0)
		goto out;
	if ((!body || !*body) && !natt) {
		reply_error(r, 400, "bad_request", "field 'body' is missing "
			    "(a message needs text or an attachment)");
		goto out;
	}
	if (reply_to && !srv_msg_entry(q->s->db, q->user->id, reply_to,
				       false) &&
	    !srv_msg_entry(q->s->db, q->user->id, reply_to, true)) {
		reply_error(r, 400, "bad_request", "field 'reply_to': no "
			    "message %lld of yours", (long long)reply_to);
		goto out;
	}
	struct srv_msg_new m = {
		.company_id = q->user->company_id, .sender_id = q->user->id,
		.kind = kind, .recipients = sbuf_str(&names),
		.subject = subject, .body = body ? body : "", .key = key,
		.reply_to = reply_to, .to = to, .nto = nto, .att = att,
		.natt = natt,
	};
	if (srv_msg_add(q->s->db, &m, &id, &existed) < 0) {
		reply_error(r, 500, "internal", "cannot store the message");
		goto out;
	}
	if (!existed)
		notify_all(q->s, id, to, nto, batch ? 0 : q->user->id);
	sent_reply(q, r, id, existed);
out:
	sbuf_free(&names);
	free(to);
	free(att);
}

void api_messages_post(struct req *q, struct reply *r)
{
	json_t *j, *batch;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	batch = json_object_get(j, "messages");
	if (!batch) {
		pthread_mutex_lock(&q->s->lock);
		db_begin(q->s->db);
		post_one(q, r, j, false);
		if (db_commit(q->s->db) < 0)	/* not stored after all */
			reply_error(r, 500, "internal", "cannot store the "
				    "message");
		pthread_mutex_unlock(&q->s->lock);
		json_decref(j);
		return;
	}
	if (!json_is_array(batch) || !json_array_size(batch) ||
	    json_array_size(batch) > BATCH_MAX) {
		reply_error(r, 400, "bad_request", "field 'messages' must list "
			    "1 to %d messages", BATCH_MAX);
		json_decref(j);
		return;
	}
	json_t *results = json_array(), *v;
	size_t i;
	pthread_mutex_lock(&q->s->lock);
	db_begin(q->s->db);	/* one commit for the lot */
	json_array_foreach(batch, i, v) {
		struct reply one = { 0 };
		post_one(q, &one, v, true);
		json_object_set_new(one.json, "status",
				    json_integer(one.status ? one.status :
						 200));
		json_array_append_new(results, one.json);
	}
	msg_notify(q->s, q->user->id, 0);
	int rc = db_commit(q->s->db);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {	/* none of them stored: the client sends them again */
		json_decref(results);
		reply_error(r, 500, "internal", "cannot store the messages");
	} else {
		r->json = json_pack("{s:o}", "results", results);
	}
	json_decref(j);
}

static bool str_to_ll(const char *a, long long lo, long long hi,
		      long long *out)
{
	char *end;
	long long v = strtoll(a, &end, 10);

	if (end == a || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

void api_messages_get(struct req *q, struct reply *r)
{
	const char *a;
	long long since = 0, limit = PAGE_DEFAULT;
	struct srv_msg *v;
	size_t n;

	if (auth_require(q, r) < 0)
		return;
	if ((a = req_query(q, "since")) && !str_to_ll(a, 0, INT64_MAX / 2,
						      &since)) {
		reply_error(r, 400, "bad_request", "parameter 'since' must be "
			    "a revision number");
		return;
	}
	if ((a = req_query(q, "limit")) && !str_to_ll(a, 1, PAGE_MAX,
						      &limit)) {
		reply_error(r, 400, "bad_request", "parameter 'limit' must be "
			    "1 to %d", PAGE_MAX);
		return;
	}
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_mailbox_since(q->s->db, q->user->id, since,
				   (size_t)limit + 1, &v, &n);
	int64_t unread = srv_mailbox_unread(q->s->db, q->user->id);
	int64_t top = srv_mailbox_rev(q->s->db, q->user->id);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, 500, "internal", "cannot read messages");
		return;
	}
	bool more = n > (size_t)limit;
	json_t *arr = json_array();
	int64_t rev = since;
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		json_array_append_new(arr, msg_json(&v[i]));
		rev = v[i].rev;
	}
	srv_msgs_free(v, n);
	if (!more && top > rev)
		rev = top;
	r->json = json_pack("{s:o,s:I,s:b,s:I}", "messages", arr, "rev",
			    (json_int_t)rev, "more", more, "unread",
			    (json_int_t)unread);
}

void api_message_get(struct req *q, struct reply *r)
{
	struct srv_msg m;
	int64_t id;

	if (auth_require(q, r) < 0 || (id = rest_id(q, r, "message")) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_mailbox_get(q->s->db, q->user->id, id, &m);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0 || m.purged) {
		if (rc == 0)
			srv_msg_clear(&m);
		reply_error(r, rc == -EIO ? 500 : 404, rc == -EIO ? "internal" :
			    "not_found", "no such message: %lld",
			    (long long)id);
		return;
	}
	r->json = json_pack("{s:o}", "message", msg_json(&m));
	srv_msg_clear(&m);
}

/* Change entry `id` of the user and answer with it (lock taken). */
static void change(struct req *q, struct reply *r, int64_t id, int read,
		   const char *folder, bool purge)
{
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_mailbox_update(q->s->db, q->user->id, id, read, folder,
				    purge);
	if (rc == 0) {
		msg_notify(q->s, q->user->id, 0);
		r->json = json_pack("{s:I,s:I}", "id", (json_int_t)id, "rev",
			(json_int_t)srv_mailbox_rev(q->s->db, q->user->id));
	}
	pthread_mutex_unlock(&q->s->lock);
	if (rc == -ENOENT)
		reply_error(r, 404, "not_found", "no such message: %lld",
			    (long long)id);
	else if (rc < 0)
		reply_error(r, 500, "internal", "cannot change the message");
}

void api_message_patch(struct req *q, struct reply *r)
{
	const char *folder;
	json_t *j, *rd;
	int64_t id;
	int read = -1;

	if (auth_require(q, r) < 0 || (id = rest_id(q, r, "message")) < 0 ||
	    !(j = req_json(q, r)))
		return;
	rd = json_object_get(j, "read");
	if (rd && !json_is_boolean(rd)) {
		reply_error(r, 400, "bad_request", "field 'read' must be true "
			    "or false");
		goto out;
	}
	if (rd)
		read = json_is_true(rd);
	if (json_field(j, "folder", false, 16, &folder, r) < 0)
		goto out;
	if (folder && strcmp(folder, "inbox") && strcmp(folder, "sent") &&
	    strcmp(folder, "trash")) {
		reply_error(r, 400, "bad_request", "field 'folder' must be "
			    "inbox, sent or trash");
		goto out;
	}
	change(q, r, id, read, folder, false);
out:
	json_decref(j);
}

void api_message_delete(struct req *q, struct reply *r)
{
	const char *p;
	int64_t id;

	if (auth_require(q, r) < 0 || (id = rest_id(q, r, "message")) < 0)
		return;
	p = req_query(q, "purge");
	change(q, r, id, -1, "trash", p && strcmp(p, "0") != 0);
}

/* ---- announcements and reminders ------------------------------------------------ */

/* A list field of names the company has in `have`, into one a line. */
static int targets(struct reply *r, json_t *j, const char *field,
		   char **have, size_t nhave, struct sbuf *out)
{
	json_t *a = json_object_get(j, field), *v;
	size_t i;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > 50) {
		reply_error(r, 400, "bad_request", "field '%s' must be a list",
			    field);
		return -1;
	}
	json_array_foreach(a, i, v) {
		bool ok = false;
		for (size_t k = 0; json_is_string(v) && k < nhave; k++)
			ok |= strcasecmp(have[k], json_string_value(v)) == 0;
		if (!ok) {
			reply_error(r, 400, "bad_request", "field '%s': the "
				    "company has no %.*s '%s'", field,
				    (int)strlen(field) - 1, field,
				    json_is_string(v) ? json_string_value(v)
						      : "?");
			return -1;
		}
		sbuf_printf(out, "%s%s", out->len ? "\n" : "",
			    json_string_value(v));
	}
	return 0;
}

void api_announce(struct req *q, struct reply *r)
{
	const char *subject, *body, *key;
	struct srv_company c = { 0 };
	struct sbuf markets, regions, label;
	int64_t expires, *to = NULL, id, now = time(NULL);
	size_t nto = 0;
	bool existed;
	json_t *j;

	if (auth_require(q, r) < 0)
		return;
	if (!(q->user->perms & (PERM_ANNOUNCE | PERM_ADMIN))) {
		reply_error(r, 403, "forbidden", "making announcements needs "
			    "the announcements permission");
		return;
	}
	if (!(j = req_json(q, r)))
		return;
	sbuf_init(&markets);
	sbuf_init(&regions);
	sbuf_init(&label);
	if (json_field(j, "subject", true, MSG_SUBJECT_MAX, &subject, r) < 0 ||
	    json_field(j, "body", false, MSG_BODY_MAX, &body, r) < 0 ||
	    json_field(j, "key", false, KEY_MAX, &key, r) < 0 ||
	    opt_int(j, "expires", now + 1, now + REMIND_AHEAD, &expires,
		    r) < 0)
		goto out;
	if (!*subject) {
		reply_error(r, 400, "bad_request", "field 'subject' is empty");
		goto out;
	}
	pthread_mutex_lock(&q->s->lock);
	db_begin(q->s->db);
	if (srv_company_get(q->s->db, q->user->company_id, &c) < 0 ||
	    targets(r, j, "markets", c.markets, c.nmarkets, &markets) < 0 ||
	    targets(r, j, "regions", c.regions, c.nregions, &regions) < 0 ||
	    srv_announce_audience(q->s->db, q->user->company_id,
				  sbuf_str(&markets), sbuf_str(&regions), &to,
				  &nto) < 0) {
		if (!r->json)
			reply_error(r, 500, "internal", "cannot find the "
				    "audience");
		goto unlock;
	}
	/* what "to" shows: the targets */
	if (!markets.len && !regions.len)
		sbuf_printf(&label, "everyone");
	for (const char *p = sbuf_str(&markets); *p;) {
		size_t n = strcspn(p, "\n");
		sbuf_printf(&label, "%smarket:%.*s", label.len ? "\n" : "",
			    (int)n, p);
		p += n + (p[n] == '\n');
	}
	for (const char *p = sbuf_str(&regions); *p;) {
		size_t n = strcspn(p, "\n");
		sbuf_printf(&label, "%sregion:%.*s", label.len ? "\n" : "",
			    (int)n, p);
		p += n + (p[n] == '\n');
	}
	struct srv_msg_new m = {
		.company_id = q->user->company_id, .sender_id = q->user->id,
		.kind = "announcement", .recipients = sbuf_str(&label),
		.subject = subject, .body = body ? body : "",
		.key = key && *key ? key : NULL, .expires = expires,
		.to = to, .nto = nto,
	};
	if (srv_msg_add(q->s->db, &m, &id, &existed) < 0) {
		reply_error(r, 500, "internal", "cannot store the "
			    "announcement");
		goto unlock;
	}
	if (!existed)
		notify_all(q->s, id, to, nto, q->user->id);
	sent_reply(q, r, id, existed);
	json_object_set_new(r->json, "recipients", json_integer((json_int_t)
							      nto));
unlock:
	if (db_commit(q->s->db) < 0)
		reply_error(r, 500, "internal", "cannot store the "
			    "announcement");
	pthread_mutex_unlock(&q->s->lock);
out:
	srv_company_clear(&c);
	sbuf_free(&markets);
	sbuf_free(&regions);
	sbuf_free(&label);
	free(to);
	json_decref(j);
}

void api_reminder(struct req *q, struct reply *r)
{
	const char *who, *text, *key;
	int64_t at, to, id, now = time(NULL);
	struct srv_user u;
	bool existed;
	json_t *j;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	if (json_field(j, "to", false, 254, &who, r) < 0 ||
	    json_field(j, "text", true, MSG_BODY_MAX, &text, r) < 0 ||
	    json_field(j, "key", false, KEY_MAX, &key, r) < 0 ||
	    opt_int(j, "at", 1, now + REMIND_AHEAD, &at, r) < 0)
		goto out;
	if (!at) {
		reply_error(r, 400, "bad_request", "field 'at' is missing (a "
			    "time, in seconds since 1970)");
		goto out;
	}
	if (!*text) {
		reply_error(r, 400, "bad_request", "field 'text' is empty");
		goto out;
	}
	pthread_mutex_lock(&q->s->lock);
	to = who && *who ? colleague(q, r, who, "to") : q->user->id;
	if (!to || srv_user_get(q->s->db, to, &u) < 0) {
		if (!r->json)
			reply_error(r, 500, "internal", "cannot read the user");
		pthread_mutex_unlock(&q->s->lock);
		goto out;
	}
	struct srv_msg_new m = {
		.company_id = q->user->company_id, .sender_id = q->user->id,
		.kind = "reminder", .recipients = u.username,
		.subject = "Reminder", .body = text,
		.key = key && *key ? key : NULL, .deliver_at = at,
		.to = &to, .nto = 1,
	};
	if (srv_msg_add(q->s->db, &m, &id, &existed) < 0) {
		reply_error(r, 500, "internal", "cannot store the reminder");
	} else {
		if (!existed)
			msg_notify(q->s, q->user->id, 0);
		sent_reply(q, r, id, existed);
	}
	pthread_mutex_unlock(&q->s->lock);
	srv_user_clear(&u);
	if (!existed)
		deliver_wake(q->s);	/* also delivers one due already */
out:
	json_decref(j);
}
