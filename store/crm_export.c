/* store/crm_export: CRM records and timelines as one CSV file.
 *
 * RFC 4180: a header row, fields quoted when they hold a comma, a quote,
 * a line break or edge spaces (quotes doubled), CRLF line ends.  Column
 * "kind" is "record" for a record's row and the event kind for each of
 * its timeline rows, which follow it oldest first and carry the record's
 * uid and name so that a spreadsheet can filter and sort them.
 */
#include "store/crm.h"
#include "store/db.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char crm_export_header[] =
	"kind,record_uid,name,organisation,status,owner,value,currency,"
	"source,tags,next_action,next_date,contact_uid,at,text\r\n";

static void crm_export_cell(struct sbuf *b, const char *s, bool last)
{
	s = s ? s : "";
	size_t n = strlen(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL ||
		     (n && (s[0] == ' ' || s[n - 1] == ' '));

	if (quote) {
		sbuf_addc(b, '"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				sbuf_addc(b, '"');
			sbuf_addc(b, *p);
		}
		sbuf_addc(b, '"');
	} else {
		sbuf_add(b, s);
	}
	sbuf_add(b, last ? "\r\n" : ",");
}

static void crm_export_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	if (!strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		buf[0] = '\0';
}

static void crm_export_record(struct sbuf *b, const struct crm_record *r)
{
	char value[32] = "", at[32];
	struct sbuf tags;

	if (r->has_value)
		snprintf(value, sizeof value, "%s%lld.%02lld",
			 r->value_cents < 0 ? "-" : "",
			 llabs((long long)r->value_cents) / 100,
			 llabs((long long)r->value_cents) % 100);
	sbuf_init(&tags);
	for (size_t i = 0; i < r->ntags; i++)
		sbuf_printf(&tags, "%s%s", i ? ";" : "", r->tags[i]);
	crm_export_time(at, sizeof at, r->created);
	const char *cells[] = { "record", r->uid, r->name, r->org, r->status,
				r->owner, value, r->has_value ? r->currency :
				NULL, r->source, sbuf_str(&tags),
				r->next_action, r->next_date, r->contact_uid,
				at, NULL };
	for (size_t i = 0; i < 15; i++)
		crm_export_cell(b, cells[i], i == 14);
	sbuf_free(&tags);
}

static int crm_export_one(struct db *db, int64_t id, struct sbuf *b)
{
	struct crm_record *r;
	struct crm_event *e;
	size_t ne;
	int rc;

	if ((rc = crm_get(db, id, &r)) < 0)
		return rc == -ENOENT ? 0 : rc;
	if ((rc = crm_events(db, id, &e, &ne)) < 0) {
		crm_record_free(r);
		return rc;
	}
	crm_export_record(b, r);
	for (size_t i = ne; i-- > 0;) {	/* oldest first */
		char at[32];
		crm_export_time(at, sizeof at, e[i].at);
		const char *cells[] = { e[i].kind, r->uid, r->name };
		for (size_t j = 0; j < 3; j++)
			crm_export_cell(b, cells[j], false);
		sbuf_add(b, ",,,,,,,,,,");	/* organisation … contact_uid */
		crm_export_cell(b, at, false);
		crm_export_cell(b, e[i].text, true);
	}
	crm_events_free(e, ne);
	crm_record_free(r);
	return 0;
}

int crm_export_csv(struct db *db, const int64_t *ids, size_t n, FILE *f)
{
	int64_t *all = NULL;
	struct sbuf b;
	int rc = 0;

	if (!ids) {
		if ((rc = crm_list(db, NULL, (size_t)-1, &all, &n, NULL)) < 0)
			return rc;
		ids = all;
	}
	sbuf_init(&b);
	sbuf_add(&b, crm_export_header);
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = crm_export_one(db, ids[i], &b);
		if (b.len > 65536 || i + 1 == n) {
			if (fwrite(b.s, 1, b.len, f) != b.len)
				rc = -EIO;
			sbuf_reset(&b);
		}
	}
	if (rc == 0 && b.len && fwrite(b.s, 1, b.len, f) != b.len)
		rc = -EIO;
	sbuf_free(&b);
	free(all);
	return rc;
}
