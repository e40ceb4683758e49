/* net/datasync: address books, contacts and the call log on every machine
 * (see net/datasync.h).
 *
 * Records travel as text confabd does not read: a book as {"name"}, a
 * contact as {"book": BOOK_UID, "vcard": "BEGIN:VCARD..."} (vCard 4.0,
 * which keeps every property), a call as the call log's fields in JSON.
 */
#include "net/datasync.h"
#include "net/msgsync.h"
#include "store/books.h"
#include "store/calls.h"
#include "store/contacts.h"
#include "store/formats/vcard.h"
#include "store/outbox.h"
#include "store/sync.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_MAX 2000		/* changes queued per round */
#define BULK_CACHE "PRAGMA cache_size = -65536"
#define NORMAL_CACHE "PRAGMA cache_size = -2000"

/* ---- records as text -------------------------------------------------------------- */

static char *book_uid(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT uid FROM books WHERE id = ?");
	char *u = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		u = db_col_dup(st, 0);
	sqlite3_reset(st);
	return u;
}

static int64_t book_by_uid(struct db *db, const char *uid)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM books WHERE uid = ?");
	int64_t id = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

static char *dump(json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(j);
	return t;
}

static char *call_text(const struct call_entry *e)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s*,s:I,s:I,s:s,s:b}", "kind",
			      calls_kind_name(e->kind), "direction",
			      calls_dir_name(e->dir), "peer", e->peer,
			      "peer_name", e->peer_name, "started",
			      (json_int_t)e->started, "duration",
			      (json_int_t)e->duration, "outcome",
			      calls_outcome_name(e->outcome), "seen", e->seen);

	if (e->has_cost) {
		json_object_set_new(j, "cost_cents", json_integer(e->cost_cents));
		if (e->currency)
			json_object_set_new(j, "currency",
					    json_string(e->currency));
	}
	if (e->has_quality) {
		json_object_set_new(j, "loss", json_real(e->loss));
		json_object_set_new(j, "jitter_ms", json_real(e->jitter_ms));
		json_object_set_new(j, "rtt_ms", json_real(e->rtt_ms));
		json_object_set_new(j, "mos", json_real(e->mos));
	}
	return dump(j);
}

/* The text of a local record; NULL when it is gone. */
static char *record_text(struct db *db, const struct sync_entry *e)
{
	if (!e->local_id)
		return NULL;
	if (strcmp(e->kind, "book") == 0) {
		char *name = books_name(db, e->local_id);
		char *t = name ? dump(json_pack("{s:s}", "name", name)) : NULL;
		free(name);
		return t;
	}
	if (strcmp(e->kind, "contact") == 0) {
		struct contact *c;
		struct sbuf b;
		if (contacts_get(db, e->local_id, &c) < 0)
			return NULL;
		char *bu = book_uid(db, c->book_id);
		sbuf_init(&b);
		vcard_write(&b, c, VCARD_40);
		char *t = dump(json_pack("{s:s?,s:s}", "book", bu, "vcard",
					 sbuf_str(&b)));
		sbuf_free(&b);
		free(bu);
		contact_free(c);
		return t;
	}
	if (strcmp(e->kind, "call") == 0) {
		struct call_entry *ce;
		if (calls_get(db, e->local_id, &ce) < 0)
			return NULL;
		char *t = call_text(ce);
		calls_entries_free(ce, 1);
		return t;
	}
	return NULL;
}

/* ---- applying the server's version -------------------------------------------------- */

static int first_card(void *arg, struct contact *c, unsigned line,
		      const char *why)
{
	struct contact **out = arg;

	(void)line, (void)why;
	if (c && !*out) {
		*out = c;
		return 1;
	}
	if (c)
		contact_free(c);
	return 0;
}

static int delete_local(struct db *db, const char *kind, int64_t id)
{
	if (!id)
		return 0;
	if (strcmp(kind, "book") == 0) {
		sqlite3_stmt *st = db_stmt(db, "DELETE FROM books WHERE id = ?");
		if (!st)
			return -EIO;
		sqlite3_bind_int64(st, 1, id);
		return db_step_done(st);
	}
	if (strcmp(kind, "contact") == 0) {
		int rc = contacts_delete(db, id);
		return rc == -ENOENT ? 0 : rc;
	}
	if (strcmp(kind, "call") == 0) {
		int rc = calls_delete(db, id);
		return rc == -ENOENT ? 0 : rc;
	}
	return 0;
}

static int apply_book(struct db *db, const char *uid, json_t *j,
		      int64_t local, int64_t *out, char **err)
{
	const char *name = json_string_value(json_object_get(j, "name"));
	int64_t other = 0;

	if (!name || !*name) {
		*err = xstrdup("a book without a name");
		return -1;
	}
	if (!local && (local = book_by_uid(db, uid)) == 0 &&
	    books_find(db, name, &other) == 0) {
		/* the same name here, never synced: one book (adopted) */
		struct sync_entry e;
		if (sync_find_local(db, "book", other, &e) == 0) {
			bool fresh = e.rev == 0;
			sqlite3_stmt *st = db_stmt(db, "DELETE FROM sync_map "
						   "WHERE kind = 'book' AND "
						   "uid = ?");
			if (fresh && st) {
				sqlite3_bind_text(st, 1, e.uid, -1,
						  SQLITE_STATIC);
				db_step_done(st);
			}
			sync_entry_clear(&e);
			if (fresh)
				local = other;
		} else {
			local = other;
		}
	}
	if (local) {
		char *was = books_name(db, local);
		int rc = 0;
		if (was && strcmp(was, name) != 0) {
			rc = books_rename(db, was, name);
			if (rc == -EEXIST) {	/* keep both, told apart */
				char *alt = xasprintf("%s (%.6s)", name, uid);
				rc = books_rename(db, was, alt);
				free(alt);
			}
		}
		free(was);
		sqlite3_stmt *st = db_stmt(db, "UPDATE books SET uid = ? WHERE "
					   "id = ?");
		if (rc == 0 && st) {
			sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, local);
			rc = db_step_done(st);
		}
		*out = local;
		return rc < 0 ? -1 : 0;
	}
	int rc = books_add(db, name, &local);
	if (rc == -EEXIST) {
		char *alt = xasprintf("%s (%.6s)", name, uid);
		rc = books_add(db, alt, &local);
		free(alt);
	}
	sqlite3_stmt *st = db_stmt(db, "UPDATE books SET uid = ? WHERE id = ?");
	if (rc == 0 && st) {
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, local);
		rc = db_step_done(st);
	}
	*out = local;
	return rc < 0 ? -1 : 0;
}

static int apply_contact(struct db *db, const char *uid, json_t *j,
			 int64_t local, const char *region, int64_t *out,
			 char **err)
{
	const char *bu = json_string_value(json_object_get(j, "book"));
	const char *card = json_string_value(json_object_get(j, "vcard"));
	struct contact *c = NULL;
	int64_t book = 0;

	if (!card || vcard_parse(card, strlen(card), first_card, &c,
				 NULL) < 0 || !c) {
		*err = xstrdup("a contact whose vCard cannot be read");
		return -1;
	}
	if (bu && (book = book_by_uid(db, bu)) == 0) {
		struct sync_entry e;
		if (sync_get(db, "book", bu, &e) == 0)
			book = e.local_id;
		sync_entry_clear(&e);
	}
	if (!book && books_default(db, &book) < 0) {
		contact_free(c);
		*err = xstrdup("no address book to put a contact in");
		return -1;
	}
	str_set(&c->uid, uid);
	c->book_id = book;
	if (!local) {	/* the same card here already, not yet synced */
		sqlite3_stmt *st = db_stmt(db, "SELECT id FROM contacts WHERE "
					   "uid = ? AND book_id = ?");
		if (st) {
			sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, book);
			if (sqlite3_step(st) == SQLITE_ROW)
				local = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		}
	}
	c->id = local;
	char *why = NULL;
	int rc = contacts_save(db, c, region, &why);
	*out = c->id;
	contact_free(c);
	if (rc < 0) {
		*err = why ? why : xstrdup("cannot store a contact");
		return -1;
	}
	free(why);
	return 0;
}

static int apply_call(struct db *db, const char *uid, json_t *j,
		      int64_t local, const char *region, int64_t *out,
		      char **err)
{
	struct call_entry e = { 0 };
	const char *kind = NULL, *dir = NULL, *outcome = NULL, *cur = NULL;
	json_int_t started = 0, duration = 0, cost = -1;
	double loss = -1, jit = 0, rtt = 0, mos = 0;
	int seen = 1;
	json_error_t je;
	const char *k;
	json_t *v, *tmp;

	json_object_foreach_safe(j, tmp, k, v)	/* null: not given */
		if (json_is_null(v))
			json_object_del(j, k);

	if (json_unpack_ex(j, &je, 0, "{s:s,s:s,s:s,s?s,s:I,s:I,s:s,s?b,"
			   "s?I,s?s,s?F,s?F,s?F,s?F}", "kind", &kind,
			   "direction", &dir, "peer", &e.peer, "peer_name",
			   &e.peer_name, "started", &started, "duration",
			   &duration, "outcome", &outcome, "seen", &seen,
			   "cost_cents", &cost, "currency", &cur, "loss", &loss,
			   "jitter_ms", &jit, "rtt_ms", &rtt, "mos", &mos) < 0 ||
	    calls_kind_parse(kind, &e.kind) < 0 ||
	    calls_dir_parse(dir, &e.dir) < 0 ||
	    calls_outcome_parse(outcome, &e.outcome) < 0) {
		*err = xasprintf("a call that cannot be read: %s", je.text);
		return -1;
	}
	if (local)
		calls_delete(db, local);
	/* the strings are borrowed from j: copies for calls_add */
	e.peer = xstrdup(e.peer);
	e.peer_name = xstrdup(e.peer_name);
	e.uid = xstrdup(uid);
	e.currency = xstrdup(cur);
	e.started = started;
	e.duration = duration;
	e.has_cost = cost >= 0;
	e.cost_cents = cost;
	e.has_quality = loss >= 0;
	e.loss = loss;
	e.jitter_ms = jit;
	e.rtt_ms = rtt;
	e.mos = mos;
	char *why = NULL;
	int rc = calls_add(db, &e, region, &why);
	if (rc == 0 && !seen) {
		sqlite3_stmt *st = db_stmt(db, "UPDATE calls SET seen = 0 "
					   "WHERE id = ?");
		if (st) {
			sqlite3_bind_int64(st, 1, e.id);
			db_step_done(st);
		}
	}
	*out = e.id;
	free(e.peer);
	free(e.peer_name);
	free(e.uid);
	free(e.currency);
	free(e.contact_name);
	if (rc < 0) {
		*err = why ? why : xstrdup("cannot store a call");
		return -1;
	}
	free(why);
	return 0;
}

/* Make the record here what `data` says (NULL: deleted), as revision
 * rev; in the caller's transaction, with the triggers quiet. */
static int apply_record(struct db *db, const char *kind, const char *uid,
			const char *data, int64_t rev, const char *region,
			char **err)
{
	struct sync_entry e;
	int64_t local = 0, id = 0;
	int rc;

	if (sync_get(db, kind, uid, &e) == 0)
		local = e.local_id;
	sync_entry_clear(&e);
	if (!data) {
		if (delete_local(db, kind, local) < 0) {
			*err = xstrdup("cannot delete a record here");
			return -1;
		}
		return sync_set(db, kind, uid, 0, rev, false, false);
	}
	json_error_t je;
	json_t *j = json_loads(data, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		*err = xasprintf("a %s record that is not JSON", kind);
		return -1;
	}
	if (strcmp(kind, "book") == 0)
		rc = apply_book(db, uid, j, local, &id, err);
	else if (strcmp(kind, "contact") == 0)
		rc = apply_contact(db, uid, j, local, region, &id, err);
	else if (strcmp(kind, "call") == 0)
		rc = apply_call(db, uid, j, local, region, &id, err);
	else
		rc = 0;		/* a kind this version does not keep */
	json_decref(j);
	if (rc < 0)
		return -1;
	return sync_set(db, kind, uid, id, rev, false, false);
}

/* ---- sending ------------------------------------------------------------------------ */

int datasync_queue(struct db *db, const char *account)
{
	struct sync_entry *v;
	size_t n;
	int queued = 0;

	if (sync_dirty(db, QUEUE_MAX, &v, &n) < 0)
		return -1;
	if (!n) {
		free(v);
		return 0;
	}
	db_begin(db);
	for (size_t i = 0; i < n; i++) {
		char *data = record_text(db, &v[i]);
		json_t *c = json_pack("{s:s,s:s,s:I}", "kind", v[i].kind, "uid",
				      v[i].uid, "base_rev",
				      (json_int_t)v[i].rev);
		if (data)
			json_object_set_new(c, "data", json_string(data));
		else
			json_object_set_new(c, "deleted", json_true());
		free(data);
		if (msgsync_queue(db, account, "change", c, NULL) < 0 ||
		    sync_set_queued(db, v[i].kind, v[i].uid, true) < 0) {
			json_decref(c);
			db_rollback(db);
			sync_entries_free(v, n);
			return -1;
		}
		json_decref(c);
		queued++;
	}
	sync_entries_free(v, n);
	return db_commit(db) < 0 ? -1 : queued;
}

int datasync_result(struct db *db, json_t *change, json_t *result)
{
	const char *st = json_string_value(json_object_get(result, "status"));
	const char *kind = json_string_value(json_object_get(change, "kind"));
	const char *uid = json_string_value(json_object_get(change, "uid"));
	json_int_t rev = json_integer_value(json_object_get(result, "rev"));

	if (!st || !kind || !uid)
		return 1;
	if (strcmp(st, "ok") == 0)
		return sync_acked(db, kind, uid, rev) < 0 ? 1 : 0;
	if (strcmp(st, "conflict") == 0) {
		const char *mine = json_string_value(json_object_get(change,
								     "data"));
		const char *theirs = json_string_value(json_object_get(result,
								       "data"));
		if (sync_conflict_add(db, kind, uid, mine, theirs, rev) < 0 ||
		    sync_set_queued(db, kind, uid, false) < 0)
			return 1;
		return 0;
	}
	sync_set_queued(db, kind, uid, false);
	return -1;
}

/* ---- receiving ------------------------------------------------------------------------- */

char *datasync_pull_path(struct db *db)
{
	char *rev = db_setting_get(db, "sync.rev");
	char *p = xasprintf("/v1/sync?since=%s&limit=%d", rev ? rev : "0",
			    DATASYNC_PAGE);

	free(rev);
	return p;
}

int datasync_apply(struct db *db, json_t *reply, const char *region,
		   int *changed, char **err)
{
	json_t *list = NULL, *c;
	json_int_t top = -1;
	int more = 0, n = 0;
	json_error_t je;
	size_t i;
	char buf[32];

	*err = NULL;
	if (json_unpack_ex(reply, &je, 0, "{s:o,s:I,s?b}", "changes", &list,
			   "rev", &top, "more", &more) < 0 ||
	    !json_is_array(list) || top < 0) {
		*err = xasprintf("the server's list of changes is not valid: %s",
				 json_is_array(list) ? je.text :
				 "'changes' is not a list");
		return -1;
	}
	db_begin(db);
	sync_applying(db, true);
	json_array_foreach(list, i, c) {
		const char *kind = NULL, *uid = NULL, *data = NULL;
		json_int_t rev = 0;
		int deleted = 0;
		struct sync_entry e;
		if (json_unpack_ex(c, &je, 0, "{s:s,s:s,s:I,s?s,s?b}", "kind",
				   &kind, "uid", &uid, "rev", &rev, "data",
				   &data, "deleted", &deleted) < 0 ||
		    (!data && !deleted)) {
			*err = xasprintf("a change from the server is not "
					 "valid: %s", je.text);
			goto fail;
		}
		bool known = sync_get(db, kind, uid, &e) == 0;
		bool skip = known && (e.dirty || e.queued || e.rev >= rev);
		sync_entry_clear(&e);
		if (skip)	/* changed here: the push decides */
			continue;
		if (apply_record(db, kind, uid, deleted ? NULL : data, rev,
				 region, err) < 0) {
			char *why = *err;
			*err = xasprintf("%s %s from the server: %s", kind, uid,
					 why ? why : "cannot store it");
			free(why);
			goto fail;
		}
		n++;
	}
	snprintf(buf, sizeof buf, "%" PRId64, (int64_t)top);
	if (sync_applying(db, false) < 0 ||
	    db_setting_set(db, "sync.rev", buf) < 0 || db_commit(db) < 0) {
		*err = xstrdup("cannot write the local database");
		goto fail;
	}
	if (changed)
		*changed += n;
	return more ? 1 : 0;
fail:
	db_rollback(db);
	return -1;
}

bool datasync_initial(struct db *db)
{
	char *rev = db_setting_get(db, "sync.rev");
	bool first = !rev || strcmp(rev, "0") == 0;

	free(rev);
	return first;
}

int datasync_bulk_begin(struct db *db, struct datasync_bulk *b)
{
	memset(b, 0, sizeof *b);
	if (db_begin(db) < 0)
		return -1;
	db_exec(db, BULK_CACHE);
	if (sync_triggers_off(db, &b->triggers, &b->ntriggers) < 0 ||
	    contacts_bulk_begin(db, &b->contacts, 0, 0) < 0) {
		contacts_bulk_end(db, &b->contacts, false);
		sync_triggers_on(db, b->triggers, b->ntriggers);
		db_exec(db, NORMAL_CACHE);
		db_rollback(db);
		return -1;
	}
	return 0;
}

int datasync_bulk_end(struct db *db, struct datasync_bulk *b, bool ok)
{
	int rc = contacts_bulk_end(db, &b->contacts, ok);

	if (sync_triggers_on(db, b->triggers, b->ntriggers) < 0)
		rc = -1;
	db_exec(db, NORMAL_CACHE);
	if (ok && rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);	/* the triggers come back with it */
	return -1;
}

/* ---- conflicts ------------------------------------------------------------------------------ */

int datasync_resolve(struct db *db, int64_t id, enum datasync_choice how,
		     const char *region, char **err)
{
	struct sync_conflict c;
	struct sync_entry e;
	int rc = -1;

	*err = NULL;
	if (sync_conflict_get(db, id, &c) < 0) {
		*err = xasprintf("no conflict %lld", (long long)id);
		return -1;
	}
	db_begin(db);
	if (how == DS_MINE) {
		/* ours goes to the server on top of theirs */
		if (sync_get(db, c.kind, c.uid, &e) == 0) {
			rc = sync_set(db, c.kind, c.uid, e.local_id, c.rev, true,
				      false);
			sync_entry_clear(&e);
		}
	} else {
		if (how == DS_BOTH && c.mine && strcmp(c.kind, "contact") == 0) {
			/* ours as a new contact beside theirs */
			json_error_t je;
			json_t *j = json_loads(c.mine, 0, &je);
			const char *card = json_string_value(
				json_object_get(j, "vcard"));
			struct contact *k = NULL;
			if (card && vcard_parse(card, strlen(card), first_card,
						&k, NULL) >= 0 && k) {
				char *nu = uid_new();
				str_set(&k->uid, nu);
				free(nu);
				const char *bu = json_string_value(
					json_object_get(j, "book"));
				k->book_id = bu ? book_by_uid(db, bu) : 0;
				if (!k->book_id)
					books_default(db, &k->book_id);
				k->id = 0;
				char *why = NULL;
				contacts_save(db, k, region, &why);
				free(why);
				contact_free(k);
			}
			json_decref(j);
		}
		sync_applying(db, true);
		rc = apply_record(db, c.kind, c.uid, c.theirs, c.rev, region,
				  err);
		sync_applying(db, false);
	}
	if (rc == 0)
		rc = sync_conflict_drop(db, id);
	if (rc == 0 && db_commit(db) == 0) {
		free(c.kind), free(c.uid), free(c.mine), free(c.theirs);
		return 0;
	}
	db_rollback(db);
	if (!*err)
		*err = xstrdup("cannot write the local database");
	free(c.kind), free(c.uid), free(c.mine), free(c.theirs);
	return -1;
}
