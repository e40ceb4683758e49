/* app/picture: dithering pictures into libcaca canvases, and the text
 * of one (see app/picture.h). */
#include "app/picture.h"
#include "common/image.h"
#include "common/str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void picture_fit(int width, int height, int max_cols, int max_rows,
		 int *cols, int *rows)
{
	long c = max_cols > 0 ? max_cols : 1, r;

	if (width < 1)
		width = 1;
	if (height < 1)
		height = 1;
	r = (c * height + (long)width * PICTURE_CELL_ASPECT / 2) /
	    ((long)width * PICTURE_CELL_ASPECT);
	if (max_rows > 0 && r > max_rows) {
		r = max_rows;
		c = (r * width * PICTURE_CELL_ASPECT + height / 2) / height;
		if (c > max_cols)
			c = max_cols;
	}
	*cols = c < 1 ? 1 : (int)c;
	*rows = r < 1 ? 1 : (int)r;
}

caca_canvas_t *picture_canvas(const struct image *img, int cols, int rows,
			      bool ascii, enum picture_color color)
{
	caca_canvas_t *cv;
	caca_dither_t *d;
	/* RGBA bytes, read by libcaca as native 32-bit words */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint32_t rm = 0xff, gm = 0xff00, bm = 0xff0000, am = 0xff000000;
#else
	const uint32_t rm = 0xff000000, gm = 0xff0000, bm = 0xff00, am = 0xff;
#endif

	if (!img || !img->rgba || cols < 1 || rows < 1)
		return NULL;
	if (!(cv = caca_create_canvas(cols, rows)))
		return NULL;
	d = caca_create_dither(32, img->width, img->height, img->width * 4,
			       rm, gm, bm, am);
	if (!d) {
		caca_free_canvas(cv);
		return NULL;
	}
	caca_set_dither_charset(d, ascii ? "ascii" : "shades");
	caca_set_dither_color(d, color == PICTURE_FULL ? "full16" :
			      color == PICTURE_FG ? "16" : "mono");
	caca_set_color_ansi(cv, CACA_DEFAULT, CACA_TRANSPARENT);
	caca_clear_canvas(cv);
	caca_dither_bitmap(cv, 0, 0, cols, rows, d, img->rgba);
	caca_free_dither(d);
	return cv;
}

char *picture_text(caca_canvas_t *cv, bool color, size_t *len)
{
	struct sbuf b;

	if (color) {
		size_t n = 0;
		void *t = caca_export_canvas_to_memory(cv, "utf8", &n);
		char *s = xmalloc(n + 1);
		if (t)
			memcpy(s, t, n);
		else
			n = 0;
		s[n] = '\0';
		free(t);
		*len = n;
		return s;
	}
	sbuf_init(&b);
	for (int y = 0; y < caca_get_canvas_height(cv); y++) {
		for (int x = 0; x < caca_get_canvas_width(cv); x++) {
			char u[8];
			uint32_t ch = caca_get_char(cv, x, y);
			size_t n = caca_utf32_to_utf8(u, ch ? ch : ' ');
			sbuf_addn(&b, u, n);
		}
		sbuf_addc(&b, '\n');
	}
	*len = b.len;
	return sbuf_take(&b);
}
