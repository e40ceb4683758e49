/* net/msgsync: the mailbox and the outbox against confabd.
 *
 * Sending: everything the user sends or changes goes first into the
 * outbox (store/outbox.h), in one local transaction, and is shown at once
 * (pending); then the outbox is flushed in order, each item with its
 * idempotency key, so that a retry after a lost answer, a dead server or
 * a killed client stores it on the server exactly once.  Messages in a
 * row go as one batch request.  An item the server refuses (unknown
 * recipient, no permission) is kept as failed with the server's reason
 * and does not hold back the items after it.
 *
 * Receiving: GET /v1/messages?since=REV pages through the entries that
 * changed since the last revision this machine has (setting
 * "messages.rev"); a "message" event carries a new entry whole, so it
 * shows at once, and the next pull brings the rest.  The mailbox belongs
 * to one account ("USER SERVER", setting "messages.account"); when
 * another signs in, the local copy is dropped and pulled afresh.
 *
 * The outbox also carries changes of synced records (kind "change",
 * net/datasync.h), in batches to POST /v1/sync; msgsync_run pulls those
 * too, so `confab sync` does everything.
 *
 * The step functions (request / answer / apply) are shared by the CLI,
 * which runs them with blocking calls (msgsync_run), and the TUI, which
 * runs them on its loop (app/online.c).
 */
#ifndef CONFAB_NET_MSGSYNC_H
#define CONFAB_NET_MSGSYNC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "net/api.h"

struct db;

#define OUTBOX_BATCH 200

/* "USER SERVER": whose mailbox and outbox (new string). */
char *msgsync_account(const char *user, const char *server);
/* Make `account` the mailbox's owner; drops another's copy. */
int msgsync_use_account(struct db *db, const char *account);

/* Queue a message (the POST /v1/messages object, without key) and the
 * like; announcements and reminders go with their own kinds. */
int msgsync_queue(struct db *db, const char *account, const char *kind,
		  json_t *payload, int64_t *id);
/* Queue a change of an entry and show it now: read (-1: keep), folder
 * (NULL: keep), purge (the entry is dropped here at once). */
int msgsync_queue_change(struct db *db, const char *account, int64_t id,
			 int read, const char *folder, bool purge);

/* One request of the outbox flush. */
struct msgsync_req {
	const char *method;
	char path[96];
	json_t *body;		/* owned */
	int64_t ids[OUTBOX_BATCH];	/* the outbox items it carries */
	size_t nids;
	bool batch;		/* POST /v1/messages {"messages": [...]} */
	bool sync;		/* POST /v1/sync {"changes": [...]} */
	int done, refused;	/* msgsync_answer: items settled, refused */
};
void msgsync_req_clear(struct msgsync_req *r);
/* The next request to send: 1 with *r filled, 0 when the outbox has
 * nothing to send, -1 on a store error. */
int msgsync_next(struct db *db, const char *account, struct msgsync_req *r);
/* Its answer (status 0: it did not get through, `err` says why): 0 to
 * go on with the next one, -1 to stop for now (network, server error,
 * session gone; *why says so). */
int msgsync_answer(struct db *db, struct msgsync_req *r, long status,
		   json_t *reply, const char *err, char **why);

/* The path of the next pull ("/v1/messages?since=REV&limit=N"). */
char *msgsync_pull_path(struct db *db);
/* Apply a pull's reply: 1 when there is more to pull, 0 when done, -1
 * (with *err) when the reply is not what confabd sends; nothing is
 * stored then.  *fresh counts new unread inbox entries (may be NULL). */
int msgsync_apply(struct db *db, json_t *reply, int *fresh, char **err);
/* One entry (an event's data): stored, revision kept as it was. */
int msgsync_apply_one(struct db *db, json_t *entry, char **err);

/* Blocking: flush the outbox, then pull everything.  Fills the counts;
 * -1 with *err when the server could not be reached or refused the
 * session (what was done before stays done). */
struct msgsync_stats {
	int sent, refused, received, fresh;
	int changed;		/* records changed here by the pull */
	int unusable;		/* records it could not store here */
	char *unusable_why;	/* the first of them (the caller frees) */
	int64_t pending, failed;	/* left in the outbox (and unsent
					   changes of records) */
	int64_t conflicts;	/* waiting for the user */
};
int msgsync_run(struct db *db, const struct api *api, const char *account,
		const char *region, struct msgsync_stats *st, char **err);

#endif
