/* views/profile: the profile layer's inside, internal to its files (the
 * layer itself is profile_open() in views/view.h):
 *
 *   profile.c       the layer: reading a profile and its photo from the
 *                   server (one request at a time), drawing, keys
 *   profile_edit.c  your own profile's changes: the forms for your
 *                   details, password and preferences, and sending them
 *
 * A change is a struct pjob: made when its form opens, sent when the
 * form is saved, and freed when the server has answered.  A refused
 * change opens its form again with what was typed (never a password).
 * The layer may close while a form is open: the job then has p == NULL
 * and only frees itself.
 */
#ifndef CONFAB_VIEWS_PROFILE_H
#define CONFAB_VIEWS_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include "views/ui.h"
#include "app/online.h"

struct art;

/* form rows, found by their cookie (phone rows are group G_PHONE) */
enum { E_NAME = 1, E_TITLE, E_DEPT, E_EMAIL, E_CUR, E_NEW, E_AGAIN,
       P_NOTIFY, P_AWAY, P_TZ, P_COUNTRY, P_MARKETS, E_N };
enum { G_PHONE = 1 };

enum pbusy { B_NONE, B_LOADING, B_SAVING };
enum pkind { J_DETAILS, J_PASSWORD, J_PREFS };

/* A change typed into a form, then sent. */
struct pjob {
	struct prof *p;		/* NULL once the layer is gone */
	enum pkind kind;
	char *v[E_N];
	char *orig[E_N];	/* preferences as they were: what changed */
	json_t *phones;		/* [{"label", "number"}], or NULL */
};

struct prof {
	struct view v;
	char *username;
	bool self;
	json_t *p;		/* the server's profile */
	char *error;		/* why it could not be read */
	char *note;		/* the outcome of the last change */
	int req;		/* request under way, 0 none */
	bool inflight;
	enum pbusy busy;
	struct pjob *open;	/* a form on screen */
	struct pjob *sent;	/* the change under way */
	struct art *art;	/* the photo, once fetched */
	int photo_req;		/* its request, 0 none */
	char *photo_err;
};

/* profile.c */
/* "/v1/users/NAME" with NAME escaped.  New string. */
char *profile_user_path(const char *name);
/* A phone of the profile: "+44 20 7946 0000" or {"label", "number"}. */
const char *profile_phone_number(json_t *v);
const char *profile_phone_label(json_t *v);
/* One request at a time; `got` runs with p as its arg.  It may run
 * before this returns (then p->inflight is already false). */
void profile_request(struct prof *p, enum pbusy busy, const char *method,
		     const char *path, json_t *body, online_got got);
/* The answer arrived (call first in every `got`). */
void profile_request_over(struct prof *p);
/* Read the profile (and its photo) again. */
void profile_load(struct prof *p);

/* profile_edit.c: open a form for a new change (j == NULL), or again
 * for a refused one. */
void profile_details_form(struct prof *p, struct pjob *j);
void profile_password_form(struct prof *p, struct pjob *j);
void profile_prefs_form(struct prof *p, struct pjob *j);
void profile_job_free(struct pjob *j);	/* NULL: no-op */

#endif
