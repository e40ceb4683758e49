/* store/formats/csv: csv_parse(), the reader's driver.
 *
 * Decodes the bytes to UTF-8 (BOMs, UTF-16 "Unicode" CSV from Outlook,
 * Windows-1252 when the data is not UTF-8), reads the header into a column
 * map, then turns each row into a contact or a reported skip.  The other
 * csv_*.c files do the work; csv_priv.h says which does what.
 */
#include "store/formats/csv_priv.h"
#include "common/uid.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* UTF-16 as Outlook writes it: with a BOM, or ASCII text with every other
 * byte zero. */
static const char *csv_utf16(const unsigned char *u, size_t n)
{
	if (n >= 2 && u[0] == 0xff && u[1] == 0xfe)
		return "UTF-16LE";
	if (n >= 2 && u[0] == 0xfe && u[1] == 0xff)
		return "UTF-16BE";
	if (n >= 4 && u[0] && !u[1] && u[2] && !u[3])
		return "UTF-16LE";
	return NULL;
}

static void csv_skip_bom(const char **data, size_t *len)
{
	if (*len >= 3 && memcmp(*data, "\xef\xbb\xbf", 3) == 0) {
		*data += 3;
		*len -= 3;
	}
}

/* The text to parse: data itself, or a converted copy left in *conv. */
static const char *csv_decode(const char *data, size_t *len, char **conv)
{
	const unsigned char *u = (const unsigned char *)data;
	const char *cs = csv_utf16(u, *len);
	size_t bom = cs && u[0] > 0xfd ? 2 : 0;

	*conv = NULL;
	if (!cs) {
		csv_skip_bom(&data, len);
		if (utf8_valid(data, *len))
			return data;
		cs = "WINDOWS-1252";
	}
	*conv = utf8_from_charset(data + bom, *len - bom, cs);
	if (!*conv)
		*conv = utf8_from_charset(data + bom, *len - bom, "ISO-8859-1");
	if (!*conv)
		return data;	/* no iconv: take the bytes as they are */
	data = *conv;
	*len = strlen(data);
	csv_skip_bom(&data, len);
	return data;
}

static bool csv_text(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return true;
	return false;
}

/* Anything to import: a name, an organisation, an e-mail or a phone. */
static bool csv_worth(const struct contact *c)
{
	const char *s[] = { c->fn, c->given, c->additional, c->family,
			    c->nickname, c->org };

	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (csv_text(s[i]))
			return true;
	for (size_t i = 0; i < c->nfields; i++)
		if ((c->fields[i].kind == CF_EMAIL ||
		     c->fields[i].kind == CF_PHONE) &&
		    csv_text(c->fields[i].value))
			return true;
	return false;
}

static const char *csv_first_text(const struct contact *c,
				  enum cfield_kind kind)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].kind == kind && csv_text(c->fields[i].value))
			return c->fields[i].value;
	return NULL;
}

/* contact_fill_fn(), but never leaving fn blank for a row csv_worth()
 * kept: white-space name parts or an empty first e-mail would. */
static void csv_fill_fn(struct contact *c)
{
	if (!csv_text(c->fn))
		str_set(&c->fn, NULL);
	contact_fill_fn(c);
	if (csv_text(c->fn))
		return;
	const char *pick = csv_text(c->org) ? c->org :
			   csv_text(c->nickname) ? c->nickname :
			   csv_first_text(c, CF_EMAIL);
	str_set(&c->fn, pick ? pick : csv_first_text(c, CF_PHONE));
}

/* One data row -> callback.  Returns the callback's answer. */
static int csv_row(const struct csv_map *m, struct csv_row *r, csv_row_cb cb,
		   void *arg)
{
	struct contact *c = contact_new();

	csv_map_row(m, r, c);
	if (!csv_worth(c)) {
		contact_free(c);
		return cb(arg, NULL, r->line, "no name, email or phone");
	}
	csv_fill_fn(c);
	if (str_empty(c->uid)) {
		free(c->uid);
		c->uid = uid_new();
	}
	return cb(arg, c, r->line, NULL);
}

static int csv_rows(const struct csv_map *m, struct csv_lex *lx,
		    struct csv_row *r, csv_row_cb cb, void *arg)
{
	int n = 0;

	r->max = m->ncols;
	while (csv_lex_row(lx, r)) {
		if (csv_row_blank(r))
			continue;
		if (m->trim)
			csv_row_trim(r);
		if (n < INT_MAX)
			n++;
		if (csv_row(m, r, cb, arg))
			break;
	}
	return n;
}

int csv_parse(const char *data, size_t len, csv_row_cb cb, void *arg,
	      enum csv_layout *layout, char **err)
{
	struct csv_lex lx;
	struct csv_row row;
	struct csv_map map;
	char *conv;
	int n = -1;

	if (layout)
		*layout = CSV_UNKNOWN;
	if (err)
		*err = NULL;
	if (!data) {
		data = "";
		len = 0;
	}
	data = csv_decode(data, &len, &conv);
	csv_lex_init(&lx, data, len);
	csv_lex_detect_sep(&lx);
	csv_row_init(&row);
	if (!csv_lex_row(&lx, &row)) {
		if (err)
			*err = xstrdup("CSV file is empty: no header row");
	} else {
		csv_row_trim(&row);
		if (csv_cols_map(&map, &row, err) == 0) {
			if (layout)
				*layout = map.layout;
			n = csv_rows(&map, &lx, &row, cb, arg);
			csv_cols_free(&map);
		}
	}
	csv_row_free(&row);
	free(conv);
	return n;
}
