/* app/cli: the CLI subcommands' entry points (the table is in commands.c). */
#ifndef CONFAB_APP_CLI_H
#define CONFAB_APP_CLI_H

struct app;
struct out;

int cli_contacts_run(struct app *a, int argc, char **argv, struct out *o);
int cli_books_run(struct app *a, int argc, char **argv, struct out *o);
int cli_crm_run(struct app *a, int argc, char **argv, struct out *o);
int cli_diary_run(struct app *a, int argc, char **argv, struct out *o);
int cli_calls_run(struct app *a, int argc, char **argv, struct out *o);
/* login, logout and whoami (argv[0] says which) */
int cli_login_run(struct app *a, int argc, char **argv, struct out *o);
/* directory, presence and profile (argv[0] says which) */
int cli_directory_run(struct app *a, int argc, char **argv, struct out *o);

#endif
