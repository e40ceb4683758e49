/* store/formats/vcard_int: private to the vCard module.
 *
 * vcard.c        the line grammar: property lines, parameters, TYPE labels
 * vcard_read.c   vcard_parse: unfolding, decoding, cards -> contacts
 * vcard_write.c  vcard_write: contacts -> 3.0/4.0 cards, escaping, folding
 *
 * Not part of the store's surface: include store/formats/vcard.h instead.
 */
#ifndef CONFAB_STORE_FORMATS_VCARD_INT_H
#define CONFAB_STORE_FORMATS_VCARD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "store/formats/vcard.h"

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

#endif
