/* app/cli_crm: what the files of `confab crm` share (cli_crm.c: parsing,
 * finding the contact, list/search/show/export; cli_crm_edit.c: add, note,
 * edit, delete). */
#ifndef CONFAB_APP_CLI_CRM_H
#define CONFAB_APP_CLI_CRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct out;
struct crm_record;

#define CLI_CRM_USAGE 2

/* What a subcommand was told; strings point into argv, NULL when the
 * option was not given. */
struct cli_crm_args {
	const char *status, *owner, *tag, *value, *source, *next, *next_date;
	const char *output;
	const char **tags;
	size_t ntags;
	bool tags_given, json, due;
	char **pos;
	int npos;
	char **statuses;	/* configured pipeline */
	size_t nstatuses;
};

/* --status S as the configured spelling; reports and returns
 * CLI_CRM_USAGE when unknown. */
int cli_crm_status(struct cli_crm_args *g, const char *s, const char **out,
		   struct out *o);
/* CONTACT to a contact id and its record (0: none); reports errors. */
int cli_crm_find(struct app *a, const char *arg, int64_t *contact,
		 int64_t *record, struct out *o);
/* The record of CONTACT, which must exist; reports errors. */
int cli_crm_record(struct app *a, const char *arg, struct crm_record **r,
		   struct out *o);

int cli_crm_add(struct app *a, struct cli_crm_args *g, struct out *o);
int cli_crm_note(struct app *a, struct cli_crm_args *g, struct out *o);
int cli_crm_edit(struct app *a, struct cli_crm_args *g, struct out *o);
int cli_crm_delete(struct app *a, struct cli_crm_args *g, struct out *o);

#endif
