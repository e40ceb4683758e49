/* Unit tests for call/jbuf: the adaptive jitter buffer, driven by a small
 * simulated network (loss, delay, jitter, reordering, duplicates). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "call/codec.h"
#include "call/jbuf.h"
#include "call/quality.h"
#include "call/rtp.h"

/* Opus TOC bytes of a mono CELT packet: config 31 is 20 ms, 30 is 10. */
#define TOC_20MS 0xf8
#define TOC_10MS 0xf0
#define PAYLOAD 40		/* bigger than a DTX packet */

struct pkt {
	int64_t at;		/* arrival, ms */
	uint16_t seq;
	uint32_t ts;
	int idx;		/* packet number, also written in its payload */
	int ms;			/* its duration */
};

struct net {
	int base_ms, jitter_ms;
	int loss_pct, reorder_pct, dup_pct;
	uint32_t rng;
};

static uint32_t rnd(struct net *n, uint32_t mod)
{
	n->rng = n->rng * 1103515245u + 12345u;
	return (n->rng >> 8) % mod;
}

static int by_arrival(const void *a, const void *b)
{
	const struct pkt *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->idx - y->idx;
}

/* The packets of a stream of np frames of `ms` each, sent from t=0 as
 * they are made, as the network delivers them, sorted by arrival.
 * Returns how many arrive (*out is malloc'd). */
static int deliver(struct net *n, int np, uint16_t seq0, uint32_t ts0, int ms,
		   struct pkt **out)
{
	struct pkt *p = calloc((size_t)np * 2 + 1, sizeof *p);
	int k = 0;

	for (int i = 0; i < np; i++) {
		struct pkt x = {.seq = (uint16_t)(seq0 + i),
				.ts = ts0 + (uint32_t)(i * ms * 48), .idx = i,
				.ms = ms};

		if ((int)rnd(n, 100) < n->loss_pct)
			continue;
		x.at = (int64_t)i * ms + n->base_ms +
		       (n->jitter_ms ? rnd(n, (uint32_t)n->jitter_ms + 1) : 0);
		/* reordered: held back behind the next one or two */
		if ((int)rnd(n, 100) < n->reorder_pct)
			x.at += ms + rnd(n, (uint32_t)ms * 2);
		p[k++] = x;
		if ((int)rnd(n, 100) < n->dup_pct) {
			p[k] = x;
			p[k++].at += 1 + rnd(n, 30);
		}
	}
	qsort(p, (size_t)k, sizeof *p, by_arrival);
	*out = p;
	return k;
}

static void put(struct jbuf *jb, const struct pkt *p)
{
	uint8_t pay[PAYLOAD] = {p->ms == 10 ? TOC_10MS : TOC_20MS};
	int rc;

	memcpy(pay + 1, &p->idx, sizeof p->idx);
	rc = jbuf_put(jb, p->seq, p->ts, pay, sizeof pay, p->at);
	assert_true(rc >= 0);
}

struct run {
	int gets, none, packets, lost, conceal, fec;
	int conceal_mid;	/* concealed before the last packet played */
	int first, last;	/* packet numbers played, first and last */
	bool started;
	double delay_sum;	/* after settle_ms */
	int delay_n, delay_max;
};

/* Feed the packets in and take a frame out every `ms` from `t0` (off the
 * millisecond grid arrivals are on) until t_end.  Checks that output is
 * continuous once started and that packets come out in order. */
static void play(struct jbuf *jb, const struct pkt *p, int np, int ms,
		 int64_t t0, int64_t t_end, int64_t settle_ms, struct run *r)
{
	int k = 0;

	memset(r, 0, sizeof *r);
	r->first = r->last = -1;
	for (int64_t t = t0; t < t_end; t += ms) {
		struct jbuf_frame f;
		struct jbuf_stats st;

		while (k < np && p[k].at <= t)
			put(jb, &p[k++]);
		jbuf_get(jb, t, &f);
		r->gets++;
		switch (f.kind) {
		case JBUF_NONE:
			assert_false(r->started);
			r->none++;
			break;
		case JBUF_PACKET: {
			int idx;

			assert_int_equal(f.len, PAYLOAD);
			memcpy(&idx, f.data + 1, sizeof idx);
			assert_true(idx > r->last);
			if (!r->started)
				r->first = idx;
			r->started = true;
			r->last = idx;
			r->packets++;
			r->conceal_mid = r->conceal;
			break;
		}
		case JBUF_LOST:
			assert_true(r->started);
			r->lost++;
			r->fec += f.fec != NULL;
			break;
		case JBUF_CONCEAL:
			assert_true(r->started);
			r->conceal++;
			break;
		}
		jbuf_stats(jb, &st);
		if (t >= settle_ms && f.kind == JBUF_PACKET) {
			r->delay_sum += st.delay_ms;
			r->delay_n++;
			if (st.delay_ms > r->delay_max)
				r->delay_max = st.delay_ms;
		}
	}
}

/* The promises jbuf.h makes about its counters. */
static void check_counts(struct jbuf *jb, const struct run *r)
{
	struct jbuf_stats st;

	jbuf_stats(jb, &st);
	assert_int_equal(st.gets, r->gets);
	assert_int_equal(st.idle, r->none);
	assert_int_equal(st.played, r->packets);
	assert_int_equal(st.concealed, r->lost + r->conceal);
	assert_int_equal(st.gets, st.idle + st.played + st.concealed);
	assert_int_equal(st.put - st.late - st.dup - st.stray,
			 st.played + st.dropped + (uint64_t)st.buffered);
	assert_int_equal(st.fec, r->fec);
	assert_true(st.fec <= st.lost);
	assert_true(st.target_ms <= 400);
}

static struct jbuf *new_jbuf(int frame_ms)
{
	struct jbuf_cfg cfg;
	struct jbuf *jb;

	jbuf_cfg_default(&cfg, frame_ms);
	assert_int_equal(jbuf_alloc(&jb, &cfg), 0);
	return jb;
}

/* The case: 10 % loss, 30 ms of jitter, 5 % reordering. */
static void test_jbuf__lossy_jittery__settles_near_twice_jitter(void **state)
{
	struct net n = {.base_ms = 40, .jitter_ms = 30, .loss_pct = 10,
			.reorder_pct = 5, .rng = 1};
	int np = 3000;		/* a minute */
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, np, 1000, 123456, 20, &p);
	double mean;

	play(jb, p, k, 20, 7, np * 20 + 500, 10000, &r);
	jbuf_stats(jb, &st);
	mean = r.delay_sum / r.delay_n;
	print_message("jbuf: delay mean %.1f max %d target %d ms; sent %d "
		      "got %d played %d lost %llu (fec %llu) late %llu "
		      "dropped %llu grown %llu\n", mean, r.delay_max,
		      st.target_ms, np, k, r.packets,
		      (unsigned long long)st.lost, (unsigned long long)st.fec,
		      (unsigned long long)st.late,
		      (unsigned long long)st.dropped,
		      (unsigned long long)st.grown);
	check_counts(jb, &r);
	/* each packet number from the first to the last played is played,
	 * lost or dropped, once */
	assert_int_equal(r.last - r.first + 1,
			 (int)(st.played + st.lost + st.dropped));
	/* near 2x jitter: at least the jitter, at most twice and a frame */
	assert_true(mean >= 30 && mean <= 60);
	assert_true(r.delay_max <= 90);
	assert_true(st.target_ms >= 25 && st.target_ms <= 60);
	/* few packets come too late for their turn: the target covers 95 %
	 * of them, and the rest are mostly the reordered ones (held back
	 * 20-60 ms more), whose successor is there for FEC */
	assert_true(st.late < (uint64_t)k * 4 / 100);
	/* most losses have the next packet at hand for FEC */
	assert_true(st.fec * 10 > st.lost * 7);
	jbuf_free(jb);
	free(p);
}

/* A clean LAN: one frame of delay, nothing lost. */
static void test_jbuf__clean_lan__one_frame(void **state)
{
	struct net n = {.base_ms = 1, .rng = 2};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 500, 1, 0, 20, &p);

	play(jb, p, k, 20, 3, 500 * 20 + 100, 1000, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_int_equal(r.packets, 500);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.late, 0);
	assert_int_equal(st.target_ms, 20);
	assert_true(r.delay_max >= 20 && r.delay_max < 40);
	assert_true(r.none <= 2);
	jbuf_free(jb);
	free(p);
}

/* Sequence numbers and timestamps both wrap mid-stream. */
static void test_jbuf__wrap__seq_and_ts(void **state)
{
	struct net n = {.base_ms = 5, .jitter_ms = 30, .rng = 3};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 1000, 65000, 0xffff0000u, 20, &p);

	play(jb, p, k, 20, 9, 1000 * 20 + 300, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_int_equal(r.first, 0);
	assert_int_equal(r.last, 999);
	assert_int_equal(st.played + st.lost + st.dropped, 1000);
	assert_true(st.lost <= 30);
	assert_int_equal(st.resets, 0);
	jbuf_free(jb);
	free(p);
}

static void test_jbuf__duplicates__discarded(void **state)
{
	struct net n = {.base_ms = 5, .jitter_ms = 5, .dup_pct = 100,
			.rng = 4};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 400, 7, 7, 20, &p);

	assert_int_equal(k, 800);
	play(jb, p, k, 20, 1, 400 * 20 + 300, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_int_equal(st.dup, 400);
	assert_int_equal(r.packets + (int)st.dropped, 400);
	assert_int_equal(st.lost, 0);
	jbuf_free(jb);
	free(p);
}

/* Talkspurts: 1 s of packets, then DTX sends nothing for 2 s (sequence
 * numbers go on, timestamps jump), then more talk.  The pause is
 * concealment (comfort noise), not loss. */
static void test_jbuf__dtx_pause__not_loss(void **state)
{
	struct net n = {.base_ms = 10, .jitter_ms = 20, .rng = 5};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 150, 100, 5000, 20, &p);

	for (int i = 0; i < k; i++) {
		if (p[i].idx < 50)
			continue;
		p[i].at += 2000;
		p[i].ts += 2000 * 48;
	}
	qsort(p, (size_t)k, sizeof *p, by_arrival);
	play(jb, p, k, 20, 3, 150 * 20 + 2400, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_int_equal(r.packets + (int)st.dropped, 150);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.late, 0);
	assert_true(r.conceal >= 95);	/* the two seconds, in 20 ms */
	assert_int_equal(st.resets, 0);
	jbuf_free(jb);
	free(p);
}

/* The sender's timestamps jump by hours while its sequence numbers go
 * on (a clock reset): playout carries straight on. */
static void test_jbuf__ts_jump__followed(void **state)
{
	struct net n = {.base_ms = 10, .jitter_ms = 10, .rng = 6};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 400, 1, 1000, 20, &p);

	for (int i = 0; i < k; i++)
		if (p[i].idx >= 200)
			p[i].ts += 0x7654321u;
	play(jb, p, k, 20, 3, 400 * 20 + 300, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_int_equal(r.packets + (int)st.dropped, 400);
	assert_int_equal(st.lost, 0);
	assert_true(st.resets >= 1);
	assert_int_equal(r.conceal_mid, 0);
	jbuf_free(jb);
	free(p);
}

/* The peer restarts: new sequence numbers and timestamps.  One stray
 * packet is lost; then the new stream plays. */
static void test_jbuf__peer_restart__new_stream(void **state)
{
	struct net n = {.base_ms = 10, .jitter_ms = 10, .rng = 7};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 400, 50000, 1000, 20, &p);

	for (int i = 0; i < k; i++) {
		if (p[i].idx < 200)
			continue;
		p[i].seq = (uint16_t)(p[i].seq + 20000);
		p[i].ts += 0x9e3779b9u;
	}
	play(jb, p, k, 20, 3, 400 * 20 + 300, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_int_equal(st.stray, 1);
	assert_true(st.resets >= 1);
	assert_int_equal(r.last, 399);
	assert_true(r.packets >= 395);
	jbuf_free(jb);
	free(p);
}

/* Two seconds of packets held up somewhere arrive at once, after an
 * outage: the backlog is late, playout goes on at a sane delay, and
 * the delay comes back down once the path is clean. */
static void test_jbuf__outage_backlog__stays_bounded(void **state)
{
	struct net n = {.base_ms = 5, .rng = 8};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 1000, 1, 1, 20, &p), held = 0;

	for (int i = 0; i < k; i++)
		if (p[i].idx >= 100 && p[i].idx < 200) {
			p[i].at = 200 * 20 + 5;
			held++;
		}
	qsort(p, (size_t)k, sizeof *p, by_arrival);
	play(jb, p, k, 20, 3, 1000 * 20 + 300, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	print_message("jbuf: backlog of %d: played %d lost %llu late %llu "
		      "dropped %llu max delay %d, at the end %d\n", held,
		      r.packets, (unsigned long long)st.lost,
		      (unsigned long long)st.late,
		      (unsigned long long)st.dropped, r.delay_max,
		      st.delay_ms);
	assert_true(r.delay_max <= 100);
	assert_true(st.late > 50);
	assert_int_equal(r.last, 999);
	assert_int_equal(r.last - r.first + 1,
			 (int)(st.played + st.lost + st.dropped));
	assert_true(st.delay_ms < 50);
	jbuf_free(jb);
	free(p);
}

/* The path gets 700 ms slower for good (a relay, say): after a moment
 * of concealment, playout goes on at a low delay. */
static void test_jbuf__slower_path__recovers(void **state)
{
	struct net n = {.base_ms = 20, .jitter_ms = 10, .rng = 11};
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 1000, 1, 1, 20, &p);

	for (int i = 0; i < k; i++)
		if (p[i].idx >= 300)
			p[i].at += 700;
	play(jb, p, k, 20, 3, 1000 * 20 + 1000, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	print_message("jbuf: path 700 ms slower: played %d lost %llu late "
		      "%llu, delay at the end %d\n", r.packets,
		      (unsigned long long)st.lost, (unsigned long long)st.late,
		      st.delay_ms);
	assert_int_equal(r.last, 999);
	assert_true(r.packets >= 950);
	assert_true(st.delay_ms <= 60);
	assert_true(st.resets >= 1);
	jbuf_free(jb);
	free(p);
}

/* A burst of packets far ahead of playout: at most the cap is kept. */
static void test_jbuf__burst__capped(void **state)
{
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct jbuf_frame f;
	uint8_t pay[PAYLOAD] = {TOC_20MS};

	for (int i = 0; i < 100; i++)
		assert_int_equal(jbuf_put(jb, (uint16_t)i, (uint32_t)i * 960,
					  pay, sizeof pay, 0), 0);
	jbuf_stats(jb, &st);
	assert_true(st.buffered <= 400 / 20);
	assert_int_equal(st.dropped, 100 - (uint64_t)st.buffered);
	for (int i = 0; i < 40; i++)
		jbuf_get(jb, 20 + 20 * i, &f);
	jbuf_stats(jb, &st);
	assert_int_equal(st.buffered, 0);
	assert_int_equal(st.played + st.dropped, 100);
	jbuf_free(jb);
}

/* Heavy jitter for 20 s, then a clean path: once the statistics forget
 * the jitter (5 s), the delay follows the target down by dropping a
 * frame at most every shrink interval, or at once when the decoder says
 * the audio is quiet. */
static void test_jbuf__calm_after_jitter__shrinks(void **state)
{
	struct net n = {.base_ms = 20, .jitter_ms = 80, .rng = 9};
	struct jbuf *jb = new_jbuf(20), *jq = new_jbuf(20);
	struct jbuf_stats st, sq;
	struct pkt *p;
	struct run r;
	int k = deliver(&n, 2000, 1, 1, 20, &p);

	for (int i = 0; i < k; i++)
		if (p[i].idx >= 1000)
			p[i].at = p[i].idx * 20 + 20;
	qsort(p, (size_t)k, sizeof *p, by_arrival);
	play(jb, p, k, 20, 3, 19000, 0, &r);
	jbuf_stats(jb, &st);
	assert_true(st.delay_ms >= 60);		/* jitter: it grew */
	jbuf_free(jb);

	jb = new_jbuf(20);
	play(jb, p, k, 20, 3, 2000 * 20 + 300, 0, &r);
	jbuf_stats(jb, &st);
	check_counts(jb, &r);
	assert_true(st.dropped >= 2);
	assert_true(st.delay_ms < 50);
	/* with the quiet hint it is down within a second of the target */
	jbuf_quiet(jq, true);
	play(jq, p, k, 20, 3, 26300, 0, &r);
	jbuf_stats(jq, &sq);
	print_message("jbuf: after jitter: %d ms (quiet, at 26 s: %d ms), "
		      "target %d\n", st.delay_ms, sq.delay_ms, sq.target_ms);
	assert_true(sq.delay_ms < 50);
	jbuf_free(jb);
	jbuf_free(jq);
	free(p);
}

/* 10 ms frames, and a peer switching from 20 to 10 ms mid-call. */
static void test_jbuf__frame_sizes__10ms_and_switch(void **state)
{
	struct net n = {.base_ms = 5, .jitter_ms = 15, .loss_pct = 5,
			.rng = 10};
	struct jbuf *jb = new_jbuf(10);
	struct jbuf_stats st;
	struct pkt *p, *q;
	struct run r;
	int k = deliver(&n, 1000, 1, 1, 10, &p), m;

	play(jb, p, k, 10, 3, 1000 * 10 + 300, 0, &r);
	check_counts(jb, &r);
	jbuf_stats(jb, &st);
	assert_int_equal(r.last - r.first + 1,
			 (int)(st.played + st.lost + st.dropped));
	assert_true(st.late < 20);
	jbuf_free(jb);
	free(p);

	/* 200 packets of 20 ms then 400 of 10 ms, one stream */
	jb = new_jbuf(20);
	n.loss_pct = 0;
	k = deliver(&n, 200, 1, 0, 20, &p);
	m = deliver(&n, 400, 201, 200 * 960, 10, &q);
	for (int i = 0; i < m; i++) {
		q[i].at += 4000;
		q[i].idx += 200;
	}
	p = realloc(p, (size_t)(k + m) * sizeof *p);
	memcpy(p + k, q, (size_t)m * sizeof *q);
	/* a get per 10 ms: the caller asks whenever it needs audio */
	play(jb, p, k + m, 10, 3, 8300, 0, &r);
	check_counts(jb, &r);
	jbuf_stats(jb, &st);
	assert_int_equal(r.last, 599);
	assert_true(st.lost <= 3);
	jbuf_free(jb);
	free(p);
	free(q);
}

/* The peer sends 10 ms packets and this side plays 20 ms at a time: two
 * gets at each 20 ms tick, the second for audio due 10 ms later.  With
 * the floor at the local frame (as media.c sets it) nothing is concealed
 * on a clean path, whatever the ticks' phase (at most one packet is shed
 * after a start a little high); at the peer's frame, at some phases it
 * conceals and drops in turn, twice a second. */
static int two_per_tick(int min_ms, int phase, uint64_t *dropped)
{
	struct net n = {.base_ms = 1, .rng = 12};
	struct jbuf_cfg cfg;
	struct jbuf *jb;
	struct jbuf_stats st;
	struct pkt *p;
	int k = deliver(&n, 1000, 1, 0, 10, &p), i = 0, conceal = 0, last = -1;

	jbuf_cfg_default(&cfg, 10);
	cfg.min_ms = min_ms;
	assert_int_equal(jbuf_alloc(&jb, &cfg), 0);
	for (int64_t t = phase; t < 1000 * 10 - 20; t += 20)
		for (int g = 0; g < 2; g++) {
			struct jbuf_frame f;

			while (i < k && p[i].at <= t)
				put(jb, &p[i++]);
			jbuf_get(jb, t, &f);
			if (f.kind == JBUF_PACKET)
				memcpy(&last, f.data + 1, sizeof last);
			else if (f.kind != JBUF_NONE)
				conceal++;
		}
	jbuf_stats(jb, &st);
	assert_true(last > 950);
	*dropped = st.dropped;
	jbuf_free(jb);
	free(p);
	return conceal;
}

static void test_jbuf__local_frame_longer__no_conceal(void **state)
{
	uint64_t dropped;
	int worse = 0;

	/* every phase of the ticks against the arrivals */
	for (int phase = 0; phase < 20; phase++) {
		uint64_t d10;
		int c20 = two_per_tick(20, phase, &dropped);
		int c10 = two_per_tick(10, phase, &d10);

		assert_int_equal(c20, 0);
		assert_true(dropped <= 1);	/* started high: shed once */
		worse += c10 > 0 && d10 > 0;
	}
	assert_true(worse > 0);
}

/* A packet behind the playout point is late: counted, not played. */
static void test_jbuf__late__counted_not_played(void **state)
{
	struct jbuf *jb = new_jbuf(20);
	struct jbuf_stats st;
	struct jbuf_frame f;
	uint8_t pay[PAYLOAD] = {TOC_20MS};
	int64_t t = 0;

	/* 200 on time, but number 50 comes 100 ms late */
	for (int i = 0; i < 200; i++, t += 20) {
		if (i != 50)
			assert_int_equal(jbuf_put(jb, (uint16_t)i,
						  (uint32_t)i * 960, pay,
						  sizeof pay, t + 2), 0);
		if (i == 55)
			assert_int_equal(jbuf_put(jb, 50, 50 * 960, pay,
						  sizeof pay, t + 2),
					 JBUF_PUT_LATE);
		jbuf_get(jb, t + 5, &f);
		if (i == 51) {
			/* its turn: lost, with 51 at hand for FEC */
			assert_int_equal(f.kind, JBUF_LOST);
			assert_int_equal(f.seq, 50);
			assert_non_null(f.fec);
		}
	}
	jbuf_stats(jb, &st);
	assert_int_equal(st.late, 1);
	assert_int_equal(st.lost, 1);
	assert_int_equal(st.fec, 1);
	/* one straggler in 200 is above the 95th percentile */
	assert_int_equal(st.target_ms, 20);
	assert_int_equal(jbuf_put(jb, 190, 190 * 960, pay, sizeof pay, t),
			 JBUF_PUT_DUP);
	jbuf_free(jb);
}

/* The whole receive path: speech through Opus, the network
 * (10 % loss, 30 ms jitter, 5 % reordering), the buffer, and the decoder
 * with FEC and PLC.  It must stay intelligible; the delay measured on
 * the audio must match what the buffer says plus the network's. */
static void test_jbuf__pipeline__speech_survives_network(void **state)
{
	enum { NF = 250, N = NF * 960, OUT = N + 48000 };
	struct net n = {.base_ms = 40, .jitter_ms = 30, .loss_pct = 10,
			.reorder_pct = 5, .rng = 12};
	int16_t *in = malloc(N * sizeof *in), *out = calloc(OUT, sizeof *out);
	struct codec_enc_cfg cfg;
	struct codec_enc *e;
	struct codec_dec *d;
	struct jbuf *jb = new_jbuf(20);
	struct quality_report q;
	struct jbuf_stats st;
	struct pkt *p;
	uint8_t (*enc)[CODEC_PACKET_MAX] = calloc(NF, sizeof *enc);
	int len[NF], k, at = 0, j = 0;

	quality_gen_speech(in, N, 21);
	codec_enc_cfg_default(&cfg);
	cfg.loss_pct = 10;
	assert_int_equal(codec_enc_alloc(&e, &cfg), 0);
	assert_int_equal(codec_dec_alloc(&d, 20), 0);
	for (int f = 0; f < NF; f++)
		len[f] = codec_encode(e, in + f * 960, enc[f], CODEC_PACKET_MAX);
	k = deliver(&n, NF, 3, 77, 20, &p);
	for (int64_t t = 0; at + 960 <= OUT; t += 20) {
		struct jbuf_frame f;
		int got;

		for (; j < k && p[j].at <= t; j++)
			jbuf_put(jb, p[j].seq, p[j].ts, enc[p[j].idx],
				 (size_t)len[p[j].idx], p[j].at);
		jbuf_get(jb, t, &f);
		if (f.kind == JBUF_PACKET)
			got = codec_decode(d, f.data, f.len, out + at, 960);
		else if (f.kind == JBUF_LOST && f.fec)
			got = codec_decode_fec(d, f.fec, f.fec_len, out + at,
					       960);
		else if (f.kind == JBUF_NONE)
			got = 960;	/* silence, already zero */
		else
			got = codec_plc(d, out + at, 960);
		assert_int_equal(got, 960);
		at += got;
	}
	jbuf_stats(jb, &st);
	assert_int_equal(quality_compare(in, N, out, OUT, 24000, &q), 0);
	print_message("jbuf: pipeline: stoi %.3f, audio delay %.1f ms "
		      "(network 40-70, buffer %d), lost %llu (fec %llu) "
		      "late %llu\n", q.stoi, q.delay / 48.0, st.delay_ms,
		      (unsigned long long)st.lost, (unsigned long long)st.fec,
		      (unsigned long long)st.late);
	assert_true(q.stoi > 0.8);
	/* network base 40 + buffer + codec 6.5 ms, within a frame or so */
	assert_in_range(q.delay / 48, 40 + 10, 40 + 30 + 90);
	codec_enc_free(e);
	codec_dec_free(d);
	jbuf_free(jb);
	free(in);
	free(out);
	free(enc);
	free(p);
}

static void test_jbuf__args__refused(void **state)
{
	struct jbuf_cfg cfg;
	struct jbuf *jb = (void *)1;
	uint8_t big[JBUF_PAYLOAD_MAX + 1] = {TOC_20MS};
	struct jbuf_frame f;

	jbuf_cfg_default(&cfg, 30);
	assert_int_equal(jbuf_alloc(&jb, &cfg), -EINVAL);
	assert_null(jb);
	jbuf_cfg_default(&cfg, 20);
	cfg.max_ms = 30;
	assert_int_equal(jbuf_alloc(&jb, &cfg), -EINVAL);
	jbuf_free(NULL);
	jb = new_jbuf(20);
	assert_int_equal(jbuf_put(jb, 1, 1, big, 0, 0), -EINVAL);
	assert_int_equal(jbuf_put(jb, 1, 1, NULL, 5, 0), -EINVAL);
	assert_int_equal(jbuf_put(jb, 1, 1, big, sizeof big, 0), -EMSGSIZE);
	jbuf_get(jb, 0, &f);
	assert_int_equal(f.kind, JBUF_NONE);
	/* not Opus: taken as one configured frame */
	assert_int_equal(jbuf_put(jb, 1, 1, (const uint8_t *)"\x03\x00", 2, 0),
			 0);
	jbuf_get(jb, 40, &f);
	assert_int_equal(f.kind, JBUF_PACKET);
	jbuf_reset(jb);
	jbuf_get(jb, 60, &f);
	assert_int_equal(f.kind, JBUF_CONCEAL);
	jbuf_free(jb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jbuf__lossy_jittery__settles_near_twice_jitter),
		cmocka_unit_test(test_jbuf__clean_lan__one_frame),
		cmocka_unit_test(test_jbuf__local_frame_longer__no_conceal),
		cmocka_unit_test(test_jbuf__wrap__seq_and_ts),
		cmocka_unit_test(test_jbuf__duplicates__discarded),
		cmocka_unit_test(test_jbuf__dtx_pause__not_loss),
		cmocka_unit_test(test_jbuf__ts_jump__followed),
		cmocka_unit_test(test_jbuf__peer_restart__new_stream),
		cmocka_unit_test(test_jbuf__outage_backlog__stays_bounded),
		cmocka_unit_test(test_jbuf__slower_path__recovers),
		cmocka_unit_test(test_jbuf__burst__capped),
		cmocka_unit_test(test_jbuf__calm_after_jitter__shrinks),
		cmocka_unit_test(test_jbuf__frame_sizes__10ms_and_switch),
		cmocka_unit_test(test_jbuf__late__counted_not_played),
		cmocka_unit_test(test_jbuf__pipeline__speech_survives_network),
		cmocka_unit_test(test_jbuf__args__refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
