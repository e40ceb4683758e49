/* views/form: the one form widget every edit dialog uses.
 *
 * Rows of labelled one-line fields.  Rows in a group (phones, emails…)
 * carry a tag the user cycles with C-t, and typing into a group's last,
 * blank row adds another, so any number of values can be entered.  The
 * owner's save callback checks and stores; on failure it names the row to
 * jump to and the message to show, and the form stays open.
 */
#ifndef CONFAB_VIEWS_FORM_H
#define CONFAB_VIEWS_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include "views/lineedit.h"

struct shell;
struct form;

struct form_field {
	char *label;
	struct lineedit ed;
	char *orig;		/* text when opened: tells what changed */
	int group;		/* 0: single field; else rows of one kind */
	const char *const *tags;	/* tag choices for group rows */
	char *tag;
	char *orig_tag;
	long user;		/* owner's cookie (e.g. index of a stored field) */
};

/* Return 0 to close the form, or -1 with *err (new string) and *bad set
 * to the row to jump to. */
typedef int (*form_save_cb)(struct form *f, void *arg, char **err,
			    size_t *bad);
typedef void (*form_done_cb)(void *arg, bool saved);

struct form *form_new(struct shell *sh, const char *title, form_save_cb save,
		      form_done_cb done, void *arg);
/* Add a row; returns its index.  Rows after a group move down as the
 * group grows: find them again by `user` (form_find). */
size_t form_add(struct form *f, const char *label, const char *value);
size_t form_add_user(struct form *f, const char *label, const char *value,
		     long user);
/* Index of the first row whose cookie is `user`, or form_count(). */
size_t form_find(const struct form *f, long user);
size_t form_add_group(struct form *f, int group, const char *label,
		      const char *const *tags, const char *tag,
		      const char *value, long user);
/* Row i takes a password: drawn as '*', wiped when the form goes. */
void form_set_secret(struct form *f, size_t i);
/* Show the form (pushes it as a layer; the shell frees it). */
void form_open(struct form *f);

size_t form_count(const struct form *f);
const struct form_field *form_field(const struct form *f, size_t i);
/* Current text of row i (new string). */
char *form_text(const struct form *f, size_t i);
bool form_changed(const struct form *f);

#endif
