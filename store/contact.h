/* store/contact: the in-memory contact record.
 *
 * One struct shared by the store (store/contacts.c), the import/export
 * formats (store/formats/) and the views.  It owns every string it points
 * to; contact_free() releases them.  Strings are UTF-8; NULL means absent.
 */
#ifndef CONFAB_STORE_CONTACT_H
#define CONFAB_STORE_CONTACT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum cfield_kind {
	CF_PHONE = 1,
	CF_EMAIL = 2,
	CF_ADDR = 3,
	CF_URL = 4,
};

/* A postal address is kept as its seven vCard ADR components, unescaped,
 * joined by '\n' in `value` ("pobox\next\nstreet\ncity\nregion\ncode\ncountry").
 * contact_addr_split()/contact_addr_join() convert. */
#define CONTACT_ADDR_PARTS 7

struct cfield {
	enum cfield_kind kind;
	char *label;	/* user-facing label: "work", "home", "mobile", "Assistant"… */
	char *value;	/* as entered / as imported (display form) */
	char *norm;	/* E.164 for phones, lower-case for email, NULL otherwise */
	char *params;	/* original vCard parameters (e.g. "TYPE=WORK,VOICE;X-FOO=1"),
			   kept so export reproduces them; NULL when made here */
	bool pref;	/* preferred of its kind */
};

struct contact {
	int64_t id;		/* 0 until stored */
	int64_t book_id;
	char *uid;
	char *fn;		/* formatted (display) name, never NULL once stored */
	char *family, *given, *additional, *prefix, *suffix;	/* vCard N */
	char *nickname;
	char *org, *department;	/* vCard ORG first and second component */
	char *title;
	char *bday;		/* "YYYY-MM-DD" or "--MM-DD" (no year) */
	char *notes;
	char **tags;		/* vCard CATEGORIES */
	size_t ntags;
	struct cfield *fields;
	size_t nfields;
	unsigned char *photo;	/* decoded image bytes */
	size_t photo_len;
	char *photo_type;	/* "image/jpeg", "image/png"… */
	char *photo_uri;	/* PHOTO given as a URI rather than inline data */
	/* vCard properties confab does not model, verbatim and unfolded, one
	 * per line, each line ending "\r\n" (e.g. "X-SKYPE:bob\r\nGEO:1;2\r\n").
	 * Written back unchanged on export. */
	char *extra;
	int64_t created, updated;	/* unix seconds */
};

struct contact *contact_new(void);
void contact_free(struct contact *c);
struct contact *contact_dup(const struct contact *c);
/* Append a field; strings are copied.  Returns the new field. */
struct cfield *contact_add_field(struct contact *c, enum cfield_kind kind,
				 const char *label, const char *value);
void contact_remove_field(struct contact *c, size_t i);
void contact_add_tag(struct contact *c, const char *tag);
/* First field of a kind, preferring one marked pref; NULL when none. */
const struct cfield *contact_first(const struct contact *c,
				   enum cfield_kind kind);
/* Make fn from the N components / org / email when fn is empty. */
void contact_fill_fn(struct contact *c);
/* Merge `src` into `dst`: fills empty scalar fields, adds fields, tags and
 * extra lines that dst lacks (by normalised value). */
void contact_merge(struct contact *dst, const struct contact *src);

/* Birthday check: "YYYY-MM-DD" (a real calendar date) or "--MM-DD". */
bool contact_bday_valid(const char *bday);
/* Light email syntax check: local@domain.tld, no spaces. */
bool contact_email_valid(const char *email);

/* ADR components <-> the '\n'-joined value. parts[] receives pointers into a
 * new copy that *buf owns (free(*buf)). */
void contact_addr_split(const char *value, char **buf,
			const char *parts[CONTACT_ADDR_PARTS]);
char *contact_addr_join(const char *const parts[CONTACT_ADDR_PARTS]);
/* One-line display form of an address ("1 Main St, Springfield, 12345, US"). */
char *contact_addr_display(const char *value);

#endif
