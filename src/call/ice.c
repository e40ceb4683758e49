/* call/ice: ICE with libnice on a GLib main loop of its own (see
 * call/ice.h). */
#include "call/ice.h"
#include "common/str.h"

#include <agent.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ice {
	GMainContext *ctx;
	GMainLoop *loop;
	pthread_t thread;
	bool running;
	NiceAgent *agent;
	guint stream;
	struct ice_callbacks cb;
	struct ice_server *turn;	/* copies, resolved */
	size_t nturn;
	gchar *ufrag, *pwd;
	pthread_mutex_t lock;	/* path */
	struct ice_path path;
	bool have_path;
	atomic_int state;
};

/* ---- servers --------------------------------------------------------------------- */

int ice_server_parse(const char *uri, bool *is_turn, struct ice_server *out)
{
	const char *p = uri;
	bool tls = false;

	memset(out, 0, sizeof *out);
	if (!uri)
		return -1;
	if (strncasecmp(p, "stun:", 5) == 0) {
		*is_turn = false, p += 5;
	} else if (strncasecmp(p, "turn:", 5) == 0) {
		*is_turn = true, p += 5;
	} else if (strncasecmp(p, "turns:", 6) == 0) {
		*is_turn = true, tls = true, p += 6;
	} else {
		return -1;
	}
	const char *q = strchr(p, '?');
	size_t hl = q ? (size_t)(q - p) : strlen(p);
	char *hp = xstrndup(p, hl);
	char *colon = strrchr(hp, ':');
	unsigned port = tls ? 443 : 3478;
	if (colon && !strchr(colon, ']')) {
		char *end;
		long v = strtol(colon + 1, &end, 10);
		if (*end || v <= 0 || v > 65535) {
			free(hp);
			return -1;
		}
		port = (unsigned)v;
		*colon = '\0';
	}
	if (hp[0] == '[') {	/* [v6] */
		size_t n = strlen(hp);
		if (n < 3 || hp[n - 1] != ']') {
			free(hp);
			return -1;
		}
		memmove(hp, hp + 1, n - 2);
		hp[n - 2] = '\0';
	}
	if (!*hp) {
		free(hp);
		return -1;
	}
	out->host = hp;
	out->port = port;
	out->transport = tls ? ICE_RELAY_TLS : ICE_RELAY_UDP;
	if (q && strstr(q, "transport=tcp"))
		out->transport = tls ? ICE_RELAY_TLS : ICE_RELAY_TCP;
	return 0;
}

void ice_server_clear(struct ice_server *s)
{
	free(s->host);
	s->host = NULL;
}

/* libnice wants addresses, not names. */
static char *resolve(const char *host)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC }, *res = NULL;
	char buf[NI_MAXHOST];
	char *out = NULL;

	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return NULL;
	for (struct addrinfo *a = res; a && !out; a = a->ai_next)
		if (getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof buf,
				NULL, 0, NI_NUMERICHOST) == 0)
			out = xstrdup(buf);
	freeaddrinfo(res);
	return out;
}

/* ---- libnice's signals (on the loop's thread) ---------------------------------------- */

static void on_candidate(NiceAgent *agent, NiceCandidate *c, gpointer data)
{
	struct ice *ice = data;
	gchar *sdp = nice_agent_generate_local_candidate_sdp(agent, c);

	if (sdp && ice->cb.candidate)
		ice->cb.candidate(ice->cb.arg, sdp);
	g_free(sdp);
}

static void on_gathered(NiceAgent *agent, guint stream, gpointer data)
{
	struct ice *ice = data;

	(void)agent, (void)stream;
	if (ice->cb.candidate)
		ice->cb.candidate(ice->cb.arg, NULL);
}

static void set_state(struct ice *ice, enum ice_state st)
{
	if (atomic_exchange(&ice->state, (int)st) != (int)st && ice->cb.state)
		ice->cb.state(ice->cb.arg, st);
}

static void on_state(NiceAgent *agent, guint stream, guint comp, guint st,
		     gpointer data)
{
	struct ice *ice = data;

	(void)agent, (void)stream, (void)comp;
	/* CONNECTED: a nominated pair works; READY comes only once every
	 * better pair's checks have run out, seconds later behind NAT.
	 * Media goes as soon as there is a path (a better pair nominated
	 * later just takes over). */
	if (st == NICE_COMPONENT_STATE_READY ||
	    st == NICE_COMPONENT_STATE_CONNECTED)
		set_state(ice, ICE_CONNECTED);
	else if (st == NICE_COMPONENT_STATE_FAILED)
		set_state(ice, ICE_FAILED);
	else if (st == NICE_COMPONENT_STATE_CONNECTING &&
		 atomic_load(&ice->state) != ICE_CONNECTED)
		set_state(ice, ICE_CONNECTING);
}

static const char *type_name(NiceCandidateType t)
{
	switch (t) {
	case NICE_CANDIDATE_TYPE_HOST: return "host";
	case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
	case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE: return "prflx";
	case NICE_CANDIDATE_TYPE_RELAYED: return "relay";
	}
	return "?";
}

static void addr_text(const NiceAddress *a, char *out, size_t len)
{
	char ip[NICE_ADDRESS_STRING_LEN];

	nice_address_to_string(a, ip);
	snprintf(out, len, "%s:%u", ip, nice_address_get_port(a));
}

/* The relay's transport: libnice gives relays over UDP the type
 * preference 30 and those over TCP or TLS 20 (the top byte of the
 * priority); which of the two, by the server of the agent's own
 * selected candidate (the signal's copies lack it). */
static const char *relay_transport(struct ice *ice, const NiceCandidate *c)
{
	static const char *const names[] = { "udp", "tcp", "tls" };
	NiceAddress a;
	char ip[NICE_ADDRESS_STRING_LEN];
	NiceCandidate *l = NULL, *r = NULL;

	if ((c->priority >> 24) >= 30)
		return "udp";
	nice_address_init(&a);
	if (nice_agent_get_selected_pair(ice->agent, ice->stream, 1, &l, &r) &&
	    l->type == NICE_CANDIDATE_TYPE_RELAYED)
		nice_candidate_relay_address(l, &a);
	if (nice_address_is_valid(&a)) {
		nice_address_to_string(&a, ip);
		for (size_t i = 0; i < ice->nturn; i++)
			if (ice->turn[i].transport != 0 &&
			    strcmp(ice->turn[i].host, ip) == 0 &&
			    ice->turn[i].port == nice_address_get_port(&a))
				return names[ice->turn[i].transport];
	}
	return "tcp";
}

static void on_pair(NiceAgent *agent, guint stream, guint comp,
		    NiceCandidate *l, NiceCandidate *r, gpointer data)
{
	struct ice *ice = data;
	struct ice_path p = { 0 };

	(void)agent, (void)stream, (void)comp;
	p.relayed = l->type == NICE_CANDIDATE_TYPE_RELAYED ||
		    r->type == NICE_CANDIDATE_TYPE_RELAYED;
	snprintf(p.local_type, sizeof p.local_type, "%s", type_name(l->type));
	snprintf(p.remote_type, sizeof p.remote_type, "%s",
		 type_name(r->type));
	addr_text(&l->addr, p.local, sizeof p.local);
	addr_text(&r->addr, p.remote, sizeof p.remote);
	snprintf(p.transport, sizeof p.transport, "%s",
		 l->type == NICE_CANDIDATE_TYPE_RELAYED ?
		 relay_transport(ice, l) : "udp");
	pthread_mutex_lock(&ice->lock);
	ice->path = p;
	ice->have_path = true;
	pthread_mutex_unlock(&ice->lock);
}

static void on_recv(NiceAgent *agent, guint stream, guint comp, guint len,
		    gchar *buf, gpointer data)
{
	struct ice *ice = data;

	(void)agent, (void)stream, (void)comp;
	if (ice->cb.recv)
		ice->cb.recv(ice->cb.arg, (const uint8_t *)buf, len);
}

static void *loop_main(void *arg)
{
	struct ice *ice = arg;

	g_main_context_push_thread_default(ice->ctx);
	g_main_loop_run(ice->loop);
	g_main_context_pop_thread_default(ice->ctx);
	return NULL;
}

/* ---- set-up ----------------------------------------------------------------------------- */

static int add_relays(struct ice *ice, const struct ice_config *c,
		      char **err)
{
	static const NiceRelayType types[] = { NICE_RELAY_TYPE_TURN_UDP,
					       NICE_RELAY_TYPE_TURN_TCP,
					       NICE_RELAY_TYPE_TURN_TLS };

	ice->turn = c->nturn ? xcalloc(c->nturn, sizeof *ice->turn) : NULL;
	for (size_t i = 0; i < c->nturn; i++) {
		char *ip = resolve(c->turn[i].host);
		if (!ip) {
			*err = xasprintf("cannot resolve the TURN server %s",
					 c->turn[i].host);
			return -1;
		}
		ice->turn[ice->nturn].host = ip;
		ice->turn[ice->nturn].port = c->turn[i].port;
		ice->turn[ice->nturn].transport = c->turn[i].transport;
		ice->nturn++;
		if (!nice_agent_set_relay_info(ice->agent, ice->stream, 1, ip,
					       c->turn[i].port,
					       c->turn_user ? c->turn_user : "",
					       c->turn_pass ? c->turn_pass : "",
					       types[c->turn[i].transport])) {
			*err = xasprintf("libnice refused the TURN server %s",
					 c->turn[i].host);
			return -1;
		}
	}
	return 0;
}

/* The host addresses to gather on, instead of every interface's. */
static int add_locals(struct ice *ice, const char *list, char **err)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;

	for (char *a = strtok_r(copy, ", ", &save); a && rc == 0;
	     a = strtok_r(NULL, ", ", &save)) {
		NiceAddress addr;

		nice_address_init(&addr);
		if (!nice_address_set_from_string(&addr, a) ||
		    !nice_agent_add_local_address(ice->agent, &addr)) {
			*err = xasprintf("'%s' is not a local address to take "
					 "calls on", a);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

struct ice *ice_new(const struct ice_config *c, const struct ice_callbacks *cb,
		    char **err)
{
	struct ice *ice = xcalloc(1, sizeof *ice);

	*err = NULL;
	ice->cb = *cb;
	pthread_mutex_init(&ice->lock, NULL);
	atomic_init(&ice->state, ICE_GATHERING);
	ice->ctx = g_main_context_new();
	ice->loop = g_main_loop_new(ice->ctx, FALSE);
	ice->agent = nice_agent_new_full(ice->ctx, NICE_COMPATIBILITY_RFC5245,
					 NICE_AGENT_OPTION_ICE_TRICKLE);
	if (!ice->agent) {
		*err = xstrdup("cannot start ICE (libnice)");
		ice_free(ice);
		return NULL;
	}
	g_object_set(ice->agent, "controlling-mode", c->controlling,
		     "upnp", FALSE, "ice-tcp", FALSE, "force-relay",
		     c->relay_only, NULL);
	if (c->stun.host) {
		char *ip = resolve(c->stun.host);
		if (!ip) {
			*err = xasprintf("cannot resolve the STUN server %s",
					 c->stun.host);
			ice_free(ice);
			return NULL;
		}
		g_object_set(ice->agent, "stun-server", ip, "stun-server-port",
			     c->stun.port, NULL);
		free(ip);
	}
	if (c->local_addrs && add_locals(ice, c->local_addrs, err) < 0) {
		ice_free(ice);
		return NULL;
	}
	g_signal_connect(ice->agent, "new-candidate-full",
			 G_CALLBACK(on_candidate), ice);
	g_signal_connect(ice->agent, "candidate-gathering-done",
			 G_CALLBACK(on_gathered), ice);
	g_signal_connect(ice->agent, "component-state-changed",
			 G_CALLBACK(on_state), ice);
	g_signal_connect(ice->agent, "new-selected-pair-full",
			 G_CALLBACK(on_pair), ice);
	ice->stream = nice_agent_add_stream(ice->agent, 1);
	if (!ice->stream) {
		*err = xstrdup("cannot add an ICE stream");
		ice_free(ice);
		return NULL;
	}
	nice_agent_set_stream_name(ice->agent, ice->stream, "audio");
	if (c->port_min)
		nice_agent_set_port_range(ice->agent, ice->stream, 1,
					  c->port_min, c->port_max ?
					  c->port_max : c->port_min + 999);
	if (add_relays(ice, c, err) < 0) {
		ice_free(ice);
		return NULL;
	}
	nice_agent_attach_recv(ice->agent, ice->stream, 1, ice->ctx, on_recv,
			       ice);
	nice_agent_get_local_credentials(ice->agent, ice->stream, &ice->ufrag,
					 &ice->pwd);
	if (pthread_create(&ice->thread, NULL, loop_main, ice) != 0) {
		*err = xstrdup("cannot start the ICE thread");
		ice_free(ice);
		return NULL;
	}
	ice->running = true;
	return ice;
}

static gboolean quit_loop(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

void ice_free(struct ice *ice)
{
	if (!ice)
		return;
	if (ice->agent)
		nice_agent_attach_recv(ice->agent, ice->stream, 1, ice->ctx,
				       NULL, NULL);
	if (ice->running) {
		g_main_context_invoke(ice->ctx, quit_loop, ice->loop);
		pthread_join(ice->thread, NULL);
	}
	if (ice->agent)
		g_object_unref(ice->agent);
	/* run what the agent left (timers it removed) once, then go */
	while (g_main_context_iteration(ice->ctx, FALSE))
		;
	g_main_loop_unref(ice->loop);
	g_main_context_unref(ice->ctx);
	for (size_t i = 0; i < ice->nturn; i++)
		ice_server_clear(&ice->turn[i]);
	free(ice->turn);
	g_free(ice->ufrag);
	g_free(ice->pwd);
	pthread_mutex_destroy(&ice->lock);
	free(ice);
}

/* ---- use ------------------------------------------------------------------------------------ */

const char *ice_ufrag(struct ice *ice)
{
	return ice->ufrag;
}

const char *ice_pwd(struct ice *ice)
{
	return ice->pwd;
}

int ice_gather(struct ice *ice)
{
	return nice_agent_gather_candidates(ice->agent, ice->stream) ? 0 : -1;
}

int ice_set_remote(struct ice *ice, const char *ufrag, const char *pwd)
{
	if (str_empty(ufrag) || str_empty(pwd))
		return -1;
	return nice_agent_set_remote_credentials(ice->agent, ice->stream,
						 ufrag, pwd) ? 0 : -1;
}

int ice_add_remote(struct ice *ice, const char *line)
{
	NiceCandidate *c;
	GSList *one;
	int n;

	if (!line)
		return -1;
	if (strncmp(line, "a=", 2) != 0) {	/* libnice wants "a=" */
		char *full = xasprintf("a=%s", line);
		int rc = ice_add_remote(ice, full);
		free(full);
		return rc;
	}
	c = nice_agent_parse_remote_candidate_sdp(ice->agent, ice->stream,
						  line);
	if (!c)
		return -1;
	one = g_slist_append(NULL, c);
	n = nice_agent_set_remote_candidates(ice->agent, ice->stream, 1, one);
	g_slist_free_full(one, (GDestroyNotify)nice_candidate_free);
	return n >= 0 ? 0 : -1;
}

void ice_remote_done(struct ice *ice)
{
	nice_agent_peer_candidate_gathering_done(ice->agent, ice->stream);
}

int ice_send(struct ice *ice, const uint8_t *buf, size_t len)
{
	if (atomic_load(&ice->state) != ICE_CONNECTED)
		return -1;
	return nice_agent_send(ice->agent, ice->stream, 1, (guint)len,
			       (const gchar *)buf) == (gint)len ? 0 : -1;
}

int ice_path(struct ice *ice, struct ice_path *out)
{
	int rc = -1;

	pthread_mutex_lock(&ice->lock);
	if (ice->have_path) {
		*out = ice->path;
		rc = 0;
	}
	pthread_mutex_unlock(&ice->lock);
	return rc;
}
