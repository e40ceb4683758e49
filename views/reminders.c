/* views/reminders: diary reminders while confab runs, whatever is on
 * screen.
 *
 * One timer is set for the next reminder's fire time (store/reminders.c
 * finds it), so nothing polls.  When it fires: a status-bar alert, a
 * terminal bell (at most one per BELL_GAP), an OSC 777 notification if
 * `set notify_osc` (wrapped for tmux when inside it) and the user's
 * `notify_command`.  Reminders that came due while confab was closed are
 * listed once at start.  Each one shown is recorded, so none repeats.
 * The status bar's "Now:"/"Next:" text is refreshed each minute.
 */
#include "views/diary.h"
#include "views/ui.h"
#include "app/app.h"
#include "app/loop.h"
#include "store/diary.h"
#include "store/reminders.h"
#include "common/log.h"
#include "common/str.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MISSED_LOOKBACK (7 * 86400)	/* missed reminders listed at start */
#define HORIZON (8 * 86400)		/* how far ahead the timer looks */
#define RECHECK_MS (6LL * 3600 * 1000)	/* look again at least this often */
#define BELL_GAP 10			/* seconds between bells */

struct reminders_ui {
	struct shell *sh;
	int timer, tick;
	time_t last_bell;
	char status[160];
	struct sbuf shown;	/* this session's, for the `r` list */
};

static void when_text(struct shell *sh, const struct reminder_due *r,
		      char *buf, size_t n)
{
	time_t t = (time_t)r->start_utc;
	struct tm tm;

	localtime_r(&t, &tm);
	if (r->all_day)
		strftime(buf, n, "%a %e %b (all day)", &tm);
	else
		strftime(buf, n, shell_app(sh)->cfg.clock_24h ?
				 "%a %e %b %H:%M" : "%a %e %b %l:%M %p", &tm);
}

/* OSC 777, as urxvt, foot, kitty and others read it; inside tmux it is
 * passed through (needs tmux's allow-passthrough). */
static void osc_notify(const char *title, const char *body)
{
	char *clean_t = xstrdup(title), *clean_b = xstrdup(body), *seq;

	for (char *p = clean_t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == ';')
			*p = ' ';
	for (char *p = clean_b; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	if (getenv("TMUX"))
		seq = xasprintf("\033Ptmux;\033\033]777;notify;%s;%s\a\033\\",
				clean_t, clean_b);
	else
		seq = xasprintf("\033]777;notify;%s;%s\a", clean_t, clean_b);
	ssize_t k = write(STDOUT_FILENO, seq, strlen(seq));
	(void)k;
	free(seq);
	free(clean_t);
	free(clean_b);
}

/* The user's command with the title and text as $1 and $2; run detached
 * (double fork), so confab never waits for it. */
static void run_command(const char *cmd, const char *title, const char *body)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_warn("reminders", "cannot run notify_command: fork failed");
		return;
	}
	if (pid == 0) {
		if (fork() == 0) {
			char *line = xasprintf("%s \"$1\" \"$2\"", cmd);
			int null = open("/dev/null", O_RDWR);
			if (null >= 0) {
				dup2(null, 0);
				dup2(null, 1);
			}
			setsid();
			execl("/bin/sh", "sh", "-c", line, "confab", title, body,
			      (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* Bell (at most one per BELL_GAP), OSC 777 and the user's command, as
 * the config says: for reminders and for anything else that needs the
 * user's attention (shell_alert). */
static void notify(struct reminders_ui *r, const char *title,
		   const char *body)
{
	const struct config *cfg = &shell_app(r->sh)->cfg;
	time_t now = time(NULL);

	if (cfg->bell && now - r->last_bell >= BELL_GAP) {
		beep();
		r->last_bell = now;
	}
	if (cfg->notify_osc)
		osc_notify(title, body);
	if (!str_empty(cfg->notify_command))
		run_command(cfg->notify_command, title, body);
}

static void alert(struct reminders_ui *r, const struct reminder_due *d)
{
	struct shell *sh = r->sh;
	char when[64];

	when_text(sh, d, when, sizeof when);
	char *body = xasprintf("%s%s%s", str_trim(when), *d->location ? " at " :
			       "", d->location);
	shell_message(sh, "Reminder: %s, %s", d->title, body);
	sbuf_printf(&r->shown, "%s  %s, %s\n", "shown ", d->title, body);
	notify(r, d->title, body);
	free(body);
}

void shell_alert(struct shell *sh, const char *title, const char *body)
{
	struct reminders_ui *r = shell_reminders(sh);

	if (r)
		notify(r, title, body);
}

static void schedule(struct reminders_ui *r);

/* Show what is due now, then wait for the next one. */
static void check(struct reminders_ui *r)
{
	struct db *db = shell_app(r->sh)->db;
	int64_t now = (int64_t)time(NULL);
	struct reminder_due *v;
	size_t n;

	if (reminders_due(db, now - MISSED_LOOKBACK, now, &v, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			alert(r, &v[i]);
			reminders_mark_done(db, &v[i], now);
		}
		reminders_free(v, n);
	}
	schedule(r);
}

static void fire(void *arg)
{
	struct reminders_ui *r = arg;

	r->timer = 0;		/* this timer is done */
	check(r);
}

static void schedule(struct reminders_ui *r)
{
	int64_t now = (int64_t)time(NULL);
	int64_t next = reminders_next(shell_app(r->sh)->db, now, HORIZON);
	int64_t ms = next ? (next - now) * 1000 + 100 : RECHECK_MS;

	if (r->timer)
		loop_timer_cancel(shell_loop(r->sh), r->timer);
	if (ms > RECHECK_MS)
		ms = RECHECK_MS;
	if (ms < 0)
		ms = 0;
	r->timer = loop_timer_in(shell_loop(r->sh), ms, fire, r);
}

/* "Now: …" or "Next: … in 25m", from the week ahead. */
static void update_status(struct reminders_ui *r)
{
	int64_t now = (int64_t)time(NULL);
	struct occurrence *o;
	size_t n;

	r->status[0] = '\0';
	if (diary_range(shell_app(r->sh)->db, now - 86400, now + 7 * 86400, &o,
			&n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (o[i].all_day)
			continue;
		if (o[i].start_utc <= now && now < o[i].end_utc) {
			snprintf(r->status, sizeof r->status, "Now: %s",
				 o[i].title);
			break;
		}
		if (o[i].start_utc > now) {
			int64_t m = (o[i].start_utc - now + 59) / 60;
			char in[32];
			if (m < 60)
				snprintf(in, sizeof in, "in %lldm", (long long)m);
			else if (m < 24 * 60)
				snprintf(in, sizeof in, "in %lldh %02lldm",
					 (long long)(m / 60), (long long)(m % 60));
			else
				snprintf(in, sizeof in, "in %lldd",
					 (long long)((m + 720) / 1440));
			snprintf(r->status, sizeof r->status, "Next: %s %s",
				 o[i].title, in);
			break;
		}
	}
	occurrences_free(o, n);
}

static void tick(void *arg)
{
	struct reminders_ui *r = arg;
	time_t now = time(NULL);

	update_status(r);
	shell_dirty(r->sh);
	r->tick = loop_timer_in(shell_loop(r->sh), (60 - now % 60) * 1000 + 80,
				tick, r);
}

/* Reminders due while confab was closed: listed, then marked shown. */
static void show_missed(struct reminders_ui *r)
{
	struct db *db = shell_app(r->sh)->db;
	int64_t now = (int64_t)time(NULL);
	struct reminder_due *v;
	size_t n;
	struct sbuf b;

	if (reminders_due(db, now - MISSED_LOOKBACK, now - 60, &v, &n) < 0 ||
	    !n)
		return;
	sbuf_init(&b);
	sbuf_printf(&b, "%zu reminder%s came due while confab was closed:\n\n",
		    n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		char when[64];
		when_text(r->sh, &v[i], when, sizeof when);
		char *lead = v[i].minutes % 1440 == 0 && v[i].minutes ?
			xasprintf("%dd", v[i].minutes / 1440) :
			v[i].minutes % 60 == 0 && v[i].minutes ?
			xasprintf("%dh", v[i].minutes / 60) :
			xasprintf("%dm", v[i].minutes);
		sbuf_printf(&b, "  %s  %s%s%s  (%s%s)\n",
			    str_trim(when), v[i].title,
			    *v[i].location ? " at " : "", v[i].location,
			    v[i].minutes ? lead : "at the start",
			    v[i].minutes ? " before" : "");
		free(lead);
		sbuf_printf(&r->shown, "missed  %s, %s\n", v[i].title,
			    str_trim(when));
		reminders_mark_done(db, &v[i], now);
	}
	ui_pager(r->sh, "Missed reminders", sbuf_str(&b));
	shell_message(r->sh, "%zu missed reminder%s", n, n == 1 ? "" : "s");
	sbuf_free(&b);
	reminders_free(v, n);
}

struct reminders_ui *reminders_ui_start(struct shell *sh)
{
	struct reminders_ui *r = xcalloc(1, sizeof *r);

	r->sh = sh;
	sbuf_init(&r->shown);
	show_missed(r);
	check(r);
	tick(r);
	return r;
}

void reminders_ui_reload(struct reminders_ui *r)
{
	if (!r)
		return;
	update_status(r);
	check(r);	/* an edit may have made one due already */
}

const char *reminders_ui_status(struct reminders_ui *r)
{
	return r && r->status[0] ? r->status : NULL;
}

void reminders_ui_stop(struct reminders_ui *r)
{
	if (!r)
		return;
	if (r->timer)
		loop_timer_cancel(shell_loop(r->sh), r->timer);
	if (r->tick)
		loop_timer_cancel(shell_loop(r->sh), r->tick);
	sbuf_free(&r->shown);
	free(r);
}

void reminders_ui_show(struct shell *sh)
{
	struct reminders_ui *r = shell_reminders(sh);

	if (!r || !r->shown.len) {
		shell_message(sh, "No reminders yet this session");
		return;
	}
	ui_pager(sh, "Reminders this session", sbuf_str(&r->shown));
}
