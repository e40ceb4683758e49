/* fuzz_datasync: what the client does with a GET /v1/sync reply (books,
 * contacts, calls, appointments, CRM records and their notes) on
 * arbitrary bytes.
 *
 * The input is parsed as JSON and given to datasync_apply() twice, the
 * second time as a retried page is.  Each input starts from a new
 * client's in-memory database, so that a crash replays from its input
 * alone.  Beyond the sanitizers, after every call:
 *
 *   - the answer is -1, 0 or 1, with an error message exactly on -1,
 *     and the skipped records' count agrees with its reason;
 *   - a refused reply stores nothing (datasync.h promises it): neither
 *     rows nor the pull revision "sync.rev";
 *   - after an accepted reply sync.rev is the reply's "rev", every
 *     record it carried is known to sync_map or waits in sync_parked,
 *     and a deletion that was applied leaves no row with that uid;
 *   - no transaction is left open, the sync triggers are live again
 *     (sync_ctl.applying = 0), no foreign key dangles, and the contact
 *     and CRM search indexes agree with their tables (FTS5
 *     integrity-check, one index row per row, and each CRM row's index
 *     text is its fields and notes);
 *   - applying an accepted reply again is accepted too and changes no
 *     row count.
 *
 * Revisions come from a counter on the server (store/srv_sync.c), so
 * a reply's are 1 or more; the checks that rest on that skip entries
 * below 1 instead of calling them bugs.
 *
 *   make build/fuzz/fuzz_datasync
 *   build/fuzz/fuzz_datasync -max_total_time=120 tests/fuzz/corpus/datasync
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "net/datasync.h"
#include "store/db.h"

#define REGION "GB"

static struct db *db, *empty;

/* Tables a reply can change, and the one each kind's uid lives in. */
static const char *const count_sql[] = {
	"SELECT count(*) FROM books",
	"SELECT count(*) FROM contacts",
	"SELECT count(*) FROM calls",
	"SELECT count(*) FROM appointments",
	"SELECT count(*) FROM crm_records",
	"SELECT count(*) FROM crm_events",
	"SELECT count(*) FROM sync_map",
	"SELECT count(*) FROM sync_parked",	/* last: see the retry */
};
#define NTABLES (sizeof count_sql / sizeof count_sql[0])

static const struct {
	const char *kind, *sql;
} uid_sql[] = {
	{ "book", "SELECT count(*) FROM books WHERE uid = ?" },
	{ "contact", "SELECT count(*) FROM contacts WHERE uid = ?" },
	{ "call", "SELECT count(*) FROM calls WHERE uid = ?" },
	{ "appointment", "SELECT count(*) FROM appointments WHERE uid = ?" },
	{ "crm", "SELECT count(*) FROM crm_records WHERE uid = ?" },
	{ "crm_note", "SELECT count(*) FROM crm_events WHERE uid = ?" },
};
#define NKINDS (sizeof uid_sql / sizeof uid_sql[0])

struct state {
	int64_t rows[NTABLES];
	char *rev;
};

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_datasync: invariant broken: %s\n", what);
		abort();
	}
}

static void open_db(struct db **out)
{
	char *err = NULL;

	if (db_open(out, ":memory:", db_client_migrations,
		    db_client_nmigrations, &err) < 0) {
		fprintf(stderr, "fuzz_datasync: %s\n", err ? err : "db_open");
		abort();
	}
}

/* The database as a new client's, copied from one kept empty: opening
 * and migrating takes about 12 ms under the sanitizers, the copy a
 * fraction of that, and leaves the same bytes every time. */
static void fresh_db(void)
{
	sqlite3_backup *b;

	if (!db) {
		log_open("/dev/null", LOG_ERR);
		open_db(&empty);
		open_db(&db);
	}
	b = sqlite3_backup_init(db_handle(db), "main", db_handle(empty),
				"main");
	check(b != NULL, "cannot start copying the empty database");
	check(sqlite3_backup_step(b, -1) == SQLITE_DONE &&
	      sqlite3_backup_finish(b) == SQLITE_OK,
	      "cannot copy the empty database");
}

static int64_t count(const char *sql, const char *uid)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	int64_t n = -1;

	check(st != NULL, sql);
	if (uid)
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	check(n >= 0, "a count query failed");
	return n;
}

static void state_take(struct state *s)
{
	for (size_t i = 0; i < NTABLES; i++)
		s->rows[i] = count(count_sql[i], NULL);
	s->rev = db_setting_get(db, "sync.rev");
}

static bool same_rev(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void state_same(const struct state *a, const struct state *b,
		       const char *what)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (a->rows[i] != b->rows[i]) {
			fprintf(stderr, "fuzz_datasync: %s: %s went from "
				"%lld to %lld\n", what, count_sql[i],
				(long long)a->rows[i], (long long)b->rows[i]);
			check(false, what);
		}
	check(same_rev(a->rev, b->rev), what);
}

static const char *uid_query(const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(uid_sql[i].kind, kind) == 0)
			return uid_sql[i].sql;
	return NULL;
}

/* What holds whatever the reply was. */
static void check_db(void)
{
	sqlite3_stmt *st;

	check(sqlite3_get_autocommit(db_handle(db)), "a transaction left "
	      "open");
	check(count("SELECT count(*) FROM sync_ctl WHERE applying <> 0",
		    NULL) == 0, "sync_ctl.applying left on: the triggers "
	      "stay quiet");
	check(sqlite3_prepare_v2(db_handle(db), "PRAGMA foreign_key_check",
				 -1, &st, NULL) == SQLITE_OK,
	      "foreign_key_check statement");
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	check(rc == SQLITE_DONE, "a foreign key points nowhere");
	check(db_exec(db, "INSERT INTO contacts_fts(contacts_fts) "
		      "VALUES ('integrity-check')") == 0,
	      "contacts_fts is corrupt");
	check(db_exec(db, "INSERT INTO crm_fts(crm_fts) "
		      "VALUES ('integrity-check')") == 0,
	      "crm_fts is corrupt");
	check(count("SELECT (SELECT count(*) FROM contacts WHERE id NOT IN "
		    "(SELECT rowid FROM contacts_fts)) + (SELECT count(*) "
		    "FROM contacts_fts WHERE rowid NOT IN (SELECT id FROM "
		    "contacts))", NULL) == 0,
	      "contacts and their index rows differ");
	check(count("SELECT count(*) FROM crm_fts WHERE rowid NOT IN "
		    "(SELECT id FROM crm_records)", NULL) == 0,
	      "an index row of a CRM record that is gone");
	/* the text crm_reindex() puts there (store/crm_timeline.c) */
	check(count("SELECT count(*) FROM crm_records r LEFT JOIN crm_fts f "
		    "ON f.rowid = r.id WHERE f.rowid IS NULL "
		    "OR f.name IS NOT r.name OR f.status IS NOT r.status "
		    "OR coalesce(f.notes, '') <> coalesce((SELECT "
		    "group_concat(text, ' ') FROM (SELECT text FROM crm_events"
		    " WHERE record_id = r.id AND text IS NOT NULL ORDER BY "
		    "at, id)), '')", NULL) == 0,
	      "a CRM record's index row is not its fields and notes");
}

/* An entry's fields, as datasync_apply() reads them (it refuses the
 * whole reply when one of them is not so). */
struct entry {
	const char *kind, *uid;
	json_int_t rev;
	bool deleted;
};

static bool entry_of(json_t *c, struct entry *e)
{
	e->kind = json_string_value(json_object_get(c, "kind"));
	e->uid = json_string_value(json_object_get(c, "uid"));
	e->rev = json_integer_value(json_object_get(c, "rev"));
	e->deleted = json_is_true(json_object_get(c, "deleted"));
	return e->kind && e->uid && json_is_integer(json_object_get(c, "rev"))
	       && uid_query(e->kind);
}

static bool same_record(const struct entry *a, const struct entry *b)
{
	return strcmp(a->kind, b->kind) == 0 && strcmp(a->uid, b->uid) == 0;
}

/* After an accepted reply on an empty database. */
static void check_stored(json_t *list)
{
	struct entry e, o;
	size_t i, k;
	json_t *c;

	json_array_foreach(list, i, c) {
		if (!entry_of(c, &e))
			continue;
		/* the default book is changed here (dirty) from the
		 * start, and a book of the same name takes it over */
		if (e.rev <= 0 || (strcmp(e.kind, "book") == 0 &&
				   strcmp(e.uid, "personal") == 0))
			continue;
		bool last = true, newest = true;
		for (k = 0; k < json_array_size(list); k++) {
			if (k == i || !entry_of(json_array_get(list, k), &o) ||
			    !same_record(&e, &o))
				continue;
			if (k > i)
				last = false;
			else if (o.rev >= e.rev)
				newest = false;
		}
		if (!last)
			continue;
		sqlite3_stmt *st = db_stmt(db, "SELECT (SELECT count(*) FROM "
					   "sync_map WHERE kind = ?1 AND uid = "
					   "?2) + (SELECT count(*) FROM "
					   "sync_parked WHERE kind = ?1 AND "
					   "uid = ?2)");
		check(st != NULL, "sync_map statement");
		sqlite3_bind_text(st, 1, e.kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, e.uid, -1, SQLITE_STATIC);
		check(db_step_int64(st, -1) >= 1, "a record of the reply is "
		      "neither known nor waiting");
		sqlite3_clear_bindings(st);
		/* an applied deletion: older entries cannot undo it */
		if (e.deleted && newest)
			check(count(uid_query(e.kind), e.uid) == 0,
			      "a deleted record still has a row");
	}
}

static void check_counts(struct datasync_counts *c)
{
	check(c->changed >= 0 && c->unusable >= 0, "negative counts");
	check((c->unusable > 0) == (c->why != NULL), "skipped records "
	      "without a reason, or a reason without one");
	free(c->why);
	memset(c, 0, sizeof *c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state blank;	/* a new client's */
	static bool blank_taken;
	struct datasync_counts counts = { 0 };
	struct state s0, s1, s2;
	char *err = NULL;
	json_t *j, *list, *c;
	bool sane = true;
	int rc, rc2;
	size_t i;

	j = json_loadb((const char *)data, size, 0, NULL);
	if (!j)
		return 0;
	fresh_db();
	state_take(&s0);
	if (!blank_taken) {
		blank_taken = true;
		memcpy(blank.rows, s0.rows, sizeof blank.rows);
		blank.rev = s0.rev ? strdup(s0.rev) : NULL;
	}
	state_same(&blank, &s0, "the database was not emptied");
	rc = datasync_apply(db, j, REGION, &counts, &err);
	check(rc >= -1 && rc <= 1, "datasync_apply's answer");
	check((rc < 0) == (err != NULL), "an error without a message, or a "
	      "message without an error");
	check_counts(&counts);
	free(err);
	err = NULL;
	check_db();
	state_take(&s1);
	if (rc < 0) {
		state_same(&s0, &s1, "a refused reply stored something");
		goto out;
	}
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)json_integer_value(
		 json_object_get(j, "rev")));
	check(s1.rev && strcmp(s1.rev, want) == 0, "sync.rev is not the "
	      "reply's revision");
	check(rc == json_is_true(json_object_get(j, "more")), "more pages "
	      "said wrong");
	list = json_object_get(j, "changes");
	check_stored(list);

	/* the same page again, as after a lost answer */
	json_array_foreach(list, i, c) {
		struct entry e, o;
		if (!entry_of(c, &e))
			continue;
		/* a book of revision 0 looks like one made here and never
		 * sent, which a book of the same name takes over
		 * (datasync_contacts.c adopt_book): it would come again */
		sane = sane && e.rev > 0;
		/* the server lists records by revision, so a record that
		 * comes twice comes newer: an older version after a newer
		 * one can take the place of the newer one waiting in
		 * sync_parked, and the second apply then brings it back */
		for (size_t k = 0; k < i; k++)
			if (entry_of(json_array_get(list, k), &o) &&
			    same_record(&e, &o))
				sane = sane && o.rev < e.rev;
	}
	rc2 = datasync_apply(db, j, REGION, &counts, &err);
	check(rc2 == rc, "the same reply again is answered otherwise");
	check(err == NULL, "an error message with an answer of 0 or 1");
	check_counts(&counts);
	free(err);
	check_db();
	state_take(&s2);
	if (sane && rc == 0) {
		state_same(&s1, &s2, "the same reply again changed rows");
	} else if (sane) {
		/* with more to come, what waits for a record not here yet
		 * may stay waiting: the same rows, the same waiting */
		state_same(&s1, &s2, "the same reply again changed rows");
	}
	check(same_rev(s1.rev, s2.rev), "the same reply again moved "
	      "sync.rev");
	free(s2.rev);
out:
	free(s0.rev);
	free(s1.rev);
	json_decref(j);
	return 0;
}
