/* app/cli_msg.h: what cli_msg.c (confab msg) and cli_outbox.c (announce,
 * remind, sync) share; not a public header of src/app. */
#ifndef CONFAB_APP_CLI_MSG_H
#define CONFAB_APP_CLI_MSG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "app/session.h"
#include "net/api.h"

struct app;
struct out;

#define EXIT_USAGE 2
#define EXIT_QUEUED 75		/* sysexits' EX_TEMPFAIL */

/* The signed-in account: session, API handle and mailbox owner. */
struct ctx {
	struct app *a;
	struct session s;
	struct api api;
	char *account;
};
int cm_ctx_open(struct ctx *c, struct app *a, struct out *o);
void cm_ctx_close(struct ctx *c);
/* Flush and pull; prints what is left and returns the exit status.
 * `mine` (0: none) is an outbox item the caller just queued: refused, it
 * is reported and dropped. */
int cm_sync(struct ctx *c, int64_t mine, bool verbose, struct out *o);

/* The options of msg, announce and remind. */
struct opts {
	const char *to, *subject, *folder, *output, *expires, *at;
	json_t *attach, *markets, *regions;	/* lists of names */
	int64_t reply;
	bool json, unread, each_line, no_send, purge, all, offline;
	bool voicemail;		/* send: the message is a voice mail */
	char **pos;
	int npos;
};
int cm_parse_opts(int argc, char **argv, struct opts *p, struct out *o,
		  const char *usage);
void cm_opts_clear(struct opts *p);
/* TEXT, or "-" for standard input; NULL (error printed) when not UTF-8. */
char *cm_text(const char *arg, struct out *o);
/* A time for --at and --expires (see cli_msg.c). */
int cm_parse_at(const char *s, int64_t *out, struct out *o);
void cm_when(int64_t t, char *buf, size_t n);
/* Queue a payload of `kind` in the outbox; then send unless no_send. */
int cm_queue(struct ctx *c, const char *kind, json_t *payload, int64_t *id,
	     struct out *o);
int cm_finish(struct ctx *c, int64_t mine, bool no_send, struct out *o);

#endif
