/* store/server: confabd's database — companies, users, sessions, password
 * reset codes, login throttling and the audit log (schema in
 * store/server_migrations.c, code in store/srv_*.c).
 *
 * Secrets never reach the database: passwords are stored as argon2id
 * strings, session tokens and reset codes as their BLAKE2b hashes.  The
 * caller (src/server) does the hashing; this module stores and finds.
 */
#ifndef CONFAB_STORE_SERVER_H
#define CONFAB_STORE_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

extern const struct db_migration db_server_migrations[];
extern const size_t db_server_nmigrations;

/* Permissions, a bit each; names as the admin CLI and the API spell them. */
enum srv_perm {
	PERM_ADMIN = 1 << 0,
	PERM_USER_ADMIN = 1 << 1,
	PERM_PHONE = 1 << 2,
	PERM_INTL_PHONE = 1 << 3,
	PERM_ANNOUNCE = 1 << 4,
	PERM_CRM_VIEW = 1 << 5,
	PERM_CRM_EDIT = 1 << 6,
	PERM_VIDEO = 1 << 7,
	PERM_RECORDING = 1 << 8,
};
#define PERM_ALL 0x1ff
/* "admin", "user-admin", "phone", "intl-phone", "announcements",
 * "crm-view", "crm-edit", "video", "recording" */
int srv_perm_parse(const char *name);	/* 0 when unknown */
const char *srv_perm_name(int bit);
/* A new string: the names of `perms`, comma-separated. */
char *srv_perms_str(int perms);

struct srv_user {
	int64_t id, company_id;
	char *username, *email, *name, *title, *department;
	char *pw_hash;		/* argon2id string; NULL: no password yet */
	int perms;
	bool disabled;
	int64_t created, updated, pw_changed;
};
void srv_user_clear(struct srv_user *u);

int srv_company_create(struct db *db, const char *name, int64_t *id);
/* By name (case-insensitive); 0 when none. */
int64_t srv_company_find(struct db *db, const char *name);
int64_t srv_company_count(struct db *db);
/* The one company (this release runs one per server); 0 when none. */
int64_t srv_company_first(struct db *db);
char *srv_company_name(struct db *db, int64_t id);

/* Insert; -EEXIST (with *err) when the username or email is taken. */
int srv_user_add(struct db *db, struct srv_user *u, char **err);
/* By username or email (case-insensitive); -ENOENT when none. */
int srv_user_find(struct db *db, const char *name_or_email,
		  struct srv_user *out);
int srv_user_get(struct db *db, int64_t id, struct srv_user *out);
int srv_user_set_password(struct db *db, int64_t id, const char *pw_hash);
int64_t srv_user_count(struct db *db, int64_t company_id);

/* Sessions: a token's hash, when it expires; revoked ones stay as a
 * record.  srv_session_find fills the user of a live session. */
int srv_session_add(struct db *db, int64_t user_id, const uint8_t hash[32],
		    int64_t expires, const char *addr, int64_t *id);
int srv_session_find(struct db *db, const uint8_t hash[32], int64_t now,
		     int64_t *session_id, int64_t *user_id);
int srv_session_revoke(struct db *db, int64_t session_id);
/* All of a user's sessions (password change, disabling). */
int srv_session_revoke_user(struct db *db, int64_t user_id);

/* Login throttling per key ("u:alice", "a:127.0.0.1"): failures in a row
 * and when the last was.  A success clears the account's key. */
int srv_throttle_get(struct db *db, const char *key, int *failures,
		     int64_t *last);
int srv_throttle_fail(struct db *db, const char *key, int64_t now);
int srv_throttle_clear(struct db *db, const char *key);

/* Single-use reset codes, stored hashed. */
int srv_reset_add(struct db *db, int64_t user_id, const uint8_t hash[32],
		  int64_t expires);
/* The user of a live, unused code, marking it used; -ENOENT otherwise. */
int srv_reset_take(struct db *db, const uint8_t hash[32], int64_t now,
		   int64_t *user_id);
/* Use up every code a user still has (their password was just set). */
int srv_reset_drop_user(struct db *db, int64_t user_id);

/* Change name, title, department, email, perms and disabled of u->id;
 * -EEXIST (with *err) when the email is taken. */
int srv_user_update(struct db *db, const struct srv_user *u, char **err);

/* ---- directory and presence (store/srv_directory.c) ---- */
enum srv_state { ST_OFFLINE, ST_ONLINE, ST_AWAY, ST_BUSY, ST_DND };
const char *srv_state_name(enum srv_state s);
int srv_state_parse(const char *name);	/* -1 when unknown */

struct srv_entry {
	struct srv_user u;
	enum srv_state state;
	char *note;
	int64_t since;
};
/* The company's users (disabled ones only when `all`) whose username,
 * name, email, title or department contains `q` (NULL: everyone), by
 * username; at most `limit`. */
int srv_directory(struct db *db, int64_t company_id, const char *q,
		  bool all, size_t limit, struct srv_entry **out, size_t *n);
void srv_entries_free(struct srv_entry *v, size_t n);
int srv_presence_set(struct db *db, int64_t user_id, enum srv_state st,
		     const char *note);
int srv_presence_get(struct db *db, int64_t user_id, enum srv_state *st,
		     char **note, int64_t *since);
/* Live sessions a user has (for "offline when the last one goes"). */
int64_t srv_sessions_live(struct db *db, int64_t user_id, int64_t now);
/* Presence that lapses when no session is heard from: lapse keeps the
 * user's choice aside and shows offline (1 when it did, 0 when they were
 * offline already); resume brings the choice back (1 when there was one
 * kept).  srv_presence_set drops a kept choice.  -EIO on errors. */
int srv_presence_lapse(struct db *db, int64_t user_id);
int srv_presence_resume(struct db *db, int64_t user_id);
/* The users shown as anything but offline, by id. */
int srv_presence_shown(struct db *db, int64_t **ids, size_t *n);

/* ---- events and the monitor (store/srv_events.c) ---- */
/* Append an event (data: a JSON object's text) to a user's log. */
int srv_event_add(struct db *db, int64_t user_id, const char *kind,
		  const char *data, int64_t *id);
struct srv_event {
	int64_t id, at;
	char *kind, *data;
};
/* A user's events after `cursor`, oldest first, at most `limit`. */
int srv_events_since(struct db *db, int64_t user_id, int64_t cursor,
		     size_t limit, struct srv_event **out, size_t *n);
void srv_events_free(struct srv_event *v, size_t n);
int64_t srv_event_last(struct db *db, int64_t user_id);

enum srv_watch { W_NONE, W_PENDING, W_ACCEPTED, W_DECLINED };
int srv_monitor_get(struct db *db, int64_t owner, int64_t target,
		    enum srv_watch *w);
int srv_monitor_set(struct db *db, int64_t owner, int64_t target,
		    enum srv_watch w, const char *message);
int srv_monitor_remove(struct db *db, int64_t owner, int64_t target);
/* Everyone `owner` watches or asked to (with their status), and, with
 * `incoming`, everyone asking to watch `owner` (pending). */
struct srv_watch_entry {
	struct srv_entry e;	/* the other user, with presence */
	enum srv_watch status;
	char *message;
};
int srv_monitor_list(struct db *db, int64_t owner, bool incoming,
		     struct srv_watch_entry **out, size_t *n);
void srv_watch_entries_free(struct srv_watch_entry *v, size_t n);
/* The users who watch `target` (accepted). */
int srv_monitor_watchers(struct db *db, int64_t target, int64_t **ids,
			 size_t *n);

int srv_audit(struct db *db, int64_t company_id, int64_t actor_id,
	      const char *action, const char *target, const char *detail);

/* ---- pictures: profile photos and logos (store/srv_media.c) ---- */
enum srv_media_kind {
	SRV_PHOTO,		/* a user's profile photo; owner: the user */
	SRV_LOGO,		/* a company's logo; owner: the company */
};
struct srv_media {
	char *type;		/* "image/png" or "image/jpeg" */
	void *data;
	size_t len;
	char *sha256;		/* of data, lower-case hex */
	int width, height;	/* pixels */
	int64_t updated;
};
void srv_media_clear(struct srv_media *m);
/* Store the owner's picture, replacing the one it had. */
int srv_media_set(struct db *db, enum srv_media_kind k, int64_t owner,
		  const struct srv_media *m);
/* The owner's picture; -ENOENT when it has none. */
int srv_media_get(struct db *db, enum srv_media_kind k, int64_t owner,
		  struct srv_media *out);
/* -ENOENT when there was none. */
int srv_media_delete(struct db *db, enum srv_media_kind k, int64_t owner);
bool srv_media_exists(struct db *db, enum srv_media_kind k, int64_t owner);
/* For profiles ("photo": true). */
bool srv_user_has_photo(struct db *db, int64_t user_id);

/* ---- the company's profile (store/srv_company.c) ---- */
struct srv_company {
	int64_t id;
	char *name, *address;	/* address: may hold line breaks */
	char **regions, **markets;	/* where it works; no line breaks */
	size_t nregions, nmarkets;
	int64_t created, updated;
};
void srv_company_clear(struct srv_company *c);
/* -ENOENT when there is no such company. */
int srv_company_get(struct db *db, int64_t id, struct srv_company *out);
/* Store name, address, regions and markets of c->id; -EEXIST (with *err)
 * when another company has the name. */
int srv_company_update(struct db *db, const struct srv_company *c,
		       char **err);

/* store/srv_profile.c: a user's phones and preferences (JSON texts);
 * NULL when never set.  srv_profile_set() leaves a NULL argument as it
 * was. */
int srv_profile_get(struct db *db, int64_t user_id, char **phones,
		    char **prefs);
int srv_profile_set(struct db *db, int64_t user_id, const char *phones,
		    const char *prefs);

/* ---- messages and attachments (store/srv_messages.c) ---- */
struct srv_att {
	int64_t id, size;
	char *name, *type, *sha256;
	void *data;		/* srv_att_get() only */
};
void srv_att_clear(struct srv_att *a);

/* One mailbox entry: a user's copy of a message. */
struct srv_msg {
	int64_t entry, id, rev;	/* entry: the user's handle on it */
	char *folder;		/* inbox, sent, trash */
	bool read, purged, outgoing;
	char *kind;		/* text, announcement, reminder, ... */
	char *sender, *sender_name;	/* NULL: sent by the server */
	char *recipients;	/* usernames (or announcement targets),
				   one a line */
	char *subject, *body;
	int64_t reply_to, created, deliver_at, expires;	/* 0: none */
	struct srv_att *att;
	size_t natt;
};
void srv_msg_clear(struct srv_msg *m);
void srv_msgs_free(struct srv_msg *v, size_t n);

struct srv_msg_new {
	int64_t company_id, sender_id;	/* sender_id 0: the server */
	const char *kind, *recipients, *subject, *body;
	const char *key;	/* the sender's idempotency key, or NULL */
	int64_t reply_to, expires;
	int64_t deliver_at;	/* not 0: recipients get it then */
	const int64_t *to;	/* recipients' user ids */
	size_t nto;
	const int64_t *att;	/* attachment ids, checked by the caller */
	size_t natt;
	bool no_copy;		/* no "sent" entry for the sender */
};
/* Store a message, the sender's "sent" entry and (unless deliver_at
 * holds it back) each recipient's "inbox" entry, in one transaction.
 * When the sender already stored one with the same key, nothing is added
 * and *existed is set.  *id: the message's id. */
int srv_msg_add(struct db *db, const struct srv_msg_new *m, int64_t *id,
		bool *existed);
/* The entry of user on message id (outgoing or not); 0 when none. */
int64_t srv_msg_entry(struct db *db, int64_t user_id, int64_t id,
		      bool outgoing);
/* A user's entries changed after `rev`, oldest change first. */
int srv_mailbox_since(struct db *db, int64_t user_id, int64_t rev,
		      size_t limit, struct srv_msg **out, size_t *n);
/* One entry of the user; -ENOENT when it is not theirs. */
int srv_mailbox_get(struct db *db, int64_t user_id, int64_t entry,
		    struct srv_msg *out);
int64_t srv_mailbox_rev(struct db *db, int64_t user_id);
/* Change an entry: read (-1 keeps it), folder (NULL keeps it), purge.
 * -ENOENT when it is not the user's or was purged. */
int srv_mailbox_update(struct db *db, int64_t user_id, int64_t entry,
		       int read, const char *folder, bool purge);
/* Unread inbox entries. */
int64_t srv_mailbox_unread(struct db *db, int64_t user_id);
/* Messages held back whose time has come (deliver_at <= now): deliver
 * one, giving its recipients inbox entries; *users gets their ids. */
int srv_msg_due(struct db *db, int64_t now, int64_t **ids, size_t *n);
int srv_msg_deliver(struct db *db, int64_t id, int64_t **users, size_t *n);
/* When the next held-back message is due; 0 when none is. */
int64_t srv_msg_next_due(struct db *db);
/* The company's active users an announcement reaches: everyone when
 * both target lists are empty, else those whose preferences follow one
 * of the markets or regions (lists: one a line). */
int srv_announce_audience(struct db *db, int64_t company_id,
			  const char *markets, const char *regions,
			  int64_t **ids, size_t *n);

/* Attachments: stored with their checksum; readable by their owner and
 * by whoever has a message that carries them. */
int srv_att_add(struct db *db, int64_t owner, struct srv_att *a,
		const void *data);
/* Metadata, and the bytes too when `data`; -ENOENT when none. */
int srv_att_get(struct db *db, int64_t id, bool data, struct srv_att *out);
bool srv_att_readable(struct db *db, int64_t user_id, int64_t id);

/* ---- synced data (store/srv_sync.c) ---- */
struct srv_item {
	char *kind, *uid, *data;	/* data NULL when deleted */
	int64_t rev, owner;	/* owner 0: shared in the company */
	bool deleted;
};
void srv_items_free(struct srv_item *v, size_t n);
/* The item, or -ENOENT. */
int srv_item_get(struct db *db, int64_t company, int64_t owner,
		 const char *kind, const char *uid, struct srv_item *out);
/* Store a new version (data NULL: deleted); *rev gets its revision. */
int srv_item_put(struct db *db, int64_t company, int64_t owner,
		 const char *kind, const char *uid, const char *data,
		 int64_t by, int64_t *rev);
/* Changes after `rev` a user sees: their own, and the company's shared
 * ones when `shared`; oldest first. */
int srv_items_since(struct db *db, int64_t company, int64_t owner,
		    bool shared, int64_t rev, size_t limit,
		    struct srv_item **out, size_t *n);
int64_t srv_sync_rev(struct db *db);
/* The stored answer to a change key (new string), or NULL. */
char *srv_sync_key_get(struct db *db, int64_t user, const char *key);
int srv_sync_key_put(struct db *db, int64_t user, const char *key,
		     const char *result);

/* ==== calls: signalling state (store/srv_calls.c, schema v9) ========== */
/* Appended for src/server/api_calls.c; every change below is conditional
 * on the state the caller expects, so the first answer wins even without
 * the server's lock. */
enum srv_call_state {
	CALL_RINGING, CALL_ANSWERED,	/* live */
	CALL_REJECTED, CALL_BUSY, CALL_CANCELLED, CALL_MISSED,
	CALL_ENDED, CALL_OFFLINE, CALL_DND,	/* over */
};
/* "ringing", "answered", "rejected", "busy", "cancelled", "missed",
 * "ended", "offline", "dnd" */
const char *srv_call_state_name(enum srv_call_state st);

struct srv_call {
	char *id;		/* random text */
	int64_t company_id, caller_id, callee_id;
	char *caller, *caller_name;	/* username and name (read only) */
	char *callee, *callee_name;
	int64_t caller_session;	/* the session that placed it */
	int64_t answer_session;	/* 0: not answered */
	bool video;
	enum srv_call_state state;
	char *offer, *answer;	/* JSON texts; NULL once the call is over */
	int64_t created, answered_at, ended_at;	/* unix s; 0: not (yet) */
	int64_t ring_until;	/* unix ms: missed when still ringing then */
	int64_t ended_by;	/* user id; 0: the server, or not over */
	char *end_reason;	/* what the client said, or NULL */
};
void srv_call_clear(struct srv_call *c);
void srv_calls_free(struct srv_call *v, size_t n);
/* Store a new call: id, company_id, caller_id, callee_id, caller_session,
 * video, state (ringing, or offline/dnd: over at once), offer, created
 * and ring_until are used.  -EEXIST when the id is taken. */
int srv_call_add(struct db *db, const struct srv_call *c);
/* -ENOENT when there is none. */
int srv_call_get(struct db *db, const char *id, struct srv_call *out);
/* Ringing -> answered by `session` with `answer` (JSON text); -EALREADY
 * when the call was not ringing any more. */
int srv_call_answer(struct db *db, const char *id, int64_t session,
		    const char *answer, int64_t now);
/* `from` -> `to` (an over state) by user `by` (0: the server), with an
 * optional reason; the offer and answer are dropped.  -EALREADY when the
 * call was not in `from`. */
int srv_call_end(struct db *db, const char *id, enum srv_call_state from,
		 enum srv_call_state to, int64_t by, const char *reason,
		 int64_t now);
/* The ids of calls still ringing whose ring_until <= now_ms. */
int srv_calls_ring_due(struct db *db, int64_t now_ms, char ***ids,
		       size_t *n);
/* The earliest ring_until of a ringing call (unix ms); 0 when none. */
int64_t srv_calls_ring_next(struct db *db);
/* A user's live calls (ringing or answered, as caller or callee), the
 * newest first, at most `limit`. */
int srv_calls_live(struct db *db, int64_t user_id, size_t limit,
		   struct srv_call **out, size_t *n);

#endif
