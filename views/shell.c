/* views/shell: tabs, status bar, hint bar, layers and the event loop. */
#include "views/shell_int.h"
#include "views/callui.h"
#include "views/cmdline.h"
#include "views/diary.h"
#include "views/messages.h"
#include "views/theme.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/callmgr.h"
#include "app/session.h"
#include "app/online.h"
#include "app/loop.h"
#include "common/log.h"
#include "common/paths.h"
#include "common/str.h"
#include "store/calls.h"
#include "store/messages.h"

#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct app *shell_app(struct shell *sh)
{
	return sh->app;
}

struct loop *shell_loop(struct shell *sh)
{
	return sh->loop;
}

struct reminders_ui *shell_reminders(struct shell *sh)
{
	return sh->rem;
}

struct callui *shell_calls(struct shell *sh)
{
	return sh->calls;
}

struct online *shell_online(struct shell *sh)
{
	return sh->online;
}

attr_t ui_attr(struct shell *sh, enum ui_color c)
{
	return sh->attrs[c];
}

bool ui_ascii(struct shell *sh)
{
	return sh->ascii;
}

const struct keymap *shell_keymap(struct shell *sh)
{
	return sh->km;
}

void shell_dirty(struct shell *sh)
{
	sh->dirty = true;
}

static void msg_expire(void *arg)
{
	struct shell *sh = arg;

	sh->msg_timer = 0;
	free(sh->msg);
	sh->msg = NULL;
	sh->dirty = true;
}

static void set_message(struct shell *sh, bool err, const char *fmt,
			va_list ap)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_vprintf(&b, fmt, ap);
	free(sh->msg);
	sh->msg = sbuf_take(&b);
	sh->msg_err = err;
	if (sh->msg_timer)
		loop_timer_cancel(sh->loop, sh->msg_timer);
	sh->msg_timer = loop_timer_in(sh->loop, err ? 2 * MESSAGE_MS :
					       MESSAGE_MS, msg_expire, sh);
	sh->dirty = true;
	if (err)
		log_info("ui", "error shown: %s", sh->msg);
}

void shell_message(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(sh, false, fmt, ap);
	va_end(ap);
}

void shell_error(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(sh, true, fmt, ap);
	va_end(ap);
}

void shell_push(struct shell *sh, struct view *v)
{
	if (sh->nlayers == MAX_LAYERS) {
		v->ops->free(v);
		return;
	}
	v->sh = sh;
	sh->layers[sh->nlayers++] = v;
	sh->dirty = true;
}

void shell_pop(struct shell *sh, struct view *v)
{
	for (int i = sh->nlayers - 1; i >= 0; i--) {
		if (sh->layers[i] != v)
			continue;
		memmove(&sh->layers[i], &sh->layers[i + 1],
			(size_t)(sh->nlayers - i - 1) * sizeof *sh->layers);
		sh->nlayers--;
		/* freed once the key that closed it is fully handled */
		if (sh->nclosed < MAX_LAYERS)
			sh->closed[sh->nclosed++] = v;
		else
			v->ops->free(v);
		break;
	}
	sh->dirty = true;
}

/* Who is signed in, and how the link is. */
static void load_profile(struct shell *sh)
{
	struct online *o = sh->online;

	free(sh->profile);
	if (!o || o->link == LINK_SIGNED_OUT) {
		sh->profile = xstrdup("local profile (not signed in)");
		return;
	}
	const char *host = strstr(o->s.server, "://");
	host = host ? host + 3 : o->s.server;
	switch (o->link) {
	case LINK_CONNECTING:
		sh->profile = xasprintf("%s @ %s (connecting)", o->s.user, host);
		break;
	case LINK_DOWN:
		sh->profile = xasprintf("%s @ %s (offline: retrying)", o->s.user,
					host);
		break;
	default:
		sh->profile = xasprintf("%s @ %s%s%s", o->s.user, host,
					!o->state ? "" : sh->ascii ? " - " :
					" \xc2\xb7 ", o->state ? o->state : "");
		break;
	}
}

void shell_reload(struct shell *sh)
{
	load_profile(sh);
	for (int i = 0; i < NTABS; i++)
		if (sh->tabs[i]->ops->reload)
			sh->tabs[i]->ops->reload(sh->tabs[i]);
	for (int i = 0; i < sh->nlayers; i++)
		if (sh->layers[i]->ops->reload)
			sh->layers[i]->ops->reload(sh->layers[i]);
	reminders_ui_reload(sh->rem);
	sh->dirty = true;
}

/* ---- actions -------------------------------------------------------------- */

static bool anything_unsaved(struct shell *sh)
{
	for (int i = 0; i < sh->nlayers; i++)
		if (sh->layers[i]->ops->unsaved &&
		    sh->layers[i]->ops->unsaved(sh->layers[i]))
			return true;
	for (int i = 0; i < NTABS; i++)
		if (sh->tabs[i]->ops->unsaved &&
		    sh->tabs[i]->ops->unsaved(sh->tabs[i]))
			return true;
	return false;
}

static void said_bye(void *arg, json_t *reply, const char *err)
{
	(void)reply, (void)err;
	*(bool *)arg = true;
}

/* Quitting: calls are hung up, and the server hears that this client is
 * gone, so that calls stop ringing here at once (2 s at most). */
static void shell_goodbye(struct shell *sh)
{
	struct callmgr *cm = callui_mgr(sh);
	int64_t until = loop_now_ms() + 2000;
	bool done = false;

	if (cm) {
		callmgr_hangup_all(cm);
		while (callmgr_pending(cm) > 0 && loop_now_ms() < until)
			loop_run_once(sh->loop);
	}
	callui_free(sh->calls);
	sh->calls = NULL;
	if (online_signed_in(sh->online) &&
	    online_bye(sh->online, said_bye, &done) > 0)
		while (!done && loop_now_ms() < until)
			loop_run_once(sh->loop);
}

static void quit_answer(void *arg, bool yes)
{
	struct shell *sh = arg;

	if (yes)
		sh->quit = true;
}

static void show_help(struct shell *sh)
{
	struct view *v = shell_top(sh);
	enum key_ctx ctxs[3] = { v->ops->ctx, CTX_LIST, CTX_GLOBAL };
	int nctx = v->ops->list_keys ? 3 : 2;
	struct sbuf b;

	if (v->ops->ctx == CTX_GLOBAL)
		nctx = 1, ctxs[0] = CTX_GLOBAL;
	sbuf_init(&b);
	sbuf_add(&b, "Keys for what is on screen. Rebind any of them in "
		     "confab.conf:\n    bind KEY ACTION\nand run an action by "
		     "name with :ACTION.\n");
	for (int c = 0; c < nctx; c++) {
		sbuf_printf(&b, "\n%s\n", keys_ctx_name(ctxs[c]));
		for (size_t i = 0; i < keys_count; i++) {
			const struct key_action *k = &keys_table[i];
			if (k->ctx != ctxs[c])
				continue;
			const char *keys = keymap_keys_of(sh->km, ctxs[c],
							  k->action);
			char *kk = xstrdup(*keys ? keys : "(unbound)");
			sbuf_printf(&b, "  %-24s %-16s %s\n", kk, k->name,
				    k->help);
			free(kk);
		}
	}
	sbuf_add(&b, "\nCommands on the : line: any action name above, "
		     "set NAME VALUE, bind KEY ACTION,\nunbind KEY, and the "
		     "CLI commands (contacts …, books …).\n");
	char *title = xasprintf("Help: %s", keys_ctx_name(v->ops->ctx));
	ui_pager(sh, title, sbuf_str(&b));
	free(title);
	sbuf_free(&b);
}

static void switch_tab(struct shell *sh, int i)
{
	if (i < 0 || i >= NTABS)
		return;
	sh->cur = i;
	sh->dirty = true;
}

/* Global actions, after the view had its chance. */
static bool global_action(struct shell *sh, enum action a)
{
	bool modal = sh->nlayers && shell_top(sh)->modal;

	switch (a) {
	case A_QUIT:
		if (callui_count(sh))
			ui_confirm(sh, "A call is in progress. Hang up and "
				   "quit?", quit_answer, sh);
		else if (anything_unsaved(sh))
			ui_confirm(sh, "You have unsaved changes. Quit anyway?",
				   quit_answer, sh);
		else
			sh->quit = true;
		return true;
	case A_CLOSE:
		if (sh->nlayers)
			shell_pop(sh, shell_top(sh));
		return true;
	case A_HELP:
		show_help(sh);
		return true;
	case A_COMMAND:
		cmdline_open(sh->cmd);
		sh->dirty = true;
		return true;
	case A_REDRAW:	/* also picks up changes made by other processes */
		online_refresh(sh->online);
		shell_reload(sh);
		clearok(curscr, TRUE);
		sh->dirty = true;
		return true;
	default:
		break;
	}
	if (modal)
		return false;
	switch (a) {
	case A_SIGN_IN:		/* `:sign-in` anywhere */
		signin_open(sh);
		return true;
	case A_SIGN_OUT:
		signout_ask(sh);
		return true;
	case A_FORGOT:
		password_reset_open(sh, NULL);
		return true;
	case A_PROFILE:
		profile_open(sh, NULL);
		return true;
	case A_USERS:
		users_open(sh);
		return true;
	case A_COMPANY:
		company_open(sh);
		return true;
	case A_CONFLICTS:
		conflicts_open(sh);
		return true;
	case A_CALL_SCREEN:
		callui_show(sh);
		return true;
	case A_NEXT_TAB: switch_tab(sh, (sh->cur + 1) % NTABS); return true;
	case A_PREV_TAB: switch_tab(sh, (sh->cur + NTABS - 1) % NTABS); return true;
	case A_TAB1: case A_TAB2: case A_TAB3: case A_TAB4: case A_TAB5:
	case A_TAB6:
		if (sh->nlayers)	/* leave cards and pagers behind */
			while (sh->nlayers)
				shell_pop(sh, shell_top(sh));
		switch_tab(sh, (int)(a - A_TAB1));
		return true;
	default:
		return false;
	}
}

bool shell_run_action(struct shell *sh, enum action a)
{
	struct view *v = shell_top(sh);
	struct ui_key k = { .action = a };

	if (v->ops->key && v->ops->key(v, &k)) {
		sh->dirty = true;
		return true;
	}
	return global_action(sh, a);
}

static enum action lookup(struct shell *sh, struct view *v, int code)
{
	if (code == '\r' || code == KEY_ENTER)
		code = '\n';
	enum action a = keymap_lookup(sh->km, v->ops->ctx, code);
	if (a == A_NONE && v->ops->list_keys)
		a = keymap_lookup(sh->km, CTX_LIST, code);
	if (a == A_NONE)
		a = keymap_lookup(sh->km, CTX_GLOBAL, code);
	return a;
}

static void handle_mouse(struct shell *sh)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & BUTTON4_PRESSED) {
		for (int i = 0; i < 3; i++)
			shell_run_action(sh, A_UP);
		return;
	}
	if (me.bstate & BUTTON5_PRESSED) {
		for (int i = 0; i < 3; i++)
			shell_run_action(sh, A_DOWN);
		return;
	}
	if (!(me.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
			   BUTTON1_PRESSED)))
		return;
	if (me.y == 0 && !sh->nlayers) {
		int x = 0;
		for (int i = 0; i < NTABS; i++) {
			char *t = xasprintf(" %d %s ", i + 1, sh->tabs[i]->title);
			int w = utf8_width(t) + 1;
			free(t);
			if (me.x >= x && me.x < x + w) {
				switch_tab(sh, i);
				return;
			}
			x += w;
		}
		return;
	}
	struct view *v = shell_top(sh);
	if (me.y >= 1 && me.y < LINES - 2 - sh->banner && v->ops->click) {
		v->ops->click(v, me.y - 1, me.x,
			      (me.bstate & BUTTON1_DOUBLE_CLICKED) != 0);
		sh->dirty = true;
	}
}

static void handle_key(struct shell *sh, int code, wint_t ch, bool is_key)
{
	struct view *v = shell_top(sh);
	bool text = !is_key && ch >= 32 && ch != 127;

	if (is_key && code == KEY_RESIZE) {
		shell_make_vwin(sh);
		clearok(curscr, TRUE);
		sh->dirty = true;
		return;
	}
	if (is_key && code == KEY_MOUSE) {
		handle_mouse(sh);
		return;
	}
	if (!is_key)
		code = (int)ch;
	if (cmdline_active(sh->cmd)) {
		cmdline_key(sh->cmd, code, ch, text);
		sh->dirty = true;
		return;
	}
	if (sh->msg && sh->msg_err) {	/* a key acknowledges an error */
		loop_timer_cancel(sh->loop, sh->msg_timer);
		msg_expire(sh);
	}
	struct ui_key k = { .code = code, .ch = ch, .is_text = text };
	if (text && v->ops->wants_text && v->ops->wants_text(v)) {
		if (v->ops->key(v, &k)) {
			sh->dirty = true;
			return;
		}
	}
	k.action = lookup(sh, v, code);
	if (v->ops->key && v->ops->key(v, &k)) {
		sh->dirty = true;
		return;
	}
	if (k.action != A_NONE && global_action(sh, k.action))
		return;
	if (k.action == A_NONE && !text && code == 27)
		return;
	if (k.action == A_NONE)
		shell_message(sh, "Key %s is not bound here; press ? for help",
			      keys_name(code));
}

static void free_closed(struct shell *sh)
{
	while (sh->nclosed) {
		struct view *v = sh->closed[--sh->nclosed];
		v->ops->free(v);
	}
}

static void on_stdin(void *arg, int fd, short revents)
{
	struct shell *sh = arg;
	wint_t ch;
	int r;

	(void)fd;
	if (revents & (POLLHUP | POLLERR)) {
		sh->quit = true;
		return;
	}
	while ((r = wget_wch(stdscr, &ch)) != ERR) {
		if (!(r == KEY_CODE_YES && ch == KEY_RESIZE))
			online_input(sh->online);
		handle_key(sh, (int)ch, ch, r == KEY_CODE_YES);
		free_closed(sh);
		if (sh->quit)
			break;
	}
}

static void clock_tick(void *arg)
{
	struct shell *sh = arg;
	time_t now = time(NULL);

	sh->dirty = true;
	sh->clock_timer = loop_timer_in(sh->loop,
					(60 - now % 60) * 1000 + 50,
					clock_tick, sh);
}

/* The link to the server changed: redraw, and say what happened. */
static void on_online(void *arg, const char *text, bool alert)
{
	struct shell *sh = arg;

	load_profile(sh);
	if (sh->tabs[1] && sh->tabs[1]->ops->reload)
		sh->tabs[1]->ops->reload(sh->tabs[1]);
	/* the mailbox: new messages, counts, reminders that came due */
	if (sh->tabs[MSG_TAB] && sh->tabs[MSG_TAB]->ops->reload)
		sh->tabs[MSG_TAB]->ops->reload(sh->tabs[MSG_TAB]);
	if (sh->tabs[0] && sh->tabs[0]->ops->reload && text)
		sh->tabs[0]->dirty = true;
	if (sh->online && sh->online->data_changed) {
		/* synced records changed here: every view shows them */
		sh->online->data_changed = false;
		shell_reload(sh);
	}
	if (text) {
		shell_message(sh, "%s", text);
		if (alert)
			shell_alert(sh, "confab", text);
	}
	sh->dirty = true;
}

/* ---- start and stop --------------------------------------------------------- */

/* Colours, line drawing and mouse from the config; problems are added
 * to *errs. */
static void apply_settings(struct shell *sh, char ***errs, size_t *nerrs)
{
	struct app *a = sh->app;
	bool color = !a->no_color && a->cfg.color && has_colors();

	if (color) {
		start_color();
		use_default_colors();
	}
	theme_apply(sh->attrs, &a->cfg, color, errs, nerrs);
	const char *cs = setlocale(LC_CTYPE, NULL);
	bool utf8 = cs && (strstr(cs, "UTF-8") || strstr(cs, "utf8"));
	sh->ascii = a->ascii || a->cfg.ascii || !utf8;
	sh->mouse = !a->no_mouse && a->cfg.mouse;
	mousemask(sh->mouse ? BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
			      BUTTON4_PRESSED | BUTTON5_PRESSED : 0, NULL);
	mouseinterval(200);
}

void shell_settings_changed(struct shell *sh)
{
	char **errs = NULL;
	size_t nerrs = 0;

	apply_settings(sh, &errs, &nerrs);
	if (nerrs)
		shell_error(sh, "%s", errs[0]);
	for (size_t i = 0; i < nerrs; i++)
		free(errs[i]);
	free(errs);
	clearok(curscr, TRUE);
	shell_reload(sh);
}

static void init_curses(struct shell *sh)
{
	struct app *a = sh->app;

	set_escdelay(25);
	initscr();
	cbreak();
	/* C-s saves forms: take it back from terminal flow control */
	struct termios tio;
	if (tcgetattr(0, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(0, TCSANOW, &tio);
		def_prog_mode();
	}
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	char **errs = NULL;
	size_t nerrs = 0;
	apply_settings(sh, &errs, &nerrs);
	sh->km = keymap_new(&a->cfg, &errs, &nerrs);
	shell_make_vwin(sh);
	/* report config problems once, on screen */
	for (size_t i = 0; i < a->cfg.nerrors; i++)
		log_warn("config", "%s", a->cfg.errors[i]);
	for (size_t i = 0; i < nerrs; i++)
		log_warn("config", "%s", errs[i]);
	if (a->cfg.nerrors)
		shell_error(sh, "%s%s", a->cfg.errors[0],
			    a->cfg.nerrors + nerrs > 1 ? " (more in the log)" : "");
	else if (nerrs)
		shell_error(sh, "%s%s", errs[0],
			    nerrs > 1 ? " (more in the log)" : "");
	for (size_t i = 0; i < nerrs; i++)
		free(errs[i]);
	free(errs);
}

int shell_run(struct app *a)
{
	struct shell sh = { .app = a };
	int saved_err = dup(2);

	/* Library chatter on stderr must not reach the screen: it goes to
	 * the log file instead. */
	char *logp = paths_join(a->data_dir, "confab.log");
	int lfd = open(logp, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	free(logp);
	if (lfd >= 0) {
		dup2(lfd, 2);
		close(lfd);
	}
	if (loop_new(&sh.loop) < 0) {
		dprintf(saved_err, "confab: cannot start the event loop\n");
		return 1;
	}
	init_curses(&sh);
	sh.cmd = cmdline_new(&sh);
	sh.tabs[0] = view_contacts_new(&sh);
	sh.online = online_new(a, sh.loop, on_online, &sh);
	sh.tabs[1] = view_monitor_new(&sh);
	sh.tabs[2] = view_diary_new(&sh);
	sh.tabs[3] = view_crm_new(&sh);
	sh.tabs[MSG_TAB] = view_messages_new(&sh);
	sh.tabs[5] = view_calls_new(&sh);
	for (int i = 0; i < NTABS; i++)
		sh.tabs[i]->sh = &sh;
	loop_add_fd(sh.loop, 0, POLLIN, on_stdin, &sh);
	clock_tick(&sh);
	sh.rem = reminders_ui_start(&sh);
	online_restart(sh.online);
	sh.calls = callui_new(&sh);
	load_profile(&sh);
	signin_first_start(&sh);
	sh.dirty = true;
	while (!sh.quit) {
		if (sh.dirty)
			shell_redraw(&sh);
		if (loop_run_once(sh.loop) < 0)
			break;
		/* a signal (SIGWINCH) may have queued a key without making
		 * stdin readable: collect it */
		on_stdin(&sh, 0, 0);
	}
	shell_goodbye(&sh);
	online_free(sh.online);
	sh.online = NULL;
	reminders_ui_stop(sh.rem);
	sh.rem = NULL;
	free(sh.profile);
	while (sh.nlayers)
		shell_pop(&sh, shell_top(&sh));
	free_closed(&sh);
	for (int i = 0; i < NTABS; i++)
		sh.tabs[i]->ops->free(sh.tabs[i]);
	cmdline_free(sh.cmd);
	delwin(sh.vwin);
	endwin();
	keymap_free(sh.km);
	free(sh.msg);
	loop_free(sh.loop);
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
	}
	return 0;
}

int shell_bind(struct shell *sh, const char *key, const char *action,
	       char **err)
{
	return keymap_bind(sh->km, key, action, err);
}
