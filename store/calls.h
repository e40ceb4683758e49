/* store/calls: the call log.
 *
 * Owns the calls table (schema v3).  One row per call, PC-to-PC or phone,
 * written by the call engine when a call ends (and, until the engine
 * exists, by `confab calls add`).  A row keeps who the peer was (a confab
 * user name, or an E.164 number), the contact it was matched to, when it
 * started, how long it lasted, how it ended, what it cost and how good the
 * line was.  Incoming missed calls start unseen; the missed-call counter
 * (calls_unseen_missed) counts them until calls_mark_seen().
 *
 * A call's display name is, in order: the name of its stored contact, of
 * a contact holding its number (phone calls; matched on E.164, so a
 * contact added after the call is found too), the name the peer
 * announced, the peer itself.
 */
#ifndef CONFAB_STORE_CALLS_H
#define CONFAB_STORE_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum call_kind { CALL_PC, CALL_PHONE };
enum call_dir { CALL_IN, CALL_OUT };
enum call_outcome {
	CALL_ANSWERED, CALL_MISSED, CALL_REJECTED, CALL_FAILED,
	CALL_VOICEMAIL, CALL_BUSY, CALL_CANCELLED,
	CALL_OUTCOME_COUNT
};

/* What calls_list() shows; CALLS_FILTER_COUNT for cycling. */
enum calls_filter {
	CALLS_ALL, CALLS_MISSED, CALLS_INCOMING, CALLS_OUTGOING, CALLS_PC,
	CALLS_PHONE, CALLS_FILTER_COUNT
};

struct call_entry {
	int64_t id;		/* 0 until stored */
	char *uid;		/* made by calls_add when NULL */
	enum call_kind kind;
	enum call_dir dir;
	char *peer;		/* user name, or the number (E.164 once stored) */
	char *peer_name;	/* as the peer announced it; may be NULL */
	int64_t contact_id;	/* 0: not matched (yet) */
	int64_t started;	/* unix seconds; 0 in calls_add: now */
	int64_t duration;	/* seconds talked */
	enum call_outcome outcome;
	bool has_cost;		/* phone calls: cost_cents in currency */
	int64_t cost_cents;
	char *currency;		/* "EUR"; may be NULL */
	bool has_quality;	/* the four figures below are set */
	double loss;		/* fraction of packets lost, 0..1 */
	double jitter_ms, rtt_ms;
	double mos;		/* mean opinion score, 1..5 */
	bool seen;		/* false: a missed call not looked at yet */
	int64_t created;
	/* filled by calls_get and calls_list, ignored by calls_add: */
	char *contact_name;	/* the matched contact's name, or NULL */
};

const char *calls_kind_name(enum call_kind k);		/* "pc", "phone" */
const char *calls_dir_name(enum call_dir d);		/* "in", "out" */
const char *calls_outcome_name(enum call_outcome o);	/* "missed" */
const char *calls_filter_name(enum calls_filter f);	/* "missed" */
/* Parse the names above; -EINVAL when unknown. */
int calls_kind_parse(const char *s, enum call_kind *k);
int calls_dir_parse(const char *s, enum call_dir *d);
int calls_outcome_parse(const char *s, enum call_outcome *o);

/* Check and store a new call (e->id must be 0).  For a phone call the peer
 * is normalised to E.164 with `region` ("GB"); contact_id, when 0, is found
 * by that number; when given it must exist.  Fills id, uid, created, seen
 * (false only for incoming missed calls) and contact_id.  -EINVAL with a
 * message in *err when a field is not valid. */
int calls_add(struct db *db, struct call_entry *e, const char *region,
	      char **err);
/* The newest `limit` calls the filter lets through, newest first.
 * *out is an array of *n entries; free it with calls_entries_free(). */
int calls_list(struct db *db, enum calls_filter f, size_t limit,
	       struct call_entry **out, size_t *n);
int calls_get(struct db *db, int64_t id, struct call_entry **out);
int calls_delete(struct db *db, int64_t id);	/* -ENOENT when none */
int64_t calls_count(struct db *db);

/* The missed-call counter: incoming missed calls not seen yet. */
int64_t calls_unseen_missed(struct db *db);
/* Mark every call seen (the user looked at the log); 0 or -EIO. */
int calls_mark_seen(struct db *db);

/* Who the call was with, as a person reads it (see the top of this file);
 * never NULL.  Points into e. */
const char *calls_display_name(const struct call_entry *e);

void calls_entry_clear(struct call_entry *e);
void calls_entry_free(struct call_entry *e);
void calls_entries_free(struct call_entry *v, size_t n);

#endif
