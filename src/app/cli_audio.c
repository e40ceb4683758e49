/* app/cli_audio: `confab audio devices`.
 *
 * Lists the sound devices PortAudio sees, so that a user can pick the
 * ones for calls (by name or index) and a test can check what the ALSA
 * configuration offers.  Prints only through struct out, so the TUI's
 * `:` line runs the same code.
 */
#include "app/app.h"
#include "app/cli.h"
#include "call/audio.h"
#include "common/str.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static const char cli_audio_help[] =
	"usage: confab audio devices [--json]\n";

/* A device name on one TAB-separated line: no TABs or line breaks. */
static char *cli_audio_field(const char *s)
{
	char *f = xstrdup(s ? s : "");

	for (char *p = f; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return f;
}

static void cli_audio_line(struct out *o, const struct audio_devinfo *d)
{
	char *name = cli_audio_field(d->name);
	char *api = cli_audio_field(d->host_api);
	const char *flags = d->default_in && d->default_out
				    ? "default-in,default-out"
			    : d->default_in  ? "default-in"
			    : d->default_out ? "default-out"
					     : "";

	out_printf(o, "%d\t%s\t%s\t%d\t%d\t%.0f\t%s\n", d->index, name, api,
		   d->max_in, d->max_out, d->default_rate, flags);
	free(name);
	free(api);
}

static void cli_audio_json(struct out *o, const struct audio_devinfo *v,
			   size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack(
			"{s:i, s:s, s:s, s:i, s:i, s:f, s:b, s:b}",
			"index", v[i].index, "name", v[i].name,
			"host_api", v[i].host_api, "max_in", v[i].max_in,
			"max_out", v[i].max_out,
			"default_rate", v[i].default_rate,
			"default_in", v[i].default_in,
			"default_out", v[i].default_out));
	char *s = json_dumps(arr, JSON_INDENT(2));
	out_printf(o, "%s\n", s ? s : "[]");
	free(s);
	json_decref(arr);
}

static int cli_audio_devices(int argc, char **argv, struct out *o)
{
	struct audio_devinfo *v = NULL;
	size_t n = 0;
	char *err = NULL;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
			continue;
		}
		out_errorf(o, "audio devices: unknown argument '%s'\n%s",
			   argv[i], cli_audio_help);
		return EXIT_USAGE;
	}
	if (audio_list(&v, &n, &err) < 0) {
		out_errorf(o, "%s", err ? err : "audio: cannot list devices");
		free(err);
		return 1;
	}
	if (n == 0 && !json)
		out_errorf(o, "audio: PortAudio finds no sound devices");
	if (json)
		cli_audio_json(o, v, n);
	else
		for (size_t i = 0; i < n; i++)
			cli_audio_line(o, &v[i]);
	audio_list_free(v, n);
	return 0;
}

int cli_audio_run(struct app *a, int argc, char **argv, struct out *o)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
		    strcmp(sub, "help") == 0)) {
		const struct app_cmd *self = app_cmd_find("audio");
		out_printf(o, "%s", self ? self->usage : cli_audio_help);
		return 0;
	}
	if (sub && strcmp(sub, "devices") == 0)
		return cli_audio_devices(argc - 1, argv + 1, o);
	if (sub)
		out_errorf(o, "unknown audio command '%s': use devices (see: "
			   "confab help audio)", sub);
	else
		out_errorf(o, "audio: which command? use devices (see: "
			   "confab help audio)");
	return EXIT_USAGE;
}
