/* common/str: growable byte buffers and small string helpers.
 *
 * struct sbuf is the one string builder the project uses: parsers append to
 * it, writers format into it.  Helpers here never print and never abort on
 * bad input; allocation failure aborts (there is no sensible recovery).
 */
#ifndef CONFAB_COMMON_STR_H
#define CONFAB_COMMON_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>

struct sbuf {
	char *s;	/* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* Hand the string over to the caller (never NULL); the buffer is reset. */
char *sbuf_take(struct sbuf *b);
/* Current contents, "" when empty. */
const char *sbuf_str(const struct sbuf *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);		/* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/* Replace *dst with a copy of src (or NULL), freeing the old value. */
void str_set(char **dst, const char *src);
bool str_empty(const char *s);		/* NULL or "" */
bool str_eq(const char *a, const char *b);	/* NULL equals NULL and "" */
/* ASCII case-insensitive comparison helpers. */
bool str_ieq(const char *a, const char *b);
bool str_istarts(const char *s, const char *prefix);
/* Trim ASCII whitespace in place; returns s. */
char *str_trim(char *s);
/* Lower-case copy (Unicode-aware for UTF-8 input, via towlower). */
char *str_fold(const char *s);
/* Keep only the decimal digits of s (new string). */
char *str_digits(const char *s);

/* UTF-8 helpers. */
bool utf8_valid(const char *s, size_t n);
/* Display width of a UTF-8 string in terminal cells (wcwidth); invalid
 * bytes count as one cell each. */
int utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in `cols` cells. */
size_t utf8_fit(const char *s, int cols, int *used);
/* Convert text in `charset` (e.g. "WINDOWS-1252", "ISO-8859-1") to UTF-8.
 * Returns a new string, or NULL when the charset is unknown. */
char *utf8_from_charset(const char *in, size_t n, const char *charset);

#endif
