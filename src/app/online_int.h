/* app/online_int.h: what online.c and online_away.c share; not part of
 * online.h's public surface. */
#ifndef CONFAB_APP_ONLINE_INT_H
#define CONFAB_APP_ONLINE_INT_H

#include <jansson.h>
#include <stdbool.h>

struct online;

/* The shell's notify callback with a formatted text (NULL: only
 * "something changed"). */
void online_say(struct online *o, bool alert, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A string member of a JSON object, or NULL. */
const char *online_jval(json_t *o, const char *k);
/* POST /v1/presence. */
void online_put_presence(struct online *o, const char *state,
			 const char *note, online_got got, void *arg);
/* (Re)arm the auto-away timer from the last key. */
void online_arm_idle(struct online *o);

#endif
