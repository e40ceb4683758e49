/* views/ui: what every view shares — the view interface, colours, text
 * drawing measured in cells, and the shell's services (messages, layers,
 * prompts) that views call.
 */
#ifndef CONFAB_VIEWS_UI_H
#define CONFAB_VIEWS_UI_H

#include <stdbool.h>
#include <curses.h>
#include <wchar.h>
#include "views/keys.h"

struct app;
struct loop;
struct online;
struct callui;
struct reminders_ui;
struct shell;
struct view;

enum ui_color {
	UI_NORMAL, UI_TABS, UI_TAB_ACTIVE, UI_STATUS, UI_HINT, UI_HINT_KEY,
	UI_SELECTED, UI_HEADER, UI_ERROR, UI_MESSAGE, UI_BORDER, UI_MATCH,
	UI_DIM, UI_FIELD, UI_FIELD_ACTIVE, UI_TITLE,
	UI_ONLINE, UI_AWAY, UI_BUSY, UI_OFFLINE,	/* presence icons */
	UI_COLOR_COUNT
};

/* A key as the shell hands it to a view: `action` is what the keymap says
 * (A_NONE when unbound); `ch` is the character typed when `is_text`. */
struct ui_key {
	enum action action;
	int code;	/* curses key code or character */
	wint_t ch;
	bool is_text;	/* a printable character */
};

struct view_ops {
	const char *name;
	enum key_ctx ctx;	/* the view's own key context */
	bool list_keys;		/* also takes CTX_LIST keys */
	/* draw into w (h rows, cols columns), called when dirty */
	void (*draw)(struct view *v, WINDOW *w, int h, int cols);
	/* true when handled */
	bool (*key)(struct view *v, const struct ui_key *k);
	/* text keys go to the view before the keymap (forms, search) */
	bool (*wants_text)(struct view *v);
	/* a mouse click at (y, x) inside the view */
	void (*click)(struct view *v, int y, int x, bool dbl);
	/* something in the store changed: reload */
	void (*reload)(struct view *v);
	/* true when the view holds unsaved edits */
	bool (*unsaved)(struct view *v);
	void (*free)(struct view *v);
	const enum action *hints;	/* A_NONE-terminated */
	/* a short status for the view, e.g. "123 contacts" (may be NULL) */
	const char *(*status)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	struct shell *sh;
	const char *title;	/* tab title / layer title */
	bool dirty;
	bool modal;		/* layers: block global tab switching */
};

/* ---- shell services ---------------------------------------------------- */
struct app *shell_app(struct shell *sh);
struct loop *shell_loop(struct shell *sh);	/* timers, wakeups */
struct reminders_ui *shell_reminders(struct shell *sh);
/* The link to confabd (app/online.h): session, monitor, requests. */
struct online *shell_online(struct shell *sh);
/* The calls (views/callui.h). */
struct callui *shell_calls(struct shell *sh);
/* Something needs the user's attention: bell (rate-limited), OSC 777 and
 * notify_command as the config says (views/reminders.c). */
void shell_alert(struct shell *sh, const char *title, const char *body);
/* Transient message on the bottom line (errors in the error colour). */
void shell_message(struct shell *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void shell_error(struct shell *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Push a layer over the current view (the shell frees it when closed). */
void shell_push(struct shell *sh, struct view *v);
/* Close the top layer (v must be it). */
void shell_pop(struct shell *sh, struct view *v);
void shell_dirty(struct shell *sh);	/* redraw everything */
/* Tell every view the store changed. */
void shell_reload(struct shell *sh);
/* The configuration changed (`:set`): apply colours, mouse, sort. */
void shell_settings_changed(struct shell *sh);
attr_t ui_attr(struct shell *sh, enum ui_color c);
bool ui_ascii(struct shell *sh);
const struct keymap *shell_keymap(struct shell *sh);
/* Draw the screen now (for progress bars during long work). */
void shell_flush(struct shell *sh);
/* Run an action as if its key was pressed. */
bool shell_run_action(struct shell *sh, enum action a);
/* Bind (action != NULL) or unbind a key at run time. */
int shell_bind(struct shell *sh, const char *key, const char *action,
	       char **err);

/* Ask a yes/no question; cb runs with yes=true/false. */
typedef void (*ui_confirm_cb)(void *arg, bool yes);
void ui_confirm(struct shell *sh, const char *question, ui_confirm_cb cb,
		void *arg);
/* Ask for a line of text; cb runs with the text, or NULL on cancel. */
typedef void (*ui_prompt_cb)(void *arg, const char *text);
void ui_prompt(struct shell *sh, const char *question, const char *initial,
	       ui_prompt_cb cb, void *arg);
/* Choose one of n items; cb gets the index or -1. */
typedef void (*ui_menu_cb)(void *arg, int index);
void ui_menu(struct shell *sh, const char *title, const char *const *items,
	     int n, int selected, ui_menu_cb cb, void *arg);
/* The same with items shown dimmed and refused where off[i] (features
 * that are not available yet, or not to this user). */
void ui_menu_ex(struct shell *sh, const char *title,
		const char *const *items, const bool *off, int n, int selected,
		ui_menu_cb cb, void *arg);
/* For layers: q, Esc and the cancel action close v.  True when k did. */
bool ui_close_on(struct view *v, const struct ui_key *k);
/* Show text in a pager layer (help, reports). */
void ui_pager(struct shell *sh, const char *title, const char *text);

/* "Tab: next field  C-s: save…" for the given actions, with the keys
 * they are bound to now in ctx.  New string. */
char *ui_key_help(struct shell *sh, enum key_ctx ctx, const enum action *acts);

/* ---- drawing ------------------------------------------------------------- */
/* Draw s at (y, x) clipped to `width` cells and padded with spaces. */
void ui_text(WINDOW *w, int y, int x, int width, const char *s, attr_t a);
/* Like ui_text without padding; returns cells used. */
int ui_puts(WINDOW *w, int y, int x, int width, const char *s, attr_t a);
/* A horizontal rule / framed box using ACS or ASCII. */
void ui_hline(struct shell *sh, WINDOW *w, int y, int x, int width);
void ui_box(struct shell *sh, WINDOW *w, int y, int x, int h, int width,
	    const char *title);
/* A bar of `cells` cells, the first `filled` of them full (level meters,
 * progress): block characters, or "#" and "." with --ascii.  out needs
 * 3 bytes a cell and 1 more. */
void ui_bar(struct shell *sh, int filled, int cells, char *out, size_t cap);
/* The cells of `cells` a sound level fills, -60 dBFS (none) to 0 (all). */
int ui_level_cells(float dbfs, int cells);

#endif
