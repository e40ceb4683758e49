/* net/datasync_contacts: address books, contacts and the call log as
 * sync records (see net/datasync_int.h).
 *
 * A book travels as {"name"}, a contact as {"book": BOOK_UID, "vcard":
 * "BEGIN:VCARD...", "created", "updated"} (vCard 4.0, which keeps every
 * property; the times as unix seconds), a call as the call log's fields
 * in JSON.
 */
#include "net/datasync_int.h"
#include "store/books.h"
#include "store/calls.h"
#include "store/contacts.h"
#include "store/db.h"
#include "store/formats/vcard.h"
#include "store/sync.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char book_by_uid_sql[] = "SELECT id FROM books WHERE uid = ?";

/* ---- books ------------------------------------------------------------------------ */

static char *book_text(struct db *db, int64_t id)
{
	char *name = books_name(db, id);
	char *t = name ? ds_dump(json_pack("{s:s}", "name", name)) : NULL;

	free(name);
	return t;
}

static int set_book_uid(struct db *db, int64_t id, const char *uid)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE books SET uid = ? WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(st);
}

/* A book of the same name here, never synced, is the same book. */
static int64_t adopt_book(struct db *db, const char *name)
{
	struct sync_entry e;
	int64_t other = 0;

	if (books_find(db, name, &other) < 0 || !other)
		return 0;
	if (sync_find_local(db, "book", other, &e) < 0)
		return other;
	/* never synced; but the default book is everyone's "personal" */
	bool fresh = e.rev == 0 && strcmp(e.uid, "personal") != 0;
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM sync_map WHERE kind = "
				   "'book' AND uid = ?");
	if (fresh && st) {
		sqlite3_bind_text(st, 1, e.uid, -1, SQLITE_STATIC);
		db_step_done(st);
	}
	sync_entry_clear(&e);
	return fresh ? other : 0;
}

static int apply_book(struct ds_apply *a, json_t *j)
{
	const char *name = json_string_value(json_object_get(j, "name"));
	struct db *db = a->db;
	int64_t local = a->local;
	int rc = 0;

	if (!name || !*name) {
		a->err = xstrdup("a book without a name");
		return -1;
	}
	if (!local) {
		sqlite3_stmt *st = db_stmt(db, book_by_uid_sql);
		if (st) {
			sqlite3_bind_text(st, 1, a->uid, -1, SQLITE_STATIC);
			local = db_step_int64(st, 0);
		}
	}
	if (!local)
		local = adopt_book(db, name);
	if (local) {
		char *was = books_name(db, local);
		if (was && strcmp(was, name) != 0) {
			rc = books_rename(db, was, name);
			if (rc == -EEXIST) {	/* keep both, told apart */
				char *alt = xasprintf("%s (%.6s)", name,
						      a->uid);
				rc = books_rename(db, was, alt);
				free(alt);
			}
		}
		free(was);
	} else {
		rc = books_add(db, name, &local);
		if (rc == -EEXIST) {
			char *alt = xasprintf("%s (%.6s)", name, a->uid);
			rc = books_add(db, alt, &local);
			free(alt);
		}
	}
	if (rc == 0)
		rc = set_book_uid(db, local, a->uid);
	a->id = local;
	return rc < 0 ? -1 : 0;
}

static int remove_book(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM books WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(st);
}

const struct ds_kind ds_book = {
	.name = "book",
	.holds_sql = "SELECT 1 FROM books WHERE id = ? AND uid = ?",
	.text = book_text,
	.apply = apply_book,
	.remove = remove_book,
};

/* ---- contacts ------------------------------------------------------------------------ */

static char *contact_text(struct db *db, int64_t id)
{
	struct contact *c;
	struct sbuf b;
	char *bu = NULL;

	if (contacts_get(db, id, &c) < 0)
		return NULL;
	sqlite3_stmt *st = db_stmt(db, "SELECT uid FROM books WHERE id = ?");
	if (st) {
		sqlite3_bind_int64(st, 1, c->book_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			bu = db_col_dup(st, 0);
		sqlite3_reset(st);
	}
	sbuf_init(&b);
	vcard_write(&b, c, VCARD_40);
	char *t = ds_dump(json_pack("{s:s?,s:s,s:I,s:I}", "book", bu, "vcard",
				    sbuf_str(&b), "created",
				    (json_int_t)c->created, "updated",
				    (json_int_t)c->updated));
	sbuf_free(&b);
	free(bu);
	contact_free(c);
	return t;
}

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

static struct contact *card_of(json_t *j)
{
	const char *card = json_string_value(json_object_get(j, "vcard"));
	struct contact *c = NULL;

	if (!card || vcard_parse(card, strlen(card), first_card, &c,
				 NULL) < 0)
		return NULL;
	return c;
}

static int apply_contact(struct ds_apply *a, json_t *j)
{
	const char *bu = json_string_value(json_object_get(j, "book"));
	struct contact *c = card_of(j);
	struct db *db = a->db;
	int64_t book = 0, local = a->local;

	if (!c) {
		a->err = xstrdup("a contact whose vCard cannot be read");
		return -1;
	}
	if (bu) {
		struct sync_entry e;
		book = ds_local(db, book_by_uid_sql, "book", bu);
		bool known = sync_get(db, "book", bu, &e) == 0;
		sync_entry_clear(&e);
		if (!book && !known && !a->force) {
			contact_free(c);	/* its book comes later */
			a->needs_kind = "book";
			a->needs_uid = xstrdup(bu);
			return DS_PARK;
		}
	}
	if (!book && books_default(db, &book) < 0) {
		contact_free(c);
		a->err = xstrdup("no address book to put a contact in");
		return -1;
	}
	str_set(&c->uid, a->uid);
	c->book_id = book;
	if (!local) {	/* the same card here already, not yet synced */
		sqlite3_stmt *st = db_stmt(db, "SELECT id FROM contacts WHERE "
					   "uid = ? AND book_id = ?");
		if (st) {
			sqlite3_bind_text(st, 1, a->uid, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, book);
			local = db_step_int64(st, 0);
		}
	}
	c->id = local;
	/* its times as the machine that changed it stored them; a version
	 * without them keeps this machine's creation time */
	c->created = json_integer_value(json_object_get(j, "created"));
	c->updated = json_integer_value(json_object_get(j, "updated"));
	if (!c->created && local) {
		sqlite3_stmt *st = db_stmt(db, "SELECT created FROM contacts "
					   "WHERE id = ?");
		if (st) {
			sqlite3_bind_int64(st, 1, local);
			c->created = db_step_int64(st, 0);
		}
	}
	char *why = NULL;
	int rc = contacts_save_flags(db, c, a->region, CONTACTS_SAVE_TIMES,
				     &why);
	a->id = c->id;
	contact_free(c);
	if (rc < 0) {
		a->err = why ? why : xstrdup("cannot store a contact");
		return -1;
	}
	free(why);
	return 0;
}

static int remove_contact(struct db *db, int64_t id)
{
	int rc = contacts_delete(db, id);

	return rc == -ENOENT ? 0 : rc;
}

/* Mine as a new contact beside theirs. */
static int copy_contact(struct db *db, const char *uid, json_t *mine,
			const char *region, char **err)
{
	struct contact *k = card_of(mine);
	const char *bu = json_string_value(json_object_get(mine, "book"));

	(void)uid;
	if (!k) {
		*err = xstrdup("this machine's version cannot be read");
		return -1;
	}
	char *nu = uid_new();
	str_set(&k->uid, nu);
	free(nu);
	k->book_id = bu ? ds_local(db, book_by_uid_sql, "book", bu) : 0;
	if (!k->book_id)
		books_default(db, &k->book_id);
	k->id = 0;
	int rc = contacts_save(db, k, region, err);
	contact_free(k);
	return rc < 0 ? -1 : 0;
}

const struct ds_kind ds_contact = {
	.name = "contact",
	.holds_sql = "SELECT 1 FROM contacts WHERE id = ? AND uid = ?",
	.text = contact_text,
	.apply = apply_contact,
	.remove = remove_contact,
	.copy = copy_contact,
};

/* ---- the call log -------------------------------------------------------------------------- */

static char *call_text(struct db *db, int64_t id)
{
	struct call_entry *e;

	if (calls_get(db, id, &e) < 0)
		return NULL;
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
	calls_entries_free(e, 1);
	return ds_dump(j);
}

static int apply_call(struct ds_apply *a, json_t *j)
{
	struct call_entry e = { 0 };
	const char *kind = NULL, *dir = NULL, *outcome = NULL, *cur = NULL;
	json_int_t started = 0, duration = 0, cost = -1;
	double loss = -1, jit = 0, rtt = 0, mos = 0;
	int seen = 1;
	json_error_t je;

	ds_strip_nulls(j);
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
		a->err = xasprintf("a call that cannot be read: %s", je.text);
		return -1;
	}
	if (a->local)
		calls_delete(a->db, a->local);
	/* the strings are borrowed from j: copies for calls_add */
	e.peer = xstrdup(e.peer);
	e.peer_name = xstrdup(e.peer_name);
	e.uid = xstrdup(a->uid);
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
	int rc = calls_add(a->db, &e, a->region, &why);
	if (rc == 0 && !seen) {
		sqlite3_stmt *st = db_stmt(a->db, "UPDATE calls SET seen = 0 "
					   "WHERE id = ?");
		if (st) {
			sqlite3_bind_int64(st, 1, e.id);
			db_step_done(st);
		}
	}
	a->id = e.id;
	free(e.peer);
	free(e.peer_name);
	free(e.uid);
	free(e.currency);
	free(e.contact_name);
	if (rc < 0) {
		a->err = why ? why : xstrdup("cannot store a call");
		return -1;
	}
	free(why);
	return 0;
}

static int remove_call(struct db *db, int64_t id)
{
	int rc = calls_delete(db, id);

	return rc == -ENOENT ? 0 : rc;
}

const struct ds_kind ds_call = {
	.name = "call",
	.holds_sql = "SELECT 1 FROM calls WHERE id = ? AND uid = ?",
	.text = call_text,
	.apply = apply_call,
	.remove = remove_call,
	.partial = true,	/* the old entry goes, then the new comes */
};
