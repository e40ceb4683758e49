/* app/online: the TUI's live link to confabd.
 *
 * Holds the session, the user's own profile and presence, the online
 * monitor (who the user watches, with their presence, and the contact
 * requests waiting for an answer) and the event stream: a long-poll of
 * GET /v1/events that resumes from a cursor kept in the local database,
 * reconnecting with backoff when the server is away, so each event
 * reaches the UI once, also across restarts of either side.  Everything
 * runs on the client's loop through net/anet; nothing here blocks.
 *
 * It also sets the user away after `auto_away` idle minutes (only from
 * "online", and back to online at the next key).
 */
#ifndef CONFAB_APP_ONLINE_H
#define CONFAB_APP_ONLINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "app/session.h"
#include "net/anet.h"
#include "net/msgsync.h"

struct app;
struct loop;

enum online_link {
	LINK_SIGNED_OUT,	/* no session */
	LINK_CONNECTING,	/* first contact under way */
	LINK_UP,		/* the event stream is running */
	LINK_DOWN,		/* server unreachable: retrying */
};

struct peer {
	char *username, *name, *email;
	char *status;		/* accepted, pending, declined */
	char *state;		/* presence when accepted, else NULL */
	char *note, *message;
	int64_t since;
};

struct online_request {		/* someone asking to watch us */
	char *username, *name, *message;
};

/* What changed, for the shell: it redraws, and shows `text` (when not
 * NULL) as a message, as an alert when `alert`. */
typedef void (*online_notify)(void *arg, const char *text, bool alert);

struct online {
	struct app *app;
	struct loop *loop;
	struct anet *net;
	struct session s;
	enum online_link link;
	char *error;		/* why the link is down */
	int64_t cursor;		/* last event handled; -1 = none yet */
	int poll_id, retry_timer, backoff_ms;
	struct peer *peers;
	size_t npeers;
	struct online_request *reqs;
	size_t nreqs;
	json_t *me;		/* GET /v1/users/ME */
	char *state, *note;	/* own presence */
	bool auto_away;		/* we set "away" for idleness */
	int idle_timer;
	int64_t last_input;
	online_notify notify;
	void *arg;
	/* messages (online_msg.c) */
	char *account;		/* "USER SERVER" of the mailbox */
	int msg_push_id, msg_pull_id;
	bool msg_push_again, msg_pull_again;
	char *msg_error;	/* why the outbox waits, or NULL */
	struct msgsync_req *msg_req;	/* the flush request in flight */
	int64_t msg_unread;	/* inbox, for the tab title and status */
	int data_pull_id;	/* GET /v1/sync in flight */
	bool data_pull_again;
	int push_timer;		/* a local change: push soon */
	bool data_changed;	/* a pull changed records here: the views
				   reload (the shell clears it) */
	/* Headless (confab agent, confab call): the event stream and
	 * requests only; no mail or sync, no auto-away. */
	bool headless;
	char instance[24];	/* this process, for the server's presence */
	/* Call signalling events ("call", "call-candidate") go here
	 * (app/callmgr). */
	void (*call_event)(void *arg, const char *kind, json_t *data);
	void *call_arg;
};

struct online *online_new(struct app *a, struct loop *l, online_notify cb,
			  void *arg);
void online_free(struct online *o);
/* (Re)read the session file and start the link (or stop it). */
void online_restart(struct online *o);
bool online_signed_in(const struct online *o);
/* The api handle for requests of the signed-in user (base + token). */
struct api online_api(const struct online *o);
/* A key was pressed (for auto-away). */
void online_input(struct online *o);

/* Requests the views make; `done` gets NULL or an error text. */
typedef void (*online_done)(void *arg, const char *err);
void online_sign_in(struct online *o, const char *server, const char *user,
		    const char *password, online_done done, void *arg);
void online_sign_out(struct online *o, online_done done, void *arg);
void online_set_presence(struct online *o, const char *state,
			 const char *note, online_done done, void *arg);
void online_monitor_request(struct online *o, const char *user,
			    const char *message, online_done done, void *arg);
/* verb: "accept", "decline" or "remove" */
void online_monitor_answer(struct online *o, const char *verb,
			   const char *user, online_done done, void *arg);
/* Refresh the monitor and own profile. */
void online_refresh(struct online *o);

/* The presence of the monitored user with this email (case-insensitive),
 * or NULL: the address book's icons. */
const char *online_state_by_email(const struct online *o, const char *email);
const struct peer *online_peer(const struct online *o, const char *username);

/* One generic request through the link; status >= 400 becomes an error
 * text from the server's reply.  `got` receives the reply (or NULL) and
 * the error; it may be called after the caller's screen is gone unless
 * that cancels it with online_cancel(). */
typedef void (*online_got)(void *arg, json_t *reply, const char *err);
int online_call(struct online *o, const char *method, const char *path,
		json_t *body, online_got got, void *arg);
void online_cancel(struct online *o, int id);
/* The process is about to exit without signing out: the server stops
 * counting this session as there (POST /v1/bye).  `done` as above. */
int online_bye(struct online *o, online_got done, void *arg);
/* The same with the HTTP status (0 when the request failed) and the
 * reply whatever the status; a 401 still ends the session. */
typedef void (*online_raw)(void *arg, long status, json_t *reply,
			   const char *err);
int online_call_raw(struct online *o, const char *method, const char *path,
		    json_t *body, online_raw got, void *arg);

/* ---- messages and sync (app/online_msg.c) ----
 * The outbox is flushed and the mailbox and synced records pulled
 * whenever the link comes up, something is queued or changed here
 * (SQLite's update hook tells us of synced tables' rows), or an event
 * says the server has something new; the notify callback hears of new
 * messages (alert) and of every change. */
/* A session is known (the outbox works offline from here on). */
void online_msg_init(struct online *o);
/* The link is up: send and pull. */
void online_msg_start(struct online *o);
void online_msg_stop(struct online *o);
/* An event of kind "message" or "mailbox" (true when it was one). */
bool online_msg_event(struct online *o, const char *kind, json_t *data);
/* Queue what the user sends ("message", "announcement", "reminder":
 * the request's JSON without key) and flush; -1 on a store error. */
int online_msg_send(struct online *o, const char *kind, json_t *payload);
/* Change an entry here and on the server (read -1 / folder NULL keep
 * what it is); pending entries (id < 0) are dropped from the outbox. */
int online_msg_change(struct online *o, int64_t id, int read,
		      const char *folder, bool purge);
/* Try the outbox now (C-l, or after a failed item was revived). */
void online_msg_flush(struct online *o);
/* Items waiting in the outbox (refused ones in *failed), and records
 * changed here not yet sent. */
int64_t online_msg_pending(struct online *o, int64_t *failed);
/* Records changed here and on another machine, waiting for the user. */
int64_t online_sync_conflicts(struct online *o);

#endif
