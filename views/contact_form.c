/* views/contact_form: adding and editing a contact through the form. */
#include "views/form.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/contacts.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

enum { G_PHONE = 1, G_EMAIL, G_ADDR, G_URL };

static const char *const phone_tags[] = { "mobile", "work", "home", "main",
					  "fax", "pager", "other", NULL };
static const char *const email_tags[] = { "work", "home", "other", NULL };
static const char *const addr_tags[] = { "work", "home", "other", NULL };
static const char *const url_tags[] = { "work", "home", "homepage", "other",
					NULL };

/* Row indexes of the single fields, in form order. */
enum { R_PREFIX, R_GIVEN, R_MIDDLE, R_FAMILY, R_SUFFIX, R_NICK, R_ORG,
       R_DEPT, R_TITLE, R_NSINGLE };

struct cform {
	struct shell *sh;
	struct contact *orig;	/* NULL when adding */
	int64_t book_id;
	contact_form_done done;
	void *arg;
	int64_t saved_id;
	struct form *f;
};

/* Cookies of the rows below the groups, which move as groups grow. */
enum { U_BDAY = 1, U_TAGS, U_NOTES };

static int group_of(enum cfield_kind k)
{
	return k == CF_PHONE ? G_PHONE : k == CF_EMAIL ? G_EMAIL :
	       k == CF_ADDR ? G_ADDR : G_URL;
}

static enum cfield_kind kind_of(int g)
{
	return g == G_PHONE ? CF_PHONE : g == G_EMAIL ? CF_EMAIL :
	       g == G_ADDR ? CF_ADDR : CF_URL;
}

/* Notes are one line in the form: a newline shows as the two characters
 * "\n" and a backslash as "\\". */
static char *notes_to_line(const char *s)
{
	struct sbuf b;

	sbuf_init(&b);
	for (; s && *s; s++) {
		if (*s == '\n')
			sbuf_add(&b, "\\n");
		else if (*s == '\\')
			sbuf_add(&b, "\\\\");
		else if (*s != '\r')
			sbuf_addc(&b, *s);
	}
	return sbuf_take(&b);
}

static char *line_to_notes(const char *s)
{
	struct sbuf b;

	sbuf_init(&b);
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n')
			sbuf_addc(&b, '\n'), s++;
		else if (s[0] == '\\' && s[1] == '\\')
			sbuf_addc(&b, '\\'), s++;
		else
			sbuf_addc(&b, *s);
	}
	return sbuf_take(&b);
}

/* "street, city, region, code, country" <-> ADR components. */
static char *addr_from_line(const char *line)
{
	char *copy = xstrdup(line);
	char *parts[32];
	int n = 0;

	for (char *save, *t = strtok_r(copy, ",", &save); t && n < 32;
	     t = strtok_r(NULL, ",", &save))
		parts[n++] = str_trim(t);
	const char *adr[CONTACT_ADDR_PARTS] = { "", "", "", "", "", "", "" };
	static const int map[6][5] = {
		{ 0 }, { 2 }, { 2, 3 }, { 2, 3, 6 }, { 2, 3, 5, 6 },
		{ 2, 3, 4, 5, 6 },
	};
	char *street = NULL;
	if (n > 5) {	/* extra commas belong to the street */
		struct sbuf b;
		sbuf_init(&b);
		for (int i = 0; i <= n - 5; i++)
			sbuf_printf(&b, "%s%s", i ? ", " : "", parts[i]);
		street = sbuf_take(&b);
		adr[2] = street;
		for (int i = 1; i < 5; i++)
			adr[map[5][i]] = parts[n - 5 + i];
	} else {
		for (int i = 0; i < n; i++)
			adr[map[n][i]] = parts[i];
	}
	char *v = contact_addr_join(adr);
	free(street);
	free(copy);
	return v;
}

static void add_group_rows(struct cform *cf, int g, const char *label,
			   const char *const *tags)
{
	struct form *f = cf->f;
	bool any = false;

	for (size_t i = 0; cf->orig && i < cf->orig->nfields; i++) {
		const struct cfield *fld = &cf->orig->fields[i];
		if (group_of(fld->kind) != g)
			continue;
		char *val = fld->kind == CF_ADDR ?
			contact_addr_display(fld->value) : xstrdup(fld->value);
		form_add_group(f, g, label, tags, fld->label, val, (long)i + 1);
		free(val);
		any = true;
	}
	(void)any;
	form_add_group(f, g, label, tags, NULL, "", 0);	/* room for one more */
}

static void build(struct cform *cf)
{
	const struct contact *c = cf->orig;
	struct form *f = cf->f;
	const char *single[R_NSINGLE][2] = {
		{ "Prefix", c ? c->prefix : NULL },
		{ "Given name", c ? c->given : NULL },
		{ "Middle name", c ? c->additional : NULL },
		{ "Family name", c ? c->family : NULL },
		{ "Suffix", c ? c->suffix : NULL },
		{ "Nickname", c ? c->nickname : NULL },
		{ "Organisation", c ? c->org : NULL },
		{ "Department", c ? c->department : NULL },
		{ "Job title", c ? c->title : NULL },
	};
	for (int i = 0; i < R_NSINGLE; i++)
		form_add(f, single[i][0], single[i][1]);
	add_group_rows(cf, G_PHONE, "Phone", phone_tags);
	add_group_rows(cf, G_EMAIL, "Email", email_tags);
	add_group_rows(cf, G_ADDR, "Address", addr_tags);
	add_group_rows(cf, G_URL, "Web", url_tags);
	form_add_user(f, "Birthday", c ? c->bday : NULL, U_BDAY);
	struct sbuf t;
	sbuf_init(&t);
	for (size_t i = 0; c && i < c->ntags; i++)
		sbuf_printf(&t, "%s%s", i ? ", " : "", c->tags[i]);
	form_add_user(f, "Tags", sbuf_str(&t), U_TAGS);
	sbuf_free(&t);
	char *notes = notes_to_line(c ? c->notes : NULL);
	form_add_user(f, "Notes", notes, U_NOTES);
	free(notes);
}

static void set_text(struct form *f, size_t row, char **dst)
{
	char *t = form_text(f, row);

	free(*dst);
	*dst = *t ? t : NULL;
	if (!*t)
		free(t);
}

/* The contact as the form now says; fields the form does not show
 * (UID, photo, unmodelled vCard lines, import parameters) carry over. */
static struct contact *collect(struct cform *cf, char **err, size_t *bad)
{
	struct form *f = cf->f;
	struct contact *c = cf->orig ? contact_dup(cf->orig) : contact_new();
	char **scal[R_NSINGLE] = { &c->prefix, &c->given, &c->additional,
				   &c->family, &c->suffix, &c->nickname,
				   &c->org, &c->department, &c->title };

	for (int i = 0; i < R_NSINGLE; i++)
		set_text(f, (size_t)i, scal[i]);
	/* the display name follows the name parts */
	free(c->fn);
	c->fn = NULL;
	while (c->nfields)
		contact_remove_field(c, c->nfields - 1);
	for (size_t i = 0; i < form_count(f); i++) {
		const struct form_field *ff = form_field(f, i);
		if (!ff->group)
			continue;
		char *v = form_text(f, i);
		if (!*v) {
			free(v);
			continue;
		}
		enum cfield_kind k = kind_of(ff->group);
		if (k == CF_EMAIL && !contact_email_valid(v)) {
			*err = xasprintf("bad email '%s': expected "
					 "name@example.com", v);
			*bad = i;
			free(v);
			contact_free(c);
			return NULL;
		}
		const struct cfield *old = ff->user > 0 ?
			&cf->orig->fields[ff->user - 1] : NULL;
		char *orig_disp = old && k == CF_ADDR ?
			contact_addr_display(old->value) : NULL;
		bool same = old && str_eq(ff->tag, old->label) &&
			    str_eq(v, k == CF_ADDR ? orig_disp : old->value);
		struct cfield *nf;
		if (same) {
			nf = contact_add_field(c, k, old->label, old->value);
			nf->params = xstrdup(old->params);
			nf->pref = old->pref;
		} else {
			char *val = k == CF_ADDR ? addr_from_line(v) : xstrdup(v);
			nf = contact_add_field(c, k, ff->tag, val);
			nf->pref = old ? old->pref : false;
			free(val);
		}
		free(orig_disp);
		free(v);
	}
	set_text(f, form_find(f, U_BDAY), &c->bday);
	if (c->bday && !contact_bday_valid(c->bday)) {
		*err = xasprintf("bad birthday '%s': use YYYY-MM-DD, or --MM-DD "
				 "without a year", c->bday);
		*bad = form_find(f, U_BDAY);
		contact_free(c);
		return NULL;
	}
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	c->ntags = 0;
	char *tags = form_text(f, form_find(f, U_TAGS));
	for (char *save, *t = strtok_r(tags, ",", &save); t;
	     t = strtok_r(NULL, ",", &save))
		contact_add_tag(c, str_trim(t));
	free(tags);
	char *nl = form_text(f, form_find(f, U_NOTES));
	free(c->notes);
	c->notes = *nl ? line_to_notes(nl) : NULL;
	free(nl);
	return c;
}

static int save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct cform *cf = arg;
	struct app *a = shell_app(cf->sh);
	struct contact *c = collect(cf, err, bad);

	if (!c)
		return -1;
	if (!cf->orig)
		c->book_id = cf->book_id;
	if (contacts_save(a->db, c, app_region(a), err) < 0) {
		*bad = R_GIVEN;
		contact_free(c);
		return -1;
	}
	cf->saved_id = c->id;
	shell_message(cf->sh, "%s %s", cf->orig ? "Saved" : "Added", c->fn);
	contact_free(c);
	return 0;
}

static void done(void *arg, bool saved)
{
	struct cform *cf = arg;

	if (saved) {
		shell_reload(cf->sh);
		if (cf->done)
			cf->done(cf->arg, cf->saved_id);
	}
	contact_free(cf->orig);
	free(cf);
}

void contact_form_open(struct shell *sh, const struct contact *c,
		       int64_t book_id, contact_form_done cb, void *arg)
{
	struct cform *cf = xcalloc(1, sizeof *cf);

	cf->sh = sh;
	cf->orig = c ? contact_dup(c) : NULL;
	cf->book_id = book_id;
	cf->done = cb;
	cf->arg = arg;
	char *title = c ? xasprintf("Edit %s", c->fn) : xstrdup("New contact");
	cf->f = form_new(sh, title, save, done, cf);
	free(title);
	build(cf);
	form_open(cf->f);
}
