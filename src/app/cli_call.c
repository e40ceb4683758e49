/* app/cli_call: `confab call USER` and `confab agent`, calls without the
 * interface.
 *
 * Both run the client's loop with a headless link to confabd (the event
 * stream and requests, app/online) and the call manager (app/callmgr):
 * `call` places one call and ends it after --duration seconds, at the end
 * of its --audio-in file, when the peer hangs up or at Ctrl-C; `agent`
 * waits for calls and, with --auto-answer, takes them (with --echo it
 * sends back what it hears: the sound-test contact).  Progress goes to
 * stdout one line per step; --stats-json writes each call's figures.
 */
#include "app/app.h"
#include "app/callmgr.h"
#include "app/cli.h"
#include "app/loop.h"
#include "app/online.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_NOANSWER 3
#define TICK_MS 100
#define READY_TIMEOUT_MS 15000
#define DRAIN_MS 5000
#define TAIL_MS 1000		/* after the input file ends */

struct cc {
	struct app *a;
	struct out *out;
	struct loop *l;
	struct online *o;
	struct callmgr *cm;
	struct callmgr_cfg cfg;
	bool agent, auto_answer, ready, quit;
	bool voicemail, leave_vm;	/* --voicemail; and it is needed */
	const char *user, *stats_path;
	double duration;	/* seconds after connection; 0: none */
	long count;		/* agent: exit after this many calls */
	long ended;
	int status;		/* exit status */
	struct cm_call *call;	/* `call`: ours */
	int64_t input_end_ms;	/* when the input file ran out */
	int64_t start_ms;
	int sfd;
	char *in, *out_dev;
	char *shown;		/* the call whose connection was printed */
	bool shown_held;	/* and that its peer holds it */
};

static void say(struct cc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct cc *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	out_printf(c->out, "%s\n", s);
	fflush(stdout);
	free(s);
}

/* --audio-in / --audio-out: "null", "pa:NAME", "file:PATH", or a WAV
 * file's path. */
static char *device_arg(const char *v)
{
	if (str_eq(v, "null") || strncmp(v, "pa:", 3) == 0 ||
	    strncmp(v, "file:", 5) == 0)
		return xstrdup(v);
	return xasprintf("file:%s", v);
}

static void write_stats(struct cc *c, struct cm_call *k)
{
	json_t *j;
	char *tmp;
	FILE *f;

	if (!c->stats_path)
		return;
	j = engine_stats_json(&k->stats);
	json_object_set_new(j, "call", json_pack(
		"{s:s?,s:s,s:s?,s:s,s:s,s:s?,s:I,s:s}", "id", k->id, "peer",
		k->peer, "peer_name", k->peer_name, "direction",
		k->outgoing ? "out" : "in", "outcome",
		calls_outcome_name(k->outcome), "reason", k->reason,
		"duration_s", (json_int_t)cm_call_seconds(k), "sas", k->sas));
	tmp = xasprintf("%s.tmp", c->stats_path);
	if (!(f = fopen(tmp, "w")) || json_dumpf(j, f, JSON_INDENT(2)) < 0 ||
	    fputc('\n', f) == EOF || fclose(f) != 0 ||
	    rename(tmp, c->stats_path) < 0)
		out_errorf(c->out, "cannot write %s: %s", c->stats_path,
			   strerror(errno));
	free(tmp);
	json_decref(j);
}

static void connected_line(struct cc *c, struct cm_call *k)
{
	struct engine_stats st;

	engine_stats(k->eng, &st);
	say(c, "connected %s %s %s-%s %s SAS %s",
	    st.path.relayed ? "relayed" : "direct", st.path.transport,
	    st.path.local_type, st.path.remote_type, st.path.remote, k->sas);
}

static void on_change(void *arg, struct cm_call *k)
{
	struct cc *c = arg;
	char *err = NULL;

	switch (k->state) {
	case CM_CALLING:
		say(c, "calling %s %s", k->peer, k->id);
		break;
	case CM_RINGING:
		say(c, "ringing");
		break;
	case CM_INCOMING:
		say(c, "incoming %s %s %s", k->peer, k->id,
		    k->peer_name ? k->peer_name : "");
		if (!c->auto_answer)
			break;
		for (struct cm_call *o = callmgr_calls(c->cm); o; o = o->next)
			if (o != k && o->answered_ms) {
				say(c, "busy: already in a call");
				callmgr_busy(c->cm, k);
				return;
			}
		if (callmgr_answer(c->cm, k, &err) < 0) {
			say(c, "cannot answer: %s", err);
			free(err);
		}
		break;
	case CM_CONNECTING:
		say(c, "answered SAS %s", k->sas);
		break;
	case CM_ACTIVE:
		if (!c->shown || strcmp(c->shown, k->id) != 0) {
			connected_line(c, k);	/* once per call */
			str_set(&c->shown, k->id);
			c->shown_held = false;
		}
		if (k->peer_held != c->shown_held) {
			say(c, "%s by %s", k->peer_held ? "held" : "resumed",
			    k->peer);
			c->shown_held = k->peer_held;
		}
		break;
	case CM_ENDED:
		say(c, "ended %s %llds %s", calls_outcome_name(k->outcome),
		    (long long)cm_call_seconds(k), k->reason ? k->reason : "");
		write_stats(c, k);
		c->ended++;
		if (k == c->call) {
			c->call = NULL;
			c->status = k->outcome == CALL_ANSWERED &&
				    k->answered_ms ? 0 :
				    k->unanswered ? EXIT_NOANSWER : 1;
			/* not there, or not answering: not declined */
			c->leave_vm = c->voicemail && k->unanswered &&
				      k->outcome != CALL_REJECTED &&
				      k->outcome != CALL_BUSY;
			if (c->status == 1)
				out_errorf(c->out, "%s", k->reason);
			c->quit = true;
		}
		if (c->agent && c->count && c->ended >= c->count)
			c->quit = true;
		break;
	default:
		break;
	}
}

static void on_link(void *arg, const char *text, bool alert)
{
	struct cc *c = arg;

	(void)alert;
	if (c->o && c->o->link == LINK_DOWN && text)
		log_info("cli", "%s", text);
}

/* ---- the ticker: readiness, duration, input end ------------------------------------- */

static void start(struct cc *c)
{
	char *err = NULL;

	c->ready = true;
	if (c->agent) {
		say(c, "ready %s", c->o->s.user);
		return;
	}
	if (!(c->call = callmgr_dial(c->cm, c->user, &err))) {
		out_errorf(c->out, "%s", err);
		free(err);
		c->status = 1;
		c->quit = true;
	}
}

static void tick(void *arg)
{
	struct cc *c = arg;
	int64_t now = loop_now_ms();

	loop_timer_in(c->l, TICK_MS, tick, c);
	if (!c->ready) {
		if (c->o->link == LINK_UP && c->o->cursor >= 0) {
			start(c);
		} else if (now - c->start_ms > READY_TIMEOUT_MS ||
			   c->o->link == LINK_SIGNED_OUT) {
			out_errorf(c->out, "cannot reach the server%s%s",
				   c->o->error ? ": " : "",
				   c->o->error ? c->o->error : "");
			c->status = 1;
			c->quit = true;
		}
		return;
	}
	struct cm_call *k = c->call;
	if (!k || !k->eng || k->state != CM_ACTIVE)
		return;
	if (c->duration > 0 &&
	    now - k->answered_ms >= (int64_t)(c->duration * 1000)) {
		callmgr_hangup(c->cm, k);
		return;
	}
	if (c->duration <= 0 && c->in && strncmp(c->in, "file:", 5) == 0 &&
	    engine_input_ended(k->eng)) {
		if (!c->input_end_ms)
			c->input_end_ms = now;
		else if (now - c->input_end_ms >= TAIL_MS)
			callmgr_hangup(c->cm, k);
	}
}

static void on_signal(void *arg, int fd, short revents)
{
	struct cc *c = arg;
	struct signalfd_siginfo si;

	(void)revents;
	if (read(fd, &si, sizeof si) != sizeof si)
		return;
	callmgr_hangup_all(c->cm);
	c->quit = true;
}

/* Agent commands on stdin, one per line: answer, reject, hangup, hold,
 * resume, quit. */
static void on_stdin(void *arg, int fd, short revents)
{
	struct cc *c = arg;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	char *err = NULL;

	(void)revents;
	if (n <= 0) {
		loop_remove_fd(c->l, fd);
		return;
	}
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		struct cm_call *k = callmgr_calls(c->cm);
		line = str_trim(line);
		if (strcmp(line, "quit") == 0) {
			while ((k = callmgr_calls(c->cm)))
				callmgr_hangup(c->cm, k);
			c->quit = true;
		} else if (!k) {
			say(c, "no call");
		} else if (strcmp(line, "answer") == 0) {
			if (callmgr_answer(c->cm, k, &err) < 0) {
				say(c, "cannot answer: %s", err);
				free(err);
			}
		} else if (strcmp(line, "reject") == 0 ||
			   strcmp(line, "hangup") == 0) {
			callmgr_hangup(c->cm, k);
		} else if (strcmp(line, "hold") == 0 ||
			   strcmp(line, "resume") == 0) {
			callmgr_hold(c->cm, k, line[0] == 'h');
			say(c, "%s", k->held ? "on hold" : "resumed");
		} else if (*line) {
			say(c, "commands: answer, reject, hangup, hold, "
			    "resume, quit");
		}
	}
}

static void said_bye(void *arg, json_t *reply, const char *err)
{
	(void)reply, (void)err;
	*(bool *)arg = true;
}

/* ---- running ----------------------------------------------------------------------------- */

static int run(struct cc *c)
{
	sigset_t mask;

	/* before any thread starts, so that only signalfd sees them */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	c->sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (loop_new(&c->l) < 0 || c->sfd < 0) {
		out_errorf(c->out, "cannot start the event loop");
		return 1;
	}
	c->o = online_new(c->a, c->l, on_link, c);
	c->o->headless = true;
	online_restart(c->o);
	if (!online_signed_in(c->o)) {
		out_errorf(c->out, "not signed in: confab login SERVER USER "
			   "first");
		online_free(c->o);
		loop_free(c->l);
		close(c->sfd);
		return 1;
	}
	c->cm = callmgr_new(c->a, c->o, &c->cfg, on_change, c);
	loop_add_fd(c->l, c->sfd, POLLIN, on_signal, c);
	if (c->agent && !isatty(0))
		loop_add_fd(c->l, 0, POLLIN, on_stdin, c);
	c->start_ms = loop_now_ms();
	loop_timer_in(c->l, 0, tick, c);
	while (!c->quit)
		if (loop_run_once(c->l) < 0)
			break;
	/* let the last requests (hang-up, candidates) reach the server,
	 * then say goodbye so that calls stop ringing here */
	int64_t until = loop_now_ms() + DRAIN_MS;
	while (callmgr_pending(c->cm) > 0 && loop_now_ms() < until)
		loop_run_once(c->l);
	bool bye = false;
	if (online_bye(c->o, said_bye, &bye) > 0)
		while (!bye && loop_now_ms() < until)
			loop_run_once(c->l);
	callmgr_free(c->cm);
	online_free(c->o);
	loop_free(c->l);
	close(c->sfd);
	return c->status;
}

static const struct option cli_call_opts[] = {
	{ "audio-in", required_argument, NULL, 'i' },
	{ "audio-out", required_argument, NULL, 'o' },
	{ "duration", required_argument, NULL, 'd' },
	{ "stats-json", required_argument, NULL, 's' },
	{ "auto-answer", no_argument, NULL, 'a' },
	{ "echo", no_argument, NULL, 'e' },
	{ "count", required_argument, NULL, 'n' },
	{ "frame-ms", required_argument, NULL, 'f' },
	{ "relay-only", no_argument, NULL, 'r' },
	{ "port", required_argument, NULL, 'p' },
	{ "dtx", no_argument, NULL, 'x' },
	{ "peer-via", required_argument, NULL, 'v' },
	{ "local-addr", required_argument, NULL, 'L' },
	{ "voicemail", no_argument, NULL, 'M' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cli_call_run(struct app *a, int argc, char **argv, struct out *o)
{
	struct cc c = { .a = a, .out = o, .agent = strcmp(argv[0],
							  "agent") == 0 };
	char *end;
	int ch, rc;

	callmgr_cfg_from_app(&c.cfg, a);
	if (c.agent)	/* headless: no sound card unless asked for */
		c.cfg.audio.input = c.cfg.audio.output = "null";
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", cli_call_opts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			free(c.in);
			c.in = device_arg(optarg);
			c.cfg.audio.input = c.in;
			break;
		case 'o':
			free(c.out_dev);
			c.out_dev = device_arg(optarg);
			c.cfg.audio.output = c.out_dev;
			break;
		case 'd':
			c.duration = strtod(optarg, &end);
			if (*end || !(c.duration > 0)) {
				out_errorf(o, "--duration takes seconds, not "
					   "'%s'", optarg);
				goto usage;
			}
			break;
		case 's':
			c.stats_path = optarg;
			break;
		case 'a':
			c.auto_answer = true;
			break;
		case 'e':
			c.cfg.echo = true;
			break;
		case 'n':
			c.count = strtol(optarg, &end, 10);
			if (*end || c.count < 1) {
				out_errorf(o, "--count takes a number of calls");
				goto usage;
			}
			break;
		case 'f':
			if (!str_eq(optarg, "10") && !str_eq(optarg, "20")) {
				out_errorf(o, "--frame-ms is 10 or 20");
				goto usage;
			}
			c.cfg.audio.frame_ms = atoi(optarg);
			break;
		case 'r':
			c.cfg.relay_only = true;
			break;
		case 'p':
			c.cfg.port_min = (unsigned)strtoul(optarg, &end, 10);
			if (*end || c.cfg.port_min < 1024 ||
			    c.cfg.port_min > 64535) {
				out_errorf(o, "--port takes a port from 1024 "
					   "to 64535");
				goto usage;
			}
			c.cfg.port_max = c.cfg.port_min + 999;
			break;
		case 'x':
			c.cfg.dtx = true;
			break;
		case 'v':
			c.cfg.peer_via = optarg;
			break;
		case 'L':
			c.cfg.local_addrs = optarg;
			break;
		case 'M':
			c.voicemail = true;
			break;
		case 'h':
			out_printf(o, "%s", app_cmd_find(argv[0])->usage);
			rc = 0;
			goto out;
		default:
			goto usage;
		}
	}
	if (!c.agent && (c.auto_answer || c.cfg.echo || c.count)) {
		out_errorf(o, "--auto-answer, --echo and --count are for "
			   "confab agent");
		goto usage;
	}
	if (c.agent && c.voicemail) {
		out_errorf(o, "--voicemail is for confab call");
		goto usage;
	}
	if (c.agent ? optind != argc : optind != argc - 1)
		goto usage;
	c.user = c.agent ? NULL : argv[optind];
	rc = run(&c);
	if (c.leave_vm && cli_voicemail_send(a, c.user, c.cfg.audio.input, 0,
					     o) != 0)
		rc = 1;
	goto out;
usage:
	out_errorf(o, "%s", app_cmd_find(argv[0])->usage);
	rc = EXIT_USAGE;
out:
	free(c.in);
	free(c.out_dev);
	free(c.shown);
	return rc;
}
