/* net/datasync: the user's address books, contacts, call log, diary and
 * the company's CRM, the same on every machine they sign in from.
 *
 * Local changes are caught by triggers (store/sync.h) and become outbox
 * items of kind "change" (datasync_queue), each with its idempotency
 * key, which the outbox flush (net/msgsync.c) sends in batches to POST
 * /v1/sync.  Each answer is "ok" (the record is at that revision now),
 * "conflict" (changed on another machine meanwhile: both versions are
 * kept in sync_conflicts, nothing is lost, the user picks) or an error.
 * GET /v1/sync pages through what changed on the server since the last
 * revision seen ("sync.rev"); records changed here and not yet sent are
 * left alone (their push settles them).  A new machine starts from
 * revision 0 and so gets everything.
 */
#ifndef CONFAB_NET_DATASYNC_H
#define CONFAB_NET_DATASYNC_H

#include <jansson.h>
#include <stdint.h>

struct db;

#define DATASYNC_PAGE 5000	/* records a pull asks for at once */

/* Turn local changes into outbox items: how many, or -1. */
int datasync_queue(struct db *db, const char *account);
/* A POST /v1/sync result for the change sent: 0 settled (ok or a
 * conflict kept), 1 try again later, -1 refused. */
int datasync_result(struct db *db, json_t *change, json_t *result);
char *datasync_pull_path(struct db *db);
/* Apply a GET /v1/sync reply (region: for phone numbers): 1 when there
 * is more, 0 when done, -1 with *err (nothing stored).  counts (if
 * given) adds up the records changed here and those that cannot be
 * stored here (not valid, or not valid here): each of those is skipped
 * and logged, what is here of it stays, and `why` (the caller frees it)
 * names the first. */
struct datasync_counts {
	int changed, unusable;
	char *why;
};
int datasync_apply(struct db *db, json_t *reply, const char *region,
		   struct datasync_counts *counts, char **err);

/* A first sync (nothing pulled yet) brings everything: the CLI pulls it
 * in one transaction with the contact indexes set aside and built once
 * at the end, as a large import does.  datasync_bulk_end commits (ok) or
 * rolls back. */
#include <stdbool.h>
#include "store/contacts.h"
bool datasync_initial(struct db *db);
struct datasync_bulk {
	struct contacts_bulk contacts;
	char **triggers;	/* set aside too (store/sync.h) */
	size_t ntriggers;
};
int datasync_bulk_begin(struct db *db, struct datasync_bulk *b);
int datasync_bulk_end(struct db *db, struct datasync_bulk *b, bool ok);

enum datasync_choice {
	DS_MINE,	/* keep this machine's version (sent over theirs) */
	DS_THEIRS,	/* take the other machine's */
	DS_BOTH,	/* take theirs and keep mine as a new record */
};
int datasync_resolve(struct db *db, int64_t conflict_id,
		     enum datasync_choice how, const char *region,
		     char **err);

#endif
