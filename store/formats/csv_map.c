/* store/formats/csv_map: one row of cells -> a contact, through the column
 * map csv_cols built from the header.
 *
 * Google cells may hold several values separated by " ::: " (several
 * e-mails with one label, several labels) and mark the primary one with a
 * leading "* "; the n-th value of a value cell pairs with the n-th value of
 * its label cell.  Outlook's fixed columns carry their label in the name.
 */
#include "store/formats/csv_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CSV_MULTI_SEP " ::: "

/* Walks the values of one cell: the whole cell, or its " ::: " parts. */
struct csv_it {
	const char *p;
	bool multi, done;
};

static void csv_it_init(struct csv_it *it, const char *cell, bool multi)
{
	it->p = cell;
	it->multi = multi;
	it->done = false;
}

static bool csv_it_next(struct csv_it *it, const char **s, size_t *n)
{
	if (it->done)
		return false;
	const char *e = it->multi ? strstr(it->p, CSV_MULTI_SEP) : NULL;
	*s = it->p;
	*n = e ? (size_t)(e - it->p) : strlen(it->p);
	if (e)
		it->p = e + strlen(CSV_MULTI_SEP);
	else
		it->done = true;
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	return true;
}

static char **csv_map_member(struct contact *c, int sc)
{
	switch (sc) {
	case CSV_SC_FN: return &c->fn;
	case CSV_SC_GIVEN: return &c->given;
	case CSV_SC_ADDITIONAL: return &c->additional;
	case CSV_SC_FAMILY: return &c->family;
	case CSV_SC_PREFIX: return &c->prefix;
	case CSV_SC_SUFFIX: return &c->suffix;
	case CSV_SC_NICKNAME: return &c->nickname;
	case CSV_SC_ORG: return &c->org;
	case CSV_SC_DEPT: return &c->department;
	case CSV_SC_TITLE: return &c->title;
	case CSV_SC_BDAY: return &c->bday;
	case CSV_SC_NOTES: return &c->notes;
	case CSV_SC_UID: return &c->uid;
	case CSV_SC_PHOTO: return &c->photo_uri;
	default: return NULL;
	}
}

char *csv_map_oneline(const char *s, size_t n)
{
	struct sbuf b;
	size_t i = 0;

	if (!memchr(s, '\n', n) && !memchr(s, '\r', n))
		return xstrndup(s, n);
	sbuf_init(&b);
	while (i < n) {
		size_t k = i;
		while (k < n && s[k] != '\r' && s[k] != '\n')
			k++;
		if (k > i && b.len)
			sbuf_add(&b, ", ");
		sbuf_addn(&b, s + i, k - i);
		while (k < n && (s[k] == '\r' || s[k] == '\n'))
			k++;
		i = k;
	}
	return sbuf_take(&b);
}

/* Google's label text: "* Home" -> "home", pref.  NULL when empty. */
static char *csv_map_label(const char *s, size_t n, bool multi, bool *pref)
{
	static const char *const std[] = {
		"home", "work", "mobile", "other", "main", "home fax",
		"work fax", "other fax", "pager", "work mobile", "work pager",
		"google voice", "homepage", "blog", "profile", "ftp", "school",
	};

	*pref = false;
	if (multi && n >= 2 && s[0] == '*' && s[1] == ' ') {
		*pref = true;
		s += 2, n -= 2;
		while (n && *s == ' ')
			s++, n--;
	}
	if (!n)
		return NULL;
	char *l = xstrndup(s, n);
	for (size_t i = 0; i < sizeof std / sizeof *std; i++) {
		if (strcasecmp(l, std[i]) == 0) {
			strcpy(l, std[i]);
			break;
		}
	}
	return l;
}

static void csv_map_scalars(const struct csv_map *m, const struct csv_row *r,
			    struct contact *c)
{
	for (int i = 0; i < CSV_SC_N; i++) {
		char **dst = csv_map_member(c, i);
		const char *v = csv_row_cell(r, m->sc[i]);
		if (dst && *v)
			str_set(dst, v);
	}
	if (c->uid)
		str_trim(c->uid);
}

void csv_tags_add(struct csv_tags *t, char *tag)
{
	if (!*tag) {
		free(tag);
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = tag;
}

struct csv_tag_ref {
	const char *s;
	size_t i;
};

static int csv_tags_cmp(const void *a, const void *b)
{
	const struct csv_tag_ref *x = a, *y = b;
	int d = strcmp(x->s, y->s);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

void csv_tags_commit(struct csv_tags *t, struct contact *c)
{
	struct csv_tag_ref *ref = xmalloc(t->n * sizeof *ref);
	size_t k = 0;

	for (size_t i = 0; i < t->n; i++)
		ref[i] = (struct csv_tag_ref){ t->v[i], i };
	if (t->n)
		qsort(ref, t->n, sizeof *ref, csv_tags_cmp);
	/* ref[] is sorted by text then position: a tag equal to the one
	 * before it is a later duplicate.  Mark first, free after. */
	for (size_t i = t->n; i-- > 1;)
		if (strcmp(ref[i].s, ref[i - 1].s) == 0)
			ref[i].s = NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (!ref[i].s) {
			free(t->v[ref[i].i]);
			t->v[ref[i].i] = NULL;
		}
	}
	free(ref);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i])
			t->v[k++] = t->v[i];
	for (size_t i = 0; i < k && c->ntags; i++) {
		contact_add_tag(c, t->v[i]);	/* c had tags: merge */
		free(t->v[i]);
	}
	if (!c->ntags) {
		free(c->tags);
		c->tags = t->v;
		c->ntags = k;
		t->v = NULL;
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* Google "Labels": "* myContacts ::: * starred ::: Friends" */
static void csv_map_google_tags(struct csv_tags *t, const char *cell)
{
	struct csv_it it;
	const char *s;
	size_t n;

	csv_it_init(&it, cell, true);
	while (csv_it_next(&it, &s, &n)) {
		if (n >= 2 && s[0] == '*' && s[1] == ' ')
			s += 2, n -= 2;
		char *tag = str_trim(xstrndup(s, n));
		if (strcasecmp(tag, "starred") == 0)
			strcpy(tag, "starred");
		if (!strcasecmp(tag, "myContacts") ||
		    !strcasecmp(tag, "My Contacts"))
			*tag = '\0';
		csv_tags_add(t, tag);
	}
}

static void csv_map_tags(const struct csv_map *m, const char *cell,
			 struct contact *c)
{
	struct csv_tags t = { 0 };

	if (m->layout == CSV_CONFAB) {
		csv_confab_tags(&t, cell);
	} else if (m->multi) {
		csv_map_google_tags(&t, cell);
	} else {
		/* Outlook "Categories": "Business;Friends" */
		while (*cell) {
			size_t k = strcspn(cell, ";");
			csv_tags_add(&t, str_trim(xstrndup(cell, k)));
			cell += k + (cell[k] == ';');
		}
	}
	csv_tags_commit(&t, c);
}

/* E-mail, phone or URL group: value cell, label cell or fixed label. */
static void csv_map_fields(const struct csv_map *m, const struct csv_row *r,
			   const struct csv_group *g, struct contact *c)
{
	static const enum cfield_kind kind[] = {
		[CSV_G_EMAIL] = CF_EMAIL, [CSV_G_PHONE] = CF_PHONE,
		[CSV_G_URL] = CF_URL,
	};
	struct csv_it vi, li;
	const char *s, *ls;
	size_t n, ln;
	char *label = NULL;
	bool pref = false;

	const char *cell = csv_row_cell(r, g->col[CSV_SUB_VALUE]);
	if (!*cell)
		return;		/* most of Outlook's 20 phone columns */
	csv_it_init(&vi, cell, m->multi);
	csv_it_init(&li, csv_row_cell(r, g->col[CSV_SUB_LABEL]), m->multi);
	while (csv_it_next(&vi, &s, &n)) {
		if (g->col[CSV_SUB_LABEL] < 0) {
			pref = g->pref;
			free(label);
			label = xstrdup(g->label);
		} else if (csv_it_next(&li, &ls, &ln)) {
			free(label);
			label = csv_map_label(ls, ln, m->multi, &pref);
		} else {
			pref = false;	/* more values than labels */
		}
		if (!n)
			continue;
		char *v = xstrndup(s, n);
		contact_add_field(c, kind[g->kind], label, v)->pref = pref;
		free(v);
	}
	free(label);
}

/* The i-th value of every part of an address group. */
struct csv_addr {
	struct csv_it it[CSV_SUB_N];
	const char *s[CSV_SUB_N];
	size_t n[CSV_SUB_N];
};

static bool csv_map_addr_next(struct csv_addr *a)
{
	bool any = false;

	for (int i = CSV_SUB_FORMATTED; i <= CSV_SUB_COUNTRY; i++) {
		a->s[i] = "";
		a->n[i] = 0;
		if (csv_it_next(&a->it[i], &a->s[i], &a->n[i]))
			any = true;
	}
	return any;
}

static char *csv_map_street(const struct csv_addr *a)
{
	struct sbuf b;

	if (!a->n[CSV_SUB_STREET2] && !a->n[CSV_SUB_STREET3])
		return csv_map_oneline(a->s[CSV_SUB_STREET],
				       a->n[CSV_SUB_STREET]);
	sbuf_init(&b);
	for (int i = CSV_SUB_STREET; i <= CSV_SUB_STREET3; i++) {
		if (!a->n[i])
			continue;
		char *p = csv_map_oneline(a->s[i], a->n[i]);
		if (b.len && *p)
			sbuf_add(&b, ", ");
		sbuf_add(&b, p);
		free(p);
	}
	return sbuf_take(&b);
}

/* Build the value of one address; NULL when every part is empty. */
static char *csv_map_addr_value(const struct csv_addr *a)
{
	static const int sub[CONTACT_ADDR_PARTS] = {
		CSV_SUB_POBOX, CSV_SUB_EXT, CSV_SUB_STREET, CSV_SUB_CITY,
		CSV_SUB_REGION, CSV_SUB_CODE, CSV_SUB_COUNTRY,
	};
	char *part[CONTACT_ADDR_PARTS];
	bool any = false;

	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		part[i] = i == 2 ? csv_map_street(a) :
			  csv_map_oneline(a->s[sub[i]], a->n[sub[i]]);
		any |= *part[i] != '\0';
	}
	if (!any && a->n[CSV_SUB_FORMATTED]) {
		free(part[2]);
		part[2] = csv_map_oneline(a->s[CSV_SUB_FORMATTED],
					  a->n[CSV_SUB_FORMATTED]);
		any = true;
	}
	char *v = any ? contact_addr_join((const char *const *)part) : NULL;
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++)
		free(part[i]);
	return v;
}

static void csv_map_addrs(const struct csv_map *m, const struct csv_row *r,
			  const struct csv_group *g, struct contact *c)
{
	struct csv_addr a;
	struct csv_it li;
	const char *ls;
	size_t ln;
	char *label;
	bool pref = g->pref, any = false;

	for (int i = 0; i < CSV_SUB_N; i++) {
		const char *cell = csv_row_cell(r, g->col[i]);
		csv_it_init(&a.it[i], cell, m->multi);
		any |= i != CSV_SUB_LABEL && *cell;
	}
	if (!any)
		return;
	label = xstrdup(g->label);
	csv_it_init(&li, csv_row_cell(r, g->col[CSV_SUB_LABEL]), m->multi);
	while (csv_map_addr_next(&a)) {
		if (g->col[CSV_SUB_LABEL] >= 0) {
			pref = false;
			if (csv_it_next(&li, &ls, &ln)) {
				free(label);
				label = csv_map_label(ls, ln, m->multi, &pref);
			}
		}
		char *v = csv_map_addr_value(&a);
		if (v)
			contact_add_field(c, CF_ADDR, label, v)->pref = pref;
		free(v);
	}
	free(label);
}

/* Older Google "Organization 1 - Name/Title/Department": the first one
 * fills whatever is still empty. */
static void csv_map_org(const struct csv_row *r, const struct csv_group *g,
			struct contact *c)
{
	const char *name = csv_row_cell(r, g->col[CSV_SUB_VALUE]);
	const char *title = csv_row_cell(r, g->col[CSV_SUB_TITLE]);
	const char *dept = csv_row_cell(r, g->col[CSV_SUB_DEPT]);

	if (str_empty(c->org) && *name)
		str_set(&c->org, name);
	if (str_empty(c->title) && *title)
		str_set(&c->title, title);
	if (str_empty(c->department) && *dept)
		str_set(&c->department, dept);
}

static void csv_map_groups(const struct csv_map *m, const struct csv_row *r,
			   struct contact *c)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct csv_group *g = &m->groups[i];
		if (g->kind == CSV_G_ADDR)
			csv_map_addrs(m, r, g, c);
		else if (g->kind == CSV_G_ORG)
			csv_map_org(r, g, c);
		else
			csv_map_fields(m, r, g, c);
	}
}

/* Numbers of a date: up to 3 runs of at most 8 digits, one separator kind. */
struct csv_date {
	unsigned v[3];
	int nd[3];
	int k;
	char sep;
};

static bool csv_map_date_split(const char *s, const char *end,
			       struct csv_date *d)
{
	memset(d, 0, sizeof *d);
	while (d->k < 3) {
		int nd = 0;
		unsigned v = 0;
		while (s < end && *s >= '0' && *s <= '9' && nd < 9)
			v = v * 10 + (unsigned)(*s++ - '0'), nd++;
		if (!nd || nd > 8)
			return false;
		d->v[d->k] = v;
		d->nd[d->k++] = nd;
		if (s == end)
			return true;
		if (d->k == 3 || !strchr("-/.", *s) || (d->sep && *s != d->sep))
			return false;
		d->sep = *s++;
	}
	return false;
}

static unsigned csv_map_year2(unsigned yy)
{
	time_t now = time(NULL);
	struct tm tm;
	unsigned cur = 26;

	if (gmtime_r(&now, &tm))
		cur = (unsigned)(tm.tm_year % 100);
	return yy <= cur ? 2000 + yy : 1900 + yy;
}

/* Year, month, day from the numbers; y == 0 means no year.  -1: no date,
 * 0: a "none" date such as Outlook's 0/0/00, 1: ok. */
static int csv_map_ymd(const struct csv_date *d, bool noyear, unsigned *y,
		       unsigned *mo, unsigned *dd)
{
	*y = 0;
	if (noyear && d->k == 2 && d->nd[0] <= 2 && d->nd[1] <= 2) {
		*mo = d->v[0], *dd = d->v[1];
	} else if (noyear) {
		return -1;
	} else if (d->k == 1 && d->nd[0] == 8) {
		*y = d->v[0] / 10000;
		*mo = d->v[0] / 100 % 100, *dd = d->v[0] % 100;
	} else if (d->k == 3 && d->nd[0] == 4 && d->nd[1] <= 2 &&
		   d->nd[2] <= 2) {
		*y = d->v[0], *mo = d->v[1], *dd = d->v[2];
	} else if (d->k == 3 && d->nd[0] <= 2 && d->nd[1] <= 2 &&
		   (d->nd[2] == 4 || d->nd[2] == 2)) {
		/* M/D/YYYY (Outlook), D/M/YYYY when D > 12, D.M.YYYY */
		bool dm = d->sep == '.' || d->v[0] > 12;
		*mo = d->v[dm ? 1 : 0], *dd = d->v[dm ? 0 : 1];
		*y = d->nd[2] == 2 ? csv_map_year2(d->v[2]) : d->v[2];
		if (!d->v[0] && !d->v[1])
			return 0;
	} else {
		return -1;
	}
	if (!*y && !*mo && !*dd && !noyear)
		return 0;
	return 1;
}

/* "YYYY-MM-DD", or "--MM-DD" when y is 0; no printf, it runs per row. */
static char *csv_map_ymd_text(unsigned y, unsigned mo, unsigned dd)
{
	char *b = xmalloc(11), *p = b;

	if (y) {
		*p++ = (char)('0' + y / 1000);
		*p++ = (char)('0' + y / 100 % 10);
		*p++ = (char)('0' + y / 10 % 10);
		*p++ = (char)('0' + y % 10);
	} else {
		*p++ = '-';
	}
	*p++ = '-';
	*p++ = (char)('0' + mo / 10), *p++ = (char)('0' + mo % 10);
	*p++ = '-';
	*p++ = (char)('0' + dd / 10), *p++ = (char)('0' + dd % 10);
	*p = '\0';
	return b;
}

static int csv_map_bday(const char *raw, char **out)
{
	const char *s = raw, *end = raw + strlen(raw);
	struct csv_date d;
	unsigned y, mo, dd;
	bool noyear = false;

	*out = NULL;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (s == end)
		return 0;
	if (end - s > 2 && s[0] == '-' && s[1] == '-')
		s += 2, noyear = true;
	if (!csv_map_date_split(s, end, &d))
		return -1;
	int k = csv_map_ymd(&d, noyear, &y, &mo, &dd);
	if (k <= 0)
		return k;
	if (mo > 12 || dd > 31 || y > 9999)
		return -1;
	char *b = csv_map_ymd_text(noyear ? 0 : y, mo, dd);
	if (!contact_bday_valid(b)) {
		free(b);
		return -1;
	}
	*out = b;
	return 1;
}

/* Normalise c->bday; text that is no date goes to the notes. */
static void csv_map_fix_bday(struct contact *c)
{
	char *norm;

	if (!c->bday)
		return;
	if (csv_map_bday(c->bday, &norm) < 0) {
		str_trim(c->bday);
		char *n = str_empty(c->notes) ?
			  xasprintf("Birthday: %s", c->bday) :
			  xasprintf("%s\nBirthday: %s", c->notes, c->bday);
		free(c->notes);
		c->notes = n;
	}
	free(c->bday);
	c->bday = norm;
}

void csv_map_row(const struct csv_map *m, const struct csv_row *r,
		 struct contact *c)
{
	csv_map_scalars(m, r, c);
	csv_map_tags(m, csv_row_cell(r, m->sc[CSV_SC_TAGS]), c);
	if (m->layout == CSV_CONFAB) {
		csv_confab_fields(c, CF_EMAIL,
				  csv_row_cell(r, m->sc[CSV_SC_EMAILS]));
		csv_confab_fields(c, CF_PHONE,
				  csv_row_cell(r, m->sc[CSV_SC_PHONES]));
		csv_confab_fields(c, CF_ADDR,
				  csv_row_cell(r, m->sc[CSV_SC_ADDRS]));
		csv_confab_fields(c, CF_URL,
				  csv_row_cell(r, m->sc[CSV_SC_URLS]));
	}
	csv_map_groups(m, r, c);
	csv_map_fix_bday(c);
}
