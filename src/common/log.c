/* common/log: the process-wide log sink.
 *
 * The sink is the one piece of process state in common/: a log file is a
 * property of the process, not of any context struct.
 */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static FILE *log_fp;
static enum log_level log_min = LOG_WARN;

int log_open(const char *path, enum log_level min)
{
	log_close();
	log_min = min;
	if (!path)
		return 0;
	log_fp = fopen(path, "a");
	return log_fp ? 0 : -1;
}

void log_close(void)
{
	if (log_fp)
		fclose(log_fp);
	log_fp = NULL;
}

void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	FILE *fp = log_fp ? log_fp : stderr;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (lvl < log_min)
		return;
	localtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "%s %s %s: ", ts, names[lvl], module);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}
