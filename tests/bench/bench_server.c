/* tests/bench/bench_server: confabd under load (issue 4).
 *
 *   bench_server --confabd PATH --data DIR [--watchers N] [--idle N]
 *                [--rounds R] [--wrk PATH] [--wrk-args ARGS]
 *                [--only tput,fanout,idle,msglat,msgtput] [--threads N]
 *                [--msg-rounds R] [--msg-conns C] [--msg-batch B]
 *                [--msg-secs S]
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
 *  msglat  boss holds a GET /v1/events long-poll; w00000 sends boss a
 *          message (POST /v1/messages); the time from sending the POST
 *          to boss's poll reply carrying the "message" event, R rounds
 *          (--msg-rounds, default 500) after 5 warm-up: p50 and p99
 *          (target p99 <= 20 ms).  boss watches nobody, so no presence
 *          event can answer the poll instead.
 *  msgtput messages stored per second (the POST answered, so committed)
 *          over S seconds each (--msg-secs, default 10), C keep-alive
 *          connections (--msg-conns, default 32), each its own sender
 *          (not w00000, msglat's sender; other senders for each run),
 *          each sending its next request when the last is answered; each
 *          message to one user drawn from all of them, with its own key.
 *          First single-message POSTs, then batches of B (--msg-batch,
 *          default 100) as the client's outbox sends them; the target
 *          (>= 5,000 messages/s) is the batches' figure, what the client
 *          uses.  Afterwards every sender's mailbox is paged through
 *          (GET /v1/messages?since=) and its sent entries counted: they
 *          must equal the messages acknowledged, or the step fails.
 *  --only messages selects msglat and msgtput.
 *
 * confabd is started with its soft RLIMIT_NOFILE lowered to 1024 (what
 * systemd and most shells give), so it has to raise its own limit for the
 * 10k step; this program raises its own to the hard limit.
 */
#include "bench_server.h"

#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define T_REQS		20000.0	/* req/s, at least */
#define T_FANOUT_P99	50.0	/* ms */
#define T_IDLE_RSS	300.0	/* MB */
#define T_MSG_P99	20.0	/* ms, message POST to the recipient's poll */
#define T_MSG_RATE	5000.0	/* messages stored per second, at least */
#define MSG_WARMUP	5
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
	/* messages */
	int msg_rounds;
	size_t msg_conns, msg_batch;
	double msg_secs;
	uint64_t msg_seq;	/* keys: one series for every run */
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

/* ---- main ------------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: bench_server --confabd PATH --data DIR "
		"[--watchers N] [--idle N]\n"
		"                    [--rounds R] [--wrk PATH] [--wrk-args ARGS]"
		"\n                    [--only tput,fanout,idle,msglat,msgtput]"
		" [--threads N]\n"
		"                    [--msg-rounds R] [--msg-conns C] "
		"[--msg-batch B] [--msg-secs S]\n");
	exit(2);
}

/* Whether the --only list names `step` (whole names: "tput" is not
 * "msgtput"); "messages" stands for both message steps. */
static bool only_has(const char *only, const char *step)
{
	size_t n = strlen(step);

	for (const char *p = only; *p;) {
		size_t k = strcspn(p, ",");
		if ((k == n && strncmp(p, step, n) == 0) ||
		    (k == 8 && strncmp(p, "messages", 8) == 0 &&
		     strncmp(step, "msg", 3) == 0))
			return true;
		p += k + (p[k] == ',');
	}
	return false;
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
		{ "msg-rounds", required_argument, NULL, 'R' },
		{ "msg-conns", required_argument, NULL, 'C' },
		{ "msg-batch", required_argument, NULL, 'B' },
		{ "msg-secs", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .wrk = "/usr/bin/wrk", .wrk_args = "-t2 -c64 -d10s",
			   .nw = 1000, .idle = 10000, .rounds = 5,
			   .msg_rounds = 500, .msg_conns = 32,
			   .msg_batch = 100, .msg_secs = 10, .ctl.fd = -1 };
	const char *only = "tput,fanout,idle,msglat,msgtput";
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
		case 'R': b.msg_rounds = atoi(optarg); break;
		case 'C': b.msg_conns = strtoul(optarg, NULL, 10); break;
		case 'B': b.msg_batch = strtoul(optarg, NULL, 10); break;
		case 'S': b.msg_secs = atof(optarg); break;
		default: usage();
		}
	}
	/* a batch holds at most 500 (api_messages.c BATCH_MAX) */
	if (!b.confabd || !b.dir || b.nw < 2 || b.rounds < 1 ||
	    b.msg_rounds < 1 || b.msg_conns < 1 || b.msg_batch < 2 ||
	    b.msg_batch > 500 || b.msg_secs <= 0)
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
	if (only_has(only, "tput"))
		bench_tput(&b);
	if (only_has(only, "fanout"))
		bench_fanout(&b);
	/* before idle, which restarts confabd and leaves it 10k polls */
	if (only_has(only, "msglat"))
		bench_msglat(&b);
	if (only_has(only, "msgtput"))
		bench_msgtput(&b);
	if (only_has(only, "idle"))
		bench_idle(&b);
	stop_confabd(&b);
	for (size_t i = 0; i < b.nw; i++)
		free(b.w[i].token);
	free(b.w);
	free(b.admin_token);
	free(b.boss_token);
	return b.failed ? 1 : 0;
}
