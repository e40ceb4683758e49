/* Unit tests for store/crm: records, timeline, filters, the search index
 * over notes, the next action's diary appointment, CSV export and the
 * helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/books.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "store/db.h"
#include "store/diary.h"
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
			   const char *family, const char *org)
{
	struct contact *c = contact_new();
	char *err = NULL;

	c->given = xstrdup(given);
	c->family = xstrdup(family);
	c->org = xstrdup(org);
	c->book_id = f->book;
	assert_int_equal(contacts_save(f->db, c, "GB", &err), 0);
	int64_t id = c->id;
	contact_free(c);
	return id;
}

static int64_t add_record(struct fx *f, const char *given,
			  const char *family, const char *status)
{
	int64_t cid = add_contact(f, given, family, NULL), id = 0;
	char *err = NULL;

	assert_int_equal(crm_create_for_contact(f->db, cid, status, &id,
						&err), 0);
	assert_true(id > 0);
	return id;
}

static void set_fields(struct fx *f, int64_t id, const char *owner,
		       const char *tag, const char *next_date)
{
	struct crm_record *r;
	char *err = NULL;

	assert_int_equal(crm_get(f->db, id, &r), 0);
	str_set(&r->owner, owner);
	if (tag)
		crm_record_add_tag(r, tag);
	str_set(&r->next_date, next_date);
	assert_int_equal(crm_save(f->db, r, &err), 0);
	crm_record_free(r);
}

/* The names of the records listed, "A,B,C". */
static char *names(struct fx *f, const struct crm_filter *flt)
{
	int64_t *ids;
	size_t n;
	struct sbuf b;

	assert_int_equal(crm_list(f->db, flt, 1000, &ids, &n, NULL), 0);
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++) {
		struct crm_row row;
		assert_int_equal(crm_row(f->db, ids[i], &row), 0);
		sbuf_printf(&b, "%s%s", i ? "," : "", row.name);
		crm_row_clear(&row);
	}
	free(ids);
	return sbuf_take(&b);
}

static void test_crm__create__for_contact_once(void **state)
{
	struct fx *f = *state;
	int64_t cid = add_contact(f, "Ada", "Lovelace", "Analytical Ltd");
	int64_t id = 0, again = 0, found = 0;
	struct crm_record *r;
	char *err = NULL;

	assert_int_equal(crm_record_for_contact(f->db, cid, &found), 0);
	assert_int_equal(found, 0);
	assert_int_equal(crm_create_for_contact(f->db, cid, "lead", &id, &err),
			 0);
	assert_int_equal(crm_record_for_contact(f->db, cid, &found), 0);
	assert_int_equal(found, id);
	assert_int_equal(crm_get(f->db, id, &r), 0);
	assert_string_equal(r->name, "Ada Lovelace");
	assert_string_equal(r->org, "Analytical Ltd");
	assert_string_equal(r->status, "lead");
	assert_non_null(r->uid);
	assert_non_null(r->contact_uid);
	crm_record_free(r);
	assert_int_equal(crm_create_for_contact(f->db, cid, "lead", &again,
						&err), -EEXIST);
	assert_int_equal(again, id);
	assert_non_null(err);
	free(err);
	assert_int_equal(crm_count(f->db), 1);
}

static void test_crm__save__round_trips_and_validates(void **state)
{
	struct fx *f = *state;
	int64_t id = add_record(f, "Grace", "Hopper", "lead");
	struct crm_record *r, *back;
	char *err = NULL;

	assert_int_equal(crm_get(f->db, id, &r), 0);
	str_set(&r->owner, "alice");
	str_set(&r->source, "trade fair");
	r->has_value = true;
	r->value_cents = 123450;
	str_set(&r->currency, "EUR");
	crm_record_add_tag(r, "vip");
	crm_record_add_tag(r, "navy");
	crm_record_add_tag(r, "vip");	/* once only */
	assert_int_equal(crm_save(f->db, r, &err), 0);
	assert_int_equal(crm_get(f->db, id, &back), 0);
	assert_string_equal(back->owner, "alice");
	assert_string_equal(back->source, "trade fair");
	assert_true(back->has_value);
	assert_int_equal(back->value_cents, 123450);
	assert_string_equal(back->currency, "EUR");
	assert_int_equal(back->ntags, 2);
	assert_string_equal(back->tags[1], "navy");
	crm_record_free(back);

	str_set(&r->next_date, "2026-02-30");
	assert_int_equal(crm_save(f->db, r, &err), -EINVAL);
	assert_non_null(strstr(err, "2026-02-30"));
	free(err);
	err = NULL;
	str_set(&r->next_date, NULL);
	str_set(&r->currency, NULL);
	assert_int_equal(crm_save(f->db, r, &err), -EINVAL);
	assert_non_null(strstr(err, "currency"));
	free(err);
	crm_record_free(r);
}

static void test_crm__list__filters_by_status_owner_tag_due(void **state)
{
	struct fx *f = *state;
	int64_t a = add_record(f, "Ada", "Lovelace", "lead");
	int64_t b = add_record(f, "Bob", "Babbage", "customer");
	int64_t c = add_record(f, "Cy", "Clarke", "lead");
	char *s;

	set_fields(f, a, "alice", "vip", "2026-01-10");
	set_fields(f, b, "bob", "vip", "2026-03-01");
	set_fields(f, c, "alice", NULL, NULL);

	assert_string_equal(s = names(f, NULL), "Ada Lovelace,Bob Babbage,"
			    "Cy Clarke");
	free(s);
	struct crm_filter st = { .status = "LEAD" };
	assert_string_equal(s = names(f, &st), "Ada Lovelace,Cy Clarke");
	free(s);
	struct crm_filter ow = { .owner = "alice", .status = "lead" };
	assert_string_equal(s = names(f, &ow), "Ada Lovelace,Cy Clarke");
	free(s);
	struct crm_filter tg = { .tag = "vip" };
	assert_string_equal(s = names(f, &tg), "Ada Lovelace,Bob Babbage");
	free(s);
	struct crm_filter due = { .due = true, .today = "2026-02-01" };
	assert_string_equal(s = names(f, &due), "Ada Lovelace");
	free(s);
	due.today = "2026-03-01";	/* due today counts; by date */
	assert_string_equal(s = names(f, &due), "Ada Lovelace,Bob Babbage");
	free(s);
	struct crm_filter none = { .status = "inactive" };
	assert_string_equal(s = names(f, &none), "");
	free(s);

	char **owners;
	size_t n;
	assert_int_equal(crm_owners(f->db, &owners, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(owners[0], "alice");
	crm_strings_free(owners, n);
}

static void test_crm__search__finds_notes_and_fields(void **state)
{
	struct fx *f = *state;
	int64_t a = add_record(f, "Ada", "Lovelace", "lead");
	int64_t b = add_record(f, "Bob", "Babbage", "customer");
	int64_t ev = 0, ev2 = 0;
	char *s;

	assert_int_equal(crm_add_event(f->db, a, "note", "Wants a quote for "
				       "the difference engine", 0, 0, 100, &ev),
			 0);
	assert_true(ev > 0);
	assert_int_equal(crm_add_event(f->db, b, "call", "Discussed pricing",
				       0, 0, 200, &ev2), 0);
	struct crm_filter q = { .text = "differ" };
	assert_string_equal(s = names(f, &q), "Ada Lovelace");
	free(s);
	q.text = "pric";
	assert_string_equal(s = names(f, &q), "Bob Babbage");
	free(s);
	q.text = "bab pric";	/* name and note together */
	assert_string_equal(s = names(f, &q), "Bob Babbage");
	free(s);
	q.text = "customer";	/* the status is indexed too */
	assert_string_equal(s = names(f, &q), "Bob Babbage");
	free(s);
	q.text = "pric";
	q.status = "lead";	/* text and filter together */
	assert_string_equal(s = names(f, &q), "");
	free(s);

	/* deleting the note takes it out of the index */
	assert_int_equal(crm_delete_event(f->db, ev), 0);
	struct crm_filter gone = { .text = "differ" };
	assert_string_equal(s = names(f, &gone), "");
	free(s);
	/* the record leaves the index with it */
	assert_int_equal(crm_delete(f->db, b), 0);
	struct crm_filter bob = { .text = "babbage" };
	assert_string_equal(s = names(f, &bob), "");
	free(s);
}

static void test_crm__events__timeline_newest_first(void **state)
{
	struct fx *f = *state;
	int64_t a = add_record(f, "Ada", "Lovelace", "lead");
	struct crm_event *e;
	size_t n;

	assert_int_equal(crm_add_event(f->db, a, "note", "first", 0, 0, 100,
				       NULL), 0);
	assert_int_equal(crm_add_event(f->db, a, "meeting", "second", 0, 0,
				       300, NULL), 0);
	assert_int_equal(crm_add_event(f->db, a, "message", "third", 0, 0,
				       200, NULL), 0);
	assert_int_equal(crm_add_event(f->db, a, "fax", "bad", 0, 0, 0,
				       NULL), -EINVAL);
	assert_int_equal(crm_add_event(f->db, a + 99, "note", "x", 0, 0, 0,
				       NULL), -ENOENT);
	assert_int_equal(crm_events(f->db, a, &e, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].text, "second");
	assert_string_equal(e[0].kind, "meeting");
	assert_string_equal(e[1].text, "third");
	assert_string_equal(e[2].text, "first");
	crm_events_free(e, n);
	/* deleting the record drops its timeline */
	assert_int_equal(crm_delete(f->db, a), 0);
	assert_int_equal(crm_events(f->db, a, &e, &n), 0);
	assert_int_equal(n, 0);
	crm_events_free(e, n);
}

static void test_crm__next_date__keeps_diary_appointment(void **state)
{
	struct fx *f = *state;
	int64_t id = add_record(f, "Ada", "Lovelace", "lead");
	struct crm_record *r;
	struct appointment *ap;
	char *err = NULL;

	assert_int_equal(crm_get(f->db, id, &r), 0);
	str_set(&r->next_action, "Send quote");
	str_set(&r->next_date, "2026-12-03");
	assert_int_equal(crm_save(f->db, r, &err), 0);
	assert_true(r->next_appt_id > 0);
	int64_t appt = r->next_appt_id;
	assert_int_equal(diary_get(f->db, appt, &ap), 0);
	assert_string_equal(ap->title, "CRM: Send quote \xe2\x80\x94 Ada "
			    "Lovelace");
	assert_true(ap->all_day);
	assert_string_equal(ap->start, "2026-12-03");
	assert_int_equal(ap->nrem, 1);
	assert_int_equal(ap->rem[0].minutes, 0);
	appointment_free(ap);

	/* moving the date moves the same appointment */
	str_set(&r->next_date, "2026-12-10");
	assert_int_equal(crm_save(f->db, r, &err), 0);
	assert_int_equal(r->next_appt_id, appt);
	assert_int_equal(diary_get(f->db, appt, &ap), 0);
	assert_string_equal(ap->start, "2026-12-10");
	appointment_free(ap);
	crm_record_free(r);
	assert_int_equal(crm_get(f->db, id, &r), 0);
	assert_int_equal(r->next_appt_id, appt);

	/* clearing the date deletes it */
	str_set(&r->next_date, NULL);
	assert_int_equal(crm_save(f->db, r, &err), 0);
	assert_int_equal(r->next_appt_id, 0);
	assert_int_equal(diary_get(f->db, appt, &ap), -ENOENT);
	crm_record_free(r);
	assert_int_equal(crm_get(f->db, id, &r), 0);
	assert_int_equal(r->next_appt_id, 0);

	/* deleting a record with a date deletes its appointment */
	str_set(&r->next_date, "2027-01-05");
	assert_int_equal(crm_save(f->db, r, &err), 0);
	appt = r->next_appt_id;
	assert_true(appt > 0);
	crm_record_free(r);
	assert_int_equal(crm_delete(f->db, id), 0);
	assert_int_equal(diary_get(f->db, appt, &ap), -ENOENT);
}

static void test_crm__export__csv_quotes_and_kinds(void **state)
{
	struct fx *f = *state;
	int64_t a = add_record(f, "Ada", "Lovelace", "lead");
	char *buf = NULL;
	size_t len = 0;

	assert_int_equal(crm_add_event(f->db, a, "note", "said \"yes\", "
				       "then\nleft", 0, 0, 86400, NULL), 0);
	FILE *mf = open_memstream(&buf, &len);
	assert_int_equal(crm_export_csv(f->db, NULL, 0, mf), 0);
	fclose(mf);
	assert_true(strncmp(buf, "kind,record_uid,name,", 21) == 0);
	assert_non_null(strstr(buf, "\r\nrecord,"));
	assert_non_null(strstr(buf, ",Ada Lovelace,,lead,"));
	assert_non_null(strstr(buf, "\r\nnote,"));
	assert_non_null(strstr(buf, ",1970-01-02T00:00:00Z,\"said \"\"yes\"\", "
			       "then\nleft\"\r\n"));
	free(buf);
}

static void test_crm__util__money_dates_statuses(void **state)
{
	int64_t cents;
	char *cur, buf[48];
	char **st;
	size_t n;

	(void)state;
	assert_int_equal(crm_money_parse("1234.5 eur", NULL, &cents, &cur), 0);
	assert_int_equal(cents, 123450);
	assert_string_equal(cur, "EUR");
	free(cur);
	assert_int_equal(crm_money_parse("\xc2\xa3" "1,200", NULL, &cents,
					 &cur), 0);
	assert_int_equal(cents, 120000);
	assert_string_equal(cur, "GBP");
	free(cur);
	assert_int_equal(crm_money_parse("99", "CHF", &cents, &cur), 0);
	assert_string_equal(cur, "CHF");
	free(cur);
	assert_int_equal(crm_money_parse("99", NULL, &cents, &cur), -EINVAL);
	assert_int_equal(crm_money_parse("12.345 EUR", NULL, &cents, &cur),
			 -EINVAL);
	assert_int_equal(crm_money_parse("lots", "EUR", &cents, &cur),
			 -EINVAL);
	crm_money_format(buf, sizeof buf, 123456789, "EUR");
	assert_string_equal(buf, "1,234,567.89 EUR");
	assert_true(crm_date_valid("2024-02-29"));
	assert_false(crm_date_valid("2025-02-29"));
	assert_false(crm_date_valid("2025-13-01"));
	assert_false(crm_date_valid("tomorrow"));
	crm_statuses_parse(" lead, Won ,,lead,lost", &st, &n);
	assert_int_equal(n, 3);
	assert_string_equal(st[1], "Won");
	assert_string_equal(crm_status_match(st, n, "won"), "Won");
	assert_null(crm_status_match(st, n, "customer"));
	crm_strings_free(st, n);
}

/* An appointment with a customer is a meeting on the record's timeline:
 * once, and updated when the appointment changes. */
static void test_crm__meeting__appointment_on_timeline(void **state)
{
	struct fx *f = *state;
	int64_t cust = add_contact(f, "Grace", "Hopper", "Navy");
	int64_t other = add_contact(f, "Alan", "Turing", NULL);
	int64_t rec = 0;
	char *err = NULL;

	assert_int_equal(crm_create_for_contact(f->db, cust, "customer", &rec,
						&err), 0);
	struct appointment *a = appointment_new();
	a->title = xstrdup("Contract review");
	a->start = xstrdup("2026-12-03 14:00");
	a->tzid = xstrdup("Europe/London");
	a->location = xstrdup("Her office");
	appointment_add_attendee(a)->contact_id = cust;
	appointment_add_attendee(a)->contact_id = other;	/* no record */
	appointment_add_attendee(a)->email = xstrdup("x@example.com");
	assert_int_equal(diary_save(f->db, a, &err), 0);
	assert_int_equal(crm_link_meeting(f->db, a), 1);
	str_set(&a->title, "Contract signing");
	assert_int_equal(diary_save(f->db, a, &err), 0);
	assert_int_equal(crm_link_meeting(f->db, a), 1);

	struct crm_event *ev;
	size_t n;
	assert_int_equal(crm_events(f->db, rec, &ev, &n), 0);
	assert_int_equal(n, 1);		/* updated, not added twice */
	assert_string_equal(ev[0].kind, "meeting");
	assert_int_equal(ev[0].appt_id, a->id);
	assert_non_null(strstr(ev[0].text, "Contract signing"));
	assert_non_null(strstr(ev[0].text, "Her office"));
	assert_int_equal(ev[0].at, a->start_utc);
	crm_events_free(ev, n);
	appointment_free(a);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_crm__create__for_contact_once),
		T(test_crm__save__round_trips_and_validates),
		T(test_crm__list__filters_by_status_owner_tag_due),
		T(test_crm__search__finds_notes_and_fields),
		T(test_crm__events__timeline_newest_first),
		T(test_crm__next_date__keeps_diary_appointment),
		T(test_crm__export__csv_quotes_and_kinds),
		cmocka_unit_test(test_crm__util__money_dates_statuses),
		T(test_crm__meeting__appointment_on_timeline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
