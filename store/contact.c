/* store/contact: the contact record's memory management and checks. */
#include "store/contact.h"
#include "common/str.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct contact *contact_new(void)
{
	return xcalloc(1, sizeof(struct contact));
}

static void cfield_clear(struct cfield *f)
{
	free(f->label);
	free(f->value);
	free(f->norm);
	free(f->params);
}

void contact_free(struct contact *c)
{
	if (!c)
		return;
	char **strs[] = { &c->uid, &c->fn, &c->family, &c->given,
			  &c->additional, &c->prefix, &c->suffix, &c->nickname,
			  &c->org, &c->department, &c->title, &c->bday,
			  &c->notes, &c->photo_type, &c->photo_uri, &c->extra };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		free(*strs[i]);
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	for (size_t i = 0; i < c->nfields; i++)
		cfield_clear(&c->fields[i]);
	free(c->fields);
	free(c->photo);
	free(c);
}

struct contact *contact_dup(const struct contact *c)
{
	struct contact *d = contact_new();

	d->id = c->id;
	d->book_id = c->book_id;
	d->uid = xstrdup(c->uid);
	d->fn = xstrdup(c->fn);
	d->family = xstrdup(c->family);
	d->given = xstrdup(c->given);
	d->additional = xstrdup(c->additional);
	d->prefix = xstrdup(c->prefix);
	d->suffix = xstrdup(c->suffix);
	d->nickname = xstrdup(c->nickname);
	d->org = xstrdup(c->org);
	d->department = xstrdup(c->department);
	d->title = xstrdup(c->title);
	d->bday = xstrdup(c->bday);
	d->notes = xstrdup(c->notes);
	for (size_t i = 0; i < c->ntags; i++)
		contact_add_tag(d, c->tags[i]);
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cfield *s = &c->fields[i];
		struct cfield *f = contact_add_field(d, s->kind, s->label,
						     s->value);
		f->norm = xstrdup(s->norm);
		f->params = xstrdup(s->params);
		f->pref = s->pref;
	}
	if (c->photo_len) {
		d->photo = xmalloc(c->photo_len);
		memcpy(d->photo, c->photo, c->photo_len);
		d->photo_len = c->photo_len;
	}
	d->photo_type = xstrdup(c->photo_type);
	d->photo_uri = xstrdup(c->photo_uri);
	d->extra = xstrdup(c->extra);
	d->created = c->created;
	d->updated = c->updated;
	return d;
}

struct cfield *contact_add_field(struct contact *c, enum cfield_kind kind,
				 const char *label, const char *value)
{
	c->fields = xrealloc(c->fields, (c->nfields + 1) * sizeof *c->fields);
	struct cfield *f = &c->fields[c->nfields++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->label = xstrdup(label);
	f->value = xstrdup(value ? value : "");
	return f;
}

void contact_remove_field(struct contact *c, size_t i)
{
	if (i >= c->nfields)
		return;
	cfield_clear(&c->fields[i]);
	memmove(&c->fields[i], &c->fields[i + 1],
		(c->nfields - i - 1) * sizeof *c->fields);
	c->nfields--;
}

void contact_add_tag(struct contact *c, const char *tag)
{
	if (str_empty(tag))
		return;
	for (size_t i = 0; i < c->ntags; i++)
		if (strcmp(c->tags[i], tag) == 0)
			return;
	c->tags = xrealloc(c->tags, (c->ntags + 1) * sizeof *c->tags);
	c->tags[c->ntags++] = xstrdup(tag);
}

const struct cfield *contact_first(const struct contact *c,
				   enum cfield_kind kind)
{
	const struct cfield *first = NULL;

	for (size_t i = 0; i < c->nfields; i++) {
		if (c->fields[i].kind != kind)
			continue;
		if (c->fields[i].pref)
			return &c->fields[i];
		if (!first)
			first = &c->fields[i];
	}
	return first;
}

void contact_fill_fn(struct contact *c)
{
	if (!str_empty(c->fn))
		return;
	struct sbuf b;
	sbuf_init(&b);
	const char *parts[] = { c->prefix, c->given, c->additional, c->family,
				c->suffix };
	for (size_t i = 0; i < 5; i++) {
		if (str_empty(parts[i]))
			continue;
		if (b.len)
			sbuf_addc(&b, ' ');
		sbuf_add(&b, parts[i]);
	}
	if (!b.len && !str_empty(c->nickname))
		sbuf_add(&b, c->nickname);
	if (!b.len && !str_empty(c->org))
		sbuf_add(&b, c->org);
	for (int k = 0; !b.len && k < 2; k++) {	/* an email, else a phone */
		for (size_t i = 0; i < c->nfields && !b.len; i++)
			if (c->fields[i].kind == (k ? CF_PHONE : CF_EMAIL))
				sbuf_add(&b, c->fields[i].value);
	}
	free(c->fn);
	c->fn = b.len ? sbuf_take(&b) : NULL;
	sbuf_free(&b);
}

static void fill(char **dst, const char *src)
{
	if (str_empty(*dst) && !str_empty(src))
		str_set(dst, src);
}

static bool has_field(const struct contact *c, const struct cfield *f)
{
	for (size_t i = 0; i < c->nfields; i++) {
		const struct cfield *g = &c->fields[i];
		if (g->kind != f->kind)
			continue;
		if (g->norm && f->norm && strcmp(g->norm, f->norm) == 0)
			return true;
		if (str_ieq(g->value, f->value))
			return true;
	}
	return false;
}

void contact_merge(struct contact *dst, const struct contact *src)
{
	fill(&dst->fn, src->fn);
	fill(&dst->family, src->family);
	fill(&dst->given, src->given);
	fill(&dst->additional, src->additional);
	fill(&dst->prefix, src->prefix);
	fill(&dst->suffix, src->suffix);
	fill(&dst->nickname, src->nickname);
	fill(&dst->org, src->org);
	fill(&dst->department, src->department);
	fill(&dst->title, src->title);
	fill(&dst->bday, src->bday);
	if (!str_empty(src->notes) && !str_eq(dst->notes, src->notes)) {
		if (str_empty(dst->notes))
			str_set(&dst->notes, src->notes);
		else if (!strstr(dst->notes, src->notes)) {
			char *n = xasprintf("%s\n%s", dst->notes, src->notes);
			free(dst->notes);
			dst->notes = n;
		}
	}
	for (size_t i = 0; i < src->ntags; i++)
		contact_add_tag(dst, src->tags[i]);
	for (size_t i = 0; i < src->nfields; i++) {
		const struct cfield *s = &src->fields[i];
		if (has_field(dst, s))
			continue;
		struct cfield *f = contact_add_field(dst, s->kind, s->label,
						     s->value);
		f->norm = xstrdup(s->norm);
		f->params = xstrdup(s->params);
	}
	if (!dst->photo_len && src->photo_len) {
		dst->photo = xmalloc(src->photo_len);
		memcpy(dst->photo, src->photo, src->photo_len);
		dst->photo_len = src->photo_len;
		str_set(&dst->photo_type, src->photo_type);
	}
	fill(&dst->photo_uri, src->photo_uri);
	if (!str_empty(src->extra)) {
		struct sbuf b;
		sbuf_init(&b);
		sbuf_add(&b, dst->extra);
		/* add each line of src->extra that dst lacks */
		const char *p = src->extra;
		while (*p) {
			const char *e = strstr(p, "\r\n");
			size_t n = e ? (size_t)(e - p) + 2 : strlen(p);
			char *line = xstrndup(p, n);
			if (!dst->extra || !strstr(dst->extra, line))
				sbuf_add(&b, line);
			free(line);
			p += n;
		}
		free(dst->extra);
		dst->extra = sbuf_take(&b);
	}
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool contact_bday_valid(const char *b)
{
	int y = 2000, m, d;

	if (!b)
		return false;
	if (strlen(b) == 7 && b[0] == '-' && b[1] == '-' && digits(b + 2, 2) &&
	    b[4] == '-' && digits(b + 5, 2)) {
		m = atoi(b + 2);
		d = atoi(b + 5);
	} else if (strlen(b) == 10 && digits(b, 4) && b[4] == '-' &&
		   digits(b + 5, 2) && b[7] == '-' && digits(b + 8, 2)) {
		y = atoi(b);
		m = atoi(b + 5);
		d = atoi(b + 8);
		if (y < 1)
			return false;
	} else {
		return false;
	}
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool contact_email_valid(const char *e)
{
	if (str_empty(e))
		return false;
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@'))
		return false;
	for (const char *p = e; *p; p++)
		if (isspace((unsigned char)*p) || *p == ',' || *p == '<' ||
		    *p == '>' || *p == '"' || *p == ';')
			return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}

void contact_addr_split(const char *value, char **buf,
			const char *parts[CONTACT_ADDR_PARTS])
{
	char *s = xstrdup(value ? value : "");

	*buf = s;
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		parts[i] = s;
		char *nl = s ? strchr(s, '\n') : NULL;
		if (nl) {
			*nl = '\0';
			s = nl + 1;
		} else if (s) {
			s = NULL;
		}
		if (!parts[i])
			parts[i] = "";
	}
}

char *contact_addr_join(const char *const parts[CONTACT_ADDR_PARTS])
{
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		if (i)
			sbuf_addc(&b, '\n');
		sbuf_add(&b, parts[i] ? parts[i] : "");
	}
	return sbuf_take(&b);
}

char *contact_addr_display(const char *value)
{
	char *buf;
	const char *p[CONTACT_ADDR_PARTS];
	struct sbuf b;

	contact_addr_split(value, &buf, p);
	sbuf_init(&b);
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		if (str_empty(p[i]))
			continue;
		if (b.len)
			sbuf_add(&b, ", ");
		sbuf_add(&b, p[i]);
	}
	free(buf);
	return sbuf_take(&b);
}
