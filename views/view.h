/* views/view: constructors of the shell's tabs and layers, and the pieces
 * the address book's files share. */
#ifndef CONFAB_VIEWS_VIEW_H
#define CONFAB_VIEWS_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <curses.h>

struct shell;
struct view;
struct contact;

struct view *view_contacts_new(struct shell *sh);
/* views/calls.c: the Call logs tab. */
struct view *view_calls_new(struct shell *sh);
/* views/messages.c: the Messages tab (views/messages.h has its parts). */
struct view *view_messages_new(struct shell *sh);
/* views/msg_compose.c: write a message to `to` (usernames, may be NULL)
 * from anywhere (the monitor's menu, a call). */
void msg_compose_to(struct shell *sh, const char *to);

/* views/contact_form.c: add (c == NULL, into book_id) or edit a contact.
 * done(arg, id) runs after a save with the contact's id. */
typedef void (*contact_form_done)(void *arg, int64_t id);
void contact_form_open(struct shell *sh, const struct contact *c,
		       int64_t book_id, contact_form_done done, void *arg);

/* views/card.c: draw a contact's details into a region. */
void card_draw(struct shell *sh, WINDOW *w, int y, int x, int h, int cols,
	       const struct contact *c, const char *book);
/* A full-screen card layer; `owner` gets edit/delete requests. */
struct card_owner {
	void (*edit)(void *arg, int64_t id);
	void (*delete)(void *arg, int64_t id);
	void *arg;
};
void card_open(struct shell *sh, int64_t id, const struct card_owner *o);

/* views/crm.c: the CRM tab (record list). */
struct view *view_crm_new(struct shell *sh);
/* views/crm_record.c: Open the contact's CRM record as a layer; offers to
 * create one when none. */
void crm_open_for_contact(struct shell *sh, int64_t contact_id);
/* Prompt for a note on the contact's record (created if none); call_id links a call (0 = none); prefill may be NULL. */
void crm_note_for_contact(struct shell *sh, int64_t contact_id, int64_t call_id, const char *prefill);
/* Open a record (by id) as a layer. */
void crm_record_open(struct shell *sh, int64_t record_id);
/* views/crm_form.c: edit a record (status, owner, value, source, tags,
 * next action and date); done(arg, id) after a save. */
typedef void (*crm_form_done)(void *arg, int64_t id);
void crm_form_open(struct shell *sh, int64_t record_id, crm_form_done done,
		   void *arg);

/* views/monitor.c: the Online monitor tab (and the company directory). */
struct view *view_monitor_new(struct shell *sh);
/* views/signin.c: the sign-in form (server, user, password), the first
 * start of a new server (company and first admin) and "forgotten your
 * password?".  signin_first_start() looks at the configured server once
 * at start and offers to set it up when it has no company yet. */
void signin_open(struct shell *sh);
void signin_first_start(struct shell *sh);
void signout_ask(struct shell *sh);
void password_reset_open(struct shell *sh, const char *server);
/* views/presence.c: the icon and colour of a presence state. */
const char *presence_icon(struct shell *sh, const char *state, attr_t *a);
/* views/profile.c: a user's profile as a layer (NULL: your own, with
 * edit, preferences and password change). */
void profile_open(struct shell *sh, const char *username);
/* views/company.c: the company's profile (everyone sees it; admins
 * edit it and set the logo). */
void company_open(struct shell *sh);
/* views/users.c: user admin (admins and user admins). */
void users_open(struct shell *sh);

/* views/conflicts.c: records changed here and on another machine: both
 * versions, and the user's choice (`:conflicts`). */
void conflicts_open(struct shell *sh);

/* views/books.c: the address book chooser; chose(arg, id) with 0 = all. */
typedef void (*books_chose_cb)(void *arg, int64_t book_id);
void books_open(struct shell *sh, int64_t current, books_chose_cb cb,
		void *arg);

#endif
