/* views/monitor: the Online monitor tab's inside, internal to its files
 * (the tab itself is view_monitor_new() in views/view.h):
 *
 *   monitor.c      the view: its rows (the monitor, or the company
 *                  directory searched on the server), drawing, keys
 *   monitor_act.c  what the keys do to a row: contact requests (ask,
 *                  accept, decline, remove), the CRM record, the
 *                  presence chooser and the context menu
 */
#ifndef CONFAB_VIEWS_MONITOR_H
#define CONFAB_VIEWS_MONITOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "views/lineedit.h"
#include "views/list.h"
#include "views/ui.h"

enum row_kind { ROW_HEADER, ROW_REQUEST, ROW_PEER, ROW_USER };

struct row {
	enum row_kind kind;
	char *username, *name, *state, *note, *extra, *email;
};

struct monitor {
	struct view v;
	struct list list;
	struct row *rows;
	size_t nrows;
	bool directory;		/* showing the directory */
	json_t *dir;		/* the last directory answer */
	struct lineedit search;
	bool searching;
	int dir_call;		/* request in flight, 0 = none */
	char *dir_error;
	char status[96];
	int curx;
};

/* monitor.c */
struct online *monitor_online(struct monitor *m);
/* Make the rows again from app/online (or the directory answer),
 * keeping the selected user selected. */
void monitor_rebuild(struct monitor *m);
/* The selected row, or NULL (nothing, or a header). */
const struct row *monitor_selected(struct monitor *m);

/* monitor_act.c */
/* Ask `user` (NULL: ask who first) to add you to their monitor. */
void monitor_request_add(struct monitor *m, const char *user);
/* verb "accept" or "decline" for the selected contact request. */
void monitor_answer(struct monitor *m, const char *verb);
void monitor_remove_peer(struct monitor *m);
/* The CRM record of a colleague: through the address book entry with
 * their email. */
void monitor_open_crm(struct monitor *m, const struct row *r);
void monitor_choose_presence(struct monitor *m);
/* The context menu of the selected row. */
void monitor_open_menu(struct monitor *m);

#endif
