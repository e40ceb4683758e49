/* store/formats/csv_confab: confab's own CSV layout, both directions.
 *
 * Header:
 *   Name,Given Name,Family Name,Additional Names,Prefix,Suffix,Nickname,
 *   Organization,Department,Title,Birthday,Emails,Phones,Addresses,URLs,
 *   Notes,Tags,UID
 *
 * Single-valued cells hold the text as is.  Emails, Phones, Addresses and
 * URLs hold every field of that kind, one item per line (LF; CR or CRLF are
 * accepted when reading):
 *
 *   item  = ["*"] [label ":" " "] value        "*" marks the preferred one
 *
 * Inside label and value a backslash escapes: "\\" "\n" "\r", and in labels
 * also "\:" and "\*".  An item without a label that would be ambiguous (its
 * value empty, holding ':' or starting with '*') is written ": value".  An
 * address value is its seven ADR components (pobox;ext;street;city;region;
 * code;country) joined by ';', with ';' inside a component written "\;".
 * Tags: one per line, escaped the same way.  Rows end CRLF (RFC 4180).
 */
#include "store/formats/csv_priv.h"

#include <stdlib.h>
#include <string.h>

static const char *const csv_confab_head[] = {
	"Name", "Given Name", "Family Name", "Additional Names", "Prefix",
	"Suffix", "Nickname", "Organization", "Department", "Title",
	"Birthday", "Emails", "Phones", "Addresses", "URLs", "Notes", "Tags",
	"UID",
};

/* ---- writing ------------------------------------------------------------ */

/* One CSV cell, quoted when it holds a separator, quote or line break. */
static void csv_confab_cell(struct sbuf *out, const char *s, bool first)
{
	if (!first)
		sbuf_addc(out, ',');
	if (!s || !*s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		sbuf_add(out, s);
		return;
	}
	sbuf_addc(out, '"');
	for (;;) {
		size_t n = strcspn(s, "\"");
		sbuf_addn(out, s, n);
		if (!s[n])
			break;
		sbuf_add(out, "\"\"");
		s += n + 1;
	}
	sbuf_addc(out, '"');
}

/* Backslash-escape \, CR, LF and the characters in `special`. */
static void csv_confab_esc(struct sbuf *b, const char *s, const char *special)
{
	char stop[8] = "\\\r\n";

	strncat(stop, special, sizeof stop - strlen(stop) - 1);
	for (;;) {
		size_t n = strcspn(s, stop);
		sbuf_addn(b, s, n);
		s += n;
		if (!*s)
			return;
		sbuf_addc(b, '\\');
		sbuf_addc(b, *s == '\r' ? 'r' : *s == '\n' ? 'n' : *s);
		s++;
	}
}

static void csv_confab_item(struct sbuf *b, const struct cfield *f)
{
	struct sbuf v;

	sbuf_init(&v);
	if (f->kind == CF_ADDR) {
		char *buf;
		const char *p[CONTACT_ADDR_PARTS];
		contact_addr_split(f->value, &buf, p);
		for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
			if (i)
				sbuf_addc(&v, ';');
			csv_confab_esc(&v, p[i], ";");
		}
		free(buf);
	} else {
		csv_confab_esc(&v, f->value ? f->value : "", "");
	}
	const char *vs = sbuf_str(&v);
	if (b->len)
		sbuf_addc(b, '\n');
	if (f->pref)
		sbuf_addc(b, '*');
	if (!str_empty(f->label)) {
		csv_confab_esc(b, f->label, ":*");
		sbuf_add(b, ": ");
	} else if (!*vs || *vs == '*' || strchr(vs, ':')) {
		sbuf_add(b, ": ");
	}
	sbuf_add(b, vs);
	sbuf_free(&v);
}

static void csv_confab_kind(struct sbuf *out, const struct contact *c,
			    enum cfield_kind kind)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].kind == kind)
			csv_confab_item(&b, &c->fields[i]);
	csv_confab_cell(out, sbuf_str(&b), false);
	sbuf_free(&b);
}

static void csv_confab_tagcell(struct sbuf *out, const struct contact *c)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < c->ntags; i++) {
		if (i)
			sbuf_addc(&b, '\n');
		csv_confab_esc(&b, c->tags[i], "");
	}
	csv_confab_cell(out, sbuf_str(&b), false);
	sbuf_free(&b);
}

void csv_write_header(struct sbuf *out)
{
	for (size_t i = 0; i < sizeof csv_confab_head / sizeof *csv_confab_head;
	     i++)
		csv_confab_cell(out, csv_confab_head[i], i == 0);
	sbuf_add(out, "\r\n");
}

void csv_write(struct sbuf *out, const struct contact *c)
{
	const char *const one[] = {
		c->given, c->family, c->additional, c->prefix, c->suffix,
		c->nickname, c->org, c->department, c->title, c->bday,
	};

	csv_confab_cell(out, c->fn, true);
	for (size_t i = 0; i < sizeof one / sizeof *one; i++)
		csv_confab_cell(out, one[i], false);
	csv_confab_kind(out, c, CF_EMAIL);
	csv_confab_kind(out, c, CF_PHONE);
	csv_confab_kind(out, c, CF_ADDR);
	csv_confab_kind(out, c, CF_URL);
	csv_confab_cell(out, c->notes, false);
	csv_confab_tagcell(out, c);
	csv_confab_cell(out, c->uid, false);
	sbuf_add(out, "\r\n");
}

/* ---- reading ------------------------------------------------------------ */

/* Offset of the first unescaped `ch` in s[0..n), n when there is none. */
static size_t csv_confab_find(const char *s, size_t n, char ch)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == ch)
			return i;
	}
	return n;
}

static char *csv_confab_unesc(const char *s, size_t n)
{
	char *o = xmalloc(n + 1), *p = o;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			*p++ = s[i];
			continue;
		}
		i++;
		*p++ = s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
	}
	*p = '\0';
	return o;
}

static char *csv_confab_addr(const char *s, size_t n)
{
	char *part[CONTACT_ADDR_PARTS];

	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		size_t k = i + 1 < CONTACT_ADDR_PARTS ?
			   csv_confab_find(s, n, ';') : n;
		char *raw = csv_confab_unesc(s, k);
		part[i] = csv_map_oneline(raw, strlen(raw));
		free(raw);
		s += k, n -= k;
		if (n)
			s++, n--;	/* the ';' */
	}
	char *v = contact_addr_join((const char *const *)part);
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++)
		free(part[i]);
	return v;
}

static void csv_confab_field(struct contact *c, enum cfield_kind kind,
			     const char *s, size_t n)
{
	bool pref = n && *s == '*';
	char *label = NULL, *value;

	if (pref)
		s++, n--;
	size_t colon = csv_confab_find(s, n, ':');
	if (colon < n) {
		label = csv_confab_unesc(s, colon);
		s += colon + 1, n -= colon + 1;
		if (n && *s == ' ')
			s++, n--;
		if (!*label) {
			free(label);
			label = NULL;
		}
	}
	value = kind == CF_ADDR ? csv_confab_addr(s, n) :
				  csv_confab_unesc(s, n);
	if (*value)	/* an empty value is no field */
		contact_add_field(c, kind, label, value)->pref = pref;
	free(label);
	free(value);
}

void csv_confab_fields(struct contact *c, enum cfield_kind kind,
		       const char *cell)
{
	while (*cell) {
		size_t n = strcspn(cell, "\r\n");
		if (n)
			csv_confab_field(c, kind, cell, n);
		cell += n;
		cell += strspn(cell, "\r\n");
	}
}

void csv_confab_tags(struct csv_tags *t, const char *cell)
{
	while (*cell) {
		size_t n = strcspn(cell, "\r\n");
		csv_tags_add(t, csv_confab_unesc(cell, n));
		cell += n;
		cell += strspn(cell, "\r\n");
	}
}
