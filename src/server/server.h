/* src/server: confabd, the company's service.
 *
 *   main.c      options, config, signals, start and stop
 *   conf.c      the config file (key = value lines)
 *   http.c      libmicrohttpd glue: bodies with size limits, routing,
 *               JSON replies and errors, metrics
 *   auth.c      passwords (argon2id), session tokens, sign-in throttling
 *   api_auth.c  /v1/login, /v1/logout, /v1/me, password change and reset
 *   admin.c     `confabd admin …` on the data directory
 *   mail.c      mails over SMTP (libcurl) from one worker thread
 *   codes.c     reset and invite codes, and the mails that carry them
 *   presence.c  which sessions are still there; offline when none is
 *   api_media.c  profile photos; the checks every picture upload passes
 *   api_company.c  the company's profile and logo
 *   api_messages.c  messages, announcements, reminders
 *   api_attach.c  the files messages carry
 *   api_sync.c  records kept on every machine
 *   deliver.c   reminders delivered when their time comes
 *   api_calls.c  call signalling and the ring timeout
 *   turn.c      TURN credentials (coturn's shared-secret scheme)
 *
 * One SQLite connection, used under `lock` by the pool's threads.
 */
#ifndef CONFAB_SERVER_SERVER_H
#define CONFAB_SERVER_SERVER_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/image.h"

#define CONFABD_VERSION "0.1.0"

struct db;
struct srv_user;

struct srv_conf {
	char *listen;		/* "127.0.0.1:8740" */
	char *data_dir;		/* "/var/lib/confabd" */
	char *tls_cert, *tls_key;	/* PEM files; both or neither */
	char *smtp_url, *smtp_from;	/* password reset mails */
	char *smtp_user, *smtp_password;	/* SMTP AUTH, optional */
	bool smtp_starttls;	/* smtp://: require STARTTLS */
	int presence_timeout;	/* s without a request: offline */
	int token_days;		/* session lifetime */
	int threads;		/* HTTP worker threads */
	size_t max_body;	/* request bodies, bytes */
	char *password_cost;	/* interactive, moderate, sensitive, min */
	int call_ring_timeout;	/* s a call rings before it is missed */
	char *turn_uris, *stun_uris;	/* comma-separated turn:/stun: URIs */
	char *turn_secret;	/* coturn's static-auth-secret */
	int turn_ttl;		/* s a TURN credential lasts */
	char *source;		/* file the values came from, for errors */
};
void srv_conf_defaults(struct srv_conf *c);
/* Read `path` over the defaults; a missing file is an error only when
 * `required`.  -1 with *err naming file and line. */
int srv_conf_load(struct srv_conf *c, const char *path, bool required,
		  char **err);
void srv_conf_clear(struct srv_conf *c);

struct srv_metrics {
	atomic_ullong requests, r2xx, r4xx, r5xx;
	atomic_ullong logins_ok, logins_failed, logins_throttled;
	atomic_ullong body_too_large, bad_json;
};

struct hub;
struct mailer;
struct presence;
struct deliver;
struct calls;

struct srv {
	struct srv_conf conf;
	struct hub *hub;	/* long-polls (hub.c) */
	struct mailer *mail;	/* the mail queue (mail.c); NULL: send now */
	struct presence *presence;	/* sessions heard from (presence.c) */
	struct deliver *deliver;	/* reminders waiting (deliver.c) */
	struct calls *calls;	/* the ring timeout (api_calls.c) */
	struct db *db;
	pthread_mutex_t lock;	/* around every use of db */
	struct srv_metrics m;
	unsigned long long pw_ops;
	size_t pw_mem;
	int64_t started;
};

/* A request as handlers see it. */
struct req {
	struct srv *s;
	const char *method, *path;
	const char *body;
	size_t len;
	char addr[64];		/* client address */
	const char *auth;	/* the Authorization header, or NULL */
	const char *content_type;	/* the Content-Type header, or NULL */
	const char *rest;	/* what a prefix route ("/v1/users/...") matched */
	void *conn;		/* the MHD connection (NULL in the fuzzer) */
	/* set by srv_authenticate() */
	int64_t session_id;
	struct srv_user *user;
};

/* A reply: status and a JSON body (owned), or text for /metrics. */
struct reply {
	int status;
	json_t *json;
	char *text;
	const char *content_type;
	int retry_after;	/* seconds, for 429 */
	void *data;		/* a binary body (owned), data_len bytes */
	size_t data_len;
	char *sha256;		/* sent as X-Content-SHA256 (owned) */
	char *type_owned;	/* content_type when it is owned */
};

/* JSON error body {"error":{"code":…,"message":…}} */
void reply_error(struct reply *r, int status, const char *code,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The request body as a JSON object; on failure fills r (400) and
 * returns NULL. */
json_t *req_json(struct req *q, struct reply *r);
/* A string field: required or not, at most `max` bytes; on a bad field
 * fills r (400, naming the field) and returns -1. */
int json_field(json_t *o, const char *name, bool required, size_t max,
	       const char **out, struct reply *r);

/* A query-string argument, or NULL. */
const char *req_query(struct req *q, const char *name);

/* http.c */
/* Route q to its handler, filling r (the fuzz target calls this). */
void http_dispatch(struct req *q, struct reply *r);
struct MHD_Daemon;
struct MHD_Daemon *http_start(struct srv *s, char **err);
int http_port(struct MHD_Daemon *d);
void http_stop(struct srv *s, struct MHD_Daemon *d);

/* auth.c */
int auth_init(struct srv *s, char **err);
/* argon2id string of pw; NULL on failure (out of memory). */
char *auth_hash_password(struct srv *s, const char *pw);
bool auth_check_password(const char *hash, const char *pw);
/* A new random token (base64url of 32 bytes) and its hash. */
char *auth_new_token(uint8_t hash[32]);
/* Hash of a token the client sent; false when it is malformed. */
bool auth_token_hash(const char *token, uint8_t hash[32]);
/* The Bearer token of q: fills q->user and q->session_id, or r (401). */
int auth_require(struct req *q, struct reply *r);
/* 2 to 64 letters, digits, '.', '-' or '_'. */
bool auth_username_ok(const char *name);
/* A new session for u: the sign-in reply {token, expires, user} in r. */
void auth_new_session(struct req *q, struct reply *r,
		      const struct srv_user *u);
/* Passwords must be 8 to 256 bytes; a message for the user otherwise. */
const char *auth_password_problem(const char *pw);
/* A reset code (10 characters, for typing) and its hash. */
char *auth_new_code(uint8_t hash[32]);
bool auth_code_hash(const char *code, uint8_t hash[32]);

/* api_auth.c: the routes */
void api_login(struct req *q, struct reply *r);
void api_logout(struct req *q, struct reply *r);
void api_bye(struct req *q, struct reply *r);
void api_me(struct req *q, struct reply *r);
void api_password(struct req *q, struct reply *r);
void api_reset_request(struct req *q, struct reply *r);
void api_reset_confirm(struct req *q, struct reply *r);
json_t *user_json(struct srv *s, const struct srv_user *u);

/* api_users.c: directory, profiles, user admin, presence */
void api_users_list(struct req *q, struct reply *r);
void api_user_get(struct req *q, struct reply *r);
void api_user_add(struct req *q, struct reply *r);
void api_user_edit(struct req *q, struct reply *r);
void api_presence(struct req *q, struct reply *r);
/* After a session ends: offline when it was the user's last. */
void presence_session_ended(struct srv *s, int64_t user_id);
/* After a sign-in: online when the user was offline. */
void presence_session_started(struct srv *s, int64_t user_id);

/* hub.c: long-polls waiting for events */
int hub_start(struct srv *s);
/* Suspend `conn` (a struct MHD_Connection) until an event for `user` or
 * the deadline; call with the database lock held. */
void hub_wait(struct srv *s, void *conn, int64_t user, int64_t deadline_ms);
/* Wake `user`'s waiters; call with the database lock held, after the
 * event is stored. */
void hub_notify(struct srv *s, int64_t user);
size_t hub_waiting(struct srv *s);
bool hub_stopping(struct srv *s);
void hub_drain(struct srv *s);	/* shutdown: answer every waiter */
void hub_free(struct srv *s);
int64_t hub_now_ms(void);

/* events.c: appending events (database lock held) and GET /v1/events */
int event_push(struct srv *s, int64_t user, const char *kind, json_t *data);
/* A user's presence, to everyone watching them. */
void event_presence(struct srv *s, int64_t user);
/* GET /v1/events: answers, or returns 1 after suspending the connection
 * (then it is called again with the same `st` when woken). */
struct events_wait {
	bool waiting;
	int64_t user, cursor, deadline_ms;
	int64_t session;	/* for presence: this session polls */
	uint64_t inst;		/* the client process ("instance"), or 0 */
};
int api_events(struct req *q, struct reply *r, struct events_wait *st);

/* api_monitor.c */
void api_monitor_list(struct req *q, struct reply *r);
void api_monitor_request(struct req *q, struct reply *r);
void api_monitor_accept(struct req *q, struct reply *r);
void api_monitor_decline(struct req *q, struct reply *r);
void api_monitor_remove(struct req *q, struct reply *r);

/* api_profile.c: phones and preferences in j ("phones", "prefs")
 * checked into JSON texts to store (NULL: not given); -1 with r filled. */
int profile_fields(struct req *q, struct reply *r, json_t *j,
		   const struct srv_user *u, char **phones, char **prefs);
/* Add "phones", "photo" and (own profile) "prefs" to j; lock held. */
void profile_add_json(struct srv *s, json_t *j, int64_t user_id, bool own);

/* api_setup.c: first start from the TUI (GET/POST /v1/setup) */
void api_setup_get(struct req *q, struct reply *r);
void api_setup(struct req *q, struct reply *r);

/* admin.c */
int admin_run(struct srv *s, int argc, char **argv);

/* mail.c: one worker thread sends mails, so that no request waits for
 * the mail server or shows by its timing whether it mailed anyone. */
struct mail_msg {
	char *to;		/* one address */
	char *subject;		/* ASCII */
	char *body;		/* UTF-8 text, lines ending in \n */
};
void mail_msg_clear(struct mail_msg *m);
/* Fill *m from `arg` on the worker (taking the database lock itself if
 * it needs it): 0 to send it, anything else to send nothing. */
typedef int mail_make_fn(struct srv *s, const char *arg, struct mail_msg *m);
int mail_start(struct srv *s);
/* After the HTTP server stopped: the mail being sent is aborted, the
 * queued ones are dropped (each logged). */
void mail_stop(struct srv *s);
/* Queue `m` (taken over, cleared); without a worker (admin commands)
 * send it now.  0, or -1 when it was not queued or not sent (logged). */
int mail_queue(struct srv *s, struct mail_msg *m);
/* Queue the making of a mail (make runs later on the worker). */
int mail_defer(struct srv *s, mail_make_fn *make, const char *arg);
/* A usable address: one local@domain, no spaces, brackets or controls. */
bool mail_addr_ok(const char *addr);
/* The address of "Name <a@b>" or "a@b", new; NULL when it is not one. */
char *mail_bare_addr(const char *from);

/* codes.c: single-use codes for setting a password, by mail */
#define RESET_TTL (24 * 3600)	/* a reset code lives a day */
#define INVITE_TTL (7 * 24 * 3600)	/* an invite code a week */
/* POST /v1/password/reset's work, done on the mail worker: find `who`,
 * store a code and mail it, or log why not. */
void codes_reset_request(struct srv *s, const char *who);
/* Store an invite code for u (lock held): the code (free it), or NULL. */
char *codes_invite_new(struct srv *s, const struct srv_user *u,
		       int64_t *expires);
/* Mail it to u (queued; sent now without a worker): 0 or -1. */
int codes_invite_mail(struct srv *s, const struct srv_user *u,
		      const char *code, int64_t expires, const char *by);

/* presence.c: a session counts as there while it has a long-poll open
 * or made a request in the last presence_timeout seconds; a sweep thread
 * shows users with no such session offline, keeping what they chose,
 * and their next request brings it back.  Call these (not start and
 * stop) with the database lock held: the table of sessions lives under
 * it. */
int presence_start(struct srv *s);
void presence_stop(struct srv *s);
void presence_seen(struct srv *s, int64_t session, int64_t user);
/* inst: the polling client process (0: not said); a process that said
 * goodbye (presence_leave) is not counted again. */
void presence_poll_begin(struct srv *s, int64_t session, int64_t user,
			 uint64_t inst, int64_t until_ms);
void presence_poll_end(struct srv *s, int64_t session, int64_t user,
		       uint64_t inst);
bool presence_gone(struct srv *s, int64_t session, uint64_t inst);
/* A client's "instance" text as the number the calls above take. */
uint64_t presence_inst(const char *text);
void presence_forget(struct srv *s, int64_t session);
/* The session's client process `inst` goes away (POST /v1/bye): the
 * session is not there from now, and polls that process still had open
 * or on their way do not count. */
void presence_leave(struct srv *s, int64_t session, int64_t user,
		    uint64_t inst);
/* Whether any session of `user` is there now. */
bool presence_user_there(struct srv *s, int64_t user);

/* api_media.c: profile photos, and the upload rules logos share.  A
 * picture travels as {"type":"image/png","data":"<base64>"}; its route
 * takes bodies up to MEDIA_BODY_MAX instead of conf.max_body. */
#define MEDIA_BODY_MAX (((IMAGE_MAX_BYTES + 2) / 3) * 4 + 1024)
struct srv_media;
/* The picture in q's body, checked (PNG or JPEG that stb_image decodes,
 * within the limits of common/image.h, of the type it says): 0, or -1
 * with r filled (400 naming the field and the problem). */
int media_from_req(struct req *q, struct reply *r, struct srv_media *m);
/* {"type","data","sha256","width","height","updated"} */
json_t *media_json(const struct srv_media *m);
void api_photo_put(struct req *q, struct reply *r);
void api_photo_get(struct req *q, struct reply *r);
void api_photo_delete(struct req *q, struct reply *r);

/* api_company.c: the company's profile and logo (admins change them) */
void api_company_get(struct req *q, struct reply *r);
void api_company_edit(struct req *q, struct reply *r);
void api_logo_put(struct req *q, struct reply *r);
void api_logo_get(struct req *q, struct reply *r);
void api_logo_delete(struct req *q, struct reply *r);

/* api_messages.c: messages, announcements, reminders and attachments.
 * Attachments travel as raw bytes (POST with their Content-Type), up to
 * ATTACH_MAX. */
#define ATTACH_MAX (16u << 20)
#define MSG_BODY_MAX 65536
#define MSG_SUBJECT_MAX 256
struct srv_msg;
/* A mailbox entry as the API shows it. */
json_t *msg_json(const struct srv_msg *m);
/* After entries were added or changed for `user` (lock held): a
 * "message" event for a new inbox entry (entry != 0), else "mailbox". */
void msg_notify(struct srv *s, int64_t user, int64_t entry);
/* A message from `from` (0: the server) to `to`, with no sent copy:
 * contact requests.  Lock held. */
int msg_system(struct srv *s, int64_t company, int64_t from, int64_t to,
	       const char *kind, const char *subject, const char *body);
void api_messages_post(struct req *q, struct reply *r);
void api_messages_get(struct req *q, struct reply *r);
void api_message_get(struct req *q, struct reply *r);
void api_message_patch(struct req *q, struct reply *r);
void api_message_delete(struct req *q, struct reply *r);
void api_announce(struct req *q, struct reply *r);
void api_reminder(struct req *q, struct reply *r);
void api_att_post(struct req *q, struct reply *r);
void api_att_get(struct req *q, struct reply *r);

/* api_sync.c: GET and POST /v1/sync, records kept on every machine */
void api_sync_get(struct req *q, struct reply *r);
void api_sync_post(struct req *q, struct reply *r);

/* deliver.c: a thread that delivers held-back messages (reminders) when
 * they fall due, and at start the ones that fell due while confabd was
 * down. */
int deliver_start(struct srv *s);
void deliver_stop(struct srv *s);
/* A message was held back: look again at when the next one is due. */
void deliver_wake(struct srv *s);

/* api_calls.c: call signalling through the event log ("call" and
 * "call-candidate" events); offers and answers are opaque JSON objects
 * of at most CALL_SDP_MAX bytes.  calls_start/stop: the thread that ends
 * calls still ringing after conf.call_ring_timeout as missed. */
#define CALL_SDP_MAX 32768
void api_calls_post(struct req *q, struct reply *r);
void api_calls_list(struct req *q, struct reply *r);
void api_call_get(struct req *q, struct reply *r);
void api_call_ringing(struct req *q, struct reply *r);
void api_call_answer(struct req *q, struct reply *r);
void api_call_reject(struct req *q, struct reply *r);
void api_call_busy(struct req *q, struct reply *r);
void api_call_cancel(struct req *q, struct reply *r);
void api_call_hangup(struct req *q, struct reply *r);
void api_call_candidate(struct req *q, struct reply *r);
void api_call_hold(struct req *q, struct reply *r);
int calls_start(struct srv *s);
void calls_stop(struct srv *s);

/* turn.c: GET /v1/turn, credentials for coturn's --use-auth-secret. */
void api_turn(struct req *q, struct reply *r);
/* base64(HMAC-SHA1(secret, username)), new. */
char *turn_password(const char *secret, const char *username);
/* What is wrong with a comma-separated list of turn:/turns: (`turn`) or
 * stun:/stuns: URIs, new; NULL when nothing is. */
char *turn_uris_problem(const char *list, bool turn);

#endif
