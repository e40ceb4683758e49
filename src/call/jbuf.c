/* call/jbuf: adaptive jitter buffer; jbuf.h explains the policy.
 *
 * Times are kept in ticks of the Opus RTP clock (48 per ms).  Each stored
 * packet has a place on the playout timeline (tl): its RTP timestamp,
 * extended past wraps and shifted across timestamp jumps.  play_tl is the
 * place of the next frame to hand out and pclock the time it will be
 * heard; the buffer's delay is then pclock - play_tl - o_min.
 */
#include "call/jbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "call/codec.h"
#include "call/rtp.h"

#define TICKS_PER_MS 48
#define HIST_MAX 512		/* arrivals kept for the statistics */
#define HIST_MIN 8		/* before this many, the target stays put */
#define QUANTILE 95		/* percent of packets the target covers */
/* RFC 3550 A.1's bounds on a sequence jump that still belongs. */
#define MAX_DROPOUT 3000
#define MAX_MISORDER 100
/* A timestamp running this far ahead of the wall clock is a jump. */
#define JUMP_TICKS (1000 * TICKS_PER_MS)
#define PKT_MAX_TICKS (120 * TICKS_PER_MS)	/* longest Opus packet */
/* Packets later than playout for this long are a slower path, not the
 * backlog of an outage (which arrives at once). */
#define SLOWER_TICKS (200 * TICKS_PER_MS)
/* Gets more than this off the real-time clock resynchronise it. */
#define RESYNC_TICKS (100 * TICKS_PER_MS)
#define QUIET_BYTES 3		/* DTX and silence packets are this small */
/* Clock values in ms beyond this (a million years) are refused or
 * clamped, so that converting them to ticks cannot overflow. */
#define MS_MAX (INT64_C(1) << 45)

struct slot {
	bool used;
	uint64_t seq;		/* extended sequence number */
	int64_t tl;		/* place on the playout timeline */
	int64_t dur;		/* ticks of audio */
	size_t len;
	uint8_t data[JBUF_PAYLOAD_MAX];
};

struct arrival {
	int64_t arr;		/* when */
	int64_t o;		/* arrival - tl */
};

struct jbuf {
	struct jbuf_cfg cfg;
	int64_t frame, min_t, max_t, window_t, shrink_t;
	struct slot slot[JBUF_SLOTS];
	int count;

	/* Input side: the newest packet, to extend the next one's numbers. */
	bool have_ref;
	uint64_t hi_seq;
	uint32_t ref_raw;
	int64_t ref_ext, ref_tl, ref_arr;
	int64_t off, prev_off;	/* tl - extended ts, after/before jump_seq */
	uint64_t jump_seq;
	bool bad_valid;
	uint16_t bad_seq;

	/* Output side. */
	bool started;		/* a packet was handed out */
	bool waiting;		/* for the next packet's turn to (re)start */
	bool have_last;
	uint64_t last_seq;	/* the last one played, lost or dropped */
	uint64_t seen;		/* bit i: last_seq - i arrived */
	int64_t play_tl, pclock, last_dur, out_dur;
	int stalled;		/* frames concealed since the last advance */
	bool late_run;		/* packets arriving behind playout ... */
	int64_t late_since;	/* ... since this arrival time */
	int64_t since_shrink;
	bool quiet;

	/* Delay statistics. */
	struct arrival hist[HIST_MAX];
	int nhist, hpos;
	int64_t o_min, target, delay;

	struct jbuf_stats st;
	uint8_t out[JBUF_PAYLOAD_MAX], fec[JBUF_PAYLOAD_MAX];
};

void jbuf_cfg_default(struct jbuf_cfg *cfg, int frame_ms)
{
	cfg->frame_ms = frame_ms;
	cfg->min_ms = frame_ms;
	cfg->max_ms = 400;
	cfg->window_ms = 5000;
	cfg->shrink_ms = 500;
}

/* max_ms is bounded by what the slots hold at 10 ms a packet. */
static bool cfg_ok(const struct jbuf_cfg *c)
{
	return (c->frame_ms == 10 || c->frame_ms == 20) && c->min_ms >= 0 &&
	       c->max_ms >= c->min_ms + 2 * c->frame_ms && c->max_ms <= 600 &&
	       c->window_ms >= 100 && c->window_ms <= 60000 &&
	       c->shrink_ms >= 0;
}

/* Forget the stream; the target and the counters stay. */
static void stream_reset(struct jbuf *jb)
{
	for (int i = 0; i < JBUF_SLOTS; i++)
		jb->slot[i].used = false;
	jb->count = 0;
	jb->have_ref = false;
	jb->bad_valid = false;
	jb->waiting = true;
	jb->have_last = false;
	jb->seen = 0;
	jb->stalled = 0;
	jb->late_run = false;
	jb->nhist = jb->hpos = 0;
	jb->last_dur = jb->frame;
}

int jbuf_alloc(struct jbuf **jp, const struct jbuf_cfg *cfg)
{
	struct jbuf *jb;

	*jp = NULL;
	if (!cfg_ok(cfg))
		return -EINVAL;
	jb = calloc(1, sizeof *jb);
	if (!jb)
		return -ENOMEM;
	jb->cfg = *cfg;
	jb->frame = (int64_t)cfg->frame_ms * TICKS_PER_MS;
	jb->min_t = (int64_t)cfg->min_ms * TICKS_PER_MS;
	jb->max_t = (int64_t)cfg->max_ms * TICKS_PER_MS;
	jb->window_t = (int64_t)cfg->window_ms * TICKS_PER_MS;
	jb->shrink_t = (int64_t)cfg->shrink_ms * TICKS_PER_MS;
	jb->target = jb->min_t;
	stream_reset(jb);
	*jp = jb;
	return 0;
}

void jbuf_free(struct jbuf *jb)
{
	free(jb);
}

void jbuf_reset(struct jbuf *jb)
{
	jb->st.dropped += (uint64_t)jb->count;
	stream_reset(jb);
	jb->st.resets++;
}

void jbuf_quiet(struct jbuf *jb, bool quiet)
{
	jb->quiet = quiet;
}

/* ---- the slots ---------------------------------------------------------- */

static struct slot *slot_at(struct jbuf *jb, uint64_t seq)
{
	struct slot *s = &jb->slot[seq % JBUF_SLOTS];

	return s->used && s->seq == seq ? s : NULL;
}

static struct slot *oldest(struct jbuf *jb)
{
	struct slot *best = NULL;

	for (int i = 0; i < JBUF_SLOTS && jb->count; i++)
		if (jb->slot[i].used && (!best || jb->slot[i].seq < best->seq))
			best = &jb->slot[i];
	return best;
}

static struct slot *newest(struct jbuf *jb)
{
	struct slot *best = NULL;

	for (int i = 0; i < JBUF_SLOTS && jb->count; i++)
		if (jb->slot[i].used && (!best || jb->slot[i].seq > best->seq))
			best = &jb->slot[i];
	return best;
}

static void slot_free(struct jbuf *jb, struct slot *s)
{
	s->used = false;
	jb->count--;
}

/* Move last_seq on to seq; `arrived` says whether seq itself came. */
static void advance(struct jbuf *jb, uint64_t seq, bool arrived)
{
	uint64_t n = seq - jb->last_seq;

	if (!jb->have_last) {
		jb->have_last = true;
		jb->seen = 0;
	} else {
		jb->seen = n >= 64 ? 0 : jb->seen << n;
	}
	jb->seen |= arrived ? 1 : 0;
	jb->last_seq = seq;
}

/* Discard s, the oldest packet held: those before it are lost. */
static void drop_slot(struct jbuf *jb, struct slot *s)
{
	if (jb->have_last && s->seq > jb->last_seq + 1)
		jb->st.lost += s->seq - jb->last_seq - 1;
	advance(jb, s->seq, true);
	jb->play_tl = s->tl + s->dur;
	jb->st.dropped++;
	slot_free(jb, s);
}

/* ---- delay statistics --------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* o_min and the target from the arrivals of the last window. */
static void update_target(struct jbuf *jb, int64_t now)
{
	int64_t v[HIST_MAX], t;
	int n = 0;

	for (int i = 0; i < jb->nhist; i++)
		if (jb->hist[i].arr >= now - jb->window_t)
			v[n++] = jb->hist[i].o;
	if (!n)
		return;
	qsort(v, (size_t)n, sizeof v[0], cmp_i64);
	jb->o_min = v[0];
	if (n < HIST_MIN)
		return;
	t = v[(n - 1) * QUANTILE / 100] - v[0];
	if (t > jb->max_t - jb->frame)
		t = jb->max_t - jb->frame;
	jb->target = t < jb->min_t ? jb->min_t : t;
}

static void note_delay(struct jbuf *jb, int64_t arr, int64_t o)
{
	jb->hist[jb->hpos] = (struct arrival){arr, o};
	jb->hpos = (jb->hpos + 1) % HIST_MAX;
	if (jb->nhist < HIST_MAX)
		jb->nhist++;
	update_target(jb, arr);
}

/* ---- jbuf_put ----------------------------------------------------------- */

static void ref_init(struct jbuf *jb, uint16_t seq, uint32_t ts, int64_t arr)
{
	jb->have_ref = true;
	/* Start above 2^32 so packets from just before the first one
	 * extend below it, not past 2^16. */
	jb->hi_seq = (1ull << 32) | seq;
	jb->ref_raw = ts;
	jb->ref_ext = jb->ref_tl = ts;
	jb->ref_arr = arr;
	jb->off = jb->prev_off = 0;
	jb->jump_seq = 0;
}

/* RFC 3550 A.1's rule: a packet far off the sequence is a stray, unless
 * the next one follows it: then the peer restarted and so do we.
 * Returns 0 to go on (with *ext set) or JBUF_PUT_STRAY. */
static int check_seq(struct jbuf *jb, uint16_t seq, uint32_t ts, int64_t arr,
		     uint64_t *ext)
{
	*ext = rtp_seq_extend(jb->hi_seq, seq);
	if (*ext + MAX_MISORDER >= jb->hi_seq &&
	    *ext <= jb->hi_seq + MAX_DROPOUT)
		return 0;
	if (!jb->bad_valid || seq != jb->bad_seq) {
		jb->bad_seq = (uint16_t)(seq + 1);
		jb->bad_valid = true;
		jb->st.stray++;
		return JBUF_PUT_STRAY;
	}
	jbuf_reset(jb);
	ref_init(jb, seq, ts, arr);
	*ext = jb->hi_seq;
	return 0;
}

/* The packet's place on the timeline.  A newer packet whose timestamp
 * went backwards, or ran far ahead of both its sequence number and the
 * wall clock, marks a timestamp jump: from it on, timestamps are shifted
 * to continue where the wall clock says they should be. */
static int64_t map_ts(struct jbuf *jb, uint64_t ext, uint32_t ts, int64_t arr)
{
	int64_t e = jb->ref_ext + (int32_t)(ts - jb->ref_raw);
	int64_t tl, dt, da, dseq;

	if (ext <= jb->hi_seq)
		return e + (ext >= jb->jump_seq ? jb->off : jb->prev_off);
	tl = e + jb->off;
	dseq = (int64_t)(ext - jb->hi_seq);
	dt = tl - jb->ref_tl;
	da = arr - jb->ref_arr;
	if (dt <= 0 || (dt > dseq * PKT_MAX_TICKS && dt - da > JUMP_TICKS)) {
		int64_t want = dseq * jb->last_dur;

		if (da > want)
			want = da;
		jb->prev_off = jb->off;
		jb->jump_seq = ext;
		jb->off += jb->ref_tl + want - tl;
		tl = jb->ref_tl + want;
		jb->st.resets++;
	}
	jb->hi_seq = ext;
	jb->ref_raw = ts;
	jb->ref_ext = e;
	jb->ref_tl = tl;
	jb->ref_arr = arr;
	return tl;
}

/* A packet at or before last_seq: a duplicate if it was seen, else late
 * (and a late packet is just what the statistics must hear about). */
static int put_behind(struct jbuf *jb, uint64_t ext, int64_t arr, int64_t o)
{
	uint64_t back = jb->last_seq - ext;

	if (back < 64 && ((jb->seen >> back) & 1)) {
		jb->st.dup++;
		return JBUF_PUT_DUP;
	}
	jb->st.late++;
	note_delay(jb, arr, o);
	return JBUF_PUT_LATE;
}

/* Keep every held sequence number within JBUF_SLOTS of the others, and
 * the audio held within the cap, by dropping the oldest.  False when the
 * new packet itself is the one that does not fit. */
static bool make_room(struct jbuf *jb, uint64_t ext)
{
	struct slot *s = newest(jb);

	if (s && s->seq >= ext + JBUF_SLOTS) {
		jb->st.dropped++;
		return false;
	}
	while ((s = oldest(jb)) && ext >= s->seq + JBUF_SLOTS)
		drop_slot(jb, s);
	return true;
}

static void cap_span(struct jbuf *jb)
{
	while (jb->count > 1) {
		struct slot *o = oldest(jb), *n = newest(jb);

		if (n->tl + n->dur - o->tl <= jb->max_t)
			break;
		drop_slot(jb, o);
	}
}

/* Ticks of audio in a packet, from its TOC byte.  Not Opus after all?
 * Then it lasts one configured frame. */
static int64_t packet_dur(const struct jbuf *jb, const uint8_t *p, size_t len)
{
	int n = codec_packet_samples(p, len);

	return n > 0 ? n : jb->frame;
}

/* A packet behind the playout point, whose seq was not yet due: time
 * moved on without it in an underrun.  Either it is the backlog of an
 * outage, which arrives in one burst with fresh packets right behind
 * (late: discarded, and kept out of the statistics so that the target
 * does not jump), or the path itself got slower and every packet will
 * be late from now on: then, once that has gone on for SLOWER_TICKS,
 * forget the statistics and restart playout from this packet. */
static bool slower_path(struct jbuf *jb, int64_t arr)
{
	if (!jb->late_run) {
		jb->late_run = true;
		jb->late_since = arr;
	}
	if (arr - jb->late_since < SLOWER_TICKS)
		return false;
	jb->nhist = jb->hpos = 0;
	jb->waiting = true;
	jb->st.resets++;
	return true;
}

static void store(struct jbuf *jb, uint64_t ext, int64_t tl, int64_t dur,
		  const uint8_t *payload, size_t len)
{
	struct slot *s = &jb->slot[ext % JBUF_SLOTS];

	s->used = true;
	s->seq = ext;
	s->tl = tl;
	s->dur = dur;
	s->len = len;
	memcpy(s->data, payload, len);
	jb->count++;
}

int jbuf_put(struct jbuf *jb, uint16_t seq, uint32_t ts,
	     const uint8_t *payload, size_t len, int64_t arrival_ms)
{
	int64_t arr, tl, dur;
	uint64_t ext;
	int rc;

	if (!payload || !len)
		return -EINVAL;
	if (len > JBUF_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (arrival_ms > MS_MAX || arrival_ms < -MS_MAX)
		return -EINVAL;
	jb->st.put++;
	arr = arrival_ms * TICKS_PER_MS;
	if (!jb->have_ref)
		ref_init(jb, seq, ts, arr);
	rc = check_seq(jb, seq, ts, arr, &ext);
	if (rc)
		return rc;
	tl = map_ts(jb, ext, ts, arr);
	dur = packet_dur(jb, payload, len);
	if (jb->have_last && ext <= jb->last_seq)
		return put_behind(jb, ext, arr, arr - tl);
	if (slot_at(jb, ext)) {
		jb->st.dup++;
		return JBUF_PUT_DUP;
	}
	if (jb->have_last && !jb->waiting && tl + dur <= jb->play_tl &&
	    !slower_path(jb, arr)) {
		jb->st.late++;
		return JBUF_PUT_LATE;
	}
	jb->late_run = false;
	note_delay(jb, arr, arr - tl);
	if (!make_room(jb, ext))
		return JBUF_PUT_OK;	/* counted as dropped */
	store(jb, ext, tl, dur, payload, len);
	cap_span(jb);
	return JBUF_PUT_OK;
}

/* ---- jbuf_get ----------------------------------------------------------- */

static void emit_packet(struct jbuf *jb, struct slot *s, struct jbuf_frame *out)
{
	memcpy(jb->out, s->data, s->len);
	out->kind = JBUF_PACKET;
	out->data = jb->out;
	out->len = s->len;
	out->seq = (uint16_t)s->seq;
	advance(jb, s->seq, true);
	jb->play_tl = s->tl + s->dur;
	jb->last_dur = jb->out_dur = s->dur;
	jb->started = true;
	jb->stalled = 0;
	jb->st.played++;
	slot_free(jb, s);
}

/* Concealment with nothing lost; `grow` when it holds the playout
 * point (the delay grows by a frame). */
static void emit_conceal(struct jbuf *jb, bool grow, struct jbuf_frame *out)
{
	out->kind = JBUF_CONCEAL;
	jb->out_dur = jb->last_dur;
	jb->st.concealed++;
	if (grow)
		jb->st.grown++;
}

/* Nothing to play while waiting to (re)start. */
static void emit_wait(struct jbuf *jb, struct jbuf_frame *out)
{
	if (jb->started) {
		emit_conceal(jb, false, out);
		return;
	}
	out->kind = JBUF_NONE;
	jb->out_dur = jb->last_dur;
	jb->st.idle++;
}

/* last_seq + 1 never came: it was one frame of last_dur. */
static void mark_lost(struct jbuf *jb)
{
	advance(jb, jb->last_seq + 1, false);
	jb->play_tl += jb->last_dur;
	jb->st.lost++;
}

/* Hand out the missing frame as lost, with its successor for FEC when
 * that is the very next frame (its FEC data is the one we lack). */
static void emit_lost(struct jbuf *jb, struct jbuf_frame *out)
{
	struct slot *n = slot_at(jb, jb->last_seq + 2);
	int64_t at = jb->play_tl + jb->last_dur;

	out->kind = JBUF_LOST;
	out->seq = (uint16_t)(jb->last_seq + 1);
	if (n && llabs(n->tl - at) <= jb->last_dur / 2) {
		memcpy(jb->fec, n->data, n->len);
		out->fec = jb->fec;
		out->fec_len = n->len;
		jb->st.fec++;
	}
	mark_lost(jb);
	jb->out_dur = jb->last_dur;
	jb->st.concealed++;
}

/* While waiting: start playout at the oldest packet once its delay is
 * within half a frame of the target (gets come a frame apart, so
 * waiting for the target itself would start anywhere up to a whole frame
 * above it).  Missing packets before it are lost. */
static bool start_playout(struct jbuf *jb, int64_t now)
{
	struct slot *s = oldest(jb);

	jb->pclock = now;
	if (!s)
		return false;
	jb->delay = now - s->tl - jb->o_min;
	if (jb->delay < jb->target - s->dur / 2)
		return false;
	if (jb->have_last)
		jb->st.lost += s->seq - 1 - jb->last_seq;
	advance(jb, s->seq - 1, false);
	jb->play_tl = s->tl;
	jb->waiting = false;
	jb->stalled = 0;
	return true;
}

/* Drop s to lower the delay?  Only into a packet that follows on at
 * once, only while the delay stays near the target after the drop (on
 * a clean path within half a frame: the fastest packet seen may improve
 * after playout started, leaving it a frame high), and only where
 * unheard (quiet) or rarely.  (The cap is kept at put
 * time, on the audio actually held: d may be overstated for a while
 * when the path got slower, until o_min catches up.) */
static bool should_shrink(struct jbuf *jb, struct slot *s, int64_t d)
{
	struct slot *n;

	/* On a clean path (the target at its floor) down to within half a
	 * frame of the target; with jitter, keep a frame and a half of
	 * slack so that shedding does not fight the stragglers. */
	int64_t slack = jb->target <= jb->min_t ? s->dur / 2 :
			s->dur + s->dur / 2;

	if (d < jb->target + slack)
		return false;
	n = slot_at(jb, s->seq + 1);
	if (!n || llabs(n->tl - (s->tl + s->dur)) > s->dur / 2)
		return false;
	return jb->quiet || s->len <= QUIET_BYTES ||
	       jb->since_shrink >= jb->shrink_t;
}

/* The next packet is here: play it, or drop it to shrink the delay.
 * Returns false to look again (after a drop, or when a pause before it
 * means restarting playout). */
static bool play_packet(struct jbuf *jb, struct slot *s, struct jbuf_frame *out)
{
	int64_t d;

	if (s->tl > jb->play_tl + jb->last_dur / 2) {
		/* Sequence numbers go on but time jumped: a DTX pause.
		 * The talkspurt starts afresh at the target delay. */
		jb->waiting = true;
		return false;
	}
	/* Below the target we play on all the same: the delay grows only
	 * when a packet is actually late (underrun), not on statistics,
	 * so that one burst of stragglers does not add delay for seconds. */
	jb->play_tl = s->tl;
	d = jb->pclock - s->tl - jb->o_min;
	jb->delay = d;
	if (should_shrink(jb, s, d)) {
		drop_slot(jb, s);
		jb->since_shrink = 0;
		return false;
	}
	emit_packet(jb, s, out);
	return true;
}

/* Nothing at hand: a packet is late, lost in a burst, or DTX has
 * paused the sender.  Conceal, and hold the playout point for up to
 * max(target, 2 frames) so that a late packet can still play (the delay
 * grows by what it waited); past that, time moves on, so that an outage
 * does not pile its backlog onto the delay. */
static void underrun(struct jbuf *jb, struct jbuf_frame *out)
{
	int64_t hold = jb->target > 2 * jb->frame ? jb->target : 2 * jb->frame;

	if ((jb->stalled + 1) * jb->last_dur <= hold) {
		emit_conceal(jb, true, out);
		jb->stalled++;
	} else {
		emit_conceal(jb, false, out);
		jb->play_tl += jb->last_dur;
	}
}

static void play(struct jbuf *jb, int64_t now, struct jbuf_frame *out)
{
	for (;;) {
		struct slot *s;

		if (jb->waiting && !start_playout(jb, now)) {
			emit_wait(jb, out);
			return;
		}
		s = slot_at(jb, jb->last_seq + 1);
		if (s) {
			if (play_packet(jb, s, out))
				return;
			continue;
		}
		s = oldest(jb);
		if (!s) {
			underrun(jb, out);
			return;
		}
		if (s->tl - jb->play_tl > jb->max_t) {
			jb->waiting = true;	/* a long gap: restart */
			continue;
		}
		if (s->tl - jb->play_tl <= jb->last_dur / 2) {
			/* Their time passed in an underrun: all lost. */
			jb->st.lost += s->seq - 1 - jb->last_seq;
			advance(jb, s->seq - 1, false);
			continue;
		}
		if (jb->stalled > 0) {
			/* Concealed already while we waited for it. */
			jb->stalled--;
			mark_lost(jb);
			continue;
		}
		emit_lost(jb, out);
		return;
	}
}

void jbuf_get(struct jbuf *jb, int64_t now_ms, struct jbuf_frame *out)
{
	int64_t now;

	if (now_ms > MS_MAX || now_ms < -MS_MAX)
		now_ms = now_ms > 0 ? MS_MAX : -MS_MAX;
	now = now_ms * TICKS_PER_MS;
	memset(out, 0, sizeof *out);
	jb->st.gets++;
	/* pclock runs on by what was played, which keeps the delay steady
	 * against a jittery caller; a caller far off real time resets it. */
	if (!jb->waiting && llabs(now - jb->pclock) > RESYNC_TICKS)
		jb->pclock = now;
	play(jb, now, out);
	jb->pclock += jb->out_dur;
	jb->since_shrink += jb->out_dur;
}

void jbuf_stats(const struct jbuf *jb, struct jbuf_stats *st)
{
	*st = jb->st;
	st->buffered = jb->count;
	st->delay_ms = (int)(jb->delay / TICKS_PER_MS);
	st->target_ms = (int)(jb->target / TICKS_PER_MS);
}
