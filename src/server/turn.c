/* src/server/turn: TURN credentials for the media path.
 *
 *   GET /v1/turn -> {"username","password","ttl","expires","uris":[...]}
 *
 * coturn's REST API scheme (turnserver --use-auth-secret
 * --static-auth-secret SECRET): confabd and coturn share turn_secret and
 * nothing else; a credential is
 *
 *   username = "<unix time it expires>:<confab username>"
 *   password = base64(HMAC-SHA1(turn_secret, username))
 *
 * which coturn checks by itself (and refuses once the time has passed),
 * so confabd never talks to it.  "uris" lists turn_uris, then stun_uris.
 * Without turn_secret the answer has the STUN servers only and no
 * username or password; with neither configured it is 503.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/sha1.h"
#include "common/str.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *turn_password(const char *secret, const char *username)
{
	uint8_t mac[SHA1_LEN];
	char b64[sodium_base64_ENCODED_LEN(SHA1_LEN,
					   sodium_base64_VARIANT_ORIGINAL)];

	sha1_hmac(secret, strlen(secret), username, strlen(username), mac);
	sodium_bin2base64(b64, sizeof b64, mac, sizeof mac,
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(mac, sizeof mac);
	return xstrdup(b64);
}

/* Each item of a comma-separated list, trimmed; empty ones skipped. */
static void each_uri(const char *list, void (*fn)(const char *, size_t,
						  void *), void *arg)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		const char *a = p, *b = p + n;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a)
			fn(a, (size_t)(b - a), arg);
		p += n + (p[n] == ',');
	}
}

struct check {
	const char *a, *b;	/* the schemes allowed */
	char *why;
};

static void check_one(const char *u, size_t n, void *arg)
{
	struct check *c = arg;
	size_t la = strlen(c->a), lb = strlen(c->b);

	if (c->why)
		return;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == 0x7f) {
			c->why = xasprintf("'%.*s' holds a space or control "
					   "character", (int)n, u);
			return;
		}
	if (!(n > la && strncmp(u, c->a, la) == 0) &&
	    !(n > lb && strncmp(u, c->b, lb) == 0))
		c->why = xasprintf("'%.*s' does not start with %s or %s "
				   "(e.g. %s192.0.2.1:3478)", (int)n, u, c->a,
				   c->b, c->a);
}

char *turn_uris_problem(const char *list, bool turn)
{
	struct check c = { turn ? "turn:" : "stun:",
			   turn ? "turns:" : "stuns:", NULL };

	each_uri(list, check_one, &c);
	return c.why;
}

static void add_uri(const char *u, size_t n, void *arg)
{
	json_array_append_new(arg, json_stringn(u, n));
}

void api_turn(struct req *q, struct reply *r)
{
	const struct srv_conf *c = &q->s->conf;

	if (auth_require(q, r) < 0)
		return;
	if (!c->turn_secret && !c->stun_uris) {
		reply_error(r, 503, "turn_unconfigured", "this server has no "
			    "TURN or STUN server configured (turn_uris, "
			    "turn_secret, stun_uris in confabd.conf): calls "
			    "can only take direct paths");
		return;
	}
	json_t *uris = json_array();
	if (c->turn_secret)
		each_uri(c->turn_uris, add_uri, uris);
	each_uri(c->stun_uris, add_uri, uris);
	r->json = json_pack("{s:I,s:o}", "ttl", (json_int_t)c->turn_ttl,
			    "uris", uris);
	if (c->turn_secret) {
		int64_t expires = (int64_t)time(NULL) + c->turn_ttl;
		char *user = xasprintf("%lld:%s", (long long)expires,
				       q->user->username);
		char *pw = turn_password(c->turn_secret, user);
		json_object_set_new(r->json, "username", json_string(user));
		json_object_set_new(r->json, "password", json_string(pw));
		json_object_set_new(r->json, "expires", json_integer(expires));
		free(pw);
		free(user);
	}
}
