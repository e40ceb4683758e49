/* app/config: the user's configuration file (confab.conf(5)).
 *
 * Line-oriented, mutt-like:
 *   # comment
 *   set region = GB          scalar settings (see struct config)
 *   bind KEY ACTION          bind a key (j, C-n, <Down>, <F5>) to an action
 *   unbind KEY
 *   color ELEMENT FG [BG]    colours: default, black, red, … or 0-255
 * Bindings and colours are kept as parsed lists; the views apply them.
 * Errors name the file and line and do not stop the rest loading.
 */
#ifndef CONFAB_APP_CONFIG_H
#define CONFAB_APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config_bind {
	char *key;		/* as written: "j", "C-n", "<Down>", "F5" */
	char *action;		/* action long name; NULL for unbind */
	unsigned line;
};

struct config_color {
	char *element;		/* "status", "title", "selected", "tab", … */
	char *fg, *bg;
	unsigned line;
};

struct config {
	char *region;		/* ISO country for phone numbers, "GB" */
	char *theme;		/* "default", "dark", "light", "mono" */
	char *sort;		/* contacts sort: name, given, org, updated */
	char *date_format;	/* strftime for dates, default "%Y-%m-%d" */
	char *default_book;	/* book new contacts go to */
	char *crm_statuses;	/* CRM pipeline, comma-separated; the first
				   is a new record's status */
	bool color;		/* false: monochrome */
	bool mouse;
	bool ascii;		/* ASCII-only line drawing */
	bool confirm_delete;
	bool bell;		/* reminders ring the terminal bell */
	bool notify_osc;	/* and send an OSC 777 notification */
	char *notify_command;	/* and run this (title and text as $1 $2) */
	int clock_24h;
	int auto_away;		/* idle seconds before "away" (set in
				   minutes, fractions allowed); 0 = never */
	char *server;		/* confabd URL the sign-in form offers */
	char *proxy;		/* HTTP or SOCKS proxy for the server, or
				   NULL: the environment's */
	/* calls */
	char *audio_input;	/* device strings (call/audio.h); NULL: */
	char *audio_output;	/*   the default sound card */
	char *audio_ring;	/* NULL: the output */
	int audio_frame_ms;	/* 20 or 10 */
	int media_port;		/* first local UDP port for media, 2000 */
	char *media_address;	/* local addresses for calls; NULL: all */
	int echo_cancel;	/* -1 auto (sound cards), 0 off, 1 on */
	int noise_suppress;	/* the same */
	struct config_bind *binds;
	size_t nbinds;
	struct config_color *colors;
	size_t ncolors;
	char *source;		/* file name errors are reported against */
	char **errors;		/* "confab.conf:12: unknown setting 'foo'" */
	size_t nerrors;
};

void config_defaults(struct config *c);
/* Load `path` over the defaults.  A missing file is not an error. */
int config_load(struct config *c, const char *path);
/* Parse text (for tests and `:source`); `name` labels errors. */
void config_parse(struct config *c, const char *name, const char *text);
void config_clear(struct config *c);
/* Names of the `set` variables, for completion; NULL-terminated. */
extern const char *const config_settings[];
/* Apply one "set NAME = VALUE"; -EINVAL with *err when bad. */
int config_set(struct config *c, const char *name, const char *value,
	       char **err);

#endif
