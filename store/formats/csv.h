/* store/formats/csv: contacts as CSV (RFC 4180).
 *
 * Reading recognises, from the header row, the layouts exported by Google
 * Contacts (the current one: "First Name","Last Name",…,"E-mail 1 - Value";
 * and the older one: "Name","Given Name",…,"E-mail 1 - Value" with " ::: "
 * separated multi-values) and by Outlook ("First Name","Last Name",
 * "E-mail Address","Business Phone"…), plus confab's own export.  A UTF-8
 * BOM is skipped; non-UTF-8 input is read as Windows-1252.  Quoted fields
 * may hold commas, doubled quotes and newlines.
 */
#ifndef CONFAB_STORE_FORMATS_CSV_H
#define CONFAB_STORE_FORMATS_CSV_H

#include <stddef.h>
#include "store/contact.h"

enum csv_layout {
	CSV_UNKNOWN = 0,
	CSV_GOOGLE,		/* current Google Contacts export */
	CSV_GOOGLE_OLD,		/* older Google (Outlook-ish "Name","Given Name") */
	CSV_OUTLOOK,
	CSV_CONFAB,		/* what csv_write produces */
};

/* Same contract as vcard_card_cb: c NULL means skipped with reason `why`;
 * `line` is the 1-based line where the record began. */
typedef int (*csv_row_cb)(void *arg, struct contact *c, unsigned line,
			  const char *why);

/* Parse a buffer.  Returns rows seen, or -1 when the header is not a
 * contacts layout (then *err is set to a new message naming the problem). */
int csv_parse(const char *data, size_t len, csv_row_cb cb, void *arg,
	      enum csv_layout *layout, char **err);

struct sbuf;
/* confab's CSV: a header row then one row per contact. */
void csv_write_header(struct sbuf *out);
void csv_write(struct sbuf *out, const struct contact *c);

#endif
