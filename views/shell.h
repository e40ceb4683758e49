/* views/shell: the full-screen terminal UI.
 *
 * The shell owns the terminal: tabs (one view each), the status bar, the
 * key-hint bar, the `:` command line, `?` help and dialogs on top.  It runs
 * the client's event loop until the user quits.
 */
#ifndef CONFAB_VIEWS_SHELL_H
#define CONFAB_VIEWS_SHELL_H

struct app;
struct out;

/* Run the TUI; returns the process exit status. */
int shell_run(struct app *a);

/* Print the key table: plain text, or the roff fragment for confab(1). */
void keys_print(struct out *o, int roff);

#endif
