/* views/callui: calls in the interface.
 *
 * callui.c owns the shell's call manager (app/callmgr) and reacts to its
 * calls: an incoming call pops up over any view with the caller and what
 * CRM knows of them, rings on the ring device (call/ringer) and rings the
 * terminal's bell and OSC 777 (rate-limited, via shell_alert); calls in
 * progress show in the call screen (callscreen.c), which refreshes its
 * timer, level meters and figures four times a second while it is up and
 * never otherwise; after a call with a contact that has a CRM record, a
 * note is offered.  Views place calls with callui_dial (a user name) or
 * callui_dial_contact (a contact, found in the directory by its email).
 */
#ifndef CONFAB_VIEWS_CALLUI_H
#define CONFAB_VIEWS_CALLUI_H

#include <stdbool.h>
#include <stdint.h>

struct shell;
struct callui;
struct cm_call;
struct view;

struct callui *callui_new(struct shell *sh);
/* Hangs up what is live. */
void callui_free(struct callui *cu);

void callui_dial(struct shell *sh, const char *username);
void callui_dial_contact(struct shell *sh, int64_t contact_id);
/* A CRM record's contact. */
void callui_dial_record(struct shell *sh, int64_t record_id);
/* Show the call screen (`@`); says so when there is no call. */
void callui_show(struct shell *sh);
/* Calls in progress or ringing. */
int callui_count(struct shell *sh);
/* For the status bar: "Call: Bob Baker 01:23" or NULL. */
const char *callui_status(struct shell *sh);

/* ---- for callscreen.c ---- */
struct callmgr *callui_mgr(struct shell *sh);
/* Figures kept per call for the sparklines: one sample a second. */
#define CALLUI_HIST 32
struct callui_hist {
	float loss[CALLUI_HIST], jitter[CALLUI_HIST], rtt[CALLUI_HIST],
	      jb[CALLUI_HIST];
	int n;			/* samples so far (the last CALLUI_HIST kept) */
	int64_t last_ms;
};
struct callui_hist *callui_hist(struct cm_call *c);
struct view *callscreen_new(struct shell *sh);
/* The call screen closed itself (q) or was closed. */
void callui_screen_gone(struct shell *sh);

#endif
