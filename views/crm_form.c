/* views/crm_form: editing a CRM record through the form widget. */
#include "views/form.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "store/crm.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

enum { R_STATUS, R_OWNER, R_VALUE, R_SOURCE, R_TAGS, R_NEXT, R_DATE };

struct crm_form {
	struct shell *sh;
	int64_t id;
	crm_form_done done;
	void *arg;
	struct form *f;
};

static int crm_form_fail(char **err, size_t *bad, size_t row, char *msg)
{
	*err = msg;
	*bad = row;
	return -1;
}

static int crm_form_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct crm_form *cf = arg;
	struct app *a = shell_app(cf->sh);
	struct crm_record *r;
	char **st;
	size_t nst;
	int rc = -1;

	if (crm_get(a->db, cf->id, &r) < 0)
		return crm_form_fail(err, bad, R_STATUS, xstrdup(
			"this CRM record no longer exists"));
	char *v[R_DATE + 1];
	for (int i = 0; i <= R_DATE; i++)
		v[i] = str_trim(form_text(f, (size_t)i));
	crm_statuses_parse(a->cfg.crm_statuses, &st, &nst);
	const char *status = crm_status_match(st, nst, v[R_STATUS]);
	if (!status) {
		struct sbuf b;
		sbuf_init(&b);
		for (size_t i = 0; i < nst; i++)
			sbuf_printf(&b, "%s%s", i ? ", " : "", st[i]);
		crm_form_fail(err, bad, R_STATUS, xasprintf(
			"unknown status '%s': use one of %s", v[R_STATUS],
			sbuf_str(&b)));
		sbuf_free(&b);
		goto out;
	}
	str_set(&r->status, status);
	if (!*v[R_VALUE]) {
		r->has_value = false;
	} else {
		char *cur;
		if (crm_money_parse(v[R_VALUE], r->currency, &r->value_cents,
				    &cur) < 0) {
			crm_form_fail(err, bad, R_VALUE, xasprintf(
				"bad value '%s': give an amount and a "
				"currency, e.g. 1200.50 EUR", v[R_VALUE]));
			goto out;
		}
		free(r->currency);
		r->currency = cur;
		r->has_value = true;
	}
	if (*v[R_DATE] && !crm_date_valid(v[R_DATE])) {
		crm_form_fail(err, bad, R_DATE, xasprintf(
			"bad date '%s': use YYYY-MM-DD", v[R_DATE]));
		goto out;
	}
	str_set(&r->owner, *v[R_OWNER] ? v[R_OWNER] : NULL);
	str_set(&r->source, *v[R_SOURCE] ? v[R_SOURCE] : NULL);
	str_set(&r->next_action, *v[R_NEXT] ? v[R_NEXT] : NULL);
	str_set(&r->next_date, *v[R_DATE] ? v[R_DATE] : NULL);
	crm_record_clear_tags(r);
	char *save = NULL;
	for (char *t = strtok_r(v[R_TAGS], ",", &save); t;
	     t = strtok_r(NULL, ",", &save))
		crm_record_add_tag(r, t);
	char *msg = NULL;
	if (crm_save(a->db, r, &msg) < 0) {
		crm_form_fail(err, bad, R_STATUS, msg ? msg :
			      xstrdup("cannot save the CRM record"));
		goto out;
	}
	shell_message(cf->sh, "Saved the CRM record of %s%s", r->name,
		      r->next_date ? " (next action in the diary)" : "");
	rc = 0;
out:
	for (int i = 0; i <= R_DATE; i++)
		free(v[i]);
	crm_strings_free(st, nst);
	crm_record_free(r);
	return rc;
}

static void crm_form_finish(void *arg, bool saved)
{
	struct crm_form *cf = arg;

	if (saved) {
		shell_reload(cf->sh);
		if (cf->done)
			cf->done(cf->arg, cf->id);
	}
	free(cf);
}

void crm_form_open(struct shell *sh, int64_t record_id, crm_form_done done,
		   void *arg)
{
	struct crm_record *r;
	char value[48] = "";
	struct sbuf tags;

	if (crm_get(shell_app(sh)->db, record_id, &r) < 0) {
		shell_error(sh, "this CRM record no longer exists");
		return;
	}
	struct crm_form *cf = xcalloc(1, sizeof *cf);
	cf->sh = sh;
	cf->id = record_id;
	cf->done = done;
	cf->arg = arg;
	char *title = xasprintf("CRM record: %s", r->name);
	cf->f = form_new(sh, title, crm_form_save, crm_form_finish, cf);
	free(title);
	if (r->has_value)	/* plain, so that it parses back */
		snprintf(value, sizeof value, "%s%lld.%02lld %s",
			 r->value_cents < 0 ? "-" : "",
			 llabs((long long)r->value_cents) / 100,
			 llabs((long long)r->value_cents) % 100,
			 r->currency ? r->currency : "");
	sbuf_init(&tags);
	for (size_t i = 0; i < r->ntags; i++)
		sbuf_printf(&tags, "%s%s", i ? ", " : "", r->tags[i]);
	form_add(cf->f, "Status", r->status);
	form_add(cf->f, "Owner", r->owner);
	form_add(cf->f, "Value", value);
	form_add(cf->f, "Source", r->source);
	form_add(cf->f, "Tags", sbuf_str(&tags));
	form_add(cf->f, "Next action", r->next_action);
	form_add(cf->f, "Next date", r->next_date);
	sbuf_free(&tags);
	crm_record_free(r);
	form_open(cf->f);
}
