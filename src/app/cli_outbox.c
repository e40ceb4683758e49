/* app/cli_outbox: the session the message and sync commands use, the
 * flush of the outbox with its exit statuses (see cli_msg.c), and
 * `confab announce`, `remind` and `sync`. */
#include "app/app.h"
#include "app/cli.h"
#include "app/cli_msg.h"
#include "app/out.h"
#include "net/datasync.h"
#include "net/msgsync.h"
#include "store/outbox.h"
#include "store/sync.h"
#include "common/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cm_ctx_open(struct ctx *c, struct app *a, struct out *o)
{
	memset(c, 0, sizeof *c);
	c->a = a;
	if (session_load(a, &c->s) < 0) {
		out_errorf(o, "not signed in (confab login --server URL --user "
			   "USER)");
		return -1;
	}
	c->api = (struct api){ .base = c->s.server, .token = c->s.token,
			       .proxy = a->cfg.proxy, .timeout_ms = 60000 };
	c->account = msgsync_account(c->s.user, c->s.server);
	if (msgsync_use_account(a->db, c->account) < 0) {
		out_errorf(o, "cannot write the local database");
		return -1;
	}
	return 0;
}

void cm_ctx_close(struct ctx *c)
{
	session_free(&c->s);
	free(c->account);
}

/* Flush and pull; prints what is left and returns the exit status.
 * `mine` (0: none) is an outbox item the caller just queued: refused, it
 * is reported and dropped. */
int cm_sync(struct ctx *c, int64_t mine, bool verbose, struct out *o)
{
	struct msgsync_stats st;
	char *err = NULL;
	int rc = msgsync_run(c->a->db, &c->api, c->account,
			     app_region(c->a), &st, &err);
	int status = 0;

	if (mine) {
		struct outbox_item *v;
		size_t n;
		outbox_list(c->a->db, c->account, &v, &n);
		for (size_t i = 0; i < n; i++)
			if (v[i].id == mine && v[i].failed) {
				out_errorf(o, "refused: %s", v[i].error);
				outbox_drop(c->a->db, mine);
				st.failed--;
				st.pending--;
				status = 1;
			} else if (v[i].id == mine && status == 0) {
				status = EXIT_QUEUED;
			}
		outbox_items_free(v, n);
	}
	if (verbose)
		out_printf(o, "sent %d, refused %d, received %d (%d new), "
			   "records updated %d\n", st.sent, st.refused,
			   st.received, st.fresh, st.changed);
	if (st.unusable)
		out_errorf(o, "%d record%s from the server not stored here "
			   "(each is in the log): %s", st.unusable,
			   st.unusable == 1 ? "" : "s", st.unusable_why);
	free(st.unusable_why);
	if (st.conflicts)
		out_errorf(o, "%lld record%s changed here and on another "
			   "machine: confab sync conflicts", (long long)
			   st.conflicts, st.conflicts == 1 ? "" : "s");
	if (rc < 0) {
		if (st.pending)
			out_errorf(o, "%lld waiting in the outbox, not sent: %s"
				   " (`confab sync` tries again)",
				   (long long)st.pending, err);
		else
			out_errorf(o, "%s", err);
		if (!status)
			status = st.pending ? EXIT_QUEUED : 1;
	} else if (st.failed && verbose) {
		out_errorf(o, "%lld refused by the server, kept in the outbox "
			   "(confab msg outbox)", (long long)st.failed);
	}
	free(err);
	return status;
}

/* ---- announce, remind, sync ------------------------------------------------------ */

static const char announce_usage[] =
	"usage: confab announce --subject S [--market M]... [--region R]... "
	"[--expires WHEN] [--no-send] TEXT|-";

int cli_announce_run(struct app *a, int argc, char **argv, struct out *o)
{
	struct opts p;
	struct ctx c;
	int64_t id = 0, expires = 0;
	int rc = 1;

	if (cm_parse_opts(argc, argv, &p, o, announce_usage) < 0)
		return EXIT_USAGE;
	if (!p.subject || p.npos != 1) {
		out_errorf(o, "%s", announce_usage);
		cm_opts_clear(&p);
		return EXIT_USAGE;
	}
	if (p.expires && cm_parse_at(p.expires, &expires, o) < 0) {
		cm_opts_clear(&p);
		return EXIT_USAGE;
	}
	if (cm_ctx_open(&c, a, o) == 0) {
		char *text = cm_text(p.pos[0], o);
		if (text) {
			json_t *j = json_pack("{s:s,s:s}", "subject", p.subject,
					      "body", text);
			if (p.markets)
				json_object_set(j, "markets", p.markets);
			if (p.regions)
				json_object_set(j, "regions", p.regions);
			if (expires)
				json_object_set_new(j, "expires",
						    json_integer(expires));
			rc = cm_queue(&c, "announcement", j, &id, o) < 0 ? 1 :
			     cm_finish(&c, id, p.no_send, o);
			json_decref(j);
			free(text);
		}
	}
	cm_ctx_close(&c);
	cm_opts_clear(&p);
	return rc;
}

static const char remind_usage[] =
	"usage: confab remind [--to USER] --at WHEN [--no-send] TEXT|-";

int cli_remind_run(struct app *a, int argc, char **argv, struct out *o)
{
	struct opts p;
	struct ctx c;
	int64_t id = 0, at;
	int rc = 1;

	if (cm_parse_opts(argc, argv, &p, o, remind_usage) < 0)
		return EXIT_USAGE;
	if (!p.at || p.npos != 1 || cm_parse_at(p.at, &at, o) < 0) {
		if (!p.at || p.npos != 1)
			out_errorf(o, "%s", remind_usage);
		cm_opts_clear(&p);
		return EXIT_USAGE;
	}
	if (cm_ctx_open(&c, a, o) == 0) {
		char *text = cm_text(p.pos[0], o);
		if (text) {
			json_t *j = json_pack("{s:I,s:s}", "at",
					      (json_int_t)at, "text", text);
			if (p.to)
				json_object_set_new(j, "to",
						    json_string(p.to));
			rc = cm_queue(&c, "reminder", j, &id, o) < 0 ? 1 :
			     cm_finish(&c, id, p.no_send, o);
			json_decref(j);
			free(text);
		}
	}
	cm_ctx_close(&c);
	cm_opts_clear(&p);
	return rc;
}

static const char sync_usage[] =
	"usage: confab sync [--quiet]\n"
	"       confab sync conflicts [--json]\n"
	"       confab sync resolve ID mine|theirs|both";

static int conflicts(struct app *a, bool json, struct out *o)
{
	struct sync_conflict *v;
	size_t n;

	if (sync_conflicts(a->db, &v, &n) < 0) {
		out_errorf(o, "cannot read the local database");
		return 1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (json) {
			json_array_append_new(arr, json_pack("{s:I,s:s,s:s,"
				"s:s?,s:s?,s:I}", "id", (json_int_t)v[i].id,
				"kind", v[i].kind, "uid", v[i].uid, "mine",
				v[i].mine, "theirs", v[i].theirs, "rev",
				(json_int_t)v[i].rev));
			continue;
		}
		char when[32];
		cm_when(v[i].created, when, sizeof when);
		out_printf(o, "%lld\t%s\t%s\t%s\tmine: %s, theirs: %s\n",
			   (long long)v[i].id, v[i].kind, v[i].uid, when,
			   v[i].mine ? "changed" : "deleted",
			   v[i].theirs ? "changed" : "deleted");
	}
	if (json)
		cli_print_json(o, arr);
	json_decref(arr);
	sync_conflicts_free(v, n);
	return 0;
}

int cli_sync_run(struct app *a, int argc, char **argv, struct out *o)
{
	struct ctx c;
	int rc;

	if (argc >= 2 && strcmp(argv[1], "conflicts") == 0)
		return conflicts(a, argc > 2 && strcmp(argv[2], "--json") == 0,
				 o);
	if (argc == 4 && strcmp(argv[1], "resolve") == 0) {
		enum datasync_choice how;
		char *end, *err = NULL;
		long long id = strtoll(argv[2], &end, 10);
		if (strcmp(argv[3], "mine") == 0)
			how = DS_MINE;
		else if (strcmp(argv[3], "theirs") == 0)
			how = DS_THEIRS;
		else if (strcmp(argv[3], "both") == 0)
			how = DS_BOTH;
		else
			goto usage;
		if (*end || datasync_resolve(a->db, id, how, app_region(a),
					     &err) < 0) {
			out_errorf(o, "%s", err ? err : "no such conflict");
			free(err);
			return 1;
		}
		/* and tell the server now, when it can be reached */
		if (cm_ctx_open(&c, a, o) < 0)
			return 0;
		rc = cm_sync(&c, 0, false, o);
		cm_ctx_close(&c);
		return rc == EXIT_QUEUED ? 0 : rc;
	}
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--quiet")))
		goto usage;
	if (cm_ctx_open(&c, a, o) < 0)
		return 1;
	rc = cm_sync(&c, 0, argc < 2, o);
	cm_ctx_close(&c);
	return rc;
usage:
	out_errorf(o, "%s", sync_usage);
	return EXIT_USAGE;
}
