/* store/outbox: what this machine has still to tell confabd.
 *
 * Each item is one request body (JSON text) of a kind the sender knows
 * ("message", "announcement", "reminder", "mailbox", ...), kept in the
 * order it was made, for one account ("USER SERVER").  Its key is made
 * once, when it is queued, and goes with every attempt, so the server
 * stores it once however often it is retried.  An item the server
 * refused is kept as failed, with the reason, until the user drops it.
 */
#ifndef CONFAB_STORE_OUTBOX_H
#define CONFAB_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

struct outbox_item {
	int64_t id, created;
	char *key, *kind, *payload;
	int attempts;
	char *error;
	bool failed;
};
void outbox_items_free(struct outbox_item *v, size_t n);

/* Queue a payload; *id (may be NULL) gets its id.  The key is new. */
int outbox_add(struct db *db, const char *account, const char *kind,
	       const char *payload, int64_t *id);
/* The account's items not failed, oldest first, at most `limit`. */
int outbox_next(struct db *db, const char *account, size_t limit,
		struct outbox_item **out, size_t *n);
/* Every item of the account, failed ones too (for showing). */
int outbox_list(struct db *db, const char *account,
		struct outbox_item **out, size_t *n);
/* Sent: remove it. */
int outbox_done(struct db *db, int64_t id);
/* Not sent this time (network): count the attempt and say why. */
int outbox_retry_later(struct db *db, int64_t id, const char *why);
/* Refused by the server: kept as failed with the reason. */
int outbox_fail(struct db *db, int64_t id, const char *why);
/* Try a failed item again / drop an item; -ENOENT when there is none. */
int outbox_revive(struct db *db, int64_t id);
int outbox_drop(struct db *db, int64_t id);
/* Items waiting (failed ones in *failed, which may be NULL). */
int64_t outbox_count(struct db *db, const char *account, int64_t *failed);

#endif
