/* src/server/api_users: the company directory, profiles, user admin and
 * presence.
 *
 * Every handler works inside the caller's company: users of another
 * company are "not found", never "forbidden", so their names do not leak.
 * Adding and editing users takes the admin or user-admin permission; only
 * an admin grants or removes the admin permission.  Each admin action is
 * written to the audit log.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DIRECTORY_MAX 500

static bool is_user_admin(const struct srv_user *u)
{
	return u->perms & (PERM_ADMIN | PERM_USER_ADMIN);
}

static json_t *entry_json(struct srv *s, const struct srv_entry *e,
			  bool admin_view)
{
	json_t *j = user_json(s, &e->u);

	json_object_set_new(j, "presence", json_pack("{s:s,s:s?,s:I}",
		"state", srv_state_name(e->state), "note", e->note, "since",
		(json_int_t)e->since));
	if (admin_view)
		json_object_set_new(j, "disabled", json_boolean(e->u.disabled));
	return j;
}

void api_users_list(struct req *q, struct reply *r)
{
	struct srv_entry *v;
	size_t n;

	if (auth_require(q, r) < 0)
		return;
	const char *text = req_query(q, "q");
	bool all = is_user_admin(q->user) && req_query(q, "all");
	if (text && strlen(text) > 200) {
		reply_error(r, 400, "bad_request", "parameter 'q' is longer "
			    "than 200 bytes");
		return;
	}
	pthread_mutex_lock(&q->s->lock);
	presence_seen(q->s, q->session_id, q->user->id);
	int rc = srv_directory(q->s->db, q->user->company_id, text, all,
			       DIRECTORY_MAX, &v, &n);
	if (rc == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, entry_json(q->s, &v[i],
					      is_user_admin(q->user)));
		r->json = json_pack("{s:o}", "users", arr);
		srv_entries_free(v, n);
	}
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0)
		reply_error(r, 500, "internal", "cannot read the directory");
}

/* The named user of the caller's company into *u; 404 otherwise. */
static int company_user(struct req *q, struct reply *r, const char *name,
			struct srv_user *u)
{
	int rc = srv_user_find(q->s->db, name, u);

	if (rc == 0 && u->company_id != q->user->company_id) {
		srv_user_clear(u);
		rc = -1;
	}
	if (rc < 0)
		reply_error(r, 404, "not_found", "no user '%s'", name);
	return rc;
}

void api_user_get(struct req *q, struct reply *r)
{
	struct srv_user u;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	presence_seen(q->s, q->session_id, q->user->id);
	if (company_user(q, r, q->rest, &u) == 0) {
		if (u.disabled && !is_user_admin(q->user)) {
			reply_error(r, 404, "not_found", "no user '%s'",
				    q->rest);
		} else {
			struct srv_entry e = { .u = u };
			srv_presence_get(q->s->db, u.id, &e.state, &e.note,
					 &e.since);
			r->json = entry_json(q->s, &e, is_user_admin(q->user));
			profile_add_json(q->s, r->json, u.id,
					 u.id == q->user->id);
			free(e.note);
		}
		srv_user_clear(&u);
	}
	pthread_mutex_unlock(&q->s->lock);
}

/* "perms": ["phone", ...] into a bit set; -1 (r filled) when bad. */
static int perms_field(json_t *j, struct reply *r)
{
	json_t *a = json_object_get(j, "perms"), *v;
	size_t i;
	int perms = 0;

	if (!json_is_array(a)) {
		reply_error(r, 400, "bad_request", "field 'perms' must be an "
			    "array of permission names");
		return -1;
	}
	json_array_foreach(a, i, v) {
		int b = json_is_string(v) ? srv_perm_parse(json_string_value(v))
					  : 0;
		if (!b) {
			reply_error(r, 400, "bad_request", "field 'perms': "
				    "unknown permission at position %zu", i);
			return -1;
		}
		perms |= b;
	}
	return perms;
}

static bool name_ok(const char *u)
{
	size_t n = strlen(u);

	if (n < 2 || n > 64)
		return false;
	for (; *u; u++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789.-_", *u))
			return false;
	return true;
}

/* "password", or no password and "invite": true (r filled when bad). */
static int password_or_invite(json_t *j, const char **pw, bool *invite,
			      struct reply *r)
{
	json_t *inv = json_object_get(j, "invite");
	const char *why;

	if (json_field(j, "password", false, 1024, pw, r) < 0)
		return -1;
	if (inv && !json_is_boolean(inv)) {
		reply_error(r, 400, "bad_request", "field 'invite' must be "
			    "true or false");
		return -1;
	}
	*invite = json_is_true(inv);
	if (*invite && *pw) {
		reply_error(r, 400, "bad_request", "give a 'password' or "
			    "\"invite\": true, not both");
		return -1;
	}
	if (!*invite && !*pw) {
		reply_error(r, 400, "bad_request", "field 'password' is "
			    "missing (or send \"invite\": true to give the "
			    "user a code for choosing one)");
		return -1;
	}
	if (*pw && (why = auth_password_problem(*pw))) {
		reply_error(r, 400, "bad_request", "field 'password': %s", why);
		return -1;
	}
	return 0;
}

/* Store u (and its invite code, then *code is set); lock held. */
static int store_new_user(struct req *q, struct srv_user *u, bool invite,
			  char **code, int64_t *expires, char **err)
{
	int rc = db_begin(q->s->db);

	if (rc == 0)
		rc = srv_user_add(q->s->db, u, err);
	if (rc == 0 && invite && !(*code = codes_invite_new(q->s, u, expires)))
		rc = -1;
	if (rc == 0) {
		char *ps = srv_perms_str(u->perms), *detail = xasprintf("%s%s",
			ps, invite ? " invite" : "");
		srv_audit(q->s->db, u->company_id, q->user->id, "user.add",
			  u->username, detail);
		free(detail);
		free(ps);
	}
	if (rc == 0 && db_commit(q->s->db) == 0)
		return 0;
	db_rollback(q->s->db);
	free(*code);
	*code = NULL;
	return rc < 0 ? rc : -1;
}

/* The invite code goes by mail when there is SMTP, else (or when it
 * could not be queued) to the admin, who hands it over. */
static void invite_reply(struct req *q, struct reply *r,
			 const struct srv_user *u, const char *code,
			 int64_t expires)
{
	const char *by = q->user->name ? q->user->name : q->user->username;
	bool mailed = q->s->conf.smtp_url &&
		      codes_invite_mail(q->s, u, code, expires, by) == 0;

	json_object_set_new(r->json, "invite_expires",
			    json_integer((json_int_t)expires));
	if (mailed)
		json_object_set_new(r->json, "invite_mailed_to",
				    json_string(u->email));
	else
		json_object_set_new(r->json, "invite_code", json_string(code));
}

void api_user_add(struct req *q, struct reply *r)
{
	const char *name, *email, *full, *title, *dept, *pw;
	bool invite = false;
	json_t *j;
	int perms = 0;

	if (auth_require(q, r) < 0)
		return;
	if (!is_user_admin(q->user)) {
		reply_error(r, 403, "forbidden", "adding users takes the "
			    "user-admin permission");
		return;
	}
	if (!(j = req_json(q, r)))
		return;
	if (json_field(j, "username", true, 64, &name, r) < 0 ||
	    json_field(j, "email", true, 254, &email, r) < 0 ||
	    json_field(j, "name", false, 200, &full, r) < 0 ||
	    json_field(j, "title", false, 200, &title, r) < 0 ||
	    json_field(j, "department", false, 200, &dept, r) < 0 ||
	    password_or_invite(j, &pw, &invite, r) < 0 ||
	    (json_object_get(j, "perms") && (perms = perms_field(j, r)) < 0))
		goto out;
	if (!name_ok(name)) {
		reply_error(r, 400, "bad_request", "field 'username': 2 to 64 "
			    "letters, digits, '.', '-' or '_'");
		goto out;
	}
	if (!mail_addr_ok(email)) {
		reply_error(r, 400, "bad_request", "field 'email' is not an "
			    "email address");
		goto out;
	}
	if ((perms & PERM_ADMIN) && !(q->user->perms & PERM_ADMIN)) {
		reply_error(r, 403, "forbidden", "only an admin gives the "
			    "admin permission");
		goto out;
	}
	struct srv_user u = { .company_id = q->user->company_id,
			      .perms = perms };
	u.username = xstrdup(name);
	u.email = xstrdup(email);
	u.name = xstrdup(full);
	u.title = xstrdup(title);
	u.department = xstrdup(dept);
	/* an invitee has no password until they redeem the code */
	u.pw_hash = pw ? auth_hash_password(q->s, pw) : NULL;
	char *err = NULL, *code = NULL;
	int64_t expires = 0;
	pthread_mutex_lock(&q->s->lock);
	int rc = pw && !u.pw_hash ? -1 :
		 store_new_user(q, &u, invite, &code, &expires, &err);
	if (rc == 0) {
		r->status = 201;
		r->json = user_json(q->s, &u);
	} else if (err) {
		reply_error(r, 409, "conflict", "%s", err);
	} else {
		reply_error(r, 500, "internal", "cannot add the user");
	}
	pthread_mutex_unlock(&q->s->lock);
	if (code) {		/* queueing the mail takes the lock */
		invite_reply(q, r, &u, code, expires);
		memset(code, 0, strlen(code));
		free(code);
	}
	free(err);
	srv_user_clear(&u);
out:
	json_decref(j);
}

void api_user_edit(struct req *q, struct reply *r)
{
	const char *email, *full, *title, *dept, *pw, *why;
	struct srv_user u = { 0 };
	json_t *j, *dis;
	int perms = -1;

	if (auth_require(q, r) < 0)
		return;
	/* your own profile is yours to edit; the rest is user admin's */
	bool self = strcasecmp(q->rest, q->user->username) == 0;
	if (!is_user_admin(q->user) && !self) {
		reply_error(r, 403, "forbidden", "changing users takes the "
			    "user-admin permission");
		return;
	}
	if (!(j = req_json(q, r)))
		return;
	if (!is_user_admin(q->user)) {
		static const char *const admin_only[] = { "perms", "disabled",
							  "password" };
		for (size_t i = 0; i < 3; i++)
			if (json_object_get(j, admin_only[i])) {
				reply_error(r, 403, "forbidden", "field '%s' "
					    "takes the user-admin permission%s",
					    admin_only[i], i == 2 ? " (change "
					    "your own with POST /v1/password)" :
					    "");
				goto out;
			}
	}
	if (json_field(j, "email", false, 254, &email, r) < 0 ||
	    json_field(j, "name", false, 200, &full, r) < 0 ||
	    json_field(j, "title", false, 200, &title, r) < 0 ||
	    json_field(j, "department", false, 200, &dept, r) < 0 ||
	    json_field(j, "password", false, 1024, &pw, r) < 0 ||
	    (json_object_get(j, "perms") && (perms = perms_field(j, r)) < 0))
		goto out;
	dis = json_object_get(j, "disabled");
	if (dis && !json_is_boolean(dis)) {
		reply_error(r, 400, "bad_request", "field 'disabled' must be "
			    "true or false");
		goto out;
	}
	if (email && !mail_addr_ok(email)) {
		reply_error(r, 400, "bad_request", "field 'email' is not an "
			    "email address");
		goto out;
	}
	if (pw && (why = auth_password_problem(pw))) {
		reply_error(r, 400, "bad_request", "field 'password': %s", why);
		goto out;
	}
	char *hash = pw ? auth_hash_password(q->s, pw) : NULL, *err = NULL;
	char *phones = NULL, *prefs = NULL;
	pthread_mutex_lock(&q->s->lock);
	if (company_user(q, r, q->rest, &u) < 0)
		goto unlock;
	pthread_mutex_unlock(&q->s->lock);
	int pf = profile_fields(q, r, j, &u, &phones, &prefs);
	pthread_mutex_lock(&q->s->lock);
	if (pf < 0)
		goto unlock;
	bool was_admin = u.perms & PERM_ADMIN;
	if (perms >= 0 && !(q->user->perms & PERM_ADMIN) &&
	    was_admin != !!(perms & PERM_ADMIN)) {
		reply_error(r, 403, "forbidden", "only an admin gives or takes "
			    "the admin permission");
		goto unlock;
	}
	if (!(q->user->perms & PERM_ADMIN) && was_admin) {
		reply_error(r, 403, "forbidden", "only an admin changes an "
			    "admin");
		goto unlock;
	}
	if (dis && json_is_true(dis) && u.id == q->user->id) {
		reply_error(r, 400, "bad_request", "field 'disabled': you "
			    "cannot disable yourself");
		goto unlock;
	}
	if (email)
		str_set(&u.email, email);
	if (full)
		str_set(&u.name, full);
	if (title)
		str_set(&u.title, title);
	if (dept)
		str_set(&u.department, dept);
	if (perms >= 0)
		u.perms = perms;
	if (dis)
		u.disabled = json_is_true(dis);
	int rc = db_begin(q->s->db);
	if (rc == 0)
		rc = srv_user_update(q->s->db, &u, &err);
	if (rc == 0 && hash)
		rc = srv_user_set_password(q->s->db, u.id, hash);
	if (rc == 0 && (phones || prefs))
		rc = srv_profile_set(q->s->db, u.id, phones, prefs);
	if (rc == 0 && (hash || u.disabled)) {	/* sessions end */
		rc = srv_session_revoke_user(q->s->db, u.id);
		if (rc == 0)
			rc = srv_presence_set(q->s->db, u.id, ST_OFFLINE, NULL);
	}
	if (rc == 0) {
		char *ps = srv_perms_str(u.perms), *detail = xasprintf(
			"perms=%s disabled=%d%s", ps, u.disabled,
			hash ? " password" : "");
		srv_audit(q->s->db, u.company_id, q->user->id,
			  self && !is_user_admin(q->user) ? "profile.edit" :
			  "user.edit", u.username, detail);
		free(detail);
		free(ps);
	}
	if (rc == 0 && db_commit(q->s->db) == 0) {
		if (hash || u.disabled)
			event_presence(q->s, u.id);
		r->json = user_json(q->s, &u);
		json_object_set_new(r->json, "disabled",
				    json_boolean(u.disabled));
		profile_add_json(q->s, r->json, u.id, u.id == q->user->id);
	} else {
		db_rollback(q->s->db);
		if (err)
			reply_error(r, 409, "conflict", "%s", err);
		else
			reply_error(r, 500, "internal", "cannot change the "
				    "user");
	}
unlock:
	pthread_mutex_unlock(&q->s->lock);
	free(phones);
	free(prefs);
	free(hash);
	free(err);
	srv_user_clear(&u);
out:
	json_decref(j);
}

void api_presence(struct req *q, struct reply *r)
{
	const char *state, *note;
	json_t *j;
	int st;

	if (auth_require(q, r) < 0 || !(j = req_json(q, r)))
		return;
	if (json_field(j, "state", true, 16, &state, r) == 0 &&
	    json_field(j, "note", false, 140, &note, r) == 0) {
		if ((st = srv_state_parse(state)) < 0) {
			reply_error(r, 400, "bad_request", "field 'state' is "
				    "online, away, busy, dnd or offline");
		} else {
			pthread_mutex_lock(&q->s->lock);
			presence_seen(q->s, q->session_id, q->user->id);
			int rc = srv_presence_set(q->s->db, q->user->id,
						  (enum srv_state)st, note);
			if (rc == 0)
				event_presence(q->s, q->user->id);
			pthread_mutex_unlock(&q->s->lock);
			if (rc < 0)
				reply_error(r, 500, "internal", "cannot store "
					    "the presence");
			else
				r->json = json_pack("{s:s,s:s?}", "state",
						    state, "note", note);
		}
	}
	json_decref(j);
}

/* Called with the lock held.  The last session gone: offline, choice
 * and all.  Others still signed in but none of them there (a laptop
 * asleep): offline at once too, but their choice is kept for when one
 * of them is back (see presence.c). */
void presence_session_ended(struct srv *s, int64_t user_id)
{
	if (srv_sessions_live(s->db, user_id, (int64_t)time(NULL)) == 0) {
		if (srv_presence_set(s->db, user_id, ST_OFFLINE, NULL) == 0)
			event_presence(s, user_id);
	} else if (s->presence && !presence_user_there(s, user_id) &&
		   srv_presence_lapse(s->db, user_id) > 0) {
		event_presence(s, user_id);
	}
}

void presence_session_started(struct srv *s, int64_t user_id)
{
	enum srv_state st;
	char *note;
	int64_t since;

	/* back from lapsed: what they had chosen */
	if (srv_presence_resume(s->db, user_id) > 0) {
		event_presence(s, user_id);
		return;
	}
	srv_presence_get(s->db, user_id, &st, &note, &since);
	if (st == ST_OFFLINE &&
	    srv_presence_set(s->db, user_id, ST_ONLINE, note) == 0)
		event_presence(s, user_id);
	free(note);
}
