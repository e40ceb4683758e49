/* Unit tests for common/str: sbuf, string helpers, UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"

static void test_str__sbuf_add__appends(void **state)
{
	struct sbuf b;

	sbuf_init(&b);
	assert_string_equal(sbuf_str(&b), "");
	sbuf_add(&b, "hello");
	sbuf_addc(&b, ',');
	sbuf_addn(&b, " world!!!", 6);
	sbuf_add(&b, NULL);
	assert_string_equal(sbuf_str(&b), "hello, world");
	assert_int_equal(b.len, 12);
	sbuf_reset(&b);
	assert_string_equal(sbuf_str(&b), "");
	assert_int_equal(b.len, 0);
	sbuf_free(&b);
	sbuf_free(&b);		/* a freed buffer is an empty one */
}

static void test_str__sbuf_add__grows(void **state)
{
	struct sbuf b;
	char want[1001];

	sbuf_init(&b);
	for (int i = 0; i < 1000; i++) {
		sbuf_addc(&b, (char)('a' + i % 26));
		want[i] = (char)('a' + i % 26);
	}
	want[1000] = '\0';
	assert_int_equal(b.len, 1000);
	assert_true(b.cap > 1000);
	assert_string_equal(b.s, want);
	sbuf_free(&b);
}

static void test_str__sbuf_printf__formats(void **state)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_printf(&b, "%s=%d", "n", 42);
	sbuf_printf(&b, "; %05.1f", 3.14159);
	sbuf_printf(&b, "%s", "");
	assert_string_equal(sbuf_str(&b), "n=42; 003.1");
	assert_int_equal(b.len, strlen("n=42; 003.1"));
	/* longer than the first allocation */
	sbuf_printf(&b, "%200s|", "x");
	assert_int_equal(b.len, 11 + 201);
	assert_string_equal(b.s + b.len - 2, "x|");
	sbuf_free(&b);
}

static void test_str__sbuf_take__hands_over(void **state)
{
	struct sbuf b;
	char *s;

	sbuf_init(&b);
	s = sbuf_take(&b);		/* empty: "" not NULL */
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);

	sbuf_add(&b, "abc");
	s = sbuf_take(&b);
	assert_string_equal(s, "abc");
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_string_equal(sbuf_str(&b), "");
	sbuf_add(&b, "def");		/* the buffer is usable again */
	assert_string_equal(sbuf_str(&b), "def");
	assert_string_equal(s, "abc");
	free(s);
	sbuf_free(&b);
}

static void test_str__xasprintf__formats(void **state)
{
	char *s = xasprintf("%s-%u", "id", 7u);

	assert_string_equal(s, "id-7");
	free(s);
	assert_null(xstrdup(NULL));
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
}

static void test_str__set__replaces(void **state)
{
	char *s = NULL;

	str_set(&s, "one");
	assert_string_equal(s, "one");
	str_set(&s, "two");
	assert_string_equal(s, "two");
	str_set(&s, s);			/* aliasing its own value is fine */
	assert_string_equal(s, "two");
	str_set(&s, NULL);
	assert_null(s);
}

static void test_str__compare__helpers(void **state)
{
	assert_true(str_empty(NULL));
	assert_true(str_empty(""));
	assert_false(str_empty(" "));
	assert_true(str_eq(NULL, ""));
	assert_true(str_eq("a", "a"));
	assert_false(str_eq("a", "A"));
	assert_true(str_ieq("Hello", "hELLO"));
	assert_true(str_ieq(NULL, NULL));
	assert_true(str_istarts("TEL:+44", "tel:"));
	assert_false(str_istarts("te", "tel:"));
}

static void test_str__trim__whitespace(void **state)
{
	char a[] = "  hello world \t\r\n";
	char b[] = "   ";
	char c[] = "";
	char d[] = "x";
	char e[] = "\tx y\n";

	assert_string_equal(str_trim(a), "hello world");
	assert_string_equal(str_trim(b), "");
	assert_string_equal(str_trim(c), "");
	assert_string_equal(str_trim(d), "x");
	assert_ptr_equal(str_trim(e), e);
	assert_string_equal(e, "x y");
}

static void test_str__fold__unicode(void **state)
{
	char *s = str_fold("\xc3\x84" "BC \xc3\x9c" "n\xc3\xaf" "code");

	assert_string_equal(s, "\xc3\xa4" "bc \xc3\xbc" "n\xc3\xaf" "code");
	free(s);
	s = str_fold("ASCII Only 123");
	assert_string_equal(s, "ascii only 123");
	free(s);
	s = str_fold("");
	assert_string_equal(s, "");
	free(s);
	/* invalid bytes pass through */
	s = str_fold("A\xff" "B");
	assert_string_equal(s, "a\xff" "b");
	free(s);
}

static void test_str__digits__keeps_digits(void **state)
{
	char *s = str_digits("+44 (0)20 7946-0958");

	assert_string_equal(s, "440207946" "0958");
	free(s);
	s = str_digits("no digits");
	assert_string_equal(s, "");
	free(s);
	s = str_digits(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_str__utf8_valid__good(void **state)
{
	static const char *const good[] = {
		"",
		"plain ascii",
		"caf\xc3\xa9",				/* é */
		"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",	/* 王小明 */
		"\xe2\x82\xac",				/* € */
		"\xf0\x9f\x98\x80",			/* U+1F600 */
		"\xef\xbf\xbf",				/* U+FFFF */
		"\xf4\x8f\xbf\xbf",			/* U+10FFFF */
	};

	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(utf8_valid(good[i], strlen(good[i])));
	/* the length bounds the check: a NUL inside is a character */
	assert_true(utf8_valid("a\0b", 3));
}

static void test_str__utf8_valid__bad(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf",			/* overlong '/' */
		"\xc1\xbf",			/* overlong */
		"\xe0\x80\xaf",			/* overlong, 3 bytes */
		"\xf0\x80\x80\xaf",		/* overlong, 4 bytes */
		"\xed\xa0\x80",			/* surrogate U+D800 */
		"\xed\xbf\xbf",			/* surrogate U+DFFF */
		"\xf4\x90\x80\x80",		/* U+110000 */
		"\x80",				/* lone continuation */
		"\xc3",				/* truncated */
		"\xe2\x82",			/* truncated */
		"\xc3\x28",			/* bad continuation */
		"\xff",
		"\xfe",
		"\xf8\x88\x80\x80\x80",		/* 5-byte form */
		"ok\xe9",			/* Latin-1 é */
	};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (utf8_valid(bad[i], strlen(bad[i])))
			print_error("bad[%zu] accepted\n", i);
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
	}
	/* a valid string cut in the middle of a character */
	assert_false(utf8_valid("\xe2\x82\xac", 2));
}

static void test_str__utf8_width__cells(void **state)
{
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e"), 6);
	assert_int_equal(utf8_width("\xc3\xa9"), 1);		/* precomposed é */
	assert_int_equal(utf8_width("e\xcc\x81"), 1);		/* e + combining acute */
	assert_int_equal(utf8_width("a\xff" "b"), 3);		/* invalid byte: 1 */
}

static void test_str__utf8_fit__whole_chars(void **state)
{
	const char *wang = "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e";	/* 王小明 */
	int used = -1;

	assert_int_equal(utf8_fit(wang, 3, &used), 3);	/* 王 only */
	assert_int_equal(used, 2);
	assert_int_equal(utf8_fit(wang, 4, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(utf8_fit(wang, 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(utf8_fit(wang, 100, &used), 9);
	assert_int_equal(used, 6);

	assert_int_equal(utf8_fit("a\xc3\xa9z", 2, &used), 3);	/* "aé" */
	assert_int_equal(used, 2);
	assert_int_equal(utf8_fit("abc", 0, &used), 0);
	assert_int_equal(utf8_fit("abc", 2, NULL), 2);
}

static void test_str__utf8_from_charset__converts(void **state)
{
	char *s = utf8_from_charset("\x80\xe9", 2, "WINDOWS-1252");

	assert_non_null(s);
	assert_string_equal(s, "\xe2\x82\xac\xc3\xa9");		/* €é */
	free(s);
	s = utf8_from_charset("caf\xe9", 4, "ISO-8859-1");
	assert_string_equal(s, "caf\xc3\xa9");
	free(s);
	s = utf8_from_charset("", 0, "ISO-8859-1");
	assert_string_equal(s, "");
	free(s);
	/* longer than the internal chunk: 2000 x é */
	char in[2000];
	memset(in, 0xe9, sizeof in);
	s = utf8_from_charset(in, sizeof in, "ISO-8859-1");
	assert_int_equal(strlen(s), 4000);
	assert_true(utf8_valid(s, 4000));
	free(s);
}

static void test_str__utf8_from_charset__unknown(void **state)
{
	assert_null(utf8_from_charset("abc", 3, "NO-SUCH-CHARSET"));
}

static void test_str__utf8_from_charset__undecodable(void **state)
{
	/* 0x81 is unassigned in WINDOWS-1252: U+FFFD, and the rest goes on */
	char *s = utf8_from_charset("a\x81" "b", 3, "WINDOWS-1252");

	assert_non_null(s);
	assert_true(utf8_valid(s, strlen(s)));
	assert_int_equal(s[0], 'a');
	assert_int_equal(s[strlen(s) - 1], 'b');
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str__sbuf_add__appends),
		cmocka_unit_test(test_str__sbuf_add__grows),
		cmocka_unit_test(test_str__sbuf_printf__formats),
		cmocka_unit_test(test_str__sbuf_take__hands_over),
		cmocka_unit_test(test_str__xasprintf__formats),
		cmocka_unit_test(test_str__set__replaces),
		cmocka_unit_test(test_str__compare__helpers),
		cmocka_unit_test(test_str__trim__whitespace),
		cmocka_unit_test(test_str__fold__unicode),
		cmocka_unit_test(test_str__digits__keeps_digits),
		cmocka_unit_test(test_str__utf8_valid__good),
		cmocka_unit_test(test_str__utf8_valid__bad),
		cmocka_unit_test(test_str__utf8_width__cells),
		cmocka_unit_test(test_str__utf8_fit__whole_chars),
		cmocka_unit_test(test_str__utf8_from_charset__converts),
		cmocka_unit_test(test_str__utf8_from_charset__unknown),
		cmocka_unit_test(test_str__utf8_from_charset__undecodable),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
