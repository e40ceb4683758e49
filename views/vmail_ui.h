/* views/vmail_ui: voice mail on screen (see vmail_ui.c): the recording
 * layer and the player of the message reader. */
#ifndef CONFAB_VIEWS_VMAIL_UI_H
#define CONFAB_VIEWS_VMAIL_UI_H

#include <stdbool.h>
#include <curses.h>
#include "views/keys.h"

struct shell;
struct view;
struct vm_player;

/* Record a voice mail for `username` (shown as `name`) and send it. */
void vmail_record_open(struct shell *sh, const char *username,
		       const char *name);

/* A player for a message's Ogg attachment, or NULL when it has none;
 * `owner` is redrawn as it plays. */
struct vm_player *vm_player_new(struct shell *sh, struct view *owner,
				const char *kind, const char *attachments);
void vm_player_free(struct vm_player *p);
/* A_VM_PLAY (play, pause), A_VM_BACK, A_VM_FWD; false for other keys. */
bool vm_player_key(struct vm_player *p, enum action a);
/* The progress line. */
void vm_player_draw(struct vm_player *p, WINDOW *w, int y, int x, int width);

#endif
