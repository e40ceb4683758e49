/* app/cli: the CLI subcommands' entry points (the table is in commands.c). */
#ifndef CONFAB_APP_CLI_H
#define CONFAB_APP_CLI_H

struct app;
struct out;

int cli_contacts_run(struct app *a, int argc, char **argv, struct out *o);
int cli_books_run(struct app *a, int argc, char **argv, struct out *o);
int cli_crm_run(struct app *a, int argc, char **argv, struct out *o);
int cli_diary_run(struct app *a, int argc, char **argv, struct out *o);
int cli_calls_run(struct app *a, int argc, char **argv, struct out *o);
/* login, logout and whoami (argv[0] says which) */
int cli_login_run(struct app *a, int argc, char **argv, struct out *o);
/* directory, presence and profile (argv[0] says which) */
int cli_directory_run(struct app *a, int argc, char **argv, struct out *o);
/* users list|add|edit|perms|disable|enable|password */
int cli_users_run(struct app *a, int argc, char **argv, struct out *o);
/* company show|set|logo, and `profile photo` (argv[0] is "photo") */
int cli_company_run(struct app *a, int argc, char **argv, struct out *o);
int cli_profile_photo(struct app *a, int argc, char **argv, struct out *o);
/* cli_msg.c: messages, announcements, reminders and `confab sync` */
int cli_msg_run(struct app *a, int argc, char **argv, struct out *o);
int cli_announce_run(struct app *a, int argc, char **argv, struct out *o);
int cli_remind_run(struct app *a, int argc, char **argv, struct out *o);
int cli_sync_run(struct app *a, int argc, char **argv, struct out *o);
/* cli_call.c: `confab call USER` and `confab agent` (argv[0] says which) */
int cli_call_run(struct app *a, int argc, char **argv, struct out *o);
/* cli_vmail.c: `confab voicemail send|play`; the voice mail `confab call
 * --voicemail` leaves (input: a device string) */
int cli_voicemail_run(struct app *a, int argc, char **argv, struct out *o);
int cli_voicemail_send(struct app *a, const char *user, const char *input,
		       int max_s, struct out *o);
/* cli_audio.c: `confab audio devices` */
int cli_audio_run(struct app *a, int argc, char **argv, struct out *o);

/* cli_api.c: a request to the signed-in server; prints the error and
 * returns the exit status when it fails (0 with *reply set when it
 * worked). */
#include <jansson.h>
int cli_api_call(struct app *a, const char *method, const char *path,
		 json_t *body, json_t **reply, struct out *o);
/* The first line of `path` ("-": stdin), or asked on the terminal
 * without echo when path is NULL; NULL (error printed) on failure. */
char *cli_read_password(const char *path, struct out *o);
void cli_print_json(struct out *o, json_t *j);

#endif
