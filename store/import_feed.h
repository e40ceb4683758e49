/* store/import_feed: a vCard file read and parsed on a second thread.
 *
 * A large import spends most of its time in SQLite, on one core.  The
 * feed does the rest on the other: it reads the file a chunk at a time,
 * cuts each chunk between cards (so memory stays flat however large the
 * file), parses it and normalises each contact (contacts_normalise), then
 * hands the contacts over through a bounded queue, in file order.  The
 * importing thread takes them with feed_next() and only stores them.
 *
 * Internal to store/import.c.
 */
#ifndef CONFAB_STORE_IMPORT_FEED_H
#define CONFAB_STORE_IMPORT_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct contact;
struct sbuf;
struct feed;

enum feed_kind {
	FEED_CARD,		/* c: a contact, normalised; the taker owns it */
	FEED_SKIP,		/* a card the reader could not use, and why */
	FEED_PROGRESS,		/* done: bytes of the file read and parsed */
};

struct feed_item {
	enum feed_kind kind;
	struct contact *c;	/* CARD */
	unsigned line;		/* CARD, SKIP: where the card begins (1-based) */
	char *why;		/* SKIP: the taker frees it */
	size_t done;		/* PROGRESS */
};

/* Start reading fd (which stays the caller's) on a new thread; `region`
 * is for the phone numbers and must outlive the feed.  0, or -errno. */
int feed_start(struct feed **fp, int fd, const char *region);
/* The next item, waiting for it: true, or false when the file is done. */
bool feed_next(struct feed *f, struct feed_item *it);
/* Stop the reader (at once if it is still going), wait for it, free what
 * it had queued and the feed.  Returns 0; -EINVAL when the file held no
 * vCard; -errno when it could not be read (with *err set).  *any: a card
 * was seen. */
int feed_finish(struct feed *f, bool *any, char **err);

/* Read into b until it holds `want` more bytes or the file ends: the
 * bytes read, or -errno. */
ssize_t import_read_more(int fd, struct sbuf *b, size_t want);

#endif
