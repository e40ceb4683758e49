/* store/import: vCard, CSV and vdir import in one transaction. */
#include "store/import.h"
#include "store/contacts.h"
#include "store/db.h"
#include "store/import_feed.h"
#include "store/sync.h"
#include "store/formats/csv.h"
#include "store/formats/vcard.h"
#include "common/paths.h"
#include "common/str.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_MAX_FILE (512u << 20)	/* refuse files over 512 MiB */
#ifndef IMPORT_CACHE_KB
#define IMPORT_CACHE_KB "8192"
#endif

#define IMPORT_CARD_BYTES 400	/* a typical card's size, for estimates */

/* A duplicate to merge once every card is in (see store_one). */
struct import_merge {
	int64_t id;
	struct contact *c;
	unsigned line;
	char *file;
};

struct import_run {
	struct db *db;
	const struct import_opts *o;
	struct import_report *rep;
	const char *file;
	unsigned line_base;	/* lines of the file before this chunk */
	size_t done, total;	/* progress, in cards/rows */
	bool quiet;		/* progress is reported by the caller */
	struct import_merge *merges;
	size_t nmerges;
	struct contacts_bulk bulk;	/* indexes set aside (see run_begin) */
	char **sync_sql;	/* the sync triggers, set aside with them */
	size_t nsync;
	int64_t first_new;	/* the first contact id this import made */
	bool aside;
	bool normalised;	/* the reader normalised the contacts */
	bool bulk_on;		/* the bulk path: bulk and aside are set */
	int rc;
	char *err;
};

static void add_skip(struct import_report *rep, const char *file,
		     unsigned line, const char *reason)
{
	rep->skips = xrealloc(rep->skips, (rep->nskips + 1) *
				   sizeof *rep->skips);
	struct import_skip *s = &rep->skips[rep->nskips++];
	s->file = xstrdup(file);
	s->line = line;
	s->reason = xstrdup(reason);
	rep->skipped++;
}

static void progress(struct import_run *r)
{
	r->done++;
	if (!r->quiet && r->o->progress &&
	    (r->done % 256 == 0 || r->done == r->total))
		r->o->progress(r->o->arg, r->done,
			       r->total > r->done ? r->total : r->done);
}

static void keep_error(struct import_run *r, char *err)
{
	free(r->err);
	r->err = err ? err : xasprintf("cannot save: %s", db_errmsg(r->db));
}

/* Store c; count it in *counter, or report it skipped when it is not
 * valid.  Other failures end the import. */
static int save(struct import_run *r, struct contact *c, const char *file,
		unsigned line, size_t *counter, unsigned flags)
{
	char *err = NULL;
	int rc = contacts_save_flags(r->db, c, r->o->region, flags, &err);

	if (rc == 0) {
		(*counter)++;
	} else if (rc == -EINVAL) {	/* this record only: report, go on */
		add_skip(r->rep, file, line, err);
		rc = 0;
	} else {
		keep_error(r, err);
		err = NULL;
	}
	free(err);
	return rc;
}

/* New contacts are stored at once; merges wait until every card is in.
 * Updating a stored row in the middle of the import would make SQLite's
 * search index flush its pending terms each time (a statement savepoint),
 * which costs more than the rest of the import.  Returns 1 when it kept c. */
static int store_one(struct import_run *r, struct contact *c, unsigned line)
{
	int64_t dup = 0;
	int rc;

	c->book_id = r->o->book_id;
	if (!r->normalised)
		contacts_normalise(c, r->o->region);
	rc = r->bulk_on ?
		contacts_bulk_find_dup(r->db, &r->bulk, c, r->o->region, &dup) :
		contacts_find_dup(r->db, r->o->book_id, c, r->o->region, &dup);
	if (rc < 0)
		return rc;
	if (dup && r->o->dup == IMPORT_DUP_SKIP) {
		char *why = xasprintf("duplicate of an existing contact (%s)",
				      c->fn ? c->fn : "same UID, email or phone");
		add_skip(r->rep, r->file, line, why);
		free(why);
		return 0;
	}
	if (dup) {
		r->merges = xrealloc(r->merges, (r->nmerges + 1) *
						sizeof *r->merges);
		r->merges[r->nmerges++] = (struct import_merge){
			dup, c, line, xstrdup(r->file) };
		return 1;
	}
	size_t before = r->rep->imported;
	rc = save(r, c, r->file, line, &r->rep->imported,
		  r->normalised ? CONTACTS_SAVE_NORMALISED : 0);
	if (r->rep->imported > before)
		contacts_bulk_add(&r->bulk, c, r->o->region);
	return rc;
}

static int apply_merges(struct import_run *r)
{
	int rc = 0;

	for (size_t i = 0; i < r->nmerges && rc == 0; i++) {
		struct import_merge *m = &r->merges[i];
		struct contact *old;
		rc = contacts_get(r->db, m->id, &old);
		if (rc < 0) {
			keep_error(r, NULL);
			break;
		}
		contact_merge(old, m->c);
		size_t before = r->rep->merged;
		rc = save(r, old, m->file, m->line, &r->rep->merged,
			  CONTACTS_SAVE_NO_INDEX);
		contact_free(old);
		if (r->rep->merged == before)
			m->id = 0;	/* skipped: nothing to index */
	}
	/* the index is brought up to date for all of them at once */
	int64_t *ids = xcalloc(r->nmerges + 1, sizeof *ids);
	size_t n = 0;

	for (size_t i = 0; i < r->nmerges; i++)
		if (r->merges[i].id)
			ids[n++] = r->merges[i].id;
	if (rc == 0 && (rc = contacts_reindex(r->db, ids, n)) < 0)
		keep_error(r, NULL);
	free(ids);
	return rc;
}

static void free_merges(struct import_run *r)
{
	for (size_t i = 0; i < r->nmerges; i++) {
		contact_free(r->merges[i].c);
		free(r->merges[i].file);
	}
	free(r->merges);
	r->merges = NULL;
	r->nmerges = 0;
}

/* One record the reader found at `line`: c, or NULL with why. */
static int take(struct import_run *r, struct contact *c, unsigned line,
		const char *why)
{
	int rc;

	progress(r);
	if (!c) {
		add_skip(r->rep, r->file, line, why ? why : "unreadable");
		return 0;
	}
	rc = store_one(r, c, line);
	if (rc == 1)
		rc = 0;
	else
		contact_free(c);
	return rc;
}

static int on_record(void *arg, struct contact *c, unsigned line,
		     const char *why)
{
	struct import_run *r = arg;

	r->rc = take(r, c, line + r->line_base, why);
	return r->rc < 0;
}

static size_t count_occurrences(const char *data, size_t len,
				const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (const char *p = data; (p = memmem(p, len - (size_t)(p - data),
					      needle, k)); p += k)
		n++;
	return n;
}

static bool looks_like_vcard(const char *data, size_t len)
{
	size_t lim = len < 4096 ? len : 4096;

	for (size_t i = 0; i + 11 <= lim; i++)
		if (strncasecmp(data + i, "BEGIN:VCARD", 11) == 0)
			return true;
	return false;
}

static int parse_into(struct import_run *r, const char *data, size_t len)
{
	char *perr = NULL;
	int n;

	if (looks_like_vcard(data, len)) {
		r->rep->format = "vCard";
		n = vcard_parse(data, len, on_record, r, &perr);
	} else {
		enum csv_layout lay = CSV_UNKNOWN;
		n = csv_parse(data, len, on_record, r, &lay, &perr);
		r->rep->format = lay == CSV_GOOGLE ? "Google CSV" :
				 lay == CSV_GOOGLE_OLD ? "Google CSV (old layout)" :
				 lay == CSV_OUTLOOK ? "Outlook CSV" :
				 lay == CSV_CONFAB ? "confab CSV" : "CSV";
	}
	if (r->rc < 0) {
		free(perr);
		return r->rc;
	}
	if (n < 0) {
		free(r->err);
		r->err = perr ? perr : xstrdup("not a vCard or CSV file");
		return -EINVAL;
	}
	free(perr);
	return 0;
}

/* A large import touches many index pages: a bigger page cache for its
 * duration keeps SQLite from spilling them to the WAL and reading them
 * back.  (With the indexes set aside and duplicates found in memory, 8
 * MiB did as well as 16 or 128 MiB at 100k cards.)  Set back to the
 * default when done, which frees the memory. */
static void big_cache(struct db *db, bool on)
{
	db_exec(db, on ? "PRAGMA cache_size = -" IMPORT_CACHE_KB :
			 "PRAGMA cache_size = -2000");
}

/* Below this many incoming cards, or when the table already holds more
 * than twice as many, indexes are kept up to date row by row; above it,
 * building them again at the end is cheaper. */
#define IMPORT_BULK_MIN 2000

/* With the indexes, the sync triggers go aside for a large import (a
 * row each costs about 30 µs of 100 µs): the new contacts are marked
 * for sync in one statement at the end instead (store/sync.h). */
static int sync_aside(struct import_run *r)
{
	sqlite3_stmt *st = db_stmt(r->db, "SELECT coalesce(max(id), 0) + 1 "
				   "FROM contacts");

	if (!st)
		return -EIO;
	r->first_new = db_step_int64(st, 1);
	r->aside = true;
	return sync_triggers_off(r->db, &r->sync_sql, &r->nsync);
}

static int sync_back(struct import_run *r)
{
	sqlite3_stmt *st = db_stmt(r->db, "INSERT INTO sync_map(kind, uid, "
				   "local_id) SELECT 'contact', uid, id FROM "
				   "contacts WHERE id >= ? ORDER BY uid ON "
				   "CONFLICT(kind, uid) DO UPDATE SET local_id ="
				   " excluded.local_id, dirty = 1");
	sqlite3_stmt *cnt = db_stmt(r->db, "SELECT count(*) FROM sync_map");
	struct db_indexes ix = { 0 };
	int rc = sync_triggers_on(r->db, r->sync_sql, r->nsync);

	r->sync_sql = NULL;
	r->nsync = 0;
	r->aside = false;
	if (rc < 0 || !st || !cnt)
		return -EIO;
	/* rows in uid order, so the map's secondary indexes (by local id)
	 * would take them at random: when they are most of the map, those
	 * are built again afterwards, in one sorted pass each */
	if ((int64_t)r->rep->imported * 2 >= db_step_int64(cnt, 0) &&
	    db_indexes_drop(r->db, "'sync_map'", NULL, &ix) < 0) {
		db_indexes_restore(r->db, &ix, false);
		return -EIO;
	}
	sqlite3_bind_int64(st, 1, r->first_new);
	rc = db_step_done(st);
	if (db_indexes_restore(r->db, &ix, rc == 0) < 0)
		rc = -EIO;
	return rc;
}

/* `expected` is about how many cards are coming. */
static int run_begin(struct import_run *r, size_t expected, char **err)
{
	if (db_begin(r->db) < 0) {
		*err = xasprintf("cannot start import: %s", db_errmsg(r->db));
		return -EIO;
	}
	big_cache(r->db, true);
	if (expected < IMPORT_BULK_MIN ||
	    (int64_t)expected * 2 < contacts_count(r->db, 0))
		return 0;
	r->bulk_on = true;
	if (contacts_bulk_begin(r->db, &r->bulk, r->o->book_id,
				expected) < 0 || sync_aside(r) < 0) {
		*err = xasprintf("cannot start import: %s", db_errmsg(r->db));
		contacts_bulk_end(r->db, &r->bulk, false);
		r->bulk_on = false;
		db_rollback(r->db);	/* the triggers come back with it */
		big_cache(r->db, false);
		return -EIO;
	}
	return 0;
}

/* Merge the duplicates, then commit everything, or nothing. */
static int run_end(struct import_run *r, int rc, const char *name,
		   char **err)
{
	/* SQLite sorts to build indexes (the sync map's, the contacts'),
	 * in memory up to the cache size: the default keeps that small */
	big_cache(r->db, false);
	if (r->aside && rc == 0 && sync_back(r) < 0) {
		rc = -EIO;
		keep_error(r, NULL);
	}
	for (size_t i = 0; i < r->nsync; i++)	/* rolled back: back too */
		free(r->sync_sql[i]);
	free(r->sync_sql);
	r->sync_sql = NULL;
	r->nsync = 0;
	r->aside = false;
	/* with the sync triggers back, so that merged contacts are sent */
	if (rc == 0)
		rc = apply_merges(r);
	free_merges(r);
	if (r->bulk_on && contacts_bulk_end(r->db, &r->bulk, rc == 0) < 0 &&
	    rc == 0) {
		rc = -EIO;
		keep_error(r, NULL);
	}
	r->bulk_on = false;
	if (rc == 0 && db_commit(r->db) < 0) {
		rc = -EIO;
		keep_error(r, xasprintf("cannot save imported contacts: %s",
					db_errmsg(r->db)));
	} else if (rc < 0) {
		db_rollback(r->db);
	}
	if (rc < 0) {
		*err = xasprintf("%s: %s%s", name,
				 r->err ? r->err : "import failed",
				 rc == -EINVAL ? "" : "; nothing was imported");
		r->rep->imported = r->rep->merged = 0;
	}
	free(r->err);
	r->err = NULL;
	return rc;
}

int import_buffer(struct db *db, const char *name, const char *data,
		  size_t len, const struct import_opts *opts,
		  struct import_report *rep, char **err)
{
	struct import_run r = { .db = db, .o = opts, .rep = rep, .file = name };
	int rc;

	memset(rep, 0, sizeof *rep);
	r.total = looks_like_vcard(data, len) ?
			  count_occurrences(data, len, "BEGIN:VCARD") :
			  count_occurrences(data, len, "\n");
	rc = run_begin(&r, r.total, err);
	if (rc < 0)
		return rc;
	rc = parse_into(&r, data, len);
	return run_end(&r, rc, name, err);
}

/* A vCard file: read and parsed on a second thread (store/import_feed.h),
 * stored on this one. */
static int import_vcard_fd(struct import_run *r, int fd, size_t size)
{
	struct feed *f;
	struct feed_item it;
	char *ferr = NULL;
	bool any;
	int rc = feed_start(&f, fd, r->o->region);

	r->rep->format = "vCard";
	r->quiet = true;
	r->normalised = true;
	if (rc < 0) {
		keep_error(r, xasprintf("cannot start reading: %s",
					strerror(-rc)));
		return rc;
	}
	while (rc == 0 && feed_next(f, &it)) {
		switch (it.kind) {
		case FEED_CARD:
		case FEED_SKIP:
			rc = take(r, it.c, it.line, it.why);
			free(it.why);
			break;
		case FEED_PROGRESS:
			if (r->o->progress)
				r->o->progress(r->o->arg, it.done,
					       size > it.done ? size : it.done);
			break;
		}
	}
	int frc = feed_finish(f, &any, &ferr);
	if (rc == 0 && frc == -EINVAL) {
		keep_error(r, xstrdup("no vCard found (expected BEGIN:VCARD)"));
		rc = frc;
	} else if (rc == 0 && frc < 0) {
		keep_error(r, ferr);
		ferr = NULL;
		rc = frc;
	}
	free(ferr);
	return rc;
}

/* Read a whole file; NUL-terminated for the parsers' convenience. */
static int slurp_fd(int fd, const char *path, size_t size, char **data,
		    size_t *len, char **err)
{
	struct sbuf b;

	if (size > IMPORT_MAX_FILE) {
		*err = xasprintf("%s: file too large (over 512 MiB)", path);
		return -EFBIG;
	}
	sbuf_init(&b);
	ssize_t k = import_read_more(fd, &b, IMPORT_MAX_FILE);
	if (k < 0) {
		*err = xasprintf("%s: %s", path, strerror((int)-k));
		sbuf_free(&b);
		return (int)k;
	}
	*len = b.len;
	*data = sbuf_take(&b);
	return 0;
}

static int open_file(const char *path, int *fd, struct stat *sb, char **err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, sb) < 0) {
		int e = errno;
		*err = xasprintf("%s: %s", path, strerror(e));
		if (*fd >= 0)
			close(*fd);
		return -e;
	}
	return 0;
}

static int vcf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       strcasecmp(d->d_name + n - 4, ".vcf") == 0;
}

/* A vdir: one or more cards per .vcf file; progress counts files. */
static int import_dir(struct db *db, const char *dir,
		      const struct import_opts *opts,
		      struct import_report *rep, char **err)
{
	struct dirent **names;
	int n = scandir(dir, &names, vcf_filter, alphasort);
	struct import_run r = { .db = db, .o = opts, .rep = rep, .quiet = true };
	int rc;

	memset(rep, 0, sizeof *rep);
	if (n < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return -errno;
	}
	rc = run_begin(&r, (size_t)n, err);
	bool began = rc == 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char *path = paths_join(dir, names[i]->d_name);
		char *data = NULL, *e = NULL, *perr = NULL;
		size_t len = 0;
		struct stat sb;
		int fd;
		r.file = names[i]->d_name;
		r.line_base = 0;
		if (open_file(path, &fd, &sb, &e) == 0) {
			slurp_fd(fd, path, (size_t)sb.st_size, &data, &len, &e);
			close(fd);
		}
		if (e) {
			add_skip(rep, r.file, 0, e);
		} else if (vcard_parse(data, len, on_record, &r, &perr) < 0) {
			add_skip(rep, r.file, 0, perr ? perr : "not a vCard");
		}
		if (r.rc < 0)
			rc = r.rc;
		if (opts->progress)
			opts->progress(opts->arg, (size_t)i + 1, (size_t)n);
		free(perr);
		free(e);
		free(data);
		free(path);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!began)
		return rc;
	rc = run_end(&r, rc, dir, err);
	rep->format = "vdir";
	return rc;
}

int import_path(struct db *db, const char *path,
		const struct import_opts *opts, struct import_report *rep,
		char **err)
{
	struct stat sb;
	int fd, rc;

	memset(rep, 0, sizeof *rep);
	if (stat(path, &sb) < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(sb.st_mode))
		return import_dir(db, path, opts, rep, err);
	rc = open_file(path, &fd, &sb, err);
	if (rc < 0)
		return rc;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char head[4096];
	ssize_t k = pread(fd, head, sizeof head, 0);
	if (k > 0 && looks_like_vcard(head, (size_t)k)) {
		struct import_run r = { .db = db, .o = opts, .rep = rep,
					.file = base };
		rc = run_begin(&r, (size_t)sb.st_size / IMPORT_CARD_BYTES, err);
		if (rc == 0)
			rc = run_end(&r, import_vcard_fd(&r, fd, (size_t)sb.st_size),
				     base, err);
		close(fd);
		return rc;
	}
	char *data = NULL;
	size_t len = 0;
	rc = slurp_fd(fd, path, (size_t)sb.st_size, &data, &len, err);
	close(fd);
	if (rc < 0)
		return rc;
	rc = import_buffer(db, base, data, len, opts, rep, err);
	free(data);
	return rc;
}

void import_report_clear(struct import_report *rep)
{
	for (size_t i = 0; i < rep->nskips; i++) {
		free(rep->skips[i].file);
		free(rep->skips[i].reason);
	}
	free(rep->skips);
	memset(rep, 0, sizeof *rep);
}
