/* views/textarea: multi-line editing, drawn word-wrapped. */
#include "views/textarea.h"
#include "common/str.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define K_CTRL(c) ((c) & 0x1f)
#define TAB_SPACES "    "

static int wc_width(wchar_t c)
{
	int w = c < 32 ? 1 : wcwidth(c);

	return w < 0 ? 1 : w;
}

/* Where each screen row of a line starts when wrapped to w cells: a row
 * breaks after its last space, or inside a word longer than the row.
 * When the cursor sits after a full last row, one more (empty) row. */
static size_t *rows_of(const struct lineedit *e, int w, bool cursor_row,
		       size_t *nrows)
{
	size_t cap = 4, n = 0, start = 0, space = SIZE_MAX;
	size_t *s = xmalloc(cap * sizeof *s);
	int used = 0;

	if (w < 1)
		w = 1;
	s[n++] = 0;
	for (size_t i = 0; i < e->len; i++) {
		int cw = wc_width(e->buf[i]);
		if (used + cw > w && i > start) {
			size_t brk = space != SIZE_MAX && space + 1 > start ?
				     space + 1 : i;
			if (n == cap)
				s = xrealloc(s, (cap *= 2) * sizeof *s);
			s[n++] = start = brk;
			used = 0;
			for (size_t k = brk; k < i; k++)
				used += wc_width(e->buf[k]);
			space = SIZE_MAX;
		}
		if (e->buf[i] == L' ')
			space = i;
		used += cw;
	}
	if (cursor_row && e->cur == e->len && used >= w && e->len > start) {
		if (n == cap)
			s = xrealloc(s, (cap + 1) * sizeof *s);
		s[n++] = e->len;
	}
	*nrows = n;
	return s;
}

/* The row of the cursor in rows s[0..n). */
static size_t cursor_row(const struct lineedit *e, const size_t *s, size_t n)
{
	size_t r = 0;

	while (r + 1 < n && s[r + 1] <= e->cur)
		r++;
	return r;
}

static size_t row_end(const struct lineedit *e, const size_t *s, size_t n,
		      size_t r)
{
	return r + 1 < n ? s[r + 1] : e->len;
}

static int cells(const struct lineedit *e, size_t from, size_t to)
{
	int c = 0;

	for (size_t i = from; i < to && i < e->len; i++)
		c += wc_width(e->buf[i]);
	return c;
}

/* The index in row r of line e nearest to column col. */
static size_t at_col(const struct lineedit *e, const size_t *s, size_t n,
		     size_t r, int col)
{
	size_t i = s[r], end = row_end(e, s, n, r);
	int c = 0;

	/* a row that wraps ends before its break, not on the next row */
	if (r + 1 < n && end > i)
		end--;
	while (i < end && c + wc_width(e->buf[i]) <= col)
		c += wc_width(e->buf[i++]);
	return i;
}

static void set_lines(struct textarea *t, const char *s)
{
	t->lines = NULL;
	t->n = 0;
	for (;;) {
		size_t len = strcspn(s, "\n");
		struct sbuf b;
		sbuf_init(&b);
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '\t')
				sbuf_add(&b, TAB_SPACES);
			else if (s[i] != '\r')
				sbuf_addc(&b, s[i]);
		}
		t->lines = xrealloc(t->lines, (t->n + 1) * sizeof *t->lines);
		lineedit_init(&t->lines[t->n++], sbuf_str(&b));
		sbuf_free(&b);
		if (!s[len])
			break;
		s += len + 1;
	}
	t->cur = t->n - 1;
	t->top = 0;
}

void textarea_init(struct textarea *t, const char *utf8)
{
	memset(t, 0, sizeof *t);
	t->height = 10;
	t->width = 60;
	set_lines(t, utf8 ? utf8 : "");
}

void textarea_free(struct textarea *t)
{
	for (size_t i = 0; i < t->n; i++)
		lineedit_free(&t->lines[i]);
	free(t->lines);
	t->lines = NULL;
	t->n = 0;
}

void textarea_set(struct textarea *t, const char *utf8)
{
	textarea_free(t);
	set_lines(t, utf8 ? utf8 : "");
}

void textarea_home(struct textarea *t)
{
	t->cur = 0;
	t->lines[0].cur = 0;
	t->top = 0;
}

char *textarea_text(const struct textarea *t)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < t->n; i++) {
		char *l = lineedit_text(&t->lines[i]);
		sbuf_printf(&b, "%s%s", i ? "\n" : "", l);
		free(l);
	}
	return sbuf_take(&b);
}

bool textarea_empty(const struct textarea *t)
{
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < t->lines[i].len; k++)
			if (t->lines[i].buf[k] != L' ')
				return false;
	return true;
}

static void insert_line(struct textarea *t, size_t at, const char *text)
{
	t->lines = xrealloc(t->lines, (t->n + 1) * sizeof *t->lines);
	memmove(&t->lines[at + 1], &t->lines[at],
		(t->n - at) * sizeof *t->lines);
	t->n++;
	lineedit_init(&t->lines[at], text);
}

static void remove_line(struct textarea *t, size_t at)
{
	lineedit_free(&t->lines[at]);
	memmove(&t->lines[at], &t->lines[at + 1],
		(t->n - at - 1) * sizeof *t->lines);
	t->n--;
}

/* Line i + 1 joins the end of line i; the cursor goes to the seam. */
static void join_next(struct textarea *t, size_t i)
{
	struct lineedit *a = &t->lines[i];
	char *head = lineedit_text(a);
	char *tail = lineedit_text(&t->lines[i + 1]);
	size_t at = a->len;
	char *both = xasprintf("%s%s", head, tail);

	lineedit_set(a, both);
	a->cur = at;
	remove_line(t, i + 1);
	t->cur = i;
	free(head);
	free(tail);
	free(both);
}

static void split(struct textarea *t)
{
	struct lineedit *e = &t->lines[t->cur];
	struct lineedit rest;
	char *tail;

	/* the text after the cursor starts the new line */
	lineedit_init(&rest, "");
	for (size_t i = e->cur; i < e->len; i++) {
		bool ch;
		lineedit_key(&rest, 0, (wint_t)e->buf[i], true, &ch);
	}
	tail = lineedit_text(&rest);
	lineedit_free(&rest);
	e->len = e->cur;
	e->buf[e->len] = 0;
	insert_line(t, t->cur + 1, tail);
	free(tail);
	t->cur++;
	t->lines[t->cur].cur = 0;
}

/* Up (-1) or down (+1) one screen row at the width last drawn. */
static bool move_row(struct textarea *t, int dir, int width)
{
	struct lineedit *e = &t->lines[t->cur];
	size_t n, *s = rows_of(e, width, false, &n);
	size_t r = cursor_row(e, s, n);
	int col = cells(e, s[r], e->cur);
	bool moved = true;

	if (dir < 0 && r > 0) {
		e->cur = at_col(e, s, n, r - 1, col);
	} else if (dir > 0 && r + 1 < n) {
		e->cur = at_col(e, s, n, r + 1, col);
	} else if (dir < 0 && t->cur > 0) {
		struct lineedit *p = &t->lines[--t->cur];
		size_t pn, *ps = rows_of(p, width, false, &pn);
		p->cur = at_col(p, ps, pn, pn - 1, col);
		free(ps);
	} else if (dir > 0 && t->cur + 1 < t->n) {
		struct lineedit *p = &t->lines[++t->cur];
		size_t pn, *ps = rows_of(p, width, false, &pn);
		p->cur = at_col(p, ps, pn, 0, col);
		free(ps);
	} else {
		moved = false;
	}
	free(s);
	return moved;
}

bool textarea_key(struct textarea *t, int code, wint_t ch, bool is_text,
		  bool *changed, int *leave)
{
	struct lineedit *e = &t->lines[t->cur];

	*changed = false;
	*leave = 0;
	if (is_text)
		return lineedit_key(e, code, ch, true, changed);
	switch (code) {
	case '\n': case '\r': case KEY_ENTER:
		split(t);
		*changed = true;
		return true;
	case KEY_BACKSPACE: case 127: case K_CTRL('h'):
		if (e->cur == 0 && t->cur > 0) {
			join_next(t, t->cur - 1);
			*changed = true;
			return true;
		}
		break;
	case KEY_DC: case K_CTRL('d'): case K_CTRL('k'):
		if (e->cur == e->len && t->cur + 1 < t->n) {
			join_next(t, t->cur);
			*changed = true;
			return true;
		}
		break;
	case KEY_LEFT: case K_CTRL('b'):
		if (e->cur == 0 && t->cur > 0) {
			t->cur--;
			t->lines[t->cur].cur = t->lines[t->cur].len;
			return true;
		}
		break;
	case KEY_RIGHT: case K_CTRL('f'):
		if (e->cur == e->len && t->cur + 1 < t->n) {
			t->cur++;
			t->lines[t->cur].cur = 0;
			return true;
		}
		break;
	case KEY_UP: case K_CTRL('p'):
		if (!move_row(t, -1, t->width))
			*leave = -1;
		return true;
	case KEY_DOWN: case K_CTRL('n'):
		if (!move_row(t, 1, t->width))
			*leave = 1;
		return true;
	case KEY_PPAGE: case KEY_NPAGE:
		for (int i = 1; i < t->height; i++)
			move_row(t, code == KEY_PPAGE ? -1 : 1, t->width);
		return true;
	default:
		break;
	}
	return lineedit_key(e, code, ch, false, changed);
}

static void put_wc(WINDOW *w, wchar_t c, attr_t a)
{
	cchar_t cc;
	wchar_t s[2] = { c < 32 ? L'?' : c, 0 };

	setcchar(&cc, s, a, 0, NULL);
	wadd_wch(w, &cc);
}

void textarea_draw(struct textarea *t, WINDOW *w, int y, int x, int h,
		   int width, attr_t a, int *cy, int *cx)
{
	size_t crow = 0, total = 0;

	if (h <= 0 || width <= 0)
		return;
	t->width = width;
	t->height = h;
	/* the cursor's screen row among all rows, then scroll to it */
	for (size_t i = 0; i < t->n; i++) {
		size_t n, *s = rows_of(&t->lines[i], width, i == t->cur, &n);
		if (i == t->cur)
			crow = total + cursor_row(&t->lines[i], s, n);
		total += n;
		free(s);
	}
	if (crow < t->top)
		t->top = crow;
	if (crow >= t->top + (size_t)h)
		t->top = crow - (size_t)h + 1;
	*cy = y;
	*cx = x;
	size_t row = 0;
	int r = 0;
	for (size_t i = 0; i < t->n && r < h; i++) {
		struct lineedit *e = &t->lines[i];
		size_t n, *s = rows_of(e, width, i == t->cur, &n);
		for (size_t k = 0; k < n && r < h; k++, row++) {
			if (row < t->top)
				continue;
			size_t end = row_end(e, s, n, k);
			int col = 0;
			wattrset(w, a);
			wmove(w, y + r, x);
			for (size_t c = s[k]; c < end && col < width; c++) {
				int cw = wc_width(e->buf[c]);
				if (col + cw > width)
					break;
				put_wc(w, e->buf[c], a);
				col += cw;
			}
			for (; col < width; col++)
				waddch(w, ' ');
			if (i == t->cur && row == crow) {
				*cy = y + r;
				*cx = x + cells(e, s[k], e->cur);
				if (*cx >= x + width)
					*cx = x + width - 1;
			}
			r++;
		}
		free(s);
	}
	wattrset(w, a);
	for (; r < h; r++)
		mvwhline(w, y + r, x, ' ', width);
	wattrset(w, A_NORMAL);
}

void text_wrap(const char *text, int width, char ***lines, size_t *n)
{
	struct textarea t;

	textarea_init(&t, text);
	for (size_t i = 0; i < t.n; i++) {
		struct lineedit *e = &t.lines[i];
		size_t nr, *s = rows_of(e, width, false, &nr);
		for (size_t k = 0; k < nr; k++) {
			size_t end = row_end(e, s, nr, k);
			struct sbuf b;
			char mb[MB_LEN_MAX];
			sbuf_init(&b);
			for (size_t c = s[k]; c < end; c++) {
				mbstate_t st;
				memset(&st, 0, sizeof st);
				size_t len = wcrtomb(mb, e->buf[c], &st);
				if (len != (size_t)-1)
					sbuf_addn(&b, mb, len);
			}
			*lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
			(*lines)[(*n)++] = sbuf_take(&b);
		}
		free(s);
	}
	textarea_free(&t);
}

/* The editor on the terminal, curses put aside meanwhile; its status. */
static int run(const char *editor, const char *path)
{
	int status = -1;
	pid_t pid;

	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		int tty = open("/dev/tty", O_RDWR);	/* stderr is the log */
		if (tty >= 0)
			dup2(tty, 2);
		char *line = xasprintf("%s \"$1\"", editor);
		execl("/bin/sh", "sh", "-c", line, "confab", path,
		      (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	reset_prog_mode();
	refresh();
	return status;
}

int textarea_external(struct textarea *t, const char *editor, char **err)
{
	char path[] = "/tmp/confab-text-XXXXXX";
	char *text = textarea_text(t), buf[4096];
	int fd = mkstemp(path), status;
	struct sbuf b;
	size_t len = strlen(text), n;
	FILE *f;

	*err = NULL;
	if (fd < 0) {
		free(text);
		*err = xstrdup("cannot make a file for the editor in /tmp");
		return -1;
	}
	bool ok = write(fd, text, len) == (ssize_t)len &&
		  (len == 0 || write(fd, "\n", 1) == 1);
	close(fd);
	free(text);
	status = ok ? run(editor, path) : -1;
	if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    !(f = fopen(path, "r"))) {
		*err = xasprintf("the editor (%s) failed: the text is as it "
				 "was", editor);
		unlink(path);
		return -1;
	}
	sbuf_init(&b);
	while (b.len < TEXTAREA_EDIT_MAX &&
	       (n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&b, buf, n);
	fclose(f);
	unlink(path);
	text = sbuf_take(&b);
	len = strlen(text);
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	textarea_set(t, text);
	free(text);
	return 0;
}
