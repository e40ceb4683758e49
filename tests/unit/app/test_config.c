/* Unit tests for app/config. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "common/str.h"

static void test_config__parse__settings_binds_colors(void **state)
{
	struct config c;

	config_defaults(&c);
	config_parse(&c, "confab.conf",
		     "# a comment\n"
		     "set region = us\n"
		     "set theme=dark\n"
		     "set sort org\n"
		     "set mouse = no\r\n"
		     "\n"
		     "bind J down   # trailing comment\n"
		     "unbind d\n"
		     "color status white blue\n"
		     "set default_book = \"Work contacts\"\n");
	assert_int_equal(c.nerrors, 0);
	assert_string_equal(c.region, "US");
	assert_string_equal(c.theme, "dark");
	assert_string_equal(c.sort, "org");
	assert_false(c.mouse);
	assert_string_equal(c.default_book, "Work contacts");
	assert_int_equal(c.nbinds, 2);
	assert_string_equal(c.binds[0].key, "J");
	assert_string_equal(c.binds[0].action, "down");
	assert_null(c.binds[1].action);
	assert_int_equal(c.ncolors, 1);
	assert_string_equal(c.colors[0].bg, "blue");
	config_clear(&c);
}

static void test_config__parse__errors_name_line_and_keep_going(void **state)
{
	struct config c;

	config_defaults(&c);
	config_parse(&c, "confab.conf",
		     "set region = ZZ\n"
		     "set frobnicate = 1\n"
		     "set mouse = maybe\n"
		     "launch rockets\n"
		     "bind j\n"
		     "set sort = given\n");
	assert_int_equal(c.nerrors, 5);
	assert_non_null(strstr(c.errors[0], "confab.conf:1:"));
	assert_non_null(strstr(c.errors[0], "ZZ"));
	assert_non_null(strstr(c.errors[1], "unknown setting 'frobnicate'"));
	assert_non_null(strstr(c.errors[2], "yes or no"));
	assert_non_null(strstr(c.errors[3], "confab.conf:4:"));
	assert_non_null(strstr(c.errors[4], "usage: bind"));
	assert_string_equal(c.region, "GB");	/* unchanged by the bad line */
	assert_string_equal(c.sort, "given");	/* later lines still apply */
	config_clear(&c);
}

static void test_config__load__missing_file_is_fine(void **state)
{
	struct config c;

	config_defaults(&c);
	assert_int_equal(config_load(&c, "/nonexistent/confab.conf"), 0);
	assert_int_equal(c.nerrors, 0);
	config_clear(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__parse__settings_binds_colors),
		cmocka_unit_test(test_config__parse__errors_name_line_and_keep_going),
		cmocka_unit_test(test_config__load__missing_file_is_fine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
