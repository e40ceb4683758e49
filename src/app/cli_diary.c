/* app/cli_diary: `confab diary SUBCOMMAND`: list, add, show, delete, and
 * import/export (src/app/cli_diary_io.c). */
#include "app/app.h"
#include "app/cli.h"
#include "app/cli_diary.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "store/diary.h"
#include "store/recur.h"
#include "common/str.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 2
#define LIST_DAYS 30	/* `diary list` without --to */

static const struct option lopts[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "to", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "title", required_argument, NULL, 'T' },
	{ "start", required_argument, NULL, 's' },
	{ "end", required_argument, NULL, 'e' },
	{ "rrule", required_argument, NULL, 'r' },
	{ "remind", required_argument, NULL, 'R' },
	{ "tz", required_argument, NULL, 'z' },
	{ "all-day", no_argument, NULL, 'a' },
	{ "location", required_argument, NULL, 'l' },
	{ "notes", required_argument, NULL, 'n' },
	{ "category", required_argument, NULL, 'c' },
	{ "attendee", required_argument, NULL, 'A' },
	{ NULL, 0, NULL, 0 },
};

/* "15m", "2h", "1d", "1w", "90" (minutes); -1 when not a lead time. */
static int cli_diary_minutes(const char *s)
{
	char *end;
	long n;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || n < 0 || n > 366L * 1440)
		return -1;
	switch (*end) {
	case '\0': case 'm': break;
	case 'h': n *= 60; break;
	case 'd': n *= 1440; break;
	case 'w': n *= 7 * 1440; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	return n > 366L * 1440 ? -1 : (int)n;
}

/* A --from/--to value in the user's zone; a date alone is its midnight,
 * or for `end_of_day` the midnight after. */
static int parse_when(const char *s, bool end_of_day, int64_t *out,
		      struct out *o)
{
	struct dt t;

	if (strcmp(s, "today") == 0) {
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		t = (struct dt){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				 0, 0, 0, true };
	} else if (!dt_parse(s, &t)) {
		out_errorf(o, "not a date: '%s' (use YYYY-MM-DD or "
			   "\"YYYY-MM-DD HH:MM\")", s);
		return -EINVAL;
	}
	if (t.date && end_of_day)
		dt_add_days(&t, 1);
	*out = dt_to_utc(&t, NULL);
	return 0;
}

static void local_str(int64_t utc, bool date, char *buf, size_t n)
{
	time_t t = (time_t)utc;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, n, date ? "%Y-%m-%d" : "%Y-%m-%d %H:%M", &tm);
}

static json_t *occ_json(const struct occurrence *x)
{
	json_t *j = json_object();
	char s[32], e[32];

	local_str(x->start_utc, x->all_day, s, sizeof s);
	/* all-day ends are exclusive: show the last day */
	local_str(x->all_day ? x->end_utc - 1 : x->end_utc, x->all_day, e,
		  sizeof e);
	json_object_set_new(j, "id", json_integer(x->appt_id));
	json_object_set_new(j, "series_id", json_integer(x->series_id));
	json_object_set_new(j, "title", json_string(x->title));
	json_object_set_new(j, "start", json_string(s));
	json_object_set_new(j, "end", json_string(e));
	json_object_set_new(j, "start_utc", json_integer(x->start_utc));
	json_object_set_new(j, "end_utc", json_integer(x->end_utc));
	json_object_set_new(j, "all_day", json_boolean(x->all_day));
	json_object_set_new(j, "recurring", json_boolean(x->recurring));
	if (x->recurrence_id)
		json_object_set_new(j, "recurrence_id",
				    json_string(x->recurrence_id));
	if (*x->location)
		json_object_set_new(j, "location", json_string(x->location));
	if (*x->category)
		json_object_set_new(j, "category", json_string(x->category));
	json_object_set_new(j, "reminders", json_integer(x->nrem));
	return j;
}

static int print_json(struct out *o, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(j);
	if (!s)
		return 1;
	out_printf(o, "%s\n", s);
	free(s);
	return 0;
}

struct args {
	const char *from, *to, *title, *start, *end, *rrule, *tz;
	const char *location, *notes, *category;
	const char **remind, **attendees;
	size_t nremind, nattendees;
	bool json, all_day;
	char **pos;
	int npos;
};

static int list(struct app *a, struct args *g, struct out *o)
{
	int64_t from, to;
	struct occurrence *v;
	size_t n;

	if (parse_when(g->from ? g->from : "today", false, &from, o) < 0)
		return EXIT_USAGE;
	if (g->to) {
		if (parse_when(g->to, true, &to, o) < 0)
			return EXIT_USAGE;
	} else {
		to = from + (int64_t)LIST_DAYS * 86400;
	}
	if (to <= from) {
		out_errorf(o, "--to is before --from");
		return EXIT_USAGE;
	}
	if (diary_range(a->db, from, to, &v, &n) < 0) {
		out_errorf(o, "cannot read the diary");
		return 1;
	}
	if (g->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, occ_json(&v[i]));
		occurrences_free(v, n);
		return print_json(o, arr);
	}
	for (size_t i = 0; i < n; i++) {
		char s[32], e[32];
		local_str(v[i].start_utc, v[i].all_day, s, sizeof s);
		local_str(v[i].all_day ? v[i].end_utc - 1 : v[i].end_utc,
			  v[i].all_day, e, sizeof e);
		out_printf(o, "%lld\t%s\t%s\t%s\t%s%s\n",
			   (long long)v[i].appt_id, s,
			   v[i].all_day && strcmp(s, e) == 0 ? "" : e,
			   v[i].title, v[i].location,
			   v[i].recurring ? "\trecurring" : "");
	}
	occurrences_free(v, n);
	return 0;
}

/* An attendee: a contact found by the text (its first email), else a bare
 * email address. */
static int attendee(struct app *a, struct appointment *ap, const char *text,
		    struct out *o)
{
	int64_t *ids = NULL;
	size_t n = 0;
	struct contact *c = NULL;

	if (contacts_search(a->db, text, 0, 2, &ids, &n, NULL) == 0 &&
	    n == 1 && contacts_get(a->db, ids[0], &c) == 0) {
		const struct cfield *em = contact_first(c, CF_EMAIL);
		struct appt_attendee *t = appointment_add_attendee(ap);
		t->name = xstrdup(c->fn);
		t->email = em ? xstrdup(em->value) : NULL;
		t->contact_id = c->id;
		contact_free(c);
	} else if (strchr(text, '@')) {
		appointment_add_attendee(ap)->email = xstrdup(text);
	} else {
		out_errorf(o, "--attendee '%s': %s", text,
			   n ? "more than one contact matches; give an email"
			     : "no contact matches");
		free(ids);
		return -EINVAL;
	}
	free(ids);
	return 0;
}

static int add(struct app *a, struct args *g, struct out *o)
{
	struct appointment *ap = appointment_new();
	char *err = NULL;
	int rc = 0;

	if (!g->title || !g->start) {
		out_errorf(o, "diary add needs --title and --start");
		appointment_free(ap);
		return EXIT_USAGE;
	}
	ap->title = xstrdup(g->title);
	ap->start = xstrdup(g->start);
	ap->end = xstrdup(g->end);
	/* an all-day event's --end is its last day; stored, the day after */
	struct dt sd, ed;
	if (g->end && dt_parse(g->start, &sd) && dt_parse(g->end, &ed) &&
	    (sd.date || g->all_day) && ed.date) {
		char buf[DT_STRLEN];
		dt_add_days(&ed, 1);
		dt_format(&ed, buf);
		str_set(&ap->end, buf);
	}
	ap->rrule = xstrdup(g->rrule);
	ap->all_day = g->all_day;
	ap->tzid = xstrdup(g->tz ? g->tz : dt_local_zone());
	ap->location = xstrdup(g->location);
	ap->notes = xstrdup(g->notes);
	ap->category = xstrdup(g->category);
	for (size_t i = 0; i < g->nremind && rc == 0; i++) {
		int m = cli_diary_minutes(g->remind[i]);
		if (m < 0) {
			out_errorf(o, "--remind '%s': give a lead time like 15m, "
				   "2h or 1d", g->remind[i]);
			rc = EXIT_USAGE;
		} else {
			appointment_add_reminder(ap, m, NULL);
		}
	}
	for (size_t i = 0; i < g->nattendees && rc == 0; i++)
		if (attendee(a, ap, g->attendees[i], o) < 0)
			rc = 1;
	if (rc == 0 && diary_save(a->db, ap, &err) < 0) {
		out_errorf(o, "%s", err ? err : "cannot save the appointment");
		rc = 1;
	}
	if (rc == 0) {
		crm_link_meeting(a->db, ap);	/* customers' timelines */
		out_printf(o, "%lld\n", (long long)ap->id);
	}
	free(err);
	appointment_free(ap);
	return rc;
}

static int get_id(struct args *g, int64_t *id, struct out *o)
{
	char *end;

	if (g->npos != 1) {
		out_errorf(o, "give one appointment id");
		return EXIT_USAGE;
	}
	*id = strtoll(g->pos[0], &end, 10);
	if (*end || *id <= 0) {
		out_errorf(o, "not an appointment id: '%s'", g->pos[0]);
		return EXIT_USAGE;
	}
	return 0;
}

static json_t *appt_json(const struct appointment *ap)
{
	json_t *j = json_object(), *r = json_array(), *t = json_array();

	json_object_set_new(j, "id", json_integer(ap->id));
	json_object_set_new(j, "uid", json_string(ap->uid));
	json_object_set_new(j, "title", json_string(ap->title));
	json_object_set_new(j, "start", json_string(ap->start));
	json_object_set_new(j, "end", json_string(ap->end));
	json_object_set_new(j, "tzid", ap->tzid ? json_string(ap->tzid) :
						  json_null());
	json_object_set_new(j, "all_day", json_boolean(ap->all_day));
	if (ap->rrule)
		json_object_set_new(j, "rrule", json_string(ap->rrule));
	if (ap->nexdates) {
		json_t *x = json_array();
		for (size_t i = 0; i < ap->nexdates; i++)
			json_array_append_new(x, json_string(ap->exdates[i]));
		json_object_set_new(j, "exdates", x);
	}
	if (ap->recurrence_id)
		json_object_set_new(j, "recurrence_id",
				    json_string(ap->recurrence_id));
	if (ap->location)
		json_object_set_new(j, "location", json_string(ap->location));
	if (ap->category)
		json_object_set_new(j, "category", json_string(ap->category));
	if (ap->notes)
		json_object_set_new(j, "notes", json_string(ap->notes));
	for (size_t i = 0; i < ap->nrem; i++)
		json_array_append_new(r, json_integer(ap->rem[i].minutes));
	json_object_set_new(j, "reminders", r);
	for (size_t i = 0; i < ap->natt; i++) {
		json_t *x = json_object();
		if (ap->att[i].name)
			json_object_set_new(x, "name",
					    json_string(ap->att[i].name));
		if (ap->att[i].email)
			json_object_set_new(x, "email",
					    json_string(ap->att[i].email));
		if (ap->att[i].contact_id)
			json_object_set_new(x, "contact_id",
					    json_integer(ap->att[i].contact_id));
		json_array_append_new(t, x);
	}
	json_object_set_new(j, "attendees", t);
	return j;
}

static int show(struct app *a, struct args *g, struct out *o)
{
	struct appointment *ap;
	int64_t id;
	int rc = get_id(g, &id, o);

	if (rc)
		return rc;
	if (diary_get(a->db, id, &ap) < 0) {
		out_errorf(o, "no appointment %lld", (long long)id);
		return 1;
	}
	if (g->json) {
		rc = print_json(o, appt_json(ap));
	} else {
		out_printf(o, "Title:     %s\nStart:     %s%s%s\nEnd:       %s\n",
			   ap->title, ap->start, ap->tzid ? " " : "",
			   ap->tzid ? ap->tzid : "", ap->end);
		if (ap->rrule)
			out_printf(o, "Repeats:   %s\n", ap->rrule);
		for (size_t i = 0; i < ap->nexdates; i++)
			out_printf(o, "Except:    %s\n", ap->exdates[i]);
		if (ap->location)
			out_printf(o, "Location:  %s\n", ap->location);
		if (ap->category)
			out_printf(o, "Category:  %s\n", ap->category);
		for (size_t i = 0; i < ap->nrem; i++)
			out_printf(o, "Reminder:  %d minutes before\n",
				   ap->rem[i].minutes);
		for (size_t i = 0; i < ap->natt; i++)
			out_printf(o, "Attendee:  %s%s%s%s\n",
				   ap->att[i].name ? ap->att[i].name : "",
				   ap->att[i].name ? " <" : "",
				   ap->att[i].email ? ap->att[i].email : "",
				   ap->att[i].name ? ">" : "");
		if (ap->notes)
			out_printf(o, "\n%s\n", ap->notes);
	}
	appointment_free(ap);
	return rc;
}

static int del(struct app *a, struct args *g, struct out *o)
{
	int64_t id;
	int rc = get_id(g, &id, o);

	if (rc)
		return rc;
	if (diary_delete(a->db, id) < 0) {
		out_errorf(o, "no appointment %lld", (long long)id);
		return 1;
	}
	return 0;
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static int parse(int argc, char **argv, struct args *g, struct out *o)
{
	int ch;

	optind = 0;	/* glibc: a full reset, so options may follow
			   the arguments */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", lopts, NULL)) != -1) {
		switch (ch) {
		case 'f': g->from = optarg; break;
		case 't': g->to = optarg; break;
		case 'j': g->json = true; break;
		case 'T': g->title = optarg; break;
		case 's': g->start = optarg; break;
		case 'e': g->end = optarg; break;
		case 'r': g->rrule = optarg; break;
		case 'R': push(&g->remind, &g->nremind, optarg); break;
		case 'z': g->tz = optarg; break;
		case 'a': g->all_day = true; break;
		case 'l': g->location = optarg; break;
		case 'n': g->notes = optarg; break;
		case 'c': g->category = optarg; break;
		case 'A': push(&g->attendees, &g->nattendees, optarg); break;
		case ':':
			out_errorf(o, "%s needs a value", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			out_errorf(o, "unknown option '%s' (see: confab help "
				   "diary)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	g->pos = argv + optind;
	g->npos = argc - optind;
	return 0;
}

int cli_diary_run(struct app *a, int argc, char **argv, struct out *o)
{
	static const struct {
		const char *name;
		int (*run)(struct app *, struct args *, struct out *);
	} subs[] = {
		{ "list", list }, { "add", add }, { "show", show },
		{ "delete", del },
	};
	struct args g = { 0 };
	int rc = -1;

	if (argc > 1 && (strcmp(argv[1], "import") == 0 ||
			 strcmp(argv[1], "export") == 0))
		return argv[1][0] == 'i' ?
			       cli_diary_import(a, argc - 1, argv + 1, o) :
			       cli_diary_export(a, argc - 1, argv + 1, o);
	if (argc > 1 && (strcmp(argv[1], "help") == 0 ||
			 strcmp(argv[1], "--help") == 0)) {
		const struct app_cmd *self = app_cmd_find("diary");
		out_printf(o, "%s", self ? self->usage : "");
		return 0;
	}
	const char *name = argc > 1 ? argv[1] : "list";
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(name, subs[i].name) == 0) {
			rc = parse(argc > 1 ? argc - 1 : 1, argc > 1 ? argv + 1 :
				   argv, &g, o);
			if (rc == 0)
				rc = subs[i].run(a, &g, o);
		}
	if (rc == -1) {
		out_errorf(o, "unknown diary command '%s': use list, add, show, "
			   "delete, import or export (see: confab help diary)",
			   name);
		rc = EXIT_USAGE;
	}
	free(g.remind);
	free(g.attendees);
	return rc;
}
