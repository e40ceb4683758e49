/* src/server/conf: confabd's config file.
 *
 *   # comment
 *   listen = 127.0.0.1:8740
 *   data_dir = /var/lib/confabd
 *
 * One `key = value` per line; unknown keys and bad values are errors
 * naming the file and line, so a typo never goes unnoticed.
 */
#include "server/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void srv_conf_defaults(struct srv_conf *c)
{
	memset(c, 0, sizeof *c);
	c->listen = xstrdup("127.0.0.1:8740");
	c->data_dir = xstrdup("/var/lib/confabd");
	c->token_days = 30;
	c->threads = 4;
	c->max_body = 64 * 1024;
	c->password_cost = xstrdup("interactive");
	c->presence_timeout = 90;	/* > the longest poll (60 s) */
	c->call_ring_timeout = 45;
	c->turn_ttl = 86400;
}

void srv_conf_clear(struct srv_conf *c)
{
	free(c->listen);
	free(c->data_dir);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->smtp_url);
	free(c->smtp_from);
	free(c->smtp_user);
	if (c->smtp_password)	/* a secret: not left in freed memory */
		memset(c->smtp_password, 0, strlen(c->smtp_password));
	free(c->smtp_password);
	free(c->password_cost);
	free(c->turn_uris);
	free(c->stun_uris);
	if (c->turn_secret)
		memset(c->turn_secret, 0, strlen(c->turn_secret));
	free(c->turn_secret);
	free(c->source);
	memset(c, 0, sizeof *c);
}

static int set_int(const char *v, int lo, int hi, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int set_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -1;
	return 0;
}

static int set(struct srv_conf *c, const char *k, const char *v, char **why)
{
	int n;

	if (strcmp(k, "listen") == 0)
		str_set(&c->listen, v);
	else if (strcmp(k, "data_dir") == 0)
		str_set(&c->data_dir, v);
	else if (strcmp(k, "tls_cert") == 0)
		str_set(&c->tls_cert, v);
	else if (strcmp(k, "tls_key") == 0)
		str_set(&c->tls_key, v);
	else if (strcmp(k, "smtp_url") == 0) {
		if (strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8))
			return *why = xstrdup("smtp_url starts with smtp:// "
					      "or smtps://"), -1;
		str_set(&c->smtp_url, v);
	} else if (strcmp(k, "smtp_from") == 0)
		str_set(&c->smtp_from, v);
	else if (strcmp(k, "smtp_user") == 0)
		str_set(&c->smtp_user, v);
	else if (strcmp(k, "smtp_password") == 0)
		str_set(&c->smtp_password, v);
	else if (strcmp(k, "smtp_starttls") == 0) {
		if (set_bool(v, &c->smtp_starttls) < 0)
			return *why = xstrdup("smtp_starttls is yes or no"), -1;
	} else if (strcmp(k, "presence_timeout") == 0) {
		if (set_int(v, 2, 86400, &c->presence_timeout) < 0)
			return *why = xstrdup("presence_timeout takes 2 to "
					      "86400 (seconds)"), -1;
	} else if (strcmp(k, "token_days") == 0) {
		if (set_int(v, 1, 3650, &c->token_days) < 0)
			return *why = xstrdup("token_days takes 1 to 3650"), -1;
	} else if (strcmp(k, "threads") == 0) {
		if (set_int(v, 1, 64, &c->threads) < 0)
			return *why = xstrdup("threads takes 1 to 64"), -1;
	} else if (strcmp(k, "max_body_kb") == 0) {
		if (set_int(v, 1, 64 * 1024, &n) < 0)
			return *why = xstrdup("max_body_kb takes 1 to 65536"), -1;
		c->max_body = (size_t)n * 1024;
	} else if (strcmp(k, "password_cost") == 0) {
		if (strcmp(v, "interactive") && strcmp(v, "moderate") &&
		    strcmp(v, "sensitive") && strcmp(v, "min"))
			return *why = xstrdup("password_cost is interactive, "
					      "moderate, sensitive or min"), -1;
		str_set(&c->password_cost, v);
	} else if (strcmp(k, "call_ring_timeout") == 0) {
		if (set_int(v, 1, 600, &c->call_ring_timeout) < 0)
			return *why = xstrdup("call_ring_timeout takes 1 to "
					      "600 (seconds)"), -1;
	} else if (strcmp(k, "turn_uris") == 0 || strcmp(k, "stun_uris") == 0) {
		bool turn = k[0] == 't';
		if ((*why = turn_uris_problem(v, turn)))
			return -1;
		str_set(turn ? &c->turn_uris : &c->stun_uris, *v ? v : NULL);
	} else if (strcmp(k, "turn_secret") == 0) {
		str_set(&c->turn_secret, *v ? v : NULL);
	} else if (strcmp(k, "turn_ttl") == 0) {
		if (set_int(v, 60, 30 * 86400, &c->turn_ttl) < 0)
			return *why = xstrdup("turn_ttl takes 60 to 2592000 "
					      "(seconds)"), -1;
	} else {
		*why = xasprintf("unknown setting '%s'", k);
		return -1;
	}
	return 0;
}

int srv_conf_load(struct srv_conf *c, const char *path, bool required,
		  char **err)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned n = 0;

	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	str_set(&c->source, path);
	while (fgets(line, sizeof line, f)) {
		n++;
		char *s = str_trim(line), *eq, *why = NULL;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			*err = xasprintf("%s:%u: expected 'key = value'", path, n);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		char *k = str_trim(s), *v = str_trim(eq + 1);
		if (set(c, k, v, &why) < 0) {
			*err = xasprintf("%s:%u: %s", path, n, why);
			free(why);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	if (!c->tls_cert != !c->tls_key) {
		*err = xasprintf("%s: tls_cert and tls_key go together", path);
		return -1;
	}
	/* the envelope sender is taken from it: no guessing a hostname */
	if (c->smtp_url && !c->smtp_from) {
		*err = xasprintf("%s: smtp_url needs smtp_from (the sender "
				 "address)", path);
		return -1;
	}
	/* coturn's REST credentials: the URIs and the secret go together */
	if (!c->turn_uris != !c->turn_secret) {
		*err = xasprintf("%s: turn_uris and turn_secret go together "
				 "(the secret is coturn's static-auth-secret)",
				 path);
		return -1;
	}
	char *from = c->smtp_from ? mail_bare_addr(c->smtp_from) : NULL;
	bool bad_from = c->smtp_from && !from;
	free(from);
	if (bad_from) {
		*err = xasprintf("%s: smtp_from '%s' is not an address (e.g. "
				 "confab@example.com or Confab "
				 "<confab@example.com>)", path, c->smtp_from);
		return -1;
	}
	return 0;
}
