/* app/cli_contacts: what the files of `confab contacts` share
 * (cli_contacts.c: parsing, list/search/show/add/edit/delete;
 * cli_contacts_io.c: import, export and query). */
#ifndef CONFAB_APP_CLI_CONTACTS_H
#define CONFAB_APP_CLI_CONTACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct out;

#define EXIT_USAGE 2
#define CLI_CONTACTS_ALL ((size_t)1000000)	/* "no limit" for searches */

/* Everything a subcommand can be told.  Strings point into argv; NULL (or
 * !*_given for lists) means the option was not on the command line. */
struct cli_contacts_args {
	const char *book, *sort, *search, *format, *output, *dup;
	const char *name, *org, *title, *bday, *note;
	const char **emails, **phones, **tags;
	size_t nemails, nphones, ntags;
	bool emails_given, phones_given, tags_given, json;
	char **pos;		/* positional arguments */
	int npos;
};

/* The positional words joined by spaces (new string). */
char *cli_contacts_words(const struct cli_contacts_args *g);
/* --book NAME to an id (0 = all books when name is NULL); reports errors. */
int cli_contacts_book(struct app *a, const char *name, int64_t *id,
		      struct out *o);
/* The book new contacts go to: NAME, else default_book, else Personal. */
int cli_contacts_target_book(struct app *a, const char *name, int64_t *id,
			     struct out *o);

int cli_contacts_import(struct app *a, struct cli_contacts_args *g,
			struct out *o);
int cli_contacts_export(struct app *a, struct cli_contacts_args *g,
			struct out *o);
int cli_contacts_query(struct app *a, struct cli_contacts_args *g,
		       struct out *o);

#endif
