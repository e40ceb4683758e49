/* call/ice: finding a path for the media with ICE (libnice).
 *
 * One stream, one component (RTP and RTCP share it, as RFC 5761 muxing
 * does).  Host, server-reflexive (STUN) and relayed (TURN over UDP, TCP
 * or TLS) candidates are gathered and trickled: each local candidate is
 * handed to the caller as an SDP "a=candidate:" line as soon as it is
 * known, and the peer's are added as they come.  The caller's side is
 * controlling.  Local media ports start at a base port (2000 unless
 * configured).
 *
 * libnice runs on a GLib main loop in a thread of its own; the callbacks
 * below are called on that thread, so they must hand work on (a pipe, a
 * queue) rather than touch the caller's state.  ice_send() may be called
 * from any thread.
 */
#ifndef CONFAB_CALL_ICE_H
#define CONFAB_CALL_ICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ice_relay { ICE_RELAY_UDP, ICE_RELAY_TCP, ICE_RELAY_TLS };

struct ice_server {
	char *host;		/* name or address; resolved at ice_new */
	unsigned port;
	enum ice_relay transport;	/* TURN only */
};

struct ice_config {
	bool controlling;
	unsigned port_min, port_max;	/* 0: any */
	struct ice_server stun;		/* host NULL: none */
	struct ice_server *turn;	/* TURN servers, tried as libnice does */
	size_t nturn;
	const char *turn_user, *turn_pass;
	bool relay_only;	/* gather only relayed candidates (tests) */
	/* Local addresses to use, comma-separated ("127.0.0.1"); NULL:
	 * every interface's but loopback (libnice's choice). */
	const char *local_addrs;
};

/* Turn a "stun:h:p" / "turn:h:p?transport=tcp" / "turns:h:443?..." URI
 * into a server; -1 when it is not one. */
int ice_server_parse(const char *uri, bool *is_turn, struct ice_server *out);
void ice_server_clear(struct ice_server *s);

enum ice_state {
	ICE_GATHERING, ICE_CONNECTING, ICE_CONNECTED, ICE_FAILED,
};

struct ice_callbacks {
	/* a local candidate as an SDP attribute line; NULL when gathering
	 * is done */
	void (*candidate)(void *arg, const char *line);
	void (*state)(void *arg, enum ice_state st);
	/* a datagram from the peer (RTP, RTCP) */
	void (*recv)(void *arg, const uint8_t *buf, size_t len);
	void *arg;
};

struct ice;
struct ice *ice_new(const struct ice_config *c, const struct ice_callbacks *cb,
		    char **err);
void ice_free(struct ice *ice);
/* This side's ufrag and password (for the offer/answer); static to ice. */
const char *ice_ufrag(struct ice *ice);
const char *ice_pwd(struct ice *ice);
int ice_gather(struct ice *ice);
int ice_set_remote(struct ice *ice, const char *ufrag, const char *pwd);
/* A peer candidate ("a=candidate:..." or "candidate:..."); 0, or -1
 * when it cannot be read. */
int ice_add_remote(struct ice *ice, const char *line);
/* The peer has sent all of its candidates. */
void ice_remote_done(struct ice *ice);
/* Send one datagram on the selected pair: 0, or -1 (no path yet). */
int ice_send(struct ice *ice, const uint8_t *buf, size_t len);

/* The path in use, once connected. */
struct ice_path {
	bool relayed;		/* through TURN */
	char local_type[8], remote_type[8];	/* host, srflx, prflx, relay */
	char local[64], remote[64];	/* "address:port" */
	char transport[8];	/* of the relay: udp, tcp, tls; else udp */
};
int ice_path(struct ice *ice, struct ice_path *out);

#endif
