/* store/srv_company: a company's profile — name, address, and the
 * regions and markets it works in (see store/server.h).  The lists are
 * kept one item a line in the companies table's regions and markets
 * columns; the caller makes sure no item holds a line break. */
#include "store/server.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void list_parse(const char *text, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (const char *p = text; p && *p;) {
		size_t len = strcspn(p, "\n");
		if (len) {
			*out = xrealloc(*out, (*n + 1) * sizeof **out);
			(*out)[(*n)++] = xstrndup(p, len);
		}
		p += len + (p[len] == '\n');
	}
}

static char *list_join(char *const *v, size_t n)
{
	struct sbuf b;

	if (!n)
		return NULL;
	sbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		sbuf_printf(&b, "%s%s", i ? "\n" : "", v[i]);
	return sbuf_take(&b);
}

static void list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void srv_company_clear(struct srv_company *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->address);
	list_free(c->regions, c->nregions);
	list_free(c->markets, c->nmarkets);
	memset(c, 0, sizeof *c);
}

int srv_company_get(struct db *db, int64_t id, struct srv_company *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT name, address, regions, "
				   "markets, created, updated FROM companies "
				   "WHERE id = ?");
	int rc;

	memset(out, 0, sizeof *out);
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = id;
		out->name = db_col_dup(st, 0);
		out->address = db_col_dup(st, 1);
		list_parse(COL_TEXT(st, 2), &out->regions, &out->nregions);
		list_parse(COL_TEXT(st, 3), &out->markets, &out->nmarkets);
		out->created = sqlite3_column_int64(st, 4);
		out->updated = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int srv_company_update(struct db *db, const struct srv_company *c,
		       char **err)
{
	int64_t other = srv_company_find(db, c->name);

	if (other && other != c->id) {
		if (err)
			*err = xasprintf("another company is named '%s'",
					 c->name);
		return -EEXIST;
	}
	sqlite3_stmt *st = db_stmt(db, "UPDATE companies SET name = ?, "
				   "address = ?, regions = ?, markets = ?, "
				   "updated = ? WHERE id = ?");
	if (!st)
		return -EIO;
	char *regions = list_join(c->regions, c->nregions);
	char *markets = list_join(c->markets, c->nmarkets);
	sqlite3_bind_text(st, 1, c->name, -1, SQLITE_STATIC);
	db_bind_opt(st, 2, c->address);
	db_bind_opt(st, 3, regions);
	db_bind_opt(st, 4, markets);
	sqlite3_bind_int64(st, 5, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 6, c->id);
	int rc = db_step_done(st);
	free(regions);
	free(markets);
	if (rc < 0)
		return -EIO;
	return sqlite3_changes(db_handle(db)) ? 0 : -ENOENT;
}
