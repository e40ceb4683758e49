/* store/db: opening a SQLite database and migrating its schema.
 *
 * Every database confab keeps (the client's confab.db, later confabd's) is
 * opened here: WAL mode, foreign keys on, a busy timeout, and the numbered,
 * forward-only migrations of its schema run in one transaction.  Statements
 * are prepared once and cached by their SQL text's address (db_stmt).
 */
#ifndef CONFAB_STORE_DB_H
#define CONFAB_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_migration {
	int version;		/* 1, 2, 3… in order */
	const char *sql;	/* one or more statements */
};

struct db;

/* The client schema (store/migrations.c). */
extern const struct db_migration db_client_migrations[];
extern const size_t db_client_nmigrations;

/* Open (creating if needed) and migrate.  On failure returns a negative
 * code and sets *err to a new message for the user. */
int db_open(struct db **out, const char *path,
	    const struct db_migration *migs, size_t nmigs, char **err);
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);
const char *db_errmsg(struct db *db);
int db_schema_version(struct db *db);

/* A cached prepared statement for `sql`, which must be a string literal
 * (the cache keys on its address).  Reset and unbound; NULL on error. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Transactions nest: only the outermost begin/commit reach SQLite, and a
 * rollback at any depth rolls the whole transaction back. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* Inside a transaction: a step that can be undone alone.  db_undo_point
 * returns a mark for db_undo_end, which keeps the step's changes (keep)
 * or drops them, and with them any nested rollback they caused. */
int db_undo_point(struct db *db, int *mark);
int db_undo_end(struct db *db, int mark, bool keep);

/* Statement helpers every store module uses: a column's text (NULL for
 * NULL), a copy of it, binding text or NULL when empty, and stepping a
 * statement that returns no row (then resetting it; 0 or -EIO). */
#define COL_TEXT(st, i) ((const char *)sqlite3_column_text((st), (i)))
char *db_col_dup(sqlite3_stmt *st, int i);
void db_bind_opt(sqlite3_stmt *st, int i, const char *s);
/* Bind v, or NULL when v is 0 (an optional reference or time). */
void db_bind_opt_int64(sqlite3_stmt *st, int i, int64_t v);
int db_step_done(sqlite3_stmt *st);

/* Typed text as an FTS5 query, appended to q: each word (letters, digits,
 * any non-ASCII) a quoted, required prefix term: "ada" "lov"*.  Nothing
 * else of the text reaches the query, so no input is FTS5 syntax. */
struct sbuf;
void db_fts_prefix_terms(struct sbuf *q, const char *text);

/* Step a bound statement for one number: column 0 of its first row, or
 * `none` when there is no row (or on an error); then reset it. */
int64_t db_step_int64(sqlite3_stmt *st, int64_t none);

/* Run a statement that returns nothing; 0 or -EIO. */
int db_exec(struct db *db, const char *sql);

/* Indexes set aside for a bulk load: inside the caller's transaction,
 * db_indexes_drop() drops the indexes (with their CREATE statements
 * kept) of the tables in `tables` (a comma-separated list of quoted
 * names: "'contacts', 'contact_fields'"), but for those named in `keep`
 * (the same form, or NULL); db_indexes_restore() builds them again, one
 * sorted pass each, which is far cheaper than keeping them up to date
 * row by row.  Unique constraints' own indexes have no SQL and stay.
 * With rebuild false (the load failed and will be rolled back), it only
 * frees.  The statements are read from the schema, so later migrations'
 * indexes are handled too. */
struct db_indexes {
	char **sql;
	size_t n;
};
int db_indexes_drop(struct db *db, const char *tables, const char *keep,
		    struct db_indexes *ix);
int db_indexes_restore(struct db *db, struct db_indexes *ix, bool rebuild);

/* Free-form key/value settings stored in the database (e.g. UI state). */
char *db_setting_get(struct db *db, const char *key);
int db_setting_set(struct db *db, const char *key, const char *value);

#endif
