/* store/formats/csv_cols: the header row -> layout and a column map.
 *
 * Every header name is looked up once: in a table of known names ("First
 * Name", "Business Phone", "Emails"…), as an address part of Outlook's
 * "<Business|Home|Other> <part>", or as Google's "<Kind> <N> - <part>".
 * Columns that belong together (the label and value of "Phone 3", the parts
 * of "Home" address) become one group.  Names also vote for a layout.
 */
#include "store/formats/csv_priv.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum csv_what { CSV_W_IGNORE, CSV_W_SC, CSV_W_FIELD, CSV_W_TITLE };

/* What a column says about the layout. */
enum {
	CSV_M_FIRSTLAST = 1 << 0,	/* "First Name" / "Last Name" */
	CSV_M_GIVEN = 1 << 1,		/* "Given Name" */
	CSV_M_GOOGLE = 1 << 2,
	CSV_M_GOLD = 1 << 3,		/* older Google */
	CSV_M_OUTLOOK = 1 << 4,
	CSV_M_EMAILS = 1 << 5,		/* confab */
	CSV_M_PHONES = 1 << 6,		/* confab */
	CSV_M_PERSON = 1 << 7,		/* a name, email or phone */
};

struct csv_name {
	const char *name;
	unsigned char what;	/* enum csv_what */
	unsigned char arg;	/* enum csv_sc or enum csv_gkind */
	unsigned char marks;
	const char *label;	/* CSV_W_FIELD: fixed label */
	bool pref;
};

#define SC(n, sc, m)		{ n, CSV_W_SC, CSV_SC_##sc, m, NULL, false }
#define FLD(n, k, l, m)		{ n, CSV_W_FIELD, CSV_G_##k, \
				  (m) | CSV_M_PERSON, l, false }
#define IGN(n, m)		{ n, CSV_W_IGNORE, 0, m, NULL, false }

static const struct csv_name csv_cols_names[] = {
	SC("Name", FN, CSV_M_PERSON),
	SC("Full Name", FN, CSV_M_PERSON),
	SC("Display Name", FN, CSV_M_PERSON),
	SC("Formatted Name", FN, CSV_M_PERSON),
	SC("First Name", GIVEN, CSV_M_FIRSTLAST | CSV_M_PERSON),
	SC("Given Name", GIVEN, CSV_M_GIVEN | CSV_M_PERSON),
	SC("Middle Name", ADDITIONAL, 0),
	SC("Additional Name", ADDITIONAL, 0),
	SC("Additional Names", ADDITIONAL, 0),
	SC("Last Name", FAMILY, CSV_M_FIRSTLAST | CSV_M_PERSON),
	SC("Family Name", FAMILY, CSV_M_PERSON),
	SC("Surname", FAMILY, CSV_M_PERSON),
	SC("Name Prefix", PREFIX, 0),
	SC("Prefix", PREFIX, 0),
	SC("Name Suffix", SUFFIX, 0),
	SC("Suffix", SUFFIX, 0),
	SC("Nickname", NICKNAME, CSV_M_PERSON),
	SC("Organization Name", ORG, CSV_M_GOOGLE),
	SC("Organization", ORG, 0),
	SC("Organisation", ORG, 0),
	SC("Company", ORG, CSV_M_OUTLOOK),
	SC("Company Name", ORG, 0),
	SC("Organization Department", DEPT, CSV_M_GOOGLE),
	SC("Department", DEPT, 0),
	SC("Organization Title", TITLE, CSV_M_GOOGLE),
	SC("Job Title", TITLE, CSV_M_OUTLOOK),
	SC("Position", TITLE, 0),
	{ "Title", CSV_W_TITLE, 0, 0, NULL, false },
	SC("Birthday", BDAY, 0),
	SC("Birth Date", BDAY, 0),
	SC("Date of Birth", BDAY, 0),
	SC("Notes", NOTES, 0),
	SC("Note", NOTES, 0),
	SC("Labels", TAGS, CSV_M_GOOGLE),
	SC("Group Membership", TAGS, CSV_M_GOLD),
	SC("Categories", TAGS, CSV_M_OUTLOOK),
	SC("Tags", TAGS, 0),
	SC("Groups", TAGS, 0),
	SC("UID", UID, 0),
	SC("Photo", PHOTO, 0),
	SC("Emails", EMAILS, CSV_M_EMAILS | CSV_M_PERSON),
	SC("Phones", PHONES, CSV_M_PHONES | CSV_M_PERSON),
	SC("Addresses", ADDRS, 0),
	SC("URLs", URLS, 0),
	IGN("File As", CSV_M_GOOGLE),
	IGN("Phonetic First Name", CSV_M_GOOGLE),
	IGN("Yomi Name", CSV_M_GOLD),
	FLD("E-mail Address", EMAIL, NULL, CSV_M_OUTLOOK),
	FLD("E-mail 2 Address", EMAIL, NULL, 0),
	FLD("E-mail 3 Address", EMAIL, NULL, 0),
	FLD("Email", EMAIL, NULL, 0),
	FLD("E-mail", EMAIL, NULL, 0),
	FLD("Email Address", EMAIL, NULL, 0),
	FLD("Primary Email", EMAIL, NULL, 0),
	FLD("Secondary Email", EMAIL, NULL, 0),
	FLD("Email 2", EMAIL, NULL, 0),
	FLD("Email 3", EMAIL, NULL, 0),
	FLD("Work Email", EMAIL, "work", 0),
	FLD("Home Email", EMAIL, "home", 0),
	FLD("Personal Email", EMAIL, "home", 0),
	FLD("Business Phone", PHONE, "work", CSV_M_OUTLOOK),
	FLD("Business Phone 2", PHONE, "work", 0),
	FLD("Home Phone", PHONE, "home", CSV_M_OUTLOOK),
	FLD("Home Phone 2", PHONE, "home", 0),
	FLD("Mobile Phone", PHONE, "mobile", CSV_M_OUTLOOK),
	FLD("Business Fax", PHONE, "work fax", 0),
	FLD("Home Fax", PHONE, "home fax", 0),
	FLD("Other Fax", PHONE, "fax", 0),
	FLD("Pager", PHONE, "pager", 0),
	FLD("Other Phone", PHONE, "other", 0),
	FLD("Company Main Phone", PHONE, "main", 0),
	{ "Primary Phone", CSV_W_FIELD, CSV_G_PHONE, CSV_M_PERSON, "primary",
	  true },
	FLD("Assistant's Phone", PHONE, "Assistant", 0),
	FLD("Callback", PHONE, "callback", 0),
	FLD("Car Phone", PHONE, "car", 0),
	FLD("ISDN", PHONE, "isdn", 0),
	FLD("Radio Phone", PHONE, "radio", 0),
	FLD("TTY/TDD Phone", PHONE, "tty", 0),
	FLD("Telex", PHONE, "telex", 0),
	FLD("Phone", PHONE, NULL, 0),
	FLD("Telephone", PHONE, NULL, 0),
	FLD("Phone Number", PHONE, NULL, 0),
	FLD("Mobile", PHONE, "mobile", 0),
	FLD("Mobile Number", PHONE, "mobile", 0),
	FLD("Cell Phone", PHONE, "mobile", 0),
	FLD("Work Phone", PHONE, "work", 0),
	FLD("Fax", PHONE, "fax", 0),
	FLD("Fax Number", PHONE, "fax", 0),
	FLD("Pager Number", PHONE, "pager", 0),
	{ "Web Page", CSV_W_FIELD, CSV_G_URL, 0, NULL, false },
	{ "Website", CSV_W_FIELD, CSV_G_URL, 0, NULL, false },
	{ "Web Site", CSV_W_FIELD, CSV_G_URL, 0, NULL, false },
	{ "URL", CSV_W_FIELD, CSV_G_URL, 0, NULL, false },
	{ "Homepage", CSV_W_FIELD, CSV_G_URL, 0, NULL, false },
	{ "Web Page 2", CSV_W_FIELD, CSV_G_URL, 0, NULL, false },
};

/* A column that belongs to a group, before grouping. */
struct csv_ent {
	uint64_t key;		/* Google N, or a made-up key (below) */
	int col;
	unsigned char kind, sub;
	const char *label;
	bool pref;
};

/* Keys above any Google N: Outlook addresses (+ 1..3) and one-column
 * fields (+ the column). */
#define CSV_KEY_ADDR	10000000000ull
#define CSV_KEY_SINGLE	20000000000ull

struct csv_cols {
	struct csv_map *m;
	struct csv_ent *ents;
	size_t nents, cap;
	int title;		/* "Title": prefix (Outlook) or job title */
	unsigned marks;
};

static void csv_cols_ent(struct csv_cols *st, uint64_t key, int col,
			 int kind, int sub, const char *label, bool pref)
{
	if (st->nents == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->ents = xrealloc(st->ents, st->cap * sizeof *st->ents);
	}
	st->ents[st->nents++] = (struct csv_ent){
		.key = key, .col = col, .kind = (unsigned char)kind,
		.sub = (unsigned char)sub, .label = label, .pref = pref,
	};
}

static const struct csv_name *csv_cols_lookup(const char *name)
{
	int first = tolower((unsigned char)name[0]);

	if (strlen(name) > 32)
		return NULL;
	for (size_t i = 0; i < sizeof csv_cols_names / sizeof *csv_cols_names;
	     i++) {
		const char *s = csv_cols_names[i].name;
		if (tolower((unsigned char)s[0]) == first &&
		    strcasecmp(name, s) == 0)
			return &csv_cols_names[i];
	}
	return NULL;
}

static int csv_cols_word(const char *s, size_t n, const char *const *words,
			 size_t nwords)
{
	for (size_t i = 0; i < nwords; i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return (int)i;
	return -1;
}

/* Outlook's "<Business|Home|Other> <part>" (and Thunderbird's "Work …"). */
static bool csv_cols_outlook_addr(struct csv_cols *st, const char *name,
				  int col)
{
	static const char *const who[] = { "Business", "Work", "Home",
					   "Other" };
	static const char *const who_label[] = { "work", "work", "home",
						 "other" };
	static const unsigned who_key[] = { 1, 1, 2, 3 };
	static const char *const part[] = {
		"Street", "Street 2", "Street 3", "City", "State",
		"Postal Code", "Country/Region", "Country", "PO Box",
		"Address", "Address 2", "ZipCode", "Zip Code",
		"Address PO Box",
	};
	static const unsigned char part_sub[] = {
		CSV_SUB_STREET, CSV_SUB_STREET2, CSV_SUB_STREET3, CSV_SUB_CITY,
		CSV_SUB_REGION, CSV_SUB_CODE, CSV_SUB_COUNTRY, CSV_SUB_COUNTRY,
		CSV_SUB_POBOX, CSV_SUB_STREET, CSV_SUB_STREET2, CSV_SUB_CODE,
		CSV_SUB_CODE, CSV_SUB_POBOX,
	};
	const char *sp = strchr(name, ' ');

	if (!sp)
		return false;
	int w = csv_cols_word(name, (size_t)(sp - name), who,
			      sizeof who / sizeof *who);
	int p = csv_cols_word(sp + 1, strlen(sp + 1), part,
			      sizeof part / sizeof *part);
	if (w < 0 || p < 0)
		return false;
	csv_cols_ent(st, CSV_KEY_ADDR + who_key[w], col, CSV_G_ADDR,
		     part_sub[p], who_label[w], false);
	st->marks |= CSV_M_OUTLOOK;
	return true;
}

static int csv_cols_gsub(int kind, const char *s, size_t n)
{
	static const char *const addr[] = {
		"Formatted", "PO Box", "Extended Address", "Street", "City",
		"Region", "Postal Code", "Country",
	};
	static const unsigned char addr_sub[] = {
		CSV_SUB_FORMATTED, CSV_SUB_POBOX, CSV_SUB_EXT, CSV_SUB_STREET,
		CSV_SUB_CITY, CSV_SUB_REGION, CSV_SUB_CODE, CSV_SUB_COUNTRY,
	};
	static const char *const org[] = { "Name", "Title", "Department" };
	static const unsigned char org_sub[] = {
		CSV_SUB_VALUE, CSV_SUB_TITLE, CSV_SUB_DEPT,
	};
	int i;

	if (kind == CSV_G_ORG) {
		i = csv_cols_word(s, n, org, 3);
		return i < 0 ? -1 : org_sub[i];
	}
	if ((n == 5 && strncasecmp(s, "Label", 5) == 0) ||
	    (n == 4 && strncasecmp(s, "Type", 4) == 0))
		return CSV_SUB_LABEL;
	if (kind != CSV_G_ADDR)
		return n == 5 && strncasecmp(s, "Value", 5) == 0 ?
		       CSV_SUB_VALUE : -1;
	i = csv_cols_word(s, n, addr, 8);
	return i < 0 ? -1 : addr_sub[i];
}

/* Google's "<Kind> <N> - <part>", e.g. "E-mail 2 - Value". */
static bool csv_cols_google(struct csv_cols *st, const char *name, int col)
{
	static const char *const kinds[] = { "E-mail", "Email", "Phone",
					     "Website", "Address",
					     "Organization" };
	static const unsigned char kind_of[] = { CSV_G_EMAIL, CSV_G_EMAIL,
						 CSV_G_PHONE, CSV_G_URL,
						 CSV_G_ADDR, CSV_G_ORG };
	const char *dash = strstr(name, " - ");
	const char *sp = dash ? memchr(name, ' ', (size_t)(dash - name)) : NULL;

	if (!sp)
		return false;
	int k = csv_cols_word(name, (size_t)(sp - name), kinds, 6);
	size_t nd = (size_t)(dash - sp - 1);
	if (k < 0 || nd < 1 || nd > 9 || strspn(sp + 1, "0123456789") != nd)
		return false;
	int sub = csv_cols_gsub(kind_of[k], dash + 3, strlen(dash + 3));
	if (sub < 0)
		return true;	/* a part we do not use */
	uint64_t key = strtoull(sp + 1, NULL, 10);
	csv_cols_ent(st, key, col, kind_of[k], sub, NULL, false);
	if (sub == CSV_SUB_VALUE && kind_of[k] != CSV_G_ORG)
		st->marks |= CSV_M_PERSON;
	if (sub == CSV_SUB_LABEL)
		st->marks |= strncasecmp(dash + 3, "Type", 4) == 0 ?
			     CSV_M_GOLD : CSV_M_GOOGLE;
	return true;
}

static void csv_cols_one(struct csv_cols *st, const char *name, int col)
{
	const struct csv_name *e = csv_cols_lookup(name);

	if (!e) {
		if (!csv_cols_outlook_addr(st, name, col))
			csv_cols_google(st, name, col);
		return;
	}
	st->marks |= e->marks;
	if (e->what == CSV_W_TITLE && st->title < 0)
		st->title = col;
	else if (e->what == CSV_W_SC && st->m->sc[e->arg] < 0)
		st->m->sc[e->arg] = col;
	else if (e->what == CSV_W_FIELD)
		csv_cols_ent(st, CSV_KEY_SINGLE + (uint64_t)col, col, e->arg,
			     CSV_SUB_VALUE, e->label, e->pref);
}

static int csv_cols_cmp(const void *a, const void *b)
{
	const struct csv_ent *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

/* Sorted entries -> groups: one per (kind, key); first column wins. */
static void csv_cols_group(struct csv_cols *st)
{
	struct csv_map *m = st->m;

	if (st->nents)
		qsort(st->ents, st->nents, sizeof *st->ents, csv_cols_cmp);
	m->groups = xcalloc(st->nents ? st->nents : 1, sizeof *m->groups);
	for (size_t i = 0; i < st->nents; i++) {
		const struct csv_ent *e = &st->ents[i];
		if (!i || e->kind != e[-1].kind || e->key != e[-1].key) {
			struct csv_group *n = &m->groups[m->ngroups++];
			n->kind = e->kind;
			for (int s = 0; s < CSV_SUB_N; s++)
				n->col[s] = -1;
		}
		struct csv_group *g = &m->groups[m->ngroups - 1];
		if (!g->label && e->label) {
			g->label = e->label;
			g->pref = e->pref;
		}
		if (g->col[e->sub] < 0)
			g->col[e->sub] = e->col;
	}
}

static enum csv_layout csv_cols_layout(unsigned mk)
{
	if ((mk & CSV_M_EMAILS) && (mk & CSV_M_PHONES))
		return CSV_CONFAB;
	if ((mk & CSV_M_GIVEN) && (mk & CSV_M_GOLD))
		return CSV_GOOGLE_OLD;
	if ((mk & CSV_M_FIRSTLAST) && (mk & CSV_M_GOOGLE))
		return CSV_GOOGLE;
	if ((mk & CSV_M_FIRSTLAST) && (mk & CSV_M_OUTLOOK))
		return CSV_OUTLOOK;
	return CSV_UNKNOWN;
}

/* At most `max` bytes of s, cut on a UTF-8 character boundary. */
static size_t csv_cols_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static char *csv_cols_error(const struct csv_row *hdr)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "CSV header not recognised: expected Google Contacts, "
		 "Outlook or confab columns (found ");
	for (size_t i = 0; i < hdr->n && i < 6; i++) {
		const char *s = csv_row_cell(hdr, (int)i);
		size_t n = csv_cols_cut(s, 40);
		sbuf_printf(&b, "%s\"%.*s%s\"", i ? "," : "", (int)n, s,
			    s[n] ? "…" : "");
	}
	if (hdr->n > 6)
		sbuf_printf(&b, ",… %zu columns", hdr->n);
	sbuf_addc(&b, ')');
	return sbuf_take(&b);
}

static void csv_cols_title(struct csv_cols *st)
{
	int *dst = &st->m->sc[st->m->layout == CSV_OUTLOOK ?
			      CSV_SC_PREFIX : CSV_SC_TITLE];

	if (st->title >= 0 && *dst < 0)
		*dst = st->title;
}

int csv_cols_map(struct csv_map *m, const struct csv_row *hdr, char **err)
{
	struct csv_cols st = { .m = m, .title = -1 };
	int cols = hdr->n > INT32_MAX ? INT32_MAX : (int)hdr->n;

	memset(m, 0, sizeof *m);
	for (int i = 0; i < CSV_SC_N; i++)
		m->sc[i] = -1;
	m->ncols = (size_t)cols;
	for (int i = 0; i < cols; i++)
		csv_cols_one(&st, csv_row_cell(hdr, i), i);
	m->layout = csv_cols_layout(st.marks);
	if (m->layout == CSV_UNKNOWN && !(st.marks & CSV_M_PERSON)) {
		free(st.ents);
		if (err)
			*err = csv_cols_error(hdr);
		return -1;
	}
	csv_cols_title(&st);
	csv_cols_group(&st);
	free(st.ents);
	m->trim = m->layout != CSV_CONFAB;
	m->multi = m->layout == CSV_GOOGLE || m->layout == CSV_GOOGLE_OLD;
	return 0;
}

void csv_cols_free(struct csv_map *m)
{
	free(m->groups);
	m->groups = NULL;
	m->ngroups = 0;
}
