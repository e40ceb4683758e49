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

#include "bench_server_presence.h"
#include "bench_server_msg.h"

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
