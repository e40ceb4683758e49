/* app/main: confab's entry point.
 *
 * Parses the global options, then either runs a CLI subcommand
 * (src/app/commands.c) or starts the TUI (views/shell.h).  main() is the
 * composition root, the one place where app and views meet.
 */
#include "app/app.h"
#include "common/str.h"
#include "views/shell.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFAB_VERSION "0.1.0"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: confab [OPTIONS] [COMMAND [ARGS...]]\n"
		"\n"
		"Without a command, confab starts the full-screen interface.\n"
		"\n"
		"Options:\n"
		"  -D, --data-dir DIR  keep data in DIR (default $CONFAB_HOME,\n"
		"                      else $XDG_DATA_HOME/confab, else\n"
		"                      ~/.local/share/confab)\n"
		"  -C, --config FILE   read FILE instead of\n"
		"                      $XDG_CONFIG_HOME/confab/confab.conf\n"
		"                      (else ~/.config/confab/confab.conf)\n"
		"      --no-color      monochrome display\n"
		"      --no-mouse      ignore the mouse\n"
		"      --ascii         ASCII-only line drawing\n"
		"  -h, --help          this help; `confab help COMMAND` for a command\n"
		"  -V, --version       print the version\n"
		"\n"
		"Commands:\n");
	for (const struct app_cmd *c = app_cmds; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp, "  %-10s %s\n", "keys", "list the key bindings");
	fprintf(fp, "\nSee confab(1) and confab.conf(5).\n");
}

static int run_keys(int argc, char **argv)
{
	struct out o;
	int roff = argc > 1 && strcmp(argv[1], "--roff") == 0;

	out_stdio(&o);
	keys_print(&o, roff);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data-dir", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'C' },
		{ "no-color", no_argument, NULL, 'n' },
		{ "no-mouse", no_argument, NULL, 'm' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data_dir = NULL, *config = NULL;
	bool no_color = false, no_mouse = false, ascii = false;
	int ch;

	setlocale(LC_ALL, "");
	/* Stop at the first non-option: it is the subcommand, and its own
	 * options follow it. */
	while ((ch = getopt_long(argc, argv, "+D:C:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'D': data_dir = optarg; break;
		case 'C': config = optarg; break;
		case 'n': no_color = true; break;
		case 'm': no_mouse = true; break;
		case 'a': ascii = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("confab %s\n", CONFAB_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;

	if (argc > 0 && strcmp(argv[0], "keys") == 0)
		return run_keys(argc, argv);
	if (argc > 0 && strcmp(argv[0], "help") == 0) {
		const struct app_cmd *c = argc > 1 ? app_cmd_find(argv[1]) : NULL;
		if (c)
			fputs(c->usage, stdout);
		else
			usage(stdout);
		return 0;
	}
	const struct app_cmd *cmd = NULL;
	if (argc > 0 && !(cmd = app_cmd_find(argv[0]))) {
		fprintf(stderr, "confab: unknown command '%s' (see confab --help)\n",
			argv[0]);
		return 2;
	}

	struct app a = { 0 };
	char *err = NULL;
	if (app_open(&a, data_dir, config, &err) < 0) {
		fprintf(stderr, "confab: %s\n", err ? err : "cannot start");
		free(err);
		app_close(&a);
		return 1;
	}
	a.no_color = no_color;
	a.no_mouse = no_mouse;
	a.ascii = ascii;
	int status;
	if (cmd) {
		struct out o;
		out_stdio(&o);
		for (size_t i = 0; i < a.cfg.nerrors; i++)
			fprintf(stderr, "confab: warning: %s\n", a.cfg.errors[i]);
		optind = 0;	/* subcommands parse their own options */
		status = cmd->run(&a, argc, argv, &o);
	} else {
		status = shell_run(&a);
	}
	app_close(&a);
	return status;
}
