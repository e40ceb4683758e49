/* src/server/api_profile: the parts of a profile a user edits themself.
 *
 *   "phones": [{"label": "work", "number": "020 7946 0958"}, ...]
 *       each number is read in the user's country (prefs.country, else
 *       GB) and kept as typed with its E.164 form beside it;
 *   "prefs": {"notifications": true, "auto_away": 10,
 *             "timezone": "Europe/London", "country": "GB",
 *             "markets": ["Retail"], "regions": ["Europe"]}
 *       keys given replace what was there; markets and regions must be
 *       ones the company works in (announcements reach their followers).
 *
 * Checked here, stored as JSON text (store/srv_profile.c).  Phones are in
 * every view of the profile; preferences only in the user's own.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/phone.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PHONES_MAX 10

static int bad(struct reply *r, const char *fmt, const char *a)
{
	char msg[200];

	snprintf(msg, sizeof msg, fmt, a);
	reply_error(r, 400, "bad_request", "%s", msg);
	return -1;
}

static bool tz_ok(const char *tz)
{
	char path[300];

	/* an IANA name: letters, digits, '/', '_', '-', '+'; and known */
	if (!*tz || strlen(tz) > 64 || tz[0] == '/' || strstr(tz, ".."))
		return false;
	for (const char *p = tz; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789/_-+", *p))
			return false;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	FILE *f = fopen(path, "rb");
	if (!f)
		return strcmp(tz, "UTC") == 0;
	fclose(f);
	return true;
}

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

/* The prefs object of j checked and merged over `old` (JSON text). */
static json_t *prefs_parse(struct srv *s, int64_t company, json_t *p,
			   const char *old, struct reply *r)
{
	json_error_t e;
	json_t *out = old ? json_loads(old, 0, &e) : NULL, *v;
	const char *k;

	if (!json_is_object(p)) {
		bad(r, "field '%s' must be an object", "prefs");
		goto fail;
	}
	if (!json_is_object(out)) {
		json_decref(out);
		out = json_object();
	}
	json_object_foreach(p, k, v) {
		if (strcmp(k, "notifications") == 0) {
			if (!json_is_boolean(v)) {
				bad(r, "field 'prefs.%s' must be true or false",
				    k);
				goto fail;
			}
		} else if (strcmp(k, "auto_away") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 1440) {
				bad(r, "field 'prefs.%s' takes minutes, 0 to "
				    "1440", k);
				goto fail;
			}
		} else if (strcmp(k, "timezone") == 0) {
			if (!json_is_string(v) || !tz_ok(json_string_value(v))) {
				bad(r, "field 'prefs.%s' must be a time zone "
				    "such as Europe/London", k);
				goto fail;
			}
		} else if (strcmp(k, "country") == 0) {
			if (!json_is_string(v) ||
			    !phone_region_known(json_string_value(v))) {
				bad(r, "field 'prefs.%s' must be a two-letter "
				    "country code such as GB", k);
				goto fail;
			}
		} else if (strcmp(k, "markets") == 0 ||
			   strcmp(k, "regions") == 0) {
			struct srv_company c;
			size_t i;
			json_t *m;
			int ok = json_is_array(v) && json_array_size(v) <= 50;
			pthread_mutex_lock(&s->lock);
			int got = srv_company_get(s->db, company, &c);
			pthread_mutex_unlock(&s->lock);
			bool mk = k[0] == 'm';
			json_array_foreach(v, i, m)
				if (!json_is_string(m) || got < 0 ||
				    !in_list(mk ? c.markets : c.regions,
					     mk ? c.nmarkets : c.nregions,
					     json_string_value(m)))
					ok = 0;
			if (got == 0)
				srv_company_clear(&c);
			if (!ok) {
				bad(r, mk ? "field 'prefs.%s' must list markets "
				    "the company works in" : "field 'prefs.%s' "
				    "must list regions the company works in", k);
				goto fail;
			}
		} else {
			bad(r, "field 'prefs': unknown preference '%s'", k);
			goto fail;
		}
		json_object_set(out, k, v);
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

static json_t *phones_parse(json_t *a, const char *region, struct reply *r)
{
	json_t *out = json_array(), *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > PHONES_MAX) {
		bad(r, "field 'phones' must be an array of at most %s phones",
		    "10");
		goto fail;
	}
	json_array_foreach(a, i, v) {
		const char *num = json_string_value(json_object_get(v, "number"));
		const char *lbl = json_string_value(json_object_get(v, "label"));
		if (json_is_string(v))
			num = json_string_value(v);
		if (!num || !*num || strlen(num) > 40 ||
		    (lbl && strlen(lbl) > 40)) {
			bad(r, "field 'phones': each needs a \"number\" (and "
			    "may have a \"label\"), %s", "at most 40 bytes");
			goto fail;
		}
		char *e164 = phone_e164(num, region);
		if (!e164) {
			bad(r, "field 'phones': '%s' is not a phone number",
			    num);
			goto fail;
		}
		json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "label",
			lbl && *lbl ? lbl : "work", "number", num, "e164",
			e164));
		free(e164);
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

int profile_fields(struct req *q, struct reply *r, json_t *j,
		   const struct srv_user *u, char **phones, char **prefs)
{
	json_t *ph = json_object_get(j, "phones");
	json_t *pf = json_object_get(j, "prefs");
	char *old_phones = NULL, *old_prefs = NULL;
	int rc = 0;

	*phones = *prefs = NULL;
	if (!ph && !pf)
		return 0;
	pthread_mutex_lock(&q->s->lock);
	srv_profile_get(q->s->db, u->id, &old_phones, &old_prefs);
	pthread_mutex_unlock(&q->s->lock);
	json_t *np = NULL;
	if (pf) {
		if (u->id != q->user->id) {
			reply_error(r, 403, "forbidden", "preferences are their "
				    "owner's to change");
			rc = -1;
			goto out;
		}
		if (!(np = prefs_parse(q->s, u->company_id, pf, old_prefs, r))) {
			rc = -1;
			goto out;
		}
		*prefs = json_dumps(np, JSON_COMPACT);
	}
	if (ph) {
		json_error_t e;
		json_t *cur = np ? json_incref(np) :
			old_prefs ? json_loads(old_prefs, 0, &e) : NULL;
		const char *region = json_string_value(json_object_get(cur,
								       "country"));
		json_t *out = phones_parse(ph, region ? region : "GB", r);
		json_decref(cur);
		if (!out) {
			rc = -1;
			goto out;
		}
		*phones = json_dumps(out, JSON_COMPACT);
		json_decref(out);
	}
out:
	json_decref(np);
	if (rc < 0) {
		free(*phones);
		free(*prefs);
		*phones = *prefs = NULL;
	}
	free(old_phones);
	free(old_prefs);
	return rc;
}

void profile_add_json(struct srv *s, json_t *j, int64_t user_id, bool own)
{
	char *phones, *prefs;
	json_error_t e;

	srv_profile_get(s->db, user_id, &phones, &prefs);
	json_t *p = phones ? json_loads(phones, 0, &e) : NULL;
	if (!json_is_array(p)) {
		json_decref(p);
		p = json_array();
	}
	json_object_set_new(j, "phones", p);
	if (own) {
		json_t *f = prefs ? json_loads(prefs, 0, &e) : NULL;
		if (!json_is_object(f)) {
			json_decref(f);
			f = json_object();
		}
		json_object_set_new(j, "prefs", f);
	}
	json_object_set_new(j, "photo", json_boolean(srv_user_has_photo(s->db,
								      user_id)));
	free(phones);
	free(prefs);
}
