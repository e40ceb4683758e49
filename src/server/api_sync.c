/* src/server/api_sync: the data a user keeps on every machine.
 *
 *   GET  /v1/sync?since=REV&limit=N
 *        {"changes":[{"kind","uid","rev","data"|"deleted":true,
 *                     "shared":bool}], "rev", "more"}
 *   POST /v1/sync {"changes":[{"key","kind","uid","base_rev",
 *                              "data":"..." | "deleted":true}]}
 *        {"results":[{"key","status":"ok","rev"} |
 *                    {"key","status":"conflict","rev","data"|"deleted"} |
 *                    {"key","status":"error","error":{...}}]}
 *
 * Kinds: book, contact, appointment, call (the user's own) and crm,
 * crm_note (the company's, under the CRM permissions).  confabd keeps
 * each record as the text the client sends (a vCard, an iCalendar
 * object, JSON) and does not read it.  A change names the revision it
 * was made on (base_rev, 0 for a new record); when the record moved on
 * meanwhile on another machine the answer is a conflict carrying the
 * current version, and nothing is stored: the client keeps both and the
 * user decides.  The answer to each key is kept, so a retry of a change
 * that was stored gets "ok" again rather than a conflict with itself.
 * The user's other sessions (and, for shared kinds, everyone who may see
 * CRM) get a "sync" event.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANGES_MAX 500
#define DATA_MAX (1u << 20)
#define KEY_MAX 128
#define UID_MAX 512
#define PAGE_DEFAULT 1000
#define PAGE_MAX 10000
#define PAGE_BYTES (4u << 20)	/* a page stops after this much data */

static const struct kind {
	const char *name;
	bool shared;
} kinds[] = {
	{ "book", false }, { "contact", false }, { "appointment", false },
	{ "call", false }, { "crm", true }, { "crm_note", true },
};

static const struct kind *kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

static bool may_see_shared(const struct srv_user *u)
{
	return u->perms & (PERM_ADMIN | PERM_CRM_VIEW | PERM_CRM_EDIT);
}

static json_t *item_json(const struct srv_item *it)
{
	json_t *j = json_pack("{s:s,s:s,s:I}", "kind", it->kind, "uid",
			      it->uid, "rev", (json_int_t)it->rev);

	if (it->deleted)
		json_object_set_new(j, "deleted", json_true());
	else
		json_object_set_new(j, "data", json_string(it->data ?
							   it->data : ""));
	json_object_set_new(j, "shared", json_boolean(it->owner == 0));
	return j;
}

void api_sync_get(struct req *q, struct reply *r)
{
	const char *a;
	char *end;
	long long since = 0, limit = PAGE_DEFAULT;
	struct srv_item *v;
	size_t n;

	if (auth_require(q, r) < 0)
		return;
	if ((a = req_query(q, "since")) &&
	    ((since = strtoll(a, &end, 10)) < 0 || *end || end == a)) {
		reply_error(r, 400, "bad_request", "parameter 'since' must be "
			    "a revision number");
		return;
	}
	if ((a = req_query(q, "limit")) &&
	    ((limit = strtoll(a, &end, 10)) < 1 || limit > PAGE_MAX || *end)) {
		reply_error(r, 400, "bad_request", "parameter 'limit' must be "
			    "1 to %d", PAGE_MAX);
		return;
	}
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_items_since(q->s->db, q->user->company_id, q->user->id,
				 may_see_shared(q->user), since,
				 (size_t)limit + 1, &v, &n);
	int64_t top = srv_sync_rev(q->s->db);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, 500, "internal", "cannot read the changes");
		return;
	}
	bool more = n > (size_t)limit;
	json_t *arr = json_array();
	int64_t rev = since;
	size_t bytes = 0;
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		if (i && bytes > PAGE_BYTES) {	/* the rest next time */
			more = true;
			break;
		}
		json_array_append_new(arr, item_json(&v[i]));
		rev = v[i].rev;
		bytes += v[i].data ? strlen(v[i].data) : 0;
	}
	srv_items_free(v, n);
	if (!more && top > rev)
		rev = top;	/* nothing of ours up to there */
	r->json = json_pack("{s:o,s:I,s:b}", "changes", arr, "rev",
			    (json_int_t)rev, "more", more);
}

static json_t *error_result(const char *key, const char *code,
			    const char *msg)
{
	return json_pack("{s:s?,s:s,s:{s:s,s:s}}", "key", key, "status",
			 "error", "error", "code", code, "message", msg);
}

/* One change (lock held, in the batch's transaction). */
static json_t *apply(struct req *q, json_t *c, bool *own, bool *shared)
{
	const char *key = NULL, *kind = NULL, *uid = NULL, *data = NULL;
	json_int_t base = -1;
	int deleted = 0;
	json_error_t e;
	const struct kind *k;
	struct srv_item cur;
	char *kept;

	if (json_unpack_ex(c, &e, 0, "{s:s,s:s,s:s,s:I,s?s,s?b}", "key", &key,
			   "kind", &kind, "uid", &uid, "base_rev", &base,
			   "data", &data, "deleted", &deleted) < 0) {
		char msg[300];
		snprintf(msg, sizeof msg, "a change needs key, kind, uid and "
			 "base_rev: %s", e.text);
		return error_result(json_is_object(c) ? json_string_value(
			json_object_get(c, "key")) : NULL, "bad_request", msg);
	}
	if (!*key || strlen(key) > KEY_MAX || !*uid || strlen(uid) > UID_MAX ||
	    base < 0 || (!data == !deleted) ||
	    (data && strlen(data) > DATA_MAX) ||
	    (data && !utf8_valid(data, strlen(data))))
		return error_result(key, "bad_request", "a change needs a key "
				    "and uid (at most 128 and 512 bytes), "
				    "base_rev >= 0, and either data (UTF-8 "
				    "text up to 1 MiB) or deleted");
	if (!(k = kind_find(kind)))
		return error_result(key, "bad_request", "unknown kind (book, "
				    "contact, appointment, call, crm, "
				    "crm_note)");
	if ((kept = srv_sync_key_get(q->s->db, q->user->id, key))) {
		json_t *j = json_loads(kept, 0, &e);	/* a retry */
		free(kept);
		if (j)
			return j;
	}
	if (k->shared && !(q->user->perms & (PERM_ADMIN | PERM_CRM_EDIT)))
		return error_result(key, "forbidden", "changing CRM records "
				    "needs the crm-edit permission");
	int64_t owner = k->shared ? 0 : q->user->id, rev;
	json_t *res;
	int got = srv_item_get(q->s->db, q->user->company_id, owner, kind, uid,
			       &cur);
	if (got == -EIO)
		return error_result(key, "internal", "cannot read the record");
	bool exists = got == 0;
	int64_t have = exists ? cur.rev : 0;
	bool same = exists && (deleted ? cur.deleted : !cur.deleted &&
			       strcmp(cur.data, data) == 0);
	if (same || (!exists && deleted)) {
		res = json_pack("{s:s,s:s,s:I}", "key", key, "status", "ok",
				"rev", (json_int_t)have);
	} else if (have != base && !(exists && cur.deleted && base == 0)) {
		cur.owner = owner;
		res = item_json(&cur);
		json_object_set_new(res, "key", json_string(key));
		json_object_set_new(res, "status", json_string("conflict"));
	} else if (srv_item_put(q->s->db, q->user->company_id, owner, kind,
				uid, deleted ? NULL : data, q->user->id,
				&rev) < 0) {
		res = error_result(key, "internal", "cannot store the record");
	} else {
		res = json_pack("{s:s,s:s,s:I}", "key", key, "status", "ok",
				"rev", (json_int_t)rev);
		*(k->shared ? shared : own) = true;
	}
	if (exists) {
		free(cur.kind);
		free(cur.uid);
		free(cur.data);
	}
	char *text = json_dumps(res, JSON_COMPACT);
	if (text && strcmp(json_string_value(json_object_get(res, "status")),
			   "error") != 0)
		srv_sync_key_put(q->s->db, q->user->id, key, text);
	free(text);
	return res;
}

/* Tell who should pull (lock held). */
static void announce(struct req *q, bool own, bool shared)
{
	json_t *d = json_pack("{s:I}", "rev",
			      (json_int_t)srv_sync_rev(q->s->db));
	struct srv_entry *v = NULL;
	size_t n = 0;

	if (shared && srv_directory(q->s->db, q->user->company_id, NULL, false,
				    100000, &v, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (may_see_shared(&v[i].u))
				event_push(q->s, v[i].u.id, "sync", d);
		srv_entries_free(v, n);
	} else if (own) {
		event_push(q->s, q->user->id, "sync", d);
	}
	json_decref(d);
}

void api_sync_post(struct req *q, struct reply *r)
{
	json_t *j, *list, *c;
	size_t i;
	bool own = false, shared = false;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	list = json_object_get(j, "changes");
	if (!json_is_array(list) || !json_array_size(list) ||
	    json_array_size(list) > CHANGES_MAX) {
		reply_error(r, 400, "bad_request", "field 'changes' must list 1 "
			    "to %d changes", CHANGES_MAX);
		json_decref(j);
		return;
	}
	json_t *results = json_array();
	pthread_mutex_lock(&q->s->lock);
	db_begin(q->s->db);
	json_array_foreach(list, i, c)
		json_array_append_new(results, apply(q, c, &own, &shared));
	if (own || shared)
		announce(q, own, shared);
	int rc = db_commit(q->s->db);
	pthread_mutex_unlock(&q->s->lock);
	json_decref(j);
	if (rc < 0) {
		json_decref(results);
		reply_error(r, 500, "internal", "cannot store the changes");
		return;
	}
	r->json = json_pack("{s:o}", "results", results);
}
