/* Unit tests for views/keys and the command line's completion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "views/cmdline.h"
#include "views/keys.h"
#include "common/str.h"

static void test_keys__parse__names(void **state)
{
	assert_int_equal(keys_parse("j"), 'j');
	assert_int_equal(keys_parse("C-l"), 12);
	assert_int_equal(keys_parse("^L"), 12);
	assert_int_equal(keys_parse("<Down>"), KEY_DOWN);
	assert_int_equal(keys_parse("<pagedown>"), KEY_NPAGE);
	assert_int_equal(keys_parse("<F5>"), KEY_F(5));
	assert_int_equal(keys_parse("<Space>"), ' ');
	assert_int_equal(keys_parse("<Nope>"), -1);
	assert_int_equal(keys_parse("jj"), -1);
	assert_string_equal(keys_name(KEY_DOWN), "Down");
	assert_string_equal(keys_name(12), "C-l");
}

static void test_keys__table__names_unique_per_context(void **state)
{
	for (size_t i = 0; i < keys_count; i++) {
		assert_non_null(keys_table[i].help);
		for (size_t j = i + 1; j < keys_count; j++)
			if (keys_table[i].ctx == keys_table[j].ctx &&
			    strcmp(keys_table[i].name, keys_table[j].name) == 0)
				fail_msg("%s twice in one context",
					 keys_table[i].name);
		/* every default key must parse */
		char *k = xstrdup(keys_table[i].keys);
		for (char *s, *t = strtok_r(k, " ", &s); t;
		     t = strtok_r(NULL, " ", &s))
			if (keys_parse(t) < 0)
				fail_msg("bad default key %s", t);
		free(k);
	}
}

static void test_keymap__bind__config_overrides_defaults(void **state)
{
	struct config c;
	char **errs = NULL;
	size_t n = 0;

	config_defaults(&c);
	config_parse(&c, "t", "bind J down\nunbind d\nbind x nosuch\n"
			      "bind <Bogus> up\n");
	struct keymap *km = keymap_new(&c, &errs, &n);
	assert_int_equal(keymap_lookup(km, CTX_LIST, 'J'), A_DOWN);
	assert_int_equal(keymap_lookup(km, CTX_LIST, 'j'), A_DOWN);
	assert_int_equal(keymap_lookup(km, CTX_CONTACTS, 'd'), A_NONE);
	assert_int_equal(keymap_lookup(km, CTX_CONTACTS, 'a'), A_CONTACT_ADD);
	assert_int_equal(n, 2);
	assert_non_null(strstr(errs[0], "unknown action 'nosuch'"));
	assert_non_null(strstr(errs[1], "unknown key '<Bogus>'"));
	assert_non_null(strstr(keymap_keys_of(km, CTX_LIST, A_DOWN), "J"));
	assert_null(strstr(keymap_keys_of(km, CTX_LIST, A_DOWN), "Enter"));
	for (size_t i = 0; i < n; i++)
		free(errs[i]);
	free(errs);
	keymap_free(km);
	config_clear(&c);
}

static void test_cmdline__complete__actions_settings_commands(void **state)
{
	char **v = cmdline_complete("add-co");
	assert_non_null(v[0]);
	assert_string_equal(v[0], "add-contact");
	assert_null(v[1]);
	cmdline_strv_free(v);
	v = cmdline_complete("add-c");	/* add-contact, add-crm-record */
	assert_non_null(v[1]);
	assert_null(v[2]);
	cmdline_strv_free(v);
	v = cmdline_complete("set reg");
	assert_string_equal(v[0], "set region");
	cmdline_strv_free(v);
	v = cmdline_complete("books re");
	assert_string_equal(v[0], "books rename");
	assert_string_equal(v[1], "books remove");
	assert_null(v[2]);
	cmdline_strv_free(v);
	v = cmdline_complete("zzz");
	assert_null(v[0]);
	cmdline_strv_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys__parse__names),
		cmocka_unit_test(test_keys__table__names_unique_per_context),
		cmocka_unit_test(test_keymap__bind__config_overrides_defaults),
		cmocka_unit_test(test_cmdline__complete__actions_settings_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
