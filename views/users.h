/* views/users: user admin, a layer for admins and user admins (opened by
 * users_open() in views/view.h).  This header is the module's inside,
 * shared by its files:
 *
 *   users.c        the layer: the list of accounts (GET /v1/users?all=1),
 *                  search, keys, and the one request at a time it runs
 *   users_edit.c   the changes: add (a password or an invite code),
 *                  edit, disable/enable, new password; their forms, and
 *                  sending them (POST /v1/users, PATCH /v1/users/NAME)
 *   users_perms.c  the permission names and the permissions checklist
 *
 * A change is a struct ujob: made when its form opens, sent when the form
 * is saved, and freed when the server has answered.  A refused change
 * opens its form again with what was typed (never a password).  Views
 * above the layer may outlive it when confab quits: a job then has u ==
 * NULL and only frees itself.
 */
#ifndef CONFAB_VIEWS_USERS_H
#define CONFAB_VIEWS_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include "views/lineedit.h"
#include "views/list.h"
#include "views/ui.h"
#include "app/online.h"

struct uent {			/* one account as the list shows it */
	char *username, *name, *email, *title, *dept, *state;
	int perms;		/* bits in users_perm_names() order */
	bool disabled;
};

enum ujob_kind { J_ADD, J_EDIT, J_PERMS, J_RESET, J_DISABLE };
/* form rows, found by their cookie */
enum { F_USER, F_NAME, F_EMAIL, F_TITLE, F_DEPT, F_PW, F_PW2, F_N };

struct ujob {
	struct users *u;	/* NULL once the layer is gone */
	enum ujob_kind kind;
	char *target;		/* the user changed */
	char *v[F_N];		/* what the form said */
	int perms;		/* J_PERMS */
	bool disable;		/* J_DISABLE */
};

enum ubusy { B_NONE, B_LOADING, B_SAVING };

struct users {
	struct view v;
	struct list list;
	struct uent *all;
	size_t nall;
	size_t *shown;		/* indexes into `all` that pass the search */
	size_t nshown;
	char *company;
	char *error;		/* why the list could not be read */
	struct lineedit search;
	bool searching;
	bool is_admin;		/* the signed-in user is an admin */
	char *me;		/* their username */
	int req;		/* request under way, 0 none */
	bool inflight;
	enum ubusy busy;
	struct ujob *open;	/* a form or checklist on screen */
	struct ujob *sent;	/* the change under way */
	char *select;		/* select this user after the next load */
	char *ask_user;		/* the user of the open disable question */
	bool ask_disable;
};

/* users.c */
/* One request at a time; `got` runs with u as its arg.  It may run
 * before this returns (then u->inflight is already false). */
void users_request(struct users *u, enum ubusy busy, const char *method,
		   const char *path, json_t *body, online_got got);
/* The answer arrived (call first in every `got`). */
void users_request_over(struct users *u);
/* Read the list again. */
void users_load(struct users *u);
/* The entry of a user, or NULL. */
const struct uent *users_find(const struct users *u, const char *name);

/* users_edit.c: start a change of e (add: e == NULL). */
void users_add(struct users *u);
void users_edit(struct users *u, const struct uent *e);
void users_disable(struct users *u, const struct uent *e);
void users_reset(struct users *u, const struct uent *e);
/* Send j (its form was saved) / a form or checklist closed. */
void users_submit(struct users *u, struct ujob *j);
void users_job_done(void *arg, bool saved);
void users_job_free(struct ujob *j);

/* users_perms.c */
#define USERS_NPERMS 9
const char *users_perm_name(int i);
int users_perms_from(json_t *names);	/* ["phone", …] to bits */
json_t *users_perms_json(int bits);
/* The permissions as text: their names ("phone crm-view"), or fitted
 * into `width` cells with short names and "+N" for what does not fit. */
char *users_perms_text(int bits, bool names, int width);
void users_perms(struct users *u, const struct uent *e);
/* The checklist again for a refused j (j->perms as typed). */
void users_perms_open(struct users *u, struct ujob *j);

#endif
