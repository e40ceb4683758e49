/* tests/bench/bench_server_msg.h: bench_server's message figures (4a:
 * a message to a long-polling recipient, 4b: sustained durable message
 * throughput).  Header-only like bench_server.h, since the Makefile
 * builds each tests/bench/bench_*.c on its own; bench_server.c includes
 * it after its confabd and set-up helpers (struct bench, figure(),
 * post(), login()), which it uses.
 */
#ifndef CONFAB_BENCH_SERVER_MSG_H
#define CONFAB_BENCH_SERVER_MSG_H

/* ---- 4. messages ------------------------------------------------------------------------ */

/* Words for subjects and bodies: messages of a realistic size and mix
 * (the server's work grows with the text it stores, indexes and sends). */
static const char *const msg_words[] = {
	"the", "meeting", "budget", "quarter", "client", "invoice", "please",
	"review", "attached", "figures", "tomorrow", "call", "order",
	"delivery", "warehouse", "contract", "renewal", "price", "discount",
	"team", "project", "deadline", "update", "report", "sales", "Leeds",
	"Manchester", "Friday", "Monday", "morning", "agenda", "minutes",
	"thanks", "regards", "could", "you", "send", "me", "an", "estimate",
	"for", "and", "of", "to", "in", "we", "need", "by", "next", "week",
	"customer", "complaint", "refund", "shipment", "supplier", "stock",
	"holiday", "rota", "training", "safety", "audit", "payroll", "visit",
};
#define NMSG_WORDS (sizeof msg_words / sizeof msg_words[0])

static uint64_t msg_rng = 0x853c49e6748fea9bull;

static unsigned msg_rand(unsigned n)
{
	msg_rng ^= msg_rng << 13;
	msg_rng ^= msg_rng >> 7;
	msg_rng ^= msg_rng << 17;
	return (unsigned)(msg_rng % n);
}

/* Appends `n` words (JSON-safe: the list has no quotes nor escapes). */
static size_t msg_words_put(char *out, size_t cap, unsigned n)
{
	size_t k = 0;

	for (unsigned i = 0; i < n && k + 16 < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? " " : "",
				      msg_words[msg_rand(NMSG_WORDS)]);
	return k;
}

/* One message object, {"to":[…],"subject","body","key"}, at out. */
static size_t msg_object(char *out, size_t cap, const char *to,
			 const char *key)
{
	char subj[128], body[1024];

	msg_words_put(subj, sizeof subj, 3 + msg_rand(5));
	msg_words_put(body, sizeof body, 20 + msg_rand(60));
	return (size_t)snprintf(out, cap, "{\"to\":[\"%s\"],\"subject\":\"%s\","
				"\"body\":\"%s\",\"key\":\"%s\"}", to, subj,
				body, key);
}

/* Like hpool_send(), for a request of any size: a batch of messages
 * can be larger than what a non-blocking send takes at once. */
static int pool_send(struct hpool *p, struct hc *c, const char *req,
		     size_t len)
{
	while (len) {
		ssize_t w = send(c->fd, req, len, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pf = { .fd = c->fd, .events = POLLOUT };
			if (poll(&pf, 1, 5000) <= 0)
				return -1;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		req += w;
		len -= (size_t)w;
	}
	c->busy = true;
	p->outstanding++;
	return 0;
}

/* ---- 4a. a message to a long-polling recipient ---------------------------------------- */

struct msglat {
	struct hc *poll, *post;
	double t0, post_ms, ev_ms;
	int poll_status, post_status;
	bool got_message;
	int64_t cursor;
};

static void msglat_reply(struct hc *c, void *arg)
{
	struct msglat *r = arg;

	if (c == r->post) {
		r->post_ms = (c->t_done - r->t0) * 1000;
		r->post_status = c->status;
		return;
	}
	r->ev_ms = (c->t_done - r->t0) * 1000;
	r->poll_status = c->status;
	json_t *j = json_loadb(c->body, c->body_len, 0, NULL), *ev;
	size_t i;
	json_array_foreach(json_object_get(j, "events"), i, ev) {
		const char *kind = json_string_value(json_object_get(ev,
								     "kind"));
		r->got_message |= kind && strcmp(kind, "message") == 0;
	}
	if (json_is_integer(json_object_get(j, "cursor")))
		r->cursor = json_integer_value(json_object_get(j, "cursor"));
	json_decref(j);
}

static void bench_msglat(struct bench *b)
{
	struct hpool p;
	struct hc hc[2] = { { .fd = -1 }, { .fd = -1 } };
	struct msglat r = { .poll = &hc[0], .post = &hc[1] };
	double *ev = calloc((size_t)b->msg_rounds, sizeof *ev);
	double *post = calloc((size_t)b->msg_rounds, sizeof *post);
	size_t n = 0, stray = 0;
	char path[96], body[1400], key[48], *req;
	size_t len;

	if (!ev || !post || hpool_init(&p) < 0)
		abort();
	if ((r.cursor = cursor_now(b, b->boss_token)) < 0 ||
	    hpool_add(&p, &hc[0], b->port) < 0 ||
	    hpool_add(&p, &hc[1], b->port) < 0) {
		fprintf(stderr, "bench_server: message latency: no cursor or "
			"no connection\n");
		b->failed = true;
		goto out;
	}
	printf("  %s sends boss a message while boss long-polls; %d rounds "
	       "after %d warm-up\n", b->w[0].name, b->msg_rounds, MSG_WARMUP);
	for (int round = -MSG_WARMUP; round < b->msg_rounds;) {
		long held0 = waiting(b);
		snprintf(path, sizeof path, "/v1/events?cursor=%lld&timeout=60",
			 (long long)r.cursor);
		req = hc_format("GET", path, b->boss_token, NULL, &len);
		if (hpool_send(&p, r.poll, req, len) < 0)
			p.errors++;
		free(req);
		if (p.errors || !wait_held(b, held0 + 1, 10)) {
			fprintf(stderr, "bench_server: message round %d: the "
				"long-poll is not held\n", round);
			b->failed = true;
			goto out;
		}
		snprintf(key, sizeof key, "lat-%d-%d", (int)getpid(), round);
		msg_object(body, sizeof body, "boss", key);
		req = hc_format("POST", "/v1/messages", b->w[0].token, body,
				&len);
		r.got_message = false;
		r.poll_status = r.post_status = 0;
		r.t0 = bench_now();
		if (hpool_send(&p, r.post, req, len) < 0)
			p.errors++;
		free(req);
		size_t left = hpool_run(&p, 20, msglat_reply, &r);
		if (left || p.errors || r.poll_status != 200 ||
		    r.post_status != 201) {
			fprintf(stderr, "bench_server: message round %d: %zu "
				"replies missing, %zu errors, poll %d, POST "
				"%d\n", round, left, p.errors, r.poll_status,
				r.post_status);
			b->failed = true;
			goto out;
		}
		if (!r.got_message) {	/* answered by another event */
			if (++stray > 10) {
				fprintf(stderr, "bench_server: boss's polls "
					"keep answering without the "
					"message\n");
				b->failed = true;
				goto out;
			}
			continue;
		}
		if (round >= 0) {
			ev[n] = r.ev_ms;
			post[n++] = r.post_ms;
		}
		round++;
	}
	qsort(ev, n, sizeof *ev, bench_cmp_double);
	qsort(post, n, sizeof *post, bench_cmp_double);
	printf("  %zu messages delivered; event max %.2f ms, POST answered "
	       "p50 %.2f ms%s\n", n, ev[n - 1], bench_pct(post, n, 50),
	       stray ? " (some polls answered by other events, repeated)" :
	       "");
	bench_figure("server: message to long-poll p50", bench_pct(ev, n, 50),
		     "ms", 0);
	bench_figure("server: message to long-poll p99", bench_pct(ev, n, 99),
		     "ms", T_MSG_P99);
	bench_figure("server: message POST answered p99",
		     bench_pct(post, n, 99), "ms", 0);
out:
	hc_close(&hc[0]);
	hc_close(&hc[1]);
	close(p.ep);
	free(ev);
	free(post);
}

/* ---- 4b. sustained message throughput -------------------------------------------------- */

struct msgtput {
	struct bench *b;
	struct hpool *p;
	double end;		/* no request is sent after this */
	size_t per;		/* messages per request; 1: a single POST */
	size_t first;		/* connection i sends as watcher first + i */
	size_t acked, refused, sent_msgs, errors;
	double *t_sent;		/* per connection */
	double *lat;		/* per request, ms */
	size_t nlat, caplat;
	char *buf;		/* request body being built */
	size_t bufcap;
};

/* The next request of connection c (its sender: watcher first + c->id). */
static int msgtput_send(struct msgtput *t, struct hc *c)
{
	struct bench *b = t->b;
	struct watcher *from = &b->w[(t->first + c->id) % b->nw];
	size_t k = 0, len;
	char key[64], *req;

	if (t->per > 1)
		k += (size_t)snprintf(t->buf, t->bufcap, "{\"messages\":[");
	for (size_t i = 0; i < t->per; i++) {
		struct watcher *to = &b->w[msg_rand((unsigned)b->nw)];
		if (to == from)	/* not to oneself */
			to = &b->w[(t->first + c->id + 1) % b->nw];
		snprintf(key, sizeof key, "tp-%d-%llu", (int)getpid(),
			 (unsigned long long)b->msg_seq++);
		if (i)
			t->buf[k++] = ',';
		k += msg_object(t->buf + k, t->bufcap - k, to->name, key);
	}
	if (t->per > 1)
		k += (size_t)snprintf(t->buf + k, t->bufcap - k, "]}");
	req = hc_format("POST", "/v1/messages", from->token, t->buf, &len);
	t->t_sent[c->id] = bench_now();
	int rc = pool_send(t->p, c, req, len);
	free(req);
	if (rc == 0)
		t->sent_msgs += t->per;
	return rc;
}

static void msgtput_reply(struct hc *c, void *arg)
{
	struct msgtput *t = arg;

	if (t->nlat == t->caplat) {
		t->caplat = t->caplat ? t->caplat * 2 : 4096;
		t->lat = realloc(t->lat, t->caplat * sizeof *t->lat);
		if (!t->lat)
			abort();
	}
	t->lat[t->nlat++] = (c->t_done - t->t_sent[c->id]) * 1000;
	if (t->per == 1) {
		if (c->status == 201)
			t->acked++;
		else if (t->refused++ == 0)
			fprintf(stderr, "bench_server: a message was refused: "
				"%d %.*s\n", c->status, (int)c->body_len,
				c->body);
	} else {
		json_t *j = json_loadb(c->body, c->body_len, 0, NULL), *one;
		size_t i, n = 0;
		json_array_foreach(json_object_get(j, "results"), i, one) {
			json_int_t st = json_integer_value(json_object_get(
				one, "status"));
			n++;
			if (st == 201)
				t->acked++;
			else if (t->refused++ == 0)
				fprintf(stderr, "bench_server: a message of a "
					"batch was refused: %lld\n",
					(long long)st);
		}
		if (c->status != 200 || n != t->per) {
			t->errors++;
			fprintf(stderr, "bench_server: batch answered %d with "
				"%zu results\n", c->status, n);
		}
	}
	if (bench_now() < t->end && msgtput_send(t, c) < 0)
		t->errors++;
}

/* How many sent entries a user's mailbox holds, paged through as a
 * client pulls it; -1 when the pages do not come. */
static long long count_sent(struct bench *b, const char *token)
{
	long long since = 0, n = 0;
	bool more = true;

	while (more) {
		char path[96], *body;
		snprintf(path, sizeof path, "/v1/messages?since=%lld&"
			 "limit=5000", since);
		if (hc_call(&b->ctl, "GET", path, token, NULL, &body) != 200) {
			free(body);
			return -1;
		}
		json_t *j = json_loads(body, 0, NULL), *m;
		size_t i;
		free(body);
		if (!j)
			return -1;
		json_array_foreach(json_object_get(j, "messages"), i, m)
			n += json_is_true(json_object_get(m, "outgoing")) &&
			     !json_is_true(json_object_get(m, "purged"));
		more = json_is_true(json_object_get(j, "more"));
		since = json_integer_value(json_object_get(j, "rev"));
		json_decref(j);
	}
	return n;
}

/* Sent entries of watchers first… first + n - 1 (the senders), summed. */
static long long count_all_sent(struct bench *b, size_t first, size_t n)
{
	long long sum = 0;

	for (size_t i = 0; i < n; i++) {
		long long k = count_sent(b, b->w[(first + i) % b->nw].token);
		if (k < 0)
			return -1;
		sum += k;
	}
	return sum;
}

/* One run of S seconds, `per` messages a request, the senders from
 * watcher `first` on; false on failure. */
static bool msgtput_run(struct bench *b, size_t per, size_t first)
{
	size_t nc = b->msg_conns;
	struct hpool p;
	struct hc *hc = calloc(nc, sizeof *hc);
	struct msgtput t = { .b = b, .p = &p, .per = per, .first = first };
	char name[96];
	bool ok = false;

	t.t_sent = calloc(nc, sizeof *t.t_sent);
	t.bufcap = per * 1400 + 64;
	t.buf = malloc(t.bufcap);
	if (!hc || !t.t_sent || !t.buf || hpool_init(&p) < 0)
		abort();
	long long before = count_all_sent(b, first, nc);
	for (size_t i = 0; i < nc; i++) {
		hc[i].id = i;
		if (hpool_add(&p, &hc[i], b->port) < 0) {
			perror("bench_server: connect");
			goto out;
		}
	}
	double t0 = bench_now();
	t.end = t0 + b->msg_secs;
	for (size_t i = 0; i < nc; i++)
		if (msgtput_send(&t, &hc[i]) < 0)
			t.errors++;
	size_t left = hpool_run(&p, b->msg_secs + 60, msgtput_reply, &t);
	double dt = bench_now() - t0;
	if (left || p.errors || t.errors) {
		fprintf(stderr, "bench_server: message throughput: %zu replies "
			"missing, %zu errors\n", left, p.errors + t.errors);
		goto out;
	}
	long long after = count_all_sent(b, first, nc);
	bool match = before >= 0 && after - before == (long long)t.acked;
	qsort(t.lat, t.nlat, sizeof *t.lat, bench_cmp_double);
	printf("  %s: %zu messages sent in %zu requests over %.1f s from %zu "
	       "connections; %zu stored (201), %zu refused; request p50 %.1f "
	       "ms, p99 %.1f ms\n", per > 1 ? "batches" : "single POSTs",
	       t.sent_msgs, t.nlat, dt, nc, t.acked, t.refused,
	       bench_pct(t.lat, t.nlat, 50), bench_pct(t.lat, t.nlat, 99));
	printf("  verified: the senders' mailboxes hold %lld new sent "
	       "entries, %s the %zu acknowledged\n", after - before,
	       match ? "as many as" : "NOT", t.acked);
	if (!match || t.refused)
		goto out;
	if (per > 1) {
		snprintf(name, sizeof name, "server: messages stored/s, "
			 "batches of %zu", per);
		figure_min(name, (double)t.acked / dt, "/s", T_MSG_RATE);
		snprintf(name, sizeof name, "server: batch of %zu, POST p99",
			 per);
	} else {
		snprintf(name, sizeof name, "server: messages stored/s, "
			 "single POSTs");
		bench_figure(name, (double)t.acked / dt, "/s", 0);
		snprintf(name, sizeof name, "server: single message POST p99");
	}
	bench_figure(name, bench_pct(t.lat, t.nlat, 99), "ms", 0);
	ok = true;
out:
	for (size_t i = 0; i < nc; i++)
		hc_close(&hc[i]);
	close(p.ep);
	free(hc);
	free(t.t_sent);
	free(t.lat);
	free(t.buf);
	return ok;
}

static void bench_msgtput(struct bench *b)
{
	if (b->msg_conns > b->nw - 1)	/* each connection its own sender */
		b->msg_conns = b->nw - 1;
	/* Other senders for the second run: the server's work for a message
	 * grows with its sender's mailbox (the unread count), so the second
	 * run would pay for the first one's messages. */
	size_t second = b->nw >= 2 * b->msg_conns + 1 ? b->msg_conns + 1 : 1;

	printf("  %zu connections, each a sender of its own, %.0f s per run; "
	       "each message to one of %zu users\n", b->msg_conns,
	       b->msg_secs, b->nw);
	if (!msgtput_run(b, 1, 1))
		b->failed = true;
	if (!msgtput_run(b, b->msg_batch, second))
		b->failed = true;
	printf("  (the client's outbox sends messages in a row as one batch: "
	       "the batches' figure is the one the target is for)\n");
}

#endif
