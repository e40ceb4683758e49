/* views/art: pictures as character art in curses windows (see
 * views/art.h). */
#include "views/art.h"
#include "views/ui.h"
#include "app/app.h"
#include "app/picture.h"
#include "common/image.h"
#include "common/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Pictures are kept at most this many pixels a side: a terminal shows
 * far fewer, and a 4096x4096 upload would otherwise hold 64 MiB. */
#define ART_KEEP_SIDE 512

/* The last canvas drawn, reused while the box and mode stay the same
 * (the picture itself never changes). */
struct art_cache {
	caca_canvas_t *cv;
	int cols, rows;
	bool ascii;
	enum picture_color color;
};

struct art {
	struct image img;
	struct art_cache *cache;
};

/* Shrink img by a whole factor (averaging each square of pixels) until
 * it fits ART_KEEP_SIDE. */
static void shrink(struct image *img)
{
	int f = 1;

	while (img->width / f > ART_KEEP_SIDE || img->height / f > ART_KEEP_SIDE)
		f++;
	if (f == 1)
		return;
	int w = img->width / f, h = img->height / f;
	unsigned char *out = xmalloc((size_t)w * h * 4);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 4; c++) {
				unsigned sum = 0;
				for (int dy = 0; dy < f; dy++)
					for (int dx = 0; dx < f; dx++)
						sum += img->rgba[(((size_t)y * f +
							dy) * img->width + (size_t)x *
							f + dx) * 4 + c];
				out[((size_t)y * w + x) * 4 + c] =
					(unsigned char)(sum / ((unsigned)f * f));
			}
	image_clear(img);
	img->rgba = out;
	img->width = w;
	img->height = h;
}

struct art *art_decode(const void *data, size_t len, char **err)
{
	struct art *a = xcalloc(1, sizeof *a);

	if (image_decode(data, len, &a->img, err) < 0) {
		free(a);
		return NULL;
	}
	shrink(&a->img);
	a->cache = xcalloc(1, sizeof *a->cache);
	return a;
}

void art_free(struct art *a)
{
	if (!a)
		return;
	if (a->cache->cv)
		caca_free_canvas(a->cache->cv);
	free(a->cache);
	image_clear(&a->img);
	free(a);
}

/* ---- colours ------------------------------------------------------------ */

/* libcaca's ANSI colours 0-7 (black, blue, green, cyan, red, magenta,
 * brown, light grey) as curses colours; 8-15 are the bright ones. */
static const short caca_curses[8] = {
	COLOR_BLACK, COLOR_BLUE, COLOR_GREEN, COLOR_CYAN,
	COLOR_RED, COLOR_MAGENTA, COLOR_YELLOW, COLOR_WHITE,
};

/* The pairs art uses, at the top of the pair range (the theme's are at
 * the bottom): for each of n foreground colours, one pair per background
 * (n of them and the terminal's own), or, when the terminal has too few
 * pairs for that, one on the terminal's background.  With 8 colours,
 * bright foregrounds are the base colour in bold and bright backgrounds
 * the base colour. */
struct palette {
	int n;		/* 16, or 8 */
	bool bg;	/* backgrounds too */
	int base;	/* first pair */
};

#define THEME_PAIRS (UI_COLOR_COUNT + 1)	/* pair 0 and views/theme.c's */

static short curses_color(int caca, int n)
{
	return (short)(caca_curses[caca & 7] + (n == 16 && caca >= 8 ? 8 : 0));
}

static int palette_size(const struct palette *p)
{
	return p->bg ? p->n * (p->n + 1) : p->n;
}

/* The palette, its pairs set up the first time (and again whenever the
 * terminal was reset); false when there are not enough colours. */
static bool palette_get(struct palette *p)
{
	static const struct { int n; bool bg; } tiers[] = {
		{ 16, true }, { 8, true }, { 16, false }, { 8, false },
	};
	int pairs = (COLOR_PAIRS < 32767 ? COLOR_PAIRS : 32767) - THEME_PAIRS;
	size_t t = 0;

	if (COLORS < 8)
		return false;
	for (; t < sizeof tiers / sizeof tiers[0]; t++) {
		p->n = tiers[t].n;
		p->bg = tiers[t].bg;
		if (p->n <= COLORS && palette_size(p) <= pairs)
			break;
	}
	if (t == sizeof tiers / sizeof tiers[0])
		return false;
	p->base = THEME_PAIRS + pairs - palette_size(p);
	/* the last pair is set last: when it holds what it should, all do */
	short f, b, last = (short)(p->base + palette_size(p) - 1);
	if (pair_content(last, &f, &b) == OK &&
	    f == curses_color(p->n - 1, p->n) && b == -1)
		return true;
	for (int fg = 0; fg < p->n; fg++)
		for (int bg = p->bg ? 0 : p->n; bg <= p->n; bg++)
			init_pair((short)(p->base + (p->bg ? fg * (p->n + 1) +
						     bg : fg)),
				  curses_color(fg, p->n),
				  bg == p->n ? -1 : curses_color(bg, p->n));
	return true;
}

/* The pair and attributes of a canvas cell's colours. */
static short cell_pair(const struct palette *p, uint32_t attr, attr_t *a)
{
	int fg = caca_attr_to_ansi_fg(attr), bg = caca_attr_to_ansi_bg(attr);

	*a = A_NORMAL;
	if (fg > 15)
		fg = 7;		/* default: light grey */
	if (p->n == 8 && fg >= 8) {
		fg -= 8;
		*a = A_BOLD;
	}
	if (!p->bg)
		return (short)(p->base + fg);
	if (bg > 15)
		bg = p->n;	/* default or transparent: the terminal's */
	else if (p->n == 8)
		bg &= 7;
	return (short)(p->base + fg * (p->n + 1) + bg);
}

/* ---- drawing ------------------------------------------------------------ */

static caca_canvas_t *canvas(const struct art *a, int cols, int rows,
			     bool ascii, enum picture_color color)
{
	struct art_cache *c = a->cache;

	if (c->cv && c->cols == cols && c->rows == rows && c->ascii == ascii &&
	    c->color == color)
		return c->cv;
	if (c->cv)
		caca_free_canvas(c->cv);
	c->cv = picture_canvas(&a->img, cols, rows, ascii, color);
	c->cols = cols;
	c->rows = rows;
	c->ascii = ascii;
	c->color = color;
	return c->cv;
}

void art_draw(struct shell *sh, WINDOW *w, int y, int x, int h, int cols,
	      const struct art *a)
{
	struct app *app = shell_app(sh);
	struct palette pal = { 0 };
	int fc, fr;

	/* clip the box to the window */
	if (y < 0 || x < 0 || y >= getmaxy(w) || x >= getmaxx(w))
		return;
	if (h > getmaxy(w) - y)
		h = getmaxy(w) - y;
	if (cols > getmaxx(w) - x)
		cols = getmaxx(w) - x;
	if (h < 1 || cols < 1)
		return;
	wattrset(w, A_NORMAL);
	for (int r = 0; r < h; r++)
		mvwhline(w, y + r, x, ' ', cols);
	if (!a)
		return;
	bool ascii = ui_ascii(sh);
	bool color = !app->no_color && app->cfg.color && has_colors() &&
		     palette_get(&pal);
	enum picture_color mode = !color ? PICTURE_MONO :
				  pal.bg ? PICTURE_FULL : PICTURE_FG;
	picture_fit(a->img.width, a->img.height, cols, h, &fc, &fr);
	caca_canvas_t *cv = canvas(a, fc, fr, ascii, mode);
	if (!cv)
		return;
	int ox = x + (cols - fc) / 2;
	for (int r = 0; r < fr; r++)
		for (int c = 0; c < fc; c++) {
			uint32_t ch = caca_get_char(cv, c, r);
			wchar_t wc[2] = { (wchar_t)(ch >= 0x20 ? ch : ' '), 0 };
			attr_t at = A_NORMAL;
			short pair = 0;
			cchar_t cc;
			if (ascii && ch > 0x7e)
				wc[0] = '#';
			if (color)
				pair = cell_pair(&pal, caca_get_attr(cv, c, r),
						 &at);
			setcchar(&cc, wc, at, pair, NULL);
			mvwadd_wch(w, y + r, ox + c, &cc);
		}
	wattrset(w, A_NORMAL);
}
