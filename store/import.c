/* store/import: vCard, CSV and vdir import in one transaction. */
#include "store/import.h"
#include "store/contacts.h"
#include "store/db.h"
#include "store/formats/csv.h"
#include "store/formats/vcard.h"
#include "common/paths.h"
#include "common/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_MAX_FILE (512u << 20)	/* refuse files over 512 MiB */
#ifndef IMPORT_CACHE_KB
#define IMPORT_CACHE_KB "16384"
#endif

struct import_run {
	struct db *db;
	const struct import_opts *o;
	struct import_report *rep;
	const char *file;
	size_t done, total;	/* progress, in cards/rows */
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
	if (r->o->progress && (r->done % 256 == 0 || r->done == r->total))
		r->o->progress(r->o->arg, r->done,
			       r->total > r->done ? r->total : r->done);
}

static int store_one(struct import_run *r, struct contact *c, unsigned line)
{
	int64_t dup = 0;
	char *err = NULL;
	int rc;

	c->book_id = r->o->book_id;
	rc = contacts_find_dup(r->db, r->o->book_id, c, r->o->region, &dup);
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
		struct contact *old;
		rc = contacts_get(r->db, dup, &old);
		if (rc < 0)
			return rc;
		contact_merge(old, c);
		rc = contacts_save(r->db, old, r->o->region, &err);
		contact_free(old);
		if (rc == 0)
			r->rep->merged++;
	} else {
		rc = contacts_save(r->db, c, r->o->region, &err);
		if (rc == 0)
			r->rep->imported++;
	}
	if (rc == -EINVAL) {	/* this record only: report and go on */
		add_skip(r->rep, r->file, line, err);
		rc = 0;
	} else if (rc < 0) {
		free(r->err);
		r->err = err;
		err = NULL;
	}
	free(err);
	return rc;
}

static int on_record(void *arg, struct contact *c, unsigned line,
		     const char *why)
{
	struct import_run *r = arg;

	progress(r);
	if (!c) {
		add_skip(r->rep, r->file, line, why ? why : "unreadable");
		return 0;
	}
	r->rc = store_one(r, c, line);
	contact_free(c);
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
 * back.  Set back to the default when done, which frees the memory. */
static void big_cache(struct db *db, bool on)
{
	db_exec(db, on ? "PRAGMA cache_size = -" IMPORT_CACHE_KB :
			 "PRAGMA cache_size = -2000");
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
	if (db_begin(db) < 0) {
		*err = xasprintf("cannot start import: %s", db_errmsg(db));
		return -EIO;
	}
	big_cache(db, true);
	rc = parse_into(&r, data, len);
	big_cache(db, false);
	if (rc == 0 && db_commit(db) < 0) {
		rc = -EIO;
		r.err = xasprintf("cannot save imported contacts: %s",
				  db_errmsg(db));
	} else if (rc < 0) {
		db_rollback(db);
	}
	if (rc < 0) {
		*err = xasprintf("%s: %s%s", name,
				 r.err ? r.err : "import failed",
				 rc == -EINVAL ? "" : "; nothing was imported");
		rep->imported = rep->merged = 0;
	}
	free(r.err);
	return rc;
}

/* Read a whole file; NUL-terminated for the parsers' convenience. */
static int slurp(const char *path, char **data, size_t *len, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;

	if (fd < 0 || fstat(fd, &sb) < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	if ((size_t)sb.st_size > IMPORT_MAX_FILE) {
		close(fd);
		*err = xasprintf("%s: file too large (over 512 MiB)", path);
		return -EFBIG;
	}
	char *buf = xmalloc((size_t)sb.st_size + 1);
	size_t n = 0;
	while (n < (size_t)sb.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)sb.st_size - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static int vcf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       strcasecmp(d->d_name + n - 4, ".vcf") == 0;
}

static int import_dir(struct db *db, const char *dir,
		      const struct import_opts *opts,
		      struct import_report *rep, char **err)
{
	struct dirent **names;
	int n = scandir(dir, &names, vcf_filter, alphasort);
	struct import_run r = { .db = db, .o = opts, .rep = rep };
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	rep->format = "vdir";
	if (n < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return -errno;
	}
	r.total = (size_t)n;
	if (db_begin(db) < 0) {
		rc = -EIO;
		r.err = xasprintf("cannot start import: %s", db_errmsg(db));
	}
	for (int i = 0; i < n && rc == 0; i++) {
		char *path = paths_join(dir, names[i]->d_name);
		char *data = NULL, *e = NULL;
		size_t len;
		r.file = names[i]->d_name;
		if (slurp(path, &data, &len, &e) < 0) {
			add_skip(rep, r.file, 0, e);
		} else {
			/* progress counts files here, not cards */
			const struct import_opts *o = r.o;
			struct import_opts quiet = *o;
			quiet.progress = NULL;
			r.o = &quiet;
			char *perr = NULL;
			int k = vcard_parse(data, len, on_record, &r, &perr);
			r.o = o;
			if (r.rc < 0)
				rc = r.rc;
			else if (k < 0)
				add_skip(rep, r.file, 0,
					 perr ? perr : "not a vCard");
			free(perr);
			r.done = (size_t)i + 1;
			if (o->progress)
				o->progress(o->arg, r.done, r.total);
		}
		free(e);
		free(data);
		free(path);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == 0 && db_commit(db) < 0) {
		rc = -EIO;
		r.err = xasprintf("cannot save imported contacts: %s",
				  db_errmsg(db));
	} else if (rc < 0) {
		db_rollback(db);
	}
	if (rc < 0) {
		*err = xasprintf("%s: %s; nothing was imported", dir,
				 r.err ? r.err : "import failed");
		rep->imported = rep->merged = 0;
	}
	rep->format = "vdir";
	free(r.err);
	return rc;
}

int import_path(struct db *db, const char *path,
		const struct import_opts *opts, struct import_report *rep,
		char **err)
{
	struct stat sb;

	memset(rep, 0, sizeof *rep);
	if (stat(path, &sb) < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(sb.st_mode))
		return import_dir(db, path, opts, rep, err);
	char *data;
	size_t len;
	int rc = slurp(path, &data, &len, err);
	if (rc < 0)
		return rc;
	const char *base = strrchr(path, '/');
	rc = import_buffer(db, base ? base + 1 : path, data, len, opts, rep,
			   err);
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
