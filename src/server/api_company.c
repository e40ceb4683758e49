/* src/server/api_company: the company's profile — GET and PATCH
 * /v1/company (name, address, the regions and markets it works in) —
 * and its logo, PUT, GET and DELETE /v1/company/logo.
 *
 * Every member reads them; only the admin permission changes them, and
 * each change is written to the audit log.  Logos pass the same checks
 * as profile photos (media_from_req in api_media.c).
 */
#include "server/server.h"
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES 200
#define ADDRESS_MAX_BYTES 1000
#define ITEM_MAX_BYTES 100	/* one region or market */
#define ITEMS_MAX 100		/* regions, and markets */

static json_t *list_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *company_json(struct srv *s, const struct srv_company *c)
{
	return json_pack("{s:I,s:s,s:s?,s:o,s:o,s:b,s:I}", "id",
			 (json_int_t)c->id, "name", c->name, "address",
			 c->address, "regions", list_json(c->regions,
			 c->nregions), "markets", list_json(c->markets,
			 c->nmarkets), "logo", srv_media_exists(s->db,
			 SRV_LOGO, c->id), "updated", (json_int_t)c->updated);
}

void api_company_get(struct req *q, struct reply *r)
{
	struct srv_company c;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	if (srv_company_get(q->s->db, q->user->company_id, &c) == 0)
		r->json = company_json(q->s, &c);
	else
		reply_error(r, 500, "internal", "cannot read the company");
	srv_company_clear(&c);
	pthread_mutex_unlock(&q->s->lock);
}

/* Bytes below 0x20 (but line breaks where `lines`) and DEL. */
static bool has_controls(const char *s, bool lines)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && !(lines && *s == '\n')) ||
		    *s == 0x7f)
			return true;
	return false;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\n", *s))
			return false;
	return true;
}

/* A string field of the company: -1 with r filled when bad. */
static int text_field(json_t *j, const char *name, size_t max, bool lines,
		      bool may_be_empty, const char **out, struct reply *r)
{
	if (json_field(j, name, false, max, out, r) < 0)
		return -1;
	if (!*out)
		return 0;
	if (has_controls(*out, lines)) {
		reply_error(r, 400, "bad_request", "field '%s' holds control "
			    "characters", name);
		return -1;
	}
	if (!may_be_empty && blank(*out)) {
		reply_error(r, 400, "bad_request", "field '%s' is empty",
			    name);
		return -1;
	}
	return 0;
}

/* "regions": ["EMEA", …] into *v (new strings, trimmed, duplicates
 * dropped); -1 with r filled when bad, 0 when absent, 1 when given. */
static int list_field(json_t *j, const char *name, char ***v, size_t *n,
		      struct reply *r)
{
	json_t *a = json_object_get(j, name), *e;
	size_t i;

	*v = NULL;
	*n = 0;
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		reply_error(r, 400, "bad_request", "field '%s' must be an "
			    "array of strings", name);
		return -1;
	}
	if (json_array_size(a) > ITEMS_MAX) {
		reply_error(r, 400, "bad_request", "field '%s' has more than "
			    "%d items", name, ITEMS_MAX);
		return -1;
	}
	json_array_foreach(a, i, e) {
		const char *s = json_string_value(e);
		const char *why = !s ? "is not a string" :
			json_string_length(e) > ITEM_MAX_BYTES ?
				"is longer than 100 bytes" :
			strlen(s) != json_string_length(e) ||
			has_controls(s, false) ? "holds control characters" :
			blank(s) ? "is empty" : NULL;
		if (why) {
			reply_error(r, 400, "bad_request", "field '%s': item %zu "
				    "%s", name, i + 1, why);
			goto bad;
		}
		char *t = str_trim(xstrdup(s));
		bool dup = false;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = strcmp((*v)[k], t) == 0;
		if (dup) {
			free(t);
			continue;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = t;
	}
	return 1;
bad:
	for (size_t k = 0; k < *n; k++)
		free((*v)[k]);
	free(*v);
	*v = NULL;
	*n = 0;
	return -1;
}

static void list_take(char ***dst, size_t *dn, char **v, size_t n)
{
	for (size_t k = 0; k < *dn; k++)
		free((*dst)[k]);
	free(*dst);
	*dst = v;
	*dn = n;
}

static bool require_admin(struct req *q, struct reply *r, const char *what)
{
	if (q->user->perms & PERM_ADMIN)
		return true;
	reply_error(r, 403, "forbidden", "%s takes the admin permission",
		    what);
	return false;
}

void api_company_edit(struct req *q, struct reply *r)
{
	static const char *const known[] = { "name", "address", "regions",
					     "markets" };
	const char *name, *address, *key;
	char **regions = NULL, **markets = NULL, *err = NULL;
	size_t nregions = 0, nmarkets = 0;
	struct srv_company c = { 0 };
	int has_regions, has_markets;
	json_t *j, *v;

	if (auth_require(q, r) < 0 ||
	    !require_admin(q, r, "changing the company profile") ||
	    !(j = req_json(q, r)))
		return;
	json_object_foreach(j, key, v) {
		size_t k = 0;
		while (k < 4 && strcmp(key, known[k]) != 0)
			k++;
		if (k == 4) {
			reply_error(r, 400, "bad_request", "field '%s' is not "
				    "part of the company profile (name, "
				    "address, regions, markets)", key);
			goto out;
		}
	}
	if (text_field(j, "name", NAME_MAX_BYTES, false, false, &name, r) < 0 ||
	    text_field(j, "address", ADDRESS_MAX_BYTES, true, true, &address,
		       r) < 0 ||
	    (has_regions = list_field(j, "regions", &regions, &nregions,
				      r)) < 0 ||
	    (has_markets = list_field(j, "markets", &markets, &nmarkets,
				      r)) < 0)
		goto out;

	pthread_mutex_lock(&q->s->lock);
	int rc = srv_company_get(q->s->db, q->user->company_id, &c);
	struct sbuf changed;
	sbuf_init(&changed);
	if (rc == 0) {
		if (name) {
			char *t = str_trim(xstrdup(name));
			free(c.name);
			c.name = t;
			sbuf_add(&changed, "name");
		}
		if (address) {
			str_set(&c.address, address);
			sbuf_printf(&changed, "%saddress", changed.len ? "," :
				    "");
		}
		if (has_regions) {
			list_take(&c.regions, &c.nregions, regions, nregions);
			regions = NULL;
			nregions = 0;
			sbuf_printf(&changed, "%sregions", changed.len ? "," :
				    "");
		}
		if (has_markets) {
			list_take(&c.markets, &c.nmarkets, markets, nmarkets);
			markets = NULL;
			nmarkets = 0;
			sbuf_printf(&changed, "%smarkets", changed.len ? "," :
				    "");
		}
		rc = db_begin(q->s->db);
	}
	bool began = rc == 0;
	if (rc == 0)
		rc = srv_company_update(q->s->db, &c, &err);
	if (rc == 0)
		rc = srv_audit(q->s->db, c.id, q->user->id, "company.edit",
			       c.name, changed.len ? sbuf_str(&changed) :
			       "nothing");
	if (rc == 0 && (rc = db_commit(q->s->db)) == 0) {
		srv_company_clear(&c);
		srv_company_get(q->s->db, q->user->company_id, &c);
		r->json = company_json(q->s, &c);
	} else {
		if (began)
			db_rollback(q->s->db);
		if (rc == -EEXIST)
			reply_error(r, 409, "conflict", "field 'name': %s", err);
		else
			reply_error(r, 500, "internal", "cannot change the "
				    "company");
	}
	pthread_mutex_unlock(&q->s->lock);
	sbuf_free(&changed);
	srv_company_clear(&c);
	free(err);
out:
	list_take(&regions, &nregions, NULL, 0);
	list_take(&markets, &nmarkets, NULL, 0);
	json_decref(j);
}

void api_logo_put(struct req *q, struct reply *r)
{
	struct srv_media m;
	char *cname;

	if (auth_require(q, r) < 0 ||
	    !require_admin(q, r, "changing the company logo") ||
	    media_from_req(q, r, &m) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = db_begin(q->s->db);
	if (rc == 0)
		rc = srv_media_set(q->s->db, SRV_LOGO, q->user->company_id, &m);
	if (rc == 0) {
		char *detail = xasprintf("set %s %dx%d sha256=%s", m.type,
					 m.width, m.height, m.sha256);
		cname = srv_company_name(q->s->db, q->user->company_id);
		rc = srv_audit(q->s->db, q->user->company_id, q->user->id,
			       "company.logo", cname, detail);
		free(cname);
		free(detail);
	}
	if (rc == 0 && (rc = db_commit(q->s->db)) == 0) {
		r->json = json_pack("{s:s,s:s,s:i,s:i,s:I}", "type", m.type,
				    "sha256", m.sha256, "width", m.width,
				    "height", m.height, "bytes",
				    (json_int_t)m.len);
	} else {
		db_rollback(q->s->db);
		reply_error(r, 500, "internal", "cannot store the logo");
	}
	pthread_mutex_unlock(&q->s->lock);
	srv_media_clear(&m);
}

void api_logo_get(struct req *q, struct reply *r)
{
	struct srv_media m;

	if (auth_require(q, r) < 0)
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_media_get(q->s->db, SRV_LOGO, q->user->company_id, &m);
	if (rc == 0)
		r->json = media_json(&m);
	else if (rc == -ENOENT)
		reply_error(r, 404, "not_found", "the company has no logo");
	else
		reply_error(r, 500, "internal", "cannot read the logo");
	srv_media_clear(&m);
	pthread_mutex_unlock(&q->s->lock);
}

void api_logo_delete(struct req *q, struct reply *r)
{
	if (auth_require(q, r) < 0 ||
	    !require_admin(q, r, "changing the company logo"))
		return;
	pthread_mutex_lock(&q->s->lock);
	int rc = srv_media_delete(q->s->db, SRV_LOGO, q->user->company_id);
	if (rc == 0) {
		char *cname = srv_company_name(q->s->db, q->user->company_id);
		srv_audit(q->s->db, q->user->company_id, q->user->id,
			  "company.logo", cname, "removed");
		free(cname);
		r->json = json_pack("{s:s}", "status", "removed");
	} else if (rc == -ENOENT) {
		reply_error(r, 404, "not_found", "the company has no logo");
	} else {
		reply_error(r, 500, "internal", "cannot remove the logo");
	}
	pthread_mutex_unlock(&q->s->lock);
}
