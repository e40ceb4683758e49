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

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lines --------------------------------------------------------------- */

static size_t vread_find(const struct vcard_rd *r, char ch)
{
	const char *p = memchr(r->data + r->pos, ch, r->len - r->pos);

	return p ? (size_t)(p - r->data) : r->len;
}

/* The next physical line, without its CRLF, LF or CR. */
static bool vread_phys(struct vcard_rd *r, const char **s, size_t *n)
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
static bool vread_next_is(const struct vcard_rd *r, const char *lit)
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
static bool vread_logical(struct vcard_rd *r, const char **s, size_t *n)
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
			if (n > 1)	/* a last lone '=' is a soft break */
				sbuf_addc(b, '=');
			s++, n--;
		}
	}
}

static void vread_set_conv(struct vcard_rd *r, char *u, const char **s,
			   size_t *n)
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
void vcard_read_bytes(struct vcard_rd *r, const struct vcard_prop *p,
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
void vcard_read_unescape(struct sbuf *b, const char *s, size_t n)
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

char *vcard_read_dup(const char *s, size_t n, bool trim)
{
	if (trim)
		vcard_trim(&s, &n);
	return n ? xstrndup(s, n) : NULL;
}

/* The whole value as unescaped text (NULL when empty). */
char *vcard_read_text(struct vcard_rd *r, const struct vcard_prop *p, bool trim)
{
	const char *s;
	size_t n;

	vcard_read_bytes(r, p, &s, &n);
	sbuf_reset(&r->tbuf);
	vcard_read_unescape(&r->tbuf, s, n);
	return vcard_read_dup(r->tbuf.s, r->tbuf.len, trim);
}

bool vcard_read_split(struct vcard_split *sp, char sep, const char **s,
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
void vcard_read_add_utf8(struct sbuf *b, const char *s, size_t n)
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
bool vcard_read_param_ok(const char *s, size_t n, bool type)
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
void vcard_read_keep(struct vcard_rd *r, const struct vcard_prop *p,
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
		bool drop = pm.name
			? vcard_ieqn(pm.name, pm.nlen, "CHARSET") ||
			  (qp && vcard_ieqn(pm.name, pm.nlen, "ENCODING"))
			: qp;
		if (drop || !vcard_read_param_ok(pm.raw, pm.rlen, false))
			continue;
		sbuf_addc(out, ';');
		vcard_read_add_utf8(out, pm.raw, pm.rlen);
	}
	sbuf_addc(out, ':');
	const char *s;
	size_t n;
	vcard_read_bytes(r, p, &s, &n);
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

void vcard_read_extra(struct vcard_rd *r, const struct vcard_prop *p)
{
	vcard_read_keep(r, p, &r->extra);
}

/* ---- cards ------------------------------------------------------------- */

static void vread_begin(struct vcard_rd *r)
{
	r->c = contact_new();
	r->card_line = r->lline;
	r->group_card = false;
	sbuf_reset(&r->extra);
}

/* END:VCARD (or the end of the data): hand the card over. */
static int vread_end(struct vcard_rd *r)
{
	struct contact *c = r->c;

	r->c = NULL;
	const char *why = vcard_card_finish(r, c);
	if (why) {
		contact_free(c);
		return r->cb(r->arg, NULL, r->card_line, why);
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

static void vread_init(struct vcard_rd *r, const char *data, size_t len,
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

static void vread_free(struct vcard_rd *r)
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
	struct vcard_rd r;
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
		bool begin = vcard_ieqn(p.name, p.nlen, "BEGIN");
		if ((begin || vcard_ieqn(p.name, p.nlen, "END")) &&
		    vread_is_vcard(&p)) {
			if (r.c)	/* a BEGIN inside a card ends it */
				stop = vread_end(&r);
			if (begin && !stop) {
				vread_begin(&r);
				cards += cards < INT_MAX;
			}
		} else if (r.c) {
			vcard_card_apply(&r, &p);
		}
	}
	if (r.c)	/* END:VCARD missing at the end of the data */
		vread_end(&r);
	vread_free(&r);
	if (!cards && err)
		*err = xstrdup("no vCard found (expected BEGIN:VCARD)");
	return cards ? cards : -1;
}
