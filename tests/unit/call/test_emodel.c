/* Unit tests for call/emodel: the MOS estimate behaves as G.107 says:
 * a clean short call scores near the top, delay and loss bring it down,
 * and it stays within 1..4.5. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "call/emodel.h"

static void test_values(void **state)
{
	(void)state;
	/* no loss, 50 ms: R = 93.2 - 1.2 = 92, MOS about 4.4 */
	assert_true(emodel_r(50, 0) > 91.9 && emodel_r(50, 0) < 92.1);
	assert_true(emodel_mos(50, 0) > 4.3 && emodel_mos(50, 0) <= 4.5);
	/* worse with delay past 177 ms, and with loss */
	assert_true(emodel_mos(300, 0) < emodel_mos(150, 0));
	assert_true(emodel_mos(50, 0.05) < emodel_mos(50, 0.01));
	/* 10% loss: Ie,eff = 95 * 10 / 30 = 31.7, R about 60, MOS ~3.1 */
	double m = emodel_mos(50, 0.10);
	assert_true(m > 2.9 && m < 3.3);
	/* bounds */
	assert_true(emodel_mos(2000, 1.0) >= 1.0);
	assert_true(emodel_mos_from_r(150) == 4.5);
	assert_true(emodel_mos_from_r(-5) == 1.0);
	assert_true(emodel_mos(-10, -1) <= 4.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
