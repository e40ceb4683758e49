/* store/diary_io: iCalendar import (file or vdir, one transaction) and
 * export (file, vdir, whole diary or a period). */
#include "store/diary_io.h"
#include "store/db.h"
#include "store/diary.h"
#include "store/formats/ical.h"
#include "common/paths.h"
#include "common/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIARY_IO_MAX_FILE (256u << 20)	/* refuse .ics files over 256 MiB */

/* ---- import ---------------------------------------------------------------- */

struct diary_run {
	struct db *db;
	enum diary_dup dup;
	struct diary_io_report *rep;
	const char *file;
	int rc;		/* < 0: a store error ended the import */
	char *err;
};

static void add_skip(struct diary_io_report *rep, const char *file,
		     unsigned line, const char *reason)
{
	rep->skips = xrealloc(rep->skips, (rep->nskips + 1) *
				   sizeof *rep->skips);
	struct diary_io_skip *s = &rep->skips[rep->nskips++];
	s->file = xstrdup(file);
	s->line = line;
	s->reason = xstrdup(reason);
	rep->skipped++;
}

static int store_one(struct diary_run *r, struct appointment *a,
		     unsigned line)
{
	int64_t id = 0;
	char *err = NULL;

	if (a->recurrence_id) {
		int64_t sid = 0;
		if (diary_find_uid(r->db, a->uid, NULL, &sid) < 0)
			return -EIO;
		a->series_id = sid;	/* 0: its series is not here */
	}
	if (diary_find_uid(r->db, a->uid, a->recurrence_id, &id) < 0)
		return -EIO;
	if (id && r->dup == DIARY_DUP_SKIP) {
		char *why = xasprintf("already in the diary (UID %s%s%s), "
				      "skipped", a->uid, a->recurrence_id ?
				      ", recurrence " : "", a->recurrence_id ?
				      a->recurrence_id : "");
		add_skip(r->rep, r->file, line, why);
		free(why);
		return 0;
	}
	if (id) {
		struct appointment *old;
		if (diary_get(r->db, id, &old) == 0) {
			a->created = old->created;
			appointment_free(old);
		}
		a->id = id;
	}
	int rc = diary_save(r->db, a, &err);
	if (rc == 0) {
		(*(id ? &r->rep->updated : &r->rep->imported))++;
	} else if (rc == -EINVAL) {	/* this event only: report, go on */
		char *why = xasprintf("%s: %s", a->title ? a->title : "event",
				      err ? err : "not valid");
		add_skip(r->rep, r->file, line, why);
		free(why);
		rc = 0;
	} else {
		free(r->err);
		r->err = err ? err : xasprintf("cannot save: %s",
					       db_errmsg(r->db));
		err = NULL;
	}
	free(err);
	return rc;
}

static int on_event(void *arg, struct appointment *a, unsigned line,
		    const char *why)
{
	struct diary_run *r = arg;

	if (!a) {
		add_skip(r->rep, r->file, line, why ? why : "unreadable");
		return 0;
	}
	r->rc = store_one(r, a, line);
	appointment_free(a);
	return r->rc < 0;
}

static int run_begin(struct diary_run *r, const char *name, char **err)
{
	if (db_begin(r->db) < 0) {
		*err = xasprintf("%s: cannot start the import: %s", name,
				 db_errmsg(r->db));
		return -EIO;
	}
	return 0;
}

/* Commit everything, or nothing. */
static int run_end(struct diary_run *r, int rc, const char *name, char **err)
{
	if (rc == 0 && db_commit(r->db) < 0) {
		rc = -EIO;
		free(r->err);
		r->err = xasprintf("cannot save the imported appointments: %s",
				   db_errmsg(r->db));
	} else if (rc < 0) {
		db_rollback(r->db);
	}
	if (rc < 0) {
		*err = xasprintf("%s: %s%s", name, r->err ? r->err :
				 "import failed", rc == -EINVAL ? "" :
				 "; nothing was imported");
		r->rep->imported = r->rep->updated = 0;
	}
	free(r->err);
	r->err = NULL;
	return rc;
}

/* Parse one file's bytes into the running import.  -EINVAL with r->err
 * when they are not iCalendar. */
static int parse_into(struct diary_run *r, const char *data, size_t len)
{
	char *perr = NULL;
	int n = ical_parse(data, len, on_event, r, &perr);

	if (r->rc < 0) {
		free(perr);
		return r->rc;
	}
	if (n < 0) {
		free(r->err);
		r->err = perr ? perr : xstrdup("not an iCalendar file");
		return -EINVAL;
	}
	free(perr);
	return 0;
}

int diary_import_buffer(struct db *db, const char *name, const char *data,
			size_t len, enum diary_dup dup,
			struct diary_io_report *rep, char **err)
{
	struct diary_run r = { .db = db, .dup = dup, .rep = rep, .file = name };
	int rc;

	memset(rep, 0, sizeof *rep);
	rep->format = "iCalendar";
	if ((rc = run_begin(&r, name, err)) < 0)
		return rc;
	return run_end(&r, parse_into(&r, data, len), name, err);
}

static int slurp(const char *path, char **data, size_t *len, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	struct sbuf b;
	char buf[65536];
	ssize_t k;

	if (fd < 0 || fstat(fd, &sb) < 0) {
		int e = errno;
		*err = xasprintf("%s: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if ((size_t)sb.st_size > DIARY_IO_MAX_FILE) {
		close(fd);
		*err = xasprintf("%s: file too large (over 256 MiB)", path);
		return -EFBIG;
	}
	sbuf_init(&b);
	while ((k = read(fd, buf, sizeof buf)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			*err = xasprintf("%s: %s", path, strerror(e));
			close(fd);
			sbuf_free(&b);
			return -e;
		}
		sbuf_addn(&b, buf, (size_t)k);
	}
	close(fd);
	*len = b.len;
	*data = sbuf_take(&b);
	return 0;
}

static int ics_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	       strcasecmp(d->d_name + n - 4, ".ics") == 0;
}

static int import_dir(struct db *db, const char *dir, enum diary_dup dup,
		      struct diary_io_report *rep, char **err)
{
	struct dirent **names;
	int n = scandir(dir, &names, ics_filter, alphasort);
	struct diary_run r = { .db = db, .dup = dup, .rep = rep };
	int rc;

	rep->format = "vdir";
	if (n < 0) {
		int e = errno;
		*err = xasprintf("%s: %s", dir, strerror(e));
		return -e;
	}
	rc = run_begin(&r, dir, err);
	bool began = rc == 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char *path = paths_join(dir, names[i]->d_name);
		char *data = NULL, *e = NULL;
		size_t len = 0;
		r.file = names[i]->d_name;
		if (slurp(path, &data, &len, &e) < 0) {
			add_skip(rep, r.file, 0, e);
		} else if ((rc = parse_into(&r, data, len)) == -EINVAL) {
			add_skip(rep, r.file, 0, r.err);	/* one file */
			free(r.err);
			r.err = NULL;
			rc = 0;
		}
		free(e);
		free(data);
		free(path);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return began ? run_end(&r, rc, dir, err) : rc;
}

int diary_import_path(struct db *db, const char *path, enum diary_dup dup,
		      struct diary_io_report *rep, char **err)
{
	struct stat sb;
	char *data = NULL;
	size_t len = 0;
	int rc;

	memset(rep, 0, sizeof *rep);
	if (stat(path, &sb) < 0) {
		int e = errno;
		*err = xasprintf("%s: %s", path, strerror(e));
		return -e;
	}
	if (S_ISDIR(sb.st_mode))
		return import_dir(db, path, dup, rep, err);
	if ((rc = slurp(path, &data, &len, err)) < 0)
		return rc;
	const char *base = strrchr(path, '/');
	rc = diary_import_buffer(db, base ? base + 1 : path, data, len, dup,
				 rep, err);
	free(data);
	return rc;
}

void diary_io_report_clear(struct diary_io_report *rep)
{
	for (size_t i = 0; i < rep->nskips; i++) {
		free(rep->skips[i].file);
		free(rep->skips[i].reason);
	}
	free(rep->skips);
	memset(rep, 0, sizeof *rep);
}

/* ---- export ---------------------------------------------------------------- */

struct id_list {
	int64_t *v;
	size_t n;
};

static void id_add(struct id_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == id)
			return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = id;
}

/* The series and single appointments to write: every one, or those with
 * an occurrence in the span (an override's occurrence counts for its
 * series). */
static int roots(struct db *db, const struct diary_span *span,
		 struct id_list *out)
{
	if (span && (span->from_utc || span->to_utc)) {
		struct occurrence *o;
		size_t n;
		if (diary_range(db, span->from_utc, span->to_utc, &o, &n) < 0)
			return -EIO;
		for (size_t i = 0; i < n; i++)
			id_add(out, o[i].series_id ? o[i].series_id :
						     o[i].appt_id);
		occurrences_free(o, n);
		return 0;
	}
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM appointments WHERE "
				   "series_id IS NULL ORDER BY start_utc, id");
	int rc;
	if (!st)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id_add(out, sqlite3_column_int64(st, 0));
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static int overrides_of(struct db *db, int64_t id, struct id_list *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM appointments WHERE "
				   "series_id = ? ORDER BY start_utc, id");
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id_add(out, sqlite3_column_int64(st, 0));
	return rc == SQLITE_DONE ? 0 : -EIO;
}

struct appt_list {
	struct appointment **v;
	size_t n;
};

static void appts_clear(struct appt_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		appointment_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Load a series (or single appointment) and its overrides into l. */
static int load_group(struct db *db, int64_t id, struct appt_list *l)
{
	struct id_list ids = { 0 };
	int rc;

	id_add(&ids, id);
	rc = overrides_of(db, id, &ids);
	for (size_t i = 0; rc == 0 && i < ids.n; i++) {
		struct appointment *a;
		if (diary_get(db, ids.v[i], &a) < 0)
			continue;	/* deleted meanwhile */
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = a;
	}
	free(ids.v);
	return rc;
}

int diary_export_buffer(struct db *db, const struct diary_span *span,
			struct sbuf *out, size_t *n, char **err)
{
	struct id_list ids = { 0 };
	struct appt_list l = { 0 };
	int rc = roots(db, span, &ids);

	for (size_t i = 0; rc == 0 && i < ids.n; i++)
		rc = load_group(db, ids.v[i], &l);
	free(ids.v);
	if (rc < 0) {
		*err = xasprintf("cannot read the diary: %s", db_errmsg(db));
		appts_clear(&l);
		return rc;
	}
	ical_write(out, l.v, l.n);
	if (n)
		*n = l.n;
	appts_clear(&l);
	return 0;
}

/* Write data to path through "<path>.tmp-XXXXXX" and rename, so that a
 * reader never sees a half-written file. */
static int write_atomic(const char *path, const char *data, size_t len,
			char **err)
{
	char *tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp), rc = 0;

	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (size_t done = 0; done < len; ) {
		ssize_t k = write(fd, data + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = -errno;
			break;
		}
		done += (size_t)k;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
out:
	if (rc < 0)
		*err = xasprintf("%s: %s", path, strerror(-rc));
	free(tmp);
	return rc;
}

int diary_export_file(struct db *db, const struct diary_span *span,
		      const char *path, size_t *n, char **err)
{
	struct sbuf b;
	int rc;

	sbuf_init(&b);
	rc = diary_export_buffer(db, span, &b, n, err);
	if (rc == 0)
		rc = write_atomic(path, sbuf_str(&b), b.len, err);
	sbuf_free(&b);
	return rc;
}

/* A file name from a UID: readable, never a path. */
static char *vdir_name(const struct appointment *a)
{
	struct sbuf b;

	sbuf_init(&b);
	for (const char *p = a->uid; p && *p && b.len < 120; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '@')
			sbuf_addc(&b, (char)ch);
		else
			sbuf_printf(&b, "%%%02X", ch);
	}
	if (!b.len || b.s[0] == '.')
		sbuf_printf(&b, "appointment-%lld", (long long)a->id);
	sbuf_add(&b, ".ics");
	return sbuf_take(&b);
}

int diary_export_vdir(struct db *db, const struct diary_span *span,
		      const char *dir, size_t *n, char **err)
{
	struct id_list ids = { 0 };
	struct sbuf b;
	int rc = paths_mkdir_p(dir);
	size_t count = 0;

	if (rc < 0) {
		*err = xasprintf("%s: %s", dir, strerror(-rc));
		return rc;
	}
	if ((rc = roots(db, span, &ids)) < 0) {
		*err = xasprintf("cannot read the diary: %s", db_errmsg(db));
		free(ids.v);
		return rc;
	}
	sbuf_init(&b);
	for (size_t i = 0; rc == 0 && i < ids.n; i++) {
		struct appt_list l = { 0 };
		if ((rc = load_group(db, ids.v[i], &l)) < 0) {
			*err = xasprintf("cannot read the diary: %s",
					 db_errmsg(db));
		} else if (l.n) {
			char *name = vdir_name(l.v[0]);
			char *path = paths_join(dir, name);
			sbuf_reset(&b);
			ical_write(&b, l.v, l.n);
			rc = write_atomic(path, sbuf_str(&b), b.len, err);
			count += l.n;
			free(path);
			free(name);
		}
		appts_clear(&l);
	}
	sbuf_free(&b);
	free(ids.v);
	if (n)
		*n = count;
	return rc;
}

/* ---- one series as a record (sync) ------------------------------------------ */

int diary_series_write(struct db *db, int64_t id, struct sbuf *out)
{
	struct appt_list l = { 0 };
	int rc = load_group(db, id, &l);

	if (rc == 0 && l.n == 0)
		rc = -ENOENT;
	if (rc == 0 && l.v[0]->series_id)
		rc = -EINVAL;	/* an override is part of its series */
	if (rc == 0)
		ical_write(out, l.v, l.n);
	appts_clear(&l);
	return rc;
}

struct series_in {
	const char *uid;
	struct appt_list l;
	char *err;
};

static int on_series_event(void *arg, struct appointment *a, unsigned line,
			   const char *why)
{
	struct series_in *s = arg;

	if (!a) {
		s->err = xasprintf("an event of it cannot be read (line %u: "
				   "%s)", line, why ? why : "unreadable");
		return 1;
	}
	if (!str_eq(a->uid, s->uid) || (s->l.n == 0) == !!a->recurrence_id) {
		s->err = xasprintf("it holds %s", !str_eq(a->uid, s->uid) ?
				   "an event of another UID" : a->recurrence_id ?
				   "a changed occurrence without its series" :
				   "two series");
		appointment_free(a);
		return 1;
	}
	s->l.v = xrealloc(s->l.v, (s->l.n + 1) * sizeof *s->l.v);
	s->l.v[s->l.n++] = a;
	return 0;
}

static int save_as(struct db *db, struct appointment *a, int64_t id,
		   char **err)
{
	struct appointment *old;

	if (id && diary_get(db, id, &old) == 0) {
		a->created = old->created;
		appointment_free(old);
	}
	a->id = id;
	return diary_save(db, a, err);
}

/* Overrides of `series` that the new version no longer has. */
static int drop_overrides(struct db *db, int64_t series,
			  const struct appt_list *keep)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, recurrence_id FROM "
				   "appointments WHERE series_id = ?");
	struct id_list gone = { 0 };
	int rc;

	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, series);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rid = COL_TEXT(st, 1);
		bool kept = false;
		for (size_t i = 1; i < keep->n && !kept; i++)
			kept = str_eq(keep->v[i]->recurrence_id, rid);
		if (!kept)
			id_add(&gone, sqlite3_column_int64(st, 0));
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : -EIO;
	for (size_t i = 0; rc == 0 && i < gone.n; i++)
		rc = diary_delete(db, gone.v[i]);
	free(gone.v);
	return rc;
}

int diary_series_put(struct db *db, const char *uid, const char *data,
		     size_t len, int64_t local, const char *as_uid,
		     int64_t *id, char **err)
{
	struct series_in s = { .uid = uid };
	int rc = 0;

	*id = 0;
	if (ical_parse(data, len, on_series_event, &s, err) < 0) {
		appts_clear(&s.l);
		return -EINVAL;
	}
	if (!s.err && s.l.n == 0)
		s.err = xstrdup("it holds no event");
	if (s.err) {
		*err = s.err;
		appts_clear(&s.l);
		return -EINVAL;
	}
	for (size_t i = 0; as_uid && i < s.l.n; i++)	/* a copy */
		str_set(&s.l.v[i]->uid, as_uid);
	if (as_uid)
		uid = as_uid;
	if (!local && diary_find_uid(db, uid, NULL, &local) < 0)
		rc = -EIO;
	if (rc == 0 && db_begin(db) < 0)
		rc = -EIO;
	if (rc < 0) {
		appts_clear(&s.l);
		return rc;
	}
	rc = save_as(db, s.l.v[0], local, err);
	int64_t series = s.l.v[0]->id;
	if (rc == 0)
		rc = drop_overrides(db, series, &s.l);
	for (size_t i = 1; rc == 0 && i < s.l.n; i++) {
		struct appointment *o = s.l.v[i];
		int64_t oid = 0;
		o->series_id = series;
		rc = diary_find_uid(db, uid, o->recurrence_id, &oid);
		if (rc == 0)
			rc = save_as(db, o, oid, err);
	}
	appts_clear(&s.l);
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	*id = series;
	return db_commit(db);
}
