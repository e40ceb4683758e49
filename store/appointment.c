/* store/appointment: allocation helpers for struct appointment. */
#include "store/appointment.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

struct appointment *appointment_new(void)
{
	return xcalloc(1, sizeof(struct appointment));
}

static void attendee_clear(struct appt_attendee *t)
{
	free(t->name);
	free(t->email);
	free(t->role);
	free(t->partstat);
	free(t->params);
}

void appointment_free(struct appointment *a)
{
	if (!a)
		return;
	free(a->uid);
	free(a->recurrence_id);
	free(a->title);
	free(a->location);
	free(a->notes);
	free(a->category);
	free(a->tzid);
	free(a->start);
	free(a->end);
	free(a->rrule);
	for (size_t i = 0; i < a->nexdates; i++)
		free(a->exdates[i]);
	free(a->exdates);
	for (size_t i = 0; i < a->natt; i++)
		attendee_clear(&a->att[i]);
	free(a->att);
	for (size_t i = 0; i < a->nrem; i++)
		free(a->rem[i].extra);
	free(a->rem);
	free(a->extra);
	free(a);
}

static char *dup_opt(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct appointment *appointment_dup(const struct appointment *a)
{
	struct appointment *d = appointment_new();

	*d = *a;
	d->uid = dup_opt(a->uid);
	d->recurrence_id = dup_opt(a->recurrence_id);
	d->title = dup_opt(a->title);
	d->location = dup_opt(a->location);
	d->notes = dup_opt(a->notes);
	d->category = dup_opt(a->category);
	d->tzid = dup_opt(a->tzid);
	d->start = dup_opt(a->start);
	d->end = dup_opt(a->end);
	d->rrule = dup_opt(a->rrule);
	d->extra = dup_opt(a->extra);
	d->exdates = NULL;
	d->nexdates = 0;
	for (size_t i = 0; i < a->nexdates; i++)
		appointment_add_exdate(d, a->exdates[i]);
	d->att = NULL;
	d->natt = 0;
	for (size_t i = 0; i < a->natt; i++) {
		struct appt_attendee *t = appointment_add_attendee(d);
		const struct appt_attendee *s = &a->att[i];
		t->name = dup_opt(s->name);
		t->email = dup_opt(s->email);
		t->contact_id = s->contact_id;
		t->role = dup_opt(s->role);
		t->partstat = dup_opt(s->partstat);
		t->params = dup_opt(s->params);
	}
	d->rem = NULL;
	d->nrem = 0;
	for (size_t i = 0; i < a->nrem; i++)
		appointment_add_reminder(d, a->rem[i].minutes, a->rem[i].extra);
	return d;
}

void appointment_add_exdate(struct appointment *a, const char *local)
{
	a->exdates = xrealloc(a->exdates, (a->nexdates + 1) *
					  sizeof *a->exdates);
	a->exdates[a->nexdates++] = xstrdup(local);
}

struct appt_attendee *appointment_add_attendee(struct appointment *a)
{
	a->att = xrealloc(a->att, (a->natt + 1) * sizeof *a->att);
	memset(&a->att[a->natt], 0, sizeof *a->att);
	return &a->att[a->natt++];
}

void appointment_add_reminder(struct appointment *a, int minutes,
			      const char *extra)
{
	a->rem = xrealloc(a->rem, (a->nrem + 1) * sizeof *a->rem);
	a->rem[a->nrem].minutes = minutes;
	a->rem[a->nrem].extra = dup_opt(extra);
	a->nrem++;
}
