/* store/crm: CRM records, their timelines and search index.
 *
 * Owns the crm_records, crm_tags and crm_events tables (schema v4) and
 * keeps crm_fts in step with them: one index row per record holding its
 * fields, tags and every note of its timeline.  A record's next action
 * with a date is mirrored by an all-day diary appointment
 * (crm_records.next_appt_id), created, moved and deleted with it.
 *
 * Files: crm.c (records, tags, lookups), crm_timeline.c (events, the
 * index, the next-action appointment), crm_list.c (filters and search),
 * crm_export.c (CSV), crm_util.c (statuses, money, dates: no database).
 */
#ifndef CONFAB_STORE_CRM_H
#define CONFAB_STORE_CRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;

#define CRM_DEFAULT_STATUSES "lead,prospect,customer,inactive"

struct crm_record {
	int64_t id;		/* 0 until stored */
	char *uid;
	int64_t contact_id;	/* 0: no (longer a) linked contact */
	char *contact_uid;
	char *name, *org;	/* the contact's, copied when linked */
	char *status, *owner, *source;
	bool has_value;
	int64_t value_cents;
	char *currency;		/* ISO 4217, e.g. "EUR" */
	char *next_action;
	char *next_date;	/* "YYYY-MM-DD" or NULL */
	int64_t next_appt_id;	/* the diary reminder, 0 when none */
	char **tags;
	size_t ntags;
	int64_t created, updated;
};

struct crm_record *crm_record_new(void);
void crm_record_free(struct crm_record *r);
void crm_record_add_tag(struct crm_record *r, const char *tag);
void crm_record_clear_tags(struct crm_record *r);

/* Insert (r->id == 0) or update, with tags; reindexes the record and
 * creates, moves or deletes its next-action appointment.  Fills uid and
 * timestamps.  -EINVAL with a message in *err when a field is wrong (no
 * name or status, bad next_date, a value without currency). */
int crm_save(struct db *db, struct crm_record *r, char **err);
int crm_get(struct db *db, int64_t id, struct crm_record **out);
/* Deletes the record, its timeline and its next-action appointment. */
int crm_delete(struct db *db, int64_t id);
int64_t crm_count(struct db *db);

/* Record of a contact; *id = 0 when none. */
int crm_record_for_contact(struct db *db, int64_t contact_id, int64_t *id);
/* A new record for a contact, named after it, with `status`.  -EEXIST
 * (and *id set to it) when the contact already has one; -ENOENT when the
 * contact does not exist. */
int crm_create_for_contact(struct db *db, int64_t contact_id,
			   const char *status, int64_t *id, char **err);
/* The record by its uid; *id = 0 when none. */
int crm_find_uid(struct db *db, const char *uid, int64_t *id);

/* ---- timeline (crm_timeline.c) ------------------------------------------ */

struct crm_event {
	int64_t id, record_id;
	char *uid;
	char kind[8];		/* "note", "call", "meeting", "message" */
	int64_t at;		/* unix time */
	char *text;
	int64_t call_id, appt_id;	/* 0 when none */
};

/* Add a timeline event ("note", "call", "meeting", "message"); at = unix time (0 = now). call_id/appt_id 0 when none. Reindexes the record. */
int crm_add_event(struct db *db, int64_t record_id, const char *kind, const char *text, int64_t call_id, int64_t appt_id, int64_t at, int64_t *event_id);
/* A record's timeline, newest first. */
int crm_events(struct db *db, int64_t record_id, struct crm_event **out,
	       size_t *n);
void crm_events_free(struct crm_event *e, size_t n);
int crm_delete_event(struct db *db, int64_t event_id);
bool crm_event_kind_valid(const char *kind);
/* Sync (net/datasync.c): one event by id (crm_event_clear() frees its
 * strings), one by uid (*id = 0 when none), and an event stored as it
 * is: e->uid and e->record_id set, updated when that uid is here, else
 * inserted (e->id set).  Both reindex the records concerned. */
int crm_event_get(struct db *db, int64_t id, struct crm_event *out);
void crm_event_clear(struct crm_event *e);
int crm_find_event_uid(struct db *db, const char *uid, int64_t *id);
int crm_event_put(struct db *db, struct crm_event *e);
/* An appointment with customers (store/crm_meeting.c): each attendee who
 * is a contact with a CRM record gets a "meeting" event linked to it on
 * the record's timeline, once; saving the appointment again updates the
 * event.  Returns how many records it is on, or a negative code. */
struct appointment;
int crm_link_meeting(struct db *db, const struct appointment *a);
/* Rebuild a record's search index row from its fields and notes. */
int crm_reindex(struct db *db, int64_t id);
/* Make the diary match the record's next action: create, update or
 * delete the all-day appointment and set r->next_appt_id.  Called by
 * crm_save(); *err gets a message on failure. */
int crm_sync_appointment(struct db *db, struct crm_record *r, char **err);

/* ---- listing and search (crm_list.c) ------------------------------------- */

struct crm_filter {
	const char *status, *owner, *tag;	/* NULL: any */
	bool due;		/* next action due today or earlier */
	const char *text;	/* full-text search over fields and notes */
	const char *today;	/* "YYYY-MM-DD"; NULL: the local date */
};

/* Ids matching f (NULL: all) ordered by name (due: by next date); at most
 * `limit`, *more tells whether there were further matches.  Every word
 * of f->text must prefix-match a word of the record or its notes. */
int crm_list(struct db *db, const struct crm_filter *f, size_t limit,
	     int64_t **ids, size_t *n, bool *more);

/* What a list row shows, fetched cheaply by id. */
struct crm_row {
	int64_t id, contact_id;
	char *name, *org, *status, *owner, *next_action, *next_date;
	bool has_value;
	int64_t value_cents;
	char *currency;
};
int crm_row(struct db *db, int64_t id, struct crm_row *row);
void crm_row_clear(struct crm_row *row);
/* Distinct owners / tags in use, sorted (for filter menus). */
int crm_owners(struct db *db, char ***out, size_t *n);
int crm_tags(struct db *db, char ***out, size_t *n);
void crm_strings_free(char **v, size_t n);

/* ---- CSV export (crm_export.c) ------------------------------------------- */

/* One CSV file (RFC 4180, CRLF line ends, header row): a "kind" column
 * tells a record row ("record") from a timeline row ("note", "call",
 * "meeting", "message"), which follows its record and repeats its uid in
 * record_uid.  ids NULL: every record. */
int crm_export_csv(struct db *db, const int64_t *ids, size_t n, FILE *f);

/* ---- helpers without a database (crm_util.c) ----------------------------- */

/* Split "lead, prospect,customer" into trimmed, non-empty names. */
void crm_statuses_parse(const char *csv, char ***out, size_t *n);
/* The configured status equal (case-insensitively) to s, or NULL. */
const char *crm_status_match(char *const *statuses, size_t n, const char *s);
/* "1234.50 EUR", "EUR 1234.5", "€1,234", "1234" (with default_currency)
 * into cents and currency.  -EINVAL when not money. */
int crm_money_parse(const char *s, const char *default_currency,
		    int64_t *cents, char **currency);
/* "1,234.50 EUR" into buf. */
void crm_money_format(char *buf, size_t len, int64_t cents,
		      const char *currency);
/* A valid calendar date "YYYY-MM-DD". */
bool crm_date_valid(const char *s);
/* Today's local date as "YYYY-MM-DD". */
void crm_today(char buf[11]);

#endif
