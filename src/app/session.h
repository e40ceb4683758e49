/* app/session: the signed-in session, kept in DATA_DIR/session.json with
 * mode 0600 (it holds the bearer token). */
#ifndef CONFAB_APP_SESSION_H
#define CONFAB_APP_SESSION_H

#include <stdint.h>

struct app;

struct session {
	char *server;	/* base URL */
	char *user;	/* username */
	char *company;
	char *token;
	int64_t expires;
};

/* 0, or -ENOENT when not signed in (other errors: unreadable file). */
int session_load(const struct app *a, struct session *s);
/* Written to a temp file (0600) and renamed over the old one. */
int session_save(const struct app *a, const struct session *s, char **err);
int session_clear(const struct app *a);
void session_free(struct session *s);
/* A session from the reply to POST /v1/login on `server`; -1 when the
 * reply has no token or user. */
#include <jansson.h>
int session_from_login(struct session *s, const char *server, json_t *reply);

#endif
