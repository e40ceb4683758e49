/* src/server/api_auth: signing in and out, who am I, passwords.
 *
 * Sign-in failures are throttled per account and per client address: after
 * THROTTLE_FREE failures in a row on an account (THROTTLE_FREE_ADDR from
 * one address: a whole office may share one behind NAT) each further try
 * must wait twice as long as the one before (1 s, 2 s, 4 s… up to
 * THROTTLE_MAX), answered 429 with Retry-After.  The answer to a failure never says whether the
 * account exists, and an unknown name costs the same hashing time.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THROTTLE_FREE 3		/* failures before any wait */
#define THROTTLE_FREE_ADDR 20	/* the same from one address */
#define THROTTLE_MAX 900	/* seconds */
#define THROTTLE_FORGET 3600	/* failures older than this are forgotten */

json_t *user_json(struct srv *s, const struct srv_user *u)
{
	json_t *perms = json_array();
	char *cname = srv_company_name(s->db, u->company_id);

	for (int b = 1; b & PERM_ALL; b <<= 1)
		if (u->perms & b)
			json_array_append_new(perms,
					      json_string(srv_perm_name(b)));
	json_t *j = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?,s:o,s:{s:I,s:s?}}",
			      "id", (json_int_t)u->id, "username", u->username,
			      "email", u->email, "name", u->name, "title",
			      u->title, "department", u->department, "perms",
			      perms, "company", "id",
			      (json_int_t)u->company_id, "name", cname);
	free(cname);
	return j;
}

/* Seconds to wait before the next try for `key`; 0 when it may go. */
static int wait_for(struct srv *s, const char *key, int free_tries,
		    int64_t now)
{
	int failures;
	int64_t last;

	srv_throttle_get(s->db, key, &failures, &last);
	if (failures < free_tries || now - last > THROTTLE_FORGET)
		return 0;
	int shift = failures - free_tries;
	int64_t delay = shift >= 10 ? THROTTLE_MAX : 1LL << shift;
	if (delay > THROTTLE_MAX)
		delay = THROTTLE_MAX;
	return now - last >= delay ? 0 : (int)(delay - (now - last));
}

void auth_new_session(struct req *q, struct reply *r,
		      const struct srv_user *u)
{
	uint8_t h[32];
	char *token = auth_new_token(h);
	int64_t now = (int64_t)time(NULL);
	int64_t exp = now + (int64_t)q->s->conf.token_days * 86400, sid;

	if (srv_session_add(q->s->db, u->id, h, exp, q->addr, &sid) < 0) {
		reply_error(r, 500, "internal", "cannot store the session");
	} else {
		presence_seen(q->s, sid, u->id);
		presence_session_started(q->s, u->id);
		r->status = 200;
		r->json = json_pack("{s:s,s:I,s:o}", "token", token, "expires",
				    (json_int_t)exp, "user",
				    user_json(q->s, u));
	}
	free(token);
}

void api_login(struct req *q, struct reply *r)
{
	json_t *j = req_json(q, r);
	const char *name, *pw;
	struct srv *s = q->s;

	if (!j)
		return;
	if (json_field(j, "username", true, 254, &name, r) < 0 ||
	    json_field(j, "password", true, 1024, &pw, r) < 0) {
		json_decref(j);
		return;
	}
	char *ukey = xasprintf("u:%s", name), *akey = xasprintf("a:%s",
								 q->addr);
	char *lower = str_fold(ukey);
	int64_t now = (int64_t)time(NULL);
	struct srv_user u = { 0 };

	pthread_mutex_lock(&s->lock);
	int wait = wait_for(s, lower, THROTTLE_FREE, now);
	int w2 = wait_for(s, akey, THROTTLE_FREE_ADDR, now);
	int found = srv_user_find(s->db, name, &u);
	pthread_mutex_unlock(&s->lock);
	if (w2 > wait)
		wait = w2;
	if (wait) {
		atomic_fetch_add(&s->m.logins_throttled, 1);
		reply_error(r, 429, "too_many_attempts", "too many failed "
			    "sign-ins: try again in %d s", wait);
		r->retry_after = wait;
		goto out;
	}
	/* Hash outside the lock: it is the slow part, on purpose. */
	bool can = found == 0 && !u.disabled && u.pw_hash;
	bool ok = can && auth_check_password(u.pw_hash, pw);
	if (!can) {	/* the same work for an unknown name or an invitee */
		char *dummy = auth_hash_password(s, pw);
		free(dummy);
	}
	pthread_mutex_lock(&s->lock);
	if (ok) {
		srv_throttle_clear(s->db, lower);
		auth_new_session(q, r, &u);
		atomic_fetch_add(&s->m.logins_ok, 1);
	} else {
		srv_throttle_fail(s->db, lower, now);
		srv_throttle_fail(s->db, akey, now);
		atomic_fetch_add(&s->m.logins_failed, 1);
		reply_error(r, 401, "bad_credentials", "wrong username or "
			    "password");
		log_info("auth", "failed sign-in for '%s' from %s", name,
			 q->addr);
	}
	pthread_mutex_unlock(&s->lock);
out:
	srv_user_clear(&u);
	free(ukey);
	free(lower);
	free(akey);
	json_decref(j);
}

void api_logout(struct req *q, struct reply *r)
{
	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_session_revoke(q->s->db, q->session_id);
	if (rc == 0) {
		presence_forget(q->s, q->session_id);
		presence_session_ended(q->s, q->user->id);
	}
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0)
		reply_error(r, 500, "internal", "cannot end the session");
	else
		r->json = json_pack("{s:s}", "status", "signed out");
}

/* The client process goes away (it exits) without signing out: the
 * session stops counting for presence at once, so that calls to the user
 * no longer ring there; its next request brings it back. */
void api_bye(struct req *q, struct reply *r)
{
	json_t *j = NULL;
	const char *inst = NULL;

	if (auth_require(q, r) < 0 || (q->len && !(j = req_json(q, r))))
		return;
	if (j && json_field(j, "instance", false, 64, &inst, r) < 0) {
		json_decref(j);
		return;
	}
	pthread_mutex_lock(&q->s->lock);
	presence_leave(q->s, q->session_id, q->user->id, presence_inst(inst));
	presence_session_ended(q->s, q->user->id);
	pthread_mutex_unlock(&q->s->lock);
	r->json = json_pack("{s:s}", "status", "gone");
	json_decref(j);
}

void api_me(struct req *q, struct reply *r)
{
	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	presence_seen(q->s, q->session_id, q->user->id);
	r->json = user_json(q->s, q->user);
	pthread_mutex_unlock(&q->s->lock);
}

/* Set a new password: every session ends, and every code the user still
 * had is used up; a new session for this client. */
static void set_password(struct req *q, struct reply *r,
			 struct srv_user *u, const char *pw,
			 const char *action)
{
	char *h = auth_hash_password(q->s, pw);

	if (!h) {
		reply_error(r, 500, "internal", "cannot hash the password");
		return;
	}
	pthread_mutex_lock(&q->s->lock);
	if (srv_user_set_password(q->s->db, u->id, h) < 0 ||
	    srv_session_revoke_user(q->s->db, u->id) < 0 ||
	    srv_reset_drop_user(q->s->db, u->id) < 0)
		reply_error(r, 500, "internal", "cannot store the password");
	else {
		srv_audit(q->s->db, u->company_id, u->id, action,
			  u->username, NULL);
		auth_new_session(q, r, u);
	}
	pthread_mutex_unlock(&q->s->lock);
	free(h);
}

void api_password(struct req *q, struct reply *r)
{
	const char *old, *pw, *why;
	json_t *j;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	if (json_field(j, "old_password", true, 1024, &old, r) == 0 &&
	    json_field(j, "new_password", true, 1024, &pw, r) == 0) {
		if (!auth_check_password(q->user->pw_hash, old))
			reply_error(r, 403, "bad_credentials", "field "
				    "'old_password' is not your password");
		else if ((why = auth_password_problem(pw)))
			reply_error(r, 400, "bad_request",
				    "field 'new_password': %s", why);
		else
			set_password(q, r, q->user, pw, "password.change");
	}
	json_decref(j);
}

/* Always 202, at once: whether the account exists is not said, and the
 * lookup, the code and the mail happen later on the mail worker (codes.c),
 * so the timing does not say it either.  Without SMTP the admin hands out
 * codes with `confabd admin reset-code`. */
void api_reset_request(struct req *q, struct reply *r)
{
	json_t *j = req_json(q, r);
	const char *who;

	if (!j)
		return;
	if (json_field(j, "user", true, 254, &who, r) < 0) {
		json_decref(j);
		return;
	}
	codes_reset_request(q->s, who);
	r->status = 202;
	r->json = json_pack("{s:s}", "status", "if that account exists, a "
			    "reset code is on its way");
	json_decref(j);
}

void api_reset_confirm(struct req *q, struct reply *r)
{
	json_t *j = req_json(q, r);
	const char *code, *pw, *why;
	uint8_t h[32];
	int64_t uid = 0;
	struct srv_user u = { 0 };

	if (!j)
		return;
	if (json_field(j, "code", true, 64, &code, r) < 0 ||
	    json_field(j, "new_password", true, 1024, &pw, r) < 0)
		goto out;
	if ((why = auth_password_problem(pw))) {
		reply_error(r, 400, "bad_request", "field 'new_password': %s",
			    why);
		goto out;
	}
	pthread_mutex_lock(&q->s->lock);
	int rc = auth_code_hash(code, h) ?
		 srv_reset_take(q->s->db, h, (int64_t)time(NULL), &uid) : -1;
	if (rc == 0)
		rc = srv_user_get(q->s->db, uid, &u);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0 || u.disabled)
		reply_error(r, 400, "bad_code", "field 'code': the code is "
			    "wrong, used or expired");
	else
		set_password(q, r, &u, pw, "password.reset");
out:
	srv_user_clear(&u);
	json_decref(j);
}
