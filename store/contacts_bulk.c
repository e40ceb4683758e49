/* store/contacts_bulk: the fast path for large imports (see contacts.h). */
#include "store/contacts.h"
#include "store/db.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOOM_HASHES 7		/* with 10 bits a key: about 1% false hits */
#define BLOOM_BITS_PER_KEY 10
#define KEYS_PER_CARD 4		/* UID, and on average about 3 phones/emails */

/* ---- the filter ---------------------------------------------------------- */

/* 64-bit FNV-1a over the kind byte and the key, then mixed (the
 * splitmix64 finaliser) so that both halves are usable as hashes. */
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

/* Double hashing: bit i is h1 + i*h2 (Kirsch and Mitzenmacher). */
#define BLOOM_EACH(b, kind, key, bit)                                        \
	for (uint64_t h_ = key_hash(kind, key), h1_ = h_ & 0xffffffffu,      \
		      h2_ = (h_ >> 32) | 1, i_ = 0, bit;                      \
	     i_ < BLOOM_HASHES && ((bit = (h1_ + i_ * h2_) % (b)->nbits), 1); \
	     i_++)

static int bloom_add(void *arg, int kind, const char *key)
{
	struct contacts_bulk *b = arg;

	BLOOM_EACH(b, kind, key, bit)
		b->bits[bit / 64] |= 1ull << (bit % 64);
	return 0;
}

/* 1 when the key may be stored, 0 when it surely is not */
static int bloom_maybe(void *arg, int kind, const char *key)
{
	const struct contacts_bulk *b = arg;

	BLOOM_EACH(b, kind, key, bit)
		if (!(b->bits[bit / 64] & (1ull << (bit % 64))))
			return 0;
	return 1;
}

/* The keys already in the book go into the filter. */
static int bloom_load(struct db *db, struct contacts_bulk *b)
{
	sqlite3_stmt *su = db_stmt(db, "SELECT uid FROM contacts "
				   "WHERE book_id = ?");
	sqlite3_stmt *sf = db_stmt(db, "SELECT f.kind, f.norm FROM "
				   "contact_fields f JOIN contacts c ON "
				   "c.id = f.contact_id WHERE c.book_id = ? "
				   "AND f.norm IS NOT NULL");
	int rc;

	if (!su || !sf)
		return -EIO;
	sqlite3_bind_int64(su, 1, b->book_id);
	while ((rc = sqlite3_step(su)) == SQLITE_ROW)
		bloom_add(b, 0, (const char *)sqlite3_column_text(su, 0));
	sqlite3_reset(su);
	if (rc != SQLITE_DONE)
		return -EIO;
	sqlite3_bind_int64(sf, 1, b->book_id);
	while ((rc = sqlite3_step(sf)) == SQLITE_ROW)
		bloom_add(b, sqlite3_column_int(sf, 0),
			  (const char *)sqlite3_column_text(sf, 1));
	sqlite3_reset(sf);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* ---- indexes ------------------------------------------------------------- */

/* Read from the schema itself, so later migrations' indexes are handled
 * too.  Unique constraints' own indexes have no SQL and stay. */
static int drop_indexes(struct db *db, struct contacts_bulk *b)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT name, sql FROM sqlite_schema "
				   "WHERE type = 'index' AND sql IS NOT NULL "
				   "AND tbl_name IN ('contacts', "
				   "'contact_fields') AND name NOT IN "
				   "('contact_fields_by_norm')");
	char **names = NULL;
	int rc = 0, step;

	if (!st)
		return -EIO;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t k = b->n++;
		b->sql = xrealloc(b->sql, b->n * sizeof *b->sql);
		names = xrealloc(names, b->n * sizeof *names);
		names[k] = xstrdup((const char *)sqlite3_column_text(st, 0));
		b->sql[k] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		rc = -EIO;
	for (size_t i = 0; i < b->n; i++) {
		if (rc == 0) {
			char *drop = sqlite3_mprintf("DROP INDEX \"%w\"",
						     names[i]);
			rc = drop ? db_exec(db, drop) : -ENOMEM;
			sqlite3_free(drop);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- the interface ------------------------------------------------------- */

int contacts_bulk_begin(struct db *db, struct contacts_bulk *b,
			int64_t book_id, size_t expected)
{
	size_t keys = ((size_t)contacts_count(db, book_id) + expected) *
		      KEYS_PER_CARD;
	int rc;

	memset(b, 0, sizeof *b);
	b->book_id = book_id;
	b->nbits = (keys < 4096 ? 4096 : keys) * BLOOM_BITS_PER_KEY;
	b->nbits = (b->nbits + 63) / 64 * 64;
	b->bits = xcalloc(b->nbits / 64, sizeof *b->bits);
	rc = bloom_load(db, b);
	if (rc == 0)
		rc = drop_indexes(db, b);
	return rc;
}

int contacts_bulk_find_dup(struct db *db, const struct contacts_bulk *b,
			   const struct contact *c, const char *region,
			   int64_t *id)
{
	*id = 0;
	if (b->bits && !contacts_dup_keys(c, region, bloom_maybe, (void *)b))
		return 0;	/* no key of c can be stored */
	return contacts_find_dup(db, b->book_id, c, region, id);
}

void contacts_bulk_add(struct contacts_bulk *b, const struct contact *c,
		       const char *region)
{
	if (b->bits)
		contacts_dup_keys(c, region, bloom_add, b);
}

int contacts_bulk_end(struct db *db, struct contacts_bulk *b, bool rebuild)
{
	int rc = 0;

	for (size_t i = 0; i < b->n; i++) {
		if (rebuild && rc == 0)
			rc = db_exec(db, b->sql[i]);
		free(b->sql[i]);
	}
	free(b->sql);
	free(b->bits);
	memset(b, 0, sizeof *b);
	return rc;
}
