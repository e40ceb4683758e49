/* net/anet: confabd requests without blocking the client's loop.
 *
 * libcurl's multi interface driven by app/loop: curl tells us which
 * sockets to watch and when its next timeout is, the loop calls back, and
 * a finished transfer calls its `done` from the loop's thread.  The TUI
 * uses it for everything that talks to the server, including the
 * long-poll of the event stream, so a slow or dead server never freezes
 * the screen.
 */
#ifndef CONFAB_NET_ANET_H
#define CONFAB_NET_ANET_H

#include <jansson.h>
#include "net/api.h"

struct loop;
struct anet;

/* status 0 and err set: the transfer failed (no route, refused, timeout,
 * not JSON); otherwise reply is the parsed body (may be NULL), owned by
 * the callee only for the duration of the call. */
typedef void (*anet_done)(void *arg, long status, json_t *reply,
			  const char *err);

struct anet *anet_new(struct loop *l);
/* Cancels every transfer without calling their `done`. */
void anet_free(struct anet *n);
/* Start a request; returns its id (> 0).  `a` and `body` are copied. */
int anet_request(struct anet *n, const struct api *a, const char *method,
		 const char *path, json_t *body, anet_done done, void *arg);
/* Abort a transfer; its `done` is not called.  Unknown ids are ignored. */
void anet_cancel(struct anet *n, int id);
/* Transfers under way. */
int anet_pending(const struct anet *n);

#endif
