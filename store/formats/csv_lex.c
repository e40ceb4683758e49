/* store/formats/csv_lex: RFC 4180 tokenizer.
 *
 * Splits the (already UTF-8) text into rows of cells.  Quoted cells may hold
 * separators, doubled quotes and line breaks; rows end at CRLF, LF or a lone
 * CR.  Everything is one pass over the bytes, copying spans, so a 10 MB cell
 * costs the same as 10 MB of small ones.  Malformed input never fails: a
 * stray quote inside an unquoted cell is kept as text, text after a closing
 * quote is appended, an unterminated quote runs to the end of the data.
 */
#include "store/formats/csv_priv.h"

#include <stdlib.h>
#include <string.h>

enum csv_end { CSV_END_SEP, CSV_END_EOL, CSV_END_EOF };

void csv_lex_init(struct csv_lex *lx, const char *data, size_t len)
{
	lx->p = data;
	lx->end = data + len;
	lx->sep = ',';
	lx->line = 1;
}

void csv_row_init(struct csv_row *r)
{
	memset(r, 0, sizeof *r);
	sbuf_init(&r->buf);
}

void csv_row_free(struct csv_row *r)
{
	sbuf_free(&r->buf);
	free(r->off);
	csv_row_init(r);
}

const char *csv_row_cell(const struct csv_row *r, int col)
{
	if (col < 0 || (size_t)col >= r->n)
		return "";
	return r->buf.s + r->off[col];
}

static bool csv_lex_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	       ch == '\v' || ch == '\f';
}

void csv_row_trim(struct csv_row *r)
{
	for (size_t i = 0; i < r->n; i++) {
		char *s = r->buf.s + r->off[i];
		if (!*s)
			continue;
		size_t n = strlen(s);
		while (n && csv_lex_space(s[n - 1]))
			s[--n] = '\0';
		size_t k = 0;
		while (k < n && csv_lex_space(s[k]))
			k++;
		r->off[i] += k;
	}
}

bool csv_row_blank(const struct csv_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (const char *s = r->buf.s + r->off[i]; *s; s++)
			if (!csv_lex_space(*s))
				return false;
	return true;
}

/* Line breaks in s[0..n): LF, CRLF and lone CR each count once. */
static unsigned csv_lex_lines(const char *s, size_t n)
{
	unsigned k = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n ||
						      s[i + 1] != '\n')))
			k++;
	return k;
}

void csv_lex_detect_sep(struct csv_lex *lx)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool inq = false;
	const char *p = lx->p;

	while (p < lx->end && (*p == '\r' || *p == '\n'))
		p++;
	for (; p < lx->end; p++) {
		if (*p == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (*p == '\r' || *p == '\n')
			break;
		else if (*p == ',')
			comma++;
		else if (*p == ';')
			semi++;
		else if (*p == '\t')
			tab++;
	}
	lx->sep = ',';
	if (semi > comma && semi >= tab)
		lx->sep = ';';
	else if (tab > comma && tab > semi)
		lx->sep = '\t';
}

static void csv_row_add(struct csv_row *r, bool keep, const char *s,
			size_t n)
{
	if (keep && n)
		sbuf_addn(&r->buf, s, n);
}

/* Start a cell; returns whether it is kept. */
static bool csv_row_open(struct csv_row *r)
{
	if (r->max && r->n >= r->max)
		return false;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->off = xrealloc(r->off, r->cap * sizeof *r->off);
	}
	r->off[r->n++] = r->buf.len;
	return true;
}

static void csv_row_close(struct csv_row *r, bool keep)
{
	if (keep)
		sbuf_addn(&r->buf, "", 1);	/* the cell's NUL */
}

/* A quoted cell from just after its opening quote; returns the position
 * after the closing quote (or the end of the data). */
static const char *csv_lex_quoted(struct csv_lex *lx, struct csv_row *r,
				  bool keep, const char *p)
{
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(lx->end - p));
		size_t n = (size_t)((q ? q : lx->end) - p);

		csv_row_add(r, keep, p, n);
		lx->line += csv_lex_lines(p, n);
		if (!q)
			return lx->end;
		if (q + 1 < lx->end && q[1] == '"') {
			csv_row_add(r, keep, "\"", 1);
			p = q + 2;
			continue;
		}
		return q + 1;
	}
}

/* One cell starting at lx->p; says what ended it. */
static enum csv_end csv_lex_cell(struct csv_lex *lx, struct csv_row *r)
{
	bool keep = csv_row_open(r);
	const char *p = lx->p, *q = p;

	while (q < lx->end && *q == ' ')
		q++;
	if (q < lx->end && *q == '"')
		p = csv_lex_quoted(lx, r, keep, q + 1);
	q = p;
	while (q < lx->end && *q != lx->sep && *q != '\r' && *q != '\n')
		q++;
	csv_row_add(r, keep, p, (size_t)(q - p));
	csv_row_close(r, keep);
	if (q == lx->end) {
		lx->p = q;
		return CSV_END_EOF;
	}
	if (*q == lx->sep) {
		lx->p = q + 1;
		return CSV_END_SEP;
	}
	if (*q == '\r' && q + 1 < lx->end && q[1] == '\n')
		q++;
	lx->p = q + 1;
	lx->line++;
	return CSV_END_EOL;
}

bool csv_lex_row(struct csv_lex *lx, struct csv_row *r)
{
	sbuf_reset(&r->buf);
	r->n = 0;
	while (lx->p < lx->end && (*lx->p == '\r' || *lx->p == '\n')) {
		if (*lx->p == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')
			lx->p++;
		lx->p++;
		lx->line++;
	}
	if (lx->p >= lx->end)
		return false;
	r->line = lx->line;
	while (csv_lex_cell(lx, r) == CSV_END_SEP)
		;
	return true;
}
