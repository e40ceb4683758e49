/* fuzz_server: libFuzzer target for confabd's request handling.
 *
 * The first byte picks a route (and whether a valid session token goes
 * along); the rest is the request body.  For POST /v1/attachments the
 * body's first line is the Content-Type and the rest the file, so that
 * uploads of every kind are reached.  Runs against a real store in
 * memory with one company and user, so handlers reach their database
 * paths.  Beyond the sanitizers it checks every reply: a status from 200
 * to 599, a JSON body (or the bytes of an attachment), and an error body
 * for every status >= 400.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/str.h"
#include "server/server.h"
#include "store/server.h"

static struct srv s;
static char *token;

static void setup(void)
{
	char *err = NULL;
	uint8_t h[32];

	log_open("/dev/null", LOG_ERR);
	srv_conf_defaults(&s.conf);
	str_set(&s.conf.password_cost, "min");
	if (auth_init(&s, &err) < 0 ||
	    db_open(&s.db, ":memory:", db_server_migrations,
		    db_server_nmigrations, &err) < 0)
		abort();
	pthread_mutex_init(&s.lock, NULL);
	int64_t company;
	srv_company_create(s.db, "Fuzz Ltd", &company);
	struct srv_user u = { .company_id = company, .perms = PERM_ALL };
	u.username = xstrdup("alice");
	u.email = xstrdup("alice@fuzz.test");
	u.pw_hash = auth_hash_password(&s, "correct horse 1");
	srv_user_add(s.db, &u, &err);
	token = auth_new_token(h);
	srv_session_add(s.db, u.id, h, INT64_MAX / 2, "fuzz", NULL);
	srv_user_clear(&u);
	struct srv_user b = { .company_id = company, .perms = PERM_PHONE };
	b.username = xstrdup("bob");
	b.email = xstrdup("bob@fuzz.test");
	srv_user_add(s.db, &b, &err);
	srv_user_clear(&b);
}

/* New routes go at the end: a seed's first byte keeps its route. */
static const struct { const char *method, *path; } routes[] = {
	{ "POST", "/v1/login" }, { "POST", "/v1/logout" },
	{ "GET", "/v1/me" }, { "POST", "/v1/password" },
	{ "POST", "/v1/password/reset" },
	{ "POST", "/v1/password/reset/confirm" }, { "GET", "/healthz" },
	{ "GET", "/metrics" }, { "PUT", "/v1/login" }, { "GET", "/nope" },
	{ "GET", "/v1/users" }, { "POST", "/v1/users" },
	{ "GET", "/v1/users/bob" }, { "PATCH", "/v1/users/bob" },
	{ "POST", "/v1/presence" }, { "GET", "/v1/users/bob/x" },
	{ "GET", "/v1/monitor" }, { "POST", "/v1/monitor" },
	{ "POST", "/v1/monitor/accept" }, { "POST", "/v1/monitor/decline" },
	{ "DELETE", "/v1/monitor/bob" },
	{ "PUT", "/v1/users/bob/photo" }, { "GET", "/v1/users/alice/photo" },
	{ "DELETE", "/v1/users/alice/photo" }, { "GET", "/v1/company" },
	{ "PATCH", "/v1/company" }, { "PUT", "/v1/company/logo" },
	{ "POST", "/v1/messages" }, { "GET", "/v1/messages" },
	{ "GET", "/v1/messages/1" }, { "PATCH", "/v1/messages/1" },
	{ "DELETE", "/v1/messages/1" }, { "POST", "/v1/announcements" },
	{ "POST", "/v1/reminders" }, { "POST", "/v1/attachments" },
	{ "GET", "/v1/attachments/1" },
	{ "POST", "/v1/calls" }, { "GET", "/v1/calls" },
	{ "GET", "/v1/calls/x" }, { "POST", "/v1/calls/x/ringing" },
	{ "POST", "/v1/calls/x/answer" }, { "POST", "/v1/calls/x/reject" },
	{ "POST", "/v1/calls/x/cancel" }, { "POST", "/v1/calls/x/hangup" },
	{ "POST", "/v1/calls/x/candidate" }, { "GET", "/v1/turn" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (!s.db)
		setup();
	if (len < 1)
		return 0;
	unsigned pick = data[0];
	size_t nr = sizeof routes / sizeof routes[0];
	char *body = xstrndup((const char *)data + 1, len - 1), *type = NULL;
	char *auth = pick & 0x80 ? xasprintf("Bearer %s", token) :
		     pick & 0x40 ? xasprintf("Bearer %.*s", (int)(len - 1),
					     (const char *)data + 1) : NULL;
	struct req q = { .s = &s, .method = routes[(pick & 0x3f) % nr].method,
			 .path = routes[(pick & 0x3f) % nr].path,
			 .body = body, .len = len - 1, .auth = auth };
	struct reply r = { 0 };

	snprintf(q.addr, sizeof q.addr, "10.0.0.%u", pick & 7);
	if (strcmp(q.path, "/v1/attachments") == 0) {
		const char *nl = memchr(body, '\n', q.len);
		if (nl) {
			type = xstrndup(body, (size_t)(nl - body));
			q.content_type = type;
			q.body = nl + 1;
			q.len -= (size_t)(nl - body) + 1;
		}
	}
	/* a password change or sign-out would end the fuzzer's session */
	if ((strcmp(q.path, "/v1/password") == 0 ||
	     strcmp(q.path, "/v1/logout") == 0) && (pick & 0x80))
		q.auth = NULL;
	http_dispatch(&q, &r);
	if (q.user) {
		srv_user_clear(q.user);
		free(q.user);
	}
	int st = r.status ? r.status : 200;
	if (st < 200 || st > 599 || (!r.json && !r.text && !r.data))
		__builtin_trap();
	if (r.data && (st != 200 || !r.content_type || !r.sha256))
		__builtin_trap();	/* bytes go with their type and sum */
	if (st >= 400 && !json_object_get(r.json, "error"))
		__builtin_trap();
	json_decref(r.json);
	free(r.text);
	free(r.data);
	free(r.sha256);
	free(r.type_owned);
	free(type);
	free(body);
	free(auth);
	return 0;
}
