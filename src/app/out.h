/* app/out: an abstract output for commands.
 *
 * A command prints through struct out, so the same code serves a CLI
 * subcommand (stdout/stderr) and the TUI's `:` command line (a pager or
 * the status bar).
 */
#ifndef CONFAB_APP_OUT_H
#define CONFAB_APP_OUT_H

#include <stddef.h>
#include <stdio.h>

struct out {
	/* normal output; err is for error messages */
	void (*write)(void *arg, const char *s, size_t n, int is_err);
	void *arg;
};

void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_errorf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_write(struct out *o, const char *s, size_t n);
/* An out writing to stdout (and errors, prefixed "confab: ", to stderr). */
void out_stdio(struct out *o);
/* An out collecting everything (errors too) into an sbuf. */
struct sbuf;
void out_sbuf(struct out *o, struct sbuf *b);

#endif
