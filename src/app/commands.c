/* app/commands: the table of CLI subcommands.
 *
 * Each entry names a subcommand, its one-line summary (confab --help) and
 * its full usage text (confab help COMMAND); the code lives in
 * src/app/cli_*.c.
 */
#include "app/app.h"
#include "app/cli.h"
#include "common/str.h"

#include <stddef.h>
#include <string.h>

static const char contacts_usage[] =
	"usage: confab contacts SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--book NAME] [--sort name|given|org|updated] [--json]\n"
	"      One line per contact, fields separated by a TAB:\n"
	"      id, name, email, phone, organisation, address book.\n"
	"  search TEXT [--book NAME] [--json]\n"
	"      Contacts where every word of TEXT starts a word of the name,\n"
	"      organisation, email, notes or tags; digits match phone numbers\n"
	"      (\"020 7946\" finds +44 20 7946 0958).\n"
	"  show ID|UID [--json]\n"
	"      Every field of one contact.\n"
	"  add [--name NAME] [--email E]... [--phone P]... [--org O] [--title T]\n"
	"      [--birthday YYYY-MM-DD|--MM-DD] [--note TEXT] [--tag T]...\n"
	"      [--book NAME]\n"
	"      NAME is \"Given Family\" (the last word is the family name) or\n"
	"      \"Family, Given\".  At least one of --name, --email, --phone or\n"
	"      --org is needed.  Prints the new contact's id.\n"
	"  edit ID|UID [--name NAME] [--email E]... [--phone P]... [--org O]\n"
	"      [--title T] [--birthday B] [--note TEXT] [--tag T]... [--book NAME]\n"
	"      Change the options given; a list given (--email, --phone, --tag)\n"
	"      replaces the old list, an empty value (\"\") clears a field.\n"
	"  delete ID|UID\n"
	"  import FILE|DIR [--book NAME] [--on-duplicate merge|skip]\n"
	"      Read a vCard (2.1, 3.0, 4.0) or CSV (Google, Outlook, confab)\n"
	"      file, or a directory of .vcf files.  A contact with the same UID,\n"
	"      email or phone as one in the book is merged into it (default) or\n"
	"      skipped.  If the import fails nothing is changed.\n"
	"  export [--book NAME] [--search TEXT] [--format vcard3|vcard4|csv]\n"
	"      [-o FILE|DIR]\n"
	"      Write contacts to standard output or to FILE (replaced\n"
	"      atomically).  When -o names a directory, or ends with '/', write\n"
	"      one .vcf file per contact there (a vdir).  Default: vcard3.\n"
	"  query TEXT\n"
	"      For mutt's query_command: a status line, then one line per\n"
	"      address, \"EMAIL<TAB>NAME<TAB>ORGANISATION\".  Exit status 1\n"
	"      when nothing matches.\n"
	"          set query_command = \"confab contacts query %s\"\n"
	"\n"
	"--book defaults to all books for list, search and export, and to the\n"
	"configured default_book (else Personal) for add and import.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

static const char books_usage[] =
	"usage: confab books SUBCOMMAND [ARGS...]\n"
	"\n"
	"  list [--json]            each book and how many contacts it holds,\n"
	"                           as NAME<TAB>COUNT\n"
	"  add NAME                 create an empty address book\n"
	"  rename OLD NEW           rename a book\n"
	"  remove NAME [--yes]      remove a book; one holding contacts is only\n"
	"                           removed, with them, when --yes is given\n"
	"\n"
	"Book names compare case-insensitively.  When every book is removed,\n"
	"the next contact added goes to a new book named Personal.\n"
	"Exit status: 0 success, 1 failure, 2 bad usage.\n";

const struct app_cmd app_cmds[] = {
	{ "contacts", "list, search, add, edit, import and export contacts",
	  contacts_usage, cli_contacts_run },
	{ "books", "list, add, rename and remove address books",
	  books_usage, cli_books_run },
	{ NULL, NULL, NULL, NULL },
};

const struct app_cmd *app_cmd_find(const char *name)
{
	if (str_empty(name))
		return NULL;
	for (const struct app_cmd *c = app_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
