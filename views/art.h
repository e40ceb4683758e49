/* views/art: pictures (profile photos, company logos) drawn as character
 * art in a curses window.
 *
 * art_decode checks and decodes PNG or JPEG bytes (common/image.c,
 * stb_image, bounded); art_draw dithers the picture with libcaca onto a
 * canvas of the box's size (app/picture.c, the same art `confab profile
 * photo --show` prints) and copies each cell's character and colour into
 * the window: libcaca's 16 ANSI colours become curses colour pairs, set
 * up once.  Without colours (a monochrome terminal, `color = false`,
 * --no-color) only the characters are drawn, and in ASCII mode
 * (ui_ascii) libcaca's ASCII characters are used instead of shades.
 */
#ifndef CONFAB_VIEWS_ART_H
#define CONFAB_VIEWS_ART_H

#include <curses.h>
#include <stddef.h>

struct shell;
struct art;

/* The picture in data (PNG or JPEG), or NULL with *err a new message
 * saying what is wrong with it. */
struct art *art_decode(const void *data, size_t len, char **err);
/* Draw a into the h x cols box at (y, x) of w: the box is cleared, and
 * the picture fitted into it keeping its aspect ratio (a cell is about
 * twice as tall as wide), at the top of the box and centred across it.
 * a NULL only clears the box. */
void art_draw(struct shell *sh, WINDOW *w, int y, int x, int h, int cols,
	      const struct art *a);
void art_free(struct art *a);

#endif
