/* views/cmdline: the `:` command line. */
#include "views/cmdline.h"
#include "views/lineedit.h"
#include "views/ui.h"
#include "app/app.h"
#include "app/config.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

#define HISTORY 50

struct cmdline {
	struct shell *sh;
	bool active;
	struct lineedit ed;
	int curx;
	char *hist[HISTORY];
	int nhist, hpos;
	char **cands;		/* completion in progress */
	int ncand, icand;
};

struct cmdline *cmdline_new(struct shell *sh)
{
	struct cmdline *c = xcalloc(1, sizeof *c);

	c->sh = sh;
	lineedit_init(&c->ed, "");
	return c;
}

void cmdline_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void drop_cands(struct cmdline *c)
{
	cmdline_strv_free(c->cands);
	c->cands = NULL;
	c->ncand = c->icand = 0;
}

void cmdline_free(struct cmdline *c)
{
	if (!c)
		return;
	lineedit_free(&c->ed);
	for (int i = 0; i < c->nhist; i++)
		free(c->hist[i]);
	drop_cands(c);
	free(c);
}

void cmdline_open(struct cmdline *c)
{
	c->active = true;
	c->hpos = c->nhist;
	lineedit_set(&c->ed, "");
	drop_cands(c);
}

bool cmdline_active(const struct cmdline *c)
{
	return c->active;
}

/* Split into words; "quotes" group words.  New strings. */
static char **split_args(const char *s, int *argc)
{
	char **v = xcalloc(1, sizeof *v);
	int n = 0;
	struct sbuf w;

	sbuf_init(&w);
	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		sbuf_reset(&w);
		bool any = false;
		while (*s && *s != ' ') {
			if (*s == '"' || *s == '\'') {
				char q = *s++;
				while (*s && *s != q)
					sbuf_addc(&w, *s++);
				if (*s)
					s++;
				any = true;
			} else {
				sbuf_addc(&w, *s++);
				any = true;
			}
		}
		if (!any)
			continue;
		v = xrealloc(v, (size_t)(n + 2) * sizeof *v);
		v[n++] = xstrdup(sbuf_str(&w));
		v[n] = NULL;
	}
	sbuf_free(&w);
	*argc = n;
	return v;
}

static void add_cand(char ***v, int *n, const char *prefix, const char *word)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*v)[i] + strlen(prefix), word) == 0)
			return;
	*v = xrealloc(*v, (size_t)(*n + 2) * sizeof **v);
	(*v)[(*n)++] = xasprintf("%s%s", prefix, word);
	(*v)[*n] = NULL;
}

static const char *const builtins[] = { "set", "bind", "unbind", "quit",
					"q", NULL };

char **cmdline_complete(const char *line)
{
	const char *last = strrchr(line, ' ');
	const char *word = last ? last + 1 : line;
	char *prefix = xstrndup(line, (size_t)(word - line));
	int argc;
	char **argv = split_args(prefix, &argc);
	char **v = xcalloc(1, sizeof *v);
	int n = 0;
	size_t wl = strlen(word);

#define TRY(s) do { if (strncmp((s), word, wl) == 0) add_cand(&v, &n, prefix, (s)); } while (0)
	if (argc == 0) {
		for (size_t i = 0; i < keys_count; i++)
			TRY(keys_table[i].name);
		for (int i = 0; builtins[i]; i++)
			TRY(builtins[i]);
		for (const struct app_cmd *c = app_cmds; c->name; c++)
			TRY(c->name);
	} else if (argc == 1 && strcmp(argv[0], "set") == 0) {
		for (int i = 0; config_settings[i]; i++)
			TRY(config_settings[i]);
	} else if (argc == 2 && strcmp(argv[0], "bind") == 0) {
		for (size_t i = 0; i < keys_count; i++)
			TRY(keys_table[i].name);
	} else if (argc == 1 && strcmp(argv[0], "contacts") == 0) {
		static const char *const sub[] = { "list", "search", "show",
			"add", "edit", "delete", "import", "export", "query",
			NULL };
		for (int i = 0; sub[i]; i++)
			TRY(sub[i]);
	} else if (argc == 1 && strcmp(argv[0], "books") == 0) {
		static const char *const sub[] = { "list", "add", "rename",
						   "remove", NULL };
		for (int i = 0; sub[i]; i++)
			TRY(sub[i]);
	}
#undef TRY
	cmdline_strv_free(argv);
	free(prefix);
	return v;
}

static void run_cli(struct shell *sh, int argc, char **argv,
		    const struct app_cmd *cmd)
{
	struct sbuf b;
	struct out o;

	sbuf_init(&b);
	out_sbuf(&o, &b);
	extern int optind;
	optind = 0;
	int rc = cmd->run(shell_app(sh), argc, argv, &o);
	char *text = str_trim(sbuf_take(&b));
	if (strchr(text, '\n'))
		ui_pager(sh, argv[0], text);
	else if (rc != 0)
		shell_error(sh, "%s", *text ? text : "command failed");
	else
		shell_message(sh, "%s", *text ? text : "done");
	free(text);
	shell_reload(sh);
}

void cmdline_exec(struct shell *sh, const char *line)
{
	int argc;
	char **argv = split_args(line, &argc);
	char *err = NULL;
	const struct app_cmd *cmd;
	const struct key_action *ka;

	if (argc == 0)
		goto out;
	if (strcmp(argv[0], "q") == 0 || strcmp(argv[0], "quit") == 0) {
		shell_run_action(sh, A_QUIT);
	} else if (strcmp(argv[0], "set") == 0) {
		char *eq = argc == 2 ? strchr(argv[1], '=') : NULL;
		if (eq)
			*eq = '\0';
		const char *val = eq ? eq + 1 :
				  argc == 3 ? argv[2] :
				  argc == 4 && !strcmp(argv[2], "=") ? argv[3] :
				  NULL;
		if (!val)
			shell_error(sh, "usage: set NAME VALUE");
		else if (config_set(&shell_app(sh)->cfg, argv[1], val, &err) < 0)
			shell_error(sh, "%s", err);
		else {
			shell_settings_changed(sh);
			shell_message(sh, "%s = %s", argv[1], val);
		}
	} else if (strcmp(argv[0], "bind") == 0 ||
		   strcmp(argv[0], "unbind") == 0) {
		bool bind = argv[0][0] == 'b';
		if (argc != (bind ? 3 : 2))
			shell_error(sh, bind ? "usage: bind KEY ACTION" :
					       "usage: unbind KEY");
		else if (shell_bind(sh, argv[1], bind ? argv[2] : NULL,
				    &err) < 0)
			shell_error(sh, "%s", err);
		else
			shell_message(sh, bind ? "%s now runs %s" : "%s unbound",
				      argv[1], bind ? argv[2] : "");
	} else if ((cmd = app_cmd_find(argv[0]))) {
		run_cli(sh, argc, argv, cmd);
	} else if ((ka = keys_find_name(argv[0]))) {
		if (!shell_run_action(sh, ka->action))
			shell_error(sh, "%s: nothing to do here", argv[0]);
	} else {
		shell_error(sh, "unknown command '%s' (Tab completes; ? lists "
			    "actions)", argv[0]);
	}
out:
	free(err);
	cmdline_strv_free(argv);
}

static void complete(struct cmdline *c)
{
	if (!c->cands) {
		char *line = lineedit_text(&c->ed);
		c->cands = cmdline_complete(line);
		free(line);
		for (c->ncand = 0; c->cands[c->ncand]; c->ncand++)
			;
		c->icand = 0;
		if (c->ncand == 0) {
			drop_cands(c);
			return;
		}
		if (c->ncand > 1) {	/* show what matched */
			struct sbuf b;
			sbuf_init(&b);
			for (int i = 0; i < c->ncand && b.len < 200; i++) {
				const char *w = strrchr(c->cands[i], ' ');
				sbuf_printf(&b, "%s ", w ? w + 1 : c->cands[i]);
			}
			shell_message(c->sh, "%s", sbuf_str(&b));
			sbuf_free(&b);
		}
	} else {
		c->icand = (c->icand + 1) % c->ncand;
	}
	lineedit_set(&c->ed, c->cands[c->icand]);
	if (c->ncand == 1) {
		drop_cands(c);
		bool ch;
		lineedit_key(&c->ed, 0, L' ', true, &ch);
	}
}

void cmdline_key(struct cmdline *c, int code, wint_t ch, bool is_text)
{
	bool changed;

	if (!is_text && code == '\t') {
		complete(c);
		return;
	}
	if (!is_text && (code == 27 || code == 7)) {	/* Esc, C-g */
		c->active = false;
		drop_cands(c);
		return;
	}
	if (!is_text && (code == '\n' || code == '\r' || code == KEY_ENTER)) {
		char *line = lineedit_text(&c->ed);
		c->active = false;
		drop_cands(c);
		if (*line) {
			if (c->nhist == HISTORY) {
				free(c->hist[0]);
				memmove(c->hist, c->hist + 1,
					(HISTORY - 1) * sizeof *c->hist);
				c->nhist--;
			}
			c->hist[c->nhist++] = xstrdup(line);
			cmdline_exec(c->sh, line);
		}
		free(line);
		return;
	}
	if (!is_text && (code == KEY_UP || code == KEY_DOWN)) {
		int p = c->hpos + (code == KEY_UP ? -1 : 1);
		if (p >= 0 && p <= c->nhist) {
			c->hpos = p;
			lineedit_set(&c->ed, p < c->nhist ? c->hist[p] : "");
		}
		return;
	}
	if (!is_text && (code == KEY_BACKSPACE || code == 127) &&
	    lineedit_empty(&c->ed)) {
		c->active = false;
		return;
	}
	drop_cands(c);
	lineedit_key(&c->ed, code, ch, is_text, &changed);
}

void cmdline_draw(struct cmdline *c, WINDOW *w, int y, int cols)
{
	mvwaddch(w, y, 0, ':');
	c->curx = lineedit_draw(&c->ed, w, y, 1, cols - 1, A_NORMAL);
}

bool cmdline_cursor(const struct cmdline *c, int *x)
{
	*x = c->curx;
	return c->active;
}
