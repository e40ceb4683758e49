/* src/server/auth: passwords, session tokens and sign-in throttling.
 *
 * Passwords are argon2id (libsodium's crypto_pwhash_str).  A session
 * token is 32 random bytes, given to the client in base64url and stored
 * as its BLAKE2b hash, so a copy of the database signs nobody in.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int auth_init(struct srv *s, char **err)
{
	const char *c = s->conf.password_cost;

	if (sodium_init() < 0) {
		*err = xstrdup("libsodium cannot start");
		return -1;
	}
	if (strcmp(c, "min") == 0) {	/* tests only */
		s->pw_ops = crypto_pwhash_OPSLIMIT_MIN;
		s->pw_mem = crypto_pwhash_MEMLIMIT_MIN;
	} else if (strcmp(c, "moderate") == 0) {
		s->pw_ops = crypto_pwhash_OPSLIMIT_MODERATE;
		s->pw_mem = crypto_pwhash_MEMLIMIT_MODERATE;
	} else if (strcmp(c, "sensitive") == 0) {
		s->pw_ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		s->pw_mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
	} else {
		s->pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		s->pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
	return 0;
}

char *auth_hash_password(struct srv *s, const char *pw)
{
	char out[crypto_pwhash_STRBYTES];

	if (crypto_pwhash_str(out, pw, strlen(pw), s->pw_ops, s->pw_mem) != 0)
		return NULL;
	return xstrdup(out);
}

bool auth_check_password(const char *hash, const char *pw)
{
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

const char *auth_password_problem(const char *pw)
{
	size_t n = strlen(pw);

	if (n < 8)
		return "a password needs at least 8 characters";
	if (n > 256)
		return "a password may have at most 256 characters";
	return NULL;
}

static void hash32(const void *in, size_t n, uint8_t out[32])
{
	crypto_generichash(out, 32, in, n, NULL, 0);
}

char *auth_new_token(uint8_t hash[32])
{
	uint8_t raw[32];
	char b64[sodium_base64_ENCODED_LEN(32,
			sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(raw, sizeof raw);
	hash32(raw, sizeof raw, hash);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return xstrdup(b64);
}

bool auth_token_hash(const char *token, uint8_t hash[32])
{
	uint8_t raw[32];
	size_t n = 0;

	if (!token || strlen(token) != 43 ||
	    sodium_base642bin(raw, sizeof raw, token, 43, NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != 32)
		return false;
	hash32(raw, sizeof raw, hash);
	return true;
}

/* Codes are typed by people: no 0/O, 1/I/L. */
static const char code_chars[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

char *auth_new_code(uint8_t hash[32])
{
	char code[11];

	for (int i = 0; i < 10; i++)
		code[i] = code_chars[randombytes_uniform(sizeof code_chars - 1)];
	code[10] = '\0';
	hash32(code, 10, hash);
	return xstrdup(code);
}

bool auth_code_hash(const char *code, uint8_t hash[32])
{
	char c[11];
	size_t n = 0;

	for (const char *p = code; p && *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		char u = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		if (n == 10 || !strchr(code_chars, u))
			return false;
		c[n++] = u;
	}
	if (n != 10)
		return false;
	hash32(c, 10, hash);
	return true;
}

int auth_require(struct req *q, struct reply *r)
{
	uint8_t h[32];
	int64_t sid = 0, uid = 0;
	const char *a = q->auth;
	int rc;

	if (!a || strncasecmp(a, "Bearer ", 7) != 0) {
		reply_error(r, 401, "unauthorized", "sign in first (no Bearer "
			    "token)");
		return -1;
	}
	if (!auth_token_hash(a + 7, h)) {
		reply_error(r, 401, "unauthorized", "the token is not valid");
		return -1;
	}
	pthread_mutex_lock(&q->s->lock);
	rc = srv_session_find(q->s->db, h, (int64_t)time(NULL), &sid, &uid);
	if (rc == 0) {
		q->user = xcalloc(1, sizeof *q->user);
		rc = srv_user_get(q->s->db, uid, q->user);
	}
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, 401, "unauthorized", "the token is not valid, "
			    "expired or revoked: sign in again");
		return -1;
	}
	q->session_id = sid;
	return 0;
}

bool auth_username_ok(const char *name)
{
	size_t n = strlen(name);

	if (n < 2 || n > 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}
