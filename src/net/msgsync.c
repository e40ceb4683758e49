/* net/msgsync: the mailbox and the outbox against confabd (see
 * net/msgsync.h). */
#include "net/msgsync.h"
#include "net/datasync.h"
#include "store/db.h"
#include "store/messages.h"
#include "store/outbox.h"
#include "store/sync.h"
#include "common/str.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PULL_PAGE 2000

char *msgsync_account(const char *user, const char *server)
{
	return xasprintf("%s %s", user, server);
}

int msgsync_use_account(struct db *db, const char *account)
{
	char *was = db_setting_get(db, "messages.account");
	int rc = 0;

	if (!was || strcmp(was, account) != 0) {
		db_begin(db);
		if (messages_reset(db) < 0 || sync_reset(db) < 0 ||
		    db_setting_set(db, "messages.account", account) < 0) {
			db_rollback(db);
			rc = -EIO;
		} else {
			rc = db_commit(db);
		}
	}
	free(was);
	return rc;
}

int msgsync_queue(struct db *db, const char *account, const char *kind,
		  json_t *payload, int64_t *id)
{
	char *text = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc = text ? outbox_add(db, account, kind, text, id) : -ENOMEM;

	free(text);
	return rc;
}

int msgsync_queue_change(struct db *db, const char *account, int64_t id,
			 int read, const char *folder, bool purge)
{
	json_t *p = json_pack("{s:I}", "id", (json_int_t)id);
	int rc;

	if (read >= 0)
		json_object_set_new(p, "read", json_boolean(read));
	if (folder)
		json_object_set_new(p, "folder", json_string(folder));
	if (purge)
		json_object_set_new(p, "purge", json_true());
	db_begin(db);
	rc = msgsync_queue(db, account, "mailbox", p, NULL);
	if (rc == 0)
		rc = purge ? messages_drop(db, id) :
		     messages_set(db, id, read, folder);
	if (rc == -ENOENT)	/* not here (yet): the server decides */
		rc = 0;
	if (rc < 0)
		db_rollback(db);
	else
		rc = db_commit(db);
	json_decref(p);
	return rc;
}

/* ---- reading what the server sends ---------------------------------------------- */

static bool folder_ok(const char *f)
{
	return strcmp(f, "inbox") == 0 || strcmp(f, "sent") == 0 ||
	       strcmp(f, "trash") == 0;
}

/* An entry of the API (server/api_messages.c msg_json) into m, checked;
 * -1 with *err.  Purged entries set *purged and only the id. */
static int entry_parse(json_t *j, struct message *m, bool *purged,
		       char **err)
{
	json_int_t id = 0, msg = 0, rev = 0, created = 0, reply_to = 0;
	json_int_t deliver_at = 0, expires = 0;
	const char *kind = NULL, *folder = NULL, *from = NULL, *from_name = NULL;
	const char *subject = NULL, *body = NULL;
	int read = 0, out = 0, gone = 0;
	json_t *to = NULL, *att = NULL, *v;
	json_error_t e;
	size_t i;

	memset(m, 0, sizeof *m);
	*purged = false;
	if (json_unpack_ex(j, &e, 0, "{s:I,s:I,s:I,s:s,s:s,s?b}", "id", &id,
			   "message", &msg, "rev", &rev, "kind", &kind,
			   "folder", &folder, "purged", &gone) < 0)
		goto bad;
	if (id <= 0 || rev <= 0 || !folder_ok(folder)) {
		snprintf(e.text, sizeof e.text, "id, rev or folder out of "
			 "range");
		goto bad;
	}
	m->id = id;
	if (gone) {
		*purged = true;
		return 0;
	}
	if (json_unpack_ex(j, &e, 0, "{s:b,s:b,s?s,s?s,s:o,s?s,s:s,s:I,s?I,"
			   "s?I,s?I,s?o}", "read", &read, "outgoing", &out,
			   "from", &from, "from_name", &from_name, "to", &to,
			   "subject", &subject, "body", &body, "created",
			   &created, "reply_to", &reply_to, "deliver_at",
			   &deliver_at, "expires", &expires, "attachments",
			   &att) < 0)
		goto bad;
	if (!json_is_array(to) || (att && !json_is_array(att))) {
		snprintf(e.text, sizeof e.text, "'to' and 'attachments' must "
			 "be lists");
		goto bad;
	}
	struct sbuf names;
	sbuf_init(&names);
	json_array_foreach(to, i, v) {
		if (!json_is_string(v)) {
			sbuf_free(&names);
			snprintf(e.text, sizeof e.text, "'to' must list names");
			goto bad;
		}
		sbuf_printf(&names, "%s%s", i ? ", " : "",
			    json_string_value(v));
	}
	json_array_foreach(att, i, v) {
		json_int_t aid, size;
		const char *n, *t, *sum;
		if (json_unpack_ex(v, &e, 0, "{s:I,s:s,s:s,s:I,s:s}", "id",
				   &aid, "name", &n, "type", &t, "size", &size,
				   "sha256", &sum) < 0) {
			sbuf_free(&names);
			goto bad;
		}
	}
	m->message_id = msg;
	m->rev = rev;
	m->kind = xstrdup(kind);
	m->folder = xstrdup(folder);
	m->read = read;
	m->outgoing = out;
	m->sender = xstrdup(from);
	m->sender_name = xstrdup(from_name);
	m->recipients = sbuf_take(&names);
	m->subject = xstrdup(subject);
	m->body = xstrdup(body);
	m->created = created;
	m->reply_to = reply_to;
	m->deliver_at = deliver_at;
	m->expires = expires;
	if (att && json_array_size(att))
		m->attachments = json_dumps(att, JSON_COMPACT |
					    JSON_PRESERVE_ORDER);
	return 0;
bad:
	message_clear(m);
	*err = xasprintf("the server sent a message entry that is not valid: "
			 "%s", e.text);
	return -1;
}

/* Store one entry (in the caller's transaction). *fresh: a new unread
 * inbox entry. */
static int entry_store(struct db *db, json_t *j, bool *fresh, char **err)
{
	struct message m, old;
	bool purged;
	int rc;

	*fresh = false;
	if (entry_parse(j, &m, &purged, err) < 0)
		return -1;
	if (purged) {
		rc = messages_drop(db, m.id);
	} else {
		if (!m.read && strcmp(m.folder, "inbox") == 0) {
			*fresh = messages_get(db, m.id, &old) == -ENOENT;
			message_clear(&old);
		}
		rc = messages_put(db, &m);
	}
	message_clear(&m);
	if (rc < 0)
		*err = xstrdup("cannot store a message in the local database");
	return rc < 0 ? -1 : 0;
}

int msgsync_apply_one(struct db *db, json_t *entry, char **err)
{
	bool fresh;
	int rc;

	db_begin(db);
	rc = entry_store(db, entry, &fresh, err);
	if (rc < 0)
		db_rollback(db);
	else if (db_commit(db) < 0)
		rc = -1;
	return rc;
}

char *msgsync_pull_path(struct db *db)
{
	char *rev = db_setting_get(db, "messages.rev");
	char *p = xasprintf("/v1/messages?since=%s&limit=%d", rev ? rev : "0",
			    PULL_PAGE);

	free(rev);
	return p;
}

int msgsync_apply(struct db *db, json_t *reply, int *fresh, char **err)
{
	json_t *list = NULL, *v;
	json_int_t rev = -1;
	int more = 0, nfresh = 0;
	json_error_t e;
	size_t i;
	char buf[32];

	if (json_unpack_ex(reply, &e, 0, "{s:o,s:I,s?b}", "messages", &list,
			   "rev", &rev, "more", &more) < 0 ||
	    !json_is_array(list) || rev < 0) {
		*err = xasprintf("the server's list of messages is not valid: "
				 "%s", json_is_array(list) ? e.text :
				 "'messages' is not a list");
		return -1;
	}
	db_begin(db);
	json_array_foreach(list, i, v) {
		bool f;
		if (entry_store(db, v, &f, err) < 0) {
			db_rollback(db);
			return -1;
		}
		nfresh += f;
	}
	snprintf(buf, sizeof buf, "%" PRId64, (int64_t)rev);
	if (db_setting_set(db, "messages.rev", buf) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		*err = xstrdup("cannot store messages in the local database");
		return -1;
	}
	if (fresh)
		*fresh = nfresh;
	return more ? 1 : 0;
}

/* ---- the outbox flush ------------------------------------------------------------ */

void msgsync_req_clear(struct msgsync_req *r)
{
	json_decref(r->body);
	memset(r, 0, sizeof *r);
}

/* The payload of an item with its key; NULL when it is not JSON (then
 * the item is failed: nothing can send it). */
static json_t *item_body(struct db *db, const struct outbox_item *it)
{
	json_error_t e;
	json_t *j = json_loads(it->payload, 0, &e);

	if (!json_is_object(j)) {
		json_decref(j);
		outbox_fail(db, it->id, "the queued request is damaged");
		return NULL;
	}
	json_object_set_new(j, "key", json_string(it->key));
	return j;
}

int msgsync_next(struct db *db, const char *account, struct msgsync_req *r)
{
	struct outbox_item *v;
	size_t n;

	memset(r, 0, sizeof *r);
again:
	if (outbox_next(db, account, OUTBOX_BATCH, &v, &n) < 0)
		return -1;
	if (!n)
		return 0;
	json_t *b = item_body(db, &v[0]);
	if (!b) {
		outbox_items_free(v, n);
		goto again;
	}
	r->ids[r->nids++] = v[0].id;
	if (strcmp(v[0].kind, "message") == 0 ||
	    strcmp(v[0].kind, "change") == 0) {
		/* this and the items of its kind right after it, in one
		 * request */
		json_t *list = json_array();
		json_array_append_new(list, b);
		for (size_t i = 1; i < n && strcmp(v[i].kind, v[0].kind) == 0;
		     i++) {
			json_t *o = item_body(db, &v[i]);
			if (!o)
				break;
			json_array_append_new(list, o);
			r->ids[r->nids++] = v[i].id;
		}
		r->method = "POST";
		r->sync = v[0].kind[0] == 'c';
		snprintf(r->path, sizeof r->path, r->sync ? "/v1/sync" :
			 "/v1/messages");
		r->body = json_pack("{s:o}", r->sync ? "changes" : "messages",
				    list);
		r->batch = true;
	} else if (strcmp(v[0].kind, "announcement") == 0) {
		r->method = "POST";
		snprintf(r->path, sizeof r->path, "/v1/announcements");
		r->body = b;
	} else if (strcmp(v[0].kind, "reminder") == 0) {
		r->method = "POST";
		snprintf(r->path, sizeof r->path, "/v1/reminders");
		r->body = b;
	} else if (strcmp(v[0].kind, "mailbox") == 0) {
		json_t *id = json_object_get(b, "id");
		bool purge = json_is_true(json_object_get(b, "purge"));
		if (!json_is_integer(id)) {
			outbox_fail(db, v[0].id, "the queued change is damaged");
			json_decref(b);
			outbox_items_free(v, n);
			r->nids = 0;
			goto again;
		}
		json_int_t eid = json_integer_value(id);
		r->method = purge ? "DELETE" : "PATCH";
		snprintf(r->path, sizeof r->path, "/v1/messages/%lld%s",
			 (long long)eid, purge ? "?purge=1" : "");
		json_object_del(b, "id");
		json_object_del(b, "purge");
		json_object_del(b, "key");
		r->body = purge ? (json_decref(b), NULL) : b;
	} else {
		outbox_fail(db, v[0].id, "this version cannot send it");
		json_decref(b);
		outbox_items_free(v, n);
		r->nids = 0;
		goto again;
	}
	outbox_items_free(v, n);
	return 1;
}

/* A message the server stored: the sender's entry, kept at once. */
static void keep_sent(struct db *db, json_t *reply)
{
	json_t *m = json_object_get(reply, "message");
	char *err = NULL;
	bool fresh;

	if (json_object_get(m, "rev") && entry_store(db, m, &fresh, &err) < 0)
		free(err);	/* the next pull brings it anyway */
}

static bool transient(long status)
{
	return status == 0 || status == 401 || status == 408 ||
	       status == 429 || status >= 500;
}

int msgsync_answer(struct db *db, struct msgsync_req *r, long status,
		   json_t *reply, const char *err, char **why)
{
	int rc = 0;

	*why = NULL;
	db_begin(db);
	if (transient(status)) {
		*why = status ? xstrdup(api_error_message(reply, status)) :
			xstrdup(err ? err : "no answer");
		for (size_t i = 0; i < r->nids; i++)
			outbox_retry_later(db, r->ids[i], *why);
		rc = -1;
	} else if (r->sync && status < 300) {
		json_t *res = json_object_get(reply, "results");
		json_t *sent = json_object_get(r->body, "changes");
		for (size_t i = 0; i < r->nids; i++) {
			json_t *one = json_array_get(res, i);
			int d = one ? datasync_result(db, json_array_get(sent, i),
						      one) : 1;
			if (d > 0) {
				outbox_retry_later(db, r->ids[i], "no answer "
						   "for it");
				rc = -1;
				break;
			}
			if (d == 0)
				r->done += outbox_done(db, r->ids[i]) == 0;
			else
				r->refused += outbox_fail(db, r->ids[i],
					api_error_message(one, 400)) == 0;
		}
		if (rc < 0)
			*why = xstrdup("the server answered only in part");
	} else if (r->batch && status < 300) {
		json_t *res = json_object_get(reply, "results");
		for (size_t i = 0; i < r->nids; i++) {
			json_t *one = json_array_get(res, i);
			json_int_t st = json_integer_value(
				json_object_get(one, "status"));
			if (!one || transient(st)) {
				outbox_retry_later(db, r->ids[i], "no answer "
						   "for it");
				rc = -1;	/* later, in order */
				break;
			}
			if (st < 300) {
				keep_sent(db, one);
				r->done += outbox_done(db, r->ids[i]) == 0;
			} else {
				outbox_fail(db, r->ids[i],
					    api_error_message(one, st));
				r->refused++;
			}
		}
		if (rc < 0)
			*why = xstrdup("the server answered only in part");
	} else if (status < 300 || (status == 404 &&
				    strcmp(r->method, "POST") != 0)) {
		/* done (a change of an entry that is gone is done too) */
		if (strcmp(r->method, "POST") == 0)
			keep_sent(db, reply);
		r->done += outbox_done(db, r->ids[0]) == 0;
	} else {
		for (size_t i = 0; i < (r->batch ? r->nids : 1); i++) {
			outbox_fail(db, r->ids[i], api_error_message(reply,
								    status));
			r->refused++;
		}
	}
	if (db_commit(db) < 0) {
		free(*why);
		*why = xstrdup("cannot write the local database");
		rc = -1;
	}
	return rc;
}

/* ---- blocking, for the CLI -------------------------------------------------------- */

static int data_pull_pages(struct db *db, const struct api *api,
			   const char *region, struct msgsync_stats *st,
			   char **err);

/* Pull the synced records: 0, or -1 with *err. */
#define BULK_LOCAL_MAX 1000	/* local contacts a bulk first pull allows */

static int data_pull(struct db *db, const struct api *api, const char *region,
		     struct msgsync_stats *st, char **err)
{
	struct datasync_bulk b;
	int changed = st->changed;

	/* a bulk pull rebuilds the contact indexes at the end: worth it
	 * for a new machine, not for one that has its own contacts */
	if (!datasync_initial(db) || contacts_count(db, 0) > BULK_LOCAL_MAX ||
	    datasync_bulk_begin(db, &b) < 0)
		return data_pull_pages(db, api, region, st, err);
	int rc = data_pull_pages(db, api, region, st, err);
	if (datasync_bulk_end(db, &b, rc == 0) < 0) {
		st->changed = changed;	/* rolled back: none of it */
		if (!*err)
			*err = xstrdup("cannot write the local database");
		return -1;
	}
	return rc;
}


/* The pages of a pull are fetched by a second thread while this one
 * stores the page before: the server's and the network's time overlap
 * with SQLite's.  Only this thread touches the database. */
struct prefetch {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const struct api *api;
	long long since;
	json_t *page[2];	/* fetched, not yet taken */
	int n;
	bool done, stop;
	char *err;
};

static void *fetcher(void *arg)
{
	struct prefetch *p = arg;

	for (;;) {
		char path[96], *terr = NULL;
		long status = 0;
		json_t *reply = NULL;
		snprintf(path, sizeof path, "/v1/sync?since=%lld&limit=%d",
			 p->since, DATASYNC_PAGE);
		int rc = api_call(p->api, "GET", path, NULL, &status, &reply,
				  &terr);
		pthread_mutex_lock(&p->lock);
		if (rc < 0 || status >= 300) {
			p->err = rc < 0 ? terr : xstrdup(api_error_message(
				reply, status));
			if (rc >= 0)
				free(terr);
			json_decref(reply);
			p->done = true;
		} else {
			json_t *rev = json_object_get(reply, "rev");
			bool more = json_is_true(json_object_get(reply, "more"));
			while (p->n == 2 && !p->stop)
				pthread_cond_wait(&p->cond, &p->lock);
			if (p->stop) {
				json_decref(reply);
			} else {
				p->page[p->n++] = reply;
				p->since = json_integer_value(rev);
			}
			p->done = p->stop || !more || !json_is_integer(rev);
		}
		pthread_cond_broadcast(&p->cond);
		bool done = p->done;
		pthread_mutex_unlock(&p->lock);
		if (done)
			return NULL;
	}
}

static int data_pull_pages(struct db *db, const struct api *api,
			   const char *region, struct msgsync_stats *st,
			   char **err)
{
	struct prefetch p = { .api = api };
	char *rev = db_setting_get(db, "sync.rev");
	pthread_t t;
	int rc = 0;

	p.since = rev ? strtoll(rev, NULL, 10) : 0;
	free(rev);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	if (pthread_create(&t, NULL, fetcher, &p) != 0) {
		*err = xstrdup("cannot start a thread");
		return -1;
	}
	for (;;) {
		pthread_mutex_lock(&p.lock);
		while (!p.n && !p.done)
			pthread_cond_wait(&p.cond, &p.lock);
		json_t *page = p.n ? p.page[0] : NULL;
		if (p.n) {
			p.page[0] = p.page[1];
			p.n--;
			pthread_cond_broadcast(&p.cond);
		}
		pthread_mutex_unlock(&p.lock);
		if (!page) {	/* done: everything taken, or an error */
			if (p.err) {
				*err = p.err;
				p.err = NULL;
				rc = -1;
			}
			break;
		}
		struct datasync_counts dc = { 0 };
		rc = datasync_apply(db, page, region, &dc, err);
		st->changed += dc.changed;
		st->unusable += dc.unusable;
		if (dc.why && !st->unusable_why)
			st->unusable_why = dc.why, dc.why = NULL;
		free(dc.why);
		json_decref(page);
		if (rc <= 0)
			break;
	}
	pthread_mutex_lock(&p.lock);
	p.stop = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	pthread_join(t, NULL);
	for (int i = 0; i < p.n; i++)
		json_decref(p.page[i]);
	free(p.err);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
	return rc < 0 ? -1 : 0;
}

int msgsync_run(struct db *db, const struct api *api, const char *account,
		const char *region, struct msgsync_stats *st, char **err)
{
	struct msgsync_req r;
	int rc;

	memset(st, 0, sizeof *st);
	*err = NULL;
	if (msgsync_use_account(db, account) < 0) {
		*err = xstrdup("cannot write the local database");
		return -1;
	}
	/* pull first: what changed elsewhere is then known before ours
	 * goes, so our changes of it come back as conflicts at once */
	if (data_pull(db, api, region, st, err) < 0)
		goto out;
	/* the outbox first, in order; then the changed records, a round
	 * at a time as the outbox empties */
	for (;;) {
		rc = msgsync_next(db, account, &r);
		if (rc == 0) {
			rc = datasync_queue(db, account);
			if (rc < 0) {
				*err = xstrdup("cannot read the local "
					       "changes");
				break;
			}
			if (rc == 0)
				break;
			continue;
		}
		if (rc < 0)
			break;
		long status = 0;
		json_t *reply = NULL;
		char *terr = NULL, *why = NULL;
		api_call(api, r.method, r.path, r.body, &status, &reply, &terr);
		rc = msgsync_answer(db, &r, status, reply, terr, &why);
		st->sent += r.done;
		st->refused += r.refused;
		json_decref(reply);
		free(terr);
		msgsync_req_clear(&r);
		if (rc < 0) {
			*err = why;
			break;
		}
	}
	if (!*err && rc < 0)
		*err = xstrdup("cannot read the outbox");
	while (!*err) {
		char *path = msgsync_pull_path(db), *terr = NULL;
		long status = 0;
		json_t *reply = NULL;
		int fresh = 0;
		rc = api_call(api, "GET", path, NULL, &status, &reply, &terr);
		free(path);
		if (rc < 0 || status >= 300) {
			*err = rc < 0 ? terr : xstrdup(api_error_message(reply,
								       status));
			if (rc >= 0)
				free(terr);
			json_decref(reply);
			break;
		}
		rc = msgsync_apply(db, reply, &fresh, err);
		st->received += (int)json_array_size(json_object_get(reply,
								     "messages"));
		st->fresh += fresh;
		json_decref(reply);
		if (rc <= 0)
			break;
	}
	if (!*err)
		data_pull(db, api, region, st, err);
out:
	st->pending = outbox_count(db, account, &st->failed) +
		      sync_pending(db);
	st->conflicts = sync_conflict_count(db);
	return *err ? -1 : 0;
}
