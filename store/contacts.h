/* store/contacts: contacts in SQLite, their fields, tags and search index.
 *
 * Owns the contacts, contact_fields and contact_tags tables and keeps the
 * FTS5 index contacts_fts in step with them (name, organisation, emails,
 * phone digits, notes, tags).
 */
#ifndef CONFAB_STORE_CONTACTS_H
#define CONFAB_STORE_CONTACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/contact.h"
#include "store/db.h"

struct db;

enum contacts_sort {
	CONTACTS_SORT_NAME,	/* family name, then given name */
	CONTACTS_SORT_GIVEN,	/* display name as written */
	CONTACTS_SORT_ORG,
	CONTACTS_SORT_UPDATED,	/* most recently changed first */
};

/* Insert (c->id == 0) or update.  Fills uid, fn, phone E.164 forms (using
 * `region`, e.g. "GB"), normalised emails and timestamps.  c->book_id must
 * be set.  -EINVAL with a message in *err when the record is not valid
 * (no name/email/phone, bad email, bad birthday). */
int contacts_save(struct db *db, struct contact *c, const char *region,
		  char **err);
/* contacts_save with flags: CONTACTS_SAVE_NO_INDEX leaves the search
 * index alone; the caller runs contacts_reindex() later, before its
 * transaction ends.  (Updating rows and the index in turn makes SQLite
 * flush the index's pending terms at each update; batching the index
 * writes after the row writes avoids that in bulk merges.)
 * contacts_reindex() takes the ids in any order, with repeats: it
 * removes their old entries in id order, then adds the new ones in id
 * order, so that the index writes its pending terms out twice, not at
 * each contact.  ids is sorted in place. */
#define CONTACTS_SAVE_NO_INDEX 1u
/* CONTACTS_SAVE_TIMES keeps c->created and c->updated where set (a
 * contact as another machine stored it). */
#define CONTACTS_SAVE_TIMES 2u
/* CONTACTS_SAVE_NORMALISED: contacts_normalise() has been run on c. */
#define CONTACTS_SAVE_NORMALISED 4u
int contacts_save_flags(struct db *db, struct contact *c, const char *region,
			unsigned flags, char **err);
int contacts_reindex(struct db *db, int64_t *ids, size_t n);
/* Fill the computed parts contacts_save() would: E.164 and lower-case
 * email forms, fn, uid. */
void contacts_normalise(struct contact *c, const char *region);
int contacts_get(struct db *db, int64_t id, struct contact **out);
int contacts_delete(struct db *db, int64_t id);
/* Move a contact to another book. */
int contacts_move(struct db *db, int64_t id, int64_t book_id);
int64_t contacts_count(struct db *db, int64_t book_id /* 0 = all */);

/* A contact already in `book_id` that is the same person as c: same UID,
 * or sharing an email or phone (E.164).  *id = 0 when none. */
int contacts_find_dup(struct db *db, int64_t book_id,
		      const struct contact *c, const char *region,
		      int64_t *id);

/* The keys contacts_find_dup() matches on: the UID (kind 0), then each
 * phone's E.164 form (CF_PHONE) and each email folded (CF_EMAIL).  Calls
 * fn for each until it returns non-zero, and returns that. */
int contacts_dup_keys(const struct contact *c, const char *region,
		      int (*fn)(void *arg, int kind, const char *key),
		      void *arg);

/* Ids of a book's contacts (book_id 0: all books) in sort order. */
int contacts_ids(struct db *db, int64_t book_id, enum contacts_sort sort,
		 int64_t **ids, size_t *n);

/* Search-as-you-type: every word of `text` must prefix-match a word of
 * the name, organisation, email, notes or tags, or the digits of a phone.
 * Returns at most `limit` ids ordered by name; *more tells whether there
 * were further matches. */
int contacts_search(struct db *db, const char *text, int64_t book_id,
		    size_t limit, int64_t **ids, size_t *n, bool *more);

/* The first contact with this email address (any book, any case), or 0:
 * links address book entries to company users. */
int64_t contacts_find_email(struct db *db, const char *email);

/* What a list row shows, fetched cheaply by id. */
struct contact_row {
	int64_t id, book_id;
	char *fn, *org, *email, *phone;
};
int contacts_row(struct db *db, int64_t id, struct contact_row *row);
void contact_row_clear(struct contact_row *row);

/* Bulk loading, for a large import into a small table (store/contacts_bulk.c).
 *
 * Inside the caller's transaction, contacts_bulk_begin() drops the indexes
 * that only serve listing, sorting and finding duplicates (all but fields
 * by contact, which is written in order anyway); contacts_bulk_end()
 * builds them again, one sorted pass each, which costs far less than
 * keeping them up to date row by row.  The search index stops merging
 * its segments for the while (contacts_fts_merging).  On rollback the
 * indexes come back with it; call contacts_bulk_end(db, b, false) then,
 * just to free b.
 *
 * With `expected` cards coming, it keeps the book's duplicate keys (UIDs,
 * phones in E.164, emails) in a table of its own, in memory, from which
 * contacts_bulk_find_dup() answers and to which contacts_bulk_add() adds.
 * With none, the index on (kind, norm) stays, for the caller's lookups. */
struct contacts_bulk {
	struct db_indexes ix;	/* the indexes set aside */
	uint64_t *slots;	/* the key table */
	size_t nslots, nkeys;
	int64_t book_id;
};
int contacts_bulk_begin(struct db *db, struct contacts_bulk *b,
			int64_t book_id, size_t expected);
/* contacts_find_dup(), for the bulk's book. */
int contacts_bulk_find_dup(struct db *db, const struct contacts_bulk *b,
			   const struct contact *c, const char *region,
			   int64_t *id);
/* Note the keys of a contact just stored. */
void contacts_bulk_add(struct contacts_bulk *b, const struct contact *c,
		       const char *region);
int contacts_bulk_end(struct db *db, struct contacts_bulk *b, bool rebuild);
/* The search index merges its segments as it is written (on), or only
 * when 64 have gathered (off: between contacts_bulk_begin and _end). */
int contacts_fts_merging(struct db *db, bool on);

#endif
