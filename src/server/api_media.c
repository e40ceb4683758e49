/* src/server/api_media: profile photos — PUT, GET and DELETE
 * /v1/users/NAME/photo — and the checks every picture upload (photos,
 * the company logo) passes.
 *
 * A picture is PNG or JPEG, at most IMAGE_MAX_BYTES and IMAGE_MAX_SIDE
 * pixels a side, and must decode with stb_image (common/image.c) before
 * it is stored; anything else is a 400 that names the problem.  The
 * decode runs outside the database lock.  Anyone in the company sees a
 * photo; you change your own, user admins change others' (only admins an
 * admin's), and that is written to the audit log.  Users of another
 * company are "not found", as everywhere.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/image.h"
#include "common/str.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int media_from_req(struct req *q, struct reply *r, struct srv_media *m)
{
	const char *type, *data;
	unsigned char *bin = NULL;
	char *err = NULL;
	size_t n = 0;
	json_t *j;
	int w, h;

	memset(m, 0, sizeof *m);
	if (!(j = req_json(q, r)))
		return -1;
	if (json_field(j, "type", true, 64, &type, r) < 0 ||
	    json_field(j, "data", true, MEDIA_BODY_MAX, &data, r) < 0)
		goto bad;
	enum image_type want = image_type_parse(type);
	if (want == IMAGE_NONE) {
		reply_error(r, 400, "bad_request", "field 'type' must be "
			    "image/png or image/jpeg");
		goto bad;
	}
	size_t dlen = strlen(data);
	if (dlen >= sodium_base64_ENCODED_LEN(IMAGE_MAX_BYTES,
					      sodium_base64_VARIANT_ORIGINAL)) {
		reply_error(r, 400, "bad_request", "field 'data': the image is "
			    "larger than %d bytes", IMAGE_MAX_BYTES);
		goto bad;
	}
	const char *end;
	bin = xmalloc(dlen / 4 * 3 + 3);
	if (sodium_base642bin(bin, dlen / 4 * 3 + 3, data, dlen, NULL, &n,
			      &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != data + dlen) {
		reply_error(r, 400, "bad_request", "field 'data' is not base64 "
			    "(RFC 4648, with padding, no line breaks)");
		goto bad;
	}
	if (!n) {
		reply_error(r, 400, "bad_request", "field 'data' is empty");
		goto bad;
	}
	enum image_type got;
	if (image_check(bin, n, &got, &w, &h, &err) < 0) {
		reply_error(r, 400, "bad_image", "field 'data': %s", err);
		free(err);
		goto bad;
	}
	if (got != want) {
		reply_error(r, 400, "bad_request", "field 'type' says %s, but "
			    "the data is a %s image", image_type_mime(want),
			    got == IMAGE_PNG ? "PNG" : "JPEG");
		goto bad;
	}
	unsigned char sum[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof sum + 1];
	crypto_hash_sha256(sum, bin, n);
	sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
	m->type = xstrdup(image_type_mime(got));
	m->data = bin;
	m->len = n;
	m->sha256 = xstrdup(hex);
	m->width = w;
	m->height = h;
	json_decref(j);
	return 0;
bad:
	free(bin);
	json_decref(j);
	return -1;
}

json_t *media_json(const struct srv_media *m)
{
	size_t cap = sodium_base64_ENCODED_LEN(m->len,
					       sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(cap);

	sodium_bin2base64(b64, cap, m->data, m->len,
			  sodium_base64_VARIANT_ORIGINAL);
	json_t *j = json_pack("{s:s,s:s,s:s,s:i,s:i,s:I,s:I}", "type",
			      m->type, "data", b64, "sha256", m->sha256,
			      "width", m->width, "height", m->height, "bytes",
			      (json_int_t)m->len, "updated",
			      (json_int_t)m->updated);
	free(b64);
	return j;
}

static bool is_user_admin(const struct srv_user *u)
{
	return u->perms & (PERM_ADMIN | PERM_USER_ADMIN);
}

/* The user a photo route names ("alice" of "alice/photo") into *u, when
 * q's user may see them (and, with `change`, change their photo).
 * Lock held; -1 with r filled otherwise. */
static int photo_owner(struct req *q, struct reply *r, bool change,
		       struct srv_user *u)
{
	char *name = xstrndup(q->rest, strcspn(q->rest, "/"));
	int rc = srv_user_find(q->s->db, name, u);

	if (rc == 0 && (u->company_id != q->user->company_id ||
			(u->disabled && !is_user_admin(q->user)))) {
		srv_user_clear(u);
		rc = -1;
	}
	if (rc < 0) {
		reply_error(r, 404, "not_found", "no user '%s'", name);
	} else if (change && u->id != q->user->id) {
		if (!is_user_admin(q->user)) {
			reply_error(r, 403, "forbidden", "changing another "
				    "user's photo takes the user-admin "
				    "permission");
			rc = -1;
		} else if ((u->perms & PERM_ADMIN) &&
			   !(q->user->perms & PERM_ADMIN)) {
			reply_error(r, 403, "forbidden", "only an admin "
				    "changes an admin");
			rc = -1;
		}
		if (rc < 0)
			srv_user_clear(u);
	}
	free(name);
	return rc < 0 ? -1 : 0;
}

void api_photo_put(struct req *q, struct reply *r)
{
	struct srv_user u;
	struct srv_media m;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = photo_owner(q, r, true, &u);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0)
		return;
	if (media_from_req(q, r, &m) < 0) {
		srv_user_clear(&u);
		return;
	}
	pthread_mutex_lock(&q->s->lock);
	rc = db_begin(q->s->db);
	if (rc == 0)
		rc = srv_media_set(q->s->db, SRV_PHOTO, u.id, &m);
	if (rc == 0 && u.id != q->user->id) {
		char *detail = xasprintf("set %s %dx%d sha256=%s", m.type,
					 m.width, m.height, m.sha256);
		rc = srv_audit(q->s->db, u.company_id, q->user->id,
			       "user.photo", u.username, detail);
		free(detail);
	}
	if (rc == 0 && (rc = db_commit(q->s->db)) == 0) {
		r->json = json_pack("{s:s,s:s,s:s,s:i,s:i,s:I}", "user",
				    u.username, "type", m.type, "sha256",
				    m.sha256, "width", m.width, "height",
				    m.height, "bytes", (json_int_t)m.len);
	} else {
		db_rollback(q->s->db);
		reply_error(r, 500, "internal", "cannot store the photo");
	}
	pthread_mutex_unlock(&q->s->lock);
	srv_media_clear(&m);
	srv_user_clear(&u);
}

void api_photo_get(struct req *q, struct reply *r)
{
	struct srv_user u;
	struct srv_media m;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (photo_owner(q, r, false, &u) == 0) {
		int rc = srv_media_get(q->s->db, SRV_PHOTO, u.id, &m);
		if (rc == 0)
			r->json = media_json(&m);
		else if (rc == -ENOENT)
			reply_error(r, 404, "not_found", "'%s' has no photo",
				    u.username);
		else
			reply_error(r, 500, "internal", "cannot read the "
				    "photo");
		srv_media_clear(&m);
		srv_user_clear(&u);
	}
	pthread_mutex_unlock(&q->s->lock);
}

void api_photo_delete(struct req *q, struct reply *r)
{
	struct srv_user u;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (photo_owner(q, r, true, &u) == 0) {
		int rc = srv_media_delete(q->s->db, SRV_PHOTO, u.id);
		if (rc == 0 && u.id != q->user->id)
			srv_audit(q->s->db, u.company_id, q->user->id,
				  "user.photo", u.username, "removed");
		if (rc == 0)
			r->json = json_pack("{s:s}", "status", "removed");
		else if (rc == -ENOENT)
			reply_error(r, 404, "not_found", "'%s' has no photo",
				    u.username);
		else
			reply_error(r, 500, "internal", "cannot remove the "
				    "photo");
		srv_user_clear(&u);
	}
	pthread_mutex_unlock(&q->s->lock);
}
