/* app/session: the signed-in session file. */
#include "app/session.h"
#include "app/app.h"
#include "common/paths.h"
#include "common/str.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *path_of(const struct app *a)
{
	return paths_join(a->data_dir, "session.json");
}

int session_load(const struct app *a, struct session *s)
{
	char *p = path_of(a);
	json_error_t e;
	json_t *j = json_load_file(p, 0, &e);
	const char *server = NULL, *user = NULL, *token = NULL,
		   *company = NULL;
	json_int_t exp = 0;
	int rc = 0;

	memset(s, 0, sizeof *s);
	if (!j) {
		rc = access(p, F_OK) == 0 ? -EIO : -ENOENT;
	} else if (json_unpack(j, "{s:s,s:s,s:s,s?s,s?I}", "server", &server,
			       "user", &user, "token", &token, "company",
			       &company, "expires", &exp) != 0) {
		rc = -EIO;
	} else {
		s->server = xstrdup(server);
		s->user = xstrdup(user);
		s->token = xstrdup(token);
		s->company = xstrdup(company);
		s->expires = exp;
	}
	json_decref(j);
	free(p);
	return rc;
}

int session_save(const struct app *a, const struct session *s, char **err)
{
	char *p = path_of(a), *tmp = xasprintf("%s.tmp", p);
	json_t *j = json_pack("{s:s,s:s,s:s?,s:s,s:I}", "server", s->server,
			      "user", s->user, "company", s->company, "token",
			      s->token, "expires", (json_int_t)s->expires);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0 || !j || json_dumpfd(j, fd, JSON_INDENT(2)) != 0 ||
	    fsync(fd) != 0) {
		*err = xasprintf("cannot write %s: %s", tmp, strerror(errno));
		rc = -EIO;
	}
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rename(tmp, p) != 0) {
		*err = xasprintf("cannot write %s: %s", p, strerror(errno));
		rc = -EIO;
	}
	if (rc < 0)
		unlink(tmp);
	json_decref(j);
	free(tmp);
	free(p);
	return rc;
}

int session_clear(const struct app *a)
{
	char *p = path_of(a);
	int rc = unlink(p) == 0 || errno == ENOENT ? 0 : -errno;

	free(p);
	return rc;
}

void session_free(struct session *s)
{
	free(s->server);
	free(s->user);
	free(s->company);
	free(s->token);
	memset(s, 0, sizeof *s);
}

int session_from_login(struct session *s, const char *server, json_t *reply)
{
	json_t *u = json_object_get(reply, "user");
	const char *user = json_string_value(json_object_get(u, "username"));
	const char *token = json_string_value(json_object_get(reply, "token"));

	memset(s, 0, sizeof *s);
	if (!user || !token)
		return -1;
	s->server = xstrdup(server);
	s->user = xstrdup(user);
	s->token = xstrdup(token);
	s->company = xstrdup(json_string_value(json_object_get(
		json_object_get(u, "company"), "name")));
	s->expires = json_integer_value(json_object_get(reply, "expires"));
	return 0;
}
