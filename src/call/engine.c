/* call/engine: one call's media, from key agreement to sound (engine.h). */
#include "call/engine.h"
#include "call/offer.h"
#include "call/sec.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define EARLY_MAX 64		/* peer candidates kept before its offer */

struct ev_node {
	struct engine_event ev;
	struct ev_node *next;
};

struct engine {
	struct engine_cfg cfg;
	char *name, *cname, *via;
	struct sec_keypair kp;
	struct sec_keys keys;
	struct offer remote;
	bool have_remote;
	uint32_t ssrc;
	struct audio_dev *dev;
	struct ice *ice;
	char *early[EARLY_MAX];		/* peer candidates before its offer */
	size_t nearly;
	bool early_done;

	/* shared with the ICE thread */
	pthread_mutex_t lock;
	struct media *media;	/* set once the remote side is known */
	bool media_on;		/* started: datagrams go to it */
	bool connected;
	struct ev_node *head, **tail;
	int efd;
};

/* ---- events (ICE thread -> owner) ------------------------------------------- */

static void post(struct engine *e, enum engine_ev_kind kind, const char *line)
{
	struct ev_node *n = xcalloc(1, sizeof *n);
	uint64_t one = 1;

	n->ev.kind = kind;
	n->ev.line = line ? xstrdup(line) : NULL;
	pthread_mutex_lock(&e->lock);
	*e->tail = n;
	e->tail = &n->next;
	pthread_mutex_unlock(&e->lock);
	if (write(e->efd, &one, sizeof one) < 0)
		log_err("engine", "cannot wake the owner: %s", strerror(errno));
}

bool engine_next(struct engine *e, struct engine_event *ev)
{
	struct ev_node *n;
	uint64_t v;

	pthread_mutex_lock(&e->lock);
	n = e->head;
	if (n) {
		e->head = n->next;
		if (!e->head)
			e->tail = &e->head;
	} else if (read(e->efd, &v, sizeof v) < 0) {
		/* nothing waits and the counter was 0 already */
	}
	pthread_mutex_unlock(&e->lock);
	if (!n)
		return false;
	*ev = n->ev;
	free(n);
	return true;
}

int engine_fd(const struct engine *e)
{
	return e->efd;
}

/* ---- ICE callbacks (ICE thread) -------------------------------------------------- */

static void on_candidate(void *arg, const char *line)
{
	struct engine *e = arg;

	post(e, line ? ENGINE_EV_CANDIDATE : ENGINE_EV_GATHERED, line);
}

static void start_media(struct engine *e)
{
	if (e->media && !e->media_on && e->connected) {
		if (media_start(e->media) == 0)
			e->media_on = true;
		else
			log_err("engine", "cannot start the media thread");
	}
}

static void on_state(void *arg, enum ice_state st)
{
	struct engine *e = arg;

	if (st == ICE_CONNECTED) {
		pthread_mutex_lock(&e->lock);
		e->connected = true;
		start_media(e);
		pthread_mutex_unlock(&e->lock);
		post(e, ENGINE_EV_CONNECTED, NULL);
	} else if (st == ICE_FAILED) {
		post(e, ENGINE_EV_FAILED, NULL);
	}
}

static void on_recv(void *arg, const uint8_t *buf, size_t len)
{
	struct engine *e = arg;

	pthread_mutex_lock(&e->lock);
	if (e->media_on)
		media_recv(e->media, buf, len);
	pthread_mutex_unlock(&e->lock);
}

static int send_cb(void *arg, const uint8_t *buf, size_t len)
{
	struct engine *e = arg;

	return ice_send(e->ice, buf, len);
}

/* ---- life ---------------------------------------------------------------------------- */

static bool sound_card(const char *dev)
{
	return !str_eq(dev, "null") && !(dev && strncmp(dev, "file:", 5) == 0);
}

static int ice_setup(struct engine *e, const struct engine_cfg *c, char **err)
{
	struct ice_config ic = {
		.controlling = c->caller, .port_min = c->port_min,
		.port_max = c->port_max, .turn_user = c->turn_user,
		.local_addrs = c->local_addrs,
		.turn_pass = c->turn_pass, .relay_only = c->relay_only,
	};
	struct ice_callbacks cb = { on_candidate, on_state, on_recv, e };
	int rc = 0;

	ic.turn = xcalloc(c->nuris + 1, sizeof *ic.turn);
	for (size_t i = 0; i < c->nuris; i++) {
		struct ice_server s;
		bool turn;

		if (ice_server_parse(c->ice_uris[i], &turn, &s) < 0) {
			log_info("engine", "not a STUN or TURN URI, skipped: "
				 "%s", c->ice_uris[i]);
		} else if (turn && c->turn_user) {
			ic.turn[ic.nturn++] = s;
		} else if (!turn && !ic.stun.host) {
			ic.stun = s;
		} else {
			ice_server_clear(&s);
		}
	}
	if (!(e->ice = ice_new(&ic, &cb, err)))
		rc = -1;
	else if (ice_gather(e->ice) < 0) {
		*err = xstrdup("cannot start gathering ICE candidates");
		rc = -1;
	}
	ice_server_clear(&ic.stun);
	for (size_t i = 0; i < ic.nturn; i++)
		ice_server_clear(&ic.turn[i]);
	free(ic.turn);
	return rc;
}

int engine_new(struct engine **ep, const struct engine_cfg *cfg, char **err)
{
	struct engine *e = xcalloc(1, sizeof *e);

	*ep = NULL;
	e->cfg = *cfg;
	e->name = xstrdup(cfg->name ? cfg->name : "");
	e->cname = xstrdup(cfg->cname ? cfg->cname : "confab");
	e->via = cfg->peer_via ? xstrdup(cfg->peer_via) : NULL;
	e->cfg.peer_via = e->via;
	e->cfg.name = e->name;
	e->cfg.cname = e->cname;
	e->cfg.ice_uris = NULL;
	e->cfg.nuris = 0;
	e->cfg.turn_user = e->cfg.turn_pass = NULL;
	if (e->cfg.audio.frame_ms != 10)
		e->cfg.audio.frame_ms = 20;
	e->cfg.audio.input = e->cfg.audio.output = e->cfg.audio.ring = NULL;
	pthread_mutex_init(&e->lock, NULL);
	e->tail = &e->head;
	e->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (sodium_init() < 0 || e->efd < 0) {
		*err = xstrdup("cannot set up the call (libsodium or eventfd)");
		engine_free(e);
		return -EIO;
	}
	sec_keypair_new(&e->kp);
	e->ssrc = randombytes_random();
	if (e->cfg.aec < 0)
		e->cfg.aec = sound_card(cfg->audio.input) &&
			     sound_card(cfg->audio.output);
	if (e->cfg.ns < 0)
		e->cfg.ns = sound_card(cfg->audio.input);
	if (audio_open(&e->dev, &cfg->audio, err) < 0 ||
	    ice_setup(e, cfg, err) < 0) {
		engine_free(e);
		return -EIO;
	}
	*ep = e;
	return 0;
}

void engine_stop(struct engine *e)
{
	if (e->media)
		media_stop(e->media);	/* its BYE goes out while ICE lives */
	pthread_mutex_lock(&e->lock);
	e->media_on = false;
	pthread_mutex_unlock(&e->lock);
}

void engine_free(struct engine *e)
{
	struct engine_event ev;

	if (!e)
		return;
	engine_stop(e);
	ice_free(e->ice);
	media_free(e->media);
	audio_close(e->dev);
	if (e->efd >= 0) {
		while (engine_next(e, &ev))
			free(ev.line);
		close(e->efd);
	}
	for (size_t i = 0; i < e->nearly; i++)
		free(e->early[i]);
	pthread_mutex_destroy(&e->lock);
	sodium_memzero(&e->kp, sizeof e->kp);
	sodium_memzero(&e->keys, sizeof e->keys);
	free(e->name);
	free(e->cname);
	free(e->via);
	free(e);
}

/* ---- signalling ------------------------------------------------------------------------ */

json_t *engine_offer(struct engine *e)
{
	struct offer o = {
		.ptime = e->cfg.audio.frame_ms, .fec = e->cfg.fec,
		.dtx = e->cfg.dtx, .ssrc = e->ssrc,
	};

	memcpy(o.key, e->kp.pk, sizeof o.key);
	snprintf(o.ufrag, sizeof o.ufrag, "%s", ice_ufrag(e->ice));
	snprintf(o.pwd, sizeof o.pwd, "%s", ice_pwd(e->ice));
	snprintf(o.name, sizeof o.name, "%s", e->name);
	return offer_to_json(&o);
}

int engine_remote(struct engine *e, json_t *j, const char **why)
{
	struct media_cfg mc;
	struct media *m;
	char *err = NULL;

	if (e->have_remote) {
		*why = "the other side's offer is in already";
		return -1;
	}
	if (offer_from_json(j, &e->remote, why) < 0)
		return -1;
	if (sec_derive(&e->kp, e->remote.key, e->cfg.caller, &e->keys) < 0) {
		*why = "its key gives no shared secret";
		return -1;
	}
	if (ice_set_remote(e->ice, e->remote.ufrag, e->remote.pwd) < 0) {
		*why = "its ICE credentials were refused";
		return -1;
	}
	mc = (struct media_cfg){
		.audio = e->dev, .frame_ms = e->cfg.audio.frame_ms,
		.peer_frame_ms = e->remote.ptime, .bitrate = e->cfg.bitrate,
		.fec = e->cfg.fec, .dtx = e->cfg.dtx, .aec = e->cfg.aec,
		.ns = e->cfg.ns, .echo = e->cfg.echo, .ssrc = e->ssrc,
		.peer_ssrc = e->remote.ssrc, .cname = e->cname,
		.keys = e->keys, .send = send_cb, .arg = e,
	};
	if (media_new(&m, &mc, &err) < 0) {
		log_err("engine", "%s", err);
		free(err);
		*why = "the media could not be set up";
		return -1;
	}
	e->have_remote = true;
	pthread_mutex_lock(&e->lock);
	e->media = m;
	start_media(e);
	pthread_mutex_unlock(&e->lock);
	if (e->via) {
		const char *colon = strrchr(e->via, ':');
		char *line = colon ? xasprintf("a=candidate:1 1 udp 2130706431 "
					       "%.*s %s typ host",
					       (int)(colon - e->via), e->via,
					       colon + 1) : NULL;

		if (!line || ice_add_remote(e->ice, line) < 0)
			log_err("engine", "peer_via %s is not IP:PORT", e->via);
		free(line);
		ice_remote_done(e->ice);
	}
	for (size_t i = 0; i < e->nearly; i++) {
		ice_add_remote(e->ice, e->early[i]);
		free(e->early[i]);
	}
	e->nearly = 0;
	if (e->early_done)
		ice_remote_done(e->ice);
	return 0;
}

int engine_candidate(struct engine *e, const char *line)
{
	if (e->via)		/* the relay stands for the peer */
		return 0;
	if (!e->have_remote) {
		if (!line)
			e->early_done = true;
		else if (e->nearly < EARLY_MAX)
			e->early[e->nearly++] = xstrdup(line);
		return 0;
	}
	if (!line) {
		ice_remote_done(e->ice);
		return 0;
	}
	return ice_add_remote(e->ice, line);
}

/* ---- during the call ------------------------------------------------------------------- */

const char *engine_sas(const struct engine *e)
{
	return e->have_remote ? e->keys.sas : "";
}

const char *engine_peer_name(const struct engine *e)
{
	return e->have_remote ? e->remote.name : "";
}

void engine_mute(struct engine *e, bool on)
{
	if (e->media)
		media_set_mute(e->media, on);
}

void engine_hold(struct engine *e, bool on)
{
	if (e->media)
		media_set_hold(e->media, on);
}

bool engine_input_ended(const struct engine *e)
{
	return audio_input_ended(e->dev);
}

int engine_switch(struct engine *e, enum audio_which which, const char *name,
		  char **err)
{
	if (e->media)
		return media_switch(e->media, which, name, err);
	return audio_switch(e->dev, which, name, err);
}

void engine_stats(struct engine *e, struct engine_stats *st)
{
	memset(st, 0, sizeof *st);
	pthread_mutex_lock(&e->lock);
	st->connected = e->connected;
	st->media = e->media != NULL && e->connected;
	pthread_mutex_unlock(&e->lock);
	if (st->connected)
		ice_path(e->ice, &st->path);
	if (e->media)
		media_stats(e->media, &st->m);
}

json_t *engine_stats_json(const struct engine_stats *st)
{
	const struct media_stats *m = &st->m;
	json_t *j = json_pack("{s:b,s:b}", "connected", st->connected,
			      "media", st->media);

	if (st->connected)
		json_object_set_new(j, "path", json_pack(
			"{s:b,s:s,s:s,s:s,s:s,s:s}", "relayed",
			st->path.relayed, "local_type", st->path.local_type,
			"remote_type", st->path.remote_type, "local",
			st->path.local, "remote", st->path.remote,
			"transport", st->path.transport));
	if (!st->media)
		return j;
	json_object_set_new(j, "audio", json_pack(
		"{s:I,s:I,s:i,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:f,"
		"s:f,s:f,s:f,s:f,s:i,s:i,s:f,s:f}",
		"in_t0_us", (json_int_t)m->in_t0_us,
		"out_t0_us", (json_int_t)m->out_t0_us,
		"frame_ms", m->frame_ms, "peer_frame_ms", m->peer_frame_ms,
		"packets_sent", (json_int_t)m->packets_sent,
		"bytes_sent", (json_int_t)m->bytes_sent,
		"packets_recv", (json_int_t)m->packets_recv,
		"bytes_recv", (json_int_t)m->bytes_recv,
		"rtcp_sent", (json_int_t)m->rtcp_sent,
		"rtcp_recv", (json_int_t)m->rtcp_recv,
		"rtp_bad", (json_int_t)m->rtp_bad,
		"expected", (json_int_t)m->expected, "lost", (int)m->lost,
		"loss", m->loss, "jitter_ms", m->jitter_ms,
		"peer_loss", m->peer_loss, "rtt_ms", m->rtt_ms,
		"peer_jitter_ms", m->peer_jitter_ms,
		"fec_loss_pct", m->fec_loss_pct, "bitrate", m->enc.bitrate,
		"delay_ms", m->delay_ms, "mos", m->mos));
	json_object_set_new(j, "jbuf", json_pack(
		"{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:i}",
		"put", (json_int_t)m->jb.put, "played",
		(json_int_t)m->jb.played, "concealed",
		(json_int_t)m->jb.concealed, "lost", (json_int_t)m->jb.lost,
		"fec", (json_int_t)m->jb.fec, "late", (json_int_t)m->jb.late,
		"dup", (json_int_t)m->jb.dup, "dropped",
		(json_int_t)m->jb.dropped, "grown", (json_int_t)m->jb.grown,
		"resets", (json_int_t)m->jb.resets, "idle",
		(json_int_t)m->jb.idle, "delay_ms", m->jb.delay_ms,
		"target_ms", m->jb.target_ms));
	json_object_set_new(j, "srtp", json_pack(
		"{s:I,s:I,s:I,s:I,s:I}", "protected",
		(json_int_t)m->sec.protected_rtp, "unprotected",
		(json_int_t)m->sec.unprotected_rtp, "forged",
		(json_int_t)m->sec.forged, "replayed",
		(json_int_t)m->sec.replayed, "bad", (json_int_t)m->sec.bad));
	json_object_set_new(j, "codec", json_pack(
		"{s:I,s:I,s:I,s:I,s:I,s:I}", "frames",
		(json_int_t)m->enc.frames, "dtx", (json_int_t)m->enc.dtx,
		"decoded", (json_int_t)m->dec.decoded, "fec",
		(json_int_t)m->dec.fec, "plc", (json_int_t)m->dec.plc,
		"errors", (json_int_t)m->dec.errors));
	json_object_set_new(j, "dsp", json_pack("{s:b,s:b}", "aec",
						m->dsp.aec, "ns", m->dsp.ns));
	return j;
}
