/* app/out: command output sinks. */
#include "app/out.h"
#include "common/str.h"

#include <stdarg.h>
#include <string.h>

void out_write(struct out *o, const char *s, size_t n)
{
	o->write(o->arg, s, n, 0);
}

static void out_v(struct out *o, int is_err, const char *fmt, va_list ap)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_vprintf(&b, fmt, ap);
	o->write(o->arg, sbuf_str(&b), b.len, is_err);
	sbuf_free(&b);
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_v(o, 0, fmt, ap);
	va_end(ap);
}

void out_errorf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_v(o, 1, fmt, ap);
	va_end(ap);
}

static void stdio_write(void *arg, const char *s, size_t n, int is_err)
{
	(void)arg;
	if (is_err) {
		fputs("confab: ", stderr);
		fwrite(s, 1, n, stderr);
		if (n && s[n - 1] != '\n')
			fputc('\n', stderr);
	} else {
		fwrite(s, 1, n, stdout);
	}
}

void out_stdio(struct out *o)
{
	o->write = stdio_write;
	o->arg = NULL;
}

static void sbuf_write(void *arg, const char *s, size_t n, int is_err)
{
	(void)is_err;
	sbuf_addn(arg, s, n);
}

void out_sbuf(struct out *o, struct sbuf *b)
{
	o->write = sbuf_write;
	o->arg = b;
}
