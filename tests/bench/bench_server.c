/* tests/bench/bench_server: confabd under load (issue 4).
 *
 *   bench_server --confabd PATH --data DIR [--watchers N] [--idle N]
 *                [--rounds R] [--wrk PATH] [--wrk-args ARGS]
 *                [--only tput,fanout,idle] [--threads N]
 *
 * Starts a real confabd (the binary given, on 127.0.0.1 port 0, a fresh
 * data directory, password_cost = min so set-up is quick) and prepares it
 * through the API: an admin, a user "boss" and N watchers (default 1000),
 * each signed in, each watching boss (asked and accepted).  Then:
 *
 *  tput    authenticated GET throughput with keep-alive: wrk on GET /v1/me
 *          with a watcher's Bearer token (target >= 20,000 req/s); GET
 *          /v1/users/boss too (informative).
 *  fanout  every watcher holds a GET /v1/events long-poll; boss changes
 *          presence (POST /v1/presence); for each watcher the time from
 *          sending the POST to its reply carrying the event, R rounds
 *          (default 5) after one warm-up: p50 and p99 (target p99 <= 50 ms).
 *  idle    confabd restarted on the same data; --idle (default 10,000)
 *          long-polls held (the watchers' sessions, several connections
 *          each, as a user with several clients would); confabd's VmRSS
 *          (target <= 300 MB).
 *
 * confabd is started with its soft RLIMIT_NOFILE lowered to 1024 (what
 * systemd and most shells give), so it has to raise its own limit for the
 * 10k step; this program raises its own to the hard limit.
 */
#include "bench_server.h"

#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define T_REQS		20000.0	/* req/s, at least */
#define T_FANOUT_P99	50.0	/* ms */
#define T_IDLE_RSS	300.0	/* MB */
#define PASSWORD	"bench pass 1"
#define START_TIMEOUT	10.0

struct watcher {
	char name[16];
	char *token;
	int64_t cursor;
};

struct bench {
	const char *confabd, *dir, *wrk, *wrk_args;
	char conf[4096], data[4096], log[4096];
	pid_t pid;
	int port;
	struct hc ctl;		/* set-up and /metrics */
	char *admin_token, *boss_token;
	struct watcher *w;
	size_t nw, idle;
	int rounds, threads;
	bool failed;
};

/* ---- figures ------------------------------------------------------------------------- */

/* Like bench_figure(), for a figure that must be at least `target`. */
static void figure_min(const char *name, double value, const char *unit,
		       double target)
{
	const char *st = value >= target ? "met" : "NOT met";
	const char *rf = getenv("CONFAB_BENCH_RESULTS");

	printf("  %-44s %10.2f %-4s (target >= %g%s%s: %s)\n", name, value,
	       unit, target, *unit ? " " : "", unit, st);
	fflush(stdout);
	if (rf && *rf) {
		FILE *f = fopen(rf, "a");
		if (f) {
			fprintf(f, "%s|%.2f|%s|>= %g|%s\n", name, value, unit,
				target, st);
			fclose(f);
		}
	}
}

/* ---- confabd ------------------------------------------------------------------------ */

static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int run_admin(struct bench *b, const char *const *args)
{
	const char *argv[32];
	int n = 0, st;
	pid_t pid;

	argv[n++] = b->confabd;
	argv[n++] = "-c";
	argv[n++] = b->conf;
	argv[n++] = "-d";
	argv[n++] = b->data;
	argv[n++] = "admin";
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(b->confabd, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return 0;
}

static int start_confabd(struct bench *b)
{
	FILE *f;
	double end;

	unlink(b->log);
	if ((b->pid = fork()) < 0)
		return -1;
	if (b->pid == 0) {
		struct rlimit rl;
		int fd = open(b->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			_exit(127);
		dup2(fd, 2);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* as a service manager would start it */
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 1024) {
			rl.rlim_cur = 1024;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		execl(b->confabd, "confabd", "-c", b->conf, "-d", b->data, "-l",
		      "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	end = bench_now() + START_TIMEOUT;
	while (bench_now() < end) {
		char line[1024];
		if ((f = fopen(b->log, "r"))) {
			while (fgets(line, sizeof line, f)) {
				char *p = strstr(line, "(port ");
				if (strstr(line, "listening on") && p)
					b->port = atoi(p + 6);
			}
			fclose(f);
		}
		if (b->port > 0) {
			b->ctl.fd = -1;
			b->ctl.port = b->port;
			return 0;
		}
		if (waitpid(b->pid, NULL, WNOHANG) == b->pid)
			break;
		usleep(20000);
	}
	fprintf(stderr, "bench_server: confabd did not start (see %s)\n",
		b->log);
	return -1;
}

static void stop_confabd(struct bench *b)
{
	int st;

	hc_close(&b->ctl);
	if (b->pid <= 0)
		return;
	kill(b->pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(b->pid, &st, WNOHANG) == b->pid) {
			b->pid = 0;
			b->port = 0;
			return;
		}
		usleep(50000);
	}
	fprintf(stderr, "bench_server: confabd did not stop in 10 s; "
		"killed\n");
	kill(b->pid, SIGKILL);
	waitpid(b->pid, &st, 0);
	b->pid = 0;
	b->port = 0;
}

/* A field of /proc/PID/status, in kB. */
static double proc_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	double v = -1;
	size_t n = strlen(field);
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = atof(line + n + 1);
	fclose(f);
	return v;
}

/* How many sockets a process has open. */
static long proc_sockets(pid_t pid)
{
	char path[64], link[64];
	struct dirent *e;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d))) {
		ssize_t k = readlinkat(dirfd(d), e->d_name, link,
				       sizeof link - 1);
		if (k > 0) {
			link[k] = '\0';
			n += strncmp(link, "socket:", 7) == 0;
		}
	}
	closedir(d);
	return n;
}

/* confabd_longpolls_waiting from /metrics; -1 when it is not there. */
static long waiting(struct bench *b)
{
	char *body;
	long n = -1;

	if (hc_call(&b->ctl, "GET", "/metrics", NULL, NULL, &body) == 200) {
		const char *p = strstr(body, "\nconfabd_longpolls_waiting ");
		if (p)
			n = atol(p + 27);
	}
	free(body);
	return n;
}

/* Wait until confabd holds `n` long-polls (up to `timeout` s). */
static bool wait_held(struct bench *b, long n, double timeout)
{
	double end = bench_now() + timeout;
	long w = 0;

	while (bench_now() < end) {
		if ((w = waiting(b)) >= n)
			return true;
		if (w < 0) {	/* no gauge: give the server a moment */
			usleep(500000);
			return true;
		}
		usleep(10000);
	}
	fprintf(stderr, "bench_server: confabd holds %ld long-polls of %ld\n",
		w, n);
	return false;
}

/* ---- set-up through the API ------------------------------------------------------------ */

/* POST a JSON object (stolen); the status, and the reply when out. */
static int post(struct bench *b, const char *path, const char *token,
		json_t *o, json_t **out)
{
	char *body = json_dumps(o, JSON_COMPACT), *resp;
	int st = hc_call(&b->ctl, "POST", path, token, body, &resp);

	json_decref(o);
	free(body);
	if (out)
		*out = resp ? json_loads(resp, 0, NULL) : NULL;
	if (st < 200 || st >= 300)
		fprintf(stderr, "bench_server: POST %s: %d %s\n", path, st,
			resp ? resp : "");
	free(resp);
	return st;
}

static char *login(struct bench *b, const char *user)
{
	json_t *r = NULL;
	char *tok = NULL;

	if (post(b, "/v1/login", NULL, json_pack("{s:s,s:s}", "username",
		 user, "password", PASSWORD), &r) == 200) {
		const char *t = json_string_value(json_object_get(r, "token"));
		tok = t ? strdup(t) : NULL;
	}
	json_decref(r);
	return tok;
}

/* The current cursor of a token's event log. */
static int64_t cursor_now(struct bench *b, const char *token)
{
	char *body;
	int64_t c = -1;

	if (hc_call(&b->ctl, "GET", "/v1/events", token, NULL, &body) == 200) {
		json_t *j = json_loads(body, 0, NULL);
		c = json_integer_value(json_object_get(j, "cursor"));
		json_decref(j);
	}
	free(body);
	return c;
}

static int setup(struct bench *b)
{
	FILE *f;
	double t0 = bench_now();
	const char *init[] = { "init", "--company", "Bench Ltd", "--admin",
			       "admin", "--email", "admin@bench.test",
			       "--password-file", NULL, NULL };
	char pwfile[4200];

	snprintf(b->conf, sizeof b->conf, "%s/confabd.conf", b->dir);
	snprintf(b->data, sizeof b->data, "%s/data", b->dir);
	snprintf(b->log, sizeof b->log, "%s/confabd.log", b->dir);
	snprintf(pwfile, sizeof pwfile, "%s/password", b->dir);
	mkdir(b->dir, 0700);
	if (!(f = fopen(b->conf, "w")))
		return -1;
	fprintf(f, "password_cost = min\n");
	if (b->threads > 0)
		fprintf(f, "threads = %d\n", b->threads);
	fclose(f);
	if (!(f = fopen(pwfile, "w")))
		return -1;
	fprintf(f, "%s\n", PASSWORD);
	fclose(f);
	init[8] = pwfile;
	if (run_admin(b, init) < 0) {
		fprintf(stderr, "bench_server: confabd admin init failed in "
			"%s\n", b->data);
		return -1;
	}
	if (start_confabd(b) < 0)
		return -1;
	if (!(b->admin_token = login(b, "admin")))
		return -1;
	/* boss and the watchers */
	for (size_t i = 0; i <= b->nw; i++) {
		char name[16], email[48];
		if (i == b->nw)
			snprintf(name, sizeof name, "boss");
		else
			snprintf(name, sizeof name, "w%05zu", i);
		snprintf(email, sizeof email, "%s@bench.test", name);
		if (post(b, "/v1/users", b->admin_token, json_pack(
			 "{s:s,s:s,s:s,s:s}", "username", name, "email", email,
			 "name", name, "password", PASSWORD), NULL) != 201)
			return -1;
		if (i < b->nw)
			memcpy(b->w[i].name, name, sizeof name);
	}
	if (!(b->boss_token = login(b, "boss")))
		return -1;
	for (size_t i = 0; i < b->nw; i++) {
		if (!(b->w[i].token = login(b, b->w[i].name)) ||
		    post(b, "/v1/monitor", b->w[i].token, json_pack("{s:s}",
			 "user", "boss"), NULL) != 202 ||
		    post(b, "/v1/monitor/accept", b->boss_token, json_pack(
			 "{s:s}", "user", b->w[i].name), NULL) != 200 ||
		    (b->w[i].cursor = cursor_now(b, b->w[i].token)) < 0)
			return -1;
	}
	printf("  set-up: %zu users created, signed in and watching boss in "
	       "%.1f s (confabd pid %d, port %d)\n", b->nw + 2,
	       bench_now() - t0, (int)b->pid, b->port);
	return 0;
}

/* ---- 1. throughput with wrk ---------------------------------------------------------- */

/* "1.23ms" -> 1.23 (ms) */
static double wrk_ms(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (strncmp(end, "us", 2) == 0)
		return v / 1000;
	if (strncmp(end, "ms", 2) == 0)
		return v;
	if (*end == 's')
		return v * 1000;
	if (*end == 'm')
		return v * 60000;
	return v;
}

/* Run wrk on path; req/s, and latency p50/p99 in ms.  -1 on failure. */
static int wrk_run(struct bench *b, const char *path, double *rps,
		   double *p50, double *p99)
{
	char cmd[8192], line[512];
	FILE *f;
	bool bad = false;

	*rps = *p50 = *p99 = -1;
	snprintf(cmd, sizeof cmd, "'%s' %s --latency -H 'Authorization: Bearer"
		 " %s' http://127.0.0.1:%d%s 2>&1", b->wrk, b->wrk_args,
		 b->w[0].token, b->port, path);
	if (!(f = popen(cmd, "r")))
		return -1;
	while (fgets(line, sizeof line, f)) {
		char *p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, "Requests/sec:", 13) == 0)
			*rps = atof(p + 13);
		else if (strncmp(p, "50%", 3) == 0)
			*p50 = wrk_ms(p + 3 + strspn(p + 3, " "));
		else if (strncmp(p, "99%", 3) == 0)
			*p99 = wrk_ms(p + 3 + strspn(p + 3, " "));
		else if (strstr(p, "Non-2xx") || strstr(p, "Socket errors")) {
			fprintf(stderr, "bench_server: wrk: %s", p);
			bad = true;
		}
	}
	if (pclose(f) != 0 || bad || *rps < 0) {
		fprintf(stderr, "bench_server: wrk on %s failed\n", path);
		return -1;
	}
	return 0;
}

/* Informative: GET /v1/me again with --idle other connections open and
 * idle between requests (a client's API connection while its long-poll
 * waits elsewhere), which must not slow the others down. */
static void tput_idle_keepalive(struct bench *b)
{
	struct hpool p;
	struct hc *hc = calloc(b->idle, sizeof *hc);
	double rps, p50, p99;
	char name[96], *req;
	size_t len, i;

	if (!hc || hpool_init(&p) < 0)
		abort();
	req = hc_format("GET", "/healthz", NULL, NULL, &len);
	for (i = 0; i < b->idle; i++)
		if (hpool_add(&p, &hc[i], b->port) < 0 ||
		    hpool_send(&p, &hc[i], req, len) < 0)
			break;
	free(req);
	if (i < b->idle || hpool_run(&p, 30, NULL, NULL) || p.errors) {
		fprintf(stderr, "bench_server: %zu idle keep-alive connections: "
			"%zu opened, %zu errors\n", b->idle, i, p.errors);
		b->failed = true;
	} else if (wrk_run(b, "/v1/me", &rps, &p50, &p99) < 0) {
		b->failed = true;
	} else {
		snprintf(name, sizeof name, "server: GET /v1/me, %zuk idle "
			 "keep-alives open", b->idle / 1000);
		bench_figure(name, rps, "/s", 0);
	}
	for (i = 0; i < b->idle; i++)
		hc_close(&hc[i]);
	close(p.ep);
	free(hc);
}

static void bench_tput(struct bench *b)
{
	double rps, p50, p99;
	char name[128], boss[64];

	if (access(b->wrk, X_OK) != 0) {
		printf("  wrk not found at %s: throughput skipped (make deps "
		       "installs it)\n", b->wrk);
		b->failed = true;
		return;
	}
	printf("  wrk %s, keep-alive, Bearer token of one user\n", b->wrk_args);
	if (wrk_run(b, "/v1/me", &rps, &p50, &p99) < 0) {
		b->failed = true;
		return;
	}
	figure_min("server: GET /v1/me throughput", rps, "/s", T_REQS);
	bench_figure("server: GET /v1/me latency p50", p50, "ms", 0);
	bench_figure("server: GET /v1/me latency p99", p99, "ms", 0);
	snprintf(boss, sizeof boss, "/v1/users/boss");
	if (wrk_run(b, boss, &rps, &p50, &p99) < 0) {
		b->failed = true;
		return;
	}
	snprintf(name, sizeof name, "server: GET /v1/users/NAME throughput");
	bench_figure(name, rps, "/s", 0);
	bench_figure("server: GET /v1/users/NAME latency p99", p99, "ms", 0);
	tput_idle_keepalive(b);
}

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

/* ---- main ------------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: bench_server --confabd PATH --data DIR "
		"[--watchers N] [--idle N]\n"
		"                    [--rounds R] [--wrk PATH] [--wrk-args ARGS]"
		"\n                    [--only tput,fanout,idle] [--threads N]"
		"\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "confabd", required_argument, NULL, 'c' },
		{ "data", required_argument, NULL, 'd' },
		{ "watchers", required_argument, NULL, 'n' },
		{ "idle", required_argument, NULL, 'i' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "wrk", required_argument, NULL, 'w' },
		{ "wrk-args", required_argument, NULL, 'a' },
		{ "only", required_argument, NULL, 'o' },
		{ "threads", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .wrk = "/usr/bin/wrk", .wrk_args = "-t2 -c64 -d10s",
			   .nw = 1000, .idle = 10000, .rounds = 5,
			   .ctl.fd = -1 };
	const char *only = "tput,fanout,idle";
	int ch;

	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': b.confabd = optarg; break;
		case 'd': b.dir = optarg; break;
		case 'n': b.nw = strtoul(optarg, NULL, 10); break;
		case 'i': b.idle = strtoul(optarg, NULL, 10); break;
		case 'r': b.rounds = atoi(optarg); break;
		case 'w': b.wrk = optarg; break;
		case 'a': b.wrk_args = optarg; break;
		case 'o': only = optarg; break;
		case 't': b.threads = atoi(optarg); break;
		default: usage();
		}
	}
	if (!b.confabd || !b.dir || b.nw < 1 || b.rounds < 1)
		usage();
	if (access(b.confabd, X_OK) != 0) {
		fprintf(stderr, "bench_server: %s: %s\n", b.confabd,
			strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	b.w = calloc(b.nw, sizeof *b.w);
	if (!b.w)
		abort();
	if (setup(&b) < 0) {
		fprintf(stderr, "bench_server: set-up failed (confabd log: "
			"%s)\n", b.log);
		stop_confabd(&b);
		return 1;
	}
	if (strstr(only, "tput"))
		bench_tput(&b);
	if (strstr(only, "fanout"))
		bench_fanout(&b);
	if (strstr(only, "idle"))
		bench_idle(&b);
	stop_confabd(&b);
	for (size_t i = 0; i < b.nw; i++)
		free(b.w[i].token);
	free(b.w);
	free(b.admin_token);
	free(b.boss_token);
	return b.failed ? 1 : 0;
}
