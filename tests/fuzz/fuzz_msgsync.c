/* fuzz_msgsync: what the client does with a GET /v1/messages reply, and
 * with a "message" event, on arbitrary bytes.
 *
 * The input is parsed as JSON and given to msgsync_apply(); then each
 * element of its "messages" list to msgsync_apply_one() (or the whole
 * input, when it has no such list: an event's entry).  Everything runs
 * against one in-memory client database, emptied before each input so
 * that a crash replays from its input alone.  Beyond the sanitizers,
 * the mailbox must stay sound after every call:
 *
 *   - a refused reply stores nothing (msgsync.h promises it), neither
 *     messages nor the pull revision;
 *   - after an accepted reply, each entry it carried is stored as its
 *     last occurrence says (purged: gone; else folder, read mark, rev);
 *   - every row's folder is inbox, sent or trash and its id > 0;
 *   - listing, counting and searching the mailbox do not fail, and the
 *     FTS index agrees with the table (FTS5 integrity-check).
 *
 *   make build/fuzz/fuzz_msgsync
 *   build/fuzz/fuzz_msgsync -max_total_time=120 tests/fuzz/corpus/msgsync
 */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "net/msgsync.h"
#include "store/db.h"
#include "store/messages.h"

static struct db *db;

static void setup(void)
{
	char *err = NULL;

	log_open("/dev/null", LOG_ERR);
	if (db_open(&db, ":memory:", db_client_migrations,
		    db_client_nmigrations, &err) < 0) {
		fprintf(stderr, "fuzz_msgsync: %s\n", err ? err : "db_open");
		abort();
	}
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_msgsync: invariant broken: %s\n", what);
		abort();
	}
}

static int64_t count_rows(void)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM messages");
	int64_t n = -1;

	check(st != NULL, "count statement");
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* The mailbox as a whole: folders, ids, the list and search paths. */
static void check_mailbox(const char *search)
{
	static const char *const folders[] = { "inbox", "sent", "trash" };
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM messages WHERE "
				   "folder NOT IN ('inbox', 'sent', 'trash') "
				   "OR id <= 0");
	struct message *v;
	size_t n;

	check(st && sqlite3_step(st) == SQLITE_ROW, "folder query");
	check(sqlite3_column_int64(st, 0) == 0, "a row with a bad folder "
	      "or id");
	sqlite3_reset(st);
	for (size_t i = 0; i < 3; i++) {
		check(messages_list(db, folders[i], false, 1000, &v, &n) == 0,
		      "messages_list");
		for (size_t k = 0; k < n; k++)
			check(v[k].id < 0 || strcmp(v[k].folder,
						    folders[i]) == 0,
			      "a listed row in another folder");
		messages_free(v, n);
		check(messages_list(db, folders[i], true, 1000, &v, &n) == 0,
		      "messages_list unread");
		for (size_t k = 0; k < n; k++)
			check(!v[k].read, "a read row listed as unread");
		messages_free(v, n);
		check(messages_unread(db, folders[i]) >= 0, "messages_unread");
	}
	check(messages_search(db, search, 50, &v, &n) == 0,
	      "messages_search");
	messages_free(v, n);
	check(db_exec(db, "INSERT INTO messages_fts(messages_fts) "
		      "VALUES ('integrity-check')") == 0,
	      "FTS index differs from the table");
}

/* After an accepted reply: each entry as its last occurrence says. */
static void check_stored(json_t *list)
{
	json_t *e;
	size_t i, k;

	json_array_foreach(list, i, e) {
		json_int_t id = json_integer_value(json_object_get(e, "id"));
		bool later = false;
		for (k = i + 1; k < json_array_size(list) && !later; k++)
			later = json_integer_value(json_object_get(
				json_array_get(list, k), "id")) == id;
		if (later)
			continue;
		struct message m;
		int rc = messages_get(db, id, &m);
		if (json_is_true(json_object_get(e, "purged"))) {
			check(rc == -ENOENT, "a purged entry is still there");
			continue;
		}
		check(rc == 0, "an accepted entry is not stored");
		check(strcmp(m.folder, json_string_value(json_object_get(e,
		      "folder"))) == 0, "stored folder differs");
		check(m.read == json_is_true(json_object_get(e, "read")),
		      "stored read mark differs");
		check(m.rev == json_integer_value(json_object_get(e, "rev")),
		      "stored rev differs");
		message_clear(&m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char search[65], *err = NULL, *rev0, *rev1;
	json_t *j, *list, *e;
	int64_t rows0;
	int fresh = -1, rc;
	size_t i;

	if (!db)
		setup();
	check(messages_reset(db) == 0, "messages_reset");
	/* the input's first bytes double as what the user types */
	snprintf(search, sizeof search, "%.*s", (int)(size < 64 ? size : 64),
		 (const char *)data);
	j = json_loadb((const char *)data, size, 0, NULL);
	if (!j)
		return 0;
	rows0 = count_rows();
	rev0 = db_setting_get(db, "messages.rev");
	rc = msgsync_apply(db, j, &fresh, &err);
	check(rc >= -1 && rc <= 1, "msgsync_apply's answer");
	check((rc < 0) == (err != NULL), "an error without a message, or a "
	      "message without an error");
	list = json_object_get(j, "messages");
	if (rc < 0) {
		rev1 = db_setting_get(db, "messages.rev");
		check(count_rows() == rows0, "a refused reply stored rows");
		check((!rev0 && !rev1) || (rev0 && rev1 &&
		      strcmp(rev0, rev1) == 0), "a refused reply moved the "
		      "revision");
		free(rev1);
	} else {
		char want[32];
		snprintf(want, sizeof want, "%lld", (long long)
			 json_integer_value(json_object_get(j, "rev")));
		rev1 = db_setting_get(db, "messages.rev");
		check(rev1 && strcmp(rev1, want) == 0, "the pull revision "
		      "is not the reply's");
		free(rev1);
		check(fresh >= 0 && (size_t)fresh <= json_array_size(list),
		      "fresh count");
		check_stored(list);
	}
	free(rev0);
	free(err);
	err = NULL;
	check_mailbox(search);

	/* the same entries one by one, as events bring them; an input
	 * without a list is taken as one event's entry */
	if (!list) {
		list = json_pack("[O]", j);
		json_decref(j);
		j = list;
	}
	json_array_foreach(list, i, e) {
		rows0 = count_rows();
		rc = msgsync_apply_one(db, e, &err);
		check((rc < 0) == (err != NULL), "apply_one: error without a "
		      "message, or the reverse");
		if (rc < 0) {
			check(count_rows() == rows0, "a refused entry changed "
			      "the mailbox");
		} else {
			json_t *one = json_array();
			json_array_append(one, e);
			check_stored(one);
			json_decref(one);
		}
		free(err);
		err = NULL;
	}
	if (json_array_size(list))
		check_mailbox(search);
	json_decref(j);
	return 0;
}
