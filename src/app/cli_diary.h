/* app/cli_diary: `confab diary import|export` (src/app/cli_diary_io.c),
 * called by the diary dispatcher in src/app/cli_diary.c.  argv[0] is
 * "import" or "export". */
#ifndef CONFAB_APP_CLI_DIARY_H
#define CONFAB_APP_CLI_DIARY_H

struct app;
struct out;

int cli_diary_import(struct app *a, int argc, char **argv, struct out *o);
int cli_diary_export(struct app *a, int argc, char **argv, struct out *o);

#endif
