/* views/shell_draw: the shell's drawing: tabs, the announcement banner,
 * the status and hint bars, the view area (see views/shell_int.h). */
#include "views/shell_int.h"
#include "views/callui.h"
#include "views/cmdline.h"
#include "views/diary.h"
#include "views/messages.h"
#include "views/theme.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "common/str.h"
#include "store/calls.h"
#include "store/messages.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- drawing -------------------------------------------------------------- */

static void draw_tabs(struct shell *sh)
{
	int x = 0;

	ui_text(stdscr, 0, 0, COLS, "", ui_attr(sh, UI_TABS));
	for (int i = 0; i < NTABS && x < COLS; i++) {
		const char *st = sh->tabs[i]->ops->status ?
			sh->tabs[i]->ops->status(sh->tabs[i]) : NULL;
		(void)st;
		char *t = xasprintf(" %d %s ", i + 1, sh->tabs[i]->title);
		attr_t a = i == sh->cur ? ui_attr(sh, UI_TAB_ACTIVE) |
						  (ui_attr(sh, UI_TABS) &
						   ~(attr_t)A_COLOR) :
					  ui_attr(sh, UI_TABS);
		if (i == sh->cur)
			a = ui_attr(sh, UI_TAB_ACTIVE);
		x += ui_puts(stdscr, 0, x, COLS - x, t, a);
		free(t);
		if (i + 1 < NTABS && x < COLS)
			x += ui_puts(stdscr, 0, x, COLS - x,
				     sh->ascii ? "|" : "\xe2\x94\x82",
				     ui_attr(sh, UI_TABS));
	}
}

/* "  |  3 unread  |  2 to send (1 refused)", or "". */
static char *messages_status(struct shell *sh)
{
	int64_t unread = messages_unread(sh->app->db, "inbox"), failed = 0;
	int64_t pending = sh->online ? online_msg_pending(sh->online,
							  &failed) : 0;
	char *u = unread ? xasprintf("  |  %lld unread", (long long)unread) :
			   xstrdup("");
	char *r;

	if (!pending)
		return u;
	if (pending > failed)
		r = xasprintf("%s  |  %lld to send%s", u,
			      (long long)(pending - failed),
			      failed ? ", some refused (see Sent)" : "");
	else
		r = xasprintf("%s  |  %lld refused (see Sent)", u,
			      (long long)failed);
	free(u);
	return r;
}

/* "Announcement: SUBJECT (tab 5)" while one is unread, else NULL. */
static char *banner_text(struct shell *sh)
{
	struct message *v;
	size_t n;
	char *t = NULL;

	if (messages_announcements(sh->app->db, time(NULL), &v, &n) < 0)
		return NULL;
	if (n) {
		char *s = msg_subject(&v[0]);
		char *more = n > 1 ? xasprintf(" (and %zu more)", n - 1) :
				     xstrdup("");
		t = xasprintf(" Announcement from %s: %s%s  (tab %d) ",
			      msg_from(&v[0]), s, more, MSG_TAB + 1);
		free(s);
		free(more);
	}
	messages_free(v, n);
	return t;
}

static void draw_status(struct shell *sh)
{
	char clock[16];
	time_t now = time(NULL);
	struct tm tm;
	struct view *v = sh->tabs[sh->cur];
	const char *vs = v->ops->status ? v->ops->status(v) : NULL;

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, sh->app->cfg.clock_24h ? "%H:%M" :
				      "%I:%M %p", &tm);
	const char *next = reminders_ui_status(sh->rem);
	int64_t missed = calls_unseen_missed(sh->app->db);
	char *calls = missed ? xasprintf("  |  %lld missed call%s",
					 (long long)missed,
					 missed == 1 ? "" : "s") : xstrdup("");
	char *msgs = messages_status(sh);
	const char *call = callui_status(sh);
	char *left = xasprintf(" confab %s %s%s%s%s%s%s%s%s%s",
			       sh->ascii ? "-" : "\xc2\xb7",
			       sh->profile ? sh->profile : "",
			       call ? "  |  " : "", call ? call : "",
			       vs ? "  |  " : "", vs ? vs : "",
			       next ? "  |  " : "", next ? next : "", calls,
			       msgs);
	free(calls);
	free(msgs);
	int y = LINES - 2;
	ui_text(stdscr, y, 0, COLS, left, ui_attr(sh, UI_STATUS));
	int cw = utf8_width(clock) + 1;
	if (COLS > cw + 10)
		ui_puts(stdscr, y, COLS - cw, cw, clock, ui_attr(sh, UI_STATUS));
	free(left);
}

static void draw_hints(struct shell *sh, int y)
{
	struct view *v = shell_top(sh);
	int x = 0;

	ui_text(stdscr, y, 0, COLS, "", ui_attr(sh, UI_HINT));
	const enum action *h = v->ops->hints;
	enum action globals[] = { A_HELP, A_QUIT, A_NONE };
	for (int pass = 0; pass < 2; pass++) {
		const enum action *list = pass ? globals : h;
		for (; list && *list != A_NONE && x < COLS; list++) {
			const struct key_action *ka = keys_info(*list);
			const char *key = "";
			enum key_ctx order[] = { v->ops->ctx, CTX_LIST,
						 CTX_GLOBAL };
			for (int c = 0; c < 3 && !*key; c++)
				if (c != 1 || v->ops->list_keys)
					key = keymap_first_key(sh->km, order[c],
							       *list);
			if (!ka || !*key)
				continue;
			x += ui_puts(stdscr, y, x, COLS - x, key,
				     ui_attr(sh, UI_HINT_KEY));
			char *lbl = xasprintf(":%s  ", ka->hint ? ka->hint :
						       ka->name);
			x += ui_puts(stdscr, y, x, COLS - x, lbl,
				     ui_attr(sh, UI_HINT));
			free(lbl);
		}
	}
}

static void draw_bottom(struct shell *sh)
{
	int y = LINES - 1;

	if (cmdline_active(sh->cmd)) {
		cmdline_draw(sh->cmd, stdscr, y, COLS);
		return;
	}
	if (sh->msg) {
		ui_text(stdscr, y, 0, COLS, sh->msg,
			ui_attr(sh, sh->msg_err ? UI_ERROR : UI_MESSAGE));
		return;
	}
	draw_hints(sh, y);
}

void shell_redraw(struct shell *sh)
{
	char *banner = LINES >= 10 ? banner_text(sh) : NULL;

	if ((banner != NULL) != (sh->banner != 0)) {
		sh->banner = banner ? 1 : 0;
		shell_make_vwin(sh);
		clearok(curscr, TRUE);
	}
	int vh = LINES - 3 - sh->banner;

	if (banner) {
		ui_text(stdscr, LINES - 3, 0, COLS, banner,
			ui_attr(sh, UI_MATCH) | A_REVERSE);
		free(banner);
	}
	if (LINES < 5 || COLS < 20) {
		erase();
		mvaddstr(0, 0, "window too small");
		refresh();
		return;
	}
	draw_tabs(sh);
	if (vh > 0) {
		werase(sh->vwin);
		struct view *v = sh->tabs[sh->cur];
		v->ops->draw(v, sh->vwin, vh, COLS);
		for (int i = 0; i < sh->nlayers; i++)
			sh->layers[i]->ops->draw(sh->layers[i], sh->vwin, vh,
						 COLS);
	}
	draw_status(sh);
	draw_bottom(sh);
	wnoutrefresh(stdscr);
	if (vh > 0)
		wnoutrefresh(sh->vwin);
	/* leave the cursor where text is being typed, else hide it */
	int cy, cx;
	if (cmdline_active(sh->cmd) && cmdline_cursor(sh->cmd, &cx)) {
		curs_set(1);
		wmove(stdscr, LINES - 1, cx);
		wnoutrefresh(stdscr);
	} else if (shell_top(sh)->ops->wants_text && shell_top(sh)->ops->wants_text(shell_top(sh))) {
		getyx(sh->vwin, cy, cx);
		curs_set(1);
		wmove(sh->vwin, cy, cx);
		wnoutrefresh(sh->vwin);
	} else {
		curs_set(0);
	}
	doupdate();
	sh->dirty = false;
}

void shell_flush(struct shell *sh)
{
	shell_redraw(sh);
}

void shell_make_vwin(struct shell *sh)
{
	if (sh->vwin)
		delwin(sh->vwin);
	int vh = LINES - 3 - sh->banner;
	sh->vwin = newwin(vh > 0 ? vh : 1, COLS > 0 ? COLS : 1, 1, 0);
	keypad(sh->vwin, TRUE);
}

