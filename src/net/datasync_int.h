/* net/datasync_int.h: what net/datasync.c needs of each kind of record
 * (not for use outside src/net/datasync*.c).
 *
 * datasync_contacts.c  book, contact, call
 * datasync_diary.c     appointment, crm, crm_note
 */
#ifndef CONFAB_NET_DATASYNC_INT_H
#define CONFAB_NET_DATASYNC_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define DS_PARK 1	/* apply: the record waits for another (needs_*) */

/* One record from the server being made a local row. */
struct ds_apply {
	struct db *db;
	const char *uid, *region;
	int64_t local;		/* its row here, 0 when none */
	bool force;		/* no more waiting: use what is here */
	int64_t id;		/* out: its row (0: none kept here) */
	const char *needs_kind;	/* out, with DS_PARK */
	char *needs_uid;
	char *err;		/* out, with -1 */
};

struct ds_kind {
	const char *name;
	/* "SELECT 1 FROM <table> WHERE id = ? AND uid = ?": whether a row
	 * still is the record (rows are deleted quietly while applying) */
	const char *holds_sql;
	/* The record's text; NULL when its row is gone. */
	char *(*text)(struct db *db, int64_t id);
	/* 0 (a->id set), DS_PARK, or -1 with a->err. */
	int (*apply)(struct ds_apply *a, json_t *j);
	int (*remove)(struct db *db, int64_t id);
	/* "Keep both": mine stored as a new record beside theirs; NULL
	 * when the kind does not offer it. */
	int (*copy)(struct db *db, const char *uid, json_t *mine,
		    const char *region, char **err);
	/* A row made here from another record (not synced); may be NULL. */
	bool (*local_only)(struct db *db, int64_t id);
	/* apply() may find a record unusable after writing part of it:
	 * it runs inside a savepoint.  Kinds that check everything before
	 * they write (one row and its children) go without: a savepoint
	 * per record costs a first sync about a second per 100k. */
	bool partial;
};

extern const struct ds_kind ds_book, ds_contact, ds_call;
extern const struct ds_kind ds_appointment, ds_crm, ds_crm_note;

/* Compact JSON text of j, which it releases. */
char *ds_dump(json_t *j);
/* The local row whose `uid` column is uid in `sql` ("SELECT id FROM t
 * WHERE uid = ?"), else the local row sync_map knows for (kind, uid),
 * else 0. */
int64_t ds_local(struct db *db, const char *sql, const char *kind,
		 const char *uid);
/* Drop JSON nulls from an object (jansson's "s?" does not take them). */
void ds_strip_nulls(json_t *j);

#endif
