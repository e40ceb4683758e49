/* app/callmgr: the client's calls, between confabd's signalling and the
 * call engine.
 *
 * Placing a call: TURN credentials (GET /v1/turn), an engine (keys,
 * devices, ICE), the invite (POST /v1/calls with our offer); the peer's
 * answer arrives as a "call" event and goes to the engine; candidates go
 * both ways through confabd as they are found.  Taking one: an invite
 * event makes an incoming call (the client says it rings); answering
 * makes the engine and posts the answer.  Every step is asynchronous on
 * the client's loop (app/online's requests, the engine's event fd), so
 * the screen never waits.
 *
 * Events for another session of the same user are ignored ("to_session",
 * our id learnt from confabd's replies); "answered-elsewhere" ends the
 * ringing here.  A call that ends is written to the call log (direction,
 * peer, start, duration, outcome, and the line's quality when media ran)
 * and reported once more with state CM_ENDED, after which it is freed.
 * Several calls may exist: answering one puts the others on hold.
 */
#ifndef CONFAB_APP_CALLMGR_H
#define CONFAB_APP_CALLMGR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "call/engine.h"
#include "store/calls.h"

struct app;
struct online;

enum cm_state {
	CM_STARTING,	/* outgoing: credentials, devices, invite */
	CM_CALLING,	/* outgoing: invited, not ringing yet */
	CM_RINGING,	/* outgoing: the callee's client rings */
	CM_INCOMING,	/* incoming: ringing here */
	CM_ANSWERING,	/* incoming: our answer on its way */
	CM_CONNECTING,	/* answered: ICE looks for a path */
	CM_ACTIVE,	/* talking */
	CM_ENDED,
};

struct cm_call {
	struct callmgr *cm;
	char *id;		/* confabd's; NULL until the invite is in */
	bool outgoing;
	char *peer, *peer_name;
	enum cm_state state;
	bool held, muted, silenced;	/* silenced: ringing without sound */
	bool peer_held;		/* the other side put the call on hold */
	char sas[8];		/* the short authentication string */
	int64_t log_id;		/* the call log's entry, once written */
	void *ui;		/* the interface's own data (freed by it) */
	struct engine *eng;	/* from answer / dial on */
	int64_t created_ms;	/* loop_now_ms() */
	int64_t answered_ms;	/* 0 until answered */
	int64_t ended_ms;
	int64_t started_unix;	/* for the call log */
	/* when ended */
	bool logged;		/* an entry was written (not when answered
				 * on another machine) */
	enum call_outcome outcome;
	bool unanswered;	/* the peer did not take it: declined, busy,
				 * no answer, offline, do not disturb */
	char *reason;		/* what the user reads: "Bob is busy" */
	struct engine_stats stats;	/* the last figures */
	/* private to callmgr.c */
	json_t *remote;		/* incoming: the offer until answered */
	char **cands;		/* the peer's, before there is an engine */
	size_t ncands;
	bool cands_done;
	char **mine;		/* ours, before they may be sent */
	size_t nmine;
	bool mine_done, can_send;
	int req;		/* request whose reply we wait for */
	int ice_timer;		/* gives up on finding a path */
	struct cm_call *next;
};

struct callmgr_cfg {
	struct audio_spec audio;	/* devices and frame length */
	bool echo;		/* send back what arrives (sound test) */
	bool dtx;
	int aec, ns;		/* -1 auto */
	unsigned port_min, port_max;
	bool relay_only;
	const char *peer_via;	/* tests: see engine_cfg */
	const char *local_addrs;	/* NULL: every interface */
	bool no_log;		/* write no call log entries */
};

/* Any change of a call; the last one has state CM_ENDED, after which
 * the call is freed. */
typedef void (*callmgr_changed)(void *arg, struct cm_call *c);

struct callmgr *callmgr_new(struct app *a, struct online *o,
			    const struct callmgr_cfg *cfg,
			    callmgr_changed changed, void *arg);
/* Hangs up what is live (the requests go out if the loop runs on). */
void callmgr_free(struct callmgr *cm);

/* The defaults from the user's configuration. */
void callmgr_cfg_from_app(struct callmgr_cfg *cfg, const struct app *a);

/* Place a call; NULL with *err when it cannot start. */
struct cm_call *callmgr_dial(struct callmgr *cm, const char *user,
			     char **err);
/* Answer an incoming call (others are put on hold). */
int callmgr_answer(struct callmgr *cm, struct cm_call *c, char **err);
/* Reject an incoming call, cancel an outgoing one, or hang up; "busy"
 * answers an incoming call busy.  The call ends at once. */
void callmgr_hangup(struct callmgr *cm, struct cm_call *c);
void callmgr_busy(struct callmgr *cm, struct cm_call *c);
/* Hold stops our media both ways and tells the other side (confabd's
 * call-hold event: their peer_held). */
void callmgr_hold(struct callmgr *cm, struct cm_call *c, bool on);
void callmgr_mute(struct callmgr *cm, struct cm_call *c, bool on);

/* The calls, newest first. */
struct cm_call *callmgr_calls(struct callmgr *cm);
/* Our session id, once known (0 before). */
int64_t callmgr_session(const struct callmgr *cm);
/* Requests still on their way (a hang-up, candidates): a command that
 * exits waits for them. */
int callmgr_pending(const struct callmgr *cm);
/* Hang up (reject, cancel) every call. */
void callmgr_hangup_all(struct callmgr *cm);

const char *cm_state_name(enum cm_state s);
/* Seconds talked so far (or in all, once ended). */
int64_t cm_call_seconds(const struct cm_call *c);

#endif
