/* src/server/api_attach: files that messages carry.
 *
 *   POST /v1/attachments?name=N   raw bytes with their Content-Type
 *   GET  /v1/attachments/ID
 *
 * Up to ATTACH_MAX bytes, of a type on the list below, checked against
 * the bytes themselves (415 otherwise), stored with their SHA-256, which
 * a download carries as X-Content-SHA256.  An attachment is readable by
 * whoever uploaded it and by whoever has a message that carries it.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An id from q->rest ("123"); -1 with r filled. */
static int64_t rest_id(struct req *q, struct reply *r)
{
	char *end;
	long long v = strtoll(q->rest ? q->rest : "", &end, 10);

	if (!q->rest || end == q->rest || *end || v <= 0) {
		reply_error(r, 404, "not_found", "no such attachment: %s",
			    q->rest ? q->rest : "");
		return -1;
	}
	return v;
}

/* ---- attachments ----------------------------------------------------------------- */

static bool utf8_text(const char *p, size_t n)
{
	return memchr(p, 0, n) == NULL && utf8_valid(p, n);
}

/* Whether the bytes are what their type says. */
static bool type_matches(const char *type, const unsigned char *p, size_t n)
{
	static const struct {
		const char *type;
		const char *magic;
		size_t len, at;
	} kinds[] = {
		{ "audio/ogg", "OggS", 4, 0 },
		{ "video/ogg", "OggS", 4, 0 },
		{ "video/webm", "\x1a\x45\xdf\xa3", 4, 0 },
		{ "audio/wav", "WAVE", 4, 8 },
		{ "image/png", "\x89PNG\r\n\x1a\n", 8, 0 },
		{ "image/jpeg", "\xff\xd8\xff", 3, 0 },
		{ "application/pdf", "%PDF-", 5, 0 },
	};

	if (strcmp(type, "text/plain") == 0)
		return utf8_text((const char *)p, n);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(type, kinds[i].type) == 0)
			return n >= kinds[i].at + kinds[i].len &&
			       memcmp(p + kinds[i].at, kinds[i].magic,
				      kinds[i].len) == 0 &&
			       (kinds[i].at == 0 || memcmp(p, "RIFF", 4) == 0);
	return false;
}

void api_att_post(struct req *q, struct reply *r)
{
	const char *name = req_query(q, "name");
	unsigned char sum[crypto_hash_sha256_BYTES];
	char hex[sizeof sum * 2 + 1], type[64];
	struct srv_att a = { 0 };

	if (auth_require(q, r) < 0)
		return;
	snprintf(type, sizeof type, "%s", q->content_type ? q->content_type :
		 "");
	type[strcspn(type, "; ")] = '\0';	/* no parameters */
	if (!name || !*name)
		name = "attachment";
	if (strlen(name) > 200 || strchr(name, '/') ||
	    !utf8_text(name, strlen(name)) || strpbrk(name, "\r\n\t")) {
		reply_error(r, 400, "bad_request", "parameter 'name' must be a "
			    "file name (no slashes, at most 200 bytes)");
		return;
	}
	if (!q->len) {
		reply_error(r, 400, "bad_request", "the attachment is empty");
		return;
	}
	if (!type_matches(type, (const unsigned char *)q->body, q->len)) {
		reply_error(r, 415, "unsupported_type", "the attachment is not "
			    "%s; allowed are audio/ogg, audio/wav, video/ogg, "
			    "video/webm, image/png, image/jpeg, "
			    "application/pdf and UTF-8 text/plain, checked "
			    "by content", *type ? type : "of a declared type");
		return;
	}
	crypto_hash_sha256(sum, (const unsigned char *)q->body, q->len);
	sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
	a.name = (char *)name;
	a.type = type;
	a.sha256 = hex;
	a.size = (int64_t)q->len;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_att_add(q->s->db, q->user->id, &a, q->body);
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, 500, "internal", "cannot store the attachment");
		return;
	}
	r->status = 201;
	r->json = json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)a.id,
			    "name", name, "type", type, "size",
			    (json_int_t)a.size, "sha256", hex);
}

void api_att_get(struct req *q, struct reply *r)
{
	struct srv_att a;
	int64_t id;

	if (auth_require(q, r) < 0 || (id = rest_id(q, r)) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_att_readable(q->s->db, q->user->id, id) ?
		 srv_att_get(q->s->db, id, true, &a) : -ENOENT;
	pthread_mutex_unlock(&q->s->lock);
	if (rc < 0) {
		reply_error(r, rc == -ENOENT ? 404 : 500, rc == -ENOENT ?
			    "not_found" : "internal", "no such attachment: "
			    "%lld", (long long)id);
		return;
	}
	r->data = a.data;
	r->data_len = (size_t)a.size;
	r->sha256 = a.sha256;
	r->type_owned = a.type;	/* freed with the reply */
	r->content_type = a.type;
	a.data = NULL;
	a.sha256 = NULL;
	a.type = NULL;
	srv_att_clear(&a);
}
