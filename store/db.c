/* store/db: SQLite opening, migrations, statement cache, transactions. */
#include "store/db.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	int depth;		/* transaction nesting */
	int failed;		/* a nested rollback happened */
	struct stmt_slot *stmts;
	size_t nstmts, capstmts;
};

sqlite3 *db_handle(struct db *db)
{
	return db->h;
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

char *db_col_dup(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ?
		       NULL : xstrdup(COL_TEXT(st, i));
}

void db_bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (str_empty(s))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

void db_bind_opt_int64(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int db_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;

	sqlite3_reset(st);
	return rc;
}

void db_fts_prefix_terms(struct sbuf *q, const char *text)
{
	struct sbuf word;

	sbuf_init(&word);
	for (const unsigned char *p = (const unsigned char *)text;; p++) {
		bool wordch = *p >= 0x80 || (*p >= '0' && *p <= '9') ||
			      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
		if (wordch) {
			sbuf_addc(&word, (char)*p);
			continue;
		}
		if (word.len) {
			sbuf_printf(q, "%s\"%s\"*", q->len ? " " : "",
				    sbuf_str(&word));
			sbuf_reset(&word);
		}
		if (!*p)
			break;
	}
	sbuf_free(&word);
}

int64_t db_step_int64(sqlite3_stmt *st, int64_t none)
{
	int64_t v = none;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int db_indexes_drop(struct db *db, const char *tables, const char *keep,
		    struct db_indexes *ix)
{
	char *q = sqlite3_mprintf("SELECT name, sql FROM sqlite_schema WHERE "
				  "type = 'index' AND sql IS NOT NULL AND "
				  "tbl_name IN (%s) AND name NOT IN (%s)",
				  tables, keep ? keep : "''");
	sqlite3_stmt *st = NULL;
	char **names = NULL;
	int rc = 0, step;

	memset(ix, 0, sizeof *ix);
	if (!q || sqlite3_prepare_v2(db->h, q, -1, &st, NULL) != SQLITE_OK) {
		log_err("db", "cannot list the indexes of %s", tables);
		sqlite3_free(q);
		return -EIO;
	}
	sqlite3_free(q);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t k = ix->n++;
		ix->sql = xrealloc(ix->sql, ix->n * sizeof *ix->sql);
		names = xrealloc(names, ix->n * sizeof *names);
		names[k] = xstrdup((const char *)sqlite3_column_text(st, 0));
		ix->sql[k] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		rc = -EIO;
	for (size_t i = 0; i < ix->n; i++) {
		if (rc == 0) {
			char *drop = sqlite3_mprintf("DROP INDEX \"%w\"",
						     names[i]);
			rc = drop ? db_exec(db, drop) : -ENOMEM;
			sqlite3_free(drop);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int db_indexes_restore(struct db *db, struct db_indexes *ix, bool rebuild)
{
	int rc = 0;

	for (size_t i = 0; i < ix->n; i++) {
		if (rebuild && rc == 0)
			rc = db_exec(db, ix->sql[i]);
		free(ix->sql[i]);
	}
	free(ix->sql);
	memset(ix, 0, sizeof *ix);
	return rc;
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_err("db", "%s (in: %.60s)", msg ? msg : "?", sql);
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
	for (size_t i = 0; i < db->nstmts; i++) {
		if (db->stmts[i].sql == sql) {
			sqlite3_stmt *st = db->stmts[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		log_err("db", "prepare: %s (in: %.80s)", sqlite3_errmsg(db->h),
			sql);
		return NULL;
	}
	if (db->nstmts == db->capstmts) {
		db->capstmts = db->capstmts ? db->capstmts * 2 : 32;
		db->stmts = xrealloc(db->stmts,
				     db->capstmts * sizeof *db->stmts);
	}
	db->stmts[db->nstmts].sql = sql;
	db->stmts[db->nstmts].st = st;
	db->nstmts++;
	return st;
}

int db_begin(struct db *db)
{
	if (db->depth++ > 0)
		return 0;
	db->failed = 0;
	if (db_exec(db, "BEGIN IMMEDIATE") < 0) {
		db->depth = 0;
		return -EIO;
	}
	return 0;
}

int db_commit(struct db *db)
{
	if (db->depth == 0)
		return -EINVAL;
	if (--db->depth > 0)
		return db->failed ? -EIO : 0;
	if (db->failed) {
		db_exec(db, "ROLLBACK");
		return -EIO;
	}
	if (db_exec(db, "COMMIT") < 0) {
		db_exec(db, "ROLLBACK");
		return -EIO;
	}
	return 0;
}

void db_rollback(struct db *db)
{
	if (db->depth == 0)
		return;
	if (--db->depth > 0) {
		db->failed = 1;
		return;
	}
	db_exec(db, "ROLLBACK");
}

int db_undo_point(struct db *db, int *mark)
{
	*mark = db->failed;
	return db->depth > 0 && db_exec(db, "SAVEPOINT undo_point") == 0 ?
	       0 : -EIO;
}

int db_undo_end(struct db *db, int mark, bool keep)
{
	if (!keep) {
		if (db_exec(db, "ROLLBACK TO undo_point") < 0)
			return -EIO;
		db->failed = mark;
	}
	return db_exec(db, "RELEASE undo_point");
}

int db_schema_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT max(version) FROM schema_version",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(struct db *db, const struct db_migration *migs,
		   size_t nmigs, char **err)
{
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version("
			"version INTEGER NOT NULL, applied INTEGER NOT NULL)") < 0)
		goto fail;
	int have = db_schema_version(db);
	if (nmigs && have > migs[nmigs - 1].version) {
		*err = xasprintf("database schema version %d is newer than "
				 "this confab understands (%d); upgrade confab",
				 have, migs[nmigs - 1].version);
		return -EPROTO;
	}
	if (nmigs == 0 || have == migs[nmigs - 1].version)
		return 0;
	if (db_begin(db) < 0)
		goto fail;
	for (size_t i = 0; i < nmigs; i++) {
		if (migs[i].version <= have)
			continue;
		char *msg = NULL;
		if (sqlite3_exec(db->h, migs[i].sql, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			*err = xasprintf("schema migration %d failed: %s",
					 migs[i].version, msg ? msg : "?");
			sqlite3_free(msg);
			db_rollback(db);
			return -EIO;
		}
		sqlite3_stmt *st;
		sqlite3_prepare_v2(db->h, "INSERT INTO schema_version "
				   "VALUES (?, strftime('%s','now'))", -1, &st,
				   NULL);
		sqlite3_bind_int(st, 1, migs[i].version);
		sqlite3_step(st);
		sqlite3_finalize(st);
		log_info("db", "migrated schema to version %d",
			 migs[i].version);
	}
	if (db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	if (!*err)
		*err = xasprintf("cannot set up the database: %s",
				 sqlite3_errmsg(db->h));
	return -EIO;
}

int db_open(struct db **out, const char *path,
	    const struct db_migration *migs, size_t nmigs, char **err)
{
	struct db *db = xcalloc(1, sizeof *db);
	char *e = NULL;
	int rc;

	*out = NULL;
	if (sqlite3_open_v2(path, &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		e = xasprintf("cannot open database %s: %s", path,
			      db->h ? sqlite3_errmsg(db->h) : "out of memory");
		rc = -EIO;
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if (db_exec(db, "PRAGMA journal_mode=WAL") < 0 ||
	    db_exec(db, "PRAGMA foreign_keys=ON") < 0 ||
	    db_exec(db, "PRAGMA synchronous=NORMAL") < 0) {
		e = xasprintf("cannot use database %s: %s", path,
			      sqlite3_errmsg(db->h));
		rc = -EIO;
		goto fail;
	}
	rc = migrate(db, migs, nmigs, &e);
	if (rc < 0)
		goto fail;
	*out = db;
	return 0;
fail:
	if (err)
		*err = e;
	else
		free(e);
	db_close(db);
	return rc;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nstmts; i++)
		sqlite3_finalize(db->stmts[i].st);
	free(db->stmts);
	if (db->h)
		sqlite3_close(db->h);
	free(db);
}

char *db_setting_get(struct db *db, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE key=?");
	char *v = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return v;
}

int db_setting_set(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO settings(key, value) "
				   "VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
				   "SET value=excluded.value");
	if (!st)
		return -EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
	sqlite3_reset(st);
	return rc;
}
