/* store/contacts: contacts, their fields and tags, and the FTS5 index. */
#include "store/contacts.h"
#include "store/db.h"
#include "common/phone.h"
#include "common/str.h"
#include "common/uid.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


void contacts_normalise(struct contact *c, const char *region)
{
	for (size_t i = 0; i < c->nfields; i++) {
		struct cfield *f = &c->fields[i];
		free(f->norm);
		f->norm = NULL;
		if (f->kind == CF_PHONE)
			f->norm = phone_e164(f->value, region);
		else if (f->kind == CF_EMAIL && !str_empty(f->value))
			f->norm = str_fold(f->value);
	}
	contact_fill_fn(c);
	if (str_empty(c->uid))
		str_set(&c->uid, NULL), c->uid = uid_new();
}

static char *sort_key(const struct contact *c)
{
	if (!str_empty(c->family)) {
		char *s = xasprintf("%s %s", c->family,
				    c->given ? c->given : "");
		char *k = str_fold(s);
		free(s);
		return k;
	}
	return str_fold(c->fn ? c->fn : "");
}

/* The text the search index holds for one contact. */
struct fts_row {
	struct sbuf name, org, email, phone, tags;
};

static void word(struct sbuf *b, const char *s)
{
	sbuf_add(b, s);
	sbuf_addc(b, ' ');
}

/* Digit strings a phone is found by: its E.164 digits ("442079460958"),
 * its national number ("2079460958") and, when different, the digits as
 * written.  A typed trunk 0 ("020…") is handled by the query. */
static void fts_phone(struct sbuf *b, const struct cfield *f)
{
	char *d = str_digits(f->value);

	if (f->norm) {
		const char *e = f->norm + 1;
		const char *nsn = e + phone_cc_digits(f->norm);
		word(b, e);
		word(b, nsn);
		if (*d && strcmp(d, e) != 0 && strcmp(d, nsn) != 0 &&
		    !(d[0] == '0' && strcmp(d + 1, nsn) == 0))
			word(b, d);
	} else if (*d) {
		word(b, d);
	}
	free(d);
}

/* Add a name part unless the display name already holds it. */
static void fts_name(struct sbuf *b, const char *fn, const char *part)
{
	if (!str_empty(part) && (!fn || !strstr(fn, part)))
		word(b, part);
}

static void fts_fill(struct fts_row *r, const struct contact *c)
{
	memset(r, 0, sizeof *r);
	word(&r->name, c->fn ? c->fn : "");
	fts_name(&r->name, c->fn, c->given);
	fts_name(&r->name, c->fn, c->family);
	fts_name(&r->name, c->fn, c->additional);
	fts_name(&r->name, c->fn, c->nickname);
	const char *orgs[] = { c->org, c->department, c->title };
	for (size_t i = 0; i < 3; i++)
		if (!str_empty(orgs[i]))
			word(&r->org, orgs[i]);
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cfield *f = &c->fields[i];
		if (f->kind == CF_EMAIL)
			word(&r->email, f->value);
		else if (f->kind == CF_PHONE)
			fts_phone(&r->phone, f);
		else if (f->kind == CF_ADDR) {
			char *a = contact_addr_display(f->value);
			word(&r->org, a);
			free(a);
		}
	}
	for (size_t i = 0; i < c->ntags; i++)
		word(&r->tags, c->tags[i]);
}

static void fts_clear(struct fts_row *r)
{
	sbuf_free(&r->name);
	sbuf_free(&r->org);
	sbuf_free(&r->email);
	sbuf_free(&r->phone);
	sbuf_free(&r->tags);
}

/* A new contact's row is only inserted: FTS5 writes out the terms it
 * holds in memory whenever a delete comes, so a delete of nothing before
 * each insert would make an import write a segment per contact. */
static int save_index(struct db *db, const struct contact *c, bool fresh)
{
	sqlite3_stmt *del = db_stmt(db, "DELETE FROM contacts_fts "
				    "WHERE rowid = ?");
	sqlite3_stmt *ins = db_stmt(db, "INSERT INTO contacts_fts(rowid, name,"
				    " org, email, phone, notes, tags) "
				    "VALUES (?, ?, ?, ?, ?, ?, ?)");
	struct fts_row r;

	if (!del || !ins)
		return -EIO;
	sqlite3_bind_int64(del, 1, c->id);
	if (!fresh && db_step_done(del) < 0)
		return -EIO;
	fts_fill(&r, c);
	sqlite3_bind_int64(ins, 1, c->id);
	sqlite3_bind_text(ins, 2, sbuf_str(&r.name), -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, sbuf_str(&r.org), -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, sbuf_str(&r.email), -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 5, sbuf_str(&r.phone), -1, SQLITE_STATIC);
	db_bind_opt(ins, 6, c->notes);
	sqlite3_bind_text(ins, 7, sbuf_str(&r.tags), -1, SQLITE_STATIC);
	int rc = db_step_done(ins);
	fts_clear(&r);
	return rc;
}

static int save_children(struct db *db, const struct contact *c, bool fresh)
{
	sqlite3_stmt *df = db_stmt(db, "DELETE FROM contact_fields "
				   "WHERE contact_id = ?");
	sqlite3_stmt *dt = db_stmt(db, "DELETE FROM contact_tags "
				   "WHERE contact_id = ?");
	sqlite3_stmt *dp = db_stmt(db, "DELETE FROM contact_photos "
				   "WHERE contact_id = ?");
	sqlite3_stmt *inf = db_stmt(db, "INSERT INTO contact_fields(contact_id,"
				    " kind, label, value, norm, params, pref, "
				    "pos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *it = db_stmt(db, "INSERT OR IGNORE INTO contact_tags("
				   "contact_id, tag, pos) VALUES (?, ?, ?)");
	sqlite3_stmt *ip = db_stmt(db, "INSERT INTO contact_photos(contact_id,"
				   " type, data, uri) VALUES (?, ?, ?, ?)");

	if (!df || !dt || !dp || !inf || !it || !ip)
		return -EIO;
	if (!fresh) {	/* a new contact has no children yet */
		sqlite3_bind_int64(df, 1, c->id);
		sqlite3_bind_int64(dt, 1, c->id);
		sqlite3_bind_int64(dp, 1, c->id);
		if (db_step_done(df) < 0 || db_step_done(dt) < 0 ||
		    db_step_done(dp) < 0)
			return -EIO;
	}
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cfield *f = &c->fields[i];
		sqlite3_bind_int64(inf, 1, c->id);
		sqlite3_bind_int(inf, 2, f->kind);
		db_bind_opt(inf, 3, f->label);
		sqlite3_bind_text(inf, 4, f->value ? f->value : "", -1,
				  SQLITE_STATIC);
		db_bind_opt(inf, 5, f->norm);
		db_bind_opt(inf, 6, f->params);
		sqlite3_bind_int(inf, 7, f->pref);
		sqlite3_bind_int64(inf, 8, (int64_t)i);
		if (db_step_done(inf) < 0)
			return -EIO;
	}
	for (size_t i = 0; i < c->ntags; i++) {
		sqlite3_bind_int64(it, 1, c->id);
		sqlite3_bind_text(it, 2, c->tags[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(it, 3, (int64_t)i);
		if (db_step_done(it) < 0)
			return -EIO;
	}
	if (c->photo_len || !str_empty(c->photo_uri)) {
		sqlite3_bind_int64(ip, 1, c->id);
		db_bind_opt(ip, 2, c->photo_type);
		if (c->photo_len)
			sqlite3_bind_blob(ip, 3, c->photo, (int)c->photo_len,
					  SQLITE_STATIC);
		db_bind_opt(ip, 4, c->photo_uri);
		if (db_step_done(ip) < 0)
			return -EIO;
	}
	return 0;
}

static const char sql_insert[] =
	"INSERT INTO contacts(book_id, uid, fn, family, given, additional,"
	" prefix, suffix, nickname, org, department, title, bday, notes, extra,"
	" email1, phone1, sort_name, sort_given, sort_org, created, updated)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";
static const char sql_update[] =
	"UPDATE contacts SET book_id=?1, uid=?2, fn=?3, family=?4, given=?5,"
	" additional=?6, prefix=?7, suffix=?8, nickname=?9, org=?10,"
	" department=?11, title=?12, bday=?13, notes=?14, extra=?15,"
	" email1=?16, phone1=?17, sort_name=?18, sort_given=?19, sort_org=?20,"
	" created=?21, updated=?22 WHERE id=?23";

static int save_row(struct db *db, struct contact *c)
{
	bool insert = c->id == 0;
	sqlite3_stmt *st = db_stmt(db, insert ? sql_insert : sql_update);
	const struct cfield *em = contact_first(c, CF_EMAIL);
	const struct cfield *ph = contact_first(c, CF_PHONE);
	char *sn = sort_key(c), *sg = str_fold(c->fn), *so;

	so = str_fold(c->org ? c->org : "");
	if (!st) {
		free(sn), free(sg), free(so);
		return -EIO;
	}
	sqlite3_bind_int64(st, 1, c->book_id);
	sqlite3_bind_text(st, 2, c->uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->fn, -1, SQLITE_STATIC);
	const char *opt[] = { c->family, c->given, c->additional, c->prefix,
			      c->suffix, c->nickname, c->org, c->department,
			      c->title, c->bday, c->notes, c->extra,
			      em ? em->value : NULL, ph ? ph->value : NULL };
	for (int i = 0; i < 14; i++)
		db_bind_opt(st, 4 + i, opt[i]);
	sqlite3_bind_text(st, 18, sn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 19, sg, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 20, so, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 21, c->created);
	sqlite3_bind_int64(st, 22, c->updated);
	if (!insert)
		sqlite3_bind_int64(st, 23, c->id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	free(sn), free(sg), free(so);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	if (rc != SQLITE_DONE)
		return -EIO;
	if (insert)
		c->id = sqlite3_last_insert_rowid(db_handle(db));
	else if (sqlite3_changes(db_handle(db)) == 0)
		return -ENOENT;
	return 0;
}

int contacts_save(struct db *db, struct contact *c, const char *region,
		  char **err)
{
	return contacts_save_flags(db, c, region, 0, err);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int contacts_reindex(struct db *db, int64_t *ids, size_t n)
{
	sqlite3_stmt *del = db_stmt(db, "DELETE FROM contacts_fts "
				    "WHERE rowid = ?");
	int rc = 0;

	if (!del)
		return -EIO;
	qsort(ids, n, sizeof *ids, cmp_id);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i && ids[i] == ids[i - 1])
			continue;
		sqlite3_bind_int64(del, 1, ids[i]);
		rc = db_step_done(del);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct contact *c;

		if (i && ids[i] == ids[i - 1])
			continue;
		if ((rc = contacts_get(db, ids[i], &c)) < 0)
			break;
		rc = save_index(db, c, true);
		contact_free(c);
	}
	return rc;
}

int contacts_save_flags(struct db *db, struct contact *c, const char *region,
			unsigned flags, char **err)
{
	if (!(flags & CONTACTS_SAVE_NORMALISED))
		contacts_normalise(c, region);
	if (str_empty(c->fn)) {
		if (err)
			*err = xstrdup("a contact needs a name, an "
				       "organisation, an email or a phone");
		return -EINVAL;
	}
	if (c->bday && !contact_bday_valid(c->bday)) {
		if (err)
			*err = xasprintf("bad birthday '%s': use YYYY-MM-DD or "
					 "--MM-DD", c->bday);
		return -EINVAL;
	}
	int64_t now = time(NULL);
	bool fresh = c->id == 0, times = flags & CONTACTS_SAVE_TIMES;
	if ((fresh && !times) || c->created == 0)
		c->created = now;
	if (!times || c->updated == 0)
		c->updated = now;
	if (db_begin(db) < 0)
		return -EIO;
	int rc = save_row(db, c);
	if (rc == 0)
		rc = save_children(db, c, fresh);
	if (rc == 0 && !(flags & CONTACTS_SAVE_NO_INDEX))
		rc = save_index(db, c, fresh);
	if (rc < 0) {
		db_rollback(db);
		if (fresh)
			c->id = 0;
		if (err && rc == -EEXIST)
			*err = xasprintf("another contact in this book has "
					 "UID %s", c->uid);
		else if (err)
			*err = xasprintf("cannot save contact: %s",
					 db_errmsg(db));
		return rc;
	}
	return db_commit(db);
}

static const char sql_get[] =
	"SELECT id, book_id, uid, fn, family, given, additional, prefix,"
	" suffix, nickname, org, department, title, bday, notes, extra,"
	" created, updated FROM contacts WHERE id = ?";

int contacts_get(struct db *db, int64_t id, struct contact **out)
{
	sqlite3_stmt *st = db_stmt(db, sql_get);
	sqlite3_stmt *sf = db_stmt(db, "SELECT kind, label, value, norm, params,"
				   " pref FROM contact_fields WHERE "
				   "contact_id = ? ORDER BY pos");
	sqlite3_stmt *stg = db_stmt(db, "SELECT tag FROM contact_tags WHERE "
				    "contact_id = ? ORDER BY pos");
	sqlite3_stmt *sp = db_stmt(db, "SELECT type, data, uri FROM "
				   "contact_photos WHERE contact_id = ?");

	*out = NULL;
	if (!st || !sf || !stg || !sp)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -ENOENT;
	}
	struct contact *c = contact_new();
	c->id = sqlite3_column_int64(st, 0);
	c->book_id = sqlite3_column_int64(st, 1);
	char **cols[] = { &c->uid, &c->fn, &c->family, &c->given,
			  &c->additional, &c->prefix, &c->suffix, &c->nickname,
			  &c->org, &c->department, &c->title, &c->bday,
			  &c->notes, &c->extra };
	for (int i = 0; i < 14; i++)
		*cols[i] = db_col_dup(st, 2 + i);
	c->created = sqlite3_column_int64(st, 16);
	c->updated = sqlite3_column_int64(st, 17);
	sqlite3_reset(st);

	sqlite3_bind_int64(sf, 1, id);
	while (sqlite3_step(sf) == SQLITE_ROW) {
		struct cfield *f = contact_add_field(
			c, (enum cfield_kind)sqlite3_column_int(sf, 0),
			COL_TEXT(sf, 1), COL_TEXT(sf, 2));
		f->norm = db_col_dup(sf, 3);
		f->params = db_col_dup(sf, 4);
		f->pref = sqlite3_column_int(sf, 5) != 0;
	}
	sqlite3_reset(sf);
	sqlite3_bind_int64(stg, 1, id);
	while (sqlite3_step(stg) == SQLITE_ROW)
		contact_add_tag(c, COL_TEXT(stg, 0));
	sqlite3_reset(stg);
	sqlite3_bind_int64(sp, 1, id);
	if (sqlite3_step(sp) == SQLITE_ROW) {
		c->photo_type = db_col_dup(sp, 0);
		int n = sqlite3_column_bytes(sp, 1);
		if (n > 0) {
			c->photo = xmalloc((size_t)n);
			memcpy(c->photo, sqlite3_column_blob(sp, 1), (size_t)n);
			c->photo_len = (size_t)n;
		}
		c->photo_uri = db_col_dup(sp, 2);
	}
	sqlite3_reset(sp);
	*out = c;
	return 0;
}

int contacts_delete(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM contacts WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(st) < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int contacts_move(struct db *db, int64_t id, int64_t book_id)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE contacts SET book_id = ?, "
				   "updated = ? WHERE id = ?");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, time(NULL));
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	if (rc != SQLITE_DONE)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}

int64_t contacts_count(struct db *db, int64_t book_id)
{
	sqlite3_stmt *st = book_id ?
		db_stmt(db, "SELECT count(*) FROM contacts WHERE book_id = ?") :
		db_stmt(db, "SELECT count(*) FROM contacts");
	int64_t n = 0;

	if (!st)
		return 0;
	if (book_id)
		sqlite3_bind_int64(st, 1, book_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static int first_id(sqlite3_stmt *st, int64_t *id)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

int contacts_dup_keys(const struct contact *c, const char *region,
		      int (*fn)(void *arg, int kind, const char *key),
		      void *arg)
{
	int rc = 0;

	if (!str_empty(c->uid))
		rc = fn(arg, 0, c->uid);
	for (size_t i = 0; i < c->nfields && rc == 0; i++) {
		const struct cfield *f = &c->fields[i];
		char *norm = NULL;
		if (f->kind == CF_PHONE)
			norm = f->norm ? xstrdup(f->norm) :
					 phone_e164(f->value, region);
		else if (f->kind == CF_EMAIL && !str_empty(f->value))
			norm = str_fold(f->value);
		if (norm)
			rc = fn(arg, f->kind, norm);
		free(norm);
	}
	return rc;
}

struct dup_find {
	struct db *db;
	int64_t book_id, *id;
};

/* 1 when found, 0 to go on, -EIO */
static int dup_lookup(void *arg, int kind, const char *key)
{
	struct dup_find *d = arg;
	sqlite3_stmt *st = kind == 0 ?
		db_stmt(d->db, "SELECT id FROM contacts WHERE "
			"book_id = ?3 AND uid = ?2") :
		db_stmt(d->db, "SELECT c.id FROM contact_fields f "
			"JOIN contacts c ON c.id = f.contact_id "
			"WHERE f.kind = ?1 AND f.norm = ?2 AND "
			"c.book_id = ?3 LIMIT 1");

	if (!st)
		return -EIO;
	if (kind)
		sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, d->book_id);
	if (first_id(st, d->id) < 0)
		return -EIO;
	return *d->id != 0;
}

int contacts_find_dup(struct db *db, int64_t book_id,
		      const struct contact *c, const char *region,
		      int64_t *id)
{
	struct dup_find d = { db, book_id, id };

	*id = 0;
	return contacts_dup_keys(c, region, dup_lookup, &d) < 0 ? -EIO : 0;
}

static const char *const sql_ids[2][4] = {
	{ "SELECT id FROM contacts ORDER BY sort_name, id",
	  "SELECT id FROM contacts ORDER BY sort_given, id",
	  "SELECT id FROM contacts ORDER BY sort_org, sort_name, id",
	  "SELECT id FROM contacts ORDER BY updated DESC, id" },
	{ "SELECT id FROM contacts WHERE book_id = ? ORDER BY sort_name, id",
	  "SELECT id FROM contacts WHERE book_id = ? ORDER BY sort_given, id",
	  "SELECT id FROM contacts WHERE book_id = ? ORDER BY sort_org, "
	  "sort_name, id",
	  "SELECT id FROM contacts WHERE book_id = ? ORDER BY updated DESC, "
	  "id" },
};

static int collect_ids(sqlite3_stmt *st, size_t limit, int64_t **ids,
		       size_t *n, bool *more)
{
	size_t len = 0, cap = 256;
	int64_t *v = xmalloc(cap * sizeof *v);
	int rc;

	if (more)
		*more = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == limit) {
			if (more)
				*more = true;
			break;
		}
		if (len == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[len++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(v);
		return -EIO;
	}
	*ids = v;
	*n = len;
	return 0;
}

int contacts_ids(struct db *db, int64_t book_id, enum contacts_sort sort,
		 int64_t **ids, size_t *n)
{
	if ((unsigned)sort > CONTACTS_SORT_UPDATED)
		sort = CONTACTS_SORT_NAME;
	sqlite3_stmt *st = db_stmt(db, sql_ids[book_id != 0][sort]);

	*ids = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	if (book_id)
		sqlite3_bind_int64(st, 1, book_id);
	return collect_ids(st, (size_t)-1, ids, n, NULL);
}

/* Turn typed text into an FTS5 query: each word a prefix term, all
 * required.  Text that is a phone number becomes one digits term on the
 * phone column, so "020 7946" finds "+44 20 7946 0958". */
static char *fts_query(const char *text)
{
	struct sbuf q;
	size_t ndig = 0, nother = 0;

	for (const char *p = text; *p; p++) {
		if (*p >= '0' && *p <= '9')
			ndig++;
		else if (!strchr(" +-().", *p))
			nother++;
	}
	sbuf_init(&q);
	if (ndig >= 3 && nother == 0) {
		char *d = str_digits(text);
		/* a national number's trunk 0 is not in the E.164 form */
		if (d[0] == '0' && d[1] != '0' && d[1])
			sbuf_printf(&q, "phone : (\"%s\"* OR \"%s\"*)", d,
				    d + 1);
		else
			sbuf_printf(&q, "phone : \"%s\"*", d);
		free(d);
		return sbuf_take(&q);
	}
	db_fts_prefix_terms(&q, text);
	return sbuf_take(&q);
}

int contacts_search(struct db *db, const char *text, int64_t book_id,
		    size_t limit, int64_t **ids, size_t *n, bool *more)
{
	char *q = fts_query(text ? text : "");
	sqlite3_stmt *st;
	int rc;

	*ids = NULL;
	*n = 0;
	if (more)
		*more = false;
	if (!*q) {
		free(q);
		*ids = xmalloc(sizeof **ids);
		return 0;
	}
	/* Take the first limit+1 matches from the index, then order that
	 * handful by name: cost stays bounded however many contacts match. */
	st = book_id ?
		db_stmt(db, "SELECT c.id FROM contacts c WHERE c.id IN ("
			"SELECT f.rowid FROM contacts_fts f JOIN contacts c2 ON "
			"c2.id = f.rowid WHERE contacts_fts MATCH ?1 AND "
			"c2.book_id = ?3 LIMIT ?2) ORDER BY c.sort_name, c.id") :
		db_stmt(db, "SELECT c.id FROM contacts c WHERE c.id IN ("
			"SELECT rowid FROM contacts_fts WHERE contacts_fts "
			"MATCH ?1 LIMIT ?2) ORDER BY c.sort_name, c.id");
	if (!st) {
		free(q);
		return -EIO;
	}
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)limit + 1);
	if (book_id)
		sqlite3_bind_int64(st, 3, book_id);
	rc = collect_ids(st, limit, ids, n, more);
	free(q);
	return rc;
}

int contacts_row(struct db *db, int64_t id, struct contact_row *row)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT book_id, fn, org, email1, "
				   "phone1 FROM contacts WHERE id = ?");

	memset(row, 0, sizeof *row);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -ENOENT;
	}
	row->id = id;
	row->book_id = sqlite3_column_int64(st, 0);
	row->fn = db_col_dup(st, 1);
	row->org = db_col_dup(st, 2);
	row->email = db_col_dup(st, 3);
	row->phone = db_col_dup(st, 4);
	sqlite3_reset(st);
	return 0;
}

void contact_row_clear(struct contact_row *row)
{
	free(row->fn);
	free(row->org);
	free(row->email);
	free(row->phone);
	memset(row, 0, sizeof *row);
}

int64_t contacts_find_email(struct db *db, const char *email)
{
	sqlite3_stmt *s = db_stmt(db, "SELECT contact_id FROM contact_fields "
				  "WHERE kind = ?1 AND norm = ?2 ORDER BY "
				  "contact_id LIMIT 1");
	char *norm = str_fold(email);
	int64_t id = 0;

	if (s && norm) {
		sqlite3_bind_int(s, 1, CF_EMAIL);
		sqlite3_bind_text(s, 2, norm, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	free(norm);
	return id;
}
