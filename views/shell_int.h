/* views/shell_int.h: the shell's state, shared by views/shell.c (tabs,
 * layers, keys, the loop) and views/shell_draw.c (drawing); not for
 * other views, which go through views/shell.h. */
#ifndef CONFAB_VIEWS_SHELL_INT_H
#define CONFAB_VIEWS_SHELL_INT_H

#include "views/shell.h"
#include "views/theme.h"
#include "views/ui.h"

#define NTABS 6
#define MAX_LAYERS 16
#define MESSAGE_MS 6000

struct shell {
	struct app *app;
	struct loop *loop;
	struct keymap *km;
	struct view *tabs[NTABS];
	int cur;
	struct view *layers[MAX_LAYERS];
	int nlayers;
	struct cmdline *cmd;
	WINDOW *vwin;		/* the view area */
	int banner;		/* rows of the announcement banner (0, 1) */
	attr_t attrs[UI_COLOR_COUNT];
	bool ascii, mouse;
	char *msg;
	bool msg_err;
	int msg_timer;
	int clock_timer;
	struct reminders_ui *rem;
	struct online *online;
	struct callui *calls;
	char *profile;		/* "alice @ host" or the local profile */
	bool dirty;
	bool quit;
	struct view *closed[MAX_LAYERS];	/* freed after dispatch */
	int nclosed;
};

/* The view that gets keys: the top layer, else the current tab. */
static inline struct view *shell_top(struct shell *sh)
{
	return sh->nlayers ? sh->layers[sh->nlayers - 1] : sh->tabs[sh->cur];
}

/* shell_draw.c */
void shell_redraw(struct shell *sh);
/* (Re)make the window of the view area for the terminal's size. */
void shell_make_vwin(struct shell *sh);

#endif
