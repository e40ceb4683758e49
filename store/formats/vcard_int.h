/* store/formats/vcard_int: private to the vCard module.
 *
 * vcard.c        the line grammar: property lines, parameters, TYPE labels
 * vcard_read.c   vcard_parse: lines, unfolding, value decoding, card limits
 * vcard_card.c   properties -> the contact being read (fields, labels…)
 * vcard_write.c  vcard_write: contacts -> 3.0/4.0 cards, escaping, folding
 *
 * Not part of the store's surface: include store/formats/vcard.h instead.
 */
#ifndef CONFAB_STORE_FORMATS_VCARD_INT_H
#define CONFAB_STORE_FORMATS_VCARD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "store/formats/vcard.h"
#include "common/str.h"

/* One unfolded property line, "group.NAME;params:value", as spans into
 * the line; nothing is copied. */
struct vcard_prop {
	const char *s, *grp, *name, *par, *val, *cs;
	size_t n, glen, nlen, plen, vlen, cslen;
	bool qp;	/* ENCODING=QUOTED-PRINTABLE or bare QUOTED-PRINTABLE */
	bool b64;	/* ENCODING=b / BASE64 */
	bool uri;	/* VALUE=uri */
	bool pref;	/* PREF=n, TYPE=pref or bare PREF */
	bool has_cs;	/* CHARSET=… given (cs, cslen) */
};

/* One parameter: `raw` is its whole text; `name` is NULL for a vCard 2.1
 * bare parameter ("WORK"), whose text is then in `val`. */
struct vcard_param {
	const char *raw, *name, *val;
	size_t rlen, nlen, vlen;
};

/* Incremental search for the ':' that ends name and parameters (outside
 * double quotes once parameters began).  Zero-initialise, feed a growing
 * line; `off` is the colon's offset once `found`. */
struct vcard_colon {
	size_t off;
	bool semi, inq, found;
};

typedef void (*vcard_type_fn)(void *arg, const char *t, size_t n);

bool vcard_ieqn(const char *s, size_t n, const char *lit);
/* Trim ASCII white space (space, tab, CR, LF) off a span. */
void vcard_trim(const char **s, size_t *n);
void vcard_colon_step(struct vcard_colon *k, const char *s, size_t n);
/* Split a line; false when it has no ':' or a bad name or group. */
bool vcard_prop_parse(const char *s, size_t n, struct vcard_prop *p);
/* Set the qp/b64/uri/pref/cs flags of p from p->par. */
void vcard_prop_flags(struct vcard_prop *p);
/* Walk the parameters of [*it, end). */
bool vcard_param_next(const char **it, const char *end,
		      struct vcard_param *pm);
/* QUOTED-PRINTABLE, BASE64, 8BIT, 7BIT: encodings, not types. */
bool vcard_enc_token(const char *s, size_t n);
/* Call fn for every TYPE value: TYPE=a,b, TYPE="a,b", bare 2.1 tokens. */
void vcard_types_each(const char *par, size_t plen, vcard_type_fn fn,
		      void *arg);
/* The field label the TYPE values give ("mobile", "work"…), or NULL. */
const char *vcard_label_of(const char *par, size_t plen);
/* The TYPE value (lower-case) for one of those labels, or NULL. */
const char *vcard_label_type(const char *label);
/* "homepage" -> "HomePage" when it is one of Apple's _$!<…>!$_ labels. */
const char *vcard_apple_label(const char *label);

/* ---- vcard_read.c: the reader's state and the current property's value */

/* An X-ABLabel waiting for the end of its card. */
struct vcard_label {
	char *grp;	/* itemN */
	char *label;	/* mapped label text */
	char *line;	/* the line itself, for extra if it labels nothing */
};

/* The reader: input position, scratch buffers, the card being read. */
struct vcard_rd {
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
	struct vcard_label *lab;
	size_t nlab, caplab;
};

/* Components split at an unescaped separator (still escaped). */
struct vcard_split {
	const char *p, *end;
	bool done;
};


/* The value's bytes as UTF-8: QUOTED-PRINTABLE decoded, converted from
 * CHARSET (or Windows-1252 when not UTF-8).  Valid until the next call. */
void vcard_read_bytes(struct vcard_rd *r, const struct vcard_prop *p,
		      const char **s, size_t *n);
/* Append text unescaped (\n \, \; \\ \:), CR/CRLF -> LF, NULs dropped. */
void vcard_read_unescape(struct sbuf *b, const char *s, size_t n);
/* A new copy of the span, optionally trimmed; NULL when empty. */
char *vcard_read_dup(const char *s, size_t n, bool trim);
/* The whole value as unescaped text; NULL when empty. */
char *vcard_read_text(struct vcard_rd *r, const struct vcard_prop *p,
		      bool trim);
/* Next component up to an unescaped `sep`; false after the last. */
bool vcard_read_split(struct vcard_split *sp, char sep, const char **s,
		      size_t *n);
/* Append, read as Windows-1252 when not UTF-8. */
void vcard_read_add_utf8(struct sbuf *b, const char *s, size_t n);
/* Can this parameter (TYPE value when `type`) be written back and read
 * again unchanged? */
bool vcard_read_param_ok(const char *s, size_t n, bool type);
/* The property as a line for contact.extra ("\r\n"-terminated). */
void vcard_read_keep(struct vcard_rd *r, const struct vcard_prop *p,
		     struct sbuf *out);
/* Same, appended to the card's extra. */
void vcard_read_extra(struct vcard_rd *r, const struct vcard_prop *p);

/* ---- vcard_card.c: properties into the card ------------------------------ */

/* Apply one property (not BEGIN/END:VCARD) to r->c. */
void vcard_card_apply(struct vcard_rd *r, const struct vcard_prop *p);
/* Move fields, tags and extra into c, fill fn and uid.  Returns why the
 * card is skipped, or NULL for a person to import. */
const char *vcard_card_finish(struct vcard_rd *r, struct contact *c);

#endif
