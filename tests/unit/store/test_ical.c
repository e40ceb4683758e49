/* Unit tests for store/formats/ical (ical_parse, ical_write, zones). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/str.h"
#include "store/formats/ical.h"

struct got {
	struct appointment *a[32];
	size_t n;
	unsigned skip_line[8];
	char *skip_why[8];
	size_t nskip;
	unsigned lines[32];
};

static int on_event(void *arg, struct appointment *a, unsigned line,
		    const char *why)
{
	struct got *g = arg;

	if (!a) {
		assert_non_null(why);
		assert_true(g->nskip < 8);
		g->skip_line[g->nskip] = line;
		g->skip_why[g->nskip++] = xstrdup(why);
		return 0;
	}
	assert_true(g->n < 32);
	g->lines[g->n] = line;
	g->a[g->n++] = a;
	return 0;
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		appointment_free(g->a[i]);
	for (size_t i = 0; i < g->nskip; i++)
		free(g->skip_why[i]);
	memset(g, 0, sizeof *g);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct sbuf b;
	char buf[4096];
	size_t k;

	assert_non_null(fp);
	sbuf_init(&b);
	while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
		sbuf_addn(&b, buf, k);
	fclose(fp);
	*len = b.len;
	return sbuf_take(&b);
}

static int parse_file(const char *path, struct got *g)
{
	size_t len;
	char *data = slurp(path, &len);
	int n = ical_parse(data, len, on_event, g, NULL);

	free(data);
	return n;
}

static int parse_str(const char *s, struct got *g, char **err)
{
	return ical_parse(s, strlen(s), on_event, g, err);
}

static struct appointment *by_uid(struct got *g, const char *uid,
				  const char *rid)
{
	for (size_t i = 0; i < g->n; i++)
		if (str_eq(g->a[i]->uid, uid) &&
		    str_eq(g->a[i]->recurrence_id, rid))
			return g->a[i];
	fail_msg("no appointment %s %s", uid, rid ? rid : "");
	return NULL;
}

static bool has_line(const char *extra, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = extra; p && (p = strstr(p, line)); p++)
		if ((p == extra || p[-1] == '\n') &&
		    (p[n] == '\r' || p[n] == '\0'))
			return true;
	return false;
}

/* ---- reading ------------------------------------------------------------- */

static void test_ical__parse__google_file(void **state)
{
	struct got g = { 0 };

	assert_int_equal(parse_file("tests/data/ical/google.ics", &g), 4);
	assert_int_equal(g.n, 4);
	/* the override comes after its series, though first in the file */
	assert_null(g.a[0]->recurrence_id);
	assert_string_equal(g.a[3]->recurrence_id, "2024-03-11T09:30:00");

	struct appointment *s = by_uid(&g, "weekly-standup@google.com", NULL);
	assert_string_equal(s->title, "Standup");
	assert_string_equal(s->tzid, "Europe/London");
	assert_false(s->all_day);
	assert_string_equal(s->start, "2024-03-04T09:30:00");
	assert_string_equal(s->end, "2024-03-04T10:00:00");
	assert_string_equal(s->rrule, "FREQ=WEEKLY;BYDAY=MO");
	assert_int_equal(s->nexdates, 1);
	assert_string_equal(s->exdates[0], "2024-03-18T09:30:00");
	assert_string_equal(s->notes, "Weekly standup.\nBring notes, please.");
	assert_string_equal(s->location, "Room 1, Engine House");
	assert_int_equal(s->natt, 2);
	assert_string_equal(s->att[0].name, "Ada Lovelace");
	assert_string_equal(s->att[0].email, "ada@example.com");
	assert_string_equal(s->att[0].role, "REQ-PARTICIPANT");
	assert_string_equal(s->att[0].partstat, "ACCEPTED");
	assert_string_equal(s->att[0].params,
			    "CUTYPE=INDIVIDUAL;X-NUM-GUESTS=0");
	assert_string_equal(s->att[1].name, "Babbage, Charles");
	assert_string_equal(s->att[1].partstat, "NEEDS-ACTION");
	assert_non_null(strstr(s->att[1].params, "RSVP=TRUE"));
	assert_int_equal(s->nrem, 2);
	assert_int_equal(s->rem[0].minutes, 10);
	assert_true(has_line(s->rem[0].extra, "ACTION:DISPLAY"));
	assert_null(strstr(s->rem[0].extra, "TRIGGER"));
	assert_int_equal(s->rem[1].minutes, 1440);
	assert_true(has_line(s->rem[1].extra, "ACTION:EMAIL"));
	assert_true(has_line(s->rem[1].extra, "ATTENDEE:mailto:ada@example.com"));
	assert_true(has_line(s->extra, "X-GOOGLE-CONFERENCE:"
				       "https://meet.google.com/abc-defg-hij"));
	assert_true(has_line(s->extra, "ORGANIZER;CN=Ada Lovelace:"
				       "mailto:ada@example.com"));
	assert_true(has_line(s->extra, "SEQUENCE:2"));
	assert_true(has_line(s->extra, "STATUS:CONFIRMED"));
	assert_null(strstr(s->extra, "DTSTAMP"));
	assert_int_equal(g.lines[0], 39);

	struct appointment *o = by_uid(&g, "weekly-standup@google.com",
				       "2024-03-11T09:30:00");
	assert_string_equal(o->title, "Standup (moved)");
	assert_string_equal(o->start, "2024-03-11T10:00:00");
	assert_int_equal(o->series_id, 0);
	assert_int_equal(g.lines[3], 26);

	struct appointment *h = by_uid(&g, "holiday@google.com", NULL);
	assert_true(h->all_day);
	assert_null(h->tzid);
	assert_string_equal(h->start, "2024-03-25");
	assert_string_equal(h->end, "2024-03-27");
	assert_string_equal(h->category, "Leave");

	struct appointment *u = by_uid(&g, "utc@google.com", NULL);
	assert_string_equal(u->tzid, "UTC");
	assert_string_equal(u->start, "2024-04-01T15:00:00");
	/* RELATED=END: kept as written, minutes clamped to "at the start" */
	assert_int_equal(u->nrem, 1);
	assert_int_equal(u->rem[0].minutes, 0);
	assert_true(has_line(u->rem[0].extra, "TRIGGER;RELATED=END:PT5M"));
	got_free(&g);
}

static void test_ical__parse__outlook_file(void **state)
{
	struct got g = { 0 };

	assert_int_equal(parse_file("tests/data/ical/outlook.ics", &g), 4);
	struct appointment *q = g.a[0];
	assert_string_equal(q->title, "Quartalsbericht");
	assert_string_equal(q->tzid, "Europe/Berlin");
	assert_string_equal(q->start, "2024-06-05T10:00:00");
	assert_string_equal(q->end, "2024-06-05T11:00:00");
	assert_int_equal(strlen(q->uid), 112);	/* unfolded */
	assert_true(has_line(q->extra, "X-MICROSOFT-CDO-BUSYSTATUS:BUSY"));
	assert_true(has_line(q->extra, "X-MS-OLK-CONFTYPE:0"));
	assert_true(has_line(q->extra, "PRIORITY:5"));
	assert_true(has_line(q->extra, "CLASS:PUBLIC"));
	assert_non_null(strstr(q->extra, "X-ALT-DESC;FMTTYPE=text/html:<html>"
					 "<body><p>Quarterly review</p></body>"
					 "</html>"));
	assert_int_equal(q->natt, 1);
	assert_string_equal(q->att[0].name, "Grace Hopper");
	assert_string_equal(q->att[0].params, "RSVP=TRUE");
	assert_null(q->att[0].role);
	assert_int_equal(q->nrem, 1);
	assert_int_equal(q->rem[0].minutes, 15);

	/* a zone of the file's own: to UTC through its VTIMEZONE (+05:30) */
	struct appointment *c = by_uid(&g, "custom-zone-1", NULL);
	assert_string_equal(c->tzid, "UTC");
	assert_string_equal(c->start, "2024-06-10T09:00:00");
	assert_string_equal(c->end, "2024-06-10T10:00:00");

	struct appointment *t = by_uid(&g, "tokyo-daily", NULL);
	assert_string_equal(t->tzid, "Asia/Tokyo");
	assert_string_equal(t->rrule, "FREQ=DAILY;COUNT=5");
	assert_string_equal(t->exdates[0], "2024-07-03T09:00:00");

	/* DTEND in another zone: converted to the start's */
	struct appointment *f = by_uid(&g, "flight-1", NULL);
	assert_string_equal(f->tzid, "America/New_York");
	assert_string_equal(f->end, "2024-07-02T12:00:00");
	got_free(&g);
}

static void test_ical__parse__calcurse_file(void **state)
{
	struct got g = { 0 }, again = { 0 };

	assert_int_equal(parse_file("tests/data/ical/calcurse.ics", &g), 4);
	assert_int_equal(g.n, 3);
	struct appointment *m = g.a[0];
	assert_string_equal(m->title, "Team meeting");
	assert_null(m->tzid);				/* floating */
	assert_string_equal(m->start, "2024-01-15T09:00:00");
	assert_string_equal(m->end, "2024-01-15T10:30:00");	/* DURATION */
	assert_non_null(strstr(m->rrule, "INTERVAL=2"));
	assert_string_equal(m->exdates[0], "2024-01-29T09:00:00");
	assert_int_equal(m->rem[0].minutes, 5);
	assert_true(str_istarts(m->uid, "confab-"));	/* none in the file */
	assert_true(g.a[1]->all_day);
	assert_null(g.a[1]->end);
	assert_string_equal(g.a[2]->uid, "calcurse-new-year");
	assert_int_equal(g.nskip, 1);
	assert_int_equal(g.skip_line[0], 26);
	assert_non_null(strstr(g.skip_why[0], "VTODO"));
	/* the made-up UID is the same on every read */
	assert_int_equal(parse_file("tests/data/ical/calcurse.ics", &again), 4);
	assert_string_equal(again.a[0]->uid, m->uid);
	assert_string_not_equal(again.a[1]->uid, m->uid);
	got_free(&again);
	got_free(&g);
}

static void test_ical__parse__malformed(void **state)
{
	struct got g = { 0 };
	char *err = NULL;

	assert_int_equal(parse_str("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n", &g,
				   &err), -1);
	assert_non_null(strstr(err, "not an iCalendar file"));
	free(err);
	err = NULL;
	assert_int_equal(parse_str("", &g, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(parse_str("\x01\xff garbage\n:::;;;\n", &g, &err), -1);
	free(err);

	/* bad events are skipped with a reason; good ones still come */
	static const char bad[] =
		"BEGIN:VCALENDAR\nVERSION:2.0\n"
		"BEGIN:VEVENT\nUID:a\nSUMMARY:no start\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:b\nDTSTART:2024XX01\nSUMMARY:bad\n"
		"END:VEVENT\n"
		"BEGIN:VEVENT\nUID:c\nDTSTART:20240101T100000\n"
		"RRULE:FREQ=SOMETIMES\nATTENDEE;CN=\"unclosed:mailto:x@y\n"
		"END:VEVENT\n"
		"BEGIN:VEVENT\nUID:d\nDTSTART:20240101T100000Z\n"
		"SUMMARY:last\nEND:VEVENT\nEND:VCALENDAR\n";
	assert_int_equal(parse_str(bad, &g, NULL), 4);
	assert_int_equal(g.nskip, 2);
	assert_int_equal(g.skip_line[0], 3);
	assert_string_equal(g.skip_why[0], "no DTSTART");
	assert_int_equal(g.skip_line[1], 7);
	assert_non_null(strstr(g.skip_why[1], "DTSTART"));
	assert_int_equal(g.n, 2);
	assert_string_equal(g.a[0]->uid, "c");
	assert_null(g.a[0]->rrule);
	assert_string_equal(g.a[0]->title, "(no title)");
	assert_string_equal(g.a[1]->uid, "d");
	assert_string_equal(g.a[1]->title, "last");
	got_free(&g);

	/* a file cut short: an error, no events */
	err = NULL;
	assert_int_equal(ical_parse(bad, strlen(bad) - 24, on_event, &g, &err),
			 -1);
	assert_non_null(strstr(err, "incomplete"));
	assert_int_equal(g.n + g.nskip, 0);
	free(err);
}

static void test_ical__parse__bare_vevent_and_prefixed_zone(void **state)
{
	struct got g = { 0 };
	static const char s[] =
		"BEGIN:VEVENT\r\nUID:m\r\n"
		"DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:"
		"20240110T080000\r\nDTEND;TZID=/mozilla.org/20050126_1/"
		"America/New_York:20240110T090000\r\n"
		"EXDATE:20240117T130000Z\r\nRRULE:FREQ=WEEKLY\r\n"
		"SUMMARY:Thunderbird\r\nEND:VEVENT\r\n";

	assert_int_equal(parse_str(s, &g, NULL), 1);
	assert_string_equal(g.a[0]->tzid, "America/New_York");
	/* a UTC EXDATE becomes the series' local time */
	assert_string_equal(g.a[0]->exdates[0], "2024-01-17T08:00:00");
	got_free(&g);
}

static void test_ical__zones__windows_and_iana(void **state)
{
	static const char *const win[][2] = {
		{ "W. Europe Standard Time", "Europe/Berlin" },
		{ "GMT Standard Time", "Europe/London" },
		{ "Eastern Standard Time", "America/New_York" },
		{ "Pacific Standard Time", "America/Los_Angeles" },
		{ "Tokyo Standard Time", "Asia/Tokyo" },
		{ "Romance Standard Time", "Europe/Paris" },
		{ "AUS Eastern Standard Time", "Australia/Sydney" },
		{ "India Standard Time", NULL },
		{ "UTC", "UTC" },
	};

	for (size_t i = 0; i < sizeof win / sizeof win[0]; i++) {
		const char *z = ical_zone_iana(win[i][0]);
		assert_non_null(z);
		if (win[i][1])
			assert_string_equal(z, win[i][1]);
		assert_true(strcmp(z, "UTC") == 0 ||
			    icaltimezone_get_builtin_timezone(z) != NULL);
	}
	assert_string_equal(ical_zone_iana("w. europe standard time"),
			    "Europe/Berlin");
	assert_string_equal(ical_zone_iana("Europe/Lisbon"), "Europe/Lisbon");
	assert_string_equal(ical_zone_iana("/freeassociation.sourceforge.net/"
					   "Tzfile/Europe/Oslo"), "Europe/Oslo");
	assert_string_equal(ical_zone_iana("Etc/UTC"), "UTC");
	assert_null(ical_zone_iana("Customized Time Zone"));
	assert_null(ical_zone_iana("Mars/Olympus_Mons"));
	assert_null(ical_zone_iana(""));
	assert_null(ical_windows_zone("Europe/Berlin"));
}

/* ---- writing and round trips ------------------------------------------------ */

static void same_appt(const struct appointment *a, const struct appointment *b)
{
	assert_string_equal(a->uid, b->uid);
	assert_true(str_eq(a->recurrence_id, b->recurrence_id));
	assert_string_equal(a->title, b->title);
	assert_true(str_eq(a->location, b->location));
	assert_true(str_eq(a->notes, b->notes));
	assert_true(str_eq(a->category, b->category));
	assert_true(str_eq(a->tzid, b->tzid));
	assert_int_equal(a->all_day, b->all_day);
	assert_string_equal(a->start, b->start);
	assert_true(str_eq(a->end, b->end));
	assert_true(str_eq(a->rrule, b->rrule));
	assert_int_equal(a->nexdates, b->nexdates);
	for (size_t i = 0; i < a->nexdates; i++)
		assert_string_equal(a->exdates[i], b->exdates[i]);
	assert_int_equal(a->natt, b->natt);
	for (size_t i = 0; i < a->natt; i++) {
		assert_true(str_eq(a->att[i].name, b->att[i].name));
		assert_true(str_eq(a->att[i].email, b->att[i].email));
		assert_true(str_eq(a->att[i].role, b->att[i].role));
		assert_true(str_eq(a->att[i].partstat, b->att[i].partstat));
		assert_true(str_eq(a->att[i].params, b->att[i].params));
	}
	assert_int_equal(a->nrem, b->nrem);
	for (size_t i = 0; i < a->nrem; i++) {
		assert_int_equal(a->rem[i].minutes, b->rem[i].minutes);
	}
	for (size_t i = 0; i < a->nrem; i++)
		if (!str_eq(a->rem[i].extra, b->rem[i].extra))
			fail_msg("alarm differs:\n%s\n---\n%s", a->rem[i].extra, b->rem[i].extra);
	if (!str_eq(a->extra, b->extra))
		fail_msg("extra differs:\n%s\n---\n%s", a->extra, b->extra);
}

static void round_trip(const char *path)
{
	struct got g = { 0 }, h = { 0 };
	struct sbuf out;

	assert_true(parse_file(path, &g) > 0);
	sbuf_init(&out);
	ical_write(&out, g.a, g.n);
	assert_int_equal(parse_str(out.s, &h, NULL), (int)g.n);
	assert_int_equal(h.n, g.n);
	for (size_t i = 0; i < g.n; i++)
		same_appt(g.a[i], h.a[i]);
	/* and once more: stable */
	struct sbuf again;
	sbuf_init(&again);
	ical_write(&again, h.a, h.n);
	got_free(&g);
	assert_int_equal(parse_str(again.s, &g, NULL), (int)h.n);
	for (size_t i = 0; i < h.n; i++)
		same_appt(h.a[i], g.a[i]);
	sbuf_free(&again);
	sbuf_free(&out);
	got_free(&g);
	got_free(&h);
}

static void test_ical__round_trip__google(void **state)
{
	round_trip("tests/data/ical/google.ics");
}

static void test_ical__round_trip__outlook(void **state)
{
	round_trip("tests/data/ical/outlook.ics");
}

static void test_ical__round_trip__calcurse(void **state)
{
	round_trip("tests/data/ical/calcurse.ics");
}

static void test_ical__write__calendar_shape(void **state)
{
	struct got g = { 0 };
	struct sbuf out;

	assert_int_equal(parse_file("tests/data/ical/google.ics", &g), 4);
	sbuf_init(&out);
	ical_write(&out, g.a, g.n);
	const char *s = out.s;
	assert_true(str_istarts(s, "BEGIN:VCALENDAR\r\n"));
	assert_non_null(strstr(s, "\r\nPRODID:-//confab//confab//EN\r\n"));
	assert_non_null(strstr(s, "\r\nVERSION:2.0\r\n"));
	/* one VTIMEZONE, named plainly, before the events */
	const char *tz = strstr(s, "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n");
	assert_non_null(tz);
	assert_null(strstr(tz + 1, "BEGIN:VTIMEZONE"));
	assert_true(tz < strstr(s, "BEGIN:VEVENT"));
	assert_true(strlen(s) < 8000);	/* the zone cut to the years used */
	assert_non_null(strstr(s, "\r\nDTSTART;TZID=Europe/London:"
				  "20240304T093000\r\n"));
	assert_non_null(strstr(s, "\r\nRECURRENCE-ID;TZID=Europe/London:"
				  "20240311T093000\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTART;VALUE=DATE:20240325\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTART:20240401T150000Z\r\n"));
	assert_non_null(strstr(s, "\r\nTRIGGER:-PT10M\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTAMP:"));
	assert_non_null(strstr(s, "mailto:charles@example.com"));
	for (const char *p = s; (p = strchr(p, '\n')); p++)
		assert_int_equal(p[-1], '\r');
	assert_true(strlen(s) > 2 && !strcmp(s + strlen(s) - 15,
					     "END:VCALENDAR\r\n"));
	sbuf_free(&out);
	got_free(&g);
}

static void test_ical__write__built_appointment(void **state)
{
	struct appointment *a = appointment_new();
	struct appointment *o = appointment_new();
	struct got g = { 0 };
	struct sbuf out;

	a->id = 7;
	a->uid = xstrdup("built-1");
	a->title = xstrdup("Board; meeting, \"Q3\"");
	a->tzid = xstrdup("America/New_York");
	a->start = xstrdup("2024-09-02T14:00:00");
	a->end = xstrdup("2024-09-02T15:00:00");
	a->rrule = xstrdup("FREQ=MONTHLY;BYDAY=1MO");
	appointment_add_exdate(a, "2024-10-07T14:00:00");
	appointment_add_reminder(a, 30, NULL);
	struct appt_attendee *t = appointment_add_attendee(a);
	t->name = xstrdup("Hopper, Grace");
	t->email = xstrdup("grace@example.com");
	t->role = xstrdup("CHAIR");
	t->partstat = xstrdup("TENTATIVE");
	o->series_id = 7;
	o->uid = xstrdup("built-1");
	o->recurrence_id = xstrdup("2024-11-04T14:00:00");
	o->title = xstrdup("Board (moved)");
	o->tzid = xstrdup("Europe/London");
	o->start = xstrdup("2024-11-05T19:00:00");
	o->end = xstrdup("2024-11-05T20:00:00");

	struct appointment *v[] = { a, o };
	sbuf_init(&out);
	ical_write(&out, v, 2);
	/* the override's RECURRENCE-ID is in the series' zone */
	assert_non_null(strstr(out.s, "RECURRENCE-ID;TZID=America/New_York:"
				      "20241104T140000"));
	assert_non_null(strstr(out.s, "TZID:Europe/London"));
	assert_non_null(strstr(out.s, "TZID:America/New_York"));
	assert_int_equal(parse_str(out.s, &g, NULL), 2);
	/* a reminder gets the ACTION and DESCRIPTION a VALARM needs */
	a->rem[0].extra = xstrdup("ACTION:DISPLAY\r\nDESCRIPTION:Board\\; "
				  "meeting\\, \"Q3\"");
	same_appt(a, g.a[0]);
	struct appointment *r = g.a[1];
	assert_string_equal(r->recurrence_id, "2024-11-04T14:00:00");
	assert_string_equal(r->tzid, "Europe/London");
	sbuf_free(&out);
	got_free(&g);
	appointment_free(a);
	appointment_free(o);
}

static int teardown_zones(void **state)
{
	icaltimezone_free_builtin_timezones();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ical__parse__google_file),
		cmocka_unit_test(test_ical__parse__outlook_file),
		cmocka_unit_test(test_ical__parse__calcurse_file),
		cmocka_unit_test(test_ical__parse__malformed),
		cmocka_unit_test(test_ical__parse__bare_vevent_and_prefixed_zone),
		cmocka_unit_test(test_ical__zones__windows_and_iana),
		cmocka_unit_test(test_ical__round_trip__google),
		cmocka_unit_test(test_ical__round_trip__outlook),
		cmocka_unit_test(test_ical__round_trip__calcurse),
		cmocka_unit_test(test_ical__write__calendar_shape),
		cmocka_unit_test(test_ical__write__built_appointment),
	};
	return cmocka_run_group_tests(tests, NULL, teardown_zones);
}
