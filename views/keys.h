/* views/keys: the one table of actions and the keys bound to them.
 *
 * Each action has a long name (the `:` command and the name used by `bind`
 * in confab.conf), a context, default keys, a help line and a short hint.
 * The same table drives key dispatch, the `?` help screen, the `:` command
 * completion, the hint bar, confab(1)'s key list (`confab keys --roff`)
 * and rebinding from the config file.
 */
#ifndef CONFAB_VIEWS_KEYS_H
#define CONFAB_VIEWS_KEYS_H

#include <stdbool.h>
#include <stddef.h>

enum key_ctx {
	CTX_GLOBAL,	/* everywhere unless a dialog takes the key */
	CTX_LIST,	/* any list: movement and search */
	CTX_CONTACTS,	/* the address book */
	CTX_BOOKS,	/* the address book chooser */
	CTX_CARD,	/* one contact's card */
	CTX_FORM,	/* edit forms */
	CTX_PAGER,	/* help, reports */
	CTX_DIARY,	/* the diary's month, week, day and agenda */
	CTX_APPT,	/* one appointment's details */
	CTX_CRM,	/* the CRM record list */
	CTX_CRM_RECORD,	/* one CRM record and its timeline */
	CTX_CALLS,	/* the call log */
	CTX_MONITOR,	/* the online monitor and the directory */
	CTX_USERS,	/* user admin: the company's accounts */
	CTX_PROFILE,	/* a user's profile */
	CTX_MESSAGES,	/* the Messages tab: folders and the list */
	CTX_MESSAGE,	/* one message in the reader */
	CTX_COMPOSE,	/* writing a message, announcement or reminder */
	CTX_CONFLICTS,	/* records changed here and on another machine */
	CTX_INCOMING,	/* the incoming-call pop-up */
	CTX_INCALL,	/* the call screen */
	CTX_COUNT
};

enum action {
	A_NONE = 0,
	/* global */
	A_QUIT, A_CLOSE, A_HELP, A_COMMAND, A_REDRAW, A_NEXT_TAB, A_PREV_TAB,
	A_TAB1, A_TAB2, A_TAB3, A_TAB4, A_TAB5, A_TAB6,
	/* lists */
	A_DOWN, A_UP, A_PAGE_DOWN, A_PAGE_UP, A_FIRST, A_LAST, A_OPEN,
	A_SEARCH, A_SEARCH_NEXT, A_SEARCH_PREV, A_CANCEL,
	/* address book */
	A_CONTACT_ADD, A_CONTACT_EDIT, A_CONTACT_DELETE, A_BOOK_CHOOSE,
	A_SORT, A_IMPORT, A_EXPORT, A_DETAIL_TOGGLE,
	/* book chooser */
	A_BOOK_ADD, A_BOOK_RENAME, A_BOOK_REMOVE,
	/* forms */
	A_FORM_NEXT, A_FORM_PREV, A_FORM_SAVE, A_FORM_LABEL,
	/* diary */
	A_DIARY_MONTH, A_DIARY_WEEK, A_DIARY_DAY, A_DIARY_AGENDA,
	A_DIARY_VIEW, A_DIARY_TODAY, A_DIARY_GOTO, A_DIARY_NEXT, A_DIARY_PREV,
	A_DAY_LEFT, A_DAY_RIGHT, A_DAY_UP, A_DAY_DOWN,
	A_APPT_ADD, A_APPT_EDIT, A_APPT_DELETE, A_DIARY_IMPORT,
	A_DIARY_EXPORT, A_REMINDERS,
	/* CRM (also from a contact, a card and a call) */
	A_CRM_RECORD, A_CRM_NOTE, A_CRM_ADD, A_CRM_EDIT, A_CRM_DELETE,
	A_CRM_FILTER, A_CRM_CONTACT, A_CRM_EXPORT,
	/* call log */
	A_CALL_BACK, A_CALL_MESSAGE, A_CALL_FILTER, A_CALL_CONTACT,
	/* online monitor, directory, sign-in */
	A_MON_MENU, A_MON_ADD, A_MON_ACCEPT, A_MON_DECLINE, A_MON_REMOVE,
	A_PRESENCE, A_DIRECTORY, A_SIGN_IN, A_SIGN_OUT, A_FORGOT, A_PROFILE,
	A_PROFILE_VIEW, A_USERS, A_COMPANY,
	/* user admin */
	A_USER_ADD, A_USER_EDIT, A_USER_PERMS, A_USER_DISABLE, A_USER_RESET,
	/* profile */
	A_PROFILE_EDIT, A_PASSWORD, A_PREFS, A_LOGO,
	/* messages */
	A_MSG_INBOX, A_MSG_SENT, A_MSG_TRASH, A_MSG_COMPOSE, A_MSG_REPLY,
	A_MSG_REPLY_ALL, A_MSG_FORWARD, A_MSG_EDIT, A_MSG_TOGGLE_READ,
	A_MSG_DELETE, A_MSG_PURGE, A_MSG_RESTORE, A_MSG_ANNOUNCE, A_MSG_REMIND,
	A_MSG_ACCEPT, A_MSG_DECLINE, A_MSG_NEXT, A_MSG_PREV,
	/* compose */
	A_MSG_COMPLETE, A_MSG_SEND, A_MSG_EDITOR,
	/* sync conflicts */
	A_CONFLICTS, A_RESOLVE_MINE, A_RESOLVE_THEIRS, A_RESOLVE_BOTH,
	/* calls */
	A_CALL, A_CALL_SCREEN, A_CALL_ANSWER, A_CALL_REJECT, A_CALL_BUSY,
	A_CALL_SILENCE, A_CALL_MUTE, A_CALL_HOLD, A_CALL_STATS,
	A_CALL_SWITCH, A_CALL_HANGUP, A_CALL_DEVICE,
	/* voice mail */
	A_VM_NEW, A_VM_PLAY, A_VM_BACK, A_VM_FWD,
	A_COUNT
};

struct key_action {
	enum action action;
	const char *name;	/* long name: `:name`, `bind KEY name` */
	enum key_ctx ctx;
	const char *keys;	/* default keys, space separated */
	const char *help;	/* one line for ? and the man page */
	const char *hint;	/* short label for the hint bar, or NULL */
};

extern const struct key_action keys_table[];
extern const size_t keys_count;

const char *keys_ctx_name(enum key_ctx ctx);
const struct key_action *keys_find_name(const char *name);
const struct key_action *keys_info(enum action a);

/* Parse a key name ("j", "C-l", "<Down>", "<F5>", "<Space>") into a
 * curses key code; -1 when unknown. */
int keys_parse(const char *name);
/* Display name of a key code ("j", "C-l", "Down"). Static buffer. */
const char *keys_name(int code);

/* Runtime keymap: defaults plus the user's bindings. */
struct keymap;
struct config;
/* Build from the defaults and config binds; errors (unknown key or action)
 * are appended to *errs as new strings. */
struct keymap *keymap_new(const struct config *cfg, char ***errs,
			  size_t *nerrs);
void keymap_free(struct keymap *km);
/* Action bound to `code` in ctx (no fallback to other contexts). */
enum action keymap_lookup(const struct keymap *km, enum key_ctx ctx,
			  int code);
/* Keys bound to an action in a context, as display text "j, Down";
 * static buffer. */
const char *keymap_keys_of(const struct keymap *km, enum key_ctx ctx,
			   enum action a);
/* First key of an action for the hint bar ("a"); static buffer. */
const char *keymap_first_key(const struct keymap *km, enum key_ctx ctx,
			     enum action a);
/* Add one binding at run time (`:bind`). */
int keymap_bind(struct keymap *km, const char *key, const char *action,
		char **err);

#endif
