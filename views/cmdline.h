/* views/cmdline: the `:` command line — editing, Tab completion from the
 * action table, settings and CLI commands, history, and running commands.
 */
#ifndef CONFAB_VIEWS_CMDLINE_H
#define CONFAB_VIEWS_CMDLINE_H

#include <stdbool.h>
#include <curses.h>
#include <wchar.h>

struct shell;
struct cmdline;

struct cmdline *cmdline_new(struct shell *sh);
void cmdline_free(struct cmdline *c);
void cmdline_open(struct cmdline *c);
bool cmdline_active(const struct cmdline *c);
void cmdline_key(struct cmdline *c, int code, wint_t ch, bool is_text);
void cmdline_draw(struct cmdline *c, WINDOW *w, int y, int cols);
bool cmdline_cursor(const struct cmdline *c, int *x);
/* Run one command line as if typed after ':'. */
void cmdline_exec(struct shell *sh, const char *line);
/* Candidates for completing `line` (for tests and the Tab key): returns
 * a NULL-terminated array of new strings, each the whole completed line. */
char **cmdline_complete(const char *line);
void cmdline_strv_free(char **v);

#endif
