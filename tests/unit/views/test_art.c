/* Unit tests for views/art: pictures drawn into a curses window (on a
 * terminal written to /dev/null), fitted with their aspect ratio, in
 * colour pairs or as characters alone, ASCII in ASCII mode.  The shell's
 * two services art uses are stubbed here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "views/art.h"
#include "views/ui.h"
#include "common/str.h"

static struct app test_app;
static bool test_ascii;

struct app *shell_app(struct shell *sh)
{
	return &test_app;
}

bool ui_ascii(struct shell *sh)
{
	return test_ascii;
}

static SCREEN *scr;
static FILE *out, *in;

static int setup(void **state)
{
	setlocale(LC_ALL, "C.UTF-8");
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	scr = newterm("xterm-256color", out, in);
	if (!scr)
		return -1;
	start_color();
	use_default_colors();
	return 0;
}

static int teardown(void **state)
{
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	return 0;
}

static struct art *load(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];
	char *err = NULL;

	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct art *a = art_decode(buf, n, &err);
	assert_null(err);
	assert_non_null(a);
	return a;
}

/* Cells at (y, x): its character and colour pair. */
static void cell(WINDOW *w, int y, int x, wchar_t *ch, short *pair)
{
	cchar_t cc;
	attr_t at;
	wchar_t s[CCHARW_MAX + 1];

	mvwin_wch(w, y, x, &cc);
	getcchar(&cc, s, &at, pair, NULL);
	*ch = s[0];
}

/* tests/data/photo.jpg is 48x32: 40 columns wide it is 13 rows high. */
static void test_art__draw__fits_keeping_aspect(void **state)
{
	struct art *a = load("tests/data/photo.jpg");
	WINDOW *w = newwin(20, 50, 0, 0);
	int used = 0, below = 0;

	test_app.cfg.color = true;
	test_ascii = false;
	mvwhline(w, 15, 5, 'x', 40);	/* art clears its whole box */
	art_draw(NULL, w, 1, 5, 18, 40, a);
	for (int y = 0; y < 20; y++)
		for (int x = 0; x < 50; x++) {
			wchar_t ch;
			short pair;
			cell(w, y, x, &ch, &pair);
			bool in_art = y >= 1 && y < 14 && x >= 5 && x < 45;
			if (in_art && pair > 0)
				used++;
			if (!in_art && (ch != ' ' || pair != 0))
				below++;
		}
	assert_int_equal(below, 0);	/* nothing outside 40x13 */
	assert_int_equal(used, 40 * 13);	/* every cell coloured */
	delwin(w);
	art_free(a);
}

static void test_art__draw__ascii_without_colour(void **state)
{
	struct art *a = load("tests/data/photo.jpg");
	WINDOW *w = newwin(6, 30, 0, 0);
	int marks = 0;

	test_app.cfg.color = false;
	test_ascii = true;
	/* 30 columns would take 10 rows: the 6 rows bound it to 18x6,
	 * centred across the box (columns 6 to 23) */
	art_draw(NULL, w, 0, 0, 6, 30, a);
	for (int y = 0; y < 6; y++)
		for (int x = 0; x < 30; x++) {
			wchar_t ch;
			short pair;
			cell(w, y, x, &ch, &pair);
			assert_int_equal(pair, 0);
			assert_true(ch >= ' ' && ch < 0x7f);
			if (x < 6 || x >= 24)
				assert_int_equal(ch, ' ');
			else
				marks += ch != ' ';
		}
	assert_true(marks > 18 * 6 / 2);	/* a bright picture: dense */
	delwin(w);
	art_free(a);
}

/* "xterm" has 8 colours and 64 pairs: too few for every background, so
 * art colours the characters alone, on the terminal's background. */
static void test_art__draw__few_pairs_foreground_only(void **state)
{
	FILE *o2 = fopen("/dev/null", "w"), *i2 = fopen("/dev/null", "r");
	SCREEN *s2 = newterm("xterm", o2, i2);
	struct art *a = load("tests/data/photo.jpg");
	int coloured = 0;

	assert_non_null(s2);
	start_color();
	use_default_colors();
	assert_int_equal(COLORS, 8);
	WINDOW *w = newwin(8, 24, 0, 0);
	test_app.cfg.color = true;
	test_ascii = false;
	art_draw(NULL, w, 0, 0, 8, 24, a);
	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 24; x++) {
			wchar_t ch;
			short pair, f, b;
			cell(w, y, x, &ch, &pair);
			if (!pair)
				continue;
			coloured++;
			assert_true(pair >= COLOR_PAIRS - 8);
			assert_int_equal(pair_content(pair, &f, &b), OK);
			assert_int_equal(b, -1);
			assert_true(f >= 0 && f < 8);
		}
	assert_true(coloured > 24 * 8 / 2);
	delwin(w);
	art_free(a);
	endwin();
	delscreen(s2);
	set_term(scr);
	fclose(o2);
	fclose(i2);
}

static void test_art__decode__refuses_what_is_not_a_picture(void **state)
{
	char *err = NULL;

	assert_null(art_decode("GIF89a....", 10, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "not a PNG or JPEG"));
	free(err);
	art_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_art__draw__fits_keeping_aspect),
		cmocka_unit_test(test_art__draw__ascii_without_colour),
		cmocka_unit_test(test_art__draw__few_pairs_foreground_only),
		cmocka_unit_test(test_art__decode__refuses_what_is_not_a_picture),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
