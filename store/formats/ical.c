/* store/formats/ical: ical_parse, iCalendar VEVENTs -> appointments.
 *
 * libical parses (folding, escapes, parameters, values, VTIMEZONE); this
 * file maps its components onto struct appointment.  Line numbers for the
 * report come from the BEGIN:VEVENT lines of the raw text, matched in
 * order with the VEVENTs libical hands back.
 */
#include "store/formats/ical.h"
#include "common/str.h"

#include <libical/ical.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ICAL_MAX_REMINDER (366 * 1440)	/* what diary_save accepts */

struct ical_ev {
	icalcomponent *c;
	unsigned line;
	bool override;
	bool other;		/* a VTODO or VJOURNAL: reported, not read */
};

struct ical_rd {
	struct ical_ev *ev;
	size_t nev, cap;
	char *why;		/* the reason for the last skip */
};

/* A time with the zone it is written in: tzid is "UTC", an IANA name or
 * NULL (floating or a date); t.zone is set when the zone is known. */
struct ical_zt {
	struct icaltimetype t;
	const char *tzid;
};

/* ---- finding the VEVENTs ------------------------------------------------- */

static void collect(struct ical_rd *r, icalcomponent *c)
{
	for (icalcomponent *s = icalcomponent_get_first_component(c,
					ICAL_ANY_COMPONENT); s;
	     s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
		icalcomponent_kind k = icalcomponent_isa(s);
		if (k == ICAL_VCALENDAR_COMPONENT || k == ICAL_XROOT_COMPONENT) {
			collect(r, s);
			continue;
		}
		bool other = k == ICAL_VTODO_COMPONENT ||
			     k == ICAL_VJOURNAL_COMPONENT;
		if (k != ICAL_VEVENT_COMPONENT && !other)
			continue;
		if (r->nev == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->ev = xrealloc(r->ev, r->cap * sizeof *r->ev);
		}
		r->ev[r->nev++] = (struct ical_ev){ s, 0,
			!other && icalcomponent_get_first_property(s,
				ICAL_RECURRENCEID_PROPERTY) != NULL, other };
	}
}

/* The i-th BEGIN:VEVENT (VTODO, VJOURNAL) line of the text gives the
 * i-th component's line. */
static void number_lines(struct ical_rd *r, const char *data, size_t len)
{
	unsigned line = 1;
	size_t k = 0;

	for (size_t i = 0; i < len && k < r->nev; i++) {
		bool bol = i == 0 || data[i - 1] == '\n' ||
			   (data[i - 1] == '\r' && data[i] != '\n');
		if (bol && i > 0)
			line += line < UINT_MAX;
		if (bol && len - i >= 12 &&
		    (strncasecmp(data + i, "BEGIN:VEVENT", 12) == 0 ||
		     strncasecmp(data + i, "BEGIN:VTODO", 11) == 0 ||
		     (len - i >= 14 &&
		      strncasecmp(data + i, "BEGIN:VJOURNAL", 14) == 0)))
			r->ev[k++].line = line;
	}
}

/* ---- verbatim lines -------------------------------------------------------- */

/* libical's text for a property or component, unfolded, without its
 * final CRLF, appended to b after a "\r\n" when b is not empty. */
static void add_verbatim(struct sbuf *b, char *s)
{
	if (!s)		/* libical could not write it (a broken component) */
		return;
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (b->len)
		sbuf_add(b, "\r\n");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' &&
		    i + 2 < n && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
			i += 2;
			continue;
		}
		if (s[i] == '\n' && i + 1 < n && (s[i + 1] == ' ' ||
						  s[i + 1] == '\t')) {
			i++;
			continue;
		}
		sbuf_addc(b, s[i]);
	}
	free(s);
}

static char *take_or_null(struct sbuf *b)
{
	if (!b->len) {
		sbuf_free(b);
		return NULL;
	}
	return sbuf_take(b);
}

/* ---- times ----------------------------------------------------------------- */

static icaltimezone *zone_of(const char *tzid)
{
	if (!tzid)
		return NULL;
	if (strcmp(tzid, "UTC") == 0)
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(tzid);
}

static struct ical_zt resolve(icalcomponent *cal, icalproperty *p,
			      struct icaltimetype t)
{
	struct ical_zt z = { t, NULL };
	icalparameter *tp;
	const char *tzid, *iana;

	z.t.zone = NULL;
	if (t.is_date)
		return z;
	if (icaltime_is_utc(t)) {
		z.t.zone = icaltimezone_get_utc_timezone();
		z.tzid = "UTC";
		return z;
	}
	tp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	tzid = tp ? icalparameter_get_tzid(tp) : NULL;
	if (str_empty(tzid))
		return z;			/* floating */
	if ((iana = ical_zone_iana(tzid)) && (z.t.zone = zone_of(iana))) {
		z.tzid = iana;
		return z;
	}
	/* A zone of the file's own (Outlook's "Customized Time Zone"): its
	 * VTIMEZONE turns the time into UTC.  Without one: floating. */
	icaltimezone *own = cal ? icalcomponent_get_timezone(cal, tzid) : NULL;
	if (own) {
		z.t.zone = own;
		z.t = icaltime_convert_to_zone(z.t,
					       icaltimezone_get_utc_timezone());
		z.tzid = "UTC";
	}
	return z;
}

/* x in the zone of `frame` (both as written when either is floating). */
static struct icaltimetype in_frame(struct ical_zt x,
				    const struct ical_zt *frame)
{
	icaltimezone *fz = zone_of(frame->tzid);

	if (fz && x.t.zone && !(x.tzid && strcmp(x.tzid, frame->tzid) == 0))
		x.t = icaltime_convert_to_zone(x.t, fz);
	return x.t;
}

static char *fmt_local(struct icaltimetype t, bool date)
{
	if (date)
		return xasprintf("%04d-%02d-%02d", t.year, t.month, t.day);
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month,
			 t.day, t.is_date ? 0 : t.hour, t.is_date ? 0 : t.minute,
			 t.is_date ? 0 : t.second);
}

static bool time_ok(struct icaltimetype t)
{
	return !icaltime_is_null_time(t) && icaltime_is_valid_time(t) &&
	       t.year >= 1 && t.year <= 9999 && t.month >= 1 &&
	       t.month <= 12 && t.day >= 1 && t.day <= 31;
}

static bool start_of(icalcomponent *ev, struct ical_zt *z)
{
	icalproperty *p = icalcomponent_get_first_property(ev,
						ICAL_DTSTART_PROPERTY);

	if (!p)
		return false;
	*z = resolve(icalcomponent_get_parent(ev), p,
		     icalproperty_get_dtstart(p));
	return time_ok(z->t);
}

/* ---- attendees and alarms ------------------------------------------------ */

/* "ROLE=CHAIR" -> "CHAIR" (new string). */
static char *param_value(icalparameter *pa)
{
	char *s = icalparameter_as_ical_string_r(pa);
	char *eq = s ? strchr(s, '=') : NULL;
	char *v = xstrdup(eq ? eq + 1 : "");

	free(s);
	return v;
}

static void read_attendee(struct appointment *a, icalproperty *p)
{
	const char *v = icalproperty_get_attendee(p);
	struct appt_attendee *t = appointment_add_attendee(a);
	struct sbuf params;

	if (v && str_istarts(v, "mailto:"))
		t->email = xstrdup(v + 7);
	else
		t->email = xstrdup(v ? v : "");
	sbuf_init(&params);
	for (icalparameter *pa = icalproperty_get_first_parameter(p,
					ICAL_ANY_PARAMETER); pa;
	     pa = icalproperty_get_next_parameter(p, ICAL_ANY_PARAMETER)) {
		switch (icalparameter_isa(pa)) {
		case ICAL_CN_PARAMETER:
			if (!t->name && icalparameter_get_cn(pa)) {
				t->name = xstrdup(icalparameter_get_cn(pa));
				break;
			}
			goto other;
		case ICAL_ROLE_PARAMETER:
			if (!t->role) {
				t->role = param_value(pa);
				break;
			}
			goto other;
		case ICAL_PARTSTAT_PARAMETER:
			if (!t->partstat) {
				t->partstat = param_value(pa);
				break;
			}
			goto other;
		default:
		other: {
			char *s = icalparameter_as_ical_string_r(pa);
			if (s) {
				if (params.len)
					sbuf_addc(&params, ';');
				sbuf_add(&params, s);
				free(s);
			}
		}
		}
	}
	t->params = take_or_null(&params);
}

static int64_t utc_seconds(struct ical_zt z)
{
	return (int64_t)icaltime_as_timet_with_zone(z.t, z.t.zone ? z.t.zone :
					icaltimezone_get_utc_timezone());
}

/* A TRIGGER of -PT15M (before the start) is "15 minutes"; any other kind
 * (after the start, RELATED=END, an absolute time) is kept verbatim in
 * extra, with minutes as near as it can be said. */
static void read_alarm(struct appointment *a, icalcomponent *al,
		       const struct ical_zt *start, const struct ical_zt *end)
{
	icalproperty *tp = icalcomponent_get_first_property(al,
						ICAL_TRIGGER_PROPERTY);
	int64_t minutes = 0;
	bool keep = true;
	struct sbuf x;

	if (tp) {
		struct icaltriggertype tr = icalproperty_get_trigger(tp);
		icalparameter *rel = icalproperty_get_first_parameter(tp,
						ICAL_RELATED_PARAMETER);
		bool at_end = rel && icalparameter_get_related(rel) ==
					     ICAL_RELATED_END;
		if (icaltime_is_null_time(tr.time)) {
			int64_t s = icaldurationtype_as_int(tr.duration);
			if (at_end)
				s += utc_seconds(*end) - utc_seconds(*start);
			minutes = -s / 60;
			keep = at_end || s > 0 || s % 60 != 0;
		} else {
			struct ical_zt abs = { tr.time, NULL };
			if (!icaltime_is_utc(tr.time))
				abs.t.zone = start->t.zone;
			minutes = (utc_seconds(*start) - utc_seconds(abs)) / 60;
		}
	}
	if (minutes < 0)
		minutes = 0;
	if (minutes > ICAL_MAX_REMINDER)
		minutes = ICAL_MAX_REMINDER;
	sbuf_init(&x);
	for (icalproperty *p = icalcomponent_get_first_property(al,
					ICAL_ANY_PROPERTY); p;
	     p = icalcomponent_get_next_property(al, ICAL_ANY_PROPERTY)) {
		if ((p == tp && !keep) ||
		    icalproperty_isa(p) == ICAL_XLICERROR_PROPERTY)
			continue;
		add_verbatim(&x, icalproperty_as_ical_string_r(p));
	}
	for (icalcomponent *s = icalcomponent_get_first_component(al,
					ICAL_ANY_COMPONENT); s;
	     s = icalcomponent_get_next_component(al, ICAL_ANY_COMPONENT))
		add_verbatim(&x, icalcomponent_as_ical_string_r(s));
	char *extra = take_or_null(&x);
	appointment_add_reminder(a, (int)minutes, extra);
	free(extra);
}

/* ---- one VEVENT ---------------------------------------------------------- */

static void set_once(char **dst, const char *v, bool *used)
{
	*used = !*dst && v;
	if (*used)
		*dst = xstrdup(v);
}

/* The series of an override, in the same data: its start gives the
 * zone and form (date or time) of RECURRENCE-ID. */
static bool series_start(struct ical_rd *r, const char *uid,
			 struct ical_zt *z)
{
	for (size_t i = 0; uid && i < r->nev; i++) {
		if (r->ev[i].override)
			continue;
		const char *u = icalcomponent_get_uid(r->ev[i].c);
		if (u && strcmp(u, uid) == 0)
			return start_of(r->ev[i].c, z);
	}
	return false;
}

/* A UID for events that have none (calcurse's exports): the same event
 * read twice gets the same one, so importing it again updates it. */
static char *made_up_uid(const struct appointment *a)
{
	uint64_t h = 1469598103934665603ull;
	const char *parts[] = { a->start, a->tzid, a->title, a->rrule };

	for (size_t i = 0; i < 4; i++)
		for (const char *p = parts[i] ? parts[i] : ""; ; p++) {
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
			if (!*p)
				break;
		}
	return xasprintf("confab-%016llx@import", (unsigned long long)h);
}

static void note_error(struct ical_rd *r, icalproperty *p)
{
	if (!r->why) {
		const char *s = icalproperty_get_xlicerror(p);
		r->why = xstrdup(s ? s : "unreadable property");
	}
}

static void skip_because(struct ical_rd *r, const char *what)
{
	char *was = r->why;

	r->why = was ? xasprintf("%s (%s)", what, was) : xstrdup(what);
	free(was);
}

/* Everything but the times, which read_times does. */
static void read_props(struct ical_rd *r, icalcomponent *ev,
		       struct appointment *a, struct sbuf *x)
{
	bool used, rrule = false;
	/* the first of each: looked up before the loop, which a lookup
	 * inside it would restart (libical has one iterator per kind) */
	icalproperty *firsts[] = {
		icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY),
		icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY),
		icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY),
		icalcomponent_get_first_property(ev,
						 ICAL_RECURRENCEID_PROPERTY),
		icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY),
	};

	for (icalproperty *p = icalcomponent_get_first_property(ev,
					ICAL_ANY_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_ANY_PROPERTY)) {
		used = true;
		switch (icalproperty_isa(p)) {
		case ICAL_UID_PROPERTY:
			set_once(&a->uid, icalproperty_get_uid(p), &used);
			break;
		case ICAL_SUMMARY_PROPERTY:
			set_once(&a->title, icalproperty_get_summary(p), &used);
			break;
		case ICAL_LOCATION_PROPERTY:
			set_once(&a->location, icalproperty_get_location(p),
				 &used);
			break;
		case ICAL_DESCRIPTION_PROPERTY:
			set_once(&a->notes, icalproperty_get_description(p),
				 &used);
			break;
		case ICAL_CATEGORIES_PROPERTY:
			set_once(&a->category, icalproperty_get_categories(p),
				 &used);
			break;
		case ICAL_RRULE_PROPERTY:
			used = !rrule;
			if (used) {
				struct icalrecurrencetype rr =
					icalproperty_get_rrule(p);
				a->rrule = icalrecurrencetype_as_string_r(&rr);
				rrule = true;
			}
			break;
		case ICAL_ATTENDEE_PROPERTY:
			read_attendee(a, p);
			break;
		case ICAL_EXDATE_PROPERTY:
			break;
		case ICAL_DTSTART_PROPERTY:
		case ICAL_DTEND_PROPERTY:
		case ICAL_DURATION_PROPERTY:
		case ICAL_RECURRENCEID_PROPERTY:
		case ICAL_DTSTAMP_PROPERTY:	/* written anew on export */
			used = false;
			for (size_t i = 0; i < 5; i++)
				used |= p == firsts[i];
			break;
		case ICAL_XLICERROR_PROPERTY:
			note_error(r, p);
			break;
		default:
			used = false;
		}
		if (!used)
			add_verbatim(x, icalproperty_as_ical_string_r(p));
	}
}

static int read_times(struct ical_rd *r, icalcomponent *ev,
		      struct appointment *a, struct ical_zt *s,
		      struct ical_zt *e)
{
	icalproperty *p;

	if (!start_of(ev, s)) {
		skip_because(r, icalcomponent_get_first_property(ev,
				ICAL_DTSTART_PROPERTY) ? "bad DTSTART" :
				"no DTSTART");
		return -1;
	}
	a->all_day = s->t.is_date;
	a->tzid = xstrdup(s->tzid);
	a->start = fmt_local(s->t, a->all_day);
	*e = *s;
	if ((p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY))) {
		struct ical_zt z = resolve(icalcomponent_get_parent(ev), p,
					   icalproperty_get_dtend(p));
		if (time_ok(z.t)) {
			e->t = in_frame(z, s);
			a->end = fmt_local(e->t, a->all_day);
		}
	} else if ((p = icalcomponent_get_first_property(ev,
					ICAL_DURATION_PROPERTY))) {
		e->t = icaltime_add(s->t, icalproperty_get_duration(p));
		if (time_ok(e->t))
			a->end = fmt_local(e->t, a->all_day);
	}
	if (!a->end && !a->all_day)	/* RFC 5545: it ends as it starts */
		a->end = xstrdup(a->start);
	for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		struct ical_zt z = resolve(icalcomponent_get_parent(ev), p,
					   icalproperty_get_exdate(p));
		if (time_ok(z.t)) {
			char *v = fmt_local(in_frame(z, s), a->all_day);
			appointment_add_exdate(a, v);
			free(v);
		}
	}
	if ((p = icalcomponent_get_first_property(ev,
					ICAL_RECURRENCEID_PROPERTY))) {
		struct ical_zt z = resolve(icalcomponent_get_parent(ev), p,
					   icalproperty_get_recurrenceid(p));
		struct ical_zt ss;
		if (!time_ok(z.t)) {
			skip_because(r, "bad RECURRENCE-ID");
			return -1;
		}
		if (!series_start(r, a->uid, &ss))
			ss = *s;
		a->recurrence_id = fmt_local(in_frame(z, &ss), ss.t.is_date);
	}
	return 0;
}

static struct appointment *read_event(struct ical_rd *r, icalcomponent *ev)
{
	struct appointment *a = appointment_new();
	struct ical_zt s, e;
	struct sbuf x;

	sbuf_init(&x);
	read_props(r, ev, a, &x);
	if (read_times(r, ev, a, &s, &e) < 0) {
		sbuf_free(&x);
		appointment_free(a);
		return NULL;
	}
	for (icalcomponent *c = icalcomponent_get_first_component(ev,
					ICAL_ANY_COMPONENT); c;
	     c = icalcomponent_get_next_component(ev, ICAL_ANY_COMPONENT)) {
		if (icalcomponent_isa(c) == ICAL_VALARM_COMPONENT)
			read_alarm(a, c, &s, &e);
		else
			add_verbatim(&x, icalcomponent_as_ical_string_r(c));
	}
	a->extra = take_or_null(&x);
	if (str_empty(a->title))
		str_set(&a->title, "(no title)");
	if (str_empty(a->uid)) {
		free(a->uid);
		a->uid = made_up_uid(a);
	}
	free(r->why);
	r->why = NULL;
	return a;
}

/* ---- the whole buffer ------------------------------------------------------ */

static bool has_calendar(icalcomponent *c)
{
	icalcomponent_kind k = icalcomponent_isa(c);

	if (k == ICAL_VCALENDAR_COMPONENT || k == ICAL_VEVENT_COMPONENT)
		return true;
	if (k != ICAL_XROOT_COMPONENT)
		return false;
	for (icalcomponent *s = icalcomponent_get_first_component(c,
					ICAL_ANY_COMPONENT); s;
	     s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if (has_calendar(s))
			return true;
	return false;
}

int ical_parse(const char *data, size_t len, ical_event_cb cb, void *arg,
	       char **err)
{
	struct ical_rd r = { 0 };
	char *text = xstrndup(data, len);
	icalcomponent *root;
	int n = 0;

	icalerror_set_errors_are_fatal(0);
	root = icalparser_parse_string(text);
	free(text);
	if (!root || !has_calendar(root)) {
		if (root)
			icalcomponent_free(root);
		if (err)
			*err = xstrdup(!root && memmem(data, len, "BEGIN:V", 7) ?
				"incomplete iCalendar data: a BEGIN line has no "
				"matching END line (is the file cut short?)" :
				"not an iCalendar file (expected "
				"BEGIN:VCALENDAR)");
		icalerror_clear_errno();
		return -1;
	}
	if (icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT) {
		/* a bare VEVENT: hang it under a calendar, as collect wants */
		icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
		icalcomponent_add_component(cal, root);
		root = cal;
	}
	collect(&r, root);
	number_lines(&r, data, len);
	/* series and single events first, then the overrides */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < r.nev; i++) {
			if (r.ev[i].override != (pass == 1))
				continue;
			struct appointment *a = NULL;
			if (r.ev[i].other)
				r.why = xasprintf("%s: only events are "
					"imported", icalcomponent_kind_to_string(
					icalcomponent_isa(r.ev[i].c)));
			else
				a = read_event(&r, r.ev[i].c);
			n += n < INT_MAX;
			int stop = cb(arg, a, r.ev[i].line,
				      a ? NULL : r.why);
			free(r.why);
			r.why = NULL;
			if (stop)
				goto done;
		}
	}
done:
	free(r.ev);
	icalcomponent_free(root);
	icalerror_clear_errno();
	return n;
}
