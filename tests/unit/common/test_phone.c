/* Unit tests for common/phone: E.164 normalisation and formatting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "common/phone.h"

/* phone_e164(text, region) must give `want` (NULL: not a number). */
static void check(const char *text, const char *region, const char *want)
{
	char *got = phone_e164(text, region);

	if (!want) {
		if (got)
			print_error("phone_e164(\"%s\", %s) = \"%s\", want NULL\n",
				    text ? text : "(null)",
				    region ? region : "(null)", got);
		assert_null(got);
		return;
	}
	if (!got)
		print_error("phone_e164(\"%s\", %s) = NULL, want \"%s\"\n",
			    text ? text : "(null)", region ? region : "(null)",
			    want);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void check_format(const char *e164, const char *want)
{
	char *got = phone_format(e164);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_phone__country_code__lookup(void **state)
{
	assert_string_equal(phone_country_code("GB"), "44");
	assert_string_equal(phone_country_code("us"), "1");
	assert_string_equal(phone_country_code("Pr"), "1");
	assert_string_equal(phone_country_code("JM"), "1");
	assert_string_equal(phone_country_code("RU"), "7");
	assert_string_equal(phone_country_code("KZ"), "7");
	assert_string_equal(phone_country_code("JE"), "44");
	assert_string_equal(phone_country_code("VA"), "39");
	assert_string_equal(phone_country_code("ZW"), "263");
	assert_null(phone_country_code("ZZ"));
	assert_null(phone_country_code(""));
	assert_null(phone_country_code(NULL));
	assert_null(phone_country_code("GBR"));
	assert_true(phone_region_known("de"));
	assert_false(phone_region_known("XX"));
	assert_false(phone_region_known(NULL));
}

static void test_phone__e164__gb_national(void **state)
{
	check("01632 960123", "GB", "+441632960123");
	check("020 7946 0958", "GB", "+442079460958");
	check("  07700 900123  ", "GB", "+447700900123");
	check("(020) 7946-0958", "GB", "+442079460958");
	check("020/7946/0958", "GB", "+442079460958");
	check("020\xc2\xa0" "7946\xc2\xa0" "0958", "GB", "+442079460958");
	check("\xc2\xa0" "020 7946 0958\xc2\xa0", "GB", "+442079460958");
	check("020 7946 0958", "JE", "+442079460958");
}

static void test_phone__e164__gb_optional_zero(void **state)
{
	check("+44 (0)20 7946 0958", "GB", "+442079460958");
	check("+44(0)2079460958", "US", "+442079460958");
	check("+44 ( 0 ) 20 7946 0958", NULL, "+442079460958");
	check("0044 (0)20 7946 0958", "DE", "+442079460958");
	check("+44 020 7946 0958", "GB", "+442079460958");
	check("+49 (0)30 123456", "GB", "+4930123456");
	/* Italy: the 0 is part of the number, "(0)" or not */
	check("+39 (0)6 1234 5678", "GB", "+390612345678");
}

static void test_phone__e164__gb_code_without_plus(void **state)
{
	check("441632960123", "GB", "+441632960123");
	check("44 20 7946 0958", "GB", "+442079460958");
}

static void test_phone__e164__us_formats(void **state)
{
	check("(415) 555-2671", "US", "+14155552671");
	check("415.555.2671", "US", "+14155552671");
	check("415-555-2671", "US", "+14155552671");
	check("1-415-555-2671", "US", "+14155552671");
	check("1 (415) 555-2671", "US", "+14155552671");
	check("+1 415 555 2671", "US", "+14155552671");
	check("+1 415 555 2671", "GB", "+14155552671");
	check("4155552671", "CA", "+14155552671");
	check("876 555 0123", "JM", "+18765550123");
}

static void test_phone__e164__us_bad(void **state)
{
	check("555-2671", "US", NULL);		/* no area code */
	check("415555267", "US", NULL);
	check("0415555267", "US", NULL);	/* area codes start 2-9 */
	check("141555526712", "US", NULL);
	check("+1 015 555 2671", NULL, NULL);
}

static void test_phone__e164__international_prefix(void **state)
{
	check("011 44 20 7946 0958", "US", "+442079460958");
	check("0049 30 123456", "GB", "+4930123456");
	check("00 33 1 23 45 67 89", "ES", "+33123456789");
	check("0011 44 20 7946 0958", "AU", "+442079460958");
	check("010 44 20 7946 0958", "JP", "+442079460958");
	check("810 44 20 7946 0958", "RU", "+442079460958");
	check("00 44 20 7946 0958", "RU", "+442079460958");
	check("00 44 20 7946 0958", "AU", "+442079460958");
	/* 011 means nothing outside NANP */
	check("011 44 20 7946 0958", "DE", NULL);
}

static void test_phone__e164__de_national(void **state)
{
	check("030 123456", "DE", "+4930123456");
	check("0170 1234567", "de", "+491701234567");
	check("491701234567", "DE", "+491701234567");
}

static void test_phone__e164__it_keeps_zero(void **state)
{
	check("06 1234 5678", "IT", "+390612345678");
	check("347 123 4567", "IT", "+393471234567");
	check("0549 123456", "SM", "+3780549123456");
	check("+39 06 1234 5678", "DE", "+390612345678");
	check("0039 06 1234 5678", "GB", "+390612345678");
}

static void test_phone__e164__es_no_trunk(void **state)
{
	check("912 345 678", "ES", "+34912345678");
	check("612 34 56 78", "es", "+34612345678");
	check("34912345678", "ES", "+34912345678");
}

static void test_phone__e164__ru_trunk8(void **state)
{
	check("8 (495) 123-45-67", "RU", "+74951234567");
	check("8 (495) 123-45-67", "KZ", "+74951234567");
	check("(495) 123-45-67", "RU", "+74951234567");
	check("74951234567", "RU", "+74951234567");
	check("+7 495 123 45 67", NULL, "+74951234567");
	check("+7 495 123 45", NULL, NULL);
	check("8 017 123 45 67", "BY", "+375171234567");
}

static void test_phone__e164__other_regions(void **state)
{
	check("01 23 45 67 89", "FR", "+33123456789");
	check("06 1 234 5678", "HU", "+3612345678");
	check("02 9876 5432", "AU", "+61298765432");
	check("03-1234-5678", "JP", "+81312345678");
	check("6123 4567", "SG", "+6561234567");
	check("+683 4002", NULL, "+6834002");	/* Niue: 4-digit numbers */
}

static void test_phone__e164__extension_dropped(void **state)
{
	check("+1 415 555 2671 x123", NULL, "+14155552671");
	check("+1 415 555 2671x123", NULL, "+14155552671");
	check("(415) 555-2671 ext 123", "US", "+14155552671");
	check("(415) 555-2671 ext. 123", "US", "+14155552671");
	check("(415) 555-2671 Ext: 123", "US", "+14155552671");
	check("(415) 555-2671 extension 123", "US", "+14155552671");
	check("+14155552671;ext=123", NULL, "+14155552671");
	check("020 7946 0958 #123", "GB", "+442079460958");
	check("020 7946 0958#", "GB", "+442079460958");
	check("020 7946 0958,,123", "GB", "+442079460958");
}

static void test_phone__e164__tel_uri(void **state)
{
	check("tel:+1-415-555-2671", NULL, "+14155552671");
	check("TEL:+44-20-7946-0958;ext=42", "US", "+442079460958");
	check("tel:020-7946-0958;phone-context=+44", "GB", "+442079460958");
	check("tel:7042;phone-context=example.com", "US", NULL);
}

static void test_phone__e164__vanity(void **state)
{
	check("1-800-FLOWERS", "US", "+18003569377");
	check("1-800-flowers", "US", "+18003569377");
	check("+1 800 GOT JUNK", NULL, "+18004685865");
	check("CALL 0800 123456", "GB", NULL);	/* letters first: not vanity */
	check("123 Main St", "GB", NULL);	/* mixed case: prose */
	check("1-800-Flowers", "US", NULL);
	check("info@example.com", "GB", NULL);
}

static void test_phone__e164__unicode(void **state)
{
	check("\xef\xbc\x8b" "44 20 7946 0958", NULL, "+442079460958");
	check("\xef\xbc\x90\xef\xbc\x92\xef\xbc\x90 7946 0958", "GB",
	      "+442079460958");			/* fullwidth digits */
	check("020\xe2\x80\x93" "7946\xe2\x80\x93" "0958", "GB",
	      "+442079460958");			/* en dashes */
	check("\xe2\x80\xaa+44 20 7946 0958\xe2\x80\xac", NULL,
	      "+442079460958");			/* bidi embedding marks */
}

static void test_phone__e164__garbage(void **state)
{
	check("hello", "GB", NULL);
	check("", "GB", NULL);
	check(NULL, "GB", NULL);
	check("   ", "GB", NULL);
	check("12", "GB", NULL);
	check("n/a", "US", NULL);
	check("N/A", "US", NULL);
	check("12345678901234567890", "GB", NULL);
	check("+12345678901234567890", NULL, NULL);
	check("123456789012345678901234567890123456789", "GB", NULL);
	check("+", NULL, NULL);
	check("+44 20 +7946 0958", NULL, NULL);
	check("020 7946 0958 *", "GB", NULL);
	check("+44 123", NULL, NULL);		/* too short */
	check("+999 1234 5678", NULL, NULL);	/* no such country code */
	check("+0044 20 7946 0958", NULL, NULL);
}

static void test_phone__e164__unknown_region(void **state)
{
	check("+44 20 7946 0958", NULL, "+442079460958");
	check("+44 20 7946 0958", "", "+442079460958");
	check("+44 20 7946 0958", "ZZ", "+442079460958");
	check("0044 20 7946 0958", "ZZ", "+442079460958");
	check("020 7946 0958", NULL, NULL);
	check("020 7946 0958", "", NULL);
	check("020 7946 0958", "ZZ", NULL);
}

static void test_phone__e164__lower_case_region(void **state)
{
	check("020 7946 0958", "gb", "+442079460958");
	check("(415) 555-2671", "us", "+14155552671");
	check("8 (495) 123-45-67", "ru", "+74951234567");
}

static void test_phone__format__groups(void **state)
{
	check_format("+441632960123", "+44 1632 960123");
	check_format("+442079460958", "+44 20 7946 0958");
	check_format("+14155552671", "+1 415 555 2671");
	check_format("+33123456789", "+33 1 23 45 67 89");
	check_format("+4930123456", "+49 3012 3456");
	check_format("+390612345678", "+39 061 234 5678");
	check_format("+6834002", "+683 4002");
	check_format("+74951234567", "+7 495 123 4567");
}

static void test_phone__format__rejects(void **state)
{
	check_format(NULL, NULL);
	check_format("", NULL);
	check_format("441632960123", NULL);
	check_format("+44 1632 960123", NULL);
	check_format("+9991234567", NULL);
	check_format("+4412", NULL);
	check_format("+1234567890123456", NULL);
}

static void test_phone__looks_like__numbers(void **state)
{
	assert_true(phone_looks_like("+44 20 7946 0958"));
	assert_true(phone_looks_like("(415) 555-2671"));
	assert_true(phone_looks_like("020 7946 0958 ext. 12"));
	assert_true(phone_looks_like("tel:+1-415-555-2671"));
	assert_true(phone_looks_like("555-267"));
}

static void test_phone__looks_like__not_numbers(void **state)
{
	assert_false(phone_looks_like(NULL));
	assert_false(phone_looks_like(""));
	assert_false(phone_looks_like("hello"));
	assert_false(phone_looks_like("1-800-FLOWERS"));
	assert_false(phone_looks_like("2671"));
	assert_false(phone_looks_like("2024-01-15"));
	assert_false(phone_looks_like("15.01.2024"));
	assert_false(phone_looks_like("1/15/2024"));
	assert_false(phone_looks_like("+44 20"));
	assert_false(phone_looks_like("bob@example.com"));
	assert_false(phone_looks_like("12345678901234567890"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone__country_code__lookup),
		cmocka_unit_test(test_phone__e164__gb_national),
		cmocka_unit_test(test_phone__e164__gb_optional_zero),
		cmocka_unit_test(test_phone__e164__gb_code_without_plus),
		cmocka_unit_test(test_phone__e164__us_formats),
		cmocka_unit_test(test_phone__e164__us_bad),
		cmocka_unit_test(test_phone__e164__international_prefix),
		cmocka_unit_test(test_phone__e164__de_national),
		cmocka_unit_test(test_phone__e164__it_keeps_zero),
		cmocka_unit_test(test_phone__e164__es_no_trunk),
		cmocka_unit_test(test_phone__e164__ru_trunk8),
		cmocka_unit_test(test_phone__e164__other_regions),
		cmocka_unit_test(test_phone__e164__extension_dropped),
		cmocka_unit_test(test_phone__e164__tel_uri),
		cmocka_unit_test(test_phone__e164__vanity),
		cmocka_unit_test(test_phone__e164__unicode),
		cmocka_unit_test(test_phone__e164__garbage),
		cmocka_unit_test(test_phone__e164__unknown_region),
		cmocka_unit_test(test_phone__e164__lower_case_region),
		cmocka_unit_test(test_phone__format__groups),
		cmocka_unit_test(test_phone__format__rejects),
		cmocka_unit_test(test_phone__looks_like__numbers),
		cmocka_unit_test(test_phone__looks_like__not_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
