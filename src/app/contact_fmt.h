/* app/contact_fmt: a contact as the CLI prints it — TSV cells, the
 * labelled text of `show`, and the JSON object of --json. */
#ifndef CONFAB_APP_CONTACT_FMT_H
#define CONFAB_APP_CONTACT_FMT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "store/contact.h"

struct sbuf;

/* Append s as one TSV cell (tabs and line breaks become spaces), then end. */
void contact_fmt_cell(struct sbuf *b, const char *s, char end);
/* A JSON string; bytes that are not UTF-8 become '?'. */
json_t *contact_fmt_jstr(const char *s);
/* Unix time as "2026-11-21T10:00:00Z". */
void contact_fmt_time(char *buf, size_t len, int64_t t);
/* The contact with every field; absent values are left out. */
json_t *contact_fmt_json(const struct contact *c, const char *book);
/* "name:   Ada Lovelace" lines, as `contacts show` prints them. */
void contact_fmt_text(struct sbuf *b, const struct contact *c,
		      const char *book);

#endif
