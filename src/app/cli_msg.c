/* app/cli_msg: `confab msg` (cli_outbox.c: `announce`, `remind`, `sync`).
 *
 * What these send goes into the outbox first (net/msgsync.h), then the
 * outbox is flushed and the mailbox pulled, as the TUI does.  Exit
 * status: 0 when everything reached the server, 1 when the server refused
 * it (the refusal is printed and the item dropped: the user has heard),
 * 75 (EX_TEMPFAIL) when it is queued but could not be sent yet (the
 * server is away): `confab sync` or the TUI sends it later.
 */
#include "app/app.h"
#include "app/cli.h"
#include "app/cli_msg.h"
#include "app/out.h"
#include "app/session.h"
#include "net/api.h"
#include "net/msgsync.h"
#include "store/messages.h"
#include "store/outbox.h"
#include "store/recur.h"
#include "common/str.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LIST_MAX 100000
/* ---- text in ------------------------------------------------------------------ */

static char *read_stdin(void)
{
	struct sbuf b;
	char buf[4096];
	size_t n;

	sbuf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		sbuf_addn(&b, buf, n);
	return sbuf_take(&b);
}

/* TEXT, or "-" for standard input; NULL (error printed) when not UTF-8. */
char *cm_text(const char *arg, struct out *o)
{
	char *t = strcmp(arg, "-") == 0 ? read_stdin() : xstrdup(arg);

	if (!utf8_valid(t, strlen(t))) {
		out_errorf(o, "the text is not valid UTF-8");
		free(t);
		return NULL;
	}
	return t;
}

/* A time for --at: "YYYY-MM-DD HH:MM", "HH:MM" (the next one), "+N"
 * with s, m, h or d, or "@UNIXTIME". */
int cm_parse_at(const char *s, int64_t *out, struct out *o)
{
	time_t now = time(NULL);
	char *end;
	struct dt t;
	int h, m;

	if (s[0] == '+' && isdigit((unsigned char)s[1])) {
		long long n = strtoll(s + 1, &end, 10);
		int unit = *end == 's' ? 1 : *end == 'h' ? 3600 :
			   *end == 'd' ? 86400 : 60;
		if (*end && (end[1] || !strchr("smhd", *end)))
			goto bad;
		*out = now + n * unit;
		return 0;
	}
	if (s[0] == '@') {
		*out = strtoll(s + 1, &end, 10);
		if (*end || end == s + 1)
			goto bad;
		return 0;
	}
	if (sscanf(s, "%d:%d", &h, &m) == 2 && strlen(s) <= 5 && h >= 0 &&
	    h < 24 && m >= 0 && m < 60) {
		struct tm tm;
		localtime_r(&now, &tm);
		tm.tm_hour = h;
		tm.tm_min = m;
		tm.tm_sec = 0;
		tm.tm_isdst = -1;
		time_t at = mktime(&tm);
		if (at <= now)
			at += 86400;
		*out = at;
		return 0;
	}
	if (dt_parse(s, &t) && !t.date) {
		*out = dt_to_utc(&t, NULL);
		return 0;
	}
bad:
	out_errorf(o, "not a time: '%s' (use \"YYYY-MM-DD HH:MM\", HH:MM, "
		   "+30m, +2h, +1d or @UNIXTIME)", s);
	return -EINVAL;
}

/* ---- output ------------------------------------------------------------------- */

static json_t *msg_json(const struct message *m)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:b,s:b}", "id",
			      (json_int_t)m->id, "kind", m->kind, "folder",
			      m->folder, "read", m->read, "outgoing",
			      m->outgoing);
	json_t *to = json_array();
	json_error_t e;

	if (m->message_id)
		json_object_set_new(j, "message", json_integer(m->message_id));
	if (m->sender)
		json_object_set_new(j, "from", json_string(m->sender));
	if (m->sender_name)
		json_object_set_new(j, "from_name",
				    json_string(m->sender_name));
	for (const char *p = m->recipients; p && *p;) {
		size_t n = strcspn(p, ",");
		char *one = xstrndup(p, n);
		str_trim(one);
		if (*one)
			json_array_append_new(to, json_string(one));
		free(one);
		p += n + (p[n] == ',');
	}
	json_object_set_new(j, "to", to);
	if (m->subject)
		json_object_set_new(j, "subject", json_string(m->subject));
	json_object_set_new(j, "body", json_string(m->body));
	json_object_set_new(j, "created", json_integer(m->created));
	if (m->reply_to)
		json_object_set_new(j, "reply_to", json_integer(m->reply_to));
	if (m->deliver_at)
		json_object_set_new(j, "deliver_at",
				    json_integer(m->deliver_at));
	if (m->expires)
		json_object_set_new(j, "expires", json_integer(m->expires));
	json_t *att = m->attachments ? json_loads(m->attachments, 0, &e) :
					NULL;
	json_object_set_new(j, "attachments", att ? att : json_array());
	if (m->id < 0) {
		json_object_set_new(j, "pending", json_true());
		json_object_set_new(j, "refused", json_boolean(m->refused));
		json_object_set_new(j, "error", json_string(m->error));
	}
	return j;
}

void cm_when(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

/* The first line of the subject or else the body, at most 60 bytes. */
static char *summary(const struct message *m)
{
	const char *s = m->subject && *m->subject ? m->subject : m->body;
	size_t n = strcspn(s, "\n");

	return xstrndup(s, n > 60 ? utf8_fit(s, 60, NULL) : n);
}

static void print_row(struct out *o, const struct message *m)
{
	char when[32], *sum = summary(m);
	const char *who = m->outgoing ? m->recipients :
		m->sender_name ? m->sender_name : m->sender ? m->sender :
		"confab";

	cm_when(m->created, when, sizeof when);
	/* ID, flags, date, from (or "to ..."), kind, summary */
	out_printf(o, "%lld\t%s\t%s\t%s%s\t%s\t%s%s\n", (long long)m->id,
		   m->id < 0 ? (m->refused ? "refused" : "pending") :
		   m->read ? "-" : "N", when, m->outgoing ? "to " : "",
		   who ? who : "", m->kind, sum, m->attachments ?
		   " [attachment]" : "");
	free(sum);
}

/* ---- msg subcommands -------------------------------------------------------------- */


void cm_opts_clear(struct opts *p)
{
	json_decref(p->attach);
	json_decref(p->markets);
	json_decref(p->regions);
}

int cm_parse_opts(int argc, char **argv, struct opts *p, struct out *o,
		      const char *usage)
{
	static const struct option lo[] = {
		{ "to", required_argument, NULL, 't' },
		{ "subject", required_argument, NULL, 's' },
		{ "folder", required_argument, NULL, 'f' },
		{ "attach", required_argument, NULL, 'a' },
		{ "market", required_argument, NULL, 'm' },
		{ "region", required_argument, NULL, 'r' },
		{ "expires", required_argument, NULL, 'e' },
		{ "at", required_argument, NULL, 'A' },
		{ "reply", required_argument, NULL, 'R' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "unread", no_argument, NULL, 'u' },
		{ "each-line", no_argument, NULL, 'l' },
		{ "no-send", no_argument, NULL, 'n' },
		{ "purge", no_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'L' },
		{ "offline", no_argument, NULL, 'O' },
		{ "voicemail", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(p, 0, sizeof *p);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:", lo, NULL)) != -1) {
		switch (ch) {
		case 't': p->to = optarg; break;
		case 's': p->subject = optarg; break;
		case 'f': p->folder = optarg; break;
		case 'e': p->expires = optarg; break;
		case 'A': p->at = optarg; break;
		case 'o': p->output = optarg; break;
		case 'j': p->json = true; break;
		case 'u': p->unread = true; break;
		case 'l': p->each_line = true; break;
		case 'n': p->no_send = true; break;
		case 'p': p->purge = true; break;
		case 'L': p->all = true; break;
		case 'O': p->offline = true; break;
		case 'V': p->voicemail = true; break;
		case 'R': p->reply = strtoll(optarg, NULL, 10); break;
		case 'a': case 'm': case 'r': {
			json_t **l = ch == 'a' ? &p->attach : ch == 'm' ?
				     &p->markets : &p->regions;
			if (!*l)
				*l = json_array();
			json_array_append_new(*l, json_string(optarg));
			break;
		}
		default:
			out_errorf(o, "%s", usage);
			cm_opts_clear(p);
			return -1;
		}
	}
	p->pos = argv + optind;
	p->npos = argc - optind;
	return 0;
}

static const char msg_usage[] =
	"usage: confab msg send --to USER[,USER...] [--subject S] "
	"[--attach FILE]... [--reply ID] [--each-line] [--voicemail] [--no-send] TEXT|-\n"
	"       confab msg list [--folder inbox|sent|trash] [--unread] "
	"[--offline] [--json]\n"
	"       confab msg read ID [--json]\n"
	"       confab msg search TEXT [--json]\n"
	"       confab msg delete ID [--purge] | restore ID | unread ID\n"
	"       confab msg reply ID [--all] TEXT|-\n"
	"       confab msg forward ID --to USER[,USER...] [TEXT|-]\n"
	"       confab msg attachment ID [-o FILE]\n"
	"       confab msg outbox [--json] | outbox retry ID | outbox drop ID";

/* Upload a file as an attachment: its id, or -1 (error printed). */
static int64_t upload(struct ctx *c, const char *path, struct out *o);

/* Queue one message payload (key added on sending). */
int cm_queue(struct ctx *c, const char *kind, json_t *payload,
		 int64_t *id, struct out *o)
{
	if (msgsync_queue(c->a->db, c->account, kind, payload, id) < 0) {
		out_errorf(o, "cannot write the outbox");
		return -1;
	}
	return 0;
}

int cm_finish(struct ctx *c, int64_t mine, bool no_send, struct out *o)
{
	if (no_send)
		return 0;
	return cm_sync(c, mine, false, o);
}

static int cmd_send(struct ctx *c, struct opts *p, struct out *o)
{
	json_t *atts = json_array(), *v;
	size_t i;
	int64_t id = 0;
	int rc = 1;
	char *text;

	if (!p->to || p->npos != 1) {
		out_errorf(o, "%s", msg_usage);
		json_decref(atts);
		return EXIT_USAGE;
	}
	if (!(text = cm_text(p->pos[0], o))) {
		json_decref(atts);
		return 1;
	}
	json_array_foreach(p->attach, i, v) {
		int64_t aid = upload(c, json_string_value(v), o);
		if (aid < 0)
			goto out;
		json_array_append_new(atts, json_integer(aid));
	}
	db_begin(c->a->db);
	for (char *line = text, *next; line; line = next) {
		next = p->each_line ? strchr(line, '\n') : NULL;
		if (next)
			*next++ = '\0';
		if (p->each_line && !*line)
			continue;
		json_t *m = json_pack("{s:s,s:s}", "to", p->to, "body", line);
		if (p->subject)
			json_object_set_new(m, "subject",
					    json_string(p->subject));
		if (p->reply)
			json_object_set_new(m, "reply_to",
					    json_integer(p->reply));
		if (json_array_size(atts))
			json_object_set(m, "attachments", atts);
		if (p->voicemail)
			json_object_set_new(m, "kind", json_string("voicemail"));
		int q = cm_queue(c, "message", m, &id, o);
		json_decref(m);
		if (q < 0) {
			db_rollback(c->a->db);
			goto out;
		}
	}
	db_commit(c->a->db);
	rc = cm_finish(c, p->each_line ? 0 : id, p->no_send, o);
out:
	free(text);
	json_decref(atts);
	return rc;
}

static int cmd_list(struct ctx *c, struct opts *p, bool search,
		    struct out *o)
{
	struct message *v;
	size_t n;
	const char *folder = p->folder ? p->folder : "inbox";
	int rc = 0;

	if (search ? p->npos != 1 : p->npos != 0) {
		out_errorf(o, "%s", msg_usage);
		return EXIT_USAGE;
	}
	if (!search && strcmp(folder, "inbox") && strcmp(folder, "sent") &&
	    strcmp(folder, "trash")) {
		out_errorf(o, "no folder '%s' (inbox, sent or trash)", folder);
		return EXIT_USAGE;
	}
	if (!p->offline) {
		/* what is on the server now; else what this machine has */
		rc = cm_sync(c, 0, false, o);
		if (rc == EXIT_QUEUED)
			rc = 0;
		if (rc)
			out_errorf(o, "showing the messages kept here");
		rc = 0;
	}
	if ((search ? messages_search(c->a->db, p->pos[0], 200, &v, &n) :
	     messages_list(c->a->db, folder, p->unread, LIST_MAX, &v,
			   &n)) < 0) {
		out_errorf(o, "cannot read the local mailbox");
		return 1;
	}
	if (p->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, msg_json(&v[i]));
		cli_print_json(o, arr);
		json_decref(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			print_row(o, &v[i]);
	}
	messages_free(v, n);
	return rc;
}

static int entry_arg(struct opts *p, int64_t *id, struct out *o)
{
	char *end;

	if (p->npos < 1 || !*p->pos[0]) {
		out_errorf(o, "%s", msg_usage);
		return -1;
	}
	*id = strtoll(p->pos[0], &end, 10);
	if (*end || *id == 0) {
		out_errorf(o, "not a message id: '%s'", p->pos[0]);
		return -1;
	}
	return 0;
}

/* The message ID from the local mailbox (after a pull when online). */
static int load(struct ctx *c, struct opts *p, struct message *m,
		struct out *o)
{
	int64_t id;

	if (entry_arg(p, &id, o) < 0)
		return EXIT_USAGE;
	if (messages_get(c->a->db, id, m) == -ENOENT) {
		cm_sync(c, 0, false, o);
		if (messages_get(c->a->db, id, m) < 0) {
			out_errorf(o, "no message %lld (confab msg list shows "
				   "their ids)", (long long)id);
			return 1;
		}
	}
	return 0;
}

static int cmd_read(struct ctx *c, struct opts *p, struct out *o)
{
	struct message m;
	char when[32];
	int rc = load(c, p, &m, o);

	if (rc)
		return rc;
	if (p->json) {
		json_t *j = msg_json(&m);
		cli_print_json(o, j);
		json_decref(j);
	} else {
		cm_when(m.created, when, sizeof when);
		out_printf(o, "From: %s%s%s%s\nTo: %s\nDate: %s\n",
			   m.sender_name ? m.sender_name : "",
			   m.sender_name ? " <" : "",
			   m.sender ? m.sender : "confab",
			   m.sender_name ? ">" : "", m.recipients ?
			   m.recipients : "", when);
		if (strcmp(m.kind, "text"))
			out_printf(o, "Kind: %s\n", m.kind);
		if (m.subject)
			out_printf(o, "Subject: %s\n", m.subject);
		json_error_t e;
		json_t *att = m.attachments ? json_loads(m.attachments, 0, &e)
					    : NULL, *a;
		size_t i;
		json_array_foreach(att, i, a)
			out_printf(o, "Attachment: %lld %s (%s, %lld bytes)\n",
				   (long long)json_integer_value(
					   json_object_get(a, "id")),
				   json_string_value(json_object_get(a,
								     "name")),
				   json_string_value(json_object_get(a,
								     "type")),
				   (long long)json_integer_value(
					   json_object_get(a, "size")));
		json_decref(att);
		if (m.id < 0)
			out_printf(o, "Status: %s\n", m.error);
		out_printf(o, "\n%s%s", m.body, *m.body &&
			   m.body[strlen(m.body) - 1] != '\n' ? "\n" : "");
	}
	if (m.id > 0 && !m.read) {
		msgsync_queue_change(c->a->db, c->account, m.id, 1, NULL,
				     false);
		rc = cm_sync(c, 0, false, o);
		rc = rc == EXIT_QUEUED ? 0 : rc;
	}
	message_clear(&m);
	return rc;
}

static int cmd_change(struct ctx *c, struct opts *p, const char *verb,
		      struct out *o)
{
	struct message m;
	int rc = load(c, p, &m, o);
	const char *folder = NULL;
	int read = -1;

	if (rc)
		return rc;
	if (m.id < 0) {		/* not sent yet: leaves the outbox */
		if (strcmp(verb, "delete") == 0) {
			outbox_drop(c->a->db, -m.id);
			out_printf(o, "not sent; removed from the outbox\n");
		} else {
			out_errorf(o, "message %lld is not sent yet",
				   (long long)m.id);
			rc = 1;
		}
		message_clear(&m);
		return rc;
	}
	if (strcmp(verb, "delete") == 0)
		folder = "trash";
	else if (strcmp(verb, "restore") == 0)
		folder = m.outgoing ? "sent" : "inbox";
	else
		read = 0;
	if (msgsync_queue_change(c->a->db, c->account, m.id, read, folder,
				 p->purge) < 0) {
		out_errorf(o, "cannot write the local database");
		rc = 1;
	} else {
		rc = cm_sync(c, 0, false, o);
		rc = rc == EXIT_QUEUED ? 0 : rc;
	}
	message_clear(&m);
	return rc;
}

/* reply and forward: a new message from an old one */
static int cmd_respond(struct ctx *c, struct opts *p, bool fwd,
		       struct out *o)
{
	struct message m;
	struct sbuf to, subj, body;
	int rc;

	if (p->npos < 1 || p->npos > 2 || (!fwd && p->npos != 2) ||
	    (fwd && !p->to)) {
		out_errorf(o, "%s", msg_usage);
		return EXIT_USAGE;
	}
	if ((rc = load(c, p, &m, o)))
		return rc;
	char *text = p->npos == 2 ? cm_text(p->pos[1], o) : xstrdup("");
	if (!text) {
		message_clear(&m);
		return 1;
	}
	sbuf_init(&to);
	sbuf_init(&subj);
	sbuf_init(&body);
	if (fwd) {
		sbuf_add(&to, p->to);
	} else {
		sbuf_add(&to, m.outgoing ? m.recipients : m.sender ?
			 m.sender : "");
		if (p->all && !m.outgoing && m.recipients)	/* and the rest */
			for (const char *q = m.recipients; *q;) {
				size_t n = strcspn(q, ",");
				char *one = xstrndup(q, n);
				str_trim(one);
				if (*one && strcmp(one, c->s.user) &&
				    !str_eq(one, m.sender))
					sbuf_printf(&to, ",%s", one);
				free(one);
				q += n + (q[n] == ',');
			}
	}
	const char *old = m.subject ? m.subject : "";
	const char *pre = fwd ? "Fwd: " : "Re: ";
	sbuf_printf(&subj, "%s%s", str_istarts(old, pre) ? "" : pre, old);
	sbuf_add(&body, text);
	if (fwd) {
		char when[32];
		cm_when(m.created, when, sizeof when);
		sbuf_printf(&body, "%s---- Forwarded message from %s, %s ----\n"
			    "%s", *text ? "\n\n" : "", m.sender ? m.sender :
			    "confab", when, m.body);
	}
	json_t *j = json_pack("{s:s,s:s,s:s}", "to", sbuf_str(&to), "subject",
			      sbuf_str(&subj), "body", sbuf_str(&body));
	if (m.message_id && !fwd)
		json_object_set_new(j, "reply_to", json_integer(m.message_id));
	json_error_t e;
	json_t *att = fwd && m.attachments ? json_loads(m.attachments, 0, &e)
					  : NULL, *a;
	size_t i;
	if (json_array_size(att)) {
		json_t *ids = json_array();
		json_array_foreach(att, i, a)
			json_array_append(ids, json_object_get(a, "id"));
		json_object_set_new(j, "attachments", ids);
	}
	json_decref(att);
	int64_t id = 0;
	rc = cm_queue(c, "message", j, &id, o) < 0 ? 1 :
	     cm_finish(c, id, p->no_send, o);
	json_decref(j);
	sbuf_free(&to);
	sbuf_free(&subj);
	sbuf_free(&body);
	free(text);
	message_clear(&m);
	return rc;
}

static int cmd_outbox(struct ctx *c, struct opts *p, struct out *o)
{
	struct outbox_item *v;
	size_t n;
	int64_t id;
	char *end;

	if (p->npos == 2) {
		id = strtoll(p->pos[1], &end, 10);
		int r = *end ? -ENOENT :
			strcmp(p->pos[0], "drop") == 0 ?
			outbox_drop(c->a->db, id) :
			strcmp(p->pos[0], "retry") == 0 ?
			outbox_revive(c->a->db, id) : -EINVAL;
		if (r == -EINVAL) {
			out_errorf(o, "%s", msg_usage);
			return EXIT_USAGE;
		}
		if (r < 0) {
			out_errorf(o, "no outbox item %s", p->pos[1]);
			return 1;
		}
		return p->pos[0][0] == 'r' ? cm_sync(c, 0, true, o) : 0;
	}
	if (outbox_list(c->a->db, c->account, &v, &n) < 0) {
		out_errorf(o, "cannot read the outbox");
		return 1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (p->json) {
			json_error_t e;
			json_t *pl = json_loads(v[i].payload, 0, &e);
			json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:I,"
				"s:i,s:b,s:s?,s:o}", "id", (json_int_t)v[i].id,
				"key", v[i].key, "kind", v[i].kind, "created",
				(json_int_t)v[i].created, "attempts",
				v[i].attempts, "failed", v[i].failed, "error",
				v[i].error, "payload", pl ? pl : json_null()));
		} else {
			char when[32];
			cm_when(v[i].created, when, sizeof when);
			out_printf(o, "%lld\t%s\t%s\t%s\t%s\n",
				   (long long)v[i].id, v[i].kind, when,
				   v[i].failed ? "refused" : "waiting",
				   v[i].error ? v[i].error : "");
		}
	}
	if (p->json)
		cli_print_json(o, arr);
	json_decref(arr);
	outbox_items_free(v, n);
	return 0;
}

static int64_t upload(struct ctx *c, const char *path, struct out *o)
{
	const char *slash = strrchr(path, '/');
	char *type = NULL, *err = NULL;
	json_t *reply = NULL;
	long status = 0;
	int64_t id = -1;

	if (access(path, R_OK) < 0) {
		out_errorf(o, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (api_upload(&c->api, path, slash ? slash + 1 : path, &status,
		       &reply, &err) < 0) {
		out_errorf(o, "%s: %s", path, err);
	} else if (status >= 300) {
		out_errorf(o, "%s: %s", path, api_error_message(reply, status));
	} else {
		id = json_integer_value(json_object_get(reply, "id"));
	}
	free(type);
	free(err);
	json_decref(reply);
	return id;
}

static int cmd_attachment(struct ctx *c, struct opts *p, struct out *o)
{
	char *err = NULL, *path;
	int64_t id;

	if (entry_arg(p, &id, o) < 0)
		return EXIT_USAGE;
	path = xasprintf("/v1/attachments/%lld", (long long)id);
	int rc = api_download(&c->api, path, p->output ? p->output : "-",
			      &err);
	free(path);
	if (rc < 0) {
		out_errorf(o, "attachment %lld: %s", (long long)id, err);
		free(err);
		return 1;
	}
	return 0;
}

int cli_msg_run(struct app *a, int argc, char **argv, struct out *o)
{
	struct opts p;
	struct ctx c;
	int rc;

	if (argc < 2) {
		out_errorf(o, "%s", msg_usage);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (cm_parse_opts(argc - 1, argv + 1, &p, o, msg_usage) < 0)
		return EXIT_USAGE;
	if (cm_ctx_open(&c, a, o) < 0) {
		cm_opts_clear(&p);
		return 1;
	}
	if (strcmp(sub, "send") == 0)
		rc = cmd_send(&c, &p, o);
	else if (strcmp(sub, "list") == 0)
		rc = cmd_list(&c, &p, false, o);
	else if (strcmp(sub, "search") == 0)
		rc = cmd_list(&c, &p, true, o);
	else if (strcmp(sub, "read") == 0)
		rc = cmd_read(&c, &p, o);
	else if (strcmp(sub, "delete") == 0 || strcmp(sub, "restore") == 0 ||
		 strcmp(sub, "unread") == 0)
		rc = cmd_change(&c, &p, sub, o);
	else if (strcmp(sub, "reply") == 0 || strcmp(sub, "forward") == 0)
		rc = cmd_respond(&c, &p, sub[0] == 'f', o);
	else if (strcmp(sub, "outbox") == 0)
		rc = cmd_outbox(&c, &p, o);
	else if (strcmp(sub, "attachment") == 0)
		rc = cmd_attachment(&c, &p, o);
	else {
		out_errorf(o, "%s", msg_usage);
		rc = EXIT_USAGE;
	}
	cm_ctx_close(&c);
	cm_opts_clear(&p);
	return rc;
}
