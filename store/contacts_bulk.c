/* store/contacts_bulk: the fast path for large imports (see contacts.h). */
#include "store/contacts.h"
#include "store/db.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define KEYS_PER_CARD 5		/* UID, and up to about 4 phones/emails */

/* ---- the key table --------------------------------------------------------- */

/* 64-bit FNV-1a over the kind byte and the key, then mixed (the
 * splitmix64 finaliser) so that all its bits are usable. */
static uint64_t key_hash(int kind, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = (h ^ (unsigned char)kind) * 0x100000001b3ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/* A slot holds a key's 32-bit fingerprint (the hash's top half, which
 * also places it) and the contact's id; 0 is empty.  Open addressing,
 * linear probing, at most 90 % full: 9-10 bytes a key, where the Bloom
 * filter this replaced needed SQLite's index on (kind, norm) behind it. */
#define SLOT(fp, id) ((uint64_t)(fp) << 32 | (uint32_t)(id))
#define SLOT_FP(s) ((uint32_t)((s) >> 32))
#define SLOT_ID(s) ((int64_t)(uint32_t)(s))

static uint32_t key_fp(int kind, const char *key)
{
	return (uint32_t)(key_hash(kind, key) >> 32);
}

/* The fingerprint places the key: scaled to the table's size (any
 * size, so the table need not round up to a power of two). */
static size_t slot_of(const struct contacts_bulk *b, uint32_t fp)
{
	return (size_t)(((uint64_t)fp * b->nslots) >> 32);
}

static size_t slot_next(const struct contacts_bulk *b, size_t i)
{
	return i + 1 == b->nslots ? 0 : i + 1;
}

static void table_put(struct contacts_bulk *b, uint32_t fp, int64_t id)
{
	size_t i = slot_of(b, fp);

	for (; b->slots[i]; i = slot_next(b, i))
		if (b->slots[i] == SLOT(fp, id))
			return;		/* the same key of the same contact */
	b->slots[i] = SLOT(fp, id);
	b->nkeys++;
}

static void table_grow(struct contacts_bulk *b)
{
	uint64_t *old = b->slots;
	size_t n = b->nslots;

	b->nslots += b->nslots / 2;
	b->slots = xcalloc(b->nslots, sizeof *b->slots);
	b->nkeys = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i])
			table_put(b, SLOT_FP(old[i]), SLOT_ID(old[i]));
	free(old);
}

static void table_add(struct contacts_bulk *b, int kind, const char *key,
		      int64_t id)
{
	if ((b->nkeys + 1) * 10 > b->nslots * 9)	/* 90 % full */
		table_grow(b);
	table_put(b, key_fp(kind, key), id);
}

struct add_one {
	struct contacts_bulk *b;
	int64_t id;
};

static int add_key(void *arg, int kind, const char *key)
{
	struct add_one *a = arg;

	table_add(a->b, kind, key, a->id);
	return 0;
}

/* Is the key really one of contact id's?  (Fingerprints can collide.) */
static int key_of(struct db *db, int kind, const char *key, int64_t id)
{
	sqlite3_stmt *st = kind == 0 ?
		db_stmt(db, "SELECT 1 FROM contacts WHERE id = ?1 AND "
			"uid = ?3") :
		db_stmt(db, "SELECT 1 FROM contact_fields WHERE contact_id = ?1"
			" AND kind = ?2 AND norm = ?3");

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (kind)
		sqlite3_bind_int(st, 2, kind);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -EIO;
}

struct find_one {
	struct db *db;
	const struct contacts_bulk *b;
	int64_t *id;
};

/* 1 when found (in *id), 0 to go on, -EIO */
static int find_key(void *arg, int kind, const char *key)
{
	struct find_one *f = arg;
	const struct contacts_bulk *b = f->b;
	uint32_t fp = key_fp(kind, key);

	for (size_t i = slot_of(b, fp); b->slots[i]; i = slot_next(b, i)) {
		if (SLOT_FP(b->slots[i]) != fp)
			continue;
		int rc = key_of(f->db, kind, key, SLOT_ID(b->slots[i]));
		if (rc != 0) {
			if (rc > 0)
				*f->id = SLOT_ID(b->slots[i]);
			return rc;
		}
	}
	return 0;
}

/* The keys already in the book go into the table. */
static int table_load(struct db *db, struct contacts_bulk *b)
{
	sqlite3_stmt *su = db_stmt(db, "SELECT uid, id FROM contacts "
				   "WHERE book_id = ?");
	sqlite3_stmt *sf = db_stmt(db, "SELECT f.kind, f.norm, c.id FROM "
				   "contact_fields f JOIN contacts c ON "
				   "c.id = f.contact_id WHERE c.book_id = ? "
				   "AND f.norm IS NOT NULL");
	int rc;

	if (!su || !sf)
		return -EIO;
	sqlite3_bind_int64(su, 1, b->book_id);
	while ((rc = sqlite3_step(su)) == SQLITE_ROW)
		table_add(b, 0, (const char *)sqlite3_column_text(su, 0),
			  sqlite3_column_int64(su, 1));
	sqlite3_reset(su);
	if (rc != SQLITE_DONE)
		return -EIO;
	sqlite3_bind_int64(sf, 1, b->book_id);
	while ((rc = sqlite3_step(sf)) == SQLITE_ROW)
		table_add(b, sqlite3_column_int(sf, 0),
			  (const char *)sqlite3_column_text(sf, 1),
			  sqlite3_column_int64(sf, 2));
	sqlite3_reset(sf);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int contacts_fts_merging(struct db *db, bool on)
{
	if (db_exec(db, "INSERT INTO contacts_fts(contacts_fts, rank) "
		    "VALUES ('crisismerge', 64)") < 0)
		return -EIO;
	return db_exec(db, on ? "INSERT INTO contacts_fts(contacts_fts, rank) "
				"VALUES ('automerge', 4)" :	/* the default */
				"INSERT INTO contacts_fts(contacts_fts, rank) "
				"VALUES ('automerge', 0)");
}

/* ---- the interface ------------------------------------------------------- */

int contacts_bulk_begin(struct db *db, struct contacts_bulk *b,
			int64_t book_id, size_t expected)
{
	size_t keys = ((size_t)contacts_count(db, book_id) + expected) *
		      KEYS_PER_CARD;
	sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(max(id), 0) FROM "
				   "contacts");
	int rc = 0;

	memset(b, 0, sizeof *b);
	b->book_id = book_id;
	/* the table holds ids in 32 bits: beyond that (never seen), the
	 * index on (kind, norm) stays and finds the duplicates */
	if (expected && st && db_step_int64(st, INT64_MAX) + (int64_t)expected <
				      (int64_t)UINT32_MAX) {
		b->nslots = keys < 4096 ? 5120 : keys / 4 * 5; /* 80 % full */
		b->slots = xcalloc(b->nslots, sizeof *b->slots);
		rc = table_load(db, b);
	}
	if (rc == 0)
		rc = db_indexes_drop(db, "'contacts', 'contact_fields'",
				     b->slots ? "'contact_fields_by_contact'" :
				     "'contact_fields_by_contact', "
				     "'contact_fields_by_norm'", &b->ix);
	/* The search index writes its terms out each time a megabyte of
	 * them has gathered, as a segment; by default it then merges
	 * segments as it goes, which was 40 % of its cost in a large
	 * import.  Here it only merges when 64 have gathered (at about
	 * 100k contacts); searches read a few dozen segments with no cost
	 * to notice, and once the normal setting is back, later writes
	 * merge them a little at a time. */
	if (rc == 0)
		rc = contacts_fts_merging(db, false);
	return rc;
}

int contacts_bulk_find_dup(struct db *db, const struct contacts_bulk *b,
			   const struct contact *c, const char *region,
			   int64_t *id)
{
	struct find_one f = { db, b, id };

	*id = 0;
	if (!b->slots)
		return contacts_find_dup(db, b->book_id, c, region, id);
	return contacts_dup_keys(c, region, find_key, &f) < 0 ? -EIO : 0;
}

void contacts_bulk_add(struct contacts_bulk *b, const struct contact *c,
		       const char *region)
{
	struct add_one a = { b, c->id };

	if (b->slots)
		contacts_dup_keys(c, region, add_key, &a);
}

int contacts_bulk_end(struct db *db, struct contacts_bulk *b, bool rebuild)
{
	int rc = db_indexes_restore(db, &b->ix, rebuild);

	if (rebuild && rc == 0)
		rc = contacts_fts_merging(db, true);
	free(b->slots);
	memset(b, 0, sizeof *b);
	return rc;
}
