/* views/keys: the action table, key names and the keymap. */
#include "views/keys.h"
#include "views/shell.h"
#include "app/config.h"
#include "app/out.h"
#include "common/str.h"

#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define K_CTRL(c) ((c) & 0x1f)
#define K_ESC 27

const struct key_action keys_table[] = {
	{ A_QUIT, "quit", CTX_GLOBAL, "Q C-q", "quit confab (asks first if anything is unsaved)", "Quit" },
	{ A_CLOSE, "close", CTX_GLOBAL, "q", "close the current dialog, card or search", "Close" },
	{ A_HELP, "help", CTX_GLOBAL, "? <F1>", "show the keys for what is on screen", "Help" },
	{ A_COMMAND, "command", CTX_GLOBAL, ":", "enter a command (Tab completes)", NULL },
	{ A_REDRAW, "redraw", CTX_GLOBAL, "C-l", "redraw the screen and reload the data", NULL },
	{ A_NEXT_TAB, "next-tab", CTX_GLOBAL, "<Tab>", "go to the next tab", NULL },
	{ A_PREV_TAB, "prev-tab", CTX_GLOBAL, "<BackTab>", "go to the previous tab", NULL },
	{ A_TAB1, "tab-contacts", CTX_GLOBAL, "1", "go to the Address book", NULL },
	{ A_TAB2, "tab-monitor", CTX_GLOBAL, "2", "go to the Online monitor", NULL },
	{ A_TAB3, "tab-diary", CTX_GLOBAL, "3", "go to the Diary", NULL },
	{ A_TAB4, "tab-crm", CTX_GLOBAL, "4", "go to CRM", NULL },
	{ A_TAB5, "tab-messages", CTX_GLOBAL, "5", "go to Messages", NULL },
	{ A_TAB6, "tab-calls", CTX_GLOBAL, "6", "go to Call logs", NULL },
	{ A_CONFLICTS, "conflicts", CTX_GLOBAL, "!", "records changed here and on another machine: see both versions, choose", NULL },
	{ A_CALL_SCREEN, "call-screen", CTX_GLOBAL, "@", "show the call screen (calls in progress or ringing)", NULL },

	{ A_DOWN, "down", CTX_LIST, "j <Down> C-n", "move down", NULL },
	{ A_UP, "up", CTX_LIST, "k <Up> C-p", "move up", NULL },
	{ A_PAGE_DOWN, "page-down", CTX_LIST, "<PageDown> C-f <Space>", "move down a page", NULL },
	{ A_PAGE_UP, "page-up", CTX_LIST, "<PageUp> C-b", "move up a page", NULL },
	{ A_FIRST, "top", CTX_LIST, "g <Home>", "go to the first entry", NULL },
	{ A_LAST, "bottom", CTX_LIST, "G <End>", "go to the last entry", NULL },
	{ A_OPEN, "open", CTX_LIST, "<Enter> l", "open the selected entry", "Open" },
	{ A_SEARCH, "search", CTX_LIST, "/", "search (results show as you type)", "Search" },
	{ A_SEARCH_NEXT, "search-next", CTX_LIST, "n", "go to the next match", NULL },
	{ A_SEARCH_PREV, "search-prev", CTX_LIST, "N", "go to the previous match", NULL },
	{ A_CANCEL, "cancel", CTX_LIST, "<Esc>", "cancel: clear the search", "Cancel" },

	{ A_CONTACT_ADD, "add-contact", CTX_CONTACTS, "a", "add a contact", "Add" },
	{ A_CONTACT_EDIT, "edit-contact", CTX_CONTACTS, "e", "edit the selected contact", "Edit" },
	{ A_CONTACT_DELETE, "delete-contact", CTX_CONTACTS, "d <Delete>", "delete the selected contact", "Delete" },
	{ A_BOOK_CHOOSE, "choose-book", CTX_CONTACTS, "b", "choose, add, rename or remove address books", "Books" },
	{ A_SORT, "sort", CTX_CONTACTS, "s", "change the sort order", "Sort" },
	{ A_IMPORT, "import", CTX_CONTACTS, "i", "import vCard, CSV or a vdir", "Import" },
	{ A_EXPORT, "export", CTX_CONTACTS, "x", "export the shown contacts", "Export" },
	{ A_DETAIL_TOGGLE, "toggle-detail", CTX_CONTACTS, "v", "show or hide the detail pane", NULL },
	{ A_CALL, "call", CTX_CONTACTS, "c", "call the selected contact (a colleague with the contact's email)", "Call" },

	{ A_BOOK_ADD, "add-book", CTX_BOOKS, "a", "add an address book", "Add" },
	{ A_BOOK_RENAME, "rename-book", CTX_BOOKS, "r", "rename the selected address book", "Rename" },
	{ A_BOOK_REMOVE, "remove-book", CTX_BOOKS, "d", "remove the selected address book and its contacts", "Remove" },

	{ A_CONTACT_EDIT, "edit-contact", CTX_CARD, "e", "edit this contact", "Edit" },
	{ A_CALL, "call", CTX_CARD, "c", "call this contact", "Call" },
	{ A_CONTACT_DELETE, "delete-contact", CTX_CARD, "d", "delete this contact", "Delete" },

	{ A_FORM_NEXT, "next-field", CTX_FORM, "<Tab> <Down>", "go to the next field", "Next" },
	{ A_FORM_PREV, "prev-field", CTX_FORM, "<BackTab> <Up>", "go to the previous field", "Prev" },
	{ A_FORM_SAVE, "save", CTX_FORM, "C-s <F2>", "check and save the form", "Save" },
	{ A_FORM_LABEL, "cycle-label", CTX_FORM, "C-t", "change the label of a phone, email or address", "Label" },
	{ A_CANCEL, "cancel", CTX_FORM, "<Esc>", "leave the form (asks if changed)", "Cancel" },

	{ A_DOWN, "down", CTX_PAGER, "j <Down> <Enter>", "scroll down", NULL },
	{ A_UP, "up", CTX_PAGER, "k <Up>", "scroll up", NULL },
	{ A_PAGE_DOWN, "page-down", CTX_PAGER, "<PageDown> <Space> C-f", "scroll down a page", NULL },
	{ A_PAGE_UP, "page-up", CTX_PAGER, "<PageUp> C-b", "scroll up a page", NULL },
	{ A_FIRST, "top", CTX_PAGER, "g <Home>", "go to the top", NULL },
	{ A_LAST, "bottom", CTX_PAGER, "G <End>", "go to the end", NULL },
	{ A_SEARCH, "search", CTX_PAGER, "/", "find text", "Find" },
	{ A_SEARCH_NEXT, "search-next", CTX_PAGER, "n", "find the next match", NULL },
	{ A_SEARCH_PREV, "search-prev", CTX_PAGER, "N", "find the previous match", NULL },

	{ A_DIARY_MONTH, "month-view", CTX_DIARY, "M", "show the month", NULL },
	{ A_DIARY_WEEK, "week-view", CTX_DIARY, "W", "show the week", NULL },
	{ A_DIARY_DAY, "day-view", CTX_DIARY, "D", "show the day", NULL },
	{ A_DIARY_AGENDA, "agenda-view", CTX_DIARY, "A", "show the agenda (what is coming up)", NULL },
	{ A_DIARY_VIEW, "next-view", CTX_DIARY, "v", "cycle month, week, day and agenda", "View" },
	{ A_DIARY_TODAY, "today", CTX_DIARY, "t", "go to today", "Today" },
	{ A_DIARY_GOTO, "goto-date", CTX_DIARY, "g", "go to a date", "Go to" },
	{ A_DIARY_NEXT, "next-period", CTX_DIARY, "] > <PageDown>", "go to the next month, week or day", NULL },
	{ A_DIARY_PREV, "prev-period", CTX_DIARY, "[ < <PageUp>", "go to the previous month, week or day", NULL },
	{ A_DAY_LEFT, "day-left", CTX_DIARY, "h <Left>", "select the day before", NULL },
	{ A_DAY_RIGHT, "day-right", CTX_DIARY, "l <Right>", "select the day after", NULL },
	{ A_DAY_UP, "select-up", CTX_DIARY, "k <Up>", "move up (the week before in the month)", NULL },
	{ A_DAY_DOWN, "select-down", CTX_DIARY, "j <Down>", "move down (the week after in the month)", NULL },
	{ A_OPEN, "open", CTX_DIARY, "<Enter>", "open the selected appointment", "Open" },
	{ A_APPT_ADD, "add-appointment", CTX_DIARY, "a", "add an appointment on the selected day", "Add" },
	{ A_APPT_EDIT, "edit-appointment", CTX_DIARY, "e", "edit the selected appointment", "Edit" },
	{ A_APPT_DELETE, "delete-appointment", CTX_DIARY, "d <Delete>", "delete the selected appointment (or one occurrence)", "Delete" },
	{ A_DIARY_IMPORT, "import-ics", CTX_DIARY, "i", "import an iCalendar file or a vdir of .ics files", "Import" },
	{ A_DIARY_EXPORT, "export-ics", CTX_DIARY, "x", "export the diary, or the shown period, as iCalendar", "Export" },
	{ A_REMINDERS, "reminders", CTX_DIARY, "r", "list reminders that fired, including missed ones", NULL },

	{ A_APPT_EDIT, "edit-appointment", CTX_APPT, "e", "edit this appointment", "Edit" },
	{ A_APPT_DELETE, "delete-appointment", CTX_APPT, "d", "delete this appointment", "Delete" },

	{ A_CRM_RECORD, "crm-record", CTX_CONTACTS, "r", "open the contact's CRM record (creates one if none)", "CRM" },
	{ A_CRM_NOTE, "crm-note", CTX_CONTACTS, "+", "add a note to the contact's CRM record", "Note" },
	{ A_CRM_RECORD, "crm-record", CTX_CARD, "r", "open this contact's CRM record", "CRM" },
	{ A_CRM_NOTE, "crm-note", CTX_CARD, "+", "add a note to this contact's CRM record", "Note" },

	{ A_CRM_ADD, "add-crm-record", CTX_CRM, "a", "add a CRM record for a contact", "Add" },
	{ A_CRM_EDIT, "edit-crm-record", CTX_CRM, "e", "edit the selected record", "Edit" },
	{ A_CRM_DELETE, "delete-crm-record", CTX_CRM, "d <Delete>", "delete the selected record and its timeline", "Delete" },
	{ A_CRM_NOTE, "crm-note", CTX_CRM, "+", "add a note to the selected record", "Note" },
	{ A_CRM_FILTER, "crm-filter", CTX_CRM, "f", "filter by status, owner, tag or due actions", "Filter" },
	{ A_CRM_CONTACT, "crm-contact", CTX_CRM, "C", "open the record's contact", "Contact" },
	{ A_CALL, "call", CTX_CRM, "c", "call the record's contact", "Call" },
	{ A_CRM_EXPORT, "export-crm", CTX_CRM, "x", "export records and timelines as CSV", "Export" },

	{ A_CRM_EDIT, "edit-crm-record", CTX_CRM_RECORD, "e", "edit this record", "Edit" },
	{ A_CRM_NOTE, "crm-note", CTX_CRM_RECORD, "+", "add a note to the timeline", "Note" },
	{ A_CRM_CONTACT, "crm-contact", CTX_CRM_RECORD, "C", "open the record's contact", "Contact" },
	{ A_CALL, "call", CTX_CRM_RECORD, "c", "call the record's contact", "Call" },
	{ A_CRM_DELETE, "delete-crm-record", CTX_CRM_RECORD, "d", "delete this record and its timeline", "Delete" },

	{ A_CALL_BACK, "call-back", CTX_CALLS, "c", "call the selected peer back", "Call" },
	{ A_CALL_MESSAGE, "call-message", CTX_CALLS, "m", "send the peer a message", "Message" },
	{ A_CALL_FILTER, "call-filter", CTX_CALLS, "f", "show all, missed, incoming, outgoing, PC or phone calls", "Filter" },
	{ A_CALL_CONTACT, "call-contact", CTX_CALLS, "C", "open the peer's contact", "Contact" },
	{ A_CRM_RECORD, "crm-record", CTX_CALLS, "r", "open the peer's CRM record", "CRM" },
	{ A_CRM_NOTE, "crm-note", CTX_CALLS, "+", "add a CRM note about this call", "Note" },

	{ A_MON_MENU, "monitor-menu", CTX_MONITOR, "m", "actions for the selected colleague (Enter too)", "Menu" },
	{ A_MON_ADD, "monitor-add", CTX_MONITOR, "a", "ask a colleague to join your online monitor", "Add" },
	{ A_CALL, "call", CTX_MONITOR, "c", "call the selected colleague", "Call" },
	{ A_MON_ACCEPT, "monitor-accept", CTX_MONITOR, "y", "accept the selected contact request", "Accept" },
	{ A_MON_DECLINE, "monitor-decline", CTX_MONITOR, "x", "decline the selected contact request", NULL },
	{ A_MON_REMOVE, "monitor-remove", CTX_MONITOR, "d <Delete>", "remove the selected colleague from your monitor", NULL },
	{ A_PRESENCE, "set-presence", CTX_MONITOR, "p", "set your presence (online, away, busy, do not disturb) and note", "Presence" },
	{ A_DIRECTORY, "directory", CTX_MONITOR, "D", "switch between your monitor and the company directory", "Directory" },
	{ A_PROFILE_VIEW, "view-profile", CTX_MONITOR, "i", "show the selected colleague's profile", NULL },
	{ A_PROFILE, "my-profile", CTX_MONITOR, "P", "your profile: edit it, change your password", "Profile" },
	{ A_USERS, "user-admin", CTX_MONITOR, "U", "user admin: add, edit, disable users, permissions", NULL },
	{ A_COMPANY, "company", CTX_MONITOR, "C", "the company's profile: name, address, logo, regions, markets", NULL },
	{ A_SIGN_IN, "sign-in", CTX_MONITOR, "L", "sign in to a confab server (or set up a new one)", "Sign in" },
	{ A_SIGN_OUT, "sign-out", CTX_MONITOR, "O", "sign out (ends this session on the server)", NULL },
	{ A_FORGOT, "forgot-password", CTX_MONITOR, "F", "forgotten your password? get a reset code and set a new one", NULL },

	{ A_USER_ADD, "add-user", CTX_USERS, "a", "add a user (initial password or invite code)", "Add" },
	{ A_USER_EDIT, "edit-user", CTX_USERS, "e", "edit the selected user's details", "Edit" },
	{ A_USER_PERMS, "user-permissions", CTX_USERS, "p", "change the selected user's permissions", "Perms" },
	{ A_USER_DISABLE, "disable-user", CTX_USERS, "d", "disable or enable the selected user", "Disable" },
	{ A_USER_RESET, "reset-user-password", CTX_USERS, "r", "reset the selected user's password", "Reset" },

	{ A_PROFILE_EDIT, "edit-profile", CTX_PROFILE, "e", "edit your profile", "Edit" },
	{ A_PASSWORD, "change-password", CTX_PROFILE, "w", "change your password", "Password" },
	{ A_PREFS, "preferences", CTX_PROFILE, "f", "your preferences: notifications, auto-away, time zone, country, markets", "Prefs" },
	{ A_LOGO, "set-logo", CTX_PROFILE, "l", "set the company logo from a PNG or JPEG file (admins, in the company profile)", "Logo" },

	{ A_OPEN, "open", CTX_MESSAGES, "<Enter> l", "read the selected message (marks it read)", "Read" },
	{ A_MSG_COMPOSE, "compose", CTX_MESSAGES, "c", "write a new message", "Compose" },
	{ A_MSG_REPLY, "reply", CTX_MESSAGES, "r", "reply to the sender", "Reply" },
	{ A_MSG_REPLY_ALL, "reply-all", CTX_MESSAGES, "R", "reply to the sender and every other recipient", "All" },
	{ A_MSG_FORWARD, "forward", CTX_MESSAGES, "f", "forward the message (with its attachments)", "Forward" },
	{ A_MSG_EDIT, "edit-message", CTX_MESSAGES, "e", "edit a message not sent yet (or refused), or send a copy as new", NULL },
	{ A_MSG_TOGGLE_READ, "toggle-read", CTX_MESSAGES, "U", "mark the message unread, or read", "Unread" },
	{ A_MSG_DELETE, "delete-message", CTX_MESSAGES, "d <Delete>", "move the message to the trash (a pending one is not sent)", "Delete" },
	{ A_MSG_PURGE, "purge-message", CTX_MESSAGES, "D", "delete a message in the trash for good (asks first)", "Purge" },
	{ A_MSG_RESTORE, "restore-message", CTX_MESSAGES, "u", "restore a message from the trash", "Restore" },
	{ A_MSG_INBOX, "inbox", CTX_MESSAGES, "i", "show the inbox", "Inbox" },
	{ A_MSG_SENT, "sent", CTX_MESSAGES, "s", "show sent messages, and those waiting to be sent", "Sent" },
	{ A_MSG_TRASH, "trash", CTX_MESSAGES, "t", "show the trash", "Trash" },
	{ A_MSG_REMIND, "remind", CTX_MESSAGES, "m", "set a reminder for yourself or a colleague", "Remind" },
	{ A_MSG_ANNOUNCE, "announce", CTX_MESSAGES, "a", "make an announcement to the company, or to markets or regions (needs the permission)", "Announce" },
	{ A_MSG_ACCEPT, "accept-request", CTX_MESSAGES, "y", "accept the selected contact request", "Accept" },
	{ A_MSG_DECLINE, "decline-request", CTX_MESSAGES, "x", "decline the selected contact request", "Decline" },
	{ A_SIGN_IN, "sign-in", CTX_MESSAGES, "L", "sign in to a confab server", NULL },

	{ A_MSG_REPLY, "reply", CTX_MESSAGE, "r", "reply to the sender", "Reply" },
	{ A_MSG_REPLY_ALL, "reply-all", CTX_MESSAGE, "R", "reply to the sender and every other recipient", "All" },
	{ A_MSG_FORWARD, "forward", CTX_MESSAGE, "f", "forward this message (with its attachments)", "Forward" },
	{ A_MSG_EDIT, "edit-message", CTX_MESSAGE, "e", "edit this message if not sent yet (or refused), or send a copy as new", NULL },
	{ A_MSG_COMPOSE, "compose", CTX_MESSAGE, "c", "write a new message", NULL },
	{ A_MSG_TOGGLE_READ, "toggle-read", CTX_MESSAGE, "U", "mark this message unread, or read", "Unread" },
	{ A_MSG_DELETE, "delete-message", CTX_MESSAGE, "d <Delete>", "move this message to the trash", "Delete" },
	{ A_MSG_PURGE, "purge-message", CTX_MESSAGE, "D", "delete this message for good, from the trash (asks first)", NULL },
	{ A_MSG_RESTORE, "restore-message", CTX_MESSAGE, "u", "restore this message from the trash", NULL },
	{ A_MSG_ACCEPT, "accept-request", CTX_MESSAGE, "y", "accept this contact request", "Accept" },
	{ A_MSG_DECLINE, "decline-request", CTX_MESSAGE, "x", "decline this contact request", "Decline" },
	{ A_MSG_NEXT, "next-message", CTX_MESSAGE, "J", "read the next message in the list", "Next" },
	{ A_MSG_PREV, "prev-message", CTX_MESSAGE, "K", "read the previous message in the list", NULL },

	{ A_MSG_COMPLETE, "complete", CTX_COMPOSE, "<Tab>", "complete the name under the cursor (To, markets, regions), else go to the next field", "Complete" },
	{ A_FORM_PREV, "prev-field", CTX_COMPOSE, "<BackTab>", "go to the previous field", NULL },
	{ A_MSG_SEND, "send", CTX_COMPOSE, "C-s <F2>", "check and send (it waits in the outbox when the server is away)", "Send" },
	{ A_MSG_EDITOR, "edit-body", CTX_COMPOSE, "C-o <F4>", "edit the text in $VISUAL or $EDITOR", "Editor" },
	{ A_CANCEL, "cancel", CTX_COMPOSE, "<Esc>", "leave without sending (asks if anything was typed)", "Cancel" },

	{ A_OPEN, "open", CTX_CONFLICTS, "<Enter> l", "show both versions of the selected record", "Show" },
	{ A_RESOLVE_MINE, "resolve-mine", CTX_CONFLICTS, "m", "keep this machine's version (it goes to the server over the other)", "Mine" },
	{ A_RESOLVE_THEIRS, "resolve-theirs", CTX_CONFLICTS, "t", "take the other machine's version (this machine's change is dropped)", "Theirs" },
	{ A_RESOLVE_BOTH, "resolve-both", CTX_CONFLICTS, "b", "keep both: the other machine's version, and this machine's as a new contact or appointment", "Both" },
	{ A_CALL_ANSWER, "answer", CTX_INCOMING, "a y <Enter>", "answer the call (other calls are put on hold)", "Answer" },
	{ A_CALL_REJECT, "reject", CTX_INCOMING, "r d", "decline the call", "Decline" },
	{ A_CALL_BUSY, "busy", CTX_INCOMING, "b", "answer busy", "Busy" },
	{ A_CALL_SILENCE, "silence", CTX_INCOMING, "s", "stop the ringing (the call still waits)", "Silence" },

	{ A_CALL_MUTE, "mute", CTX_INCALL, "m", "mute or unmute your microphone", "Mute" },
	{ A_CALL_HOLD, "hold", CTX_INCALL, "x", "hold or resume the selected call", "Hold" },
	{ A_CALL_STATS, "call-stats", CTX_INCALL, "S", "show the line's figures: loss, jitter, round trip, buffer, path, codec", "Stats" },
	{ A_CALL_SWITCH, "switch-call", CTX_INCALL, "w", "switch to the next call (this one is held)", "Switch" },
	{ A_CALL_ANSWER, "answer", CTX_INCALL, "a", "answer a ringing call (this one is held)", NULL },
	{ A_CALL_HANGUP, "hang-up", CTX_INCALL, "h", "hang up the selected call", "Hang up" },
	{ A_CALL_DEVICE, "call-device", CTX_INCALL, "d", "switch the microphone or loudspeaker during the call", "Device" },

	{ A_VM_NEW, "new-voicemail", CTX_MESSAGES, "v", "record a voice mail for a colleague", "Voice mail" },
	{ A_VM_PLAY, "play", CTX_MESSAGE, "p", "play or pause the voice mail", "Play" },
	{ A_VM_BACK, "play-back", CTX_MESSAGE, "<Left>", "voice mail: back 5 seconds", NULL },
	{ A_VM_FWD, "play-forward", CTX_MESSAGE, "<Right>", "voice mail: on 5 seconds", NULL },
};
const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

static const char *const ctx_names[CTX_COUNT] = {
	"global", "lists", "address book", "address books", "contact card",
	"forms", "pager", "diary", "appointment", "CRM", "CRM record",
	"call log", "online monitor", "user admin", "profile", "messages",
	"message", "compose", "sync conflicts", "incoming call",
	"call screen",
};

const char *keys_ctx_name(enum key_ctx ctx)
{
	return ctx < CTX_COUNT ? ctx_names[ctx] : "?";
}

const struct key_action *keys_find_name(const char *name)
{
	for (size_t i = 0; i < keys_count; i++)
		if (strcmp(keys_table[i].name, name) == 0)
			return &keys_table[i];
	return NULL;
}

const struct key_action *keys_info(enum action a)
{
	for (size_t i = 0; i < keys_count; i++)
		if (keys_table[i].action == a)
			return &keys_table[i];
	return NULL;
}

static const struct { const char *name; int code; } named[] = {
	{ "Down", KEY_DOWN }, { "Up", KEY_UP }, { "Left", KEY_LEFT },
	{ "Right", KEY_RIGHT }, { "PageDown", KEY_NPAGE },
	{ "PageUp", KEY_PPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Enter", '\n' }, { "Tab", '\t' },
	{ "BackTab", KEY_BTAB }, { "Esc", K_ESC }, { "Space", ' ' },
	{ "Backspace", KEY_BACKSPACE }, { "Delete", KEY_DC },
	{ "Insert", KEY_IC },
};

int keys_parse(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return -1;
	if (s[0] == '<' && s[n - 1] == '>' && n > 2) {
		char *in = xstrndup(s + 1, n - 2);
		int code = -1;
		for (size_t i = 0; i < sizeof named / sizeof *named; i++)
			if (str_ieq(in, named[i].name))
				code = named[i].code;
		if (code < 0 && (in[0] == 'F' || in[0] == 'f') && in[1]) {
			int f = atoi(in + 1);
			if (f >= 1 && f <= 12)
				code = KEY_F(f);
		}
		free(in);
		return code;
	}
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && n == 3 &&
	    isalpha((unsigned char)s[2]))
		return K_CTRL(tolower((unsigned char)s[2]));
	if (s[0] == '^' && n == 2 && isalpha((unsigned char)s[1]))
		return K_CTRL(tolower((unsigned char)s[1]));
	if (n == 1 && isprint((unsigned char)s[0]))
		return (unsigned char)s[0];
	return -1;
}

const char *keys_name(int code)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (named[i].code == code)
			return named[i].name;
	if (code >= KEY_F(1) && code <= KEY_F(12)) {
		snprintf(buf, sizeof buf, "F%d", code - KEY_F(0));
		return buf;
	}
	if (code > 0 && code < 32) {
		snprintf(buf, sizeof buf, "C-%c", code + 'a' - 1);
		return buf;
	}
	if (code >= 32 && code < 127) {
		snprintf(buf, sizeof buf, "%c", code);
		return buf;
	}
	snprintf(buf, sizeof buf, "#%d", code);
	return buf;
}

struct binding {
	enum key_ctx ctx;
	int code;
	enum action action;
};

struct keymap {
	struct binding *b;
	size_t n;
};

static void km_set(struct keymap *km, enum key_ctx ctx, int code,
		   enum action a)
{
	for (size_t i = 0; i < km->n; i++) {
		if (km->b[i].ctx == ctx && km->b[i].code == code) {
			km->b[i].action = a;
			return;
		}
	}
	km->b = xrealloc(km->b, (km->n + 1) * sizeof *km->b);
	km->b[km->n++] = (struct binding){ ctx, code, a };
}

static void km_defaults(struct keymap *km)
{
	for (size_t i = 0; i < keys_count; i++) {
		char *keys = xstrdup(keys_table[i].keys);
		for (char *save, *k = strtok_r(keys, " ", &save); k;
		     k = strtok_r(NULL, " ", &save)) {
			int code = keys_parse(k);
			if (code >= 0)
				km_set(km, keys_table[i].ctx, code,
				       keys_table[i].action);
		}
		free(keys);
	}
}

int keymap_bind(struct keymap *km, const char *key, const char *action,
		char **err)
{
	int code = keys_parse(key);

	if (code < 0) {
		*err = xasprintf("unknown key '%s' (examples: j, C-n, <Down>, "
				 "<F5>)", key);
		return -EINVAL;
	}
	if (!action) {	/* unbind: in every context */
		for (size_t i = 0; i < km->n; i++)
			if (km->b[i].code == code)
				km->b[i].action = A_NONE;
		return 0;
	}
	bool found = false;
	for (size_t i = 0; i < keys_count; i++) {
		if (strcmp(keys_table[i].name, action) == 0) {
			km_set(km, keys_table[i].ctx, code,
			       keys_table[i].action);
			found = true;
		}
	}
	if (!found) {
		*err = xasprintf("unknown action '%s' (see `confab keys`)",
				 action);
		return -EINVAL;
	}
	return 0;
}

struct keymap *keymap_new(const struct config *cfg, char ***errs,
			  size_t *nerrs)
{
	struct keymap *km = xcalloc(1, sizeof *km);

	km_defaults(km);
	for (size_t i = 0; cfg && i < cfg->nbinds; i++) {
		char *err = NULL;
		if (keymap_bind(km, cfg->binds[i].key, cfg->binds[i].action,
				&err) < 0) {
			*errs = xrealloc(*errs, (*nerrs + 1) * sizeof **errs);
			(*errs)[(*nerrs)++] = xasprintf(
				"%s:%u: %s", cfg->source ? cfg->source :
				"confab.conf", cfg->binds[i].line, err);
			free(err);
		}
	}
	return km;
}

void keymap_free(struct keymap *km)
{
	if (!km)
		return;
	free(km->b);
	free(km);
}

enum action keymap_lookup(const struct keymap *km, enum key_ctx ctx,
			  int code)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].ctx == ctx && km->b[i].code == code)
			return km->b[i].action;
	return A_NONE;
}

static const char *keys_of(const struct keymap *km, enum key_ctx ctx,
			   enum action a, int max)
{
	static char buf[96];
	size_t len = 0;
	int n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < km->n && n < max; i++) {
		if (km->b[i].action != a || km->b[i].ctx != ctx)
			continue;
		int k = snprintf(buf + len, sizeof buf - len, "%s%s",
				 n ? ", " : "", keys_name(km->b[i].code));
		if (k < 0 || (size_t)k >= sizeof buf - len)
			break;
		len += (size_t)k;
		n++;
	}
	return buf;
}

const char *keymap_keys_of(const struct keymap *km, enum key_ctx ctx,
			   enum action a)
{
	return keys_of(km, ctx, a, 8);
}

const char *keymap_first_key(const struct keymap *km, enum key_ctx ctx,
			     enum action a)
{
	return keys_of(km, ctx, a, 1);
}

/* roff needs backslashes and leading dots escaped */
static void roff_text(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			sbuf_add(b, "\\e");
		else if (*s == '-')
			sbuf_add(b, "\\-");
		else
			sbuf_addc(b, *s);
	}
}

void keys_print(struct out *o, int roff)
{
	struct sbuf b;

	sbuf_init(&b);
	for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
		if (roff)
			sbuf_printf(&b, ".SS \"Keys: %s\"\n", ctx_names[ctx]);
		else
			sbuf_printf(&b, "%s%s:\n", ctx ? "\n" : "",
				    ctx_names[ctx]);
		for (size_t i = 0; i < keys_count; i++) {
			const struct key_action *k = &keys_table[i];
			if ((int)k->ctx != ctx)
				continue;
			if (roff) {
				sbuf_add(&b, ".TP\n.B ");
				roff_text(&b, k->keys);
				sbuf_add(&b, "\n");
				roff_text(&b, k->help);
				sbuf_add(&b, " (\\fI");
				roff_text(&b, k->name);
				sbuf_add(&b, "\\fR)\n");
			} else {
				sbuf_printf(&b, "  %-24s %-16s %s\n", k->keys,
					    k->name, k->help);
			}
		}
	}
	out_write(o, sbuf_str(&b), b.len);
	sbuf_free(&b);
}
