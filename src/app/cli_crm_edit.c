/* app/cli_crm_edit: `confab crm add|note|edit|delete`. */
#include "app/app.h"
#include "app/cli_crm.h"
#include "store/contacts.h"
#include "store/crm.h"
#include "common/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Apply --owner/--value/--source/--next/--next-date/--tag/--status to r.
 * Exit status on a bad value, after reporting. */
static int cli_crm_apply(struct cli_crm_args *g, struct crm_record *r,
			 struct out *o)
{
	const char *st;

	if (g->status) {
		if (cli_crm_status(g, g->status, &st, o))
			return CLI_CRM_USAGE;
		str_set(&r->status, st);
	}
	if (g->value && !*g->value) {
		r->has_value = false;
		str_set(&r->currency, NULL);
	} else if (g->value) {
		char *cur;
		if (crm_money_parse(g->value, r->currency, &r->value_cents,
				    &cur) < 0) {
			out_errorf(o, "bad value '%s': give an amount and a "
				   "currency, e.g. \"1200.50 EUR\"", g->value);
			return CLI_CRM_USAGE;
		}
		r->has_value = true;
		free(r->currency);
		r->currency = cur;
	}
	if (g->next_date && *g->next_date) {
		char day[11];
		if (strcmp(g->next_date, "today") == 0 ||
		    strcmp(g->next_date, "tomorrow") == 0) {
			time_t t = time(NULL) +
				   (g->next_date[1] == 'o' ? 86400 : 0);
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(day, sizeof day, "%Y-%m-%d", &tm);
		} else if (!crm_date_valid(g->next_date)) {
			out_errorf(o, "bad date '%s': use YYYY-MM-DD, today or "
				   "tomorrow", g->next_date);
			return CLI_CRM_USAGE;
		} else {
			snprintf(day, sizeof day, "%s", g->next_date);
		}
		str_set(&r->next_date, day);
	} else if (g->next_date) {
		str_set(&r->next_date, NULL);
	}
	if (g->owner)
		str_set(&r->owner, *g->owner ? g->owner : NULL);
	if (g->source)
		str_set(&r->source, *g->source ? g->source : NULL);
	if (g->next)
		str_set(&r->next_action, *g->next ? g->next : NULL);
	if (g->tags_given) {
		crm_record_clear_tags(r);
		for (size_t i = 0; i < g->ntags; i++)
			crm_record_add_tag(r, g->tags[i]);
	}
	return 0;
}

static int cli_crm_store(struct app *a, struct crm_record *r,
			 const char *verb, struct out *o)
{
	char *err = NULL;

	if (crm_save(a->db, r, &err) < 0) {
		out_errorf(o, "%s", err ? err : "cannot save the CRM record");
		free(err);
		return 1;
	}
	out_printf(o, "%s CRM record for %s (%s)\n", verb, r->name, r->status);
	return 0;
}

int cli_crm_add(struct app *a, struct cli_crm_args *g, struct out *o)
{
	int64_t contact, record;
	struct contact *c;
	int rc;

	if (cli_crm_find(a, g->pos[0], &contact, &record, o) < 0)
		return 1;
	if (record) {
		out_errorf(o, "'%s' already has a CRM record (change it with: "
			   "confab crm edit %lld)", g->pos[0],
			   (long long)contact);
		return 1;
	}
	if (contacts_get(a->db, contact, &c) < 0) {
		out_errorf(o, "cannot read contact %lld from %s",
			   (long long)contact, a->db_path);
		return 1;
	}
	struct crm_record *r = crm_record_new();
	r->contact_id = c->id;
	r->contact_uid = xstrdup(c->uid);
	r->name = xstrdup(c->fn);
	r->org = xstrdup(c->org);
	r->status = xstrdup(g->statuses[0]);
	contact_free(c);
	rc = cli_crm_apply(g, r, o);
	if (rc == 0)
		rc = cli_crm_store(a, r, "added", o);
	crm_record_free(r);
	return rc;
}

int cli_crm_note(struct app *a, struct cli_crm_args *g, struct out *o)
{
	int64_t contact, record;
	char *err = NULL;
	bool created = false;
	struct sbuf b;

	sbuf_init(&b);
	for (int i = 1; i < g->npos; i++)
		sbuf_printf(&b, "%s%s", i > 1 ? " " : "", g->pos[i]);
	char *text = str_trim(sbuf_take(&b));
	if (!*text) {
		free(text);
		out_errorf(o, "the note is empty: confab crm note CONTACT TEXT");
		return CLI_CRM_USAGE;
	}
	int rc = cli_crm_find(a, g->pos[0], &contact, &record, o);
	if (rc == 0 && !record) {
		rc = crm_create_for_contact(a->db, contact, g->statuses[0],
					    &record, &err);
		created = rc == 0;
		if (rc < 0)
			out_errorf(o, "%s", err ? err : "cannot create the "
				   "CRM record");
		free(err);
	}
	if (rc == 0 && crm_add_event(a->db, record, "note", text, 0, 0, 0,
				     NULL) < 0) {
		out_errorf(o, "cannot add the note in %s", a->db_path);
		rc = -EIO;
	}
	struct crm_row row;
	if (rc == 0 && crm_row(a->db, record, &row) == 0) {
		if (created)
			out_printf(o, "created a CRM record for %s (%s) and "
				   "added the note\n", row.name, row.status);
		else
			out_printf(o, "added a note to %s's CRM record\n",
				   row.name);
		crm_row_clear(&row);
	}
	free(text);
	return rc < 0 ? 1 : 0;
}

int cli_crm_edit(struct app *a, struct cli_crm_args *g, struct out *o)
{
	struct crm_record *r;

	if (!g->status && !g->owner && !g->value && !g->source && !g->next &&
	    !g->next_date && !g->tags_given) {
		out_errorf(o, "nothing to change: give --status, --owner, "
			   "--value, --source, --next, --next-date or --tag");
		return CLI_CRM_USAGE;
	}
	if (cli_crm_record(a, g->pos[0], &r, o) < 0)
		return 1;
	int rc = cli_crm_apply(g, r, o);
	if (rc == 0)
		rc = cli_crm_store(a, r, "updated", o);
	crm_record_free(r);
	return rc;
}

int cli_crm_delete(struct app *a, struct cli_crm_args *g, struct out *o)
{
	struct crm_record *r;

	if (cli_crm_record(a, g->pos[0], &r, o) < 0)
		return 1;
	int rc = crm_delete(a->db, r->id);
	if (rc < 0)
		out_errorf(o, "cannot delete the CRM record from %s",
			   a->db_path);
	else
		out_printf(o, "deleted the CRM record for %s\n", r->name);
	crm_record_free(r);
	return rc < 0 ? 1 : 0;
}
