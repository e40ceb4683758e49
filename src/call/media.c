/* call/media: one call's audio, both ways (see media.h). */
#include "call/media.h"
#include "call/emodel.h"
#include "call/rtcp.h"
#include "call/rtp.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MEDIA_PKT_MAX (RTP_HDR_LEN + CODEC_PACKET_MAX + SEC_TRAILER_MAX)
#define MEDIA_RECV_MAX 1600
#define RTCP_FIRST_US 500000	/* the first report: RTT known early */
#define RTCP_EVERY_US 2500000	/* then every 2.5 s, +-50 % at random */
#define QUIET_MEAN_ABS 60	/* about -55 dBFS: a frame nobody hears */
#define OUT_MAX (2 * CODEC_SAMPLES_MAX)

struct media {
	struct media_cfg cfg;
	char cname[64];
	struct audio_dev *dev;
	struct codec_enc *enc;
	struct codec_dec *dec;
	struct dsp *dsp;
	struct sec_srtp *srtp;	/* tx on the media thread, rx in recv */
	pthread_t thread;
	bool running;
	atomic_bool stop, mute, hold;
	atomic_int loss_pct;	/* for the encoder; -1: unchanged */
	size_t n;		/* samples per frame */

	/* send side (media thread) */
	uint16_t seq;
	uint32_t ts;
	bool talkspurt;		/* the next packet starts one (marker) */
	bool sent_since_report;
	uint32_t sr_packets, sr_octets;
	int64_t next_rtcp_us;
	int16_t out[OUT_MAX];	/* decoded, not yet played */
	size_t nout;
	int16_t last_played[AUDIO_MAX_FRAME];	/* for echo mode */

	/* shared, under lock */
	pthread_mutex_t lock;
	struct jbuf *jb;
	struct rtp_source src;
	bool have_src;
	uint32_t peer_ssrc;
	struct rtcp_lsr lsr;
	struct media_stats st;
	double loss_est;	/* smoothed peer-reported loss, 0..1 */

	/* a device switch the media thread is to make */
	pthread_mutex_t sw_lock;
	pthread_cond_t sw_done;
	atomic_bool sw_pending;
	enum audio_which sw_which;
	const char *sw_name;
	char *sw_err;
	int sw_rc;
};

int64_t media_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ---- sending ---------------------------------------------------------------- */

static void send_packet(struct media *m, uint8_t *buf, size_t len, bool rtcp)
{
	int rc = rtcp ? sec_protect_rtcp(m->srtp, buf, &len) :
			sec_protect(m->srtp, buf, &len);

	if (rc < 0) {
		log_err("media", "SRTP could not protect a packet");
		return;
	}
	if (m->cfg.send(m->cfg.arg, buf, len) < 0)
		return;	/* no path (yet): RTP has no retransmission */
	pthread_mutex_lock(&m->lock);
	if (rtcp) {
		m->st.rtcp_sent++;
	} else {
		m->st.packets_sent++;
		m->st.bytes_sent += len;
	}
	pthread_mutex_unlock(&m->lock);
}

static void send_audio(struct media *m, const uint8_t *payload, size_t len)
{
	uint8_t buf[MEDIA_PKT_MAX];
	struct rtp_hdr h = {
		.marker = m->talkspurt, .pt = RTP_PT_OPUS, .seq = m->seq,
		.ts = m->ts, .ssrc = m->cfg.ssrc,
	};
	int n = rtp_build(&h, payload, len, buf, sizeof buf - SEC_TRAILER_MAX);

	if (n < 0)
		return;
	m->seq++;
	m->talkspurt = false;
	m->sent_since_report = true;
	m->sr_packets++;
	m->sr_octets += (uint32_t)len;
	send_packet(m, buf, (size_t)n, false);
}

static void send_report(struct media *m, bool bye)
{
	uint8_t buf[512];
	struct rtcp_sender sr;
	struct rtcp_block b;
	struct rtp_loss loss;
	bool block = false;
	int n;

	pthread_mutex_lock(&m->lock);
	if (m->have_src) {
		rtp_source_report(&m->src, &loss);
		rtcp_block_fill(&b, m->peer_ssrc, &loss, &m->lsr,
				(uint64_t)media_now_us());
		block = true;
	}
	pthread_mutex_unlock(&m->lock);
	sr.ntp = rtcp_ntp_from_us(wall_us());
	sr.rtp_ts = m->ts;
	sr.packets = m->sr_packets;
	sr.octets = m->sr_octets;
	n = rtcp_build_report(m->cfg.ssrc, m->sent_since_report ? &sr : NULL,
			      block ? &b : NULL, m->cname, buf,
			      sizeof buf - SEC_TRAILER_MAX - 8);
	if (n < 0)
		return;
	if (bye) {
		int k = rtcp_build_bye(m->cfg.ssrc, buf + n,
				       sizeof buf - SEC_TRAILER_MAX - (size_t)n);
		if (k > 0)
			n += k;
	}
	m->sent_since_report = false;
	send_packet(m, buf, (size_t)n, true);
}

static int64_t rtcp_interval(void)
{
	return RTCP_EVERY_US / 2 + (int64_t)randombytes_uniform(RTCP_EVERY_US);
}

/* ---- receiving ---------------------------------------------------------------- */

/* The peer's report about our stream (lock held). */
static void got_block(struct media *m, const struct rtcp_block *b)
{
	double rtt, f = rtcp_fraction(b->fraction);

	if (rtcp_rtt_ms(rtcp_ntp_mid(rtcp_ntp_from_us(wall_us())), b,
			&rtt) == 0)
		m->st.rtt_ms = rtt;
	m->st.peer_loss = f;
	m->st.peer_jitter_ms = rtcp_jitter_ms(b->jitter, RTP_CLOCK_OPUS);
	/* Up at once, down slowly: FEC that lags a burst is no use. */
	m->loss_est = f > m->loss_est ? f : 0.7 * m->loss_est + 0.3 * f;
	int pct = (int)ceil(m->loss_est * 100);
	if (pct > 50)
		pct = 50;
	if (pct != m->st.fec_loss_pct) {
		m->st.fec_loss_pct = pct;
		atomic_store(&m->loss_pct, pct);
	}
}

static void recv_rtcp(struct media *m, uint8_t *buf, size_t len)
{
	struct rtcp_info in;

	if (sec_unprotect_rtcp(m->srtp, buf, &len) < 0)
		return;
	if (rtcp_parse(buf, len, &in) != RTCP_OK) {
		m->st.rtp_bad++;
		return;
	}
	m->st.rtcp_recv++;
	rtcp_lsr_note(&m->lsr, &in, (uint64_t)media_now_us());
	for (unsigned i = 0; i < in.nblocks; i++)
		if (in.blocks[i].ssrc == m->cfg.ssrc)
			got_block(m, &in.blocks[i]);
}

static void recv_rtp(struct media *m, uint8_t *buf, size_t len)
{
	struct rtp_hdr h;
	const uint8_t *payload;
	size_t plen;
	int64_t now = media_now_us();

	if (sec_unprotect(m->srtp, buf, &len) < 0)
		return;
	if (rtp_parse(buf, len, &h, &payload, &plen) != RTP_OK ||
	    h.pt != RTP_PT_OPUS || plen == 0) {
		m->st.rtp_bad++;
		return;
	}
	if (!m->have_src || h.ssrc != m->peer_ssrc) {
		if (m->have_src) {	/* the peer restarted its stream */
			m->st.ssrc_changes++;
			jbuf_reset(m->jb);
		}
		rtp_source_init(&m->src, h.ssrc, h.seq, RTP_CLOCK_OPUS);
		m->src.probation = 0;	/* authenticated: trust it now */
		m->peer_ssrc = h.ssrc;
		m->have_src = true;
	}
	rtp_source_recv(&m->src, &h, (uint64_t)now);
	m->st.packets_recv++;
	m->st.bytes_recv += len;
	jbuf_put(m->jb, h.seq, h.ts, payload, plen, now / 1000);
}

void media_recv(struct media *m, const uint8_t *data, size_t len)
{
	uint8_t buf[MEDIA_RECV_MAX];

	if (len < 4 || len > sizeof buf)
		return;
	memcpy(buf, data, len);
	pthread_mutex_lock(&m->lock);
	if (rtp_is_rtcp(buf, len))
		recv_rtcp(m, buf, len);
	else
		recv_rtp(m, buf, len);
	pthread_mutex_unlock(&m->lock);
}

/* ---- the frame period ---------------------------------------------------------- */

static bool quiet(const int16_t *pcm, int n)
{
	long sum = 0;

	for (int i = 0; i < n; i++)
		sum += labs((long)pcm[i]);
	return n <= 0 || sum / n < QUIET_MEAN_ABS;
}

/* One step of the jitter buffer, decoded onto m->out (lock held);
 * false when there is nothing to play yet. */
static bool decode_step(struct media *m, int64_t now_ms)
{
	struct jbuf_frame fr;
	int16_t *pcm = m->out + m->nout;
	size_t cap = OUT_MAX - m->nout;
	int n = -1;

	jbuf_get(m->jb, now_ms, &fr);
	switch (fr.kind) {
	case JBUF_NONE:
		return false;
	case JBUF_PACKET:
		n = codec_decode(m->dec, fr.data, fr.len, pcm, cap);
		break;
	case JBUF_LOST:
		n = fr.fec ? codec_decode_fec(m->dec, fr.fec, fr.fec_len, pcm,
					      cap) : -1;
		break;
	case JBUF_CONCEAL:
		break;
	}
	if (n <= 0)
		n = codec_plc(m->dec, pcm, cap);
	if (n <= 0)
		return false;
	jbuf_quiet(m->jb, fr.kind != JBUF_PACKET || quiet(pcm, n));
	m->nout += (size_t)n;
	return true;
}

/* The frame to play now into play[]. */
static void playout(struct media *m, int16_t *play, int64_t now_us)
{
	pthread_mutex_lock(&m->lock);
	while (m->nout < m->n)
		if (!decode_step(m, now_us / 1000))
			break;
	pthread_mutex_unlock(&m->lock);
	if (m->nout >= m->n) {
		memcpy(play, m->out, m->n * sizeof *play);
		m->nout -= m->n;
		memmove(m->out, m->out + m->n, m->nout * sizeof *m->out);
	} else {	/* nothing yet, or an underrun mid-frame */
		memcpy(play, m->out, m->nout * sizeof *play);
		memset(play + m->nout, 0, (m->n - m->nout) * sizeof *play);
		m->nout = 0;
	}
}

static void capture_and_send(struct media *m, int16_t *cap)
{
	uint8_t payload[CODEC_PACKET_MAX];
	int pct = atomic_exchange(&m->loss_pct, -1);
	bool hold = atomic_load(&m->hold);

	if (m->cfg.echo)
		memcpy(cap, m->last_played, m->n * sizeof *cap);
	else
		dsp_capture(m->dsp, cap);
	if (atomic_load(&m->mute) || hold)
		memset(cap, 0, m->n * sizeof *cap);
	if (pct >= 0)
		codec_enc_set_loss(m->enc, pct);
	if (!hold) {
		int len = codec_encode(m->enc, cap, payload, sizeof payload);

		if (len > 0)
			send_audio(m, payload, (size_t)len);
		else if (len == 0)	/* DTX: the next packet starts anew */
			m->talkspurt = true;
	} else {
		m->talkspurt = true;
	}
	m->ts += (uint32_t)m->n;
}

static void do_switch(struct media *m)
{
	pthread_mutex_lock(&m->sw_lock);
	m->sw_rc = audio_switch(m->dev, m->sw_which, m->sw_name, &m->sw_err);
	atomic_store(&m->sw_pending, false);
	pthread_cond_broadcast(&m->sw_done);
	pthread_mutex_unlock(&m->sw_lock);
}

static void *media_main(void *arg)
{
	struct media *m = arg;
	int16_t cap[AUDIO_MAX_FRAME], play[AUDIO_MAX_FRAME];
	int64_t frame_us = (int64_t)m->cfg.frame_ms * 1000;

	m->next_rtcp_us = media_now_us() + RTCP_FIRST_US;
	while (!atomic_load(&m->stop)) {
		audio_read(m->dev, cap);
		int64_t now = media_now_us();
		if (!m->st.in_t0_us) {
			pthread_mutex_lock(&m->lock);
			m->st.in_t0_us = now - frame_us;
			pthread_mutex_unlock(&m->lock);
		}
		capture_and_send(m, cap);
		playout(m, play, now);
		if (atomic_load(&m->hold))
			memset(play, 0, m->n * sizeof *play);
		audio_write(m->dev, play);
		dsp_playback(m->dsp, play);
		memcpy(m->last_played, play, m->n * sizeof *play);
		if (!m->st.out_t0_us) {
			pthread_mutex_lock(&m->lock);
			m->st.out_t0_us = media_now_us();
			pthread_mutex_unlock(&m->lock);
		}
		if (now >= m->next_rtcp_us) {
			send_report(m, false);
			m->next_rtcp_us = now + rtcp_interval();
		}
		if (atomic_load(&m->sw_pending))
			do_switch(m);
		pthread_mutex_lock(&m->lock);
		codec_enc_stats(m->enc, &m->st.enc);
		codec_dec_stats(m->dec, &m->st.dec);
		dsp_stats(m->dsp, &m->st.dsp);
		pthread_mutex_unlock(&m->lock);
	}
	send_report(m, true);
	return NULL;
}

/* ---- life ------------------------------------------------------------------------- */

int media_new(struct media **mp, const struct media_cfg *cfg, char **err)
{
	struct media *m;
	struct codec_enc_cfg ec;
	struct jbuf_cfg jc;
	struct dsp_cfg dc = { .frame_ms = cfg->frame_ms, .aec = cfg->aec,
			      .ns = cfg->ns };
	int peer_ms = cfg->peer_frame_ms ? cfg->peer_frame_ms : cfg->frame_ms;

	*mp = NULL;
	if (!(m = calloc(1, sizeof *m))) {
		*err = xstrdup("out of memory");
		return -ENOMEM;
	}
	m->cfg = *cfg;
	m->dev = cfg->audio;
	m->n = audio_frame_samples(m->dev);
	snprintf(m->cname, sizeof m->cname, "%s", cfg->cname ? cfg->cname :
		 "confab");
	m->cfg.cname = m->cname;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->sw_lock, NULL);
	pthread_cond_init(&m->sw_done, NULL);
	atomic_init(&m->loss_pct, -1);
	codec_enc_cfg_default(&ec);
	ec.frame_ms = cfg->frame_ms;
	ec.fec = cfg->fec;
	ec.dtx = cfg->dtx;
	if (cfg->bitrate)
		ec.bitrate = cfg->bitrate;
	jbuf_cfg_default(&jc, peer_ms);
	/* frames are taken a local frame at a time: with 20 ms here and
	 * 10 ms packets, the second packet of each pair is taken 10 ms
	 * before its time, so the floor is the longer of the two */
	if (cfg->frame_ms > jc.min_ms)
		jc.min_ms = cfg->frame_ms;
	if (m->n != (size_t)(AUDIO_RATE / 1000 * cfg->frame_ms) ||
	    codec_enc_alloc(&m->enc, &ec) < 0 ||
	    codec_dec_alloc(&m->dec, peer_ms) < 0 ||
	    jbuf_alloc(&m->jb, &jc) < 0 ||
	    dsp_alloc(&m->dsp, &dc) < 0) {
		*err = xasprintf("cannot set up the audio codec for %d ms "
				 "frames", cfg->frame_ms);
		media_free(m);
		return -EINVAL;
	}
	if (!(m->srtp = sec_srtp_new(&cfg->keys))) {
		*err = xstrdup("cannot set up SRTP");
		media_free(m);
		return -EIO;
	}
	m->seq = (uint16_t)randombytes_random();
	m->ts = randombytes_random();
	m->talkspurt = true;
	m->peer_ssrc = cfg->peer_ssrc;
	m->st.rtt_ms = m->st.peer_loss = m->st.peer_jitter_ms = -1;
	m->st.frame_ms = cfg->frame_ms;
	m->st.peer_frame_ms = peer_ms;
	*mp = m;
	return 0;
}

int media_start(struct media *m)
{
	int rc;

	m->st.started_us = media_now_us();
	pthread_mutex_lock(&m->sw_lock);
	if ((rc = pthread_create(&m->thread, NULL, media_main, m)) == 0)
		m->running = true;
	pthread_mutex_unlock(&m->sw_lock);
	return -rc;
}

void media_set_mute(struct media *m, bool on)
{
	atomic_store(&m->mute, on);
}

void media_set_hold(struct media *m, bool on)
{
	atomic_store(&m->hold, on);
}

bool media_input_ended(const struct media *m)
{
	return audio_input_ended(m->dev);
}

void media_stats(struct media *m, struct media_stats *st)
{
	struct rtp_loss l = { 0 };

	pthread_mutex_lock(&m->lock);
	*st = m->st;
	jbuf_stats(m->jb, &st->jb);
	sec_srtp_stats(m->srtp, &st->sec);
	if (m->have_src)
		rtp_source_peek(&m->src, &l);
	pthread_mutex_unlock(&m->lock);
	st->muted = atomic_load(&m->mute);
	st->held = atomic_load(&m->hold);
	st->expected = l.expected;
	st->lost = l.lost;
	st->loss = l.expected ? (double)(l.lost > 0 ? l.lost : 0) /
				l.expected : 0;
	st->jitter_ms = l.jitter_ms;
	audio_levels(m->dev, &st->in_dbfs, &st->out_dbfs);
	/* what a listener hears: frames neither played nor rebuilt by FEC */
	uint64_t heard = st->jb.played + st->jb.lost;
	double eff = heard ? (double)(st->jb.lost - st->jb.fec) / heard : 0;
	/* framing, Opus look-ahead, 14 ms of DSP, the buffer, the network */
	st->delay_ms = st->frame_ms + 6.5 + (st->dsp.aec || st->dsp.ns ? 14 : 0) +
		       st->jb.delay_ms + (st->rtt_ms > 0 ? st->rtt_ms / 2 : 0);
	st->mos = emodel_mos(st->delay_ms, eff < 0 ? 0 : eff);
}

int media_switch(struct media *m, enum audio_which which, const char *name,
		 char **err)
{
	int rc;

	pthread_mutex_lock(&m->sw_lock);
	if (!m->running) {
		pthread_mutex_unlock(&m->sw_lock);
		return audio_switch(m->dev, which, name, err);
	}
	m->sw_which = which;
	m->sw_name = name;
	m->sw_err = NULL;
	atomic_store(&m->sw_pending, true);
	while (atomic_load(&m->sw_pending))
		pthread_cond_wait(&m->sw_done, &m->sw_lock);
	rc = m->sw_rc;
	if (rc < 0)
		*err = m->sw_err;
	else
		free(m->sw_err);
	pthread_mutex_unlock(&m->sw_lock);
	return rc;
}

void media_stop(struct media *m)
{
	pthread_mutex_lock(&m->sw_lock);
	bool running = m->running;
	m->running = false;
	pthread_mutex_unlock(&m->sw_lock);
	if (running) {
		atomic_store(&m->stop, true);
		pthread_join(m->thread, NULL);
	}
}

void media_free(struct media *m)
{
	if (!m)
		return;
	media_stop(m);
	codec_enc_free(m->enc);
	codec_dec_free(m->dec);
	jbuf_free(m->jb);
	dsp_free(m->dsp);
	sec_srtp_free(m->srtp);
	pthread_mutex_destroy(&m->lock);
	pthread_mutex_destroy(&m->sw_lock);
	pthread_cond_destroy(&m->sw_done);
	free(m);
}
