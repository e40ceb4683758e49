/* Unit tests for views/textarea: wrapping and multi-line editing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "views/textarea.h"

static void lines_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_textarea__wrap__at_spaces(void **state)
{
	char **v = NULL;
	size_t n = 0;

	text_wrap("the quick brown fox jumps", 10, &v, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "the quick ");
	assert_string_equal(v[1], "brown fox ");
	assert_string_equal(v[2], "jumps");
	lines_free(v, n);
}

static void test_textarea__wrap__long_word_and_paragraphs(void **state)
{
	char **v = NULL;
	size_t n = 0;

	text_wrap("abcdefghij\n\nxy", 4, &v, &n);
	assert_int_equal(n, 5);
	assert_string_equal(v[0], "abcd");
	assert_string_equal(v[1], "efgh");
	assert_string_equal(v[2], "ij");
	assert_string_equal(v[3], "");
	assert_string_equal(v[4], "xy");
	lines_free(v, n);
}

static void test_textarea__wrap__wide_characters(void **state)
{
	char **v = NULL;
	size_t n = 0;

	/* four cells a pair: two per row of width 4 */
	text_wrap("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, &v, &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "\xe6\x97\xa5\xe6\x9c\xac");
	assert_string_equal(v[1], "\xe8\xaa\x9e");
	lines_free(v, n);
}

static void type(struct textarea *t, const char *s)
{
	bool ch;
	int leave;

	for (; *s; s++)
		textarea_key(t, 0, (wint_t)(unsigned char)*s, true, &ch,
			     &leave);
}

static void key(struct textarea *t, int code, int *leave)
{
	bool ch;
	int l;

	textarea_key(t, code, 0, false, &ch, leave ? leave : &l);
}

static void test_textarea__keys__split_and_join(void **state)
{
	struct textarea t;
	char *s;

	textarea_init(&t, "");
	type(&t, "abc");
	key(&t, '\n', NULL);
	type(&t, "def");
	s = textarea_text(&t);
	assert_string_equal(s, "abc\ndef");
	free(s);
	key(&t, KEY_HOME, NULL);
	key(&t, KEY_BACKSPACE, NULL);	/* joins the lines */
	type(&t, "-");
	s = textarea_text(&t);
	assert_string_equal(s, "abc-def");
	free(s);
	key(&t, KEY_LEFT, NULL);
	key(&t, '\n', NULL);		/* splits at the cursor */
	s = textarea_text(&t);
	assert_string_equal(s, "abc\n-def");
	free(s);
	textarea_free(&t);
}

static void test_textarea__keys__up_down_leave(void **state)
{
	struct textarea t;
	int leave = 0;

	textarea_init(&t, "one\ntwo");
	key(&t, KEY_DOWN, &leave);
	assert_int_equal(leave, 1);	/* the last line: out below */
	key(&t, KEY_UP, &leave);
	assert_int_equal(leave, 0);
	assert_int_equal(t.cur, 0);
	key(&t, KEY_UP, &leave);
	assert_int_equal(leave, -1);	/* the first line: out above */
	textarea_free(&t);
}

static void test_textarea__set__tabs_and_crlf(void **state)
{
	struct textarea t;
	char *s;

	textarea_init(&t, "a\tb\r\nc");
	s = textarea_text(&t);
	assert_string_equal(s, "a    b\nc");
	free(s);
	assert_false(textarea_empty(&t));
	textarea_set(&t, "  \n ");
	assert_true(textarea_empty(&t));
	textarea_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_textarea__wrap__at_spaces),
		cmocka_unit_test(test_textarea__wrap__long_word_and_paragraphs),
		cmocka_unit_test(test_textarea__wrap__wide_characters),
		cmocka_unit_test(test_textarea__keys__split_and_join),
		cmocka_unit_test(test_textarea__keys__up_down_leave),
		cmocka_unit_test(test_textarea__set__tabs_and_crlf),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
