/* store/crm_list: listing CRM records by filter, full-text search, and
 * the cheap row a list draws. */
#include "store/crm.h"
#include "store/db.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


/* Typed text as an FTS5 query: each word a required prefix term. */
static char *crm_fts_query(const char *text)
{
	struct sbuf q;

	sbuf_init(&q);
	db_fts_prefix_terms(&q, text);
	return sbuf_take(&q);
}

#define CRM_FILTERS_ON(r) \
	" (?1 IS NULL OR " r ".status = ?1 COLLATE NOCASE)" \
	" AND (?2 IS NULL OR " r ".owner = ?2 COLLATE NOCASE)" \
	" AND (?3 IS NULL OR " r ".id IN (SELECT record_id FROM crm_tags" \
	"  WHERE tag = ?3 COLLATE NOCASE))" \
	" AND (?4 IS NULL OR " r ".next_date <= ?4)"
#define CRM_FILTERS CRM_FILTERS_ON("r")
#define CRM_BY_NAME " ORDER BY r.name COLLATE NOCASE, r.id LIMIT ?5"
#define CRM_BY_DATE " ORDER BY r.next_date, r.name COLLATE NOCASE, r.id" \
		    " LIMIT ?5"

/* With text, the first limit+1 matches the index yields (that pass the
 * filters) are taken, then ordered: cost stays bounded however many
 * records match, as in contacts_search().
 * [due][0: no text, 1: text with filters, 2: text alone] */
#define CRM_TEXT_FILTERED \
	"SELECT r.id FROM crm_records r WHERE r.id IN (SELECT f.rowid FROM" \
	" crm_fts f JOIN crm_records r2 ON r2.id = f.rowid WHERE crm_fts" \
	" MATCH ?6 AND" CRM_FILTERS_ON("r2") " LIMIT ?5)"
#define CRM_TEXT_ALONE \
	"SELECT r.id FROM crm_records r WHERE r.id IN (SELECT rowid FROM" \
	" crm_fts WHERE crm_fts MATCH ?6 LIMIT ?5)"
static const char *const crm_sql_list[2][3] = {
	{ "SELECT r.id FROM crm_records r WHERE" CRM_FILTERS CRM_BY_NAME,
	  CRM_TEXT_FILTERED CRM_BY_NAME, CRM_TEXT_ALONE CRM_BY_NAME },
	{ "SELECT r.id FROM crm_records r WHERE" CRM_FILTERS CRM_BY_DATE,
	  CRM_TEXT_FILTERED CRM_BY_DATE, CRM_TEXT_ALONE CRM_BY_DATE },
};

static void crm_list_bind(sqlite3_stmt *st, int i, const char *s)
{
	if (str_empty(s))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int crm_list(struct db *db, const struct crm_filter *f, size_t limit,
	     int64_t **ids, size_t *n, bool *more)
{
	static const struct crm_filter none;
	char today[11] = "", *q = NULL;
	size_t len = 0, cap = 64;
	int64_t *v;
	int rc, kind = 0;

	*ids = NULL;
	*n = 0;
	if (more)
		*more = false;
	if (!f)
		f = &none;
	if (f->due)
		snprintf(today, sizeof today, "%s", f->today ? f->today : "");
	if (f->due && !*today)
		crm_today(today);
	bool filtered = !str_empty(f->status) || !str_empty(f->owner) ||
			!str_empty(f->tag) || f->due;
	if (!str_empty(f->text)) {
		q = crm_fts_query(f->text);
		kind = filtered ? 1 : 2;
	}
	if (q && !*q) {		/* only punctuation: nothing matches */
		free(q);
		*ids = xmalloc(sizeof **ids);
		return 0;
	}
	sqlite3_stmt *st = db_stmt(db, crm_sql_list[f->due][kind]);
	if (!st) {
		free(q);
		return -EIO;
	}
	crm_list_bind(st, 1, f->status);
	crm_list_bind(st, 2, f->owner);
	crm_list_bind(st, 3, f->tag);
	crm_list_bind(st, 4, f->due ? today : NULL);
	sqlite3_bind_int64(st, 5, limit >= (size_t)INT64_MAX ? -1 :
				  (int64_t)limit + 1);
	if (q)
		sqlite3_bind_text(st, 6, q, -1, SQLITE_STATIC);
	v = xmalloc(cap * sizeof *v);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == limit) {
			if (more)
				*more = true;
			break;
		}
		if (len == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[len++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(v);
		return -EIO;
	}
	*ids = v;
	*n = len;
	return 0;
}

static char *crm_list_dup(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ?
		       NULL : xstrdup(COL_TEXT(st, i));
}

int crm_row(struct db *db, int64_t id, struct crm_row *row)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT r.contact_id, "
		"COALESCE(c.fn, r.name), COALESCE(c.org, r.org), r.status, "
		"r.owner, r.next_action, r.next_date, r.value_cents, "
		"r.currency FROM crm_records r LEFT JOIN contacts c ON "
		"c.id = r.contact_id WHERE r.id = ?");

	memset(row, 0, sizeof *row);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -ENOENT;
	}
	row->id = id;
	row->contact_id = sqlite3_column_int64(st, 0);
	row->name = crm_list_dup(st, 1);
	row->org = crm_list_dup(st, 2);
	row->status = crm_list_dup(st, 3);
	row->owner = crm_list_dup(st, 4);
	row->next_action = crm_list_dup(st, 5);
	row->next_date = crm_list_dup(st, 6);
	row->has_value = sqlite3_column_type(st, 7) != SQLITE_NULL;
	row->value_cents = sqlite3_column_int64(st, 7);
	row->currency = crm_list_dup(st, 8);
	sqlite3_reset(st);
	return 0;
}

void crm_row_clear(struct crm_row *row)
{
	free(row->name);
	free(row->org);
	free(row->status);
	free(row->owner);
	free(row->next_action);
	free(row->next_date);
	free(row->currency);
	memset(row, 0, sizeof *row);
}

static int crm_strings(sqlite3_stmt *st, char ***out, size_t *n)
{
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = xstrdup(COL_TEXT(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		crm_strings_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -EIO;
	}
	return 0;
}

int crm_owners(struct db *db, char ***out, size_t *n)
{
	return crm_strings(db_stmt(db, "SELECT DISTINCT owner COLLATE NOCASE "
				   "FROM crm_records WHERE owner IS NOT NULL "
				   "ORDER BY 1"), out, n);
}

int crm_tags(struct db *db, char ***out, size_t *n)
{
	return crm_strings(db_stmt(db, "SELECT DISTINCT tag COLLATE NOCASE "
				   "FROM crm_tags ORDER BY 1"), out, n);
}

void crm_strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}
