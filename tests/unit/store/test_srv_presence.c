/* Unit tests for store/srv_directory's lapsing presence and store/srv_users'
 * reset codes: a lapse keeps the choice aside and a resume brings it back;
 * an explicit choice drops a kept one; using a code up uses up the rest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/server.h"
#include "common/str.h"

struct fx {
	struct db *db;
	int64_t alice, bob;
};

static int64_t add_user(struct db *db, int64_t company, const char *name)
{
	struct srv_user u = { .company_id = company };
	char *err = NULL;

	u.username = xstrdup(name);
	u.email = xasprintf("%s@acme.test", name);
	assert_int_equal(srv_user_add(db, &u, &err), 0);
	int64_t id = u.id;
	srv_user_clear(&u);
	return id;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *err = NULL;
	int64_t company;

	assert_int_equal(db_open(&f->db, ":memory:", db_server_migrations,
				 db_server_nmigrations, &err), 0);
	assert_int_equal(srv_company_create(f->db, "Acme Ltd", &company), 0);
	f->alice = add_user(f->db, company, "alice");
	f->bob = add_user(f->db, company, "bob");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	free(f);
	return 0;
}

static void expect_state(struct fx *f, int64_t user, enum srv_state want,
			 const char *note)
{
	enum srv_state st;
	char *n;
	int64_t since;

	assert_int_equal(srv_presence_get(f->db, user, &st, &n, &since), 0);
	assert_int_equal(st, want);
	if (note)
		assert_string_equal(n, note);
	else
		assert_null(n);
	free(n);
}

static void test_srv_presence__lapse__keeps_the_choice(void **state)
{
	struct fx *f = *state;

	assert_int_equal(srv_presence_set(f->db, f->alice, ST_BUSY, "a call"),
			 0);
	assert_int_equal(srv_presence_lapse(f->db, f->alice), 1);
	expect_state(f, f->alice, ST_OFFLINE, NULL);
	assert_int_equal(srv_presence_lapse(f->db, f->alice), 0);
	assert_int_equal(srv_presence_resume(f->db, f->alice), 1);
	expect_state(f, f->alice, ST_BUSY, "a call");
	assert_int_equal(srv_presence_resume(f->db, f->alice), 0);
}

static void test_srv_presence__set__drops_a_kept_choice(void **state)
{
	struct fx *f = *state;

	srv_presence_set(f->db, f->alice, ST_DND, "focus");
	srv_presence_lapse(f->db, f->alice);
	assert_int_equal(srv_presence_set(f->db, f->alice, ST_OFFLINE, NULL),
			 0);
	assert_int_equal(srv_presence_resume(f->db, f->alice), 0);
	expect_state(f, f->alice, ST_OFFLINE, NULL);
}

static void test_srv_presence__shown__lists_everyone_not_offline(void **state)
{
	struct fx *f = *state;
	int64_t *ids;
	size_t n;

	srv_presence_set(f->db, f->alice, ST_AWAY, NULL);
	srv_presence_set(f->db, f->bob, ST_OFFLINE, NULL);
	assert_int_equal(srv_presence_shown(f->db, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], f->alice);
	free(ids);
	srv_presence_lapse(f->db, f->alice);
	assert_int_equal(srv_presence_shown(f->db, &ids, &n), 0);
	assert_int_equal(n, 0);
	free(ids);
}

static void test_srv_users__reset_drop__uses_up_every_code(void **state)
{
	struct fx *f = *state;
	uint8_t h1[32], h2[32], h3[32];
	int64_t now = (int64_t)time(NULL), uid;

	memset(h1, 1, sizeof h1);
	memset(h2, 2, sizeof h2);
	memset(h3, 3, sizeof h3);
	srv_reset_add(f->db, f->alice, h1, now + 60);
	srv_reset_add(f->db, f->alice, h2, now + 60);
	srv_reset_add(f->db, f->bob, h3, now + 60);
	assert_int_equal(srv_reset_take(f->db, h1, now, &uid), 0);
	assert_int_equal(uid, f->alice);
	assert_int_equal(srv_reset_drop_user(f->db, f->alice), 0);
	assert_int_not_equal(srv_reset_take(f->db, h2, now, &uid), 0);
	assert_int_equal(srv_reset_take(f->db, h3, now, &uid), 0);
	assert_int_equal(uid, f->bob);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_srv_presence__lapse__keeps_the_choice),
		T(test_srv_presence__set__drops_a_kept_choice),
		T(test_srv_presence__shown__lists_everyone_not_offline),
		T(test_srv_users__reset_drop__uses_up_every_code),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
