/* store/messages: the local copy of the signed-in user's mailbox.
 *
 * Rows are what confabd sent (src/net/msgsync.c checks them); id is the
 * server's mailbox entry id.  Messages still in the outbox are listed
 * with the sent ones (pending, with a negative id: minus the outbox id).
 * Search is FTS5 over sender, recipients, subject and body.
 */
#ifndef CONFAB_STORE_MESSAGES_H
#define CONFAB_STORE_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

struct message {
	int64_t id;		/* < 0: pending, -(outbox id) */
	int64_t message_id, rev, reply_to, created, deliver_at, expires;
	char *kind;		/* text, announcement, reminder,
				   contact_request, voicemail, videomail */
	char *folder;		/* inbox, sent, trash */
	bool read, outgoing;
	char *sender, *sender_name;	/* NULL: from the server */
	char *recipients;	/* "bob, carol" */
	char *subject, *body;
	char *attachments;	/* JSON array text, or NULL */
	char *error;		/* pending: why it is not sent yet */
	bool refused;		/* pending: the server refused it */
};
void message_clear(struct message *m);
void messages_free(struct message *v, size_t n);

/* Store an entry the server sent: new, or its folder, read mark and rev
 * changed (the text of a message never changes). */
int messages_put(struct db *db, const struct message *m);
/* Forget an entry (purged on the server). */
int messages_drop(struct db *db, int64_t id);
/* -ENOENT when there is none. */
int messages_get(struct db *db, int64_t id, struct message *out);
/* A folder, newest first; "sent" starts with the pending ones. */
int messages_list(struct db *db, const char *folder, bool unread_only,
		  size_t limit, struct message **out, size_t *n);
/* Every folder, best matches of `text` (prefix words) newest first. */
int messages_search(struct db *db, const char *text, size_t limit,
		    struct message **out, size_t *n);
/* Unread entries of a folder (NULL: inbox). */
int64_t messages_unread(struct db *db, const char *folder);
/* Unread announcements not expired at `now`, newest first. */
int messages_announcements(struct db *db, int64_t now, struct message **out,
			   size_t *n);
/* A change made here, shown at once (the outbox carries it to the
 * server): read (-1 keeps it), folder (NULL keeps it). */
int messages_set(struct db *db, int64_t id, int read, const char *folder);
/* Forget the whole mailbox (another account signed in). */
int messages_reset(struct db *db);

#endif
