/* udp_relay: a userspace UDP impairment relay for call tests.
 *
 * The kernels we test on have no netem, so this stands between two media
 * endpoints and does to their packets what a bad network would: random
 * loss (independent, or in bursts), a fixed delay, jitter, reordering and
 * duplication, each direction on its own, all from one seed so that a run
 * can be repeated.
 *
 * Side 1 sends to port A, side 2 to port B.  What arrives on A goes out of
 * B to side 2, and what arrives on B goes out of A to side 1; so each side
 * sees the relay as its peer.  A side's address is learned from the last
 * packet it sent (or fixed with --peer-a / --peer-b, needed for the side
 * that speaks second to be reachable before it has spoken).
 *
 *   udp_relay -a 41000 -b 41001 --loss 10 --delay 20 --jitter 30 \
 *             --reorder 5 --seed 7
 *
 * Delay and jitter follow netem: each packet waits delay + a jitter sample,
 * uniform in [-jitter, +jitter] or normal with jitter as its standard
 * deviation, never less than 0.  Independent delays reorder packets when
 * the jitter exceeds their spacing, as netem does; --fifo keeps them in
 * order (a packet waits behind the one before it, as in a queue).
 * --reorder P holds P % of packets back --reorder-ms more (default 40),
 * letting the ones after it overtake it, with or without --fifo.
 * --burst N makes losses come in bursts of N packets on average (a
 * Gilbert model with the same overall loss).  --dup P sends P % of packets
 * twice, each copy with its own delay (a network duplicate).
 *
 * Two options play an attacker on the path, for SRTP tests.  They touch
 * only RTP and RTCP packets (first byte 128..191, RFC 7983; STUN and the
 * rest pass as they are), and only ones that get through the loss:
 *   --forge P     for P % of them, also send a forgery: a copy with 1 to 4
 *                 payload bytes flipped (never the RTP or RTCP header, the
 *                 SRTCP index or the tag), so that authentication fails.
 *                 It goes out just *before* the original, with the same
 *                 delay: SRTP checks the replay window before the tag, so a
 *                 forgery after its original would be refused as a replay
 *                 and not as a forgery (a --dup copy, with its own delay,
 *                 may still come first).
 *   --replay P    for P % of them, send an exact copy again --replay-ms
 *                 later (default 200: at 50 packets/s that is 10 packets
 *                 behind, its frame already played, but inside SRTP's
 *                 replay window of 128 packets).
 * Their choices come from a random stream of their own, so adding them
 * does not change which packets a seed loses or how long each waits.
 *
 * On SIGTERM, SIGINT or --duration's end it prints its counters as one
 * JSON object on stdout and exits 0: per direction ("a_to_b", "b_to_a")
 * the packets received, sent (every datagram out, forgeries and replays
 * included), lost, duplicated, reordered (sent after a later one; the
 * injected copies aside), forged and replayed (injected copies sent), and
 * the delays.  "udp_relay: ready ..." goes to stderr once both ports are
 * bound (port 0 picks free ones; the line says which).
 *
 * Plain C and libc only; build: cc -O2 -o udp_relay tests/tools/udp_relay.c -lm
 * (make tools builds it as build/tools/udp_relay).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "xoshiro.h"

#define PKT_MAX 65536

struct opts {
	const char *bind, *port_a, *port_b, *peer_a, *peer_b;
	double loss, burst, reorder, dup, forge, replay;
	double delay_ms, jitter_ms, reorder_ms, replay_ms;
	bool normal, fifo;
	uint64_t seed;
	double duration;
	size_t queue_max;
};

/* One direction: packets in on `in_fd`, out of `out_fd` to `to`. */
struct dir {
	const char *name;
	int in_fd, out_fd;
	struct sockaddr_storage to;
	socklen_t to_len;
	uint64_t rng[4];	/* its own stream: a direction's fate does
				 * not hang on the other's timing */
	uint64_t irng[4];	/* --forge and --replay's own stream */
	bool lossy;		/* Gilbert model: in a loss burst */
	int64_t last_release;	/* for --fifo */
	uint64_t next_in;	/* arrival order numbers */
	uint64_t max_sent_in;	/* highest arrival number sent so far */
	bool any_sent;
	/* counters */
	uint64_t received, sent, lost, duplicated, reordered, overflow;
	uint64_t no_peer, send_errors, bytes_in, bytes_out;
	uint64_t forged, replayed;	/* injected copies sent */
	uint64_t held;		/* copies queued (sent or not) */
	double delay_sum, delay_max;
};

enum kind { ORIGINAL, FORGED, REPLAYED };

struct held {
	int64_t release;	/* monotonic us */
	uint64_t order;		/* ties keep arrival order */
	uint64_t in_no;		/* arrival number in its direction */
	enum kind kind;
	struct dir *dir;
	size_t len;
	uint8_t *data;
};

struct relay {
	struct opts o;
	struct dir ab, ba;	/* side 1 -> side 2, side 2 -> side 1 */
	struct held *heap;
	size_t nheld, cap;
	uint64_t order;
	int64_t start;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- random numbers (xoshiro.h): one stream per direction ------------- */

static double uniform01(struct dir *d)
{
	return xo_unit(d->rng);
}

static bool chance(struct dir *d, double pct)
{
	return pct > 0 && uniform01(d) * 100 < pct;
}

/* The same from the injection stream. */
static bool ichance(struct dir *d, double pct)
{
	return pct > 0 && xo_unit(d->irng) * 100 < pct;
}

static double gauss(struct dir *d)	/* Box-Muller */
{
	double u = uniform01(d), v = uniform01(d);

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/* ---- the queue of held packets: a binary min-heap ---------------------- */

static bool before(const struct held *a, const struct held *b)
{
	return a->release < b->release ||
	       (a->release == b->release && a->order < b->order);
}

static void swap(struct held *a, struct held *b)
{
	struct held t = *a;

	*a = *b;
	*b = t;
}

static bool heap_push(struct relay *r, struct held h)
{
	size_t i;

	if (r->nheld == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct held *n = realloc(r->heap, cap * sizeof *n);

		if (!n)
			return false;
		r->heap = n;
		r->cap = cap;
	}
	i = r->nheld++;
	r->heap[i] = h;
	while (i && before(&r->heap[i], &r->heap[(i - 1) / 2])) {
		swap(&r->heap[i], &r->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return true;
}

static struct held heap_pop(struct relay *r)
{
	struct held top = r->heap[0];
	size_t i = 0;

	r->heap[0] = r->heap[--r->nheld];
	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < r->nheld && before(&r->heap[l], &r->heap[m]))
			m = l;
		if (l + 1 < r->nheld && before(&r->heap[l + 1], &r->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		swap(&r->heap[i], &r->heap[m]);
		i = m;
	}
	return top;
}

/* ---- impairments -------------------------------------------------------- */

/* Lose this packet?  Independent, or a two-state Gilbert model whose
 * bursts last o.burst packets on average, for the same overall loss. */
static bool lose(struct relay *r, struct dir *d)
{
	double p = r->o.loss / 100, to_bad;

	if (r->o.burst <= 1 || p <= 0 || p >= 1)
		return chance(d, r->o.loss);
	to_bad = p / (r->o.burst * (1 - p));
	if (d->lossy)
		d->lossy = uniform01(d) >= 1 / r->o.burst;
	else
		d->lossy = uniform01(d) < to_bad;
	return d->lossy;
}

/* How long this packet waits for the delay and jitter, microseconds. */
static int64_t wait_us(const struct relay *r, struct dir *d)
{
	double ms = r->o.delay_ms;

	if (r->o.jitter_ms > 0)
		ms += r->o.normal ? r->o.jitter_ms * gauss(d)
				  : r->o.jitter_ms * (2 * uniform01(d) - 1);
	return ms > 0 ? (int64_t)(ms * 1000) : 0;
}

/* Queue a copy to go out at `release`.  false when there is no room. */
static bool enqueue(struct relay *r, struct dir *d, const uint8_t *p,
		    size_t len, uint64_t in_no, int64_t release,
		    enum kind kind)
{
	struct held h = {.dir = d, .len = len, .in_no = in_no, .kind = kind,
			 .release = release, .order = r->order++};

	if (r->nheld >= r->o.queue_max) {
		d->overflow++;
		return false;
	}
	h.data = malloc(len ? len : 1);
	if (!h.data) {
		d->overflow++;
		return false;
	}
	memcpy(h.data, p, len);
	if (!heap_push(r, h)) {
		free(h.data);
		d->overflow++;
		return false;
	}
	return true;
}

/* When a copy that arrived at `now` goes out.  With --fifo the jitter
 * never lets a packet overtake an earlier one (it queues behind it); one
 * picked by --reorder is held back on its own, so the others overtake it
 * either way. */
static int64_t release_time(struct relay *r, struct dir *d, int64_t now)
{
	int64_t t = now + wait_us(r, d);

	if (r->o.fifo && t < d->last_release)
		t = d->last_release;
	if (chance(d, r->o.reorder))
		t += (int64_t)(r->o.reorder_ms * 1000);
	else
		d->last_release = t;
	return t;
}

/* An RTP or RTCP packet (RFC 7983: first byte 128..191)? */
static bool is_media(const uint8_t *p, size_t len)
{
	return len >= 12 && p[0] >= 128 && p[0] <= 191;
}

/* A forgery of an SRTP or SRTCP packet: 1 to 4 bytes flipped between the
 * header and what follows the payload (RTP: the 10-byte tag; RTCP: the
 * 4-byte SRTCP index and the tag), so that neither the sequence number
 * nor the index changes and only the tag check can refuse it.  false
 * when the packet has no such bytes. */
static bool forge(struct dir *d, uint8_t *p, size_t len)
{
	bool rtcp = p[1] >= 192 && p[1] <= 223;	/* as the receiver tells */
	size_t lo = rtcp ? 8 : 12, tail = rtcp ? 14 : 10, span, n;

	if (len <= lo + tail)
		return false;
	span = len - lo - tail;
	n = 1 + next64(d->irng) % 4;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = next64(d->irng);
		uint8_t flip = (uint8_t)(x >> 56);

		p[lo + (size_t)(x % span)] ^= flip ? flip : 0xff;
	}
	return true;
}

/* Count a copy queued `w` us after its arrival. */
static void note_delay(struct dir *d, int64_t w)
{
	d->held++;
	d->delay_sum += w / 1000.0;
	if (w / 1000.0 > d->delay_max)
		d->delay_max = w / 1000.0;
}

/* Queue a packet that got through: the packet, after its delay, with a
 * forgery just before it (--forge) and a replay --replay-ms after it
 * (--replay). */
static void hold(struct relay *r, struct dir *d, const uint8_t *p, size_t len,
		 uint64_t in_no, int64_t now)
{
	static uint8_t fake[PKT_MAX];
	int64_t t = release_time(r, d, now), w = t - now;
	bool media = is_media(p, len);

	if (media && ichance(d, r->o.forge) && len <= sizeof fake) {
		memcpy(fake, p, len);
		if (forge(d, fake, len))
			enqueue(r, d, fake, len, in_no, t, FORGED);
	}
	if (!enqueue(r, d, p, len, in_no, t, ORIGINAL))
		return;
	if (media && ichance(d, r->o.replay))
		enqueue(r, d, p, len, in_no,
			t + (int64_t)(r->o.replay_ms * 1000), REPLAYED);
	note_delay(d, w);
}

/* A packet arrived on d->in_fd from src; `learn`: replies to that side
 * (direction back) go to src from now on. */
static void arrive(struct relay *r, struct dir *d, struct dir *back,
		   const uint8_t *p, size_t len,
		   const struct sockaddr_storage *src, socklen_t slen,
		   bool learn)
{
	int64_t now = now_us();
	uint64_t in_no = d->next_in++;

	d->received++;
	d->bytes_in += len;
	if (learn) {
		memcpy(&back->to, src, slen);
		back->to_len = slen;
	}
	if (lose(r, d)) {
		d->lost++;
		return;
	}
	hold(r, d, p, len, in_no, now);
	if (chance(d, r->o.dup)) {	/* a second copy, its own delay */
		int64_t t = release_time(r, d, now);

		d->duplicated++;
		if (enqueue(r, d, p, len, in_no, t, ORIGINAL))
			note_delay(d, t - now);
	}
}

static void release(struct held *h)
{
	struct dir *d = h->dir;

	if (!d->to_len) {
		d->no_peer++;
	} else if (sendto(d->out_fd, h->data, h->len, 0,
			  (const struct sockaddr *)&d->to, d->to_len) < 0) {
		d->send_errors++;
	} else {
		d->sent++;
		d->bytes_out += h->len;
		if (h->kind == FORGED) {
			d->forged++;
		} else if (h->kind == REPLAYED) {
			d->replayed++;	/* not part of the stream's order */
		} else {
			if (d->any_sent && h->in_no < d->max_sent_in)
				d->reordered++;
			if (!d->any_sent || h->in_no > d->max_sent_in)
				d->max_sent_in = h->in_no;
			d->any_sent = true;
		}
	}
	free(h->data);
}

/* ---- sockets ------------------------------------------------------------ */

static int resolve(const char *host, const char *port,
		   struct sockaddr_storage *ss, socklen_t *len, bool passive)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *ai;
	int rc;

	if (passive)
		hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc) {
		fprintf(stderr, "udp_relay: %s:%s: %s\n", host ? host : "*",
			port, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* "host:port", "[v6]:port" */
static int resolve_hostport(const char *hp, struct sockaddr_storage *ss,
			    socklen_t *len)
{
	char host[256];
	const char *colon = strrchr(hp, ':');
	size_t n;

	if (!colon || colon == hp || (size_t)(colon - hp) >= sizeof host) {
		fprintf(stderr, "udp_relay: '%s': want HOST:PORT\n", hp);
		return -1;
	}
	n = (size_t)(colon - hp);
	if (hp[0] == '[' && colon[-1] == ']') {
		memcpy(host, hp + 1, n - 2);
		host[n - 2] = '\0';
	} else {
		memcpy(host, hp, n);
		host[n] = '\0';
	}
	return resolve(host, colon + 1, ss, len, false);
}

static int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int open_port(const char *bind_addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, buf = 4 << 20;

	if (resolve(bind_addr, port, &ss, &len, true) < 0)
		return -1;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0) {
		fprintf(stderr, "udp_relay: bind %s:%s: %s\n", bind_addr, port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Bursts of held packets go out at once: room for them. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	return fd;
}

/* Read everything waiting on d->in_fd. */
static void drain(struct relay *r, struct dir *d, struct dir *back,
		  bool learn)
{
	static uint8_t buf[PKT_MAX];

	for (;;) {
		struct sockaddr_storage src;
		socklen_t slen = sizeof src;
		ssize_t n = recvfrom(d->in_fd, buf, sizeof buf, 0,
				     (struct sockaddr *)&src, &slen);

		if (n < 0)
			return;	/* EAGAIN, or an ICMP error: nothing to do */
		arrive(r, d, back, buf, (size_t)n, &src, slen, learn);
	}
}

/* ---- output ------------------------------------------------------------- */

static void print_dir(const struct dir *d)
{
	printf("\"%s\":{\"received\":%llu,\"sent\":%llu,\"lost\":%llu,"
	       "\"duplicated\":%llu,\"reordered\":%llu,\"forged\":%llu,"
	       "\"replayed\":%llu,\"overflow\":%llu,"
	       "\"no_peer\":%llu,\"send_errors\":%llu,\"bytes_in\":%llu,"
	       "\"bytes_out\":%llu,\"delay_ms\":{\"mean\":%.3f,\"max\":%.3f}}",
	       d->name, (unsigned long long)d->received,
	       (unsigned long long)d->sent, (unsigned long long)d->lost,
	       (unsigned long long)d->duplicated,
	       (unsigned long long)d->reordered,
	       (unsigned long long)d->forged,
	       (unsigned long long)d->replayed,
	       (unsigned long long)d->overflow,
	       (unsigned long long)d->no_peer,
	       (unsigned long long)d->send_errors,
	       (unsigned long long)d->bytes_in,
	       (unsigned long long)d->bytes_out,
	       d->held ? d->delay_sum / (double)d->held : 0.0, d->delay_max);
}

static void print_stats(const struct relay *r)
{
	printf("{\"seed\":%llu,\"port_a\":%d,\"port_b\":%d,"
	       "\"elapsed_s\":%.3f,\"held\":%zu,",
	       (unsigned long long)r->o.seed, port_of(r->ab.in_fd),
	       port_of(r->ba.in_fd), (now_us() - r->start) / 1e6, r->nheld);
	print_dir(&r->ab);
	printf(",");
	print_dir(&r->ba);
	printf("}\n");
	fflush(stdout);
}

/* ---- main loop ---------------------------------------------------------- */

static int poll_timeout(const struct relay *r, int64_t now, int64_t end)
{
	int64_t next = r->nheld ? r->heap[0].release : -1;

	if (end && (next < 0 || end < next))
		next = end;
	if (next < 0)
		return -1;
	return next <= now ? 0 : (int)((next - now + 999) / 1000);
}

/* The stop signals are blocked except inside ppoll(), so one that comes
 * between the check of `stop` and the wait still wakes the wait. */
static void run(struct relay *r, const sigset_t *waitmask)
{
	int64_t end = r->o.duration > 0 ?
		      r->start + (int64_t)(r->o.duration * 1e6) : 0;

	while (!stop) {
		struct pollfd pfd[2] = {{.fd = r->ab.in_fd, .events = POLLIN},
					{.fd = r->ba.in_fd, .events = POLLIN}};
		int64_t now = now_us();
		int ms = poll_timeout(r, now, end);
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

		if (end && now >= end)
			break;
		if (ppoll(pfd, 2, ms < 0 ? NULL : &ts, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			perror("udp_relay: poll");
			break;
		}
		if (pfd[0].revents & POLLIN)
			drain(r, &r->ab, &r->ba, !r->o.peer_a);
		if (pfd[1].revents & POLLIN)
			drain(r, &r->ba, &r->ab, !r->o.peer_b);
		now = now_us();
		while (r->nheld && r->heap[0].release <= now) {
			struct held h = heap_pop(r);

			release(&h);
		}
	}
}

static void usage(FILE *f)
{
	fputs("usage: udp_relay -a PORT -b PORT [options]\n"
	      "  -a, --port-a PORT     side 1 sends here\n"
	      "  -b, --port-b PORT     side 2 sends here\n"
	      "      --bind ADDR       listen address (127.0.0.1)\n"
	      "      --peer-a H:P      side 1's address (else learned)\n"
	      "      --peer-b H:P      side 2's address (else learned)\n"
	      "      --loss PCT        packet loss, each direction\n"
	      "      --burst N         mean loss burst length (1)\n"
	      "      --delay MS        fixed delay\n"
	      "      --jitter MS       jitter (netem-like, see --dist)\n"
	      "      --dist uniform|normal\n"
	      "      --reorder PCT     hold packets back --reorder-ms more\n"
	      "      --reorder-ms MS   (40)\n"
	      "      --dup PCT         duplicate packets\n"
	      "      --forge PCT       send forged RTP/RTCP copies first\n"
	      "      --replay PCT      send RTP/RTCP packets again later\n"
	      "      --replay-ms MS    that much later (200)\n"
	      "      --fifo            never reorder by jitter\n"
	      "      --seed N          random seed (1)\n"
	      "      --duration SEC    stop after SEC seconds\n"
	      "      --queue N         packets held at most (100000)\n", f);
}

static int num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "udp_relay: bad number '%s' (%g..%g)\n", s, lo,
			hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"port-a", 1, 0, 'a'}, {"port-b", 1, 0, 'b'},
		{"bind", 1, 0, 'B'}, {"peer-a", 1, 0, 'p'},
		{"peer-b", 1, 0, 'q'}, {"loss", 1, 0, 'l'},
		{"burst", 1, 0, 'u'}, {"delay", 1, 0, 'd'},
		{"jitter", 1, 0, 'j'}, {"dist", 1, 0, 'D'},
		{"reorder", 1, 0, 'r'}, {"reorder-ms", 1, 0, 'R'},
		{"dup", 1, 0, 'U'}, {"forge", 1, 0, 'F'},
		{"replay", 1, 0, 'P'}, {"replay-ms", 1, 0, 'M'},
		{"fifo", 0, 0, 'f'}, {"seed", 1, 0, 's'},
		{"duration", 1, 0, 't'}, {"queue", 1, 0, 'Q'},
		{"help", 0, 0, 'h'}, {0, 0, 0, 0},
	};
	double v;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "a:b:h", lo, NULL)) != -1) {
		switch (c) {
		case 'a': o->port_a = optarg; break;
		case 'b': o->port_b = optarg; break;
		case 'B': o->bind = optarg; break;
		case 'p': o->peer_a = optarg; break;
		case 'q': o->peer_b = optarg; break;
		case 'l': bad |= num(optarg, 0, 100, &o->loss); break;
		case 'u': bad |= num(optarg, 1, 1e6, &o->burst); break;
		case 'd': bad |= num(optarg, 0, 60000, &o->delay_ms); break;
		case 'j': bad |= num(optarg, 0, 60000, &o->jitter_ms); break;
		case 'r': bad |= num(optarg, 0, 100, &o->reorder); break;
		case 'R': bad |= num(optarg, 0, 60000, &o->reorder_ms); break;
		case 'U': bad |= num(optarg, 0, 100, &o->dup); break;
		case 'F': bad |= num(optarg, 0, 100, &o->forge); break;
		case 'P': bad |= num(optarg, 0, 100, &o->replay); break;
		case 'M': bad |= num(optarg, 0, 60000, &o->replay_ms); break;
		case 'f': o->fifo = true; break;
		case 't': bad |= num(optarg, 0, 1e7, &o->duration); break;
		case 's':
			bad |= num(optarg, 0, 1.8e19, &v);
			o->seed = (uint64_t)v;
			break;
		case 'Q':
			bad |= num(optarg, 1, 1e8, &v);
			o->queue_max = (size_t)v;
			break;
		case 'D':
			o->normal = !strcmp(optarg, "normal");
			if (!o->normal && strcmp(optarg, "uniform")) {
				fprintf(stderr, "udp_relay: --dist uniform "
					"or normal\n");
				bad = -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: bad = -1;
		}
	}
	if (!bad && (!o->port_a || !o->port_b || optind != argc)) {
		usage(stderr);
		bad = -1;
	}
	return bad ? -1 : 0;
}

static int setup(struct relay *r)
{
	uint64_t x = r->o.seed;

	r->ab = (struct dir){.name = "a_to_b"};
	r->ba = (struct dir){.name = "b_to_a"};
	for (int i = 0; i < 4; i++)
		r->ab.rng[i] = splitmix(&x);
	for (int i = 0; i < 4; i++)
		r->ba.rng[i] = splitmix(&x);
	for (int i = 0; i < 4; i++)	/* after: a seed's losses stay */
		r->ab.irng[i] = splitmix(&x);
	for (int i = 0; i < 4; i++)
		r->ba.irng[i] = splitmix(&x);
	r->ab.in_fd = r->ba.out_fd = open_port(r->o.bind, r->o.port_a);
	if (r->ab.in_fd < 0)
		return -1;
	r->ba.in_fd = r->ab.out_fd = open_port(r->o.bind, r->o.port_b);
	if (r->ba.in_fd < 0)
		return -1;
	/* a_to_b delivers to side 2, b_to_a to side 1 */
	if (r->o.peer_b && resolve_hostport(r->o.peer_b, &r->ab.to,
					    &r->ab.to_len) < 0)
		return -1;
	if (r->o.peer_a && resolve_hostport(r->o.peer_a, &r->ba.to,
					    &r->ba.to_len) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static struct relay r = {.o = {.bind = "127.0.0.1", .burst = 1,
				       .reorder_ms = 40, .replay_ms = 200,
				       .seed = 1,
				       .queue_max = 100000}};
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t block, waitmask;

	if (parse_args(argc, argv, &r.o) < 0)
		return 2;
	if (setup(&r) < 0)
		return 1;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGHUP);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	r.start = now_us();
	fprintf(stderr, "udp_relay: ready a=%s:%d b=%s:%d seed=%llu\n",
		r.o.bind, port_of(r.ab.in_fd), r.o.bind, port_of(r.ba.in_fd),
		(unsigned long long)r.o.seed);
	run(&r, &waitmask);
	print_stats(&r);
	while (r.nheld) {
		struct held h = heap_pop(&r);

		free(h.data);
	}
	free(r.heap);
	close(r.ab.in_fd);
	close(r.ba.in_fd);
	return 0;
}
