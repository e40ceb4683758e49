/* app/contact_fmt: rendering contacts for the CLI. */
#include "app/contact_fmt.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A TSV cell: tabs and line breaks would break the row: make them
 * spaces. */
void contact_fmt_cell(struct sbuf *b, const char *s, char end)
{
	for (; s && *s; s++)
		sbuf_addc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
	sbuf_addc(b, end);
}

json_t *contact_fmt_jstr(const char *s)
{
	json_t *j = json_string(s);

	if (!j) {	/* not UTF-8: never lose the whole record over it */
		char *t = xstrdup(s);
		for (char *p = t; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		j = json_string(t);
		free(t);
	}
	return j;
}

/* Absent values are left out of the object, never null. */
static void contact_fmt_jset(json_t *obj, const char *key, const char *v)
{
	if (!str_empty(v))
		json_object_set_new(obj, key, contact_fmt_jstr(v));
}

void contact_fmt_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

json_t *contact_fmt_json(const struct contact *c, const char *book)
{
	static const char *const addr_keys[CONTACT_ADDR_PARTS] = {
		"pobox", "ext", "street", "city", "region", "code", "country"
	};
	const struct { const char *k, *v; } sc[] = {
		{ "uid", c->uid }, { "book", book }, { "name", c->fn },
		{ "given", c->given }, { "family", c->family },
		{ "additional", c->additional }, { "prefix", c->prefix },
		{ "suffix", c->suffix }, { "nickname", c->nickname },
		{ "org", c->org }, { "department", c->department },
		{ "title", c->title }, { "birthday", c->bday },
		{ "notes", c->notes },
	};
	json_t *j = json_object(), *lists[5], *tags = json_array();
	char tbuf[40];

	json_object_set_new(j, "id", json_integer(c->id));
	for (size_t i = 0; i < sizeof sc / sizeof *sc; i++)
		contact_fmt_jset(j, sc[i].k, sc[i].v);
	for (size_t i = 0; i < c->ntags; i++)
		json_array_append_new(tags, contact_fmt_jstr(c->tags[i]));
	json_object_set_new(j, "tags", tags);
	for (int k = 1; k < 5; k++)	/* indexed by enum cfield_kind */
		lists[k] = json_array();
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cfield *f = &c->fields[i];
		if (f->kind < CF_PHONE || f->kind > CF_URL)
			continue;
		json_t *e = json_object();
		contact_fmt_jset(e, "label", f->label);
		if (f->kind == CF_ADDR) {
			char *buf;
			const char *p[CONTACT_ADDR_PARTS];
			contact_addr_split(f->value, &buf, p);
			for (int k = 0; k < CONTACT_ADDR_PARTS; k++)
				contact_fmt_jset(e, addr_keys[k], p[k]);
			free(buf);
		} else {
			json_object_set_new(e, "value", contact_fmt_jstr(
				f->value ? f->value : ""));
		}
		if (f->kind == CF_PHONE)
			contact_fmt_jset(e, "e164", f->norm);
		if (f->kind != CF_URL)
			json_object_set_new(e, "pref", json_boolean(f->pref));
		json_array_append_new(lists[f->kind], e);
	}
	json_object_set_new(j, "phones", lists[CF_PHONE]);
	json_object_set_new(j, "emails", lists[CF_EMAIL]);
	json_object_set_new(j, "addresses", lists[CF_ADDR]);
	json_object_set_new(j, "urls", lists[CF_URL]);
	if (c->photo_len || !str_empty(c->photo_uri)) {
		json_t *ph = json_object();
		contact_fmt_jset(ph, "type", c->photo_type);
		if (c->photo_len)
			json_object_set_new(ph, "bytes", json_integer(
				(json_int_t)c->photo_len));
		contact_fmt_jset(ph, "uri", c->photo_uri);
		json_object_set_new(j, "photo", ph);
	}
	contact_fmt_time(tbuf, sizeof tbuf, c->created);
	json_object_set_new(j, "created", json_string(tbuf));
	contact_fmt_time(tbuf, sizeof tbuf, c->updated);
	json_object_set_new(j, "updated", json_string(tbuf));
	return j;
}

static void contact_fmt_kv(struct sbuf *b, const char *key,
			    const char *label, const char *value)
{
	char *k = str_empty(label) ? xasprintf("%s:", key) :
				     xasprintf("%s (%s):", key, label);

	int w = utf8_width(k);

	sbuf_printf(b, "%s%*s", k, w < 14 ? 14 - w : 1, "");
	/* continuation lines of a multi-line value line up under the first */
	for (const char *p = value ? value : ""; *p; p++) {
		sbuf_addc(b, *p);
		if (*p == '\n' && p[1])
			sbuf_printf(b, "%-14s", "");
	}
	sbuf_addc(b, '\n');
	free(k);
}

void contact_fmt_text(struct sbuf *b, const struct contact *c,
				   const char *book)
{
	static const char *const kinds[] = { "", "phone", "email", "address",
					     "url" };
	static const enum cfield_kind order[] = { CF_EMAIL, CF_PHONE, CF_ADDR,
						  CF_URL };
	char t[40];

	contact_fmt_kv(b, "name", NULL, c->fn);
	if (!str_empty(c->nickname))
		contact_fmt_kv(b, "nickname", NULL, c->nickname);
	if (!str_empty(c->org) || !str_empty(c->department)) {
		char *s = xasprintf("%s%s%s", c->org ? c->org : "",
				    c->org && c->department ? ", " : "",
				    c->department ? c->department : "");
		contact_fmt_kv(b, "organisation", NULL, s);
		free(s);
	}
	if (!str_empty(c->title))
		contact_fmt_kv(b, "title", NULL, c->title);
	if (!str_empty(c->bday))
		contact_fmt_kv(b, "birthday", NULL, c->bday);
	for (size_t k = 0; k < 4; k++)
		for (size_t i = 0; i < c->nfields; i++) {
			const struct cfield *f = &c->fields[i];
			if (f->kind != order[k])
				continue;
			char *v = f->kind == CF_ADDR ?
					  contact_addr_display(f->value) :
					  xstrdup(f->value);
			contact_fmt_kv(b, kinds[f->kind], f->label, v);
			free(v);
		}
	if (c->ntags) {
		struct sbuf tg;
		sbuf_init(&tg);
		for (size_t i = 0; i < c->ntags; i++)
			sbuf_printf(&tg, "%s%s", i ? ", " : "", c->tags[i]);
		contact_fmt_kv(b, "tags", NULL, sbuf_str(&tg));
		sbuf_free(&tg);
	}
	if (!str_empty(c->notes))
		contact_fmt_kv(b, "notes", NULL, c->notes);
	contact_fmt_kv(b, "book", NULL, book);
	sbuf_printf(b, "%-14s%lld\n", "id:", (long long)c->id);
	contact_fmt_kv(b, "uid", NULL, c->uid);
	contact_fmt_time(t, sizeof t, c->created);
	contact_fmt_kv(b, "created", NULL, t);
	contact_fmt_time(t, sizeof t, c->updated);
	contact_fmt_kv(b, "updated", NULL, t);
}

