/* common/str: growable buffers, string helpers, UTF-8 measurement. */
#include "common/str.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		abort();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;

	sbuf_init(&b);
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	return sbuf_take(&b);
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_vprintf(&b, fmt, ap);
	return sbuf_take(&b);
}

void sbuf_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	sbuf_init(b);
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void sbuf_grow(struct sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	sbuf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_add(struct sbuf *b, const char *s)
{
	if (s)
		sbuf_addn(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_addn(b, &c, 1);
}

void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list cp;

	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	sbuf_init(b);
	return s;
}

const char *sbuf_str(const struct sbuf *b)
{
	return b->s ? b->s : "";
}

void str_set(char **dst, const char *src)
{
	char *n = xstrdup(src);

	free(*dst);
	*dst = n;
}

bool str_empty(const char *s)
{
	return !s || !*s;
}

bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool str_ieq(const char *a, const char *b)
{
	return strcasecmp(a ? a : "", b ? b : "") == 0;
}

bool str_istarts(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

char *str_trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	size_t i = 0;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

char *str_fold(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 1);
	size_t i = 0;

	/* ASCII, the common case, without the locale's multibyte calls */
	for (; i < n && (unsigned char)s[i] < 0x80; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
	if (i == n)
		return out;

	struct sbuf b;
	mbstate_t st;
	sbuf_init(&b);
	sbuf_addn(&b, out, i);
	free(out);
	s += i, n -= i;
	memset(&st, 0, sizeof st);
	while (n) {
		if ((unsigned char)*s < 0x80) {
			sbuf_addc(&b, (char)tolower((unsigned char)*s));
			s++, n--;
			continue;
		}
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			sbuf_addc(&b, *s);
			memset(&st, 0, sizeof st);
			s++, n--;
			continue;
		}
		char mb[MB_LEN_MAX];
		mbstate_t os;
		memset(&os, 0, sizeof os);
		size_t m = wcrtomb(mb, (wchar_t)towlower((wint_t)wc), &os);
		if (m == (size_t)-1)
			sbuf_addn(&b, s, k);
		else
			sbuf_addn(&b, mb, m);
		s += k, n -= k;
	}
	return sbuf_take(&b);
}

char *str_digits(const char *s)
{
	struct sbuf b;

	sbuf_init(&b);
	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			sbuf_addc(&b, *s);
	return sbuf_take(&b);
}

/* Decode one UTF-8 sequence; returns its length, or 0 when invalid. */
static size_t utf8_dec(const unsigned char *s, size_t n, unsigned *cp)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	unsigned c, min;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	while (n) {
		unsigned cp;
		size_t k = utf8_dec(p, n, &cp);
		if (!k)
			return false;
		p += k, n -= k;
	}
	return true;
}

static int cp_width(unsigned cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w < 0)
		return cp < 0x20 ? 0 : 1;
	return w;
}

int utf8_width(const char *s)
{
	int used;

	utf8_fit(s, 1 << 30, &used);
	return used;
}

size_t utf8_fit(const char *s, int cols, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), off = 0;
	int w = 0;

	while (off < n) {
		unsigned cp;
		size_t k = utf8_dec(p + off, n - off, &cp);
		int cw = 1;
		if (!k)
			k = 1;
		else
			cw = cp_width(cp);
		if (w + cw > cols)
			break;
		w += cw;
		off += k;
	}
	if (used)
		*used = w;
	return off;
}

char *utf8_from_charset(const char *in, size_t n, const char *charset)
{
	iconv_t cd = iconv_open("UTF-8", charset);

	if (cd == (iconv_t)-1)
		return NULL;
	/* an undecodable unit is skipped whole: 2 bytes in UTF-16, 4 in
	 * UTF-32, else 1 */
	size_t unit = strstr(charset, "32") ? 4 : strstr(charset, "16") ? 2 : 1;
	struct sbuf b;
	sbuf_init(&b);
	char *ip = (char *)in;
	size_t il = n;
	size_t cap = 1 << 16;
	char *buf = xmalloc(cap);
	while (il) {
		char *op = buf;
		size_t ol = cap;
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		sbuf_addn(&b, buf, (size_t)(op - buf));
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* bad or truncated input: replacement character */
			sbuf_add(&b, "\xef\xbf\xbd");
			size_t k = il < unit ? il : unit;
			ip += k, il -= k;
		}
	}
	free(buf);
	iconv_close(cd);
	return sbuf_take(&b);
}
