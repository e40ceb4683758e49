/* store/sync: the client's bookkeeping for sync with confabd (tables
 * sync_map, sync_ctl and sync_conflicts, schema v6; sync_parked, v7;
 * net/datasync.c does the syncing).  A record is known by (kind, uid),
 * the same on every machine; its row says which local row it is, the
 * server revision this copy is based on, and whether it changed here
 * since (dirty) or is on its way to the server (queued). */
#ifndef CONFAB_STORE_SYNC_H
#define CONFAB_STORE_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

struct sync_entry {
	char *kind, *uid;
	int64_t local_id;	/* 0: deleted here */
	int64_t rev;
	bool dirty, queued;
};
void sync_entries_free(struct sync_entry *v, size_t n);
void sync_entry_clear(struct sync_entry *e);

/* Records changed here and not yet queued: books first, then contacts,
 * CRM records, their notes, then the rest, at most `limit`. */
int sync_dirty(struct db *db, size_t limit, struct sync_entry **out,
	       size_t *n);
/* -ENOENT when the record is not known here. */
int sync_get(struct db *db, const char *kind, const char *uid,
	     struct sync_entry *out);
/* The record of a local row; -ENOENT when none. */
int sync_find_local(struct db *db, const char *kind, int64_t local_id,
		    struct sync_entry *out);
/* Insert or replace what is known of a record. */
int sync_set(struct db *db, const char *kind, const char *uid,
	     int64_t local_id, int64_t rev, bool dirty, bool queued);
int sync_set_queued(struct db *db, const char *kind, const char *uid,
		    bool queued);
/* The server stored our change as revision rev. */
int sync_acked(struct db *db, const char *kind, const char *uid,
	       int64_t rev);
/* Changes from the server are being applied: the triggers keep quiet. */
int sync_applying(struct db *db, bool on);
/* Records changed here and not yet on the server. */
int64_t sync_pending(struct db *db);
/* Another account: everything here is new to it. */
int sync_reset(struct db *db);

/* For a large pull in one transaction: drop the sync triggers (their
 * SQL kept in *sql) and create them again.  While applying they would
 * do nothing, at a cost of microseconds a row. */
int sync_triggers_off(struct db *db, char ***sql, size_t *n);
int sync_triggers_on(struct db *db, char **sql, size_t n);

/* Conflicts: both versions of a record (NULL: deleted on that side). */
struct sync_conflict {
	int64_t id, rev, created;
	char *kind, *uid, *mine, *theirs;
};
void sync_conflicts_free(struct sync_conflict *v, size_t n);
int sync_conflict_add(struct db *db, const char *kind, const char *uid,
		      const char *mine, const char *theirs, int64_t rev);
int sync_conflicts(struct db *db, struct sync_conflict **out, size_t *n);
int sync_conflict_get(struct db *db, int64_t id, struct sync_conflict *out);
/* A newer server version of a record in conflict becomes its "theirs":
 * 1 when the record is in conflict, 0 when not. */
int sync_conflict_theirs(struct db *db, const char *kind, const char *uid,
			 const char *theirs, int64_t rev);
int sync_conflict_drop(struct db *db, int64_t id);
int64_t sync_conflict_count(struct db *db);

/* Records from the server that belong to one not here yet (a contact's
 * book, a note's CRM record), kept until it comes (schema v7). */
struct sync_parked {
	char *kind, *uid, *data;
	int64_t rev;
};
void sync_parked_free(struct sync_parked *v, size_t n);
int sync_park(struct db *db, const char *kind, const char *uid, int64_t rev,
	      const char *data, const char *needs_kind, const char *needs_uid);
int sync_unpark(struct db *db, const char *kind, const char *uid);
/* Whether any record waits (true when that cannot be told). */
bool sync_parked_any(struct db *db);
/* Take out (and delete) the records waiting for (needs_kind, needs_uid),
 * or every parked record when needs_kind is NULL. */
int sync_parked_take(struct db *db, const char *needs_kind,
		     const char *needs_uid, struct sync_parked **out,
		     size_t *n);

#endif
