/* store/formats/vcard: vCard 2.1, 3.0 and 4.0 reading and 3.0/4.0 writing.
 *
 * The reader turns a file's bytes into contacts: folded lines,
 * QUOTED-PRINTABLE (with soft line breaks), CHARSET= (UTF-8, ISO-8859-x,
 * Windows-1252…), a UTF-8 BOM, several cards per file, itemN. groups with
 * X-ABLabel, BDAY with or without a year, inline and URI photos.  Apple group
 * cards (X-ADDRESSBOOKSERVER-KIND:group, KIND:group) are reported, not
 * turned into people.  Properties confab does not model go to contact.extra
 * verbatim, so writing the contact back loses nothing.
 */
#ifndef CONFAB_STORE_FORMATS_VCARD_H
#define CONFAB_STORE_FORMATS_VCARD_H

#include <stddef.h>
#include "store/contact.h"

enum vcard_version { VCARD_30 = 30, VCARD_40 = 40 };

/* Called for each card found.  `c` is NULL when the card was skipped; then
 * `why` says why ("group card", "no name, email or phone", "bad BDAY
 * '1990-13-40'"…).  `line` is the 1-based line where the card began.  The
 * callback takes ownership of c.  Return non-zero to stop reading. */
typedef int (*vcard_card_cb)(void *arg, struct contact *c, unsigned line,
			     const char *why);

/* Parse a whole buffer.  Returns the number of cards seen (imported or
 * skipped), or -1 when the data holds no vCard at all (then *err, if given,
 * is set to a new message). Never fails on malformed cards: they are
 * skipped through the callback with a reason. */
int vcard_parse(const char *data, size_t len, vcard_card_cb cb, void *arg,
		char **err);

/* Append one card to out (CRLF line endings, lines folded at 75 octets). */
struct sbuf;
void vcard_write(struct sbuf *out, const struct contact *c,
		 enum vcard_version v);

#endif
