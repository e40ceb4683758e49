/* store/formats/csv_priv: what the CSV reader's files share.  Not a public
 * header: only store/formats/csv*.c include it.
 *
 *   csv.c         csv_parse(): charset decoding, the row loop, finishing a
 *                 contact (birthday, fn, UID, the "nothing to import" skip)
 *   csv_lex.c     RFC 4180 tokenizer: rows of cells, line numbers
 *   csv_cols.c    header row -> layout and a column map
 *   csv_map.c     one row + column map -> contact (Google, Outlook, generic)
 *   csv_confab.c  confab's own layout: csv_write*() and its multi-value cells
 */
#ifndef CONFAB_STORE_FORMATS_CSV_PRIV_H
#define CONFAB_STORE_FORMATS_CSV_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "common/str.h"
#include "store/formats/csv.h"

/* ---- csv_lex ------------------------------------------------------------ */

struct csv_lex {
	const char *p, *end;
	char sep;		/* ',', ';' or '\t' */
	unsigned line;		/* 1-based line of the byte at p */
};

/* One row: cells stored back to back in buf, each NUL-terminated. */
struct csv_row {
	struct sbuf buf;
	size_t *off;		/* start of cell i in buf.s */
	size_t n, cap;		/* cells kept */
	size_t max;		/* keep at most this many cells; 0 = all */
	unsigned line;		/* line where the row began */
};

void csv_lex_init(struct csv_lex *lx, const char *data, size_t len);
/* Pick the separator from the first non-blank line (the header). */
void csv_lex_detect_sep(struct csv_lex *lx);
/* Next non-blank physical row; false at the end of the data. */
bool csv_lex_row(struct csv_lex *lx, struct csv_row *r);

void csv_row_init(struct csv_row *r);
void csv_row_free(struct csv_row *r);
/* Cell `col`, "" when the row is shorter or col < 0. */
const char *csv_row_cell(const struct csv_row *r, int col);
/* Strip ASCII white space around every cell. */
void csv_row_trim(struct csv_row *r);
/* Every cell empty or white space. */
bool csv_row_blank(const struct csv_row *r);

/* ---- csv_cols ----------------------------------------------------------- */

/* Single-valued contact members a column can fill. */
enum csv_sc {
	CSV_SC_FN, CSV_SC_GIVEN, CSV_SC_ADDITIONAL, CSV_SC_FAMILY,
	CSV_SC_PREFIX, CSV_SC_SUFFIX, CSV_SC_NICKNAME, CSV_SC_ORG,
	CSV_SC_DEPT, CSV_SC_TITLE, CSV_SC_BDAY, CSV_SC_NOTES, CSV_SC_TAGS,
	CSV_SC_UID, CSV_SC_PHOTO,
	/* confab layout: every field of a kind in one cell */
	CSV_SC_EMAILS, CSV_SC_PHONES, CSV_SC_ADDRS, CSV_SC_URLS,
	CSV_SC_N
};

enum csv_gkind { CSV_G_EMAIL, CSV_G_PHONE, CSV_G_URL, CSV_G_ADDR, CSV_G_ORG };

/* Columns that make up one group ("Phone 2 - Label"/"Phone 2 - Value",
 * or Outlook's "Home Street"…"Home Country/Region"). */
enum csv_sub {
	CSV_SUB_LABEL, CSV_SUB_VALUE, CSV_SUB_FORMATTED,
	CSV_SUB_POBOX, CSV_SUB_EXT, CSV_SUB_STREET, CSV_SUB_STREET2,
	CSV_SUB_STREET3, CSV_SUB_CITY, CSV_SUB_REGION, CSV_SUB_CODE,
	CSV_SUB_COUNTRY, CSV_SUB_TITLE, CSV_SUB_DEPT,
	CSV_SUB_N
};

struct csv_group {
	enum csv_gkind kind;
	const char *label;	/* fixed label (static) if no label column */
	bool pref;		/* fixed pref (Outlook "Primary Phone") */
	int col[CSV_SUB_N];	/* column of each part, -1 when absent */
};

struct csv_map {
	enum csv_layout layout;
	bool trim;		/* strip white space around cells */
	bool multi;		/* Google " ::: " values, "* " primary */
	int sc[CSV_SC_N];	/* column of each member, -1 when absent */
	struct csv_group *groups;
	size_t ngroups;
	size_t ncols;
};

/* Read the header row.  0, or -1 with *err set when it is no contacts
 * layout we know. */
int csv_cols_map(struct csv_map *m, const struct csv_row *hdr, char **err);
void csv_cols_free(struct csv_map *m);

/* ---- csv_map ------------------------------------------------------------ */

/* A row's tags, collected and then de-duplicated in O(n log n):
 * contact_add_tag() compares each new tag with all the others. */
struct csv_tags {
	char **v;
	size_t n, cap;
};

/* Take ownership of tag; empty ones are dropped. */
void csv_tags_add(struct csv_tags *t, char *tag);
/* Move the tags, first occurrence of each, in order, into c. */
void csv_tags_commit(struct csv_tags *t, struct contact *c);

/* Fill c from one row.  A birthday is normalised to "YYYY-MM-DD" or
 * "--MM-DD"; text that is no date moves to the notes as "Birthday: …". */
void csv_map_row(const struct csv_map *m, const struct csv_row *r,
		 struct contact *c);
/* Replace CR/LF runs with ", " so a text fits one ADR component. */
char *csv_map_oneline(const char *s, size_t n);

/* ---- csv_confab --------------------------------------------------------- */

/* Decode a confab multi-value cell into fields of `kind`. */
void csv_confab_fields(struct contact *c, enum cfield_kind kind,
		       const char *cell);
void csv_confab_tags(struct csv_tags *t, const char *cell);

#endif
