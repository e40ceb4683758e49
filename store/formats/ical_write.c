/* store/formats/ical_write: ical_write, appointments -> one VCALENDAR.
 *
 * The calendar is built as libical components and serialised by libical
 * (escaping, quoting, folding, CRLF).  The lines kept in appointment.extra
 * and appt_reminder.extra are parsed back by libical and moved into the
 * event or alarm, so what was read is written again.
 */
#include "store/formats/ical.h"
#include "common/str.h"

#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- times ----------------------------------------------------------------- */

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (also "YYYY-MM-DD HH:MM"). */
static bool parse_local(const char *s, bool date, struct icaltimetype *t)
{
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;

	*t = icaltime_null_time();
	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return false;
	if (!date && (s[n] == 'T' || s[n] == ' ') &&
	    sscanf(s + n + 1, "%2d:%2d:%2d", &h, &mi, &se) < 2)
		return false;
	t->year = y, t->month = mo, t->day = d;
	t->is_date = date;
	if (!date)
		t->hour = h, t->minute = mi, t->second = se;
	return true;
}

/* A DTSTART/DTEND/EXDATE/RECURRENCE-ID property for a local time. */
static icalproperty *time_prop(icalproperty_kind kind, const char *local,
			       const char *tzid, bool date)
{
	struct icaltimetype t;
	icalproperty *p;

	if (!parse_local(local, date, &t))
		return NULL;
	if (!date && tzid && strcmp(tzid, "UTC") == 0)
		t.zone = icaltimezone_get_utc_timezone();
	switch (kind) {
	case ICAL_DTSTART_PROPERTY: p = icalproperty_new_dtstart(t); break;
	case ICAL_DTEND_PROPERTY: p = icalproperty_new_dtend(t); break;
	case ICAL_EXDATE_PROPERTY: p = icalproperty_new_exdate(t); break;
	default: p = icalproperty_new_recurrenceid(t); break;
	}
	if (date)
		icalproperty_add_parameter(p, icalparameter_new_value(
						      ICAL_VALUE_DATE));
	else if (tzid && strcmp(tzid, "UTC") != 0)
		icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

static void add_time(icalcomponent *ev, icalproperty_kind kind,
		     const char *local, const char *tzid, bool date)
{
	icalproperty *p = time_prop(kind, local, tzid, date);

	if (p)
		icalcomponent_add_property(ev, p);
}

/* ---- verbatim lines ------------------------------------------------------ */

/* Move the properties and components libical reads from `lines` (kept by
 * ical_parse) into c; X-LIC-ERROR notes about bad lines are dropped. */
static void add_lines(icalcomponent *c, const char *lines)
{
	if (str_empty(lines))
		return;
	const char *name = icalcomponent_kind_to_string(icalcomponent_isa(c));
	char *text = xasprintf("BEGIN:%s\r\n%s\r\nEND:%s\r\n", name, lines,
			       name);
	icalcomponent *tmp = icalparser_parse_string(text), *src = tmp;
	icalproperty *p;
	icalcomponent *s;

	free(text);
	if (src && icalcomponent_isa(src) != icalcomponent_isa(c))
		src = icalcomponent_get_first_component(src,
							icalcomponent_isa(c));
	while (src && (p = icalcomponent_get_first_property(src,
						ICAL_ANY_PROPERTY))) {
		icalcomponent_remove_property(src, p);
		if (icalproperty_isa(p) == ICAL_XLICERROR_PROPERTY)
			icalproperty_free(p);
		else
			icalcomponent_add_property(c, p);
	}
	while (src && (s = icalcomponent_get_first_component(src,
						ICAL_ANY_COMPONENT))) {
		icalcomponent_remove_component(src, s);
		icalcomponent_add_component(c, s);
	}
	if (tmp)
		icalcomponent_free(tmp);
	icalerror_clear_errno();
}

/* ---- one event ------------------------------------------------------------- */

static void add_attendee(icalcomponent *ev, const struct appt_attendee *t)
{
	const char *v = t->email ? t->email : "";
	char *value = strchr(v, ':') || !strchr(v, '@') ?
			      xstrdup(v) : xasprintf("mailto:%s", v);
	icalproperty *p = NULL;

	if (!str_empty(t->params)) {
		char *line = xasprintf("ATTENDEE;%s:%s", t->params, value);
		p = icalproperty_new_from_string(line);
		free(line);
	}
	if (!p)
		p = icalproperty_new_attendee(value);
	free(value);
	if (!str_empty(t->name))
		icalproperty_add_parameter(p, icalparameter_new_cn(t->name));
	const char *rs[2][2] = { { "ROLE", t->role },
				 { "PARTSTAT", t->partstat } };
	for (int i = 0; i < 2; i++) {
		if (str_empty(rs[i][1]))
			continue;
		char *s = xasprintf("%s=%s", rs[i][0], rs[i][1]);
		icalparameter *pa = icalparameter_new_from_string(s);
		free(s);
		if (pa)
			icalproperty_add_parameter(p, pa);
	}
	icalcomponent_add_property(ev, p);
	icalerror_clear_errno();
}

static void add_alarm(icalcomponent *ev, const struct appointment *a,
		      const struct appt_reminder *r)
{
	icalcomponent *al = icalcomponent_new(ICAL_VALARM_COMPONENT);

	add_lines(al, r->extra);
	if (!icalcomponent_get_first_property(al, ICAL_TRIGGER_PROPERTY)) {
		struct icaltriggertype tr = { icaltime_null_time(),
			icaldurationtype_from_int(-r->minutes * 60) };
		icalcomponent_add_property(al, icalproperty_new_trigger(tr));
	}
	if (!icalcomponent_get_first_property(al, ICAL_ACTION_PROPERTY)) {
		icalcomponent_add_property(al, icalproperty_new_action(
						       ICAL_ACTION_DISPLAY));
		if (!icalcomponent_get_first_property(al,
					ICAL_DESCRIPTION_PROPERTY))
			icalcomponent_add_property(al,
				icalproperty_new_description(
					a->title ? a->title : ""));
	}
	icalcomponent_add_component(ev, al);
}

/* The series of an override in the list, for its RECURRENCE-ID's zone. */
static const struct appointment *series_of(struct appointment *const *v,
					   size_t n,
					   const struct appointment *o)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != o && !v[i]->recurrence_id &&
		    ((o->series_id && v[i]->id == o->series_id) ||
		     str_eq(v[i]->uid, o->uid)))
			return v[i];
	return NULL;
}

static void text_prop(icalcomponent *ev, icalproperty *(*mk)(const char *),
		      const char *v)
{
	if (!str_empty(v))
		icalcomponent_add_property(ev, mk(v));
}

static icalcomponent *event(const struct appointment *a,
			    const struct appointment *series,
			    struct icaltimetype now)
{
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	const char *tz = a->all_day ? NULL : a->tzid;

	text_prop(ev, icalproperty_new_uid, a->uid);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(now));
	add_time(ev, ICAL_DTSTART_PROPERTY, a->start, tz, a->all_day);
	if (!str_empty(a->end))
		add_time(ev, ICAL_DTEND_PROPERTY, a->end, tz, a->all_day);
	if (a->recurrence_id) {
		const struct appointment *s = series ? series : a;
		add_time(ev, ICAL_RECURRENCEID_PROPERTY, a->recurrence_id,
			 s->all_day ? NULL : s->tzid, s->all_day);
	}
	text_prop(ev, icalproperty_new_summary, a->title);
	text_prop(ev, icalproperty_new_location, a->location);
	text_prop(ev, icalproperty_new_description, a->notes);
	text_prop(ev, icalproperty_new_categories, a->category);
	if (!str_empty(a->rrule)) {
		struct icalrecurrencetype rr =
			icalrecurrencetype_from_string(a->rrule);
		if (rr.freq != ICAL_NO_RECURRENCE)
			icalcomponent_add_property(ev,
						   icalproperty_new_rrule(rr));
	}
	for (size_t i = 0; i < a->nexdates; i++)
		add_time(ev, ICAL_EXDATE_PROPERTY, a->exdates[i], tz,
			 a->all_day);
	for (size_t i = 0; i < a->natt; i++)
		add_attendee(ev, &a->att[i]);
	add_lines(ev, a->extra);
	for (size_t i = 0; i < a->nrem; i++)
		add_alarm(ev, a, &a->rem[i]);
	icalerror_clear_errno();
	return ev;
}

/* ---- the calendar ---------------------------------------------------------- */

struct ical_zone_use {
	const char *tzid;
	int first_year;
};

static void note_zone(struct ical_zone_use **z, size_t *n,
		      const struct appointment *a)
{
	if (a->all_day || str_empty(a->tzid) || strcmp(a->tzid, "UTC") == 0)
		return;
	int year = a->start ? atoi(a->start) : 1970;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*z)[i].tzid, a->tzid) == 0) {
			if (year < (*z)[i].first_year)
				(*z)[i].first_year = year;
			return;
		}
	*z = xrealloc(*z, (*n + 1) * sizeof **z);
	(*z)[(*n)++] = (struct ical_zone_use){ a->tzid, year };
}

/* libical's VTIMEZONE for the zone, named plainly (without libical's
 * "/freeassociation.sourceforge.net/" prefix) and cut to the years in
 * use. */
static void add_zone(icalcomponent *cal, const struct ical_zone_use *u)
{
	icaltimezone *z = icaltimezone_get_builtin_timezone(u->tzid);
	icalcomponent *src = z ? icaltimezone_get_component(z) : NULL;

	if (!src)
		return;
	icalcomponent *vtz = icalcomponent_new_clone(src);
	icalproperty *p = icalcomponent_get_first_property(vtz,
						ICAL_TZID_PROPERTY);
	if (p)
		icalproperty_set_tzid(p, u->tzid);
	struct icaltimetype from = icaltime_null_time();
	from.year = u->first_year > 1 ? u->first_year - 1 : 1;
	from.month = 1;
	from.day = 1;
	from.zone = icaltimezone_get_utc_timezone();
	icaltimezone_truncate_vtimezone(vtz, from, icaltime_null_time(), 1);
	icalcomponent_add_component(cal, vtz);
}

void ical_write(struct sbuf *out, struct appointment *const *appts,
		size_t n)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	struct icaltimetype now = icaltime_from_timet_with_zone(time(NULL), 0,
					icaltimezone_get_utc_timezone());
	struct ical_zone_use *zones = NULL;
	size_t nzones = 0;

	icalerror_set_errors_are_fatal(0);
	icalcomponent_add_property(cal, icalproperty_new_prodid(
					       "-//confab//confab//EN"));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale(
					       "GREGORIAN"));
	for (size_t i = 0; i < n; i++)
		note_zone(&zones, &nzones, appts[i]);
	for (size_t i = 0; i < nzones; i++)
		add_zone(cal, &zones[i]);
	free(zones);
	for (size_t i = 0; i < n; i++) {
		const struct appointment *a = appts[i];
		icalcomponent_add_component(cal, event(a, a->recurrence_id ?
					series_of(appts, n, a) : NULL, now));
	}
	char *s = icalcomponent_as_ical_string_r(cal);
	sbuf_add(out, s ? s : "");
	free(s);
	icalcomponent_free(cal);
	icalerror_clear_errno();
}
