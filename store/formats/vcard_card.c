/* store/formats/vcard_card: what each vCard property means for a contact.
 *
 * FN, N, ORG, TEL, EMAIL, ADR, PHOTO… fill the contact being read; the
 * rest, and second copies of single-valued properties, go to its extra
 * lines.  Fields and tags are gathered in the reader's scratch lists and
 * handed over by vcard_card_finish, which also resolves Apple's itemN.
 * X-ABLabel labels.
 */
#include "store/formats/vcard_int.h"
#include "common/uid.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum vprop {
	P_OTHER, P_BEGIN, P_END, P_DROP, P_FN, P_N, P_NICK, P_ORG, P_TITLE,
	P_BDAY, P_NOTE, P_CATS, P_UID, P_TEL, P_EMAIL, P_URL, P_ADR, P_PHOTO,
	P_LABEL, P_KIND,
};

#define PROP(s, id) { s, sizeof s - 1, id }
static const struct {
	const char *name;
	size_t len;
	enum vprop id;
} card_props[] = {
	PROP("BEGIN", P_BEGIN), PROP("END", P_END), PROP("VERSION", P_DROP),
	PROP("PRODID", P_DROP), PROP("REV", P_DROP), PROP("FN", P_FN),
	PROP("N", P_N), PROP("NICKNAME", P_NICK), PROP("ORG", P_ORG),
	PROP("TITLE", P_TITLE), PROP("BDAY", P_BDAY), PROP("NOTE", P_NOTE),
	PROP("CATEGORIES", P_CATS), PROP("UID", P_UID), PROP("TEL", P_TEL),
	PROP("EMAIL", P_EMAIL), PROP("URL", P_URL), PROP("ADR", P_ADR),
	PROP("PHOTO", P_PHOTO), PROP("X-ABLABEL", P_LABEL),
	PROP("KIND", P_KIND), PROP("X-ADDRESSBOOKSERVER-KIND", P_KIND),
};

static enum vprop card_id(const struct vcard_prop *p)
{
	for (size_t i = 0; i < sizeof card_props / sizeof *card_props; i++)
		if (p->nlen == card_props[i].len &&
		    strncasecmp(p->name, card_props[i].name, p->nlen) == 0)
			return card_props[i].id;
	return P_OTHER;
}

/* ---- fields -------------------------------------------------------------- */

static void card_param_type(void *arg, const char *t, size_t n)
{
	struct sbuf *b = arg;

	if (vcard_ieqn(t, n, "pref") || !vcard_read_param_ok(t, n, true))
		return;
	sbuf_add(b, b->len ? "," : "TYPE=");
	vcard_read_add_utf8(b, t, n);
}

/* The field's parameters as "TYPE=a,b;X-OTHER=1": TYPE values first,
 * 2.1 bare tokens folded into TYPE, without ENCODING, CHARSET, VALUE and
 * pref (pref lives in cfield.pref). */
static char *card_params(const struct vcard_prop *p)
{
	const char *it = p->par, *end = p->par + p->plen;
	struct vcard_param pm;
	struct sbuf b;

	sbuf_init(&b);
	vcard_types_each(p->par, p->plen, card_param_type, &b);
	while (vcard_param_next(&it, end, &pm)) {
		static const char *const skip[] = {
			"TYPE", "ENCODING", "CHARSET", "VALUE", "PREF",
		};
		bool drop = !pm.name;
		for (size_t i = 0; !drop && i < 5; i++)
			drop = vcard_ieqn(pm.name, pm.nlen, skip[i]);
		if (drop)
			continue;
		if (!vcard_read_param_ok(pm.raw, pm.rlen, false))
			continue;
		if (b.len)
			sbuf_addc(&b, ';');
		vcard_read_add_utf8(&b, pm.raw, pm.rlen);
	}
	return b.len ? sbuf_take(&b) : NULL;
}

static void card_field(struct vcard_rd *r, const struct vcard_prop *p,
		       enum cfield_kind kind, char *value)
{
	if (r->nf == r->capf) {
		r->capf = r->capf ? r->capf * 2 : 8;
		r->f = xrealloc(r->f, r->capf * sizeof *r->f);
		r->fgrp = xrealloc(r->fgrp, r->capf * sizeof *r->fgrp);
	}
	struct cfield *f = &r->f[r->nf];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->value = value;
	f->label = xstrdup(vcard_label_of(p->par, p->plen));
	f->params = card_params(p);
	f->pref = p->pref;
	r->fgrp[r->nf++] = p->glen ? xstrndup(p->grp, p->glen) : NULL;
}

static void card_simple_field(struct vcard_rd *r, const struct vcard_prop *p,
			      enum cfield_kind kind)
{
	char *v = vcard_read_text(r, p, true);

	if (v && kind == CF_PHONE && p->uri && str_istarts(v, "tel:")) {
		char *t = vcard_read_dup(v + 4, strlen(v + 4), true);
		free(v);
		v = t;
	}
	if (v)
		card_field(r, p, kind, v);
}

static void card_adr(struct vcard_rd *r, const struct vcard_prop *p)
{
	const char *parts[CONTACT_ADDR_PARTS];
	size_t off[CONTACT_ADDR_PARTS];
	struct vcard_split sp;
	const char *s, *cs;
	size_t n, cn;
	bool any = false;

	vcard_read_bytes(r, p, &s, &n);
	sp = (struct vcard_split){ s, s + n, false };
	sbuf_reset(&r->tbuf);
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		cs = "", cn = 0;
		if (i < CONTACT_ADDR_PARTS - 1)
			vcard_read_split(&sp, ';', &cs, &cn);
		else if (!sp.done)	/* the rest, extra components too */
			cs = sp.p, cn = (size_t)(sp.end - sp.p);
		sbuf_reset(&r->abuf);
		vcard_read_unescape(&r->abuf, cs, cn);
		cs = r->abuf.s, cn = r->abuf.len;
		vcard_trim(&cs, &cn);
		off[i] = r->tbuf.len;
		any |= cn > 0;
		for (size_t j = 0; j < cn; j++)
			if (cs[j] == '\n')
				sbuf_add(&r->tbuf, ", ");
			else
				sbuf_addc(&r->tbuf, cs[j]);
		sbuf_addn(&r->tbuf, "", 1);
	}
	if (!any)
		return;
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++)
		parts[i] = r->tbuf.s + off[i];
	card_field(r, p, CF_ADDR, contact_addr_join(parts));
}

/* ---- names, dates, photos ---------------------------------------------- */

static void card_scalar(struct vcard_rd *r, const struct vcard_prop *p,
			char **dst, bool trim)
{
	if (*dst)
		vcard_read_extra(r, p);
	else
		*dst = vcard_read_text(r, p, trim);
}

/* Unescaped, trimmed component cs into tbuf; returns its text. */
static const char *card_comp(struct vcard_rd *r, const char *cs, size_t cn,
			     size_t *len)
{
	sbuf_reset(&r->tbuf);
	vcard_read_unescape(&r->tbuf, cs, cn);
	cs = r->tbuf.s;
	*len = r->tbuf.len;
	vcard_trim(&cs, len);
	return cs;
}

static void card_n(struct vcard_rd *r, const struct vcard_prop *p)
{
	struct contact *c = r->c;
	char **dst[] = { &c->family, &c->given, &c->additional, &c->prefix,
			 &c->suffix };
	const char *s, *cs;
	size_t n, cn;

	for (int i = 0; i < 5; i++)
		if (*dst[i]) {
			vcard_read_extra(r, p);
			return;
		}
	vcard_read_bytes(r, p, &s, &n);
	struct vcard_split sp = { s, s + n, false };
	for (int i = 0; i < 5 && vcard_read_split(&sp, ';', &cs, &cn); i++) {
		cs = card_comp(r, cs, cn, &cn);
		*dst[i] = vcard_read_dup(cs, cn, false);
	}
}

/* ORG: the first component is the organisation, the rest (joined by
 * "; ") the department.  NICKNAME: values joined by ", ". */
static void card_list(struct vcard_rd *r, const struct vcard_prop *p, char sep,
		      char **first, char **rest)
{
	const char *s, *cs;
	size_t n, cn;

	if (*first || (rest && *rest)) {
		vcard_read_extra(r, p);
		return;
	}
	vcard_read_bytes(r, p, &s, &n);
	struct vcard_split sp = { s, s + n, false };
	sbuf_reset(&r->abuf);
	for (int i = 0; vcard_read_split(&sp, sep, &cs, &cn); i++) {
		cs = card_comp(r, cs, cn, &cn);
		if (i == 0 && rest) {
			*first = vcard_read_dup(cs, cn, false);
		} else if (cn) {
			if (r->abuf.len)
				sbuf_add(&r->abuf, sep == ';' ? "; " : ", ");
			sbuf_addn(&r->abuf, cs, cn);
		}
	}
	char **dst = rest ? rest : first;
	*dst = vcard_read_dup(r->abuf.s, r->abuf.len, false);
}

static void card_cats(struct vcard_rd *r, const struct vcard_prop *p)
{
	const char *s, *cs;
	size_t n, cn;

	vcard_read_bytes(r, p, &s, &n);
	struct vcard_split sp = { s, s + n, false };
	while (vcard_read_split(&sp, ',', &cs, &cn)) {
		cs = card_comp(r, cs, cn, &cn);
		if (!cn)
			continue;
		if (r->nt == r->capt) {
			r->capt = r->capt ? r->capt * 2 : 8;
			r->tags = xrealloc(r->tags, r->capt * sizeof *r->tags);
		}
		r->tags[r->nt++] = xstrndup(cs, cn);
	}
}

static bool card_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* BDAY forms: 19900315, 1990-03-15, --0315, --03-15, with any time part
 * ("T…") dropped; Apple's X-APPLE-OMIT-YEAR=1604 year means none. */
static bool card_bday_norm(const char *v, const struct vcard_prop *p,
			   char out[11])
{
	size_t n = strcspn(v, "Tt ");

	out[0] = '\0';
	if (n == 4 + 2 && v[0] == '-' && v[1] == '-' && card_digits(v + 2, 4))
		snprintf(out, 11, "--%.2s-%.2s", v + 2, v + 4);
	else if (n == 7 && v[0] == '-' && v[1] == '-' && v[4] == '-' &&
		 card_digits(v + 2, 2) && card_digits(v + 5, 2))
		snprintf(out, 11, "%.7s", v);
	else if (n == 8 && card_digits(v, 8))
		snprintf(out, 11, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
	else if (n == 10 && v[4] == '-' && v[7] == '-' &&
		 card_digits(v, 4) && card_digits(v + 5, 2) &&
		 card_digits(v + 8, 2))
		snprintf(out, 11, "%.10s", v);
	if (!contact_bday_valid(out))
		return false;
	const char *it = p->par, *end = p->par + p->plen;
	struct vcard_param pm;
	while (out[0] != '-' && vcard_param_next(&it, end, &pm))
		if (pm.name &&
		    vcard_ieqn(pm.name, pm.nlen, "X-APPLE-OMIT-YEAR") &&
		    pm.vlen == 4 && memcmp(pm.val, out, 4) == 0) {
			memmove(out + 2, out + 5, 6);
			out[0] = out[1] = '-';
		}
	return true;
}

static void card_bday(struct vcard_rd *r, const struct vcard_prop *p)
{
	char out[11];
	char *v = r->c->bday ? NULL : vcard_read_text(r, p, true);

	if (v && card_bday_norm(v, p, out))
		r->c->bday = xstrdup(out);
	else
		vcard_read_extra(r, p);
	free(v);
}

static int card_b64(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Base64 to bytes, skipping white space and stray characters, stopping at
 * '='.  NULL when nothing decodes. */
static unsigned char *card_unbase64(const char *s, size_t n, size_t *len)
{
	unsigned char *o = xmalloc(n / 4 * 3 + 3);
	uint32_t acc = 0;
	int bits = 0;
	size_t k = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int v = card_b64(s[i]);
		if (v < 0)
			continue;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[k++] = (unsigned char)(acc >> bits);
		}
	}
	*len = k;
	if (k)
		return o;
	free(o);
	return NULL;
}

/* A media type safe to write back into a parameter: "image/png". */
static char *card_mtype(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);

	if (n > 64 || !slash || slash == s || slash == s + n - 1)
		return NULL;
	char *t = xstrndup(s, n);
	for (char *q = t; q < t + n; q++) {
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
		else if (!((*q >= 'a' && *q <= 'z') ||
			   (*q >= '0' && *q <= '9') || strchr("/.+-", *q))) {
			free(t);
			return NULL;
		}
	}
	return t;
}

static void card_photo_type(void *arg, const char *t, size_t n)
{
	char **mt = arg;
	char buf[80];

	if (*mt || vcard_ieqn(t, n, "pref") || n > 64)
		return;
	snprintf(buf, sizeof buf, "%s%.*s", memchr(t, '/', n) ? "" : "image/",
		 (int)n, t);
	*mt = card_mtype(buf, strlen(buf));
}

static char *card_sniff(const unsigned char *b, size_t n)
{
	if (n >= 8 && memcmp(b, "\x89PNG", 4) == 0)
		return xstrdup("image/png");
	if (n >= 6 && memcmp(b, "GIF8", 4) == 0)
		return xstrdup("image/gif");
	if (n >= 12 && memcmp(b, "RIFF", 4) == 0 &&
	    memcmp(b + 8, "WEBP", 4) == 0)
		return xstrdup("image/webp");
	return xstrdup("image/jpeg");
}

static void card_photo(struct vcard_rd *r, const struct vcard_prop *p)
{
	struct contact *c = r->c;
	const char *s;
	size_t n;
	char *mt = NULL;

	if (c->photo || c->photo_uri) {
		vcard_read_extra(r, p);
		return;
	}
	vcard_read_bytes(r, p, &s, &n);
	sbuf_reset(&r->abuf);
	for (size_t i = 0; i < n; i++)	/* NUL, CR, LF: never part of a URI */
		if (s[i] && s[i] != '\r' && s[i] != '\n')
			sbuf_addc(&r->abuf, s[i]);
	s = r->abuf.s, n = r->abuf.len;
	vcard_trim(&s, &n);
	if (n > 5 && strncasecmp(s, "data:", 5) == 0) {
		const char *comma = memchr(s, ',', n);
		const char *b64 = comma ? memmem(s, (size_t)(comma - s),
						 ";base64", 7) : NULL;
		if (b64 && b64 + 7 == comma) {
			mt = card_mtype(s + 5, (size_t)(b64 - s - 5));
			c->photo = card_unbase64(comma + 1,
						  n - (size_t)(comma + 1 - s),
						  &c->photo_len);
		}
	} else if (p->b64 || (!p->uri && n && !memchr(s, ':', n))) {
		vcard_types_each(p->par, p->plen, card_photo_type, &mt);
		c->photo = card_unbase64(s, n, &c->photo_len);
	} else {
		c->photo_uri = vcard_read_dup(s, n, false);
		return;
	}
	if (!c->photo) {
		free(mt);
		vcard_read_extra(r, p);
		return;
	}
	c->photo_type = mt ? mt : card_sniff(c->photo, c->photo_len);
}

/* X-ABLabel: "_$!<HomePage>!$_" -> "homepage", custom labels verbatim. */
static void card_label(struct vcard_rd *r, const struct vcard_prop *p)
{
	char *v = p->glen ? vcard_read_text(r, p, true) : NULL;
	size_t n = v ? strlen(v) : 0;

	if (n > 8 && strncmp(v, "_$!<", 4) == 0 &&
	    strcmp(v + n - 4, ">!$_") == 0) {
		for (char *q = v + 4; q < v + n - 4; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
		char *t = vcard_read_dup(v + 4, n - 8, true);
		free(v);
		v = t;
	}
	if (!v) {
		vcard_read_extra(r, p);
		return;
	}
	if (r->nlab == r->caplab) {
		r->caplab = r->caplab ? r->caplab * 2 : 4;
		r->lab = xrealloc(r->lab, r->caplab * sizeof *r->lab);
	}
	struct vcard_label *l = &r->lab[r->nlab++];
	struct sbuf line;
	sbuf_init(&line);
	vcard_read_keep(r, p, &line);
	l->grp = xstrndup(p->grp, p->glen);
	l->label = v;
	l->line = sbuf_take(&line);
}

static void card_kind(struct vcard_rd *r, const struct vcard_prop *p)
{
	char *v = vcard_read_text(r, p, true);

	if (v && str_ieq(v, "group"))
		r->group_card = true;
	else
		vcard_read_extra(r, p);
	free(v);
}

void vcard_card_apply(struct vcard_rd *r, const struct vcard_prop *p)
{
	struct contact *c = r->c;
	enum vprop id = card_id(p);

	switch (id) {
	case P_DROP:
	case P_BEGIN:	/* BEGIN:VCALENDAR… in a card: structure, not data */
	case P_END:
		break;
	case P_FN: card_scalar(r, p, &c->fn, true); break;
	case P_N: card_n(r, p); break;
	case P_NICK: card_list(r, p, ',', &c->nickname, NULL); break;
	case P_ORG: card_list(r, p, ';', &c->org, &c->department); break;
	case P_TITLE: card_scalar(r, p, &c->title, true); break;
	case P_BDAY: card_bday(r, p); break;
	case P_NOTE: card_scalar(r, p, &c->notes, false); break;
	case P_CATS: card_cats(r, p); break;
	case P_UID: card_scalar(r, p, &c->uid, true); break;
	case P_TEL: card_simple_field(r, p, CF_PHONE); break;
	case P_EMAIL: card_simple_field(r, p, CF_EMAIL); break;
	case P_URL: card_simple_field(r, p, CF_URL); break;
	case P_ADR: card_adr(r, p); break;
	case P_PHOTO: card_photo(r, p); break;
	case P_LABEL: card_label(r, p); break;
	case P_KIND: card_kind(r, p); break;
	default: vcard_read_extra(r, p); break;
	}
}

struct vkey {
	const char *s;
	size_t i;
};

static int card_key_cmp(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int d = strcasecmp(x->s, y->s);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

static int card_key_cmp_exact(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int d = strcmp(x->s, y->s);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

/* Give each field the X-ABLabel of its group (first label wins); labels
 * that match no field go to extra.  Sorted, so n labels x m fields stays
 * O((n + m) log m). */
static void card_labels(struct vcard_rd *r)
{
	if (!r->nlab)
		return;
	struct vkey *k = xmalloc((r->nf + 1) * sizeof *k);
	bool *done = xcalloc(r->nf + 1, sizeof *done);
	size_t nk = 0;

	for (size_t i = 0; i < r->nf; i++)
		if (r->fgrp[i])
			k[nk++] = (struct vkey){ r->fgrp[i], i };
	qsort(k, nk, sizeof *k, card_key_cmp);
	for (size_t i = 0; i < r->nlab; i++) {
		struct vcard_label *l = &r->lab[i];
		size_t lo = 0, hi = nk;
		bool used = false;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcasecmp(k[mid].s, l->grp) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nk && strcasecmp(k[lo].s, l->grp) == 0; lo++) {
			if (done[k[lo].i])
				continue;
			struct cfield *f = &r->f[k[lo].i];
			free(f->label);
			f->label = xstrdup(l->label);
			done[k[lo].i] = used = true;
		}
		if (!used)
			sbuf_add(&r->extra, l->line);
		free(l->grp);
		free(l->label);
		free(l->line);
	}
	r->nlab = 0;
	free(k);
	free(done);
}

/* CATEGORIES into c->tags without duplicates, first occurrence kept. */
static void card_tags(struct vcard_rd *r, struct contact *c)
{
	if (!r->nt)
		return;
	struct vkey *k = xmalloc(r->nt * sizeof *k);

	for (size_t i = 0; i < r->nt; i++)
		k[i] = (struct vkey){ r->tags[i], i };
	qsort(k, r->nt, sizeof *k, card_key_cmp_exact);
	for (size_t i = 1, head = 0; i < r->nt; i++) {
		if (strcmp(k[i].s, k[head].s) != 0) {
			head = i;
			continue;
		}
		free(r->tags[k[i].i]);
		r->tags[k[i].i] = NULL;
	}
	free(k);
	c->tags = xmalloc((r->nt + 1) * sizeof *c->tags);
	for (size_t i = 0; i < r->nt; i++)
		if (r->tags[i])
			c->tags[c->ntags++] = r->tags[i];
	r->nt = 0;
}

static bool card_person(const struct contact *c)
{
	const char *names[] = { c->fn, c->family, c->given, c->additional,
				c->prefix, c->suffix, c->nickname, c->org,
				c->department };

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!str_empty(names[i]))
			return true;
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].kind == CF_PHONE ||
		    c->fields[i].kind == CF_EMAIL)
			return true;
	return false;
}

const char *vcard_card_finish(struct vcard_rd *r, struct contact *c)
{
	card_labels(r);
	c->fields = xmalloc((r->nf + 1) * sizeof *c->fields);
	if (r->nf)
		memcpy(c->fields, r->f, r->nf * sizeof *c->fields);
	c->nfields = r->nf;
	for (size_t i = 0; i < r->nf; i++)
		free(r->fgrp[i]);
	r->nf = 0;
	card_tags(r, c);
	if (r->extra.len)
		c->extra = xstrndup(r->extra.s, r->extra.len);
	if (r->group_card)
		return "group card (not a person)";
	if (!card_person(c))
		return "no name, email or phone";
	contact_fill_fn(c);
	if (str_empty(c->uid)) {
		free(c->uid);
		c->uid = uid_new();
	}
	return NULL;
}
