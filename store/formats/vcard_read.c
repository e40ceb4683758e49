/* store/formats/vcard_read: vcard_parse, vCard 2.1/3.0/4.0 -> contacts.
 *
 * Bytes become physical lines (CRLF, LF or CR), physical lines become
 * logical ones (unfolding, QUOTED-PRINTABLE soft breaks), logical lines
 * become properties applied to the card being read.  Everything is linear
 * in the input: lines are only copied when they need joining, scratch
 * buffers live as long as the parse, and the per-card lists are grown by
 * doubling and handed to the contact at END:VCARD.
 */
#include "store/formats/vcard_int.h"
#include "common/str.h"
#include "common/uid.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct vlabel {
	char *grp;	/* itemN */
	char *label;	/* mapped label text */
	char *line;	/* the X-ABLabel line, for extra when it matches nothing */
};

struct vrd {
	const char *data;
	size_t len, pos;
	size_t nl, cr;		/* next '\n' / '\r' at or after pos */
	unsigned line;		/* physical lines consumed */
	unsigned lline;		/* where the current logical line began */
	vcard_card_cb cb;
	void *arg;
	struct sbuf lbuf;	/* a logical line that needed joining */
	struct sbuf qbuf;	/* QUOTED-PRINTABLE decoded value */
	struct sbuf tbuf, abuf;	/* unescaped text, accumulators */
	struct sbuf extra;
	char *conv;		/* value converted from its charset */
	/* the card being read */
	struct contact *c;
	unsigned card_line;
	bool group_card;
	struct cfield *f;
	char **fgrp;
	size_t nf, capf;
	char **tags;
	size_t nt, capt;
	struct vlabel *lab;
	size_t nlab, caplab;
};

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
} vread_props[] = {
	PROP("BEGIN", P_BEGIN), PROP("END", P_END), PROP("VERSION", P_DROP),
	PROP("PRODID", P_DROP), PROP("REV", P_DROP), PROP("FN", P_FN),
	PROP("N", P_N), PROP("NICKNAME", P_NICK), PROP("ORG", P_ORG),
	PROP("TITLE", P_TITLE), PROP("BDAY", P_BDAY), PROP("NOTE", P_NOTE),
	PROP("CATEGORIES", P_CATS), PROP("UID", P_UID), PROP("TEL", P_TEL),
	PROP("EMAIL", P_EMAIL), PROP("URL", P_URL), PROP("ADR", P_ADR),
	PROP("PHOTO", P_PHOTO), PROP("X-ABLABEL", P_LABEL),
	PROP("KIND", P_KIND), PROP("X-ADDRESSBOOKSERVER-KIND", P_KIND),
};

static enum vprop vread_id(const struct vcard_prop *p)
{
	for (size_t i = 0; i < sizeof vread_props / sizeof *vread_props; i++)
		if (p->nlen == vread_props[i].len &&
		    strncasecmp(p->name, vread_props[i].name, p->nlen) == 0)
			return vread_props[i].id;
	return P_OTHER;
}

/* ---- lines --------------------------------------------------------------- */

static size_t vread_find(const struct vrd *r, char ch)
{
	const char *p = memchr(r->data + r->pos, ch, r->len - r->pos);

	return p ? (size_t)(p - r->data) : r->len;
}

/* The next physical line, without its CRLF, LF or CR. */
static bool vread_phys(struct vrd *r, const char **s, size_t *n)
{
	if (r->pos >= r->len)
		return false;
	if (r->nl < r->pos)
		r->nl = vread_find(r, '\n');
	if (r->cr < r->pos)
		r->cr = vread_find(r, '\r');
	size_t e = r->nl < r->cr ? r->nl : r->cr;
	*s = r->data + r->pos;
	*n = e - r->pos;
	if (e < r->len)
		e += (r->data[e] == '\r' && e + 1 < r->len &&
		      r->data[e + 1] == '\n') ? 2 : 1;
	r->pos = e;
	if (r->line < UINT_MAX)
		r->line++;
	return true;
}

/* Does the next physical line start with `lit` (case-insensitive)? */
static bool vread_next_is(const struct vrd *r, const char *lit)
{
	size_t n = strlen(lit);

	return r->len - r->pos >= n &&
	       strncasecmp(r->data + r->pos, lit, n) == 0;
}

/* Is the line in [s, s+n) a QUOTED-PRINTABLE property?  `k` carries the
 * colon search across calls so that a line joined piece by piece is
 * scanned once. */
static bool vread_is_qp(struct vcard_colon *k, int *qp, const char *s,
			size_t n)
{
	struct vcard_prop p;

	if (*qp < 0) {
		vcard_colon_step(k, s, n);
		if (!k->found)
			return false;
		*qp = vcard_prop_parse(s, k->off + 1, &p) && p.qp;
	}
	return *qp > 0;
}

/* The next logical line: folded lines (CRLF + one space or tab) are
 * joined, and so are the lines of a QUOTED-PRINTABLE value ending in a
 * soft break '='.  Points into the input when nothing was joined. */
static bool vread_logical(struct vrd *r, const char **s, size_t *n)
{
	struct vcard_colon k = { 0 };
	const char *ps, *cs;
	size_t pn, cn;
	bool joined = false;
	int qp = -1;

	if (!vread_phys(r, &ps, &pn))
		return false;
	r->lline = r->line;
	for (;;) {
		cs = joined ? r->lbuf.s : ps;
		cn = joined ? r->lbuf.len : pn;
		bool more = r->pos < r->len;
		bool soft = more && cn && cs[cn - 1] == '=' &&
			    !vread_next_is(r, "END:VCARD") &&
			    !vread_next_is(r, "BEGIN:VCARD") &&
			    vread_is_qp(&k, &qp, cs, cn);
		bool fold = !soft && more && (r->data[r->pos] == ' ' ||
					      r->data[r->pos] == '\t');
		if (!soft && !fold)
			break;
		if (!joined) {
			sbuf_reset(&r->lbuf);
			sbuf_addn(&r->lbuf, ps, pn);
			joined = true;
		}
		if (soft)
			r->lbuf.len--;
		vread_phys(r, &ps, &pn);
		if (fold)
			sbuf_addn(&r->lbuf, ps + 1, pn - 1);
		else
			sbuf_addn(&r->lbuf, ps, pn);
	}
	*s = cs;
	*n = cn;
	return true;
}

/* ---- values ---------------------------------------------------------- */

static int vread_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void vread_qp(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reset(b);
	while (n) {
		const char *eq = memchr(s, '=', n);
		size_t k = eq ? (size_t)(eq - s) : n;
		sbuf_addn(b, s, k);
		s += k, n -= k;
		if (!n)
			break;
		if (n >= 3 && vread_hex(s[1]) >= 0 && vread_hex(s[2]) >= 0) {
			sbuf_addc(b, (char)(vread_hex(s[1]) * 16 +
					    vread_hex(s[2])));
			s += 3, n -= 3;
		} else {
			if (n > 1)	/* a lone '=' at the end is a soft break */
				sbuf_addc(b, '=');
			s++, n--;
		}
	}
}

static void vread_set_conv(struct vrd *r, char *u, const char **s, size_t *n)
{
	if (!u)
		return;
	free(r->conv);
	r->conv = u;
	*s = u;
	*n = strlen(u);
}

/* The value's bytes as UTF-8: QUOTED-PRINTABLE decoded, converted from
 * CHARSET, or from Windows-1252 when it is not UTF-8 already. */
static void vread_bytes(struct vrd *r, const struct vcard_prop *p,
			const char **s, size_t *n)
{
	char cs[64];
	bool conv = false;

	*s = p->val;
	*n = p->vlen;
	if (p->qp) {
		vread_qp(&r->qbuf, *s, *n);
		*s = r->qbuf.s;
		*n = r->qbuf.len;
	}
	if (p->has_cs && p->cslen && p->cslen < sizeof cs &&
	    !vcard_ieqn(p->cs, p->cslen, "UTF-8") &&
	    !vcard_ieqn(p->cs, p->cslen, "UTF8")) {
		memcpy(cs, p->cs, p->cslen);
		cs[p->cslen] = '\0';
		char *u = utf8_from_charset(*s, *n, cs);
		conv = u != NULL;
		vread_set_conv(r, u, s, n);
	}
	if (!conv && !utf8_valid(*s, *n))
		vread_set_conv(r, utf8_from_charset(*s, *n, "WINDOWS-1252"), s,
			       n);
}

/* Append text unescaped: \n \N -> newline, \, \; \\ \: -> the character;
 * CRLF and CR become LF; NUL bytes are dropped. */
static void vread_unescape(struct sbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '\\' && s[j] != '\r' && s[j] != '\0')
			j++;
		sbuf_addn(b, s + i, j - i);
		if (j >= n)
			break;
		i = j + 1;
		if (s[j] == '\0')
			continue;
		if (s[j] == '\r') {
			sbuf_addc(b, '\n');
			if (i < n && s[i] == '\n')
				i++;
			continue;
		}
		char e = i < n ? s[i] : '\0';
		if (e == 'n' || e == 'N')
			sbuf_addc(b, '\n'), i++;
		else if (e == ',' || e == ';' || e == '\\' || e == ':')
			sbuf_addc(b, e), i++;
		else
			sbuf_addc(b, '\\');
	}
}

static char *vread_dup(const char *s, size_t n, bool trim)
{
	if (trim)
		vcard_trim(&s, &n);
	return n ? xstrndup(s, n) : NULL;
}

/* The whole value as unescaped text (NULL when empty). */
static char *vread_text(struct vrd *r, const struct vcard_prop *p, bool trim)
{
	const char *s;
	size_t n;

	vread_bytes(r, p, &s, &n);
	sbuf_reset(&r->tbuf);
	vread_unescape(&r->tbuf, s, n);
	return vread_dup(r->tbuf.s, r->tbuf.len, trim);
}

/* Components split at an unescaped separator (still escaped). */
struct vsplit {
	const char *p, *end;
	bool done;
};

static bool vread_split(struct vsplit *sp, char sep, const char **s,
			size_t *n)
{
	const char *q = sp->p;

	if (sp->done)
		return false;
	while (q < sp->end && *q != sep)
		q += (*q == '\\' && q + 1 < sp->end) ? 2 : 1;
	*s = sp->p;
	*n = (size_t)(q - sp->p);
	if (q < sp->end)
		sp->p = q + 1;
	else
		sp->done = true;
	return true;
}

/* Append s to b, read as Windows-1252 when it is not UTF-8. */
static void vread_add_utf8(struct sbuf *b, const char *s, size_t n)
{
	if (utf8_valid(s, n)) {
		sbuf_addn(b, s, n);
		return;
	}
	char *u = utf8_from_charset(s, n, "WINDOWS-1252");
	sbuf_add(b, u);
	free(u);
}

/* Text that can be written back as a parameter (or TYPE value) and read
 * again as the same thing: no control bytes, balanced quotes; for a TYPE
 * value no quotes or separators at all. */
static bool vread_param_ok(const char *s, size_t n, bool type)
{
	size_t quotes = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (type && strchr("\",;:", c)))
			return false;
		quotes += c == '"';
	}
	return quotes % 2 == 0;
}

/* ---- extra: properties kept as lines ------------------------------------ */

/* The property as one line for contact.extra: verbatim when it is plain
 * UTF-8; else rebuilt without ENCODING/CHARSET, its value decoded. */
static void vread_keep(struct vrd *r, const struct vcard_prop *p,
		       struct sbuf *out)
{
	if (!p->qp && !p->has_cs && !memchr(p->s, '\0', p->n) &&
	    utf8_valid(p->s, p->n)) {
		sbuf_addn(out, p->s, p->n);
		sbuf_add(out, "\r\n");
		return;
	}
	sbuf_addn(out, p->s, (size_t)(p->name + p->nlen - p->s));
	const char *it = p->par, *end = p->par + p->plen;
	struct vcard_param pm;
	while (vcard_param_next(&it, end, &pm)) {
		bool qp = vcard_ieqn(pm.val, pm.vlen, "QUOTED-PRINTABLE");
		if ((pm.name ? (vcard_ieqn(pm.name, pm.nlen, "CHARSET") ||
				(qp && vcard_ieqn(pm.name, pm.nlen, "ENCODING")))
			     : qp) || !vread_param_ok(pm.raw, pm.rlen, false))
			continue;
		sbuf_addc(out, ';');
		vread_add_utf8(out, pm.raw, pm.rlen);
	}
	sbuf_addc(out, ':');
	const char *s;
	size_t n;
	vread_bytes(r, p, &s, &n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n') {
			sbuf_add(out, "\\n");
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
		} else if (s[i]) {
			sbuf_addc(out, s[i]);
		}
	}
	sbuf_add(out, "\r\n");
}

static void vread_extra(struct vrd *r, const struct vcard_prop *p)
{
	vread_keep(r, p, &r->extra);
}

/* ---- fields -------------------------------------------------------------- */

static void vread_param_type(void *arg, const char *t, size_t n)
{
	struct sbuf *b = arg;

	if (vcard_ieqn(t, n, "pref") || !vread_param_ok(t, n, true))
		return;
	sbuf_add(b, b->len ? "," : "TYPE=");
	vread_add_utf8(b, t, n);
}

/* The field's parameters as "TYPE=a,b;X-OTHER=1": TYPE values first,
 * 2.1 bare tokens folded into TYPE, without ENCODING, CHARSET, VALUE and
 * pref (pref lives in cfield.pref). */
static char *vread_params(const struct vcard_prop *p)
{
	const char *it = p->par, *end = p->par + p->plen;
	struct vcard_param pm;
	struct sbuf b;

	sbuf_init(&b);
	vcard_types_each(p->par, p->plen, vread_param_type, &b);
	while (vcard_param_next(&it, end, &pm)) {
		static const char *const skip[] = { "TYPE", "ENCODING",
						    "CHARSET", "VALUE", "PREF" };
		bool drop = !pm.name;
		for (size_t i = 0; !drop && i < 5; i++)
			drop = vcard_ieqn(pm.name, pm.nlen, skip[i]);
		if (drop)
			continue;
		if (!vread_param_ok(pm.raw, pm.rlen, false))
			continue;
		if (b.len)
			sbuf_addc(&b, ';');
		vread_add_utf8(&b, pm.raw, pm.rlen);
	}
	return b.len ? sbuf_take(&b) : NULL;
}

static void vread_field(struct vrd *r, const struct vcard_prop *p,
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
	f->params = vread_params(p);
	f->pref = p->pref;
	r->fgrp[r->nf++] = p->glen ? xstrndup(p->grp, p->glen) : NULL;
}

static void vread_simple_field(struct vrd *r, const struct vcard_prop *p,
			       enum cfield_kind kind)
{
	char *v = vread_text(r, p, true);

	if (v && kind == CF_PHONE && p->uri && str_istarts(v, "tel:")) {
		char *t = vread_dup(v + 4, strlen(v + 4), true);
		free(v);
		v = t;
	}
	if (v)
		vread_field(r, p, kind, v);
}

static void vread_adr(struct vrd *r, const struct vcard_prop *p)
{
	const char *parts[CONTACT_ADDR_PARTS];
	size_t off[CONTACT_ADDR_PARTS];
	struct vsplit sp;
	const char *s, *cs;
	size_t n, cn;
	bool any = false;

	vread_bytes(r, p, &s, &n);
	sp = (struct vsplit){ s, s + n, false };
	sbuf_reset(&r->tbuf);
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		cs = "", cn = 0;
		if (i < CONTACT_ADDR_PARTS - 1)
			vread_split(&sp, ';', &cs, &cn);
		else if (!sp.done)	/* the rest, extra components too */
			cs = sp.p, cn = (size_t)(sp.end - sp.p);
		sbuf_reset(&r->abuf);
		vread_unescape(&r->abuf, cs, cn);
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
	vread_field(r, p, CF_ADDR, contact_addr_join(parts));
}

/* ---- names, dates, photos ---------------------------------------------- */

static void vread_scalar(struct vrd *r, const struct vcard_prop *p,
			 char **dst, bool trim)
{
	if (*dst)
		vread_extra(r, p);
	else
		*dst = vread_text(r, p, trim);
}

/* Unescaped, trimmed component cs into tbuf; returns its text. */
static const char *vread_comp(struct vrd *r, const char *cs, size_t cn,
			      size_t *len)
{
	sbuf_reset(&r->tbuf);
	vread_unescape(&r->tbuf, cs, cn);
	cs = r->tbuf.s;
	*len = r->tbuf.len;
	vcard_trim(&cs, len);
	return cs;
}

static void vread_n(struct vrd *r, const struct vcard_prop *p)
{
	struct contact *c = r->c;
	char **dst[] = { &c->family, &c->given, &c->additional, &c->prefix,
			 &c->suffix };
	const char *s, *cs;
	size_t n, cn;

	for (int i = 0; i < 5; i++)
		if (*dst[i]) {
			vread_extra(r, p);
			return;
		}
	vread_bytes(r, p, &s, &n);
	struct vsplit sp = { s, s + n, false };
	for (int i = 0; i < 5 && vread_split(&sp, ';', &cs, &cn); i++) {
		cs = vread_comp(r, cs, cn, &cn);
		*dst[i] = vread_dup(cs, cn, false);
	}
}

/* ORG: the first component is the organisation, the rest (joined by
 * "; ") the department.  NICKNAME: values joined by ", ". */
static void vread_list(struct vrd *r, const struct vcard_prop *p, char sep,
		       char **first, char **rest)
{
	const char *s, *cs;
	size_t n, cn;

	if (*first || (rest && *rest)) {
		vread_extra(r, p);
		return;
	}
	vread_bytes(r, p, &s, &n);
	struct vsplit sp = { s, s + n, false };
	sbuf_reset(&r->abuf);
	for (int i = 0; vread_split(&sp, sep, &cs, &cn); i++) {
		cs = vread_comp(r, cs, cn, &cn);
		if (i == 0 && rest) {
			*first = vread_dup(cs, cn, false);
		} else if (cn) {
			if (r->abuf.len)
				sbuf_add(&r->abuf, sep == ';' ? "; " : ", ");
			sbuf_addn(&r->abuf, cs, cn);
		}
	}
	char **dst = rest ? rest : first;
	*dst = vread_dup(r->abuf.s, r->abuf.len, false);
}

static void vread_cats(struct vrd *r, const struct vcard_prop *p)
{
	const char *s, *cs;
	size_t n, cn;

	vread_bytes(r, p, &s, &n);
	struct vsplit sp = { s, s + n, false };
	while (vread_split(&sp, ',', &cs, &cn)) {
		cs = vread_comp(r, cs, cn, &cn);
		if (!cn)
			continue;
		if (r->nt == r->capt) {
			r->capt = r->capt ? r->capt * 2 : 8;
			r->tags = xrealloc(r->tags, r->capt * sizeof *r->tags);
		}
		r->tags[r->nt++] = xstrndup(cs, cn);
	}
}

static bool vread_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* BDAY forms: 19900315, 1990-03-15, --0315, --03-15, with any time part
 * ("T…") dropped; Apple's X-APPLE-OMIT-YEAR=1604 year means none. */
static bool vread_bday_norm(const char *v, const struct vcard_prop *p,
			    char out[11])
{
	size_t n = strcspn(v, "Tt ");

	out[0] = '\0';
	if (n == 4 + 2 && v[0] == '-' && v[1] == '-' && vread_digits(v + 2, 4))
		snprintf(out, 11, "--%.2s-%.2s", v + 2, v + 4);
	else if (n == 7 && v[0] == '-' && v[1] == '-' && v[4] == '-' &&
		 vread_digits(v + 2, 2) && vread_digits(v + 5, 2))
		snprintf(out, 11, "%.7s", v);
	else if (n == 8 && vread_digits(v, 8))
		snprintf(out, 11, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
	else if (n == 10 && v[4] == '-' && v[7] == '-' &&
		 vread_digits(v, 4) && vread_digits(v + 5, 2) &&
		 vread_digits(v + 8, 2))
		snprintf(out, 11, "%.10s", v);
	if (!contact_bday_valid(out))
		return false;
	const char *it = p->par, *end = p->par + p->plen;
	struct vcard_param pm;
	while (out[0] != '-' && vcard_param_next(&it, end, &pm))
		if (pm.name && vcard_ieqn(pm.name, pm.nlen, "X-APPLE-OMIT-YEAR") &&
		    pm.vlen == 4 && memcmp(pm.val, out, 4) == 0) {
			memmove(out + 2, out + 5, 6);
			out[0] = out[1] = '-';
		}
	return true;
}

static void vread_bday(struct vrd *r, const struct vcard_prop *p)
{
	char out[11];
	char *v = r->c->bday ? NULL : vread_text(r, p, true);

	if (v && vread_bday_norm(v, p, out))
		r->c->bday = xstrdup(out);
	else
		vread_extra(r, p);
	free(v);
}

static int vread_b64(char c)
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
static unsigned char *vread_unbase64(const char *s, size_t n, size_t *len)
{
	unsigned char *o = xmalloc(n / 4 * 3 + 3);
	uint32_t acc = 0;
	int bits = 0;
	size_t k = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int v = vread_b64(s[i]);
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
static char *vread_mtype(const char *s, size_t n)
{
	if (!n || n > 64 || !memchr(s, '/', n))
		return NULL;
	char *t = xstrndup(s, n);
	for (char *q = t; q < t + n; q++) {
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
		else if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
			   strchr("/.+-", *q))) {
			free(t);
			return NULL;
		}
	}
	return t;
}

static void vread_photo_type(void *arg, const char *t, size_t n)
{
	char **mt = arg;
	char buf[80];

	if (*mt || vcard_ieqn(t, n, "pref") || n > 64)
		return;
	snprintf(buf, sizeof buf, "%s%.*s", memchr(t, '/', n) ? "" : "image/",
		 (int)n, t);
	*mt = vread_mtype(buf, strlen(buf));
}

static char *vread_sniff(const unsigned char *b, size_t n)
{
	if (n >= 8 && memcmp(b, "\x89PNG", 4) == 0)
		return xstrdup("image/png");
	if (n >= 6 && memcmp(b, "GIF8", 4) == 0)
		return xstrdup("image/gif");
	if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
		return xstrdup("image/webp");
	return xstrdup("image/jpeg");
}

static void vread_photo(struct vrd *r, const struct vcard_prop *p)
{
	struct contact *c = r->c;
	const char *s;
	size_t n;
	char *mt = NULL;

	if (c->photo || c->photo_uri) {
		vread_extra(r, p);
		return;
	}
	vread_bytes(r, p, &s, &n);
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
			mt = vread_mtype(s + 5, (size_t)(b64 - s - 5));
			c->photo = vread_unbase64(comma + 1,
						  n - (size_t)(comma + 1 - s),
						  &c->photo_len);
		}
	} else if (p->b64 || (!p->uri && n && !memchr(s, ':', n))) {
		vcard_types_each(p->par, p->plen, vread_photo_type, &mt);
		c->photo = vread_unbase64(s, n, &c->photo_len);
	} else {
		c->photo_uri = vread_dup(s, n, false);
		return;
	}
	if (!c->photo) {
		free(mt);
		vread_extra(r, p);
		return;
	}
	c->photo_type = mt ? mt : vread_sniff(c->photo, c->photo_len);
}

/* X-ABLabel: "_$!<HomePage>!$_" -> "homepage", custom labels verbatim. */
static void vread_label(struct vrd *r, const struct vcard_prop *p)
{
	char *v = p->glen ? vread_text(r, p, true) : NULL;

	if (!v) {
		vread_extra(r, p);
		return;
	}
	size_t n = strlen(v);
	if (n > 8 && strncmp(v, "_$!<", 4) == 0 &&
	    strcmp(v + n - 4, ">!$_") == 0) {
		memmove(v, v + 4, n - 8);
		v[n - 8] = '\0';
		for (char *q = v; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	}
	if (r->nlab == r->caplab) {
		r->caplab = r->caplab ? r->caplab * 2 : 4;
		r->lab = xrealloc(r->lab, r->caplab * sizeof *r->lab);
	}
	struct vlabel *l = &r->lab[r->nlab++];
	struct sbuf line;
	sbuf_init(&line);
	vread_keep(r, p, &line);
	l->grp = xstrndup(p->grp, p->glen);
	l->label = v;
	l->line = sbuf_take(&line);
}

static void vread_kind(struct vrd *r, const struct vcard_prop *p)
{
	char *v = vread_text(r, p, true);

	if (v && str_ieq(v, "group"))
		r->group_card = true;
	else
		vread_extra(r, p);
	free(v);
}

static void vread_apply(struct vrd *r, const struct vcard_prop *p,
			enum vprop id)
{
	struct contact *c = r->c;

	switch (id) {
	case P_DROP:
	case P_BEGIN:	/* BEGIN:VCALENDAR… inside a card: structure, not data */
	case P_END:
		break;
	case P_FN: vread_scalar(r, p, &c->fn, true); break;
	case P_N: vread_n(r, p); break;
	case P_NICK: vread_list(r, p, ',', &c->nickname, NULL); break;
	case P_ORG: vread_list(r, p, ';', &c->org, &c->department); break;
	case P_TITLE: vread_scalar(r, p, &c->title, true); break;
	case P_BDAY: vread_bday(r, p); break;
	case P_NOTE: vread_scalar(r, p, &c->notes, false); break;
	case P_CATS: vread_cats(r, p); break;
	case P_UID: vread_scalar(r, p, &c->uid, true); break;
	case P_TEL: vread_simple_field(r, p, CF_PHONE); break;
	case P_EMAIL: vread_simple_field(r, p, CF_EMAIL); break;
	case P_URL: vread_simple_field(r, p, CF_URL); break;
	case P_ADR: vread_adr(r, p); break;
	case P_PHOTO: vread_photo(r, p); break;
	case P_LABEL: vread_label(r, p); break;
	case P_KIND: vread_kind(r, p); break;
	default: vread_extra(r, p); break;
	}
}

/* ---- cards ------------------------------------------------------------- */

struct vkey {
	const char *s;
	size_t i;
};

static int vread_key_cmp(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int d = strcasecmp(x->s, y->s);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

static int vread_key_cmp_exact(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int d = strcmp(x->s, y->s);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

/* Give each field the X-ABLabel of its group (first label wins); labels
 * that match no field go to extra.  Sorted, so n labels x m fields stays
 * O((n + m) log m). */
static void vread_labels(struct vrd *r)
{
	if (!r->nlab)
		return;
	struct vkey *k = xmalloc((r->nf + 1) * sizeof *k);
	bool *done = xcalloc(r->nf + 1, sizeof *done);
	size_t nk = 0;

	for (size_t i = 0; i < r->nf; i++)
		if (r->fgrp[i])
			k[nk++] = (struct vkey){ r->fgrp[i], i };
	qsort(k, nk, sizeof *k, vread_key_cmp);
	for (size_t i = 0; i < r->nlab; i++) {
		struct vlabel *l = &r->lab[i];
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
static void vread_tags(struct vrd *r, struct contact *c)
{
	if (!r->nt)
		return;
	struct vkey *k = xmalloc(r->nt * sizeof *k);

	for (size_t i = 0; i < r->nt; i++)
		k[i] = (struct vkey){ r->tags[i], i };
	qsort(k, r->nt, sizeof *k, vread_key_cmp_exact);
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

static bool vread_person(const struct contact *c)
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

static void vread_begin(struct vrd *r)
{
	r->c = contact_new();
	r->card_line = r->lline;
	r->group_card = false;
	sbuf_reset(&r->extra);
}

/* END:VCARD (or the end of the data): hand the card over. */
static int vread_end(struct vrd *r)
{
	struct contact *c = r->c;

	r->c = NULL;
	vread_labels(r);
	c->fields = xmalloc((r->nf + 1) * sizeof *c->fields);
	if (r->nf)
		memcpy(c->fields, r->f, r->nf * sizeof *c->fields);
	c->nfields = r->nf;
	for (size_t i = 0; i < r->nf; i++)
		free(r->fgrp[i]);
	r->nf = 0;
	vread_tags(r, c);
	if (r->extra.len)
		c->extra = xstrndup(r->extra.s, r->extra.len);
	const char *why = r->group_card ? "group card (not a person)"
		: !vread_person(c) ? "no name, email or phone" : NULL;
	if (why) {
		contact_free(c);
		return r->cb(r->arg, NULL, r->card_line, why);
	}
	contact_fill_fn(c);
	if (str_empty(c->uid)) {
		free(c->uid);
		c->uid = uid_new();
	}
	return r->cb(r->arg, c, r->card_line, NULL);
}

static bool vread_is_vcard(const struct vcard_prop *p)
{
	const char *v = p->val;
	size_t n = p->vlen;

	vcard_trim(&v, &n);
	return vcard_ieqn(v, n, "VCARD");
}

static void vread_init(struct vrd *r, const char *data, size_t len,
		       vcard_card_cb cb, void *arg)
{
	memset(r, 0, sizeof *r);
	r->data = data;
	r->len = len;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	r->nl = vread_find(r, '\n');
	r->cr = vread_find(r, '\r');
	r->cb = cb;
	r->arg = arg;
	struct sbuf *bufs[] = { &r->lbuf, &r->qbuf, &r->tbuf, &r->abuf,
				&r->extra };
	for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) {
		sbuf_init(bufs[i]);
		sbuf_addn(bufs[i], "", 0);	/* never NULL from here on */
	}
}

static void vread_free(struct vrd *r)
{
	sbuf_free(&r->lbuf);
	sbuf_free(&r->qbuf);
	sbuf_free(&r->tbuf);
	sbuf_free(&r->abuf);
	sbuf_free(&r->extra);
	free(r->conv);
	free(r->f);
	free(r->fgrp);
	free(r->tags);
	free(r->lab);
}

int vcard_parse(const char *data, size_t len, vcard_card_cb cb, void *arg,
		char **err)
{
	struct vrd r;
	struct vcard_prop p;
	const char *s;
	size_t n;
	int cards = 0, stop = 0;

	if (!data)
		data = "", len = 0;
	vread_init(&r, data, len, cb, arg);
	while (!stop && vread_logical(&r, &s, &n)) {
		if (!vcard_prop_parse(s, n, &p))
			continue;
		enum vprop id = vread_id(&p);
		if ((id == P_BEGIN || id == P_END) && vread_is_vcard(&p)) {
			if (r.c)	/* a BEGIN inside a card ends it */
				stop = vread_end(&r);
			if (id == P_BEGIN && !stop) {
				vread_begin(&r);
				cards += cards < INT_MAX;
			}
		} else if (r.c) {
			vread_apply(&r, &p, id);
		}
	}
	if (r.c)	/* END:VCARD missing at the end of the data */
		vread_end(&r);
	vread_free(&r);
	if (!cards && err)
		*err = xstrdup("no vCard found (expected BEGIN:VCARD)");
	return cards ? cards : -1;
}
