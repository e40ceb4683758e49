/* store/calls: the call log (see calls.h). */
#include "store/calls.h"
#include "store/contact.h"
#include "store/db.h"
#include "common/phone.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALLS_PEER_MAX 256

static const char *const kind_names[] = { "pc", "phone" };
static const char *const dir_names[] = { "in", "out" };
static const char *const outcome_names[CALL_OUTCOME_COUNT] = {
	"answered", "missed", "rejected", "failed", "voicemail", "busy",
	"cancelled",
};
static const char *const filter_names[CALLS_FILTER_COUNT] = {
	"all", "missed", "incoming", "outgoing", "pc", "phone",
};

const char *calls_kind_name(enum call_kind k)
{
	return (unsigned)k < 2 ? kind_names[k] : "?";
}

const char *calls_dir_name(enum call_dir d)
{
	return (unsigned)d < 2 ? dir_names[d] : "?";
}

const char *calls_outcome_name(enum call_outcome o)
{
	return (unsigned)o < CALL_OUTCOME_COUNT ? outcome_names[o] : "?";
}

const char *calls_filter_name(enum calls_filter f)
{
	return (unsigned)f < CALLS_FILTER_COUNT ? filter_names[f] : "?";
}

static int parse_name(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (str_ieq(s, names[i]))
			return i;
	return -1;
}

int calls_kind_parse(const char *s, enum call_kind *k)
{
	int i = parse_name(s, kind_names, 2);

	if (i < 0)
		return -EINVAL;
	*k = (enum call_kind)i;
	return 0;
}

int calls_dir_parse(const char *s, enum call_dir *d)
{
	int i = parse_name(s, dir_names, 2);

	if (i < 0)
		return -EINVAL;
	*d = (enum call_dir)i;
	return 0;
}

int calls_outcome_parse(const char *s, enum call_outcome *o)
{
	int i = parse_name(s, outcome_names, CALL_OUTCOME_COUNT);

	if (i < 0)
		return -EINVAL;
	*o = (enum call_outcome)i;
	return 0;
}

const char *calls_display_name(const struct call_entry *e)
{
	if (!str_empty(e->contact_name))
		return e->contact_name;
	if (!str_empty(e->peer_name))
		return e->peer_name;
	return e->peer ? e->peer : "";
}

void calls_entry_clear(struct call_entry *e)
{
	free(e->uid);
	free(e->peer);
	free(e->peer_name);
	free(e->currency);
	free(e->contact_name);
	memset(e, 0, sizeof *e);
}

void calls_entry_free(struct call_entry *e)
{
	if (!e)
		return;
	calls_entry_clear(e);
	free(e);
}

void calls_entries_free(struct call_entry *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		calls_entry_clear(&v[i]);
	free(v);
}

/* ---- adding ------------------------------------------------------------ */

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static bool talk_time_allowed(enum call_outcome o)
{
	return o == CALL_ANSWERED || o == CALL_VOICEMAIL || o == CALL_FAILED;
}

/* A message for the first field that is not valid, or NULL. */
static char *check_fields(const struct call_entry *e)
{
	if ((unsigned)e->kind > CALL_PHONE)
		return xstrdup("a call is a pc or a phone call");
	if ((unsigned)e->dir > CALL_OUT)
		return xstrdup("a call's direction is in or out");
	if ((unsigned)e->outcome >= CALL_OUTCOME_COUNT)
		return xstrdup("a call's outcome is answered, missed, rejected,"
			       " failed, voicemail, busy or cancelled");
	if (str_empty(e->peer))
		return xstrdup("a call needs a peer: a user name or a phone "
			       "number");
	if (strlen(e->peer) > CALLS_PEER_MAX ||
	    !utf8_valid(e->peer, strlen(e->peer)) || has_control(e->peer))
		return xasprintf("bad peer '%.40s': at most %d characters, no "
				 "control characters", e->peer,
				 CALLS_PEER_MAX);
	if (e->peer_name && (!utf8_valid(e->peer_name, strlen(e->peer_name)) ||
			     has_control(e->peer_name)))
		return xstrdup("bad peer name: it must be UTF-8 text without "
			       "control characters");
	if (e->started < 0)
		return xstrdup("a call cannot start before 1970");
	if (e->duration < 0)
		return xasprintf("bad duration %lld: give seconds, 0 or more",
				 (long long)e->duration);
	if (e->duration > 0 && !talk_time_allowed(e->outcome))
		return xasprintf("a %s call has no talk time: its duration "
				 "must be 0", calls_outcome_name(e->outcome));
	if (e->has_cost && e->kind != CALL_PHONE)
		return xstrdup("only phone calls have a cost; PC-to-PC calls "
			       "are free");
	if (e->has_cost && e->cost_cents < 0)
		return xstrdup("a call's cost cannot be negative");
	if (e->currency) {
		const char *c = e->currency;
		if (strlen(c) != 3 || c[0] < 'A' || c[0] > 'Z' ||
		    c[1] < 'A' || c[1] > 'Z' || c[2] < 'A' || c[2] > 'Z')
			return xasprintf("bad currency '%.20s': use a three-"
					 "letter code such as EUR or GBP", c);
	}
	if (e->has_quality &&
	    (!(e->loss >= 0 && e->loss <= 1) || !(e->jitter_ms >= 0) ||
	     !(e->rtt_ms >= 0) || !(e->mos >= 1 && e->mos <= 5)))
		return xstrdup("bad call quality: loss is a fraction 0..1, "
			       "jitter and round trip are 0 ms or more, MOS "
			       "is 1..5");
	return NULL;
}

static int first_id(sqlite3_stmt *st, int64_t *id)
{
	int rc = sqlite3_step(st);

	*id = 0;
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* Which contact the call was with: the one given (it must exist), else for
 * a phone call the first contact holding that number. */
static int resolve_contact(struct db *db, struct call_entry *e, char **err)
{
	int64_t id;

	if (e->contact_id) {
		sqlite3_stmt *st = db_stmt(db, "SELECT id FROM contacts "
					   "WHERE id = ?");
		if (!st)
			return -EIO;
		sqlite3_bind_int64(st, 1, e->contact_id);
		if (first_id(st, &id) < 0)
			return -EIO;
		if (!id) {
			*err = xasprintf("no contact %lld (see: confab contacts"
					 " list)", (long long)e->contact_id);
			return -EINVAL;
		}
		return 0;
	}
	if (e->kind != CALL_PHONE)
		return 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT contact_id FROM contact_fields"
				   " WHERE kind = ?1 AND norm = ?2 "
				   "ORDER BY contact_id LIMIT 1");
	if (!st)
		return -EIO;
	sqlite3_bind_int(st, 1, CF_PHONE);
	sqlite3_bind_text(st, 2, e->peer, -1, SQLITE_STATIC);
	if (first_id(st, &id) < 0)
		return -EIO;
	e->contact_id = id;
	return 0;
}

static const char sql_insert[] =
	"INSERT INTO calls(uid, kind, direction, peer, peer_name, contact_id,"
	" started, duration, outcome, cost_cents, currency, loss, jitter_ms,"
	" rtt_ms, mos, seen, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	" ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

static int insert_row(struct db *db, struct call_entry *e)
{
	sqlite3_stmt *st = db_stmt(db, sql_insert);

	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, e->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, calls_kind_name(e->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, calls_dir_name(e->dir), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->peer, -1, SQLITE_STATIC);
	db_bind_opt(st, 5, e->peer_name);
	if (e->contact_id)
		sqlite3_bind_int64(st, 6, e->contact_id);
	sqlite3_bind_int64(st, 7, e->started);
	sqlite3_bind_int64(st, 8, e->duration);
	sqlite3_bind_text(st, 9, calls_outcome_name(e->outcome), -1,
			  SQLITE_STATIC);
	if (e->has_cost)
		sqlite3_bind_int64(st, 10, e->cost_cents);
	db_bind_opt(st, 11, e->currency);
	if (e->has_quality) {
		sqlite3_bind_double(st, 12, e->loss);
		sqlite3_bind_double(st, 13, e->jitter_ms);
		sqlite3_bind_double(st, 14, e->rtt_ms);
		sqlite3_bind_double(st, 15, e->mos);
	}
	sqlite3_bind_int(st, 16, e->seen);
	sqlite3_bind_int64(st, 17, e->created);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	if (rc != SQLITE_DONE)
		return -EIO;
	e->id = sqlite3_last_insert_rowid(db_handle(db));
	return 0;
}

int calls_add(struct db *db, struct call_entry *e, const char *region,
	      char **err)
{
	char *msg = e->id ? xstrdup("calls_add: the call is already stored") :
			    check_fields(e);
	int rc;

	if (!msg && e->kind == CALL_PHONE) {
		char *num = phone_e164(e->peer, region);
		if (!num)
			msg = xasprintf("'%s' is not a phone number: give it "
					"with its country code, e.g. "
					"+44 20 7946 0958", e->peer);
		else
			str_set(&e->peer, num);
		free(num);
	}
	if (msg) {
		if (err)
			*err = msg;
		else
			free(msg);
		return -EINVAL;
	}
	msg = NULL;
	rc = resolve_contact(db, e, &msg);
	if (rc < 0) {
		if (err)
			*err = msg ? msg : xasprintf("cannot look up the "
						     "caller: %s",
						     db_errmsg(db));
		else
			free(msg);
		return rc;
	}
	if (str_empty(e->uid))
		str_set(&e->uid, NULL), e->uid = uid_new();
	e->created = time(NULL);
	if (!e->started)
		e->started = e->created;
	e->seen = !(e->dir == CALL_IN && e->outcome == CALL_MISSED);
	rc = insert_row(db, e);
	if (rc < 0) {
		e->id = 0;
		if (err)
			*err = rc == -EEXIST ?
				xasprintf("a call with UID %s is already in "
					  "the log", e->uid) :
				xasprintf("cannot save the call: %s",
					  db_errmsg(db));
	}
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

/* The contact a call is shown as: the stored one, else (phone calls) the
 * first holding the number, found through contact_fields_by_norm. */
#define CALLS_SELECT \
	"SELECT m.id, m.uid, m.kind, m.direction, m.peer, m.peer_name," \
	" m.cid, m.started, m.duration, m.outcome, m.cost_cents, m.currency," \
	" m.loss, m.jitter_ms, m.rtt_ms, m.mos, m.seen, m.created, c.fn " \
	"FROM (SELECT k.*, coalesce(k.contact_id, CASE WHEN k.kind = 'phone'" \
	" THEN (SELECT f.contact_id FROM contact_fields f WHERE f.kind = 1" \
	" AND f.norm = k.peer ORDER BY f.contact_id LIMIT 1) END) AS cid" \
	" FROM calls k "

/* ?1 direction, ?2 kind, ?3 outcome (NULL: any), ?4 limit.  The scan
 * walks calls_by_started from the newest and stops at the limit. */
static const char sql_list[] = CALLS_SELECT
	"WHERE (?1 IS NULL OR k.direction = ?1) AND (?2 IS NULL OR k.kind = ?2)"
	" AND (?3 IS NULL OR k.outcome = ?3)"
	" ORDER BY k.started DESC, k.id DESC LIMIT ?4) m "
	"LEFT JOIN contacts c ON c.id = m.cid "
	"ORDER BY m.started DESC, m.id DESC";
static const char sql_get[] = CALLS_SELECT "WHERE k.id = ?1) m "
	"LEFT JOIN contacts c ON c.id = m.cid";

static void read_row(sqlite3_stmt *st, struct call_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->uid = db_col_dup(st, 1);
	calls_kind_parse(COL_TEXT(st, 2), &e->kind);
	calls_dir_parse(COL_TEXT(st, 3), &e->dir);
	e->peer = db_col_dup(st, 4);
	e->peer_name = db_col_dup(st, 5);
	e->contact_id = sqlite3_column_int64(st, 6);
	e->started = sqlite3_column_int64(st, 7);
	e->duration = sqlite3_column_int64(st, 8);
	calls_outcome_parse(COL_TEXT(st, 9), &e->outcome);
	e->has_cost = sqlite3_column_type(st, 10) != SQLITE_NULL;
	e->cost_cents = sqlite3_column_int64(st, 10);
	e->currency = db_col_dup(st, 11);
	e->has_quality = sqlite3_column_type(st, 12) != SQLITE_NULL;
	e->loss = sqlite3_column_double(st, 12);
	e->jitter_ms = sqlite3_column_double(st, 13);
	e->rtt_ms = sqlite3_column_double(st, 14);
	e->mos = sqlite3_column_double(st, 15);
	e->seen = sqlite3_column_int(st, 16) != 0;
	e->created = sqlite3_column_int64(st, 17);
	e->contact_name = db_col_dup(st, 18);
}

int calls_list(struct db *db, enum calls_filter f, size_t limit,
	       struct call_entry **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, sql_list);
	size_t len = 0, cap = 64;
	struct call_entry *v;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	if (f == CALLS_MISSED || f == CALLS_INCOMING)
		sqlite3_bind_text(st, 1, "in", -1, SQLITE_STATIC);
	else if (f == CALLS_OUTGOING)
		sqlite3_bind_text(st, 1, "out", -1, SQLITE_STATIC);
	if (f == CALLS_PC || f == CALLS_PHONE)
		sqlite3_bind_text(st, 2, f == CALLS_PC ? "pc" : "phone", -1,
				  SQLITE_STATIC);
	if (f == CALLS_MISSED)
		sqlite3_bind_text(st, 3, "missed", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, limit > INT64_MAX ? INT64_MAX :
				  (int64_t)limit);
	v = xmalloc(cap * sizeof *v);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		read_row(st, &v[len++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		calls_entries_free(v, len);
		return -EIO;
	}
	*out = v;
	*n = len;
	return 0;
}

int calls_get(struct db *db, int64_t id, struct call_entry **out)
{
	sqlite3_stmt *st = db_stmt(db, sql_get);

	*out = NULL;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? -ENOENT : -EIO;
	}
	*out = xmalloc(sizeof **out);
	read_row(st, *out);
	sqlite3_reset(st);
	return 0;
}

int calls_delete(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM calls WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

static int64_t count(struct db *db, sqlite3_stmt *st)
{
	int64_t n = 0;

	if (!st)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int64_t calls_count(struct db *db)
{
	return count(db, db_stmt(db, "SELECT count(*) FROM calls"));
}

/* Only incoming missed calls are ever stored unseen, so this counts the
 * rows of the small partial index calls_unseen. */
int64_t calls_unseen_missed(struct db *db)
{
	return count(db, db_stmt(db, "SELECT count(*) FROM calls "
				 "WHERE seen = 0"));
}

int calls_mark_seen(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE calls SET seen = 1 "
				   "WHERE seen = 0");

	if (!st)
		return -EIO;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
