/* app/app: the client process's context.
 *
 * One struct app is made in main() and handed down to the CLI commands and
 * the shell: where the data lives, the configuration, the open database.
 * Nothing in the client keeps process-wide mutable state beside it.
 */
#ifndef CONFAB_APP_APP_H
#define CONFAB_APP_APP_H

#include <stdbool.h>
#include "app/config.h"
#include "app/out.h"

struct db;

struct app {
	char *data_dir;		/* -D / $CONFAB_HOME / XDG data dir */
	char *config_path;	/* -C / XDG config file */
	char *db_path;
	struct config cfg;
	struct db *db;		/* open after app_open() */
	bool no_color, no_mouse, ascii;	/* command-line overrides */
};

/* Resolve paths, load the config, create the data dir, open the log and
 * the database.  On error returns < 0 with *err set. */
int app_open(struct app *a, const char *data_dir, const char *config_path,
	     char **err);
void app_close(struct app *a);
/* The user's region for phone numbers ("GB" when unset). */
const char *app_region(const struct app *a);

/* CLI subcommands: argv[0] is the subcommand ("contacts", "books").
 * Return the process exit status. */
struct app_cmd {
	const char *name;
	const char *summary;	/* one line for --help */
	const char *usage;	/* full usage text */
	int (*run)(struct app *a, int argc, char **argv, struct out *o);
};
/* NULL-terminated table of subcommands (src/app/commands.c). */
extern const struct app_cmd app_cmds[];
const struct app_cmd *app_cmd_find(const char *name);

#endif
