/* app/online_msg: messages on the TUI's link to confabd.
 *
 * The same steps as `confab sync` (net/msgsync.c), run on the loop: one
 * flush request and one pull at a time, each started again when
 * something happened while it was out (msg_push_again, msg_pull_again).
 * A flush that stops (server away, refused session) waits for the link
 * to come up again, which starts both anew.
 */
#include "app/online.h"
#include "app/app.h"
#include "app/loop.h"
#include "net/datasync.h"
#include "store/messages.h"
#include "store/outbox.h"
#include "store/sync.h"
#include "common/log.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static void push(struct online *o);
static void pull(struct online *o);
static void data_pull(struct online *o);

#define PUSH_DELAY_MS 300	/* after a local change, gather a few */

static void say(struct online *o, bool alert, const char *text)
{
	o->notify(o->arg, text, alert);
}

static void count_unread(struct online *o)
{
	o->msg_unread = messages_unread(o->app->db, "inbox");
}

static void on_pushed(void *arg, long status, json_t *reply, const char *err)
{
	struct online *o = arg;
	char *why = NULL;
	int64_t failed0, failed1;
	int64_t conflicts0 = sync_conflict_count(o->app->db);

	o->msg_push_id = 0;
	outbox_count(o->app->db, o->account, &failed0);
	int rc = msgsync_answer(o->app->db, o->msg_req, status, reply, err,
				&why);
	outbox_count(o->app->db, o->account, &failed1);
	msgsync_req_clear(o->msg_req);
	free(o->msg_req);
	o->msg_req = NULL;
	if (rc < 0) {
		log_info("messages", "outbox waits: %s", why);
		str_set(&o->msg_error, why);
		free(why);
		say(o, false, NULL);
		return;		/* again when the link is back */
	}
	free(o->msg_error);
	o->msg_error = NULL;
	if (failed1 > failed0)
		say(o, true, "The server refused a change or message: see the "
		    "outbox (:sync)");
	if (sync_conflict_count(o->app->db) > conflicts0)
		say(o, true, "A record was changed here and on another "
		    "machine: both versions are kept, choose with :conflicts");
	push(o);
}

static void push(struct online *o)
{
	struct msgsync_req *r;

	if (!o->account || o->link != LINK_UP)
		return;
	if (o->msg_push_id) {
		o->msg_push_again = true;
		return;
	}
	o->msg_push_again = false;
	if (datasync_queue(o->app->db, o->account) < 0)
		log_err("sync", "cannot queue the local changes");
	r = xcalloc(1, sizeof *r);
	int rc = msgsync_next(o->app->db, o->account, r);
	if (rc <= 0) {
		free(r);
		say(o, false, NULL);	/* pending counts changed */
		return;
	}
	o->msg_req = r;
	o->msg_push_id = online_call_raw(o, r->method, r->path, r->body,
					 on_pushed, o);
	if (o->msg_push_id < 0) {
		o->msg_push_id = 0;
		msgsync_req_clear(r);
		free(r);
		o->msg_req = NULL;
	}
}

static void on_pulled(void *arg, long status, json_t *reply, const char *err)
{
	struct online *o = arg;
	char *e = NULL;
	int fresh = 0, rc;

	o->msg_pull_id = 0;
	if (status < 200 || status >= 300) {
		log_info("messages", "pull: %s", err ? err :
			 api_error_message(reply, status));
		return;
	}
	rc = msgsync_apply(o->app->db, reply, &fresh, &e);
	if (rc < 0) {
		log_err("messages", "%s", e);
		free(e);
		return;
	}
	count_unread(o);
	say(o, false, NULL);
	if (rc == 1 || o->msg_pull_again)
		pull(o);
	else if (o->msg_push_again)
		push(o);
}

static void pull(struct online *o)
{
	char *path;

	if (!o->account || o->link != LINK_UP)
		return;
	if (o->msg_pull_id) {
		o->msg_pull_again = true;
		return;
	}
	o->msg_pull_again = false;
	path = msgsync_pull_path(o->app->db);
	o->msg_pull_id = online_call_raw(o, "GET", path, NULL, on_pulled, o);
	if (o->msg_pull_id < 0)
		o->msg_pull_id = 0;
	free(path);
}

static void on_data(void *arg, long status, json_t *reply, const char *err)
{
	struct online *o = arg;
	char *e = NULL;
	struct datasync_counts n = { 0 };
	int rc;

	o->data_pull_id = 0;
	if (status < 200 || status >= 300) {
		log_info("sync", "pull: %s", err ? err :
			 api_error_message(reply, status));
		return;
	}
	rc = datasync_apply(o->app->db, reply, app_region(o->app), &n, &e);
	if (rc < 0) {
		log_err("sync", "%s", e);
		free(e);
		return;
	}
	if (n.unusable) {	/* each is in the log */
		char *t = xasprintf("sync: %d record%s from the server not "
				    "stored here: %s", n.unusable,
				    n.unusable == 1 ? "" : "s", n.why);
		say(o, false, t);
		free(t);
	}
	free(n.why);
	if (n.changed) {
		o->data_changed = true;
		say(o, false, NULL);	/* the views reload */
	}
	if (rc == 1 || o->data_pull_again)
		data_pull(o);
}

static void data_pull(struct online *o)
{
	char *path;

	if (!o->account || o->link != LINK_UP)
		return;
	if (o->data_pull_id) {
		o->data_pull_again = true;
		return;
	}
	o->data_pull_again = false;
	path = datasync_pull_path(o->app->db);
	o->data_pull_id = online_call_raw(o, "GET", path, NULL, on_data, o);
	if (o->data_pull_id < 0)
		o->data_pull_id = 0;
	free(path);
}

static void on_push_timer(void *arg)
{
	struct online *o = arg;

	o->push_timer = 0;
	push(o);
}

/* SQLite's update hook: a row of a synced table changed here (the hook
 * does not see sync_map itself, a WITHOUT ROWID table).  Changes the
 * pull applies come here too; the push then finds nothing to send. */
static void on_row(void *arg, int op, const char *dbname, const char *table,
		   sqlite3_int64 rowid)
{
	struct online *o = arg;

	static const char *const synced[] = {
		"contacts", "books", "calls", "appointments", "crm_records",
		"crm_events",
	};
	bool ours = false;

	(void)op, (void)dbname, (void)rowid;
	for (size_t i = 0; i < sizeof synced / sizeof synced[0]; i++)
		ours = ours || strcmp(table, synced[i]) == 0;
	if (o->push_timer || !o->account || !ours)
		return;
	o->push_timer = loop_timer_in(o->loop, PUSH_DELAY_MS, on_push_timer,
				      o);
}

void online_msg_init(struct online *o)
{
	if (o->account)
		return;
	o->account = msgsync_account(o->s.user, o->s.server);
	if (msgsync_use_account(o->app->db, o->account) < 0)
		log_err("messages", "cannot reset the local mailbox");
	sqlite3_update_hook(db_handle(o->app->db), on_row, o);
	count_unread(o);
}

void online_msg_start(struct online *o)
{
	online_msg_init(o);
	count_unread(o);
	data_pull(o);
	push(o);
	pull(o);
	if (sync_conflict_count(o->app->db))	/* left from before */
		say(o, false, "Records changed here and on another machine "
		    "wait for your choice: :conflicts");
}

void online_msg_stop(struct online *o)
{
	if (o->app && o->app->db)
		sqlite3_update_hook(db_handle(o->app->db), NULL, NULL);
	if (o->push_timer)
		loop_timer_cancel(o->loop, o->push_timer);
	o->push_timer = o->data_pull_id = 0;
	o->data_pull_again = false;
	/* the requests themselves are cancelled with all the others */
	if (o->msg_req) {
		msgsync_req_clear(o->msg_req);
		free(o->msg_req);
	}
	o->msg_req = NULL;
	o->msg_push_id = o->msg_pull_id = 0;
	o->msg_push_again = o->msg_pull_again = false;
	free(o->account);
	free(o->msg_error);
	o->account = o->msg_error = NULL;
	o->msg_unread = 0;
}

static const char *jv(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

bool online_msg_event(struct online *o, const char *kind, json_t *data)
{
	char *err = NULL;

	if (strcmp(kind, "mailbox") == 0) {
		pull(o);
		return true;
	}
	if (strcmp(kind, "sync") == 0) {
		data_pull(o);
		return true;
	}
	if (strcmp(kind, "message") != 0)
		return false;
	if (!o->account || msgsync_apply_one(o->app->db, data, &err) < 0) {
		if (err)
			log_err("messages", "%s", err);
		free(err);
		pull(o);
		return true;
	}
	count_unread(o);
	const char *mk = jv(data, "kind"), *from = jv(data, "from_name");
	const char *subject = jv(data, "subject"), *body = jv(data, "body");
	char *text;
	if (!from)
		from = jv(data, "from") ? jv(data, "from") : "the server";
	if (mk && strcmp(mk, "reminder") == 0)
		text = xasprintf("Reminder from %s: %s", from, body ? body :
				 "");
	else if (mk && strcmp(mk, "announcement") == 0)
		text = xasprintf("Announcement from %s: %s", from, subject ?
				 subject : "");
	else if (mk && strcmp(mk, "contact_request") == 0)
		text = NULL;	/* the monitor's own event says it */
	else
		text = xasprintf("New message from %s%s%s", from, subject ?
				 ": " : "", subject ? subject : "");
	say(o, text != NULL, text);
	free(text);
	pull(o);
	return true;
}

int online_msg_send(struct online *o, const char *kind, json_t *payload)
{
	if (!o->account)
		return -1;
	if (msgsync_queue(o->app->db, o->account, kind, payload, NULL) < 0)
		return -1;
	push(o);
	return 0;
}

int online_msg_change(struct online *o, int64_t id, int read,
		      const char *folder, bool purge)
{
	int rc;

	if (!o->account)
		return -1;
	if (id < 0)	/* not sent yet: it just leaves the outbox */
		rc = outbox_drop(o->app->db, -id);
	else
		rc = msgsync_queue_change(o->app->db, o->account, id, read,
					  folder, purge);
	count_unread(o);
	push(o);
	return rc < 0 ? -1 : 0;
}

void online_msg_flush(struct online *o)
{
	data_pull(o);
	push(o);
	pull(o);
}

int64_t online_sync_conflicts(struct online *o)
{
	return sync_conflict_count(o->app->db);
}

int64_t online_msg_pending(struct online *o, int64_t *failed)
{
	if (!o->account) {
		if (failed)
			*failed = 0;
		return 0;
	}
	return outbox_count(o->app->db, o->account, failed) +
	       sync_pending(o->app->db);
}
