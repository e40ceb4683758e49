/* src/server/api_setup: the first start of a new server from the TUI.
 *
 *   GET  /v1/setup   {"needed": true} while the server has no company
 *   POST /v1/setup   {"company", "username", "email", "name", "password"}
 *
 * creates the company and its first administrator and signs them in.  It
 * works only while no company exists and only from the server's own
 * machine (a loopback address), so a server put on a network before its
 * admin ran `confabd admin init` cannot be claimed by someone else.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"
#include "common/str.h"

#include <string.h>

static bool loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "::ffff:127.", 11) == 0;
}

void api_setup_get(struct req *q, struct reply *r)
{
	pthread_mutex_lock(&q->s->lock);
	int64_t n = srv_company_count(q->s->db);
	pthread_mutex_unlock(&q->s->lock);
	r->json = json_pack("{s:b,s:b}", "needed", n == 0, "here",
			    loopback(q->addr));
}

void api_setup(struct req *q, struct reply *r)
{
	const char *company, *user, *email, *name, *pw, *why;
	json_t *j = req_json(q, r);
	struct srv_user u = { 0 };
	char *err = NULL;
	int64_t cid;

	if (!j)
		return;
	if (json_field(j, "company", true, 200, &company, r) < 0 ||
	    json_field(j, "username", true, 64, &user, r) < 0 ||
	    json_field(j, "email", true, 254, &email, r) < 0 ||
	    json_field(j, "name", false, 200, &name, r) < 0 ||
	    json_field(j, "password", true, 1024, &pw, r) < 0)
		goto out;
	if (!loopback(q->addr)) {
		reply_error(r, 403, "forbidden", "a new server is set up from "
			    "its own machine, or with `confabd admin init`");
		goto out;
	}
	if (!*company) {
		reply_error(r, 400, "bad_request", "field 'company' is empty");
		goto out;
	}
	if (!auth_username_ok(user)) {
		reply_error(r, 400, "bad_request", "field 'username': 2 to 64 "
			    "letters, digits, '.', '-' or '_'");
		goto out;
	}
	if (!strchr(email, '@') || strchr(email, ' ')) {
		reply_error(r, 400, "bad_request", "field 'email' is not an "
			    "email address");
		goto out;
	}
	if ((why = auth_password_problem(pw))) {
		reply_error(r, 400, "bad_request", "field 'password': %s", why);
		goto out;
	}
	u.username = xstrdup(user);
	u.email = xstrdup(email);
	u.name = xstrdup(name && *name ? name : NULL);
	u.perms = PERM_ALL;
	u.pw_hash = auth_hash_password(q->s, pw);	/* slow: unlocked */
	if (!u.pw_hash) {
		reply_error(r, 500, "internal", "cannot hash the password");
		goto out;
	}
	pthread_mutex_lock(&q->s->lock);
	if (srv_company_count(q->s->db) > 0) {
		reply_error(r, 409, "conflict", "this server has a company "
			    "already: sign in");
	} else if (db_begin(q->s->db) < 0 ||
		   srv_company_create(q->s->db, company, &cid) < 0 ||
		   (u.company_id = cid, srv_user_add(q->s->db, &u, &err)) < 0) {
		db_rollback(q->s->db);
		reply_error(r, 500, "internal", "cannot create the company%s%s",
			    err ? ": " : "", err ? err : "");
	} else {
		srv_audit(q->s->db, cid, u.id, "setup", u.username, NULL);
		if (db_commit(q->s->db) < 0) {
			reply_error(r, 500, "internal", "cannot store the "
				    "company");
		} else {
			log_info("setup", "company '%s' created with admin %s",
				 company, user);
			auth_new_session(q, r, &u);
		}
	}
	pthread_mutex_unlock(&q->s->lock);
out:
	srv_user_clear(&u);
	free(err);
	json_decref(j);
}
