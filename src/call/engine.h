/* call/engine: one call's media, from key agreement to sound.
 *
 * An engine holds what one side of a call needs: its X25519 key pair,
 * the audio devices (opened at once, so that a missing microphone is
 * known before anyone is called), the ICE agent (gathering from the
 * start, its candidates handed out as events to be trickled through
 * confabd) and, once the peer's offer or answer is in, the SRTP keys,
 * the short authentication string and the media (call/media), which
 * starts when ICE has found a path.
 *
 * Signalling is the owner's: it sends engine_offer() in its offer or
 * answer, gives the peer's to engine_remote(), passes candidates both
 * ways, and reads the engine's events when engine_fd() is readable (ICE
 * works on a thread of its own; events wait in a queue).  All functions
 * but engine_stats() belong to the owner's thread.
 */
#ifndef CONFAB_CALL_ENGINE_H
#define CONFAB_CALL_ENGINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "call/audio.h"
#include "call/ice.h"
#include "call/media.h"

struct engine_cfg {
	bool caller;		/* the controlling side */
	struct audio_spec audio;	/* devices; frame_ms is ours */
	int bitrate;		/* 0: the codec's default */
	bool fec, dtx;
	int aec, ns;		/* 1 on, 0 off, -1: on for sound cards */
	bool echo;		/* send back what arrives (sound test) */
	const char *name;	/* how we are shown to the peer */
	const char *cname;	/* RTCP CNAME, e.g. user@server */
	/* ICE: "stun:" and "turn:" URIs, TURN credentials, media ports */
	const char *const *ice_uris;
	size_t nuris;
	const char *turn_user, *turn_pass;
	unsigned port_min, port_max;
	bool relay_only;
	/* Tests: "IP:PORT" stands for the peer (an impairment relay): the
	 * peer's own candidates are ignored and media goes there. */
	const char *peer_via;
	const char *local_addrs;	/* see ice_config; NULL: all */
};

enum engine_ev_kind {
	ENGINE_EV_CANDIDATE,	/* line: a local candidate to trickle */
	ENGINE_EV_GATHERED,	/* all local candidates are out */
	ENGINE_EV_CONNECTED,	/* a path is found; media runs */
	ENGINE_EV_FAILED,	/* no path: the call cannot go on */
};

struct engine_event {
	enum engine_ev_kind kind;
	char *line;		/* CANDIDATE; the receiver frees it */
};

struct engine_stats {
	bool connected, media;
	struct ice_path path;	/* when connected */
	struct media_stats m;	/* when media */
};

struct engine;

/* 0, or < 0 with *err a message for the user. */
int engine_new(struct engine **ep, const struct engine_cfg *cfg, char **err);
/* Stops the media (its RTCP BYE goes out); the figures stay readable
 * and final.  Idempotent. */
void engine_stop(struct engine *e);
/* Stops everything (engine_stop first).  NULL: nothing. */
void engine_free(struct engine *e);

/* Our offer or answer (a new reference). */
json_t *engine_offer(struct engine *e);
/* The peer's; 0, or -1 with *why (static text) when it is unusable. */
int engine_remote(struct engine *e, json_t *offer, const char **why);
/* A candidate from the peer (kept until engine_remote when early);
 * NULL: the peer has sent them all.  0, or -1 when unreadable. */
int engine_candidate(struct engine *e, const char *line);

/* Readable while events wait; engine_next() takes one (false: none). */
int engine_fd(const struct engine *e);
bool engine_next(struct engine *e, struct engine_event *ev);

/* The short authentication string, once engine_remote() succeeded;
 * else "". */
const char *engine_sas(const struct engine *e);
const char *engine_peer_name(const struct engine *e);
void engine_mute(struct engine *e, bool on);
void engine_hold(struct engine *e, bool on);
/* A file input has been sent to its end. */
bool engine_input_ended(const struct engine *e);
/* Switch a device mid-call (see audio_switch). */
int engine_switch(struct engine *e, enum audio_which which, const char *name,
		  char **err);
void engine_stats(struct engine *e, struct engine_stats *st);

/* A JSON object of the figures (for --stats-json and tests). */
json_t *engine_stats_json(const struct engine_stats *st);

#endif
