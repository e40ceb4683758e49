/* src/server/calls_int.h: what api_calls.c and api_calls_live.c share. */
#ifndef CONFAB_SERVER_CALLS_INT_H
#define CONFAB_SERVER_CALLS_INT_H

#include "server/server.h"
#include "store/server.h"

#include <jansson.h>
#include <stdbool.h>

enum side { CALLER = 1, CALLEE = 2 };

/* Ringing or answered. */
bool calls_live(enum srv_call_state st);
/* The call named by q's path ("ID" or "ID/verb"), of which the signed-in
 * user is a party; *side: which (lock held).  -1 with r filled. */
int calls_load(struct req *q, struct reply *r, struct srv_call *c,
	       enum side *side);
/* An event to the session that placed the call (lock held). */
void calls_push_caller(struct srv *s, const struct srv_call *c,
		       const char *kind, json_t *d);
/* To the callee: the answering session once there is one (unless `all`),
 * else every session (lock held). */
void calls_push_callee(struct srv *s, const struct srv_call *c,
		       const char *kind, json_t *d, bool all);

#endif
