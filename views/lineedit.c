/* views/lineedit: one-line editor over wide characters. */
#include "views/lineedit.h"
#include "common/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define K_CTRL(c) ((c) & 0x1f)

static void reserve(struct lineedit *e, size_t n)
{
	if (n + 1 <= e->cap)
		return;
	size_t cap = (n + 1) * 2;
	if (!e->secret) {
		e->buf = xrealloc(e->buf, cap * sizeof *e->buf);
	} else {	/* no copy of a password left behind by realloc */
		wchar_t *b = xmalloc(cap * sizeof *b);
		if (e->buf) {
			memcpy(b, e->buf, e->cap * sizeof *b);
			explicit_bzero(e->buf, e->cap * sizeof *b);
			free(e->buf);
		}
		e->buf = b;
	}
	e->cap = cap;
}

void lineedit_set(struct lineedit *e, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	mbstate_t st;

	memset(&st, 0, sizeof st);
	reserve(e, n);
	e->len = 0;
	while (n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			wc = (unsigned char)*s;	/* keep odd bytes visible */
			k = 1;
			memset(&st, 0, sizeof st);
		}
		e->buf[e->len++] = wc;
		s += k, n -= k;
	}
	e->buf[e->len] = 0;
	e->cur = e->len;
	e->scroll = 0;
}

void lineedit_init(struct lineedit *e, const char *utf8)
{
	memset(e, 0, sizeof *e);
	lineedit_set(e, utf8);
}

void lineedit_free(struct lineedit *e)
{
	if (e->secret && e->buf)
		explicit_bzero(e->buf, e->cap * sizeof *e->buf);
	free(e->buf);
	memset(e, 0, sizeof *e);
}

bool lineedit_empty(const struct lineedit *e)
{
	return e->len == 0;
}

char *lineedit_text(const struct lineedit *e)
{
	struct sbuf b;
	char mb[MB_LEN_MAX];

	sbuf_init(&b);
	for (size_t i = 0; i < e->len; i++) {
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t k = wcrtomb(mb, e->buf[i], &st);
		if (k != (size_t)-1)
			sbuf_addn(&b, mb, k);
	}
	return sbuf_take(&b);
}

static void insert(struct lineedit *e, wchar_t c)
{
	reserve(e, e->len + 1);
	memmove(e->buf + e->cur + 1, e->buf + e->cur,
		(e->len - e->cur + 1) * sizeof *e->buf);
	e->buf[e->cur++] = c;
	e->len++;
}

static void le_erase(struct lineedit *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(e->buf + from, e->buf + to,
		(e->len - to + 1) * sizeof *e->buf);
	e->len -= to - from;
	e->cur = from;
}

bool lineedit_key(struct lineedit *e, int code, wint_t ch, bool is_text,
		  bool *changed)
{
	*changed = false;
	if (is_text) {
		insert(e, (wchar_t)ch);
		*changed = true;
		return true;
	}
	switch (code) {
	case KEY_BACKSPACE: case 127: case K_CTRL('h'):
		if (e->cur)
			le_erase(e, e->cur - 1, e->cur), *changed = true;
		return true;
	case KEY_DC: case K_CTRL('d'):
		if (e->cur < e->len)
			le_erase(e, e->cur, e->cur + 1), *changed = true;
		return true;
	case KEY_LEFT: case K_CTRL('b'):
		if (e->cur)
			e->cur--;
		return true;
	case KEY_RIGHT: case K_CTRL('f'):
		if (e->cur < e->len)
			e->cur++;
		return true;
	case KEY_HOME: case K_CTRL('a'):
		e->cur = 0;
		return true;
	case KEY_END: case K_CTRL('e'):
		e->cur = e->len;
		return true;
	case K_CTRL('u'):
		*changed = e->cur > 0;
		le_erase(e, 0, e->cur);
		return true;
	case K_CTRL('k'):
		*changed = e->cur < e->len;
		e->len = e->cur;
		e->buf[e->len] = 0;
		return true;
	case K_CTRL('w'): {
		size_t p = e->cur;
		while (p && e->buf[p - 1] == ' ')
			p--;
		while (p && e->buf[p - 1] != ' ')
			p--;
		*changed = p != e->cur;
		le_erase(e, p, e->cur);
		return true;
	}
	}
	return false;
}

static int wc_width(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

/* What character i looks like on screen. */
static wchar_t shown(const struct lineedit *e, size_t i)
{
	if (e->secret)
		return L'*';
	return e->buf[i] < 32 ? L'?' : e->buf[i];
}

int lineedit_draw(struct lineedit *e, WINDOW *w, int y, int x, int width,
		  attr_t a)
{
	if (width <= 0)
		return x;
	/* keep the cursor visible: scroll so it sits inside the field */
	if (e->cur < e->scroll)
		e->scroll = e->cur;
	for (;;) {
		int used = 0;
		for (size_t i = e->scroll; i < e->cur; i++)
			used += wc_width(shown(e, i));
		if (used < width || e->scroll >= e->cur)
			break;
		e->scroll++;
	}
	wattrset(w, a);
	wmove(w, y, x);
	int col = 0, curx = x;
	for (size_t i = e->scroll; i <= e->len; i++) {
		if (i == e->cur)
			curx = x + col;
		if (i == e->len)
			break;
		wchar_t c = shown(e, i);
		int cw = wc_width(c);
		if (col + cw > width)
			break;
		cchar_t cc;
		wchar_t s[2] = { c, 0 };
		setcchar(&cc, s, a, 0, NULL);
		wadd_wch(w, &cc);
		col += cw;
	}
	for (; col < width; col++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
	return curx;
}
