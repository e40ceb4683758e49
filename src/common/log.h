/* common/log: leveled log lines tagged with the module name.
 *
 * The client logs to a file under its data directory (the terminal belongs
 * to the UI); confabd logs to stderr.  Until log_open() is called, lines at
 * warning level and above go to stderr and the rest are dropped.
 */
#ifndef CONFAB_COMMON_LOG_H
#define CONFAB_COMMON_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERR };

/* Send log lines to `path` (appended), or to stderr when path is NULL. */
int log_open(const char *path, enum log_level min);
void log_close(void);
void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(mod, ...) log_msg(LOG_DEBUG, mod, __VA_ARGS__)
#define log_info(mod, ...) log_msg(LOG_INFO, mod, __VA_ARGS__)
#define log_warn(mod, ...) log_msg(LOG_WARN, mod, __VA_ARGS__)
#define log_err(mod, ...) log_msg(LOG_ERR, mod, __VA_ARGS__)

#endif
