/* store/formats/ical: iCalendar (RFC 5545) reading and writing, with libical.
 *
 * ical.c        ical_parse: VEVENTs -> struct appointment
 * ical_write.c  ical_write: appointments -> one VCALENDAR
 * winzones.c    Windows zone names ("W. Europe Standard Time") -> IANA,
 *               and ical_zone_iana, which resolves any TZID it can
 *
 * What is modelled: UID, SUMMARY, LOCATION, DESCRIPTION, the first
 * CATEGORIES, DTSTART/DTEND (or DURATION), the first RRULE, EXDATE,
 * RECURRENCE-ID, ATTENDEE (CN, mailto:, ROLE, PARTSTAT; other parameters
 * kept verbatim) and VALARM (a TRIGGER relative to the start becomes
 * "minutes before"; the alarm's other lines are kept verbatim).  Every
 * other property or sub-component of a VEVENT goes verbatim (unfolded,
 * one per line, joined by "\r\n") to appointment.extra and is written back,
 * so a round trip loses nothing.
 *
 * Times: a TZID naming an IANA zone (also behind a "/vendor/…/" prefix) or
 * a Windows zone keeps that zone; "Z" times get tzid "UTC"; floating times
 * and all-day (VALUE=DATE) events get tzid NULL.  A TZID that is neither
 * IANA nor Windows but has its own VTIMEZONE in the file is converted to
 * UTC with that VTIMEZONE (the instant stays right, which floating would
 * not guarantee); a TZID with no definition at all is read as floating.
 * DTEND, EXDATE and RECURRENCE-ID in another zone than the start are
 * converted to the start's zone (an override's RECURRENCE-ID: to its
 * series' zone).
 */
#ifndef CONFAB_STORE_FORMATS_ICAL_H
#define CONFAB_STORE_FORMATS_ICAL_H

#include <stddef.h>
#include "store/appointment.h"

struct sbuf;

/* Called for each VEVENT.  `a` is NULL when the event was skipped; `why`
 * then says why ("no DTSTART").  `line` is the 1-based line of its
 * BEGIN:VEVENT.  Overrides (RECURRENCE-ID set, series_id 0) come after
 * every series and single event of the data, so their series can be
 * stored first.  The callback owns a.  Return non-zero to stop. */
typedef int (*ical_event_cb)(void *arg, struct appointment *a, unsigned line,
			     const char *why);

/* Parse a whole buffer (one or more VCALENDARs, or bare VEVENTs).  Returns
 * the number of VEVENTs seen (stored or skipped), or -1 when the data is
 * not iCalendar (then *err, if given, is a new message). */
int ical_parse(const char *data, size_t len, ical_event_cb cb, void *arg,
	       char **err);

/* Append one VCALENDAR (PRODID "-//confab//confab//EN", VERSION 2.0, one
 * VTIMEZONE per zone used, CRLF, folded lines) holding the appointments.
 * An override (recurrence_id set) takes the zone of its RECURRENCE-ID
 * from the series in the same list (same uid), if there. */
void ical_write(struct sbuf *out, struct appointment *const *appts,
		size_t n);

/* The IANA name to keep for an iCalendar TZID: the name itself when libical
 * knows it, the zone behind a "/mozilla.org/20050126_1/Europe/London"
 * style prefix, the CLDR mapping of a Windows name, "UTC" for UTC/GMT;
 * NULL when unknown.  Points into tzid or to static storage. */
const char *ical_zone_iana(const char *tzid);
/* The CLDR (territory 001) IANA zone for a Windows zone name, or NULL. */
const char *ical_windows_zone(const char *name);

#endif
