/* app/config: confab.conf parsing. */
#include "app/config.h"
#include "common/phone.h"
#include "common/str.h"
#include "store/crm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const config_settings[] = {
	"region", "theme", "sort", "date_format", "default_book", "color",
	"mouse", "ascii", "confirm_delete", "clock_24h", "crm_statuses",
	"bell", "notify_osc", "notify_command", "auto_away", "server", "proxy",
	"audio_input", "audio_output", "audio_ring", "audio_frame_ms",
	"media_port", "media_address", "echo_cancel", "noise_suppress", NULL,
};

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->region = xstrdup("GB");
	c->theme = xstrdup("default");
	c->sort = xstrdup("name");
	c->date_format = xstrdup("%Y-%m-%d");
	c->crm_statuses = xstrdup(CRM_DEFAULT_STATUSES);
	c->color = true;
	c->mouse = true;
	c->ascii = false;
	c->confirm_delete = true;
	c->clock_24h = 1;
	c->bell = true;
	c->auto_away = 10 * 60;
	c->audio_frame_ms = 20;
	c->media_port = 2000;
	c->echo_cancel = c->noise_suppress = -1;
}

void config_clear(struct config *c)
{
	free(c->region);
	free(c->theme);
	free(c->sort);
	free(c->date_format);
	free(c->default_book);
	free(c->crm_statuses);
	free(c->notify_command);
	free(c->server);
	free(c->proxy);
	free(c->audio_input);
	free(c->audio_output);
	free(c->audio_ring);
	free(c->media_address);
	free(c->source);
	for (size_t i = 0; i < c->nbinds; i++) {
		free(c->binds[i].key);
		free(c->binds[i].action);
	}
	free(c->binds);
	for (size_t i = 0; i < c->ncolors; i++) {
		free(c->colors[i].element);
		free(c->colors[i].fg);
		free(c->colors[i].bg);
	}
	free(c->colors);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	free(c->errors);
	memset(c, 0, sizeof *c);
}

static void add_error(struct config *c, const char *name, unsigned line,
		      const char *msg)
{
	c->errors = xrealloc(c->errors, (c->nerrors + 1) * sizeof *c->errors);
	c->errors[c->nerrors++] = xasprintf("%s:%u: %s", name, line, msg);
}

static int parse_bool(const char *v, bool *out)
{
	if (str_ieq(v, "yes") || str_ieq(v, "true") || str_ieq(v, "on") ||
	    str_eq(v, "1"))
		*out = true;
	else if (str_ieq(v, "no") || str_ieq(v, "false") || str_ieq(v, "off") ||
		 str_eq(v, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static bool one_of(const char *v, const char *const *opts)
{
	for (; *opts; opts++)
		if (str_ieq(v, *opts))
			return true;
	return false;
}

int config_set(struct config *c, const char *name, const char *value,
	       char **err)
{
	static const char *const themes[] = { "default", "dark", "light",
					      "mono", NULL };
	static const char *const sorts[] = { "name", "given", "org",
					     "updated", NULL };
	bool b;

	if (str_eq(name, "region")) {
		if (!phone_region_known(value)) {
			*err = xasprintf("unknown region '%s' (use a two-letter "
					 "country code such as GB, US, DE)",
					 value);
			return -EINVAL;
		}
		char *up = xstrdup(value);
		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		free(c->region);
		c->region = up;
	} else if (str_eq(name, "theme")) {
		if (!one_of(value, themes)) {
			*err = xasprintf("unknown theme '%s' (default, dark, "
					 "light, mono)", value);
			return -EINVAL;
		}
		str_set(&c->theme, value);
	} else if (str_eq(name, "sort")) {
		if (!one_of(value, sorts)) {
			*err = xasprintf("unknown sort '%s' (name, given, org, "
					 "updated)", value);
			return -EINVAL;
		}
		str_set(&c->sort, value);
	} else if (str_eq(name, "date_format")) {
		str_set(&c->date_format, value);
	} else if (str_eq(name, "default_book")) {
		str_set(&c->default_book, value);
	} else if (str_eq(name, "crm_statuses")) {
		char **st;
		size_t n;
		crm_statuses_parse(value, &st, &n);
		crm_strings_free(st, n);
		if (!n) {
			*err = xasprintf("crm_statuses needs a comma-separated "
					 "list, e.g. %s", CRM_DEFAULT_STATUSES);
			return -EINVAL;
		}
		str_set(&c->crm_statuses, value);
	} else if (str_eq(name, "auto_away")) {
		char *end;
		double m = strtod(value, &end);
		if (!*value || *end || !(m >= 0 && m <= 1440)) {
			*err = xasprintf("auto_away takes minutes, 0 (never) to "
					 "1440, not '%s'", value);
			return -EINVAL;
		}
		c->auto_away = (int)(m * 60 + 0.5);
	} else if (str_eq(name, "server")) {
		if (*value && strncmp(value, "http://", 7) &&
		    strncmp(value, "https://", 8)) {
			*err = xasprintf("server takes a URL (http://HOST:PORT "
					 "or https://HOST), not '%s'", value);
			return -EINVAL;
		}
		str_set(&c->server, *value ? value : NULL);
	} else if (str_eq(name, "proxy")) {
		static const char *const schemes[] = { "http://", "https://",
			"socks4://", "socks4a://", "socks5://", "socks5h://" };
		bool ok = !*value;
		for (size_t i = 0; i < 6 && !ok; i++)
			ok = strncmp(value, schemes[i], strlen(schemes[i])) == 0;
		if (!ok) {
			*err = xasprintf("proxy takes a URL: http://HOST:PORT or "
					 "socks5h://HOST:PORT, not '%s'", value);
			return -EINVAL;
		}
		str_set(&c->proxy, *value ? value : NULL);
	} else if (str_eq(name, "audio_input") || str_eq(name, "audio_output") ||
		   str_eq(name, "audio_ring")) {
		char **f = str_eq(name, "audio_input") ? &c->audio_input :
			   str_eq(name, "audio_output") ? &c->audio_output :
			   &c->audio_ring;
		str_set(f, *value ? value : NULL);
	} else if (str_eq(name, "media_address")) {
		str_set(&c->media_address, *value ? value : NULL);
	} else if (str_eq(name, "audio_frame_ms")) {
		if (!str_eq(value, "10") && !str_eq(value, "20")) {
			*err = xasprintf("audio_frame_ms is 20 or 10, not '%s'",
					 value);
			return -EINVAL;
		}
		c->audio_frame_ms = atoi(value);
	} else if (str_eq(name, "media_port")) {
		char *end;
		long p = strtol(value, &end, 10);
		if (!*value || *end || p < 1024 || p > 64535) {
			*err = xasprintf("media_port takes a port from 1024 to "
					 "64535, not '%s'", value);
			return -EINVAL;
		}
		c->media_port = (int)p;
	} else if (str_eq(name, "echo_cancel") ||
		   str_eq(name, "noise_suppress")) {
		int *f = str_eq(name, "echo_cancel") ? &c->echo_cancel :
			 &c->noise_suppress;
		if (str_ieq(value, "auto"))
			*f = -1;
		else if (parse_bool(value, &b) < 0) {
			*err = xasprintf("'%s' needs auto, yes or no, not '%s'",
					 name, value);
			return -EINVAL;
		} else
			*f = b;
	} else if (str_eq(name, "notify_command")) {
		str_set(&c->notify_command, *value ? value : NULL);
	} else if (str_eq(name, "color") || str_eq(name, "mouse") ||
		   str_eq(name, "ascii") || str_eq(name, "confirm_delete") ||
		   str_eq(name, "clock_24h") || str_eq(name, "bell") ||
		   str_eq(name, "notify_osc")) {
		if (parse_bool(value, &b) < 0) {
			*err = xasprintf("'%s' needs yes or no, not '%s'", name,
					 value);
			return -EINVAL;
		}
		if (str_eq(name, "color"))
			c->color = b;
		else if (str_eq(name, "mouse"))
			c->mouse = b;
		else if (str_eq(name, "ascii"))
			c->ascii = b;
		else if (str_eq(name, "confirm_delete"))
			c->confirm_delete = b;
		else if (str_eq(name, "bell"))
			c->bell = b;
		else if (str_eq(name, "notify_osc"))
			c->notify_osc = b;
		else
			c->clock_24h = b;
	} else {
		*err = xasprintf("unknown setting '%s'", name);
		return -EINVAL;
	}
	return 0;
}

/* Split a line into words; "double quotes" group, # starts a comment. */
static size_t split_words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (*s == '"') {
			w[n++] = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			w[n++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static void parse_line(struct config *c, const char *name, unsigned lineno,
		       char *line)
{
	char *w[8];
	char *err = NULL;
	size_t n = split_words(line, w, 8);

	if (n == 0)
		return;
	if (str_eq(w[0], "set")) {
		/* set NAME = VALUE  |  set NAME=VALUE  |  set NAME VALUE */
		char *nm = n > 1 ? w[1] : NULL, *val = NULL;
		char *eq = nm ? strchr(nm, '=') : NULL;
		if (eq) {
			*eq = '\0';
			val = eq[1] ? eq + 1 : (n > 2 ? w[2] : NULL);
		} else if (n > 2) {
			val = str_eq(w[2], "=") ? (n > 3 ? w[3] : NULL) : w[2];
		}
		if (!nm || !val)
			add_error(c, name, lineno, "usage: set NAME = VALUE");
		else if (config_set(c, nm, val, &err) < 0)
			add_error(c, name, lineno, err);
	} else if (str_eq(w[0], "bind") || str_eq(w[0], "unbind")) {
		bool bind = w[0][0] == 'b';
		if ((bind && n != 3) || (!bind && n != 2)) {
			add_error(c, name, lineno, bind ? "usage: bind KEY ACTION"
							: "usage: unbind KEY");
			return;
		}
		c->binds = xrealloc(c->binds, (c->nbinds + 1) * sizeof *c->binds);
		struct config_bind *b = &c->binds[c->nbinds++];
		b->key = xstrdup(w[1]);
		b->action = bind ? xstrdup(w[2]) : NULL;
		b->line = lineno;
	} else if (str_eq(w[0], "color")) {
		if (n < 3 || n > 4) {
			add_error(c, name, lineno,
				  "usage: color ELEMENT FOREGROUND [BACKGROUND]");
			return;
		}
		c->colors = xrealloc(c->colors,
				     (c->ncolors + 1) * sizeof *c->colors);
		struct config_color *k = &c->colors[c->ncolors++];
		k->element = xstrdup(w[1]);
		k->fg = xstrdup(w[2]);
		k->bg = xstrdup(n == 4 ? w[3] : "default");
		k->line = lineno;
	} else {
		char *m = xasprintf("unknown command '%s' (set, bind, unbind, "
				    "color)", w[0]);
		add_error(c, name, lineno, m);
		free(m);
	}
	free(err);
}

void config_parse(struct config *c, const char *name, const char *text)
{
	unsigned lineno = 0;

	str_set(&c->source, name);
	while (*text) {
		const char *e = strchr(text, '\n');
		size_t len = e ? (size_t)(e - text) : strlen(text);
		char *line = xstrndup(text, len);
		lineno++;
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		parse_line(c, name, lineno, line);
		free(line);
		text += len + (e ? 1 : 0);
	}
}

int config_load(struct config *c, const char *path)
{
	FILE *fp = fopen(path, "r");

	if (!fp)
		return errno == ENOENT ? 0 : -errno;
	struct sbuf b;
	char buf[4096];
	size_t k;
	sbuf_init(&b);
	while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
		sbuf_addn(&b, buf, k);
	fclose(fp);
	const char *base = strrchr(path, '/');
	config_parse(c, base ? base + 1 : path, sbuf_str(&b));
	sbuf_free(&b);
	return 0;
}
