/* Unit tests for store/calls: the call log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/books.h"
#include "store/calls.h"
#include "store/contacts.h"
#include "store/db.h"
#include "common/str.h"

struct fx {
	char dir[64];
	char *path;
	struct db *db;
	int64_t book;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *err = NULL;

	strcpy(f->dir, "/tmp/confab-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = xasprintf("%s/confab.db", f->dir);
	assert_int_equal(db_open(&f->db, f->path, db_client_migrations,
				 db_client_nmigrations, &err), 0);
	assert_int_equal(books_default(f->db, &f->book), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	db_close(f->db);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

static int64_t add_contact(struct fx *f, const char *given,
			   const char *family, const char *phone)
{
	struct contact *c = contact_new();
	char *err = NULL;

	c->given = xstrdup(given);
	c->family = xstrdup(family);
	contact_add_field(c, CF_PHONE, "work", phone);
	c->book_id = f->book;
	assert_int_equal(contacts_save(f->db, c, "GB", &err), 0);
	int64_t id = c->id;
	contact_free(c);
	return id;
}

/* Store a call; returns its id (asserts it was accepted). */
static int64_t add_call(struct fx *f, enum call_kind kind, enum call_dir dir,
			const char *peer, enum call_outcome outcome,
			int64_t started, int64_t duration)
{
	struct call_entry e = { 0 };
	char *err = NULL;

	e.kind = kind;
	e.dir = dir;
	e.peer = xstrdup(peer);
	e.outcome = outcome;
	e.started = started;
	e.duration = duration;
	assert_int_equal(calls_add(f->db, &e, "GB", &err), 0);
	assert_null(err);
	int64_t id = e.id;
	assert_true(id > 0);
	calls_entry_clear(&e);
	return id;
}

/* calls_add's error for e, which must be refused. */
static void assert_refused(struct fx *f, struct call_entry *e,
			   const char *want)
{
	char *err = NULL;

	assert_int_equal(calls_add(f->db, e, "GB", &err), -EINVAL);
	assert_non_null(err);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	free(err);
	assert_int_equal(e->id, 0);
}

static void test_calls__add__round_trips_every_field(void **state)
{
	struct fx *f = *state;
	struct call_entry e = { 0 }, *g;
	char *err = NULL;

	e.kind = CALL_PHONE;
	e.dir = CALL_OUT;
	e.peer = xstrdup("020 7946 0958");	/* national form */
	e.peer_name = xstrdup("Reception");
	e.started = 1700000000;
	e.duration = 192;
	e.outcome = CALL_ANSWERED;
	e.has_cost = true;
	e.cost_cents = 12;
	e.currency = xstrdup("GBP");
	e.has_quality = true;
	e.loss = 0.015;
	e.jitter_ms = 12;
	e.rtt_ms = 80;
	e.mos = 4.2;
	assert_int_equal(calls_add(f->db, &e, "GB", &err), 0);
	assert_string_equal(e.peer, "+442079460958");
	assert_non_null(e.uid);
	assert_true(e.seen);
	assert_int_equal(calls_get(f->db, e.id, &g), 0);
	assert_int_equal(g->kind, CALL_PHONE);
	assert_int_equal(g->dir, CALL_OUT);
	assert_string_equal(g->peer, "+442079460958");
	assert_string_equal(g->peer_name, "Reception");
	assert_string_equal(g->uid, e.uid);
	assert_int_equal(g->started, 1700000000);
	assert_int_equal(g->duration, 192);
	assert_int_equal(g->outcome, CALL_ANSWERED);
	assert_true(g->has_cost);
	assert_int_equal(g->cost_cents, 12);
	assert_string_equal(g->currency, "GBP");
	assert_true(g->has_quality);
	assert_true(g->loss > 0.0149 && g->loss < 0.0151);
	assert_true(g->mos > 4.19 && g->mos < 4.21);
	assert_int_equal(g->contact_id, 0);
	assert_null(g->contact_name);
	assert_string_equal(calls_display_name(g), "Reception");
	calls_entry_free(g);
	calls_entry_clear(&e);
	assert_int_equal(calls_get(f->db, 999, &g), -ENOENT);
	assert_null(g);
}

static void test_calls__add__refuses_bad_fields(void **state)
{
	struct fx *f = *state;
	struct call_entry e = { .kind = CALL_PC, .dir = CALL_IN,
				.outcome = CALL_MISSED };

	assert_refused(f, &e, "needs a peer");
	e.peer = xstrdup("ada");
	e.duration = 30;
	assert_refused(f, &e, "a missed call has no talk time");
	e.duration = -1;
	e.outcome = CALL_ANSWERED;
	assert_refused(f, &e, "bad duration -1");
	e.duration = 10;
	e.has_cost = true;
	e.cost_cents = 5;
	assert_refused(f, &e, "only phone calls have a cost");
	e.kind = CALL_PHONE;
	str_set(&e.peer, "call me maybe");
	assert_refused(f, &e, "'call me maybe' is not a phone number");
	str_set(&e.peer, "+44 20 7946 0958");
	e.currency = xstrdup("pounds");
	assert_refused(f, &e, "bad currency 'pounds'");
	str_set(&e.currency, "GBP");
	e.has_quality = true;
	e.mos = 7;
	assert_refused(f, &e, "MOS is 1..5");
	e.has_quality = false;
	e.contact_id = 42;
	assert_refused(f, &e, "no contact 42");
	e.outcome = (enum call_outcome)99;
	e.contact_id = 0;
	assert_refused(f, &e, "outcome is answered, missed");
	assert_int_equal(calls_count(f->db), 0);
	calls_entry_clear(&e);
}

static void test_calls__list__filters_newest_first(void **state)
{
	struct fx *f = *state;
	struct call_entry *v;
	size_t n;
	int64_t a = add_call(f, CALL_PC, CALL_IN, "ada", CALL_ANSWERED, 1000, 60);
	int64_t b = add_call(f, CALL_PHONE, CALL_IN, "+441632960001",
			     CALL_MISSED, 3000, 0);
	int64_t c = add_call(f, CALL_PHONE, CALL_OUT, "+441632960002",
			     CALL_BUSY, 2000, 0);
	int64_t d = add_call(f, CALL_PC, CALL_OUT, "bob", CALL_MISSED, 4000, 0);
	static const struct {
		enum calls_filter f;
		size_t n;
	} cases[] = {
		{ CALLS_ALL, 4 }, { CALLS_MISSED, 1 }, { CALLS_INCOMING, 2 },
		{ CALLS_OUTGOING, 2 }, { CALLS_PC, 2 }, { CALLS_PHONE, 2 },
	};
	int64_t want[][4] = {
		{ d, b, c, a }, { b }, { b, a }, { d, c }, { d, a }, { b, c },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(calls_list(f->db, cases[i].f, 100, &v, &n), 0);
		if (n != cases[i].n)
			fail_msg("filter %s: %zu calls, want %zu",
				 calls_filter_name(cases[i].f), n, cases[i].n);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(v[k].id, want[i][k]);
		calls_entries_free(v, n);
	}
	/* the limit keeps the newest */
	assert_int_equal(calls_list(f->db, CALLS_ALL, 2, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, d);
	assert_int_equal(v[1].id, b);
	calls_entries_free(v, n);
	/* an outgoing call the peer missed is not one of ours */
	assert_int_equal(calls_unseen_missed(f->db), 1);
	assert_int_equal(calls_delete(f->db, d), 0);
	assert_int_equal(calls_delete(f->db, d), -ENOENT);
	assert_int_equal(calls_count(f->db), 3);
}

static void test_calls__add__resolves_contact_by_phone(void **state)
{
	struct fx *f = *state;
	struct call_entry *g;
	int64_t ada = add_contact(f, "Ada", "Lovelace", "+44 20 7946 0958");
	/* the same number written as a caller ID would give it */
	int64_t id = add_call(f, CALL_PHONE, CALL_IN, "00442079460958",
			      CALL_ANSWERED, 1000, 5);

	assert_int_equal(calls_get(f->db, id, &g), 0);
	assert_int_equal(g->contact_id, ada);
	assert_string_equal(calls_display_name(g), "Ada Lovelace");
	calls_entry_free(g);

	/* a contact added after the call is found by its number too */
	id = add_call(f, CALL_PHONE, CALL_IN, "01632 960123", CALL_MISSED,
		      2000, 0);
	assert_int_equal(calls_get(f->db, id, &g), 0);
	assert_int_equal(g->contact_id, 0);
	assert_string_equal(calls_display_name(g), "+441632960123");
	calls_entry_free(g);
	int64_t grace = add_contact(f, "Grace", "Hopper", "+44 1632 960123");
	assert_int_equal(calls_get(f->db, id, &g), 0);
	assert_int_equal(g->contact_id, grace);
	assert_string_equal(calls_display_name(g), "Grace Hopper");
	calls_entry_free(g);

	/* a PC call names its contact when given one; deleting the contact
	 * leaves the call, shown by the name the peer announced */
	struct call_entry e = { .kind = CALL_PC, .dir = CALL_OUT,
				.outcome = CALL_ANSWERED, .contact_id = ada };
	char *err = NULL;
	e.peer = xstrdup("ada.l");
	e.peer_name = xstrdup("Ada L.");
	assert_int_equal(calls_add(f->db, &e, "GB", &err), 0);
	assert_int_equal(calls_get(f->db, e.id, &g), 0);
	assert_string_equal(calls_display_name(g), "Ada Lovelace");
	calls_entry_free(g);
	assert_int_equal(contacts_delete(f->db, ada), 0);
	assert_int_equal(calls_get(f->db, e.id, &g), 0);
	assert_int_equal(g->contact_id, 0);
	assert_string_equal(calls_display_name(g), "Ada L.");
	calls_entry_free(g);
	calls_entry_clear(&e);
}

static void test_calls__unseen__counts_until_marked_seen(void **state)
{
	struct fx *f = *state;
	struct call_entry *v;
	size_t n;

	assert_int_equal(calls_unseen_missed(f->db), 0);
	add_call(f, CALL_PC, CALL_IN, "ada", CALL_MISSED, 1000, 0);
	add_call(f, CALL_PHONE, CALL_IN, "+441632960001", CALL_MISSED, 2000, 0);
	add_call(f, CALL_PC, CALL_IN, "bob", CALL_ANSWERED, 3000, 10);
	add_call(f, CALL_PC, CALL_IN, "eve", CALL_REJECTED, 3500, 0);
	assert_int_equal(calls_unseen_missed(f->db), 2);
	assert_int_equal(calls_list(f->db, CALLS_MISSED, 10, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_false(v[0].seen);
	assert_false(v[1].seen);
	calls_entries_free(v, n);

	assert_int_equal(calls_mark_seen(f->db), 0);
	assert_int_equal(calls_unseen_missed(f->db), 0);
	assert_int_equal(calls_list(f->db, CALLS_ALL, 10, &v, &n), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i].seen);
	calls_entries_free(v, n);

	/* a missed call after that counts again */
	add_call(f, CALL_PC, CALL_IN, "ada", CALL_MISSED, 5000, 0);
	assert_int_equal(calls_unseen_missed(f->db), 1);
}

static void test_calls__names__parse_and_print(void **state)
{
	enum call_outcome o;
	enum call_kind k;
	enum call_dir d;

	for (int i = 0; i < CALL_OUTCOME_COUNT; i++) {
		assert_int_equal(calls_outcome_parse(
			calls_outcome_name((enum call_outcome)i), &o), 0);
		assert_int_equal(o, i);
	}
	assert_int_equal(calls_outcome_parse("Voicemail", &o), 0);
	assert_int_equal(o, CALL_VOICEMAIL);
	assert_int_equal(calls_outcome_parse("lost", &o), -EINVAL);
	assert_int_equal(calls_kind_parse("phone", &k), 0);
	assert_int_equal(k, CALL_PHONE);
	assert_int_equal(calls_kind_parse("fax", &k), -EINVAL);
	assert_int_equal(calls_dir_parse("out", &d), 0);
	assert_int_equal(d, CALL_OUT);
	assert_int_equal(calls_dir_parse("", &d), -EINVAL);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_calls__add__round_trips_every_field),
		T(test_calls__add__refuses_bad_fields),
		T(test_calls__list__filters_newest_first),
		T(test_calls__add__resolves_contact_by_phone),
		T(test_calls__unseen__counts_until_marked_seen),
		cmocka_unit_test(test_calls__names__parse_and_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
