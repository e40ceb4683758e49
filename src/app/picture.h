/* app/picture: pictures (profile photos, company logos) as character
 * art, with libcaca.
 *
 * The one place the client dithers a picture: `confab profile photo
 * --show` prints picture_text(), and the TUI (views/art.c) copies the
 * same canvas into a curses window, so both show the same art.  Pictures
 * are decoded by common/image.c (stb_image, bounded).
 */
#ifndef CONFAB_APP_PICTURE_H
#define CONFAB_APP_PICTURE_H

#include <caca.h>
#include <stdbool.h>
#include <stddef.h>

struct image;

/* Terminal cells are about twice as tall as they are wide. */
#define PICTURE_CELL_ASPECT 2

/* The size in cells of a width x height picture fitted into max_cols x
 * max_rows, keeping its aspect ratio (at least 1 x 1). */
void picture_fit(int width, int height, int max_cols, int max_rows,
		 int *cols, int *rows);

/* How a canvas uses colour. */
enum picture_color {
	PICTURE_MONO,	/* characters alone, denser where brighter */
	PICTURE_FG,	/* libcaca's 16 ANSI colours, foreground only */
	PICTURE_FULL,	/* 16 colours, foreground and background */
};

/* A new cols x rows canvas with img dithered onto it: ASCII characters
 * when `ascii` (else Unicode shades), coloured as `color` says.  NULL
 * when libcaca fails; caca_free_canvas() it. */
caca_canvas_t *picture_canvas(const struct image *img, int cols, int rows,
			      bool ascii, enum picture_color color);

/* The canvas as text, every line ending in \n: with `color`, libcaca's
 * export with ANSI colour escapes ("utf8"); without, the characters
 * alone.  New string (*len bytes, NUL-terminated). */
char *picture_text(caca_canvas_t *cv, bool color, size_t *len);

#endif
