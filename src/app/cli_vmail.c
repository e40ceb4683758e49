/* app/cli_vmail: `confab voicemail send USER` and `confab voicemail play
 * ID`, and the voice mail `confab call --voicemail` leaves.
 *
 * A voice mail is a message of kind "voicemail" whose attachment is the
 * recording (Ogg Opus, call/vmail).  Sending records from the input
 * device (a WAV file, a sound card) until the file ends, the maximum
 * length or Ctrl-C, then goes through `msg send` (the outbox: nothing is
 * lost offline).  Playing downloads the attachment (checksum checked)
 * into the data directory and plays it on the output device.
 */
#include "app/app.h"
#include "app/cli.h"
#include "call/vmail.h"
#include "common/paths.h"
#include "common/str.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 2

/* A device option: "null", "pa:NAME", "file:PATH" or a WAV file's path. */
static char *vm_device(const char *v)
{
	if (!v)
		return NULL;
	if (str_eq(v, "null") || strncmp(v, "pa:", 3) == 0 ||
	    strncmp(v, "file:", 5) == 0)
		return xstrdup(v);
	return xasprintf("file:%s", v);
}

static volatile sig_atomic_t vm_interrupted;

static void vm_on_signal(int sig)
{
	(void)sig;
	vm_interrupted = 1;
}

int cli_voicemail_send(struct app *a, const char *user, const char *input,
		       int max_s, struct out *o)
{
	char *path = xasprintf("%s/voicemail-%d-%ld.opus", a->data_dir,
			       (int)getpid(), (long)time(NULL));
	struct sigaction sa = { .sa_handler = vm_on_signal }, old_int, old_term;
	struct vmail_rec *r;
	char *err = NULL, text[64];
	double secs;
	int rc;

	if (vmail_rec_start(&r, input, path, max_s, &err) < 0) {
		out_errorf(o, "%s", err);
		free(err);
		free(path);
		return 1;
	}
	out_printf(o, "recording a voice mail for %s (Ctrl-C ends it)\n", user);
	fflush(stdout);
	vm_interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	while (!vm_interrupted && !vmail_rec_done(r))
		usleep(50000);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if ((secs = vmail_rec_stop(r, &err)) < 0) {
		out_errorf(o, "%s", err);
		free(err);
		unlink(path);
		free(path);
		return 1;
	}
	if (secs < 0.5) {
		out_errorf(o, "nothing recorded: no voice mail sent");
		unlink(path);
		free(path);
		return 1;
	}
	snprintf(text, sizeof text, "Voice mail (%d:%02d)", (int)secs / 60,
		 (int)secs % 60);
	char *argv[] = { "msg", "send", "--to", (char *)user, "--voicemail",
			 "--attach", path, text, NULL };
	rc = cli_msg_run(a, 8, argv, o);
	if (rc == 0)
		out_printf(o, "voice mail sent: %.1f s\n", secs);
	unlink(path);
	free(path);
	return rc;
}

/* The first Ogg attachment of message `id`: its attachment id, or -1. */
static long long vm_attachment(struct app *a, const char *id, struct out *o)
{
	struct sbuf b;
	struct out cap;
	char *argv[] = { "msg", "read", (char *)id, "--json", NULL };
	long long att = -1;
	json_t *j, *v;
	size_t i;

	sbuf_init(&b);
	out_sbuf(&cap, &b);
	if (cli_msg_run(a, 4, argv, &cap) != 0) {
		out_write(o, sbuf_str(&b), strlen(sbuf_str(&b)));
		sbuf_free(&b);
		return -1;
	}
	j = json_loads(sbuf_str(&b), 0, NULL);
	sbuf_free(&b);
	json_array_foreach(json_object_get(j, "attachments"), i, v) {
		const char *type = json_string_value(json_object_get(v,
								     "type"));
		if (att < 0 && type && strstr(type, "ogg"))
			att = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(j);
	if (att < 0)
		out_errorf(o, "message %s has no voice mail attached", id);
	return att;
}

static int vm_play(struct app *a, const char *id, const char *output,
		   struct out *o)
{
	long long att = vm_attachment(a, id, o);
	char *path, num[32], *err = NULL;
	struct vmail_play *p;

	if (att < 0)
		return 1;
	path = xasprintf("%s/voicemail-%lld.opus", a->data_dir, att);
	snprintf(num, sizeof num, "%lld", att);
	char *argv[] = { "msg", "attachment", num, "-o", path, NULL };
	if (access(path, R_OK) != 0 && cli_msg_run(a, 5, argv, o) != 0) {
		free(path);
		return 1;
	}
	if (vmail_play_start(&p, path, output, &err) < 0) {
		out_errorf(o, "%s", err);
		free(err);
		free(path);
		return 1;
	}
	out_printf(o, "playing %.1f s\n", vmail_play_length(p));
	fflush(stdout);
	while (!vmail_play_ended(p))
		usleep(50000);
	vmail_play_stop(p);
	out_printf(o, "played\n");
	free(path);
	return 0;
}

int cli_voicemail_run(struct app *a, int argc, char **argv, struct out *o)
{
	static const struct option lo[] = {
		{ "audio-in", required_argument, NULL, 'i' },
		{ "audio-out", required_argument, NULL, 'o' },
		{ "max", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	char *in = NULL, *outdev = NULL, *end;
	long max = VMAIL_MAX_S;
	int ch, rc = EXIT_USAGE;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'i':
			free(in);
			in = vm_device(optarg);
			break;
		case 'o':
			free(outdev);
			outdev = vm_device(optarg);
			break;
		case 'm':
			max = strtol(optarg, &end, 10);
			if (*end || max < 1 || max > VMAIL_MAX_S) {
				out_errorf(o, "--max takes 1 to %d seconds",
					   VMAIL_MAX_S);
				goto out;
			}
			break;
		default:
			goto usage;
		}
	}
	if (optind + 2 != argc)
		goto usage;
	if (strcmp(argv[optind], "send") == 0)
		rc = cli_voicemail_send(a, argv[optind + 1],
					in ? in : a->cfg.audio_input,
					(int)max, o);
	else if (strcmp(argv[optind], "play") == 0)
		rc = vm_play(a, argv[optind + 1],
			     outdev ? outdev : a->cfg.audio_output, o);
	else
		goto usage;
	goto out;
usage:
	out_errorf(o, "%s", app_cmd_find("voicemail")->usage);
out:
	free(in);
	free(outdev);
	return rc;
}
