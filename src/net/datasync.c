/* net/datasync: the user's records on every machine (see
 * net/datasync.h); what each kind of record is as text, and how it is
 * made a local row, is in datasync_contacts.c and datasync_diary.c.
 */
#include "net/datasync.h"
#include "net/datasync_int.h"
#include "net/msgsync.h"
#include "store/outbox.h"
#include "store/sync.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_MAX 2000		/* changes queued per round */
#define BULK_CACHE "PRAGMA cache_size = -65536"
#define NORMAL_CACHE "PRAGMA cache_size = -2000"

static const struct ds_kind *const kinds[] = {
	&ds_book, &ds_contact, &ds_call, &ds_appointment, &ds_crm,
	&ds_crm_note,
};

static const struct ds_kind *kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	return NULL;
}

char *ds_dump(json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(j);
	return t;
}

void ds_strip_nulls(json_t *j)
{
	const char *k;
	json_t *v, *tmp;

	json_object_foreach_safe(j, tmp, k, v)
		if (json_is_null(v))
			json_object_del(j, k);
}

int64_t ds_local(struct db *db, const char *sql, const char *kind,
		 const char *uid)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	struct sync_entry e = { 0 };
	int64_t id = 0;

	if (st) {
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
		id = db_step_int64(st, 0);
	}
	if (!id && sync_get(db, kind, uid, &e) == 0)
		id = e.local_id;
	sync_entry_clear(&e);
	return id;
}

/* Whether row id still is the record (kind, uid). */
static bool holds(struct db *db, const struct ds_kind *k, int64_t id,
		  const char *uid)
{
	sqlite3_stmt *st = db_stmt(db, k->holds_sql);

	if (!st || !id)
		return false;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, uid, -1, SQLITE_STATIC);
	return db_step_int64(st, 0) == 1;
}

/* ---- applying the server's version -------------------------------------------------- */

/* The default address book has the same uid on every machine, and each
 * makes its own: until it has synced once, the server's is the one. */
static bool default_book(const struct sync_entry *e)
{
	return e->rev == 0 && !e->queued && strcmp(e->kind, "book") == 0 &&
	       strcmp(e->uid, "personal") == 0;
}

/* One pull's state: its counts, and whether anything may wait in
 * sync_parked (most pulls have nothing there: no need to look). */
struct pull {
	struct datasync_counts *c;
	bool parked;
};

static int apply_one(struct db *db, const struct ds_kind *k, const char *uid,
		     const char *data, int64_t rev, const char *region,
		     bool force, struct pull *p);

/* Records that waited for (kind, uid), now that it is here. */
static int unpark(struct db *db, const char *kind, const char *uid,
		  const char *region, bool force, struct pull *pl)
{
	struct sync_parked *p;
	size_t n;
	int rc;

	if (!pl->parked)
		return 0;
	rc = sync_parked_take(db, kind, uid, &p, &n);
	if (!kind && rc == 0)
		pl->parked = false;	/* all taken; forced, none comes back */
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		const struct ds_kind *k = kind_find(p[i].kind);
		if (k)
			rc = apply_one(db, k, p[i].uid, p[i].data, p[i].rev,
				       region, force, pl);
	}
	sync_parked_free(p, n);
	return rc < 0 ? -1 : 0;
}

/* Make the record here what `data` says (NULL: deleted), as revision
 * rev; in the caller's transaction, with the triggers quiet.  A record
 * whose owner is not here yet waits for it (unless `force`).  0, 1 with
 * *why when the record cannot be stored here, -1 on a database error. */
static int apply_data(struct db *db, const struct ds_kind *k, const char *uid,
		      const char *data, int64_t rev, const char *region,
		      bool force, struct pull *p, char **why)
{
	struct ds_apply a = { .db = db, .uid = uid, .region = region,
			      .force = force };
	struct sync_entry e;
	int rc;

	if (sync_get(db, k->name, uid, &e) == 0 && holds(db, k, e.local_id,
							   uid))
		a.local = e.local_id;
	sync_entry_clear(&e);
	if (p->parked && sync_unpark(db, k->name, uid) < 0)
		return -1;
	if (!data) {
		if (a.local && k->remove(db, a.local) < 0)
			return -1;
		return sync_set(db, k->name, uid, 0, rev, false, false);
	}
	json_error_t je;
	json_t *j = json_loads(data, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		*why = xasprintf("a %s record that is not JSON", k->name);
		return 1;
	}
	rc = k->apply(&a, j);
	json_decref(j);
	if (rc == DS_PARK) {
		rc = sync_park(db, k->name, uid, rev, data, a.needs_kind,
			       a.needs_uid);
		free(a.needs_uid);
		p->parked = true;
		return rc < 0 ? -1 : 0;
	}
	if (rc < 0) {
		*why = a.err ? a.err : xasprintf("cannot store a %s here",
						 k->name);
		return 1;
	}
	if (sync_set(db, k->name, uid, a.id, rev, false, false) < 0)
		return -1;
	return unpark(db, k->name, uid, region, force, p);
}

/* apply_data, undone alone (for kinds that may write part of a record
 * first) when the record cannot be stored here: then it is skipped
 * (what is here of it stays), counted and logged, and not tried again
 * until it changes; the rest of the pull goes on.  0 stored, 1 skipped,
 * -1 on a database error. */
static int apply_one(struct db *db, const struct ds_kind *k, const char *uid,
		     const char *data, int64_t rev, const char *region,
		     bool force, struct pull *p)
{
	struct datasync_counts *c = p->c;
	struct sync_entry e;
	char *why = NULL;
	int mark, rc;

	if (k->partial && db_undo_point(db, &mark) < 0)
		return -1;
	rc = apply_data(db, k, uid, data, rev, region, force, p, &why);
	if (k->partial && db_undo_end(db, mark, rc == 0) < 0)
		rc = -1;
	if (rc == 1) {	/* skipped */
		int64_t local = sync_get(db, k->name, uid, &e) == 0 ?
				e.local_id : 0;
		sync_entry_clear(&e);
		log_warn("sync", "%s %s (revision %lld) from the server is not "
			 "stored here: %s", k->name, uid, (long long)rev,
			 why ? why : "?");
		if (c && !c->unusable++)
			c->why = xasprintf("%s %s: %s", k->name, uid,
					   why ? why : "cannot store it");
		if (sync_set(db, k->name, uid, local, rev, false, false) < 0 ||
		    unpark(db, k->name, uid, region, true, p) < 0)
			rc = -1;	/* what waited for it: as if it never came */
	}
	free(why);
	return rc;
}

/* ---- sending ------------------------------------------------------------------------ */

/* A record that never reached the server and is gone again, or a row
 * made here from another record: nothing to send. */
static bool nothing_to_send(struct db *db, const struct ds_kind *k,
			    const struct sync_entry *e)
{
	sqlite3_stmt *st;

	if (!k || (e->local_id ? !(k->local_only && k->local_only(db,
								     e->local_id))
			       : e->rev != 0))
		return false;
	st = db_stmt(db, "DELETE FROM sync_map WHERE kind = ? AND uid = ?");
	if (st) {
		sqlite3_bind_text(st, 1, e->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, e->uid, -1, SQLITE_STATIC);
		db_step_done(st);
	}
	return true;
}

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
		const struct ds_kind *k = kind_find(v[i].kind);
		if (nothing_to_send(db, k, &v[i]))
			continue;
		char *data = k && v[i].local_id ? k->text(db, v[i].local_id) :
						  NULL;
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
		   struct datasync_counts *counts, char **err)
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
	struct pull pl = { .c = counts, .parked = sync_parked_any(db) };
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
					 "valid: %s", *je.text ? je.text :
					 "neither data nor deleted");
			goto fail;
		}
		const struct ds_kind *k = kind_find(kind);
		bool known = sync_get(db, kind, uid, &e) == 0;
		bool skip = known && (e.dirty || e.queued || e.rev >= rev) &&
			    !default_book(&e);
		sync_entry_clear(&e);
		if (!k || skip)	/* changed here: the push decides */
			continue;
		int open = sync_conflict_theirs(db, kind, uid, deleted ? NULL :
						data, rev);
		if (open < 0)
			goto fail_db;
		if (open)	/* the user decides; this is theirs now */
			continue;
		int rc = apply_one(db, k, uid, deleted ? NULL : data, rev,
				   region, false, &pl);
		if (rc < 0)
			goto fail_db;
		n += rc == 0;
	}
	/* the end of a pull: what still waits gets what is here (a contact
	 * whose book never came goes to the default book) */
	if (!more && unpark(db, NULL, NULL, region, true, &pl) < 0)
		goto fail_db;
	snprintf(buf, sizeof buf, "%" PRId64, (int64_t)top);
	if (sync_applying(db, false) < 0 ||
	    db_setting_set(db, "sync.rev", buf) < 0 || db_commit(db) < 0) {
		goto fail_db;
	}
	if (counts)
		counts->changed += n;
	return more ? 1 : 0;
fail_db:
	*err = xstrdup("cannot write the local database");
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
	const struct ds_kind *k;
	struct pull pl = { .parked = true };
	int rc = 0;

	*err = NULL;
	if (sync_conflict_get(db, id, &c) < 0) {
		*err = xasprintf("no conflict %lld", (long long)id);
		return -1;
	}
	if (!(k = kind_find(c.kind))) {
		*err = xasprintf("conflict %lld is of a kind this version does "
				 "not keep (%s)", (long long)id, c.kind);
		rc = -1;
	} else if (how == DS_BOTH && (!k->copy || !c.mine || !c.theirs)) {
		*err = xasprintf("both versions can be kept only of a contact or "
				 "an appointment that both sides still have; "
				 "choose mine or theirs");
		rc = -1;
	}
	if (rc < 0) {
		free(c.kind), free(c.uid), free(c.mine), free(c.theirs);
		return -1;
	}
	db_begin(db);
	if (how == DS_BOTH) {	/* mine as a new record beside theirs */
		json_error_t je;
		json_t *j = json_loads(c.mine, 0, &je);
		rc = json_is_object(j) ? k->copy(db, c.uid, j, region, err) : -1;
		json_decref(j);
	}
	/* mine: made the local row again (the pull may have put theirs
	 * there), then sent over theirs; theirs: made the local row */
	sync_applying(db, true);
	if (rc == 0)
		rc = apply_data(db, k, c.uid, how == DS_MINE ? c.mine : c.theirs,
				c.rev, region, true, &pl, err) == 0 ? 0 : -1;
	sync_applying(db, false);
	if (rc == 0 && how == DS_MINE) {
		struct sync_entry e;
		rc = sync_get(db, c.kind, c.uid, &e);
		if (rc == 0)
			rc = sync_set(db, c.kind, c.uid, e.local_id, c.rev, true,
				      false);
		sync_entry_clear(&e);
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
