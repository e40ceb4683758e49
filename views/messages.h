/* views/messages: the Messages tab and its layers.
 *
 *   messages.c     the tab: inbox, sent and trash, pinned announcements,
 *                  search as you type, reminder pop-ups
 *   msg_read.c     one message in a reader layer; the reminder pop-up
 *   msg_act.c      what the keys do to a message, from the list or the
 *                  reader: reply, forward, mark, trash, restore, purge,
 *                  answer a contact request; shared formatting
 *   msg_compose.c  the editor layer for a message, an announcement or a
 *                  reminder, with $EDITOR
 *   msg_complete.c Tab completion of names in the editor's fields
 *   textarea.c     the multi-line text widget the editor uses
 *
 * The mailbox is the local store (store/messages.h), kept in step with
 * confabd by app/online (online_msg_*); nothing here waits for the
 * network: changes show at once and travel through the outbox.
 */
#ifndef CONFAB_VIEWS_MESSAGES_H
#define CONFAB_VIEWS_MESSAGES_H

#include <curses.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "views/keys.h"

struct lineedit;
struct shell;
struct message;
struct view;

#define MSG_TAB 4	/* the tab's index: "5 Messages" */

/* ---- msg_act.c ---- */
/* "14:02" today, "21 Nov 14:02" this year, else with the year. */
void msg_when(struct shell *sh, char *buf, size_t len, int64_t t,
	      bool always_date);
/* When a message arrived (a reminder: when it was due). */
int64_t msg_time(const struct message *m);
/* Who sent it: the name, else the username, else "confab". */
const char *msg_from(const struct message *m);
/* The subject, else the first line of the body (new string). */
char *msg_subject(const struct message *m);
/* "[Announcement] " and the like for kinds other than text. */
const char *msg_kind_tag(const char *kind);
const char *msg_kind_label(const char *kind);
/* How many attachments its JSON lists. */
int msg_att_count(const char *attachments);
/* Why there is no mailbox to send from or change (o->account unset). */
struct online;
const char *msg_no_account(const struct online *o);
/* Is outbox item -id refused by the server (failed)? */
bool msg_refused(struct shell *sh, int64_t id);

/* Run a message action on entry `id` (pending ones < 0); true when `a`
 * is one.  Works from the list and the reader alike. */
bool msg_act(struct shell *sh, int64_t id, enum action a);
/* Mark entry id read (opening it); quiet when signed out. */
void msg_mark_read(struct shell *sh, int64_t id);

/* ---- msg_read.c ---- */
/* next(arg, id, dir) gives the entry after (+1) or before (-1) id in
 * the list, or 0. */
typedef int64_t (*msg_next_cb)(void *arg, int64_t id, int dir);
void msg_read_open(struct shell *sh, int64_t id, msg_next_cb next,
		   void *arg);
/* The pop-up of a reminder that came due; closing it marks it read. */
void msg_reminder_popup(struct shell *sh, const struct message *m);

/* ---- msg_compose.c ---- */
enum msg_kind { MK_MESSAGE, MK_ANNOUNCE, MK_REMIND };
struct msg_draft {
	const char *to, *subject, *body;
	const char *markets;	/* announcements: comma-separated */
	int64_t at;		/* reminders: when */
	int64_t reply_to;	/* the message (not entry) replied to */
	json_t *attachments;	/* ids to send again (forward), or NULL */
	int64_t replaces;	/* a pending entry (< 0) the send replaces */
	bool body_top;		/* the body's cursor starts at its top */
};
void msg_compose_open(struct shell *sh, enum msg_kind kind,
		      const struct msg_draft *d);

/* ---- msg_complete.c ----
 * Completion of the item being typed in a comma-separated field. */
enum mc_source {
	MC_NONE,
	MC_USERS,	/* colleagues, a list */
	MC_USERS_SELF,	/* one colleague, or you */
	MC_MARKETS,	/* the company's, a list */
	MC_REGIONS,
};
struct mc_cand {
	char *value, *label;
};
struct msg_complete {
	struct shell *sh;
	struct mc_cand *cands;	/* the choices for what is typed */
	size_t n, cycle;
	bool cycling;		/* Tab goes through the choices */
	enum mc_source src;	/* the field being typed in */
	const struct lineedit *ed;
	json_t *dir, *company;	/* the last answers */
	int dir_call, company_call;
};
/* company: fetch the company's markets and regions now. */
void msg_complete_init(struct msg_complete *mc, struct shell *sh,
		       bool company);
void msg_complete_free(struct msg_complete *mc);
/* The cursor came to a field (the choices for it). */
void msg_complete_focus(struct msg_complete *mc, enum mc_source src,
			const struct lineedit *ed);
/* The field's text changed (asks the directory for names). */
void msg_complete_typed(struct msg_complete *mc, enum mc_source src,
			const struct lineedit *ed);
void msg_complete_find(struct msg_complete *mc, enum mc_source src,
		       const struct lineedit *ed);
/* Tab: complete, or the next choice; false when there was nothing to
 * complete (the editor goes to the next field then). */
bool msg_complete_tab(struct msg_complete *mc, enum mc_source src,
		      struct lineedit *ed);
/* "Tab: bob (Bob Baker)  bernard (...)" on one line. */
void msg_complete_draw(const struct msg_complete *mc, WINDOW *w, int y,
		       int x, int width);

#endif
