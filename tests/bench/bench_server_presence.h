/* tests/bench/bench_server_presence.h: bench_server's presence figures
 * (2: fan-out of a presence change to long-polling watchers, 3: idle
 * long-polls and confabd's memory).  Header-only like bench_server.h;
 * bench_server.c includes it after its confabd and set-up helpers.
 */
#ifndef CONFAB_BENCH_SERVER_PRESENCE_H
#define CONFAB_BENCH_SERVER_PRESENCE_H

/* ---- 2. presence fan-out ----------------------------------------------------------- */

struct round {
	struct bench *b;
	struct hc *boss;
	double t0, post_ms;
	double *lat;
	size_t nlat, bad;
};

static void fanout_reply(struct hc *c, void *arg)
{
	struct round *r = arg;

	if (c == r->boss) {
		r->post_ms = (c->t_done - r->t0) * 1000;
		if (c->status != 200)
			r->bad++;
		return;
	}
	json_t *j = json_loadb(c->body, c->body_len, 0, NULL);
	json_t *ev = json_array_get(json_object_get(j, "events"), 0);
	const char *kind = json_string_value(json_object_get(ev, "kind"));
	if (c->status != 200 || !kind || strcmp(kind, "presence") != 0) {
		r->bad++;
	} else {
		r->lat[r->nlat++] = (c->t_done - r->t0) * 1000;
		r->b->w[c->id].cursor =
			json_integer_value(json_object_get(j, "cursor"));
	}
	json_decref(j);
}

static void bench_fanout(struct bench *b)
{
	static const char *const states[] = { "busy", "online", "away", "dnd" };
	struct hpool p;
	struct hc *hc = calloc(b->nw + 1, sizeof *hc), *boss = &hc[b->nw];
	struct round r = { .b = b, .boss = boss };
	double *all = calloc((size_t)b->rounds * b->nw, sizeof *all);
	double post_max = 0;
	size_t nall = 0;
	char name[96];

	r.lat = calloc(b->nw, sizeof *r.lat);
	if (!hc || !all || !r.lat || hpool_init(&p) < 0)
		abort();
	for (size_t i = 0; i <= b->nw; i++) {
		hc[i].id = i;
		if (hpool_add(&p, &hc[i], b->port) < 0) {
			perror("bench_server: connect");
			b->failed = true;
			goto out;
		}
	}
	for (int round = -1; round < b->rounds; round++) {
		for (size_t i = 0; i < b->nw; i++) {
			char path[96], *req;
			size_t len;
			snprintf(path, sizeof path, "/v1/events?cursor=%lld&"
				 "timeout=60", (long long)b->w[i].cursor);
			req = hc_format("GET", path, b->w[i].token, NULL, &len);
			if (hc[i].fd < 0 || hpool_send(&p, &hc[i], req, len) < 0)
				p.errors++;
			free(req);
		}
		if (!wait_held(b, (long)b->nw, 20)) {
			size_t closed = 0, early = 0;
			for (size_t i = 0; i < b->nw; i++) {
				closed += hc[i].fd < 0;
				early += hc[i].fd >= 0 && hc_read(&hc[i]) > 0;
			}
			fprintf(stderr, "bench_server: round %d: %zu connections "
				"closed, %zu answered early, %zu send errors\n",
				round, closed, early, p.errors);
			if (getenv("BENCH_SERVER_HOLD")) {	/* to attach a debugger */
				fprintf(stderr, "bench_server: holding confabd "
					"(pid %d)\n", (int)b->pid);
				sleep(600);
			}
			b->failed = true;
			goto out;
		}
		char body[64], *req;
		size_t len;
		snprintf(body, sizeof body, "{\"state\":\"%s\"}",
			 states[(round + 1) % 4]);
		req = hc_format("POST", "/v1/presence", b->boss_token, body,
				&len);
		r.nlat = r.bad = 0;
		r.t0 = bench_now();
		if (hpool_send(&p, boss, req, len) < 0)
			p.errors++;
		free(req);
		size_t left = hpool_run(&p, 20, fanout_reply, &r);
		if (left || r.bad || p.errors) {
			fprintf(stderr, "bench_server: fan-out round %d: %zu "
				"replies missing, %zu bad, %zu errors\n", round,
				left, r.bad, p.errors);
			b->failed = true;
			goto out;
		}
		qsort(r.lat, r.nlat, sizeof *r.lat, bench_cmp_double);
		printf("  round %d%s: POST answered in %.1f ms; events p50 "
		       "%.1f ms, p99 %.1f ms, last %.1f ms\n", round + 1,
		       round < 0 ? " (warm-up)" : "", r.post_ms,
		       bench_pct(r.lat, r.nlat, 50), bench_pct(r.lat, r.nlat,
		       99), r.lat[r.nlat - 1]);
		if (round < 0)
			continue;
		memcpy(all + nall, r.lat, r.nlat * sizeof *r.lat);
		nall += r.nlat;
		if (r.post_ms > post_max)
			post_max = r.post_ms;
	}
	qsort(all, nall, sizeof *all, bench_cmp_double);
	snprintf(name, sizeof name, "server: presence to %zu watchers p50",
		 b->nw);
	bench_figure(name, bench_pct(all, nall, 50), "ms", 0);
	snprintf(name, sizeof name, "server: presence to %zu watchers p99",
		 b->nw);
	bench_figure(name, bench_pct(all, nall, 99), "ms", T_FANOUT_P99);
	bench_figure("server: presence fan-out, slowest POST", post_max, "ms",
		     0);
out:
	for (size_t i = 0; i <= b->nw; i++)
		hc_close(&hc[i]);
	close(p.ep);
	free(hc);
	free(all);
	free(r.lat);
}

/* ---- 3. idle long-polls and memory ------------------------------------------------------ */

/* Informative: boss's presence to every one of the idle long-polls (each
 * watcher's clients all hear of it). */
static void idle_fanout(struct bench *b, struct hpool *p)
{
	struct hc boss = { .fd = -1 };
	struct round r = { .b = b, .boss = &boss };
	char name[96], *req;
	size_t len;

	r.lat = calloc(b->idle, sizeof *r.lat);
	if (!r.lat)
		abort();
	if (hpool_add(p, &boss, b->port) < 0)
		goto out;
	req = hc_format("POST", "/v1/presence", b->boss_token,
			"{\"state\":\"away\"}", &len);
	r.t0 = bench_now();
	if (hpool_send(p, &boss, req, len) < 0)
		p->errors++;
	free(req);
	size_t left = hpool_run(p, 30, fanout_reply, &r);
	if (left || r.bad || r.nlat == 0) {
		fprintf(stderr, "bench_server: presence to the idle long-polls: "
			"%zu replies missing, %zu bad\n", left, r.bad);
		b->failed = true;
		goto out;
	}
	qsort(r.lat, r.nlat, sizeof *r.lat, bench_cmp_double);
	printf("  boss's presence to all %zu of them: POST answered in %.1f "
	       "ms, last event after %.1f ms\n", r.nlat, r.post_ms,
	       r.lat[r.nlat - 1]);
	snprintf(name, sizeof name, "server: presence to %zuk long-polls p99",
		 b->idle / 1000);
	bench_figure(name, bench_pct(r.lat, r.nlat, 99), "ms", 0);
out:
	hc_close(&boss);
	free(r.lat);
}

static void bench_idle(struct bench *b)
{
	struct hpool p;
	struct hc *hc = calloc(b->idle, sizeof *hc);
	double rss0, rss, t0;
	char name[96];
	size_t i;

	if (!hc || hpool_init(&p) < 0)
		abort();
	stop_confabd(b);	/* a fresh process on the same data */
	if (start_confabd(b) < 0) {
		b->failed = true;
		goto out;
	}
	usleep(200000);
	rss0 = proc_kb(b->pid, "VmRSS") / 1024;
	t0 = bench_now();
	for (i = 0; i < b->idle; i++) {
		struct watcher *w = &b->w[i % b->nw];
		char path[96], *req;
		size_t len;
		snprintf(path, sizeof path, "/v1/events?cursor=%lld&timeout=60",
			 (long long)w->cursor);
		hc[i].id = i % b->nw;	/* its watcher */
		if (hpool_add(&p, &hc[i], b->port) < 0) {
			fprintf(stderr, "bench_server: connection %zu: %s\n", i,
				strerror(errno));
			break;
		}
		req = hc_format("GET", path, w->token, NULL, &len);
		if (hpool_send(&p, &hc[i], req, len) < 0)
			p.errors++;
		free(req);
	}
	/* all of them waiting in confabd, or as many as it took */
	long held = i < b->idle || !wait_held(b, (long)b->idle, 60) ?
		    waiting(b) : (long)b->idle;
	if (held < 0) {		/* no answer: count the sockets it took */
		held = proc_sockets(b->pid);
		printf("  confabd does not answer (its accept queue is full); "
		       "it has %ld sockets open\n", held);
	}
	double t_open = bench_now() - t0;
	rss = proc_kb(b->pid, "VmRSS") / 1024;
	snprintf(name, sizeof name, "server: idle long-polls held");
	figure_min(name, (double)held, "", (double)b->idle);
	if (held < (long)b->idle) {
		printf("  confabd took %ld of %zu long-polls (VmRSS %.1f MB); "
		       "see %s\n", held, b->idle, rss, b->log);
		goto out;
	}
	/* a reply now would be a long-poll not held */
	size_t early = b->idle - hpool_run(&p, 0.2, NULL, NULL);
	printf("  %zu long-polls (%zu users, %zu connections each) held "
	       "after %.1f s; confabd VmRSS %.1f MB (%.1f MB before)\n",
	       b->idle, b->nw, (b->idle + b->nw - 1) / b->nw, t_open, rss,
	       rss0);
	if (early) {
		fprintf(stderr, "bench_server: %zu long-polls answered or "
			"closed early\n", early);
		b->failed = true;
	}
	snprintf(name, sizeof name, "server: RSS with %zuk idle long-polls",
		 b->idle / 1000);
	bench_figure(name, rss, "MB", T_IDLE_RSS);
	snprintf(name, sizeof name, "server: memory per idle long-poll");
	bench_figure(name, (rss - rss0) * 1024 / (double)b->idle, "kB", 0);
	snprintf(name, sizeof name, "server: time to open %zuk long-polls",
		 b->idle / 1000);
	bench_figure(name, t_open, "s", 0);
	if (!early)
		idle_fanout(b, &p);
out:
	for (size_t k = 0; k < b->idle; k++)
		hc_close(&hc[k]);
	close(p.ep);
	free(hc);
}

#endif

