/* store/formats/vcard_write: vcard_write, a contact -> a 3.0 or 4.0 card.
 *
 * Each property is built in a line buffer, then folded into the output at
 * 75 octets (never inside a UTF-8 sequence) with CRLF endings.  Fields
 * keep the parameters they were imported with; a label that no TYPE value
 * expresses travels as an Apple-style itemN. group with X-ABLabel.
 */
#include "store/formats/vcard_int.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vwr {
	struct sbuf *out;
	struct sbuf line;
	bool v4;
	unsigned item;	/* last itemN. group used */
};

enum vesc {
	VESC_TEXT,	/* \\ \n \, \; */
	VESC_MIN,	/* \\ \n only: TEL, EMAIL, URL */
};

/* Move the line to the output, folded, CRLF-terminated. */
static void vwr_end(struct vwr *w)
{
	const char *s = w->line.s ? w->line.s : "";
	size_t n = w->line.len, lim = 75;

	while (n > lim) {
		size_t cut = lim;
		while (cut > lim - 3 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		if (((unsigned char)s[cut] & 0xc0) == 0x80)
			cut = lim;	/* not UTF-8 anyway */
		sbuf_addn(w->out, s, cut);
		sbuf_add(w->out, "\r\n ");
		s += cut, n -= cut;
		lim = 74;
	}
	sbuf_addn(w->out, s, n);
	sbuf_add(w->out, "\r\n");
	sbuf_reset(&w->line);
}

static void vwr_esc(struct vwr *w, const char *s, enum vesc mode)
{
	const char *special = mode == VESC_TEXT ? "\\\r\n,;" : "\\\r\n";

	while (s && *s) {
		size_t k = strcspn(s, special);
		sbuf_addn(&w->line, s, k);
		s += k;
		if (!*s)
			break;
		if (*s == '\\')
			sbuf_add(&w->line, "\\\\");
		else if (*s == ',' || *s == ';')
			sbuf_addc(&w->line, '\\'), sbuf_addc(&w->line, *s);
		else
			sbuf_add(&w->line, "\\n");
		if (s[0] == '\r' && s[1] == '\n')
			s++;
		s++;
	}
}

/* Raw text without CR and LF (URIs, parameters). */
static void vwr_raw(struct vwr *w, const char *s)
{
	while (s && *s) {
		size_t k = strcspn(s, "\r\n");
		sbuf_addn(&w->line, s, k);
		s += k;
		if (*s)
			s++;
	}
}

static void vwr_text(struct vwr *w, const char *name, const char *v)
{
	if (str_empty(v))
		return;
	sbuf_add(&w->line, name);
	sbuf_addc(&w->line, ':');
	vwr_esc(w, v, VESC_TEXT);
	vwr_end(w);
}

static void vwr_n(struct vwr *w, const struct contact *c)
{
	const char *parts[] = { c->family, c->given, c->additional, c->prefix,
				c->suffix };

	sbuf_add(&w->line, "N:");
	for (size_t i = 0; i < 5; i++) {
		if (i)
			sbuf_addc(&w->line, ';');
		vwr_esc(w, parts[i], VESC_TEXT);
	}
	vwr_end(w);
}

static void vwr_org(struct vwr *w, const struct contact *c)
{
	if (str_empty(c->org) && str_empty(c->department))
		return;
	sbuf_add(&w->line, "ORG:");
	vwr_esc(w, c->org, VESC_TEXT);
	if (!str_empty(c->department)) {
		sbuf_addc(&w->line, ';');
		vwr_esc(w, c->department, VESC_TEXT);
	}
	vwr_end(w);
}

/* 3.0: 1990-03-15 / --03-15; 4.0: 19900315 / --0315. */
static void vwr_bday(struct vwr *w, const char *b)
{
	if (str_empty(b))
		return;
	if (!contact_bday_valid(b)) {
		sbuf_add(&w->line, w->v4 ? "BDAY;VALUE=text:" : "BDAY:");
		vwr_esc(w, b, VESC_TEXT);
	} else if (!w->v4) {
		sbuf_printf(&w->line, "BDAY:%s", b);
	} else if (b[0] == '-') {
		sbuf_printf(&w->line, "BDAY:--%.2s%.2s", b + 2, b + 5);
	} else {
		sbuf_printf(&w->line, "BDAY:%.4s%.2s%.2s", b, b + 5, b + 8);
	}
	vwr_end(w);
}

static void vwr_upper(struct vwr *w, const char *s)
{
	for (; *s; s++)
		sbuf_addc(&w->line, (char)(*s >= 'a' && *s <= 'z'
					   ? *s - 'a' + 'A' : *s));
}

/* A TYPE value for a label: lower-case in 4.0, upper-case in 3.0. */
static void vwr_type(struct vwr *w, const char *t)
{
	sbuf_add(&w->line, ";TYPE=");
	if (w->v4)
		sbuf_add(&w->line, t);
	else
		vwr_upper(w, t);
}

static void vwr_value(struct vwr *w, const struct cfield *f)
{
	char *buf;
	const char *parts[CONTACT_ADDR_PARTS];

	if (f->kind != CF_ADDR) {
		vwr_esc(w, f->value, VESC_MIN);
		return;
	}
	contact_addr_split(f->value, &buf, parts);
	for (int i = 0; i < CONTACT_ADDR_PARTS; i++) {
		if (i)
			sbuf_addc(&w->line, ';');
		vwr_esc(w, parts[i], VESC_TEXT);
	}
	free(buf);
}

static void vwr_field(struct vwr *w, const struct cfield *f)
{
	static const char *const names[] = { NULL, "TEL", "EMAIL", "ADR",
					     "URL" };
	struct vcard_prop pp = { 0 };

	if (f->kind < CF_PHONE || f->kind > CF_URL)
		return;
	struct vcard_colon k = { .semi = true };
	if (!str_empty(f->params))
		vcard_colon_step(&k, f->params, strlen(f->params));
	if (!str_empty(f->params) && !strpbrk(f->params, "\r\n") && !k.found) {
		pp.par = f->params;
		pp.plen = strlen(f->params);
		vcard_prop_flags(&pp);
	}
	const char *label = str_empty(f->label) ? NULL : f->label;
	const char *has = pp.plen ? vcard_label_of(pp.par, pp.plen) : NULL;
	const char *type = has ? NULL : vcard_label_type(label);
	if (type)
		has = label;
	unsigned group = 0;
	if (label && !str_eq(label, has))
		group = ++w->item;
	if (group)
		sbuf_printf(&w->line, "item%u.", group);
	sbuf_add(&w->line, names[f->kind]);
	if (pp.plen) {
		sbuf_addc(&w->line, ';');
		sbuf_add(&w->line, pp.par);
	}
	if (type)
		vwr_type(w, type);
	if (f->pref && !pp.pref)
		sbuf_add(&w->line, w->v4 ? ";PREF=1" : ";TYPE=pref");
	sbuf_addc(&w->line, ':');
	vwr_value(w, f);
	vwr_end(w);
	if (!group)
		return;
	const char *apple = vcard_apple_label(label);
	sbuf_printf(&w->line, "item%u.X-ABLabel:", group);
	if (apple)
		sbuf_printf(&w->line, "_$!<%s>!$_", apple);
	else
		vwr_esc(w, label, VESC_TEXT);
	vwr_end(w);
}

static void vwr_cats(struct vwr *w, const struct contact *c)
{
	bool any = false;

	for (size_t i = 0; i < c->ntags; i++) {
		if (str_empty(c->tags[i]))
			continue;
		sbuf_add(&w->line, any ? "," : "CATEGORIES:");
		vwr_esc(w, c->tags[i], VESC_TEXT);
		any = true;
	}
	if (any)
		vwr_end(w);
}

static void vwr_base64(struct sbuf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		sbuf_addn(b, q, 4);
	}
}

/* photo_type when it is a plain "type/subtype", else guessed. */
static const char *vwr_mtype(const struct contact *c)
{
	const char *t = c->photo_type;

	const char *slash = t ? strchr(t, '/') : NULL;

	if (slash && slash != t && slash[1] && strlen(t) <= 64 &&
	    strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789/.+-") == strlen(t))
		return t;
	if (c->photo_len >= 4 && memcmp(c->photo, "\x89PNG", 4) == 0)
		return "image/png";
	if (c->photo_len >= 4 && memcmp(c->photo, "GIF8", 4) == 0)
		return "image/gif";
	return "image/jpeg";
}

static void vwr_photo(struct vwr *w, const struct contact *c)
{
	if (c->photo && c->photo_len) {
		const char *t = vwr_mtype(c);
		if (w->v4) {
			sbuf_printf(&w->line, "PHOTO:data:%s;base64,", t);
		} else {
			/* TYPE=JPEG for image/jpeg, else the whole type */
			sbuf_add(&w->line, "PHOTO;ENCODING=b;TYPE=");
			if (strncmp(t, "image/", 6) == 0 &&
			    !strchr(t + 6, '/') && strcmp(t, "image/pref"))
				vwr_upper(w, t + 6);
			else
				sbuf_add(&w->line, t);
			sbuf_addc(&w->line, ':');
		}
		vwr_base64(&w->line, c->photo, c->photo_len);
	} else if (!str_empty(c->photo_uri)) {
		bool bare = w->v4 && strchr(c->photo_uri, ':');
		sbuf_add(&w->line, bare ? "PHOTO:" : "PHOTO;VALUE=uri:");
		vwr_raw(w, c->photo_uri);
	} else {
		return;
	}
	vwr_end(w);
}

static void vwr_rev(struct vwr *w, int64_t updated)
{
	time_t t = (time_t)updated;
	struct tm tm;
	char buf[64];

	if (!updated || !gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm))
		return;
	sbuf_printf(&w->line, "REV:%s", buf);
	vwr_end(w);
}

/* Walk extra's lines: write them, or (write false) find the highest itemN
 * group they use, so that the groups written for labels never collide. */
static void vwr_extra(struct vwr *w, const char *extra, bool write)
{
	const char *p = extra;

	while (p && *p) {
		size_t n = strcspn(p, "\r\n");
		struct vcard_prop pp;
		if (n && vcard_prop_parse(p, n, &pp)) {
			const char *v = pp.val;
			size_t vn = pp.vlen;
			vcard_trim(&v, &vn);
			bool card = (vcard_ieqn(pp.name, pp.nlen, "BEGIN") ||
				     vcard_ieqn(pp.name, pp.nlen, "END")) &&
				    vcard_ieqn(v, vn, "VCARD");
			bool ours = vcard_ieqn(pp.name, pp.nlen, "VERSION") ||
				    vcard_ieqn(pp.name, pp.nlen, "PRODID") ||
				    vcard_ieqn(pp.name, pp.nlen, "REV");
			if (write && !card && !ours) {
				sbuf_addn(&w->line, p, n);
				vwr_end(w);
			}
			if (!write && pp.glen > 4 && pp.glen < 14 &&
			    vcard_ieqn(pp.grp, 4, "item")) {
				char num[16];
				memcpy(num, pp.grp + 4, pp.glen - 4);
				num[pp.glen - 4] = '\0';
				unsigned long k = strtoul(num, NULL, 10);
				if (k > w->item && k < 1000000000UL)
					w->item = (unsigned)k;
			}
		}
		p += n;
		p += (p[0] == '\r' && p[1] == '\n') ? 2 : (*p != '\0');
	}
}

void vcard_write(struct sbuf *out, const struct contact *c,
		 enum vcard_version v)
{
	struct vwr w = { .out = out, .v4 = v == VCARD_40 };

	sbuf_init(&w.line);
	vwr_extra(&w, c->extra, false);
	sbuf_add(&w.line, "BEGIN:VCARD");
	vwr_end(&w);
	sbuf_add(&w.line, w.v4 ? "VERSION:4.0" : "VERSION:3.0");
	vwr_end(&w);
	sbuf_add(&w.line, "PRODID:-//confab//confab//EN");
	vwr_end(&w);
	vwr_text(&w, "UID", c->uid);
	sbuf_add(&w.line, "FN:");
	vwr_esc(&w, c->fn, VESC_TEXT);
	vwr_end(&w);
	vwr_n(&w, c);
	vwr_text(&w, "NICKNAME", c->nickname);
	vwr_org(&w, c);
	vwr_text(&w, "TITLE", c->title);
	vwr_bday(&w, c->bday);
	for (size_t i = 0; i < c->nfields; i++)
		vwr_field(&w, &c->fields[i]);
	vwr_text(&w, "NOTE", c->notes);
	vwr_cats(&w, c);
	vwr_photo(&w, c);
	vwr_rev(&w, c->updated);
	vwr_extra(&w, c->extra, true);
	sbuf_add(&w.line, "END:VCARD");
	vwr_end(&w);
	sbuf_free(&w.line);
}
